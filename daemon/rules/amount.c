/* The arithmetic of amounts: a measure of a product as the active amount
 * it holds, "30 mg" read and written, and "30 ml (30 mg)" as every dose
 * is shown to a person. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "amount.h"
#include "validate.h"

/* The active amount in measure thousandths of a product holding per_unit
 * in each whole unit: measure x per_unit / 1000, to the nearest
 * thousandth (half away from zero; a measure and a strength of at most
 * three decimals each can need six).  -1 if the strength is not known or
 * the product is too large for 64 bits. */
int
amount_active(int64_t measure, const struct amount *per_unit,
    struct amount *out)
{
	int64_t	product, whole, rest;

	if (per_unit == NULL || per_unit->quantity <= 0 || measure < 0 ||
	    __builtin_mul_overflow(measure, per_unit->quantity, &product))
		return -1;
	whole = product / 1000;
	rest = product % 1000;
	out->quantity = whole + (rest >= 500);
	snprintf(out->unit, sizeof out->unit, "%s", per_unit->unit);
	return 0;
}

/* "30 mg", "0.5 micrograms": a number of at most three decimals, one
 * space, a unit of 1 to AMOUNT_UNIT_MAX letters.  -1 if it is not. */
int
amount_parse(const char *text, struct amount *out)
{
	int64_t		 q = 0;
	int		 decimals = -1, digits = 0;
	const char	*p = text;
	size_t		 n;

	for (; *p != '\0' && *p != ' '; p++) {
		if (*p == '.' && decimals == -1 && digits > 0) {
			decimals = 0;
			continue;
		}
		if (*p < '0' || *p > '9' || decimals == 3 ||
		    q > QUANTITY_MAX / 10)
			return -1;
		q = q * 10 + (*p - '0');
		digits++;
		if (decimals >= 0)
			decimals++;
	}
	if (digits == 0 || decimals == 0 || *p != ' ')
		return -1;
	for (decimals = decimals < 0 ? 0 : decimals; decimals < 3;
	    decimals++)
		q *= 10;
	n = strlen(++p);
	if (q <= 0 || q > QUANTITY_MAX || n == 0 || n > AMOUNT_UNIT_MAX ||
	    strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
	    != n)
		return -1;
	out->quantity = q;
	memcpy(out->unit, p, n + 1);
	return 0;
}

/* Whether two units are the same unit as people write them: mg and MG. */
int
amount_same_unit(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

/* "30 mg". */
void
amount_format(const struct amount *a, char buf[AMOUNT_TEXT_LEN])
{
	char	q[QUANTITY_TEXT_LEN];

	validate_quantity_format(a->quantity, q);
	snprintf(buf, AMOUNT_TEXT_LEN, "%s %s", q, a->unit);
}

/* A measure and the active amount it holds (NULL: not known), as a
 * person reads them: "30 ml (30 mg)"; the measure alone when it is
 * already in the active unit. */
static void
amount_pair_text(const struct amount *measure, const struct amount *active,
    char buf[AMOUNT_TEXT_LEN])
{
	char	text[AMOUNT_TEXT_LEN];

	amount_format(measure, buf);
	if (active != NULL && !amount_same_unit(measure->unit, active->unit)) {
		amount_format(active, text);
		snprintf(buf + strlen(buf), AMOUNT_TEXT_LEN - strlen(buf),
		    " (%s)", text);
	}
}

/* A dose as a person reads it: "30 ml (30 mg)", or "30 ml" when the
 * product's strength is not known. */
void
amount_dose_text(int64_t measure, const char *unit,
    const struct amount *per_unit, char buf[AMOUNT_TEXT_LEN])
{
	struct amount	m, active;

	m.quantity = measure;
	snprintf(m.unit, sizeof m.unit, "%s", unit);
	amount_pair_text(&m, amount_active(measure, per_unit, &active) == 0 ?
	    &active : NULL, buf);
}

/* An amount from an API answer: a JSON number of at most three decimals
 * and its unit.  -1 if it is not one. */
static int
amount_from_json(const json_t *quantity, const char *unit,
    struct amount *out)
{
	if (!json_is_number(quantity) || unit == NULL ||
	    validate_quantity(json_number_value(quantity), &out->quantity) ==
	    -1)
		return -1;
	snprintf(out->unit, sizeof out->unit, "%s", unit);
	return 0;
}

/* A dose from an API answer as a person reads it, the same in every
 * client and on paper: the measure in its unit and, when the answer
 * gives it, the active amount ({quantity, unit}) it holds: "30 ml
 * (30 mg)".  -1 if measure is not a quantity. */
int
amount_json_text(const json_t *measure, const char *unit,
    const json_t *active, char buf[AMOUNT_TEXT_LEN])
{
	struct amount	m, a;

	if (amount_from_json(measure, unit, &m) == -1)
		return -1;
	amount_pair_text(&m, amount_from_json(json_object_get(active,
	    "quantity"), json_string_value(json_object_get(active, "unit")),
	    &a) == 0 ? &a : NULL, buf);
	return 0;
}
