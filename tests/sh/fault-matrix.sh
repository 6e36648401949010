#!/bin/sh
# fault-matrix.sh: the hostile-peer fault matrix (issue 11). Every case of
# the table below runs on every transport (Modbus RTU on a paced pty,
# Modbus TCP, RTU over TCP): one hostile peer process serves one line per
# case (a paced pty, or a TCP port), each line a faulty unit and a healthy
# one, plus a line whose unit never answers; one --export-csv -v run polls
# them all. For each case and transport:
#   - the run ends with the documented status (69: only the silent unit is
#     named as never answering), and no sanitizer report;
#   - the faulty unit's rows in the fault window carry the status that
#     names the fault, and the values not validly read are empty;
#   - the bus counters name it (timeouts, crc, io, stray, exceptions;
#     never crc on Modbus TCP, whose frames carry none; RTU over TCP's
#     do, and a frame that fails it counts as crc there as on a pty);
#   - the healthy unit on the same line stays ok (a connection both share
#     may cost it one cycle), and the faulty one is ok again within two
#     poll periods after the window.
# Impossible values (sentinels, a counter going backwards, T1..T4 not
# adding up, a negative frequency) also go through --headless: the
# Prometheus textfile must not export them as fresh. And one console per
# transport, whose fault is switched on and off at run time through the
# peer's control file, keeps answering keys.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/engine-lib.sh"
. "$(dirname "$0")/wire-lib.sh"
. "$(dirname "$0")/../screen/lib-screen.sh"

TIMEOUT_MS=400
POLL_MS=300
CYCLES=7

# The matrix. One line a case:  NAME  FAULT  RTU  TCP  RTUTCP  HEALTHY
# FAULT: the peer's fault for the faulty unit U; ^0xC552#3-4 is poll
# cycles 3 and 4 (0xC552 opens every cycle), @0xC552#3-4 the first request
# of those cycles only. RTU, TCP, RTUTCP (RTU over TCP): STATUS/COUNTER/
# VALUES, what the faulty unit's rows in the window say, which bus counter
# counts it ("-": none needs to move) and what is left of the values: none
# (all empty), all (none empty), m (the metrology block 0xC552 empty, the
# energies there), ea (only ea_total empty), f (only f_hz empty), em (the
# energies empty too: the tail of an answer trickled past its timeout hit
# the next request), e (only the energies and tariff empty: the link
# failed after the metrology block was read; a|b: either). "-": the case does not apply to that
# transport. HEALTHY: all (every row of the healthy unit on the same line
# ok) or one (it may lose one cycle: a TCP connection they share went
# silent).
#
# RTU over TCP is RTU framing (the same frame cutting, CRC check and
# stray handling as on a serial line) on a TCP connection, so it is judged
# like RTU, CRC included, except where the transport differs:
#   - reset, half-open, close: the connection's own faults, judged as on
#     TCP: reset is io and the connection is made anew at once (it had
#     answered), so the healthy unit behind the same converter loses
#     nothing; half-open is three timeouts in a row, then a new connection
#     (the healthy unit sharing it may lose one cycle); close (the answer
#     twice, then FIN) is io at the next request, noticed at once (below);
#   - mbap-65535 is Modbus TCP framing: no case here, nor on RTU;
#   - bad-crc (a whole answer with a wrong CRC) is a case on both RTU
#     framings, none on Modbus TCP (no CRC in MBAP).
# Same status by another path: truncated and bad-count (an answer that
# stops short) are crc on both RTU framings, on a pty after the byte
# timeout, over TCP at the request's deadline (a converter may hold a
# segment back, so there is no byte timeout; doc/engine.md, RTU over TCP).
MATRIX='
garbage      U:garbage@0xC552#3-4      crc/crc/m          io/io/none            crc/crc/m          all
truncated    U:truncate@0xC552#3-4     crc/crc/m          timeout/timeouts/none crc/crc/m          all
other-unit   U:unit=200@0xC552#3-4     timeout/stray/none timeout/stray/none    timeout/stray/none all
other-fc     U:fc=4@0xC552#3-4         crc/crc/m          timeout/stray/none    crc/crc/m          all
bad-count    U:badcount@0xC552#3-4     crc/crc/m          timeout/stray/none    crc/crc/m          all
bad-crc      U:badcrc@0xC552#3-4       crc/crc/m          -                     crc/crc/m          all
previous     U:previous@0xC552#3-4     timeout/stray/none timeout/stray/none    timeout/stray/none all
late         U:late=600@0xC552#3-4     timeout/timeouts/none timeout/timeouts/none timeout/timeouts/none all
twice        U:twice@0xC552#3-4        ok/stray/all       ok/stray/all          ok/stray/all       all
spread-under U:spread=250@0xC552#3-4   ok/-/all           ok/-/all              ok/-/all           all
spread-over  U:spread=500@0xC552#3-4   crc/crc/m|em|none  timeout/timeouts/none crc/crc/m|em|none  all
exc-01       U:exception=1^0xC552#3-4  exception-1/exceptions/none  exception-1/exceptions/none  exception-1/exceptions/none  all
exc-02       U:exception=2^0xC552#3-4  exception-2/exceptions/none  exception-2/exceptions/none  exception-2/exceptions/none  all
exc-03       U:exception=3^0xC552#3-4  exception-3/exceptions/none  exception-3/exceptions/none  exception-3/exceptions/none  all
exc-04       U:exception=4^0xC552#3-4  exception-4/exceptions/none  exception-4/exceptions/none  exception-4/exceptions/none  all
exc-06       U:exception=6^0xC552#3-4  exception-6/exceptions/none  exception-6/exceptions/none  exception-6/exceptions/none  all
exc-11       U:exception=11^0xC552#3-4 exception-11/exceptions/none exception-11/exceptions/none exception-11/exceptions/none all
sentinel     U:sentinel^0xC552#3-4     ok/-/none          ok/-/none             ok/-/none          all
backwards    U:backwards^0xC552#3-4    ok/-/ea            ok/-/ea               ok/-/ea            all
negfreq      U:negfreq^0xC552#3-4      ok/-/f             ok/-/f                ok/-/f             all
silent       U:silent@0xC552#3-4       timeout/timeouts/none timeout/timeouts/none timeout/timeouts/none all
reset        U:reset@0xC552#3-4        -                  io/io/none            io/io/none         all
half-open    U:halfopen@0xC552#3       -                  timeout/timeouts/none timeout/timeouts/none one
close        U:close@0xC552#3-4        -                  io/io/e               io/io/e            all
mbap-65535   U:mbap65535@0xC552#3-4    -                  io/io/none            -                  all
'
# Transports, one line each: NAME (a shell identifier), the column of
# MATRIX it is judged by (3 RTU, 4 TCP, 5 RTU over TCP) and whether its
# frames carry a CRC (no: the crc counter must stay 0). Each has line_NAME
# K (the peer's option for case K's line) and bus_NAME K (its [bus]
# section, named bK).
TRANSPORTS='
rtu 3 crc
tcp 4 no
rtutcp 5 crc
'
line_rtu() { echo "--pty $T_TMP/line-$1"; }
bus_rtu() {
	printf '[bus b%s]\ntype = rtu\ndevice = %s\nbaud = 19200\n' "$1" \
	    "$T_TMP/line-$1"
	printf 'timeout_ms = %s\n\n' "$TIMEOUT_MS"
}
line_tcp() { eval "echo --tcp 127.0.0.1:\$port_$1"; }
bus_tcp() {
	eval "_p=\$port_$1"
	printf '[bus b%s]\ntype = tcp\nhost = 127.0.0.1\nport = %s\n' "$1" "$_p"
	printf 'timeout_ms = %s\n\n' "$TIMEOUT_MS"
}
# a converter whose serial side runs at 19200, the speed the peer paces at
line_rtutcp() { eval "echo --rtu-tcp 127.0.0.1:\$port_$1"; }
bus_rtutcp() {
	eval "_p=\$port_$1"
	printf '[bus b%s]\ntype = rtu-tcp\nhost = 127.0.0.1\nport = %s\n' \
	    "$1" "$_p"
	printf 'baud = 19200\ntimeout_ms = %s\n\n' "$TIMEOUT_MS"
}

# The cases, numbered from 1 (case K: unit K faulty, 100+K healthy), and
# one more line whose unit never answers.
n=0
while read -r name fault rtu tcp rtutcp healthy; do
	[ -n "$name" ] || continue
	n=$(( n + 1 ))
	eval "c_name_$n=\$name c_fault_$n=\$fault c_3_$n=\$rtu c_4_$n=\$tcp \
	    c_5_$n=\$rtutcp c_healthy_$n=\$healthy"
done <<END
$MATRIX
END
NCASES=$n
SILENT=$(( n + 1 ))
units=$(seq 1 $SILENT | tr '\n' ,)$(seq 101 $(( 100 + n )) | tr '\n' , |
    sed 's/,$//')

# free_ports N: N TCP ports nothing listens on now (one Python start-up)
free_ports() {
	"$PYTHON" -c 'import socket, sys
ss = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in ss: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))' "$1"
}
san_clean() { ! grep -Eq 'runtime error|AddressSanitizer|LeakSanitizer' "$1"; }

# digest CSV ERR: shell assignments from the run, so the checks fork
# nothing: st_METER (its statuses), vc_METER_ROW (what is left of the
# values: none, all, m, ea, f, em, e, or the empty columns),
# ctr_BUS_COUNTER.
digest() {
	awk -F, 'FNR == 1 && FILENAME ~ /csv$/ { next }
	FILENAME ~ /csv$/ {
		m = $2; st[m] = st[m] $5 " "; r = ++row[m]
		ne = 0; miss = ""
		for (i = 7; i <= 34; i++) if ($i == "") { ne++; miss = miss "_" i }
		metro = 1
		for (i = 13; i <= 33; i++) if ($i != "") metro = 0
		if (ne == 0) c = "all"
		else if (ne == 28) c = "none"
		else if (miss == "_7") c = "ea"
		else if (miss == "_27") c = "f"
		else if (metro && ne == 21) c = "m"
		else if (metro && ne == 23 && $7 == "" && $34 == "") c = "em"
		else if (miss == "_7_8_9_10_11_12_34") c = "e"
		else c = "cols" miss
		printf "vc_%s_%d=%s\n", m, r, c
		next
	}
	/^bus b[0-9]*: [0-9]* requests/ {
		n = split($0, w, " ")
		b = w[2]; sub(/:$/, "", b)
		for (i = 3; i < n; i++) if (w[i] ~ /^[0-9]+$/) {
			k = w[i + 1]; sub(/,$/, "", k)
			if (k ~ /^(requests|answers|timeouts|crc|io|stray|exceptions)$/)
				printf "ctr_%s_%s=%s\n", b, k, w[i]
		}
	}
	END { for (m in st) printf "st_%s=\"%s\"\n", m, st[m] }' "$1" "$2"
}

run_transport() {
	tr=$1 col=$2 crc=$3
	set -- $(free_ports $SILENT)
	k=1 args=""
	for p in "$@"; do
		eval "port_$k=$p"
		args="$args $(line_$tr $k)"
		k=$(( k + 1 ))
	done
	: >"$T_TMP/$tr.faults"
	: >"$T_TMP/$tr.ini"
	k=1
	while [ $k -le $NCASES ]; do
		eval "exp=\$c_${col}_$k f=\$c_fault_$k"
		if [ "$exp" != - ]; then
			echo "$f" | tr + '\n' | sed "s/^U:/$k:/" >>"$T_TMP/$tr.faults"
			{
				bus_$tr $k
				ini_meter "c$k" "b$k" $k $POLL_MS
				ini_meter "h$k" "b$k" $(( 100 + k )) $POLL_MS
			} >>"$T_TMP/$tr.ini"
		fi
		k=$(( k + 1 ))
	done
	echo "$SILENT:silent" >>"$T_TMP/$tr.faults"
	{ bus_$tr $SILENT; ini_meter "c$SILENT" "b$SILENT" $SILENT $POLL_MS; } \
	    >>"$T_TMP/$tr.ini"
	start_peer "$tr" $args --baud 19200 --units "$units" \
	    --control "$T_TMP/$tr.faults"
	"$TUI" -c "$T_TMP/$tr.ini" --export-csv "$T_TMP/$tr.csv" \
	    --cycles $CYCLES -v 2>"$T_TMP/$tr.err"
	is "$?" 69 "$tr: the run ends with 69 (one unit never answered)"
	# a TCP connection that never answered is made anew after three
	# timeouts, with back-off: its last cycles may say io instead
	like "$(grep 'never answered' "$T_TMP/$tr.err")" \
	    "^countis-tui: meter c$SILENT \\(bus b$SILENT, address $SILENT\\) never answered as an E34: (timeout|io)\$" \
	    "$tr: only the silent unit is named as never answering"
	is "$(grep -c 'never answered' "$T_TMP/$tr.err")" 1 "$tr: one unit named"
	check "$tr: no sanitizer report" san_clean "$T_TMP/$tr.err"
	digest "$T_TMP/$tr.csv" "$T_TMP/$tr.err" >"$T_TMP/$tr.digest"
	. "$T_TMP/$tr.digest"
	k=1
	while [ $k -le $NCASES ]; do
		eval "exp=\$c_${col}_$k"
		[ "$exp" = - ] || check_case "$tr" $k "$exp" "$crc"
		k=$(( k + 1 ))
	done
}

# check_case TRANSPORT K STATUS/COUNTER/VALUES CRC
check_case() {
	_tr=$1 _k=$2 _hascrc=$4
	_st=${3%%/*} _ctr=${3#*/} _vals=${3##*/}
	_ctr=${_ctr%/*}
	eval "_name=\$c_name_$_k _hl=\$c_healthy_$_k _got=\$st_c$_k \
	    _h=\$st_h$_k"
	_d="$_tr $_name:"
	# rows 1-2 ok; 3-4 the fault (3 only for half-open); ok again from
	# row 6 on, two poll periods after the window
	set -- $_got
	_want="ok ok $_st $_st"
	[ "$_name" = half-open ] && _want="ok ok $_st"
	case "$_got" in
	"$_want "*) ok "$_d status $_st in the window ($_got)" ;;
	*) not_ok "$_d status $_st in the window" "got: $_got" ;;
	esac
	is "${6:-} ${7:-}" "ok ok" "$_d ok again within two poll periods ($_got)"
	for _r in 3 4; do
		[ "$_name" = half-open ] && [ $_r = 4 ] && continue
		eval "_vc=\${vc_c${_k}_$_r:-}"
		case "|$_vals|" in
		*"|$_vc|"*) ok "$_d row $_r: values left: $_vc" ;;
		*) not_ok "$_d row $_r: values left: $_vals" "got: $_vc" ;;
		esac
	done
	if [ "$_name" = close ]; then
		# a connection the peer closed is noticed when it is read, never
		# by spending a request's timeout on it: nothing reaches the
		# peer later than half a timeout after its FIN
		_fin=$(sed -n 's/.*: request \([0-9]*\) ms after its FIN$/\1/p' \
		    "$T_TMP/$_tr.log" | sort -n | tail -1)
		if [ "${_fin:-0}" -lt $(( TIMEOUT_MS / 2 )) ]; then
			ok "$_d the closed connection noticed at once (requests after its FIN: ${_fin:+the latest $_fin ms after}${_fin:-none})"
		else
			not_ok "$_d the closed connection noticed at once" \
			    "a request $_fin ms after the FIN (timeout $TIMEOUT_MS ms)"
		fi
	fi
	if [ "$_ctr" != - ]; then
		eval "_n=\${ctr_b${_k}_$_ctr:-0}"
		if [ "$_n" -gt 0 ]; then ok "$_d counted as $_ctr ($_n)"
		else not_ok "$_d counted as $_ctr" \
		    "$(grep "^bus b$_k:" "$T_TMP/$_tr.err")"; fi
	fi
	if [ "$_hascrc" = no ]; then
		eval "_n=\${ctr_b${_k}_crc:-x}"
		is "$_n" 0 "$_d no crc counted on $_tr"
	fi
	set -- $_h
	_bad=0
	for _s in "$@"; do [ "$_s" = ok ] || _bad=$(( _bad + 1 )); done
	if [ $# -ne $CYCLES ]; then
		not_ok "$_d the healthy unit: $CYCLES rows" "got: $_h"
	elif [ "$_hl" = all ]; then
		is "$_bad" 0 "$_d the healthy unit stays ok ($_h)"
	elif [ "$_bad" -le 1 ]; then
		ok "$_d the healthy unit loses one cycle at most ($_h)"
	else
		not_ok "$_d the healthy unit loses one cycle at most" "got: $_h"
	fi
}

while read -r tr col crc; do
	[ -n "$tr" ] && run_transport "$tr" "$col" "$crc"
done <<END
$TRANSPORTS
END

# Impossible values through --headless, whose Prometheus exporter must not
# export them as fresh; the faults switched on and off at run time through
# the peer's control file. On every transport: unit K1 T1..T4 not adding up
# to the total, K2 the total going backwards, K3 a negative frequency, K4
# every value "not available", K5 healthy (K = 20 + 10 * transport).
HL="$T_TMP/hl.faults"
: >"$HL"
set -- $(free_ports 9)
hl_args="" hl_units="" t=0
while read -r tr col crc; do
	[ -n "$tr" ] || continue
	t=$(( t + 1 ))
	eval "port_$(( 40 + t ))=\$1"; shift
	hl_args="$hl_args $(line_$tr $(( 40 + t )))"
	k=1
	while [ $k -le 5 ]; do
		hl_units="$hl_units,$(( 10 + 10 * t + k ))"; k=$(( k + 1 ))
	done
done <<END
$TRANSPORTS
END
start_peer hl $hl_args --baud 19200 --units "${hl_units#,}" --control "$HL"
# hl_ini [prometheus]: the configuration over every transport
hl_ini() {
	[ -n "${1:-}" ] && printf '[prometheus]\ntextfile = %s\n\n' "$T_TMP/hl.prom"
	t=0
	while read -r tr col crc; do
		[ -n "$tr" ] || continue
		t=$(( t + 1 ))
		bus_$tr $(( 40 + t ))
		for k in 1 2 3 4 5; do
			ini_meter "$tr-$k" "b$(( 40 + t ))" $(( 10 + 10 * t + k )) $POLL_MS
		done
	done <<END
$TRANSPORTS
END
}
hl_ini prometheus >"$T_TMP/hl.ini"
"$TUI" --headless -c "$T_TMP/hl.ini" 2>"$T_TMP/hl.err" &
hl_pid=$!
t_track $hl_pid
# up METER: its countis_meter_up in the textfile
up() { sed -n "s/^countis_meter_up{meter=\"$1\"} //p" "$T_TMP/hl.prom" 2>/dev/null; }
up_is() { [ "$(up "$1")" = "$2" ]; }
series() { grep -c "^countis_[a-z_]*{meter=\"$1\",bus" "$T_TMP/hl.prom"; }
no_fast_series() {
	! grep "^countis_[a-z_]*{meter=\"$1\",bus" "$T_TMP/hl.prom" |
	    grep -qv '^countis_meter_\|^countis_energy_active_export'
}
all_up() {
	for _m in $(sed -n 's/^\[meter \(.*\)\]$/\1/p' "$T_TMP/hl.ini"); do
		up_is "$_m" 1 || return 1
	done
}
wait_for 60 all_up && ok "headless: every meter up before the faults" ||
    not_ok "headless: every meter up before the faults" "$(cat "$T_TMP/hl.prom" 2>/dev/null | grep meter_up)"
t=0
while read -r tr col crc; do
	[ -n "$tr" ] || continue
	t=$(( t + 1 )); b=$(( 10 + 10 * t ))
	printf '%d:tsum\n%d:backwards\n%d:negfreq\n%d:sentinel\n' \
	    $(( b + 1 )) $(( b + 2 )) $(( b + 3 )) $(( b + 4 )) >>"$HL.new"
done <<END
$TRANSPORTS
END
mv "$HL.new" "$HL"
while read -r tr col crc; do
	[ -n "$tr" ] || continue
	for c in "1 T1..T4 not adding up to the total" \
	    "2 the total going backwards" "3 a negative frequency"; do
		if wait_for 20 up_is "$tr-${c%% *}" 0; then
			ok "headless $tr: ${c#* }: not up, its values left out ($(series "$tr-${c%% *}") series)"
		else
			not_ok "headless $tr: ${c#* }: not up" "$(grep "\"$tr-${c%% *}\"" "$T_TMP/hl.prom")"
		fi
	done
	# left: the slow set read before the fault (exported energy) and
	# the meter's own counters
	if wait_for 20 no_fast_series "$tr-4"; then
		ok "headless $tr: every value not available: no value series"
	else
		not_ok "headless $tr: every value not available: no value series" \
		    "$(grep "\"$tr-4\"" "$T_TMP/hl.prom")"
	fi
	unlike "$(grep "\"$tr-" "$T_TMP/hl.prom")" '42949|655\.35|6553[0-9]\.|21474836' \
	    "headless $tr: no sentinel or wrapped value exported"
	is "$(up "$tr-5")" 1 "headless $tr: the healthy unit on the same line stays up"
done <<END
$TRANSPORTS
END
: >"$HL"
wait_for 60 all_up && ok "headless: every meter up again once the faults clear" ||
    not_ok "headless: every meter up again once the faults clear" "$(grep meter_up "$T_TMP/hl.prom")"
check "headless: still running" kill -0 $hl_pid
kill -TERM $hl_pid
wait_for 20 sh -c "! kill -0 $hl_pid 2>/dev/null"
check "headless: no sanitizer report" san_clean "$T_TMP/hl.err"

# The console on the same lines: a unit silenced then cleared at run time
# through the control file; the console keeps answering keys meanwhile.
hl_ini >"$T_TMP/con.ini"
scr_start 100 30 C.UTF-8 -c "$T_TMP/con.ini"
while read -r tr col crc; do
	[ -n "$tr" ] || continue
	scr_row_expect 30 " $tr-5 +b4" ' ok' "console $tr: up, the healthy unit ok"
done <<END
$TRANSPORTS
END
t=0 faults=""
while read -r tr col crc; do
	[ -n "$tr" ] || continue
	t=$(( t + 1 ))
	faults="$faults$(( 11 + 10 * t )):silent
"
done <<END
$TRANSPORTS
END
printf '%s' "$faults" >"$HL"
while read -r tr col crc; do
	[ -n "$tr" ] || continue
	scr_row_expect 20 " $tr-1 +b4" '(timeout|offline)' "console $tr: the silenced unit shows timeout"
	scr_row_expect 20 " $tr-5 +b4" ' ok' "console $tr: the healthy unit on its line stays ok"
done <<END
$TRANSPORTS
END
scr_keys 6
scr_expect 10 '^Bus b41' "console: key 6 shows the Bus screen during the fault"
scr_keys 1
scr_body_expect 10 '[a-z]+-5 +b4[0-9]/[0-9]+ ' "console: key 1 back to Fleet"
: >"$HL"
while read -r tr col crc; do
	[ -n "$tr" ] || continue
	# given up after three failed cycles, it is probed with back-off
	scr_row_expect 40 " $tr-1 +b4" ' ok' "console $tr: ok again once cleared"
done <<END
$TRANSPORTS
END
check "console: still running" kill -0 "$(scr_pid)"
done_testing
