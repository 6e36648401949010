#!/bin/sh
# bench/resources.sh (4): CPU time and peak RSS of --export-csv polling 10
# and 64 meters for about 60 s (GNU time -v): 10 meters on a paced pty at
# 19200 8N1 (poll_ms 1100, the line carries about 1030 ms), and 10 and 64
# meters through a TCP gateway (poll_ms 1000). Then valgrind callgrind:
# instructions per meter poll cycle, from the difference between 30 and 10
# cycles of 10 meters over TCP (start-up and identification cancel out).
# SECONDS_RUN sets the duration (default 60).
. "$(dirname "$0")/lib.sh"
SECONDS_RUN=${SECONDS_RUN:-60}

measure() {	# measure LABEL INI CYCLES
	/usr/bin/time -v "$TUI" -c "$2" --export-csv "$B_TMP/out.csv" --cycles "$3" \
	    2>"$B_TMP/time" >/dev/null
	awk -v l="$1" -F': ' '
	    /User time/ { u = $2 } /System time/ { s = $2 }
	    /Elapsed \(wall clock\)/ { w = $2 }
	    /Maximum resident set size/ { m = $2 }
	    END { printf "%-28s wall %s, user %.2f s, sys %.2f s, CPU %.2f%%, peak RSS %d KiB\n",
		l, w, u, s, 100 * (u + s) / (w ~ /:/ ? 60 * substr(w, 1, index(w, ":") - 1) + substr(w, index(w, ":") + 1) : w), m }' \
	    "$B_TMP/time"
}

link="$B_TMP/line"
b_pty_sim "$link" 19200 1-10
b_ini_rtu "$link" 19200 10 1100 >"$B_TMP/r10.ini"
measure "10 meters, RTU 19200" "$B_TMP/r10.ini" $(( SECONDS_RUN * 1000 / 1100 ))
b_sim_stop

port=$(b_free_port)
b_sim tcp --tcp "127.0.0.1:$port" --units 1-64 --seed 1
b_wait 20 grep -q serving "$B_TMP/tcp.log" || { echo "bench: no TCP simulator" >&2; exit 1; }
b_ini_tcp "$port" 10 1000 >"$B_TMP/t10.ini"
b_ini_tcp "$port" 64 1000 >"$B_TMP/t64.ini"
measure "10 meters, TCP" "$B_TMP/t10.ini" "$SECONDS_RUN"
measure "64 meters, TCP" "$B_TMP/t64.ini" "$SECONDS_RUN"

if command -v valgrind >/dev/null; then
	b_ini_tcp "$port" 10 100 >"$B_TMP/cg.ini"
	for c in 10 30; do
		valgrind --tool=callgrind --callgrind-out-file="$B_TMP/cg.$c" \
		    "$TUI" -c "$B_TMP/cg.ini" --export-csv /dev/null --cycles $c \
		    >/dev/null 2>&1
	done
	a=$(sed -n 's/^summary: //p' "$B_TMP/cg.10")
	b=$(sed -n 's/^summary: //p' "$B_TMP/cg.30")
	echo "callgrind: $(( (b - a) / 200 )) instructions per meter poll cycle (10 meters, TCP; $a Ir for 10 cycles, $b for 30)"
fi
