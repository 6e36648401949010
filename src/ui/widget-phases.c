/*
 * widget-phases.c: the LCD's phase presence pictograms as text. A lit phase
 * reads "L1", an unlit one "--", so the difference survives without colour.
 */
#include "widget.h"

int
widget_phases(WINDOW *win, int y, int x, const int present[3], int known,
    attr_t on, attr_t off)
{
	static const char *const names[3] = { "L1", "L2", "L3" };
	int	i;

	for (i = 0; i < 3; i++) {
		if (!known)
			widget_put(win, y, x + 3 * i, 2, off, 0, "??");
		else if (present[i])
			widget_put(win, y, x + 3 * i, 2, on, 0, names[i]);
		else
			widget_put(win, y, x + 3 * i, 2, off, 0, "--");
	}
	return 8;
}
