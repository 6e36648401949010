/*
 * lc-fetch.c: page through a meter's load curve with engine_submit_ops,
 * one block at a time, merging each into a struct lc_curve. Runs on the
 * loop thread only; the bus work happens on the meter's bus worker. The
 * decoding and the curve are loadcurve.c's; drawing is the screen's.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ev.h>

#include "clock.h"
#include "lc-fetch.h"
#include "regmap.h"
#include "stats.h"

#define LCF_TRIES	8	/* requests per page before giving up */
#define LCF_BACKOFF_S	0.05	/* first wait before a retry; doubles */
#define LCF_BACKOFF_MAX	2.0
#define LCF_PAGES_CAP	1000	/* 29 000 records: 300 days at 900 s */

struct lc_fetch {
	struct engine		*eng;
	struct ev_loop		*loop;
	ev_timer		 backoff;	/* wait before a retry */
	int			 meter;
	int64_t			 depth_s;
	int			 max_pages;
	lc_fetch_cb		*cb;
	void			*arg;

	struct lc_curve		 curve;
	struct lc_fetch_progress prog;
	struct engine_op	 ops[2];
	int			 nops;
	int			 in_flight;	/* a transaction is queued */
	int			 orphan;	/* freed while in flight or in cb */
	int			 in_cb;		/* the owner's callback runs */
	int			 cancel;
	int			 next;		/* 0: reset phase; 1: paging back */
	int			 need_cmd;	/* send the command before the read */
	int			 uncertain;	/* a NEXT whose fate is unknown */
	int			 tries;		/* failed requests of this page */
	int			 waited;	/* the backoff wait is over */
	int64_t			 prev_oldest;	/* oldest stamp of the last page */
	uint64_t		 bus_us;
};

static void	lc_fetch_backoff_cb(struct ev_loop *, ev_timer *, int);

struct lc_fetch *
lc_fetch_new(struct engine *eng, struct ev_loop *loop, int meter,
    int64_t depth_s, int max_pages, lc_fetch_cb *cb, void *arg)
{
	struct lc_fetch	*f;

	if ((f = calloc(1, sizeof *f)) == NULL)
		return NULL;
	f->eng = eng;
	f->loop = loop;
	ev_timer_init(&f->backoff, lc_fetch_backoff_cb, 0, 0);
	f->meter = meter;
	f->depth_s = depth_s > 0 ? depth_s : 0;
	f->max_pages = max_pages > 0 && max_pages < LCF_PAGES_CAP ? max_pages :
	    LCF_PAGES_CAP;
	f->cb = cb;
	f->arg = arg;
	lc_curve_init(&f->curve);
	return f;
}

static void	lc_fetch_ops_cb(void *, struct engine_op *, int);
static void	lc_fetch_next(struct lc_fetch *);
static int	lc_fetch_notify(struct lc_fetch *);

/* Queue the next transaction: [command,] read of the block. */
static int
lc_fetch_submit(struct lc_fetch *f, struct err *e)
{
	struct engine_op	*op = f->ops;

	memset(f->ops, 0, sizeof f->ops);
	f->nops = 0;
	if (f->need_cmd) {
		op->write = 1;
		op->addr = regmap_get(REG_LC_COMMAND)->addr;
		op->count = 1;
		op->words[0] = f->next ? LC_CMD_NEXT : LC_CMD_RESET;
		op++;
		f->nops++;
	}
	op->addr = regmap_get(REG_LC_RECORD_COUNT)->addr;
	op->count = LC_BLOCK_WORDS;
	f->nops++;
	if (engine_submit_ops(f->eng, f->meter, f->ops, f->nops,
	    lc_fetch_ops_cb, f, e) == -1)
		return -1;
	f->in_flight = 1;
	return 0;
}

int
lc_fetch_start(struct lc_fetch *f, struct err *e)
{
	if (f->in_flight || ev_is_active(&f->backoff))
		return err_set(e, "load curve: a read is already running");
	lc_curve_release(&f->curve);
	memset(&f->prog, 0, sizeof f->prog);
	f->prog.state = LCF_RUNNING;
	f->prog.pages_max = f->max_pages;
	f->prog.eta_ms = -1;
	f->prog.started_ms = clock_mono_ms();
	f->cancel = f->next = f->uncertain = f->tries = 0;
	f->need_cmd = 1;
	f->bus_us = 0;
	if (lc_fetch_submit(f, e) == -1) {
		f->prog.state = LCF_FAILED;
		snprintf(f->prog.msg, sizeof f->prog.msg, "%.159s", e->msg);
		return -1;
	}
	return 0;
}

void
lc_fetch_cancel(struct lc_fetch *f)
{
	if (f->prog.state == LCF_RUNNING)
		f->cancel = 1;
	if (ev_is_active(&f->backoff)) {	/* nothing in flight: end now */
		ev_timer_stop(f->loop, &f->backoff);
		lc_fetch_next(f);
	}
}

void
lc_fetch_free(struct lc_fetch *f)
{
	if (f == NULL)
		return;
	if (f->in_flight || f->in_cb) {
		f->orphan = 1;		/* lc_fetch_ops_cb frees it */
		f->cb = NULL;
		return;
	}
	ev_timer_stop(f->loop, &f->backoff);
	lc_curve_release(&f->curve);
	free(f);
}

const struct lc_curve *
lc_fetch_curve(const struct lc_fetch *f)
{
	return &f->curve;
}

const struct lc_fetch_progress *
lc_fetch_progress(const struct lc_fetch *f)
{
	return &f->prog;
}

int
lc_fetch_meter(const struct lc_fetch *f)
{
	return f->meter;
}

uint64_t
lc_fetch_bus_us(const struct lc_fetch *f)
{
	return f->bus_us;
}

static const char *
lc_fetch_outcome_word(const struct engine_op *op, char *buf, size_t len)
{
	switch (op->outcome) {
	case ST_TIMEOUT:
		return "timeout";
	case ST_CRC:
		return "CRC error";
	case ST_EXCEPTION:
		snprintf(buf, len, "exception %d", op->exc_code);
		return buf;
	case ST_IO:
		return "I/O error";
	default:
		return "answer";
	}
}

/* End the fetch with a state and a message; tell the owner. */
static void
lc_fetch_end(struct lc_fetch *f, enum lc_fetch_state st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
lc_fetch_end(struct lc_fetch *f, enum lc_fetch_state st, const char *fmt, ...)
{
	va_list	ap;

	f->prog.state = st;
	f->prog.eta_ms = 0;
	va_start(ap, fmt);
	vsnprintf(f->prog.msg, sizeof f->prog.msg, fmt, ap);
	va_end(ap);
}

/* The newest stamp of a block, or -1 when it is empty. */
static int64_t
lc_block_newest(const struct lc_block *b)
{
	int64_t	t = -1;
	int	i;

	for (i = 0; i < b->nrec; i++)
		if (b->rec[i].t2000 > t)
			t = b->rec[i].t2000;
	return t;
}

static int64_t
lc_block_oldest(const struct lc_block *b)
{
	int64_t	t = -1;
	int	i;

	for (i = 0; i < b->nrec; i++)
		if (t < 0 || b->rec[i].t2000 < t)
			t = b->rec[i].t2000;
	return t;
}

/* Progress figures after a page: the page estimate and the time left. */
static void
lc_fetch_estimate(struct lc_fetch *f)
{
	int64_t	per, est;

	f->prog.elapsed_ms = clock_mono_ms() - f->prog.started_ms;
	if (f->depth_s > 0 && f->curve.period_s > 0) {
		est = (f->depth_s / f->curve.period_s + LC_MAX_RECS - 1) /
		    LC_MAX_RECS + 1;
		f->prog.pages_max = (int)(est < f->max_pages ? est :
		    f->max_pages);
	}
	if (f->prog.pages_max < f->prog.pages)
		f->prog.pages_max = f->prog.pages;
	per = f->prog.pages ? f->prog.elapsed_ms / f->prog.pages : 0;
	f->prog.eta_ms = per * (f->prog.pages_max - f->prog.pages);
}

/*
 * Take an accepted block: merge it, decide whether to go on. Returns 1 to
 * read the next page, 0 when the fetch ended.
 */
static int
lc_fetch_accept(struct lc_fetch *f, const struct lc_block *b)
{
	struct err	e;
	size_t		before = f->curve.n;
	int64_t		newest;

	if (lc_curve_add(&f->curve, b, &e) == -1) {
		lc_fetch_end(f, LCF_FAILED, "%s", e.msg);
		return 0;
	}
	f->prog.pages++;
	f->tries = 0;
	f->uncertain = 0;
	if (b->nrec > 0)
		f->prev_oldest = lc_block_oldest(b);
	lc_fetch_estimate(f);
	if (b->hdr.count < LC_MAX_RECS) {
		lc_fetch_end(f, LCF_DONE, "oldest block reached: %zu records "
		    "in %d pages", f->curve.n, f->prog.pages);
		return 0;
	}
	if (f->next && f->curve.n == before) {
		lc_fetch_end(f, LCF_DONE, "the meter served the same block "
		    "again: stopped at %zu records", f->curve.n);
		return 0;
	}
	newest = f->curve.n ? f->curve.rec[f->curve.n - 1].t2000 : 0;
	if (f->depth_s > 0 && f->curve.n > 0 &&
	    f->curve.rec[0].t2000 <= newest - f->depth_s) {
		lc_fetch_end(f, LCF_DONE, "%lld days read: %zu records in %d "
		    "pages", (long long)(f->depth_s / 86400), f->curve.n,
		    f->prog.pages);
		return 0;
	}
	if (f->prog.pages >= f->max_pages) {
		lc_fetch_end(f, LCF_DONE, "page limit (%d) reached: %zu "
		    "records", f->max_pages, f->curve.n);
		return 0;
	}
	f->next = 1;
	f->need_cmd = 1;
	return 1;
}

/*
 * One transaction came back. Returns 1 to submit the next one, 0 when the
 * fetch ended (state and message set).
 */
static int
lc_fetch_step(struct lc_fetch *f)
{
	struct engine_op	*cmd = f->nops == 2 ? &f->ops[0] : NULL;
	struct engine_op	*rd = &f->ops[f->nops - 1];
	struct lc_block		 b;
	struct err		 e;
	char			 w[24];
	int			 cmd_ok, i;

	for (i = 0; i < f->nops; i++)
		f->bus_us += f->ops[i].lat_us;
	cmd_ok = cmd == NULL || cmd->outcome == ST_ANSWER;
	if (cmd != NULL && cmd->outcome == ST_EXCEPTION) {
		lc_fetch_end(f, LCF_FAILED, "the meter refused the load-curve "
		    "command 0x%04X: exception %d", cmd->words[0],
		    cmd->exc_code);
		return 0;
	}
	if (rd->outcome == ST_EXCEPTION) {
		lc_fetch_end(f, LCF_FAILED, "the meter refused the block read: "
		    "exception %d", rd->exc_code);
		return 0;
	}
	if (rd->outcome == ST_ANSWER) {
		if (lc_decode_block(rd->words, rd->count, &b, &e) == -1) {
			lc_fetch_end(f, LCF_FAILED, "page %d: %s",
			    f->prog.pages + 1, e.msg);
			return 0;
		}
		if (cmd != NULL && !cmd_ok)
			f->uncertain = f->next;
		if (!f->uncertain && cmd_ok)
			return lc_fetch_accept(f, &b);
		if (f->uncertain && (b.nrec == 0 ||
		    lc_block_newest(&b) < f->prev_oldest))
			return lc_fetch_accept(f, &b);	/* NEXT was applied */
		/* RESET failed, or NEXT not applied: send it again */
		f->uncertain = 0;
		f->need_cmd = 1;
	} else {
		/* No block: keep the pointer unless the command is unsure. */
		if (cmd != NULL && !cmd_ok && f->next)
			f->uncertain = 1;
		f->need_cmd = !cmd_ok && !f->next;
		if (cmd_ok && cmd != NULL)
			f->need_cmd = 0;
	}
	f->prog.retries++;
	if (++f->tries >= LCF_TRIES) {
		lc_fetch_end(f, LCF_FAILED, "page %d: %s after %d tries",
		    f->prog.pages + 1, lc_fetch_outcome_word(cmd_ok ? rd : cmd,
		    w, sizeof w), LCF_TRIES);
		return 0;
	}
	return 1;
}

/* Tell the owner; returns 1 when the owner freed the fetch meanwhile. */
static int
lc_fetch_notify(struct lc_fetch *f)
{
	f->prog.elapsed_ms = clock_mono_ms() - f->prog.started_ms;
	if (f->cb != NULL) {
		f->in_cb = 1;
		f->cb(f->arg, f);
		f->in_cb = 0;
	}
	if (f->orphan) {
		lc_fetch_free(f);
		return 1;
	}
	return 0;
}

/*
 * Queue the next transaction (after a wait when it repeats a failed one),
 * or end on cancel; tell the owner when the fetch ended.
 */
static void
lc_fetch_next(struct lc_fetch *f)
{
	struct err	 e;
	double		 wait;

	if (f->cancel)
		lc_fetch_end(f, LCF_CANCELLED, "cancelled: %zu records in %d "
		    "pages", f->curve.n, f->prog.pages);
	else if (f->tries > 0 && !ev_is_active(&f->backoff) &&
	    !f->waited) {
		/* a loaded line or host fails in bursts: wait, doubling */
		wait = LCF_BACKOFF_S * (double)(1 << (f->tries - 1));
		ev_timer_set(&f->backoff, wait > LCF_BACKOFF_MAX ?
		    LCF_BACKOFF_MAX : wait, 0);
		ev_timer_start(f->loop, &f->backoff);
		return;
	} else if (lc_fetch_submit(f, &e) == -1)
		lc_fetch_end(f, LCF_FAILED, "%s", e.msg);
	else {
		f->waited = 0;
		return;
	}
	lc_fetch_notify(f);
}

static void
lc_fetch_backoff_cb(UNUSED struct ev_loop *loop, ev_timer *w,
    UNUSED int revents)
{
	struct lc_fetch	*f = container_of(w, struct lc_fetch, backoff);

	f->waited = 1;
	lc_fetch_next(f);
}

/*
 * A transaction came back: take it, tell the owner (who may cancel at once),
 * then queue the next one or end.
 */
static void
lc_fetch_ops_cb(void *arg, UNUSED struct engine_op *ops, UNUSED int nops)
{
	struct lc_fetch	*f = arg;
	int		 more;

	f->in_flight = 0;
	if (f->orphan) {
		lc_fetch_free(f);
		return;
	}
	more = lc_fetch_step(f);
	if (more && !f->cancel && lc_fetch_notify(f))
		return;
	if (f->in_flight || ev_is_active(&f->backoff))
		return;		/* the owner restarted it from its callback */
	if (more)
		lc_fetch_next(f);
	else
		lc_fetch_notify(f);
}
