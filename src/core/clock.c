/*
 * clock.c: the monotonic and wall clocks (see clock.h). Every layer and
 * countis-sim read time here, so a unit change has one place to happen.
 */
#include <errno.h>
#include <time.h>

#include "clock.h"

/* Nanoseconds of a clock: the others divide this (exactly, as before). */
static int64_t
clock_ns(clockid_t id)
{
	struct timespec	ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t
clock_mono_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

int64_t
clock_mono_us(void)
{
	return clock_ns(CLOCK_MONOTONIC) / 1000;
}

int64_t
clock_mono_ms(void)
{
	return clock_ns(CLOCK_MONOTONIC) / 1000000;
}

int64_t
clock_wall_ms(void)
{
	return clock_ns(CLOCK_REALTIME) / 1000000;
}

double
clock_wall_s(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* An absolute deadline, so a signal that cuts the sleep short costs nothing. */
void
clock_sleep_until_us(int64_t until_us)
{
	struct timespec	ts;

	if (until_us <= clock_mono_us())
		return;
	ts.tv_sec = (time_t)(until_us / 1000000);
	ts.tv_nsec = (long)(until_us % 1000000) * 1000;
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	    EINTR)
		;
}
