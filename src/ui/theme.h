/*
 * theme.h: colours and attributes of the console, read from themes/NAME.theme.
 *
 * A theme file is an ini file (parsed with inih) with one [colors] section:
 *
 *	[colors]
 *	title    = white on blue, bold
 *	stale    = default, dim
 *
 * Each key names one element of the screen (the table in theme.c lists them
 * with their meaning); the value is a foreground colour, optionally "on" a
 * background colour, then attributes (bold dim reverse underline standout
 * italic), separated by commas or spaces. Colours: default black red green
 * yellow blue magenta cyan white, bright-NAME, or a number 0..255.
 *
 * theme_load runs before curses starts (an error names file:line and carries
 * exit code 78); theme_apply runs after start_color() and turns the styles
 * into curses attributes. Unset elements keep the built-in defaults.
 */
#ifndef THEME_H
#define THEME_H

#include <curses.h>

#include "err.h"

enum theme_elem {
	TH_NORMAL,		/* body text */
	TH_TITLE,		/* the top line */
	TH_TAB,			/* a screen name in the top line */
	TH_TAB_ACTIVE,		/* the current screen's name */
	TH_HEADER,		/* column headings, group names */
	TH_SELECTED,		/* the cursor row */
	TH_VALUE,		/* a fresh value */
	TH_UNIT,		/* units, labels of values */
	TH_STALE,		/* an old value, shown with its age */
	TH_OK,			/* state ok */
	TH_WARN,		/* state stale, inferred, hints */
	TH_ERROR,		/* timeout, CRC, exception, Err codes */
	TH_PHASE_ON,		/* a lit phase pictogram */
	TH_PHASE_OFF,		/* an unlit phase pictogram */
	TH_LCD,			/* the LCD frame and its text */
	TH_LCD_DIGIT,		/* the LCD's big digits */
	TH_TARIFF_ACTIVE,	/* the active tariff marker */
	TH_BANNER,		/* a failed consistency check */
	TH_BAR,			/* filled part of a load bar */
	TH_BAR_EMPTY,		/* empty part of a load bar */
	TH_SPARK,		/* sparklines */
	TH_INFERRED,		/* rows whose register is inferred or unknown */
	TH_HELP,		/* the help overlay */
	TH_STATUS,		/* the bottom line */
	TH_PROMPT,		/* a line being typed (filter, CS) */
	TH__COUNT
};

struct theme_style {
	short		 fg, bg;	/* -1 = terminal default */
	attr_t		 attrs;		/* A_BOLD etc. from the file */
	int		 set;		/* the file set this element */
};

struct theme {
	char		 name[64];
	char		 path[512];
	struct theme_style st[TH__COUNT];
	attr_t		 attr[TH__COUNT];	/* computed by theme_apply */
};

/* Built-in defaults (used for elements a theme does not set). */
void		 theme_init(struct theme *);

/*
 * Load path into t (after theme_init). Returns 0, or -1 with e->msg such as
 * "themes/bad.theme:4: [colors] titel = 'white': unknown element" and
 * e->code = EXIT_CONFIG (EXIT_NOINPUT when the file cannot be read).
 */
int		 theme_load(struct theme *, const char *path, struct err *);

/*
 * Find NAME (a plain name looked up as DIR/NAME.theme, or a path when it
 * contains a '/') and load it. Same returns as theme_load.
 */
int		 theme_load_named(struct theme *, const char *dir,
		    const char *name, struct err *);

/*
 * After initscr/start_color: allocate colour pairs and compute attr[].
 * color = 0 (--no-color, NO_COLOR, or a terminal without colours) keeps only
 * the attributes, with a built-in fallback where the theme relies on colour.
 */
void		 theme_apply(struct theme *, int color);

static inline attr_t
theme_attr(const struct theme *t, enum theme_elem el)
{
	return t->attr[el];
}

/* Element name as written in a theme file ("title"), or NULL. */
const char	*theme_elem_name(enum theme_elem);

#endif
