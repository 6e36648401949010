/*
 * bus.c: the Modbus transport and the bus worker thread.
 *
 * bus_link_*: one blocking transaction at a time on an opened libmodbus
 * context, with the RTU silent interval between frames, latency and line
 * time measured, and the outcome sorted into answer / exception / timeout /
 * CRC / io. The contexts themselves come from bus-rtu.c and bus-tcp.c.
 *
 * bus_*: a worker thread per bus that owns the link. The loop thread queues
 * jobs (bus_submit) and gets them back, with results filled in, through an
 * ev_async: libmodbus blocks, so it never runs on the loop. A device that
 * fails (USB adapter pulled, gateway gone) is reopened with back-off.
 *
 * bus_write_check is the one write guard; what is polled and how often is
 * poll.c's and engine.c's business.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <modbus.h>

#include "bus.h"
#include "pollplan.h"
#include "regmap.h"

#define BUS_REOPEN_MIN_MS	1000
#define BUS_REOPEN_MAX_MS	30000

int64_t
bus_now_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t
bus_wall_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Copy src into dst (len bytes), cut if need be, always terminated. */
static void
bus_strlcpy(char *dst, const char *src, size_t len)
{
	size_t	n = strnlen(src, len - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Sleep until the monotonic time `until_us` (the end of a silent interval). */
static void
bus_sleep_until(int64_t until_us)
{
	struct timespec	ts;

	if (until_us <= bus_now_us())
		return;
	ts.tv_sec = until_us / 1000000;
	ts.tv_nsec = (until_us % 1000000) * 1000;
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	    EINTR)
		;
}

void
bus_link_init(struct bus_link *l, const struct bus_conf *conf, int timeout_ms)
{
	memset(l, 0, sizeof *l);
	l->conf = conf;
	l->timeout_ms = timeout_ms > 0 ? timeout_ms : conf->timeout_ms;
	l->t35_us = poll_t35_us(conf);
}

void
bus_link_set_timeout(struct bus_link *l, int timeout_ms)
{
	l->timeout_ms = timeout_ms;
	if (l->ctx != NULL)
		modbus_set_response_timeout(l->ctx, (uint32_t)timeout_ms / 1000,
		    (uint32_t)(timeout_ms % 1000) * 1000);
}

/*
 * Longest silence inside an answer before it counts as broken: 20
 * characters, at least 50 ms. USB-RS485 adapters deliver in bursts (an
 * FTDI's latency timer is 16 ms by default) and a loaded host adds its own
 * delay, so a tighter bound turns good answers into CRC errors. A frame
 * whose byte count was corrupted would otherwise wait for libmodbus's
 * default of 500 ms.
 */
static uint32_t
bus_byte_timeout_us(const struct bus_conf *c)
{
	long	us = 20 * bus_char_us(c);

	return us < 50000 ? 50000 : (uint32_t)us;
}

/* Open the device or connect; on failure say which and why. */
int
bus_link_open(struct bus_link *l, struct err *e)
{
	const struct bus_conf	*c = l->conf;
	modbus_t		*ctx;
	struct err		 e2;
	int			 saved;

	bus_link_close(l);
	ctx = c->type == BUS_TCP ? bus_tcp_new(c, &e2) : bus_rtu_new(c, &e2);
	if (ctx == NULL) {
		bus_strlcpy(l->last_error, e2.msg, sizeof l->last_error);
		return err_set(e, "%s", e2.msg);
	}
	modbus_set_error_recovery(ctx, MODBUS_ERROR_RECOVERY_NONE);
	modbus_set_response_timeout(ctx, (uint32_t)l->timeout_ms / 1000,
	    (uint32_t)(l->timeout_ms % 1000) * 1000);
	if (c->type == BUS_RTU)	/* a frame that stops half way: not 500 ms */
		modbus_set_byte_timeout(ctx, 0, bus_byte_timeout_us(c));
	if (modbus_connect(ctx) == -1) {
		saved = errno;
		modbus_free(ctx);
		if (c->type == BUS_TCP)
			snprintf(l->last_error, sizeof l->last_error,
			    "connect %s:%d: %s", c->host, c->port,
			    modbus_strerror(saved));
		else
			snprintf(l->last_error, sizeof l->last_error,
			    "open %s: %s", c->device, modbus_strerror(saved));
		errno = saved;
		return err_set(e, "%s", l->last_error);
	}
	l->ctx = ctx;
	l->last_error[0] = '\0';
	l->line_free_us = bus_now_us() + l->t35_us;
	return 0;
}

void
bus_link_close(struct bus_link *l)
{
	if (l->ctx == NULL)
		return;
	modbus_close(l->ctx);
	modbus_free(l->ctx);
	l->ctx = NULL;
}

/* Sort a libmodbus errno into an outcome; -1 when the link itself failed. */
static int
bus_classify(int err_no, struct bus_xfer *x)
{
	x->err_no = err_no;
	if (err_no == ETIMEDOUT) {
		x->outcome = ST_TIMEOUT;
		return 0;
	}
	if (err_no > MODBUS_ENOBASE && err_no <= EMBXGTAR) {
		x->outcome = ST_EXCEPTION;
		x->exc_code = err_no - MODBUS_ENOBASE;
		return 0;
	}
	if (err_no == EMBBADCRC || err_no == EMBBADDATA ||
	    err_no == EMBBADEXC || err_no == EMBUNKEXC || err_no == EMBMDATA ||
	    err_no == EMBBADSLAVE) {
		x->outcome = ST_CRC;	/* a frame came, but not a good one */
		return 0;
	}
	x->outcome = ST_IO;
	return -1;
}

/*
 * An RTU read that does not wake per byte. modbus_read_registers() selects
 * and reads as each character arrives: on a paced line that is one wake-up
 * every millisecond or two for the whole answer, which is most of the
 * engine's CPU. The answer cannot be complete before the request and the
 * reply have crossed the wire, so send, sleep that wire time, then read
 * what has come (the remaining response timeout still applies). The
 * frame is checked here as libmodbus would: slave, function, byte count
 * (the CRC is checked by modbus_receive_confirmation).
 */
static int
bus_rtu_read(struct bus_link *l, int unit, struct bus_xfer *x, int64_t t0)
{
	uint8_t		req[6], rsp[MODBUS_RTU_MAX_ADU_LENGTH];
	struct pollfd	pfd;
	int64_t		due_us, left_us;
	int		n, i, r;

	req[0] = (uint8_t)unit;
	req[1] = 0x03;
	req[2] = (uint8_t)(x->addr >> 8);
	req[3] = (uint8_t)x->addr;
	req[4] = (uint8_t)(x->count >> 8);
	req[5] = (uint8_t)x->count;
	if (modbus_send_raw_request(l->ctx, req, sizeof req) == -1)
		return -1;
	/* the last byte cannot come before both frames and the meter's
	 * 3.5-character turnaround have passed */
	due_us = (int64_t)(8 + 5 + 2 * x->count) * bus_char_us(l->conf) +
	    l->t35_us;
	bus_sleep_until(t0 + due_us);
	left_us = (int64_t)l->timeout_ms * 1000 - (bus_now_us() - t0);
	if (left_us < 1000)
		left_us = 1000;
	/*
	 * Wait for the first byte ourselves: silence until the response
	 * timeout is a timeout, whatever the host's load; an answer that
	 * starts and then stops is a corrupt one.
	 */
	pfd.fd = modbus_get_socket(l->ctx);
	pfd.events = POLLIN;
	do
		r = poll(&pfd, 1, (int)((left_us + 999) / 1000));
	while (r == -1 && errno == EINTR);
	if (r == 0) {
		errno = ETIMEDOUT;
		return -1;
	}
	x->rx_started = 1;
	n = modbus_receive_confirmation(l->ctx, rsp);
	modbus_set_response_timeout(l->ctx, (uint32_t)l->timeout_ms / 1000,
	    (uint32_t)(l->timeout_ms % 1000) * 1000);
	if (n == -1)
		return -1;
	if (n < 5 || rsp[0] != unit) {
		if (rsp[0] != unit && rsp[0] != 0)
			x->other_unit = rsp[0];
		errno = EMBBADSLAVE;
		return -1;
	}
	if (rsp[1] == (0x80 | 0x03)) {
		errno = MODBUS_ENOBASE + rsp[2];
		return -1;
	}
	if (rsp[1] != 0x03 || rsp[2] != 2 * x->count ||
	    n != 3 + 2 * x->count + 2) {
		errno = EMBBADDATA;
		return -1;
	}
	for (i = 0; i < x->count; i++)
		x->words[i] = (uint16_t)(rsp[3 + 2 * i] << 8 | rsp[4 + 2 * i]);
	return x->count;
}

/* Run one transaction (see bus.h). */
int
bus_link_xfer(struct bus_link *l, int unit, struct bus_xfer *x)
{
	int64_t		t0, t1;
	int		rc, saved = 0;

	x->ran = 1;
	x->other_unit = 0;
	x->rx_started = 0;
	x->outcome = ST_IO;
	x->exc_code = 0;
	x->err_no = 0;
	x->lat_us = x->busy_us = 0;
	if (l->ctx == NULL) {
		x->err_no = ENOTCONN;
		return -1;
	}
	if (x->count < 1 || x->count > BUS_MAX_WORDS) {
		x->err_no = EINVAL;
		x->outcome = ST_IO;
		return 0;
	}
	bus_sleep_until(l->line_free_us);
	modbus_set_slave(l->ctx, unit);
	t0 = bus_now_us();
	if (!x->write && l->conf->type == BUS_RTU)
		rc = bus_rtu_read(l, unit, x, t0);
	else if (!x->write)
		rc = modbus_read_registers(l->ctx, x->addr, x->count, x->words);
	else if (x->count == 1 && !x->fc16)
		rc = modbus_write_register(l->ctx, x->addr, x->words[0]);
	else
		rc = modbus_write_registers(l->ctx, x->addr, x->count,
		    x->words);
	if (rc == -1)
		saved = errno;
	t1 = bus_now_us();
	x->done_ms = t1 / 1000;
	x->done_wall_ms = bus_wall_ms();
	x->lat_us = (uint32_t)(t1 - t0);
	if (rc != -1) {
		x->outcome = ST_ANSWER;
		x->busy_us = x->lat_us + l->t35_us;
		l->line_free_us = t1 + l->t35_us;
		return 0;
	}
	if (bus_classify(saved, x) == -1) {
		snprintf(l->last_error, sizeof l->last_error, "%s: %s",
		    l->conf->type == BUS_TCP ? l->conf->host : l->conf->device,
		    modbus_strerror(saved));
		bus_link_close(l);
		return -1;
	}
	/*
	 * An answer that started and broke off (e.g. a corrupted byte count)
	 * ends in the byte timeout: a corrupt answer, not silence. The RTU
	 * read knows whether a byte came; elsewhere, a timeout well before the
	 * response timeout tells.
	 */
	if (x->outcome == ST_TIMEOUT && (x->rx_started ||
	    (!(!x->write && l->conf->type == BUS_RTU) &&
	    (int64_t)x->lat_us + 1000 < (int64_t)l->timeout_ms * 1000)))
		x->outcome = ST_CRC;
	x->busy_us = x->lat_us + (x->outcome == ST_TIMEOUT ? 0 : l->t35_us);
	if (x->outcome != ST_ANSWER && x->outcome != ST_EXCEPTION)
		modbus_flush(l->ctx);	/* drop a late or broken answer */
	l->line_free_us = bus_now_us() + l->t35_us;
	return 0;
}

/* The one write guard (see bus.h). */
int
bus_write_check(enum bus_write_kind kind, int writes_on, int confirmed,
    int unit, int addr, int count, struct err *e)
{
	const struct reg_def	*lo = regmap_get(REG_ACTION);
	const struct reg_def	*hi = regmap_get(REG_RESET_TARIFF_COUNTERS);
	const struct reg_def	*lc = regmap_get(REG_LC_COMMAND);

	if (unit < 1 || unit > 247)
		return err_set(e, "write refused: unit %d (never broadcast)",
		    unit);
	if (count < 1 || count > BUS_MAX_WORDS)
		return err_set(e, "write refused: %d words", count);
	if (addr <= hi->addr + hi->count - 1 && addr + count - 1 >= lo->addr)
		return err_set(e, "write refused: 0x%04X is in the action and "
		    "reset registers 0x%04X..0x%04X", addr, lo->addr,
		    hi->addr + hi->count - 1);
	if (!regmap_e34_writable(addr, count))
		return err_set(e, "write refused: 0x%04X x%d is not writable "
		    "per the register map", addr, count);
	if (kind == BUS_WRITE_LC_POINTER) {
		if (addr != lc->addr || count != lc->count)
			return err_set(e, "write refused: only the load-curve "
			    "command 0x%04X may be written here", lc->addr);
		return 0;
	}
	if (!writes_on)
		return err_set(e, "write refused: writes = off in the "
		    "configuration");
	if (!confirmed)
		return err_set(e, "write refused: not confirmed");
	return 0;
}

/* Check every write of a job against the guard (see bus.h). */
int
bus_job_guard(struct bus_job *j, enum bus_write_kind kind, int writes_on,
    int confirmed, struct err *e)
{
	int	i;

	j->guarded = 0;
	for (i = 0; i < j->nx; i++)
		if (j->x[i].write && bus_write_check(kind, writes_on, confirmed,
		    j->unit, j->x[i].addr, j->x[i].count, e) == -1)
			return -1;
	j->guarded = 1;
	return 0;
}

static int
bus_stopping(struct bus *b)
{
	int	s;

	pthread_mutex_lock(&b->mu);
	s = b->stopping;
	pthread_mutex_unlock(&b->mu);
	return s;
}

/* Make sure the link is open, reopening with back-off. 0 when usable. */
static int
bus_ensure_open(struct bus *b)
{
	struct err	e;
	int64_t		now = bus_now_us() / 1000;

	if (b->link.ctx != NULL)
		return 0;
	if (now < b->next_open_ms)
		return -1;
	if (bus_link_open(&b->link, &e) == -1) {
		b->reopen_ms = b->reopen_ms == 0 ? BUS_REOPEN_MIN_MS :
		    b->reopen_ms * 2;
		if (b->reopen_ms > BUS_REOPEN_MAX_MS)
			b->reopen_ms = BUS_REOPEN_MAX_MS;
		b->next_open_ms = now + b->reopen_ms;
		pthread_mutex_lock(&b->mu);
		b->connected = 0;
		bus_strlcpy(b->conn_error, e.msg, sizeof b->conn_error);
		pthread_mutex_unlock(&b->mu);
		return -1;
	}
	b->reopen_ms = 0;
	pthread_mutex_lock(&b->mu);
	b->connected = 1;
	b->conn_error[0] = '\0';
	b->conn_gen++;
	pthread_mutex_unlock(&b->mu);
	return 0;
}

/* The link failed in a transaction: note it and plan the reopen. */
static void
bus_link_lost(struct bus *b)
{
	b->reopen_ms = BUS_REOPEN_MIN_MS;
	b->next_open_ms = bus_now_us() / 1000 + b->reopen_ms;
	pthread_mutex_lock(&b->mu);
	b->connected = 0;
	bus_strlcpy(b->conn_error, b->link.last_error, sizeof b->conn_error);
	pthread_mutex_unlock(&b->mu);
}

/* After x[i] of an identifying job: 1 to go on, 0 to stop the job. */
static int
bus_ident_step(struct bus_job *j, int i)
{
	const struct bus_xfer	*x = &j->x[i];

	if (x->outcome == ST_EXCEPTION && x->exc_code >= 1 &&
	    x->exc_code <= 3) {	/* no such function or register: not an E34 */
		j->ident = IDENT_FOREIGN;
		return 0;
	}
	if (x->outcome != ST_ANSWER) {
		j->ident = IDENT_UNDECIDED;
		return 0;
	}
	if (i == 0 && !poll_ident_magic_ok(x->words, x->count)) {
		j->ident = IDENT_FOREIGN;
		return 0;
	}
	if (i == 1) {
		j->ident = poll_ident_name_ok(x->words, x->count, j->ext_name,
		    sizeof j->ext_name) ? IDENT_E34 : IDENT_FOREIGN;
		return j->ident == IDENT_E34;
	}
	return 1;
}

/* Run a job's transactions back to back; stop at the first timeout. */
static void
bus_run_job(struct bus *b, struct bus_job *j)
{
	struct bus_xfer	*x;
	int64_t		 t0 = bus_now_us();
	int		 i;

	j->start_ms = t0 / 1000;
	j->start_wall_ms = bus_wall_ms();
	j->ident = IDENT_NOT_RUN;
	if (bus_ensure_open(b) == -1) {
		j->link_failed = 1;
		goto out;
	}
	j->conn_gen = b->conn_gen;
	for (i = 0; i < j->nx; i++) {
		x = &j->x[i];
		if (bus_stopping(b))
			break;
		if (x->write && !j->guarded) {
			x->ran = 1;	/* refused: only the guard makes writes */
			x->outcome = ST_IO;
			x->err_no = EPERM;
			break;
		}
		if (bus_link_xfer(&b->link, j->unit, x) == -1) {
			j->link_failed = 1;
			bus_link_lost(b);
			break;
		}
		if (j->identify && i < 2 && !bus_ident_step(j, i))
			break;
		if (x->outcome == ST_TIMEOUT ||
		    (x->outcome == ST_EXCEPTION && x->exc_code >= 10))
			break;	/* nobody there: one timeout per cycle */
	}
out:
	j->end_ms = bus_now_us() / 1000;
	j->end_wall_ms = bus_wall_ms();
	j->run_us = (uint32_t)(bus_now_us() - t0);
}

static void *
bus_worker(void *arg)
{
	struct bus	*b = arg;
	struct bus_job	*j;

	pthread_mutex_lock(&b->mu);
	for (;;) {
		while (!b->stopping && (b->held || TAILQ_EMPTY(&b->todo))) {
			if (b->held && !b->released) {
				/* let the other user have the device */
				pthread_mutex_unlock(&b->mu);
				bus_link_close(&b->link);
				pthread_mutex_lock(&b->mu);
				b->released = 1;
				b->connected = 0;
				bus_strlcpy(b->conn_error, "line held for "
				    "commissioning", sizeof b->conn_error);
				pthread_mutex_unlock(&b->mu);
				ev_async_send(b->loop, &b->wake);
				pthread_mutex_lock(&b->mu);
				continue;
			}
			pthread_cond_wait(&b->cv, &b->mu);
		}
		if (b->stopping)
			break;
		if (b->link.ctx == NULL && b->conn_error[0] == '\0') {
			b->next_open_ms = 0;	/* given back: reopen at once */
			b->reopen_ms = 0;
		}
		j = TAILQ_FIRST(&b->todo);
		TAILQ_REMOVE(&b->todo, j, entry);
		b->queued--;
		pthread_mutex_unlock(&b->mu);
		bus_run_job(b, j);
		pthread_mutex_lock(&b->mu);
		TAILQ_INSERT_TAIL(&b->done, j, entry);
		pthread_mutex_unlock(&b->mu);
		ev_async_send(b->loop, &b->wake);
		pthread_mutex_lock(&b->mu);
	}
	pthread_mutex_unlock(&b->mu);
	bus_link_close(&b->link);
	return NULL;
}

/* Hand finished jobs to their owner, on the loop thread. */
static void
bus_wake_cb(struct ev_loop *loop, ev_async *w, int revents)
{
	struct bus	*b = container_of(w, struct bus, wake);
	struct bus_job	*j;
	void		(*fn)(void *);
	void		*fn_arg;
	int		 fire;

	(void)loop;
	(void)revents;
	pthread_mutex_lock(&b->mu);
	fire = b->held && b->released && b->released_fn != NULL;
	fn = b->released_fn;
	fn_arg = b->released_arg;
	if (fire)
		b->released_fn = NULL;
	pthread_mutex_unlock(&b->mu);
	if (fire)
		fn(fn_arg);
	for (;;) {
		pthread_mutex_lock(&b->mu);
		j = TAILQ_FIRST(&b->done);
		if (j != NULL)
			TAILQ_REMOVE(&b->done, j, entry);
		pthread_mutex_unlock(&b->mu);
		if (j == NULL)
			break;
		b->result_fn(b->result_arg, j);
	}
}

int
bus_init(struct bus *b, struct ev_loop *loop, const struct bus_conf *conf,
    bus_result_fn *fn, void *arg, struct err *e)
{
	memset(b, 0, sizeof *b);
	bus_link_init(&b->link, conf, conf->timeout_ms);
	if (pthread_mutex_init(&b->mu, NULL) != 0 ||
	    pthread_cond_init(&b->cv, NULL) != 0)
		return err_set(e, "bus %s: cannot create its lock", conf->name);
	TAILQ_INIT(&b->todo);
	TAILQ_INIT(&b->done);
	b->loop = loop;
	b->result_fn = fn;
	b->result_arg = arg;
	ev_async_init(&b->wake, bus_wake_cb);
	return 0;
}

int
bus_start(struct bus *b, struct err *e)
{
	int	rc;

	if (b->started)
		return 0;
	ev_async_start(b->loop, &b->wake);
	if ((rc = pthread_create(&b->thread, NULL, bus_worker, b)) != 0) {
		ev_async_stop(b->loop, &b->wake);
		return err_set(e, "bus %s: cannot start its worker: %s",
		    b->link.conf->name, strerror(rc));
	}
	b->started = 1;
	return 0;
}

void
bus_submit(struct bus *b, struct bus_job *j)
{
	pthread_mutex_lock(&b->mu);
	TAILQ_INSERT_TAIL(&b->todo, j, entry);
	b->queued++;
	pthread_cond_signal(&b->cv);
	pthread_mutex_unlock(&b->mu);
}

/* Stop and join the worker; hand every job back (see bus.h). */
void
bus_stop(struct bus *b)
{
	struct bus_job	*j;

	if (b->started) {
		pthread_mutex_lock(&b->mu);
		b->stopping = 1;
		pthread_cond_signal(&b->cv);
		pthread_mutex_unlock(&b->mu);
		pthread_join(b->thread, NULL);
		ev_async_stop(b->loop, &b->wake);
		b->started = 0;
	}
	pthread_mutex_lock(&b->mu);
	b->stopping = 1;
	while ((j = TAILQ_FIRST(&b->todo)) != NULL) {
		TAILQ_REMOVE(&b->todo, j, entry);
		TAILQ_INSERT_TAIL(&b->done, j, entry);
	}
	b->queued = 0;
	pthread_mutex_unlock(&b->mu);
	bus_wake_cb(b->loop, &b->wake, 0);
}

void
bus_release(struct bus *b)
{
	bus_stop(b);
	bus_link_close(&b->link);
	pthread_mutex_destroy(&b->mu);
	pthread_cond_destroy(&b->cv);
}

/* Hold or release the line (see bus.h). Loop thread. */
void
bus_hold(struct bus *b, int on, void (*fn)(void *), void *arg)
{
	pthread_mutex_lock(&b->mu);
	b->held = on;
	b->released_fn = on ? fn : NULL;
	b->released_arg = on ? arg : NULL;
	if (!on) {
		b->released = 0;
		b->conn_error[0] = '\0';
	}
	pthread_cond_signal(&b->cv);
	pthread_mutex_unlock(&b->mu);
	if (on)	/* already closed: say so on the next loop turn */
		ev_async_send(b->loop, &b->wake);
}

void
bus_conn_state(struct bus *b, int *connected, char *err, size_t len,
    unsigned *gen)
{
	pthread_mutex_lock(&b->mu);
	*connected = b->connected;
	if (err != NULL && len > 0)
		bus_strlcpy(err, b->conn_error, len);
	*gen = b->conn_gen;
	pthread_mutex_unlock(&b->mu);
}
