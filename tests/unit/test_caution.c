/* Cautions at the point of administration (issue 15): each caution at
 * its edges (exactly news2_hours and tolerance_days, to the millisecond;
 * the first dose against the second; a return from court either side of
 * local midnight, on both days the clocks change in 2027 in
 * Europe/London), the words each says, and the check that every caution
 * is confirmed with a note and none confirmed that the dose lacks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "caution.h"
#include "timefmt.h"

#define HOURS(h)	((int64_t)(h) * MS_PER_HOUR)

/* The documented defaults: 24 hours of NEWS2, 3 days of tolerance. */
static const struct caution_policy policy = { HOURS(24), 3 * MS_PER_DAY };

static int64_t
instant(const char *s)
{
	int64_t	ms;

	if (timefmt_parse_instant(s, &ms) != 0)
		fail_msg("bad instant in the test: %s", s);
	return ms;
}

/* One patient and the dose in question; nothing else known. */
struct scene {
	struct dose		dose, last_given, last_same;
	struct patient		patient;
	struct observation	obs[4];
	struct dose_trip	trip;
	struct caution_facts	facts;
	struct caution_list	list;
};

/* A patient who arrived at 2027-06-13 18:00Z, in community treatment
 * with 60 ml last taken at 2027-06-13 08:00Z, and a 60 ml dose; a dose
 * of 60 ml already given in custody at 2027-06-14 07:00Z. */
static void
scene_init(struct scene *s)
{
	memset(s, 0, sizeof *s);
	s->dose.amount = 60000;
	s->patient.arrived_at = instant("2027-06-13T18:00:00Z");
	s->patient.in_treatment = 1;
	strcpy(s->patient.community.drug, "methadone");
	strcpy(s->patient.community.unit, "ml");
	s->patient.community.dose = 60000;
	s->patient.community.has_last_dose = 1;
	s->patient.community.last_dose_at = instant("2027-06-13T08:00:00Z");
	s->last_given.amount = 60000;
	s->last_given.recorded_at = instant("2027-06-14T07:00:00Z");
	s->last_same = s->last_given;
	s->facts.dose = &s->dose;
	s->facts.unit = "ml";
	s->facts.patient = &s->patient;
	s->facts.obs = s->obs;
	s->facts.last_given = &s->last_given;
	s->facts.last_same = &s->last_same;
	s->facts.trip = &s->trip;
}

/* An observation with a total, red or not, and a consciousness. */
static void
scene_obs(struct scene *s, const char *at, int total, int red,
    enum news2_consciousness c)
{
	struct observation	*o = &s->obs[s->facts.nobs++];

	o->taken_at = instant(at);
	o->result.total = total;
	o->result.red = red;
	o->readings.consciousness = c;
}

/* The cautions at now, as a string of codes "a,b". */
static const char *
codes_at(struct scene *s, const char *now)
{
	static char	buf[256];
	int		i;

	caution_find(&s->facts, &policy, instant(now), &s->list);
	buf[0] = '\0';
	for (i = 0; i < s->list.n; i++)
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s",
		    i ? "," : "", caution_code_name(s->list.item[i].code));
	return buf;
}

/* The message of the first caution found. */
static const char *
message(const struct scene *s)
{
	assert_true(s->list.n > 0);
	return s->list.item[0].message;
}

static void
test_names(void **state)
{
	enum caution_code	c;
	int			i;

	(void)state;
	for (i = 0; i < CAUTION_NCODES; i++) {
		assert_int_equal(caution_code_parse(caution_code_name(
		    (enum caution_code)i), &c), 0);
		assert_int_equal(c, i);
	}
	assert_string_equal(caution_code_name(CAUTION_NEWS2_HIGH),
	    "news2_high");
	assert_string_equal(caution_code_name(CAUTION_RETURNED_TODAY),
	    "returned_today");
	assert_int_equal(caution_code_parse("News2_high", &c), -1);
	assert_int_equal(caution_code_parse("", &c), -1);
}

/* A steady second dose: nothing to say. */
static void
test_none(void **state)
{
	struct scene	s;

	(void)state;
	scene_init(&s);
	scene_obs(&s, "2027-06-14T20:00:00Z", 2, 0, NEWS2_ALERT);
	assert_string_equal(codes_at(&s, "2027-06-15T07:00:00Z"), "");
}

/* A NEWS2 of 5 counts; 4 does not, unless a parameter scored 3. */
static void
test_news2_score(void **state)
{
	struct scene	s;

	(void)state;
	scene_init(&s);
	scene_obs(&s, "2027-06-14T20:00:00Z", 4, 0, NEWS2_ALERT);
	assert_string_equal(codes_at(&s, "2027-06-15T07:00:00Z"), "");
	s.obs[0].result.total = 5;
	assert_string_equal(codes_at(&s, "2027-06-15T07:00:00Z"),
	    "news2_high");
	assert_non_null(strstr(message(&s), "NEWS2 scored 5 at Mon 14 Jun "
	    "21:00 BST, within the last 24 hours"));
	assert_null(strstr(message(&s), "single parameter"));
	s.obs[0].result.total = 3;
	s.obs[0].result.red = 1;
	assert_string_equal(codes_at(&s, "2027-06-15T07:00:00Z"),
	    "news2_high");
	assert_non_null(strstr(message(&s), "NEWS2 scored 3 at Mon 14 Jun "
	    "21:00 BST, with a single parameter scoring 3"));
}

/* Exactly news2_hours ago counts; a millisecond more does not.  The
 * worst in the window is named, not the latest. */
static void
test_news2_window(void **state)
{
	struct scene	s;
	int64_t		at;

	(void)state;
	scene_init(&s);
	scene_obs(&s, "2027-06-14T09:00:00Z", 2, 0, NEWS2_ALERT);
	scene_obs(&s, "2027-06-14T08:00:00Z", 9, 0, NEWS2_ALERT);
	scene_obs(&s, "2027-06-14T07:00:00Z", 6, 0, NEWS2_ALERT);
	at = instant("2027-06-14T08:00:00Z") + HOURS(24);
	caution_find(&s.facts, &policy, at, &s.list);
	assert_int_equal(s.list.n, 1);
	assert_int_equal(s.list.item[0].code, CAUTION_NEWS2_HIGH);
	assert_non_null(strstr(message(&s), "NEWS2 scored 9"));
	caution_find(&s.facts, &policy, at + 1, &s.list);
	assert_int_equal(s.list.n, 0);
	/* One taken after now (written up ahead) is not yet. */
	caution_find(&s.facts, &policy, instant("2027-06-14T07:59:59Z"),
	    &s.list);
	assert_int_equal(s.list.n, 1);
	assert_non_null(strstr(message(&s), "NEWS2 scored 6"));
}

/* The latest observation decides alertness; an earlier confusion that
 * has passed does not. */
static void
test_not_alert(void **state)
{
	struct scene	s;

	(void)state;
	scene_init(&s);
	scene_obs(&s, "2027-06-14T20:00:00Z", 0, 0, NEWS2_ALERT);
	scene_obs(&s, "2027-06-14T16:00:00Z", 3, 1, NEWS2_CONFUSION);
	assert_string_equal(codes_at(&s, "2027-06-16T07:00:00Z"), "");
	s.obs[0].readings.consciousness = NEWS2_VOICE;
	assert_string_equal(codes_at(&s, "2027-06-16T07:00:00Z"),
	    "not_alert");
	assert_string_equal(message(&s), "at the latest observation, Mon 14 "
	    "Jun 21:00 BST, the patient was responding only to voice (V on "
	    "ACVPU), not alert");
	/* Any age: the latest is all there is to go on. */
	assert_string_equal(codes_at(&s, "2027-06-20T07:00:00Z"),
	    "not_alert,last_dose_long_ago");
}

/* The first dose in custody against the second. */
static void
test_first_dose(void **state)
{
	struct scene	s;

	(void)state;
	scene_init(&s);
	s.facts.last_given = NULL;
	s.facts.last_same = NULL;
	assert_string_equal(codes_at(&s, "2027-06-14T07:00:00Z"),
	    "first_dose_in_custody");
	assert_string_equal(message(&s), "this is the first dose in "
	    "custody: none has been given since arrival on Sun 13 Jun 19:00 "
	    "BST");
	s.facts.last_given = &s.last_given;
	assert_string_equal(codes_at(&s, "2027-06-15T07:00:00Z"), "");
}

/* Before the first dose, the last dose outside must be known. */
static void
test_community_unknown(void **state)
{
	struct scene	s;

	(void)state;
	scene_init(&s);
	s.facts.last_given = NULL;
	s.facts.last_same = NULL;
	s.patient.community.has_last_dose = 0;
	assert_string_equal(codes_at(&s, "2027-06-14T07:00:00Z"),
	    "first_dose_in_custody,community_dose_unknown");
	assert_string_equal(s.list.item[1].message, "reception recorded "
	    "60 ml methadone in the community, but not when it was last "
	    "taken");
	s.patient.in_treatment = 0;
	assert_string_equal(codes_at(&s, "2027-06-14T07:00:00Z"),
	    "first_dose_in_custody,community_dose_unknown");
	assert_non_null(strstr(s.list.item[1].message, "no community "
	    "treatment"));
	/* Once a dose is given in custody, that is the last known. */
	s.facts.last_given = &s.last_given;
	assert_string_equal(codes_at(&s, "2027-06-15T07:00:00Z"), "");
}

/* Exactly tolerance_days since the last known dose is still tolerant; a
 * millisecond more is not.  The later of custody and community counts. */
static void
test_last_dose_long_ago(void **state)
{
	struct scene	s;
	int64_t		last;

	(void)state;
	scene_init(&s);
	last = s.last_given.recorded_at;
	caution_find(&s.facts, &policy, last + 3 * MS_PER_DAY, &s.list);
	assert_int_equal(s.list.n, 0);
	caution_find(&s.facts, &policy, last + 3 * MS_PER_DAY + 1, &s.list);
	assert_int_equal(s.list.n, 1);
	assert_int_equal(s.list.item[0].code, CAUTION_LAST_DOSE_LONG_AGO);
	assert_string_equal(message(&s), "the last known dose was given in "
	    "custody, Mon 14 Jun 08:00 BST, 3 days 0 hours ago: tolerance may "
	    "be lost after 3 days");
	/* First dose: the community's last dose is the last known. */
	s.facts.last_given = NULL;
	s.facts.last_same = NULL;
	last = s.patient.community.last_dose_at;
	caution_find(&s.facts, &policy, last + 3 * MS_PER_DAY, &s.list);
	assert_int_equal(s.list.n, 1);
	caution_find(&s.facts, &policy, last + 3 * MS_PER_DAY + HOURS(5),
	    &s.list);
	assert_int_equal(s.list.n, 2);
	assert_int_equal(s.list.item[1].code, CAUTION_LAST_DOSE_LONG_AGO);
	assert_non_null(strstr(s.list.item[1].message, "taken in the "
	    "community, Sun 13 Jun 09:00 BST, 3 days 5 hours ago"));
	/* A community dose later than the last in custody counts. */
	s.facts.last_given = &s.last_given;
	s.last_given.recorded_at = last - MS_PER_DAY;
	caution_find(&s.facts, &policy, last + 3 * MS_PER_DAY, &s.list);
	assert_int_equal(s.list.n, 0);
	/* Neither known: nothing to measure (community_dose_unknown says
	 * so for a first dose). */
	s.facts.last_given = NULL;
	s.patient.in_treatment = 0;
	assert_string_equal(codes_at(&s, "2027-07-14T07:00:00Z"),
	    "first_dose_in_custody,community_dose_unknown");
}

/* More than the last given of the product, by a thousandth. */
static void
test_dose_increased(void **state)
{
	struct scene	s;

	(void)state;
	scene_init(&s);
	s.dose.amount = 60000;
	assert_string_equal(codes_at(&s, "2027-06-15T07:00:00Z"), "");
	s.dose.amount = 60001;
	assert_string_equal(codes_at(&s, "2027-06-15T07:00:00Z"),
	    "dose_increased");
	assert_string_equal(message(&s), "this dose, 60.001 ml, is more than "
	    "the last one given, 60 ml on Mon 14 Jun 08:00 BST");
	s.dose.amount = 50000;
	assert_string_equal(codes_at(&s, "2027-06-15T07:00:00Z"), "");
	s.dose.amount = 70000;
	s.facts.last_same = NULL;	/* a change of product */
	assert_string_equal(codes_at(&s, "2027-06-15T07:00:00Z"), "");
}

/* Back from court: today's local date only, not yet back, not back. */
static void
test_returned_today(void **state)
{
	struct scene	s;

	(void)state;
	scene_init(&s);
	s.trip.departed_at = instant("2027-06-14T06:00:00Z");
	s.trip.returned_at = instant("2027-06-14T15:00:00Z");
	assert_string_equal(codes_at(&s, "2027-06-14T17:00:00Z"),
	    "returned_today");
	assert_string_equal(message(&s), "back from court today, Mon 14 Jun "
	    "16:00 BST: ask what was taken while away, and look for signs of "
	    "intoxication");
	/* Midnight BST is 23:00Z. */
	assert_string_equal(codes_at(&s, "2027-06-14T22:59:59Z"),
	    "returned_today");
	assert_string_equal(codes_at(&s, "2027-06-14T23:00:00Z"), "");
	/* Still away, or back later than now. */
	s.trip.returned_at = 0;
	assert_string_equal(codes_at(&s, "2027-06-14T17:00:00Z"), "");
	s.trip.returned_at = instant("2027-06-14T18:00:00Z");
	assert_string_equal(codes_at(&s, "2027-06-14T17:00:00Z"), "");
	s.facts.trip = NULL;
	assert_string_equal(codes_at(&s, "2027-06-14T17:00:00Z"), "");
}

/* The days the clocks change: a 23- and a 25-hour local day. */
static void
test_returned_today_dst(void **state)
{
	struct scene	s;

	(void)state;
	scene_init(&s);
	s.last_given.recorded_at = instant("2027-03-27T08:00:00Z");
	s.facts.last_same = NULL;
	/* Spring: 00:30 GMT on the 28th is that day; 23:30 BST the same. */
	s.trip.returned_at = instant("2027-03-28T00:30:00Z");
	assert_string_equal(codes_at(&s, "2027-03-28T22:30:00Z"),
	    "returned_today");
	assert_string_equal(codes_at(&s, "2027-03-28T23:00:00Z"), "");
	s.trip.returned_at = instant("2027-03-27T23:59:59Z");
	assert_string_equal(codes_at(&s, "2027-03-28T00:00:00Z"), "");
	/* Autumn: 00:30 BST on the 31st (23:30Z on the 30th) is still
	 * today at 23:30 GMT on the 31st, 24 hours later. */
	s.last_given.recorded_at = instant("2027-10-30T08:00:00Z");
	s.trip.returned_at = instant("2027-10-30T23:30:00Z");
	assert_string_equal(codes_at(&s, "2027-10-31T23:30:00Z"),
	    "returned_today");
	assert_string_equal(codes_at(&s, "2027-11-01T00:00:00Z"), "");
	s.trip.returned_at = instant("2027-10-30T22:59:59Z");
	assert_string_equal(codes_at(&s, "2027-10-30T23:00:00Z"), "");
}

/* The patient, NEWS2 13 with new
 * confusion last night, before his first dose, with nothing known of
 * his treatment outside, on a morning back from court. */
static void
test_all(void **state)
{
	struct scene	s;

	(void)state;
	scene_init(&s);
	scene_obs(&s, "2027-06-14T20:00:00Z", 13, 1, NEWS2_CONFUSION);
	s.facts.last_given = NULL;
	s.patient.community.has_last_dose = 0;
	s.facts.last_same = NULL;
	s.trip.returned_at = instant("2027-06-15T05:00:00Z");
	assert_string_equal(codes_at(&s, "2027-06-15T07:00:00Z"),
	    "news2_high,not_alert,first_dose_in_custody,"
	    "community_dose_unknown,returned_today");
	assert_string_equal(message(&s), "NEWS2 scored 13 at Mon 14 Jun "
	    "21:00 BST, with a single parameter scoring 3, within the last "
	    "24 hours: the patient may be unwell or sedated");
}

/* Each caution confirmed, with a note; none that the dose lacks. */
static void
test_confirmed(void **state)
{
	struct scene	s;
	struct refusal	why;
	unsigned	both = 1u << CAUTION_FIRST_DOSE |
			    1u << CAUTION_COMMUNITY_UNKNOWN;

	(void)state;
	scene_init(&s);
	s.facts.last_given = NULL;
	s.patient.in_treatment = 0;
	assert_string_equal(codes_at(&s, "2027-06-14T07:00:00Z"),
	    "first_dose_in_custody,community_dose_unknown");
	assert_int_equal(caution_check_confirmed(&s.list, both, 1, &why), 0);
	assert_int_equal(caution_check_confirmed(&s.list, 0, 1, &why), -1);
	assert_string_equal(why.code, "cautions_unconfirmed");
	assert_int_equal(why.conflict, 1);
	assert_non_null(strstr(why.message, "not yet confirmed: "
	    "first_dose_in_custody, community_dose_unknown"));
	assert_int_equal(caution_check_confirmed(&s.list,
	    1u << CAUTION_FIRST_DOSE, 1, &why), -1);
	assert_string_equal(why.code, "cautions_unconfirmed");
	assert_non_null(strstr(why.message, "not yet confirmed: "
	    "community_dose_unknown"));
	assert_int_equal(caution_check_confirmed(&s.list, both, 0, &why), -1);
	assert_string_equal(why.code, "cautions_unconfirmed");
	assert_non_null(strstr(why.message, "a note is needed"));
	assert_int_equal(caution_check_confirmed(&s.list, both |
	    1u << CAUTION_NEWS2_HIGH, 1, &why), -1);
	assert_string_equal(why.code, "caution_not_present");
	assert_int_equal(why.conflict, 1);
	assert_non_null(strstr(why.message, "no caution news2_high"));
	/* A dose with no cautions needs nothing, and takes none. */
	s.facts.last_given = &s.last_given;
	assert_string_equal(codes_at(&s, "2027-06-15T07:00:00Z"), "");
	assert_int_equal(caution_check_confirmed(&s.list, 0, 0, &why), 0);
	assert_int_equal(caution_check_confirmed(&s.list,
	    1u << CAUTION_RETURNED_TODAY, 1, &why), -1);
	assert_string_equal(why.code, "caution_not_present");
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_none),
		cmocka_unit_test(test_news2_score),
		cmocka_unit_test(test_news2_window),
		cmocka_unit_test(test_not_alert),
		cmocka_unit_test(test_first_dose),
		cmocka_unit_test(test_community_unknown),
		cmocka_unit_test(test_last_dose_long_ago),
		cmocka_unit_test(test_dose_increased),
		cmocka_unit_test(test_returned_today),
		cmocka_unit_test(test_returned_today_dst),
		cmocka_unit_test(test_all),
		cmocka_unit_test(test_confirmed),
	};

	setenv("TZ", "Europe/London", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
