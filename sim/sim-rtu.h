/*
 * sim-rtu.h: Modbus RTU for countis-sim, on a pseudo-terminal (--pty LINK),
 * a serial device (--serial DEVICE), or RTU over TCP (--rtu-tcp
 * [HOST:]PORT: a serial-to-Ethernet converter with the units on its line,
 * paced like the pty).
 *
 * Frames are cut by function code length and checked by CRC; a bad CRC, an
 * unserved unit or a dead one gets silence, as on a real bus. On a pty the
 * answer comes out no faster than the wire would carry it: one half-duplex
 * wire clock counts the request bytes, 3.5 characters of silence, then each
 * answer byte at (1 + 8 + parity + stop) bits / baud. A client whose line
 * speed (read back from the pty) differs gets no answer, as a real meter
 * would not understand it; a pty does not keep parity, so that is not
 * checked.
 */
#ifndef SIM_RTU_H
#define SIM_RTU_H

#include <poll.h>
#include <stdint.h>

#include "err.h"
#include "sim-opts.h"

struct sim;
struct sim_rtu;

/* Open the line. NULL with e->code EXIT_NOINPUT when it cannot be. */
struct sim_rtu	*sim_rtu_open(const struct sim_opts *, struct err *e);
/* Close the line and remove the --pty link. NULL is fine. */
void		 sim_rtu_free(struct sim_rtu *);
/* "pty /dev/pts/3 (LINK)" or "serial DEVICE", for the start line. */
const char	*sim_rtu_name(const struct sim_rtu *);
/* Fill at most max poll entries; returns how many. */
int		 sim_rtu_pollfds(struct sim_rtu *, struct pollfd *, int max);
/* Next monotonic time (ns) at which sim_rtu_run has work, or INT64_MAX. */
int64_t		 sim_rtu_deadline(const struct sim_rtu *);
/* Read, answer and pace; pfd are the entries filled by sim_rtu_pollfds. */
void		 sim_rtu_run(struct sim_rtu *, struct sim *,
		    const struct pollfd *pfd, int n, int64_t now_ns);

#endif
