/*
 * recorder.c: the console's CSV recording as an engine consumer (see
 * recorder.h). Rows are formatted and written by export-csv.c; this file
 * writes one for each published cycle while recording, and keeps rows in
 * memory while the file refuses them, writing them back in order once it
 * takes them again. Keys and the status line are ui-record.c's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ev.h>

#include "csv.h"
#include "meter.h"
#include "recorder.h"

struct recorder {
	struct ev_loop		*loop;
	const struct config	*cfg;
	recorder_note_fn	*note;
	void			*note_arg;
	struct csv_writer	*w;		/* NULL while held or idle */
	char			 path[4200];
	char			 err[256];	/* why it is held */
	int			 active;
	int			 held;
	unsigned long		 rows;		/* rows on disk */
	unsigned long		 dropped;	/* rows lost to a full queue */
	char			**q;		/* held rows, oldest first */
	size_t			 qn, qcap;
	ev_timer		 timer;
};

static void
recorder_say(struct recorder *r, const char *fmt, ...)
{
	char	buf[512];
	va_list	ap;

	if (r->note == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	r->note(r->note_arg, buf);
}

/* The file name of a path, for messages. */
static const char *
recorder_base(const char *path)
{
	const char	*b = strrchr(path, '/');

	return b != NULL ? b + 1 : path;
}

static void
recorder_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct recorder	*r = w->data;

	(void)loop;
	(void)revents;
	if (r->held)
		recorder_retry(r);
}

struct recorder *
recorder_new(struct ev_loop *loop, const struct config *cfg,
    recorder_note_fn *note, void *arg)
{
	struct recorder	*r;

	if ((r = calloc(1, sizeof *r)) == NULL)
		return NULL;
	r->loop = loop;
	r->cfg = cfg;
	r->note = note;
	r->note_arg = arg;
	ev_timer_init(&r->timer, recorder_timer_cb, 1.0, 1.0);
	r->timer.data = r;
	return r;
}

static void
recorder_qclear(struct recorder *r)
{
	size_t	i;

	for (i = 0; i < r->qn; i++)
		free(r->q[i]);
	r->qn = 0;
}

void
recorder_free(struct recorder *r)
{
	if (r == NULL)
		return;
	recorder_stop(r);
	free(r->q);
	free(r);
}

int
recorder_start(struct recorder *r, const char *path, struct err *e)
{
	if (r->active)
		return err_set(e, "already recording to %s", r->path);
	if ((r->w = csv_open_new(path, CSV_APPEND, r->cfg->csv_dialect, e)) ==
	    NULL)
		return -1;
	snprintf(r->path, sizeof r->path, "%s", csv_path(r->w));
	if (csv_header(r->w, e) == -1) {
		csv_abort(r->w);
		r->w = NULL;
		unlink(r->path);
		return -1;
	}
	r->active = 1;
	r->held = 0;
	r->rows = r->dropped = 0;
	r->err[0] = '\0';
	ev_timer_again(r->loop, &r->timer);
	return 0;
}

/* Keep a formatted row in memory; the oldest goes when the queue is full. */
static void
recorder_enqueue(struct recorder *r, const struct meter *m)
{
	char	 line[CSV_ROW_MAX];
	char	**nq;
	size_t	 ncap;

	if (csv_format_row(line, sizeof line, m, &r->cfg->buses[m->conf->bus],
	    r->cfg->csv_dialect) < 0)
		return;
	if (r->qn == RECORDER_QUEUE_MAX) {
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

/* A meter completed a cycle: its row, or held in memory. */
static void
recorder_cycle(void *state, const struct meter *m)
{
	struct recorder	*r = state;
	struct err	 e = { "", 0 };

	if (!r->active)
		return;
	if (!r->held) {
		if (csv_row(r->w, m, &r->cfg->buses[m->conf->bus], &e) == 0) {
			r->rows++;
			return;
		}
		/* The row may be half on disk: retry cuts it and writes it. */
		csv_abort(r->w);
		r->w = NULL;
		r->held = 1;
		snprintf(r->err, sizeof r->err, "%s", e.msg);
		recorder_say(r, "recording held: %s (rows kept in memory)",
		    e.msg);
	}
	recorder_enqueue(r, m);
}

const struct consumer_ops recorder_consumer = {
	.name = "recorder",
	.cycle = recorder_cycle,
};

/* Cut a partial last line off fd (size bytes). Returns the new size. */
static off_t
recorder_trim(int fd, off_t size)
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
recorder_put(int fd, const char *s, off_t *size)
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
recorder_retry(struct recorder *r)
{
	struct err	e = { "", 0 };
	char		hdr[CSV_ROW_MAX];
	struct stat	st;
	size_t		done = 0, i;
	off_t		size;
	int		fd;

	if (!r->held)
		return;
	/* our own file, under the name chosen at start */
	if ((fd = open(r->path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC,
	    0666)) == -1 || fstat(fd, &st) == -1) {
		snprintf(r->err, sizeof r->err, "%s", strerror(errno));
		if (fd != -1)
			close(fd);
		return;
	}
	size = recorder_trim(fd, st.st_size);
	if (size == 0 && csv_format_header(hdr, sizeof hdr,
	    r->cfg->csv_dialect) > 0 && recorder_put(fd, hdr, &size) == -1)
		goto fail;
	for (done = 0; done < r->qn; done++)
		if (recorder_put(fd, r->q[done], &size) == -1)
			goto fail;
	close(fd);
	recorder_qclear(r);
	r->rows += done;
	if ((r->w = csv_open(r->path, CSV_APPEND, r->cfg->csv_dialect, &e)) ==
	    NULL) {
		snprintf(r->err, sizeof r->err, "%s", e.msg);
		return;
	}
	r->held = 0;
	r->err[0] = '\0';
	recorder_say(r, "recording resumed: %zu held rows written to %s",
	    done, recorder_base(r->path));
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
recorder_stop(struct recorder *r)
{
	struct err	e = { "", 0 };
	unsigned long	lost;

	if (r == NULL || !r->active)
		return;
	if (r->held)
		recorder_retry(r);
	lost = r->qn;
	recorder_qclear(r);
	r->dropped += lost;
	if (r->w != NULL && csv_close(r->w, &e) == -1)
		snprintf(r->err, sizeof r->err, "%s", e.msg);
	r->w = NULL;
	r->active = r->held = 0;
	ev_timer_stop(r->loop, &r->timer);
}

int
recorder_active(const struct recorder *r)
{
	return r != NULL && r->active;
}

int
recorder_held(const struct recorder *r)
{
	return r != NULL && r->held;
}

unsigned long
recorder_rows(const struct recorder *r)
{
	return r->rows;
}

unsigned long
recorder_dropped(const struct recorder *r)
{
	return r->dropped;
}

size_t
recorder_queued(const struct recorder *r)
{
	return r->qn;
}

const char *
recorder_path(const struct recorder *r)
{
	return r->path;
}

const char *
recorder_error(const struct recorder *r)
{
	return r->err;
}
