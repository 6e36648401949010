/*
 * engine.c: the poll engine (stub until the workers land, issue 3).
 *
 * Holds the meters and the bus views so the console links and shows its
 * configuration; polling arrives with bus.c and poll.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"

struct engine {
	struct ev_loop		*loop;
	const struct config	*cfg;
	struct meter		*meters;
	struct bus_view		*buses;
	engine_cycle_cb		*cycle_cb;
	void			*cycle_arg;
};

/* Allocate the engine and its meters; nothing runs until engine_start. */
struct engine *
engine_new(struct ev_loop *loop, const struct config *cfg, struct err *e)
{
	struct engine	*eng;
	int		 i;

	if ((eng = calloc(1, sizeof *eng)) == NULL)
		goto fail;
	eng->loop = loop;
	eng->cfg = cfg;
	eng->meters = calloc(cfg->nmeters ? cfg->nmeters : 1, sizeof *eng->meters);
	eng->buses = calloc(cfg->nbuses ? cfg->nbuses : 1, sizeof *eng->buses);
	if (eng->meters == NULL || eng->buses == NULL)
		goto fail;
	for (i = 0; i < cfg->nmeters; i++) {
		eng->meters[i].conf = &cfg->meters[i];
		eng->meters[i].index = i;
	}
	for (i = 0; i < cfg->nbuses; i++)
		eng->buses[i].conf = &cfg->buses[i];
	return eng;
fail:
	engine_free(eng);
	err_set(e, "engine: %s", strerror(ENOMEM));
	return NULL;
}

int
engine_start(struct engine *eng, struct err *e)
{
	(void)eng;
	(void)e;
	return 0;
}

void
engine_stop(struct engine *eng)
{
	(void)eng;
}

void
engine_free(struct engine *eng)
{
	if (eng == NULL)
		return;
	free(eng->meters);
	free(eng->buses);
	free(eng);
}

void
engine_on_cycle(struct engine *eng, engine_cycle_cb *cb, void *arg)
{
	eng->cycle_cb = cb;
	eng->cycle_arg = arg;
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
	return &eng->buses[i];
}

const struct config *
engine_config(const struct engine *eng)
{
	return eng->cfg;
}

int64_t
engine_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
engine_wall_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
engine_write_tariff(struct engine *eng, int meter, int tariff, int confirmed,
    engine_write_cb *cb, void *arg, struct err *e)
{
	(void)eng; (void)meter; (void)tariff; (void)confirmed; (void)cb;
	(void)arg;
	return err_set(e, "writes are not available yet");
}

int
engine_write_clock(struct engine *eng, int meter, const int ymdhms[6],
    int confirmed, engine_write_cb *cb, void *arg, struct err *e)
{
	(void)eng; (void)meter; (void)ymdhms; (void)confirmed; (void)cb;
	(void)arg;
	return err_set(e, "writes are not available yet");
}

int
engine_submit_ops(struct engine *eng, int meter, struct engine_op *ops,
    int nops, engine_ops_cb *cb, void *arg, struct err *e)
{
	(void)eng; (void)meter; (void)ops; (void)nops; (void)cb; (void)arg;
	return err_set(e, "transactions are not available yet");
}

uint32_t
engine_round_wire_us(const struct bus_conf *b, int nmeters)
{
	(void)b;
	(void)nmeters;
	return 0;
}

void
engine_print_plan(const struct bus_conf *b, FILE *fp)
{
	(void)b;
	fprintf(fp, "poll plan: not available yet\n");
}
