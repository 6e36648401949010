/*
 * main.c: countis-tui's entry point. Parses the command line, finds and
 * loads the configuration when the mode needs one, runs the mode and exits
 * with its status (PRODUCT.md: 0, 64, 66, 69, 78). It is the only place that
 * decides to exit; the modes live in their own modules (run_* in cli.h).
 */
#include "ac-config.h"	/* autoconf: PACKAGE_VERSION */

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/*
 * Print a message, each of its lines prefixed with the program name. A
 * control byte (from an argument or a file) is written as \xNN: it never
 * reaches the terminal raw.
 */
static void
main_error(const char *msg)
{
	const unsigned char	*p;

	do {
		fputs("countis-tui: ", stderr);
		for (p = (const unsigned char *)msg; *p != '\0' && *p != '\n';
		    p++) {
			if (*p < 0x20 || *p == 0x7F)
				fprintf(stderr, "\\x%02X", *p);
			else
				fputc(*p, stderr);
		}
		fputc('\n', stderr);
		msg = (const char *)p;
	} while (*msg++ != '\0');
}

/* --check-config: every complaint of the file, as it is found. */
static void
main_complaint(void *arg, const char *complaint)
{
	(*(int *)arg)++;
	main_error(complaint);
}

/* Write to stdout and say so if it failed (e.g. a closed pipe). */
static int
main_flush(void)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		perror("countis-tui: stdout");
		return EXIT_SOFTWARE;
	}
	return EXIT_OK;
}

/* Find, load and adjust the configuration; then run the mode. */
static int
main_configured(const struct opts *o)
{
	struct config	*cfg;
	struct err	 e;
	char		 path[PATH_MAX];
	int		 rc, nerrors = 0;

	memset(&e, 0, sizeof e);
	/* struct config holds 512 meters: keep it off the stack */
	if ((cfg = malloc(sizeof *cfg)) == NULL) {
		perror("countis-tui");
		return EXIT_SOFTWARE;
	}
	config_init(cfg);
	if (config_find(o->config_path, path, sizeof path, &e) == -1 ||
	    config_load_each(cfg, path, o->mode == MODE_CHECK_CONFIG ?
	    main_complaint : NULL, &nerrors, &e) == -1) {
		/* --check-config printed every complaint already */
		if (nerrors == 0)
			main_error(e.msg);
		else if (nerrors > 1)
			fprintf(stderr, "countis-tui: %d errors in the "
			    "configuration\n", nerrors);
		free(cfg);
		return e.code ? e.code : EXIT_CONFIG;
	}
	if (o->csv_dialect_set)
		cfg->csv_dialect = o->csv_dialect;
	if (o->theme != NULL) {
		free(cfg->theme);
		if ((cfg->theme = strdup(o->theme)) == NULL) {
			perror("countis-tui");
			config_free(cfg);
			free(cfg);
			return EXIT_SOFTWARE;
		}
	}
	switch (o->mode) {
	case MODE_CHECK_CONFIG:
		rc = run_check_config(o, cfg);
		break;
	case MODE_EXPORT_CSV:
		rc = run_export_csv(o, cfg);
		break;
	case MODE_HEADLESS:
		rc = run_headless(o, cfg);
		break;
	default:
		rc = run_console(o, cfg);
		break;
	}
	config_free(cfg);
	free(cfg);
	return rc;
}

int
main(int argc, char **argv)
{
	struct opts	o;
	struct err	e;

	memset(&e, 0, sizeof e);
	if (cli_parse(argc, argv, &o, &e) == -1) {
		main_error(e.msg);
		if (e.code == EXIT_USAGE || e.code == 0)
			fprintf(stderr, "Try 'countis-tui --help' for more "
			    "information.\n");
		return e.code ? e.code : EXIT_USAGE;
	}
	switch (o.mode) {
	case MODE_HELP:
		cli_usage(stdout);
		return main_flush();
	case MODE_VERSION:
		printf("countis-tui %s\n", PACKAGE_VERSION);
		return main_flush();
	case MODE_DEMO:
		return run_demo(&o);
	case MODE_SCAN:
		return run_scan(&o);
	default:
		return main_configured(&o);
	}
}
