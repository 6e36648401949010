#!/bin/sh
# tests/summary.sh BUILDDIR...: count the TAP results of the last `make check`
# runs in those build trees and print the closing line "N passed, N failed".
# Exit 1 when anything failed or no test ran.
pass=0; fail=0; skip=0
for d in "$@"; do
	for f in $(find "$d" -name '*.trs' 2>/dev/null); do
		p=$(grep -c '^:test-result: PASS' "$f"); pass=$((pass + p))
		x=$(grep -c '^:test-result: XFAIL' "$f"); pass=$((pass + x))
		s=$(grep -c '^:test-result: SKIP' "$f"); skip=$((skip + s))
		n=$(grep -Ec '^:test-result: (FAIL|XPASS|ERROR)' "$f"); fail=$((fail + n))
		if [ "$n" -gt 0 ]; then
			log=${f%.trs}.log
			echo "failed in ${log#$d/}:"
			grep -E '^(not ok|Bail out)' "$log" 2>/dev/null | grep -v '# TODO' | sed 's/^/    /'
		fi
	done
done
if [ "$skip" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
