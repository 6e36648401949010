/*
 * ui.c: the screen manager and the event-loop glue of the console.
 *
 * It owns the terminal (curses), the three windows (title line, body,
 * status line), the key dispatch, the help overlay, the signals and the
 * redraw timing. Screens (screen-*.c) draw the body and handle their own
 * keys; the model is read through the engine, never written. See ui.h for
 * the timing rules. Terminal restoration on fatal paths is in ui-term.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "pollplan.h"
#include "ui-marks.h"
#include "ui.h"
#include "ui-record.h"
#include "ui-write.h"

/*
 * The screens, in any order (the keys 1..9 and Tab follow their hotkeys).
 * A new screen: write src/screen-NAME.c exporting screen_NAME, declare it
 * in screen.h, and add one line here.
 */
static const struct screen_ops *const screens[] = {
	&screen_fleet,
	&screen_meter,
	&screen_measure,
	&screen_loadcurve,
	&screen_commission,
	&screen_bus,
};
#define NSCREENS	((int)(sizeof screens / sizeof screens[0]))

/* Keys kept for screens a later issue adds; until then they say so. */
static const struct {
	int		 hotkey;
	const char	*title;
} ui_reserved[] = {
	{ '4', "Load curve" },
	{ '5', "Commissioning" },
};

static const struct screen_help ui_global_help[] = {
	{ "1 .. 6", "show that screen (the top line lists them)" },
	{ "Tab  S-Tab", "next / previous screen" },
	{ "[  ]", "previous / next meter" },
	{ "?  F1", "this help (arrows/PgUp/PgDn scroll, other keys close)" },
	{ "R", "start / stop recording every poll to CSV (export_dir)" },
	{ "X", "snapshot: one CSV row per meter, now" },
	{ "t", "set the selected meter's tariff (writes = on, confirmed)" },
	{ "C", "set its clock to this computer's (writes = on, confirmed)" },
	{ "^L", "repaint the terminal" },
	{ "q", "quit" },
	{ NULL, NULL }
};

static void	ui_redraw(struct ui *);

static int64_t
ui_mono_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void
ui_log(const struct ui *ui, const char *fmt, ...)
{
	va_list	ap;
	int64_t	us;

	if (ui == NULL || ui->log == NULL)
		return;
	us = ui_mono_us();
	fprintf(ui->log, "%lld.%06lld ", (long long)(us / 1000000),
	    (long long)(us % 1000000));
	va_start(ap, fmt);
	vfprintf(ui->log, fmt, ap);
	va_end(ap);
	fputc('\n', ui->log);
}

/* --- accessors for screens --- */

int
ui_nmeters(const struct ui *ui)
{
	return ui->engine != NULL ? engine_nmeters(ui->engine) : 0;
}

const struct meter *
ui_meter_at(const struct ui *ui, int i)
{
	if (i < 0 || i >= ui_nmeters(ui))
		return NULL;
	return engine_meter(ui->engine, i);
}

const struct meter *
ui_meter(const struct ui *ui)
{
	return ui_meter_at(ui, ui->selected);
}

void
ui_select(struct ui *ui, int i)
{
	if (i >= 0 && i < ui_nmeters(ui) && i != ui->selected) {
		ui->selected = i;
		ui->dirty = ui->urgent = 1;
	}
}

int64_t
ui_now_ms(const struct ui *ui)
{
	(void)ui;
	return engine_now_ms();
}

attr_t
ui_attr(const struct ui *ui, enum theme_elem el)
{
	return theme_attr(&ui->theme, el);
}

void
ui_message(struct ui *ui, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(ui->msg, sizeof ui->msg, fmt, ap);
	va_end(ap);
	ui->msg_until_ms = ui_now_ms(ui) + 4000;
	ui->dirty = ui->urgent = 1;
	ui_log(ui, "message: %s", ui->msg);
}

const char *
ui_fit(const struct ui *ui, char *buf, size_t len, const char *s, int cols)
{
	widget_fit(buf, len, s, cols, ui->utf8, ui->g->ellipsis);
	return buf;
}

void
ui_mark_dirty(struct ui *ui)
{
	ui->dirty = 1;
}

void
ui_cycle_cb(void *arg, const struct meter *m)
{
	(void)m;
	ui_mark_dirty(arg);
}

const struct bus_view *
ui_meter_bus(const struct ui *ui, const struct meter *m)
{
	if (m == NULL || ui->engine == NULL || m->conf == NULL ||
	    m->conf->bus < 0 || m->conf->bus >= engine_nbuses(ui->engine))
		return NULL;
	return engine_bus(ui->engine, m->conf->bus);
}

int64_t
ui_stale_ms(const struct ui *ui, const struct meter *m)
{
	const struct bus_view	*bv = ui_meter_bus(ui, m);
	int64_t			 period = 1000, timeout = 300;

	if (m != NULL && m->conf != NULL)
		period = m->conf->poll_ms;
	if (bv != NULL) {
		if (bv->achievable_ms > period)
			period = bv->achievable_ms;
		if (bv->conf != NULL)
			timeout = bv->conf->timeout_ms;
	}
	return 2 * period + timeout;
}

enum ui_poll
ui_reg_poll(const struct ui *ui, enum reg_id id)
{
	if ((int)id < 0 || id >= REG__COUNT)
		return UP_NONE;
	return (enum ui_poll)ui->reg_poll[id];
}

int64_t
ui_reg_stale_ms(const struct ui *ui, const struct meter *m, enum reg_id id)
{
	int64_t	every = ui_stale_ms(ui, m), slow;

	switch (ui_reg_poll(ui, id)) {
	case UP_IDENT:
		return INT64_MAX;
	case UP_SLOW:
		/* read at the first cycle after each slow period */
		slow = 2 * (int64_t)ui->slow_every_ms + every;
		return slow > every ? slow : every;
	default:
		return every;
	}
}

/* Note how the engine's plan reads each register (ui_reg_poll). */
static void
ui_plan_classes(struct ui *ui)
{
	const struct poll_plan	*p = engine_plan(ui->engine);
	const struct {
		const struct poll_set	*set;
		enum ui_poll		 how;
	} sets[] = {
		{ &p->info, UP_IDENT }, { &p->magic, UP_IDENT },
		{ &p->name, UP_IDENT }, { &p->slow, UP_SLOW },
		{ &p->fast, UP_EVERY },	/* last: the most frequent wins */
	};
	size_t			 i;
	int			 r, k;

	memset(ui->reg_poll, UP_NONE, sizeof ui->reg_poll);
	ui->slow_every_ms = p->slow_every_ms;
	for (i = 0; i < sizeof sets / sizeof sets[0]; i++)
		for (r = 0; r < sets[i].set->nreq; r++)
			for (k = 0; k < sets[i].set->req[r].nids; k++)
				ui->reg_poll[sets[i].set->req[r].ids[k]] =
				    (unsigned char)sets[i].how;
}

enum reg_id
ui_reg_pick(const struct meter *m, enum reg_id a, enum reg_id b)
{
	const struct reg_sample	*sa, *sb;

	if (m == NULL)
		return a;
	sa = meter_get(m, a);
	sb = meter_get(m, b);
	if ((sa == NULL || sa->t_ms == 0) && sb != NULL && sb->t_ms != 0)
		return b;
	return a;
}

enum ui_val
ui_reg_text(const struct ui *ui, const struct meter *m, enum reg_id id,
    int shift, char *buf, size_t len, int64_t *age_ms)
{
	const struct reg_def	*def = regmap_get(id);
	const struct reg_sample	*s;
	int64_t			 age;
	int			 r;

	if (age_ms != NULL)
		*age_ms = -1;
	if (m == NULL || (s = meter_get(m, id)) == NULL || s->t_ms == 0) {
		snprintf(buf, len, "---");
		return UV_NONE;
	}
	age = ui_now_ms(ui) - s->t_ms;
	if (age < 0)
		age = 0;
	if (age_ms != NULL)
		*age_ms = age;
	if (!s->v.valid) {
		snprintf(buf, len, "n/a");
		return UV_NA;
	}
	if (shift != 0 && def->has_scale)
		r = fmt_fixed(buf, len, s->v.raw, def->scale_exp + shift, '.');
	else
		r = reg_format(def, &s->v, buf, len, '.');
	if (r < 0)
		snprintf(buf, len, "?");
	return ui_reg_stale(ui, m, id, age) ? UV_STALE : UV_FRESH;
}

/*
 * The one staleness rule of the console: a value is not live when it is
 * older than its register's limit, or when the meter's last cycle failed.
 */
int
ui_reg_stale(const struct ui *ui, const struct meter *m, enum reg_id id,
    int64_t age_ms)
{
	if (m == NULL)
		return 1;
	return m->status != MS_OK || age_ms > ui_reg_stale_ms(ui, m, id);
}

int64_t
ui_meter_age_ms(const struct ui *ui, const struct meter *m)
{
	int64_t	age;

	if (m == NULL || m->last_ok_ms <= 0)
		return -1;
	age = ui_now_ms(ui) - m->last_ok_ms;
	return age < 0 ? 0 : age;
}

const char *
ui_val_mark(enum ui_val uv, char *buf, size_t len, int cols)
{
	char	tmp[128];

	if (uv != UV_STALE || len < 2)
		return buf;
	snprintf(tmp, sizeof tmp, "%s%s", UI_STALE_MARK, buf);
	if (cols <= 0 || widget_text_width(tmp) <= cols)
		snprintf(buf, len, "%s", tmp);
	return buf;
}

/* "timeout 12s": a failing state, and how old the values it left are. */
static void
ui_state_aged(const struct ui *ui, const struct meter *m, char *buf,
    size_t len, const char *what)
{
	char	age[16];
	int64_t	ms = ui_meter_age_ms(ui, m);

	if (ms < 0) {
		snprintf(buf, len, "%s", what);
		return;
	}
	widget_fmt_age(age, sizeof age, ms);
	snprintf(buf, len, "%s %s", what, age);
}

enum ui_health
ui_meter_health(const struct ui *ui, const struct meter *m, char *buf,
    size_t len)
{
	char	age[16], marks[32], what[32];
	int64_t	now = ui_now_ms(ui), ms = ui_meter_age_ms(ui, m);

	if (m == NULL) {
		snprintf(buf, len, "---");
		return UH_WAITING;
	}
	/* A failing meter's values are its last good ones: say their age. */
	switch (m->status) {
	case MS_UNKNOWN:
		snprintf(buf, len, m->cycles == 0 ? "waiting" : "identifying");
		return UH_WAITING;
	case MS_NOT_E34:
		ui_state_aged(ui, m, buf, len, "foreign");
		return UH_FAILING;
	case MS_TIMEOUT:
		ui_state_aged(ui, m, buf, len, m->offline ? "offline" :
		    "timeout");
		return UH_FAILING;
	case MS_CRC:
		ui_state_aged(ui, m, buf, len, m->offline ? "offline" : "CRC");
		return UH_FAILING;
	case MS_EXCEPTION:
		/* with an age, short enough for a 13-column state */
		snprintf(what, sizeof what, ms < 0 ? "exception %d" : "exc %d",
		    m->exc_code);
		ui_state_aged(ui, m, buf, len, what);
		return UH_FAILING;
	case MS_IO:
		ui_state_aged(ui, m, buf, len, m->offline ? "offline" :
		    ms < 0 ? "I/O error" : "I/O err");
		return UH_FAILING;
	case MS_OK:
		break;
	}
	if (ms > ui_stale_ms(ui, m)) {
		widget_fmt_age(age, sizeof age, ms);
		snprintf(buf, len, "stale %s", age);
		return UH_STALE;
	}
	/* It answers, but what it says needs a look: "ok Err2", "ok CHECK". */
	if (ui_marks(m, now, marks, sizeof marks) != 0) {
		snprintf(buf, len, "ok %s", marks);
		return UH_MARKED;
	}
	snprintf(buf, len, "ok");
	return UH_OK;
}

enum theme_elem
ui_meter_state(const struct ui *ui, const struct meter *m, char *buf,
    size_t len)
{
	switch (ui_meter_health(ui, m, buf, len)) {
	case UH_OK:
		return TH_OK;
	case UH_MARKED:
	case UH_STALE:
		return TH_WARN;
	case UH_FAILING:
		return TH_ERROR;
	default:
		return TH_STALE;
	}
}

/* --- screens --- */

static int
ui_screen_by_hotkey(int key)
{
	int	i;

	for (i = 0; i < NSCREENS; i++)
		if (screens[i]->hotkey == key)
			return i;
	return -1;
}

static void
ui_switch(struct ui *ui, int i)
{
	if (i < 0 || i >= NSCREENS)
		return;
	if (i != ui->cur)
		ui->prev = ui->cur;
	ui->cur = i;
	if (screens[i]->enter != NULL)
		screens[i]->enter(ui->state[i], ui);
	ui->dirty = ui->urgent = 1;
	ui_log(ui, "screen %s", screens[i]->name);
}

void *
ui_screen_state(struct ui *ui, const struct screen_ops *ops)
{
	int	i;

	for (i = 0; i < NSCREENS; i++)
		if (screens[i] == ops)
			return ui->state[i];
	return NULL;
}

int
ui_show(struct ui *ui, const char *name)
{
	int	i;

	for (i = 0; i < NSCREENS; i++) {
		if (strcmp(screens[i]->name, name) == 0) {
			ui_switch(ui, i);
			return 0;
		}
	}
	return -1;
}

/* The screen after (dir 1) or before (dir -1) the current, by hotkey. */
static int
ui_screen_step(const struct ui *ui, int dir)
{
	int	i, best = -1, key = screens[ui->cur]->hotkey, k, bk = 0;

	for (i = 0; i < NSCREENS; i++) {
		k = screens[i]->hotkey;
		if ((dir > 0 && k > key && (best == -1 || k < bk)) ||
		    (dir < 0 && k < key && (best == -1 || k > bk))) {
			best = i;
			bk = k;
		}
	}
	if (best != -1)
		return best;
	for (i = 0; i < NSCREENS; i++) {	/* wrap around */
		k = screens[i]->hotkey;
		if (best == -1 || (dir > 0 ? k < bk : k > bk)) {
			best = i;
			bk = k;
		}
	}
	return best;
}

/* --- layout and drawing --- */

static void
ui_layout(struct ui *ui)
{
	getmaxyx(stdscr, ui->rows, ui->cols);
	if (ui->title != NULL)
		delwin(ui->title);
	if (ui->body != NULL)
		delwin(ui->body);
	if (ui->status != NULL)
		delwin(ui->status);
	ui->title = ui->body = ui->status = NULL;
	if (ui->rows >= 3 && ui->cols >= 1) {
		ui->title = newwin(1, ui->cols, 0, 0);
		ui->body = newwin(ui->rows - 2, ui->cols, 1, 0);
		ui->status = newwin(1, ui->cols, ui->rows - 1, 0);
	}
	clearok(curscr, TRUE);
	ui->dirty = ui->urgent = 1;
	ui_log(ui, "layout %dx%d", ui->cols, ui->rows);
}

static int
ui_too_small(const struct ui *ui)
{
	return ui->rows < UI_MIN_ROWS || ui->cols < UI_MIN_COLS ||
	    ui->body == NULL;
}

static void
ui_draw_small(struct ui *ui)
{
	char	line[80];
	int	y;

	werase(stdscr);
	snprintf(line, sizeof line, "terminal too small: %dx%d", ui->cols,
	    ui->rows);
	y = ui->rows / 2 - 1;
	widget_put(stdscr, y > 0 ? y : 0, 0, 0, ui_attr(ui, TH_ERROR), 0,
	    line);
	snprintf(line, sizeof line, "countis-tui needs %dx%d; q quits",
	    UI_MIN_COLS, UI_MIN_ROWS);
	widget_put(stdscr, y + 1, 0, 0, A_NORMAL, 0, line);
	wnoutrefresh(stdscr);
}

static void
ui_draw_title(struct ui *ui)
{
	WINDOW			*w = ui->title;
	const struct meter	*m = ui_meter(ui);
	attr_t			 a = ui_attr(ui, TH_TITLE);
	char			 buf[160], clock[16], label[128];
	int			 key, i, x = 0, rw;
	time_t			 t = time(NULL);
	struct tm		 tm;

	widget_fill(w, 0, 0, ui->cols, a);
	if (ui->cols >= 130)
		x += widget_put(w, 0, x, 0, a, ui->utf8, " countis-tui ");
	for (key = '1'; key <= '9'; key++) {
		if ((i = ui_screen_by_hotkey(key)) == -1)
			continue;
		/* Below 120 columns only the current screen says its name. */
		if (ui->cols >= 120 || i == ui->cur)
			snprintf(buf, sizeof buf, " %c %s ", key,
			    screens[i]->title);
		else
			snprintf(buf, sizeof buf, " %c ", key);
		x += widget_put(w, 0, x, 0, ui_attr(ui, i == ui->cur ?
		    TH_TAB_ACTIVE : TH_TAB), ui->utf8, buf);
	}
	localtime_r(&t, &tm);
	strftime(clock, sizeof clock, "%H:%M:%S", &tm);
	/* the label gives way (cut, with an ellipsis) before the clock */
	if (m != NULL)
		snprintf(buf, sizeof buf, "%s  %s ", ui_fit(ui, label,
		    sizeof label, m->conf->label, ui->cols - x - 13), clock);
	else
		snprintf(buf, sizeof buf, "%s ", clock);
	rw = widget_text_width(buf);
	if (rw > ui->cols - x - 1)
		rw = ui->cols - x - 1;
	if (rw > 0)
		widget_put_right(w, 0, ui->cols - rw, rw, a, ui->utf8, buf);
	wnoutrefresh(w);
}

/* The status line: the message or the key hints, and what the meters
 * are doing ("6 meters: 2 ok, 2 Err/CHECK, 2 failing"; zero counts left
 * out, ok always said). */
static void
ui_draw_status(struct ui *ui)
{
	static const char *const what[] = {
		[UH_OK] = "ok", [UH_MARKED] = "Err/CHECK", [UH_STALE] = "stale",
		[UH_FAILING] = "failing", [UH_WAITING] = "waiting",
	};
	char	left[256], right[160], word[32];
	int	count[UH__COUNT] = { 0 }, i, n = ui_nmeters(ui), msg;
	size_t	off;

	for (i = 0; i < n; i++)
		count[ui_meter_health(ui, ui_meter_at(ui, i), word,
		    sizeof word)]++;
	msg = ui->msg[0] != '\0' && ui_now_ms(ui) < ui->msg_until_ms;
	if (msg)
		snprintf(left, sizeof left, " %s", ui->msg);
	else
		snprintf(left, sizeof left, " ? help  Tab next screen  "
		    "q quit");
	right[0] = '\0';	/* the recording, unless a message needs room */
	if (ui->rec != NULL && !msg)
		ui_record_status(ui->rec, right, sizeof right - 64);
	off = strlen(right);
	off += (size_t)snprintf(right + off, sizeof right - off,
	    "%s%d meter%s: %d ok", off > 0 ? "  " : "", n, n == 1 ? "" : "s",
	    count[UH_OK]);
	for (i = UH_MARKED; i < UH__COUNT && off < sizeof right; i++)
		if (count[i] > 0)
			off += (size_t)snprintf(right + off, sizeof right - off,
			    ", %d %s", count[i], what[i]);
	if (off < sizeof right - 1)
		strcat(right, " ");
	widget_status(ui->status, 0, ui_attr(ui, TH_STATUS), ui->utf8, left,
	    right);
	wnoutrefresh(ui->status);
}

/* The help overlay: the current screen's keys, the global ones, and the
 * reserved keys whose screens are not in this build. */
static void
ui_draw_help(struct ui *ui)
{
	char		 notes[4][96];
	const char	*np[4];
	int		 i, n = 0;

	for (i = 0; i < (int)(sizeof ui_reserved / sizeof ui_reserved[0]) &&
	    n < 4; i++) {
		if (ui_screen_by_hotkey(ui_reserved[i].hotkey) != -1)
			continue;
		snprintf(notes[n], sizeof notes[n], "%c: %s is not in this "
		    "build yet", ui_reserved[i].hotkey, ui_reserved[i].title);
		np[n] = notes[n];
		n++;
	}
	help_draw(ui, screens[ui->cur], screens, NSCREENS, ui_global_help, np,
	    n);
}

static void
ui_redraw(struct ui *ui)
{
	const struct screen_ops	*ops = screens[ui->cur];
	int64_t			 lat;

	if (ui_too_small(ui)) {
		ui_draw_small(ui);
	} else {
		if (is_wintouched(stdscr))
			wnoutrefresh(stdscr);
		ui_draw_title(ui);
		werase(ui->body);
		ops->draw(ui->state[ui->cur], ui, ui->body);
		if (ui->wr != NULL)
			ui_write_draw(ui->wr, ui->body);
		wnoutrefresh(ui->body);
		ui_draw_status(ui);
		if (ui->help)
			ui_draw_help(ui);
	}
	doupdate();
	if (ui->redraws++ == 0)		/* bench/scale.sh: first paint */
		ui_log(ui, "paint first screen %s", ops->name);
	ui->dirty = ui->urgent = 0;
	ui->last_draw_ms = ui_now_ms(ui);
	if (ev_is_active(&ui->throttle))
		ev_timer_stop(ui->loop, &ui->throttle);
	if (ui->key_us != 0) {
		lat = ui_mono_us() - ui->key_us;
		ui_log(ui, "key %d screen %s drawn latency_us %lld", ui->key_code,
		    ops->name, (long long)lat);
		ui->key_us = 0;
	}
}

/* --- keys --- */

static void
ui_quit(struct ui *ui, int code)
{
	ui->exit_code = code;
	ev_break(ui->loop, EVBREAK_ALL);
}

/* What has the keyboard: an overlay or prompt, or nothing (the screen and
 * the global keys). */
enum ui_focus {
	UF_NONE,
	UF_HELP,	/* the help overlay */
	UF_WRITE,	/* a write's question (tariff, clock) */
	UF_SCREEN	/* the screen's text prompt or question */
};

/*
 * The one place that decides who gets a key: while an overlay or a prompt
 * is open it gets every key, global keys included (typing "Lift" in the
 * Fleet filter must not open the tariff question, "176C" in the CS entry
 * must not ask to set the clock); it closes itself (Enter, Esc).
 */
static enum ui_focus
ui_focus(const struct ui *ui)
{
	const struct screen_ops	*ops = screens[ui->cur];

	if (ui->help)
		return UF_HELP;
	if (ui->wr != NULL && ui_write_open(ui->wr))
		return UF_WRITE;
	if (ops->modal != NULL && ops->key != NULL &&
	    ops->modal(ui->state[ui->cur]))
		return UF_SCREEN;
	return UF_NONE;
}

/* The help overlay's keys: the usual ones scroll it, any other closes it. */
static void
ui_help_key(struct ui *ui, int ch)
{
	int	page = ui->help_page > 1 ? ui->help_page - 1 : 1;
	int	last = ui->help_lines - ui->help_page;

	switch (ch) {
	case KEY_UP:
	case 'k':
		ui->help_top--;
		break;
	case KEY_DOWN:
	case 'j':
		ui->help_top++;
		break;
	case KEY_PPAGE:
		ui->help_top -= page;
		break;
	case KEY_NPAGE:
	case ' ':
		ui->help_top += page;
		break;
	case KEY_HOME:
	case 'g':
		ui->help_top = 0;
		break;
	case KEY_END:
	case 'G':
		ui->help_top = last;
		break;
	default:
		ui->help = 0;
		return;
	}
	if (ui->help_top > last)
		ui->help_top = last;
	if (ui->help_top < 0)
		ui->help_top = 0;
}

static void
ui_key(struct ui *ui, int ch)
{
	const struct screen_ops	*ops = screens[ui->cur];
	enum screen_key		 r;
	int			 i, n;

	ui->dirty = ui->urgent = 1;
	if (ch == KEY_RESIZE) {
		ui_layout(ui);
		return;
	}
	if (ui_too_small(ui)) {
		if (ch == 'q' || ch == 'Q')
			ui_quit(ui, EXIT_OK);
		return;
	}
	switch (ui_focus(ui)) {
	case UF_HELP:
		ui_help_key(ui, ch);
		return;
	case UF_WRITE:
		ui_write_key(ui->wr, ch);
		return;
	case UF_SCREEN:
		if (ops->key(ui->state[ui->cur], ui, ch) == SCREEN_CLOSE)
			ui_switch(ui, ui->prev);
		return;
	case UF_NONE:
		break;
	}
	if (ui->wr != NULL && ui_write_key(ui->wr, ch) == SCREEN_HANDLED)
		return;
	if (ops->key != NULL) {
		r = ops->key(ui->state[ui->cur], ui, ch);
		if (r == SCREEN_HANDLED)
			return;
		if (r == SCREEN_CLOSE) {
			ui_switch(ui, ui->prev);
			return;
		}
	}
	if (ui->rec != NULL && ui_record_key(ui->rec, ui, ch) ==
	    SCREEN_HANDLED)
		return;
	n = ui_nmeters(ui);
	switch (ch) {
	case 'q':
	case 'Q':
		ui_quit(ui, EXIT_OK);
		return;
	case '\t':
		ui_switch(ui, ui_screen_step(ui, 1));
		return;
	case KEY_BTAB:
		ui_switch(ui, ui_screen_step(ui, -1));
		return;
	case '?':
	case KEY_F(1):
		ui->help = 1;
		ui->help_top = 0;
		return;
	case 12:	/* ^L */
		clearok(curscr, TRUE);
		return;
	case '[':
		if (n > 0)
			ui_select(ui, (ui->selected + n - 1) % n);
		return;
	case ']':
		if (n > 0)
			ui_select(ui, (ui->selected + 1) % n);
		return;
	}
	if (ch >= '1' && ch <= '9') {
		if ((i = ui_screen_by_hotkey(ch)) != -1) {
			ui_switch(ui, i);
			return;
		}
		for (i = 0; i < (int)(sizeof ui_reserved /
		    sizeof ui_reserved[0]); i++)
			if (ui_reserved[i].hotkey == ch)
				ui_message(ui, "%c: %s is not in this build "
				    "yet", ch, ui_reserved[i].title);
	}
}

static void
ui_input_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ui	*ui = container_of(w, struct ui, input);
	int		 ch, n = 0, avail = 0;

	(void)loop;
	(void)revents;
	while (n < 64 && (ch = wgetch(stdscr)) != ERR) {
		if (ui->key_us == 0) {
			ui->key_us = ui_mono_us();
			ui->key_code = ch;
		}
		ui_key(ui, ch);
		n++;
	}
	/*
	 * Readable again and again with nothing to read: the terminal is
	 * gone (EOF, hangup). One empty wakeup alone proves nothing.
	 */
	if (n > 0 || ioctl(STDIN_FILENO, FIONREAD, &avail) != 0 || avail > 0) {
		ui->empty_reads = 0;
		return;
	}
	if (++ui->empty_reads >= 3) {
		ui_log(ui, "stdin: end of input");
		ui_quit(ui, 128 + SIGHUP);
	}
}

/* --- loop watchers --- */

static void
ui_resize(struct ui *ui)
{
	struct winsize	ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	ui_layout(ui);
}

static void
ui_signal_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct ui	*ui = w->data;

	(void)loop;
	(void)revents;
	if (w->signum == SIGWINCH) {
		ui_resize(ui);
		return;
	}
	ui_log(ui, "signal %d: shutting down", w->signum);
	ui_quit(ui, 128 + w->signum);
}

static void
ui_prepare_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct ui	*ui = container_of(w, struct ui, prepare);
	int64_t		 wait;

	(void)revents;
	if (!ui->dirty || !ui->running)
		return;
	wait = ui->last_draw_ms + ui->cfg->refresh_ms - ui_now_ms(ui);
	if (ui->urgent || wait <= 0) {
		ui_redraw(ui);
		return;
	}
	if (!ev_is_active(&ui->throttle)) {
		ev_timer_set(&ui->throttle, (double)wait / 1000.0, 0.);
		ev_timer_start(loop, &ui->throttle);
	}
}

static void
ui_tick_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	ui_mark_dirty(container_of(w, struct ui, tick));
}

static void
ui_throttle_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)w;
	(void)revents;
	/* Nothing: waking the loop runs ui_prepare_cb, which draws. */
}

/* --- lifecycle --- */

struct ui *
ui_new(struct ev_loop *loop, const struct opts *o, const struct config *cfg,
    struct err *e)
{
	struct ui	*ui;
	const char	*codeset, *name, *nc;

	if ((ui = calloc(1, sizeof *ui)) == NULL) {
		err_setc(e, EXIT_SOFTWARE, "out of memory");
		return NULL;
	}
	ui->loop = loop;
	ui->opts = o;
	ui->cfg = cfg;
	ui->selected = cfg->nmeters > 0 ? 0 : -1;
	ui->exit_code = EXIT_OK;

	setlocale(LC_ALL, "");
	codeset = nl_langinfo(CODESET);
	ui->utf8 = !o->ascii && codeset != NULL &&
	    strcmp(codeset, "UTF-8") == 0;
	ui->g = widget_glyphs(ui->utf8);
	nc = getenv("NO_COLOR");
	ui->color = !o->no_color && (nc == NULL || *nc == '\0');

	theme_init(&ui->theme);
	name = o->theme != NULL ? o->theme :
	    cfg->theme != NULL ? cfg->theme : "default";
	if (theme_load_named(&ui->theme, paths_themes_dir(), name, e) == -1)
		goto fail;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		err_setc(e, EXIT_USAGE, "the console needs a terminal on stdin "
		    "and stdout (for a batch run use --export-csv)");
		goto fail;
	}
	if (o->log_path != NULL) {
		if ((ui->log = fopen(o->log_path, "a")) == NULL) {
			err_setc(e, EXIT_NOINPUT, "--log %s: %s", o->log_path,
			    strerror(errno));
			goto fail;
		}
		setvbuf(ui->log, NULL, _IOLBF, 0);
	}
	ui_log(ui, "start: codeset %s, utf8 %d, color %d, theme %s",
	    codeset != NULL ? codeset : "?", ui->utf8, ui->color,
	    ui->theme.path);
	return ui;
fail:
	ui_free(ui);
	return NULL;
}

static void
ui_signals_start(struct ui *ui)
{
	ev_signal	*sigs[4] = { &ui->sig_int, &ui->sig_term, &ui->sig_hup,
			    &ui->sig_winch };
	int		 nums[4] = { SIGINT, SIGTERM, SIGHUP, SIGWINCH }, i;

	for (i = 0; i < 4; i++) {
		ev_signal_init(sigs[i], ui_signal_cb, nums[i]);
		sigs[i]->data = ui;
		ev_signal_start(ui->loop, sigs[i]);
	}
}

/* Send stderr to the log, or to /dev/null, while curses runs. */
static void
ui_stderr_away(struct ui *ui)
{
	int	fd;

	if (ui->log != NULL) {
		ui_term_stderr_to(fileno(ui->log));
		return;
	}
	if ((fd = open("/dev/null", O_WRONLY | O_CLOEXEC)) != -1) {
		ui_term_stderr_to(fd);
		close(fd);
	}
}

int
ui_start(struct ui *ui, struct engine *eng, struct err *e)
{
	const char	*term;
	int		 i;

	ui->engine = eng;
	ui_plan_classes(ui);
	signal(SIGPIPE, SIG_IGN);
	/* Ours before curses starts, so ncurses installs no SIGWINCH handler. */
	ui_signals_start(ui);
	ev_set_syserr_cb(ui_term_syserr_cb);
	ui_term_save();
	ui_stderr_away(ui);
	if ((ui->term = newterm(NULL, stdout, stdin)) == NULL) {
		ui_term_stderr_back();
		term = getenv("TERM");
		return err_setc(e, EXIT_USAGE, "cannot use the terminal "
		    "(TERM=%s)", term != NULL ? term : "(unset)");
	}
	ui_term_arm();
	ui->running = 1;
	set_escdelay(25);
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	if (ui->color && has_colors() && start_color() == OK) {
		use_default_colors();
	} else
		ui->color = 0;
	theme_apply(&ui->theme, ui->color);
	refresh();	/* stdscr is never drawn on, so wgetch never repaints it */
	ui_layout(ui);

	ui->rec = ui_record_new(ui);
	if ((ui->wr = calloc(1, sizeof *ui->wr)) != NULL)
		ui_write_init(ui->wr, ui);
	for (i = 0; i < NSCREENS; i++)
		ui->state[i] = screens[i]->open != NULL ?
		    screens[i]->open(ui) : NULL;
	ui->cur = ui->prev = 0;
	ui_show(ui, "fleet");

	ev_io_init(&ui->input, ui_input_cb, STDIN_FILENO, EV_READ);
	ev_io_start(ui->loop, &ui->input);
	ev_prepare_init(&ui->prepare, ui_prepare_cb);
	ev_prepare_start(ui->loop, &ui->prepare);
	ev_timer_init(&ui->tick, ui_tick_cb, 1., 1.);
	ev_timer_start(ui->loop, &ui->tick);
	ev_timer_init(&ui->throttle, ui_throttle_cb, 0., 0.);
	/* paint now: the loop's first turn runs every meter's first poll */
	ui_redraw(ui);
	return 0;
}

void
ui_stop(struct ui *ui)
{
	int	i;

	if (ui == NULL)
		return;
	ev_io_stop(ui->loop, &ui->input);
	ev_prepare_stop(ui->loop, &ui->prepare);
	ev_timer_stop(ui->loop, &ui->tick);
	ev_timer_stop(ui->loop, &ui->throttle);
	ev_signal_stop(ui->loop, &ui->sig_int);
	ev_signal_stop(ui->loop, &ui->sig_term);
	ev_signal_stop(ui->loop, &ui->sig_hup);
	ev_signal_stop(ui->loop, &ui->sig_winch);
	if (!ui->running)
		return;
	for (i = 0; i < NSCREENS; i++) {
		if (screens[i]->close != NULL && ui->state[i] != NULL)
			screens[i]->close(ui->state[i]);
		ui->state[i] = NULL;
	}
	ui_record_free(ui->rec);	/* stops a recording, writes what it can */
	ui->rec = NULL;
	if (ui->wr != NULL) {
		ui_write_release(ui->wr);
		free(ui->wr);
		ui->wr = NULL;
	}
	if (ui->title != NULL)
		delwin(ui->title);
	if (ui->body != NULL)
		delwin(ui->body);
	if (ui->status != NULL)
		delwin(ui->status);
	ui->title = ui->body = ui->status = NULL;
	endwin();
	ui_term_disarm();
	ui_term_stderr_back();
	ui->running = 0;
	ui_log(ui, "stop: exit %d after %llu redraws", ui->exit_code,
	    (unsigned long long)ui->redraws);
}

void
ui_free(struct ui *ui)
{
	if (ui == NULL)
		return;
	ui_stop(ui);
	if (ui->term != NULL)
		delscreen(ui->term);
	if (ui->log != NULL)
		fclose(ui->log);
	free(ui);
}
