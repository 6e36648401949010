#!/bin/sh
# tests/valgrind/console.sh: memcheck on a scripted console session in a
# private tmux server, on countis-sim (two units on a pty): every screen
# 1..6 shown, the help opened and closed, q. The console exits 0 and
# memcheck finds 0 errors and 0 bytes definitely or indirectly lost.
. "$(dirname "$0")/../sh/lib.sh"
. "$(dirname "$0")/../screen/lib-screen.sh"
. "$(dirname "$0")/lib-valgrind.sh"

scr_sim --units 1,2 || { not_ok "simulator up"; done_testing; exit 1; }
scr_config "$T_TMP/vg.ini" "a:1:Valgrind A" "b:2:Valgrind B"
vg_wrapper "$T_TMP/tui" "$T_TMP/vg.log"
TUI="$T_TMP/tui"

start=$(date +%s)
scr_start 120 36 C.UTF-8 -c "$T_TMP/vg.ini"
scr_expect 60 'Valgrind A +line/1' "console up under memcheck (fleet)"
# screen: key, what it shows once drawn with data
for s in '2:Checks ok' '3:^ V1 +[0-9]' '4:Load curve P\+' \
    '5:Commissioning' '6:^Bus line' '1:Bus/addr'; do
	scr_keys "${s%%:*}"
	scr_expect 60 "${s#*:}" "screen ${s%%:*} drawn"
done
scr_keys '?'
scr_expect 30 'Keys \((any key closes this help|arrows, PgUp/PgDn scroll)' "help open"
scr_keys Escape
wait_for 30 sh -c "! tmux -L $SCR_SOCK capture-pane -p | grep -Eq 'Keys \((any key closes|arrows, PgUp)'" &&
    ok "help closed" || not_ok "help closed" "$(scr_cap)"
scr_keys q
scr_expect 60 'EXIT=0$' "q: exit 0 (memcheck found no error)"
echo "# session under memcheck in $(($(date +%s) - start)) s"
vg_judge "$T_TMP/vg.log" "console session"
done_testing
