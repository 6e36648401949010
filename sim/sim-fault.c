/*
 * sim-fault.c: fault words to struct sim_fault, and a unit's fault set.
 * The kinds, their argument and its range live in one table; the effects of
 * each fault are implemented where they happen (see sim-fault.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "sim-fault.h"
#include "sim-opts.h"

struct sim_fault_def {
	enum sim_fault_kind	 kind;
	const char		*name;
	const char		*arg;	/* NULL: takes no argument */
	int			 min, max;
};

static const struct sim_fault_def sim_fault_defs[] = {
	{ FAULT_DEAD,		"dead",		NULL,		0, 0 },
	{ FAULT_SLOW,		"slow",		"MS",		0, 60000 },
	{ FAULT_CRC,		"crc",		"PERCENT",	0, 100 },
	{ FAULT_EXCEPTION,	"exception",	"CODE",		1, 255 },
	{ FAULT_FOREIGN,	"foreign",	NULL,		0, 0 },
	{ FAULT_REVERSED,	"reversed",	"PHASE",	1, 3 },
	{ FAULT_VN_SWAP,	"vn-swap",	"PHASE",	1, 3 },
	{ FAULT_PHASE_LOSS,	"phase-loss",	"PHASE",	1, 3 },
};
#define SIM_NFAULT_DEFS (sizeof sim_fault_defs / sizeof sim_fault_defs[0])

const char *
sim_fault_words(void)
{
	return "dead | slow=MS | crc=PERCENT | exception=CODE | foreign |\n"
	    "\t\treversed=PHASE | vn-swap=PHASE | phase-loss=PHASE";
}

int
sim_fault_parse(const char *word, struct sim_fault *f, struct err *e)
{
	const struct sim_fault_def	*d;
	const char			*eq;
	size_t				 i, nlen;

	eq = strchr(word, '=');
	nlen = eq != NULL ? (size_t)(eq - word) : strlen(word);
	for (i = 0; i < SIM_NFAULT_DEFS; i++) {
		d = &sim_fault_defs[i];
		if (strlen(d->name) == nlen && strncmp(d->name, word, nlen) == 0)
			break;
	}
	if (i == SIM_NFAULT_DEFS)
		return err_set(e, "'%s': unknown fault, expected %s", word,
		    "dead, slow=MS, crc=PERCENT, exception=CODE, foreign, "
		    "reversed=PHASE, vn-swap=PHASE or phase-loss=PHASE");
	f->kind = d->kind;
	f->arg = 0;
	if (d->arg == NULL) {
		if (eq != NULL)
			return err_set(e, "'%s': %s takes no argument", word,
			    d->name);
		return 0;
	}
	if (eq == NULL)
		return err_set(e, "'%s': expected %s=%s", word, d->name, d->arg);
	if (parse_int_range(eq + 1, d->min, d->max, &f->arg) != PARSE_OK)
		return err_set(e, "'%s': %s must be %d..%d", word, d->arg,
		    d->min, d->max);
	return 0;
}

int
sim_fault_parse_spec(const char *spec, int *unit, struct sim_fault *f,
    struct err *e)
{
	const char	*colon;
	char		 num[8];
	size_t		 n;

	colon = strchr(spec, ':');
	if (colon == NULL)
		return err_set(e, "'%s': expected UNIT:KIND[=ARG]", spec);
	n = (size_t)(colon - spec);
	if (n == 0 || n >= sizeof num)
		return err_set(e, "'%s': expected a unit id 1..%d before ':'",
		    spec, SIM_UNIT_MAX);
	memcpy(num, spec, n);
	num[n] = '\0';
	if (parse_int_range(num, 1, SIM_UNIT_MAX, unit) != PARSE_OK)
		return err_set(e, "'%s': unit '%s' must be 1..%d", spec, num,
		    SIM_UNIT_MAX);
	return sim_fault_parse(colon + 1, f, e);
}

void
sim_faults_add(struct sim_faults *fs, const struct sim_fault *f)
{
	switch (f->kind) {
	case FAULT_DEAD:
		fs->dead = 1;
		break;
	case FAULT_SLOW:
		fs->slow_ms = f->arg;
		break;
	case FAULT_CRC:
		fs->crc_pct = f->arg;
		break;
	case FAULT_EXCEPTION:
		fs->exception = f->arg;
		break;
	case FAULT_FOREIGN:
		fs->foreign = 1;
		break;
	case FAULT_REVERSED:
		fs->reversed |= 1U << (f->arg - 1);
		break;
	case FAULT_VN_SWAP:
		fs->vn_swap |= 1U << (f->arg - 1);
		break;
	case FAULT_PHASE_LOSS:
		fs->phase_loss |= 1U << (f->arg - 1);
		break;
	case FAULT__COUNT:
		break;
	}
}

void
sim_faults_clear(struct sim_faults *fs)
{
	memset(fs, 0, sizeof *fs);
}

/* Append " name=phase" for every bit of mask. */
static size_t
sim_faults_phases(char *buf, size_t len, size_t off, const char *name,
    unsigned mask)
{
	int	p, n;

	for (p = 1; p <= 3; p++) {
		if ((mask & (1U << (p - 1))) == 0 || off >= len)
			continue;
		n = snprintf(buf + off, len - off, "%s%s=%d", off ? " " : "",
		    name, p);
		if (n > 0)
			off += (size_t)n;
	}
	return off;
}

int
sim_faults_format(const struct sim_faults *fs, char *buf, size_t len)
{
	size_t	off = 0;
	int	n;

	if (len == 0)
		return 0;
	buf[0] = '\0';
#define SIM_APPEND(...) do {						\
	if (off < len) {						\
		n = snprintf(buf + off, len - off, __VA_ARGS__);	\
		if (n > 0)						\
			off += (size_t)n;				\
	}								\
} while (0)
	if (fs->dead)
		SIM_APPEND("%sdead", off ? " " : "");
	if (fs->slow_ms)
		SIM_APPEND("%sslow=%d", off ? " " : "", fs->slow_ms);
	if (fs->crc_pct)
		SIM_APPEND("%scrc=%d", off ? " " : "", fs->crc_pct);
	if (fs->exception)
		SIM_APPEND("%sexception=%d", off ? " " : "", fs->exception);
	if (fs->foreign)
		SIM_APPEND("%sforeign", off ? " " : "");
#undef SIM_APPEND
	off = sim_faults_phases(buf, len, off, "reversed", fs->reversed);
	off = sim_faults_phases(buf, len, off, "vn-swap", fs->vn_swap);
	off = sim_faults_phases(buf, len, off, "phase-loss", fs->phase_loss);
	if (off == 0)
		off = (size_t)snprintf(buf, len, "none");
	return off < len ? (int)off : (int)len - 1;
}
