/*
 * stats.h: link statistics for one meter or one bus. Model only: no curses,
 * no modbus. Updated on the loop thread from poll results; read by screens
 * and CSV through const pointers.
 */
#ifndef STATS_H
#define STATS_H

#include <stdint.h>

#define STATS_LAT_RING	512	/* latencies kept for median / p99 */
#define STATS_EXC_MAX	16	/* exception codes 0..15 counted one by one */

struct link_stats {
	uint64_t	requests;
	uint64_t	answers;	/* valid replies, exceptions included */
	uint64_t	timeouts;
	uint64_t	crc_errors;
	uint64_t	io_errors;
	/*
	 * Frames skipped because they were not the answer awaited: late
	 * answers of a request that timed out, duplicates, another unit's,
	 * another TCP transaction's. Not requests: counted beside them.
	 */
	uint64_t	strays;
	uint64_t	exceptions[STATS_EXC_MAX];	/* by code; [0] = other */
	uint64_t	busy_us;	/* time the line was held by requests */
	uint32_t	lat_us[STATS_LAT_RING];		/* ring of answer latencies */
	uint32_t	lat_n;		/* entries used, <= STATS_LAT_RING */
	uint32_t	lat_head;
	int64_t		since_ms;	/* monotonic ms of the first request */
};

enum stats_outcome {
	ST_ANSWER,		/* a normal reply */
	ST_EXCEPTION,		/* code in `code` */
	ST_TIMEOUT,
	ST_CRC,
	ST_IO
};

void		stats_init(struct link_stats *, int64_t now_ms);
/* Count one request and its outcome; lat_us and busy_us measured by the bus. */
void		stats_add(struct link_stats *, enum stats_outcome, int code,
		    uint32_t lat_us, uint32_t busy_us);
/* Count n frames the bus skipped as not the answer awaited. */
void		stats_add_strays(struct link_stats *, unsigned n);
uint64_t	stats_exceptions_total(const struct link_stats *);
/* Median and 99th percentile of the latency ring, in microseconds; 0 if empty. */
uint32_t	stats_lat_p50_us(const struct link_stats *);
uint32_t	stats_lat_p99_us(const struct link_stats *);
/* Share of wall time the line was busy since since_ms, in per mille. */
int		stats_util_permille(const struct link_stats *, int64_t now_ms);

#endif
