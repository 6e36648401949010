#!/bin/sh
# tests/sh/theme-color.sh: colour and attributes on a real terminal (tmux,
# capture-pane -e), issue 4: the default theme colours the screen; NO_COLOR,
# --no-color and the mono theme draw with attributes only and still show
# the title, the cursor row and failed states; high-contrast uses bright
# colours on a 256-colour terminal.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../screen/lib-screen.sh"

scr_sim --units 1-2 --fault 2:dead || { not_ok "simulator up"; done_testing; exit 1; }
scr_config "$T_TMP/c.ini" "one:1:Colour one" "two:2:Colour two"
E=$(printf '\033')
COLOUR="$E\[([0-9;]*;)?(3[0-7]|4[0-7]|9[0-7]|10[0-7]|[34]8;5;[0-9]+)(;[0-9;]*)?m"
BRIGHT="$E\[([0-9;]*;)?(9[0-7]|10[0-7]|[34]8;5;(9|1[0-5]))(;[0-9;]*)?m"
REVERSE="$E\[([0-9;]*;)?7(;[0-9;]*)?m"
ecap() { scr_tmux capture-pane -p -e; }
ecap_failed() {
	ecap >"$T_TMP/$1.esc"
	grep 'Colour two' "$T_TMP/$1.esc" | grep -Eq '(timeout|offline)'
}

run() {	# run TAG ARGS...: start, wait for both rows, capture with escapes
	_tag=$1; shift
	scr_start 100 30 C.UTF-8 -c "$T_TMP/c.ini" "$@"
	# one capture with escapes that shows the failed state (the row is
	# judged from the same capture it was found in)
	wait_for 20 ecap_failed "$_tag" || not_ok "$_tag: up" "$(scr_cap)"
	scr_keys q
	scr_wait 10 'EXIT=0' || not_ok "$_tag: q" "$(scr_cap)"
}

run default
like "$(head -1 "$T_TMP/default.esc")" "$COLOUR" "default theme: the title line is coloured"
like "$(grep 'Colour two' "$T_TMP/default.esc")" "$COLOUR" "default theme: the failed state is coloured"

SCR_ENV="NO_COLOR=1" run nocolor_env
SCR_ENV=""
unlike "$(cat "$T_TMP/nocolor_env.esc")" "$COLOUR" "NO_COLOR: no colour anywhere"
like "$(head -1 "$T_TMP/nocolor_env.esc")" "$REVERSE" "NO_COLOR: the title in reverse video"
like "$(grep '> Colour one' "$T_TMP/nocolor_env.esc")" "^$REVERSE($E\[[0-9;]*m)*> Colour one" \
    "NO_COLOR: the cursor row in reverse video"
like "$(grep 'Colour two' "$T_TMP/nocolor_env.esc")" "$E\[([0-9;]*;)?(1|4)(;[0-9;]*)?m(timeout|offline)" \
    "NO_COLOR: a failed state still stands out (bold/underline)"

run nocolor_opt --no-color
unlike "$(cat "$T_TMP/nocolor_opt.esc")" "$COLOUR" "--no-color: no colour anywhere"
like "$(head -1 "$T_TMP/nocolor_opt.esc")" "$REVERSE" "--no-color: the title in reverse video"

run mono --theme mono
unlike "$(cat "$T_TMP/mono.esc")" "$COLOUR" "mono theme: no colour anywhere"
like "$(head -1 "$T_TMP/mono.esc")" "$REVERSE" "mono theme: the title in reverse video"

SCR_ENV="TERM=screen-256color" run hc --theme high-contrast
SCR_ENV=""
like "$(cat "$T_TMP/hc.esc")" "$BRIGHT" "high-contrast on 256 colours: bright colours"
done_testing
