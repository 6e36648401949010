/*
 * sim-rtu.c: the RTU side of countis-sim: open a pty or a serial line, cut
 * frames, check CRCs, hand PDUs to sim-pdu.c and send the answers paced like
 * the wire. Faults dead, slow and crc act here. libmodbus opens and sets up
 * a serial device (termios); framing is ours because libmodbus's RTU server
 * answers only one slave id, and a bus carries many.
 *
 * --rtu-tcp plays a serial-to-Ethernet converter with the meters on its
 * RS485 line: the same framing and the same wire clock, the bytes coming
 * from TCP clients instead of a pty. Every client's bytes go onto the one
 * line, as a transparent converter does; an answer goes back to the
 * client that sent the last request, in 1 ms pieces as the wire carries
 * them (a real converter cuts frames where it pleases, too).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <modbus.h>

#include "sim-pdu.h"
#include "sim-rtu.h"
#include "sim-tcp.h"
#include "sim.h"
#include "wire.h"

#define SIM_RTU_BUF	512
#define SIM_RTU_ADU	(1 + SIM_PDU_MAX + 2)
#define SIM_SILENCE_MIN_NS	(20 * 1000000LL)	/* resync after a gap */
#define SIM_CHUNK_NS		1000000LL		/* pace in 1 ms steps */
#define SIM_RTU_CLIENTS		8	/* --rtu-tcp connections at once */

struct sim_rtu {
	int		 fd;		/* pty master, serial device, or the
					 * client answered (-1: none) */
	int		 slave_fd;	/* pty: our own hold on the slave */
	int		 is_pty;
	int		 paced;		/* pty or rtu-tcp: we keep the wire
					 * clock (a UART does on a serial) */
	int		 lfd;		/* rtu-tcp: listener, else -1 */
	int		 client[SIM_RTU_CLIENTS];	/* rtu-tcp, -1: free */
	modbus_t	*mb;		/* serial: owns fd */
	char		*link;		/* --pty LINK, removed at the end */
	char		 slave_name[128];
	char		 name[PATH_MAX + 160];
	int		 baud;
	char		 parity;
	int		 stop_bits;
	int64_t		 char_ns;	/* one character on the wire */
	int64_t		 silence_ns;	/* a gap that ends a frame */
	/* receiving */
	uint8_t		 rx[SIM_RTU_BUF];
	size_t		 rx_len;
	int		 rx_skip;	/* drop until silence (bad frame) */
	int64_t		 rx_last_ns;
	int64_t		 wire_free_ns;	/* the half-duplex wire is idle */
	char		 mismatch[64];	/* last client settings logged */
	/* transmitting */
	uint8_t		 tx[SIM_RTU_ADU];
	size_t		 tx_len, tx_off;
	int64_t		 tx_start_ns;	/* first bit of the answer */
	int64_t		 tx_retry_ns;	/* the pty was full: not before */
};

/* Modbus CRC-16 (polynomial 0xA001, initial 0xFFFF), low byte first. */
static uint16_t
sim_rtu_crc(const uint8_t *b, size_t n)
{
	uint16_t	crc = 0xFFFF;
	size_t		i;
	int		k;

	for (i = 0; i < n; i++) {
		crc ^= b[i];
		for (k = 0; k < 8; k++)
			crc = (crc & 1) ? (uint16_t)((crc >> 1) ^ 0xA001) :
			    (uint16_t)(crc >> 1);
	}
	return crc;
}

static const struct {
	int	baud;
	speed_t	speed;
} sim_rtu_speeds[] = {
	{ 1200, B1200 }, { 2400, B2400 }, { 4800, B4800 }, { 9600, B9600 },
	{ 19200, B19200 }, { 38400, B38400 }, { 57600, B57600 },
	{ 115200, B115200 },
};

static speed_t
sim_rtu_speed(int baud)
{
	size_t	i;

	for (i = 0; i < sizeof sim_rtu_speeds / sizeof sim_rtu_speeds[0]; i++)
		if (sim_rtu_speeds[i].baud == baud)
			return sim_rtu_speeds[i].speed;
	return B19200;
}

static int
sim_rtu_baud(speed_t sp)
{
	size_t	i;

	for (i = 0; i < sizeof sim_rtu_speeds / sizeof sim_rtu_speeds[0]; i++)
		if (sim_rtu_speeds[i].speed == sp)
			return sim_rtu_speeds[i].baud;
	return 0;
}

/* Raw 8-bit line with our speed, parity and stop bits. */
static int
sim_rtu_termios(struct sim_rtu *r, int fd)
{
	struct termios	t;

	if (tcgetattr(fd, &t) == -1)
		return -1;
	cfmakeraw(&t);
	cfsetispeed(&t, sim_rtu_speed(r->baud));
	cfsetospeed(&t, sim_rtu_speed(r->baud));
	t.c_cflag &= ~(tcflag_t)(CSIZE | PARENB | PARODD | CSTOPB);
	t.c_cflag |= CS8 | CLOCAL | CREAD;
	if (r->parity != 'N')
		t.c_cflag |= PARENB | (r->parity == 'O' ? PARODD : 0);
	if (r->stop_bits == 2)
		t.c_cflag |= CSTOPB;
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	return tcsetattr(fd, TCSANOW, &t);
}

/* Create the pty and make LINK point at it. */
static int
sim_rtu_open_pty(struct sim_rtu *r, const char *link, struct err *e)
{
	struct stat	st;

	if (lstat(link, &st) == 0 && !S_ISLNK(st.st_mode))
		return err_setc(e, EXIT_NOINPUT, "--pty: %s exists and is not "
		    "a symbolic link; not replacing it", link);
	if ((r->fd = posix_openpt(O_RDWR | O_NOCTTY)) == -1 ||
	    grantpt(r->fd) == -1 || unlockpt(r->fd) == -1 ||
	    ptsname_r(r->fd, r->slave_name, sizeof r->slave_name) != 0)
		return err_setc(e, EXIT_NOINPUT, "--pty: cannot create a "
		    "pseudo-terminal: %s", strerror(errno));
	if ((r->slave_fd = open(r->slave_name, O_RDWR | O_NOCTTY)) == -1 ||
	    sim_rtu_termios(r, r->slave_fd) == -1)
		return err_setc(e, EXIT_NOINPUT, "--pty: %s: %s",
		    r->slave_name, strerror(errno));
	(void)unlink(link);
	if (symlink(r->slave_name, link) == -1)
		return err_setc(e, EXIT_NOINPUT, "--pty: cannot link %s to "
		    "%s: %s", link, r->slave_name, strerror(errno));
	if ((r->link = strdup(link)) == NULL)
		return err_setc(e, EXIT_SOFTWARE, "out of memory");
	r->is_pty = r->paced = 1;
	snprintf(r->name, sizeof r->name, "pty %s -> %s", link,
	    r->slave_name);
	return 0;
}

/* --rtu-tcp: listen; clients come in sim_rtu_run. */
static int
sim_rtu_open_tcp(struct sim_rtu *r, const struct sim_opts *o, struct err *e)
{
	if ((r->lfd = sim_tcp_listen(o, "rtu-tcp", r->name, sizeof r->name,
	    e)) == -1)
		return -1;
	r->paced = 1;
	return 0;
}

/* Open a serial device with libmodbus's termios set-up. */
static int
sim_rtu_open_serial(struct sim_rtu *r, const char *dev, struct err *e)
{
	r->mb = modbus_new_rtu(dev, r->baud, r->parity, 8, r->stop_bits);
	if (r->mb == NULL)
		return err_setc(e, EXIT_NOINPUT, "--serial: %s: %s", dev,
		    modbus_strerror(errno));
	if (modbus_connect(r->mb) == -1)
		return err_setc(e, EXIT_NOINPUT, "--serial: %s: %s", dev,
		    modbus_strerror(errno));
	r->fd = modbus_get_socket(r->mb);
	snprintf(r->name, sizeof r->name, "serial %s", dev);
	return 0;
}

struct sim_rtu *
sim_rtu_open(const struct sim_opts *o, struct err *e)
{
	struct sim_rtu	*r;
	int		 i;

	if ((r = calloc(1, sizeof *r)) == NULL) {
		err_setc(e, EXIT_SOFTWARE, "out of memory");
		return NULL;
	}
	r->fd = r->slave_fd = r->lfd = -1;
	for (i = 0; i < SIM_RTU_CLIENTS; i++)
		r->client[i] = -1;
	r->baud = o->baud;
	r->parity = o->parity;
	r->stop_bits = o->stop_bits;
	r->char_ns = wire_char_ns(o->baud, o->parity, o->stop_bits);
	r->silence_ns = wire_t35_ns(r->char_ns);
	if (r->silence_ns < SIM_SILENCE_MIN_NS)
		r->silence_ns = SIM_SILENCE_MIN_NS;
	if (o->link == SIM_LINK_RTU_TCP) {
		if (sim_rtu_open_tcp(r, o, e) == -1) {
			sim_rtu_free(r);
			return NULL;
		}
		return r;
	}
	if ((o->link == SIM_LINK_PTY ? sim_rtu_open_pty(r, o->path, e) :
	    sim_rtu_open_serial(r, o->path, e)) == -1 ||
	    fcntl(r->fd, F_SETFL, fcntl(r->fd, F_GETFL) | O_NONBLOCK) == -1) {
		if (e->code == 0)
			err_setc(e, EXIT_NOINPUT, "%s: %s", o->path,
			    strerror(errno));
		sim_rtu_free(r);
		return NULL;
	}
	return r;
}

void
sim_rtu_free(struct sim_rtu *r)
{
	char	target[sizeof r->slave_name];
	ssize_t	n;

	if (r == NULL)
		return;
	if (r->link != NULL) {
		/* Remove the link only while it is still ours. */
		n = readlink(r->link, target, sizeof target - 1);
		if (n > 0) {
			target[n] = '\0';
			if (strcmp(target, r->slave_name) == 0)
				(void)unlink(r->link);
		}
		free(r->link);
	}
	for (n = 0; n < SIM_RTU_CLIENTS; n++)
		if (r->client[n] != -1)
			close(r->client[n]);
	if (r->lfd != -1)
		close(r->lfd);
	if (r->mb != NULL) {
		modbus_close(r->mb);
		modbus_free(r->mb);
	} else if (r->fd != -1 && r->lfd == -1)
		close(r->fd);
	if (r->slave_fd != -1)
		close(r->slave_fd);
	free(r);
}

const char *
sim_rtu_name(const struct sim_rtu *r)
{
	return r->name;
}

/* The line, or (rtu-tcp) the listener then every client. */
int
sim_rtu_pollfds(struct sim_rtu *r, struct pollfd *pfd, int max)
{
	int	k, n = 0;

	if (max < 1)
		return 0;
	pfd[n].fd = r->lfd != -1 ? r->lfd : r->fd;
	pfd[n].events = POLLIN;
	pfd[n++].revents = 0;
	for (k = 0; r->lfd != -1 && k < SIM_RTU_CLIENTS && n < max; k++) {
		if (r->client[k] == -1)
			continue;
		pfd[n].fd = r->client[k];
		pfd[n].events = POLLIN;
		pfd[n++].revents = 0;
	}
	return n;
}

/* The next time a paced chunk may go out. */
static int64_t
sim_rtu_tx_due(const struct sim_rtu *r)
{
	int64_t	chunk = SIM_CHUNK_NS / r->char_ns;
	size_t	left = r->tx_len - r->tx_off;

	if (!r->paced)
		return r->tx_start_ns;
	if (chunk < 1)
		chunk = 1;
	if ((size_t)chunk > left)
		chunk = (int64_t)left;
	return r->tx_start_ns + ((int64_t)r->tx_off + chunk) * r->char_ns;
}

int64_t
sim_rtu_deadline(const struct sim_rtu *r)
{
	int64_t	d = INT64_MAX;

	if (r->tx_off < r->tx_len)
		d = sim_rtu_tx_due(r) > r->tx_retry_ns ? sim_rtu_tx_due(r) :
		    r->tx_retry_ns;
	if ((r->rx_len > 0 || r->rx_skip) &&
	    r->rx_last_ns + r->silence_ns < d)
		d = r->rx_last_ns + r->silence_ns;
	return d;
}

/*
 * Length of the frame at the start of b, by function code: 0 when more
 * bytes are needed to tell, -1 for a function whose length we do not know
 * (the frame then ends at the next silence).
 */
static int
sim_rtu_frame_len(const uint8_t *b, size_t n)
{
	if (n < 2)
		return 0;
	switch (b[1]) {
	case 1: case 2: case 3: case 4: case 5: case 6:
		return 8;
	case 7: case 11: case 12: case 17:
		return 4;
	case 15: case 16:
		return n < 7 ? 0 : 9 + b[6];
	case 22:
		return 10;
	case 23:
		return n < 11 ? 0 : 13 + b[10];
	}
	return -1;
}

/*
 * The client's speed when it differs from ours, else "". Linux keeps the
 * speed a client sets on a pty but forces 8 bits and no parity (pty.c), so
 * only the speed can be checked; parity and stop bits count for pacing.
 */
static void
sim_rtu_client_settings(struct sim_rtu *r, char *buf, size_t len)
{
	struct termios	t;
	int		baud;

	buf[0] = '\0';
	if (!r->is_pty || tcgetattr(r->slave_fd, &t) == -1)
		return;
	baud = sim_rtu_baud(cfgetospeed(&t));
	if (baud == r->baud)
		return;
	snprintf(buf, len, "%d baud", baud);
}

/* Queue an answer ADU: unit, PDU, CRC; the crc fault spoils one byte. */
static void
sim_rtu_queue(struct sim_rtu *r, struct sim *s, int unit,
    const uint8_t *pdu, size_t n, int64_t now_ns)
{
	const struct sim_unit	*u = sim_unit(s, unit);
	uint16_t		 crc;
	int			 k, avail;

	r->tx[0] = (uint8_t)unit;
	memcpy(r->tx + 1, pdu, n);
	crc = sim_rtu_crc(r->tx, n + 1);
	r->tx[n + 1] = (uint8_t)(crc & 0xFF);
	r->tx[n + 2] = (uint8_t)(crc >> 8);
	r->tx_len = n + 3;
	r->tx_off = 0;
	if (u->faults.crc_pct && sim_chance(s, u->faults.crc_pct)) {
		k = (int)sim_rand_below(s, (unsigned)r->tx_len);
		r->tx[k] ^= 0x5A;
		sim_debug(s, "unit %d: crc fault spoils byte %d", unit, k);
	}
	r->tx_start_ns = r->wire_free_ns + wire_t35_ns(r->char_ns) +
	    (int64_t)u->faults.slow_ms * 1000000LL;
	if (r->tx_start_ns < now_ns)
		r->tx_start_ns = now_ns;
	/* Stale answers the client never read would confuse its next read. */
	if (r->is_pty && ioctl(r->slave_fd, FIONREAD, &avail) == 0 &&
	    avail > 0) {
		sim_debug(s, "dropping %d stale bytes the client left", avail);
		tcflush(r->slave_fd, TCIFLUSH);
	}
}

/* One whole frame with a good CRC: answer it if it is ours to answer. */
static void
sim_rtu_frame(struct sim_rtu *r, struct sim *s, const uint8_t *f, size_t n,
    int64_t now_ns)
{
	struct sim_unit	*u;
	uint8_t		 rsp[SIM_PDU_MAX];
	char		 cs[64];
	size_t		 rn;
	int		 unit = f[0];

	sim_debug(s, "rtu request unit %d fc%02d, %zu bytes", unit, f[1], n);
	sim_rtu_client_settings(r, cs, sizeof cs);
	if (cs[0] != '\0') {
		if (strcmp(cs, r->mismatch) != 0)
			sim_log(s, "client line speed %s differs from %d "
			    "baud: requests ignored", cs, r->baud);
		snprintf(r->mismatch, sizeof r->mismatch, "%s", cs);
		return;
	}
	r->mismatch[0] = '\0';
	if (unit != 0 && ((u = sim_unit(s, unit)) == NULL || u->faults.dead))
		return;		/* nobody answers: silence */
	if (r->tx_off > 0 && r->tx_off < r->tx_len)
		return;		/* we are talking: a collision */
	rn = sim_pdu_handle(s, unit, f + 1, n - 3, rsp);
	if (rn > 0)
		sim_rtu_queue(r, s, unit, rsp, rn, now_ns);
	else if (r->tx_off == 0)
		r->tx_len = 0;	/* a broadcast cancels a pending answer */
}

/* Cut and answer the frames in the receive buffer. */
static void
sim_rtu_parse(struct sim_rtu *r, struct sim *s, int64_t now_ns,
    int at_silence)
{
	int	len;

	while (r->rx_len > 0 && !r->rx_skip) {
		len = sim_rtu_frame_len(r->rx, r->rx_len);
		if (len == -1 && at_silence)
			len = (int)r->rx_len;
		if (len <= 0 || (size_t)len > r->rx_len) {
			if (at_silence)
				r->rx_len = 0;	/* a torn frame */
			return;
		}
		if (len < 4 || sim_rtu_crc(r->rx, (size_t)len - 2) !=
		    (uint16_t)(r->rx[len - 2] | r->rx[len - 1] << 8)) {
			sim_debug(s, "bad CRC or short frame, %d bytes: "
			    "ignored until silence", len);
			r->rx_len = 0;
			r->rx_skip = !at_silence;
			return;
		}
		sim_rtu_frame(r, s, r->rx, (size_t)len, now_ns);
		memmove(r->rx, r->rx + len, r->rx_len - (size_t)len);
		r->rx_len -= (size_t)len;
	}
}

/* Read what the client sent on fd; count it on the wire clock. -1 when
 * fd is a TCP client that left. */
static int
sim_rtu_read(struct sim_rtu *r, struct sim *s, int fd, int64_t now_ns)
{
	uint8_t	buf[SIM_RTU_BUF];
	ssize_t	n;
	int64_t	from;

	n = read(fd, buf, sizeof buf);
	if (r->lfd != -1 && (n == 0 || (n == -1 && errno != EAGAIN &&
	    errno != EINTR)))
		return -1;
	if (n <= 0)
		return 0;
	if (r->lfd != -1 && r->fd != fd) {
		r->fd = fd;	/* the answer goes to whoever asked last */
		if (r->tx_off < r->tx_len && r->tx_off > 0)
			r->tx_len = r->tx_off = 0;	/* cut off mid-air */
	}
	if (r->rx_len > 0 && now_ns - r->rx_last_ns >= r->silence_ns)
		sim_rtu_parse(r, s, now_ns, 1);
	if (now_ns - r->rx_last_ns >= r->silence_ns)
		r->rx_skip = 0;
	r->rx_last_ns = now_ns;
	/* The request occupied the line before we could start answering. */
	from = r->paced && r->wire_free_ns > now_ns ? r->wire_free_ns : now_ns;
	r->wire_free_ns = r->paced ? from + n * r->char_ns : now_ns;
	if (r->rx_skip)
		return 0;
	if (r->rx_len + (size_t)n > sizeof r->rx)
		r->rx_len = 0;	/* garbage: start over */
	memcpy(r->rx + r->rx_len, buf, (size_t)n);
	r->rx_len += (size_t)n;
	sim_rtu_parse(r, s, now_ns, 0);
	return 0;
}

/* Write the bytes whose time has come. */
static void
sim_rtu_write(struct sim_rtu *r, int64_t now_ns)
{
	size_t	upto = r->tx_len;
	ssize_t	n;

	if (r->fd == -1) {	/* rtu-tcp: the client left */
		r->tx_len = r->tx_off = 0;
		return;
	}
	if (r->paced) {
		upto = (size_t)((now_ns - r->tx_start_ns) / r->char_ns);
		if (upto > r->tx_len)
			upto = r->tx_len;
	}
	if (upto <= r->tx_off)
		return;
	n = r->lfd != -1 ? send(r->fd, r->tx + r->tx_off, upto - r->tx_off,
	    MSG_NOSIGNAL | MSG_DONTWAIT) : write(r->fd, r->tx + r->tx_off,
	    upto - r->tx_off);
	if (n <= 0) {
		r->tx_retry_ns = now_ns + SIM_CHUNK_NS;	/* full: later */
		return;
	}
	r->tx_off += (size_t)n;
	if (r->tx_off == r->tx_len) {
		r->wire_free_ns = r->tx_start_ns + (int64_t)r->tx_len *
		    r->char_ns;
		r->tx_len = r->tx_off = 0;
	}
}

/* rtu-tcp: take new clients. */
static void
sim_rtu_accept(struct sim_rtu *r, struct sim *s)
{
	int	fd, k, one = 1;

	while ((fd = accept4(r->lfd, NULL, NULL, SOCK_NONBLOCK |
	    SOCK_CLOEXEC)) != -1) {
		for (k = 0; k < SIM_RTU_CLIENTS && r->client[k] != -1; k++)
			;
		if (k == SIM_RTU_CLIENTS) {
			sim_log(s, "rtu-tcp: more than %d clients, refusing "
			    "one", SIM_RTU_CLIENTS);
			close(fd);
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		r->client[k] = fd;
		sim_debug(s, "rtu-tcp client on fd %d", fd);
	}
}

/* rtu-tcp: read every client polled; close those that left. */
static void
sim_rtu_clients(struct sim_rtu *r, struct sim *s, const struct pollfd *pfd,
    int n, int64_t now_ns)
{
	int	k, i;

	for (i = 1; i < n; i++) {
		if (!(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		if (sim_rtu_read(r, s, pfd[i].fd, now_ns) == 0)
			continue;
		sim_debug(s, "rtu-tcp client on fd %d gone", pfd[i].fd);
		for (k = 0; k < SIM_RTU_CLIENTS; k++)
			if (r->client[k] == pfd[i].fd)
				r->client[k] = -1;
		if (r->fd == pfd[i].fd)
			r->fd = -1;
		close(pfd[i].fd);
	}
	if (n > 0 && (pfd[0].revents & POLLIN))
		sim_rtu_accept(r, s);
}

void
sim_rtu_run(struct sim_rtu *r, struct sim *s, const struct pollfd *pfd,
    int n, int64_t now_ns)
{
	if (r->lfd != -1)
		sim_rtu_clients(r, s, pfd, n, now_ns);
	else if (pfd->revents & (POLLIN | POLLHUP | POLLERR))
		(void)sim_rtu_read(r, s, r->fd, now_ns);
	if ((r->rx_len > 0 || r->rx_skip) &&
	    now_ns - r->rx_last_ns >= r->silence_ns) {
		sim_rtu_parse(r, s, now_ns, 1);
		r->rx_len = 0;
		r->rx_skip = 0;
	}
	if (r->tx_len > 0 && now_ns >= sim_rtu_tx_due(r) &&
	    now_ns >= r->tx_retry_ns)
		sim_rtu_write(r, now_ns);
}
