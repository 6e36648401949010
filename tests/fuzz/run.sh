#!/bin/sh
# tests/fuzz/run.sh: run each libFuzzer harness for FUZZ_SECONDS from its
# seed corpus (tests/fuzz/corpus/NAME, crashers kept there as regression
# inputs) and print one TAP line per harness. A crash, a sanitizer report,
# a leak, an input slower than 10 s or a run that does not end fails it.
#
#   FUZZ_BIN      directory of the harnesses (the clang build's tests/fuzz)
#   FUZZ_OUT      where the grown corpus, artifacts and logs go
#   FUZZ_SECONDS  seconds per harness (make fuzz-check: 40)
#   FUZZ_ONLY     harness names to run (default: all)
#   SRCDIR        the source tree (from the make target)
set -u
: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${FUZZ_SECONDS:=40}"
: "${FUZZ_ONLY:=config theme decode loadcurve sim-control}"
if [ -z "${FUZZ_BIN:-}" ] || [ -z "${FUZZ_OUT:-}" ]; then
	echo "Bail out! FUZZ_BIN and FUZZ_OUT must be set (make fuzz-check)"
	exit 1
fi

# Every sanitizer report is fatal; ubsan.supp names the known ones whose
# fix is pending (each with its regression input in the corpus).
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:symbolize=1
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:suppressions=$SRCDIR/tests/fuzz/ubsan.supp
export ASAN_OPTIONS UBSAN_OPTIONS

n=0
failed=0
for h in $FUZZ_ONLY; do
	n=$((n + 1))
	bin=$FUZZ_BIN/fuzz-$h
	seed=$SRCDIR/tests/fuzz/corpus/$h
	work=$FUZZ_OUT/work/$h
	art=$FUZZ_OUT/artifacts/$h
	log=$FUZZ_OUT/$h.out
	rm -rf "$art"
	mkdir -p "$work" "$art"
	if [ ! -x "$bin" ] || [ ! -d "$seed" ]; then
		echo "not ok $n - fuzz-$h: no harness ($bin) or no seeds ($seed)"
		failed=$((failed + 1))
		continue
	fi
	# The simulator logs each command on stderr: close the target's
	# (libFuzzer and the sanitizers keep a copy for their reports).
	quiet=""
	[ "$h" = sim-control ] && quiet=-close_fd_mask=2
	start=$(date +%s)
	timeout -k 10 $((FUZZ_SECONDS + 120)) "$bin" \
	    -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix="$art/" $quiet \
	    "$work" "$seed" >"$log" 2>&1
	rc=$?
	secs=$(($(date +%s) - start))
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
	inputs=$(ls "$work" | wc -l)
	what="${secs} s, ${runs:-?} runs, ${eps:-?}/s, cov ${cov:-?}, corpus +${inputs}"
	if [ "$rc" -eq 0 ] && ! grep -q 'ERROR: \(AddressSanitizer\|LeakSanitizer\|libFuzzer\)\|runtime error:' "$log"; then
		echo "ok $n - fuzz-$h: $what; no crash, leak or timeout"
		continue
	fi
	failed=$((failed + 1))
	echo "not ok $n - fuzz-$h: exit $rc after $what"
	for a in "$art"/*; do
		[ -f "$a" ] || continue
		echo "# artifact: $a"
		echo "#   keep it: cp $a $seed/ (then fix the bug)"
	done
	grep -E 'ERROR|SUMMARY|runtime error|#[0-9]+ 0x' "$log" | head -40 |
	    sed 's/^/# /'
done
echo "1..$n"
[ "$failed" -eq 0 ]
