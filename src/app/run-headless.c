/*
 * run-headless.c: --headless (run_headless), the service mode. Polls every
 * configured meter and runs the configured exporters (consumer.h) without a
 * screen until SIGTERM or SIGINT (exit 0). Logs go to stderr through log.c
 * (syslog levels under systemd).
 *
 * SIGHUP reads the configuration file again. An invalid file is logged with
 * its file:line and the running one stays. A valid one is put in force by
 * headless_switch: a new engine on it takes over from the running one
 * (engine_take_over) every bus whose link it can use as it is, with its
 * worker thread, open connection and serial lock, and the state of the
 * meters on it; the other buses of the old engine close, the new ones
 * open. The Prometheus exporter keeps its HTTP listener when the address
 * is the same (exporters_reopen); MQTT reconnects. What became of each bus
 * is logged. If the new configuration cannot be applied after the old
 * engine gave way (an exporter that does not start), the previous
 * configuration is put back the same way, taking the buses over again.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ev.h>

#include "cli.h"
#include "conf.h"
#include "consumer.h"
#include "engine.h"
#include "log.h"
#include "meter.h"

struct headless {
	struct ev_loop		*loop;
	const struct config	*cfg;		/* in force */
	struct config		*owned;		/* cfg when loaded here, else NULL */
	struct engine		*eng;
	struct exporters	 x;
	enum meter_status	*last;		/* per meter, for the log */
	int			 rc;		/* exit status after the loop */
	ev_signal		 sigterm, sigint, sighup;
};

/* Log a meter's state when it changes (ok, timeout, foreign...). */
static void
headless_cycle(void *state, const struct meter *m)
{
	struct headless	*h = state;
	char		 word[32];

	if (h->last == NULL || m->index < 0 || m->index >= h->cfg->nmeters ||
	    h->last[m->index] == m->status)
		return;
	h->last[m->index] = m->status;
	meter_status_word(m, word, sizeof word);
	log_msg(m->status == MS_OK ? LL_INFO : LL_WARN, "meter %s (bus %s, "
	    "address %d): %s", m->conf->name, h->cfg->buses[m->conf->bus].name,
	    m->conf->address, word);
}

static const struct consumer_ops headless_log_ops = {
	.name = "log",
	.cycle = headless_cycle,
};

/* Stop and free the engine and exporters of the configuration in force. */
static void
headless_down(struct headless *h)
{
	if (h->eng != NULL) {
		engine_stop(h->eng);
		exporters_close(&h->x);
		engine_free(h->eng);
	}
	h->eng = NULL;
	free(h->last);
	h->last = NULL;
}

/*
 * Put cfg in force: an engine on cfg takes over what it can of the running
 * one (none at start), the exporters follow, then it starts. Returns 0, or
 * -1 with e set. On failure, when h->cfg is still the previous
 * configuration nothing changed; when it is cfg, the previous engine is
 * gone and h->eng, cfg's, is not polling: the caller puts another
 * configuration in force (it takes the buses over) or stops.
 */
static int
headless_switch(struct headless *h, const struct config *cfg, struct err *e)
{
	struct engine		*eng, *old = h->eng;
	enum meter_status	*last;
	char			 sum[2048];
	int			 i, rc;

	if ((last = calloc((size_t)cfg->nmeters + 1, sizeof *last)) == NULL)
		return err_setc(e, EXIT_SOFTWARE, "out of memory");
	if ((eng = engine_new_flags(h->loop, cfg, ENGINE_NO_TRENDS, e)) ==
	    NULL) {
		free(last);
		return -1;
	}
	if (engine_add_consumer(eng, &headless_log_ops, h) == -1) {
		engine_free(eng);
		free(last);
		return err_setc(e, EXIT_SOFTWARE, "too many consumers");
	}
	/* from here on the running engine gives way */
	if (old != NULL) {
		engine_take_over(eng, old, sum, sizeof sum);
		log_msg(LL_INFO, "reload: %s", sum);
	}
	for (i = 0; i < cfg->nmeters; i++)	/* a meter taken over: no news */
		last[i] = engine_meter(eng, i)->status;
	free(h->last);
	h->last = last;
	h->eng = eng;
	h->cfg = cfg;
	rc = exporters_reopen(&h->x, h->loop, eng, cfg, e);
	engine_free(old);	/* after the exporters let go of it */
	if (rc == -1 || engine_start(eng, e) == -1)
		return -1;
	log_msg(LL_INFO, "polling %d meter%s on %d bus%s from %s",
	    cfg->nmeters, cfg->nmeters == 1 ? "" : "s", cfg->nbuses,
	    cfg->nbuses == 1 ? "" : "es", cfg->path);
	return 0;
}

/* Free a configuration loaded here (NULL is fine). */
static void
headless_config_free(struct config *cfg)
{
	if (cfg != NULL) {
		config_free(cfg);
		free(cfg);
	}
}

/* SIGHUP: load the file again; apply it only when it is valid. */
static void
headless_reload(struct headless *h)
{
	const struct config	*prev = h->cfg;
	struct config		*next;
	struct err		 e = { .code = 0 }, e2 = { .code = 0 };

	log_msg(LL_INFO, "SIGHUP: reloading %s", prev->path);
	if ((next = malloc(sizeof *next)) == NULL) {
		log_msg(LL_ERR, "reload: out of memory; keeping the running "
		    "configuration");
		return;
	}
	config_init(next);
	if (config_load(next, prev->path, &e) == -1) {
		log_msg(LL_ERR, "reload rejected, keeping the running "
		    "configuration:\n%s", e.msg);
		free(next);
		return;
	}
	if (headless_switch(h, next, &e) == 0) {
		headless_config_free(h->owned);	/* prev, when loaded here */
		h->owned = next;
		log_msg(LL_INFO, "reload: configuration applied");
		return;
	}
	if (h->cfg == prev) {		/* nothing changed */
		log_msg(LL_ERR, "reload failed: %s; keeping the running "
		    "configuration", e.msg);
		headless_config_free(next);
		return;
	}
	log_msg(LL_ERR, "reload failed: %s; going back to the previous "
	    "configuration", e.msg);
	if (headless_switch(h, prev, &e2) == 0) {
		headless_config_free(next);
		log_msg(LL_INFO, "reload: the previous configuration is in "
		    "force again");
		return;
	}
	log_msg(LL_ERR, "%s", e2.msg);
	headless_down(h);	/* nothing uses either configuration now */
	headless_config_free(next);
	h->cfg = prev;
	h->rc = e2.code != 0 ? e2.code : EXIT_SOFTWARE;
	ev_break(h->loop, EVBREAK_ALL);
}

static void
headless_signal_cb(struct ev_loop *loop, ev_signal *w, UNUSED int revents)
{
	struct headless	*h = w->data;

	if (w->signum == SIGHUP) {
		headless_reload(h);
		return;
	}
	log_msg(LL_INFO, "%s: stopping", w->signum == SIGTERM ? "SIGTERM" :
	    "SIGINT");
	ev_break(loop, EVBREAK_ALL);
}

int
run_headless(const struct opts *o, const struct config *cfg)
{
	struct headless	 h;
	struct err	 e = { .code = 0 };
	int		 rc = EXIT_OK;

	log_init(o->verbose);
	memset(&h, 0, sizeof h);
	signal(SIGPIPE, SIG_IGN);
	if ((h.loop = ev_default_loop(EVFLAG_AUTO)) == NULL) {
		log_msg(LL_ERR, "cannot create the event loop");
		return EXIT_SOFTWARE;
	}
	ev_signal_init(&h.sigterm, headless_signal_cb, SIGTERM);
	ev_signal_init(&h.sigint, headless_signal_cb, SIGINT);
	ev_signal_init(&h.sighup, headless_signal_cb, SIGHUP);
	h.sigterm.data = h.sigint.data = h.sighup.data = &h;
	ev_signal_start(h.loop, &h.sigterm);
	ev_signal_start(h.loop, &h.sigint);
	ev_signal_start(h.loop, &h.sighup);
	if (headless_switch(&h, cfg, &e) == -1) {
		log_msg(LL_ERR, "%s", e.msg);
		rc = e.code != 0 ? e.code : EXIT_SOFTWARE;
	} else {
		ev_run(h.loop, 0);
		rc = h.rc;
	}
	headless_down(&h);
	headless_config_free(h.owned);
	ev_signal_stop(h.loop, &h.sigterm);
	ev_signal_stop(h.loop, &h.sigint);
	ev_signal_stop(h.loop, &h.sighup);
	ev_loop_destroy(h.loop);
	return rc;
}
