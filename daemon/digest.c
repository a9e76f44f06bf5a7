/* SHA-256 over several parts, for the audit chain, token storage and
 * idempotency fingerprints. */
#include <string.h>

#include <openssl/evp.h>

#include "digest.h"

/* Hash the concatenation of n parts; returns -1 if OpenSSL fails. */
int
digest_sha256_hex(const void *parts[], const size_t lens[], size_t n,
    char out[DIGEST_HEX_LEN])
{
	EVP_MD_CTX	*ctx;
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen = 0;
	size_t		 i;
	int		 ok;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return -1;
	ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	for (i = 0; ok && i < n; i++)
		ok = EVP_DigestUpdate(ctx, parts[i], lens[i]);
	if (ok)
		ok = EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	if (!ok || mdlen != 32)
		return -1;
	digest_bytes_to_hex(md, mdlen, out);
	return 0;
}

/* Lower-case hex of n bytes; out holds 2n+1 characters. */
void
digest_bytes_to_hex(const unsigned char *in, size_t n, char *out)
{
	static const char	hex[] = "0123456789abcdef";
	size_t			i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[in[i] >> 4];
		out[2 * i + 1] = hex[in[i] & 0xf];
	}
	out[2 * n] = '\0';
}

/* Read exactly 2n hex digits into n bytes. */
int
digest_hex_to_bytes(const char *hex, unsigned char *out, size_t n)
{
	size_t	i;

	if (strlen(hex) != 2 * n)
		return -1;
	for (i = 0; i < 2 * n; i++) {
		char	c = hex[i];
		int	v;

		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else
			return -1;
		if (i % 2 == 0)
			out[i / 2] = (unsigned char)(v << 4);
		else
			out[i / 2] |= (unsigned char)v;
	}
	return 0;
}
