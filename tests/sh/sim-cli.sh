#!/bin/sh
# sim-cli.sh: countis-sim's command line (PRODUCT.md). Usage errors exit 64
# with a message naming the option and value and create nothing; a device,
# socket or port that cannot be opened exits 66; --help and --version go to
# stdout. The --pty link points at a pseudo-terminal, replaces a stale link,
# refuses to replace a regular file, and is removed on SIGTERM and SIGINT.
# --start fixes the site's clock: two simulators with the same --seed and
# --start, started seconds apart, serve the same counters, and the meter
# clock reads TIME (Unix seconds or local YYYY-MM-DDTHH:MM:SS).
. "$(dirname "$0")/lib.sh"
cd "$T_TMP" || exit 1

usage() {	# usage DESCRIPTION REGEX ARGS...
	_d=$1; _re=$2; shift 2
	"$SIM" "$@" >u.out 2>u.err
	is "$?" 64 "$_d: exit 64"
	like "$(cat u.err)" "$_re" "$_d: the message names it"
	is "$(cat u.out)" "" "$_d: nothing on stdout"
}
usage "no link option" "one of --pty LINK, --serial DEVICE, --tcp \\[HOST:\\]PORT or --rtu-tcp" --units 1
usage "two link options" "--tcp: only one of --pty, --serial, --tcp and --rtu-tcp" \
    --pty l1 --tcp 5020
usage "two link options, rtu-tcp" "--rtu-tcp: only one of" --tcp 5020 \
    --rtu-tcp 5021
usage "bad baud" "--baud: '19201'" --pty l1 --baud 19201
usage "bad parity" "--parity: 'mark'" --pty l1 --parity mark
usage "bad stop bits" "--stop-bits: '3'" --pty l1 --stop-bits 3
usage "unit out of range" "--units: '1,300'" --pty l1 --units 1,300
usage "unit list garbage" "--units: '1,,x'" --pty l1 --units 1,,x
usage "unknown fault" "--fault: 'melted': unknown fault" --pty l1 \
    --fault 1:melted
usage "fault argument out of range" "--fault: 'reversed=4': PHASE must be 1..3" \
    --pty l1 --fault 1:reversed=4
usage "fault argument missing" "--fault: 'slow': expected slow=MS" \
    --pty l1 --fault 1:slow
usage "fault without unit" "--fault: 'dead': expected UNIT:KIND" \
    --pty l1 --fault dead
usage "fault on an unserved unit" "--fault: unit 9 is not served" \
    --pty l1 --units 1-3 --fault 9:dead
usage "bad tcp port" "--tcp: '70000'" --tcp 70000
usage "bad rtu-tcp port" "--rtu-tcp: '70000'" --rtu-tcp 70000
usage "bad seed" "--seed: 'x'" --pty l1 --seed x
usage "bad speedup" "--speedup: '0'" --pty l1 --speedup 0
usage "bad start" "--start: 'yesterday': expected Unix seconds or YYYY-MM-DDTHH:MM:SS" \
    --pty l1 --start yesterday
usage "start date that does not exist" "--start: '2026-02-30T12:00:00'" \
    --pty l1 --start 2026-02-30T12:00:00
usage "start before 2001" "--start: '86400': expected a time from 2001-01-01 to 2099-12-31" \
    --pty l1 --start 86400
usage "start past 2099" "--start: '2100-01-01T00:00:00': expected a time from" \
    --pty l1 --start 2100-01-01T00:00:00
usage "unknown option" "--bogus: unknown option" --pty l1 --bogus
usage "missing argument" "--pty: missing argument" --pty
usage "stray argument" "'extra': unexpected argument" --pty l1 extra
check "usage errors create no link" test ! -e l1 -a ! -L l1

"$SIM" --help >h.out 2>h.err
is "$?" 0 "--help: exit 0"
help=$(cat h.out)
for o in --pty --serial --tcp --units --baud --parity --stop-bits --fault \
    --control --seed --speedup --start; do
	like "$help" "$o" "--help describes $o"
done
like "$help" "reversed=PHASE" "--help lists the fault words"
"$SIM" --version >v.out 2>&1
is "$?" 0 "--version: exit 0"
like "$(cat v.out)" "^countis-sim [0-9]+\.[0-9]+\.[0-9]+$" "--version prints the version"

"$SIM" --serial "$T_TMP/no-such-tty" >o.out 2>o.err
is "$?" 66 "a serial device that does not exist: exit 66"
like "$(cat o.err)" "no-such-tty" "the message names the device"
echo keep >plain
"$SIM" --pty plain 2>o.err
is "$?" 66 "--pty onto a regular file: exit 66"
is "$(cat plain)" "keep" "the regular file is left alone"
like "$(cat o.err)" "plain exists and is not a symbolic link" "the message says why"
"$SIM" --pty l2 --control plain 2>o.err
is "$?" 66 "--control onto a regular file: exit 66"
check "no link left behind after a failed start" test ! -e l2 -a ! -L l2

# A port in use.
port=$(free_port)
start_sim busy --tcp "127.0.0.1:$port"
busy=$SIM_PID
wait_for 20 grep -q "serving units" busy.log
"$SIM" --tcp "127.0.0.1:$port" 2>o.err
is "$?" 66 "a TCP port in use: exit 66"
like "$(cat o.err)" "cannot listen on 127.0.0.1:$port" "the message names the port"
kill "$busy"

# --start: the site's clock starts at TIME, whenever the simulator starts.
# In TZ XST-3 (UTC+3, no tzdata needed) Unix 1699999260 is 2023-11-15
# 01:01:00 local, 14 minutes before a load-curve boundary. Unit 3 has every phase lost: its counters stay what the
# start made them. Without --start they depend on the second each simulator
# was started (the modelled history ends there), so a twin started a second
# later could differ by a 10 Wh step.
ALL_LOST="--units 1,3 --fault 3:phase-loss=1 --fault 3:phase-loss=2 --fault 3:phase-loss=3"
mb_words() {	# mb_words PORT UNIT ADDR COUNT
	"$PYTHON" "$SRCDIR/tests/py/mbclient.py" --tcp "127.0.0.1:$1" --unit "$2" \
	    "read $3 $4" | sed -n 's/^ok //p'
}
# the counters of unit 3: Ea+ and Er+ (10 Wh), T1..T4, the day/week/month
# indexes (10 Wh), the newest load-curve record
counters() {
	for r in "50946 4" "50850 8" "36928 24" "50826 3"; do
		echo "$r: $(mb_words "$1" 3 $r)"
	done
}
start_at() {	# start_at NAME TIME: a simulator on TCP, its port in $port
	port=$(free_port)
	TZ=XST-3 start_sim "$1" --tcp "127.0.0.1:$port" --seed 4 --start "$2" \
	    $ALL_LOST
	start_pids="${start_pids:-} $SIM_PID"
	wait_for 20 grep -q "serving units" "$1.log" ||
	    not_ok "$1: simulator up" "$(cat "$1.log")"
}
start_at startA 1699999260
portA=$port
like "$(cat startA.log)" "site clock starts at 2023-11-15 01:01:00 local time \(--start 1699999260\)" \
    "--start: the start line says where the clock starts"
clock=$(mb_words "$portA" 1 57600 6)
# day month year-2000 hour minute second; a loaded machine may take a while
# to read it, hence minute 1 or 2
like "$clock" "^15 11 23 1 [12] [0-9]+$" "--start: the meter clock reads TIME ($clock)"
# a twin started at least 2 s later, TIME in the local-time form
t1=$(date +%s)
wait_for 10 sh -c "[ \$(date +%s) -ge $((t1 + 2)) ]"
start_at startB 2023-11-15T01:01:00
portB=$port
a=$(counters "$portA")
b=$(counters "$portB")
like "$a" "^50946 4: [0-9]+ [0-9]+ [0-9]+ [0-9]+\$" "--start: the counters are read"
is "$b" "$a" "--start: same --seed and --start, started seconds apart: the same counters"
like "$(mb_words "$portB" 1 57600 6)" "^15 11 23 1 [12] [0-9]+$" \
    "--start YYYY-MM-DDTHH:MM:SS: local time, the meter clock reads it"
# the first one's clock ran on at real speed meanwhile
later=$(mb_words "$portA" 1 57600 6)
mmss() { set -- $1; [ $# -eq 6 ] && echo $(( $5 * 60 + $6 )); }
s0=$(mmss "$clock") s1=$(mmss "$later")
case "$later" in
"15 11 23 1 "[12]" "*) [ "$s1" -ge $((s0 + 2)) ] && ok "--start: the clock runs on from TIME ($clock, then $later)" ||
    not_ok "--start: the clock runs on from TIME" "$clock" "$later" ;;
*) not_ok "--start: the clock runs on from TIME" "$clock" "$later" ;;
esac
# another start, other counters (the history ends elsewhere)
start_at startC 1700085660
like "$(mb_words "$port" 1 57600 6)" "^16 11 23 1 [12] [0-9]+$" "--start a day later: the clock a day later"
c=$(counters "$port")
[ -n "$c" ] && [ "$c" != "$a" ] && ok "--start a day later: other counters" ||
    not_ok "--start a day later: other counters" "$a" "$c"
kill $start_pids
wait $start_pids

# The link: replaces a stale one, points at a pty, goes away on signals.
ln -s /nonexistent/old link
for sig in TERM INT; do
	start_sim "pty$sig" --pty link --units 1-3
	pid=$SIM_PID
	if wait_for 20 test -c link; then ok "SIG$sig run: the link appears"
	else not_ok "SIG$sig run: the link appears" "$(cat "pty$sig.log")"; fi
	like "$(readlink link)" "^/dev/pts/[0-9]+$" "SIG$sig run: it points at a pty"
	like "$(cat "pty$sig.log")" "serving units 1-3 on pty .*link -> /dev/pts/" \
	    "SIG$sig run: the start line says what is served where"
	kill -s "$sig" "$pid"
	wait "$pid"
	is "$?" 0 "SIG$sig: exit 0"
	check "SIG$sig: the link is removed" test ! -e link -a ! -L link
done
done_testing
