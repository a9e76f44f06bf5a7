/* The arithmetic of the controlled-drug register (docs/design.md rule 6). */
#include <string.h>

#include "register.h"

static const char *const register_kinds[] = {
	"receipt", "administration", "return", "destruction", "check",
	"correction",
};

/* An entry kind as docs/openapi.yaml names it. */
const char *
register_kind_name(enum register_kind k)
{
	return register_kinds[k];
}

/* An entry kind from its name; -1 if it is none. */
int
register_kind_parse(const char *name, enum register_kind *k)
{
	size_t	i;

	for (i = 0; i < sizeof register_kinds / sizeof register_kinds[0]; i++)
		if (strcmp(name, register_kinds[i]) == 0) {
			*k = (enum register_kind)i;
			return 0;
		}
	return -1;
}

/* The change an entry makes to the balance: a receipt adds its quantity;
 * an administration, return or destruction takes it away; a check changes
 * nothing; a correction's quantity is already signed. */
int64_t
register_change(enum register_kind kind, int64_t quantity)
{
	switch (kind) {
	case REGISTER_RECEIPT:
	case REGISTER_CORRECTION:
		return quantity;
	case REGISTER_CHECK:
		return 0;
	default:
		return -quantity;
	}
}

/* The balance after a change.  Returns 0, or -1 with *why filled if it
 * would go below zero or beyond what a quantity can hold. */
int
register_apply(int64_t balance, int64_t change, int64_t *after,
    struct refusal *why)
{
	if (change < 0 && -change > balance)
		return refuse(why, 0, "balance_would_go_negative", "the "
		    "register holds less than that: the running balance "
		    "would go below zero");
	if (change > 0 && change > QUANTITY_MAX - balance)
		return refuse(why, 0, "balance_too_large", "the running "
		    "balance would exceed what the register can hold; check "
		    "the quantity");
	*after = balance + change;
	return 0;
}

/* How far the corrections of target, added up, may move the balance:
 * *lo <= 0 <= *hi.  An entry that changed the balance by c may be
 * corrected by at most |c| either way: what it should have said lies
 * between nothing and twice what it says.  A stock check changed nothing;
 * its corrections may bring the balance to what was counted, and not past
 * it, nor the other way. */
static void
register_correction_bounds(const struct register_entry *target, int64_t *lo,
    int64_t *hi)
{
	int64_t	d;

	if (target->kind == REGISTER_CHECK) {
		d = target->counted - target->balance_after;
		*lo = d < 0 ? d : 0;
		*hi = d > 0 ? d : 0;
		return;
	}
	*lo = target->quantity < 0 ? target->quantity : -target->quantity;
	*hi = -*lo;
}

/* A correction names the entry it corrects, which must be on the same
 * page (product): a correction that moved stock between products would
 * leave both balances wrong.  It may not correct a correction (correct
 * the entry itself again: a chain of corrections has no bound), and the
 * corrections of one entry, this one and those before it added up, may
 * not go beyond register_correction_bounds(), or a -900 ml correction of
 * a 30 ml entry would empty the page unseen.  0, or -1 with *why. */
int
register_check_correction(const struct register_correction *c,
    struct refusal *why)
{
	const struct register_entry	*t = c->target;
	char				 sum[QUANTITY_TEXT_LEN];
	char				 lo_text[QUANTITY_TEXT_LEN];
	char				 hi_text[QUANTITY_TEXT_LEN];
	int64_t				 lo, hi;

	if (t == NULL || strcmp(t->product_id, c->product_id) != 0)
		return refuse(why, 0, "unknown_entry",
		    "there is no entry %s on this register page", c->corrects);
	if (t->kind == REGISTER_CORRECTION)
		return refuse(why, 0, "correction_of_correction", "entry %s "
		    "is itself a correction: correct the entry it corrects, "
		    "%s", c->corrects, t->corrects);
	register_correction_bounds(t, &lo, &hi);
	if (c->earlier + c->delta >= lo && c->earlier + c->delta <= hi)
		return 0;
	validate_quantity_format(c->earlier + c->delta, sum);
	validate_quantity_format(lo, lo_text);
	validate_quantity_format(hi, hi_text);
	return refuse(why, 0, "correction_exceeds_entry", "the corrections "
	    "of entry %s would come to %s, and may come to %s to %s: %s",
	    c->corrects, sum, lo_text, hi_text, t->kind == REGISTER_CHECK ?
	    "a stock check's bring the balance to what was counted, no "
	    "further" : "an entry's may undo it or double it, no more");
}
