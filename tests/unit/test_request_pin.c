/* Unit tests for request_pin.c: a handler's PIN check is new work the
 * first time (-1, the run to be rolled back), its verdict the next run,
 * found only for the same PIN and the same hash (a PIN changed meanwhile
 * is new work), urgent only when the caller is signed in or at an
 * enrolled terminal; a request's
 * table is bounded; with no table the PIN is checked on the spot. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "auth.h"
#include "request.h"
#include "request_pin.h"

/* A request with an empty table, as http.c gives each. */
static void
request_with(struct request *r, struct request_pins *t, int signed_in)
{
	memset(r, 0, sizeof *r);
	memset(t, 0, sizeof *t);
	r->pins = t;
	r->signed_in = signed_in;
}

/* What the pool would have done with every new job. */
static void
pool_answers(struct request_pins *t, int result)
{
	struct pin_job	*jobs[REQUEST_MAX_PINS];
	int		 i, n = request_pins_new(t, jobs);

	for (i = 0; i < n; i++) {
		jobs[i]->state = PIN_JOB_DONE;
		jobs[i]->result = result;
		if (jobs[i]->work == PIN_HASH)
			strcpy(jobs[i]->hash, "$y$j9T$salt$hash");
	}
}

/* A verdict waits for the pool, then is found by PIN and hash. */
static void
test_verify_twice(void **state)
{
	struct request		r;
	struct request_pins	t;

	(void)state;
	request_with(&r, &t, 1);
	assert_int_equal(request_pin_verify(&r, "4821", "$y$a"), -1);
	assert_true(request_pins_wanted(&r));
	assert_int_equal(r.status, 503);	/* never sent: rolled back */
	assert_int_equal(t.urgent, 1);
	pool_answers(&t, 1);
	assert_false(request_pins_wanted(&r));
	assert_int_equal(request_pin_verify(&r, "4821", "$y$a"), 1);
	assert_false(request_pins_wanted(&r));
	json_decref(r.reply);
}

/* The verdict is for that hash: the same PIN against a PIN changed
 * meanwhile, or another PIN, is new work. */
static void
test_verdict_for_that_hash(void **state)
{
	struct request		r;
	struct request_pins	t;

	(void)state;
	request_with(&r, &t, 0);
	assert_int_equal(request_pin_verify(&r, "4821", "$y$a"), -1);
	pool_answers(&t, 0);
	assert_int_equal(t.urgent, 0);		/* a sign-in's */
	assert_int_equal(request_pin_verify(&r, "4821", "$y$a"), 0);
	assert_int_equal(request_pin_verify(&r, "4821", "$y$b"), -1);
	assert_true(request_pins_wanted(&r));
	assert_int_equal(request_pin_verify(&r, "4822", "$y$a"), -1);
	assert_int_equal(t.n, 3);
	json_decref(r.reply);
}

/* A sign-in at an enrolled terminal goes before the others. */
static void
test_terminal_urgent(void **state)
{
	struct request		r;
	struct request_pins	t;

	(void)state;
	request_with(&r, &t, 0);
	strcpy(r.terminal_id, "5d0c2a8e-52e5-4c47-9a43-0f4a43f8a3b1");
	assert_int_equal(request_pin_verify(&r, "4821", "$y$a"), -1);
	assert_int_equal(t.urgent, 1);
	json_decref(r.reply);
}

/* A new PIN's hash waits for the pool, then is copied out. */
static void
test_hash(void **state)
{
	struct request		r;
	struct request_pins	t;
	char			out[AUTH_HASH_LEN];

	(void)state;
	request_with(&r, &t, 1);
	assert_int_equal(request_pin_hash(&r, "123456", out), -1);
	pool_answers(&t, 0);
	assert_int_equal(request_pin_hash(&r, "123456", out), 0);
	assert_string_equal(out, "$y$j9T$salt$hash");
	json_decref(r.reply);
}

/* A request asks for at most REQUEST_MAX_PINS; the next is refused with
 * an answer, not queued. */
static void
test_table_bound(void **state)
{
	struct request		r;
	struct request_pins	t;
	char			pin[8];
	int			i;

	(void)state;
	request_with(&r, &t, 1);
	for (i = 0; i < REQUEST_MAX_PINS; i++) {
		snprintf(pin, sizeof pin, "%d", 1000 + i);
		assert_int_equal(request_pin_verify(&r, pin, "$y$a"), -1);
	}
	pool_answers(&t, 0);
	assert_int_equal(request_pin_verify(&r, "9999", "$y$a"), -1);
	assert_false(request_pins_wanted(&r));
	assert_int_equal(t.n, REQUEST_MAX_PINS);
	assert_int_equal(r.status, 503);
	json_decref(r.reply);
}

/* With no table (the fuzz targets), the PIN is checked on the spot. */
static void
test_no_table(void **state)
{
	struct request	r;
	char		hash[AUTH_HASH_LEN];

	(void)state;
	memset(&r, 0, sizeof r);
	assert_int_equal(request_pin_hash(&r, "4821", hash), 0);
	assert_int_equal(request_pin_verify(&r, "4821", hash), 1);
	assert_int_equal(request_pin_verify(&r, "4822", hash), 0);
	assert_false(request_pins_wanted(&r));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verify_twice),
		cmocka_unit_test(test_verdict_for_that_hash),
		cmocka_unit_test(test_terminal_urgent),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_table_bound),
		cmocka_unit_test(test_no_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
