#!/bin/sh
# tests/screen/prompt-keys.sh: while a text prompt is open it gets every key,
# the global ones (t, C, R, X, q, digits, Tab, ?) included; Enter or Esc
# closes it (issue 13, item 2). In the Fleet filter "Kitchen" stays
# "Kitchen" (t is not the tariff key there) and, with writes = on, "Lift"
# opens no tariff question; on the Meter screen the CS "176C 176" is kept
# as typed (C is not the clock key there). Outside a prompt t still opens
# the write question. In the C locale and in C.UTF-8.
. "$(dirname "$0")/../sh/lib.sh"
. "$(dirname "$0")/lib-screen.sh"

scr_sim --units 1-2 || { not_ok "simulator up"; done_testing; exit 1; }
scr_config "$T_TMP/off.ini" "k:1:Kitchen lights" "l:2:Lift motor"
# the same meters with writes = on
sed 's/^\[console\]$/[console]\nwrites = on/' "$T_TMP/off.ini" >"$T_TMP/on.ini"
grep -q '^writes = on' "$T_TMP/on.ini" || not_ok "config with writes = on"

# prompt_is TEXT: the prompt line reads "Filter: TEXT_" exactly
prompt_line() { scr_cap | grep -E "$1" | head -1 | sed 's/ *$//'; }

for loc in C C.UTF-8; do
	scr_start 80 24 "$loc" -c "$T_TMP/off.ini"
	scr_body_wait 20 'Lift motor +line/2 +ok' || not_ok "$loc: up" "$(scr_cap)"
	scr_keys /
	scr_wait 5 '^Filter: _' || not_ok "$loc: / opens the filter" "$(scr_cap)"
	scr_keys -l Kitchen
	if scr_wait 5 '^Filter: Kitchen_'; then
		ok "$loc: the filter reads Kitchen (t typed, not a write)"
	else
		not_ok "$loc: the filter reads Kitchen" "$(prompt_line '^Filter')"
	fi
	unlike "$(scr_cap)" 'writes are off' "$loc: no 'writes are off' message"
	# every global key is text while the prompt is open
	scr_keys -l ' qRX2?C1'
	scr_keys Tab
	if scr_wait 5 '^Filter: Kitchen qRX2\?C1_'; then
		ok "$loc: q R X 2 ? C 1 Tab typed into the filter"
	else
		not_ok "$loc: global keys typed into the filter" "$(scr_cap)"
	fi
	s=$(scr_cap)
	unlike "$s" 'EXIT=' "$loc: q did not quit"
	unlike "$s" 'Keys \(' "$loc: ? opened no help"
	unlike "$s" 'recording|snapshot' "$loc: R and X did not record"
	like "$s" 'Bus/addr' "$loc: 2 and 1 did not switch screens"
	scr_keys BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace Enter
	scr_expect 5 'Filter: "Kitchen": 1 of 2 meters' "$loc: Enter applies the filter"
	unlike "$(scr_body)" 'Lift motor' "$loc: the filter hides Lift motor"
	scr_keys Escape
	scr_body_expect 5 'Lift motor +line/2' "$loc: Esc clears the filter"

	# the Meter screen's CS entry: C is a letter of the CS
	scr_keys 2 c
	scr_wait 5 'CS shown on the meter: _' || not_ok "$loc: c opens the CS entry" "$(scr_cap)"
	scr_keys -l '176C 176'
	scr_expect 5 'CS shown on the meter: 176C 176_' "$loc: the CS entry reads 176C 176"
	unlike "$(scr_cap)" 'Guarded write|writes are off' "$loc: C asked for no clock write"
	scr_keys Enter
	scr_expect 5 'noted as "176C 176"' "$loc: the CS is stored as typed"
	scr_expect 5 '\| +176C 176 +\||│ +176C 176 +│' "$loc: the CS page shows 176C 176"
	scr_keys q
	scr_wait 10 'EXIT=0' || not_ok "$loc: q quits once the prompt is closed" "$(scr_cap)"

	# writes = on: "Lift" in the filter opens no tariff question
	scr_start 80 24 "$loc" -c "$T_TMP/on.ini"
	scr_body_wait 20 'Lift motor +line/2 +ok' || not_ok "$loc: up (writes on)" "$(scr_cap)"
	scr_keys / 
	scr_keys -l Lift
	scr_expect 5 '^Filter: Lift_' "$loc, writes on: the filter reads Lift"
	unlike "$(scr_cap)" 'Guarded write|Select the tariff' "$loc, writes on: no tariff question"
	scr_keys Enter
	scr_expect 5 'Filter: "Lift": 1 of 2 meters' "$loc, writes on: Enter applies it"
	# outside the prompt, t is the tariff key again
	scr_keys t
	scr_expect 5 'Select the tariff of Lift motor' "$loc, writes on: t outside a prompt asks for the tariff"
	scr_keys Escape
	scr_expect 5 'write cancelled: nothing was sent' "$loc, writes on: Esc cancels it"
	scr_keys q
	scr_wait 10 'EXIT=0' && ok "$loc: q" || not_ok "$loc: q" "$(scr_cap)"
done
done_testing
