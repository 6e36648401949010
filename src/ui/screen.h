/*
 * screen.h: what a screen or an overlay of the console sees (STYLE.md §3).
 * Private to src/ui: the manager (ui.c, ui-*.c) implements it, screens and
 * overlays use it; neither side names the other's functions.
 *
 * A screen lives in its own src/ui/screen-NAME.c and exports one
 * `const struct screen_ops screen_NAME`; ui-screens.c lists it in the one
 * table of screens, whose order gives the keys 1..N, Tab's order, the top
 * line and the help. Adding a screen is that file, one table line and its
 * line in mk/ui.am. An overlay (a piece on every screen: recording, the
 * guarded writes, help) is the same with struct overlay_ops and the overlay
 * table. The manager checks the optional slots for NULL and acts on what
 * a key handler returns.
 *
 * Screens never block: the model is read through const pointers, and any
 * bus work goes through the engine.
 */
#ifndef SCREEN_H
#define SCREEN_H

#include <stddef.h>
#include <stdint.h>

#include <curses.h>
#include <ev.h>

#include "cli.h"
#include "conf.h"
#include "engine.h"
#include "health.h"
#include "meter.h"
#include "theme.h"
#include "ui.h"
#include "widget.h"

#define UI_MIN_COLS	80
#define UI_MIN_ROWS	22

/* What screens and overlays read of the console; they never write it
 * (ui_select picks a meter). */
struct ui {
	struct ev_loop		*loop;
	struct engine		*engine;
	const struct config	*cfg;
	const struct opts	*opts;
	struct theme		 theme;
	const struct glyphs	*g;
	int			 utf8;		/* draw UTF-8 glyphs */
	int			 color;		/* colours in use */
	int			 selected;	/* meter index; -1: none */
	int			 rows, cols;	/* the terminal */
	WINDOW			*body;		/* the screens' area */
};

/* What a key handler did with a key. */
enum screen_key {
	SCREEN_IGNORED,		/* not mine: the manager may use it */
	SCREEN_HANDLED,		/* used (the manager redraws) */
	SCREEN_CLOSE		/* leave this screen for the previous one */
};

/* One line of the help: "j k" "move the cursor". A table ends with
 * {NULL}. */
struct screen_help {
	const char	*keys;
	const char	*what;
};

struct screen_ops {
	const char	*name;		/* "fleet": stable word (logs, tests) */
	const char	*title;		/* "Fleet": top line and help */

	/* Optional: private state, created once when the console starts. */
	void		*(*open)(struct ui *);
	void		 (*close)(void *);
	/* Optional: the screen became the current one. */
	void		 (*enter)(void *, struct ui *);
	/* Draw into win (already erased; its size is the body area). */
	void		 (*draw)(void *, struct ui *, WINDOW *);
	/*
	 * Optional: the screen's keys, after the overlays that come first
	 * (the write keys t, C); SCREEN_IGNORED lets the other overlays
	 * (R, X, ?, i) and the manager (1..N, Tab, [, ], q) have it.
	 */
	enum screen_key	 (*key)(void *, struct ui *, int);
	/*
	 * Optional: 1 while the screen has a text prompt or a question open.
	 * Then key gets every key, the global ones (q, t, C, R, X, 1..N, Tab,
	 * ?) included, until the screen closes it (Enter, Esc): the manager
	 * decides this in one place (ui-keys.c, ui_focus).
	 */
	int		 (*modal)(const void *);
	/* Optional: the screen's own keys, for the help; {NULL} ends. */
	const struct screen_help *keys;
};

/*
 * An overlay: keys and perhaps a box on every screen. While modal() says 1
 * it gets every key (before any screen); otherwise its key handler is
 * asked before the screen's (first = 1) or after it.
 */
struct overlay_ops {
	const char	*name;		/* "record": stable word */
	int		 first;		/* asked before the screen's keys */
	void		*(*open)(struct ui *);	/* optional */
	void		 (*close)(void *);	/* optional */
	enum screen_key	 (*key)(void *, struct ui *, int);
	int		 (*modal)(const void *);	/* optional */
	/* Optional: draw over the screen in win (the body), after it. */
	void		 (*draw)(void *, struct ui *, WINDOW *);
	/* Optional: what it has to say ("REC record-....csv 120 rows", the
	 * last write's outcome); "" for nothing. */
	void		 (*status)(const void *, char *, size_t);
	int		 status_line;	/* status shows on the status line */
	const struct screen_help *keys;	/* its keys, for the help */
};

/* --- The tables, for the help (ui-screens.c) --- */
int		 ui_nscreens(void);
const struct screen_ops *ui_screen_at(int i);	/* key i + 1 */
/* The screen shown now. */
const struct screen_ops *ui_screen_cur(const struct ui *);
int		 ui_noverlays(void);
const struct overlay_ops *ui_overlay_at(int i);
/* The manager's own keys, before (tail 0) and after (tail 1) the
 * overlays' in the help's "Everywhere"; "1 .. N" is said by the help. */
const struct screen_help *ui_global_keys(int tail);

/* --- Reading the model --- */
int		 ui_nmeters(const struct ui *);
const struct meter *ui_meter_at(const struct ui *, int index);
/* The selected meter, or NULL when none is configured. */
const struct meter *ui_meter(const struct ui *);
void		 ui_select(struct ui *, int index);
/* The private state of screen ops (its open()'s result), or NULL. */
void		*ui_screen_state(struct ui *, const struct screen_ops *);
/* Show the screen named name ("meter"); returns -1 if there is none. */
int		 ui_show(struct ui *, const char *name);
/* What overlay name says of itself (its status slot) into buf; "" when
 * there is no such overlay or nothing to say. Returns buf. */
const char	*ui_overlay_status(const struct ui *, const char *name,
		    char *buf, size_t len);
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
/* Identify the selected meter again at once (engine_reidentify), and
 * say so on the status line. */
void		 ui_identify_again(struct ui *);

/* --- The view-model (ui-view.c over health.c) --- */

/* How a value is shown (enum health_val). */
enum ui_val {
	UV_NONE = HEALTH_VAL_NONE,	/* never read: "---" */
	UV_NA = HEALTH_VAL_NA,		/* "not available" (sentinel): "n/a" */
	UV_FRESH = HEALTH_VAL_FRESH,	/* read within the stale limit */
	UV_STALE = HEALTH_VAL_STALE	/* older, or the meter's last cycle
					 * failed: dimmed, with its age */
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
 * The one staleness rule, for every screen (health_stale): a value of
 * register id of meter m read age_ms ago is not live (1) when it is older
 * than ui_reg_stale_ms or the meter's last cycle failed. ui_reg_text
 * applies it.
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
/* A value older than this is stale (health_limit_ms for m's bus). */
int64_t		 ui_stale_ms(const struct ui *, const struct meter *);

/* How often the engine reads a register (its poll plan). */
enum ui_poll {
	UP_NONE = HEALTH_POLL_NONE,	/* never: not in the plan */
	UP_EVERY = HEALTH_POLL_EVERY,	/* every poll cycle */
	UP_SLOW = HEALTH_POLL_SLOW,	/* at start, then every slow_every_ms */
	UP_IDENT = HEALTH_POLL_IDENT	/* once per identification */
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
 * "CRC", ...) and the theme element to draw it with (health_state). */
enum theme_elem	 ui_meter_state(const struct ui *, const struct meter *,
		    char *buf, size_t len);
/* The same word, and what kind of state it is (counts, sorting). */
enum ui_health {
	UH_OK = HEALTH_OK,
	UH_MARKED = HEALTH_MARKED,
	UH_STALE = HEALTH_STALE,
	UH_FAILING = HEALTH_FAILING,
	UH_WAITING = HEALTH_WAITING,
	UH__COUNT = HEALTH__COUNT
};
enum ui_health	 ui_meter_health(const struct ui *, const struct meter *,
		    char *buf, size_t len);

/* The CS the operator typed on the Meter screen for a meter (c), or NULL:
 * the commissioning report carries it (screen-meter.c). */
const char	*screen_meter_cs(struct ui *, const struct meter *);

#endif
