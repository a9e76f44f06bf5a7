/* The compliance report's arithmetic: the tally of dues fed in time
 * order (per patient and local day, across midnight and both DST changes
 * of 2027 in Europe/London), adding counts up (sums, and the largest
 * lateness), the share on time in tenths of a percent rounded half up,
 * the mean lateness, and CSV fields quoted per RFC 4180 into buffers that
 * fit exactly or are a byte short. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "report.h"

#define NITEMS(a)	(sizeof (a) / sizeof (a)[0])
#define MIN(m)		((int64_t)(m) * MS_PER_MINUTE)

static int64_t
instant(const char *s)
{
	int64_t	ms;

	assert_int_equal(timefmt_parse_instant(s, &ms), 0);
	return ms;
}

/* The local midnight a date begins at. */
static int64_t
midnight(const char *date)
{
	struct civil_date	d;

	assert_int_equal(timefmt_parse_date(date, &d), 0);
	return calendar_local_midnight(d);
}

/* Feed one due to a tally. */
static void
feed(struct report_tally *t, const char *patient, const char *due_at,
    enum observation_due_state state, const char *taken_at)
{
	struct report_due	d = { patient, instant(due_at), state,
				    taken_at != NULL ? instant(taken_at) : 0, 0 };

	assert_int_equal(report_tally_add(t, &d), 0);
}

/* "due on_time late missed pending late_max_s late_total_s" */
static void
expect_counts(const struct report_counts *c, const char *want)
{
	char	got[128];

	snprintf(got, sizeof got, "%d %d %d %d %d %lld %lld", c->due,
	    c->on_time, c->late, c->missed, c->pending,
	    (long long)(c->late_max_ms / 1000),
	    (long long)(c->late_total_ms / 1000));
	assert_string_equal(got, want);
}

/* Two patients' dues interleaved over three winter days: counted on the
 * local day of their due time (23:59:59.999 is the day before, 00:00 the
 * day after), open ones pending and not due, cancelled ones (away at
 * court) nowhere, a late one as late as it was taken after its due time,
 * one late without a time counted late without lateness; an id too long
 * to be a patient's left out; a patient with no due is not in it. */
static void
test_tally(void **state)
{
	struct report_tally		 t;
	const struct report_counts	*a, *b;

	(void)state;
	assert_int_equal(report_tally_start(&t, midnight("2027-01-19"),
	    midnight("2027-01-22"), 0), 0);
	assert_int_equal(t.ndays, 3);
	feed(&t, "a", "2027-01-19T08:00:00Z", OBS_DUE_ON_TIME,
	    "2027-01-19T07:50:00Z");
	feed(&t, "b", "2027-01-19T09:00:00Z", OBS_DUE_LATE,
	    "2027-01-19T09:20:30Z");
	feed(&t, "a", "2027-01-19T12:00:00Z", OBS_DUE_MISSED, NULL);
	feed(&t, "b", "2027-01-19T13:00:00Z", OBS_DUE_CANCELLED, NULL);
	feed(&t, "a", "2027-01-19T23:59:59.999Z", OBS_DUE_LATE,
	    "2027-01-20T00:40:59.999Z");
	feed(&t, "b", "2027-01-20T00:00:00Z", OBS_DUE_LATE,
	    "2027-01-20T00:16:00Z");
	feed(&t, "a123456789012345678901234567890123456",
	    "2027-01-20T01:00:00Z", OBS_DUE_MISSED, NULL);
	feed(&t, "b", "2027-01-20T04:00:00Z", OBS_DUE_LATE, NULL);
	feed(&t, "a", "2027-01-21T23:00:00Z", OBS_DUE_OPEN, NULL);
	assert_int_equal((int)t.n, 2);
	assert_null(report_tally_days(&t, "c"));
	assert_null(report_tally_days(&t,
	    "a123456789012345678901234567890123456"));
	a = report_tally_days(&t, "a");
	b = report_tally_days(&t, "b");
	assert_non_null(a);
	assert_non_null(b);
	expect_counts(&a[0], "3 1 1 1 0 2460 2460");
	expect_counts(&a[1], "0 0 0 0 0 0 0");
	expect_counts(&a[2], "0 0 0 0 1 0 0");
	expect_counts(&b[0], "1 0 1 0 0 1230 1230");
	expect_counts(&b[1], "2 0 2 0 0 960 960");
	expect_counts(&b[2], "0 0 0 0 0 0 0");
	report_tally_free(&t);
	assert_null(t.tree);

	/* An empty period has no days to count in. */
	assert_int_equal(report_tally_start(&t, midnight("2027-01-19"),
	    midnight("2027-01-19"), 0), -1);
	report_tally_free(&t);
}

/* As of noon on 19 January 2027: an open due past its grace (10:00, the
 * grace to 10:15) is overdue and due, not pending, whether or not the
 * scheduler has marked it; one within its grace (11:50, to 12:05) is
 * pending and not due.  Observations written up late count on the local
 * day they were taken: 23:30 on the 19th (after 23:59:59, another day's
 * midnight) is the 19th, 00:10 on the 20th the 20th; an id too long to be
 * a patient's is nobody's. */
static void
test_overdue_written_late(void **state)
{
	struct report_tally		 t;
	const struct report_counts	*a;
	struct report_due		 d[] = {
		{ "a", instant("2027-01-19T07:00:00Z"), OBS_DUE_ON_TIME,
		    instant("2027-01-19T07:00:00Z"), 0 },
		{ "a", instant("2027-01-19T08:00:00Z"), OBS_DUE_LATE,
		    instant("2027-01-19T08:40:00Z"), 0 },
		{ "a", instant("2027-01-19T10:00:00Z"), OBS_DUE_OPEN, 0,
		    instant("2027-01-19T10:15:00Z") },
		{ "a", instant("2027-01-19T11:50:00Z"), OBS_DUE_OPEN, 0,
		    instant("2027-01-19T12:05:00Z") },
	};
	size_t				 i;

	(void)state;
	assert_int_equal(report_tally_start(&t, midnight("2027-01-19"),
	    midnight("2027-01-21"), instant("2027-01-19T12:00:00Z")), 0);
	for (i = 0; i < NITEMS(d); i++)
		assert_int_equal(report_tally_add(&t, &d[i]), 0);
	assert_int_equal(report_tally_written_late(&t, "a",
	    instant("2027-01-19T23:30:00Z")), 0);
	assert_int_equal(report_tally_written_late(&t, "a",
	    instant("2027-01-20T00:10:00Z")), 0);
	assert_int_equal(report_tally_written_late(&t,
	    "a123456789012345678901234567890123456",
	    instant("2027-01-20T00:10:00Z")), 0);
	a = report_tally_days(&t, "a");
	assert_non_null(a);
	assert_int_equal(a[0].due, 3);
	assert_int_equal(a[0].on_time, 1);
	assert_int_equal(a[0].late, 1);
	assert_int_equal(a[0].overdue, 1);
	assert_int_equal(a[0].pending, 1);
	assert_int_equal(a[0].written_late, 1);
	assert_int_equal(a[1].written_late, 1);
	assert_int_equal((int)t.n, 1);
	assert_int_equal(report_on_time_tenths(&a[0]), 333);
	report_tally_free(&t);
}

/* The local days of a period across both changes of 2027: 28 March is
 * 23 hours long, 31 October 25; a due counts on its local date. */
static void
test_tally_dst(void **state)
{
	struct report_tally		 t;
	const struct report_counts	*a;

	(void)state;
	assert_int_equal(report_tally_start(&t, midnight("2027-03-27"),
	    midnight("2027-03-30"), 0), 0);
	assert_int_equal(t.ndays, 3);
	assert_true(t.midnight[2] - t.midnight[1] == 23 * MS_PER_HOUR);
	feed(&t, "a", "2027-03-27T23:59:00Z", OBS_DUE_MISSED, NULL);
	feed(&t, "a", "2027-03-28T00:30:00Z", OBS_DUE_MISSED, NULL);
	feed(&t, "a", "2027-03-28T22:59:00Z", OBS_DUE_MISSED, NULL);
	feed(&t, "a", "2027-03-28T23:00:00Z", OBS_DUE_MISSED, NULL);
	a = report_tally_days(&t, "a");
	expect_counts(&a[0], "1 0 0 1 0 0 0");		/* 23:59 GMT */
	expect_counts(&a[1], "2 0 0 2 0 0 0");		/* to 23:59 BST */
	expect_counts(&a[2], "1 0 0 1 0 0 0");		/* 00:00 BST */
	report_tally_free(&t);

	assert_int_equal(report_tally_start(&t, midnight("2027-10-30"),
	    midnight("2027-11-01"), 0), 0);
	assert_int_equal(t.ndays, 2);
	assert_true(midnight("2027-11-01") - t.midnight[1] ==
	    25 * MS_PER_HOUR);
	feed(&t, "a", "2027-10-30T22:59:00Z", OBS_DUE_ON_TIME,
	    "2027-10-30T23:00:00Z");
	feed(&t, "a", "2027-10-30T23:00:00Z", OBS_DUE_ON_TIME,
	    "2027-10-30T23:00:00Z");
	feed(&t, "a", "2027-10-31T01:30:00Z", OBS_DUE_ON_TIME,
	    "2027-10-31T01:30:00Z");
	feed(&t, "a", "2027-10-31T23:59:00Z", OBS_DUE_ON_TIME,
	    "2027-10-31T23:59:00Z");
	a = report_tally_days(&t, "a");
	expect_counts(&a[0], "1 1 0 0 0 0 0");		/* 23:59 BST */
	expect_counts(&a[1], "3 3 0 0 0 0 0");		/* 25 hours */
	report_tally_free(&t);
}

/* Many patients (past the first 64 the tally has room for), each found
 * again among the others. */
static void
test_tally_many(void **state)
{
	struct report_tally	t;
	char			id[UUID_STR_LEN];
	int			i, k;

	(void)state;
	assert_int_equal(report_tally_start(&t, midnight("2027-01-19"),
	    midnight("2027-01-20"), 0), 0);
	for (k = 0; k < 3; k++)
		for (i = 0; i < 300; i++) {
			snprintf(id, sizeof id, "p%03d", i);
			feed(&t, id, "2027-01-19T12:00:00Z", k == 2 ?
			    OBS_DUE_MISSED : OBS_DUE_ON_TIME,
			    "2027-01-19T12:00:00Z");
		}
	assert_int_equal((int)t.n, 300);
	for (i = 0; i < 300; i++) {
		snprintf(id, sizeof id, "p%03d", i);
		assert_string_equal(t.patient[i]->id, id);
		expect_counts(report_tally_days(&t, id), "3 2 0 1 0 0 0");
	}
	report_tally_free(&t);
}

static void
test_add(void **state)
{
	struct report_counts	sum, a, b, c;

	(void)state;
	memset(&sum, 0, sizeof sum);
	a = (struct report_counts){ .due = 5, .on_time = 2, .late = 2,
	    .missed = 1, .pending = 1, .late_max_ms = 90000,
	    .late_total_ms = 120000 };
	b = (struct report_counts){ .due = 3, .on_time = 1, .late = 1,
	    .missed = 1, .late_max_ms = 600000, .late_total_ms = 600000 };
	c = (struct report_counts){ .pending = 2, .overdue = 1,
	    .written_late = 2 };
	report_add(&sum, &a);
	assert_int_equal(sum.due, 5);
	assert_true(sum.late_max_ms == 90000 && sum.late_total_ms == 120000);
	report_add(&sum, &b);
	report_add(&sum, &c);
	assert_int_equal(sum.due, 8);
	assert_int_equal(sum.on_time, 3);
	assert_int_equal(sum.late, 3);
	assert_int_equal(sum.overdue, 1);
	assert_int_equal(sum.written_late, 2);
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
	/* The floor of the mean of the exact lateness, not the mean of
	 * whole minutes: 15:40 and 16:40 are 16:10 on average (whole
	 * minutes, 15 and 16, would say 15). */
	c.late = 2;
	c.late_total_ms = MIN(15) + 40000 + MIN(16) + 40000;
	assert_true(report_late_mean_ms(&c) / MS_PER_MINUTE == 16);
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
		/* What a spreadsheet would take for a formula is text. */
		{ "=HYPERLINK(\"http://x\",\"y\")",
		    "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"" },
		{ "=1+1", "'=1+1" },
		{ "=", "'=" },
		{ "+1", "'+1" },
		{ "@SUM(A1)", "'@SUM(A1)" },
		{ "\tx", "'\tx" },
		{ "\rx", "\"'\rx\"" },
		{ "-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0" },
		{ "-", "'-" },
		{ "-x", "'-x" },
		{ "-3 ", "'-3 " },
		{ "-3x", "'-3x" },
		{ "-2.", "'-2." },
		{ "-.5", "'-.5" },
		{ "-2.5.1", "'-2.5.1" },
		{ "-2,5", "\"'-2,5\"" },
		/* A negative number stays a number; the marks elsewhere. */
		{ "-3", "-3" },
		{ "-900", "-900" },
		{ "-2.5", "-2.5" },
		{ " =1", " =1" },
		{ "a=1", "a=1" },
		{ "'=1", "'=1" },
		{ "\"=1\"", "\"\"\"=1\"\"\"" },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < NITEMS(cases); i++)
		check_field(cases[i].text, cases[i].want);
	assert_int_equal(report_csv_field(NULL, 0, "A1234BC"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tally),
		cmocka_unit_test(test_tally_dst),
		cmocka_unit_test(test_overdue_written_late),
		cmocka_unit_test(test_tally_many),
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_on_time_tenths),
		cmocka_unit_test(test_late_mean),
		cmocka_unit_test(test_csv_field),
	};

	setenv("TZ", "Europe/London", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
