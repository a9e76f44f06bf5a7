/* Corrections, never deletions (issue 15): a patient's record corrected
 * with a reason and its history kept; an arrival ended as entered in
 * error; an observation struck out; a given dose entered in error with a
 * witness and a register correction.  Each change is a new row and an
 * audit entry; nothing is deleted. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "movements.h"
#include "observing.h"
#include "request.h"
#include "rounds.h"
#include "server.h"
#include "store.h"
#include "store_corrections.h"

#define API_DOSE_RUN_MAX	64	/* closed doses read for the run */

/* The required reason of a correction. */
static int
api_correction_reason(struct request *r, const char **reason)
{
	return json_in_string(r, r->body, "reason", 1, PATIENT_REASON_MAX,
	    reason);
}

/* Decode the text fields a correction may carry into after. */
static int
api_patient_edit_text(struct request *r, struct patient *after)
{
	static const struct {
		const char	*name;
		size_t		 max, off, size;
	} f[] = {
		{ "location", PATIENT_LOCATION_MAX,
		    offsetof(struct patient, location),
		    sizeof after->location },
		{ "given_name", PATIENT_NAME_MAX,
		    offsetof(struct patient, given_name),
		    sizeof after->given_name },
		{ "family_name", PATIENT_NAME_MAX,
		    offsetof(struct patient, family_name),
		    sizeof after->family_name },
	};
	const char	*v;
	size_t		 i;

	for (i = 0; i < sizeof f / sizeof f[0]; i++) {
		if (json_in_string(r, r->body, f[i].name, 0, f[i].max, &v) ==
		    -1)
			return -1;
		if (v != NULL)
			snprintf((char *)after + f[i].off, f[i].size, "%s", v);
	}
	return 0;
}

/* Decode nhs_number (null: not known) and community_treatment (null: not
 * in treatment) into after, when given. */
static int
api_patient_edit_ids(struct request *r, struct patient *after)
{
	const json_t	*ct, *nhs = json_object_get(r->body, "nhs_number");
	const char	*v;

	if (nhs != NULL && json_is_null(nhs))
		after->nhs_number[0] = '\0';
	else if (nhs != NULL) {
		if (json_in_string(r, r->body, "nhs_number", 1, 16, &v) == -1)
			return -1;
		if (validate_nhs_number(v, after->nhs_number) == -1)
			return request_error(r, 400, "invalid_nhs_number",
			    "%s is not an NHS number: ten digits, the last "
			    "its Modulus 11 check digit", v);
	}
	if (json_object_get(r->body, "community_treatment") == NULL)
		return 0;
	if (json_in_object(r, r->body, "community_treatment", &ct) == -1)
		return -1;
	after->in_treatment = 0;
	memset(&after->community, 0, sizeof after->community);
	return api_patient_community(r, ct, after);
}

/* Decode a correction: after is before with the fields given. */
static int
api_patient_edit_decode(struct request *r, struct patient *after,
    const char **reason)
{
	static const char *const fields[] = {
		"location", "given_name", "family_name", "date_of_birth",
		"nhs_number", "community_treatment", "reason", NULL
	};
	int	present;

	if (json_in_allowed(r, r->body, fields) == -1 ||
	    api_correction_reason(r, reason) == -1 ||
	    api_patient_edit_text(r, after) == -1 ||
	    json_in_date(r, r->body, "date_of_birth", 0,
	    &after->date_of_birth, &present) == -1)
		return -1;
	return api_patient_edit_ids(r, after);
}

/* A field's value as the history keeps it; NULL for none.  The
 * community treatment is its answer's JSON. */
static char *
api_patient_field_text(const struct patient *p, unsigned field)
{
	char	 dob[TIMEFMT_DATE_LEN];
	json_t	*o;
	char	*text = NULL;

	switch (field) {
	case PATIENT_FIELD_LOCATION:
		return strdup(p->location);
	case PATIENT_FIELD_GIVEN_NAME:
		return strdup(p->given_name);
	case PATIENT_FIELD_FAMILY_NAME:
		return strdup(p->family_name);
	case PATIENT_FIELD_DATE_OF_BIRTH:
		timefmt_format_date(p->date_of_birth, dob);
		return strdup(dob);
	case PATIENT_FIELD_NHS_NUMBER:
		return p->nhs_number[0] ? strdup(p->nhs_number) : NULL;
	default:
		if (!p->in_treatment)
			return NULL;
		o = api_patient_json(p);
		text = json_dumps(json_object_get(o, "community_treatment"),
		    JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(o);
		return text;
	}
}

/* Write one history row a field each for the fields changed. */
static int
api_patient_history_add(struct request *r, const struct patient *before,
    const struct patient *after, unsigned changed, const char *reason)
{
	struct store_patient_change	c;
	char				*old, *new;
	enum store_result		 sr;
	unsigned			 bit;

	for (bit = 1; bit < 1u << PATIENT_FIELDS; bit <<= 1) {
		if (!(changed & bit))
			continue;
		memset(&c, 0, sizeof c);
		c.field = patient_field_name(bit);
		c.old_value = old = api_patient_field_text(before, bit);
		c.new_value = new = api_patient_field_text(after, bit);
		c.reason = reason;
		c.at = r->now;
		sr = store_patient_change_add(r->srv->store, before->id, &c,
		    r->staff.id);
		free(old);
		free(new);
		if (sr != STORE_OK)
			return request_store_failed(r);
	}
	return 0;
}

/* PATCH /v1/patients/{id} {location, given_name, family_name,
 * date_of_birth, nhs_number, community_treatment, reason} */
int
api_patient_correct(struct request *r)
{
	struct patient	 before, after;
	struct refusal	 why;
	const char	*reason;
	unsigned	 changed;
	json_t		*answer;

	if (api_patient_load(r, &before) == -1)
		return -1;
	after = before;
	if (api_patient_edit_decode(r, &after, &reason) == -1)
		return -1;
	if (patient_check_edit(&before, &after, r->now,
	    (int64_t)r->srv->cfg->arrival_max_future_minutes * MS_PER_MINUTE,
	    &why) == -1)
		return request_refused(r, &why);
	changed = patient_changed(&before, &after);
	if (store_patient_correct(r->srv->store, &after) != STORE_OK ||
	    api_patient_history_add(r, &before, &after, changed, reason) ==
	    -1 ||
	    store_audit_append(r->srv->store, r->now, r->staff.id,
	    "patient.correct", "patient", after.id, json_pack("{s:s,s:o,s:o}",
	    "reason", reason, "before", api_patient_json(&before), "after",
	    api_patient_json(&after))) != STORE_OK)
		return request_store_failed(r);
	if (api_patient_answer(r, &after, &answer) == -1)
		return -1;
	request_reply(r, 200, answer);
	return 0;
}

/* Add one change to the history answered. */
static void
api_patient_history_one(const struct store_patient_change *c, void *arg)
{
	json_array_append_new(arg, json_pack("{s:s,s:o,s:o,s:s,s:o,s:o}",
	    "field", c->field, "from", c->old_value ?
	    json_string(c->old_value) : json_null(), "to", c->new_value ?
	    json_string(c->new_value) : json_null(), "reason", c->reason,
	    "by", api_person_json(&c->by), "at", json_instant(c->at)));
}

/* Every correction of a patient's record, oldest first; -1 if the store
 * failed. */
int
api_patient_changes_of(struct request *r, const char *patient_id,
    json_t **out)
{
	*out = json_array();
	if (store_patient_history(r->srv->store, patient_id,
	    api_patient_history_one, *out) != STORE_OK) {
		json_decref(*out);
		return -1;
	}
	return 0;
}

/* GET /v1/patients/{id}/history: every correction, oldest first. */
int
api_patient_history(struct request *r)
{
	struct patient	 p;
	json_t		*list;

	if (api_patient_load(r, &p) == -1)
		return -1;
	if (api_patient_changes_of(r, p.id, &list) == -1)
		return request_store_failed(r);
	request_reply(r, 200, json_pack("{s:s,s:o}", "patient_id", p.id,
	    "changes", list));
	return 0;
}

/* POST /v1/patients/{id}/entered-in-error {reason}: a test arrival
 * ended; its clocks, plan and prescriptions stop as at a release. */
int
api_patient_end_in_error(struct request *r)
{
	static const char *const fields[] = { "reason", NULL };
	struct store_patient_change	 c;
	struct patient			 p;
	struct refusal			 why;
	const char			*reason;
	int64_t				 given;
	json_t				*answer;

	if (api_patient_load(r, &p) == -1 ||
	    json_in_allowed(r, r->body, fields) == -1 ||
	    api_correction_reason(r, &reason) == -1)
		return -1;
	if (store_patient_doses_given(r->srv->store, p.id, &given) !=
	    STORE_OK)
		return request_store_failed(r);
	if (patient_check_end_in_error(&p, (int)given, &why) == -1)
		return request_refused(r, &why);
	memset(&c, 0, sizeof c);
	c.field = "status";
	c.old_value = patient_status_name(p.status);
	c.new_value = patient_status_name(PATIENT_ENTERED_IN_ERROR);
	c.reason = reason;
	c.at = r->now;
	if (movements_end_care(r->srv, p.id, PATIENT_ENTERED_IN_ERROR,
	    "arrival entered in error", r->staff.id, r->now, r->now) == -1 ||
	    store_patient_change_add(r->srv->store, p.id, &c, r->staff.id) !=
	    STORE_OK ||
	    store_audit_append(r->srv->store, r->now, r->staff.id,
	    "patient.entered_in_error", "patient", p.id, json_pack("{s:s}",
	    "reason", reason)) != STORE_OK ||
	    store_patient_get(r->srv->store, p.id, &p) != STORE_OK)
		return request_store_failed(r);
	if (api_patient_answer(r, &p, &answer) == -1)
		return -1;
	request_reply(r, 200, answer);
	return 0;
}

/* A mark answered: null if none; a dose's with its witness and the
 * register correction. */
static json_t *
api_mark_json(const struct store_error_mark *m)
{
	json_t	*o;

	if (!m->marked)
		return json_null();
	o = json_pack("{s:s,s:s,s:o}", "reason", m->reason, "by_id", m->by,
	    "at", json_instant(m->at));
	if (m->correction_id[0] != '\0') {
		json_object_set_new(o, "witness_id", json_string(m->witness));
		json_object_set_new(o, "register_entry_id",
		    json_string(m->correction_id));
	}
	return o;
}

/* Add to a dose answered whether it was entered in error (null if not);
 * -1 if the store failed. */
int
api_dose_mark(struct request *r, const char *dose_id, json_t *o)
{
	struct store_error_mark	m;

	if (store_dose_mark(r->srv->store, dose_id, &m) != STORE_OK)
		return -1;
	json_object_set_new(o, "entered_in_error", api_mark_json(&m));
	return 0;
}

/* Add to each observation of a list its strike-out, null if none; -1 if
 * the store failed (the list is the caller's to free). */
int
api_observation_marks(struct request *r, json_t *list)
{
	struct store_error_mark	 m;
	json_t			*o;
	size_t			 i;

	json_array_foreach(list, i, o) {
		if (store_observation_mark(r->srv->store, json_string_value(
		    json_object_get(o, "id")), &m) != STORE_OK)
			return -1;
		json_object_set_new(o, "entered_in_error", api_mark_json(&m));
	}
	return 0;
}

/* POST /v1/observations/{id}/entered-in-error {reason} */
int
api_observation_strike(struct request *r)
{
	static const char *const fields[] = { "reason", NULL };
	struct observation	 o;
	struct store_error_mark	 m;
	struct refusal		 why;
	enum store_result	 sr = STORE_NOT_FOUND;
	const char		*reason;
	int64_t			 next;

	if (validate_uuid(r->params[0]) == 0)
		sr = store_observation_get(r->srv->store, r->params[0], &o);
	if (sr == STORE_ERROR)
		return request_store_failed(r);
	if (sr != STORE_OK)
		return request_error(r, 404, "not_found",
		    "there is no observation %s", r->params[0]);
	if (json_in_allowed(r, r->body, fields) == -1 ||
	    api_correction_reason(r, &reason) == -1)
		return -1;
	if (store_observation_mark(r->srv->store, o.id, &m) != STORE_OK)
		return request_store_failed(r);
	if (observation_check_strike(m.marked, &why) == -1)
		return request_refused(r, &why);
	memset(&m, 0, sizeof m);
	m.marked = 1;
	snprintf(m.reason, sizeof m.reason, "%s", reason);
	strcpy(m.by, r->staff.id);
	m.at = r->now;
	if (observing_strike(r->srv, &o, &m, &next) == -1 ||
	    store_audit_append(r->srv->store, r->now, r->staff.id,
	    "observation.entered_in_error", "observation", o.id,
	    json_pack("{s:s}", "reason", reason)) != STORE_OK)
		return request_store_failed(r);
	request_reply(r, 200, json_pack("{s:s,s:s,s:o,s:o}", "id", o.id,
	    "patient_id", o.patient_id, "entered_in_error", api_mark_json(&m),
	    "next_due_at", next ? json_instant(next) : json_null()));
	return 0;
}

/* A dose being entered in error: the dose, the witness, the register
 * correction and the mark. */
struct api_dose_error {
	struct store_dose_row	 row;
	struct staff		 witness;
	struct register_entry	 e;
	struct store_error_mark	 m;
	const char		*reason;
};

/* Parse and decide: the dose given and not yet in error, the correction
 * that puts its amount back on its register page, the witness last. */
static int
api_dose_error_decide(struct request *r, struct api_dose_error *a)
{
	static const char *const fields[] = { "reason", "witness", NULL };
	struct register_entry	 target;
	struct refusal		 why;
	enum store_result	 sr = STORE_NOT_FOUND;
	int64_t			 balance;

	if (validate_uuid(r->params[0]) == 0)
		sr = store_dose_get(r->srv->store, r->params[0], &a->row);
	if (sr == STORE_ERROR)
		return request_store_failed(r);
	if (sr != STORE_OK)
		return request_error(r, 404, "not_found",
		    "there is no dose %s", r->params[0]);
	if (json_in_allowed(r, r->body, fields) == -1 ||
	    api_correction_reason(r, &a->reason) == -1)
		return -1;
	if (store_dose_mark(r->srv->store, a->row.dose.id, &a->m) != STORE_OK)
		return request_store_failed(r);
	if (dose_check_error(&a->row.dose, a->m.marked, &why) == -1)
		return request_refused(r, &why);
	memset(&a->e, 0, sizeof a->e);
	a->e.kind = REGISTER_CORRECTION;
	a->e.quantity = a->row.dose.amount;
	if (api_register_correctable(r, a->row.product.id,
	    a->row.dose.register_entry_id, a->e.quantity, &target) == -1)
		return -1;
	if (store_register_balance(r->srv->store, a->row.product.id,
	    &balance) != STORE_OK)
		return request_store_failed(r);
	if (register_apply(balance, a->e.quantity, &a->e.balance_after, &why) ==
	    -1)
		return request_refused(r, &why);
	return api_witness_verify(r, r->body, &a->witness);
}

/* Count the run of the dose's prescription again, as
 * dose_hold_recount() decides; a stopped prescription's count ended with
 * it, as when a dose of it closes (dose_close_state()). */
static int
api_dose_error_recount(struct request *r, const struct store_dose_row *row)
{
	enum dose_state	closed[API_DOSE_RUN_MAX];
	size_t		n;

	if (row->stopped)
		return 0;
	return store_dose_closed_states(r->srv->store,
	    row->dose.prescription_id, closed, API_DOSE_RUN_MAX, &n) !=
	    STORE_OK || rounds_hold_recount(r->srv, row, closed, n, r->now,
	    r->staff.id) == -1 ? -1 : 0;
}

/* Apply: the register correction and its alert, the dose closed as not
 * taken and marked, its prescription's run counted again, the audit. */
static int
api_dose_error_apply(struct request *r, struct api_dose_error *a)
{
	struct register_entry	*e = &a->e;

	validate_new_uuid(e->id);
	strcpy(e->product_id, a->row.product.id);
	e->at = r->now;
	strcpy(e->by, r->staff.id);
	strcpy(e->witness, a->witness.id);
	strcpy(e->patient_id, a->row.dose.patient_id);
	strcpy(e->corrects, a->row.dose.register_entry_id);
	snprintf(e->reason, sizeof e->reason, "dose entered in error: %s",
	    a->reason);
	memset(&a->m, 0, sizeof a->m);
	a->m.marked = 1;
	snprintf(a->m.reason, sizeof a->m.reason, "%s", a->reason);
	strcpy(a->m.by, r->staff.id);
	strcpy(a->m.witness, a->witness.id);
	a->m.at = r->now;
	strcpy(a->m.correction_id, e->id);
	a->row.dose.state = DOSE_MISSED;
	return store_register_insert(r->srv->store, e) != STORE_OK ||
	    api_register_correction_alert(r, &a->row.product, e) == -1 ||
	    store_dose_update(r->srv->store, &a->row.dose) != STORE_OK ||
	    store_dose_strike(r->srv->store, a->row.dose.id, &a->m) !=
	    STORE_OK ||
	    api_dose_error_recount(r, &a->row) == -1 ||
	    store_audit_append(r->srv->store, r->now, r->staff.id,
	    "dose.entered_in_error", "dose", a->row.dose.id,
	    json_pack("{s:s,s:s,s:s,s:o,s:o}", "reason", a->reason, "witness",
	    a->witness.username, "register_entry_id", e->id, "quantity",
	    json_quantity(e->quantity), "balance_after",
	    json_quantity(e->balance_after))) != STORE_OK ? -1 : 0;
}

/* POST /v1/doses/{id}/entered-in-error {reason, witness} */
int
api_dose_strike(struct request *r)
{
	struct api_dose_error	a;

	memset(&a, 0, sizeof a);
	if (api_dose_error_decide(r, &a) == -1)
		return -1;
	if (api_dose_error_apply(r, &a) == -1)
		return request_store_failed(r);
	request_reply(r, 200, json_pack("{s:s,s:s,s:o,s:s,s:s,s:o,s:o}",
	    "dose_id", a.row.dose.id, "state", dose_state_name(DOSE_MISSED),
	    "entered_in_error", api_mark_json(&a.m), "witness",
	    a.witness.username, "register_entry_id", a.e.id,
	    "quantity", json_quantity(a.e.quantity), "balance_after",
	    json_quantity(a.e.balance_after)));
	return 0;
}
