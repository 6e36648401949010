/*
 * meter.h: what the console knows about one meter. Model only: no curses, no
 * modbus, no bus.h. The engine hands it each poll result on the loop thread
 * and meter_apply_* (meter-apply.c) make every state transition; views read
 * it through const pointers between loop iterations.
 */
#ifndef METER_H
#define METER_H

#include <stdint.h>

#include "conf.h"
#include "poll-result.h"
#include "regdecode.h"
#include "regmap.h"
#include "stats.h"

#define METER_TREND_LEN	60	/* sparkline history per register */

enum meter_status {
	MS_UNKNOWN,	/* not polled yet, or identifying */
	MS_OK,
	MS_TIMEOUT,	/* last cycle got no answer */
	MS_CRC,		/* last cycle got a corrupt answer */
	MS_EXCEPTION,	/* last cycle got a Modbus exception: exc_code */
	MS_IO,		/* device or connection error */
	MS_NOT_E34	/* identification says another device */
};

/* One register's latest value and its statistics since start. */
struct reg_sample {
	struct reg_value v;		/* latest decoded value */
	int64_t		 t_ms;		/* monotonic ms it was read; 0 = never */
	int64_t		 wall_ms;	/* UTC ms since the epoch it was read */
	int64_t		 min, max;	/* raw, over valid samples */
	int64_t		 sum;		/* raw sum, for the average */
	uint32_t	 n;		/* valid samples */
	/* Counters that only grow (meter_store): the last accepted read and
	 * the implausible ones since, which are not stored. */
	uint8_t		 suspect_n;	/* implausible reads in a row */
	int64_t		 good_ms;	/* monotonic ms of the last accepted */
};

/*
 * The last METER_TREND_LEN valid samples of one register, for a sparkline:
 * 16-bit offsets from base, scaled down by 2^shift only when the samples
 * in the ring span more than 65535 raw units (a sparkline draws at most 8
 * levels a cell, so the low bits given up never show). 136 bytes where a
 * ring of int32 took 248. Read it through meter_trend.
 */
struct meter_trend {
	int64_t		 base;
	uint16_t	 pt[METER_TREND_LEN];
	uint8_t		 shift, head, n;
};

/*
 * Which registers a meter keeps: an index map from enum reg_id to a slot
 * of the meter's storage (-1: none), and for the registers a sparkline is
 * drawn for (integer types with a scale: the Measurements screen) a slot
 * of a trend ring. Built once from the poll plan (registers never read need
 * no storage), shared read-only by every meter of the engine.
 */
struct meter_layout {
	int16_t		 slot[REG__COUNT];
	int16_t		 tslot[REG__COUNT];
	int		 nslots, ntrends;
};

/*
 * An empty layout; meter_layout_add gives id storage, and a trend when
 * trend is 1 and id is an integer with a scale (the engine asks one for
 * what every cycle reads: a sparkline of a value read once an hour or once
 * per identification says nothing). Adding an id again can add its trend.
 */
void	meter_layout_init(struct meter_layout *);
void	meter_layout_add(struct meter_layout *, enum reg_id, int trend);
/* 1 when a register of this definition keeps a trend (integer, scaled). */
int	meter_reg_has_trend(const struct reg_def *);

struct meter_ident {
	int		 done;		/* identification completed */
	int		 is_e34;
	char		 vendor[24];	/* 0xC37A */
	char		 ext_name[24];	/* 0xC38A, trimmed */
	char		 product_name[24];
	char		 serial[32];	/* parts 0xC358..0xC35C as text */
	int		 table_version;	/* raw, 101 = 1.01 */
	int		 sw_version;	/* raw, 100 = 1.00 */
};

struct meter {
	const struct meter_conf	*conf;
	int			 index;		/* in config order */
	enum meter_status	 status;
	int			 exc_code;	/* when MS_EXCEPTION */
	int			 offline;	/* given up; probed with back-off */
	int			 consecutive_fail;
	/* Identification and back-off, kept by meter_apply_* (meter-apply.c). */
	int			 need_ident;	/* identify in the next cycle */
	int			 need_info;	/* details not yet read whole */
	int			 probe_ms;	/* offline: delay of the next probe */
	int			 foreign_backoff_ms;	/* foreign: as probe_ms */
	int64_t			 foreign_next_ms;	/* foreign: identify again */
	unsigned		 conn_gen;	/* connection of the last cycle */
	int64_t			 last_ok_ms;	/* monotonic ms of the last good cycle */
	int64_t			 last_cycle_ms;	/* monotonic ms the last cycle ended */
	int64_t			 last_cycle_wall_ms; /* UTC ms the last cycle started */
	uint32_t		 last_response_ms; /* slowest answer of the last cycle */
	uint64_t		 cycles;	/* completed poll cycles, any outcome */
	uint64_t		 ok_cycles;
	struct meter_ident	 ident;
	struct link_stats	 stats;
	/*
	 * Storage for the registers of the layout (meter_get, meter_trend):
	 * vals[layout->slot[id]], trends[layout->tslot[id]]. One allocation,
	 * owned by the meter (meter_release).
	 */
	const struct meter_layout *layout;
	struct meter_layout	*own_layout;	/* meter_init's: every register */
	struct reg_sample	*vals;
	struct meter_trend	*trends;
	/*
	 * Set by meter_store when a counter that only grows (total and tariff
	 * energies, not the day/week/month or partial ones) read implausibly
	 * (lower than before, or more than an E34 can count in the time
	 * elapsed) METER_CONFIRM_READS times in a row; one stray read is
	 * dropped and raises nothing. Cleared after METER_CLEAR_READS
	 * plausible reads of that counter in a row. Read it through
	 * meter_energy_monotonic.
	 */
	int			 energy_backwards;
	enum reg_id		 energy_backwards_id;	/* the one that did */
	int64_t			 energy_backwards_from;	/* raw, last good before */
	int			 energy_good_n;	/* plausible reads since */
	/* T = T1+T2+T3+T4 (meter_cycle_end): cycles in a row that disagree. */
	int			 tariff_bad_n;
	int			 tariff_alarm;	/* METER_CONFIRM_READS of them */
	/* The last value no E34 can give (a frequency below 0, |PF| > 1),
	 * stored as not available: which, and the t_ms of its cycle. */
	enum reg_id		 implausible_id;
	int64_t			 implausible_ms;
};

#define METER_CONFIRM_READS	3	/* implausible reads before an alarm */
#define METER_CLEAR_READS	10	/* plausible reads that clear it */
/* Most an E34 can count: 3 x 100 A x 300 V, with 30 % to spare (W). */
#define METER_P_MAX_W		120000

/*
 * Clear m and give it storage for the registers of layout (which must
 * outlive m; NULL: every register of the map, a layout m owns). Returns 0,
 * or -1 when out of memory (m is then released). meter_release frees the
 * storage (not m itself); a released or zeroed meter may be released again.
 */
int	meter_init_layout(struct meter *, const struct meter_conf *,
	    const struct meter_layout *, int index, int64_t now_ms);
int	meter_init(struct meter *, const struct meter_conf *, int index,
	    int64_t now_ms);
void	meter_release(struct meter *);

/* Store one decoded value read at now_ms / wall_ms (updates min/max/avg/trend);
 * a register the layout keeps no storage for is ignored. No allocation. */
void	meter_store(struct meter *, enum reg_id, const struct reg_value *,
	    int64_t now_ms, int64_t wall_ms);

/*
 * A cycle ended at cycle_ms (the t_ms its values were stored with), its
 * requests spread over span_ms: run the checks that need one cycle's values
 * together (T = T1+T2+T3+T4).
 */
void	meter_cycle_end(struct meter *, int64_t cycle_ms, int64_t span_ms);

/* The sample for id, or NULL when never read. */
const struct reg_sample *meter_get(const struct meter *, enum reg_id);
/* 1 and *raw when id holds a valid value read at most max_age_ms ago (0: any age). */
int	meter_raw(const struct meter *, enum reg_id, int64_t now_ms,
	    int64_t max_age_ms, int64_t *raw);
/*
 * The trend of id, oldest first, into out (up to max points, raw, clipped
 * to int32): returns the count, 0 when id keeps no trend or has none yet.
 */
int	meter_trend(const struct meter *, enum reg_id, int32_t *out, int max);
/* Age in ms of id's value, -1 when never read. */
int64_t	meter_age_ms(const struct meter *, enum reg_id, int64_t now_ms);

/* "ok", "timeout", "crc", "exception-2", "io", "not-e34" (CSV words). */
const char *meter_status_word(const struct meter *, char *buf, size_t len);

/*
 * Live consistency checks of the model (the LCD's T = T1+T2+T3+T4; no energy
 * counter going backwards). Return 1 when the check holds or cannot be made;
 * 0 only once the fault persisted METER_CONFIRM_READS cycles or reads.
 */
int	meter_tariffs_consistent(const struct meter *);
int	meter_energy_monotonic(const struct meter *);
/* 0 when the last cycle read a value no E34 can give (stored as n/a). */
int	meter_values_plausible(const struct meter *);

/*
 * 1 when m's values are live: its last cycle was ok, it is an E34 that is
 * not given up, and that cycle ended within 2 * period_ms + timeout_ms of
 * now_ms. period_ms is the period the meter is really polled at (its bus's
 * achievable refresh; never less than its poll_ms), timeout_ms its bus's
 * answer timeout; and no live check fails (CHECK). Consumers call it through
 * engine_meter_fresh(), which knows the bus.
 */
int	meter_fresh(const struct meter *, int64_t now_ms, int64_t period_ms,
	    int64_t timeout_ms);

/*
 * Applying results (meter-apply.c): every state transition of a meter, on
 * the loop thread, from a poll_result and nothing else. The engine only arms
 * timers from what they return.
 */
#define METER_OFFLINE_AFTER	3	/* failed cycles before probing */
#define METER_PROBE_MIN_MS	1000	/* back-off of probes and foreign */
#define METER_PROBE_MAX_MS	30000	/* re-identification: doubling */

/* What an identification (x[0] "SOCO", x[1] extended name) says so far. */
enum meter_idv {
	MI_UNDECIDED,	/* no answer, corrupt, exception 4.., not run: again */
	MI_PENDING,	/* "SOCO" read, the name not yet */
	MI_E34,
	MI_FOREIGN	/* no "SOCO", another name, exception 1..3 */
};

/*
 * The rule (PRODUCT.md): "SOCO" at REG_SOCO_MAGIC, then the extended name,
 * trimmed (regdecode's string rule), starting with "countis e34" in any
 * case. Judges x[0..n-1] (n <= 2 taken); the decoded name goes to name
 * when that far. Pure: the bus worker's gate may call it.
 */
enum meter_idv	meter_ident_decide(const struct poll_xfer *x, int n,
		    char *name, size_t len);

/* What the engine must do once a result is applied. */
enum meter_action {
	MA_POLL,	/* go on polling at the period */
	MA_OFFLINE,	/* given up now: arm a probe after delay_ms */
	MA_PROBE,	/* still offline: probe again after delay_ms */
	MA_ONLINE	/* back: poll at once (identified first) */
};
struct meter_next {
	enum meter_action	 action;
	int			 delay_ms;	/* MA_OFFLINE, MA_PROBE */
};

/*
 * A poll cycle ended: count its requests, take the identification decision
 * when it identified, store its values (none from a foreign unit), set the
 * status (the worst outcome), run the cycle's checks, and give up after
 * offline_after failed cycles in a row (0: never, a batch run). now_ms
 * schedules a foreign unit's next identification.
 */
struct meter_next meter_apply_cycle(struct meter *, const struct poll_result *,
		    int offline_after, int64_t now_ms);
/* The probe of an offline meter ("SOCO" read) came back. */
struct meter_next meter_apply_probe(struct meter *, const struct poll_result *);
/*
 * A cycle without traffic (offline, or foreign between identifications):
 * its status stays, nothing is fresh, but it counts as a cycle.
 */
void	meter_apply_idle(struct meter *, int64_t now_ms, int64_t wall_ms);
/*
 * Another job on the meter (a guarded write, load-curve paging) came back:
 * count its requests; when it identified and the unit is foreign now, the
 * meter is. Returns the identification verdict (MI_UNDECIDED when none).
 */
enum meter_idv	meter_apply_job(struct meter *, const struct poll_result *,
		    int64_t now_ms);
/*
 * A poll tick: 1 when a cycle should be sent (with identification when
 * m->need_ident), 0 for an idle cycle (offline; foreign until its next
 * identification is due).
 */
int	meter_poll_due(struct meter *, int64_t now_ms);
/* Identify again at once (operator, scan, line given back). */
void	meter_reidentify(struct meter *);

/* Inferred wiring diagnosis from live values (PRODUCT.md "Talking to the meter"). */
struct wiring_diag {
	int	known;			/* enough readings to say anything */
	int	phase_present[3];	/* Vn > 150 V */
	int	current_reversed[3];	/* Pn < 0 with current flowing: Err 1/2/3 */
	int	vn_swapped[3];		/* Err 7/8/9 */
	int	err_codes[8];		/* 0 = ok, or 1,2,3,7,8,9 */
	int	nerr;
};
void	meter_wiring(const struct meter *, int64_t now_ms, struct wiring_diag *);


#endif
