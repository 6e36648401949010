# tests/sh/mqtt-lib.sh: a private Mosquitto broker for the MQTT tests and
# bench. Source after lib.sh.
#   broker_start PORT   mosquitto on 127.0.0.1:PORT, anonymous, no
#                       persistence; pid in $BROKER_PID; waits until it
#                       accepts a client
#   broker_stop         SIGTERM, wait until it is gone
#   msub ARGS...        mosquitto_sub on that broker (add -t, -C, -W ...)
#   mpub ARGS...        mosquitto_pub on that broker
command -v mosquitto >/dev/null || PATH=$PATH:/usr/sbin
command -v mosquitto >/dev/null || skip_all "mosquitto not installed"
command -v mosquitto_sub >/dev/null || skip_all "mosquitto-clients not installed"

msub() { mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" "$@"; }
mpub() { mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" "$@"; }

broker_start() {
	BROKER_PORT=$1
	cat >"$T_TMP/mosquitto.conf" <<-EOF2
	listener $BROKER_PORT 127.0.0.1
	allow_anonymous true
	persistence false
	EOF2
	mosquitto -c "$T_TMP/mosquitto.conf" 2>>"$T_TMP/mosquitto.err" &
	BROKER_PID=$!
	t_track $BROKER_PID
	wait_for 20 mpub -t countis-test/ping -m 1
}

broker_stop() {
	kill "$BROKER_PID" 2>/dev/null
	wait_for 20 sh -c "! kill -0 $BROKER_PID 2>/dev/null"
	wait "$BROKER_PID" 2>/dev/null
	return 0
}
