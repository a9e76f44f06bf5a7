/* A treatment episode for the national returns: the first start, the
 * last end (open while one runs), each drug once, and why it ended. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "episode.h"

/* Two drugs, one stopped early, the other ending later by its date: the
 * episode runs from the first start to the later end, for that reason. */
static void
test_drawn_together(void **state)
{
	const struct episode_rx	rx[] = {
		{ 1000, EPISODE_OPEN, 5000, "Methadone", "reduced to nil" },
		{ 500, 8000, 0, "Diazepam", NULL },
		{ 2000, 3000, 0, "Methadone", NULL },
	};
	struct episode		e;
	size_t			i;

	(void)state;
	episode_begin(&e);
	for (i = 0; i < 3; i++)
		episode_add(&e, &rx[i]);
	assert_int_equal(e.start, 500);
	assert_int_equal(e.end, 8000);
	assert_string_equal(e.drugs, "Methadone; Diazepam");
	assert_string_equal(e.discharge_reason, "prescription ended");
	assert_true(episode_overlaps(&e, 7999, 9000));
	assert_false(episode_overlaps(&e, 8000, 9000));
	assert_false(episode_overlaps(&e, 0, 500));
}

/* Stopped last, its stop reason; one still running leaves it open. */
static void
test_stopped_and_open(void **state)
{
	const struct episode_rx	stopped = { 1000, EPISODE_OPEN, 5000,
		"Methadone", "released to Home" };
	const struct episode_rx	running = { 4000, EPISODE_OPEN, 0,
		"Buprenorphine", NULL };
	struct episode		e;

	(void)state;
	episode_begin(&e);
	episode_add(&e, &stopped);
	assert_int_equal(e.end, 5000);
	assert_string_equal(e.discharge_reason, "released to Home");
	episode_add(&e, &running);
	assert_int_equal(e.end, EPISODE_OPEN);
	assert_string_equal(e.discharge_reason, "");
	assert_true(episode_overlaps(&e, INT64_C(1) << 60, EPISODE_OPEN));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_drawn_together),
		cmocka_unit_test(test_stopped_and_open),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
