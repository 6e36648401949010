/*
 * screen.h: a screen of the console is a small interface (STYLE.md §3).
 *
 * Each screen lives in its own src/screen-NAME.c and exports one
 * `const struct screen_ops screen_NAME`. ui.c lists them in
 * `static const struct screen_ops *const screens[]`: adding a screen is one
 * file, one line there (and its tests). The manager checks the optional
 * slots for NULL and acts on what a key handler returns.
 *
 * A screen reaches everything through struct ui (ui.h): the engine and its
 * meters, the configuration, the selected meter, the theme, the glyphs, the
 * event loop and the clock. Screens never block: the model is read through
 * const pointers, and any bus work goes through the engine.
 */
#ifndef SCREEN_H
#define SCREEN_H

#include <curses.h>

struct ui;

/* What a key handler did with a key. */
enum screen_key {
	SCREEN_IGNORED,		/* not mine: the manager may use it */
	SCREEN_HANDLED,		/* used (the manager redraws) */
	SCREEN_CLOSE		/* leave this screen for the previous one */
};

/* One line of the help overlay: "j k" "move the cursor". */
struct screen_help {
	const char	*keys;
	const char	*what;
};

struct screen_ops {
	const char	*name;		/* "fleet": stable word (logs, tests) */
	const char	*title;		/* "Fleet": top line and help */
	int		 hotkey;	/* '1'..'9': the key that shows it */

	/* Optional: private state, created once when the console starts. */
	void		*(*open)(struct ui *);
	void		 (*close)(void *);
	/* Optional: the screen became the current one. */
	void		 (*enter)(void *, struct ui *);
	/* Draw into win (already erased; its size is the body area). */
	void		 (*draw)(void *, struct ui *, WINDOW *);
	/*
	 * Optional: the screen's keys, after the write keys (t, C);
	 * SCREEN_IGNORED lets the manager handle R, X, 1..9, Tab, ?, q.
	 */
	enum screen_key	 (*key)(void *, struct ui *, int);
	/*
	 * Optional: 1 while the screen has a text prompt or a question open.
	 * Then key gets every key, the global ones (q, t, C, R, X, 1..9, Tab,
	 * ?) included, until the screen closes it (Enter, Esc): the manager
	 * decides this in one place (ui.c, ui_focus).
	 */
	int		 (*modal)(const void *);
	/* Optional: the screen's own keys, for the help overlay; {NULL} ends. */
	const struct screen_help *help;
};

extern const struct screen_ops screen_fleet;
extern const struct screen_ops screen_meter;
extern const struct screen_ops screen_measure;
extern const struct screen_ops screen_bus;
extern const struct screen_ops screen_loadcurve;	/* issue 5 */
extern const struct screen_ops screen_commission;	/* issue 5 */

struct meter;
/* The CS the operator typed on the Meter screen for a meter (c), or NULL:
 * the commissioning report carries it (screen-meter.c). */
const char	*screen_meter_cs(struct ui *, const struct meter *);

#endif
