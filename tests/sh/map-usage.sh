#!/bin/sh
# map-usage.sh: every register address, count, type and scale the programs
# use comes from data/e34-register-map.tsv.
#  1. The compiled table, printed back by tests/unit/regmap-dump, equals the
#     TSV's columns (address, hex, count, type, unit, scale, fc, access,
#     group, name, confidence, label, values) row for row.
#  2. No C source or header under src/ and include/ spells a register-like
#     address (0x8xxx, 0x9xxx, 0xCxxx, 0xExxx, 0xFxxx) outside comments,
#     apart from the allowlisted non-address constants below.
. "$SRCDIR/tests/sh/lib.sh"

TSV="$SRCDIR/data/e34-register-map.tsv"
DUMP="$BUILDDIR/tests/unit/regmap-dump"

# Values that look like addresses but are not, each with its reason. No
# register of the map sits at any of them (checked below).
ALLOW='
0xFFFF	all-ones 16-bit word: the U16 "not available" sentinel and the highest PDU address
0xFFFE	load-curve "page back" command value written to lc_command (PRODUCT.md)
0xFFFD	U+FFFD REPLACEMENT CHARACTER, a Unicode code point in the text widgets
'

# 1. The table the programs use is the TSV.
if [ ! -x "$DUMP" ]; then
	not_ok "regmap-dump is built" "missing $DUMP"
else
	"$DUMP" >"$T_TMP/compiled.tsv"
	is "$?" 0 "regmap-dump prints the compiled table"
	# The table keeps no difference between a scale of "-" and
	# "numerator/denominator" (both: no fixed scale), so neither does this.
	awk -F'\t' -v OFS='\t' 'NR > 1 {
		hex = ($2 == "-") ? "-" : "0x" toupper(substr($2, 3))
		scale = ($6 == "numerator/denominator") ? "-" : $6
		print $1, hex, $3, $4, $5, scale, $7, $8, $9, $10, $12, $14, $15
	}' "$TSV" >"$T_TMP/tsv.tsv"
	if diff -u "$T_TMP/tsv.tsv" "$T_TMP/compiled.tsv" >"$T_TMP/diff.out"; then
		ok "compiled table equals the TSV ($(wc -l <"$T_TMP/tsv.tsv") rows)"
	else
		not_ok "compiled table equals the TSV" "$(head -40 "$T_TMP/diff.out")"
	fi
	is "$(wc -l <"$T_TMP/compiled.tsv")" "$(($(wc -l <"$TSV") - 1))" \
	    "one compiled row per TSV row"
	# The comparison is not vacuous: a known row is in both.
	like "$(grep -P '^50520\t' "$T_TMP/compiled.tsv")" \
	    '^50520	0xC558	2	U32	V	0.01	03	R	measure	V1	confirmed-E34	V1	-$' \
	    "V1 is 0xC558, 2 words, U32, 0.01 V in the compiled table"
fi

# 2. No address literal in the sources. Comments are blanked first (line
# numbers kept), so a comment may cite an address; code and strings may not.
strip_comments() {
	"$PYTHON" - "$1" <<'EOF'
import re, sys
src = open(sys.argv[1], encoding="utf-8", errors="replace").read()
tok = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)
def blank(m):
    s = m.group(0)
    if s.startswith("/"):
        return re.sub(r"[^\n]", " ", s)
    return s
sys.stdout.write(tok.sub(blank, src))
EOF
}

allowed() {
	printf '%s\n' "$ALLOW" | cut -f1 | grep -qix -- "$1"
}

# A 4-digit hex literal starting 8, 9, C, E or F (not part of a longer one).
SCAN_RE='0[xX][89CEFcef][0-9A-Fa-f]{3}([^0-9A-Fa-f]|$)'

# scan FILE: "line:literal" for each address-like literal outside comments.
scan() {
	strip_comments "$1" | grep -noE "$SCAN_RE" | sed 's/[^0-9A-Fa-fxX:]*$//'
}

# in_map VALUE: the TSV has a register covering VALUE.
in_map() {
	awk -F'\t' -v a="$(printf '%d' "$1")" '
	    NR > 1 && $1 != "-" && a >= $1 && a < $1 + $3 { f = 1 }
	    END { exit !f }' "$TSV"
}

# The allowlisted values are not register addresses of the map.
for v in $(printf '%s\n' "$ALLOW" | cut -f1 | grep .); do
	if in_map "$v"; then
		not_ok "allowlisted $v is not a register address" \
		    "the TSV defines $v"
	else
		ok "allowlisted $v is not a register address"
	fi
done

: >"$T_TMP/hits"
nfiles=0
for f in $(find "$SRCDIR/src" "$SRCDIR/include" -type f \
    \( -name '*.c' -o -name '*.h' \) | sort); do
	nfiles=$((nfiles + 1))
	rel=${f#"$SRCDIR"/}
	scan "$f" | while IFS=: read -r line lit; do
		allowed "$lit" || printf '%s:%s: %s\n' "$rel" "$line" "$lit"
	done >>"$T_TMP/hits"
done
like "$nfiles" '^[1-9][0-9]*$' "C sources and headers scanned ($nfiles)"
if [ -s "$T_TMP/hits" ]; then
	not_ok "no register address literal in src/ or include/" \
	    "$(cat "$T_TMP/hits")" \
	    "name registers by id: regmap_get(REG_X)->addr"
else
	ok "no register address literal in src/ or include/"
fi

# The scan can fail: a literal planted in a copy is found.
mkdir -p "$T_TMP/plant"
cat >"$T_TMP/plant/x.c" <<'PLANT'
/* 0xC558 in a comment is fine, */
// and in this one,
int
f(void)
{
	return read(0xc558, 2) + 0xFFFF + 0xFFFFFFFF;
}
PLANT
is "$(scan "$T_TMP/plant/x.c" | tr '\n' ' ')" "6:0xc558 6:0xFFFF " \
    "a planted address literal is found on its line, the comments are not"

done_testing
