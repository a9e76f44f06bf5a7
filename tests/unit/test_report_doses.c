/* The dose-round report's tally: doses counted per patient, local day
 * and round as of now, over a winter month (2027-01, New Year's Day a
 * bank holiday and a Friday, a weekend after it) and across the autumn
 * change of 2026 (25 October, 25 hours long); the Nth dose given late,
 * one left open past its window counted missed, one whose window is
 * still open pending; holds raised and the hours to their review. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "report_doses.h"

#define WINDOW	(60 * MS_PER_MINUTE)

static int64_t
instant(const char *s)
{
	int64_t	ms;

	assert_int_equal(timefmt_parse_instant(s, &ms), 0);
	return ms;
}

static struct civil_date
date(const char *s)
{
	struct civil_date	d;

	assert_int_equal(timefmt_parse_date(s, &d), 0);
	return d;
}

/* Feed one dose due at due_at (its window closing an hour after). */
static void
feed(struct report_doses *t, const char *patient, const char *due_at,
    enum dose_state state, const char *recorded_at)
{
	struct report_dose_row	d;

	d.patient_id = patient;
	d.due_at = instant(due_at);
	d.window_end = d.due_at + WINDOW;
	d.state = state;
	d.recorded_at = recorded_at != NULL ? instant(recorded_at) : 0;
	assert_int_equal(report_doses_add(t, &d), 0);
}

/* "due on_time late refused withheld missed away held pending
 * late_max_min late_total_min" */
static void
expect_counts(const struct report_dose_counts *c, const char *want)
{
	char	got[128];

	snprintf(got, sizeof got, "%d %d %d %d %d %d %d %d %d %lld %lld",
	    c->due, c->on_time, c->late, c->refused, c->withheld, c->missed,
	    c->away, c->held, c->pending,
	    (long long)(c->late_max_ms / MS_PER_MINUTE),
	    (long long)(c->late_total_ms / MS_PER_MINUTE));
	assert_string_equal(got, want);
}

/* A patient's cell of a day (index) and round (minute), or fail. */
static const struct report_dose_counts *
cell(const struct report_doses *t, const char *patient, int day, int minute)
{
	struct report_dose_cell *const	*c;
	size_t				 n, i;

	n = report_doses_cells(t, patient, &c);
	for (i = 0; i < n; i++)
		if (c[i]->day == day && c[i]->minute == minute)
			return &c[i]->c;
	fail_msg("no cell for %s day %d round %d", patient, day, minute);
	return NULL;
}

/* January 2027 as of noon on the 31st: each fate of a dose once for a,
 * its Nth (the 8th) left open past its window and counted missed, its
 * last pending; b given on the 30-minute boundary (on time) and a minute
 * past it (late).  The unit's day of a bank holiday and of a weekend
 * count as any other; a day with doses and none missed has them due. */
static void
test_winter_month(void **state)
{
	struct report_doses	*t = malloc(sizeof *t);

	(void)state;
	assert_non_null(t);
	assert_int_equal(report_doses_start(t, date("2027-01-01"),
	    date("2027-01-31"), instant("2027-01-31T12:00:00Z")), 0);
	assert_int_equal(t->period.ndays, 31);
	feed(t, "a", "2027-01-01T08:00:00Z", DOSE_GIVEN,
	    "2027-01-01T08:10:00Z");
	feed(t, "a", "2027-01-02T08:00:00Z", DOSE_GIVEN,
	    "2027-01-02T08:45:00Z");
	feed(t, "b", "2027-01-02T08:00:00Z", DOSE_GIVEN,
	    "2027-01-02T08:30:00Z");
	feed(t, "b", "2027-01-02T20:00:00Z", DOSE_GIVEN,
	    "2027-01-02T20:31:00Z");
	feed(t, "a", "2027-01-03T08:00:00Z", DOSE_REFUSED,
	    "2027-01-03T08:05:00Z");
	feed(t, "a", "2027-01-04T08:00:00Z", DOSE_WITHHELD,
	    "2027-01-04T08:05:00Z");
	feed(t, "a", "2027-01-05T08:00:00Z", DOSE_MISSED, NULL);
	feed(t, "a", "2027-01-06T08:00:00Z", DOSE_AWAY, NULL);
	feed(t, "a", "2027-01-07T08:00:00Z", DOSE_HELD, NULL);
	feed(t, "a", "2027-01-08T08:00:00Z", DOSE_DUE, NULL);
	feed(t, "a", "2027-01-31T11:30:00Z", DOSE_DUE, NULL);
	feed(t, "a", "2027-02-01T08:00:00Z", DOSE_SCHEDULED, NULL);
	report_doses_finish(t);

	expect_counts(cell(t, "a", 0, 480), "1 1 0 0 0 0 0 0 0 0 0");
	expect_counts(cell(t, "a", 1, 480), "1 0 1 0 0 0 0 0 0 45 45");
	expect_counts(cell(t, "b", 1, 480), "1 1 0 0 0 0 0 0 0 0 0");
	expect_counts(cell(t, "b", 1, 1200), "1 0 1 0 0 0 0 0 0 31 31");
	expect_counts(cell(t, "a", 7, 480), "1 0 0 0 0 1 0 0 0 0 0");
	expect_counts(cell(t, "a", 30, 690), "0 0 0 0 0 0 0 0 1 0 0");

	expect_counts(&t->day[0], "1 1 0 0 0 0 0 0 0 0 0");	/* holiday */
	expect_counts(&t->day[1], "3 1 2 0 0 0 0 0 0 45 76");	/* Saturday */
	expect_counts(&t->day[2], "1 0 0 1 0 0 0 0 0 0 0");	/* Sunday */
	expect_counts(&t->day[9], "0 0 0 0 0 0 0 0 0 0 0");
	assert_int_equal(t->nrounds, 3);
	assert_int_equal(t->round[0].minute, 480);
	assert_int_equal(t->round[1].minute, 690);
	assert_int_equal(t->round[2].minute, 1200);
	expect_counts(&t->round[0].c, "9 2 1 1 1 2 1 1 0 45 45");
	expect_counts(&t->total, "10 2 2 1 1 2 1 1 1 45 76");
	/* 4 given of 8 that could be (10 less away and held): 50.0%. */
	assert_int_equal(report_dose_given_tenths(&t->total), 500);
	assert_int_equal(report_dose_given_tenths(&t->day[9]), -1);
	report_doses_free(t);
	free(t);
}

/* Across the autumn change of 2026: 08:00 is the same round at 07:00Z
 * in BST and 08:00Z in GMT, and 23:30 GMT on the 25-hour day is still
 * that day. */
static void
test_autumn_change(void **state)
{
	struct report_doses	*t = malloc(sizeof *t);

	(void)state;
	assert_non_null(t);
	assert_int_equal(report_doses_start(t, date("2026-10-24"),
	    date("2026-10-26"), instant("2026-11-01T00:00:00Z")), 0);
	feed(t, "a", "2026-10-24T07:00:00Z", DOSE_GIVEN,
	    "2026-10-24T07:05:00Z");
	feed(t, "a", "2026-10-25T08:00:00Z", DOSE_GIVEN,
	    "2026-10-25T08:05:00Z");
	feed(t, "a", "2026-10-25T23:30:00Z", DOSE_MISSED, NULL);
	feed(t, "a", "2026-10-26T00:00:00Z", DOSE_MISSED, NULL);
	report_doses_finish(t);
	assert_int_equal(t->nrounds, 3);
	expect_counts(cell(t, "a", 0, 480), "1 1 0 0 0 0 0 0 0 0 0");
	expect_counts(cell(t, "a", 1, 480), "1 1 0 0 0 0 0 0 0 0 0");
	expect_counts(cell(t, "a", 1, 1410), "1 0 0 0 0 1 0 0 0 0 0");
	expect_counts(cell(t, "a", 2, 0), "1 0 0 0 0 1 0 0 0 0 0");
	report_doses_free(t);
	free(t);
}

/* Holds raised in the period: reviewed after 6 and 24 hours (median 6,
 * p90 24, nearest rank), one not yet reviewed and one reviewed only
 * after now both open; one raised before the period not counted. */
static void
test_holds(void **state)
{
	struct report_doses	*t = malloc(sizeof *t);
	struct report_hold_row	 h[] = {
		{ instant("2027-01-05T10:00:00Z"),
		    instant("2027-01-05T16:00:00Z") },
		{ instant("2027-01-20T10:00:00Z"),
		    instant("2027-01-21T10:00:00Z") },
		{ instant("2027-01-30T10:00:00Z"), 0 },
		{ instant("2027-01-31T10:00:00Z"),
		    instant("2027-02-01T10:00:00Z") },
		{ instant("2026-12-31T10:00:00Z"),
		    instant("2027-01-01T10:00:00Z") },
	};
	size_t			 i;

	(void)state;
	assert_non_null(t);
	assert_int_equal(report_doses_start(t, date("2027-01-01"),
	    date("2027-01-31"), instant("2027-01-31T12:00:00Z")), 0);
	for (i = 0; i < sizeof h / sizeof h[0]; i++)
		assert_int_equal(report_doses_hold(t, &h[i]), 0);
	assert_int_equal(t->holds_raised, 4);
	assert_int_equal(t->holds_open, 2);
	assert_int_equal((int)t->review.n, 2);
	assert_true(report_durations_percentile(&t->review, 50) ==
	    6 * MS_PER_HOUR);
	assert_true(report_durations_percentile(&t->review, 90) ==
	    24 * MS_PER_HOUR);
	report_doses_free(t);
	free(t);
}

/* A period reversed, or longer than REPORT_MAX_DAYS, is refused. */
static void
test_bad_period(void **state)
{
	struct report_doses	*t = malloc(sizeof *t);

	(void)state;
	assert_non_null(t);
	assert_int_equal(report_doses_start(t, date("2027-01-02"),
	    date("2027-01-01"), 0), -1);
	assert_int_equal(report_doses_start(t, date("2027-01-01"),
	    date("2028-01-01"), 0), 0);		/* 366 days */
	assert_int_equal(report_doses_start(t, date("2027-01-01"),
	    date("2028-01-02"), 0), -1);
	report_doses_free(t);
	free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_winter_month),
		cmocka_unit_test(test_autumn_change),
		cmocka_unit_test(test_holds),
		cmocka_unit_test(test_bad_period),
	};

	setenv("TZ", "Europe/London", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
