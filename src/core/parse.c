/*
 * parse.c: bounded decimal numbers (see parse.h). strtol alone accepts
 * leading spaces, a '+' and trailing junk, and reports overflow through
 * errno; every caller once checked a different subset of that.
 */
#include <errno.h>
#include <stdlib.h>

#include "parse.h"

enum parse_status
parse_long_prefix(const char *s, const char **end, long min, long max,
    long *out)
{
	char	*e;
	long	 v;

	*end = s;
	if (*s == '\0')
		return PARSE_EMPTY;
	if (!((*s >= '0' && *s <= '9') ||
	    (*s == '-' && s[1] >= '0' && s[1] <= '9')))
		return PARSE_SYNTAX;
	errno = 0;
	v = strtol(s, &e, 10);
	*end = e;
	if (errno == ERANGE || v < min || v > max)
		return PARSE_RANGE;
	*out = v;
	return PARSE_OK;
}

enum parse_status
parse_long(const char *s, long min, long max, long *out)
{
	const char		*end;
	long			 v;
	enum parse_status	 st;

	st = parse_long_prefix(s, &end, min, max, &v);
	if (st == PARSE_EMPTY || (st != PARSE_SYNTAX && *end != '\0'))
		return st == PARSE_EMPTY ? st : PARSE_SYNTAX;
	if (st == PARSE_OK)
		*out = v;
	return st;
}

enum parse_status
parse_int_range(const char *s, int min, int max, int *out)
{
	long			 v;
	enum parse_status	 st;

	if ((st = parse_long(s, min, max, &v)) == PARSE_OK)
		*out = (int)v;
	return st;
}
