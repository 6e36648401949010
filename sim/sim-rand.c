/*
 * sim-rand.c: hashing and value noise for countis-sim's dynamics. No state:
 * callers pass the seed-derived key; what the numbers mean is sim-unit.c's
 * business.
 */
#include <math.h>

#include "sim-rand.h"

/* splitmix64 finaliser: every input bit affects every output bit. */
static uint64_t
sim_mix(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ULL;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
	return x ^ (x >> 31);
}

uint64_t
sim_hash(uint64_t a, uint64_t b, uint64_t c)
{
	return sim_mix(sim_mix(sim_mix(a) ^ b) ^ c);
}

double
sim_hash01(uint64_t a, uint64_t b, uint64_t c)
{
	return (double)(sim_hash(a, b, c) >> 11) / 9007199254740992.0;
}

double
sim_noise(uint64_t key, uint64_t chan, double t, double period_s)
{
	double		x = t / period_s, f, k0, k1, w;
	int64_t		n;

	f = floor(x);
	n = (int64_t)f;
	w = x - f;
	w = w * w * (3.0 - 2.0 * w);
	k0 = 2.0 * sim_hash01(key, chan, (uint64_t)n) - 1.0;
	k1 = 2.0 * sim_hash01(key, chan, (uint64_t)(n + 1)) - 1.0;
	return k0 + (k1 - k0) * w;
}

uint64_t
sim_rand_next(uint64_t *state)
{
	*state += 0x9E3779B97F4A7C15ULL;
	return sim_mix(*state);
}
