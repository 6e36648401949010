/*
 * pollplan.c: the poll plan of a COUNTIS E34, built from the register map.
 *
 * Which registers are read how often is a list of ids per set (below); the
 * requests are derived from the map, so no address appears here. Wire-time
 * arithmetic for the plan printout and the bus load figures lives here too.
 * Scheduling (timers, back-off) is engine.c's; the transport is bus.c's.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pollplan.h"
#include "regdecode.h"
#include "wire.h"

/*
 * Every poll: all the CSV needs and the Measurements screen shows live
 * (32-bit metrology 0xC552.., energies in 10 Wh steps, the 0xC800 tariff
 * block with the active tariff and T1..T4). Three requests.
 */
static const enum reg_id fast_ids[] = {
	REG_U12, REG_U23, REG_U31, REG_V1, REG_V2, REG_V3, REG_F,
	REG_I1, REG_I2, REG_I3, REG_IN, REG_P, REG_Q, REG_S, REG_PF,
	REG_P1, REG_P2, REG_P3, REG_Q1, REG_Q2, REG_Q3, REG_S1, REG_S2,
	REG_S3, REG_PF1, REG_PF2, REG_PF3,
	REG_EA_PLUS_TOTAL_10WH, REG_ER_PLUS_TOTAL_10VARH,
	REG_TARIFF_COUNT_B, REG_TARIFF_ACTIVE_B,
	REG_EA_PLUS_T1_10WH, REG_EA_PLUS_T2_10WH, REG_EA_PLUS_T3_10WH,
	REG_EA_PLUS_T4_10WH,
};

/*
 * At start and every slow_every_ms: values that move slowly or not at all
 * (clock, network type, day/week/month indexes, rollover counts, exported
 * energy, the last average P+).
 */
static const enum reg_id slow_ids[] = {
	REG_DAY, REG_MONTH, REG_YEAR, REG_HOUR, REG_MINUTE, REG_SECOND,
	REG_NETWORK_TYPE, REG_CT_SECONDARY, REG_CT_PRIMARY, REG_SYNC_TOP_PERIOD,
	REG_EA_MINUS_TOTAL_10WH, REG_AVG_LAST_DATE_B, REG_AVG_LAST_P_PLUS_B,
	REG_EA_PLUS_DAY_PREV_10WH, REG_EA_MINUS_DAY_PREV_10WH,
	REG_EA_PLUS_DAY_10WH, REG_EA_MINUS_DAY_10WH,
	REG_EA_PLUS_WEEK_PREV_10WH, REG_EA_MINUS_WEEK_PREV_10WH,
	REG_EA_PLUS_WEEK_10WH, REG_EA_MINUS_WEEK_10WH,
	REG_EA_PLUS_MONTH_PREV_10WH, REG_EA_MINUS_MONTH_PREV_10WH,
	REG_EA_PLUS_MONTH_10WH, REG_EA_MINUS_MONTH_10WH,
	REG_OVERFLOW_VALUE, REG_OVERFLOW_COUNT_EA_PLUS,
	REG_OVERFLOW_COUNT_ER_PLUS, REG_OVERFLOW_COUNT_EA_MINUS,
	REG_OVERFLOW_COUNT_T1, REG_OVERFLOW_COUNT_T2, REG_OVERFLOW_COUNT_T3,
	REG_OVERFLOW_COUNT_T4,
};

/* Once per identification: the rest of the identification block. */
static const enum reg_id info_ids[] = {
	REG_SOCO_MAGIC, REG_PRODUCT_ORDER_ID, REG_PRODUCT_ID,
	REG_JBUS_TABLE_VERSION, REG_SOFTWARE_VERSION, REG_SERIAL_AA_SS,
	REG_SERIAL_SST_L, REG_SERIAL_ORDER, REG_SERIAL_RESERVE, REG_CODE_TABLE,
	REG_PRODUCT_VERSION_MAJOR, REG_PRODUCT_VERSION_MINOR, REG_PRODUCT_VLO,
	REG_VENDOR_NAME, REG_PRODUCT_NAME, REG_EXTENDED_NAME,
	REG_COMBOARD_VERSION_MAJOR, REG_COMBOARD_VERSION_MINOR,
	REG_COMBOARD_VERSION_REVISION, REG_COMBOARD_VERSION_BUILD,
	REG_COMBOARD_BUILD_DATE, REG_COMBOARD_VLO, REG_INDUS_MODE,
	REG_MID_STATUS, REG_COMBOARD_PRODUCT_ID,
};

static const enum reg_id magic_ids[] = { REG_SOCO_MAGIC };
static const enum reg_id name_ids[] = { REG_EXTENDED_NAME };

#define NITEMS(a)	((int)(sizeof (a) / sizeof (a)[0]))

static int
poll_id_cmp(const void *a, const void *b)
{
	int	x = regmap_get(*(const enum reg_id *)a)->addr;
	int	y = regmap_get(*(const enum reg_id *)b)->addr;

	return (x > y) - (x < y);
}

/* Add every E34 row lying wholly inside r's span to r's id list. */
static int
poll_req_cover(struct poll_req *r, struct err *e)
{
	const struct reg_def	*d;
	size_t			 i;

	r->nids = 0;
	for (i = 0; i < regmap_e34_len; i++) {
		d = &regmap_e34[i];
		if (d->addr < r->addr || d->count <= 0 ||
		    d->addr + d->count > r->addr + r->count)
			continue;
		if (!regmap_e34_readable(d->addr, d->count))
			continue;
		if (r->nids == POLL_MAX_IDS)
			return err_set(e, "poll plan: request at 0x%04X covers "
			    "more than %d rows", r->addr, POLL_MAX_IDS);
		r->ids[r->nids++] = d->id;
	}
	return 0;
}

/* Build one set of requests from a list of ids (see pollplan.h). */
int
poll_set_build(struct poll_set *s, const char *name, const enum reg_id *ids,
    int nids, int bridge, struct err *e)
{
	enum reg_id		 sorted[REG__COUNT];
	const struct reg_def	*d;
	struct poll_req		*cur = NULL;
	int			 i, end, gap;

	memset(s, 0, sizeof *s);
	s->name = name;
	if (nids <= 0 || nids > REG__COUNT)
		return err_set(e, "poll plan %s: %d registers", name, nids);
	memcpy(sorted, ids, (size_t)nids * sizeof *ids);
	qsort(sorted, (size_t)nids, sizeof *sorted, poll_id_cmp);
	for (i = 0; i < nids; i++) {
		d = regmap_get(sorted[i]);
		if (d->addr < 0 || d->count <= 0 ||
		    !regmap_e34_readable(d->addr, d->count))
			return err_set(e, "poll plan %s: register %s is not "
			    "readable on an E34", name, d->name);
		if (cur != NULL) {
			end = cur->addr + cur->count;
			gap = d->addr - end;
			if (gap < 0)		/* same row twice, or overlap */
				gap = 0;
			if (d->addr + d->count <= end)
				continue;
			if (gap <= bridge && (gap == 0 ||
			    regmap_e34_readable(end, gap)) &&
			    d->addr + d->count - cur->addr <= POLL_MAX_WORDS) {
				cur->count = d->addr + d->count - cur->addr;
				continue;
			}
		}
		if (s->nreq == POLL_MAX_REQS)
			return err_set(e, "poll plan %s: more than %d requests",
			    name, POLL_MAX_REQS);
		cur = &s->req[s->nreq++];
		cur->addr = d->addr;
		cur->count = d->count;
	}
	for (i = 0; i < s->nreq; i++) {
		if (poll_req_cover(&s->req[i], e) == -1)
			return -1;
		s->words += s->req[i].count;
	}
	return 0;
}

/* The E34 plan from the lists above. */
int
poll_plan_init(struct poll_plan *p, struct err *e)
{
	memset(p, 0, sizeof *p);
	p->slow_every_ms = 60000;
	if (poll_set_build(&p->fast, "fast", fast_ids, NITEMS(fast_ids),
	    POLL_BRIDGE_MAX, e) == -1 ||
	    poll_set_build(&p->slow, "slow", slow_ids, NITEMS(slow_ids),
	    POLL_BRIDGE_MAX, e) == -1 ||
	    poll_set_build(&p->info, "identification details", info_ids,
	    NITEMS(info_ids), POLL_BRIDGE_MAX, e) == -1 ||
	    poll_set_build(&p->magic, "identification", magic_ids,
	    NITEMS(magic_ids),
	    0, e) == -1 ||
	    poll_set_build(&p->name, "extended name", name_ids,
	    NITEMS(name_ids), 0, e) == -1)
		return -1;
	return 0;
}

uint32_t
poll_t35_us(const struct bus_conf *b)
{
	if (!bus_has_line(b) || b->baud <= 0)	/* rtu, rtu-tcp */
		return 0;
	return (uint32_t)wire_t35_us(b->baud, bus_char_us(b));
}

uint32_t
poll_req_wire_us(const struct bus_conf *b, int count)
{
	if (!bus_has_line(b) || b->baud <= 0)	/* rtu, rtu-tcp */
		return 0;
	return (uint32_t)wire_frames_us(b->baud, bus_char_us(b),
	    8 + 5 + 2 * count, 2);
}

uint32_t
poll_set_wire_us(const struct bus_conf *b, const struct poll_set *s)
{
	uint32_t	us = 0;
	int		i;

	for (i = 0; i < s->nreq; i++)
		us += poll_req_wire_us(b, s->req[i].count);
	return us;
}

/* One line per request: address, count, wire time, the rows it covers. */
void
poll_set_print(const struct bus_conf *b, const struct poll_set *s, FILE *fp)
{
	const struct poll_req	*r;
	uint32_t		 us;
	int			 i, j, col;

	for (i = 0; i < s->nreq; i++) {
		r = &s->req[i];
		us = poll_req_wire_us(b, r->count);
		col = fprintf(fp, "    0x%04X x%-3d %4u.%02u ms ", r->addr,
		    r->count, us / 1000, (us % 1000) / 10);
		for (j = 0; j < r->nids; j++) {
			const char *n = regmap_get(r->ids[j])->name;

			if (col + (int)strlen(n) + 1 > 78) {
				fputs("\n", fp);
				col = fprintf(fp, "%*s", 26, "");
			}
			col += fprintf(fp, " %s", n);
		}
		fputs("\n", fp);
	}
}

int
poll_ident_magic_ok(const uint16_t *words, int count)
{
	static const char	soco[] = "SOCO";
	int			i;

	if (count < 4)
		return 0;
	for (i = 0; i < 4; i++)		/* ASCII16: one char per word */
		if (words[i] != (uint16_t)soco[i])
			return 0;
	return 1;
}

/*
 * The extended name is decoded by regdecode's string rule (NULs pad,
 * unprintable bytes show as '?', both ends trimmed), the one rule every
 * reader of that register uses, then compared without regard to case.
 */
int
poll_ident_name_ok(const uint16_t *words, int count, char *out, size_t outlen)
{
	static const char	want[] = "countis e34";
	struct reg_def		d = *regmap_get(REG_EXTENDED_NAME);
	struct reg_value	v;

	if (out != NULL && outlen > 0)
		out[0] = '\0';
	if (words == NULL || count < 1)
		return 0;
	d.count = count > POLL_MAX_WORDS ? POLL_MAX_WORDS : count;
	if (reg_decode(&d, words, &v) == -1)
		return 0;
	if (out != NULL && outlen > 0)
		snprintf(out, outlen, "%s", v.str);
	return strncasecmp(v.str, want, sizeof want - 1) == 0;
}
