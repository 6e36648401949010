/*
 * loadcurve.c: decode load-curve blocks, merge them into one sorted curve,
 * derive the integration period, mark gaps and incomplete intervals, bin the
 * curve for a chart and export it as CSV. Model only: the paging over the
 * bus is lc-fetch.c, the drawing chart.c and screen-loadcurve.c.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "atomic-file.h"
#include "loadcurve.h"
#include "wire.h"

/* Decode one record at w (4 words); 0 when its date is "not available". */
static int
lc_decode_record(const uint16_t *w, const struct lc_header *h,
    struct lc_record *r)
{
	uint32_t	date;

	date = ((uint32_t)w[0] << 16) | w[1];
	if (date == 0xFFFFFFFFu)
		return 0;
	memset(r, 0, sizeof *r);
	r->t2000 = date;
	r->flag = w[2] & 0xFF;		/* U8: low byte (register map §4) */
	r->raw = w[3];
	r->num = h->num;
	r->den = h->den;
	return 1;
}

int
lc_decode_block(const uint16_t *words, int nwords, struct lc_block *b,
    struct err *e)
{
	struct lc_header	*h = &b->hdr;
	int			 i;

	memset(b, 0, sizeof *b);
	if (nwords < LC_HDR_WORDS)
		return err_set(e, "load curve: block of %d words, header needs %d",
		    nwords, LC_HDR_WORDS);
	h->count = words[0];
	h->rec_size = words[1];
	h->period_reg = words[2];
	h->unit_code = words[3] & 0xFF;
	h->num = words[4];
	h->den = words[5];
	if (h->count > LC_MAX_RECS)
		return err_set(e, "load curve: record count (word 0) = %d, "
		    "expected 0..%d", h->count, LC_MAX_RECS);
	if (h->count > 0 && h->rec_size != LC_REC_WORDS)
		return err_set(e, "load curve: record size (word 1) = %d, "
		    "expected %d", h->rec_size, LC_REC_WORDS);
	if (nwords < LC_HDR_WORDS + h->count * LC_REC_WORDS)
		return err_set(e, "load curve: %d records need %d words, "
		    "block has %d", h->count,
		    LC_HDR_WORDS + h->count * LC_REC_WORDS, nwords);
	if (h->num == 0 || h->den == 0) {
		/* Unknown on a real E34 (§11 q4): show raw W, say so. */
		h->scale_assumed = 1;
		h->num = h->den = 1;
	}
	for (i = 0; i < h->count; i++) {
		if (lc_decode_record(words + LC_HDR_WORDS + i * LC_REC_WORDS, h,
		    &b->rec[b->nrec]))
			b->nrec++;
		else
			b->ndropped++;
	}
	return 0;
}

void
lc_curve_init(struct lc_curve *c)
{
	memset(c, 0, sizeof *c);
}

void
lc_curve_release(struct lc_curve *c)
{
	free(c->rec);
	lc_curve_init(c);
}

static int
lc_cmp_time(const void *a, const void *b)
{
	const struct lc_record	*ra = a, *rb = b;

	if (ra->t2000 != rb->t2000)
		return ra->t2000 < rb->t2000 ? -1 : 1;
	/* Same time from two blocks: a full record sorts before an incomplete one. */
	return ra->flag - rb->flag;
}

static int
lc_cmp_i64(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The most common positive spacing of time stamps (ties: the smallest). */
static void
lc_derive_period(struct lc_curve *c)
{
	int64_t	*d, best = 0;
	size_t	 i, j, nd = 0, run, best_run = 0;

	c->period_s = 0;
	c->period_votes = 0;
	if (c->n < 2 || (d = calloc(c->n - 1, sizeof *d)) == NULL)
		return;
	for (i = 1; i < c->n; i++)
		if (c->rec[i].t2000 > c->rec[i - 1].t2000)
			d[nd++] = c->rec[i].t2000 - c->rec[i - 1].t2000;
	qsort(d, nd, sizeof *d, lc_cmp_i64);
	for (i = 0; i < nd; i = j) {
		for (j = i; j < nd && d[j] == d[i]; j++)
			;
		run = j - i;
		if (run > best_run) {
			best_run = run;
			best = d[i];
		}
	}
	free(d);
	if (best > 0 && best <= 86400 * 31) {
		c->period_s = (int)best;
		c->period_votes = (int)best_run;
	}
}

/*
 * Recount gaps and incomplete intervals after a merge. Time stamps come from
 * the meter (U32 seconds): a hostile or corrupt page can put two records
 * 136 years apart with a 1 s period, so the counts saturate at INT_MAX
 * instead of overflowing.
 */
static void
lc_mark(struct lc_curve *c)
{
	int64_t	d, p = c->period_s, missing;
	size_t	i;

	c->ngaps = c->nmissing = c->nincomplete = 0;
	for (i = 0; i < c->n; i++) {
		c->rec[i].gap_before = 0;
		if (c->rec[i].flag != 0)
			c->nincomplete++;
		if (i == 0 || p <= 0)
			continue;
		d = c->rec[i].t2000 - c->rec[i - 1].t2000;
		if (d <= p)
			continue;
		/* A clock change shifts stamps: round to whole intervals. */
		missing = (d + p / 2) / p - 1;
		if (missing <= 0)
			continue;
		if (missing > INT_MAX)
			missing = INT_MAX;
		c->rec[i].gap_before = (int)missing;
		c->ngaps++;
		c->nmissing = missing > INT_MAX - c->nmissing ? INT_MAX :
		    c->nmissing + (int)missing;
	}
}

int
lc_curve_add(struct lc_curve *c, const struct lc_block *b, struct err *e)
{
	struct lc_record	*nr;
	size_t			 i, o, need;

	if (!c->header_seen) {
		c->hdr = b->hdr;
		c->header_seen = 1;
	} else if (b->hdr.count > 0 && (b->hdr.period_reg != c->hdr.period_reg ||
	    b->hdr.num != c->hdr.num || b->hdr.den != c->hdr.den ||
	    b->hdr.unit_code != c->hdr.unit_code))
		c->header_mismatch = 1;
	c->pages++;
	c->ndropped += b->ndropped;
	need = c->n + (size_t)b->nrec;
	if (need > c->cap) {
		size_t	ncap = c->cap ? c->cap * 2 : 64;

		while (ncap < need)
			ncap *= 2;
		if ((nr = realloc(c->rec, ncap * sizeof *nr)) == NULL)
			return err_set(e, "load curve: %s", strerror(ENOMEM));
		c->rec = nr;
		c->cap = ncap;
	}
	/* an empty page (a new meter) adds nothing: c->rec may still be NULL */
	if (b->nrec > 0)
		memcpy(c->rec + c->n, b->rec, (size_t)b->nrec * sizeof *b->rec);
	c->n = need;
	if (c->n > 0)
		qsort(c->rec, c->n, sizeof *c->rec, lc_cmp_time);
	for (i = 0, o = 0; i < c->n; i++) {
		if (o > 0 && c->rec[o - 1].t2000 == c->rec[i].t2000) {
			c->nduplicates++;
			continue;
		}
		c->rec[o++] = c->rec[i];
	}
	c->n = o;
	lc_derive_period(c);
	lc_mark(c);
	return 0;
}

int
lc_curve_copy(struct lc_curve *dst, const struct lc_curve *src, struct err *e)
{
	struct lc_record	*r = NULL;

	if (src->n > 0) {
		if ((r = malloc(src->n * sizeof *r)) == NULL)
			return err_set(e, "load curve: %s", strerror(ENOMEM));
		memcpy(r, src->rec, src->n * sizeof *r);
	}
	lc_curve_release(dst);
	*dst = *src;
	dst->rec = r;
	dst->cap = src->n;
	return 0;
}

double
lc_record_w(const struct lc_record *r)
{
	return (double)r->raw * r->num / r->den;
}

int
lc_format_w(const struct lc_record *r, char *buf, size_t len)
{
	int64_t	p = (int64_t)r->raw * r->num, q = r->den;
	int64_t	milli;
	int	n;

	if (p % q == 0)
		n = snprintf(buf, len, "%lld", (long long)(p / q));
	else {
		milli = (p * 1000 + q / 2) / q;		/* p, q > 0 */
		n = snprintf(buf, len, "%lld.%03lld", (long long)(milli / 1000),
		    (long long)(milli % 1000));
	}
	return (n < 0 || (size_t)n >= len) ? -1 : n;
}

int
lc_format_local(int64_t t2000, char *buf, size_t len)
{
	time_t		t = (time_t)(t2000 + LC_EPOCH_2000);
	struct tm	tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(buf, len, "%Y-%m-%d %H:%M:%S",
	    &tm) == 0)
		return -1;
	return (int)strlen(buf);
}

int64_t
lc_local_to_utc(int64_t t2000)
{
	time_t		t = (time_t)(t2000 + LC_EPOCH_2000);
	struct tm	tm;

	if (gmtime_r(&t, &tm) == NULL)
		return t;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

int
lc_format_utc(int64_t t2000, char *buf, size_t len)
{
	time_t		t = (time_t)lc_local_to_utc(t2000);
	struct tm	tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ",
	    &tm) == 0)
		return -1;
	return (int)strlen(buf);
}

int
lc_find(const struct lc_curve *c, int64_t t2000)
{
	size_t	lo = 0, hi, mid;

	if (c->n == 0)
		return -1;
	hi = c->n;
	while (lo < hi) {		/* first record with t >= t2000 */
		mid = lo + (hi - lo) / 2;
		if (c->rec[mid].t2000 < t2000)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == c->n)
		return (int)c->n - 1;
	if (lo > 0 && t2000 - c->rec[lo - 1].t2000 < c->rec[lo].t2000 - t2000)
		return (int)lo - 1;
	return (int)lo;
}

/*
 * The record whose interval covers time x: stamps are interval ends
 * (Connexo, register map §9), so the first record at or after x, if x lies
 * within one period before it. -1 inside a gap or outside the curve.
 */
static int
lc_covering(const struct lc_curve *c, int64_t x)
{
	int	i;

	if (c->n == 0 || c->period_s <= 0)
		return -1;
	i = lc_find(c, x);
	if (c->rec[i].t2000 < x)
		i++;
	if ((size_t)i >= c->n || c->rec[i].t2000 - c->period_s >= x)
		return -1;
	return i;
}

int
lc_bin(const struct lc_curve *c, int64_t t0, int64_t t1, int nbins,
    double *val, unsigned char *mark)
{
	int64_t	span = t1 - t0, mid;
	double	sum;
	size_t	i, first;
	int	b, nin, nfull = 0, r;

	if (nbins <= 0 || span <= 0)
		return 0;
	first = (size_t)(c->n ? lc_find(c, t0) : 0);
	while (first > 0 && c->rec[first].t2000 > t0)
		first--;
	i = first;
	for (b = 0; b < nbins; b++) {
		int64_t	lo = t0 + span * b / nbins, hi = t0 + span * (b + 1) / nbins;

		val[b] = NAN;
		mark[b] = 0;
		sum = 0;
		nin = 0;
		while (i < c->n && c->rec[i].t2000 <= lo)
			i++;
		for (; i < c->n && c->rec[i].t2000 <= hi; i++) {
			sum += lc_record_w(&c->rec[i]);
			nin++;
			if (c->rec[i].flag)
				mark[b] |= LC_MARK_INCOMPLETE;
			/* a gap narrower than a bin still shows */
			if (c->rec[i].gap_before > 0)
				mark[b] |= LC_MARK_GAP;
		}
		if (nin > 0) {
			val[b] = sum / nin;
			mark[b] |= LC_MARK_DATA;
			nfull++;
			continue;
		}
		mid = lo + (hi - lo + 1) / 2;
		if ((r = lc_covering(c, mid)) >= 0) {
			val[b] = lc_record_w(&c->rec[r]);
			mark[b] |= LC_MARK_DATA;
			if (c->rec[r].flag)
				mark[b] |= LC_MARK_INCOMPLETE;
			nfull++;
		} else if (c->n > 0 && mid > c->rec[0].t2000 &&
		    mid < c->rec[c->n - 1].t2000)
			mark[b] |= LC_MARK_GAP;
	}
	return nfull;
}

int64_t
lc_zoom_span_s(const struct lc_curve *c, enum lc_zoom z)
{
	int64_t	span;

	switch (z) {
	case LC_ZOOM_DAY:
		return 86400;
	case LC_ZOOM_WEEK:
		return 7 * 86400;
	case LC_ZOOM_ALL:
	default:
		span = c->n > 1 ? c->rec[c->n - 1].t2000 - c->rec[0].t2000 +
		    c->period_s : 0;
		return span < 86400 ? 86400 : span;
	}
}

const char *
lc_zoom_name(enum lc_zoom z)
{
	static const char *const names[] = {
		[LC_ZOOM_DAY] = "day", [LC_ZOOM_WEEK] = "week",
		[LC_ZOOM_ALL] = "all"
	};

	return (unsigned)z < sizeof names / sizeof names[0] ? names[z] : "?";
}

int
lc_write_csv(const struct lc_curve *c, FILE *f, struct err *e)
{
	char	loc[32], utc[32], w[32];
	size_t	i;

	fputs("time_local,time_utc,power_w,flag\n", f);
	for (i = 0; i < c->n; i++) {
		if (lc_format_local(c->rec[i].t2000, loc, sizeof loc) < 0 ||
		    lc_format_utc(c->rec[i].t2000, utc, sizeof utc) < 0 ||
		    lc_format_w(&c->rec[i], w, sizeof w) < 0)
			return err_set(e, "load curve: record %zu: time out of range",
			    i);
		fprintf(f, "%s,%s,%s,%d\n", loc, utc, w, c->rec[i].flag);
	}
	if (fflush(f) != 0 || ferror(f))
		return err_set(e, "%s", strerror(errno ? errno : EIO));
	return (int)c->n;
}

/* Keep a meter name safe for a file name: [A-Za-z0-9._-], else '_'. */
static void
lc_safe_name(const char *in, char *out, size_t len)
{
	size_t	i;

	for (i = 0; in[i] != '\0' && i + 1 < len; i++)
		out[i] = (strchr("._-", in[i]) != NULL ||
		    (in[i] >= 'a' && in[i] <= 'z') || (in[i] >= 'A' &&
		    in[i] <= 'Z') || (in[i] >= '0' && in[i] <= '9')) ? in[i] : '_';
	out[i] = '\0';
}

struct lc_export {
	const struct lc_curve	*c;
	struct err		*e;
};

static int
lc_export_fill(FILE *f, void *arg)
{
	struct lc_export	*x = arg;

	return lc_write_csv(x->c, f, x->e);
}

int
lc_export_csv(const struct lc_curve *c, const char *dir, const char *meter_name,
    int64_t now_unix, char *path_out, size_t path_len, struct err *e)
{
	char			name[64], stamp[32];
	time_t			t = (time_t)now_unix;
	struct tm		tm;
	struct lc_export	x = { c, e };
	int			n;

	lc_safe_name(meter_name, name, sizeof name);
	if (gmtime_r(&t, &tm) == NULL)
		return err_set(e, "load curve export: bad time");
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
	n = snprintf(path_out, path_len, "%s/loadcurve-%s-%s.csv", dir, name,
	    stamp);
	if (n < 0 || (size_t)n >= path_len || (size_t)n + 16 >= ATOMIC_PATH_MAX)
		return err_set(e, "load curve export: path too long in %s", dir);
	if ((n = atomic_write_unique(path_out, path_len, 0666,
	    lc_export_fill, &x)) < 0)
		return err_set(e, "cannot write %s: %s", path_out,
		    strerror(errno));
	return n;
}

uint32_t
lc_page_wire_us(long char_us, int baud)
{
	/* FC16 write 11 + 8 back; FC03 read 8 + (3 + 2 x 122 + 2) back. */
	const long	chars = 11 + 8 + 8 + (3 + 2 * LC_BLOCK_WORDS + 2);

	return (uint32_t)wire_frames_us(baud, char_us, chars, 4);
}
