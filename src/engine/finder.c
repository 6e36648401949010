/*
 * finder.c: the comm-settings finder and the bus scan of the
 * commissioning desk (see finder.h). A state machine over scan.c's worker:
 * each finder try is a scan of one address at one setting; between tries
 * an ev_timer steps to the next (scan_free may not run inside its own
 * callback). The bus is borrowed from the poll engine for the whole job.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "finder.h"
#include "health.h"

struct finder {
	struct finder_view	 v;
	struct ev_loop		*loop;
	struct engine		*eng;
	const struct config	*cfg;
	struct finder_cbs	 cbs;

	struct scan		*scan;		/* the running or last scan */
	ev_timer		 step;		/* next finder try, outside cbs */
	int			 cancel;
	int			 holding;	/* the engine lent us the bus */
	int			 line_ready;	/* ... and has closed it */
	const struct cm_setting	*first_st;	/* the first scan, once ready */
	int			 first_lo, first_hi, first_tmo;
	struct scan_summary	 sum;		/* the last scan's */
};

static void	finder_step_cb(struct ev_loop *, ev_timer *, int);
static int	finder_scan_start(struct finder *, const struct cm_setting *,
		    int, int, int);

static void
finder_changed(struct finder *f)
{
	if (f->cbs.changed != NULL)
		f->cbs.changed(f->cbs.arg);
}

static void __attribute__((format(printf, 2, 3)))
finder_say(struct finder *f, const char *fmt, ...)
{
	char	text[600];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (f->cbs.say != NULL)
		f->cbs.say(f->cbs.arg, text);
}

/*
 * The finder and the scan open the bus's own device: borrow the line from
 * the poll engine first (it stops polling and closes it), give it back at
 * the end. Polling resumes then, and the meters are identified again.
 */
static void
finder_release(struct finder *f)
{
	if (!f->holding)
		return;
	engine_hold_bus(f->eng, f->v.bus, 0, NULL, NULL);
	f->holding = f->line_ready = 0;
}

/* The engine has closed the line: start the first scan. */
static void
finder_held_cb(void *arg)
{
	struct finder	*f = arg;

	if (!f->holding || f->line_ready)
		return;
	f->line_ready = 1;
	if (f->v.job == FINDER_IDLE || f->cancel) {
		f->v.job = FINDER_IDLE;
		finder_release(f);
		finder_say(f, "cancelled");
		return;
	}
	if (finder_scan_start(f, f->first_st, f->first_lo, f->first_hi,
	    f->first_tmo) == -1) {
		f->v.job = FINDER_IDLE;
		finder_release(f);
	}
	finder_changed(f);
}

/* Borrow the bus, then scan [lo, hi] at st; -1 when it cannot start. */
static int
finder_borrow_and_scan(struct finder *f, const struct cm_setting *st, int lo,
    int hi, int timeout_ms)
{
	f->first_st = st;
	f->first_lo = lo;
	f->first_hi = hi;
	f->first_tmo = timeout_ms;
	f->holding = 1;
	f->line_ready = 0;
	if (f->eng == NULL ||
	    engine_hold_bus(f->eng, f->v.bus, 1, finder_held_cb, f) == -1) {
		f->holding = 0;	/* no engine for this bus: the line is free */
		f->line_ready = 1;
		return finder_scan_start(f, st, lo, hi, timeout_ms);
	}
	finder_say(f, "waiting for the poll engine to free the line");
	return 0;
}

struct finder *
finder_new(struct ev_loop *loop, struct engine *eng, const struct config *cfg,
    const struct finder_cbs *cbs)
{
	struct finder	*f;

	if ((f = calloc(1, sizeof *f)) == NULL)
		return NULL;
	f->loop = loop;
	f->eng = eng;
	f->cfg = cfg;
	if (cbs != NULL)
		f->cbs = *cbs;
	f->v.found_at = -1;
	ev_timer_init(&f->step, finder_step_cb, 0, 0);
	return f;
}

void
finder_free(struct finder *f)
{
	if (f == NULL)
		return;
	ev_timer_stop(f->loop, &f->step);
	scan_free(f->scan);
	finder_release(f);
	free(f);
}

const struct finder_view *
finder_view(const struct finder *f)
{
	return &f->v;
}

static void
finder_progress_cb(void *arg, int done, int total, int64_t eta_ms)
{
	struct finder	*f = arg;

	f->v.done = done;
	f->v.total = total;
	f->v.eta_ms = eta_ms;
	finder_changed(f);
}

static void
finder_found_cb(void *arg, int addr, int is_e34, const char *text)
{
	struct finder		*f = arg;
	struct finder_found	*fd;

	if (f->v.job == FINDER_SEARCH) {
		if (f->v.found_at < 0 && !f->v.restoring)
			f->v.found_at = f->v.fi;
		return;
	}
	if (f->v.nfound >= FINDER_MAX_FOUND)
		return;
	fd = &f->v.found[f->v.nfound++];
	fd->addr = addr;
	fd->is_e34 = is_e34;
	snprintf(fd->text, sizeof fd->text, "%s", text);
	finder_changed(f);
}

static void
finder_done_cb(void *arg, const struct scan_summary *sum)
{
	struct finder	*f = arg;

	f->sum = *sum;
	if (f->v.job == FINDER_SEARCH && (sum->found > 0 || sum->foreign > 0) &&
	    f->v.found_at < 0 && !f->v.restoring)
		f->v.found_at = f->v.fi;
	/* scan_free may not run inside its own callback: step does it. */
	ev_timer_set(&f->step, 0, 0);
	ev_timer_start(f->loop, &f->step);
	finder_changed(f);
}

/* Start one scan of [first, last] at line setting st (NULL: the
 * configured one) on the job's bus. */
static int
finder_scan_start(struct finder *f, const struct cm_setting *st, int first,
    int last, int timeout_ms)
{
	const struct bus_conf	*b = &f->cfg->buses[f->v.bus];
	struct scan_cbs		 cbs = { finder_progress_cb, finder_found_cb,
				    finder_done_cb, f };
	struct scan_params	*sp = &f->v.sp;
	struct err		 e = { "", 0 };

	memset(sp, 0, sizeof *sp);
	sp->type = b->type;
	sp->device = b->device;
	sp->host = b->host;
	sp->port = b->port;
	sp->baud = st != NULL ? st->baud : b->baud;
	sp->parity = st != NULL ? st->parity : b->parity;
	sp->stop_bits = st != NULL ? st->stop_bits : b->stop_bits;
	sp->first = first;
	sp->last = last;
	sp->timeout_ms = timeout_ms;
	f->v.done = 0;
	f->v.total = last - first + 1;
	f->v.eta_ms = -1;
	if ((f->scan = scan_start(f->loop, sp, &cbs, &e)) == NULL) {
		finder_say(f, "cannot scan: %s", e.msg);
		return -1;
	}
	return 0;
}

/* The finder ended: say which setting works and what was wrong. */
static void
finder_end(struct finder *f)
{
	struct finder_view	*v = &f->v;
	const struct bus_conf	*b = &f->cfg->buses[v->bus];
	char			 name[32], diff[160], took[32];
	int			 addr = f->cfg->meters[v->meter].address;

	health_fmt_period(took, sizeof took, clock_mono_ms() - v->started_ms);
	if (v->found_at >= 0) {
		commission_setting_name(&v->plan.s[v->found_at], name,
		    sizeof name);
		commission_setting_diff(b, &v->plan.s[v->found_at], diff,
		    sizeof diff);
		snprintf(v->msg, sizeof v->msg, "unit %d answers at %s (%s, %s)",
		    addr, name, v->plan.s[v->found_at].in_auto ?
		    "AUTO envelope" : "MANU only", took);
		snprintf(v->fix, sizeof v->fix, "wrong: %s", diff);
	} else {
		snprintf(v->msg, sizeof v->msg, "%s: unit %d answered at none "
		    "of %d settings tried (%s)", f->cancel ? "cancelled" :
		    "not found", addr, v->fi + 1, took);
		snprintf(v->fix, sizeof v->fix, "check the address, the A/B "
		    "wiring, termination and power");
	}
	v->job = FINDER_IDLE;
	finder_release(f);
	finder_say(f, "finder: %s", v->msg);
}

/* After each scan: the next finder setting, the restore step, or the end. */
static void
finder_step_cb(struct ev_loop *loop, ev_timer *w, UNUSED int revents)
{
	struct finder		*f = container_of(w, struct finder, step);
	struct finder_view	*v = &f->v;
	int			 addr;

	(void)loop;
	scan_free(f->scan);
	f->scan = NULL;
	if (v->job == FINDER_SCAN) {
		v->job = FINDER_IDLE;
		finder_release(f);
		v->bus_sum = f->sum;
		v->bus_scanned = 1;
		finder_say(f, "scan %s: %d meters, %d other devices",
		    f->sum.cancelled ? "cancelled" : "done", f->sum.found,
		    f->sum.foreign);
		return;
	}
	if (v->job != FINDER_SEARCH)
		return;
	addr = f->cfg->meters[v->meter].address;
	if (v->restoring) {
		finder_end(f);
		return;
	}
	if (v->found_at < 0 && !f->cancel && v->fi + 1 < v->plan.n) {
		v->fi++;
		if (finder_scan_start(f, &v->plan.s[v->fi], addr, addr,
		    v->plan.timeout_ms) == 0)
			return;
	}
	/* Leave the line at the configured setting for the poll engine. */
	v->restoring = 1;
	if (finder_scan_start(f, NULL, addr, addr, v->plan.timeout_ms) == -1)
		finder_end(f);
}

static int
finder_busy(struct finder *f)
{
	if (f->v.job == FINDER_IDLE)
		return 0;
	finder_say(f, "busy: c cancels the %s", f->v.job == FINDER_SEARCH ?
	    "finder" : "scan");
	return 1;
}

int
finder_search(struct finder *f, const struct meter *m)
{
	struct finder_view	*v = &f->v;
	const struct bus_conf	*b = &f->cfg->buses[m->conf->bus];
	char			 total[32];

	if (finder_busy(f))
		return -1;
	if (b->type != BUS_RTU) {
		finder_say(f, "the finder tries serial settings; over TCP the "
		    "gateway's serial settings are its own");
		return -1;
	}
	commission_finder_plan(b, b->timeout_ms, 1, &v->plan);
	/* the restore step adds one try at the configured setting */
	v->plan.total_ms += v->plan.try_ms[0];
	v->job = FINDER_SEARCH;
	v->meter = m->index;
	v->bus = m->conf->bus;
	v->fi = 0;
	v->found_at = -1;
	v->restoring = f->cancel = 0;
	v->started_ms = clock_mono_ms();
	health_fmt_period(total, sizeof total, v->plan.total_ms);
	snprintf(v->msg, sizeof v->msg, "trying %d settings, at most %s",
	    v->plan.n, total);
	if (finder_borrow_and_scan(f, &v->plan.s[0], m->conf->address,
	    m->conf->address, v->plan.timeout_ms) == -1) {
		v->job = FINDER_IDLE;
		return -1;
	}
	return 0;
}

int
finder_scan(struct finder *f, const struct meter *m)
{
	struct finder_view	*v = &f->v;
	const struct cm_setting	*st;

	if (finder_busy(f))
		return -1;
	/* at the settings the finder found on this bus, if it did */
	st = v->found_at >= 0 && v->bus == m->conf->bus ?
	    &v->plan.s[v->found_at] : NULL;
	v->job = FINDER_SCAN;
	v->meter = m->index;
	v->bus = m->conf->bus;
	v->nfound = 0;
	v->started_ms = clock_mono_ms();
	f->cancel = 0;
	if (finder_borrow_and_scan(f, st, 1, 247, 0) == -1) {
		v->job = FINDER_IDLE;
		return -1;
	}
	return 0;
}

void
finder_cancel(struct finder *f)
{
	if (f->v.job == FINDER_IDLE)
		return;
	f->cancel = 1;
	if (f->scan != NULL)
		scan_cancel(f->scan);
	else if (f->holding && !f->line_ready) {
		/* never started: end it here */
		if (f->v.job == FINDER_SEARCH) {
			finder_end(f);
			return;
		}
		f->v.job = FINDER_IDLE;
		finder_release(f);
		finder_say(f, "scan cancelled");
		return;
	}
	finder_say(f, "cancelling the %s", f->v.job == FINDER_SEARCH ?
	    "finder" : "scan");
}
