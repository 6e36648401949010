/*
 * prometheus.h: the Prometheus exporter (src/export/prometheus.c), a
 * consumer of the engine turned on by a [prometheus] section. It renders
 * the text exposition format from the model on the loop thread, at every
 * poll round, and hands it to an HTTP server thread (libmicrohttpd) and/or
 * writes it to a textfile for node_exporter. A scrape reads that text only:
 * it never sends a frame on a bus.
 */
#ifndef PROMETHEUS_H
#define PROMETHEUS_H

#include <stddef.h>
#include <stdint.h>

#include "consumer.h"

struct engine;

/* A growable text buffer: grows to the largest exposition, then stays. */
struct prom_buf {
	char		*s;
	size_t		 len, cap;
	int		 failed;	/* an allocation failed: incomplete */
	/* meter="m",bus="b",address="a" of each meter, made once per engine */
	const struct engine *labels_of;
	char		**labels;
	int		 nlabels;
};

/*
 * Render every meter and bus of eng into b (replacing its content), as of
 * the monotonic time now_ms. last_ok_wall_ms[i] is the UTC ms of meter i's
 * last good cycle (0: never), kept by the caller. Returns 0, or -1 when out
 * of memory.
 */
int	prom_format(struct prom_buf *b, const struct engine *eng,
	    const int64_t *last_ok_wall_ms, int64_t now_ms);
void	prom_buf_release(struct prom_buf *);

extern const struct exporter_ops exporter_prometheus;

#endif
