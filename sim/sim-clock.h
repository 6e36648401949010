/*
 * sim-clock.h: the clocks countis-sim uses.
 *
 * - monotonic nanoseconds pace the wire and schedule answers (clock.h);
 * - real time (Unix seconds, fractional, clock.h) drives the dynamics;
 * - "s2000" is a meter's wall clock: seconds since 2000-01-01 00:00:00 of
 *   local time, as the load-curve dates and 0xC68A count (register map §9).
 */
#ifndef SIM_CLOCK_H
#define SIM_CLOCK_H

#include <stdint.h>
#include <time.h>

#include "clock.h"	/* clock_mono_ns, clock_wall_s */

#define SIM_NS_PER_S	1000000000LL
#define SIM_UNIX_2000	946684800LL	/* 2000-01-01 00:00:00 UTC */

/* Local wall time of Unix time t, as seconds since 2000 (fraction kept). */
double	sim_clock_local2000(double t);
/* Broken-down fields of an s2000 value (tm_year etc. as struct tm). */
void	sim_clock_fields(int64_t s2000, struct tm *tm);
/* The s2000 value of a date; -1 when a field is out of range. */
int64_t	sim_clock_from_fields(int year, int month, int day, int hour,
	    int minute, int second);

#endif
