/*
 * widget-text.c: clipped text in a window, the glyph sets, the status line,
 * and the text forms of ages and periods.
 *
 * Text is UTF-8 (labels come from the configuration). It is decoded here,
 * not with the locale's mbrtowc, so the C locale prints '?' for anything
 * non-ASCII and column counts stay right in both.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "health.h"
#include "widget.h"

static const struct glyphs glyphs_utf8 = {
	.sigma = "\xce\xa3",			/* Σ */
	.up = "\xe2\x96\xb2",			/* ▲ */
	.down = "\xe2\x96\xbc",			/* ▼ */
	.swap = "\xe2\x87\x94",			/* ⇔ */
	.ellipsis = "\xe2\x80\xa6",		/* … */
	.check_ok = "\xe2\x9c\x93",		/* ✓ */
	.bullet = "\xe2\x80\xa2",		/* • */
	.hline = "\xe2\x94\x80",		/* ─ */
	.degree_sqrt3 = "\xe2\x88\x9a" "3",	/* √3 */
};

static const struct glyphs glyphs_ascii = {
	.sigma = "Sum",
	.up = "^",
	.down = "v",
	.swap = "<->",
	.ellipsis = "~",
	.check_ok = "ok",
	.bullet = "*",
	.hline = "-",
	.degree_sqrt3 = "sqrt3",
};

const struct glyphs *
widget_glyphs(int utf8)
{
	return utf8 ? &glyphs_utf8 : &glyphs_ascii;
}

/* Decode one UTF-8 character; returns its length (1 for an invalid byte,
 * with *cp = 0xFFFD). */
static int
utf8_next(const char *s, uint32_t *cp)
{
	const unsigned char	*u = (const unsigned char *)s;
	int			 n, i;
	uint32_t		 c;

	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if ((u[0] & 0xE0) == 0xC0) {
		n = 2;
		c = u[0] & 0x1F;
	} else if ((u[0] & 0xF0) == 0xE0) {
		n = 3;
		c = u[0] & 0x0F;
	} else if ((u[0] & 0xF8) == 0xF0) {
		n = 4;
		c = u[0] & 0x07;
	} else {
		*cp = 0xFFFD;
		return 1;
	}
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xC0) != 0x80) {
			*cp = 0xFFFD;
			return 1;
		}
		c = (c << 6) | (u[i] & 0x3F);
	}
	if (c < 0x80 || (n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
		*cp = 0xFFFD;
		return 1;
	}
	*cp = c;
	return n;
}

/* Columns one character takes; 1 for what prints as '?'. */
static int
char_width(uint32_t cp, int utf8)
{
	int	w;

	if (cp < 0x20 || cp == 0x7F)
		return 1;
	if (cp < 0x80 || !utf8 || cp == 0xFFFD)
		return 1;
	w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : w;
}

/* Width as widget_put will print it. */
static int
text_width_mode(const char *s, int utf8)
{
	uint32_t	cp;
	int		w = 0;

	while (*s != '\0') {
		s += utf8_next(s, &cp);
		w += char_width(cp, utf8);
	}
	return w;
}

int
widget_text_width(const char *s)
{
	return text_width_mode(s, 1);
}

int
widget_fit(char *out, size_t len, const char *s, int cols, int utf8,
    const char *ellipsis)
{
	uint32_t	cp;
	size_t		off = 0;
	int		n, w, used = 0, ew, room;

	if (len == 0)
		return 0;
	out[0] = '\0';
	if (s == NULL || cols <= 0)
		return 0;
	ew = ellipsis != NULL ? text_width_mode(ellipsis, utf8) : 0;
	room = text_width_mode(s, utf8) <= cols ? cols : cols - ew;
	while (*s != '\0') {
		n = utf8_next(s, &cp);
		w = char_width(cp, utf8);
		if (used + w > room || off + (size_t)n >= len)
			break;
		memcpy(out + off, s, (size_t)n);
		off += (size_t)n;
		used += w;
		s += n;
	}
	out[off] = '\0';
	if (*s != '\0' && ellipsis != NULL && used + ew <= cols &&
	    off + strlen(ellipsis) < len) {
		memcpy(out + off, ellipsis, strlen(ellipsis) + 1);
		used += ew;
	}
	return used;
}

int
widget_fit_middle(char *out, size_t len, const char *s, int cols, int utf8,
    const char *ellipsis)
{
	const char	*p, *tail;
	uint32_t	 cp;
	size_t		 off;
	int		 ew, head, used, w, total;

	total = text_width_mode(s, utf8);
	ew = ellipsis != NULL ? text_width_mode(ellipsis, utf8) : 0;
	if (total <= cols || cols <= ew + 2)
		return widget_fit(out, len, s, cols, utf8, ellipsis);
	/* the head: two fifths of what is left after the ellipsis */
	head = widget_fit(out, len, s, (cols - ew) * 2 / 5, utf8, NULL);
	off = strlen(out);
	/* the tail: the last characters that fill the rest */
	for (p = s, used = 0, tail = NULL; *p != '\0'; p += utf8_next(p, &cp)) {
		if (tail == NULL && total - used <= cols - ew - head)
			tail = p;
		utf8_next(p, &cp);
		used += char_width(cp, utf8);
	}
	if (tail == NULL)
		tail = p;
	if (off + strlen(ellipsis) + strlen(tail) >= len)
		return widget_fit(out, len, s, cols, utf8, ellipsis);
	memcpy(out + off, ellipsis, strlen(ellipsis));
	off += strlen(ellipsis);
	memcpy(out + off, tail, strlen(tail) + 1);
	w = text_width_mode(out, utf8);
	return w;
}

int
widget_put(WINDOW *win, int y, int x, int width, attr_t attr, int utf8,
    const char *s)
{
	uint32_t	cp;
	int		n, w, used = 0, maxw;

	if (win == NULL || s == NULL || y < 0 || x < 0 || y >= getmaxy(win))
		return 0;
	maxw = getmaxx(win) - x;
	if (width <= 0 || width > maxw)
		width = maxw;
	if (width <= 0)
		return 0;
	wattrset(win, attr);
	wmove(win, y, x);
	while (*s != '\0') {
		n = utf8_next(s, &cp);
		w = char_width(cp, utf8);
		if (used + w > width)
			break;
		if (cp >= 0x20 && cp < 0x7F)
			waddch(win, (chtype)cp);
		else if (utf8 && cp >= 0xA0 && cp != 0xFFFD &&
		    wcwidth((wchar_t)cp) >= 0)
			waddnstr(win, s, n);
		else
			waddch(win, '?');
		used += w;
		s += n;
	}
	wattrset(win, A_NORMAL);
	return used;
}

int
widget_put_right(WINDOW *win, int y, int x, int width, attr_t attr, int utf8,
    const char *s)
{
	int	w = text_width_mode(s, utf8);

	if (w > width)
		return widget_put(win, y, x, width, attr, utf8, s);
	widget_fill(win, y, x, width - w, attr);
	return widget_put(win, y, x + width - w, w, attr, utf8, s) +
	    width - w;
}

/* Bytes of s that fit in cols columns, ending at a blank when the rest
 * does not fit too (*next: where the next row starts). */
static size_t
wrap_span(const char *s, int cols, int utf8, const char **next)
{
	const char	*p = s, *brk = NULL;
	uint32_t	 cp;
	int		 n, used = 0;

	while (*p != '\0') {
		n = utf8_next(p, &cp);
		if (used + char_width(cp, utf8) > cols)
			break;
		if (cp == ' ')
			brk = p;
		used += char_width(cp, utf8);
		p += n;
	}
	if (*p == '\0' || brk == NULL || *p == ' ') {
		*next = p;		/* all of it, or a word cut, or a blank */
		return (size_t)(p - s);
	}
	*next = brk;
	return (size_t)(brk - s);
}

int
widget_wrap_line(const char **sp, int cols, int utf8, char *out, size_t len)
{
	const char	*s = *sp, *next;
	size_t		 n;

	if (len == 0)
		return 0;
	out[0] = '\0';
	while (*s == ' ')
		s++;
	if (*s == '\0' || cols <= 0)
		return 0;
	n = wrap_span(s, cols, utf8, &next);
	if (n == 0 && next == s)
		return 0;		/* not even one character fits */
	if (n >= len)
		n = len - 1;
	memcpy(out, s, n);
	out[n] = '\0';
	*sp = next;
	return 1;
}

int
widget_wrap(WINDOW *win, int y, int x, int width, int maxrows, int indent,
    attr_t attr, int utf8, const char *s)
{
	char	buf[512];
	int	rows = 0, cols, rx;

	if (s == NULL || x < 0 || (win == NULL && width <= 0))
		return 0;
	if (win != NULL && (width <= 0 || width > getmaxx(win) - x))
		width = getmaxx(win) - x;
	while (*s == ' ')
		s++;
	while (*s != '\0' && rows < maxrows &&
	    (win == NULL || y + rows < getmaxy(win))) {
		rx = rows == 0 ? x : x + indent;
		cols = rows == 0 ? width : width - indent;
		if (cols <= 0)
			break;
		if (rows == maxrows - 1) {	/* the rest, clipped */
			if (win != NULL)
				widget_put(win, y + rows, rx, cols, attr, utf8,
				    s);
			rows++;
			break;
		}
		if (!widget_wrap_line(&s, cols, utf8, buf, sizeof buf))
			break;
		if (win != NULL)
			widget_put(win, y + rows, rx, cols, attr, utf8, buf);
		rows++;
		while (*s == ' ')
			s++;
	}
	return rows;
}

int
widget_printf(WINDOW *win, int y, int x, int width, attr_t attr, int utf8,
    const char *fmt, ...)
{
	char	buf[512];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return widget_put(win, y, x, width, attr, utf8, buf);
}

void
widget_fill(WINDOW *win, int y, int x, int width, attr_t attr)
{
	int	i, maxw;

	if (win == NULL || y < 0 || x < 0 || y >= getmaxy(win))
		return;
	maxw = getmaxx(win) - x;
	if (width > maxw)
		width = maxw;
	wattrset(win, attr);
	wmove(win, y, x);
	for (i = 0; i < width; i++)
		waddch(win, ' ');
	wattrset(win, A_NORMAL);
}

void
widget_status(WINDOW *win, int y, attr_t attr, int utf8, const char *left,
    const char *right)
{
	int	cols = getmaxx(win), rw;

	widget_fill(win, y, 0, cols, attr);
	rw = right != NULL ? text_width_mode(right, utf8) : 0;
	if (rw > cols)
		rw = cols;
	if (left != NULL)
		widget_put(win, y, 0, cols - rw - (rw > 0 ? 1 : 0), attr, utf8,
		    left);
	if (rw > 0)
		widget_put(win, y, cols - rw, rw, attr, utf8, right);
}

void
widget_fmt_age(char *buf, size_t len, int64_t ms)
{
	health_fmt_age(buf, len, ms);	/* the words the state uses too */
}

void
widget_fmt_period(char *buf, size_t len, int64_t ms)
{
	health_fmt_period(buf, len, ms);
}

void
widget_fmt_us(char *buf, size_t len, uint32_t us)
{
	if (us < 1000)
		snprintf(buf, len, "%u us", us);
	else if (us < 100000)
		snprintf(buf, len, "%u.%u ms", us / 1000, us % 1000 / 100);
	else if (us < 1000000)
		snprintf(buf, len, "%u ms", us / 1000);
	else
		snprintf(buf, len, "%u.%02u s", us / 1000000,
		    us % 1000000 / 10000);
}

void
widget_fmt_count(char *buf, size_t len, uint64_t n)
{
	if (n < 1000000)
		snprintf(buf, len, "%llu", (unsigned long long)n);
	else if (n < 100000000)
		snprintf(buf, len, "%lluk", (unsigned long long)(n / 1000));
	else
		snprintf(buf, len, "%lluM", (unsigned long long)(n / 1000000));
}

/* Move a list's top row for a scrolling key (see widget.h). */
int
widget_scroll_key(int key, int *top, int page, int end)
{
	switch (key) {
	case KEY_UP:
	case 'k':
		(*top)--;
		return 1;
	case KEY_DOWN:
	case 'j':
		(*top)++;
		return 1;
	case KEY_PPAGE:
		*top -= page;
		return 1;
	case KEY_NPAGE:
	case ' ':
		*top += page;
		return 1;
	case KEY_HOME:
	case 'g':
		*top = 0;
		return 1;
	case KEY_END:
	case 'G':
		*top = end;
		return 1;
	}
	return 0;
}
