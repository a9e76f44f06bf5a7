/* Controlled-drug cover round by round: a nurse and a distinct competent
 * other on duty and active, at weekends, on a bank holiday, through a
 * night shift across midnight and both DST changes; and the one manager
 * alert per day with a gap, warn_ms ahead, never twice. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "cover.h"
#include "roles.h"

static int64_t
instant(const char *s)
{
	int64_t	ms;

	assert_int_equal(timefmt_parse_instant(s, &ms), 0);
	return ms;
}

static struct cover_duty
duty(const char *from, const char *to, const char *who, unsigned roles,
    int active)
{
	struct cover_duty	d;

	memset(&d, 0, sizeof d);
	d.starts = instant(from);
	d.ends = instant(to);
	snprintf(d.username, sizeof d.username, "%s", who);
	d.roles = roles;
	d.active = active;
	return d;
}

static struct calendar		cal;
static struct cover_check	check;

/* The plan: 08:00 and 20:00 for days days from date. */
static struct cover_plan
plan(int y, int m, int d, int days)
{
	struct cover_plan	p;

	memset(&p, 0, sizeof p);
	p.calendar = &cal;
	p.times[0] = 8 * 60;
	p.times[1] = 20 * 60;
	p.ntimes = 2;
	p.from.year = y;
	p.from.month = m;
	p.from.day = d;
	p.days = days;
	return p;
}

/* The day shift of Wednesday 13 January: nina, a nurse, and carl with
 * roles, active or not. */
static void
day_shift(struct cover_duty d[2], unsigned roles, int active)
{
	d[0] = duty("2027-01-13T07:00:00Z", "2027-01-13T19:30:00Z", "nina",
	    ROLE_NURSE, 1);
	d[1] = duty("2027-01-13T07:00:00Z", "2027-01-13T19:30:00Z", "carl",
	    roles, active);
}

/* A nurse and a competent person on the day shift cover a weekday round;
 * a pharmacist may be the other; nobody at all is said so. */
static void
test_covered(void **state)
{
	struct cover_duty	d[2];
	struct cover_round	r;

	(void)state;
	day_shift(d, ROLE_COMPETENT, 1);
	cover_round_check(d, 2, instant("2027-01-13T08:00:00Z"), &r);
	assert_true(r.covered);
	assert_int_equal(r.nurse, 0);
	assert_int_equal(r.witness, 1);
	d[1].roles = ROLE_PHARMACIST;
	cover_round_check(d, 2, instant("2027-01-13T08:00:00Z"), &r);
	assert_true(r.covered);
	/* The evening round falls after the day shift ends. */
	cover_round_check(d, 2, instant("2027-01-13T20:00:00Z"), &r);
	assert_false(r.covered);
	assert_string_equal(r.why, "nobody is on duty");
	/* The shift ends at 19:30: on duty until then, not at it. */
	cover_round_check(d, 2, instant("2027-01-13T19:30:00Z"), &r);
	assert_false(r.covered);
	cover_round_check(d, 2, instant("2027-01-13T19:29:59Z"), &r);
	assert_true(r.covered);
}

/* A weekend with only a nurse on the rota: every round a gap, counted. */
static void
test_weekend_no_competent_other(void **state)
{
	struct cover_duty	d[4];
	struct cover_plan	p = plan(2027, 1, 15, 3);	/* Fri-Sun */
	int			i;

	(void)state;
	d[0] = duty("2027-01-15T07:00:00Z", "2027-01-15T21:00:00Z", "nina",
	    ROLE_NURSE, 1);
	d[1] = duty("2027-01-15T07:00:00Z", "2027-01-15T21:00:00Z", "carl",
	    ROLE_COMPETENT, 1);
	d[2] = duty("2027-01-16T07:00:00Z", "2027-01-16T21:00:00Z", "nina",
	    ROLE_NURSE, 1);
	d[3] = duty("2027-01-17T07:00:00Z", "2027-01-17T21:00:00Z", "nina",
	    ROLE_NURSE, 1);
	cover_check(&p, d, 4, &check);
	assert_int_equal(check.nrounds, 6);
	assert_int_equal(check.gaps, 4);
	assert_true(check.round[0].covered && check.round[1].covered);
	for (i = 2; i < 6; i++) {
		assert_false(check.round[i].covered);
		assert_true(check.round[i].weekend);
		assert_string_equal(check.round[i].why,
		    "no competent other is on duty beside nina");
	}
	assert_false(check.round[0].weekend);
}

/* One person who is both nurse and competent is one person, not two. */
static void
test_same_person_twice(void **state)
{
	struct cover_duty	d[2];
	struct cover_round	r;

	(void)state;
	d[0] = duty("2027-01-13T07:00:00Z", "2027-01-13T19:30:00Z", "nina",
	    ROLE_NURSE | ROLE_COMPETENT, 1);
	/* On two overlapping shifts of the day: still one person. */
	d[1] = duty("2027-01-13T07:30:00Z", "2027-01-13T12:00:00Z", "nina",
	    ROLE_NURSE | ROLE_COMPETENT, 1);
	cover_round_check(d, 2, instant("2027-01-13T08:00:00Z"), &r);
	assert_false(r.covered);
	assert_int_equal(r.witness, -1);
}

/* Someone made inactive is no cover, nurse or witness. */
static void
test_inactive(void **state)
{
	struct cover_duty	d[2];
	struct cover_round	r;

	(void)state;
	day_shift(d, ROLE_COMPETENT, 0);
	cover_round_check(d, 2, instant("2027-01-13T08:00:00Z"), &r);
	assert_false(r.covered);
	d[0].active = 0;
	d[1].active = 1;
	cover_round_check(d, 2, instant("2027-01-13T08:00:00Z"), &r);
	assert_false(r.covered);
	assert_string_equal(r.why, "no qualified nurse is on duty");
}

/* Easter Monday 2027 (29 March) is checked like any day, and said to be
 * a bank holiday. */
static void
test_bank_holiday(void **state)
{
	struct cover_duty	d[1];
	struct cover_plan	p = plan(2027, 3, 29, 2);

	(void)state;
	d[0] = duty("2027-03-29T06:00:00Z", "2027-03-30T20:00:00Z", "nina",
	    ROLE_NURSE, 1);
	cover_check(&p, d, 1, &check);
	assert_int_equal(check.nrounds, 4);
	assert_true(check.round[0].bank_holiday);
	assert_false(check.round[0].weekend);
	assert_false(check.round[0].covered);
	assert_false(check.round[2].bank_holiday);
	assert_int_equal(check.gaps, 4);
}

/* A night shift from 19:30 to 07:30 the next day covers the 20:00 round
 * and the next morning's 06:00, not its 08:00, nor 19:00 before it. */
static void
test_night_shift(void **state)
{
	struct cover_duty	d[2];
	struct cover_round	r;

	(void)state;
	d[0] = duty("2027-01-13T19:30:00Z", "2027-01-14T07:30:00Z", "nina",
	    ROLE_NURSE, 1);
	d[1] = duty("2027-01-13T19:30:00Z", "2027-01-14T07:30:00Z", "carl",
	    ROLE_COMPETENT, 1);
	cover_round_check(d, 2, instant("2027-01-13T19:00:00Z"), &r);
	assert_false(r.covered);
	cover_round_check(d, 2, instant("2027-01-13T20:00:00Z"), &r);
	assert_true(r.covered);
	cover_round_check(d, 2, instant("2027-01-14T06:00:00Z"), &r);
	assert_true(r.covered);
	cover_round_check(d, 2, instant("2027-01-14T08:00:00Z"), &r);
	assert_false(r.covered);
}

/* On 28 March 2027 the clocks go forward: 08:00 is 07:00Z, so a night
 * shift to 07:30 local (06:30Z) does not reach it; on 31 October they go
 * back: 08:00 is 08:00Z again and a night to 08:30 local covers it. */
static void
test_dst(void **state)
{
	struct cover_duty	d[2];
	struct cover_plan	p = plan(2027, 3, 28, 1);

	(void)state;
	d[0] = duty("2027-03-27T19:30:00Z", "2027-03-28T06:30:00Z", "nina",
	    ROLE_NURSE, 1);
	d[1] = duty("2027-03-27T19:30:00Z", "2027-03-28T06:30:00Z", "carl",
	    ROLE_COMPETENT, 1);
	cover_check(&p, d, 2, &check);
	assert_int_equal(check.round[0].at, instant("2027-03-28T07:00:00Z"));
	assert_false(check.round[0].covered);
	d[0].ends = d[1].ends = instant("2027-03-28T07:30:00Z");
	cover_check(&p, d, 2, &check);
	assert_true(check.round[0].covered);

	p = plan(2027, 10, 31, 1);
	d[0] = duty("2027-10-30T18:30:00Z", "2027-10-31T08:30:00Z", "nina",
	    ROLE_NURSE, 1);
	d[1] = duty("2027-10-30T18:30:00Z", "2027-10-31T08:30:00Z", "carl",
	    ROLE_COMPETENT, 1);
	cover_check(&p, d, 2, &check);
	assert_int_equal(check.round[0].at, instant("2027-10-31T08:00:00Z"));
	assert_true(check.round[0].covered);
	assert_int_equal(check.round[1].at, instant("2027-10-31T20:00:00Z"));
}

/* Rounds before not_before are not checked: the day has begun. */
static void
test_not_before(void **state)
{
	struct cover_plan	p = plan(2027, 1, 13, 2);

	(void)state;
	p.not_before = instant("2027-01-13T12:00:00Z");
	cover_check(&p, NULL, 0, &check);
	assert_int_equal(check.nrounds, 3);
	assert_int_equal(check.round[0].at, instant("2027-01-13T20:00:00Z"));
}

/* The weekend two weeks ahead with no competent other: nothing until it
 * is warn_ms ahead, then one alert per day to the managers naming the
 * round and the count, and never again for a day alerted before. */
static void
test_fire(void **state)
{
	struct cover_duty	d[2];
	struct cover_plan	p = plan(2027, 1, 1, 15);	/* Fri */
	struct cover_fire	f;
	struct civil_date	alerted[2];
	int64_t			now = instant("2027-01-01T06:00:00Z");
	int64_t			week = 7 * MS_PER_DAY;

	(void)state;
	/* Everyone on for the fortnight but the second weekend's other. */
	d[0] = duty("2027-01-01T00:00:00Z", "2027-01-16T00:00:00Z", "nina",
	    ROLE_NURSE, 1);
	d[1] = duty("2027-01-01T00:00:00Z", "2027-01-09T00:00:00Z", "carl",
	    ROLE_COMPETENT, 1);
	cover_check(&p, d, 2, &check);
	/* 9 to 15 January: 7 days without carl. */
	assert_int_equal(check.gaps, 14);
	cover_fire(&check, 1, NULL, 0, now, week, &f);
	assert_int_equal(f.nfirings, 0);
	assert_int_equal(f.next, instant("2027-01-09T08:00:00Z") - week);

	/* Fourteen days ahead reaches 9 to 14 January, not yet the 15th. */
	cover_fire(&check, 1, NULL, 0, now, 14 * MS_PER_DAY, &f);
	assert_int_equal(f.nfirings, 6);
	assert_int_equal(f.next, instant("2027-01-15T08:00:00Z") -
	    14 * MS_PER_DAY);
	assert_int_equal(f.firing[0].date.day, 9);
	assert_int_equal(f.firing[0].alert.audience, AUDIENCE_MANAGER);
	assert_string_equal(f.firing[0].alert.kind, "cover_gap");
	assert_non_null(strstr(f.firing[0].alert.message, "cover on "
	    "2027-01-09: the round at Sat 09 Jan 08:00 GMT has"));
	assert_non_null(strstr(f.firing[0].alert.message,
	    "no competent other is on duty beside nina (1 more round that "
	    "day not covered)"));

	/* Days alerted before are not alerted again. */
	alerted[0] = f.firing[0].date;
	alerted[1] = f.firing[1].date;
	cover_fire(&check, 1, alerted, 2, now, 14 * MS_PER_DAY, &f);
	assert_int_equal(f.nfirings, 4);
	assert_int_equal(f.firing[0].date.day, 11);

	/* A unit that keeps no rota here is not alerted. */
	cover_fire(&check, 0, NULL, 0, now, 14 * MS_PER_DAY, &f);
	assert_int_equal(f.nfirings, 0);
	assert_int_equal(f.next, 0);

	/* A round already past is not alerted. */
	cover_fire(&check, 1, NULL, 0, instant("2027-01-15T21:00:00Z"),
	    14 * MS_PER_DAY, &f);
	assert_int_equal(f.nfirings, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_covered),
		cmocka_unit_test(test_weekend_no_competent_other),
		cmocka_unit_test(test_same_person_twice),
		cmocka_unit_test(test_inactive),
		cmocka_unit_test(test_bank_holiday),
		cmocka_unit_test(test_night_shift),
		cmocka_unit_test(test_dst),
		cmocka_unit_test(test_not_before),
		cmocka_unit_test(test_fire),
	};

	setenv("TZ", "Europe/London", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
