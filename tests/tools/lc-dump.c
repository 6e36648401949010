/*
 * lc-dump.c: read a meter's load curve through the engine and lc-fetch, as
 * the console does, without a terminal. For the integration tests and the
 * load-curve timing figure:
 *
 *   lc-dump -c FILE [-m INDEX] [-d DAYS] [-p PAGES] [-o CSV] [-x DIR]
 *           [-k AFTER_PAGES]
 *
 * Prints one line of key=value figures (state, pages, records, period,
 * gaps, elapsed and wire time) and writes the curve as CSV to -o (or
 * exports it into -x as the console's `e` does). -k cancels after that many
 * pages. Exit 0 when the fetch ended DONE (or CANCELLED with -k), else 1.
 */
#include <ev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "conf.h"
#include "engine.h"
#include "err.h"
#include "lc-fetch.h"
#include "loadcurve.h"

struct dump {
	struct ev_loop	*loop;
	struct engine	*eng;
	struct lc_fetch	*f;
	int		 meter;
	int		 started;
	int		 cancel_after;
	ev_timer	 deadline;
};

static void
dump_fetch_cb(void *arg, const struct lc_fetch *f)
{
	struct dump	*d = arg;

	if (d->cancel_after > 0 && lc_fetch_progress(f)->pages >=
	    d->cancel_after)
		lc_fetch_cancel(d->f);
	if (lc_fetch_progress(f)->state != LCF_RUNNING)
		ev_break(d->loop, EVBREAK_ALL);
}

static void
dump_cycle_cb(void *arg, const struct meter *m)
{
	struct dump	*d = arg;
	struct err	 e = { "", 0 };

	if (d->started || m->index != d->meter || m->status != MS_OK)
		return;
	d->started = 1;
	if (lc_fetch_start(d->f, &e) == -1) {
		fprintf(stderr, "lc-dump: %s\n", e.msg);
		ev_break(d->loop, EVBREAK_ALL);
	}
}

static void
dump_deadline_cb(struct ev_loop *loop, UNUSED ev_timer *w, UNUSED int rev)
{
	fprintf(stderr, "lc-dump: deadline passed\n");
	ev_break(loop, EVBREAK_ALL);
}

static const char *
dump_state_word(enum lc_fetch_state s)
{
	static const char *const w[] = { "idle", "running", "done",
	    "cancelled", "failed" };

	return w[s];
}

int
main(int argc, char **argv)
{
	static struct config		 cfg;
	struct dump			 d;
	struct err			 e = { "", 0 };
	const struct lc_fetch_progress	*p;
	const struct lc_curve		*c;
	const char			*conf = NULL, *out = NULL, *dir = NULL;
	char				 path[4096];
	int				 ch, days = 0, pages = 0, rc = 1;
	FILE				*fp;

	memset(&d, 0, sizeof d);
	while ((ch = getopt(argc, argv, "c:m:d:p:o:x:k:")) != -1) {
		switch (ch) {
		case 'c': conf = optarg; break;
		case 'm': d.meter = atoi(optarg); break;
		case 'd': days = atoi(optarg); break;
		case 'p': pages = atoi(optarg); break;
		case 'o': out = optarg; break;
		case 'x': dir = optarg; break;
		case 'k': d.cancel_after = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: lc-dump -c FILE [-m INDEX] "
			    "[-d DAYS] [-p PAGES] [-o CSV] [-x DIR] [-k N]\n");
			return 64;
		}
	}
	config_init(&cfg);
	if (conf == NULL || config_load(&cfg, conf, &e) == -1) {
		fprintf(stderr, "lc-dump: %s\n", conf ? e.msg : "-c FILE needed");
		return 78;
	}
	d.loop = ev_default_loop(0);
	if ((d.eng = engine_new(d.loop, &cfg, &e)) == NULL) {
		fprintf(stderr, "lc-dump: %s\n", e.msg);
		return 1;
	}
	d.f = lc_fetch_new(d.eng, d.loop, d.meter, (int64_t)days * 86400, pages,
	    dump_fetch_cb, &d);
	engine_on_cycle(d.eng, dump_cycle_cb, &d);
	ev_timer_init(&d.deadline, dump_deadline_cb, 120, 0);
	ev_timer_start(d.loop, &d.deadline);
	if (d.f == NULL || engine_start(d.eng, &e) == -1) {
		fprintf(stderr, "lc-dump: %s\n", e.msg);
		goto done;
	}
	ev_run(d.loop, 0);
	p = lc_fetch_progress(d.f);
	c = lc_fetch_curve(d.f);
	printf("state=%s pages=%d records=%zu period_s=%d period_reg=%d "
	    "unit=%d num=%d den=%d gaps=%d missing=%d incomplete=%d "
	    "retries=%d elapsed_ms=%lld bus_us=%llu wire_us_page=%u\n",
	    dump_state_word(p->state), p->pages, c->n, c->period_s,
	    c->hdr.period_reg, c->hdr.unit_code, c->hdr.num, c->hdr.den,
	    c->ngaps, c->nmissing, c->nincomplete, p->retries,
	    (long long)p->elapsed_ms,
	    (unsigned long long)lc_fetch_bus_us(d.f),
	    cfg.nbuses ? lc_page_wire_us(bus_char_us(&cfg.buses[0]),
	    cfg.buses[0].baud) : 0);
	printf("msg=%s\n", p->msg);
	if (out != NULL) {
		if ((fp = fopen(out, "w")) == NULL ||
		    lc_write_csv(c, fp, &e) < 0) {
			fprintf(stderr, "lc-dump: %s: %s\n", out, e.msg);
			goto done;
		}
		fclose(fp);
	}
	if (dir != NULL) {
		if (lc_export_csv(c, dir, cfg.meters[d.meter].name,
		    clock_wall_ms() / 1000, path, sizeof path, &e) < 0) {
			fprintf(stderr, "lc-dump: %s\n", e.msg);
			goto done;
		}
		printf("exported=%s\n", path);
	}
	rc = p->state == LCF_DONE || (p->state == LCF_CANCELLED &&
	    d.cancel_after > 0) ? 0 : 1;
done:
	engine_stop(d.eng);
	lc_fetch_free(d.f);
	engine_free(d.eng);
	config_free(&cfg);
	ev_loop_destroy(d.loop);
	return rc;
}
