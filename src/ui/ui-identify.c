/*
 * ui-identify.c: the "identify again" overlay: i asks the engine to
 * identify the selected meter at once (engine_reidentify), rather than at
 * its back-off: after fixing the wiring or the address of a foreign or
 * offline meter on Fleet, Meter or Commissioning, the operator need not
 * wait. A screen that uses i itself keeps it (asked after the screen).
 */
#include "screen.h"

static enum screen_key
identify_key(void *arg, struct ui *ui, int ch)
{
	(void)arg;
	if (ch != 'i')
		return SCREEN_IGNORED;
	ui_identify_again(ui);
	return SCREEN_HANDLED;
}

static const struct screen_help identify_keys[] = {
	{ "i", "identify the selected meter again now" },
	{ NULL, NULL }
};

const struct overlay_ops overlay_identify = {
	.name = "identify",
	.key = identify_key,
	.keys = identify_keys,
};
