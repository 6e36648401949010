/*
 * chart.h: render a series into lines of text, with no terminal at all. The
 * view (screen-loadcurve.c) prints the lines; tests compare them as strings.
 *
 * Three styles: braille (U+2800 block, 2 x 4 dots a cell, so two samples a
 * column), eighth blocks (U+2581..U+2588, one sample a column, 8 levels a
 * cell) and plain ASCII ('#', one sample a column) for terminals without
 * UTF-8. Below the plot, one marker row: 'x' a gap (missing intervals),
 * else '!' an incomplete interval; '^' the cursor column over both.
 */
#ifndef CHART_H
#define CHART_H

#include "err.h"

#define CHART_MAX_WIDTH		1024
#define CHART_MAX_HEIGHT	200

enum chart_style { CHART_BRAILLE, CHART_BLOCK, CHART_ASCII };

/* Per-sample marks (the caller translates its own flags). */
#define CHART_MARK_INCOMPLETE	0x02
#define CHART_MARK_GAP		0x04

struct chart_opts {
	enum chart_style style;
	int		 width;		/* columns, 1..CHART_MAX_WIDTH */
	int		 height;	/* plot rows, 1..CHART_MAX_HEIGHT */
	int		 cursor;	/* column, -1 for none */
	double		 ymax;		/* top of the scale; <= 0: chart_nice_max */
};

struct chart {
	int		 width, height;
	double		 ymax;		/* the scale used (values clip above) */
	char		**lines;	/* height plot rows, top first, then the
					 * marker row; NUL-terminated; owned */
	int		 nlines;	/* height + 1 */
};

/* Samples one column holds: 2 in braille, 1 otherwise. */
int	chart_samples_per_col(enum chart_style);

/* The smallest 1, 2 or 5 x 10^k at or above v (1 when v <= 0 or NaN). */
double	chart_nice_max(double v);

/*
 * Render n samples (NaN = no value; negative values draw as 0) into c. The
 * first width x chart_samples_per_col() samples are drawn; fewer leave the
 * right-hand columns empty. mark may be NULL. Returns 0, or -1 with e->msg
 * for a size out of range or no memory. Release with chart_release.
 */
int	chart_render(const double *val, const unsigned char *mark, int n,
	    const struct chart_opts *, struct chart *c, struct err *e);
void	chart_release(struct chart *);	/* NULL-safe, idempotent */

#endif
