#!/bin/sh
# tests/screen/commission-wiring.sh: the Commissioning screen's wiring check
# (issue 5) against countis-sim units with one fault each: a healthy unit
# shows Err 0, reversed=2 shows Err 2 with its fix, vn-swap=1 shows Err 7,
# phase-loss=3 shows phase 3 absent (and the voltage precondition failing);
# the leaflet's preconditions are listed (the PF one as |PF|, shown as |PF|
# on a reversed phase); the screen says the meter's own
# result is not on the bus. UTF-8 at 100x30 and the C locale at 80x24.
. "$(dirname "$0")/../sh/lib.sh"
. "$(dirname "$0")/lib-screen.sh"

# The simulated load follows the time of day: at night the healthy unit
# draws less than 20 A. Its clock starts on a Wednesday at noon (local
# time), whatever the time of the run, where unit 1 of seed 4 draws about
# 40 to 53 A per phase.
SCR_START=2026-01-07T12:00:00
scr_sim --units 1-4 --fault 2:reversed=2 --fault 3:vn-swap=1 \
    --fault 4:phase-loss=3 || { not_ok "simulator up"; done_testing; exit 1; }
scr_config "$T_TMP/c.ini" "ok:1:Healthy one" "rev:2:Reversed two" \
    "swap:3:Swapped three" "lost:4:Lost four"

need_screen() { scr_open_screen 5 'Commissioning +Healthy'; }

for run in "100 30 C.UTF-8" "80 24 C"; do
	set -- $run
	scr_start "$1" "$2" "$3" -c "$T_TMP/c.ini"
	scr_body_wait 20 'Healthy one +line/1 +ok' || not_ok "console up ($3)" "$(scr_cap)"
	need_screen
	if scr_body_wait 20 'inferred: Err 0 = no error'; then
		ok "$3: healthy unit: Err 0"
	else
		not_ok "$3: healthy unit: Err 0" "$(scr_cap)"
	fi
	s=$(scr_cap)
	like "$s" 'ok +Voltage on each phase > 150 V +L1 2[0-9]{2}\.[0-9] V' "$3: voltage precondition"
	like "$s" 'ok +At least 20 A \(20 % of Imax\)' "$3: 20 A precondition"
	like "$s" 'Power factor 0\.6 < \|PF\| < 1' "$3: PF precondition names |PF|"
	like "$s" "meter's own result +is LCD only|meter's own result is LCD only" "$3: own test result not on the bus"
	scr_keys ']'
	if scr_body_wait 20 'inferred: Err 2 = inverted connection of phase 2'; then
		ok "$3: reversed=2: Err 2"
	else
		not_ok "$3: reversed=2: Err 2" "$(scr_cap)"
	fi
	like "$(scr_cap)" "fix: swap the wires on terminals L2 and L2'" "$3: Err 2 says what to fix"
	# issue 13 item 13: PF2 is negative on a reversed phase; the check
	# judges |PF|, and the screen shows |PF| beside it
	s=$(scr_cap)
	like "$s" 'ok +Power factor 0\.6 < \|PF\| < 1 +L1 0\.[0-9]{3}  L2 0\.[0-9]{3}  L3 0\.[0-9]{3}' \
	    "$3: reversed=2: |PF| shown for every phase, the check ok"
	unlike "$s" 'Power factor.*-0\.[0-9]' "$3: reversed=2: no signed PF beside the |PF| check"
	unlike "$(scr_cap)" 'Err 0' "$3: no Err 0 beside Err 2"
	scr_keys ']'
	if scr_body_wait 20 'inferred: Err 7 = voltage inversion between V1 and Neutral'; then
		ok "$3: vn-swap=1: Err 7"
	else
		not_ok "$3: vn-swap=1: Err 7" "$(scr_cap)"
	fi
	scr_keys ']'
	if scr_body_wait 20 'inferred: phase 3 absent'; then
		ok "$3: phase-loss=3: phase 3 absent"
	else
		not_ok "$3: phase-loss=3: phase 3 absent" "$(scr_cap)"
	fi
	s=$(scr_cap)
	like "$s" 'FAIL +Voltage on each phase > 150 V .*L3 0\.0 V' "$3: lost phase fails the voltage precondition"
	unlike "$s" 'Err 0' "$3: no Err 0 with a phase lost"
	scr_keys q
	scr_wait 10 'EXIT=0' || not_ok "$3: q quits" "$(scr_cap)"
done
done_testing
