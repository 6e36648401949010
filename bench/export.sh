#!/bin/sh
# bench/export.sh (issue 10): 500 meters behind four simulated Modbus TCP
# gateways (countis-sim --tcp, units 1-125 each), poll_ms 1000, polled by
# countis-tui --headless. Measures the CPU of the poller (utime + stime from
# /proc/PID/stat over SECONDS_RUN s, default 60, after the meters are
# identified) without an exporter, then with [prometheus] scraped once a
# second by curl; then the time to serve one scrape of 500 meters (curl's
# time_total, median of 20) and the size of the text.
# The simulators run on the same machine: their CPU is not counted.
. "$(dirname "$0")/lib.sh"
SECONDS_RUN=${SECONDS_RUN:-60}
command -v curl >/dev/null || { echo "bench: curl needed" >&2; exit 1; }
TCK=$(getconf CLK_TCK)

ports=""
for g in 1 2 3 4; do
	p=$(b_free_port)
	b_sim "gw$g" --tcp "127.0.0.1:$p" --units 1-125 --seed $g
	b_wait 20 grep -q serving "$B_TMP/gw$g.log" || { echo "bench: no simulator" >&2; exit 1; }
	ports="$ports $p"
done
http=$(b_free_port)

# ini WITH_PROM: four buses of 125 meters
ini() {
	g=0
	for p in $ports; do
		g=$(( g + 1 ))
		printf '[bus gw%d]\ntype = tcp\nhost = 127.0.0.1\nport = %s\ntimeout_ms = 300\n\n' $g "$p"
		a=1
		while [ $a -le 125 ]; do
			printf '[meter g%dm%d]\nbus = gw%d\naddress = %d\npoll_ms = 1000\n\n' $g $a $g $a
			a=$(( a + 1 ))
		done
	done
	[ "$1" = 1 ] && printf '[prometheus]\nlisten = 127.0.0.1:%s\n' "$http"
}
ini 0 >"$B_TMP/plain.ini"
ini 1 >"$B_TMP/prom.ini"

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# run LABEL INI SCRAPE: CPU share of one core over SECONDS_RUN
run() {
	"$TUI" --headless -c "$2" 2>"$B_TMP/tui.log" &
	pid=$!
	B_PIDS="$B_PIDS $pid"
	# warm-up: every meter identified and polled (20 s at most)
	b_wait 30 sh -c "[ \$(grep -c ': ok\$' '$B_TMP/tui.log') -ge 500 ]" ||
	    echo "bench: not every meter answered in time" >&2
	sleep 3
	t0=$(ticks $pid); w0=$(date +%s%N)
	end=$(( $(date +%s) + SECONDS_RUN ))
	while [ "$(date +%s)" -lt $end ]; do
		[ "$3" = 1 ] && curl -s -o /dev/null "http://127.0.0.1:$http/metrics"
		sleep 1
	done
	t1=$(ticks $pid); w1=$(date +%s%N)
	awk -v l="$1" -v t=$(( t1 - t0 )) -v hz="$TCK" -v w=$(( (w1 - w0) / 1000000 )) \
	    'BEGIN { printf "%-40s CPU %.2f%% of one core (%.2f s in %.1f s)\n", l, 100 * t / hz / (w / 1000), t / hz, w / 1000 }'
	if [ "$3" = 1 ]; then
		i=0
		while [ $i -lt 20 ]; do
			curl -s -o "$B_TMP/m.txt" -w '%{time_total}\n' "http://127.0.0.1:$http/metrics"
			i=$(( i + 1 ))
		done | sort -n | awk '{ v[NR] = $1 } END { printf "%-40s median %.2f ms, min %.2f ms, max %.2f ms (20 scrapes)\n", "scrape of 500 meters (curl time_total)", 1000 * (v[10] + v[11]) / 2, 1000 * v[1], 1000 * v[NR] }'
		printf '%-40s %d bytes, %d series\n' "exposition size" \
		    "$(wc -c <"$B_TMP/m.txt")" "$(grep -vc '^#' "$B_TMP/m.txt")"
	fi
	kill $pid; wait $pid 2>/dev/null
}

run "500 meters, polling alone" "$B_TMP/plain.ini" 0
run "500 meters, + Prometheus, 1 s scrape" "$B_TMP/prom.ini" 1
