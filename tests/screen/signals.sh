#!/bin/sh
# tests/screen/signals.sh: every signal whose default action ends the
# process gives the terminal back first (issue 8): SIGQUIT (^\), SIGUSR1,
# SIGALRM and the rest of signal(7)'s Term and Core list, the real-time
# signals included. SIGINT, SIGTERM, SIGHUP and SIGSEGV are in exit.sh.
# After each, in the same tmux pane: the exit status says the signal, the
# alternate screen is left, the cursor is visible, the termios is back to
# canonical mode with echo. And --demo, ended by SIGQUIT or SIGUSR1, stops
# its simulator and removes its temporary directory.
. "$(dirname "$0")/../sh/lib.sh"
. "$(dirname "$0")/lib-screen.sh"

scr_sim --units 1 || { not_ok "simulator up"; done_testing; exit 1; }
scr_config "$T_TMP/sig.ini" "m:1:Signal meter"

fmt() { scr_tmux display-message -p "$1"; }
# signum NAME: the number of SIGNAME here (python: the real-time ones too)
signum() { "$PYTHON" -c "import signal, sys; print(int(getattr(signal, 'SIG' + sys.argv[1])))" "$1"; }
# send NAME PID: the signal by pid, any signal name python knows
send() { "$PYTHON" -c "import os, signal, sys; os.kill(int(sys.argv[2]), getattr(signal, 'SIG' + sys.argv[1]))" "$1" "$2"; }

for sig in QUIT USR1 ALRM USR2 VTALRM PROF XCPU XFSZ IO PWR SYS TRAP STKFLT RTMIN RTMAX; do
	want=$((128 + $(signum "$sig")))
	scr_start 100 30 C.UTF-8 -c "$T_TMP/sig.ini"
	if ! scr_wait 20 'Signal meter +line/1'; then
		not_ok "$sig: console up" "$(scr_cap)"
		continue
	fi
	pid=$(scr_pid)
	send "$sig" "$pid"
	if scr_wait 15 "EXIT=$want\$"; then ok "$sig: exit status $want"
	else not_ok "$sig: exit status $want" "$(scr_cap)"; fi
	wait_for 10 test -s "$T_TMP/stty.out"
	is "$(fmt '#{alternate_on}')" 0 "$sig: alternate screen left"
	is "$(fmt '#{cursor_flag}')" 1 "$sig: cursor visible"
	st=$(cat "$T_TMP/stty.out")
	like "$st" '(^| )icanon( |$)' "$sig: canonical input restored"
	like "$st" '(^| )echo( |$)' "$sig: echo restored"
done

# --demo: the simulator stopped, the temporary directory removed
mkdir -p "$T_TMP/tmp"
SCR_ENV="TMPDIR=$T_TMP/tmp"
leftovers() { ls "$T_TMP/tmp"; }
nothing_left() { [ -z "$(leftovers)" ]; }
for sig in QUIT USR1; do
	want=$((128 + $(signum "$sig")))
	scr_start 100 30 C.UTF-8 --demo
	if scr_body_wait 30 'Offices +demo/6'; then ok "--demo $sig: up"
	else not_ok "--demo $sig: up" "$(scr_cap)"; continue; fi
	tui=$(scr_pid)
	sim=$(proc_child "$tui")
	[ -n "$sim" ] && ok "--demo $sig: the simulator runs as a child ($sim)" ||
	    not_ok "--demo $sig: the simulator runs as a child"
	like "$(leftovers)" '^countis-demo\.' "--demo $sig: a temporary directory while it runs"
	send "$sig" "$tui"
	scr_wait 15 "EXIT=$want\$" && ok "--demo $sig: exit $want" ||
	    not_ok "--demo $sig: exit $want" "$(scr_cap)"
	if [ -n "$sim" ] && wait_for 10 scr_gone "$sim"; then ok "--demo $sig: the simulator is stopped"
	else not_ok "--demo $sig: the simulator is stopped"; [ -n "$sim" ] && kill "$sim"; fi
	wait_for 10 nothing_left && ok "--demo $sig: the temporary directory is removed" ||
	    not_ok "--demo $sig: the temporary directory is removed" "$(ls -la "$T_TMP"/tmp/*)"
	rm -rf "$T_TMP"/tmp/*
	is "$(fmt '#{alternate_on}')" 0 "--demo $sig: alternate screen left"
	wait_for 10 test -s "$T_TMP/stty.out"
	like "$(cat "$T_TMP/stty.out")" '(^| )icanon( |$)' "--demo $sig: canonical input restored"
done
done_testing
