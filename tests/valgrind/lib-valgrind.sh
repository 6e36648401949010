# tests/valgrind/lib-valgrind.sh: run a program under memcheck and judge
# its log. Source after tests/sh/lib.sh.
#
#   vg_wrapper FILE LOG     write FILE, a script that runs countis-tui under
#                           memcheck with its log in LOG
#   vg_judge LOG WHAT       TAP lines: the run ended with a summary, 0
#                           errors, 0 bytes definitely and indirectly lost
#                           (LOG is kept as $BUILDDIR/tests/valgrind/
#                           SCRIPT.memcheck)
#
# Leaks of kind "still reachable" and "possibly lost" are not errors (what
# ncurses and libc keep until exit); tests/valgrind/countis.supp names the
# few library reports that are not the program's.
command -v valgrind >/dev/null || skip_all "valgrind not installed"

VG_SUPP="$SRCDIR/tests/valgrind/countis.supp"
VG_OPTS="--error-exitcode=1 --leak-check=full \
--errors-for-leak-kinds=definite,indirect \
--show-leak-kinds=definite,indirect --num-callers=30 \
--suppressions=$VG_SUPP"

vg_wrapper() {
	cat >"$1" <<EOW
#!/bin/sh
exec valgrind $VG_OPTS --log-file='$2' '$TUI' "\$@"
EOW
	chmod +x "$1"
}

# vg_num LOG PATTERN: the number after PATTERN in the last matching line
vg_num() {
	grep -E "$2" "$1" | tail -1 | sed -E "s/.*$2 *([0-9,]+).*/\\1/" |
	    tr -d ,
}

vg_judge() {
	_log=$1 _what=$2
	# kept beside the .trs for a look after a failure
	mkdir -p "$BUILDDIR/tests/valgrind" &&
	    cp "$_log" "$BUILDDIR/tests/valgrind/$(basename "$0" .sh).memcheck" 2>/dev/null
	if ! grep -q 'ERROR SUMMARY:' "$_log" 2>/dev/null; then
		not_ok "$_what: memcheck wrote its summary" \
		    "$(tail -30 "$_log" 2>/dev/null)"
		return
	fi
	ok "$_what: memcheck wrote its summary"
	_err=$(vg_num "$_log" 'ERROR SUMMARY:')
	_def=$(vg_num "$_log" 'definitely lost:')
	_ind=$(vg_num "$_log" 'indirectly lost:')
	_diag=$(grep -E '^==[0-9]+== (Invalid|Conditional|Use of|Syscall|Mismatched|Source and|[0-9,]+ bytes in)' "$_log" | head -20)
	is "$_err" 0 "$_what: 0 memcheck errors"
	[ "$_err" = 0 ] || echo "$_diag" | sed 's/^/# /'
	is "${_def:-0}" 0 "$_what: 0 bytes definitely lost"
	is "${_ind:-0}" 0 "$_what: 0 bytes indirectly lost"
	[ "${_def:-0}${_ind:-0}" = 00 ] ||
	    grep -A12 'definitely lost in\|indirectly lost in' "$_log" |
	    head -60 | sed 's/^/# /'
}
