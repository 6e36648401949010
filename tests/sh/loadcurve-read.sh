#!/bin/sh
# loadcurve-read.sh: the console's load-curve reader (lc-fetch through the
# engine, as lc-dump drives it) against countis-sim's curve with a gap:
# the records equal an independent pymodbus read paging exactly as the map
# says, the export holds exactly those records, the period comes from the
# time stamps, the gap and the incomplete interval are counted; and with
# CRC faults injected mid-run the curve is still exact (no block skipped or
# taken twice).
. "$(dirname "$0")/lib.sh"
DUMP="$BUILDDIR/tests/tools/lc-dump"
PYREAD="$SRCDIR/tests/sh/loadcurve-pymodbus.py"
TSV="$SRCDIR/data/e34-register-map.tsv"
[ -x "$DUMP" ] || { not_ok "lc-dump built" "$DUMP is missing"; done_testing; exit 1; }
"$PYTHON" -c 'import pymodbus' 2>/dev/null || skip_all "no pymodbus for $PYTHON"
# Central European time: local and UTC stamps differ, DST rules apply.
TZ='CET-1CEST,M3.5.0,M10.5.0/3'
export TZ

ctl() {	# ctl LINE: send one line to the simulator's control socket
	"$PYTHON" -c 'import socket,sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.sendall((sys.argv[2] + "\n").encode()); print(s.recv(600).decode().strip())' \
	    "$T_TMP/ctl" "$1"
}

start_sim sim --pty "$T_TMP/pty" --units 3 --seed 11 --control "$T_TMP/ctl"
wait_for 20 test -e "$T_TMP/pty" -a -S "$T_TMP/ctl" || { not_ok "simulator up"; done_testing; exit 1; }
cat > "$T_TMP/lc.ini" <<EOF2
[console]
export_dir = $T_TMP
[bus b]
type = rtu
device = $T_TMP/pty
baud = 19200
timeout_ms = 300
[meter feeder]
bus = b
address = 3
poll_ms = 3600000
EOF2

"$PYTHON" "$PYREAD" "$TSV" "$T_TMP/pty" 3 >"$T_TMP/py1.csv" 2>"$T_TMP/py1.err"
check "pymodbus reads the curve" test -s "$T_TMP/py1.csv"
mkdir "$T_TMP/exp"
"$DUMP" -c "$T_TMP/lc.ini" -o "$T_TMP/c.csv" -x "$T_TMP/exp" >"$T_TMP/dump.out" 2>&1
rc=$?
"$PYTHON" "$PYREAD" "$TSV" "$T_TMP/pty" 3 >"$T_TMP/py2.csv" 2>/dev/null
is "$rc" 0 "lc-dump ends done"
out=$(cat "$T_TMP/dump.out")
like "$out" 'state=done' "fetch state done"
like "$out" 'msg=oldest block reached' "stops at the block with fewer than 29 records"
# The curve may have grown by one record between the reads (900 s period):
# the console's read must equal the reference read taken just before or after.
if cmp -s "$T_TMP/c.csv" "$T_TMP/py1.csv" || cmp -s "$T_TMP/c.csv" "$T_TMP/py2.csv"; then
	ok "records equal the independent pymodbus read"
else
	not_ok "records equal the independent pymodbus read" "$(diff "$T_TMP/py1.csv" "$T_TMP/c.csv" | head -20)"
fi
exported=$(sed -n 's/^exported=//p' "$T_TMP/dump.out")
like "$exported" "^$T_TMP/exp/loadcurve-feeder-[0-9]{8}T[0-9]{6}Z\.csv$" "export file name shown"
check "export holds exactly the records" cmp "$exported" "$T_TMP/c.csv"
# Parse the export with Python's csv module and check it independently.
"$PYTHON" - "$exported" "$T_TMP/py1.csv" "$T_TMP/dump.out" >"$T_TMP/check.txt" 2>&1 <<'EOF2'
import collections, csv, datetime, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
ref = list(csv.DictReader(open(sys.argv[2], newline='')))
fig = dict(kv.split('=', 1) for kv in open(sys.argv[3]).readline().split())
ep = datetime.datetime(2000, 1, 1)
t = [int((datetime.datetime.strptime(r['time_local'], '%Y-%m-%d %H:%M:%S') - ep).total_seconds()) for r in rows]
d = [b - a for a, b in zip(t, t[1:])]
period = collections.Counter(d).most_common(1)[0][0]
gaps = [x for x in d if x > period]
print('rows', len(rows), 'ref', len(ref))
print('sorted', all(x > 0 for x in d))
print('period', period, fig['period_s'])
print('gaps', len(gaps), fig['gaps'])
print('missing', sum(x // period - 1 for x in gaps), fig['missing'])
print('incomplete', sum(r['flag'] == '1' for r in rows), fig['incomplete'])
print('records', len(rows), fig['records'])
print('utc', all(r['time_utc'].endswith('Z') and r['time_utc'] != r['time_local'].replace(' ', 'T') + 'Z' for r in rows))
EOF2
res=$(cat "$T_TMP/check.txt")
like "$res" 'sorted True' "export sorted by time, no duplicates"
like "$res" 'period ([0-9]+) \1$' "period derived from the spacing of time stamps"
like "$res" 'gaps ([1-9][0-9]*) \1$' "the simulator's gap is found and counted"
like "$res" 'missing ([1-9][0-9]*) \1$' "missing intervals counted"
like "$res" 'incomplete ([0-9]+) \1$' "incomplete intervals counted"
like "$res" 'records ([0-9]+) \1$' "record count matches the export"
like "$res" 'utc True' "UTC stamps differ from local ones in CET"

# CRC faults on 20 % of the answers while paging: retries, same curve.
# Inject them once paging has begun (identification needs a clean start).
resets() { grep -c 'pointer reset' "$T_TMP/sim.log"; }
n0=$(resets)
"$DUMP" -c "$T_TMP/lc.ini" -o "$T_TMP/c2.csv" >"$T_TMP/dump2.out" 2>&1 &
dpid=$!
t_track $dpid
paging() { [ "$(resets)" -gt "$n0" ]; }
wait_for 30 paging
is "$(ctl '3 crc=20')" ok "fault injected while paging"
wait $dpid
rc=$?
is "$(ctl '3 clear')" ok "fault cleared"
"$PYTHON" "$PYREAD" "$TSV" "$T_TMP/pty" 3 >"$T_TMP/py3.csv" 2>/dev/null
is "$rc" 0 "read with CRC faults ends done"
like "$(cat "$T_TMP/dump2.out")" 'retries=[1-9]' "lost answers were retried"
if cmp -s "$T_TMP/c2.csv" "$T_TMP/py2.csv" || cmp -s "$T_TMP/c2.csv" "$T_TMP/py3.csv"; then
	ok "curve exact despite CRC faults"
else
	not_ok "curve exact despite CRC faults" "$(diff "$T_TMP/py2.csv" "$T_TMP/c2.csv" | head -20)"
fi

# Depth limit: 1 day stops early, the newest day only.
"$DUMP" -c "$T_TMP/lc.ini" -d 1 -o "$T_TMP/c3.csv" >"$T_TMP/dump3.out" 2>&1
like "$(cat "$T_TMP/dump3.out")" 'msg=1 days read' "depth limit stops the paging"
n3=$(($(wc -l <"$T_TMP/c3.csv") - 1))
check "one day holds 96..125 records at 900 s (got $n3)" test "$n3" -ge 96 -a "$n3" -le 125
# Cancel after 2 pages keeps what was read.
"$DUMP" -c "$T_TMP/lc.ini" -k 2 -o "$T_TMP/c4.csv" >"$T_TMP/dump4.out" 2>&1
like "$(cat "$T_TMP/dump4.out")" 'state=cancelled pages=2 records=58' "cancel keeps the pages read"
done_testing
