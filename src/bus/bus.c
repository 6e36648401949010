/*
 * bus.c: the Modbus transport and the bus worker thread.
 *
 * bus_link_*: one blocking transaction at a time on an opened libmodbus
 * context, with the RTU silent interval between frames, latency and line
 * time measured, and the outcome sorted into answer / exception / timeout /
 * CRC (RTU only) / io. libmodbus opens the line; the frames are built and
 * matched here, so a late, duplicated or stray answer is skipped (counted
 * in strays), never taken for the answer awaited. The contexts themselves
 * come from bus-rtu.c and bus-tcp.c. RTU over TCP (bus-rtu-tcp.c) is the RTU
 * framing run on a TCP socket that libmodbus's TCP context connected.
 *
 * bus_*: a worker thread per bus that owns the link. The loop thread queues
 * jobs (bus_submit) and gets them back, with results filled in, through an
 * ev_async: libmodbus blocks, so it never runs on the loop. A device that
 * fails (USB adapter pulled, gateway gone) is reopened with back-off. A
 * configuration reload hands a running bus, line open, to the next engine
 * (bus_pause, bus_hand_over; bus_link_same says when it may).
 *
 * bus_write_check is the one write guard; what is polled and how often is
 * poll.c's and engine.c's business.
 */
#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <modbus.h>

#include "bus.h"
#include "clock.h"
#include "pollplan.h"
#include "regmap.h"
#include "wire.h"

#define BUS_REOPEN_MIN_MS	1000
#define BUS_REOPEN_MAX_MS	30000

/* Copy src into dst (len bytes), cut if need be, always terminated. */
static void
bus_strlcpy(char *dst, const char *src, size_t len)
{
	size_t	n = strnlen(src, len - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

void
bus_link_init(struct bus_link *l, const struct bus_conf *conf, int timeout_ms)
{
	memset(l, 0, sizeof *l);
	l->conf = conf;
	l->timeout_ms = timeout_ms > 0 ? timeout_ms : conf->timeout_ms;
	/* a gateway keeps its line's silent interval itself */
	l->t35_us = conf->type == BUS_RTU ? poll_t35_us(conf) : 0;
}

void
bus_link_set_timeout(struct bus_link *l, int timeout_ms)
{
	l->timeout_ms = timeout_ms;
	if (l->ctx != NULL)
		modbus_set_response_timeout(l->ctx, (uint32_t)timeout_ms / 1000,
		    (uint32_t)(timeout_ms % 1000) * 1000);
}

/* Two optional strings of a bus_conf: NULL is "". */
static int
bus_str_same(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "") == 0;
}

/* Is a link opened with a's settings the one b asks for? (see bus.h) */
int
bus_link_same(const struct bus_conf *a, const struct bus_conf *b)
{
	if (a->type != b->type)
		return 0;
	if (bus_is_net(a))	/* the far line's settings apply live */
		return bus_str_same(a->host, b->host) && a->port == b->port;
	return bus_str_same(a->device, b->device) && a->baud == b->baud &&
	    (a->parity ? a->parity : 'N') == (b->parity ? b->parity : 'N') &&
	    (a->stop_bits ? a->stop_bits : 1) ==
	    (b->stop_bits ? b->stop_bits : 1);
}

/* What differs from a to b, the name left out (see bus.h). */
void
bus_conf_changes(const struct bus_conf *a, const struct bus_conf *b,
    char *buf, size_t len)
{
	if (len == 0)
		return;
	buf[0] = '\0';
	if (a->type != b->type)
		msg_list_add(buf, len, "type %s -> %s", bus_type_name(a->type),
		    bus_type_name(b->type));
	if ((a->type == BUS_RTU || b->type == BUS_RTU) &&
	    !bus_str_same(a->device, b->device))
		msg_list_add(buf, len, "device %s -> %s", a->device ?
		    a->device : "none", b->device ? b->device : "none");
	if ((bus_is_net(a) || bus_is_net(b)) && !bus_str_same(a->host, b->host))
		msg_list_add(buf, len, "host %s -> %s", a->host ? a->host :
		    "none", b->host ? b->host : "none");
	if ((bus_is_net(a) || bus_is_net(b)) && a->port != b->port)
		msg_list_add(buf, len, "port %d -> %d", a->port, b->port);
	if (bus_has_line(a) && bus_has_line(b)) {
		if (a->baud != b->baud)
			msg_list_add(buf, len, "baud %d -> %d", a->baud,
			    b->baud);
		if ((a->parity ? a->parity : 'N') !=
		    (b->parity ? b->parity : 'N'))
			msg_list_add(buf, len, "parity %s -> %s",
			    bus_parity_name(a->parity),
			    bus_parity_name(b->parity));
		if ((a->stop_bits ? a->stop_bits : 1) !=
		    (b->stop_bits ? b->stop_bits : 1))
			msg_list_add(buf, len, "stop bits %d -> %d",
			    a->stop_bits, b->stop_bits);
	}
	if (a->timeout_ms != b->timeout_ms)
		msg_list_add(buf, len, "timeout %d -> %d ms", a->timeout_ms,
		    b->timeout_ms);
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
	if ((bus_is_net(c) && (c->host == NULL || c->host[0] == '\0' ||
	    bus_tcp_resolve(c, &e2) == -1)) || (c->type == BUS_RTU &&
	    c->device != NULL && c->device[0] != '\0' &&
	    bus_rtu_lock(c->device, l->lock_path, sizeof l->lock_path,
	    &e2) == -1))
		ctx = NULL;
	else	/* RTU over TCP: libmodbus's TCP context makes the socket */
		ctx = bus_is_net(c) ? bus_tcp_new(c, &e2) :
		    bus_rtu_new(c, &e2);
	if (ctx == NULL) {
		if (bus_is_net(c) && (c->host == NULL ||
		    c->host[0] == '\0'))
			err_set(&e2, "bus %s: no host", c->name);
		bus_rtu_unlock(l->lock_path);
		bus_strlcpy(l->last_error, e2.msg, sizeof l->last_error);
		return err_set(e, "%s", e2.msg);
	}
	modbus_set_error_recovery(ctx, MODBUS_ERROR_RECOVERY_NONE);
	modbus_set_response_timeout(ctx, (uint32_t)l->timeout_ms / 1000,
	    (uint32_t)(l->timeout_ms % 1000) * 1000);
	if (modbus_connect(ctx) == -1) {
		saved = errno;
		modbus_free(ctx);
		bus_rtu_unlock(l->lock_path);
		if (bus_is_net(c))
			snprintf(l->last_error, sizeof l->last_error,
			    "connect %s:%d: %s", c->host, c->port,
			    modbus_strerror(saved));
		else
			snprintf(l->last_error, sizeof l->last_error,
			    "open %s: %s", c->device, modbus_strerror(saved));
		errno = saved;
		return err_set(e, "%s", l->last_error);
	}
	if (c->type == BUS_RTU)
		bus_rtu_excl(modbus_get_socket(ctx));
	l->ctx = ctx;
	l->last_error[0] = '\0';
	l->line_free_us = clock_mono_us() + l->t35_us;
	l->rx_n = 0;
	l->silent_n = 0;
	l->answered = 0;
	l->dropped_silent = 0;
	return 0;
}

void
bus_link_close(struct bus_link *l)
{
	if (l->ctx != NULL) {
		if (l->conf->type == BUS_RTU)	/* the flag outlives our fd */
			bus_rtu_excl_end(modbus_get_socket(l->ctx));
		modbus_close(l->ctx);
		modbus_free(l->ctx);
		l->ctx = NULL;
	}
	l->rx_n = 0;
	bus_rtu_unlock(l->lock_path);
}

/*
 * The request's PDU (function code first) into pdu; returns its length.
 * FC03 for a read, FC06 for a one-word write, FC16 otherwise.
 */
static int
bus_pdu(const struct bus_xfer *x, uint8_t *pdu)
{
	int	i, n;

	pdu[1] = (uint8_t)(x->addr >> 8);
	pdu[2] = (uint8_t)x->addr;
	if (!x->write || x->count > 1 || x->fc16) {
		pdu[0] = x->write ? 0x10 : 0x03;
		pdu[3] = (uint8_t)(x->count >> 8);
		pdu[4] = (uint8_t)x->count;
		if (!x->write)
			return 5;
		pdu[5] = (uint8_t)(2 * x->count);
		for (i = 0, n = 6; i < x->count; i++) {
			pdu[n++] = (uint8_t)(x->words[i] >> 8);
			pdu[n++] = (uint8_t)x->words[i];
		}
		return n;
	}
	pdu[0] = 0x06;
	pdu[3] = (uint8_t)(x->words[0] >> 8);
	pdu[4] = (uint8_t)x->words[0];
	return 5;
}

/* Length of the answer PDU a request expects. */
static int
bus_rsp_len(const struct bus_xfer *x)
{
	return x->write ? 5 : 2 + 2 * x->count;
}

enum bus_judge { BJ_STRAY, BJ_ANSWER, BJ_EXCEPTION };

/*
 * Is this PDU, from the right unit, the answer to request req? The
 * function, the byte count (FC03) or the echoed address and count or
 * value (FC06, FC16) must match; an exception answer is the function with
 * bit 7 set and any code at all. Anything else is somebody else's answer.
 */
static enum bus_judge
bus_judge(const uint8_t *req, int reqlen, const uint8_t *pdu, int n,
    struct bus_xfer *x)
{
	int	i;

	(void)reqlen;
	if (n == 2 && pdu[0] == (req[0] | 0x80)) {
		x->exc_code = pdu[1];
		return BJ_EXCEPTION;
	}
	if (n < 1 || pdu[0] != req[0])
		return BJ_STRAY;
	if (req[0] == 0x03) {
		if (n != 2 + 2 * x->count || pdu[1] != 2 * x->count)
			return BJ_STRAY;
		for (i = 0; i < x->count; i++)
			x->words[i] = (uint16_t)(pdu[2 + 2 * i] << 8 |
			    pdu[3 + 2 * i]);
		return BJ_ANSWER;
	}
	if (n != 5 || memcmp(pdu + 1, req + 1, 4) != 0)	/* the echo */
		return BJ_STRAY;
	return BJ_ANSWER;
}

/* Wait for fd to be readable until the monotonic deadline (us). 1 ready,
 * 0 deadline passed, -1 error. */
static int
bus_wait_in(int fd, int64_t deadline_us)
{
	struct pollfd	pfd = { .fd = fd, .events = POLLIN };
	int64_t		left;
	int		r;

	for (;;) {
		left = deadline_us - clock_mono_us();
		if (left <= 0)
			return 0;
		r = poll(&pfd, 1, (int)((left + 999) / 1000));
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			return -1;
		return r > 0;
	}
}

/* Write all n bytes before the deadline. 0, or -1 with errno. */
static int
bus_send_all(int fd, const uint8_t *p, int n, int tcp, int64_t deadline_us)
{
	struct pollfd	pfd = { .fd = fd, .events = POLLOUT };
	ssize_t		w;
	int64_t		left;

	while (n > 0) {
		w = tcp ? send(fd, p, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT) :
		    write(fd, p, (size_t)n);
		if (w > 0) {
			p += w;
			n -= (int)w;
			continue;
		}
		if (w == -1 && errno != EAGAIN && errno != EWOULDBLOCK &&
		    errno != EINTR)
			return -1;
		if ((left = deadline_us - clock_mono_us()) <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		(void)poll(&pfd, 1, (int)((left + 999) / 1000));
	}
	return 0;
}

/* Read what has come without waiting. Bytes, 0 at end of stream, -1 with
 * errno (EAGAIN: nothing yet). */
static ssize_t
bus_recv(int fd, uint8_t *p, size_t n, int tcp)
{
	ssize_t	r;

	do
		r = tcp ? recv(fd, p, n, MSG_DONTWAIT) : read(fd, p, n);
	while (r == -1 && errno == EINTR);
	return r;
}

/* The link broke: say why in last_error. Returns -1. */
static int
bus_link_fail(struct bus_link *l, const char *why, int err_no,
    struct bus_xfer *x)
{
	const struct bus_conf	*c = l->conf;

	if (bus_is_net(c))
		snprintf(l->last_error, sizeof l->last_error, "%s:%d: %s",
		    c->host, c->port, why);
	else
		snprintf(l->last_error, sizeof l->last_error, "%s: %s",
		    c->device, why);
	x->err_no = err_no;
	x->outcome = ST_IO;
	return -1;
}

/*
 * One Modbus TCP transaction on the socket, done here rather than by
 * libmodbus: 3.1.6 fails the whole read on an answer with another
 * transaction id and leaves the rest of the stream behind, so one late
 * answer would shift every later one. Frames are cut from the stream by
 * their MBAP length (bytes of a frame still coming stay in l->rx for the
 * next transaction); a frame with another transaction id, another unit or
 * that does not fit the request is counted as a stray and skipped, and the
 * wait goes on until the request's deadline. A stream whose header is not
 * Modbus (protocol id, length), or that holds part of a frame at the
 * deadline (its rest would be taken from the next answer), has lost its
 * framing: the connection is made anew.
 */
static int
bus_tcp_xfer(struct bus_link *l, int unit, struct bus_xfer *x, int64_t t0)
{
	uint8_t		 req[7 + 6 + 2 * BUS_MAX_WORDS], *pdu = req + 7;
	int64_t		 deadline = t0 + (int64_t)l->timeout_ms * 1000;
	int		 fd = modbus_get_socket(l->ctx), n, len, tid, r;
	ssize_t		 got;
	char		 why[96];

	n = bus_pdu(x, pdu);
	l->tid = (uint16_t)(l->tid + 1);
	req[0] = (uint8_t)(l->tid >> 8);
	req[1] = (uint8_t)l->tid;
	req[2] = req[3] = 0;
	req[4] = (uint8_t)((n + 1) >> 8);
	req[5] = (uint8_t)(n + 1);
	req[6] = (uint8_t)unit;
	if (bus_send_all(fd, req, 7 + n, 1, deadline) == -1)
		return bus_link_fail(l, strerror(errno), errno, x);
	for (;;) {
		while (l->rx_n >= 7) {	/* whole frames first */
			len = l->rx[4] << 8 | l->rx[5];
			if (l->rx[2] != 0 || l->rx[3] != 0 || len < 2 ||
			    len > 254) {
				snprintf(why, sizeof why, "not a Modbus TCP "
				    "frame (protocol %u, length %d): "
				    "reconnecting", l->rx[2] << 8 | l->rx[3],
				    len);
				l->rx_n = 0;
				return bus_link_fail(l, why, EPROTO, x);
			}
			if (l->rx_n < 6 + len)
				break;
			tid = l->rx[0] << 8 | l->rx[1];
			x->rx_started = 1;
			r = BJ_STRAY;
			if (tid == l->tid && l->rx[6] == unit)
				r = bus_judge(pdu, n, l->rx + 7, len - 1, x);
			else if (tid == l->tid)
				x->other_unit = l->rx[6];
			l->rx_n -= 6 + len;
			memmove(l->rx, l->rx + 6 + len, (size_t)l->rx_n);
			if (r == BJ_ANSWER) {
				x->outcome = ST_ANSWER;
				return 0;
			}
			if (r == BJ_EXCEPTION) {
				x->outcome = ST_EXCEPTION;
				return 0;
			}
			x->strays++;
		}
		if ((r = bus_wait_in(fd, deadline)) == 0) {
			x->outcome = ST_TIMEOUT;
			x->err_no = ETIMEDOUT;
			if (l->rx_n == 0)
				return 0;
			/* a frame cut short: what comes next would be read
			 * as its rest, so the stream is out of step */
			snprintf(l->last_error, sizeof l->last_error,
			    "%s:%d: an answer cut short: new connection",
			    l->conf->host, l->conf->port);
			l->rx_n = 0;
			return -1;
		}
		if (r == -1)
			return bus_link_fail(l, strerror(errno), errno, x);
		got = bus_recv(fd, l->rx + l->rx_n,
		    sizeof l->rx - (size_t)l->rx_n, 1);
		if (got == 0)
			return bus_link_fail(l, "connection closed by the peer",
			    ECONNRESET, x);
		if (got == -1 && errno != EAGAIN && errno != EWOULDBLOCK)
			return bus_link_fail(l, strerror(errno), errno, x);
		if (got > 0)
			l->rx_n += (int)got;
	}
}

/*
 * Length of the RTU frame that starts buf (n bytes so far): 0 while the
 * header is not all there, -1 for a function that is none of ours (noise,
 * ended by silence).
 */
static int
bus_rtu_frame_len(const uint8_t *buf, int n)
{
	if (n < 2)
		return 0;
	if (buf[1] & 0x80)
		return 5;
	if (buf[1] == 0x06 || buf[1] == 0x10)
		return 8;
	if (buf[1] != 0x03)
		return -1;
	return n < 3 ? 0 : 5 + buf[2];
}

/*
 * Drop what came in since the last transaction; 1 when something did (or
 * more: bytes came after the last answer). Then what is still coming too
 * (the rest of a late, duplicated or trickled answer, which would corrupt
 * the next one): until the line has been quiet for quiet_us, and no later
 * than until_us. Over TCP (net) the stream may end meanwhile: *gone is
 * then -1 (closed by the peer) or the errno, else 0. A closed socket is
 * always readable, so waiting for it to go quiet would spin until
 * until_us, and the request would go to a connection that is no more.
 * (On a serial line a read of nothing returns 0: VMIN and VTIME are 0.)
 */
static int
bus_rtu_drain(int fd, int net, int more, int64_t quiet_us, int64_t until_us,
    int *gone)
{
	uint8_t	junk[256];
	int64_t	t;
	ssize_t	r;
	int	any = more;

	*gone = 0;
	for (;;) {
		while ((r = bus_recv(fd, junk, sizeof junk, net)) > 0)
			any = 1;
		if (net && (r == 0 || (errno != EAGAIN &&
		    errno != EWOULDBLOCK))) {
			*gone = r == 0 ? -1 : errno;
			return any;
		}
		t = clock_mono_us() + quiet_us;
		if (!any || bus_wait_in(fd, t < until_us ? t : until_us) != 1)
			break;
	}
	if (!net)
		(void)tcflush(fd, TCIFLUSH);
	return any;
}

/*
 * One Modbus RTU transaction. The input is drained first, so an answer
 * that came after its request's timeout is never read as the next one's.
 * The answer cannot be complete before the request and the reply have
 * crossed the wire: sleep that long, then read (a read woken per byte is
 * most of the engine's CPU on a paced line). Frames are cut by their
 * function and byte count and checked by CRC; a frame of another unit, or
 * one that does not fit the request, is a stray and the wait goes on. The
 * request ends at t0 + timeout + the reply's wire time whatever the peer
 * does (an answer that began before then gets its own wire time and one
 * byte timeout more): silence is a timeout; a frame that stops for longer
 * than the byte timeout, or is not whole by the deadline, is a corrupt one
 * (CRC).
 *
 * RTU over TCP (net): the same frames on a socket. The far line's wire
 * time, request and reply, is added to the deadline; a gateway may cut a
 * frame into segments as it pleases and the network may hold one back, so
 * there is no byte timeout between the pieces: a frame must be whole by
 * the deadline (one that began in time, by the same extension).
 */
static int
bus_rtu_xfer(struct bus_link *l, int unit, struct bus_xfer *x, int64_t t0)
{
	uint8_t		 req[1 + 6 + 2 * BUS_MAX_WORDS + 2];
	uint8_t		 buf[MODBUS_RTU_MAX_ADU_LENGTH + 8];
	int		 fd = modbus_get_socket(l->ctx), n, len, r, have = 0;
	int		 more, gone;
	int64_t		 rsp_us, deadline, gap_us, last_us = 0, first_us = 0;
	int64_t		 until;
	uint16_t	 crc;
	ssize_t		 got;
	long		 ch = bus_char_us(l->conf);
	int		 net = bus_is_net(l->conf);

	more = l->rx_n > 0;
	l->rx_n = 0;
	if (bus_rtu_drain(fd, net, more, wire_gap_us(ch), t0 +
	    (int64_t)l->timeout_ms * 1000, &gone)) {
		x->strays++;
		t0 = clock_mono_us();	/* the request starts now */
	}
	if (gone != 0)
		return bus_link_fail(l, gone == -1 ? "connection closed by the "
		    "peer" : strerror(gone), gone == -1 ? ECONNRESET : gone, x);
	req[0] = (uint8_t)unit;
	n = 1 + bus_pdu(x, req + 1);
	crc = bus_crc16(req, n);
	req[n++] = (uint8_t)crc;
	req[n++] = (uint8_t)(crc >> 8);
	rsp_us = (int64_t)(3 + bus_rsp_len(x)) * ch;
	deadline = t0 + (int64_t)l->timeout_ms * 1000 + rsp_us +
	    (net ? (int64_t)n * ch : 0);
	gap_us = wire_gap_us(ch);
	if (bus_send_all(fd, req, n, net, deadline) == -1)
		return bus_link_fail(l, strerror(errno), errno, x);
	/* nothing to read before both frames and the turnaround passed */
	clock_sleep_until_us(t0 + (int64_t)n * ch + rsp_us + l->t35_us);
	for (;;) {
		while (have > 0) {
			len = bus_rtu_frame_len(buf, have);
			if (len == 0 || (len > 0 && have < len))
				break;
			if (len < 0 || bus_crc16(buf, len - 2) !=
			    (buf[len - 2] | buf[len - 1] << 8)) {
				x->outcome = ST_CRC;	/* noise on the line */
				x->err_no = EMBBADCRC;
				return 0;
			}
			r = BJ_STRAY;
			if (buf[0] == unit)
				r = bus_judge(req + 1, n - 3, buf + 1, len - 3,
				    x);
			else if (buf[0] != 0)
				x->other_unit = buf[0];
			have -= len;
			memmove(buf, buf + len, (size_t)have);
			l->rx_n = have;	/* more behind it: drain it next */
			if (r == BJ_ANSWER) {
				x->outcome = ST_ANSWER;
				return 0;
			}
			if (r == BJ_EXCEPTION) {
				x->outcome = ST_EXCEPTION;
				return 0;
			}
			x->strays++;
		}
		until = deadline;
		/* an answer that began in time may take its own wire time
		 * (and one byte timeout of slack for a loaded host or a
		 * bursty adapter) to arrive whole */
		if (have > 0 && first_us + rsp_us + gap_us > until)
			until = first_us + rsp_us + gap_us;
		if (!net && have > 0 && last_us + gap_us < until)
			until = last_us + gap_us;
		if ((r = bus_wait_in(fd, until)) == -1)
			return bus_link_fail(l, strerror(errno), errno, x);
		if (r == 0 && have == 0) {
			x->outcome = ST_TIMEOUT;	/* silent */
			x->err_no = ETIMEDOUT;
			return 0;
		}
		if (r == 0) {	/* a frame that stopped half way, or so slow
				 * that it is not whole by the deadline */
			x->outcome = ST_CRC;
			x->err_no = EMBBADDATA;
			return 0;
		}
		got = bus_recv(fd, buf + have, sizeof buf - (size_t)have, net);
		if (got == 0 || (got == -1 && errno != EAGAIN &&
		    errno != EWOULDBLOCK))
			return bus_link_fail(l, got == 0 ? (net ? "connection "
			    "closed by the peer" : "device closed") :
			    strerror(errno), got == 0 ? (net ? ECONNRESET :
			    EIO) : errno, x);
		if (got > 0) {
			if (have == 0 && first_us == 0)
				first_us = clock_mono_us();
			have += (int)got;
			x->rx_started = 1;
			last_us = clock_mono_us();
			if (have == (int)sizeof buf) {	/* no frame is this long */
				x->outcome = ST_CRC;
				x->err_no = EMBBADDATA;
				return 0;
			}
		}
	}
}

/*
 * TCP and RTU over TCP: count timeouts in a row across units; at
 * silent_max the gateway is taken to have kept a dead socket, and the
 * connection is dropped (-1).
 */
static int
bus_tcp_silence(struct bus_link *l, const struct bus_xfer *x)
{
	if (x->outcome != ST_TIMEOUT) {
		l->silent_n = 0;
		l->answered = 1;
		return 0;
	}
	if (l->silent_max <= 0 || ++l->silent_n < l->silent_max)
		return 0;
	snprintf(l->last_error, sizeof l->last_error, "%s:%d: no answer to "
	    "%d requests in a row: new connection", l->conf->host,
	    l->conf->port, l->silent_n);
	l->dropped_silent = 1;
	return -1;
}

/* Run one transaction (see bus.h). */
int
bus_link_xfer(struct bus_link *l, int unit, struct bus_xfer *x)
{
	int64_t		t0, t1;
	int		rc;

	x->ran = 1;
	x->other_unit = 0;
	x->rx_started = 0;
	x->strays = 0;
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
	clock_sleep_until_us(l->line_free_us);
	t0 = clock_mono_us();
	if (l->conf->type == BUS_TCP)
		rc = bus_tcp_xfer(l, unit, x, t0);
	else
		rc = bus_rtu_xfer(l, unit, x, t0);
	t1 = clock_mono_us();
	x->done_ms = t1 / 1000;
	x->done_wall_ms = clock_wall_ms();
	x->lat_us = (uint32_t)(t1 - t0);
	if (rc == 0 && bus_is_net(l->conf)) {
		if (bus_tcp_silence(l, x) == -1)
			rc = -1;
		if (x->outcome == ST_TIMEOUT && l->silent_n > 0 &&
		    l->silent_n <= BUS_TCP_SILENT_MAX)
			l->silent_unit[l->silent_n - 1] = (uint8_t)unit;
	}
	if (rc == -1) {
		bus_link_close(l);
		if (l->name_kind && !l->answered)	/* the wrong type? */
			bus_link_name_kind(l, unit);
		return -1;
	}
	x->busy_us = x->lat_us + (x->outcome == ST_TIMEOUT ? 0 : l->t35_us);
	l->line_free_us = t1 + l->t35_us;
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

/* 1 when the job in progress ends after this transaction: the bus stops,
 * or is being handed over (bus_pause). */
static int
bus_yield(struct bus *b)
{
	int	s;

	pthread_mutex_lock(&b->mu);
	s = b->stopping || b->pausing;
	pthread_mutex_unlock(&b->mu);
	return s;
}

/* Make sure the link is open, reopening with back-off. 0 when usable. */
static int
bus_ensure_open(struct bus *b)
{
	struct err	e;
	int64_t		now = clock_mono_us() / 1000;

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

/*
 * The link failed in a transaction: note it and plan the reopen. A TCP
 * connection (tcp or rtu-tcp) that had answered before is made anew at
 * once (a gateway or converter that reset it, went half-open or lost the
 * framing), else with back-off.
 */
static void
bus_link_lost(struct bus *b)
{
	if (bus_is_net(b->link.conf) && b->link.answered) {
		/* it worked, then broke (reset, out of step, half-open) */
		b->silent_ms = 0;
		b->next_open_ms = clock_mono_us() / 1000;
	} else if (!b->link.dropped_silent) {
		b->reopen_ms = BUS_REOPEN_MIN_MS;
		b->next_open_ms = clock_mono_us() / 1000 + b->reopen_ms;
	} else {
		if (b->link.answered)
			b->silent_ms = 0;
		else
			b->silent_ms = b->silent_ms == 0 ? BUS_REOPEN_MIN_MS :
			    b->silent_ms * 2 > BUS_REOPEN_MAX_MS ?
			    BUS_REOPEN_MAX_MS : b->silent_ms * 2;
		b->next_open_ms = clock_mono_us() / 1000 + b->silent_ms;
	}
	pthread_mutex_lock(&b->mu);
	b->connected = 0;
	bus_strlcpy(b->conn_error, b->link.last_error, sizeof b->conn_error);
	pthread_mutex_unlock(&b->mu);
}

/* Run a job's transactions back to back; stop at the first timeout. */
static void
bus_run_job(struct bus *b, struct bus_job *j)
{
	struct bus_xfer	*x;
	int64_t		 t0 = clock_mono_us();
	int		 i;

	j->start_ms = t0 / 1000;
	j->start_wall_ms = clock_wall_ms();
	if (bus_ensure_open(b) == -1) {
		j->link_failed = 1;
		goto out;
	}
	j->conn_gen = b->conn_gen;
	for (i = 0; i < j->nx; i++) {
		x = &j->x[i];
		if (bus_yield(b))
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
		if (j->gate != NULL && !j->gate(j, i))
			break;	/* the submitter's rule: stop here */
		if (x->outcome == ST_TIMEOUT ||
		    (x->outcome == ST_EXCEPTION && x->exc_code >= 10))
			break;	/* nobody there: one timeout per cycle */
	}
out:
	j->end_ms = clock_mono_us() / 1000;
	j->end_wall_ms = clock_wall_ms();
	j->run_us = (uint32_t)(clock_mono_us() - t0);
}

static void *
bus_worker(void *arg)
{
	struct bus	*b = arg;
	struct bus_job	*j;

	pthread_mutex_lock(&b->mu);
	for (;;) {
		while (!b->stopping && (b->pausing || b->held ||
		    TAILQ_EMPTY(&b->todo))) {
			if (!b->pausing && b->held && !b->released) {
				/* let the other user have the device */
				b->running = 1;
				pthread_mutex_unlock(&b->mu);
				bus_link_close(&b->link);
				pthread_mutex_lock(&b->mu);
				b->released = 1;
				b->connected = 0;
				bus_strlcpy(b->conn_error, "line held for "
				    "commissioning", sizeof b->conn_error);
				b->running = 0;
				pthread_cond_broadcast(&b->idle_cv);
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
		b->running = 1;
		pthread_mutex_unlock(&b->mu);
		bus_run_job(b, j);
		pthread_mutex_lock(&b->mu);
		TAILQ_INSERT_TAIL(&b->done, j, entry);
		b->running = 0;
		pthread_cond_broadcast(&b->idle_cv);
		pthread_mutex_unlock(&b->mu);
		ev_async_send(b->loop, &b->wake);
		pthread_mutex_lock(&b->mu);
	}
	pthread_mutex_unlock(&b->mu);
	bus_link_close(&b->link);
	return NULL;
}

/* Hand every finished job to the owner (result_fn), on the loop thread. */
static void
bus_deliver(struct bus *b)
{
	struct bus_job	*j;

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

/* The worker finished a job or closed a lent line (loop thread). */
static void
bus_wake_cb(struct ev_loop *loop, ev_async *w, int revents)
{
	struct bus	*b = container_of(w, struct bus, wake);
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
	bus_deliver(b);
}

int
bus_init(struct bus *b, struct ev_loop *loop, const struct bus_conf *conf,
    bus_result_fn *fn, void *arg, struct err *e)
{
	memset(b, 0, sizeof *b);
	bus_link_init(&b->link, conf, conf->timeout_ms);
	if (bus_is_net(conf)) {
		b->link.silent_max = BUS_TCP_SILENT_MAX;
		b->link.name_kind = 1;
	}
	if (pthread_mutex_init(&b->mu, NULL) != 0 ||
	    pthread_cond_init(&b->cv, NULL) != 0 ||
	    pthread_cond_init(&b->idle_cv, NULL) != 0)
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

/* Ask the worker to stop; bus_stop joins it (see bus.h). */
void
bus_quit(struct bus *b)
{
	pthread_mutex_lock(&b->mu);
	b->stopping = 1;
	pthread_cond_signal(&b->cv);
	pthread_mutex_unlock(&b->mu);
}

/* Stop and join the worker; hand every job back (see bus.h). */
void
bus_stop(struct bus *b)
{
	struct bus_job	*j;

	if (b->started) {
		bus_quit(b);
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
	pthread_cond_destroy(&b->idle_cv);
}

/* Ask the worker to run nothing more, for a hand-over (see bus.h). */
void
bus_pause(struct bus *b)
{
	pthread_mutex_lock(&b->mu);
	b->pausing = 1;
	pthread_mutex_unlock(&b->mu);
}

/*
 * Give the bus to a new owner (see bus.h). The worker is parked on cv
 * while pausing is set and running is 0, and it reads link.conf and the
 * timeout only after taking mu again, so what is changed here under mu is
 * what its next job sees. The jobs of the present owner go back to it
 * before result_fn changes: none is lost, none is delivered to the new one.
 */
void
bus_hand_over(struct bus *b, const struct bus_conf *conf, bus_result_fn *fn,
    void *arg)
{
	struct bus_job	*j;

	pthread_mutex_lock(&b->mu);
	b->pausing = 1;
	while (b->running)	/* at most one request's timeout */
		pthread_cond_wait(&b->idle_cv, &b->mu);
	while ((j = TAILQ_FIRST(&b->todo)) != NULL) {
		TAILQ_REMOVE(&b->todo, j, entry);
		TAILQ_INSERT_TAIL(&b->done, j, entry);
	}
	b->queued = 0;
	pthread_mutex_unlock(&b->mu);
	bus_deliver(b);
	pthread_mutex_lock(&b->mu);
	b->link.conf = conf;
	bus_link_set_timeout(&b->link, conf->timeout_ms);
	b->result_fn = fn;
	b->result_arg = arg;
	b->pausing = 0;
	pthread_cond_signal(&b->cv);
	pthread_mutex_unlock(&b->mu);
}

int
bus_running(struct bus *b)
{
	int	r;

	pthread_mutex_lock(&b->mu);
	r = b->started && !b->stopping && !b->held;
	pthread_mutex_unlock(&b->mu);
	return r;
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
