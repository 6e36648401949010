#!/bin/sh
# bench/compare.sh: two builds side by side, in one run, on the same
# simulator: callgrind instructions per meter poll cycle (the difference
# between 30 and 10 cycles of 10 meters over TCP, as resources.sh counts
# them), then peak RSS and CPU of --export-csv polling 10 and 64 meters for
# SECONDS_RUN seconds (default 30), A and B alternating.
#   BUILDDIR=build-a OTHER=build-b sh bench/compare.sh
# Prints one line per figure: A, B and the ratio B/A.
. "$(dirname "$0")/lib.sh"
SECONDS_RUN=${SECONDS_RUN:-30}
[ -n "${OTHER:-}" ] || { echo "bench: set OTHER to the second build directory" >&2; exit 1; }
TUI_B="$OTHER/countis-tui"
[ -x "$TUI_B" ] || { echo "bench: $TUI_B not built" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "bench: needs valgrind" >&2; exit 1; }

port=$(b_free_port)
b_sim tcp --tcp "127.0.0.1:$port" --units 1-64 --seed 1
b_wait 20 grep -q serving "$B_TMP/tcp.log" || { echo "bench: no TCP simulator" >&2; exit 1; }
b_ini_tcp "$port" 10 100 >"$B_TMP/cg.ini"
b_ini_tcp "$port" 10 1000 >"$B_TMP/t10.ini"
b_ini_tcp "$port" 64 1000 >"$B_TMP/t64.ini"

per_cycle() {	# per_cycle TUI: callgrind instructions per meter poll cycle
	for c in 10 30; do
		valgrind --tool=callgrind --callgrind-out-file="$B_TMP/cg.$c" \
		    "$1" -c "$B_TMP/cg.ini" --export-csv /dev/null --cycles $c \
		    >/dev/null 2>&1
	done
	a=$(sed -n 's/^summary: //p' "$B_TMP/cg.10")
	b=$(sed -n 's/^summary: //p' "$B_TMP/cg.30")
	echo $(( (b - a) / 200 ))
}
run() {	# run TUI INI: "CPU_PERCENT RSS_KIB" of one --export-csv run
	/usr/bin/time -v "$1" -c "$2" --export-csv /dev/null --cycles "$SECONDS_RUN" \
	    2>"$B_TMP/time" >/dev/null
	awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 }
	    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = p[n] + 60 * p[n-1] }
	    /Maximum resident set size/ { m = $2 }
	    END { printf "%.3f %d\n", 100 * (u + s) / w, m }' "$B_TMP/time"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (a > 0 ? b / a : 0) }'; }

a=$(per_cycle "$TUI"); b=$(per_cycle "$TUI_B")
printf 'callgrind instructions per meter poll cycle: A %s  B %s  B/A %s\n' "$a" "$b" "$(ratio "$a" "$b")"
for n in 10 64; do
	set -- $(run "$TUI" "$B_TMP/t$n.ini"); ca=$1 ra=$2
	set -- $(run "$TUI_B" "$B_TMP/t$n.ini"); cb=$1 rb=$2
	printf '%d meters, TCP, %d s: CPU A %s%%  B %s%%  B/A %s; peak RSS A %s KiB  B %s KiB  B/A %s\n' \
	    "$n" "$SECONDS_RUN" "$ca" "$cb" "$(ratio "$ca" "$cb")" "$ra" "$rb" "$(ratio "$ra" "$rb")"
done
