/*
 * widget-big.c: LCD-style big characters drawn from a data table, as tmux's
 * window-clock.c draws its clock. Each glyph is WIDGET_BIG_H rows of '#'
 * (lit) and ' '; the drawing loop knows nothing about particular digits.
 */
#include <string.h>

#include "widget.h"

struct big_glyph {
	char		 ch;
	const char	*rows[WIDGET_BIG_H];	/* all rows the same width */
};

static const struct big_glyph big_table[] = {
	{ '0', { "####", "#  #", "#  #", "#  #", "####" } },
	{ '1', { "   #", "   #", "   #", "   #", "   #" } },
	{ '2', { "####", "   #", "####", "#   ", "####" } },
	{ '3', { "####", "   #", "####", "   #", "####" } },
	{ '4', { "#  #", "#  #", "####", "   #", "   #" } },
	{ '5', { "####", "#   ", "####", "   #", "####" } },
	{ '6', { "####", "#   ", "####", "#  #", "####" } },
	{ '7', { "####", "   #", "   #", "   #", "   #" } },
	{ '8', { "####", "#  #", "####", "#  #", "####" } },
	{ '9', { "####", "#  #", "####", "   #", "####" } },
	{ '.', { " ", " ", " ", " ", "#" } },
	{ ',', { " ", " ", " ", " ", "#" } },
	{ ':', { " ", "#", " ", "#", " " } },
	{ '-', { "    ", "    ", "####", "    ", "    " } },
	{ ' ', { "    ", "    ", "    ", "    ", "    " } },
	{ 'A', { "####", "#  #", "####", "#  #", "#  #" } },
	{ 'b', { "#   ", "#   ", "####", "#  #", "####" } },
	{ 'C', { "####", "#   ", "#   ", "#   ", "####" } },
	{ 'd', { "   #", "   #", "####", "#  #", "####" } },
	{ 'E', { "####", "#   ", "####", "#   ", "####" } },
	{ 'F', { "####", "#   ", "####", "#   ", "#   " } },
	{ 'P', { "####", "#  #", "####", "#   ", "#   " } },
	{ 'r', { "    ", "    ", "####", "#   ", "#   " } },
	{ 'S', { "####", "#   ", "####", "   #", "####" } },
	{ 't', { "#   ", "#   ", "####", "#   ", "####" } },
};

static const struct big_glyph *
big_find(char ch)
{
	size_t	i;

	for (i = 0; i < sizeof big_table / sizeof big_table[0]; i++)
		if (big_table[i].ch == ch)
			return &big_table[i];
	return NULL;
}

int
widget_big_width(const char *s)
{
	const struct big_glyph	*g;
	int			 w = 0;

	for (; *s != '\0'; s++) {
		if ((g = big_find(*s)) == NULL)
			return -1;
		w += (int)strlen(g->rows[0]) + (w > 0 ? 1 : 0);
	}
	return w;
}

int
widget_big_lit(char ch, int r, int c)
{
	const struct big_glyph	*g = big_find(ch);

	if (g == NULL || r < 0 || r >= WIDGET_BIG_H || c < 0 ||
	    c >= (int)strlen(g->rows[r]))
		return 0;
	return g->rows[r][c] == '#';
}

void
widget_big_draw(WINDOW *win, int y, int x, const char *s, attr_t attr,
    int utf8)
{
	const struct big_glyph	*g;
	int			 r, c, w;

	for (; *s != '\0'; s++) {
		if ((g = big_find(*s)) == NULL)
			continue;
		w = (int)strlen(g->rows[0]);
		for (r = 0; r < WIDGET_BIG_H; r++) {
			for (c = 0; c < w; c++) {
				if (g->rows[r][c] != '#')
					continue;
				if (utf8)
					widget_put(win, y + r, x + c, 1, attr,
					    1, "\xe2\x96\x88");
				else
					widget_put(win, y + r, x + c, 1,
					    attr | A_REVERSE, 0, " ");
			}
		}
		x += w + 1;
	}
}
