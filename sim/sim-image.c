/*
 * sim-image.c: from a unit's state to register values (sim_image_snap) and
 * from values to words (sim_image_read). Which value each register carries
 * is listed here; addresses, sizes and types come from the register map.
 * Values the public sources do not give (product id, code table, build date)
 * are invented and documented in doc/simulator.md.
 */
#include <stddef.h>
#include <string.h>

#include "sim-clock.h"
#include "sim-image.h"

/* Measurement rows and the struct sim_elec field each one carries. */
static const struct sim_image_elec {
	enum reg_id	id;
	size_t		off;
} sim_image_elec[] = {
#define E(id, f) { id, offsetof(struct sim_elec, f) }
	E(REG_U12, u[0]), E(REG_U23, u[1]), E(REG_U31, u[2]),
	E(REG_V1, v[0]), E(REG_V2, v[1]), E(REG_V3, v[2]), E(REG_F, f),
	E(REG_I1, i[0]), E(REG_I2, i[1]), E(REG_I3, i[2]), E(REG_IN, in),
	E(REG_P, p_sum), E(REG_Q, q_sum), E(REG_S, s_sum), E(REG_PF, pf_sum),
	E(REG_P1, p[0]), E(REG_P2, p[1]), E(REG_P3, p[2]),
	E(REG_Q1, q[0]), E(REG_Q2, q[1]), E(REG_Q3, q[2]),
	E(REG_S1, s[0]), E(REG_S2, s[1]), E(REG_S3, s[2]),
	E(REG_PF1, pf[0]), E(REG_PF2, pf[1]), E(REG_PF3, pf[2]),
	E(REG_U12_16, u[0]), E(REG_U23_16, u[1]), E(REG_U31_16, u[2]),
	E(REG_V1_16, v[0]), E(REG_V2_16, v[1]), E(REG_V3_16, v[2]),
	E(REG_P_16, p_sum), E(REG_Q_16, q_sum), E(REG_S_16, s_sum),
	E(REG_PF_16, pf_sum),
	E(REG_P1_16, p[0]), E(REG_P2_16, p[1]), E(REG_P3_16, p[2]),
	E(REG_Q1_16, q[0]), E(REG_Q2_16, q[1]), E(REG_Q3_16, q[2]),
	E(REG_S1_16, s[0]), E(REG_S2_16, s[1]), E(REG_S3_16, s[2]),
	E(REG_PF1_16, pf[0]), E(REG_PF2_16, pf[1]), E(REG_PF3_16, pf[2]),
	E(REG_I1_NOCT, i[0]), E(REG_I2_NOCT, i[1]), E(REG_I3_NOCT, i[2]),
#undef E
};

/* Constant rows: identification and configuration of a healthy E34. */
static const struct sim_image_const {
	enum reg_id	id;
	int64_t		val;
} sim_image_const[] = {
	{ REG_PRODUCT_ORDER_ID, 100 },		/* Countis family */
	{ REG_PRODUCT_ID, 34 },			/* invented: not published */
	{ REG_JBUS_TABLE_VERSION, 101 },
	{ REG_SOFTWARE_VERSION, 100 },
	{ REG_CODE_TABLE, 0 },
	{ REG_PRODUCT_VERSION_MAJOR, 1 },
	{ REG_PRODUCT_VERSION_MINOR, 0 },
	{ REG_COMBOARD_VERSION_MAJOR, 1 },
	{ REG_COMBOARD_VERSION_MINOR, 2 },
	{ REG_COMBOARD_VERSION_REVISION, 0 },
	{ REG_COMBOARD_VERSION_BUILD, 5 },
	{ REG_COMBOARD_BUILD_DATE, 0x170511000000LL },	/* invented */
	{ REG_INDUS_MODE, 0 },
	{ REG_MID_STATUS, 1 },
	{ REG_COMBOARD_PRODUCT_ID, 1 },
	{ REG_NETWORK_TYPE, 5 },		/* 4NBL: 3P+N unbalanced */
	{ REG_CT_SECONDARY, 5 },		/* direct: ratio 1 */
	{ REG_CT_PRIMARY, 5 },
	{ REG_SYNC_TOP_PERIOD, SIM_LC_PERIOD_S },
	{ REG_TARIFF_COUNT, SIM_TARIFFS },
	{ REG_TARIFF_COUNT_B, SIM_TARIFFS },
	{ REG_OVERFLOW_VALUE, 999999999 },
	/* Ea- and partial counters: one-direction meter, no partials. */
	{ REG_EA_MINUS_TOTAL, 0 }, { REG_EA_PLUS_PARTIAL, 0 },
	{ REG_ER_PLUS_PARTIAL, 0 }, { REG_EA_MINUS_PARTIAL, 0 },
	{ REG_EA_MINUS_TOTAL_10WH, 0 }, { REG_EA_PLUS_PARTIAL_10WH, 0 },
	{ REG_ER_PLUS_PARTIAL_10VARH, 0 }, { REG_EA_MINUS_PARTIAL_10WH, 0 },
	{ REG_EA_MINUS_TOTAL_MWH, 0 },
	{ REG_EA_MINUS_DAY_PREV, 0 }, { REG_EA_MINUS_DAY, 0 },
	{ REG_EA_MINUS_WEEK_PREV, 0 }, { REG_EA_MINUS_WEEK, 0 },
	{ REG_EA_MINUS_MONTH_PREV, 0 }, { REG_EA_MINUS_MONTH, 0 },
	{ REG_EA_MINUS_DAY_PREV_10WH, 0 }, { REG_EA_MINUS_DAY_10WH, 0 },
	{ REG_EA_MINUS_WEEK_PREV_10WH, 0 }, { REG_EA_MINUS_WEEK_10WH, 0 },
	{ REG_EA_MINUS_MONTH_PREV_10WH, 0 }, { REG_EA_MINUS_MONTH_10WH, 0 },
};

static void
sim_image_ident(const struct sim_unit *u, struct sim_snap *sn)
{
	sn->str[REG_SOCO_MAGIC] = "SOCO";
	sn->str[REG_VENDOR_NAME] = "SOCOMEC";
	sn->str[REG_PRODUCT_VLO] = "880100";
	sn->str[REG_COMBOARD_VLO] = "880200";
	if (u->faults.foreign) {
		/* Another Socomec product on the bus: a DIRIS A-10. */
		sn->str[REG_PRODUCT_NAME] = "DIRIS A-10";
		sn->str[REG_EXTENDED_NAME] = "DIRIS A-10";
		sn->val[REG_PRODUCT_ORDER_ID] = 400;
	} else {
		sn->str[REG_PRODUCT_NAME] = "COUNTIS E34";
		sn->str[REG_EXTENDED_NAME] = "COUNTIS E34";
	}
	sn->val[REG_SERIAL_AA_SS] = u->serial[0];
	sn->val[REG_SERIAL_SST_L] = u->serial[1];
	sn->val[REG_SERIAL_ORDER] = u->serial[2];
	sn->val[REG_SERIAL_RESERVE] = u->id;
}

/* Energies, tariffs and the day/week/month indexes. */
static void
sim_image_energy(const struct sim_unit *u, struct sim_snap *sn)
{
	static const enum reg_id t10[SIM_TARIFFS] = { REG_EA_PLUS_T1_10WH,
	    REG_EA_PLUS_T2_10WH, REG_EA_PLUS_T3_10WH, REG_EA_PLUS_T4_10WH };
	static const enum reg_id tk[SIM_TARIFFS] = { REG_EA_PLUS_T1,
	    REG_EA_PLUS_T2, REG_EA_PLUS_T3, REG_EA_PLUS_T4 };
	uint64_t	ea = sim_unit_ea_10wh(u);
	int		k;

	for (k = 0; k < SIM_TARIFFS; k++) {
		sn->val[t10[k]] = (int64_t)u->t_10wh[k];
		sn->val[tk[k]] = (int64_t)(u->t_10wh[k] / 100);
	}
	sn->val[REG_TARIFF_ACTIVE] = u->tariff;
	sn->val[REG_TARIFF_ACTIVE_B] = u->tariff;
	sn->val[REG_EA_PLUS_TOTAL_10WH] = (int64_t)ea;
	sn->val[REG_EA_PLUS_TOTAL] = (int64_t)(ea / 100);
	sn->val[REG_EA_PLUS_TOTAL_MWH] = (int64_t)(ea / 100000);
	sn->val[REG_ER_PLUS_TOTAL_10VARH] = (int64_t)u->er_10varh;
	sn->val[REG_ER_PLUS_TOTAL] = (int64_t)(u->er_10varh / 100);
	sn->val[REG_ER_PLUS_TOTAL_MVARH] = (int64_t)(u->er_10varh / 100000);
	sn->val[REG_EA_PLUS_DAY_10WH] = (int64_t)(ea - u->day.start_10wh);
	sn->val[REG_EA_PLUS_DAY_PREV_10WH] = (int64_t)u->day.prev_10wh;
	sn->val[REG_EA_PLUS_WEEK_10WH] = (int64_t)(ea - u->week.start_10wh);
	sn->val[REG_EA_PLUS_WEEK_PREV_10WH] = (int64_t)u->week.prev_10wh;
	sn->val[REG_EA_PLUS_MONTH_10WH] = (int64_t)(ea - u->month.start_10wh);
	sn->val[REG_EA_PLUS_MONTH_PREV_10WH] = (int64_t)u->month.prev_10wh;
	sn->val[REG_EA_PLUS_DAY] = sn->val[REG_EA_PLUS_DAY_10WH] / 100;
	sn->val[REG_EA_PLUS_DAY_PREV] = sn->val[REG_EA_PLUS_DAY_PREV_10WH] / 100;
	sn->val[REG_EA_PLUS_WEEK] = sn->val[REG_EA_PLUS_WEEK_10WH] / 100;
	sn->val[REG_EA_PLUS_WEEK_PREV] =
	    sn->val[REG_EA_PLUS_WEEK_PREV_10WH] / 100;
	sn->val[REG_EA_PLUS_MONTH] = sn->val[REG_EA_PLUS_MONTH_10WH] / 100;
	sn->val[REG_EA_PLUS_MONTH_PREV] =
	    sn->val[REG_EA_PLUS_MONTH_PREV_10WH] / 100;
}

/* Clock registers, the last average and the load-curve block. */
static void
sim_image_clock(const struct sim_unit *u, double now, struct sim_snap *sn)
{
	const struct sim_lc_rec	*r = sim_lc_newest(&u->lc);
	struct tm		 tm;

	sim_clock_fields(sim_unit_clock(u, now), &tm);
	sn->val[REG_DAY] = tm.tm_mday;
	sn->val[REG_MONTH] = tm.tm_mon + 1;
	sn->val[REG_YEAR] = tm.tm_year + 1900 - 2000;	/* map: inferred */
	sn->val[REG_HOUR] = tm.tm_hour;
	sn->val[REG_MINUTE] = tm.tm_min;
	sn->val[REG_SECOND] = tm.tm_sec;
	sn->val[REG_AVG_LAST_DATE] = r != NULL ? r->date : 0;
	sn->val[REG_AVG_LAST_P_PLUS] = r != NULL ? r->value_w : 0;
	sn->val[REG_AVG_LAST_DATE_B] = sn->val[REG_AVG_LAST_DATE];
	sn->val[REG_AVG_LAST_P_PLUS_B] = sn->val[REG_AVG_LAST_P_PLUS];
	sim_lc_block(&u->lc, sn->lc);
}

void
sim_image_snap(const struct sim_unit *u, const struct sim_site *site,
    double now, struct sim_snap *sn)
{
	struct sim_elec	e;
	size_t		k;

	memset(sn, 0, sizeof *sn);
	sim_unit_elec(u, site, now, &e);
	for (k = 0; k < sizeof sim_image_elec / sizeof sim_image_elec[0]; k++)
		sn->val[sim_image_elec[k].id] =
		    *(const int64_t *)(const void *)((const char *)&e +
		    sim_image_elec[k].off);
	for (k = 0; k < sizeof sim_image_const / sizeof sim_image_const[0];
	    k++)
		sn->val[sim_image_const[k].id] = sim_image_const[k].val;
	sim_image_ident(u, sn);
	sim_image_energy(u, sn);
	sim_image_clock(u, now, sn);
}

/* Clamp to what a 16-bit register carries, short of the n/a markers. */
static uint16_t
sim_image_w16(enum reg_type t, int64_t v)
{
	if (t == REG_T_S16) {
		if (v > 32766)
			v = 32766;
		if (v < -32768)
			v = -32768;
		return (uint16_t)(int16_t)v;
	}
	if (v < 0)
		v = 0;
	if (v > 65534)
		v = 65534;
	return (uint16_t)v;
}

/* Encode one row's words into w (row->count words). */
static void
sim_image_row(const struct reg_def *row, const struct sim_snap *sn,
    uint16_t *w)
{
	const char	*s = sn->str[row->id] != NULL ? sn->str[row->id] : "";
	int64_t		 v = sn->val[row->id];
	size_t		 len = strlen(s);
	int		 k;

	switch (row->type) {
	case REG_T_U8:
	case REG_T_U8_HEX:
		w[0] = (uint16_t)(v & 0xFF);
		break;
	case REG_T_U16:
	case REG_T_U16_HEX:
	case REG_T_S16:
		w[0] = sim_image_w16(row->type, v);
		break;
	case REG_T_U32:
	case REG_T_S32:
	case REG_T_DATETIME:
		w[0] = (uint16_t)((uint64_t)v >> 16);
		w[1] = (uint16_t)((uint64_t)v & 0xFFFF);
		break;
	case REG_T_U64_HEX:
	case REG_T_DATETIME_3:
		for (k = 0; k < row->count; k++)
			w[k] = (uint16_t)((uint64_t)v >>
			    (16 * (row->count - 1 - k)));
		break;
	case REG_T_ASCII16:
		for (k = 0; k < row->count; k++)
			w[k] = (size_t)k < len ? (uint8_t)s[k] : 0;
		break;
	case REG_T_ASCII:
		for (k = 0; k < row->count; k++)
			w[k] = (uint16_t)(((size_t)2 * k < len ?
			    (uint8_t)s[2 * k] : ' ') << 8 |
			    ((size_t)2 * k + 1 < len ?
			    (uint8_t)s[2 * k + 1] : ' '));
		break;
	case REG_T_NONE:
	case REG_T_RECORDS:
		break;
	}
}

void
sim_image_read(const struct sim_snap *sn, int addr, int count, uint16_t *out)
{
	const struct reg_def	*row;
	int			 lc0 = regmap_get(REG_LC_RECORD_COUNT)->addr;
	uint16_t		 w[SIM_LC_BLOCK_WORDS];
	int			 a, k;

	memset(out, 0, (size_t)count * sizeof *out);
	for (a = addr; a < addr + count; ) {
		row = regmap_at(a);
		if (row == NULL || !regmap_e34_defines(a) ||
		    !(row->access & REG_ACC_R)) {
			a++;
			continue;
		}
		if (row->addr >= lc0 && row->addr < lc0 + SIM_LC_BLOCK_WORDS)
			memcpy(w, sn->lc + (row->addr - lc0),
			    (size_t)row->count * sizeof *w);
		else
			sim_image_row(row, sn, w);
		for (k = a - row->addr; k < row->count && a < addr + count;
		    k++, a++)
			out[a - addr] = w[k];
	}
}
