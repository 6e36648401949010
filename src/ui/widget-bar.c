/*
 * widget-bar.c: a horizontal bar for a share (bus load), in eighths of a
 * column with UTF-8 block glyphs, in whole columns of '#' with ASCII.
 */
#include "widget.h"

/* U+2588 full block down to U+258F one-eighth block. */
static const char *const bar_eighths[8] = {
	"", "\xe2\x96\x8f", "\xe2\x96\x8e", "\xe2\x96\x8d", "\xe2\x96\x8c",
	"\xe2\x96\x8b", "\xe2\x96\x8a", "\xe2\x96\x89"
};

void
widget_bar(WINDOW *win, int y, int x, int width, int permille, attr_t on,
    attr_t off, int utf8)
{
	int	eighths, full, part, i, col = x;

	if (width <= 0)
		return;
	if (permille < 0)
		permille = 0;
	if (permille > 1000)
		permille = 1000;
	eighths = (permille * width * 8 + 500) / 1000;
	full = eighths / 8;
	part = utf8 ? eighths % 8 : 0;
	if (!utf8 && eighths % 8 >= 4 && full < width)
		full++;
	for (i = 0; i < full; i++)
		widget_put(win, y, col++, 1, on, utf8,
		    utf8 ? "\xe2\x96\x88" : "#");
	if (part > 0 && col < x + width)
		widget_put(win, y, col++, 1, on, utf8, bar_eighths[part]);
	while (col < x + width)
		widget_put(win, y, col++, 1, off, utf8,
		    utf8 ? "\xe2\x96\x91" : ".");
}
