/*
 * clock.h: the program's clocks, in the units their callers count in.
 *
 * Monotonic time measures intervals (poll periods, timeouts, wire pacing)
 * and never jumps; wall time stamps what a person reads (CSV rows, file
 * names, the meter's clock). Both read clock_gettime(2), which cannot fail
 * for these clocks on Linux.
 */
#ifndef CLOCK_H
#define CLOCK_H

#include <stdint.h>

int64_t	clock_mono_ns(void);	/* CLOCK_MONOTONIC, nanoseconds */
int64_t	clock_mono_us(void);	/* CLOCK_MONOTONIC, microseconds */
int64_t	clock_mono_ms(void);	/* CLOCK_MONOTONIC, milliseconds */
int64_t	clock_wall_ms(void);	/* CLOCK_REALTIME, ms since the Unix epoch */
double	clock_wall_s(void);	/* CLOCK_REALTIME, seconds, fraction kept */

/* Sleep until the monotonic time until_us; returns at once if it passed. */
void	clock_sleep_until_us(int64_t until_us);

#endif
