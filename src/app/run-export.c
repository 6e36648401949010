/*
 * run-export.c: --export-csv PATH|- [--cycles N], the headless export.
 *
 * Polls every configured meter N times through the engine in batch mode (no
 * back-off: a dead meter's cycle records one timeout each time, so the run
 * ends in bounded time), writes one CSV row per meter per cycle, and exits
 * 0, or 69 when some meter never gave a good cycle; 66 when PATH cannot be
 * created or a serial device could never be opened (its rows say io); 74
 * when writing failed. The rows and their format are export-csv.c's.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <ev.h>

#include "cli.h"
#include "engine.h"
#include "csv.h"
#include "pollplan.h"

#define EXIT_IOERR	74	/* sysexits.h EX_IOERR: the CSV could not be written */

struct export {
	struct ev_loop		*loop;
	struct engine		*eng;
	struct csv_writer	*w;
	const struct config	*cfg;
	struct err		 e;
	int			 write_failed;
	int			 signo;
	ev_signal		 sigint, sigterm;
};

static void
export_cycle_cb(void *arg, const struct meter *m)
{
	struct export	*x = arg;

	if (!x->write_failed && csv_row(x->w, m,
	    &x->cfg->buses[m->conf->bus], &x->e) == -1) {
		x->write_failed = 1;
		ev_break(x->loop, EVBREAK_ALL);
		return;
	}
	if (engine_batch_done(x->eng))
		ev_break(x->loop, EVBREAK_ALL);
}

static void
export_signal_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct export	*x = w->data;

	(void)revents;
	x->signo = w->signum;
	ev_break(loop, EVBREAK_ALL);
}

/* -v: what the buses did, for people and for bench/. */
static void
export_report(const struct export *x)
{
	const struct bus_view	*bv;
	uint64_t		 n, run, wire;
	int			 i;

	for (i = 0; i < engine_nbuses(x->eng); i++) {
		bv = engine_bus(x->eng, i);
		engine_bus_cycle_time(x->eng, i, &n, &run, &wire);
		if (n > 0)
			fprintf(stderr, "bus %s: %llu complete cycles, mean "
			    "%llu us, wire bound %llu us\n", bv->conf->name,
			    (unsigned long long)n,
			    (unsigned long long)(run / n),
			    (unsigned long long)(wire / n));
		fprintf(stderr, "bus %s: %llu requests, %llu answers, %llu "
		    "timeouts, %llu crc, %llu io, %llu stray, %llu "
		    "exceptions, latency p50 %u us "
		    "p99 %u us, round %u us (wire bound %u us), achievable "
		    "%d ms, wanted %d ms\n", bv->conf->name,
		    (unsigned long long)bv->stats.requests,
		    (unsigned long long)bv->stats.answers,
		    (unsigned long long)bv->stats.timeouts,
		    (unsigned long long)bv->stats.crc_errors,
		    (unsigned long long)bv->stats.io_errors,
		    (unsigned long long)bv->stats.strays,
		    (unsigned long long)stats_exceptions_total(&bv->stats),
		    stats_lat_p50_us(&bv->stats), stats_lat_p99_us(&bv->stats),
		    bv->round_us, bv->wire_round_us, bv->achievable_ms,
		    bv->wanted_ms);
	}
}

/* 1 when some meter on bus b answered as an E34 at least once. */
static int
export_bus_answered(const struct export *x, int b)
{
	const struct meter	*m;
	int			 i;

	for (i = 0; i < engine_nmeters(x->eng); i++) {
		m = engine_meter(x->eng, i);
		if (m->conf->bus == b && m->ok_cycles > 0)
			return 1;
	}
	return 0;
}

/*
 * Which meters never gave a good cycle: EXIT_OK when all did, EXIT_NOINPUT
 * when a serial device could never be opened, else EXIT_UNAVAILABLE.
 */
static int
export_silent(const struct export *x)
{
	const struct meter	*m;
	const struct bus_view	*bv;
	char			 st[32];
	int			 i, rc = EXIT_OK;

	for (i = 0; i < engine_nbuses(x->eng); i++) {
		bv = engine_bus(x->eng, i);
		if (bv->nmeters > 0 && (!engine_bus_ever_open(x->eng, i) ||
		    (bv->last_error[0] != '\0' && !export_bus_answered(x,
		    i)))) {	/* e.g. "... speaks Modbus TCP, not ..." */
			fprintf(stderr, "countis-tui: bus %s: %s\n",
			    bv->conf->name, bv->last_error[0] ?
			    bv->last_error : "never opened");
			if (bv->conf->type == BUS_RTU)
				rc = EXIT_NOINPUT;
		}
	}
	for (i = 0; i < engine_nmeters(x->eng); i++) {
		m = engine_meter(x->eng, i);
		if (m->ok_cycles > 0)
			continue;
		if (rc == EXIT_OK)
			rc = EXIT_UNAVAILABLE;
		fprintf(stderr, "countis-tui: meter %s (bus %s, address %d) "
		    "never answered as an E34: %s\n", m->conf->name,
		    x->cfg->buses[m->conf->bus].name, m->conf->address,
		    meter_status_word(m, st, sizeof st));
	}
	return rc;
}

static int
export_run(struct export *x, const struct opts *o)
{
	if ((x->loop = ev_loop_new(EVFLAG_AUTO)) == NULL)
		return err_setc(&x->e, EXIT_SOFTWARE, "cannot create the "
		    "event loop");
	if ((x->eng = engine_new_flags(x->loop, x->cfg,
	    ENGINE_NO_TRENDS, &x->e)) == NULL)
		return -1;
	engine_set_batch(x->eng, o->cycles > 0 ? o->cycles : 1, 0);
	engine_on_cycle(x->eng, export_cycle_cb, x);
	ev_signal_init(&x->sigint, export_signal_cb, SIGINT);
	ev_signal_init(&x->sigterm, export_signal_cb, SIGTERM);
	x->sigint.data = x->sigterm.data = x;
	ev_signal_start(x->loop, &x->sigint);
	ev_signal_start(x->loop, &x->sigterm);
	if (x->cfg->nmeters > 0) {
		if (engine_start(x->eng, &x->e) == -1)
			return -1;
		ev_run(x->loop, 0);
	}
	engine_stop(x->eng);
	ev_signal_stop(x->loop, &x->sigint);
	ev_signal_stop(x->loop, &x->sigterm);
	return 0;
}

int
run_export_csv(const struct opts *o, const struct config *cfg)
{
	struct export	x;
	int		rc = EXIT_OK;

	memset(&x, 0, sizeof x);
	x.cfg = cfg;
	x.w = csv_open(o->export_path, CSV_ATOMIC, cfg->csv_dialect, &x.e);
	if (x.w == NULL) {
		fprintf(stderr, "countis-tui: %s\n", x.e.msg);
		return EXIT_NOINPUT;
	}
	if (csv_header(x.w, &x.e) == -1)
		x.write_failed = 1;
	else if (export_run(&x, o) == -1) {
		fprintf(stderr, "countis-tui: %s\n", x.e.msg);
		rc = x.e.code ? x.e.code : EXIT_SOFTWARE;
	}
	if (x.signo != 0) {
		csv_abort(x.w);
		fprintf(stderr, "countis-tui: interrupted, %s not written\n",
		    o->export_path);
		rc = 128 + x.signo;
	} else if (x.write_failed || rc != EXIT_OK) {
		if (x.write_failed)
			fprintf(stderr, "countis-tui: %s\n", x.e.msg);
		if (csv_close(x.w, &x.e) == -1)
			fprintf(stderr, "countis-tui: %s\n", x.e.msg);
		if (rc == EXIT_OK)
			rc = EXIT_IOERR;
	} else if (csv_close(x.w, &x.e) == -1) {
		fprintf(stderr, "countis-tui: %s\n", x.e.msg);
		rc = EXIT_IOERR;
	} else {
		if (o->verbose && x.eng != NULL)
			export_report(&x);
		if (x.eng != NULL)
			rc = export_silent(&x);
	}
	engine_free(x.eng);
	if (x.loop != NULL)
		ev_loop_destroy(x.loop);
	return rc;
}
