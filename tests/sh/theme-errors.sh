#!/bin/sh
# tests/sh/theme-errors.sh: theme files (issue 4). A bad theme names the file
# and line and exits 78 before curses starts, whether it comes from --theme
# or from the configuration; an unknown name lists the themes there; the
# shipped themes load and set every element.
. "$(dirname "$0")/lib.sh"

TD="$T_TMP/themes"
mkdir -p "$TD"
cat >"$T_TMP/t.ini" <<'INI'
[bus b]
type = rtu
device = /nonexistent/tty
[meter m]
bus = b
address = 1
INI

# bad NAME LINE REGEX DESCRIPTION: theme NAME (already written) fails
bad() {
	COUNTIS_TUI_THEMES=$TD "$TUI" -c "$T_TMP/t.ini" --theme "$1" \
	    </dev/null >"$T_TMP/out" 2>"$T_TMP/err"
	rc=$?
	is "$rc" 78 "$4: exit 78"
	like "$(cat "$T_TMP/err")" "^countis-tui: $TD/$1\.theme:$2: $3" "$4: names file:line"
	is "$(cat "$T_TMP/out")" "" "$4: nothing on stdout"
}

printf '[colors]\ntitle = white on blue\ntitel = red\n' >"$TD/elem.theme"
bad elem 3 "\[colors\] titel = 'red': unknown element" "unknown element"
printf '[colors]\ntitle = purple\n' >"$TD/colour.theme"
bad colour 2 "\[colors\] title = 'purple': 'purple': expected a colour" "unknown colour"
printf '; c\n[colors]\nheader = white on\n' >"$TD/on.theme"
bad on 3 "\[colors\] header = 'white on': 'on' without a colour" "'on' with no background"
printf '[colours]\ntitle = red\n' >"$TD/section.theme"
bad section 2 "\[colours\] title = 'red': unknown section" "unknown section"
printf '[colors]\ntitle = red\nok = green\njust some words\n' >"$TD/syntax.theme"
bad syntax 4 "syntax error" "a line that is not key = value"
{ printf '[colors]\ntitle = red ;'; printf '%0250d\n' 0; printf 'ok = green\n'; } >"$TD/long.theme"
bad long 2 "line longer than 198 bytes" "a line inih would cut"
printf '[colors]\n\nwarn = red blue\n' >"$TD/two.theme"
bad two 3 "\[colors\] warn = 'red blue': 'blue': one foreground colour only" "two foreground colours"
printf '[colors]\nspark = 256\n' >"$TD/num.theme"
bad num 2 "\[colors\] spark = '256': '256': expected a colour" "colour number out of range"
printf '[colors]\nerror = red, blinking\n' >"$TD/attr.theme"
bad attr 2 "\[colors\] error = 'red, blinking': 'blinking': expected a colour .* or an attribute" "unknown attribute"

# from the configuration's [console] theme
{ printf '[console]\ntheme = elem\n'; cat "$T_TMP/t.ini"; } >"$T_TMP/c.ini"
COUNTIS_TUI_THEMES=$TD "$TUI" -c "$T_TMP/c.ini" </dev/null >/dev/null 2>"$T_TMP/err"
is "$?" 78 "theme named in the configuration: exit 78"
like "$(cat "$T_TMP/err")" "elem\.theme:3: \[colors\] titel" "theme from the configuration: file:line"

# an unknown name: 78, and the themes that are there
COUNTIS_TUI_THEMES=$TD "$TUI" -c "$T_TMP/t.ini" --theme nosuch </dev/null 2>"$T_TMP/err"
is "$?" 78 "unknown theme: exit 78"
like "$(cat "$T_TMP/err")" "theme 'nosuch': no $TD/nosuch\.theme \(themes in $TD: attr, colour, elem," \
    "unknown theme: lists the themes there"

# the shipped themes load (the console then stops at "needs a terminal")
for t in default mono high-contrast; do
	"$TUI" -c "$T_TMP/t.ini" --theme "$t" </dev/null >/dev/null 2>"$T_TMP/err"
	rc=$?
	is "$rc" 64 "shipped theme $t loads (then: no terminal, 64)"
	like "$(cat "$T_TMP/err")" "needs a terminal" "theme $t: the error is the terminal's, not the theme's"
	keys=$(sed -n '/^\[colors\]/,$p' "$SRCDIR/themes/$t.theme" | grep -E '^[a-z_]+ +=' | cut -d' ' -f1 | sort | tr '\n' ' ')
	is "$(echo "$keys" | wc -w | tr -d ' ')" 25 "theme $t sets all 25 elements"
	[ -z "$first" ] && first=$keys
	is "$keys" "$first" "theme $t sets the same elements as default"
done
done_testing
