/* The controlled-drug register: one page per product, entries that are
 * never altered, and a running balance that never goes negative.  Pure. */
#ifndef IDTSD_REGISTER_H
#define IDTSD_REGISTER_H

#include <stdint.h>

#include "amount.h"
#include "refusal.h"
#include "validate.h"

#define REGISTER_TEXT_MAX	200	/* characters: supplier, reference */
#define REGISTER_REASON_MAX	500	/* characters */

enum register_kind {
	REGISTER_RECEIPT,		/* stock in */
	REGISTER_ADMINISTRATION,	/* a dose given */
	REGISTER_RETURN,		/* stock sent back */
	REGISTER_DESTRUCTION,		/* stock destroyed */
	REGISTER_CHECK,			/* a physical count; no change */
	REGISTER_CORRECTION,		/* a signed change to an entry */
};

#define PRODUCT_TEXT_MAX	100	/* characters: name, form, strength */
#define PRODUCT_UNIT_MAX	16	/* characters: ml, tablet, mg */

/* A product is one page of the register. */
struct product {
	char	id[UUID_STR_LEN];
	char	name[PRODUCT_TEXT_MAX * 4 + 1];
	char	form[PRODUCT_TEXT_MAX * 4 + 1];
	char	strength[PRODUCT_TEXT_MAX * 4 + 1];
	char	unit[PRODUCT_UNIT_MAX * 4 + 1];
	char	created_by[UUID_STR_LEN];
	int64_t	created_at;
	int64_t	balance;	/* the running balance, when read */
	/* Set by a pharmacist (PATCH /v1/products/{id}); 0 when not set. */
	struct amount active_per_unit;	/* 1 mg in each ml */
	int64_t	max_single_dose;	/* thousandths of unit */
	int64_t	max_daily_dose;		/* thousandths of unit */
	int	opioid_substitute;
};

struct register_entry {
	int64_t			seq;		/* order on every page */
	char			id[UUID_STR_LEN];
	char			product_id[UUID_STR_LEN];
	enum register_kind	kind;
	int64_t			quantity;	/* signed change */
	int64_t			balance_after;
	int64_t			counted;	/* checks */
	int64_t			at;
	char			by[UUID_STR_LEN];
	char			witness[UUID_STR_LEN];
	char			dose_id[UUID_STR_LEN];		/* or "" */
	char			patient_id[UUID_STR_LEN];	/* or "" */
	char			supplier[REGISTER_TEXT_MAX * 4 + 1];
	char			reference[REGISTER_TEXT_MAX * 4 + 1];
	char			reason[REGISTER_REASON_MAX * 4 + 1];
	char			corrects[UUID_STR_LEN];		/* or "" */
};

const char *register_kind_name(enum register_kind);
int	register_kind_parse(const char *, enum register_kind *);
int64_t	register_change(enum register_kind, int64_t quantity);
/* A correction asked for, and what it corrects. */
struct register_correction {
	const struct register_entry *target;	/* NULL: no such entry */
	const char	*product_id;	/* the page it is written on */
	const char	*corrects;	/* the entry's id as given */
	int64_t		 earlier;	/* target's corrections so far, added */
	int64_t		 delta;		/* this one's signed change */
};

int	register_check_correction(const struct register_correction *,
	    struct refusal *why);
int	register_apply(int64_t balance, int64_t change, int64_t *after,
	    struct refusal *why);

#endif
