/*
 * run-headless.c: --headless (run_headless), the service mode. Polls every
 * configured meter and runs the configured exporters (consumer.h) without a
 * screen until SIGTERM or SIGINT (exit 0). SIGHUP reads the configuration
 * file again: an invalid file is logged with its file:line and the running
 * one stays; a valid one replaces it. The engine has no way yet to hand a
 * bus over from one configuration to the next, so a reload stops the engine
 * and the exporters and starts them again on the new file (connections are
 * reopened). Logs go to stderr through log.c (syslog levels under systemd).
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

/* Start the engine and the exporters on cfg. Returns 0 or -1 (e set). */
static int
headless_up(struct headless *h, const struct config *cfg, struct err *e)
{
	int	i;

	h->cfg = cfg;
	if ((h->last = calloc((size_t)cfg->nmeters + 1, sizeof *h->last)) ==
	    NULL)
		return err_setc(e, EXIT_SOFTWARE, "out of memory");
	for (i = 0; i < cfg->nmeters; i++)
		h->last[i] = MS_UNKNOWN;
	if ((h->eng = engine_new_flags(h->loop, cfg, ENGINE_NO_TRENDS,
	    e)) == NULL)
		goto fail;
	if (engine_add_consumer(h->eng, &headless_log_ops, h) == -1) {
		err_setc(e, EXIT_SOFTWARE, "too many consumers");
		goto fail;
	}
	if (exporters_open(&h->x, h->loop, h->eng, cfg, e) == -1) {
		engine_free(h->eng);
		h->eng = NULL;
		goto fail;
	}
	if (engine_start(h->eng, e) == -1)
		goto fail;
	log_msg(LL_INFO, "polling %d meter%s on %d bus%s from %s",
	    cfg->nmeters, cfg->nmeters == 1 ? "" : "s", cfg->nbuses,
	    cfg->nbuses == 1 ? "" : "es", cfg->path);
	return 0;
fail:
	headless_down(h);
	return -1;
}

/* SIGHUP: load the file again; apply it only when it is valid. */
static void
headless_reload(struct headless *h)
{
	struct config	*next;
	const struct config *prev = h->cfg;
	struct config	*prev_owned = h->owned;
	struct err	 e = { .code = 0 };

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
	headless_down(h);
	if (headless_up(h, next, &e) == -1) {
		log_msg(LL_ERR, "reload failed: %s; going back to the previous "
		    "configuration", e.msg);
		config_free(next);
		free(next);
		if (headless_up(h, prev, &e) == -1) {
			log_msg(LL_ERR, "%s", e.msg);
			ev_break(h->loop, EVBREAK_ALL);
		}
		return;
	}
	h->owned = next;
	if (prev_owned != NULL) {
		config_free(prev_owned);
		free(prev_owned);
	}
	log_msg(LL_INFO, "reload: configuration applied");
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
	if (headless_up(&h, cfg, &e) == -1) {
		log_msg(LL_ERR, "%s", e.msg);
		rc = e.code != 0 ? e.code : EXIT_SOFTWARE;
	} else
		ev_run(h.loop, 0);
	headless_down(&h);
	if (h.owned != NULL) {
		config_free(h.owned);
		free(h.owned);
	}
	ev_signal_stop(h.loop, &h.sigterm);
	ev_signal_stop(h.loop, &h.sigint);
	ev_signal_stop(h.loop, &h.sighup);
	ev_loop_destroy(h.loop);
	return rc;
}
