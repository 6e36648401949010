/*
 * fuzz-loadcurve.c: the load-curve block parser and what the console does
 * with the blocks, on any words.
 *
 * Input: byte 0 the chart width, byte 1 the style, zoom and cursor, then
 * blocks: one length byte (words, 0..130) and that many big-endian words.
 * Each block is decoded (lc_decode_block) and merged (lc_curve_add) as
 * lc-fetch.c does; then the curve is copied, searched, binned for each zoom
 * and drawn (chart_render) as screen-loadcurve.c does, and written as CSV.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "err.h"
#include "fuzz.h"
#include "loadcurve.h"

#define MAXBLK	130

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("TZ", "Europe/Paris", 1);	/* DST: overlaps and holes */
	return 0;
}

static void
draw(const struct lc_curve *c, int width, unsigned opt)
{
	struct chart_opts	 o = { .height = 1 + (int)(opt >> 4) % 12 };
	struct chart		 ch;
	struct err		 e = { .msg = "" };
	unsigned char		*mark;
	double			*val;
	int64_t			 span, t1;
	int			 z, n;

	o.style = (enum chart_style)(opt % 3);
	o.width = width;
	o.cursor = (int)((opt >> 2) % 4) == 0 ? -1 : width / 2;
	n = width * chart_samples_per_col(o.style);
	val = calloc((size_t)n, sizeof *val);
	mark = calloc((size_t)n, sizeof *mark);
	if (val == NULL || mark == NULL)
		goto out;
	for (z = LC_ZOOM_DAY; z <= LC_ZOOM_ALL; z++) {
		span = lc_zoom_span_s(c, (enum lc_zoom)z);
		t1 = c->n > 0 ? c->rec[c->n - 1].t2000 : 0;
		if (span <= 0)
			continue;
		(void)lc_bin(c, t1 - span, t1, n, val, mark);
		if (chart_render(val, mark, n, &o, &ch, &e) == 0)
			chart_release(&ch);
	}
out:
	free(val);
	free(mark);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lc_curve	 c, copy;
	struct lc_block	 b;
	struct err	 e = { .msg = "" };
	uint16_t	 w[MAXBLK];
	char		 t[64];
	size_t		 off, n, i;
	FILE		*f;
	int		 width;
	unsigned	 opt;

	if (size < 2)
		return 0;
	width = 1 + data[0] % 160;
	opt = data[1];
	lc_curve_init(&c);
	for (off = 2; off < size; off += 1 + 2 * n) {
		n = data[off] % (MAXBLK + 1);
		n = fuzz_words(data + off + 1, size - off - 1, w, n);
		if (lc_decode_block(w, (int)n, &b, &e) == -1)
			continue;
		if (lc_curve_add(&c, &b, &e) == -1)
			break;
	}
	lc_curve_init(&copy);
	if (lc_curve_copy(&copy, &c, &e) == 0 && copy.n != c.n)
		__builtin_trap();
	lc_curve_release(&copy);
	for (i = 0; i < c.n; i++) {
		if (i > 0 && c.rec[i - 1].t2000 >= c.rec[i].t2000)
			__builtin_trap();	/* sorted, no duplicates */
		(void)lc_record_w(&c.rec[i]);
		(void)lc_format_w(&c.rec[i], t, sizeof t);
		(void)lc_format_local(c.rec[i].t2000, t, sizeof t);
		(void)lc_format_utc(c.rec[i].t2000, t, sizeof t);
		if (i % 7 == 0 && lc_find(&c, c.rec[i].t2000 + 1) < 0)
			__builtin_trap();
	}
	draw(&c, width, opt);
	if ((f = fopen("/dev/null", "w")) != NULL) {
		e.msg[0] = '\0';
		if (lc_write_csv(&c, f, &e) != (int)c.n && e.msg[0] == '\0')
			__builtin_trap();	/* short, and no reason given */
		fclose(f);
	}
	lc_curve_release(&c);
	return 0;
}
