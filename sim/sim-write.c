/*
 * sim-write.c: the effect of FC06/FC16 writes on one simulated E34. The
 * address checks (defined, writable) are sim-pdu.c's; this file decides
 * by register what a value means and whether the meter takes it.
 */
#include <stdio.h>
#include <string.h>

#include "regmap.h"
#include "sim-clock.h"
#include "sim-write.h"

#define SIM_EXC_VALUE	3
#define SIM_EXC_FAILURE	4

/* 1 when [addr, addr + count) and the row of id overlap. */
static int
sim_write_hits(int addr, int count, enum reg_id id)
{
	const struct reg_def	*r = regmap_get(id);

	return addr < r->addr + r->count && r->addr < addr + count;
}

/* Tariff: 0x9E21 = 1..4; 0x9E20 is a reserved word, written 0 or ignored. */
static int
sim_write_tariff(struct sim_unit *u, int addr, int count,
    const uint16_t *vals, char *what, size_t len)
{
	int	off = regmap_get(REG_SET_TARIFF)->addr - addr;

	if (off < 0 || off >= count) {
		snprintf(what, len, "ok, reserved word ignored");
		return 0;
	}
	if (vals[off] < 1 || vals[off] > SIM_TARIFFS) {
		snprintf(what, len, "refused, tariff %u is not 1..%d",
		    vals[off], SIM_TARIFFS);
		return SIM_EXC_VALUE;
	}
	u->tariff = vals[off];
	snprintf(what, len, "ok, tariff %d active", u->tariff);
	return 0;
}

/* Clock: all 6 words at once with FC16 (register map §7). */
static int
sim_write_clock(struct sim_unit *u, const struct sim_site *site, double now,
    int fc, int addr, int count, const uint16_t *v, char *what, size_t len)
{
	int64_t	s2000;

	if (fc != 16 || addr != regmap_get(REG_DAY)->addr || count != 6) {
		snprintf(what, len, "refused, the clock takes 6 words from "
		    "0x%04X with FC16", (unsigned)regmap_get(REG_DAY)->addr);
		return SIM_EXC_VALUE;
	}
	/* order: day, month, year (since 2000), hour, minute, second */
	s2000 = sim_clock_from_fields(2000 + v[2], v[1], v[0], v[3], v[4],
	    v[5]);
	if (s2000 < 0) {
		snprintf(what, len, "refused, not a date (year word %u = "
		    "years since 2000)", v[2]);
		return SIM_EXC_VALUE;
	}
	sim_unit_set_clock(u, site, now, s2000);
	snprintf(what, len, "ok, clock set to %04d-%02u-%02u %02u:%02u:%02u",
	    2000 + v[2], v[1], v[0], v[3], v[4], v[5]);
	return 0;
}

int
sim_write(struct sim_unit *u, const struct sim_site *site, double now,
    int fc, int addr, int count, const uint16_t *vals, char *what,
    size_t len)
{
	const struct reg_def	*r;

	if (sim_write_hits(addr, count, REG_SET_TARIFF_RESERVED) ||
	    sim_write_hits(addr, count, REG_SET_TARIFF))
		return sim_write_tariff(u, addr, count, vals, what, len);
	if (addr + count > regmap_get(REG_DAY)->addr &&
	    addr <= regmap_get(REG_SECOND)->addr)
		return sim_write_clock(u, site, now, fc, addr, count, vals,
		    what, len);
	if (sim_write_hits(addr, count, REG_LC_COMMAND)) {
		if (sim_lc_command(&u->lc, vals[0]) == -1) {
			snprintf(what, len, "refused, load-curve command "
			    "0x%04X is not 0x0001 or 0xFFFE", vals[0]);
			return SIM_EXC_VALUE;
		}
		snprintf(what, len, "ok, load curve %s", vals[0] ==
		    SIM_LC_CMD_RESET ? "pointer reset" : "steps back a block");
		return 0;
	}
	r = regmap_at(addr);
	if (r != NULL && strcmp(r->group, "config") == 0 &&
	    (r->access & REG_ACC_R) == 0) {
		snprintf(what, len, "refused, MID meter: no reset or action");
		return SIM_EXC_FAILURE;
	}
	snprintf(what, len, "refused, configuration is locked");
	return SIM_EXC_FAILURE;
}
