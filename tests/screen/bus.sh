#!/bin/sh
# tests/screen/bus.sh: the Bus screen (issue 4) at 100x30: bus connection and
# line settings, counters that grow, latency, load, refresh achieved against
# wanted, per-meter rows, exceptions by code, and a hint next to each error
# pattern: no answer at all, CRC errors, exception 02, a foreign device.
. "$(dirname "$0")/../sh/lib.sh"
. "$(dirname "$0")/lib-screen.sh"

scr_sim --units 1-5 --fault 2:dead --fault 3:crc=100 --fault 4:exception=2 \
    --fault 5:foreign || { not_ok "simulator up"; done_testing; exit 1; }
scr_config "$T_TMP/b.ini" "ok:1:Fine one" "dead:2:Silent two" \
    "crc:3:Noisy three" "exc:4:Wrong four" "foreign:5:Other five"
scr_start 100 30 C.UTF-8 -c "$T_TMP/b.ini"
scr_body_wait 20 'Fine one +line/1 +ok'
scr_keys 6
if scr_wait 20 '^Bus line: connected +rtu 19200 8N1 +timeout 200 ms'; then
	ok "bus line: connected, its line settings and timeout"
else
	not_ok "bus line: connected, its line settings and timeout" "$(scr_cap)"
fi
reqs() { scr_cap | sed -n 's/^  requests \([0-9]*\) .*/\1/p'; }
r1=$(reqs)
grew() { [ "$(reqs)" -gt "$r1" ]; }
wait_for 10 grew && ok "the request counter grows ($r1, then $(reqs))" ||
    not_ok "the request counter grows" "$(scr_cap)"
scr_wait 20 'no answer at all'
scr_wait 20 'CRC errors: check the line termination'
scr_wait 20 'exception 02: wrong register map'
# Meter states and counters come from live cycles (one may fail under
# load): each waits for its condition instead of judging one capture.
s=$(scr_cap)
like "$s" 'latency p50 [0-9.]+ m?s +p99 [0-9.]+ m?s +load +[0-9]+%' "bus latency p50/p99 and load"
like "$s" 'refresh [0-9.]+ m?s achievable, 1\.0 s wanted' "achievable refresh against wanted"
like "$s" 'exceptions 02x[0-9]+' "exceptions counted by code"
# The measured round and its wire time cover the same cycles (a full poll
# of each identified E34, an identification read of the others), so the
# measured one is never the smaller: "round: 166 ms for one cycle of each
# meter, 120 ms of it on the wire at 19200 baud (1 full poll, 2 ...)"
to_ms() { awk '{ v = $1; if ($2 == "s") v *= 1000; if ($2 == "us") v /= 1000; print v }'; }
round_line() { scr_cap | grep -E '^  round: ' | head -1; }
like "$(round_line)" '^  round: [0-9.]+ m?s for one cycle of each meter, [0-9.]+ m?s of it on the wire' \
    "the round: measured, and the wire time it includes"
r=$(round_line | sed -E 's/^  round: ([0-9.]+ m?s) .*/\1/' | to_ms)
wt=$(round_line | sed -E 's/.* meter, ([0-9.]+ m?s) .*/\1/' | to_ms)
awk -v r="$r" -v w="$wt" 'BEGIN { exit !(r >= w && w > 0) }' &&
    ok "measured round ($r ms) >= its wire time ($wt ms)" ||
    not_ok "measured round >= its wire time" "$(round_line)"
# (wrapped at 100 columns: judged on the text with its lines joined)
joined_has() { scr_cap | tr -s ' \n' '  ' | grep -Eq -- "$1"; }
wait_for 20 joined_has '\(1 full poll, [0-9] identification reads?(; 1 offline left out)?\)' &&
    ok "says what the round is made of" ||
    not_ok "says what the round is made of" "$(scr_cap)"
# (a healthy meter may see a timeout when the machine stalls: not asserted)
scr_expect 20 'Fine one +1 ok +[0-9]+ +[1-9][0-9]* +[0-9]+ +[0-9]+ +0 +[0-9.]+ ms' "a healthy meter: answers, latency"
scr_expect 20 'Silent two +2 (timeout|offline) +[0-9]+ +0 +[1-9][0-9]* ' "a dead meter: timeouts, no answers"
scr_expect 20 'Noisy three +3 (CRC|offline) +[0-9]+ +[0-9]+ +[0-9]+ +[1-9][0-9]* ' "a corrupting line: CRC errors counted"
scr_expect 20 'Wrong four +4 (exception 2|foreign) +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +[1-9][0-9]* ' \
    "exception 2 counted against the meter (identification refused: foreign)"
like "$s" 'no answer at all: check address, speed, parity, wiring' "hint for silence"
like "$s" 'CRC errors: check the line termination' "hint for CRC errors"
like "$s" 'exception 02: wrong register map or wrong device' "hint for exception 02"
like "$s" 'not an E34 at this address' "hint for a foreign device"
scr_keys q
scr_wait 10 'EXIT=0' && ok "q" || not_ok "q" "$(scr_cap)"
done_testing
