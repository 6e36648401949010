/*
 * theme.c: load a theme file (inih) into styles, then into curses attributes.
 *
 * The elements, their file names and built-in defaults are one table. Loading
 * happens before curses starts, so an error can go to stderr and end the
 * program with exit code 78; theme_apply needs curses (colour pairs).
 * Drawing code asks theme_attr() and never names a colour.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <ini.h>

#include "parse.h"
#include "theme.h"

#define THEME_MAX_LINE	198	/* inih (r55) cuts lines of 200 bytes or more */
#define THEME_MAX_SIZE	65536

struct theme_elem_def {
	enum theme_elem	 el;
	const char	*name;
	short		 fg, bg;
	attr_t		 attrs;
	attr_t		 mono;		/* used without colour if attrs are 0 */
};

/* Built-in defaults: readable on dark and light terminals. */
static const struct theme_elem_def theme_elems[TH__COUNT] = {
	{ TH_NORMAL,	"normal",	-1, -1, A_NORMAL,	A_NORMAL },
	{ TH_TITLE,	"title",	COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE },
	{ TH_TAB,	"tab",		COLOR_WHITE, COLOR_BLUE, A_NORMAL, A_REVERSE },
	{ TH_TAB_ACTIVE, "tab_active",	COLOR_BLACK, COLOR_CYAN, A_BOLD, A_BOLD },
	{ TH_HEADER,	"header",	COLOR_CYAN, -1, A_BOLD,	A_BOLD },
	{ TH_SELECTED,	"selected",	COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	{ TH_VALUE,	"value",	-1, -1, A_BOLD,		A_BOLD },
	{ TH_UNIT,	"unit",		-1, -1, A_NORMAL,	A_NORMAL },
	{ TH_STALE,	"stale",	-1, -1, A_DIM,		A_DIM },
	{ TH_OK,	"ok",		COLOR_GREEN, -1, A_NORMAL, A_NORMAL },
	{ TH_WARN,	"warn",		COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	{ TH_ERROR,	"error",	COLOR_RED, -1, A_BOLD,	A_BOLD | A_UNDERLINE },
	{ TH_PHASE_ON,	"phase_on",	COLOR_GREEN, -1, A_BOLD, A_BOLD },
	{ TH_PHASE_OFF,	"phase_off",	-1, -1, A_DIM,		A_DIM },
	{ TH_LCD,	"lcd",		COLOR_CYAN, -1, A_NORMAL, A_NORMAL },
	{ TH_LCD_DIGIT,	"lcd_digit",	COLOR_CYAN, -1, A_BOLD,	A_BOLD },
	{ TH_TARIFF_ACTIVE, "tariff_active", COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_REVERSE },
	{ TH_BANNER,	"banner",	COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD },
	{ TH_BAR,	"bar",		COLOR_GREEN, -1, A_NORMAL, A_REVERSE },
	{ TH_BAR_EMPTY,	"bar_empty",	-1, -1, A_DIM,		A_DIM },
	{ TH_SPARK,	"spark",	COLOR_CYAN, -1, A_NORMAL, A_NORMAL },
	{ TH_INFERRED,	"inferred",	COLOR_MAGENTA, -1, A_NORMAL, A_DIM },
	{ TH_HELP,	"help",		COLOR_WHITE, COLOR_BLACK, A_NORMAL, A_NORMAL },
	{ TH_STATUS,	"status",	COLOR_WHITE, COLOR_BLUE, A_NORMAL, A_REVERSE },
	{ TH_PROMPT,	"prompt",	COLOR_BLACK, COLOR_YELLOW, A_NORMAL, A_REVERSE },
};

static const struct {
	const char	*name;
	attr_t		 attr;
} theme_attrs[] = {
	{ "normal",	A_NORMAL },
	{ "bold",	A_BOLD },
	{ "dim",	A_DIM },
	{ "reverse",	A_REVERSE },
	{ "underline",	A_UNDERLINE },
	{ "standout",	A_STANDOUT },
	{ "italic",	A_ITALIC },
	{ "blink",	A_BLINK },
};

static const char *const theme_colors[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"
};

struct theme_parse {
	struct theme	*t;
	char		 why[300];	/* first complaint */
};

const char *
theme_elem_name(enum theme_elem el)
{
	if ((int)el < 0 || el >= TH__COUNT)
		return NULL;
	return theme_elems[el].name;
}

void
theme_init(struct theme *t)
{
	int	i;

	memset(t, 0, sizeof *t);
	snprintf(t->name, sizeof t->name, "built-in");
	for (i = 0; i < TH__COUNT; i++) {
		t->st[i].fg = theme_elems[i].fg;
		t->st[i].bg = theme_elems[i].bg;
		t->st[i].attrs = theme_elems[i].attrs;
		t->attr[i] = theme_elems[i].mono;
	}
}

/* A colour word to a number (-1 default); returns 0, or -1 if unknown. */
static int
theme_parse_color(const char *w, short *out)
{
	const char	*p = w;
	long		 n;
	int		 bright = 0;
	size_t		 i;

	if (strcasecmp(w, "default") == 0) {
		*out = -1;
		return 0;
	}
	if (isdigit((unsigned char)*w)) {
		if (parse_long(w, 0, 255, &n) != PARSE_OK)
			return -1;
		*out = (short)n;
		return 0;
	}
	if (strncasecmp(p, "bright-", 7) == 0) {
		bright = 8;
		p += 7;
	}
	for (i = 0; i < sizeof theme_colors / sizeof theme_colors[0]; i++) {
		if (strcasecmp(p, theme_colors[i]) == 0) {
			*out = (short)(i + bright);
			return 0;
		}
	}
	return -1;
}

static int
theme_parse_attr(const char *w, attr_t *out)
{
	size_t	i;

	for (i = 0; i < sizeof theme_attrs / sizeof theme_attrs[0]; i++) {
		if (strcasecmp(w, theme_attrs[i].name) == 0) {
			*out |= theme_attrs[i].attr;
			return 0;
		}
	}
	return -1;
}

/*
 * "FG [on BG] [attr...]" with commas or blanks between words. Returns 0, or
 * -1 with why set.
 */
static int
theme_parse_style(const char *value, struct theme_style *st, char *why,
    size_t whylen)
{
	char	 buf[THEME_MAX_LINE + 1], *w, *save = NULL;
	int	 ncolor = 0, want_bg = 0;
	short	 c;

	snprintf(buf, sizeof buf, "%s", value);
	st->fg = st->bg = -1;
	st->attrs = A_NORMAL;
	for (w = strtok_r(buf, ", \t", &save); w != NULL;
	    w = strtok_r(NULL, ", \t", &save)) {
		if (strcasecmp(w, "on") == 0) {
			if (want_bg) {
				snprintf(why, whylen, "'on' twice");
				return -1;
			}
			want_bg = 1;
			continue;
		}
		if (theme_parse_color(w, &c) == 0) {
			if (want_bg) {
				st->bg = c;
				want_bg = 0;
				ncolor = 2;
			} else if (ncolor == 0) {
				st->fg = c;
				ncolor = 1;
			} else {
				snprintf(why, whylen, "'%s': one foreground "
				    "colour only (write 'FG on BG')", w);
				return -1;
			}
			continue;
		}
		if (want_bg) {
			snprintf(why, whylen, "'%s' after 'on': expected a "
			    "colour", w);
			return -1;
		}
		if (theme_parse_attr(w, &st->attrs) != 0) {
			snprintf(why, whylen, "'%s': expected a colour (default,"
			    " black, red, green, yellow, blue, magenta, cyan, "
			    "white, bright-NAME, 0..255) or an attribute (bold, "
			    "dim, reverse, underline, standout, italic, blink)", w);
			return -1;
		}
	}
	if (want_bg) {
		snprintf(why, whylen, "'on' without a colour");
		return -1;
	}
	st->set = 1;
	return 0;
}

/* inih callback: one key; returns 1, or 0 (first complaint kept). */
static int
theme_key_cb(void *arg, const char *section, const char *name,
    const char *value)
{
	struct theme_parse	*tp = arg;
	char			 why[256];
	int			 i;

	why[0] = '\0';
	if (strcasecmp(section, "theme") == 0) {
		if (strcasecmp(name, "description") == 0 ||
		    strcasecmp(name, "name") == 0)
			return 1;
		snprintf(why, sizeof why, "unknown key (expected name or "
		    "description)");
		goto bad;
	}
	if (strcasecmp(section, "colors") != 0) {
		snprintf(why, sizeof why, "unknown section (expected [colors]"
		    " or [theme])");
		goto bad;
	}
	for (i = 0; i < TH__COUNT; i++) {
		if (strcasecmp(name, theme_elems[i].name) == 0)
			break;
	}
	if (i == TH__COUNT) {
		snprintf(why, sizeof why, "unknown element (see "
		    "themes/default.theme for the list)");
		goto bad;
	}
	if (theme_parse_style(value, &tp->t->st[i], why, sizeof why) == 0)
		return 1;
bad:
	if (tp->why[0] == '\0')
		snprintf(tp->why, sizeof tp->why, "[%s] %s = '%s': %s",
		    section, name, value, why);
	return 0;
}

/*
 * Read the whole file, refusing lines inih would cut (its r55 limit shifts
 * every later line number). Returns a malloc'd string or NULL with e set.
 */
static char *
theme_read(const char *path, struct err *e)
{
	FILE	*f;
	char	*buf = NULL, *line = NULL;
	size_t	 len = 0, cap = 0, ll;
	ssize_t	 n;
	int	 lineno = 0;

	if ((f = fopen(path, "r")) == NULL) {
		err_setc(e, EXIT_NOINPUT, "%s: %s", path, strerror(errno));
		return NULL;
	}
	while ((n = getline(&line, &ll, f)) != -1) {
		lineno++;
		if (n > 0 && line[n - 1] == '\n')
			n--;
		if (n > 0 && line[n - 1] == '\r')
			n--;
		if (n > THEME_MAX_LINE || len + (size_t)n + 2 > THEME_MAX_SIZE) {
			err_setc(e, EXIT_CONFIG, "%s:%d: %s", path, lineno,
			    n > THEME_MAX_LINE ? "line longer than 198 bytes" :
			    "file larger than 64 KiB");
			goto fail;
		}
		if (len + (size_t)n + 2 > cap) {
			cap = (len + (size_t)n + 2) * 2;
			if ((buf = realloc(buf, cap)) == NULL) {
				err_setc(e, EXIT_SOFTWARE, "%s: out of memory",
				    path);
				goto fail;
			}
		}
		memcpy(buf + len, line, (size_t)n);
		len += (size_t)n;
		buf[len++] = '\n';
		buf[len] = '\0';
	}
	if (ferror(f)) {
		err_setc(e, EXIT_NOINPUT, "%s: %s", path, strerror(errno));
		goto fail;
	}
	free(line);
	fclose(f);
	if (buf == NULL)
		buf = calloc(1, 1);
	return buf;
fail:
	free(line);
	free(buf);
	fclose(f);
	return NULL;
}

int
theme_load(struct theme *t, const char *path, struct err *e)
{
	struct theme_parse	 tp = { .t = t };
	const char		*base;
	char			*text;
	size_t			 n;
	int			 line;

	if ((text = theme_read(path, e)) == NULL)
		return -1;
	line = ini_parse_string(text, theme_key_cb, &tp);
	free(text);
	if (line != 0)
		return err_setc(e, EXIT_CONFIG, "%s:%d: %s", path, line,
		    tp.why[0] != '\0' ? tp.why : "syntax error (expected "
		    "[section] or key = value)");
	snprintf(t->path, sizeof t->path, "%s", path);
	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	n = strcspn(base, ".");
	snprintf(t->name, sizeof t->name, "%.*s", (int)n, base);
	return 0;
}

/* The theme names found in dir, sorted, comma separated, into buf. */
static void
theme_list(const char *dir, char *buf, size_t len)
{
	struct dirent	**ents = NULL;
	size_t		  off = 0, n;
	int		  i, count;

	buf[0] = '\0';
	if ((count = scandir(dir, &ents, NULL, alphasort)) < 0)
		return;
	for (i = 0; i < count; i++) {
		n = strlen(ents[i]->d_name);
		if (n > 6 && strcmp(ents[i]->d_name + n - 6, ".theme") == 0 &&
		    off < len)
			off += (size_t)snprintf(buf + off, len - off, "%s%.*s",
			    off ? ", " : "", (int)(n - 6), ents[i]->d_name);
		free(ents[i]);
	}
	free(ents);
}

int
theme_load_named(struct theme *t, const char *dir, const char *name,
    struct err *e)
{
	char	path[512], list[256];
	size_t	i;

	if (name == NULL || *name == '\0')
		return err_setc(e, EXIT_CONFIG, "theme: empty name");
	if (strchr(name, '/') != NULL)
		return theme_load(t, name, e);
	for (i = 0; name[i] != '\0'; i++) {
		if (!isalnum((unsigned char)name[i]) && name[i] != '-' &&
		    name[i] != '_')
			return err_setc(e, EXIT_CONFIG, "theme '%s': a name "
			    "is letters, digits, '-' and '_' (or give a path "
			    "with a '/')", name);
	}
	if ((size_t)snprintf(path, sizeof path, "%s/%s.theme", dir, name) >=
	    sizeof path)
		return err_setc(e, EXIT_CONFIG, "theme '%s': path too long",
		    name);
	if (access(path, F_OK) == -1 && errno == ENOENT) {
		theme_list(dir, list, sizeof list);
		return err_setc(e, EXIT_CONFIG, "theme '%s': no %s (themes in "
		    "%s: %s)", name, path, dir, list[0] ? list : "none");
	}
	return theme_load(t, path, e);
}

/* Bring a colour into the terminal's range: bright to plain, else default. */
static short
theme_fit_color(short c)
{
	if (c < 0 || c < COLORS)
		return c;
	if (c < 16 && c - 8 < COLORS)
		return (short)(c - 8);
	return -1;
}

void
theme_apply(struct theme *t, int color)
{
	struct theme_style	*st;
	int			 i, pair = 0;
	short			 fg, bg;

	for (i = 0; i < TH__COUNT; i++) {
		st = &t->st[i];
		if (!color) {
			t->attr[i] = st->attrs != A_NORMAL ? st->attrs :
			    theme_elems[i].mono;
			if ((st->bg != -1 || st->fg != -1) &&
			    (t->attr[i] & (A_REVERSE | A_STANDOUT)) == 0 &&
			    theme_elems[i].mono != A_NORMAL)
				t->attr[i] |= theme_elems[i].mono;
			continue;
		}
		fg = theme_fit_color(st->fg);
		bg = theme_fit_color(st->bg);
		t->attr[i] = st->attrs;
		if (fg == -1 && bg == -1)
			continue;
		if (++pair >= COLOR_PAIRS) {
			t->attr[i] = st->attrs | theme_elems[i].mono;
			continue;
		}
		init_pair((short)pair, fg, bg);
		t->attr[i] |= COLOR_PAIR(pair);
	}
}
