/*
 * test-stats.c: link statistics: outcome counters, exceptions by code,
 * latency percentiles over the ring, line utilisation.
 */
#include <stdint.h>
#include <string.h>

#include "stats.h"
#include "t.h"

/* The invariants after every step: outcomes add up, the ring is in range. */
static void
assert_sane_stats(const struct link_stats *st)
{
	T_EQ_INT(st->requests, st->answers + st->timeouts + st->crc_errors +
	    st->io_errors);
	T_OK(stats_exceptions_total(st) <= st->answers);
	T_OK(st->lat_n <= STATS_LAT_RING);
	T_OK(st->lat_head < STATS_LAT_RING);
	T_OK(stats_lat_p50_us(st) <= stats_lat_p99_us(st));
}

static void
test_stats__empty(void)
{
	struct link_stats	st;

	memset(&st, 0xA5, sizeof st);
	stats_init(&st, 1000);
	T_EQ_INT(st.requests, 0);
	T_EQ_INT(st.since_ms, 1000);
	T_EQ_INT(stats_lat_p50_us(&st), 0);
	T_EQ_INT(stats_lat_p99_us(&st), 0);
	T_EQ_INT(stats_exceptions_total(&st), 0);
	T_EQ_INT(stats_util_permille(&st, 1000), 0);
	T_EQ_INT(stats_util_permille(&st, 500), 0);
	assert_sane_stats(&st);
}

static void
test_stats__outcomes_counted(void)
{
	struct link_stats	st;

	stats_init(&st, 0);
	stats_add(&st, ST_ANSWER, 0, 1000, 2000);
	assert_sane_stats(&st);
	stats_add(&st, ST_TIMEOUT, 0, 0, 300000);
	assert_sane_stats(&st);
	stats_add(&st, ST_CRC, 0, 0, 5000);
	stats_add(&st, ST_IO, 0, 0, 0);
	stats_add(&st, ST_EXCEPTION, 2, 1500, 2500);
	assert_sane_stats(&st);
	T_EQ_INT(st.requests, 5);
	T_EQ_INT(st.answers, 2);
	T_EQ_INT(st.timeouts, 1);
	T_EQ_INT(st.crc_errors, 1);
	T_EQ_INT(st.io_errors, 1);
	T_EQ_INT(st.exceptions[2], 1);
	T_EQ_INT(st.busy_us, 2000 + 300000 + 5000 + 2500);
	/* only answers carry a latency */
	T_EQ_INT(st.lat_n, 2);
}

/* Codes 1..15 counted one by one; 0, 16 and above, negatives in [0]. */
/* Strays are counted beside the requests, never as one of their outcomes. */
static void
test_stats__strays_apart(void)
{
	struct link_stats	st;

	stats_init(&st, 0);
	stats_add(&st, ST_ANSWER, 0, 100, 100);
	stats_add_strays(&st, 2);
	stats_add(&st, ST_TIMEOUT, 0, 0, 0);
	stats_add_strays(&st, 0);
	T_EQ_INT(st.strays, 2);
	T_EQ_INT(st.requests, 2);
	T_EQ_INT(st.crc_errors, 0);
	assert_sane_stats(&st);
}

static void
test_stats__exceptions_by_code(void)
{
	struct link_stats	st;
	int			c;

	stats_init(&st, 0);
	for (c = 1; c < STATS_EXC_MAX; c++)
		stats_add(&st, ST_EXCEPTION, c, 10, 10);
	for (c = 1; c < STATS_EXC_MAX; c++)
		T_EQ_INT(st.exceptions[c], 1);
	T_EQ_INT(st.exceptions[0], 0);
	stats_add(&st, ST_EXCEPTION, STATS_EXC_MAX, 10, 10);
	stats_add(&st, ST_EXCEPTION, 255, 10, 10);
	stats_add(&st, ST_EXCEPTION, 0, 10, 10);
	stats_add(&st, ST_EXCEPTION, -1, 10, 10);
	T_EQ_INT(st.exceptions[0], 4);
	T_EQ_INT(stats_exceptions_total(&st), STATS_EXC_MAX - 1 + 4);
	assert_sane_stats(&st);
}

/* Nearest rank: 1..100 gives median 50 and p99 99, in any order. */
static void
test_stats__percentiles(void)
{
	struct link_stats	st;
	uint32_t		i;

	stats_init(&st, 0);
	stats_add(&st, ST_ANSWER, 0, 7000, 0);
	T_EQ_INT(stats_lat_p50_us(&st), 7000);
	T_EQ_INT(stats_lat_p99_us(&st), 7000);
	stats_init(&st, 0);
	for (i = 0; i < 100; i++)	/* 100, 1, 99, 2, ... shuffled */
		stats_add(&st, ST_ANSWER, 0, (i % 2 ? i / 2 + 1 :
		    100 - i / 2) * 10, 0);
	T_EQ_INT(stats_lat_p50_us(&st), 500);
	T_EQ_INT(stats_lat_p99_us(&st), 990);
	assert_sane_stats(&st);
	/* one slow answer in a hundred shows at p99, not at the median */
	stats_init(&st, 0);
	for (i = 0; i < 99; i++)
		stats_add(&st, ST_ANSWER, 0, 20000, 0);
	stats_add(&st, ST_ANSWER, 0, 900000, 0);
	T_EQ_INT(stats_lat_p50_us(&st), 20000);
	T_EQ_INT(stats_lat_p99_us(&st), 20000);
	stats_add(&st, ST_ANSWER, 0, 900000, 0);
	T_EQ_INT(stats_lat_p99_us(&st), 900000);
	T_EQ_INT(stats_lat_p50_us(&st), 20000);
	/* UINT32_MAX latency sorts last */
	stats_add(&st, ST_ANSWER, 0, UINT32_MAX, 0);
	T_EQ_INT(stats_lat_p99_us(&st), 900000);
	T_EQ_INT(stats_lat_p50_us(&st), 20000);
}

/* The ring keeps the last STATS_LAT_RING answers only. */
static void
test_stats__ring_wraps(void)
{
	struct link_stats	st;
	uint32_t		i;

	stats_init(&st, 0);
	for (i = 0; i < STATS_LAT_RING; i++)
		stats_add(&st, ST_ANSWER, 0, 1000000, 0);
	T_EQ_INT(st.lat_n, STATS_LAT_RING);
	T_EQ_INT(st.lat_head, 0);
	T_EQ_INT(stats_lat_p50_us(&st), 1000000);
	for (i = 0; i < STATS_LAT_RING; i++) {
		stats_add(&st, ST_ANSWER, 0, 1000 + i, 0);
		assert_sane_stats(&st);
	}
	T_EQ_INT(st.lat_n, STATS_LAT_RING);
	T_EQ_INT(stats_lat_p99_us(&st), 1000 + 506);	/* rank 507 */
	T_EQ_INT(stats_lat_p50_us(&st), 1000 + 255);	/* rank 256 */
	T_EQ_INT(st.answers, 2 * STATS_LAT_RING);
}

/* busy time over wall time, per mille, capped at 1000. */
static void
test_stats__utilisation(void)
{
	struct link_stats	st;

	stats_init(&st, 10000);
	stats_add(&st, ST_ANSWER, 0, 0, 250000);	/* 250 ms busy */
	T_EQ_INT(stats_util_permille(&st, 11000), 250);
	T_EQ_INT(stats_util_permille(&st, 12000), 125);
	T_EQ_INT(stats_util_permille(&st, 10000), 0);
	stats_add(&st, ST_TIMEOUT, 0, 0, 2000000);	/* overlaps */
	T_EQ_INT(stats_util_permille(&st, 11000), 1000);
}

int
main(void)
{
	T_RUN(test_stats__empty);
	T_RUN(test_stats__outcomes_counted);
	T_RUN(test_stats__exceptions_by_code);
	T_RUN(test_stats__strays_apart);
	T_RUN(test_stats__percentiles);
	T_RUN(test_stats__ring_wraps);
	T_RUN(test_stats__utilisation);
	return t_done();
}
