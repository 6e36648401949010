#!/bin/sh
# tests/screen/commission-modal.sh: the Commissioning screen's y/n question
# ("countis-tui-found.ini exists: y overwrites it") gets every key while it
# is open (issue 9): t and C typed there answer it (the file is kept) and
# open no guarded-write question, even with writes = on.
. "$(dirname "$0")/../sh/lib.sh"
. "$(dirname "$0")/lib-screen.sh"

scr_sim --units 1,7 || { not_ok "simulator up"; done_testing; exit 1; }
scr_config "$T_TMP/c.ini" "one:1:Meter one"
sed "s#^\[console\]\$#[console]\nexport_dir = $T_TMP\nwrites = on#" "$T_TMP/c.ini" >"$T_TMP/ce.ini"
found="$T_TMP/countis-tui-found.ini"

scr_start 100 30 C.UTF-8 -c "$T_TMP/ce.ini"
scr_body_wait 20 'Meter one +line/1 +ok' || not_ok "console up" "$(scr_cap)"
scr_keys 5
scr_body_wait 10 'Commissioning +Meter one' || not_ok "screen 5" "$(scr_cap)"
scr_keys s
scr_wait 120 'Scan done in [0-9.]+ (s|ms): 2 meters' || not_ok "the scan finds both units" "$(scr_cap)"
scr_keys a
scr_wait 5 "2 meters written to" || not_ok "a writes the found meters" "$(scr_cap)"
cp "$found" "$T_TMP/found.copy"
for k in t C; do
	scr_keys a
	scr_wait 5 'countis-tui-found\.ini exists: y overwrites it' || not_ok "$k: a asks" "$(scr_cap)"
	scr_keys "$k"
	if scr_wait 5 'countis-tui-found\.ini kept as it was'; then
		ok "$k answers the question (the file is kept)"
	else
		not_ok "$k answers the question (the file is kept)" "$(scr_cap)"
	fi
	unlike "$(scr_cap)" 'Guarded write' "$k opened no write question"
	check "$k: the file is unchanged" cmp "$found" "$T_TMP/found.copy"
done
# outside the question t still opens the write question
scr_keys t
scr_wait 5 'Guarded write' && ok "outside the question, t is the tariff key" ||
    not_ok "outside the question, t is the tariff key" "$(scr_cap)"
scr_keys Escape
scr_keys q
scr_wait 10 'EXIT=0' || not_ok "q quits" "$(scr_cap)"
done_testing
