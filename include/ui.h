/*
 * ui.h: the console's view: the screen manager and the context screens get.
 *
 * struct ui is the view's part of the application: run_console() creates
 * the event loop, the engine and the ui, then runs the loop. Screens read
 * the model through the accessors below (const pointers, never blocking)
 * and draw; the manager owns the terminal, the windows, the keys, the
 * signals and the redraw timing:
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
 */
#ifndef UI_H
#define UI_H

#include <stdint.h>
#include <stdio.h>

#include <curses.h>
#include <ev.h>

#include "cli.h"
#include "conf.h"
#include "engine.h"
#include "err.h"
#include "meter.h"
#include "screen.h"
#include "theme.h"
#include "widget.h"

#define UI_MIN_COLS	80
#define UI_MIN_ROWS	22
#define UI_MAX_SCREENS	16

struct ui_record;
struct ui_write;

struct ui {
	struct ev_loop		*loop;
	struct engine		*engine;
	const struct config	*cfg;
	const struct opts	*opts;
	struct theme		 theme;
	const struct glyphs	*g;
	int			 utf8;		/* draw UTF-8 glyphs */
	int			 color;		/* colours in use */
	FILE			*log;		/* --log FILE, or NULL */

	int			 selected;	/* meter index; -1: none */
	int			 cur;		/* index into the screen table */
	int			 prev;		/* screen to return to */
	void			*state[UI_MAX_SCREENS];
	int			 help;		/* help overlay shown */
	int			 help_top;	/* its first line shown */
	int			 help_page;	/* lines it shows (last draw) */
	int			 help_lines;	/* lines it has (last draw) */

	int			 running;	/* curses owns the terminal */
	int			 dirty;		/* something changed */
	int			 urgent;	/* a key: redraw now */
	int64_t			 last_draw_ms;
	int64_t			 key_us;	/* when the pending key came */
	int			 key_code;
	int			 empty_reads;	/* readable, nothing read */
	uint64_t		 redraws;
	int			 rows, cols;
	SCREEN			*term;		/* from newterm */
	WINDOW			*title, *body, *status;
	char			 msg[200];	/* transient status message */
	int64_t			 msg_until_ms;
	int			 exit_code;
	/* How the engine reads each register (enum ui_poll), from its plan. */
	unsigned char		 reg_poll[REG__COUNT];
	int			 slow_every_ms;

	/* On every screen: CSV recording (R, X) and guarded writes (t, C). */
	struct ui_record	*rec;
	struct ui_write		*wr;

	ev_io			 input;
	ev_signal		 sig_int, sig_term, sig_hup, sig_winch;
	ev_prepare		 prepare;
	ev_timer		 tick;		/* ages and clock: every second */
	ev_timer		 throttle;	/* wakes the loop for a late redraw */
};

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

/* The engine's cycle callback: a meter has new data. */
void		 ui_cycle_cb(void *ui, const struct meter *);

/* --- For screens --- */
int		 ui_nmeters(const struct ui *);
const struct meter *ui_meter_at(const struct ui *, int index);
/* The selected meter, or NULL when none is configured. */
const struct meter *ui_meter(const struct ui *);
void		 ui_select(struct ui *, int index);
/* The private state of screen ops (its open()'s result), or NULL. */
void		*ui_screen_state(struct ui *, const struct screen_ops *);
/* Show the screen named name ("meter"); returns -1 if there is none. */
int		 ui_show(struct ui *, const char *name);
int64_t		 ui_now_ms(const struct ui *);
attr_t		 ui_attr(const struct ui *, enum theme_elem);
/* A message on the status line for a few seconds. */
void		 ui_message(struct ui *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
/* Data changed: redraw within refresh_ms. */
void		 ui_mark_dirty(struct ui *);
/* s (a label, a name) fitted into cols columns with the ellipsis glyph
 * when cut (widget_fit); returns buf. */
const char	*ui_fit(const struct ui *, char *buf, size_t len, const char *s,
		    int cols);
/* Debug log line (only with --log). */
void		 ui_log(const struct ui *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/* How a value is shown. */
enum ui_val {
	UV_NONE,	/* never read: "---" */
	UV_NA,		/* the meter said "not available" (sentinel): "n/a" */
	UV_FRESH,	/* read within the stale limit */
	UV_STALE	/* older, or the meter's last cycle failed: show
			 * dimmed, with its age */
};
/*
 * Text of register id of meter m into buf, with the row's decimals
 * (reg_format), scaled by 10^shift first (shift -3 turns W into kW); the
 * age of the value in *age_ms (-1 if never read). Never prints 0 for a
 * value that was not read.
 */
enum ui_val	 ui_reg_text(const struct ui *, const struct meter *,
		    enum reg_id, int shift, char *buf, size_t len,
		    int64_t *age_ms);
/*
 * The one staleness rule, for every screen: a value of register id of
 * meter m read age_ms ago is not live (1) when it is older than
 * ui_reg_stale_ms or the meter's last cycle failed. ui_reg_text applies it.
 */
int		 ui_reg_stale(const struct ui *, const struct meter *,
		    enum reg_id, int64_t age_ms);
/* How old meter m's values are: since its last good cycle (-1: never). */
int64_t		 ui_meter_age_ms(const struct ui *, const struct meter *);
/*
 * A value's text marked for a reader without colours: UI_STALE_MARK
 * before it when uv is UV_STALE ("~36122.25"), if the result fits in cols
 * columns (cols <= 0: always). Where it is shown, the age is said too:
 * the state ("timeout 12s", "offline 2m", "stale 12s") or a caption.
 * Returns buf.
 */
#define UI_STALE_MARK	"~"
const char	*ui_val_mark(enum ui_val, char *buf, size_t len, int cols);
/* a, or b when a was never read and b was (one fact in two blocks, such as
 * the active tariff at 0xC6A1 and its copy at 0xC801). */
enum reg_id	 ui_reg_pick(const struct meter *, enum reg_id a, enum reg_id b);
/* A value older than this is stale (twice the refresh the bus achieves). */
int64_t		 ui_stale_ms(const struct ui *, const struct meter *);

/* How often the engine reads a register (its poll plan). */
enum ui_poll {
	UP_NONE,	/* never: not in the plan */
	UP_EVERY,	/* every poll cycle */
	UP_SLOW,	/* at start, then every slow_every_ms */
	UP_IDENT	/* once per identification (constants) */
};
enum ui_poll	 ui_reg_poll(const struct ui *, enum reg_id);
/*
 * The age past which register id of meter m is stale: ui_stale_ms for
 * what every cycle reads, twice the slow period for the slow set, and
 * no limit for identification constants (INT64_MAX).
 */
int64_t		 ui_reg_stale_ms(const struct ui *, const struct meter *,
		    enum reg_id);
/* The bus view of meter m, or NULL. */
const struct bus_view *ui_meter_bus(const struct ui *, const struct meter *);

/* State word for a meter ("ok", "ok Err2", "stale 12s", "timeout",
 * "CRC", ...) and the theme element to draw it with. A failing meter that
 * answered before says how old its last values are: "timeout 12s",
 * "offline 2m", "foreign 5s", "exc 2 5s", "I/O err 5s" (ui_meter_age_ms):
 * at most 12 columns. */
enum theme_elem	 ui_meter_state(const struct ui *, const struct meter *,
		    char *buf, size_t len);
/* The same word, and what kind of state it is (counts, sorting). */
enum ui_health {
	UH_OK,		/* answers, nothing to see */
	UH_MARKED,	/* answers, but an inferred Err or a failed check */
	UH_STALE,	/* answered, but not lately */
	UH_FAILING,	/* timeout, CRC, exception, I/O, offline, foreign */
	UH_WAITING,	/* not polled or identified yet */
	UH__COUNT
};
enum ui_health	 ui_meter_health(const struct ui *, const struct meter *,
		    char *buf, size_t len);

/*
 * The help overlay (screen-help.c): cur's keys, the global ones, notes (one
 * line each), then the other screens' keys, in a box over the body; drawn
 * after the body and before doupdate. It shows as many lines as the body
 * holds from ui->help_top (clamped here), sets help_page and help_lines,
 * and says "more" above or below when lines are out of sight.
 */
void		 help_draw(struct ui *, const struct screen_ops *cur,
		    const struct screen_ops *const *all, int nall,
		    const struct screen_help *global, const char *const *notes,
		    int nnotes);

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
