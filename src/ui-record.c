/*
 * ui-record.c: console CSV recordings and snapshots. Rows are formatted and
 * written by export-csv.c (CSV_APPEND for recordings, CSV_ATOMIC for
 * snapshots); this file decides when a row is due (a meter's cycle count
 * grew), and keeps rows in memory while the file refuses them, writing them
 * back in order once it takes them again. Drawing the status is the
 * caller's: ui_record_status gives the words.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "export-csv.h"
#include "ui-record.h"
#include "ui.h"

struct ui_record {
	struct ui		*ui;
	struct csv_writer	*w;		/* NULL while held or idle */
	char			 path[4096];
	char			 err[256];	/* why it is held */
	char			 last[300];	/* why the last start failed */
	int			 active;
	int			 held;
	unsigned long		 rows;		/* rows on disk */
	unsigned long		 dropped;	/* rows lost to a full queue */
	char			**q;		/* held rows, oldest first */
	size_t			 qn, qcap;
	uint64_t		*seen;		/* cycles recorded, per meter */
	int			 n;
	ev_prepare		 prep;
	ev_timer		 timer;
};

/* The file name of a path, for the status line. */
static const char *
ui_record_base(const char *path)
{
	const char	*b = strrchr(path, '/');

	return b != NULL ? b + 1 : path;
}

static void
ui_record_prepare_cb(UNUSED struct ev_loop *loop, ev_prepare *w,
    UNUSED int revents)
{
	struct ui_record	*r = container_of(w, struct ui_record, prep);
	int			 i;

	if (!r->active)
		return;
	for (i = 0; i < r->n && i < ui_nmeters(r->ui); i++)
		ui_record_cycle(r, ui_meter_at(r->ui, i));
}

static void
ui_record_timer_cb(UNUSED struct ev_loop *loop, ev_timer *w,
    UNUSED int revents)
{
	struct ui_record	*r = container_of(w, struct ui_record, timer);

	if (r->held)
		ui_record_retry(r);
}

struct ui_record *
ui_record_new(struct ui *ui)
{
	struct ui_record	*r;

	if ((r = calloc(1, sizeof *r)) == NULL)
		return NULL;
	r->ui = ui;
	r->n = ui_nmeters(ui);
	if (r->n > 0 && (r->seen = calloc((size_t)r->n, sizeof *r->seen)) ==
	    NULL) {
		free(r);
		return NULL;
	}
	ev_prepare_init(&r->prep, ui_record_prepare_cb);
	ev_timer_init(&r->timer, ui_record_timer_cb, 1.0, 1.0);
	return r;
}

static void
ui_record_qclear(struct ui_record *r)
{
	size_t	i;

	for (i = 0; i < r->qn; i++)
		free(r->q[i]);
	r->qn = 0;
}

void
ui_record_free(struct ui_record *r)
{
	if (r == NULL)
		return;
	ui_record_stop(r);
	free(r->q);
	free(r->seen);
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

int
ui_record_start(struct ui_record *r, int64_t wall_ms, struct err *e)
{
	const struct config	*cfg = r->ui->cfg;
	time_t			 t = (time_t)(wall_ms / 1000);
	struct tm		 tm;
	char			 stamp[32];
	int			 i;

	if (r->active)
		return err_set(e, "already recording to %s", r->path);
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
	if ((size_t)snprintf(r->path, sizeof r->path, "%s/record-%s.csv",
	    cfg->export_dir, stamp) >= sizeof r->path)
		return err_set(e, "cannot record: export_dir too long");
	r->last[0] = '\0';
	if ((r->w = csv_open(r->path, CSV_APPEND, cfg->csv_dialect, e)) ==
	    NULL)
		return ui_record_failed(r, e);
	if (csv_header(r->w, e) == -1) {
		csv_abort(r->w);
		r->w = NULL;
		unlink(r->path);
		return ui_record_failed(r, e);
	}
	r->active = 1;
	r->held = 0;
	r->rows = r->dropped = 0;
	r->err[0] = '\0';
	for (i = 0; i < r->n && i < ui_nmeters(r->ui); i++)
		r->seen[i] = ui_meter_at(r->ui, i)->cycles;
	ev_prepare_start(r->ui->loop, &r->prep);
	ev_timer_again(r->ui->loop, &r->timer);
	return 0;
}

/* Keep a formatted row in memory; the oldest goes when the queue is full. */
static void
ui_record_enqueue(struct ui_record *r, const struct meter *m)
{
	const struct config	*cfg = r->ui->cfg;
	char			 line[CSV_ROW_MAX];
	char			**nq;
	size_t			 ncap;

	if (csv_format_row(line, sizeof line, m, &cfg->buses[m->conf->bus],
	    cfg->csv_dialect) < 0)
		return;
	if (r->qn == UI_RECORD_QUEUE_MAX) {
		free(r->q[0]);
		memmove(r->q, r->q + 1, (r->qn - 1) * sizeof *r->q);
		r->qn--;
		r->dropped++;
	}
	if (r->qn == r->qcap) {
		ncap = r->qcap ? r->qcap * 2 : 64;
		if ((nq = realloc(r->q, ncap * sizeof *nq)) == NULL) {
			r->dropped++;
			return;
		}
		r->q = nq;
		r->qcap = ncap;
	}
	if ((r->q[r->qn] = strdup(line)) == NULL) {
		r->dropped++;
		return;
	}
	r->qn++;
}

void
ui_record_cycle(struct ui_record *r, const struct meter *m)
{
	const struct config	*cfg = r->ui->cfg;
	struct err		 e = { "", 0 };

	if (!r->active || m->index < 0 || m->index >= r->n ||
	    m->cycles <= r->seen[m->index])
		return;
	r->seen[m->index] = m->cycles;
	if (!r->held) {
		if (csv_row(r->w, m, &cfg->buses[m->conf->bus], &e) == 0) {
			r->rows++;
			return;
		}
		/* The row may be half on disk: retry cuts it and writes it. */
		csv_abort(r->w);
		r->w = NULL;
		r->held = 1;
		snprintf(r->err, sizeof r->err, "%s", e.msg);
		ui_message(r->ui, "recording held: %s (rows kept in memory)",
		    e.msg);
	}
	ui_record_enqueue(r, m);
}

/* Cut a partial last line off fd (size bytes). Returns the new size. */
static off_t
ui_record_trim(int fd, off_t size)
{
	char	buf[4096];
	off_t	pos = size, at;
	ssize_t	n;
	int	i;

	while (pos > 0) {
		at = pos > (off_t)sizeof buf ? pos - (off_t)sizeof buf : 0;
		if ((n = pread(fd, buf, (size_t)(pos - at), at)) <= 0)
			return size;
		for (i = (int)n - 1; i >= 0; i--) {
			if (buf[i] == '\n') {
				if (at + i + 1 != size &&
				    ftruncate(fd, at + i + 1) == -1)
					return size;
				return at + i + 1;
			}
		}
		pos = at;
	}
	return ftruncate(fd, 0) == -1 ? size : 0;
}

/* Write all of s to fd and sync; on failure cut back to size. */
static int
ui_record_put(int fd, const char *s, off_t *size)
{
	size_t	len = strlen(s), done = 0;
	ssize_t	n;

	while (done < len) {
		n = write(fd, s + done, len - done);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		done += (size_t)n;
	}
	if (fdatasync(fd) == -1 && errno != EINVAL)
		goto fail;
	*size += (off_t)len;
	return 0;
fail:
	n = errno;
	if (ftruncate(fd, *size) == -1) {
		/* nothing more to do: the next retry trims again */
	}
	errno = (int)n;
	return -1;
}

void
ui_record_retry(struct ui_record *r)
{
	const struct config	*cfg = r->ui->cfg;
	struct err		 e = { "", 0 };
	char			 hdr[CSV_ROW_MAX];
	struct stat		 st;
	size_t			 done = 0, i;
	off_t			 size;
	int			 fd;

	if (!r->held)
		return;
	if ((fd = open(r->path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC,
	    0666)) == -1 || fstat(fd, &st) == -1) {
		snprintf(r->err, sizeof r->err, "%s", strerror(errno));
		if (fd != -1)
			close(fd);
		return;
	}
	size = ui_record_trim(fd, st.st_size);
	if (size == 0 && csv_format_header(hdr, sizeof hdr,
	    cfg->csv_dialect) > 0 && ui_record_put(fd, hdr, &size) == -1)
		goto fail;
	for (done = 0; done < r->qn; done++)
		if (ui_record_put(fd, r->q[done], &size) == -1)
			goto fail;
	close(fd);
	ui_record_qclear(r);
	r->rows += done;
	if ((r->w = csv_open(r->path, CSV_APPEND, cfg->csv_dialect, &e)) ==
	    NULL) {
		snprintf(r->err, sizeof r->err, "%s", e.msg);
		return;
	}
	r->held = 0;
	r->err[0] = '\0';
	ui_message(r->ui, "recording resumed: %zu held rows written to %s",
	    done, ui_record_base(r->path));
	return;
fail:
	snprintf(r->err, sizeof r->err, "%s", strerror(errno));
	close(fd);
	for (i = 0; i < done; i++)
		free(r->q[i]);
	memmove(r->q, r->q + done, (r->qn - done) * sizeof *r->q);
	r->qn -= done;
	r->rows += done;
}

void
ui_record_stop(struct ui_record *r)
{
	struct err	e = { "", 0 };
	unsigned long	lost;

	if (r == NULL || !r->active)
		return;
	if (r->held)
		ui_record_retry(r);
	lost = r->qn;
	ui_record_qclear(r);
	r->dropped += lost;
	if (r->w != NULL && csv_close(r->w, &e) == -1)
		snprintf(r->err, sizeof r->err, "%s", e.msg);
	r->w = NULL;
	r->active = r->held = 0;
	ev_prepare_stop(r->ui->loop, &r->prep);
	ev_timer_stop(r->ui->loop, &r->timer);
	if (r->dropped > 0)
		ui_message(r->ui, "recording stopped: %lu rows in %s; %lu rows "
		    "could not be written (%s)", r->rows,
		    ui_record_base(r->path), r->dropped, r->err);
	else
		ui_message(r->ui, "recording stopped: %lu rows in %s", r->rows,
		    ui_record_base(r->path));
}

int
ui_record_active(const struct ui_record *r)
{
	return r != NULL && r->active;
}

unsigned long
ui_record_rows(const struct ui_record *r)
{
	return r->rows;
}

const char *
ui_record_path(const struct ui_record *r)
{
	return r->path;
}

int
ui_record_snapshot(struct ui *ui, int64_t wall_ms, char *path, size_t len,
    struct err *e)
{
	const struct config	*cfg = ui->cfg;
	const struct meter	*m;
	struct csv_writer	*w;
	time_t			 t = (time_t)(wall_ms / 1000);
	struct tm		 tm;
	char			 stamp[32];
	int			 i;

	gmtime_r(&t, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
	if ((size_t)snprintf(path, len, "%s/snapshot-%s.csv", cfg->export_dir,
	    stamp) >= len)
		return err_set(e, "snapshot: export_dir too long");
	if ((w = csv_open(path, CSV_ATOMIC, cfg->csv_dialect, e)) == NULL)
		return -1;
	if (csv_header(w, e) == -1)
		goto fail;
	for (i = 0; i < ui_nmeters(ui); i++) {
		m = ui_meter_at(ui, i);
		if (csv_row(w, m, &cfg->buses[m->conf->bus], e) == -1)
			goto fail;
	}
	return csv_close(w, e) == -1 ? -1 : i;
fail:
	csv_abort(w);
	return -1;
}

void
ui_record_status(const struct ui_record *r, char *buf, size_t len)
{
	const char	*base;

	buf[0] = '\0';
	if (r != NULL && !r->active && r->last[0] != '\0')
		snprintf(buf, len, "%s", r->last);
	if (r == NULL || !r->active)
		return;
	base = ui_record_base(r->path);
	if (r->held)
		snprintf(buf, len, "REC HELD %s: %zu rows waiting, %lu written%s",
		    r->err, r->qn, r->rows, r->dropped ? ", some lost" : "");
	else
		snprintf(buf, len, "REC %s %lu rows%s", base, r->rows,
		    r->dropped ? " (some lost)" : "");
}

enum screen_key
ui_record_key(struct ui_record *r, struct ui *ui, int ch)
{
	struct err	e = { "", 0 };
	char		path[4200];
	int		n;

	if (r == NULL)
		return SCREEN_IGNORED;
	switch (ch) {
	case UI_RECORD_KEY_TOGGLE:
		if (r->active)
			ui_record_stop(r);
		else if (ui_record_start(r, engine_wall_ms(), &e) == -1)
			ui_message(ui, "cannot record: %s", e.msg);
		else
			ui_message(ui, "recording to %s in %s", ui_record_base(
			    r->path), ui->cfg->export_dir);
		return SCREEN_HANDLED;
	case UI_RECORD_KEY_SNAPSHOT:
		if ((n = ui_record_snapshot(ui, engine_wall_ms(), path,
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
