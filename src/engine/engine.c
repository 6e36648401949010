/*
 * engine.c: the poll engine. Schedules every meter's poll cycle on the libev
 * loop, hands the cycles to the bus workers (bus.c) as jobs, turns each
 * finished job into a poll_result and lets the model apply it
 * (meter_apply_*, meter-apply.c: values, status, identification, going
 * offline and back). What is left here: timers, submitting, the bus view's
 * statistics, and publishing each cycle to the consumers.
 *
 * What a cycle reads is pollplan.c's plan; how a request travels is bus.c's.
 * The loop never waits on a bus: a meter has at most one cycle or probe in
 * flight, in a job embedded in its engine state (no allocation per cycle),
 * and a timer that fires while it is still queued only counts an overrun.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ev.h>

#include "bus.h"
#include "clock.h"
#include "consumer.h"
#include "engine.h"
#include "pollplan.h"
#include "regdecode.h"

#if POLL_RESULT_MAX < BUS_JOB_MAX
#error "a poll_result must hold every transaction of a bus job"
#endif

/*
 * Engine-side state of one meter (the model, identification and back-off
 * included, is struct meter): its timers and its one job in flight.
 */
struct mstate {
	struct engine	*eng;
	int		 index;
	ev_timer	 poll;		/* repeat = poll_ms */
	ev_timer	 probe;		/* offline: back-off probes */
	int		 busy;		/* job (a cycle or probe) queued/running */
	int64_t		 slow_next_ms;
	uint64_t	 overruns;
	uint32_t	 last_run_us;	/* worker time of the last cycle */
	int		 batch_n;	/* batch cycles completed */
	uint64_t	 round_no;	/* last publishing round it counted in */
	struct bus_job	 job;		/* the cycle or probe, reused */
	uint16_t	*words;		/* its words: plan_words, engine's */
};

/*
 * A job allocated for one request (a write, the operations of a load-curve
 * read) with room for the words of every transaction it may hold.
 */
struct eng_job_room {
	struct bus_job	 j;		/* first: free(&room->j) frees it */
	uint16_t	 words[BUS_JOB_MAX][BUS_MAX_WORDS];
};

struct ebus {
	struct engine	*eng;
	int		 index;
	struct bus	*bus;		/* owned; NULL once handed over */
	struct bus_view	 view;
	uint64_t	 plain_cycles;	/* cycles without identification */
	uint64_t	 plain_run_us;	/* their worker time */
	uint64_t	 plain_wire_us;	/* their wire-time bound */
};

struct engine {
	struct ev_loop		*loop;
	const struct config	*cfg;
	struct poll_plan	 plan;
	struct meter_layout	 layout;	/* the plan's registers */
	uint16_t		*words;		/* every meter's job words */
	int			 plan_words;	/* per meter: every set once */
	struct meter		*meters;
	struct mstate		*ms;
	struct ebus		*buses;
	struct eng_consumer {
		const struct consumer_ops	*ops;
		void				*state;
	}			 consumers[ENGINE_MAX_CONSUMERS];
	int			 nconsumers;
	uint64_t		 round_no;	/* rounds published, from 1 */
	int			 round_left;	/* meters still to cycle in it */
	engine_cycle_cb		*cycle_cb;	/* engine_on_cycle's */
	void			*cycle_arg;
	int			 batch_cycles;	/* 0: live */
	int			 batch_slow;
	int			 started;
	int			 stopping;
};

/* What a write or ops job carries back to its submitter. */
struct eng_req {
	engine_write_cb		*write_cb;
	engine_ops_cb		*ops_cb;
	void			*arg;
	struct engine_op	*ops;
	int			 nops;
};

static struct ebus *
eng_bus_of(struct engine *eng, int meter)
{
	return &eng->buses[eng->cfg->meters[meter].bus];
}

/*
 * Add the requests of a plan set to a job, each tagged with its request;
 * their words go at *next, which moves past them.
 */
static void
eng_job_add_set(struct bus_job *j, const struct poll_set *s,
    uint16_t **next)
{
	struct bus_xfer	*x;
	int		 i;

	for (i = 0; i < s->nreq && j->nx < BUS_JOB_MAX; i++) {
		x = &j->x[j->nx++];
		x->write = x->fc16 = 0;
		x->ran = 0;	/* the worker sets the outcome of what runs */
		x->addr = s->req[i].addr;
		x->count = s->req[i].count;
		x->tag = &s->req[i];
		x->words = *next;
		*next += x->count;
	}
}

/*
 * Make ms's own job ready for another cycle or probe, without touching the
 * words of its transactions (the worker writes what it reads).
 */
static struct bus_job *
eng_job_reuse(struct mstate *ms, enum bus_job_kind kind)
{
	struct bus_job	*j = &ms->job;

	memset(j, 0, offsetof(struct bus_job, x));
	j->kind = kind;
	j->meter = ms->index;
	j->unit = ms->eng->cfg->meters[ms->index].address;
	j->link_failed = 0;
	j->conn_gen = 0;
	j->start_ms = j->start_wall_ms = j->end_ms = j->end_wall_ms = 0;
	j->run_us = 0;
	j->ctx = NULL;
	return j;
}

/* One bus transaction as the model sees it. */
static void
eng_xfer_of(const struct bus_xfer *bx, struct poll_xfer *px)
{
	px->addr = bx->addr;
	px->count = bx->count;
	px->words = bx->words;
	px->req = bx->tag;
	px->write = bx->write;
	px->ran = bx->ran;
	px->outcome = bx->outcome;
	px->exc_code = bx->exc_code;
	px->lat_us = bx->lat_us;
	px->busy_us = bx->busy_us;
	px->strays = bx->strays;
}

/* A finished job as the model sees it (the words stay in the job). */
static void
eng_result_of(const struct bus_job *j, struct poll_result *r)
{
	int	i;

	r->identify = j->identify;
	r->with_info = j->with_info;
	r->link_failed = j->link_failed;
	r->conn_gen = j->conn_gen;
	r->start_ms = j->start_ms;
	r->start_wall_ms = j->start_wall_ms;
	r->end_ms = j->end_ms;
	r->end_wall_ms = j->end_wall_ms;
	r->nx = j->nx;
	for (i = 0; i < j->nx; i++)
		eng_xfer_of(&j->x[i], &r->x[i]);
}

/*
 * The worker's gate after x[i] of an identifying job (worker thread): go on
 * only while the model's rule says E34 so far, so a foreign unit is never
 * polled as an E34, nor written to.
 */
static int
eng_ident_gate(const struct bus_job *j, int i)
{
	struct poll_xfer	x[2];
	enum meter_idv		idv;
	int			k;

	if (i >= 2)
		return 1;
	for (k = 0; k <= i; k++)
		eng_xfer_of(&j->x[k], &x[k]);
	idv = meter_ident_decide(x, i + 1, NULL, 0);
	return idv == MI_PENDING || idv == MI_E34;
}

/* Queue one poll cycle of meter ms (identification first when due). */
static void
eng_submit_cycle(struct mstate *ms)
{
	struct engine	*eng = ms->eng;
	const struct meter *m = &eng->meters[ms->index];
	struct bus_job	*j = eng_job_reuse(ms, JOB_CYCLE);
	int64_t		 now = clock_mono_ms();
	uint16_t	*w = ms->words;
	int		 slow;

	j->identify = m->need_ident;
	if (j->identify) {
		eng_job_add_set(j, &eng->plan.magic, &w);
		eng_job_add_set(j, &eng->plan.name, &w);
		j->gate = eng_ident_gate;
	}
	/* details and slow set: again next cycle until read whole */
	if ((j->identify || m->need_info) && !eng->batch_cycles) {
		eng_job_add_set(j, &eng->plan.info, &w);
		j->with_info = 1;
	}
	eng_job_add_set(j, &eng->plan.fast, &w);
	slow = eng->batch_cycles ? eng->batch_slow && ms->batch_n == 0 :
	    j->identify || now >= ms->slow_next_ms;
	if (slow) {
		eng_job_add_set(j, &eng->plan.slow, &w);
		j->with_slow = 1;
		ms->slow_next_ms = now + eng->plan.slow_every_ms;
	}
	ms->busy = 1;
	bus_submit(eng_bus_of(eng, ms->index)->bus, j);
}

/* Queue the probe of an offline meter: one small read. */
static void
eng_submit_probe(struct mstate *ms)
{
	struct engine	*eng = ms->eng;
	struct bus_job	*j = eng_job_reuse(ms, JOB_PROBE);
	uint16_t	*w = ms->words;

	eng_job_add_set(j, &eng->plan.magic, &w);
	ms->busy = 1;
	bus_submit(eng_bus_of(eng, ms->index)->bus, j);
}

/*
 * Hand a meter's completed cycle to every consumer; once every meter has
 * completed one since the last round, tell them a round is done.
 */
static void
eng_publish(struct engine *eng, const struct meter *m)
{
	struct mstate	*ms = &eng->ms[m->index];
	int		 i;

	for (i = 0; i < eng->nconsumers; i++)
		eng->consumers[i].ops->cycle(eng->consumers[i].state, m);
	if (ms->round_no != eng->round_no) {
		ms->round_no = eng->round_no;
		eng->round_left--;
	}
	if (eng->round_left > 0)
		return;
	eng->round_no++;
	eng->round_left = eng->cfg->nmeters;
	for (i = 0; i < eng->nconsumers; i++)
		if (eng->consumers[i].ops->round != NULL)
			eng->consumers[i].ops->round(eng->consumers[i].state);
}

/*
 * A meter that is offline (probed with back-off) or foreign (between
 * re-identifications) still completes a cycle at its poll period, without
 * traffic: its status stays, no value is fresh, and every consumer gets its
 * row (a recording shows the outage rather than a gap).
 */
static void
eng_cycle_idle(struct mstate *ms)
{
	struct engine	*eng = ms->eng;
	struct meter	*m = &eng->meters[ms->index];

	meter_apply_idle(m, clock_mono_ms(), clock_wall_ms());
	ms->batch_n++;
	eng_publish(eng, m);
}

static void
eng_poll_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct mstate	*ms = container_of(w, struct mstate, poll);
	struct engine	*eng = ms->eng;
	struct meter	*m = &eng->meters[ms->index];

	(void)revents;
	if (eng->stopping)
		return;
	if (eng->batch_cycles && ms->batch_n >= eng->batch_cycles) {
		ev_timer_stop(loop, w);
		return;
	}
	if (m->offline) {
		eng_cycle_idle(ms);
		return;
	}
	if (ms->busy) {
		ms->overruns++;
		return;
	}
	if (!meter_poll_due(m, clock_mono_ms())) {
		eng_cycle_idle(ms);	/* foreign until identified again */
		return;
	}
	eng_submit_cycle(ms);
}

static void
eng_probe_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct mstate	*ms = container_of(w, struct mstate, probe);

	(void)revents;
	if (ms->eng->stopping)
		return;
	if (ms->busy) {		/* never lose the probe: try again later */
		ev_timer_set(w, ms->eng->meters[ms->index].probe_ms / 1000.0,
		    0.);
		ev_timer_start(loop, w);
		return;
	}
	eng_submit_probe(ms);
}

/* Count every request of j that ran on its bus (the model counts its own). */
static void
eng_bus_count(struct ebus *eb, const struct bus_job *j)
{
	const struct bus_xfer	*x;
	int			 i;

	for (i = 0; i < j->nx; i++) {
		x = &j->x[i];
		if (!x->ran)
			continue;
		stats_add(&eb->view.stats, x->outcome, x->exc_code, x->lat_us,
		    x->busy_us);
		stats_add_strays(&eb->view.stats, (unsigned)x->strays);
	}
}

/* Update the bus view: connection, measured round, achievable refresh. */
static void
eng_bus_refresh(struct engine *eng, struct ebus *eb)
{
	unsigned	gen;
	uint64_t	round = 0;
	int		i;

	bus_conn_state(eb->bus, &eb->view.connected, eb->view.last_error,
	    sizeof eb->view.last_error, &gen);
	for (i = 0; i < eng->cfg->nmeters; i++)
		if (eng->cfg->meters[i].bus == eb->index &&
		    !eng->meters[i].offline)
			round += eng->ms[i].last_run_us;
	eb->view.round_us = round > UINT32_MAX ? UINT32_MAX : (uint32_t)round;
	eb->view.achievable_ms = (int)((round + 999) / 1000);
}

/* Arm the timers the model asks for (meter_apply_*). */
static void
eng_arm(struct mstate *ms, struct meter_next next)
{
	struct engine	*eng = ms->eng;
	const struct meter *m = &eng->meters[ms->index];

	switch (next.action) {
	case MA_POLL:
		break;
	case MA_OFFLINE:	/* the poll timer goes on: idle cycles */
	case MA_PROBE:
		ev_timer_stop(eng->loop, &ms->probe);
		ev_timer_set(&ms->probe, next.delay_ms / 1000.0, 0.);
		ev_timer_start(eng->loop, &ms->probe);
		break;
	case MA_ONLINE:		/* identify it and poll again now */
		ev_timer_stop(eng->loop, &ms->probe);
		ev_timer_stop(eng->loop, &ms->poll);
		ev_timer_set(&ms->poll, 0., m->conf->poll_ms / 1000.0);
		ev_timer_start(eng->loop, &ms->poll);
		break;
	}
}

/* A cycle came back (loop thread): the model applies it, then publish. */
static void
eng_cycle_done(struct mstate *ms, struct ebus *eb, struct bus_job *j)
{
	struct engine		*eng = ms->eng;
	struct meter		*m = &eng->meters[ms->index];
	struct poll_result	 r;
	struct meter_next	 next;
	int			 i, complete;

	eng_result_of(j, &r);
	eng_bus_count(eb, j);
	complete = poll_result_complete(&r);
	ms->batch_n++;
	ms->last_run_us = j->run_us;
	if (!j->identify && !j->link_failed && complete) {
		eb->plain_cycles++;
		eb->plain_run_us += j->run_us;
		for (i = 0; i < j->nx; i++)
			eb->plain_wire_us += poll_req_wire_us(eb->view.conf,
			    j->x[i].count);
	}
	eng_bus_refresh(eng, eb);
	next = meter_apply_cycle(m, &r, eng->batch_cycles ? 0 :
	    METER_OFFLINE_AFTER, clock_mono_ms());
	if (j->with_slow && !eng->batch_cycles && !complete &&
	    m->status != MS_NOT_E34)
		ms->slow_next_ms = 0;	/* a failed slow read: again next cycle */
	eng_arm(ms, next);
	eng_publish(eng, m);
}

/* Describe a failed transaction for a write or ops callback. */
static void
eng_xfer_msg(const struct bus_xfer *x, int link_failed, char *buf, size_t len)
{
	if (!x->ran)
		snprintf(buf, len, link_failed ? "bus not connected" :
		    "not sent");
	else if (x->outcome == ST_ANSWER)
		snprintf(buf, len, "done");
	else if (x->outcome == ST_EXCEPTION)
		snprintf(buf, len, "exception %d", x->exc_code);
	else if (x->outcome == ST_TIMEOUT)
		snprintf(buf, len, "no answer (timeout)");
	else if (x->outcome == ST_CRC)
		snprintf(buf, len, "corrupt answer (CRC)");
	else
		snprintf(buf, len, "i/o error: %s", x->err_no == EPERM ?
		    "write not allowed" : strerror(x->err_no));
}

/*
 * The identification read before a write said no: nothing was written. A
 * unit that now identifies as another product is foreign from here on
 * (meter_apply_job made it so).
 */
static void
eng_write_ident_msg(const struct meter *m, const struct bus_job *j,
    enum meter_idv idv, char *buf, size_t len)
{
	const char		*name = m->ident.ext_name;
	const struct bus_xfer	*x;
	int			 i;

	if (idv == MI_FOREIGN) {
		snprintf(buf, len, "not an E34 any more%s%s%s: nothing written",
		    name[0] ? " (\"" : "", name, name[0] ? "\")" : "");
		return;
	}
	for (i = 0, x = NULL; i < j->nx && j->x[i].ran; i++)
		x = &j->x[i];
	if (x == NULL)
		snprintf(buf, len, "%s; nothing was written", j->link_failed ?
		    "bus not connected" : "not sent");
	else {
		eng_xfer_msg(x, j->link_failed, buf, len);
		snprintf(buf + strlen(buf), len - strlen(buf), " identifying "
		    "the unit; nothing was written");
	}
}

static void
eng_req_done(struct engine *eng, struct ebus *eb, struct bus_job *j)
{
	struct eng_req		*rq = j->ctx;
	struct meter		*m = &eng->meters[j->meter];
	const struct bus_xfer	*x;
	struct poll_result	 r;
	enum meter_idv		 idv;
	char			 msg[128];
	int			 i;

	eng_result_of(j, &r);
	eng_bus_count(eb, j);
	idv = meter_apply_job(m, &r, clock_mono_ms());
	if (j->kind == JOB_WRITE) {
		x = &j->x[j->nx - 1];
		if (j->identify && idv != MI_E34 && !x->ran)
			eng_write_ident_msg(m, j, idv, msg, sizeof msg);
		else
			eng_xfer_msg(x, j->link_failed, msg, sizeof msg);
		if (rq->write_cb != NULL)
			rq->write_cb(rq->arg, x->ran &&
			    x->outcome == ST_ANSWER ? 0 : -1, msg);
	} else {
		for (i = 0; i < rq->nops; i++) {
			struct engine_op *op = &rq->ops[i];

			op->outcome = j->x[i].ran ? (int)j->x[i].outcome : ST_IO;
			op->exc_code = j->x[i].exc_code;
			op->lat_us = j->x[i].lat_us;
			if (!op->write && j->x[i].ran &&
			    j->x[i].outcome == ST_ANSWER)
				memcpy(op->words, j->x[i].words,
				    (size_t)op->count * sizeof op->words[0]);
		}
		if (rq->ops_cb != NULL)
			rq->ops_cb(rq->arg, rq->ops, rq->nops);
	}
	free(rq);
}

/* A job came back from a bus worker (loop thread). */
static void
eng_job_done(void *arg, struct bus_job *j)
{
	struct ebus		*eb = arg;
	struct engine		*eng = eb->eng;
	struct mstate		*ms = &eng->ms[j->meter];
	struct poll_result	 r;

	switch (j->kind) {
	case JOB_CYCLE:		/* ms->job: not freed */
		ms->busy = 0;
		if (!eng->stopping)
			eng_cycle_done(ms, eb, j);
		break;
	case JOB_PROBE:
		ms->busy = 0;
		eng_bus_count(eb, j);
		if (!eng->stopping) {
			eng_bus_refresh(eng, eb);
			eng_result_of(j, &r);
			eng_arm(ms, meter_apply_probe(&eng->meters[j->meter],
			    &r));
		}
		break;
	case JOB_WRITE:
	case JOB_OPS:
		eng_req_done(eng, eb, j);
		free(j);
		break;
	}
}

/* The registers a meter keeps: those some set of the plan reads (issue 12:
 * a register never read takes no storage); a trend for the fast set's. */
static void
eng_layout_init(struct meter_layout *l, const struct poll_plan *p,
    int trends)
{
	const struct poll_set	*sets[] = { &p->fast, &p->slow, &p->info,
				    &p->magic, &p->name };
	size_t			 k;
	int			 i, j;

	meter_layout_init(l);
	for (k = 0; k < sizeof sets / sizeof sets[0]; k++)
		for (i = 0; i < sets[k]->nreq; i++)
			for (j = 0; j < sets[k]->req[i].nids; j++)
				meter_layout_add(l, sets[k]->req[i].ids[j],
				    trends && k == 0);
}

/* Allocate the engine, its meters and buses; nothing runs before start. */
struct engine *
engine_new(struct ev_loop *loop, const struct config *cfg, struct err *e)
{
	return engine_new_flags(loop, cfg, 0, e);
}

struct engine *
engine_new_flags(struct ev_loop *loop, const struct config *cfg,
    unsigned flags, struct err *e)
{
	struct engine	*eng;
	int64_t		 now = clock_mono_ms();
	int		 i, n;

	if ((eng = calloc(1, sizeof *eng)) == NULL)
		goto nomem;
	eng->loop = loop;
	eng->cfg = cfg;
	eng->round_no = 1;
	eng->round_left = cfg->nmeters;
	n = cfg->nmeters > 0 ? cfg->nmeters : 1;
	eng->meters = calloc((size_t)n, sizeof *eng->meters);
	eng->ms = calloc((size_t)n, sizeof *eng->ms);
	eng->buses = calloc(cfg->nbuses > 0 ? (size_t)cfg->nbuses : 1,
	    sizeof *eng->buses);
	if (eng->meters == NULL || eng->ms == NULL || eng->buses == NULL)
		goto nomem;
	if (poll_plan_init(&eng->plan, e) == -1)
		goto fail;
	eng_layout_init(&eng->layout, &eng->plan,
	    !(flags & ENGINE_NO_TRENDS));
	/* the words of the largest cycle: every set once */
	eng->plan_words = eng->plan.magic.words + eng->plan.name.words +
	    eng->plan.info.words + eng->plan.fast.words + eng->plan.slow.words;
	if ((eng->words = calloc((size_t)n * (size_t)eng->plan_words,
	    sizeof *eng->words)) == NULL)
		goto nomem;
	for (i = 0; i < cfg->nbuses; i++) {
		struct ebus *eb = &eng->buses[i];

		eb->eng = eng;
		eb->index = i;
		eb->view.conf = &cfg->buses[i];
		stats_init(&eb->view.stats, now);
		if ((eb->bus = malloc(sizeof *eb->bus)) == NULL)
			goto nomem;
		if (bus_init(eb->bus, loop, &cfg->buses[i], eng_job_done, eb,
		    e) == -1) {
			free(eb->bus);
			eb->bus = NULL;
			goto fail;
		}
	}
	for (i = 0; i < cfg->nmeters; i++) {
		struct mstate *ms = &eng->ms[i];
		struct ebus *eb = &eng->buses[cfg->meters[i].bus];

		if (meter_init_layout(&eng->meters[i], &cfg->meters[i],
		    &eng->layout, i, now) == -1)
			goto nomem;
		ms->eng = eng;
		ms->index = i;
		ms->words = eng->words + (size_t)i * (size_t)eng->plan_words;
		ev_timer_init(&ms->poll, eng_poll_cb, 0.,
		    cfg->meters[i].poll_ms / 1000.0);
		ev_timer_init(&ms->probe, eng_probe_cb, 1., 0.);
		eb->view.nmeters++;
		if (eb->view.wanted_ms == 0 ||
		    cfg->meters[i].poll_ms < eb->view.wanted_ms)
			eb->view.wanted_ms = cfg->meters[i].poll_ms;
	}
	for (i = 0; i < cfg->nbuses; i++)
		eng->buses[i].view.wire_round_us = engine_round_wire_us(
		    &cfg->buses[i], eng->buses[i].view.nmeters);
	return eng;
nomem:
	err_set(e, "engine: %s", strerror(ENOMEM));
fail:
	engine_free(eng);
	return NULL;
}

/* Start the workers and every meter's timer (first poll right away). */
int
engine_start(struct engine *eng, struct err *e)
{
	int	i;

	if (eng->started)
		return 0;
	for (i = 0; i < eng->cfg->nbuses; i++)	/* a bus taken over runs */
		if (bus_start(eng->buses[i].bus, e) == -1) {
			engine_stop(eng);
			return -1;
		}
	eng->started = 1;
	for (i = 0; i < eng->cfg->nmeters; i++) {
		ev_timer_start(eng->loop, &eng->ms[i].poll);
		if (eng->meters[i].offline)	/* taken over given up */
			eng_arm(&eng->ms[i], (struct meter_next){
			    .action = MA_PROBE,
			    .delay_ms = eng->meters[i].probe_ms });
	}
	return 0;
}

/* Stop scheduling: the timers, and results are not applied any more. */
static void
eng_halt(struct engine *eng)
{
	int	i;

	if (eng->stopping)
		return;
	eng->stopping = 1;
	for (i = 0; eng->ms != NULL && i < eng->cfg->nmeters; i++) {
		ev_timer_stop(eng->loop, &eng->ms[i].poll);
		ev_timer_stop(eng->loop, &eng->ms[i].probe);
	}
}

/* Every worker is asked first, then each joined: the wait is the longest
 * request in progress, not their sum. */
void
engine_stop(struct engine *eng)
{
	int	i;

	if (eng == NULL)
		return;
	eng_halt(eng);
	for (i = 0; i < eng->cfg->nbuses; i++)
		if (eng->buses[i].bus != NULL)
			bus_quit(eng->buses[i].bus);
	for (i = 0; i < eng->cfg->nbuses; i++)
		if (eng->buses[i].bus != NULL)
			bus_stop(eng->buses[i].bus);
}

void
engine_free(struct engine *eng)
{
	int	i;

	if (eng == NULL)
		return;
	if (eng->buses != NULL) {
		engine_stop(eng);
		for (i = 0; i < eng->cfg->nbuses; i++)
			if (eng->buses[i].bus != NULL) {
				bus_release(eng->buses[i].bus);
				free(eng->buses[i].bus);
			}
	}
	for (i = 0; eng->meters != NULL && i < eng->cfg->nmeters; i++)
		meter_release(&eng->meters[i]);
	free(eng->meters);
	free(eng->words);
	free(eng->ms);
	free(eng->buses);
	free(eng);
}

/*
 * Which bus of old each bus of eng keeps (from[i], -1 for none): one of
 * the same link (bus_link_same) whose worker runs, the one of the same name
 * first, then any (a bus renamed). taken[k]: old's bus k is kept.
 */
static void
eng_match_buses(const struct engine *eng, const struct engine *old,
    int *from, int *taken)
{
	const struct config	*nc = eng->cfg, *oc = old->cfg;
	int			 usable[CONFIG_MAX_BUSES];
	int			 i, k, pass;

	for (k = 0; k < oc->nbuses; k++) {
		taken[k] = 0;
		usable[k] = old->buses[k].bus != NULL &&
		    bus_running(old->buses[k].bus);
	}
	for (i = 0; i < nc->nbuses; i++)
		from[i] = -1;
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < nc->nbuses; i++)
			for (k = 0; from[i] < 0 && k < oc->nbuses; k++)
				if (usable[k] && !taken[k] &&
				    bus_link_same(&oc->buses[k], &nc->buses[i]) &&
				    (pass == 1 || strcmp(oc->buses[k].name,
				    nc->buses[i].name) == 0)) {
					from[i] = k;
					taken[k] = 1;
				}
}

/*
 * Bus fr of the old engine becomes bus to of the new one: its worker,
 * connection and line statistics. The fresh bus engine_new made for to,
 * never started, is released.
 */
static void
eng_take_bus(struct ebus *to, struct ebus *fr)
{
	struct bus	*fresh = to->bus;

	bus_hand_over(fr->bus, to->view.conf, eng_job_done, to);
	to->bus = fr->bus;
	fr->bus = NULL;
	bus_release(fresh);
	free(fresh);
	to->view.stats = fr->view.stats;
	to->plain_cycles = fr->plain_cycles;
	to->plain_run_us = fr->plain_run_us;
	to->plain_wire_us = fr->plain_wire_us;
}

/*
 * A meter of eng on a bus taken over, at an address a meter of old had on
 * it, is the same device on the same connection: its state (values and
 * statistics, identification, status and back-off) comes over, so it is
 * not identified again and keeps its history. The two structs swap, so
 * each engine still frees what it holds. Returns how many came over.
 */
static int
eng_take_meters(struct engine *eng, struct engine *old, const int *from)
{
	const struct config	*nc = eng->cfg, *oc = old->cfg;
	unsigned char		 taken[CONFIG_MAX_METERS];
	struct meter		 tmp;
	int			 i, j, n = 0;

	/* the same plan makes the same layout; if not, nothing to share */
	if (memcmp(eng->layout.slot, old->layout.slot,
	    sizeof eng->layout.slot) != 0 || memcmp(eng->layout.tslot,
	    old->layout.tslot, sizeof eng->layout.tslot) != 0 ||
	    eng->layout.nslots != old->layout.nslots ||
	    eng->layout.ntrends != old->layout.ntrends)
		return 0;
	memset(taken, 0, sizeof taken);
	for (i = 0; i < nc->nmeters; i++) {
		if (from[nc->meters[i].bus] < 0)
			continue;
		for (j = 0; j < oc->nmeters; j++)
			if (!taken[j] && oc->meters[j].bus ==
			    from[nc->meters[i].bus] &&
			    oc->meters[j].address == nc->meters[i].address)
				break;
		if (j == oc->nmeters)
			continue;
		taken[j] = 1;
		tmp = eng->meters[i];
		eng->meters[i] = old->meters[j];
		old->meters[j] = tmp;
		eng->meters[i].conf = &nc->meters[i];
		eng->meters[i].index = i;
		eng->meters[i].layout = &eng->layout;
		old->meters[j].conf = &oc->meters[j];
		old->meters[j].index = j;
		old->meters[j].layout = &old->layout;
		eng->ms[i].overruns = old->ms[j].overruns;
		eng->ms[i].last_run_us = old->ms[j].last_run_us;
		eng->ms[i].slow_next_ms = old->ms[j].slow_next_ms;
		n++;
	}
	return n;
}

/* The bus of cfg named name, or -1. */
static int
eng_bus_named(const struct config *cfg, const char *name)
{
	int	i;

	for (i = 0; i < cfg->nbuses; i++)
		if (strcmp(cfg->buses[i].name, name) == 0)
			return i;
	return -1;
}

/* What became of each bus, for the log (engine_take_over). */
static void
eng_take_summary(const struct engine *eng, const struct engine *old,
    const int *from, const int *taken, int nmeters, char *sum, size_t len)
{
	const struct config	*nc = eng->cfg, *oc = old->cfg;
	const struct bus_conf	*nb, *ob;
	char			 ch[160];
	int			 i, k, renamed;

	sum[0] = '\0';
	for (i = 0; i < nc->nbuses; i++) {
		nb = &nc->buses[i];
		if (from[i] >= 0) {
			ob = &oc->buses[from[i]];
			bus_conf_changes(ob, nb, ch, sizeof ch);
			renamed = strcmp(ob->name, nb->name) != 0;
			msg_list_add(sum, len,
			    "bus %s kept (connection open%s%s%s%s)", nb->name,
			    renamed ? "; was bus " : "", renamed ? ob->name : "",
			    ch[0] ? "; " : "", ch);
		} else if ((k = eng_bus_named(oc, nb->name)) >= 0 &&
		    !taken[k]) {
			bus_conf_changes(&oc->buses[k], nb, ch, sizeof ch);
			msg_list_add(sum, len, "bus %s reopened (%s)", nb->name,
			    ch[0] ? ch : "connection made anew");
		} else
			msg_list_add(sum, len, "bus %s opened", nb->name);
	}
	for (k = 0; k < oc->nbuses; k++)
		if (!taken[k] && eng_bus_named(nc, oc->buses[k].name) < 0)
			msg_list_add(sum, len, "bus %s closed",
			    oc->buses[k].name);
	if (sum[0] == '\0')
		snprintf(sum, len, "no bus");
	if (strlen(sum) + 40 < len)
		snprintf(sum + strlen(sum), len - strlen(sum), "; %d meter%s "
		    "kept %s state", nmeters, nmeters == 1 ? "" : "s",
		    nmeters == 1 ? "its" : "their");
}

/* A configuration reload: take over what old can give (see engine.h). */
void
engine_take_over(struct engine *eng, struct engine *old, char *sum,
    size_t len)
{
	int	from[CONFIG_MAX_BUSES], taken[CONFIG_MAX_BUSES];
	int	i, n;

	eng_halt(old);	/* a cycle cut short is not applied to its meter */
	eng_match_buses(eng, old, from, taken);
	for (i = 0; i < eng->cfg->nbuses; i++)	/* every worker at once */
		if (from[i] >= 0)
			bus_pause(old->buses[from[i]].bus);
	for (i = 0; i < eng->cfg->nbuses; i++)
		if (from[i] >= 0)
			eng_take_bus(&eng->buses[i], &old->buses[from[i]]);
	n = eng_take_meters(eng, old, from);
	for (i = 0; i < eng->cfg->nbuses; i++)
		if (from[i] >= 0)
			eng_bus_refresh(eng, &eng->buses[i]);
	engine_stop(old);	/* the buses not kept close */
	if (sum != NULL && len > 0)
		eng_take_summary(eng, old, from, taken, n, sum, len);
}

int
engine_add_consumer(struct engine *eng, const struct consumer_ops *ops,
    void *state)
{
	if (eng->nconsumers == ENGINE_MAX_CONSUMERS)
		return -1;
	eng->consumers[eng->nconsumers].ops = ops;
	eng->consumers[eng->nconsumers].state = state;
	eng->nconsumers++;
	return 0;
}

/* The console's single callback, kept as a consumer of its own. */
static void
eng_legacy_cycle(void *state, const struct meter *m)
{
	struct engine	*eng = state;

	eng->cycle_cb(eng->cycle_arg, m);
}

static const struct consumer_ops eng_legacy_ops = {
	.name = "console",
	.cycle = eng_legacy_cycle,
};

void
engine_on_cycle(struct engine *eng, engine_cycle_cb *cb, void *arg)
{
	eng->cycle_cb = cb;
	eng->cycle_arg = arg;
	engine_add_consumer(eng, &eng_legacy_ops, eng);
}

int
engine_meter_fresh(const struct engine *eng, int i, int64_t now_ms)
{
	const struct meter	*m = &eng->meters[i];
	const struct bus_view	*bv = &eng->buses[m->conf->bus].view;
	int64_t			 period = m->conf->poll_ms;

	if (bv->achievable_ms > period)
		period = bv->achievable_ms;
	return meter_fresh(m, now_ms, period, bv->conf->timeout_ms);
}

int
engine_nmeters(const struct engine *eng)
{
	return eng->cfg->nmeters;
}

const struct meter *
engine_meter(const struct engine *eng, int i)
{
	if (i < 0 || i >= eng->cfg->nmeters)
		return NULL;
	return &eng->meters[i];
}

int
engine_nbuses(const struct engine *eng)
{
	return eng->cfg->nbuses;
}

const struct bus_view *
engine_bus(const struct engine *eng, int i)
{
	if (i < 0 || i >= eng->cfg->nbuses)
		return NULL;
	return &eng->buses[i].view;
}

int
engine_hold_bus(struct engine *eng, int b, int on, void (*released)(void *),
    void *arg)
{
	int	i;

	if (eng == NULL || b < 0 || b >= eng->cfg->nbuses ||
	    eng->buses[b].bus == NULL)
		return -1;
	bus_hold(eng->buses[b].bus, on, released, arg);
	/* the line was someone else's: whoever answers now, identify it */
	for (i = 0; !on && i < eng->cfg->nmeters; i++)
		if (eng->cfg->meters[i].bus == b)
			engine_reidentify(eng, i);
	return 0;
}

/* Identify meter i again now (see engine.h). */
int
engine_reidentify(struct engine *eng, int meter)
{
	struct mstate	*ms;
	struct meter	*m;

	if (eng == NULL || meter < 0 || meter >= eng->cfg->nmeters)
		return -1;
	ms = &eng->ms[meter];
	m = &eng->meters[meter];
	meter_reidentify(m);
	if (!eng->started || eng->stopping || ms->busy)
		return 0;	/* the cycle or probe in flight, then it */
	if (m->offline) {
		ev_timer_stop(eng->loop, &ms->probe);
		eng_submit_probe(ms);
		return 0;
	}
	if (eng->batch_cycles && ms->batch_n >= eng->batch_cycles)
		return 0;
	ev_timer_stop(eng->loop, &ms->poll);
	ev_timer_set(&ms->poll, 0., m->conf->poll_ms / 1000.0);
	ev_timer_start(eng->loop, &ms->poll);
	return 0;
}

const struct config *
engine_config(const struct engine *eng)
{
	return eng->cfg;
}

void
engine_set_batch(struct engine *eng, int cycles, int with_slow)
{
	eng->batch_cycles = cycles > 0 ? cycles : 1;
	eng->batch_slow = with_slow;
}

int
engine_batch_done(const struct engine *eng)
{
	int	i;

	for (i = 0; i < eng->cfg->nmeters; i++)
		if (eng->ms[i].batch_n < eng->batch_cycles)
			return 0;
	return 1;
}

uint64_t
engine_meter_overruns(const struct engine *eng, int meter)
{
	if (meter < 0 || meter >= eng->cfg->nmeters)
		return 0;
	return eng->ms[meter].overruns;
}

int
engine_bus_ever_open(const struct engine *eng, int bus)
{
	int		connected;
	unsigned	gen;

	if (bus < 0 || bus >= eng->cfg->nbuses)
		return 0;
	bus_conn_state(eng->buses[bus].bus, &connected, NULL, 0, &gen);
	return gen > 0;
}

void
engine_bus_cycle_time(const struct engine *eng, int bus, uint64_t *cycles,
    uint64_t *run_us, uint64_t *wire_us)
{
	const struct ebus	*eb = &eng->buses[bus];

	*cycles = eb->plain_cycles;
	*run_us = eb->plain_run_us;
	*wire_us = eb->plain_wire_us;
}

const struct poll_plan *
engine_plan(const struct engine *eng)
{
	return &eng->plan;
}

/*
 * A write goes only to a unit identified as an E34 on the current
 * connection: refuse it when the model says otherwise (foreign, not yet
 * identified, identification due after a reconnect or an outage).
 */
static int
eng_write_target_ok(struct engine *eng, int meter, struct err *e)
{
	const struct meter	*m = &eng->meters[meter];

	if (m->status == MS_NOT_E34 || (m->ident.done && !m->ident.is_e34))
		return err_set(e, "write refused: unit %d is not a COUNTIS "
		    "E34 (it identifies as \"%s\")", m->conf->address,
		    m->ident.ext_name[0] ? m->ident.ext_name : "another "
		    "product");
	if (!m->ident.done || m->need_ident || m->offline)
		return err_set(e, "write refused: unit %d is not identified "
		    "as a COUNTIS E34 on this connection yet",
		    m->conf->address);
	return 0;
}

/* Queue a guarded job for meter i; rq travels with it. */
static int
eng_submit_req(struct engine *eng, int meter, struct bus_job *j,
    enum bus_write_kind kind, int confirmed, struct eng_req *rq,
    struct err *e)
{
	j->meter = meter;
	j->unit = eng->cfg->meters[meter].address;
	if (bus_job_guard(j, kind, eng->cfg->writes, confirmed, e) == -1)
		return -1;
	if (!eng->started || eng->stopping)
		return err_set(e, "the engine is not running");
	if (kind == BUS_WRITE_OPERATOR &&
	    eng_write_target_ok(eng, meter, e) == -1)
		return -1;
	j->ctx = rq;
	bus_submit(eng_bus_of(eng, meter)->bus, j);
	return 0;
}

static int
eng_write(struct engine *eng, int meter, int addr, const uint16_t *words,
    int count, int fc16, int confirmed, engine_write_cb *cb, void *arg,
    struct err *e)
{
	struct eng_job_room *room;
	struct bus_job	*j;
	struct eng_req	*rq;
	struct bus_xfer	*x;
	uint16_t	*w;

	if (meter < 0 || meter >= eng->cfg->nmeters)
		return err_set(e, "write refused: no meter %d", meter);
	room = calloc(1, sizeof *room);
	rq = calloc(1, sizeof *rq);
	if (room == NULL || rq == NULL) {
		free(room);
		free(rq);
		return err_set(e, "write: %s", strerror(ENOMEM));
	}
	j = &room->j;
	w = room->words[0];
	/*
	 * Identify in the same job, right before the write frame: the unit
	 * at that address may have been swapped since the last cycle; the
	 * bus stops the job (nothing written) unless it still reads "SOCO"
	 * and an E34's extended name.
	 */
	j->kind = JOB_WRITE;
	j->identify = 1;
	j->gate = eng_ident_gate;
	eng_job_add_set(j, &eng->plan.magic, &w);
	eng_job_add_set(j, &eng->plan.name, &w);
	x = &j->x[j->nx++];
	x->write = 1;
	x->fc16 = fc16;
	x->addr = addr;
	x->count = count;
	x->words = w;
	memcpy(x->words, words, (size_t)count * sizeof *words);
	rq->write_cb = cb;
	rq->arg = arg;
	if (eng_submit_req(eng, meter, j, BUS_WRITE_OPERATOR, confirmed, rq,
	    e) == -1) {
		free(j);
		free(rq);
		return -1;
	}
	return 0;
}

int
engine_write_tariff(struct engine *eng, int meter, int tariff, int confirmed,
    engine_write_cb *cb, void *arg, struct err *e)
{
	uint16_t	w;

	if (tariff < 1 || tariff > 4)
		return err_set(e, "write refused: tariff %d (1 to 4)", tariff);
	w = (uint16_t)tariff;
	/* FC06 to the tariff number register (leaflet: FC06 or FC16). */
	return eng_write(eng, meter, regmap_get(REG_SET_TARIFF)->addr, &w, 1,
	    0, confirmed, cb, arg, e);
}

int
engine_write_clock(struct engine *eng, int meter, const int dmyhms[6],
    int confirmed, engine_write_cb *cb, void *arg, struct err *e)
{
	static const int	lo[6] = { 1, 1, 2000, 0, 0, 0 };
	static const int	hi[6] = { 31, 12, 2099, 23, 59, 59 };
	static const char	*name[6] = { "day", "month", "year", "hour",
				    "minute", "second" };
	uint16_t		w[6];
	int			i;

	for (i = 0; i < 6; i++) {
		if (dmyhms[i] < lo[i] || dmyhms[i] > hi[i])
			return err_set(e, "write refused: %s %d (%d to %d)",
			    name[i], dmyhms[i], lo[i], hi[i]);
		w[i] = (uint16_t)dmyhms[i];
	}
	/* register map: year as years since 2000 (INFERRED, Connexo). */
	w[2] = (uint16_t)(dmyhms[2] - 2000);
	/* All 6 words at once with FC16 (register map). */
	return eng_write(eng, meter, regmap_get(REG_DAY)->addr, w, 6, 1,
	    confirmed, cb, arg, e);
}

int
engine_submit_ops(struct engine *eng, int meter, struct engine_op *ops,
    int nops, engine_ops_cb *cb, void *arg, struct err *e)
{
	struct eng_job_room *room;
	struct bus_job	*j;
	struct eng_req	*rq;
	int		 i;

	if (meter < 0 || meter >= eng->cfg->nmeters)
		return err_set(e, "transaction refused: no meter %d", meter);
	if (nops < 1 || nops > BUS_JOB_MAX)
		return err_set(e, "transaction refused: %d operations (1 to "
		    "%d)", nops, BUS_JOB_MAX);
	for (i = 0; i < nops; i++)
		if (!ops[i].write && (ops[i].count < 1 ||
		    ops[i].count > BUS_MAX_WORDS ||
		    !regmap_e34_readable(ops[i].addr, ops[i].count)))
			return err_set(e, "transaction refused: 0x%04X x%d is "
			    "not readable on an E34", ops[i].addr,
			    ops[i].count);
	room = calloc(1, sizeof *room);
	rq = calloc(1, sizeof *rq);
	if (room == NULL || rq == NULL) {
		free(room);
		free(rq);
		return err_set(e, "transaction: %s", strerror(ENOMEM));
	}
	j = &room->j;
	j->kind = JOB_OPS;
	j->nx = nops;
	for (i = 0; i < nops; i++) {
		j->x[i].words = room->words[i];
		j->x[i].write = ops[i].write;
		j->x[i].fc16 = 1;	/* the table allows FC16 only on 0xF000 */
		j->x[i].addr = ops[i].addr;
		j->x[i].count = ops[i].count;
		if (ops[i].write)
			memcpy(j->x[i].words, ops[i].words,
			    (size_t)ops[i].count * sizeof ops[i].words[0]);
	}
	rq->ops_cb = cb;
	rq->arg = arg;
	rq->ops = ops;
	rq->nops = nops;
	if (eng_submit_req(eng, meter, j, BUS_WRITE_LC_POINTER, 0, rq,
	    e) == -1) {
		free(j);
		free(rq);
		return -1;
	}
	return 0;
}

uint32_t
engine_round_wire_us(const struct bus_conf *b, int nmeters)
{
	struct poll_plan	p;
	struct err		e;
	uint64_t		us;

	if (poll_plan_init(&p, &e) == -1)
		return 0;
	us = (uint64_t)poll_set_wire_us(b, &p.fast) * (uint64_t)nmeters;
	return us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
}

/* The plan of one E34 at bus b's speed (--check-config -v). */
void
engine_print_plan(const struct bus_conf *b, FILE *fp)
{
	struct poll_plan	p;
	struct err		e;
	const struct poll_set	*sets[4];
	static const char	*when[4] = { "every poll",
				    "at start, then every 60 s",
				    "once an E34 is identified",
				    "at start, after a reconnect or an "
				    "offline meter's return" };
	uint32_t		us;
	int			i;

	if (poll_plan_init(&p, &e) == -1) {
		fprintf(fp, "poll plan: %s\n", e.msg);
		return;
	}
	sets[0] = &p.fast;
	sets[1] = &p.slow;
	sets[2] = &p.info;
	sets[3] = &p.magic;
	if (bus_has_line(b))
		fprintf(fp, "  poll plan of one E34 at %d baud 8%c%d (%ld us a "
		    "character, silent interval %u us):\n", b->baud,
		    b->parity ? b->parity : 'N', b->stop_bits, bus_char_us(b),
		    poll_t35_us(b));
	else
		fprintf(fp, "  poll plan of one E34 (TCP: no wire time):\n");
	for (i = 0; i < 4; i++) {
		us = poll_set_wire_us(b, sets[i]);
		if (i == 3)
			us += poll_set_wire_us(b, &p.name);
		fprintf(fp, "  %s (%s): %d requests, %d words, %u.%02u ms\n",
		    sets[i]->name, when[i], sets[i]->nreq + (i == 3),
		    sets[i]->words + (i == 3 ? p.name.words : 0),
		    us / 1000, (us % 1000) / 10);
		poll_set_print(b, sets[i], fp);
		if (i == 3)
			poll_set_print(b, &p.name, fp);
	}
}
