/*
 * ui-help.c: the help overlay (? or F1): a box over the body listing the
 * current screen's keys first, then the keys that work everywhere (the
 * number keys of the screen table, the manager's and every overlay's
 * keys), then the other screens' keys, in the table's order: all of it
 * made from the tables (ui-screens.c) and each one's `keys`. A description
 * too long for the box wraps under itself, never cut. As many lines as the
 * body holds; when there are more, Up, Down, PgUp, PgDn, Home and End
 * scroll it and the frame says "more" on the side where lines are hidden.
 * Any other key closes it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen.h"

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
	char		 numbers[16];	/* "1 .. N": the screens' keys */
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
	if (key > 0)
		snprintf(l->text, sizeof l->text, "%s (key %d)", title, key);
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

struct help {
	int		 open;
	int		 top;		/* its first line shown */
	int		 page;		/* lines it shows (last draw) */
	int		 lines;		/* lines it has (last draw) */
	struct help_list h;
};

static const struct screen_help help_keys[] = {
	{ "?  F1", "this help (arrows/PgUp/PgDn scroll, other keys close)" },
	{ NULL, NULL }
};

/* Every line of the help, for cur, into h (h->tw set). */
static void
help_build(struct help_list *h, const struct screen_ops *cur, int curi)
{
	const struct screen_ops	*s;
	int			 i, n = ui_nscreens();

	h->n = 0;
	help_heading(h, cur->title, curi + 1);
	help_table(h, cur->keys);
	help_heading(h, "Everywhere", 0);
	if (n > 1)
		snprintf(h->numbers, sizeof h->numbers, "1 .. %d", n);
	else
		snprintf(h->numbers, sizeof h->numbers, "1");
	help_text(h, h->numbers, "show that screen (the top line lists them)");
	help_table(h, ui_global_keys(0));
	for (i = 0; i < ui_noverlays(); i++)
		help_table(h, ui_overlay_at(i)->keys);
	help_table(h, ui_global_keys(1));
	for (i = 0; i < n; i++) {
		s = ui_screen_at(i);
		if (s == cur || s->keys == NULL)
			continue;
		help_heading(h, s->title, i + 1);
		help_table(h, s->keys);
	}
}

/* The keys column: as wide as the widest key of any table. */
static int
help_keys_column(void)
{
	int	i, kw;

	kw = help_keys_width(ui_global_keys(0), 10);
	kw = help_keys_width(ui_global_keys(1), kw);
	for (i = 0; i < ui_noverlays(); i++)
		kw = help_keys_width(ui_overlay_at(i)->keys, kw);
	for (i = 0; i < ui_nscreens(); i++)
		kw = help_keys_width(ui_screen_at(i)->keys, kw);
	return kw;
}

static void
help_draw(void *arg, struct ui *ui, WINDOW *body)
{
	struct help		*hp = arg;
	struct help_list	*h = &hp->h;
	const struct screen_ops	*cur = ui_screen_cur(ui);
	WINDOW			*w;
	int			 height, wd = ui->cols - 4, i, y, page, top;
	int			 curi = 0;
	char			 more[80];
	attr_t			 a = ui_attr(ui, TH_HELP);
	struct help_line	*l;

	if (!hp->open)
		return;
	if (wd > 92)
		wd = 92;
	for (i = 0; i < ui_nscreens(); i++)
		if (ui_screen_at(i) == cur)
			curi = i;
	h->kw = help_keys_column();
	h->tw = wd - 5 - h->kw;		/* frame, margins, the gap */
	help_build(h, cur, curi);

	/* the body's rows: the title and status lines stay in sight */
	height = h->n + 2 < ui->rows - 2 ? h->n + 2 : ui->rows - 2;
	if (height < 3)
		return;
	page = height - 2;
	if (hp->top > h->n - page)
		hp->top = h->n - page;
	if (hp->top < 0)
		hp->top = 0;
	hp->page = page;
	hp->lines = h->n;
	top = hp->top;
	/* a box in the body, drawn after the screen (the body is refreshed
	 * after the overlays) */
	if ((w = derwin(body, height, wd, 0, (ui->cols - wd) / 2)) == NULL)
		return;
	wbkgdset(w, ' ' | a);
	werase(w);
	widget_box(w, 0, 0, height, wd, a, ui->utf8);
	widget_put(w, 0, 2, wd - 4, a | A_BOLD, ui->utf8, h->n > page ?
	    " Keys (arrows, PgUp/PgDn scroll; other keys close) " :
	    " Keys (any key closes this help) ");
	for (i = top, y = 1; i < h->n && y < height - 1; i++, y++) {
		l = &h->l[i];
		if (l->heading)
			widget_put(w, y, 2, wd - 4, ui_attr(ui, TH_HEADER),
			    ui->utf8, l->text);
		else if (l->keys != NULL) {
			widget_put(w, y, 2, h->kw, a | A_BOLD, ui->utf8,
			    l->keys);
			widget_put(w, y, 3 + h->kw, h->tw, a, ui->utf8, l->text);
		} else
			widget_put(w, y, 2, wd - 4, a | A_DIM, ui->utf8,
			    l->text);
	}
	/* where lines are out of sight, the frame says so (no colour needed) */
	if (top > 0)
		widget_put_right(w, 0, wd - 14, 12, a | A_BOLD, ui->utf8,
		    " more above ");
	if (top + page < h->n) {
		snprintf(more, sizeof more, " more below (%d of %d lines): "
		    "Down PgDn End ", top + page, h->n);
		widget_put_right(w, height - 1, 2, wd - 4, a | A_BOLD,
		    ui->utf8, more);
	}
	wsyncup(w);
	delwin(w);
}

/* ? and F1 open it; while open, the usual keys scroll it and any other
 * closes it. */
static enum screen_key
help_key(void *arg, struct ui *ui, int ch)
{
	struct help	*hp = arg;
	int		 page = hp->page > 1 ? hp->page - 1 : 1;
	int		 last = hp->lines - hp->page;

	(void)ui;
	if (!hp->open) {
		if (ch != '?' && ch != KEY_F(1))
			return SCREEN_IGNORED;
		hp->open = 1;
		hp->top = 0;
		return SCREEN_HANDLED;
	}
	switch (ch) {
	case KEY_UP:
	case 'k':
		hp->top--;
		break;
	case KEY_DOWN:
	case 'j':
		hp->top++;
		break;
	case KEY_PPAGE:
		hp->top -= page;
		break;
	case KEY_NPAGE:
	case ' ':
		hp->top += page;
		break;
	case KEY_HOME:
	case 'g':
		hp->top = 0;
		break;
	case KEY_END:
	case 'G':
		hp->top = last;
		break;
	default:
		hp->open = 0;
		return SCREEN_HANDLED;
	}
	if (hp->top > last)
		hp->top = last;
	if (hp->top < 0)
		hp->top = 0;
	return SCREEN_HANDLED;
}

static int
help_modal(const void *arg)
{
	return ((const struct help *)arg)->open;
}

static void *
help_open(struct ui *ui)
{
	(void)ui;
	return calloc(1, sizeof(struct help));
}

const struct overlay_ops overlay_help = {
	.name = "help",
	.open = help_open,
	.close = free,
	.key = help_key,
	.modal = help_modal,
	.draw = help_draw,
	.keys = help_keys,
};
