/* The calendar against the published England-and-Wales bank holidays of
 * 2020 to 2030, and the working-time clock across weekends, Christmas,
 * Easter and both DST changes, with the exact instants written out; and
 * round times on local dates (calendar_local_time) across the DST gap and
 * overlap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "calendar.h"

/* Every bank holiday published for England and Wales, 2020-2030. */
static const char *const published[] = {
	"2020-01-01", "2020-04-10", "2020-04-13", "2020-05-08", "2020-05-25",
	"2020-08-31", "2020-12-25", "2020-12-28",
	"2021-01-01", "2021-04-02", "2021-04-05", "2021-05-03", "2021-05-31",
	"2021-08-30", "2021-12-27", "2021-12-28",
	"2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-06-02",
	"2022-06-03", "2022-08-29", "2022-09-19", "2022-12-26", "2022-12-27",
	"2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08",
	"2023-05-29", "2023-08-28", "2023-12-25", "2023-12-26",
	"2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27",
	"2024-08-26", "2024-12-25", "2024-12-26",
	"2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26",
	"2025-08-25", "2025-12-25", "2025-12-26",
	"2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25",
	"2026-08-31", "2026-12-25", "2026-12-28",
	"2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31",
	"2027-08-30", "2027-12-27", "2027-12-28",
	"2028-01-03", "2028-04-14", "2028-04-17", "2028-05-01", "2028-05-29",
	"2028-08-28", "2028-12-25", "2028-12-26",
	"2029-01-01", "2029-03-30", "2029-04-02", "2029-05-07", "2029-05-28",
	"2029-08-27", "2029-12-25", "2029-12-26",
	"2030-01-01", "2030-04-19", "2030-04-22", "2030-05-06", "2030-05-27",
	"2030-08-26", "2030-12-25", "2030-12-26",
};

static struct civil_date
date(const char *s)
{
	struct civil_date	d;

	assert_int_equal(timefmt_parse_date(s, &d), 0);
	return d;
}

static int64_t
instant(const char *s)
{
	int64_t	ms;

	assert_int_equal(timefmt_parse_instant(s, &ms), 0);
	return ms;
}

/* The one-off changes of 2020, 2022 and 2023, as config/idtsd.conf
 * carries them. */
static void
one_offs(struct calendar *cal)
{
	memset(cal, 0, sizeof *cal);
	cal->added.date[cal->added.n++] = date("2020-05-08");	/* VE Day */
	cal->removed.date[cal->removed.n++] = date("2020-05-04");
	cal->added.date[cal->added.n++] = date("2022-06-02");	/* Jubilee */
	cal->added.date[cal->added.n++] = date("2022-06-03");
	cal->removed.date[cal->removed.n++] = date("2022-05-30");
	cal->added.date[cal->added.n++] = date("2022-09-19");	/* funeral */
	cal->added.date[cal->added.n++] = date("2023-05-08");	/* coronation */
}

/* Every day from 2020 to 2030 is a holiday if and only if published. */
static void
test_published_holidays(void **state)
{
	struct calendar		 cal;
	struct civil_date	 d = { 2020, 1, 1 }, end = { 2030, 12, 31 };
	char			 buf[TIMEFMT_DATE_LEN];
	size_t			 i;
	int			 want, found = 0;

	(void)state;
	one_offs(&cal);
	for (; timefmt_date_cmp(d, end) <= 0;
	    d = timefmt_civil_from_days(timefmt_days_from_civil(d) + 1)) {
		timefmt_format_date(d, buf);
		want = 0;
		for (i = 0; i < sizeof published / sizeof published[0]; i++)
			if (strcmp(published[i], buf) == 0)
				want = 1;
		found += want;
		if (calendar_is_bank_holiday(&cal, d) != want)
			fail_msg("%s: expected %s", buf, want ? "a bank holiday" :
			    "no bank holiday");
	}
	assert_int_equal(found, (int)(sizeof published / sizeof published[0]));
}

/* Without the config's one-offs the rules alone give the usual days. */
static void
test_rules_without_config(void **state)
{
	struct calendar	cal;

	(void)state;
	memset(&cal, 0, sizeof cal);
	assert_true(calendar_is_bank_holiday(&cal, date("2020-05-04")));
	assert_false(calendar_is_bank_holiday(&cal, date("2020-05-08")));
	assert_true(calendar_is_bank_holiday(&cal, date("2022-05-30")));
	assert_false(calendar_is_bank_holiday(&cal, date("2023-05-08")));
}

static void
test_easter_and_weekday(void **state)
{
	(void)state;
	assert_int_equal(timefmt_date_cmp(calendar_easter(2026),
	    date("2026-04-05")), 0);
	assert_int_equal(timefmt_date_cmp(calendar_easter(2038),
	    date("2038-04-25")), 0);	/* the latest possible */
	assert_int_equal(timefmt_date_cmp(calendar_easter(2285),
	    date("2285-03-22")), 0);	/* the earliest possible */
	assert_int_equal(calendar_weekday(date("2026-11-22")), 0);
	assert_int_equal(calendar_weekday(date("1970-01-01")), 4);
	assert_int_equal(calendar_weekday(date("1969-12-31")), 3);
}

/* 24 hours of working time from each arrival, to the millisecond. */
static void
test_working_time(void **state)
{
	static const struct {
		const char	*arrival, *due, *why;
	} cases[] = {
		{ "2026-11-23T10:00:00Z", "2026-11-24T10:00:00Z", "Monday" },
		{ "2026-11-24T10:00:00Z", "2026-11-25T10:00:00Z", "Tuesday" },
		{ "2026-11-25T10:00:00Z", "2026-11-26T10:00:00Z", "Wednesday" },
		{ "2026-11-26T10:00:00Z", "2026-11-27T10:00:00Z", "Thursday" },
		{ "2026-11-27T10:00:00Z", "2026-11-30T10:00:00Z", "Friday" },
		{ "2026-11-28T10:00:00Z", "2026-12-01T00:00:00Z", "Saturday" },
		{ "2026-11-29T10:00:00Z", "2026-12-01T00:00:00Z", "Sunday" },
		{ "2026-11-27T18:00:00Z", "2026-11-30T18:00:00Z",
		    "Friday evening" },
		{ "2026-11-23T23:59:59.999Z", "2026-11-24T23:59:59.999Z",
		    "just before midnight" },
		{ "2026-11-27T23:59:00Z", "2026-11-30T23:59:00Z",
		    "Friday just before midnight" },
		{ "2026-12-24T10:00:00Z", "2026-12-29T10:00:00Z",
		    "Christmas Eve 2026: 25th, weekend and 28th stand still" },
		{ "2026-04-02T09:00:00+01:00", "2026-04-07T08:00:00Z",
		    "the Thursday before Easter" },
		{ "2026-03-27T12:00:00Z", "2026-03-30T11:00:00Z",
		    "Friday before the spring change: Monday's midnight is BST" },
		{ "2026-10-23T20:00:00+01:00", "2026-10-26T20:00:00Z",
		    "Friday before the autumn change: Monday's midnight is GMT" },
		{ "2026-12-31T12:00:00Z", "2027-01-04T12:00:00Z",
		    "New Year's Eve: Friday 1st and the weekend" },
	};
	struct calendar		 cal;
	char			 got[TIMEFMT_INSTANT_LEN];
	size_t			 i;
	int64_t			 due;

	(void)state;
	one_offs(&cal);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		due = calendar_add_working_time(&cal, instant(cases[i].arrival),
		    24 * MS_PER_HOUR);
		timefmt_format_instant(due, got);
		if (due != instant(cases[i].due))
			fail_msg("%s: arrival %s: due %s, expected %s",
			    cases[i].why, cases[i].arrival, got, cases[i].due);
	}
}

/* Local dates and midnights either side of both DST changes. */
static void
test_local_dates(void **state)
{
	struct civil_date	d;

	(void)state;
	d = calendar_local_date(instant("2026-06-30T23:30:00Z"));
	assert_int_equal(timefmt_date_cmp(d, date("2026-07-01")), 0);
	d = calendar_local_date(instant("2026-12-31T23:30:00Z"));
	assert_int_equal(timefmt_date_cmp(d, date("2026-12-31")), 0);
	assert_true(calendar_local_midnight(date("2026-03-30")) ==
	    instant("2026-03-29T23:00:00Z"));
	assert_true(calendar_local_midnight(date("2026-10-26")) ==
	    instant("2026-10-26T00:00:00Z"));
	assert_true(calendar_local_midnight(date("2026-03-29")) ==
	    instant("2026-03-29T00:00:00Z"));
}

/* calendar_local_time: a round time on a local date as an instant.  GMT
 * and BST days, then each minute of interest on both 2026 change days: a
 * time the clocks skip moves forward by the gap (01:30 on 29 March is
 * 01:30Z, which is 02:30 BST); a time that occurs twice is taken at its
 * first occurrence (01:30 on 25 October is 00:30Z, BST). */
static void
test_local_time(void **state)
{
	static const struct {
		const char	*date;
		int		 minute;
		const char	*want, *why;
	} cases[] = {
		{ "2026-01-15", 8 * 60, "2026-01-15T08:00:00Z", "winter 08:00" },
		{ "2026-01-15", 0, "2026-01-15T00:00:00Z", "winter midnight" },
		{ "2026-01-15", 23 * 60 + 59, "2026-01-15T23:59:00Z",
		    "winter 23:59" },
		{ "2026-07-01", 8 * 60, "2026-07-01T07:00:00Z", "summer 08:00" },
		{ "2026-07-01", 0, "2026-06-30T23:00:00Z",
		    "summer midnight is the evening before in UTC" },
		{ "2026-07-01", 20 * 60, "2026-07-01T19:00:00Z",
		    "summer 20:00" },
		{ "2026-07-01", 23 * 60 + 59, "2026-07-01T22:59:00Z",
		    "summer 23:59" },
		/* Spring: 01:00 GMT becomes 02:00 BST. */
		{ "2026-03-28", 23 * 60 + 59, "2026-03-28T23:59:00Z",
		    "the evening before spring is GMT" },
		{ "2026-03-29", 0, "2026-03-29T00:00:00Z", "spring midnight" },
		{ "2026-03-29", 59, "2026-03-29T00:59:00Z",
		    "00:59 GMT, the last minute before the gap" },
		{ "2026-03-29", 60, "2026-03-29T01:00:00Z",
		    "01:00 is skipped: 02:00 BST" },
		{ "2026-03-29", 90, "2026-03-29T01:30:00Z",
		    "01:30 is skipped: 02:30 BST" },
		{ "2026-03-29", 119, "2026-03-29T01:59:00Z",
		    "01:59 is skipped: 02:59 BST" },
		{ "2026-03-29", 120, "2026-03-29T01:00:00Z", "02:00 BST" },
		{ "2026-03-29", 150, "2026-03-29T01:30:00Z",
		    "02:30 BST, the same instant as 01:30" },
		{ "2026-03-29", 180, "2026-03-29T02:00:00Z", "03:00 BST" },
		{ "2026-03-29", 8 * 60, "2026-03-29T07:00:00Z",
		    "08:00 on the spring day is BST" },
		{ "2026-03-30", 0, "2026-03-29T23:00:00Z",
		    "the midnight after spring is BST" },
		/* Autumn: 02:00 BST becomes 01:00 GMT. */
		{ "2026-10-24", 23 * 60 + 59, "2026-10-24T22:59:00Z",
		    "the evening before autumn is BST" },
		{ "2026-10-25", 0, "2026-10-24T23:00:00Z",
		    "autumn midnight is BST" },
		{ "2026-10-25", 59, "2026-10-24T23:59:00Z", "00:59 BST" },
		{ "2026-10-25", 60, "2026-10-25T00:00:00Z",
		    "01:00 occurs twice: the first, BST" },
		{ "2026-10-25", 90, "2026-10-25T00:30:00Z",
		    "01:30 occurs twice: the first, BST" },
		{ "2026-10-25", 119, "2026-10-25T00:59:00Z",
		    "01:59 occurs twice: the first, BST" },
		{ "2026-10-25", 120, "2026-10-25T02:00:00Z", "02:00 GMT" },
		{ "2026-10-25", 8 * 60, "2026-10-25T08:00:00Z",
		    "08:00 on the autumn day is GMT" },
		{ "2026-10-26", 0, "2026-10-26T00:00:00Z",
		    "the midnight after autumn is GMT" },
		/* Another year's changes: 30 March and 26 October 2025. */
		{ "2025-03-30", 90, "2025-03-30T01:30:00Z", "2025 spring gap" },
		{ "2025-10-26", 90, "2025-10-26T00:30:00Z", "2025 autumn twice" },
		/* Leap day, and the turn of the year. */
		{ "2028-02-29", 8 * 60, "2028-02-29T08:00:00Z", "leap day" },
		{ "2026-12-31", 23 * 60 + 30, "2026-12-31T23:30:00Z",
		    "New Year's Eve" },
	};
	char	got[TIMEFMT_INSTANT_LEN];
	size_t	i;
	int64_t	t;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		t = calendar_local_time(date(cases[i].date), cases[i].minute);
		timefmt_format_instant(t, got);
		if (t != instant(cases[i].want))
			fail_msg("%s: %s minute %d: got %s, expected %s",
			    cases[i].why, cases[i].date, cases[i].minute, got,
			    cases[i].want);
	}
}

/* Every quarter hour of every day from 2020 to 2030 against a table built
 * by walking real instants through localtime_r: a wall time that occurs
 * is taken at its first occurrence; one that does not (the spring hour)
 * is where wall time + 1 h first occurs. */
static void
test_local_time_every_day(void **state)
{
	struct civil_date	 d = { 2020, 1, 1 }, end = { 2030, 12, 31 };
	int64_t			 first[24 * 4], start, t, got;
	struct tm		 tm;
	time_t			 tt;
	char			 buf[TIMEFMT_DATE_LEN];
	int			 q, gaps = 0, twice = 0, seen[24 * 4];

	(void)state;
	for (; timefmt_date_cmp(d, end) <= 0; d = calendar_add_days(d, 1)) {
		for (q = 0; q < 24 * 4; q++)
			first[q] = INT64_MIN, seen[q] = 0;
		/* UTC midnight of d, less the widest offset, in quarters. */
		start = (timefmt_days_from_civil(d) * 86400 - 14 * 3600);
		for (t = start; t < start + 48 * 3600; t += 15 * 60) {
			tt = (time_t)t;
			localtime_r(&tt, &tm);
			if (tm.tm_year + 1900 != d.year ||
			    tm.tm_mon + 1 != d.month || tm.tm_mday != d.day)
				continue;
			q = (tm.tm_hour * 60 + tm.tm_min) / 15;
			if (seen[q]++ == 0)
				first[q] = t * 1000;
			else
				twice++;
		}
		for (q = 0; q < 24 * 4; q++) {
			int64_t	want = first[q];

			if (want == INT64_MIN) {
				gaps++;
				assert_true(q + 4 < 24 * 4);
				want = first[q + 4];
				assert_true(want != INT64_MIN);
			}
			got = calendar_local_time(d, q * 15);
			if (got != want) {
				timefmt_format_date(d, buf);
				fail_msg("%s minute %d: got %lld, expected %lld",
				    buf, q * 15, (long long)got,
				    (long long)want);
			}
		}
	}
	/* Eleven springs of four skipped quarters, eleven autumns of four
	 * repeated. */
	assert_int_equal(gaps, 11 * 4);
	assert_int_equal(twice, 11 * 4);
}

/* The rule is the zone's, not London's: a half-hour change (Lord Howe
 * Island), and a zone that changes at midnight (Havana), so that the day
 * itself begins late.  Each expected instant is written out. */
static void
test_local_time_other_zones(void **state)
{
	static const struct {
		const char	*zone, *date;
		int		 minute;
		const char	*want, *why;
	} cases[] = {
		{ "Australia/Lord_Howe", "2026-10-04", 119,
		    "2026-10-03T15:29:00Z", "01:59 +10:30" },
		{ "Australia/Lord_Howe", "2026-10-04", 120,
		    "2026-10-03T15:30:00Z", "02:00 skipped: 02:30 +11" },
		{ "Australia/Lord_Howe", "2026-10-04", 135,
		    "2026-10-03T15:45:00Z", "02:15 skipped: 02:45 +11" },
		{ "Australia/Lord_Howe", "2026-10-04", 150,
		    "2026-10-03T15:30:00Z", "02:30 +11" },
		{ "Australia/Lord_Howe", "2026-04-05", 90,
		    "2026-04-04T14:30:00Z", "01:30 twice: the first, +11" },
		{ "Australia/Lord_Howe", "2026-04-05", 105,
		    "2026-04-04T14:45:00Z", "01:45 twice: the first, +11" },
		{ "Australia/Lord_Howe", "2026-04-05", 120,
		    "2026-04-04T15:30:00Z", "02:00 +10:30" },
		{ "America/Havana", "2026-03-08", 0,
		    "2026-03-08T05:00:00Z", "midnight skipped: 01:00 CDT" },
		{ "America/Havana", "2026-03-08", 30,
		    "2026-03-08T05:30:00Z", "00:30 skipped: 01:30 CDT" },
		{ "America/Havana", "2026-03-08", 60,
		    "2026-03-08T05:00:00Z", "01:00 CDT" },
		{ "America/Havana", "2026-11-01", 30,
		    "2026-11-01T04:30:00Z", "00:30 twice: the first, CDT" },
	};
	char	got[TIMEFMT_INSTANT_LEN];
	size_t	i;
	int64_t	t;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		setenv("TZ", cases[i].zone, 1);
		tzset();
		t = calendar_local_time(date(cases[i].date), cases[i].minute);
		timefmt_format_instant(t, got);
		if (t != instant(cases[i].want))
			fail_msg("%s %s: %s minute %d: got %s, expected %s",
			    cases[i].zone, cases[i].why, cases[i].date,
			    cases[i].minute, got, cases[i].want);
	}
}

/* The zone goes back to London after a test that changes it, even when it
 * fails. */
static int
london(void **state)
{
	(void)state;
	setenv("TZ", "Europe/London", 1);
	tzset();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_published_holidays),
		cmocka_unit_test(test_rules_without_config),
		cmocka_unit_test(test_easter_and_weekday),
		cmocka_unit_test(test_working_time),
		cmocka_unit_test(test_local_dates),
		cmocka_unit_test(test_local_time),
		cmocka_unit_test(test_local_time_every_day),
		cmocka_unit_test_teardown(test_local_time_other_zones, london),
	};

	setenv("TZ", "Europe/London", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
