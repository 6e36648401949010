#!/bin/sh
# sim-rtu.sh: countis-sim over a real pseudo-terminal, read by clients we did
# not write (mbpoll, pymodbus): plausible values, identification, exception
# 02 for words the map does not define (logged as "undefined"), the 125
# register limit, consistent totals within one read, counters that never go
# down, silence for other unit ids, the client's line settings, and the
# pacing of a paced wire (lower bounds only).
. "$(dirname "$0")/lib.sh"
MB="$PYTHON $SRCDIR/tests/py/mbclient.py"
command -v mbpoll >/dev/null || skip_all "mbpoll not installed"
"$PYTHON" -c 'import pymodbus' 2>/dev/null || skip_all "no pymodbus for $PYTHON"
cd "$T_TMP" || exit 1

start_sim sim --pty link --units 1,5 --seed 7
wait_for 20 test -c link || { not_ok "simulator up" "$(cat sim.log)"; done_testing; exit 1; }
mb() { $MB --rtu link "$@"; }
# words LINE: the words of an "ok W..." line, or nothing.
words() { case $1 in "ok "*) echo "${1#ok }";; esac; }
# u32 HI LO / s32 HI LO
u32() { echo $(( ($1 << 16) | $2 )); }
s32() { _v=$(( ($1 << 16) | $2 )); [ $_v -ge 2147483648 ] && _v=$((_v - 4294967296)); echo $_v; }
# ascii WORDS...: two characters per register, high byte first, trimmed.
ascii() { "$PYTHON" -c 'import sys; print("".join(chr(int(w)>>8)+chr(int(w)&255) for w in sys.argv[1:]).strip(" \0"))' "$@"; }

# mbpoll: V1 at 0xC558 (50520) as U32 in 0.01 V.
out=$(mbpoll -m rtu -b 19200 -P none -a 1 -0 -r 50520 -c 1 -t 4:int -B -1 -o 2 link 2>&1)
v1=$(printf '%s\n' "$out" | sed -n 's/^\[50520\]:[[:space:]]*\([0-9-]*\).*/\1/p')
if [ -n "$v1" ] && [ "$v1" -ge 22000 ] && [ "$v1" -le 24000 ]; then
	ok "mbpoll reads V1 = $v1 (0.01 V), 220..240 V"
else
	not_ok "mbpoll reads V1 in 220..240 V" "$out"
fi
out=$(mbpoll -m rtu -b 19200 -P none -a 5 -0 -r 50526 -c 1 -t 4:int -B -1 -o 2 link 2>&1)
f=$(printf '%s\n' "$out" | sed -n 's/^\[50526\]:[[:space:]]*\([0-9-]*\).*/\1/p')
if [ -n "$f" ] && [ "$f" -ge 4995 ] && [ "$f" -le 5005 ]; then
	ok "mbpoll reads F of unit 5 = $f (0.01 Hz), 49.95..50.05"
else
	not_ok "mbpoll reads F of unit 5" "$out"
fi
# A client at another speed is not understood: silence. (A pty carries the
# speed the client set, not its parity: Linux forces 8 bits, no parity.)
out=$(mbpoll -m rtu -b 9600 -P none -a 1 -0 -r 50520 -c 1 -t 4 -1 -o 0.5 link 2>&1)
like "$out" "[Tt]imed out|[Cc]onnection timed out|failed" "mbpoll at 9600 gets no answer from a 19200 meter"
like "$(cat sim.log)" "client line speed 9600 baud differs from 19200 baud" \
    "the simulator says why it stayed silent"

# Identification (register map §6).
r=$(mb 'read 0xC350 4' 'read 0xC354 1' 'read 0xC37A 8' 'read 0xC382 8' \
    'read 0xC38A 8' 'read 0xC356 2' 'read 0x9EA0 1' 'read 0x9E61 1' \
    'read 0xC358 3' 'unit 5' 'read 0xC358 3')
set -- $(printf '%s\n' "$r" | sed -n 1p)
is "$*" "ok 83 79 67 79" "SOCO at 0xC350, one character per register"
is "$(printf '%s\n' "$r" | sed -n 2p)" "ok 100" "product order id 100 (Countis)"
is "$(ascii $(words "$(printf '%s\n' "$r" | sed -n 3p)"))" "SOCOMEC" "vendor name"
is "$(ascii $(words "$(printf '%s\n' "$r" | sed -n 4p)"))" "COUNTIS E34" "product name"
is "$(ascii $(words "$(printf '%s\n' "$r" | sed -n 5p)"))" "COUNTIS E34" "extended name"
is "$(printf '%s\n' "$r" | sed -n 6p)" "ok 101 100" "table version 1.01, software 1.00"
is "$(printf '%s\n' "$r" | sed -n 7p)" "ok 1" "COM board id 1 (E3x/E4x)"
is "$(printf '%s\n' "$r" | sed -n 8p)" "ok 1" "MID status 1"
s1=$(printf '%s\n' "$r" | sed -n 9p); s5=$(printf '%s\n' "$r" | sed -n 10p)
like "$s1" "^ok [0-9]+ [0-9]+ [0-9]+$" "serial number parts of unit 1"
if [ "$s1" != "$s5" ]; then ok "units 1 and 5 have different serials"; else not_ok "units 1 and 5 have different serials" "$s1"; fi

# Words the map does not define: exception 02, logged as undefined.
r=$(mb 'read 0xC550 2' 'read 0xC588 2' 'read 0xC350 66' 'read 0xF000 1' \
    'read 0xC558 2')
is "$(printf '%s\n' "$r" | sed -n 1p)" "exception 2" "reserved words 0xC550: exception 02"
is "$(printf '%s\n' "$r" | sed -n 2p)" "exception 2" "I_sys 0xC588 (family only): exception 02"
is "$(printf '%s\n' "$r" | sed -n 3p)" "exception 2" "the whole 0xC350 block spans reserved words: exception 02"
is "$(printf '%s\n' "$r" | sed -n 4p)" "exception 2" "write-only 0xF000 read: exception 02"
like "$(printf '%s\n' "$r" | sed -n 5p)" "^ok [0-9]+ [0-9]+$" "the next request is answered"
log=$(cat sim.log)
like "$log" "unit 1 fc03 0xC550\.\.0xC551 \(2 registers\): undefined register 0xC550" \
    "the log names the undefined read with unit and range"
like "$log" "unit 1 fc03 0xC588\.\.0xC589 .*undefined" "the family-only read is logged too"
like "$log" "unit 1 fc03 0xF000\.\.0xF000 .*undefined for reading: write-only" \
    "the write-only read is logged"
unlike "$log" "fc03 0xC558" "defined reads are not logged"

# The request size limit.
r=$(mb 'read 0xF010 126' 'read 0xF010 125' 'read 0xF010 122' 'readinput 0xC558 2')
is "$(printf '%s\n' "$r" | sed -n 1p)" "exception 3" "126 registers: exception 03"
is "$(printf '%s\n' "$r" | sed -n 2p)" "exception 2" "125 registers reach past 0xF089: exception 02, not 03"
n=$(words "$(printf '%s\n' "$r" | sed -n 3p)" | wc -w)
is "$n" 122 "122 registers from 0xF010 (load-curve header + 29 records)"
is "$(printf '%s\n' "$r" | sed -n 4p)" "exception 1" "FC04: exception 01"

# One read is one instant: P = P1+P2+P3, S = S1+S2+S3, PF = P/S.
set -- $(words "$(mb 'read 0xC568 32')")
if [ $# -eq 32 ]; then
	p=$(s32 $1 $2); s=$(u32 $5 $6); pf=$(s32 $7 $8)
	p1=$(s32 $9 ${10}); p2=$(s32 ${11} ${12}); p3=$(s32 ${13} ${14})
	sa=$(u32 ${21} ${22}); sb=$(u32 ${23} ${24}); sc=$(u32 ${25} ${26})
	d=$((p - p1 - p2 - p3)); [ $d -lt 0 ] && d=$((-d))
	if [ $d -le 1 ]; then ok "P = P1+P2+P3 within rounding ($p = $p1+$p2+$p3)"
	else not_ok "P = P1+P2+P3 within rounding" "$p $p1 $p2 $p3"; fi
	is "$s" "$((sa + sb + sc))" "S = S1+S2+S3"
	want=$(( (1000 * p + s / 2) / s ))
	d=$((pf - want)); [ $d -lt 0 ] && d=$((-d))
	if [ $d -le 1 ]; then ok "PF = P/S ($pf)"; else not_ok "PF = P/S" "$pf vs $want"; fi
	if [ "$p" -gt 0 ] && [ "$pf" -ge 850 ] && [ "$pf" -le 990 ]; then
		ok "a healthy meter draws power at PF 0.85..0.99"
	else not_ok "a healthy meter draws power at PF 0.85..0.99" "P=$p PF=$pf"; fi
else
	not_ok "read of P..PF3" "$*"
fi

# 16-bit copies agree with the 32-bit values.
r=$(mb 'read 0xC552 12' 'read 0xC851 6' 'read 0xC570 6' 'read 0xC860 3')
set -- $(words "$(printf '%s\n' "$r" | sed -n 1p)") $(words "$(printf '%s\n' "$r" | sed -n 2p)")
bad=""
for k in 0 1 2 3 4 5; do
	eval "hi=\${$((2 * k + 1))} lo=\${$((2 * k + 2))} w=\${$((13 + k))}"
	d=$(( (hi << 16 | lo) - w )); [ $d -lt 0 ] && d=$((-d))
	[ $d -le 50 ] || bad="$bad word$k:$((hi << 16 | lo))/$w"
done
is "$bad" "" "U12..V3 16-bit copies at 0xC851 agree with 0xC552 (within 0.5 V)"
set -- $(words "$(printf '%s\n' "$r" | sed -n 3p)") $(words "$(printf '%s\n' "$r" | sed -n 4p)")
bad=""
for k in 0 1 2; do
	eval "hi=\${$((2 * k + 1))} lo=\${$((2 * k + 2))} w=\${$((7 + k))}"
	v=$(s32 "$hi" "$lo"); [ "$w" -ge 32768 ] && w=$((w - 65536))
	d=$((v - w)); [ $d -lt 0 ] && d=$((-d))
	[ $d -le 20 ] || bad="$bad P$((k + 1)):$v/$w"
done
is "$bad" "" "P1..P3 16-bit copies at 0xC860 agree with 0xC570"

# Energies: T1+T2+T3+T4 = total (10 Wh), never going down.
r=$(mb 'read 0xC702 2' 'read 0xC802 8' 'read 0xC702 2' 'read 0xC6A0 2' 'read 0xC800 2')
set -- $(words "$(printf '%s\n' "$r" | sed -n 1p)"); e0=$(u32 $1 $2)
set -- $(words "$(printf '%s\n' "$r" | sed -n 2p)")
sum=$(( $(u32 $1 $2) + $(u32 $3 $4) + $(u32 $5 $6) + $(u32 $7 $8) ))
set -- $(words "$(printf '%s\n' "$r" | sed -n 3p)"); e1=$(u32 $1 $2)
if [ "$e0" -le "$sum" ] && [ "$sum" -le "$e1" ]; then
	ok "T1+T2+T3+T4 = Ea+ total ($e0 <= $sum <= $e1, 10 Wh)"
else
	not_ok "T1+T2+T3+T4 = Ea+ total" "$e0 $sum $e1"
fi
if [ "$e0" -ge 100000 ] && [ "$e0" -le 999999999 ]; then
	ok "Ea+ total is a plausible $((e0 / 100)) kWh"
else not_ok "Ea+ total plausible" "$e0"; fi
is "$(printf '%s\n' "$r" | sed -n 4p)" "ok 4 1" "4 tariffs, T1 active (0xC6A0)"
is "$(printf '%s\n' "$r" | sed -n 5p)" "ok 4 1" "the copy at 0xC800 agrees"
prev=0; down=""
for i in 1 2 3 4 5 6; do
	set -- $(words "$(mb 'read 0xC702 2')")
	e=$(u32 $1 $2)
	[ "$e" -lt "$prev" ] && down="$down $prev>$e"
	prev=$e
done
is "$down" "" "Ea+ never decreases across reads"
set -- $(words "$(mb 'read 0xC652 2')")
k=$(u32 $1 $2)
if [ "$k" -eq $((prev / 100)) ] || [ "$k" -eq $((prev / 100 + 1)) ]; then
	ok "the kWh register is the 10 Wh counter / 100"
else not_ok "the kWh register is the 10 Wh counter / 100" "$k vs $prev"; fi

# The clock: local time, year counted from 2000 (register map §7).
set -- $(words "$(mb 'read 0xE100 6')")
now=$(date +%Y-%m-%d)
is "$((2000 + $3))-$(printf %02d "$2")-$(printf %02d "$1")" "$now" "clock 0xE100: day, month, years since 2000"

# Other unit ids are silent; the line recovers at once.
r=$($MB --rtu link 'unit 7' 'read 0xC558 2' 'unit 1' 'read 0xC558 2')
is "$(printf '%s\n' "$r" | sed -n 1p)" "timeout" "unit 7 is not served: silence"
like "$(printf '%s\n' "$r" | sed -n 2p)" "^ok " "unit 1 answers right after"

# Pacing: 122 registers = 249 bytes; at 19200 8N1 that is 130 ms on the wire
# (plus the request and 3.5 characters). Lower bounds only.
ms=$(mb --time 'read 0xF010 122' | sed -n 's/^ok .* ms=\([0-9]*\)$/\1/p')
if [ -n "$ms" ] && [ "$ms" -ge 130 ]; then ok "122 registers at 19200 take $ms ms (>= 130)"
else not_ok "122 registers at 19200 take >= 130 ms" "ms=$ms"; fi
echo "# measured: 122-register read at 19200 8N1: $ms ms"
ms=$(mb --time 'read 0xC558 2' | sed -n 's/^ok .* ms=\([0-9]*\)$/\1/p')
if [ -n "$ms" ] && [ "$ms" -ge 9 ]; then ok "2 registers at 19200 take $ms ms (>= 9)"
else not_ok "2 registers at 19200 take >= 9 ms" "ms=$ms"; fi
kill "$SIM_PID"

start_sim slow --pty link96 --baud 9600 --stop-bits 2
wait_for 20 test -c link96 || not_ok "9600 simulator up" "$(cat slow.log)"
ms=$($MB --rtu link96 --baud 9600 --stop 2 --time 'read 0xF010 122' | sed -n 's/^ok .* ms=\([0-9]*\)$/\1/p')
# 11 bits per character with 2 stop bits: 249 bytes = 285 ms.
if [ -n "$ms" ] && [ "$ms" -ge 285 ]; then ok "122 registers at 9600 8N2 take $ms ms (>= 285)"
else not_ok "122 registers at 9600 8N2 take >= 285 ms" "ms=$ms"; fi
echo "# measured: 122-register read at 9600 8N2: $ms ms"
r=$($MB --rtu link96 --baud 19200 'read 0xC558 2')
is "$r" "timeout" "a client at 19200 gets no answer from a 9600 meter"
done_testing
