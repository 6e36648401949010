/*
 * sim-rand.h: seeded, stateless randomness for countis-sim.
 *
 * Every simulated value is a pure function of (seed, unit, channel, time), so
 * a run with --seed N is reproducible and any past instant can be evaluated
 * again (the load-curve history and the day/week/month indexes use that).
 * Only the crc fault draws from a sequence (sim_rand_next).
 */
#ifndef SIM_RAND_H
#define SIM_RAND_H

#include <stdint.h>

/* A well-mixed 64-bit hash of the key words. */
uint64_t	sim_hash(uint64_t a, uint64_t b, uint64_t c);
/* The hash as a double in [0, 1). */
double		sim_hash01(uint64_t a, uint64_t b, uint64_t c);
/*
 * Smooth value noise in [-1, 1]: random knots every period_s seconds,
 * joined with a smoothstep, so the value wanders without jumps.
 */
double		sim_noise(uint64_t key, uint64_t chan, double t, double period_s);
/* Next number of a sequence kept in *state (splitmix64). */
uint64_t	sim_rand_next(uint64_t *state);

#endif
