/* PIN lockout: how failed PINs lock an account.  Pure: the store keeps
 * the count, the sign-in and witness handlers apply what this decides. */
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
