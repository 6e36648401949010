#!/bin/sh
# bench/ui-cpu.sh: CPU of the console (all its threads: the view and the
# poll engine) with 10 healthy meters at a 1 s refresh, over SECONDS
# (default 60) after a 5 s warm-up, from utime+stime in /proc/PID/stat,
# for the whole process and for its main thread (event loop and view) on
# its own; SCREEN (default 1) is shown, refresh_ms = 1000. Target: under 1%
# of a core.
. "$(dirname "$0")/ui-lib.sh"
SECONDS_RUN=${SECONDS_RUN:-60}
SCREEN=${SCREEN:-1}

u_sim "$U_TMP/line" --units 1-10 || { echo "no simulator" >&2; exit 1; }
{
	printf '[console]\nrefresh_ms = 1000\n\n'
	u_bus line "$U_TMP/line" 200
	for a in 1 2 3 4 5 6 7 8 9 10; do u_meter "m$a" line "$a" 1000; done
} >"$U_TMP/cpu.ini"
u_console 100 30 -c "$U_TMP/cpu.ini" --log "$U_TMP/tui.log"
u_wait 20 u_has 'm10 +line/10 +ok' || { echo "console not up" >&2; u_cap; exit 1; }
pid=$(u_pid)
tmux -L "$U_SOCK" send-keys "$SCREEN"
sleep 5		# warm-up: identification and the first cycles
ticks() { awk '{ print $14 + $15 }' "$1"; }
hz=$(getconf CLK_TCK)
c0=$(ticks "/proc/$pid/stat"); m0=$(ticks "/proc/$pid/task/$pid/stat"); t0=$(u_ms)
sleep "$SECONDS_RUN"
c1=$(ticks "/proc/$pid/stat"); m1=$(ticks "/proc/$pid/task/$pid/stat"); t1=$(u_ms)
kill -INT "$pid"
u_wait 10 grep -q 'stop: exit' "$U_TMP/tui.log"
redraws=$(sed -n 's/.*after \([0-9]*\) redraws/\1/p' "$U_TMP/tui.log")
# The main thread runs the event loop and the view; the others are the
# engine's bus workers.
awk -v c=$((c1 - c0)) -v m=$((m1 - m0)) -v hz="$hz" -v ms=$((t1 - t0)) \
    -v r="$redraws" -v s="$SCREEN" 'BEGIN { secs = ms / 1000
    printf "ui-cpu: 10 meters at 1 s, screen %s, %.1f s (%d redraws in the run)\n", s, secs, r
    printf "  whole process: %d ticks = %.2f%% of one core\n", c, 100 * c / hz / secs
    printf "  main thread (event loop + view): %d ticks = %.2f%% of one core\n", m, 100 * m / hz / secs
    printf "  bus worker threads (engine): %.2f%% of one core\n", 100 * (c - m) / hz / secs }'
