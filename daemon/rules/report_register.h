/* The controlled-drugs register report: per product, the entries of the
 * period by kind (receipts, administrations, returns, destructions,
 * stock checks, corrections) with the quantities they moved, the checks
 * that found a difference and the sum of those differences, and the
 * balance before the first entry and after the last.  Pure: the store
 * feeds the entries of each product in register order. */
#ifndef IDTSD_REPORT_REGISTER_H
#define IDTSD_REPORT_REGISTER_H

#include <stddef.h>
#include <stdint.h>

#include "register.h"
#include "report_period.h"

#define REPORT_REGISTER_KINDS	(REGISTER_CORRECTION + 1)

/* One register entry as the report reads it. */
struct report_register_row {
	const char			*product_id;
	enum register_kind		 kind;
	int64_t				 at;
	int64_t				 quantity;	/* signed */
	int64_t				 balance_after;
	int64_t				 counted;	/* checks */
};

struct report_register_product {
	char	product_id[UUID_STR_LEN];
	int	entries[REPORT_REGISTER_KINDS];
	int64_t	quantity[REPORT_REGISTER_KINDS];	/* signed sums */
	int	differences;		/* checks that did not agree */
	int64_t	difference_total;	/* counted less the balance */
	int64_t	opening;		/* before the first entry */
	int64_t	closing;		/* after the last */
};

struct report_register {
	struct report_period		 period;
	struct report_register_product	*product;	/* in the order met */
	size_t				 n, cap;
};

int	report_register_start(struct report_register *, struct civil_date from,
	    struct civil_date to);
int	report_register_add(struct report_register *,
	    const struct report_register_row *);
void	report_register_free(struct report_register *);

#endif
