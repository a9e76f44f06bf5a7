/* The dose round: the doses of a day, and signing one off as given (by a
 * nurse, with a witness who enters their own PIN: docs/design.md rule 1),
 * refused or withheld (with a reason).  Giving a dose writes its register
 * entry and meets the treatment clock in the same transaction. */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_readiness.h"
#include "calendar.h"
#include "cautions.h"
#include "request.h"
#include "rounds.h"
#include "server.h"
#include "store.h"
#include "store_readiness.h"

struct api_dose_filter {
	struct server	*srv;
	json_t		*list;
	int64_t		 now;
	char		 states[96];	/* "due,given", or "" for all */
	int		 failed;	/* the store failed */
	struct batch	 duties;	/* the day's rota (cover_duty) */
};

/* The cautions as an answer gives them: [{code, message}]. */
static json_t *
api_cautions_json(const struct caution_list *l)
{
	json_t	*a = json_array();
	int	 i;

	for (i = 0; i < l->n; i++)
		json_array_append_new(a, json_pack("{s:s,s:s}", "code",
		    caution_code_name(l->item[i].code), "message",
		    l->item[i].message));
	return a;
}

/* A dose as answered, with its cautions (cautions_shown()); NULL if the
 * store failed. */
static json_t *
api_dose_with_cautions(struct server *srv, const struct store_dose_row *row,
    int64_t now)
{
	struct caution_list	 l;
	json_t			*o;

	if (cautions_shown(srv, row, now, &l) == -1)
		return NULL;
	o = api_dose_json(row, now);
	json_object_set_new(o, "cautions", api_cautions_json(&l));
	return o;
}

/* Add a dose to the list if its state now is asked for. */
static void
api_dose_list_one(const struct store_dose_row *row, void *arg)
{
	struct api_dose_filter	*f = arg;
	json_t			*o;

	if (f->failed || !request_list_has(f->states, dose_state_name(
	    dose_state_at(&row->dose, store_dose_standing(row), f->now))))
		return;
	if ((o = api_dose_with_cautions(f->srv, row, f->now)) == NULL) {
		f->failed = 1;
		return;
	}
	/* Who is on the rota at its round (readiness section 15). */
	json_object_set_new(o, "on_duty", api_rota_on_duty(&f->duties,
	    row->dose.due_at));
	json_array_append_new(f->list, o);
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
	struct api_dose_filter	 f = { r->srv, NULL, r->now, "", 0,
				    BATCH_OF(struct cover_duty) };
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
	if (store_rota_duties(r->srv->store, calendar_local_midnight(day),
	    calendar_local_midnight(calendar_add_days(day, 1)), &f.duties) !=
	    STORE_OK || f.duties.failed ||
	    store_dose_list(r->srv->store, calendar_local_midnight(day),
	    calendar_local_midnight(calendar_add_days(day, 1)),
	    by_patient ? patient : NULL, api_dose_list_one, &f) != STORE_OK ||
	    f.failed) {
		batch_free(&f.duties);
		json_decref(f.list);
		return request_store_failed(r);
	}
	batch_free(&f.duties);
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

/* GET /v1/doses/{id}: with its cautions, and whether it was entered in
 * error. */
int
api_dose_get(struct request *r)
{
	struct store_dose_row	 row;
	json_t			*o;

	if (api_dose_load(r, &row) == -1)
		return -1;
	if ((o = api_dose_with_cautions(r->srv, &row, r->now)) == NULL)
		return request_store_failed(r);
	if (api_dose_mark(r, row.dose.id, o) == -1) {
		json_decref(o);
		return request_store_failed(r);
	}
	request_reply(r, 200, o);
	return 0;
}

/* What stands in a dose's way now: its prescription held or stopped,
 * its patient away when it fell due, or away now. */
static int
api_dose_standing(struct request *r, const struct store_dose_row *row,
    int *standing)
{
	struct dose_trip	trip;

	if (store_patient_trip(r->srv->store, row->dose.patient_id, r->now,
	    &trip) != STORE_OK)
		return request_store_failed(r);
	*standing = store_dose_standing(row) |
	    (dose_patient_away(&trip, r->now, r->now) ? DOSE_PATIENT_OUT : 0);
	return 0;
}

/* Whether a dose may be signed off now: its patient in custody and here,
 * and the dose itself due (or, to be given, refused earlier in its
 * window). */
static int
api_dose_signable(struct request *r, const struct store_dose_row *row,
    int giving)
{
	struct patient		p;
	struct refusal		why;
	int			rc, standing = 0;

	if (store_patient_get(r->srv->store, row->dose.patient_id, &p) !=
	    STORE_OK)
		return request_store_failed(r);
	if (request_in_custody(r, &p) == -1 ||
	    api_dose_standing(r, row, &standing) == -1)
		return -1;
	rc = dose_check_prescription(row->stopped, &why);
	if (rc == 0)
		rc = giving ? dose_check_givable(&row->dose, standing, r->now,
		    &why) : dose_check_signable(&row->dose, standing, r->now,
		    &why);
	if (rc == -1)
		return request_refused(r, &why);
	return 0;
}

/* A second safety net against two doses in one round: another dose of the
 * same product given to the patient in an overlapping window (say under a
 * prescription stopped and rewritten this morning, or on the night the
 * clocks go forward). */
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

/* A dose being given: what the request asks, and what it writes. */
struct api_administration {
	struct store_dose_row	 row;
	const char		*note;
	unsigned		 confirmed;	/* 1 << caution code */
	struct caution_list	 cautions;	/* the dose has now */
	struct staff		 witness;
	struct register_entry	 e;		/* the register's administration */
	int			 met;		/* the treatment clock met */
};

/* confirm_cautions: an array of caution codes, as bits of *confirmed. */
static int
api_dose_confirmations(struct request *r, unsigned *confirmed)
{
	const json_t		*list, *v;
	enum caution_code	 c;
	size_t			 i;

	*confirmed = 0;
	if (json_in_array(r, r->body, "confirm_cautions", 0, &list) == -1)
		return -1;
	json_array_foreach(list, i, v) {
		if (!json_is_string(v) ||
		    caution_code_parse(json_string_value(v), &c) == -1)
			return request_error(r, 400, "invalid_field",
			    "confirm_cautions[%zu] is not a caution: the codes "
			    "are those GET /v1/doses/{id} lists, such as "
			    "first_dose_in_custody", i);
		*confirmed |= 1u << c;
	}
	return 0;
}

/* Parse: the dose named by the path, the body's note and the cautions
 * confirmed (the witness is read last, once everything else allows the
 * dose). */
static int
api_dose_administer_parse(struct request *r, struct api_administration *a)
{
	static const char *const fields[] = {
		"witness", "note", "confirm_cautions", NULL
	};

	return api_dose_load(r, &a->row) == -1 ||
	    json_in_allowed(r, r->body, fields) == -1 ||
	    json_in_string(r, r->body, "note", 0, DOSE_REASON_MAX, &a->note) ==
	    -1 || api_dose_confirmations(r, &a->confirmed) == -1 ? -1 : 0;
}

/* A dose with cautions goes ahead only when the nurse has confirmed each
 * and written a note: a hold before the witness's PIN, so that nobody
 * types one for a dose that cannot go ahead.  A refusal lists the
 * cautions the dose has now. */
static int
api_dose_cautions_check(struct request *r, struct api_administration *a)
{
	struct refusal	why;

	if (cautions_of_dose(r->srv, &a->row, r->now, &a->cautions) == -1)
		return request_store_failed(r);
	if (caution_check_confirmed(&a->cautions, a->confirmed,
	    a->note != NULL && a->note[0] != '\0', &why) == 0)
		return 0;
	request_refused(r, &why);
	json_object_set_new(json_object_get(r->reply, "error"), "cautions",
	    api_cautions_json(&a->cautions));
	return -1;
}

/* Decide: whether the dose may be given now, from the stock there, with
 * this witness; the register entry it makes. */
static int
api_dose_administer_decide(struct request *r, struct api_administration *a)
{
	struct register_entry	*e = &a->e;
	struct refusal		 why;
	int64_t			 balance;

	if (api_dose_signable(r, &a->row, 1) == -1 ||
	    api_dose_not_twice(r, &a->row) == -1 ||
	    api_dose_cautions_check(r, a) == -1)
		return -1;
	if (store_register_balance(r->srv->store, a->row.product.id,
	    &balance) != STORE_OK)
		return request_store_failed(r);
	memset(e, 0, sizeof *e);
	e->kind = REGISTER_ADMINISTRATION;
	e->quantity = register_change(e->kind, a->row.dose.amount);
	if (register_apply(balance, e->quantity, &e->balance_after, &why) ==
	    -1)
		return request_error(r, 422, why.code, "%s (%s holds less "
		    "than this dose)", why.message, a->row.product.name);
	if (api_witness_verify(r, r->body, &a->witness) == -1)
		return -1;
	validate_new_uuid(e->id);
	strcpy(e->product_id, a->row.product.id);
	e->at = r->now;
	strcpy(e->by, r->staff.id);
	strcpy(e->witness, a->witness.id);
	strcpy(e->dose_id, a->row.dose.id);
	strcpy(e->patient_id, a->row.dose.patient_id);
	return 0;
}

/* Apply: the register entry, the dose given (an earlier refusal stays in
 * the audit) with the cautions confirmed, its prescription's run started
 * again, its alerts settled, the audit entry and the treatment clock. */
static int
api_dose_administer_apply(struct request *r, struct api_administration *a)
{
	struct dose	*d = &a->row.dose;

	d->state = DOSE_GIVEN;
	d->recorded_at = r->now;
	strcpy(d->recorded_by, r->staff.id);
	strcpy(d->witnessed_by, a->witness.id);
	snprintf(d->note, sizeof d->note, "%s", a->note ? a->note : "");
	d->reason[0] = '\0';
	strcpy(d->register_entry_id, a->e.id);
	api_person_from_staff(&r->staff, &a->row.given_by);
	api_person_from_staff(&a->witness, &a->row.witness);
	if (store_register_insert(r->srv->store, &a->e) != STORE_OK ||
	    store_dose_update(r->srv->store, d) != STORE_OK ||
	    cautions_confirm(r->srv, d->id, &a->cautions, r->staff.id,
	    r->now) == -1 ||
	    rounds_hold_event(r->srv, &a->row, DOSE_HOLD_TAKEN, r->now,
	    r->staff.id) == -1 ||
	    store_alerts_ack_subject(r->srv->store, d->id, r->staff.id,
	    r->now, "dose given") != STORE_OK ||
	    store_audit_append(r->srv->store, r->now, r->staff.id,
	    "dose.administer", "dose", d->id, json_pack("{s:s,s:s,s:s,s:o,"
	    "s:o,s:o}", "witness", a->witness.username, "register_entry_id",
	    a->e.id, "product_id", a->e.product_id, "dose",
	    json_quantity(d->amount), "balance_after",
	    json_quantity(a->e.balance_after), "cautions_confirmed",
	    api_cautions_json(&a->cautions))) != STORE_OK)
		return request_store_failed(r);
	return api_clock_meet(r, d->patient_id, CLOCK_TREATMENT_CONTINUED,
	    "dose", &a->met);
}

/* Answer: who gave and witnessed it, the register entry and the clock. */
static void
api_dose_administer_answer(struct request *r,
    const struct api_administration *a)
{
	request_reply(r, 200, json_pack("{s:s,s:o,s:o,s:o,s:s,s:o,s:o,s:s,"
	    "s:b,s:o}", "dose_id", a->row.dose.id,
	    "administered_by", api_person_json(&a->row.given_by),
	    "witnessed_by", api_person_json(&a->row.witness),
	    "at", json_instant(r->now), "register_entry_id", a->e.id,
	    "balance_after", json_quantity(a->e.balance_after),
	    "dose", json_quantity(a->row.dose.amount),
	    "unit", a->row.product.unit, "treatment_clock_met", a->met,
	    "cautions_confirmed", api_cautions_json(&a->cautions)));
}

/* POST /v1/doses/{id}/administer {witness: {username, pin}, note,
 * confirm_cautions: [code]} */
int
api_dose_administer(struct request *r)
{
	struct api_administration	a;

	if (api_dose_administer_parse(r, &a) == -1 ||
	    api_dose_administer_decide(r, &a) == -1 ||
	    api_dose_administer_apply(r, &a) == -1)
		return -1;
	api_dose_administer_answer(r, &a);
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
	    rounds_hold_event(r->srv, &row, DOSE_HOLD_NOT_TAKEN, r->now,
	    r->staff.id) == -1)
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
