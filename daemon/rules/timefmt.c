/* RFC 3339 and ISO dates, parsed strictly: a clinical record must not guess
 * what a malformed time meant.  Day arithmetic is Howard Hinnant's
 * days_from_civil, so no libc time zone state is touched. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

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

/* --- local date-times as people write them -------------------------- */

#define TIMEFMT_LOCAL_HINT "write YYYY-MM-DD HH:MM, today HH:MM, " \
	"yesterday HH:MM, HH:MM or RFC 3339 with an offset"

/* Floor division of seconds into days. */
static int64_t
timefmt_floor_days(int64_t seconds)
{
	return seconds / 86400 - (seconds % 86400 < 0);
}

/* The local date of an instant in the zone. */
struct civil_date
timefmt_local_date(int64_t ms, timefmt_offset_fn offset)
{
	int64_t	s = ms / 1000 - (ms % 1000 < 0);

	return timefmt_civil_from_days(timefmt_floor_days(s + offset(s)));
}

/* A day named by a word ("today", "yesterday", "tomorrow") relative to
 * the local date of now; -1 if s is none of them. */
static int
timefmt_day_word(const char *s, size_t len, int64_t now,
    timefmt_offset_fn offset, struct civil_date *d)
{
	static const struct {
		const char	*word;
		int		 days;
	} words[] = {
		{ "yesterday", -1 }, { "today", 0 }, { "tomorrow", 1 }
	};
	size_t	i;

	for (i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strlen(words[i].word) == len &&
		    strncasecmp(s, words[i].word, len) == 0) {
			*d = timefmt_civil_from_days(timefmt_days_from_civil(
			    timefmt_local_date(now, offset)) + words[i].days);
			return 0;
		}
	return -1;
}

/* Read HH:MM at *p, as minutes after midnight. */
static int
timefmt_read_hhmm(const char **p, int *minute)
{
	int	hh, mi;

	if (timefmt_digits(p, 2, &hh) == -1 || *(*p)++ != ':' ||
	    timefmt_digits(p, 2, &mi) == -1 || hh > 23 || mi > 59)
		return -1;
	*minute = hh * 60 + mi;
	return 0;
}

/* The UTC second at which the zone's offset changes between lo and hi
 * (offset(lo) differs from offset(hi)): the first second of the new. */
static int64_t
timefmt_transition(int64_t lo, int64_t hi, timefmt_offset_fn offset)
{
	long	before = offset(lo);

	while (hi - lo > 1) {
		int64_t	mid = lo + (hi - lo) / 2;

		if (offset(mid) == before)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

/* Format seconds of wall clock as HH:MM. */
static void
timefmt_hhmm(int64_t wall, char buf[6])
{
	int64_t	m = (wall % 86400 + 86400) % 86400 / 60;

	snprintf(buf, 6, "%02d:%02d", (int)(m / 60), (int)(m % 60));
}

/* Format a UTC offset as +hh:mm. */
static void
timefmt_offset_text(long off, char buf[7])
{
	long	a = off < 0 ? -off : off;

	snprintf(buf, 7, "%c%02ld:%02ld", off < 0 ? '-' : '+', a / 3600 % 100,
	    a / 60 % 60);
}

/* Why a wall time the clocks skip or pass twice is refused, with the
 * change that night in wall-clock words. */
static void
timefmt_refuse_change(struct timefmt_local *out, struct civil_date d,
    int64_t wall, timefmt_offset_fn offset)
{
	int64_t	t = timefmt_transition(wall - 86400, wall + 86400, offset);
	long	before = offset(t - 1), after = offset(t);
	char	date[TIMEFMT_DATE_LEN], hm[6], from[6], to[6], o1[7], o2[7];

	timefmt_format_date(d, date);
	timefmt_hhmm(wall, hm);
	timefmt_hhmm(t + before, from);
	timefmt_hhmm(t + after, to);
	if (out->error == TIMEFMT_LOCAL_SKIPPED) {
		snprintf(out->why, TIMEFMT_WHY_LEN, "%s %s does not exist: "
		    "the clocks went forward from %s to %s that night; write "
		    "the time as the clock showed it", date, hm, from, to);
		return;
	}
	timefmt_offset_text(before, o1);
	timefmt_offset_text(after, o2);
	snprintf(out->why, TIMEFMT_WHY_LEN, "%s %s happened twice: the "
	    "clocks went back from %s to %s that night; say which with an "
	    "offset: %sT%s%s (the first) or %sT%s%s (the second)", date, hm,
	    from, to, date, hm, o1, date, hm, o2);
}

/* The one instant a local wall time on a date names in the zone, or the
 * refusal when it names none (skipped) or two (repeated). */
static int
timefmt_resolve(struct civil_date d, int minute, timefmt_offset_fn offset,
    struct timefmt_local *out)
{
	int64_t	wall = timefmt_days_from_civil(d) * 86400 +
		    (int64_t)minute * 60;
	long	around[2] = { offset(wall - 86400), offset(wall + 86400) };
	int64_t	found[2];
	int	i, n = 0;

	for (i = 0; i < 2; i++) {
		int64_t	u = wall - around[i];

		if (offset(u) == around[i] && (n == 0 || found[0] != u))
			found[n++] = u;
	}
	if (n == 1) {
		out->ms = found[0] * 1000;
		return 0;
	}
	out->error = n == 0 ? TIMEFMT_LOCAL_SKIPPED : TIMEFMT_LOCAL_REPEATED;
	timefmt_refuse_change(out, d, wall, offset);
	return -1;
}

/* Parse a local date-time as people write it (see timefmt.h): the day
 * (a date, a word, or none for today), then HH:MM; or an RFC 3339
 * instant, which carries its own offset. */
int
timefmt_parse_local(const char *s, int64_t now, timefmt_offset_fn offset,
    struct timefmt_local *out)
{
	const char		*p = s, *space = strchr(s, ' ');
	struct civil_date	 d;
	int			 minute;

	memset(out, 0, sizeof *out);
	if (timefmt_parse_instant(s, &out->ms) == 0)
		return 0;
	/* 2026-12-08T09:00: the RFC 3339 separator, without an offset. */
	if (space == NULL && strlen(s) > 10 && (s[10] == 'T' || s[10] == 't'))
		space = s + 10;
	if (space == NULL)
		d = timefmt_local_date(now, offset);
	else if (timefmt_day_word(s, (size_t)(space - s), now, offset,
	    &d) == 0)
		p = space + 1;
	else if (timefmt_read_date(&p, &d) == -1 || p != space)
		goto malformed;
	else
		p++;
	if (timefmt_read_hhmm(&p, &minute) == -1 || *p != '\0')
		goto malformed;
	return timefmt_resolve(d, minute, offset, out);
malformed:
	out->error = TIMEFMT_LOCAL_MALFORMED;
	snprintf(out->why, TIMEFMT_WHY_LEN, "\"%.40s\" is not a time: %s", s,
	    TIMEFMT_LOCAL_HINT);
	return -1;
}

/* Parse a local date: YYYY-MM-DD, today, yesterday or tomorrow.  A date
 * written with slashes is refused with its ISO form (the UK reading) to
 * copy, not guessed: 12/03/1988 is 12 March here and 3 December
 * elsewhere. */
int
timefmt_parse_local_date(const char *s, int64_t now,
    timefmt_offset_fn offset, struct civil_date *d, char why[TIMEFMT_WHY_LEN])
{
	const char	*p = s;
	int		 dd, mm, yy;

	if (timefmt_parse_date(s, d) == 0 ||
	    timefmt_day_word(s, strlen(s), now, offset, d) == 0)
		return 0;
	if (timefmt_digits(&p, 2, &dd) == 0 && *p++ == '/' &&
	    timefmt_digits(&p, 2, &mm) == 0 && *p++ == '/' &&
	    timefmt_digits(&p, 4, &yy) == 0 && *p == '\0' &&
	    mm >= 1 && mm <= 12 && dd >= 1 &&
	    dd <= timefmt_days_in_month(yy, mm))
		snprintf(why, TIMEFMT_WHY_LEN, "\"%s\" is not a date here: "
		    "write YYYY-MM-DD (%04d-%02d-%02d if you mean day %d of "
		    "month %d)", s, yy, mm, dd, dd, mm);
	else
		snprintf(why, TIMEFMT_WHY_LEN, "\"%.40s\" is not a date: "
		    "write YYYY-MM-DD, today, yesterday or tomorrow", s);
	return -1;
}
