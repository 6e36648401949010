#!/bin/sh
# sim-cli.sh: countis-sim's command line (PRODUCT.md). Usage errors exit 64
# with a message naming the option and value and create nothing; a device,
# socket or port that cannot be opened exits 66; --help and --version go to
# stdout. The --pty link points at a pseudo-terminal, replaces a stale link,
# refuses to replace a regular file, and is removed on SIGTERM and SIGINT.
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
usage "unknown option" "--bogus: unknown option" --pty l1 --bogus
usage "missing argument" "--pty: missing argument" --pty
usage "stray argument" "'extra': unexpected argument" --pty l1 extra
check "usage errors create no link" test ! -e l1 -a ! -L l1

"$SIM" --help >h.out 2>h.err
is "$?" 0 "--help: exit 0"
help=$(cat h.out)
for o in --pty --serial --tcp --units --baud --parity --stop-bits --fault \
    --control --seed --speedup; do
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
