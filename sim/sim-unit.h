/*
 * sim-unit.h: one simulated COUNTIS E34: its electrical model, energy
 * counters, tariff, clock and load curve.
 *
 * The physics is a pure function of (seed, unit, local time): voltages wander
 * around 230 V, the frequency around 50 Hz (the same for every unit: one
 * grid), the current follows a daily load profile of the unit's own size.
 * Faults change what the meter measures (not what the load draws). Energies
 * integrate the measured power between calls to sim_unit_advance, in whole
 * 10 Wh steps with the remainder kept, on the active tariff only, so that
 * Ea+ total = T1 + T2 + T3 + T4 at every instant.
 */
#ifndef SIM_UNIT_H
#define SIM_UNIT_H

#include <stdint.h>

#include "sim-fault.h"
#include "sim-lc.h"

#define SIM_TARIFFS	4
#define SIM_LC_PERIOD_S	900	/* 0xE00B sync period, also the curve's */
#define SIM_LC_DAYS	7	/* history at start */

/*
 * What every unit shares: the seed, the start, the curve speed, the cut.
 * The site's time ("now" everywhere below) is the host's real time plus
 * shift: 0, or what --start moved the start to (sim_now in sim.h).
 */
struct sim_site {
	uint64_t	seed;
	double		t0;		/* site time at start (Unix s) */
	double		shift;		/* site time - real time, s */
	double		local0;		/* local s2000 at start */
	double		speedup;	/* curve clock factor */
	int64_t		cut_start;	/* power cut in the history, s2000 */
	int64_t		cut_end;
};

/* One instant as the registers carry it (map units: 0.01 V, mA, 10 W...). */
struct sim_elec {
	int64_t		v[3], u[3], i[3], in, f;
	int64_t		p[3], q[3], s[3], pf[3];
	int64_t		p_sum, q_sum, s_sum, pf_sum;
};

/* Energy index marks: total Ea+ (10 Wh) at the start of the current period
 * and the energy of the previous one. */
struct sim_span {
	int64_t		key;		/* day, week or month number */
	uint64_t	start_10wh;
	uint64_t	prev_10wh;
};

struct sim_unit {
	int		 id;
	uint64_t	 key;		/* hash of seed and id */
	struct sim_faults faults;
	/* seeded constants of the model */
	double		 base_a;	/* peak current per phase */
	double		 unbal[3];
	double		 shift_s;	/* profile shift */
	double		 pf_base[3];
	double		 v_off[3];
	/* counters */
	uint64_t	 t_10wh[SIM_TARIFFS];	/* Ea+ per tariff, 10 Wh */
	double		 ea_rem_wh;		/* below one step */
	uint64_t	 er_10varh;
	double		 er_rem_varh;
	int		 tariff;		/* active, 1..4 */
	double		 clock_offset_s;	/* set by clock writes */
	struct sim_span	 day, week, month;
	double		 last_t;		/* real time of last advance */
	uint16_t	 serial[3];		/* 0xC358..0xC35A */
	struct sim_lc	 lc;
};

/* Seed the site: the power cut in the history, the start times. */
void	sim_site_init(struct sim_site *, uint64_t seed, double speedup,
	    double now);
/* A new unit (caller frees with sim_unit_free), history filled; NULL
 * on allocation failure. */
struct sim_unit	*sim_unit_new(int id, const struct sim_site *, double now);
void	sim_unit_free(struct sim_unit *);
/* Integrate energies up to now, roll day/week/month, extend the curve. */
void	sim_unit_advance(struct sim_unit *, const struct sim_site *,
	    double now);
/* The measured values now. */
void	sim_unit_elec(const struct sim_unit *, const struct sim_site *,
	    double now, struct sim_elec *);
/* Total Ea+ in 10 Wh (= T1 + T2 + T3 + T4). */
uint64_t sim_unit_ea_10wh(const struct sim_unit *);
/* The meter's wall clock now, s2000. */
int64_t	sim_unit_clock(const struct sim_unit *, double now);
/* Set the wall clock (s2000): moves the curve clock too. */
void	sim_unit_set_clock(struct sim_unit *, const struct sim_site *,
	    double now, int64_t s2000);
/* The curve clock now, s2000 (runs --speedup times faster). */
int64_t	sim_unit_curve_clock(const struct sim_unit *, const struct sim_site *,
	    double now);

#endif
