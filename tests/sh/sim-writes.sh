#!/bin/sh
# sim-writes.sh: writes to countis-sim over a real pty. Every write is logged
# on stderr with unit, function, address and values, accepted or not; the
# tariff (FC06 0x9E21, FC16 0x9E20..21, broadcast) switches the active tariff
# in both copies; the clock takes 6 words with FC16 (years since 2000); the
# load-curve command takes 0x0001 and 0xFFFE; configuration, actions and
# resets are refused (exception 04), read-only and undefined words too (02).
. "$(dirname "$0")/lib.sh"
MB="$PYTHON $SRCDIR/tests/py/mbclient.py"
command -v mbpoll >/dev/null || skip_all "mbpoll not installed"
"$PYTHON" -c 'import pymodbus' 2>/dev/null || skip_all "no pymodbus for $PYTHON"
cd "$T_TMP" || exit 1

start_sim sim --pty link --units 1,2 --seed 9
wait_for 20 test -c link || { not_ok "simulator up" "$(cat sim.log)"; done_testing; exit 1; }
mb() { $MB --rtu link "$@"; }
logline() { grep -F "$1" sim.log | tail -1; }
u32() { echo $(( ($1 << 16) | $2 )); }

r=$(mb 'write 0x9E21 3' 'read 0xC6A1 1' 'read 0xC801 1')
is "$r" "ok
ok 3
ok 3" "FC06 0x9E21 = 3: tariff 3 active in 0xC6A1 and 0xC801"
like "$(logline 'fc06 0x9E21')" "^countis-sim: write unit 1 fc06 0x9E21 = 3: ok, tariff 3 active$" \
    "the tariff write is logged"
r=$(mb 'writem 0x9E20 0 2' 'read 0xC6A0 2')
is "$r" "ok
ok 4 2" "FC16 0x9E20..21 = {0, 2}: tariff 2"
like "$(logline 'fc16 0x9E20')" "write unit 1 fc16 0x9E20 = 0 2: ok, tariff 2 active" \
    "the FC16 write is logged with both values"
r=$(mb 'write 0x9E21 5' 'read 0xC6A1 1')
is "$r" "exception 3
ok 2" "tariff 5: exception 03, tariff unchanged"
like "$(logline '0x9E21 = 5')" "refused, tariff 5 is not 1\.\.4, exception 03" \
    "the refused write is logged"
out=$(mbpoll -m rtu -b 19200 -P none -a 2 -0 -r 40481 -t 4 -1 link 4 2>&1)
like "$out" "Written 1 references" "mbpoll writes tariff 4 to unit 2"
like "$(logline 'write unit 2')" "write unit 2 fc06 0x9E21 = 4: ok, tariff 4 active" \
    "mbpoll's write is logged"

# Energy runs on the active tariff only: the others stay still.
set -- $(mb 'read 0xC802 8' | sed 's/^ok //')
t1a=$(u32 $1 $2); t3a=$(u32 $5 $6); t4a=$(u32 $7 $8)
sleep_until=$(( $(date +%s) + 3 ))
wait_for 10 test "$(date +%s)" -ge "$sleep_until"
set -- $(mb 'read 0xC802 8' | sed 's/^ok //')
is "$(u32 $1 $2) $(u32 $5 $6) $(u32 $7 $8)" "$t1a $t3a $t4a" \
    "with T2 active, T1, T3 and T4 do not move"

# Broadcast (unit 0): every unit switches, nobody answers.
r=$($MB --rtu link --timeout 0.5 'unit 0' 'write 0x9E21 1')
like "$r" "^(ok|timeout|error .*)$" "a broadcast write gets no answer ($r)"
is "$(mb 'unit 1' 'read 0xC6A1 1' 'unit 2' 'read 0xC6A1 1')" "ok 1
ok 1" "the broadcast switched both units to tariff 1"
like "$(logline 'unit 0')" "write unit 0 \(broadcast\) fc06 0x9E21 = 1: ok, tariff 1 active" \
    "the broadcast is logged"

# Clock: day, month, year since 2000, hour, minute, second, with FC16.
r=$(mb 'writem 0xE100 15 6 30 12 34 56' 'read 0xE100 6')
case $r in
"ok
ok 15 6 30 12 34 5"[6-9]|"ok
ok 15 6 30 12 35 "*) ok "the clock is set to 2030-06-15 12:34:56 and runs" ;;
*) not_ok "the clock is set and runs" "$r" ;;
esac
like "$(logline 'fc16 0xE100')" "0xE100 = 15 6 30 12 34 56: ok, clock set to 2030-06-15 12:34:56" \
    "the clock write is logged"
is "$(mb 'write 0xE103 7')" "exception 3" "one clock word with FC06: exception 03"
is "$(mb 'writem 0xE100 15 6 2030 12 34 56')" "exception 3" "year 2030 (not years since 2000): exception 03"
is "$(mb 'writem 0xE100 31 2 30 0 0 0')" "exception 3" "31 February: exception 03"

# Load-curve command.
is "$(mb 'writem 0xF000 1' 'write 0xF000 0xFFFE' 'write 0xF000 0x1234')" "ok
ok
exception 3" "0xF000 takes 0x0001 and 0xFFFE (FC16 or FC06), not 0x1234"
like "$(logline '0xF000 = 0x1234')" "refused, load-curve command 0x1234" "the bad command is logged"

# Refused: resets, actions, configuration, read-only and undefined words.
r=$(mb 'write 0xE222 0x0080' 'write 0xE200 0xA1' 'write 0xE00B 600' \
    'write 0xC558 1' 'write 0xC550 1' 'writem 0xE224 0xFFFF' 'read 0xE00B 1')
is "$r" "exception 4
exception 4
exception 4
exception 2
exception 2
exception 4
ok 900" "resets, actions and configuration: 04; read-only and undefined: 02"
log=$(cat sim.log)
like "$log" "write unit 1 fc06 0xE222 = 0x0080: refused, MID meter: no reset or action, exception 04" \
    "the reset attempt is logged, values in hex"
like "$log" "write unit 1 fc06 0xE00B = 600: refused, configuration is locked, exception 04" \
    "the configuration write is logged"
like "$log" "write unit 1 fc06 0xC558 = 1: refused, read-only register 0xC558, exception 02" \
    "the read-only write is logged"
like "$log" "write unit 1 fc06 0xC550 = 1: refused, undefined register 0xC550, exception 02" \
    "the undefined write is logged as undefined"
n=$(grep -c "countis-sim: write unit" sim.log)
is "$n" 18 "every write (18 of them) is logged, one line each"
done_testing
