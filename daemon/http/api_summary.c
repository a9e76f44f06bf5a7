/* GET /v1/movements/{id}/summary: the prescription summary that goes with
 * the escort record (court, transfer) or the discharge letter (release),
 * as JSON or, with Accept: text/plain, as text for A4, or with Accept:
 * text/html as a printable page (summary.c). */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "batch.h"
#include "calendar.h"
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
	/* The text shows no internal id: the register entry is in the JSON
	 * for a program, and the escort reads "in the CD register". */
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
	int			 before_dose;	/* a dose of the day to come */
};

/* Keep one of a patient's doses if it is the prescription's (arg: the
 * batch, its first item's prescription_id naming it). */
struct api_summary_doses {
	const char	*prescription_id;
	struct batch	 doses;
};

static void
api_summary_dose_one(const struct store_dose_row *row, void *arg)
{
	struct api_summary_doses	*ctx = arg;

	if (strcmp(row->dose.prescription_id, ctx->prescription_id) == 0)
		batch_add(&ctx->doses, &row->dose);
}

/* What the summary says of the prescription's dose on the escort's day
 * and its next dose (summary_today() decides), as JSON into rx. */
static int
api_summary_today(struct api_summary_rx *ctx, const struct prescription *rx,
    json_t *o)
{
	struct api_summary_doses ds = { rx->id, BATCH_OF(struct dose) };
	struct civil_date	 day = summary_day(ctx->m);
	struct summary_today	 t;
	int64_t			 from = calendar_local_midnight(day);

	/* Every dose of four weeks on: the longest interval (every 28
	 * days) still has its next one. */
	if (store_dose_list(ctx->r->srv->store, from, from + 29 * MS_PER_DAY,
	    rx->patient_id, api_summary_dose_one, &ds) != STORE_OK ||
	    ds.doses.failed) {
		batch_free(&ds.doses);
		return request_store_failed(ctx->r);
	}
	summary_today(ds.doses.items, ds.doses.n, day, ctx->r->now, &t);
	batch_free(&ds.doses);
	ctx->before_dose |= t.state == SUMMARY_TODAY_TO_COME;
	json_object_set_new(o, "today", json_pack("{s:s,s:o,s:o,s:s*}",
	    "state", summary_today_name(t.state),
	    "due_at", json_instant_or_null(t.due_at),
	    "given_at", json_instant_or_null(t.given_at),
	    "not_given_as", t.state == SUMMARY_TODAY_NOT_GIVEN ?
	    dose_state_name(t.as) : NULL));
	json_object_set_new(o, "next_due_at",
	    json_instant_or_null(t.next_due_at));
	return 0;
}

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
	if (api_summary_today(ctx, rx, o) == -1)
		ctx->failed = -1;
	json_array_append_new(ctx->list, o);
}

/* The patient's latest observation and its NEWS2 (null: none
 * recorded). */
struct api_summary_obs {
	int			found;
	struct observation	obs;
};

static void
api_summary_obs_one(const struct observation *o, void *arg)
{
	struct api_summary_obs	*ctx = arg;

	if (!ctx->found) {
		ctx->obs = *o;
		ctx->found = 1;
	}
}

static int
api_summary_news2(struct request *r, const struct patient *p, json_t **out)
{
	struct api_summary_obs	 last;

	memset(&last, 0, sizeof last);
	if (store_observation_list(r->srv->store, p->id, 1,
	    api_summary_obs_one, &last) != STORE_OK)
		return request_store_failed(r);
	*out = !last.found ? json_null() : json_pack("{s:o,s:i,s:s}",
	    "taken_at", json_instant(last.obs.taken_at),
	    "news2", last.obs.result.total,
	    "band", news2_band_name(last.obs.result.band));
	return 0;
}

/* The summary as JSON. */
static int
api_summary_build(struct request *r, const struct store_movement_row *row,
    json_t **out)
{
	const struct movement	*m = &row->movement;
	struct api_summary_rx	 rxs = { r, m, json_array(), 0, 0 };
	struct patient		 p;
	json_t			*patient, *movement, *news2;
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
	/* The patient as answered, for the observation plan; its clocks
	 * are left empty and its prescriptions out, said elsewhere here. */
	if (api_patient_answer(r, &p, &patient) == -1) {
		json_decref(rxs.list);
		return -1;
	}
	json_object_set_new(patient, "clocks", json_array());
	json_object_del(patient, "prescriptions");
	if (api_summary_news2(r, &p, &news2) == -1) {
		json_decref(rxs.list);
		json_decref(patient);
		return -1;
	}
	if (api_movement_json(r, row, &movement) == -1) {
		json_decref(rxs.list);
		json_decref(patient);
		json_decref(news2);
		return -1;
	}
	*out = json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:s*,s:o,s:b,s:o}",
	    "kind", letter ? "discharge_letter" : "prescription_summary",
	    "title", letter ? "Discharge letter: substance misuse treatment" :
	    "Prescription summary for the escort record",
	    "generated_at", json_instant(r->now),
	    "movement", movement, "patient", patient,
	    "prescriptions", rxs.list,
	    "community_treatment", json_incref(json_object_get(patient,
	    "community_treatment")),
	    "follow_up", letter && m->follow_up[0] ? m->follow_up : NULL,
	    "naloxone_line", json_boolean(letter),
	    "printed_before_dose", rxs.before_dose,
	    "latest_observation", news2);
	return 0;
}

/* GET /v1/movements/{id}/summary */
int
api_movement_summary(struct request *r)
{
	struct store_movement_row	*row;
	json_t				*o;
	char				*text;
	int				 rc = -1, html;

	if ((row = malloc(sizeof *row)) == NULL)
		return request_error(r, 503, "out_of_memory", "try again");
	if (api_movement_load(r, row) == 0 &&
	    api_summary_build(r, row, &o) == 0) {
		rc = 0;
		html = request_accepts(r, "text/html");
		if (!html && !request_accepts(r, "text/plain"))
			request_reply(r, 200, o);
		else if ((text = html ? summary_render_html(o) :
		    summary_render(o)) != NULL) {
			json_decref(o);
			request_reply_text(r, 200, html ?
			    "text/html; charset=utf-8" :
			    "text/plain; charset=utf-8", text);
		} else {
			json_decref(o);
			rc = request_error(r, 503, "out_of_memory",
			    "try again");
		}
	}
	free(row);
	return rc;
}
