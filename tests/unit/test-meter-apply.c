/*
 * test-meter-apply.c: every state transition of a meter, by feeding the
 * model poll results (meter_apply_*, meter-apply.c): no threads, no bus, no
 * simulator. Results are built like the engine builds its jobs, from the real
 * poll plan, with words written register by register.
 */
#include <stdlib.h>
#include <string.h>

#include "meter.h"
#include "pollplan.h"
#include "t.h"

#define PERIOD_MS	1000
#define TIMEOUT_MS	300

static char			conf_name[] = "m";
static struct meter_conf	conf = { .name = conf_name, .label = conf_name,
				    .address = 5, .poll_ms = PERIOD_MS };
static struct poll_plan		plan;

/* A result under construction and the words it borrows. */
struct fake {
	struct poll_result	r;
	uint16_t		w[POLL_RESULT_MAX][POLL_MAX_WORDS];
	int64_t			t;	/* end of the cycle, monotonic ms */
};

static void
fk_add(struct fake *f, const struct poll_set *s)
{
	struct poll_xfer	*x;
	int			 i;

	for (i = 0; i < s->nreq; i++) {
		x = &f->r.x[f->r.nx];
		memset(x, 0, sizeof *x);
		x->addr = s->req[i].addr;
		x->count = s->req[i].count;
		x->req = &s->req[i];
		x->words = f->w[f->r.nx];
		x->ran = 1;
		x->outcome = ST_ANSWER;
		x->lat_us = 20000 + 1000 * f->r.nx;
		x->busy_us = x->lat_us;
		f->r.nx++;
	}
}

static void
fk_string(uint16_t *w, int count, const char *s, int ascii16)
{
	int	i, n = (int)strlen(s);

	for (i = 0; i < count; i++) {
		if (ascii16)
			w[i] = i < n ? (uint16_t)(unsigned char)s[i] : 0;
		else
			w[i] = (uint16_t)(((2 * i < n ?
			    (unsigned char)s[2 * i] : 0) << 8) |
			    (2 * i + 1 < n ? (unsigned char)s[2 * i + 1] : 0));
	}
}

/* Write raw into the words of whichever request covers id. */
static void
fk_set(struct fake *f, enum reg_id id, int64_t raw)
{
	const struct reg_def	*d = regmap_get(id);
	struct poll_xfer	*x;
	int			 i;

	for (i = 0; i < f->r.nx; i++) {
		x = &f->r.x[i];
		if (d->addr < x->addr || d->addr + d->count > x->addr + x->count)
			continue;
		if (d->count == 2) {
			f->w[i][d->addr - x->addr] = (uint16_t)((uint64_t)raw >> 16);
			f->w[i][d->addr - x->addr + 1] = (uint16_t)raw;
		} else
			f->w[i][d->addr - x->addr] = (uint16_t)raw;
	}
}

/*
 * A cycle as the engine sends it: with identification ("SOCO" and name
 * first, then the details), the fast set, the slow set when asked. Every
 * request answered with zeros but "SOCO" and the name, 1 s after the last.
 */
static struct fake *
fk_cycle(struct fake *f, int identify, const char *name)
{
	f->t += PERIOD_MS;
	memset(&f->r, 0, sizeof f->r);
	memset(f->w, 0, sizeof f->w);
	f->r.identify = identify;
	f->r.conn_gen = 1;
	f->r.start_ms = f->t - 100;
	f->r.end_ms = f->t;
	f->r.start_wall_ms = 1700000000000LL + f->t - 100;
	f->r.end_wall_ms = 1700000000000LL + f->t;
	if (identify) {
		fk_add(f, &plan.magic);
		fk_add(f, &plan.name);
		fk_string(f->w[0], f->r.x[0].count, "SOCO", 1);
		fk_string(f->w[1], f->r.x[1].count, name, 0);
		fk_add(f, &plan.info);
		f->r.with_info = 1;
		fk_set(f, REG_SOFTWARE_VERSION, 100);
	}
	fk_add(f, &plan.fast);
	fk_set(f, REG_V1, 23107);
	return f;
}

/* x[i] fails with outcome o; like the bus, a timeout stops the job there. */
static void
fk_fail(struct fake *f, int i, enum stats_outcome o, int exc)
{
	int	k;

	f->r.x[i].outcome = o;
	f->r.x[i].exc_code = exc;
	if (o == ST_TIMEOUT || (o == ST_EXCEPTION && exc >= 10) ||
	    (f->r.identify && i < 2))
		for (k = i + 1; k < f->r.nx; k++)
			f->r.x[k].ran = 0;
}

/* The link could not be opened: nothing ran. */
static void
fk_link_down(struct fake *f)
{
	int	k;

	f->r.link_failed = 1;
	f->r.conn_gen = 0;
	for (k = 0; k < f->r.nx; k++)
		f->r.x[k].ran = 0;
}

static int
st_failed(const struct meter *m)
{
	return m->status == MS_TIMEOUT || m->status == MS_IO ||
	    (m->status == MS_EXCEPTION && m->exc_code >= 10);
}

/* Invariants of the model, checked after every step. */
static void
assert_sane_meter(const struct meter *m, int64_t now)
{
	if (m->status == MS_OK)
		T_OK(m->ident.done && m->ident.is_e34);
	if (m->status == MS_NOT_E34)
		T_OK(m->ident.done && !m->ident.is_e34);
	if (m->ident.done && !m->ident.is_e34)
		T_OK(m->status == MS_NOT_E34);
	if (m->status == MS_UNKNOWN)
		T_OK(m->ok_cycles == 0 && !m->offline);
	if (m->offline) {
		T_OK(m->consecutive_fail >= METER_OFFLINE_AFTER);
		T_OK(m->need_ident);
		T_OK(m->probe_ms >= METER_PROBE_MIN_MS &&
		    m->probe_ms <= METER_PROBE_MAX_MS);
		T_OK(st_failed(m));
	}
	if (!st_failed(m))
		T_EQ_INT(m->consecutive_fail, 0);
	else if (m->consecutive_fail == 0)	/* answered its probe */
		T_OK(m->need_ident && !m->offline);
	T_OK(m->consecutive_fail >= 0);
	T_OK(m->ok_cycles <= m->cycles);
	T_OK(m->stats.answers <= m->stats.requests);
	if (m->ok_cycles > 0)
		T_OK(m->last_ok_ms > 0 && m->last_ok_ms <= m->last_cycle_ms);
	T_OK(m->foreign_backoff_ms == 0 ||
	    (m->foreign_backoff_ms >= METER_PROBE_MIN_MS &&
	    m->foreign_backoff_ms <= METER_PROBE_MAX_MS));
	if (meter_fresh(m, now, PERIOD_MS, TIMEOUT_MS))
		T_OK(m->status == MS_OK && !m->offline && m->ident.is_e34);
	T_OK(memchr(m->ident.ext_name, '\0', sizeof m->ident.ext_name) !=
	    NULL);
}

static struct meter_next
apply(struct meter *m, struct fake *f)
{
	struct meter_next	n;

	n = meter_apply_cycle(m, &f->r, METER_OFFLINE_AFTER, f->t);
	assert_sane_meter(m, f->t);
	return n;
}

static struct meter *
new_meter(void)
{
	struct meter	*m = malloc(sizeof *m);

	if (m == NULL)
		abort();
	meter_init(m, &conf, 0, 0);
	assert_sane_meter(m, 0);
	return m;
}

static struct fake *
new_fake(void)
{
	struct fake	*f = calloc(1, sizeof *f);

	if (f == NULL)
		abort();
	f->t = 10000;
	return f;
}

static void
test_apply__ident_then_ok(void)
{
	struct meter		*m = new_meter();
	struct fake		*f = new_fake();
	struct meter_next	 n;
	char			 buf[32];

	T_OK(m->need_ident);
	T_OK(meter_poll_due(m, f->t));
	n = apply(m, fk_cycle(f, 1, "  Countis E34 "));
	T_EQ_INT(n.action, MA_POLL);
	T_EQ_INT(m->status, MS_OK);
	T_OK(m->ident.done && m->ident.is_e34);
	T_EQ_STR(m->ident.ext_name, "Countis E34");	/* trimmed, once */
	T_EQ_INT(m->ident.sw_version, 100);
	T_OK(!m->need_ident && !m->need_info);
	T_EQ_INT(m->ok_cycles, 1);
	T_EQ_INT(m->last_cycle_ms, f->t);
	T_EQ_INT(m->last_response_ms, (20000 + 1000 * (f->r.nx - 1) + 999) /
	    1000);
	T_EQ_INT((int)m->stats.requests, f->r.nx);
	T_EQ_STR(meter_status_word(m, buf, sizeof buf), "ok");
	T_OK(meter_get(m, REG_V1) != NULL &&
	    meter_get(m, REG_V1)->v.raw == 23107);
	T_OK(meter_fresh(m, f->t, PERIOD_MS, TIMEOUT_MS));

	/* the next cycles do not identify */
	n = apply(m, fk_cycle(f, 0, NULL));
	T_EQ_INT(n.action, MA_POLL);
	T_EQ_INT(m->status, MS_OK);
	T_EQ_INT(m->ok_cycles, 2);
	T_EQ_INT(m->cycles, 2);
	free(f);
	meter_release(m);
	free(m);
}

static void
test_apply__stale(void)
{
	struct meter	*m = new_meter();
	struct fake	*f = new_fake();
	int64_t		 edge;

	apply(m, fk_cycle(f, 1, "COUNTIS E34"));
	edge = f->t + 2 * PERIOD_MS + TIMEOUT_MS;
	T_OK(meter_fresh(m, edge, PERIOD_MS, TIMEOUT_MS));
	T_OK(!meter_fresh(m, edge + 1, PERIOD_MS, TIMEOUT_MS));
	assert_sane_meter(m, edge + 1);
	/* an idle cycle is a cycle, but nothing becomes fresh */
	meter_apply_idle(m, edge + 1, 0);
	T_EQ_INT(m->cycles, 2);
	T_EQ_INT(m->last_response_ms, 0);
	T_OK(!meter_fresh(m, edge + 1, PERIOD_MS, TIMEOUT_MS));
	assert_sane_meter(m, edge + 1);
	free(f);
	meter_release(m);
	free(m);
}

static void
test_apply__timeout_offline_probe_back(void)
{
	struct meter		*m = new_meter();
	struct fake		*f = new_fake();
	struct meter_next	 n;
	struct poll_result	 probe;
	uint16_t		 soco[4];
	int			 i, want[] = { 2000, 4000, 8000, 16000, 30000,
				    30000 };

	apply(m, fk_cycle(f, 1, "COUNTIS E34"));
	for (i = 1; i < METER_OFFLINE_AFTER; i++) {
		fk_cycle(f, 0, NULL);
		fk_fail(f, 0, ST_TIMEOUT, 0);
		n = apply(m, f);
		T_EQ_INT(n.action, MA_POLL);
		T_EQ_INT(m->status, MS_TIMEOUT);
		T_EQ_INT(m->consecutive_fail, i);
		T_OK(!m->offline);
		T_OK(!meter_fresh(m, f->t, PERIOD_MS, TIMEOUT_MS));
	}
	T_EQ_INT(m->last_response_ms, 0);	/* no answer */
	fk_cycle(f, 0, NULL);
	fk_fail(f, 0, ST_TIMEOUT, 0);
	n = apply(m, f);
	T_EQ_INT(n.action, MA_OFFLINE);
	T_EQ_INT(n.delay_ms, METER_PROBE_MIN_MS);
	T_OK(m->offline && m->need_ident);
	T_EQ_INT(m->consecutive_fail, METER_OFFLINE_AFTER);
	T_OK(!meter_poll_due(m, f->t));		/* idle cycles now */

	/* probes back off 1 s, 2 s, 4 s ... 30 s */
	memset(&probe, 0, sizeof probe);
	probe.nx = 1;
	probe.x[0].addr = plan.magic.req[0].addr;
	probe.x[0].count = 4;
	probe.x[0].ran = 1;
	probe.x[0].outcome = ST_TIMEOUT;
	for (i = 0; i < (int)(sizeof want / sizeof want[0]); i++) {
		n = meter_apply_probe(m, &probe);
		T_EQ_INT(n.action, MA_PROBE);
		T_EQ_INT(n.delay_ms, want[i]);
		T_EQ_INT(m->probe_ms, want[i]);
		assert_sane_meter(m, f->t);
	}
	/* a gateway's "no answer" (exception 11) is not a sign of life */
	probe.x[0].outcome = ST_EXCEPTION;
	probe.x[0].exc_code = 11;
	T_EQ_INT(meter_apply_probe(m, &probe).action, MA_PROBE);
	T_OK(m->offline);

	/* it answers: online, identified again, then ok */
	fk_string(soco, 4, "SOCO", 1);
	probe.x[0].words = soco;
	probe.x[0].outcome = ST_ANSWER;
	probe.x[0].exc_code = 0;
	n = meter_apply_probe(m, &probe);
	T_EQ_INT(n.action, MA_ONLINE);
	T_OK(!m->offline && m->need_ident);
	T_EQ_INT(m->consecutive_fail, 0);
	assert_sane_meter(m, f->t);
	T_OK(meter_poll_due(m, f->t));
	n = apply(m, fk_cycle(f, 1, "COUNTIS E34"));
	T_EQ_INT(n.action, MA_POLL);
	T_EQ_INT(m->status, MS_OK);
	T_OK(!m->need_ident);
	T_OK(meter_fresh(m, f->t, PERIOD_MS, TIMEOUT_MS));

	/* a batch run never gives up (offline_after 0) */
	for (i = 0; i < 2 * METER_OFFLINE_AFTER; i++) {
		fk_cycle(f, 0, NULL);
		fk_fail(f, 0, ST_TIMEOUT, 0);
		n = meter_apply_cycle(m, &f->r, 0, f->t);
		T_EQ_INT(n.action, MA_POLL);
		T_OK(!m->offline);
	}
	free(f);
	meter_release(m);
	free(m);
}

static void
test_apply__crc_exception_io(void)
{
	struct meter		*m = new_meter();
	struct fake		*f = new_fake();
	struct meter_next	 n;
	char			 buf[32];

	apply(m, fk_cycle(f, 1, "COUNTIS E34"));
	/* a corrupt answer: the meter is there, not a failure */
	fk_cycle(f, 0, NULL);
	fk_fail(f, 1, ST_CRC, 0);
	n = apply(m, f);
	T_EQ_INT(n.action, MA_POLL);
	T_EQ_INT(m->status, MS_CRC);
	T_EQ_STR(meter_status_word(m, buf, sizeof buf), "crc");
	T_EQ_INT(m->consecutive_fail, 0);
	T_EQ_INT(m->stats.crc_errors, 1);
	T_OK(!meter_fresh(m, f->t, PERIOD_MS, TIMEOUT_MS));

	/* exception 2 on a request of the fast set */
	fk_cycle(f, 0, NULL);
	fk_fail(f, 2, ST_EXCEPTION, 2);
	apply(m, f);
	T_EQ_INT(m->status, MS_EXCEPTION);
	T_EQ_STR(meter_status_word(m, buf, sizeof buf), "exception-2");
	T_EQ_INT(m->consecutive_fail, 0);
	/* worst outcome wins: CRC over exception */
	fk_cycle(f, 0, NULL);
	fk_fail(f, 2, ST_EXCEPTION, 4);
	fk_fail(f, 1, ST_CRC, 0);
	apply(m, f);
	T_EQ_INT(m->status, MS_CRC);
	/* a gateway's exception 11 counts as a failure */
	fk_cycle(f, 0, NULL);
	fk_fail(f, 0, ST_EXCEPTION, 11);
	apply(m, f);
	T_EQ_STR(meter_status_word(m, buf, sizeof buf), "exception-11");
	T_EQ_INT(m->consecutive_fail, 1);

	/* the line is down: io, nothing counted, a failure */
	fk_cycle(f, 0, NULL);
	fk_link_down(f);
	apply(m, f);
	T_EQ_INT(m->status, MS_IO);
	T_EQ_STR(meter_status_word(m, buf, sizeof buf), "io");
	T_EQ_INT(m->consecutive_fail, 2);
	T_EQ_INT(m->last_response_ms, 0);
	/* and ok again */
	apply(m, fk_cycle(f, 0, NULL));
	T_EQ_INT(m->status, MS_OK);
	T_EQ_INT(m->consecutive_fail, 0);
	free(f);
	meter_release(m);
	free(m);
}

static void
test_apply__foreign(void)
{
	struct meter		*m = new_meter();
	struct fake		*f = new_fake();
	struct meter_next	 n;
	char			 buf[32];

	/* another product's name */
	n = apply(m, fk_cycle(f, 1, "DIRIS A40"));
	T_EQ_INT(n.action, MA_POLL);
	T_EQ_INT(m->status, MS_NOT_E34);
	T_EQ_STR(meter_status_word(m, buf, sizeof buf), "not-e34");
	T_OK(m->ident.done && !m->ident.is_e34);
	T_EQ_STR(m->ident.ext_name, "DIRIS A40");
	T_OK(meter_get(m, REG_V1) == NULL);	/* nothing of it stored */
	T_OK(!m->need_ident && !m->need_info);
	T_EQ_INT(m->consecutive_fail, 0);
	T_OK(!meter_fresh(m, f->t, PERIOD_MS, TIMEOUT_MS));
	/* identified again after 1 s, then 2 s */
	T_OK(!meter_poll_due(m, f->t + 999));
	T_OK(!m->need_ident);
	T_OK(meter_poll_due(m, f->t + 1000));
	T_OK(m->need_ident);
	f->t += 1000 - PERIOD_MS;
	apply(m, fk_cycle(f, 1, "countis e44"));
	T_EQ_INT(m->status, MS_NOT_E34);
	T_EQ_INT(m->foreign_backoff_ms, 2000);
	T_OK(!meter_poll_due(m, f->t + 1999));
	/* the operator asks: at once, back-off reset */
	meter_reidentify(m);
	T_OK(m->need_ident && meter_poll_due(m, f->t));
	T_EQ_INT(m->foreign_backoff_ms, 0);
	/* it became an E34 */
	apply(m, fk_cycle(f, 1, "COUNTIS E34 MID"));
	T_EQ_INT(m->status, MS_OK);
	T_OK(m->ident.is_e34);
	T_EQ_STR(m->ident.ext_name, "COUNTIS E34 MID");
	free(f);
	meter_release(m);
	free(m);

	/* no "SOCO": foreign, the name not even read */
	m = new_meter();
	f = new_fake();
	fk_cycle(f, 1, "COUNTIS E34");
	fk_string(f->w[0], 4, "SOCA", 1);
	fk_fail(f, 0, ST_ANSWER, 0);
	apply(m, f);
	T_EQ_INT(m->status, MS_NOT_E34);
	T_EQ_STR(m->ident.ext_name, "");
	free(f);
	meter_release(m);
	free(m);

	/* exception 2 on 0xC350: no such register, not an E34 */
	m = new_meter();
	f = new_fake();
	fk_cycle(f, 1, "COUNTIS E34");
	T_EQ_INT(f->r.x[0].addr, 0xC350);
	fk_fail(f, 0, ST_EXCEPTION, 2);
	apply(m, f);
	T_EQ_INT(m->status, MS_NOT_E34);
	T_OK(m->ident.done && !m->ident.is_e34);
	free(f);
	meter_release(m);
	free(m);
}

static void
test_apply__undecided(void)
{
	struct meter	*m = new_meter();
	struct fake	*f = new_fake();
	char		 buf[32];

	/* timeout on "SOCO": no verdict, asked again next cycle */
	fk_cycle(f, 1, "COUNTIS E34");
	fk_fail(f, 0, ST_TIMEOUT, 0);
	apply(m, f);
	T_EQ_INT(m->status, MS_TIMEOUT);
	T_OK(!m->ident.done && m->need_ident);
	T_EQ_INT(m->consecutive_fail, 1);
	/* exception 4 (device failure) on the name: undecided */
	fk_cycle(f, 1, "COUNTIS E34");
	fk_fail(f, 1, ST_EXCEPTION, 4);
	apply(m, f);
	T_EQ_STR(meter_status_word(m, buf, sizeof buf), "exception-4");
	T_OK(!m->ident.done && m->need_ident);
	T_EQ_INT(m->consecutive_fail, 0);
	/* a gateway's 10 on the name: undecided, and a failure */
	fk_cycle(f, 1, "COUNTIS E34");
	fk_fail(f, 1, ST_EXCEPTION, 10);
	apply(m, f);
	T_OK(!m->ident.done && m->need_ident);
	T_EQ_INT(m->consecutive_fail, 1);
	T_OK(meter_get(m, REG_V1) == NULL);
	/* then decided */
	apply(m, fk_cycle(f, 1, "COUNTIS E34"));
	T_EQ_INT(m->status, MS_OK);
	T_OK(!m->need_ident);
	free(f);
	meter_release(m);
	free(m);
}

static void
test_apply__reconnect_reidentifies(void)
{
	struct meter	*m = new_meter();
	struct fake	*f = new_fake();

	apply(m, fk_cycle(f, 1, "COUNTIS E34"));
	T_OK(!m->need_ident);
	fk_cycle(f, 0, NULL);
	f->r.conn_gen = 2;	/* a new connection */
	apply(m, f);
	T_OK(m->need_ident);
	apply(m, fk_cycle(f, 1, "COUNTIS E34"));
	T_OK(!m->need_ident);
	free(f);
	meter_release(m);
	free(m);
}

/* Ea+ total and T1..T4 (10 Wh registers) in one cycle an hour after the last. */
static void
tariff_cycle(struct meter *m, struct fake *f, int64_t total, int64_t t)
{
	f->t += 3600 * 1000 - PERIOD_MS;
	fk_cycle(f, 0, NULL);
	fk_set(f, REG_EA_PLUS_TOTAL_10WH, total);
	fk_set(f, REG_EA_PLUS_T1_10WH, t);
	fk_set(f, REG_EA_PLUS_T2_10WH, t);
	fk_set(f, REG_EA_PLUS_T3_10WH, t);
	fk_set(f, REG_EA_PLUS_T4_10WH, t);
	apply(m, f);
}

static void
test_apply__check_raised_and_cleared(void)
{
	struct meter	*m = new_meter();
	struct fake	*f = new_fake();
	int		 i;

	apply(m, fk_cycle(f, 1, "COUNTIS E34"));
	tariff_cycle(m, f, 400, 100);
	T_OK(meter_tariffs_consistent(m));
	T_OK(meter_fresh(m, f->t, PERIOD_MS, TIMEOUT_MS));
	/* T grows, T1..T4 do not: CHECK after 3 cycles in a row */
	for (i = 1; i <= METER_CONFIRM_READS; i++) {
		tariff_cycle(m, f, 400 + 600 * i, 100);
		T_EQ_INT(meter_tariffs_consistent(m), i < METER_CONFIRM_READS);
	}
	T_EQ_INT(m->status, MS_OK);
	T_OK(!meter_fresh(m, f->t, PERIOD_MS, TIMEOUT_MS));	/* CHECK */
	/* one cycle that adds up clears it */
	tariff_cycle(m, f, 2200, 550);
	T_OK(meter_tariffs_consistent(m));
	T_OK(meter_fresh(m, f->t, PERIOD_MS, TIMEOUT_MS));
	free(f);
	meter_release(m);
	free(m);
}

/*
 * A write's own identification finds the unit swapped (meter_apply_job):
 * foreign from then on, and a cycle sent before it cannot bring the
 * unit's values and "ok" back (it used to, now and then: write-foreign.sh).
 */
static void
test_apply__write_finds_foreign(void)
{
	struct meter	*m = new_meter();
	struct fake	*f = new_fake();
	struct fake	*w = new_fake();
	uint64_t	 req;

	apply(m, fk_cycle(f, 1, "COUNTIS E34"));
	/* a write job: identification, then the write (not sent) */
	fk_cycle(w, 1, "COUNTIS E34");
	w->r.nx = 3;
	w->r.x[2].write = 1;
	w->r.x[2].ran = 1;
	req = m->stats.requests;
	T_EQ_INT(meter_apply_job(m, &w->r, w->t), MI_E34);
	T_EQ_INT(m->status, MS_OK);
	T_EQ_INT(m->stats.requests, req + 3);
	fk_string(w->w[1], w->r.x[1].count, "OTHER 1", 0);
	w->r.x[2].ran = 0;
	T_EQ_INT(meter_apply_job(m, &w->r, w->t), MI_FOREIGN);
	T_EQ_INT(m->status, MS_NOT_E34);
	T_EQ_STR(m->ident.ext_name, "OTHER 1");
	assert_sane_meter(m, w->t);
	/* the cycle that was queued behind it */
	apply(m, fk_cycle(f, 0, NULL));
	T_EQ_INT(m->status, MS_NOT_E34);
	T_OK(meter_get(m, REG_V1)->t_ms < f->t);	/* not stored */
	T_OK(!meter_fresh(m, f->t, PERIOD_MS, TIMEOUT_MS));
	/* a load-curve read identifies nothing */
	w->r.identify = 0;
	T_EQ_INT(meter_apply_job(m, &w->r, w->t), MI_UNDECIDED);
	free(w);
	free(f);
	meter_release(m);
	free(m);
}

/* The identification rule itself, as the bus worker's gate asks it. */
static void
test_apply__ident_rule(void)
{
	struct fake	*f = new_fake();
	char		 name[24];

	fk_cycle(f, 1, "\tcountis E34");
	T_EQ_INT(meter_ident_decide(f->r.x, 0, NULL, 0), MI_UNDECIDED);
	T_EQ_INT(meter_ident_decide(f->r.x, 1, NULL, 0), MI_PENDING);
	/* regdecode's string rule: a control byte shows as '?' */
	T_EQ_INT(meter_ident_decide(f->r.x, 2, name, sizeof name), MI_FOREIGN);
	T_EQ_STR(name, "?countis E34");
	fk_cycle(f, 1, "COUNTIS E34\x01");
	T_EQ_INT(meter_ident_decide(f->r.x, 2, name, sizeof name), MI_E34);
	fk_cycle(f, 1, "COUNTIS E3");
	T_EQ_INT(meter_ident_decide(f->r.x, 2, name, sizeof name), MI_FOREIGN);
	fk_cycle(f, 1, "COUNTIS E34");
	f->r.x[1].ran = 0;
	T_EQ_INT(meter_ident_decide(f->r.x, 2, name, sizeof name),
	    MI_UNDECIDED);
	fk_fail(f, 1, ST_CRC, 0);
	f->r.x[1].ran = 1;
	T_EQ_INT(meter_ident_decide(f->r.x, 2, name, sizeof name),
	    MI_UNDECIDED);
	fk_fail(f, 1, ST_EXCEPTION, 3);
	T_EQ_INT(meter_ident_decide(f->r.x, 2, name, sizeof name), MI_FOREIGN);
	free(f);
}

int
main(void)
{
	struct err	e;

	if (poll_plan_init(&plan, &e) == -1) {
		printf("Bail out! %s\n", e.msg);
		return 1;
	}
	T_RUN(test_apply__ident_then_ok);
	T_RUN(test_apply__stale);
	T_RUN(test_apply__timeout_offline_probe_back);
	T_RUN(test_apply__crc_exception_io);
	T_RUN(test_apply__foreign);
	T_RUN(test_apply__undecided);
	T_RUN(test_apply__reconnect_reidentifies);
	T_RUN(test_apply__check_raised_and_cleared);
	T_RUN(test_apply__write_finds_foreign);
	T_RUN(test_apply__ident_rule);
	return t_done();
}
