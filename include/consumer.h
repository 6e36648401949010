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

struct meter;

struct consumer_ops {
	const char	*name;
	/* A meter completed a poll cycle (any outcome). Required. */
	void		(*cycle)(void *state, const struct meter *);
	/* Every meter's poll timer fired once since the last call: a poll
	 * round (e.g. rewrite a textfile). Optional. */
	void		(*round)(void *state);
};

#endif
