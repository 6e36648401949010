/*
 * sim-lc.c: the load-curve ring of one simulated meter and the 122-word block
 * it serves at 0xF010. What the records hold (the power model) comes from
 * the caller's average function; the curve clock (sped up by --speedup) is
 * the caller's too. Layout per register map §9: header count, record size 4,
 * period, unit code 0 (W), numerator 1, denominator 1; records of date
 * (U32, high word first), flag, value.
 */
#include <math.h>
#include <string.h>

#include "sim-lc.h"

void
sim_lc_init(struct sim_lc *lc, int period_s)
{
	memset(lc, 0, sizeof *lc);
	lc->period_s = period_s;
	lc->live = 1;
}

/* Round down to a period boundary. */
static int64_t
sim_lc_floor(const struct sim_lc *lc, int64_t t)
{
	int64_t	r = t % lc->period_s;

	return t - (r < 0 ? r + lc->period_s : r);
}

static void
sim_lc_append(struct sim_lc *lc, int64_t date, int flag, double value_w)
{
	struct sim_lc_rec	*r = &lc->ring[lc->seq % SIM_LC_CAPACITY];

	if (value_w < 0)
		value_w = 0;
	if (value_w > 65535)
		value_w = 65535;
	r->date = (uint32_t)date;
	r->flag = (uint16_t)flag;
	r->value_w = (uint16_t)lround(value_w);
	lc->seq++;
	if (lc->n < SIM_LC_CAPACITY)
		lc->n++;
}

void
sim_lc_prefill(struct sim_lc *lc, int64_t now, int days, int64_t cut_start,
    int64_t cut_end, sim_lc_avg_fn avg, void *ctx)
{
	int64_t	last = sim_lc_floor(lc, now), t, p = lc->period_s;
	double	v;

	for (t = last - (int64_t)days * 86400 + p; t <= last; t += p) {
		if (t >= cut_start && t < cut_end)
			continue;	/* the meter was off at the boundary */
		v = avg(ctx, t - p, t);
		if (t - p < cut_end && t >= cut_end) {
			/* powered for only part of the interval */
			v = v * (double)(t - cut_end) / (double)p;
			sim_lc_append(lc, t, 1, v);
		} else
			sim_lc_append(lc, t, 0, v);
	}
	lc->next_end = last + p;
}

void
sim_lc_advance(struct sim_lc *lc, int64_t now, sim_lc_avg_fn avg, void *ctx)
{
	int64_t	p = lc->period_s;

	/* After a long stall keep at most a ring's worth of records. */
	if (now - lc->next_end > (int64_t)SIM_LC_CAPACITY * p)
		lc->next_end = sim_lc_floor(lc, now) -
		    (int64_t)(SIM_LC_CAPACITY - 1) * p;
	while (lc->next_end <= now) {
		sim_lc_append(lc, lc->next_end, lc->incomplete,
		    avg(ctx, lc->next_end - p, lc->next_end));
		lc->incomplete = 0;
		lc->next_end += p;
	}
}

void
sim_lc_clock_jump(struct sim_lc *lc, int64_t now)
{
	const struct sim_lc_rec	*r = sim_lc_newest(lc);
	int64_t			 next = sim_lc_floor(lc, now) + lc->period_s;

	/* Dates stay increasing: after a jump back, wait for the clock. */
	if (r != NULL && next <= (int64_t)r->date)
		next = (int64_t)r->date + lc->period_s;
	lc->next_end = next;
	lc->incomplete = 1;
}

int
sim_lc_command(struct sim_lc *lc, uint16_t cmd)
{
	int64_t	newest = (int64_t)lc->seq - 1;

	switch (cmd) {
	case SIM_LC_CMD_RESET:
		lc->live = 0;
		lc->ptr = newest;
		return 0;
	case SIM_LC_CMD_NEXT:
		if (lc->live)
			lc->ptr = newest;
		lc->live = 0;
		/* Stop one block past the oldest: it stays empty. */
		if (lc->ptr >= (int64_t)lc->seq - lc->n)
			lc->ptr -= SIM_LC_BLOCK_RECORDS;
		return 0;
	}
	return -1;
}

const struct sim_lc_rec *
sim_lc_newest(const struct sim_lc *lc)
{
	if (lc->n == 0)
		return NULL;
	return &lc->ring[(lc->seq - 1) % SIM_LC_CAPACITY];
}

void
sim_lc_block(const struct sim_lc *lc, uint16_t *w)
{
	const struct sim_lc_rec	*r;
	int64_t			 top, oldest = (int64_t)lc->seq - lc->n, s;
	int			 k = 0;
	uint16_t		*rec;

	top = lc->live ? (int64_t)lc->seq - 1 : lc->ptr;
	/* Unused record words read "not available". */
	memset(w, 0xFF, SIM_LC_BLOCK_WORDS * sizeof *w);
	for (s = top; s >= oldest && s >= 0 && k < SIM_LC_BLOCK_RECORDS;
	    s--, k++) {
		r = &lc->ring[s % SIM_LC_CAPACITY];
		rec = w + SIM_LC_HEADER_WORDS + 4 * k;
		rec[0] = (uint16_t)(r->date >> 16);
		rec[1] = (uint16_t)(r->date & 0xFFFF);
		rec[2] = r->flag;
		rec[3] = r->value_w;
	}
	w[0] = (uint16_t)k;
	w[1] = 4;
	w[2] = (uint16_t)lc->period_s;
	w[3] = 0;	/* W */
	w[4] = 1;
	w[5] = 1;
}
