/* Unit tests for signing.c: a key written, loaded and used to sign and
 * verify; a changed byte fails; a key its group or others may read is
 * refused; an existing file is never overwritten. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "signing.h"

static const char	msg[] = "idtsd audit anchor\nseq 42\n";

/* A fresh key file in a temporary directory; its path in state. */
static int
key_setup(void **state)
{
	char		*dir, *path;
	const char	*why = NULL;

	dir = strdup("/tmp/test_signing.XXXXXX");
	assert_non_null(mkdtemp(dir));
	assert_true(asprintf(&path, "%s/audit.key", dir) > 0);
	free(dir);
	assert_int_equal(signing_key_write(path, &why), 0);
	*state = path;
	return 0;
}

static int
key_teardown(void **state)
{
	char	*path = *state, *dir;

	unlink(path);
	dir = strrchr(path, '/');
	*dir = '\0';
	rmdir(path);
	free(path);
	return 0;
}

static struct signing_key *
load(const char *path)
{
	const char		*why = NULL;
	struct signing_key	*k = signing_key_load(path, &why);

	if (k == NULL)
		fail_msg("%s: %s", path, why);
	return k;
}

static void
test_written_0600(void **state)
{
	struct stat	sb;

	assert_int_equal(stat(*state, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
}

static void
test_round_trip(void **state)
{
	struct signing_key	*k = load(*state);
	char			 sig[SIGNING_SIG_HEX_LEN];

	assert_int_equal(signing_sign(k, msg, strlen(msg), sig), 0);
	assert_int_equal(strlen(sig), 2 * SIGNING_SIG_LEN);
	assert_int_equal(signing_verify(k, msg, strlen(msg), sig), 1);
	signing_key_free(k);
}

static void
test_public_key_verifies(void **state)
{
	struct signing_key	*k = load(*state), *pub;
	char			 sig[SIGNING_SIG_HEX_LEN], *pem;

	assert_int_equal(signing_sign(k, msg, strlen(msg), sig), 0);
	assert_non_null(pem = signing_public_pem(k));
	assert_non_null(strstr(pem, "BEGIN PUBLIC KEY"));
	assert_non_null(pub = signing_public_read(pem));
	assert_int_equal(signing_verify(pub, msg, strlen(msg), sig), 1);
	free(pem);
	signing_key_free(pub);
	signing_key_free(k);
}

static void
test_changed_byte_fails(void **state)
{
	struct signing_key	*k = load(*state);
	char			 sig[SIGNING_SIG_HEX_LEN];
	char			 other[sizeof msg];

	assert_int_equal(signing_sign(k, msg, strlen(msg), sig), 0);
	memcpy(other, msg, sizeof msg);
	other[17] ^= 1;
	assert_int_equal(signing_verify(k, other, strlen(other), sig), 0);
	sig[10] = sig[10] == '0' ? '1' : '0';
	assert_int_equal(signing_verify(k, msg, strlen(msg), sig), 0);
	assert_int_equal(signing_verify(k, msg, strlen(msg), "00"), 0);
	signing_key_free(k);
}

static void
test_other_key_fails(void **state)
{
	struct signing_key	*k = load(*state), *k2;
	char			 sig[SIGNING_SIG_HEX_LEN], path2[4096];
	const char		*why = NULL;

	snprintf(path2, sizeof path2, "%s.2", (char *)*state);
	assert_int_equal(signing_key_write(path2, &why), 0);
	k2 = load(path2);
	assert_int_equal(signing_sign(k2, msg, strlen(msg), sig), 0);
	assert_int_equal(signing_verify(k, msg, strlen(msg), sig), 0);
	signing_key_free(k2);
	signing_key_free(k);
	unlink(path2);
}

static void
test_group_readable_refused(void **state)
{
	const char	*why = NULL;

	assert_int_equal(chmod(*state, 0640), 0);
	assert_null(signing_key_load(*state, &why));
	assert_non_null(strstr(why, "group or others"));
	assert_int_equal(chmod(*state, 0604), 0);
	assert_null(signing_key_load(*state, &why));
	assert_int_equal(chmod(*state, 0400), 0);
	signing_key_free(load(*state));
}

static void
test_never_overwrites(void **state)
{
	struct signing_key	*before = load(*state), *after;
	char			 sig[SIGNING_SIG_HEX_LEN];
	const char		*why = NULL;

	assert_int_equal(signing_key_write(*state, &why), -1);
	assert_non_null(why);
	after = load(*state);
	assert_int_equal(signing_sign(before, msg, strlen(msg), sig), 0);
	assert_int_equal(signing_verify(after, msg, strlen(msg), sig), 1);
	signing_key_free(before);
	signing_key_free(after);
}

static void
test_not_a_key(void **state)
{
	const char	*why = NULL;
	char		 path[4096];
	FILE		*f;

	snprintf(path, sizeof path, "%s.junk", (char *)*state);
	assert_non_null(f = fopen(path, "w"));
	fputs("-----BEGIN PRIVATE KEY-----\nnot a key\n", f);
	fclose(f);
	assert_int_equal(chmod(path, 0600), 0);
	assert_null(signing_key_load(path, &why));
	assert_null(signing_key_load("/nonexistent/audit.key", &why));
	assert_null(signing_public_read("not pem"));
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_written_0600, key_setup,
		    key_teardown),
		cmocka_unit_test_setup_teardown(test_round_trip, key_setup,
		    key_teardown),
		cmocka_unit_test_setup_teardown(test_public_key_verifies,
		    key_setup, key_teardown),
		cmocka_unit_test_setup_teardown(test_changed_byte_fails,
		    key_setup, key_teardown),
		cmocka_unit_test_setup_teardown(test_other_key_fails,
		    key_setup, key_teardown),
		cmocka_unit_test_setup_teardown(test_group_readable_refused,
		    key_setup, key_teardown),
		cmocka_unit_test_setup_teardown(test_never_overwrites,
		    key_setup, key_teardown),
		cmocka_unit_test_setup_teardown(test_not_a_key, key_setup,
		    key_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
