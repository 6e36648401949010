#!/bin/sh
# tests/screen/exit.sh: the terminal is given back whatever ends the console
# (issue 4): q, SIGINT, SIGTERM, SIGHUP (an SSH drop) and SIGSEGV (a fatal
# signal). After each, in the same tmux pane: the exit status, the
# alternate screen left, the cursor visible, keypad mode off, the termios
# back to canonical mode with echo, and a shell that runs what is typed.
# And when the terminal itself goes away, the console exits.
. "$(dirname "$0")/../sh/lib.sh"
. "$(dirname "$0")/lib-screen.sh"

scr_sim --units 1 || { not_ok "simulator up"; done_testing; exit 1; }
scr_config "$T_TMP/exit.ini" "m:1:Exit meter"

fmt() { scr_tmux display-message -p "$1"; }

for way in q INT TERM HUP SEGV; do
	case $way in
	q) want=0 ;; INT) want=130 ;; TERM) want=143 ;; HUP) want=129 ;;
	SEGV) want=139 ;;
	esac
	scr_start 100 30 C.UTF-8 -c "$T_TMP/exit.ini"
	if ! scr_wait 20 'Exit meter +line/1'; then
		not_ok "$way: console up" "$(scr_cap)"
		continue
	fi
	is "$(fmt '#{alternate_on}')" 1 "$way: the console runs on the alternate screen"
	pid=$(scr_pid)
	if [ "$way" = q ]; then
		scr_keys q
	else
		kill -"$way" "$pid"
	fi
	if scr_wait 15 "EXIT=$want\$"; then ok "$way: exit status $want"
	else not_ok "$way: exit status $want" "$(scr_cap)"; fi
	wait_for 10 test -s "$T_TMP/stty.out"
	is "$(fmt '#{alternate_on}')" 0 "$way: alternate screen left"
	is "$(fmt '#{cursor_flag}')" 1 "$way: cursor visible"
	is "$(fmt '#{keypad_cursor_flag}')" 0 "$way: cursor keys back in normal mode"
	st=$(cat "$T_TMP/stty.out")
	like "$st" '(^| )icanon( |$)' "$way: canonical input restored"
	like "$st" '(^| )echo( |$)' "$way: echo restored"
	unlike "$(scr_cap)" 'Bus/addr' "$way: the console's screen is gone"
	kill -0 "$pid" 2>/dev/null && not_ok "$way: console process gone" || ok "$way: console process gone"
	scr_keys 'echo us$((6*7))able' Enter
	if scr_wait 10 '^us42able$'; then ok "$way: the shell runs what is typed"
	else not_ok "$way: the shell runs what is typed" "$(scr_cap)"; fi
	like "$(scr_cap)" 'echo us\$\(\(6\*7\)\)able' "$way: typed text is echoed"
done

# The terminal goes away for good (tmux server killed: the pane's pty is
# closed and the console gets SIGHUP): it exits, it does not spin.
scr_start 100 30 C.UTF-8 -c "$T_TMP/exit.ini"
scr_wait 20 'Exit meter +line/1' || not_ok "hangup: console up" "$(scr_cap)"
pid=$(scr_pid)
scr_tmux kill-server
gone() { ! kill -0 "$pid" 2>/dev/null; }
if wait_for 10 gone; then ok "terminal closed: the console exits"
else not_ok "terminal closed: the console exits" "$(ps -o pid,stat,pcpu,cmd -p "$pid")"; kill -9 "$pid"; fi
done_testing
