#!/bin/sh
# foreign-reident.sh: a unit identified as another product is identified
# again at the offline probes' cadence (1 s, doubling to 30 s), so a unit
# that becomes an E34 again is polled within seconds (issue 13 item 5).
# --export-csv - (a row per meter per cycle on stdout, flushed) against
# countis-sim on TCP: unit 1 foreign, then "1 clear" on the control socket.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/engine-lib.sh"

PORT=$(free_port)
start_sim sim --tcp "127.0.0.1:$PORT" --units 1-2 --fault 1:foreign \
    --control "$T_TMP/ctl" --seed 3
wait_for 20 test -S "$T_TMP/ctl" || { not_ok "simulator up"; done_testing; exit 1; }
ctl() {
	"$PYTHON" -c 'import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1]); s.sendall((sys.argv[2] + "\n").encode())
print(s.recv(200).decode().strip())' "$T_TMP/ctl" "$1"
}
{
	ini_bus gw tcp "$PORT"
	ini_meter other gw 1 250
	ini_meter good gw 2 250
} >"$T_TMP/r.ini"

"$TUI" -c "$T_TMP/r.ini" --export-csv - --cycles 400 >"$T_TMP/out.csv" \
    2>"$T_TMP/err" &
TUI_PID=$!
t_track $TUI_PID
rows_of() { grep -c "^[^,]*,other,gw,1,$1," "$T_TMP/out.csv"; }
has_row() { [ "$(rows_of "$1")" -gt 0 ]; }
if wait_for 20 has_row not-e34; then
	ok "unit 1 is reported foreign (not-e34)"
else
	not_ok "unit 1 is reported foreign (not-e34)" "$(cat "$T_TMP/out.csv" "$T_TMP/err")"
fi
# let the back-off grow a little (several re-identifications)
wait_for 20 sh -c "[ \$(grep -c ',other,gw,1,not-e34,' '$T_TMP/out.csv') -ge 16 ]"
ctl '1 clear' >/dev/null
t0=$(date +%s)
if wait_for 40 has_row ok; then
	dt=$(( $(date +%s) - t0 ))
	ok "an E34 again: polled ok after ${dt} s"
	check "within the probes' back-off bound (<= 31 s), here ${dt} s" \
	    test "$dt" -le 31
else
	not_ok "an E34 again: polled ok" "$(tail -5 "$T_TMP/out.csv")"
fi
# the neighbour never stopped, and the foreign unit had its row every cycle
bad=$(grep ',good,gw,2,' "$T_TMP/out.csv" | grep -v ',good,gw,2,ok,')
is "$bad" "" "the E34 neighbour stays ok"
n_other=$(grep -c ',other,gw,1,' "$T_TMP/out.csv")
n_good=$(grep -c ',good,gw,2,' "$T_TMP/out.csv")
check "the foreign unit had a row per cycle ($n_other vs $n_good)" \
    test $(( n_good - n_other )) -le 2 -a $(( n_other - n_good )) -le 2
kill "$TUI_PID" 2>/dev/null
wait "$TUI_PID" 2>/dev/null
done_testing
