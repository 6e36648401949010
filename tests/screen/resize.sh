#!/bin/sh
# tests/screen/resize.sh: resizing the terminal redraws the layout (issue 4):
# from 100x30 bigger (160x50: the status line moves to the new bottom, the
# LCD gets big digits), smaller (80x24: plain digits, nothing wider), down
# to 80x22 (issue 13: 80x24 inside tmux is 80x23), below that a clear
# "terminal too small" message, and back again, on the Fleet and the Meter
# screens.
. "$(dirname "$0")/../sh/lib.sh"
. "$(dirname "$0")/lib-screen.sh"

scr_sim --units 1 || { not_ok "simulator up"; done_testing; exit 1; }
scr_config "$T_TMP/r.ini" "one:1:Resized one"
scr_start 100 30 C.UTF-8 -c "$T_TMP/r.ini"
scr_body_wait 20 'Resized one +line/1 +ok +[0-9]' || not_ok "up" "$(scr_cap)"

size() { scr_tmux resize-window -x "$1" -y "$2"; }
lines() { scr_cap | wc -l | tr -d ' '; }
widest() { scr_cap | LC_ALL=C.UTF-8 wc -L | tr -d ' '; }
bottom_is_status() { scr_cap | tail -1 | grep -Eq 'meters?: 1 ok'; }

size 160 50
wait_for 10 bottom_is_status && [ "$(lines)" = 50 ] &&
    ok "160x50: 50 lines, the status line at the new bottom" ||
    not_ok "160x50: status line at the new bottom" "$(scr_cap)"
like "$(scr_cap | head -1)" 'countis-tui +1 Fleet' "160x50: the top line redrawn"
scr_keys 2
scr_wait 10 '█' && ok "160x50: the LCD has room for big digits" ||
    not_ok "160x50: big digits" "$(scr_cap)"

size 80 24
wait_for 10 bottom_is_status && [ "$(lines)" = 24 ] &&
    ok "80x24: 24 lines, status at the bottom" ||
    not_ok "80x24: status at the bottom" "$(scr_cap)"
scr_wait 10 '│ +[0-9]+\.[0-9]{2} kWh +│' && ok "80x24: plain digits" ||
    not_ok "80x24: plain digits" "$(scr_cap)"
unlike "$(scr_cap)" '█' "80x24: no big digits left behind"
[ "$(widest)" -le 80 ] && ok "80x24: nothing wider than the terminal" || not_ok "80x24: nothing wider" "$(widest)"

for hh in 23 22; do
	size 80 $hh
	wait_for 10 bottom_is_status && [ "$(lines)" = $hh ] &&
	    ok "80x$hh: $hh lines, status at the bottom" ||
	    not_ok "80x$hh: status at the bottom" "$(scr_cap)"
	scr_wait 10 '│ +[0-9]+\.[0-9]{2} kWh +│' && ok "80x$hh: the Meter screen, plain digits" ||
	    not_ok "80x$hh: plain digits" "$(scr_cap)"
	unlike "$(scr_cap)" 'too small' "80x$hh: not too small"
	[ "$(widest)" -le 80 ] && ok "80x$hh: nothing wider than the terminal" ||
	    not_ok "80x$hh: nothing wider" "$(widest)"
done

size 79 24
if scr_wait 10 'terminal too small: 79x24'; then ok "79x24: says the terminal is too small"
else not_ok "79x24: too small" "$(scr_cap)"; fi
like "$(scr_cap)" 'needs 80x22' "and what it needs"
unlike "$(scr_cap)" 'Pages:' "no half-drawn screen below 80 columns"
size 100 21
scr_wait 10 'terminal too small: 100x21' && ok "100x21: too small as well" ||
    not_ok "100x21: too small" "$(scr_cap)"
unlike "$(scr_cap)" 'Pages:' "no half-drawn screen below 22 rows"

size 120 40
if scr_wait 10 'Pages: ' && wait_for 10 bottom_is_status; then ok "120x40: the Meter screen is back"
else not_ok "120x40: the Meter screen is back" "$(scr_cap)"; fi
unlike "$(scr_cap)" 'too small' "the message is gone"
[ "$(lines)" = 40 ] && ok "120x40: 40 lines" || not_ok "120x40: 40 lines" "$(lines)"
scr_keys 1
scr_body_wait 10 'Resized one +line/1' && ok "Fleet after the resizes" ||
    not_ok "Fleet after the resizes" "$(scr_cap)"
scr_keys q
scr_wait 10 'EXIT=0' && ok "q" || not_ok "q" "$(scr_cap)"
done_testing
