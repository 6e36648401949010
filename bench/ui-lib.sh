# bench/ui-lib.sh: helpers for the console benchmarks (bench/ui-*.sh).
# BUILDDIR: the build tree (default ../build). Figures are printed, not
# asserted. Processes are killed by pid; the tmux server is private.
: "${BUILDDIR:=$(cd "$(dirname "$0")/.." && pwd)/build}"
TUI="$BUILDDIR/countis-tui"
SIM="$BUILDDIR/countis-sim"
U_TMP=$(mktemp -d "${TMPDIR:-/tmp}/countis-uibench.XXXXXX")
U_SOCK="uibench$$"
U_PIDS=""
for f in "$TUI" "$SIM"; do
	[ -x "$f" ] || { echo "bench: $f not built (set BUILDDIR)" >&2; exit 1; }
done
command -v tmux >/dev/null || { echo "bench: needs tmux" >&2; exit 1; }

u_cleanup() {
	tmux -L "$U_SOCK" kill-server 2>/dev/null
	for p in $U_PIDS; do kill "$p" 2>/dev/null; done
	for p in $U_PIDS; do wait "$p" 2>/dev/null; done
	rm -rf "$U_TMP"
}
trap u_cleanup EXIT INT TERM

u_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# u_wait SECONDS COMMAND...: poll until the command succeeds
u_wait() {
	_end=$(( $(u_ms) + $1 * 1000 )); shift
	until "$@" >/dev/null 2>&1; do
		[ "$(u_ms)" -ge "$_end" ] && return 1
		sleep 0.01
	done
}
# u_sim LINK ARGS...: countis-sim on a pty, waited for
u_sim() {
	_l=$1; shift
	"$SIM" --pty "$_l" "$@" 2>>"$U_TMP/sim.log" &
	U_PIDS="$U_PIDS $!"
	u_wait 20 test -e "$_l"
}
# u_bus NAME LINK TIMEOUT_MS; u_meter NAME BUS ADDR POLL_MS
u_bus() {
	printf '[bus %s]\ntype = rtu\ndevice = %s\nbaud = 19200\ntimeout_ms = %s\n\n' \
	    "$1" "$2" "$3"
}
u_meter() {
	printf '[meter %s]\nbus = %s\naddress = %s\npoll_ms = %s\n\n' "$1" "$2" \
	    "$3" "$4"
}
# u_console W H ARGS...: the console in a private tmux pane
u_console() {
	_w=$1 _h=$2; shift 2
	: >"$U_TMP/tmux.conf"
	u_wait 20 tmux -L "$U_SOCK" -f "$U_TMP/tmux.conf" new-session -d -x "$_w" \
	    -y "$_h" "env LC_ALL=C.UTF-8 $TUI $*; sleep 600"
}
u_cap() { tmux -L "$U_SOCK" capture-pane -p; }
u_has() { u_cap | grep -Eq -- "$1"; }
u_pid() {
	pgrep -P "$(tmux -L "$U_SOCK" display-message -p '#{pane_pid}')" | head -1
}
# u_pct FILE P: the P-th percentile (nearest rank) of the numbers in FILE
u_pct() {
	sort -n "$1" | awk -v p="$2" '{ v[NR] = $1 } END {
	    if (NR == 0) { print "-"; exit }
	    i = int((p / 100) * NR + 0.999999); if (i < 1) i = 1; print v[i] }'
}
