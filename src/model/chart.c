/*
 * chart.c: a series drawn as text rows in braille, eighth blocks or ASCII.
 * Pure: no curses, no locale calls; the caller picks the style from what the
 * terminal can show (UTF-8 or not) and prints the rows it gets back.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"

/* Braille dot bits, bottom row first: left column, then right column. */
static const unsigned char braille_left[4] = { 0x40, 0x04, 0x02, 0x01 };
static const unsigned char braille_right[4] = { 0x80, 0x20, 0x10, 0x08 };

/* U+2581..U+2588: one to eight eighths of a cell, from the bottom. */
static const char *const block_eighths[9] = {
	" ", "\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
	"\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88"
};

#define CURSOR_UTF8	"\xe2\x94\x82"		/* U+2502 light vertical */
#define CURSOR_ASCII	"|"

int
chart_samples_per_col(enum chart_style s)
{
	return s == CHART_BRAILLE ? 2 : 1;
}

double
chart_nice_max(double v)
{
	double	p = 1, m;

	if (!(v > 0) || isinf(v))
		return 1;
	while (p > v)
		p /= 10;
	while (p * 10 <= v)
		p *= 10;
	for (m = 1; m <= 10; m = m == 1 ? 2 : m == 2 ? 5 : 10)
		if (m * p >= v)
			return m * p;
	return 10 * p;
}

/* Level of v in 0..steps, at least 1 for any positive value. */
static int
chart_level(double v, double ymax, int steps)
{
	int	l;

	if (isnan(v) || v <= 0)
		return 0;
	if (v >= ymax)
		return steps;
	l = (int)lround(v / ymax * steps);
	return l < 1 ? 1 : l;
}

static void
chart_put(char **p, const char *s)
{
	size_t	n = strlen(s);

	memcpy(*p, s, n);
	*p += n;
}

/* One braille character for dot-bits b (U+2800 + b) in UTF-8. */
static void
chart_put_braille(char **p, unsigned b)
{
	char	*q = *p;

	q[0] = (char)0xe2;
	q[1] = (char)(0xa0 | (b >> 6));
	q[2] = (char)(0x80 | (b & 0x3f));
	*p += 3;
}

/* Cell (row counted from the bottom) of column col. */
static void
chart_cell(char **p, const double *val, int n, const struct chart_opts *o,
    double ymax, int col, int row)
{
	int	k = col * chart_samples_per_col(o->style), l, i, drawn = 0;
	unsigned b = 0;

	switch (o->style) {
	case CHART_BRAILLE:
		for (i = 0; i < 4; i++) {
			if (k < n && chart_level(val[k], ymax, o->height * 4) >
			    row * 4 + i)
				b |= braille_left[i];
			if (k + 1 < n && chart_level(val[k + 1], ymax,
			    o->height * 4) > row * 4 + i)
				b |= braille_right[i];
		}
		if (b != 0) {
			chart_put_braille(p, b);
			return;
		}
		if (col != o->cursor) {
			chart_put(p, " ");
			return;
		}
		break;
	case CHART_BLOCK:
		l = k < n ? chart_level(val[k], ymax, o->height * 8) - row * 8 : 0;
		l = l < 0 ? 0 : l > 8 ? 8 : l;
		if (l > 0 || col != o->cursor) {
			chart_put(p, block_eighths[l]);
			return;
		}
		break;
	case CHART_ASCII:
		l = k < n ? chart_level(val[k], ymax, o->height * 2) : 0;
		if (l > row * 2 + 1)
			drawn = '#';
		else if (l == row * 2 + 1)
			drawn = '.';		/* the lower half of the cell */
		if (drawn || col != o->cursor) {
			**p = drawn ? (char)drawn : ' ';
			(*p)++;
			return;
		}
		break;
	}
	chart_put(p, o->style == CHART_ASCII ? CURSOR_ASCII : CURSOR_UTF8);
}

/* The marker row: cursor over gap over incomplete. */
static void
chart_markers(char *p, const unsigned char *mark, int n,
    const struct chart_opts *o)
{
	int	col, k, i, spc = chart_samples_per_col(o->style);
	int	m;

	for (col = 0; col < o->width; col++) {
		m = 0;
		for (i = 0, k = col * spc; mark != NULL && i < spc && k + i < n;
		    i++)
			m |= mark[k + i];
		if (col == o->cursor)
			*p++ = '^';
		else if (m & CHART_MARK_GAP)	/* missing data matters most */
			*p++ = 'x';
		else if (m & CHART_MARK_INCOMPLETE)
			*p++ = '!';
		else
			*p++ = ' ';
	}
	*p = '\0';
}

int
chart_render(const double *val, const unsigned char *mark, int n,
    const struct chart_opts *o, struct chart *c, struct err *e)
{
	double	ymax = o->ymax, top = 0;
	int	row, col, i;
	char	*p;

	memset(c, 0, sizeof *c);
	if (o->width < 1 || o->width > CHART_MAX_WIDTH || o->height < 1 ||
	    o->height > CHART_MAX_HEIGHT)
		return err_set(e, "chart: size %dx%d out of range", o->width,
		    o->height);
	if (!(ymax > 0)) {
		for (i = 0; i < n; i++)
			if (!isnan(val[i]) && val[i] > top)
				top = val[i];
		ymax = chart_nice_max(top);
	}
	c->width = o->width;
	c->height = o->height;
	c->ymax = ymax;
	c->nlines = o->height + 1;
	if ((c->lines = calloc((size_t)c->nlines, sizeof *c->lines)) == NULL)
		goto fail;
	for (row = 0; row < c->nlines; row++)
		if ((c->lines[row] = malloc((size_t)o->width * 3 + 1)) == NULL)
			goto fail;
	for (row = 0; row < o->height; row++) {
		p = c->lines[row];
		for (col = 0; col < o->width; col++)
			chart_cell(&p, val, n, o, ymax, col, o->height - 1 - row);
		*p = '\0';
	}
	chart_markers(c->lines[o->height], mark, n, o);
	return 0;
fail:
	chart_release(c);
	return err_set(e, "chart: %s", strerror(ENOMEM));
}

void
chart_release(struct chart *c)
{
	int	i;

	if (c == NULL || c->lines == NULL)
		return;
	for (i = 0; i < c->nlines; i++)
		free(c->lines[i]);
	free(c->lines);
	c->lines = NULL;
	c->nlines = 0;
}
