/*
 * test-cli.c: cli.c's cli_parse fills struct opts as PRODUCT.md and cli.h
 * say: defaults, every option's value, NO_COLOR, and exit code 64 on every
 * refusal; and paths.c's choice of directories. The messages themselves
 * are checked by tests/sh/cli.sh.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "t.h"

/* Parse a NULL-terminated argument list (argv[0] is added). */
static int
parse(struct opts *o, struct err *e, const char *const *args)
{
	char	*argv[32];
	int	 argc = 0;

	argv[argc++] = (char *)"countis-tui";
	while (*args != NULL && argc < 31)
		argv[argc++] = (char *)*args++;
	argv[argc] = NULL;
	memset(e, 0, sizeof *e);
	return cli_parse(argc, argv, o, e);
}

#define PARSE(o, e, ...) parse((o), (e), (const char *[]){ __VA_ARGS__, NULL })

/* Invariants of any accepted opts. */
static void
opts_assert_sane(const struct opts *o)
{
	T_OK(o->cycles >= 1 && o->cycles <= 1000000);
	T_OK(o->first >= 1 && o->first <= o->last && o->last <= 247);
	T_OK(o->parity == 'N' || o->parity == 'E' || o->parity == 'O');
	T_OK(o->stop_bits == 1 || o->stop_bits == 2);
	T_OK(o->timeout_ms == 0 || (o->timeout_ms >= 10 &&
	    o->timeout_ms <= 10000));
	T_OK(o->mode != MODE_EXPORT_CSV || o->export_path != NULL);
	T_OK(o->mode != MODE_SCAN || o->scan_target != NULL);
}

static void
test_cli__defaults(void)
{
	struct opts	o;
	struct err	e;

	unsetenv("NO_COLOR");
	T_EQ_INT(parse(&o, &e, (const char *[]){ NULL }), 0);
	opts_assert_sane(&o);
	T_EQ_INT(o.mode, MODE_CONSOLE);
	T_OK(o.config_path == NULL);
	T_EQ_INT(o.verbose, 0);
	T_EQ_INT(o.cycles, 1);
	T_EQ_INT(o.csv_dialect_set, 0);
	T_EQ_INT(o.baud, 19200);
	T_EQ_INT(o.parity, 'N');
	T_EQ_INT(o.stop_bits, 1);
	T_EQ_INT(o.first, 1);
	T_EQ_INT(o.last, 247);
	T_EQ_INT(o.timeout_ms, 0);
	T_EQ_INT(o.no_color, 0);
	T_EQ_INT(o.ascii, 0);
	T_OK(o.theme == NULL && o.log_path == NULL);
}

static void
test_cli__console_options(void)
{
	struct opts	o;
	struct err	e;

	T_EQ_INT(PARSE(&o, &e, "-c", "x.ini", "-vvv", "--theme", "night",
	    "--ascii", "--no-color", "--log", "/tmp/l", "--csv-dialect",
	    "excel-eu"), 0);
	opts_assert_sane(&o);
	T_EQ_INT(o.mode, MODE_CONSOLE);
	T_EQ_STR(o.config_path, "x.ini");
	T_EQ_INT(o.verbose, 3);
	T_EQ_STR(o.theme, "night");
	T_EQ_INT(o.ascii, 1);
	T_EQ_INT(o.no_color, 1);
	T_EQ_STR(o.log_path, "/tmp/l");
	T_EQ_INT(o.csv_dialect_set, 1);
	T_EQ_INT(o.csv_dialect, CSV_EXCEL_EU);
}

static void
test_cli__no_color_env(void)
{
	struct opts	o;
	struct err	e;

	setenv("NO_COLOR", "", 1);
	T_EQ_INT(PARSE(&o, &e, "--demo"), 0);
	T_EQ_INT(o.no_color, 0);		/* set but empty: ignored */
	setenv("NO_COLOR", "1", 1);
	T_EQ_INT(PARSE(&o, &e, "--demo"), 0);
	T_EQ_INT(o.no_color, 1);
	T_EQ_INT(o.mode, MODE_DEMO);
	unsetenv("NO_COLOR");
}

static void
test_cli__export(void)
{
	struct opts	o;
	struct err	e;

	T_EQ_INT(PARSE(&o, &e, "--cycles", "1000000", "--export-csv", "-"), 0);
	opts_assert_sane(&o);
	T_EQ_INT(o.mode, MODE_EXPORT_CSV);
	T_EQ_STR(o.export_path, "-");
	T_EQ_INT(o.cycles, 1000000);
	T_EQ_INT(PARSE(&o, &e, "--export-csv=out.csv", "--config=a.ini"), 0);
	T_EQ_STR(o.export_path, "out.csv");
	T_EQ_STR(o.config_path, "a.ini");
}

static void
test_cli__scan(void)
{
	struct opts	o;
	struct err	e;

	T_EQ_INT(PARSE(&o, &e, "--scan", "192.0.2.1:1502", "--baud", "4800",
	    "--parity", "even", "--stop-bits", "2", "--first", "5", "--last",
	    "5", "--timeout-ms", "10"), 0);
	opts_assert_sane(&o);
	T_EQ_INT(o.mode, MODE_SCAN);
	T_EQ_STR(o.scan_target, "192.0.2.1:1502");
	T_EQ_INT(o.baud, 4800);
	T_EQ_INT(o.parity, 'E');
	T_EQ_INT(o.stop_bits, 2);
	T_EQ_INT(o.first, 5);
	T_EQ_INT(o.last, 5);
	T_EQ_INT(o.timeout_ms, 10);
	T_EQ_INT(PARSE(&o, &e, "--scan", "/dev/ttyUSB0", "--parity", "odd",
	    "--last", "247", "--timeout-ms", "10000"), 0);
	T_EQ_INT(o.parity, 'O');
	T_EQ_INT(o.timeout_ms, 10000);
}

static void
test_cli__help_and_version(void)
{
	struct opts	o;
	struct err	e;

	T_EQ_INT(PARSE(&o, &e, "--help"), 0);
	T_EQ_INT(o.mode, MODE_HELP);
	T_EQ_INT(PARSE(&o, &e, "--demo", "-V"), 0);
	T_EQ_INT(o.mode, MODE_VERSION);
}

/* Each refusal is exit 64 and names the option. */
static void
test_cli__refusals(void)
{
	static const struct {
		const char	*args[8];
		const char	*want;
	} cases[] = {
		{ { "--cycles", "0", "--export-csv", "-" }, "--cycles '0'" },
		{ { "--first", "248", "--scan", "x" }, "--first '248'" },
		{ { "--scan", "x", "--first", "9", "--last", "3" },
		  "--first 9 is above --last 3" },
		{ { "--demo", "--scan", "x" }, "--demo and --scan" },
		{ { "--check-config", "--check-config" },
		  "--check-config given twice" },
		{ { "--log", "" }, "--log ''" },
		{ { "-c", "a", "--scan", "x" }, "-c does not apply to --scan" },
		{ { "--nope" }, "unknown option '--nope'" },
		{ { "--export-csv", "-", "stray" }, "unexpected argument 'stray'" },
	};
	struct opts	o;
	struct err	e;
	size_t		i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		T_EQ_INT(parse(&o, &e, cases[i].args), -1);
		T_EQ_INT(e.code, EXIT_USAGE);
		T_CONTAINS(e.msg, cases[i].want);
	}
}

/* This program runs from the build tree: source data, built countis-sim. */
static void
test_cli__paths(void)
{
	unsetenv("COUNTIS_TUI_DATADIR");
	unsetenv("COUNTIS_TUI_THEMES");
	unsetenv("COUNTIS_SIM");
	T_EQ_STR(paths_data_dir(), ABS_TOP_SRCDIR "/data");
	T_EQ_STR(paths_themes_dir(), ABS_TOP_SRCDIR "/themes");
	T_EQ_STR(paths_sim_binary(), ABS_TOP_BUILDDIR "/countis-sim");
	T_OK(access(ABS_TOP_SRCDIR "/data/e34-register-map.tsv", R_OK) == 0);
	setenv("COUNTIS_TUI_DATADIR", "/d", 1);
	setenv("COUNTIS_TUI_THEMES", "/t", 1);
	setenv("COUNTIS_SIM", "/s", 1);
	T_EQ_STR(paths_data_dir(), "/d");
	T_EQ_STR(paths_themes_dir(), "/t");
	T_EQ_STR(paths_sim_binary(), "/s");
	setenv("COUNTIS_SIM", "", 1);	/* empty: not set */
	T_EQ_STR(paths_sim_binary(), ABS_TOP_BUILDDIR "/countis-sim");
	unsetenv("COUNTIS_TUI_DATADIR");
	unsetenv("COUNTIS_TUI_THEMES");
	unsetenv("COUNTIS_SIM");
}

int
main(void)
{
	T_RUN(test_cli__defaults);
	T_RUN(test_cli__console_options);
	T_RUN(test_cli__no_color_env);
	T_RUN(test_cli__export);
	T_RUN(test_cli__scan);
	T_RUN(test_cli__help_and_version);
	T_RUN(test_cli__refusals);
	T_RUN(test_cli__paths);
	return t_done();
}
