#!/bin/sh
# bench/scan.sh (3): --scan over addresses 1..247 of a paced pty with two
# units (17 and 200), at 19200 8N1 (target: <= 8 s) and at 9600 for
# reference, with the default per-address timeout from the line speed.
# Medians of $RUNS runs.
. "$(dirname "$0")/lib.sh"

for baud in 19200 9600; do
	link="$B_TMP/line-$baud"
	b_pty_sim "$link" "$baud" 17,200
	: >"$B_TMP/t"
	r=0
	while [ $r -lt "$RUNS" ]; do
		t0=$(b_ms)
		"$TUI" --scan "$link" --baud "$baud" >"$B_TMP/out" 2>/dev/null
		echo $(( $(b_ms) - t0 )) >>"$B_TMP/t"
		r=$(( r + 1 ))
	done
	found=$(grep -c 'COUNTIS E34' "$B_TMP/out")
	echo "scan 1..247 at $baud 8N1: $(b_median <"$B_TMP/t") ms wall, $found meters found; $(tail -1 "$B_TMP/out")"
	b_sim_stop
done
