/* RFC 3339 and ISO dates, parsed strictly: a clinical record must not guess
 * what a malformed time meant.  Day arithmetic is Howard Hinnant's
 * days_from_civil, so no libc time zone state is touched. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "timefmt.h"

/* Whether year is a Gregorian leap year. */
static int
timefmt_is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* Number of days in a month of a year. */
int
timefmt_days_in_month(int year, int month)
{
	static const int	days[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (month == 2 && timefmt_is_leap(year))
		return 29;
	return days[month - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t
timefmt_days_from_civil(struct civil_date d)
{
	int64_t		 y = d.year - (d.month <= 2);
	int64_t		 era = (y >= 0 ? y : y - 399) / 400;
	int64_t		 yoe = y - era * 400;
	int64_t		 mp = d.month > 2 ? d.month - 3 : d.month + 9;
	int64_t		 doy = (153 * mp + 2) / 5 + d.day - 1;
	int64_t		 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

/* The date that is a number of days after 1970-01-01. */
struct civil_date
timefmt_civil_from_days(int64_t z)
{
	struct civil_date	 d;
	int64_t			 era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d.day = (int)(doy - (153 * mp + 2) / 5 + 1);
	d.month = (int)(mp < 10 ? mp + 3 : mp - 9);
	d.year = (int)(yoe + era * 400 + (d.month <= 2));
	return d;
}

/* Read exactly n decimal digits at *p; returns -1 if any is not a digit. */
static int
timefmt_digits(const char **p, int n, int *out)
{
	int	v = 0;

	while (n-- > 0) {
		if (!isdigit((unsigned char)**p))
			return -1;
		v = v * 10 + (**p - '0');
		(*p)++;
	}
	*out = v;
	return 0;
}

/* Read YYYY-MM-DD at *p and check it is a real date. */
static int
timefmt_read_date(const char **p, struct civil_date *d)
{
	if (timefmt_digits(p, 4, &d->year) == -1 || *(*p)++ != '-' ||
	    timefmt_digits(p, 2, &d->month) == -1 || *(*p)++ != '-' ||
	    timefmt_digits(p, 2, &d->day) == -1)
		return -1;
	if (d->year < 1800 || d->month < 1 || d->month > 12 || d->day < 1 ||
	    d->day > timefmt_days_in_month(d->year, d->month))
		return -1;
	return 0;
}

/* Parse a date written YYYY-MM-DD, and nothing else. */
int
timefmt_parse_date(const char *s, struct civil_date *d)
{
	const char	*p = s;

	if (timefmt_read_date(&p, d) == -1 || *p != '\0')
		return -1;
	return 0;
}

/* Parse an RFC 3339 timestamp with a Z or +hh:mm offset; fractions of a
 * second beyond milliseconds are dropped.  Leap seconds are refused. */
int
timefmt_parse_instant(const char *s, int64_t *ms)
{
	const char		*p = s;
	struct civil_date	 d;
	int			 hh, mi, ss, oh, om, sign, digits = 0;
	int64_t			 frac = 0;

	if (timefmt_read_date(&p, &d) == -1)
		return -1;
	if (*p != 'T' && *p != 't')
		return -1;
	p++;
	if (timefmt_digits(&p, 2, &hh) == -1 || *p++ != ':' ||
	    timefmt_digits(&p, 2, &mi) == -1 || *p++ != ':' ||
	    timefmt_digits(&p, 2, &ss) == -1)
		return -1;
	if (hh > 23 || mi > 59 || ss > 59)
		return -1;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		for (; isdigit((unsigned char)*p); p++, digits++) {
			if (digits < 3)
				frac = frac * 10 + (*p - '0');
			if (digits > 9)
				return -1;
		}
		for (; digits < 3; digits++)
			frac *= 10;
	}
	if (*p == 'Z' || *p == 'z') {
		sign = 0;
		oh = om = 0;
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '+' ? 1 : -1;
		if (timefmt_digits(&p, 2, &oh) == -1 || *p++ != ':' ||
		    timefmt_digits(&p, 2, &om) == -1)
			return -1;
		if (oh > 23 || om > 59)
			return -1;
	} else
		return -1;
	if (*p != '\0')
		return -1;

	*ms = ((timefmt_days_from_civil(d) * 86400 + hh * 3600 + mi * 60 +
	    ss) - (int64_t)sign * (oh * 3600 + om * 60)) * 1000 + frac;
	return 0;
}

/* Format an instant in UTC; milliseconds appear only when not zero. */
void
timefmt_format_instant(int64_t ms, char buf[TIMEFMT_INSTANT_LEN])
{
	int64_t			 days, secs, rem;
	struct civil_date	 d;

	rem = ms % MS_PER_DAY;
	days = ms / MS_PER_DAY;
	if (rem < 0) {
		rem += MS_PER_DAY;
		days--;
	}
	d = timefmt_civil_from_days(days);
	secs = rem / 1000;
	if (rem % 1000 == 0)
		snprintf(buf, TIMEFMT_INSTANT_LEN,
		    "%04d-%02d-%02dT%02d:%02d:%02dZ", d.year, d.month, d.day,
		    (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
	else
		snprintf(buf, TIMEFMT_INSTANT_LEN,
		    "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", d.year, d.month,
		    d.day, (int)(secs / 3600), (int)(secs / 60 % 60),
		    (int)(secs % 60), (int)(rem % 1000));
}

/* Format a date as YYYY-MM-DD. */
void
timefmt_format_date(struct civil_date d, char buf[TIMEFMT_DATE_LEN])
{
	snprintf(buf, TIMEFMT_DATE_LEN, "%04u-%02u-%02u",
	    (unsigned)d.year % 10000, (unsigned)d.month % 100,
	    (unsigned)d.day % 100);
}

/* Compare two dates: negative, zero or positive as a is before, on or
 * after b. */
int
timefmt_date_cmp(struct civil_date a, struct civil_date b)
{
	int64_t	 da = timefmt_days_from_civil(a), db = timefmt_days_from_civil(b);

	return (da > db) - (da < db);
}
