# bench/lib.sh: shared helpers for the benchmark scripts. Source it.
# BUILDDIR: the build tree holding countis-tui, countis-sim and
# bench/engine-refresh (default: ../build next to this directory).
: "${BUILDDIR:=$(cd "$(dirname "$0")/.." && pwd)/build}"
TUI="$BUILDDIR/countis-tui"
SIM="$BUILDDIR/countis-sim"
REFRESH="$BUILDDIR/bench/engine-refresh"
RUNS=${RUNS:-3}
B_TMP=$(mktemp -d "${TMPDIR:-/tmp}/countis-bench.XXXXXX")
B_PIDS=""

b_cleanup() {
	for p in $B_PIDS; do kill "$p" 2>/dev/null; done
	for p in $B_PIDS; do wait "$p" 2>/dev/null; done
	rm -rf "$B_TMP"
}
trap b_cleanup EXIT INT TERM

for f in "$TUI" "$SIM"; do
	[ -x "$f" ] || { echo "bench: $f not built (set BUILDDIR)" >&2; exit 1; }
done

# b_wait SECONDS COMMAND...: poll until the command succeeds.
b_wait() {
	_end=$(( $(date +%s) + $1 )); shift
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge "$_end" ] && return 1
		sleep 0.05
	done
}
# b_sim NAME ARGS...: start countis-sim, stderr in $B_TMP/NAME.log
b_sim() {
	_n=$1; shift
	"$SIM" "$@" 2>"$B_TMP/$_n.log" &
	B_PIDS="$B_PIDS $!"
	B_SIM_PID=$!
}
b_sim_stop() { kill "$B_SIM_PID" 2>/dev/null; wait "$B_SIM_PID" 2>/dev/null; }
# b_pty_sim LINK BAUD UNITS [FAULTS...]: a paced pty simulator, waited for
b_pty_sim() {
	_l=$1 _b=$2 _u=$3; shift 3
	b_sim "$(basename "$_l")" --pty "$_l" --baud "$_b" --units "$_u" --seed 1 "$@"
	b_wait 20 test -e "$_l" || { echo "bench: simulator did not start" >&2; exit 1; }
}
# b_ini_rtu DEVICE BAUD N POLL_MS [FIRST]: a bus and N meters
b_ini_rtu() {
	printf '[bus line]\ntype = rtu\ndevice = %s\nbaud = %s\ntimeout_ms = 300\n\n' "$1" "$2"
	_i=0
	while [ $_i -lt "$3" ]; do
		_a=$(( ${5:-1} + _i ))
		printf '[meter m%d]\nbus = line\naddress = %d\npoll_ms = %d\n\n' $_a $_a "$4"
		_i=$(( _i + 1 ))
	done
}
b_ini_tcp() {	# b_ini_tcp PORT N POLL_MS
	printf '[bus gw]\ntype = tcp\nhost = 127.0.0.1\nport = %s\ntimeout_ms = 300\n\n' "$1"
	_i=1
	while [ $_i -le "$2" ]; do
		printf '[meter m%d]\nbus = gw\naddress = %d\npoll_ms = %d\n\n' $_i $_i "$3"
		_i=$(( _i + 1 ))
	done
}
b_free_port() {
	/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
# b_median: the median of the numbers on stdin
b_median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# b_ms: monotonic-ish wall clock in ms
b_ms() { echo $(( $(date +%s%N) / 1000000 )); }
