/* Tallying the controlled-drugs register report. */
#include <stdlib.h>
#include <string.h>

#include "report_register.h"

/* Start the report of the register's entries from to to (local dates):
 * -1 if the period is reversed or too long. */
int
report_register_start(struct report_register *t, struct civil_date from,
    struct civil_date to)
{
	memset(t, 0, sizeof *t);
	return report_period_start(&t->period, from, to);
}

/* A product's page of the report, added (opening at the balance before
 * the entry first met) if new; NULL if out of memory.  Entries come
 * product by product, so the last page is the one to look at first. */
static struct report_register_product *
report_register_product(struct report_register *t,
    const struct report_register_row *e)
{
	struct report_register_product	*p, *more;
	size_t				 i;

	for (i = t->n; i > 0; i--)
		if (strcmp(t->product[i - 1].product_id, e->product_id) == 0)
			return &t->product[i - 1];
	if (t->n == t->cap) {
		if ((more = reallocarray(t->product, t->cap ? 2 * t->cap : 16,
		    sizeof *more)) == NULL)
			return NULL;
		t->product = more;
		t->cap = t->cap ? 2 * t->cap : 16;
	}
	p = &t->product[t->n++];
	memset(p, 0, sizeof *p);
	strcpy(p->product_id, e->product_id);
	p->opening = e->balance_after - e->quantity;
	return p;
}

/* Count an entry made in the period on its product's page: its kind and
 * the quantity it moved; a check, whether the count differed from the
 * balance and by how much.  -1 if out of memory. */
int
report_register_add(struct report_register *t,
    const struct report_register_row *e)
{
	struct report_register_product	*p;

	if (report_period_day(&t->period, e->at) == -1 ||
	    (unsigned)e->kind >= REPORT_REGISTER_KINDS ||
	    strlen(e->product_id) >= UUID_STR_LEN)
		return 0;
	if ((p = report_register_product(t, e)) == NULL)
		return -1;
	p->entries[e->kind]++;
	p->quantity[e->kind] += e->quantity;
	if (e->kind == REGISTER_CHECK && e->counted != e->balance_after) {
		p->differences++;
		p->difference_total += e->counted - e->balance_after;
	}
	p->closing = e->balance_after;
	return 0;
}

/* Free the pages. */
void
report_register_free(struct report_register *t)
{
	free(t->product);
	t->product = NULL;
	t->n = t->cap = 0;
}
