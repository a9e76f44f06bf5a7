/* Ed25519 signatures through OpenSSL's EVP interface, with the private
 * key in a PEM file that only its owner may read: the audit chain's
 * anchors (audit.key) and, later, signed transfer documents. */
#ifndef IDTSD_SIGNING_H
#define IDTSD_SIGNING_H

#include <stddef.h>

#define SIGNING_SIG_LEN		64	/* an Ed25519 signature */
#define SIGNING_SIG_HEX_LEN	(2 * SIGNING_SIG_LEN + 1)
#define SIGNING_PUBLIC_LEN	32	/* an Ed25519 public key */

struct signing_key;

struct signing_key *signing_key_load(const char *path, const char **why);
struct signing_key *signing_public_read(const char *pem);
int	signing_key_write(const char *path, const char **why);
void	signing_key_free(struct signing_key *);
int	signing_sign(const struct signing_key *, const void *msg, size_t len,
	    char sig_hex[SIGNING_SIG_HEX_LEN]);
int	signing_verify(const struct signing_key *, const void *msg,
	    size_t len, const char *sig_hex);
char	*signing_public_pem(const struct signing_key *);
int	signing_public_raw(const struct signing_key *,
	    unsigned char raw[SIGNING_PUBLIC_LEN]);

#endif
