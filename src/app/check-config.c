/*
 * check-config.c: --check-config, a summary of a configuration that
 * config_load accepted: the file, the console settings, each bus with its
 * meters, and whether each bus can carry one poll round of its meters
 * within the smallest poll_ms asked of it (wire time from the engine's poll
 * plan, engine_round_wire_us). Validation itself is config.c's job.
 */
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "csv.h"
#include "engine.h"

/* Print microseconds as milliseconds with one decimal, no floating point. */
static void
check_print_ms(FILE *fp, uint32_t us)
{
	uint32_t	tenths = (us + 50) / 100;

	fprintf(fp, "%u.%u ms", tenths / 10, tenths % 10);
}

/* One bus: its line, its meters and the poll round it needs. */
static void
check_bus(const struct opts *o, const struct config *cfg, int b)
{
	const struct bus_conf	*bc = &cfg->buses[b];
	const struct meter_conf	*mc;
	uint32_t		 round_us;
	int			 i, n = 0, wanted = 0, fastest = -1;

	printf("bus %s (line %d): ", bc->name, bc->line);
	if (bc->type == BUS_RTU)
		printf("rtu %s", bc->device);
	else
		printf("%s %s:%d, serial side", bus_type_name(bc->type),
		    bc->host, bc->port);
	printf(" %d baud, parity %s, %d stop bit%s (8%c%d), timeout %d ms\n",
	    bc->baud, bus_parity_name(bc->parity), bc->stop_bits,
	    bc->stop_bits > 1 ? "s" : "", bc->parity, bc->stop_bits,
	    bc->timeout_ms);
	for (i = 0; i < cfg->nmeters; i++) {
		mc = &cfg->meters[i];
		if (mc->bus != b)
			continue;
		printf("  meter %s (line %d): address %d, poll_ms %d, "
		    "label \"%s\"\n", mc->name, mc->line, mc->address,
		    mc->poll_ms, mc->label);
		if (fastest == -1 || mc->poll_ms < wanted) {
			wanted = mc->poll_ms;
			fastest = i;
		}
		n++;
	}
	if (n == 0) {
		printf("  no meters: the bus is not used\n");
		return;
	}
	round_us = engine_round_wire_us(bc, n);
	if (round_us == 0)
		printf("  poll round: no wire-time bound for this bus%s\n",
		    bc->type == BUS_TCP ? " (TCP)" : "");
	else {
		printf("  poll round of %d meter%s: ", n, n > 1 ? "s" : "");
		check_print_ms(stdout, round_us);
		printf(" on the wire, wanted every %d ms (meter %s)\n", wanted,
		    cfg->meters[fastest].name);
		if (round_us > (uint32_t)wanted * 1000u)
			printf("  warning: bus %s cannot carry poll_ms %d: one "
			    "round takes longer; the console will refresh "
			    "slower\n", bc->name, wanted);
	}
	if (o->verbose > 0)
		engine_print_plan(bc, stdout);
}

int
run_check_config(const struct opts *o, const struct config *cfg)
{
	int	b;

	printf("config: %s\n", cfg->path);
	printf("console: theme %s, refresh_ms %d, writes %s, export_dir %s, "
	    "csv_dialect %s\n", cfg->theme, cfg->refresh_ms,
	    cfg->writes ? "on" : "off", cfg->export_dir,
	    csv_dialect_name(cfg->csv_dialect));
	for (b = 0; b < cfg->nbuses; b++)
		check_bus(o, cfg, b);
	printf("ok: %d bus%s, %d meter%s\n", cfg->nbuses,
	    cfg->nbuses == 1 ? "" : "es", cfg->nmeters,
	    cfg->nmeters == 1 ? "" : "s");
	if (fflush(stdout) == EOF || ferror(stdout))
		return EXIT_SOFTWARE;
	return EXIT_OK;
}
