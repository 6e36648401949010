/*
 * test-health.c: the view-model of a meter without a terminal (health.c).
 * The staleness rule and its limits; the state word of each status, with
 * the age of the values a failing meter left; a register's text ("---"
 * never read, "n/a", scaled, stale past its limit or after a failed
 * cycle); the age words. The marks a meter's state word carries:
 * nothing on a healthy meter, "Err2" for a reversed current on L2, "Err9"
 * for a V3-N swap, several codes at once, "CHECK" when T1..T4 do not add
 * up to the total or a counter went backwards, both together, nothing once
 * the readings are too old to say, and a buffer too small cut cleanly.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "meter.h"
#include "t.h"
#include "health.h"

static char			conf_name[] = "m1";
static struct meter_conf	conf = {
	.name = conf_name, .label = conf_name, .address = 1, .poll_ms = 1000
};

static struct meter *
new_meter(void)
{
	struct meter	*m;

	if ((m = malloc(sizeof *m)) == NULL)
		abort();
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

/* V (0.01 V), I (mA), P (10 W) of the three phases. */
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
put_tariffs(struct meter *m, int64_t total, int64_t t1, int64_t t2,
    int64_t t3, int64_t t4, int64_t now_ms)
{
	put(m, REG_EA_PLUS_TOTAL_10WH, total, now_ms);
	put(m, REG_EA_PLUS_T1_10WH, t1, now_ms);
	put(m, REG_EA_PLUS_T2_10WH, t2, now_ms);
	put(m, REG_EA_PLUS_T3_10WH, t3, now_ms);
	put(m, REG_EA_PLUS_T4_10WH, t4, now_ms);
	meter_cycle_end(m, now_ms, 0);
}

static const int64_t	v_ok[3] = { 23000, 23100, 22950 };
static const int64_t	i_ok[3] = { 10000, 9000, 11000 };
static const int64_t	p_ok[3] = { 200, 180, 230 };

static void
test_health__marks_healthy_has_none(void)
{
	struct meter	*m = new_meter();
	char		 buf[32];

	put_phases(m, v_ok, i_ok, p_ok, 2000);
	put_tariffs(m, 1000, 100, 200, 300, 400, 2000);
	T_EQ_INT(health_marks(m, 2500, buf, sizeof buf), 0);
	T_EQ_STR(buf, "");
	/* nothing read yet: nothing to say */
	meter_release(m);
	free(m);
	m = new_meter();
	T_EQ_INT(health_marks(m, 2500, buf, sizeof buf), 0);
	T_EQ_STR(buf, "");
	T_EQ_INT(health_marks(NULL, 2500, buf, sizeof buf), 0);
	T_EQ_STR(buf, "");
	meter_release(m);
	free(m);
}

static void
test_health__marks_wiring(void)
{
	struct meter	*m = new_meter();
	char		 buf[32];
	int64_t		 p[3] = { 200, -200, 200 };
	/* V3 on the N terminal: V1, V2 read line to line */
	const int64_t	 vswap[3] = { 40000, 40000, 23000 };
	const int64_t	 pswap[3] = { 200, 200, -200 };

	put_phases(m, v_ok, i_ok, p, 2000);
	T_EQ_INT(health_marks(m, 2000, buf, sizeof buf), HEALTH_MARK_WIRING);
	T_EQ_STR(buf, "Err2");
	p[0] = -5;
	put_phases(m, v_ok, i_ok, p, 3000);
	T_EQ_INT(health_marks(m, 3000, buf, sizeof buf), HEALTH_MARK_WIRING);
	T_EQ_STR(buf, "Err1,2");
	put_phases(m, vswap, i_ok, pswap, 4000);
	T_EQ_INT(health_marks(m, 4000, buf, sizeof buf), HEALTH_MARK_WIRING);
	T_EQ_STR(buf, "Err9");
	/* too old to say (three poll periods and a second): no mark */
	T_EQ_INT(health_marks(m, 4000 + 4001, buf, sizeof buf), 0);
	T_EQ_STR(buf, "");
	meter_release(m);
	free(m);
}

static void
test_health__marks_checks(void)
{
	struct meter	*m = new_meter();
	char		 buf[32];
	int64_t		 p[3] = { 200, -200, 200 };

	put_phases(m, v_ok, i_ok, p_ok, 2000);
	put_tariffs(m, 1003, 100, 200, 300, 400, 2000);	/* within 3 counts */
	T_EQ_INT(health_marks(m, 2000, buf, sizeof buf), 0);
	/* 5 counts off, three cycles in a row (meter.h) */
	put_tariffs(m, 1008, 100, 200, 300, 400, 3000);
	put_tariffs(m, 1008, 100, 200, 300, 400, 4000);
	T_EQ_INT(health_marks(m, 4000, buf, sizeof buf), 0);
	put_tariffs(m, 1008, 100, 200, 300, 400, 5000);
	T_EQ_INT(health_marks(m, 5000, buf, sizeof buf), HEALTH_MARK_CHECK);
	T_EQ_STR(buf, "CHECK");
	/* adds up again, but the total went backwards three times: kept */
	put_tariffs(m, 1000, 100, 200, 300, 400, 6000);
	put_tariffs(m, 1000, 100, 200, 300, 400, 7000);
	put_tariffs(m, 1000, 100, 200, 300, 400, 8000);
	T_EQ_INT(meter_tariffs_consistent(m), 1);
	T_EQ_INT(health_marks(m, 8000, buf, sizeof buf), HEALTH_MARK_CHECK);
	T_EQ_STR(buf, "CHECK");
	put_phases(m, v_ok, i_ok, p, 9000);
	T_EQ_INT(health_marks(m, 9000, buf, sizeof buf),
	    HEALTH_MARK_WIRING | HEALTH_MARK_CHECK);
	T_EQ_STR(buf, "Err2 CHECK");
	/* a small buffer is cut, still terminated */
	health_marks(m, 9000, buf, 6);
	T_EQ_STR(buf, "Err2 ");
	health_marks(m, 9000, buf, 3);
	T_EQ_STR(buf, "Er");
	T_EQ_INT(health_marks(m, 9000, buf, 0), 0);
	meter_release(m);
	free(m);
}

static void
test_health__limits(void)
{
	/* 2 * the period really achieved + one timeout */
	T_EQ_INT(health_limit_ms(1000, 0, 300), 2300);
	T_EQ_INT(health_limit_ms(1000, 4000, 300), 8300);
	T_EQ_INT(health_reg_limit_ms(HEALTH_POLL_EVERY, 2300, 60000), 2300);
	T_EQ_INT(health_reg_limit_ms(HEALTH_POLL_NONE, 2300, 60000), 2300);
	T_EQ_INT(health_reg_limit_ms(HEALTH_POLL_SLOW, 2300, 60000), 122300);
	T_EQ_INT(health_reg_limit_ms(HEALTH_POLL_SLOW, 2300, 0), 2300);
	T_OK(health_reg_limit_ms(HEALTH_POLL_IDENT, 2300, 60000) == INT64_MAX);
}

static void
test_health__stale_rule(void)
{
	struct meter	*m = new_meter();

	T_EQ_INT(health_stale(NULL, 0, 1000), 1);
	m->status = MS_OK;
	T_EQ_INT(health_stale(m, 1000, 1000), 0);
	T_EQ_INT(health_stale(m, 1001, 1000), 1);
	/* a failed last cycle makes every value not live, however young */
	m->status = MS_TIMEOUT;
	T_EQ_INT(health_stale(m, 0, 1000), 1);
	meter_release(m);
	free(m);
}

static void
test_health__reg_text(void)
{
	struct meter	*m = new_meter();
	struct reg_value v;
	char		 buf[32];
	int64_t		 age;

	T_EQ_INT(health_reg_text(m, REG_V1, 0, 5000, 2300, buf, sizeof buf,
	    &age), HEALTH_VAL_NONE);
	T_EQ_STR(buf, "---");
	T_EQ_INT(age, -1);
	put(m, REG_V1, 23012, 1000);
	m->status = MS_OK;
	T_EQ_INT(health_reg_text(m, REG_V1, 0, 2000, 2300, buf, sizeof buf,
	    &age), HEALTH_VAL_FRESH);
	T_EQ_STR(buf, "230.12");
	T_EQ_INT(age, 1000);
	T_EQ_INT(health_reg_text(m, REG_V1, 0, 4000, 2300, buf, sizeof buf,
	    &age), HEALTH_VAL_STALE);
	T_EQ_STR(buf, "230.12");
	T_EQ_INT(age, 3000);
	/* shift: P in 10 W as kW */
	put(m, REG_P1, 200, 1000);
	health_reg_text(m, REG_P1, -3, 1500, 2300, buf, sizeof buf, NULL);
	T_EQ_STR(buf, "2.00");
	/* a failed last cycle: every value is stale, however young */
	m->status = MS_TIMEOUT;
	T_EQ_INT(health_reg_text(m, REG_V1, 0, 1500, 2300, buf, sizeof buf,
	    NULL), HEALTH_VAL_STALE);
	m->status = MS_OK;
	memset(&v, 0, sizeof v);
	meter_store(m, REG_I1, &v, 1000, 1700000001000LL);
	T_EQ_INT(health_reg_text(m, REG_I1, 0, 1500, 2300, buf, sizeof buf,
	    NULL), HEALTH_VAL_NA);
	T_EQ_STR(buf, "n/a");
	meter_release(m);
	free(m);
}

static void
test_health__state(void)
{
	struct meter	*m = new_meter();
	char		 buf[32];

	T_EQ_INT(health_state(NULL, 0, 2300, buf, sizeof buf), HEALTH_WAITING);
	T_EQ_STR(buf, "---");
	T_EQ_INT(health_state(m, 0, 2300, buf, sizeof buf), HEALTH_WAITING);
	T_EQ_STR(buf, "waiting");
	m->status = MS_TIMEOUT;
	T_EQ_INT(health_state(m, 0, 2300, buf, sizeof buf), HEALTH_FAILING);
	T_EQ_STR(buf, "timeout");
	m->status = MS_OK;
	m->last_ok_ms = m->last_cycle_ms = 1000;
	T_EQ_INT(health_state(m, 2000, 2300, buf, sizeof buf), HEALTH_OK);
	T_EQ_STR(buf, "ok");
	T_EQ_INT(health_state(m, 13000, 2300, buf, sizeof buf), HEALTH_STALE);
	T_EQ_STR(buf, "stale 12s");
	m->status = MS_TIMEOUT;
	T_EQ_INT(health_state(m, 13000, 2300, buf, sizeof buf), HEALTH_FAILING);
	T_EQ_STR(buf, "timeout 12s");
	m->offline = 1;
	health_state(m, 121000, 2300, buf, sizeof buf);
	T_EQ_STR(buf, "offline 2m");
	m->offline = 0;
	m->status = MS_EXCEPTION;
	m->exc_code = 2;
	health_state(m, 6000, 2300, buf, sizeof buf);
	T_EQ_STR(buf, "exc 2 5s");
	m->status = MS_CRC;
	health_state(m, 6000, 2300, buf, sizeof buf);
	T_EQ_STR(buf, "CRC 5s");
	m->status = MS_NOT_E34;
	health_state(m, 6000, 2300, buf, sizeof buf);
	T_EQ_STR(buf, "foreign 5s");
	meter_release(m);
	free(m);
}

static void
test_health__age_words(void)
{
	char	buf[16];

	health_fmt_age(buf, sizeof buf, 850);
	T_EQ_STR(buf, "850ms");
	health_fmt_age(buf, sizeof buf, 59000);
	T_EQ_STR(buf, "59s");
	health_fmt_age(buf, sizeof buf, 12 * 60000);
	T_EQ_STR(buf, "12m");
	health_fmt_age(buf, sizeof buf, 5 * 3600000);
	T_EQ_STR(buf, "5h");
	health_fmt_age(buf, sizeof buf, 3 * 86400000LL);
	T_EQ_STR(buf, "3d");
	health_fmt_age(buf, sizeof buf, -5);
	T_EQ_STR(buf, "0ms");
}

int
main(void)
{
	T_RUN(test_health__limits);
	T_RUN(test_health__stale_rule);
	T_RUN(test_health__reg_text);
	T_RUN(test_health__state);
	T_RUN(test_health__age_words);
	T_RUN(test_health__marks_healthy_has_none);
	T_RUN(test_health__marks_wiring);
	T_RUN(test_health__marks_checks);
	return t_done();
}
