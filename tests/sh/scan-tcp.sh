#!/bin/sh
# scan-tcp.sh: --scan through a Modbus TCP gateway (countis-sim on a real
# port) that answers exception 0x0B for every unit id it cannot reach: only
# the real meters are listed, the summary counts the ids that answered
# without being an E34, a dead unit is ignored, nothing is written.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/engine-lib.sh"

PORT=$(free_port)
start_sim sim --tcp "127.0.0.1:$PORT" --units 3,4,6 --fault 6:dead --seed 5
wait_for 20 sh -c "grep -q serving '$T_TMP/sim.log'" ||
    { not_ok "simulator up"; done_testing; exit 1; }

"$TUI" --scan "127.0.0.1:$PORT" --first 1 --last 30 --timeout-ms 300 \
    >"$T_TMP/scan.out" 2>"$T_TMP/scan.err"
is "$?" 0 "scan exits 0"
like "$(sed -n 1p "$T_TMP/scan.out")" '^3 COUNTIS E34 serial [0-9A-F]{4}-[0-9A-F]{4}-[0-9]+ sw [0-9]+\.[0-9]{2}$' "unit 3 listed"
like "$(sed -n 2p "$T_TMP/scan.out")" '^4 COUNTIS E34 serial ' "unit 4 listed"
is "$(wc -l <"$T_TMP/scan.out" | tr -d ' ')" 2 "no false meters for the gateway's exceptions"
like "$(cat "$T_TMP/scan.err")" \
    "^2 meters found on 127\\.0\\.0\\.1:$PORT \\(addresses 1\\.\\.30\\) in [0-9]+\\.[0-9] s; 27 ids answered without being an E34 \\(27 through a gateway that found no device\\)\$" \
    "summary counts the gateway's answers (30 - 2 meters - 1 dead)"

"$TUI" --scan "127.0.0.1:$(free_port)" --first 1 --last 2 >/dev/null 2>"$T_TMP/refused.err"
is "$?" 66 "exit 66 when nothing listens"
like "$(cat "$T_TMP/refused.err")" 'connect 127\.0\.0\.1:[0-9]+: ' "the message names host and port"
"$TUI" --scan "127.0.0.1:70000" >/dev/null 2>&1
is "$?" 64 "exit 64 for a bad port"

sim_log_clean "$T_TMP/sim.log"
done_testing
