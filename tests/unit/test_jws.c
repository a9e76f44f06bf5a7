/* Unit tests for jws.c: a document signed and verified; one byte altered,
 * another establishment's key, an unknown kid and no signature refused;
 * the canonical form stable across a write and a read; and a document
 * signed by python3-jwcrypto (tests/integration/jws_tool.py) verified
 * here, so the JWS is the standard one and not only our own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "jws.h"
#include "signing.h"

/* Made by `jws_tool.py genkey` and `jws_tool.py sign DOC KEY PYT`: an
 * Ed25519 key of jwcrypto's and a document it signed, with a decimal and
 * text outside ASCII in it. */
static const char	py_pem[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MCowBQYDK2VwAyEAWollFZkDHv0grQCpyqdXx6rMJNTTJbXofBl3Ie8LTUI=\n"
    "-----END PUBLIC KEY-----\n";
static const char	py_doc[] =
    "{\"resourceType\":\"Bundle\",\"id\":\"5a7c1b2e-0000-4000-8000-"
    "000000000001\",\"type\":\"document\",\"timestamp\":\"2026-12-08T02:00:"
    "00Z\",\"entry\":[{\"fullUrl\":\"urn:uuid:5a7c1b2e-0000-4000-8000-"
    "000000000002\",\"resource\":{\"resourceType\":\"Observation\","
    "\"status\":\"final\",\"code\":{\"text\":\"Temp \\u2014 Ren\\u00e9e\"},"
    "\"valueQuantity\":{\"value\":37.1,\"unit\":\"Cel\"}}}],\"signature\":"
    "{\"type\":[{\"system\":\"urn:iso-astm:E1762-95:2013\",\"code\":"
    "\"1.2.840.10065.1.12.1.5\",\"display\":\"Verification Signature\"}],"
    "\"when\":\"2026-12-08T02:00:00Z\",\"who\":{\"identifier\":{\"system\":"
    "\"urn:idtsd:establishment\",\"value\":\"PYT\"}},\"sigFormat\":"
    "\"application/jose\",\"data\":\"ZXlKaGJHY2lPaUpGWkVSVFFTSXNJbXRwWkNJNk"
    "lsQlpWQ0o5Li4tV0xXRkF4UHEzZUNadE5nSUpmUEpGOEVEei1TLU1aZldtNjByQWZxNFBa"
    "c2dXZDl1aS0yaHhDWUxwSUJBYXJndVVtUEYxSFFTMkVRd3F5aWM0b2VBQQ==\"}}";

struct fixture {
	char			 dir[64];
	struct signing_key	*ours, *other, *py;
	struct trusted		 list[2];
	struct trust		 trust;
};

/* A new key in dir, loaded. */
static struct signing_key *
new_key(const char *dir, const char *name)
{
	struct signing_key	*k;
	const char		*why = NULL;
	char			*path;

	assert_true(asprintf(&path, "%s/%s", dir, name) > 0);
	assert_int_equal(signing_key_write(path, &why), 0);
	k = signing_key_load(path, &why);
	assert_non_null(k);
	unlink(path);
	free(path);
	return k;
}

/* Two establishments' keys (ours, LEE; another's) and jwcrypto's (PYT);
 * LEE and PYT trusted. */
static int
setup(void **state)
{
	struct fixture	*f = calloc(1, sizeof *f);

	assert_non_null(f);
	strcpy(f->dir, "/tmp/test_jws.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	f->ours = new_key(f->dir, "ours.key");
	f->other = new_key(f->dir, "other.key");
	rmdir(f->dir);
	assert_non_null(f->py = signing_public_read(py_pem));
	strcpy(f->list[0].code, "LEE");
	f->list[0].key = f->ours;
	strcpy(f->list[1].code, "PYT");
	f->list[1].key = f->py;
	f->trust.list = f->list;
	f->trust.n = 2;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	signing_key_free(f->ours);
	signing_key_free(f->other);
	signing_key_free(f->py);
	free(f);
	return 0;
}

/* A small document, as the builder makes them. */
static json_t *
document(void)
{
	json_t	*b = json_pack("{s:s, s:s, s:s, s:[{s:s, s:{s:s, s:s, "
	    "s:{s:f, s:s}}}]}", "resourceType", "Bundle", "type", "document",
	    "timestamp", "2026-12-08T09:30:00Z", "entry",
	    "fullUrl", "urn:uuid:0d9c6a52-7b8e-4f3a-9a55-2f0c1e7d0b11",
	    "resource", "resourceType", "Observation", "status", "final",
	    "valueQuantity", "value", 37.1, "unit", "Cel");

	assert_non_null(b);
	return b;
}

/* Verify, returning the refusal's code or "ok". */
static const char *
verdict(const json_t *b, const struct trust *t)
{
	struct refusal	why = { 0 };

	if (jws_verify_document(b, t, &why) == 0)
		return "ok";
	return why.code;
}

static json_t *
signed_by(const struct signing_key *k, const char *code)
{
	json_t	*b = document();

	assert_int_equal(jws_sign_document(b, k, code, "HMP Leeds",
	    "2026-12-08T09:31:00Z"), 0);
	return b;
}

static void
test_sign_then_verify(void **state)
{
	struct fixture	*f = *state;
	json_t		*b = signed_by(f->ours, "LEE"), *sig;

	assert_string_equal(verdict(b, &f->trust), "ok");
	sig = json_object_get(b, "signature");
	assert_string_equal(json_string_value(json_object_get(sig,
	    "sigFormat")), "application/jose");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(sig, "type"), 0), "code")), JWS_SIG_TYPE_CODE);
	json_decref(b);
}

/* Any byte of the signed content changed: refused. */
static void
test_one_byte_altered(void **state)
{
	struct fixture	*f = *state;
	json_t		*b = signed_by(f->ours, "LEE"), *c;
	char		*text, *p;

	text = json_dumps(b, JSON_COMPACT);
	assert_non_null(p = strstr(text, "37.1"));
	p[3] = '2';
	c = json_loads(text, 0, NULL);
	assert_string_equal(verdict(c, &f->trust), "signature_invalid");
	json_decref(c);
	p[3] = '1';
	assert_non_null(p = strstr(text, "Observation"));
	p[0] = 'o';
	c = json_loads(text, 0, NULL);
	assert_string_equal(verdict(c, &f->trust), "signature_invalid");
	json_decref(c);
	free(text);
	json_decref(b);
}

/* Signed with another key under LEE's code: refused as invalid. */
static void
test_wrong_key(void **state)
{
	struct fixture	*f = *state;
	json_t		*b = signed_by(f->other, "LEE");

	assert_string_equal(verdict(b, &f->trust), "signature_invalid");
	json_decref(b);
}

static void
test_unknown_kid(void **state)
{
	struct fixture	*f = *state;
	json_t		*b = signed_by(f->other, "XYZ");

	assert_string_equal(verdict(b, &f->trust), "unknown_establishment");
	json_decref(b);
}

/* No signature, a mangled one, or a who that is not the kid. */
static void
test_no_signature(void **state)
{
	struct fixture	*f = *state;
	json_t		*b = document(), *s;

	assert_string_equal(verdict(b, &f->trust), "signature_invalid");
	json_decref(b);
	b = signed_by(f->ours, "LEE");
	s = json_object_get(b, "signature");
	json_object_set_new(json_object_get(json_object_get(s, "who"),
	    "identifier"), "value", json_string("PYT"));
	assert_string_equal(verdict(b, &f->trust), "signature_invalid");
	json_object_set_new(s, "data", json_string("not base64!"));
	assert_string_equal(verdict(b, &f->trust), "signature_invalid");
	json_decref(b);
}

/* The canonical form is the same after the document is written as the
 * daemon answers and read again, whatever its key order or decimals. */
static void
test_canonical_stable(void **state)
{
	json_t	*a, *b;
	char	*ca, *cb, *text;

	(void)state;
	a = json_pack("{s:f, s:f, s:s, s:i, s:{s:f}}", "z", 0.1 + 0.2,
	    "t", 37.1, "n", "Ren\xc3\xa9" "e \xe2\x80\x94", "i", -5, "o",
	    "big", 1e20);
	text = json_dumps(a, JSON_COMPACT | JSON_REAL_PRECISION(15));
	b = json_loads(text, 0, NULL);
	ca = jws_canonical(a);
	cb = jws_canonical(b);
	assert_string_equal(ca, cb);
	assert_string_equal(ca, "{\"i\":-5,\"n\":\"Ren\\u00E9e \\u2014\","
	    "\"o\":{\"big\":1e20},\"t\":37.1,\"z\":0.3}");
	free(text);
	free(ca);
	free(cb);
	json_decref(a);
	json_decref(b);
}

/* jwcrypto's signature verifies here; altered, it does not. */
static void
test_jwcrypto_signed(void **state)
{
	struct fixture	*f = *state;
	json_t		*b = json_loads(py_doc, 0, NULL);

	assert_non_null(b);
	assert_string_equal(verdict(b, &f->trust), "ok");
	json_object_set_new(b, "id", json_string("5a7c1b2e"));
	assert_string_equal(verdict(b, &f->trust), "signature_invalid");
	json_decref(b);
}

/* The published key: an OKP JWK whose x is 32 bytes. */
static void
test_public_jwk(void **state)
{
	struct fixture	*f = *state;
	json_t		*jwk = jws_public_jwk(f->ours, "LEE");

	assert_non_null(jwk);
	assert_string_equal(json_string_value(json_object_get(jwk, "kty")),
	    "OKP");
	assert_string_equal(json_string_value(json_object_get(jwk, "crv")),
	    "Ed25519");
	assert_int_equal(strlen(json_string_value(json_object_get(jwk, "x"))),
	    43);
	json_decref(jwk);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sign_then_verify),
		cmocka_unit_test(test_one_byte_altered),
		cmocka_unit_test(test_wrong_key),
		cmocka_unit_test(test_unknown_kid),
		cmocka_unit_test(test_no_signature),
		cmocka_unit_test(test_canonical_stable),
		cmocka_unit_test(test_jwcrypto_signed),
		cmocka_unit_test(test_public_jwk),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
