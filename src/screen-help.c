/*
 * screen-help.c: the help overlay (? or F1): a box over the body listing the
 * current screen's keys, the keys that work everywhere, and a note for each
 * reserved key whose screen is not in this build. Any key closes it (ui.c).
 */
#include <stdio.h>

#include "ui.h"

/* The lines of one key table into w from row *y, stopping at maxy. */
static void
help_lines(struct ui *ui, WINDOW *w, int *y, int maxy,
    const struct screen_help *h)
{
	attr_t	a = ui_attr(ui, TH_HELP);
	int	width = getmaxx(w) - 4;

	for (; h != NULL && h->keys != NULL && *y < maxy; h++, (*y)++) {
		widget_put(w, *y, 2, 14, a | A_BOLD, ui->utf8, h->keys);
		widget_put(w, *y, 17, width - 15, a, ui->utf8, h->what);
	}
}

void
help_draw(struct ui *ui, const struct screen_ops *cur,
    const struct screen_help *global, const char *const *notes, int nnotes)
{
	WINDOW	*w;
	int	 h = ui->rows - 2, wd = ui->cols - 4, y = 1, i;
	attr_t	 a = ui_attr(ui, TH_HELP);
	char	 buf[128];

	if (wd > 92)
		wd = 92;
	if ((w = newwin(h, wd, 1, (ui->cols - wd) / 2)) == NULL)
		return;
	wbkgdset(w, ' ' | a);
	werase(w);
	wattrset(w, a);
	box(w, 0, 0);
	widget_put(w, 0, 2, wd - 4, a | A_BOLD, ui->utf8,
	    " Keys (any key closes this help) ");
	snprintf(buf, sizeof buf, "%s screen", cur->title);
	widget_put(w, y++, 2, wd - 4, ui_attr(ui, TH_HEADER), ui->utf8, buf);
	help_lines(ui, w, &y, h - 1, cur->help);
	if (y < h - 2) {
		y++;
		widget_put(w, y++, 2, wd - 4, ui_attr(ui, TH_HEADER), ui->utf8,
		    "Everywhere");
	}
	help_lines(ui, w, &y, h - 1, global);
	for (i = 0; i < nnotes && y < h - 1; i++)
		widget_put(w, y++, 2, wd - 4, a | A_DIM, ui->utf8, notes[i]);
	wnoutrefresh(w);
	delwin(w);
}
