/* PIN lockout: the policy, the state kept for each account, for each
 * account at each place, and for each place, and the rule that decides
 * what a wrong PIN does.  Pure. */
#ifndef IDTSD_AUTH_LOCK_H
#define IDTSD_AUTH_LOCK_H

#include <stdint.h>

#define AUTH_HASH_LEN	128	/* a yescrypt hash string and NUL */

/* A place a PIN is tried from: "terminal:" and an id, or "address:" and
 * the source address where no terminal was presented ("address:loopback"
 * for every loopback address). */
#define AUTH_PLACE_LEN	80

/* Places that, each locked for one account at once, lock the account
 * everywhere (and tell the managers). */
#define AUTH_HARD_PLACES	3

/* The first delay a throttled place waits, doubled at each wrong PIN. */
#define AUTH_THROTTLE_BASE_MS	1000

/* How many failed PINs lock an account at a place, and for how long; a
 * place is throttled after twice that many across every account, for at
 * most lock_ms, and forgets its failures after lock_ms without one. */
struct auth_policy {
	int	max_failures;
	int64_t	lock_ms;
};

/* A lock: of an account everywhere (kept with each staff record), or of
 * an account at one place. */
struct auth_lock {
	int	failures;
	int64_t	locked_until;	/* 0 when not locked */
};

/* A place's wrong PINs, for every account and for unknown usernames. */
struct auth_place {
	int	failures;
	int64_t	last_failure;
	int64_t	next_allowed;	/* no PIN is looked at before; 0: none */
};

/* What is known before a PIN from a place is looked at. */
struct auth_state {
	struct auth_place	place;
	struct auth_lock	here;		/* this account at this place */
	struct auth_lock	account;	/* this account everywhere */
	int			locked_elsewhere; /* other places, now */
};

enum auth_gate {
	AUTH_TRY,		/* look at the PIN */
	AUTH_THROTTLED,		/* the place must wait */
	AUTH_LOCKED_HERE,	/* the account, at this place */
	AUTH_LOCKED,		/* the account, everywhere */
};

/* What a wrong PIN changes. */
struct auth_outcome {
	struct auth_state	after;
	int			locked_here;	/* this one locked it here */
	int			locked_account;	/* ... and everywhere */
};

int	auth_is_locked(const struct auth_lock *lock, int64_t now);
void	auth_failed(struct auth_lock *lock, const struct auth_policy *policy,
	    int64_t now);
void	auth_succeeded(struct auth_lock *lock);
enum auth_gate auth_gate(const struct auth_state *, int64_t now,
	    int64_t *wait_ms);
void	auth_place_failed(struct auth_place *, const struct auth_policy *,
	    int64_t now);
void	auth_wrong_pin(const struct auth_state *, const struct auth_policy *,
	    int64_t now, struct auth_outcome *);
void	auth_right_pin(struct auth_state *);
void	auth_wrong_pin_told(const struct auth_state *after, int known,
	    const struct auth_policy *, int64_t now, int *tries_left,
	    int64_t *locked_until);

#endif
