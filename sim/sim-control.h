/*
 * sim-control.h: countis-sim's control socket (--control PATH), a Unix
 * stream socket taking one command per line from any number of clients:
 *
 *	UNIT KIND[=ARG]		add a fault (the words of --fault)
 *	UNIT:KIND[=ARG]		the same, spelt as on the command line
 *	UNIT clear		remove every fault of the unit
 *	UNIT tariff N		switch the active tariff (1..4)
 *	UNIT status		"ok faults: ...; tariff N"
 *
 * Each line gets one answer line: "ok" or "error: ...".
 */
#ifndef SIM_CONTROL_H
#define SIM_CONTROL_H

#include <poll.h>

#include "err.h"

struct sim;
struct sim_control;

/* Listen on path (an old socket there is replaced, anything else is not).
 * NULL with e->code EXIT_NOINPUT on failure. */
struct sim_control *sim_control_open(const char *path, struct err *e);
/* Close every client and remove the socket. NULL is fine. */
void	sim_control_free(struct sim_control *);
int	sim_control_pollfds(struct sim_control *, struct pollfd *, int max);
void	sim_control_run(struct sim_control *, struct sim *,
	    const struct pollfd *pfd, int n);
/* Run one command line; the answer (no newline) goes to out. */
void	sim_control_command(struct sim *, const char *line, char *out,
	    size_t len);

#endif
