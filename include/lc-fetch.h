/*
 * lc-fetch.h: page through a meter's load curve in the background.
 *
 * The procedure of register map §9, as engine_submit_ops transactions on
 * the meter's bus worker (the screen never waits): write LC_CMD_RESET to
 * REG_LC_COMMAND (FC16) and read REG_LC_RECORD_COUNT x 122; then
 * LC_CMD_NEXT and read again, until a block holds fewer than 29 records,
 * the curve reaches depth_s back from its newest record, max_pages were
 * read, or the operator cancels. A lost answer is retried, up to 8 tries a
 * page, waiting 50 ms, 100 ms, ... (at most 2 s) between them (a loaded
 * line fails in bursts);
 * when a NEXT command's fate is unknown the block is read again and
 * compared with the previous one, so no block is skipped or taken twice.
 *
 * cb(arg, f) runs on the loop thread after each page and once at the end
 * (state no longer LCF_RUNNING). The meter's read pointer is per meter, not
 * per client: run one fetch per meter at a time.
 */
#ifndef LC_FETCH_H
#define LC_FETCH_H

#include <stdint.h>

#include "engine.h"
#include "err.h"
#include "loadcurve.h"

enum lc_fetch_state {
	LCF_IDLE,
	LCF_RUNNING,
	LCF_DONE,		/* oldest block, depth or page limit reached */
	LCF_CANCELLED,		/* the curve holds the pages read so far */
	LCF_FAILED		/* msg says why; pages read so far are kept */
};

struct lc_fetch_progress {
	enum lc_fetch_state state;
	int		 pages;		/* blocks accepted */
	int		 pages_max;	/* estimate once the period is known,
					 * else max_pages */
	int		 retries;	/* requests repeated after a failure */
	int64_t		 started_ms;	/* clock_mono_ms at start */
	int64_t		 elapsed_ms;
	int64_t		 eta_ms;	/* -1 unknown */
	char		 msg[160];	/* why it stopped, in words */
};

struct lc_fetch;
typedef void	lc_fetch_cb(void *arg, const struct lc_fetch *);

struct ev_loop;

/*
 * A fetch for meter index `meter` of eng (loop: the engine's, for the
 * waits between retries), going back depth_s seconds (0: to
 * the oldest block) and at most max_pages blocks (0: 1000). Returns NULL
 * only without memory.
 */
struct lc_fetch	*lc_fetch_new(struct engine *eng, struct ev_loop *loop,
		    int meter, int64_t depth_s, int max_pages, lc_fetch_cb *cb,
		    void *arg);
/* Start (or restart, clearing the curve). Returns 0 or -1 (e set). */
int		 lc_fetch_start(struct lc_fetch *, struct err *);
/* Stop after the request in flight; the state becomes LCF_CANCELLED. */
void		 lc_fetch_cancel(struct lc_fetch *);
/* Free; safe while a request is in flight and from inside cb. */
void		 lc_fetch_free(struct lc_fetch *);

const struct lc_curve		*lc_fetch_curve(const struct lc_fetch *);
const struct lc_fetch_progress	*lc_fetch_progress(const struct lc_fetch *);
int				 lc_fetch_meter(const struct lc_fetch *);
/* Sum of the answer latencies of every request, in microseconds. */
uint64_t			 lc_fetch_bus_us(const struct lc_fetch *);

#endif
