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
SCR_POLL_MS=500

# col ROWREGEX N: the N-th blank-separated field of the first matching row
col() { scr_body | grep -E -- "$1" | head -1 | awk -v n="$2" '{ print $n }'; }

scr_start 160 50 C.UTF-8 -c "$T_TMP/ms.ini"
scr_body_wait 20 'Measured one +line/1 +ok'
scr_keys 3
if scr_wait 20 '^ V1 +[0-9]+\.[0-9]{2} V +[0-9]+\.[0-9]{2} +[0-9]+\.[0-9]{2} +[0-9]+\.[0-9]{2}'; then
	ok "V1: value, unit, min, max, average with 2 decimals"
else
	not_ok "V1: value, unit, min, max, average with 2 decimals" "$(scr_cap)"
fi
v=$(col '^ V1 ' 2); mn=$(col '^ V1 ' 4); mx=$(col '^ V1 ' 5)
want=$(fixd "$(u32w "$(twin_words 1 50520 2)")" 2)
if within "$v" "$want" 1.0; then ok "V1 $v V within 1 V of the twin ($want)"
else not_ok "V1 against the twin" "screen $v twin $want"; fi
awk -v v="$v" -v a="$mn" -v b="$mx" 'BEGIN { exit !(a <= v && v <= b) }' &&
    ok "min <= V1 <= max ($mn $v $mx)" || not_ok "min <= V1 <= max" "$mn $v $mx"
f=$(col '^ F ' 2)
want=$(fixd "$(u32w "$(twin_words 1 50526 2)")" 2)
if within "$f" "$want" 0.2; then ok "F $f Hz within 0.2 Hz of the twin ($want)"
else not_ok "F against the twin" "screen $f twin $want"; fi
like "$(scr_row '^ I1 ')" 'I1 +[0-9]+\.[0-9]{3} A ' "currents with 3 decimals"
like "$(scr_row '^ P total ')" 'P total +-?[0-9]+\.[0-9]{2} kW ' "power in kW with 2 decimals"
like "$(scr_row '^ PF total ')" 'PF total +-?[0-9]\.[0-9]{3} ' "PF with 3 decimals"
if scr_wait 20 '^ V1 .*[▁▂▃▄▅▆▇█][▁▂▃▄▅▆▇█][▁▂▃▄▅▆▇█]'; then ok "a block sparkline in UTF-8"
else not_ok "a block sparkline in UTF-8" "$(scr_row '^ V1 ')"; fi
like "$(scr_cap)" 'Voltages' "grouped: voltages"
like "$(scr_cap)" 'Currents' "grouped: currents"
like "$(scr_cap)" 'Power factor' "grouped: power factor"
scr_keys End
if scr_wait 5 'Not readable over Modbus'; then ok "End scrolls to the facts with no register"
else not_ok "End scrolls to the facts with no register" "$(scr_cap)"; fi
like "$(scr_cap)" '\?wiring_test_result: not readable over Modbus' "the wiring-test result: no register"
is "$(scr_cap | wc -l | tr -d ' ')" 50 "the screen keeps 50 lines while scrolled"
scr_keys Home
scr_wait 5 '^Voltages' && ok "Home scrolls back to the top" || not_ok "Home" "$(scr_cap)"
# PgDn until identification is on screen, compare with the twin
range() { scr_cap | grep -oE '[0-9]+-[0-9]+ of [0-9]+' | head -1; }
moved() { [ "$(range)" != "$prev" ]; }
n=0
while ! scr_has '^ Vendor ' && [ $n -lt 10 ]; do
	prev=$(range); scr_keys NPage; wait_for 5 moved; n=$((n + 1))
done
like "$(scr_row '^ Vendor ')" 'Vendor +SOCOMEC' "vendor name read over the bus"
like "$(scr_row '^ Extended name ')" 'COUNTIS E34' "extended name read over the bus"
like "$(scr_row '^ Software ')" "Software +$(fixd "$(twin_words 1 50007 1)" 2)" "software version as the twin serves it"
like "$(scr_cap)" '~Meter clock +~?[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}' \
    "the meter clock, marked inferred (year encoding)"
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
like "$(scr_cap)" '[0-9]+ unpolled hidden \(a\)  1-20 of [0-9]+' "80x24: says which rows are shown, and how many are hidden"
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
