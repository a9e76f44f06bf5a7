/* SHA-256 as lower-case hex, through OpenSSL's EVP interface. */
#ifndef IDTSD_DIGEST_H
#define IDTSD_DIGEST_H

#include <stddef.h>

#define DIGEST_HEX_LEN	65	/* 64 hex digits and NUL */

int	digest_sha256_hex(const void *parts[], const size_t lens[], size_t n,
	    char out[DIGEST_HEX_LEN]);
int	digest_hex_to_bytes(const char *hex, unsigned char *out, size_t n);
void	digest_bytes_to_hex(const unsigned char *in, size_t n, char *out);

#endif
