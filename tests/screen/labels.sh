#!/bin/sh
# tests/screen/labels.sh: labels wider than their column (issue 4). UTF-8
# labels ("Küche Süd ☀ long label", wide CJK characters) are cut by display
# columns, never by bytes, and end with an ellipsis, so every row of Fleet
# and Bus keeps its columns under the header; the title keeps its clock and
# the screen headers their state. At 80x24 in C.UTF-8 and in the C locale.
. "$(dirname "$0")/../sh/lib.sh"
. "$(dirname "$0")/lib-screen.sh"

scr_sim --units 1-3 || { not_ok "simulator up"; done_testing; exit 1; }
scr_config "$T_TMP/l.ini" "k:1:Küche Süd ☀ long label" \
    "p:2:Plain ascii label that is long" "t:3:東京 wide chars label"

# cols WORD: the display column where WORD starts on each line that has it
# (wide characters count two), one per line
cols() {
	scr_cap | "$PYTHON" -c '
import sys, unicodedata
word = sys.argv[1]
for line in sys.stdin.read().split("\n"):
    i = line.find(word)
    if i < 0:
        continue
    w = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line[:i])
    print(w)' "$1"
}
# aligned WORD N: WORD shows on N lines, all at the same column
aligned() {
	_c=$(cols "$1")
	[ "$(printf '%s\n' "$_c" | grep -c .)" -eq "$2" ] &&
	    [ "$(printf '%s\n' "$_c" | sort -u | wc -l)" -eq 1 ]
}

for loc in C.UTF-8 C; do
	[ $loc = C ] && E='~' || E='…'
	scr_start 80 24 $loc -c "$T_TMP/l.ini"
	scr_body_wait 20 'line/3 +ok' || not_ok "$loc: up" "$(scr_cap)"
	# Fleet: Bus/addr, the state and kWh columns line up on all rows
	scr_body_wait 20 'line/1 +ok.*line/2 +ok' 2>/dev/null
	if wait_for 10 aligned 'line/' 3; then ok "$loc fleet: the bus/address column lines up"
	else not_ok "$loc fleet: the bus/address column lines up" "columns: $(cols line/ | tr '\n' ' ')" "$(scr_cap)"; fi
	is "$(cols 'line/1')" "$(cols 'Bus/addr')" "$loc fleet: under its header"
	if [ $loc = C.UTF-8 ]; then
		like "$(scr_row 'line/1')" "Küche Süd ☀ l$E +line/1" "$loc fleet: the label cut by columns, with an ellipsis"
		like "$(scr_row 'line/3')" "東京 wide cha$E +line/3" "$loc fleet: wide characters cut whole"
	else
		like "$(scr_row 'line/1')" "K\\?che S\\?d \\? l$E +line/1" "$loc fleet: one ? per character, cut by columns"
		unlike "$(scr_cap)" '[^ -~]' "$loc: nothing but printable ASCII"
	fi
	like "$(scr_cap | head -1)" ' [0-9]{2}:[0-9]{2}:[0-9]{2} *$' "$loc title: the clock stays"
	w=$(scr_cap | LC_ALL=C.UTF-8 wc -L | tr -d ' ')
	[ "$w" -le 80 ] && ok "$loc fleet: no line wider than 80" || not_ok "$loc fleet: no line wider than 80" "widest $w"

	# Bus: the address and counters line up under the header
	scr_keys 6
	scr_wait 10 '^  Meter +Addr State' || not_ok "$loc: bus screen" "$(scr_cap)"
	if wait_for 10 aligned ' ok  ' 3; then ok "$loc bus: the state column lines up"
	else not_ok "$loc bus: the state column lines up" "columns: $(cols ' ok  ' | tr '\n' ' ')" "$(scr_cap)"; fi
	c_state=$(cols 'State' | head -1)
	c_ok=$(cols ' ok  ' | head -1)
	is "$((c_ok + 1))" "$c_state" "$loc bus: under its header"
	like "$(scr_cap)" "  ([^ ]| )+$E +1 ok " "$loc bus: the label ends with an ellipsis"
	w=$(scr_cap | LC_ALL=C.UTF-8 wc -L | tr -d ' ')
	[ "$w" -le 80 ] && ok "$loc bus: no line wider than 80" || not_ok "$loc bus: no line wider than 80" "widest $w"

	# Meter: the header keeps the state after a long label
	scr_keys 2
	scr_expect 10 '^ .*line/1  ok' "$loc meter: the header keeps bus/address and state"
	scr_keys q
	scr_wait 10 'EXIT=0' || not_ok "$loc: q" "$(scr_cap)"
done
done_testing
