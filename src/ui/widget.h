/*
 * widget.h: small drawing pieces shared by the screens: clipped text, load
 * bars, sparklines, LCD-style big digits, phase pictograms, the status line,
 * a one-line text prompt, and the text formats of ages and durations.
 *
 * Widgets draw into a WINDOW with attributes given by the caller (the screen
 * asks the theme); they know nothing about meters or the engine. utf8 = 0
 * means: draw with ASCII only (--ascii, or a locale whose codeset is not
 * UTF-8).
 */
#ifndef WIDGET_H
#define WIDGET_H

#include <stddef.h>
#include <stdint.h>

#include <curses.h>

/* Glyphs that differ between UTF-8 and ASCII. */
struct glyphs {
	const char	*sigma;		/* "Σ" / "Sum" */
	const char	*up, *down;	/* sort direction */
	const char	*swap;		/* "⇔" / "<->" */
	const char	*ellipsis;	/* "…" / "~" */
	const char	*check_ok;	/* "✓" / "ok" */
	const char	*bullet;	/* "•" / "*" */
	const char	*hline;		/* "─" / "-" */
	const char	*degree_sqrt3;	/* "√3" / "sqrt3" */
};
const struct glyphs	*widget_glyphs(int utf8);

/* Display width of a UTF-8 string in columns (invalid bytes count 1). */
int	widget_text_width(const char *);

/*
 * s fitted into cols display columns, into out (len bytes): copied whole
 * when it fits, else cut at a character boundary (never inside a UTF-8
 * sequence, never half a wide character) and ended with ellipsis ("…",
 * "~") so the reader sees it was cut. Widths as widget_put draws them in
 * the utf8 mode given. Returns the columns of out.
 */
int	widget_fit(char *out, size_t len, const char *s, int cols, int utf8,
	    const char *ellipsis);

/*
 * The same, cut in the middle when it does not fit: the start and the end
 * of s around the ellipsis ("overf…_Ea_plus", "overf…count_T1"), for names
 * that differ only at their end.
 */
int	widget_fit_middle(char *out, size_t len, const char *s, int cols,
	    int utf8, const char *ellipsis);

/*
 * Print s at (y, x), clipped to width columns (width <= 0: to the window's
 * right edge), with attr. Invalid or undisplayable bytes print as '?'; with
 * utf8 = 0 every non-ASCII character does. Returns the columns written.
 */
int	widget_put(WINDOW *, int y, int x, int width, attr_t, int utf8,
	    const char *s);
/* Same, right-aligned in width columns (padded on the left). */
int	widget_put_right(WINDOW *, int y, int x, int width, attr_t, int utf8,
	    const char *s);
/*
 * s word-wrapped into width columns (width <= 0: to the window's right
 * edge) from (y, x), on at most maxrows rows; rows after the first start
 * indent columns further right. Breaks at blanks; a word longer than a row
 * is cut; on the last row allowed the rest is clipped. Returns the rows
 * used (0 when nothing fits). With a NULL window it only counts the rows
 * (width must then be given).
 */
int	widget_wrap(WINDOW *, int y, int x, int width, int maxrows, int indent,
	    attr_t, int utf8, const char *s);
/*
 * The next row of a word-wrapped text: at most cols columns of *sp into
 * out, *sp moved past them (blanks at a row's start skipped). Returns 0
 * when nothing is left (or nothing fits).
 */
int	widget_wrap_line(const char **sp, int cols, int utf8, char *out,
	    size_t len);
/* printf into widget_put. */
int	widget_printf(WINDOW *, int y, int x, int width, attr_t, int utf8,
	    const char *, ...) __attribute__((format(printf, 7, 8)));
/* Fill width columns at (y, x) with blanks in attr. */
void	widget_fill(WINDOW *, int y, int x, int width, attr_t);

/* A horizontal load bar: permille 0..1000 of width columns. */
void	widget_bar(WINDOW *, int y, int x, int width, int permille,
	    attr_t on, attr_t off, int utf8);

/*
 * Sparkline of the last values (oldest first) in width columns: one column
 * per value with block glyphs (UTF-8) or . - = # (ASCII), scaled between
 * the minimum and maximum shown. Fewer values than columns leave the left
 * part blank.
 */
void	widget_sparkline(WINDOW *, int y, int x, int width, const int32_t *,
	    int n, attr_t, int utf8);
/* The level (0..levels-1) of each value, scaled as the sparkline does. */
void	widget_spark_levels(const int32_t *vals, int n, int levels, int *out);

/* LCD-style big characters: digits, '.', '-', ' ' and a few letters. */
#define WIDGET_BIG_H	5
/* Width in columns of s drawn big (0 for ""); -1 if s has a glyph we lack. */
int	widget_big_width(const char *s);
/* Draw s big with its top-left at (y, x); lit segments in attr. */
void	widget_big_draw(WINDOW *, int y, int x, const char *s, attr_t,
	    int utf8);
/* 1 if glyph row r (0..4), column c of character ch is lit (tests). */
int	widget_big_lit(char ch, int r, int c);

/*
 * The meter's phase pictograms "L1 L2 L3": lit ones in on, unlit ones as
 * "--" in off (readable without colour). known = 0 draws "?? ?? ??".
 * Returns the columns used (8).
 */
int	widget_phases(WINDOW *, int y, int x, const int present[3], int known,
	    attr_t on, attr_t off);

/*
 * A frame of h rows and w columns with its top-left at (y, x): line drawing
 * characters with UTF-8, + - | with ASCII (terminals without a usable
 * alternate character set draw those right).
 */
void	widget_box(WINDOW *, int y, int x, int h, int w, attr_t, int utf8);

/* A full-width line: left text, right text right-aligned, in attr. */
void	widget_status(WINDOW *, int y, attr_t, int utf8, const char *left,
	    const char *right);

/* A one-line text prompt (filter, CS entry). */
#define WIDGET_PROMPT_MAX	64
struct widget_prompt {
	int	 active;
	int	 len;
	char	 buf[WIDGET_PROMPT_MAX];	/* ASCII printable only */
	int	 maxlen;			/* <= WIDGET_PROMPT_MAX - 1 */
};
enum widget_prompt_result { PROMPT_EDITING, PROMPT_DONE, PROMPT_CANCEL };
void	widget_prompt_start(struct widget_prompt *, const char *initial,
	    int maxlen);
/* Feed one key: printable ASCII appends, Backspace deletes, Enter ends
 * (PROMPT_DONE), Esc or ^G cancels (PROMPT_CANCEL). */
enum widget_prompt_result widget_prompt_key(struct widget_prompt *, int key);
void	widget_prompt_draw(WINDOW *, int y, int x, int width, attr_t,
	    const char *label, const struct widget_prompt *);

/* "850ms", "3s", "59s", "12m", "5h", "3d": an age or duration. */
/*
 * The scrolling keys of a list: Up/k, Down/j, PgUp, PgDn/Space, Home/g,
 * End/G (to `end`) move *top by one, a page or to an end. Returns 1 when
 * key was one of them; the caller clamps *top.
 */
int	widget_scroll_key(int key, int *top, int page, int end);
void	widget_fmt_age(char *, size_t, int64_t ms);
/* "250 ms", "1.5 s", "12 s": a refresh period or latency. */
void	widget_fmt_period(char *, size_t, int64_t ms);
/* A counter in at most 6 columns: "12345", "123456", "1234k", "12M". */
void	widget_fmt_count(char *, size_t, uint64_t);
/* Latency in microseconds: "850 us", "12.3 ms", "1.20 s". */
void	widget_fmt_us(char *, size_t, uint32_t us);

#endif
