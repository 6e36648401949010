/*
 * sim-lc.h: a simulated meter's load curve (register map §9).
 *
 * A ring of records (interval end date in s2000, flag 0 full / 1 incomplete,
 * average P+ in W), filled as the curve clock crosses period boundaries, and
 * the block the meter serves at 0xF010: a 6-word header then up to 29
 * records of 4 words, newest first. The read pointer is the meter's, not a
 * client's (map §9): 0x0001 resets it to the newest block, 0xFFFE steps to
 * the next older one. A block past the oldest record has count 0.
 */
#ifndef SIM_LC_H
#define SIM_LC_H

#include <stdint.h>

#define SIM_LC_CAPACITY		2048	/* records kept: 21 days at 900 s */
#define SIM_LC_BLOCK_RECORDS	29
#define SIM_LC_HEADER_WORDS	6
#define SIM_LC_BLOCK_WORDS	(SIM_LC_HEADER_WORDS + 4 * SIM_LC_BLOCK_RECORDS)

#define SIM_LC_CMD_RESET	0x0001
#define SIM_LC_CMD_NEXT		0xFFFE

struct sim_lc_rec {
	uint32_t	date;		/* s2000, end of the interval */
	uint16_t	flag;		/* 0 full, 1 incomplete */
	uint16_t	value_w;	/* average P+ in W, saturated */
};

/* Average P+ in W over (start, end] of the curve clock. */
typedef double (*sim_lc_avg_fn)(void *ctx, int64_t start, int64_t end);

struct sim_lc {
	struct sim_lc_rec	ring[SIM_LC_CAPACITY];
	uint64_t		seq;		/* records ever appended */
	int			n;		/* records held */
	int			period_s;
	int64_t			next_end;	/* s2000 of the next record */
	int			incomplete;	/* flag the next record 1 */
	int			live;		/* no command yet: newest */
	int64_t			ptr;		/* seq of the newest record of
						   the served block */
};

void	sim_lc_init(struct sim_lc *, int period_s);
/*
 * Fill `days` of history ending at the last boundary before now (s2000),
 * with no records for intervals ending inside [cut_start, cut_end) and the
 * first record after the cut flagged incomplete.
 */
void	sim_lc_prefill(struct sim_lc *, int64_t now, int days,
	    int64_t cut_start, int64_t cut_end, sim_lc_avg_fn, void *ctx);
/* Append the records whose interval ended by now (s2000). */
void	sim_lc_advance(struct sim_lc *, int64_t now, sim_lc_avg_fn, void *ctx);
/* The curve clock jumped to now (a clock write): resume after it. */
void	sim_lc_clock_jump(struct sim_lc *, int64_t now);
/* Apply a command word written to 0xF000; 0, or -1 for an unknown one. */
int	sim_lc_command(struct sim_lc *, uint16_t cmd);
/* The SIM_LC_BLOCK_WORDS words served from 0xF010. */
void	sim_lc_block(const struct sim_lc *, uint16_t *words);
/* The newest record, or NULL when the curve is empty. */
const struct sim_lc_rec *sim_lc_newest(const struct sim_lc *);

#endif
