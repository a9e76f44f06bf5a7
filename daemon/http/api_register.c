/* Products and the controlled-drug register: receipts, returns,
 * destructions, stock checks and corrections, each witnessed, each a new
 * entry with the running balance after it (docs/design.md rule 6).
 * Administrations are written by the dose round (api_doses.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "api.h"
#include "request.h"
#include "server.h"
#include "store.h"

/* POST /v1/products {name, form, strength, unit} */
int
api_product_create(struct request *r)
{
	static const char *const fields[] = {
		"name", "form", "strength", "unit", NULL
	};
	const char		*name, *form, *strength, *unit;
	struct product		 p;
	enum store_result	 sr;

	if (json_in_allowed(r, r->body, fields) == -1 ||
	    json_in_string(r, r->body, "name", 1, PRODUCT_TEXT_MAX, &name) ==
	    -1 ||
	    json_in_string(r, r->body, "form", 1, PRODUCT_TEXT_MAX, &form) ==
	    -1 ||
	    json_in_string(r, r->body, "strength", 1, PRODUCT_TEXT_MAX,
	    &strength) == -1 ||
	    json_in_string(r, r->body, "unit", 1, PRODUCT_UNIT_MAX, &unit) ==
	    -1)
		return -1;
	memset(&p, 0, sizeof p);
	validate_new_uuid(p.id);
	strcpy(p.name, name);
	strcpy(p.form, form);
	strcpy(p.strength, strength);
	strcpy(p.unit, unit);
	strcpy(p.created_by, r->staff.id);
	p.created_at = r->now;
	sr = store_product_insert(r->srv->store, &p);
	if (sr == STORE_CONFLICT)
		return request_error(r, 409, "product_exists", "there is "
		    "already a register page for %s %s %s", name, form,
		    strength);
	if (sr != STORE_OK || store_audit_append(r->srv->store, r->now,
	    r->staff.id, "product.create", "product", p.id,
	    api_product_json(&p, 0)) != STORE_OK)
		return request_store_failed(r);
	request_reply(r, 201, api_product_json(&p, 1));
	return 0;
}

/* Add a product, with its balance, to the list. */
static void
api_product_list_one(const struct product *p, void *arg)
{
	json_array_append_new(arg, api_product_json(p, 1));
}

/* GET /v1/products */
int
api_product_list(struct request *r)
{
	json_t	*list = json_array();

	if (store_product_list(r->srv->store, api_product_list_one, list) !=
	    STORE_OK) {
		json_decref(list);
		return request_store_failed(r);
	}
	request_reply(r, 200, list);
	return 0;
}

/* The product named by the path, or -1 with a 404. */
static int
api_product_load(struct request *r, struct product *p)
{
	enum store_result	sr = STORE_NOT_FOUND;

	if (validate_uuid(r->params[0]) == 0)
		sr = store_product_get(r->srv->store, r->params[0], p);
	if (sr == STORE_ERROR)
		return request_store_failed(r);
	if (sr != STORE_OK)
		return request_error(r, 404, "not_found", "there is no "
		    "product %s", r->params[0]);
	return 0;
}

/* GET /v1/products/{id} */
int
api_product_get(struct request *r)
{
	struct product	p;

	if (api_product_load(r, &p) == -1)
		return -1;
	request_reply(r, 200, api_product_json(&p, 1));
	return 0;
}

/* A limit to set: a quantity above zero, or null to remove it; left as
 * it was when absent. */
static int
api_product_limit(struct request *r, const char *name, int64_t *limit)
{
	json_t	*v = json_object_get(r->body, name);

	if (v == NULL)
		return 0;
	if (json_is_null(v)) {
		*limit = 0;
		return 0;
	}
	if (json_in_quantity(r, r->body, name, limit) == -1)
		return -1;
	if (*limit == 0)
		return request_error(r, 400, "invalid_field", "%s must be "
		    "above zero; null removes the limit", name);
	return 0;
}

/* active_per_unit: {quantity, unit}, the active amount in one of the
 * product's unit, or null when it is not known. */
static int
api_product_strength(struct request *r, struct product *p)
{
	static const char *const fields[] = { "quantity", "unit", NULL };
	json_t		*v = json_object_get(r->body, "active_per_unit");
	const char	*unit;
	int		 rc;

	if (v == NULL)
		return 0;
	memset(&p->active_per_unit, 0, sizeof p->active_per_unit);
	if (json_is_null(v))
		return 0;
	if (!json_is_object(v))
		return request_error(r, 400, "invalid_field", "active_per_unit "
		    "is {quantity, unit}, such as {\"quantity\": 1, "
		    "\"unit\": \"mg\"} for 1 mg in each %s, or null", p->unit);
	r->json_prefix = "active_per_unit.";
	rc = json_in_allowed(r, v, fields) == -1 ||
	    json_in_quantity(r, v, "quantity", &p->active_per_unit.quantity) ==
	    -1 || json_in_string(r, v, "unit", 1, AMOUNT_UNIT_MAX, &unit) == -1;
	r->json_prefix = NULL;
	if (rc)
		return -1;
	if (p->active_per_unit.quantity == 0)
		return request_error(r, 400, "invalid_field", "active_per_unit."
		    "quantity must be above zero");
	strcpy(p->active_per_unit.unit, unit);
	return 0;
}

/* Decode what a pharmacist changes of a product into p. */
static int
api_product_decode(struct request *r, struct product *p)
{
	static const char *const fields[] = {
		"active_per_unit", "max_single_dose", "max_daily_dose",
		"opioid_substitute", NULL
	};

	if (json_in_allowed(r, r->body, fields) == -1)
		return -1;
	if (json_object_size(r->body) == 0)
		return request_error(r, 400, "missing_field", "give at least "
		    "one of active_per_unit, max_single_dose, max_daily_dose "
		    "and opioid_substitute");
	if (json_is_null(json_object_get(r->body, "opioid_substitute")))
		return request_error(r, 400, "invalid_field",
		    "opioid_substitute must be true or false");
	return api_product_strength(r, p) == -1 ||
	    api_product_limit(r, "max_single_dose", &p->max_single_dose) ==
	    -1 ||
	    api_product_limit(r, "max_daily_dose", &p->max_daily_dose) == -1 ||
	    json_in_bool(r, r->body, "opioid_substitute", 0,
	    &p->opioid_substitute) == -1 ? -1 : 0;
}

/* PATCH /v1/products/{id}: a pharmacist sets the product's strength as
 * data, its limits and whether it is an opioid substitute; audited with
 * the product before and after. */
int
api_product_update(struct request *r)
{
	struct product	before, p;

	if (api_product_load(r, &before) == -1)
		return -1;
	p = before;
	if (api_product_decode(r, &p) == -1)
		return -1;
	if (p.max_single_dose > 0 && p.max_daily_dose > 0 &&
	    p.max_single_dose > p.max_daily_dose)
		return request_error(r, 422, "limits_inconsistent", "the "
		    "largest single dose cannot be more than the most a day");
	if (store_product_update(r->srv->store, &p) != STORE_OK ||
	    store_audit_append(r->srv->store, r->now, r->staff.id,
	    "product.update", "product", p.id, json_pack("{s:o,s:o}",
	    "before", api_product_json(&before, 0), "after",
	    api_product_json(&p, 0))) != STORE_OK)
		return request_store_failed(r);
	request_reply(r, 200, api_product_json(&p, 1));
	return 0;
}

struct api_register_page {
	json_t	*entries;
	int64_t	 last;
};

/* Add an entry to the page and remember where it ends. */
static void
api_register_list_one(const struct store_register_row *row, void *arg)
{
	struct api_register_page	*page = arg;

	json_array_append_new(page->entries, api_register_json(row));
	page->last = row->entry.seq;
}

/* A whole number query parameter in [lo, hi]; 1 if absent. */
static int
api_register_query_int(struct request *r, const char *name, int64_t lo,
    int64_t hi, int64_t *out)
{
	char	 buf[24], *end;
	int	 rc;
	long long v;

	if ((rc = request_query(r, name, buf, sizeof buf)) != 0)
		return rc;
	v = strtoll(buf, &end, 10);
	if (end == buf || *end != '\0' || v < lo || v > hi)
		return request_error(r, 400, "invalid_query", "%s must be a "
		    "whole number from %lld to %lld", name, (long long)lo,
		    (long long)hi);
	*out = v;
	return 0;
}

/* GET /v1/register/{product_id}[?after=SEQ][&limit=N] */
int
api_register_list(struct request *r)
{
	struct api_register_page	 page = { NULL, 0 };
	struct product			 p;
	int64_t				 after = 0, limit = 1000;

	if (api_product_load(r, &p) == -1 ||
	    api_register_query_int(r, "after", 0, INT64_MAX, &after) == -1 ||
	    api_register_query_int(r, "limit", 1, 10000, &limit) == -1)
		return -1;
	page.entries = json_array();
	if (store_register_list(r->srv->store, p.id, after, (int)limit,
	    api_register_list_one, &page) != STORE_OK) {
		json_decref(page.entries);
		return request_store_failed(r);
	}
	request_reply(r, 200, json_pack("{s:o,s:o,s:o}", "product",
	    api_product_json(&p, 1), "entries", page.entries, "next_after",
	    (int64_t)json_array_size(page.entries) == limit ?
	    json_integer(page.last) : json_null()));
	return 0;
}

/* The same alert to the managers and to the pharmacy, about entry e. */
static int
api_register_alert(struct request *r, const char *kind,
    enum alert_severity severity, const struct register_entry *e,
    const char *msg)
{
	struct alert	pair[2];

	alert_raise_with_managers(pair, kind, severity, AUDIENCE_PHARMACY,
	    e->patient_id[0] != '\0' ? e->patient_id : NULL, e->id, msg,
	    r->now);
	if (store_alert_raise_pair(r->srv->store, pair, r->now, r->staff.id) !=
	    STORE_OK)
		return request_store_failed(r);
	return 0;
}

/* Raise the alerts a stock check's difference calls for: urgent, to the
 * managers and to the pharmacy. */
static int
api_register_discrepancy(struct request *r, const struct product *p,
    const struct register_entry *e)
{
	char			msg[ALERT_MESSAGE_MAX];
	char			counted[QUANTITY_TEXT_LEN];
	char			balance[QUANTITY_TEXT_LEN];
	char			difference[QUANTITY_TEXT_LEN];

	validate_quantity_format(e->counted, counted);
	validate_quantity_format(e->balance_after, balance);
	validate_quantity_format(e->counted - e->balance_after, difference);
	if (snprintf(msg, sizeof msg, "stock check: %s %s %s counted %s %s "
	    "but the register balance is %s %s (difference %s%s %s)",
	    p->name, p->strength, p->form, counted, p->unit, balance, p->unit,
	    e->counted > e->balance_after ? "+" : "", difference, p->unit) >=
	    (int)sizeof msg)
		validate_utf8_repair(msg);
	return api_register_alert(r, "stock_discrepancy", SEVERITY_URGENT, e,
	    msg);
}

/* Every correction of the register, a dose entered in error's too, is
 * told to the managers and the pharmacy (a warning): the balance was
 * changed after the fact, by whom, by how much and why. */
int
api_register_correction_alert(struct request *r, const struct product *p,
    const struct register_entry *e)
{
	char	msg[ALERT_MESSAGE_MAX];
	char	delta[QUANTITY_TEXT_LEN], balance[QUANTITY_TEXT_LEN];

	validate_quantity_format(e->quantity, delta);
	validate_quantity_format(e->balance_after, balance);
	if (snprintf(msg, sizeof msg, "register correction: %s %s %s %s%s "
	    "%s by %s, witnessed, correcting entry %s (balance now %s %s): "
	    "%s", p->name, p->strength, p->form, e->quantity > 0 ? "+" : "",
	    delta, p->unit, r->staff.username, e->corrects, balance, p->unit,
	    e->reason) >= (int)sizeof msg)
		validate_utf8_repair(msg);	/* a reason cut short */
	return api_register_alert(r, "register_correction", SEVERITY_WARNING,
	    e, msg);
}

/* Whether a correction of delta to entry corrects may be written on
 * product_id's page (register_check_correction(), with the entry's
 * corrections so far); target filled.  0, or -1 with the answer set. */
int
api_register_correctable(struct request *r, const char *product_id,
    const char *corrects, int64_t delta, struct register_entry *target)
{
	struct register_correction	 c = { NULL, product_id, corrects, 0,
					    delta };
	struct refusal			 why;
	enum store_result		 sr = STORE_NOT_FOUND;

	if (validate_uuid(corrects) == 0)
		sr = store_register_get(r->srv->store, corrects, target);
	if (sr == STORE_OK)
		sr = store_register_corrected(r->srv->store, corrects,
		    &c.earlier);
	if (sr == STORE_ERROR)
		return request_store_failed(r);
	c.target = sr == STORE_OK ? target : NULL;
	if (register_check_correction(&c, &why) == -1)
		return request_refused(r, &why);
	return 0;
}

/* The fields each kind of entry takes. */
static const char *const api_register_fields[][5] = {
	[REGISTER_RECEIPT] = { "quantity", "supplier", "reference", "witness",
	    NULL },
	[REGISTER_RETURN] = { "quantity", "reason", "witness", NULL },
	[REGISTER_DESTRUCTION] = { "quantity", "reason", "witness", NULL },
	[REGISTER_CHECK] = { "counted", "witness", NULL },
	[REGISTER_CORRECTION] = { "corrects_entry_id", "quantity_delta",
	    "reason", "witness", NULL },
};

/* Decode an entry of a kind into e: its quantity, or count, or the entry
 * it corrects, and its text. */
static int
api_register_decode(struct request *r, enum register_kind kind,
    struct register_entry *e)
{
	const char		*supplier = NULL, *reference = NULL;
	const char		*reason = NULL, *corrects = NULL;
	struct register_entry	 target;

	if (json_in_allowed(r, r->body, api_register_fields[kind]) == -1)
		return -1;
	switch (kind) {
	case REGISTER_RECEIPT:
		if (json_in_quantity(r, r->body, "quantity", &e->quantity) ==
		    -1 ||
		    json_in_string(r, r->body, "supplier", 1, REGISTER_TEXT_MAX,
		    &supplier) == -1 ||
		    json_in_string(r, r->body, "reference", 1,
		    REGISTER_TEXT_MAX, &reference) == -1)
			return -1;
		break;
	case REGISTER_CHECK:
		if (json_in_quantity(r, r->body, "counted", &e->counted) == -1)
			return -1;
		break;
	case REGISTER_CORRECTION:
		if (json_in_string(r, r->body, "corrects_entry_id", 1,
		    UUID_STR_LEN, &corrects) == -1 ||
		    json_in_quantity_change(r, r->body, "quantity_delta",
		    &e->quantity) == -1 ||
		    json_in_string(r, r->body, "reason", 1,
		    REGISTER_REASON_MAX, &reason) == -1)
			return -1;
		if (api_register_correctable(r, e->product_id, corrects,
		    e->quantity, &target) == -1)
			return -1;
		strcpy(e->corrects, target.id);
		break;
	default:	/* return, destruction */
		if (json_in_quantity(r, r->body, "quantity", &e->quantity) ==
		    -1 ||
		    json_in_string(r, r->body, "reason", 1,
		    REGISTER_REASON_MAX, &reason) == -1)
			return -1;
		break;
	}
	if (kind != REGISTER_CHECK && kind != REGISTER_CORRECTION &&
	    e->quantity == 0)
		return request_error(r, 400, "invalid_field",
		    "quantity must be more than zero");
	snprintf(e->supplier, sizeof e->supplier, "%s", supplier ? supplier :
	    "");
	snprintf(e->reference, sizeof e->reference, "%s", reference ?
	    reference : "");
	snprintf(e->reason, sizeof e->reason, "%s", reason ? reason : "");
	return 0;
}

/* Write one witnessed entry of a kind on the page in the path. */
static int
api_register_entry(struct request *r, enum register_kind kind)
{
	struct store_register_row	 row;
	struct register_entry		*e = &row.entry;
	struct product			 p;
	struct staff			 witness;
	struct refusal			 why;
	int64_t				 balance;

	memset(&row, 0, sizeof row);
	if (api_product_load(r, &p) == -1)
		return -1;
	strcpy(e->product_id, p.id);
	e->kind = kind;
	if (api_register_decode(r, kind, e) == -1)
		return -1;
	if (store_register_balance(r->srv->store, p.id, &balance) != STORE_OK)
		return request_store_failed(r);
	e->quantity = register_change(kind, e->quantity);
	if (register_apply(balance, e->quantity, &e->balance_after, &why) ==
	    -1)
		return request_refused(r, &why);
	if (api_witness_verify(r, r->body, &witness) == -1)
		return -1;

	validate_new_uuid(e->id);
	e->at = r->now;
	strcpy(e->by, r->staff.id);
	strcpy(e->witness, witness.id);
	if (store_register_insert(r->srv->store, e) != STORE_OK)
		return request_store_failed(r);
	api_person_from_staff(&r->staff, &row.by);
	api_person_from_staff(&witness, &row.witness);
	if (store_audit_append(r->srv->store, r->now, r->staff.id,
	    "register.entry", "register_entry", e->id, api_register_json(&row))
	    != STORE_OK)
		return request_store_failed(r);
	if (kind == REGISTER_CHECK && e->counted != e->balance_after &&
	    api_register_discrepancy(r, &p, e) == -1)
		return -1;
	if (kind == REGISTER_CORRECTION &&
	    api_register_correction_alert(r, &p, e) == -1)
		return -1;
	request_reply(r, 201, api_register_json(&row));
	return 0;
}

/* POST /v1/register/{id}/receipts */
int
api_register_receipt(struct request *r)
{
	return api_register_entry(r, REGISTER_RECEIPT);
}

/* POST /v1/register/{id}/returns: stock sent back. */
int
api_register_return(struct request *r)
{
	return api_register_entry(r, REGISTER_RETURN);
}

/* POST /v1/register/{id}/destructions */
int
api_register_destruction(struct request *r)
{
	return api_register_entry(r, REGISTER_DESTRUCTION);
}

/* POST /v1/register/{id}/checks: a physical count. */
int
api_register_check(struct request *r)
{
	return api_register_entry(r, REGISTER_CHECK);
}

/* POST /v1/register/{id}/corrections */
int
api_register_correction(struct request *r)
{
	return api_register_entry(r, REGISTER_CORRECTION);
}
