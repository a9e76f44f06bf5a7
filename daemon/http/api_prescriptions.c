/* Prescriptions: written by a prescriber, never edited (a change stops
 * one and starts another), stopped, and reviewed to lift a missed-dose
 * hold.  Writing one lays out its first doses at once. */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "calendar.h"
#include "movements.h"
#include "prescribing.h"
#include "request.h"
#include "roles.h"
#include "rounds.h"
#include "server.h"
#include "store.h"

/* A prescription as answered, with its product and prescriber. */
static int
api_prescription_present(struct request *r, const struct prescription *rx,
    json_t **out)
{
	struct product		product;
	struct patient		patient;
	struct staff		s;
	struct store_person	prescriber;

	memset(&prescriber, 0, sizeof prescriber);
	if (store_product_get(r->srv->store, rx->product_id, &product) !=
	    STORE_OK)
		return request_store_failed(r);
	if (store_staff_by_id(r->srv->store, rx->prescriber_id, &s) ==
	    STORE_OK)
		api_person_from_staff(&s, &prescriber);
	if (store_patient_get(r->srv->store, rx->patient_id, &patient) !=
	    STORE_OK)
		return request_store_failed(r);
	*out = api_prescription_json(rx, &product, &prescriber, r->now);
	/* How many doses not taken in a row hold it: beside not_taken_run,
	 * how close it is to a hold. */
	json_object_set_new(*out, "hold_after",
	    json_integer(r->srv->cfg->dose_hold_after));
	json_object_set_new(*out, "patient", json_pack("{s:s,s:s,s:s,s:s,s:s,"
	    "s:s}", "id", patient.id, "prison_number", patient.prison_number,
	    "given_name", patient.given_name, "family_name",
	    patient.family_name, "location", patient.location, "status",
	    patient_status_name(patient.status)));
	return 0;
}

/* qsort order for round times. */
static int
api_minutes_cmp(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* times: ["08:00", ...] into rx, in order. */
static int
api_prescription_times(struct request *r, struct prescription *rx)
{
	const json_t	*times, *t;
	size_t		 i;

	if (json_in_array(r, r->body, "times", 1, &times) == -1)
		return -1;
	if (json_array_size(times) < 1 ||
	    json_array_size(times) > PRESCRIPTION_MAX_TIMES)
		return request_error(r, 400, "invalid_field", "times must "
		    "hold 1 to %d round times", PRESCRIPTION_MAX_TIMES);
	json_array_foreach(times, i, t) {
		if (!json_is_string(t) || prescription_time_parse(
		    json_string_value(t), &rx->times[i]) == -1)
			return request_error(r, 400, "invalid_field", "times "
			    "are local round times written HH:MM, such as "
			    "08:00");
	}
	rx->ntimes = (int)json_array_size(times);
	qsort(rx->times, (size_t)rx->ntimes, sizeof rx->times[0],
	    api_minutes_cmp);
	return 0;
}

/* steps: [{from_date, dose}, ...] into rx. */
static int
api_prescription_steps(struct request *r, struct prescription *rx)
{
	static const char *const fields[] = { "from_date", "dose", NULL };
	const json_t	*steps, *st;
	size_t		 i;
	int		 rc;

	if (json_in_array(r, r->body, "steps", 0, &steps) == -1)
		return -1;
	if (json_array_size(steps) > PRESCRIPTION_MAX_STEPS)
		return request_error(r, 400, "invalid_field", "steps holds at "
		    "most %d steps", PRESCRIPTION_MAX_STEPS);
	json_array_foreach(steps, i, st) {
		if (!json_is_object(st))
			return request_error(r, 400, "invalid_field", "each "
			    "step is an object {from_date, dose}");
		r->json_prefix = "steps[].";
		rc = json_in_allowed(r, st, fields) == -1 ||
		    json_in_date(r, st, "from_date", 1, &rx->steps[i].from,
		    NULL) == -1 ||
		    json_in_quantity(r, st, "dose", &rx->steps[i].dose) == -1;
		r->json_prefix = NULL;
		if (rc)
			return -1;
	}
	rx->nsteps = (int)json_array_size(steps);
	return 0;
}

/* override: {reason}, the prescriber's reason for writing over the
 * first-dose checks; *reason NULL when absent.  A missing or blank
 * reason has its own code. */
int
api_prescription_override(struct request *r, const char **reason)
{
	static const char *const fields[] = { "reason", NULL };
	const json_t	*o = json_object_get(r->body, "override");
	const char	*text;
	int		 rc;

	*reason = NULL;
	if (o == NULL)
		return 0;
	if (!json_is_object(o))
		return request_error(r, 400, "invalid_field", "override is "
		    "{reason}: why this dose is right for this patient");
	text = json_string_value(json_object_get(o, "reason"));
	if (text == NULL || text[strspn(text, " \t\r\n")] == '\0')
		return request_error(r, 400, "override_reason_required", "an "
		    "override needs its reason: say why this dose is right "
		    "for this patient");
	r->json_prefix = "override.";
	rc = json_in_allowed(r, o, fields) == -1 || json_in_string(r, o,
	    "reason", 1, PRESCRIPTION_REASON_MAX, reason) == -1;
	r->json_prefix = NULL;
	return rc ? -1 : 0;
}

/* Decode a new prescription's body into rx. */
static int
api_prescription_decode(struct request *r, struct prescription *rx,
    const char **patient_id, const char **product_id)
{
	static const char *const fields[] = {
		"patient_id", "product_id", "regimen", "dose", "times",
		"every_days", "start_date", "end_date", "steps", "override",
		NULL
	};
	const char	*regimen;

	rx->every_days = 1;
	if (json_in_allowed(r, r->body, fields) == -1 ||
	    json_in_string(r, r->body, "patient_id", 1, UUID_STR_LEN,
	    patient_id) == -1 ||
	    json_in_string(r, r->body, "product_id", 1, UUID_STR_LEN,
	    product_id) == -1 ||
	    json_in_string(r, r->body, "regimen", 1, 16, &regimen) == -1)
		return -1;
	if (prescription_regimen_parse(regimen, &rx->regimen) == -1)
		return request_error(r, 400, "invalid_field",
		    "regimen is maintenance or reducing");
	return json_in_quantity(r, r->body, "dose", &rx->dose) == -1 ||
	    api_prescription_times(r, rx) == -1 ||
	    json_in_int(r, r->body, "every_days", 0, 1,
	    PRESCRIPTION_MAX_EVERY_DAYS, &rx->every_days) == -1 ||
	    json_in_date(r, r->body, "start_date", 1, &rx->start, NULL) == -1 ||
	    json_in_date(r, r->body, "end_date", 0, &rx->end, &rx->has_end) ==
	    -1 ||
	    api_prescription_steps(r, rx) == -1 ? -1 : 0;
}

/* The patient and product a new prescription names: both must exist, and
 * the patient be here. */
static int
api_prescription_refs(struct request *r, const char *patient_id,
    const char *product_id, struct prescription *rx, struct patient *p,
    struct product *product)
{
	enum store_result	sr = STORE_NOT_FOUND;

	if (api_patient_named(r, patient_id, p) == -1)
		return -1;
	if (validate_uuid(product_id) == 0)
		sr = store_product_get(r->srv->store, product_id, product);
	if (sr == STORE_ERROR)
		return request_store_failed(r);
	if (sr != STORE_OK)
		return request_error(r, 422, "unknown_product",
		    "there is no product %s", product_id);
	strcpy(rx->patient_id, p->id);
	strcpy(rx->product_id, product->id);
	return 0;
}

/* 422 override_required, with every reason the override is needed. */
static int
api_prescription_override_required(struct request *r,
    const struct prescribing_decision *d)
{
	json_t	*reasons = json_array();
	int	 i;

	for (i = 0; i < d->nreasons; i++)
		json_array_append_new(reasons, json_pack("{s:s,s:s}", "code",
		    d->reasons[i].code, "message", d->reasons[i].message));
	request_reply(r, 422, json_pack("{s:{s:s,s:s,s:o}}", "error", "code",
	    d->why.code, "message", d->why.message, "reasons", reasons));
	return -1;
}

/* The product's limits, and for the first opioid substitute of the
 * custody what the patient is known to tolerate, as prescribing_decide()
 * decides; an override accepted is recorded on rx, and each reason in
 * words in *detail for the audit. */
static int
api_prescription_decide(struct request *r, struct prescription *rx,
    const struct patient *p, const struct product *product,
    const char *override_reason, json_t **detail)
{
	struct prescribing_case		c;
	struct prescribing_decision	d;
	int				i;

	memset(&c, 0, sizeof c);
	if (store_prescription_substitutes(r->srv->store, p->id,
	    &c.earlier_substitutes) != STORE_OK)
		return request_store_failed(r);
	c.rx = rx;
	c.product = product;
	c.patient = p;
	c.ceilings = &r->srv->cfg->first_dose_ceilings;
	c.override_reason = override_reason;
	prescribing_decide(&c, &d);
	if (d.outcome == PRESCRIBING_OVERRIDE_REQUIRED)
		return api_prescription_override_required(r, &d);
	if (d.outcome == PRESCRIBING_REFUSE)
		return request_refused(r, &d.why);
	*detail = json_array();
	for (i = 0; i < d.nreasons; i++)
		json_array_append_new(*detail, json_string(
		    d.reasons[i].message));
	if (override_reason != NULL) {
		strcpy(rx->override_reason, override_reason);
		strcpy(rx->override_codes, d.override_codes);
	}
	return 0;
}

/* The run of doses not taken a new prescription carries over from the
 * patient's last one of the product, as dose_hold_carried() decides. */
static int
api_prescription_carry(struct request *r, struct prescription *rx)
{
	struct dose_hold	last;
	int64_t			stopped_at = 0;
	enum store_result	sr;

	sr = store_prescription_last_stopped(r->srv->store, rx, &last,
	    &stopped_at);
	if (sr == STORE_ERROR)
		return request_store_failed(r);
	rx->not_taken_run = dose_hold_carried(sr == STORE_OK ? &last : NULL,
	    stopped_at, r->now);
	return 0;
}

/* Everything a prescription is checked against before it is written,
 * new or confirmed after a transfer: its own rules, the product's limits
 * and the first-dose checks, and another prescription of the product for
 * the same days. */
int
api_prescription_admit(struct request *r, struct prescription *rx,
    const char *patient_id, const char *product_id,
    const char *override_reason, json_t **detail)
{
	struct dose_policy policy = server_dose_policy(r->srv);
	struct patient	 p;
	struct product	 product;
	struct refusal	 why;
	enum store_result sr;
	int		 overlap;

	if (api_prescription_refs(r, patient_id, product_id, rx, &p,
	    &product) == -1)
		return -1;
	if (prescription_check(rx, calendar_local_date(r->now), &why) == -1 ||
	    prescription_check_times_apart(rx, policy.before_ms +
	    policy.after_ms, &why) == -1)
		return request_refused(r, &why);
	if (api_prescription_decide(r, rx, &p, &product, override_reason,
	    detail) == -1)
		return -1;
	sr = store_prescription_overlapping(r->srv->store, rx, &overlap);
	if (sr == STORE_OK && !overlap)
		return 0;
	json_decref(*detail);
	*detail = NULL;
	if (sr != STORE_OK)
		return request_store_failed(r);
	return request_error(r, 409, "prescription_exists", "the "
	    "patient already has a prescription of this product for these "
	    "dates; stop it first, then write the new one");
}

/* Write an admitted prescription as the prescriber's: its first doses
 * laid out, its audit entry (action, with what an override overrode and
 * anything in extra) written, and *answer the prescription as answered.
 * Takes detail and extra. */
int
api_prescription_store(struct request *r, struct prescription *rx,
    const char *action, json_t *detail, json_t *extra, json_t **answer)
{
	json_t		*audit;

	if (api_prescription_carry(r, rx) == -1) {
		json_decref(detail);
		json_decref(extra);
		return -1;
	}
	validate_new_uuid(rx->id);
	strcpy(rx->prescriber_id, r->staff.id);
	rx->created_at = r->now;
	/* A court escort or release booked before it needs its dose. */
	if (store_prescription_insert(r->srv->store, rx) != STORE_OK ||
	    rounds_lay_out(r->srv, rx, r->now) == -1 ||
	    movements_prepare_patient(r->srv, rx->patient_id, r->now) == -1 ||
	    api_prescription_present(r, rx, answer) == -1) {
		json_decref(detail);
		json_decref(extra);
		return request_store_failed(r);
	}
	/* The audit keeps what an override overrode, with its numbers. */
	audit = json_deep_copy(*answer);
	json_object_set_new(audit, "override_detail", detail);
	if (extra != NULL)
		json_object_update(audit, extra);
	json_decref(extra);
	if (store_audit_append(r->srv->store, r->now, r->staff.id, action,
	    "prescription", rx->id, audit) != STORE_OK) {
		json_decref(*answer);
		return request_store_failed(r);
	}
	return 0;
}

/* POST /v1/prescriptions */
static int
api_prescription_write(struct request *r, struct prescription *rx)
{
	const char	*patient_id, *product_id, *override_reason;
	json_t		*answer, *detail = NULL;

	if (api_prescription_decode(r, rx, &patient_id, &product_id) == -1 ||
	    api_prescription_override(r, &override_reason) == -1 ||
	    api_prescription_admit(r, rx, patient_id, product_id,
	    override_reason, &detail) == -1 ||
	    api_prescription_store(r, rx, "prescription.create", detail,
	    NULL, &answer) == -1)
		return -1;
	request_reply(r, 201, answer);
	return 0;
}

/* POST /v1/prescriptions: the prescription lives on the heap (it
 * carries its steps). */
int
api_prescription_create(struct request *r)
{
	struct prescription	*rx;
	int			 rc;

	if ((rx = calloc(1, sizeof *rx)) == NULL)
		return request_error(r, 503, "out_of_memory", "try again");
	rc = api_prescription_write(r, rx);
	free(rx);
	return rc;
}

struct api_prescription_list_ctx {
	struct request	*r;
	json_t		*list;
	int		 failed;
};

/* Add a prescription to the list as answered. */
static void
api_prescription_list_one(const struct prescription *rx, void *arg)
{
	struct api_prescription_list_ctx	*ctx = arg;
	json_t					*o;

	if (ctx->failed || api_prescription_present(ctx->r, rx, &o) == -1)
		ctx->failed = 1;
	else
		json_array_append_new(ctx->list, o);
}

/* A patient's prescriptions as answered, newest first, then those to be
 * confirmed. */
int
api_prescriptions_of(struct request *r, const char *patient_id,
    json_t **out)
{
	struct api_prescription_list_ctx	 ctx = { r, json_array(), 0 };

	if (store_prescription_list(r->srv->store, patient_id,
	    api_prescription_list_one, &ctx) != STORE_OK || ctx.failed) {
		json_decref(ctx.list);
		return ctx.failed ? -1 : request_store_failed(r);
	}
	/* Those a transfer brought, still to be confirmed, after. */
	if (api_rx_to_confirm_of(r, patient_id, ctx.list) == -1) {
		json_decref(ctx.list);
		return -1;
	}
	*out = ctx.list;
	return 0;
}

/* GET /v1/prescriptions?patient_id= */
int
api_prescription_list(struct request *r)
{
	char	 patient[64];
	json_t	*list;
	int	 rc;

	if ((rc = request_query(r, "patient_id", patient, sizeof patient)) ==
	    -1)
		return -1;
	if (rc == 1 || validate_uuid(patient) == -1)
		return request_error(r, 400, "invalid_query",
		    "give patient_id, a patient's UUID");
	if (api_prescriptions_of(r, patient, &list) == -1)
		return -1;
	request_reply(r, 200, list);
	return 0;
}

/* The prescription named by the path, or -1 with a 404. */
static int
api_prescription_load(struct request *r, struct prescription *rx)
{
	enum store_result	sr = STORE_NOT_FOUND;

	if (validate_uuid(r->params[0]) == 0)
		sr = store_prescription_get(r->srv->store, r->params[0], rx);
	if (sr == STORE_ERROR)
		return request_store_failed(r);
	if (sr != STORE_OK)
		return request_error(r, 404, "not_found",
		    "there is no prescription %s", r->params[0]);
	return 0;
}

/* Run a handler body on the prescription in the path, allocated on the
 * heap (it carries its steps). */
static int
api_prescription_with(struct request *r,
    int (*fn)(struct request *, struct prescription *))
{
	struct prescription	*rx;
	json_t			*answer;
	int			 rc = -1;

	if ((rx = malloc(sizeof *rx)) == NULL)
		return request_error(r, 503, "out_of_memory", "try again");
	if (api_prescription_load(r, rx) == 0 && (fn == NULL ||
	    fn(r, rx) == 0) && api_prescription_present(r, rx, &answer) == 0) {
		request_reply(r, 200, answer);
		rc = 0;
	}
	free(rx);
	return rc;
}

/* GET /v1/prescriptions/{id}, one still to be confirmed too */
int
api_prescription_get(struct request *r)
{
	json_t	*answer;
	int	 rc;

	if ((rc = api_rx_to_confirm_load(r, r->params[0], &answer)) == 1)
		return api_prescription_with(r, NULL);
	if (rc == 0)
		request_reply(r, 200, answer);
	return rc;
}

/* Stop: no more doses; those not yet given are removed, and a hold's
 * alerts are settled. */
static int
api_prescription_do_stop(struct request *r, struct prescription *rx)
{
	static const char *const fields[] = { "reason", NULL };
	const char	*reason;
	int64_t		 removed;

	if (json_in_allowed(r, r->body, fields) == -1 ||
	    json_in_string(r, r->body, "reason", 1, PRESCRIPTION_REASON_MAX,
	    &reason) == -1)
		return -1;
	if (rx->stopped_at != 0)
		return request_error(r, 409, "already_stopped",
		    "this prescription was already stopped");
	rx->stopped_at = r->now;
	strcpy(rx->stopped_by, r->staff.id);
	strcpy(rx->stop_reason, reason);
	if (store_prescription_update(r->srv->store, rx) != STORE_OK ||
	    store_doses_delete_open(r->srv->store, rx->id, r->now,
	    &removed) !=
	    STORE_OK ||
	    store_alerts_ack_subject(r->srv->store, rx->id, r->staff.id,
	    r->now, "prescription stopped") != STORE_OK ||
	    store_audit_append(r->srv->store, r->now, r->staff.id,
	    "prescription.stop", "prescription", rx->id, json_pack("{s:s,s:I}",
	    "reason", reason, "doses_removed", (json_int_t)removed)) !=
	    STORE_OK)
		return request_store_failed(r);
	return 0;
}

/* POST /v1/prescriptions/{id}/stop {reason} */
int
api_prescription_stop(struct request *r)
{
	return api_prescription_with(r, api_prescription_do_stop);
}

/* Review: lifts a missed-dose hold; the run of doses not taken starts
 * again from zero. */
static int
api_prescription_do_review(struct request *r, struct prescription *rx)
{
	static const char *const fields[] = { "note", NULL };
	const char	*note;
	char		 id[UUID_STR_LEN];
	struct refusal	 why;

	if (json_in_allowed(r, r->body, fields) == -1 ||
	    json_in_string(r, r->body, "note", 1, PRESCRIPTION_REASON_MAX,
	    &note) == -1)
		return -1;
	if (prescription_review(rx, r->now, &why) == -1)
		return request_refused(r, &why);
	validate_new_uuid(id);
	if (store_prescription_update(r->srv->store, rx) != STORE_OK ||
	    store_review_insert(r->srv->store, id, rx->id, note, r->now,
	    r->staff.id) != STORE_OK ||
	    store_alerts_ack_subject(r->srv->store, rx->id, r->staff.id,
	    r->now, "reviewed by a prescriber") != STORE_OK ||
	    store_audit_append(r->srv->store, r->now, r->staff.id,
	    "prescription.review", "prescription", rx->id, json_pack("{s:s}",
	    "note", note)) != STORE_OK)
		return request_store_failed(r);
	return 0;
}

/* POST /v1/prescriptions/{id}/review {note} */
int
api_prescription_review(struct request *r)
{
	return api_prescription_with(r, api_prescription_do_review);
}
