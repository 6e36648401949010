/*
 * test-sim-lc.c: countis-sim's load-curve ring and the 0xF010 block it
 * serves (register map §9): history with a cut, newest-first blocks,
 * pointer reset and stepping, pinned blocks while records arrive, the
 * empty block past the oldest, clock jumps, unknown commands.
 */
#include <stdlib.h>

#include "sim-lc.h"
#include "t.h"

#define P	900
#define NOW	(848000000LL + 123)	/* some s2000 instant, not on a boundary */

static double
flat_w(void *ctx, int64_t start, int64_t end)
{
	(void)ctx;
	return (double)(end - start) * 10;	/* 9000 W for a full period */
}

/* Invariants of any block: header, count, dates strictly decreasing. */
static void
assert_sane_block(const uint16_t *w)
{
	int		k;
	uint32_t	d, prev = UINT32_MAX;

	T_OK(w[0] <= SIM_LC_BLOCK_RECORDS);
	T_EQ_INT(w[1], 4);
	T_EQ_INT(w[2], P);
	T_EQ_INT(w[3], 0);
	T_EQ_INT(w[4], 1);
	T_EQ_INT(w[5], 1);
	for (k = 0; k < w[0]; k++) {
		d = (uint32_t)w[6 + 4 * k] << 16 | w[7 + 4 * k];
		T_OK(d < prev);
		T_EQ_INT(d % P, 0);
		T_OK(w[8 + 4 * k] <= 1);
		prev = d;
	}
	for (k = w[0]; k < SIM_LC_BLOCK_RECORDS; k++)
		T_EQ_INT(w[6 + 4 * k], 0xFFFF);
}

static uint32_t
block_date(const uint16_t *w, int k)
{
	return (uint32_t)w[6 + 4 * k] << 16 | w[7 + 4 * k];
}

static struct sim_lc *
filled(void)
{
	struct sim_lc	*lc = malloc(sizeof *lc);
	int64_t		 cut = NOW - 3 * 86400 + 420;

	sim_lc_init(lc, P);
	sim_lc_prefill(lc, NOW, 7, cut, cut + 7200, flat_w, NULL);
	return lc;
}

static void
test_sim_lc__history_with_cut(void)
{
	struct sim_lc	*lc = filled();
	uint16_t	 w[SIM_LC_BLOCK_WORDS];
	int		 k, total = 0, inc = 0, blocks = 0, gaps = 0;
	uint32_t	 last = 0;

	T_EQ_INT(lc->n, 7 * 96 - 8);
	T_EQ_INT(sim_lc_newest(lc)->date, NOW - NOW % P);
	T_EQ_INT(sim_lc_command(lc, SIM_LC_CMD_RESET), 0);
	for (;;) {
		sim_lc_block(lc, w);
		assert_sane_block(w);
		for (k = 0; k < w[0]; k++) {
			if (last != 0 && last - block_date(w, k) > P)
				gaps++;
			inc += w[8 + 4 * k];
			last = block_date(w, k);
		}
		total += w[0];
		if (w[0] == 0)
			break;
		blocks++;
		T_EQ_INT(sim_lc_command(lc, SIM_LC_CMD_NEXT), 0);
	}
	T_EQ_INT(total, 7 * 96 - 8);
	T_EQ_INT(blocks, 23);
	T_EQ_INT(gaps, 1);
	T_EQ_INT(inc, 1);
	/* Further steps stay on the empty block. */
	sim_lc_command(lc, SIM_LC_CMD_NEXT);
	sim_lc_block(lc, w);
	T_EQ_INT(w[0], 0);
	free(lc);
}

static void
test_sim_lc__incomplete_after_cut_has_partial_value(void)
{
	struct sim_lc	*lc = filled();
	int		 i, found = 0;

	for (i = 0; i < lc->n; i++)
		if (lc->ring[i].flag) {
			found = 1;
			T_OK(lc->ring[i].value_w < 9000);
			T_OK(lc->ring[i].value_w > 0);
		} else
			T_EQ_INT(lc->ring[i].value_w, 9000);
	T_OK(found);
	free(lc);
}

static void
test_sim_lc__reset_pins_block_while_records_arrive(void)
{
	struct sim_lc	*lc = filled();
	uint16_t	 a[SIM_LC_BLOCK_WORDS], b[SIM_LC_BLOCK_WORDS];

	sim_lc_command(lc, SIM_LC_CMD_RESET);
	sim_lc_block(lc, a);
	sim_lc_advance(lc, NOW + 2 * P, flat_w, NULL);
	sim_lc_block(lc, b);
	T_EQ_INT(block_date(a, 0), block_date(b, 0));
	sim_lc_command(lc, SIM_LC_CMD_NEXT);
	sim_lc_block(lc, b);
	T_EQ_INT(block_date(b, 0), block_date(a, 28) - P);
	/* A new reset sees the two new records first. */
	sim_lc_command(lc, SIM_LC_CMD_RESET);
	sim_lc_block(lc, b);
	T_EQ_INT(block_date(b, 0), block_date(a, 0) + 2 * P);
	T_EQ_INT(block_date(b, 2), block_date(a, 0));
	free(lc);
}

static void
test_sim_lc__live_block_follows_newest(void)
{
	struct sim_lc	*lc = filled();
	uint16_t	 w[SIM_LC_BLOCK_WORDS];
	uint32_t	 d0;

	sim_lc_block(lc, w);
	d0 = block_date(w, 0);
	sim_lc_advance(lc, NOW + P, flat_w, NULL);
	sim_lc_block(lc, w);
	T_EQ_INT(block_date(w, 0), d0 + P);
	T_EQ_INT(w[8], 0);
	free(lc);
}

static void
test_sim_lc__clock_jump_keeps_dates_increasing(void)
{
	struct sim_lc		*lc = filled();
	const struct sim_lc_rec	*r;
	uint32_t		 d0 = sim_lc_newest(lc)->date;

	/* Back one hour: nothing until the clock passes the last record. */
	sim_lc_clock_jump(lc, NOW - 3600);
	sim_lc_advance(lc, NOW - 1800, flat_w, NULL);
	T_EQ_INT(sim_lc_newest(lc)->date, d0);
	sim_lc_advance(lc, NOW + P, flat_w, NULL);
	r = sim_lc_newest(lc);
	T_EQ_INT(r->date, d0 + P);
	T_EQ_INT(r->flag, 1);	/* the period of the clock change */
	/* Forward a day: the next record is after the jump, flagged. */
	sim_lc_clock_jump(lc, NOW + 86400);
	sim_lc_advance(lc, NOW + 86400 + P, flat_w, NULL);
	r = sim_lc_newest(lc);
	T_OK(r->date > NOW + 86400);
	T_EQ_INT(r->flag, 1);
	free(lc);
}

static void
test_sim_lc__long_stall_keeps_a_ring(void)
{
	struct sim_lc	*lc = filled();
	uint64_t	 seq = lc->seq;

	sim_lc_advance(lc, NOW + 100LL * 86400, flat_w, NULL);
	T_EQ_INT(lc->n, SIM_LC_CAPACITY);
	T_OK(lc->seq - seq <= SIM_LC_CAPACITY);
	T_EQ_INT(sim_lc_newest(lc)->date, (NOW + 100LL * 86400) -
	    (NOW + 100LL * 86400) % P);
	free(lc);
}

static void
test_sim_lc__unknown_command(void)
{
	struct sim_lc	*lc = filled();

	T_EQ_INT(sim_lc_command(lc, 0x1234), -1);
	T_EQ_INT(sim_lc_command(lc, 0), -1);
	free(lc);
}

static void
test_sim_lc__empty_curve(void)
{
	struct sim_lc	lc;
	uint16_t	w[SIM_LC_BLOCK_WORDS];

	sim_lc_init(&lc, P);
	T_OK(sim_lc_newest(&lc) == NULL);
	sim_lc_command(&lc, SIM_LC_CMD_RESET);
	sim_lc_block(&lc, w);
	assert_sane_block(w);
	T_EQ_INT(w[0], 0);
}

int
main(void)
{
	T_RUN(test_sim_lc__history_with_cut);
	T_RUN(test_sim_lc__incomplete_after_cut_has_partial_value);
	T_RUN(test_sim_lc__reset_pins_block_while_records_arrive);
	T_RUN(test_sim_lc__live_block_follows_newest);
	T_RUN(test_sim_lc__clock_jump_keeps_dates_increasing);
	T_RUN(test_sim_lc__long_stall_keeps_a_ring);
	T_RUN(test_sim_lc__unknown_command);
	T_RUN(test_sim_lc__empty_curve);
	return t_done();
}
