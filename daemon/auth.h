/* PINs, lockout and bearer tokens. */
#ifndef IDTSD_AUTH_H
#define IDTSD_AUTH_H

#include <stdint.h>

#include "digest.h"

#define AUTH_HASH_LEN	128	/* a yescrypt hash string and NUL */
#define AUTH_TOKEN_LEN	65	/* 32 random bytes as hex, and NUL */

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

int	auth_pin_hash(const char *pin, char out[AUTH_HASH_LEN]);
int	auth_pin_verify(const char *pin, const char *hash);

int	auth_is_locked(const struct auth_lock *lock, int64_t now);
void	auth_failed(struct auth_lock *lock, const struct auth_policy *policy,
	    int64_t now);
void	auth_succeeded(struct auth_lock *lock);

int	auth_token_new(char out[AUTH_TOKEN_LEN]);
int	auth_token_hash(const char *token, char out[DIGEST_HEX_LEN]);

#endif
