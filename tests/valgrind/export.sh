#!/bin/sh
# tests/valgrind/export.sh: memcheck on a 200-cycle --export-csv against
# countis-sim on Modbus TCP (two meters, poll_ms 100): the run exits 0,
# writes its 400 rows, and memcheck finds 0 errors and 0 bytes definitely
# or indirectly lost.
. "$(dirname "$0")/../sh/lib.sh"
. "$(dirname "$0")/../sh/engine-lib.sh"
. "$(dirname "$0")/lib-valgrind.sh"

PORT=$(free_port)
start_sim sim --tcp "127.0.0.1:$PORT" --units 1,2 --seed 3
wait_for 20 sh -c "grep -q serving '$T_TMP/sim.log'" ||
    { not_ok "simulator up" "$(cat "$T_TMP/sim.log")"; done_testing; exit 1; }
# A generous timeout: memcheck runs the threads one at a time.
{
	TIMEOUT_MS=2000 ini_bus gw tcp "$PORT"
	ini_meter a gw 1 100
	ini_meter b gw 2 100
} >"$T_TMP/vg.ini"

vg_wrapper "$T_TMP/tui" "$T_TMP/vg.log"
start=$(date +%s)
"$T_TMP/tui" -c "$T_TMP/vg.ini" --export-csv "$T_TMP/out.csv" \
    --cycles 200 2>"$T_TMP/tui.err"
rc=$?
echo "# 200 cycles under memcheck in $(($(date +%s) - start)) s"
is "$rc" 0 "exit 0 under memcheck (no error, every meter answered)"
is "$(wc -l <"$T_TMP/out.csv" | tr -d ' ')" 401 "header and 400 rows"
is "$(grep -c ',ok,' "$T_TMP/out.csv")" 400 "every row ok"
vg_judge "$T_TMP/vg.log" "--export-csv 200 cycles"
done_testing
