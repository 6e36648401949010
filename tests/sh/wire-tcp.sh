#!/bin/sh
# wire-tcp.sh: Modbus TCP against a hostile peer (tests/py/hostile.py, frames
# by hand, nothing shared with countis-sim). A late, duplicated or stray
# answer is skipped as a stray and never desynchronises the bus: only the
# slow unit times out, no row is crc, no value comes from another answer;
# an answer with another unit id is refused; any exception code is the
# unit's answer (exception-N, no reconnect); a trickled answer ends at the
# timeout; a gateway gone half-open is replaced by a new connection; --scan
# goes on past odd exceptions, takes [::1]:port and names a host that does
# not resolve. Issue 8 items 1, 2, 4, 5, 6, 10.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/engine-lib.sh"
. "$(dirname "$0")/wire-lib.sh"

TIMEOUT_MS=300
# run_export NAME CYCLES METERS...: --export-csv -v against the peer on
# $PORT; METERS are "label:unit". CSV in NAME.csv, stderr in NAME.err.
run_export() {
	_n=$1; _c=$2; shift 2
	{
		ini_bus gw tcp "$PORT"
		for _m in "$@"; do ini_meter "${_m%%:*}" gw "${_m#*:}" 100; done
	} >"$T_TMP/$_n.ini"
	"$TUI" -c "$T_TMP/$_n.ini" --export-csv "$T_TMP/$_n.csv" --cycles "$_c" \
	    -v 2>"$T_TMP/$_n.err"
}

# 1. one late answer: the slow unit times out once, its neighbour never
PORT=$(free_port)
start_peer late --tcp "127.0.0.1:$PORT" --units 1,2 --fault '1:late=450@0xC702#3'
run_export late 8 slow:1 fast:2
is "$(statuses "$T_TMP/late.csv" slow)" "ok ok timeout ok ok ok ok ok " \
    "late answer: only that cycle of the slow unit times out"
is "$(statuses "$T_TMP/late.csv" fast)" "ok ok ok ok ok ok ok ok " \
    "late answer: the neighbour behind the same gateway stays ok"
late=$(served "$T_TMP/late.log" 1:late ea)
unlike "$(grep ',slow,' "$T_TMP/late.csv" | cut -d, -f7)" "^$late\$" \
    "no row carries the late answer's energy ($late)"
is "$(bus_stat "$T_TMP/late.err" crc)" 0 "late answer: no CRC on a TCP bus"
is "$(bus_stat "$T_TMP/late.err" stray)" 1 "late answer: counted as 1 stray"
is "$(bus_stat "$T_TMP/late.err" timeouts)" 1 "late answer: 1 timeout"

# a duplicated answer and a stray frame with another transaction id
PORT=$(free_port)
start_peer dup --tcp "127.0.0.1:$PORT" --units 1 --fault '1:twice@0xC552#2-3' \
    --fault '1:stray@0xC702#2-3'
run_export dup 5 m:1
is "$(statuses "$T_TMP/dup.csv" m)" "ok ok ok ok ok " \
    "duplicated and stray answers: every cycle ok"
unlike "$(cat "$T_TMP/dup.csv")" '999999|99999\.' "no value from a stray frame"
is "$(bus_stat "$T_TMP/dup.err" crc)" 0 "duplicates: no CRC"
is "$(bus_stat "$T_TMP/dup.err" stray)" 4 "two duplicates and two strays counted as stray"
ea=$(csv_row "$T_TMP/dup.csv" m 5 | cut -d, -f7)
is "$ea" "$(fix "$(sed -n 's/^unit 1 0xC702 .* ea=\([0-9]*\).*/\1/p' "$T_TMP/dup.log" | tail -1)" 2)" \
    "the last row's energy is the last answer's"

# 2. another unit id in the answer is refused
PORT=$(free_port)
start_peer unit --tcp "127.0.0.1:$PORT" --units 1 --fault '1:unit=5@0xC702#3'
run_export unit 5 m:1
is "$(statuses "$T_TMP/unit.csv" m)" "ok ok timeout ok ok " \
    "an answer from unit 5 to unit 1 is not taken (timeout)"
wrong=$(served "$T_TMP/unit.log" 1:unit ea)
unlike "$(cut -d, -f7 "$T_TMP/unit.csv")" "^$wrong\$" \
    "no row carries the other unit's energy ($wrong)"
is "$(bus_stat "$T_TMP/unit.err" stray)" 1 "the other unit's answer: 1 stray"

# 4. exception codes 0, 19 and 255: the units' answers, the line stays open
PORT=$(free_port)
start_peer exc --tcp "127.0.0.1:$PORT" --units 1,2,3,4 --fault 1:exception=0 \
    --fault 2:exception=19 --fault 3:exception=255
run_export exc 4 e0:1 e19:2 e255:3 good:4
is "$(statuses "$T_TMP/exc.csv" e0)" "exception-0 exception-0 exception-0 exception-0 " "code 0: exception-0"
is "$(statuses "$T_TMP/exc.csv" e19)" "exception-19 exception-19 exception-19 exception-19 " "code 19: exception-19"
is "$(statuses "$T_TMP/exc.csv" e255)" "exception-255 exception-255 exception-255 exception-255 " "code 255: exception-255"
is "$(statuses "$T_TMP/exc.csv" good)" "ok ok ok ok " "the healthy unit on the same gateway: ok"
is "$(bus_stat "$T_TMP/exc.err" io)" 0 "no I/O error"
is "$(grep -c '^connection [0-9]*$' "$T_TMP/exc.log")" 1 "one connection: never closed and reopened"

"$TUI" --scan "127.0.0.1:$PORT" --first 1 --last 5 --timeout-ms 300 \
    >"$T_TMP/scan.out" 2>"$T_TMP/scan.err"
is "$?" 0 "scan past exceptions 0, 19, 255: exit 0"
is "$(cat "$T_TMP/scan.out")" "1 unidentified (answers exception 0 at 0xC350)
2 unidentified (answers exception 19 at 0xC350)
3 unidentified (answers exception 255 at 0xC350)
4 COUNTIS E34 serial 1234-5678-4 sw 1.02" "scan lists every unit, the E34 after them"
unlike "$(cat "$T_TMP/scan.err")" 'Unknown error' "no 'Unknown error'"

# 5. an answer trickled at 450 ms a byte ends at the timeout
PORT=$(free_port)
start_peer trickle --tcp "127.0.0.1:$PORT" --units 1 --fault '1:trickle=450@0xC350#1'
t0=$(date +%s%N)
run_export trickle 1 m:1
ms=$(ms_since "$t0")
is "$(statuses "$T_TMP/trickle.csv" m)" "timeout " "trickled answer: timeout, not accepted"
check "trickled answer: the run took $ms ms (timeout 300 ms; the answer takes 7.6 s)" \
    test "$ms" -lt 4000

# 6. a gateway that keeps the socket and stops answering: new connection
PORT=$(free_port)
start_peer half --tcp "127.0.0.1:$PORT" --units 1 --fault '1:halfopen#8'
run_export half 12 m:1
st=$(statuses "$T_TMP/half.csv" m)
like "$st" '^(ok )+(timeout ){3}(ok )+$' "half-open: 3 timeouts, then ok again ($st)"
like "$(cat "$T_TMP/half.log")" 'connection 2' "half-open: a second connection was made"

# 10. --scan names a host that does not resolve, and takes [IPv6]:port
"$TUI" --scan nosuch.invalid:502 --first 1 --last 1 >/dev/null 2>"$T_TMP/nohost.err"
is "$?" 66 "unresolvable host: exit 66"
like "$(cat "$T_TMP/nohost.err")" "cannot resolve host 'nosuch\\.invalid'" \
    "unresolvable host: said so ($(cat "$T_TMP/nohost.err"))"
unlike "$(cat "$T_TMP/nohost.err")" 'refused' "not 'Connection refused'"
if "$PYTHON" -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
	PORT=$(free_port)
	start_peer v6 --tcp "[::1]:$PORT" --units 7
	"$TUI" --scan "[::1]:$PORT" --first 6 --last 8 --timeout-ms 300 \
	    >"$T_TMP/v6.out" 2>"$T_TMP/v6.err"
	is "$?" 0 "scan [::1]:port: exit 0"
	is "$(cat "$T_TMP/v6.out")" "7 COUNTIS E34 serial 1234-5678-7 sw 1.02" \
	    "scan [::1]:port finds the unit"
	like "$(cat "$T_TMP/v6.err")" "on ::1:$PORT " "the summary names the IPv6 host"
else
	not_ok "this host has no IPv6 loopback (::1) to test [::1]:port on"
fi
"$TUI" --scan "[::1" >/dev/null 2>&1
is "$?" 64 "unclosed bracket: exit 64"
done_testing
