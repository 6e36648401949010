#!/bin/sh
# sim-loadcurve.sh: countis-sim's load curve paged with pymodbus as register
# map §9 says: header (count, size 4, period, unit W, 1/1), 29 records per
# block newest first, 0xFFFE to the next older block, an empty block past the
# oldest; 7 days of history with one power cut (a gap, the next record
# flagged incomplete); the last record also at 0xC68A/0xC68C; with --speedup
# the curve grows while we watch. Over RTU (pty) and TCP.
. "$(dirname "$0")/lib.sh"
MB="$PYTHON $SRCDIR/tests/py/mbclient.py"
WALK="$PYTHON $SRCDIR/tests/py/lcwalk.py"
"$PYTHON" -c 'import pymodbus' 2>/dev/null || skip_all "no pymodbus for $PYTHON"
cd "$T_TMP" || exit 1
u32() { echo $(( ($1 << 16) | $2 )); }
s32() { _v=$(( ($1 << 16) | $2 )); [ $_v -ge 2147483648 ] && _v=$((_v - 4294967296)); echo $_v; }
fact() { sed -n "s/^$1 //p" walk.out; }
local2000() { "$PYTHON" -c 'import time, calendar; print(calendar.timegm(time.localtime()) - 946684800)'; }

start_sim sim --pty link --units 4 --seed 21
wait_for 20 test -c link || { not_ok "simulator up" "$(cat sim.log)"; done_testing; exit 1; }
$WALK --rtu link --unit 4 >walk.out 2>&1
now=$(local2000)
is "$(fact header)" "29 4 900 0 1 1" "header: 29 records of 4 words, 900 s, W, 1/1"
is "$(fact order)" "newest-first" "records are newest first within each block"
is "$(fact continuous)" "yes" "each block continues right below the previous one"
is "$(fact spacing)" "900" "records are 900 s apart"
is "$(fact records)" "664" "7 days of 15-minute records less 2 hours of power cut"
is "$(fact gaps)" "1" "one gap"
is "$(fact after-gap-flag)" "1" "the record after the gap is flagged incomplete"
is "$(fact incomplete)" "1" "and it is the only incomplete one"
is "$(fact past-end)" "0" "the block past the oldest record has count 0"
set -- $(sed -n 's/^block 0 //p' walk.out)
newest=$2
if [ -n "$newest" ] && [ "$newest" -le "$now" ] && [ "$newest" -gt $((now - 900)) ]; then
	ok "the newest record ends the last whole period (local time since 2000)"
else not_ok "the newest record ends the last whole period" "newest=$newest now=$now"; fi
last=$(sed -n 's/^block \([0-9]*\) .*/\1/p' walk.out | tail -1)
is "$last" 22 "23 blocks hold the records (664 = 22 x 29 + 26)"

# 0xC68A/0xC68C and the copy at 0xC73A carry the last record.
r=$($MB --rtu link --unit 4 'writem 0xF000 1' 'read 0xF010 10' 'read 0xC68A 3' 'read 0xC73A 3' 'read 0xC568 2')
set -- $(printf '%s\n' "$r" | sed -n 2p | sed 's/^ok //')
rec="$(u32 $7 $8) ${10}"
set -- $(printf '%s\n' "$r" | sed -n 3p | sed 's/^ok //')
is "$(u32 $1 $2) $3" "$rec" "0xC68A/0xC68C: date and P+ of the newest record"
set -- $(printf '%s\n' "$r" | sed -n 4p | sed 's/^ok //')
is "$(u32 $1 $2) $3" "$rec" "the copy at 0xC73A agrees"
set -- $(printf '%s\n' "$r" | sed -n 5p | sed 's/^ok //')
p_w=$(( $(s32 $1 $2) * 10 )); v=${rec#* }
if [ "$v" -gt 0 ] && [ $((v * 2)) -ge "$p_w" ] && [ "$v" -le $((p_w * 2)) ]; then
	ok "the last average P+ ($v W) is near the live P ($p_w W)"
else not_ok "the last average P+ is near the live P" "avg=$v P=$p_w"; fi
kill "$SIM_PID"

# --speedup 900: one record per second of wall time.
port=$(free_port)
start_sim fast --tcp "127.0.0.1:$port" --units 2 --seed 21 --speedup 900
wait_for 20 grep -q "serving units" fast.log || not_ok "fast simulator up" "$(cat fast.log)"
first() {	# the date of the newest record
	$MB --tcp "127.0.0.1:$port" --unit 2 'writem 0xF000 1' 'read 0xF010 8' |
	    awk 'NR == 2 && $1 == "ok" { print $8 * 65536 + $9 }'
}
d0=$(first)
grown() { [ "$(first)" -ge $((d0 + 2700)) ]; }
if wait_for 30 grown; then ok "with --speedup 900 the curve gains records while we watch"
else not_ok "the curve grows with --speedup" "first record $d0, now $(first)"; fi
$WALK --tcp "127.0.0.1:$port" --unit 2 >walk.out 2>&1
is "$(fact order) $(fact spacing) $(fact continuous)" "newest-first 900 yes" \
    "paging over TCP: newest first, 900 s apart, continuous"
n=$(fact records)
if [ "${n:-0}" -gt 664 ]; then ok "the sped-up curve holds more than the history ($n)"
else not_ok "the sped-up curve holds more than the history" "$n"; fi
like "$(fact header)" "^29 4 900 0 1 1$" "the header over TCP"
done_testing
