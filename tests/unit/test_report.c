/* The compliance report's arithmetic: adding counts up (sums, and the
 * largest lateness), the share on time in tenths of a percent rounded
 * half up, the mean lateness, and CSV fields quoted per RFC 4180 into
 * buffers that fit exactly or are a byte short. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report.h"

#define NITEMS(a)	(sizeof (a) / sizeof (a)[0])

static void
test_add(void **state)
{
	struct report_counts	sum, a, b, c;

	(void)state;
	memset(&sum, 0, sizeof sum);
	a = (struct report_counts){ 5, 2, 2, 1, 1, 90000, 120000 };
	b = (struct report_counts){ 3, 1, 1, 1, 0, 600000, 600000 };
	c = (struct report_counts){ 0, 0, 0, 0, 2, 0, 0 };
	report_add(&sum, &a);
	assert_int_equal(sum.due, 5);
	assert_true(sum.late_max_ms == 90000 && sum.late_total_ms == 120000);
	report_add(&sum, &b);
	report_add(&sum, &c);
	assert_int_equal(sum.due, 8);
	assert_int_equal(sum.on_time, 3);
	assert_int_equal(sum.late, 3);
	assert_int_equal(sum.missed, 2);
	assert_int_equal(sum.pending, 3);
	assert_true(sum.late_total_ms == 720000);
	assert_true(sum.late_max_ms == 600000);	/* the max of the maxima */
	/* A smaller maximum after a larger one leaves it. */
	report_add(&sum, &a);
	assert_true(sum.late_max_ms == 600000);
	assert_true(sum.late_total_ms == 840000);
	assert_int_equal(sum.due, 13);
	/* The addend is not changed. */
	assert_int_equal(a.due, 5);
	assert_true(a.late_max_ms == 90000);
}

static void
test_on_time_tenths(void **state)
{
	static const struct {
		int	on_time, due, tenths;
	} cases[] = {
		{ 1, 3, 333 },		/* 33.33 */
		{ 2, 3, 667 },		/* 66.67 */
		{ 1, 8, 125 },		/* 12.5 exactly */
		{ 1, 6, 167 },		/* 16.67 */
		{ 5, 6, 833 },		/* 83.33 */
		{ 1, 16, 63 },		/* 6.25: half up */
		{ 3, 16, 188 },		/* 18.75: half up */
		{ 1, 2000, 1 },		/* 0.05: half up */
		{ 1, 2001, 0 },		/* 0.0499 */
		{ 1999, 2000, 1000 },	/* 99.95: half up to 100.0 */
		{ 0, 7, 0 },
		{ 7, 7, 1000 },
		{ 1, 1, 1000 },
		{ 0, 0, -1 },		/* nothing due */
	};
	struct report_counts	c;
	size_t			i;

	(void)state;
	for (i = 0; i < NITEMS(cases); i++) {
		memset(&c, 0, sizeof c);
		c.on_time = cases[i].on_time;
		c.due = cases[i].due;
		c.missed = c.due - c.on_time;
		if (report_on_time_tenths(&c) != cases[i].tenths)
			fail_msg("%d/%d: want %d, got %d", cases[i].on_time,
			    cases[i].due, cases[i].tenths,
			    report_on_time_tenths(&c));
	}
	/* Pending dues are not due. */
	memset(&c, 0, sizeof c);
	c.pending = 4;
	assert_int_equal(report_on_time_tenths(&c), -1);
	/* No overflow with large counts. */
	c.due = 1000000000;
	c.on_time = 999999999;
	assert_int_equal(report_on_time_tenths(&c), 1000);
}

static void
test_late_mean(void **state)
{
	struct report_counts	c;

	(void)state;
	memset(&c, 0, sizeof c);
	assert_true(report_late_mean_ms(&c) == 0);	/* none late */
	c.late = 3;
	c.late_total_ms = 3 * 60000 + 2;
	assert_true(report_late_mean_ms(&c) == 60000);	/* floor */
	c.late = 2;
	c.late_total_ms = 17 * 60000 + 45 * 60000;
	assert_true(report_late_mean_ms(&c) == 31 * 60000);
	c.late = 1;
	c.late_total_ms = INT64_C(90) * 86400000;	/* no overflow */
	assert_true(report_late_mean_ms(&c) == INT64_C(90) * 86400000);
}

/* The field in a buffer of exactly its size plus the NUL, and refused in
 * one a byte shorter without writing past it. */
static void
check_field(const char *text, const char *want)
{
	char	buf[128];
	size_t	need = strlen(want) + 1;
	size_t	size;

	assert_true(need + 8 <= sizeof buf);
	memset(buf, 'x', sizeof buf);
	if (report_csv_field(buf, need, text) != (int)strlen(want) ||
	    strcmp(buf, want) != 0)
		fail_msg("'%s': want '%s' (%zu), got '%.*s'", text, want,
		    strlen(want), (int)need, buf);
	assert_true(buf[need] == 'x');
	for (size = need + 1; size <= need + 8; size++) {
		memset(buf, 'x', sizeof buf);
		assert_int_equal(report_csv_field(buf, size, text),
		    (int)strlen(want));
		assert_string_equal(buf, want);
	}
	for (size = 1; size < need; size++) {
		memset(buf, 'x', sizeof buf);
		if (report_csv_field(buf, size, text) != -1)
			fail_msg("'%s' in %zu bytes: fitted", text, size);
		assert_true(buf[size] == 'x');
	}
}

static void
test_csv_field(void **state)
{
	static const struct {
		const char	*text, *want;
	} cases[] = {
		{ "A1234BC", "A1234BC" },
		{ "", "" },
		{ "O'Brien", "O'Brien" },
		{ "Smith-Jones Ward 2", "Smith-Jones Ward 2" },
		{ "Smith, John", "\"Smith, John\"" },
		{ ",", "\",\"" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
		{ "\"", "\"\"\"\"" },
		{ "\"\"", "\"\"\"\"\"\"" },
		{ "line\r\nbreak", "\"line\r\nbreak\"" },
		{ "cr\r", "\"cr\r\"" },
		{ "\nlf", "\"\nlf\"" },
		{ "a,\"b\"\n", "\"a,\"\"b\"\"\n\"" },
		{ "Zo\xc3\xab", "Zo\xc3\xab" },		/* UTF-8 as is */
	};
	size_t	i;

	(void)state;
	for (i = 0; i < NITEMS(cases); i++)
		check_field(cases[i].text, cases[i].want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_on_time_tenths),
		cmocka_unit_test(test_late_mean),
		cmocka_unit_test(test_csv_field),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
