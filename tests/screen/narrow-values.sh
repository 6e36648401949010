#!/bin/sh
# tests/screen/narrow-values.sh: at 80x24 the value is never what is cut
# (issue 13 item 11): the load-curve export names its file whole (the
# directory is cut instead), the clock dialog shows the meter's time whole,
# the Bus screen's refresh line ends with what is wanted, and the
# Commissioning screen's Comm line keeps what the unit answers. The
# Measurements header (ok Err2) is in measure-labels.sh.
. "$(dirname "$0")/../sh/lib.sh"
. "$(dirname "$0")/lib-screen.sh"

SCR_POLL_MS=2000
scr_sim --units 1 || { not_ok "simulator up"; done_testing; exit 1; }
scr_config "$T_TMP/n.ini" "kitchen:1:Kitchen"
dir="$T_TMP/exports/a-rather-long-directory-name/for-the-exports"
mkdir -p "$dir"
sed "s#^\[console\]\$#[console]\nexport_dir = $dir\nwrites = on#" \
    "$T_TMP/n.ini" >"$T_TMP/ne.ini"

scr_start 80 24 C -c "$T_TMP/ne.ini"
scr_body_wait 20 'Kitchen +line/1 +ok' || not_ok "console up" "$(scr_cap)"
scr_keys 4
scr_wait 10 'Enter reads' || not_ok "screen 4" "$(scr_cap)"
scr_keys Enter
scr_wait 30 'oldest block reached' || not_ok "curve read" "$(scr_cap)"
scr_keys e
f=""
wait_for 10 sh -c "ls '$dir'/loadcurve-kitchen-*.csv >/dev/null 2>&1" &&
    f=$(basename "$(ls "$dir"/loadcurve-kitchen-*.csv | head -1)")
like "$f" '^loadcurve-kitchen-[0-9]{8}T[0-9]{6}Z\.csv$' "e writes the export file"
scr_expect 5 "^ exported [0-9]+ records: $f in " \
    "80x24: the export line names the file whole ($f)"
like "$(scr_cap | tail -1)" "^ exported $f " "the status message names the file whole too"
w=$(scr_cap | LC_ALL=C.UTF-8 wc -L | tr -d ' ')
[ "$w" -le 80 ] && ok "80x24: no line wider than 80" ||
    not_ok "80x24: no line wider than 80" "widest $w"

# the clock dialog: both times whole (the meter clock is in the slow set)
scr_keys 3
scr_scroll_to '~Meter clock +~?[0-9]{4}-' || not_ok "meter clock read" "$(scr_cap)"
scr_keys 5 C
scr_expect 5 "The meter's clock reads [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\." \
    "80x24: the clock dialog shows the meter's time whole"
like "$(scr_cap)" 'To [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} ' \
    "80x24: and the time it would write"
scr_keys n
scr_wait 5 'Comm: 19200 8N1, unit 1 answers' || not_ok "dialog cancelled" "$(scr_cap)"

# the Bus screen's refresh line: what is wanted, whole
scr_keys 6
scr_expect 10 '^  refresh ([0-9.]+ m?s|\?) achievable, [0-9.]+ m?s wanted$' \
    "80x24: the Bus screen's refresh line ends with what is wanted"
scr_keys q
scr_wait 10 'EXIT=0' || not_ok "q quits" "$(scr_cap)"
done_testing
