/*
 * run-scan.c: --scan TARGET, the headless bus scan. One stdout line per unit
 * that answers (its decimal address, then what identification says), and
 * nothing else there, so a script may take every line for a unit; the
 * summary goes to stderr, and progress with an ETA too when stderr is a
 * terminal. Exit 0 when the scan ran, whether or not it found meters (the
 * summary says how many); 66 when the line cannot be opened; 64 for usage.
 * With --rtu-tcp, host[:port] is asked in RTU frames over TCP. When a TCP
 * port answers in the other framing than the one asked for, the summary
 * says what it speaks. The scanning itself is scan.c's.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <ev.h>

#include "bus.h"
#include "cli.h"
#include "scan.h"

struct run_scan {
	struct ev_loop		*loop;
	struct scan		*scan;
	struct scan_params	 p;
	int			 tty;
	int			 rc;
	int			 signo;
	ev_signal		 sigint, sigterm;
};

static void
run_scan_progress(void *arg, int done, int total, int64_t eta_ms)
{
	struct run_scan	*r = arg;

	if (!r->tty)
		return;
	fprintf(stderr, "\rscanning %d/%d (%d%%)", done, total,
	    100 * done / total);
	if (eta_ms >= 0 && done < total)
		fprintf(stderr, ", about %lld.%lld s left   ",
		    (long long)eta_ms / 1000, (long long)eta_ms % 1000 / 100);
	fflush(stderr);
}

static void
run_scan_clear(const struct run_scan *r)
{
	if (r->tty)
		fputs("\r\033[K", stderr);
}

static void
run_scan_found(void *arg, int addr, int is_e34, const char *text)
{
	struct run_scan	*r = arg;

	(void)is_e34;
	run_scan_clear(r);
	printf("%d %s\n", addr, text);
	fflush(stdout);
}

static void
run_scan_done(void *arg, const struct scan_summary *s)
{
	struct run_scan	*r = arg;
	char		 where[300];

	run_scan_clear(r);
	ev_break(r->loop, EVBREAK_ALL);
	if (s->failed) {
		fprintf(stderr, "countis-tui: --scan: %s\n", s->error);
		r->rc = EXIT_NOINPUT;
		return;
	}
	if (s->spoken == BUS_TCP)	/* what answered, not what was asked */
		snprintf(where, sizeof where, "%s:%d", r->p.host, r->p.port);
	else if (s->spoken == BUS_RTU_TCP)
		snprintf(where, sizeof where, "%s:%d (RTU over TCP, line at %d "
		    "8%c%d)", r->p.host, r->p.port, r->p.baud, r->p.parity,
		    r->p.stop_bits);
	else
		snprintf(where, sizeof where, "%s at %d 8%c%d", r->p.device,
		    r->p.baud, r->p.parity, r->p.stop_bits);
	fprintf(stderr, "%d meter%s found on %s (addresses %d..%d) in "
	    "%lld.%lld s",
	    s->found, s->found == 1 ? "" : "s", where, r->p.first, r->p.last,
	    (long long)s->elapsed_ms / 1000,
	    (long long)s->elapsed_ms % 1000 / 100);
	if (s->foreign + s->gateway > 0)
		fprintf(stderr, "; %d id%s answered without being an E34",
		    s->foreign + s->gateway,
		    s->foreign + s->gateway == 1 ? "" : "s");
	if (s->gateway > 0)
		fprintf(stderr, " (%d through a gateway that found no device)",
		    s->gateway);
	if (s->garbage > 0)
		fprintf(stderr, "; %d id%s gave corrupt answers", s->garbage,
		    s->garbage == 1 ? "" : "s");
	if (s->cancelled)
		fprintf(stderr, "; cancelled after %d addresses", s->scanned);
	fprintf(stderr, "\n");
	if (s->kind_differs)
		fprintf(stderr, "countis-tui: --scan: %s:%d speaks %s, not %s: "
		    "the units above answered in %s; use type = %s (%s)\n",
		    r->p.host, r->p.port, bus_kind_name(s->spoken),
		    bus_kind_name(r->p.type), bus_kind_name(s->spoken),
		    bus_type_name(s->spoken), s->spoken == BUS_RTU_TCP ?
		    "--scan with --rtu-tcp" : "--scan without --rtu-tcp");
	if (s->late > 0 || (s->slowest_us > 0 &&
	    s->slowest_us > (uint32_t)s->timeout_ms * 700))
		fprintf(stderr, "countis-tui: --scan: answers came close to "
		    "or after the %d ms timeout; scan again with a larger "
		    "--timeout-ms to be sure\n", s->timeout_ms);
}

static void
run_scan_signal(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct run_scan	*r = w->data;

	(void)loop;
	(void)revents;
	r->signo = w->signum;
	scan_cancel(r->scan);
}

int
run_scan(const struct opts *o)
{
	struct run_scan		 r;
	struct scan_cbs		 cbs = { .progress = run_scan_progress,
				    .found = run_scan_found,
				    .done = run_scan_done };
	struct err		 e;
	char			 target[256];

	memset(&r, 0, sizeof r);
	memset(&e, 0, sizeof e);
	cbs.arg = &r;
	if (scan_parse_target(o->scan_target, target, sizeof target, &r.p,
	    &e) == -1) {
		fprintf(stderr, "countis-tui: %s\n", e.msg);
		return EXIT_USAGE;
	}
	if (o->rtu_tcp && r.p.type != BUS_TCP) {
		fprintf(stderr, "countis-tui: --scan %s --rtu-tcp: expected "
		    "host[:port], not a serial device\n", o->scan_target);
		return EXIT_USAGE;
	}
	if (o->rtu_tcp)
		r.p.type = BUS_RTU_TCP;
	r.p.baud = o->baud > 0 ? o->baud : 19200;
	r.p.parity = o->parity ? o->parity : 'N';
	r.p.stop_bits = o->stop_bits > 0 ? o->stop_bits : 1;
	r.p.first = o->first > 0 ? o->first : 1;
	r.p.last = o->last > 0 ? o->last : 247;
	r.p.timeout_ms = o->timeout_ms;
	r.tty = isatty(STDERR_FILENO);
	if ((r.loop = ev_loop_new(EVFLAG_AUTO)) == NULL) {
		fprintf(stderr, "countis-tui: cannot create the event loop\n");
		return EXIT_SOFTWARE;
	}
	if ((r.scan = scan_start(r.loop, &r.p, &cbs, &e)) == NULL) {
		fprintf(stderr, "countis-tui: %s\n", e.msg);
		ev_loop_destroy(r.loop);
		return e.code ? e.code : EXIT_USAGE;
	}
	ev_signal_init(&r.sigint, run_scan_signal, SIGINT);
	ev_signal_init(&r.sigterm, run_scan_signal, SIGTERM);
	r.sigint.data = r.sigterm.data = &r;
	ev_signal_start(r.loop, &r.sigint);
	ev_signal_start(r.loop, &r.sigterm);
	ev_run(r.loop, 0);
	ev_signal_stop(r.loop, &r.sigint);
	ev_signal_stop(r.loop, &r.sigterm);
	scan_free(r.scan);
	ev_loop_destroy(r.loop);
	if (fflush(stdout) == EOF)
		return EXIT_SOFTWARE;
	return r.signo ? 128 + r.signo : r.rc;
}
