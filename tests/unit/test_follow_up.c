/* The release follow-up: when its 21 days run out (local days, across
 * both changes of the clocks), which outcomes meet it, which are refused
 * and change nothing, and the one alert for a follow-up never recorded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "follow_up.h"
#include "report_continuity.h"

static const char	movement[] = "11111111-1111-4111-8111-111111111111";
static const char	patient[] = "22222222-2222-4222-8222-222222222222";

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

/* A follow-up started by a release at the instant s. */
static struct follow_up
released(const char *s)
{
	struct follow_up	f;

	follow_up_start(&f, movement, patient, instant(s));
	return f;
}

/* Each release's last day and the instant its clock runs out: local
 * midnight after the 21st local day, in spring, summer and autumn. */
static void
test_due(void **state)
{
	static const struct {
		const char	*released, *last_day, *due;
	} cases[] = {
		/* Winter to summer time on 2027-03-28: midnight BST. */
		{ "2027-03-20T10:00:00Z", "2027-04-10",
		    "2027-04-10T23:00:00Z" },
		/* Summer to winter time on 2027-10-31: midnight GMT. */
		{ "2027-10-20T12:00:00Z", "2027-11-10",
		    "2027-11-11T00:00:00Z" },
		/* 00:30 BST on 1 July is the release day, not 30 June. */
		{ "2027-06-30T23:30:00Z", "2027-07-22",
		    "2027-07-22T23:00:00Z" },
	};
	struct follow_up	f;
	char			day[TIMEFMT_DATE_LEN];
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		f = released(cases[i].released);
		timefmt_format_date(follow_up_last_day(&f), day);
		assert_string_equal(day, cases[i].last_day);
		assert_int_equal(f.due_at, instant(cases[i].due));
		assert_int_equal(follow_up_next_deadline(&f), f.due_at);
		assert_string_equal(follow_up_state(&f, f.due_at - 1),
		    "running");
		assert_string_equal(follow_up_state(&f, f.due_at), "overdue");
	}
}

/* Attended on the 21st day meets it; on the 22nd, or not attended, does
 * not, and says so. */
static void
test_record(void **state)
{
	static const struct {
		int		 attended;
		const char	*on;
		int		 met;
		const char	*state;
	} cases[] = {
		{ 1, "2027-03-20", 1, "met" },	/* the release day */
		{ 1, "2027-04-10", 1, "met" },	/* day 21 */
		{ 1, "2027-04-11", 0, "not_met" },	/* day 22 */
		{ 0, "2027-04-01", 0, "not_met" },
	};
	int64_t			now = instant("2027-05-01T12:00:00Z");
	struct follow_up	f;
	struct refusal		why;
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		f = released("2027-03-20T10:00:00Z");
		assert_int_equal(follow_up_record(&f, cases[i].attended,
		    date(cases[i].on), now, &why), 0);
		assert_int_equal(f.met, cases[i].met);
		assert_int_equal(f.attended, cases[i].attended);
		assert_string_equal(follow_up_state(&f, now), cases[i].state);
		assert_int_equal(follow_up_next_deadline(&f), 0);
		assert_int_equal(follow_up_fire(&f, now), 0);
	}
}

/* Twice recorded, a day before the release, a day not yet come: refused,
 * and the follow-up is as it was. */
static void
test_refused(void **state)
{
	int64_t			now = instant("2027-04-02T09:00:00Z");
	struct follow_up	f, before;
	struct refusal		why;

	(void)state;
	f = released("2027-03-20T10:00:00Z");
	before = f;
	assert_int_equal(follow_up_record(&f, 1, date("2027-03-19"), now,
	    &why), -1);
	assert_string_equal(why.code, "date_before_release");
	assert_int_equal(why.conflict, 0);
	assert_int_equal(follow_up_record(&f, 1, date("2027-04-03"), now,
	    &why), -1);
	assert_string_equal(why.code, "date_in_future");
	assert_memory_equal(&f, &before, sizeof f);
	assert_int_equal(follow_up_record(&f, 1, date("2027-04-02"), now,
	    &why), 0);
	before = f;
	assert_int_equal(follow_up_record(&f, 0, date("2027-04-01"), now,
	    &why), -1);
	assert_string_equal(why.code, "follow_up_recorded");
	assert_int_equal(why.conflict, 1);
	assert_memory_equal(&f, &before, sizeof f);
}

/* Unrecorded, it fires once when it runs out (not a millisecond before),
 * to reception and to the managers. */
static void
test_fire(void **state)
{
	struct follow_up	f;
	struct patient		p;
	struct alert		a[2];

	(void)state;
	f = released("2027-03-20T10:00:00Z");
	assert_int_equal(follow_up_fire(&f, f.due_at - 1), 0);
	assert_int_equal(follow_up_fire(&f, f.due_at), 1);
	assert_int_equal(follow_up_fire(&f, f.due_at + MS_PER_DAY), 0);
	assert_int_equal(follow_up_next_deadline(&f), 0);
	memset(&p, 0, sizeof p);
	snprintf(p.prison_number, sizeof p.prison_number, "A1234BC");
	snprintf(p.family_name, sizeof p.family_name, "Smith");
	snprintf(p.given_name, sizeof p.given_name, "John");
	follow_up_alert(a, &f, &p, f.due_at);
	assert_int_equal(a[0].audience, AUDIENCE_RECEPTION);
	assert_int_equal(a[1].audience, AUDIENCE_MANAGER);
	assert_string_equal(a[0].kind, "follow_up_overdue");
	assert_string_equal(a[1].kind, "follow_up_overdue");
	assert_string_equal(a[0].subject_id, movement);
	assert_string_equal(a[0].message, "A1234BC Smith, John: released "
	    "2027-03-20; no community follow-up recorded by 2027-04-10 "
	    "(21 days)");
	/* Recorded late, after the alert: it says not met, fires no more. */
	assert_int_equal(follow_up_record(&f, 1, date("2027-04-12"),
	    f.due_at + 2 * MS_PER_DAY, &(struct refusal){ 0 }), 0);
	assert_string_equal(follow_up_state(&f, f.due_at), "not_met");
}

/* The continuity tally of March 2027 (the clocks go forward on the
 * 28th, so the month ends at 23:00 UTC on the 31st): each follow-up in
 * the state it is in now, and rows outside the month left out. */
static void
test_continuity_tally(void **state)
{
	struct report_continuity	 t;
	struct follow_up		 met, late, running, overdue, lapsed;
	struct refusal			 why;
	int64_t				 now;
	const struct report_continuity_row rows[] = {
		{ CONTINUITY_RELEASE, instant("2027-02-28T23:59:59Z"), NULL },
		{ CONTINUITY_TRANSFER_OUT, instant("2027-03-01T00:00:00Z"),
		    NULL },
		{ CONTINUITY_RELEASE, instant("2027-03-02T10:00:00Z"), &met },
		{ CONTINUITY_RELEASE, instant("2027-03-03T10:00:00Z"), &late },
		{ CONTINUITY_RELEASE, instant("2027-03-05T10:00:00Z"),
		    &lapsed },
		{ CONTINUITY_RELEASE, instant("2027-03-10T10:00:00Z"),
		    &overdue },
		{ CONTINUITY_IMPORT, instant("2027-03-20T10:00:00Z"), NULL },
		{ CONTINUITY_RELEASE, instant("2027-03-30T10:00:00Z"),
		    &running },
		{ CONTINUITY_RELEASE, instant("2027-03-31T22:59:59Z"), NULL },
		{ CONTINUITY_IMPORT, instant("2027-03-31T23:00:00Z"), NULL },
	};
	size_t				 i;

	(void)state;
	now = instant("2027-04-15T12:00:00Z");
	met = released("2027-03-02T10:00:00Z");
	assert_int_equal(follow_up_record(&met, 1, date("2027-03-23"), now,
	    &why), 0);
	late = released("2027-03-03T10:00:00Z");
	assert_int_equal(follow_up_record(&late, 1, date("2027-03-25"), now,
	    &why), 0);
	overdue = released("2027-03-10T10:00:00Z");
	lapsed = released("2027-03-05T10:00:00Z");
	running = released("2027-03-30T10:00:00Z");
	assert_int_equal(report_continuity_start(&t, date("2027-03-01"),
	    date("2027-03-31"), now), 0);
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++)
		assert_int_equal(report_continuity_add(&t, &rows[i]), 0);
	assert_int_equal(t.transfers_out, 1);
	assert_int_equal(t.imported, 1);
	assert_int_equal(t.releases, 6);
	assert_int_equal(t.with_follow_up, 5);
	assert_int_equal(t.follow_up_met, 1);
	assert_int_equal(t.follow_up_not_met, 1);
	assert_int_equal(t.follow_up_overdue, 2);
	assert_int_equal(t.follow_up_running, 1);
	report_continuity_free(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_due),
		cmocka_unit_test(test_record),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_fire),
		cmocka_unit_test(test_continuity_tally),
	};

	setenv("TZ", "Europe/London", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
