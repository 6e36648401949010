/*
 * test-meter.c: the meter model: samples and their statistics, ages, status
 * words, and the live checks (T = T1+T2+T3+T4, counters never going back,
 * the inferred wiring diagnosis) firing when they should and staying quiet
 * when they should not.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "meter.h"
#include "t.h"

static char			conf_name[] = "m1";
static struct meter_conf	conf = {
	.name = conf_name, .label = conf_name, .address = 1, .poll_ms = 1000
};

static struct meter *
new_meter(void)
{
	struct meter	*m;

	m = malloc(sizeof *m);
	if (m == NULL)
		abort();
	memset(m, 0xA5, sizeof *m);	/* meter_init must clear all of it */
	meter_init(m, &conf, 0, 1000);
	return m;
}

static void
put(struct meter *m, enum reg_id id, int64_t raw, int64_t now_ms)
{
	struct reg_value	v;

	memset(&v, 0, sizeof v);
	v.valid = 1;
	v.raw = raw;
	meter_store(m, id, &v, now_ms, 1700000000000LL + now_ms);
}

static void
put_invalid(struct meter *m, enum reg_id id, int64_t now_ms)
{
	struct reg_value	v;

	memset(&v, 0, sizeof v);
	meter_store(m, id, &v, now_ms, 1700000000000LL + now_ms);
}

/* Invariants of one sample: min <= avg <= max, trend within its ring. */
static void
assert_sane_sample(const struct reg_sample *s)
{
	if (s->n > 0) {
		T_OK(s->min <= s->max);
		T_OK(s->min * (int64_t)s->n <= s->sum);
		T_OK(s->sum <= s->max * (int64_t)s->n);
	}
}

static void
test_meter__init_knows_nothing(void)
{
	struct meter		*m = new_meter();
	struct wiring_diag	 d;
	char			 buf[32];
	int64_t			 raw = 7;
	int			 i;

	T_OK(m->conf == &conf);
	T_EQ_INT(m->status, MS_UNKNOWN);
	T_EQ_INT(m->stats.since_ms, 1000);
	for (i = 0; i < REG__COUNT; i++)
		T_OK(meter_get(m, (enum reg_id)i) == NULL);
	T_OK(meter_get(m, REG__COUNT) == NULL);
	T_EQ_INT(meter_raw(m, REG_V1, 2000, 0, &raw), 0);
	T_EQ_INT(raw, 7);
	T_EQ_INT(meter_age_ms(m, REG_V1, 2000), -1);
	T_EQ_STR(meter_status_word(m, buf, sizeof buf), "");
	T_EQ_INT(meter_tariffs_consistent(m), 1);
	T_EQ_INT(meter_energy_monotonic(m), 1);
	meter_wiring(m, 2000, &d);
	T_EQ_INT(d.known, 0);
	T_EQ_INT(d.nerr, 0);
	meter_release(m);
	free(m);
}

/* min, max and average over valid samples only; latest is the last one. */
static void
test_meter__min_max_avg(void)
{
	struct meter		*m = new_meter();
	const struct reg_sample	*s;
	int64_t			 raw;

	put(m, REG_V1, 23000, 2000);
	put(m, REG_V1, 23500, 3000);
	put_invalid(m, REG_V1, 4000);
	s = meter_get(m, REG_V1);
	T_OK(s != NULL);
	T_EQ_INT(s->v.valid, 0);
	T_EQ_INT(s->t_ms, 4000);
	T_EQ_INT(meter_raw(m, REG_V1, 4000, 0, &raw), 0);
	T_EQ_INT(s->n, 2);
	put(m, REG_V1, 22900, 5000);
	assert_sane_sample(s);
	T_EQ_INT(s->min, 22900);
	T_EQ_INT(s->max, 23500);
	T_EQ_INT(s->n, 3);
	T_EQ_INT(s->sum, 23000 + 23500 + 22900);
	T_EQ_INT(s->wall_ms, 1700000005000LL);
	T_EQ_INT(meter_raw(m, REG_V1, 5000, 0, &raw), 1);
	T_EQ_INT(raw, 22900);
	/* negative S32 values */
	put(m, REG_P, -500, 2000);
	put(m, REG_P, 300, 3000);
	s = meter_get(m, REG_P);
	T_EQ_INT(s->min, -500);
	T_EQ_INT(s->max, 300);
	T_EQ_INT(s->sum, -200);
	assert_sane_sample(s);
	meter_release(m);
	free(m);
}

/* The trend keeps the last 60 valid samples, clipped to int32. */
static void
test_meter__trend_ring(void)
{
	struct meter		*m = new_meter();
	int32_t			 tr[METER_TREND_LEN];
	int			 i;

	for (i = 0; i < 70; i++) {
		put(m, REG_F, 5000 + i, 2000 + i);
		assert_sane_sample(meter_get(m, REG_F));
	}
	T_EQ_INT(meter_trend(m, REG_F, tr, METER_TREND_LEN), METER_TREND_LEN);
	/* oldest first: the oldest kept sample is the 11th */
	T_EQ_INT(tr[0], 5000 + 10);
	T_EQ_INT(tr[METER_TREND_LEN - 1], 5000 + 69);
	put_invalid(m, REG_F, 3000);	/* a gap is not a sample */
	T_EQ_INT(meter_trend(m, REG_F, tr, METER_TREND_LEN), METER_TREND_LEN);
	T_EQ_INT(tr[METER_TREND_LEN - 1], 5000 + 69);
	/* fewer asked: the newest ones */
	T_EQ_INT(meter_trend(m, REG_F, tr, 2), 2);
	T_EQ_INT(tr[0], 5000 + 68);
	T_EQ_INT(tr[1], 5000 + 69);
	put(m, REG_EA_PLUS_TOTAL, 4294967294LL, 2000);
	T_EQ_INT(meter_trend(m, REG_EA_PLUS_TOTAL, tr, 1), 1);
	T_EQ_INT(tr[0], INT32_MAX);
	T_EQ_INT(meter_get(m, REG_EA_PLUS_TOTAL)->max, 4294967294LL);
	put(m, REG_P, INT64_MIN / 2, 2000);
	T_EQ_INT(meter_trend(m, REG_P, tr, 1), 1);
	T_EQ_INT(tr[0], INT32_MIN);
	/* strings and unscaled registers keep no trend */
	T_EQ_INT(meter_trend(m, REG_VENDOR_NAME, tr, METER_TREND_LEN), 0);
	meter_release(m);
	free(m);
}

/*
 * The compact trend (16 bits a point): exact while the ring spans at most
 * 65535 raw units; wider, each point within 2^shift of its value, a step
 * no sparkline of 8 levels shows. A new low and a jump both re-encode it.
 */
static void
test_meter__trend_compact(void)
{
	struct meter	*m = new_meter();
	int32_t		 tr[METER_TREND_LEN];
	int64_t		 want[METER_TREND_LEN + 20], err;
	int		 i, n;

	for (i = 0; i < 30; i++) {
		want[i] = 23000 + (i % 7) * 9000 - 2000 * (i == 12);
		put(m, REG_P1, want[i], 2000 + i);
	}
	n = meter_trend(m, REG_P1, tr, METER_TREND_LEN);
	T_EQ_INT(n, 30);
	for (i = 0; i < 30; i++)
		T_EQ_INT(tr[i], want[i]);	/* a new low at 12: exact */
	for (i = 30; i < METER_TREND_LEN + 20; i++) {
		want[i] = (i % 2) ? 2000000000 : -2000000000 + i;
		put(m, REG_P1, want[i], 2000 + i);
	}
	n = meter_trend(m, REG_P1, tr, METER_TREND_LEN);
	T_EQ_INT(n, METER_TREND_LEN);
	for (i = 0; i < n; i++) {
		err = tr[i] - want[20 + i];
		T_OK(err >= -(1 << 17) && err <= 0);
	}
	meter_release(m);
	free(m);
}

/*
 * A meter with a layout keeps only the layout's registers: others are
 * never stored and read as never read; the storage is far smaller than
 * one sample of every register of the map.
 */
static void
test_meter__layout_only_plan(void)
{
	struct meter_layout	 l;
	struct meter		 m;
	struct meter_conf	 c = { .poll_ms = 1000 };
	struct reg_value	 v = { .valid = 1, .raw = 23000 };
	int32_t			 tr[4];

	meter_layout_init(&l);
	meter_layout_add(&l, REG_V1, 0);
	meter_layout_add(&l, REG_V1, 1);
	meter_layout_add(&l, REG_VENDOR_NAME, 1);
	meter_layout_add(&l, REG_EA_PLUS_DAY_10WH, 0);	/* slow: no trend */
	T_EQ_INT(l.nslots, 3);
	T_EQ_INT(l.ntrends, 1);
	T_EQ_INT(meter_init_layout(&m, &c, &l, 0, 1000), 0);
	meter_store(&m, REG_V1, &v, 2000, 0);
	meter_store(&m, REG_V2, &v, 2000, 0);
	T_OK(meter_get(&m, REG_V1) != NULL);
	T_OK(meter_get(&m, REG_V2) == NULL);
	T_EQ_INT(meter_raw(&m, REG_V2, 2000, 0, NULL), 0);
	T_EQ_INT(meter_age_ms(&m, REG_V2, 2000), -1);
	T_EQ_INT(meter_trend(&m, REG_V1, tr, 4), 1);
	T_EQ_INT(meter_trend(&m, REG_V2, tr, 4), 0);
	T_OK(sizeof(struct reg_sample) <= 112);
	T_OK(sizeof(struct meter_trend) <= 136);
	meter_release(&m);
	meter_release(&m);	/* twice is harmless */
}

static void
test_meter__raw_and_age(void)
{
	struct meter	*m = new_meter();
	int64_t		 raw;

	put(m, REG_I1, 5000, 10000);
	T_EQ_INT(meter_age_ms(m, REG_I1, 10000), 0);
	T_EQ_INT(meter_age_ms(m, REG_I1, 10500), 500);
	T_EQ_INT(meter_age_ms(m, REG_I1, 9000), 0);
	T_EQ_INT(meter_raw(m, REG_I1, 10500, 0, &raw), 1);
	T_EQ_INT(meter_raw(m, REG_I1, 10500, 500, &raw), 1);
	T_EQ_INT(meter_raw(m, REG_I1, 10501, 500, &raw), 0);
	T_EQ_INT(meter_raw(m, REG_I1, 10501, 0, NULL), 1);
	/* a read at time 0 still counts as read */
	put(m, REG_I2, 7, 0);
	T_OK(meter_get(m, REG_I2) != NULL);
	T_EQ_INT(meter_raw(m, REG_I2, 0, 0, &raw), 1);
	T_EQ_INT(raw, 7);
	meter_release(m);
	free(m);
}

static void
test_meter__status_words(void)
{
	struct meter	*m = new_meter();
	char		 buf[32];

	m->status = MS_OK;
	T_EQ_STR(meter_status_word(m, buf, sizeof buf), "ok");
	m->status = MS_TIMEOUT;
	T_EQ_STR(meter_status_word(m, buf, sizeof buf), "timeout");
	m->status = MS_CRC;
	T_EQ_STR(meter_status_word(m, buf, sizeof buf), "crc");
	m->status = MS_EXCEPTION;
	m->exc_code = 2;
	T_EQ_STR(meter_status_word(m, buf, sizeof buf), "exception-2");
	m->exc_code = 11;
	T_EQ_STR(meter_status_word(m, buf, sizeof buf), "exception-11");
	T_EQ_STR(meter_status_word(m, NULL, 0), "exception");
	m->status = MS_IO;
	T_EQ_STR(meter_status_word(m, buf, sizeof buf), "io");
	m->status = MS_NOT_E34;
	T_EQ_STR(meter_status_word(m, buf, sizeof buf), "not-e34");
	T_EQ_STR(meter_status_word(m, NULL, 0), "not-e34");
	m->status = MS_UNKNOWN;
	T_EQ_STR(meter_status_word(m, buf, sizeof buf), "");
	meter_release(m);
	free(m);
}

static void
put_tariffs(struct meter *m, int64_t total, int64_t t1, int64_t t2,
    int64_t t3, int64_t t4, int64_t now_ms)
{
	put(m, REG_EA_PLUS_TOTAL_10WH, total, now_ms);
	put(m, REG_EA_PLUS_T1_10WH, t1, now_ms);
	put(m, REG_EA_PLUS_T2_10WH, t2, now_ms);
	put(m, REG_EA_PLUS_T3_10WH, t3, now_ms);
	put(m, REG_EA_PLUS_T4_10WH, t4, now_ms);
}

/* One cycle of the five 10 Wh counters, then the end-of-cycle checks. */
static void
cycle_tariffs(struct meter *m, int64_t total, int64_t t1, int64_t t2,
    int64_t t3, int64_t t4, int64_t now_ms)
{
	put_tariffs(m, total, t1, t2, t3, t4, now_ms);
	meter_cycle_end(m, now_ms, 0);
}

/*
 * T = T1+T2+T3+T4: truncation tolerated both ways, the time between the
 * two requests too, and a mismatch must persist METER_CONFIRM_READS cycles.
 */
static void
test_meter__tariffs_consistency(void)
{
	struct meter	*m = new_meter();
	int64_t		 t = 2000;
	int		 i;

	cycle_tariffs(m, 1000, 100, 200, 300, 400, t += 1000);
	T_EQ_INT(meter_tariffs_consistent(m), 1);
	/* each counter truncated to 10 Wh on its own: 3 counts either way */
	cycle_tariffs(m, 1003, 100, 200, 300, 400, t += 1000);
	T_EQ_INT(meter_tariffs_consistent(m), 1);
	cycle_tariffs(m, 1003, 101, 201, 301, 403, t += 1000);
	T_EQ_INT(meter_tariffs_consistent(m), 1);
	T_EQ_INT(m->tariff_bad_n, 0);
	/* 6 and 7 counts off: not an alarm yet */
	cycle_tariffs(m, 1003, 102, 202, 302, 403, t += 1000);
	T_EQ_INT(meter_tariffs_consistent(m), 1);
	cycle_tariffs(m, 1003, 102, 202, 302, 404, t += 1000);
	T_EQ_INT(meter_tariffs_consistent(m), 1);
	T_EQ_INT(m->tariff_bad_n, 2);
	/* a cycle that adds up starts the count again */
	cycle_tariffs(m, 1008, 102, 202, 302, 404, t += 1000);
	T_EQ_INT(m->tariff_bad_n, 0);
	/*
	 * The tariffs read 0.9 s after the total (slow answers) under a
	 * 100 kW load: T leads by 2.5 counts more than truncation gives.
	 */
	for (i = 0; i < 20; i++) {
		put_tariffs(m, 1010 + 3 * i, 107 + 3 * i, 202, 302, 404,
		    t += 1000);
		meter_cycle_end(m, t, 900);
		T_EQ_INT(meter_tariffs_consistent(m), 1);
	}
	T_EQ_INT(m->tariff_bad_n, 0);
	/* the same 5 counts within one instant: a real error, CHECK on the
	 * third cycle in a row */
	for (i = 0; i < METER_CONFIRM_READS; i++) {
		T_EQ_INT(meter_tariffs_consistent(m), 1);
		cycle_tariffs(m, 1067 + i, 164 + i, 202, 302, 404, t += 1000);
	}
	T_EQ_INT(meter_tariffs_consistent(m), 0);
	/* an unavailable tariff or a total from another cycle: no verdict */
	put_tariffs(m, 1070, 167, 202, 302, 404, t += 1000);
	put_invalid(m, REG_EA_PLUS_T3_10WH, t);
	meter_cycle_end(m, t, 0);
	T_EQ_INT(meter_tariffs_consistent(m), 0);
	put(m, REG_EA_PLUS_TOTAL_10WH, 1071, t + 1000);
	meter_cycle_end(m, t + 1000, 0);
	T_EQ_INT(meter_tariffs_consistent(m), 0);
	/* values that add up again clear it */
	cycle_tariffs(m, 1075, 167, 202, 302, 404, t += 2000);
	T_EQ_INT(meter_tariffs_consistent(m), 1);
	/* the kWh registers do not take part */
	put(m, REG_EA_PLUS_TOTAL, 5, t);
	put(m, REG_EA_PLUS_T1, 999, t);
	meter_cycle_end(m, t, 0);
	T_EQ_INT(meter_tariffs_consistent(m), 1);
	meter_release(m);
	free(m);
}

static int64_t
swapped(int64_t e)
{
	return ((e & 0xFFFF) << 16) | (e >> 16);
}

/*
 * A word-order error (the low word read as the high one) still raises
 * CHECK: with no load, the tariffs do not add up; under load, every count
 * moves a counter by 65536.
 */
static void
test_meter__tariffs_word_order(void)
{
	struct meter	*m = new_meter();
	int64_t		 t = 2000, e = 123456;
	int		 i;

	for (i = 0; i < METER_CONFIRM_READS; i++)
		cycle_tariffs(m, swapped(e), swapped(e / 2),
		    swapped(e - e / 2), 0, 0, t += 1000);
	T_EQ_INT(meter_tariffs_consistent(m), 0);
	T_EQ_INT(meter_energy_monotonic(m), 1);
	meter_release(m);
	free(m);
	m = new_meter();
	for (i = 0; i < 10; i++)
		cycle_tariffs(m, swapped(e + i), swapped(e + i), 0, 0, 0,
		    t += 1000);
	T_EQ_INT(meter_energy_monotonic(m), 0);
	meter_release(m);
	free(m);
}

/*
 * A counter that goes down, or leaps further than an E34 can count in the
 * time, is suspect: one such read (a stray frame) is dropped and flags
 * nothing; three in a row flag the meter; plausible reads clear it again.
 * A day counter may restart.
 */
static void
test_meter__energy_monotonic(void)
{
	struct meter		*m = new_meter();
	const struct reg_sample	*s;
	int			 i;

	put(m, REG_EA_PLUS_TOTAL_10WH, 1000, 2000);
	put(m, REG_EA_PLUS_TOTAL_10WH, 1000, 3000);
	put(m, REG_EA_PLUS_TOTAL_10WH, 1001, 4000);
	put_invalid(m, REG_EA_PLUS_TOTAL_10WH, 5000);
	T_EQ_INT(meter_energy_monotonic(m), 1);
	/* the day counter restarts at midnight: not a fault */
	put(m, REG_EA_PLUS_DAY_10WH, 5000, 2000);
	put(m, REG_EA_PLUS_DAY_10WH, 0, 3000);
	put(m, REG_V1, 23000, 2000);
	put(m, REG_V1, 22000, 3000);
	T_EQ_INT(meter_energy_monotonic(m), 1);
	/* lower than before, even across a missing reading: suspect */
	put(m, REG_EA_PLUS_T2_10WH, 700, 2000);
	put_invalid(m, REG_EA_PLUS_T2_10WH, 3000);
	put(m, REG_EA_PLUS_T2_10WH, 699, 4000);
	T_EQ_INT(meter_energy_monotonic(m), 1);
	put(m, REG_EA_PLUS_T2_10WH, 699, 5000);
	T_EQ_INT(meter_energy_monotonic(m), 1);
	put(m, REG_EA_PLUS_T2_10WH, 698, 6000);
	T_EQ_INT(meter_energy_monotonic(m), 0);
	T_EQ_INT(m->energy_backwards_id, REG_EA_PLUS_T2_10WH);
	T_EQ_INT(m->energy_backwards_from, 700);
	s = meter_get(m, REG_EA_PLUS_T2_10WH);
	T_EQ_INT(s->v.raw, 698);
	T_EQ_INT(s->max, 698);	/* statistics restart from the new count */
	/* it stays flagged while reads are few, then clears */
	for (i = 1; i < METER_CLEAR_READS; i++) {
		put(m, REG_EA_PLUS_T2_10WH, 698 + i, 6000 + 1000 * i);
		T_EQ_INT(meter_energy_monotonic(m), 0);
	}
	put(m, REG_EA_PLUS_T2_10WH, 800, 6000 + 1000 * i + 60000);
	T_EQ_INT(meter_energy_monotonic(m), 1);
	meter_release(m);
	meter_init(m, &conf, 0, 7000);
	T_EQ_INT(meter_energy_monotonic(m), 1);
	put(m, REG_EA_PLUS_TOTAL, 10, 8000);
	for (i = 0; i < METER_CONFIRM_READS; i++)
		put(m, REG_EA_PLUS_TOTAL, 9, 9000 + i * 1000);
	T_EQ_INT(meter_energy_monotonic(m), 0);
	T_EQ_INT(m->energy_backwards_id, REG_EA_PLUS_TOTAL);
	meter_release(m);
	free(m);
}

/*
 * Issue 8: one stray frame with a valid CRC (999999.99 kWh), then normal
 * values: no alarm, min/max untouched, the value goes on from the good one.
 */
static void
test_meter__stray_read_dropped(void)
{
	struct meter		*m = new_meter();
	const struct reg_sample	*s;
	int64_t			 t = 2000;
	int			 i;

	for (i = 0; i < 5; i++)
		cycle_tariffs(m, 4605170 + i, 4605170 + i, 0, 0, 0, t += 1000);
	cycle_tariffs(m, 99999999, 99999999, 0, 0, 0, t += 1000);
	T_EQ_INT(meter_energy_monotonic(m), 1);
	T_EQ_INT(meter_tariffs_consistent(m), 1);
	s = meter_get(m, REG_EA_PLUS_TOTAL_10WH);
	T_EQ_INT(s->v.raw, 4605174);	/* the last good one, aging */
	T_EQ_INT(s->max, 4605174);
	T_OK(s->t_ms < t);
	for (i = 5; i < 30; i++)
		cycle_tariffs(m, 4605170 + i, 4605170 + i, 0, 0, 0, t += 1000);
	T_EQ_INT(meter_energy_monotonic(m), 1);
	T_EQ_INT(meter_tariffs_consistent(m), 1);
	T_EQ_INT(s->max, 4605199);
	T_EQ_INT(s->min, 4605170);
	T_EQ_INT(s->t_ms, t);
	assert_sane_sample(s);
	/* 2 counts more than 120 kW give in 1 s (3.3 Wh) is still believed
	 * after a long gap: the bound grows with the time */
	put(m, REG_EA_PLUS_TOTAL_10WH, 4605199 + 3333 + 2, t + 1000000);
	T_EQ_INT(s->v.raw, 4605199 + 3333 + 2);
	put(m, REG_EA_PLUS_TOTAL_10WH, 4605199 + 3333 + 100, t + 1001000);
	T_EQ_INT(s->v.raw, 4605199 + 3333 + 2);
	T_EQ_INT(meter_energy_monotonic(m), 1);
	meter_release(m);
	free(m);
}

/*
 * A value no E34 can give (a frequency below 0 read as a U32, |PF| > 1) is
 * kept as not available, leaves the statistics alone and marks its cycle,
 * so the meter is not fresh for the exporters; the next plausible cycle
 * clears it. 0 Hz (no voltage) and PF -1.000 are possible.
 */
static void
test_meter__implausible_values(void)
{
	struct meter		*m = new_meter();
	const struct reg_sample	*s;

	put(m, REG_F, 5000, 2000);
	m->last_cycle_ms = 2000;
	T_EQ_INT(meter_values_plausible(m), 1);
	put(m, REG_F, 4294962296LL, 3000);	/* -50.00 Hz as a U32 */
	put(m, REG_PF1, -1001, 3000);
	m->last_cycle_ms = 3000;
	s = meter_get(m, REG_F);
	T_EQ_INT(s->v.valid, 0);
	T_EQ_INT(s->max, 5000);
	T_EQ_INT(s->n, 1);
	T_EQ_INT(meter_get(m, REG_PF1)->v.valid, 0);
	T_EQ_INT(meter_values_plausible(m), 0);
	m->status = MS_OK;
	m->ident.is_e34 = 1;
	m->last_ok_ms = 3000;
	T_EQ_INT(meter_fresh(m, 3100, 1000, 300), 0);
	put(m, REG_F, 0, 4000);
	put(m, REG_PF1, -1000, 4000);
	m->last_cycle_ms = m->last_ok_ms = 4000;
	T_EQ_INT(meter_get(m, REG_F)->v.valid, 1);
	T_EQ_INT(meter_get(m, REG_PF1)->v.valid, 1);
	T_EQ_INT(meter_values_plausible(m), 1);
	T_EQ_INT(meter_fresh(m, 4100, 1000, 300), 1);
	meter_release(m);
	free(m);
}

/* Store one cycle of V (0.01 V), I (mA) and P (10 W) for three phases. */
static void
put_phases(struct meter *m, const int64_t v[3], const int64_t i[3],
    const int64_t p[3], int64_t now_ms)
{
	static const enum reg_id vid[3] = { REG_V1, REG_V2, REG_V3 };
	static const enum reg_id iid[3] = { REG_I1, REG_I2, REG_I3 };
	static const enum reg_id pid[3] = { REG_P1, REG_P2, REG_P3 };
	int	n;

	for (n = 0; n < 3; n++) {
		put(m, vid[n], v[n], now_ms);
		put(m, iid[n], i[n], now_ms);
		put(m, pid[n], p[n], now_ms);
	}
}

static void
assert_sane_diag(const struct wiring_diag *d)
{
	int	k;

	T_OK(d->nerr >= 0 && d->nerr <= 8);
	for (k = 0; k < d->nerr; k++) {
		int c = d->err_codes[k];
		T_OK(c == 0 || (c >= 1 && c <= 3) || (c >= 7 && c <= 9));
		if (c == 0)
			T_EQ_INT(d->nerr, 1);
	}
	if (!d->known)
		T_EQ_INT(d->nerr, 0);
}

static void
test_meter__wiring_healthy(void)
{
	struct meter		*m = new_meter();
	struct wiring_diag	 d;
	const int64_t		 v[3] = { 23000, 23100, 22950 };
	const int64_t		 i[3] = { 10000, 9000, 11000 };
	const int64_t		 p[3] = { 200, 180, 230 };

	put_phases(m, v, i, p, 2000);
	meter_wiring(m, 2500, &d);
	assert_sane_diag(&d);
	T_EQ_INT(d.known, 1);
	T_EQ_INT(d.phase_present[0] && d.phase_present[1] &&
	    d.phase_present[2], 1);
	T_EQ_INT(d.current_reversed[0] + d.current_reversed[1] +
	    d.current_reversed[2], 0);
	T_EQ_INT(d.vn_swapped[0] + d.vn_swapped[1] + d.vn_swapped[2], 0);
	T_EQ_INT(d.nerr, 1);
	T_EQ_INT(d.err_codes[0], 0);
	meter_release(m);
	free(m);
}

/* reversed=2: P2 < 0 with current flowing gives Err 2, and nothing else. */
static void
test_meter__wiring_reversed_2(void)
{
	struct meter		*m = new_meter();
	struct wiring_diag	 d;
	int64_t			 v[3] = { 23000, 23000, 23000 };
	int64_t			 i[3] = { 10000, 10000, 10000 };
	int64_t			 p[3] = { 200, -200, 200 };

	put_phases(m, v, i, p, 2000);
	meter_wiring(m, 2000, &d);
	assert_sane_diag(&d);
	T_EQ_INT(d.known, 1);
	T_EQ_INT(d.current_reversed[1], 1);
	T_EQ_INT(d.current_reversed[0] + d.current_reversed[2], 0);
	T_EQ_INT(d.nerr, 1);
	T_EQ_INT(d.err_codes[0], 2);
	/* phases 1 and 3 as well */
	p[0] = -1;
	p[2] = -300;
	put_phases(m, v, i, p, 3000);
	meter_wiring(m, 3000, &d);
	T_EQ_INT(d.nerr, 3);
	T_EQ_INT(d.err_codes[0], 1);
	T_EQ_INT(d.err_codes[1], 2);
	T_EQ_INT(d.err_codes[2], 3);
	/* no current flowing (0.1 A or less): a negative P is noise */
	p[0] = p[2] = 200;
	i[1] = 100;
	put_phases(m, v, i, p, 4000);
	meter_wiring(m, 4000, &d);
	assert_sane_diag(&d);
	T_EQ_INT(d.current_reversed[1], 0);
	T_EQ_INT(d.err_codes[0], 0);
	i[1] = 101;
	put_phases(m, v, i, p, 5000);
	meter_wiring(m, 5000, &d);
	T_EQ_INT(d.err_codes[0], 2);
	meter_release(m);
	free(m);
}

/*
 * vn-swap=1: phase 1 on the N terminal, so V1 reads a phase voltage and
 * V2, V3 read line-to-line (400 V); P1 comes out negative too, which the
 * swap explains: Err 7 alone.
 */
static void
test_meter__wiring_vn_swap_1(void)
{
	struct meter		*m = new_meter();
	struct wiring_diag	 d;
	int64_t			 v[3] = { 23000, 39840, 39840 };
	int64_t			 i[3] = { 10000, 10000, 10000 };
	int64_t			 p[3] = { -200, 150, 120 };

	put_phases(m, v, i, p, 2000);
	meter_wiring(m, 2000, &d);
	assert_sane_diag(&d);
	T_EQ_INT(d.known, 1);
	T_EQ_INT(d.vn_swapped[0], 1);
	T_EQ_INT(d.vn_swapped[1] + d.vn_swapped[2], 0);
	T_EQ_INT(d.current_reversed[0], 0);
	T_EQ_INT(d.nerr, 1);
	T_EQ_INT(d.err_codes[0], 7);
	/* the same at phase 3 gives Err 9; with P2 reversed, Err 2 and 9 */
	v[0] = 39840; v[1] = 39840; v[2] = 23000;
	p[0] = 150; p[1] = -150; p[2] = -200;
	put_phases(m, v, i, p, 3000);
	meter_wiring(m, 3000, &d);
	assert_sane_diag(&d);
	T_EQ_INT(d.nerr, 2);
	T_EQ_INT(d.err_codes[0], 2);
	T_EQ_INT(d.err_codes[1], 9);
	meter_release(m);
	free(m);
}

/* The ratio rule at its edges: 1.5 to 2.0 times the phase's own voltage. */
static void
test_meter__wiring_vn_swap_bounds(void)
{
	struct meter		*m = new_meter();
	struct wiring_diag	 d;
	int64_t			 v[3] = { 20000, 30000, 40000 };
	const int64_t		 i[3] = { 10000, 10000, 10000 };
	const int64_t		 p[3] = { 200, 200, 200 };

	put_phases(m, v, i, p, 2000);
	meter_wiring(m, 2000, &d);
	T_EQ_INT(d.vn_swapped[0], 1);
	v[1] = 29999;
	put_phases(m, v, i, p, 3000);
	meter_wiring(m, 3000, &d);
	T_EQ_INT(d.vn_swapped[0], 0);
	v[1] = 30000;
	v[2] = 40001;
	put_phases(m, v, i, p, 4000);
	meter_wiring(m, 4000, &d);
	T_EQ_INT(d.vn_swapped[0], 0);
	/* a phase at 150 V or less is absent and cannot be the swapped one */
	v[0] = 15000; v[1] = 25000; v[2] = 25000;
	put_phases(m, v, i, p, 5000);
	meter_wiring(m, 5000, &d);
	T_EQ_INT(d.phase_present[0], 0);
	T_EQ_INT(d.vn_swapped[0], 0);
	v[0] = 15001;
	put_phases(m, v, i, p, 6000);
	meter_wiring(m, 6000, &d);
	T_EQ_INT(d.phase_present[0], 1);
	T_EQ_INT(d.vn_swapped[0], 1);
	meter_release(m);
	free(m);
}

/* phase-loss=3: pictogram 3 off, no Err code and no "Err 0" either. */
static void
test_meter__wiring_phase_loss_3(void)
{
	struct meter		*m = new_meter();
	struct wiring_diag	 d;
	const int64_t		 v[3] = { 23000, 23000, 0 };
	const int64_t		 i[3] = { 10000, 10000, 0 };
	const int64_t		 p[3] = { 200, 200, 0 };

	put_phases(m, v, i, p, 2000);
	meter_wiring(m, 2000, &d);
	assert_sane_diag(&d);
	T_EQ_INT(d.known, 1);
	T_EQ_INT(d.phase_present[0], 1);
	T_EQ_INT(d.phase_present[1], 1);
	T_EQ_INT(d.phase_present[2], 0);
	T_EQ_INT(d.vn_swapped[0] + d.vn_swapped[1] + d.vn_swapped[2], 0);
	T_EQ_INT(d.nerr, 0);
	meter_release(m);
	free(m);
}

/* Missing, unavailable or stale readings: nothing is inferred. */
static void
test_meter__wiring_unknown(void)
{
	struct meter		*m = new_meter();
	struct wiring_diag	 d;
	const int64_t		 v[3] = { 23000, 23000, 23000 };
	const int64_t		 i[3] = { 10000, 10000, 10000 };
	const int64_t		 p[3] = { 200, -200, 200 };

	put(m, REG_V1, 23000, 2000);
	put(m, REG_V2, 23000, 2000);
	put(m, REG_V3, 23000, 2000);
	meter_wiring(m, 2000, &d);
	T_EQ_INT(d.known, 0);
	put_phases(m, v, i, p, 3000);
	put_invalid(m, REG_P3, 3000);
	meter_wiring(m, 3000, &d);
	assert_sane_diag(&d);
	T_EQ_INT(d.known, 0);
	T_EQ_INT(d.current_reversed[1], 0);
	put_phases(m, v, i, p, 4000);
	meter_wiring(m, 4000 + 4000, &d);	/* 3 poll periods + 1 s */
	T_EQ_INT(d.known, 1);
	meter_wiring(m, 4000 + 4001, &d);
	assert_sane_diag(&d);
	T_EQ_INT(d.known, 0);
	meter_release(m);
	free(m);
}

int
main(void)
{
	T_RUN(test_meter__init_knows_nothing);
	T_RUN(test_meter__min_max_avg);
	T_RUN(test_meter__trend_ring);
	T_RUN(test_meter__trend_compact);
	T_RUN(test_meter__layout_only_plan);
	T_RUN(test_meter__raw_and_age);
	T_RUN(test_meter__status_words);
	T_RUN(test_meter__tariffs_consistency);
	T_RUN(test_meter__energy_monotonic);
	T_RUN(test_meter__tariffs_word_order);
	T_RUN(test_meter__stray_read_dropped);
	T_RUN(test_meter__implausible_values);
	T_RUN(test_meter__wiring_healthy);
	T_RUN(test_meter__wiring_reversed_2);
	T_RUN(test_meter__wiring_vn_swap_1);
	T_RUN(test_meter__wiring_vn_swap_bounds);
	T_RUN(test_meter__wiring_phase_loss_3);
	T_RUN(test_meter__wiring_unknown);
	return t_done();
}
