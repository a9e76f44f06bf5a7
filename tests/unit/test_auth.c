/* Unit tests for auth.c: PIN hashing, lockout arithmetic and bearer
 * tokens. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "auth.h"
#include "timefmt.h"

#define T0	INT64_C(1749988800000)	/* 2025-06-15T12:00:00Z */
#define LOCK_MS	(15 * MS_PER_MINUTE)

static const struct auth_policy	policy = { 5, LOCK_MS };

static void
test_pin_hash_verify(void **state)
{
	char	hash[AUTH_HASH_LEN];

	(void)state;
	memset(hash, 0, sizeof hash);
	assert_int_equal(auth_pin_hash("4821", hash), 0);
	assert_int_equal(strncmp(hash, "$y$", 3), 0);
	assert_true(strlen(hash) > 3 + 40);
	assert_true(strlen(hash) < AUTH_HASH_LEN);
	/* The PIN is not in the hash. */
	assert_null(strstr(hash, "4821"));

	assert_int_equal(auth_pin_verify("4821", hash), 1);
	assert_int_equal(auth_pin_verify("4822", hash), 0);
	assert_int_equal(auth_pin_verify("1284", hash), 0);
	assert_int_equal(auth_pin_verify("482", hash), 0);
	assert_int_equal(auth_pin_verify("48210", hash), 0);
	assert_int_equal(auth_pin_verify("", hash), 0);
	/* Verifying twice gives the same answer (no state kept). */
	assert_int_equal(auth_pin_verify("4821", hash), 1);
}

static void
test_pin_hash_salted(void **state)
{
	char	a[AUTH_HASH_LEN], b[AUTH_HASH_LEN];

	(void)state;
	assert_int_equal(auth_pin_hash("123456789012", a), 0);
	assert_int_equal(auth_pin_hash("123456789012", b), 0);
	assert_int_equal(strncmp(a, "$y$", 3), 0);
	assert_int_equal(strncmp(b, "$y$", 3), 0);
	assert_string_not_equal(a, b);
	/* Each verifies on its own. */
	assert_int_equal(auth_pin_verify("123456789012", a), 1);
	assert_int_equal(auth_pin_verify("123456789012", b), 1);
	assert_int_equal(auth_pin_verify("12345678901", a), 0);
}

static void
test_pin_verify_bad_hash(void **state)
{
	char	hash[AUTH_HASH_LEN];

	(void)state;
	assert_int_equal(auth_pin_verify("1234", ""), 0);
	assert_int_equal(auth_pin_verify("1234", "*"), 0);
	assert_int_equal(auth_pin_verify("1234", "*0"), 0);
	assert_int_equal(auth_pin_verify("1234", "$y$"), 0);
	assert_int_equal(auth_pin_verify("1234", "!locked"), 0);
	/* A hash cut short or with a byte changed does not match. */
	assert_int_equal(auth_pin_hash("1234", hash), 0);
	hash[strlen(hash) - 1] = hash[strlen(hash) - 1] == 'A' ? 'B' : 'A';
	assert_int_equal(auth_pin_verify("1234", hash), 0);
	hash[strlen(hash) - 1] = '\0';
	assert_int_equal(auth_pin_verify("1234", hash), 0);
}

static void
test_lockout_fifth_failure_locks(void **state)
{
	struct auth_lock	lock = { 0, 0 };
	int			i;

	(void)state;
	assert_int_equal(auth_is_locked(&lock, T0), 0);
	for (i = 1; i <= 4; i++) {
		auth_failed(&lock, &policy, T0 + i * MS_PER_SECOND);
		assert_int_equal(lock.failures, i);
		assert_int_equal(lock.locked_until, 0);
		assert_int_equal(auth_is_locked(&lock, T0 + i * MS_PER_SECOND),
		    0);
	}
	/* The fifth locks for fifteen minutes from its own time. */
	auth_failed(&lock, &policy, T0 + 5 * MS_PER_SECOND);
	assert_int_equal(lock.locked_until, T0 + 5 * MS_PER_SECOND + LOCK_MS);
	assert_int_equal(lock.failures, 0);
	assert_int_equal(auth_is_locked(&lock, T0 + 5 * MS_PER_SECOND), 1);
	assert_int_equal(auth_is_locked(&lock,
	    T0 + 5 * MS_PER_SECOND + 14 * MS_PER_MINUTE + 59999), 1);
	assert_int_equal(auth_is_locked(&lock,
	    T0 + 5 * MS_PER_SECOND + LOCK_MS - 1), 1);
	assert_int_equal(auth_is_locked(&lock,
	    T0 + 5 * MS_PER_SECOND + LOCK_MS), 0);
	assert_int_equal(auth_is_locked(&lock,
	    T0 + 5 * MS_PER_SECOND + LOCK_MS + 1), 0);
}

static void
test_lockout_restarts_after_lock(void **state)
{
	struct auth_lock	lock = { 0, 0 };
	int64_t			now = T0, until;
	int			i;

	(void)state;
	for (i = 0; i < 5; i++)
		auth_failed(&lock, &policy, now);
	until = now + LOCK_MS;
	assert_int_equal(lock.locked_until, until);

	/* At the end of the lock, the count starts again from nothing: one
	 * failure clears the old lock and does not lock again. */
	now = until;
	assert_int_equal(auth_is_locked(&lock, now), 0);
	for (i = 1; i <= 4; i++) {
		auth_failed(&lock, &policy, now + i);
		assert_int_equal(lock.failures, i);
		assert_int_equal(lock.locked_until, 0);
		assert_int_equal(auth_is_locked(&lock, now + i), 0);
	}
	auth_failed(&lock, &policy, now + 5);
	assert_int_equal(lock.failures, 0);
	assert_int_equal(lock.locked_until, now + 5 + LOCK_MS);
	assert_int_equal(auth_is_locked(&lock, now + 5 + LOCK_MS - 1), 1);
	assert_int_equal(auth_is_locked(&lock, now + 5 + LOCK_MS), 0);
}

static void
test_lockout_success_clears(void **state)
{
	struct auth_lock	lock = { 0, 0 };
	int			i;

	(void)state;
	for (i = 0; i < 4; i++)
		auth_failed(&lock, &policy, T0);
	assert_int_equal(lock.failures, 4);
	auth_succeeded(&lock);
	assert_int_equal(lock.failures, 0);
	assert_int_equal(lock.locked_until, 0);
	/* Four more after a success still do not lock: the count was
	 * cleared, not merely paused. */
	for (i = 0; i < 4; i++)
		auth_failed(&lock, &policy, T0 + 1);
	assert_int_equal(auth_is_locked(&lock, T0 + 1), 0);
	assert_int_equal(lock.failures, 4);
	/* The fifth does. */
	auth_failed(&lock, &policy, T0 + 2);
	assert_int_equal(auth_is_locked(&lock, T0 + 2), 1);

	/* A success (e.g. an administrator's reset) clears a lock. */
	auth_succeeded(&lock);
	assert_int_equal(lock.locked_until, 0);
	assert_int_equal(lock.failures, 0);
	assert_int_equal(auth_is_locked(&lock, T0 + 3), 0);
}

static void
test_lockout_policy_of_one(void **state)
{
	const struct auth_policy	one = { 1, MS_PER_MINUTE };
	struct auth_lock		lock = { 0, 0 };

	(void)state;
	auth_failed(&lock, &one, T0);
	assert_int_equal(lock.locked_until, T0 + MS_PER_MINUTE);
	assert_int_equal(auth_is_locked(&lock, T0 + MS_PER_MINUTE - 1), 1);
	assert_int_equal(auth_is_locked(&lock, T0 + MS_PER_MINUTE), 0);
}

/* Whether s is n lower-case hex digits. */
static int
is_hex(const char *s, size_t n)
{
	return strlen(s) == n && strspn(s, "0123456789abcdef") == n;
}

static void
test_token_new(void **state)
{
	char	a[AUTH_TOKEN_LEN], b[AUTH_TOKEN_LEN];

	(void)state;
	memset(a, 'X', sizeof a);
	memset(b, 'X', sizeof b);
	assert_int_equal(auth_token_new(a), 0);
	assert_int_equal(auth_token_new(b), 0);
	assert_true(is_hex(a, 64));
	assert_true(is_hex(b, 64));
	assert_string_not_equal(a, b);
}

static void
test_token_hash(void **state)
{
	char	out[DIGEST_HEX_LEN], token[AUTH_TOKEN_LEN];
	char	again[DIGEST_HEX_LEN];

	(void)state;
	/* FIPS 180-2 test vectors. */
	assert_int_equal(auth_token_hash("abc", out), 0);
	assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	assert_int_equal(auth_token_hash("", out), 0);
	assert_string_equal(out, "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
	assert_int_equal(auth_token_hash("abcdbcdecdefdefgefghfghighijhijk"
	    "ijkljklmklmnlmnomnopnopq", out), 0);
	assert_string_equal(out, "248d6a61d20638b8e5c026930c3e6039"
	    "a33ce45964ff2167f6ecedd419db06c1");

	/* A real token hashes to 64 hex digits, not to itself, and the
	 * same each time. */
	assert_int_equal(auth_token_new(token), 0);
	assert_int_equal(auth_token_hash(token, out), 0);
	assert_int_equal(auth_token_hash(token, again), 0);
	assert_true(is_hex(out, 64));
	assert_string_not_equal(out, token);
	assert_string_equal(out, again);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_pin_hash_verify),
		cmocka_unit_test(test_pin_hash_salted),
		cmocka_unit_test(test_pin_verify_bad_hash),
		cmocka_unit_test(test_lockout_fifth_failure_locks),
		cmocka_unit_test(test_lockout_restarts_after_lock),
		cmocka_unit_test(test_lockout_success_clears),
		cmocka_unit_test(test_lockout_policy_of_one),
		cmocka_unit_test(test_token_new),
		cmocka_unit_test(test_token_hash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
