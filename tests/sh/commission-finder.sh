#!/bin/sh
# commission-finder.sh: screen 5's comm-settings finder, bus scan and found
# meters file (issue 5). The simulator talks 38400 8N2, the configuration
# says 19200 8N1 (on a pty only the speed can differ: Linux forces 8N1 on
# it, so the simulator checks the speed): the bound of the whole search is
# shown before it starts,
# the finder names the setting that answers and what was wrong, within that
# bound; c cancels it; the scan finds both units at the found setting with
# progress; a writes them to a new config file that --check-config accepts,
# and a second a asks before overwriting (any key but y keeps the file).
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/screen/lib-screen.sh"

scr_sim --units 1,7 --baud 38400 --stop-bits 2 || { not_ok "simulator up"; done_testing; exit 1; }
scr_config "$T_TMP/f.ini" "one:1:Meter one"
sed "s#^\[console\]\$#[console]\nexport_dir = $T_TMP#" "$T_TMP/f.ini" >"$T_TMP/fe.ini"

need_screen() { scr_open_screen 5 'Commissioning +Meter one'; }
# ms TEXT: "850 ms" / "1.7 s" / "12 s" as milliseconds
ms() { echo "$1" | awk '{ if ($2 == "ms") print int($1); else print int($1 * 1000 + 0.5) }'; }

scr_start 100 30 C.UTF-8 -c "$T_TMP/fe.ini"
scr_body_wait 20 'Commissioning|Meter one' || not_ok "console up" "$(scr_cap)"
need_screen
if scr_body_wait 20 'Comm: 19200 8N1,? unit 1 does NOT answer'; then
	ok "wrong settings: the meter does not answer, and the screen says so"
else
	not_ok "wrong settings: the meter does not answer, and the screen says so" "$(scr_cap)"
fi
line=$(scr_row 'f finds the settings')
like "$line" 'f finds the settings: 16 tries, AUTO envelope first, at most [0-9.]+ (s|ms)' \
    "the finder's total time is bounded up front"
bound=$(ms "$(echo "$line" | sed 's/.*at most //')")
scr_keys f
if scr_wait 5 'finder: trying [0-9]+ 8[NEO][12] \([0-9]+/16\), .* of at most '; then
	ok "finder progress: the setting being tried, of the bound"
else
	not_ok "finder progress: the setting being tried, of the bound" "$(scr_cap)"
fi
if scr_wait 30 'finder: unit 1 answers at 38400 8N2 \(AUTO envelope, [0-9.]+ (s|ms)\)'; then
	ok "finder: unit 1 answers at 38400 8N2"
else
	not_ok "finder: unit 1 answers at 38400 8N2" "$(scr_cap)"
fi
like "$(scr_cap)" 'wrong: baud 19200 -> 38400, stop bits 1 -> 2; 19200 8N1 is MANU only' \
    "finder names what was wrong, and that 8N1 is MANU only"
took=$(ms "$(scr_cap | sed -n 's/.*AUTO envelope, \([0-9.]* m*s\)).*/\1/p' | head -1)")
check "finder took ${took} ms, within its bound of ${bound} ms" test "$took" -le "$bound"

scr_keys s
if scr_wait 10 'Scan 38400 8N2: [0-9]+/247, .* left'; then
	ok "scan at the found setting, with progress and time left"
else
	not_ok "scan at the found setting, with progress and time left" "$(scr_cap)"
fi
if scr_wait 60 'Scan done in [0-9.]+ (s|ms): 2 meters'; then
	ok "scan finds both units"
else
	not_ok "scan finds both units" "$(scr_cap)"
fi
s=$(scr_cap)
like "$s" '  1 COUNTIS E34' "unit 1 listed"
like "$s" '  7 COUNTIS E34' "unit 7 listed"
scr_keys a
scr_wait 5 "2 meters written to $T_TMP/countis-tui-found\\.ini" || not_ok "a writes the found meters" "$(scr_cap)"
found="$T_TMP/countis-tui-found.ini"
out=$("$TUI" --check-config -c "$found" 2>&1)
is "$?" 0 "--check-config accepts the written file"
like "$(grep '^baud' "$found")" '^baud = 38400$' "written with the setting that found them"
like "$(grep -c '^\[meter' "$found")" '^2$' "two meter sections"
cp "$found" "$T_TMP/found.copy"
scr_keys a
scr_wait 5 'countis-tui-found\.ini exists: y overwrites it' || not_ok "a again asks" "$(scr_cap)"
scr_keys n
scr_wait 5 'kept as it was' || not_ok "n keeps the file" "$(scr_cap)"
check "the file is unchanged" cmp "$found" "$T_TMP/found.copy"

# Cancel: a new search, c at once.
scr_keys f c
if scr_wait 10 'finder: cancelled: unit 1 answered at none of [0-9]+ settings tried'; then
	ok "c cancels the finder"
else
	not_ok "c cancels the finder" "$(scr_cap)"
fi
scr_keys q
scr_wait 10 'EXIT=0' || not_ok "q quits" "$(scr_cap)"
done_testing
