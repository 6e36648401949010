/*
 * export-csv.h: THE CSV writer (PRODUCT.md "CSV"), used by --export-csv and
 * by the console's snapshots and recordings.
 *
 * One header row, then one row per meter per poll cycle with exactly the
 * product's columns. A value field holds the engineering value with exactly
 * the decimals its register's scale carries, and is empty, never 0, when it
 * was not read in the meter's last cycle or read "not available".
 *
 * Two ways to write a file:
 *  - CSV_ATOMIC: rows go to a temporary file in the same directory, renamed
 *    over PATH by csv_close, so a reader never sees half a file;
 *  - CSV_APPEND: rows go straight to PATH (created if need be, header only
 *    when it is empty), each row written and synced to disk before
 *    csv_row returns, so no row already written is lost (long recordings).
 * PATH "-" writes to stdout (flushed after each row). A PATH that exists and
 * is not a regular file (/dev/null, a FIFO, a terminal) is written directly,
 * as CSV_APPEND, since a rename would replace the device node.
 *
 * Errors name the path and the reason (strerror); after one, the writer
 * keeps what was written and refuses further rows.
 */
#ifndef EXPORT_CSV_H
#define EXPORT_CSV_H

#include <stddef.h>

#include "conf.h"
#include "err.h"
#include "meter.h"

enum csv_mode { CSV_ATOMIC, CSV_APPEND };

struct csv_writer;

/* "rfc4180" or "excel-eu" to *d; 0, or -1 for another word. */
int	csv_dialect_parse(const char *word, enum csv_dialect *d);
const char *csv_dialect_name(enum csv_dialect d);	/* the word back */

/* Open path ("-": stdout). NULL with e set (code EXIT_NOINPUT) on failure. */
struct csv_writer *csv_open(const char *path, enum csv_mode, enum csv_dialect,
		    struct err *e);
int		 csv_header(struct csv_writer *, struct err *e);
/* One row for meter m's last cycle; b is its bus. 0 or -1 with e set. */
int		 csv_row(struct csv_writer *, const struct meter *m,
		    const struct bus_conf *b, struct err *e);
/*
 * Finish: flush, sync, rename the temporary file over PATH (CSV_ATOMIC),
 * close, free. Returns 0 or -1 with e set; on a failure the temporary file
 * is left in place (its name in the message), nothing written is lost.
 */
int		 csv_close(struct csv_writer *, struct err *e);
/* csv_close that also copies the file's final name into path (len). */
int		 csv_finish(struct csv_writer *, char *path, size_t len,
		    struct err *e);
/*
 * Open a file that never replaces one: CSV_APPEND creates PATH, or the
 * first free of PATH-2, PATH-3 ... before the extension (O_EXCL, see
 * atomic-file.h); CSV_ATOMIC writes a temporary file and links it under
 * such a free name at csv_finish. The console's exports use it: two in the
 * same second keep both. csv_path says the name (final at once for
 * CSV_APPEND, at csv_finish for CSV_ATOMIC).
 */
struct csv_writer *csv_open_new(const char *path, enum csv_mode,
		    enum csv_dialect, struct err *e);
const char	*csv_path(const struct csv_writer *);
/* Give up: remove the temporary file (CSV_ATOMIC), close, free. NULL ok. */
void		 csv_abort(struct csv_writer *);
/* Rows written so far. */
unsigned long	 csv_rows(const struct csv_writer *);

/* The header line, with its '\n'. Returns its length or -1 if len is short. */
int		 csv_format_header(char *buf, size_t len, enum csv_dialect);
/* One row, with its '\n'. Returns its length or -1 if len is short. */
int		 csv_format_row(char *buf, size_t len, const struct meter *m,
		    const struct bus_conf *b, enum csv_dialect);

/*
 * The value columns (after response_ms), shared with the MQTT state message:
 * how many, column i's name (NULL out of range), and column i's value of
 * m's last cycle with exactly its register's decimals into buf. Returns the
 * length, 0 (buf "") when not read in that cycle, or -1 if len is short.
 */
int		 csv_value_count(void);
const char	*csv_value_name(int i);
int		 csv_format_value(char *buf, size_t len, const struct meter *m,
		    int i, char dec);
/* UTC ISO 8601 with ms: "2026-11-25T06:30:00.123Z". Length or -1. */
int		 csv_format_time(char *buf, size_t len, int64_t wall_ms);

#define CSV_ROW_MAX	2048	/* enough for any row (names are quoted) */

#endif
