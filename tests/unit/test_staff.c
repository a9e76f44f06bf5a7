/* Unit tests for staff.c: no change leaves the unit without an active
 * admin. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "roles.h"
#include "staff.h"

/* Each person as they would be after a change, and how many other active
 * admins there are: refused exactly when nobody would be left. */
static void
test_admins_left(void **state)
{
	static const struct {
		unsigned	roles;
		int		active;
		int		others;
		int		ok;
	} t[] = {
		{ ROLE_ADMIN, 1, 0, 0 },		/* still the admin */
		{ ROLE_ADMIN | ROLE_NURSE, 1, 0, 0 },
		{ ROLE_NURSE, 1, 0, -1 },		/* gives the role up */
		{ ROLE_ADMIN, 0, 0, -1 },		/* leaves */
		{ 0, 0, 0, -1 },
		{ ROLE_NURSE, 1, 1, 0 },		/* another stays */
		{ ROLE_ADMIN, 0, 1, 0 },
		{ 0, 0, 3, 0 },
	};
	struct staff	s;
	struct refusal	why;
	size_t		i;

	(void)state;
	memset(&s, 0, sizeof s);
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		s.roles = t[i].roles;
		s.active = t[i].active;
		why.code = "unset";
		if (staff_check_admins_left(&s, t[i].others, &why) != t[i].ok)
			fail_msg("row %zu: expected %d", i, t[i].ok);
		if (t[i].ok == 0) {
			assert_string_equal(why.code, "unset");
			continue;
		}
		assert_string_equal(why.code, "last_admin");
		assert_int_equal(why.conflict, 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_admins_left),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
