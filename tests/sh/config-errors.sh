#!/bin/sh
# tests/sh/config-errors.sh: countis-tui --check-config on one bad file per
# configuration error: exit 78 (66 for a file that cannot be read) and a
# message naming file:line, the section and the key; the shipped example
# passes; the configuration file is looked up in PRODUCT.md's order.
. "$(dirname "$0")/lib.sh"

cd "$T_TMP" || exit 1

# bad NAME RC REGEX: write stdin to NAME.ini, check it from $T_TMP with a
# relative path; want exit RC and an error line matching "NAME.ini:REGEX".
bad() {
	cat >"$1.ini"
	out=$("$TUI" --check-config -c "$1.ini" 2>&1 >"$1.out")
	rc=$?
	is "$rc" "$2" "$1: exit $2"
	like "$out" "^countis-tui: $1\.ini:$3" "$1: names file:line and key"
	[ -s "$1.out" ] && not_ok "$1: no summary on stdout" "$(cat "$1.out")"
	return 0
}

# A valid bus and meter to append to, 8 lines.
base() {
	cat <<-'EOF'
	[bus b1]
	type = rtu
	device = /dev/ttyUSB0
	baud = 19200
	[meter m1]
	bus = b1
	address = 5
	poll_ms = 1000
	EOF
}

# --- sections ---
bad unknown-section 78 "1: unknown section '\[consle\]'" <<-'EOF'
	[consle]
	theme = default
	EOF
bad unknown-section-word 78 "9: unknown section '\[meters m2\]'" <<-EOF
	$(base)
	[meters m2]
	EOF
bad dup-console 78 "3: \[console\] already defined at line 1" <<-'EOF'
	[console]
	refresh_ms = 500
	[console]
	EOF
bad dup-bus 78 "9: \[bus b1\] already defined at line 1" <<-EOF
	$(base)
	[bus b1]
	type = rtu
	EOF
bad dup-meter 78 "9: \[meter m1\] already defined at line 5" <<-EOF
	$(base)
	[meter m1]
	EOF
bad name-space 78 "9: '\[bus rs 485\]': bad bus name 'rs 485': ' ' at position 3" <<-EOF
	$(base)
	[bus rs 485]
	EOF
bad name-slash 78 "9: '\[meter a/b\]': bad meter name 'a/b': '/' at position 2" <<-EOF
	$(base)
	[meter a/b]
	EOF
bad name-empty 78 "9: '\[bus\]': bad bus name '': the name is empty" <<-EOF
	$(base)
	[bus]
	EOF
bad name-two-spaces 78 "9: '\[meter  m2\]': put one space between 'meter' and the name" <<-EOF
	$(base)
	[meter  m2]
	EOF
bad name-long 78 "9: .*is 33 characters long, at most 32" <<-EOF
	$(base)
	[meter abcdefghijklmnopqrstuvwxyz0123456]
	EOF
bad name-start 78 "9: .*starts with a letter or digit, not '-'" <<-EOF
	$(base)
	[bus -x]
	EOF
bad no-bracket 78 "2: '\[bus b2': a section header ends with '\]'" <<-'EOF'
	; comment
	[bus b2
	EOF
bad no-equals 78 "3: 'baud 9600': expected KEY = VALUE" <<-'EOF'
	[bus b1]
	type = rtu
	baud 9600
	EOF
bad key-outside 78 "2: theme = 'x' before any section" <<-'EOF'
	; no section yet
	theme = x
	EOF

# --- keys ---
bad unknown-key 78 "4: \[bus b1\] unknown key 'bauds': expected type, device, baud" <<-'EOF'
	[bus b1]
	type = rtu
	device = /dev/ttyUSB0
	bauds = 9600
	EOF
bad unknown-key-meter 78 "9: \[meter m1\] unknown key 'adress'" <<-EOF
	$(base)
	adress = 6
	EOF
bad key-twice 78 "10: \[meter m1\] poll_ms = '500': poll_ms is already set at line 8" <<-EOF
	$(base)
	label = x
	poll_ms = 500
	EOF
bad type-bad 78 "2: \[bus b1\] type = 'modbus': expected rtu, tcp or rtu-tcp" <<-'EOF'
	[bus b1]
	type = modbus
	EOF
bad type-missing 78 "1: \[bus b1\] has no type" <<-'EOF'
	[bus b1]
	device = /dev/ttyUSB0
	[meter m1]
	bus = b1
	address = 1
	EOF
bad baud 78 "4: \[bus b1\] baud = '19201': expected 4800, 9600, 19200 or 38400" <<-'EOF'
	[bus b1]
	type = rtu
	device = /dev/ttyUSB0
	baud = 19201
	EOF
bad baud-suffix 78 "4: \[bus b1\] baud = '19200x': not a whole number" <<-'EOF'
	[bus b1]
	type = rtu
	device = /dev/ttyUSB0
	baud = 19200x
	EOF
bad baud-empty 78 "4: \[bus b1\] baud = '': empty value" <<-'EOF'
	[bus b1]
	type = rtu
	device = /dev/ttyUSB0
	baud =
	EOF
bad baud-overflow 78 "4: \[bus b1\] baud = '99999999999999999999': number too large" <<-'EOF'
	[bus b1]
	type = rtu
	device = /dev/ttyUSB0
	baud = 99999999999999999999
	EOF
bad parity 78 "3: \[bus b1\] parity = 'mark': expected none, even or odd" <<-'EOF'
	[bus b1]
	type = rtu
	parity = mark
	EOF
bad stop-bits 78 "3: \[bus b1\] stop_bits = '3': expected 1 or 2" <<-'EOF'
	[bus b1]
	type = rtu
	stop_bits = 3
	EOF
bad timeout-low 78 "3: \[bus b1\] timeout_ms = '9': expected 10..10000" <<-'EOF'
	[bus b1]
	type = rtu
	timeout_ms = 9
	EOF
bad timeout-high 78 "3: \[bus b1\] timeout_ms = '10001': expected 10..10000" <<-'EOF'
	[bus b1]
	type = rtu
	timeout_ms = 10001
	EOF
bad timeout-negative 78 "3: \[bus b1\] timeout_ms = '-5': expected 10..10000" <<-'EOF'
	[bus b1]
	type = rtu
	timeout_ms = -5
	EOF
bad port-zero 78 "3: \[bus gw\] port = '0': expected 1..65535" <<-'EOF'
	[bus gw]
	type = tcp
	port = 0
	EOF
bad port-high 78 "3: \[bus gw\] port = '65536': expected 1..65535" <<-'EOF'
	[bus gw]
	type = tcp
	port = 65536
	EOF
bad device-empty 78 "3: \[bus b1\] device = '': empty value" <<-'EOF'
	[bus b1]
	type = rtu
	device =
	EOF
bad host-empty 78 "3: \[bus gw\] host = '': empty value" <<-'EOF'
	[bus gw]
	type = tcp
	host =
	EOF
bad rtu-no-device 78 "1: \[bus b1\] type = rtu needs device" <<-'EOF'
	[bus b1]
	type = rtu
	[meter m1]
	bus = b1
	address = 1
	EOF
bad tcp-no-host 78 "1: \[bus gw\] type = tcp needs host" <<-'EOF'
	[bus gw]
	type = tcp
	port = 502
	[meter m1]
	bus = gw
	address = 1
	EOF
bad rtu-with-host 78 "4: \[bus b1\] host is for type = tcp" <<-'EOF'
	[bus b1]
	type = rtu
	device = /dev/ttyUSB0
	host = 192.0.2.1
	[meter m1]
	bus = b1
	address = 1
	EOF
bad tcp-with-device 78 "3: \[bus gw\] device is for type = rtu" <<-'EOF'
	[bus gw]
	type = tcp
	device = /dev/ttyUSB0
	host = 192.0.2.1
	[meter m1]
	bus = gw
	address = 1
	EOF
bad refresh 78 "2: \[console\] refresh_ms = '49': expected 50..10000" <<-'EOF'
	[console]
	refresh_ms = 49
	EOF
bad writes 78 "2: \[console\] writes = 'maybe': expected on or off" <<-'EOF'
	[console]
	writes = maybe
	EOF
bad dialect 78 "2: \[console\] csv_dialect = 'excel': expected rfc4180 or excel-eu" <<-'EOF'
	[console]
	csv_dialect = excel
	EOF
bad theme-path 78 "2: \[console\] theme = '../x': a name starts with" <<-'EOF'
	[console]
	theme = ../x
	EOF
bad poll-low 78 "8: \[meter m1\] poll_ms = '99': expected 100..3600000" <<-EOF
	$(base | sed 's/poll_ms = 1000/poll_ms = 99/')
	EOF
bad poll-high 78 "8: \[meter m1\] poll_ms = '3600001': expected 100..3600000" <<-EOF
	$(base | sed 's/poll_ms = 1000/poll_ms = 3600001/')
	EOF
bad address-zero 78 "7: \[meter m1\] address = '0': 0 is the Modbus broadcast address" <<-EOF
	$(base | sed 's/address = 5/address = 0/')
	EOF
bad address-high 78 "7: \[meter m1\] address = '248': expected 1..247" <<-EOF
	$(base | sed 's/address = 5/address = 248/')
	EOF
bad address-word 78 "7: \[meter m1\] address = 'five': not a whole number" <<-EOF
	$(base | sed 's/address = 5/address = five/')
	EOF
bad label-empty 78 "9: \[meter m1\] label = '': empty value" <<-EOF
	$(base)
	label =
	EOF

# --- rules across keys ---
bad meter-no-bus 78 "9: \[meter m2\] has no bus" <<-EOF
	$(base)
	[meter m2]
	address = 6
	EOF
bad meter-no-address 78 "9: \[meter m2\] has no address" <<-EOF
	$(base)
	[meter m2]
	bus = b1
	EOF
bad meter-empty-section 78 "9: \[meter m2\] has no bus" <<-EOF
	$(base)
	[meter m2]
	; nothing here
	EOF
bad unknown-bus 78 "10: \[meter m2\] bus = 'b9': no \[bus b9\] section" <<-EOF
	$(base)
	[meter m2]
	bus = b9
	address = 6
	EOF
bad dup-address 78 "11: \[meter m2\] address = 5: \[meter m1\] \(line 7\) already has address 5 on bus b1" <<-EOF
	$(base)
	[meter m2]
	bus = b1
	address = 5
	EOF
bad no-meters 78 " no \[meter NAME\] section" <<-'EOF'
	[console]
	theme = default
	EOF
# the same address on two buses is fine
cat >two-buses.ini <<-EOF
	$(base)
	[bus b2]
	type = tcp
	host = 192.0.2.7
	[meter m2]
	bus = b2
	address = 5
	EOF
out=$("$TUI" --check-config -c two-buses.ini 2>&1)
is "$?" 0 "same address on two buses: accepted"

# --- several errors, each with its own line; long lines ---
bad several 78 "1: unknown section" <<-'EOF'
	[consle]
	[bus b1]
	type = rtu
	baud = 1
	EOF
like "$out" "several\.ini:4: \[bus b1\] baud = '1'" "several: the second error has its line too"

long=$(printf '%0231d' 0)	# "label_of_nothing = " (19) + 231 = 250 bytes
bad long-line 78 "3: line too long \(250 bytes, at most 198\)" <<-EOF
	[bus b1]
	type = rtu
	label_of_nothing = $long
	device = /dev/ttyUSB0

	baud = 1
	EOF
like "$out" "long-line\.ini:6: \[bus b1\] baud = '1'" "long-line: a later line keeps its number"
unlike "$out" "unknown key" "long-line: the tail of the long line is not parsed as a key"

# exactly 198 bytes pass, 199 do not (inih r55 cuts at 200)
pad=$(printf '%0177d' 0)	# "label = " (8) + pad (177) + "ABCDEFGHIJKLM" (13) = 198
base >edge198.ini
printf 'label = %sABCDEFGHIJKLM\n' "$pad" >>edge198.ini
out=$("$TUI" --check-config -c edge198.ini 2>&1)
is "$?" 0 "a 198-byte line is accepted"
like "$out" "label \"0+ABCDEFGHIJKLM\"" "a 198-byte value arrives whole"
base >edge199.ini
printf 'label = %sABCDEFGHIJKLMN\n' "$pad" >>edge199.ini
out=$("$TUI" --check-config -c edge199.ini 2>&1)
is "$?" 78 "a 199-byte line is refused"
like "$out" "edge199\.ini:9: line too long \(199 bytes, at most 198\)" "199: line and length named"

# --- files that cannot be read: 66 ---
out=$("$TUI" --check-config -c missing.ini 2>&1)
is "$?" 66 "missing file: exit 66"
like "$out" "^countis-tui: missing\.ini: No such file or directory" "missing file: path and reason"
mkdir adir
out=$("$TUI" --check-config -c adir 2>&1)
is "$?" 66 "a directory: exit 66"
like "$out" "adir: Is a directory" "a directory: path and reason"
if [ "$(id -u)" -ne 0 ]; then
	base >noread.ini; chmod 000 noread.ini
	out=$("$TUI" --check-config -c noread.ini 2>&1)
	is "$?" 66 "unreadable file: exit 66"
	like "$out" "noread\.ini: Permission denied" "unreadable file: reason"
fi

# --- not a regular file (issue 8): refused at once, never read ---
# timeout: without the check the reader blocks on the FIFO or reads
# /dev/zero for ever; 124 is timeout's own status.
mkfifo fifo.ini
out=$(timeout 10 "$TUI" --check-config -c fifo.ini 2>&1)
is "$?" 66 "a FIFO as -c: exit 66 at once"
like "$out" "^countis-tui: fifo\.ini: a FIFO, not a regular file" "a FIFO: named, and why"
for dev in /dev/zero /dev/urandom; do
	out=$(timeout 10 "$TUI" --check-config -c "$dev" 2>&1)
	is "$?" 66 "$dev as -c: exit 66 at once"
	like "$out" "^countis-tui: $dev: a character device, not a regular file" "$dev: named, and why"
done
out=$(timeout 10 "$TUI" -c fifo.ini --export-csv - 2>&1)
is "$?" 66 "a FIFO as -c for --export-csv: exit 66 at once"
head -c 1048577 /dev/zero | tr '\0' '\n' >huge.ini
out=$(timeout 10 "$TUI" --check-config -c huge.ini 2>&1)
is "$?" 78 "a 1 MiB + 1 byte file: exit 78"
like "$out" "huge\.ini: 1048577 bytes: a configuration file is at most 1048576 bytes" "a huge file: size named"

# --- control bytes in the file are escaped in messages (issue 8) ---
printf '[bus b]\ntype = rtu\001\033[2J\ndevice = /dev/x\n[meter m]\nbus = b\naddress = 1\n' >ctl.ini
"$TUI" --check-config -c ctl.ini >/dev/null 2>ctl.err
is "$?" 78 "control bytes: exit 78"
like "$(cat ctl.err)" "^countis-tui: ctl\.ini:2: \[bus b\] type = 'rtu\\\\x01\\\\x1B\[2J': expected rtu, tcp or rtu-tcp" \
	"control bytes: escaped as \\xNN"
is "$(tr -d '\n -~' <ctl.err | od -An -c | tr -d ' \n')" "" "control bytes: none reaches stderr raw"

# --- every error of the file in one run (issue 13), each with its line ---
cat >all.ini <<-'EOF'
	[bus b]
	baud = 1
	type = rtu
	[bus t]
	host = x
	[meter m1]
	address = 1
	bus = b9
	[meter m2]
	bus = b
	[meter m3]
	bus = b
	address = five
	[meter m4]
	bus = b
	address = 5
	[meter m5]
	bus = b
	address = 5
	EOF
"$TUI" --check-config -c all.ini >all.out 2>all.err
is "$?" 78 "all errors: exit 78"
err=$(cat all.err)
like "$err" "^countis-tui: all\.ini:1: \[bus b\] type = rtu needs device" "all errors: bus without device"
like "$err" "^countis-tui: all\.ini:2: \[bus b\] baud = '1'" "all errors: a bad value"
like "$err" "^countis-tui: all\.ini:4: \[bus t\] has no type" "all errors: bus without type"
like "$err" "^countis-tui: all\.ini:8: \[meter m1\] bus = 'b9': no \[bus b9\] section" "all errors: unknown bus"
like "$err" "^countis-tui: all\.ini:9: \[meter m2\] has no address" "all errors: missing address"
like "$err" "^countis-tui: all\.ini:13: \[meter m3\] address = 'five'" "all errors: bad address"
like "$err" "^countis-tui: all\.ini:19: \[meter m5\] address = 5: \[meter m4\] \(line 16\)" "all errors: duplicate address"
unlike "$err" "m3\] has no address" "all errors: a refused value is not reported twice"
like "$err" "^countis-tui: 7 errors in the configuration$" "all errors: counted"
is "$(grep -c 'all\.ini:' all.err)" 7 "all errors: seven lines, one per error"
[ -s all.out ] && not_ok "all errors: no summary on stdout" "$(cat all.out)" || ok "all errors: no summary on stdout"

# The example in config.h and the brief: line 14 of countis-tui.ini.
mkdir ex
{ printf '[console]\n'; i=2; while [ $i -le 9 ]; do echo "; line $i"; i=$((i+1)); done
  printf '[bus rs485-1]\ntype = rtu\ndevice = /dev/ttyUSB0\n; 13\nbaud = 19201\n'; } >ex/countis-tui.ini
out=$(cd ex && "$TUI" --check-config 2>&1)
is "$?" 78 "./countis-tui.ini with a bad baud: exit 78"
like "$out" "^countis-tui: \./countis-tui\.ini:14: \[bus rs485-1\] baud = '19201': expected 4800, 9600, 19200 or 38400" \
	"the documented message, word for word"

# --- the shipped example passes and lists its buses and meters ---
out=$("$TUI" --check-config -c "$SRCDIR/countis-tui.ini" 2>&1)
is "$?" 0 "shipped countis-tui.ini: exit 0"
like "$out" "^bus rs485-1 .*rtu /dev/ttyUSB0 19200 baud" "shipped: rtu bus listed"
like "$out" "^bus gateway .*tcp 192\.0\.2\.10:502" "shipped: tcp bus listed"
like "$out" "^  meter incomer .*address 5, poll_ms 1000, label \"Main incomer\"" "shipped: meter incomer"
like "$out" "^  meter feeder-2 .*address 6" "shipped: meter feeder-2"
like "$out" "^  meter annex .*address 1" "shipped: meter annex"
like "$out" "^ok: 2 buses, 3 meters" "shipped: totals"
like "$out" "^  poll round of 2 meters: [0-9]+\.[0-9] ms on the wire, wanted every 1000 ms \(meter incomer\)" \
	"shipped: the rtu bus's poll round against its fastest meter"
unlike "$out" "warning" "shipped: no bus is overloaded"

# a slow bus with many fast meters is flagged, and that is not an error
{ printf '[bus slow]\ntype = rtu\ndevice = /dev/null\nbaud = 4800\n'
  i=1; while [ $i -le 40 ]; do printf '[meter m%d]\nbus = slow\naddress = %d\npoll_ms = 100\n' $i $i; i=$((i+1)); done
} >overload.ini
out=$("$TUI" --check-config -c overload.ini 2>&1)
is "$?" 0 "overloaded bus: still exit 0"
like "$out" "warning: bus slow cannot carry poll_ms 100" "overloaded bus: warned"

# --- lookup order: -c, $COUNTIS_TUI_CONFIG, ./, $XDG_CONFIG_HOME, ~/.config ---
mkdir -p env cwd empty xdg/countis-tui home/.config/countis-tui
for d in env cwd xdg/countis-tui home/.config/countis-tui; do
	base >"$d/countis-tui.ini"
done
E="$T_TMP/env/countis-tui.ini"
found() {	# found [ENV=VALUE...]: run --check-config from $dir, print the file used
	(cd "$dir" && env "$@" "$TUI" --check-config 2>&1) | sed -n 's/^config: //p'
}
dir=cwd
is "$(found COUNTIS_TUI_CONFIG="$E" XDG_CONFIG_HOME="$T_TMP/xdg" HOME="$T_TMP/home")" "$E" \
	"lookup: \$COUNTIS_TUI_CONFIG first"
is "$(cd cwd && COUNTIS_TUI_CONFIG="$E" "$TUI" --check-config -c countis-tui.ini | sed -n 's/^config: //p')" \
	"countis-tui.ini" "lookup: -c beats \$COUNTIS_TUI_CONFIG"
is "$(found -u COUNTIS_TUI_CONFIG XDG_CONFIG_HOME="$T_TMP/xdg" HOME="$T_TMP/home")" "./countis-tui.ini" \
	"lookup: ./countis-tui.ini second"
is "$(found COUNTIS_TUI_CONFIG= XDG_CONFIG_HOME="$T_TMP/xdg" HOME="$T_TMP/home")" "./countis-tui.ini" \
	"lookup: an empty \$COUNTIS_TUI_CONFIG counts as unset"
dir=empty
is "$(found -u COUNTIS_TUI_CONFIG XDG_CONFIG_HOME="$T_TMP/xdg" HOME="$T_TMP/home")" \
	"$T_TMP/xdg/countis-tui/countis-tui.ini" "lookup: \$XDG_CONFIG_HOME third"
is "$(found -u COUNTIS_TUI_CONFIG -u XDG_CONFIG_HOME HOME="$T_TMP/home")" \
	"$T_TMP/home/.config/countis-tui/countis-tui.ini" "lookup: ~/.config when XDG_CONFIG_HOME is unset"
out=$(cd empty && COUNTIS_TUI_CONFIG="$T_TMP/nowhere.ini" "$TUI" --check-config 2>&1)
is "$?" 66 "lookup: \$COUNTIS_TUI_CONFIG naming a missing file: exit 66"
like "$out" "nowhere\.ini: No such file or directory" "lookup: the missing file is named"
if [ -e /etc/countis-tui.ini ] || [ -e /usr/local/etc/countis-tui.ini ]; then
	ok "# SKIP a system-wide countis-tui.ini exists"
	ok "# SKIP a system-wide countis-tui.ini exists"
else
	out=$(cd empty && env -u COUNTIS_TUI_CONFIG XDG_CONFIG_HOME="$T_TMP/none" \
		HOME="$T_TMP/none" "$TUI" --check-config 2>&1)
	is "$?" 66 "lookup: nothing found: exit 66"
	like "$out" "looked at \\\$COUNTIS_TUI_CONFIG, \./countis-tui\.ini, $T_TMP/none/countis-tui/countis-tui\.ini, .*/etc/countis-tui\.ini" \
		"lookup: nothing found names every place"
fi

done_testing
