/*
 * screen-measure.c: screen 3, every register of the selected meter that only
 * the bus can read, grouped, each with its value, unit, min, max and
 * average since start and a sparkline of the recent values. Values are
 * printed exactly from the raw integers (reg_format, fmt_fixed), never
 * through floating point. Rows whose register is inferred are marked '~';
 * facts with no register are listed as not readable. Registers the engine
 * does not poll are hidden until 'a' shows them. Scrolls when taller than
 * the window.
 *
 * A row is named by the map's human label ("Ea- last month kWh") and a
 * code the map enumerates is shown decoded ("5 4NBL (3P+N unbalanced)").
 * A cursor (Up/Down) selects a row; the bottom line gives its register:
 * the map's raw name, address, type and confidence. A value that is not
 * fresh carries its age in words ("old: 2m05s"), so it survives a
 * terminal without colours.
 *
 * Energies come first from the 10 Wh registers (2 decimals); "/1" marks the
 * 1 kWh copies and "/16b" the 16-bit MWh ones.
 *
 * The table below chooses the groups and order; any readable E34 register
 * it does not name is appended under "Other registers", so a register
 * added to the map shows up without touching this file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen.h"

enum mrow_kind { MR_GROUP, MR_REG, MR_CLOCK, MR_NOTE };

struct mrow {
	enum mrow_kind	 kind;
	const char	*label;		/* NULL: the register's name */
	enum reg_id	 id;
	int		 shift;		/* 10^shift on the row's scale */
	const char	*unit;		/* NULL: the register's unit */
	enum reg_id	 alt;		/* the same fact elsewhere (or id) */
};

#define G(t)		{ MR_GROUP, (t), REG__COUNT, 0, NULL, REG__COUNT }
#define R(l, id)	{ MR_REG, (l), (id), 0, NULL, (id) }
#define R2(l, id, alt)	{ MR_REG, (l), (id), 0, NULL, (alt) }
#define RK(l, id, u)	{ MR_REG, (l), (id), -3, (u), (id) } /* W to kW */

static const struct mrow measure_table[] = {
	G("Voltages"),
	R("V1", REG_V1), R("V2", REG_V2), R("V3", REG_V3),
	R("U12", REG_U12), R("U23", REG_U23), R("U31", REG_U31),
	G("Currents"),
	R("I1", REG_I1), R("I2", REG_I2), R("I3", REG_I3), R("In", REG_IN),
	G("Active power"),
	RK("P1", REG_P1, "kW"), RK("P2", REG_P2, "kW"), RK("P3", REG_P3, "kW"),
	RK("P total", REG_P, "kW"),
	G("Reactive power"),
	RK("Q1", REG_Q1, "kvar"), RK("Q2", REG_Q2, "kvar"),
	RK("Q3", REG_Q3, "kvar"), RK("Q total", REG_Q, "kvar"),
	G("Apparent power"),
	RK("S1", REG_S1, "kVA"), RK("S2", REG_S2, "kVA"),
	RK("S3", REG_S3, "kVA"), RK("S total", REG_S, "kVA"),
	G("Power factor"),
	R("PF1", REG_PF1), R("PF2", REG_PF2), R("PF3", REG_PF3),
	R("PF total", REG_PF),
	G("Frequency"),
	R("F", REG_F),
	G("Energy"),
	R("Ea+ total", REG_EA_PLUS_TOTAL_10WH),
	R("Ea- total", REG_EA_MINUS_TOTAL_10WH),
	R("Er+ total", REG_ER_PLUS_TOTAL_10VARH),
	R("Ea+ partial", REG_EA_PLUS_PARTIAL_10WH),
	R("Ea- partial", REG_EA_MINUS_PARTIAL_10WH),
	R("Er+ partial", REG_ER_PLUS_PARTIAL_10VARH),
	R("Ea+ total/1", REG_EA_PLUS_TOTAL),
	R("Ea- total/1", REG_EA_MINUS_TOTAL),
	R("Er+ total/1", REG_ER_PLUS_TOTAL),
	R("Ea+ partial/1", REG_EA_PLUS_PARTIAL),
	R("Ea- partial/1", REG_EA_MINUS_PARTIAL),
	R("Er+ partial/1", REG_ER_PLUS_PARTIAL),
	R("Ea+ total/16b", REG_EA_PLUS_TOTAL_MWH),
	R("Ea- total/16b", REG_EA_MINUS_TOTAL_MWH),
	R("Er+ total/16b", REG_ER_PLUS_TOTAL_MVARH),
	G("Tariffs"),
	R2("Tariffs", REG_TARIFF_COUNT, REG_TARIFF_COUNT_B),
	R2("Active tariff", REG_TARIFF_ACTIVE, REG_TARIFF_ACTIVE_B),
	R("Ea+ T1", REG_EA_PLUS_T1_10WH), R("Ea+ T2", REG_EA_PLUS_T2_10WH),
	R("Ea+ T3", REG_EA_PLUS_T3_10WH), R("Ea+ T4", REG_EA_PLUS_T4_10WH),
	R("Ea+ T1/1", REG_EA_PLUS_T1), R("Ea+ T2/1", REG_EA_PLUS_T2),
	R("Ea+ T3/1", REG_EA_PLUS_T3), R("Ea+ T4/1", REG_EA_PLUS_T4),
	G("Day, week, month"),
	R("Ea+ today", REG_EA_PLUS_DAY_10WH),
	R("Ea+ yesterday", REG_EA_PLUS_DAY_PREV_10WH),
	R("Ea+ this week", REG_EA_PLUS_WEEK_10WH),
	R("Ea+ last week", REG_EA_PLUS_WEEK_PREV_10WH),
	R("Ea+ this month", REG_EA_PLUS_MONTH_10WH),
	R("Ea+ last month", REG_EA_PLUS_MONTH_PREV_10WH),
	R("Ea- today", REG_EA_MINUS_DAY_10WH),
	R("Ea- yesterday", REG_EA_MINUS_DAY_PREV_10WH),
	R("Ea- this week", REG_EA_MINUS_WEEK_10WH),
	R("Ea- last week", REG_EA_MINUS_WEEK_PREV_10WH),
	R("Ea- this month", REG_EA_MINUS_MONTH_10WH),
	R("Ea- last month", REG_EA_MINUS_MONTH_PREV_10WH),
	G("Averages"),
	R2("Last avg time", REG_AVG_LAST_DATE, REG_AVG_LAST_DATE_B),
	R2("Last avg P+", REG_AVG_LAST_P_PLUS, REG_AVG_LAST_P_PLUS_B),
	G("Clock"),
	{ MR_CLOCK, "Meter clock", REG_DAY, 0, NULL, REG_DAY },
	G("Identification"),
	R("Vendor", REG_VENDOR_NAME), R("Extended name", REG_EXTENDED_NAME),
	R("Product name", REG_PRODUCT_NAME),
	R("Software", REG_SOFTWARE_VERSION),
	R("JBUS table", REG_JBUS_TABLE_VERSION),
	R("Serial AA/SS", REG_SERIAL_AA_SS), R("Serial SST/L", REG_SERIAL_SST_L),
	R("Serial order", REG_SERIAL_ORDER),
	R("Serial reserve", REG_SERIAL_RESERVE),
	R("MID product", REG_MID_STATUS),
	{ MR_NOTE, "CS", REG_METROLOGY_CHECKSUM_CS, 0, NULL,
	    REG_METROLOGY_CHECKSUM_CS },
};

static const struct screen_help measure_help[] = {
	{ "a", "show / hide the registers the engine does not poll" },
	{ "Up Down j k", "select a row (its register below)" },
	{ "PgUp PgDn", "a page up / down" },
	{ "Home End", "top / bottom" },
	{ NULL, NULL }
};

struct measure {
	struct mrow	*rows;		/* the table, then what it missed */
	int		 nrows;
	int		*vis;		/* rows shown, by index into rows */
	int		 nvis;
	int		 hidden;	/* registers the engine does not poll */
	int		 show_all;	/* 'a': show those too */
	int		 top;
	int		 page;
	int		 sel;		/* cursor, index into vis */
};

static int
measure_listed(const struct mrow *rows, int n, enum reg_id id)
{
	int	i;

	for (i = 0; i < n; i++)
		if (rows[i].kind != MR_GROUP && (rows[i].id == id ||
		    rows[i].alt == id))
			return 1;
	return 0;
}

/* Readable on an E34 and not the load curve (screen 4 shows that). */
static int
measure_wanted(const struct reg_def *d)
{
	if (d->addr < 0 || !(d->access & REG_ACC_R) ||
	    d->type == REG_T_NONE || d->type == REG_T_RECORDS)
		return 0;
	if (d->conf != CONF_CONFIRMED_E34 && d->conf != CONF_INFERRED)
		return 0;
	return strcmp(d->group, "loadcurve") != 0;
}

static void *
measure_open(struct ui *ui)
{
	struct measure		*s;
	const size_t		 nt = sizeof measure_table /
				    sizeof measure_table[0];
	const struct reg_def	*d;
	int			 i, n, other = 0, unknown = 0;
	static const struct mrow other_g = G("Other registers");
	static const struct mrow unknown_g = G("Not readable over Modbus");

	(void)ui;
	if ((s = calloc(1, sizeof *s)) == NULL)
		return NULL;
	if ((s->rows = calloc(nt + 2 * REG__COUNT + 2, sizeof *s->rows)) ==
	    NULL) {
		free(s);
		return NULL;
	}
	memcpy(s->rows, measure_table, sizeof measure_table);
	n = (int)nt;
	for (i = 0; i < REG__COUNT; i++) {
		d = regmap_get((enum reg_id)i);
		if (!measure_wanted(d) || measure_listed(s->rows, n, d->id) ||
		    (d->group != NULL && strcmp(d->group, "clock") == 0))
			continue;
		if (!other++)
			s->rows[n++] = other_g;
		s->rows[n++] = (struct mrow){ MR_REG, NULL, d->id, 0, NULL,
		    d->id };
	}
	for (i = 0; i < REG__COUNT; i++) {
		d = regmap_get((enum reg_id)i);
		if (d->conf != CONF_UNKNOWN || measure_listed(s->rows, n, d->id) ||
		    strcmp(d->group, "loadcurve") == 0)
			continue;
		if (!unknown++)
			s->rows[n++] = unknown_g;
		s->rows[n++] = (struct mrow){ MR_NOTE, NULL, d->id, 0, NULL,
		    d->id };
	}
	s->nrows = n;
	if ((s->vis = calloc((size_t)n, sizeof *s->vis)) == NULL) {
		free(s->rows);
		free(s);
		return NULL;
	}
	return s;
}

static void
measure_close(void *arg)
{
	struct measure	*s = arg;

	if (s == NULL)
		return;
	free(s->rows);
	free(s->vis);
	free(s);
}

/* Integer types whose raw value has a scale (the model's rule, which also
 * decides which keep a trend), but not codes: their min or average means
 * nothing. */
static int
measure_numeric(const struct reg_def *d)
{
	return d->values[0] == '\0' && meter_reg_has_trend(d);
}

struct mcols {
	int	name, value, unit, min, max, avg, spark;	/* x */
	int	wname, wval, wunit, wnum, wspark;		/* widths */
};

static void
measure_geometry(int cols, struct mcols *c)
{
	/* the map's longest labels (26 characters) whole from 120 columns;
	 * narrower, they are cut in the middle */
	c->wname = cols >= 120 ? 26 : 18;
	c->wval = cols >= 120 ? 20 : 11;
	c->wunit = 5;
	c->wnum = cols >= 120 ? 12 : 9;
	c->name = 1;
	c->value = c->name + c->wname + 1;
	c->unit = c->value + c->wval + 1;
	c->min = c->unit + c->wunit + 1;
	c->max = c->min + c->wnum + 1;
	c->avg = c->max + c->wnum + 1;
	c->spark = c->avg + c->wnum + 2;
	c->wspark = cols - c->spark - 1;
	if (c->wspark > METER_TREND_LEN)
		c->wspark = METER_TREND_LEN;
}

static void
measure_fmt_raw(char *buf, size_t len, int64_t raw, const struct reg_def *d,
    int shift)
{
	if (fmt_fixed(buf, len, raw, d->scale_exp + shift, '.') < 0)
		snprintf(buf, len, "?");
}

/* "old: 2m05s" where the trend would be: the age in words, for any terminal. */
static void
measure_age(struct ui *ui, WINDOW *win, int y, const struct mcols *c,
    int64_t age)
{
	char	buf[32];

	widget_fmt_age(buf, sizeof buf, age);
	widget_printf(win, y, c->spark, c->wspark, ui_attr(ui, TH_STALE),
	    ui->utf8, "old: %s", buf);
}

/* Min, max, average since start and the sparkline of one register. */
static void
measure_stats(struct ui *ui, WINDOW *win, int y, const struct mcols *c,
    const struct meter *m, const struct reg_sample *smp, const struct reg_def *d, int shift,
    enum ui_val uv, int64_t age)
{
	char	buf[48];
	int32_t	trend[METER_TREND_LEN];
	int64_t	avg;
	int	n;
	attr_t	a = ui_attr(ui, TH_UNIT);

	if (uv == UV_STALE && age >= 0)
		measure_age(ui, win, y, c, age);
	if (smp == NULL || smp->n == 0 || !measure_numeric(d))
		return;
	measure_fmt_raw(buf, sizeof buf, smp->min, d, shift);
	widget_put_right(win, y, c->min, c->wnum, a, ui->utf8, buf);
	measure_fmt_raw(buf, sizeof buf, smp->max, d, shift);
	widget_put_right(win, y, c->max, c->wnum, a, ui->utf8, buf);
	/* rounded to the nearest raw step, away from zero on halves */
	avg = smp->sum >= 0 ? (smp->sum * 2 / smp->n + 1) / 2 :
	    -((-smp->sum * 2 / smp->n + 1) / 2);
	measure_fmt_raw(buf, sizeof buf, avg, d, shift);
	widget_put_right(win, y, c->avg, c->wnum, a, ui->utf8, buf);
	if (uv != UV_STALE && (n = meter_trend(m, d->id, trend,
	    METER_TREND_LEN)) > 0)
		widget_sparkline(win, y, c->spark, c->wspark, trend, n,
		    ui_attr(ui, TH_SPARK), ui->utf8);
}

/* Code raw of d with the map's meaning: "5 4NBL (3P+N unbalanced)". */
static void
measure_decode(const struct meter *m, enum reg_id id, const struct reg_def *d,
    enum ui_val uv, char *val, size_t len)
{
	const struct reg_sample	*smp = meter_get(m, id);
	char			 text[64];

	if ((uv != UV_FRESH && uv != UV_STALE) || smp == NULL ||
	    d->values[0] == '\0')
		return;
	if (regmap_value_text(d, smp->v.raw, text, sizeof text) != NULL)
		snprintf(val, len, "%lld %s", (long long)smp->v.raw, text);
	else
		snprintf(val, len, "%lld (not in the map)",
		    (long long)smp->v.raw);
}

/* A row's name: its own, else the map's label; '~' when inferred. */
static const char *
measure_row_name(const struct mrow *r, const struct reg_def *d)
{
	return r->label != NULL ? r->label : d->label;
}

static void
measure_draw_reg(struct ui *ui, WINDOW *win, int y, const struct mcols *c,
    const struct meter *m, const struct mrow *r, int selected)
{
	enum reg_id		 id = ui_reg_pick(m, r->id, r->alt);
	const struct reg_def	*d = regmap_get(id);
	char			 val[96], name[48], label[64];
	enum ui_val		 uv;
	int64_t			 age;
	int			 inferred = d->conf == CONF_INFERRED, vw;
	attr_t			 va;

	/* labels of the map differ at their end: cut in the middle */
	snprintf(name, sizeof name, "%s%s", inferred ? "~" : "",
	    measure_row_name(r, d));
	widget_fit_middle(label, sizeof label, name, c->wname, ui->utf8,
	    ui->g->ellipsis);
	widget_put(win, y, c->name, c->wname, ui_attr(ui, inferred ?
	    TH_INFERRED : TH_NORMAL) | (selected ? A_REVERSE : 0), ui->utf8,
	    label);
	uv = ui_reg_text(ui, m, id, r->shift, val, sizeof val, &age);
	measure_decode(m, id, d, uv, val, sizeof val);
	va = ui_attr(ui, uv == UV_FRESH ? TH_VALUE : TH_STALE);
	vw = widget_text_width(val);
	if (vw > c->wval && !measure_numeric(d)) {
		/* a date, a name, a hex word: never cut; it has no min, max
		 * or average, so it takes their columns */
		widget_put(win, y, c->value, c->spark - c->value - 1, va,
		    ui->utf8, val);
	} else
		widget_put_right(win, y, c->value, c->wval, va, ui->utf8, val);
	/* a date is shown as one: its raw unit (seconds) does not apply */
	if (vw <= c->wval && d->type != REG_T_DATETIME)
		widget_put(win, y, c->unit, c->wunit, ui_attr(ui, TH_UNIT),
		    ui->utf8, r->unit != NULL ? r->unit : d->unit);
	if (uv == UV_NONE && ui_reg_poll(ui, id) == UP_NONE &&
	    ui_reg_poll(ui, r->alt) == UP_NONE)
		widget_put(win, y, c->spark, c->wspark, ui_attr(ui, TH_STALE),
		    ui->utf8, "not polled");
	else if (uv == UV_NONE && m->cycles > 0)
		widget_put(win, y, c->spark, c->wspark, ui_attr(ui, TH_STALE),
		    ui->utf8, m->status == MS_NOT_E34 ? "not an E34" :
		    "not read yet");
	measure_stats(ui, win, y, c, m, meter_get(m, id), d, r->shift, uv, age);
}

/* The clock: six registers read as one date; the year encoding is
 * inferred (register map), so the row says so. */
static void
measure_draw_clock(struct ui *ui, WINDOW *win, int y, const struct mcols *c,
    const struct meter *m)
{
	static const enum reg_id ids[6] = { REG_DAY, REG_MONTH, REG_YEAR,
	    REG_HOUR, REG_MINUTE, REG_SECOND };
	int64_t	 v[6], now = ui_now_ms(ui), age = -1, a;
	int	 i, stale = 0;
	char	 buf[80];

	widget_put(win, y, c->name, c->wname, ui_attr(ui, TH_INFERRED),
	    ui->utf8, "~Meter clock");
	for (i = 0; i < 6; i++) {
		if (!meter_raw(m, ids[i], now, 0, &v[i])) {
			widget_put_right(win, y, c->value, c->wval,
			    ui_attr(ui, TH_STALE), ui->utf8, "---");
			return;
		}
		a = meter_age_ms(m, ids[i], now);
		if (a > age)
			age = a;
	}
	stale = ui_reg_stale(ui, m, REG_DAY, age);	/* the one rule */
	if (stale)
		measure_age(ui, win, y, c, age);
	snprintf(buf, sizeof buf, "%s%04lld-%02lld-%02lld %02lld:%02lld:%02lld",
	    v[2] < 100 ? "~" : "", (long long)(v[2] < 100 ? v[2] + 2000 : v[2]),
	    (long long)v[1], (long long)v[0], (long long)v[3], (long long)v[4],
	    (long long)v[5]);
	widget_put(win, y, c->value, 0, ui_attr(ui, stale ? TH_STALE :
	    TH_VALUE), ui->utf8, buf);
	widget_put(win, y, c->max + 2, stale ? c->spark - c->max - 3 : 0,
	    ui_attr(ui, TH_INFERRED), ui->utf8,
	    getmaxx(win) - c->max - 2 >= 40 && !stale ?
	    "meter local time; year encoding inferred" :
	    "local time; year inferred");
}

static void
measure_draw_row(struct ui *ui, WINDOW *win, int y, const struct mcols *c,
    const struct meter *m, const struct mrow *r, int selected)
{
	const struct reg_def	*d;
	attr_t			 sa = selected ? A_REVERSE : 0;

	switch (r->kind) {
	case MR_GROUP:
		widget_put(win, y, 0, 0, ui_attr(ui, TH_HEADER) | sa, ui->utf8,
		    r->label);
		break;
	case MR_REG:
		measure_draw_reg(ui, win, y, c, m, r, selected);
		break;
	case MR_CLOCK:
		measure_draw_clock(ui, win, y, c, m);
		if (selected)
			mvwchgat(win, y, c->name, c->wname, A_REVERSE,
			    PAIR_NUMBER(ui_attr(ui, TH_INFERRED)), NULL);
		break;
	case MR_NOTE:
		d = regmap_get(r->id);
		widget_printf(win, y, c->name, 0, ui_attr(ui, TH_INFERRED) | sa,
		    ui->utf8, "?%s: not readable over Modbus (no register)",
		    measure_row_name(r, d));
		break;
	}
}

/*
 * The selected row's register, from the map: "Ea- last month (kWh):
 * Ea_minus_month_prev 0x9032 U32 kWh confirmed-E34 S1". The raw name stays
 * reachable here when the rows show labels.
 */
static void
measure_draw_detail(struct ui *ui, WINDOW *win, int y, const struct meter *m,
    const struct mrow *r)
{
	const struct reg_def	*d;
	char			 where[24];

	if (r->kind == MR_GROUP) {
		widget_printf(win, y, 1, 0, ui_attr(ui, TH_UNIT), ui->utf8,
		    "%s: Up/Down select a register for its map row", r->label);
		return;
	}
	d = regmap_get(r->kind == MR_REG ? ui_reg_pick(m, r->id, r->alt) :
	    r->id);
	if (r->kind == MR_CLOCK)
		snprintf(where, sizeof where, "0x%04X..0x%04X", d->addr,
		    regmap_get(REG_SECOND)->addr);
	else if (d->addr >= 0)
		snprintf(where, sizeof where, "0x%04X", d->addr);
	else
		snprintf(where, sizeof where, "no register");
	widget_printf(win, y, 1, 0, ui_attr(ui, TH_UNIT), ui->utf8,
	    "%s = %s  %s %s %s  %s  %s", measure_row_name(r, d),
	    r->kind == MR_CLOCK ? "day..second" : d->name, where,
	    reg_type_name(d->type), d->unit, reg_conf_name(d->conf), d->source);
}

/* A register row the engine's plan never reads: not polled. */
static int
measure_unpolled(const struct ui *ui, const struct mrow *r)
{
	return r->kind == MR_REG && ui_reg_poll(ui, r->id) == UP_NONE &&
	    ui_reg_poll(ui, r->alt) == UP_NONE;
}

/*
 * The rows to show: all, or without the registers the engine does not
 * poll (and without a group heading left with nothing under it). The plan
 * decides, not what happens to have been read, so rows never come and go
 * while the screen is up (a read that failed shows "---").
 */
static void
measure_visible(struct measure *s, const struct ui *ui)
{
	int	i, j, any;

	s->nvis = s->hidden = 0;
	for (i = 0; i < s->nrows; i++) {
		if (s->rows[i].kind == MR_GROUP) {
			for (j = i + 1, any = 0; j < s->nrows &&
			    s->rows[j].kind != MR_GROUP && !any; j++)
				any = s->show_all ||
				    !measure_unpolled(ui, &s->rows[j]);
			if (any)
				s->vis[s->nvis++] = i;
			continue;
		}
		if (!s->show_all && measure_unpolled(ui, &s->rows[i])) {
			s->hidden++;
			continue;
		}
		s->vis[s->nvis++] = i;
	}
}

/* Keep the cursor in the rows and on the page. */
static void
measure_clamp(struct measure *s, int rows)
{
	if (s->sel > s->nvis - 1)
		s->sel = s->nvis - 1;
	if (s->sel < 0)
		s->sel = 0;
	if (s->top > s->sel)
		s->top = s->sel;
	if (s->top < s->sel - rows + 1)
		s->top = s->sel - rows + 1;
	if (s->top > s->nvis - rows)
		s->top = s->nvis - rows;
	if (s->top < 0)
		s->top = 0;
}

static void
measure_draw(void *arg, struct ui *ui, WINDOW *win)
{
	struct measure		*s = arg;
	const struct meter	*m = ui_meter(ui);
	struct mcols		 c;
	char			 st[32], line[200], label[128], right[48];
	int			 h = getmaxy(win), y, i, i0, rows, x, room;
	attr_t			 ha = ui_attr(ui, TH_HEADER);
	enum theme_elem		 el;

	if (m == NULL) {
		widget_put(win, 1, 1, 0, ui_attr(ui, TH_WARN), ui->utf8,
		    "No meter selected.");
		return;
	}
	el = ui_meter_state(ui, m, st, sizeof st);
	snprintf(line, sizeof line, "%s  %s/%d  ", ui_fit(ui, label,
	    sizeof label, m->conf->label, getmaxx(win) / 3),
	    ui->cfg->buses[m->conf->bus].name, m->conf->address);
	i0 = widget_put(win, 0, 1, 0, ha, ui->utf8, line);
	widget_put(win, 0, 1 + i0, 0, ui_attr(ui, el), ui->utf8, st);
	measure_geometry(getmaxx(win), &c);
	widget_put(win, 1, c.name, c.wname, ha, ui->utf8, "Register");
	widget_put_right(win, 1, c.value, c.wval, ha, ui->utf8, "Value");
	widget_put(win, 1, c.unit, c.wunit, ha, ui->utf8, "Unit");
	widget_put_right(win, 1, c.min, c.wnum, ha, ui->utf8, "Min");
	widget_put_right(win, 1, c.max, c.wnum, ha, ui->utf8, "Max");
	widget_put_right(win, 1, c.avg, c.wnum, ha, ui->utf8, "Average");
	widget_put(win, 1, c.spark, c.wspark, ha, ui->utf8, "Trend");
	measure_visible(s, ui);
	rows = h - 3;			/* header, column titles, detail */
	if (rows < 1)
		rows = 1;
	s->page = rows;
	measure_clamp(s, rows);
	for (i = s->top, y = 2; i < s->nvis && y < h - 1; i++, y++)
		measure_draw_row(ui, win, y, &c, m, &s->rows[s->vis[i]],
		    i == s->sel);
	if (s->sel < s->nvis)
		measure_draw_detail(ui, win, h - 1, m, &s->rows[s->vis[s->sel]]);
	/* the right of the header, after the state: the state is never cut,
	 * the position goes before the unpolled count */
	x = 1 + i0 + widget_text_width(st) + 2;
	room = getmaxx(win) - x - 1;
	line[0] = right[0] = '\0';
	if (s->nvis > rows)
		snprintf(right, sizeof right, "%d-%d of %d", s->top + 1,
		    s->top + rows < s->nvis ? s->top + rows : s->nvis, s->nvis);
	if (s->hidden > 0)
		snprintf(line, sizeof line, "%d unpolled hidden (a)%s%s",
		    s->hidden, right[0] ? "  " : "", right);
	else if (s->show_all)
		snprintf(line, sizeof line, "unpolled shown (a)%s%s",
		    right[0] ? "  " : "", right);
	else
		snprintf(line, sizeof line, "%s", right);
	if (widget_text_width(line) > room)
		snprintf(line, sizeof line, "%s", right);
	if (line[0] != '\0' && widget_text_width(line) <= room)
		widget_put_right(win, 0, x, room, ui_attr(ui, TH_UNIT),
		    ui->utf8, line);
}

static enum screen_key
measure_key(void *arg, struct ui *ui, int key)
{
	struct measure	*s = arg;

	/* keys typed right after switching here come before any draw: the
	 * rows and the page as the draw will have them */
	measure_visible(s, ui);
	if (ui->body != NULL && getmaxy(ui->body) > 4)
		s->page = getmaxy(ui->body) - 3;
	else if (s->page < 1)
		s->page = 1;
	if (key == 'a') {
		s->show_all = !s->show_all;
		s->top = s->sel = 0;
	} else if (!widget_scroll_key(key, &s->sel, s->page, s->nvis - 1))
		return SCREEN_IGNORED;
	measure_clamp(s, s->page);
	return SCREEN_HANDLED;
}

const struct screen_ops screen_measure = {
	.name = "measure",
	.title = "Measurements",
	.open = measure_open,
	.close = measure_close,
	.draw = measure_draw,
	.key = measure_key,
	.keys = measure_help,
};
