/* The IDTS toolkit's verdicts at every edge: no statuses at all, all
 * green, a single red, an amber where green is needed, an excepted
 * section at amber, and the commissioning sections; and the register's
 * data itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "readiness.h"

static enum readiness_status	status[READINESS_SECTIONS];
static struct readiness_judgement j;

static void
all(enum readiness_status s)
{
	int	i;

	for (i = 0; i < READINESS_SECTIONS; i++)
		status[i] = s;
}

/* Section number at s, then judged. */
static void
set(int number, enum readiness_status s)
{
	status[number - 1] = s;
	readiness_judge(status, &j);
}

/* No status recorded anywhere is 35 red: nothing is ready. */
static void
test_no_statuses(void **state)
{
	(void)state;
	all(READINESS_NONE);
	readiness_judge(status, &j);
	assert_false(j.go_live.ready);
	assert_false(j.commissioning.ready);
	assert_int_equal(j.red, 35);
	assert_int_equal(j.green + j.amber, 0);
	assert_int_equal(j.go_live.nblocking, 35);
	assert_int_equal(j.commissioning.nblocking, 7);
	assert_int_equal(j.go_live.blocking[0].status, READINESS_NONE);
}

static void
test_all_green(void **state)
{
	(void)state;
	all(READINESS_GREEN);
	readiness_judge(status, &j);
	assert_true(j.go_live.ready);
	assert_true(j.commissioning.ready);
	assert_int_equal(j.go_live.nblocking, 0);
	assert_int_equal(j.green, 35);
}

/* One red blocks going live even where amber would do. */
static void
test_single_red(void **state)
{
	(void)state;
	all(READINESS_GREEN);
	set(14, READINESS_RED);
	assert_false(j.go_live.ready);
	assert_int_equal(j.go_live.nblocking, 1);
	assert_int_equal(j.go_live.blocking[0].number, 14);
	assert_int_equal(j.go_live.blocking[0].status, READINESS_RED);
	assert_int_equal(j.go_live.blocking[0].minimum, READINESS_AMBER);
	assert_true(j.commissioning.ready);	/* 14 is not one of them */
	assert_int_equal(j.red, 1);
	assert_int_equal(j.green, 34);
}

/* Section 15, controlled-drug staffing, must be green. */
static void
test_amber_where_green_needed(void **state)
{
	(void)state;
	all(READINESS_GREEN);
	set(15, READINESS_AMBER);
	assert_false(j.go_live.ready);
	assert_int_equal(j.go_live.nblocking, 1);
	assert_int_equal(j.go_live.blocking[0].number, 15);
	assert_string_equal(j.go_live.blocking[0].heading,
	    "Controlled drug staffing");
	assert_int_equal(j.go_live.blocking[0].minimum, READINESS_GREEN);
	assert_int_equal(j.amber, 1);
}

/* Each of 7, 8, 9, 14, 16, 25 and 26 may be amber, all at once; one
 * more amber anywhere else blocks. */
static void
test_excepted_at_amber(void **state)
{
	static const int excepted[] = { 7, 8, 9, 14, 16, 25, 26 };
	size_t	i;

	(void)state;
	all(READINESS_GREEN);
	for (i = 0; i < sizeof excepted / sizeof excepted[0]; i++) {
		set(excepted[i], READINESS_AMBER);
		assert_true(j.go_live.ready);
	}
	assert_int_equal(j.amber, 7);
	set(24, READINESS_AMBER);
	assert_false(j.go_live.ready);
	assert_int_equal(j.go_live.blocking[0].number, 24);
}

/* Commissioning: 1, 2, 3, 5, 6, 10 and 11 green, whatever else is red;
 * the needs assessment (6) at amber blocks it. */
static void
test_commissioning(void **state)
{
	static const int needed[] = { 1, 2, 3, 5, 6, 10, 11 };
	size_t	i;

	(void)state;
	all(READINESS_RED);
	for (i = 0; i < sizeof needed / sizeof needed[0]; i++)
		status[needed[i] - 1] = READINESS_GREEN;
	set(4, READINESS_RED);
	assert_true(j.commissioning.ready);
	assert_false(j.go_live.ready);
	set(6, READINESS_AMBER);
	assert_false(j.commissioning.ready);
	assert_int_equal(j.commissioning.nblocking, 1);
	assert_int_equal(j.commissioning.blocking[0].number, 6);
}

/* The register: 35 sections numbered in order, each with a heading, an
 * outcome and one of the eight groups; statuses by name. */
static void
test_register(void **state)
{
	static const char *const groups[] = { "planning", "facilities",
	    "commissioning", "workforce", "clinical delivery",
	    "CARAT delivery", "integrated working", "continuity of care" };
	const struct readiness_section	*s;
	enum readiness_status		 st;
	int				 i, amber = 0;
	size_t				 g;

	(void)state;
	assert_null(readiness_section(0));
	assert_null(readiness_section(36));
	for (i = 1; i <= READINESS_SECTIONS; i++) {
		s = readiness_section(i);
		assert_int_equal(s->number, i);
		assert_true(strlen(s->heading) > 0 && strlen(s->outcome) > 0);
		for (g = 0; g < 8; g++)
			if (strcmp(s->group, groups[g]) == 0)
				break;
		assert_true(g < 8);
		amber += s->minimum == READINESS_AMBER;
	}
	assert_int_equal(amber, 7);
	assert_string_equal(readiness_section(6)->heading, "Needs assessment");
	assert_string_equal(readiness_section(35)->group,
	    "continuity of care");
	assert_int_equal(readiness_status_parse("amber", &st), 0);
	assert_int_equal(st, READINESS_AMBER);
	assert_int_equal(readiness_status_parse("blue", &st), -1);
	assert_int_equal(readiness_status_parse("Green", &st), -1);
	assert_null(readiness_status_name(READINESS_NONE));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_statuses),
		cmocka_unit_test(test_all_green),
		cmocka_unit_test(test_single_red),
		cmocka_unit_test(test_amber_where_green_needed),
		cmocka_unit_test(test_excepted_at_amber),
		cmocka_unit_test(test_commissioning),
		cmocka_unit_test(test_register),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
