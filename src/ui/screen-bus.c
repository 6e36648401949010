/*
 * screen-bus.c: screen 6, the health of each bus and of each meter on it:
 * requests, answers, timeouts, CRC errors, exceptions by code, latency
 * (median, p99), line utilisation, the refresh the bus achieves against
 * the one wanted, connection state and last error, and a hint next to a
 * recognisable error pattern. Scrolls when taller than the window.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mqtt.h"
#include "pollplan.h"
#include "screen.h"

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

/*
 * A text on as many lines as it needs at this width, from column x, the
 * rows after the first indented (each row is one logical line, so the view
 * scrolls through it like any other).
 */
static void
bus_text(struct ui *ui, struct bus_lines *l, int x, int indent, attr_t a,
    const char *text)
{
	char	row[320];
	int	y, first = 1, cols;

	for (;;) {
		cols = getmaxx(l->win) - x - (first ? 0 : indent);
		if (!widget_wrap_line(&text, cols, ui->utf8, row, sizeof row))
			break;
		if ((y = bus_line(l)) != -1)
			widget_put(l->win, y, x + (first ? 0 : indent), cols, a,
			    ui->utf8, row);
		first = 0;
	}
}

/*
 * What the engine's round holds for a bus: one cycle of each meter not
 * offline. An identified E34 reads the fast set (more when the slow set or
 * identification is due); any other meter (not identified yet, or a
 * foreign device between re-checks) last ran an identification, which
 * starts with the magic read. *wire_us: the least time those cycles keep
 * the line busy at its speed, requests, answers and silences.
 */
static void
bus_round_parts(const struct ui *ui, const struct bus_view *bv, int *e34,
    int *other, int *offline, uint32_t *wire_us)
{
	const struct poll_plan	*p = engine_plan(ui->engine);
	const struct meter	*m;
	uint64_t		 w = 0;
	int			 i;

	*e34 = *other = *offline = 0;
	for (i = 0; i < ui_nmeters(ui); i++) {
		m = ui_meter_at(ui, i);
		if (&ui->cfg->buses[m->conf->bus] != bv->conf)
			continue;
		if (m->offline)
			(*offline)++;
		else if (m->ident.done && m->ident.is_e34) {
			(*e34)++;
			w += poll_set_wire_us(bv->conf, &p->fast);
		} else {
			(*other)++;
			w += poll_set_wire_us(bv->conf, &p->magic);
		}
	}
	*wire_us = w > UINT32_MAX ? UINT32_MAX : (uint32_t)w;
}

/*
 * The refresh the bus achieves, and where it comes from. The engine sums
 * the worker time of the last cycle of every meter not offline (round_us)
 * and takes that as the achievable refresh. The wire time is counted here
 * for those same cycles (bus_round_parts), so the round is never less:
 * the rest is turnaround, the meters' answer latency, and the timeouts.
 * (The engine's own wire_round_us is a full poll of every configured
 * meter, offline and foreign ones too: not comparable, so not shown.)
 */
static void
bus_draw_round(struct ui *ui, struct bus_lines *l, const struct bus_view *bv)
{
	const struct bus_conf	*bc = bv->conf;
	char			 a[32], b[32], what[96], line[320], skip[64];
	int			 y, e34, other, offline, late;
	uint32_t		 wire;

	late = bv->achievable_ms > bv->wanted_ms;
	if ((y = bus_line(l)) != -1) {
		widget_fmt_period(a, sizeof a, bv->achievable_ms);
		widget_fmt_period(b, sizeof b, bv->wanted_ms);
		widget_printf(l->win, y, 2, 0, ui_attr(ui, late ? TH_WARN :
		    TH_NORMAL), ui->utf8, "refresh %s achievable, %s wanted",
		    bv->achievable_ms > 0 ? a : "?", b);
	}
	bus_round_parts(ui, bv, &e34, &other, &offline, &wire);
	if (other > 0)
		snprintf(what, sizeof what, "%d full poll%s, %d identification "
		    "read%s", e34, e34 == 1 ? "" : "s", other,
		    other == 1 ? "" : "s");
	else
		snprintf(what, sizeof what, "%d full poll%s", e34,
		    e34 == 1 ? "" : "s");
	skip[0] = '\0';
	if (offline > 0)
		snprintf(skip, sizeof skip, "; %d offline left out", offline);
	widget_fmt_us(a, sizeof a, bv->round_us);
	widget_fmt_us(b, sizeof b, wire);
	if (bv->round_us == 0)
		snprintf(line, sizeof line, "round: not measured yet");
	else if (!bus_has_line(bc) || wire == 0)
		snprintf(line, sizeof line, "round: %s for one cycle of each "
		    "meter (%s%s)", a, what, skip);
	else
		snprintf(line, sizeof line, "round: %s for one cycle of each "
		    "meter, %s %s on the wire at %d baud (%s%s)", a, b,
		    bv->round_us >= wire ? "of it" : "needed", bc->baud, what,
		    skip);
	bus_text(ui, l, 2, 2, ui_attr(ui, TH_UNIT), line);
	if (late)
		bus_text(ui, l, 4, 6, ui_attr(ui, TH_WARN), "hint: the bus "
		    "cannot carry the wanted refresh: raise poll_ms, the line "
		    "speed, or split the meters over buses");
}

static void
bus_draw_bus(struct ui *ui, struct bus_lines *l, const struct bus_view *bv)
{
	const struct bus_conf	*bc = bv->conf;
	const struct link_stats	*st = &bv->stats;
	char			 line[320], a[32], b[32], exc[96];
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
		else if (bc->type == BUS_RTU_TCP)
			snprintf(line, sizeof line, "  rtu-tcp %s:%d, line %d "
			    "8%c%d  timeout %d ms", bc->host, bc->port,
			    bc->baud, bc->parity, bc->stop_bits,
			    bc->timeout_ms);
		else
			snprintf(line, sizeof line, "  rtu %d 8%c%d  timeout %d "
			    "ms", bc->baud, bc->parity, bc->stop_bits,
			    bc->timeout_ms);
		widget_put(l->win, y, x, 0, ui_attr(ui, TH_HEADER), ui->utf8,
		    line);
	}
	if (bc->type == BUS_RTU) {
		snprintf(line, sizeof line, "device %s", bc->device);
		bus_text(ui, l, 2, 7, ui_attr(ui, TH_UNIT), line);
	}
	if (bv->last_error[0] != '\0') {
		snprintf(line, sizeof line, "last error: %s", bv->last_error);
		bus_text(ui, l, 2, 4, ui_attr(ui, bv->connected ? TH_WARN :
		    TH_ERROR), line);
	}
	if ((y = bus_line(l)) != -1) {
		bus_fmt_exc(exc, sizeof exc, st);
		widget_printf(l->win, y, 2, 0, ui_attr(ui, TH_NORMAL), ui->utf8,
		    "requests %llu  answers %llu  timeouts %llu  CRC %llu  "
		    "I/O %llu  exceptions %s%s%.0llu",
		    (unsigned long long)st->requests,
		    (unsigned long long)st->answers,
		    (unsigned long long)st->timeouts,
		    (unsigned long long)st->crc_errors,
		    (unsigned long long)st->io_errors, exc,
		    st->strays > 0 ? "  stray " : "",
		    (unsigned long long)st->strays);
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
	bus_draw_round(ui, l, bv);
	if ((hint = bus_hint(st, NULL)) != NULL) {
		snprintf(line, sizeof line, "hint: %s", hint);
		bus_text(ui, l, 4, 6, ui_attr(ui, TH_WARN), line);
	}
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
	if ((hint = bus_hint(st, m)) != NULL) {
		snprintf(line, sizeof line, "hint: %s", hint);
		bus_text(ui, l, 4, 6, ui_attr(ui, TH_WARN), line);
	}
}

/* The MQTT exporter's link and the state messages it could not send. */
static void
bus_draw_mqtt(struct ui *ui, struct bus_lines *l)
{
	struct mqtt_stats	st;
	char			line[160];

	mqtt_stats(&st);
	if (!st.running)
		return;
	snprintf(line, sizeof line, "MQTT: %s, %llu sent, %llu dropped",
	    st.connected ? "connected" : "broker away, retrying",
	    (unsigned long long)st.published, (unsigned long long)st.dropped);
	bus_text(ui, l, 1, 2, ui_attr(ui, st.connected ? TH_OK : TH_WARN),
	    line);
}

/* Every bus and its meters as logical lines; returns how many. */
static int
bus_draw_lines(struct ui *ui, struct bus_lines *l, int nb)
{
	const struct meter	*m;
	int			 i, j, first;

	for (i = 0; i < nb; i++) {
		bus_draw_bus(ui, l, engine_bus(ui->engine, i));
		first = 1;
		for (j = 0; j < ui_nmeters(ui); j++) {
			m = ui_meter_at(ui, j);
			if (m->conf->bus != i)
				continue;
			if (first)
				bus_draw_meter_head(ui, l);
			first = 0;
			bus_draw_meter(ui, l, m);
		}
		bus_line(l);
	}
	bus_draw_mqtt(ui, l);
	return l->n;
}

static void
bus_draw(void *arg, struct ui *ui, WINDOW *win)
{
	struct bus_screen	*s = arg;
	struct bus_lines	 l = { .win = win, .h = getmaxy(win) };
	int			 nb;
	char			 line[64];

	nb = ui->engine != NULL ? engine_nbuses(ui->engine) : 0;
	s->page = l.h - 2 > 1 ? l.h - 2 : 1;
	/* count the lines first (nothing is drawn that far down), so End
	 * and a resize clamp against this draw, not the last one */
	l.top = INT_MAX / 2;
	s->total = bus_draw_lines(ui, &l, nb);
	if (s->top > s->total - s->page)
		s->top = s->total - s->page;
	if (s->top < 0)
		s->top = 0;
	l.n = 0;
	l.top = s->top;
	widget_put(win, 0, 1, 0, ui_attr(ui, TH_HEADER), ui->utf8,
	    "Buses and meters: counters since start");
	bus_draw_lines(ui, &l, nb);
	if (nb == 0)
		widget_put(win, 1, 1, 0, ui_attr(ui, TH_WARN), ui->utf8,
		    "No bus configured.");
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

	/* before the first draw the page is not known yet */
	if (s->page < 1)
		s->page = ui->body != NULL && getmaxy(ui->body) > 3 ?
		    getmaxy(ui->body) - 2 : 1;
	/* End: the draw clamps to the last page */
	if (!widget_scroll_key(key, &s->top, s->page, INT_MAX / 4))
		return SCREEN_IGNORED;
	if (s->top < 0)
		s->top = 0;
	return SCREEN_HANDLED;	/* draw clamps to the window */
}

const struct screen_ops screen_bus = {
	.name = "bus",
	.title = "Bus",
	.open = bus_open,
	.close = bus_close,
	.draw = bus_draw,
	.key = bus_key,
	.keys = bus_help,
};
