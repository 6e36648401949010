#!/bin/sh
# sim-tcp.sh: countis-sim as a Modbus TCP gateway on a real port: two unit
# ids served to mbpoll and pymodbus, exception 0x0B for a unit id it does not
# serve, several clients at once, the same register rules as on RTU, faults
# set on the control socket, and non-Modbus clients dropped.
. "$(dirname "$0")/lib.sh"
MB="$PYTHON $SRCDIR/tests/py/mbclient.py"
command -v mbpoll >/dev/null || skip_all "mbpoll not installed"
"$PYTHON" -c 'import pymodbus' 2>/dev/null || skip_all "no pymodbus for $PYTHON"
cd "$T_TMP" || exit 1

port=$(free_port)
start_sim sim --tcp "127.0.0.1:$port" --units 3,12 --seed 5 --control ctl
wait_for 20 grep -q "serving units 3,12 on tcp 127.0.0.1:$port" sim.log ||
    { not_ok "simulator up" "$(cat sim.log)"; done_testing; exit 1; }
ok "the start line names the port"
mb() { $MB --tcp "127.0.0.1:$port" "$@"; }
words() { case $1 in "ok "*) echo "${1#ok }";; esac; }

for u in 3 12; do
	out=$(mbpoll -m tcp -p "$port" -a $u -0 -r 50524 -c 1 -t 4:int -B -1 -o 2 127.0.0.1 2>&1)
	v=$(printf '%s\n' "$out" | sed -n 's/^\[50524\]:[[:space:]]*\([0-9-]*\).*/\1/p')
	if [ -n "$v" ] && [ "$v" -ge 22000 ] && [ "$v" -le 24000 ]; then
		ok "mbpoll over TCP reads V3 of unit $u = $v"
	else not_ok "mbpoll over TCP reads V3 of unit $u" "$out"; fi
done
out=$(mbpoll -m tcp -p "$port" -a 4 -0 -r 50524 -c 2 -t 4 -1 -o 2 127.0.0.1 2>&1)
like "$out" "Target device failed to respond" "mbpoll: unit 4 answers exception 0x0B (gateway target failed to respond)"

r=$(mb 'unit 3' 'read 0xC702 2' 'unit 12' 'read 0xC702 2' 'unit 4' \
    'read 0xC702 2' 'unit 200' 'write 0x9E21 2' 'unit 3' 'read 0xC550 2' \
    'read 0xF010 126' 'readinput 0xC558 2')
e3=$(printf '%s\n' "$r" | sed -n 1p); e12=$(printf '%s\n' "$r" | sed -n 2p)
like "$e3" "^ok [0-9]+ [0-9]+$" "pymodbus reads unit 3"
like "$e12" "^ok [0-9]+ [0-9]+$" "pymodbus reads unit 12"
if [ "$e3" != "$e12" ]; then ok "units 3 and 12 are different meters"
else not_ok "units 3 and 12 are different meters" "$e3"; fi
is "$(printf '%s\n' "$r" | sed -n 3p)" "exception 11" "unit 4 not served: exception 0x0B"
is "$(printf '%s\n' "$r" | sed -n 4p)" "exception 11" "a write to an unserved unit: exception 0x0B"
is "$(printf '%s\n' "$r" | sed -n 5p)" "exception 2" "reserved words over TCP: exception 02"
is "$(printf '%s\n' "$r" | sed -n 6p)" "exception 3" "126 registers over TCP: exception 03"
is "$(printf '%s\n' "$r" | sed -n 7p)" "exception 1" "FC04 over TCP: exception 01"
like "$(cat sim.log)" "unit 3 fc03 0xC550\.\.0xC551 .*undefined" "the undefined read is logged"

# Several clients at once: three pymodbus clients, each reading repeatedly.
for k in 1 2 3; do
	mb 'unit 3' 'read 0xC558 6' 'read 0xC558 6' 'read 0xC558 6' \
	    'unit 12' 'read 0xC558 6' 'read 0xC558 6' >"c$k.out" 2>&1 &
	eval "p$k=\$!"
done
wait "$p1" "$p2" "$p3"
n=$(cat c1.out c2.out c3.out | grep -c '^ok [0-9]')
is "$n" 15 "three clients at once: 15 answers"

# Faults over TCP, set at run time: slow delays the answer (a lower bound),
# dead sends nothing (no 0x0B: the unit is served).
"$PYTHON" -c 'import socket,sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); f = s.makefile("rw")
for line in sys.argv[2:]:
    f.write(line + "\n"); f.flush(); print(f.readline().strip())' ctl \
    "12 slow=300" "3 dead" >ctl.out 2>&1
is "$(cat ctl.out)" "ok
ok" "control socket next to a TCP server"
r=$(mb --time 'unit 12' 'read 0xC558 2' 'unit 3' 'read 0xC558 2')
ms=$(printf '%s\n' "$r" | sed -n '1s/^ok .* ms=\([0-9]*\)$/\1/p')
if [ -n "$ms" ] && [ "$ms" -ge 300 ]; then ok "slow=300 over TCP: answered after $ms ms"
else not_ok "slow=300 over TCP: answered after >= 300 ms" "$r"; fi
like "$(printf '%s\n' "$r" | sed -n 2p)" "^timeout" "dead over TCP: no answer at all"

# A client sending garbage is dropped; the server carries on.
"$PYTHON" -c 'import socket,sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET / HTTP/1.0\r\n\r\n")
s.settimeout(5)
print("closed" if s.recv(100) == b"" else "answered")' "$port" >junk.out 2>&1
is "$(cat junk.out)" "closed" "a non-Modbus client is disconnected"
like "$(mb 'unit 12' 'read 0xC558 2')" "^ok " "and the server still answers"
done_testing
