/* The continuity-clock, alert and register reports' tallies, and what
 * every report shares (the period's days, months, percentiles): over
 * January 2027 (New Year's Day a bank holiday) and March 2027 across the
 * spring change; a clock met late, one breached and still open whether
 * or not the scheduler has fired its breach, one ended by a release, one
 * still running; alerts acknowledged, escalated and open; a product's
 * page with a check that found a difference. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "report_alerts.h"
#include "report_clocks.h"
#include "report_register.h"

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

/* A clock of a kind started at started, due after hours, met at met (or
 * NULL), ended at ended (or NULL). */
static void
clock_feed(struct report_clocks *t, enum care_clock_kind kind,
    const char *started, int hours, const char *met, const char *ended,
    int breach_fired)
{
	struct care_clock	c;

	memset(&c, 0, sizeof c);
	c.kind = kind;
	c.started_at = instant(started);
	c.due_at = c.started_at + hours * MS_PER_HOUR;
	c.met_at = met != NULL ? instant(met) : 0;
	c.ended_at = ended != NULL ? instant(ended) : 0;
	c.breach_fired = breach_fired;
	assert_int_equal(report_clocks_add(t, &c), 0);
}

/* "started on_time late breached open ended running" */
static void
expect_clocks(const struct report_clock_counts *c, const char *want)
{
	char	got[96];

	snprintf(got, sizeof got, "%d %d %d %d %d %d %d", c->started,
	    c->met_on_time, c->met_late, c->breached, c->breached_open,
	    c->ended, c->running);
	assert_string_equal(got, want);
}

/* January and February 2027 as of noon on 2 February.  Treatment clocks
 * (24 hours): met in 2 hours on New Year's Day, met 6 hours late, open
 * 30 hours past due with its breach not yet fired by the scheduler (a
 * breach all the same: the undercount of issue 18), ended by a release
 * before it ran out, ended after; one started on 1 February and still
 * running; one started in December, before the period, not counted.
 * Keyworker: met late in February. */
static void
test_clocks(void **state)
{
	struct report_clocks	*t = malloc(sizeof *t);

	(void)state;
	assert_non_null(t);
	assert_int_equal(report_clocks_start(t, date("2027-01-01"),
	    date("2027-02-28"), instant("2027-02-02T12:00:00Z")), 0);
	assert_int_equal(t->nmonths, 2);
	clock_feed(t, CLOCK_TREATMENT_CONTINUED, "2026-12-31T10:00:00Z", 24,
	    NULL, NULL, 1);
	clock_feed(t, CLOCK_TREATMENT_CONTINUED, "2027-01-01T10:00:00Z", 24,
	    "2027-01-01T12:00:00Z", NULL, 0);
	clock_feed(t, CLOCK_TREATMENT_CONTINUED, "2027-01-09T10:00:00Z", 24,
	    "2027-01-10T16:00:00Z", NULL, 1);
	clock_feed(t, CLOCK_TREATMENT_CONTINUED, "2027-01-31T06:00:00Z", 24,
	    NULL, NULL, 0);
	clock_feed(t, CLOCK_TREATMENT_CONTINUED, "2027-01-20T10:00:00Z", 24,
	    NULL, "2027-01-20T18:00:00Z", 0);
	clock_feed(t, CLOCK_TREATMENT_CONTINUED, "2027-01-21T10:00:00Z", 24,
	    NULL, "2027-01-23T10:00:00Z", 1);
	clock_feed(t, CLOCK_TREATMENT_CONTINUED, "2027-02-02T06:00:00Z", 24,
	    NULL, NULL, 0);
	clock_feed(t, CLOCK_KEYWORKER_ALLOCATED, "2027-02-01T09:00:00Z", 24,
	    "2027-02-02T11:00:00Z", NULL, 1);

	/* Breached: met late, open past due, ended after due (3); never met
	 * and ran out (breached_open, as GET /v1/clocks lists them): 2. */
	expect_clocks(&t->cell[CLOCK_TREATMENT_CONTINUED][0],
	    "5 1 1 3 2 1 0");
	expect_clocks(&t->cell[CLOCK_TREATMENT_CONTINUED][1],
	    "1 0 0 0 0 0 1");
	expect_clocks(&t->total[CLOCK_TREATMENT_CONTINUED], "6 1 1 3 2 1 1");
	expect_clocks(&t->cell[CLOCK_KEYWORKER_ALLOCATED][1],
	    "1 0 1 1 0 0 0");
	/* Hours to meet: 2 and 30, nearest rank: median 2, p90 30. */
	assert_true(report_durations_percentile(
	    &t->total[CLOCK_TREATMENT_CONTINUED].meet, 50) == 2 * MS_PER_HOUR);
	assert_true(report_durations_percentile(
	    &t->total[CLOCK_TREATMENT_CONTINUED].meet, 90) ==
	    30 * MS_PER_HOUR);
	report_clocks_free(t);
	free(t);
}

/* A clock counts in the local month it started: 23:30 GMT on 31 March
 * 2027 is 00:30 BST on 1 April. */
static void
test_clock_months_dst(void **state)
{
	struct report_clocks	*t = malloc(sizeof *t);

	(void)state;
	assert_non_null(t);
	assert_int_equal(report_clocks_start(t, date("2027-03-01"),
	    date("2027-04-30"), instant("2027-05-01T00:00:00Z")), 0);
	clock_feed(t, CLOCK_TREATMENT_CONTINUED, "2027-03-31T22:30:00Z", 24,
	    "2027-03-31T23:00:00Z", NULL, 0);
	clock_feed(t, CLOCK_TREATMENT_CONTINUED, "2027-03-31T23:30:00Z", 24,
	    "2027-04-01T00:00:00Z", NULL, 0);
	expect_clocks(&t->cell[CLOCK_TREATMENT_CONTINUED][0],
	    "1 1 0 0 0 0 0");
	expect_clocks(&t->cell[CLOCK_TREATMENT_CONTINUED][1],
	    "1 1 0 0 0 0 0");
	report_clocks_free(t);
	free(t);
}

/* Alerts of January 2027 as of noon on the 31st: acknowledged after 5,
 * 10 and 60 minutes (median 10, p90 60), one escalated and still open,
 * one acknowledged only after now (open then), one raised in December
 * not counted. */
static void
test_alerts(void **state)
{
	struct report_alerts	*t = malloc(sizeof *t);
	struct report_alert_row	 a[] = {
		{ instant("2027-01-01T10:00:00Z"),
		    instant("2027-01-01T10:05:00Z"), SEVERITY_URGENT, 0 },
		{ instant("2027-01-02T10:00:00Z"),
		    instant("2027-01-02T10:10:00Z"), SEVERITY_URGENT, 0 },
		{ instant("2027-01-03T10:00:00Z"),
		    instant("2027-01-03T11:00:00Z"), SEVERITY_URGENT, 1 },
		{ instant("2027-01-04T10:00:00Z"), 0, SEVERITY_URGENT, 1 },
		{ instant("2027-01-31T10:00:00Z"),
		    instant("2027-01-31T13:00:00Z"), SEVERITY_WARNING, 0 },
		{ instant("2026-12-31T10:00:00Z"),
		    instant("2026-12-31T10:01:00Z"), SEVERITY_URGENT, 0 },
	};
	size_t			 i;

	(void)state;
	assert_non_null(t);
	assert_int_equal(report_alerts_start(t, date("2027-01-01"),
	    date("2027-01-31"), instant("2027-01-31T12:00:00Z")), 0);
	for (i = 0; i < sizeof a / sizeof a[0]; i++)
		assert_int_equal(report_alerts_add(t, &a[i]), 0);
	assert_int_equal(t->severity[SEVERITY_URGENT].raised, 4);
	assert_int_equal(t->severity[SEVERITY_URGENT].acknowledged, 3);
	assert_int_equal(t->severity[SEVERITY_URGENT].escalated, 2);
	/* Not escalated is not counted (two of the four urgent ones were,
	 * so only the warning and the total tell the two apart). */
	assert_int_equal(t->severity[SEVERITY_WARNING].escalated, 0);
	assert_int_equal(t->total.escalated, 2);
	assert_int_equal(t->severity[SEVERITY_URGENT].open, 1);
	assert_true(report_durations_percentile(
	    &t->severity[SEVERITY_URGENT].ack, 50) == 10 * MS_PER_MINUTE);
	assert_true(report_durations_percentile(
	    &t->severity[SEVERITY_URGENT].ack, 90) == 60 * MS_PER_MINUTE);
	assert_int_equal(t->severity[SEVERITY_WARNING].open, 1);
	assert_int_equal(t->total.raised, 5);
	assert_int_equal(t->total.open, 2);
	assert_true(report_durations_percentile(&t->severity[SEVERITY_INFO].ack,
	    50) == -1);
	report_alerts_free(t);
	free(t);
}

/* One product's page of January 2027: the balance before the first
 * entry, receipts, doses, a return, a destruction, a check 3 short and
 * one that agreed, a correction; an entry of another month not counted. */
static void
test_register(void **state)
{
	struct report_register		*t = malloc(sizeof *t);
	struct report_register_row	 e[] = {
		{ "m", REGISTER_RECEIPT, instant("2026-12-31T10:00:00Z"),
		    1000, 1000, 0 },
		{ "m", REGISTER_ADMINISTRATION, instant("2027-01-01T08:00:00Z"),
		    -60, 940, 0 },
		{ "m", REGISTER_RECEIPT, instant("2027-01-02T10:00:00Z"), 500,
		    1440, 0 },
		{ "m", REGISTER_RETURN, instant("2027-01-03T10:00:00Z"), -100,
		    1340, 0 },
		{ "m", REGISTER_DESTRUCTION, instant("2027-01-04T10:00:00Z"),
		    -40, 1300, 0 },
		{ "m", REGISTER_CHECK, instant("2027-01-05T10:00:00Z"), 0,
		    1300, 1297 },
		{ "m", REGISTER_CORRECTION, instant("2027-01-05T11:00:00Z"),
		    -3, 1297, 0 },
		{ "m", REGISTER_CHECK, instant("2027-01-06T10:00:00Z"), 0,
		    1297, 1297 },
	};
	struct report_register_product	*p;
	size_t				 i;

	(void)state;
	assert_non_null(t);
	assert_int_equal(report_register_start(t, date("2027-01-01"),
	    date("2027-01-31")), 0);
	for (i = 0; i < sizeof e / sizeof e[0]; i++)
		assert_int_equal(report_register_add(t, &e[i]), 0);
	assert_int_equal((int)t->n, 1);
	p = &t->product[0];
	assert_true(p->opening == 1000);
	assert_true(p->closing == 1297);
	assert_int_equal(p->entries[REGISTER_RECEIPT], 1);
	assert_int_equal(p->entries[REGISTER_ADMINISTRATION], 1);
	assert_int_equal(p->entries[REGISTER_CHECK], 2);
	assert_int_equal(p->entries[REGISTER_CORRECTION], 1);
	assert_true(p->quantity[REGISTER_RETURN] == -100);
	assert_true(p->quantity[REGISTER_DESTRUCTION] == -40);
	assert_int_equal(p->differences, 1);
	assert_true(p->difference_total == -3);
	report_register_free(t);
	free(t);
}

/* The period's days across the spring change (28 March 2027, 23 hours):
 * an instant falls on its local day, outside the period on none. */
static void
test_period(void **state)
{
	struct report_period	p;

	(void)state;
	assert_int_equal(report_period_start(&p, date("2027-03-27"),
	    date("2027-03-29")), 0);
	assert_true(p.midnight[2] - p.midnight[1] == 23 * MS_PER_HOUR);
	assert_int_equal(report_period_day(&p,
	    instant("2027-03-26T23:59:59Z")), -1);
	assert_int_equal(report_period_day(&p,
	    instant("2027-03-27T23:59:59Z")), 0);
	assert_int_equal(report_period_day(&p,
	    instant("2027-03-28T22:59:59Z")), 1);
	assert_int_equal(report_period_day(&p,
	    instant("2027-03-28T23:00:00Z")), 2);
	assert_int_equal(report_period_day(&p,
	    instant("2027-03-29T23:00:00Z")), -1);
	assert_int_equal(report_minute_of_day(
	    instant("2027-03-29T07:00:00Z")), 480);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clocks),
		cmocka_unit_test(test_clock_months_dst),
		cmocka_unit_test(test_alerts),
		cmocka_unit_test(test_register),
		cmocka_unit_test(test_period),
	};

	setenv("TZ", "Europe/London", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
