#!/bin/sh
# rtu-tcp.sh: type = rtu-tcp, RTU frames over TCP (a serial-to-Ethernet
# converter), end to end against countis-sim --rtu-tcp and against a client
# we did not write (pymodbus's RTU framer on a TCP socket): the simulator
# speaks standard RTU over TCP, paced at its --baud; --export-csv polls
# through it (a dead unit times out, its neighbours stay ok); --scan takes
# --rtu-tcp; a port whose framing is not the configured one is named, by
# --scan and by the poll engine, instead of showing as timeouts; two
# converters are polled in parallel.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/engine-lib.sh"
"$PYTHON" -c 'import pymodbus' 2>/dev/null || skip_all "python3-pymodbus not installed"

# ini_rtu_tcp NAME PORT [TYPE]: a [bus] section for a converter on PORT
ini_rtu_tcp() {
	printf '[bus %s]\ntype = %s\nhost = 127.0.0.1\nport = %s\n' \
	    "$1" "${3:-rtu-tcp}" "$2"
	printf 'baud = 19200\ntimeout_ms = %s\n\n' "${TIMEOUT_MS:-200}"
}
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
sim_up() { wait_for 20 sh -c "grep -q serving '$T_TMP/$1.log'"; }

# pymodbus, RTU framer over TCP: read COUNT words at ADDR of UNIT; prints
# the words, then the seconds the read took, or "none" when no answer.
cat >"$T_TMP/rtutcp.py" <<'EOF'
import sys, time
from pymodbus.client import ModbusTcpClient
try:
    from pymodbus.framer import FramerType
    framer = FramerType.RTU
except ImportError:
    from pymodbus.transaction import ModbusRtuFramer as framer
port, unit, addr, count = (int(a, 0) for a in sys.argv[1:5])
c = ModbusTcpClient("127.0.0.1", port=port, framer=framer, timeout=1,
                    retries=0)
if not c.connect():
    sys.exit("cannot connect")
t = time.monotonic()
try:
    r = c.read_holding_registers(addr, count, slave=unit)
except Exception:
    r = None
took = time.monotonic() - t
c.close()
if r is None or r.isError():
    print("none")
else:
    print(" ".join("%d" % w for w in r.registers), "%.3f" % took)
EOF
pyread() { "$PYTHON" "$T_TMP/rtutcp.py" "$@" 2>"$T_TMP/py.err"; }

PORT=$(free_port)
start_sim conv --rtu-tcp "127.0.0.1:$PORT" --units 1,3,4,6 --seed 8 \
    --fault 3:phase-loss=1 --fault 3:phase-loss=2 --fault 3:phase-loss=3 \
    --fault 6:dead
sim_up conv || { not_ok "simulator up"; done_testing; exit 1; }
like "$(cat "$T_TMP/conv.log")" "serving units 1,3-4,6 on rtu-tcp 127\\.0\\.0\\.1:$PORT, 19200 8N1" \
    "countis-sim announces RTU over TCP at its line speed"

# 1. A client we did not write.
out=$(pyread "$PORT" 1 0xC350 4)
is "${out% *}" "83 79 67 79" "pymodbus RTU-over-TCP client reads \"SOCO\" at 0xC350 of unit 1"
is "$(pyread "$PORT" 6 0xC350 4)" none "pymodbus: the dead unit stays silent"
out=$(pyread "$PORT" 4 0xC350 4)
is "${out% *}" "83 79 67 79" "pymodbus: unit 4 answers after the dead unit's timeout"

# 2. --export-csv over rtu-tcp.
{
	ini_rtu_tcp conv "$PORT"
	ini_meter live conv 1
	ini_meter frozen conv 3
	ini_meter next conv 4
	ini_meter dead conv 6
} >"$T_TMP/conv.ini"
"$TUI" -c "$T_TMP/conv.ini" --export-csv "$T_TMP/conv.csv" --cycles 3 -v \
    2>"$T_TMP/conv.err"
is "$?" 69 "export: exit 69, the dead meter never answered"
is "$(wc -l <"$T_TMP/conv.csv" | tr -d ' ')" 13 "export: one row per meter per cycle"
is "$(awk -F, 'NR > 1 && $2 != "dead" && $5 != "ok"' "$T_TMP/conv.csv")" "" \
    "export: every row of the live meters is ok, in every cycle"
is "$(awk -F, '$2 == "dead" { print $5 }' "$T_TMP/conv.csv" | sort -u)" timeout \
    "export: the dead unit times out in every cycle"
row=$(csv_row "$T_TMP/conv.csv" next 3)
like "$(field "$row" 7-11)" '^([0-9]+\.[0-9]{2},){4}[0-9]+\.[0-9]{2}$' \
    "export: the dead unit's neighbour has its energies in the last cycle"
check "export: the dead unit's value fields are empty" empty_values \
    "$(csv_row "$T_TMP/conv.csv" dead 2)"
# an independent read of the frozen meter's Ea+ total (0xC702, 10 Wh)
out=$(pyread "$PORT" 3 0xC702 2)
w=${out% *}
ea=$(fix $(( ${w% *} * 65536 + ${w#* } )) 2)
is "$(field "$(csv_row "$T_TMP/conv.csv" frozen 3)" 7)" "$ea" \
    "export: the frozen meter's Ea+ total equals pymodbus's read ($ea kWh)"
like "$(cat "$T_TMP/conv.err")" 'bus conv: [0-9]+ requests, [0-9]+ answers, [1-9][0-9]* timeouts, 0 crc, 0 io' \
    "export: timeouts only, no CRC or link errors over the converter"

# 3. --check-config: the far line's wire time counts.
out=$("$TUI" -c "$T_TMP/conv.ini" --check-config 2>&1)
like "$out" "bus conv \\(line 1\\): rtu-tcp 127\\.0\\.0\\.1:$PORT, serial side 19200 baud" \
    "check-config names an rtu-tcp bus"
like "$out" 'poll round of 4 meters: [0-9]+\.[0-9] ms on the wire' \
    "check-config: one request at a time on the far line, a wire-time bound"

# 4. --scan --rtu-tcp.
"$TUI" --scan "127.0.0.1:$PORT" --rtu-tcp --first 1 --last 8 \
    >"$T_TMP/scan.out" 2>"$T_TMP/scan.err"
is "$?" 0 "scan --rtu-tcp exits 0"
is "$(cut -d' ' -f1-3 "$T_TMP/scan.out" | tr '\n' ' ')" "1 COUNTIS E34 3 COUNTIS E34 4 COUNTIS E34 " \
    "scan --rtu-tcp lists units 1, 3 and 4 (6 is dead)"
like "$(cat "$T_TMP/scan.err")" "^3 meters found on 127\\.0\\.0\\.1:$PORT \\(RTU over TCP, line at 19200 8N1\\) \\(addresses 1\\.\\.8\\)" \
    "scan --rtu-tcp: the summary names RTU over TCP"
unlike "$(cat "$T_TMP/scan.err")" 'speaks' "scan --rtu-tcp: no framing note when the type is right"
"$TUI" --scan /dev/null --rtu-tcp >/dev/null 2>"$T_TMP/usage.err"
is "$?" 64 "scan --rtu-tcp of a serial device: exit 64"
like "$(cat "$T_TMP/usage.err")" '--rtu-tcp: expected host\[:port\]' "the usage error says why"

# 5. The wrong type, named.
TPORT=$(free_port)
start_sim gw --tcp "127.0.0.1:$TPORT" --units 3,4 --seed 8
sim_up gw || { not_ok "Modbus TCP simulator up"; done_testing; exit 1; }
"$TUI" --scan "127.0.0.1:$PORT" --first 1 --last 4 --timeout-ms 300 \
    >"$T_TMP/w1.out" 2>"$T_TMP/w1.err"
is "$?" 0 "scan as Modbus TCP of an RTU-over-TCP port: exit 0"
like "$(cat "$T_TMP/w1.err")" "127\\.0\\.0\\.1:$PORT speaks RTU over TCP, not Modbus TCP: .*use type = rtu-tcp \\(--scan with --rtu-tcp\\)" \
    "scan names RTU over TCP when Modbus TCP was asked"
is "$(cut -d' ' -f1 "$T_TMP/w1.out" | tr '\n' ' ')" "1 3 4 " \
    "scan goes on in the framing the port speaks"
"$TUI" --scan "127.0.0.1:$TPORT" --rtu-tcp --first 1 --last 4 \
    >"$T_TMP/w2.out" 2>"$T_TMP/w2.err"
is "$?" 0 "scan as RTU over TCP of a Modbus TCP port: exit 0"
like "$(cat "$T_TMP/w2.err")" "127\\.0\\.0\\.1:$TPORT speaks Modbus TCP, not RTU over TCP: .*use type = tcp" \
    "scan names Modbus TCP when RTU over TCP was asked"
is "$(cut -d' ' -f1 "$T_TMP/w2.out" | tr '\n' ' ')" "3 4 " "and lists the meters behind it"

{ ini_rtu_tcp b "$TPORT"; ini_meter m b 3; } >"$T_TMP/wrong1.ini"
"$TUI" -c "$T_TMP/wrong1.ini" --export-csv /dev/null 2>"$T_TMP/wrong1.err"
is "$?" 69 "type = rtu-tcp on a Modbus TCP port: exit 69"
like "$(cat "$T_TMP/wrong1.err")" "bus b: 127\\.0\\.0\\.1:$TPORT speaks Modbus TCP, not RTU over TCP: set type = tcp in \\[bus b\\]" \
    "the poll engine names the port's framing (rtu-tcp configured)"
{ ini_rtu_tcp b "$PORT" tcp; ini_meter m b 3; ini_meter d b 6; } >"$T_TMP/wrong2.ini"
# silence this time: named after three timeouts in a row (two cycles)
"$TUI" -c "$T_TMP/wrong2.ini" --export-csv /dev/null --cycles 2 \
    2>"$T_TMP/wrong2.err"
is "$?" 69 "type = tcp on an RTU-over-TCP port: exit 69"
like "$(cat "$T_TMP/wrong2.err")" "bus b: 127\\.0\\.0\\.1:$PORT speaks RTU over TCP, not Modbus TCP: set type = rtu-tcp in \\[bus b\\]" \
    "the poll engine names the port's framing (tcp configured, last request to a dead unit)"

# 6. Two converters poll in parallel: one worker per bus. Each line runs
# four meters at 9600 baud; both together take about as long as one.
P1=$(free_port)
start_sim c1 --rtu-tcp "127.0.0.1:$P1" --units 1-4 --baud 9600 --seed 1
P2=$(free_port)
start_sim c2 --rtu-tcp "127.0.0.1:$P2" --units 1-4 --baud 9600 --seed 2
sim_up c1 && sim_up c2 || { not_ok "two converters up"; done_testing; exit 1; }
# 54 words (0xC552..): request 8 + answer 113 characters at 9600 8N1
# (10 bits, 1042 us each) is 126 ms on the far line; no faster over TCP.
out=$(pyread "$P1" 1 0xC552 54)
took=${out##* }
like "$out" '^([0-9]+ ){54}[0-9.]+$' "pymodbus reads 54 words through the 9600 baud converter"
is "$(awk -v t="$took" 'BEGIN { print (t >= 0.126) }')" 1 \
    "answers are paced at --baud like the pty ($took s, wire time 0.126 s)"
for b in 1 2; do
	eval p=\$P$b
	ini_rtu_tcp "c$b" "$p" | sed 's/^baud = 19200/baud = 9600/'
	for u in 1 2 3 4; do ini_meter "m$b$u" "c$b" "$u"; done
done >"$T_TMP/two.ini"
awk '/^\[bus c2\]/ { exit } { print }' "$T_TMP/two.ini" >"$T_TMP/one.ini"
t0=$(now_ms)
"$TUI" -c "$T_TMP/one.ini" --export-csv "$T_TMP/one.csv" --cycles 4 2>/dev/null
rc1=$?
t1=$(now_ms)
"$TUI" -c "$T_TMP/two.ini" --export-csv "$T_TMP/two.csv" --cycles 4 2>/dev/null
rc2=$?
t2=$(now_ms)
is "$rc1 $rc2" "0 0" "one and two converters: every meter answered"
is "$(awk -F, 'NR > 1 && $5 == "ok"' "$T_TMP/two.csv" | wc -l | tr -d ' ')" 32 \
    "two converters: 8 meters x 4 cycles ok"
one=$((t1 - t0)); two=$((t2 - t1))
check "two converters in parallel: $two ms against $one ms for one" \
    test "$two" -lt $(( one * 3 / 2 ))

sim_log_clean "$T_TMP/conv.log"
done_testing
