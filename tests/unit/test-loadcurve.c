/*
 * test-loadcurve.c: decoding of 122-word blocks, merging pages, the derived
 * period, gaps and incomplete intervals, binning, and the CSV export.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "loadcurve.h"
#include "t.h"

#define T0	(int64_t)849571200	/* 2026-12-03 00:00:00 local, since 2000 */

struct trec {
	int64_t	t;
	int	flag;
	int	raw;
};

/* Build a block the way a meter would send it: header, records, zero fill. */
static int
make_block(uint16_t *w, const struct trec *r, int n, int period_reg, int num,
    int den)
{
	int	i;

	memset(w, 0, LC_BLOCK_WORDS * sizeof *w);
	w[0] = (uint16_t)n;
	w[1] = 4;
	w[2] = (uint16_t)period_reg;
	w[3] = 0;
	w[4] = (uint16_t)num;
	w[5] = (uint16_t)den;
	for (i = 0; i < n; i++) {
		uint16_t	*p = w + 6 + 4 * i;

		p[0] = (uint16_t)((uint64_t)r[i].t >> 16);
		p[1] = (uint16_t)(r[i].t & 0xFFFF);
		p[2] = (uint16_t)r[i].flag;
		p[3] = (uint16_t)r[i].raw;
	}
	return LC_BLOCK_WORDS;
}

/* Invariants of a curve after every merge. */
static void
assert_sane_curve(const struct lc_curve *c)
{
	size_t		i;
	int		inc = 0, gaps = 0;
	long long	missing = 0;

	T_OK(c->n <= c->cap);
	for (i = 0; i < c->n; i++) {
		if (i > 0)
			T_OK(c->rec[i].t2000 > c->rec[i - 1].t2000);
		inc += c->rec[i].flag != 0;
		gaps += c->rec[i].gap_before > 0;
		missing += c->rec[i].gap_before;
		T_OK(c->rec[i].den > 0);
	}
	T_EQ_INT(inc, c->nincomplete);
	T_EQ_INT(gaps, c->ngaps);
	T_EQ_INT(missing > INT_MAX ? INT_MAX : missing, c->nmissing);
}

static void
test_loadcurve__decode_header_and_records(void)
{
	uint16_t		w[LC_BLOCK_WORDS];
	struct trec		r[3] = { { T0 + 900, 0, 1200 },
				    { T0 + 1800, 1, 65535 }, { T0, 0, 0 } };
	struct lc_block		b;
	struct err		e = { "", 0 };

	make_block(w, r, 3, 15, 1, 1);
	T_EQ_INT(lc_decode_block(w, LC_BLOCK_WORDS, &b, &e), 0);
	T_EQ_INT(b.hdr.count, 3);
	T_EQ_INT(b.hdr.rec_size, 4);
	T_EQ_INT(b.hdr.period_reg, 15);
	T_EQ_INT(b.nrec, 3);
	T_EQ_INT(b.rec[0].t2000, T0 + 900);
	T_EQ_INT(b.rec[1].flag, 1);
	T_EQ_INT(b.rec[1].raw, 65535);		/* U16 top, not a sentinel */
	T_EQ_INT(b.rec[2].t2000, T0);
}

static void
test_loadcurve__decode_rejects_bad_header(void)
{
	uint16_t		w[LC_BLOCK_WORDS];
	struct lc_block		b;
	struct err		e = { "", 0 };

	make_block(w, NULL, 0, 15, 1, 1);
	w[0] = 30;
	T_EQ_INT(lc_decode_block(w, LC_BLOCK_WORDS, &b, &e), -1);
	T_CONTAINS(e.msg, "record count (word 0) = 30");
	w[0] = 29;
	w[1] = 5;
	T_EQ_INT(lc_decode_block(w, LC_BLOCK_WORDS, &b, &e), -1);
	T_CONTAINS(e.msg, "record size (word 1) = 5");
	w[1] = 4;
	T_EQ_INT(lc_decode_block(w, 100, &b, &e), -1);
	T_CONTAINS(e.msg, "29 records need 122 words");
	T_EQ_INT(lc_decode_block(w, 5, &b, &e), -1);
	/* An empty block (count 0) is valid whatever the size word says. */
	w[0] = 0;
	w[1] = 0;
	T_EQ_INT(lc_decode_block(w, 6, &b, &e), 0);
	T_EQ_INT(b.nrec, 0);
}

static void
test_loadcurve__decode_drops_undated_and_assumes_scale(void)
{
	uint16_t		w[LC_BLOCK_WORDS];
	struct trec		r[2] = { { 0xFFFFFFFF, 0, 1 }, { T0, 0, 7 } };
	struct lc_block		b;
	struct err		e = { "", 0 };

	make_block(w, r, 2, 15, 0, 0);
	T_EQ_INT(lc_decode_block(w, LC_BLOCK_WORDS, &b, &e), 0);
	T_EQ_INT(b.nrec, 1);
	T_EQ_INT(b.ndropped, 1);
	T_EQ_INT(b.hdr.scale_assumed, 1);
	T_EQ_INT(b.rec[0].num, 1);
	T_EQ_INT(b.rec[0].den, 1);
}

/* Two pages, newest first as the meter pages, with a gap and a clash. */
static void
build_two_pages(struct lc_curve *c)
{
	uint16_t		w[LC_BLOCK_WORDS];
	struct trec		r[LC_MAX_RECS];
	struct lc_block		b;
	struct err		e = { "", 0 };
	int			i, n;

	/* page 1 (newest): 29 records 900 s apart, stored newest first */
	for (i = 0; i < 29; i++) {
		r[i].t = T0 + 100 * 900 - (int64_t)i * 900;
		r[i].flag = (i == 0);		/* the running interval */
		r[i].raw = 1000 + i;
	}
	make_block(w, r, 29, 15, 1, 1);
	T_EQ_INT(lc_decode_block(w, LC_BLOCK_WORDS, &b, &e), 0);
	T_EQ_INT(lc_curve_add(c, &b, &e), 0);
	assert_sane_curve(c);
	/* page 2 (older): 10 records, a gap of 3 intervals between them and
	 * page 1, and a duplicate of page 1's oldest record */
	n = 0;
	r[n].t = T0 + 72 * 900;		/* page 1's oldest, again */
	r[n].flag = 0;
	r[n++].raw = 1028;
	for (i = 0; i < 9; i++, n++) {
		r[n].t = T0 + (68 - i) * 900;
		r[n].flag = 0;
		r[n].raw = 500 + i;
	}
	make_block(w, r, n, 15, 1, 1);
	T_EQ_INT(lc_decode_block(w, LC_BLOCK_WORDS, &b, &e), 0);
	T_EQ_INT(lc_curve_add(c, &b, &e), 0);
	assert_sane_curve(c);
}

static void
test_loadcurve__merge_sort_period_gaps(void)
{
	struct lc_curve	c;

	lc_curve_init(&c);
	build_two_pages(&c);
	T_EQ_INT(c.pages, 2);
	T_EQ_INT(c.n, 29 + 9);
	T_EQ_INT(c.nduplicates, 1);
	T_EQ_INT(c.rec[0].t2000, T0 + 60 * 900);
	T_EQ_INT(c.rec[c.n - 1].t2000, T0 + 100 * 900);
	T_EQ_INT(c.period_s, 900);	/* from the stamps, not the register */
	T_EQ_INT(c.hdr.period_reg, 15);
	T_EQ_INT(c.ngaps, 1);
	T_EQ_INT(c.nmissing, 3);	/* 69, 70, 71 missing */
	T_EQ_INT(c.rec[9].t2000, T0 + 72 * 900);
	T_EQ_INT(c.rec[9].gap_before, 3);
	T_EQ_INT(c.nincomplete, 1);
	T_EQ_INT(c.rec[c.n - 1].flag, 1);
	T_EQ_INT(c.header_mismatch, 0);
	lc_curve_release(&c);
	T_EQ_INT(c.n, 0);
	T_OK(c.rec == NULL);
}

static void
test_loadcurve__period_is_most_common_spacing(void)
{
	uint16_t		w[LC_BLOCK_WORDS];
	struct trec		r[6] = { { T0, 0, 1 }, { T0 + 600, 0, 1 },
				    { T0 + 1200, 0, 1 }, { T0 + 1800, 0, 1 },
				    { T0 + 1900, 1, 1 }, { T0 + 4200, 0, 1 } };
	struct lc_block		b;
	struct lc_curve		c;
	struct err		e = { "", 0 };

	lc_curve_init(&c);
	make_block(w, r, 6, 10, 1, 1);
	T_EQ_INT(lc_decode_block(w, LC_BLOCK_WORDS, &b, &e), 0);
	T_EQ_INT(lc_curve_add(&c, &b, &e), 0);
	T_EQ_INT(c.period_s, 600);
	T_EQ_INT(c.period_votes, 3);
	/* 1900 -> 4200 is 2300 s: rounds to 4 periods, 3 missing */
	T_EQ_INT(c.rec[5].gap_before, 3);
	/* the short 100 s step after a clock change is no gap */
	T_EQ_INT(c.rec[4].gap_before, 0);
	assert_sane_curve(&c);
	lc_curve_release(&c);
	/* one record: no period */
	lc_curve_init(&c);
	make_block(w, r, 1, 10, 1, 1);
	T_EQ_INT(lc_decode_block(w, LC_BLOCK_WORDS, &b, &e), 0);
	T_EQ_INT(lc_curve_add(&c, &b, &e), 0);
	T_EQ_INT(c.period_s, 0);
	T_EQ_INT(c.ngaps, 0);
	lc_curve_release(&c);
}

static void
test_loadcurve__header_mismatch_flagged(void)
{
	uint16_t		w[LC_BLOCK_WORDS];
	struct trec		r[1] = { { T0, 0, 10 } };
	struct lc_block		b;
	struct lc_curve		c;
	struct err		e = { "", 0 };

	lc_curve_init(&c);
	make_block(w, r, 1, 15, 1, 1);
	lc_decode_block(w, LC_BLOCK_WORDS, &b, &e);
	lc_curve_add(&c, &b, &e);
	r[0].t -= 900;
	make_block(w, r, 1, 15, 2, 1);
	lc_decode_block(w, LC_BLOCK_WORDS, &b, &e);
	lc_curve_add(&c, &b, &e);
	T_EQ_INT(c.header_mismatch, 1);
	/* each record keeps its own block's scale */
	T_OK(lc_record_w(&c.rec[0]) == 20.0);
	T_OK(lc_record_w(&c.rec[1]) == 10.0);
	lc_curve_release(&c);
}

static void
test_loadcurve__format_w_exact(void)
{
	struct lc_record	r = { .raw = 1234, .num = 1, .den = 1 };
	char			buf[32];

	lc_format_w(&r, buf, sizeof buf);
	T_EQ_STR(buf, "1234");
	r.num = 10;
	lc_format_w(&r, buf, sizeof buf);
	T_EQ_STR(buf, "12340");
	r.num = 1;
	r.den = 3;
	lc_format_w(&r, buf, sizeof buf);
	T_EQ_STR(buf, "411.333");
	r.raw = 65535;
	r.num = 65535;
	r.den = 1;
	lc_format_w(&r, buf, sizeof buf);
	T_EQ_STR(buf, "4294836225");
	r.raw = 0;
	lc_format_w(&r, buf, sizeof buf);
	T_EQ_STR(buf, "0");
	T_EQ_INT(lc_format_w(&r, buf, 1), -1);
}

static void
test_loadcurve__times_local_and_utc(void)
{
	char	buf[32];

	setenv("TZ", "UTC0", 1);
	tzset();
	lc_format_local(0, buf, sizeof buf);
	T_EQ_STR(buf, "2000-01-01 00:00:00");
	lc_format_utc(0, buf, sizeof buf);
	T_EQ_STR(buf, "2000-01-01T00:00:00Z");
	lc_format_local(0xFFFFFFFELL, buf, sizeof buf);
	T_EQ_STR(buf, "2136-02-07 06:28:14");
	/* Central Europe: winter +1, summer +2 */
	setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
	tzset();
	lc_format_local(T0 + 7 * 3600 + 1800, buf, sizeof buf);
	T_EQ_STR(buf, "2026-12-03 07:30:00");
	lc_format_utc(T0 + 7 * 3600 + 1800, buf, sizeof buf);
	T_EQ_STR(buf, "2026-12-03T06:30:00Z");
	lc_format_utc(T0 - 150 * 86400, buf, sizeof buf);	/* 2026-07-06 */
	T_EQ_STR(buf, "2026-07-05T22:00:00Z");
	setenv("TZ", "UTC0", 1);
	tzset();
}

static void
test_loadcurve__find_nearest(void)
{
	struct lc_curve	c;

	lc_curve_init(&c);
	T_EQ_INT(lc_find(&c, T0), -1);
	build_two_pages(&c);
	T_EQ_INT(lc_find(&c, 0), 0);
	T_EQ_INT(lc_find(&c, T0 + 1000 * 900), (int)c.n - 1);
	T_EQ_INT(c.rec[lc_find(&c, T0 + 80 * 900 + 100)].t2000, T0 + 80 * 900);
	T_EQ_INT(c.rec[lc_find(&c, T0 + 80 * 900 + 800)].t2000, T0 + 81 * 900);
	lc_curve_release(&c);
}

static void
test_loadcurve__bin_marks_gaps_and_incomplete(void)
{
	struct lc_curve	c;
	double		v[64];
	unsigned char	m[64];
	int		nd;

	lc_curve_init(&c);
	build_two_pages(&c);
	/* 41 bins of 900 s: (T0+60*900, T0+101*900]: one record per bin */
	nd = lc_bin(&c, T0 + 60 * 900, T0 + 101 * 900, 41, v, m);
	T_EQ_INT(nd, 8 + 29);	/* 61..68 and 72..100 */
	T_OK(m[0] & LC_MARK_DATA);	/* T0+61*900 */
	T_OK(v[0] == 507.0);
	T_OK(m[8] & LC_MARK_GAP);	/* T0+69*900 */
	T_OK(m[9] & LC_MARK_GAP);
	T_OK(m[10] & LC_MARK_GAP);
	T_OK(isnan(v[9]));
	T_OK(m[11] & LC_MARK_DATA);	/* T0+72*900 */
	T_OK(m[11] & LC_MARK_GAP);	/* the gap lies just before it */
	T_OK(!(m[12] & LC_MARK_GAP));
	T_OK(m[39] & LC_MARK_INCOMPLETE);	/* T0+100*900, the running one */
	T_OK(m[40] == 0);		/* after the curve: nothing */
	/* 2 bins over the last 2 periods: averages */
	nd = lc_bin(&c, T0 + 98 * 900, T0 + 100 * 900, 1, v, m);
	T_EQ_INT(nd, 1);
	T_OK(v[0] == (1000.0 + 1001.0) / 2);
	T_OK(m[0] & LC_MARK_INCOMPLETE);
	/* finer than the period: empty bins take the covering record */
	nd = lc_bin(&c, T0 + 80 * 900, T0 + 81 * 900, 3, v, m);
	T_EQ_INT(nd, 3);
	T_OK(v[0] == v[2]);
	T_OK(!(m[1] & LC_MARK_GAP));
	/* one bin over the whole curve still shows its gap */
	nd = lc_bin(&c, T0, T0 + 200 * 900, 1, v, m);
	T_OK(m[0] & LC_MARK_GAP);
	T_EQ_INT(lc_bin(&c, T0, T0, 3, v, m), 0);
	lc_curve_release(&c);
}

static void
test_loadcurve__zoom_spans(void)
{
	struct lc_curve	c;

	lc_curve_init(&c);
	T_EQ_INT(lc_zoom_span_s(&c, LC_ZOOM_DAY), 86400);
	T_EQ_INT(lc_zoom_span_s(&c, LC_ZOOM_WEEK), 7 * 86400);
	T_EQ_INT(lc_zoom_span_s(&c, LC_ZOOM_ALL), 86400);
	T_EQ_STR(lc_zoom_name(LC_ZOOM_WEEK), "week");
	lc_curve_release(&c);
}

static int
count_lines(const char *path)
{
	FILE	*f = fopen(path, "r");
	int	 ch, n = 0;

	if (f == NULL)
		return -1;
	while ((ch = getc(f)) != EOF)
		n += ch == '\n';
	fclose(f);
	return n;
}

static void
test_loadcurve__export_csv(void)
{
	struct lc_curve	c;
	struct err	e = { "", 0 };
	char		dir[] = "/tmp/test-loadcurve.XXXXXX", path[256], line[128];
	FILE		*f;
	int		n;

	setenv("TZ", "UTC0", 1);
	tzset();
	lc_curve_init(&c);
	build_two_pages(&c);
	T_OK(mkdtemp(dir) != NULL);
	n = lc_export_csv(&c, dir, "main incomer/1", 1796284800, path,
	    sizeof path, &e);
	T_EQ_INT(n, (int)c.n);
	T_CONTAINS(path, "/loadcurve-main_incomer_1-20261203T080000Z.csv");
	T_EQ_INT(count_lines(path), (int)c.n + 1);
	f = fopen(path, "r");
	T_OK(f != NULL);
	if (f != NULL) {
		T_OK(fgets(line, sizeof line, f) != NULL);
		T_EQ_STR(line, "time_local,time_utc,power_w,flag\n");
		T_OK(fgets(line, sizeof line, f) != NULL);
		T_EQ_STR(line, "2026-12-03 15:00:00,2026-12-03T15:00:00Z,508,0\n");
		fclose(f);
	}
	unlink(path);
	/* unwritable directory: a message naming the file, nothing left */
	n = lc_export_csv(&c, "/nonexistent-dir", "m", 0, path, sizeof path, &e);
	T_EQ_INT(n, -1);
	T_CONTAINS(e.msg, "/nonexistent-dir/loadcurve-m-");
	rmdir(dir);
	lc_curve_release(&c);
}

static void
test_loadcurve__csv_to_full_disk_fails(void)
{
	struct lc_curve	c;
	struct err	e = { "", 0 };
	FILE		*f;
	int		i;

	lc_curve_init(&c);
	for (i = 0; i < 40; i++)	/* enough rows to overflow a stdio buffer */
		build_two_pages(&c);
	f = fopen("/dev/full", "w");
	if (f == NULL)
		return;
	T_EQ_INT(lc_write_csv(&c, f, &e), -1);
	T_CONTAINS(e.msg, "No space left");
	fclose(f);
	lc_curve_release(&c);
}

static void
test_loadcurve__page_wire_time(void)
{
	/* 19200 8N1: 10 bits, 520.8 us a character; 276 characters */
	T_EQ_INT(lc_page_wire_us(521, 19200), 276 * 521 + 4 * 1824);
	/* above 19200 the silence is 1750 us */
	T_EQ_INT(lc_page_wire_us(260, 38400), 276 * 260 + 4 * 1750);
}

/*
 * Hostile time stamps (issue 8): a 1 s spacing and two jumps of 1.5e9 s.
 * Each gap fits an int, their sum does not; the counts saturate instead of
 * overflowing (UBSan: signed integer overflow in lc_mark).
 */
static void
test_loadcurve__hostile_stamps_do_not_overflow(void)
{
	uint16_t		w[LC_BLOCK_WORDS];
	struct trec		r[9] = {
		{ 0, 0, 1 }, { 1, 0, 1 }, { 2, 0, 1 }, { 3, 0, 1 },
		{ 1500000000, 0, 1 }, { 1500000001, 0, 1 },
		{ 1500000002, 0, 1 },
		{ 3000000000LL, 0, 1 }, { 3000000001LL, 0, 1 } };
	struct lc_block		b;
	struct lc_curve		c;
	struct err		e = { "", 0 };

	lc_curve_init(&c);
	make_block(w, r, 9, 0, 1, 1);
	T_EQ_INT(lc_decode_block(w, LC_BLOCK_WORDS, &b, &e), 0);
	T_EQ_INT(lc_curve_add(&c, &b, &e), 0);
	assert_sane_curve(&c);
	T_EQ_INT(c.period_s, 1);
	T_EQ_INT(c.ngaps, 2);
	T_EQ_INT(c.rec[4].gap_before, 1500000000 - 3 - 1);
	T_EQ_INT(c.nmissing, INT_MAX);		/* not -1294967... */
	T_OK(c.nmissing > 0);
	/* the widest spacing a U32 stamp allows: one gap, clamped */
	r[0].t = 0;
	r[1].t = 1;
	r[2].t = 2;
	r[3].t = 0xFFFFFFFELL;
	make_block(w, r, 4, 0, 1, 1);
	lc_curve_release(&c);
	T_EQ_INT(lc_decode_block(w, LC_BLOCK_WORDS, &b, &e), 0);
	T_EQ_INT(lc_curve_add(&c, &b, &e), 0);
	assert_sane_curve(&c);
	T_EQ_INT(c.ngaps, 1);
	T_EQ_INT(c.nmissing, INT_MAX);
	T_EQ_INT(c.rec[3].gap_before, INT_MAX);
	lc_curve_release(&c);
}

/*
 * A new meter's curve is empty: every page reads count 0. Merging it into
 * an empty curve copies nothing and must not hand memcpy a NULL
 * destination (UBSan: null pointer passed as argument 1).
 */
static void
test_loadcurve__empty_page_into_empty_curve(void)
{
	uint16_t		w[LC_BLOCK_WORDS];
	struct lc_block		b;
	struct lc_curve		c, copy;
	struct err		e = { "", 0 };

	lc_curve_init(&c);
	lc_curve_init(&copy);
	make_block(w, NULL, 0, 15, 1, 1);
	T_EQ_INT(lc_decode_block(w, LC_BLOCK_WORDS, &b, &e), 0);
	T_EQ_INT(lc_curve_add(&c, &b, &e), 0);
	T_EQ_INT(lc_curve_add(&c, &b, &e), 0);	/* a second read, same */
	assert_sane_curve(&c);
	T_EQ_INT(c.n, 0);
	T_EQ_INT(c.pages, 2);
	T_EQ_INT(c.period_s, 0);
	T_EQ_INT(lc_find(&c, T0), -1);
	T_EQ_INT(lc_curve_copy(&copy, &c, &e), 0);
	T_EQ_INT(copy.n, 0);
	lc_curve_release(&copy);
	lc_curve_release(&c);
}

int
main(void)
{
	T_RUN(test_loadcurve__decode_header_and_records);
	T_RUN(test_loadcurve__decode_rejects_bad_header);
	T_RUN(test_loadcurve__decode_drops_undated_and_assumes_scale);
	T_RUN(test_loadcurve__merge_sort_period_gaps);
	T_RUN(test_loadcurve__period_is_most_common_spacing);
	T_RUN(test_loadcurve__header_mismatch_flagged);
	T_RUN(test_loadcurve__format_w_exact);
	T_RUN(test_loadcurve__times_local_and_utc);
	T_RUN(test_loadcurve__find_nearest);
	T_RUN(test_loadcurve__bin_marks_gaps_and_incomplete);
	T_RUN(test_loadcurve__zoom_spans);
	T_RUN(test_loadcurve__export_csv);
	T_RUN(test_loadcurve__csv_to_full_disk_fails);
	T_RUN(test_loadcurve__page_wire_time);
	T_RUN(test_loadcurve__hostile_stamps_do_not_overflow);
	T_RUN(test_loadcurve__empty_page_into_empty_curve);
	return t_done();
}
