/*
 * ui-record.h: CSV from the console. A recording appends one row per meter
 * per poll cycle to export_dir/record-YYYYMMDDTHHMMSSZ.csv through
 * export-csv's CSV_APPEND writer (each row synced before the next); a
 * snapshot writes one row per meter to export_dir/snapshot-...csv at once.
 *
 * No row is lost quietly: when a write fails (disk full, directory gone)
 * the recording is "held": rows queue in memory (up to UI_RECORD_QUEUE_MAX)
 * and are written, in order, once the file takes them again; a partial row
 * the failure left is cut off first. The status line says which file, how
 * many rows, and why it is held; rows dropped from a full queue are counted
 * and shown.
 *
 * The recorder watches the meters itself (an ev_prepare on the loop: a
 * meter whose cycle count grew gets its row), so it needs no hook in the
 * engine's cycle callback.
 */
#ifndef UI_RECORD_H
#define UI_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "engine.h"
#include "err.h"
#include "meter.h"
#include "screen.h"

#define UI_RECORD_QUEUE_MAX	50000	/* rows held in memory */
#define UI_RECORD_KEY_TOGGLE	'R'	/* start / stop recording */
#define UI_RECORD_KEY_SNAPSHOT	'X'	/* one row per meter, now */

struct ui;
struct ui_record;

/* A recorder for the console (not recording yet). NULL without memory. */
struct ui_record *ui_record_new(struct ui *);
/* Stop (writing what it can) and free. NULL is fine. */
void		 ui_record_free(struct ui_record *);

/* Start recording at wall time wall_ms. 0, or -1 with e->msg naming the
 * file and the reason (nothing is recording then). */
int		 ui_record_start(struct ui_record *, int64_t wall_ms,
		    struct err *);
/* Stop; rows still held are tried once more, the rest reported lost. */
void		 ui_record_stop(struct ui_record *);
int		 ui_record_active(const struct ui_record *);
unsigned long	 ui_record_rows(const struct ui_record *);
const char	*ui_record_path(const struct ui_record *);

/* Write meter m's row for its last cycle (once per cycle). */
void		 ui_record_cycle(struct ui_record *, const struct meter *);
/* Write rows held after a failure (the recorder's timer calls it). */
void		 ui_record_retry(struct ui_record *);

/* One row per meter now into export_dir/snapshot-...csv. 0 or -1. */
int		 ui_record_snapshot(struct ui *, int64_t wall_ms, char *path,
		    size_t len, struct err *);

/* The status-line text: "REC record-....csv 120 rows"; when idle, why the
 * last start failed, else "". */
void		 ui_record_status(const struct ui_record *, char *buf,
		    size_t len);

/* R toggles recording, X writes a snapshot; messages on the status line. */
enum screen_key	 ui_record_key(struct ui_record *, struct ui *, int ch);

#endif
