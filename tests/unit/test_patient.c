/* Unit tests for patient.c: the times a registration may and may not
 * carry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "patient.h"

#define NOW	INT64_C(1749988800000)		/* 2025-06-15T12:00:00Z */
#define MAX_FUTURE	(5 * MS_PER_MINUTE)
#define MAX_PAST	(7 * MS_PER_DAY)

/* A patient born on 1990-03-10 who arrived an hour ago. */
static struct patient
patient_new(void)
{
	struct patient	p;

	memset(&p, 0, sizeof p);
	strcpy(p.prison_number, "A1234BC");
	strcpy(p.given_name, "Sam");
	strcpy(p.family_name, "Jones");
	p.date_of_birth = (struct civil_date){ 1990, 3, 10 };
	p.arrived_at = NOW - MS_PER_HOUR;
	p.status = PATIENT_IN_CUSTODY;
	return p;
}

/* p must be accepted at now. */
static void
accepted_at(const struct patient *p, int64_t now, int64_t max_future)
{
	struct refusal	why = { "unset", "unset", 0 };

	if (patient_check_registration(p, now, max_future, MAX_PAST, &why) != 0)
		fail_msg("refused (%s): %s", why.code, why.message);
}

/* p must be refused at now with code. */
static void
refused_at(const struct patient *p, int64_t now, int64_t max_future,
    const char *code)
{
	struct refusal	why = { NULL, "", -1 };

	if (patient_check_registration(p, now, max_future, MAX_PAST, &why) !=
	    -1)
		fail_msg("accepted; expected %s", code);
	assert_non_null(why.code);
	assert_non_null(why.message);
	assert_true(strlen(why.message) > 0);
	assert_string_equal(why.code, code);
	assert_int_equal(why.conflict, 0);	/* a clinical rule: 422 */
}

static void
accepted(const struct patient *p)
{
	accepted_at(p, NOW, MAX_FUTURE);
}

static void
refused(const struct patient *p, const char *code)
{
	refused_at(p, NOW, MAX_FUTURE, code);
}

static void
test_plain_registration(void **state)
{
	struct patient	p = patient_new();

	(void)state;
	accepted(&p);
	/* Arrived at this very instant, or days ago (within max_past). */
	p.arrived_at = NOW;
	accepted(&p);
	p.arrived_at = NOW - 6 * MS_PER_DAY;
	accepted(&p);
}

static void
test_arrival_in_future(void **state)
{
	struct patient	p = patient_new();

	(void)state;
	/* Within the tolerance for clocks that disagree a little. */
	p.arrived_at = NOW + 1;
	accepted(&p);
	p.arrived_at = NOW + MAX_FUTURE - 1;
	accepted(&p);
	p.arrived_at = NOW + MAX_FUTURE;
	accepted(&p);
	/* Beyond it. */
	p.arrived_at = NOW + MAX_FUTURE + 1;
	refused(&p, "arrival_in_future");
	p.arrived_at = NOW + MS_PER_HOUR;
	refused(&p, "arrival_in_future");
	p.arrived_at = NOW + 365 * MS_PER_DAY;
	refused(&p, "arrival_in_future");

	/* With no tolerance, a millisecond ahead is too far. */
	p.arrived_at = NOW;
	accepted_at(&p, NOW, 0);
	p.arrived_at = NOW + 1;
	refused_at(&p, NOW, 0, "arrival_in_future");
}

static void
test_date_of_birth_in_future(void **state)
{
	struct patient	p = patient_new();

	(void)state;
	p.date_of_birth = (struct civil_date){ 2025, 6, 16 };
	refused(&p, "date_of_birth_in_future");
	p.date_of_birth = (struct civil_date){ 2026, 1, 1 };
	refused(&p, "date_of_birth_in_future");
	p.date_of_birth = (struct civil_date){ 2090, 6, 15 };
	refused(&p, "date_of_birth_in_future");
	/* Born today is not in the future; it is an impossible age. */
	p.date_of_birth = (struct civil_date){ 2025, 6, 15 };
	refused(&p, "implausible_age");
	/* An arrival in the future is reported before the birth date. */
	p.date_of_birth = (struct civil_date){ 2025, 6, 16 };
	p.arrived_at = NOW + MS_PER_DAY;
	refused(&p, "arrival_in_future");
}

static void
test_age_bounds(void **state)
{
	struct patient	p = patient_new();

	(void)state;
	/* Arrived 2025-06-15 (11:00 UTC).  15 on the day of a 15th
	 * birthday, 14 the day before. */
	p.date_of_birth = (struct civil_date){ 2010, 6, 16 };
	refused(&p, "implausible_age");
	p.date_of_birth = (struct civil_date){ 2010, 6, 15 };
	accepted(&p);
	p.date_of_birth = (struct civil_date){ 2010, 6, 14 };
	accepted(&p);
	p.date_of_birth = (struct civil_date){ 2010, 7, 1 };
	refused(&p, "implausible_age");
	p.date_of_birth = (struct civil_date){ 2011, 1, 1 };
	refused(&p, "implausible_age");

	/* 120 is the oldest: accepted up to the day before the 121st
	 * birthday. */
	p.date_of_birth = (struct civil_date){ 1905, 6, 15 };
	accepted(&p);
	p.date_of_birth = (struct civil_date){ 1904, 6, 16 };
	accepted(&p);
	p.date_of_birth = (struct civil_date){ 1904, 6, 15 };
	refused(&p, "implausible_age");
	p.date_of_birth = (struct civil_date){ 1904, 1, 1 };
	refused(&p, "implausible_age");
	p.date_of_birth = (struct civil_date){ 1850, 1, 1 };
	refused(&p, "implausible_age");
}

/* The age that counts is the age on the arrival date, not today's. */
static void
test_age_at_arrival(void **state)
{
	struct patient	p = patient_new();

	(void)state;
	p.date_of_birth = (struct civil_date){ 2010, 6, 15 };
	/* Arrived yesterday, at 10:00: 14 then, 15 now. */
	p.arrived_at = NOW - MS_PER_DAY - 2 * MS_PER_HOUR;
	refused(&p, "implausible_age");
	/* Arrived on the birthday's first millisecond. */
	p.arrived_at = NOW - 12 * MS_PER_HOUR;		/* 00:00:00.000Z */
	accepted(&p);
	/* And the last millisecond before it. */
	p.arrived_at = NOW - 12 * MS_PER_HOUR - 1;	/* 23:59:59.999Z */
	refused(&p, "implausible_age");

	/* Arrived 2025-06-14, registered on 2025-06-16, the 121st
	 * birthday: still 120 on arrival. */
	p.date_of_birth = (struct civil_date){ 1904, 6, 16 };
	p.arrived_at = NOW - MS_PER_DAY;
	accepted_at(&p, NOW + MS_PER_DAY, MAX_FUTURE);
	/* 121st birthday on the arrival date. */
	p.date_of_birth = (struct civil_date){ 1904, 6, 14 };
	refused_at(&p, NOW + MS_PER_DAY, MAX_FUTURE, "implausible_age");
}

/* Born on 29 February: the birthday in a common year is 1 March. */
static void
test_age_leap_day(void **state)
{
	struct patient	p = patient_new();
	const int64_t	feb28 = INT64_C(1677585600000);	/* 2023-02-28T12Z */
	const int64_t	mar01 = INT64_C(1677672000000);	/* 2023-03-01T12Z */

	(void)state;
	p.date_of_birth = (struct civil_date){ 2008, 2, 29 };
	p.arrived_at = feb28;
	refused_at(&p, feb28, MAX_FUTURE, "implausible_age");
	p.arrived_at = mar01;
	accepted_at(&p, mar01, MAX_FUTURE);
	/* In a leap year, on the day itself. */
	p.date_of_birth = (struct civil_date){ 2009, 2, 28 };
	p.arrived_at = INT64_C(1709208000000);		/* 2024-02-29T12Z */
	accepted_at(&p, p.arrived_at, MAX_FUTURE);
	p.date_of_birth = (struct civil_date){ 2009, 3, 1 };
	refused_at(&p, p.arrived_at, MAX_FUTURE, "implausible_age");
}

/* Instants before 1970 fall on the right UTC day. */
static void
test_age_before_epoch(void **state)
{
	struct patient	p = patient_new();
	const int64_t	arrived = -MS_PER_HOUR;	/* 1969-12-31T23:00:00Z */

	(void)state;
	p.arrived_at = arrived;
	p.date_of_birth = (struct civil_date){ 1954, 12, 31 };
	accepted_at(&p, arrived, MAX_FUTURE);
	p.date_of_birth = (struct civil_date){ 1955, 1, 1 };
	refused_at(&p, arrived, MAX_FUTURE, "implausible_age");
	/* A date of birth on the day after "now" (1970-01-01) is in the
	 * future. */
	p.date_of_birth = (struct civil_date){ 1970, 1, 1 };
	refused_at(&p, arrived, MAX_FUTURE, "date_of_birth_in_future");
}

static void
test_last_dose_in_future(void **state)
{
	struct patient	p = patient_new();

	(void)state;
	p.in_treatment = 1;
	strcpy(p.community.drug, "methadone");
	p.community.dose = 60000;
	strcpy(p.community.unit, "mg");
	p.community.has_last_dose = 1;

	p.community.last_dose_at = NOW - 20 * MS_PER_HOUR;
	accepted(&p);
	p.community.last_dose_at = NOW;
	accepted(&p);
	p.community.last_dose_at = NOW + MAX_FUTURE;
	accepted(&p);
	p.community.last_dose_at = NOW + MAX_FUTURE + 1;
	refused(&p, "last_dose_in_future");
	p.community.last_dose_at = NOW + MS_PER_DAY;
	refused(&p, "last_dose_in_future");

	/* Not known: nothing to check. */
	p.community.has_last_dose = 0;
	accepted(&p);
	/* Not in treatment: the community block means nothing. */
	p.community.has_last_dose = 1;
	p.in_treatment = 0;
	accepted(&p);
}

/* An arrival recorded late is accepted up to arrivals.max_past_days; one
 * older (a wrong year, say) is refused. */
static void
test_arrival_too_old(void **state)
{
	struct patient	p = patient_new();

	(void)state;
	p.arrived_at = NOW - MAX_PAST;
	accepted(&p);
	p.arrived_at = NOW - MAX_PAST - 1;
	refused_at(&p, NOW, MAX_FUTURE, "arrival_too_old");
	p.arrived_at = NOW - 365 * MS_PER_DAY;
	refused_at(&p, NOW, MAX_FUTURE, "arrival_too_old");
}

/* Each status by its name and back; only in custody is here for care. */
static void
test_status_names(void **state)
{
	static const struct {
		const char		*name;
		enum patient_status	 status;
		int			 here;
	} t[] = {
		{ "in_custody", PATIENT_IN_CUSTODY, 1 },
		{ "released", PATIENT_RELEASED, 0 },
		{ "transferred", PATIENT_TRANSFERRED, 0 },
		{ "entered_in_error", PATIENT_ENTERED_IN_ERROR, 0 },
	};
	struct patient		p = patient_new();
	enum patient_status	s;
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		assert_int_equal(patient_status_parse(t[i].name, &s), 0);
		assert_int_equal(s, t[i].status);
		assert_string_equal(patient_status_name(s), t[i].name);
		p.status = s;
		assert_int_equal(patient_in_custody(&p), t[i].here);
	}
	assert_int_equal(patient_status_parse("active", &s), -1);
	assert_int_equal(patient_status_parse("", &s), -1);
	assert_int_equal(patient_status_parse("in_custody ", &s), -1);
}

/* A correction's code at now, or NULL if it is accepted. */
static const char *
edit(const struct patient *before, const struct patient *after, int64_t now)
{
	static struct refusal	why;

	memset(&why, 0, sizeof why);
	if (patient_check_edit(before, after, now, MAX_FUTURE, &why) == 0)
		return NULL;
	assert_non_null(why.message);
	return why.code;
}

/* Each field changed is named, and only those; a record the same as
 * before changes nothing and is refused. */
static void
test_changed(void **state)
{
	struct patient	a = patient_new(), b = a;
	unsigned	bit;

	(void)state;
	assert_int_equal(patient_changed(&a, &b), 0);
	assert_string_equal(edit(&a, &b, NOW), "nothing_changed");
	strcpy(b.location, "B2-14");
	strcpy(b.family_name, "Jonas");
	assert_int_equal(patient_changed(&a, &b),
	    PATIENT_FIELD_LOCATION | PATIENT_FIELD_FAMILY_NAME);
	b = a;
	b.date_of_birth.day = 11;
	strcpy(b.nhs_number, "9434765919");
	strcpy(b.given_name, "Samuel");
	assert_int_equal(patient_changed(&a, &b), PATIENT_FIELD_DATE_OF_BIRTH |
	    PATIENT_FIELD_NHS_NUMBER | PATIENT_FIELD_GIVEN_NAME);
	assert_null(edit(&a, &b, NOW));
	b = a;
	b.in_treatment = 1;
	assert_int_equal(patient_changed(&a, &b), PATIENT_FIELD_COMMUNITY);
	a.in_treatment = 1;
	b.community.dose = 60000;
	assert_int_equal(patient_changed(&a, &b), PATIENT_FIELD_COMMUNITY);
	b = a;
	b.community.has_last_dose = 1;
	assert_int_equal(patient_changed(&a, &b), PATIENT_FIELD_COMMUNITY);
	b = a;
	strcpy(b.community.prescriber, "Dr Okafor");
	assert_int_equal(patient_changed(&a, &b), PATIENT_FIELD_COMMUNITY);
	for (bit = 1; bit < 1u << PATIENT_FIELDS; bit <<= 1)
		assert_non_null(patient_field_name(bit));
	assert_string_equal(patient_field_name(PATIENT_FIELD_DATE_OF_BIRTH),
	    "date_of_birth");
	assert_null(patient_field_name(1u << PATIENT_FIELDS));
	assert_null(patient_field_name(PATIENT_FIELD_LOCATION |
	    PATIENT_FIELD_GIVEN_NAME));
}

/* A correction keeps to the rules of registration: a date of birth
 * tomorrow, or one giving an age at arrival of 14, is refused; an arrival
 * registered longer ago than arrivals.max_past_days is still corrected.
 * The record of a patient released or transferred is not. */
static void
test_edit(void **state)
{
	struct patient	a = patient_new(), b = a;

	(void)state;
	b.date_of_birth = (struct civil_date){ 2025, 6, 16 };
	assert_string_equal(edit(&a, &b, NOW), "date_of_birth_in_future");
	b.date_of_birth = (struct civil_date){ 2010, 6, 16 };
	assert_string_equal(edit(&a, &b, NOW), "implausible_age");
	b.date_of_birth = (struct civil_date){ 2010, 6, 15 };
	assert_null(edit(&a, &b, NOW));
	a.arrived_at = b.arrived_at = NOW - 30 * MS_PER_DAY;
	b.date_of_birth = (struct civil_date){ 1990, 3, 11 };
	assert_null(edit(&a, &b, NOW));
	b.in_treatment = 1;
	b.community.has_last_dose = 1;
	b.community.last_dose_at = NOW + MAX_FUTURE + 1;
	assert_string_equal(edit(&a, &b, NOW), "last_dose_in_future");
	b.community.last_dose_at = NOW + MAX_FUTURE;
	assert_null(edit(&a, &b, NOW));
	a.status = PATIENT_RELEASED;
	assert_string_equal(edit(&a, &b, NOW), "patient_not_editable");
	a.status = PATIENT_TRANSFERRED;
	assert_string_equal(edit(&a, &b, NOW), "patient_not_editable");
	a.status = PATIENT_ENTERED_IN_ERROR;
	assert_string_equal(edit(&a, &b, NOW), "patient_not_editable");
}

/* An arrival in custody with no dose given may be ended as entered in
 * error, once; one dose given, or a patient gone, may not. */
static void
test_end_in_error(void **state)
{
	struct patient	p = patient_new();
	struct refusal	why;

	(void)state;
	assert_int_equal(patient_check_end_in_error(&p, 0, &why), 0);
	assert_int_equal(patient_check_end_in_error(&p, 1, &why), -1);
	assert_string_equal(why.code, "patient_treated");
	assert_int_equal(why.conflict, 0);
	p.status = PATIENT_RELEASED;
	assert_int_equal(patient_check_end_in_error(&p, 0, &why), -1);
	assert_string_equal(why.code, "patient_not_editable");
	assert_int_equal(why.conflict, 1);
	p.status = PATIENT_ENTERED_IN_ERROR;
	assert_int_equal(patient_check_end_in_error(&p, 0, &why), -1);
	assert_string_equal(why.code, "already_entered_in_error");
	assert_int_equal(why.conflict, 1);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_plain_registration),
		cmocka_unit_test(test_arrival_in_future),
		cmocka_unit_test(test_date_of_birth_in_future),
		cmocka_unit_test(test_age_bounds),
		cmocka_unit_test(test_age_at_arrival),
		cmocka_unit_test(test_age_leap_day),
		cmocka_unit_test(test_age_before_epoch),
		cmocka_unit_test(test_last_dose_in_future),
		cmocka_unit_test(test_arrival_too_old),
		cmocka_unit_test(test_status_names),
		cmocka_unit_test(test_changed),
		cmocka_unit_test(test_edit),
		cmocka_unit_test(test_end_in_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
