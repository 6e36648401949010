#!/bin/sh
# tests/sh/mqtt.sh: the MQTT exporter against a real Mosquitto broker, with
# the console (in a private tmux server, it needs a terminal) polling
# countis-sim over Modbus TCP: state JSON values equal the CSV export's;
# discovery configs parse as JSON with Home Assistant's fields and the
# serial in unique_id; they are sent again when homeassistant/status says
# online; a meter made dead goes offline and publishes nothing more; the
# broker killed and restarted: the console reconnects, availability and
# state resume, RSS stays bounded while drops are counted (Bus screen);
# kill -9 of the console: the broker publishes the last will, offline.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mqtt-lib.sh"
command -v tmux >/dev/null || skip_all "tmux not installed"

SOCK="mqtt$$"
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; t_cleanup' EXIT

ctl() {	# ctl LINE: one line to the simulator's control socket
	"$PYTHON" -c 'import socket,sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.sendall((sys.argv[2] + "\n").encode()); print(s.recv(600).decode().strip())' \
	    "$T_TMP/ctl" "$1"
}
# json_field JSON KEY: the number text of KEY, as sent (no float rounding)
json_field() { printf '%s\n' "$1" | sed -n "s/.*\"$2\":\([-0-9.]*\).*/\1/p"; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
pane() { tmux -L "$SOCK" capture-pane -p -t mq; }
# dropped: the drop count on the Bus screen (empty if not shown)
dropped() { pane | sed -n 's/.*MQTT: .*, [0-9]* sent, \([0-9]*\) dropped.*/\1/p'; }

SIMPORT=$(free_port)
# Unit 3 loses its three phases: no power, so its energies do not move and
# the CSV export and the MQTT state must carry the same figures.
start_sim sim --tcp "127.0.0.1:$SIMPORT" --units 1,3 --seed 8 \
    --fault 3:phase-loss=1 --fault 3:phase-loss=2 --fault 3:phase-loss=3 \
    --control "$T_TMP/ctl"
wait_for 20 sh -c "grep -q serving '$T_TMP/sim.log'" && wait_for 20 test -S "$T_TMP/ctl" ||
    { not_ok "simulator up"; done_testing; exit 1; }
broker_start "$(free_port)" || { not_ok "broker up" "$(cat "$T_TMP/mosquitto.err")"; done_testing; exit 1; }

cat >"$T_TMP/c.ini" <<EOF
[bus gw]
type = tcp
host = 127.0.0.1
port = $SIMPORT
timeout_ms = 200

[meter live]
bus = gw
address = 1
poll_ms = 500

[meter frozen]
bus = gw
address = 3
poll_ms = 500

[mqtt]
host = 127.0.0.1
port = $BROKER_PORT
qos = 1
EOF

"$TUI" -c "$T_TMP/c.ini" --export-csv "$T_TMP/ref.csv" 2>"$T_TMP/ref.err"
is "$?" 0 "--export-csv of the same simulator"
ref_energy=$(awk -F, '$2 == "frozen" { print $7 }' "$T_TMP/ref.csv")
ref_t1=$(awk -F, '$2 == "frozen" { print $8 }' "$T_TMP/ref.csv")
serial=$("$TUI" --scan "127.0.0.1:$SIMPORT" --first 3 --last 3 2>/dev/null |
    grep -Eo '[0-9A-F]{4}-[0-9A-F]{4}-[0-9]+' | head -1)
like "$serial" '^[0-9A-F]{4}-[0-9A-F]{4}-[0-9]+$' "the scan gives unit 3's serial"

tmux -L "$SOCK" -f /dev/null new -d -s mq -x 100 -y 30 \
    "exec '$TUI' -c '$T_TMP/c.ini'"
TUI_PID=$(tmux -L "$SOCK" list-panes -t mq -F '#{pane_pid}')

# --- connected: bridge, availability, state, discovery ---
is "$(msub -t countis/bridge/availability -C 1 -W 60)" online \
    "bridge availability: online (retained)"
wait_for 20 sh -c "mosquitto_sub -h 127.0.0.1 -p $BROKER_PORT -t countis/frozen/availability -C 1 -W 2 | grep -qx online"
is "$(msub -t countis/frozen/availability -C 1 -W 5)" online "meter availability: online"
state=$(msub -t countis/frozen/state -C 1 -W 20)
check "state message is JSON" "$PYTHON" -c 'import json,sys; json.loads(sys.argv[1])' "$state"
like "$(json_field "$state" ea_total_kwh)" '^[0-9]+\.[0-9]{2}$' "state: energy with the register's 2 decimals"
is "$(json_field "$state" ea_total_kwh)" "$ref_energy" "state: ea_total_kwh equals the CSV export's"
is "$(json_field "$state" ea_t1_kwh)" "$ref_t1" "state: ea_t1_kwh equals the CSV export's"
like "$state" '"time":"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z"' \
    "state: read time, UTC ISO 8601 with ms"

msub -t 'homeassistant/sensor/#' -v -C 30 -W 20 >"$T_TMP/disc.txt"
is "$(wc -l <"$T_TMP/disc.txt" | tr -d ' ')" 30 "discovery: 15 retained configs per meter"
"$PYTHON" - "$T_TMP/disc.txt" "$serial" >"$T_TMP/disc.out" 2>&1 <<'EOF'
import json, sys
serial = sys.argv[2]
need = ("name", "unique_id", "state_topic", "value_template",
        "availability", "device")
seen = 0
for line in open(sys.argv[1]):
    topic, payload = line.rstrip("\n").split(" ", 1)
    c = json.loads(payload)
    for k in need:
        assert k in c, (topic, k)
    d = c["device"]
    assert d["manufacturer"] == "Socomec" and d["model"] == "COUNTIS E34", d
    assert d["identifiers"] and d["sw_version"], d
    topics = [a["topic"] for a in c["availability"]]
    assert "countis/bridge/availability" in topics, topics
    assert c["state_topic"].replace("/state", "/availability") in topics
    if "/countis-%s/" % serial not in topic:
        continue
    seen += 1
    assert serial in c["unique_id"], c["unique_id"]
    assert c["state_topic"] == "countis/frozen/state"
    if topic.endswith("/ea_total_kwh/config"):
        assert c["device_class"] == "energy", c
        assert c["unit_of_measurement"] == "kWh", c
        assert c["state_class"] == "total_increasing", c
    if topic.endswith("/p_kw/config"):
        assert c["device_class"] == "power" and c["state_class"] == "measurement"
    if topic.endswith("/v1_v/config"):
        assert c["device_class"] == "voltage" and c["unit_of_measurement"] == "V"
    if topic.endswith("/i1_a/config"):
        assert c["device_class"] == "current" and c["unit_of_measurement"] == "A"
    if topic.endswith("/f_hz/config"):
        assert c["device_class"] == "frequency" and c["unit_of_measurement"] == "Hz"
    if topic.endswith("/pf/config"):
        assert c["device_class"] == "power_factor"
assert seen == 15, seen
EOF
is "$?" 0 "discovery: JSON with HA's fields, unique_id from the serial"
[ -s "$T_TMP/disc.out" ] && sed 's/^/# /' "$T_TMP/disc.out"

# Home Assistant restarted: discovery again (a live, not a retained, copy).
msub -R -t "homeassistant/sensor/countis-$serial/ea_total_kwh/config" -C 1 -W 60 \
    >"$T_TMP/again.txt" &
sub=$!
# say online until the subscriber (which may not be subscribed yet) has it
i=0
while [ $i -lt 60 ] && kill -0 $sub 2>/dev/null; do
	mpub -t homeassistant/status -m online
	wait_for 1 sh -c "! kill -0 $sub 2>/dev/null"
	i=$((i + 1))
done
wait $sub
like "$(cat "$T_TMP/again.txt")" "\"unique_id\":\"countis_${serial}_ea_total_kwh\"" \
    "discovery sent again when homeassistant/status says online"

# --- a dead meter: offline, and no state message with old values ---
is "$(ctl '3 dead')" ok "simulator: unit 3 dead"
wait_for 20 sh -c "mosquitto_sub -h 127.0.0.1 -p $BROKER_PORT -t countis/frozen/availability -C 1 -W 2 | grep -qx offline"
is "$(msub -t countis/frozen/availability -C 1 -W 5)" offline "dead meter: availability offline"
is "$(msub -t countis/frozen/state -C 1 -W 3 2>/dev/null)" "" "dead meter: no state message"
like "$(msub -t countis/live/state -C 1 -W 10)" '"ea_total_kwh"' "the other meter still publishes"
is "$(ctl '3 clear')" ok "simulator: unit 3 back"
wait_for 60 sh -c "mosquitto_sub -h 127.0.0.1 -p $BROKER_PORT -t countis/frozen/availability -C 1 -W 2 | grep -qx online"
is "$(msub -t countis/frozen/availability -C 1 -W 5)" online "meter back: online again"

# --- the broker away: bounded memory, drops counted; then reconnect ---
tmux -L "$SOCK" send-keys -t mq 6
wait_for 10 sh -c "tmux -L $SOCK capture-pane -p -t mq | grep -q 'MQTT: connected'"
like "$(pane)" 'MQTT: connected, [0-9]+ sent, [0-9]+ dropped' "Bus screen: MQTT connected, counts"
d0=$(dropped)
broker_stop
wait_for 10 sh -c "tmux -L $SOCK capture-pane -p -t mq | grep -q 'MQTT: broker away'"
like "$(pane)" 'MQTT: broker away' "Bus screen: broker away"
rss0=$(rss_kb "$TUI_PID")
# 2 meters at 2 cycles/s: 40 drops is 10 s of outage
wait_for 30 sh -c "[ \"\$(tmux -L $SOCK capture-pane -p -t mq | sed -n 's/.*, \([0-9]*\) dropped.*/\1/p')\" -ge $((d0 + 40)) ]"
d1=$(dropped)
rss1=$(rss_kb "$TUI_PID")
[ "${d1:-0}" -ge $((d0 + 40)) ] && ok "drop counter grows while the broker is away ($d0 -> $d1)" ||
    not_ok "drop counter grows while the broker is away" "before $d0 after $d1"
[ $((rss1 - rss0)) -lt 512 ] && ok "RSS bounded during the outage ($rss0 kB -> $rss1 kB)" ||
    not_ok "RSS bounded during the outage" "before $rss0 kB after $rss1 kB"
broker_start "$BROKER_PORT" || not_ok "broker back"
is "$(msub -t countis/bridge/availability -C 1 -W 30)" online \
    "reconnected: bridge availability online on the new broker"
like "$(msub -t countis/frozen/state -C 1 -W 20)" '"ea_total_kwh":[0-9]+\.[0-9]{2},' \
    "reconnected: state messages resume"
is "$(msub -t countis/frozen/availability -C 1 -W 5)" online \
    "reconnected: meter availability published again"

# --- the last will: a crash leaves "offline" behind ---
kill -9 "$TUI_PID"
wait_for 10 sh -c "mosquitto_sub -h 127.0.0.1 -p $BROKER_PORT -t countis/bridge/availability -C 1 -W 2 | grep -qx offline"
is "$(msub -t countis/bridge/availability -C 1 -W 5)" offline \
    "kill -9: the broker publishes the last will, offline"

done_testing
