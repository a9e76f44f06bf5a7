/* What counts as a well-formed identifier or name.  Each function returns 0
 * when its input is acceptable and -1 when it is not. */
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <uuid/uuid.h>

#include "validate.h"

/* A prison number is one letter, four digits and two letters (A1234BC);
 * it is upper-cased into out. */
int
validate_prison_number(const char *in, char out[PRISON_NUMBER_LEN])
{
	size_t	i;

	if (strlen(in) != PRISON_NUMBER_LEN - 1)
		return -1;
	for (i = 0; i < PRISON_NUMBER_LEN - 1; i++) {
		unsigned char	c = (unsigned char)in[i];
		int		want_digit = i >= 1 && i <= 4;

		if (c >= 0x80 || (want_digit ? !isdigit(c) : !isalpha(c)))
			return -1;
		out[i] = (char)toupper(c);
	}
	out[i] = '\0';
	return 0;
}

/* An NHS number is ten digits, the last a Modulus 11 check digit: the
 * first nine weighted 10 down to 2 and summed, the check is 11 less the
 * remainder by 11 (11 reads 0; 10 means no valid number has those nine).
 * Spaces as printed ("943 476 5919") are dropped into out. */
int
validate_nhs_number(const char *in, char out[NHS_NUMBER_LEN])
{
	size_t	n = 0;
	int	sum = 0, check;

	for (; *in != '\0'; in++) {
		if (*in == ' ')
			continue;
		if (*in < '0' || *in > '9' || n == NHS_NUMBER_LEN - 1)
			return -1;
		out[n++] = *in;
	}
	out[n] = '\0';
	if (n != NHS_NUMBER_LEN - 1)
		return -1;
	for (n = 0; n < 9; n++)
		sum += (out[n] - '0') * (int)(10 - n);
	check = 11 - sum % 11;
	if (check == 11)
		check = 0;
	return check != 10 && check == out[9] - '0' ? 0 : -1;
}

/* Usernames: 2 to 32 of lower-case letters, digits, '.', '_' and '-',
 * starting with a letter, so they are safe in logs, tables and paths. */
int
validate_username(const char *s)
{
	size_t	i, n = strlen(s);

	if (n < 2 || n > USERNAME_MAX || !(s[0] >= 'a' && s[0] <= 'z'))
		return -1;
	for (i = 0; i < n; i++) {
		char	c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '.' || c == '_' || c == '-'))
			return -1;
	}
	return 0;
}

/* PINs are 4 to 12 decimal digits, typed at a ward terminal. */
int
validate_pin(const char *s)
{
	size_t	i, n = strlen(s);

	if (n < PIN_MIN_DIGITS || n > PIN_MAX_DIGITS)
		return -1;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	return 0;
}

/* The character at p into *cp: the length of its UTF-8 sequence (1 to
 * 4), or 0 if p does not begin a whole, well-formed one (cut short,
 * overlong, a surrogate or beyond U+10FFFF). */
size_t
validate_utf8_char(const char *s, uint32_t *cp)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n, i;

	if (*p < 0x80) {
		*cp = *p;
		return 1;
	}
	if ((*p & 0xe0) == 0xc0) {
		n = 1;
		*cp = *p & 0x1f;
	} else if ((*p & 0xf0) == 0xe0) {
		n = 2;
		*cp = *p & 0x0f;
	} else if ((*p & 0xf8) == 0xf0) {
		n = 3;
		*cp = *p & 0x07;
	} else
		return 0;
	for (i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;	/* the NUL too: never read past it */
		*cp = (*cp << 6) | (p[i] & 0x3f);
	}
	if ((n == 1 && *cp < 0x80) || (n == 2 && *cp < 0x800) ||
	    (n == 3 && (*cp < 0x10000 || *cp > 0x10ffff)) ||
	    (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return n + 1;
}

/* Whether free text may not hold character c: a control (C0, DEL, and C1
 * from U+0080 to U+009F, which a terminal obeys); a bidirectional control
 * (Unicode's Bidi_Control: the marks U+061C, U+200E and U+200F, the
 * embeddings and overrides U+202A to U+202E, the isolates U+2066 to
 * U+2069), which make a name or a note display otherwise than it reads
 * and look like another; or a line or paragraph separator (U+2028,
 * U+2029), which breaks a line of a log, a table or a letter.  No field
 * holds more than one line, so a line feed is refused too. */
int
validate_char_refused(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x61c ||
	    c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
	    (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029;
}

/* Free text such as a name: valid UTF-8, not empty, not only spaces, at
 * most max_chars characters, and none that validate_char_refused(). */
int
validate_text(const char *s, size_t max_chars)
{
	size_t		chars = 0, n;
	uint32_t	c;
	int		visible = 0;

	for (; *s != '\0'; s += n) {
		if ((n = validate_utf8_char(s, &c)) == 0 ||
		    validate_char_refused(c))
			return -1;
		chars++;
		if (c != ' ')
			visible = 1;
	}
	if (!visible || chars > max_chars)
		return -1;
	return 0;
}

/* A UUID in its canonical lower-case 8-4-4-4-12 form. */
int
validate_uuid(const char *s)
{
	uuid_t	u;
	size_t	i;

	if (strlen(s) != UUID_STR_LEN - 1 || uuid_parse(s, u) == -1)
		return -1;
	for (i = 0; s[i] != '\0'; i++)
		if (isupper((unsigned char)s[i]))
			return -1;
	return 0;
}

/* A fresh random UUID for a new record. */
void
validate_new_uuid(char out[UUID_STR_LEN])
{
	uuid_t	u;

	uuid_generate_random(u);
	uuid_unparse_lower(u, out);
}

/* A quantity in the product's unit with at most three decimal places, as
 * integer thousandths.  JSON numbers arrive as doubles; one with more
 * precision than a thousandth is refused rather than rounded. */
int
validate_quantity(double value, int64_t *thousandths)
{
	double	rounded;

	if (!isfinite(value) || value < 0 || value * 1000.0 > (double)QUANTITY_MAX)
		return -1;
	/* Both sides are correctly rounded doubles, so a value with at most
	 * three decimals comes back exactly and any finer one does not. */
	rounded = nearbyint(value * 1000.0);
	if (rounded / 1000.0 != value)
		return -1;
	*thousandths = (int64_t)rounded;
	return 0;
}

/* A quantity in thousandths as people write it: 60, 2.5, 0.125, -3. */
void
validate_quantity_format(int64_t thousandths, char buf[QUANTITY_TEXT_LEN])
{
	uint64_t	abs = thousandths < 0 ? -(uint64_t)thousandths :
			    (uint64_t)thousandths;
	unsigned	frac = (unsigned)(abs % 1000);
	int		n;

	n = snprintf(buf, QUANTITY_TEXT_LEN, "%s%" PRIu64, thousandths < 0 ?
	    "-" : "", abs / 1000);
	if (frac != 0 && n > 0 && n < QUANTITY_TEXT_LEN - 4) {
		snprintf(buf + n, (size_t)(QUANTITY_TEXT_LEN - n), ".%03u",
		    frac);
		while (buf[strlen(buf) - 1] == '0')
			buf[strlen(buf) - 1] = '\0';
	}
}

/* Make s valid UTF-8 in place: every byte that does not belong to a whole,
 * well-formed sequence (a character cut by snprintf, a raw byte from a
 * request path) becomes '?'.  JSON can then always carry it. */
void
validate_utf8_repair(char *s)
{
	uint32_t	cp;
	size_t		n;

	while (*s != '\0')
		if ((n = validate_utf8_char(s, &cp)) == 0)
			*s++ = '?';	/* cut, overlong or not a character */
		else
			s += n;
}
