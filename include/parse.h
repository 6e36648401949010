/*
 * parse.h: bounded decimal numbers from text (options, ini values, control
 * lines). The callers word the complaint, since only they know the option
 * or key; these say which kind of wrong the text is.
 */
#ifndef PARSE_H
#define PARSE_H

enum parse_status {
	PARSE_OK = 0,
	PARSE_EMPTY,		/* "" */
	PARSE_SYNTAX,		/* not [-]DIGITS (no space, no '+'), or junk after */
	PARSE_RANGE		/* a number, but outside min..max (or long) */
};

/*
 * Parse all of s as a whole decimal number, an optional '-' then digits,
 * within min..max. Returns PARSE_OK with *out set, or why not (*out is
 * left alone).
 */
enum parse_status parse_long(const char *s, long min, long max, long *out);

/*
 * The same for a number that starts s and ends at the first byte that is
 * not a digit: *end points there (the caller judges what follows).
 */
enum parse_status parse_long_prefix(const char *s, const char **end,
	    long min, long max, long *out);

/* parse_long into an int (min and max within int). */
enum parse_status parse_int_range(const char *s, int min, int max, int *out);

#endif
