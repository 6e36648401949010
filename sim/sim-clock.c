/*
 * sim-clock.c: time sources and the s2000 wall-clock arithmetic of
 * countis-sim. The meter keeps local time with no time zone or DST (register
 * map §7), so s2000 values are local wall time read as if it were UTC.
 */
#include <math.h>

#include "sim-clock.h"

double
sim_clock_local2000(double t)
{
	struct tm	tm;
	time_t		s = (time_t)floor(t);

	localtime_r(&s, &tm);
	return (double)(timegm(&tm) - SIM_UNIX_2000) + (t - floor(t));
}

void
sim_clock_fields(int64_t s2000, struct tm *tm)
{
	time_t	s = (time_t)(s2000 + SIM_UNIX_2000);

	gmtime_r(&s, tm);
}

int64_t
sim_clock_from_fields(int year, int month, int day, int hour, int minute,
    int second)
{
	struct tm	tm = { 0 };
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (year < 2000 || year > 2135 || month < 1 || month > 12 ||
	    day < 1 || day > mdays[month - 1] || hour < 0 || hour > 23 ||
	    minute < 0 || minute > 59 || second < 0 || second > 59)
		return -1;
	if (month == 2 && day == 29 && !((year % 4 == 0 && year % 100 != 0) ||
	    year % 400 == 0))
		return -1;
	tm.tm_year = year - 1900;
	tm.tm_mon = month - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = minute;
	tm.tm_sec = second;
	return (int64_t)timegm(&tm) - SIM_UNIX_2000;
}
