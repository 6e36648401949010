/*
 * screen-loadcurve.c: screen 4, the selected meter's stored load curve.
 * Enter reads it page by page in the background (lc-fetch.c: the screen
 * never waits on the bus), with progress and cancel; the chart (chart.c:
 * braille, blocks or ASCII) shows a day, a week or the whole curve, marks
 * incomplete intervals and gaps, and a cursor reads one interval's time and
 * power; e exports the curve as CSV to export_dir and names the file. The
 * decoding, period and gaps are loadcurve.c's.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "chart.h"
#include "lc-fetch.h"
#include "loadcurve.h"
#include "regmap.h"
#include "screen.h"

_Static_assert(LC_MARK_INCOMPLETE == CHART_MARK_INCOMPLETE &&
    LC_MARK_GAP == CHART_MARK_GAP, "load-curve and chart marks agree");

#define LCS_DEPTH_DAYS	14	/* how far back a read goes */
#define LCS_YLABEL_W	8	/* columns left of the chart */

static const struct screen_help lc_help[] = {
	{ "Enter", "read the selected meter's load curve (14 days back)" },
	{ "c", "cancel the read (the pages read so far stay)" },
	{ "d w a", "zoom: a day, a week, all of it" },
	{ "h l  Left Right", "move the cursor one column" },
	{ "H L  PgUp PgDn", "move the window back / forward" },
	{ "g G", "oldest / newest" },
	{ "b", "chart style: braille, blocks, ASCII" },
	{ "e", "export the curve as CSV into export_dir" },
	{ NULL, NULL }
};

struct lc_screen {
	struct ui		*ui;
	struct lc_fetch		*f;		/* the last read, or NULL */
	enum lc_zoom		 zoom;
	int64_t			 view_end;	/* t2000 window end; 0: newest */
	int			 cursor;	/* column; -1: the last one */
	enum chart_style	 style;
	int			 width;		/* chart columns last drawn */
	char			 exported[4200];	/* last export's path */
	int			 nexported;		/* ... and its records */
};

static void *
lc_open(struct ui *ui)
{
	struct lc_screen	*s;

	if ((s = calloc(1, sizeof *s)) == NULL)
		return NULL;
	s->ui = ui;
	s->zoom = LC_ZOOM_DAY;
	s->cursor = -1;
	s->style = ui->utf8 ? CHART_BRAILLE : CHART_ASCII;
	return s;
}

static void
lc_close(void *arg)
{
	struct lc_screen	*s = arg;

	if (s == NULL)
		return;
	lc_fetch_free(s->f);	/* deferred if a page is in flight */
	free(s);
}

static void
lcs_fetch_cb(void *arg, UNUSED const struct lc_fetch *f)
{
	struct lc_screen	*s = arg;

	ui_mark_dirty(s->ui);
}

/* The curve on show: the last read, if it is the selected meter's. */
static const struct lc_curve *
lc_curve_shown(const struct lc_screen *s, const struct meter *m)
{
	if (s->f == NULL || m == NULL || lc_fetch_meter(s->f) != m->index)
		return NULL;
	return lc_fetch_curve(s->f);
}

/* "11-25 07:45" for a meter-local time stamp. */
static void
lc_fmt_short(int64_t t2000, char *buf, size_t len)
{
	time_t		t = (time_t)(t2000 + LC_EPOCH_2000);
	struct tm	tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(buf, len, "%m-%d %H:%M",
	    &tm) == 0)
		snprintf(buf, len, "?");
}

/* "50 kW" or "500 W": a scale label. */
static void
lc_fmt_power(double w, char *buf, size_t len)
{
	if (w >= 10000)
		snprintf(buf, len, "%.0f kW", w / 1000);
	else if (w >= 1000)
		snprintf(buf, len, "%.1f kW", w / 1000);
	else
		snprintf(buf, len, "%.0f W", w);
}

/* Window [t0, t1] the chart shows. */
static void
lc_window(const struct lc_screen *s, const struct lc_curve *c, int64_t *t0,
    int64_t *t1)
{
	int64_t	span = lc_zoom_span_s(c, s->zoom), end = s->view_end;

	if (c->n == 0) {
		*t0 = *t1 = 0;
		return;
	}
	if (s->zoom == LC_ZOOM_ALL || end == 0 ||
	    end > c->rec[c->n - 1].t2000)
		end = c->rec[c->n - 1].t2000;
	if (end - span < c->rec[0].t2000 - c->period_s &&
	    s->zoom != LC_ZOOM_ALL)
		end = c->rec[0].t2000 - c->period_s + span;
	if (end > c->rec[c->n - 1].t2000)
		end = c->rec[c->n - 1].t2000;
	*t1 = end;
	*t0 = end - span;
}

/* Header: meter, and what was read or is being read. */
static int
lc_draw_head(struct lc_screen *s, WINDOW *win, const struct meter *m,
    const struct lc_curve *c)
{
	struct ui			*ui = s->ui;
	const struct lc_fetch_progress	*p;
	char				 a[32], b[32], line[300], eta[32];
	int				 y = 0;

	widget_printf(win, y++, 1, 0, ui_attr(ui, TH_HEADER), ui->utf8,
	    "Load curve P+  %s  %s/%d", m->conf->label,
	    ui->cfg->buses[m->conf->bus].name, m->conf->address);
	if (c == NULL) {
		widget_printf(win, y++, 1, 0, ui_attr(ui, TH_NORMAL), ui->utf8,
		    "Enter reads %d days of the stored curve (%ld ms a page on "
		    "the wire).", LCS_DEPTH_DAYS, (long)((lc_page_wire_us(
		    bus_char_us(&ui->cfg->buses[m->conf->bus]),
		    ui->cfg->buses[m->conf->bus].baud) + 500) / 1000));
		return y;
	}
	p = lc_fetch_progress(s->f);
	if (p->state == LCF_RUNNING) {
		widget_fmt_period(eta, sizeof eta, p->eta_ms);
		snprintf(line, sizeof line, "reading page %d of at most %d "
		    "(%zu records), %s left  c cancels", p->pages + 1,
		    p->pages_max, c->n, p->eta_ms >= 0 ? eta : "time");
		widget_put(win, y++, 1, 0, ui_attr(ui, TH_WARN), ui->utf8, line);
	} else {
		widget_fmt_period(eta, sizeof eta, p->elapsed_ms);
		snprintf(line, sizeof line, "%s (%s)", p->msg, eta);
		widget_put(win, y++, 1, 0, ui_attr(ui, p->state == LCF_FAILED ?
		    TH_ERROR : TH_NORMAL), ui->utf8, line);
	}
	if (c->n == 0)
		return y;
	lc_fmt_short(c->rec[0].t2000, a, sizeof a);
	lc_fmt_short(c->rec[c->n - 1].t2000, b, sizeof b);
	snprintf(line, sizeof line, "period %d min (stamps; 0x%04X = %d)  "
	    "%s..%s meter time", c->period_s / 60,
	    (unsigned)regmap_get(REG_LC_INTEGRATION_PERIOD)->addr,
	    c->hdr.period_reg, a, b);
	widget_put(win, y++, 1, 0, ui_attr(ui, TH_UNIT), ui->utf8, line);
	snprintf(line, sizeof line, "%zu records  gaps %d (%d intervals "
	    "missing, x)  incomplete %d (!)%s%s", c->n, c->ngaps, c->nmissing,
	    c->nincomplete, c->hdr.scale_assumed ? "  scale 1/1 assumed" : "",
	    c->header_mismatch ? "  headers differ between pages" : "");
	widget_put(win, y++, 1, 0, ui_attr(ui, c->ngaps ? TH_WARN : TH_UNIT),
	    ui->utf8, line);
	return y;
}

/*
 * The cursor's interval in words, under the chart: the newest record stamped
 * in (lo, hi], else the one whose interval covers the column (stamps are
 * interval ends), else why there is none.
 */
static void
lc_draw_cursor(struct lc_screen *s, WINDOW *win, int y, const struct lc_curve *c,
    int64_t lo, int64_t hi, unsigned char mark)
{
	struct ui	*ui = s->ui;
	char		 loc[32], utc[32], w[32], line[200];
	int		 j;

	j = lc_find(c, hi);
	if (c->rec[j].t2000 > hi)
		j--;
	if (j < 0 || c->rec[j].t2000 <= lo) {
		j++;		/* the next record: does its interval cover? */
		if ((size_t)j >= c->n || c->rec[j].t2000 - c->period_s >= hi)
			j = -1;
	}
	if (j < 0) {
		lc_format_local(hi, loc, sizeof loc);
		snprintf(line, sizeof line, "cursor %s: %s", loc,
		    (mark & LC_MARK_GAP) ? "gap, no record stored" : "no data");
		widget_put(win, y, 1, 0, ui_attr(ui, TH_WARN), ui->utf8, line);
		return;
	}
	lc_format_local(c->rec[j].t2000, loc, sizeof loc);
	lc_format_utc(c->rec[j].t2000, utc, sizeof utc);
	lc_format_w(&c->rec[j], w, sizeof w);
	snprintf(line, sizeof line, "cursor %s (%s)  %s W  %s", loc, utc, w,
	    c->rec[j].flag ? "incomplete interval" : "full interval");
	widget_put(win, y, 1, 0, ui_attr(ui, c->rec[j].flag ? TH_WARN :
	    TH_VALUE), ui->utf8, line);
}

/* The chart with its scale, time axis and cursor line, from row y. */
static void
lc_draw_chart(struct lc_screen *s, WINDOW *win, int y, int h, int cols,
    const struct lc_curve *c)
{
	struct ui		*ui = s->ui;
	struct chart_opts	 o;
	struct chart		 ch;
	struct err		 e;
	double			*val;
	unsigned char		*mark;
	int64_t			 t0, t1, lo, hi;
	char			 a[32], b[32], lab[32];
	int			 i, n, col, spc;

	o.style = s->style;
	o.width = cols - LCS_YLABEL_W - 1;
	o.height = h - y - 3;		/* marker, axis, cursor lines */
	o.ymax = 0;
	if (o.width < 10 || o.height < 2 || c->n == 0)
		return;
	s->width = o.width;
	if (s->cursor < 0 || s->cursor >= o.width)
		s->cursor = o.width - 1;
	o.cursor = s->cursor;
	spc = chart_samples_per_col(o.style);
	n = o.width * spc;
	val = calloc((size_t)n, sizeof *val);
	mark = calloc((size_t)n, sizeof *mark);
	lc_window(s, c, &t0, &t1);
	if (val == NULL || mark == NULL || t1 <= t0)
		goto out;
	lc_bin(c, t0, t1, n, val, mark);	/* its marks are the chart's */
	if (chart_render(val, mark, n, &o, &ch, &e) == -1)
		goto out;
	lc_fmt_power(ch.ymax, lab, sizeof lab);
	widget_put_right(win, y, 0, LCS_YLABEL_W - 1, ui_attr(ui, TH_UNIT),
	    ui->utf8, lab);
	widget_put_right(win, y + o.height - 1, 0, LCS_YLABEL_W - 1,
	    ui_attr(ui, TH_UNIT), ui->utf8, "0");
	for (i = 0; i < ch.nlines; i++)
		widget_put(win, y + i, LCS_YLABEL_W, o.width, ui_attr(ui,
		    i == o.height ? TH_WARN : TH_SPARK), ui->utf8, ch.lines[i]);
	chart_release(&ch);
	lc_fmt_short(t0, a, sizeof a);
	lc_fmt_short(t1, b, sizeof b);
	/* right-aligned text pads on its left: draw it first */
	widget_put_right(win, y + o.height + 1, LCS_YLABEL_W, o.width,
	    ui_attr(ui, TH_UNIT), ui->utf8, b);
	widget_put(win, y + o.height + 1, LCS_YLABEL_W, 0, ui_attr(ui,
	    TH_UNIT), ui->utf8, a);
	widget_printf(win, y + o.height + 1, LCS_YLABEL_W + o.width / 2 - 3, 0,
	    ui_attr(ui, TH_UNIT), ui->utf8, "%s", lc_zoom_name(s->zoom));
	col = o.cursor;
	lo = t0 + (t1 - t0) * col / o.width;
	hi = t0 + (t1 - t0) * (col + 1) / o.width;
	for (i = col * spc + 1; i < (col + 1) * spc; i++)
		mark[col * spc] |= mark[i];
	lc_draw_cursor(s, win, y + o.height + 2, c, lo, hi, mark[col * spc]);
out:
	free(val);
	free(mark);
}

/*
 * "exported 665 records to ./loadcurve-kitchen-20260101T120000Z.csv"; when
 * narrow, the file name stays whole and the directory is cut in its middle.
 */
static void
lc_draw_exported(struct lc_screen *s, WINDOW *win, int y, int w)
{
	struct ui	*ui = s->ui;
	char		 line[4400], dir[4200], fit[4200];
	const char	*base = strrchr(s->exported, '/');
	int		 room;

	snprintf(line, sizeof line, "exported %d records to %s", s->nexported,
	    s->exported);
	if (widget_text_width(line) > w - 2 && base != NULL) {
		snprintf(dir, sizeof dir, "%.*s", (int)(base - s->exported),
		    s->exported);
		snprintf(line, sizeof line, "exported %d records: %s in ",
		    s->nexported, base + 1);
		room = w - 2 - widget_text_width(line);
		if (room < 4)
			room = 4;
		widget_fit_middle(fit, sizeof fit, dir, room, ui->utf8,
		    ui->g->ellipsis);
		snprintf(line + strlen(line), sizeof line - strlen(line), "%s",
		    fit);
	}
	widget_put(win, y, 1, 0, ui_attr(ui, TH_OK), ui->utf8, line);
}

static void
lc_draw(void *arg, struct ui *ui, WINDOW *win)
{
	struct lc_screen	*s = arg;
	const struct meter	*m = ui_meter(ui);
	const struct lc_curve	*c;
	int			 h, w, y;

	getmaxyx(win, h, w);
	if (m == NULL) {
		widget_put(win, 1, 1, 0, ui_attr(ui, TH_WARN), ui->utf8,
		    "No meter is configured.");
		return;
	}
	c = lc_curve_shown(s, m);
	y = lc_draw_head(s, win, m, c);
	if (s->exported[0] != '\0' && c != NULL)
		lc_draw_exported(s, win, y++, w);
	if (c != NULL)
		lc_draw_chart(s, win, y, h, w, c);
}

/* Start a read for the selected meter. */
static void
lc_load(struct lc_screen *s, const struct meter *m)
{
	struct err	e = { "", 0 };

	if (s->f != NULL && lc_fetch_progress(s->f)->state == LCF_RUNNING) {
		ui_message(s->ui, "a load-curve read is running: c cancels it");
		return;
	}
	lc_fetch_free(s->f);
	s->exported[0] = '\0';
	s->view_end = 0;
	s->cursor = -1;
	s->f = lc_fetch_new(s->ui->engine, s->ui->loop, m->index,
	    (int64_t)LCS_DEPTH_DAYS * 86400, 0, lcs_fetch_cb, s);
	if (s->f == NULL || lc_fetch_start(s->f, &e) == -1)
		ui_message(s->ui, "cannot read the load curve: %s",
		    s->f == NULL ? "out of memory" : e.msg);
}

static void
lc_export(struct lc_screen *s, const struct meter *m, const struct lc_curve *c)
{
	struct err	 e = { "", 0 };
	const char	*base;
	int		 n;

	if (c == NULL || c->n == 0) {
		ui_message(s->ui, "nothing to export: Enter reads the curve");
		return;
	}
	n = lc_export_csv(c, s->ui->cfg->export_dir, m->conf->name,
	    clock_wall_ms() / 1000, s->exported, sizeof s->exported, &e);
	if (n < 0) {
		s->exported[0] = '\0';
		ui_message(s->ui, "export failed: %s", e.msg);
	} else {
		/* the status line is short: the file's name; the line above
		 * the chart gives the count and the directory too */
		s->nexported = n;
		base = strrchr(s->exported, '/');
		ui_message(s->ui, "exported %s", base != NULL ? base + 1 :
		    s->exported);
	}
}

/* Move the cursor by dc columns, scrolling the window at its edges. */
static void
lc_move(struct lc_screen *s, const struct lc_curve *c, int dc)
{
	int64_t	t0, t1;

	if (c == NULL || c->n == 0 || s->width <= 0)
		return;
	lc_window(s, c, &t0, &t1);
	if (s->cursor < 0)
		s->cursor = s->width - 1;
	s->cursor += dc;
	if (s->cursor < 0 || s->cursor >= s->width) {
		s->view_end = t1 + (t1 - t0) * (s->cursor < 0 ? s->cursor :
		    s->cursor - s->width + 1) / s->width;
		s->cursor = s->cursor < 0 ? 0 : s->width - 1;
	}
}

static void
lc_page(struct lc_screen *s, const struct lc_curve *c, int dir)
{
	int64_t	t0, t1;

	if (c == NULL || c->n == 0)
		return;
	lc_window(s, c, &t0, &t1);
	s->view_end = t1 + dir * (t1 - t0);
	if (s->view_end <= 0)
		s->view_end = 1;
}

static enum screen_key
lc_key(void *arg, struct ui *ui, int key)
{
	struct lc_screen	*s = arg;
	const struct meter	*m = ui_meter(ui);
	const struct lc_curve	*c = lc_curve_shown(s, m);

	if (m == NULL)
		return SCREEN_IGNORED;
	switch (key) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		lc_load(s, m);
		return SCREEN_HANDLED;
	case 'c':
		if (s->f != NULL && lc_fetch_progress(s->f)->state ==
		    LCF_RUNNING) {
			lc_fetch_cancel(s->f);
			ui_message(ui, "cancelling after the page in flight");
		}
		return SCREEN_HANDLED;
	case 'd':
		s->zoom = LC_ZOOM_DAY;
		return SCREEN_HANDLED;
	case 'w':
		s->zoom = LC_ZOOM_WEEK;
		return SCREEN_HANDLED;
	case 'a':
		s->zoom = LC_ZOOM_ALL;
		return SCREEN_HANDLED;
	case 'h':
	case KEY_LEFT:
		lc_move(s, c, -1);
		return SCREEN_HANDLED;
	case 'l':
	case KEY_RIGHT:
		lc_move(s, c, 1);
		return SCREEN_HANDLED;
	case 'H':
	case KEY_PPAGE:
		lc_page(s, c, -1);
		return SCREEN_HANDLED;
	case 'L':
	case KEY_NPAGE:
		lc_page(s, c, 1);
		return SCREEN_HANDLED;
	case 'g':
	case KEY_HOME:
		if (c != NULL && c->n > 0)
			s->view_end = c->rec[0].t2000 - c->period_s +
			    lc_zoom_span_s(c, s->zoom);
		s->cursor = 0;
		return SCREEN_HANDLED;
	case 'G':
	case KEY_END:
		s->view_end = 0;
		s->cursor = -1;
		return SCREEN_HANDLED;
	case 'b':
		s->style = !ui->utf8 ? CHART_ASCII : s->style == CHART_BRAILLE ?
		    CHART_BLOCK : s->style == CHART_BLOCK ? CHART_ASCII :
		    CHART_BRAILLE;
		return SCREEN_HANDLED;
	case 'e':
		lc_export(s, m, c);
		return SCREEN_HANDLED;
	}
	return SCREEN_IGNORED;
}

const struct screen_ops screen_loadcurve = {
	.name = "loadcurve",
	.title = "Load curve",
	.open = lc_open,
	.close = lc_close,
	.draw = lc_draw,
	.key = lc_key,
	.keys = lc_help,
};
