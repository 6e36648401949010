/*
 * sim-opts.c: parse countis-sim's command line into struct sim_opts.
 * Every complaint names the option and the value; main decides to exit 64.
 * Nothing is opened here: sim-main.c does that once the line is valid.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "wire.h"	/* bus_parity_parse */
#include "sim-clock.h"
#include "sim-opts.h"

static const int sim_bauds[] = { 1200, 2400, 4800, 9600, 19200, 38400,
    57600, 115200 };

enum {
	OPT_PTY = 256, OPT_SERIAL, OPT_TCP, OPT_UNITS, OPT_BAUD, OPT_PARITY,
	OPT_STOP_BITS, OPT_FAULT, OPT_CONTROL, OPT_SEED, OPT_SPEEDUP,
	OPT_HELP, OPT_VERSION, OPT_RTU_TCP, OPT_START
};

static const struct option sim_long_opts[] = {
	{ "pty",	required_argument,	NULL,	OPT_PTY },
	{ "serial",	required_argument,	NULL,	OPT_SERIAL },
	{ "tcp",	required_argument,	NULL,	OPT_TCP },
	{ "rtu-tcp",	required_argument,	NULL,	OPT_RTU_TCP },
	{ "units",	required_argument,	NULL,	OPT_UNITS },
	{ "baud",	required_argument,	NULL,	OPT_BAUD },
	{ "parity",	required_argument,	NULL,	OPT_PARITY },
	{ "stop-bits",	required_argument,	NULL,	OPT_STOP_BITS },
	{ "fault",	required_argument,	NULL,	OPT_FAULT },
	{ "control",	required_argument,	NULL,	OPT_CONTROL },
	{ "seed",	required_argument,	NULL,	OPT_SEED },
	{ "speedup",	required_argument,	NULL,	OPT_SPEEDUP },
	{ "start",	required_argument,	NULL,	OPT_START },
	{ "verbose",	no_argument,		NULL,	'v' },
	{ "help",	no_argument,		NULL,	OPT_HELP },
	{ "version",	no_argument,		NULL,	OPT_VERSION },
	{ NULL,		0,			NULL,	0 }
};

void
sim_usage(FILE *f)
{
	fprintf(f,
	    "usage: countis-sim --pty LINK | --serial DEVICE | --tcp [HOST:]PORT\n"
	    "\t| --rtu-tcp [HOST:]PORT\n"
	    "\t[--units LIST] [--baud B] [--parity none|even|odd] [--stop-bits 1|2]\n"
	    "\t[--fault UNIT:KIND[=ARG]]... [--control PATH] [--seed N]\n"
	    "\t[--speedup K] [--start TIME] [-v]\n"
	    "       countis-sim --help | --version\n"
	    "\n"
	    "Simulated Socomec COUNTIS E34 meters speaking Modbus RTU on a\n"
	    "pseudo-terminal or a serial device, Modbus TCP, or RTU over TCP.\n"
	    "\n"
	    "  --pty LINK         create a pseudo-terminal, LINK a symlink to it\n"
	    "  --serial DEVICE    serve on a serial device (the UART paces)\n"
	    "  --tcp [HOST:]PORT  serve Modbus TCP (PORT 0: any free port)\n"
	    "  --rtu-tcp [HOST:]PORT  serve RTU frames over TCP, as a serial-to-\n"
	    "                     Ethernet converter would, paced at --baud\n"
	    "  --units LIST       unit ids served, e.g. 1,5,10-12 (default 1)\n"
	    "  --baud B           1200..115200 (default 19200; an E34 has\n"
	    "                     4800, 9600, 19200 and 38400)\n"
	    "  --parity P         none, even or odd (default none)\n"
	    "  --stop-bits N      1 or 2 (default 1)\n"
	    "  --fault UNIT:KIND[=ARG]  inject a fault, KIND one of\n"
	    "\t\t%s\n"
	    "  --control PATH     Unix socket taking \"UNIT KIND[=ARG]\",\n"
	    "                     \"UNIT clear\", \"UNIT tariff N\" at run time\n"
	    "  --seed N           reproducible dynamics (default: from the time)\n"
	    "  --speedup K        the load curve clock runs K times faster\n"
	    "  --start TIME       the site's clock starts at TIME (Unix seconds\n"
	    "                     or YYYY-MM-DDTHH:MM:SS local time), not now,\n"
	    "                     then runs at real speed (default: now)\n"
	    "  -v, --verbose      log every request\n",
	    sim_fault_words());
}

int
sim_opts_units(const char *list, unsigned char *units, struct err *e)
{
	char	 buf[1024], *tok, *save, *dash;
	long	 a, b, i;
	int	 any = 0;

	if (strlen(list) >= sizeof buf)
		return err_set(e, "'%.40s...': list too long", list);
	strcpy(buf, list);
	memset(units, 0, SIM_UNIT_MAX + 1);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		dash = strchr(tok, '-');
		if (dash != NULL)
			*dash++ = '\0';
		if (parse_long(tok, 1, SIM_UNIT_MAX, &a) != PARSE_OK ||
		    (dash != NULL && parse_long(dash, 1, SIM_UNIT_MAX,
		    &b) != PARSE_OK))
			return err_set(e, "'%s': expected unit ids 1..%d as "
			    "in 1,5,10-12", list, SIM_UNIT_MAX);
		if (dash == NULL)
			b = a;
		if (b < a)
			return err_set(e, "'%s': range %ld-%ld goes down",
			    list, a, b);
		for (i = a; i <= b; i++)
			units[i] = 1;
		any = 1;
	}
	if (!any)
		return err_set(e, "'%s': no unit id", list);
	return 0;
}

void
sim_opts_units_format(const unsigned char *units, char *buf, size_t len)
{
	size_t	off = 0;
	int	u, v, n;

	buf[0] = '\0';
	for (u = 1; u <= SIM_UNIT_MAX && off < len; u++) {
		if (!units[u])
			continue;
		for (v = u; v < SIM_UNIT_MAX && units[v + 1]; v++)
			;
		if (v == u)
			n = snprintf(buf + off, len - off, "%s%d",
			    off ? "," : "", u);
		else
			n = snprintf(buf + off, len - off, "%s%d-%d",
			    off ? "," : "", u, v);
		if (n > 0)
			off += (size_t)n;
		u = v;
	}
}

/* Split "[HOST:]PORT" into o->host and o->port; name is the option. */
static int
sim_opts_tcp(const char *name, const char *arg, struct sim_opts *o,
    struct err *e)
{
	const char	*colon = strrchr(arg, ':');
	const char	*port = arg;
	size_t		 hlen;
	long		 v;

	if (colon != NULL) {
		hlen = (size_t)(colon - arg);
		if (hlen >= sizeof o->host)
			return err_set(e, "%s: '%s': host too long", name,
			    arg);
		memcpy(o->host, arg, hlen);
		o->host[hlen] = '\0';
		if (hlen >= 2 && o->host[0] == '[' &&
		    o->host[hlen - 1] == ']') {
			memmove(o->host, o->host + 1, hlen - 2);
			o->host[hlen - 2] = '\0';
		}
		port = colon + 1;
	}
	if (parse_long(port, 0, 65535, &v) != PARSE_OK)
		return err_set(e, "%s: '%s': expected [HOST:]PORT with "
		    "PORT 0..65535", name, arg);
	o->port = (int)v;
	return 0;
}

/* Set the link once; a second --pty/--serial/--tcp is a usage error. */
static int
sim_opts_link(struct sim_opts *o, enum sim_link l, const char *name,
    const char *arg, struct err *e)
{
	if (o->link != SIM_LINK_NONE)
		return err_set(e, "%s: only one of --pty, --serial, --tcp "
		    "and --rtu-tcp may be given", name);
	if (*arg == '\0')
		return err_set(e, "%s: empty argument", name);
	o->link = l;
	if (l == SIM_LINK_TCP || l == SIM_LINK_RTU_TCP)
		return sim_opts_tcp(name, arg, o, e);
	o->path = arg;
	return 0;
}

/*
 * --start TIME: Unix seconds, or YYYY-MM-DDTHH:MM:SS of local time. The
 * local time must fall in 2001..2099: the meter's year register counts
 * years since 2000, and the history the units start with (62 days of
 * energy, 7 of load curve) stays after 2000-01-01.
 */
static int
sim_opts_start(const char *arg, struct sim_opts *o, struct err *e)
{
	struct tm	 tm;
	char		*end;
	long long	 v;
	double		 l;
	int		 y, mo, d, h, mi, s, n = -1;

	if (*arg != '\0' && strspn(arg, "0123456789") == strlen(arg)) {
		errno = 0;
		v = strtoll(arg, &end, 10);
		o->start = errno != 0 || v > 1000000000000LL ? 1e12 :
		    (double)v;
	} else if (sscanf(arg, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h,
	    &mi, &s, &n) == 6 && n == (int)strlen(arg) &&
	    strspn(arg, "0123456789-T:") == strlen(arg) &&
	    sim_clock_from_fields(y, mo, d, h, mi, s) != -1) {
		memset(&tm, 0, sizeof tm);
		tm.tm_year = y - 1900;
		tm.tm_mon = mo - 1;
		tm.tm_mday = d;
		tm.tm_hour = h;
		tm.tm_min = mi;
		tm.tm_sec = s;
		tm.tm_isdst = -1;
		o->start = (double)mktime(&tm);
	} else
		return err_set(e, "--start: '%s': expected Unix seconds or "
		    "YYYY-MM-DDTHH:MM:SS (local time)", arg);
	l = sim_clock_local2000(o->start);
	if (l < (double)sim_clock_from_fields(2001, 1, 1, 0, 0, 0) ||
	    l >= (double)sim_clock_from_fields(2100, 1, 1, 0, 0, 0))
		return err_set(e, "--start: '%s': expected a time from "
		    "2001-01-01 to 2099-12-31 (local time)", arg);
	o->start_set = 1;
	return 0;
}

/* The line settings and the numbers. */
static int
sim_opts_value(struct sim_opts *o, int c, const char *arg, struct err *e)
{
	char	*end;
	long	 v;
	size_t	 i;

	switch (c) {
	case OPT_BAUD:
		if (parse_long(arg, 1, 10000000, &v) == PARSE_OK)
			for (i = 0; i < sizeof sim_bauds / sizeof sim_bauds[0];
			    i++)
				if (sim_bauds[i] == v) {
					o->baud = (int)v;
					return 0;
				}
		return err_set(e, "--baud: '%s': expected 1200, 2400, 4800, "
		    "9600, 19200, 38400, 57600 or 115200", arg);
	case OPT_PARITY:
		if (bus_parity_parse(arg, &o->parity) == -1)
			return err_set(e, "--parity: '%s': expected none, even "
			    "or odd", arg);
		return 0;
	case OPT_STOP_BITS:
		if (parse_long(arg, 1, 2, &v) != PARSE_OK)
			return err_set(e, "--stop-bits: '%s': expected 1 or 2",
			    arg);
		o->stop_bits = (int)v;
		return 0;
	case OPT_SEED:
		errno = 0;
		if (*arg < '0' || *arg > '9' ||
		    (o->seed = strtoull(arg, &end, 10), errno != 0) ||
		    *end != '\0')
			return err_set(e, "--seed: '%s': expected a number "
			    "0..18446744073709551615", arg);
		o->seed_set = 1;
		return 0;
	case OPT_SPEEDUP:
		errno = 0;
		o->speedup = strtod(arg, &end);
		if (*arg == '\0' || *end != '\0' || errno != 0 ||
		    !isfinite(o->speedup) || o->speedup < 1 ||
		    o->speedup > 1e6)
			return err_set(e, "--speedup: '%s': expected a number "
			    "1..1000000", arg);
		return 0;
	case OPT_START:
		return sim_opts_start(arg, o, e);
	}
	return err_set(e, "internal: option %d", c);
}

/* One option; 0 or -1. */
static int
sim_opts_one(struct sim_opts *o, int c, const char *arg, struct err *e)
{
	struct sim_fault_spec	*fs;
	struct err		 fe = { .msg = "" };

	switch (c) {
	case OPT_PTY:
		return sim_opts_link(o, SIM_LINK_PTY, "--pty", arg, e);
	case OPT_SERIAL:
		return sim_opts_link(o, SIM_LINK_SERIAL, "--serial", arg, e);
	case OPT_TCP:
		return sim_opts_link(o, SIM_LINK_TCP, "--tcp", arg, e);
	case OPT_RTU_TCP:
		return sim_opts_link(o, SIM_LINK_RTU_TCP, "--rtu-tcp", arg, e);
	case OPT_UNITS:
		if (sim_opts_units(arg, o->units, &fe) == -1)
			return err_set(e, "--units: %s", fe.msg);
		return 0;
	case OPT_FAULT:
		if (o->nfaults == SIM_FAULTS_MAX)
			return err_set(e, "--fault: more than %d faults",
			    SIM_FAULTS_MAX);
		fs = &o->faults[o->nfaults];
		if (sim_fault_parse_spec(arg, &fs->unit, &fs->fault, &fe) == -1)
			return err_set(e, "--fault: %s", fe.msg);
		o->nfaults++;
		return 0;
	case OPT_CONTROL:
		if (*arg == '\0')
			return err_set(e, "--control: empty path");
		o->control_path = arg;
		return 0;
	case 'v':
		o->verbose++;
		return 0;
	case OPT_HELP:
		o->help = 1;
		return 0;
	case OPT_VERSION:
		o->version = 1;
		return 0;
	}
	return sim_opts_value(o, c, arg, e);
}

/* Rules that span options, once all are read. */
static int
sim_opts_check(struct sim_opts *o, struct err *e)
{
	int	i;

	if (o->link == SIM_LINK_NONE)
		return err_set(e, "one of --pty LINK, --serial DEVICE, "
		    "--tcp [HOST:]PORT or --rtu-tcp [HOST:]PORT is required");
	for (i = 0; i < o->nfaults; i++)
		if (!o->units[o->faults[i].unit])
			return err_set(e, "--fault: unit %d is not served "
			    "(see --units)", o->faults[i].unit);
	return 0;
}

int
sim_opts_parse(int argc, char **argv, struct sim_opts *o, struct err *e)
{
	char	 optname[64];
	int	 c;

	memset(o, 0, sizeof *o);
	o->units[1] = 1;
	o->baud = 19200;
	o->parity = 'N';
	o->stop_bits = 1;
	o->speedup = 1;
	e->code = EXIT_USAGE;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":v", sim_long_opts, NULL)) != -1) {
		if (c == '?' || c == ':') {
			if (optopt != 0 && optopt < 256)
				snprintf(optname, sizeof optname, "-%c", optopt);
			else
				snprintf(optname, sizeof optname, "%s",
				    argv[optind - 1]);
			return err_set(e, "%s: %s", optname, c == '?' ?
			    "unknown option" : "missing argument");
		}
		if (sim_opts_one(o, c, optarg, e) == -1)
			return -1;
	}
	if (optind < argc)
		return err_set(e, "'%s': unexpected argument", argv[optind]);
	if (o->help || o->version)
		return 0;
	return sim_opts_check(o, e);
}
