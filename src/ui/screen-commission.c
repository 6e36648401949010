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
 *   - a bus scan (s) with progress, ETA and cancel, and the found meters
 *     written to a new config file on request (a, config-write.c; a file
 *     there already is replaced only after y);
 *   - the report (r, report.c); recording (R, X) and the guarded writes
 *     (t, C) are the console's overlays, their outcome shown here.
 *
 * The finder and the scan are the engine's (finder.c): this screen starts,
 * cancels and draws them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "commission.h"
#include "config-write.h"
#include "finder.h"
#include "report.h"
#include "screen.h"

static const struct screen_help cm_help[] = {
	{ "f", "find the comm settings of a meter that does not answer" },
	{ "s", "scan the selected meter's bus for units 1..247" },
	{ "c", "cancel the finder or the scan" },
	{ "a", "write the meters found to a new config file in export_dir" },
	{ "r", "write the commissioning report (Markdown and CSV)" },
	{ NULL, NULL }
};

struct cm_screen {
	struct ui		*ui;
	struct finder		*finder;	/* the finder and the scan */
	int			 confirm_overwrite;	/* y/n question open */
	int			 cfg_written;	/* meters in cfg_path */
	char			 cfg_path[4200];
	char			 report_md[4200];
};

static void
cms_changed_cb(void *arg)
{
	struct cm_screen	*s = arg;

	ui_mark_dirty(s->ui);
}

static void
cms_say_cb(void *arg, const char *text)
{
	struct cm_screen	*s = arg;

	ui_message(s->ui, "%s", text);
}

static void *
cm_open(struct ui *ui)
{
	struct cm_screen	*s;
	struct finder_cbs	 cbs = { cms_changed_cb, cms_say_cb, NULL };

	if ((s = calloc(1, sizeof *s)) == NULL)
		return NULL;
	s->ui = ui;
	cbs.arg = s;
	if ((s->finder = finder_new(ui->loop, ui->engine, ui->cfg,
	    &cbs)) == NULL) {
		free(s);
		return NULL;
	}
	return s;
}

static void
cm_close(void *arg)
{
	struct cm_screen	*s = arg;

	if (s == NULL)
		return;
	finder_free(s->finder);
	free(s);
}

/* Write the found meters into export_dir/countis-tui-found.ini. */
static void
cms_write_config(struct cm_screen *s, int overwrite)
{
	const struct finder_view *v = finder_view(s->finder);
	struct cw_found	 f[FINDER_MAX_FOUND];
	struct bus_conf	 b;
	struct err	 e = { "", 0 };
	int		 i, n = 0;

	for (i = 0; i < v->nfound; i++)
		if (v->found[i].is_e34) {
			f[n].address = v->found[i].addr;
			f[n++].ident = v->found[i].text;
		}
	if (n == 0) {
		ui_message(s->ui, "no meters found yet: s scans the bus");
		return;
	}
	b = s->ui->cfg->buses[v->bus];
	b.baud = v->sp.baud;		/* the settings that found them */
	b.parity = v->sp.parity;
	b.stop_bits = v->sp.stop_bits;
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
	const struct finder_view *v = finder_view(s->finder);
	struct report_in	in;
	struct err		e = { "", 0 };
	char			csv[4200], finder[720];

	memset(&in, 0, sizeof in);
	in.m = m;
	in.bus = &s->ui->cfg->buses[m->conf->bus];
	in.bv = ui_meter_bus(s->ui, m);
	if (v->msg[0] != '\0' && v->meter == m->index) {
		snprintf(finder, sizeof finder, "%s; %s", v->msg, v->fix);
		in.finder = finder;
	}
	in.cs = screen_meter_cs(s->ui, m);
	in.now_ms = clock_mono_ms();
	in.wall_ms = clock_wall_ms();
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

	commission_evaluate(m, clock_mono_ms(), &c);
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
	const struct finder_view *v = finder_view(s->finder);
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
	if (v->job == FINDER_SEARCH) {
		commission_setting_name(&v->plan.s[v->fi], name, sizeof name);
		widget_fmt_period(total, sizeof total, v->plan.total_ms);
		widget_fmt_period(eta, sizeof eta, clock_mono_ms() -
		    v->started_ms);
		widget_printf(win, y++, 2, 0, ui_attr(ui, TH_WARN), ui->utf8,
		    "finder: %s %s (%d/%d), %s of at most %s  c cancels",
		    v->restoring ? "restoring" : "trying", v->restoring ?
		    "the configured setting" : name, v->fi + 1, v->plan.n, eta,
		    total);
	} else if (v->msg[0] != '\0' && v->meter == m->index) {
		widget_printf(win, y++, 2, 0, ui_attr(ui, v->found_at >= 0 ?
		    TH_OK : TH_WARN), ui->utf8, "finder: %s", v->msg);
		widget_printf(win, y++, 4, 0, ui_attr(ui, TH_WARN), ui->utf8,
		    "%s", v->fix);
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
	const struct finder_view *v = finder_view(s->finder);
	char		 eta[32], took[32];
	int		 i, x, col;

	if (v->job == FINDER_SCAN) {
		widget_fmt_period(eta, sizeof eta, v->eta_ms);
		x = widget_printf(win, y, 1, 0, ui_attr(ui, TH_WARN), ui->utf8,
		    "Scan %d 8%c%d: %d/%d, %s left ", v->sp.baud, v->sp.parity,
		    v->sp.stop_bits, v->done, v->total, v->eta_ms >= 0 ? eta :
		    "?");
		widget_bar(win, y, 1 + x, 20, v->total ? 1000 * v->done /
		    v->total : 0, ui_attr(ui, TH_BAR), ui_attr(ui, TH_BAR_EMPTY),
		    ui->utf8);
		widget_put(win, y++, 23 + x, 0, ui_attr(ui, TH_UNIT), ui->utf8,
		    " c cancels");
	} else if (v->bus_scanned) {
		widget_fmt_period(took, sizeof took, v->bus_sum.elapsed_ms);
		widget_printf(win, y++, 1, 0, ui_attr(ui, TH_NORMAL), ui->utf8,
		    "Scan %s in %s: %d meters, %d other, %d gateway ids%s",
		    v->bus_sum.cancelled ? "cancelled" : "done", took,
		    v->bus_sum.found, v->bus_sum.foreign, v->bus_sum.gateway,
		    v->nfound ?
		    "  a: write them to a new config file" : "");
		if (v->bus_sum.kind_differs && y < h)	/* a wrong type, named */
			widget_printf(win, y++, 1, w - 2, ui_attr(ui, TH_WARN),
			    ui->utf8, "%s", v->bus_sum.kind_note);
	} else {
		widget_put(win, y++, 1, 0, ui_attr(ui, TH_UNIT), ui->utf8,
		    "s scans this bus for units 1..247 (reads only; its polling "
		    "pauses meanwhile)");
	}
	if (s->cfg_written > 0 && v->job != FINDER_SCAN)
		widget_printf(win, y++, 2, 0, ui_attr(ui, TH_OK), ui->utf8,
		    "%d meters written to %s", s->cfg_written, s->cfg_path);
	for (i = 0, col = 0; i < v->nfound && y < h; i++) {
		x = 2 + col * (w / 2);
		widget_printf(win, y, x, w / 2 - 2, ui_attr(ui,
		    v->found[i].is_e34 ? TH_OK : TH_WARN), ui->utf8, "%3d %s",
		    v->found[i].addr, v->found[i].text);
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
		finder_search(s->finder, m);
		return SCREEN_HANDLED;
	case 's':
		if (finder_scan(s->finder, m) == 0)
			s->cfg_written = 0;
		return SCREEN_HANDLED;
	case 'c':
		finder_cancel(s->finder);
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

/* The overwrite question, while open, gets every key (t and C too). */
static int
cm_modal(const void *arg)
{
	return ((const struct cm_screen *)arg)->confirm_overwrite;
}

const struct screen_ops screen_commission = {
	.name = "commission",
	.title = "Commissioning",
	.open = cm_open,
	.close = cm_close,
	.draw = cm_draw,
	.key = cm_key,
	.modal = cm_modal,
	.keys = cm_help,
};
