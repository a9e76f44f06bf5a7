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

/* A correction names the entry it corrects, which must be on the same
 * page (product): a correction that moved stock between products would
 * leave both balances wrong.  target is NULL when no entry has that id. */
int
register_check_correction(const struct register_entry *target,
    const char *product_id, const char *corrects, struct refusal *why)
{
	if (target == NULL || strcmp(target->product_id, product_id) != 0)
		return refuse(why, 0, "unknown_entry",
		    "there is no entry %s on this register page", corrects);
	return 0;
}
