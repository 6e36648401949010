#!/bin/sh
# tests/screen/measure-labels.sh: the Measurements screen names registers
# with the map's human labels and decodes the codes the map enumerates
# (issue 13 item 17), keeps the raw name in the detail line of the selected
# row, never cuts the meter state in its header at 80 columns (item 11:
# "ok E" for "ok Err2"), and shows the age of every value that is not
# fresh in words (item 6), the meter clock included.
. "$(dirname "$0")/../sh/lib.sh"
. "$(dirname "$0")/lib-screen.sh"

scr_sim --units 1 --fault 1:reversed=2 ||
    { not_ok "simulator up"; done_testing; exit 1; }
scr_config "$T_TMP/ml.ini" "one:1:Measured one with a long label"

for run in "80 24 C" "160 50 C.UTF-8"; do
	set -- $run
	scr_start "$1" "$2" "$3" -c "$T_TMP/ml.ini"
	scr_body_wait 20 'line/1 +ok Err2' || not_ok "$3: console up" "$(scr_cap)"
	scr_keys 3
	scr_body_expect 20 '^ Measured one.* line/1  ok Err2( |$)' \
	    "$3: the header keeps the state whole: ok Err2"
	scr_keys Down
	scr_expect 5 '^ V1 = V1 +0xC558 U32 V +confirmed-E34' \
	    "$3: the detail line names the selected row's map row"
	scr_keys a
	scr_scroll_to '^ Network type ' || not_ok "$3: scroll to network type" "$(scr_cap)"
	scr_row_expect 75 '^ Network type ' 'Network type +5 4NBL \(3P\+N unbalanced\)' \
	    "$3: network_type 5 decoded: 4NBL (3P+N unbalanced)"
	unlike "$(scr_cap | head -n -2)" 'network_type' "$3: no raw name in the rows"
	scr_keys Home
	scr_scroll_to '^ Ea- last month kWh ' ||
	    not_ok "$3: a map label in Other registers" "$(scr_cap)"
	like "$(scr_cap)" ' Ea- last month kWh ' "$3: Ea_minus_month_prev shown as \"Ea- last month kWh\""
	unlike "$(scr_cap | head -n -2)" 'Ea_m' "$3: no raw register name in the rows"
	scr_keys q
	scr_wait 10 'EXIT=0' || not_ok "$3: q quits" "$(scr_cap)"
done

# A meter that stops answering: every value it showed carries its age.
scr_start 80 24 C -c "$T_TMP/ml.ini"
scr_body_wait 20 'line/1 +ok Err2' || not_ok "console up" "$(scr_cap)"
scr_keys 3
scr_body_wait 20 '^ V1 +[0-9]+\.[0-9]{2} V ' || not_ok "V1 read" "$(scr_cap)"
scr_scroll_to '~Meter clock +~?[0-9]{4}-' || not_ok "scroll to the clock" "$(scr_cap)"
is "$(scr_ctl '1 dead')" ok "control: unit 1 dead"
scr_row_expect 30 '~Meter clock' 'old: [0-9]' "the meter clock shows its age once the meter is silent"
scr_row_expect 10 '^ Vendor ' 'Vendor +SOCOMEC' "an identification constant stays"
scr_keys Home
scr_row_expect 10 '^ V1 ' '^ V1 .*old: [0-9]' "V1 shows its age in words"
scr_keys q
scr_wait 10 'EXIT=0' || not_ok "q quits" "$(scr_cap)"
done_testing
