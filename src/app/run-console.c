/*
 * run-console.c: the console mode (run_console): make the loop, the engine
 * and the view, run until q or a signal, then take them down in the order
 * that gives the terminal back first (the engine may wait for a bus worker
 * to finish its transaction).
 */
#include <stdio.h>

#include <ev.h>

#include "cli.h"
#include "consumer.h"
#include "engine.h"
#include "ui.h"

int
run_console(const struct opts *o, const struct config *cfg)
{
	struct ev_loop	*loop;
	struct engine	*eng = NULL;
	struct ui	*ui = NULL;
	struct exporters x = { .state = { NULL } };
	struct err	 e = { .code = 0 };
	int		 rc;

	if ((loop = ev_default_loop(EVFLAG_AUTO)) == NULL) {
		fprintf(stderr, "countis-tui: cannot create the event loop\n");
		return EXIT_SOFTWARE;
	}
	/* Theme and locale first: a theme error exits 78 before anything. */
	if ((ui = ui_new(loop, o, cfg, &e)) == NULL)
		goto fail;
	if ((eng = engine_new(loop, cfg, &e)) == NULL)
		goto fail;
	engine_on_cycle(eng, ui_cycle_cb, ui);
	if (exporters_open(&x, loop, eng, cfg, &e) == -1)
		goto fail;
	if (engine_start(eng, &e) == -1)
		goto fail;
	if (ui_start(ui, eng, &e) == -1)
		goto fail;
	ev_run(loop, 0);
	rc = ui_exit_code(ui);
	ui_stop(ui);
	engine_stop(eng);
	exporters_close(&x);
	engine_free(eng);
	ui_free(ui);
	ev_loop_destroy(loop);
	return rc;
fail:
	if (ui != NULL)
		ui_stop(ui);
	if (eng != NULL) {
		engine_stop(eng);
		exporters_close(&x);
		engine_free(eng);
	}
	ui_free(ui);
	ev_loop_destroy(loop);
	fprintf(stderr, "countis-tui: %s\n", e.msg);
	return e.code != 0 ? e.code : EXIT_SOFTWARE;
}
