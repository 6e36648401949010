#!/bin/sh
# quickstart.sh: the README's two commands.
#   ./quickstart.sh demo   install what is missing, build, start countis-tui --demo
#   ./quickstart.sh test   install what is missing, build, run every test (also
#                          under ASan/UBSan), the fuzzers and valgrind; the
#                          last line is "N passed, N failed"
# Debian 12. Installs Debian packages with apt-get (as root, or through sudo).
set -eu
cd "$(dirname "$0")"
TOP=$(pwd)
JOBS=$(nproc 2>/dev/null || echo 2)

# Every program the build, the tests and bench/ call (tests/summary.sh fails
# a CI run with any skipped test). Beyond the compilers and libraries:
# tmux (screen tests), mbpoll and python3-pymodbus (independent Modbus
# peers), procps (pgrep, ps), socat (a serial line pair), valgrind (bench),
# and the Essential set a minbase already has, named so the list is
# complete: coreutils (timeout, stty, od, mkfifo, nproc), util-linux
# (prlimit), bsdutils (script), diffutils (cmp, diff), findutils, grep,
# sed, mawk, tar, libc-bin (getconf).
PKGS="gcc make autoconf automake pkgconf libncurses-dev libmodbus-dev libev-dev
libinih-dev tmux mbpoll python3 python3-pymodbus ncurses-term locales
libmosquitto-dev mosquitto mosquitto-clients
libmicrohttpd-dev prometheus curl
procps socat valgrind coreutils util-linux bsdutils diffutils findutils grep
sed mawk tar libc-bin
clang libclang-rt-14-dev"

# the release checks: man pages, bash completion, the Debian packages (git
# to compare the tarball with the tracked files; systemd's pkg-config file
# for the unit directory, a build dependency of the package)
PKGS="$PKGS man-db bash-completion dpkg-dev debhelper fakeroot lintian git systemd"

deps() {
	missing=""
	for p in $PKGS; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	echo "quickstart: installing$missing" >&2
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	$SUDO apt-get update -q >&2
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q $missing >&2
}

# build DIR CONFIGURE-ARGS...: configure (once) and build out of tree in DIR.
build() {
	dir=$1; shift
	[ -x configure ] || autoreconf -fi >&2
	mkdir -p "$dir"
	if [ ! -f "$dir/Makefile" ]; then
		(cd "$dir" && "$TOP/configure" "$@" >configure.out 2>&1) ||
			{ tail -20 "$dir/configure.out" >&2; exit 1; }
	fi
	make -C "$dir" -j"$JOBS" >&2
}

# hardening: the libFuzzer harnesses for a bounded time (a clang build in
# build/fuzz-clang) and memcheck on two short runs (doc/fuzzing.md). Their
# .trs files land in build/tests/{fuzz,valgrind}, counted by the summary.
hardening() {
	_rc=0
	make -C build -j"$JOBS" fuzz-check >build/fuzz.out 2>&1 || _rc=1
	make -C build valgrind-check >build/valgrind.out 2>&1 || _rc=1
	[ $_rc -eq 0 ] || tail -n 40 build/fuzz.out build/valgrind.out
	return $_rc
}

case "${1:-demo}" in
demo)
	deps
	build build --enable-werror
	exec build/countis-tui --demo
	;;
test)
	deps
	build build --enable-werror
	build build-asan --enable-werror --enable-sanitize
	rc=0
	make -C build -j"$JOBS" check >build/check.out 2>&1 || rc=1
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		make -C build-asan -j"$JOBS" check >build-asan/check.out 2>&1 || rc=1
	# release checks, reported like the tests: make distcheck, then the
	# Debian packages built from its tarball (TAP, build/tests/release/)
	for r in distcheck package; do
		mkdir -p build/tests/release
		env AM_TAP_AWK=awk JOBS="$JOBS" sh build-aux/tap-driver.sh \
		    --test-name "release/$r" --log-file "build/tests/release/$r.log" \
		    --trs-file "build/tests/release/$r.trs" --color-tests no \
		    --enable-hard-errors yes --expect-failure no -- \
		    sh "tests/release/$r.sh" build >/dev/null 2>&1 || true
		if grep -Eq '^:test-result: (FAIL|ERROR)' "build/tests/release/$r.trs"; then
			rc=1
			grep -E '^(not ok|#)' "build/tests/release/$r.log" | head -60
		fi
	done
	hardening || rc=1
	# one line per test script; every case that did not pass by name
	for d in build build-asan; do
		for f in $(find "$d/tests" -name '*.trs' | sort); do
			p=$(grep -c '^:test-result: PASS' "$f" || true)
			n=$(grep -Ec '^:test-result: (FAIL|ERROR|XPASS)' "$f" || true)
			s=$(grep -c '^:test-result: SKIP' "$f" || true)
			printf '  %-12s %-40s %4d passed %s%s\n' "$d" \
			    "${f#$d/}" "$p" "$([ "$n" -gt 0 ] && echo "$n FAILED ")" \
			    "$([ "$s" -gt 0 ] && echo "$s SKIPPED")"
		done
	done
	grep -E '^(FAIL|ERROR|XPASS|SKIP):' build/check.out build-asan/check.out || true
	if [ $rc -ne 0 ]; then
		for d in build build-asan; do
			[ -f "$d/test-suite.log" ] && sed -n '1,400p' "$d/test-suite.log"
		done
	fi
	tests/summary.sh build build-asan
	;;
*)
	echo "usage: $0 demo|test" >&2
	exit 64
	;;
esac
