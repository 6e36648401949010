#!/bin/sh
# bench/scale.sh: the budget of issue 12, a build against a reference build
# side by side in one run (BEFORE, default: none), so that the CPU figures
# of a loaded machine are read as ratios of the same minute.
#
#   (a) 500 meters: countis-sim serving 500 units on 4 TCP ports (--units
#       1-125 each; unit 7 of port 1 dead, unit 50 of port 2 reversed CT,
#       unit 100 of port 3 foreign), every meter polled at 1 s. The console
#       of each build at 200x50 in a private tmux server: RSS (VmRSS) and
#       CPU (utime + stime from /proc/PID/stat) over SECONDS_RUN (60), first
#       paint (--log: "start" line to the first "paint" line; builds before
#       issue 12 log no paint line, then "-"), and key-to-screen latency of
#       KEYS (200) sort and filter keys on the Fleet screen with 500 rows
#       (--log "drawn latency_us", bench/ui-latency.sh's method).
#   (b) --export-csv on the same 500 meters: peak RSS (GNU time -v).
#   (c) 64 meters on one TCP port: console RSS.
#   (d) 10 meters on one paced RTU pty at 19200, 1 s: console CPU over
#       SECONDS_RUN against htop's in the same run (htop in a tmux pane).
#   (e) heap allocations per poll cycle in steady state: valgrind (memcheck
#       counts every malloc) on --export-csv with 10 meters over TCP at
#       100 ms for 30 and 130 cycles: (allocs(130) - allocs(30)) / 1000.
#
# Usage: BUILDDIR=build BEFORE=/path/to/old/countis-tui sh bench/scale.sh
# Needs tmux, htop, GNU time and valgrind. Figures are printed, not asserted.
. "$(dirname "$0")/lib.sh"
SECONDS_RUN=${SECONDS_RUN:-60}
KEYS=${KEYS:-200}
SOCK="scale$$"
BEFORE=${BEFORE:-}
tm() { tmux -L "$SOCK" "$@"; }
s_cleanup() { tm kill-server 2>/dev/null; b_cleanup; }
trap s_cleanup EXIT INT TERM

# cpu_ticks PID: utime + stime in clock ticks
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
hz=$(getconf CLK_TCK)

# --- the simulators ---
ports=""
n=1
for f in "--fault 7:dead" "--fault 50:reversed=2" "--fault 100:foreign" ""; do
	p=$(b_free_port)
	# shellcheck disable=SC2086
	b_sim "gw$n" --tcp "127.0.0.1:$p" --units 1-125 --seed $n $f
	b_wait 20 grep -q serving "$B_TMP/gw$n.log" ||
	    { echo "bench: no simulator on $p" >&2; exit 1; }
	ports="$ports $p"
	n=$((n + 1))
done
ini500() {
	printf '[console]\nrefresh_ms = 1000\n\n'
	n=1
	for p in $ports; do
		printf '[bus gw%d]\ntype = tcp\nhost = 127.0.0.1\nport = %s\ntimeout_ms = 300\n\n' $n "$p"
		a=1
		while [ $a -le 125 ]; do
			printf '[meter g%dm%d]\nbus = gw%d\naddress = %d\npoll_ms = 1000\n\n' \
			    $n $a $n $a
			a=$((a + 1))
		done
		n=$((n + 1))
	done
}
ini500 >"$B_TMP/m500.ini"
b_ini_tcp "$(echo $ports | cut -d' ' -f4)" 64 1000 >"$B_TMP/m64.ini"

# console NAME BIN W H ARGS...: a console in a window of the tmux server
console() {
	_n=$1 _b=$2 _w=$3 _h=$4; shift 4
	if ! tm has-session 2>/dev/null; then
		tm -f /dev/null new-session -d -s main -x 200 -y 50 "sleep 100000"
	fi
	tm new-window -d -n "$_n" "env LC_ALL=C.UTF-8 $_b $*; sleep 100000"
	tm resize-window -t "$_n" -x "$_w" -y "$_h" 2>/dev/null
	_pp=$(tm display-message -p -t "$_n" '#{pane_pid}')
	b_wait 10 pgrep -P "$_pp"
	pgrep -P "$_pp" | head -1
}
cap() { tm capture-pane -p -t "$1"; }
builds="after:$TUI"
[ -n "$BEFORE" ] && builds="before:$BEFORE $builds"

echo "== (a) 500 meters on 4 TCP gateways at 1 s, console 200x50, ${SECONDS_RUN} s =="
pids=""
for b in $builds; do
	name=${b%%:*} bin=${b#*:}
	pid=$(console "c500$name" "$bin" 200 50 -c "$B_TMP/m500.ini" \
	    --log "$B_TMP/$name.log")
	pids="$pids $name:$pid"
done
for b in $pids; do
	b_wait 60 sh -c "tmux -L $SOCK capture-pane -p -t c500${b%%:*} | grep -q 'g1m2 .* ok'" ||
	    echo "bench: ${b%%:*} shows no g1m2 yet"
done
# let every meter be identified before the minute starts
sleep 15
for b in $pids; do eval "t0_${b%%:*}=$(cpu_ticks "${b#*:}")"; done
sleep "$SECONDS_RUN"
for b in $pids; do
	name=${b%%:*} pid=${b#*:}
	eval "t0=\$t0_$name"
	t1=$(cpu_ticks "$pid")
	start=$(sed -n 's/^\([0-9.]*\) start:.*/\1/p' "$B_TMP/$name.log" | head -1)
	paint=$(sed -n 's/^\([0-9.]*\) paint .*/\1/p' "$B_TMP/$name.log" | head -1)
	fp=-
	[ -n "$paint" ] && fp=$(awk -v a="$start" -v b="$paint" 'BEGIN { printf "%.1f ms", (b - a) * 1000 }')
	awk -v n="$name" -v t="$((t1 - t0))" -v hz="$hz" -v s="$SECONDS_RUN" \
	    -v r="$(rss_kib "$pid")" -v fp="$fp" 'BEGIN {
	    printf "%-7s console RSS %.1f MiB, CPU %.2f %% of a core, first paint %s\n",
	    n, r / 1024, 100 * t / hz / s, fp }'
done

echo "== key-to-screen, Fleet with 500 rows: sort by kWh, filter 'g' =="
for b in $pids; do
	name=${b%%:*}
	w="c500$name"
	: >"$B_TMP/$name.keys"
	tm send-keys -t "$w" s s s / g Enter
	sleep 2
	n=$(grep -c 'drawn latency_us' "$B_TMP/$name.log")
	i=0
	while [ $i -lt "$KEYS" ]; do
		case $((i % 4)) in
		0) k=S ;; 1) k=Down ;; 2) k=S ;; 3) k=Up ;;
		esac
		tm send-keys -t "$w" "$k"
		i=$((i + 1))
		# paced: every key is drawn before the next one comes
		b_wait 5 sh -c "test \$(grep -c 'drawn latency_us' '$B_TMP/$name.log') -ge $((n + i))"
	done
	sed -n 's/.* drawn latency_us \([0-9]*\)$/\1/p' "$B_TMP/$name.log" |
	    tail -n "$KEYS" | sort -n | awk -v n="$name" '{ v[NR] = $1 } END {
	    i = int(0.99 * NR + 0.999999); printf "%-7s n=%d p50 %d us p99 %d us max %d us\n",
	    n, NR, v[int(NR / 2 + 0.5)], v[i], v[NR] }'
done
for b in $pids; do tm kill-window -t "c500${b%%:*}"; kill "${b#*:}" 2>/dev/null; done

echo "== (b) --export-csv, 500 meters, 30 cycles: peak RSS =="
for b in $builds; do
	name=${b%%:*} bin=${b#*:}
	/usr/bin/time -v "$bin" -c "$B_TMP/m500.ini" --export-csv "$B_TMP/out.csv" \
	    --cycles 30 >/dev/null 2>"$B_TMP/time.$name"
	awk -v n="$name" -F': ' '/Maximum resident/ { printf "%-7s --export-csv peak RSS %.1f MiB\n", n, $2 / 1024 }' \
	    "$B_TMP/time.$name"
done

echo "== (c) 64 meters on one TCP gateway: console RSS after 20 s =="
pids=""
for b in $builds; do
	name=${b%%:*} bin=${b#*:}
	pids="$pids $name:$(console "c64$name" "$bin" 200 50 -c "$B_TMP/m64.ini")"
done
sleep 20
for b in $pids; do
	awk -v n="${b%%:*}" -v r="$(rss_kib "${b#*:}")" 'BEGIN { printf "%-7s console RSS %.1f MiB (64 meters)\n", n, r / 1024 }'
	tm kill-window -t "c64${b%%:*}"
done

echo "== (d) 10 meters on one paced RTU line at 19200, 1 s: console and htop, ${SECONDS_RUN} s =="
pids=""
for b in $builds; do	# a line each: one master per RS485 line
	name=${b%%:*} bin=${b#*:}
	b_pty_sim "$B_TMP/line$name" 19200 1-10
	b_ini_rtu "$B_TMP/line$name" 19200 10 1000 >"$B_TMP/r10$name.ini"
	pids="$pids $name:$(console "r10$name" "$bin" 100 30 -c "$B_TMP/r10$name.ini")"
done
if command -v htop >/dev/null; then
	pids="$pids htop:$(console htop htop 100 30)"
fi
sleep 10
for b in $pids; do eval "t0_${b%%:*}=$(cpu_ticks "${b#*:}")"; done
sleep "$SECONDS_RUN"
for b in $pids; do
	eval "t0=\$t0_${b%%:*}"
	awk -v n="${b%%:*}" -v t="$(( $(cpu_ticks "${b#*:}") - t0 ))" -v hz="$hz" \
	    -v s="$SECONDS_RUN" 'BEGIN { printf "%-7s CPU %.2f %% of a core (10 meters, RTU)\n", n, 100 * t / hz / s }'
done

if command -v valgrind >/dev/null; then
	echo "== (e) heap allocations per poll cycle (10 meters, TCP, 100 ms) =="
	b_ini_tcp "$(echo $ports | cut -d' ' -f4)" 10 100 >"$B_TMP/v10.ini"
	for b in $builds; do
		name=${b%%:*} bin=${b#*:}
		for c in 30 130; do
			valgrind --log-file="$B_TMP/vg.$name.$c" "$bin" -c "$B_TMP/v10.ini" \
			    --export-csv /dev/null --cycles $c >/dev/null 2>&1
		done
		a=$(sed -n 's/.*total heap usage: \([0-9,]*\) allocs.*/\1/p' "$B_TMP/vg.$name.30" | tr -d ,)
		z=$(sed -n 's/.*total heap usage: \([0-9,]*\) allocs.*/\1/p' "$B_TMP/vg.$name.130" | tr -d ,)
		echo "$name allocations: $a for 30 cycles, $z for 130: $(( (z - a) / 10 )) per 10-meter round, $(awk -v a="$a" -v z="$z" 'BEGIN { printf "%.2f", (z - a) / 1000 }') per meter cycle"
	done
fi
