/* PINs and bearer tokens (the lockout rule is rules/auth_lock.h). */
#ifndef IDTSD_AUTH_H
#define IDTSD_AUTH_H

#include <stdint.h>

#include "auth_lock.h"
#include "digest.h"

#define AUTH_TOKEN_LEN	65	/* 32 random bytes as hex, and NUL */

int	auth_pin_hash(const char *pin, char out[AUTH_HASH_LEN]);
int	auth_pin_verify(const char *pin, const char *hash);
const char *auth_dummy_hash(void);

int	auth_token_new(char out[AUTH_TOKEN_LEN]);
int	auth_token_hash(const char *token, char out[DIGEST_HEX_LEN]);

#endif
