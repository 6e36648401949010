#!/bin/sh
# sim-serial.sh: countis-sim --serial on a device that is not its own: one
# end of a socat pty pair stands in for a USB-RS485 adapter, pymodbus talks
# on the other end. Units answer, others stay silent, exceptions and writes
# work as on --pty; a file that is not a serial line exits 66.
. "$(dirname "$0")/lib.sh"
MB="$PYTHON $SRCDIR/tests/py/mbclient.py"
command -v socat >/dev/null || skip_all "socat not installed"
"$PYTHON" -c 'import pymodbus' 2>/dev/null || skip_all "no pymodbus for $PYTHON"
cd "$T_TMP" || exit 1

"$SIM" --serial /dev/null 2>o.err
is "$?" 66 "--serial /dev/null (not a tty): exit 66"
like "$(cat o.err)" "^countis-sim: --serial: /dev/null: " "the message names the device"

socat pty,raw,echo=0,link=dev pty,raw,echo=0,link=client 2>socat.log &
t_track $!
wait_for 20 test -c dev -a -c client || { not_ok "socat pty pair" "$(cat socat.log)"; done_testing; exit 1; }
start_sim sim --serial "$T_TMP/dev" --units 1,2 --seed 4
if wait_for 20 grep -q "serving units 1-2 on serial $T_TMP/dev, 19200 8N1" sim.log; then
	ok "the start line names the serial device"
else not_ok "the start line names the serial device" "$(cat sim.log)"; fi
r=$($MB --rtu client 'read 0xC350 4' 'unit 2' 'read 0xF010 122' 'read 0xC550 2' \
    'write 0x9E21 4' 'read 0xC6A1 1' 'unit 3' 'read 0xC558 2')
is "$(printf '%s\n' "$r" | sed -n 1p)" "ok 83 79 67 79" "unit 1 identifies as SOCO"
n=$(printf '%s\n' "$r" | sed -n 2p | wc -w)
is "$n" 123 "unit 2 serves the 122-word load-curve block"
is "$(printf '%s\n' "$r" | sed -n 3p)" "exception 2" "reserved words: exception 02"
is "$(printf '%s\n' "$r" | sed -n 4,5p)" "ok
ok 4" "a tariff write over the serial line"
is "$(printf '%s\n' "$r" | sed -n 6p)" "timeout" "unit 3 is silent"
like "$(cat sim.log)" "write unit 2 fc06 0x9E21 = 4: ok, tariff 4 active" "the write is logged"
kill "$SIM_PID"
wait "$SIM_PID"
is "$?" 0 "SIGTERM: exit 0"
check "the device is left in place" test -c dev
done_testing
