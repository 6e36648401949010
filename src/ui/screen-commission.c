/*
 * screen-commission.c: screen 5, the commissioning walk-through for the
 * selected meter:
 *
 *   - the wiring check: the leaflet's connection-test preconditions from live
 *     readings, then the inferred result in the meter's Err terms with what
 *     to fix (commission.c), and the plain statement that the meter's own
 *     test result is on its LCD only;
 *   - comm settings: what the console talks at now, and a finder (f) for a
 *     meter whose settings are unknown, over the AUTO-mode envelope and the
 *     MANU-only settings, its total time bounded up front, with progress and
 *     cancel (c), naming what was wrong;
 *   - a bus scan (s) with progress, ETA and cancel (scan.c), and the found
 *     meters written to a new config file on request (a);
 *   - the report (r, report.c), console recording (R, X: ui-record.c) and the
 *     guarded writes (t, C: ui-write.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commission.h"
#include "config-write.h"
#include "report.h"
#include "scan.h"
#include "screen.h"

#define CMS_MAX_FOUND	247

static const struct screen_help cm_help[] = {
	{ "f", "find the comm settings of a meter that does not answer" },
	{ "s", "scan the selected meter's bus for units 1..247" },
	{ "c", "cancel the finder or the scan" },
	{ "a", "write the meters found to a new config file in export_dir" },
	{ "r", "write the commissioning report (Markdown and CSV)" },
	{ NULL, NULL }
};

enum cms_job { CMS_IDLE, CMS_FINDER, CMS_SCAN };

struct cms_found {
	int		 addr;
	int		 is_e34;
	char		 text[96];
};

struct cm_screen {
	struct ui		*ui;

	enum cms_job		 job;
	struct scan		*scan;		/* the running or last scan */
	struct scan		*old;		/* finished, freed by step */
	ev_timer		 step;		/* next finder try, outside cbs */
	int64_t			 started_ms;
	int			 meter;		/* job's meter index */
	int			 bus;		/* job's bus index */

	struct cm_finder_plan	 plan;
	int			 fi;		/* setting being tried */
	int			 restoring;	/* last finder step */
	int			 found_at;	/* plan index that answered, -1 */
	int			 cancel;
	int			 holding;	/* the engine lent us the bus */
	int			 line_ready;	/* ... and has closed it */
	const struct cm_setting	*first_st;	/* the first scan, once ready */
	int			 first_lo, first_hi, first_tmo;
	char			 finder_msg[400];	/* what answered */
	char			 finder_fix[300];	/* what was wrong */

	int			 done, total;
	int64_t			 eta_ms;
	struct scan_summary	 sum;
	int			 have_sum;
	struct scan_params	 sp;		/* the scan's line settings */
	struct scan_summary	 bus_sum;	/* the last bus scan's */
	int			 bus_scanned;
	struct cms_found	 found[CMS_MAX_FOUND];
	int			 nfound;

	int			 confirm_overwrite;
	int			 cfg_written;	/* meters in cfg_path */
	char			 cfg_path[4200];
	char			 report_md[4200];
};

static void	cms_step_cb(struct ev_loop *, ev_timer *, int);
static int	cms_scan_start(struct cm_screen *, const struct bus_conf *,
		    const struct cm_setting *, int, int, int);

/*
 * The finder and the scan open the bus's own device: borrow the line from
 * the poll engine first (it stops polling and closes it), give it back at
 * the end. Polling resumes then, and the meters are identified again.
 */
static void
cms_release(struct cm_screen *s)
{
	if (!s->holding)
		return;
	engine_hold_bus(s->ui->engine, s->bus, 0, NULL, NULL);
	s->holding = s->line_ready = 0;
}

/* The engine has closed the line: start the first scan. */
static void
cms_held_cb(void *arg)
{
	struct cm_screen	*s = arg;

	if (!s->holding || s->line_ready)
		return;
	s->line_ready = 1;
	if (s->job == CMS_IDLE || s->cancel) {
		s->job = CMS_IDLE;
		cms_release(s);
		ui_message(s->ui, "cancelled");
		return;
	}
	if (cms_scan_start(s, &s->ui->cfg->buses[s->bus], s->first_st,
	    s->first_lo, s->first_hi, s->first_tmo) == -1) {
		s->job = CMS_IDLE;
		cms_release(s);
	}
	ui_mark_dirty(s->ui);
}

/* Borrow the bus, then scan [lo, hi] at st; -1 when it cannot start. */
static int
cms_borrow_and_scan(struct cm_screen *s, const struct cm_setting *st, int lo,
    int hi, int timeout_ms)
{
	s->first_st = st;
	s->first_lo = lo;
	s->first_hi = hi;
	s->first_tmo = timeout_ms;
	s->holding = 1;
	s->line_ready = 0;
	if (engine_hold_bus(s->ui->engine, s->bus, 1, cms_held_cb, s) == -1) {
		s->holding = 0;	/* no engine for this bus: the line is free */
		s->line_ready = 1;
		return cms_scan_start(s, &s->ui->cfg->buses[s->bus], st, lo,
		    hi, timeout_ms);
	}
	ui_message(s->ui, "waiting for the poll engine to free the line");
	return 0;
}

static void *
cm_open(struct ui *ui)
{
	struct cm_screen	*s;

	if ((s = calloc(1, sizeof *s)) == NULL)
		return NULL;
	s->ui = ui;
	s->found_at = -1;
	ev_timer_init(&s->step, cms_step_cb, 0, 0);
	return s;
}

static void
cm_close(void *arg)
{
	struct cm_screen	*s = arg;

	if (s == NULL)
		return;
	ev_timer_stop(s->ui->loop, &s->step);
	scan_free(s->scan);
	scan_free(s->old);
	cms_release(s);
	free(s);
}

/* ---- finder and scan ---- */

static void
cms_progress_cb(void *arg, int done, int total, int64_t eta_ms)
{
	struct cm_screen	*s = arg;

	s->done = done;
	s->total = total;
	s->eta_ms = eta_ms;
	ui_mark_dirty(s->ui);
}

static void
cms_found_cb(void *arg, int addr, int is_e34, const char *text)
{
	struct cm_screen	*s = arg;
	struct cms_found	*f;

	if (s->job == CMS_FINDER) {
		if (s->found_at < 0 && !s->restoring)
			s->found_at = s->fi;
		return;
	}
	if (s->nfound >= CMS_MAX_FOUND)
		return;
	f = &s->found[s->nfound++];
	f->addr = addr;
	f->is_e34 = is_e34;
	snprintf(f->text, sizeof f->text, "%s", text);
	ui_mark_dirty(s->ui);
}

static void
cms_done_cb(void *arg, const struct scan_summary *sum)
{
	struct cm_screen	*s = arg;

	s->sum = *sum;
	s->have_sum = 1;
	if (s->job == CMS_FINDER && (sum->found > 0 || sum->foreign > 0) &&
	    s->found_at < 0 && !s->restoring)
		s->found_at = s->fi;
	/* scan_free may not run inside its own callback: step does it. */
	ev_timer_set(&s->step, 0, 0);
	ev_timer_start(s->ui->loop, &s->step);
	ui_mark_dirty(s->ui);
}

/* Start one scan of [first, last] at line setting st on bus b. */
static int
cms_scan_start(struct cm_screen *s, const struct bus_conf *b,
    const struct cm_setting *st, int first, int last, int timeout_ms)
{
	struct scan_cbs	cbs = { cms_progress_cb, cms_found_cb, cms_done_cb, s };
	struct err	e = { "", 0 };

	memset(&s->sp, 0, sizeof s->sp);
	s->sp.type = b->type;
	s->sp.device = b->device;
	s->sp.host = b->host;
	s->sp.port = b->port;
	s->sp.baud = st != NULL ? st->baud : b->baud;
	s->sp.parity = st != NULL ? st->parity : b->parity;
	s->sp.stop_bits = st != NULL ? st->stop_bits : b->stop_bits;
	s->sp.first = first;
	s->sp.last = last;
	s->sp.timeout_ms = timeout_ms;
	s->done = 0;
	s->total = last - first + 1;
	s->eta_ms = -1;
	s->have_sum = 0;
	if ((s->scan = scan_start(s->ui->loop, &s->sp, &cbs, &e)) == NULL) {
		ui_message(s->ui, "cannot scan: %s", e.msg);
		return -1;
	}
	return 0;
}

/* The finder ended: say which setting works and what was wrong. */
static void
cms_finder_end(struct cm_screen *s)
{
	const struct bus_conf	*b = &s->ui->cfg->buses[s->bus];
	char			 name[32], diff[160], took[32];

	widget_fmt_period(took, sizeof took, engine_now_ms() - s->started_ms);
	if (s->found_at >= 0) {
		commission_setting_name(&s->plan.s[s->found_at], name,
		    sizeof name);
		commission_setting_diff(b, &s->plan.s[s->found_at], diff,
		    sizeof diff);
		snprintf(s->finder_msg, sizeof s->finder_msg, "unit %d answers "
		    "at %s (%s, %s)", s->ui->cfg->meters[s->meter].address,
		    name, s->plan.s[s->found_at].in_auto ? "AUTO envelope" :
		    "MANU only", took);
		snprintf(s->finder_fix, sizeof s->finder_fix, "wrong: %s",
		    diff);
	} else {
		snprintf(s->finder_msg, sizeof s->finder_msg, "%s: unit %d "
		    "answered at none of %d settings tried (%s)",
		    s->cancel ? "cancelled" : "not found",
		    s->ui->cfg->meters[s->meter].address, s->fi + 1, took);
		snprintf(s->finder_fix, sizeof s->finder_fix, "check the "
		    "address, the A/B wiring, termination and power");
	}
	s->job = CMS_IDLE;
	cms_release(s);
	ui_message(s->ui, "finder: %s", s->finder_msg);
}

/* After each finder try: the next setting, the restore step, or the end. */
static void
cms_step_cb(struct ev_loop *loop, ev_timer *w, UNUSED int revents)
{
	struct cm_screen	*s = container_of(w, struct cm_screen, step);
	const struct bus_conf	*b;
	int			 addr;

	(void)loop;
	scan_free(s->scan);
	s->scan = NULL;
	if (s->job == CMS_SCAN) {
		s->job = CMS_IDLE;
		cms_release(s);
		s->bus_sum = s->sum;
		s->bus_scanned = 1;
		ui_message(s->ui, "scan %s: %d meters, %d other devices",
		    s->sum.cancelled ? "cancelled" : "done", s->sum.found,
		    s->sum.foreign);
		return;
	}
	if (s->job != CMS_FINDER)
		return;
	b = &s->ui->cfg->buses[s->bus];
	addr = s->ui->cfg->meters[s->meter].address;
	if (s->restoring) {
		cms_finder_end(s);
		return;
	}
	if (s->found_at < 0 && !s->cancel && s->fi + 1 < s->plan.n) {
		s->fi++;
		if (cms_scan_start(s, b, &s->plan.s[s->fi], addr, addr,
		    s->plan.timeout_ms) == 0)
			return;
	}
	/* Leave the line at the configured setting for the poll engine. */
	s->restoring = 1;
	if (cms_scan_start(s, b, NULL, addr, addr, s->plan.timeout_ms) == -1)
		cms_finder_end(s);
}

static void
cms_finder(struct cm_screen *s, const struct meter *m)
{
	const struct bus_conf	*b = &s->ui->cfg->buses[m->conf->bus];
	char			 total[32];

	if (s->job != CMS_IDLE) {
		ui_message(s->ui, "busy: c cancels the %s", s->job == CMS_FINDER ?
		    "finder" : "scan");
		return;
	}
	if (b->type != BUS_RTU) {
		ui_message(s->ui, "the finder tries serial settings; over TCP "
		    "the gateway's serial settings are its own");
		return;
	}
	commission_finder_plan(b, b->timeout_ms, 1, &s->plan);
	/* the restore step adds one try at the configured setting */
	s->plan.total_ms += s->plan.try_ms[0];
	s->job = CMS_FINDER;
	s->meter = m->index;
	s->bus = m->conf->bus;
	s->fi = 0;
	s->found_at = -1;
	s->restoring = s->cancel = 0;
	s->started_ms = engine_now_ms();
	widget_fmt_period(total, sizeof total, s->plan.total_ms);
	snprintf(s->finder_msg, sizeof s->finder_msg, "trying %d settings, at "
	    "most %s", s->plan.n, total);
	if (cms_borrow_and_scan(s, &s->plan.s[0], m->conf->address,
	    m->conf->address, s->plan.timeout_ms) == -1)
		s->job = CMS_IDLE;
}

static void
cms_bus_scan(struct cm_screen *s, const struct meter *m)
{
	const struct cm_setting	*st;

	if (s->job != CMS_IDLE) {
		ui_message(s->ui, "busy: c cancels the %s", s->job == CMS_FINDER ?
		    "finder" : "scan");
		return;
	}
	/* at the settings the finder found on this bus, if it did */
	st = s->found_at >= 0 && s->bus == m->conf->bus ?
	    &s->plan.s[s->found_at] : NULL;
	s->job = CMS_SCAN;
	s->meter = m->index;
	s->bus = m->conf->bus;
	s->nfound = 0;
	s->cfg_written = 0;
	s->started_ms = engine_now_ms();
	s->cancel = 0;
	if (cms_borrow_and_scan(s, st, 1, 247, 0) == -1)
		s->job = CMS_IDLE;
}

/* Write the found meters into export_dir/countis-tui-found.ini. */
static void
cms_write_config(struct cm_screen *s, int overwrite)
{
	struct cw_found	 f[CMS_MAX_FOUND];
	struct bus_conf	 b;
	struct err	 e = { "", 0 };
	int		 i, n = 0;

	for (i = 0; i < s->nfound; i++)
		if (s->found[i].is_e34) {
			f[n].address = s->found[i].addr;
			f[n++].ident = s->found[i].text;
		}
	if (n == 0) {
		ui_message(s->ui, "no meters found yet: s scans the bus");
		return;
	}
	b = s->ui->cfg->buses[s->bus];
	b.baud = s->sp.baud;		/* the settings that found them */
	b.parity = s->sp.parity;
	b.stop_bits = s->sp.stop_bits;
	snprintf(s->cfg_path, sizeof s->cfg_path, "%s/countis-tui-found.ini",
	    s->ui->cfg->export_dir);
	s->cfg_written = 0;
	if (config_write_found(s->cfg_path, &b, f, n, 1000, overwrite,
	    &e) == -1) {
		if (e.code == CW_EXISTS) {
			s->confirm_overwrite = 1;
			ui_message(s->ui, "%s exists: y overwrites it, any "
			    "other key keeps it", strrchr(s->cfg_path, '/') + 1);
		} else
			ui_message(s->ui, "%s", e.msg);
		return;
	}
	s->cfg_written = n;
	ui_message(s->ui, "%d meters written to %s", n,
	    strrchr(s->cfg_path, '/') + 1);
}

static void
cms_report(struct cm_screen *s, const struct meter *m)
{
	struct report_in	in;
	struct err		e = { "", 0 };
	char			csv[4200], finder[720];

	memset(&in, 0, sizeof in);
	in.m = m;
	in.bus = &s->ui->cfg->buses[m->conf->bus];
	in.bv = ui_meter_bus(s->ui, m);
	if (s->finder_msg[0] != '\0' && s->meter == m->index) {
		snprintf(finder, sizeof finder, "%s; %s", s->finder_msg,
		    s->finder_fix);
		in.finder = finder;
	}
	in.cs = screen_meter_cs(s->ui, m);
	in.now_ms = engine_now_ms();
	in.wall_ms = engine_wall_ms();
	if (report_write(&in, s->ui->cfg->export_dir, s->report_md,
	    sizeof s->report_md, csv, sizeof csv, &e) == -1) {
		s->report_md[0] = '\0';
		ui_message(s->ui, "report not written: %s", e.msg);
		return;
	}
	ui_message(s->ui, "report written: %s and .csv", s->report_md);
}

/* ---- drawing ---- */

static int
cms_draw_wiring(struct cm_screen *s, WINDOW *win, int y, const struct meter *m)
{
	struct ui		*ui = s->ui;
	struct commission	 c;
	enum theme_elem		 el;
	char			 line[300];
	int			 k;

	commission_evaluate(m, engine_now_ms(), &c);
	widget_put(win, y++, 1, 0, ui_attr(ui, TH_HEADER), ui->utf8,
	    "Wiring check: leaflet connection test (the meter's own result "
	    "is LCD only)");
	for (k = 0; k < CM_NCHECKS; k++) {
		el = c.checks[k].state == CM_PASS ? TH_OK :
		    c.checks[k].state == CM_FAIL ? TH_ERROR : TH_STALE;
		widget_printf(win, y, 2, 5, ui_attr(ui, el), ui->utf8, "%s",
		    commission_state_word(c.checks[k].state));
		widget_printf(win, y++, 8, 0, ui_attr(ui, TH_NORMAL), ui->utf8,
		    "%-29.29s %s", c.checks[k].label, c.checks[k].detail);
	}
	if (!c.known) {
		widget_put(win, y++, 2, 0, ui_attr(ui, TH_STALE), ui->utf8,
		    "inferred: unknown (V, I and P of every phase needed)");
		return y;
	}
	for (k = 0; k < c.nfindings && k < 3; k++) {
		if (c.findings[k].code < 0)
			snprintf(line, sizeof line, "inferred: phase %d absent",
			    c.findings[k].phase);
		else
			snprintf(line, sizeof line, "inferred: %s%s",
			    c.findings[k].text, c.findings[k].code == 0 &&
			    c.preconditions != CM_PASS ?
			    " (test conditions not all met)" : "");
		widget_put(win, y++, 2, 0, ui_attr(ui, c.findings[k].code == 0 ?
		    TH_OK : TH_ERROR), ui->utf8, line);
		if (c.findings[k].code != 0)
			widget_printf(win, y++, 4, 0, ui_attr(ui, TH_WARN),
			    ui->utf8, "fix: %s", c.findings[k].remedy);
	}
	return y;
}

static int
cms_draw_comm(struct cm_screen *s, WINDOW *win, int y, const struct meter *m)
{
	struct ui		*ui = s->ui;
	const struct bus_conf	*b = &ui->cfg->buses[m->conf->bus];
	struct cm_finder_plan	 p;
	char			 total[32], eta[32], name[32], ans[120];
	char			 line[300];
	const char		*note;
	char			*p0;
	int			 w = getmaxx(win);

	/* what the unit answers, never cut: the note goes first */
	commission_answer_text(m, ans, sizeof ans);
	if (b->type == BUS_TCP) {
		snprintf(line, sizeof line, "Comm: Modbus TCP %s:%d, unit %d %s",
		    b->host, b->port, m->conf->address, ans);
		note = "";
	} else {
		snprintf(line, sizeof line, "Comm: %d 8%c%d, unit %d %s",
		    b->baud, b->parity, b->stop_bits, m->conf->address, ans);
		note = " (the meter's own settings are not readable)";
	}
	if (widget_text_width(line) + widget_text_width(note) <= w - 2)
		snprintf(line + strlen(line), sizeof line - strlen(line), "%s",
		    note);
	if (widget_text_width(line) > w - 2 && (p0 = strstr(line, ans)) !=
	    NULL && p0 > line) {
		/* narrow: the answer on a line of its own */
		p0[-1] = '\0';
		widget_put(win, y++, 1, 0, ui_attr(ui, TH_NORMAL), ui->utf8,
		    line);
		widget_put(win, y++, 3, 0, ui_attr(ui, TH_WARN), ui->utf8, ans);
	} else
		widget_put(win, y++, 1, 0, ui_attr(ui, m->status == MS_OK ?
		    TH_NORMAL : TH_WARN), ui->utf8, line);
	if (s->job == CMS_FINDER) {
		commission_setting_name(&s->plan.s[s->fi], name, sizeof name);
		widget_fmt_period(total, sizeof total, s->plan.total_ms);
		widget_fmt_period(eta, sizeof eta, engine_now_ms() -
		    s->started_ms);
		widget_printf(win, y++, 2, 0, ui_attr(ui, TH_WARN), ui->utf8,
		    "finder: %s %s (%d/%d), %s of at most %s  c cancels",
		    s->restoring ? "restoring" : "trying", s->restoring ?
		    "the configured setting" : name, s->fi + 1, s->plan.n, eta,
		    total);
	} else if (s->finder_msg[0] != '\0' && s->meter == m->index) {
		widget_printf(win, y++, 2, 0, ui_attr(ui, s->found_at >= 0 ?
		    TH_OK : TH_WARN), ui->utf8, "finder: %s", s->finder_msg);
		widget_printf(win, y++, 4, 0, ui_attr(ui, TH_WARN), ui->utf8,
		    "%s", s->finder_fix);
	} else if (b->type == BUS_RTU) {
		commission_finder_plan(b, b->timeout_ms, 1, &p);
		widget_fmt_period(total, sizeof total, p.total_ms + p.try_ms[0]);
		widget_printf(win, y++, 2, 0, ui_attr(ui, TH_UNIT), ui->utf8,
		    "f finds the settings: %d tries, AUTO envelope first, at "
		    "most %s", p.n, total);
	}
	return y;
}

static int
cms_draw_scan(struct cm_screen *s, WINDOW *win, int y, int h, int w)
{
	struct ui	*ui = s->ui;
	char		 eta[32], took[32];
	int		 i, x, col;

	if (s->job == CMS_SCAN) {
		widget_fmt_period(eta, sizeof eta, s->eta_ms);
		x = widget_printf(win, y, 1, 0, ui_attr(ui, TH_WARN), ui->utf8,
		    "Scan %d 8%c%d: %d/%d, %s left ", s->sp.baud, s->sp.parity,
		    s->sp.stop_bits, s->done, s->total, s->eta_ms >= 0 ? eta :
		    "?");
		widget_bar(win, y, 1 + x, 20, s->total ? 1000 * s->done /
		    s->total : 0, ui_attr(ui, TH_BAR), ui_attr(ui, TH_BAR_EMPTY),
		    ui->utf8);
		widget_put(win, y++, 23 + x, 0, ui_attr(ui, TH_UNIT), ui->utf8,
		    " c cancels");
	} else if (s->bus_scanned) {
		widget_fmt_period(took, sizeof took, s->bus_sum.elapsed_ms);
		widget_printf(win, y++, 1, 0, ui_attr(ui, TH_NORMAL), ui->utf8,
		    "Scan %s in %s: %d meters, %d other, %d gateway ids%s",
		    s->bus_sum.cancelled ? "cancelled" : "done", took,
		    s->bus_sum.found, s->bus_sum.foreign, s->bus_sum.gateway,
		    s->nfound ?
		    "  a: write them to a new config file" : "");
	} else {
		widget_put(win, y++, 1, 0, ui_attr(ui, TH_UNIT), ui->utf8,
		    "s scans this bus for units 1..247 (reads only; its polling "
		    "pauses meanwhile)");
	}
	if (s->cfg_written > 0 && s->job != CMS_SCAN)
		widget_printf(win, y++, 2, 0, ui_attr(ui, TH_OK), ui->utf8,
		    "%d meters written to %s", s->cfg_written, s->cfg_path);
	for (i = 0, col = 0; i < s->nfound && y < h; i++) {
		x = 2 + col * (w / 2);
		widget_printf(win, y, x, w / 2 - 2, ui_attr(ui,
		    s->found[i].is_e34 ? TH_OK : TH_WARN), ui->utf8, "%3d %s",
		    s->found[i].addr, s->found[i].text);
		if (++col == 2) {
			col = 0;
			y++;
		}
	}
	return col ? y + 1 : y;
}

static void
cm_draw(void *arg, struct ui *ui, WINDOW *win)
{
	struct cm_screen	*s = arg;
	const struct meter	*m = ui_meter(ui);
	char			 st[32], rec[300], wr[200];
	int			 h, w, y = 0;

	getmaxyx(win, h, w);
	if (m == NULL) {
		widget_put(win, 1, 1, 0, ui_attr(ui, TH_WARN), ui->utf8,
		    "No meter is configured.");
		return;
	}
	ui_meter_state(ui, m, st, sizeof st);
	widget_printf(win, y++, 1, 0, ui_attr(ui, TH_HEADER), ui->utf8,
	    "Commissioning  %s  %s/%d  %s", m->conf->label,
	    ui->cfg->buses[m->conf->bus].name, m->conf->address, st);
	y = cms_draw_wiring(s, win, y, m);
	y = cms_draw_comm(s, win, y, m);
	ui_overlay_status(ui, "record", rec, sizeof rec);
	ui_overlay_status(ui, "write", wr, sizeof wr);
	widget_printf(win, h - 2, 1, 0, ui_attr(ui, rec[0] ? TH_WARN :
	    TH_UNIT), ui->utf8, "%s", rec[0] ? rec : s->report_md[0] ?
	    s->report_md : wr);
	widget_printf(win, h - 1, 1, 0, ui_attr(ui, TH_UNIT), ui->utf8,
	    "r report  R record  X snapshot  t tariff  C clock  (writes %s)",
	    ui->cfg->writes ? "on" : "off");
	cms_draw_scan(s, win, y, h - 2, w);
}

static enum screen_key
cm_key(void *arg, struct ui *ui, int key)
{
	struct cm_screen	*s = arg;
	const struct meter	*m = ui_meter(ui);

	if (s->confirm_overwrite) {
		s->confirm_overwrite = 0;
		if (key == 'y' || key == 'Y')
			cms_write_config(s, 1);
		else
			ui_message(ui, "%s kept as it was",
			    strrchr(s->cfg_path, '/') + 1);
		return SCREEN_HANDLED;
	}
	if (m == NULL)
		return SCREEN_IGNORED;
	switch (key) {
	case 'f':
		cms_finder(s, m);
		return SCREEN_HANDLED;
	case 's':
		cms_bus_scan(s, m);
		return SCREEN_HANDLED;
	case 'c':
		if (s->job == CMS_IDLE)
			return SCREEN_HANDLED;
		s->cancel = 1;
		if (s->scan != NULL)
			scan_cancel(s->scan);
		else if (s->holding && !s->line_ready) {
			/* never started: end it here */
			if (s->job == CMS_FINDER) {
				cms_finder_end(s);
				return SCREEN_HANDLED;
			}
			s->job = CMS_IDLE;
			cms_release(s);
			ui_message(ui, "scan cancelled");
			return SCREEN_HANDLED;
		}
		ui_message(ui, "cancelling the %s", s->job == CMS_FINDER ?
		    "finder" : "scan");
		return SCREEN_HANDLED;
	case 'a':
		cms_write_config(s, 0);
		return SCREEN_HANDLED;
	case 'r':
		cms_report(s, m);
		return SCREEN_HANDLED;
	case 27:
		return SCREEN_CLOSE;
	}
	return SCREEN_IGNORED;
}

const struct screen_ops screen_commission = {
	.name = "commission",
	.title = "Commissioning",
	.open = cm_open,
	.close = cm_close,
	.draw = cm_draw,
	.key = cm_key,
	.keys = cm_help,
};
