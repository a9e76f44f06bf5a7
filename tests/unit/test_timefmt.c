/* Unit tests for timefmt.c: RFC 3339 instants, YYYY-MM-DD dates and the
 * day arithmetic under them.  Expected values were computed independently
 * (Python's datetime), not by the code under test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "calendar.h"
#include "timefmt.h"

/* Parse s, which must be accepted, and return its instant. */
static int64_t
parse_ok(const char *s)
{
	int64_t	ms = INT64_C(-123456789);

	if (timefmt_parse_instant(s, &ms) != 0)
		fail_msg("refused a valid instant: \"%s\"", s);
	return ms;
}

/* s must be refused, and the output left alone. */
static void
parse_refused(const char *s)
{
	int64_t	ms = INT64_C(-123456789);

	if (timefmt_parse_instant(s, &ms) != -1)
		fail_msg("accepted an invalid instant: \"%s\"", s);
}

static void
test_parse_utc(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("1970-01-01T00:00:00Z"), 0);
	assert_int_equal(parse_ok("2025-06-15T12:00:00Z"),
	    INT64_C(1749988800000));
	assert_int_equal(parse_ok("2024-02-29T12:00:00Z"),
	    INT64_C(1709208000000));
	assert_int_equal(parse_ok("2000-03-01T00:00:00Z"),
	    INT64_C(951868800000));
	assert_int_equal(parse_ok("9999-12-31T23:59:59Z"),
	    INT64_C(253402300799000));
	assert_int_equal(parse_ok("1800-01-01T00:00:00Z"),
	    INT64_C(-5364662400000));
	/* Before 1970: negative instants. */
	assert_int_equal(parse_ok("1969-07-20T20:17:40Z"),
	    INT64_C(-14182940000));
	assert_int_equal(parse_ok("1969-12-31T23:59:59Z"), INT64_C(-1000));
}

static void
test_parse_offsets(void **state)
{
	(void)state;
	/* 10:20:30 at +01:00 is 09:20:30 UTC. */
	assert_int_equal(parse_ok("2025-06-15T10:20:30+01:00"),
	    INT64_C(1749979230000));
	/* 10:20:30 at -05:30 is 15:50:30 UTC. */
	assert_int_equal(parse_ok("2025-06-15T10:20:30-05:30"),
	    INT64_C(1750002630000));
	/* An offset that moves the instant to the day before. */
	assert_int_equal(parse_ok("2025-06-15T00:10:00+01:00"),
	    INT64_C(1749942600000));
	/* And to the day after: 23:10 at -01:00 is 00:10 UTC next day. */
	assert_int_equal(parse_ok("2025-06-14T23:10:00-01:00"),
	    INT64_C(1749942600000) + MS_PER_HOUR);
	/* +00:00 and -00:00 are UTC. */
	assert_int_equal(parse_ok("2025-06-15T12:00:00+00:00"),
	    INT64_C(1749988800000));
	assert_int_equal(parse_ok("2025-06-15T12:00:00-00:00"),
	    INT64_C(1749988800000));
	/* The extreme offsets of the grammar. */
	assert_int_equal(parse_ok("2025-06-15T12:00:00+23:59"),
	    INT64_C(1749988800000) - 23 * MS_PER_HOUR - 59 * MS_PER_MINUTE);
	assert_int_equal(parse_ok("2025-06-15T12:00:00-23:59"),
	    INT64_C(1749988800000) + 23 * MS_PER_HOUR + 59 * MS_PER_MINUTE);
	/* The same instant written three ways. */
	assert_int_equal(parse_ok("2025-01-01T00:00:00Z"),
	    parse_ok("2025-01-01T01:00:00+01:00"));
	assert_int_equal(parse_ok("2025-01-01T00:00:00Z"),
	    parse_ok("2024-12-31T18:30:00-05:30"));
}

static void
test_parse_fractions(void **state)
{
	const int64_t	base = INT64_C(1749988800000);

	(void)state;
	assert_int_equal(parse_ok("2025-06-15T12:00:00.5Z"), base + 500);
	assert_int_equal(parse_ok("2025-06-15T12:00:00.1Z"), base + 100);
	assert_int_equal(parse_ok("2025-06-15T12:00:00.12Z"), base + 120);
	assert_int_equal(parse_ok("2025-06-15T12:00:00.123Z"), base + 123);
	assert_int_equal(parse_ok("2025-06-15T12:00:00.001Z"), base + 1);
	assert_int_equal(parse_ok("2025-06-15T12:00:00.000Z"), base);
	assert_int_equal(parse_ok("2025-06-15T12:00:00.0Z"), base);
	/* Nine digits: beyond the millisecond is dropped, not rounded. */
	assert_int_equal(parse_ok("2025-06-15T12:00:00.123456789Z"),
	    base + 123);
	assert_int_equal(parse_ok("2025-06-15T12:00:00.999999999Z"),
	    base + 999);
	assert_int_equal(parse_ok("2025-06-15T12:00:00.000000001Z"), base);
	/* A fraction with an offset. */
	assert_int_equal(parse_ok("2025-06-15T13:00:00.250+01:00"),
	    base + 250);
	/* A fraction before 1970 still counts forward from the second. */
	assert_int_equal(parse_ok("1969-12-31T23:59:59.999Z"), -1);
	assert_int_equal(parse_ok("1969-12-31T23:59:59.001Z"), -999);
	/* A dot with no digits, or digits with no dot. */
	parse_refused("2025-06-15T12:00:00.Z");
	parse_refused("2025-06-15T12:00:00.+01:00");
	parse_refused("2025-06-15T12:00:00,5Z");
	/* Far more digits than anyone writes. */
	parse_refused("2025-06-15T12:00:00.123456789012345Z");
}

static void
test_parse_lower_case(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("2025-06-15t12:00:00z"),
	    INT64_C(1749988800000));
	assert_int_equal(parse_ok("2025-06-15t12:00:00.5z"),
	    INT64_C(1749988800500));
	assert_int_equal(parse_ok("2025-06-15t13:00:00+01:00"),
	    INT64_C(1749988800000));
}

static void
test_parse_refuses_times(void **state)
{
	(void)state;
	parse_refused("2025-06-15T10:20:30");		/* no offset */
	parse_refused("2025-06-15T10:20:30.123");	/* no offset */
	parse_refused("2025-06-15T24:00:00Z");
	parse_refused("2025-06-15T23:60:00Z");
	parse_refused("2016-12-31T23:59:60Z");		/* a real leap second */
	parse_refused("2025-06-15T23:59:61Z");
	parse_refused("2025-06-15T10:20Z");		/* no seconds */
	parse_refused("2025-06-15T10Z");
	parse_refused("2025-06-15T1:20:30Z");
	parse_refused("2025-06-15T10:2:30Z");
	parse_refused("2025-06-15T10:20:3Z");
	parse_refused("2025-06-15 10:20:30Z");		/* space for T */
	parse_refused("2025-06-15X10:20:30Z");
	parse_refused("2025-06-15T10-20-30Z");
	parse_refused("2025-06-15");			/* a date alone */
	parse_refused("2025-06-15T");
}

static void
test_parse_refuses_offsets(void **state)
{
	(void)state;
	parse_refused("2025-06-15T10:20:30+0100");
	parse_refused("2025-06-15T10:20:30+01");
	parse_refused("2025-06-15T10:20:30+1:00");
	parse_refused("2025-06-15T10:20:30+01:0");
	parse_refused("2025-06-15T10:20:30+24:00");
	parse_refused("2025-06-15T10:20:30+01:60");
	parse_refused("2025-06-15T10:20:30 +01:00");
	parse_refused("2025-06-15T10:20:30UTC");
	parse_refused("2025-06-15T10:20:30GMT");
	parse_refused("2025-06-15T10:20:30ZZ");
	parse_refused("2025-06-15T10:20:30Z+01:00");
}

static void
test_parse_refuses_dates(void **state)
{
	(void)state;
	/* Leap years: 2024 is one, 2025 is not, 2100 is not, 2000 is. */
	parse_refused("2025-02-29T00:00:00Z");
	assert_int_equal(parse_ok("2024-02-29T00:00:00Z"),
	    INT64_C(19782) * MS_PER_DAY);
	parse_refused("2100-02-29T00:00:00Z");
	assert_int_equal(parse_ok("2000-02-29T00:00:00Z"),
	    INT64_C(11016) * MS_PER_DAY);
	parse_refused("2024-02-30T00:00:00Z");
	parse_refused("2025-13-01T00:00:00Z");
	parse_refused("2025-00-10T00:00:00Z");
	parse_refused("2025-06-00T00:00:00Z");
	parse_refused("2025-04-31T00:00:00Z");
	parse_refused("2025-06-31T00:00:00Z");
	parse_refused("2025-12-32T00:00:00Z");
	parse_refused("2025-6-15T00:00:00Z");
	parse_refused("25-06-15T00:00:00Z");
	parse_refused("+2025-06-15T00:00:00Z");
	parse_refused("-2025-06-15T00:00:00Z");
	parse_refused("20250615T000000Z");
	parse_refused("2025/06/15T00:00:00Z");
}

static void
test_parse_refuses_garbage(void **state)
{
	(void)state;
	parse_refused("");
	parse_refused("T");
	parse_refused("Z");
	parse_refused("now");
	parse_refused("2025-06-15T10:20:30Zx");
	parse_refused("2025-06-15T10:20:30Z ");
	parse_refused("2025-06-15T10:20:30Z\n");
	parse_refused("2025-06-15T10:20:30+01:00x");
	parse_refused("2025-06-15T10:20:30+01:00:00");
	parse_refused(" 2025-06-15T10:20:30Z");
	parse_refused("2025-06-15T10:20:30.5x");
	parse_refused("2025-06-15T10:20:30.5 Z");
	parse_refused("１９７０-01-01T00:00:00Z");	/* full-width digits */
}

/* Format ms and compare with want. */
static void
format_is(int64_t ms, const char *want)
{
	char	buf[TIMEFMT_INSTANT_LEN];

	memset(buf, 'X', sizeof buf);
	timefmt_format_instant(ms, buf);
	assert_string_equal(buf, want);
}

static void
test_format_instant(void **state)
{
	(void)state;
	format_is(0, "1970-01-01T00:00:00Z");
	format_is(1, "1970-01-01T00:00:00.001Z");
	format_is(999, "1970-01-01T00:00:00.999Z");
	format_is(1000, "1970-01-01T00:00:01Z");
	format_is(INT64_C(1749988800000), "2025-06-15T12:00:00Z");
	format_is(INT64_C(1749988800120), "2025-06-15T12:00:00.120Z");
	format_is(INT64_C(1709208000000), "2024-02-29T12:00:00Z");
	format_is(INT64_C(253402300799999), "9999-12-31T23:59:59.999Z");
	format_is(INT64_C(-5364662400000), "1800-01-01T00:00:00Z");
}

static void
test_format_negative(void **state)
{
	(void)state;
	format_is(-1, "1969-12-31T23:59:59.999Z");
	format_is(-999, "1969-12-31T23:59:59.001Z");
	format_is(-1000, "1969-12-31T23:59:59Z");
	format_is(-1001, "1969-12-31T23:59:58.999Z");
	format_is(-MS_PER_DAY, "1969-12-31T00:00:00Z");
	format_is(-MS_PER_DAY - 1, "1969-12-30T23:59:59.999Z");
	format_is(-MS_PER_DAY + 1, "1969-12-31T00:00:00.001Z");
	format_is(INT64_C(-14182940000), "1969-07-20T20:17:40Z");
	format_is(INT64_C(-14182940000) + 7, "1969-07-20T20:17:40.007Z");
}

/* Format then parse must give back the same instant. */
static void
round_trip(int64_t ms)
{
	char	buf[TIMEFMT_INSTANT_LEN];
	int64_t	back = ms + 1;

	timefmt_format_instant(ms, buf);
	if (timefmt_parse_instant(buf, &back) != 0 || back != ms)
		fail_msg("%lld formatted as \"%s\" parsed back as %lld",
		    (long long)ms, buf, (long long)back);
}

static void
test_round_trip(void **state)
{
	static const int64_t	fixed[] = {
		0, 1, -1, 999, -999, 1000, -1000, -1001,
		MS_PER_DAY, -MS_PER_DAY, MS_PER_DAY - 1, -MS_PER_DAY + 1,
		INT64_C(1749988800123), INT64_C(-14182940001),
		INT64_C(-5364662400000), INT64_C(253402300799999),
		INT64_C(951868799999), INT64_C(951868800000),
	};
	int64_t			ms;
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		round_trip(fixed[i]);
	/* From 1800 to 9999 in odd steps, so every field and every
	 * millisecond value gets exercised, before and after 1970. */
	for (ms = INT64_C(-5364662400000); ms < INT64_C(253402300799999);
	    ms += INT64_C(7777777777) + 1)
		round_trip(ms);
	/* A day either side of the epoch, millisecond by millisecond
	 * over a few seconds. */
	for (ms = -3000; ms <= 3000; ms++)
		round_trip(ms);
}

static void
test_days_in_month(void **state)
{
	static const int	common[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int			m;

	(void)state;
	for (m = 1; m <= 12; m++) {
		assert_int_equal(timefmt_days_in_month(2025, m), common[m - 1]);
		assert_int_equal(timefmt_days_in_month(2024, m),
		    m == 2 ? 29 : common[m - 1]);
	}
	assert_int_equal(timefmt_days_in_month(1900, 2), 28);
	assert_int_equal(timefmt_days_in_month(2000, 2), 29);
	assert_int_equal(timefmt_days_in_month(2100, 2), 28);
	assert_int_equal(timefmt_days_in_month(2400, 2), 29);
	assert_int_equal(timefmt_days_in_month(1600, 2), 29);
}

static void
test_days_known(void **state)
{
	static const struct {
		struct civil_date	d;
		int64_t			days;
	} known[] = {
		{ { 1970, 1, 1 }, 0 },
		{ { 1969, 12, 31 }, -1 },
		{ { 1970, 1, 2 }, 1 },
		{ { 2000, 3, 1 }, 11017 },
		{ { 2024, 2, 29 }, 19782 },
		{ { 1600, 3, 1 }, -135080 },
		{ { 1800, 1, 1 }, -62091 },
		{ { 1, 1, 1 }, -719162 },
		{ { 9999, 12, 31 }, 2932896 },
	};
	struct civil_date	d;
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof known / sizeof known[0]; i++) {
		assert_int_equal(timefmt_days_from_civil(known[i].d),
		    known[i].days);
		d = timefmt_civil_from_days(known[i].days);
		assert_int_equal(d.year, known[i].d.year);
		assert_int_equal(d.month, known[i].d.month);
		assert_int_equal(d.day, known[i].d.day);
	}
}

/* Walk the calendar a day at a time from 1 March 0000 to the end of
 * 2500 (leap rules of 4, 100 and 400 all crossed), counting days, and
 * check both conversions at every step. */
static void
test_days_round_trip_wide(void **state)
{
	struct civil_date	d = { 0, 3, 1 }, back;
	int64_t			n;

	(void)state;
	n = timefmt_days_from_civil(d);
	assert_int_equal(n, INT64_C(-719468));
	while (d.year <= 2500) {
		if (timefmt_days_from_civil(d) != n)
			fail_msg("%04d-%02d-%02d: %lld days, expected %lld",
			    d.year, d.month, d.day,
			    (long long)timefmt_days_from_civil(d),
			    (long long)n);
		back = timefmt_civil_from_days(n);
		if (back.year != d.year || back.month != d.month ||
		    back.day != d.day)
			fail_msg("day %lld: %04d-%02d-%02d, expected "
			    "%04d-%02d-%02d", (long long)n, back.year,
			    back.month, back.day, d.year, d.month, d.day);
		n++;
		if (++d.day > timefmt_days_in_month(d.year, d.month)) {
			d.day = 1;
			if (++d.month > 12) {
				d.month = 1;
				d.year++;
			}
		}
	}
	/* 2501-01-01 */
	assert_int_equal(n, timefmt_days_from_civil(
	    (struct civil_date){ 2501, 1, 1 }));
	/* A few far points, beyond the walk, in both directions. */
	for (n = INT64_C(-3000000); n <= INT64_C(3000000); n += 997) {
		back = timefmt_civil_from_days(n);
		assert_int_equal(timefmt_days_from_civil(back), n);
	}
}

/* Parse s as a date, which must be accepted. */
static struct civil_date
date_ok(const char *s)
{
	struct civil_date	d = { -1, -1, -1 };

	if (timefmt_parse_date(s, &d) != 0)
		fail_msg("refused a valid date: \"%s\"", s);
	return d;
}

static void
date_refused(const char *s)
{
	struct civil_date	d;

	if (timefmt_parse_date(s, &d) != -1)
		fail_msg("accepted an invalid date: \"%s\"", s);
}

static void
test_parse_date(void **state)
{
	struct civil_date	d;

	(void)state;
	d = date_ok("2025-06-15");
	assert_int_equal(d.year, 2025);
	assert_int_equal(d.month, 6);
	assert_int_equal(d.day, 15);
	d = date_ok("2024-02-29");
	assert_int_equal(d.year, 2024);
	assert_int_equal(d.month, 2);
	assert_int_equal(d.day, 29);
	d = date_ok("2000-02-29");
	assert_int_equal(d.day, 29);
	d = date_ok("1999-12-31");
	assert_int_equal(d.year, 1999);
	assert_int_equal(d.month, 12);
	assert_int_equal(d.day, 31);
	d = date_ok("2025-01-01");
	assert_int_equal(d.month, 1);
	assert_int_equal(d.day, 1);

	date_refused("");
	date_refused("2025-02-29");
	date_refused("2100-02-29");
	date_refused("2025-13-01");
	date_refused("2025-00-01");
	date_refused("2025-01-00");
	date_refused("2025-04-31");
	date_refused("2025-6-15");
	date_refused("2025-06-5");
	date_refused("20250615");
	date_refused("2025-06-15T00:00:00Z");
	date_refused("2025-06-15 ");
	date_refused(" 2025-06-15");
	date_refused("2025-06-15x");
	date_refused("15/06/2025");
	date_refused("2025-06");
}

static void
test_format_date(void **state)
{
	char			 buf[TIMEFMT_DATE_LEN];
	struct civil_date	 d;

	(void)state;
	timefmt_format_date((struct civil_date){ 2025, 6, 5 }, buf);
	assert_string_equal(buf, "2025-06-05");
	timefmt_format_date((struct civil_date){ 1999, 12, 31 }, buf);
	assert_string_equal(buf, "1999-12-31");
	timefmt_format_date((struct civil_date){ 2024, 2, 29 }, buf);
	assert_string_equal(buf, "2024-02-29");
	timefmt_format_date((struct civil_date){ 1800, 1, 1 }, buf);
	assert_string_equal(buf, "1800-01-01");
	/* Every day of a leap year survives format then parse. */
	for (d = (struct civil_date){ 2024, 1, 1 }; d.year == 2024;) {
		struct civil_date	back;

		timefmt_format_date(d, buf);
		assert_int_equal(strlen(buf), 10);
		back = date_ok(buf);
		assert_int_equal(back.year, d.year);
		assert_int_equal(back.month, d.month);
		assert_int_equal(back.day, d.day);
		if (++d.day > timefmt_days_in_month(d.year, d.month)) {
			d.day = 1;
			if (++d.month > 12) {
				d.month = 1;
				d.year++;
			}
		}
	}
}

static void
test_date_cmp(void **state)
{
	const struct civil_date	a = { 2025, 6, 15 };

	(void)state;
	assert_int_equal(timefmt_date_cmp(a, a), 0);
	assert_int_equal(timefmt_date_cmp(a, (struct civil_date){ 2025, 6,
	    15 }), 0);
	assert_true(timefmt_date_cmp(a, (struct civil_date){ 2025, 6, 16 })
	    < 0);
	assert_true(timefmt_date_cmp((struct civil_date){ 2025, 6, 16 }, a)
	    > 0);
	/* Each field on its own decides. */
	assert_true(timefmt_date_cmp(a, (struct civil_date){ 2025, 7, 1 })
	    < 0);
	assert_true(timefmt_date_cmp(a, (struct civil_date){ 2026, 1, 1 })
	    < 0);
	assert_true(timefmt_date_cmp((struct civil_date){ 2024, 12, 31 },
	    (struct civil_date){ 2025, 1, 1 }) < 0);
	assert_true(timefmt_date_cmp((struct civil_date){ 2025, 1, 1 },
	    (struct civil_date){ 2024, 12, 31 }) > 0);
	/* A later day in an earlier month is still earlier. */
	assert_true(timefmt_date_cmp((struct civil_date){ 2025, 5, 31 },
	    (struct civil_date){ 2025, 6, 1 }) < 0);
	assert_true(timefmt_date_cmp((struct civil_date){ 2024, 2, 29 },
	    (struct civil_date){ 2024, 3, 1 }) < 0);
	/* Before 1970. */
	assert_true(timefmt_date_cmp((struct civil_date){ 1955, 1, 1 },
	    (struct civil_date){ 1954, 12, 31 }) > 0);
}

/* --- local date-times as people write them -------------------------- */

/* Europe/London by its rule, independent of libc: BST (+01:00) from 01:00
 * UTC on the last Sunday of March to 01:00 UTC on the last Sunday of
 * October. */
static long
london(int64_t utc_seconds)
{
	int64_t			days = utc_seconds / 86400 -
				    (utc_seconds % 86400 < 0);
	int			year = timefmt_civil_from_days(days).year;
	struct civil_date	mar = { year, 3, 31 }, oct = { year, 10, 31 };
	int64_t			m = timefmt_days_from_civil(mar);
	int64_t			o = timefmt_days_from_civil(oct);

	/* 1970-01-01 was a Thursday: day 0 has weekday 4. */
	m -= (m + 4) % 7;
	o -= (o + 4) % 7;
	if (utc_seconds >= m * 86400 + 3600 && utc_seconds < o * 86400 + 3600)
		return 3600;
	return 0;
}

/* The instant RFC 3339 s names (the expected answers, written with their
 * offsets by hand). */
static int64_t
at(const char *s)
{
	return parse_ok(s);
}

/* s, typed at now, must name the instant written in expect. */
static void
local_ok(const char *s, const char *now, const char *expect)
{
	struct timefmt_local	t;

	if (timefmt_parse_local(s, at(now), london, &t) != 0)
		fail_msg("refused \"%s\" at %s: %s", s, now, t.why);
	assert_int_equal(t.error, TIMEFMT_LOCAL_OK);
	if (t.ms != at(expect))
		fail_msg("\"%s\" at %s is not %s", s, now, expect);
}

/* s, typed at now, must be refused with error, its reason containing
 * each of the words given (NULL-terminated). */
static void
local_refused(const char *s, const char *now, enum timefmt_local_error error,
    ...)
{
	struct timefmt_local	 t;
	va_list			 ap;
	const char		*word;

	if (timefmt_parse_local(s, at(now), london, &t) != -1)
		fail_msg("accepted \"%s\" at %s", s, now);
	assert_int_equal(t.error, error);
	va_start(ap, error);
	while ((word = va_arg(ap, const char *)) != NULL)
		if (strstr(t.why, word) == NULL)
			fail_msg("\"%s\": \"%s\" does not say \"%s\"", s,
			    t.why, word);
	va_end(ap);
}

static void
test_local_forms(void **state)
{
	const char	*now = "2026-12-08T12:00:00Z";

	(void)state;
	local_ok("2026-12-08 09:00", now, "2026-12-08T09:00:00Z");
	local_ok("2026-12-08T09:00", now, "2026-12-08T09:00:00Z");
	local_ok("today 09:00", now, "2026-12-08T09:00:00Z");
	local_ok("Today 09:00", now, "2026-12-08T09:00:00Z");
	local_ok("yesterday 09:00", now, "2026-12-07T09:00:00Z");
	local_ok("tomorrow 06:30", now, "2026-12-09T06:30:00Z");
	/* A bare time is today's, even when it is later than now. */
	local_ok("09:00", now, "2026-12-08T09:00:00Z");
	local_ok("23:59", now, "2026-12-08T23:59:00Z");
	local_ok("00:00", now, "2026-12-08T00:00:00Z");
	/* RFC 3339 carries its own offset. */
	local_ok("2026-12-08T09:00:00+01:00", now, "2026-12-08T08:00:00Z");
	local_ok("2026-12-08T09:00:00Z", now, "2026-12-08T09:00:00Z");
	/* Across a month and a year. */
	local_ok("yesterday 21:00", "2027-01-01T08:00:00Z",
	    "2026-12-31T21:00:00Z");
	local_ok("tomorrow 09:00", "2026-02-28T10:00:00Z",
	    "2026-03-01T09:00:00Z");
}

static void
test_local_summer(void **state)
{
	(void)state;
	/* In BST a local time is an hour ahead of UTC. */
	local_ok("2027-07-01 09:00", "2027-07-01T12:00:00Z",
	    "2027-07-01T08:00:00Z");
	local_ok("09:00", "2027-07-01T12:00:00Z", "2027-07-01T08:00:00Z");
	/* 23:30 UTC is 00:30 tomorrow on the unit: "today" is the unit's
	 * date, not UTC's. */
	local_ok("today 00:15", "2027-07-01T23:30:00Z",
	    "2027-07-01T23:15:00Z");
	local_ok("yesterday 23:30", "2027-07-01T23:30:00Z",
	    "2027-07-01T22:30:00Z");
}

static void
test_local_spring_forward(void **state)
{
	const char	*now = "2027-03-28T12:00:00Z";

	(void)state;
	/* 2027-03-28: 01:00 GMT becomes 02:00 BST. */
	local_ok("2027-03-28 00:59", now, "2027-03-28T00:59:00Z");
	local_ok("2027-03-28 02:00", now, "2027-03-28T01:00:00Z");
	local_ok("2027-03-28 09:00", now, "2027-03-28T08:00:00Z");
	local_refused("2027-03-28 01:00", now, TIMEFMT_LOCAL_SKIPPED,
	    "does not exist", "forward from 01:00 to 02:00", NULL);
	local_refused("2027-03-28 01:30", now, TIMEFMT_LOCAL_SKIPPED,
	    "2027-03-28 01:30 does not exist", NULL);
	local_refused("today 01:59", now, TIMEFMT_LOCAL_SKIPPED,
	    "does not exist", NULL);
	local_refused("01:30", now, TIMEFMT_LOCAL_SKIPPED, "does not exist",
	    NULL);
	/* The next night has an 01:30 again. */
	local_ok("tomorrow 01:30", now, "2027-03-29T00:30:00Z");
}

static void
test_local_fall_back(void **state)
{
	const char	*now = "2027-10-31T12:00:00Z";

	(void)state;
	/* 2027-10-31: 02:00 BST becomes 01:00 GMT; 01:00-01:59 twice. */
	local_ok("2027-10-31 00:59", now, "2027-10-30T23:59:00Z");
	local_ok("2027-10-31 02:00", now, "2027-10-31T02:00:00Z");
	local_refused("2027-10-31 01:00", now, TIMEFMT_LOCAL_REPEATED,
	    "happened twice", "back from 02:00 to 01:00", NULL);
	local_refused("today 01:30", now, TIMEFMT_LOCAL_REPEATED,
	    "2027-10-31 01:30 happened twice",
	    "2027-10-31T01:30+01:00 (the first)",
	    "2027-10-31T01:30+00:00 (the second)", NULL);
	local_refused("yesterday 01:59", "2027-11-01T09:00:00Z",
	    TIMEFMT_LOCAL_REPEATED, "happened twice", NULL);
	/* With the offset it says which; the day before has one 01:30. */
	local_ok("2027-10-31T01:30:00+01:00", now, "2027-10-31T00:30:00Z");
	local_ok("2027-10-31T01:30:00+00:00", now, "2027-10-31T01:30:00Z");
	local_ok("yesterday 01:30", now, "2027-10-30T00:30:00Z");
}

static void
test_local_refuses_malformed(void **state)
{
	static const char	*bad[] = {
		"", "9:00", "09:0", "24:00", "09:60", "0900", "09:00 ",
		" 09:00", "today", "2026-12-08", "2026-12-08  09:00",
		"2026-12-08 9:00", "2026-13-01 09:00", "2026-02-29 09:00",
		"12/03/1988 09:00", "08/12/2026 09:00", "now", "noon",
		"today09:00", "monday 09:00", "2026-12-08T09:00+01",
		"tomorrow 25:00", "yesterday", "09:00:00",
	};
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		local_refused(bad[i], "2026-12-08T12:00:00Z",
		    TIMEFMT_LOCAL_MALFORMED, "is not a time",
		    "YYYY-MM-DD HH:MM, today HH:MM", NULL);
}

/* s must be the date expect, typed at now. */
static void
local_date_ok(const char *s, const char *now, struct civil_date expect)
{
	struct civil_date	d;
	char			why[TIMEFMT_WHY_LEN];

	if (timefmt_parse_local_date(s, at(now), london, &d, why) != 0)
		fail_msg("refused date \"%s\": %s", s, why);
	assert_int_equal(timefmt_date_cmp(d, expect), 0);
}

/* s must be refused as a date, the reason containing word. */
static void
local_date_refused(const char *s, const char *word)
{
	struct civil_date	d;
	char			why[TIMEFMT_WHY_LEN];

	if (timefmt_parse_local_date(s, at("2026-12-08T12:00:00Z"), london,
	    &d, why) != -1)
		fail_msg("accepted date \"%s\"", s);
	if (strstr(why, word) == NULL)
		fail_msg("date \"%s\": \"%s\" does not say \"%s\"", s,
		    why, word);
}

static void
test_local_dates(void **state)
{
	(void)state;
	local_date_ok("1988-03-12", "2026-12-08T12:00:00Z",
	    (struct civil_date){ 1988, 3, 12 });
	local_date_ok("today", "2026-12-08T12:00:00Z",
	    (struct civil_date){ 2026, 12, 8 });
	local_date_ok("yesterday", "2026-12-08T12:00:00Z",
	    (struct civil_date){ 2026, 12, 7 });
	local_date_ok("tomorrow", "2026-12-31T12:00:00Z",
	    (struct civil_date){ 2027, 1, 1 });
	/* After 23:00 UTC in summer the unit's today is the next day. */
	local_date_ok("today", "2027-07-01T23:30:00Z",
	    (struct civil_date){ 2027, 7, 2 });
	/* A date of birth typed the British way: refused, its ISO form to
	 * copy, never guessed. */
	local_date_refused("12/03/1988", "1988-03-12 if you mean day 12 of month 3");
	local_date_refused("31/02/1988", "write YYYY-MM-DD, today");
	local_date_refused("1988-3-12", "is not a date");
	local_date_refused("", "is not a date");
	local_date_refused("today 09:00", "is not a date");
}

/* The process's zone, as the clients pass it, agrees with the rule above
 * on both changes of 2027 and either side of them. */
static void
test_local_process_zone(void **state)
{
	static const char	*instants[] = {
		"2027-03-28T00:59:59Z", "2027-03-28T01:00:00Z",
		"2027-10-31T00:59:59Z", "2027-10-31T01:00:00Z",
		"2026-12-08T09:00:00Z", "2027-07-01T09:00:00Z",
	};
	struct timefmt_local	 t;
	size_t			 i;

	(void)state;
	setenv("TZ", "Europe/London", 1);
	tzset();
	for (i = 0; i < sizeof instants / sizeof instants[0]; i++)
		assert_int_equal(calendar_utc_offset(at(instants[i]) / 1000),
		    london(at(instants[i]) / 1000));
	assert_int_equal(timefmt_parse_local("2027-10-31 01:30",
	    at("2027-10-31T12:00:00Z"), calendar_utc_offset, &t), -1);
	assert_int_equal(t.error, TIMEFMT_LOCAL_REPEATED);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_parse_utc),
		cmocka_unit_test(test_parse_offsets),
		cmocka_unit_test(test_parse_fractions),
		cmocka_unit_test(test_parse_lower_case),
		cmocka_unit_test(test_parse_refuses_times),
		cmocka_unit_test(test_parse_refuses_offsets),
		cmocka_unit_test(test_parse_refuses_dates),
		cmocka_unit_test(test_parse_refuses_garbage),
		cmocka_unit_test(test_format_instant),
		cmocka_unit_test(test_format_negative),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_days_in_month),
		cmocka_unit_test(test_days_known),
		cmocka_unit_test(test_days_round_trip_wide),
		cmocka_unit_test(test_parse_date),
		cmocka_unit_test(test_format_date),
		cmocka_unit_test(test_date_cmp),
		cmocka_unit_test(test_local_forms),
		cmocka_unit_test(test_local_summer),
		cmocka_unit_test(test_local_spring_forward),
		cmocka_unit_test(test_local_fall_back),
		cmocka_unit_test(test_local_refuses_malformed),
		cmocka_unit_test(test_local_dates),
		cmocka_unit_test(test_local_process_zone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
