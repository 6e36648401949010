#!/bin/sh
# sim-faults.sh: countis-sim's injected faults, seen by mbpoll and pymodbus
# over a real pty: dead (timeout), exception=4, crc=100 (CRC error), slow,
# foreign (another Socomec product), reversed current, voltage/neutral swap,
# phase loss; then the control socket changing faults in the middle of a
# run, combining them and answering "ok" or "error: ...".
. "$(dirname "$0")/lib.sh"
MB="$PYTHON $SRCDIR/tests/py/mbclient.py"
command -v mbpoll >/dev/null || skip_all "mbpoll not installed"
"$PYTHON" -c 'import pymodbus' 2>/dev/null || skip_all "no pymodbus for $PYTHON"
cd "$T_TMP" || exit 1

start_sim sim --pty link --units 1-9 --seed 3 --control ctl \
    --fault 2:dead --fault 3:exception=4 --fault 4:crc=100 --fault 5:foreign \
    --fault 6:reversed=2 --fault 7:vn-swap=1 --fault 8:phase-loss=3 \
    --fault 9:slow=300
wait_for 20 test -c link -a -S ctl || { not_ok "simulator up" "$(cat sim.log)"; done_testing; exit 1; }
like "$(cat sim.log)" "unit 6 faults: reversed=2" "the start log lists each unit's faults"
mb() { $MB --rtu link "$@"; }
words() { case $1 in "ok "*) echo "${1#ok }";; esac; }
s32() { _v=$(( ($1 << 16) | $2 )); [ $_v -ge 2147483648 ] && _v=$((_v - 4294967296)); echo $_v; }
ascii() { "$PYTHON" -c 'import sys; print("".join(chr(int(w)>>8)+chr(int(w)&255) for w in sys.argv[1:]).strip(" \0"))' "$@"; }
ctl() {	# ctl LINE...: send lines on one connection, print the answers
	"$PYTHON" -c 'import socket,sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.settimeout(10)
f = s.makefile("rw")
for line in sys.argv[2:]:
    f.write(line + "\n"); f.flush(); print(f.readline().strip())' ctl "$@"
}
# phases UNIT: "V1 V2 V3 I1 I2 I3 P P1 P2 P3 PF1 PF2 PF3" of one read
phases() {
	set -- $(words "$(mb "unit $1" 'read 0xC558 48')")
	[ $# -eq 48 ] || { echo "none"; return; }
	echo "$(s32 $1 $2) $(s32 $3 $4) $(s32 $5 $6) $(s32 $9 ${10})" \
	    "$(s32 ${11} ${12}) $(s32 ${13} ${14}) $(s32 ${17} ${18})" \
	    "$(s32 ${25} ${26}) $(s32 ${27} ${28}) $(s32 ${29} ${30})" \
	    "$(s32 ${43} ${44}) $(s32 ${45} ${46}) $(s32 ${47} ${48})"
}
between() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }

r=$(mb 'unit 1' 'read 0xC558 2' 'unit 2' 'read 0xC558 2' 'unit 3' 'read 0xC558 2' \
    'write 0x9E21 2' 'unit 1' 'read 0xC558 2')
like "$(printf '%s\n' "$r" | sed -n 1p)" "^ok " "unit 1 (healthy) answers"
is "$(printf '%s\n' "$r" | sed -n 2p)" "timeout" "dead: no answer"
is "$(printf '%s\n' "$r" | sed -n 3p)" "exception 4" "exception=4: a read answers exception 04"
is "$(printf '%s\n' "$r" | sed -n 4p)" "exception 4" "exception=4: so does a write"
like "$(printf '%s\n' "$r" | sed -n 5p)" "^ok " "the line recovers after the silence"
out=$(mbpoll -m rtu -b 19200 -P none -a 2 -0 -r 50520 -c 1 -t 4 -1 -o 0.5 link 2>&1)
like "$out" "[Tt]imed out" "mbpoll: dead unit times out"
out=$(mbpoll -m rtu -b 19200 -P none -a 4 -0 -r 50520 -c 1 -t 4 -1 -o 1 link 2>&1)
like "$out" "Invalid CRC" "mbpoll: crc=100 gives a CRC error"
r=$(mb 'unit 4' 'read 0xC558 2')
unlike "$r" "^ok" "pymodbus: crc=100 never gives data ($r)"

r=$(mb --time 'unit 9' 'read 0xC558 2')
ms=${r##*ms=}
if [ "${r%% *}" = ok ] && [ "$ms" -ge 300 ]; then ok "slow=300: answered after $ms ms"
else not_ok "slow=300: answered after >= 300 ms" "$r"; fi

r=$(mb 'unit 5' 'read 0xC350 4' 'read 0xC38A 8' 'read 0xC382 8' 'read 0xC354 1')
is "$(printf '%s\n' "$r" | sed -n 1p)" "ok 83 79 67 79" "foreign: still SOCO"
is "$(ascii $(words "$(printf '%s\n' "$r" | sed -n 2p)"))" "DIRIS A-10" "foreign: extended name of another product"
is "$(ascii $(words "$(printf '%s\n' "$r" | sed -n 3p)"))" "DIRIS A-10" "foreign: product name too"
is "$(printf '%s\n' "$r" | sed -n 4p)" "ok 400" "foreign: product family 400 (Diris)"

set -- $(phases 6)
if [ $# -eq 13 ] && [ "$9" -lt 0 ] && [ "${12}" -lt 0 ] && [ "$8" -gt 0 ] &&
    [ "${10}" -gt 0 ] && [ "$7" -eq $(($8 + $9 + ${10})) ]; then
	ok "reversed=2: P2 < 0 and PF2 < 0, P1, P3 > 0, P = P1+P2+P3 ($*)"
else not_ok "reversed=2: P2 < 0, PF2 < 0" "$*"; fi
set -- $(phases 7)
if [ $# -eq 13 ] && between "$1" 22000 24000 && between "$2" 38000 42000 &&
    between "$3" 38000 42000; then
	ok "vn-swap=1: V1 ~230 V, V2 and V3 ~400 V ($1 $2 $3)"
else not_ok "vn-swap=1: V2, V3 ~400 V" "$*"; fi
set -- $(phases 8)
if [ $# -eq 13 ] && [ "$3" -lt 1000 ] && [ "$6" -eq 0 ] && [ "${10}" -eq 0 ] &&
    between "$1" 22000 24000 && between "$2" 22000 24000; then
	ok "phase-loss=3: V3 ~0, I3 = 0, P3 = 0, V1 and V2 normal ($1 $2 $3)"
else not_ok "phase-loss=3" "$*"; fi
set -- $(phases 1)
if [ $# -eq 13 ] && between "$1" 22000 24000 && between "$2" 22000 24000 &&
    between "$3" 22000 24000 && [ "$8" -gt 0 ] && [ "$9" -gt 0 ] &&
    [ "${10}" -gt 0 ]; then
	ok "a healthy unit reads three ~230 V phases, all P > 0"
else not_ok "healthy unit phases" "$*"; fi

# The control socket, mid-run.
r=$(ctl "1 dead")
is "$r" "ok" "control: '1 dead' answers ok"
is "$(mb 'unit 1' 'read 0xC558 2')" "timeout" "unit 1 is dead now"
is "$(ctl '1 clear' '2 clear')" "ok
ok" "control: two commands on one connection"
like "$(mb 'unit 1' 'read 0xC558 2' 'unit 2' 'read 0xC558 2')" "^ok .*
ok " "both units answer again"
is "$(ctl '6 phase-loss=1' '6 status')" "ok
ok faults: reversed=2 phase-loss=1; tariff 1" "control: faults combine"
set -- $(phases 6)
if [ $# -eq 13 ] && [ "$1" -lt 1000 ] && [ "$8" -eq 0 ] && [ "$9" -lt 0 ]; then
	ok "reversed=2 with phase-loss=1: P1 = 0 and P2 < 0"
else not_ok "combined faults" "$*"; fi
is "$(ctl '3:clear')" "ok" "control: UNIT:KIND spelling"
like "$(mb 'unit 3' 'read 0xC558 2')" "^ok " "unit 3 answers again"
is "$(ctl '1 tariff 3')" "ok" "control: tariff"
is "$(mb 'unit 1' 'read 0xC6A1 1' 'read 0xC801 1')" "ok 3
ok 3" "the active tariff is 3 in both copies"
like "$(ctl '1 melted')" "^error: 'melted': unknown fault" "control: unknown fault is an error"
like "$(ctl '1 reversed=7')" "^error: .*PHASE must be 1..3" "control: out of range is an error"
like "$(ctl '42 dead')" "^error: unit 42 is not served" "control: unserved unit is an error"
like "$(ctl 'hello')" "^error: 'hello': expected UNIT KIND" "control: garbage is an error"
like "$(ctl '1 tariff 9')" "^error: .*tariff must be 1..4" "control: bad tariff is an error"
like "$(cat sim.log)" "control: unit 1 dead: faults now dead" "control changes are logged"
done_testing
