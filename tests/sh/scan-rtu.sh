#!/bin/sh
# scan-rtu.sh: --scan on a paced pty. It lists exactly the served units (the
# serial and software version equal an mbpoll read), ignores a dead unit and
# one whose answers are corrupt, names a foreign device as such, prints its
# summary on stderr (stdout holds only lines that start with an address), shows progress only on a terminal, honours the line settings,
# uses a timeout from the line speed (not a flat second), never writes, and
# exits 66 for a missing device and 64 for bad addresses.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/engine-lib.sh"
command -v mbpoll >/dev/null || skip_all "mbpoll not installed"

DEV="$T_TMP/line"
MB_OPTS="-m rtu -b 19200 -P none"
MB_DEV=$DEV
start_sim sim --pty "$DEV" --units 1,5,7,9,12 --seed 3 --fault 7:foreign \
    --fault 9:dead --fault 12:crc=100
wait_for 20 test -e "$DEV" || { not_ok "simulator up"; done_testing; exit 1; }

"$TUI" --scan "$DEV" --first 1 --last 20 >"$T_TMP/scan.out" 2>"$T_TMP/scan.err"
is "$?" 0 "scan exits 0"
out=$(cat "$T_TMP/scan.out")
serial() {	# serial UNIT: "XXXX-XXXX-N sw M.NN" from mbpoll
	_w=$(mb_words "$1" 50007 4)	# 0xC357: software version, serial parts
	printf '%04X-%04X-%d sw %d.%02d' "$(word "$_w" 1)" "$(word "$_w" 2)" \
	    "$(word "$_w" 3)" $(( $(word "$_w" 0) / 100 )) $(( $(word "$_w" 0) % 100 ))
}
is "$(sed -n 1p "$T_TMP/scan.out")" "1 COUNTIS E34 serial $(serial 1)" "unit 1: identification equals mbpoll's read"
is "$(sed -n 2p "$T_TMP/scan.out")" "5 COUNTIS E34 serial $(serial 5)" "unit 5: identification equals mbpoll's read"
like "$(sed -n 3p "$T_TMP/scan.out")" '^7 Socomec device, not an E34 \(' "foreign device named as such"
is "$(wc -l <"$T_TMP/scan.out" | tr -d ' ')" 3 "nothing else listed (dead and corrupt units left out)"
check "every stdout line starts with an address" awk '!/^[0-9]+ / { exit 1 }' "$T_TMP/scan.out"
like "$(cat "$T_TMP/scan.err")" \
    "^2 meters found on $DEV at 19200 8N1 \\(addresses 1\\.\\.20\\) in [0-9]+\\.[0-9] s; 1 id answered without being an E34; 1 id gave corrupt answers\$" \
    "summary line on stderr"
unlike "$(cat "$T_TMP/scan.err")" 'scanning' "no progress when stderr is not a terminal"

# progress with an ETA when stderr is a terminal
script -qec "'$TUI' --scan '$DEV' --first 1 --last 6" /dev/null >"$T_TMP/tty.out" 2>&1
like "$(cat "$T_TMP/tty.out")" 'scanning [0-9]/6 \([0-9]+%\), about [0-9.]+ s left' "progress and ETA on a terminal"

# the per-address timeout follows the line speed: 40 silent addresses
t0=$(date +%s%N)
"$TUI" --scan "$DEV" --first 200 --last 239 >"$T_TMP/empty.out" 2>"$T_TMP/empty.err"
rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
is "$rc" 0 "a scan that finds nothing still exits 0"
like "$(cat "$T_TMP/empty.err")" '^0 meters found on ' "and says 0 meters found"
is "$(cat "$T_TMP/empty.out")" "" "and lists nothing on stdout"
check "40 silent addresses take $ms ms (about 30 ms each, not a second)" test "$ms" -lt 10000

"$TUI" --scan "$T_TMP/no-such-tty" >/dev/null 2>"$T_TMP/nodev.err"
is "$?" 66 "exit 66 when the device cannot be opened"
like "$(cat "$T_TMP/nodev.err")" "no-such-tty: No such file" "the message names the device"
"$TUI" --scan "$DEV" --first 20 --last 10 >/dev/null 2>&1
is "$?" 64 "exit 64 for first > last"

# another speed (a pty carries no parity bits, so 8N1 only here)
DEV2="$T_TMP/line2"
start_sim sim2 --pty "$DEV2" --units 33 --baud 9600
wait_for 20 test -e "$DEV2" || not_ok "second simulator up"
"$TUI" --scan "$DEV2" --baud 9600 --first 30 --last 35 >"$T_TMP/e.out" 2>"$T_TMP/e.err"
like "$(head -1 "$T_TMP/e.out")" '^33 COUNTIS E34 serial ' "finds the unit at 9600 baud"
like "$(cat "$T_TMP/e.err")" "^1 meter found on $DEV2 at 9600 8N1 " "summary names 9600 8N1"
"$TUI" --scan "$DEV2" --baud 19200 --first 33 --last 33 >"$T_TMP/w.out" 2>"$T_TMP/w.err"
like "$(cat "$T_TMP/w.err")" '^0 meters found' "nothing at the wrong speed"

sim_log_clean "$T_TMP/sim.log"
sim_log_clean "$T_TMP/sim2.log"
done_testing
