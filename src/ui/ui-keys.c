/*
 * ui-keys.c: who gets a key. An open overlay or screen prompt gets every
 * key (ui_focus decides that in one place); otherwise the overlays that
 * come first (the write keys), the screen, the other overlays (recording,
 * help, identify) and last the manager's own keys: 1..N and Tab from the
 * screen table, [ and ] for the meter, ^L, q.
 */
#include <stdlib.h>

#include "ui-int.h"

void
ui_quit(struct ui_mgr *mg, int code)
{
	mg->exit_code = code;
	ev_break(mg->ui.loop, EVBREAK_ALL);
}

/* What has the keyboard. */
enum ui_focus {
	UF_NONE,	/* nothing: the screen and the global keys */
	UF_OVERLAY,	/* an overlay's box or question (help, a write) */
	UF_SCREEN	/* the screen's text prompt or question */
};

/*
 * The one place that decides who gets a key: while an overlay or a prompt
 * is open it gets every key, global keys included (typing "Lift" in the
 * Fleet filter must not open the tariff question, "176C" in the CS entry
 * must not ask to set the clock); it closes itself (Enter, Esc). *ov is
 * the overlay's index for UF_OVERLAY.
 */
static enum ui_focus
ui_focus(const struct ui_mgr *mg, int *ov)
{
	const struct screen_ops		*ops = ui_screens[mg->cur];
	const struct overlay_ops	*o;
	int				 i;

	for (i = 0; i < ui_noverlays_; i++) {
		o = ui_overlays[i];
		if (o->modal != NULL && UI_OVERLAY_LIVE(mg, i) &&
		    o->modal(mg->ov_state[i])) {
			*ov = i;
			return UF_OVERLAY;
		}
	}
	if (ops->modal != NULL && ops->key != NULL &&
	    ops->modal(mg->state[mg->cur]))
		return UF_SCREEN;
	return UF_NONE;
}

/* The overlays that come first (1) or after the screen (0): 1 when one
 * of them took the key. */
static int
ui_overlay_keys(struct ui_mgr *mg, int first, int ch)
{
	const struct overlay_ops	*o;
	int				 i;

	for (i = 0; i < ui_noverlays_; i++) {
		o = ui_overlays[i];
		if (o->first != first || o->key == NULL ||
		    !UI_OVERLAY_LIVE(mg, i))
			continue;
		if (o->key(mg->ov_state[i], &mg->ui, ch) == SCREEN_HANDLED)
			return 1;
	}
	return 0;
}

/* The manager's own keys. */
static void
ui_global_key(struct ui_mgr *mg, int ch)
{
	struct ui	*ui = &mg->ui;
	int		 n = ui_nmeters(ui);

	switch (ch) {
	case 'q':
	case 'Q':
		ui_quit(mg, EXIT_OK);
		return;
	case '\t':
		ui_switch(mg, ui_screen_step(mg, 1));
		return;
	case KEY_BTAB:
		ui_switch(mg, ui_screen_step(mg, -1));
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
	if (ch >= '1' && ch < '1' + ui_nscreens_)
		ui_switch(mg, ch - '1');
}

void
ui_key(struct ui_mgr *mg, int ch)
{
	const struct screen_ops	*ops = ui_screens[mg->cur];
	enum screen_key		 r;
	int			 ov = 0;

	mg->dirty = mg->urgent = 1;
	if (ch == KEY_RESIZE) {
		ui_layout(mg);
		return;
	}
	if (ui_too_small(mg)) {
		if (ch == 'q' || ch == 'Q')
			ui_quit(mg, EXIT_OK);
		return;
	}
	switch (ui_focus(mg, &ov)) {
	case UF_OVERLAY:
		ui_overlays[ov]->key(mg->ov_state[ov], &mg->ui, ch);
		return;
	case UF_SCREEN:
		if (ops->key(mg->state[mg->cur], &mg->ui, ch) == SCREEN_CLOSE)
			ui_switch(mg, mg->prev);
		return;
	case UF_NONE:
		break;
	}
	if (ui_overlay_keys(mg, 1, ch))
		return;
	if (ops->key != NULL) {
		r = ops->key(mg->state[mg->cur], &mg->ui, ch);
		if (r == SCREEN_HANDLED)
			return;
		if (r == SCREEN_CLOSE) {
			ui_switch(mg, mg->prev);
			return;
		}
	}
	if (ui_overlay_keys(mg, 0, ch))
		return;
	ui_global_key(mg, ch);
}
