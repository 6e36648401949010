#!/bin/sh
# headless.sh: countis-tui --headless as a service against countis-sim on
# Modbus TCP: log lines carry syslog levels under systemd (JOURNAL_STREAM),
# SIGHUP applies a valid file and rejects an invalid one with file:line
# while the old configuration keeps serving, SIGTERM and SIGINT stop it
# within 1 s with exit 0, and the option fits only where it should.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/engine-lib.sh"
command -v curl >/dev/null || skip_all "curl not installed"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

PORT=$(free_port)
HTTP=$(free_port)
while [ "$HTTP" = "$PORT" ]; do HTTP=$(free_port); done
URL="http://127.0.0.1:$HTTP/metrics"

start_sim sim --tcp "127.0.0.1:$PORT" --units 1-3 --seed 9 --fault 3:dead
wait_for 20 sh -c "grep -q serving '$T_TMP/sim.log'" ||
    { not_ok "simulator up"; done_testing; exit 1; }

prom() { printf '[prometheus]\nlisten = 127.0.0.1:%s\n' "$HTTP"; }
{ ini_bus gw tcp "$PORT"; ini_meter one gw 1 200; ini_meter dead gw 3 200; prom; } >"$T_TMP/h.ini"
cp "$T_TMP/h.ini" "$T_TMP/first.ini"

# start_tui LOG: --headless on h.ini, as under systemd
start_tui() {
	JOURNAL_STREAM=8:12345 "$TUI" --headless -c "$T_TMP/h.ini" 2>"$T_TMP/$1" &
	TUI_PID=$!
	t_track $TUI_PID
}
up() {	# up METER: /metrics says the meter is up
	curl -s "$URL" | grep -q "^countis_meter_up{meter=\"$1\"} 1\$"
}
# stops_within PID MS: the process is gone within MS milliseconds
stops_within() {
	_end=$(( $(now_ms) + $2 ))
	while kill -0 "$1" 2>/dev/null; do
		[ "$(now_ms)" -ge $_end ] && return 1
		sleep 0.01
	done
	return 0
}

start_tui j.log
wait_for 20 up one || { not_ok "headless up" "$(cat "$T_TMP/j.log")"; done_testing; exit 1; }
ok "--headless serves /metrics"
wait_for 10 grep -q 'meter dead.*timeout' "$T_TMP/j.log"
like "$(cat "$T_TMP/j.log")" '^<6>polling 2 meters on 1 bus from ' "journal: info lines start with <6>"
like "$(cat "$T_TMP/j.log")" '<4>meter dead \(bus gw, address 3\): timeout' "journal: a failing meter is a warning, <4>"
unlike "$(cat "$T_TMP/j.log")" '^[^<]' "journal: every line has a level prefix"

# SIGHUP with a valid file: applied (a meter added).
{ ini_bus gw tcp "$PORT"; ini_meter one gw 1 200; ini_meter two gw 2 200; prom; } >"$T_TMP/h.ini"
kill -HUP $TUI_PID
wait_for 20 up two
is "$?" 0 "SIGHUP, valid file: the new meter is polled and exported"
like "$(cat "$T_TMP/j.log")" '<6>reload: configuration applied' "SIGHUP, valid file: logged"
unlike "$(curl -s "$URL")" 'meter="dead"' "SIGHUP, valid file: the removed meter is gone"

# SIGHUP with an invalid file: rejected with file:line, the old one serves.
{ ini_bus gw tcp "$PORT"; ini_meter one gw 1 200; printf '[meter three]\nbus = gw\naddress = 300\n'; prom; } >"$T_TMP/h.ini"
line=$(grep -n '^address = 300' "$T_TMP/h.ini" | cut -d: -f1)
kill -HUP $TUI_PID
wait_for 10 grep -q 'reload rejected' "$T_TMP/j.log"
like "$(cat "$T_TMP/j.log")" "<3>.*h\.ini:$line: \[meter three\] address = '300'" "SIGHUP, invalid file: <3> with file:line"
check "SIGHUP, invalid file: the running configuration still serves" up two
check "SIGHUP, invalid file: still running" kill -0 $TUI_PID

# SIGTERM: gone within 1 s, exit 0.
kill -TERM $TUI_PID
stops_within $TUI_PID 1000
is "$?" 0 "SIGTERM: stopped within 1 s"
wait $TUI_PID
is "$?" 0 "SIGTERM: exit 0"

# SIGINT too, and without JOURNAL_STREAM the lines carry the program name.
cp "$T_TMP/first.ini" "$T_TMP/h.ini"
"$TUI" --headless -c "$T_TMP/h.ini" 2>"$T_TMP/plain.log" &
TUI_PID=$!
t_track $TUI_PID
wait_for 20 up one
kill -INT $TUI_PID
stops_within $TUI_PID 1000
is "$?" 0 "SIGINT: stopped within 1 s"
wait $TUI_PID
is "$?" 0 "SIGINT: exit 0"
like "$(head -1 "$T_TMP/plain.log")" '^countis-tui: ' "without systemd: lines start with the program name"

# The option's fit, and a bad file at start.
"$TUI" --headless --theme mono -c "$T_TMP/h.ini" >/dev/null 2>"$T_TMP/u.err"
is "$?" 64 "--headless --theme: usage error"
"$TUI" --headless --scan /dev/null >/dev/null 2>&1
is "$?" 64 "--headless with another mode: usage error"
{ ini_bus gw tcp "$PORT"; printf '[meter x]\nbus = nope\naddress = 1\n'; } >"$T_TMP/bad.ini"
"$TUI" --headless -c "$T_TMP/bad.ini" >/dev/null 2>"$T_TMP/bad.err"
is "$?" 78 "--headless on an invalid file: exit 78"
like "$(cat "$T_TMP/bad.err")" 'bad\.ini:[0-9]+: \[meter x\] bus' "--headless on an invalid file: file:line"
like "$("$TUI" --help)" '--headless' "--help lists --headless"
done_testing
