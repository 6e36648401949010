#!/bin/sh
# check-slow.sh: no false CHECK (issue 13 item 4). The total (0xC702) and
# T1..T4 (0xC802) travel in different requests; with answers 250 ms late
# (timeout 300 ms) the tariffs are read a quarter second or more after the
# total while the simulated load counts on. The console must not flag the
# meter over 40 cycles; Fleet shows it ok throughout.
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/screen/lib-screen.sh"

SCR_POLL_MS=1000
scr_sim --units 1-2 --fault 1:slow=250 --fault 2:slow=250 ||
    { not_ok "simulator up"; done_testing; exit 1; }
scr_config "$T_TMP/c0.ini" "one:1:Meter one" "two:2:Meter two"
sed 's/^timeout_ms = .*/timeout_ms = 300/' "$T_TMP/c0.ini" >"$T_TMP/c.ini"

scr_start 100 30 C.UTF-8 -c "$T_TMP/c.ini"
scr_body_wait 30 'Meter one +line/1 +ok' || not_ok "console up" "$(scr_cap)"
scr_body_wait 30 'Meter two +line/2 +ok' || not_ok "console up" "$(scr_cap)"
t0=$(date +%s)
# a meter's row, not the header's CHECK chip (Fleet counts states there)
if wait_for 40 scr_body_has 'line/[0-9]+ .*CHECK'; then
	not_ok "no CHECK over 40 s of slow answers ($(( $(date +%s) - t0 )) s)" "$(scr_cap)"
else
	ok "no CHECK over 40 s of slow answers"
fi
scr_row_expect 5 'Meter one' 'ok' "Meter one still ok"
scr_row_expect 5 'Meter two' 'ok' "Meter two still ok"
scr_keys q
scr_wait 10 'EXIT=0' || not_ok "q quits" "$(scr_cap)"
done_testing
