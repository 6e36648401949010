#!/bin/sh
# tests/screen/fleet.sh: the Fleet screen (issue 4) at 100x30 in UTF-8,
# against countis-sim on a pty. Expected values come from a twin simulator
# on TCP with the same seed and faults (the console's line stays its own):
# labels and bus/address from the config, states (ok, foreign, timeout),
# Σ kWh of a frozen meter exactly and of a live one within 0.1 kWh, P,
# tariff set through the control socket, phase pictograms, "---" (never 0)
# for a meter never read; sort by label and reversed; filter and clear;
# cursor, Enter to the Meter screen; the bus status line. Meters that answer
# but whose readings infer a wiring error say so in the warning colour (ok
# Err2, ok Err9) and the status line counts them; a meter replaced by one
# whose counters are lower (the simulator restarted with another seed)
# fails the "no counter went backwards" check: ok CHECK.
. "$(dirname "$0")/../sh/lib.sh"
. "$(dirname "$0")/lib-screen.sh"

# One start for the simulator and its twin: a simulator's starting counters
# integrate its history up to its start, so two started a second apart could
# differ by a 10 Wh step, and the frozen meter keeps its starting value. A
# few seconds in the past keeps the meters' clocks near the real one.
SCR_START=$(( $(date +%s) - 5 ))
FAULTS="--fault 2:reversed=2 --fault 3:phase-loss=1 --fault 3:phase-loss=2
--fault 3:phase-loss=3 --fault 4:foreign --fault 5:dead --fault 6:vn-swap=3"
scr_sim --units 1-6 $FAULTS || { not_ok "simulator up"; done_testing; exit 1; }
scr_twin --units 1-6 $FAULTS || { not_ok "twin simulator up"; done_testing; exit 1; }
scr_config "$T_TMP/fleet.ini" "p:1:Papa incomer" "b:2:Bravo kitchen" \
    "z:3:Zulu frozen" "a:4:Alpha other" "m:5:Mike dead" "y:6:Yankee swapped"
scr_start 100 30 C.UTF-8 -c "$T_TMP/fleet.ini" --log "$T_TMP/tui.log"

if scr_wait 20 'Zulu frozen +line/3 +ok +[0-9]+\.[0-9]{2}'; then
	ok "Fleet shows the meters once polled"
else
	not_ok "Fleet shows the meters once polled" "$(scr_cap)"
fi
scr_body_wait 10 'Papa incomer .*L1 L2 L3'
scr_wait 10 'Mike dead +line/5 +(timeout|offline)'
scr_wait 10 'Alpha other +line/4 +foreign'
screen=$(scr_cap)
like "$screen" 'Σ kWh' "the energy column is headed Σ kWh in UTF-8"
for m in "Papa incomer +line/1" "Bravo kitchen +line/2" "Zulu frozen +line/3" \
    "Alpha other +line/4" "Mike dead +line/5"; do
	like "$screen" "$m" "row: $m"
done
scr_body_wait 10 'Papa incomer +line/1 +ok ' && ok "a healthy meter is ok" ||
    not_ok "a healthy meter is ok" "$(scr_row 'Papa incomer')"
scr_row_expect 20 'Alpha other' 'foreign +--- +---' "a foreign device: foreign, no values"
scr_row_expect 20 'Mike dead' '(timeout|offline) +--- +--- +- +\?\? \?\? \?\? +---' \
    "a dead meter: timeout, --- for values never read (never 0)"
scr_row_expect 20 'Zulu frozen' '-- -- --' "all phases lost: no pictogram lit"
scr_row_expect 20 'Zulu frozen' ' 0\.00 ' "all phases lost: P 0.00 kW"
scr_row_expect 20 'Papa incomer' 'L1 L2 L3' "healthy: three pictograms lit"

# Σ kWh: the frozen meter exactly, the live one within 0.1 kWh of the twin.
want=$(fixd "$(u32w "$(twin_words 3 50946 2)")" 2)
got=$(kwh_of 'Zulu frozen')
is "$got" "$want" "frozen meter: Σ kWh equals the 10 Wh register read by a twin"
live_close() {
	_g=$(kwh_of 'Papa incomer')
	_w=$(fixd "$(u32w "$(twin_words 1 50946 2)")" 2)
	echo "screen $_g twin $_w" >"$T_TMP/close"
	within "$_g" "$_w" 0.1
}
if wait_for 20 live_close; then ok "live meter: Σ kWh within 0.1 kWh of the twin ($(cat "$T_TMP/close"))"
else not_ok "live meter: Σ kWh within 0.1 kWh of the twin" "$(cat "$T_TMP/close")"; fi

# Tariff: set through the control socket, shown in the T column.
is "$(scr_ctl '1 tariff 3')" ok "control: unit 1 to tariff 3"
if scr_wait 10 'Papa incomer .* 3 L1 L2 L3'; then ok "tariff 3 shown for unit 1"
else not_ok "tariff 3 shown for unit 1" "$(scr_row 'Papa incomer')"; fi
scr_row_expect 20 'Bravo kitchen' ' 1 L1 L2 L3' "unit 2 stays on tariff 1"

# Sort: s cycles to the label column, S reverses.
# Wiring errors the console infers, on meters that answer: in the state
# column, in the warning colour (yellow, bold), and counted on the status
# line; a healthy meter and a lost phase carry no mark.
scr_row_expect 20 'Bravo kitchen' 'line/2 +ok Err2 ' "reversed CT on L2: ok Err2"
scr_row_expect 20 'Yankee swapped' 'line/6 +ok Err9 ' "V3-N swap: ok Err9"
scr_row_expect 20 'Papa incomer' 'line/1 +ok +[0-9]' "a healthy meter: ok, no mark"
scr_row_expect 20 'Zulu frozen' 'line/3 +ok +[0-9]' "all phases lost: no Err mark (the pictograms say it)"
E=$(printf '\033')
WARN="$E\[([0-9;]*;)?33(;[0-9;]*)?m($E\[[0-9;]*m)*ok Err2"
ecap_warn() { scr_tmux capture-pane -p -e | grep 'Bravo kitchen' | grep -Eq -- "$WARN"; }
wait_for 20 ecap_warn && ok "ok Err2 in the warning colour" ||
    not_ok "ok Err2 in the warning colour" "$(scr_tmux capture-pane -p -e | grep 'Bravo kitchen' | od -c | head -20)"
scr_expect 20 '6 meters: 2 ok, 2 Err/CHECK, 2 failing' "the status line counts the meters with an Err mark"

scr_keys s s s s s s	# bus/address, then state, kWh, P, T, response, label
scr_wait 5 'Meter▼'
order=$(scr_body | grep -oE '(Papa|Bravo|Zulu|Alpha|Mike|Yankee) ' | tr -d ' ' | tr '\n' ' ')
# failed rows (Alpha foreign, Mike dead) stay last in both directions
is "$order" "Bravo Papa Yankee Zulu Alpha Mike " "s sorts by label, failed rows last"
scr_keys S
scr_wait 5 'Meter▲'
order=$(scr_body | grep -oE '(Papa|Bravo|Zulu|Alpha|Mike|Yankee) ' | tr -d ' ' | tr '\n' ' ')
is "$order" "Zulu Yankee Papa Bravo Mike Alpha " "S reverses the order, failed rows still last"

# Filter: / text Enter shows the matching rows only; Esc clears.
scr_keys / u l u
scr_wait 5 'Filter: ulu_'
scr_keys Enter
if scr_wait 5 'Filter: "ulu": 1 of 6'; then ok "filter applied on Enter"
else not_ok "filter applied on Enter" "$(scr_cap)"; fi
unlike "$(scr_body)" 'Papa incomer' "filtered-out rows are gone"
like "$(scr_cap)" '> Zulu frozen' "the selection follows to the only row"
scr_keys Escape
scr_body_wait 5 'Papa incomer'
unlike "$(scr_cap)" 'Filter:' "Esc clears the filter"

# Cursor (still by label, reversed): Home, Down x4, Enter opens the Meter
# screen of that row.
scr_keys Home Down Down Down Down
scr_wait 5 '^> Mike dead'
like "$(scr_cap)" '^> Mike dead' "the cursor moves with Home and Down"
scr_keys Enter
if scr_wait 5 '^ Mike dead +line/5'; then ok "Enter opens the Meter screen of the selected meter"
else not_ok "Enter opens the Meter screen of the selected meter" "$(scr_cap)"; fi
like "$(scr_cap)" 'Pages: ' "the Meter screen shows its pages"
scr_keys 1
scr_wait 5 'Bus/addr'

# The bus status line: load and refresh carried against wanted.
like "$(scr_cap)" 'line load [0-9]+% refresh [0-9.]+ m?s (\(wanted|> wanted)' \
    "status line: bus load and achievable against wanted refresh"

# Replace the meters (the simulator restarted with a seed whose counters
# are lower): the console reconnects, and unit 1's total went backwards.
kill "$SIM_PID"
wait_for 10 sh -c "! test -e '$SCR_LINK'"
SCR_SEED=3
scr_sim --units 1-6 $FAULTS || not_ok "simulator restarted" "$(cat "$T_TMP/sim.log")"
scr_row_expect 30 'Papa incomer' 'line/1 +ok CHECK ' "a counter went backwards: ok CHECK"
scr_row_expect 20 'Bravo kitchen' 'line/2 +ok Err2' "the reversed CT is still marked"
scr_expect 10 'meters: [0-9] ok, [0-9] Err/CHECK' "the status line counts it"

scr_keys q
scr_wait 10 'EXIT=0' && ok "q quits with status 0" || not_ok "q quits with status 0" "$(scr_cap)"
done_testing
