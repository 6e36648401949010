#!/bin/sh
# bench/soak.sh (5): does countis-tui --headless leak over a long run with
# faults coming and going? 64 meters on four buses (two paced RTU ptys at
# 19200 8N1 and two Modbus TCP gateways, 16 units each, all countis-sim)
# polled by --headless with a Prometheus textfile (and HTTP listener) so
# the exporters run too. Every INTERVAL seconds one fault word is sent to
# units 3 and 4 of every bus through countis-sim's control socket, in turn
# dead, slow=400, crc=50, exception=4, clear; just before it, the poller's
# RSS, open file descriptors (/proc/PID/fd), threads (/proc/PID/status) and
# CPU (/proc/PID/stat) are sampled into OUT/soak.csv, with how many meters
# a scrape of /metrics says are up. At the end it prints the least-squares
# slope of RSS and of fds over the samples after the first minute.
#
# With HUP_EVERY=N (default 5; 0: never), every Nth sample also sends the
# poller SIGHUP with the same file, so the reload path (buses and meters
# handed to a new engine) is soaked too; the "reloads" column counts them.
#
# DURATION seconds (default 1800), INTERVAL seconds (default 60), OUT a
# directory to keep soak.csv and the logs in. Not part of make check.
. "$(dirname "$0")/lib.sh"
DURATION=${DURATION:-1800}
INTERVAL=${INTERVAL:-60}
HUP_EVERY=${HUP_EVERY:-5}
OUT=${OUT:-$B_TMP}
mkdir -p "$OUT"
PY=/usr/bin/python3

# ctl SOCKET LINE: one line to a countis-sim control socket, its answer
ctl() {
	"$PY" - "$1" "$2" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(10)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode() + b"\n")
print(s.recv(600).decode().strip())
EOF
}

# the four buses
for b in 1 2; do
	b_sim "rtu$b" --pty "$B_TMP/line$b" --baud 19200 --units 1-16 \
	    --seed "$b" --control "$B_TMP/ctl-rtu$b"
	b_wait 30 test -e "$B_TMP/line$b" ||
	    { echo "soak: pty simulator $b did not start" >&2; exit 1; }
done
for b in 1 2; do
	port=$(b_free_port)
	eval "port$b=$port"
	b_sim "tcp$b" --tcp "127.0.0.1:$port" --units 1-16 --seed $(( b + 2 )) \
	    --control "$B_TMP/ctl-tcp$b"
	b_wait 30 grep -q serving "$B_TMP/tcp$b.log" ||
	    { echo "soak: TCP simulator $b did not start" >&2; exit 1; }
done
http=$(b_free_port)
{
	printf '[prometheus]\nlisten = 127.0.0.1:%s\ntextfile = %s\n\n' \
	    "$http" "$OUT/countis.prom"
	for b in 1 2; do
		printf '[bus rtu%d]\ntype = rtu\ndevice = %s\nbaud = 19200\n' \
		    $b "$B_TMP/line$b"
		printf 'timeout_ms = 300\n\n'
		eval "port=\$port$b"
		printf '[bus tcp%d]\ntype = tcp\nhost = 127.0.0.1\nport = %s\n' \
		    $b "$port"
		printf 'timeout_ms = 300\n\n'
	done
	for b in rtu1 rtu2 tcp1 tcp2; do
		poll=1000
		case $b in rtu*) poll=2000;; esac	# 16 cycles of ~102 ms
		u=1
		while [ $u -le 16 ]; do
			printf '[meter %s-%d]\nbus = %s\naddress = %d\n' $b $u $b $u
			printf 'poll_ms = %d\n\n' $poll
			u=$(( u + 1 ))
		done
	done
} >"$OUT/soak.ini"
"$TUI" --check-config -c "$OUT/soak.ini" >/dev/null ||
    { echo "soak: configuration refused" >&2; exit 1; }

"$TUI" --headless -c "$OUT/soak.ini" 2>"$OUT/headless.log" &
tui=$!
B_PIDS="$B_PIDS $tui"
b_wait 60 test -s "$OUT/countis.prom" ||
    { echo "soak: no Prometheus textfile after 60 s" >&2; exit 1; }

tck=$(getconf CLK_TCK)
# sample: "rss_kib fds threads cpu_ticks" of the poller
sample() {
	rss=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\).*/\1/p' /proc/$tui/status)
	thr=$(sed -n 's/^Threads:[[:space:]]*\([0-9]*\).*/\1/p' /proc/$tui/status)
	fds=$(ls /proc/$tui/fd | wc -l)
	# utime and stime: fields 14 and 15, counted after "(comm)"
	cpu=$(sed 's/^.*) //' /proc/$tui/stat | awk '{ print $12 + $13 }')
	echo "$rss $fds $thr $cpu"
}

# scrape: fetch /metrics once (the HTTP side runs too); its meters up
scrape() {
	"$PY" -c 'import sys, urllib.request
t = urllib.request.urlopen("http://127.0.0.1:%s/metrics" % sys.argv[1], timeout=10).read().decode()
print(sum(1 for l in t.splitlines() if l.startswith("countis_meter_up{") and l.endswith(" 1")))' "$http" 2>/dev/null || echo -1
}

faults="dead slow=400 crc=50 exception=4 clear"
echo "elapsed_s,rss_kib,fds,threads,cpu_s,cpu_pct,meters_up,fault_next,reloads" >"$OUT/soak.csv"
hups=0
t0=$(date +%s)
set -- $(sample)
prev_cpu=$4 prev_t=$t0
k=0
echo "soak: $DURATION s, a sample and a fault every $INTERVAL s; figures in $OUT/soak.csv" >&2
while :; do
	now=$(date +%s)
	[ $(( now - t0 )) -ge "$DURATION" ] && break
	sleep $(( INTERVAL - (now - t0) % INTERVAL ))
	kill -0 $tui 2>/dev/null || { echo "soak: countis-tui died" >&2; exit 1; }
	now=$(date +%s)
	set -- $(sample)
	dt=$(( now - prev_t )); [ $dt -gt 0 ] || dt=1
	pct=$(awk -v c=$(( $4 - prev_cpu )) -v t=$tck -v d=$dt \
	    'BEGIN { printf "%.2f", 100 * c / t / d }')
	prev_cpu=$4 prev_t=$now
	k=$(( k + 1 ))
	f=$(echo $faults | cut -d' ' -f$(( (k - 1) % 5 + 1 )))
	up=$(scrape)
	printf '%d,%d,%d,%d,%.2f,%s,%s,%s,%d\n' $(( now - t0 )) "$1" "$2" "$3" \
	    "$(awk -v c="$4" -v t=$tck 'BEGIN { print c / t }')" "$pct" "$up" "$f" \
	    "$hups" >>"$OUT/soak.csv"
	if [ "$HUP_EVERY" -gt 0 ] && [ $(( k % HUP_EVERY )) -eq 0 ]; then
		kill -HUP $tui
		hups=$(( hups + 1 ))
	fi
	for s in rtu1 rtu2 tcp1 tcp2; do
		for u in 3 4; do
			if [ "$f" = clear ]; then
				r=$(ctl "$B_TMP/ctl-$s" "$u clear")
			else
				ctl "$B_TMP/ctl-$s" "$u clear" >/dev/null
				r=$(ctl "$B_TMP/ctl-$s" "$u $f")
			fi
			[ "$r" = ok ] || echo "soak: $s unit $u '$f': $r" >&2
		done
	done
done
kill -TERM $tui
wait $tui
rc=$?
echo "soak: countis-tui --headless ended with status $rc" >&2
echo "soak: $hups SIGHUP reloads, $(grep -c 'reload: configuration applied' "$OUT/headless.log") applied, $(grep 'reload: bus' "$OUT/headless.log" | grep -vc 'opened\|closed') with every bus kept" >&2

cat "$OUT/soak.csv"
# least squares over the samples after the first minute: slope per hour
awk -F, 'NR > 1 && $1 > 60 {
	n++; x = $1 / 3600; sx += x; sxx += x * x
	sr += $2; sxr += x * $2; sf += $3; sxf += x * $3
	if (n == 1) { r0 = $2; f0 = $3 } r1 = $2; f1 = $3
	if ($4 > tmax) tmax = $4
}
END {
	if (n < 2) { print "soak: too few samples for a slope"; exit }
	d = n * sxx - sx * sx
	printf "soak: %d samples after the first minute; RSS %d -> %d KiB, slope %.1f KiB/h; fds %d -> %d, slope %.2f /h; threads at most %d\n",
	    n, r0, r1, (n * sxr - sx * sr) / d, f0, f1, (n * sxf - sx * sf) / d, tmax
}' "$OUT/soak.csv"
awk -F, 'NR > 1 { s += $6; n++ } END { if (n) printf "soak: mean CPU %.2f %% of one core\n", s / n }' "$OUT/soak.csv"
