/*
 * screen-meter.c: screen 2, the selected meter's front panel as the leaflet
 * draws it. Pages in the meter's order (Σ total, T1..T4, instantaneous
 * power P, CS), stepped with Space like the meter's button; phase
 * pictograms lit from live voltages; the active tariff marked; the live
 * checks T = T1+T2+T3+T4 and "no counter went backwards", loud only when
 * they fail; the wiring faults the console can infer (Err 1/2/3, 7/8/9),
 * and a plain statement of what the bus cannot tell (the meter's own
 * wiring-test result, Err 01, Err CRC, the CS). Big segment digits when the
 * window has room, plain digits otherwise (80x24).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen.h"

#define CS_MAX	8

enum lcd_kind { LCD_ENERGY, LCD_POWER, LCD_CS };

struct lcd_page {
	const char	*tag;		/* NULL: the Σ glyph */
	const char	*title;		/* the leaflet's caption */
	enum lcd_kind	 kind;
	enum reg_id	 reg;
	int		 shift;		/* 10^shift applied to the row's scale */
	const char	*unit;
	int		 tariff;	/* 1..4 for T pages */
};

/* The meter's page order (leaflet, "The meter" / "Energy meter"). */
static const struct lcd_page lcd_pages[] = {
	{ NULL, "Total energy meter", LCD_ENERGY, REG_EA_PLUS_TOTAL_10WH,
	    0, "kWh", 0 },
	{ "T1", "Total energy meter for tariff 1", LCD_ENERGY,
	    REG_EA_PLUS_T1_10WH, 0, "kWh", 1 },
	{ "T2", "Total energy meter for tariff 2", LCD_ENERGY,
	    REG_EA_PLUS_T2_10WH, 0, "kWh", 2 },
	{ "T3", "Total energy meter for tariff 3", LCD_ENERGY,
	    REG_EA_PLUS_T3_10WH, 0, "kWh", 3 },
	{ "T4", "Total energy meter for tariff 4", LCD_ENERGY,
	    REG_EA_PLUS_T4_10WH, 0, "kWh", 4 },
	{ "P", "Instantaneous power", LCD_POWER, REG_P, -3, "kW", 0 },
	{ "CS", "Identification of metrological software (CS)", LCD_CS,
	    REG_SOFTWARE_VERSION, 0, "", 0 },
};
#define NPAGES	((int)(sizeof lcd_pages / sizeof lcd_pages[0]))

/* The leaflet's wiring-test codes: current reversed on a phase (1..3) or
 * the voltage of a phase swapped with neutral (7..9). */
static const struct {
	int		 code;
	int		 phase;
	int		 current;
} lcd_err_codes[] = {
	{ 1, 1, 1 }, { 2, 2, 1 }, { 3, 3, 1 },
	{ 7, 1, 0 }, { 8, 2, 0 }, { 9, 3, 0 },
};

static const struct screen_help meter_help[] = {
	{ "Space Right l", "next page, like the meter's button" },
	{ "Left h", "previous page" },
	{ "c", "type the CS shown on the meter's CS page (kept in memory)" },
	{ "Esc", "back to the previous screen" },
	{ NULL, NULL }
};

struct meter_screen {
	int			 page;
	struct widget_prompt	 prompt;
	int			 nmeters;
	char			(*cs)[CS_MAX + 1];	/* typed, per meter */
};

static void *
meter_open(struct ui *ui)
{
	struct meter_screen	*s;
	int			 n = ui_nmeters(ui);

	if ((s = calloc(1, sizeof *s)) == NULL)
		return NULL;
	s->nmeters = n;
	if (n > 0 && (s->cs = calloc((size_t)n, sizeof *s->cs)) == NULL) {
		free(s);
		return NULL;
	}
	return s;
}

static void
meter_close(void *arg)
{
	struct meter_screen	*s = arg;

	if (s == NULL)
		return;
	free(s->cs);
	free(s);
}

/* The leaflet's text for Err code, and why the console infers it. */
static void
meter_err_text(const struct ui *ui, int code, char *buf, size_t len)
{
	size_t	i;

	for (i = 0; i < sizeof lcd_err_codes / sizeof lcd_err_codes[0]; i++) {
		if (lcd_err_codes[i].code != code)
			continue;
		if (lcd_err_codes[i].current)
			snprintf(buf, len, "inverted connection of phase %d "
			    "(L%d %s L%d'): P%d < 0 with current flowing",
			    lcd_err_codes[i].phase, lcd_err_codes[i].phase,
			    ui->g->swap, lcd_err_codes[i].phase,
			    lcd_err_codes[i].phase);
		else
			snprintf(buf, len, "voltage inversion between V%d and "
			    "Neutral: the other phases read about %s x the "
			    "phase voltage", lcd_err_codes[i].phase,
			    ui->g->degree_sqrt3);
		return;
	}
	snprintf(buf, len, "code not in the leaflet");
}

/* Why a meter has no value to show: "not read yet", or a reason that
 * will not go away by waiting. */
static const char *
meter_why_none(const struct meter *m)
{
	if (m->status == MS_NOT_E34)
		return "not an E34: not read";
	if (m->ok_cycles == 0 && m->cycles > 0)
		return "no answer yet";
	return "not read yet";
}

/* Header: label, bus/address, state, identification. */
static void
meter_draw_header(struct ui *ui, WINDOW *win, const struct meter *m)
{
	char			 st[32], line[256], label[128];
	enum theme_elem		 el;
	int			 x;

	el = ui_meter_state(ui, m, st, sizeof st);
	snprintf(line, sizeof line, "%s  %s/%d  ", ui_fit(ui, label,
	    sizeof label, m->conf->label, getmaxx(win) / 3),
	    ui->cfg->buses[m->conf->bus].name, m->conf->address);
	x = widget_put(win, 0, 1, 0, ui_attr(ui, TH_HEADER), ui->utf8, line);
	x += widget_put(win, 0, 1 + x, 0, ui_attr(ui, el), ui->utf8, st);
	if (m->ident.done)
		snprintf(line, sizeof line, "  %s  serial %s",
		    m->ident.ext_name[0] ? m->ident.ext_name : "?",
		    m->ident.serial[0] ? m->ident.serial : "?");
	else
		snprintf(line, sizeof line, "  not identified yet");
	widget_put(win, 0, 1 + x, 0, ui_attr(ui, TH_UNIT), ui->utf8, line);
}

/* The value of the current page into buf; its freshness. */
static enum ui_val
meter_page_value(struct ui *ui, const struct meter_screen *s,
    const struct meter *m, const struct lcd_page *p, char *buf, size_t len,
    int64_t *age)
{
	if (p->kind == LCD_CS) {
		*age = -1;
		if (m->index < s->nmeters && s->cs[m->index][0] != '\0') {
			snprintf(buf, len, "%s", s->cs[m->index]);
			return UV_FRESH;
		}
		snprintf(buf, len, "----");
		return UV_NONE;
	}
	return ui_reg_text(ui, m, p->reg, p->shift, buf, len, age);
}

/* Top line inside the LCD: phase pictograms, tariffs, the page tag. */
static void
meter_draw_lcd_top(struct ui *ui, WINDOW *win, int y, int x0, int w,
    const struct meter *m, const struct lcd_page *p)
{
	struct wiring_diag	 d;
	int64_t			 tariff = 0;
	int			 t, have;
	char			 tag[8];
	attr_t			 lcd = ui_attr(ui, TH_LCD);

	meter_wiring(m, ui_now_ms(ui), &d);
	widget_phases(win, y, x0 + 2, d.phase_present, d.known,
	    ui_attr(ui, TH_PHASE_ON), ui_attr(ui, TH_PHASE_OFF));
	have = meter_raw(m, ui_reg_pick(m, REG_TARIFF_ACTIVE,
	    REG_TARIFF_ACTIVE_B), ui_now_ms(ui), 0, &tariff);
	for (t = 1; t <= 4; t++) {
		snprintf(tag, sizeof tag, have && tariff == t ? "[T%d]" :
		    " T%d ", t);
		widget_put(win, y, x0 + 14 + (t - 1) * 5, 4, have &&
		    tariff == t ? ui_attr(ui, TH_TARIFF_ACTIVE) : lcd,
		    ui->utf8, tag);
	}
	widget_put_right(win, y, x0 + w - 8, 6, ui_attr(ui, TH_LCD_DIGIT),
	    ui->utf8, p->tag != NULL ? p->tag : ui->g->sigma);
}

/* The LCD box; returns the rows it used. */
static int
meter_draw_lcd(struct ui *ui, struct meter_screen *s, WINDOW *win, int y,
    const struct meter *m, int big)
{
	const struct lcd_page	*p = &lcd_pages[s->page];
	char			 val[48], shown[48], line[160], age[16];
	enum ui_val		 uv;
	int64_t			 age_ms;
	int			 w = getmaxx(win) - 2, h, bw, vy, x0 = 1;
	attr_t			 lcd = ui_attr(ui, TH_LCD);
	attr_t			 da;

	uv = meter_page_value(ui, s, m, p, val, sizeof val, &age_ms);
	bw = widget_big_width(val);
	if (bw < 0 || bw > w - 4)
		big = 0;
	h = big ? 3 + WIDGET_BIG_H + 1 : 5;	/* borders, top, digits, caption */
	if (w > 72)
		w = 72;
	da = uv == UV_FRESH ? ui_attr(ui, TH_LCD_DIGIT) : ui_attr(ui, TH_STALE);
	/* the plain text says "not fresh" without colours: "~36122.25" */
	snprintf(shown, sizeof shown, "%s", val);
	ui_val_mark(uv, shown, sizeof shown, 0);

	widget_box(win, y, x0, h, w, lcd, ui->utf8);

	meter_draw_lcd_top(ui, win, y + 1, x0, w, m, p);
	vy = y + 2;
	if (big) {
		widget_big_draw(win, vy, x0 + w - 3 - bw - 4, val, da,
		    ui->utf8);
		vy += WIDGET_BIG_H;
	} else {
		snprintf(line, sizeof line, "%s %s", shown, p->unit);
		widget_put_right(win, vy, x0 + 2, w - 12, da | A_BOLD, ui->utf8,
		    line);
		vy++;
	}
	/* Caption: the plain value under big digits, the title, the age. */
	if (big)
		snprintf(line, sizeof line, "%s %s  ", shown, p->unit);
	else
		line[0] = '\0';
	if (uv == UV_STALE && age_ms >= 0) {
		widget_fmt_age(age, sizeof age, age_ms);
		snprintf(line + strlen(line), sizeof line - strlen(line),
		    "%s  (old: read %s ago)", p->title, age);
	} else if (uv == UV_NONE && p->kind != LCD_CS)
		snprintf(line + strlen(line), sizeof line - strlen(line),
		    "%s  (%s)", p->title, meter_why_none(m));
	else
		snprintf(line + strlen(line), sizeof line - strlen(line),
		    "%s", p->title);
	widget_put(win, vy, x0 + 2, w - 4, uv == UV_FRESH || p->kind == LCD_CS ?
	    lcd : ui_attr(ui, TH_STALE), ui->utf8, line);
	return h;
}

/* "Pages: [Σ] T1 T2 T3 T4 P CS" with the current one bracketed. */
static void
meter_draw_pages(struct ui *ui, struct meter_screen *s, WINDOW *win, int y)
{
	char	buf[16];
	int	i, x;

	x = widget_put(win, y, 1, 0, ui_attr(ui, TH_UNIT), ui->utf8, "Pages: ");
	for (i = 0; i < NPAGES; i++) {
		snprintf(buf, sizeof buf, i == s->page ? "[%s]" : " %s ",
		    lcd_pages[i].tag != NULL ? lcd_pages[i].tag : ui->g->sigma);
		x += widget_put(win, y, 1 + x, 0, i == s->page ?
		    ui_attr(ui, TH_TAB_ACTIVE) : ui_attr(ui, TH_NORMAL),
		    ui->utf8, buf);
	}
	widget_put(win, y, 2 + x, 0, ui_attr(ui, TH_UNIT), ui->utf8,
	    "  Space next, Left previous");
}

/* A banner over the full width, wrapped onto as many rows as it needs
 * (at most maxrows); returns the rows used. */
static int
meter_banner(struct ui *ui, WINDOW *win, int y, int maxrows, const char *text)
{
	int	cols = getmaxx(win), rows, i;
	attr_t	a = ui_attr(ui, TH_BANNER);

	rows = widget_wrap(NULL, y, 1, cols - 2, maxrows, 1, a, ui->utf8, text);
	for (i = 0; i < rows; i++)
		widget_fill(win, y + i, 0, cols, a);
	return widget_wrap(win, y, 1, cols - 2, rows, 1, a, ui->utf8, text);
}

/* "ea_plus_total_10Wh read 13896.68 kWh after 46051.70 kWh". */
static void
meter_backwards_text(const struct meter *m, char *buf, size_t len)
{
	const struct reg_def	*d = regmap_get(m->energy_backwards_id);
	const struct reg_sample	*s = meter_get(m, m->energy_backwards_id);
	char			 now[32], before[32];

	if (s == NULL || !s->v.valid || !d->has_scale ||
	    fmt_fixed(now, sizeof now, s->v.raw, d->scale_exp, '.') < 0 ||
	    fmt_fixed(before, sizeof before, s->max, d->scale_exp, '.') < 0) {
		snprintf(buf, len, "%s", d->name);
		return;
	}
	snprintf(buf, len, "%s read %s %s after %s %s", d->name, now, d->unit,
	    before, d->unit);
}

/* T = T1+T2+T3+T4 and monotonic counters: quiet when fine, loud if not. */
static int
meter_draw_checks(struct ui *ui, WINDOW *win, int y, int maxy,
    const struct meter *m)
{
	static const enum reg_id tid[4] = { REG_EA_PLUS_T1_10WH,
	    REG_EA_PLUS_T2_10WH, REG_EA_PLUS_T3_10WH, REG_EA_PLUS_T4_10WH };
	int64_t	 now = ui_now_ms(ui), total, t, sum = 0;
	char	 a[32], b[32], what[128], line[320];
	int	 i, have, rows = 0;

	have = meter_raw(m, REG_EA_PLUS_TOTAL_10WH, now, 0, &total);
	for (i = 0; i < 4 && have; i++) {
		have = meter_raw(m, tid[i], now, 0, &t);
		sum += t;
	}
	if (!meter_tariffs_consistent(m)) {
		fmt_fixed(a, sizeof a, sum, -2, '.');
		fmt_fixed(b, sizeof b, total, -2, '.');
		snprintf(line, sizeof line, "CHECK FAILED: T1+T2+T3+T4 = %s "
		    "kWh but %s = %s kWh. Suspect the register map or the "
		    "word order (high word first).", a, ui->g->sigma, b);
		rows += meter_banner(ui, win, y + rows, maxy - y - rows, line);
	}
	if (!meter_energy_monotonic(m)) {
		meter_backwards_text(m, what, sizeof what);
		snprintf(line, sizeof line, "CHECK FAILED: an energy counter "
		    "went backwards (%s). Suspect the word order or a wrong "
		    "register, or a replaced meter.", what);
		rows += meter_banner(ui, win, y + rows, maxy - y - rows, line);
	}
	if (rows == 0) {
		if (have && m->status != MS_OK &&
		    ui_meter_age_ms(ui, m) >= 0) {
			/* the last good values, not live ones: say how old */
			fmt_fixed(a, sizeof a, sum, -2, '.');
			widget_fmt_age(b, sizeof b, ui_meter_age_ms(ui, m));
			snprintf(line, sizeof line, "Checks ok on the values "
			    "read %s ago: T1+T2+T3+T4 = %s = %s%s kWh", b,
			    ui->g->sigma, UI_STALE_MARK, a);
		} else if (have) {
			fmt_fixed(a, sizeof a, sum, -2, '.');
			snprintf(line, sizeof line, "Checks ok: T1+T2+T3+T4 = %s "
			    "= %s kWh; no counter went backwards", ui->g->sigma,
			    a);
		} else if (m->status == MS_NOT_E34)
			snprintf(line, sizeof line, "Checks: none, the device "
			    "at this address is not an E34");
		else
			snprintf(line, sizeof line, "Checks: T = T1+T2+T3+T4 "
			    "and monotonic counters, once all are read");
		rows += widget_wrap(win, y, 1, 0, maxy - y, 2,
		    ui_attr(ui, TH_OK), ui->utf8, line);
	}
	return rows;
}

/* Phase voltages as text: "L1 231.02 V  L2 ...". */
static void
meter_phase_volts(struct ui *ui, const struct meter *m, char *buf, size_t len)
{
	static const enum reg_id vid[3] = { REG_V1, REG_V2, REG_V3 };
	char	v[3][24];
	int	i;

	for (i = 0; i < 3; i++)
		ui_val_mark(ui_reg_text(ui, m, vid[i], 0, v[i], sizeof v[i],
		    NULL), v[i], sizeof v[i], 0);
	snprintf(buf, len, "V1 %s V, V2 %s V, V3 %s V", v[0], v[1], v[2]);
}

/*
 * The inferred Err codes and what the bus cannot tell; returns rows. Each
 * text wraps (its continuation indented under the text, not the code)
 * rather than being cut at the window's edge.
 */
static int
meter_draw_wiring(struct ui *ui, WINDOW *win, int y, int maxy,
    const struct meter *m)
{
	struct wiring_diag	 d;
	char			 line[256], what[160], volts[96];
	int			 i, y0 = y;

	meter_wiring(m, ui_now_ms(ui), &d);
	if (y < maxy)
		y += widget_wrap(win, y, 1, 0, maxy - y, 2,
		    ui_attr(ui, TH_HEADER), ui->utf8, "Wiring, inferred from "
		    "live readings (not the meter's own test):");
	if (!d.known && y < maxy) {
		y += widget_wrap(win, y, 3, 0, maxy - y, 2,
		    ui_attr(ui, TH_STALE), ui->utf8, m->status == MS_NOT_E34 ?
		    "nothing to infer: not an E34" :
		    "not enough fresh readings yet");
	} else if ((d.nerr == 0 || (d.nerr == 1 && d.err_codes[0] == 0)) &&
	    y < maxy) {
		y += widget_wrap(win, y, 3, 0, maxy - y, 7, ui_attr(ui, TH_OK),
		    ui->utf8, d.nerr == 1 ? "Err 0  no error: no reversed "
		    "current, no V-N inversion, every phase present" :
		    "no reversed current and no V-N inversion seen (a phase "
		    "is missing)");
	}
	for (i = 0; d.known && i < d.nerr && y < maxy; i++) {
		if (d.err_codes[i] == 0)
			continue;
		meter_err_text(ui, d.err_codes[i], what, sizeof what);
		snprintf(line, sizeof line, "Err %d  %s", d.err_codes[i], what);
		y += widget_wrap(win, y, 3, 0, maxy - y, 7,
		    ui_attr(ui, TH_ERROR), ui->utf8, line);
	}
	if (y < maxy) {
		meter_phase_volts(ui, m, volts, sizeof volts);
		snprintf(line, sizeof line, "Phase pictograms lit when Vn > "
		    "150 V: %s", volts);
		y += widget_wrap(win, y, 3, 0, maxy - y, 2,
		    ui_attr(ui, TH_UNIT), ui->utf8, line);
	}
	if (y < maxy)
		y += widget_wrap(win, y, 1, 0, maxy - y, 2,
		    ui_attr(ui, TH_WARN), ui->utf8, "Not readable over Modbus: "
		    "the meter's wiring-test result, Err 01, Err CRC, CS.");
	if (y < maxy)
		y += widget_wrap(win, y, 1, 0, maxy - y, 2,
		    ui_attr(ui, TH_UNIT), ui->utf8, "Read those on the meter's "
		    "LCD (hold MENU 3 s for the wiring test).");
	return y - y0;
}

/* The CS page's explanation under the LCD. */
static int
meter_draw_cs_info(struct ui *ui, struct meter_screen *s, WINDOW *win, int y,
    const struct meter *m)
{
	const struct reg_def	*sw = regmap_get(REG_SOFTWARE_VERSION);
	const struct reg_def	*tv = regmap_get(REG_JBUS_TABLE_VERSION);
	char			 v[32], t[32], line[256];
	int			 y0 = y;

	ui_reg_text(ui, m, REG_SOFTWARE_VERSION, 0, v, sizeof v, NULL);
	ui_reg_text(ui, m, REG_JBUS_TABLE_VERSION, 0, t, sizeof t, NULL);
	snprintf(line, sizeof line, "Software version (bus, 0x%04X): %s   "
	    "JBUS table version (0x%04X): %s", (unsigned)sw->addr, v,
	    (unsigned)tv->addr, t);
	widget_put(win, y++, 1, 0, ui_attr(ui, TH_VALUE), ui->utf8, line);
	if (s->prompt.active) {
		widget_prompt_draw(win, y++, 1, getmaxx(win) - 2,
		    ui_attr(ui, TH_PROMPT), "CS shown on the meter: ",
		    &s->prompt);
	} else {
		snprintf(line, sizeof line, "CS: the bus cannot read it; %s",
		    m->index < s->nmeters && s->cs[m->index][0] ?
		    "shown as typed (c to change)" :
		    "press c to type what the meter's CS page shows");
		widget_put(win, y++, 1, 0, ui_attr(ui, TH_WARN), ui->utf8,
		    line);
	}
	return y - y0;
}

static void
meter_draw(void *arg, struct ui *ui, WINDOW *win)
{
	struct meter_screen	*s = arg;
	const struct meter	*m = ui_meter(ui);
	int			 y, h = getmaxy(win), big;

	if (m == NULL) {
		widget_put(win, 1, 1, 0, ui_attr(ui, TH_WARN), ui->utf8,
		    "No meter selected.");
		return;
	}
	meter_draw_header(ui, win, m);
	big = h >= 27 && getmaxx(win) >= 72;
	y = 1 + meter_draw_lcd(ui, s, win, 1, m, big);
	meter_draw_pages(ui, s, win, y++);
	if (lcd_pages[s->page].kind == LCD_CS)
		y += meter_draw_cs_info(ui, s, win, y, m);
	y++;
	y += meter_draw_checks(ui, win, y, h, m);
	if (y < h - 1)
		y++;
	meter_draw_wiring(ui, win, y, h, m);
}

static enum screen_key
meter_key(void *arg, struct ui *ui, int key)
{
	struct meter_screen	*s = arg;
	const struct meter	*m = ui_meter(ui);
	char			*p;

	if (s->prompt.active) {
		if (widget_prompt_key(&s->prompt, key) == PROMPT_DONE &&
		    m != NULL && m->index < s->nmeters) {
			for (p = s->prompt.buf; *p != '\0'; p++)
				*p = (char)toupper((unsigned char)*p);
			snprintf(s->cs[m->index], sizeof s->cs[m->index], "%.*s",
			    CS_MAX, s->prompt.buf);
			ui_message(ui, "CS of %s noted as \"%s\" (in memory "
			    "only)", m->conf->label, s->cs[m->index]);
		}
		return SCREEN_HANDLED;
	}
	switch (key) {
	case ' ':
	case KEY_RIGHT:
	case 'l':
		s->page = (s->page + 1) % NPAGES;
		return SCREEN_HANDLED;
	case KEY_LEFT:
	case 'h':
		s->page = (s->page + NPAGES - 1) % NPAGES;
		return SCREEN_HANDLED;
	case 'c':
		if (m == NULL)
			return SCREEN_HANDLED;
		s->page = NPAGES - 1;
		widget_prompt_start(&s->prompt, m->index < s->nmeters ?
		    s->cs[m->index] : "", CS_MAX);
		return SCREEN_HANDLED;
	case 27:
		return SCREEN_CLOSE;
	}
	return SCREEN_IGNORED;
}

/* The CS entry, while open, gets every key (ui.c). */
static int
meter_modal(const void *arg)
{
	const struct meter_screen	*s = arg;

	return s->prompt.active;
}

extern const struct screen_ops screen_meter;

const char *
screen_meter_cs(struct ui *ui, const struct meter *m)
{
	const struct meter_screen	*s = ui_screen_state(ui, &screen_meter);

	if (s == NULL || m == NULL || m->index < 0 || m->index >= s->nmeters ||
	    s->cs[m->index][0] == '\0')
		return NULL;
	return s->cs[m->index];
}

const struct screen_ops screen_meter = {
	.name = "meter",
	.title = "Meter",
	.open = meter_open,
	.close = meter_close,
	.draw = meter_draw,
	.key = meter_key,
	.modal = meter_modal,
	.keys = meter_help,
};
