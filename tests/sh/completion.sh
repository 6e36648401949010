#!/bin/sh
# tests/sh/completion.sh: the bash completion of countis-tui and countis-sim.
# Sources the built scripts in a real bash, sets COMP_WORDS/COMP_CWORD as
# bash does, calls the completion function and checks COMPREPLY: options
# (from --help), values, theme names from the themes directory, meter names
# and scan targets from the configuration given with -c or found by the
# default lookup.
. "$(dirname "$0")/lib.sh"

cd "$T_TMP" || exit 1
TUICOMP=$BUILDDIR/completion/countis-tui
SIMCOMP=$SRCDIR/completion/countis-sim
for f in "$TUICOMP" "$SIMCOMP"; do
	check "${f##*/}: bash -n" bash -n "$f"
done

# comp FUNCTION WORD...: complete the last word; COMPREPLY one per line.
comp() {
	bash -c '
	. "$1"; . "$2"; fn=$3; shift 3
	COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
	COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
	"$fn" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" \
	    "${COMP_WORDS[COMP_CWORD - 1]}"
	printf "%s\n" "${COMPREPLY[@]}"' comp "$TUICOMP" "$SIMCOMP" "$@" |
	    sort
}
# call FUNCTION-OF-THE-SCRIPT WORD...: run a helper with that command line.
call() {
	bash -c '
	. "$1"; fn=$2; shift 2
	COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
	"$fn"' call "$TUICOMP" "$@"
}
lines() { tr '\n' ' ' | sed 's/ $//'; }
# the adapters plugged into this machine are offered too; leave them out
real_devices_out() { while read -r l; do [ -e "$l" ] || echo "$l"; done; }

# --- options, from --help ---------------------------------------------------
got=$(comp _countis_tui "$TUI" -)
for o in -c --config --demo --check-config --export-csv --scan --theme \
    --no-color --version -V -h; do
	like "$got" "^$o\$" "countis-tui -<TAB> offers $o"
done
is "$(comp _countis_tui "$TUI" --the | lines)" "--theme" "--the<TAB> is --theme"
is "$(comp _countis_tui "$TUI" --check-config --c | lines)" \
    "--check-config --config --csv-dialect --cycles" "--c<TAB>: the four --c options"
unlike "$got" "countis|tui|ASCII" "no word of the help text taken for an option"

# --- values -------------------------------------------------------------------
is "$(comp _countis_tui "$TUI" --csv-dialect e | lines)" "excel-eu" "--csv-dialect e<TAB>"
is "$(comp _countis_tui "$TUI" --scan x --parity '' | lines)" "even none odd" "--parity <TAB>"
is "$(comp _countis_tui "$TUI" --scan x --baud 19 | lines)" "19200" "--baud 19<TAB>"
is "$(comp _countis_tui "$TUI" --cycles '' | lines)" "" "--cycles <TAB>: nothing to offer"
: >readings.csv
is "$(comp _countis_tui "$TUI" --export-csv read | lines)" "readings.csv" \
    "--export-csv read<TAB>: a file"

# --- theme names ----------------------------------------------------------------
# The script knows the installed themes directory (pkgdatadir/themes) ...
dir=$(sed -n 's/^_countis_tui_themes_dir=//p' "$TUICOMP")
like "$dir" "^/.*/countis-tui/themes\$" "the script names the installed themes directory"
unlike "$dir" "@" "the directory is substituted"
# ... which COUNTIS_TUI_THEMES overrides, as for countis-tui itself.
got=$(COUNTIS_TUI_THEMES=$SRCDIR/themes comp _countis_tui "$TUI" --theme '')
want=$(ls "$SRCDIR"/themes/*.theme | sed 's|.*/||; s|\.theme$||' | sort)
is "$(echo "$got" | lines)" "$(echo "$want" | lines)" "--theme <TAB>: every theme file"
like "$got" "^high-contrast\$" "--theme <TAB> offers high-contrast"
is "$(COUNTIS_TUI_THEMES=$SRCDIR/themes comp _countis_tui "$TUI" --theme hi | lines)" \
    "high-contrast" "--theme hi<TAB> is high-contrast"
mkdir themes2 && : >themes2/site-dark.theme
is "$(COUNTIS_TUI_THEMES=$T_TMP/themes2 comp _countis_tui "$TUI" --theme '' | lines)" \
    "site-dark" "a theme added to the directory completes"

# --- meter names and scan targets from the configuration -----------------------
mkdir -p site cwd
cat >site/site.ini <<-'EOF'
	[console]
	theme = mono
	[bus rs485-1]
	type = rtu
	device = /dev/ttyUSB7   ; the left cabinet
	[bus gw]
	type = tcp
	host = 192.0.2.10
	port = 1502
	[meter incomer]
	bus = rs485-1
	address = 5
	  [meter feeder-2]
	bus = rs485-1
	address = 6
	[meter hall.a]
	bus = gw
	address = 1
	EOF
is "$(call _countis_tui_meters countis-tui -c site/site.ini --meter '' | sort | lines)" \
    "feeder-2 hall.a incomer" "meter names from the -c file"
is "$(call _countis_tui_meters countis-tui --config site/site.ini x | sort | lines)" \
    "feeder-2 hall.a incomer" "meter names from the --config file"
is "$(comp _countis_tui "$TUI" -c site/site.ini --meter f | lines)" \
    "feeder-2" "--meter f<TAB> with -c: feeder-2"
is "$(comp _countis_tui "$TUI" -c site/site.ini --scan '' | real_devices_out | lines)" \
    "/dev/ttyUSB7 192.0.2.10:1502" "--scan <TAB>: the configured device and gateway"
# default lookup: $COUNTIS_TUI_CONFIG, then ./countis-tui.ini, then XDG
cp site/site.ini cwd/countis-tui.ini
is "$(cd cwd && call _countis_tui_meters countis-tui --meter x | sort | lines)" \
    "feeder-2 hall.a incomer" "meter names from ./countis-tui.ini"
printf '[meter only]\nbus = b\naddress = 1\n' >site/other.ini
is "$(cd cwd && COUNTIS_TUI_CONFIG=$T_TMP/site/other.ini call _countis_tui_meters countis-tui x)" \
    "only" "\$COUNTIS_TUI_CONFIG comes before ./countis-tui.ini"
mkdir -p xdg/countis-tui && cp site/other.ini xdg/countis-tui/countis-tui.ini
is "$(cd site && XDG_CONFIG_HOME=$T_TMP/xdg call _countis_tui_meters countis-tui x)" \
    "only" "then \$XDG_CONFIG_HOME/countis-tui/countis-tui.ini"
is "$(cd site && call _countis_tui_meters countis-tui -c nowhere.ini x)" "" \
    "a -c file that does not exist: no names, no error"

# --- countis-sim -------------------------------------------------------------------
got=$(comp _countis_sim "$SIM" --)
for o in --pty --serial --tcp --units --fault --control --seed --speedup \
    --start --help; do
	like "$got" "^$o\$" "countis-sim --<TAB> offers $o"
done
is "$(comp _countis_sim "$SIM" --tcp 0 --parity e | lines)" "even" "countis-sim --parity e<TAB>"
is "$(comp _countis_sim "$SIM" --tcp 0 --fault 12 : sl | lines)" "slow=" \
    "countis-sim --fault 12:sl<TAB> (colon splits the word)"
is "$(comp _countis_sim "$SIM" --tcp 0 --fault 12:vn | lines)" "12:vn-swap=" \
    "countis-sim --fault 12:vn<TAB> (colon not a word break)"
done_testing
