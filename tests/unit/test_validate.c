/* Unit tests for validate.c: prison numbers, usernames, PINs, free text,
 * UUIDs and quantities. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "validate.h"

/* in must be accepted as the prison number want. */
static void
prison_ok(const char *in, const char *want)
{
	char	out[PRISON_NUMBER_LEN];

	memset(out, 'X', sizeof out);
	if (validate_prison_number(in, out) != 0)
		fail_msg("refused prison number \"%s\"", in);
	assert_string_equal(out, want);
}

static void
prison_refused(const char *in)
{
	char	out[PRISON_NUMBER_LEN];

	if (validate_prison_number(in, out) != -1)
		fail_msg("accepted prison number \"%s\"", in);
}

static void
test_prison_number(void **state)
{
	(void)state;
	prison_ok("A1234BC", "A1234BC");
	prison_ok("Z0000ZZ", "Z0000ZZ");
	prison_ok("a1234bc", "A1234BC");
	prison_ok("a1234Bc", "A1234BC");

	/* Wrong lengths. */
	prison_refused("");
	prison_refused("A");
	prison_refused("A1234B");
	prison_refused("A123BC");
	prison_refused("A1234BCD");
	prison_refused("AA1234BC");
	prison_refused("A12345BC");
	prison_refused(" A1234BC");
	prison_refused("A1234BC ");
	prison_refused("A1234BC\n");
	/* Digits where letters go, letters where digits go. */
	prison_refused("11234BC");
	prison_refused("A1234B1");
	prison_refused("A12341C");
	prison_refused("AB234BC");
	prison_refused("A123ABC");
	prison_refused("A1B34BC");
	prison_refused("1ABCD23");
	prison_refused("A 234BC");
	prison_refused("A-234BC");
	prison_refused("A1234-C");
	/* Not ASCII: an accented letter as two UTF-8 bytes (seven bytes in
	 * all), and as one Latin-1 byte. */
	prison_refused("A1234\xc3\xa9");
	prison_refused("A1234B\xe9");
	prison_refused("\xc9" "1234BC");
	/* Full-width digits. */
	prison_refused("A\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93\xef\xbc\x94"
	    "BC");
}

static void
test_username(void **state)
{
	(void)state;
	assert_int_equal(validate_username("jo"), 0);
	assert_int_equal(validate_username("alice"), 0);
	assert_int_equal(validate_username("alice.smith_2-x"), 0);
	assert_int_equal(validate_username("a1"), 0);
	/* 32 characters is the most. */
	assert_int_equal(validate_username("abcdefghijklmnopqrstuvwxyz012345"),
	    0);
	assert_int_equal(validate_username("abcdefghijklmnopqrstuvwxyz0123456"),
	    -1);
	assert_int_equal(validate_username(""), -1);
	assert_int_equal(validate_username("j"), -1);
	assert_int_equal(validate_username("Alice"), -1);
	assert_int_equal(validate_username("aLice"), -1);
	assert_int_equal(validate_username("1alice"), -1);
	assert_int_equal(validate_username(".alice"), -1);
	assert_int_equal(validate_username("_alice"), -1);
	assert_int_equal(validate_username("-alice"), -1);
	assert_int_equal(validate_username("al ice"), -1);
	assert_int_equal(validate_username("al/ice"), -1);
	assert_int_equal(validate_username("al@ice"), -1);
	assert_int_equal(validate_username("alice\n"), -1);
	assert_int_equal(validate_username("jos\xc3\xa9"), -1);
}

static void
test_pin(void **state)
{
	(void)state;
	assert_int_equal(validate_pin("123"), -1);
	assert_int_equal(validate_pin("1234"), 0);
	assert_int_equal(validate_pin("0000"), 0);
	assert_int_equal(validate_pin("12345678"), 0);
	assert_int_equal(validate_pin("123456789012"), 0);
	assert_int_equal(validate_pin("1234567890123"), -1);
	assert_int_equal(validate_pin(""), -1);
	assert_int_equal(validate_pin("12a4"), -1);
	assert_int_equal(validate_pin("abcd"), -1);
	assert_int_equal(validate_pin(" 1234"), -1);
	assert_int_equal(validate_pin("1234 "), -1);
	assert_int_equal(validate_pin("-1234"), -1);
	assert_int_equal(validate_pin("+1234"), -1);
	assert_int_equal(validate_pin("12.34"), -1);
	assert_int_equal(validate_pin("1234\n"), -1);
	/* Full-width digits: not decimal digits to a terminal keypad. */
	assert_int_equal(validate_pin("\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93"
	    "\xef\xbc\x94"), -1);
}

static void
test_text(void **state)
{
	(void)state;
	assert_int_equal(validate_text("a", 100), 0);
	assert_int_equal(validate_text("Alice Smith", 100), 0);
	assert_int_equal(validate_text(" a ", 100), 0);
	assert_int_equal(validate_text("O'Brien-Ó Súilleabháin", 100), 0);
	/* Blank or only spaces. */
	assert_int_equal(validate_text("", 100), -1);
	assert_int_equal(validate_text(" ", 100), -1);
	assert_int_equal(validate_text("     ", 100), -1);
	/* Control characters, anywhere. */
	assert_int_equal(validate_text("a\tb", 100), -1);
	assert_int_equal(validate_text("a\nb", 100), -1);
	assert_int_equal(validate_text("a\rb", 100), -1);
	assert_int_equal(validate_text("\x1b[31mred", 100), -1);
	assert_int_equal(validate_text("ab\x7f", 100), -1);
	assert_int_equal(validate_text("\x01", 100), -1);
	assert_int_equal(validate_text("\t", 100), -1);
	/* The limit counts characters, not bytes. */
	assert_int_equal(validate_text("abc", 3), 0);
	assert_int_equal(validate_text("abcd", 3), -1);
	assert_int_equal(validate_text("\xc3\xa9", 1), 0);		/* é */
	assert_int_equal(validate_text("\xc3\xa9\xc3\xa9", 1), -1);
	assert_int_equal(validate_text("\xc3\xa9\xc3\xa9", 2), 0);
	assert_int_equal(validate_text("Zo\xc3\xab", 3), 0);		/* Zoë */
	assert_int_equal(validate_text("Zo\xc3\xab", 2), -1);
	assert_int_equal(validate_text("\xe2\x82\xac", 1), 0);	/* € */
	assert_int_equal(validate_text("\xf0\x9f\x98\x80", 1), 0);	/* 😀 */
	assert_int_equal(validate_text("\xf0\x9f\x98\x80x", 1), -1);
	/* Spaces count as characters. */
	assert_int_equal(validate_text("a b", 2), -1);
	assert_int_equal(validate_text("a b", 3), 0);
}

/* Code point c as UTF-8 between two letters ("a", c, "b"). */
static const char *
text_around(uint32_t c, char buf[8])
{
	size_t	n = 1;

	buf[0] = 'a';
	if (c < 0x80)
		buf[n++] = (char)c;
	else if (c < 0x800) {
		buf[n++] = (char)(0xc0 | c >> 6);
		buf[n++] = (char)(0x80 | (c & 0x3f));
	} else {
		buf[n++] = (char)(0xe0 | c >> 12);
		buf[n++] = (char)(0x80 | (c >> 6 & 0x3f));
		buf[n++] = (char)(0x80 | (c & 0x3f));
	}
	buf[n++] = 'b';
	buf[n] = '\0';
	return buf;
}

/* Each range of refused characters at both its ends, and the characters
 * just outside it accepted: C0 and DEL, C1, the bidirectional marks,
 * embeddings, overrides and isolates, the line and paragraph
 * separators. */
static void
test_text_unicode(void **state)
{
	static const struct {
		uint32_t	first, last;
	} refused[] = {
		{ 0x01, 0x1f },		/* C0 */
		{ 0x7f, 0x7f },		/* DEL */
		{ 0x80, 0x9f },		/* C1 */
		{ 0x61c, 0x61c },	/* ARABIC LETTER MARK */
		{ 0x200e, 0x200f },	/* LRM, RLM */
		{ 0x2028, 0x2029 },	/* LINE, PARAGRAPH SEPARATOR */
		{ 0x202a, 0x202e },	/* LRE, RLE, PDF, LRO, RLO */
		{ 0x2066, 0x2069 },	/* LRI, RLI, FSI, PDI */
	};
	/* Just outside each range, and ZWNJ and ZWJ that scripts need. */
	static const uint32_t	accepted[] = { 0x20, 0x7e, 0xa0, 0x61b,
	    0x61d, 0x200c, 0x200d, 0x2010, 0x2027, 0x202f, 0x2065, 0x206a };
	char			buf[8];
	size_t			i;
	uint32_t		c;

	(void)state;
	for (i = 0; i < sizeof refused / sizeof refused[0]; i++)
		for (c = refused[i].first; c <= refused[i].last; c++)
			if (validate_text(text_around(c, buf), 100) != -1)
				fail_msg("U+%04X accepted", (unsigned)c);
	for (i = 0; i < sizeof accepted / sizeof accepted[0]; i++)
		if (validate_text(text_around(accepted[i], buf), 100) != 0)
			fail_msg("U+%04X refused", (unsigned)accepted[i]);
	/* The attack: a family name turned around by U+202E. */
	assert_int_equal(validate_text("Smith\xe2\x80\xae" "evil", 100), -1);
	/* Not UTF-8 (the config's text is not checked by jansson): a raw C1
	 * byte, a stray continuation, overlong, a surrogate, past U+10FFFF,
	 * cut short. */
	assert_int_equal(validate_text("a\x85", 100), -1);
	assert_int_equal(validate_text("\x80", 100), -1);
	assert_int_equal(validate_text("\xc1\x81", 100), -1);
	assert_int_equal(validate_text("\xed\xa0\x80", 100), -1);
	assert_int_equal(validate_text("\xf4\x90\x80\x80", 100), -1);
	assert_int_equal(validate_text("\xe2\x82", 100), -1);
	assert_int_equal(validate_text("\xf4\x8f\xbf\xbf", 1), 0);
}

static void
test_uuid(void **state)
{
	(void)state;
	assert_int_equal(validate_uuid("123e4567-e89b-12d3-a456-426614174000"),
	    0);
	assert_int_equal(validate_uuid("00000000-0000-0000-0000-000000000000"),
	    0);
	assert_int_equal(validate_uuid("ffffffff-ffff-4fff-bfff-ffffffffffff"),
	    0);
	/* Upper case is not the canonical form. */
	assert_int_equal(validate_uuid("123E4567-E89B-12D3-A456-426614174000"),
	    -1);
	assert_int_equal(validate_uuid("123e4567-e89b-12d3-a456-42661417400A"),
	    -1);
	/* Wrong lengths. */
	assert_int_equal(validate_uuid(""), -1);
	assert_int_equal(validate_uuid("123e4567-e89b-12d3-a456-42661417400"),
	    -1);
	assert_int_equal(validate_uuid("123e4567-e89b-12d3-a456-4266141740000"),
	    -1);
	assert_int_equal(validate_uuid("123e4567e89b12d3a456426614174000"), -1);
	assert_int_equal(validate_uuid(
	    "{123e4567-e89b-12d3-a456-426614174000}"), -1);
	assert_int_equal(validate_uuid(
	    "urn:uuid:123e4567-e89b-12d3-a456-426614174000"), -1);
	/* Right length, wrong shape. */
	assert_int_equal(validate_uuid("123e4567-e89b-12d3-a456-42661417400g"),
	    -1);
	assert_int_equal(validate_uuid("123e4567ee89b-12d3-a456-426614174000"),
	    -1);
	assert_int_equal(validate_uuid("123e456-7e89b-12d3-a456-426614174000"),
	    -1);
	assert_int_equal(validate_uuid("123e4567-e89b-12d3-a456-42661417400 "),
	    -1);
	assert_int_equal(validate_uuid(" 23e4567-e89b-12d3-a456-426614174000"),
	    -1);
}

static void
test_new_uuid(void **state)
{
	char	a[UUID_STR_LEN], b[UUID_STR_LEN];

	(void)state;
	validate_new_uuid(a);
	validate_new_uuid(b);
	assert_int_equal(strlen(a), UUID_STR_LEN - 1);
	assert_int_equal(validate_uuid(a), 0);
	assert_int_equal(validate_uuid(b), 0);
	assert_string_not_equal(a, b);
	/* Random (version 4), RFC 4122 variant. */
	assert_int_equal(a[14], '4');
	assert_non_null(strchr("89ab", a[19]));
}

/* value must be accepted as want thousandths. */
static void
quantity_ok(double value, int64_t want)
{
	int64_t	got = -7;

	if (validate_quantity(value, &got) != 0)
		fail_msg("refused quantity %.17g", value);
	if (got != want)
		fail_msg("quantity %.17g gave %lld, expected %lld", value,
		    (long long)got, (long long)want);
}

static void
quantity_refused(double value)
{
	int64_t	got = -7;

	if (validate_quantity(value, &got) != -1)
		fail_msg("accepted quantity %.17g as %lld", value,
		    (long long)got);
	assert_int_equal(got, -7);
}

static void
test_quantity(void **state)
{
	(void)state;
	quantity_ok(0, 0);
	quantity_ok(30, 30000);
	quantity_ok(45.5, 45500);
	quantity_ok(0.001, 1);
	quantity_ok(0.999, 999);
	quantity_ok(1.001, 1001);
	quantity_ok(2.675, 2675);	/* 2.67499999... in binary */
	quantity_ok(0.1, 100);
	quantity_ok(123456.789, 123456789);
	quantity_ok(8.25, 8250);
	/* More precision than a thousandth is refused, not rounded. */
	quantity_refused(0.0001);
	quantity_refused(0.0005);
	quantity_refused(0.0009);
	quantity_refused(1.0005);
	quantity_refused(1.0004);
	quantity_refused(30.0001);
	quantity_refused(45.5555);
	/* Negative, not a number, infinite. */
	quantity_refused(-1);
	quantity_refused(-0.001);
	quantity_refused(NAN);
	quantity_refused(INFINITY);
	quantity_refused(-INFINITY);
}

static void
test_quantity_large(void **state)
{
	(void)state;
	quantity_ok(1000, 1000000);
	quantity_ok(1000000, 1000000000);
	quantity_ok(999999999.999, INT64_C(999999999999));
	/* QUANTITY_MAX thousandths is the most. */
	quantity_ok(1e9, QUANTITY_MAX);
	quantity_refused(1e9 + 0.001);
	quantity_refused(1e10);
	quantity_refused(1e300);
	quantity_refused(1.7976931348623157e308);
}

/* Values of a thousand units and more must also be refused when they
 * carry a fourth decimal place: a register receipt of 1000.0005 ml is
 * not 1000 ml.  (validate.c tolerates an error relative to the value, so
 * at 1000 and above up to a whole thousandth is silently rounded.) */
static void
test_quantity_large_fraction(void **state)
{
	(void)state;
	quantity_refused(100.0005);
	quantity_refused(1000.0005);
	quantity_refused(1000.0004);
	quantity_refused(999.9995);
	quantity_refused(1500.0004);
	quantity_refused(999999.9995);
	quantity_refused(123456.7891);
}

/* Quantities print as people write them: no trailing zeros, a sign only
 * when negative. */
static void
test_quantity_format(void **state)
{
	static const struct {
		int64_t		 thousandths;
		const char	*want;
	} cases[] = {
		{ 0, "0" }, { 60000, "60" }, { 2500, "2.5" }, { 125, "0.125" },
		{ 1, "0.001" }, { 10, "0.01" }, { -3000, "-3" },
		{ -28600, "-28.6" }, { 1000001, "1000.001" },
		{ QUANTITY_MAX, "1000000000" },
		{ INT64_MIN, "-9223372036854775.808" },
	};
	char	buf[QUANTITY_TEXT_LEN];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		validate_quantity_format(cases[i].thousandths, buf);
		assert_string_equal(buf, cases[i].want);
	}
}

/* NHS numbers: ten digits whose last is their Modulus 11 check digit;
 * the spaces of the printed form dropped; a remainder giving 10 is no
 * number at all, whatever its last digit. */
static void
test_nhs_number(void **state)
{
	char	out[NHS_NUMBER_LEN];
	int	d;

	(void)state;
	assert_int_equal(validate_nhs_number("9434765919", out), 0);
	assert_string_equal(out, "9434765919");
	assert_int_equal(validate_nhs_number("943 476 5919", out), 0);
	assert_string_equal(out, "9434765919");
	/* A check of 11 reads 0. */
	assert_int_equal(validate_nhs_number("0000000000", out), 0);
	assert_int_equal(validate_nhs_number("1000000001", out), 0);
	assert_int_equal(validate_nhs_number("9434765918", out), -1);
	assert_int_equal(validate_nhs_number("9434765910", out), -1);
	/* Weighted sum 12: 11 - 1 = 10, no valid number. */
	for (d = 0; d <= 9; d++) {
		char	in[] = "000000040X";

		in[9] = (char)('0' + d);
		assert_int_equal(validate_nhs_number(in, out), -1);
	}
	assert_int_equal(validate_nhs_number("943476591", out), -1);
	assert_int_equal(validate_nhs_number("94347659190", out), -1);
	assert_int_equal(validate_nhs_number("943476591a", out), -1);
	assert_int_equal(validate_nhs_number("943-476-5919", out), -1);
	assert_int_equal(validate_nhs_number("", out), -1);
	assert_int_equal(validate_nhs_number("   ", out), -1);
}

/* validate_utf8_repair: whole characters kept; each byte of a stray,
 * cut, overlong or out-of-range sequence becomes '?'. */
static void
test_utf8_repair(void **state)
{
	static const struct {
		const char	*in, *out;
	} t[] = {
		{ "plain", "plain" },
		{ "caf\xc3\xa9", "caf\xc3\xa9" },
		{ "\xe2\x82\xac 5", "\xe2\x82\xac 5" },
		{ "\xf0\x9f\x92\x8a", "\xf0\x9f\x92\x8a" },
		{ "\x80x", "?x" },			/* no lead byte */
		{ "\xffx", "?x" },			/* never a lead byte */
		{ "\xf8\x88\x80\x80\x80", "?????" },	/* five bytes */
		{ "ab\xc3", "ab?" },			/* cut by snprintf */
		{ "ab\xe2\x82", "ab??" },
		{ "\xc0\xaf", "??" },			/* overlong '/' */
		{ "\xe0\x80\xaf", "???" },
		{ "\xed\xa0\x80", "???" },		/* a surrogate */
		{ "\xf4\x90\x80\x80", "????" },		/* past U+10FFFF */
	};
	char	buf[32];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		snprintf(buf, sizeof buf, "%s", t[i].in);
		validate_utf8_repair(buf);
		assert_string_equal(buf, t[i].out);
	}
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_prison_number),
		cmocka_unit_test(test_nhs_number),
		cmocka_unit_test(test_username),
		cmocka_unit_test(test_pin),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_unicode),
		cmocka_unit_test(test_uuid),
		cmocka_unit_test(test_new_uuid),
		cmocka_unit_test(test_quantity),
		cmocka_unit_test(test_quantity_large),
		cmocka_unit_test(test_quantity_large_fraction),
		cmocka_unit_test(test_quantity_format),
		cmocka_unit_test(test_utf8_repair),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
