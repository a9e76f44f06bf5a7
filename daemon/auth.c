/* PINs are hashed with yescrypt through libcrypt and compared in constant
 * time; tokens come from the kernel's random source and are stored only as
 * their SHA-256, so a copy of the database signs nobody in. */
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <crypt.h>
#include <openssl/crypto.h>

#include "auth.h"

/* Hash a PIN with a fresh yescrypt salt at libcrypt's default cost. */
int
auth_pin_hash(const char *pin, char out[AUTH_HASH_LEN])
{
	char			 salt[CRYPT_GENSALT_OUTPUT_SIZE];
	struct crypt_data	 data;
	const char		*h;

	if (crypt_gensalt_rn("$y$", 0, NULL, 0, salt, sizeof salt) == NULL)
		return -1;
	memset(&data, 0, sizeof data);
	h = crypt_rn(pin, salt, &data, sizeof data);
	if (h == NULL || h[0] == '*' || strlen(h) >= AUTH_HASH_LEN)
		return -1;
	strcpy(out, h);
	explicit_bzero(&data, sizeof data);
	return 0;
}

/* Whether pin matches hash; 1 yes, 0 no. */
int
auth_pin_verify(const char *pin, const char *hash)
{
	struct crypt_data	 data;
	const char		*h;
	size_t			 n = strlen(hash);
	int			 ok;

	memset(&data, 0, sizeof data);
	h = crypt_rn(pin, hash, &data, sizeof data);
	ok = h != NULL && h[0] != '*' && strlen(h) == n &&
	    CRYPTO_memcmp(h, hash, n) == 0;
	explicit_bzero(&data, sizeof data);
	return ok;
}

/* A hash to check a PIN against for an unknown username, so that the
 * answer takes as long as for a wrong PIN: made on the first call, which
 * the daemon makes before its loop and its PIN threads start. */
const char *
auth_dummy_hash(void)
{
	static char	dummy[AUTH_HASH_LEN];

	if (dummy[0] == '\0' && auth_pin_hash("000000", dummy) == -1)
		return "*";
	return dummy;
}

/* A new bearer token: 256 bits from getrandom(2), as hex. */
int
auth_token_new(char out[AUTH_TOKEN_LEN])
{
	unsigned char	buf[32];
	size_t		got = 0;
	ssize_t		n;

	while (got < sizeof buf) {
		n = getrandom(buf + got, sizeof buf - got, 0);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		got += (size_t)n;
	}
	digest_bytes_to_hex(buf, sizeof buf, out);
	explicit_bzero(buf, sizeof buf);
	return 0;
}

/* What the store keeps of a token: its SHA-256. */
int
auth_token_hash(const char *token, char out[DIGEST_HEX_LEN])
{
	const void	*parts[] = { token };
	const size_t	 lens[] = { strlen(token) };

	return digest_sha256_hex(parts, lens, 1, out);
}
