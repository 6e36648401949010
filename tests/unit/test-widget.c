/*
 * tests/unit/test-widget.c: the console's widgets (issue 4): text formats at
 * their boundaries, display widths, the big-digit table's invariants,
 * sparkline scaling, the prompt, and drawing into a real curses window
 * (newterm on a temporary file) read back cell by cell: clipping, right
 * alignment, '?' for what ASCII cannot show, bars, sparklines, big digits,
 * phase pictograms and frames.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "widget.h"

static WINDOW	*w;

/* The text of row y of w, trailing blanks removed (ASCII cells only). */
static const char *
row(int y)
{
	static char	buf[256];
	int		n;

	n = mvwinnstr(w, y, 0, buf, (int)sizeof buf - 1);
	if (n < 0)
		n = 0;
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == ' ')
		buf[--n] = '\0';
	return buf;
}

static void
clear_win(void)
{
	werase(w);
}

static void
test_widget__fmt_age(void)
{
	char	b[32];

	widget_fmt_age(b, sizeof b, -5);
	T_EQ_STR(b, "0ms");
	widget_fmt_age(b, sizeof b, 999);
	T_EQ_STR(b, "999ms");
	widget_fmt_age(b, sizeof b, 1000);
	T_EQ_STR(b, "1s");
	widget_fmt_age(b, sizeof b, 119999);
	T_EQ_STR(b, "119s");
	widget_fmt_age(b, sizeof b, 120000);
	T_EQ_STR(b, "2m");
	widget_fmt_age(b, sizeof b, 2LL * 3600 * 1000 - 1);
	T_EQ_STR(b, "119m");
	widget_fmt_age(b, sizeof b, 2LL * 3600 * 1000);
	T_EQ_STR(b, "2h");
	widget_fmt_age(b, sizeof b, 48LL * 3600 * 1000);
	T_EQ_STR(b, "2d");
}

static void
test_widget__fmt_period(void)
{
	char	b[32];

	widget_fmt_period(b, sizeof b, -1);
	T_EQ_STR(b, "?");
	widget_fmt_period(b, sizeof b, 0);
	T_EQ_STR(b, "0 ms");
	widget_fmt_period(b, sizeof b, 999);
	T_EQ_STR(b, "999 ms");
	widget_fmt_period(b, sizeof b, 1000);
	T_EQ_STR(b, "1.0 s");
	widget_fmt_period(b, sizeof b, 1549);
	T_EQ_STR(b, "1.5 s");
	widget_fmt_period(b, sizeof b, 9999);
	T_EQ_STR(b, "9.9 s");
	widget_fmt_period(b, sizeof b, 10499);
	T_EQ_STR(b, "10 s");
	widget_fmt_period(b, sizeof b, 10500);
	T_EQ_STR(b, "11 s");
}

static void
test_widget__fmt_us_count(void)
{
	char	b[32];

	widget_fmt_us(b, sizeof b, 0);
	T_EQ_STR(b, "0 us");
	widget_fmt_us(b, sizeof b, 999);
	T_EQ_STR(b, "999 us");
	widget_fmt_us(b, sizeof b, 12345);
	T_EQ_STR(b, "12.3 ms");
	widget_fmt_us(b, sizeof b, 100000);
	T_EQ_STR(b, "100 ms");
	widget_fmt_us(b, sizeof b, 1200000);
	T_EQ_STR(b, "1.20 s");
	widget_fmt_us(b, sizeof b, UINT32_MAX);
	T_EQ_STR(b, "4294.96 s");
	widget_fmt_count(b, sizeof b, 999999);
	T_EQ_STR(b, "999999");
	widget_fmt_count(b, sizeof b, 1000000);
	T_EQ_STR(b, "1000k");
	widget_fmt_count(b, sizeof b, 99999999);
	T_EQ_STR(b, "99999k");
	widget_fmt_count(b, sizeof b, 100000000);
	T_EQ_STR(b, "100M");
	widget_fmt_count(b, sizeof b, UINT64_MAX);
	T_OK(strlen(b) <= 20);
}

static void
test_widget__text_width(void)
{
	T_EQ_INT(widget_text_width(""), 0);
	T_EQ_INT(widget_text_width("abc"), 3);
	T_EQ_INT(widget_text_width("\xce\xa3 kWh"), 5);	/* Σ kWh */
	T_EQ_INT(widget_text_width("\xe2\x87\x94"), 1);	/* ⇔ */
	T_EQ_INT(widget_text_width("\xff\xfe"), 2);	/* invalid: one each */
	T_EQ_INT(widget_text_width("\xce"), 1);		/* cut sequence */
	T_EQ_INT(widget_text_width("\xe4\xb8\xad"), 2);	/* 中: wide */
}

/* Every glyph: 5 rows of one width, only '#' and ' '. */
static void
test_widget__big_table(void)
{
	const char	*chars = "0123456789.,:- AbCdEFPrSt";
	const char	*p;
	int		 r, c, lit;

	for (p = chars; *p != '\0'; p++) {
		char s[2] = { *p, '\0' };
		int w1 = widget_big_width(s);

		T_OK(w1 == 1 || w1 == 4);
		lit = 0;
		for (r = 0; r < WIDGET_BIG_H; r++)
			for (c = 0; c < w1; c++)
				lit += widget_big_lit(*p, r, c);
		if (*p != ' ')
			T_OK(lit > 0);
		T_EQ_INT(widget_big_lit(*p, 0, w1), 0);	/* nothing past */
	}
	T_EQ_INT(widget_big_width(""), 0);
	T_EQ_INT(widget_big_width("12.5"), 4 + 1 + 4 + 1 + 1 + 1 + 4);
	T_EQ_INT(widget_big_width("9999999.99"), 9 * 4 + 1 + 9);	/* 46: fits 80 */
	T_EQ_INT(widget_big_width("12x"), -1);
	/* 8 lights everything a 0 does, plus the middle bar */
	for (r = 0; r < WIDGET_BIG_H; r++)
		for (c = 0; c < 4; c++)
			T_OK(!widget_big_lit('0', r, c) || widget_big_lit('8', r, c));
	T_EQ_INT(widget_big_lit('0', 2, 1), 0);
	T_EQ_INT(widget_big_lit('8', 2, 1), 1);
	/* 1 is the right column only */
	for (r = 0; r < WIDGET_BIG_H; r++) {
		T_EQ_INT(widget_big_lit('1', r, 3), 1);
		T_EQ_INT(widget_big_lit('1', r, 0), 0);
	}
	T_EQ_INT(widget_big_lit('.', 4, 0), 1);
	T_EQ_INT(widget_big_lit('.', 3, 0), 0);
}

static void
test_widget__spark_levels(void)
{
	int32_t	flat[3] = { 5, 5, 5 }, up[8] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	int32_t	ext[3] = { INT32_MIN, 0, INT32_MAX };
	int	lv[8];

	widget_spark_levels(flat, 3, 8, lv);
	T_EQ_INT(lv[0], 3);
	T_EQ_INT(lv[2], 3);
	widget_spark_levels(up, 8, 8, lv);
	T_EQ_INT(lv[0], 0);
	T_EQ_INT(lv[3], 3);
	T_EQ_INT(lv[7], 7);
	widget_spark_levels(ext, 3, 8, lv);	/* no overflow at the extremes */
	T_EQ_INT(lv[0], 0);
	T_EQ_INT(lv[1], 4);
	T_EQ_INT(lv[2], 7);
	widget_spark_levels(up, 2, 6, lv);
	T_EQ_INT(lv[0], 0);
	T_EQ_INT(lv[1], 5);
}

static void
test_widget__prompt(void)
{
	struct widget_prompt	p;

	widget_prompt_start(&p, "ab", 4);
	T_OK(p.active);
	T_EQ_INT(widget_prompt_key(&p, 'c'), PROMPT_EDITING);
	T_EQ_INT(widget_prompt_key(&p, 'd'), PROMPT_EDITING);
	T_EQ_INT(widget_prompt_key(&p, 'e'), PROMPT_EDITING);	/* full */
	T_EQ_STR(p.buf, "abcd");
	T_EQ_INT(widget_prompt_key(&p, KEY_BACKSPACE), PROMPT_EDITING);
	T_EQ_INT(widget_prompt_key(&p, 127), PROMPT_EDITING);
	T_EQ_STR(p.buf, "ab");
	T_EQ_INT(widget_prompt_key(&p, 0x1b), PROMPT_CANCEL);
	T_OK(!p.active);
	widget_prompt_start(&p, NULL, 100);	/* clamped */
	T_EQ_INT(p.maxlen, WIDGET_PROMPT_MAX - 1);
	T_EQ_INT(widget_prompt_key(&p, 0xe9), PROMPT_EDITING);	/* not ASCII */
	T_EQ_INT(widget_prompt_key(&p, KEY_UP), PROMPT_EDITING);
	T_EQ_STR(p.buf, "");
	widget_prompt_key(&p, 'x');
	widget_prompt_key(&p, 21);	/* ^U clears */
	T_EQ_STR(p.buf, "");
	widget_prompt_key(&p, 'y');
	T_EQ_INT(widget_prompt_key(&p, '\r'), PROMPT_DONE);
	T_EQ_STR(p.buf, "y");
}

/* Labels fitted by display columns, never by bytes (issue 4). */
static void
test_widget__fit(void)
{
	static const char	*kl = "K\xc3\xbc" "che S\xc3\xbc" "d \xe2\x98\x80 "
				    "long label";	/* Küche Süd ☀ long label */
	char			 b[64];

	T_EQ_INT(widget_fit(b, sizeof b, "short", 12, 1, "~"), 5);
	T_EQ_STR(b, "short");
	T_EQ_INT(widget_fit(b, sizeof b, "exactly12col", 12, 1, "~"), 12);
	T_EQ_STR(b, "exactly12col");
	T_EQ_INT(widget_fit(b, sizeof b, "thirteen cols", 12, 1, "~"), 12);
	T_EQ_STR(b, "thirteen co~");
	/* 12 columns of a UTF-8 label: 11 characters and the ellipsis */
	T_EQ_INT(widget_fit(b, sizeof b, kl, 12, 1, "\xe2\x80\xa6"), 12);
	T_EQ_STR(b, "K\xc3\xbc" "che S\xc3\xbc" "d \xe2\x98\x80\xe2\x80\xa6");
	T_EQ_INT(widget_text_width(b), 12);
	/* cut after the sun, before its blank: the sun whole */
	T_EQ_INT(widget_fit(b, sizeof b, kl, 11, 1, "\xe2\x80\xa6"), 11);
	T_EQ_STR(b, "K\xc3\xbc" "che S\xc3\xbc" "d \xe2\x80\xa6");
	/* wide characters: never half of one */
	T_EQ_INT(widget_fit(b, sizeof b, "\xe6\x9d\xb1\xe4\xba\xac" "ab", 4,
	    1, "~"), 3);
	T_EQ_STR(b, "\xe6\x9d\xb1~");
	/* ASCII mode: one column per character, bytes kept whole */
	T_EQ_INT(widget_fit(b, sizeof b, kl, 6, 0, "~"), 6);
	T_EQ_STR(b, "K\xc3\xbc" "che~");
	/* a small buffer cuts at a character boundary too, and says so */
	T_EQ_INT(widget_fit(b, 3, kl, 20, 1, "~"), 2);
	T_EQ_STR(b, "K~");
	T_EQ_INT(widget_fit(b, sizeof b, kl, 0, 1, "~"), 0);
	T_EQ_STR(b, "");
	T_EQ_INT(widget_fit(b, sizeof b, "abc", 1, 1, NULL), 1);
	T_EQ_STR(b, "a");
	/* names that differ at their end keep it */
	T_EQ_INT(widget_fit_middle(b, sizeof b, "overflow_count_Ea_plus", 14, 1,
	    "~"), 14);
	T_EQ_STR(b, "overf~_Ea_plus");
	widget_fit_middle(b, sizeof b, "overflow_count_T1", 14, 1, "~");
	T_EQ_STR(b, "overf~count_T1");
	widget_fit_middle(b, sizeof b, "comboard_version_revision", 14, 1,
	    "\xe2\x80\xa6");
	T_EQ_STR(b, "combo\xe2\x80\xa6revision");
	T_EQ_INT(widget_text_width(b), 14);
	T_EQ_INT(widget_fit_middle(b, sizeof b, "fits", 14, 1, "~"), 4);
	T_EQ_STR(b, "fits");
}

static void
test_widget__put_clips(void)
{
	clear_win();
	T_EQ_INT(widget_put(w, 0, 0, 5, A_NORMAL, 0, "Hello world"), 5);
	T_EQ_STR(row(0), "Hello");
	T_EQ_INT(widget_put(w, 1, 36, 0, A_NORMAL, 0, "abcdefgh"), 4);
	T_EQ_STR(row(1) + 36, "abcd");	/* the window's edge */
	T_EQ_INT(widget_put(w, 9, 0, 0, A_NORMAL, 0, "x"), 0);	/* below */
	T_EQ_INT(widget_put(w, 2, 0, 0, A_NORMAL, 0, "a\tb\x01"), 4);
	T_EQ_STR(row(2), "a?b?");
	T_EQ_INT(widget_put_right(w, 3, 0, 8, A_NORMAL, 0, "42"), 8);
	T_EQ_STR(row(3), "      42");
	T_EQ_INT(widget_put_right(w, 4, 0, 3, A_NORMAL, 0, "12345"), 3);
	T_EQ_STR(row(4), "123");
}

static void
test_widget__put_ascii_and_utf8(void)
{
	cchar_t	cc;
	wchar_t	wc[4];
	attr_t	a;
	short	pair;

	clear_win();
	T_EQ_INT(widget_put(w, 0, 0, 0, A_NORMAL, 0, "\xce\xa3=1"), 3);
	T_EQ_STR(row(0), "?=1");	/* ASCII mode: one '?' per character */
	T_EQ_INT(widget_put(w, 1, 0, 0, A_NORMAL, 1, "\xce\xa3=1"), 3);
	T_OK(mvwin_wch(w, 1, 0, &cc) == OK);
	T_OK(getcchar(&cc, wc, &a, &pair, NULL) == OK);
	T_EQ_INT(wc[0], 0x03A3);
	T_EQ_INT(widget_put(w, 2, 0, 0, A_NORMAL, 1, "\xff" "a"), 2);
	T_EQ_STR(row(2), "?a");		/* invalid byte */
	T_EQ_INT(widget_put_right(w, 3, 0, 6, A_NORMAL, 1, "\xce\xa3 kWh"), 6);
	T_OK(mvwin_wch(w, 3, 1, &cc) == OK);
	T_OK(getcchar(&cc, wc, &a, &pair, NULL) == OK);
	T_EQ_INT(wc[0], 0x03A3);	/* right-aligned by columns, not bytes */
}

/* Long explanations wrap at blanks instead of being cut (issue 4). */
static void
test_widget__wrap(void)
{
	clear_win();
	T_EQ_INT(widget_wrap(w, 0, 2, 20, 4, 3, A_NORMAL, 1,
	    "Err 9  voltage inversion between V3 and Neutral"), 3);
	T_EQ_STR(row(0), "  Err 9  voltage");
	T_EQ_STR(row(1), "     inversion between");	/* 17 columns */
	T_EQ_STR(row(2), "     V3 and Neutral");
	T_EQ_STR(row(3), "");
	/* fits on one row: one row */
	clear_win();
	T_EQ_INT(widget_wrap(w, 0, 0, 0, 4, 2, A_NORMAL, 1, "short text"), 1);
	T_EQ_STR(row(0), "short text");
	/* a word longer than a row is cut, then the rest goes on */
	clear_win();
	T_EQ_INT(widget_wrap(w, 0, 0, 6, 4, 0, A_NORMAL, 0,
	    "abcdefghij kl"), 3);
	T_EQ_STR(row(0), "abcdef");
	T_EQ_STR(row(1), "ghij");
	T_EQ_STR(row(2), "kl");
	/* the last row allowed takes what is left, clipped */
	clear_win();
	T_EQ_INT(widget_wrap(w, 0, 0, 8, 2, 0, A_NORMAL, 0,
	    "one two three four five"), 2);
	T_EQ_STR(row(0), "one two");
	T_EQ_STR(row(1), "three fo");
	/* columns, not bytes: a UTF-8 word counts its characters */
	clear_win();
	T_EQ_INT(widget_wrap(w, 0, 0, 7, 3, 0, A_NORMAL, 1,
	    "\xe2\x88\x9a" "3 x \xce\xa3\xce\xa3\xce\xa3 ok"), 2);
	T_EQ_INT(widget_wrap(w, 6, 0, 10, 1, 0, A_NORMAL, 1, ""), 0);
	T_EQ_INT(widget_wrap(w, 7, 0, 10, 3, 0, A_NORMAL, 1, "a b"), 1);
	/* counting only: the same rows, nothing drawn */
	T_EQ_INT(widget_wrap(NULL, 0, 2, 20, 9, 3, A_NORMAL, 1,
	    "Err 9  voltage inversion between V3 and Neutral"), 3);
	T_EQ_INT(widget_wrap(NULL, 0, 0, 0, 9, 0, A_NORMAL, 1, "x"), 0);
}

static void
test_widget__bar_spark_phases(void)
{
	int32_t	v[4] = { 10, 20, 30, 40 };
	int	on[3] = { 1, 0, 1 };

	clear_win();
	widget_bar(w, 0, 0, 10, 500, A_NORMAL, A_NORMAL, 0);
	T_EQ_STR(row(0), "#####.....");
	widget_bar(w, 1, 0, 10, 0, A_NORMAL, A_NORMAL, 0);
	T_EQ_STR(row(1), "..........");
	widget_bar(w, 2, 0, 10, 2000, A_NORMAL, A_NORMAL, 0);	/* clamped */
	T_EQ_STR(row(2), "##########");
	widget_sparkline(w, 3, 0, 6, v, 4, A_NORMAL, 0);
	T_EQ_STR(row(3), "  _-=#");	/* right-aligned, newest last */
	widget_sparkline(w, 4, 0, 2, v, 4, A_NORMAL, 0);
	T_EQ_STR(row(4), "_#");		/* only the newest fit, rescaled */
	T_EQ_INT(widget_phases(w, 5, 0, on, 1, A_BOLD, A_DIM), 8);
	T_EQ_STR(row(5), "L1 -- L3");
	widget_phases(w, 6, 0, on, 0, A_BOLD, A_DIM);
	T_EQ_STR(row(6), "?? ?? ??");
}

static void
test_widget__big_and_box(void)
{
	clear_win();
	widget_big_draw(w, 0, 0, "1.", A_NORMAL, 0);	/* reverse blanks */
	T_OK((mvwinch(w, 0, 3) & A_REVERSE) != 0);
	T_OK((mvwinch(w, 0, 0) & A_REVERSE) == 0);
	T_OK((mvwinch(w, 4, 5) & A_REVERSE) != 0);	/* the point */
	T_OK((mvwinch(w, 3, 5) & A_REVERSE) == 0);
	clear_win();
	widget_box(w, 0, 0, 3, 6, A_NORMAL, 0);
	T_EQ_STR(row(0), "+----+");
	T_EQ_STR(row(1), "|    |");
	T_EQ_STR(row(2), "+----+");
	widget_status(w, 4, A_NORMAL, 0, "left", "right");
	T_EQ_STR(row(4), "left                               right");
}

int
main(void)
{
	FILE	*out, *in;
	SCREEN	*scr;

	T_RUN(test_widget__fmt_age);
	T_RUN(test_widget__fmt_period);
	T_RUN(test_widget__fmt_us_count);
	T_RUN(test_widget__big_table);
	T_RUN(test_widget__spark_levels);
	T_RUN(test_widget__prompt);
	if (setlocale(LC_ALL, "C.UTF-8") == NULL) {
		printf("# C.UTF-8 locale missing\n");
		return t_done();
	}
	T_RUN(test_widget__text_width);
	T_RUN(test_widget__fit);
	out = tmpfile();
	in = tmpfile();
	if (out == NULL || in == NULL ||
	    (scr = newterm("xterm", out, in)) == NULL) {
		printf("not ok %d - newterm(xterm) on a temporary file\n",
		    ++t_ncases);
		return 1;
	}
	w = newwin(8, 40, 0, 0);
	T_RUN(test_widget__put_clips);
	T_RUN(test_widget__put_ascii_and_utf8);
	T_RUN(test_widget__wrap);
	T_RUN(test_widget__bar_spark_phases);
	T_RUN(test_widget__big_and_box);
	delwin(w);
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
	return t_done();
}
