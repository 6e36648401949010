#!/bin/sh
# tests/summary.sh BUILDDIR...: count the TAP results of the last `make check`
# runs in those build trees and print the closing line "N passed, N failed".
# Exit 1 when anything failed or no test ran. A skipped case or script is
# named; in CI (CI=true) any skip fails the run: every program a test needs
# is installed by quickstart.sh, so a skip there hides a missing package.
pass=0; fail=0; skip=0; skipped=""
for d in "$@"; do
	for f in $(find "$d" -name '*.trs' 2>/dev/null | sort); do
		p=$(grep -c '^:test-result: PASS' "$f"); pass=$((pass + p))
		x=$(grep -c '^:test-result: XFAIL' "$f"); pass=$((pass + x))
		s=$(grep -c '^:test-result: SKIP' "$f"); skip=$((skip + s))
		n=$(grep -Ec '^:test-result: (FAIL|XPASS|ERROR)' "$f"); fail=$((fail + n))
		log=${f%.trs}.log
		if [ "$n" -gt 0 ]; then
			echo "failed in ${log#$d/}:"
			grep -E '^(not ok|Bail out)' "$log" 2>/dev/null | grep -v '# TODO' | sed 's/^/    /'
		fi
		if [ "$s" -gt 0 ]; then
			echo "skipped in ${log#$d/}:"
			grep -Ei '^(ok|not ok|1\.\.[0-9]+).*# *SKIP' "$log" 2>/dev/null | sed 's/^/    /'
			skipped="$skipped ${log#$d/}"
		fi
	done
done
if [ "$skip" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
if [ "$skip" -gt 0 ] && [ "${CI:-}" = true ]; then
	echo "CI: $skip test(s) skipped ($skipped ): a skip in CI is a failure;" \
	    "install what they need (quickstart.sh PKGS)" >&2
	exit 1
fi
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
