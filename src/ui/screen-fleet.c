/*
 * screen-fleet.c: screen 1, every meter on one row: label, bus/address,
 * state, Σ kWh (10 Wh register, 2 decimals), P kW, active tariff, phase
 * pictograms, last response time. Sortable (s cycles the column, S
 * reverses), filterable (/ text Enter; Esc clears), with a cursor whose row
 * is the selected meter; Enter opens the Meter screen. The last line shows
 * each bus's load and the refresh it carries against the one wanted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "screen.h"

enum fleet_col {
	FC_LABEL, FC_BUS, FC_STATE, FC_KWH, FC_KW, FC_TARIFF, FC_PHASES,
	FC_RESP, FC__COUNT
};

struct fleet_col_def {
	const char	*title;
	int		 width;		/* 0: takes what is left */
	int		 right;		/* right-aligned */
	int		 sortable;
};

static const struct fleet_col_def fleet_cols[FC__COUNT] = {
	[FC_LABEL] =	{ "Meter",	0,  0, 1 },
	[FC_BUS] =	{ "Bus/addr",	12, 0, 1 },
	[FC_STATE] =	{ "State",	13, 0, 1 },	/* "ok Err2 CHECK",
							 * "offline 119s" */
	[FC_KWH] =	{ "kWh",	10, 1, 1 },	/* "~36122.25" */
	[FC_KW] =	{ "P kW",	7,  1, 1 },	/* "~123.45" */
	[FC_TARIFF] =	{ "T",		1,  1, 1 },
	[FC_PHASES] =	{ "Phases",	8,  0, 0 },
	[FC_RESP] =	{ "Resp",	5,  1, 1 },
};

static const struct screen_help fleet_help[] = {
	{ "Up Down j k", "move the cursor (the selected meter follows)" },
	{ "PgUp PgDn", "a page up / down" },
	{ "Home End", "first / last meter" },
	{ "Enter", "open the Meter screen for this meter" },
	{ "s  S", "sort by the next column / reverse the order" },
	{ "/", "filter: type text, Enter applies, Esc cancels" },
	{ "Esc", "clear the filter" },
	{ "~12.34", "a value not fresh; State says how old (timeout 12s)" },
	{ NULL, NULL }
};

struct fleet {
	int			 sort;		/* enum fleet_col */
	int			 reverse;
	char			 filter[WIDGET_PROMPT_MAX];
	struct widget_prompt	 prompt;
	int			 top;		/* first row shown */
	int			 page;		/* rows shown last time */
	int			*view;		/* meter indexes, sorted, filtered */
	int			 nview;
	int			 cap;
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
	return f;
}

static void
fleet_close(void *arg)
{
	struct fleet	*f = arg;

	if (f == NULL)
		return;
	free(f->view);
	free(f);
}

/* The severity order of states, for sorting by state. */
static int
fleet_state_rank(const struct ui *ui, const struct meter *m)
{
	static const int rank[UH__COUNT] = {
		[UH_FAILING] = 0, [UH_STALE] = 1, [UH_MARKED] = 2,
		[UH_WAITING] = 3, [UH_OK] = 4,
	};
	char	buf[48];

	return rank[ui_meter_health(ui, m, buf, sizeof buf)];
}

/* Raw value for sorting; values never read sort after all others. */
static int
fleet_raw(const struct ui *ui, const struct meter *m, enum reg_id id,
    int64_t *raw)
{
	return meter_raw(m, id, ui_now_ms(ui), 0, raw);
}

static int
fleet_cmp_num(int ha, int64_t a, int hb, int64_t b)
{
	if (ha != hb)
		return ha ? -1 : 1;
	return a < b ? -1 : a > b;
}

static int
fleet_cmp(const void *pa, const void *pb, void *arg)
{
	struct fleet		*f = arg;
	const struct ui		*ui = f->ui;
	const struct meter	*a = ui_meter_at(ui, *(const int *)pa);
	const struct meter	*b = ui_meter_at(ui, *(const int *)pb);
	int64_t			 ra = 0, rb = 0;
	int			 c = 0, ha, hb;

	switch (f->sort) {
	case FC_LABEL:
		c = strcasecmp(a->conf->label, b->conf->label);
		break;
	case FC_BUS:
		c = a->conf->bus != b->conf->bus ? a->conf->bus - b->conf->bus :
		    a->conf->address - b->conf->address;
		break;
	case FC_STATE:
		c = fleet_state_rank(ui, a) - fleet_state_rank(ui, b);
		break;
	case FC_KWH:
	case FC_KW:
	case FC_TARIFF: {
		enum reg_id id = f->sort == FC_KWH ? REG_EA_PLUS_TOTAL_10WH :
		    f->sort == FC_KW ? REG_P : ui_reg_pick(a, REG_TARIFF_ACTIVE,
		    REG_TARIFF_ACTIVE_B);

		ha = fleet_raw(ui, a, id, &ra);
		hb = fleet_raw(ui, b, id, &rb);
		c = fleet_cmp_num(ha, ra, hb, rb);
		break;
	}
	case FC_RESP:
		c = fleet_cmp_num(a->status == MS_OK, a->last_response_ms,
		    b->status == MS_OK, b->last_response_ms);
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

/* Rebuild the sorted, filtered list; keep the selection in it. */
static void
fleet_build(struct fleet *f, struct ui *ui)
{
	int	 i, n = ui_nmeters(ui), *v, found = 0;

	if (n > f->cap) {
		if ((v = realloc(f->view, (size_t)n * sizeof *v)) == NULL)
			return;
		f->view = v;
		f->cap = n;
	}
	f->nview = 0;
	for (i = 0; i < n; i++)
		if (fleet_match(f, ui, ui_meter_at(ui, i)))
			f->view[f->nview++] = i;
	qsort_r(f->view, (size_t)f->nview, sizeof *f->view, fleet_cmp, f);
	for (i = 0; i < f->nview; i++)
		if (f->view[i] == ui->selected)
			found = 1;
	if (!found && f->nview > 0)
		ui_select(ui, f->view[0]);
}

static int
fleet_cursor(const struct fleet *f, const struct ui *ui)
{
	int	i;

	for (i = 0; i < f->nview; i++)
		if (f->view[i] == ui->selected)
			return i;
	return 0;
}

/* Column x positions and widths for a window cols wide. */
static void
fleet_geometry(int cols, int *x, int *w)
{
	int	i, fixed = 2, label;

	for (i = 0; i < FC__COUNT; i++)
		fixed += fleet_cols[i].width + 1;
	label = cols - fixed;
	if (label > 32)
		label = 32;
	if (label < 8)
		label = 8;
	x[0] = 2;
	for (i = 0; i < FC__COUNT; i++) {
		w[i] = fleet_cols[i].width != 0 ? fleet_cols[i].width : label;
		if (i > 0)
			x[i] = x[i - 1] + w[i - 1] + 1;
	}
}

static void
fleet_cell(WINDOW *win, int y, int x, int w, int right, attr_t a, int utf8,
    const char *s)
{
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
	uv = ui_reg_text(ui, m, REG_EA_PLUS_TOTAL_10WH, 0, buf, sizeof buf,
	    NULL);
	ui_val_mark(uv, buf, sizeof buf, w[FC_KWH]);
	fleet_cell(win, y, x[FC_KWH], w[FC_KWH], 1, fleet_row_attr(ui, sel,
	    uv == UV_FRESH ? TH_VALUE : TH_STALE), ui->utf8, buf);
	/* P: 10 W steps; 10^(1-3) gives kW with 2 decimals. */
	uv = ui_reg_text(ui, m, REG_P, -3, buf, sizeof buf, NULL);
	ui_val_mark(uv, buf, sizeof buf, w[FC_KW]);
	fleet_cell(win, y, x[FC_KW], w[FC_KW], 1, fleet_row_attr(ui, sel,
	    uv == UV_FRESH ? TH_VALUE : TH_STALE), ui->utf8, buf);
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

/* "rs485-1 load 37% refresh 1.2 s (wanted 1.0 s)" for every bus. */
static void
fleet_draw_buses(struct ui *ui, WINDOW *win, int y)
{
	const struct bus_view	*bv;
	char			 line[1024], part[256], ach[32], want[32];
	size_t			 len = 0;
	int			 i, nb = ui->engine != NULL ?
				    engine_nbuses(ui->engine) : 0, bad = 0;
	int64_t			 now = ui_now_ms(ui);

	line[0] = '\0';
	for (i = 0; i < nb && len < sizeof line - 1; i++) {
		bv = engine_bus(ui->engine, i);
		if (!bv->connected && bv->last_error[0] != '\0') {
			snprintf(part, sizeof part, "%s%s: %s", i ? "  " : "",
			    bv->conf->name, bv->last_error);
			bad = 1;
		} else {
			widget_fmt_period(ach, sizeof ach, bv->achievable_ms);
			widget_fmt_period(want, sizeof want, bv->wanted_ms);
			if (bv->achievable_ms > bv->wanted_ms)
				bad = 1;
			snprintf(part, sizeof part, "%s%s load %d%% refresh %s"
			    " %s %s%s", i ? "  " : "", bv->conf->name,
			    (stats_util_permille(&bv->stats, now) + 5) / 10,
			    bv->achievable_ms > 0 ? ach : "?",
			    bv->achievable_ms > bv->wanted_ms ? "> wanted" :
			    "(wanted", want,
			    bv->achievable_ms > bv->wanted_ms ? "" : ")");
		}
		snprintf(line + len, sizeof line - len, "%s", part);
		len = strlen(line);
	}
	widget_fill(win, y, 0, getmaxx(win), ui_attr(ui, TH_HEADER));
	widget_put(win, y, 0, 0, ui_attr(ui, bad ? TH_WARN : TH_HEADER),
	    ui->utf8, nb > 0 ? line : "no bus");
}

static void
fleet_draw(void *arg, struct ui *ui, WINDOW *win)
{
	struct fleet	*f = arg;
	int		 x[FC__COUNT], w[FC__COUNT], i, rows, cur, y, h;
	char		 head[64], prompt[512];
	attr_t		 ha = ui_attr(ui, TH_HEADER);

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
	fleet_geometry(getmaxx(win), x, w);
	for (i = 0; i < FC__COUNT; i++) {
		snprintf(head, sizeof head, "%s%s%s", i == FC_KWH ?
		    ui->g->sigma : "", i == FC_KWH ? " " : "",
		    fleet_cols[i].title);
		if (i == f->sort)
			strncat(head, f->reverse ? ui->g->up : ui->g->down,
			    sizeof head - strlen(head) - 1);
		fleet_cell(win, 0, x[i], w[i], fleet_cols[i].right, ha |
		    (i == f->sort ? A_UNDERLINE : 0), ui->utf8, head);
	}
	rows = h - 2;			/* header, bus line */
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
	if (f->top > f->nview - rows)
		f->top = f->nview - rows > 0 ? f->nview - rows : 0;
	for (i = f->top, y = 1; i < f->nview && y <= rows; i++, y++)
		fleet_draw_row(ui, win, y, ui_meter_at(ui, f->view[i]),
		    f->view[i] == ui->selected, x, w);
	if (f->nview == 0)
		widget_printf(win, 1, 2, 0, ui_attr(ui, TH_WARN), ui->utf8,
		    "No meter matches \"%s\" (Esc clears the filter)",
		    f->filter);
	if (f->prompt.active)
		widget_prompt_draw(win, h - 2, 0, getmaxx(win),
		    ui_attr(ui, TH_PROMPT), "Filter: ", &f->prompt);
	else if (f->filter[0] != '\0') {
		snprintf(prompt, sizeof prompt, "Filter: \"%s\": %d of %d "
		    "meters (Esc clears)", f->filter, f->nview, ui_nmeters(ui));
		widget_put(win, h - 2, 0, 0, ui_attr(ui, TH_WARN), ui->utf8,
		    prompt);
	}
	fleet_draw_buses(ui, win, h - 1);
}

static void
fleet_move(struct fleet *f, struct ui *ui, int to)
{
	if (f->nview == 0)
		return;
	if (to < 0)
		to = 0;
	if (to >= f->nview)
		to = f->nview - 1;
	ui_select(ui, f->view[to]);
}

static enum screen_key
fleet_key(void *arg, struct ui *ui, int key)
{
	struct fleet	*f = arg;
	int		 cur;

	if (f->prompt.active) {
		switch (widget_prompt_key(&f->prompt, key)) {
		case PROMPT_DONE:
			snprintf(f->filter, sizeof f->filter, "%s",
			    f->prompt.buf);
			f->top = 0;
			break;
		case PROMPT_CANCEL:
			f->filter[0] = '\0';
			break;
		case PROMPT_EDITING:
			break;
		}
		return SCREEN_HANDLED;
	}
	fleet_build(f, ui);
	cur = fleet_cursor(f, ui);
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
		fleet_move(f, ui, 0);
		break;
	case KEY_END:
	case 'G':
		fleet_move(f, ui, f->nview - 1);
		break;
	case '\n':
	case '\r':
	case KEY_ENTER:
		if (f->nview > 0)
			ui_show(ui, "meter");
		break;
	case 's':
		do {
			f->sort = (f->sort + 1) % FC__COUNT;
		} while (!fleet_cols[f->sort].sortable);
		ui_message(ui, "sorted by %s", fleet_cols[f->sort].title);
		break;
	case 'S':
		f->reverse = !f->reverse;
		break;
	case '/':
		widget_prompt_start(&f->prompt, f->filter, 40);
		break;
	case 27:	/* Esc */
		if (f->filter[0] == '\0')
			return SCREEN_IGNORED;
		f->filter[0] = '\0';
		break;
	default:
		return SCREEN_IGNORED;
	}
	return SCREEN_HANDLED;
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
