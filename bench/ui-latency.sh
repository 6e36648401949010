#!/bin/sh
# bench/ui-latency.sh: key-to-screen latency of the console while one bus is
# all timeouts (10 dead meters, timeout 300 ms) and another serves 2 meters.
# Screens 1 2 3 6 are shown in turn N times (default 200); for each key:
#   inside: from the key read on stdin to doupdate() done (--log),
#   outside: from tmux send-keys to capture-pane showing the new screen
#            (includes tmux's own work and the polling, an upper bound).
# Target: p99 under 30 ms. Usage: BUILDDIR=build sh bench/ui-latency.sh
. "$(dirname "$0")/ui-lib.sh"
N=${N:-200}

# FAULT=dead (default): silent meters, which the engine sets offline and
# probes with back-off; FAULT=slow=1000: every answer comes after the
# timeout, so the line stays busy with timeouts.
FAULT=${FAULT:-dead}
faults=""
for a in 1 2 3 4 5 6 7 8 9 10; do faults="$faults --fault $a:$FAULT"; done
u_sim "$U_TMP/dead" --units 1-10 $faults || { echo "no simulator" >&2; exit 1; }
u_sim "$U_TMP/live" --units 1-2 || { echo "no simulator" >&2; exit 1; }
{
	printf '[console]\nrefresh_ms = 1000\n\n'
	u_bus dead "$U_TMP/dead" 300
	u_bus live "$U_TMP/live" 200
	for a in 1 2 3 4 5 6 7 8 9 10; do u_meter "d$a" dead "$a" 1000; done
	u_meter l1 live 1 1000
	u_meter l2 live 2 1000
} >"$U_TMP/lat.ini"
u_console 100 30 -c "$U_TMP/lat.ini" --log "$U_TMP/tui.log"
u_wait 20 u_has 'l2 +live/2 +ok' || { echo "console not up" >&2; u_cap; exit 1; }
u_wait 20 u_has 'd1 +dead/1 +(timeout|offline)'

: >"$U_TMP/outside"
i=0
while [ $i -lt "$N" ]; do
	case $((i % 4)) in
	0) k=2; m='Pages: ' ;;
	1) k=3; m='Register +Value' ;;
	2) k=6; m='Buses and meters' ;;
	3) k=1; m='Bus/addr' ;;
	esac
	t0=$(date +%s%N)
	tmux -L "$U_SOCK" send-keys "$k"
	until u_has "$m"; do :; done
	echo $(( ($(date +%s%N) - t0) / 1000 )) >>"$U_TMP/outside"
	i=$((i + 1))
done
sed -n 's/.* drawn latency_us \([0-9]*\)$/\1/p' "$U_TMP/tui.log" >"$U_TMP/inside"
timeouts=$(tmux -L "$U_SOCK" send-keys 6 && u_wait 5 u_has 'Buses' &&
    u_cap | sed -n 's/.*timeouts \([0-9]*\) .*/\1/p' | head -1)
echo "ui-latency: $N screen changes, bus 'dead' ($FAULT) all timeouts ($timeouts so far)"
printf 'inside  (key read -> doupdate done): n=%s p50 %s us  p99 %s us  max %s us\n' \
    "$(wc -l <"$U_TMP/inside" | tr -d ' ')" "$(u_pct "$U_TMP/inside" 50)" \
    "$(u_pct "$U_TMP/inside" 99)" "$(u_pct "$U_TMP/inside" 100)"
printf 'outside (send-keys -> capture shows it): n=%s p50 %s us  p99 %s us  max %s us\n' \
    "$(wc -l <"$U_TMP/outside" | tr -d ' ')" "$(u_pct "$U_TMP/outside" 50)" \
    "$(u_pct "$U_TMP/outside" 99)" "$(u_pct "$U_TMP/outside" 100)"
