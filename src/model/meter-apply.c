/*
 * meter-apply.c: every state transition of a meter, from a poll result.
 *
 * The engine turns a finished bus job into a struct poll_result
 * (poll-result.h) and hands it here on the loop thread; this file decides
 * what it means: the identification (E34, foreign, undecided), the values
 * to store, the status (ok, timeout, crc, exception-N, io, not-e34), the
 * failures in a row, going offline and coming back, and the back-off of
 * probes and of a foreign unit's re-identification. It returns what the
 * engine must arm next; the engine keeps timers and the bus, nothing else.
 * Storing one value and the live checks are meter.c's.
 */
#include <stdio.h>
#include <string.h>

#include "meter.h"
#include "pollplan.h"
#include "regdecode.h"

int
poll_result_complete(const struct poll_result *r)
{
	int	i;

	for (i = 0; i < r->nx; i++)
		if (!r->x[i].ran || r->x[i].outcome != ST_ANSWER)
			return 0;
	return 1;
}

enum meter_idv
meter_ident_decide(const struct poll_xfer *x, int n, char *name, size_t len)
{
	int	i;

	if (name != NULL && len > 0)
		name[0] = '\0';
	for (i = 0; i < n && i < 2; i++) {
		if (!x[i].ran)
			return MI_UNDECIDED;
		/* no such function or register: not an E34 */
		if (x[i].outcome == ST_EXCEPTION && x[i].exc_code >= 1 &&
		    x[i].exc_code <= 3)
			return MI_FOREIGN;
		if (x[i].outcome != ST_ANSWER || x[i].words == NULL)
			return MI_UNDECIDED;
		if (i == 0 && !poll_ident_magic_ok(x[i].words, x[i].count))
			return MI_FOREIGN;
		if (i == 1)
			return poll_ident_name_ok(x[i].words, x[i].count, name,
			    len) ? MI_E34 : MI_FOREIGN;
	}
	return n >= 1 ? MI_PENDING : MI_UNDECIDED;
}

/* Count every request that ran; the slowest answer's latency. */
static uint32_t
meter_count(struct meter *m, const struct poll_result *r)
{
	const struct poll_xfer	*x;
	uint32_t		 slowest = 0;
	int			 i;

	for (i = 0; i < r->nx; i++) {
		x = &r->x[i];
		if (!x->ran)
			continue;
		stats_add(&m->stats, x->outcome, x->exc_code, x->lat_us,
		    x->busy_us);
		stats_add_strays(&m->stats, (unsigned)x->strays);
		if ((x->outcome == ST_ANSWER || x->outcome == ST_EXCEPTION) &&
		    x->lat_us > slowest)
			slowest = x->lat_us;
	}
	return slowest;
}

/*
 * Keep what an identification said. A foreign unit is identified again at
 * the offline probes' cadence (METER_PROBE_MIN_MS doubling to
 * METER_PROBE_MAX_MS), so a unit swapped back to an E34 is polled again
 * within half a minute at worst. Undecided: again next cycle.
 */
static void
meter_ident_keep(struct meter *m, enum meter_idv idv, const char *name,
    int64_t now_ms)
{
	if (idv != MI_E34 && idv != MI_FOREIGN)
		return;
	m->need_ident = 0;
	m->ident.done = 1;
	m->ident.is_e34 = idv == MI_E34;
	snprintf(m->ident.ext_name, sizeof m->ident.ext_name, "%s", name);
	if (idv == MI_E34) {
		m->foreign_backoff_ms = 0;
		return;
	}
	m->foreign_backoff_ms = m->foreign_backoff_ms == 0 ?
	    METER_PROBE_MIN_MS : m->foreign_backoff_ms * 2;
	if (m->foreign_backoff_ms > METER_PROBE_MAX_MS)
		m->foreign_backoff_ms = METER_PROBE_MAX_MS;
	m->foreign_next_ms = now_ms + m->foreign_backoff_ms;
}

/* Decode the words of one answered read of the plan into the model. */
static void
meter_store_xfer(struct meter *m, const struct poll_xfer *x, int64_t t_ms,
    int64_t wall_ms)
{
	const struct poll_req	*r = x->req;
	const struct reg_def	*d;
	struct reg_value	 v;
	int			 i;

	if (r == NULL || !x->ran || x->write || x->outcome != ST_ANSWER ||
	    x->words == NULL)
		return;
	for (i = 0; i < r->nids; i++) {
		d = regmap_get(r->ids[i]);
		if (d->addr < x->addr || d->addr + d->count > x->addr + x->count)
			continue;
		if (reg_decode(d, &x->words[d->addr - x->addr], &v) == -1)
			continue;
		meter_store(m, d->id, &v, t_ms, wall_ms);
	}
}

/*
 * The identification details from the values just stored. The extended
 * name is not among them: the identification decision keeps it.
 */
static void
meter_fill_ident(struct meter *m)
{
	struct meter_ident	*id = &m->ident;
	const struct reg_sample	*s;
	int64_t			 a, b, c;

	if ((s = meter_get(m, REG_VENDOR_NAME)) != NULL && s->v.valid)
		snprintf(id->vendor, sizeof id->vendor, "%s", s->v.str);
	if ((s = meter_get(m, REG_PRODUCT_NAME)) != NULL && s->v.valid)
		snprintf(id->product_name, sizeof id->product_name, "%s",
		    s->v.str);
	if (meter_raw(m, REG_SERIAL_AA_SS, 0, 0, &a) &&
	    meter_raw(m, REG_SERIAL_SST_L, 0, 0, &b) &&
	    meter_raw(m, REG_SERIAL_ORDER, 0, 0, &c))
		snprintf(id->serial, sizeof id->serial, "%04X-%04X-%lld",
		    (unsigned)a, (unsigned)b, (long long)c);
	if (meter_raw(m, REG_JBUS_TABLE_VERSION, 0, 0, &a))
		id->table_version = (int)a;
	if (meter_raw(m, REG_SOFTWARE_VERSION, 0, 0, &a))
		id->sw_version = (int)a;
}

static int
meter_outcome_rank(enum stats_outcome o)
{
	switch (o) {
	case ST_TIMEOUT:
	case ST_IO:
		return 4;
	case ST_CRC:
		return 3;
	case ST_EXCEPTION:
		return 2;
	default:
		return 0;
	}
}

/* The status a cycle leaves: the worst outcome of the requests that ran. */
static void
meter_cycle_status(struct meter *m, const struct poll_result *r,
    enum meter_idv idv)
{
	const struct poll_xfer	*worst = NULL;
	int			 i;

	if (idv == MI_FOREIGN) {
		m->status = MS_NOT_E34;
		return;
	}
	for (i = 0; i < r->nx; i++) {
		if (!r->x[i].ran)
			continue;
		if (worst == NULL || meter_outcome_rank(r->x[i].outcome) >
		    meter_outcome_rank(worst->outcome))
			worst = &r->x[i];
	}
	if (worst == NULL) {
		m->status = MS_IO;	/* device not open */
		return;
	}
	switch (worst->outcome) {
	case ST_ANSWER:
		m->status = MS_OK;
		break;
	case ST_EXCEPTION:
		m->status = MS_EXCEPTION;
		m->exc_code = worst->exc_code;
		break;
	case ST_TIMEOUT:
		m->status = MS_TIMEOUT;
		break;
	case ST_CRC:
		m->status = MS_CRC;
		break;
	case ST_IO:
		m->status = MS_IO;
		break;
	}
}

/* Nobody there: a timeout, an io error, a gateway's exception 10/11. */
static int
meter_status_failed(const struct meter *m)
{
	return m->status == MS_TIMEOUT || m->status == MS_IO ||
	    (m->status == MS_EXCEPTION && m->exc_code >= 10);
}

struct meter_next
meter_apply_cycle(struct meter *m, const struct poll_result *r,
    int offline_after, int64_t now_ms)
{
	struct meter_next	 next = { MA_POLL, 0 };
	enum meter_idv		 idv = MI_UNDECIDED;
	char			 name[sizeof m->ident.ext_name];
	uint32_t		 slowest;
	int			 i;

	if (r->conn_gen != 0 && r->conn_gen != m->conn_gen) {
		if (m->conn_gen != 0)	/* reconnected: identify again */
			m->need_ident = 1;
		m->conn_gen = r->conn_gen;
	}
	slowest = meter_count(m, r);
	if (r->identify) {
		idv = meter_ident_decide(r->x, r->nx, name, sizeof name);
		meter_ident_keep(m, idv, name, now_ms);
		m->need_info = 1;	/* details with this cycle, or later */
	} else if (m->ident.done && !m->ident.is_e34)
		/*
		 * Sent before a write's own identification found the unit
		 * foreign (meter_apply_job): what it read is not an E34's.
		 */
		idv = MI_FOREIGN;
	if (idv != MI_FOREIGN)
		for (i = 0; i < r->nx; i++)
			meter_store_xfer(m, &r->x[i], r->end_ms,
			    r->end_wall_ms);
	if ((r->identify && idv == MI_E34) || (!r->identify && r->with_info))
		meter_fill_ident(m);
	if (poll_result_complete(r) || idv == MI_FOREIGN)
		m->need_info = 0;
	meter_cycle_status(m, r, idv);
	m->consecutive_fail = meter_status_failed(m) ?
	    m->consecutive_fail + 1 : 0;
	if (m->status == MS_OK) {
		m->ok_cycles++;
		m->last_ok_ms = r->end_ms;
	}
	m->last_response_ms = (slowest + 999) / 1000;
	m->last_cycle_ms = r->end_ms > 0 ? r->end_ms : 1;
	m->last_cycle_wall_ms = r->start_wall_ms;
	if (idv != MI_FOREIGN)
		meter_cycle_end(m, m->last_cycle_ms, r->end_ms - r->start_ms);
	m->cycles++;
	if (offline_after > 0 && !m->offline &&
	    m->consecutive_fail >= offline_after) {
		m->offline = 1;
		m->need_ident = 1;
		m->probe_ms = METER_PROBE_MIN_MS;
		next.action = MA_OFFLINE;
		next.delay_ms = m->probe_ms;
	}
	return next;
}

/* Any answer but a gateway's "nobody there" (10, 11) means it is back. */
struct meter_next
meter_apply_probe(struct meter *m, const struct poll_result *r)
{
	struct meter_next	 next;
	const struct poll_xfer	*x = &r->x[0];

	meter_count(m, r);
	if (r->nx > 0 && x->ran && (x->outcome == ST_ANSWER ||
	    (x->outcome == ST_EXCEPTION && x->exc_code < 10))) {
		m->offline = 0;
		m->consecutive_fail = 0;
		m->need_ident = 1;
		next.action = MA_ONLINE;
		next.delay_ms = 0;
		return next;
	}
	m->probe_ms = m->probe_ms <= 0 ? METER_PROBE_MIN_MS : m->probe_ms * 2;
	if (m->probe_ms > METER_PROBE_MAX_MS)
		m->probe_ms = METER_PROBE_MAX_MS;
	next.action = MA_PROBE;
	next.delay_ms = m->probe_ms;
	return next;
}

void
meter_apply_idle(struct meter *m, int64_t now_ms, int64_t wall_ms)
{
	m->last_cycle_ms = now_ms;
	m->last_cycle_wall_ms = wall_ms;
	m->last_response_ms = 0;
	m->cycles++;
}

enum meter_idv
meter_apply_job(struct meter *m, const struct poll_result *r, int64_t now_ms)
{
	enum meter_idv	idv;
	char		name[sizeof m->ident.ext_name];

	meter_count(m, r);
	if (!r->identify)
		return MI_UNDECIDED;
	idv = meter_ident_decide(r->x, r->nx, name, sizeof name);
	if (idv == MI_FOREIGN) {	/* swapped since the last cycle */
		meter_ident_keep(m, idv, name, now_ms);
		m->status = MS_NOT_E34;
	}
	return idv;
}

int
meter_poll_due(struct meter *m, int64_t now_ms)
{
	if (m->offline)
		return 0;
	if (m->status == MS_NOT_E34 && !m->need_ident) {
		if (now_ms < m->foreign_next_ms)
			return 0;
		m->need_ident = 1;
	}
	return 1;
}

void
meter_reidentify(struct meter *m)
{
	m->need_ident = 1;
	m->foreign_backoff_ms = 0;
	m->foreign_next_ms = 0;
	if (m->offline)
		m->probe_ms = METER_PROBE_MIN_MS;
}
