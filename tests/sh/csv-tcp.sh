#!/bin/sh
# csv-tcp.sh: --export-csv over Modbus TCP (countis-sim as a gateway on a
# real TCP port): every column of a meter whose registers do not move equals
# mbpoll's read; a dead unit times out, a unit the gateway does not reach
# gives exception-11 (0x0B), exception and foreign units their words;
# exit 69, and 0 without the faulty ones.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/engine-lib.sh"
command -v mbpoll >/dev/null || skip_all "mbpoll not installed"

PORT=$(free_port)
MB_OPTS="-m tcp -p $PORT"
MB_DEV=127.0.0.1
start_sim sim --tcp "127.0.0.1:$PORT" --units 1,3,4,6,9 --seed 8 \
    --fault 3:phase-loss=1 --fault 3:phase-loss=2 --fault 3:phase-loss=3 \
    --fault 4:dead --fault 6:exception=4 --fault 9:foreign
wait_for 20 sh -c "grep -q serving '$T_TMP/sim.log'" ||
    { not_ok "simulator up"; done_testing; exit 1; }

{
	ini_bus gw tcp "$PORT"
	ini_meter live gw 1
	ini_meter frozen gw 3
	ini_meter dead gw 4
	ini_meter busy gw 6
	ini_meter other gw 9
	ini_meter absent gw 20
} >"$T_TMP/all.ini"
{
	ini_bus gw tcp "$PORT"
	ini_meter live gw 1
	ini_meter frozen gw 3
} >"$T_TMP/good.ini"

"$TUI" -c "$T_TMP/all.ini" --export-csv "$T_TMP/all.csv" --cycles 2 -v 2>"$T_TMP/all.err"
is "$?" 69 "exit 69 when a meter never answered"
frozen_ref=$(expected_values 3)
is "$(head -1 "$T_TMP/all.csv")" "$CSV_HEADER" "header exact"
is "$(wc -l <"$T_TMP/all.csv" | tr -d ' ')" 13 "one row per meter per cycle"

row=$(csv_row "$T_TMP/all.csv" frozen 2)
is "$(field "$row" 2-5)" 'frozen,gw,3,ok' "frozen meter: ok"
is "$(values_but_f "$row")" "$frozen_ref" "frozen meter: every value equals mbpoll's read over TCP"
is "$(t_minus_total "$row")" 0 "frozen meter: T1+T2+T3+T4 = total exactly"
row=$(csv_row "$T_TMP/all.csv" live 1)
is "$(field "$row" 5)" ok "live meter: ok"
like "$(field "$row" 7-11)" '^([0-9]+\.[0-9]{2},){4}[0-9]+\.[0-9]{2}$' "live meter: energies with 2 decimals"
row=$(csv_row "$T_TMP/all.csv" dead 2)
is "$(field "$row" 5-6)" 'timeout,' "dead unit: timeout"
check "dead unit: value fields empty" empty_values "$row"
row=$(csv_row "$T_TMP/all.csv" absent 1)
is "$(field "$row" 5)" 'exception-11' "unit the gateway cannot reach: exception-11"
check "unreached unit: value fields empty" empty_values "$row"
row=$(csv_row "$T_TMP/all.csv" busy 1)
is "$(field "$row" 5)" 'exception-4' "exception unit: exception-4"
row=$(csv_row "$T_TMP/all.csv" other 2)
is "$(field "$row" 5)" 'not-e34' "foreign device: not-e34"
check "foreign device: value fields empty" empty_values "$row"
like "$(cat "$T_TMP/all.err")" 'bus gw: [0-9]+ requests' "-v reports the bus"
like "$(cat "$T_TMP/all.err")" 'never answered' "silent meters named"

"$TUI" -c "$T_TMP/good.ini" --export-csv "$T_TMP/good.csv" 2>/dev/null
is "$?" 0 "exit 0 when every meter answered"
sim_log_clean "$T_TMP/sim.log"
done_testing
