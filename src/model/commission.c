/*
 * commission.c: the commissioning walk-through as data and rules. The
 * leaflet's connection-test preconditions become a checklist from live
 * readings; meter_wiring's diagnosis becomes findings in the meter's own Err
 * terms with remedies; the comm-settings finder gets its plan and its time
 * bound here. Running the finder on the bus and drawing are left to
 * screen-commission.c.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "commission.h"
#include "regmap.h"

const char commission_not_readable[] =
    "The meter's own connection test (MENU held 3 s) shows its result on the "
    "LCD only: it is not readable over Modbus. The result below is inferred "
    "from live readings.";

/* The leaflet's Err codes (English section), ASCII for any terminal. */
static const struct {
	int		 code;
	const char	*text;
	const char	*remedy;
} cm_errs[] = {
	{ 0, "Err 0 = no error", "nothing to fix" },
	{ 1, "Err 1 = inverted connection of phase 1 (L1 <-> L1')",
	    "swap the wires on terminals L1 and L1' (supply on L1)" },
	{ 2, "Err 2 = inverted connection of phase 2 (L2 <-> L2')",
	    "swap the wires on terminals L2 and L2' (supply on L2)" },
	{ 3, "Err 3 = inverted connection of phase 3 (L3 <-> L3')",
	    "swap the wires on terminals L3 and L3' (supply on L3)" },
	{ 7, "Err 7 = voltage inversion between V1 and Neutral",
	    "phase 1 and neutral are swapped: put N on the N terminal" },
	{ 8, "Err 8 = voltage inversion between V2 and Neutral",
	    "phase 2 and neutral are swapped: put N on the N terminal" },
	{ 9, "Err 9 = voltage inversion between V3 and Neutral",
	    "phase 3 and neutral are swapped: put N on the N terminal" },
	{ -1, "phase absent (pictogram not lit: no voltage above 150 V)",
	    "check the phase wire, its fuse or breaker, and the terminal" },
};

static const char *const cm_check_labels[CM_NCHECKS] = {
	[CM_CHECK_VOLTAGE] = "Voltage on each phase > 150 V",
	[CM_CHECK_CURRENT] = "Current on each phase",
	[CM_CHECK_PF] = "Power factor 0.6 < |PF| < 1",
	[CM_CHECK_I20] = "At least 20 A (20 % of Imax)",
};

const char *
commission_err_text(int code)
{
	size_t	i;

	for (i = 0; i < sizeof cm_errs / sizeof cm_errs[0]; i++)
		if (cm_errs[i].code == code)
			return cm_errs[i].text;
	return NULL;
}

const char *
commission_err_remedy(int code)
{
	size_t	i;

	for (i = 0; i < sizeof cm_errs / sizeof cm_errs[0]; i++)
		if (cm_errs[i].code == code)
			return cm_errs[i].remedy;
	return NULL;
}

/* Modbus exception codes (Modbus Application Protocol 1.1b3, 7). */
static const char *const cm_exc_names[] = {
	[1] = "illegal function",
	[2] = "illegal data address",
	[3] = "illegal data value",
	[4] = "server device failure",
	[5] = "acknowledge",
	[6] = "server device busy",
	[8] = "memory parity error",
	[10] = "gateway path unavailable",
	[11] = "gateway target failed to respond",
};

const char *
commission_exception_name(int code)
{
	if (code < 0 || (size_t)code >= sizeof cm_exc_names /
	    sizeof cm_exc_names[0] || cm_exc_names[code] == NULL)
		return "unknown code";
	return cm_exc_names[code];
}

int
commission_answer_text(const struct meter *m, char *buf, size_t len)
{
	const struct meter_ident	*id = &m->ident;
	const char			*name;
	int				 k, best;

	switch (m->status) {
	case MS_OK:
		snprintf(buf, len, "answers");
		return 1;
	case MS_EXCEPTION:
		snprintf(buf, len, "answers with exception %02X (%s)",
		    (unsigned)m->exc_code, commission_exception_name(m->exc_code));
		return 1;
	case MS_NOT_E34:
		name = id->ext_name[0] ? id->ext_name : id->product_name[0] ?
		    id->product_name : id->vendor[0] ? id->vendor : NULL;
		if (name != NULL) {
			snprintf(buf, len, "answers, but is not an E34: %s",
			    name);
			return 1;
		}
		/* identification was refused: say with what */
		for (k = 1, best = 0; k < STATS_EXC_MAX; k++)
			if (m->stats.exceptions[k] > m->stats.exceptions[best])
				best = k;
		if (best > 0)
			snprintf(buf, len, "answers with exception %02X (%s): "
			    "not an E34", (unsigned)best,
			    commission_exception_name(best));
		else
			snprintf(buf, len, "answers, but is not an E34");
		return 1;
	case MS_CRC:
		snprintf(buf, len, "answers with corrupt frames (CRC)%s",
		    m->offline ? ", offline" : "");
		return 1;
	case MS_TIMEOUT:
		snprintf(buf, len, "does NOT answer (timeout%s)", m->offline ?
		    ", offline" : "");
		return 0;
	case MS_IO:
		snprintf(buf, len, "cannot be reached (I/O error on the line)");
		return 0;
	case MS_UNKNOWN:
		break;
	}
	snprintf(buf, len, m->cycles == 0 ? "not polled yet" :
	    "is being identified");
	return 0;
}

const char *
commission_state_word(enum cm_state s)
{
	return s == CM_PASS ? "ok" : s == CM_FAIL ? "FAIL" : "?";
}

/*
 * One precondition over three phases: pass(value) per phase, text each;
 * with absval the text shows |value|, when the check judges |value|.
 */
static void
cm_check_phases(struct cm_check *c, const int *has, const double *val,
    int (*pass)(double), int decimals, const char *unit, int absval)
{
	char	part[40];
	size_t	len = 0;
	int	n, nfail = 0, nmiss = 0;

	c->detail[0] = '\0';
	for (n = 0; n < 3; n++) {
		if (!has[n]) {
			nmiss++;
			snprintf(part, sizeof part, "L%d ---", n + 1);
		} else {
			nfail += !pass(val[n]);
			snprintf(part, sizeof part, "L%d %.*f%s", n + 1,
			    decimals, absval ? fabs(val[n]) : val[n], unit);
		}
		len += (size_t)snprintf(c->detail + len, sizeof c->detail - len,
		    "%s%s", n ? "  " : "", part);
		if (len >= sizeof c->detail)
			len = sizeof c->detail - 1;
	}
	c->state = nfail ? CM_FAIL : nmiss ? CM_UNKNOWN : CM_PASS;
}

static int
cm_pass_v(double v)
{
	return v > CM_V_PRESENT;
}

static int
cm_pass_i(double i)
{
	return i > CM_I_FLOWING;
}

/* The sign of PF says leading or lagging, not the direction (map §7). */
static int
cm_pass_pf(double pf)
{
	return fabs(pf) > CM_PF_LOW && fabs(pf) < 1.0;
}

static int
cm_pass_i20(double i)
{
	return i >= CM_I_MIN;
}

static void
cm_add_finding(struct commission *c, int code, int phase)
{
	struct cm_finding	*f;

	if (c->nfindings >= (int)(sizeof c->findings / sizeof c->findings[0]))
		return;
	f = &c->findings[c->nfindings++];
	f->code = code;
	f->phase = phase;
	f->text = commission_err_text(code);
	f->remedy = commission_err_remedy(code);
}

void
commission_from_values(const struct cm_inputs *in, const struct wiring_diag *d,
    struct commission *c)
{
	int	k, n;

	memset(c, 0, sizeof *c);
	for (k = 0; k < CM_NCHECKS; k++)
		c->checks[k].label = cm_check_labels[k];
	cm_check_phases(&c->checks[CM_CHECK_VOLTAGE], in->has_v, in->v,
	    cm_pass_v, 1, " V", 0);
	cm_check_phases(&c->checks[CM_CHECK_CURRENT], in->has_i, in->i,
	    cm_pass_i, 2, " A", 0);
	cm_check_phases(&c->checks[CM_CHECK_PF], in->has_pf, in->pf,
	    cm_pass_pf, 3, "", 1);
	cm_check_phases(&c->checks[CM_CHECK_I20], in->has_i, in->i,
	    cm_pass_i20, 1, " A", 0);
	c->preconditions = CM_PASS;
	for (k = 0; k < CM_NCHECKS; k++) {
		if (c->checks[k].state == CM_FAIL)
			c->preconditions = CM_FAIL;
		else if (c->checks[k].state == CM_UNKNOWN &&
		    c->preconditions == CM_PASS)
			c->preconditions = CM_UNKNOWN;
	}
	if (!d->known)
		return;
	c->known = 1;
	for (n = 0; n < 3; n++)
		if (!d->phase_present[n])
			cm_add_finding(c, -1, n + 1);
	for (k = 0; k < d->nerr && k < 8; k++)
		cm_add_finding(c, d->err_codes[k], d->err_codes[k] == 0 ? 0 :
		    d->err_codes[k] >= 7 ? d->err_codes[k] - 6 :
		    d->err_codes[k]);
	c->healthy = c->nfindings == 1 && c->findings[0].code == 0;
}

/* Engineering value of a raw register value, by the map's scale. */
static double
cm_eng(enum reg_id id, int64_t raw)
{
	const struct reg_def	*r = regmap_get(id);

	return (double)raw * pow(10, r->has_scale ? r->scale_exp : 0);
}

void
commission_inputs(const struct meter *m, int64_t now_ms, struct cm_inputs *in)
{
	static const enum reg_id	v[3] = { REG_V1, REG_V2, REG_V3 };
	static const enum reg_id	i[3] = { REG_I1, REG_I2, REG_I3 };
	static const enum reg_id	p[3] = { REG_P1, REG_P2, REG_P3 };
	static const enum reg_id	pf[3] = { REG_PF1, REG_PF2, REG_PF3 };
	int64_t				age = 0, raw;
	int				n;

	memset(in, 0, sizeof *in);
	if (m->conf != NULL && m->conf->poll_ms > 0)
		age = 3 * (int64_t)m->conf->poll_ms + 1000;
	for (n = 0; n < 3; n++) {
		if ((in->has_v[n] = meter_raw(m, v[n], now_ms, age, &raw)))
			in->v[n] = cm_eng(v[n], raw);
		if ((in->has_i[n] = meter_raw(m, i[n], now_ms, age, &raw)))
			in->i[n] = cm_eng(i[n], raw);
		if ((in->has_p[n] = meter_raw(m, p[n], now_ms, age, &raw)))
			in->p[n] = cm_eng(p[n], raw);
		if ((in->has_pf[n] = meter_raw(m, pf[n], now_ms, age, &raw)))
			in->pf[n] = cm_eng(pf[n], raw);
	}
}

void
commission_evaluate(const struct meter *m, int64_t now_ms, struct commission *c)
{
	struct cm_inputs	in;
	struct wiring_diag	d;

	commission_inputs(m, now_ms, &in);
	meter_wiring(m, now_ms, &d);
	commission_from_values(&in, &d, c);
}

/* ---- comm settings ---- */

int
commission_setting_in_auto(const struct cm_setting *s)
{
	if (s->baud < 9600 || s->baud > 38400)
		return 0;
	if (s->parity == 'N')
		return s->stop_bits == 2;
	return s->stop_bits == 1;
}

int
commission_setting_name(const struct cm_setting *s, char *buf, size_t len)
{
	return snprintf(buf, len, "%d 8%c%d", s->baud, s->parity, s->stop_bits);
}

/* Every setting the E34's front panel offers that the finder tries. */
static const struct cm_setting cm_all_settings[] = {
	/* AUTO envelope (leaflet): 9600..38400, 8N2 or 8 + parity + 1 stop */
	{ 19200, 'N', 2, 1 }, { 19200, 'E', 1, 1 }, { 19200, 'O', 1, 1 },
	{ 9600, 'N', 2, 1 }, { 9600, 'E', 1, 1 }, { 9600, 'O', 1, 1 },
	{ 38400, 'N', 2, 1 }, { 38400, 'E', 1, 1 }, { 38400, 'O', 1, 1 },
	/* MANU only: 8N1 at any speed, and anything at 4800 */
	{ 19200, 'N', 1, 0 }, { 9600, 'N', 1, 0 }, { 38400, 'N', 1, 0 },
	{ 4800, 'N', 1, 0 }, { 4800, 'N', 2, 0 }, { 4800, 'E', 1, 0 },
	{ 4800, 'O', 1, 0 },
};

static int
cm_same(const struct cm_setting *a, const struct cm_setting *b)
{
	return a->baud == b->baud && a->parity == b->parity &&
	    a->stop_bits == b->stop_bits;
}

/* Bound of one try in ms: timeout, 8 + 13 bytes, two 3.5-char silences. */
static int
cm_try_ms(const struct cm_setting *s, int timeout_ms)
{
	long	bits = 1 + 8 + (s->parity != 'N') + s->stop_bits;
	long	char_us = (bits * 1000000L + s->baud - 1) / s->baud;
	long	silence_us = s->baud > 19200 ? 1750 : (char_us * 7 + 1) / 2;
	long	us = (8 + 13) * char_us + 2 * silence_us;

	return timeout_ms + (int)((us + 999) / 1000);
}

int
commission_finder_plan(const struct bus_conf *conf, int timeout_ms, int tries,
    struct cm_finder_plan *p)
{
	struct cm_setting	 cur;
	size_t			 k;
	int			 i;

	memset(p, 0, sizeof *p);
	p->tries = tries < 1 ? 1 : tries;
	p->timeout_ms = timeout_ms < 1 ? 1 : timeout_ms;
	if (conf != NULL && conf->type == BUS_RTU) {
		cur.baud = conf->baud;
		cur.parity = conf->parity;
		cur.stop_bits = conf->stop_bits;
		cur.in_auto = commission_setting_in_auto(&cur);
		for (k = 0; k < sizeof cm_all_settings / sizeof cm_all_settings[0];
		    k++)
			if (cm_same(&cur, &cm_all_settings[k]))
				p->s[p->n++] = cur;
	}
	for (k = 0; k < sizeof cm_all_settings / sizeof cm_all_settings[0]; k++)
		if (p->n == 0 || !cm_same(&p->s[0], &cm_all_settings[k]))
			p->s[p->n++] = cm_all_settings[k];
	for (i = 0; i < p->n; i++) {
		p->try_ms[i] = cm_try_ms(&p->s[i], p->timeout_ms) * p->tries +
		    CM_FINDER_SWITCH_MS;
		p->total_ms += p->try_ms[i];
	}
	return p->n;
}

int
commission_setting_diff(const struct bus_conf *conf, const struct cm_setting *f,
    char *buf, size_t len)
{
	struct cm_setting	cur;
	size_t			n = 0;
	const char		*sep = "";

	buf[0] = '\0';
#define CM_APPEND(...) do {						\
	int	w_ = snprintf(buf + n, len - n, __VA_ARGS__);		\
	if (w_ > 0)							\
		n = n + (size_t)w_ >= len ? len - 1 : n + (size_t)w_;	\
} while (0)
	if (conf == NULL || conf->type != BUS_RTU) {
		CM_APPEND("no serial setting configured");
		return (int)n;
	}
	cur.baud = conf->baud;
	cur.parity = conf->parity;
	cur.stop_bits = conf->stop_bits;
	if (cm_same(&cur, f)) {
		CM_APPEND("the configured setting is right");
		return (int)n;
	}
	if (cur.baud != f->baud) {
		CM_APPEND("baud %d -> %d", cur.baud, f->baud);
		sep = ", ";
	}
	if (cur.parity != f->parity) {
		CM_APPEND("%sparity %s -> %s", sep, bus_parity_name(cur.parity),
		    bus_parity_name(f->parity));
		sep = ", ";
	}
	if (cur.stop_bits != f->stop_bits)
		CM_APPEND("%sstop bits %d -> %d", sep, cur.stop_bits,
		    f->stop_bits);
	if (cur.baud == f->baud)
		CM_APPEND(" (baud right)");
	if (!commission_setting_in_auto(&cur))
		CM_APPEND("; %d 8%c%d is MANU only: a meter in AUTO never "
		    "answers it", cur.baud, cur.parity, cur.stop_bits);
#undef CM_APPEND
	return (int)n;
}
