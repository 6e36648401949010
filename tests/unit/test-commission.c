/*
 * test-commission.c: the connection-test checklist at its boundaries, the
 * inferred Err codes from a meter's live values (healthy, reversed current,
 * V-N swap, lost phase), the finder plan and its time bound, and the text
 * that says which setting was wrong; |PF| shown where |PF| is checked; what
 * a unit answers in words.
 */
#include <string.h>

#include "commission.h"
#include "t.h"

static char			conf_name[] = "m";
static struct meter_conf	conf = { .name = conf_name, .address = 5,
				    .poll_ms = 1000, .label = conf_name };

static void
put(struct meter *m, enum reg_id id, int64_t raw, int64_t now)
{
	struct reg_value	v;

	memset(&v, 0, sizeof v);
	v.valid = 1;
	v.raw = raw;
	meter_store(m, id, &v, now, 0);
}

/* A 3-phase load: 230 V, 40 A, 8.28 kW a phase at PF 0.9 (raw units). */
static void
load(struct meter *m, int64_t now)
{
	meter_init(m, &conf, 0, 0);
	put(m, REG_V1, 23000, now);
	put(m, REG_V2, 23010, now);
	put(m, REG_V3, 22990, now);
	put(m, REG_I1, 40000, now);
	put(m, REG_I2, 40000, now);
	put(m, REG_I3, 40000, now);
	put(m, REG_P1, 828, now);
	put(m, REG_P2, 828, now);
	put(m, REG_P3, 828, now);
	put(m, REG_PF1, 900, now);
	put(m, REG_PF2, 900, now);
	put(m, REG_PF3, 900, now);
}

/* Invariants: labels set, preconditions consistent with the checks. */
static void
assert_sane_commission(const struct commission *c)
{
	int	k, fail = 0, unk = 0;

	for (k = 0; k < CM_NCHECKS; k++) {
		T_OK(c->checks[k].label != NULL);
		fail += c->checks[k].state == CM_FAIL;
		unk += c->checks[k].state == CM_UNKNOWN;
	}
	T_EQ_INT(c->preconditions, fail ? CM_FAIL : unk ? CM_UNKNOWN : CM_PASS);
	for (k = 0; k < c->nfindings; k++) {
		T_OK(c->findings[k].text != NULL);
		T_OK(c->findings[k].remedy != NULL);
	}
	if (!c->known)
		T_EQ_INT(c->nfindings, 0);
	if (c->healthy)
		T_EQ_INT(c->findings[0].code, 0);
}

static void
test_commission__healthy_is_err0(void)
{
	struct meter		m;
	struct commission	c;

	load(&m, 5000);
	commission_evaluate(&m, 5000, &c);
	assert_sane_commission(&c);
	T_EQ_INT(c.preconditions, CM_PASS);
	T_EQ_INT(c.known, 1);
	T_EQ_INT(c.healthy, 1);
	T_EQ_INT(c.nfindings, 1);
	T_EQ_STR(c.findings[0].text, "Err 0 = no error");
	T_EQ_STR(c.checks[CM_CHECK_VOLTAGE].detail,
	    "L1 230.0 V  L2 230.1 V  L3 229.9 V");
	T_EQ_STR(c.checks[CM_CHECK_PF].detail, "L1 0.900  L2 0.900  L3 0.900");
	meter_release(&m);
}

static void
test_commission__reversed_current_is_err2(void)
{
	struct meter		m;
	struct commission	c;

	load(&m, 5000);
	put(&m, REG_P2, -828, 5000);
	put(&m, REG_PF2, -900, 5000);
	commission_evaluate(&m, 5000, &c);
	assert_sane_commission(&c);
	T_EQ_INT(c.healthy, 0);
	T_EQ_INT(c.nfindings, 1);
	T_EQ_INT(c.findings[0].code, 2);
	T_EQ_INT(c.findings[0].phase, 2);
	T_CONTAINS(c.findings[0].text, "Err 2 = inverted connection of phase 2");
	T_CONTAINS(c.findings[0].remedy, "L2 and L2'");
	/* the sign of PF is leading/lagging: the precondition still holds,
	 * and it shows |PF|, the value it judges (issue 13 item 13) */
	T_EQ_INT(c.checks[CM_CHECK_PF].state, CM_PASS);
	T_EQ_STR(c.checks[CM_CHECK_PF].label, "Power factor 0.6 < |PF| < 1");
	T_EQ_STR(c.checks[CM_CHECK_PF].detail, "L1 0.900  L2 0.900  L3 0.900");
	/* a small |PF| fails whatever its sign, and is shown as |PF| */
	put(&m, REG_PF2, -500, 5000);
	commission_evaluate(&m, 5000, &c);
	T_EQ_INT(c.checks[CM_CHECK_PF].state, CM_FAIL);
	T_EQ_STR(c.checks[CM_CHECK_PF].detail, "L1 0.900  L2 0.500  L3 0.900");
	meter_release(&m);
}

/* Issue 13 item 7: what a unit answers, never "does NOT answer" for one
 * that answers with an exception or as a foreign device. */
static void
test_commission__answer_text(void)
{
	struct meter	m;
	char		buf[120];

	meter_init(&m, &conf, 0, 0);
	T_EQ_INT(commission_answer_text(&m, buf, sizeof buf), 0);
	T_EQ_STR(buf, "not polled yet");
	m.cycles = 1;
	commission_answer_text(&m, buf, sizeof buf);
	T_EQ_STR(buf, "is being identified");
	m.status = MS_OK;
	T_EQ_INT(commission_answer_text(&m, buf, sizeof buf), 1);
	T_EQ_STR(buf, "answers");
	m.status = MS_EXCEPTION;
	m.exc_code = 2;
	T_EQ_INT(commission_answer_text(&m, buf, sizeof buf), 1);
	T_EQ_STR(buf, "answers with exception 02 (illegal data address)");
	m.exc_code = 11;
	commission_answer_text(&m, buf, sizeof buf);
	T_EQ_STR(buf, "answers with exception 0B (gateway target failed to "
	    "respond)");
	m.exc_code = 9;
	commission_answer_text(&m, buf, sizeof buf);
	T_EQ_STR(buf, "answers with exception 09 (unknown code)");
	m.status = MS_NOT_E34;
	commission_answer_text(&m, buf, sizeof buf);
	T_EQ_STR(buf, "answers, but is not an E34");
	m.stats.exceptions[2] = 3;	/* identification refused */
	T_EQ_INT(commission_answer_text(&m, buf, sizeof buf), 1);
	T_EQ_STR(buf, "answers with exception 02 (illegal data address): not "
	    "an E34");
	snprintf(m.ident.ext_name, sizeof m.ident.ext_name, "DIRIS A-10");
	T_EQ_INT(commission_answer_text(&m, buf, sizeof buf), 1);
	T_EQ_STR(buf, "answers, but is not an E34: DIRIS A-10");
	m.status = MS_TIMEOUT;
	T_EQ_INT(commission_answer_text(&m, buf, sizeof buf), 0);
	T_EQ_STR(buf, "does NOT answer (timeout)");
	m.offline = 1;
	commission_answer_text(&m, buf, sizeof buf);
	T_EQ_STR(buf, "does NOT answer (timeout, offline)");
	m.status = MS_IO;
	T_EQ_INT(commission_answer_text(&m, buf, sizeof buf), 0);
	m.status = MS_CRC;
	T_EQ_INT(commission_answer_text(&m, buf, sizeof buf), 1);
	T_CONTAINS(buf, "corrupt frames");
	meter_release(&m);
}

static void
test_commission__vn_swap_is_err7(void)
{
	struct meter		m;
	struct commission	c;

	load(&m, 5000);
	put(&m, REG_V2, 39840, 5000);	/* 230 x sqrt(3) */
	put(&m, REG_V3, 39830, 5000);
	put(&m, REG_P1, -828, 5000);
	commission_evaluate(&m, 5000, &c);
	assert_sane_commission(&c);
	T_EQ_INT(c.nfindings, 1);
	T_EQ_INT(c.findings[0].code, 7);
	T_EQ_INT(c.findings[0].phase, 1);
	T_CONTAINS(c.findings[0].text, "between V1 and Neutral");
	meter_release(&m);
}

static void
test_commission__lost_phase_3(void)
{
	struct meter		m;
	struct commission	c;

	load(&m, 5000);
	put(&m, REG_V3, 0, 5000);
	put(&m, REG_I3, 0, 5000);
	put(&m, REG_P3, 0, 5000);
	put(&m, REG_PF3, 0, 5000);
	commission_evaluate(&m, 5000, &c);
	assert_sane_commission(&c);
	T_EQ_INT(c.checks[CM_CHECK_VOLTAGE].state, CM_FAIL);
	T_EQ_INT(c.checks[CM_CHECK_CURRENT].state, CM_FAIL);
	T_EQ_INT(c.preconditions, CM_FAIL);
	T_EQ_INT(c.healthy, 0);
	T_EQ_INT(c.nfindings, 1);
	T_EQ_INT(c.findings[0].code, -1);
	T_EQ_INT(c.findings[0].phase, 3);
	T_CONTAINS(c.findings[0].text, "phase absent");
	meter_release(&m);
}

static void
test_commission__stale_or_missing_is_unknown(void)
{
	struct meter		m;
	struct commission	c;

	meter_init(&m, &conf, 0, 0);
	commission_evaluate(&m, 5000, &c);
	assert_sane_commission(&c);
	T_EQ_INT(c.known, 0);
	T_EQ_INT(c.preconditions, CM_UNKNOWN);
	T_EQ_STR(c.checks[CM_CHECK_VOLTAGE].detail, "L1 ---  L2 ---  L3 ---");
	/* readings older than three poll periods and a second are not used */
	meter_release(&m);
	load(&m, 5000);
	commission_evaluate(&m, 5000 + 4001, &c);
	assert_sane_commission(&c);
	T_EQ_INT(c.known, 0);
	T_EQ_INT(c.checks[CM_CHECK_I20].state, CM_UNKNOWN);
	commission_evaluate(&m, 5000 + 4000, &c);
	T_EQ_INT(c.known, 1);
	meter_release(&m);
}

static void
test_commission__precondition_boundaries(void)
{
	struct cm_inputs	in;
	struct wiring_diag	d;
	struct commission	c;
	int			n;

	memset(&in, 0, sizeof in);
	memset(&d, 0, sizeof d);
	for (n = 0; n < 3; n++) {
		in.has_v[n] = in.has_i[n] = in.has_p[n] = in.has_pf[n] = 1;
		in.v[n] = 230;
		in.i[n] = 20.0;
		in.pf[n] = 0.601;
	}
	commission_from_values(&in, &d, &c);
	assert_sane_commission(&c);
	T_EQ_INT(c.checks[CM_CHECK_I20].state, CM_PASS);
	T_EQ_INT(c.checks[CM_CHECK_PF].state, CM_PASS);
	T_EQ_INT(c.preconditions, CM_PASS);
	in.i[1] = 19.999;
	in.pf[0] = 0.6;
	commission_from_values(&in, &d, &c);
	T_EQ_INT(c.checks[CM_CHECK_I20].state, CM_FAIL);
	T_EQ_INT(c.checks[CM_CHECK_PF].state, CM_FAIL);
	in.pf[0] = 1.0;			/* the leaflet says PF < 1 */
	commission_from_values(&in, &d, &c);
	T_EQ_INT(c.checks[CM_CHECK_PF].state, CM_FAIL);
	in.pf[0] = -0.95;
	in.v[2] = 150.0;		/* the pictogram needs more than 150 V */
	commission_from_values(&in, &d, &c);
	T_EQ_INT(c.checks[CM_CHECK_PF].state, CM_PASS);
	T_EQ_INT(c.checks[CM_CHECK_VOLTAGE].state, CM_FAIL);
	/* a fail on one phase wins over a missing reading on another */
	in.has_v[0] = 0;
	commission_from_values(&in, &d, &c);
	T_EQ_INT(c.checks[CM_CHECK_VOLTAGE].state, CM_FAIL);
	in.v[2] = 230;
	commission_from_values(&in, &d, &c);
	T_EQ_INT(c.checks[CM_CHECK_VOLTAGE].state, CM_UNKNOWN);
	assert_sane_commission(&c);
}

static void
test_commission__err_table(void)
{
	static const int	codes[] = { 0, 1, 2, 3, 7, 8, 9, -1 };
	size_t			k;

	for (k = 0; k < sizeof codes / sizeof codes[0]; k++) {
		T_OK(commission_err_text(codes[k]) != NULL);
		T_OK(commission_err_remedy(codes[k]) != NULL);
	}
	T_OK(commission_err_text(4) == NULL);
	T_OK(commission_err_text(10) == NULL);
	T_EQ_STR(commission_state_word(CM_FAIL), "FAIL");
	T_CONTAINS(commission_not_readable, "not readable over Modbus");
}

static void
test_commission__auto_envelope(void)
{
	struct cm_setting	s = { 19200, 'N', 1, 0 };
	char			buf[32];

	T_EQ_INT(commission_setting_in_auto(&s), 0);
	s.stop_bits = 2;
	T_EQ_INT(commission_setting_in_auto(&s), 1);
	s.parity = 'E';
	T_EQ_INT(commission_setting_in_auto(&s), 0);	/* 8E2 */
	s.stop_bits = 1;
	T_EQ_INT(commission_setting_in_auto(&s), 1);
	s.baud = 4800;
	T_EQ_INT(commission_setting_in_auto(&s), 0);
	s.baud = 38400;
	s.parity = 'O';
	T_EQ_INT(commission_setting_in_auto(&s), 1);
	commission_setting_name(&s, buf, sizeof buf);
	T_EQ_STR(buf, "38400 8O1");
}

static void
test_commission__finder_plan_bound(void)
{
	struct bus_conf		b = { .type = BUS_RTU, .baud = 9600,
				    .parity = 'E', .stop_bits = 1 };
	struct cm_finder_plan	p;
	int64_t			sum = 0;
	int			i, j, nauto = 0;

	T_EQ_INT(commission_finder_plan(&b, 300, 1, &p), 16);
	/* the configured setting first, each setting once */
	T_EQ_INT(p.s[0].baud, 9600);
	T_EQ_INT(p.s[0].parity, 'E');
	for (i = 0; i < p.n; i++) {
		for (j = i + 1; j < p.n; j++)
			T_OK(p.s[i].baud != p.s[j].baud ||
			    p.s[i].parity != p.s[j].parity ||
			    p.s[i].stop_bits != p.s[j].stop_bits);
		T_EQ_INT(p.s[i].in_auto, commission_setting_in_auto(&p.s[i]));
		nauto += p.s[i].in_auto;
		sum += p.try_ms[i];
		T_OK(p.try_ms[i] > 300 + CM_FINDER_SWITCH_MS);
	}
	T_EQ_INT(nauto, 9);		/* 3 speeds x (8N2, 8E1, 8O1) */
	T_EQ_INT(p.total_ms, sum);
	/* 19200 8N1 (MANU only): 21 characters of 521 us + 2 x 1824 us
	 * silence = 14.6 ms, rounded up to 15, + 300 timeout + 50 switch */
	for (i = 0; i < p.n; i++)
		if (p.s[i].baud == 19200 && p.s[i].parity == 'N' &&
		    p.s[i].stop_bits == 1)
			T_EQ_INT(p.try_ms[i], 365);
	/* 3 tries a setting triple the per-request part */
	commission_finder_plan(&b, 300, 3, &p);
	T_EQ_INT(p.try_ms[0], 3 * (300 + 33) + 50);	/* 9600 8E1 */
	/* no serial bus configured: the envelope order */
	commission_finder_plan(NULL, 100, 1, &p);
	T_EQ_INT(p.n, 16);
	T_EQ_INT(p.s[0].baud, 19200);
	T_EQ_INT(p.s[0].stop_bits, 2);
}

static void
test_commission__setting_diff(void)
{
	struct bus_conf		b = { .type = BUS_RTU, .baud = 19200,
				    .parity = 'N', .stop_bits = 1 };
	struct cm_setting	f = { 9600, 'E', 1, 1 };
	char			buf[256];

	commission_setting_diff(&b, &f, buf, sizeof buf);
	T_CONTAINS(buf, "baud 19200 -> 9600, parity none -> even");
	T_CONTAINS(buf, "; 19200 8N1 is MANU only: a meter in AUTO never");
	f.baud = 19200;
	f.parity = 'N';
	f.stop_bits = 2;
	commission_setting_diff(&b, &f, buf, sizeof buf);
	T_CONTAINS(buf, "stop bits 1 -> 2 (baud right)");
	f.stop_bits = 1;
	commission_setting_diff(&b, &f, buf, sizeof buf);
	T_EQ_STR(buf, "the configured setting is right");
	b.stop_bits = 2;
	f.stop_bits = 2;
	f.baud = 38400;
	commission_setting_diff(&b, &f, buf, sizeof buf);
	T_EQ_STR(buf, "baud 19200 -> 38400");
	commission_setting_diff(&b, &f, buf, 8);
	T_EQ_INT((int)strlen(buf), 7);
}

int
main(void)
{
	T_RUN(test_commission__healthy_is_err0);
	T_RUN(test_commission__reversed_current_is_err2);
	T_RUN(test_commission__answer_text);
	T_RUN(test_commission__vn_swap_is_err7);
	T_RUN(test_commission__lost_phase_3);
	T_RUN(test_commission__stale_or_missing_is_unknown);
	T_RUN(test_commission__precondition_boundaries);
	T_RUN(test_commission__err_table);
	T_RUN(test_commission__auto_envelope);
	T_RUN(test_commission__finder_plan_bound);
	T_RUN(test_commission__setting_diff);
	return t_done();
}
