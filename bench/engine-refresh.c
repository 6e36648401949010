/*
 * engine-refresh.c: run the engine live (as the console does, with offline
 * back-off) on a configuration for a while and print each meter's refresh:
 * the mean interval between its completed good cycles after a warm-up.
 *
 *	engine-refresh CONFIG WARMUP_S MEASURE_S
 *
 * Output, one line per meter: "NAME ok_cycles mean_interval_ms status",
 * then one line per bus with its statistics. Numbers only: bench/ prints
 * them, nothing asserts them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ev.h>

#include "conf.h"
#include "engine.h"
#include "pollplan.h"

struct refresh {
	struct ev_loop	*loop;
	struct engine	*eng;
	int		 measuring;
	int64_t		*first_ms, *last_ms;
	uint64_t	*n;
};

static void
refresh_cycle_cb(void *arg, const struct meter *m)
{
	struct refresh	*r = arg;
	int		 i = m->index;

	if (!r->measuring || m->status != MS_OK)
		return;
	if (r->n[i]++ == 0)
		r->first_ms[i] = m->last_cycle_ms;
	r->last_ms[i] = m->last_cycle_ms;
}

static void
refresh_phase_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct refresh	*r = w->data;

	(void)revents;
	if (!r->measuring) {
		r->measuring = 1;
		return;
	}
	ev_break(loop, EVBREAK_ALL);
}

int
main(int argc, char **argv)
{
	struct config	*cfg = calloc(1, sizeof *cfg);
	struct refresh	 r;
	struct err	 e;
	ev_timer	 warm, stop;
	char		 st[32];
	int		 i;

	if (argc != 4 || cfg == NULL) {
		fprintf(stderr, "usage: engine-refresh CONFIG WARMUP_S "
		    "MEASURE_S\n");
		return 64;
	}
	memset(&r, 0, sizeof r);
	config_init(cfg);
	if (config_load(cfg, argv[1], &e) == -1) {
		fprintf(stderr, "engine-refresh: %s\n", e.msg);
		return 78;
	}
	r.first_ms = calloc((size_t)cfg->nmeters, sizeof *r.first_ms);
	r.last_ms = calloc((size_t)cfg->nmeters, sizeof *r.last_ms);
	r.n = calloc((size_t)cfg->nmeters, sizeof *r.n);
	r.loop = ev_loop_new(EVFLAG_AUTO);
	if ((r.eng = engine_new(r.loop, cfg, &e)) == NULL ||
	    engine_start(r.eng, &e) == -1) {
		fprintf(stderr, "engine-refresh: %s\n", e.msg);
		return 70;
	}
	engine_on_cycle(r.eng, refresh_cycle_cb, &r);
	ev_timer_init(&warm, refresh_phase_cb, atof(argv[2]), 0.);
	ev_timer_init(&stop, refresh_phase_cb, atof(argv[2]) + atof(argv[3]),
	    0.);
	warm.data = stop.data = &r;
	ev_timer_start(r.loop, &warm);
	ev_timer_start(r.loop, &stop);
	ev_run(r.loop, 0);
	engine_stop(r.eng);
	for (i = 0; i < cfg->nmeters; i++)
		printf("%s %llu %.1f %s\n", cfg->meters[i].name,
		    (unsigned long long)r.n[i], r.n[i] > 1 ?
		    (double)(r.last_ms[i] - r.first_ms[i]) / (double)(r.n[i] - 1) :
		    0.0, meter_status_word(engine_meter(r.eng, i), st,
		    sizeof st));
	for (i = 0; i < cfg->nbuses; i++) {
		const struct bus_view *bv = engine_bus(r.eng, i);

		printf("bus %s requests %llu timeouts %llu round_us %u "
		    "wire_round_us %u achievable_ms %d\n", bv->conf->name,
		    (unsigned long long)bv->stats.requests,
		    (unsigned long long)bv->stats.timeouts, bv->round_us,
		    bv->wire_round_us, bv->achievable_ms);
	}
	engine_free(r.eng);
	ev_loop_destroy(r.loop);
	config_free(cfg);
	free(cfg);
	free(r.first_ms);
	free(r.last_ms);
	free(r.n);
	return 0;
}
