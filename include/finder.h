/*
 * finder.h: the commissioning desk's two jobs on one bus, in the engine
 * layer: the comm-settings finder (a meter that does not answer is asked
 * at each setting of the AUTO-mode envelope, then the MANU-only ones, its
 * total time bounded up front; then the line is left at the configured
 * setting) and the bus scan (units 1..247, at the setting the finder
 * found on that bus if it did). Both open the bus's own device: the finder
 * borrows the line from the poll engine (engine_hold_bus) and gives it
 * back at the end; polling then resumes and the meters are identified
 * again.
 *
 * One job at a time. Progress and results are read from finder_view();
 * callbacks run on the loop thread: changed() when the view changed,
 * say() with a sentence for the operator ("finder: unit 1 answers at
 * 38400 8N2 ...", "scan done: 2 meters, 0 other devices").
 */
#ifndef FINDER_H
#define FINDER_H

#include <stdint.h>

#include <ev.h>

#include "commission.h"
#include "conf.h"
#include "engine.h"
#include "meter.h"
#include "scan.h"

#define FINDER_MAX_FOUND	247

enum finder_job {
	FINDER_IDLE,
	FINDER_SEARCH,		/* the comm-settings finder */
	FINDER_SCAN		/* the bus scan */
};

struct finder_found {
	int		 addr;
	int		 is_e34;
	char		 text[96];
};

/* What a screen draws: the job in progress and the last results. */
struct finder_view {
	enum finder_job		 job;
	int			 meter;		/* job's meter index */
	int			 bus;		/* job's bus index */
	int64_t			 started_ms;

	/* finder */
	struct cm_finder_plan	 plan;
	int			 fi;		/* setting being tried */
	int			 restoring;	/* last step: configured setting */
	int			 found_at;	/* plan index that answered, -1 */
	char			 msg[400];	/* what answered, "" before */
	char			 fix[300];	/* what was wrong */

	/* the scan in progress */
	int			 done, total;
	int64_t			 eta_ms;	/* -1 unknown */
	struct scan_params	 sp;		/* its line settings */

	/* the last bus scan */
	int			 bus_scanned;
	struct scan_summary	 bus_sum;
	struct finder_found	 found[FINDER_MAX_FOUND];
	int			 nfound;
};

struct finder_cbs {
	void	(*changed)(void *arg);
	void	(*say)(void *arg, const char *text);
	void	*arg;
};

struct finder;

/* NULL without memory. eng may be NULL (the line is then free). */
struct finder	*finder_new(struct ev_loop *, struct engine *,
		    const struct config *, const struct finder_cbs *);
/* Stop a job (its line back to the engine) and free. NULL is fine. */
void		 finder_free(struct finder *);
/* Find the comm settings of meter m (RTU only). 0, or -1 when it cannot
 * start (busy, TCP: say() tells why). */
int		 finder_search(struct finder *, const struct meter *);
/* Scan m's bus for units 1..247. 0, or -1 (busy). */
int		 finder_scan(struct finder *, const struct meter *);
/* Cancel the job in progress, if any. */
void		 finder_cancel(struct finder *);
const struct finder_view *finder_view(const struct finder *);

#endif
