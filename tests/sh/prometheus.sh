#!/bin/sh
# prometheus.sh: countis-tui --headless with a [prometheus] section against
# countis-sim on Modbus TCP. /metrics scraped with curl passes promtool
# check metrics; the energy counters of a unit without load equal mbpoll's
# read of the same registers, in joules exactly; a unit made dead at run
# time keeps only up 0, info and its last success time within two poll
# periods; the textfile is replaced atomically; only GET /metrics and / are
# served, only on the configured address; [prometheus] errors name
# file:line and exit 78.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/engine-lib.sh"
command -v promtool >/dev/null || skip_all "promtool not installed (apt-get install prometheus)"
command -v curl >/dev/null || skip_all "curl not installed"
command -v mbpoll >/dev/null || skip_all "mbpoll not installed"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

PORT=$(free_port)
HTTP=$(free_port)
while [ "$HTTP" = "$PORT" ]; do HTTP=$(free_port); done
MB_OPTS="-m tcp -p $PORT"
MB_DEV=127.0.0.1
URL="http://127.0.0.1:$HTTP"

ctl() {	# ctl LINE: one line to the simulator's control socket
	"$PYTHON" -c 'import socket,sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.sendall((sys.argv[2] + "\n").encode()); print(s.recv(600).decode().strip())' \
	    "$T_TMP/ctl" "$1"
}

# Unit 3 has lost every phase: no load, its energy counters stand still.
start_sim sim --tcp "127.0.0.1:$PORT" --units 1-3 --seed 5 \
    --fault 3:phase-loss=1 --fault 3:phase-loss=2 --fault 3:phase-loss=3 \
    --control "$T_TMP/ctl"
wait_for 20 sh -c "grep -q serving '$T_TMP/sim.log'" ||
    { not_ok "simulator up"; done_testing; exit 1; }

POLL=1000
{
	ini_bus gw tcp "$PORT"
	ini_meter live gw 1 $POLL
	ini_meter victim gw 2 $POLL
	ini_meter frozen gw 3 $POLL
	printf '[prometheus]\nlisten = 127.0.0.1:%s\ntextfile = %s\n' \
	    "$HTTP" "$T_TMP/countis.prom"
} >"$T_TMP/p.ini"

"$TUI" --headless -c "$T_TMP/p.ini" 2>"$T_TMP/tui.log" &
TUI_PID=$!
t_track $TUI_PID

scrape() { curl -s -f "$URL/metrics" >"$T_TMP/m.txt"; }
all_up() {
	scrape && [ "$(grep -c '^countis_meter_up{.*} 1$' "$T_TMP/m.txt")" = 3 ] &&
	    grep -q '^countis_energy_active_import_joules_total{meter="frozen"' "$T_TMP/m.txt"
}
wait_for 20 all_up || { not_ok "every meter up" "$(cat "$T_TMP/tui.log")"; done_testing; exit 1; }
ok "every meter up on /metrics"

promtool check metrics <"$T_TMP/m.txt" >"$T_TMP/promtool.out" 2>&1
is "$?:$(cat "$T_TMP/promtool.out")" "0:" "promtool check metrics reports nothing"
ctype=$(curl -s -o /dev/null -w '%{content_type}' "$URL/metrics")
like "$ctype" '^text/plain; version=0\.0\.4' "exposition content type"

# Every family has HELP and TYPE; no label value means "total".
missing=$(awk '/^# TYPE / { t[$3] = 1; next } /^# HELP / { h[$3] = 1; next }
    /^[a-z]/ { n = $1; sub(/\{.*/, "", n); if (!(n in t) || !(n in h)) print n }' \
    "$T_TMP/m.txt" | sort -u)
is "$missing" "" "HELP and TYPE for every family"
unlike "$(cat "$T_TMP/m.txt")" '="[Tt]otal"' "no label value meaning total"
like "$(cat "$T_TMP/m.txt")" 'countis_meter_info\{meter="live",bus="gw",address="1",model="COUNTIS E34",serial="[^"]+",firmware="[0-9.]+"\} 1' "info series with model, serial, firmware"
like "$(cat "$T_TMP/m.txt")" 'countis_bus_requests_total\{bus="gw"\} [1-9]' "bus request counter"
like "$(cat "$T_TMP/m.txt")" 'countis_bus_errors_total\{bus="gw",reason="timeout"\} 0' "bus error counter by reason"

# Values equal the simulator's registers (unit 3 does not move).
metric() {	# metric NAME LABELS: the value of one series in m.txt
	grep -F "$1{$2} " "$T_TMP/m.txt" | sed 's/.* //'
}
e=$(mb_words 3 50946 4)		# 0xC702: Ea+ total, Er+ total (10 Wh)
t=$(mb_words 3 51200 10)	# 0xC800: count, active, T1..T4
L='meter="frozen",bus="gw",address="3"'
is "$(metric countis_energy_active_import_joules_total "$L")" \
    "$(( $(u32 "$e" 0) * 36000 ))" "Ea+ total in joules equals mbpoll's 10 Wh register x 36000"
is "$(metric countis_energy_reactive_import_volt_amperes_reactive_seconds_total "$L")" \
    "$(( $(u32 "$e" 2) * 36000 ))" "Er+ total in var.s equals mbpoll's read x 36000"
for k in 1 2 3 4; do
	is "$(metric countis_energy_active_import_tariff_joules_total "$L,tariff=\"$k\"")" \
	    "$(( $(u32 "$t" $(( k * 2 ))) * 36000 ))" "tariff $k energy equals mbpoll's read"
done
is "$(metric countis_tariff_active "$L")" "$(word "$t" 1)" "active tariff equals mbpoll's read"
m=$(mb_words 3 50520 2)		# 0xC558: V1
is "$(metric countis_voltage_volts "$L,phase=\"L1\"")" "$(fix "$(u32 "$m" 0)" 2)" "V1 equals mbpoll's read"

# Only GET (and HEAD) on /metrics and /; nothing else, nowhere else.
is "$(curl -s -o /dev/null -w '%{http_code}' -X POST -d x=1 "$URL/metrics")" 405 "POST /metrics: 405"
is "$(curl -s -o /dev/null -w '%{http_code}' -X PUT "$URL/")" 405 "PUT /: 405"
like "$(curl -s -D - -o /dev/null -X DELETE "$URL/metrics")" '[Aa]llow: GET' "405 says which methods"
is "$(curl -s -o /dev/null -w '%{http_code}' "$URL/nope")" 404 "GET /nope: 404"
is "$(curl -s -o /dev/null -w '%{http_code}' -I "$URL/metrics")" 200 "HEAD /metrics: 200"
like "$(curl -s "$URL/")" 'href="/metrics"' "/ links to /metrics"
curl -s -m 2 -o /dev/null "http://127.0.0.2:$HTTP/metrics"
is "$?" 7 "nothing listens on 127.0.0.2 (only the configured address)"

# A second exporter on the same address cannot listen: a clear error.
"$TUI" --headless -c "$T_TMP/p.ini" 2>"$T_TMP/dup.log" </dev/null
rc=$?
is "$rc" 69 "address in use: exit 69"
like "$(cat "$T_TMP/dup.log")" "listen = '127.0.0.1:$HTTP'" "address in use: names the listen key"

# The textfile: the same exposition, replaced by rename (a new inode each
# round) and never seen partial by a reader polling it for 3 s.
check "textfile passes promtool" sh -c "promtool check metrics <'$T_TMP/countis.prom'"
"$PYTHON" - "$T_TMP/countis.prom" >"$T_TMP/atomic.out" 2>&1 <<'EOF'
import os, sys, time
path, inodes, reads, bad = sys.argv[1], set(), 0, 0
end = time.time() + 3.0
while time.time() < end:
    with open(path, 'rb') as f:
        inodes.add(os.fstat(f.fileno()).st_ino)
        data = f.read()
    reads += 1
    if not data.endswith(b'\n') or b'# TYPE countis_bus_round_seconds gauge' not in data:
        bad += 1
print(reads, len(inodes), bad)
EOF
set -- $(cat "$T_TMP/atomic.out")
is "${3:-x}" 0 "textfile: never partial ($1 reads)"
like "${2:-0}" '^([2-9]|[1-9][0-9]+)$' "textfile: replaced by rename ($2 inodes in 3 s)"
like "$(grep -F 'countis_meter_up{meter="frozen"}' "$T_TMP/countis.prom")" ' 1$' "textfile: same series as /metrics"

# A meter dies at run time: its value series go within two poll periods
# (plus one answer timeout); up 0, info and the last success time remain.
VL='meter="victim",bus="gw",address="2"'
victim_gone() {	# up 0, and no series of it but countis_meter_* (up, info, stats)
	scrape && grep -q '^countis_meter_up{meter="victim"} 0$' "$T_TMP/m.txt" &&
	    ! grep -v '^countis_meter_' "$T_TMP/m.txt" | grep -qF "$VL"
}
is "$(ctl '2 dead')" ok "control: unit 2 dead"
t0=$(now_ms)
if wait_for 10 victim_gone; then
	dt=$(( $(now_ms) - t0 ))
	ok "dead meter: value series gone, up 0 (after $dt ms)"
	check "dead meter: gone within two poll periods + timeout + 300 ms slack" \
	    test "$dt" -le $(( 2 * POLL + ${TIMEOUT_MS:-200} + 300 ))
else
	not_ok "dead meter: value series gone, up 0" "$(grep victim "$T_TMP/m.txt")"
fi
like "$(grep -F "$VL" "$T_TMP/m.txt")" "countis_meter_info\{$VL" "dead meter: info stays"
like "$(cat "$T_TMP/m.txt")" 'countis_meter_last_success_timestamp_seconds\{meter="victim"\} [0-9]+\.[0-9]{3}' "dead meter: last success time stays"
like "$(grep -F "$VL" "$T_TMP/m.txt")" 'countis_meter_errors_total\{[^}]*reason="timeout"\} [1-9]' "dead meter: timeouts counted"
check_up() { scrape && grep -q '^countis_meter_up{meter="victim"} 0$' "$T_TMP/m.txt" &&
    grep -q '^countis_meter_up{meter="live"} 1$' "$T_TMP/m.txt"; }
check "others stay up while it is dead" check_up
# Once given up (probed with back-off) it no longer completes cycles, so
# poll rounds stop: the text must still follow the live meters.
live_cycles() { scrape && metric countis_meter_cycles_total 'meter="live",bus="gw",address="1"'; }
c0=$(live_cycles)
live_moved() { [ "$(live_cycles)" -ge $(( c0 + 6 )) ]; }
wait_for 15 live_moved
is "$?" 0 "given-up meter: /metrics still follows the live meters ($c0 -> $(live_cycles) cycles)"
promtool check metrics <"$T_TMP/m.txt" >"$T_TMP/promtool.out" 2>&1
is "$?:$(cat "$T_TMP/promtool.out")" "0:" "promtool: still clean with a dead meter"

is "$(ctl '2 clear')" ok "control: unit 2 back"
wait_for 20 sh -c "curl -s '$URL/metrics' | grep -q '^countis_meter_up{meter=\"victim\"} 1\$'"
is "$?" 0 "meter back: up 1 again"

kill -TERM $TUI_PID
wait $TUI_PID
is "$?" 0 "SIGTERM: exit 0"

# Configuration errors in [prometheus]: file:line, exit 78.
bad() {	# bad NAME LINES...: a config with a [prometheus] section
	{ ini_bus gw tcp "$PORT"; ini_meter live gw 1; shift; printf '%s\n' "$@"; } \
	    >"$T_TMP/$1.ini"
}
conf_err() {	# conf_err NAME REGEX DESCRIPTION
	"$TUI" --headless -c "$T_TMP/$1.ini" >/dev/null 2>"$T_TMP/$1.err"
	is "$?" 78 "$3: exit 78"
	like "$(cat "$T_TMP/$1.err")" "$2" "$3: file:line"
}
n=$(( $(ini_bus gw tcp 1 | wc -l) + $(ini_meter live gw 1 | wc -l) ))
{ ini_bus gw tcp "$PORT"; ini_meter live gw 1; printf '[prometheus]\nlisten = localhost:9534\n'; } >"$T_TMP/b1.ini"
conf_err b1 "b1\.ini:$(( n + 2 )): \[prometheus\] listen = 'localhost:9534': not a numeric" "listen by name"
{ ini_bus gw tcp "$PORT"; ini_meter live gw 1; printf '[prometheus]\nlisten = 127.0.0.1:99999\n'; } >"$T_TMP/b2.ini"
conf_err b2 "b2\.ini:$(( n + 2 )): .*port is not 1\.\.65535" "listen port out of range"
{ ini_bus gw tcp "$PORT"; ini_meter live gw 1; printf '[prometheus]\nlisten = 127.0.0.1:9534\nport = 1\n'; } >"$T_TMP/b3.ini"
conf_err b3 "b3\.ini:$(( n + 3 )): \[prometheus\] unknown key 'port': expected listen, textfile" "unknown key"
{ ini_bus gw tcp "$PORT"; ini_meter live gw 1; printf '[prometheus]\n'; } >"$T_TMP/b4.ini"
conf_err b4 "b4\.ini:$(( n + 1 )): \[prometheus\] needs listen" "empty section"
{ ini_bus gw tcp "$PORT"; ini_meter live gw 1; printf '[prometheus]\ntextfile = /x\n[prometheus]\n'; } >"$T_TMP/b5.ini"
conf_err b5 "b5\.ini:$(( n + 3 )): \[prometheus\] already defined at line $(( n + 1 ))" "section twice"
"$TUI" --check-config -c "$T_TMP/p.ini" >/dev/null 2>&1
is "$?" 0 "--check-config accepts [prometheus]"
sim_log_clean "$T_TMP/sim.log"
done_testing
