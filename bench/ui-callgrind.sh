#!/bin/sh
# bench/ui-callgrind.sh: instructions per redraw of each screen, counted by
# callgrind inside the ev_prepare callback only (--toggle-collect; it calls
# the redraw, which the compiler inlines), with 10 meters polled
# at 1 s; each screen is shown for SECONDS (default 15) at 100x30.
. "$(dirname "$0")/ui-lib.sh"
command -v valgrind >/dev/null || { echo "bench: needs valgrind" >&2; exit 1; }
SECS=${SECS:-15}

u_sim "$U_TMP/line" --units 1-10 || { echo "no simulator" >&2; exit 1; }
{
	printf '[console]\nrefresh_ms = 1000\n\n'
	u_bus line "$U_TMP/line" 300
	for a in 1 2 3 4 5 6 7 8 9 10; do u_meter "m$a" line "$a" 1000; done
} >"$U_TMP/cg.ini"
for s in 1 2 3 6; do
	out="$U_TMP/cg.$s"
	: >"$U_TMP/tui.log"
	: >"$U_TMP/tmux.conf"
	u_wait 20 tmux -L "$U_SOCK" -f "$U_TMP/tmux.conf" new-session -d -x 100 -y 30 \
	    "env LC_ALL=C.UTF-8 valgrind --tool=callgrind --toggle-collect=ui_prepare_cb \
	    --callgrind-out-file=$out $TUI -c $U_TMP/cg.ini --log $U_TMP/tui.log; sleep 600"
	u_wait 60 u_has 'm10 +line/10 +ok' || { echo "console not up" >&2; u_cap; exit 1; }
	tmux -L "$U_SOCK" send-keys "$s"
	sleep "$SECS"
	kill -INT "$(u_pid)" 2>/dev/null
	pv=$(pgrep -P "$(tmux -L "$U_SOCK" display-message -p '#{pane_pid}')")
	u_wait 30 grep -q 'stop: exit' "$U_TMP/tui.log"
	u_wait 30 test -s "$out"
	while [ -n "$pv" ] && kill -0 "$pv" 2>/dev/null; do sleep 0.2; done
	ir=$(sed -n 's/^summary: *\([0-9]*\).*/\1/p; s/^totals: *\([0-9]*\).*/\1/p' "$out" | head -1)
	n=$(sed -n 's/.*after \([0-9]*\) redraws/\1/p' "$U_TMP/tui.log")
	echo "screen $s: $n redraws, $ir instructions in ui_redraw: $((ir / (n > 0 ? n : 1))) per redraw"
	tmux -L "$U_SOCK" kill-server 2>/dev/null
done
