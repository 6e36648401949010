/*
 * ui-write.c: the guarded-write overlay, tariff (t) and clock (C): the
 * operator's side of a write: the keys, the confirmation naming meter and
 * value, and the answer. With writes = off a write key says why nothing
 * happens and sends nothing (the engine is not even asked). With writes =
 * on it opens an on-screen confirmation that names the meter (label,
 * bus/address) and the value; only 'y' sends, through engine_write_tariff
 * or engine_write_clock. The guard itself (writes on, confirmed, never
 * unit 0, never the reset registers) is the engine's and is applied again
 * there; this file never builds a frame. The outcome shows on the status
 * line and in the last-result text (its status slot).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "screen.h"

#define UI_WRITE_KEY_TARIFF	't'
#define UI_WRITE_KEY_CLOCK	'C'

enum ui_write_step {
	UW_IDLE,
	UW_PICK_TARIFF,		/* waiting for 1..4 */
	UW_CONFIRM_TARIFF,	/* waiting for y */
	UW_CONFIRM_CLOCK	/* waiting for y */
};

struct ui_write {
	struct ui		*ui;
	enum ui_write_step	 step;
	int			 meter;		/* index the prompt names */
	int			 tariff;	/* 1..4 once picked */
	int			 sent;		/* writes sent */
	char			 result[200];	/* last outcome, "" none */
	struct ui_write_req	*pending;	/* the write in flight */
};

/* Travels with a write; the owner may forget it before the answer. */
struct ui_write_req {
	struct ui_write	*owner;
	struct ui	*ui;
	char		 what[160];
};

static void
ui_write_release(struct ui_write *w)
{
	if (w->pending != NULL)
		w->pending->owner = NULL;	/* the callback frees it */
	w->pending = NULL;
}

static void *
ui_write_new(struct ui *ui)
{
	struct ui_write	*w;

	if ((w = calloc(1, sizeof *w)) == NULL)
		return NULL;
	w->ui = ui;
	return w;
}

/* Forget a write in flight (its answer is then only logged). */
static void
ui_write_free(void *arg)
{
	struct ui_write	*w = arg;

	ui_write_release(w);
	free(w);
}

/* 1 while a prompt is open: it gets every key. */
static int
ui_write_open(const void *arg)
{
	return ((const struct ui_write *)arg)->step != UW_IDLE;
}

static void
ui_write_status(const void *arg, char *buf, size_t len)
{
	snprintf(buf, len, "%s", ((const struct ui_write *)arg)->result);
}

/* "Main incomer (line/5)" for meter index i. */
static void
ui_write_name(const struct ui *ui, int i, char *buf, size_t len)
{
	const struct meter	*m = ui_meter_at(ui, i);

	if (m == NULL) {
		snprintf(buf, len, "meter %d", i);
		return;
	}
	snprintf(buf, len, "%s (%s/%d)", m->conf->label,
	    ui->cfg->buses[m->conf->bus].name, m->conf->address);
}

static void
ui_write_done_cb(void *arg, int rc, const char *msg)
{
	struct ui_write_req	*rq = arg;
	struct ui_write		*w = rq->owner;

	if (w != NULL) {
		w->pending = NULL;
		if (rc == 0)
			snprintf(w->result, sizeof w->result, "%.150s: the meter "
			    "answered", rq->what);
		else
			snprintf(w->result, sizeof w->result, "%.120s failed: %.60s",
			    rq->what, msg != NULL ? msg : "no answer");
		ui_message(w->ui, "%s", w->result);
		ui_mark_dirty(w->ui);
	}
	free(rq);
}

/* The console's local time as the meter's 6 clock words' values. */
static void
ui_write_now(int dmyhms[6])
{
	time_t		t = time(NULL);
	struct tm	tm;

	localtime_r(&t, &tm);
	dmyhms[0] = tm.tm_mday;
	dmyhms[1] = tm.tm_mon + 1;
	dmyhms[2] = tm.tm_year + 1900;
	dmyhms[3] = tm.tm_hour;
	dmyhms[4] = tm.tm_min;
	dmyhms[5] = tm.tm_sec;
}

/* Send the confirmed write; the result text says what happened. */
static void
ui_write_send(struct ui_write *w)
{
	struct ui_write_req	*rq;
	struct err		 e = { "", 0 };
	char			 name[120];
	int			 t[6], rc;

	ui_write_name(w->ui, w->meter, name, sizeof name);
	if ((rq = calloc(1, sizeof *rq)) == NULL) {
		ui_message(w->ui, "write not sent: out of memory");
		return;
	}
	rq->owner = w;
	rq->ui = w->ui;
	if (w->step == UW_CONFIRM_TARIFF) {
		snprintf(rq->what, sizeof rq->what, "tariff T%d to %s",
		    w->tariff, name);
		rc = engine_write_tariff(w->ui->engine, w->meter, w->tariff, 1,
		    ui_write_done_cb, rq, &e);
	} else {
		ui_write_now(t);
		snprintf(rq->what, sizeof rq->what, "clock %04d-%02d-%02d "
		    "%02d:%02d:%02d to %s", t[2], t[1], t[0], t[3], t[4], t[5],
		    name);
		rc = engine_write_clock(w->ui->engine, w->meter, t, 1,
		    ui_write_done_cb, rq, &e);
	}
	if (rc == -1) {
		snprintf(w->result, sizeof w->result, "%.100s not sent: %.80s",
		    rq->what, e.msg);
		free(rq);
	} else {
		ui_write_release(w);	/* an older one answers to nobody */
		w->pending = rq;
		w->sent++;
		snprintf(w->result, sizeof w->result, "writing %.160s ...",
		    rq->what);
	}
	ui_message(w->ui, "%s", w->result);
}

/* A write key: explain and stop when writes are off, else open a prompt. */
static enum screen_key
ui_write_begin(struct ui_write *w, int ch)
{
	const struct meter	*m = ui_meter(w->ui);
	const char		*base;
	char			 name[160];

	if (m == NULL) {
		ui_message(w->ui, "no meter selected: nothing to write");
		return SCREEN_HANDLED;
	}
	ui_write_name(w->ui, m->index, name, sizeof name);
	if (!w->ui->cfg->writes) {
		base = strrchr(w->ui->cfg->path, '/');
		snprintf(w->result, sizeof w->result, "writes are off (%s, "
		    "[console] writes): nothing was sent to %.100s",
		    base != NULL ? base + 1 : w->ui->cfg->path, name);
		ui_message(w->ui, "%s", w->result);
		return SCREEN_HANDLED;
	}
	if (m->status == MS_NOT_E34 || (m->ident.done && !m->ident.is_e34)) {
		snprintf(w->result, sizeof w->result, "write refused: %.100s "
		    "is not a COUNTIS E34 (it identifies as \"%.30s\"): "
		    "nothing was sent", name, m->ident.ext_name[0] ?
		    m->ident.ext_name : "another product");
		ui_message(w->ui, "%s", w->result);
		return SCREEN_HANDLED;
	}
	w->meter = m->index;
	w->step = ch == UI_WRITE_KEY_TARIFF ? UW_PICK_TARIFF : UW_CONFIRM_CLOCK;
	return SCREEN_HANDLED;
}

/* t / C start a write for the selected meter; while a prompt is open
 * every key comes here. Others: SCREEN_IGNORED. */
static enum screen_key
ui_write_key(void *arg, struct ui *ui, int ch)
{
	struct ui_write	*w = arg;

	(void)ui;
	switch (w->step) {
	case UW_IDLE:
		if (ch == UI_WRITE_KEY_TARIFF || ch == UI_WRITE_KEY_CLOCK)
			return ui_write_begin(w, ch);
		return SCREEN_IGNORED;
	case UW_PICK_TARIFF:
		if (ch >= '1' && ch <= '4') {
			w->tariff = ch - '0';
			w->step = UW_CONFIRM_TARIFF;
			return SCREEN_HANDLED;
		}
		break;
	case UW_CONFIRM_TARIFF:
	case UW_CONFIRM_CLOCK:
		if (ch == 'y' || ch == 'Y') {
			ui_write_send(w);
			w->step = UW_IDLE;
			return SCREEN_HANDLED;
		}
		break;
	}
	w->step = UW_IDLE;		/* any other key cancels */
	ui_message(w->ui, "write cancelled: nothing was sent");
	return SCREEN_HANDLED;
}

/* The meter's own clock as last read, or "not read". */
static void
ui_write_meter_clock(struct ui_write *w, char *buf, size_t len)
{
	static const enum reg_id	id[6] = { REG_YEAR, REG_MONTH, REG_DAY,
					    REG_HOUR, REG_MINUTE, REG_SECOND };
	const struct meter		*m = ui_meter_at(w->ui, w->meter);
	int64_t				 v[6];
	int				 i;

	for (i = 0; i < 6; i++)
		if (m == NULL || !meter_raw(m, id[i], 0, 0, &v[i])) {
			snprintf(buf, len, "not read");
			return;
		}
	/* register map: year as years since 2000 (INFERRED, Connexo) */
	snprintf(buf, len, "%04lld-%02lld-%02lld %02lld:%02lld:%02lld",
	    (long long)(v[0] < 2000 ? v[0] + 2000 : v[0]), (long long)v[1],
	    (long long)v[2], (long long)v[3], (long long)v[4], (long long)v[5]);
}

/* The open prompt as a framed box in the middle of win. */
static void
ui_write_draw(void *arg, struct ui *ui, WINDOW *win)
{
	struct ui_write	*w = arg;
	char		 name[160], l1[200], l2[200], l3[200], l4[200], mc[64];
	int		 rows, cols, bw, bh = 8, y, x, r, t[6];
	attr_t		 a = ui_attr(ui, TH_PROMPT);

	if (w->step == UW_IDLE)
		return;
	ui_write_name(ui, w->meter, name, sizeof name);
	l4[0] = '\0';
	switch (w->step) {
	case UW_PICK_TARIFF:
		snprintf(l1, sizeof l1, "Select the tariff of %s", name);
		snprintf(l2, sizeof l2, "Press 1, 2, 3 or 4 (the meter counts "
		    "energy on it from then on).");
		snprintf(l3, sizeof l3, "Any other key cancels.");
		break;
	case UW_CONFIRM_TARIFF:
		snprintf(l1, sizeof l1, "Write tariff T%d to %s?", w->tariff,
		    name);
		snprintf(l2, sizeof l2, "Register set_tariff, value %d.",
		    w->tariff);
		snprintf(l3, sizeof l3, "y writes it; any other key cancels.");
		break;
	default:
		ui_write_now(t);
		ui_write_meter_clock(w, mc, sizeof mc);
		snprintf(l1, sizeof l1, "Set the clock of %s?", name);
		snprintf(l2, sizeof l2, "To %04d-%02d-%02d %02d:%02d:%02d (this "
		    "console's local time).", t[2], t[1], t[0], t[3], t[4],
		    t[5]);
		/* a line of its own: never cut at 80 columns */
		snprintf(l3, sizeof l3, "The meter's clock reads %s.", mc);
		snprintf(l4, sizeof l4, "y writes the time at that moment; any "
		    "other key cancels.");
		break;
	}
	getmaxyx(win, rows, cols);
	bw = cols - 4 < 76 ? cols - 4 : 76;
	if (bw < 20 || rows < bh)
		return;
	y = (rows - bh) / 2;
	x = (cols - bw) / 2;
	for (r = 0; r < bh; r++)
		widget_fill(win, y + r, x, bw, a);
	widget_box(win, y, x, bh, bw, a, ui->utf8);
	widget_put(win, y, x + 2, bw - 4, a | A_BOLD, ui->utf8,
	    " Guarded write ");
	widget_put(win, y + 2, x + 2, bw - 4, a | A_BOLD, ui->utf8, l1);
	widget_put(win, y + 3, x + 2, bw - 4, a, ui->utf8, l2);
	widget_put(win, y + 4, x + 2, bw - 4, a, ui->utf8, l3);
	widget_put(win, y + 5, x + 2, bw - 4, a, ui->utf8, l4);
}

static const struct screen_help ui_write_keys[] = {
	{ "t", "set the selected meter's tariff (writes = on, confirmed)" },
	{ "C", "set its clock to this computer's (writes = on, confirmed)" },
	{ NULL, NULL }
};

const struct overlay_ops overlay_write = {
	.name = "write",
	.first = 1,		/* before the screen's keys */
	.open = ui_write_new,
	.close = ui_write_free,
	.key = ui_write_key,
	.modal = ui_write_open,
	.draw = ui_write_draw,
	.status = ui_write_status,
	.keys = ui_write_keys,
};
