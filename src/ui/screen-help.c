/*
 * screen-help.c: the help overlay (? or F1): a box over the body listing the
 * current screen's keys first, then the keys that work everywhere, a note
 * for each reserved key whose screen is not in this build, and the other
 * screens' keys. A description too long for the box wraps under itself,
 * never cut. As many lines as the body holds; when there are more, Up,
 * Down, PgUp, PgDn, Home and End scroll it and the frame says "more" on the
 * side where lines are hidden. Any other key closes it (ui.c).
 */
#include <stdio.h>
#include <string.h>

#include "ui.h"

#define HELP_MAX_LINES	192
#define HELP_KEYS_MAX	18	/* the keys column at most */

struct help_line {
	int		 heading;
	const char	*keys;		/* NULL: a heading, a note, a blank */
	char		 text[96];	/* heading, or (a part of) the what */
};

struct help_list {
	struct help_line l[HELP_MAX_LINES];
	int		 n;
	int		 kw;		/* keys column */
	int		 tw;		/* text column */
};

static struct help_line *
help_add(struct help_list *h)
{
	if (h->n >= HELP_MAX_LINES)
		return NULL;
	memset(&h->l[h->n], 0, sizeof h->l[h->n]);
	return &h->l[h->n++];
}

static void
help_heading(struct help_list *h, const char *title, int key)
{
	struct help_line	*l;

	if (h->n > 0)
		(void)help_add(h);	/* a blank line before */
	if ((l = help_add(h)) == NULL)
		return;
	l->heading = 1;
	if (key != 0)
		snprintf(l->text, sizeof l->text, "%s (key %c)", title, key);
	else
		snprintf(l->text, sizeof l->text, "%s", title);
}

/* what, wrapped at spaces into lines of at most h->tw columns; the first
 * line names keys. */
static void
help_text(struct help_list *h, const char *keys, const char *what)
{
	struct help_line	*l;
	size_t			 n, cut, max;

	do {
		if ((l = help_add(h)) == NULL)
			return;
		l->keys = keys;
		if (keys != NULL)
			keys = "";	/* continuation: under the text */
		max = h->tw > 0 ? (size_t)h->tw : 1;
		if (max > sizeof l->text - 1)
			max = sizeof l->text - 1;
		n = strlen(what);
		cut = n;
		if ((int)widget_text_width(what) > h->tw && n > max) {
			for (cut = max; cut > 0 && what[cut] != ' '; cut--)
				;
			if (cut == 0)
				cut = max;
		}
		snprintf(l->text, sizeof l->text, "%.*s", (int)cut, what);
		what += cut;
		while (*what == ' ')
			what++;
	} while (*what != '\0');
}

static void
help_table(struct help_list *h, const struct screen_help *t)
{
	for (; t != NULL && t->keys != NULL; t++)
		help_text(h, t->keys, t->what);
}

/* The keys column: as wide as its longest entry, within HELP_KEYS_MAX. */
static int
help_keys_width(const struct screen_help *t, int kw)
{
	for (; t != NULL && t->keys != NULL; t++)
		if (widget_text_width(t->keys) > kw)
			kw = widget_text_width(t->keys);
	return kw < HELP_KEYS_MAX ? kw : HELP_KEYS_MAX;
}

void
help_draw(struct ui *ui, const struct screen_ops *cur,
    const struct screen_ops *const *all, int nall,
    const struct screen_help *global, const char *const *notes, int nnotes)
{
	static struct help_list	 h;
	WINDOW			*w;
	int			 height, wd = ui->cols - 4, i, y, page, top;
	char			 more[80];
	attr_t			 a = ui_attr(ui, TH_HELP);
	struct help_line	*l;

	if (wd > 92)
		wd = 92;
	h.n = 0;
	h.kw = help_keys_width(global, 10);
	for (i = 0; i < nall; i++)
		h.kw = help_keys_width(all[i]->help, h.kw);
	h.tw = wd - 5 - h.kw;		/* frame, margins, the gap */

	help_heading(&h, cur->title, cur->hotkey);
	help_table(&h, cur->help);
	help_heading(&h, "Everywhere", 0);
	help_table(&h, global);
	for (i = 0; i < nnotes; i++)
		help_text(&h, NULL, notes[i]);
	for (i = 0; i < nall; i++) {
		if (all[i] == cur || all[i]->help == NULL)
			continue;
		help_heading(&h, all[i]->title, all[i]->hotkey);
		help_table(&h, all[i]->help);
	}

	/* the body's rows: the title and status lines stay in sight */
	height = h.n + 2 < ui->rows - 2 ? h.n + 2 : ui->rows - 2;
	if (height < 3)
		return;
	page = height - 2;
	if (ui->help_top > h.n - page)
		ui->help_top = h.n - page;
	if (ui->help_top < 0)
		ui->help_top = 0;
	ui->help_page = page;
	ui->help_lines = h.n;
	top = ui->help_top;
	if ((w = newwin(height, wd, 1, (ui->cols - wd) / 2)) == NULL)
		return;
	wbkgdset(w, ' ' | a);
	werase(w);
	widget_box(w, 0, 0, height, wd, a, ui->utf8);
	widget_put(w, 0, 2, wd - 4, a | A_BOLD, ui->utf8, h.n > page ?
	    " Keys (arrows, PgUp/PgDn scroll; other keys close) " :
	    " Keys (any key closes this help) ");
	for (i = top, y = 1; i < h.n && y < height - 1; i++, y++) {
		l = &h.l[i];
		if (l->heading)
			widget_put(w, y, 2, wd - 4, ui_attr(ui, TH_HEADER),
			    ui->utf8, l->text);
		else if (l->keys != NULL) {
			widget_put(w, y, 2, h.kw, a | A_BOLD, ui->utf8,
			    l->keys);
			widget_put(w, y, 3 + h.kw, h.tw, a, ui->utf8, l->text);
		} else
			widget_put(w, y, 2, wd - 4, a | A_DIM, ui->utf8,
			    l->text);
	}
	/* where lines are out of sight, the frame says so (no colour needed) */
	if (top > 0)
		widget_put_right(w, 0, wd - 14, 12, a | A_BOLD, ui->utf8,
		    " more above ");
	if (top + page < h.n) {
		snprintf(more, sizeof more, " more below (%d of %d lines): "
		    "Down PgDn End ", top + page, h.n);
		widget_put_right(w, height - 1, 2, wd - 4, a | A_BOLD,
		    ui->utf8, more);
	}
	wnoutrefresh(w);
	delwin(w);
}
