/*
 * sim.h: countis-sim's one context. main() owns a struct sim; the
 * transports (sim-rtu.c, sim-tcp.c), the control socket (sim-control.c) and
 * the request handler (sim-pdu.c) reach the units and the log through it.
 */
#ifndef SIM_H
#define SIM_H

#include <stdint.h>

#include "sim-opts.h"
#include "sim-unit.h"

struct sim_rtu;
struct sim_tcp;
struct sim_control;

struct sim {
	struct sim_opts		 opts;
	struct sim_site		 site;
	struct sim_unit		*units[SIM_UNIT_MAX + 1];	/* NULL: not
								   served */
	uint64_t		 rng;		/* crc fault draws */
	struct sim_rtu		*rtu;
	struct sim_tcp		*tcp;
	struct sim_control	*ctl;
};

/* One line "countis-sim: ..." on stderr. */
void	sim_log(const struct sim *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Same, only with -v. */
void	sim_debug(const struct sim *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* The served unit id, or NULL. */
struct sim_unit	*sim_unit(const struct sim *, int id);
/* The site's time now: real time, moved by --start (Unix s). */
double	sim_now(const struct sim *);
/* Bring every unit's counters and curve up to now. */
void	sim_advance_all(struct sim *, double now);
/* 1 with probability pct percent (crc fault). */
int	sim_chance(struct sim *, int pct);
/* A draw in [0, n). */
unsigned sim_rand_below(struct sim *, unsigned n);

#endif
