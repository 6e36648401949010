/*
 * consumer.h: what the engine publishes, and to whom.
 *
 * A consumer (the console's screens, the CSV writer, the recorder, an
 * exporter) is handed every completed poll cycle of every meter, on the loop
 * thread, after the model has applied it. It reads the meter through a const
 * pointer and must not keep it past the call except as the engine's own
 * pointer (engine_meter() stays valid until engine_free). It never judges
 * staleness itself: the model says whether a meter's values are fresh
 * (meter.h). A consumer must not block: it may queue, write a small file, or
 * hand work to its own thread.
 *
 * Adding a consumer is one file that defines a `const struct consumer_ops`
 * plus one line in the table of the run mode that wants it.
 */
#ifndef CONSUMER_H
#define CONSUMER_H

#include "engine.h"

struct meter;

struct consumer_ops {
	const char	*name;
	/* A meter completed a poll cycle (any outcome). Required. */
	void		(*cycle)(void *state, const struct meter *);
	/* Every meter's poll timer fired once since the last call: a poll
	 * round (e.g. rewrite a textfile). Optional. */
	void		(*round)(void *state);
};

/*
 * An exporter: a consumer that the configuration turns on (a [prometheus]
 * or [mqtt] section), run by the console and by --headless alike. open()
 * returns 0 with *state NULL when its section is absent, 0 with its state
 * when it runs, or -1 with e set (e->code an exit status). It may add loop
 * watchers; close() stops them and frees the state (NULL is fine).
 */
struct ev_loop;
struct engine;
struct config;
struct err;

struct exporter_ops {
	const char			*name;
	int				(*open)(void **state, struct ev_loop *,
					    struct engine *, const struct config *,
					    struct err *);
	void				(*close)(void *state);
	/*
	 * Optional, for a configuration reload: go on running, now for the
	 * new engine and configuration, keeping what the new section leaves
	 * unchanged (a listening socket). The engine it served is stopped
	 * but still allocated. Returns 0, or -1 when it cannot (the section
	 * is gone, or what it holds open changed): it is then closed and
	 * opened again.
	 */
	int				(*rebind)(void *state, struct engine *,
					    const struct config *);
	const struct consumer_ops	*consumer;
};

/* The exporters (src/export/exporters.c): one table line each. */
struct exporters {
	void	*state[ENGINE_MAX_CONSUMERS];
};
/* Open every configured exporter and add it to the engine's consumers. */
int	exporters_open(struct exporters *, struct ev_loop *, struct engine *,
	    const struct config *, struct err *);
void	exporters_close(struct exporters *);
/*
 * A reload: every running exporter that can (exporter_ops.rebind) goes on
 * for eng and cfg, the others are closed, then every one cfg turns on and
 * not running is opened, each added to eng's consumers. Returns 0, or -1
 * with e set and every exporter closed.
 */
int	exporters_reopen(struct exporters *, struct ev_loop *, struct engine *,
	    const struct config *, struct err *);

#endif
