#!/bin/sh
# tests/screen/commission-answers.sh: what the Commissioning screen says a
# unit answers (issue 13 item 7) and the CS typed on the Meter screen in the
# commissioning report (item 8), in the C locale at 80x24 and UTF-8 at
# 160x50. Unit 1 is healthy, unit 2 answers every request with exception 02
# from the start, unit 3 is a foreign device (DIRIS A-10), unit 4 turns to
# exception 04 after it was identified as an E34.
. "$(dirname "$0")/../sh/lib.sh"
. "$(dirname "$0")/lib-screen.sh"

scr_sim --units 1-4 --fault 2:exception=2 --fault 3:foreign ||
    { not_ok "simulator up"; done_testing; exit 1; }
scr_config "$T_TMP/a.ini" "one:1:Healthy one" "two:2:Refusing two" \
    "three:3:Foreign three" "four:4:Turning four"
mkdir "$T_TMP/out"
sed "s#^\[console\]\$#[console]\nexport_dir = $T_TMP/out#" "$T_TMP/a.ini" \
    >"$T_TMP/ae.ini"

for run in "80 24 C" "160 50 C.UTF-8"; do
	set -- $run
	scr_start "$1" "$2" "$3" -c "$T_TMP/ae.ini"
	scr_body_wait 20 'Healthy one +line/1 +ok' ||
	    not_ok "$3: console up" "$(scr_cap)"
	scr_keys 5
	scr_body_expect 20 'Comm: 19200 8N1, unit 1 answers' "$3: unit 1 answers"
	scr_keys ']'
	scr_body_expect 20 'answers with exception 02 \(illegal data address\)' \
	    "$3: unit 2: answers with exception 02 (illegal data address)"
	unlike "$(scr_cap)" 'does NOT answer' "$3: unit 2 is not said to be silent"
	scr_keys ']'
	scr_body_expect 20 'unit 3 answers, but is not an E34: DIRIS A-10' \
	    "$3: unit 3: answers, but is not an E34: DIRIS A-10"
	unlike "$(scr_cap)" 'does NOT answer' "$3: unit 3 is not said to be silent"
	scr_keys ']'
	scr_body_wait 20 'Turning four +line/4 +ok' ||
	    not_ok "$3: unit 4 identified" "$(scr_cap)"
	is "$(scr_ctl '4 exception=4')" ok "$3: control: unit 4 answers exception 04"
	scr_body_expect 20 'unit 4 answers with exception 04 \(server device failure\)' \
	    "$3: unit 4: answers with exception 04 (server device failure)"
	is "$(scr_ctl '4 clear')" ok "$3: control: unit 4 cleared"
	is "$(scr_ctl '4 dead')" ok "$3: control: unit 4 dead"
	scr_body_expect 20 'unit 4 does NOT answer \(timeout' \
	    "$3: a silent unit still: does NOT answer (timeout)"
	is "$(scr_ctl '4 clear')" ok "$3: control: unit 4 cleared again"
	scr_keys q
	scr_wait 10 'EXIT=0' || not_ok "$3: q quits" "$(scr_cap)"
done

# Item 8: the CS typed on the Meter screen goes into the report.
scr_start 80 24 C -c "$T_TMP/ae.ini"
scr_body_wait 20 'Healthy one +line/1 +ok' || not_ok "console up" "$(scr_cap)"
scr_keys 2 c
scr_expect 5 'CS shown on the meter: ' "the Meter screen asks for the CS"
scr_keys 1 7 6 c Enter
scr_expect 5 'CS of Healthy one noted as "176C"' "the CS is noted"
scr_keys 5
scr_body_wait 20 'Comm: 19200 8N1, unit 1 answers' || not_ok "screen 5" "$(scr_cap)"
scr_keys r
if scr_wait 10 'commissioning-one-[0-9]{8}T[0-9]{6}Z\.md'; then
	ok "r writes the report"
else
	not_ok "r writes the report" "$(scr_cap)"
fi
csv=$(ls "$T_TMP"/out/commissioning-one-*.csv 2>/dev/null | head -1)
md=$(ls "$T_TMP"/out/commissioning-one-*.md 2>/dev/null | head -1)
like "$(grep '^identity,metrology_checksum_cs,' "$csv")" \
    '^identity,metrology_checksum_cs,176C,,typed by the operator' \
    "the CSV report carries the CS typed on the Meter screen"
like "$(grep 'metrology_checksum_cs' "$md")" '\| 176C \|' \
    "the Markdown report carries it too"
like "$(grep '^comm,answering,' "$csv")" '^comm,answering,yes,,answers$' \
    "the report says what the unit answers"
# a meter with no CS typed: the report says where to read it
scr_keys 1 j 5
scr_body_wait 20 'Refusing two' || not_ok "unit 2 selected" "$(scr_cap)"
scr_keys r
wait_for 10 sh -c "ls '$T_TMP'/out/commissioning-two-*.csv >/dev/null 2>&1"
csv2=$(ls "$T_TMP"/out/commissioning-two-*.csv 2>/dev/null | head -1)
like "$(grep '^identity,metrology_checksum_cs,' "$csv2")" \
    '^identity,metrology_checksum_cs,,,.*read it off the LCD' \
    "no CS typed for unit 2: the report says where to read it"
like "$(grep '^comm,answering,' "$csv2")" 'exception 02 \(illegal data address\)' \
    "the report says unit 2 answers with exception 02"
scr_keys q
scr_wait 10 'EXIT=0' || not_ok "q quits" "$(scr_cap)"
done_testing
