/* A detached compact JWS over a FHIR Bundle's canonical JSON, composed
 * over OpenSSL's EVP (signing.c): neither JOSE library Debian ships
 * (libcjose 0.6.2, libjwt 1.10.2) knows EdDSA or a detached payload; see
 * "Transfer documents" in docs/design.md.  tests/unit/test_jws.c and
 * tests/integration/t_fhir_documents.sh check it against python3-jwcrypto
 * both ways.
 *
 * The JWS is header..signature: the protected header {"alg":"EdDSA",
 * "kid":code}, an empty payload part (appendix F of RFC 7515: the payload
 * travels beside it), and the Ed25519 signature of
 * BASE64URL(header) "." BASE64URL(canonical JSON).  The canonical JSON is
 * the Bundle without its "signature" element written with
 * JWS_CANONICAL_FLAGS. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "digest.h"
#include "json_out.h"
#include "jws.h"
#include "signing.h"

#define JWS_ALG		"EdDSA"
#define JWS_SIG_FORMAT	"application/jose"

/* The three parts of a compact JWS, decoded where that is needed. */
struct jws_parts {
	char		*header64;	/* as it came: the signed bytes */
	json_t		*header;
	unsigned char	*sig;
	size_t		 siglen;
};

/* in as base64 (RFC 4648 section 4), or base64url without padding
 * (section 5) if url; NULL if out of memory. */
static char *
b64_encode(const unsigned char *in, size_t len, int url)
{
	char	*out, *p;

	if (len > INT_MAX / 2 || (out = malloc(4 * ((len + 2) / 3) + 1)) ==
	    NULL)
		return NULL;
	EVP_EncodeBlock((unsigned char *)out, in, (int)len);
	for (p = out; url && *p != '\0'; p++) {
		if (*p == '+')
			*p = '-';
		else if (*p == '/')
			*p = '_';
		else if (*p == '=')
			*p = '\0';
	}
	return out;
}

/* BASE64URL(in), unpadded, to be freed. */
char *
jws_base64url(const unsigned char *in, size_t len)
{
	return b64_encode(in, len, 1);
}

/* The bytes of base64 text (padded) or base64url text (unpadded), with a
 * NUL after them; NULL if the text is not that or memory ran out. */
static unsigned char *
b64_decode(const char *in, int url, size_t *outlen)
{
	const char	*extra = url ? "-_" : "+/";
	unsigned char	*out;
	char		*std;
	size_t		 len, pad, i;
	int		 got;

	len = strlen(in);
	for (pad = 0; !url && pad < 2 && len > 0 && in[len - 1] == '='; pad++)
		len--;
	if (url)
		pad = (4 - len % 4) % 4;
	if (len > INT_MAX / 2 || (len + pad) % 4 != 0 || pad == 3)
		return NULL;
	for (i = 0; i < len; i++)
		if (!((in[i] >= 'A' && in[i] <= 'Z') ||
		    (in[i] >= 'a' && in[i] <= 'z') ||
		    (in[i] >= '0' && in[i] <= '9') ||
		    in[i] == extra[0] || in[i] == extra[1]))
			return NULL;
	if ((std = malloc(len + pad + 1)) == NULL)
		return NULL;
	for (i = 0; i < len; i++)
		std[i] = in[i] == '-' ? '+' : in[i] == '_' ? '/' : in[i];
	memset(std + len, '=', pad);
	std[len + pad] = '\0';
	out = malloc((len + pad) / 4 * 3 + 1);
	got = out == NULL ? -1 :
	    EVP_DecodeBlock(out, (unsigned char *)std, (int)(len + pad));
	free(std);
	if (got < 0 || (size_t)got < pad) {
		free(out);
		return NULL;
	}
	*outlen = (size_t)got - pad;
	out[*outlen] = '\0';
	return out;
}

/* The Bundle's canonical JSON (the bytes its signature covers), to be
 * freed; NULL if bundle is not an object or memory ran out. */
char *
jws_canonical(const json_t *bundle)
{
	json_t	*copy;
	char	*text;

	if (!json_is_object(bundle) ||
	    (copy = json_copy((json_t *)bundle)) == NULL)
		return NULL;
	json_object_del(copy, "signature");
	text = json_out_text(copy, JWS_CANONICAL_FLAGS);
	json_decref(copy);
	return text;
}

/* BASE64URL(header64-as-is) "." BASE64URL(payload): what is signed. */
static char *
jws_signing_input(const char *header64, const void *payload, size_t len)
{
	char	*p64, *input;

	if ((p64 = jws_base64url(payload, len)) == NULL)
		return NULL;
	if (asprintf(&input, "%s.%s", header64, p64) == -1)
		input = NULL;
	free(p64);
	return input;
}

/* The protected header {"alg":"EdDSA","kid":kid} in base64url. */
static char *
jws_header64(const char *kid)
{
	json_t	*h;
	char	*text, *h64 = NULL;

	if ((h = json_pack("{s:s, s:s}", "alg", JWS_ALG, "kid", kid)) ==
	    NULL)
		return NULL;
	if ((text = json_out_text(h, JSON_COMPACT | JSON_SORT_KEYS)) != NULL)
		h64 = jws_base64url((unsigned char *)text, strlen(text));
	free(text);
	json_decref(h);
	return h64;
}

/* The detached compact JWS (header..signature) of payload signed by key
 * for kid, to be freed; NULL if OpenSSL or memory fails. */
char *
jws_sign_detached(const struct signing_key *key, const char *kid,
    const void *payload, size_t len)
{
	char		 hex[SIGNING_SIG_HEX_LEN], *h64, *input = NULL;
	char		*s64 = NULL, *jws = NULL;
	unsigned char	 sig[SIGNING_SIG_LEN];

	if ((h64 = jws_header64(kid)) == NULL)
		return NULL;
	if ((input = jws_signing_input(h64, payload, len)) != NULL &&
	    signing_sign(key, input, strlen(input), hex) == 0 &&
	    digest_hex_to_bytes(hex, sig, sizeof sig) == 0 &&
	    (s64 = jws_base64url(sig, sizeof sig)) != NULL &&
	    asprintf(&jws, "%s..%s", h64, s64) == -1)
		jws = NULL;
	free(h64);
	free(input);
	free(s64);
	return jws;
}

/* Bundle.signature for a JWS: who signed (the establishment), when, and
 * the JWS itself in base64. */
static json_t *
jws_signature_element(const char *jws, const char *code, const char *name,
    const char *when)
{
	char	*data;
	json_t	*sig;

	if ((data = b64_encode((unsigned char *)jws, strlen(jws), 0)) == NULL)
		return NULL;
	sig = json_pack("{s:[{s:s, s:s, s:s}], s:s, s:{s:{s:s, s:s}, s:s},"
	    " s:s, s:s}",
	    "type", "system", JWS_SIG_TYPE_SYSTEM, "code", JWS_SIG_TYPE_CODE,
	    "display", "Verification Signature",
	    "when", when,
	    "who", "identifier", "system", JWS_ESTABLISHMENT_SYSTEM,
	    "value", code, "display", name,
	    "sigFormat", JWS_SIG_FORMAT,
	    "data", data);
	free(data);
	return sig;
}

/* Sign bundle as establishment code (named name) at when (an ISO 8601
 * instant), putting the signature in its "signature" element in place of
 * any there.  Returns 0, or -1 if memory or OpenSSL failed. */
int
jws_sign_document(json_t *bundle, const struct signing_key *key,
    const char *code, const char *name, const char *when)
{
	char	*canon, *jws = NULL;
	json_t	*sig = NULL;

	if ((canon = jws_canonical(bundle)) == NULL)
		return -1;
	if ((jws = jws_sign_detached(key, code, canon, strlen(canon))) !=
	    NULL)
		sig = jws_signature_element(jws, code, name, when);
	free(canon);
	free(jws);
	if (sig == NULL)
		return -1;
	return json_object_set_new(bundle, "signature", sig);
}

static void
jws_parts_free(struct jws_parts *p)
{
	free(p->header64);
	json_decref(p->header);
	free(p->sig);
}

/* Split the compact JWS in Bundle.signature.data into its parts: a header
 * that is JSON, an empty payload part, a signature.  0, or -1. */
static int
jws_parse(const json_t *sig, struct jws_parts *p)
{
	const char	*data, *fmt;
	unsigned char	*text, *h;
	char		*dot1, *dot2;
	size_t		 len, hlen;

	memset(p, 0, sizeof *p);
	data = json_string_value(json_object_get(sig, "data"));
	fmt = json_string_value(json_object_get(sig, "sigFormat"));
	if (data == NULL || fmt == NULL || strcmp(fmt, JWS_SIG_FORMAT) != 0 ||
	    (text = b64_decode(data, 0, &len)) == NULL)
		return -1;
	if (strlen((char *)text) != len ||
	    (dot1 = strchr((char *)text, '.')) == NULL || dot1[1] != '.' ||
	    strchr(dot1 + 2, '.') != NULL) {
		free(text);
		return -1;
	}
	*dot1 = '\0';
	dot2 = dot1 + 2;
	if ((h = b64_decode((char *)text, 1, &hlen)) != NULL)
		p->header = json_loadb((char *)h, hlen, JSON_REJECT_DUPLICATES,
		    NULL);
	free(h);
	p->sig = b64_decode(dot2, 1, &p->siglen);
	p->header64 = strdup((char *)text);
	free(text);
	if (!json_is_object(p->header) || p->sig == NULL ||
	    p->header64 == NULL) {
		jws_parts_free(p);
		return -1;
	}
	return 0;
}

/* The trusted establishment a kid names, or NULL. */
static const struct trusted *
jws_trusted(const struct trust *trust, const char *kid)
{
	size_t	i;

	for (i = 0; trust != NULL && i < trust->n; i++)
		if (strcmp(trust->list[i].code, kid) == 0)
			return &trust->list[i];
	return NULL;
}

/* An establishment's code, the kid: 1 to JWS_CODE_MAX capitals and
 * digits (so a refusal may quote it). */
int
jws_code_valid(const char *kid)
{
	size_t	n = strspn(kid, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

	return n > 0 && n <= JWS_CODE_MAX && kid[n] == '\0';
}

/* Whether the parts' signature is key's over bundle's canonical JSON. */
static int
jws_check(const struct jws_parts *p, const struct signing_key *key,
    const json_t *bundle)
{
	char	 hex[SIGNING_SIG_HEX_LEN], *canon, *input = NULL;
	int	 ok = 0;

	if (p->siglen != SIGNING_SIG_LEN ||
	    (canon = jws_canonical(bundle)) == NULL)
		return 0;
	digest_bytes_to_hex(p->sig, p->siglen, hex);
	if ((input = jws_signing_input(p->header64, canon, strlen(canon))) !=
	    NULL)
		ok = signing_verify(key, input, strlen(input), hex);
	free(canon);
	free(input);
	return ok;
}

/* Whether bundle carries a valid signature of an establishment in trust:
 * 0 if it does; -1 with why (422 signature_invalid: no signature, not
 * EdDSA, altered, or signed by a key not the kid's; 422
 * unknown_establishment: a kid trust does not list) if not. */
int
jws_verify_document(const json_t *bundle, const struct trust *trust,
    struct refusal *why)
{
	struct jws_parts	 p;
	const struct trusted	*t;
	const char		*alg, *kid, *who;
	int			 rc = 0;

	if (jws_parse(json_object_get(bundle, "signature"), &p) == -1)
		return refuse(why, 0, "signature_invalid", "The document "
		    "carries no detached JWS in Bundle.signature.");
	alg = json_string_value(json_object_get(p.header, "alg"));
	kid = json_string_value(json_object_get(p.header, "kid"));
	who = json_string_value(json_object_get(json_object_get(
	    json_object_get(json_object_get(bundle, "signature"), "who"),
	    "identifier"), "value"));
	if (alg == NULL || strcmp(alg, JWS_ALG) != 0 || kid == NULL ||
	    !jws_code_valid(kid) || json_object_get(p.header, "crit") != NULL ||
	    who == NULL || strcmp(who, kid) != 0)
		rc = refuse(why, 0, "signature_invalid", "The document's "
		    "signature is not an EdDSA JWS naming its signer.");
	else if ((t = jws_trusted(trust, kid)) == NULL)
		rc = refuse(why, 0, "unknown_establishment", "The document "
		    "is signed by establishment %s, which is not among the "
		    "trusted establishments.", kid);
	else if (!jws_check(&p, t->key, bundle))
		rc = refuse(why, 0, "signature_invalid", "The document's "
		    "signature does not match it: it was altered after "
		    "%s signed it, or not signed with %s's key.", kid, kid);
	jws_parts_free(&p);
	return rc;
}

/* The public key as an OKP JWK (RFC 8037): {kty, crv, x, kid, alg, use},
 * or NULL. */
json_t *
jws_public_jwk(const struct signing_key *key, const char *kid)
{
	unsigned char	 raw[SIGNING_PUBLIC_LEN];
	char		*x;
	json_t		*jwk;

	if (signing_public_raw(key, raw) == -1 ||
	    (x = jws_base64url(raw, sizeof raw)) == NULL)
		return NULL;
	jwk = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "kty", "OKP",
	    "crv", "Ed25519", "x", x, "kid", kid, "alg", JWS_ALG,
	    "use", "sig");
	free(x);
	return jwk;
}
