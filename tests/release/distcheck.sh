#!/bin/sh
# tests/release/distcheck.sh BUILDDIR: `make distcheck` in a configured build
# tree (the tarball is built, unpacked read-only, configured with
# --enable-werror, built, `make check`ed, installed and uninstalled under a
# temporary prefix), and the tarball carries every file the repository
# tracks. TAP on stdout; quickstart.sh test runs it through the TAP driver.
set -u
. "$(dirname "$0")/../sh/lib.sh"
B=$1
log=$T_TMP/distcheck.out

if make -C "$B" -j"${JOBS:-2}" distcheck >"$log" 2>&1; then
	ok "make distcheck"
else
	not_ok "make distcheck" "$(grep -E '^(FAIL|ERROR|XPASS):|Error|error:' "$log" | head -40)" \
	    "$(tail -30 "$log")"
	# what failed inside, then remove the tree distcheck left (read-only)
	# so that the summary does not count its results twice
	for d in "$B"/countis-tui-*/_build; do
		[ -d "$d" ] || continue
		grep -l '^:test-result: \(FAIL\|ERROR\)' $(find "$d" -name '*.trs') 2>/dev/null |
		    while read -r t; do grep -E '^(not ok|#)' "${t%.trs}.log"; done |
		    head -60 | sed 's/^/# /'
		chmod -R u+w "${d%/_build}" && rm -rf "${d%/_build}"
	done
fi
tarball=$(ls "$B"/countis-tui-*.tar.gz 2>/dev/null | tail -1)
if [ -n "$tarball" ]; then
	ok "tarball ${tarball##*/}"
else
	not_ok "tarball built"
	done_testing
	exit
fi

# Every tracked file is in the tarball, but the repository's own
# housekeeping. Needs the repository (git); CI runs in a clone.
top=$(cd "$(dirname "$0")/../.." && pwd)
if command -v git >/dev/null && git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$top" ls-files | grep -vxE '\.gitignore|.*/\.keep' |
	    sort >"$T_TMP/git"
	tar tzf "$tarball" | sed 's|^[^/]*/||' | sort >"$T_TMP/tar"
	missing=$(comm -23 "$T_TMP/git" "$T_TMP/tar" | tr '\n' ' ')
	is "$missing" "" "the tarball carries every tracked file (EXTRA_DIST)"
else
	T_N=$((T_N + 1))
	echo "ok $T_N - the tarball carries every tracked file # SKIP no git repository here"
fi
done_testing
