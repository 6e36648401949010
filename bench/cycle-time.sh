#!/bin/sh
# bench/cycle-time.sh (1): the cycle time of the CSV column set (the fast
# set: 3 requests, 68 words) for one and for ten meters on a paced pty at
# 19200 and 9600 8N1, against the wire-time bound of the same requests
# (target: <= 1.15 x). Uses --export-csv -v, which reports the mean worker
# time of complete cycles and their wire bound. Medians of $RUNS runs.
. "$(dirname "$0")/lib.sh"

printf '%-6s %-7s %12s %12s %7s\n' baud meters "cycle (ms)" "bound (ms)" ratio
for baud in 19200 9600; do
	for n in 1 10; do
		link="$B_TMP/line-$baud-$n"
		b_pty_sim "$link" "$baud" "1-$n"
		b_ini_rtu "$link" "$baud" "$n" 100 >"$B_TMP/c.ini"
		cycles=$(( n == 1 ? 30 : 6 ))
		: >"$B_TMP/mean" ; : >"$B_TMP/wire"
		r=0
		while [ $r -lt "$RUNS" ]; do
			"$TUI" -c "$B_TMP/c.ini" --export-csv /dev/null --cycles $cycles -v \
			    2>&1 >/dev/null | sed -n 's/.*complete cycles, mean \([0-9]*\) us, wire bound \([0-9]*\) us/\1 \2/p' \
			    >"$B_TMP/one"
			cut -d' ' -f1 "$B_TMP/one" >>"$B_TMP/mean"
			cut -d' ' -f2 "$B_TMP/one" >>"$B_TMP/wire"
			r=$(( r + 1 ))
		done
		m=$(b_median <"$B_TMP/mean")
		w=$(b_median <"$B_TMP/wire")
		# a round of n meters is n cycles
		awk -v b="$baud" -v n="$n" -v m="$m" -v w="$w" 'BEGIN {
			printf "%-6s %-7s %12.1f %12.1f %7.3f\n", b, n, n * m / 1000, n * w / 1000, m / w }'
		b_sim_stop
	done
done
