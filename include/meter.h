/*
 * meter.h: what the console knows about one meter. Model only: no curses, no
 * modbus. The engine writes into it on the loop thread (meter_apply_*); views
 * read it through const pointers between loop iterations.
 */
#ifndef METER_H
#define METER_H

#include <stdint.h>

#include "conf.h"
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
	int32_t		 trend[METER_TREND_LEN];	/* raw, clipped to int32 */
	uint8_t		 trend_head, trend_n;
	/* Counters that only grow (meter_store): the last accepted read and
	 * the implausible ones since, which are not stored. */
	int64_t		 good_ms;	/* monotonic ms of the last accepted */
	uint8_t		 suspect_n;	/* implausible reads in a row */
};

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
	int64_t			 last_ok_ms;	/* monotonic ms of the last good cycle */
	int64_t			 last_cycle_ms;	/* monotonic ms the last cycle ended */
	int64_t			 last_cycle_wall_ms; /* UTC ms the last cycle started */
	uint32_t		 last_response_ms; /* slowest answer of the last cycle */
	uint64_t		 cycles;	/* completed poll cycles, any outcome */
	uint64_t		 ok_cycles;
	struct meter_ident	 ident;
	struct link_stats	 stats;
	struct reg_sample	 vals[REG__COUNT];	/* by enum reg_id */
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

void	meter_init(struct meter *, const struct meter_conf *, int index,
	    int64_t now_ms);

/* Store one decoded value read at now_ms / wall_ms (updates min/max/avg/trend). */
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
