/*
 * ui-record.h: CSV from the console. R starts and stops a recording into
 * export_dir/record-YYYYMMDDTHHMMSSZ.csv: one row per meter per poll cycle,
 * offline and foreign meters included, written by the recorder (recorder.h),
 * an engine consumer using export-csv's writer. X writes a snapshot, one
 * row per meter, to export_dir/snapshot-...csv at once. Neither replaces a
 * file: a name taken gets a suffix (-2, -3, ...).
 *
 * This file holds the keys and the words for the status line; the rows
 * and what happens when the disk refuses them are the recorder's.
 */
#ifndef UI_RECORD_H
#define UI_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "engine.h"
#include "err.h"
#include "meter.h"
#include "screen.h"

#define UI_RECORD_KEY_TOGGLE	'R'	/* start / stop recording */
#define UI_RECORD_KEY_SNAPSHOT	'X'	/* one row per meter, now */

struct ui;
struct ui_record;

/* A recorder for the console (not recording yet), added to ui->engine's
 * consumers. NULL without memory. */
struct ui_record *ui_record_new(struct ui *);
/* Stop (writing what it can) and free. NULL is fine. The engine must not
 * publish afterwards (it is stopped, or its loop no longer runs). */
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

/* One row per meter now into export_dir/snapshot-...csv (or a suffixed
 * name; path gets the one written). Rows written, or -1. */
int		 ui_record_snapshot(struct ui *, int64_t wall_ms, char *path,
		    size_t len, struct err *);

/* The status-line text: "REC record-....csv 120 rows"; when idle, why the
 * last start failed, else "". */
void		 ui_record_status(const struct ui_record *, char *buf,
		    size_t len);

/* R toggles recording, X writes a snapshot; messages on the status line. */
enum screen_key	 ui_record_key(struct ui_record *, struct ui *, int ch);

#endif
