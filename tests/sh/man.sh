#!/bin/sh
# tests/sh/man.sh: the manual pages. Every page in doc/ renders without a
# warning from man and groff; countis-tui.ini(5) lists every key of the
# configuration's key table under its section, and countis-tui(1) lists every
# key of every screen's help table under that screen, so that neither page
# can drift from the code.
. "$(dirname "$0")/lib.sh"

pages=$(ls "$SRCDIR"/doc/*.[1-8])
for p in $pages; do
	n=${p##*/}
	out=$(man --warnings -l "$p" 2>&1 >/dev/null)
	is "$out" "" "$n: man --warnings prints nothing"
	out=$(groff -ww -z -man "$p" 2>&1)
	is "$out" "" "$n: groff -ww prints nothing"
	like "$(grep -E '^\.TH ' "$p")" "^\.TH [A-Z.-]+ [1-8] " "$n: has a .TH line"
	# installed by make install (dist_man_MANS in mk/*.am)
	if grep -qs "doc/$n" "$SRCDIR"/mk/*.am "$SRCDIR"/Makefile.am; then
		ok "$n: listed for make install"
	else
		not_ok "$n: listed for make install" "add it to dist_man_MANS"
	fi
done

# --- countis-tui.ini(5) against the key table ------------------------------
# "SECT_BUS, "baud"" -> "bus baud"; any table of SECT_ keys in the sources.
ini=$SRCDIR/doc/countis-tui.ini.5
grep -hoE '\{ *SECT_[A-Z]+, *"[a-z_]+"' "$SRCDIR"/src/app/conf.c \
    $(ls "$SRCDIR"/src/export/*.c 2>/dev/null) |
    sed -E 's/\{ *SECT_([A-Z]+), *"([a-z_]+)"/\1 \2/' |
    tr 'A-Z' 'a-z' | sort -u >"$T_TMP/code-keys"
# In the page: ".SS [bus NAME]" then ".TP" / ".B key" items.
awk '/^\.SH/ { sect = "" }
    /^\.SS / { s = $0; sub(/^\.SS +"?\[?/, "", s); sub(/[] "].*/, "", s)
	sect = s }
    prev == ".TP" && /^\.B [a-z_]+$/ && sect != "" { print sect, $2 }
    { prev = $0 }' "$ini" | sort -u >"$T_TMP/page-keys"
n=$(wc -l <"$T_TMP/code-keys")
[ "$n" -ge 17 ] && ok "the key table has $n keys" ||
    not_ok "the key table has $n keys" "expected at least 17: did the table move?"
while read -r s k; do
	if grep -qx "$s $k" "$T_TMP/page-keys"; then
		ok "countis-tui.ini.5 documents [$s] $k"
	else
		not_ok "countis-tui.ini.5 documents [$s] $k" \
		    "add .TP / .B $k under .SS [$s ...]"
	fi
done <"$T_TMP/code-keys"
# and nothing the code does not know (a key removed or misspelt). A whole
# section the code does not have yet is a TODO, not a pass.
cut -d' ' -f1 "$T_TMP/code-keys" | sort -u >"$T_TMP/code-sects"
extra=$(comm -13 "$T_TMP/code-keys" "$T_TMP/page-keys" |
    awk 'NR == FNR { s[$1]; next } ($1 in s)' "$T_TMP/code-sects" - | tr '\n' ' ')
is "$extra" "" "countis-tui.ini.5 lists no key the code does not accept"
for s in $(cut -d' ' -f1 "$T_TMP/page-keys" | sort -u); do
	grep -qx "$s" "$T_TMP/code-sects" && continue
	T_N=$((T_N+1))
	echo "not ok $T_N - countis-tui.ini.5 [$s] is in the key table # TODO not in src/app/conf.c yet"
done
for s in console bus meter; do
	like "$(cat "$ini")" "^\.SS \"?\[$s" "countis-tui.ini.5 has a [$s] section"
done
like "$(cat "$ini")" "COUNTIS_TUI_CONFIG" "countis-tui.ini.5 gives the lookup order"
like "$(cat "$ini")" "^\.SH EXAMPLE" "countis-tui.ini.5 has an example"

# --- countis-tui(1) KEYS against the screens' help tables -------------------
# Render KEYS without wrapping, spaces squeezed; one block per subsection.
groff -man -Tascii -P-cbou -rLL=250n "$SRCDIR/doc/countis-tui.1" 2>/dev/null |
    awk '/^[A-Z]/ { inkeys = ($0 == "KEYS"); next }
	inkeys && /^   [^ ]/ { sub(/^ +/, ""); sect = $0; next }
	inkeys && sect != "" { print sect "\t" $0 }' |
    tr -s ' ' >"$T_TMP/man-keys"
# "Everywhere" for the manager and the overlays (src/ui/ui-*.c), "N Title"
# for a screen file, N its place in the screen table (UI_SCREENS).
sed -n '/^#define UI_SCREENS/,/^$/s/.*X(\([a-z_]*\)).*/\1/p' \
    "$SRCDIR/src/ui/ui-screens.c" >"$T_TMP/screen-order"
for f in "$SRCDIR"/src/ui/ui-*.c "$SRCDIR"/src/ui/screen-*.c; do
	grep -q 'struct screen_help [a-z_]*\[\] *=' "$f" || continue
	case ${f##*/} in
	ui-*)	sect=Everywhere ;;
	*)	t=$(sed -n 's/.*\.title = "\(.*\)",.*/\1/p' "$f" | head -1)
		id=$(sed -n 's/^const struct screen_ops screen_\([a-z_]*\).*/\1/p' "$f")
		h=$(grep -nx "$id" "$T_TMP/screen-order" | cut -d: -f1)
		sect="$h $t" ;;
	esac
	awk '/struct screen_help [a-z_]*\[\] *=/ { on = 1; next }
	    on && /^};/ { on = 0 }
	    on && /\{ *"/ { s = $0; sub(/^[^"]*"/, "", s); sub(/".*/, "", s)
		print s }' "$f" | tr -s ' ' >"$T_TMP/help-keys"
	[ -s "$T_TMP/help-keys" ] || not_ok "${f##*/}: help table read"
	while IFS= read -r k; do
		if grep -F "$sect	" "$T_TMP/man-keys" | cut -f2 |
		    grep -qF -- "$k"; then
			ok "countis-tui.1 KEYS, $sect: $k"
		else
			not_ok "countis-tui.1 KEYS, $sect: $k" \
			    "add it under .SS $sect (from ${f##*/})"
		fi
	done <"$T_TMP/help-keys"
done
done_testing
