/*
 * test-core-parse.c: bounded decimal numbers: the bounds themselves, one
 * past them, overflow, and every kind of text that is not a number.
 */
#include <limits.h>

#include "parse.h"
#include "t.h"

static void
test_parse__bounds(void)
{
	long	v = 7;

	T_EQ_INT(parse_long("1", 1, 247, &v), PARSE_OK);
	T_EQ_INT(v, 1);
	T_EQ_INT(parse_long("247", 1, 247, &v), PARSE_OK);
	T_EQ_INT(v, 247);
	T_EQ_INT(parse_long("0", 1, 247, &v), PARSE_RANGE);
	T_EQ_INT(parse_long("248", 1, 247, &v), PARSE_RANGE);
	T_EQ_INT(v, 247);				/* untouched */
	T_EQ_INT(parse_long("-5", -10, 10, &v), PARSE_OK);
	T_EQ_INT(v, -5);
	T_EQ_INT(parse_long("007", 0, 10, &v), PARSE_OK);
	T_EQ_INT(v, 7);
}

static void
test_parse__overflow(void)
{
	long	v;

	T_EQ_INT(parse_long("99999999999999999999", LONG_MIN, LONG_MAX, &v),
	    PARSE_RANGE);
	T_EQ_INT(parse_long("-99999999999999999999", LONG_MIN, LONG_MAX, &v),
	    PARSE_RANGE);
	T_EQ_INT(parse_long("2147483648", INT_MIN, INT_MAX, &v), PARSE_RANGE);
	T_EQ_INT(parse_long("2147483647", INT_MIN, INT_MAX, &v), PARSE_OK);
}

static void
test_parse__not_a_number(void)
{
	static const char *const bad[] = { "x", "5x", " 5", "+5", "-", "- 5",
	    "5 ", "0x10", "1e3", "--5", "5-" };
	long		v = 42;
	size_t		i;

	T_EQ_INT(parse_long("", 0, 10, &v), PARSE_EMPTY);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (parse_long(bad[i], LONG_MIN, LONG_MAX, &v) != PARSE_SYNTAX)
			T_FAIL_("'%s' is not PARSE_SYNTAX", bad[i]);
	/* junk after an overflow is still junk */
	T_EQ_INT(parse_long("99999999999999999999x", 0, 10, &v), PARSE_SYNTAX);
	T_EQ_INT(v, 42);
}

static void
test_parse__prefix(void)
{
	const char	*end;
	long		 v;

	T_EQ_INT(parse_long_prefix("12 clear", &end, 1, 247, &v), PARSE_OK);
	T_EQ_INT(v, 12);
	T_EQ_STR(end, " clear");
	T_EQ_INT(parse_long_prefix("3:dead", &end, 1, 247, &v), PARSE_OK);
	T_EQ_STR(end, ":dead");
	T_EQ_INT(parse_long_prefix("clear", &end, 1, 247, &v), PARSE_SYNTAX);
	T_EQ_STR(end, "clear");
	T_EQ_INT(parse_long_prefix("", &end, 1, 247, &v), PARSE_EMPTY);
}

static void
test_parse__int(void)
{
	int	v = 0;

	T_EQ_INT(parse_int_range("255", 0, 255, &v), PARSE_OK);
	T_EQ_INT(v, 255);
	T_EQ_INT(parse_int_range("256", 0, 255, &v), PARSE_RANGE);
	T_EQ_INT(parse_int_range("", 0, 255, &v), PARSE_EMPTY);
	T_EQ_INT(v, 255);
}

int
main(void)
{
	T_RUN(test_parse__bounds);
	T_RUN(test_parse__overflow);
	T_RUN(test_parse__not_a_number);
	T_RUN(test_parse__prefix);
	T_RUN(test_parse__int);
	return t_done();
}
