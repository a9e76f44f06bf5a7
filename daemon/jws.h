/* Signed transfer documents: a detached compact JWS (RFC 7515 appendix F,
 * EdDSA over Ed25519 as RFC 8037 says) over a FHIR Bundle's canonical
 * JSON, carried in the Bundle's own `signature` element.  See "Transfer
 * documents" in docs/design.md for the canonical form. */
#ifndef IDTSD_JWS_H
#define IDTSD_JWS_H

#include <stddef.h>

#include <jansson.h>

#include "refusal.h"

#define JWS_CODE_MAX	16	/* an establishment's code, the JWS kid */
#define JWS_NAME_MAX	120
/* How a canonical form is written: compact, keys sorted, only ASCII, and
 * decimals to 15 significant digits (as every answer is written). */
#define JWS_CANONICAL_FLAGS	(JSON_COMPACT | JSON_SORT_KEYS | \
	    JSON_ENSURE_ASCII | JSON_REAL_PRECISION(15))
/* Bundle.signature.type: ASTM E1762-95 "Verification Signature". */
#define JWS_SIG_TYPE_SYSTEM	"urn:iso-astm:E1762-95:2013"
#define JWS_SIG_TYPE_CODE	"1.2.840.10065.1.12.1.5"
#define JWS_ESTABLISHMENT_SYSTEM "urn:idtsd:establishment"

struct signing_key;

/* One establishment whose documents this one accepts. */
struct trusted {
	char			 code[JWS_CODE_MAX + 1];
	char			 name[JWS_NAME_MAX * 4 + 1];
	struct signing_key	*key;
};

struct trust {
	const struct trusted	*list;
	size_t			 n;
};

int	 jws_code_valid(const char *code);
char	*jws_canonical(const json_t *bundle);
char	*jws_sign_detached(const struct signing_key *, const char *kid,
	    const void *payload, size_t len);
int	 jws_sign_document(json_t *bundle, const struct signing_key *,
	    const char *code, const char *name, const char *when);
int	 jws_verify_document(const json_t *bundle, const struct trust *,
	    struct refusal *why);
char	*jws_base64url(const unsigned char *in, size_t len);
json_t	*jws_public_jwk(const struct signing_key *, const char *kid);

#endif
