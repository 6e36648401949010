/*
 * meter.c: what the console knows about one meter, and what it infers.
 *
 * Model only (no curses, no modbus): the engine stores decoded values here
 * on the loop thread; screens and the CSV read them through const pointers.
 * This file keeps per-register statistics (min, max, average, a trend ring)
 * and derives the live checks the LCD screen and the commissioning screen
 * show: T = T1+T2+T3+T4, counters that never go back, and the wiring
 * diagnosis the meter itself cannot give over Modbus (PRODUCT.md, "Talking
 * to the meter"). Reading and decoding belong to engine.c and regdecode.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "health.h"
#include "meter.h"

/* Wiring thresholds, in raw register units (register map scales). */
#define WIRING_V_PRESENT	15000	/* V1..V3 in 0.01 V: 150 V */
#define WIRING_I_FLOWING	100	/* I1..I3 in mA: 0.1 A */

/*
 * Counters that only ever grow on an E34: total and per-tariff energies in
 * every resolution. Day, week and month counters restart with their period
 * and partial counters can be reset (E44), so they are not listed; a
 * counter rolling over at overflow_value (0x9000) is reported as a decrease.
 */
static const enum reg_id meter_growing[] = {
	REG_EA_PLUS_TOTAL, REG_ER_PLUS_TOTAL, REG_EA_MINUS_TOTAL,
	REG_ER_MINUS_TOTAL,
	REG_EA_PLUS_TOTAL_10WH, REG_ER_PLUS_TOTAL_10VARH,
	REG_EA_MINUS_TOTAL_10WH,
	REG_EA_PLUS_TOTAL_MWH, REG_ER_PLUS_TOTAL_MVARH, REG_EA_MINUS_TOTAL_MWH,
	REG_EA_PLUS_T1, REG_EA_PLUS_T2, REG_EA_PLUS_T3, REG_EA_PLUS_T4,
	REG_EA_PLUS_T1_10WH, REG_EA_PLUS_T2_10WH, REG_EA_PLUS_T3_10WH,
	REG_EA_PLUS_T4_10WH,
	REG_ER_PLUS_T1
};

/* The 10 Wh tariff registers of the LCD's T = T1+T2+T3+T4. */
static const enum reg_id meter_tariff_10wh[] = {
	REG_EA_PLUS_T1_10WH, REG_EA_PLUS_T2_10WH, REG_EA_PLUS_T3_10WH,
	REG_EA_PLUS_T4_10WH
};

/*
 * Values an E34 cannot give, though they are valid Modbus: a frequency
 * outside 0..100 Hz (a U32 that went "negative"), a power factor beyond
 * +-1. Raw units of the register map (0.01 Hz, 0.001).
 */
static const struct meter_range {
	enum reg_id	id;
	int64_t		lo, hi;
} meter_ranges[] = {
	{ REG_F, 0, 10000 },
	{ REG_PF, -1000, 1000 },
	{ REG_PF1, -1000, 1000 },
	{ REG_PF2, -1000, 1000 },
	{ REG_PF3, -1000, 1000 }
};

static const enum reg_id meter_wiring_v[3] = { REG_V1, REG_V2, REG_V3 };
static const enum reg_id meter_wiring_i[3] = { REG_I1, REG_I2, REG_I3 };
static const enum reg_id meter_wiring_p[3] = { REG_P1, REG_P2, REG_P3 };

void
meter_layout_init(struct meter_layout *l)
{
	memset(l->slot, 0xff, sizeof l->slot);		/* -1: none */
	memset(l->tslot, 0xff, sizeof l->tslot);
	l->nslots = l->ntrends = 0;
}

/* The Measurements screen draws min, max, average and a sparkline for
 * integer registers with a scale (screen-measure.c): only they keep a trend. */
int
meter_reg_has_trend(const struct reg_def *d)
{
	switch (d->type) {
	case REG_T_U8:
	case REG_T_U16:
	case REG_T_S16:
	case REG_T_U32:
	case REG_T_S32:
		return d->has_scale;
	default:
		return 0;
	}
}

void
meter_layout_add(struct meter_layout *l, enum reg_id id, int trend)
{
	if ((unsigned)id >= REG__COUNT)
		return;
	if (l->slot[id] < 0)
		l->slot[id] = (int16_t)l->nslots++;
	if (trend && l->tslot[id] < 0 && meter_reg_has_trend(regmap_get(id)))
		l->tslot[id] = (int16_t)l->ntrends++;
}

/*
 * Storage is one block: the samples, then the trend rings, each as large
 * as the layout says; without a layout the meter owns one of every
 * register (unit tests, tools).
 */
int
meter_init_layout(struct meter *m, const struct meter_conf *conf,
    const struct meter_layout *layout, int index, int64_t now_ms)
{
	size_t	vsz, tsz;
	int	i;
	char	*blk;

	memset(m, 0, sizeof *m);
	m->conf = conf;
	m->index = index;
	m->status = MS_UNKNOWN;
	m->need_ident = 1;	/* nothing is known of the unit yet */
	stats_init(&m->stats, now_ms);
	if (layout == NULL) {
		if ((m->own_layout = malloc(sizeof *m->own_layout)) == NULL)
			return -1;
		meter_layout_init(m->own_layout);
		for (i = 0; i < REG__COUNT; i++)
			meter_layout_add(m->own_layout, (enum reg_id)i, 1);
		layout = m->own_layout;
	}
	m->layout = layout;
	vsz = (size_t)layout->nslots * sizeof *m->vals;
	tsz = (size_t)layout->ntrends * sizeof *m->trends;
	if ((blk = calloc(1, vsz + tsz + 1)) == NULL) {
		meter_release(m);
		return -1;
	}
	m->vals = (struct reg_sample *)(void *)blk;
	m->trends = (struct meter_trend *)(void *)(blk + vsz);
	return 0;
}

int
meter_init(struct meter *m, const struct meter_conf *conf, int index,
    int64_t now_ms)
{
	return meter_init_layout(m, conf, NULL, index, now_ms);
}

void
meter_release(struct meter *m)
{
	if (m == NULL)
		return;
	free(m->vals);		/* the block: samples and trends */
	free(m->own_layout);
	m->vals = NULL;
	m->trends = NULL;
	m->own_layout = NULL;
	m->layout = NULL;
}

/* id's sample and trend ring (NULL when the layout keeps none). */
static struct reg_sample *
meter_slot(const struct meter *m, enum reg_id id)
{
	if ((unsigned)id >= REG__COUNT || m->layout == NULL ||
	    m->layout->slot[id] < 0)
		return NULL;
	return &m->vals[m->layout->slot[id]];
}

static struct meter_trend *
meter_tslot(const struct meter *m, enum reg_id id)
{
	if ((unsigned)id >= REG__COUNT || m->layout == NULL ||
	    m->layout->tslot[id] < 0)
		return NULL;
	return &m->trends[m->layout->tslot[id]];
}

static int
meter_counter_grows(enum reg_id id)
{
	size_t	i;

	for (i = 0; i < sizeof meter_growing / sizeof meter_growing[0]; i++) {
		if (meter_growing[i] == id)
			return 1;
	}
	return 0;
}

/*
 * The most a counter of id can advance in dt_ms, in raw units: what
 * METER_P_MAX_W gives over the time, plus 2 for the truncation of the two
 * reads compared. Raw units in mWh: 10^(scale_exp + 6) for a kWh or kvarh
 * register, 10^(scale_exp + 9) for MWh or Mvarh.
 */
static int64_t
meter_energy_bound(enum reg_id id, int64_t dt_ms)
{
	const struct reg_def	*d = regmap_get(id);
	int64_t			 unit_mwh = 1;
	int			 e;

	e = (d->has_scale ? d->scale_exp : 0) + 6 +
	    (d->unit != NULL && d->unit[0] == 'M' ? 3 : 0);
	while (e-- > 0)
		unit_mwh *= 10;
	if (dt_ms < 0)
		dt_ms = 0;
	if (dt_ms > 100000000000LL)	/* three years: no overflow below */
		dt_ms = 100000000000LL;
	return METER_P_MAX_W * dt_ms / 3600 / unit_mwh + 2;
}

/* 0 when raw is a value id cannot hold on an E34 (meter_ranges). */
static int
meter_in_range(enum reg_id id, int64_t raw)
{
	size_t	i;

	for (i = 0; i < sizeof meter_ranges / sizeof meter_ranges[0]; i++) {
		if (meter_ranges[i].id == id)
			return raw >= meter_ranges[i].lo &&
			    raw <= meter_ranges[i].hi;
	}
	return 1;
}

/*
 * Judge a read of a counter that only grows against its last accepted
 * value. Returns 1 to store it, 0 to drop it. A read lower than before, or
 * higher than the meter can count since, is suspect (a stray frame, a
 * misread): dropped, and only METER_CONFIRM_READS of them in a row are
 * believed (a replaced meter, a wrong word order): then the alarm is raised
 * and the counter's statistics restart from that read.
 */
static int
meter_energy_judge(struct meter *m, enum reg_id id, struct reg_sample *s,
    int64_t raw, int64_t now_ms)
{
	struct meter_trend	*t;

	if (s->n == 0)
		return 1;
	if (raw >= s->max && raw - s->max <= meter_energy_bound(id,
	    now_ms - s->good_ms)) {
		s->suspect_n = 0;
		if (m->energy_backwards && m->energy_backwards_id == id &&
		    ++m->energy_good_n >= METER_CLEAR_READS)
			m->energy_backwards = 0;
		return 1;
	}
	if (++s->suspect_n < METER_CONFIRM_READS)
		return 0;
	if (!m->energy_backwards || m->energy_backwards_id == id) {
		m->energy_backwards = 1;
		m->energy_backwards_id = id;
		m->energy_backwards_from = s->max;
	}
	m->energy_good_n = 0;
	s->suspect_n = 0;
	s->n = 0;
	s->sum = 0;
	if ((t = meter_tslot(m, id)) != NULL)
		t->n = t->head = 0;
	return 1;
}

/* Point i of t (0: oldest), raw. */
static int64_t
meter_trend_at(const struct meter_trend *t, int i)
{
	int	k = (t->head - t->n + i + 2 * METER_TREND_LEN) % METER_TREND_LEN;

	return t->base + ((int64_t)t->pt[k] << t->shift);
}

/*
 * Re-encode t's points with raw among them: base becomes the lowest, shift
 * the least that fits the spread in 16 bits. Runs when a sample falls
 * outside what the ring can hold (rare: a new low, or the spread doubled).
 */
static void
meter_trend_rebase(struct meter_trend *t, int64_t raw)
{
	int64_t	pts[METER_TREND_LEN], lo = raw, hi = raw;
	int	i, n = t->n;

	for (i = 0; i < n; i++) {
		pts[i] = meter_trend_at(t, i);
		if (pts[i] < lo)
			lo = pts[i];
		if (pts[i] > hi)
			hi = pts[i];
	}
	t->base = lo;
	t->shift = 0;
	while ((uint64_t)(hi - lo) >> t->shift > UINT16_MAX)
		t->shift++;
	for (i = 0; i < n; i++)
		t->pt[(t->head - n + i + 2 * METER_TREND_LEN) %
		    METER_TREND_LEN] = (uint16_t)((uint64_t)(pts[i] - lo) >>
		    t->shift);
}

/* Append raw (clipped to int32, as the sparkline draws it) to t. */
static void
meter_trend_push(struct meter_trend *t, int64_t raw)
{
	if (raw > INT32_MAX)
		raw = INT32_MAX;
	else if (raw < INT32_MIN)
		raw = INT32_MIN;
	if (t->n == 0) {
		t->base = raw;
		t->shift = 0;
	} else if (raw < t->base ||
	    (uint64_t)(raw - t->base) >> t->shift > UINT16_MAX) {
		/* the oldest point leaves when the ring is full */
		if (t->n == METER_TREND_LEN)
			t->n--;
		meter_trend_rebase(t, raw);
	}
	t->pt[t->head] = (uint16_t)((uint64_t)(raw - t->base) >> t->shift);
	t->head = (uint8_t)((t->head + 1) % METER_TREND_LEN);
	if (t->n < METER_TREND_LEN)
		t->n++;
}

/*
 * Keep v as id's latest value. Statistics and the trend count valid samples
 * only: a "not available" reading is shown as such, never averaged as 0.
 * A suspect read of a counter that only grows is dropped (see
 * meter_energy_judge): the counter keeps its last good value and ages.
 * A value no E34 can give (meter_ranges) is kept as "not available" and
 * marks the cycle (meter_values_plausible).
 * t_ms 0 means "never read", so a read at time 0 is stored as 1.
 */
void
meter_store(struct meter *m, enum reg_id id, const struct reg_value *v,
    int64_t now_ms, int64_t wall_ms)
{
	struct reg_sample	*s;
	struct meter_trend	*t;
	struct reg_value	 na;
	int64_t			 sum;

	if (v == NULL || (s = meter_slot(m, id)) == NULL)
		return;
	if (v->valid && !meter_in_range(id, v->raw)) {
		na = *v;
		na.valid = 0;
		v = &na;
		m->implausible_id = id;
		m->implausible_ms = now_ms > 0 ? now_ms : 1;
	}
	if (v->valid && meter_counter_grows(id)) {
		if (!meter_energy_judge(m, id, s, v->raw, now_ms))
			return;
		s->good_ms = now_ms;
	}
	s->v = *v;
	s->t_ms = now_ms > 0 ? now_ms : 1;
	s->wall_ms = wall_ms;
	if (!v->valid)
		return;
	if (s->n == 0 || v->raw < s->min)
		s->min = v->raw;
	if (s->n == 0 || v->raw > s->max)
		s->max = v->raw;
	/* An average over 2^63 of raw units: frozen rather than wrapped. */
	if (!__builtin_add_overflow(s->sum, v->raw, &sum)) {
		s->sum = sum;
		s->n++;
	}
	if ((t = meter_tslot(m, id)) != NULL)
		meter_trend_push(t, v->raw);
}

const struct reg_sample *
meter_get(const struct meter *m, enum reg_id id)
{
	const struct reg_sample	*s = meter_slot(m, id);

	return s == NULL || s->t_ms == 0 ? NULL : s;
}

int
meter_trend(const struct meter *m, enum reg_id id, int32_t *out, int max)
{
	const struct meter_trend	*t = meter_tslot(m, id);
	int				 i, n, skip;

	if (t == NULL || max <= 0)
		return 0;
	n = t->n < max ? t->n : max;
	skip = t->n - n;		/* the newest n */
	for (i = 0; i < n; i++)
		out[i] = (int32_t)meter_trend_at(t, skip + i);
	return n;
}

int
meter_raw(const struct meter *m, enum reg_id id, int64_t now_ms,
    int64_t max_age_ms, int64_t *raw)
{
	const struct reg_sample	*s;

	s = meter_get(m, id);
	if (s == NULL || !s->v.valid)
		return 0;
	if (max_age_ms > 0 && now_ms - s->t_ms > max_age_ms)
		return 0;
	if (raw != NULL)
		*raw = s->v.raw;
	return 1;
}

/* A clock read before the value (never on one monotonic clock) gives 0. */
int64_t
meter_age_ms(const struct meter *m, enum reg_id id, int64_t now_ms)
{
	const struct reg_sample	*s;

	s = meter_get(m, id);
	if (s == NULL)
		return -1;
	return now_ms > s->t_ms ? now_ms - s->t_ms : 0;
}

/*
 * The CSV status word, written into buf. MS_UNKNOWN (never polled) gives ""
 * because the CSV leaves a field that was not read empty. Without a buffer
 * the fixed words are still returned, and "exception" without its code.
 */
const char *
meter_status_word(const struct meter *m, char *buf, size_t len)
{
	const char	*w;

	switch (m->status) {
	case MS_OK:
		w = "ok";
		break;
	case MS_TIMEOUT:
		w = "timeout";
		break;
	case MS_CRC:
		w = "crc";
		break;
	case MS_EXCEPTION:
		if (buf == NULL || len == 0)
			return "exception";
		snprintf(buf, len, "exception-%d", m->exc_code);
		return buf;
	case MS_IO:
		w = "io";
		break;
	case MS_NOT_E34:
		w = "not-e34";
		break;
	default:
		w = "";
		break;
	}
	if (buf == NULL || len == 0)
		return w;
	snprintf(buf, len, "%s", w);
	return buf;
}

/*
 * T = T1+T2+T3+T4 on the 10 Wh registers, when all five are valid and were
 * read in the cycle that ended at cycle_ms. The meter truncates each counter
 * to 10 Wh on its own, so the total and the sum of the four truncated
 * tariffs may differ by up to 3 counts either way; and the total and the
 * tariffs travel in different requests (0xC702, 0xC802: too far apart for
 * one), so the energy counted between them (at most METER_P_MAX_W over
 * span_ms) is tolerated too. A mismatch raises the alarm only when it
 * persists METER_CONFIRM_READS cycles in a row; one cycle that adds up
 * clears it.
 */
void
meter_cycle_end(struct meter *m, int64_t cycle_ms, int64_t span_ms)
{
	const struct reg_sample	*tot, *t;
	int64_t			 sum, diff, allow;
	size_t			 i;
	size_t			 nt = sizeof meter_tariff_10wh /
				    sizeof meter_tariff_10wh[0];

	tot = meter_get(m, REG_EA_PLUS_TOTAL_10WH);
	if (tot == NULL || !tot->v.valid || tot->t_ms != cycle_ms)
		return;
	sum = 0;
	for (i = 0; i < nt; i++) {
		t = meter_get(m, meter_tariff_10wh[i]);
		if (t == NULL || !t->v.valid || t->t_ms != cycle_ms)
			return;
		sum += t->v.raw;
	}
	diff = tot->v.raw - sum;
	if (diff < 0)
		diff = -diff;
	allow = (int64_t)nt - 1 + meter_energy_bound(REG_EA_PLUS_TOTAL_10WH,
	    span_ms) - 2;
	if (diff <= allow) {
		m->tariff_bad_n = 0;
		m->tariff_alarm = 0;
	} else if (++m->tariff_bad_n >= METER_CONFIRM_READS)
		m->tariff_alarm = 1;
}

int
meter_tariffs_consistent(const struct meter *m)
{
	return !m->tariff_alarm;
}

int
meter_energy_monotonic(const struct meter *m)
{
	return !m->energy_backwards;
}

int
meter_values_plausible(const struct meter *m)
{
	return m->implausible_ms == 0 || m->implausible_ms != m->last_cycle_ms;
}

/* How old the wiring readings may be: three poll periods and a second. */
static int64_t
meter_wiring_max_age(const struct meter *m)
{
	if (m->conf == NULL || m->conf->poll_ms <= 0)
		return 0;
	return 3 * (int64_t)m->conf->poll_ms + 1000;
}

/*
 * A V-N swap at phase n puts the phase on the meter's N terminal: phase n
 * still reads a phase voltage, the two others read line-to-line, sqrt(3)
 * (1.73) times as much. Rule: each other voltage within 1.5 to 2.0 times
 * phase n's own, and phase n present (a healthy network reads 1.0, a lost
 * phase 0, so neither comes near).
 */
static int
meter_wiring_vn_swap(const int64_t v[3], int n)
{
	int	k;

	if (v[n] <= WIRING_V_PRESENT)
		return 0;
	for (k = 0; k < 3; k++) {
		if (k == n)
			continue;
		if (2 * v[k] < 3 * v[n] || v[k] > 2 * v[n])
			return 0;
	}
	return 1;
}

/*
 * The wiring diagnosis from V1..V3, I1..I3 and P1..P3 (all valid and fresh,
 * else known = 0). A swap at phase n also makes Pn negative (the voltage is
 * measured backwards), so Err 7+n explains it and Err 1+n is not reported.
 * A lost phase has no Err code: phase_present shows it, and err_codes holds
 * 0 ("no error") only when every phase is present and nothing was found.
 */
void
meter_wiring(const struct meter *m, int64_t now_ms, struct wiring_diag *d)
{
	int64_t	v[3], i[3], p[3], age;
	int	n, all_present;

	memset(d, 0, sizeof *d);
	age = meter_wiring_max_age(m);
	for (n = 0; n < 3; n++) {
		if (!meter_raw(m, meter_wiring_v[n], now_ms, age, &v[n]) ||
		    !meter_raw(m, meter_wiring_i[n], now_ms, age, &i[n]) ||
		    !meter_raw(m, meter_wiring_p[n], now_ms, age, &p[n]))
			return;
	}
	d->known = 1;
	all_present = 1;
	for (n = 0; n < 3; n++) {
		d->phase_present[n] = v[n] > WIRING_V_PRESENT;
		if (!d->phase_present[n])
			all_present = 0;
		d->vn_swapped[n] = meter_wiring_vn_swap(v, n);
		d->current_reversed[n] = !d->vn_swapped[n] && p[n] < 0 &&
		    i[n] > WIRING_I_FLOWING;
	}
	for (n = 0; n < 3; n++) {
		if (d->current_reversed[n])
			d->err_codes[d->nerr++] = 1 + n;
	}
	for (n = 0; n < 3; n++) {
		if (d->vn_swapped[n])
			d->err_codes[d->nerr++] = 7 + n;
	}
	if (d->nerr == 0 && all_present)
		d->err_codes[d->nerr++] = 0;
}

/*
 * Whether m's latest values are live, for exporters that must never show an
 * old value as current: the last cycle was ok, the device is an E34 and is
 * not given up, that cycle ended at most two poll periods plus one
 * answer timeout ago (the console's stale rule, ui.c), and no live check
 * fails (CHECK: T1..T4 against the total, a counter going backwards, a
 * value no E34 can give).
 */
int
meter_fresh(const struct meter *m, int64_t now_ms, int64_t period_ms,
    int64_t timeout_ms)
{
	if (m == NULL || m->status != MS_OK || m->offline ||
	    !m->ident.is_e34 || m->last_ok_ms <= 0 ||
	    m->last_ok_ms != m->last_cycle_ms)
		return 0;
	if (now_ms - m->last_ok_ms > health_limit_ms(m->conf != NULL ?
	    m->conf->poll_ms : 0, period_ms, timeout_ms))
		return 0;
	return meter_tariffs_consistent(m) && meter_energy_monotonic(m) &&
	    meter_values_plausible(m);
}
