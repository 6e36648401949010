# tests/sh/engine-lib.sh: helpers for the engine, CSV and scan tests.
# Source after lib.sh. Independent reads go through mbpoll: set MB_OPTS
# (e.g. "-m rtu -b 19200 -P none") and MB_DEV (the device, or the host).

# mb_words UNIT ADDR COUNT: the words mbpoll reads, space separated.
mb_words() {
	mbpoll $MB_OPTS -a "$1" -t 4 -0 -1 -r "$2" -c "$3" $MB_DEV 2>/dev/null |
	    sed -n 's/^\[[0-9]*\]:[[:space:]]*\([0-9]*\).*/\1/p' | tr '\n' ' '
}
# word WORDS I: the I-th word (from 0)
word() { echo "$1" | cut -d' ' -f$(( $2 + 1 )); }
# u32 WORDS I / s32 WORDS I: a 32-bit value, high word first
u32() { echo $(( $(word "$1" "$2") * 65536 + $(word "$1" $(( $2 + 1 ))) )); }
s32() {
	_v=$(u32 "$1" "$2")
	[ "$_v" -ge 2147483648 ] && _v=$(( _v - 4294967296 ))
	echo "$_v"
}
# fix RAW DECIMALS: RAW / 10^DECIMALS printed with exactly DECIMALS, in
# integer arithmetic (no float noise, like the product).
fix() {
	_r=$1; _s=""
	[ "$_r" -lt 0 ] && { _s=-; _r=$(( -_r )); }
	_p=1; _i=0
	while [ $_i -lt "$2" ]; do _p=$(( _p * 10 )); _i=$(( _i + 1 )); done
	printf '%s%d.%0*d\n' "$_s" $(( _r / _p )) "$2" $(( _r % _p ))
}
# csv_row FILE METER [N]: the N-th (default 1st) row of METER
csv_row() { awk -F, -v m="$2" -v n="${3:-1}" '$2 == m && ++k == n' "$1"; }
# field ROW N [SEP]
field() { echo "$1" | cut -d"${3:-,}" -f"$2"; }
# t_minus_total ROW: (T1+T2+T3+T4) - total, in 10 Wh steps; "none" if empty
t_minus_total() {
	echo "$1" | awk -F, '$7 == "" { print "none"; exit }
	    { for (i = 7; i <= 11; i++) gsub(/[.,]/, "", $i)
	      print $8 + $9 + $10 + $11 - $7 }'
}
# empty_values ROW: 0 when every value field (7..34) is empty
empty_values() { [ "$(field "$1" 7-34)" = ",,,,,,,,,,,,,,,,,,,,,,,,,,," ]; }

CSV_HEADER="timestamp,meter,bus,address,status,response_ms,ea_total_kwh,ea_t1_kwh,ea_t2_kwh,ea_t3_kwh,ea_t4_kwh,tariff,p_kw,q_kvar,s_kva,pf,v1_v,v2_v,v3_v,u12_v,u23_v,u31_v,i1_a,i2_a,i3_a,in_a,f_hz,p1_kw,p2_kw,p3_kw,pf1,pf2,pf3,er_total_kvarh"

# expected_values UNIT: columns 7..34 as read by mbpoll, f_hz (frequency
# noise) left out as "F".
expected_values() {
	_m=$(mb_words "$1" 50514 54)	# 0xC552: U12 .. PF3
	_e=$(mb_words "$1" 50946 4)	# 0xC702: Ea+ total, Er+ total (10 Wh)
	_t=$(mb_words "$1" 51200 10)	# 0xC800: count, active, T1..T4
	[ -n "$_m" ] && [ -n "$_e" ] && [ -n "$_t" ] || return 1
	printf '%s,%s,%s,%s,%s,%s,' "$(fix "$(u32 "$_e" 0)" 2)" \
	    "$(fix "$(u32 "$_t" 2)" 2)" "$(fix "$(u32 "$_t" 4)" 2)" \
	    "$(fix "$(u32 "$_t" 6)" 2)" "$(fix "$(u32 "$_t" 8)" 2)" \
	    "$(word "$_t" 1)"
	printf '%s,%s,%s,%s,' "$(fix "$(s32 "$_m" 22)" 2)" \
	    "$(fix "$(s32 "$_m" 24)" 2)" "$(fix "$(u32 "$_m" 26)" 2)" \
	    "$(fix "$(s32 "$_m" 28)" 3)"
	for _i in 6 8 10 0 2 4; do printf '%s,' "$(fix "$(u32 "$_m" $_i)" 2)"; done
	for _i in 14 16 18 20; do printf '%s,' "$(fix "$(u32 "$_m" $_i)" 3)"; done
	printf 'F,'
	for _i in 30 32 34; do printf '%s,' "$(fix "$(s32 "$_m" $_i)" 2)"; done
	for _i in 48 50 52; do printf '%s,' "$(fix "$(s32 "$_m" $_i)" 3)"; done
	printf '%s\n' "$(fix "$(u32 "$_e" 2)" 2)"
}
# values_but_f ROW: columns 7..34 with f_hz replaced by "F"
values_but_f() { field "$1" 7-34 | awk -F, -v OFS=, '{ $21 = "F"; print }'; }

# ini_bus NAME rtu DEVICE | NAME tcp PORT: a [bus] section
ini_bus() {
	echo "[bus $1]"
	if [ "$2" = rtu ]; then
		printf 'type = rtu\ndevice = %s\nbaud = 19200\n' "$3"
	else
		printf 'type = tcp\nhost = 127.0.0.1\nport = %s\n' "$3"
	fi
	printf 'timeout_ms = %s\n\n' "${TIMEOUT_MS:-200}"
}
# ini_meter NAME BUS ADDRESS [POLL_MS]
ini_meter() {
	printf '[meter %s]\nbus = %s\naddress = %s\npoll_ms = %s\n\n' \
	    "$1" "$2" "$3" "${4:-100}"
}
# sim_log_clean LOG: the engine neither read an undefined register nor wrote
sim_log_clean() {
	unlike "$(cat "$1")" 'undefined' "no undefined register read ($(basename "$1"))"
	unlike "$(cat "$1")" '[Ww]rite' "no write ($(basename "$1"))"
}
