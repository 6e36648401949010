/*
 * screen-help.c: the help overlay (? or F1): a box over the body listing the
 * current screen's keys first, then the keys that work everywhere, a note
 * for each reserved key whose screen is not in this build, and the other
 * screens' keys as far as the window allows. Any key closes it (ui.c).
 */
#include <stdio.h>

#include "ui.h"

#define HELP_MAX_LINES	128

struct help_line {
	int		 heading;
	const char	*keys;
	const char	*what;
	char		 text[64];	/* headings */
};

struct help_list {
	struct help_line l[HELP_MAX_LINES];
	int		 n;
};

static void
help_heading(struct help_list *h, const char *title, int key)
{
	struct help_line	*l;

	if (h->n > 0 && h->n < HELP_MAX_LINES)
		h->l[h->n++] = (struct help_line){ .heading = 0 };
	if (h->n >= HELP_MAX_LINES)
		return;
	l = &h->l[h->n++];
	l->heading = 1;
	if (key != 0)
		snprintf(l->text, sizeof l->text, "%s (key %c)", title, key);
	else
		snprintf(l->text, sizeof l->text, "%s", title);
}

static void
help_table(struct help_list *h, const struct screen_help *t)
{
	for (; t != NULL && t->keys != NULL && h->n < HELP_MAX_LINES; t++)
		h->l[h->n++] = (struct help_line){ .keys = t->keys,
		    .what = t->what };
}

void
help_draw(struct ui *ui, const struct screen_ops *cur,
    const struct screen_ops *const *all, int nall,
    const struct screen_help *global, const char *const *notes, int nnotes)
{
	struct help_list	 h = { .n = 0 };
	WINDOW			*w;
	int			 height, wd = ui->cols - 4, i, y;
	attr_t			 a = ui_attr(ui, TH_HELP);

	help_heading(&h, cur->title, cur->hotkey);
	help_table(&h, cur->help);
	help_heading(&h, "Everywhere", 0);
	help_table(&h, global);
	for (i = 0; i < nnotes && h.n < HELP_MAX_LINES; i++)
		h.l[h.n++] = (struct help_line){ .what = notes[i] };
	for (i = 0; i < nall; i++) {
		if (all[i] == cur || all[i]->help == NULL)
			continue;
		help_heading(&h, all[i]->title, all[i]->hotkey);
		help_table(&h, all[i]->help);
	}
	height = h.n + 2 < ui->rows - 2 ? h.n + 2 : ui->rows - 2;
	if (wd > 92)
		wd = 92;
	if ((w = newwin(height, wd, 1, (ui->cols - wd) / 2)) == NULL)
		return;
	wbkgdset(w, ' ' | a);
	werase(w);
	widget_box(w, 0, 0, height, wd, a, ui->utf8);
	widget_put(w, 0, 2, wd - 4, a | A_BOLD, ui->utf8,
	    " Keys (any key closes this help) ");
	for (i = 0, y = 1; i < h.n && y < height - 1; i++, y++) {
		if (y == height - 2 && i < h.n - 1) {
			widget_put(w, y, 2, wd - 4, a | A_DIM, ui->utf8,
			    "(more: each screen's ? lists its keys)");
			break;
		}
		if (h.l[i].heading)
			widget_put(w, y, 2, wd - 4, ui_attr(ui, TH_HEADER),
			    ui->utf8, h.l[i].text);
		else if (h.l[i].keys != NULL) {
			widget_put(w, y, 2, 14, a | A_BOLD, ui->utf8,
			    h.l[i].keys);
			widget_put(w, y, 17, wd - 19, a, ui->utf8, h.l[i].what);
		} else if (h.l[i].what != NULL)
			widget_put(w, y, 2, wd - 4, a | A_DIM, ui->utf8,
			    h.l[i].what);
	}
	wnoutrefresh(w);
	delwin(w);
}
