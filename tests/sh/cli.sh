#!/bin/sh
# tests/sh/cli.sh: the command line of countis-tui. --help and --version go
# to stdout with exit 0; every usage error exits 64 with one line naming the
# option and its value plus "Try 'countis-tui --help'", and nothing on
# stdout; modes exclude one another; options must fit the mode.
. "$(dirname "$0")/lib.sh"

cd "$T_TMP" || exit 1

# A valid configuration, for options that need one to get past parsing.
cat >ok.ini <<-'EOF'
	[bus b1]
	type = rtu
	device = /dev/null
	[meter m1]
	bus = b1
	address = 1
	EOF

for h in --help -h; do
	"$TUI" $h >help.out 2>help.err
	is "$?" 0 "$h: exit 0"
	like "$(head -1 help.out)" "^Usage: countis-tui " "$h: usage on stdout"
	is "$(cat help.err)" "" "$h: nothing on stderr"
done
help=$(cat help.out)
for o in -c --demo --check-config --export-csv --cycles --csv-dialect --scan \
    --baud --parity --stop-bits --first --last --timeout-ms --theme --ascii \
    --no-color --log --verbose --help --version; do
	like "$help" "^ +(-[a-zA-Z], )?$o[ ,=]|[ |]$o( |$)" "--help describes $o"
done
like "$help" "64 usage error" "--help lists the exit status"

for v in --version -V; do
	"$TUI" $v >version.out 2>version.err
	is "$?" 0 "$v: exit 0"
	like "$(cat version.out)" "^countis-tui [0-9]+\.[0-9]+\.[0-9]+$" "$v: version on stdout"
	is "$(cat version.err)" "" "$v: nothing on stderr"
done

"$TUI" --help >/dev/full 2>full.err
is "$?" 70 "--help into a full disk: exit 70, not silence"

# usage DESCRIPTION REGEX ARGS...: exit 64, one message line matching REGEX,
# then the hint, nothing on stdout.
usage() {
	d=$1; re=$2; shift 2
	"$TUI" "$@" >usage.out 2>usage.err
	rc=$?
	is "$rc" 64 "$d: exit 64"
	like "$(head -1 usage.err)" "^countis-tui: $re" "$d: message names it"
	is "$(sed -n 2p usage.err)" "Try 'countis-tui --help' for more information." "$d: hint"
	is "$(wc -l <usage.err | tr -d ' ')$(wc -c <usage.out | tr -d ' ')" "20" "$d: two lines on stderr, none on stdout"
}

usage "unknown long option" "unknown option '--bogus'" --bogus
usage "unknown long option with a value" "unknown option '--bogus'" --bogus=3
usage "unknown short option" "unknown option '-x'" -x
# issue 8: a value given to an option that takes none is named whole, not
# as a raw byte (--check-config=yes printed 0x01) or a cut line (--demo=1)
usage "--check-config=yes" "option '--check-config' takes no value \(given '--check-config=yes'\)$" --check-config=yes
usage "--demo=1" "option '--demo' takes no value \(given '--demo=1'\)$" --demo=1
usage "--dem=1 (abbreviated)" "option '--demo' takes no value" --dem=1
usage "--verbose=1" "option '--verbose' takes no value" --verbose=1
usage "--ascii=yes" "option '--ascii' takes no value" --ascii=yes
usage "a control byte as a short option" "unknown option '-\\\\x01'$" "-$(printf '\001')"
raw() { tr -d '\n -~' <"$1" | od -An -c | tr -d ' \n'; }
for a in --check-config=yes --demo=1 --no-color=1 "-$(printf '\001')" "--$(printf '\033')x" \
    "--config=$(printf '\033[2J').ini" ; do
	"$TUI" --check-config "$a" >/dev/null 2>raw.err
	is "$(raw raw.err)" "" "no raw control byte on stderr for $(printf '%s' "$a" | od -An -c | tr -s ' ')"
done
usage "stray argument" "unexpected argument 'extra'" --check-config extra
usage "missing value" "option '--cycles' needs a value" --export-csv - --cycles
usage "-c without a file" "option '-c' needs a value" -c
usage "--cycles 0" "--cycles '0': expected 1\.\.1000000" --export-csv - --cycles 0
usage "--cycles too many" "--cycles '1000001': expected 1\.\.1000000" --export-csv - --cycles 1000001
usage "--cycles not a number" "--cycles '3x': not a whole number" --export-csv - --cycles 3x
usage "--cycles huge" "--cycles '99999999999999999999': expected" --export-csv - --cycles 99999999999999999999
usage "--csv-dialect bad" "--csv-dialect 'excel': expected rfc4180 or excel-eu" --csv-dialect excel
usage "--baud bad" "--baud '1200': expected 4800, 9600, 19200 or 38400" --scan /dev/null --baud 1200
usage "--baud word" "--baud 'fast': expected 4800" --scan /dev/null --baud fast
usage "--parity bad" "--parity 'mark': expected none, even or odd" --scan /dev/null --parity mark
usage "--stop-bits bad" "--stop-bits '3': expected 1 or 2" --scan /dev/null --stop-bits 3
usage "--first 0" "--first '0': expected 1\.\.247" --scan /dev/null --first 0
usage "--last 248" "--last '248': expected 1\.\.247" --scan /dev/null --last 248
usage "--first above --last" "--first 10 is above --last 5" --scan /dev/null --first 10 --last 5
usage "--timeout-ms low" "--timeout-ms '5': expected 10\.\.10000" --scan /dev/null --timeout-ms 5
usage "--export-csv empty" "--export-csv '': expected a file" --export-csv ''
usage "--scan empty" "--scan '': expected a serial device" --scan ''
usage "--theme a path" "--theme 'a/b': expected a theme name" --theme a/b
usage "-c twice" "-c given twice" -c a.ini -c b.ini
usage "mode twice" "--scan given twice" --scan a --scan b

# modes exclude one another, and the message names both
set -- "--demo" "--check-config" "--export-csv -" "--scan /dev/null"
for a in "$@"; do
	for b in "$@"; do
		[ "$a" = "$b" ] && continue
		# shellcheck disable=SC2086
		usage "$a with $b" "${a%% *} and ${b%% *} cannot be used together" $a $b
	done
done

# options that do not fit the mode
usage "--cycles on the console" "--cycles does not apply to the console; it is for --export-csv" --cycles 2
usage "--cycles with --check-config" "--cycles does not apply to --check-config" --check-config --cycles 2
usage "--first without --scan" "--first does not apply to --export-csv; it is for --scan" --export-csv - --first 3
usage "--baud on the console" "--baud does not apply to the console; it is for --scan" --baud 9600
usage "--timeout-ms with --demo" "--timeout-ms does not apply to --demo" --demo --timeout-ms 100
usage "-c with --demo" "-c does not apply to --demo" --demo -c ok.ini
usage "-c with --scan" "-c does not apply to --scan" -c ok.ini --scan /dev/null
usage "--csv-dialect with --scan" "--csv-dialect does not apply to --scan" --scan /dev/null --csv-dialect rfc4180
usage "--ascii with --export-csv" "--ascii does not apply to --export-csv" --export-csv - --ascii
usage "--no-color with --check-config" "--no-color does not apply to --check-config" --check-config --no-color
usage "--theme with --scan" "--theme does not apply to --scan" --scan /dev/null --theme default

# what is accepted gets past parsing: order does not matter, -v repeats
"$TUI" -v -v --check-config --csv-dialect excel-eu -c ok.ini >check.out 2>check.err
is "$?" 0 "--check-config with -v -v and --csv-dialect: exit 0"
like "$(cat check.out)" "csv_dialect excel-eu" "--csv-dialect overrides the configuration"
"$TUI" -c ok.ini --check-config >/dev/null 2>&1
is "$?" 0 "-c before the mode: accepted"
"$TUI" --check-config --config=ok.ini >/dev/null 2>&1
is "$?" 0 "--config=FILE: accepted"
NO_COLOR=1 "$TUI" --check-config -c ok.ini >/dev/null 2>&1
is "$?" 0 "NO_COLOR set with --check-config: not a usage error"
"$TUI" --help --bogus >/dev/null 2>&1
is "$?" 0 "--help before anything else wins"

# configuration errors keep their own codes through the command line
"$TUI" --check-config -c nonexistent.ini >/dev/null 2>err.out
is "$?" 66 "-c naming a missing file: exit 66"
like "$(cat err.out)" "^countis-tui: nonexistent\.ini: No such file or directory" "missing file named"
unlike "$(cat err.out)" "Try 'countis-tui --help'" "no usage hint for a missing file"

done_testing
