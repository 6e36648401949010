#!/bin/sh
# tests/screen/stale.sh: a meter made dead at run time through the simulator's
# control socket shows timeout on Fleet within two poll periods; its last
# values stay on screen (never 0), dimmed, and the LCD says how old they
# are; cleared, it comes back to ok. Issue 4.
# Without colours (--no-color, NO_COLOR), in C and C.UTF-8, the age shows as
# text on Fleet and on the Meter screen: the state reads "timeout 3s", the
# old values carry a ~, the Meter header says the age and the LCD value is
# marked. Issue 13, item 6.
. "$(dirname "$0")/../sh/lib.sh"
. "$(dirname "$0")/lib-screen.sh"

SCR_POLL_MS=1000
scr_sim --units 1-2 || { not_ok "simulator up"; done_testing; exit 1; }
scr_config "$T_TMP/s.ini" "a:1:Steady one" "b:2:Fading two"
scr_start 100 30 C.UTF-8 -c "$T_TMP/s.ini"
scr_body_wait 20 'Fading two +line/2 +ok +[0-9]+\.[0-9]{2}' ||
    not_ok "console up" "$(scr_cap)"
# the Σ kWh of a row, a stale one (~) included
kwh_any() {
	scr_row "$1" | awk '{ for (i = 1; i <= NF; i++) {
	    v = $i; sub(/^~/, "", v)
	    if (v ~ /^[0-9]+\.[0-9][0-9]$/) { print v; exit } } }'
}
kwh=$(kwh_of 'Fading two')
ms() { echo $(( $(date +%s%N) / 1000000 )); }
is "$(scr_ctl '2 dead')" ok "control: unit 2 dead"
# from when the simulator has taken the fault (the control client's own
# start-up is not the console's delay)
t0=$(ms)
if scr_body_wait 10 'Fading two +line/2 +(timeout|offline)'; then
	dt=$(( $(ms) - t0 ))
	ok "timeout shown after $dt ms"
	# two poll periods, plus the bus timeout and the screen refresh ceiling
	[ "$dt" -le $(( 2 * SCR_POLL_MS + 200 + SCR_REFRESH_MS + 300 )) ] &&
	    ok "within two poll periods ($dt ms)" ||
	    not_ok "within two poll periods" "took $dt ms"
else
	not_ok "timeout shown" "$(scr_cap)"
fi
last=$(kwh_any 'Fading two')
like "$(scr_row 'Fading two')" "(timeout|offline) [0-9]+(ms|s) +~$last " "the last Σ kWh stays on screen ($last), marked ~"
awk -v a="$last" -v b="$kwh" 'BEGIN { exit !(a >= b && a > 0) }' &&
    ok "it is the last value read ($kwh, then $last), not 0" ||
    not_ok "the last value read, not 0" "before $kwh, after $last"
kwh=$last
scr_row_expect 20 'Steady one' 'line/1 +ok' "the other meter stays ok"
# dimmed: the stale value is drawn with SGR 2 (dim)
row=$(scr_tmux capture-pane -p -e | grep 'Fading two' | head -1)
if printf '%s' "$row" | grep -q "$(printf '\033')\[[0-9;]*2[;m][^$(printf '\033')]*$kwh"; then
	ok "the old value is dimmed"
else
	not_ok "the old value is dimmed" "$(printf '%s' "$row" | od -c | head -20)"
fi
scr_keys Down Enter
if scr_wait 10 '\(old: read [0-9]+s ago\)'; then ok "LCD: the value says how old it is"
else not_ok "LCD: the value says how old it is" "$(scr_cap)"; fi
scr_keys 1
is "$(scr_ctl '2 clear')" ok "control: unit 2 cleared"
if scr_body_wait 30 'Fading two +line/2 +ok'; then ok "back to ok once it answers"
else not_ok "back to ok once it answers" "$(scr_cap)"; fi
scr_keys q
scr_wait 10 'EXIT=0' && ok "q" || not_ok "q" "$(scr_cap)"

# No colours: the age is text. --no-color in C, NO_COLOR=1 in C.UTF-8.
for run in "C --no-color" "C.UTF-8 NO_COLOR=1"; do
	loc=${run%% *}; how=${run#* }
	case $how in
	--no-color) SCR_ENV= scr_start 80 24 "$loc" -c "$T_TMP/s.ini" --no-color ;;
	*) SCR_ENV=$how scr_start 80 24 "$loc" -c "$T_TMP/s.ini" ;;
	esac
	tag="$loc $how"
	scr_body_wait 20 'Fading two +line/2 +ok +[0-9]+\.[0-9]{2}' ||
	    not_ok "$tag: console up" "$(scr_cap)"
	is "$(scr_ctl '2 dead')" ok "$tag: unit 2 dead"
	# the age grows past a few seconds while the values stay
	scr_row_expect 20 'Fading two' '(timeout|offline) [3-9]s +~[0-9]+\.[0-9]{2} +~-?[0-9]+\.[0-9]{2} ' \
	    "$tag: Fleet: state with the age (timeout 3s), ~ before the old kWh and kW"
	unlike "$(scr_row 'Steady one')" '~' "$tag: Fleet: a fresh row has no ~"
	like "$(scr_row 'Steady one')" 'line/1 +ok +[0-9]' "$tag: Fleet: a fresh row says ok, no age"
	# the Meter screen of the dead meter
	scr_keys Down Enter
	scr_expect 10 '^ Fading two +line/2 +(timeout|offline) [0-9]+s ' \
	    "$tag: Meter: the header says the age"
	scr_expect 10 '~[0-9]+\.[0-9]{2} kWh' "$tag: Meter: the LCD value is marked ~"
	scr_expect 10 '\(old: read [0-9]+s ago\)' "$tag: Meter: the LCD says how old"
	scr_expect 10 'V1 ~[0-9]+\.[0-9]{2} V' "$tag: Meter: the phase voltages are marked ~"
	scr_expect 10 'Checks ok on the values read [0-9]+s ago: .* = ~[0-9]+\.[0-9]{2} kWh' \
	    "$tag: Meter: the checks say how old their values are"
	[ "$loc" = C ] && unlike "$(scr_cap)" '[^ -~]' "$tag: printable ASCII only"
	is "$(scr_ctl '2 clear')" ok "$tag: unit 2 cleared"
	scr_expect 30 '^ Fading two +line/2 +ok' "$tag: Meter: back to ok"
	scr_expect 10 '[|│] +[0-9]+\.[0-9]{2} kWh' "$tag: Meter: the fresh value has no ~"
	scr_keys q
	scr_wait 10 'EXIT=0' && ok "$tag: q" || not_ok "$tag: q" "$(scr_cap)"
done
done_testing
