#!/bin/sh
# lazy-libs.sh: the exporters' libraries (libmicrohttpd, libmosquitto, and
# the TLS stacks they pull in) are loaded only when a [prometheus] or
# [mqtt] section asks for them: a plain --export-csv run maps
# none of them (about 4 MiB of resident memory otherwise), one with
# [prometheus] listen maps libmicrohttpd and serves.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/engine-lib.sh"

PORT=$(free_port)
HTTP=$(free_port)
while [ "$HTTP" = "$PORT" ]; do HTTP=$(free_port); done
start_sim sim --tcp "127.0.0.1:$PORT" --units 1 --seed 3
wait_for 20 sh -c "grep -q serving '$T_TMP/sim.log'" ||
    { not_ok "simulator up"; done_testing; exit 1; }
{ ini_bus gw tcp "$PORT"; ini_meter one gw 1 200; } >"$T_TMP/plain.ini"
{ cat "$T_TMP/plain.ini"; printf '[prometheus]\nlisten = 127.0.0.1:%s\n' "$HTTP"; } >"$T_TMP/prom.ini"

libs() { grep -oE 'lib(microhttpd|mosquitto|gnutls|crypto|ssl)[^/ ]*\.so[.0-9]*' "/proc/$1/maps" | sort -u | tr '\n' ' '; }

# --export-csv without exporters: once rows are written, look at its maps
"$TUI" -c "$T_TMP/plain.ini" --export-csv "$T_TMP/out.csv" --cycles 100 2>"$T_TMP/plain.log" &
pid=$!; t_track $pid
if wait_for 30 sh -c "test \$(wc -l <'$T_TMP/out.csv' 2>/dev/null || echo 0) -ge 3"; then
	ok "--export-csv polls"
else
	not_ok "--export-csv polls" "$(cat "$T_TMP/plain.log")"
fi
is "$(libs $pid)" "" "no exporter configured: no exporter or TLS library mapped"
kill -TERM $pid; wait $pid 2>/dev/null

# with [prometheus] listen: libmicrohttpd is loaded and answers
"$TUI" --headless -c "$T_TMP/prom.ini" 2>"$T_TMP/prom.log" &
pid=$!; t_track $pid
if wait_for 20 sh -c "curl -s http://127.0.0.1:$HTTP/metrics | grep -q '^countis_meter_up'"; then
	ok "[prometheus] listen: /metrics served"
else
	not_ok "[prometheus] listen: /metrics served" "$(cat "$T_TMP/prom.log")"
fi
like "$(libs $pid)" "libmicrohttpd" "[prometheus] listen: libmicrohttpd loaded"
unlike "$(libs $pid)" "libmosquitto" "no [mqtt]: libmosquitto not loaded"
kill -TERM $pid; wait $pid 2>/dev/null
done_testing
