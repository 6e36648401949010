/*
 * test-core-clock.c: the clocks agree on their units, the monotonic ones
 * never go back, and sleeping until a deadline gets there.
 */
#include <stdint.h>
#include <time.h>

#include "clock.h"
#include "t.h"

static void
test_clock__units_agree(void)
{
	int64_t	ns = clock_mono_ns(), us = clock_mono_us();
	int64_t	ms = clock_mono_ms();

	T_OK(us >= ns / 1000);
	T_OK(us - ns / 1000 < 1000000);		/* read within a second */
	T_OK(ms >= us / 1000);
	T_OK(ms - us / 1000 < 1000);
}

static void
test_clock__monotonic_never_goes_back(void)
{
	int64_t	prev = clock_mono_us(), now;
	int	i;

	for (i = 0; i < 10000; i++) {
		now = clock_mono_us();
		T_OK(now >= prev);
		prev = now;
	}
}

static void
test_clock__wall_is_the_epoch(void)
{
	time_t	t = time(NULL);
	int64_t	ms = clock_wall_ms();
	double	s = clock_wall_s();

	T_OK(ms / 1000 >= (int64_t)t - 1 && ms / 1000 <= (int64_t)t + 1);
	T_OK(s >= (double)t - 1 && s <= (double)t + 2);
	T_OK(ms > 1700000000000LL);		/* after November 2023 */
}

static void
test_clock__sleep_until(void)
{
	int64_t	t0 = clock_mono_us();

	clock_sleep_until_us(t0 + 20000);
	T_OK(clock_mono_us() >= t0 + 20000);
	t0 = clock_mono_us();
	clock_sleep_until_us(t0 - 1000000);	/* passed: returns at once */
	clock_sleep_until_us(0);
	T_OK(clock_mono_us() - t0 < 500000);
}

int
main(void)
{
	T_RUN(test_clock__units_agree);
	T_RUN(test_clock__monotonic_never_goes_back);
	T_RUN(test_clock__wall_is_the_epoch);
	T_RUN(test_clock__sleep_until);
	return t_done();
}
