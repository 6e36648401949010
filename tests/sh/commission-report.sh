#!/bin/sh
# commission-report.sh: screen 5's report (issue 5). r writes
# commissioning-NAME-STAMP.md and .csv into export_dir; the CSV parses with
# Python's csv module and holds what the simulator serves (software version,
# serial, Σ energy against a twin simulator, the inferred Err code of each
# unit, the comm settings in use, bus counters), and says what the bus
# cannot tell; the Markdown carries the same sections.
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/screen/lib-screen.sh"

FAULTS="--fault 2:reversed=2"
scr_sim --units 1-2 $FAULTS || { not_ok "simulator up"; done_testing; exit 1; }
scr_twin --units 1-2 $FAULTS || { not_ok "twin up"; done_testing; exit 1; }
scr_config "$T_TMP/r.ini" "one:1:Meter one" "two:2:Meter two"
mkdir "$T_TMP/out"
sed "s#^\[console\]\$#[console]\nexport_dir = $T_TMP/out#" "$T_TMP/r.ini" >"$T_TMP/re.ini"

need_screen() { scr_open_screen 5 'Commissioning +Meter one'; }

scr_start 100 30 C.UTF-8 -c "$T_TMP/re.ini"
scr_body_wait 20 'Meter one +line/1 +ok' || not_ok "console up" "$(scr_cap)"
need_screen
scr_body_wait 20 'inferred: Err 0' || not_ok "wiring known" "$(scr_cap)"
scr_keys r
if scr_wait 5 "$T_TMP/out/commissioning-one-[0-9]{8}T[0-9]{6}Z\\.md"; then
	ok "r writes the report and names it"
else
	not_ok "r writes the report and names it" "$(scr_cap)"
fi
scr_keys ']'
scr_body_wait 20 'inferred: Err 2' || not_ok "meter two: Err 2" "$(scr_cap)"
scr_keys r
scr_wait 5 "commissioning-two-[0-9TZ]+\\.md" || not_ok "report of meter two" "$(scr_cap)"
scr_keys q
scr_wait 10 'EXIT=0' || not_ok "q quits" "$(scr_cap)"

one=$(ls "$T_TMP"/out/commissioning-one-*.csv)
two=$(ls "$T_TMP"/out/commissioning-two-*.csv)
check "Markdown beside each CSV" test -s "${one%.csv}.md" -a -s "${two%.csv}.md"
sw=$(fixd "$(twin_words 1 50007 1)" 2)
set -- $(twin_words 1 50008 3)
serial=$(printf '%04X-%04X-%d' "$1" "$2" "$3")
kwh=$(fixd "$(u32w "$(twin_words 1 50946 2)")" 2)
"$PYTHON" - "$one" "$two" >"$T_TMP/rep.txt" 2>&1 <<'EOF2'
import csv, sys
def load(p):
    rows = list(csv.reader(open(p, newline='')))
    assert rows[0] == ['section', 'item', 'value', 'unit', 'note'], rows[0]
    assert all(len(r) == 5 for r in rows), 'ragged'
    return {(r[0], r[1]): r for r in rows[1:]}
a, b = load(sys.argv[1]), load(sys.argv[2])
print('sw', a[('identity', 'software_version')][2])
print('serial', a[('identity', 'serial')][2])
print('ext', a[('identity', 'extended_name')][2])
print('kwh', a[('reading', 'Ea_plus_total_10Wh')][2])
print('err_one', ('wiring', 'Err 0') in a, ('wiring', 'Err 2') in a)
print('err_two', ('wiring', 'Err 2') in b, ('wiring', 'Err 0') in b)
print('fix_two', b[('wiring', 'Err 2')][4])
print('baud', a[('comm', 'baud')][2], a[('comm', 'parity')][2], a[('comm', 'stop_bits')][2])
print('answering', a[('comm', 'answering')][2])
print('requests', int(a[('bus', 'requests')][2]) > 0, int(a[('bus', 'answers')][2]) > 0)
print('notreadable', 'not readable over Modbus' in a[('wiring', 'meter_test_result')][4])
print('cs', 'not readable' in a[('identity', 'metrology_checksum_cs')][4])
print('v1', a[('reading', 'V1')][2], a[('reading', 'V1')][3])
print('time', a[('report', 'generated_utc')][2])
EOF2
res=$(cat "$T_TMP/rep.txt")
like "$res" "sw $sw\$" "software version as served ($sw)"
like "$res" "serial $serial\$" "serial as served ($serial)"
like "$res" 'ext COUNTIS E34' "extended name"
got=$(printf '%s\n' "$res" | sed -n 's/^kwh //p')
if within "$got" "$kwh" 0.1; then ok "Σ energy $got kWh, twin $kwh"
else not_ok "Σ energy against the twin" "report '$got' twin '$kwh'"; fi
like "$res" 'err_one True False' "meter one: Err 0 only"
like "$res" 'err_two True False' "meter two: Err 2, no Err 0"
like "$res" "fix_two swap the wires on terminals L2 and L2'" "the remedy travels with the code"
like "$res" 'baud 19200 none 1' "comm settings in use"
like "$res" 'answering yes' "the meter answered at them"
like "$res" 'requests True True' "bus counters"
like "$res" 'notreadable True' "says the meter's own test result is not readable"
like "$res" 'cs True' "says the CS is not readable"
like "$res" 'v1 2[0-9]{2}\.[0-9]{2} V' "readings with their units"
like "$res" 'time 20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z' "the time, UTC"
md=$(cat "${two%.csv}.md")
like "$md" '^# Commissioning report: Meter two' "Markdown title"
for sec in 'Identity' 'Communication settings in use' 'Wiring check' 'Readings' 'Bus statistics'; do
	like "$md" "^## $sec" "Markdown section: $sec"
done
like "$md" "\\| Err 2 \\| Err 2 = inverted connection of phase 2" "Markdown: the Err code row"
done_testing
