/*
 * sim-tcp.h: Modbus TCP for countis-sim (--tcp [HOST:]PORT), as a gateway
 * in front of the simulated units would answer: several clients at once,
 * MBAP frames, the unit id byte selecting the meter; a unit id not served
 * answers exception 0x0B (gateway target failed to respond). No pacing.
 * A dead unit sends nothing; slow delays the answer; crc does nothing (TCP
 * has no CRC).
 */
#ifndef SIM_TCP_H
#define SIM_TCP_H

#include <poll.h>
#include <stdint.h>

#include "err.h"
#include "sim-opts.h"

struct sim;
struct sim_tcp;

/*
 * Listen on o's host and port (non-blocking): the fd, with name "WHAT
 * HOST:PORT" (the port actually bound), or -1 with e->code EXIT_NOINPUT
 * naming --WHAT. sim-rtu.c's --rtu-tcp listens through it too.
 */
int		 sim_tcp_listen(const struct sim_opts *, const char *what,
		    char *name, size_t len, struct err *e);
/* Listen. NULL with e->code EXIT_NOINPUT when the port cannot be bound. */
struct sim_tcp	*sim_tcp_open(const struct sim_opts *, struct err *e);
void		 sim_tcp_free(struct sim_tcp *);
/* "tcp 127.0.0.1:5020" with the port actually bound. */
const char	*sim_tcp_name(const struct sim_tcp *);
int		 sim_tcp_pollfds(struct sim_tcp *, struct pollfd *, int max);
int64_t		 sim_tcp_deadline(const struct sim_tcp *);
void		 sim_tcp_run(struct sim_tcp *, struct sim *,
		    const struct pollfd *pfd, int n, int64_t now_ns);

#endif
