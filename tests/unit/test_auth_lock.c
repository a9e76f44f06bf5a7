/* Unit tests for rules/auth_lock.c beyond the one-account count that
 * test_auth.c covers: the gate before a PIN is looked at, the place's
 * doubling wait, the lock at one place, and the account's lock when
 * guesses come from AUTH_HARD_PLACES places, each at its edges in
 * virtual time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "auth_lock.h"
#include "timefmt.h"

#define T0	INT64_C(1749988800000)	/* 2025-06-15T12:00:00Z */
#define LOCK_MS	(15 * MS_PER_MINUTE)

static const struct auth_policy	policy = { 5, LOCK_MS };

/* A wrong PIN at now, applied to s as the handler would store it. */
static struct auth_outcome
wrong(struct auth_state *s, int64_t now)
{
	struct auth_outcome	o;

	auth_wrong_pin(s, &policy, now, &o);
	*s = o.after;
	return o;
}

static void
test_gate_order(void **state)
{
	struct auth_state	s;
	int64_t			wait;

	(void)state;
	memset(&s, 0, sizeof s);
	assert_int_equal(auth_gate(&s, T0, &wait), AUTH_TRY);
	assert_int_equal(wait, 0);
	/* Locked here: until the last millisecond, not at its end. */
	s.here.locked_until = T0 + 10;
	assert_int_equal(auth_gate(&s, T0 + 9, &wait), AUTH_LOCKED_HERE);
	assert_int_equal(wait, 1);
	assert_int_equal(auth_gate(&s, T0 + 10, &wait), AUTH_TRY);
	/* The place's wait comes before the lock here ... */
	s.place.next_allowed = T0 + 5;
	assert_int_equal(auth_gate(&s, T0 + 4, &wait), AUTH_THROTTLED);
	assert_int_equal(wait, 1);
	assert_int_equal(auth_gate(&s, T0 + 5, &wait), AUTH_LOCKED_HERE);
	/* ... and the account's own lock before both. */
	s.account.locked_until = T0 + 20;
	assert_int_equal(auth_gate(&s, T0 + 4, &wait), AUTH_LOCKED);
	assert_int_equal(wait, 16);
	assert_int_equal(auth_gate(&s, T0 + 20, &wait), AUTH_TRY);
}

static void
test_place_free_then_doubling(void **state)
{
	struct auth_place	p;
	int64_t			now = T0;
	int			i;

	(void)state;
	memset(&p, 0, sizeof p);
	/* Twice the lock's count go free: a ward's slips never wait. */
	for (i = 1; i <= 10; i++) {
		auth_place_failed(&p, &policy, now + i);
		assert_int_equal(p.failures, i);
		assert_int_equal(p.next_allowed, 0);
	}
	now += 10;
	auth_place_failed(&p, &policy, now);
	assert_int_equal(p.next_allowed, now + 1000);
	now = p.next_allowed;
	auth_place_failed(&p, &policy, now);
	assert_int_equal(p.next_allowed, now + 2000);
	now = p.next_allowed;
	auth_place_failed(&p, &policy, now);
	assert_int_equal(p.next_allowed, now + 4000);
	/* Doubling stops at the lock's time, 15 minutes. */
	for (i = 0; i < 20; i++) {
		now = p.next_allowed;
		auth_place_failed(&p, &policy, now);
		assert_true(p.next_allowed - now <= LOCK_MS);
	}
	assert_int_equal(p.next_allowed - now, LOCK_MS);
	/* Waiting the longest wait out is no quiet spell: the next waits as
	 * long; a quiet spell after it is. */
	now = p.next_allowed;
	auth_place_failed(&p, &policy, now);
	assert_int_equal(p.next_allowed - now, LOCK_MS);
	now = p.next_allowed + LOCK_MS - 1;
	auth_place_failed(&p, &policy, now);
	assert_int_equal(p.next_allowed - now, LOCK_MS);
	now = p.next_allowed + LOCK_MS;
	auth_place_failed(&p, &policy, now);
	assert_int_equal(p.failures, 1);
}

static void
test_place_quiet_spell_forgets(void **state)
{
	struct auth_place	p;
	int			i;

	(void)state;
	memset(&p, 0, sizeof p);
	for (i = 0; i < 10; i++)
		auth_place_failed(&p, &policy, T0);
	/* One millisecond short of a quiet spell: the eleventh waits. */
	auth_place_failed(&p, &policy, T0 + LOCK_MS - 1);
	assert_int_equal(p.failures, 11);
	assert_int_equal(p.next_allowed, T0 + LOCK_MS - 1 + 1000);

	memset(&p, 0, sizeof p);
	for (i = 0; i < 10; i++)
		auth_place_failed(&p, &policy, T0);
	/* A full quiet spell: counted from one again. */
	auth_place_failed(&p, &policy, T0 + LOCK_MS);
	assert_int_equal(p.failures, 1);
	assert_int_equal(p.next_allowed, 0);
}

static void
test_lock_here_only(void **state)
{
	struct auth_state	attacker, ward;
	struct auth_outcome	o;
	int64_t			wait;
	int			i;

	(void)state;
	memset(&attacker, 0, sizeof attacker);
	memset(&ward, 0, sizeof ward);
	for (i = 1; i <= 4; i++) {
		o = wrong(&attacker, T0 + i);
		assert_int_equal(o.locked_here, 0);
		assert_int_equal(auth_gate(&attacker, T0 + i, &wait),
		    AUTH_TRY);
	}
	o = wrong(&attacker, T0 + 5);
	assert_int_equal(o.locked_here, 1);
	assert_int_equal(o.locked_account, 0);
	assert_int_equal(attacker.here.locked_until, T0 + 5 + LOCK_MS);
	assert_int_equal(attacker.account.locked_until, 0);
	assert_int_equal(auth_gate(&attacker, T0 + 6, &wait),
	    AUTH_LOCKED_HERE);
	/* Another wrong PIN while locked here locks nothing anew. */
	o = wrong(&attacker, T0 + 7);
	assert_int_equal(o.locked_here, 0);
	/* The ward's terminal, with one place locked elsewhere: untouched. */
	ward.locked_elsewhere = 1;
	assert_int_equal(auth_gate(&ward, T0 + 8, &wait), AUTH_TRY);
	/* The lock here runs out after lock_ms, to the millisecond. */
	assert_int_equal(auth_gate(&attacker, T0 + 5 + LOCK_MS - 1, &wait),
	    AUTH_LOCKED_HERE);
	assert_int_equal(auth_gate(&attacker, T0 + 5 + LOCK_MS, &wait),
	    AUTH_TRY);
}

static void
test_hard_lock_at_third_place(void **state)
{
	struct auth_state	s;
	struct auth_outcome	o;
	int64_t			wait;
	int			i, elsewhere;

	(void)state;
	for (elsewhere = 0; elsewhere < AUTH_HARD_PLACES; elsewhere++) {
		memset(&s, 0, sizeof s);
		s.locked_elsewhere = elsewhere;
		for (i = 0; i < 5; i++)
			o = wrong(&s, T0 + i);
		assert_int_equal(o.locked_here, 1);
		/* Locked at two places elsewhere, the third locks it all. */
		assert_int_equal(o.locked_account,
		    elsewhere + 1 >= AUTH_HARD_PLACES);
		assert_int_equal(auth_gate(&s, T0 + 5, &wait),
		    elsewhere + 1 >= AUTH_HARD_PLACES ? AUTH_LOCKED :
		    AUTH_LOCKED_HERE);
	}
	assert_int_equal(s.account.locked_until, T0 + 4 + LOCK_MS);
	assert_int_equal(auth_gate(&s, T0 + 4 + LOCK_MS - 1, &wait),
	    AUTH_LOCKED);
	assert_int_equal(wait, 1);
	/* Already locked everywhere: a fourth place does not lock it again
	 * (the managers were told once). */
	memset(&s.here, 0, sizeof s.here);
	s.locked_elsewhere = 3;
	for (i = 0; i < 5; i++)
		o = wrong(&s, T0 + 10 + i);
	assert_int_equal(o.locked_here, 1);
	assert_int_equal(o.locked_account, 0);
	assert_int_equal(s.account.locked_until, T0 + 4 + LOCK_MS);
}

static void
test_right_pin_clears_here_and_place(void **state)
{
	struct auth_state	s;
	int64_t			wait;
	int			i;

	(void)state;
	memset(&s, 0, sizeof s);
	for (i = 0; i < 4; i++)
		(void)wrong(&s, T0);
	s.place.failures = 12;
	s.place.next_allowed = T0 + 2000;
	s.account.locked_until = T0 + 1;	/* not the right PIN's to lift */
	auth_right_pin(&s);
	assert_int_equal(s.here.failures, 0);
	assert_int_equal(s.place.failures, 0);
	assert_int_equal(s.place.next_allowed, 0);
	assert_int_equal(s.account.locked_until, T0 + 1);
	assert_int_equal(auth_gate(&s, T0 + 1, &wait), AUTH_TRY);
}

/* What a person is told after each wrong PIN: the tries left before the
 * lock (4, 3, 2, 1), then when it lifts; an account locked everywhere,
 * that lock's end; a name nobody has, from the place's count, the same
 * 4, 3, 2, 1 as an account tried only from here, never 0 nor a lock. */
static void
test_wrong_pin_told(void **state)
{
	struct auth_state	s;
	struct auth_outcome	o;
	int			tries, i;
	int64_t			until;

	(void)state;
	memset(&s, 0, sizeof s);
	for (i = 1; i <= 4; i++) {
		auth_wrong_pin(&s, &policy, T0 + i, &o);
		s = o.after;
		auth_wrong_pin_told(&s, 1, &policy, T0 + i, &tries, &until);
		assert_int_equal(tries, 5 - i);
		assert_int_equal(until, 0);
	}
	auth_wrong_pin(&s, &policy, T0 + 5, &o);
	s = o.after;
	auth_wrong_pin_told(&s, 1, &policy, T0 + 5, &tries, &until);
	assert_int_equal(tries, 0);
	assert_int_equal(until, T0 + 5 + LOCK_MS);
	/* Still locked later: the same end; lifted: tries again. */
	auth_wrong_pin_told(&s, 1, &policy, T0 + 60000, &tries, &until);
	assert_int_equal(until, T0 + 5 + LOCK_MS);
	auth_wrong_pin_told(&s, 1, &policy, T0 + 5 + LOCK_MS, &tries, &until);
	assert_int_equal(until, 0);
	assert_int_equal(tries, 5);
	/* Locked everywhere: the account's own lock is the one said. */
	memset(&s, 0, sizeof s);
	s.account.locked_until = T0 + 2 * LOCK_MS;
	auth_wrong_pin_told(&s, 1, &policy, T0, &tries, &until);
	assert_int_equal(until, T0 + 2 * LOCK_MS);
	assert_int_equal(tries, 0);
	/* A name nobody has. */
	memset(&s, 0, sizeof s);
	for (i = 1; i <= 8; i++) {
		auth_place_failed(&s.place, &policy, T0 + i);
		auth_wrong_pin_told(&s, 0, &policy, T0 + i, &tries, &until);
		assert_int_equal(tries, i < 5 ? 5 - i : 1);
		assert_int_equal(until, 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gate_order),
		cmocka_unit_test(test_place_free_then_doubling),
		cmocka_unit_test(test_place_quiet_spell_forgets),
		cmocka_unit_test(test_lock_here_only),
		cmocka_unit_test(test_hard_lock_at_third_place),
		cmocka_unit_test(test_right_pin_clears_here_and_place),
		cmocka_unit_test(test_wrong_pin_told),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
