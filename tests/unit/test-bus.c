/*
 * test-bus.c: handing a running bus to another owner (a --headless
 * reload): which settings make another link (bus_link_same), how a change
 * is named (bus_conf_changes), and bus_hand_over on a real worker thread
 * and a real socket: queued jobs go back to the old owner unrun, the
 * request in progress finishes and goes back to it too, later jobs go to
 * the new owner on the same connection.
 */
#include <sys/socket.h>
#include <poll.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ev.h>

#include "bus.h"
#include "clock.h"
#include "t.h"

static struct bus_conf
rtu(const char *name, const char *dev, int baud, char parity, int timeout_ms)
{
	struct bus_conf	c;

	memset(&c, 0, sizeof c);
	c.name = (char *)(uintptr_t)name;
	c.type = BUS_RTU;
	c.device = (char *)(uintptr_t)dev;
	c.baud = baud;
	c.parity = parity;
	c.stop_bits = 1;
	c.timeout_ms = timeout_ms;
	return c;
}

static struct bus_conf
net(const char *name, enum bus_type type, const char *host, int port,
    int timeout_ms)
{
	struct bus_conf	c;

	memset(&c, 0, sizeof c);
	c.name = (char *)(uintptr_t)name;
	c.type = type;
	c.host = (char *)(uintptr_t)host;
	c.port = port;
	c.baud = 19200;
	c.parity = 'N';
	c.stop_bits = 1;
	c.timeout_ms = timeout_ms;
	return c;
}

static void
test_bus__link_same_rtu(void)
{
	struct bus_conf	a = rtu("a", "/dev/ttyUSB0", 19200, 'N', 300);
	struct bus_conf	b = a;

	T_EQ_INT(bus_link_same(&a, &b), 1);
	b.name = (char *)(uintptr_t)"renamed";
	b.timeout_ms = 1000;
	T_EQ_INT(bus_link_same(&a, &b), 1);	/* applied live */
	b.parity = 0;				/* unset is none */
	T_EQ_INT(bus_link_same(&a, &b), 1);
	b = a;
	b.baud = 9600;
	T_EQ_INT(bus_link_same(&a, &b), 0);
	b = a;
	b.parity = 'E';
	T_EQ_INT(bus_link_same(&a, &b), 0);
	b = a;
	b.stop_bits = 2;
	T_EQ_INT(bus_link_same(&a, &b), 0);
	b = a;
	b.device = (char *)(uintptr_t)"/dev/ttyUSB1";
	T_EQ_INT(bus_link_same(&a, &b), 0);
}

static void
test_bus__link_same_net(void)
{
	struct bus_conf	a = net("a", BUS_TCP, "192.0.2.1", 502, 300);
	struct bus_conf	b = a;

	T_EQ_INT(bus_link_same(&a, &b), 1);
	b.port = 503;
	T_EQ_INT(bus_link_same(&a, &b), 0);
	b = a;
	b.host = (char *)(uintptr_t)"192.0.2.2";
	T_EQ_INT(bus_link_same(&a, &b), 0);
	b = a;
	b.type = BUS_RTU_TCP;			/* another framing */
	T_EQ_INT(bus_link_same(&a, &b), 0);
	/* RTU over TCP: the far line's settings only set the wire time */
	a.type = b.type = BUS_RTU_TCP;
	b.baud = 9600;
	b.parity = 'E';
	T_EQ_INT(bus_link_same(&a, &b), 1);
}

static void
test_bus__changes_named(void)
{
	struct bus_conf	a = rtu("a", "/dev/ttyUSB0", 9600, 'N', 300);
	struct bus_conf	b = a;
	char		buf[160];

	bus_conf_changes(&a, &b, buf, sizeof buf);
	T_EQ_STR(buf, "");
	b.name = (char *)(uintptr_t)"other";	/* the name is not a change */
	bus_conf_changes(&a, &b, buf, sizeof buf);
	T_EQ_STR(buf, "");
	b.baud = 19200;
	b.parity = 'E';
	b.timeout_ms = 500;
	bus_conf_changes(&a, &b, buf, sizeof buf);
	T_EQ_STR(buf, "baud 9600 -> 19200, parity none -> even, timeout 300 "
	    "-> 500 ms");
	b = net("a", BUS_TCP, "192.0.2.1", 502, 300);
	bus_conf_changes(&a, &b, buf, sizeof buf);
	T_EQ_STR(buf, "type rtu -> tcp, device /dev/ttyUSB0 -> none, host none "
	    "-> 192.0.2.1, port 0 -> 502");
	a = net("a", BUS_TCP, "127.0.0.1", 502, 300);
	b = net("a", BUS_TCP, "127.0.0.2", 502, 300);
	bus_conf_changes(&a, &b, buf, sizeof buf);
	T_EQ_STR(buf, "host 127.0.0.1 -> 127.0.0.2");
	bus_conf_changes(&a, &b, buf, 8);	/* cut, terminated */
	T_EQ_INT(strlen(buf), 7);
}

/* An owner of the bus: counts the jobs it got back. */
struct owner {
	int		 n;
	struct bus_job	*last;
};

static void
owner_fn(void *arg, struct bus_job *j)
{
	struct owner	*o = arg;

	o->n++;
	o->last = j;
}

/* One FC03 read of one word, for unit 1. */
static void
job_init(struct bus_job *j)
{
	static uint16_t	words[4][BUS_MAX_WORDS];
	static int	next;

	memset(j, 0, sizeof *j);
	j->x[0].words = words[next++ % 4];
	j->kind = JOB_CYCLE;
	j->unit = 1;
	j->nx = 1;
	j->x[0].addr = 0xC350;
	j->x[0].count = 1;
}

/* A TCP port that accepts connections (the backlog) and never answers. */
static int
silent_server(int *port)
{
	struct sockaddr_in	sa;
	socklen_t		len = sizeof sa;
	int			fd;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) == -1 ||
	    listen(fd, 4) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) == -1) {
		close(fd);
		return -1;
	}
	*port = ntohs(sa.sin_port);
	return fd;
}

static void
deadline_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)w;
	(void)revents;
	ev_break(loop, EVBREAK_ALL);
}

/* Run the loop until o has n jobs back, or 5 s passed. */
static void
wait_jobs(struct ev_loop *loop, struct owner *o, int n)
{
	ev_timer	t;
	int64_t		end = clock_mono_ms() + 5000;

	ev_timer_init(&t, deadline_cb, 0.05, 0.05);
	ev_timer_start(loop, &t);
	while (o->n < n && clock_mono_ms() < end)
		ev_run(loop, EVRUN_ONCE);
	ev_timer_stop(loop, &t);
}

/* Wait until the worker is in a job (5 s at most); 1 when it is. */
static int
wait_running(struct bus *b)
{
	struct timespec	ms = { 0, 1000000 };
	int64_t		end = clock_mono_ms() + 5000;
	int		r = 0;

	while (!r && clock_mono_ms() < end) {
		pthread_mutex_lock(&b->mu);
		r = b->running;
		pthread_mutex_unlock(&b->mu);
		if (!r)
			nanosleep(&ms, NULL);
	}
	return r;
}

/*
 * Wait until the request of a job is on the wire: accept the bus's
 * connection on lfd and wait for its bytes (5 s at most each). Returns the
 * accepted descriptor, or -1.
 */
static int
wait_request(int lfd)
{
	struct pollfd	p = { .fd = lfd, .events = POLLIN };
	int		cfd;

	if (poll(&p, 1, 5000) != 1 || (cfd = accept(lfd, NULL, NULL)) == -1)
		return -1;
	p.fd = cfd;
	if (poll(&p, 1, 5000) != 1) {
		close(cfd);
		return -1;
	}
	return cfd;
}

/* Queued jobs go back to the old owner unrun; the new owner gets the rest. */
static void
test_bus__hand_over_queued(void)
{
	struct ev_loop	*loop = ev_loop_new(EVFLAG_AUTO);
	struct bus_conf	 a, b;
	struct bus	 bus;
	struct bus_job	 j1, j2;
	struct owner	 o1 = { 0, NULL }, o2 = { 0, NULL };
	struct err	 e;
	int		 port, lfd = silent_server(&port);

	T_OK(lfd != -1);
	a = net("a", BUS_TCP, "127.0.0.1", port, 150);
	b = net("b", BUS_TCP, "127.0.0.1", port, 250);
	T_EQ_INT(bus_init(&bus, loop, &a, owner_fn, &o1, &e), 0);
	T_EQ_INT(bus_start(&bus, &e), 0);
	bus_pause(&bus);
	job_init(&j1);
	bus_submit(&bus, &j1);
	bus_hand_over(&bus, &b, owner_fn, &o2);
	T_EQ_INT(o1.n, 1);
	T_OK(o1.last == &j1);
	T_EQ_INT(j1.x[0].ran, 0);
	T_EQ_INT(o2.n, 0);
	T_OK(bus.link.conf == &b);
	T_EQ_INT(bus.link.timeout_ms, 250);
	job_init(&j2);
	bus_submit(&bus, &j2);
	wait_jobs(loop, &o2, 1);
	T_EQ_INT(o2.n, 1);
	T_OK(o2.last == &j2);
	T_EQ_INT(o1.n, 1);
	T_EQ_INT(j2.x[0].ran, 1);
	T_EQ_INT(j2.x[0].outcome, ST_TIMEOUT);
	T_OK(j2.x[0].lat_us >= 240000);		/* the new timeout */
	bus_release(&bus);
	ev_loop_destroy(loop);
	close(lfd);
}

/*
 * The request in progress finishes (its timeout) before bus_hand_over
 * returns and goes back to the old owner; the connection stays open: the
 * next job runs on the same one.
 */
static void
test_bus__hand_over_in_flight(void)
{
	struct ev_loop	*loop = ev_loop_new(EVFLAG_AUTO);
	struct bus_conf	 a, b;
	struct bus	 bus;
	struct bus_job	 j1, j2;
	struct owner	 o1 = { 0, NULL }, o2 = { 0, NULL };
	struct err	 e;
	int		 port, lfd = silent_server(&port), cfd;
	int64_t		 t0;

	T_OK(lfd != -1);
	a = net("a", BUS_TCP, "127.0.0.1", port, 300);
	b = net("b", BUS_TCP, "127.0.0.1", port, 300);
	T_EQ_INT(bus_init(&bus, loop, &a, owner_fn, &o1, &e), 0);
	T_EQ_INT(bus_start(&bus, &e), 0);
	job_init(&j1);
	t0 = clock_mono_ms();
	bus_submit(&bus, &j1);
	T_EQ_INT(wait_running(&bus), 1);
	/* not only in the job: its request sent (not cut short before it) */
	cfd = wait_request(lfd);
	T_OK(cfd != -1);
	bus_hand_over(&bus, &b, owner_fn, &o2);
	T_OK(clock_mono_ms() - t0 >= 290);	/* it waited for the answer */
	T_EQ_INT(o1.n, 1);
	T_OK(o1.last == &j1);
	T_EQ_INT(j1.x[0].ran, 1);
	T_EQ_INT(j1.x[0].outcome, ST_TIMEOUT);
	T_OK(j1.conn_gen != 0);
	job_init(&j2);
	bus_submit(&bus, &j2);
	wait_jobs(loop, &o2, 1);
	T_EQ_INT(o2.n, 1);
	T_EQ_INT(j2.conn_gen, j1.conn_gen);	/* the same connection */
	T_EQ_INT(j2.link_failed, 0);
	T_EQ_INT(o1.n, 1);
	bus_release(&bus);
	ev_loop_destroy(loop);
	if (cfd != -1)
		close(cfd);
	close(lfd);
}

int
main(void)
{
	T_RUN(test_bus__link_same_rtu);
	T_RUN(test_bus__link_same_net);
	T_RUN(test_bus__changes_named);
	T_RUN(test_bus__hand_over_queued);
	T_RUN(test_bus__hand_over_in_flight);
	return t_done();
}
