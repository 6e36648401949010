#!/bin/sh
# tests/screen/measure.sh: the Measurements screen (issue 4) at 160x50 in
# UTF-8 and 80x24 in the C locale. Values against a twin simulator (same
# seed, on TCP): V1 and F within the noise, identification exactly; exact
# decimals; min <= value <= max; a sparkline once values accumulate; the
# inferred clock year marked; scrolling down to the facts with no register.
. "$(dirname "$0")/../sh/lib.sh"
. "$(dirname "$0")/lib-screen.sh"

scr_sim --units 1 || { not_ok "simulator up"; done_testing; exit 1; }
scr_twin --units 1 || { not_ok "twin up"; done_testing; exit 1; }
scr_config "$T_TMP/ms.ini" "one:1:Measured one"

# col ROWREGEX N: the N-th blank-separated field of the first matching row
col() { scr_body | grep -E -- "$1" | head -1 | awk -v n="$2" '{ print $n }'; }
# twin_close ROWREGEX ADDR DEC TOL: the row's value is within TOL of the
# twin's 32-bit register at ADDR (both move: compare until they agree)
twin_close() {
	_v=$(col "$1" 2)
	_w=$(fixd "$(u32w "$(twin_words 1 "$2" 2)")" "$3")
	echo "screen $_v twin $_w" >"$T_TMP/close"
	within "$_v" "$_w" "$4"
}

scr_start 160 50 C.UTF-8 -c "$T_TMP/ms.ini"
scr_body_wait 20 'Measured one +line/1 +ok'
scr_keys 3
scr_expect 20 '^ V1 +[0-9]+\.[0-9]{2} V +[0-9]+\.[0-9]{2} +[0-9]+\.[0-9]{2} +[0-9]+\.[0-9]{2}' \
    "V1: value, unit, min, max, average with 2 decimals"
if wait_for 20 twin_close '^ V1 ' 50520 2 1.0; then ok "V1 within 1 V of the twin ($(cat "$T_TMP/close"))"
else not_ok "V1 against the twin" "$(cat "$T_TMP/close")"; fi
row=$(scr_row '^ V1 ')
set -- $row
awk -v v="$2" -v a="$4" -v b="$5" 'BEGIN { exit !(a <= v && v <= b) }' &&
    ok "min <= V1 <= max ($4 $2 $5)" || not_ok "min <= V1 <= max" "$row"
if wait_for 20 twin_close '^ F ' 50526 2 0.2; then ok "F within 0.2 Hz of the twin ($(cat "$T_TMP/close"))"
else not_ok "F against the twin" "$(cat "$T_TMP/close")"; fi
scr_row_expect 10 '^ I1 ' 'I1 +[0-9]+\.[0-9]{3} A ' "currents with 3 decimals"
scr_row_expect 10 '^ P total ' 'P total +-?[0-9]+\.[0-9]{2} kW ' "power in kW with 2 decimals"
scr_row_expect 10 '^ PF total ' 'PF total +-?[0-9]\.[0-9]{3} ' "PF with 3 decimals"
scr_expect 20 '^ V1 .*[▁▂▃▄▅▆▇█][▁▂▃▄▅▆▇█][▁▂▃▄▅▆▇█]' "a block sparkline in UTF-8"
# Ea- total is in the slow set (read at start, then every 60 s): five
# fast cycles later it is older than a fast value may be, but not old.
scr_row_expect 75 '^ Ea- total ' 'Ea- total +[0-9]+\.[0-9]{2} kWh' "Ea- total read (slow set)"
wait_for 20 scr_has '^ V1 .*[▁▂▃▄▅▆▇█]{5}'
unlike "$(scr_row '^ Ea- total ')" 'old:' "a slow register within its period is not shown as old"
like "$(scr_cap)" 'Voltages' "grouped: voltages"
like "$(scr_cap)" 'Currents' "grouped: currents"
like "$(scr_cap)" 'Power factor' "grouped: power factor"
scr_keys End
scr_expect 5 'Not readable over Modbus' "End scrolls to the facts with no register"
like "$(scr_cap)" '\?Wiring test result: not readable over Modbus' "the wiring-test result: no register"
like "$(scr_cap | tail -2 | head -1)" '^ Phase presence = phase_presence +no register' \
    "End selects the last row: the detail line names its map row"
is "$(scr_cap | wc -l | tr -d ' ')" 50 "the screen keeps 50 lines while scrolled"
scr_keys Home
scr_expect 5 '^Voltages' "Home scrolls back to the top"
# The rows come from the poll plan, not from what was read so far: the
# identification rows are there (at worst "---") before and after a read.
scr_scroll_to '~Meter clock' || not_ok "scroll to the meter clock" "$(scr_cap)"
# the clock is in the slow set: at start, then every 60 s (a failed first
# read comes back a minute later)
scr_expect 75 '~Meter clock +~?[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}' \
    "the meter clock, marked inferred (year encoding)"
scr_scroll_to '^ MID product' || not_ok "scroll to identification" "$(scr_cap)"
# identification details: read with identification (engine.c reads them
# once; if that read failed they stay "---")
scr_row_expect 30 '^ Vendor ' 'Vendor +SOCOMEC' "vendor name read over the bus"
scr_row_expect 30 '^ Extended name ' 'COUNTIS E34' "extended name read over the bus"
scr_row_expect 30 '^ Software ' "Software +$(fixd "$(twin_words 1 50007 1)" 2)" \
    "software version as the twin serves it"
unlike "$(scr_row '^ Vendor ')" 'old:' "an identification constant is never old"
scr_keys q
scr_wait 10 'EXIT=0'

scr_start 80 24 C -c "$T_TMP/ms.ini"
scr_body_wait 20 'Measured one +line/1 +ok'
scr_keys 3
scr_wait 20 '^ V1 +[0-9]+\.[0-9]{2} V '
if scr_wait 20 '^ V1 .*[_.=*#-][_.=*#-][_.=*#-]$'; then ok "80x24 C: an ASCII sparkline"
else not_ok "80x24 C: an ASCII sparkline" "$(scr_row '^ V1 ')"; fi
unlike "$(scr_cap)" '[^ -~]' "80x24 C: nothing but printable ASCII"
w=$(scr_cap | LC_ALL=C.UTF-8 wc -L | tr -d ' ')
[ "$w" -le 80 ] && ok "80x24: no line wider than 80" || not_ok "80x24: no line wider than 80" "widest $w"
like "$(scr_cap)" '[0-9]+ unpolled hidden \(a\)  1-19 of [0-9]+' "80x24: says which rows are shown, and how many are hidden"
unlike "$(scr_cap)" 'not polled' "unpolled registers hidden by default"
scr_keys a
scr_wait 5 'unpolled shown \(a\)' && ok "a shows the unpolled registers" ||
    not_ok "a shows the unpolled registers" "$(scr_cap)"
scr_keys End
scr_wait 5 'not polled' && ok "they say they are not polled" ||
    not_ok "they say they are not polled" "$(scr_cap)"
scr_keys q
scr_wait 10 'EXIT=0' && ok "q" || not_ok "q" "$(scr_cap)"
done_testing
