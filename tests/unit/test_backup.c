/* When an online backup is due and overdue, in virtual time: the first
 * after start-up, after a success and after a failure, the wall clock
 * stepped backwards, on demand only; and which backups are pruned at the
 * edges of backup.keep, failures never counting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "backup.h"

#define HOUR	(3600 * 1000LL)
#define T0	1800000000000LL		/* 2027-01-15T08:00:00Z */

static const struct backup_policy hourly = { HOUR, 3 };

/* The first backup waits one interval from the start; overdue after two. */
static void
test_plan_first(void **state)
{
	struct backup_history	h = { 0, 0, T0, 0 };
	struct backup_decision	d;

	(void)state;
	backup_plan(&hourly, &h, T0, &d);
	assert_false(d.due);
	assert_false(d.overdue);
	assert_int_equal(d.next_at, T0 + HOUR);
	backup_plan(&hourly, &h, T0 + HOUR - 1, &d);
	assert_false(d.due);
	backup_plan(&hourly, &h, T0 + HOUR, &d);
	assert_true(d.due);
	assert_false(d.overdue);
	assert_int_equal(d.next_at, T0 + HOUR);
	backup_plan(&hourly, &h, T0 + 2 * HOUR - 1, &d);
	assert_false(d.overdue);
	assert_int_equal(d.next_at, T0 + HOUR);
	backup_plan(&hourly, &h, T0 + 2 * HOUR, &d);
	assert_true(d.overdue);
}

/* After a verified backup: the next one interval on, overdue two on. */
static void
test_plan_after_success(void **state)
{
	struct backup_history	h = { T0, T0, T0 - 5 * HOUR, 0 };
	struct backup_decision	d;

	(void)state;
	backup_plan(&hourly, &h, T0 + 1, &d);
	assert_false(d.due);
	assert_false(d.overdue);
	assert_int_equal(d.next_at, T0 + HOUR);
	backup_plan(&hourly, &h, T0 + HOUR, &d);
	assert_true(d.due);
	assert_false(d.overdue);
}

/* A failed attempt waits its interval (it alerted already); two
 * intervals since the last verified one it is overdue, once. */
static void
test_plan_after_failure(void **state)
{
	struct backup_history	h = { T0 + HOUR, T0, T0 - 5 * HOUR, 0 };
	struct backup_decision	d;

	(void)state;
	backup_plan(&hourly, &h, T0 + HOUR + 1, &d);
	assert_false(d.due);
	assert_false(d.overdue);
	assert_int_equal(d.next_at, T0 + 2 * HOUR);
	backup_plan(&hourly, &h, T0 + 2 * HOUR, &d);
	assert_true(d.due);
	assert_true(d.overdue);
	/* Overdue already: no wake-up for it again, only for the next due. */
	h.last_attempt = T0 + 2 * HOUR;
	backup_plan(&hourly, &h, T0 + 2 * HOUR + 5, &d);
	assert_true(d.overdue);
	assert_false(d.due);
	assert_int_equal(d.next_at, T0 + 3 * HOUR);
}

/* The wall clock stepped back a day: due at once, not in a day; the
 * last verified backup "in the future" is not overdue. */
static void
test_plan_clock_back(void **state)
{
	struct backup_history	h = { T0, T0, T0 - 5 * HOUR, 0 };
	struct backup_decision	d;
	int64_t			now = T0 - 24 * HOUR;

	(void)state;
	backup_plan(&hourly, &h, now, &d);
	assert_true(d.due);
	assert_false(d.overdue);
	assert_int_equal(d.next_at, now);
}

/* While one is being taken none is due, however late; the overdue is
 * still decided, and woken for. */
static void
test_plan_running(void **state)
{
	struct backup_history	h = { T0, T0, T0 - 5 * HOUR, 1 };
	struct backup_decision	d;

	(void)state;
	backup_plan(&hourly, &h, T0 + HOUR + 1, &d);
	assert_false(d.due);
	assert_false(d.overdue);
	assert_int_equal(d.next_at, T0 + 2 * HOUR);
	backup_plan(&hourly, &h, T0 + 2 * HOUR, &d);
	assert_false(d.due);
	assert_true(d.overdue);
	assert_int_equal(d.next_at, 0);
	h.running = 0;
	backup_plan(&hourly, &h, T0 + 2 * HOUR, &d);
	assert_true(d.due);
}

/* backup.interval = 0: on demand only, never due nor overdue. */
static void
test_plan_on_demand(void **state)
{
	static const struct backup_policy off = { 0, 3 };
	struct backup_history	h = { 0, 0, T0, 0 };
	struct backup_decision	d;

	(void)state;
	backup_plan(&off, &h, T0 + 100 * HOUR, &d);
	assert_false(d.due);
	assert_false(d.overdue);
	assert_int_equal(d.next_at, 0);
}

/* keep 3: the fourth verified and older go, once; failures never count. */
static void
test_prune_keep(void **state)
{
	static const struct backup_kept b[] = {
		{ 1, 0 }, { 0, 0 }, { 1, 0 }, { 0, 0 }, { 1, 0 },
		{ 1, 0 }, { 1, 1 }, { 0, 0 }, { 1, 0 },
	};
	static const int want[] = { 0, 0, 0, 0, 0, 1, 0, 0, 1 };
	int	prune[9];
	size_t	i;

	(void)state;
	assert_int_equal(backup_prune(&hourly, b, 9, prune), 2);
	for (i = 0; i < 9; i++)
		assert_int_equal(prune[i], want[i]);
}

/* At the edges: exactly keep verified, keep + 1, keep 1, none at all,
 * and a run of failures after the kept ones. */
static void
test_prune_edges(void **state)
{
	static const struct backup_policy one = { HOUR, 1 };
	static const struct backup_kept three[] = {
		{ 1, 0 }, { 1, 0 }, { 1, 0 },
	};
	static const struct backup_kept four[] = {
		{ 1, 0 }, { 1, 0 }, { 1, 0 }, { 1, 0 },
	};
	static const struct backup_kept failures[] = {
		{ 0, 0 }, { 0, 0 }, { 0, 0 }, { 0, 0 }, { 1, 0 },
	};
	int	prune[5];

	(void)state;
	assert_int_equal(backup_prune(&hourly, three, 3, prune), 0);
	assert_int_equal(backup_prune(&hourly, four, 4, prune), 1);
	assert_int_equal(prune[3], 1);
	assert_int_equal(prune[2], 0);
	assert_int_equal(backup_prune(&one, four, 4, prune), 3);
	assert_int_equal(prune[0], 0);
	assert_int_equal(backup_prune(&hourly, four, 0, prune), 0);
	assert_int_equal(backup_prune(&one, failures, 5, prune), 0);
	assert_int_equal(prune[4], 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_first),
		cmocka_unit_test(test_plan_after_success),
		cmocka_unit_test(test_plan_after_failure),
		cmocka_unit_test(test_plan_clock_back),
		cmocka_unit_test(test_plan_running),
		cmocka_unit_test(test_plan_on_demand),
		cmocka_unit_test(test_prune_keep),
		cmocka_unit_test(test_prune_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
