/*
 * widget-prompt.c: a one-line prompt for short text (the Fleet filter, the
 * CS a technician reads off the meter). ASCII printable characters only.
 */
#include <stdio.h>
#include <string.h>

#include "widget.h"

void
widget_prompt_start(struct widget_prompt *p, const char *initial, int maxlen)
{
	memset(p, 0, sizeof *p);
	p->active = 1;
	p->maxlen = maxlen > 0 && maxlen < WIDGET_PROMPT_MAX ? maxlen :
	    WIDGET_PROMPT_MAX - 1;
	if (initial != NULL) {
		snprintf(p->buf, (size_t)p->maxlen + 1, "%s", initial);
		p->len = (int)strlen(p->buf);
	}
}

enum widget_prompt_result
widget_prompt_key(struct widget_prompt *p, int key)
{
	switch (key) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		p->active = 0;
		return PROMPT_DONE;
	case 27:	/* Esc */
	case 7:		/* ^G */
		p->active = 0;
		return PROMPT_CANCEL;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		if (p->len > 0)
			p->buf[--p->len] = '\0';
		return PROMPT_EDITING;
	case 21:	/* ^U */
		p->len = 0;
		p->buf[0] = '\0';
		return PROMPT_EDITING;
	}
	if (key >= 0x20 && key < 0x7F && p->len < p->maxlen) {
		p->buf[p->len++] = (char)key;
		p->buf[p->len] = '\0';
	}
	return PROMPT_EDITING;
}

void
widget_prompt_draw(WINDOW *win, int y, int x, int width, attr_t attr,
    const char *label, const struct widget_prompt *p)
{
	char	line[WIDGET_PROMPT_MAX + 80];

	snprintf(line, sizeof line, "%s%s_", label, p->buf);
	widget_fill(win, y, x, width, attr);
	widget_put(win, y, x, width, attr, 0, line);
}
