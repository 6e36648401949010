#!/bin/sh
# engine-buses.sh: buses run in parallel. Bus A carries a dead meter (one
# 300 ms timeout per cycle) next to a healthy one; bus B's healthy meter
# keeps its 200 ms refresh all the same, while bus A's meters cannot.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/engine-lib.sh"

start_sim simA --pty "$T_TMP/a" --units 1,2 --fault 2:dead --seed 1
start_sim simB --pty "$T_TMP/b" --units 1 --seed 2
wait_for 20 test -e "$T_TMP/a" -a -e "$T_TMP/b" ||
    { not_ok "simulators up"; done_testing; exit 1; }
{
	TIMEOUT_MS=300 ini_bus A rtu "$T_TMP/a"
	ini_bus B rtu "$T_TMP/b"
	ini_meter a1 A 1 200
	ini_meter a2 A 2 200
	ini_meter b1 B 1 200
} >"$T_TMP/two.ini"

"$TUI" -c "$T_TMP/two.ini" --export-csv "$T_TMP/two.csv" --cycles 8 -v 2>"$T_TMP/two.err"
is "$?" 69 "exit 69 (a2 is dead)"
span() {	# span METER: ms from its first to its last row
	_f=$(csv_row "$T_TMP/two.csv" "$1" 1 | cut -d, -f1)
	_l=$(csv_row "$T_TMP/two.csv" "$1" 8 | cut -d, -f1)
	echo $(( $(date -u -d "$_l" +%s%3N) - $(date -u -d "$_f" +%s%3N) ))
}
is "$(awk -F, '$2 == "a2" && $5 == "timeout"' "$T_TMP/two.csv" | wc -l | tr -d ' ')" 8 \
    "the dead meter timed out in each of its 8 cycles"
is "$(awk -F, '$2 == "b1" && $5 == "ok"' "$T_TMP/two.csv" | wc -l | tr -d ' ')" 8 \
    "bus B's meter answered 8 times"
sa=$(span a1)
sb=$(span b1)
# 7 intervals: 1400 ms at 200 ms; on bus A a round takes a 300 ms timeout
# plus a healthy cycle, so its meters fall behind
check "bus B: 8 cycles in $sb ms (wanted 1400), not held up by bus A" \
    test "$sb" -lt 2000
check "bus A: 8 cycles in $sa ms, slowed by its dead meter" test "$sa" -ge 1800
like "$(cat "$T_TMP/two.err")" 'bus B: [0-9]+ requests, [0-9]+ answers, 0 timeouts' \
    "bus B counted no timeout"
like "$(cat "$T_TMP/two.err")" 'bus A: [0-9]+ requests, [0-9]+ answers, 8 timeouts' \
    "bus A counted one timeout per dead cycle, not one per request"
sim_log_clean "$T_TMP/simA.log"
sim_log_clean "$T_TMP/simB.log"
done_testing
