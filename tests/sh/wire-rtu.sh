#!/bin/sh
# wire-rtu.sh: Modbus RTU over a pty against a hostile peer
# (tests/py/hostile.py). An answer that came after its request's timeout is
# drained, never read as the next request's; stray frames (another unit's,
# or one between requests with 999999.99 everywhere) never reach a value;
# exception codes 0 and 19 are the units' answers and the line stays open,
# for --scan too; a trickled answer ends at the timeout. The serial port is
# taken for one process: a second one is told which process holds it and
# exits 66; a stale lock is taken over. Issue 8 items 3, 4, 5; issue 13
# item 3.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/engine-lib.sh"
. "$(dirname "$0")/wire-lib.sh"

TIMEOUT_MS=200
# run_export NAME DEV CYCLES POLL_MS METERS...: --export-csv -v on DEV;
# METERS are "label:unit". CSV in NAME.csv, stderr in NAME.err.
run_export() {
	_n=$1; _d=$2; _c=$3; _p=$4; shift 4
	{
		ini_bus line rtu "$_d"
		for _m in "$@"; do ini_meter "${_m%%:*}" line "${_m#*:}" "$_p"; done
	} >"$T_TMP/$_n.ini"
	"$TUI" -c "$T_TMP/$_n.ini" --export-csv "$T_TMP/$_n.csv" --cycles "$_c" \
	    -v 2>"$T_TMP/$_n.err"
}

# 3. the answer to a request that timed out comes late, between cycles
DEV="$T_TMP/late"
start_peer late --pty "$DEV" --units 1 --fault '1:late=450@0xC552#3'
run_export late "$DEV" 6 700 m:1
is "$(statuses "$T_TMP/late.csv" m)" "ok ok timeout ok ok ok " \
    "late answer: that cycle times out, the next ones are ok"
late=$(served "$T_TMP/late.log" 1:late v1)
unlike "$(cut -d, -f17 "$T_TMP/late.csv")" "^$late\$" \
    "no row carries the late answer's V1 ($late)"
v1=$(csv_row "$T_TMP/late.csv" m 4 | cut -d, -f17)
is "$v1" "$(fix $(( 23000 + 4 )) 2)" "the cycle after it has its own, fresh V1"
is "$(bus_stat "$T_TMP/late.err" crc)" 0 "late answer: no CRC"

# stray frames: another unit's before the answer, and one of this unit
# shaped as the next cycle's first answer (54 words), between requests
DEV="$T_TMP/stray"
start_peer stray --pty "$DEV" --units 1 --fault '1:stray=54@0xC800#2-3'
run_export stray "$DEV" 5 300 m:1
is "$(statuses "$T_TMP/stray.csv" m)" "ok ok ok ok ok " "stray frames: every cycle ok"
unlike "$(cat "$T_TMP/stray.csv")" '99999' "no value from a stray frame (999999.99)"
is "$(bus_stat "$T_TMP/stray.err" crc)" 0 "stray frames: no CRC"
# two frames that wait together in the input are drained, and counted, once
n=$(bus_stat "$T_TMP/stray.err" stray)
if [ "$n" -ge 2 ] && [ "$n" -le 4 ]; then ok "2 of another unit, 2 drained: counted as strays ($n)"
else not_ok "2 of another unit, 2 drained: counted as strays" "got $n, want 2..4"; fi

# 4. exception codes 0 and 19: answers; the line is not reopened
DEV="$T_TMP/exc"
start_peer exc --pty "$DEV" --units 1,2,3 --fault 1:exception=0 --fault 2:exception=19
run_export exc "$DEV" 4 100 e0:1 e19:2 good:3
is "$(statuses "$T_TMP/exc.csv" e0)" "exception-0 exception-0 exception-0 exception-0 " "code 0: exception-0"
is "$(statuses "$T_TMP/exc.csv" e19)" "exception-19 exception-19 exception-19 exception-19 " "code 19: exception-19"
is "$(statuses "$T_TMP/exc.csv" good)" "ok ok ok ok " "the healthy meter on the line: ok"
is "$(bus_stat "$T_TMP/exc.err" io)" 0 "no I/O error, no reopen"
"$TUI" --scan "$DEV" --first 1 --last 4 --timeout-ms 300 >"$T_TMP/scan.out" 2>"$T_TMP/scan.err"
is "$?" 0 "scan past exceptions 0 and 19: exit 0"
is "$(cat "$T_TMP/scan.out")" "1 unidentified (answers exception 0 at 0xC350)
2 unidentified (answers exception 19 at 0xC350)
3 COUNTIS E34 serial 1234-5678-3 sw 1.02" "scan lists both and reaches the E34 after them"

# 5. 45 ms a byte: the 113-byte answer would take 5.1 s
DEV="$T_TMP/trickle"
start_peer trickle --pty "$DEV" --units 1 --fault '1:trickle=45@0xC552#1'
t0=$(date +%s%N)
run_export trickle "$DEV" 1 100 m:1
ms=$(ms_since "$t0")
like "$(statuses "$T_TMP/trickle.csv" m)" '^(crc|timeout) $' \
    "trickled answer: incomplete at the deadline, not accepted"
check "trickled answer: the run took $ms ms (timeout 200 ms; the answer takes 5.1 s)" \
    test "$ms" -lt 3000

# issue 13 item 3: one process per serial port
DEV="$T_TMP/lock"
start_peer lock --pty "$DEV" --units 1
lockf=/run/lock/LCK..$(readlink -f "$DEV" | sed 's|^/dev/||; s|/|_|g')
{ ini_bus line rtu "$DEV"; ini_meter m line 1 100; } >"$T_TMP/lock.ini"
"$TUI" -c "$T_TMP/lock.ini" --export-csv "$T_TMP/first.csv" --cycles 100000 2>/dev/null &
first=$!
t_track $first
wait_for 30 sh -c "[ \"\$(tr -d ' ' <'$lockf' 2>/dev/null)\" = $first ]"
is "$?" 0 "the lock file $lockf holds the first export's pid"
"$TUI" -c "$T_TMP/lock.ini" --export-csv "$T_TMP/second.csv" 2>"$T_TMP/second.err"
is "$?" 66 "a second export on the same port: exit 66"
like "$(cat "$T_TMP/second.err")" "in use by process $first \\(countis-tui\\)" \
    "it names the process that holds the port ($(head -1 "$T_TMP/second.err"))"
"$TUI" --scan "$DEV" --first 1 --last 2 >/dev/null 2>"$T_TMP/scanlock.err"
is "$?" 66 "a scan on the same port: exit 66"
like "$(cat "$T_TMP/scanlock.err")" "in use by process $first \\(countis-tui\\)" "and says who holds it"
kill "$first"
wait_for 30 sh -c "! kill -0 $first 2>/dev/null" || not_ok "first export ended"
check "the lock is gone with its process" test ! -e "$lockf"
# a stale lock (its process is gone) is taken over
dead=$(sh -c 'echo $$')
printf '%10d\n' "$dead" >"$lockf"
"$TUI" -c "$T_TMP/lock.ini" --export-csv "$T_TMP/third.csv" 2>"$T_TMP/third.err"
is "$?" 0 "a stale lock (pid $dead, gone) is taken over"
check "and removed at the end" test ! -e "$lockf"
[ -e "$lockf" ] && [ "$(tr -d ' ' <"$lockf")" = "$dead" ] && rm -f "$lockf"

# TIOCEXCL as well, for a tool that ignores lock files: root opens through
# it, so this part runs as nobody when the test runs as root
AS_USER=""
[ "$(id -u)" = 0 ] && AS_USER="setpriv --reuid=65534 --regid=65534 --clear-groups"
chmod 711 "$T_TMP"
mkdir -m 777 "$T_TMP/excl"
DEV="$T_TMP/excl/line"
# nobody may not reach the build tree (a clone under /root): run copies
cp "$TUI" "$T_TMP/excl/countis-tui"
cp "$HOSTILE" "$T_TMP/excl/hostile.py"
chmod 755 "$T_TMP/excl/countis-tui" "$T_TMP/excl/hostile.py"
XTUI="$T_TMP/excl/countis-tui"
$AS_USER "$PYTHON" "$T_TMP/excl/hostile.py" --pty "$DEV" --units 1 2>"$T_TMP/excl/peer.log" &
t_track $!
wait_for 30 grep -q '^serving' "$T_TMP/excl/peer.log" || not_ok "peer up as $($AS_USER id -un)"
{ ini_bus line rtu "$DEV"; ini_meter m line 1 100; } >"$T_TMP/excl/x.ini"
chmod 644 "$T_TMP/excl/x.ini"
lockf=/run/lock/LCK..$(readlink -f "$DEV" | sed 's|^/dev/||; s|/|_|g')
$AS_USER "$XTUI" -c "$T_TMP/excl/x.ini" --export-csv /dev/null --cycles 100000 2>/dev/null &
first=$!
t_track $first
wait_for 30 sh -c "[ \"\$(tr -d ' ' <'$lockf' 2>/dev/null)\" -gt 0 ]" || not_ok "first export has the port"
rm -f "$lockf"	# a tool that does not look at locks
$AS_USER "$XTUI" -c "$T_TMP/excl/x.ini" --export-csv /dev/null 2>"$T_TMP/excl/second.err"
is "$?" 66 "without the lock file, TIOCEXCL still refuses a second open (exit 66)"
like "$(cat "$T_TMP/excl/second.err")" 'Device or resource busy' "busy, says the second"
kill "$first"
wait_for 30 sh -c "! kill -0 $first 2>/dev/null" || not_ok "first export ended"
$AS_USER "$XTUI" -c "$T_TMP/excl/x.ini" --export-csv /dev/null 2>"$T_TMP/excl/third.err"
is "$?" 0 "once the first closed the port, it opens again (TIOCEXCL cleared)" \
    "$(cat "$T_TMP/excl/third.err")"
done_testing
