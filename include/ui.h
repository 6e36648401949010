/*
 * ui.h: the console, as the application sees it (run-console.c, demo.c).
 *
 * run_console() creates the event loop, the engine and the ui, then runs
 * the loop. The ui owns the terminal, the windows, the keys, the signals
 * and the redraw timing:
 *
 *   - keys are read by an ev_io on stdin and handled at once;
 *   - data changes (engine cycles, the 1 s clock) mark the ui dirty, and an
 *     ev_prepare redraws before the loop blocks, at most every refresh_ms;
 *     a key redraws at once;
 *   - each redraw erases and draws the windows, wnoutrefresh()es each, and
 *     calls doupdate() once (curses sends only what changed: no flicker);
 *   - SIGINT, SIGTERM and SIGHUP end the loop through ev_signal; SIGWINCH
 *     is ours too (an ev_signal started before curses, so ncurses installs
 *     no handler of its own): we read the size and call resizeterm();
 *   - fatal signals and libev's syserr callback restore the terminal first
 *     (ui-term.c).
 *
 * Screens and overlays see the console through src/ui/screen.h.
 */
#ifndef UI_H
#define UI_H

#include <sys/types.h>

#include <ev.h>

#include "cli.h"
#include "conf.h"
#include "engine.h"
#include "err.h"
#include "meter.h"

struct ui;

/*
 * Lifecycle (run-console.c drives it). ui_new checks the locale, loads the
 * theme (an error names file:line, e->code 78), checks that stdin and
 * stdout are a terminal (e->code 64) and opens the log; curses is not
 * touched. ui_start takes the terminal (needs the engine); ui_stop gives
 * it back (idempotent); ui_free releases the rest.
 */
struct ui	*ui_new(struct ev_loop *, const struct opts *,
		    const struct config *, struct err *);
int		 ui_start(struct ui *, struct engine *, struct err *);
void		 ui_stop(struct ui *);
void		 ui_free(struct ui *);
/* The exit status the console asks for (q: 0, a signal: 128 + n). */
int		 ui_exit_code(const struct ui *);

/* The engine's cycle callback: a meter has new data. */
void		 ui_cycle_cb(void *ui, const struct meter *);

/* --- Terminal safety (ui-term.c) --- */
/* Remember the terminal settings before curses starts. */
void		 ui_term_save(void);
/* Curses is up: arm fatal-signal handlers that reset the terminal. */
void		 ui_term_arm(void);
/* Curses is down: the handlers stay but do not touch the terminal. */
void		 ui_term_disarm(void);
/* Remove path (a file, or with dir = 1 an empty directory) if a fatal
 * signal ends the program (--demo's temporary files). */
void		 ui_term_cleanup_path(const char *path, int dir);
/* Send pid SIGTERM if a signal ends the program (--demo's simulator). */
void		 ui_term_cleanup_child(pid_t pid);
/* Forget the paths and the child: they are cleaned up already. */
void		 ui_term_forget_paths(void);
/*
 * While curses owns the screen nothing may write to stderr: send fd 2 to fd
 * (the --log file or /dev/null) and bring it back after endwin.
 */
int		 ui_term_stderr_to(int fd);
void		 ui_term_stderr_back(void);
/* libev syserr callback: restore the terminal, report, abort. */
void		 ui_term_syserr_cb(const char *msg);

#endif
