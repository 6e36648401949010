/*
 * cli.c: the command line of countis-tui (PRODUCT.md), parsed with
 * getopt_long into struct opts. Every option is a row of cli_table: its
 * name, whether it takes a value and the modes it fits; the checks that an
 * option fits the chosen mode run once all of argv is read, so the order of
 * options does not matter. Messages name the option and the value; main.c
 * adds "Try 'countis-tui --help'" and exits 64. What a mode does is up to
 * its run_* function; where files live is paths.c.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "csv.h"
#include "parse.h"

enum {
	OPT_DEMO = 256, OPT_CHECK, OPT_EXPORT, OPT_SCAN, OPT_CYCLES,
	OPT_DIALECT, OPT_LOG, OPT_BAUD, OPT_PARITY, OPT_STOP, OPT_FIRST,
	OPT_LAST, OPT_TIMEOUT, OPT_THEME, OPT_ASCII, OPT_NOCOLOR,
	OPT_HEADLESS, OPT_RTU_TCP,
	OPT_CONFIG = 'c', OPT_VERBOSE = 'v', OPT_HELP = 'h', OPT_VERSION = 'V'
};

/* Modes as bits, for "does this option fit". */
#define M_CONSOLE	(1u << MODE_CONSOLE)
#define M_DEMO		(1u << MODE_DEMO)
#define M_CHECK		(1u << MODE_CHECK_CONFIG)
#define M_EXPORT	(1u << MODE_EXPORT_CSV)
#define M_SCAN		(1u << MODE_SCAN)
#define M_HEADLESS	(1u << MODE_HEADLESS)
#define M_ALL		(M_CONSOLE | M_DEMO | M_CHECK | M_EXPORT | M_SCAN | \
			    M_HEADLESS)

struct cli_opt {
	const char	*name;		/* long name */
	int		 has_arg;
	int		 val;
	unsigned	 modes;		/* modes it fits; 0 for a mode itself */
	const char	*fits;		/* said when it does not fit */
};

static const struct cli_opt cli_table[] = {
	{ "config", required_argument, OPT_CONFIG, M_CONSOLE | M_CHECK |
	  M_EXPORT | M_HEADLESS, "the console, --check-config, --export-csv "
	  "and --headless" },
	{ "demo", no_argument, OPT_DEMO, 0, NULL },
	{ "check-config", no_argument, OPT_CHECK, 0, NULL },
	{ "export-csv", required_argument, OPT_EXPORT, 0, NULL },
	{ "scan", required_argument, OPT_SCAN, 0, NULL },
	{ "headless", no_argument, OPT_HEADLESS, 0, NULL },
	{ "cycles", required_argument, OPT_CYCLES, M_EXPORT, "--export-csv" },
	{ "csv-dialect", required_argument, OPT_DIALECT, M_CONSOLE | M_DEMO |
	  M_CHECK | M_EXPORT, "the console, --demo, --check-config and "
	  "--export-csv" },
	{ "log", required_argument, OPT_LOG, M_ALL, NULL },
	{ "verbose", no_argument, OPT_VERBOSE, M_ALL, NULL },
	{ "baud", required_argument, OPT_BAUD, M_SCAN, "--scan" },
	{ "parity", required_argument, OPT_PARITY, M_SCAN, "--scan" },
	{ "stop-bits", required_argument, OPT_STOP, M_SCAN, "--scan" },
	{ "first", required_argument, OPT_FIRST, M_SCAN, "--scan" },
	{ "last", required_argument, OPT_LAST, M_SCAN, "--scan" },
	{ "timeout-ms", required_argument, OPT_TIMEOUT, M_SCAN, "--scan" },
	{ "rtu-tcp", no_argument, OPT_RTU_TCP, M_SCAN, "--scan" },
	{ "theme", required_argument, OPT_THEME, M_CONSOLE | M_DEMO,
	  "the console and --demo" },
	{ "ascii", no_argument, OPT_ASCII, M_CONSOLE | M_DEMO,
	  "the console and --demo" },
	{ "no-color", no_argument, OPT_NOCOLOR, M_CONSOLE | M_DEMO,
	  "the console and --demo" },
	{ "help", no_argument, OPT_HELP, 0, NULL },
	{ "version", no_argument, OPT_VERSION, 0, NULL },
};
#define NOPTS	((int)(sizeof cli_table / sizeof cli_table[0]))

/* What was seen while parsing, for the checks at the end. */
struct cli_seen {
	char		 mode_opt[32];	/* "--scan" etc., empty for the console */
	int		 seen[NOPTS];
};

static int
cli_index(int val)
{
	int	i;

	for (i = 0; i < NOPTS; i++)
		if (cli_table[i].val == val)
			return i;
	return -1;
}

/* The option as the user would type it: "-c" or "--cycles". */
static const char *
cli_spelling(int i, char *buf, size_t len)
{
	if (cli_table[i].val == OPT_CONFIG)
		return "-c";
	snprintf(buf, len, "--%s", cli_table[i].name);
	return buf;
}

/* Parse a decimal number for opt within min..max. */
static int
cli_number(const char *opt, const char *arg, long min, long max, int *out,
    struct err *e)
{
	long	v;

	switch (parse_long(arg, min, max, &v)) {
	case PARSE_OK:
		*out = (int)v;
		return 0;
	case PARSE_RANGE:
		return err_setc(e, EXIT_USAGE, "%s '%s': expected %ld..%ld",
		    opt, arg, min, max);
	default:
		return err_setc(e, EXIT_USAGE, "%s '%s': not a whole number; "
		    "expected %ld..%ld", opt, arg, min, max);
	}
}

/* Select a mode; a second one is an error naming both. */
static int
cli_mode(struct opts *o, struct cli_seen *s, enum cli_mode m,
    const char *opt, struct err *e)
{
	if (strcmp(s->mode_opt, opt) == 0)
		return err_setc(e, EXIT_USAGE, "%s given twice", opt);
	if (s->mode_opt[0] != '\0')
		return err_setc(e, EXIT_USAGE, "%s and %s cannot be used "
		    "together: choose one mode", s->mode_opt, opt);
	snprintf(s->mode_opt, sizeof s->mode_opt, "%s", opt);
	o->mode = m;
	return 0;
}

/* A non-empty value. */
static int
cli_text(const char *opt, const char *arg, const char *what,
    const char **out, struct err *e)
{
	if (*arg == '\0')
		return err_setc(e, EXIT_USAGE, "%s '': expected %s", opt, what);
	*out = arg;
	return 0;
}

/* Apply one option with its argument. */
static int
cli_apply(struct opts *o, struct cli_seen *s, int c, const char *opt,
    const char *arg, struct err *e)
{
	switch (c) {
	case OPT_CONFIG:
		return cli_text(opt, arg, "a configuration file",
		    &o->config_path, e);
	case OPT_VERBOSE:
		o->verbose++;
		return 0;
	case OPT_DEMO:
		return cli_mode(o, s, MODE_DEMO, opt, e);
	case OPT_CHECK:
		return cli_mode(o, s, MODE_CHECK_CONFIG, opt, e);
	case OPT_HEADLESS:
		return cli_mode(o, s, MODE_HEADLESS, opt, e);
	case OPT_EXPORT:
		if (cli_mode(o, s, MODE_EXPORT_CSV, opt, e) == -1)
			return -1;
		return cli_text(opt, arg, "a file, or - for standard output",
		    &o->export_path, e);
	case OPT_SCAN:
		if (cli_mode(o, s, MODE_SCAN, opt, e) == -1)
			return -1;
		return cli_text(opt, arg, "a serial device or host[:port]",
		    &o->scan_target, e);
	case OPT_CYCLES:
		return cli_number(opt, arg, 1, 1000000, &o->cycles, e);
	case OPT_DIALECT:
		o->csv_dialect_set = 1;
		if (csv_dialect_parse(arg, &o->csv_dialect) == -1)
			return err_setc(e, EXIT_USAGE, "%s '%s': expected "
			    "rfc4180 or excel-eu", opt, arg);
		return 0;
	case OPT_LOG:
		return cli_text(opt, arg, "a file", &o->log_path, e);
	case OPT_BAUD:
		if (cli_number(opt, arg, 1, 1000000, &o->baud, e) == -1 ||
		    (o->baud != 4800 && o->baud != 9600 && o->baud != 19200 &&
		    o->baud != 38400))
			return err_setc(e, EXIT_USAGE, "%s '%s': expected 4800, "
			    "9600, 19200 or 38400", opt, arg);
		return 0;
	case OPT_PARITY:
		if (bus_parity_parse(arg, &o->parity) == -1)
			return err_setc(e, EXIT_USAGE, "%s '%s': expected none, "
			    "even or odd", opt, arg);
		return 0;
	case OPT_STOP:
		if (strcmp(arg, "1") != 0 && strcmp(arg, "2") != 0)
			return err_setc(e, EXIT_USAGE, "%s '%s': expected 1 or 2",
			    opt, arg);
		o->stop_bits = arg[0] - '0';
		return 0;
	case OPT_FIRST:
		return cli_number(opt, arg, 1, 247, &o->first, e);
	case OPT_LAST:
		return cli_number(opt, arg, 1, 247, &o->last, e);
	case OPT_TIMEOUT:
		return cli_number(opt, arg, 10, 10000, &o->timeout_ms, e);
	case OPT_THEME:
		if (strchr(arg, '/') != NULL)
			return err_setc(e, EXIT_USAGE, "%s '%s': expected a "
			    "theme name (themes/NAME.theme), not a path", opt,
			    arg);
		return cli_text(opt, arg, "a theme name", &o->theme, e);
	case OPT_ASCII:
		o->ascii = 1;
		return 0;
	case OPT_RTU_TCP:
		o->rtu_tcp = 1;
		return 0;
	case OPT_NOCOLOR:
		o->no_color = 1;
		return 0;
	}
	return err_setc(e, EXIT_SOFTWARE, "%s: not handled", opt);
}

/* Name of a mode as the user chose it, for "does not fit" messages. */
static const char *
cli_mode_name(const struct cli_seen *s)
{
	return s->mode_opt[0] != '\0' ? s->mode_opt : "the console";
}

/* Every option seen fits the mode; --first is not above --last. */
static int
cli_check(const struct opts *o, const struct cli_seen *s, struct err *e)
{
	char	buf[32];
	int	i;

	for (i = 0; i < NOPTS; i++) {
		if (!s->seen[i] || cli_table[i].modes == 0 ||
		    (cli_table[i].modes & (1u << o->mode)))
			continue;
		return err_setc(e, EXIT_USAGE, "%s does not apply to %s; it is "
		    "for %s", cli_spelling(i, buf, sizeof buf),
		    cli_mode_name(s), cli_table[i].fits);
	}
	if (o->mode == MODE_SCAN && o->first > o->last)
		return err_setc(e, EXIT_USAGE, "--first %d is above --last %d",
		    o->first, o->last);
	return 0;
}

/* Report getopt's complaint (opterr is off) in our words. */
static int
cli_getopt_error(int c, int argc, char **argv, struct err *e)
{
	const char	*arg = optind - 1 < argc ? argv[optind - 1] : "";
	char		 buf[32];
	int		 i;
	size_t		 n;

	if (c == ':') {
		if ((i = cli_index(optopt)) != -1)
			arg = cli_spelling(i, buf, sizeof buf);
		return err_setc(e, EXIT_USAGE, "option '%s' needs a value", arg);
	}
	/*
	 * A long option given a value it does not take ("--demo=1"): getopt
	 * sets optopt to the option's val, which for a long-only option is
	 * no character at all (256 printed as '%c' is a NUL).
	 */
	if (strncmp(arg, "--", 2) == 0 && strchr(arg, '=') != NULL &&
	    optopt != 0 && (i = cli_index(optopt)) != -1)
		return err_setc(e, EXIT_USAGE, "option '--%s' takes no value "
		    "(given '%s')", cli_table[i].name, arg);
	if (optopt > 0 && optopt < 256)
		return err_setc(e, EXIT_USAGE, "unknown option '-%c'", optopt);
	n = strcspn(arg, "=");
	return err_setc(e, EXIT_USAGE, "unknown option '%.*s'", (int)n, arg);
}

/* The defaults of every field. */
static void
cli_defaults(struct opts *o)
{
	const char	*nc;

	memset(o, 0, sizeof *o);
	o->mode = MODE_CONSOLE;
	o->cycles = 1;
	o->csv_dialect = CSV_RFC4180;
	o->baud = 19200;
	o->parity = 'N';
	o->stop_bits = 1;
	o->first = 1;
	o->last = 247;
	/* https://no-color.org: set and not empty */
	if ((nc = getenv("NO_COLOR")) != NULL && *nc != '\0')
		o->no_color = 1;
}

int
cli_parse(int argc, char **argv, struct opts *o, struct err *e)
{
	struct option	 longopts[NOPTS + 1];
	struct cli_seen	 s;
	char		 buf[32];
	const char	*opt;
	int		 c, i;

	cli_defaults(o);
	memset(&s, 0, sizeof s);
	memset(longopts, 0, sizeof longopts);
	for (i = 0; i < NOPTS; i++) {
		longopts[i].name = cli_table[i].name;
		longopts[i].has_arg = cli_table[i].has_arg;
		longopts[i].val = cli_table[i].val;
	}
	opterr = 0;
	optind = 0;	/* glibc: full reinitialisation (unit tests call twice) */
	while ((c = getopt_long(argc, argv, ":c:vhV", longopts, NULL)) != -1) {
		if (c == '?' || c == ':')
			return cli_getopt_error(c, argc, argv, e);
		if (c == OPT_HELP || c == OPT_VERSION) {
			o->mode = c == OPT_HELP ? MODE_HELP : MODE_VERSION;
			return 0;
		}
		i = cli_index(c);
		opt = cli_spelling(i, buf, sizeof buf);
		if (s.seen[i] && cli_table[i].has_arg && cli_table[i].modes)
			return err_setc(e, EXIT_USAGE, "%s given twice", opt);
		s.seen[i] = 1;
		if (cli_apply(o, &s, c, opt, optarg, e) == -1)
			return -1;
	}
	if (optind < argc)
		return err_setc(e, EXIT_USAGE, "unexpected argument '%s'",
		    argv[optind]);
	return cli_check(o, &s, e);
}

void
cli_usage(FILE *fp)
{
	fputs(
"Usage: countis-tui [-c FILE]                the console\n"
"       countis-tui --demo                   the console on simulated meters\n"
"       countis-tui --check-config [-c FILE] validate and summarise the configuration\n"
"       countis-tui --export-csv PATH|- [--cycles N] [-c FILE]\n"
"                                            poll every meter N times, write CSV\n"
"       countis-tui --scan TARGET [--baud B] [--parity none|even|odd]\n"
"                   [--stop-bits 1|2] [--first A] [--last A] [--timeout-ms T]\n"
"                   [--rtu-tcp]\n"
"                                            find the units answering on a bus\n"
"       countis-tui --headless [-c FILE]     poll and run the exporters as a service\n"
"       countis-tui --help | --version\n"
"\n"
"Options:\n"
"  -c, --config FILE       configuration file; else $COUNTIS_TUI_CONFIG, else\n"
"                          ./countis-tui.ini, else $XDG_CONFIG_HOME/countis-tui/\n"
"                          countis-tui.ini (default ~/.config), else\n"
"                          /etc/countis-tui.ini\n"
"  --demo                  start countis-sim and watch its meters; no config\n"
"  --check-config          validate the configuration, print buses and meters\n"
"  --export-csv PATH|-     headless: write CSV to PATH, or stdout for -\n"
"  --cycles N              poll cycles for --export-csv, 1..1000000 (default 1)\n"
"  --csv-dialect D         rfc4180 (default) or excel-eu (';', decimal comma)\n"
"  --headless              no screen: poll and run the configured exporters\n"
"                          ([prometheus], [mqtt]) until SIGTERM; SIGHUP reloads\n"
"  --scan TARGET           headless bus scan of a serial device or host[:port];\n"
"                          reads only, never writes\n"
"  --baud B                scan speed: 4800, 9600, 19200 (default) or 38400\n"
"  --parity P              scan parity: none (default), even or odd\n"
"  --stop-bits S           scan stop bits: 1 (default) or 2\n"
"  --first A, --last A     scan addresses A, 1..247 (default 1 to 247)\n"
"  --timeout-ms T          scan answer timeout, 10..10000 (default: from speed)\n"
"  --rtu-tcp               scan host[:port] with RTU frames over TCP (a serial-\n"
"                          to-Ethernet converter; --baud etc. are its line's)\n"
"  --theme NAME            colours from themes/NAME.theme\n"
"  --ascii                 draw with ASCII only\n"
"  --no-color              no colours (also when NO_COLOR is set)\n"
"  --log FILE              write a debug log to FILE\n"
"  -v, --verbose           more detail (repeatable)\n"
"  -h, --help              this help, to stdout\n"
"  -V, --version           the version, to stdout\n"
"\n"
"Exit status: 0 success, 64 usage error, 66 a file or device that cannot be\n"
"opened, 69 a batch run in which some meter never answered, 78 configuration\n"
"error. See countis-tui(1).\n", fp);
}
