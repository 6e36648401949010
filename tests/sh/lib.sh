# tests/sh/lib.sh: TAP helpers and condition waits for shell tests.
# Source it; call ok/not_ok/is/like, wait_for, and end with done_testing.
# BUILDDIR and SRCDIR come from the test harness (Makefile.am).
: "${BUILDDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${SRCDIR:=$BUILDDIR}"
: "${PYTHON:=/usr/bin/python3}"
TUI="$BUILDDIR/countis-tui"
SIM="$BUILDDIR/countis-sim"
T_N=0
T_FAILED=0
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/countis-test.XXXXXX")
T_PIDS=""

# t_stop: end every tracked background process (t_track).
t_stop() {
	for p in $T_PIDS; do kill "$p" 2>/dev/null; done
	for p in $T_PIDS; do
		# give each child up to 5 s to go, then force it
		i=0; while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
		kill -9 "$p" 2>/dev/null
	done
	T_PIDS=""
}
t_cleanup() {
	t_stop
	[ -n "${T_KEEP:-}" ] || rm -rf "$T_TMP"
}
trap t_cleanup EXIT

# Remember a background pid so it is killed at exit.
t_track() { T_PIDS="$T_PIDS $1"; }

ok() {		# ok DESCRIPTION: pass
	T_N=$((T_N+1)); echo "ok $T_N - $1"
}
not_ok() {	# not_ok DESCRIPTION [DIAGNOSTIC...]
	T_N=$((T_N+1)); T_FAILED=$((T_FAILED+1)); echo "not ok $T_N - $1"
	shift; for l in "$@"; do printf '%s\n' "$l" | sed 's/^/# /'; done
}
check() {	# check DESCRIPTION COMMAND...: pass when the command succeeds
	d=$1; shift
	if "$@" >"$T_TMP/check.out" 2>&1; then ok "$d"; else not_ok "$d" "command: $*" "$(head -c 2000 "$T_TMP/check.out")"; fi
}
is() {		# is GOT WANT DESCRIPTION
	if [ "$1" = "$2" ]; then ok "$3"; else not_ok "$3" "got:  $1" "want: $2"; fi
}
like() {	# like TEXT REGEX DESCRIPTION (grep -E)
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then ok "$3"; else not_ok "$3" "text: $(printf '%s' "$1" | head -c 1500)" "regex: $2"; fi
}
unlike() {	# unlike TEXT REGEX DESCRIPTION
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then not_ok "$3" "text: $(printf '%s' "$1" | head -c 1500)" "must not match: $2"; else ok "$3"; fi
}
# wait_for SECONDS COMMAND...: poll the command every 0.05 s until it succeeds
# or the deadline passes; returns its last status. Never a fixed sleep.
wait_for() {
	_deadline=$(( $(date +%s%N) / 1000000 + $1 * 1000 )); shift
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		[ $(( $(date +%s%N) / 1000000 )) -ge $_deadline ] && return 1
		sleep 0.05
	done
}
skip_all() { echo "1..0 # SKIP $1"; exit 0; }
done_testing() { echo "1..$T_N"; [ $T_FAILED -eq 0 ]; }

# start_sim NAME ARGS...: run countis-sim in the background, stderr to
# $T_TMP/NAME.log, pid in $SIM_PID.
start_sim() {
	_n=$1; shift
	"$SIM" "$@" 2>"$T_TMP/$_n.log" &
	SIM_PID=$!
	t_track $SIM_PID
}
# free_port: a TCP port nothing listens on now.
free_port() {
	"$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
# proc_child PID: the first child of PID, from /proc (a bare Debian has no
# procps, so no pgrep); fails when it has none.
proc_child() {
	_pp=$1
	for _s in /proc/[0-9]*/stat; do
		read -r _l 2>/dev/null <"$_s" || continue
		# "pid (comm) state ppid ...": comm may hold spaces and ')'
		set -- ${_l##*) }
		if [ "$2" = "$_pp" ]; then
			_c=${_s#/proc/}; echo "${_c%/stat}"; return 0
		fi
	done
	return 1
}
