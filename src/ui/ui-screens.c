/*
 * ui-screens.c: the console's screens and overlays, each listed once, and
 * switching between screens. The order of the screen table is the order
 * of the keys 1..N, of Tab, of the top line and of the help; the help's
 * key list is made from these tables and each one's `keys`.
 */
#include <stdio.h>
#include <string.h>

#include "ui-int.h"

/*
 * The screens. A new screen: src/ui/screen-NAME.c exporting
 * `const struct screen_ops screen_NAME`, one line here, and its line in
 * mk/ui.am.
 */
#define UI_SCREENS(X)	\
	X(fleet)	\
	X(meter)	\
	X(measure)	\
	X(loadcurve)	\
	X(commission)	\
	X(bus)

/*
 * The overlays, in the order the help lists their keys: the help (? F1),
 * recording (R, X), the guarded writes (t, C), identify again (i). A new
 * one: src/ui/ui-NAME.c exporting `const struct overlay_ops overlay_NAME`
 * and one line here.
 */
#define UI_OVERLAYS(X)	\
	X(help)		\
	X(record)	\
	X(write)	\
	X(identify)

#define UI_DECLARE_SCREEN(n)	extern const struct screen_ops screen_##n;
#define UI_DECLARE_OVERLAY(n)	extern const struct overlay_ops overlay_##n;
#define UI_REF_SCREEN(n)	&screen_##n,
#define UI_REF_OVERLAY(n)	&overlay_##n,

UI_SCREENS(UI_DECLARE_SCREEN)
UI_OVERLAYS(UI_DECLARE_OVERLAY)

const struct screen_ops *const ui_screens[] = { UI_SCREENS(UI_REF_SCREEN) };
const int	ui_nscreens_ = (int)(sizeof ui_screens / sizeof ui_screens[0]);
const struct overlay_ops *const ui_overlays[] = {
	UI_OVERLAYS(UI_REF_OVERLAY)
};
const int	ui_noverlays_ = (int)(sizeof ui_overlays / sizeof ui_overlays[0]);

_Static_assert(sizeof ui_screens / sizeof ui_screens[0] <= UI_MAX_SCREENS,
    "too many screens");
_Static_assert(sizeof ui_screens / sizeof ui_screens[0] <= 9,
    "screens beyond 9 have no number key");
_Static_assert(sizeof ui_overlays / sizeof ui_overlays[0] <= UI_MAX_OVERLAYS,
    "too many overlays");

/* The manager's own keys in the help, around the overlays' keys ("1 ..
 * N" first, said by the help from the table). */
static const struct screen_help ui_keys_head[] = {
	{ "Tab  S-Tab", "next / previous screen" },
	{ "[  ]", "previous / next meter" },
	{ NULL, NULL }
};
static const struct screen_help ui_keys_tail[] = {
	{ "^L", "repaint the terminal" },
	{ "q", "quit" },
	{ NULL, NULL }
};

const struct screen_help *
ui_global_keys(int tail)
{
	return tail ? ui_keys_tail : ui_keys_head;
}

int
ui_nscreens(void)
{
	return ui_nscreens_;
}

const struct screen_ops *
ui_screen_at(int i)
{
	return i >= 0 && i < ui_nscreens_ ? ui_screens[i] : NULL;
}

const struct screen_ops *
ui_screen_cur(const struct ui *ui)
{
	return ui_screens[UI_MGR_C(ui)->cur];
}

int
ui_noverlays(void)
{
	return ui_noverlays_;
}

const struct overlay_ops *
ui_overlay_at(int i)
{
	return i >= 0 && i < ui_noverlays_ ? ui_overlays[i] : NULL;
}

const char *
ui_overlay_status(const struct ui *ui, const char *name, char *buf,
    size_t len)
{
	const struct ui_mgr	*mg = UI_MGR_C(ui);
	int			 i;

	if (len > 0)
		buf[0] = '\0';
	for (i = 0; i < ui_noverlays_; i++)
		if (strcmp(ui_overlays[i]->name, name) == 0 &&
		    ui_overlays[i]->status != NULL && UI_OVERLAY_LIVE(mg, i))
			ui_overlays[i]->status(mg->ov_state[i], buf, len);
	return buf;
}

void
ui_switch(struct ui_mgr *mg, int i)
{
	if (i < 0 || i >= ui_nscreens_)
		return;
	if (i != mg->cur)
		mg->prev = mg->cur;
	mg->cur = i;
	if (ui_screens[i]->enter != NULL)
		ui_screens[i]->enter(mg->state[i], &mg->ui);
	mg->dirty = mg->urgent = 1;
	ui_log(&mg->ui, "screen %s", ui_screens[i]->name);
}

void *
ui_screen_state(struct ui *ui, const struct screen_ops *ops)
{
	struct ui_mgr	*mg = UI_MGR(ui);
	int		 i;

	for (i = 0; i < ui_nscreens_; i++)
		if (ui_screens[i] == ops)
			return mg->state[i];
	return NULL;
}

int
ui_show(struct ui *ui, const char *name)
{
	int	i;

	for (i = 0; i < ui_nscreens_; i++) {
		if (strcmp(ui_screens[i]->name, name) == 0) {
			ui_switch(UI_MGR(ui), i);
			return 0;
		}
	}
	return -1;
}

int
ui_screen_step(const struct ui_mgr *mg, int dir)
{
	return (mg->cur + (dir > 0 ? 1 : ui_nscreens_ - 1)) % ui_nscreens_;
}

void
ui_tables_open(struct ui_mgr *mg)
{
	int	i;

	for (i = 0; i < ui_noverlays_; i++)
		mg->ov_state[i] = ui_overlays[i]->open != NULL ?
		    ui_overlays[i]->open(&mg->ui) : NULL;
	for (i = 0; i < ui_nscreens_; i++)
		mg->state[i] = ui_screens[i]->open != NULL ?
		    ui_screens[i]->open(&mg->ui) : NULL;
}

void
ui_tables_close(struct ui_mgr *mg)
{
	int	i;

	for (i = 0; i < ui_nscreens_; i++) {
		if (ui_screens[i]->close != NULL && mg->state[i] != NULL)
			ui_screens[i]->close(mg->state[i]);
		mg->state[i] = NULL;
	}
	/* the recording stops here, writing what it can */
	for (i = 0; i < ui_noverlays_; i++) {
		if (ui_overlays[i]->close != NULL && mg->ov_state[i] != NULL)
			ui_overlays[i]->close(mg->ov_state[i]);
		mg->ov_state[i] = NULL;
	}
}
