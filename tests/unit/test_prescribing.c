/* The checks before a prescription is written: the product's limits at
 * their edges (exactly at a limit, a thousandth over, the day's total,
 * reducing steps), and for the first opioid substitute of a custody the
 * community dose (in the product's unit, in its active unit, in a unit
 * that cannot be compared, of another drug), the first-dose ceiling when
 * none is known, the override and its reason, and a second prescription. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "prescribing.h"

struct fixture {
	struct prescription		rx;
	struct product			product;
	struct patient			patient;
	struct prescribing_ceilings	ceilings;
	struct prescribing_case		c;
	struct prescribing_decision	d;
};

static struct fixture	f;

/* Methadone 1 mg/ml, at most 120 ml a dose and 150 ml a day, an opioid
 * substitute; 30 ml once a day; a patient with no community treatment;
 * a ceiling of 30 mg for methadone. */
static int
setup(void **state)
{
	(void)state;
	memset(&f, 0, sizeof f);
	strcpy(f.product.name, "Methadone oral solution");
	strcpy(f.product.unit, "ml");
	f.product.active_per_unit.quantity = 1000;
	strcpy(f.product.active_per_unit.unit, "mg");
	f.product.max_single_dose = 120000;
	f.product.max_daily_dose = 150000;
	f.product.opioid_substitute = 1;
	f.rx.dose = 30000;
	f.rx.ntimes = 1;
	f.rx.every_days = 1;
	assert_int_equal(prescribing_ceiling_add(&f.ceilings, "methadone",
	    "30 mg"), 0);
	f.c.rx = &f.rx;
	f.c.product = &f.product;
	f.c.patient = &f.patient;
	f.c.ceilings = &f.ceilings;
	return 0;
}

/* The community dose reception confirmed at arrival. */
static void
community(const char *drug, int64_t dose, const char *unit)
{
	f.patient.in_treatment = 1;
	strcpy(f.patient.community.drug, drug);
	f.patient.community.dose = dose;
	strcpy(f.patient.community.unit, unit);
}

/* Decide f's case with a dose, and check the outcome and its code. */
static void
decide(int64_t dose, enum prescribing_outcome outcome, const char *code)
{
	f.rx.dose = dose;
	prescribing_decide(&f.c, &f.d);
	assert_int_equal(f.d.outcome, outcome);
	if (code != NULL)
		assert_string_equal(f.d.why.code, code);
}

/* The single reason an override is needed. */
static void
reason_is(const char *code)
{
	assert_int_equal(f.d.nreasons, 1);
	assert_string_equal(f.d.reasons[0].code, code);
	assert_non_null(prescribing_reason_text(code));
}

/* A single dose at the limit passes; a thousandth over is refused,
 * override or not; 1,000,000,000 ml is refused. */
static void
test_single_limit(void **state)
{
	(void)state;
	f.product.opioid_substitute = 0;
	decide(120000, PRESCRIBING_ACCEPT, NULL);
	assert_string_equal(f.d.override_codes, "");
	decide(120001, PRESCRIBING_REFUSE, "dose_above_limit");
	assert_non_null(strstr(f.d.why.message, "120.001 ml (120.001 mg)"));
	assert_non_null(strstr(f.d.why.message, "120 ml (120 mg)"));
	f.c.override_reason = "I know";
	decide(120001, PRESCRIBING_REFUSE, "dose_above_limit");
	f.c.override_reason = NULL;
	decide(QUANTITY_MAX, PRESCRIBING_REFUSE, "dose_above_limit");
	f.product.max_single_dose = 0;
	f.product.max_daily_dose = 0;
	decide(QUANTITY_MAX, PRESCRIBING_ACCEPT, NULL);
}

/* The day's total is the dose times the round times: 75 ml twice is at
 * 150 ml a day, 75.001 ml twice over. */
static void
test_daily_limit(void **state)
{
	(void)state;
	f.product.opioid_substitute = 0;
	f.rx.ntimes = 2;
	decide(75000, PRESCRIBING_ACCEPT, NULL);
	decide(75001, PRESCRIBING_REFUSE, "dose_above_limit");
	assert_non_null(strstr(f.d.why.message, "2 doses a day make "
	    "150.002 ml (150.002 mg) a day"));
	f.rx.ntimes = 8;
	decide(QUANTITY_MAX, PRESCRIBING_REFUSE, "dose_above_limit");
}

/* Every step of a reducing regimen is held to the limits too. */
static void
test_steps_limit(void **state)
{
	(void)state;
	f.product.opioid_substitute = 0;
	f.rx.nsteps = 2;
	f.rx.steps[0].dose = 120000;
	f.rx.steps[1].dose = 0;
	decide(60000, PRESCRIBING_ACCEPT, NULL);
	f.rx.steps[0].dose = 120001;
	decide(60000, PRESCRIBING_REFUSE, "dose_above_limit");
	f.rx.steps[0].dose = 60000;
	f.rx.steps[1].dose = 150001;
	f.product.max_single_dose = 0;
	decide(60000, PRESCRIBING_REFUSE, "dose_above_limit");
}

/* No community dose: the ceiling, exactly at it and a thousandth over;
 * the override with its reason, a blank reason, an override not needed. */
static void
test_ceiling(void **state)
{
	(void)state;
	decide(30000, PRESCRIBING_ACCEPT, NULL);
	decide(30001, PRESCRIBING_OVERRIDE_REQUIRED, "override_required");
	reason_is("above_first_dose_ceiling");
	assert_non_null(strstr(f.d.reasons[0].message, "30.001 ml "
	    "(30.001 mg) a day is above the first-dose ceiling for "
	    "methadone, 30 mg"));
	decide(100000, PRESCRIBING_OVERRIDE_REQUIRED, "override_required");
	f.c.override_reason = "seen on video: 90 mg in the community";
	decide(100000, PRESCRIBING_ACCEPT, NULL);
	assert_string_equal(f.d.override_codes, "above_first_dose_ceiling");
	f.c.override_reason = " \t";
	decide(100000, PRESCRIBING_REFUSE, "override_reason_required");
	f.c.override_reason = "";
	decide(100000, PRESCRIBING_REFUSE, "override_reason_required");
	f.c.override_reason = "just in case";
	decide(30000, PRESCRIBING_REFUSE, "override_not_needed");
}

/* Twice a day, the first day's total is what is compared. */
static void
test_ceiling_daily(void **state)
{
	(void)state;
	f.rx.ntimes = 2;
	decide(15000, PRESCRIBING_ACCEPT, NULL);
	decide(15001, PRESCRIBING_OVERRIDE_REQUIRED, "override_required");
	reason_is("above_first_dose_ceiling");
}

/* No ceiling for the drug, or one in a unit that cannot be compared:
 * an override, since nothing says the dose is safe. */
static void
test_no_ceiling(void **state)
{
	(void)state;
	f.ceilings.n = 0;
	decide(1000, PRESCRIBING_OVERRIDE_REQUIRED, "override_required");
	reason_is("no_first_dose_ceiling");
	assert_int_equal(prescribing_ceiling_add(&f.ceilings, "methadone",
	    "30 micrograms"), 0);
	decide(1000, PRESCRIBING_OVERRIDE_REQUIRED, "override_required");
	reason_is("no_first_dose_ceiling");
	f.ceilings.n = 0;
	assert_int_equal(prescribing_ceiling_add(&f.ceilings,
	    "buprenorphine", "8 mg"), 0);
	decide(1000, PRESCRIBING_OVERRIDE_REQUIRED, "override_required");
	reason_is("no_first_dose_ceiling");
	f.ceilings.n = 0;
	assert_int_equal(prescribing_ceiling_add(&f.ceilings, "Methadone",
	    "40 ml"), 0);
	decide(40000, PRESCRIBING_ACCEPT, NULL);
	f.product.active_per_unit.quantity = 0;
	decide(40001, PRESCRIBING_OVERRIDE_REQUIRED, "override_required");
	reason_is("above_first_dose_ceiling");
}

/* A community dose in mg compared as active amounts: at it, a
 * thousandth over. */
static void
test_community_active(void **state)
{
	(void)state;
	community("methadone", 60000, "mg");
	decide(60000, PRESCRIBING_ACCEPT, NULL);
	decide(60001, PRESCRIBING_OVERRIDE_REQUIRED, "override_required");
	reason_is("above_community_dose");
	assert_non_null(strstr(f.d.reasons[0].message, "60.001 ml "
	    "(60.001 mg) a day is above the community dose confirmed at "
	    "arrival, 60 mg"));
	f.rx.ntimes = 2;
	decide(30000, PRESCRIBING_ACCEPT, NULL);
	decide(30001, PRESCRIBING_OVERRIDE_REQUIRED, "override_required");
	f.rx.ntimes = 1;
	decide(100000, PRESCRIBING_OVERRIDE_REQUIRED, "override_required");
	f.c.override_reason = "community prescriber confirmed 90 mg";
	decide(90000, PRESCRIBING_ACCEPT, NULL);
	assert_string_equal(f.d.override_codes, "above_community_dose");
}

/* A community dose in the product's own unit is compared directly,
 * whether or not the strength is known. */
static void
test_community_same_unit(void **state)
{
	(void)state;
	community("Methadone", 60000, "ML");
	f.product.active_per_unit.quantity = 0;
	decide(60000, PRESCRIBING_ACCEPT, NULL);
	decide(60001, PRESCRIBING_OVERRIDE_REQUIRED, "override_required");
	reason_is("above_community_dose");
}

/* A community dose that cannot be compared honestly: another unit,
 * no strength to compare by, another drug. */
static void
test_community_not_comparable(void **state)
{
	(void)state;
	community("methadone", 60000, "micrograms");
	decide(1000, PRESCRIBING_OVERRIDE_REQUIRED, "override_required");
	reason_is("community_dose_not_comparable");
	community("methadone", 60000, "mg");
	f.product.active_per_unit.quantity = 0;
	decide(1000, PRESCRIBING_OVERRIDE_REQUIRED, "override_required");
	reason_is("community_dose_not_comparable");
	f.product.active_per_unit.quantity = 1000;
	community("buprenorphine", 60000, "mg");
	decide(1000, PRESCRIBING_OVERRIDE_REQUIRED, "override_required");
	reason_is("community_dose_not_comparable");
	community("methadone mixture", 60000, "mg");
	decide(1000, PRESCRIBING_ACCEPT, NULL);
	community("methadonex", 60000, "mg");
	decide(1000, PRESCRIBING_OVERRIDE_REQUIRED, "override_required");
	strcpy(f.product.name, "DEMO Methadone");
	community("methadone 1mg/ml oral solution", 60000, "mg");
	decide(1000, PRESCRIBING_ACCEPT, NULL);
	community("", 60000, "mg");
	decide(1000, PRESCRIBING_OVERRIDE_REQUIRED, "override_required");
}

/* In treatment but with no dose recorded: the ceiling applies. */
static void
test_community_without_dose(void **state)
{
	(void)state;
	community("methadone", 0, "mg");
	decide(30001, PRESCRIBING_OVERRIDE_REQUIRED, "override_required");
	reason_is("above_first_dose_ceiling");
}

/* Only the first opioid substitute of the custody is checked; a product
 * that is not one never is. */
static void
test_second_and_other(void **state)
{
	(void)state;
	f.c.earlier_substitutes = 1;
	decide(120000, PRESCRIBING_ACCEPT, NULL);
	f.c.override_reason = "why not";
	decide(120000, PRESCRIBING_REFUSE, "override_not_needed");
	f.c.override_reason = NULL;
	f.c.earlier_substitutes = 0;
	f.product.opioid_substitute = 0;
	decide(120000, PRESCRIBING_ACCEPT, NULL);
}

/* Ceilings as the configuration gives them. */
static void
test_ceiling_add(void **state)
{
	struct prescribing_ceilings	list;
	int				i;

	(void)state;
	memset(&list, 0, sizeof list);
	assert_int_equal(prescribing_ceiling_add(&list, "methadone",
	    "30 mg"), 0);
	assert_string_equal(list.c[0].drug, "methadone");
	assert_int_equal(list.c[0].dose.quantity, 30000);
	assert_int_equal(prescribing_ceiling_add(&list, "methadone", "30"),
	    -1);
	assert_int_equal(prescribing_ceiling_add(&list, "", "30 mg"), -1);
	assert_int_equal(prescribing_ceiling_add(&list, "two words",
	    "30 mg"), -1);
	assert_int_equal(prescribing_ceiling_add(&list,
	    "abcdefghijklmnopqrstuvwxyzabcdefg", "30 mg"), -1);
	assert_int_equal(list.n, 1);
	for (i = 1; i < PRESCRIBING_MAX_CEILINGS; i++)
		assert_int_equal(prescribing_ceiling_add(&list, "drug",
		    "1 mg"), 0);
	assert_int_equal(prescribing_ceiling_add(&list, "drug", "1 mg"), -1);
	assert_null(prescribing_reason_text("no_such_reason"));
}

/* An override is shown on each dose until the first is given, and never
 * on a prescription that had none. */
static void
test_override_shown(void **state)
{
	(void)state;
	assert_true(prescribing_override_shown(1, 0));
	assert_false(prescribing_override_shown(1, 1));
	assert_false(prescribing_override_shown(0, 0));
	assert_false(prescribing_override_shown(0, 1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_single_limit, setup),
		cmocka_unit_test_setup(test_daily_limit, setup),
		cmocka_unit_test_setup(test_steps_limit, setup),
		cmocka_unit_test_setup(test_ceiling, setup),
		cmocka_unit_test_setup(test_ceiling_daily, setup),
		cmocka_unit_test_setup(test_no_ceiling, setup),
		cmocka_unit_test_setup(test_community_active, setup),
		cmocka_unit_test_setup(test_community_same_unit, setup),
		cmocka_unit_test_setup(test_community_not_comparable, setup),
		cmocka_unit_test_setup(test_community_without_dose, setup),
		cmocka_unit_test_setup(test_second_and_other, setup),
		cmocka_unit_test(test_ceiling_add),
		cmocka_unit_test(test_override_shown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
