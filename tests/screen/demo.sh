#!/bin/sh
# tests/screen/demo.sh: countis-tui --demo needs no configuration and no
# hardware (issue 4): it starts countis-sim on a pty in a private temporary
# directory, shows six meters (one dead, one foreign, a reversed CT, a V-N
# swap), and on q, SIGTERM or SIGSEGV stops the simulator and leaves no
# temporary directory behind.
. "$(dirname "$0")/../sh/lib.sh"
. "$(dirname "$0")/lib-screen.sh"

mkdir -p "$T_TMP/tmp"
SCR_ENV="TMPDIR=$T_TMP/tmp"
leftovers() { ls "$T_TMP/tmp"; }

for way in q TERM SEGV; do
	scr_start 100 30 C.UTF-8 --demo
	if scr_body_wait 30 'Offices +demo/6 +ok'; then ok "$way: --demo shows its meters"
	else not_ok "$way: --demo shows its meters" "$(scr_cap)"; continue; fi
	tui=$(scr_pid)
	sim=$(pgrep -P "$tui" | head -1)
	[ -n "$sim" ] && ok "$way: the simulator runs as a child ($sim)" ||
	    not_ok "$way: the simulator runs as a child"
	like "$(leftovers)" '^countis-demo\.' "$way: a private temporary directory while it runs"
	if [ "$way" = q ]; then
		scr_body_wait 20 'Workshop \(not answering\) +demo/3 +(timeout|offline)' &&
		    ok "dead unit: timeout" || not_ok "dead unit: timeout" "$(scr_cap)"
		scr_body_wait 20 'Address 4 \(other device\) +demo/4 +foreign' &&
		    ok "foreign unit" || not_ok "foreign unit" "$(scr_cap)"
		scr_keys Down 2
		scr_wait 20 'Err 2  inverted connection of phase 2' &&
		    ok "Kitchen: Err 2 (reversed CT)" || not_ok "Kitchen: Err 2" "$(scr_cap)"
		scr_keys ']' ']' ']'
		scr_wait 20 'Err 9  voltage inversion between V3' &&
		    ok "Lab: Err 9 (V3-N swap)" || not_ok "Lab: Err 9" "$(scr_cap)"
		scr_keys q
		want=0
	else
		kill -"$way" "$tui"
		[ "$way" = TERM ] && want=143 || want=139
	fi
	scr_wait 15 "EXIT=$want\$" && ok "$way: exit $want" || not_ok "$way: exit $want" "$(scr_cap)"
	gone() { ! kill -0 "$sim" 2>/dev/null; }
	wait_for 10 gone && ok "$way: the simulator is stopped" ||
	    { not_ok "$way: the simulator is stopped"; kill "$sim"; }
	nothing_left() { [ -z "$(leftovers)" ]; }
	wait_for 10 nothing_left && ok "$way: the temporary directory is removed" ||
	    not_ok "$way: the temporary directory is removed" "$(ls -la "$T_TMP"/tmp/*)"
	rm -rf "$T_TMP"/tmp/*
	is "$(scr_tmux display-message -p '#{alternate_on}')" 0 "$way: terminal back to normal"
done
done_testing
