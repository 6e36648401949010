/*
 * fuzz-sim-control.c: countis-sim's control socket, fed any bytes.
 *
 * The harness opens the real socket (sim_control_open) beside two served
 * units (1 and 5); each input is sent by a fresh client, which then closes
 * its side. sim_control_run accepts, splits lines (CR LF, comments, the
 * 512-byte line limit) and runs each command until the server drops the
 * client. Answers are read and must each be one line, "ok..." or
 * "error: ...".
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "err.h"
#include "fuzz.h"
#include "sim-clock.h"
#include "sim-control.h"
#include "sim.h"

#define MAX_INPUT	2048	/* answers must fit the client's buffer */

static struct sim	 sim;
static char		 dir[] = "/tmp/fuzz-sim-control.XXXXXX";
static char		 path[sizeof dir + 8];

static void
teardown(void)
{
	sim_control_free(sim.ctl);
	sim_unit_free(sim.units[1]);
	sim_unit_free(sim.units[5]);
	(void)rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct err	e = { .msg = "" };
	double		now = clock_wall_s();

	(void)argc;
	(void)argv;
	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(path, sizeof path, "%s/ctl", dir);
	sim_site_init(&sim.site, 1, 1.0, now);
	sim.rng = 1;
	if ((sim.units[1] = sim_unit_new(1, &sim.site, now)) == NULL ||
	    (sim.units[5] = sim_unit_new(5, &sim.site, now)) == NULL ||
	    (sim.ctl = sim_control_open(path, &e)) == NULL) {
		fprintf(stderr, "fuzz-sim-control: %s\n", e.msg);
		abort();
	}
	atexit(teardown);
	return 0;
}

/* Poll the control socket once (wait at most ms) and run it. */
static int
serve(int ms)
{
	struct pollfd	pfd[32];
	int		n;

	n = sim_control_pollfds(sim.ctl, pfd, 32);
	if (poll(pfd, (nfds_t)n, ms) == -1 && errno != EINTR)
		abort();
	sim_control_run(sim.ctl, &sim, pfd, n);
	return sim_control_pollfds(sim.ctl, pfd, 32) - 1;	/* clients */
}

/* Read what the server answered; every line is "ok..." or "error: ...". */
static void
answers(int fd, char *buf, size_t *len, size_t cap)
{
	char	*nl, *line;
	ssize_t	 r;

	while ((r = recv(fd, buf + *len, cap - *len, MSG_DONTWAIT)) > 0) {
		*len += (size_t)r;
		while ((nl = memchr(buf, '\n', *len)) != NULL) {
			line = buf;
			if (strncmp(line, "ok", 2) != 0 &&
			    strncmp(line, "error: ", 7) != 0)
				__builtin_trap();
			*len -= (size_t)(nl + 1 - buf);
			memmove(buf, nl + 1, *len);
		}
		if (*len == cap)
			__builtin_trap();	/* an answer without an end */
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sockaddr_un	 sa = { .sun_family = AF_UNIX };
	char			 buf[1024];
	size_t			 len = 0, off = 0;
	ssize_t			 w;
	int			 fd, i, clients;

	if (size > MAX_INPUT)
		return 0;
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof sa) == -1)
		abort();
	(void)serve(1000);			/* accept */
	while (off < size) {
		if ((w = send(fd, data + off, size - off, MSG_NOSIGNAL)) <= 0)
			break;			/* the server dropped us */
		off += (size_t)w;
		(void)serve(0);
		answers(fd, buf, &len, sizeof buf);
	}
	(void)shutdown(fd, SHUT_WR);
	for (i = 0; i < 1000; i++) {
		clients = serve(1000);
		answers(fd, buf, &len, sizeof buf);
		if (clients == 0)
			break;
	}
	if (i == 1000)
		__builtin_trap();		/* the server kept a dead client */
	answers(fd, buf, &len, sizeof buf);
	close(fd);
	return 0;
}
