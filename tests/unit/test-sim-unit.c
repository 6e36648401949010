/*
 * test-sim-unit.c: countis-sim's meter model in fast-forward (TZ=UTC, a
 * fixed start): values in range and consistent within one instant, the
 * wiring faults, energy invariants (T1+..+T4 = total, never down, only the
 * active tariff grows), day/week/month marks rolling at midnight, the clock
 * offset and determinism from the seed.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim-clock.h"
#include "sim-unit.h"
#include "t.h"

#define T0	1795586400.0	/* 2026-11-25 06:00:00 UTC, a Wednesday */

static struct sim_site	site;

/* Invariants of one measured instant. */
static void
assert_sane_elec(const struct sim_elec *e)
{
	T_EQ_INT(e->p_sum, e->p[0] + e->p[1] + e->p[2]);
	T_EQ_INT(e->q_sum, e->q[0] + e->q[1] + e->q[2]);
	T_EQ_INT(e->s_sum, e->s[0] + e->s[1] + e->s[2]);
	T_OK(e->f >= 4995 && e->f <= 5005);
	T_OK(e->pf_sum >= -1000 && e->pf_sum <= 1000);
}

static void
assert_sane_energy(const struct sim_unit *u, uint64_t *prev)
{
	uint64_t	e = sim_unit_ea_10wh(u);

	T_EQ_INT(e, u->t_10wh[0] + u->t_10wh[1] + u->t_10wh[2] +
	    u->t_10wh[3]);
	T_OK(e >= *prev);
	T_OK(u->ea_rem_wh >= 0 && u->ea_rem_wh < 10);
	*prev = e;
}

static void
test_sim_unit__healthy_values_in_range(void)
{
	struct sim_unit	*u = sim_unit_new(1, &site, T0);
	struct sim_elec	 e;
	double		 t;
	int		 n;

	for (t = T0; t < T0 + 86400; t += 997) {
		sim_unit_elec(u, &site, t, &e);
		assert_sane_elec(&e);
		for (n = 0; n < 3; n++) {
			T_OK(e.v[n] >= 22700 && e.v[n] <= 23300);
			T_OK(e.u[n] >= 38900 && e.u[n] <= 40500);
			T_OK(e.i[n] >= 500 && e.i[n] <= 70000);
			T_OK(e.pf[n] >= 850 && e.pf[n] <= 990);
			T_OK(e.p[n] > 0 && e.q[n] > 0);
		}
		T_OK(e.in < e.i[0] + e.i[1] + e.i[2]);
	}
	sim_unit_free(u);
}

static void
test_sim_unit__faults_change_the_measure(void)
{
	struct sim_unit	*u = sim_unit_new(2, &site, T0);
	struct sim_fault f;
	struct sim_elec	 e;

	f.kind = FAULT_REVERSED;
	f.arg = 2;
	sim_faults_add(&u->faults, &f);
	sim_unit_elec(u, &site, T0, &e);
	assert_sane_elec(&e);
	T_OK(e.p[1] < 0 && e.pf[1] < 0 && e.p[0] > 0 && e.p[2] > 0);
	sim_faults_clear(&u->faults);
	f.kind = FAULT_VN_SWAP;
	f.arg = 1;
	sim_faults_add(&u->faults, &f);
	sim_unit_elec(u, &site, T0, &e);
	T_OK(e.v[0] >= 22700 && e.v[0] <= 23300);
	T_OK(e.v[1] >= 38900 && e.v[1] <= 40500);
	T_OK(e.v[2] >= 38900 && e.v[2] <= 40500);
	T_OK(e.p[0] < 0);	/* the swapped phase reads N - L1 */
	sim_faults_clear(&u->faults);
	f.kind = FAULT_PHASE_LOSS;
	f.arg = 3;
	sim_faults_add(&u->faults, &f);
	sim_unit_elec(u, &site, T0, &e);
	assert_sane_elec(&e);
	T_EQ_INT(e.v[2], 0);
	T_EQ_INT(e.i[2], 0);
	T_EQ_INT(e.p[2], 0);
	T_EQ_INT(e.pf[2], 1000);
	T_OK(e.u[1] >= 22700 && e.u[1] <= 23300);	/* U23 = |V2 - 0| */
	sim_unit_free(u);
}

static void
test_sim_unit__energy_on_active_tariff_only(void)
{
	struct sim_unit	*u = sim_unit_new(3, &site, T0);
	uint64_t	 prev = 0, t1, t3, t4, e0;
	double		 t;

	assert_sane_energy(u, &prev);
	T_OK(prev >= 100000);		/* at least 1000 kWh */
	e0 = prev;
	u->tariff = 2;
	t1 = u->t_10wh[0];
	t3 = u->t_10wh[2];
	t4 = u->t_10wh[3];
	for (t = T0 + 1; t <= T0 + 7200; t += 1)
		sim_unit_advance(u, &site, t);
	assert_sane_energy(u, &prev);
	T_EQ_INT(u->t_10wh[0], t1);
	T_EQ_INT(u->t_10wh[2], t3);
	T_EQ_INT(u->t_10wh[3], t4);
	T_OK(prev > e0);		/* two hours of load */
	sim_unit_free(u);
}

static void
test_sim_unit__day_rolls_at_midnight(void)
{
	struct sim_unit	*u = sim_unit_new(4, &site, T0);
	uint64_t	 prev = 0, at_midnight = 0;
	double		 t, midnight = T0 + 18 * 3600;	/* next 00:00 UTC */
	int64_t		 key0 = u->day.key;

	for (t = T0 + 60; t <= midnight + 3600; t += 60) {
		sim_unit_advance(u, &site, t);
		assert_sane_energy(u, &prev);
		if (t < midnight)
			at_midnight = prev;
	}
	T_EQ_INT(u->day.key, key0 + 1);
	T_EQ_INT(u->week.key, (u->day.key + 5) / 7);	/* Wednesday to Thursday */
	/* The new day started within a minute of midnight. */
	T_OK(u->day.start_10wh >= at_midnight);
	T_OK(sim_unit_ea_10wh(u) - u->day.start_10wh < prev - at_midnight +
	    1000);
	/* Yesterday: at least the 18 hours we watched. */
	T_OK(u->day.prev_10wh > 0);
	sim_unit_free(u);
}

static void
test_sim_unit__clock_offset(void)
{
	struct sim_unit	*u = sim_unit_new(5, &site, T0);
	int64_t		 want;

	T_EQ_INT(sim_unit_clock(u, T0), (int64_t)T0 - SIM_UNIX_2000);
	want = sim_clock_from_fields(2030, 6, 15, 12, 34, 56);
	sim_unit_set_clock(u, &site, T0, want);
	T_EQ_INT(sim_unit_clock(u, T0), want);
	T_EQ_INT(sim_unit_clock(u, T0 + 10), want + 10);
	T_EQ_INT(sim_clock_from_fields(2030, 2, 29, 0, 0, 0), -1);
	T_EQ_INT(sim_clock_from_fields(2028, 2, 29, 0, 0, 0) % 86400, 0);
	sim_unit_free(u);
}

static void
test_sim_unit__seed_decides(void)
{
	struct sim_unit	*a = sim_unit_new(6, &site, T0);
	struct sim_unit	*b = sim_unit_new(6, &site, T0);
	struct sim_unit	*c = sim_unit_new(7, &site, T0);
	struct sim_elec	 ea, eb, ec;

	sim_unit_elec(a, &site, T0 + 33.3, &ea);
	sim_unit_elec(b, &site, T0 + 33.3, &eb);
	sim_unit_elec(c, &site, T0 + 33.3, &ec);
	T_OK(memcmp(&ea, &eb, sizeof ea) == 0);
	T_OK(memcmp(&ea, &ec, sizeof ea) != 0);
	T_EQ_INT(sim_unit_ea_10wh(a), sim_unit_ea_10wh(b));
	T_EQ_INT(a->lc.n, 7 * 96 - 8);
	T_EQ_INT(ea.f, ec.f);	/* one grid: same frequency */
	sim_unit_free(a);
	sim_unit_free(b);
	sim_unit_free(c);
}

int
main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	sim_site_init(&site, 12345, 1, T0);
	T_RUN(test_sim_unit__healthy_values_in_range);
	T_RUN(test_sim_unit__faults_change_the_measure);
	T_RUN(test_sim_unit__energy_on_active_tariff_only);
	T_RUN(test_sim_unit__day_rolls_at_midnight);
	T_RUN(test_sim_unit__clock_offset);
	T_RUN(test_sim_unit__seed_decides);
	return t_done();
}
