/* The continuity-of-care clocks: GET /v1/clocks, and the two ways staff
 * meet them: a CARAT keyworker allocated, a prescriber's decision not to
 * continue treatment.  (The first signed dose meets the treatment clock
 * too, from the dose round.) */
#include <string.h>

#include "api.h"
#include "continuity.h"
#include "patient.h"
#include "request.h"
#include "server.h"
#include "store.h"

/* The states a clock is listed under (continuity_listed_as()). */
static const char *const api_clock_states[] = {
	"running", "met", "breached", "ended", NULL
};

struct api_clock_filter {
	json_t	*list;
	int64_t	 now;
	char	 states[64];	/* "running,breached", or "" for all */
	int	 breached;	/* 1 or 0 to ask for breached or not; -1 */
};

/* Whether a clock is listed under one of the states asked for. */
static int
api_clock_in_states(const struct api_clock_filter *f,
    const struct care_clock *c)
{
	size_t	i;

	if (f->states[0] == '\0')
		return 1;
	for (i = 0; api_clock_states[i] != NULL; i++)
		if (request_list_has(f->states, api_clock_states[i]) &&
		    continuity_listed_as(c, f->now, api_clock_states[i]))
			return 1;
	return 0;
}

static void
api_clock_list_one(const struct care_clock *c, void *arg)
{
	struct api_clock_filter	*f = arg;

	if (api_clock_in_states(f, c) && (f->breached == -1 ||
	    f->breached == continuity_breached(c, f->now)))
		json_array_append_new(f->list, api_clock_json(c, f->now));
}

/* ?state= (states separated by commas) and ?breached= (true or false)
 * into the filter; -1 after a 400. */
static int
api_clock_query(struct request *r, struct api_clock_filter *f)
{
	char	 copy[64], flag[8], *p, *tok, *save;
	size_t	 i;
	int	 rc;

	if ((rc = request_query(r, "breached", flag, sizeof flag)) == -1)
		return -1;
	if (rc == 0 && strcmp(flag, "true") != 0 && strcmp(flag, "false") != 0)
		return request_error(r, 400, "invalid_query",
		    "breached takes true or false");
	f->breached = rc == 0 ? strcmp(flag, "true") == 0 : -1;
	if ((rc = request_query(r, "state", f->states, sizeof f->states)) != 0)
		return rc == -1 ? -1 : 0;
	strcpy(copy, f->states);
	for (p = copy; (tok = strtok_r(p, ",", &save)) != NULL; p = NULL) {
		for (i = 0; api_clock_states[i] != NULL; i++)
			if (strcmp(tok, api_clock_states[i]) == 0)
				break;
		if (api_clock_states[i] == NULL)
			return request_error(r, 400, "invalid_query",
			    "state takes running, met, breached and ended, "
			    "separated by commas");
	}
	return 0;
}

/* GET /v1/clocks[?state=running,breached][&breached=true][&patient_id=]:
 * state=breached and breached=true both list every clock that ran out,
 * met late or not met. */
int
api_clock_list(struct request *r)
{
	struct api_clock_filter	 f = { NULL, r->now, "", -1 };
	char			 patient[64];
	int			 by_patient, rc;

	if ((rc = request_query(r, "patient_id", patient, sizeof patient)) ==
	    -1)
		return -1;
	by_patient = rc == 0;
	if (by_patient && validate_uuid(patient) == -1)
		return request_error(r, 400, "invalid_query",
		    "patient_id must be a UUID");
	if (api_clock_query(r, &f) == -1)
		return -1;
	f.list = json_array();
	if (store_clock_list(r->srv->store, by_patient ? patient : NULL,
	    api_clock_list_one, &f) != STORE_OK) {
		json_decref(f.list);
		return request_store_failed(r);
	}
	request_reply(r, 200, f.list);
	return 0;
}

/* Meet a patient's clock of a kind now, if it is still running, and
 * settle its alerts as continuity_meet() decides: met late, with a note
 * that says so. */
int
api_clock_meet(struct request *r, const char *patient_id,
    enum care_clock_kind kind, const char *how, int *met)
{
	struct care_clock		c;
	struct care_clock_meeting	m;
	enum store_result		sr;

	*met = 0;
	sr = store_clock_get(r->srv->store, patient_id, kind, &c);
	if (sr == STORE_NOT_FOUND)
		return 0;
	if (sr != STORE_OK)
		return request_store_failed(r);
	if (continuity_meet(&c, r->now, how, &m) == -1)
		return 0;
	if (store_clock_update(r->srv->store, &c, r->staff.id) != STORE_OK ||
	    store_audit_append(r->srv->store, r->now, r->staff.id, "clock.met",
	    "clock", c.id, json_pack("{s:s,s:s,s:b}", "kind",
	    continuity_kind_name(kind), "how", how, "late", m.late)) !=
	    STORE_OK ||
	    store_alerts_ack_subject(r->srv->store, c.id, r->staff.id, r->now,
	    m.note) != STORE_OK)
		return request_store_failed(r);
	*met = 1;
	return 0;
}

/* A patient who is here, for a clinical action. */
static int
api_clock_patient(struct request *r, struct patient *p)
{
	if (api_patient_load(r, p) == -1)
		return -1;
	if (request_in_custody(r, p) == -1)
		return -1;
	return 0;
}

/* POST /v1/patients/{id}/keyworker {staff_id} or {username} */
int
api_keyworker(struct request *r)
{
	static const char *const fields[] = { "staff_id", "username", NULL };
	struct patient		 p;
	struct staff		 worker;
	struct refusal		 why;
	const char		*staff_id, *username;
	json_t			*answer;
	enum store_result	 sr = STORE_NOT_FOUND;
	int			 met;

	if (api_clock_patient(r, &p) == -1 ||
	    json_in_allowed(r, r->body, fields) == -1 ||
	    json_in_string(r, r->body, "staff_id", 0, UUID_STR_LEN, &staff_id)
	    == -1 ||
	    json_in_string(r, r->body, "username", 0, USERNAME_MAX, &username)
	    == -1)
		return -1;
	if ((staff_id == NULL) == (username == NULL))
		return request_error(r, 400, "missing_field",
		    "give the keyworker's staff_id or username");
	if (staff_id != NULL && validate_uuid(staff_id) == 0)
		sr = store_staff_by_id(r->srv->store, staff_id, &worker);
	else if (username != NULL)
		sr = store_staff_by_username(r->srv->store, username, &worker);
	if (sr == STORE_ERROR)
		return request_store_failed(r);
	if (sr != STORE_OK)
		return request_error(r, 422, "unknown_staff",
		    "there is no staff record %s", staff_id ? staff_id :
		    username);
	if (continuity_check_keyworker(&worker, &why) == -1)
		return request_refused(r, &why);
	if (store_keyworker_insert(r->srv->store, p.id, worker.id, r->now,
	    r->staff.id) != STORE_OK ||
	    store_audit_append(r->srv->store, r->now, r->staff.id,
	    "patient.keyworker", "patient", p.id, json_pack("{s:s,s:s}",
	    "staff_id", worker.id, "username", worker.username)) != STORE_OK)
		return request_store_failed(r);
	if (api_clock_meet(r, p.id, CLOCK_KEYWORKER_ALLOCATED, "keyworker",
	    &met) == -1 || api_patient_answer(r, &p, &answer) == -1)
		return -1;
	json_object_set_new(answer, "keyworker", api_staff_json(&worker,
	    r->now));
	request_reply(r, 200, answer);
	return 0;
}

/* POST /v1/patients/{id}/treatment-decision {continue, reason}: a
 * decision not to continue meets the treatment clock; a decision to
 * continue is recorded, and the clock waits for the first dose. */
int
api_treatment_decision(struct request *r)
{
	static const char *const fields[] = { "continue", "reason", NULL };
	struct patient	 p;
	const char	*reason;
	char		 id[UUID_STR_LEN];
	json_t		*answer;
	int		 cont = -1, met;

	if (api_clock_patient(r, &p) == -1 ||
	    json_in_allowed(r, r->body, fields) == -1 ||
	    json_in_bool(r, r->body, "continue", 1, &cont) == -1 ||
	    json_in_string(r, r->body, "reason", 1, 1000, &reason) == -1)
		return -1;
	validate_new_uuid(id);
	if (store_decision_insert(r->srv->store, id, p.id, cont, reason,
	    r->now, r->staff.id) != STORE_OK ||
	    store_audit_append(r->srv->store, r->now, r->staff.id,
	    "patient.treatment_decision", "patient", p.id,
	    json_pack("{s:b,s:s}", "continue", cont, "reason", reason)) !=
	    STORE_OK)
		return request_store_failed(r);
	met = 0;
	if (!cont && api_clock_meet(r, p.id, CLOCK_TREATMENT_CONTINUED,
	    "decision", &met) == -1)
		return -1;
	if (api_patient_answer(r, &p, &answer) == -1)
		return -1;
	request_reply(r, 200, answer);
	return 0;
}
