/*
 * cli.h: the command line of countis-tui (PRODUCT.md) and the entry point of
 * each mode. main.c parses, loads the configuration, and calls one run_*;
 * each returns the process exit code (err.h enum exit_code) after writing
 * any message to stderr (the console restores the terminal first).
 */
#ifndef CLI_H
#define CLI_H

#include <stdio.h>

#include "conf.h"
#include "err.h"

enum cli_mode { MODE_CONSOLE, MODE_DEMO, MODE_CHECK_CONFIG, MODE_EXPORT_CSV,
	MODE_SCAN, MODE_HELP, MODE_VERSION, MODE_HEADLESS };

struct opts {
	enum cli_mode	 mode;
	const char	*config_path;	/* -c FILE, or NULL */
	int		 verbose;	/* -v count */
	/* --export-csv */
	const char	*export_path;	/* PATH or "-" */
	int		 cycles;	/* --cycles N, default 1 */
	int		 csv_dialect_set;
	enum csv_dialect csv_dialect;	/* --csv-dialect rfc4180|excel-eu */
	/* --scan */
	const char	*scan_target;	/* serial device or host[:port] */
	int		 baud;		/* default 19200 */
	char		 parity;	/* 'N' 'E' 'O', default 'N' */
	int		 stop_bits;	/* default 1 */
	int		 first, last;	/* default 1..247 */
	int		 timeout_ms;	/* 0: derived from the line speed */
	int		 rtu_tcp;	/* --rtu-tcp: RTU frames over TCP */
	/* display */
	int		 no_color;	/* --no-color or NO_COLOR set */
	int		 ascii;		/* --ascii */
	const char	*theme;		/* --theme NAME, overrides the config */
	const char	*log_path;	/* --log FILE: debug log while curses runs */
};

/* Parse argv into o. Returns 0, or -1 with e->code EXIT_USAGE and a message. */
int	cli_parse(int argc, char **argv, struct opts *o, struct err *e);
void	cli_usage(FILE *);

/* Locations: the build tree when run from it, else the installed ones. */
const char *paths_data_dir(void);	/* holds e34-register-map.tsv */
const char *paths_themes_dir(void);	/* holds NAME.theme */
const char *paths_sim_binary(void);	/* countis-sim */

/* Mode entry points (each in its own module). */
int	run_check_config(const struct opts *, const struct config *);
int	run_export_csv(const struct opts *, const struct config *);
int	run_scan(const struct opts *);
int	run_console(const struct opts *, const struct config *);
int	run_demo(const struct opts *);
int	run_headless(const struct opts *, const struct config *);

#endif
