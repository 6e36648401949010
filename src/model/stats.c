/*
 * stats.c: link statistics of one meter or one bus (requests, outcomes,
 * latency percentiles, line utilisation). Model only: the bus measures the
 * times, this file counts them; screens and CSV read the struct.
 */
#include <stdlib.h>
#include <string.h>

#include "stats.h"

void
stats_init(struct link_stats *st, int64_t now_ms)
{
	memset(st, 0, sizeof *st);
	st->since_ms = now_ms;
}

/* Answers (exception replies included) carry a latency into the ring. */
void
stats_add(struct link_stats *st, enum stats_outcome o, int code,
    uint32_t lat_us, uint32_t busy_us)
{
	st->requests++;
	st->busy_us += busy_us;
	switch (o) {
	case ST_EXCEPTION:
		if (code > 0 && code < STATS_EXC_MAX)
			st->exceptions[code]++;
		else
			st->exceptions[0]++;
		/* FALLTHROUGH */
	case ST_ANSWER:
		st->answers++;
		st->lat_us[st->lat_head] = lat_us;
		st->lat_head = (st->lat_head + 1) % STATS_LAT_RING;
		if (st->lat_n < STATS_LAT_RING)
			st->lat_n++;
		break;
	case ST_TIMEOUT:
		st->timeouts++;
		break;
	case ST_CRC:
		st->crc_errors++;
		break;
	case ST_IO:
		st->io_errors++;
		break;
	}
}

void
stats_add_strays(struct link_stats *st, unsigned n)
{
	st->strays += n;
}

uint64_t
stats_exceptions_total(const struct link_stats *st)
{
	uint64_t	sum = 0;
	int		i;

	for (i = 0; i < STATS_EXC_MAX; i++)
		sum += st->exceptions[i];
	return sum;
}

static int
stats_cmp_u32(const void *a, const void *b)
{
	uint32_t	x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The nearest-rank percentile (pct of 100) of the ring: sort a copy, take
 * the value at rank ceil(n * pct / 100). The copy costs 2 KiB of stack and
 * an n log n sort of at most 512 values, once per screen refresh.
 */
static uint32_t
stats_lat_percentile(const struct link_stats *st, uint32_t pct)
{
	uint32_t	sorted[STATS_LAT_RING];
	uint32_t	n, rank;

	n = st->lat_n;
	if (n == 0)
		return 0;
	if (n > STATS_LAT_RING)
		n = STATS_LAT_RING;
	memcpy(sorted, st->lat_us, n * sizeof sorted[0]);
	qsort(sorted, n, sizeof sorted[0], stats_cmp_u32);
	rank = (n * pct + 99) / 100;
	if (rank == 0)
		rank = 1;
	return sorted[rank - 1];
}

/* The lower median for an even count. */
uint32_t
stats_lat_p50_us(const struct link_stats *st)
{
	return stats_lat_percentile(st, 50);
}

uint32_t
stats_lat_p99_us(const struct link_stats *st)
{
	return stats_lat_percentile(st, 99);
}

/* busy_us / elapsed_us * 1000 is busy_us / elapsed_ms; capped at 1000. */
int
stats_util_permille(const struct link_stats *st, int64_t now_ms)
{
	int64_t		elapsed_ms;
	uint64_t	pm;

	elapsed_ms = now_ms - st->since_ms;
	if (elapsed_ms <= 0)
		return 0;
	pm = st->busy_us / (uint64_t)elapsed_ms;
	return pm > 1000 ? 1000 : (int)pm;
}
