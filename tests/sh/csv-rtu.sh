#!/bin/sh
# csv-rtu.sh: --export-csv against countis-sim on a paced pty at 19200 8N1.
# Every column of a meter whose registers do not move (all phases lost:
# energies frozen) equals an independent mbpoll read of the same registers;
# a live meter's columns have exactly their decimals and T1+..+T4 matches
# the total; a dead, an exception, a CRC-corrupting and a foreign unit give
# their status words and no values; the excel-eu dialect; the file appears
# only at the end; exit 69 with a dead meter, 0 without, 66 when the file
# or the serial device cannot be opened; and the engine never reads an undefined register nor
# writes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/engine-lib.sh"
command -v mbpoll >/dev/null || skip_all "mbpoll not installed"

DEV="$T_TMP/line"
MB_OPTS="-m rtu -b 19200 -P none"
MB_DEV=$DEV
start_sim sim --pty "$DEV" --units 1,3,4,6,8,9 --seed 7 \
    --fault 1:reversed=2 --fault 3:phase-loss=1 --fault 3:phase-loss=2 \
    --fault 3:phase-loss=3 --fault 4:dead --fault 6:exception=4 \
    --fault 8:crc=100 --fault 9:foreign
wait_for 20 test -e "$DEV" || { not_ok "simulator up"; done_testing; exit 1; }

{
	ini_bus rs485-A rtu "$DEV"
	ini_meter live rs485-A 1
	ini_meter frozen rs485-A 3
	ini_meter dead rs485-A 4
	ini_meter busy rs485-A 6
	ini_meter noisy rs485-A 8
	ini_meter other rs485-A 9
} >"$T_TMP/all.ini"
{
	ini_bus rs485-A rtu "$DEV"
	ini_meter live rs485-A 1
	ini_meter frozen rs485-A 3
} >"$T_TMP/good.ini"

t0=$(date +%s)
"$TUI" -c "$T_TMP/all.ini" --export-csv "$T_TMP/all.csv" --cycles 2 2>"$T_TMP/all.err"
rc=$?
t1=$(date +%s)
frozen_ref=$(expected_values 3)
is "$rc" 69 "exit 69 when a meter never answered"
like "$(cat "$T_TMP/all.err")" 'meter dead \(bus rs485-A, address 4\) never answered' \
    "the silent meter is named on stderr"
is "$(head -1 "$T_TMP/all.csv")" "$CSV_HEADER" "header exact"
is "$(wc -l <"$T_TMP/all.csv" | tr -d ' ')" 13 "one row per meter per cycle"
is "$(grep -c "$(printf '\r')" "$T_TMP/all.csv")" 0 "LF line ends, no CR"

# timestamps: UTC ISO 8601 with milliseconds and Z, within the run
bad=0
for ts in $(tail -n +2 "$T_TMP/all.csv" | cut -d, -f1); do
	echo "$ts" | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$' || bad=1
	s=$(date -u -d "$ts" +%s 2>/dev/null || echo 0)
	[ "$s" -ge "$t0" ] && [ "$s" -le "$t1" ] || bad=1
done
is "$bad" 0 "timestamps are UTC ISO 8601 with ms and Z, taken during the run"

row=$(csv_row "$T_TMP/all.csv" frozen 2)
is "$(field "$row" 2-5)" 'frozen,rs485-A,3,ok' "frozen meter: name, bus, address, ok"
like "$(field "$row" 6)" '^[1-9][0-9]*$' "response_ms is a whole number of ms"
is "$(values_but_f "$row")" "$frozen_ref" "frozen meter: every value equals mbpoll's read"
like "$(field "$row" 27)" '^(49|50|51)\.[0-9]{2}$' "f_hz has 2 decimals"
is "$(t_minus_total "$row")" 0 "frozen meter: T1+T2+T3+T4 = total exactly"

row=$(csv_row "$T_TMP/all.csv" live 2)
is "$(field "$row" 5)" ok "live meter: ok"
like "$(field "$row" 7-11)" '^([0-9]+\.[0-9]{2},){4}[0-9]+\.[0-9]{2}$' "energies: 2 decimals"
like "$(field "$row" 12)" '^[1-4]$' "tariff 1 to 4"
like "$(field "$row" 13-15)" '^-?[0-9]+\.[0-9]{2},-?[0-9]+\.[0-9]{2},[0-9]+\.[0-9]{2}$' "P Q S in k: 2 decimals"
like "$(field "$row" 16)" '^-?[01]\.[0-9]{3}$' "PF: 3 decimals"
like "$(field "$row" 17-22)" '^(2[0-9]{2}\.[0-9]{2},){2}2[0-9]{2}\.[0-9]{2},([34][0-9]{2}\.[0-9]{2},){2}[34][0-9]{2}\.[0-9]{2}$' "V and U: 2 decimals"
like "$(field "$row" 23-26)" '^([0-9]+\.[0-9]{3},){3}[0-9]+\.[0-9]{3}$' "currents: 3 decimals"
like "$(field "$row" 28-30)" '^[0-9]+\.[0-9]{2},-[0-9]+\.[0-9]{2},[0-9]+\.[0-9]{2}$' \
    "phase powers: 2 decimals, P2 negative (current reversed on phase 2)"
like "$(field "$row" 31-34)" '^-?[01]\.[0-9]{3},-?[01]\.[0-9]{3},-?[01]\.[0-9]{3},[0-9]+\.[0-9]{2}$' \
    "phase PF 3 decimals, reactive energy 2"
# T1..T4 are read one request after the total, and counters only grow
d=$(t_minus_total "$row")
check "live meter: T1+T2+T3+T4 - total = $d x 10 Wh (0, or a tick between two requests)" \
    test "$d" -ge 0 -a "$d" -le 2
tar=$(word "$(mb_words 1 51201 1)" 0)
is "$(field "$row" 12)" "$tar" "live meter: tariff equals mbpoll's read"

row=$(csv_row "$T_TMP/all.csv" dead 1)
is "$(field "$row" 5-6)" 'timeout,' "dead meter: timeout, no response time"
check "dead meter: value fields empty" empty_values "$row"
row=$(csv_row "$T_TMP/all.csv" busy 2)
is "$(field "$row" 5)" 'exception-4' "exception unit: exception-4"
check "exception unit: value fields empty" empty_values "$row"
row=$(csv_row "$T_TMP/all.csv" noisy 2)
is "$(field "$row" 5)" 'crc' "CRC-corrupting unit: crc"
check "CRC-corrupting unit: value fields empty" empty_values "$row"
row=$(csv_row "$T_TMP/all.csv" other 1)
is "$(field "$row" 5)" 'not-e34' "foreign device: not-e34"
check "foreign device: value fields empty" empty_values "$row"
row=$(csv_row "$T_TMP/all.csv" other 2)
is "$(field "$row" 5)" 'not-e34' "foreign device: still not-e34"

# without the faulty meters: exit 0; excel-eu: ';' and decimal commas
"$TUI" -c "$T_TMP/good.ini" --export-csv "$T_TMP/good.csv" 2>"$T_TMP/good.err"
is "$?" 0 "exit 0 when every meter answered"
"$TUI" -c "$T_TMP/good.ini" --export-csv "$T_TMP/eu.csv" --csv-dialect excel-eu 2>/dev/null
is "$?" 0 "excel-eu export"
is "$(head -1 "$T_TMP/eu.csv")" "$(echo "$CSV_HEADER" | tr , ';')" "excel-eu header"
want=$(csv_row "$T_TMP/good.csv" frozen | cut -d, -f2-5,7-26,28-34 | tr ,. ';,')
got=$(grep '^[^;]*;frozen;' "$T_TMP/eu.csv" | cut -d';' -f2-5,7-26,28-34)
is "$got" "$want" "excel-eu row: same values, ';' and decimal commas"

# the file appears only at the end (temporary in the same directory, renamed)
mkdir "$T_TMP/slow"
"$TUI" -c "$T_TMP/all.ini" --export-csv "$T_TMP/slow/out.csv" --cycles 3 2>/dev/null &
pid=$!
t_track $pid
if wait_for 20 sh -c "ls -A '$T_TMP/slow' | grep -q '^\.out\.csv\.'"; then
	if kill -0 $pid 2>/dev/null && [ ! -e "$T_TMP/slow/out.csv" ]; then
		ok "while running: only a temporary file"
	else
		not_ok "while running: only a temporary file" "$(ls -A "$T_TMP/slow")"
	fi
else
	not_ok "while running: a temporary file" "$(ls -A "$T_TMP/slow")"
fi
wait $pid
is "$(ls -A "$T_TMP/slow")" "out.csv" "at the end: the file, and no temporary"
is "$(wc -l <"$T_TMP/slow/out.csv" | tr -d ' ')" 19 "whole file: header + 3 cycles of 6"

"$TUI" -c "$T_TMP/good.ini" --export-csv "$T_TMP/no/such/dir/x.csv" 2>"$T_TMP/nodir.err"
is "$?" 66 "exit 66 when the file cannot be created"
like "$(cat "$T_TMP/nodir.err")" "$T_TMP/no/such/dir/x.csv: No such file" "the message names the path and why"

# a serial device that cannot be opened: rows say io, exit 66 names it
{ ini_bus gone rtu "$T_TMP/no-such-tty"; ini_meter lost gone 1; } >"$T_TMP/gone.ini"
"$TUI" -c "$T_TMP/gone.ini" --export-csv "$T_TMP/gone.csv" --cycles 2 2>"$T_TMP/gone.err"
is "$?" 66 "exit 66 when the bus device cannot be opened"
like "$(cat "$T_TMP/gone.err")" "bus gone: open $T_TMP/no-such-tty: No such file" "the message names the device"
is "$(cut -d, -f5 "$T_TMP/gone.csv" | tail -n +2 | tr '\n' ' ')" "io io " "its rows say io"

"$TUI" -c "$T_TMP/good.ini" --export-csv - >"$T_TMP/stdout.csv" 2>/dev/null
is "$(head -1 "$T_TMP/stdout.csv")" "$CSV_HEADER" "--export-csv - writes to stdout"

# a FIFO (like /dev/null, not a regular file) is written directly, never
# replaced by a rename
mkfifo "$T_TMP/fifo"
cat "$T_TMP/fifo" >"$T_TMP/fifo.out" &
cat_pid=$!
t_track $cat_pid
"$TUI" -c "$T_TMP/good.ini" --export-csv "$T_TMP/fifo" 2>"$T_TMP/fifo.err"
# cat ends when the writer closes; if the FIFO was replaced it never does
wait_for 10 sh -c "! kill -0 $cat_pid" || kill $cat_pid 2>/dev/null
if [ -p "$T_TMP/fifo" ]; then ok "the FIFO is still a FIFO"; else not_ok "the FIFO is still a FIFO" "$(ls -l "$T_TMP")"; fi
is "$(head -1 "$T_TMP/fifo.out")" "$CSV_HEADER" "the CSV went through the FIFO"
is "$(ls -A "$T_TMP" | grep -c '^\.fifo\.')" 0 "no temporary file beside the FIFO"

sim_log_clean "$T_TMP/sim.log"
done_testing
