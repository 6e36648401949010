# tests/screen/lib-screen.sh: drive countis-tui in a private tmux server.
# Source after tests/sh/lib.sh. Every wait polls capture-pane until a
# pattern shows or a deadline passes; nothing sleeps a fixed time.
#
#   scr_sim ARGS...          countis-sim on a pty $SCR_LINK, control $SCR_CTL
#   scr_twin ARGS...         the same simulator on TCP ($SCR_TWIN_PORT): same
#                            seed, same values, readable without touching the
#                            console's half-duplex line
#   SCR_START=TIME           when set, both start their clock at TIME
#                            (countis-sim --start): the same starting counters
#                            whenever each was started, and a load of the
#                            time of day chosen (unset: now, as before)
#   scr_config FILE METERS   METERS: "name:addr:label" words, one bus "line"
#   scr_start W H LOCALE ARGS...   the console in a pane (environment
#                            words in $SCR_ENV); after it ends the
#                            pane prints EXIT=<status>, saves stty -a, and
#                            runs a shell
#   scr_has REGEX            the pane shows REGEX (grep -E); scr_body_has
#                            the same below the top line
#   scr_wait SECONDS REGEX   poll until it does
#   scr_expect SECONDS REGEX DESCRIPTION
#                            ok once the pane shows REGEX, else not_ok with
#                            the last capture (scr_body_expect: below the
#                            top line)
#   scr_row_expect SECONDS ROWREGEX REGEX DESCRIPTION
#                            ok once the first body row matching ROWREGEX
#                            also matches REGEX
#   scr_scroll_to REGEX [KEY] press KEY (NPage) until REGEX shows, or the
#                            screen stops moving
#   scr_keys KEYS...         tmux send-keys
#   scr_open_screen KEY REGEX  press KEY, wait for REGEX; a console without
#                            that screen is a failure ("screen KEY opens"),
#                            never a skip
#   scr_pid                  the console's pid (from /proc: no procps needed)
#   scr_ctl "UNIT WORDS"     a line to the simulator's control socket
#   twin_words UNIT ADDR N   the twin's words ("w1 w2 ...")
#
# Sanitizer reports (the --enable-sanitize build) from every program a
# screen test starts go to files in $SCR_SAN: while curses owns the pane the
# console's stderr is not the terminal, so a report would otherwise be lost.
# done_testing ends the console and adds a failing case when any report
# exists; one that appears later (a simulator stopped at exit) makes the
# cleanup bail out.
command -v tmux >/dev/null || skip_all "tmux not installed"

SCR_SOCK="test$$"
SCR_LINK="$T_TMP/link"
SCR_CTL="$T_TMP/control"
SCR_SEED=${SCR_SEED:-4}
SCR_POLL_MS=${SCR_POLL_MS:-1000}
SCR_REFRESH_MS=${SCR_REFRESH_MS:-250}
MBCLIENT="$SRCDIR/tests/py/mbclient.py"

SCR_SAN="$T_TMP/san"
SCR_SAN_SEEN=""
mkdir -p "$SCR_SAN"
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$SCR_SAN/asan"
UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$SCR_SAN/ubsan"
export ASAN_OPTIONS UBSAN_OPTIONS

scr_tmux() { tmux -L "$SCR_SOCK" "$@"; }

# scr_san_new: the sanitizer reports not yet reported, one path a line
scr_san_new() {
	for _f in "$SCR_SAN"/*; do
		[ -e "$_f" ] || continue
		case " $SCR_SAN_SEEN " in *" $_f "*) continue ;; esac
		echo "$_f"
	done
}
# scr_san_report: every new report's name and first lines
scr_san_report() {
	for _f in $(scr_san_new); do
		echo "${_f##*/}:"
		head -c 3000 "$_f"
	done
}
# scr_stop: end the console (as a closed terminal does) and wait for it
scr_stop() {
	_sp=$(scr_pid 2>/dev/null)
	scr_tmux kill-server 2>/dev/null
	[ -n "$_sp" ] && wait_for 20 scr_gone "$_sp"
	return 0
}
scr_gone() { ! kill -0 "$1" 2>/dev/null; }

# The plan comes after the sanitizer check, so a report is a failing case.
done_testing() {
	scr_stop
	_new=$(scr_san_new)
	if [ -n "$_new" ]; then
		not_ok "no sanitizer report (ASan, UBSan, LSan)" "$(scr_san_report)"
		SCR_SAN_SEEN="$SCR_SAN_SEEN $(echo $_new)"
	fi
	echo "1..$T_N"; [ $T_FAILED -eq 0 ]
}

scr_cleanup() {
	_rc=$?
	scr_stop
	t_stop
	if [ -d "$SCR_SAN" ] && [ -n "$(scr_san_new)" ]; then
		scr_san_report | sed 's/^/# /'
		echo "Bail out! sanitizer report after the last test"
		_rc=1
	fi
	t_cleanup
	return $_rc
}
trap 'scr_cleanup || exit 1' EXIT
# killed (make interrupted, a closed pipe): clean up all the same
trap 'scr_cleanup; trap - EXIT; exit 1' INT TERM HUP PIPE

scr_sim() {
	start_sim sim --pty "$SCR_LINK" --control "$SCR_CTL" --seed "$SCR_SEED" \
	    ${SCR_START:+--start "$SCR_START"} "$@"
	wait_for 20 test -e "$SCR_LINK" && wait_for 20 test -S "$SCR_CTL"
}

scr_twin() {
	SCR_TWIN_PORT=$(free_port)
	"$SIM" --tcp "127.0.0.1:$SCR_TWIN_PORT" --seed "$SCR_SEED" \
	    ${SCR_START:+--start "$SCR_START"} "$@" 2>"$T_TMP/twin.log" &
	t_track $!
	wait_for 20 sh -c "$PYTHON $MBCLIENT --tcp 127.0.0.1:$SCR_TWIN_PORT \
	    --unit 1 'read 50000 4' | grep -q '^ok'"
}

# twin_words UNIT ADDR COUNT: the twin's registers, decimal, space separated
twin_words() {
	"$PYTHON" "$MBCLIENT" --tcp "127.0.0.1:$SCR_TWIN_PORT" --unit "$1" \
	    "read $2 $3" | sed -n 's/^ok //p'
}

# scr_config FILE "name:addr:label" ...
scr_config() {
	_f=$1; shift
	{
		printf '[console]\nrefresh_ms = %s\n\n' "$SCR_REFRESH_MS"
		printf '[bus line]\ntype = rtu\ndevice = %s\nbaud = 19200\n' \
		    "$SCR_LINK"
		printf 'timeout_ms = 200\n\n'
		for _m in "$@"; do
			_n=${_m%%:*}; _r=${_m#*:}; _a=${_r%%:*}; _l=${_r#*:}
			printf '[meter %s]\nbus = line\naddress = %s\n' "$_n" "$_a"
			printf 'poll_ms = %s\nlabel = %s\n\n' "$SCR_POLL_MS" "$_l"
		done
	} >"$_f"
}

# scr_start W H LOCALE ARGS...: the console in a fresh pane.
scr_start() {
	_w=$1 _h=$2 _loc=$3; shift 3
	scr_tmux kill-server 2>/dev/null
	rm -f "$T_TMP/stty.out"
	_args=""
	for _a in "$@"; do _args="$_args '$_a'"; done
	: >"$T_TMP/tmux.conf"
	SCR_CMD="ulimit -c 0; env LC_ALL=$_loc LANG= NO_COLOR= \
	    ASAN_OPTIONS='$ASAN_OPTIONS' UBSAN_OPTIONS='$UBSAN_OPTIONS' \
	    ${SCR_ENV:-} '$TUI' $_args; \
	    echo EXIT=\$?; stty -a >'$T_TMP/stty.out'; exec env PS1='$ ' sh"
	# retried: tmux cannot daemonise while something else on the
	# machine has replaced /dev/null
	wait_for 20 scr_new "$_w" "$_h"
}
scr_new() {
	scr_tmux -f "$T_TMP/tmux.conf" new-session -d -x "$1" -y "$2" "$SCR_CMD"
}

scr_cap() { scr_tmux capture-pane -p; }
scr_has() { scr_cap | grep -Eq -- "$1"; }
scr_wait() { wait_for "$1" scr_has "$2"; }
scr_keys() { scr_tmux send-keys "$@"; }
scr_open_screen() {
	scr_keys "$1"
	scr_wait 10 "$2" || not_ok "screen $1 opens" "$(scr_cap)"
}
scr_pid() {
	_pp=$(scr_tmux display-message -p '#{pane_pid}' 2>/dev/null) || return 1
	[ -n "$_pp" ] && proc_child "$_pp"
}
scr_ctl() {
	"$PYTHON" -c 'import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1]); s.sendall((sys.argv[2] + "\n").encode())
print(s.recv(200).decode().strip())' "$SCR_CTL" "$1"
}

# scr_body: the pane without its top line (which names the selected meter)
scr_body() { scr_cap | tail -n +2; }
scr_body_has() { scr_body | grep -Eq -- "$1"; }
scr_body_wait() { wait_for "$1" scr_body_has "$2"; }
# scr_row REGEX: the first body line matching REGEX
scr_row() { scr_body | grep -E -- "$1" | head -1; }

# Live values change from one capture to the next, and a cycle may fail
# under load (a late answer): assertions on them wait for the condition
# with a deadline instead of judging a single capture.
scr_expect() {
	if scr_wait "$1" "$2"; then ok "$3"
	else not_ok "$3" "regex: $2 (waited $1 s)" "$(scr_cap)"; fi
}
scr_body_expect() {
	if scr_body_wait "$1" "$2"; then ok "$3"
	else not_ok "$3" "regex: $2 (waited $1 s)" "$(scr_cap)"; fi
}
scr_row_like() { scr_row "$1" | grep -Eq -- "$2"; }
scr_row_expect() {
	if wait_for "$1" scr_row_like "$2" "$3"; then ok "$4"
	else not_ok "$4" "row: $(scr_row "$2")" "regex: $3 (waited $1 s)" \
	    "$(scr_cap)"; fi
}
# scr_scroll_to REGEX [KEY]: page (or KEY) until REGEX is on screen; stops
# when a key no longer changes the screen. The console answers keys at
# once, so each step waits for the screen to change, not a fixed time.
scr_scroll_to() {
	_k=${2:-NPage}
	_n=0
	while ! scr_has "$1" && [ $_n -lt 40 ]; do
		scr_labels >"$T_TMP/scroll.before"
		scr_keys "$_k"
		wait_for 10 scr_changed || break
		_n=$((_n + 1))
	done
	scr_has "$1"
}
# the first word of every body line: what scrolling moves, while live
# values and the clock change on their own
scr_labels() { scr_body | awk '{ print $1 }'; }
scr_changed() { [ "$(cat "$T_TMP/scroll.before")" != "$(scr_labels)" ]; }

# kwh_of REGEX: the Σ kWh of the Fleet row matching REGEX (its first number
# with exactly 2 decimals), whatever the state column says
kwh_of() {
	scr_row "$1" | awk '{ for (i = 1; i <= NF; i++)
	    if ($i ~ /^[0-9]+\.[0-9][0-9]$/) { print $i; exit } }'
}

# within A B TOL: |A - B| <= TOL, decimals compared as integers of 0.01
within() {
	awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN {
	    d = a - b; if (d < 0) d = -d; exit !(a != "" && b != "" && d <= t + 1e-9) }'
}

# u32w "W1 W2": a 32-bit value from two words, high first
u32w() { set -- $1; echo $(( $1 * 65536 + $2 )); }
# fixd RAW DEC: RAW / 10^DEC with exactly DEC decimals, integer arithmetic
fixd() {
	_p=1; _i=0
	while [ $_i -lt "$2" ]; do _p=$(( _p * 10 )); _i=$(( _i + 1 )); done
	printf '%d.%0*d\n' $(( $1 / _p )) "$2" $(( $1 % _p ))
}
