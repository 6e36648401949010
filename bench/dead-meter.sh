#!/bin/sh
# bench/dead-meter.sh (2): ten meters on one paced pty at 19200 8N1, polled
# as fast as the line allows (poll_ms 100), live (with offline back-off),
# all healthy and then with one dead: the mean refresh of the nine healthy
# ones (target: < 10% slower). For comparison, mbpoll reading the same ten
# addresses in one invocation (one FC03 of the 54-word measurement block
# each, 300 ms timeout, like the engine's). Medians of $RUNS runs.
# WARMUP and MEASURE (seconds) set the phases of each live run.
. "$(dirname "$0")/lib.sh"
[ -x "$REFRESH" ] || { echo "bench: make bench/engine-refresh in $BUILDDIR" >&2; exit 1; }
WARMUP=${WARMUP:-15}
MEASURE=${MEASURE:-45}

link="$B_TMP/line"
for case in healthy dead; do
	if [ $case = dead ]; then
		b_pty_sim "$link" 19200 1-10 --fault 10:dead
	else
		b_pty_sim "$link" 19200 1-10
	fi
	b_ini_rtu "$link" 19200 10 100 >"$B_TMP/d.ini"
	: >"$B_TMP/$case.r"
	r=0
	while [ $r -lt "$RUNS" ]; do
		"$REFRESH" "$B_TMP/d.ini" "$WARMUP" "$MEASURE" >"$B_TMP/out"
		# mean refresh of meters 1..9
		awk '$1 ~ /^m[1-9]$/ { s += $3; n++ } END { printf "%.1f\n", s / n }' \
		    "$B_TMP/out" >>"$B_TMP/$case.r"
		r=$(( r + 1 ))
	done
	: >"$B_TMP/$case.mb"
	r=0
	while [ $r -lt "$RUNS" ]; do
		t0=$(b_ms)
		mbpoll -m rtu -b 19200 -P none -a 1:10 -t 4 -0 -r 50514 -c 54 \
		    -o 0.3 -1 "$link" >/dev/null 2>&1
		echo $(( $(b_ms) - t0 )) >>"$B_TMP/$case.mb"
		r=$(( r + 1 ))
	done
	b_sim_stop
done
h=$(b_median <"$B_TMP/healthy.r")
d=$(b_median <"$B_TMP/dead.r")
awk -v h="$h" -v d="$d" 'BEGIN {
	printf "countis-tui, 9 healthy meters, mean refresh: all healthy %.1f ms, one dead %.1f ms (%+.1f%%)\n", h, d, 100 * (d - h) / h }'
echo "mbpoll, one pass over the 10 addresses (54 words each): all healthy $(b_median <"$B_TMP/healthy.mb") ms, one dead $(b_median <"$B_TMP/dead.mb") ms"
