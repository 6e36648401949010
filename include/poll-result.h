/*
 * poll-result.h: what one poll cycle (or probe, or guarded job) of one meter
 * brought back, in the model's terms. The engine fills it from a finished
 * bus job and hands it to the model (meter_apply_*, meter.h), which owns
 * every state transition it causes. Model only: no bus.h, no libmodbus.
 *
 * Borrowed data: words points into the bus job, valid during the call that
 * is handed the result.
 */
#ifndef POLL_RESULT_H
#define POLL_RESULT_H

#include <stddef.h>
#include <stdint.h>

#include "stats.h"

struct poll_req;

#define POLL_RESULT_MAX	24	/* requests in one result (a bus job's) */

/* One request and its outcome. */
struct poll_xfer {
	int			 addr;
	int			 count;
	const uint16_t		*words;		/* count words when answered */
	const struct poll_req	*req;		/* the plan's request, or NULL */
	int			 write;		/* a write (nothing to store) */
	int			 ran;		/* 0: not sent (job stopped before) */
	enum stats_outcome	 outcome;
	int			 exc_code;	/* when ST_EXCEPTION */
	uint32_t		 lat_us;	/* sent to answered */
	uint32_t		 busy_us;	/* line held */
	int			 strays;	/* frames skipped as not its answer */
};

struct poll_result {
	/*
	 * x[0] is the "SOCO" read and x[1] the extended name: the
	 * identification, decided by the model (meter_ident_decide).
	 */
	int			 identify;
	int			 with_info;	/* the identification details */
	int			 link_failed;	/* line not open or lost */
	unsigned		 conn_gen;	/* connection it ran on; 0: none */
	int64_t			 start_ms, start_wall_ms;
	int64_t			 end_ms, end_wall_ms;
	int			 nx;
	struct poll_xfer	 x[POLL_RESULT_MAX];
};

/* 1 when every request of r ran and was answered (no exception). */
int	poll_result_complete(const struct poll_result *);

#endif
