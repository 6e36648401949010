/*
 * exporters.c: the table of exporters (consumer.h) and their life cycle,
 * shared by the console and --headless. Adding an exporter is one file in
 * src/export/ plus one line in the table below.
 */
#include <string.h>

#include "consumer.h"
#include "engine.h"
#include "err.h"
#include "mqtt.h"
#include "prometheus.h"

static const struct exporter_ops *const exporter_table[] = {
	&exporter_prometheus,
	&exporter_mqtt,
	NULL
};

/* Open every configured exporter; on failure close what was opened. */
int
exporters_open(struct exporters *x, struct ev_loop *loop, struct engine *eng,
    const struct config *cfg, struct err *e)
{
	const struct exporter_ops	*ops;
	int				 i;

	memset(x, 0, sizeof *x);
	for (i = 0; (ops = exporter_table[i]) != NULL; i++) {
		if (ops->open(&x->state[i], loop, eng, cfg, e) == -1)
			goto fail;
		if (x->state[i] == NULL)
			continue;
		if (engine_add_consumer(eng, ops->consumer, x->state[i]) == -1) {
			err_set(e, "%s: too many consumers", ops->name);
			goto fail;
		}
	}
	return 0;
fail:
	exporters_close(x);
	return -1;
}

/* Carry over, close and open the exporters for a reload (consumer.h). */
int
exporters_reopen(struct exporters *x, struct ev_loop *loop, struct engine *eng,
    const struct config *cfg, struct err *e)
{
	const struct exporter_ops	*ops;
	int				 i;

	for (i = 0; (ops = exporter_table[i]) != NULL; i++) {
		if (x->state[i] != NULL && (ops->rebind == NULL ||
		    ops->rebind(x->state[i], eng, cfg) == -1)) {
			ops->close(x->state[i]);	/* before its successor */
			x->state[i] = NULL;
		}
		if (x->state[i] == NULL && ops->open(&x->state[i], loop, eng,
		    cfg, e) == -1)
			goto fail;
		if (x->state[i] != NULL && engine_add_consumer(eng,
		    ops->consumer, x->state[i]) == -1) {
			err_set(e, "%s: too many consumers", ops->name);
			goto fail;
		}
	}
	return 0;
fail:
	exporters_close(x);
	return -1;
}

/* Close every exporter that runs (the engine must be stopped first). */
void
exporters_close(struct exporters *x)
{
	const struct exporter_ops	*ops;
	int				 i;

	for (i = 0; (ops = exporter_table[i]) != NULL; i++) {
		if (x->state[i] != NULL)
			ops->close(x->state[i]);
		x->state[i] = NULL;
	}
}
