# tests/sh/wire-lib.sh: helpers for the wire tests against tests/py/hostile.py,
# a Modbus peer that misbehaves on request. Source after lib.sh and
# engine-lib.sh (ini_bus, ini_meter, csv_row, field, fix).
HOSTILE="$SRCDIR/tests/py/hostile.py"

# start_peer NAME ARGS...: run the hostile peer, its log in $T_TMP/NAME.log;
# waits until it serves. Pid in $PEER_PID.
start_peer() {
	_n=$1; shift
	"$PYTHON" "$HOSTILE" "$@" 2>"$T_TMP/$_n.log" &
	PEER_PID=$!
	t_track $PEER_PID
	wait_for 30 grep -q '^serving' "$T_TMP/$_n.log" ||
	    { not_ok "peer $_n up" "$(cat "$T_TMP/$_n.log")"; done_testing; exit 1; }
}
# served LOG FAULT KEY: the value KEY (ea, v1) the request that met FAULT
# carried, as the CSV prints it (2 decimals), e.g. served p.log 1:late ea
served() {
	_v=$(grep -F " $2" "$1" | sed -n "s/.* $3=\([0-9]*\).*/\1/p" | head -1)
	[ -n "$_v" ] && fix "$_v" 2
}
# statuses CSV METER: the status column of METER's rows, one line
statuses() { awk -F, -v m="$2" '$2 == m { printf "%s ", $5 }' "$1"; }
# ms_since T0: milliseconds since T0 (date +%s%N)
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
# bus_stat ERRFILE NAME: the bus counter NAME (crc, io, stray, timeouts...)
# from --export-csv -v
bus_stat() { sed -n "s/.* \([0-9]*\) $2[,s].*/\1/p" "$1" | head -1; }
