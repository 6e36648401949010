/*
 * ui-record.c: the recording overlay: the console's R (recording) and X
 * (snapshot) keys and what the status line says about them. R starts and
 * stops a recording into export_dir/record-YYYYMMDDTHHMMSSZ.csv: one row
 * per meter per poll cycle, offline and foreign meters included. X writes
 * a snapshot, one row per meter, to export_dir/snapshot-...csv at once.
 * Neither replaces a file: a name taken gets a suffix (-2, -3, ...).
 *
 * The recording itself is the recorder's (src/export/recorder.c), an
 * engine consumer that writes a row for every published cycle; snapshots
 * go through the CSV writer at once. This file holds the keys and the
 * words; the rows and what happens when the disk refuses them are the
 * recorder's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "consumer.h"
#include "csv.h"
#include "recorder.h"
#include "screen.h"

#define UI_RECORD_KEY_TOGGLE	'R'	/* start / stop recording */
#define UI_RECORD_KEY_SNAPSHOT	'X'	/* one row per meter, now */

struct ui_record {
	struct ui	*ui;
	struct recorder	*rec;
	char		 last[300];	/* why the last start failed */
};

static void	ui_record_stop(struct ui_record *);

/* The file name of a path, for the status line. */
static const char *
ui_record_base(const char *path)
{
	const char	*b = strrchr(path, '/');

	return b != NULL ? b + 1 : path;
}

static void
ui_record_note_cb(void *arg, const char *text)
{
	struct ui_record	*r = arg;

	ui_message(r->ui, "%s", text);
}

static void *
ui_record_new(struct ui *ui)
{
	struct ui_record	*r;

	if ((r = calloc(1, sizeof *r)) == NULL)
		return NULL;
	r->ui = ui;
	r->rec = recorder_new(ui->loop, ui->cfg, ui_record_note_cb, r);
	if (r->rec == NULL || (ui->engine != NULL && engine_add_consumer(
	    ui->engine, &recorder_consumer, r->rec) == -1)) {
		recorder_free(r->rec);
		free(r);
		return NULL;
	}
	return r;
}

static void
ui_record_free(void *arg)
{
	struct ui_record	*r = arg;

	if (r == NULL)
		return;
	ui_record_stop(r);
	recorder_free(r->rec);
	free(r);
}

/* A start failed: keep the reason with export_dir, short enough to show. */
static int
ui_record_failed(struct ui_record *r, struct err *e)
{
	const char	*why = strrchr(e->msg, ':');

	snprintf(r->last, sizeof r->last, "not recording: %.160s: %.100s",
	    r->ui->cfg->export_dir, why != NULL ? why + 2 : e->msg);
	return err_set(e, "%s", r->last + strlen("not recording: "));
}

/* export_dir/PREFIX-YYYYMMDDTHHMMSSZ.csv for wall time wall_ms. */
static int
ui_record_name(const struct ui *ui, const char *prefix, int64_t wall_ms,
    char *path, size_t len)
{
	time_t		t = (time_t)(wall_ms / 1000);
	struct tm	tm;
	char		stamp[32];

	gmtime_r(&t, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
	return (size_t)snprintf(path, len, "%s/%s-%s.csv", ui->cfg->export_dir,
	    prefix, stamp) >= len ? -1 : 0;
}

static int
ui_record_start(struct ui_record *r, int64_t wall_ms, struct err *e)
{
	char	path[4200];

	if (recorder_active(r->rec))
		return err_set(e, "already recording to %s",
		    recorder_path(r->rec));
	if (ui_record_name(r->ui, "record", wall_ms, path, sizeof path) == -1)
		return err_set(e, "cannot record: export_dir too long");
	r->last[0] = '\0';
	if (recorder_start(r->rec, path, e) == -1)
		return ui_record_failed(r, e);
	return 0;
}

static void
ui_record_stop(struct ui_record *r)
{
	struct recorder	*rec;

	if (r == NULL || !recorder_active(r->rec))
		return;
	rec = r->rec;
	recorder_stop(rec);
	if (recorder_dropped(rec) > 0)
		ui_message(r->ui, "recording stopped: %lu rows in %s; %lu rows "
		    "could not be written (%s)", recorder_rows(rec),
		    ui_record_base(recorder_path(rec)), recorder_dropped(rec),
		    recorder_error(rec));
	else
		ui_message(r->ui, "recording stopped: %lu rows in %s",
		    recorder_rows(rec), ui_record_base(recorder_path(rec)));
}

static int
ui_record_active(const struct ui_record *r)
{
	return r != NULL && recorder_active(r->rec);
}

static const char *
ui_record_path(const struct ui_record *r)
{
	return recorder_path(r->rec);
}

static int
ui_record_snapshot(struct ui *ui, int64_t wall_ms, char *path, size_t len,
    struct err *e)
{
	const struct config	*cfg = ui->cfg;
	const struct meter	*m;
	struct csv_writer	*w;
	int			 i;

	if (ui_record_name(ui, "snapshot", wall_ms, path, len) == -1)
		return err_set(e, "snapshot: export_dir too long");
	if ((w = csv_open_new(path, CSV_ATOMIC, cfg->csv_dialect, e)) == NULL)
		return -1;
	if (csv_header(w, e) == -1)
		goto fail;
	for (i = 0; i < ui_nmeters(ui); i++) {
		m = ui_meter_at(ui, i);
		if (csv_row(w, m, &cfg->buses[m->conf->bus], e) == -1)
			goto fail;
	}
	return csv_finish(w, path, len, e) == -1 ? -1 : i;
fail:
	csv_abort(w);
	return -1;
}

static void
ui_record_status(const void *arg, char *buf, size_t len)
{
	const struct ui_record	*r = arg;
	const struct recorder	*rec;

	buf[0] = '\0';
	if (r == NULL)
		return;
	rec = r->rec;
	if (!recorder_active(rec)) {
		if (r->last[0] != '\0')
			snprintf(buf, len, "%s", r->last);
		return;
	}
	if (recorder_held(rec))
		snprintf(buf, len, "REC HELD %s: %zu rows waiting, %lu written%s",
		    recorder_error(rec), recorder_queued(rec),
		    recorder_rows(rec), recorder_dropped(rec) ?
		    ", some lost" : "");
	else
		snprintf(buf, len, "REC %s %lu rows%s",
		    ui_record_base(recorder_path(rec)), recorder_rows(rec),
		    recorder_dropped(rec) ? " (some lost)" : "");
}

static enum screen_key
ui_record_key(void *arg, struct ui *ui, int ch)
{
	struct ui_record	*r = arg;
	struct err	e = { "", 0 };
	char		path[4200];
	int		n;

	if (r == NULL)
		return SCREEN_IGNORED;
	switch (ch) {
	case UI_RECORD_KEY_TOGGLE:
		if (ui_record_active(r))
			ui_record_stop(r);
		else if (ui_record_start(r, clock_wall_ms(), &e) == -1)
			ui_message(ui, "cannot record: %s", e.msg);
		else
			ui_message(ui, "recording to %s in %s", ui_record_base(
			    ui_record_path(r)), ui->cfg->export_dir);
		return SCREEN_HANDLED;
	case UI_RECORD_KEY_SNAPSHOT:
		if ((n = ui_record_snapshot(ui, clock_wall_ms(), path,
		    sizeof path, &e)) == -1)
			ui_message(ui, "snapshot failed: %s", e.msg);
		else
			ui_message(ui, "snapshot: %d rows in %s", n,
			    ui_record_base(path));
		return SCREEN_HANDLED;
	default:
		return SCREEN_IGNORED;
	}
}

static const struct screen_help ui_record_keys[] = {
	{ "R", "start / stop recording every poll to CSV (export_dir)" },
	{ "X", "snapshot: one CSV row per meter, now" },
	{ NULL, NULL }
};

const struct overlay_ops overlay_record = {
	.name = "record",
	.open = ui_record_new,
	.close = ui_record_free,
	.key = ui_record_key,
	.status = ui_record_status,
	.status_line = 1,
	.keys = ui_record_keys,
};
