/*
 * widget-spark.c: one-line sparklines of a register's recent raw values,
 * scaled between the smallest and largest value shown. Integer arithmetic
 * only: the values are raw register integers.
 */
#include "widget.h"

/* U+2581 lower one-eighth block .. U+2588 full block. */
static const char *const spark_utf8[8] = {
	"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
	"\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88"
};
static const char *const spark_ascii[6] = { "_", ".", "-", "=", "*", "#" };

void
widget_spark_levels(const int32_t *vals, int n, int levels, int *out)
{
	int64_t	lo, hi;
	int	i;

	if (n <= 0)
		return;
	lo = hi = vals[0];
	for (i = 1; i < n; i++) {
		if (vals[i] < lo)
			lo = vals[i];
		if (vals[i] > hi)
			hi = vals[i];
	}
	for (i = 0; i < n; i++) {
		if (hi == lo)
			out[i] = (levels - 1) / 2;
		else
			out[i] = (int)(((int64_t)vals[i] - lo) * (levels - 1) * 2 /
			    (hi - lo) + 1) / 2;
	}
}

void
widget_sparkline(WINDOW *win, int y, int x, int width, const int32_t *vals,
    int n, attr_t attr, int utf8)
{
	int	levels[256], i, skip, nlev = utf8 ? 8 : 6;

	if (width <= 0 || n <= 0)
		return;
	if (width > 256)
		width = 256;
	skip = n > width ? n - width : 0;	/* keep the newest */
	n -= skip;
	widget_spark_levels(vals + skip, n, nlev, levels);
	for (i = 0; i < n; i++)
		widget_put(win, y, x + width - n + i, 1, attr, utf8,
		    utf8 ? spark_utf8[levels[i]] : spark_ascii[levels[i]]);
}
