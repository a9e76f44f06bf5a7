/* PIN lockout: how failed PINs lock an account at a place, throttle the
 * place, and lock the account everywhere.  Pure: the store keeps the
 * counts, the sign-in and witness handlers apply what this decides.
 *
 * Guesses lock the guesser's place (a terminal, or a source address where
 * no terminal was presented) for that account, so that someone elsewhere
 * on the network cannot lock the nurse at the ward's terminal out.  A
 * place that keeps guessing, at any accounts or none, waits longer after
 * each wrong PIN.  Guesses spread over AUTH_HARD_PLACES places lock the
 * account everywhere, and the managers are told. */
#include "auth_lock.h"

/* Whether the account is locked at now. */
int
auth_is_locked(const struct auth_lock *lock, int64_t now)
{
	return lock->locked_until > now;
}

/* Count a failed PIN; the Nth in a row locks the account for the policy's
 * time and starts the count again. */
void
auth_failed(struct auth_lock *lock, const struct auth_policy *policy,
    int64_t now)
{
	if (lock->locked_until != 0 && lock->locked_until <= now)
		lock->locked_until = 0;
	if (++lock->failures >= policy->max_failures) {
		lock->locked_until = now + policy->lock_ms;
		lock->failures = 0;
	}
}

/* A correct PIN clears the count of failures. */
void
auth_succeeded(struct auth_lock *lock)
{
	lock->failures = 0;
	lock->locked_until = 0;
}

/* Whether a PIN from this place for this account may be looked at now:
 * the account's own lock first, then the place's wait, then the lock at
 * this place.  *wait_ms is how long until it may (0 for AUTH_TRY). */
enum auth_gate
auth_gate(const struct auth_state *s, int64_t now, int64_t *wait_ms)
{
	*wait_ms = 0;
	if (auth_is_locked(&s->account, now)) {
		*wait_ms = s->account.locked_until - now;
		return AUTH_LOCKED;
	}
	if (s->place.next_allowed > now) {
		*wait_ms = s->place.next_allowed - now;
		return AUTH_THROTTLED;
	}
	if (auth_is_locked(&s->here, now)) {
		*wait_ms = s->here.locked_until - now;
		return AUTH_LOCKED_HERE;
	}
	return AUTH_TRY;
}

/* Count a wrong PIN (or an unknown username) at a place.  Twice the
 * policy's failures go free, so a busy ward terminal's slips never wait;
 * after that each one doubles the wait, up to lock_ms.  A quiet spell of
 * lock_ms, from when the place might try again, forgets the count (from
 * the last failure, the longest wait would itself be a quiet spell). */
void
auth_place_failed(struct auth_place *p, const struct auth_policy *policy,
    int64_t now)
{
	int	allowed = 2 * policy->max_failures, over;
	int64_t	wait = AUTH_THROTTLE_BASE_MS, quiet_from;

	quiet_from = p->next_allowed > p->last_failure ? p->next_allowed :
	    p->last_failure;
	if (p->failures > 0 && now - quiet_from >= policy->lock_ms)
		p->failures = 0;
	p->failures++;
	p->last_failure = now;
	if ((over = p->failures - allowed) <= 0)
		return;
	while (--over > 0 && wait < policy->lock_ms)
		wait *= 2;
	p->next_allowed = now + (wait < policy->lock_ms ? wait :
	    policy->lock_ms);
}

/* What a wrong PIN for a known account at a place does: count it at the
 * place and for the account there; the one that locks the account at its
 * AUTH_HARD_PLACES-th place at once locks it everywhere. */
void
auth_wrong_pin(const struct auth_state *s, const struct auth_policy *policy,
    int64_t now, struct auth_outcome *out)
{
	int	was_here = auth_is_locked(&s->here, now);

	out->after = *s;
	out->locked_here = out->locked_account = 0;
	auth_place_failed(&out->after.place, policy, now);
	auth_failed(&out->after.here, policy, now);
	if (was_here || !auth_is_locked(&out->after.here, now))
		return;
	out->locked_here = 1;
	if (s->locked_elsewhere + 1 >= AUTH_HARD_PLACES &&
	    !auth_is_locked(&s->account, now)) {
		out->after.account.locked_until = now + policy->lock_ms;
		out->after.account.failures = 0;
		out->locked_account = 1;
	}
}

/* A right PIN clears the count for the account at the place, and the
 * place's own: its slips were a person's, who now got it right. */
void
auth_right_pin(struct auth_state *s)
{
	auth_succeeded(&s->here);
	s->place.failures = 0;
	s->place.next_allowed = 0;
}

/* What a person is told after a wrong PIN, from the state it left: how
 * many more wrong PINs lock the account at this place (0: it is locked),
 * and until when it is locked (0: it is not).  An unknown username (known
 * 0) is answered from the place's count, as an account tried only from
 * here would be, so that up to the lock the answer does not tell a name
 * nobody has from one somebody has. */
void
auth_wrong_pin_told(const struct auth_state *after, int known,
    const struct auth_policy *policy, int64_t now, int *tries_left,
    int64_t *locked_until)
{
	int	used;

	*locked_until = 0;
	if (known && auth_is_locked(&after->account, now))
		*locked_until = after->account.locked_until;
	else if (known && auth_is_locked(&after->here, now))
		*locked_until = after->here.locked_until;
	if (*locked_until != 0) {
		*tries_left = 0;
		return;
	}
	used = known ? after->here.failures : after->place.failures;
	if (!known && used > policy->max_failures - 1)
		used = policy->max_failures - 1;
	*tries_left = policy->max_failures - used;
	if (*tries_left < 0)
		*tries_left = 0;
}
