#!/bin/sh
# bench/mqtt.sh (10): CPU of the console polling 500 meters on 4 simulated
# Modbus TCP gateways (countis-sim --tcp, units 1-125 each) at poll_ms 1000,
# without and with the [mqtt] exporter sending every state message to a
# local Mosquitto (QoS 0, discovery on). The console runs in a private tmux
# server (it needs a terminal) on the Fleet screen; CPU is utime + stime
# from /proc/PID/stat over SECONDS_RUN (default 60) s, after WARMUP_S
# (default 15) s for identification. Also prints the state messages the
# broker received in the window (a subscriber counts them).
# Measured (2 shared cores, one run): polling only 11.42 % of one core,
# with MQTT 12.60 % (30002 state messages in 60 s), RSS 38000 -> 42468 KiB.
. "$(dirname "$0")/lib.sh"
SECONDS_RUN=${SECONDS_RUN:-60}
WARMUP_S=${WARMUP_S:-15}
SOCK="bmqtt$$"
PATH=$PATH:/usr/sbin
command -v mosquitto >/dev/null || { echo "bench: mosquitto not installed" >&2; exit 1; }
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; b_cleanup' EXIT INT TERM

HZ=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

ports=""
for g in 1 2 3 4; do
	p=$(b_free_port)
	b_sim "gw$g" --tcp "127.0.0.1:$p" --units 1-125 --seed "$g"
	b_wait 20 grep -q serving "$B_TMP/gw$g.log" || { echo "bench: no simulator" >&2; exit 1; }
	ports="$ports $p"
done
bport=$(b_free_port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$bport" \
    >"$B_TMP/mosquitto.conf"
mosquitto -c "$B_TMP/mosquitto.conf" 2>"$B_TMP/mosquitto.log" &
B_PIDS="$B_PIDS $!"
b_wait 20 mosquitto_pub -h 127.0.0.1 -p "$bport" -t ping -m 1 || { echo "bench: no broker" >&2; exit 1; }

ini() {	# ini WITH_MQTT
	g=0
	for p in $ports; do
		g=$((g + 1))
		printf '[bus gw%d]\ntype = tcp\nhost = 127.0.0.1\nport = %s\ntimeout_ms = 300\n\n' $g "$p"
		for a in $(seq 1 125); do
			printf '[meter g%dm%d]\nbus = gw%d\naddress = %d\npoll_ms = 1000\n\n' $g $a $g $a
		done
	done
	[ "$1" = 1 ] && printf '[mqtt]\nhost = 127.0.0.1\nport = %s\nqos = 0\n' "$bport"
	return 0
}

run() {	# run LABEL WITH_MQTT
	ini "$2" >"$B_TMP/c.ini"
	tmux -L "$SOCK" -f /dev/null new -d -s b -x 120 -y 40 "exec '$TUI' -c '$B_TMP/c.ini'"
	pid=$(tmux -L "$SOCK" list-panes -t b -F '#{pane_pid}')
	sleep "$WARMUP_S"
	mosquitto_sub -h 127.0.0.1 -p "$bport" -t 'countis/+/state' >"$B_TMP/sub.out" 2>/dev/null &
	sub=$!
	t0=$(cpu_ticks "$pid"); w0=$(b_ms)
	sleep "$SECONDS_RUN"
	t1=$(cpu_ticks "$pid"); w1=$(b_ms)
	kill $sub 2>/dev/null; wait $sub 2>/dev/null
	rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
	tmux -L "$SOCK" kill-server 2>/dev/null
	b_wait 10 sh -c "! kill -0 $pid 2>/dev/null"
	awk -v l="$1" -v t=$((t1 - t0)) -v hz="$HZ" -v w=$((w1 - w0)) -v r="$rss" \
	    -v n="$(wc -l <"$B_TMP/sub.out")" 'BEGIN {
		printf "%-32s CPU %.2f s in %.1f s = %.2f %% of one core, RSS %d KiB, %d state messages\n",
		    l, t / hz, w / 1000, 100 * t / hz / (w / 1000), r, n }'
}

echo "500 meters, 4 TCP gateways, poll_ms 1000, ${SECONDS_RUN} s each:"
run "polling only" 0
run "polling + MQTT state messages" 1
