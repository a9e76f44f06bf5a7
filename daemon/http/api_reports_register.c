/* GET /v1/reports/register?from=&to=: per product, the register's
 * entries of the period by kind with the quantities they moved, the
 * stock checks that found a difference and the sum of the differences,
 * and the balance before the period's first entry and after its last.
 * report_register_add() decides what each entry counts as. */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_reports.h"
#include "report_register.h"
#include "request.h"
#include "server.h"
#include "store_reports.h"

/* The JSON names of each kind's count and quantity. */
static const char *const api_register_names[REPORT_REGISTER_KINDS][2] = {
	{ "receipts", "received" },
	{ "administrations", "administered" },
	{ "returns", "returned" },
	{ "destructions", "destroyed" },
	{ "checks", "checked" },
	{ "corrections", "corrected" },
};

struct api_register_report {
	struct report_register	*t;
	json_t			*products;
	json_t			*rows;
};

/* A product's page, if it had entries in the period: JSON and a row. */
static void
api_register_product(const struct product *p, void *arg)
{
	struct api_register_report	*rep = arg;
	struct report_register_product	*page = NULL;
	json_t				*o;
	size_t				 i;
	int				 k;

	for (i = 0; i < rep->t->n && page == NULL; i++)
		if (strcmp(rep->t->product[i].product_id, p->id) == 0)
			page = &rep->t->product[i];
	if (page == NULL)
		return;
	o = json_pack("{s:s,s:s,s:s,s:s,s:s}", "product_id", p->id, "name",
	    p->name, "form", p->form, "strength", p->strength, "unit",
	    p->unit);
	for (k = 0; k < REPORT_REGISTER_KINDS; k++) {
		json_object_set_new(o, api_register_names[k][0],
		    json_integer(page->entries[k]));
		if (k != REGISTER_CHECK)
			json_object_set_new(o, api_register_names[k][1],
			    json_quantity(page->quantity[k]));
	}
	json_object_set_new(o, "check_differences",
	    json_integer(page->differences));
	json_object_set_new(o, "difference_total",
	    json_quantity(page->difference_total));
	json_object_set_new(o, "opening_balance", json_quantity(page->opening));
	json_object_set_new(o, "closing_balance", json_quantity(page->closing));
	json_array_append(rep->rows, o);
	json_array_append_new(rep->products, o);
}

/* Build the register report of [from, to]. */
static enum store_result
api_register_build(struct request *r, struct civil_date from,
    struct civil_date to, struct api_report_out *out)
{
	struct report_register		*t;
	struct api_register_report	 rep;
	enum store_result		 sr = STORE_ERROR;

	api_report_out_new(out, from, to);
	rep.products = json_array();
	rep.rows = out->rows;
	if ((rep.t = t = malloc(sizeof *t)) != NULL &&
	    report_register_start(t, from, to) == 0 &&
	    (sr = store_report_register(r->srv->store, t)) == STORE_OK)
		sr = store_report_products(r->srv->store,
		    api_register_product, &rep);
	json_object_set_new(out->body, "products", rep.products);
	if (t != NULL) {
		report_register_free(t);
		free(t);
	}
	return api_report_out_end(out, sr);
}

static const char *const api_register_columns[] = {
	"name", "form", "strength", "unit", "opening_balance", "receipts",
	"received", "administrations", "administered", "returns", "returned",
	"destructions", "destroyed", "checks", "check_differences",
	"difference_total", "corrections", "corrected", "closing_balance",
	NULL
};

const struct api_report_kind api_report_register_kind = {
	"register", api_register_columns, api_register_build
};

/* GET /v1/reports/register?from=YYYY-MM-DD&to=YYYY-MM-DD */
int
api_report_register(struct request *r)
{
	return api_report_serve(r, &api_report_register_kind);
}
