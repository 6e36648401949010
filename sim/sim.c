/*
 * sim.c: helpers on countis-sim's context: the log, unit lookup, the site's
 * time, advancing every unit, and the random draws of the crc fault. The
 * loop is in sim-main.c.
 */
#include <stdarg.h>
#include <stdio.h>

#include "sim-clock.h"
#include "sim-rand.h"
#include "sim.h"

/* One whole line per call, so lines from one process never interleave. */
static void
sim_vlog(const char *fmt, va_list ap)
{
	char	line[1024];
	int	n;

	n = snprintf(line, sizeof line, "countis-sim: ");
	vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
	fprintf(stderr, "%s\n", line);
	fflush(stderr);
}

void
sim_log(const struct sim *s, const char *fmt, ...)
{
	va_list	ap;

	(void)s;
	va_start(ap, fmt);
	sim_vlog(fmt, ap);
	va_end(ap);
}

void
sim_debug(const struct sim *s, const char *fmt, ...)
{
	va_list	ap;

	if (s->opts.verbose == 0)
		return;
	va_start(ap, fmt);
	sim_vlog(fmt, ap);
	va_end(ap);
}

struct sim_unit *
sim_unit(const struct sim *s, int id)
{
	if (id < 1 || id > SIM_UNIT_MAX)
		return NULL;
	return s->units[id];
}

double
sim_now(const struct sim *s)
{
	return clock_wall_s() + s->site.shift;
}

void
sim_advance_all(struct sim *s, double now)
{
	int	id;

	for (id = 1; id <= SIM_UNIT_MAX; id++)
		if (s->units[id] != NULL)
			sim_unit_advance(s->units[id], &s->site, now);
}

unsigned
sim_rand_below(struct sim *s, unsigned n)
{
	return n == 0 ? 0 : (unsigned)(sim_rand_next(&s->rng) % n);
}

int
sim_chance(struct sim *s, int pct)
{
	return (int)sim_rand_below(s, 100) < pct;
}
