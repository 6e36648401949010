/*
 * widget-box.c: a rectangular frame, with the terminal's line drawing
 * characters in UTF-8 and with + - | in ASCII (--ascii or the C locale).
 */
#include "widget.h"

void
widget_box(WINDOW *win, int y, int x, int h, int w, attr_t attr, int utf8)
{
	if (h < 2 || w < 2)
		return;
	wattrset(win, attr);
	if (utf8) {
		mvwhline(win, y, x + 1, ACS_HLINE, w - 2);
		mvwhline(win, y + h - 1, x + 1, ACS_HLINE, w - 2);
		mvwvline(win, y + 1, x, ACS_VLINE, h - 2);
		mvwvline(win, y + 1, x + w - 1, ACS_VLINE, h - 2);
		mvwaddch(win, y, x, ACS_ULCORNER);
		mvwaddch(win, y, x + w - 1, ACS_URCORNER);
		mvwaddch(win, y + h - 1, x, ACS_LLCORNER);
		mvwaddch(win, y + h - 1, x + w - 1, ACS_LRCORNER);
	} else {
		mvwhline(win, y, x + 1, '-', w - 2);
		mvwhline(win, y + h - 1, x + 1, '-', w - 2);
		mvwvline(win, y + 1, x, '|', h - 2);
		mvwvline(win, y + 1, x + w - 1, '|', h - 2);
		mvwaddch(win, y, x, '+');
		mvwaddch(win, y, x + w - 1, '+');
		mvwaddch(win, y + h - 1, x, '+');
		mvwaddch(win, y + h - 1, x + w - 1, '+');
	}
	wattrset(win, A_NORMAL);
}
