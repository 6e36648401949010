/*
 * sim-fault.h: the faults countis-sim can inject into a unit, as typed in
 * --fault UNIT:KIND[=ARG] and on the control socket ("UNIT KIND[=ARG]").
 *
 * A unit holds a set of faults; several combine (slow and crc, reversed=1
 * and reversed=2, ...). Parsing only checks words and ranges; what a fault
 * does is up to the transport (dead, slow, crc), the request handler
 * (exception) and the meter model (foreign, reversed, vn-swap, phase-loss).
 */
#ifndef SIM_FAULT_H
#define SIM_FAULT_H

#include <stddef.h>

#include "err.h"

enum sim_fault_kind {
	FAULT_DEAD,		/* never answers */
	FAULT_SLOW,		/* =MS: answer MS milliseconds late */
	FAULT_CRC,		/* =PERCENT: corrupt that share of RTU answers */
	FAULT_EXCEPTION,	/* =CODE: answer exception CODE to everything */
	FAULT_FOREIGN,		/* identifies as another Socomec product */
	FAULT_REVERSED,		/* =PHASE: current reversed (Err 1/2/3) */
	FAULT_VN_SWAP,		/* =PHASE: voltage and neutral swapped (Err 7/8/9) */
	FAULT_PHASE_LOSS,	/* =PHASE: no voltage, no current on that phase */
	FAULT__COUNT
};

struct sim_fault {
	enum sim_fault_kind	kind;
	int			arg;	/* 0 for kinds without argument */
};

/* A unit's active faults. All zero: a healthy meter. */
struct sim_faults {
	int		dead;
	int		slow_ms;
	int		crc_pct;
	int		exception;	/* 0: none */
	int		foreign;
	unsigned	reversed;	/* bit n-1 for phase n */
	unsigned	vn_swap;
	unsigned	phase_loss;
};

/* Parse "KIND[=ARG]" ("slow=200", "vn-swap=1"). 0, or -1 naming the word. */
int	sim_fault_parse(const char *word, struct sim_fault *f, struct err *e);
/* Parse "UNIT:KIND[=ARG]" as given to --fault. 0, or -1 naming the word. */
int	sim_fault_parse_spec(const char *spec, int *unit, struct sim_fault *f,
	    struct err *e);
void	sim_faults_add(struct sim_faults *fs, const struct sim_fault *f);
void	sim_faults_clear(struct sim_faults *fs);
/* "dead slow=200 reversed=2", or "none". Returns the length. */
int	sim_faults_format(const struct sim_faults *fs, char *buf, size_t len);
/* The words accepted, for usage text: "dead | slow=MS | ...". */
const char *sim_fault_words(void);

#endif
