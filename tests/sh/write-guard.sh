#!/bin/sh
# write-guard.sh: the console's guarded writes (issue 5), driven through
# screen 5 in a private tmux server, checked on countis-sim's write log.
#  - writes = off: t and C explain why nothing happens; no frame is sent
#    (the simulator logs every write it gets: its log stays free of them);
#  - writes = on: t 3 y writes tariff 3 (FC06 0x9E21 = 3: the simulator's
#    tariff becomes 3), a cancelled prompt sends nothing, C y writes the
#    console's local time into the clock block (FC16, 6 words) and the
#    confirmation named the meter and the value.
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/screen/lib-screen.sh"

scr_sim --units 1-2 || { not_ok "simulator up"; done_testing; exit 1; }
scr_config "$T_TMP/off.ini" "one:1:Meter one" "two:2:Meter two"
sed 's/^\[console\]$/[console]\nwrites = on/' "$T_TMP/off.ini" >"$T_TMP/on.ini"
writes() { grep -c 'write unit' "$T_TMP/sim.log"; }

need_screen() { scr_open_screen 5 'Commissioning +Meter one'; }

# --- writes off ---
SCR_ENV="TZ=UTC0"
scr_start 100 30 C.UTF-8 -c "$T_TMP/off.ini"
scr_body_wait 20 'Meter one +line/1 +ok' || not_ok "console up" "$(scr_cap)"
need_screen
scr_body_wait 10 'writes off' || not_ok "screen 5 says writes are off" "$(scr_cap)"
scr_keys t
if scr_wait 5 'writes are off \(off\.ini, \[console\] writes\): nothing was sent'; then
	ok "writes off: t says why nothing happens"
else
	not_ok "writes off: t says why nothing happens" "$(scr_cap)"
fi
unlike "$(scr_cap)" 'Select the tariff' "writes off: no tariff prompt"
scr_keys y C
scr_wait 5 'writes are off.*nothing was sent to Meter one \(line/1\)' ||
    not_ok "writes off: C says why" "$(scr_cap)"
unlike "$(scr_cap)" 'Set the clock' "writes off: no clock prompt"
# the keys work on every screen: t on Fleet says the same
scr_keys 1
wait_for 10 scr_body_has 'Meter one'
scr_keys t
scr_wait 5 'writes are off \(off\.ini, \[console\] writes\): nothing was sent' ||
    not_ok "writes off: t on Fleet says why" "$(scr_cap)"
# let the engine run two more cycles, then look at the simulator's log
n=$(writes)
is "$n" 0 "writes off: the simulator received no write"
is "$(scr_ctl '1 status' | sed 's/.*tariff //')" 1 "writes off: tariff still 1"
scr_keys q
scr_wait 10 'EXIT=0' || not_ok "q quits" "$(scr_cap)"

# --- writes on ---
scr_start 100 30 C.UTF-8 -c "$T_TMP/on.ini"
scr_body_wait 20 'Meter one +line/1 +ok' || not_ok "console up (writes on)" "$(scr_cap)"
need_screen
scr_keys t
if scr_wait 5 'Select the tariff of Meter one \(line/1\)'; then
	ok "t opens the tariff prompt naming the meter"
else
	not_ok "t opens the tariff prompt naming the meter" "$(scr_cap)"
fi
scr_keys 2
scr_wait 5 'Write tariff T2 to Meter one \(line/1\)\?' || not_ok "confirmation names meter and value" "$(scr_cap)"
scr_keys n
scr_wait 5 'write cancelled: nothing was sent' || not_ok "n cancels" "$(scr_cap)"
is "$(writes)" 0 "cancelled: nothing sent"
scr_keys t 3
if scr_wait 5 'Write tariff T3 to Meter one \(line/1\)\?'; then
	ok "confirmation: tariff T3 to Meter one (line/1)"
else
	not_ok "confirmation: tariff T3 to Meter one (line/1)" "$(scr_cap)"
fi
scr_keys y
if scr_wait 10 'tariff T3 to Meter one \(line/1\): the meter answered'; then
	ok "y writes, the meter answers"
else
	not_ok "y writes, the meter answers" "$(scr_cap)"
fi
like "$(grep 'write unit' "$T_TMP/sim.log")" '^countis-sim: write unit 1 fc06 0x9E21 = 3: ok' \
    "the simulator got FC06 0x9E21 = 3 for unit 1"
is "$(scr_ctl '1 status' | sed 's/.*tariff //')" 3 "the simulator's tariff is 3"
is "$(scr_ctl '2 status' | sed 's/.*tariff //')" 1 "the other meter is untouched"
scr_keys C
if scr_wait 5 'Set the clock of Meter one \(line/1\)\?'; then
	ok "C opens the clock confirmation naming the meter"
else
	not_ok "C opens the clock confirmation naming the meter" "$(scr_cap)"
fi
like "$(scr_cap)" "To 20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9:]{8} \(this console's local time\)" \
    "the confirmation shows the time to be written"
before=$(TZ=UTC0 date +%s)
scr_keys y
scr_wait 10 'clock 20[0-9-]+ [0-9:]+ to Meter one \(line/1\): the meter answered' ||
    not_ok "clock written" "$(scr_cap)"
after=$(TZ=UTC0 date +%s)
line=$(grep 'write unit 1 fc16 0xE100' "$T_TMP/sim.log")
like "$line" 'fc16 0xE100 = [0-9]+ [0-9]+ [0-9]+ [0-9]+ [0-9]+ [0-9]+: ok' "clock: FC16, 6 words at 0xE100"
set -- $(printf '%s\n' "$line" | sed 's/.*0xE100 = //; s/:.*//')
w=$("$PYTHON" -c 'import calendar,sys
d,mo,y,h,mi,s=map(int,sys.argv[1:7]); print(calendar.timegm((2000+y,mo,d,h,mi,s)))' "$@")
check "clock words are the console's time ($w in $before..$after)" \
    test "$w" -ge $((before - 1)) -a "$w" -le $((after + 1))
is "$(grep -c 'write unit' "$T_TMP/sim.log")" 2 "exactly two writes reached the simulator"
scr_keys q
scr_wait 10 'EXIT=0' || not_ok "q quits" "$(scr_cap)"
done_testing
