/* The dose round: the doses of a day, and signing one off as given (by a
 * nurse, with a witness who enters their own PIN: docs/design.md rule 1),
 * refused or withheld (with a reason).  Giving a dose writes its register
 * entry and meets the treatment clock in the same transaction. */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "calendar.h"
#include "request.h"
#include "rounds.h"
#include "server.h"
#include "store.h"

struct api_dose_filter {
	json_t	*list;
	int64_t	 now;
	char	 states[96];	/* "due,given", or "" for all */
};

/* Add a dose to the list if its state now is asked for. */
static void
api_dose_list_one(const struct store_dose_row *row, void *arg)
{
	struct api_dose_filter	*f = arg;

	if (request_list_has(f->states, dose_state_name(dose_state_at(
	    &row->dose, store_dose_standing(row), f->now))))
		json_array_append_new(f->list, api_dose_json(row, f->now));
}

/* state=a,b: every name must be a dose state. */
static int
api_dose_states_check(struct request *r, const char *states)
{
	char		 copy[96], *p, *tok, *save;
	enum dose_state	 s;

	strcpy(copy, states);
	for (p = copy; (tok = strtok_r(p, ",", &save)) != NULL; p = NULL)
		if (dose_state_parse(tok, &s) == -1)
			return request_error(r, 400, "invalid_query", "state "
			    "takes scheduled, due, given, refused, withheld, "
			    "missed, away and held, separated by commas");
	return 0;
}

/* GET /v1/doses[?date=YYYY-MM-DD][&state=due,...][&patient_id=] */
int
api_dose_list(struct request *r)
{
	struct api_dose_filter	 f = { NULL, r->now, "" };
	struct civil_date	 day = calendar_local_date(r->now);
	char			 date[16], patient[64];
	int			 rc, by_patient;

	if ((rc = request_query(r, "date", date, sizeof date)) == -1)
		return -1;
	if (rc == 0 && timefmt_parse_date(date, &day) == -1)
		return request_error(r, 400, "invalid_query",
		    "date is a local date written YYYY-MM-DD");
	if ((rc = request_query(r, "state", f.states, sizeof f.states)) == -1 ||
	    (rc == 0 && api_dose_states_check(r, f.states) == -1))
		return -1;
	if ((rc = request_query(r, "patient_id", patient, sizeof patient)) ==
	    -1)
		return -1;
	by_patient = rc == 0;
	if (by_patient && validate_uuid(patient) == -1)
		return request_error(r, 400, "invalid_query",
		    "patient_id must be a UUID");
	f.list = json_array();
	if (store_dose_list(r->srv->store, calendar_local_midnight(day),
	    calendar_local_midnight(calendar_add_days(day, 1)),
	    by_patient ? patient : NULL, api_dose_list_one, &f) != STORE_OK) {
		json_decref(f.list);
		return request_store_failed(r);
	}
	request_reply(r, 200, f.list);
	return 0;
}

/* The dose named by the path, or -1 with a 404. */
static int
api_dose_load(struct request *r, struct store_dose_row *row)
{
	enum store_result	sr = STORE_NOT_FOUND;

	if (validate_uuid(r->params[0]) == 0)
		sr = store_dose_get(r->srv->store, r->params[0], row);
	if (sr == STORE_ERROR)
		return request_store_failed(r);
	if (sr != STORE_OK)
		return request_error(r, 404, "not_found",
		    "there is no dose %s", r->params[0]);
	return 0;
}

/* GET /v1/doses/{id} */
int
api_dose_get(struct request *r)
{
	struct store_dose_row	row;

	if (api_dose_load(r, &row) == -1)
		return -1;
	request_reply(r, 200, api_dose_json(&row, r->now));
	return 0;
}

/* Whether a dose may be signed off now: its patient here, and the dose
 * itself due (or, to be given, refused earlier in its window). */
static int
api_dose_signable(struct request *r, const struct store_dose_row *row,
    int giving)
{
	struct patient		p;
	struct refusal		why;
	int			rc;

	if (store_patient_get(r->srv->store, row->dose.patient_id, &p) !=
	    STORE_OK)
		return request_store_failed(r);
	if (request_in_custody(r, &p) == -1)
		return -1;
	rc = dose_check_prescription(row->stopped, &why);
	if (rc == 0)
		rc = giving ? dose_check_givable(&row->dose,
		    store_dose_standing(row), r->now, &why) :
		    dose_check_signable(&row->dose, store_dose_standing(row),
		    r->now, &why);
	if (rc == -1)
		return request_refused(r, &why);
	return 0;
}

/* A second safety net against two doses in one round: another dose of the
 * same product given to the patient in an overlapping window (say under a
 * prescription stopped and rewritten this morning). */
static int
api_dose_not_twice(struct request *r, const struct store_dose_row *row)
{
	int64_t	given_at;

	if (store_dose_given_nearby(r->srv->store, &row->dose, &given_at) !=
	    STORE_OK)
		return request_store_failed(r);
	if (given_at != 0) {
		char	when[CALENDAR_LOCAL_LEN];

		calendar_format_local(given_at, when);
		return request_error(r, 409, "given_this_round", "%s was "
		    "already given to this patient in this round, at %s",
		    row->product.name, when);
	}
	return 0;
}

/* A given dose restarts its prescription's count of doses not taken. */
static int
api_dose_taken(struct request *r, const char *prescription_id)
{
	struct prescription	*rx;
	int			 ok;

	if ((rx = malloc(sizeof *rx)) == NULL)
		return -1;
	ok = store_prescription_get(r->srv->store, prescription_id, rx) ==
	    STORE_OK;
	if (ok && rx->not_taken_run != 0) {
		rx->not_taken_run = 0;
		ok = store_prescription_update(r->srv->store, rx) == STORE_OK;
	}
	free(rx);
	return ok ? 0 : -1;
}

/* POST /v1/doses/{id}/administer {witness: {username, pin}, note} */
int
api_dose_administer(struct request *r)
{
	static const char *const fields[] = { "witness", "note", NULL };
	struct store_dose_row	 row;
	struct register_entry	 e;
	struct staff		 witness;
	struct refusal		 why;
	const char		*note;
	int64_t			 balance;
	int			 met;

	if (api_dose_load(r, &row) == -1 ||
	    json_in_allowed(r, r->body, fields) == -1 ||
	    json_in_string(r, r->body, "note", 0, DOSE_REASON_MAX, &note) ==
	    -1 ||
	    api_dose_signable(r, &row, 1) == -1 ||
	    api_dose_not_twice(r, &row) == -1)
		return -1;
	if (store_register_balance(r->srv->store, row.product.id, &balance) !=
	    STORE_OK)
		return request_store_failed(r);
	memset(&e, 0, sizeof e);
	e.kind = REGISTER_ADMINISTRATION;
	e.quantity = register_change(e.kind, row.dose.amount);
	if (register_apply(balance, e.quantity, &e.balance_after, &why) == -1)
		return request_error(r, 422, why.code, "%s (%s holds less "
		    "than this dose)", why.message, row.product.name);
	if (api_witness_verify(r, r->body, &witness) == -1)
		return -1;

	validate_new_uuid(e.id);
	strcpy(e.product_id, row.product.id);
	e.at = r->now;
	strcpy(e.by, r->staff.id);
	strcpy(e.witness, witness.id);
	strcpy(e.dose_id, row.dose.id);
	strcpy(e.patient_id, row.dose.patient_id);
	row.dose.state = DOSE_GIVEN;
	row.dose.recorded_at = r->now;
	strcpy(row.dose.recorded_by, r->staff.id);
	strcpy(row.dose.witnessed_by, witness.id);
	snprintf(row.dose.note, sizeof row.dose.note, "%s", note ? note : "");
	row.dose.reason[0] = '\0';	/* an earlier refusal is in the audit */
	strcpy(row.dose.register_entry_id, e.id);
	api_person_from_staff(&r->staff, &row.given_by);
	api_person_from_staff(&witness, &row.witness);
	if (store_register_insert(r->srv->store, &e) != STORE_OK ||
	    store_dose_update(r->srv->store, &row.dose) != STORE_OK ||
	    api_dose_taken(r, row.dose.prescription_id) == -1 ||
	    store_alerts_ack_subject(r->srv->store, row.dose.id, r->staff.id,
	    r->now, "dose given") != STORE_OK ||
	    store_audit_append(r->srv->store, r->now, r->staff.id,
	    "dose.administer", "dose", row.dose.id, json_pack("{s:s,s:s,s:s,"
	    "s:o,s:o}", "witness", witness.username, "register_entry_id",
	    e.id, "product_id", e.product_id, "dose",
	    json_quantity(row.dose.amount), "balance_after",
	    json_quantity(e.balance_after))) != STORE_OK)
		return request_store_failed(r);
	if (api_clock_meet(r, row.dose.patient_id, CLOCK_TREATMENT_CONTINUED,
	    "dose", &met) == -1)
		return -1;
	request_reply(r, 200, json_pack("{s:s,s:o,s:o,s:o,s:s,s:o,s:o,s:s,"
	    "s:b}", "dose_id", row.dose.id,
	    "administered_by", api_person_json(&row.given_by),
	    "witnessed_by", api_person_json(&row.witness),
	    "at", json_instant(r->now), "register_entry_id", e.id,
	    "balance_after", json_quantity(e.balance_after),
	    "dose", json_quantity(row.dose.amount), "unit", row.product.unit,
	    "treatment_clock_met", met));
	return 0;
}

/* Record a dose not given, with its reason, and count it towards the
 * prescription's hold. */
static int
api_dose_not_given(struct request *r, enum dose_state state)
{
	static const char *const fields[] = { "reason", NULL };
	struct store_dose_row	 row;
	const char		*reason;

	if (api_dose_load(r, &row) == -1 ||
	    json_in_allowed(r, r->body, fields) == -1 ||
	    json_in_string(r, r->body, "reason", 1, DOSE_REASON_MAX, &reason)
	    == -1 ||
	    api_dose_signable(r, &row, 0) == -1)
		return -1;
	row.dose.state = state;
	row.dose.recorded_at = r->now;
	strcpy(row.dose.recorded_by, r->staff.id);
	strcpy(row.dose.reason, reason);
	api_person_from_staff(&r->staff, &row.given_by);
	if (store_dose_update(r->srv->store, &row.dose) != STORE_OK ||
	    store_audit_append(r->srv->store, r->now, r->staff.id,
	    state == DOSE_REFUSED ? "dose.refuse" : "dose.withhold", "dose",
	    row.dose.id, json_pack("{s:s}", "reason", reason)) != STORE_OK ||
	    rounds_not_taken(r->srv, &row, r->now, r->staff.id) == -1)
		return request_store_failed(r);
	if (store_dose_get(r->srv->store, row.dose.id, &row) != STORE_OK)
		return request_store_failed(r);
	request_reply(r, 200, api_dose_json(&row, r->now));
	return 0;
}

/* POST /v1/doses/{id}/refuse {reason}: the patient declined it. */
int
api_dose_refuse(struct request *r)
{
	return api_dose_not_given(r, DOSE_REFUSED);
}

/* POST /v1/doses/{id}/withhold {reason}: the nurse judged it unsafe. */
int
api_dose_withhold(struct request *r)
{
	return api_dose_not_given(r, DOSE_WITHHELD);
}
