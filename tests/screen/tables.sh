#!/bin/sh
# tests/screen/tables.sh: the screens and the keys come from the tables
# (issue 9). The help lists exactly the screens of the table in
# src/ui/ui-screens.c, in its order, each with its number key, and says
# "1 .. N" for them; each number key shows its screen; the overlays' keys
# (R X t C ? i) are listed. i identifies the selected meter again on Fleet,
# Meter and Commissioning. At 80 columns a status-line message is not cut
# for the meter counts (they give way).
. "$(dirname "$0")/../sh/lib.sh"
. "$(dirname "$0")/lib-screen.sh"

scr_sim --units 1 || { not_ok "simulator up"; done_testing; exit 1; }
scr_config "$T_TMP/t.ini" "k:1:Kitchen lights" "g:9:Gone meter"
sed "s#^\[console\]\$#[console]\nexport_dir = $T_TMP#" "$T_TMP/t.ini" >"$T_TMP/te.ini"

# The table: the screen names between "#define UI_SCREENS(X)" and the end
# of the macro, and each one's title from its file.
names=$(sed -n '/^#define UI_SCREENS(X)/,/^$/s/^[[:space:]]*X(\([a-z]*\)).*/\1/p' \
    "$SRCDIR/src/ui/ui-screens.c")
n=$(echo "$names" | wc -l)
[ "$n" -ge 6 ] && ok "the table lists $n screens" || not_ok "the table lists the screens" "$names"
title_of() { sed -n 's/^[[:space:]]*\.title = "\(.*\)",$/\1/p' "$SRCDIR/src/ui/screen-$1.c" | head -1; }

scr_start 100 120 C.UTF-8 -c "$T_TMP/te.ini"
scr_body_wait 20 'Kitchen lights +line/1 +ok' || not_ok "up" "$(scr_cap)"

# Each number key shows its screen (the top line names the current one).
i=1
for s in $names; do
	t=$(title_of "$s")
	scr_keys "$i"
	if wait_for 5 sh -c "tmux -L $SCR_SOCK capture-pane -p | head -1 | grep -q ' $i $t '"; then
		ok "key $i shows $t"
	else
		not_ok "key $i shows $t" "$(scr_cap | head -1)"
	fi
	i=$((i + 1))
done

# The help, from screen 1: its own heading first, then Everywhere, then
# the other screens in the table's order.
scr_keys 1 '?'
scr_wait 5 'Keys \(' || not_ok "? opens the help" "$(scr_cap)"
got=$(scr_cap | sed -n 's/.*[|│] \([^|│]* (key [0-9]*)\) .*/\1/p')
want=$(i=1; for s in $names; do echo "$(title_of "$s") (key $i)"; i=$((i + 1)); done)
is "$got" "$want" "the help lists exactly the table's screens, in order, with their keys"
like "$(scr_cap)" "[|│] 1 \\.\\. $n +show that screen" "the help says 1 .. $n"
s=$(scr_cap)
for k in 'R +start / stop recording' 'X +snapshot' 't +set the selected' \
    'C +set its clock' '\? +F1 +this help' 'i +identify the selected meter again'; do
	like "$s" "[|│] $k" "the help lists the overlay key: $k"
done
scr_keys Escape
wait_for 5 sh -c "! tmux -L $SCR_SOCK capture-pane -p | grep -q 'Keys ('" ||
    not_ok "Esc closes the help" "$(scr_cap)"

# i: identify again, on Fleet, Meter and Commissioning
for k in 1 2 5; do
	scr_keys "$k"
	sleep 0.2
	scr_keys i
	if scr_wait 5 'identifying Kitchen lights \(line/1\) again'; then
		ok "screen $k: i identifies the selected meter again"
	else
		not_ok "screen $k: i identifies the selected meter again" "$(scr_cap | tail -1)"
	fi
	scr_keys C-l
	wait_for 8 sh -c "! tmux -L $SCR_SOCK capture-pane -p | grep -q 'identifying Kitchen'"
done
scr_keys q
scr_wait 10 'EXIT=0' || not_ok "q quits" "$(scr_cap)"

# 80 columns: the message wins over the meter counts.
scr_start 80 24 C.UTF-8 -c "$T_TMP/te.ini"
scr_body_wait 20 'Kitchen lights +line/1 +ok' || not_ok "80x24 up" "$(scr_cap)"
scr_wait 20 '2 meters: 1 ok, 1 failing' || not_ok "the counts show" "$(scr_cap | tail -1)"
scr_keys R
if scr_wait 5 "recording to record-[0-9]{8}T[0-9]{6}Z\\.csv in $T_TMP( |\$)"; then
	ok "80 columns: the whole message shows"
else
	not_ok "80 columns: the whole message shows" "$(scr_cap | tail -1)"
fi
scr_keys R
scr_wait 5 'recording stopped' || not_ok "R stops" "$(scr_cap | tail -1)"
scr_keys q
scr_wait 10 'EXIT=0' || not_ok "q quits" "$(scr_cap)"
done_testing
