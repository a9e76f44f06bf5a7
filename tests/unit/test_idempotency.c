/* Unit tests for idempotency.c: which requests count as the same retry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "idempotency.h"

/* The fingerprint of a request whose body is JSON text (NULL for none). */
static void
fp(const char *caller, enum request_method method, const char *path,
    const char *body_text, char out[DIGEST_HEX_LEN])
{
	json_t		*body = NULL;
	json_error_t	 err;

	if (body_text != NULL &&
	    (body = json_loads(body_text, 0, &err)) == NULL)
		fail_msg("bad JSON in test: %s: %s", body_text, err.text);
	memset(out, 'X', DIGEST_HEX_LEN);
	if (idempotency_fingerprint(caller, method, path, body, out) != 0) {
		json_decref(body);
		fail_msg("fingerprint failed for %s", body_text);
	}
	json_decref(body);
	assert_int_equal(strlen(out), DIGEST_HEX_LEN - 1);
	assert_int_equal(strspn(out, "0123456789abcdef"), DIGEST_HEX_LEN - 1);
}

/* Two bodies for the same caller, method and path must match. */
static void
same(const char *a, const char *b)
{
	char	fa[DIGEST_HEX_LEN], fb[DIGEST_HEX_LEN];

	fp("alice", METHOD_POST, "/v1/patients", a, fa);
	fp("alice", METHOD_POST, "/v1/patients", b, fb);
	if (strcmp(fa, fb) != 0)
		fail_msg("different fingerprints for\n  %s\n  %s", a, b);
}

static void
differ(const char *a, const char *b)
{
	char	fa[DIGEST_HEX_LEN], fb[DIGEST_HEX_LEN];

	fp("alice", METHOD_POST, "/v1/patients", a, fa);
	fp("alice", METHOD_POST, "/v1/patients", b, fb);
	if (strcmp(fa, fb) == 0)
		fail_msg("same fingerprint for\n  %s\n  %s", a, b);
}

static void
test_known_vector(void **state)
{
	char	out[DIGEST_HEX_LEN];

	(void)state;
	/* SHA-256 of "alice" "\n1\n" "/v1/patients" NUL
	 * "{\"a\":1,\"b\":[true,null]}", computed outside this code: the
	 * fingerprints stored in a database must not change across an
	 * upgrade, or a retry after it would be refused. */
	fp("alice", METHOD_POST, "/v1/patients",
	    "{ \"b\": [true, null], \"a\": 1 }", out);
	assert_string_equal(out, "3f825cb5470182c6e585e74379c9886e"
	    "73fc2dda458f313522a549adf023101c");
}

static void
test_layout_ignored(void **state)
{
	(void)state;
	same("{\"a\":1,\"b\":{\"x\":[1,2],\"y\":\"z\"}}",
	    "{ \"b\" : { \"y\" : \"z\", \"x\" : [ 1, 2 ] },\n\t\"a\" : 1 }");
	same("{\"given_name\":\"Zoë\",\"family_name\":\"O'Brien\"}",
	    "{\"family_name\":\"O'Brien\",\n\"given_name\":\"Zo\\u00eb\"}");
	same("{}", "  {  }  ");
	/* No body is the same as an empty one. */
	same(NULL, "{}");
}

static void
test_body_differs(void **state)
{
	(void)state;
	differ("{\"a\":1}", "{\"a\":2}");
	differ("{\"a\":1}", "{\"a\":\"1\"}");
	differ("{\"a\":1}", "{\"b\":1}");
	differ("{\"a\":1}", "{\"a\":1,\"b\":null}");
	differ("{\"a\":true}", "{\"a\":false}");
	differ("{\"a\":null}", "{}");
	/* Arrays are ordered. */
	differ("{\"a\":[1,2]}", "{\"a\":[2,1]}");
	/* Nested. */
	differ("{\"w\":{\"username\":\"x\"}}", "{\"w\":{\"username\":\"y\"}}");
	/* Case matters in keys and values. */
	differ("{\"name\":\"a\"}", "{\"Name\":\"a\"}");
	differ("{\"name\":\"a\"}", "{\"name\":\"A\"}");
}

static void
test_request_differs(void **state)
{
	char	base[DIGEST_HEX_LEN], other[DIGEST_HEX_LEN];
	const char	*body = "{\"a\":1}";

	(void)state;
	fp("alice", METHOD_POST, "/v1/patients", body, base);

	fp("bob", METHOD_POST, "/v1/patients", body, other);
	assert_string_not_equal(base, other);
	fp("alice", METHOD_PATCH, "/v1/patients", body, other);
	assert_string_not_equal(base, other);
	fp("alice", METHOD_DELETE, "/v1/patients", body, other);
	assert_string_not_equal(base, other);
	fp("alice", METHOD_POST, "/v1/staff", body, other);
	assert_string_not_equal(base, other);
	fp("alice", METHOD_POST, "/v1/patients/", body, other);
	assert_string_not_equal(base, other);
	fp("", METHOD_POST, "/v1/patients", body, other);
	assert_string_not_equal(base, other);

	/* And the same request again is the same. */
	fp("alice", METHOD_POST, "/v1/patients", body, other);
	assert_string_equal(base, other);
}

static void
test_pin_ignored(void **state)
{
	(void)state;
	/* Top level. */
	same("{\"username\":\"x\",\"pin\":\"1234\"}",
	    "{\"username\":\"x\",\"pin\":\"9876\"}");
	same("{\"username\":\"x\",\"pin\":\"1234\"}", "{\"username\":\"x\"}");
	/* Nested, as a witness signs. */
	same("{\"witness\":{\"username\":\"x\",\"pin\":\"1\"}}",
	    "{\"witness\":{\"username\":\"x\",\"pin\":\"2\"}}");
	same("{\"witness\":{\"username\":\"x\",\"pin\":\"1\"}}",
	    "{\"witness\":{\"username\":\"x\"}}");
	/* Both at once, and deeper, and inside arrays. */
	same("{\"pin\":\"1111\",\"witness\":{\"pin\":\"2222\",\"u\":\"w\"},"
	    "\"d\":{\"e\":{\"f\":{\"pin\":\"3\"}}},"
	    "\"list\":[{\"pin\":\"4\",\"k\":1},[{\"pin\":\"5\"}]]}",
	    "{\"witness\":{\"u\":\"w\"},\"d\":{\"e\":{\"f\":{}}},"
	    "\"list\":[{\"k\":1},[{}]]}");
	/* Whatever the PIN's type. */
	same("{\"pin\":1234}", "{\"pin\":null}");

	/* Only members named exactly "pin" are left out. */
	differ("{\"pins\":\"1\"}", "{\"pins\":\"2\"}");
	differ("{\"PIN\":\"1\"}", "{\"PIN\":\"2\"}");
	differ("{\"pin_hint\":\"1\"}", "{\"pin_hint\":\"2\"}");
	/* A string value "pin" is not a member named pin. */
	differ("{\"a\":[\"pin\",\"1\"]}", "{\"a\":[\"pin\",\"2\"]}");
	/* What sits beside a PIN still counts. */
	differ("{\"witness\":{\"username\":\"x\",\"pin\":\"1\"}}",
	    "{\"witness\":{\"username\":\"y\",\"pin\":\"1\"}}");
}

static void
test_body_not_changed(void **state)
{
	json_t	*body;
	char	*before, *after, out[DIGEST_HEX_LEN];

	(void)state;
	body = json_loads("{\"pin\":\"1234\",\"witness\":{\"pin\":\"5678\","
	    "\"username\":\"x\"}}", 0, NULL);
	assert_non_null(body);
	before = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
	assert_int_equal(idempotency_fingerprint("alice", METHOD_POST,
	    "/v1/x", body, out), 0);
	after = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
	assert_non_null(before);
	assert_non_null(after);
	/* The handler still needs the PINs it was sent. */
	assert_string_equal(before, after);
	assert_string_equal(json_string_value(json_object_get(body, "pin")),
	    "1234");
	free(before);
	free(after);
	json_decref(body);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_known_vector),
		cmocka_unit_test(test_layout_ignored),
		cmocka_unit_test(test_body_differs),
		cmocka_unit_test(test_request_differs),
		cmocka_unit_test(test_pin_ignored),
		cmocka_unit_test(test_body_not_changed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
