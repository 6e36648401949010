/*
 * sim-opts.h: countis-sim's command line (PRODUCT.md, a contract that
 * scripts and tests rely on):
 *
 *   countis-sim --pty LINK | --serial DEVICE | --tcp [HOST:]PORT
 *               | --rtu-tcp [HOST:]PORT
 *               [--units LIST] [--baud B] [--parity none|even|odd]
 *               [--stop-bits 1|2] [--fault UNIT:KIND[=ARG]]...
 *               [--control PATH] [--seed N] [--speedup K]
 *               [--start TIME] [-v]
 *   countis-sim --help | --version
 */
#ifndef SIM_OPTS_H
#define SIM_OPTS_H

#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "sim-fault.h"

#define SIM_UNIT_MAX	247
#define SIM_FAULTS_MAX	256

enum sim_link { SIM_LINK_NONE, SIM_LINK_PTY, SIM_LINK_SERIAL, SIM_LINK_TCP,
	SIM_LINK_RTU_TCP };

struct sim_fault_spec {
	int			unit;
	struct sim_fault	fault;
};

struct sim_opts {
	enum sim_link		 link;
	const char		*path;		/* --pty LINK, --serial DEVICE */
	char			 host[256];	/* --tcp, --rtu-tcp: "" = every
						 * address */
	int			 port;		/* 0 = any free port */
	unsigned char		 units[SIM_UNIT_MAX + 1]; /* 1: served */
	int			 baud;		/* default 19200 */
	char			 parity;	/* 'N' 'E' 'O' */
	int			 stop_bits;	/* 1 or 2 */
	struct sim_fault_spec	 faults[SIM_FAULTS_MAX];
	int			 nfaults;
	const char		*control_path;	/* NULL: no control socket */
	uint64_t		 seed;
	int			 seed_set;
	double			 speedup;	/* >= 1 */
	double			 start;		/* --start: Unix s */
	int			 start_set;
	int			 verbose;
	int			 help;
	int			 version;
};

/*
 * Parse argv into o (defaults first). Returns 0, or -1 with e->code
 * EXIT_USAGE and a message naming the option and the value.
 */
int	sim_opts_parse(int argc, char **argv, struct sim_opts *o,
	    struct err *e);
/* Parse a unit list "1,5,10-12" into units[]. 0, or -1 naming the value. */
int	sim_opts_units(const char *list, unsigned char *units, struct err *e);
/* "1,5,10-12": the served units as a compact list. */
void	sim_opts_units_format(const unsigned char *units, char *buf,
	    size_t len);
void	sim_usage(FILE *);

#endif
