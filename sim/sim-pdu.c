/*
 * sim-pdu.c: one request in, one answer out, for a simulated E34.
 * Reads are checked against the register map word by word (a reserved word,
 * a gap or a family-only row answers exception 02 and is logged with the
 * word "undefined", which the engine's tests grep for); writes are checked
 * the same way, logged whatever the outcome, then applied by sim-write.c.
 */
#include <stdio.h>
#include <string.h>

#include "regmap.h"
#include "sim-clock.h"
#include "sim-image.h"
#include "sim-pdu.h"
#include "sim-write.h"

#define EXC_FUNCTION	1
#define EXC_ADDRESS	2
#define EXC_VALUE	3

static unsigned
sim_pdu_be16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static size_t
sim_pdu_exception(uint8_t *rsp, int fc, int code)
{
	rsp[0] = (uint8_t)(fc | 0x80);
	rsp[1] = (uint8_t)code;
	return 2;
}

/* Print the written values, hex for the _HEX registers. */
static void
sim_pdu_values(int addr, int count, const uint16_t *v, char *buf, size_t len)
{
	const struct reg_def	*r;
	size_t			 off = 0;
	int			 k, n;

	buf[0] = '\0';
	for (k = 0; k < count && off < len; k++) {
		r = regmap_at(addr + k);
		n = snprintf(buf + off, len - off, r != NULL &&
		    (r->type == REG_T_U16_HEX || r->type == REG_T_U8_HEX) ?
		    "%s0x%04X" : "%s%u", k ? " " : "", v[k]);
		if (n > 0)
			off += (size_t)n;
	}
}

/* The first word of [addr, addr + count) for which ok() fails, or -1. */
static int
sim_pdu_first_bad(int addr, int count, int (*ok)(int, int))
{
	int	a;

	for (a = addr; a < addr + count; a++)
		if (!ok(a, 1))
			return a;
	return -1;
}

static int
sim_pdu_defined1(int addr, int count)
{
	(void)count;
	return regmap_e34_defines(addr);
}

/* FC03. */
static size_t
sim_pdu_read(struct sim *s, struct sim_unit *u, int addr, int count,
    uint8_t *rsp)
{
	struct sim_snap	sn;
	uint16_t	w[SIM_READ_MAX];
	double		now;
	int		k, bad;

	if (count < 1 || count > SIM_READ_MAX)
		return sim_pdu_exception(rsp, 3, EXC_VALUE);
	if (addr + count > 0x10000)
		return sim_pdu_exception(rsp, 3, EXC_ADDRESS);
	if (!regmap_e34_readable(addr, count)) {
		bad = sim_pdu_first_bad(addr, count, sim_pdu_defined1);
		if (bad >= 0)
			sim_log(s, "unit %d fc03 0x%04X..0x%04X (%d registers): "
			    "undefined register 0x%04X, exception 02", u->id,
			    addr, addr + count - 1, count, bad);
		else
			sim_log(s, "unit %d fc03 0x%04X..0x%04X (%d registers): "
			    "undefined for reading: write-only register "
			    "0x%04X, exception 02", u->id, addr,
			    addr + count - 1, count, sim_pdu_first_bad(addr,
			    count, regmap_e34_readable));
		return sim_pdu_exception(rsp, 3, EXC_ADDRESS);
	}
	now = sim_now(s);
	sim_unit_advance(u, &s->site, now);
	sim_image_snap(u, &s->site, now, &sn);
	sim_image_read(&sn, addr, count, w);
	rsp[0] = 3;
	rsp[1] = (uint8_t)(2 * count);
	for (k = 0; k < count; k++) {
		rsp[2 + 2 * k] = (uint8_t)(w[k] >> 8);
		rsp[3 + 2 * k] = (uint8_t)(w[k] & 0xFF);
	}
	return 2 + 2 * (size_t)count;
}

/*
 * Check a write against the map; 0 or the exception code, with the reason
 * in why.
 */
static int
sim_pdu_write_check(int addr, int count, char *why, size_t len)
{
	int	bad;

	if (addr + count > 0x10000) {
		snprintf(why, len, "refused, undefined register past 0xFFFF");
		return EXC_ADDRESS;
	}
	if ((bad = sim_pdu_first_bad(addr, count, sim_pdu_defined1)) >= 0) {
		snprintf(why, len, "refused, undefined register 0x%04X", bad);
		return EXC_ADDRESS;
	}
	if (!regmap_e34_writable(addr, count)) {
		bad = sim_pdu_first_bad(addr, count, regmap_e34_writable);
		snprintf(why, len, "refused, read-only register 0x%04X", bad);
		return EXC_ADDRESS;
	}
	return 0;
}

/* Apply a checked write to one unit or, for unit 0, to every live one. */
static int
sim_pdu_apply(struct sim *s, int unit, int fc, int addr, int count,
    const uint16_t *v, char *what, size_t len)
{
	struct sim_unit	*u;
	double		 now = sim_now(s);
	int		 id, exc = 0, any = 0;

	if (unit != 0) {
		u = sim_unit(s, unit);
		sim_unit_advance(u, &s->site, now);
		return sim_write(u, &s->site, now, fc, addr, count, v, what,
		    len);
	}
	for (id = 1; id <= SIM_UNIT_MAX; id++) {
		if ((u = sim_unit(s, id)) == NULL || u->faults.dead)
			continue;
		sim_unit_advance(u, &s->site, now);
		exc = sim_write(u, &s->site, now, fc, addr, count, v, what,
		    len);
		any = 1;
	}
	if (!any)
		snprintf(what, len, "no live unit");
	return exc;
}

/* FC06 and FC16: parse, check, apply, log. */
static size_t
sim_pdu_write(struct sim *s, int unit, const uint8_t *pdu, size_t len,
    uint8_t *rsp)
{
	struct sim_unit	*u = unit ? sim_unit(s, unit) : NULL;
	uint16_t	 v[SIM_WRITE_MAX];
	char		 vals[SIM_WRITE_MAX * 8], what[160];
	int		 fc = pdu[0], addr, count, k, exc;

	addr = (int)sim_pdu_be16(pdu + 1);
	if (fc == 6) {
		if (len != 5)
			return sim_pdu_exception(rsp, fc, EXC_VALUE);
		count = 1;
		v[0] = (uint16_t)sim_pdu_be16(pdu + 3);
	} else {
		count = (int)sim_pdu_be16(pdu + 3);
		if (len < 6 || count < 1 || count > SIM_WRITE_MAX ||
		    pdu[5] != 2 * count || len != 6 + (size_t)pdu[5])
			return sim_pdu_exception(rsp, fc, EXC_VALUE);
		for (k = 0; k < count; k++)
			v[k] = (uint16_t)sim_pdu_be16(pdu + 6 + 2 * k);
	}
	sim_pdu_values(addr, count, v, vals, sizeof vals);
	if (u != NULL && u->faults.exception) {
		exc = u->faults.exception;
		snprintf(what, sizeof what, "refused (exception fault)");
	} else if ((exc = sim_pdu_write_check(addr, count, what,
	    sizeof what)) == 0)
		exc = sim_pdu_apply(s, unit, fc, addr, count, v, what,
		    sizeof what);
	if (exc)
		sim_log(s, "write unit %d%s fc%02d 0x%04X = %s: %s, exception "
		    "%02d", unit, unit ? "" : " (broadcast)", fc, addr, vals,
		    what, exc);
	else
		sim_log(s, "write unit %d%s fc%02d 0x%04X = %s: %s", unit,
		    unit ? "" : " (broadcast)", fc, addr, vals, what);
	if (unit == 0)
		return 0;
	if (exc)
		return sim_pdu_exception(rsp, fc, exc);
	memcpy(rsp, pdu, 5);	/* FC06 echoes; FC16 gives address, count */
	return 5;
}

size_t
sim_pdu_handle(struct sim *s, int unit, const uint8_t *pdu, size_t len,
    uint8_t *rsp)
{
	struct sim_unit	*u = unit ? sim_unit(s, unit) : NULL;
	int		 fc;

	if (len < 1)
		return 0;
	fc = pdu[0];
	if (fc == 6 || fc == 16)
		return sim_pdu_write(s, unit, pdu, len, rsp);
	if (unit == 0)
		return 0;	/* only writes are broadcast */
	if (u->faults.exception)
		return sim_pdu_exception(rsp, fc, u->faults.exception);
	if (fc != 3)
		return sim_pdu_exception(rsp, fc, EXC_FUNCTION);
	if (len != 5)
		return sim_pdu_exception(rsp, fc, EXC_VALUE);
	return sim_pdu_read(s, u, (int)sim_pdu_be16(pdu + 1),
	    (int)sim_pdu_be16(pdu + 3), rsp);
}
