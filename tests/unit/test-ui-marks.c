/*
 * test-ui-marks.c: the marks a meter's state word carries (ui-marks.c):
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
#include "ui-marks.h"

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
test_ui_marks__healthy_has_none(void)
{
	struct meter	*m = new_meter();
	char		 buf[32];

	put_phases(m, v_ok, i_ok, p_ok, 2000);
	put_tariffs(m, 1000, 100, 200, 300, 400, 2000);
	T_EQ_INT(ui_marks(m, 2500, buf, sizeof buf), 0);
	T_EQ_STR(buf, "");
	/* nothing read yet: nothing to say */
	meter_release(m);
	free(m);
	m = new_meter();
	T_EQ_INT(ui_marks(m, 2500, buf, sizeof buf), 0);
	T_EQ_STR(buf, "");
	T_EQ_INT(ui_marks(NULL, 2500, buf, sizeof buf), 0);
	T_EQ_STR(buf, "");
	meter_release(m);
	free(m);
}

static void
test_ui_marks__wiring(void)
{
	struct meter	*m = new_meter();
	char		 buf[32];
	int64_t		 p[3] = { 200, -200, 200 };
	/* V3 on the N terminal: V1, V2 read line to line */
	const int64_t	 vswap[3] = { 40000, 40000, 23000 };
	const int64_t	 pswap[3] = { 200, 200, -200 };

	put_phases(m, v_ok, i_ok, p, 2000);
	T_EQ_INT(ui_marks(m, 2000, buf, sizeof buf), UI_MARK_WIRING);
	T_EQ_STR(buf, "Err2");
	p[0] = -5;
	put_phases(m, v_ok, i_ok, p, 3000);
	T_EQ_INT(ui_marks(m, 3000, buf, sizeof buf), UI_MARK_WIRING);
	T_EQ_STR(buf, "Err1,2");
	put_phases(m, vswap, i_ok, pswap, 4000);
	T_EQ_INT(ui_marks(m, 4000, buf, sizeof buf), UI_MARK_WIRING);
	T_EQ_STR(buf, "Err9");
	/* too old to say (three poll periods and a second): no mark */
	T_EQ_INT(ui_marks(m, 4000 + 4001, buf, sizeof buf), 0);
	T_EQ_STR(buf, "");
	meter_release(m);
	free(m);
}

static void
test_ui_marks__checks(void)
{
	struct meter	*m = new_meter();
	char		 buf[32];
	int64_t		 p[3] = { 200, -200, 200 };

	put_phases(m, v_ok, i_ok, p_ok, 2000);
	put_tariffs(m, 1003, 100, 200, 300, 400, 2000);	/* within 3 counts */
	T_EQ_INT(ui_marks(m, 2000, buf, sizeof buf), 0);
	/* 5 counts off, three cycles in a row (meter.h) */
	put_tariffs(m, 1008, 100, 200, 300, 400, 3000);
	put_tariffs(m, 1008, 100, 200, 300, 400, 4000);
	T_EQ_INT(ui_marks(m, 4000, buf, sizeof buf), 0);
	put_tariffs(m, 1008, 100, 200, 300, 400, 5000);
	T_EQ_INT(ui_marks(m, 5000, buf, sizeof buf), UI_MARK_CHECK);
	T_EQ_STR(buf, "CHECK");
	/* adds up again, but the total went backwards three times: kept */
	put_tariffs(m, 1000, 100, 200, 300, 400, 6000);
	put_tariffs(m, 1000, 100, 200, 300, 400, 7000);
	put_tariffs(m, 1000, 100, 200, 300, 400, 8000);
	T_EQ_INT(meter_tariffs_consistent(m), 1);
	T_EQ_INT(ui_marks(m, 8000, buf, sizeof buf), UI_MARK_CHECK);
	T_EQ_STR(buf, "CHECK");
	put_phases(m, v_ok, i_ok, p, 9000);
	T_EQ_INT(ui_marks(m, 9000, buf, sizeof buf),
	    UI_MARK_WIRING | UI_MARK_CHECK);
	T_EQ_STR(buf, "Err2 CHECK");
	/* a small buffer is cut, still terminated */
	ui_marks(m, 9000, buf, 6);
	T_EQ_STR(buf, "Err2 ");
	ui_marks(m, 9000, buf, 3);
	T_EQ_STR(buf, "Er");
	T_EQ_INT(ui_marks(m, 9000, buf, 0), 0);
	meter_release(m);
	free(m);
}

int
main(void)
{
	T_RUN(test_ui_marks__healthy_has_none);
	T_RUN(test_ui_marks__wiring);
	T_RUN(test_ui_marks__checks);
	return t_done();
}
