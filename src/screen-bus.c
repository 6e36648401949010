/*
 * screen-bus.c: screen 6, the health of each bus and of each meter on it:
 * requests, answers, timeouts, CRC errors, exceptions by code, latency
 * (median, p99), line utilisation, the refresh the bus achieves against
 * the one wanted, connection state and last error, and a hint next to a
 * recognisable error pattern. Scrolls when taller than the window.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"

static const struct screen_help bus_help[] = {
	{ "Up Down j k", "scroll a line" },
	{ "PgUp PgDn", "scroll a page" },
	{ "Home End", "top / bottom" },
	{ NULL, NULL }
};

struct bus_screen {
	int	top;
	int	page;
	int	total;		/* lines drawn last time */
};

/* A line cursor over a scrolled window. */
struct bus_lines {
	WINDOW	*win;
	int	 n;		/* logical line */
	int	 top, h;
};

/* The window row of the next logical line, or -1 when scrolled away. */
static int
bus_line(struct bus_lines *l)
{
	int	y = l->n++ - l->top + 1;	/* row 0: the header */

	return y >= 1 && y < l->h ? y : -1;
}

static void *
bus_open(struct ui *ui)
{
	(void)ui;
	return calloc(1, sizeof(struct bus_screen));
}

static void
bus_close(void *arg)
{
	free(arg);
}

/* What an error pattern usually means (NULL when nothing stands out). */
static const char *
bus_hint(const struct link_stats *st, const struct meter *m)
{
	if (st->exceptions[2] > 0)
		return "exception 02: wrong register map or wrong device";
	if (m != NULL && m->status == MS_NOT_E34)
		return "identification says another device: not an E34 at "
		    "this address";
	if (st->requests >= 3 && st->answers == 0 && st->timeouts > 0)
		return "no answer at all: check address, speed, parity, "
		    "wiring (A/B swapped?)";
	if (st->crc_errors > 0)
		return "CRC errors: check the line termination (120 ohm at "
		    "both ends) and noise";
	if (st->io_errors > 0 && st->answers == 0)
		return "I/O errors: device unplugged or gateway unreachable";
	if (st->requests > 20 && st->timeouts * 10 > st->requests)
		return "many timeouts: a weak line, or timeout_ms too short";
	return NULL;
}

/* "02x3 04x1" or "-". */
static void
bus_fmt_exc(char *buf, size_t len, const struct link_stats *st)
{
	size_t	off = 0;
	int	c;

	buf[0] = '\0';
	for (c = 0; c < STATS_EXC_MAX && off < len; c++) {
		if (st->exceptions[c] == 0)
			continue;
		off += (size_t)snprintf(buf + off, len - off, "%s%s%02dx%llu",
		    off ? " " : "", c == 0 ? "other:" : "", c,
		    (unsigned long long)st->exceptions[c]);
	}
	if (buf[0] == '\0')
		snprintf(buf, len, "-");
}

static void
bus_draw_bus(struct ui *ui, struct bus_lines *l, const struct bus_view *bv)
{
	const struct bus_conf	*bc = bv->conf;
	const struct link_stats	*st = &bv->stats;
	char			 line[320], a[32], b[32], c[32], exc[96];
	const char		*hint;
	int			 y, util, x;
	int64_t			 now = ui_now_ms(ui);

	if ((y = bus_line(l)) != -1) {
		snprintf(line, sizeof line, "Bus %s: ", bc->name);
		x = widget_put(l->win, y, 0, 0, ui_attr(ui, TH_HEADER),
		    ui->utf8, line);
		x += widget_put(l->win, y, x, 0, ui_attr(ui, bv->connected ?
		    TH_OK : TH_ERROR), ui->utf8, bv->connected ? "connected" :
		    "not connected");
		if (bc->type == BUS_TCP)
			snprintf(line, sizeof line, "  tcp %s:%d  timeout %d ms",
			    bc->host, bc->port, bc->timeout_ms);
		else
			snprintf(line, sizeof line, "  rtu %d 8%c%d  timeout %d "
			    "ms  %s", bc->baud, bc->parity, bc->stop_bits,
			    bc->timeout_ms, bc->device);
		widget_put(l->win, y, x, 0, ui_attr(ui, TH_HEADER), ui->utf8,
		    line);
	}
	if (bv->last_error[0] != '\0' && (y = bus_line(l)) != -1) {
		widget_printf(l->win, y, 2, 0, ui_attr(ui, bv->connected ?
		    TH_WARN : TH_ERROR), ui->utf8, "last error: %s",
		    bv->last_error);
	}
	if ((y = bus_line(l)) != -1) {
		bus_fmt_exc(exc, sizeof exc, st);
		widget_printf(l->win, y, 2, 0, ui_attr(ui, TH_NORMAL), ui->utf8,
		    "requests %llu  answers %llu  timeouts %llu  CRC %llu  "
		    "I/O %llu  exceptions %s",
		    (unsigned long long)st->requests,
		    (unsigned long long)st->answers,
		    (unsigned long long)st->timeouts,
		    (unsigned long long)st->crc_errors,
		    (unsigned long long)st->io_errors, exc);
	}
	if ((y = bus_line(l)) != -1) {
		util = stats_util_permille(st, now);
		widget_fmt_us(a, sizeof a, stats_lat_p50_us(st));
		widget_fmt_us(b, sizeof b, stats_lat_p99_us(st));
		x = 2 + widget_printf(l->win, y, 2, 0, ui_attr(ui, TH_NORMAL),
		    ui->utf8, "latency p50 %s  p99 %s  load %3d%% ",
		    st->answers ? a : "-", st->answers ? b : "-",
		    (util + 5) / 10);
		widget_bar(l->win, y, x, 20, util, ui_attr(ui, TH_BAR),
		    ui_attr(ui, TH_BAR_EMPTY), ui->utf8);
	}
	if ((y = bus_line(l)) != -1) {
		widget_fmt_period(a, sizeof a, bv->achievable_ms);
		widget_fmt_period(b, sizeof b, bv->wanted_ms);
		widget_fmt_us(c, sizeof c, bv->round_us);
		snprintf(line, sizeof line, "refresh %s achievable, %s wanted "
		    "(round of %d: %s, wire ", bv->achievable_ms > 0 ? a : "?",
		    b, bv->nmeters, bv->round_us ? c : "?");
		widget_fmt_us(c, sizeof c, bv->wire_round_us);
		strncat(line, c, sizeof line - strlen(line) - 1);
		strncat(line, ")", sizeof line - strlen(line) - 1);
		widget_put(l->win, y, 2, 0, ui_attr(ui, bv->achievable_ms >
		    bv->wanted_ms ? TH_WARN : TH_NORMAL), ui->utf8, line);
	}
	if (bv->achievable_ms > bv->wanted_ms && (y = bus_line(l)) != -1)
		widget_put(l->win, y, 4, 0, ui_attr(ui, TH_WARN), ui->utf8,
		    "hint: the bus cannot carry the wanted refresh: raise "
		    "poll_ms, the line speed, or split the meters over buses");
	if ((hint = bus_hint(st, NULL)) != NULL && (y = bus_line(l)) != -1)
		widget_printf(l->win, y, 4, 0, ui_attr(ui, TH_WARN), ui->utf8,
		    "hint: %s", hint);
}

/* Width of the meter label column. */
static int
bus_label_width(const struct bus_lines *l)
{
	int	w = getmaxx(l->win) - 78;

	return w < 12 ? 12 : w > 32 ? 32 : w;
}

/* The load column only where it fits (90 columns and more). */
static int
bus_show_load(const struct bus_lines *l)
{
	return getmaxx(l->win) >= 90;
}

static void
bus_draw_meter_head(struct ui *ui, struct bus_lines *l)
{
	int	y, lw = bus_label_width(l);

	if ((y = bus_line(l)) == -1)
		return;
	widget_printf(l->win, y, 2, 0, ui_attr(ui, TH_HEADER), ui->utf8,
	    "%-*s %4s %-13s %6s %6s %4s %4s %4s %7s %7s%s", lw, "Meter",
	    "Addr", "State", "Req", "Ans", "Tmo", "CRC", "Exc", "p50", "p99",
	    bus_show_load(l) ? "  Load" : "");
}

static void
bus_draw_meter(struct ui *ui, struct bus_lines *l, const struct meter *m)
{
	const struct link_stats	*st = &m->stats;
	char			 c[5][12], a[24], b[24], state[40], line[256];
	char			 label[128];
	const char		*hint;
	enum theme_elem		 el;
	int			 y, x, lw = bus_label_width(l);

	if ((y = bus_line(l)) != -1) {
		widget_put(l->win, y, 2, lw, ui_attr(ui, TH_NORMAL), ui->utf8,
		    ui_fit(ui, label, sizeof label, m->conf->label, lw));
		x = 2 + lw + 1;
		x += widget_printf(l->win, y, x, 0, ui_attr(ui, TH_NORMAL),
		    ui->utf8, "%4d ", m->conf->address);
		el = ui_meter_state(ui, m, state, sizeof state);
		widget_put(l->win, y, x, 13, ui_attr(ui, el), ui->utf8, state);
		x += 14;
		widget_fmt_count(c[0], sizeof c[0], st->requests);
		widget_fmt_count(c[1], sizeof c[1], st->answers);
		widget_fmt_count(c[2], sizeof c[2], st->timeouts);
		widget_fmt_count(c[3], sizeof c[3], st->crc_errors);
		widget_fmt_count(c[4], sizeof c[4], stats_exceptions_total(st));
		widget_fmt_us(a, sizeof a, stats_lat_p50_us(st));
		widget_fmt_us(b, sizeof b, stats_lat_p99_us(st));
		snprintf(line, sizeof line, "%6s %6s %4s %4s %4s %7s %7s", c[0],
		    c[1], c[2], c[3], c[4], st->answers ? a : "-",
		    st->answers ? b : "-");
		if (bus_show_load(l))
			snprintf(line + strlen(line), sizeof line - strlen(line),
			    "  %3d%%", (stats_util_permille(st,
			    ui_now_ms(ui)) + 5) / 10);
		widget_put(l->win, y, x, 0, ui_attr(ui, TH_NORMAL), ui->utf8,
		    line);
	}
	if ((hint = bus_hint(st, m)) != NULL && (y = bus_line(l)) != -1)
		widget_printf(l->win, y, 4, 0, ui_attr(ui, TH_WARN), ui->utf8,
		    "hint: %s", hint);
}

static void
bus_draw(void *arg, struct ui *ui, WINDOW *win)
{
	struct bus_screen	*s = arg;
	struct bus_lines	 l = { .win = win, .h = getmaxy(win) };
	int			 nb, i, j, first;
	const struct meter	*m;
	char			 line[64];

	nb = ui->engine != NULL ? engine_nbuses(ui->engine) : 0;
	s->page = l.h - 2 > 1 ? l.h - 2 : 1;
	if (s->top > s->total - s->page)
		s->top = s->total - s->page;
	if (s->top < 0)
		s->top = 0;
	l.top = s->top;
	widget_put(win, 0, 1, 0, ui_attr(ui, TH_HEADER), ui->utf8,
	    "Buses and meters: counters since start");
	for (i = 0; i < nb; i++) {
		bus_draw_bus(ui, &l, engine_bus(ui->engine, i));
		first = 1;
		for (j = 0; j < ui_nmeters(ui); j++) {
			m = ui_meter_at(ui, j);
			if (m->conf->bus != i)
				continue;
			if (first)
				bus_draw_meter_head(ui, &l);
			first = 0;
			bus_draw_meter(ui, &l, m);
		}
		bus_line(&l);
	}
	if (nb == 0)
		widget_put(win, 1, 1, 0, ui_attr(ui, TH_WARN), ui->utf8,
		    "No bus configured.");
	s->total = l.n;
	if (s->total > s->page) {
		snprintf(line, sizeof line, " lines %d-%d of %d ", s->top + 1,
		    s->top + s->page < s->total ? s->top + s->page : s->total,
		    s->total);
		widget_put_right(win, 0, getmaxx(win) - 24, 23, ui_attr(ui,
		    TH_UNIT), ui->utf8, line);
	}
}

static enum screen_key
bus_key(void *arg, struct ui *ui, int key)
{
	struct bus_screen	*s = arg;

	(void)ui;
	switch (key) {
	case KEY_UP:
	case 'k':
		s->top--;
		break;
	case KEY_DOWN:
	case 'j':
		s->top++;
		break;
	case KEY_PPAGE:
		s->top -= s->page;
		break;
	case KEY_NPAGE:
	case ' ':
		s->top += s->page;
		break;
	case KEY_HOME:
	case 'g':
		s->top = 0;
		break;
	case KEY_END:
	case 'G':
		s->top = s->total;
		break;
	default:
		return SCREEN_IGNORED;
	}
	if (s->top < 0)
		s->top = 0;
	return SCREEN_HANDLED;	/* draw clamps to the window */
}

const struct screen_ops screen_bus = {
	.name = "bus",
	.title = "Bus",
	.hotkey = '6',
	.open = bus_open,
	.close = bus_close,
	.draw = bus_draw,
	.key = bus_key,
	.help = bus_help,
};
