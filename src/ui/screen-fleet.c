/*
 * screen-fleet.c: screen 1, every meter on one row (label, bus/address,
 * state, Σ kWh, P kW, active tariff, phase pictograms, last response
 * time; from 120 columns Imax, PF, Q, V1..V3, I1..I3 too), grouped under a
 * summary line per bus (its load, refresh and counts) that folds. The
 * header counts the meters by state (ok, stale, offline, Err, CHECK,
 * foreign), each count a chip that filters (f, F); n and N jump to the
 * next meter that needs attention. Sortable (s, S; failed rows stay last
 * of their bus either way), filterable as the operator types (/), with a
 * cursor whose row is the selected meter; Enter opens the Meter screen.
 * States come from ui.c's one rule (ui_meter_health, health_marks). The view
 * is rebuilt at each draw into arrays allocated once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "screen.h"

enum fleet_col {
	FC_LABEL, FC_BUS, FC_STATE, FC_KWH, FC_KW,
	FC_IMAX, FC_PF, FC_Q, FC_V1, FC_V2, FC_V3, FC_I1, FC_I2, FC_I3,
	FC_TARIFF, FC_PHASES, FC_RESP, FC__COUNT
};

struct fleet_col_def {
	const char	*title;
	int		 width;		/* 0: takes what is left */
	int		 right;		/* right-aligned */
	int		 sortable;
	int		 tier;		/* 0: always; n: from 120 columns, by
					 * rank (what is most useful first) */
	enum reg_id	 id;		/* the value shown, FC_IMAX: I1..I3 */
	int		 shift;		/* 10^shift: -3 turns W into kW */
};

static const struct fleet_col_def fleet_cols[FC__COUNT] = {
	[FC_LABEL] =	{ "Meter",	0,  0, 1, 0, REG__COUNT, 0 },
	[FC_BUS] =	{ "Bus/addr",	12, 0, 1, 0, REG__COUNT, 0 },
	[FC_STATE] =	{ "State",	13, 0, 1, 0, REG__COUNT, 0 },
							/* "ok Err2 CHECK",
							 * "offline 119s" */
	[FC_KWH] =	{ "kWh",	10, 1, 1, 0, REG_EA_PLUS_TOTAL_10WH, 0 },
							/* "~36122.25" */
	[FC_KW] =	{ "P kW",	7,  1, 1, 0, REG_P, -3 },	/* "~123.45" */
	[FC_IMAX] =	{ "Imax A",	7,  1, 1, 1, REG_I1, 0 },
	[FC_PF] =	{ "PF",		6,  1, 1, 1, REG_PF, 0 },
	[FC_Q] =	{ "Q kvar",	7,  1, 1, 1, REG_Q, -3 },
	[FC_V1] =	{ "V1",		7,  1, 1, 2, REG_V1, 0 },
	[FC_V2] =	{ "V2",		7,  1, 1, 2, REG_V2, 0 },
	[FC_V3] =	{ "V3",		7,  1, 1, 2, REG_V3, 0 },
	[FC_I1] =	{ "I1",		7,  1, 1, 3, REG_I1, 0 },
	[FC_I2] =	{ "I2",		7,  1, 1, 3, REG_I2, 0 },
	[FC_I3] =	{ "I3",		7,  1, 1, 3, REG_I3, 0 },
	[FC_TARIFF] =	{ "T",		1,  1, 1, 0, REG__COUNT, 0 },
	[FC_PHASES] =	{ "Phases",	8,  0, 0, 0, REG__COUNT, 0 },
	[FC_RESP] =	{ "Resp",	5,  1, 1, 0, REG__COUNT, 0 },
};
#define FLEET_WIDE	120	/* columns from which the tiers appear */
#define FLEET_LABEL_MIN	20	/* a label keeps this much beside them */

/*
 * The state filter (the header's chips): what a meter is, from the one
 * state rule (ui_meter_health, health_marks). A meter may be Err and CHECK.
 */
enum fleet_cls {
	FK_ALL, FK_OK, FK_STALE, FK_OFFLINE, FK_ERR, FK_CHECK, FK_FOREIGN,
	FK__COUNT
};
static const char *const fleet_cls_name[FK__COUNT] = {
	"all", "ok", "stale", "offline", "Err", "CHECK", "foreign"
};
/* Classes that need an operator's attention (n, N). */
#define FLEET_ATTENTION	((1u << FK_STALE) | (1u << FK_OFFLINE) | \
	(1u << FK_ERR) | (1u << FK_CHECK) | (1u << FK_FOREIGN))

static const struct screen_help fleet_help[] = {
	{ "Up Down j k", "move the cursor (the selected meter follows)" },
	{ "PgUp PgDn", "a page up / down" },
	{ "Home End", "first / last meter" },
	{ "n  N", "next / previous meter that needs attention" },
	{ "f  F", "state filter: the header's next / previous chip (all, "
	    "ok, stale, offline, Err, CHECK, foreign)" },
	{ "Enter", "open the Meter screen; on a bus line, fold / unfold it" },
	{ "Space z", "fold / unfold the bus of the cursor" },
	{ "Z", "fold / unfold every bus" },
	{ "s  S", "sort by the next column / reverse (failed rows stay "
	    "last)" },
	{ "/", "filter: type text (applies as you type), Enter keeps it, "
	    "Esc cancels" },
	{ "Esc", "clear the filters" },
	{ "~12.34", "a value not fresh; State says how old (timeout 12s)" },
	{ NULL, NULL }
};

/* What the view knows of one meter while it is built. */
struct fleet_info {
	unsigned	 cls;		/* 1 << enum fleet_cls */
	int		 rank;		/* state severity, for sorting */
	int		 failed;	/* sorted last in both directions */
};

/* A line of the view: a bus's summary line or a meter's row. */
struct fleet_item {
	int		 bus;		/* bus index */
	int		 meter;		/* meter index, -1: the bus line */
};

struct fleet {
	int			 sort;		/* enum fleet_col */
	int			 reverse;
	int			 cls;		/* enum fleet_cls: the chip */
	char			 filter[WIDGET_PROMPT_MAX];
	char			 filter_was[WIDGET_PROMPT_MAX];	/* before / */
	struct widget_prompt	 prompt;
	int			 top;		/* first item shown */
	int			 page;		/* rows shown last time */
	int			 cur_bus;	/* cursor on this bus line, or -1 */
	struct fleet_info	*info;		/* by meter index */
	int			*order;		/* meter indexes, sorted */
	struct fleet_item	*items;		/* the view */
	int			 nitems;
	int			 nshown;	/* meters among the items */
	int			 nmatch;	/* meters matching the filters */
	int			 count[FK__COUNT];
	unsigned char		*folded;	/* by bus */
	int			 nmet, nbus;	/* sizes allocated */
	int			 cols;		/* window width, last draw */
	struct ui		*ui;		/* for the sort comparator */
};

static void *
fleet_open(struct ui *ui)
{
	struct fleet	*f;

	if ((f = calloc(1, sizeof *f)) == NULL)
		return NULL;
	f->ui = ui;
	f->sort = FC_BUS;
	f->page = 10;
	f->cols = 80;
	f->cur_bus = -1;
	return f;
}

static void
fleet_close(void *arg)
{
	struct fleet	*f = arg;

	if (f == NULL)
		return;
	free(f->info);
	free(f->order);
	free(f->items);
	free(f->folded);
	free(f);
}

/* The arrays for n meters and nb buses, allocated once (grown if needed). */
static int
fleet_alloc(struct fleet *f, int n, int nb)
{
	void	*a, *b, *c, *d;

	if (n <= f->nmet && nb <= f->nbus)
		return 0;
	a = realloc(f->info, (size_t)n * sizeof *f->info);
	if (a != NULL)
		f->info = a;
	b = realloc(f->order, (size_t)n * sizeof *f->order);
	if (b != NULL)
		f->order = b;
	c = realloc(f->items, (size_t)(n + nb) * sizeof *f->items);
	if (c != NULL)
		f->items = c;
	d = calloc((size_t)nb, 1);
	if (a == NULL || b == NULL || c == NULL || d == NULL) {
		free(d);
		return -1;
	}
	if (f->folded != NULL)
		memcpy(d, f->folded, (size_t)f->nbus);
	free(f->folded);
	f->folded = d;
	f->nmet = n;
	f->nbus = nb;
	return 0;
}

/* The classes and the sort rank of m (ui.c's state rule). */
static void
fleet_classify(const struct ui *ui, const struct meter *m,
    struct fleet_info *fi)
{
	static const int rank[UH__COUNT] = {
		[UH_FAILING] = 0, [UH_STALE] = 1, [UH_MARKED] = 2,
		[UH_WAITING] = 3, [UH_OK] = 4,
	};
	char		buf[48];
	enum ui_health	h = ui_meter_health(ui, m, buf, sizeof buf);
	int		marks;

	fi->rank = rank[h];
	fi->failed = h == UH_FAILING;
	fi->cls = 1u << FK_ALL;
	switch (h) {
	case UH_OK:
		fi->cls |= 1u << FK_OK;
		break;
	case UH_STALE:
		fi->cls |= 1u << FK_STALE;
		break;
	case UH_FAILING:
		fi->cls |= 1u << (m->status == MS_NOT_E34 ? FK_FOREIGN :
		    FK_OFFLINE);
		break;
	case UH_MARKED:
		marks = health_marks(m, ui_now_ms(ui), buf, sizeof buf);
		if (marks & HEALTH_MARK_WIRING)
			fi->cls |= 1u << FK_ERR;
		if (marks & HEALTH_MARK_CHECK)
			fi->cls |= 1u << FK_CHECK;
		break;
	default:
		break;
	}
}

/* Raw value for sorting; values never read sort after all others. */
static int
fleet_raw(const struct ui *ui, const struct meter *m, int col, int64_t *raw)
{
	int64_t	v;
	int	i, have = 0;

	if (col != FC_IMAX)
		return meter_raw(m, fleet_cols[col].id, ui_now_ms(ui), 0, raw);
	for (i = 0; i < 3; i++) {
		if (meter_raw(m, REG_I1 + i, ui_now_ms(ui), 0, &v) &&
		    (!have || v > *raw)) {
			*raw = v;
			have = 1;
		}
	}
	return have;
}

static int
fleet_cmp_num(int ha, int64_t a, int hb, int64_t b)
{
	if (ha != hb)
		return ha ? -1 : 1;
	return a < b ? -1 : a > b;
}

/* Bus first (the groups), failed rows last in either direction, then
 * the column, reversed by S, then the configuration order. */
static int
fleet_cmp(const void *pa, const void *pb, void *arg)
{
	struct fleet		*f = arg;
	const struct ui		*ui = f->ui;
	int			 ia = *(const int *)pa, ib = *(const int *)pb;
	const struct meter	*a = ui_meter_at(ui, ia);
	const struct meter	*b = ui_meter_at(ui, ib);
	int64_t			 ra = 0, rb = 0;
	int			 c = 0, ha, hb;

	if (a->conf->bus != b->conf->bus)
		return a->conf->bus - b->conf->bus;
	if (f->info[ia].failed != f->info[ib].failed)
		return f->info[ia].failed - f->info[ib].failed;
	switch (f->sort) {
	case FC_LABEL:
		c = strcasecmp(a->conf->label, b->conf->label);
		break;
	case FC_BUS:
		c = a->conf->address - b->conf->address;
		break;
	case FC_STATE:
		c = f->info[ia].rank - f->info[ib].rank;
		break;
	case FC_TARIFF: {
		enum reg_id id = ui_reg_pick(a, REG_TARIFF_ACTIVE,
		    REG_TARIFF_ACTIVE_B);

		ha = meter_raw(a, id, 0, 0, &ra);
		hb = meter_raw(b, ui_reg_pick(b, REG_TARIFF_ACTIVE,
		    REG_TARIFF_ACTIVE_B), 0, 0, &rb);
		c = fleet_cmp_num(ha, ra, hb, rb);
		break;
	}
	case FC_RESP:
		c = fleet_cmp_num(a->status == MS_OK, a->last_response_ms,
		    b->status == MS_OK, b->last_response_ms);
		break;
	default:
		ha = fleet_raw(ui, a, f->sort, &ra);
		hb = fleet_raw(ui, b, f->sort, &rb);
		c = fleet_cmp_num(ha, ra, hb, rb);
		break;
	}
	if (c == 0)
		c = a->index - b->index;
	return f->reverse ? -c : c;
}

/* Case-insensitive match of the filter against label, name, bus/address. */
static int
fleet_match(const struct fleet *f, const struct ui *ui, const struct meter *m)
{
	char	busaddr[96];

	if (f->filter[0] == '\0')
		return 1;
	snprintf(busaddr, sizeof busaddr, "%s/%d",
	    ui->cfg->buses[m->conf->bus].name, m->conf->address);
	return strcasestr(m->conf->label, f->filter) != NULL ||
	    strcasestr(m->conf->name, f->filter) != NULL ||
	    strcasestr(busaddr, f->filter) != NULL;
}

static int
fleet_filtered(const struct fleet *f)
{
	return f->filter[0] != '\0' || f->cls != FK_ALL;
}

/* The item of meter i, or of bus line b when i is -1; -1 if not shown. */
static int
fleet_find(const struct fleet *f, int bus, int i)
{
	int	k;

	for (k = 0; k < f->nitems; k++)
		if (f->items[k].meter == i && (i >= 0 || f->items[k].bus == bus))
			return k;
	return -1;
}

/* The first item showing a meter at or after k (or before, dir -1). */
static int
fleet_meter_item(const struct fleet *f, int k, int dir)
{
	for (; k >= 0 && k < f->nitems; k += dir)
		if (f->items[k].meter >= 0)
			return k;
	return -1;
}

/*
 * Rebuild the view: every meter classified and counted, the matching ones
 * sorted, grouped under their bus's line (a folded bus shows its line
 * only; a filter hides the buses where nothing matches). The cursor stays
 * on the selected meter, or on its bus line once folded.
 */
static void
fleet_build(struct fleet *f, struct ui *ui)
{
	int	 i, k, n = ui_nmeters(ui), nb = ui->cfg->nbuses, no = 0;
	int	 bus, sel = ui->selected;

	if (fleet_alloc(f, n > 0 ? n : 1, nb > 0 ? nb : 1) == -1)
		return;
	memset(f->count, 0, sizeof f->count);
	for (i = 0; i < n; i++) {
		const struct meter *m = ui_meter_at(ui, i);

		fleet_classify(ui, m, &f->info[i]);
		for (k = 0; k < FK__COUNT; k++)
			if (f->info[i].cls & (1u << k))
				f->count[k]++;
		if ((f->info[i].cls & (1u << f->cls)) && fleet_match(f, ui, m))
			f->order[no++] = i;
	}
	f->nmatch = no;
	qsort_r(f->order, (size_t)no, sizeof *f->order, fleet_cmp, f);
	f->nitems = f->nshown = 0;
	for (i = 0, bus = -1; i < no; i++) {
		const struct meter *m = ui_meter_at(ui, f->order[i]);

		if (m->conf->bus != bus) {
			bus = m->conf->bus;
			f->items[f->nitems++] = (struct fleet_item){ bus, -1 };
		}
		if (!f->folded[bus]) {
			f->items[f->nitems++] = (struct fleet_item){ bus,
			    f->order[i] };
			f->nshown++;
		}
	}
	/* without a filter, a bus without meters still shows its line */
	if (!fleet_filtered(f))
		for (bus = 0; bus < nb; bus++)
			if (fleet_find(f, bus, -1) == -1 && f->nitems < n + nb)
				f->items[f->nitems++] =
				    (struct fleet_item){ bus, -1 };
	if (f->cur_bus >= 0 && fleet_find(f, f->cur_bus, -1) == -1)
		f->cur_bus = -1;
	if (f->cur_bus < 0 && sel >= 0 && sel < n &&
	    fleet_find(f, 0, sel) == -1) {
		/* the selected meter is filtered out or folded away */
		if (f->folded[ui_meter_at(ui, sel)->conf->bus] &&
		    fleet_find(f, ui_meter_at(ui, sel)->conf->bus, -1) != -1)
			f->cur_bus = ui_meter_at(ui, sel)->conf->bus;
		else if ((k = fleet_meter_item(f, 0, 1)) != -1)
			ui_select(ui, f->items[k].meter);
	}
}

/* The item under the cursor. */
static int
fleet_cursor(const struct fleet *f, const struct ui *ui)
{
	int	k;

	if (f->cur_bus >= 0 && (k = fleet_find(f, f->cur_bus, -1)) != -1)
		return k;
	if ((k = fleet_find(f, 0, ui->selected)) != -1)
		return k;
	return 0;
}

/*
 * Column x positions and widths for a window cols wide (w 0: not shown).
 * From FLEET_WIDE columns the tiers come in, the most useful first, while
 * the label keeps FLEET_LABEL_MIN columns.
 */
static void
fleet_geometry(int cols, int *x, int *w)
{
	int	i, t, fixed = 2, label, tw;

	for (i = 0; i < FC__COUNT; i++)
		if (fleet_cols[i].tier == 0)
			fixed += fleet_cols[i].width + 1;
	for (t = 1; cols >= FLEET_WIDE && t <= 3; t++) {
		for (i = 0, tw = 0; i < FC__COUNT; i++)
			if (fleet_cols[i].tier == t)
				tw += fleet_cols[i].width + 1;
		if (cols - fixed - tw < FLEET_LABEL_MIN)
			break;
		fixed += tw;
	}
	label = cols - fixed;
	if (label > 32)
		label = 32;
	if (label < 8)
		label = 8;
	for (i = 0; i < FC__COUNT; i++) {
		w[i] = fleet_cols[i].width != 0 ? fleet_cols[i].width : label;
		if (fleet_cols[i].tier >= t || (fleet_cols[i].tier > 0 &&
		    cols < FLEET_WIDE))
			w[i] = 0;
	}
	x[0] = 2;
	for (i = 1; i < FC__COUNT; i++)
		x[i] = x[i - 1] + (w[i - 1] > 0 ? w[i - 1] + 1 : 0);
}

static void
fleet_cell(WINDOW *win, int y, int x, int w, int right, attr_t a, int utf8,
    const char *s)
{
	if (w <= 0)
		return;
	if (right)
		widget_put_right(win, y, x, w, a, utf8, s);
	else
		widget_put(win, y, x, w, a, utf8, s);
}

/* An attribute for a cell of the cursor row: the row colour, keeping
 * bold/dim/underline so stale and failed values still read as such. */
static attr_t
fleet_row_attr(const struct ui *ui, int sel, enum theme_elem el)
{
	attr_t	a = ui_attr(ui, el);

	if (!sel)
		return a;
	return ui_attr(ui, TH_SELECTED) | (a & (A_BOLD | A_DIM | A_UNDERLINE));
}

/* A value column: the register's text, marked (~) when not fresh. */
static void
fleet_value(struct ui *ui, WINDOW *win, int y, const struct meter *m,
    int sel, int col, const int *x, const int *w)
{
	enum reg_id	id = fleet_cols[col].id;
	enum ui_val	uv;
	char		buf[48];
	int64_t		raw, best = 0;
	int		i, have = 0;

	if (w[col] <= 0)
		return;
	for (i = 0; col == FC_IMAX && i < 3; i++) {
		if (meter_raw(m, REG_I1 + i, 0, 0, &raw) &&
		    (!have || raw > best)) {
			best = raw;
			id = REG_I1 + i;
			have = 1;
		}
	}
	uv = ui_reg_text(ui, m, id, fleet_cols[col].shift, buf, sizeof buf,
	    NULL);
	ui_val_mark(uv, buf, sizeof buf, w[col]);
	fleet_cell(win, y, x[col], w[col], 1, fleet_row_attr(ui, sel,
	    uv == UV_FRESH ? TH_VALUE : TH_STALE), ui->utf8, buf);
}

static void
fleet_draw_row(struct ui *ui, WINDOW *win, int y, const struct meter *m,
    int sel, const int *x, const int *w)
{
	const struct config	*cfg = ui->cfg;
	struct wiring_diag	 d;
	enum theme_elem		 el;
	enum ui_val		 uv;
	char			 buf[160], name[128];
	int64_t			 now = ui_now_ms(ui);
	int			 c;

	if (sel) {
		widget_fill(win, y, 0, getmaxx(win), ui_attr(ui, TH_SELECTED));
		widget_put(win, y, 0, 1, ui_attr(ui, TH_SELECTED), 0, ">");
	}
	fleet_cell(win, y, x[FC_LABEL], w[FC_LABEL], 0,
	    fleet_row_attr(ui, sel, TH_NORMAL), ui->utf8, ui_fit(ui, name,
	    sizeof name, m->conf->label, w[FC_LABEL]));
	/* a long bus name gives way to the address */
	snprintf(buf, sizeof buf, "/%d", m->conf->address);
	ui_fit(ui, name, sizeof name, cfg->buses[m->conf->bus].name,
	    w[FC_BUS] - (int)strlen(buf));
	snprintf(buf, sizeof buf, "%s/%d", name, m->conf->address);
	fleet_cell(win, y, x[FC_BUS], w[FC_BUS], 0,
	    fleet_row_attr(ui, sel, TH_UNIT), ui->utf8, buf);
	el = ui_meter_state(ui, m, buf, sizeof buf);
	fleet_cell(win, y, x[FC_STATE], w[FC_STATE], 0,
	    fleet_row_attr(ui, sel, el), ui->utf8, buf);

	/* Values not fresh are marked (~) for any terminal, colours or not;
	 * the State column says how old they are. */
	for (c = FC_KWH; c <= FC_I3; c++)
		fleet_value(ui, win, y, m, sel, c, x, w);
	uv = ui_reg_text(ui, m, ui_reg_pick(m, REG_TARIFF_ACTIVE,
	    REG_TARIFF_ACTIVE_B), 0, buf, sizeof buf, NULL);
	if (uv == UV_NONE)
		snprintf(buf, sizeof buf, "-");
	fleet_cell(win, y, x[FC_TARIFF], w[FC_TARIFF], 1,
	    fleet_row_attr(ui, sel, uv == UV_FRESH ? TH_VALUE : TH_STALE),
	    ui->utf8, buf);

	meter_wiring(m, now, &d);
	widget_phases(win, y, x[FC_PHASES], d.phase_present, d.known,
	    fleet_row_attr(ui, sel, TH_PHASE_ON),
	    fleet_row_attr(ui, sel, TH_PHASE_OFF));

	/* A response time only when the last cycle got an answer. */
	if (m->cycles > 0 && (m->status == MS_OK || m->status == MS_EXCEPTION ||
	    m->status == MS_NOT_E34))
		widget_fmt_age(buf, sizeof buf, m->last_response_ms);
	else
		snprintf(buf, sizeof buf, "---");
	fleet_cell(win, y, x[FC_RESP], w[FC_RESP], 1,
	    fleet_row_attr(ui, sel, TH_UNIT), ui->utf8, buf);
}

/*
 * A bus's summary line: "▾ rs485-1 load 37% refresh 1.2 s (wanted 1.0 s)
 * 125 meters: 122 ok, 1 stale, 1 offline, 1 Err" (▸ when folded; "3 of
 * 125 shown" under a filter), or the bus's connection error.
 */
static void
fleet_draw_bus(struct fleet *f, struct ui *ui, WINDOW *win, int y, int bus,
    int sel)
{
	const struct bus_view	*bv = ui->engine != NULL &&
				    bus < engine_nbuses(ui->engine) ?
				    engine_bus(ui->engine, bus) : NULL;
	char			 line[512], part[256], ach[32], want[32];
	int			 cnt[FK__COUNT], nm = 0, nmatch = 0, i, k, bad = 0;
	size_t			 len;
	int64_t			 now = ui_now_ms(ui);
	attr_t			 a;

	memset(cnt, 0, sizeof cnt);
	for (i = 0; i < ui_nmeters(ui); i++) {
		if (ui_meter_at(ui, i)->conf->bus != bus)
			continue;
		nm++;
		for (k = 0; k < FK__COUNT; k++)
			if (f->info[i].cls & (1u << k))
				cnt[k]++;
		if ((f->info[i].cls & (1u << f->cls)) &&
		    fleet_match(f, ui, ui_meter_at(ui, i)))
			nmatch++;
	}
	snprintf(line, sizeof line, "%s %s", f->folded[bus] ?
	    (ui->utf8 ? "\u25b8" : "+") : (ui->utf8 ? "\u25be" : "-"),
	    ui->cfg->buses[bus].name);
	len = strlen(line);
	if (bv != NULL && !bv->connected && bv->last_error[0] != '\0') {
		snprintf(part, sizeof part, ": %s", bv->last_error);
		bad = 1;
	} else if (bv != NULL) {
		widget_fmt_period(ach, sizeof ach, bv->achievable_ms);
		widget_fmt_period(want, sizeof want, bv->wanted_ms);
		if (bv->achievable_ms > bv->wanted_ms)
			bad = 1;
		snprintf(part, sizeof part, " load %d%% refresh %s %s %s%s",
		    (stats_util_permille(&bv->stats, now) + 5) / 10,
		    bv->achievable_ms > 0 ? ach : "?",
		    bv->achievable_ms > bv->wanted_ms ? "> wanted" : "(wanted",
		    want, bv->achievable_ms > bv->wanted_ms ? "" : ")");
	} else
		part[0] = '\0';
	len += (size_t)snprintf(line + len, sizeof line - len, "%s  %d meter%s",
	    part, nm, nm == 1 ? "" : "s");
	for (k = FK_OK; k < FK__COUNT && len < sizeof line; k++) {
		if (cnt[k] == 0)
			continue;
		len += (size_t)snprintf(line + len, sizeof line - len, "%s %d %s",
		    k == FK_OK ? ":" : ",", cnt[k], fleet_cls_name[k]);
		if (k != FK_OK)
			bad = 1;
	}
	if (fleet_filtered(f) && len < sizeof line)
		snprintf(line + len, sizeof line - len, " (%d shown)", nmatch);
	a = ui_attr(ui, bad ? TH_WARN : TH_HEADER);
	if (sel) {
		widget_fill(win, y, 0, getmaxx(win), ui_attr(ui, TH_SELECTED));
		widget_put(win, y, 0, 1, ui_attr(ui, TH_SELECTED), 0, ">");
		a = ui_attr(ui, TH_SELECTED) | A_BOLD;
	}
	widget_put(win, y, 1, getmaxx(win) - 1, a, ui->utf8, line);
}

/* The header: a chip per state with its count, the chosen one in reverse
 * video: "[all 500] ok 497 stale 0 offline 1 Err 1 CHECK 0 foreign 1". */
static void
fleet_draw_chips(struct fleet *f, struct ui *ui, WINDOW *win)
{
	char	chip[48];
	int	k, x = 1, cols = getmaxx(win);
	attr_t	a;

	for (k = 0; k < FK__COUNT && x < cols; k++) {
		snprintf(chip, sizeof chip, "%s %d", fleet_cls_name[k],
		    f->count[k]);
		a = k == f->cls ? ui_attr(ui, TH_SELECTED) | A_BOLD :
		    ui_attr(ui, k == FK_OK || k == FK_ALL || f->count[k] == 0 ?
		    TH_UNIT : k == FK_STALE || k == FK_ERR ? TH_WARN :
		    TH_ERROR);
		if (k == f->cls)
			widget_put(win, 0, x - 1, 1, a, 0, "[");
		x += widget_put(win, 0, x, cols - x, a, ui->utf8, chip);
		if (k == f->cls && x < cols)
			widget_put(win, 0, x, 1, a, 0, "]");
		x += 2;
	}
	if (x + 30 < cols)
		widget_put(win, 0, x, cols - x, ui_attr(ui, TH_UNIT), ui->utf8,
		    "f: filter by state  n: next to look at");
}

static void
fleet_draw(void *arg, struct ui *ui, WINDOW *win)
{
	struct fleet	*f = arg;
	int		 x[FC__COUNT], w[FC__COUNT], i, rows, cur, y, h;
	char		 head[64], prompt[512];
	attr_t		 ha = ui_attr(ui, TH_HEADER);
	const struct fleet_item *it;

	h = getmaxy(win);
	if (ui_nmeters(ui) == 0) {
		snprintf(prompt, sizeof prompt, "No meters configured in %s: "
		    "add [meter NAME] sections (countis-tui --check-config "
		    "shows what is read).", ui->cfg->path != NULL ?
		    ui->cfg->path : "the configuration");
		widget_wrap(win, 1, 2, 0, h - 2, 2, ui_attr(ui, TH_WARN),
		    ui->utf8, prompt);
		return;
	}
	fleet_build(f, ui);
	fleet_draw_chips(f, ui, win);
	f->cols = getmaxx(win);
	fleet_geometry(f->cols, x, w);
	for (i = 0; i < FC__COUNT; i++) {
		if (w[i] <= 0)
			continue;
		snprintf(head, sizeof head, "%s%s%s", i == FC_KWH ?
		    ui->g->sigma : "", i == FC_KWH ? " " : "",
		    fleet_cols[i].title);
		if (i == f->sort)
			strncat(head, f->reverse ? ui->g->up : ui->g->down,
			    sizeof head - strlen(head) - 1);
		fleet_cell(win, 1, x[i], w[i], fleet_cols[i].right, ha |
		    (i == f->sort ? A_UNDERLINE : 0), ui->utf8, head);
	}
	rows = h - 2;			/* chips, headings */
	if (f->prompt.active || f->filter[0] != '\0')
		rows--;
	if (rows < 1)
		rows = 1;
	f->page = rows;
	cur = fleet_cursor(f, ui);
	if (cur < f->top)
		f->top = cur;
	if (cur >= f->top + rows)
		f->top = cur - rows + 1;
	if (f->top > f->nitems - rows)
		f->top = f->nitems - rows > 0 ? f->nitems - rows : 0;
	for (i = f->top, y = 2; i < f->nitems && y < rows + 2; i++, y++) {
		it = &f->items[i];
		if (it->meter < 0)
			fleet_draw_bus(f, ui, win, y, it->bus, i == cur);
		else
			fleet_draw_row(ui, win, y, ui_meter_at(ui, it->meter),
			    i == cur, x, w);
	}
	if (f->nmatch == 0 && fleet_filtered(f))
		widget_printf(win, 2, 2, 0, ui_attr(ui, TH_WARN), ui->utf8,
		    "No meter matches \"%s\"%s%s (Esc clears the filters)",
		    f->filter, f->cls != FK_ALL ? " in state " : "",
		    f->cls != FK_ALL ? fleet_cls_name[f->cls] : "");
	if (f->prompt.active)
		widget_prompt_draw(win, h - 1, 0, getmaxx(win),
		    ui_attr(ui, TH_PROMPT), "Filter: ", &f->prompt);
	else if (f->filter[0] != '\0') {
		snprintf(prompt, sizeof prompt, "Filter: \"%s\": %d of %d "
		    "meters (Esc clears)", f->filter, f->nmatch, ui_nmeters(ui));
		widget_put(win, h - 1, 0, 0, ui_attr(ui, TH_WARN), ui->utf8,
		    prompt);
	}
}

/* Put the cursor on item k (a meter: it becomes the selected one). */
static void
fleet_move(struct fleet *f, struct ui *ui, int k)
{
	if (f->nitems == 0)
		return;
	if (k < 0)
		k = 0;
	if (k >= f->nitems)
		k = f->nitems - 1;
	if (f->items[k].meter >= 0) {
		f->cur_bus = -1;
		ui_select(ui, f->items[k].meter);
	} else
		f->cur_bus = f->items[k].bus;
}

/* Fold or unfold bus b; the cursor goes to its line when it folds. */
static void
fleet_fold(struct fleet *f, struct ui *ui, int b)
{
	if (b < 0 || b >= f->nbus)
		return;
	f->folded[b] = !f->folded[b];
	f->cur_bus = f->folded[b] ? b : -1;
	if (!f->folded[b] && ui_meter(ui) != NULL &&
	    ui_meter(ui)->conf->bus != b) {
		int	i;

		for (i = 0; i < f->nmatch; i++)
			if (ui_meter_at(ui, f->order[i])->conf->bus == b) {
				ui_select(ui, f->order[i]);
				break;
			}
	}
}

/*
 * The next (dir 1) or previous (-1) meter that needs attention after the
 * cursor, in the order shown, folded buses and the filters included (a
 * folded bus opens to show it); wraps around. Says so when none does.
 */
static void
fleet_jump(struct fleet *f, struct ui *ui, int dir)
{
	int	i, k, start = -1, idx, sel = ui->selected;

	for (i = 0; i < f->nmatch; i++)
		if (f->order[i] == sel)
			start = i;
	if (f->cur_bus >= 0) {		/* on a bus line: from its first */
		for (i = 0; i < f->nmatch && start == -1; i++)
			if (ui_meter_at(ui, f->order[i])->conf->bus >=
			    f->cur_bus)
				start = dir > 0 ? i - 1 : i;
	}
	for (k = 1; k <= f->nmatch; k++) {
		i = ((start < 0 && dir < 0 ? 0 : start) + dir * k +
		    2 * f->nmatch) % f->nmatch;
		idx = f->order[i];
		if (f->info[idx].cls & FLEET_ATTENTION) {
			f->folded[ui_meter_at(ui, idx)->conf->bus] = 0;
			f->cur_bus = -1;
			ui_select(ui, idx);
			return;
		}
	}
	ui_message(ui, "no meter needs attention%s", fleet_filtered(f) ?
	    " among those shown" : "");
}

/* The filter prompt: the filter follows what is typed. */
static enum screen_key
fleet_prompt_key(struct fleet *f, int key)
{
	switch (widget_prompt_key(&f->prompt, key)) {
	case PROMPT_DONE:
		snprintf(f->filter, sizeof f->filter, "%s", f->prompt.buf);
		f->top = 0;
		break;
	case PROMPT_CANCEL:
		f->filter[0] = '\0';
		break;
	case PROMPT_EDITING:
		snprintf(f->filter, sizeof f->filter, "%s", f->prompt.buf);
		f->top = 0;
		break;
	}
	return SCREEN_HANDLED;
}

static enum screen_key
fleet_key(void *arg, struct ui *ui, int key)
{
	struct fleet	*f = arg;
	int		 cur, k, b, x[FC__COUNT], w[FC__COUNT];

	if (f->prompt.active)
		return fleet_prompt_key(f, key);
	/* the view of the last draw: what the operator sees */
	if (f->nitems == 0)
		fleet_build(f, ui);
	cur = fleet_cursor(f, ui);
	b = f->nitems > 0 ? f->items[cur].bus : -1;
	switch (key) {
	case KEY_UP:
	case 'k':
		fleet_move(f, ui, cur - 1);
		break;
	case KEY_DOWN:
	case 'j':
		fleet_move(f, ui, cur + 1);
		break;
	case KEY_PPAGE:
		fleet_move(f, ui, cur - f->page);
		break;
	case KEY_NPAGE:
		fleet_move(f, ui, cur + f->page);
		break;
	case KEY_HOME:
	case 'g':
		k = fleet_meter_item(f, 0, 1);
		fleet_move(f, ui, k >= 0 ? k : 0);
		break;
	case KEY_END:
	case 'G':
		k = fleet_meter_item(f, f->nitems - 1, -1);
		fleet_move(f, ui, k >= 0 ? k : f->nitems - 1);
		break;
	case '\n':
	case '\r':
	case KEY_ENTER:
		if (f->nitems > 0 && f->items[cur].meter < 0)
			fleet_fold(f, ui, b);
		else if (f->nitems > 0)
			ui_show(ui, "meter");
		break;
	case ' ':
	case 'z':
		fleet_fold(f, ui, b);
		break;
	case 'Z':
		for (k = 0, b = 0; k < f->nbus; k++)
			b |= !f->folded[k];
		memset(f->folded, b, (size_t)f->nbus);
		f->cur_bus = -1;
		break;
	case 'n':
	case 'N':
		fleet_jump(f, ui, key == 'n' ? 1 : -1);
		break;
	case 'f':
	case 'F':
		f->cls = (f->cls + (key == 'f' ? 1 : FK__COUNT - 1)) %
		    FK__COUNT;
		f->top = 0;
		ui_message(ui, "showing %s meters", fleet_cls_name[f->cls]);
		break;
	case 's':	/* the columns shown at this width */
		fleet_geometry(f->cols, x, w);
		do {
			f->sort = (f->sort + 1) % FC__COUNT;
		} while (!fleet_cols[f->sort].sortable || w[f->sort] <= 0);
		ui_message(ui, "sorted by %s", fleet_cols[f->sort].title);
		break;
	case 'S':
		f->reverse = !f->reverse;
		break;
	case '/':
		widget_prompt_start(&f->prompt, f->filter, 40);
		break;
	case 27:	/* Esc */
		if (!fleet_filtered(f))
			return SCREEN_IGNORED;
		f->filter[0] = '\0';
		f->cls = FK_ALL;
		break;
	default:
		return SCREEN_IGNORED;
	}
	return SCREEN_HANDLED;		/* the redraw rebuilds the view */
}

/* The filter prompt, while open, gets every key (ui.c). */
static int
fleet_modal(const void *arg)
{
	const struct fleet	*f = arg;

	return f->prompt.active;
}

const struct screen_ops screen_fleet = {
	.name = "fleet",
	.title = "Fleet",
	.open = fleet_open,
	.close = fleet_close,
	.draw = fleet_draw,
	.key = fleet_key,
	.modal = fleet_modal,
	.keys = fleet_help,
};
