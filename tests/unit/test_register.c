/* The controlled-drug register's arithmetic (docs/design.md rule 6): the
 * change each kind of entry makes, a running balance that never goes below zero
 * nor beyond what a quantity can hold (a refused entry leaves the balance
 * as it was), and a page of entries against a running balance worked out
 * by hand.  Quantities are thousandths of the unit (ml). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "register.h"

static void
test_names(void **state)
{
	static const struct {
		enum register_kind	 kind;
		const char		*name;
	} kinds[] = {
		{ REGISTER_RECEIPT, "receipt" },
		{ REGISTER_ADMINISTRATION, "administration" },
		{ REGISTER_RETURN, "return" },
		{ REGISTER_DESTRUCTION, "destruction" },
		{ REGISTER_CHECK, "check" },
		{ REGISTER_CORRECTION, "correction" },
	};
	enum register_kind	k = REGISTER_CHECK;
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		assert_string_equal(register_kind_name(kinds[i].kind),
		    kinds[i].name);
		assert_int_equal(register_kind_parse(kinds[i].name, &k), 0);
		assert_int_equal(k, kinds[i].kind);
	}
	k = REGISTER_CHECK;
	assert_int_equal(register_kind_parse("Receipt", &k), -1);
	assert_int_equal(register_kind_parse("adjustment", &k), -1);
	assert_int_equal(register_kind_parse("", &k), -1);
	assert_int_equal(k, REGISTER_CHECK);
}

/* Stock in adds, stock out takes away, a check changes nothing, and a
 * correction's quantity is signed already. */
static void
test_change(void **state)
{
	(void)state;
	assert_true(register_change(REGISTER_RECEIPT, 500000) == 500000);
	assert_true(register_change(REGISTER_ADMINISTRATION, 60000) ==
	    -60000);
	assert_true(register_change(REGISTER_RETURN, 100000) == -100000);
	assert_true(register_change(REGISTER_DESTRUCTION, 5000) == -5000);
	assert_true(register_change(REGISTER_CHECK, 395000) == 0);
	assert_true(register_change(REGISTER_CHECK, 0) == 0);
	assert_true(register_change(REGISTER_CORRECTION, 5000) == 5000);
	assert_true(register_change(REGISTER_CORRECTION, -35000) == -35000);
	assert_true(register_change(REGISTER_ADMINISTRATION, 1) == -1);
	assert_true(register_change(REGISTER_RECEIPT, QUANTITY_MAX) ==
	    QUANTITY_MAX);
	assert_true(register_change(REGISTER_DESTRUCTION, QUANTITY_MAX) ==
	    -QUANTITY_MAX);
}

/* register_apply: the balance after, or the code with *after untouched. */
static void
applies(int64_t balance, int64_t change, int64_t want)
{
	struct refusal	why = { "unset", "unset", 7 };
	int64_t		after = -12345;

	if (register_apply(balance, change, &after, &why) != 0)
		fail_msg("%lld %+lld refused: %s", (long long)balance,
		    (long long)change, why.code);
	if (after != want)
		fail_msg("%lld %+lld: got %lld, expected %lld",
		    (long long)balance, (long long)change, (long long)after,
		    (long long)want);
}

static void
refused(int64_t balance, int64_t change, const char *code)
{
	struct refusal	why = { "unset", "unset", 7 };
	int64_t		after = -12345;

	if (register_apply(balance, change, &after, &why) != -1)
		fail_msg("%lld %+lld accepted as %lld, expected %s",
		    (long long)balance, (long long)change, (long long)after,
		    code);
	assert_string_equal(why.code, code);
	assert_int_equal(why.conflict, 0);	/* a rule: 422 */
	assert_non_null(why.message);
	assert_true(strlen(why.message) > 10);
	assert_true(after == -12345);		/* untouched */
}

static void
test_apply(void **state)
{
	(void)state;
	applies(0, 500000, 500000);
	applies(500000, -60000, 440000);
	applies(440000, 0, 440000);		/* a check */
	applies(60000, -60000, 0);		/* to zero exactly */
	applies(0, 0, 0);
	applies(1, -1, 0);

	refused(59999, -60000, "balance_would_go_negative");
	refused(0, -1, "balance_would_go_negative");
	refused(0, -QUANTITY_MAX, "balance_would_go_negative");
	refused(1000, -1001, "balance_would_go_negative");

	/* Up to QUANTITY_MAX, not beyond. */
	applies(0, QUANTITY_MAX, QUANTITY_MAX);
	applies(QUANTITY_MAX - 1, 1, QUANTITY_MAX);
	applies(QUANTITY_MAX, 0, QUANTITY_MAX);
	applies(QUANTITY_MAX, -QUANTITY_MAX, 0);
	refused(QUANTITY_MAX, 1, "balance_too_large");
	refused(1, QUANTITY_MAX, "balance_too_large");
	refused(QUANTITY_MAX / 2 + 1, QUANTITY_MAX / 2 + 1,
	    "balance_too_large");
	refused(0, QUANTITY_MAX + 1, "balance_too_large");
	refused(QUANTITY_MAX, QUANTITY_MAX, "balance_too_large");
	refused(0, INT64_MAX, "balance_too_large");
	refused(QUANTITY_MAX, INT64_MAX, "balance_too_large");
}

/* One page of a product's register (methadone 1 mg/ml, in thousandths of
 * a ml), entry by entry, with the balance worked out by hand. */
static void
test_page(void **state)
{
	static const struct {
		enum register_kind	 kind;
		int64_t			 quantity;
		const char		*refusal;	/* or NULL */
		int64_t			 balance;	/* after */
	} page[] = {
		{ REGISTER_RECEIPT, 500000, NULL, 500000 },
		{ REGISTER_ADMINISTRATION, 60000, NULL, 440000 },
		{ REGISTER_ADMINISTRATION, 45000, NULL, 395000 },
		{ REGISTER_CHECK, 395000, NULL, 395000 },
		{ REGISTER_RETURN, 100000, NULL, 295000 },
		{ REGISTER_DESTRUCTION, 5000, NULL, 290000 },
		/* The destruction was 5 ml too many: corrected back. */
		{ REGISTER_CORRECTION, 5000, NULL, 295000 },
		{ REGISTER_ADMINISTRATION, 60000, NULL, 235000 },
		{ REGISTER_CHECK, 230000, NULL, 235000 },  /* a discrepancy */
		{ REGISTER_ADMINISTRATION, 300000, "balance_would_go_negative",
		    235000 },
		{ REGISTER_CORRECTION, -35000, NULL, 200000 },
		{ REGISTER_CORRECTION, -200001, "balance_would_go_negative",
		    200000 },
		{ REGISTER_ADMINISTRATION, 200000, NULL, 0 },
		{ REGISTER_ADMINISTRATION, 1, "balance_would_go_negative", 0 },
		{ REGISTER_DESTRUCTION, 1, "balance_would_go_negative", 0 },
		{ REGISTER_RETURN, 1, "balance_would_go_negative", 0 },
		{ REGISTER_CHECK, 0, NULL, 0 },
		{ REGISTER_RECEIPT, 1000000, NULL, 1000000 },
		{ REGISTER_ADMINISTRATION, 30000, NULL, 970000 },
		{ REGISTER_DESTRUCTION, 970000, NULL, 0 },
		{ REGISTER_RECEIPT, QUANTITY_MAX, NULL, QUANTITY_MAX },
		{ REGISTER_RECEIPT, 1, "balance_too_large", QUANTITY_MAX },
		{ REGISTER_CORRECTION, 1, "balance_too_large", QUANTITY_MAX },
		{ REGISTER_RETURN, QUANTITY_MAX - 250, NULL, 250 },
		{ REGISTER_RECEIPT, 250, NULL, 500 },
	};
	struct refusal	why;
	int64_t		balance = 0, after;
	size_t		i;
	int		r;

	(void)state;
	for (i = 0; i < sizeof page / sizeof page[0]; i++) {
		memset(&why, 0, sizeof why);
		after = -1;
		r = register_apply(balance, register_change(page[i].kind,
		    page[i].quantity), &after, &why);
		if (page[i].refusal == NULL) {
			if (r != 0)
				fail_msg("entry %zu (%s %lld) refused: %s", i,
				    register_kind_name(page[i].kind),
				    (long long)page[i].quantity, why.code);
			balance = after;
		} else {
			if (r != -1)
				fail_msg("entry %zu (%s %lld) accepted, "
				    "expected %s", i,
				    register_kind_name(page[i].kind),
				    (long long)page[i].quantity,
				    page[i].refusal);
			assert_string_equal(why.code, page[i].refusal);
			assert_true(after == -1);
		}
		if (balance != page[i].balance)
			fail_msg("entry %zu (%s %lld): balance %lld, expected "
			    "%lld", i, register_kind_name(page[i].kind),
			    (long long)page[i].quantity, (long long)balance,
			    (long long)page[i].balance);
	}
	assert_true(balance == 500);
}

/* register_check_correction() of delta to target, with the corrections
 * of target so far adding up to earlier: 0, or -1 with why's code. */
static int
correct(const struct register_entry *target, int64_t earlier, int64_t delta,
    struct refusal *why)
{
	struct register_correction	c = { target, "methadone", "entry-1",
					    earlier, delta };

	return register_check_correction(&c, why);
}

/* An entry of kind on the methadone page that changed the balance by
 * quantity. */
static struct register_entry
entry(enum register_kind kind, int64_t quantity)
{
	struct register_entry	e;

	memset(&e, 0, sizeof e);
	strcpy(e.product_id, "methadone");
	e.kind = kind;
	e.quantity = quantity;
	return e;
}

/* A correction corrects an entry on its own page, and on no other. */
static void
test_correction(void **state)
{
	struct register_entry	target = entry(REGISTER_RECEIPT, 30000);
	struct register_correction c = { &target, "buprenorphine", "entry-1",
				    0, 1000 };
	struct refusal		why = { "unset", "unset", 7 };

	(void)state;
	assert_int_equal(correct(&target, 0, 1000, &why), 0);
	assert_string_equal(why.code, "unset");
	assert_int_equal(register_check_correction(&c, &why), -1);
	assert_string_equal(why.code, "unknown_entry");
	assert_int_equal(why.conflict, 0);
	assert_string_equal(why.message,
	    "there is no entry entry-1 on this register page");
	c.target = NULL;
	c.product_id = "methadone";
	c.corrects = "entry-2";
	assert_int_equal(register_check_correction(&c, &why), -1);
	assert_string_equal(why.code, "unknown_entry");
}

/* A correction of a correction is refused, whatever its size: it would
 * have no bound of its own. */
static void
test_correction_of_correction(void **state)
{
	struct register_entry	target = entry(REGISTER_CORRECTION, -1000);
	struct refusal		why;

	(void)state;
	strcpy(target.corrects, "entry-0");
	assert_int_equal(correct(&target, 0, 1, &why), -1);
	assert_string_equal(why.code, "correction_of_correction");
	assert_int_equal(why.conflict, 0);
	assert_non_null(strstr(why.message, "entry-0"));
	assert_int_equal(correct(&target, 0, -1000, &why), -1);
	assert_string_equal(why.code, "correction_of_correction");
}

/* The corrections of an entry, added up, at most undo it or double it:
 * a 30 ml receipt and a 35.25 ml dose at each edge, either sign; the
 * attack, -900 ml of a 30 ml entry. */
static void
test_correction_bounds(void **state)
{
	static const struct {
		enum register_kind	kind;
		int64_t			quantity, delta;
		int			ok;
	} cases[] = {
		{ REGISTER_RECEIPT, 30000, -30000, 1 },	/* undone exactly */
		{ REGISTER_RECEIPT, 30000, -30001, 0 },	/* a thousandth over */
		{ REGISTER_RECEIPT, 30000, 30000, 1 },	/* doubled exactly */
		{ REGISTER_RECEIPT, 30000, 30001, 0 },
		{ REGISTER_RECEIPT, 30000, -900000, 0 },	/* the attack */
		{ REGISTER_RECEIPT, 30000, 1, 1 },
		{ REGISTER_ADMINISTRATION, -35250, 35250, 1 },	/* in error */
		{ REGISTER_ADMINISTRATION, -35250, 35251, 0 },
		{ REGISTER_ADMINISTRATION, -35250, -35250, 1 },
		{ REGISTER_ADMINISTRATION, -35250, -35251, 0 },
		{ REGISTER_DESTRUCTION, -5125, -875, 1 },
		{ REGISTER_RETURN, -100000, 100001, 0 },
	};
	struct register_entry	target;
	struct refusal		why;
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		target = entry(cases[i].kind, cases[i].quantity);
		if (correct(&target, 0, cases[i].delta, &why) !=
		    (cases[i].ok ? 0 : -1))
			fail_msg("%s %lld corrected by %lld: %s",
			    register_kind_name(cases[i].kind),
			    (long long)cases[i].quantity,
			    (long long)cases[i].delta,
			    cases[i].ok ? why.message : "allowed");
		if (!cases[i].ok)
			assert_string_equal(why.code,
			    "correction_exceeds_entry");
	}
	target = entry(REGISTER_RECEIPT, 30000);
	assert_int_equal(correct(&target, 0, -900000, &why), -1);
	assert_string_equal(why.message, "the corrections of entry entry-1 "
	    "would come to -900, and may come to -30 to 30: an entry's may "
	    "undo it or double it, no more");
}

/* The Nth correction of an entry: its sum with those before is bounded,
 * and one that brings an overshoot back is allowed. */
static void
test_correction_nth(void **state)
{
	struct register_entry	target = entry(REGISTER_RECEIPT, 30000);
	struct refusal		why;

	(void)state;
	assert_int_equal(correct(&target, -20000, -10000, &why), 0);
	assert_int_equal(correct(&target, -20000, -10001, &why), -1);
	assert_string_equal(why.code, "correction_exceeds_entry");
	assert_int_equal(correct(&target, -30000, -1, &why), -1);
	assert_int_equal(correct(&target, -30000, 1, &why), 0);
	assert_int_equal(correct(&target, 30000, 1, &why), -1);
	assert_int_equal(correct(&target, 30000, -60000, &why), 0);
	assert_int_equal(correct(&target, 30000, -60001, &why), -1);
	/* Ten corrections of a thousandth each fit a 0.01 entry; an
	 * eleventh does not. */
	target = entry(REGISTER_RECEIPT, 10);
	assert_int_equal(correct(&target, 9, 1, &why), 0);
	assert_int_equal(correct(&target, 10, 1, &why), -1);
}

/* A stock check changed nothing: its corrections bring the balance to
 * what was counted, not past it nor away from it; a check that agreed
 * takes none. */
static void
test_correction_of_check(void **state)
{
	struct register_entry	target = entry(REGISTER_CHECK, 0);
	struct refusal		why;

	(void)state;
	target.balance_after = 584000;
	target.counted = 583500;			/* half a ml short */
	assert_int_equal(correct(&target, 0, -500, &why), 0);
	assert_int_equal(correct(&target, 0, -501, &why), -1);
	assert_string_equal(why.code, "correction_exceeds_entry");
	assert_non_null(strstr(why.message, "what was counted"));
	assert_int_equal(correct(&target, 0, 1, &why), -1);
	assert_int_equal(correct(&target, -500, -1, &why), -1);
	assert_int_equal(correct(&target, -200, -300, &why), 0);
	target.counted = 584250;			/* a quarter over */
	assert_int_equal(correct(&target, 0, 250, &why), 0);
	assert_int_equal(correct(&target, 0, 251, &why), -1);
	assert_int_equal(correct(&target, 0, -1, &why), -1);
	target.counted = 584000;			/* agreed */
	assert_int_equal(correct(&target, 0, 1, &why), -1);
	assert_int_equal(correct(&target, 0, -1, &why), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_change),
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_page),
		cmocka_unit_test(test_correction),
		cmocka_unit_test(test_correction_of_correction),
		cmocka_unit_test(test_correction_bounds),
		cmocka_unit_test(test_correction_nth),
		cmocka_unit_test(test_correction_of_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
