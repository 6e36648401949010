#!/bin/sh
# tests/screen/sizes.sh: every screen at 80x24 and 160x50, in the C locale
# and in C.UTF-8 (issue 4): each shows its own content and the selected
# meter, fills exactly the terminal (no line wider, no line missing), the C
# locale gets printable ASCII only, UTF-8 gets its glyphs; keys 4 and 5
# reach the load curve and commissioning; Tab cycles the screens in key
# order; F1 shows the keys.
# Issue 13: the same at 80x23 (80x24 inside tmux with its status line) and
# 80x22 (items 10); the help overlay scrolls: at every size the last lines
# of Fleet's help, "q quit" included, are reached with Down, End shows the
# end, Home the start, and the frame says "more" where lines are hidden
# (item 12).
. "$(dirname "$0")/../sh/lib.sh"
. "$(dirname "$0")/lib-screen.sh"

scr_sim --units 1-2 --fault 2:reversed=1 || { not_ok "simulator up"; done_testing; exit 1; }
scr_config "$T_TMP/z.ini" "one:1:Size one" "two:2:Size two"

check_frame() {	# check_frame TAG W H LOCALE
	_s=$(scr_cap)
	_cw=$(printf '%s\n' "$_s" | LC_ALL=C.UTF-8 wc -L | tr -d ' ')
	[ "$_cw" -le "$2" ] && ok "$1: no line wider than $2" ||
	    not_ok "$1: no line wider than $2" "widest: $_cw columns"
	is "$(printf '%s\n' "$_s" | wc -l | tr -d ' ')" "$3" "$1: $3 lines"
	like "$(printf '%s\n' "$_s" | tail -1)" 'meters?: [0-9]+ ok' "$1: status line at the bottom"
	if [ "$4" = C ]; then
		unlike "$_s" '[^ -~]' "$1: printable ASCII only"
	fi
}

# the help's "more below (N of M lines)": N, empty when nothing is below
help_below() { scr_cap | sed -n 's/.*more below (\([0-9]*\) of [0-9]* lines).*/\1/p'; }
help_moved() { [ "$(help_below)" != "$_hb" ]; }
# help_down_to REGEX: Down until REGEX shows or nothing is below
help_down_to() {
	_n=0
	while ! scr_has "$1" && [ $_n -lt 80 ]; do
		_hb=$(help_below)
		[ -n "$_hb" ] || break
		scr_keys Down
		wait_for 5 help_moved || break
		_n=$((_n + 1))
	done
	scr_has "$1"
}
HELP_TITLE='Keys \((any key closes this help|arrows, PgUp/PgDn scroll; other keys close)\)'

for geo in 80x24 80x23 80x22 160x50; do
	w=${geo%x*}; h=${geo#*x}
	for loc in C C.UTF-8; do
		tag="$geo $loc"
		scr_start "$w" "$h" "$loc" -c "$T_TMP/z.ini"
		scr_body_wait 20 'Size two +line/2 +ok Err1 +[0-9]' || not_ok "$tag: up" "$(scr_cap)"
		check_frame "$tag fleet" "$w" "$h" "$loc"
		scr_keys Down 2
		if scr_wait 20 'Err 1  inverted connection of phase 1'; then
			ok "$tag meter: the selected meter (Err 1)"
		else
			not_ok "$tag meter: the selected meter (Err 1)" "$(scr_cap)"
		fi
		like "$(scr_cap)" '^ Size two +line/2' "$tag meter: header names it"
		check_frame "$tag meter" "$w" "$h" "$loc"
		if [ "$h" -ge 50 ]; then
			if [ "$loc" = C ]; then unlike "$(scr_cap)" '█' "$tag meter: no UTF-8 blocks"
			else scr_expect 20 '█' "$tag meter: big digits"; fi
		else
			# live: the energy may not be read yet (a failed cycle)
			scr_expect 20 '(\||│) +[0-9]+\.[0-9]{2} kWh +(\||│)' "$tag meter: plain digits"
		fi
		scr_keys 3
		scr_wait 10 '^ V1 +[0-9]+\.[0-9]{2} V' && ok "$tag measurements: V1" ||
		    not_ok "$tag measurements: V1" "$(scr_cap)"
		like "$(scr_cap)" '^ Size two ' "$tag measurements: the selected meter"
		check_frame "$tag measurements" "$w" "$h" "$loc"
		scr_keys 6
		scr_wait 10 '^Bus line: connected' && ok "$tag bus" || not_ok "$tag bus" "$(scr_cap)"
		check_frame "$tag bus" "$w" "$h" "$loc"
		scr_keys 4
		scr_wait 5 '^ .* 4 Load curve ' && ok "$tag: key 4, the load curve" ||
		    not_ok "$tag: key 4, the load curve" "$(scr_cap)"
		check_frame "$tag load curve" "$w" "$h" "$loc"
		scr_keys 5
		scr_wait 5 '^ .* 5 Commissioning ' && ok "$tag: key 5, commissioning" ||
		    not_ok "$tag: key 5, commissioning" "$(scr_cap)"
		check_frame "$tag commissioning" "$w" "$h" "$loc"
		scr_keys 6
		scr_wait 5 '^Bus line: connected' || not_ok "$tag: back to 6" "$(scr_cap)"
		scr_keys Tab
		scr_wait 5 'Bus/addr' && ok "$tag: Tab from Bus wraps to Fleet" ||
		    not_ok "$tag: Tab from Bus wraps to Fleet" "$(scr_cap)"
		scr_keys Tab
		scr_wait 5 'Pages: ' && ok "$tag: Tab from Fleet goes to Meter" ||
		    not_ok "$tag: Tab goes to Meter" "$(scr_cap)"
		scr_keys F1
		scr_wait 5 "$HELP_TITLE" && ok "$tag: F1 opens the help" ||
		    not_ok "$tag: F1 opens the help" "$(scr_cap)"
		like "$(scr_cap)" 'Space Right l +next page' "$tag help: the screen's own keys"
		check_frame "$tag help" "$w" "$h" "$loc"
		help_down_to '[|│] q +quit ' && ok "$tag help: the global keys (q quit) reached" ||
		    not_ok "$tag help: the global keys (q quit) reached" "$(scr_cap)"
		scr_keys x
		wait_for 5 sh -c "! tmux -L $SCR_SOCK capture-pane -p | grep -q 'Keys ('" &&
		    ok "$tag: any other key closes the help" || not_ok "$tag: any other key closes the help" "$(scr_cap)"

		# Fleet's help: its own keys, then everywhere's, down to q quit
		scr_keys 1 '?'
		scr_wait 5 'Fleet \(key 1\)' || not_ok "$tag: Fleet's help" "$(scr_cap)"
		if [ "$h" -lt 50 ]; then
			like "$(scr_cap)" 'more below \([0-9]+ of [0-9]+ lines\): Down PgDn End' \
			    "$tag Fleet help: says more is below"
			unlike "$(scr_cap)" 'more above' "$tag Fleet help: nothing above at the start"
		fi
		if help_down_to '[|│] q +quit '; then
			ok "$tag Fleet help: Down reaches q quit"
		else
			not_ok "$tag Fleet help: Down reaches q quit" "$(scr_cap)"
		fi
		like "$(scr_cap)" '\^L +repaint the terminal' "$tag Fleet help: the line before q quit too"
		check_frame "$tag Fleet help scrolled" "$w" "$h" "$loc"
		scr_keys End
		wait_for 5 sh -c "! tmux -L $SCR_SOCK capture-pane -p | grep -q 'more below'" &&
		    ok "$tag Fleet help: End shows the last line" ||
		    not_ok "$tag Fleet help: End shows the last line" "$(scr_cap)"
		[ "$h" -lt 50 ] && like "$(scr_cap)" 'more above' "$tag Fleet help: End: more above"
		scr_keys Home
		scr_wait 5 'Fleet \(key 1\)' && ok "$tag Fleet help: Home back to the start" ||
		    not_ok "$tag Fleet help: Home back to the start" "$(scr_cap)"
		scr_keys PPage NPage
		scr_keys Escape
		wait_for 5 sh -c "! tmux -L $SCR_SOCK capture-pane -p | grep -q 'Keys ('" ||
		    not_ok "$tag: Esc closes the help" "$(scr_cap)"
		scr_body_wait 5 'Size two +line/2' || not_ok "$tag: Fleet after the help" "$(scr_cap)"
		scr_keys q
		scr_wait 10 'EXIT=0' || not_ok "$tag: q" "$(scr_cap)"
	done
done
done_testing
