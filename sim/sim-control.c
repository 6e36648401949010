/*
 * sim-control.c: the control socket of countis-sim. Lines in, "ok" or
 * "error: ..." out; faults change on the units at once, so a test can break
 * a meter in the middle of a run. Parsing of fault words is sim-fault.c's.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "parse.h"
#include "sim-clock.h"
#include "sim-control.h"
#include "sim.h"

#define SIM_CTL_CLIENTS	16
#define SIM_CTL_LINE	512

struct sim_control {
	int	 lfd;
	char	*path;
	struct {
		int	fd;
		char	buf[SIM_CTL_LINE];
		size_t	len;
	}	 cl[SIM_CTL_CLIENTS];
};

struct sim_control *
sim_control_open(const char *path, struct err *e)
{
	struct sim_control	*c;
	struct sockaddr_un	 sa = { .sun_family = AF_UNIX };
	struct stat		 st;
	int			 k;

	if (strlen(path) >= sizeof sa.sun_path) {
		err_setc(e, EXIT_NOINPUT, "--control: %s: path too long", path);
		return NULL;
	}
	if (lstat(path, &st) == 0 && !S_ISSOCK(st.st_mode)) {
		err_setc(e, EXIT_NOINPUT, "--control: %s exists and is not a "
		    "socket; not replacing it", path);
		return NULL;
	}
	if ((c = calloc(1, sizeof *c)) == NULL ||
	    (c->path = strdup(path)) == NULL) {
		free(c);
		err_setc(e, EXIT_SOFTWARE, "out of memory");
		return NULL;
	}
	for (k = 0; k < SIM_CTL_CLIENTS; k++)
		c->cl[k].fd = -1;
	strcpy(sa.sun_path, path);
	(void)unlink(path);
	c->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (c->lfd == -1 || bind(c->lfd, (struct sockaddr *)&sa,
	    sizeof sa) == -1 || listen(c->lfd, 8) == -1) {
		err_setc(e, EXIT_NOINPUT, "--control: %s: %s", path,
		    strerror(errno));
		if (c->lfd != -1)
			close(c->lfd);
		free(c->path);
		free(c);
		return NULL;
	}
	return c;
}

void
sim_control_free(struct sim_control *c)
{
	int	k;

	if (c == NULL)
		return;
	for (k = 0; k < SIM_CTL_CLIENTS; k++)
		if (c->cl[k].fd != -1)
			close(c->cl[k].fd);
	close(c->lfd);
	(void)unlink(c->path);
	free(c->path);
	free(c);
}

int
sim_control_pollfds(struct sim_control *c, struct pollfd *pfd, int max)
{
	int	k, n = 0;

	if (max < 1)
		return 0;
	pfd[n].fd = c->lfd;
	pfd[n].events = POLLIN;
	pfd[n++].revents = 0;
	for (k = 0; k < SIM_CTL_CLIENTS && n < max; k++) {
		if (c->cl[k].fd == -1)
			continue;
		pfd[n].fd = c->cl[k].fd;
		pfd[n].events = POLLIN;
		pfd[n++].revents = 0;
	}
	return n;
}

/* "UNIT rest": the unit, and rest pointing past the separator. */
static int
sim_control_unit(struct sim *s, const char *line, const char **rest,
    char *out, size_t len)
{
	const char	*end;
	long		 id;

	if (parse_long_prefix(line, &end, LONG_MIN, LONG_MAX, &id) !=
	    PARSE_OK || (*end != ' ' && *end != ':' && *end != '\t')) {
		snprintf(out, len, "error: '%s': expected UNIT KIND[=ARG], "
		    "UNIT clear, UNIT tariff N or UNIT status", line);
		return -1;
	}
	if (sim_unit(s, (int)id) == NULL) {
		snprintf(out, len, "error: unit %ld is not served", id);
		return -1;
	}
	while (*end == ' ' || *end == '\t' || *end == ':')
		end++;
	*rest = end;
	return (int)id;
}

void
sim_control_command(struct sim *s, const char *line, char *out, size_t len)
{
	struct sim_fault	 f;
	struct sim_unit		*u;
	struct err		 e = { .msg = "" };
	const char		*rest;
	char			 desc[160];
	int			 id, t;

	if ((id = sim_control_unit(s, line, &rest, out, len)) == -1)
		return;
	u = sim_unit(s, id);
	sim_unit_advance(u, &s->site, sim_now(s));
	if (strcmp(rest, "clear") == 0)
		sim_faults_clear(&u->faults);
	else if (strncmp(rest, "tariff", 6) == 0 && (rest[6] == ' ' ||
	    rest[6] == '=')) {
		t = atoi(rest + 7);
		if (t < 1 || t > SIM_TARIFFS || strspn(rest + 7,
		    "0123456789") != strlen(rest + 7)) {
			snprintf(out, len, "error: '%s': tariff must be 1..%d",
			    rest + 7, SIM_TARIFFS);
			return;
		}
		u->tariff = t;
	} else if (strcmp(rest, "status") != 0) {
		if (sim_fault_parse(rest, &f, &e) == -1) {
			snprintf(out, len, "error: %s", e.msg);
			return;
		}
		sim_faults_add(&u->faults, &f);
	}
	sim_faults_format(&u->faults, desc, sizeof desc);
	if (strcmp(rest, "status") == 0) {
		snprintf(out, len, "ok faults: %s; tariff %d", desc, u->tariff);
		return;
	}
	sim_log(s, "control: unit %d %s: faults now %s, tariff %d", id, rest,
	    desc, u->tariff);
	snprintf(out, len, "ok");
}

/* Answer every whole line buffered for client k. 0, or -1 to drop it. */
static int
sim_control_lines(struct sim_control *c, int k, struct sim *s)
{
	char	*nl, out[600], *line;
	size_t	 used;

	while ((nl = memchr(c->cl[k].buf, '\n', c->cl[k].len)) != NULL) {
		*nl = '\0';
		line = c->cl[k].buf;
		if (nl > line && nl[-1] == '\r')
			nl[-1] = '\0';
		line += strspn(line, " \t");
		if (*line != '\0' && *line != '#') {
			sim_control_command(s, line, out, sizeof out - 1);
			strcat(out, "\n");
			if (send(c->cl[k].fd, out, strlen(out),
			    MSG_NOSIGNAL) < 0)
				return -1;
		}
		used = (size_t)(nl + 1 - c->cl[k].buf);
		memmove(c->cl[k].buf, nl + 1, c->cl[k].len - used);
		c->cl[k].len -= used;
	}
	return c->cl[k].len == sizeof c->cl[k].buf ? -1 : 0;
}

void
sim_control_run(struct sim_control *c, struct sim *s,
    const struct pollfd *pfd, int n)
{
	ssize_t	r;
	int	k, i, fd;

	for (k = 0, i = 1; k < SIM_CTL_CLIENTS && i < n; k++) {
		if (c->cl[k].fd == -1 || pfd[i].fd != c->cl[k].fd)
			continue;
		if (pfd[i++].revents & (POLLIN | POLLHUP | POLLERR)) {
			r = recv(c->cl[k].fd, c->cl[k].buf + c->cl[k].len,
			    sizeof c->cl[k].buf - c->cl[k].len, 0);
			if (r > 0)
				c->cl[k].len += (size_t)r;
			if (r == 0 || (r < 0 && errno != EAGAIN) ||
			    sim_control_lines(c, k, s) == -1) {
				close(c->cl[k].fd);
				c->cl[k].fd = -1;
				c->cl[k].len = 0;
			}
		}
	}
	if (n < 1 || !(pfd[0].revents & POLLIN))
		return;
	while ((fd = accept4(c->lfd, NULL, NULL, SOCK_NONBLOCK |
	    SOCK_CLOEXEC)) != -1) {
		for (k = 0; k < SIM_CTL_CLIENTS && c->cl[k].fd != -1; k++)
			;
		if (k == SIM_CTL_CLIENTS) {
			close(fd);
			continue;
		}
		c->cl[k].fd = fd;
		c->cl[k].len = 0;
	}
}
