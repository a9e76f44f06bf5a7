/* PIN lockout: the policy, the state kept with each staff record, and the
 * rule that counts failures.  Pure. */
#ifndef IDTSD_AUTH_LOCK_H
#define IDTSD_AUTH_LOCK_H

#include <stdint.h>

#define AUTH_HASH_LEN	128	/* a yescrypt hash string and NUL */

/* How many failed PINs lock an account, and for how long. */
struct auth_policy {
	int	max_failures;
	int64_t	lock_ms;
};

/* The lockout state kept with each staff record. */
struct auth_lock {
	int	failures;
	int64_t	locked_until;	/* 0 when not locked */
};

int	auth_is_locked(const struct auth_lock *lock, int64_t now);
void	auth_failed(struct auth_lock *lock, const struct auth_policy *policy,
	    int64_t now);
void	auth_succeeded(struct auth_lock *lock);

#endif
