/*
 * ui-draw.c: the frame around the screens and the redraw. The title line
 * (the screens of the table, the meter, the clock), the body (the current
 * screen, then the overlays' boxes over it), the status line (a message or
 * the key hints on the left, the recording and the meters' health on the
 * right; a message wins: the counts give way before it is cut); one
 * doupdate() per redraw.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "ui-int.h"

void
ui_layout(struct ui_mgr *mg)
{
	struct ui	*ui = &mg->ui;

	getmaxyx(stdscr, ui->rows, ui->cols);
	if (mg->title != NULL)
		delwin(mg->title);
	if (ui->body != NULL)
		delwin(ui->body);
	if (mg->status != NULL)
		delwin(mg->status);
	mg->title = ui->body = mg->status = NULL;
	if (ui->rows >= 3 && ui->cols >= 1) {
		mg->title = newwin(1, ui->cols, 0, 0);
		ui->body = newwin(ui->rows - 2, ui->cols, 1, 0);
		mg->status = newwin(1, ui->cols, ui->rows - 1, 0);
	}
	clearok(curscr, TRUE);
	mg->dirty = mg->urgent = 1;
	ui_log(ui, "layout %dx%d", ui->cols, ui->rows);
}

int
ui_too_small(const struct ui_mgr *mg)
{
	return mg->ui.rows < UI_MIN_ROWS || mg->ui.cols < UI_MIN_COLS ||
	    mg->ui.body == NULL;
}

static void
ui_draw_small(struct ui_mgr *mg)
{
	struct ui	*ui = &mg->ui;
	char		 line[80];
	int		 y;

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
ui_draw_title(struct ui_mgr *mg)
{
	struct ui		*ui = &mg->ui;
	WINDOW			*w = mg->title;
	const struct meter	*m = ui_meter(ui);
	attr_t			 a = ui_attr(ui, TH_TITLE);
	char			 buf[160], clock[16], label[128];
	int			 i, x = 0, rw;
	time_t			 t = time(NULL);
	struct tm		 tm;

	widget_fill(w, 0, 0, ui->cols, a);
	if (ui->cols >= 130)
		x += widget_put(w, 0, x, 0, a, ui->utf8, " countis-tui ");
	for (i = 0; i < ui_nscreens_; i++) {
		/* Below 120 columns only the current screen says its name. */
		if (ui->cols >= 120 || i == mg->cur)
			snprintf(buf, sizeof buf, " %d %s ", i + 1,
			    ui_screens[i]->title);
		else
			snprintf(buf, sizeof buf, " %d ", i + 1);
		x += widget_put(w, 0, x, 0, ui_attr(ui, i == mg->cur ?
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

/* What the overlays say on the status line ("REC ..."), into buf. */
static size_t
ui_status_overlays(struct ui_mgr *mg, char *buf, size_t len)
{
	const struct overlay_ops	*o;
	size_t				 off = 0;
	int				 i;

	buf[0] = '\0';
	for (i = 0; i < ui_noverlays_ && off + 2 < len; i++) {
		o = ui_overlays[i];
		if (!o->status_line || o->status == NULL ||
		    !UI_OVERLAY_LIVE(mg, i))
			continue;
		if (off > 0) {
			strcat(buf, "  ");
			off += 2;
		}
		o->status(mg->ov_state[i], buf + off, len - off);
		off = strlen(buf);
		if (off >= 2 && strcmp(buf + off - 2, "  ") == 0)
			buf[off -= 2] = '\0';	/* it had nothing to say */
	}
	return off;
}

/* The status line: the message or the key hints, and what the meters
 * are doing ("6 meters: 2 ok, 2 Err/CHECK, 2 failing"; zero counts left
 * out, ok always said). A message is never cut for the counts: they are
 * left out when both do not fit. */
static void
ui_draw_status(struct ui_mgr *mg)
{
	static const char *const what[] = {
		[UH_OK] = "ok", [UH_MARKED] = "Err/CHECK", [UH_STALE] = "stale",
		[UH_FAILING] = "failing", [UH_WAITING] = "waiting",
	};
	struct ui	*ui = &mg->ui;
	char		 left[256], right[160], word[32];
	int		 count[UH__COUNT] = { 0 }, i, n = ui_nmeters(ui), msg;
	size_t		 off = 0;

	for (i = 0; i < n; i++)
		count[ui_meter_health(ui, ui_meter_at(ui, i), word,
		    sizeof word)]++;
	msg = mg->msg[0] != '\0' && ui_now_ms(ui) < mg->msg_until_ms;
	if (msg)
		snprintf(left, sizeof left, " %s", mg->msg);
	else
		snprintf(left, sizeof left, " ? help  Tab next screen  "
		    "q quit");
	right[0] = '\0';	/* the recording, unless a message needs room */
	if (!msg)
		off = ui_status_overlays(mg, right, sizeof right - 64);
	off += (size_t)snprintf(right + off, sizeof right - off,
	    "%s%d meter%s: %d ok", off > 0 ? "  " : "", n, n == 1 ? "" : "s",
	    count[UH_OK]);
	for (i = UH_MARKED; i < UH__COUNT && off < sizeof right; i++)
		if (count[i] > 0)
			off += (size_t)snprintf(right + off, sizeof right - off,
			    ", %d %s", count[i], what[i]);
	if (off < sizeof right - 1)
		strcat(right, " ");
	if (msg && widget_text_width(left) + 1 + widget_text_width(right) >
	    ui->cols)
		right[0] = '\0';
	widget_status(mg->status, 0, ui_attr(ui, TH_STATUS), ui->utf8, left,
	    right);
	wnoutrefresh(mg->status);
}

void
ui_redraw(struct ui_mgr *mg)
{
	struct ui		*ui = &mg->ui;
	const struct screen_ops	*ops = ui_screens[mg->cur];
	int64_t			 lat;
	int			 i;

	if (ui_too_small(mg)) {
		ui_draw_small(mg);
	} else {
		if (is_wintouched(stdscr))
			wnoutrefresh(stdscr);
		ui_draw_title(mg);
		werase(ui->body);
		ops->draw(mg->state[mg->cur], ui, ui->body);
		for (i = 0; i < ui_noverlays_; i++)
			if (ui_overlays[i]->draw != NULL &&
			    UI_OVERLAY_LIVE(mg, i))
				ui_overlays[i]->draw(mg->ov_state[i], ui,
				    ui->body);
		wnoutrefresh(ui->body);
		ui_draw_status(mg);
	}
	doupdate();
	if (mg->redraws++ == 0)		/* bench/scale.sh: first paint */
		ui_log(ui, "paint first screen %s", ops->name);
	mg->dirty = mg->urgent = 0;
	mg->last_draw_ms = ui_now_ms(ui);
	if (ev_is_active(&mg->throttle))
		ev_timer_stop(ui->loop, &mg->throttle);
	if (mg->key_us != 0) {
		lat = clock_mono_us() - mg->key_us;
		ui_log(ui, "key %d screen %s drawn latency_us %lld",
		    mg->key_code, ops->name, (long long)lat);
		mg->key_us = 0;
	}
}
