#!/bin/sh
# record-outage.sh: the console's recording (R) has a row for every meter
# every poll cycle, offline and foreign ones included (issue 13 item 9),
# written by the same writer as --export-csv: a dead unit's rows say
# `timeout`, a foreign one's `not-e34`, both with empty values. And two
# snapshots (X) in a row never replace one another (item 16).
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/screen/lib-screen.sh"

SCR_POLL_MS=500
scr_sim --units 1-3 --fault 2:dead --fault 3:foreign ||
    { not_ok "simulator up"; done_testing; exit 1; }
scr_config "$T_TMP/r.ini" "one:1:Meter one" "two:2:Meter two" \
    "three:3:Meter three"
mkdir "$T_TMP/rec"
sed "s#^\[console\]\$#[console]\nexport_dir = $T_TMP/rec#" "$T_TMP/r.ini" >"$T_TMP/rec.ini"
rows_shown() { scr_cap | sed -n 's/.*REC record-[0-9TZ]*\.csv \([0-9]*\) rows.*/\1/p' | head -1; }
rows_at_least() { _r=$(rows_shown); [ -n "$_r" ] && [ "$_r" -ge "$1" ]; }

scr_start 100 30 C.UTF-8 -c "$T_TMP/rec.ini"
scr_body_wait 20 'Meter one +line/1 +ok' || not_ok "console up" "$(scr_cap)"
scr_row_expect 20 'Meter three' 'foreign' "Fleet: Meter three foreign"
scr_row_expect 20 'Meter two' 'offline' "Fleet: Meter two offline"
scr_keys R
scr_wait 5 'recording to record-' || not_ok "R records" "$(scr_cap)"
if wait_for 40 rows_at_least 45; then ok "rows of every meter counted ($(rows_shown))"
else not_ok "rows of every meter counted" "$(scr_cap)"; fi
scr_keys X X
snaps() { ls "$T_TMP"/rec/snapshot-*.csv 2>/dev/null | wc -l; }
two_snaps() { [ "$(snaps)" -ge 2 ]; }
if wait_for 10 two_snaps; then
	ok "two snapshots in a row: two files ($(ls "$T_TMP"/rec | grep snapshot | tr '\n' ' '))"
else
	not_ok "two snapshots in a row: two files" "$(ls "$T_TMP/rec"; scr_cap)"
fi
scr_keys R
scr_wait 5 'recording stopped: [0-9]+ rows in ' || not_ok "R stops" "$(scr_cap)"
stopped=$(scr_cap | sed -n 's/.*recording stopped: \([0-9]*\) rows in.*/\1/p' | head -1)
file=$(ls "$T_TMP"/rec/record-*.csv)
"$PYTHON" - "$file" >"$T_TMP/rec.txt" 2>&1 <<'EOF2'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
print('rows', len(rows))
by = {}
for r in rows:
    by.setdefault(r['meter'], []).append(r)
print('meters', sorted(by))
n = [len(by.get(m, [])) for m in ('one', 'two', 'three')]
print('counts', n, 'even', max(n) - min(n) <= 2)
vals = lambda r: [v for k, v in r.items() if k not in
    ('timestamp', 'meter', 'bus', 'address', 'status', 'response_ms')]
print('one_ok', all(r['status'] == 'ok' for r in by.get('one', [])))
two = by.get('two', [])
print('two_timeout', len(two) > 0 and all(r['status'] == 'timeout' for r in two))
print('two_empty', all(not any(vals(r)) for r in two))
three = by.get('three', [])
print('three_foreign', len(three) > 0 and all(r['status'] == 'not-e34' for r in three))
print('three_empty', all(not any(vals(r)) for r in three))
EOF2
res=$(cat "$T_TMP/rec.txt")
like "$res" "rows $stopped\$" "as many rows as the console said ($stopped)"
like "$res" "meters \['one', 'three', 'two'\]" "rows of all three meters"
like "$res" 'even True' "one row per meter per cycle ($(echo "$res" | grep counts))"
like "$res" 'one_ok True' "the healthy meter: ok"
like "$res" 'two_timeout True' "the dead meter: timeout"
like "$res" 'two_empty True' "the dead meter: empty values"
like "$res" 'three_foreign True' "the foreign meter: not-e34"
like "$res" 'three_empty True' "the foreign meter: empty values"
scr_keys q
scr_wait 10 'EXIT=0' || not_ok "q quits" "$(scr_cap)"
done_testing
