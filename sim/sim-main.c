/*
 * sim-main.c: countis-sim's entry point and event loop. main parses the
 * command line, opens the line (pty, serial or TCP) and the control socket,
 * creates the units, then polls until SIGINT or SIGTERM (taken through a
 * signalfd, so no handler and no global). Every few hundred milliseconds the
 * units integrate their energies and extend their load curves; requests do
 * the same for the unit they address.
 */
#include "ac-config.h"	/* autoconf's, for PACKAGE_VERSION */

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "sim-clock.h"
#include "sim-control.h"
#include "sim-rand.h"
#include "sim-rtu.h"
#include "sim-tcp.h"
#include "sim.h"

#define SIM_TICK_NS	(250 * 1000000LL)	/* counters advance */
#define SIM_POLL_MAX	64

/* Create the units and apply --fault. -1 when memory runs out. */
static int
sim_setup_units(struct sim *s, double now)
{
	const struct sim_fault_spec	*f;
	int				 id, k;

	for (id = 1; id <= SIM_UNIT_MAX; id++) {
		if (!s->opts.units[id])
			continue;
		if ((s->units[id] = sim_unit_new(id, &s->site, now)) == NULL)
			return -1;
	}
	for (k = 0; k < s->opts.nfaults; k++) {
		f = &s->opts.faults[k];
		sim_faults_add(&s->units[f->unit]->faults, &f->fault);
	}
	return 0;
}

static void
sim_teardown(struct sim *s)
{
	int	id;

	sim_rtu_free(s->rtu);
	sim_tcp_free(s->tcp);
	sim_control_free(s->ctl);
	for (id = 1; id <= SIM_UNIT_MAX; id++)
		sim_unit_free(s->units[id]);
}

/* The start line: what is served where, with which faults. */
static void
sim_announce(struct sim *s)
{
	struct tm	tm;
	char		units[1024], faults[160], line[PATH_MAX + 200];
	int		id;

	sim_opts_units_format(s->opts.units, units, sizeof units);
	if (s->rtu != NULL)
		snprintf(line, sizeof line, "%s, %d 8%c%d",
		    sim_rtu_name(s->rtu), s->opts.baud, s->opts.parity,
		    s->opts.stop_bits);
	else
		snprintf(line, sizeof line, "%s", sim_tcp_name(s->tcp));
	sim_log(s, "serving units %s on %s%s%s, seed %llu, load curve "
	    "%d s x%g", units, line, s->ctl != NULL ? ", control " : "",
	    s->ctl != NULL ? s->opts.control_path : "",
	    (unsigned long long)s->site.seed, SIM_LC_PERIOD_S,
	    s->opts.speedup);
	if (s->opts.start_set) {
		sim_clock_fields((int64_t)floor(s->site.local0), &tm);
		sim_log(s, "site clock starts at %04d-%02d-%02d %02d:%02d:%02d "
		    "local time (--start %.0f), %+.0f s from the host's",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, s->opts.start, s->site.shift);
	}
	for (id = 1; id <= SIM_UNIT_MAX; id++) {
		if (s->units[id] == NULL)
			continue;
		sim_faults_format(&s->units[id]->faults, faults,
		    sizeof faults);
		if (strcmp(faults, "none") != 0)
			sim_log(s, "unit %d faults: %s", id, faults);
	}
}

/* Poll everything once; returns 1 when a stop signal came. */
static int
sim_loop_once(struct sim *s, int sfd, int64_t *next_tick)
{
	struct pollfd		pfd[SIM_POLL_MAX];
	struct signalfd_siginfo	si;
	struct timespec		ts;
	int64_t			now, d;
	int			n = 1, nl = 0, nc = 0, rc;

	pfd[0].fd = sfd;
	pfd[0].events = POLLIN;
	pfd[0].revents = 0;
	d = *next_tick;
	if (s->rtu != NULL) {
		nl = sim_rtu_pollfds(s->rtu, pfd + n, SIM_POLL_MAX - n - 20);
		if (sim_rtu_deadline(s->rtu) < d)
			d = sim_rtu_deadline(s->rtu);
	} else {
		nl = sim_tcp_pollfds(s->tcp, pfd + n, SIM_POLL_MAX - n - 20);
		if (sim_tcp_deadline(s->tcp) < d)
			d = sim_tcp_deadline(s->tcp);
	}
	n += nl;
	if (s->ctl != NULL)
		nc = sim_control_pollfds(s->ctl, pfd + n, SIM_POLL_MAX - n);
	now = clock_mono_ns();
	d = d > now ? d - now : 0;
	ts.tv_sec = d / SIM_NS_PER_S;
	ts.tv_nsec = d % SIM_NS_PER_S;
	rc = ppoll(pfd, (nfds_t)(n + nc), &ts, NULL);
	if (rc == -1 && errno != EINTR)
		return 1;
	if (rc > 0 && (pfd[0].revents & POLLIN) &&
	    read(sfd, &si, sizeof si) == (ssize_t)sizeof si)
		return 1;
	now = clock_mono_ns();
	if (s->rtu != NULL)
		sim_rtu_run(s->rtu, s, pfd + 1, nl, now);
	else
		sim_tcp_run(s->tcp, s, pfd + 1, nl, now);
	if (s->ctl != NULL)
		sim_control_run(s->ctl, s, pfd + n, nc);
	if (now >= *next_tick) {
		sim_advance_all(s, sim_now(s));
		*next_tick = now + SIM_TICK_NS;
	}
	return 0;
}

/* Open what the options ask for; the exit code on failure, else 0. */
static int
sim_open(struct sim *s, struct err *e)
{
	if (s->opts.link == SIM_LINK_TCP)
		s->tcp = sim_tcp_open(&s->opts, e);
	else
		s->rtu = sim_rtu_open(&s->opts, e);
	if (s->tcp == NULL && s->rtu == NULL)
		return e->code ? e->code : EXIT_NOINPUT;
	if (s->opts.control_path != NULL &&
	    (s->ctl = sim_control_open(s->opts.control_path, e)) == NULL)
		return e->code ? e->code : EXIT_NOINPUT;
	return 0;
}

int
main(int argc, char **argv)
{
	struct sim		s;
	struct err		e = { .msg = "", .code = 0 };
	sigset_t		mask;
	int64_t			next_tick;
	double			now, wall;
	int			sfd, rc;

	memset(&s, 0, sizeof s);
	if (sim_opts_parse(argc, argv, &s.opts, &e) == -1) {
		fprintf(stderr, "countis-sim: %s\n(try countis-sim --help)\n",
		    e.msg);
		return EXIT_USAGE;
	}
	if (s.opts.help) {
		sim_usage(stdout);
		return EXIT_OK;
	}
	if (s.opts.version) {
		printf("countis-sim %s\n", PACKAGE_VERSION);
		return EXIT_OK;
	}
	wall = clock_wall_s();
	if (!s.opts.seed_set)
		s.opts.seed = (uint64_t)(wall * 1e6) ^ (uint64_t)getpid() << 40;
	s.rng = sim_hash(s.opts.seed, 0xC2C, 0);
	/* --start moves the site's time; it then runs at real speed. */
	now = s.opts.start_set ? s.opts.start : wall;
	sim_site_init(&s.site, s.opts.seed, s.opts.speedup, now);
	s.site.shift = now - wall;
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	signal(SIGPIPE, SIG_IGN);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) == -1 ||
	    (sfd = signalfd(-1, &mask, SFD_CLOEXEC)) == -1) {
		fprintf(stderr, "countis-sim: signalfd: %s\n", strerror(errno));
		return EXIT_SOFTWARE;
	}
	if (sim_setup_units(&s, now) == -1) {
		fprintf(stderr, "countis-sim: out of memory\n");
		sim_teardown(&s);
		return EXIT_SOFTWARE;
	}
	if ((rc = sim_open(&s, &e)) != 0) {
		fprintf(stderr, "countis-sim: %s\n", e.msg);
		sim_teardown(&s);
		return rc;
	}
	sim_announce(&s);
	next_tick = clock_mono_ns() + SIM_TICK_NS;
	while (sim_loop_once(&s, sfd, &next_tick) == 0)
		;
	sim_log(&s, "stopping");
	sim_teardown(&s);
	close(sfd);
	return EXIT_OK;
}
