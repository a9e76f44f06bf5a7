/* GET /v1/movements/{id}/summary: the prescription summary that goes with
 * the escort record (court, transfer) or the discharge letter (release),
 * as JSON or, with Accept: text/plain, as text for A4 (summary.c). */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "request.h"
#include "server.h"
#include "store.h"
#include "summary.h"

/* The last dose given under a prescription, with both signatories, or
 * null. */
static int
api_summary_last_dose(struct request *r, const struct prescription *rx,
    json_t **out)
{
	struct store_dose_row	*row;
	enum store_result	 sr;

	*out = NULL;
	if ((row = malloc(sizeof *row)) == NULL)
		return request_error(r, 503, "out_of_memory", "try again");
	sr = store_dose_last_given(r->srv->store, rx->id, row);
	if (sr == STORE_OK)
		*out = json_pack("{s:s,s:o,s:o,s:o,s:o,s:s,s:o,s:o,s:s}",
		    "dose_id", row->dose.id,
		    "given_at", json_instant(row->dose.recorded_at),
		    "due_at", json_instant(row->dose.due_at),
		    "dose", json_quantity(row->dose.amount),
		    "active", api_active_json(&row->product,
		    row->dose.amount),
		    "unit", row->product.unit,
		    "administered_by", api_person_json(&row->given_by),
		    "witnessed_by", api_person_json(&row->witness),
		    "register_entry_id", row->dose.register_entry_id);
	else
		*out = json_null();
	free(row);
	return sr == STORE_ERROR ? request_store_failed(r) : 0;
}

struct api_summary_rx {
	struct request		*r;
	const struct movement	*m;
	json_t			*list;
	int			 failed;
};

/* Add a prescription in force, with its prescriber and last dose. */
static void
api_summary_rx_one(const struct prescription *rx, void *arg)
{
	struct api_summary_rx	*ctx = arg;
	struct product		 product;
	struct staff		 s;
	struct store_person	 prescriber;
	json_t			*o, *last;

	if (ctx->failed || !summary_includes(rx, ctx->m, ctx->r->now))
		return;
	memset(&prescriber, 0, sizeof prescriber);
	if (store_product_get(ctx->r->srv->store, rx->product_id, &product) !=
	    STORE_OK) {
		ctx->failed = request_store_failed(ctx->r);
		return;
	}
	if (store_staff_by_id(ctx->r->srv->store, rx->prescriber_id, &s) ==
	    STORE_OK)
		api_person_from_staff(&s, &prescriber);
	if (api_summary_last_dose(ctx->r, rx, &last) == -1) {
		ctx->failed = -1;
		return;
	}
	o = api_prescription_json(rx, &product, &prescriber, ctx->r->now);
	json_object_set_new(o, "last_dose", last);
	json_array_append_new(ctx->list, o);
}

/* The summary as JSON. */
static int
api_summary_build(struct request *r, const struct store_movement_row *row,
    json_t **out)
{
	const struct movement	*m = &row->movement;
	struct api_summary_rx	 rxs = { r, m, json_array(), 0 };
	struct patient		 p;
	json_t			*patient, *movement;
	int			 letter = m->kind == MOVEMENT_RELEASE;

	if (store_patient_get(r->srv->store, m->patient_id, &p) != STORE_OK ||
	    store_prescription_list(r->srv->store, m->patient_id,
	    api_summary_rx_one, &rxs) != STORE_OK) {
		json_decref(rxs.list);
		return rxs.failed ? -1 : request_store_failed(r);
	}
	if (rxs.failed) {
		json_decref(rxs.list);
		return -1;
	}
	patient = api_patient_json(&p);
	if (api_movement_json(r, row, &movement) == -1) {
		json_decref(rxs.list);
		json_decref(patient);
		return -1;
	}
	*out = json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:s*,s:o}",
	    "kind", letter ? "discharge_letter" : "prescription_summary",
	    "title", letter ? "Discharge letter: substance misuse treatment" :
	    "Prescription summary for the escort record",
	    "generated_at", json_instant(r->now),
	    "movement", movement, "patient", patient,
	    "prescriptions", rxs.list,
	    "community_treatment", letter ? json_incref(json_object_get(
	    patient, "community_treatment")) : json_null(),
	    "follow_up", letter && m->follow_up[0] ? m->follow_up : NULL,
	    "naloxone_line", json_boolean(letter));
	return 0;
}

/* GET /v1/movements/{id}/summary */
int
api_movement_summary(struct request *r)
{
	struct store_movement_row	*row;
	json_t				*o;
	char				*text;
	int				 rc = -1;

	if ((row = malloc(sizeof *row)) == NULL)
		return request_error(r, 503, "out_of_memory", "try again");
	if (api_movement_load(r, row) == 0 &&
	    api_summary_build(r, row, &o) == 0) {
		rc = 0;
		if (!request_accepts(r, "text/plain"))
			request_reply(r, 200, o);
		else if ((text = summary_render(o)) != NULL) {
			json_decref(o);
			request_reply_text(r, 200, "text/plain; charset=utf-8",
			    text);
		} else {
			json_decref(o);
			rc = request_error(r, 503, "out_of_memory",
			    "try again");
		}
	}
	free(row);
	return rc;
}
