#!/bin/sh
# bench/run-all.sh: every benchmark in turn (about 15 minutes). Figures are
# printed, never asserted; see bench/README.md for what they mean.
d=$(dirname "$0")
for b in cycle-time dead-meter scan resources; do
	echo "== $b"
	sh "$d/$b.sh" || echo "($b failed)"
done
