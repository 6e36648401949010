#!/bin/sh
# write-foreign.sh: a write reaches only a unit identified as a COUNTIS E34
# (issue 13 item 1), through the console in a private tmux server with
# writes = on, checked on countis-sim's write log (it logs every write):
#  - unit 1 serves another product (--fault 1:foreign): Fleet shows it
#    foreign; t on it is refused, says why, and nothing is sent;
#  - unit 2 is an E34 when t opens the prompt, then is swapped for another
#    product ("2 foreign" on the control socket) before y: the engine reads
#    the identification again in the write's own job and sends no write;
#    the console says the unit no longer identifies as an E34.
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/screen/lib-screen.sh"

scr_sim --units 1-2 --fault 1:foreign ||
    { not_ok "simulator up"; done_testing; exit 1; }
scr_config "$T_TMP/off.ini" "one:1:Meter one" "two:2:Meter two"
sed 's/^\[console\]$/[console]\nwrites = on/' "$T_TMP/off.ini" >"$T_TMP/on.ini"
writes() { grep -c 'write unit' "$T_TMP/sim.log"; }

SCR_ENV="TZ=UTC0"
scr_start 100 30 C.UTF-8 -c "$T_TMP/on.ini"
scr_body_wait 20 'Meter two +line/2 +ok' || not_ok "console up" "$(scr_cap)"
scr_row_expect 20 'Meter one' 'foreign' "Fleet shows unit 1 foreign"

# the selection starts on Meter one, the foreign unit
scr_keys t
if scr_wait 5 'write refused: Meter one \(line/1\) is not a COUNTIS E34'; then
	ok "t on a foreign unit: refused, and says why"
else
	not_ok "t on a foreign unit: refused, and says why" "$(scr_cap)"
fi
unlike "$(scr_cap)" 'Select the tariff' "foreign unit: no tariff prompt"
scr_keys 3 y
is "$(writes)" 0 "foreign unit: the simulator received no write"

# Meter two: an E34 when the prompt opens, swapped before the confirmation
top_has() { scr_cap | head -1 | grep -Eq -- "$1"; }
scr_keys 1
wait_for 5 top_has 'Fleet|1 Fleet' || true
# Fleet keeps failed rows last: Meter two may be above the foreign one
scr_keys j
wait_for 3 top_has 'Meter two' || scr_keys k
wait_for 5 top_has 'Meter two' || not_ok "select Meter two" "$(scr_cap)"
scr_keys t
scr_wait 5 'Select the tariff of Meter two \(line/2\)' ||
    not_ok "t on Meter two opens the prompt" "$(scr_cap)"
scr_keys 3
scr_wait 5 'Write tariff T3 to Meter two \(line/2\)\?' ||
    not_ok "confirmation for Meter two" "$(scr_cap)"
scr_ctl "2 foreign" >/dev/null
scr_keys y
if scr_wait 10 'tariff T3 to Meter two \(line/2\) failed: not an E34 any more'; then
	ok "unit swapped after identification: the write is refused"
else
	not_ok "unit swapped after identification: the write is refused" "$(scr_cap)"
fi
is "$(writes)" 0 "swapped unit: the simulator received no write"
is "$(scr_ctl '2 status' | sed 's/.*tariff //')" 1 "swapped unit: tariff still 1"
scr_row_expect 10 'Meter two' 'foreign' "Fleet now shows unit 2 foreign"
scr_keys q
scr_wait 10 'EXIT=0' || not_ok "q quits" "$(scr_cap)"
done_testing
