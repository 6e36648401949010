/*
 * sim-write.h: what a write does to a simulated E34.
 *
 * The caller has checked that every word is defined and writable in the
 * register map (else exception 02). Here: tariff 0x9E21 (1..4), clock
 * 0xE100 (6 words with FC16, year as years since 2000: inferred), load-curve
 * command 0xF000 (0x0001 reset, 0xFFFE older block); configuration
 * 0xE000.. and the action/reset registers 0xE200.. are refused with
 * exception 04, as a MID meter that allows no reset would (doc/simulator.md).
 */
#ifndef SIM_WRITE_H
#define SIM_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "sim-unit.h"

/*
 * Apply the write of count words at addr with function fc (6 or 16).
 * Returns 0 when accepted, else the Modbus exception code. what gets a short
 * account for the log ("tariff 3 active", "refused: ...").
 */
int	sim_write(struct sim_unit *, const struct sim_site *, double now,
	    int fc, int addr, int count, const uint16_t *vals, char *what,
	    size_t len);

#endif
