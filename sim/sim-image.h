/*
 * sim-image.h: the register words a simulated E34 serves.
 *
 * sim_image_snap takes one consistent snapshot of a unit (every value of one
 * request comes from the same instant, so T1+T2+T3+T4 equals the total and
 * P equals P1+P2+P3 within one read); sim_image_read encodes the rows that
 * overlap a range, by the register map's type, never by address literal.
 */
#ifndef SIM_IMAGE_H
#define SIM_IMAGE_H

#include <stdint.h>

#include "regmap.h"
#include "sim-lc.h"
#include "sim-unit.h"

struct sim_snap {
	int64_t		 val[REG__COUNT];	/* integer rows, map units */
	const char	*str[REG__COUNT];	/* ASCII rows */
	uint16_t	 lc[SIM_LC_BLOCK_WORDS];	/* 0xF010 block */
};

void	sim_image_snap(const struct sim_unit *, const struct sim_site *,
	    double now, struct sim_snap *);
/*
 * Encode [addr, addr + count) into out. Words no readable row covers are
 * 0; the caller answers exception 02 before asking for those.
 */
void	sim_image_read(const struct sim_snap *, int addr, int count,
	    uint16_t *out);

#endif
