/*
 * scan.c: the bus scan (see scan.h). A worker thread walks the addresses on
 * its own line and posts events (progress, found, done) to a queue that the
 * loop drains on an ev_async. Identification follows PRODUCT.md: "SOCO" at
 * REG_SOCO_MAGIC, then the extended name; reads only, never a write.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include <ev.h>

#include "bus.h"
#include "clock.h"
#include "parse.h"
#include "pollplan.h"
#include "regmap.h"
#include "scan.h"
#include "wire.h"

enum scan_ev_kind { SEV_PROGRESS, SEV_FOUND, SEV_DONE };

struct scan_ev {
	TAILQ_ENTRY(scan_ev)	 entry;
	enum scan_ev_kind	 kind;
	int			 addr, is_e34;
	int			 done, total;
	int64_t			 eta_ms;
	char			 text[96];
	struct scan_summary	 sum;
};

struct scan {
	struct ev_loop		*loop;
	ev_async		 wake;
	struct scan_params	 p;
	char			 device[256], host[256], name[8];
	struct bus_conf		 conf;
	uint16_t		 words[BUS_MAX_WORDS];	/* of the last read */
	struct bus_link		 link;		/* worker only */
	struct scan_cbs		 cbs;
	pthread_t		 thread;
	int			 started;
	pthread_mutex_t		 mu;
	int			 cancel;	/* under mu */
	TAILQ_HEAD(, scan_ev)	 evs;		/* under mu */
	struct scan_summary	 sum;		/* worker only */
	unsigned char		 late[256];	/* worker: answered too late */
	unsigned char		 seen[256];	/* worker: reported */
	int			 kind_known;	/* worker: framing settled */
};

int
scan_default_timeout_ms(const struct scan_params *p)
{
	long	us;

	if (p->type == BUS_TCP)
		return 1000;
	/* request 8 chars, reply 5 + 2 * 4: twice both, plus 6 ms */
	us = 2 * (8 + 13) * wire_char_us(p->baud, p->parity, p->stop_bits) +
	    6000;
	if (p->type == BUS_RTU_TCP)
		us += 100000;
	return (int)((us + 999) / 1000);
}

int
scan_parse_target(const char *target, char *buf, size_t len,
    struct scan_params *p, struct err *e)
{
	char	*colon, *end;
	long	 port;

	if (target == NULL || target[0] == '\0')
		return err_setc(e, EXIT_USAGE, "--scan: no target");
	if (snprintf(buf, len, "%s", target) >= (int)len)
		return err_setc(e, EXIT_USAGE, "--scan %s: too long", target);
	if (strchr(buf, '/') != NULL) {
		p->type = BUS_RTU;
		p->device = buf;
		return 0;
	}
	p->type = BUS_TCP;
	p->host = buf;
	p->port = 502;
	colon = NULL;
	if (buf[0] == '[') {	/* [IPv6 literal] or [IPv6 literal]:port */
		if ((end = strchr(buf, ']')) == NULL || end == buf + 1 ||
		    (end[1] != '\0' && end[1] != ':'))
			return err_setc(e, EXIT_USAGE, "--scan %s: expected "
			    "[address]:port", target);
		*end = '\0';
		p->host = buf + 1;
		colon = end[1] == ':' ? end + 1 : NULL;
	} else if ((colon = strrchr(buf, ':')) != NULL &&
	    strchr(buf, ':') != colon)
		colon = NULL;	/* a bare IPv6 address: no port */
	if (colon != NULL) {
		*colon = '\0';
		if (parse_long(colon + 1, 1, 65535, &port) != PARSE_OK)
			return err_setc(e, EXIT_USAGE, "--scan %s: port '%s': "
			    "expected 1 to 65535", target, colon + 1);
		p->port = (int)port;
	}
	if (p->host[0] == '\0')
		return err_setc(e, EXIT_USAGE, "--scan %s: no host", target);
	return 0;
}

/* Queue an event for the loop and wake it. */
static void
scan_post(struct scan *s, struct scan_ev *ev)
{
	struct scan_ev	*copy;

	if ((copy = malloc(sizeof *copy)) == NULL)
		return;
	*copy = *ev;
	pthread_mutex_lock(&s->mu);
	TAILQ_INSERT_TAIL(&s->evs, copy, entry);
	pthread_mutex_unlock(&s->mu);
	ev_async_send(s->loop, &s->wake);
}

static int
scan_cancelled(struct scan *s)
{
	int	c;

	pthread_mutex_lock(&s->mu);
	c = s->cancel;
	pthread_mutex_unlock(&s->mu);
	return c;
}

/*
 * One read; retried once after a corrupt answer. A unit whose answer came
 * instead of the one awaited (it answered after its timeout) is asked
 * again at the end. -1: link lost.
 */
static int
scan_read(struct scan *s, int unit, enum reg_id first, enum reg_id last,
    struct bus_xfer *x)
{
	const struct reg_def	*a = regmap_get(first), *b = regmap_get(last);
	int			 tries;

	for (tries = 0; tries < 2; tries++) {
		memset(x, 0, sizeof *x);
		x->addr = a->addr;
		x->count = b->addr + b->count - a->addr;
		x->words = s->words;
		if (bus_link_xfer(&s->link, unit, x) == -1)
			return -1;
		if (x->strays > 0)
			s->sum.late++;	/* someone answered after its timeout */
		if (x->other_unit > 0 && x->other_unit < 256)
			s->late[x->other_unit] = 1;	/* probe it again */
		if (x->outcome != ST_CRC)
			break;
	}
	if ((x->outcome == ST_ANSWER || x->outcome == ST_EXCEPTION) &&
	    x->lat_us > s->sum.slowest_us)
		s->sum.slowest_us = x->lat_us;
	return 0;
}

/* An E34 answered: its name, serial and software version as text. */
static void
scan_describe(struct scan *s, int unit, const char *name, char *text,
    size_t len)
{
	struct bus_xfer	x;
	const uint16_t	*w;

	if (scan_read(s, unit, REG_JBUS_TABLE_VERSION, REG_SERIAL_ORDER,
	    &x) == -1 || x.outcome != ST_ANSWER) {
		snprintf(text, len, "%s", name);
		return;
	}
	w = x.words;	/* table version, software version, serial parts */
	snprintf(text, len, "%s serial %04X-%04X-%u sw %u.%02u", name, w[2],
	    w[3], w[4], w[1] / 100, w[1] % 100);
}

/*
 * Nothing has answered in the framing asked for and addr did not: ask it
 * in the other one (see scan.h). 1: the port speaks the other framing and
 * the link now uses it; 0: it does not (the link is open again in the
 * framing asked for); -1: the link cannot be reopened.
 */
static int
scan_try_other(struct scan *s, int addr)
{
	struct scan_params	q = s->p;
	struct err		e;
	int			timeout_ms, rc;

	q.type = bus_kind_other(s->conf.type);
	timeout_ms = scan_default_timeout_ms(&q);
	if (timeout_ms < s->p.timeout_ms)
		timeout_ms = s->p.timeout_ms;
	if (q.type == BUS_TCP)	/* one try: any Modbus TCP port answers */
		s->kind_known = 1;
	bus_link_close(&s->link);	/* a converter may take one client */
	rc = bus_net_probe(&s->conf, q.type, addr, timeout_ms);
	if (rc == 1) {
		s->conf.type = q.type;
		s->kind_known = 1;
		s->sum.spoken = q.type;
		s->sum.kind_differs = 1;
		snprintf(s->sum.kind_note, sizeof s->sum.kind_note, "%s:%d "
		    "speaks %s, not %s: set type = %s", s->conf.host,
		    s->conf.port, bus_kind_name(q.type),
		    bus_kind_name(s->p.type), bus_type_name(q.type));
		bus_link_init(&s->link, &s->conf, s->p.timeout_ms);
	}
	if (bus_link_open(&s->link, &e) == -1)
		return -1;
	return rc == 1;
}

/* Identify the unit at addr; post what was found. -1: link lost. */
static int
scan_one(struct scan *s, int addr)
{
	struct scan_ev	ev;
	struct bus_xfer	x;
	char		name[24];
	int		rc, sw;

	memset(&ev, 0, sizeof ev);
	ev.kind = SEV_FOUND;
	ev.addr = addr;
	rc = scan_read(s, addr, REG_SOCO_MAGIC, REG_SOCO_MAGIC, &x);
	if (bus_is_net(&s->conf) && !s->kind_known) {
		if (rc == 0 && (x.outcome == ST_ANSWER ||
		    x.outcome == ST_EXCEPTION || x.other_unit != 0))
			s->kind_known = 1;	/* the framing asked for */
		else if ((sw = scan_try_other(s, addr)) == 1)
			return scan_one(s, addr);
		else if (sw == -1)
			return -1;
		else if (rc == -1)	/* reopened: ask again */
			rc = scan_read(s, addr, REG_SOCO_MAGIC,
			    REG_SOCO_MAGIC, &x);
	}
	if (rc == -1)
		return -1;
	if (x.outcome == ST_TIMEOUT)
		return 0;
	if (x.outcome == ST_CRC) {
		s->sum.garbage++;
		return 0;
	}
	if (x.outcome == ST_EXCEPTION && (x.exc_code == 10 ||
	    x.exc_code == 11)) {
		s->sum.gateway++;	/* a gateway speaking for nobody */
		return 0;
	}
	if (x.outcome == ST_EXCEPTION && x.exc_code >= 1 && x.exc_code <= 3)
		snprintf(ev.text, sizeof ev.text, "not an E34 (exception %d "
		    "at 0x%04X)", x.exc_code, x.addr);
	else if (x.outcome == ST_EXCEPTION)
		snprintf(ev.text, sizeof ev.text, "unidentified (answers "
		    "exception %d at 0x%04X)", x.exc_code, x.addr);
	else if (!poll_ident_magic_ok(x.words, x.count))
		snprintf(ev.text, sizeof ev.text, "not an E34 (no \"SOCO\" "
		    "at 0x%04X)", x.addr);
	else {
		if (scan_read(s, addr, REG_EXTENDED_NAME, REG_EXTENDED_NAME,
		    &x) == -1)
			return -1;
		if (x.outcome == ST_ANSWER && poll_ident_name_ok(x.words,
		    x.count, name, sizeof name)) {
			ev.is_e34 = 1;
			scan_describe(s, addr, name, ev.text, sizeof ev.text);
		} else if (x.outcome == ST_ANSWER)
			snprintf(ev.text, sizeof ev.text, "Socomec device, not "
			    "an E34 (%s)", name[0] ? name : "no name");
		else
			snprintf(ev.text, sizeof ev.text, "Socomec device, not "
			    "an E34 (no extended name)");
	}
	if (ev.is_e34)
		s->sum.found++;
	else
		s->sum.foreign++;
	s->seen[addr] = 1;
	scan_post(s, &ev);
	return 0;
}

/*
 * Units whose answer came after their timeout (it arrived while the next
 * address was asked) are asked again at the end with four times the
 * timeout, so a slow meter or a loaded host does not lose a meter.
 */
static int
scan_late_pass(struct scan *s)
{
	int	addr, rc = 0;

	bus_link_set_timeout(&s->link, s->p.timeout_ms * 4);
	for (addr = s->p.first; addr <= s->p.last && rc == 0; addr++) {
		if (!s->late[addr] || s->seen[addr] || scan_cancelled(s))
			continue;
		s->late[addr] = 0;
		s->sum.reprobed++;
		rc = scan_one(s, addr);
	}
	bus_link_set_timeout(&s->link, s->p.timeout_ms);
	return rc;
}

static void *
scan_worker(void *arg)
{
	struct scan	*s = arg;
	struct scan_ev	 ev;
	struct err	 e;
	int64_t		 t0 = clock_mono_us(), el;
	int		 addr;

	if (bus_link_open(&s->link, &e) == -1) {
		s->sum.failed = 1;
		snprintf(s->sum.error, sizeof s->sum.error, "%.255s", e.msg);
		goto done;
	}
	for (addr = s->p.first; addr <= s->p.last; addr++) {
		if (scan_cancelled(s)) {
			s->sum.cancelled = 1;
			break;
		}
		if (scan_one(s, addr) == -1 && (bus_link_open(&s->link,
		    &e) == -1 || scan_one(s, addr) == -1)) {
			s->sum.failed = 1;
			snprintf(s->sum.error, sizeof s->sum.error, "%.255s",
			    s->link.last_error[0] ? s->link.last_error : e.msg);
			break;
		}
		s->sum.scanned++;
		memset(&ev, 0, sizeof ev);
		ev.kind = SEV_PROGRESS;
		ev.done = s->sum.scanned;
		ev.total = s->sum.total;
		el = (clock_mono_us() - t0) / 1000;
		ev.eta_ms = el * (ev.total - ev.done) / ev.done;
		scan_post(s, &ev);
	}
	if (!s->sum.failed && !s->sum.cancelled && scan_late_pass(s) == -1) {
		s->sum.failed = 1;
		snprintf(s->sum.error, sizeof s->sum.error, "%.255s",
		    s->link.last_error);
	}
done:
	bus_link_close(&s->link);
	s->sum.elapsed_ms = (clock_mono_us() - t0) / 1000;
	memset(&ev, 0, sizeof ev);
	ev.kind = SEV_DONE;
	ev.sum = s->sum;
	scan_post(s, &ev);
	return NULL;
}

/* Deliver the worker's events to the callbacks (loop thread). */
static void
scan_wake_cb(struct ev_loop *loop, ev_async *w, int revents)
{
	struct scan	*s = container_of(w, struct scan, wake);
	struct scan_ev	*ev;

	(void)loop;
	(void)revents;
	for (;;) {
		pthread_mutex_lock(&s->mu);
		if ((ev = TAILQ_FIRST(&s->evs)) != NULL)
			TAILQ_REMOVE(&s->evs, ev, entry);
		pthread_mutex_unlock(&s->mu);
		if (ev == NULL)
			break;
		if (ev->kind == SEV_PROGRESS && s->cbs.progress != NULL)
			s->cbs.progress(s->cbs.arg, ev->done, ev->total,
			    ev->eta_ms);
		else if (ev->kind == SEV_FOUND && s->cbs.found != NULL)
			s->cbs.found(s->cbs.arg, ev->addr, ev->is_e34,
			    ev->text);
		else if (ev->kind == SEV_DONE && s->cbs.done != NULL)
			s->cbs.done(s->cbs.arg, &ev->sum);
		free(ev);
	}
}

struct scan *
scan_start(struct ev_loop *loop, const struct scan_params *p,
    const struct scan_cbs *cbs, struct err *e)
{
	struct scan	*s;
	int		 rc;

	if (p->first < 1 || p->last > 247 || p->first > p->last) {
		err_setc(e, EXIT_USAGE, "--scan: addresses %d..%d: expected "
		    "1 <= first <= last <= 247", p->first, p->last);
		return NULL;
	}
	if ((s = calloc(1, sizeof *s)) == NULL) {
		err_setc(e, EXIT_SOFTWARE, "scan: %s", strerror(ENOMEM));
		return NULL;
	}
	s->loop = loop;
	s->p = *p;
	s->cbs = *cbs;
	snprintf(s->device, sizeof s->device, "%s", p->device ? p->device : "");
	snprintf(s->host, sizeof s->host, "%s", p->host ? p->host : "");
	snprintf(s->name, sizeof s->name, "scan");
	s->conf.name = s->name;
	s->conf.type = p->type;
	s->conf.device = s->device;
	s->conf.host = s->host;
	s->conf.port = p->port > 0 ? p->port : 502;
	s->conf.baud = p->baud > 0 ? p->baud : 19200;
	s->conf.parity = p->parity ? p->parity : 'N';
	s->conf.stop_bits = p->stop_bits ? p->stop_bits : 1;
	s->p.baud = s->conf.baud;
	s->p.parity = s->conf.parity;
	s->p.stop_bits = s->conf.stop_bits;
	if (s->p.timeout_ms <= 0)
		s->p.timeout_ms = scan_default_timeout_ms(&s->p);
	s->conf.timeout_ms = s->p.timeout_ms;
	bus_link_init(&s->link, &s->conf, s->p.timeout_ms);
	s->sum.total = p->last - p->first + 1;
	s->sum.timeout_ms = s->p.timeout_ms;
	s->sum.spoken = p->type;
	TAILQ_INIT(&s->evs);
	pthread_mutex_init(&s->mu, NULL);
	ev_async_init(&s->wake, scan_wake_cb);
	ev_async_start(loop, &s->wake);
	if ((rc = pthread_create(&s->thread, NULL, scan_worker, s)) != 0) {
		err_setc(e, EXIT_SOFTWARE, "scan: cannot start its worker: %s",
		    strerror(rc));
		scan_free(s);
		return NULL;
	}
	s->started = 1;
	return s;
}

void
scan_cancel(struct scan *s)
{
	pthread_mutex_lock(&s->mu);
	s->cancel = 1;
	pthread_mutex_unlock(&s->mu);
}

void
scan_free(struct scan *s)
{
	struct scan_ev	*ev;

	if (s == NULL)
		return;
	if (s->started) {
		scan_cancel(s);
		pthread_join(s->thread, NULL);
	}
	ev_async_stop(s->loop, &s->wake);
	while ((ev = TAILQ_FIRST(&s->evs)) != NULL) {
		TAILQ_REMOVE(&s->evs, ev, entry);
		free(ev);
	}
	pthread_mutex_destroy(&s->mu);
	free(s);
}
