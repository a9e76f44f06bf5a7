/* The bank holidays of England and Wales by rule, with substitute days
 * when a fixed holiday falls at a weekend, and the arithmetic of a clock
 * that runs only on working days. */
#include <string.h>
#include <time.h>

#include "calendar.h"

/* Day of the week: 0 is Sunday.  1970-01-01 was a Thursday. */
int
calendar_weekday(struct civil_date d)
{
	int64_t	days = timefmt_days_from_civil(d);

	return (int)(((days % 7) + 7 + 4) % 7);
}

/* The date a number of days after d. */
struct civil_date
calendar_add_days(struct civil_date d, int n)
{
	return timefmt_civil_from_days(timefmt_days_from_civil(d) + n);
}

/* Easter Sunday (the anonymous Gregorian algorithm). */
struct civil_date
calendar_easter(int year)
{
	int	a = year % 19, b = year / 100, c = year % 100, d = b / 4;
	int	e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
	int	h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4;
	int	l = (32 + 2 * e + 2 * i - h - k) % 7;
	int	m = (a + 11 * h + 22 * l) / 451;

	return (struct civil_date){ year, (h + l - 7 * m + 114) / 31,
	    (h + l - 7 * m + 114) % 31 + 1 };
}

/* The first Monday of a month. */
static struct civil_date
calendar_first_monday(int year, int month)
{
	struct civil_date	d = { year, month, 1 };

	return calendar_add_days(d, (8 - calendar_weekday(d)) % 7);
}

/* The last Monday of a month. */
static struct civil_date
calendar_last_monday(int year, int month)
{
	struct civil_date	d = { year, month,
	    timefmt_days_in_month(year, month) };

	return calendar_add_days(d, -((calendar_weekday(d) + 6) % 7));
}

/* Whether d is a holiday by the standing rules. */
static int
calendar_by_rule(struct civil_date d)
{
	struct civil_date	easter = calendar_easter(d.year), r;
	int			wd = calendar_weekday(d);

	/* New Year's Day, or the Monday after when it is at a weekend. */
	if (d.month == 1 && ((d.day == 1 && wd != 0 && wd != 6) ||
	    (wd == 1 && (d.day == 2 || d.day == 3))))
		return 1;
	r = calendar_add_days(easter, -2);	/* Good Friday */
	if (timefmt_date_cmp(d, r) == 0)
		return 1;
	r = calendar_add_days(easter, 1);	/* Easter Monday */
	if (timefmt_date_cmp(d, r) == 0)
		return 1;
	if (timefmt_date_cmp(d, calendar_first_monday(d.year, 5)) == 0 ||
	    timefmt_date_cmp(d, calendar_last_monday(d.year, 5)) == 0 ||
	    timefmt_date_cmp(d, calendar_last_monday(d.year, 8)) == 0)
		return 1;
	if (d.month != 12 || d.day < 25 || d.day > 28)
		return 0;
	/* Christmas and Boxing Day on weekdays; when either falls at a
	 * weekend, the next weekdays that are not already holidays.  So the
	 * 27th is a holiday when it is a Monday (25th on Saturday) or a
	 * Tuesday (25th on Sunday, Boxing Day on Monday), and the 28th when
	 * it is a Monday (26th on Saturday) or a Tuesday (25th on Saturday,
	 * Monday 27th taken). */
	if (d.day == 25 || d.day == 26)
		return wd != 0 && wd != 6;
	return wd == 1 || wd == 2;
}

/* Whether d is in a list of dates. */
static int
calendar_listed(const struct calendar_dates *list, struct civil_date d)
{
	int	i;

	for (i = 0; i < list->n; i++)
		if (timefmt_date_cmp(list->date[i], d) == 0)
			return 1;
	return 0;
}

/* Whether d is a bank holiday: by rule, unless the config removed it, or
 * because the config added it. */
int
calendar_is_bank_holiday(const struct calendar *cal, struct civil_date d)
{
	if (calendar_listed(&cal->added, d))
		return 1;
	if (calendar_listed(&cal->removed, d))
		return 0;
	return calendar_by_rule(d);
}

/* Monday to Friday and not a bank holiday. */
int
calendar_is_working_day(const struct calendar *cal, struct civil_date d)
{
	int	wd = calendar_weekday(d);

	return wd != 0 && wd != 6 && !calendar_is_bank_holiday(cal, d);
}

/* The local calendar date of an instant. */
struct civil_date
calendar_local_date(int64_t instant)
{
	time_t		t = (time_t)(instant / 1000 - (instant % 1000 < 0));
	struct tm	tm;

	localtime_r(&t, &tm);
	return (struct civil_date){ tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday };
}

/* An instant as a person on the unit reads it: "Mon 23 Nov 10:00 GMT". */
void
calendar_format_local(int64_t instant, char buf[CALENDAR_LOCAL_LEN])
{
	time_t		t = (time_t)(instant / 1000 - (instant % 1000 < 0));
	struct tm	tm;

	localtime_r(&t, &tm);
	if (strftime(buf, CALENDAR_LOCAL_LEN, "%a %d %b %H:%M %Z", &tm) == 0)
		buf[0] = '\0';
}

/* The instant a local date begins.  Where midnight itself does not exist
 * (a zone that springs forward at 00:00), the day begins when the clock
 * jumps to. */
int64_t
calendar_local_midnight(struct civil_date d)
{
	struct tm	tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = d.year - 1900;
	tm.tm_mon = d.month - 1;
	tm.tm_mday = d.day;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm) * 1000;
}

/* The instant when duration of working time has passed since start: the
 * clock runs only on working days, local dates, and stands still on
 * Saturdays, Sundays and bank holidays.  Durations are real time, so a
 * working day that is 23 or 25 hours long (DST) counts as such. */
int64_t
calendar_add_working_time(const struct calendar *cal, int64_t start,
    int64_t duration)
{
	struct civil_date	day = calendar_local_date(start);
	int64_t			t = start, end;

	for (;;) {
		end = calendar_local_midnight(calendar_add_days(day, 1));
		if (calendar_is_working_day(cal, day)) {
			if (duration <= end - t)
				return t + duration;
			duration -= end - t;
		}
		day = calendar_add_days(day, 1);
		t = end;
	}
}

/* The UTC offset in force at an instant, in seconds east: the process's
 * zone as timefmt_parse_local() takes it. */
long
calendar_utc_offset(int64_t seconds)
{
	time_t		t = (time_t)seconds;
	struct tm	tm;

	localtime_r(&t, &tm);
	return tm.tm_gmtoff;
}

/* The instant a local wall-clock time occurs on a date.  A time the clocks
 * skip (spring forward) moves forward by the gap: 01:30 becomes 02:30 BST.
 * A time that occurs twice (autumn) is taken at its first occurrence. */
int64_t
calendar_local_time(struct civil_date d, int minute_of_day)
{
	int64_t	wall = timefmt_days_from_civil(d) * 86400 +
		    (int64_t)minute_of_day * 60;
	long	before = calendar_utc_offset(wall - 86400);
	long	after = calendar_utc_offset(wall + 86400);
	int64_t	early = wall - before, late = wall - after;
	int	early_ok = calendar_utc_offset(early) == before;
	int	late_ok = calendar_utc_offset(late) == after;

	if (early_ok && late_ok)
		return (early < late ? early : late) * 1000;
	if (late_ok)
		return late * 1000;
	/* Either the old offset still holds, or the time is in the gap: read
	 * with the offset before the change, it lands just after the jump. */
	return early * 1000;
}
