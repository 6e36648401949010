/*
 * sim-unit.c: the electrical model and the counters of one simulated E34.
 * The register encoding is sim-image.c's; writes are sim-write.c's; this
 * file only knows volts, amperes, watt-hours and clocks.
 *
 * Model (doc/simulator.md): phase voltages 230 V +- 3 V, 120 degrees apart;
 * currents from a daily profile scaled per unit (2..60 A per phase, slightly
 * unbalanced), lagging by acos(PF), PF 0.85..0.99. What the meter measures
 * is computed from phasors, so faults follow: a reversed current flips P and
 * Q of its phase, a voltage/neutral swap makes the other two phases read
 * about sqrt(3) x 230 V, a lost phase reads 0 V and 0 A.
 */
#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim-clock.h"
#include "sim-rand.h"
#include "sim-unit.h"

#define SIM_V_NOMINAL	230.0
#define SIM_F_NOMINAL	50.0
#define SIM_HIST_DAYS	62	/* energy history evaluated at start */
#define SIM_INT_STEP_S	300	/* integration step over the history */

/* Noise channels of sim_noise (per unit unless said). */
enum { CH_V = 1, CH_I_FAST = 4, CH_I_SLOW = 7, CH_PF = 8, CH_F = 11 };

/* Daily load profile: share of the unit's peak current at each hour. */
static const double sim_profile[24] = {
	0.35, 0.32, 0.30, 0.30, 0.32, 0.40, 0.55, 0.75, 0.90, 0.95, 1.00, 1.00,
	0.92, 0.95, 1.00, 0.98, 0.95, 0.90, 0.85, 0.80, 0.70, 0.60, 0.50, 0.40
};
#define SIM_WEEKEND	0.6	/* Saturday and Sunday draw less */

/* Per-phase state of the supply and the load at one instant. */
struct sim_phys {
	double	v[3];	/* V rms, phase to neutral */
	double	i[3];	/* A rms */
	double	phi[3];	/* current lag, rad */
	double	f;	/* Hz */
};

void
sim_site_init(struct sim_site *site, uint64_t seed, double speedup,
    double now)
{
	double	ago;

	memset(site, 0, sizeof *site);
	site->seed = seed;
	site->t0 = now;
	site->local0 = sim_clock_local2000(now);
	site->speedup = speedup;
	/* One 2-hour power cut 1.5 to 5.5 days ago, the same for the site. */
	ago = 86400.0 * (1.5 + 4.0 * sim_hash01(seed, 0xC07, 1));
	site->cut_start = (int64_t)(site->local0 - ago);
	site->cut_start -= site->cut_start % 60;
	site->cut_end = site->cut_start + 2 * 3600;
}

/* The profile at local time tl (s2000), interpolated between hours. */
static double
sim_unit_load(const struct sim_unit *u, double tl)
{
	double	t = tl + u->shift_s, tod, h, w;
	int64_t	day;
	int	k, dow;

	day = (int64_t)floor(t / 86400.0);
	tod = t - (double)day * 86400.0;
	h = tod / 3600.0;
	k = (int)h;
	if (k > 23)
		k = 23;
	w = h - k;
	dow = (int)(((day + 5) % 7 + 7) % 7);	/* 2000-01-01: Saturday */
	return (sim_profile[k] * (1 - w) + sim_profile[(k + 1) % 24] * w) *
	    (dow >= 5 ? SIM_WEEKEND : 1.0);
}

static double
sim_clamp(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Supply and load at local time tl; noisy 0 gives the smooth profile. */
static void
sim_unit_phys(const struct sim_unit *u, const struct sim_site *site,
    double tl, int noisy, struct sim_phys *ph)
{
	double	load, slow, dv;
	int	n;

	memset(ph, 0, sizeof *ph);
	if (tl >= (double)site->cut_start && tl < (double)site->cut_end)
		return;		/* power cut: nothing at all */
	load = sim_unit_load(u, tl);
	slow = noisy ? 0.06 * sim_noise(u->key, CH_I_SLOW, tl, 300) : 0;
	for (n = 0; n < 3; n++) {
		dv = noisy ? 2.0 * sim_noise(u->key, CH_V + n, tl, 45) : 0;
		ph->v[n] = SIM_V_NOMINAL + u->v_off[n] + dv;
		ph->i[n] = u->base_a * u->unbal[n] * load * (1 + slow +
		    (noisy ? 0.04 * sim_noise(u->key, CH_I_FAST + n, tl, 15) :
		    0));
		ph->phi[n] = acos(sim_clamp(u->pf_base[n] + (noisy ? 0.015 *
		    sim_noise(u->key, CH_PF + n, tl, 120) : 0), 0.85, 0.99));
	}
	ph->f = SIM_F_NOMINAL + (noisy ? 0.05 * sim_noise(site->seed, CH_F,
	    tl, 20) : 0);
}

/* What the meter measures, with the unit's wiring faults applied. */
static void
sim_unit_measure(const struct sim_unit *u, const struct sim_phys *ph,
    struct sim_elec *e)
{
	const struct sim_faults	*fs = &u->faults;
	double complex		 l[3], m[3], i[3], isum = 0, sc;
	double			 th, s;
	int			 n, k;

	memset(e, 0, sizeof *e);
	for (n = 0; n < 3; n++) {
		th = -2.0 * M_PI / 3.0 * n;	/* 0, -120, +120 degrees */
		l[n] = ph->v[n] * cexp(I * th);
		i[n] = ph->i[n] * cexp(I * (th - ph->phi[n]));
		if (fs->phase_loss & (1U << n))
			l[n] = i[n] = 0;
		if (fs->reversed & (1U << n))
			i[n] = -i[n];
		m[n] = l[n];
		isum += i[n];
	}
	for (k = 0; k < 3; k++)		/* the first swapped phase counts */
		if (fs->vn_swap & (1U << k)) {
			for (n = 0; n < 3; n++)
				m[n] = n == k ? -l[k] : l[n] - l[k];
			break;
		}
	for (n = 0; n < 3; n++) {
		sc = m[n] * conj(i[n]);
		s = cabs(m[n]) * cabs(i[n]);
		e->v[n] = llround(cabs(m[n]) * 100);
		e->u[n] = llround(cabs(m[n] - m[(n + 1) % 3]) * 100);
		e->i[n] = llround(cabs(i[n]) * 1000);
		e->p[n] = llround(creal(sc) / 10);
		e->q[n] = llround(cimag(sc) / 10);
		e->s[n] = llround(s / 10);
		e->pf[n] = s > 0 ? llround(1000 * creal(sc) / s) : 1000;
		e->p_sum += e->p[n];
		e->q_sum += e->q[n];
		e->s_sum += e->s[n];
	}
	e->in = llround(cabs(isum) * 1000);
	e->f = llround(ph->f * 100);
	e->pf_sum = e->s_sum > 0 ?
	    llround(1000.0 * (double)e->p_sum / (double)e->s_sum) : 1000;
}

/* Measured values at local time tl. */
static void
sim_unit_elec_at(const struct sim_unit *u, const struct sim_site *site,
    double tl, struct sim_elec *e)
{
	struct sim_phys	ph;

	sim_unit_phys(u, site, tl, 1, &ph);
	sim_unit_measure(u, &ph, e);
}

void
sim_unit_elec(const struct sim_unit *u, const struct sim_site *site,
    double now, struct sim_elec *e)
{
	sim_unit_elec_at(u, site, sim_clock_local2000(now), e);
}

/* Smooth active power (W) of a healthy meter at tl: for the history. */
static double
sim_unit_smooth_w(const struct sim_unit *u, const struct sim_site *site,
    double tl)
{
	struct sim_phys	ph;
	double		w = 0;
	int		n;

	sim_unit_phys(u, site, tl, 0, &ph);
	for (n = 0; n < 3; n++)
		w += ph.v[n] * ph.i[n] * cos(ph.phi[n]);
	return w;
}

/* Energy (Wh) of the smooth model over [a, b), local times. */
static double
sim_unit_history_wh(const struct sim_unit *u, const struct sim_site *site,
    double a, double b)
{
	double	wh = 0, t, step;

	for (t = a; t < b; t += SIM_INT_STEP_S) {
		step = b - t < SIM_INT_STEP_S ? b - t : SIM_INT_STEP_S;
		wh += sim_unit_smooth_w(u, site, t + step / 2) * step / 3600.0;
	}
	return wh;
}

struct sim_unit_ctx {
	const struct sim_unit	*u;
	const struct sim_site	*site;
};

/* Load-curve value of the history: smooth model, 3 samples. */
static double
sim_unit_avg_history(void *ctx, int64_t start, int64_t end)
{
	struct sim_unit_ctx	*c = ctx;
	double			 d = (double)(end - start), w = 0;
	int			 k;

	for (k = 0; k < 3; k++)
		w += sim_unit_smooth_w(c->u, c->site, (double)start +
		    d * (k + 0.5) / 3);
	return w / 3;
}

/* Load-curve value live: measured P+ with faults, 10 samples. */
static double
sim_unit_avg_live(void *ctx, int64_t start, int64_t end)
{
	struct sim_unit_ctx	*c = ctx;
	struct sim_elec		 e;
	double			 d = (double)(end - start), w = 0;
	int			 k;

	for (k = 0; k < 10; k++) {
		sim_unit_elec_at(c->u, c->site, (double)start +
		    d * (k + 0.5) / 10, &e);
		if (e.p_sum > 0)
			w += (double)e.p_sum * 10;
	}
	return w / 10;
}

uint64_t
sim_unit_ea_10wh(const struct sim_unit *u)
{
	return u->t_10wh[0] + u->t_10wh[1] + u->t_10wh[2] + u->t_10wh[3];
}

int64_t
sim_unit_clock(const struct sim_unit *u, double now)
{
	return (int64_t)floor(sim_clock_local2000(now) + u->clock_offset_s);
}

int64_t
sim_unit_curve_clock(const struct sim_unit *u, const struct sim_site *site,
    double now)
{
	return (int64_t)floor(site->local0 + site->speedup * (now - site->t0) +
	    u->clock_offset_s);
}

/* Day, week (from Monday) and month numbers of an s2000 wall clock. */
static void
sim_unit_calendar(int64_t w, int64_t *day, int64_t *week, int64_t *month)
{
	struct tm	tm;

	*day = w / 86400;
	*week = (*day + 5) / 7;		/* 2000-01-03 was a Monday */
	sim_clock_fields(w, &tm);
	*month = (int64_t)tm.tm_year * 12 + tm.tm_mon;
}

/*
 * Split the starting energies: the meter was installed long ago (a seeded
 * 1000..50000 kWh plus the modelled history) and T1 carried most of it.
 */
static void
sim_unit_seed_energy(struct sim_unit *u, const struct sim_site *site)
{
	static const double	 share[SIM_TARIFFS] = { 0, 0.25, 0.12, 0.05 };
	double			 tl = site->local0, wh, day0, d;
	uint64_t		 total, rest;
	int64_t			 dk, wk, mk, w = (int64_t)floor(tl);
	struct tm		 tm;
	int			 k;

	wh = 1000e3 + 49000e3 * sim_hash01(u->key, 40, 0) +
	    sim_unit_history_wh(u, site, tl - SIM_HIST_DAYS * 86400.0, tl);
	total = (uint64_t)(wh / 10);
	rest = total;
	for (k = 1; k < SIM_TARIFFS; k++) {
		u->t_10wh[k] = (uint64_t)((double)total * share[k] *
		    (0.8 + 0.4 * sim_hash01(u->key, 41, (uint64_t)k)));
		rest -= u->t_10wh[k];
	}
	u->t_10wh[0] = rest;
	u->er_10varh = (uint64_t)(wh * (0.25 + 0.2 * sim_hash01(u->key, 42,
	    0)) / 10);
	/* Day, week, month marks from the modelled history. */
	sim_unit_calendar(w, &dk, &wk, &mk);
	day0 = (double)(dk * 86400);
	u->day.key = dk;
	u->day.start_10wh = total - (uint64_t)(sim_unit_history_wh(u, site,
	    day0, tl) / 10);
	u->day.prev_10wh = (uint64_t)(sim_unit_history_wh(u, site,
	    day0 - 86400, day0) / 10);
	d = (double)((wk * 7 - 5) * 86400);	/* Monday 00:00 */
	u->week.key = wk;
	u->week.start_10wh = total - (uint64_t)(sim_unit_history_wh(u, site,
	    d, tl) / 10);
	u->week.prev_10wh = (uint64_t)(sim_unit_history_wh(u, site,
	    d - 7 * 86400, d) / 10);
	sim_clock_fields(w, &tm);
	d = (double)sim_clock_from_fields(tm.tm_year + 1900, tm.tm_mon + 1, 1,
	    0, 0, 0);
	u->month.key = mk;
	u->month.start_10wh = total - (uint64_t)(sim_unit_history_wh(u, site,
	    d, tl) / 10);
	if (tm.tm_mon == 0)
		day0 = (double)sim_clock_from_fields(tm.tm_year + 1899, 12, 1,
		    0, 0, 0);
	else
		day0 = (double)sim_clock_from_fields(tm.tm_year + 1900,
		    tm.tm_mon, 1, 0, 0, 0);
	u->month.prev_10wh = (uint64_t)(sim_unit_history_wh(u, site, day0,
	    d) / 10);
}

struct sim_unit *
sim_unit_new(int id, const struct sim_site *site, double now)
{
	struct sim_unit		*u;
	struct sim_unit_ctx	 c;
	int			 n;

	if ((u = calloc(1, sizeof *u)) == NULL)
		return NULL;
	u->id = id;
	u->key = sim_hash(site->seed, (uint64_t)id, 0x55);
	u->base_a = 2.5 + 49.5 * sim_hash01(u->key, 1, 0);
	u->shift_s = (sim_hash01(u->key, 2, 0) - 0.5) * 7200;
	for (n = 0; n < 3; n++) {
		u->unbal[n] = 0.85 + 0.30 * sim_hash01(u->key, 10, (uint64_t)n);
		u->pf_base[n] = 0.87 + 0.10 * sim_hash01(u->key, 20,
		    (uint64_t)n);
		u->v_off[n] = 2.0 * sim_hash01(u->key, 30, (uint64_t)n) - 1.0;
	}
	u->tariff = 1;
	u->serial[0] = (uint16_t)((0x20 + id % 6) << 8 | (1 + id % 52));
	u->serial[1] = (uint16_t)(0x3000 + id);
	u->serial[2] = (uint16_t)(10000 + id);
	u->last_t = now;
	sim_unit_seed_energy(u, site);
	sim_lc_init(&u->lc, SIM_LC_PERIOD_S);
	c.u = u;
	c.site = site;
	sim_lc_prefill(&u->lc, sim_unit_curve_clock(u, site, now),
	    SIM_LC_DAYS, site->cut_start, site->cut_end,
	    sim_unit_avg_history, &c);
	return u;
}

void
sim_unit_free(struct sim_unit *u)
{
	free(u);
}

/* Start a new day, week or month when the wall clock entered one. */
static void
sim_unit_roll(struct sim_span *sp, int64_t key, uint64_t total)
{
	if (key == sp->key)
		return;
	sp->prev_10wh = total - sp->start_10wh;
	sp->start_10wh = total;
	sp->key = key;
}

void
sim_unit_advance(struct sim_unit *u, const struct sim_site *site,
    double now)
{
	struct sim_unit_ctx	c = { .u = u, .site = site };
	struct sim_elec		e;
	double			dt = now - u->last_t;
	int64_t			dk, wk, mk, steps;

	if (dt <= 0)
		return;
	sim_unit_elec(u, site, now, &e);
	/* One direction only (leaflet): negative P does not count. */
	if (e.p_sum > 0)
		u->ea_rem_wh += (double)e.p_sum * 10 * dt / 3600.0;
	steps = (int64_t)(u->ea_rem_wh / 10);
	u->t_10wh[u->tariff - 1] += (uint64_t)steps;
	u->ea_rem_wh -= (double)steps * 10;
	if (e.q_sum > 0)
		u->er_rem_varh += (double)e.q_sum * 10 * dt / 3600.0;
	steps = (int64_t)(u->er_rem_varh / 10);
	u->er_10varh += (uint64_t)steps;
	u->er_rem_varh -= (double)steps * 10;
	u->last_t = now;
	sim_unit_calendar(sim_unit_clock(u, now), &dk, &wk, &mk);
	sim_unit_roll(&u->day, dk, sim_unit_ea_10wh(u));
	sim_unit_roll(&u->week, wk, sim_unit_ea_10wh(u));
	sim_unit_roll(&u->month, mk, sim_unit_ea_10wh(u));
	sim_lc_advance(&u->lc, sim_unit_curve_clock(u, site, now),
	    sim_unit_avg_live, &c);
}

void
sim_unit_set_clock(struct sim_unit *u, const struct sim_site *site,
    double now, int64_t s2000)
{
	u->clock_offset_s = (double)s2000 - floor(sim_clock_local2000(now));
	sim_lc_clock_jump(&u->lc, sim_unit_curve_clock(u, site, now));
}
