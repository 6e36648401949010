/*
 * sim-tcp.c: countis-sim's Modbus TCP server. Accepts clients, cuts MBAP
 * frames (7-byte header, unit id in byte 6), hands the PDU to sim-pdu.c and
 * sends the answer when its time has come (the slow fault). Requests of one
 * connection are answered in order.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sim-pdu.h"
#include "sim-tcp.h"
#include "sim.h"

#define SIM_TCP_CLIENTS	32
#define SIM_MBAP	7
#define SIM_TCP_FRAME	(SIM_MBAP + SIM_PDU_MAX)
#define EXC_GATEWAY_TARGET	0x0B

struct sim_tcp_conn {
	int		fd;		/* -1: free slot */
	uint8_t		in[2 * SIM_TCP_FRAME];
	size_t		in_len;
	uint8_t		out[SIM_TCP_FRAME];
	size_t		out_len, out_off;
	int64_t		release_ns;	/* answer not before */
};

struct sim_tcp {
	int			lfd;
	char			name[320];
	struct sim_tcp_conn	conn[SIM_TCP_CLIENTS];
};

static int
sim_tcp_nonblock(int fd)
{
	return fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/* Listen on the first address of host:port that takes it (see sim-tcp.h). */
int
sim_tcp_listen(const struct sim_opts *o, const char *what, char *name,
    size_t len, struct err *e)
{
	struct addrinfo	 hints = { 0 }, *res, *ai;
	char		 port[16], host[INET6_ADDRSTRLEN];
	struct sockaddr_storage ss;
	socklen_t	 sl = sizeof ss;
	int		 rc, one = 1, saved = 0, lfd = -1;

	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	snprintf(port, sizeof port, "%d", o->port);
	rc = getaddrinfo(o->host[0] ? o->host : NULL, port, &hints, &res);
	if (rc != 0)
		return err_setc(e, EXIT_NOINPUT, "--%s: %s: %s", what, o->host,
		    gai_strerror(rc));
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		lfd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		    ai->ai_protocol);
		if (lfd == -1)
			continue;
		setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		if (bind(lfd, ai->ai_addr, ai->ai_addrlen) == 0 &&
		    listen(lfd, 16) == 0)
			break;
		saved = errno;
		close(lfd);
		lfd = -1;
	}
	freeaddrinfo(res);
	if (lfd == -1)
		return err_setc(e, EXIT_NOINPUT, "--%s: cannot listen on "
		    "%s:%d: %s", what, o->host[0] ? o->host : "*", o->port,
		    strerror(saved));
	getsockname(lfd, (struct sockaddr *)&ss, &sl);
	if (ss.ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr,
		    host, sizeof host);
	else
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr,
		    host, sizeof host);
	snprintf(name, len, "%s %s:%u", what, host,
	    ntohs(((struct sockaddr_in *)&ss)->sin_port));
	if (sim_tcp_nonblock(lfd) == -1) {
		saved = errno;
		close(lfd);
		return err_setc(e, EXIT_NOINPUT, "--%s: %s", what,
		    strerror(saved));
	}
	return lfd;
}

struct sim_tcp *
sim_tcp_open(const struct sim_opts *o, struct err *e)
{
	struct sim_tcp	*t;
	int		 k;

	if ((t = calloc(1, sizeof *t)) == NULL) {
		err_setc(e, EXIT_SOFTWARE, "out of memory");
		return NULL;
	}
	t->lfd = -1;
	for (k = 0; k < SIM_TCP_CLIENTS; k++)
		t->conn[k].fd = -1;
	if ((t->lfd = sim_tcp_listen(o, "tcp", t->name, sizeof t->name,
	    e)) == -1) {
		sim_tcp_free(t);
		return NULL;
	}
	return t;
}

void
sim_tcp_free(struct sim_tcp *t)
{
	int	k;

	if (t == NULL)
		return;
	for (k = 0; k < SIM_TCP_CLIENTS; k++)
		if (t->conn[k].fd != -1)
			close(t->conn[k].fd);
	if (t->lfd != -1)
		close(t->lfd);
	free(t);
}

const char *
sim_tcp_name(const struct sim_tcp *t)
{
	return t->name;
}

/* Entry 0 is the listener, then one per client slot in use. */
int
sim_tcp_pollfds(struct sim_tcp *t, struct pollfd *pfd, int max)
{
	int	k, n = 0;

	if (max < 1)
		return 0;
	pfd[n].fd = t->lfd;
	pfd[n].events = POLLIN;
	pfd[n++].revents = 0;
	for (k = 0; k < SIM_TCP_CLIENTS && n < max; k++) {
		if (t->conn[k].fd == -1)
			continue;
		pfd[n].fd = t->conn[k].fd;
		pfd[n].events = 0;
		/* A full buffer waits for the answers to go out. */
		if (t->conn[k].in_len < sizeof t->conn[k].in)
			pfd[n].events |= POLLIN;
		/* Delayed answers wake us by deadline; POLLOUT only when a
		 * send was cut short. */
		if (t->conn[k].out_off > 0)
			pfd[n].events |= POLLOUT;
		pfd[n++].revents = 0;
	}
	return n;
}

int64_t
sim_tcp_deadline(const struct sim_tcp *t)
{
	int64_t	d = INT64_MAX;
	int	k;

	for (k = 0; k < SIM_TCP_CLIENTS; k++)
		if (t->conn[k].fd != -1 && t->conn[k].out_len > 0 &&
		    t->conn[k].release_ns < d)
			d = t->conn[k].release_ns;
	return d;
}

static void
sim_tcp_close(struct sim *s, struct sim_tcp_conn *c)
{
	sim_debug(s, "tcp client on fd %d gone", c->fd);
	close(c->fd);
	c->fd = -1;
	c->in_len = c->out_len = c->out_off = 0;
}

static void
sim_tcp_accept(struct sim_tcp *t, struct sim *s)
{
	int	fd, k, one = 1;

	while ((fd = accept4(t->lfd, NULL, NULL, SOCK_NONBLOCK |
	    SOCK_CLOEXEC)) != -1) {
		for (k = 0; k < SIM_TCP_CLIENTS && t->conn[k].fd != -1; k++)
			;
		if (k == SIM_TCP_CLIENTS) {
			sim_log(s, "tcp: more than %d clients, refusing one",
			    SIM_TCP_CLIENTS);
			close(fd);
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		t->conn[k].fd = fd;
		t->conn[k].in_len = t->conn[k].out_len = 0;
		t->conn[k].out_off = 0;
		sim_debug(s, "tcp client on fd %d", fd);
	}
}

/* Answer the frames buffered on c, one at a time; 0, or -1 to close c. */
static int
sim_tcp_parse(struct sim_tcp_conn *c, struct sim *s, int64_t now_ns)
{
	struct sim_unit	*u;
	uint8_t		 rsp[SIM_PDU_MAX];
	size_t		 flen, rn;
	int		 unit, fc;

	while (c->out_len == 0 && c->in_len >= SIM_MBAP) {
		flen = 6 + ((size_t)c->in[4] << 8 | c->in[5]);
		if (flen < SIM_MBAP + 1 || flen > SIM_TCP_FRAME ||
		    c->in[2] != 0 || c->in[3] != 0)
			return -1;	/* not Modbus: drop the client */
		if (c->in_len < flen)
			return 0;
		unit = c->in[6];
		fc = c->in[7];
		u = sim_unit(s, unit);
		sim_debug(s, "tcp request unit %d fc%02d", unit, fc);
		rn = 0;
		if (u == NULL && !(unit == 0 && (fc == 6 || fc == 16))) {
			rsp[0] = (uint8_t)(fc | 0x80);
			rsp[1] = EXC_GATEWAY_TARGET;
			rn = 2;
		} else if (u == NULL || !u->faults.dead)
			rn = sim_pdu_handle(s, unit, c->in + SIM_MBAP,
			    flen - SIM_MBAP, rsp);
		if (rn > 0) {
			memcpy(c->out, c->in, 4);	/* transaction, 0 */
			c->out[4] = (uint8_t)((rn + 1) >> 8);
			c->out[5] = (uint8_t)((rn + 1) & 0xFF);
			c->out[6] = (uint8_t)unit;
			memcpy(c->out + SIM_MBAP, rsp, rn);
			c->out_len = SIM_MBAP + rn;
			c->out_off = 0;
			c->release_ns = now_ns + (u != NULL ?
			    (int64_t)u->faults.slow_ms * 1000000LL : 0);
		}
		memmove(c->in, c->in + flen, c->in_len - flen);
		c->in_len -= flen;
	}
	return 0;
}

/* Read and answer; send what is due. 0, or -1 when c is gone. */
static int
sim_tcp_serve(struct sim_tcp_conn *c, struct sim *s, short revents,
    int64_t now_ns)
{
	ssize_t	n;

	if ((revents & (POLLIN | POLLHUP | POLLERR)) &&
	    c->in_len < sizeof c->in) {
		n = recv(c->fd, c->in + c->in_len, sizeof c->in - c->in_len,
		    0);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
			return -1;
		if (n > 0)
			c->in_len += (size_t)n;
	}
	for (;;) {
		if (sim_tcp_parse(c, s, now_ns) == -1)
			return -1;
		if (c->out_len == 0 || now_ns < c->release_ns)
			return 0;
		n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
		    MSG_NOSIGNAL);
		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -1;
		c->out_off += (size_t)n;
		if (c->out_off < c->out_len)
			return 0;
		c->out_len = c->out_off = 0;
	}
}

void
sim_tcp_run(struct sim_tcp *t, struct sim *s, const struct pollfd *pfd,
    int n, int64_t now_ns)
{
	int	k, i;

	/* Serve the clients polled (entry i+1 is the i-th slot in use). */
	for (k = 0, i = 1; k < SIM_TCP_CLIENTS; k++) {
		if (t->conn[k].fd == -1)
			continue;
		if (i < n && pfd[i].fd == t->conn[k].fd) {
			if (sim_tcp_serve(&t->conn[k], s, pfd[i].revents,
			    now_ns) == -1)
				sim_tcp_close(s, &t->conn[k]);
			i++;
		} else if (t->conn[k].out_len > 0 &&
		    sim_tcp_serve(&t->conn[k], s, 0, now_ns) == -1)
			sim_tcp_close(s, &t->conn[k]);
	}
	if (n > 0 && (pfd[0].revents & POLLIN))
		sim_tcp_accept(t, s);
}
