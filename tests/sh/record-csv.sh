#!/bin/sh
# record-csv.sh: CSV from the console (issue 5), driven through screen 5 in
# a private tmux server:
#  - R records one row per meter per cycle into export_dir/record-*.csv,
#    the status says which file and how many rows; the file parses with
#    Python's csv module, holds the product's columns and the served values
#    (status ok, T = T1+..+T4, Σ within 0.1 kWh of a twin simulator);
#  - the file stops taking rows (a file-size limit set on the running
#    console: EFBIG, like a full disk): the recording is held with a clear
#    message, rows wait in memory; lifted, they are written in order, no
#    partial row, no cycle missing;
#  - X writes a snapshot, one row per meter;
#  - an export_dir that does not exist: a clear message, no file.
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/screen/lib-screen.sh"
command -v prlimit >/dev/null || skip_all "prlimit (util-linux) not installed"

SCR_POLL_MS=500
scr_sim --units 1-2 || { not_ok "simulator up"; done_testing; exit 1; }
scr_twin --units 1-2 || { not_ok "twin up"; done_testing; exit 1; }
scr_config "$T_TMP/r.ini" "one:1:Meter one" "two:2:Meter two"
mkdir "$T_TMP/rec"
sed "s#^\[console\]\$#[console]\nexport_dir = $T_TMP/rec#" "$T_TMP/r.ini" >"$T_TMP/rec.ini"
sed "s#^\[console\]\$#[console]\nexport_dir = $T_TMP/missing/dir#" "$T_TMP/r.ini" >"$T_TMP/bad.ini"
# A file-size limit must make write() fail with EFBIG, not kill the console.
REAL_TUI=$TUI
TUI="$T_TMP/tui.sh"
printf '#!/bin/sh\ntrap "" XFSZ\nexec "%s" "$@"\n' "$REAL_TUI" >"$TUI"
chmod +x "$TUI"

need_screen() { scr_open_screen 5 'Commissioning +Meter one'; }
rows_shown() { scr_cap | sed -n 's/.*REC record-[0-9TZ]*\.csv \([0-9]*\) rows.*/\1/p' | head -1; }
rows_at_least() { _r=$(rows_shown); [ -n "$_r" ] && [ "$_r" -ge "$1" ]; }
held_rows() { scr_cap | sed -n 's/.*REC HELD .*: \([0-9]*\) rows waiting.*/\1/p' | head -1; }
held_at_least() { _r=$(held_rows); [ -n "$_r" ] && [ "$_r" -ge "$1" ]; }

scr_start 100 30 C.UTF-8 -c "$T_TMP/rec.ini"
scr_body_wait 20 'Meter one +line/1 +ok' || not_ok "console up" "$(scr_cap)"
need_screen
scr_keys R
if scr_wait 5 'recording to record-[0-9]{8}T[0-9]{6}Z\.csv'; then
	ok "R starts a recording and names the file"
else
	not_ok "R starts a recording and names the file" "$(scr_cap)"
fi
file=$(ls "$T_TMP"/rec/record-*.csv)
if wait_for 20 rows_at_least 6; then ok "status line counts rows ($(rows_shown))"
else not_ok "status line counts rows" "$(scr_cap)"; fi

# The file refuses rows: a size limit on the running console.
pid=$(scr_pid)
size=$(wc -c <"$file")
prlimit --pid "$pid" --fsize=$((size + 300)):unlimited
if wait_for 20 held_at_least 4; then
	ok "full file: recording held, rows wait in memory ($(held_rows))"
else
	not_ok "full file: recording held, rows wait in memory" "$(scr_cap)"
fi
if scr_wait 10 'REC HELD File too large'; then ok "the status says why"
else not_ok "the status says why" "$(scr_cap)"; fi
prlimit --pid "$pid" --fsize=unlimited:unlimited
if scr_wait 20 'REC record-[0-9TZ]+\.csv [0-9]+ rows'; then
	ok "space again: held rows written, recording goes on"
else
	not_ok "space again: held rows written, recording goes on" "$(scr_cap)"
fi
n=$(rows_shown)
wait_for 20 rows_at_least $((n + 4))
scr_keys X
if scr_wait 5 'snapshot: 2 rows in snapshot-[0-9TZ]+\.csv'; then
	ok "X writes a snapshot of both meters"
else
	not_ok "X writes a snapshot of both meters" "$(scr_cap)"
fi
scr_keys R
scr_wait 5 'recording stopped: [0-9]+ rows in ' || not_ok "R stops" "$(scr_cap)"
stopped=$(scr_cap | sed -n 's/.*recording stopped: \([0-9]*\) rows in.*/\1/p' | head -1)
twin_kwh=$(fixd "$(u32w "$(twin_words 1 50946 2)")" 2)
"$PYTHON" - "$file" "$SCR_POLL_MS" "$twin_kwh" >"$T_TMP/rec.txt" 2>&1 <<'EOF2'
import csv, datetime, sys
path, poll_ms, twin = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
raw = open(path, newline='').read()
rows = list(csv.reader(raw.splitlines()))
head, body = rows[0], rows[1:]
print('header', head[:6] == ['timestamp', 'meter', 'bus', 'address', 'status', 'response_ms'] and len(head) == 34)
print('widths', all(len(r) == len(head) for r in body))
print('endsnl', raw.endswith('\n'))
print('rows', len(body))
print('ok', all(r[4] == 'ok' for r in body))
by = {}
for r in body:
    d = dict(zip(head, r))
    by.setdefault(d['address'], []).append(d)
print('meters', sorted(by))
ts = lambda d: datetime.datetime.strptime(d['timestamp'], '%Y-%m-%dT%H:%M:%S.%fZ')
gap = max((ts(b) - ts(a)).total_seconds() for v in by.values() for a, b in zip(v, v[1:]))
print('maxgap_ok', gap <= 3 * poll_ms / 1000, gap)
inc = all(ts(b) > ts(a) for v in by.values() for a, b in zip(v, v[1:]))
print('increasing', inc)
tsum = all(abs(float(d['ea_total_kwh']) - sum(float(d['ea_t%d_kwh' % k]) for k in range(1, 5))) <= 0.031 for v in by.values() for d in v)
print('tsum', tsum)
print('twin', abs(float(by['1'][-1]['ea_total_kwh']) - twin) <= 0.1, by['1'][-1]['ea_total_kwh'], twin)
EOF2
res=$(cat "$T_TMP/rec.txt")
like "$res" 'header True' "the product's 34 columns"
like "$res" 'widths True' "every row whole (no partial row)"
like "$res" 'endsnl True' "the file ends with a whole line"
like "$res" "rows $stopped\$" "as many rows as the console said ($stopped)"
like "$res" 'ok True' "every row status ok"
like "$res" "meters \['1', '2'\]" "rows of both meters"
like "$res" 'maxgap_ok True' "no cycle missing across the held time"
like "$res" 'increasing True' "rows in order"
like "$res" 'tsum True' "served values: T = T1+T2+T3+T4"
like "$res" 'twin True' "served values: total energy as the twin serves it"
snap=$(ls "$T_TMP"/rec/snapshot-*.csv)
is "$("$PYTHON" -c 'import csv,sys; r=list(csv.reader(open(sys.argv[1]))); print(len(r), len(r[1]), r[1][3], r[2][3])' "$snap")" "3 34 1 2" \
    "snapshot: header and one row per meter"
scr_keys q
scr_wait 10 'EXIT=0' || not_ok "q quits" "$(scr_cap)"

# R and X work on every screen: record from Fleet, the status line counts.
rm -f "$T_TMP"/rec/record-*.csv
scr_start 100 30 C.UTF-8 -c "$T_TMP/rec.ini"
scr_body_wait 20 'Meter one +line/1 +ok' || not_ok "console up" "$(scr_cap)"
scr_keys R
if wait_for 20 rows_at_least 4; then
	ok "R on Fleet records; the status line counts rows ($(rows_shown))"
else
	not_ok "R on Fleet records; the status line counts rows" "$(scr_cap)"
fi
scr_keys 2 R
scr_wait 5 'recording stopped: [0-9]+ rows in ' || not_ok "R on Meter stops it" "$(scr_cap)"
fleet_file=$(ls "$T_TMP"/rec/record-*.csv)
check "the Fleet recording parses with one row per meter per cycle" "$PYTHON" -c "
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) >= 4, len(rows)
assert set(r['meter'] for r in rows) == {'one', 'two'}, rows
" "$fleet_file"
scr_keys q
scr_wait 10 'EXIT=0' || not_ok "q quits" "$(scr_cap)"

# An export_dir that does not exist.
scr_start 100 30 C.UTF-8 -c "$T_TMP/bad.ini"
scr_body_wait 20 'Meter one +line/1 +ok' || not_ok "console up" "$(scr_cap)"
need_screen
scr_keys R
if scr_wait 5 'not recording: .*missing/dir: No such file or directory'; then
	ok "missing export_dir: a clear message"
else
	not_ok "missing export_dir: a clear message" "$(scr_cap)"
fi
unlike "$(scr_cap)" 'REC record' "not recording"
check "no directory was made" test ! -e "$T_TMP/missing"
scr_keys q
scr_wait 10 'EXIT=0' || not_ok "q quits" "$(scr_cap)"
done_testing
