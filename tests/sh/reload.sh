#!/bin/sh
# reload.sh: SIGHUP in --headless keeps what the new configuration does not
# change (issue 10). Three simulators: gw (Modbus TCP, unchanged by the
# reload, gains a meter), gw2 (Modbus TCP, its host changes: 127.0.0.1 to
# 127.0.0.2, the same simulator) and line (RTU on a pty, unchanged). After a
# valid reload: gw's connection is the same socket and the simulator saw no
# new client; gw2 connected again; the meter added to gw is polled and
# exported; line kept its descriptor and its lock file; the meters of the
# kept buses were not identified again (not logged again); the Prometheus
# listener is the same socket. An invalid file changes nothing and names
# file:line. A valid file that cannot be applied (its listen address is
# taken) brings the previous configuration back, connections still open.
# Twenty reloads back and forth, then twenty in a burst: no crash, no
# descriptor left behind, connections still the same. A bus removed closes
# and lets its line go. SIGTERM still stops it within 1 s.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/engine-lib.sh"
command -v curl >/dev/null || skip_all "curl not installed"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

P1=$(free_port)
P2=$(free_port)
while [ "$P2" = "$P1" ]; do P2=$(free_port); done
HTTP=$(free_port)
while [ "$HTTP" = "$P1" ] || [ "$HTTP" = "$P2" ]; do HTTP=$(free_port); done
URL="http://127.0.0.1:$HTTP/metrics"
DEV="$T_TMP/line"
PROM="$T_TMP/countis.prom"

start_sim gw --tcp "127.0.0.1:$P1" --units 1-2 --seed 3 -v
start_sim gw2 --tcp "0.0.0.0:$P2" --units 1 --seed 4 -v
start_sim line --pty "$DEV" --units 1 --seed 5
for s in gw gw2 line; do
	wait_for 20 grep -q serving "$T_TMP/$s.log" ||
	    { not_ok "simulator $s up" "$(cat "$T_TMP/$s.log")"; done_testing; exit 1; }
done

# conf GW2HOST [two]: the configuration; with "two", gw has a second meter
conf() {
	ini_bus gw tcp "$P1"
	ini_meter one gw 1 200
	[ "${2:-}" = two ] && ini_meter two gw 2 200
	printf '[bus gw2]\ntype = tcp\nhost = %s\nport = %s\ntimeout_ms = 200\n\n' "$1" "$P2"
	ini_meter far gw2 1 200
	ini_bus line rtu "$DEV"
	ini_meter serial line 1 200
	printf '[prometheus]\nlisten = 127.0.0.1:%s\ntextfile = %s\n' "$HTTP" "$PROM"
}
conf 127.0.0.1 >"$T_TMP/first.ini"
conf 127.0.0.2 two >"$T_TMP/second.ini"
cp "$T_TMP/first.ini" "$T_TMP/h.ini"

# tcp_sock PID COLUMN PORT STATE: "localport/inode" of PID's TCP sockets
# whose address in COLUMN (2 local, 3 remote) has PORT, in STATE (01
# established, 0A listening), from /proc (no ss on a bare Debian).
tcp_sock() {
	_in=" "
	for _f in /proc/"$1"/fd/*; do
		_l=$(readlink "$_f" 2>/dev/null) || continue
		case $_l in socket:\[*\]) _l=${_l#socket:[}; _in="$_in${_l%]} ";; esac
	done
	awk -v col="$2" -v port="$(printf '%04X' "$3")" -v st="$4" -v inos="$_in" '
	    NR > 1 { split($col, a, ":"); split($2, l, ":")
	        if (a[2] == port && $4 == st && index(inos, " " $10 " "))
	            printf "%d/%s\n", ("0x" l[2]) + 0, $10 }' /proc/"$1"/net/tcp
}
fd_count() { ls /proc/"$1"/fd | wc -l; }
fd_count_is() { [ "$(fd_count "$1")" = "$2" ]; }
# pty_fds PID: "fd -> /dev/pts/N" of PID's descriptors on the line
pty_fds() {
	_pts=$(readlink -f "$DEV")
	for _f in /proc/"$1"/fd/*; do
		[ "$(readlink "$_f" 2>/dev/null)" = "$_pts" ] && echo "${_f##*/}"
	done
}
# up METER: the textfile says the meter is up
up() { grep -q "^countis_meter_up{meter=\"$1\"} 1\$" "$PROM" 2>/dev/null; }
all_up() { for _m in "$@"; do up "$_m" || return 1; done; }
clients() { grep -c 'tcp client on fd [0-9]*$' "$T_TMP/$1.log"; }
count() { grep -c -- "$1" "$T_TMP/tui.log"; }

"$TUI" --headless -c "$T_TMP/h.ini" 2>"$T_TMP/tui.log" &
TUI_PID=$!
t_track $TUI_PID
wait_for 30 all_up one far serial ||
    { not_ok "headless up" "$(cat "$T_TMP/tui.log")"; done_testing; exit 1; }
ok "--headless polls gw, gw2 and line"

gw_sock=$(tcp_sock $TUI_PID 3 "$P1" 01)
gw2_sock=$(tcp_sock $TUI_PID 3 "$P2" 01)
http_sock=$(tcp_sock $TUI_PID 2 "$HTTP" 0A)
pty_before=$(pty_fds $TUI_PID)
lockf=/run/lock/LCK..$(readlink -f "$DEV" | sed 's|^/dev/||; s|/|_|g')
# the lock file's inode and change time: a lock taken again is a new file
lock_id() { stat -c '%i %z' "$lockf" 2>/dev/null; }
lock_ino=""
[ -f "$lockf" ] && lock_ino=$(lock_id)
like "$gw_sock" '^[0-9]+/[0-9]+$' "one connection to gw ($gw_sock)"
like "$gw2_sock" '^[0-9]+/[0-9]+$' "one connection to gw2 ($gw2_sock)"
like "$pty_before" '^[0-9]+$' "one descriptor on the line ($pty_before)"
is "$(clients gw)" 1 "gw saw one client"

# A valid reload: gw2's host changes, gw gains meter two, line is unchanged.
cp "$T_TMP/second.ini" "$T_TMP/h.ini"
kill -HUP $TUI_PID
wait_for 30 grep -q 'reload: configuration applied' "$T_TMP/tui.log" ||
    not_ok "reload applied" "$(cat "$T_TMP/tui.log")"
log=$(cat "$T_TMP/tui.log")
like "$log" 'reload: bus gw kept \(connection open\), bus gw2 reopened \(host 127\.0\.0\.1 -> 127\.0\.0\.2\), bus line kept \(connection open\); 2 meters kept their state' \
    "the log says which bus was kept and which reopened, and why"
# (c) the meter added to the unchanged bus is polled and exported
wait_for 30 all_up two one far serial
is "$?" 0 "the meter added to gw is polled and exported; the others are up"
like "$(cat "$T_TMP/tui.log")" 'meter two \(bus gw, address 2\): ok' "meter two: logged ok"
like "$(curl -s "$URL")" 'countis_meter_up\{meter="two"\} 1' "meter two up on /metrics"
# (a) gw: the same socket, and no new client at the simulator
is "$(tcp_sock $TUI_PID 3 "$P1" 01)" "$gw_sock" "gw kept its connection (same local port and socket)"
is "$(clients gw)" 1 "gw's simulator saw no new client"
# (b) gw2 connected again, to its new address
wait_for 20 sh -c "[ \$(grep -c 'tcp client on fd [0-9]*\$' '$T_TMP/gw2.log') -ge 2 ]"
is "$?" 0 "gw2 connected again after its host changed"
new_gw2=$(tcp_sock $TUI_PID 3 "$P2" 01)
like "$new_gw2" '^[0-9]+/[0-9]+$' "one connection to gw2 again"
[ "$new_gw2" != "$gw2_sock" ]
is "$?" 0 "gw2's connection is a new one ($gw2_sock, then $new_gw2)"
# (d) line: the same descriptor, the lock never let go
is "$(pty_fds $TUI_PID)" "$pty_before" "line kept its descriptor"
if [ -n "$lock_ino" ]; then
	is "$(lock_id)" "$lock_ino" "line's lock file is the one taken at start"
	is "$(tr -d ' ' <"$lockf")" "$TUI_PID" "and names countis-tui"
else
	ok "line's lock file # SKIP no lock directory"
	ok "line's lock names countis-tui # SKIP no lock directory"
fi
"$TUI" --scan "$DEV" --first 1 --last 1 >/dev/null 2>"$T_TMP/scan.err"
is "$?" 66 "a second opener of the line is still refused (exit 66)"
# the meters of kept buses were not identified again: no second "ok"
is "$(count 'meter one (bus gw, address 1): ok')" 1 "meter one kept its state (not logged again)"
is "$(count 'meter serial (bus line, address 1): ok')" 1 "meter serial kept its state (not logged again)"
is "$(tcp_sock $TUI_PID 2 "$HTTP" 0A)" "$http_sock" "the Prometheus listener is the same socket"
like "$(cat "$T_TMP/tui.log")" 'prometheus: http://127\.0\.0\.1:[0-9]+/metrics kept open' "and says so"
unlike "$(cat "$T_TMP/tui.log")" 'meter (one|serial|two|far) .*: (io|timeout)' "no meter failed over the reload"

# (e) an invalid file: rejected with file:line, nothing changes
gw2_sock=$(tcp_sock $TUI_PID 3 "$P2" 01)
fds0=$(fd_count $TUI_PID)
{ cat "$T_TMP/second.ini"; printf '[meter bad]\nbus = gw\naddress = 300\n'; } >"$T_TMP/h.ini"
line=$(grep -n '^address = 300' "$T_TMP/h.ini" | cut -d: -f1)
kill -HUP $TUI_PID
wait_for 20 grep -q 'reload rejected' "$T_TMP/tui.log"
like "$(cat "$T_TMP/tui.log")" "h\\.ini:$line: \\[meter bad\\] address = '300'" "invalid file: rejected with file:line"
is "$(count 'reload: configuration applied')" 1 "invalid file: not applied"
is "$(tcp_sock $TUI_PID 3 "$P1" 01)/$(tcp_sock $TUI_PID 3 "$P2" 01)" "$gw_sock/$gw2_sock" \
    "invalid file: both connections as they were"
check "invalid file: the running configuration still serves" all_up one two far serial

# a valid file that cannot be applied (its listen address is taken, by
# gw's simulator): the previous configuration comes back, and takes the
# buses over again
sed "s/^listen = .*/listen = 127.0.0.1:$P1/" "$T_TMP/second.ini" >"$T_TMP/h.ini"
kill -HUP $TUI_PID
wait_for 20 grep -q 'reload failed: .*going back to the previous configuration' "$T_TMP/tui.log"
is "$?" 0 "an address in use: the reload fails and the previous configuration comes back"
check "still running after the failed reload" kill -0 $TUI_PID
wait_for 20 sh -c "curl -s -f -o /dev/null '$URL'"
is "$?" 0 "/metrics served again at the previous address"
wait_for 30 all_up one two far serial
is "$?" 0 "every meter up again after the failed reload"
is "$(tcp_sock $TUI_PID 3 "$P1" 01)/$(tcp_sock $TUI_PID 3 "$P2" 01)" "$gw_sock/$gw2_sock" \
    "the failed reload and the way back kept both connections"
is "$(pty_fds $TUI_PID)" "$pty_before" "and line's descriptor"
wait_for 20 fd_count_is $TUI_PID "$fds0"
is "$?" 0 "the failed reload left no descriptor behind ($fds0 before, $(fd_count $TUI_PID) after)"
like "$(cat "$T_TMP/tui.log")" 'reload: the previous configuration is in force again' "the way back is logged"

# (f) twenty reloads back and forth (gw2 reopens, meter two comes and
# goes each time), each waited for, scraping /metrics in between
cp "$T_TMP/second.ini" "$T_TMP/h.ini"
kill -HUP $TUI_PID
wait_for 20 sh -c "[ \$(grep -c 'reload: configuration applied' '$T_TMP/tui.log') -ge 2 ]"
wait_for 30 all_up one two far serial
fds=$(fd_count $TUI_PID)
refused=0
i=1
while [ $i -le 20 ]; do
	if [ $((i % 2)) = 1 ]; then cp "$T_TMP/first.ini" "$T_TMP/h.ini"
	else cp "$T_TMP/second.ini" "$T_TMP/h.ini"; fi
	n=$(count 'reload: configuration applied')
	kill -HUP $TUI_PID
	wait_for 20 sh -c "[ \$(grep -c 'reload: configuration applied' '$T_TMP/tui.log') -gt $n ]" ||
	    { not_ok "reload $i applied" "$(tail -20 "$T_TMP/tui.log")"; break; }
	curl -s -f -o /dev/null "$URL" || refused=$((refused + 1))
	i=$((i + 1))
done
is "$i" 21 "twenty reloads applied one after another"
is "$refused" 0 "every scrape between them answered"
check "still running" kill -0 $TUI_PID
wait_for 30 all_up one two far serial
is "$?" 0 "every meter up again"
wait_for 20 fd_count_is $TUI_PID "$fds"
is "$?" 0 "no descriptor left behind ($fds before, $(fd_count $TUI_PID) after)"
is "$(tcp_sock $TUI_PID 3 "$P1" 01)" "$gw_sock" "gw's connection outlived the twenty reloads"
is "$(clients gw)" 1 "gw's simulator still saw one client"
is "$(pty_fds $TUI_PID)" "$pty_before" "line's descriptor outlived them"
[ -n "$lock_ino" ] && is "$(lock_id)" "$lock_ino" "line's lock outlived them"

# twenty more in a burst, not waited for (libev may merge some)
n=$(count 'SIGHUP: reloading')
i=0
while [ $i -lt 20 ]; do kill -HUP $TUI_PID; i=$((i + 1)); done
wait_for 20 sh -c "[ \$(grep -c 'SIGHUP: reloading' '$T_TMP/tui.log') -gt $n ]"
is "$?" 0 "a burst of twenty SIGHUPs is served"
check "still running after the burst" kill -0 $TUI_PID
wait_for 30 all_up one two far serial
is "$?" 0 "every meter up after the burst"
wait_for 20 fd_count_is $TUI_PID "$fds"
is "$?" 0 "no descriptor left behind by the burst"
is "$(tcp_sock $TUI_PID 3 "$P1" 01)" "$gw_sock" "gw's connection outlived the burst"
is "$(count 'reload failed')" 1 "no reload failed but the one meant to"
unlike "$(cat "$T_TMP/tui.log")" 'out of memory|ERROR|Sanitizer' "no error"

# a bus removed closes, and its lock goes with it
conf_noline() {
	ini_bus gw tcp "$P1"
	ini_meter one gw 1 200
	ini_meter two gw 2 200
	printf '[bus gw2]\ntype = tcp\nhost = 127.0.0.2\nport = %s\ntimeout_ms = 200\n\n' "$P2"
	ini_meter far gw2 1 200
	printf '[prometheus]\nlisten = 127.0.0.1:%s\ntextfile = %s\n' "$HTTP" "$PROM"
}
conf_noline >"$T_TMP/h.ini"
n=$(count 'reload: configuration applied')
kill -HUP $TUI_PID
wait_for 20 sh -c "[ \$(grep -c 'reload: configuration applied' '$T_TMP/tui.log') -gt $n ]"
like "$(grep 'reload: bus' "$T_TMP/tui.log" | tail -1)" 'bus gw kept \(connection open\), bus gw2 kept \(connection open\), bus line closed; 3 meters kept their state' \
    "a bus removed: logged closed"
is "$(pty_fds $TUI_PID)" "" "a bus removed: its descriptor is closed"
[ -n "$lock_ino" ] && check "a bus removed: its lock file is gone" test ! -e "$lockf"
"$TUI" --scan "$DEV" --first 1 --last 1 >/dev/null 2>"$T_TMP/scan2.err"
is "$?" 0 "a bus removed: another program opens the line" "$(cat "$T_TMP/scan2.err")"

# SIGTERM still stops it within 1 s, exit 0
kill -TERM $TUI_PID
_end=$(( $(now_ms) + 1000 ))
while kill -0 $TUI_PID 2>/dev/null && [ "$(now_ms)" -lt $_end ]; do sleep 0.01; done
check "SIGTERM: stopped within 1 s" sh -c "! kill -0 $TUI_PID 2>/dev/null"
wait $TUI_PID
is "$?" 0 "SIGTERM: exit 0"
done_testing
