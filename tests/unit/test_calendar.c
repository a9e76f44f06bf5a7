/* The calendar against the published England-and-Wales bank holidays of
 * 2020 to 2030, and the working-time clock across weekends, Christmas,
 * Easter and both DST changes, with the exact instants written out. */
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_published_holidays),
		cmocka_unit_test(test_rules_without_config),
		cmocka_unit_test(test_easter_and_weekday),
		cmocka_unit_test(test_working_time),
		cmocka_unit_test(test_local_dates),
	};

	setenv("TZ", "Europe/London", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
