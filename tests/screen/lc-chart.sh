#!/bin/sh
# tests/screen/lc-chart.sh: the Load curve screen (issue 5). Enter reads the
# curve in the background with progress; the simulator's gap and the
# incomplete interval after it are counted and marked; the period comes from
# the time stamps; the chart is braille in UTF-8 and '#' in the C locale; w
# zooms to a week, h moves the cursor and reads one interval; e exports a
# CSV whose records equal an independent pymodbus read of a twin simulator
# (same seed, same curve); c cancels a read and keeps what came.
. "$(dirname "$0")/../sh/lib.sh"
. "$(dirname "$0")/lib-screen.sh"

SCR_POLL_MS=5000
# One start for the simulator and its twin: the history's power cut is
# placed from the start (to the minute), so two simulators started across a
# minute boundary would hold another cut and another incomplete record. A
# few seconds in the past keeps the meters' clocks near the real one.
SCR_START=$(( $(date +%s) - 5 ))
scr_sim --units 1 || { not_ok "simulator up"; done_testing; exit 1; }
scr_twin --units 1 || { not_ok "twin up"; done_testing; exit 1; }
scr_config "$T_TMP/lc.ini" "feeder:1:Feeder one"
sed "s#^\[console\]\$#[console]\nexport_dir = $T_TMP#" "$T_TMP/lc.ini" >"$T_TMP/lce.ini"

need_screen() { scr_open_screen 4 'Load curve P\+'; }

scr_start 100 30 C.UTF-8 -c "$T_TMP/lce.ini"
scr_body_wait 20 'Feeder one +line/1 +ok' || not_ok "console up" "$(scr_cap)"
need_screen
like "$(scr_cap)" 'Enter reads 14 days of the stored curve \([0-9]+ ms a page on the wire\)' "the screen says how to read"
scr_keys Enter
if scr_wait 10 'reading page [0-9]+ of at most [0-9]+ \([0-9]+ records\)'; then
	ok "progress while the pages come in"
else
	not_ok "progress while the pages come in" "$(scr_cap)"
fi
if scr_wait 30 'oldest block reached: [0-9]+ records in [0-9]+ pages'; then
	ok "the read ends at the oldest block"
else
	not_ok "the read ends at the oldest block" "$(scr_cap)"
fi
s=$(scr_cap)
like "$s" 'period 15 min \(stamps; 0xF012 = 900\)' "period from the stamps, the register beside it"
like "$s" 'gaps 1 \([1-9][0-9]* intervals missing, x\)  incomplete 1 \(!\)' "the gap and the incomplete interval counted"
like "$s" '⣿' "braille chart in UTF-8"
like "$s" '^ +\^$|  +\^ *$' "the cursor marked under the chart"
like "$s" 'cursor 20[0-9-]+ [0-9:]+ \(20[0-9-]+T[0-9:]+Z\)  [0-9]+ W  full interval' \
    "the cursor reads the newest interval"
scr_keys w
scr_wait 5 ' week ' || not_ok "w: week zoom" "$(scr_cap)"
like "$(scr_cap)" '^ {8}[ x!^]*x[ x!^]*$' "week view: the gap marked x under the chart"
scr_keys h h h h
scr_wait 5 'cursor 20[0-9-]+ [0-9:]+ .* W ' || not_ok "h moves the cursor" "$(scr_cap)"
scr_keys e
if scr_wait 5 'exported [0-9]+ records(: | to .*/)loadcurve-feeder-[0-9]{8}T[0-9]{6}Z\.csv'; then
	ok "e exports and names the file"
else
	not_ok "e exports and names the file" "$(scr_cap)"
fi
file=$(ls "$T_TMP"/loadcurve-feeder-*.csv)
"$PYTHON" "$SRCDIR/tests/sh/loadcurve-pymodbus.py" "$SRCDIR/data/e34-register-map.tsv" \
    "tcp:127.0.0.1:$SCR_TWIN_PORT" 1 >"$T_TMP/twin.csv" 2>/dev/null
n=$(($(wc -l <"$file") - 1))
like "$(scr_cap)" "oldest block reached: $n records" "the export holds every record read ($n)"
# The twin started a moment apart: a 15-minute boundary may lie between
# the two reads. Compare every record of the time range both hold.
same=$("$PYTHON" - "$file" "$T_TMP/twin.csv" <<'EOF2'
import csv, sys
a = list(csv.reader(open(sys.argv[1])))
b = list(csv.reader(open(sys.argv[2])))
assert a[0] == b[0], 'headers differ'
lo = max(a[1][0], b[1][0]); hi = min(a[-1][0], b[-1][0])
ra = [r for r in a[1:] if lo <= r[0] <= hi]
rb = [r for r in b[1:] if lo <= r[0] <= hi]
print('same' if ra == rb and len(ra) >= len(a) - 3 else 'differ %d %d' % (len(ra), len(rb)))
EOF2
)
is "$same" same "export equals a pymodbus read of the twin, record for record"
# Cancel: a new read, c at once.
scr_keys Enter c
if scr_wait 10 'cancelled: [0-9]+ records in [0-9]+ pages'; then
	ok "c cancels and keeps the pages read"
else
	not_ok "c cancels and keeps the pages read" "$(scr_cap)"
fi
scr_keys q
scr_wait 10 'EXIT=0' || not_ok "q quits" "$(scr_cap)"

# The C locale at 80x24: ASCII chart.
scr_start 80 24 C -c "$T_TMP/lce.ini"
scr_body_wait 20 'Feeder one +line/1 +ok' || not_ok "console up (C)" "$(scr_cap)"
need_screen
scr_keys Enter
scr_wait 30 'oldest block reached' || not_ok "read in the C locale" "$(scr_cap)"
s=$(scr_cap)
like "$s" '#####' "ASCII chart in the C locale"
unlike "$s" '⣿' "no braille in the C locale"
like "$s" 'cursor 20[0-9-]+' "cursor line at 80x24"
scr_keys q
scr_wait 10 'EXIT=0' || not_ok "q quits (C)" "$(scr_cap)"
done_testing
