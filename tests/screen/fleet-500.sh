#!/bin/sh
# tests/screen/fleet-500.sh: the Fleet screen with 500 meters (issue 12):
# countis-sim serving 500 units on 4 TCP ports (--units 1-125 each), three
# of them faulty: unit 7 of gw1 dead, unit 50 of gw2 with a reversed CT
# (ok Err2), unit 100 of gw3 a foreign device. At 80x24 and 200x50: rows
# grouped under a summary line per bus that folds and unfolds, the header's
# counts by state and its state filter, n/N jumping to the three meters
# that need attention (an operator finds them in three keys), the text
# filter applying as it is typed, failed rows last in both sort directions,
# and the wide columns at 200 columns only.
. "$(dirname "$0")/../sh/lib.sh"
. "$(dirname "$0")/lib-screen.sh"

PORTS=""
n=1
for f in "--fault 7:dead" "--fault 50:reversed=2" "--fault 100:foreign" ""; do
	p=$(free_port)
	# shellcheck disable=SC2086
	"$SIM" --tcp "127.0.0.1:$p" --units 1-125 --seed $n $f 2>"$T_TMP/gw$n.log" &
	t_track $!
	wait_for 20 grep -q serving "$T_TMP/gw$n.log" ||
	    not_ok "simulator gw$n up" "$(cat "$T_TMP/gw$n.log")"
	PORTS="$PORTS $p"
	n=$((n + 1))
done
{
	printf '[console]\nrefresh_ms = 250\n\n'
	n=1
	for p in $PORTS; do
		printf '[bus gw%d]\ntype = tcp\nhost = 127.0.0.1\nport = %s\n' $n "$p"
		printf 'timeout_ms = 300\n\n'
		a=1
		while [ $a -le 125 ]; do
			printf '[meter g%dm%d]\nbus = gw%d\naddress = %d\n' $n $a $n $a
			printf 'poll_ms = 1000\n\n'
			a=$((a + 1))
		done
		n=$((n + 1))
	done
} >"$T_TMP/m500.ini"

# The header once every meter was polled: 497 ok (one Err2 among the
# answering ones), 1 offline (or timing out), 1 foreign.
HEAD='all 500\]? +ok 497 +stale 0 +offline 1 +Err 1 +CHECK 0 +foreign 1'

for size in 80x24 200x50; do
	w=${size%x*} h=${size#*x}
	scr_start "$w" "$h" C.UTF-8 -c "$T_TMP/m500.ini" --log "$T_TMP/tui.log"
	if scr_wait 60 "$HEAD"; then ok "$size: the header counts the meters by state"
	else not_ok "$size: the header counts the meters by state" "$(scr_cap)"; fi
	scr_expect 5 '▾ gw1 load [0-9]+% refresh' "$size: gw1's summary line: load and refresh"
	like "$(scr_cap)" '125 meters: 124 ok, 1 offline' "$size: gw1's summary counts its meters"

	# n n n: the three meters that need attention, in the order shown
	# (bus, then address; the failed one last in its bus).
	scr_keys Home n
	scr_wait 5 '^> g1m7 ' && ok "$size: n finds the dead meter" ||
	    not_ok "$size: n finds the dead meter" "$(scr_cap)"
	like "$(scr_row '^> g1m7')" '(timeout|offline)' "$size: it is marked failing"
	scr_keys n
	scr_wait 5 '^> g2m50 +gw2/50 +ok Err2' && ok "$size: n again: the reversed CT" ||
	    not_ok "$size: n again: the reversed CT" "$(scr_cap)"
	scr_keys n
	scr_wait 5 '^> g3m100 +gw3/100 +foreign' && ok "$size: n a third time: the foreign device" ||
	    not_ok "$size: n a third time: the foreign device" "$(scr_cap)"
	scr_keys N
	scr_wait 5 '^> g2m50 ' && ok "$size: N goes back" ||
	    not_ok "$size: N goes back" "$(scr_cap)"
	scr_keys n n
	scr_wait 5 '^> g1m7 ' && ok "$size: n wraps around to the first" ||
	    not_ok "$size: n wraps around to the first" "$(scr_cap)"

	# Fold: z on a meter folds its bus, the cursor on its line; Enter
	# unfolds it again.
	scr_keys z
	scr_wait 5 '^>▸ gw1 load' && ok "$size: z folds the bus of the cursor" ||
	    not_ok "$size: z folds the bus of the cursor" "$(scr_cap)"
	unlike "$(scr_body)" 'g1m1 ' "$size: a folded bus hides its meters"
	like "$(scr_body)" '▾ gw2 load' "$size: the other buses stay open"
	scr_keys Enter
	scr_body_wait 5 '^> g1m7 +gw1/7 ' && ok "$size: Enter on a bus line unfolds it" ||
	    not_ok "$size: Enter on a bus line unfolds it" "$(scr_cap)"
	scr_keys Z
	scr_wait 5 '▸ gw4 load'
	is "$(scr_body | grep -c '▸ gw[1-4] load')" 4 "$size: Z folds every bus"
	scr_keys Z
	scr_body_wait 5 '▾ gw1 load'

	# The state filter: f moves along the chips.
	scr_keys f f f
	scr_wait 5 '\[offline 1\]' && ok "$size: f selects the offline chip" ||
	    not_ok "$size: f selects the offline chip" "$(scr_cap)"
	rows=$(scr_body | grep -cE '^[> ] g[0-9]+m[0-9]+ ')
	is "$rows" 1 "$size: only the offline meter is shown"
	scr_keys F F
	scr_wait 5 '\[ok 497\]'
	scr_keys Escape
	scr_wait 5 '\[all 500\]' && ok "$size: Esc clears the state filter" ||
	    not_ok "$size: Esc clears the state filter" "$(scr_cap)"

	# The text filter applies as it is typed.
	scr_keys / g 4 m 1 2
	scr_wait 5 'Filter: g4m12_' && ok "$size: the filter prompt" ||
	    not_ok "$size: the filter prompt" "$(scr_cap)"
	rows=$(scr_body | grep -oE '^[> ] g[0-9]+m[0-9]+ ' | tr -d '> ' | sort | tr '\n' ' ')
	is "$rows" "g4m12 g4m120 g4m121 g4m122 g4m123 g4m124 g4m125 " \
	    "$size: the rows follow the text before Enter"
	scr_keys Enter
	scr_wait 5 'Filter: "g4m12": 7 of 500'
	scr_keys Escape
	scr_body_wait 5 'g1m1 +gw1/1 '

	# Sorting by state, then reversed: the failed row stays last of its
	# bus both ways (the line after it is the next bus's).
	scr_keys s
	scr_wait 5 'State▼'
	scr_keys Home n Down
	scr_wait 5 '^>▾ gw2 load' && ok "$size: sorted by state, the failed row ends its bus" ||
	    not_ok "$size: sorted by state, the failed row ends its bus" "$(scr_cap)"
	scr_keys S
	scr_wait 5 'State▲'
	scr_keys Home n Down
	scr_wait 5 '^>▾ gw2 load' && ok "$size: reversed, the failed row still ends its bus" ||
	    not_ok "$size: reversed, the failed row still ends its bus" "$(scr_cap)"
	scr_keys S

	# Wider terminals earn columns.
	hd=$(scr_body | sed -n 2p)
	if [ "$w" -ge 120 ]; then
		like "$hd" 'P kW +Imax A +PF +Q kvar +V1 +V2 +V3 +I1 +I2 +I3 +T +Phases' \
		    "$size: Imax, PF, Q, V1..V3, I1..I3 after P"
	else
		unlike "$hd" 'Imax|PF|V1' "$size: no extra columns at 80"
	fi
	scr_keys q
	scr_wait 10 'EXIT=0' && ok "$size: q quits" || not_ok "$size: q quits" "$(scr_cap)"
done
done_testing
