#!/bin/sh
# tests/sh/mqtt-config.sh: the [mqtt] section under --check-config: a valid
# section passes; each error exits 78 and names file:line and the key.
. "$(dirname "$0")/lib.sh"

cd "$T_TMP" || exit 1

# bad NAME REGEX: [mqtt] lines from stdin after a valid bus and meter
# (lines 1..7, [mqtt] on line 8); want exit 78 and "NAME.ini:REGEX".
bad() {
	{ base; cat; } >"$1.ini"
	out=$("$TUI" --check-config -c "$1.ini" 2>&1 >"$1.out")
	is "$?" 78 "$1: exit 78"
	like "$out" "^countis-tui: $1\.ini:$2" "$1: names file:line and key"
}
base() {
	printf '[bus b1]\ntype = rtu\ndevice = /dev/ttyUSB0\n'
	printf '[meter m1]\nbus = b1\naddress = 5\n\n'
}

echo secret >pw
{ base; cat <<-EOF; } >good.ini
	[mqtt]
	host = broker.example
	port = 8883
	client_id = countis-site1
	topic_prefix = site1/countis
	username = countis
	password_file = $T_TMP/pw
	tls = on
	ca_file = $T_TMP/pw
	qos = 1
	discovery = off
	discovery_prefix = ha
	EOF
"$TUI" --check-config -c good.ini >good.out 2>&1
is "$?" 0 "every [mqtt] key: accepted"
{ base; printf '[mqtt]\nhost = 127.0.0.1\n'; } >min.ini
"$TUI" --check-config -c min.ini >min.out 2>&1
is "$?" 0 "[mqtt] with only host: accepted"

bad no-host "8: \[mqtt\] has no host" <<-'EOF'
	[mqtt]
	port = 1883
	EOF
bad dup-section "10: \[mqtt\] already defined at line 8" <<-'EOF'
	[mqtt]
	host = a
	[mqtt]
	EOF
bad port-range "10: \[mqtt\] port = '0': expected 1..65535" <<-'EOF'
	[mqtt]
	host = a
	port = 0
	EOF
bad qos-2 "10: \[mqtt\] qos = '2': expected 0 or 1" <<-'EOF'
	[mqtt]
	host = a
	qos = 2
	EOF
bad tls-word "10: \[mqtt\] tls = 'maybe': expected on or off" <<-'EOF'
	[mqtt]
	host = a
	tls = maybe
	EOF
bad discovery-word "10: \[mqtt\] discovery = 'auto': expected on or off" <<-'EOF'
	[mqtt]
	host = a
	discovery = auto
	EOF
bad prefix-wildcard "10: \[mqtt\] topic_prefix = 'a/#': '#' at position 3" <<-'EOF'
	[mqtt]
	host = a
	topic_prefix = a/#
	EOF
bad prefix-slash "10: \[mqtt\] topic_prefix = 'countis/': '/' at position 8" <<-'EOF'
	[mqtt]
	host = a
	topic_prefix = countis/
	EOF
bad disc-prefix-plus "10: \[mqtt\] discovery_prefix = 'h\+a': '\+' at position 2" <<-'EOF'
	[mqtt]
	host = a
	discovery_prefix = h+a
	EOF
bad client-id-slash "10: \[mqtt\] client_id = 'a/b': '/' at position 2" <<-'EOF'
	[mqtt]
	host = a
	client_id = a/b
	EOF
bad unknown-key "10: \[mqtt\] unknown key 'retain': expected host, port" <<-'EOF'
	[mqtt]
	host = a
	retain = on
	EOF
bad dup-key "10: \[mqtt\] host = 'b': host is already set at line 9" <<-'EOF'
	[mqtt]
	host = a
	host = b
	EOF
bad ca-without-tls "10: \[mqtt\] ca_file is for tls = on" <<-EOF
	[mqtt]
	host = a
	ca_file = $T_TMP/pw
	EOF
bad password-no-user "10: \[mqtt\] password_file = '.*' needs username" <<-EOF
	[mqtt]
	host = a
	password_file = $T_TMP/pw
	EOF
bad password-missing "11: \[mqtt\] password_file = '$T_TMP/nope': No such file" <<-EOF
	[mqtt]
	host = a
	username = u
	password_file = $T_TMP/nope
	EOF
bad ca-missing "11: \[mqtt\] ca_file = '$T_TMP/nope': No such file" <<-EOF
	[mqtt]
	host = a
	tls = on
	ca_file = $T_TMP/nope
	EOF

done_testing
