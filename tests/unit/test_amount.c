/* Amounts: a measure as the active amount it holds, exactly in
 * thousandths (rounded only past the third decimal), amounts as
 * configuration writes them, and a dose as a person reads it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "amount.h"
#include "validate.h"

/* A strength: so many thousandths of unit in each whole unit. */
static struct amount
per(int64_t quantity, const char *unit)
{
	struct amount	a;

	memset(&a, 0, sizeof a);
	a.quantity = quantity;
	strcpy(a.unit, unit);
	return a;
}

/* The active amount of measure, which must be known. */
static int64_t
active(int64_t measure, int64_t strength)
{
	struct amount	s = per(strength, "mg"), out;

	assert_int_equal(amount_active(measure, &s, &out), 0);
	assert_string_equal(out.unit, "mg");
	return out.quantity;
}

/* 30 ml of 1 mg/ml is 30 mg; 2.5 ml of 10 mg/ml is 25 mg; 0.5 tablet of
 * 8 mg is 4 mg; past the third decimal, to the nearest thousandth. */
static void
test_active(void **state)
{
	(void)state;
	assert_int_equal(active(30000, 1000), 30000);
	assert_int_equal(active(900000, 1000), 900000);
	assert_int_equal(active(2500, 10000), 25000);
	assert_int_equal(active(500, 8000), 4000);
	assert_int_equal(active(0, 1000), 0);
	assert_int_equal(active(1, 1), 0);		/* 0.000001 */
	assert_int_equal(active(1, 499), 0);		/* 0.000499 */
	assert_int_equal(active(1, 500), 1);		/* 0.0005 up */
	assert_int_equal(active(3, 333), 1);		/* 0.000999 */
	assert_int_equal(active(QUANTITY_MAX, 1000), QUANTITY_MAX);
}

/* No strength, a negative measure, or more than 64 bits: not known. */
static void
test_active_unknown(void **state)
{
	struct amount	none = per(0, ""), s = per(QUANTITY_MAX, "mg"), out;

	(void)state;
	assert_int_equal(amount_active(30000, &none, &out), -1);
	assert_int_equal(amount_active(30000, NULL, &out), -1);
	assert_int_equal(amount_active(-1, &s, &out), -1);
	assert_int_equal(amount_active(INT64_MAX / QUANTITY_MAX + 1, &s,
	    &out), -1);
	assert_int_equal(amount_active(INT64_MAX / QUANTITY_MAX, &s, &out),
	    0);
}

/* What amount_parse makes of text: the quantity, or -1. */
static int64_t
parsed(const char *text, const char *unit)
{
	struct amount	a;

	if (amount_parse(text, &a) == -1)
		return -1;
	assert_string_equal(a.unit, unit);
	return a.quantity;
}

/* "30 mg", "0.5 micrograms", three decimals at most; nothing else. */
static void
test_parse(void **state)
{
	(void)state;
	assert_int_equal(parsed("30 mg", "mg"), 30000);
	assert_int_equal(parsed("0.5 micrograms", "micrograms"), 500);
	assert_int_equal(parsed("2.125 mg", "mg"), 2125);
	assert_int_equal(parsed("8 MG", "MG"), 8000);
	assert_int_equal(parsed("1000000000 ml", "ml"), QUANTITY_MAX);
	assert_int_equal(parsed("1000000000.001 ml", ""), -1);
	assert_int_equal(parsed("99999999999999999999 ml", ""), -1);
	assert_int_equal(parsed("30mg", ""), -1);
	assert_int_equal(parsed("30 ", ""), -1);
	assert_int_equal(parsed("30", ""), -1);
	assert_int_equal(parsed(" mg", ""), -1);
	assert_int_equal(parsed("", ""), -1);
	assert_int_equal(parsed("1.2345 mg", ""), -1);
	assert_int_equal(parsed("0 mg", ""), -1);
	assert_int_equal(parsed("-1 mg", ""), -1);
	assert_int_equal(parsed(".5 mg", ""), -1);
	assert_int_equal(parsed("5. mg", ""), -1);
	assert_int_equal(parsed("1.2.3 mg", ""), -1);
	assert_int_equal(parsed("30 m g", ""), -1);
	assert_int_equal(parsed("30 mg1", ""), -1);
	assert_int_equal(parsed("30  mg", ""), -1);
	assert_int_equal(parsed("1 abcdefghijklmnop", "abcdefghijklmnop"),
	    1000);
	assert_int_equal(parsed("1 abcdefghijklmnopq", ""), -1);
}

/* The same unit in any case. */
static void
test_same_unit(void **state)
{
	(void)state;
	assert_true(amount_same_unit("mg", "MG"));
	assert_true(amount_same_unit("ml", "mL"));
	assert_false(amount_same_unit("mg", "micrograms"));
	assert_false(amount_same_unit("mg", "mgs"));
}

/* "30 ml (30 mg)"; only the measure when the strength is not known, or
 * when the measure is already the active unit. */
static void
test_dose_text(void **state)
{
	struct amount	one = per(1000, "mg"), none = per(0, "");
	struct amount	tablet = per(8000, "mg");
	char		buf[AMOUNT_TEXT_LEN];

	(void)state;
	amount_dose_text(30000, "ml", &one, buf);
	assert_string_equal(buf, "30 ml (30 mg)");
	amount_dose_text(2500, "ml", &one, buf);
	assert_string_equal(buf, "2.5 ml (2.5 mg)");
	amount_dose_text(500, "tablet", &tablet, buf);
	assert_string_equal(buf, "0.5 tablet (4 mg)");
	amount_dose_text(30000, "ml", &none, buf);
	assert_string_equal(buf, "30 ml");
	amount_dose_text(30000, "mg", &one, buf);
	assert_string_equal(buf, "30 mg");
	amount_format(&tablet, buf);
	assert_string_equal(buf, "8 mg");
}

/* The same from an API answer: a measure, and the active amount when
 * the answer gives one. */
static void
test_json_text(void **state)
{
	json_t	*active = json_pack("{s:f,s:s}", "quantity", 7.5, "unit", "mg");
	json_t	*same = json_pack("{s:i,s:s}", "quantity", 30, "unit", "ml");
	json_t	*m = json_real(7.5), *bad = json_real(0.0001);
	char	 buf[AMOUNT_TEXT_LEN];

	(void)state;
	assert_int_equal(amount_json_text(m, "ml", active, buf), 0);
	assert_string_equal(buf, "7.5 ml (7.5 mg)");
	assert_int_equal(amount_json_text(m, "ml", NULL, buf), 0);
	assert_string_equal(buf, "7.5 ml");
	assert_int_equal(amount_json_text(m, "ml", json_null(), buf), 0);
	assert_string_equal(buf, "7.5 ml");
	assert_int_equal(amount_json_text(m, "ml", same, buf), 0);
	assert_string_equal(buf, "7.5 ml");
	assert_int_equal(amount_json_text(bad, "ml", active, buf), -1);
	assert_int_equal(amount_json_text(NULL, "ml", active, buf), -1);
	assert_int_equal(amount_json_text(m, NULL, active, buf), -1);
	json_decref(active);
	json_decref(same);
	json_decref(m);
	json_decref(bad);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_active),
		cmocka_unit_test(test_active_unknown),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_same_unit),
		cmocka_unit_test(test_dose_text),
		cmocka_unit_test(test_json_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
