/* Unit tests for batch.c: items kept whole and in order as the array
 * grows past its first allocation, emptied and filled again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "batch.h"

struct item {
	char	id[37];
	int64_t	at;
};

static void
test_grows_in_order(void **state)
{
	struct batch	 b = BATCH_OF(struct item);
	struct item	 it, *got;
	size_t		 i, round;

	(void)state;
	for (round = 0; round < 2; round++) {
		for (i = 0; i < 1000; i++) {
			memset(&it, 0, sizeof it);
			snprintf(it.id, sizeof it.id, "item-%zu", i);
			it.at = (int64_t)i * 60000;
			batch_add(&b, &it);
		}
		assert_int_equal(b.n, 1000);
		assert_false(b.failed);
		for (i = 0; i < b.n; i++) {
			got = batch_item(&b, i);
			snprintf(it.id, sizeof it.id, "item-%zu", i);
			assert_string_equal(got->id, it.id);
			assert_true(got->at == (int64_t)i * 60000);
		}
		batch_free(&b);
		assert_null(b.items);
		assert_int_equal(b.n, 0);
		assert_int_equal(b.size, sizeof(struct item));
	}
}

static void
test_init(void **state)
{
	struct batch	b;
	int64_t		v = 42;

	(void)state;
	memset(&b, 0xff, sizeof b);
	batch_init(&b, sizeof v);
	assert_null(b.items);
	assert_int_equal(b.n + b.cap, 0);
	assert_false(b.failed);
	batch_add(&b, &v);
	assert_true(*(int64_t *)batch_item(&b, 0) == 42);
	batch_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grows_in_order),
		cmocka_unit_test(test_init),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
