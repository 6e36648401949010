/*
 * health.c: a meter's values as a reader sees them (see health.h): the
 * staleness rule, the state word, a register's text, the marks. The
 * wiring diagnosis and the live checks are the meter model's (meter.c);
 * this only turns them into the few words a row has room for.
 */
#include <stdio.h>
#include <string.h>

#include "health.h"

int64_t
health_limit_ms(int64_t poll_ms, int64_t achievable_ms, int64_t timeout_ms)
{
	int64_t	period = poll_ms > achievable_ms ? poll_ms : achievable_ms;

	return 2 * period + timeout_ms;
}

int64_t
health_reg_limit_ms(enum health_poll how, int64_t every_ms,
    int64_t slow_every_ms)
{
	int64_t	slow;

	switch (how) {
	case HEALTH_POLL_IDENT:
		return INT64_MAX;
	case HEALTH_POLL_SLOW:
		/* read at the first cycle after each slow period */
		slow = 2 * slow_every_ms + every_ms;
		return slow > every_ms ? slow : every_ms;
	default:
		return every_ms;
	}
}

int
health_stale(const struct meter *m, int64_t age_ms, int64_t limit_ms)
{
	if (m == NULL)
		return 1;
	return m->status != MS_OK || age_ms > limit_ms;
}

int64_t
health_age_ms(const struct meter *m, int64_t now_ms)
{
	int64_t	age;

	if (m == NULL || m->last_ok_ms <= 0)
		return -1;
	age = now_ms - m->last_ok_ms;
	return age < 0 ? 0 : age;
}

enum health_val
health_reg_text(const struct meter *m, enum reg_id id, int shift,
    int64_t now_ms, int64_t limit_ms, char *buf, size_t len, int64_t *age_ms)
{
	const struct reg_def	*def = regmap_get(id);
	const struct reg_sample	*s;
	int64_t			 age;
	int			 r;

	if (age_ms != NULL)
		*age_ms = -1;
	if (m == NULL || (s = meter_get(m, id)) == NULL || s->t_ms == 0) {
		snprintf(buf, len, "---");
		return HEALTH_VAL_NONE;
	}
	age = now_ms - s->t_ms;
	if (age < 0)
		age = 0;
	if (age_ms != NULL)
		*age_ms = age;
	if (!s->v.valid) {
		snprintf(buf, len, "n/a");
		return HEALTH_VAL_NA;
	}
	if (shift != 0 && def->has_scale)
		r = fmt_fixed(buf, len, s->v.raw, def->scale_exp + shift, '.');
	else
		r = reg_format(def, &s->v, buf, len, '.');
	if (r < 0)
		snprintf(buf, len, "?");
	return health_stale(m, age, limit_ms) ? HEALTH_VAL_STALE :
	    HEALTH_VAL_FRESH;
}

void
health_fmt_age(char *buf, size_t len, int64_t ms)
{
	if (ms < 0)
		ms = 0;
	if (ms < 1000)
		snprintf(buf, len, "%lldms", (long long)ms);
	else if (ms < 120 * 1000)
		snprintf(buf, len, "%llds", (long long)(ms / 1000));
	else if (ms < 120LL * 60 * 1000)
		snprintf(buf, len, "%lldm", (long long)(ms / 60000));
	else if (ms < 48LL * 3600 * 1000)
		snprintf(buf, len, "%lldh", (long long)(ms / 3600000));
	else
		snprintf(buf, len, "%lldd", (long long)(ms / 86400000));
}

void
health_fmt_period(char *buf, size_t len, int64_t ms)
{
	if (ms < 0)
		snprintf(buf, len, "?");
	else if (ms < 1000)
		snprintf(buf, len, "%lld ms", (long long)ms);
	else if (ms < 10000)
		snprintf(buf, len, "%lld.%lld s", (long long)(ms / 1000),
		    (long long)(ms % 1000 / 100));
	else
		snprintf(buf, len, "%lld s", (long long)((ms + 500) / 1000));
}

/* "timeout 12s": a failing state, and how old the values it left are. */
static void
health_aged(const struct meter *m, int64_t now_ms, char *buf, size_t len,
    const char *what)
{
	char	age[16];
	int64_t	ms = health_age_ms(m, now_ms);

	if (ms < 0) {
		snprintf(buf, len, "%s", what);
		return;
	}
	health_fmt_age(age, sizeof age, ms);
	snprintf(buf, len, "%s %s", what, age);
}

enum health
health_state(const struct meter *m, int64_t now_ms, int64_t limit_ms,
    char *buf, size_t len)
{
	char	age[16], marks[32], what[32];
	int64_t	ms = health_age_ms(m, now_ms);

	if (m == NULL) {
		snprintf(buf, len, "---");
		return HEALTH_WAITING;
	}
	/* A failing meter's values are its last good ones: say their age. */
	switch (m->status) {
	case MS_UNKNOWN:
		snprintf(buf, len, m->cycles == 0 ? "waiting" : "identifying");
		return HEALTH_WAITING;
	case MS_NOT_E34:
		health_aged(m, now_ms, buf, len, "foreign");
		return HEALTH_FAILING;
	case MS_TIMEOUT:
		health_aged(m, now_ms, buf, len, m->offline ? "offline" :
		    "timeout");
		return HEALTH_FAILING;
	case MS_CRC:
		health_aged(m, now_ms, buf, len, m->offline ? "offline" :
		    "CRC");
		return HEALTH_FAILING;
	case MS_EXCEPTION:
		/* with an age, short enough for a 13-column state */
		snprintf(what, sizeof what, ms < 0 ? "exception %d" : "exc %d",
		    m->exc_code);
		health_aged(m, now_ms, buf, len, what);
		return HEALTH_FAILING;
	case MS_IO:
		health_aged(m, now_ms, buf, len, m->offline ? "offline" :
		    ms < 0 ? "I/O error" : "I/O err");
		return HEALTH_FAILING;
	case MS_OK:
		break;
	}
	if (ms > limit_ms) {
		health_fmt_age(age, sizeof age, ms);
		snprintf(buf, len, "stale %s", age);
		return HEALTH_STALE;
	}
	/* It answers, but what it says needs a look: "ok Err2", "ok CHECK". */
	if (health_marks(m, now_ms, marks, sizeof marks) != 0) {
		snprintf(buf, len, "ok %s", marks);
		return HEALTH_MARKED;
	}
	snprintf(buf, len, "ok");
	return HEALTH_OK;
}

int
health_marks(const struct meter *m, int64_t now_ms, char *buf, size_t len)
{
	struct wiring_diag	d;
	size_t			off = 0;
	int			i, marks = 0, n = 0;

	if (len == 0)
		return 0;
	buf[0] = '\0';
	if (m == NULL)
		return 0;
	meter_wiring(m, now_ms, &d);
	for (i = 0; d.known && i < d.nerr && off < len; i++) {
		if (d.err_codes[i] == 0)
			continue;
		off += (size_t)snprintf(buf + off, len - off, "%s%d",
		    n++ == 0 ? "Err" : ",", d.err_codes[i]);
		marks |= HEALTH_MARK_WIRING;
	}
	if ((!meter_tariffs_consistent(m) || !meter_energy_monotonic(m) ||
	    !meter_values_plausible(m)) &&
	    off < len) {
		snprintf(buf + off, len - off, "%sCHECK", off > 0 ? " " : "");
		marks |= HEALTH_MARK_CHECK;
	}
	return marks;
}
