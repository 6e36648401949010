/*
 * test-chart.c: the three chart styles, levels at the boundaries, gaps,
 * incomplete marks and the cursor column, compared as exact strings.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "t.h"

/* Invariants: nlines rows, each width cells (UTF-8 characters). */
static void
assert_sane_chart(const struct chart *c, int utf8)
{
	int		 i, cells;
	const unsigned char *p;

	T_EQ_INT(c->nlines, c->height + 1);
	for (i = 0; i < c->nlines; i++) {
		cells = 0;
		for (p = (const unsigned char *)c->lines[i]; *p; p++)
			cells += (*p & 0xC0) != 0x80;
		T_EQ_INT(cells, c->width);
		if (!utf8 || i == c->height)
			for (p = (const unsigned char *)c->lines[i]; *p; p++)
				T_OK(*p < 0x80);
	}
}

static void
test_chart__nice_max(void)
{
	T_OK(chart_nice_max(0) == 1);
	T_OK(chart_nice_max(NAN) == 1);
	T_OK(chart_nice_max(-5) == 1);
	T_OK(chart_nice_max(1) == 1);
	T_OK(chart_nice_max(1.01) == 2);
	T_OK(chart_nice_max(3) == 5);
	T_OK(chart_nice_max(7) == 10);
	T_OK(chart_nice_max(4321) == 5000);
	T_OK(chart_nice_max(0.03) == 0.05);
	T_OK(chart_nice_max(65535) == 100000);
}

static void
test_chart__ascii_levels(void)
{
	double			v[6] = { 0, 10, 50, 100, 200, NAN };
	unsigned char		m[6] = { 0, 0, 0, CHART_MARK_INCOMPLETE, 0,
				    CHART_MARK_GAP };
	struct chart_opts	o = { CHART_ASCII, 6, 2, -1, 100 };
	struct chart		c;
	struct err		e = { "", 0 };

	T_EQ_INT(chart_render(v, m, 6, &o, &c, &e), 0);
	assert_sane_chart(&c, 0);
	/* 4 half-cells: 10 -> 1 (at least one), 50 -> 2, 100 and 200 -> 4 */
	T_EQ_STR(c.lines[0], "   ## ");
	T_EQ_STR(c.lines[1], " .### ");
	T_EQ_STR(c.lines[2], "   ! x");
	T_OK(c.ymax == 100);
	chart_release(&c);
	chart_release(&c);		/* idempotent */
}

static void
test_chart__ascii_cursor(void)
{
	double			v[4] = { 100, 0, 100, 0 };
	unsigned char		m[4] = { 0, CHART_MARK_GAP, 0, 0 };
	struct chart_opts	o = { CHART_ASCII, 4, 2, 1, 0 };
	struct chart		c;
	struct err		e = { "", 0 };

	T_EQ_INT(chart_render(v, m, 4, &o, &c, &e), 0);
	assert_sane_chart(&c, 0);
	T_OK(c.ymax == 100);		/* auto scale */
	T_EQ_STR(c.lines[0], "#|# ");
	T_EQ_STR(c.lines[1], "#|# ");
	T_EQ_STR(c.lines[2], " ^  ");	/* the cursor hides the gap mark */
	chart_release(&c);
	/* a cursor over a drawn cell keeps the bar */
	o.cursor = 0;
	T_EQ_INT(chart_render(v, m, 4, &o, &c, &e), 0);
	T_EQ_STR(c.lines[0], "# # ");
	T_EQ_STR(c.lines[2], "^x  ");
	chart_release(&c);
}

static void
test_chart__block_eighths(void)
{
	double			v[4] = { 12.5, 50, 100, 0 };
	struct chart_opts	o = { CHART_BLOCK, 4, 1, -1, 100 };
	struct chart		c;
	struct err		e = { "", 0 };

	T_EQ_INT(chart_render(v, NULL, 4, &o, &c, &e), 0);
	assert_sane_chart(&c, 1);
	T_EQ_STR(c.lines[0], "\xe2\x96\x81\xe2\x96\x84\xe2\x96\x88 ");
	T_EQ_STR(c.lines[1], "    ");
	chart_release(&c);
	/* two rows: 75 fills the bottom cell and half the top one */
	v[0] = 75;
	o.height = 2;
	o.cursor = 3;
	T_EQ_INT(chart_render(v, NULL, 4, &o, &c, &e), 0);
	assert_sane_chart(&c, 1);
	T_EQ_STR(c.lines[0], "\xe2\x96\x84 \xe2\x96\x88\xe2\x94\x82");
	T_EQ_STR(c.lines[1], "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x94\x82");
	T_EQ_STR(c.lines[2], "   ^");
	chart_release(&c);
}

static void
test_chart__braille_two_samples_a_cell(void)
{
	double			v[4] = { 100, 25, 0, 50 };
	unsigned char		m[4] = { 0, 0, CHART_MARK_GAP,
				    CHART_MARK_INCOMPLETE };
	struct chart_opts	o = { CHART_BRAILLE, 2, 1, -1, 100 };
	struct chart		c;
	struct err		e = { "", 0 };

	T_EQ_INT(chart_samples_per_col(CHART_BRAILLE), 2);
	T_EQ_INT(chart_render(v, m, 4, &o, &c, &e), 0);
	assert_sane_chart(&c, 1);
	/* left full (dots 1,2,3,7 = 0x47), right one dot (8 = 0x80): U+28C7;
	 * left empty, right two dots (6,8 = 0xA0): U+28A0 */
	T_EQ_STR(c.lines[0], "\xe2\xa3\x87\xe2\xa2\xa0");
	/* a gap wins over an incomplete interval inside one column */
	T_EQ_STR(c.lines[1], " x");
	chart_release(&c);
}

static void
test_chart__short_series_and_bad_sizes(void)
{
	double			v[1] = { 100 };
	struct chart_opts	o = { CHART_ASCII, 3, 1, -1, 100 };
	struct chart		c;
	struct err		e = { "", 0 };

	T_EQ_INT(chart_render(v, NULL, 1, &o, &c, &e), 0);
	T_EQ_STR(c.lines[0], "#  ");
	chart_release(&c);
	o.width = 0;
	T_EQ_INT(chart_render(v, NULL, 1, &o, &c, &e), -1);
	T_CONTAINS(e.msg, "size 0x1 out of range");
	T_OK(c.lines == NULL);
	o.width = CHART_MAX_WIDTH + 1;
	T_EQ_INT(chart_render(v, NULL, 1, &o, &c, &e), -1);
	o.width = 3;
	o.height = 0;
	T_EQ_INT(chart_render(v, NULL, 1, &o, &c, &e), -1);
	/* values above ymax clip, negatives draw as nothing */
	v[0] = -5;
	o.height = 1;
	T_EQ_INT(chart_render(v, NULL, 1, &o, &c, &e), 0);
	T_EQ_STR(c.lines[0], "   ");
	chart_release(&c);
}

int
main(void)
{
	T_RUN(test_chart__nice_max);
	T_RUN(test_chart__ascii_levels);
	T_RUN(test_chart__ascii_cursor);
	T_RUN(test_chart__block_eighths);
	T_RUN(test_chart__braille_two_samples_a_cell);
	T_RUN(test_chart__short_series_and_bad_sizes);
	return t_done();
}
