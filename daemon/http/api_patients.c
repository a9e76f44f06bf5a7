/* Reception's arrivals: POST /v1/patients, and reading patients back. */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "continuity.h"
#include "observing.h"
#include "patient.h"
#include "request.h"
#include "roles.h"
#include "server.h"
#include "store.h"

/* Decode community_treatment into p->community; absent or null means the
 * prisoner is not in treatment. */
int
api_patient_community(struct request *r, const json_t *ct, struct patient *p)
{
	static const char *const fields[] = {
		"drug", "dose", "unit", "prescriber", "last_dose_at", NULL
	};
	const char	*drug, *unit, *prescriber;
	int		 rc;

	if (ct == NULL)
		return 0;
	r->json_prefix = "community_treatment.";
	rc = json_in_allowed(r, ct, fields) == -1 ||
	    json_in_string(r, ct, "drug", 1, PATIENT_NAME_MAX, &drug) == -1 ||
	    json_in_quantity(r, ct, "dose", &p->community.dose) == -1 ||
	    json_in_string(r, ct, "unit", 1, PATIENT_UNIT_MAX, &unit) == -1 ||
	    json_in_string(r, ct, "prescriber", 1, PATIENT_NAME_MAX,
	    &prescriber) == -1 ||
	    json_in_instant(r, ct, "last_dose_at", 0,
	    &p->community.last_dose_at, &p->community.has_last_dose) == -1;
	r->json_prefix = NULL;
	if (rc)
		return -1;
	p->in_treatment = 1;
	strcpy(p->community.drug, drug);
	strcpy(p->community.unit, unit);
	strcpy(p->community.prescriber, prescriber);
	return 0;
}

/* Decode a registration body into p. */
static int
api_patient_decode(struct request *r, struct patient *p)
{
	static const char *const fields[] = {
		"prison_number", "given_name", "family_name", "date_of_birth",
		"arrived_at", "location", "stimulant_user",
		"community_treatment", NULL
	};
	const char	*number, *given, *family, *dob, *location;
	const json_t	*ct;

	if (json_in_allowed(r, r->body, fields) == -1 ||
	    json_in_string(r, r->body, "prison_number", 1, 16, &number) == -1)
		return -1;
	if (validate_prison_number(number, p->prison_number) == -1)
		return request_error(r, 400, "invalid_prison_number", "%s is "
		    "not a prison number: one letter, four digits, two letters, "
		    "such as A1234BC", number);
	if (json_in_string(r, r->body, "given_name", 1, PATIENT_NAME_MAX,
	    &given) == -1 ||
	    json_in_string(r, r->body, "family_name", 1, PATIENT_NAME_MAX,
	    &family) == -1 ||
	    json_in_string(r, r->body, "date_of_birth", 1, 10, &dob) == -1)
		return -1;
	if (timefmt_parse_date(dob, &p->date_of_birth) == -1)
		return request_error(r, 400, "invalid_field", "date_of_birth "
		    "must be a real date written YYYY-MM-DD");
	if (json_in_instant(r, r->body, "arrived_at", 1, &p->arrived_at,
	    NULL) == -1 ||
	    json_in_string(r, r->body, "location", 1, PATIENT_LOCATION_MAX,
	    &location) == -1 ||
	    json_in_bool(r, r->body, "stimulant_user", 1, &p->stimulant_user)
	    == -1)
		return -1;
	if (json_object_get(r->body, "community_treatment") == NULL)
		return request_error(r, 400, "missing_field",
		    "community_treatment is required: an object, or null if "
		    "the prisoner is not in treatment in the community");
	if (json_in_object(r, r->body, "community_treatment", &ct) == -1 ||
	    api_patient_community(r, ct, p) == -1)
		return -1;
	strcpy(p->given_name, given);
	strcpy(p->family_name, family);
	strcpy(p->location, location);
	return 0;
}

/* Append one clock to a JSON array; ctx carries the array and now. */
struct api_clock_ctx {
	json_t	*list;
	int64_t	 now;
};

static void
api_patient_clock(const struct care_clock *c, void *arg)
{
	struct api_clock_ctx	*ctx = arg;

	json_array_append_new(ctx->list, api_clock_json(c, ctx->now));
}

/* A patient's observation plan as answered, with its next due; null if
 * they have none. */
static int
api_patient_plan(struct request *r, const struct patient *p, json_t **out)
{
	struct observation_plan	 plan;
	struct observation_due	 due;
	enum store_result	 sr, dr = STORE_NOT_FOUND;

	*out = json_null();
	if ((sr = store_plan_get(r->srv->store, p->id, &plan)) ==
	    STORE_NOT_FOUND)
		return 0;
	if (sr == STORE_OK)
		dr = store_due_open(r->srv->store, p->id, &due);
	if (sr != STORE_OK || dr == STORE_ERROR)
		return request_store_failed(r);
	*out = json_pack("{s:o,s:o,s:o,s:I,s:o,s:o,s:b}",
	    "starts_at", json_instant(plan.starts_at),
	    "counts_from", json_instant(plan.counts_from),
	    "ends_at", json_instant(plan.ends_at),
	    "base_interval_minutes", (json_int_t)(plan.base_interval_ms /
	    MS_PER_MINUTE),
	    "ended_at", plan.ended_at ? json_instant(plan.ended_at) :
	    json_null(),
	    "next_due_at", dr == STORE_OK ? json_instant(due.due_at) :
	    json_null(),
	    "running", plan.ended_at == 0 && r->now < plan.ends_at);
	return 0;
}

/* A patient as answered: the record with its clocks, prescriptions and
 * observation plan; the prescriptions only to those who read them. */
int
api_patient_answer(struct request *r, const struct patient *p, json_t **out)
{
	struct api_clock_ctx	 ctx = { json_array(), r->now };
	json_t			*prescriptions = NULL, *plan;

	if (store_clock_list(r->srv->store, p->id, api_patient_clock, &ctx) !=
	    STORE_OK) {
		json_decref(ctx.list);
		return request_store_failed(r);
	}
	if ((r->staff.roles & ROLES_READ_PRESCRIPTIONS) != 0 &&
	    api_prescriptions_of(r, p->id, &prescriptions) == -1) {
		json_decref(ctx.list);
		return -1;
	}
	if (api_patient_plan(r, p, &plan) == -1) {
		json_decref(ctx.list);
		json_decref(prescriptions);
		return -1;
	}
	*out = api_patient_json(p);
	json_object_set_new(*out, "clocks", ctx.list);
	if (prescriptions != NULL)
		json_object_set_new(*out, "prescriptions", prescriptions);
	else	/* left out, not empty: none is not what they would read */
		json_object_del(*out, "prescriptions");
	json_object_set_new(*out, "observation_plan", plan);
	return 0;
}

/* Start both continuity clocks for an arrival already in treatment. */
static int
api_patient_start_clocks(struct request *r, const struct patient *p)
{
	struct care_clock_policy	policy = server_clock_policy(r->srv);
	struct care_clock		c;
	enum care_clock_kind		kinds[] = {
		CLOCK_TREATMENT_CONTINUED, CLOCK_KEYWORKER_ALLOCATED
	};
	size_t				i;

	for (i = 0; i < 2; i++) {
		memset(&c, 0, sizeof c);
		validate_new_uuid(c.id);
		strcpy(c.patient_id, p->id);
		continuity_start(&c, kinds[i], p->arrived_at, &policy);
		if (store_clock_insert(r->srv->store, &c) != STORE_OK)
			return request_store_failed(r);
	}
	return 0;
}

/* Register an arrival decoded into p, as every arrival is registered
 * (typed in, or imported from a transfer document): checked, stored and
 * audited, both continuity clocks started from its arrival if it is in
 * treatment, and a stimulant user's observation plan begun. */
int
api_patient_register(struct request *r, struct patient *p)
{
	struct refusal		 why;
	enum store_result	 sr;

	if (patient_check_registration(p, r->now,
	    (int64_t)r->srv->cfg->arrival_max_future_minutes * MS_PER_MINUTE,
	    (int64_t)r->srv->cfg->arrival_max_past_days * MS_PER_DAY, &why)
	    == -1)
		return request_refused(r, &why);
	validate_new_uuid(p->id);
	p->status = PATIENT_IN_CUSTODY;
	strcpy(p->created_by, r->staff.id);
	p->created_at = r->now;
	sr = store_patient_insert(r->srv->store, p);
	if (sr == STORE_CONFLICT)
		return request_error(r, 409, "duplicate_prison_number",
		    "%s is already in custody here", p->prison_number);
	if (sr != STORE_OK ||
	    store_audit_append(r->srv->store, r->now, r->staff.id,
	    "patient.create", "patient", p->id, api_patient_json(p)) !=
	    STORE_OK)
		return request_store_failed(r);
	if (p->in_treatment && api_patient_start_clocks(r, p) == -1)
		return -1;
	if (p->stimulant_user && observing_start(r->srv, p, r->now, r->now,
	    r->staff.id) == -1)
		return request_store_failed(r);
	return 0;
}

/* POST /v1/patients */
int
api_patient_create(struct request *r)
{
	struct patient		 p;
	json_t			*answer;

	memset(&p, 0, sizeof p);
	if (api_patient_decode(r, &p) == -1 ||
	    api_patient_register(r, &p) == -1 ||
	    api_patient_answer(r, &p, &answer) == -1)
		return -1;
	request_reply(r, 201, answer);
	return 0;
}

/* Collect the patients of a list, to add their clocks after. */
struct api_patient_batch {
	struct patient	*p;
	size_t		 n, cap;
	const char	*number;	/* only the one in custody, or NULL */
};

static void
api_patient_list_one(const struct patient *p, void *arg)
{
	struct api_patient_batch	*b = arg;
	struct patient			*grown;

	if (b->number != NULL && (strcmp(p->prison_number, b->number) != 0 ||
	    !patient_in_custody(p)))
		return;
	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 32;
		if ((grown = realloc(b->p, b->cap * sizeof *grown)) == NULL) {
			b->cap = b->n;
			return;
		}
		b->p = grown;
	}
	b->p[b->n++] = *p;
}

/* ?prison_number=, upper-cased into number: 0, 1 if absent, or -1 after
 * a 400. */
static int
api_patient_number_query(struct request *r, char number[PRISON_NUMBER_LEN])
{
	char	given[16];
	int	rc;

	if ((rc = request_query(r, "prison_number", given, sizeof given)) != 0)
		return rc;
	if (validate_prison_number(given, number) == -1)
		return request_error(r, 400, "invalid_query", "prison_number "
		    "is a letter, four digits and two letters, such as "
		    "A1234BC");
	return 0;
}

/* GET /v1/patients[?status=][&prison_number=]: with a prison number, the
 * patient in custody who has it, or none. */
int
api_patient_list(struct request *r)
{
	struct api_patient_batch	 b = { NULL, 0, 0, NULL };
	char				 status[32];
	char				 number[PRISON_NUMBER_LEN];
	enum patient_status		 wanted;
	int				 filtered, rc;
	json_t				*list, *one;
	size_t				 i;

	if ((filtered = request_query(r, "status", status, sizeof status)) ==
	    -1)
		return -1;
	filtered = filtered == 0;
	if (filtered && patient_status_parse(status, &wanted) == -1)
		return request_error(r, 400, "invalid_query", "status must be "
		    "in_custody, released or transferred");
	if ((rc = api_patient_number_query(r, number)) == -1)
		return -1;
	b.number = rc == 0 ? number : NULL;
	if (store_patient_list(r->srv->store, filtered ? status : NULL,
	    api_patient_list_one, &b) != STORE_OK) {
		free(b.p);
		return request_store_failed(r);
	}
	list = json_array();
	for (i = 0; i < b.n; i++) {
		if (api_patient_answer(r, &b.p[i], &one) == -1) {
			free(b.p);
			json_decref(list);
			return -1;
		}
		json_array_append_new(list, one);
	}
	free(b.p);
	request_reply(r, 200, list);
	return 0;
}

/* Load the patient a request's body names, for something clinical: known
 * (422 unknown_patient otherwise: the body, not the path, is wrong) and in
 * custody (409). */
int
api_patient_named(struct request *r, const char *id, struct patient *p)
{
	enum store_result	sr = STORE_NOT_FOUND;

	if (validate_uuid(id) == 0)
		sr = store_patient_get(r->srv->store, id, p);
	if (sr == STORE_ERROR)
		return request_store_failed(r);
	if (sr != STORE_OK)
		return request_error(r, 422, "unknown_patient",
		    "there is no patient %s", id);
	return request_in_custody(r, p);
}

/* Load the patient named by the path's {id}; -1 with 404 if none. */
int
api_patient_load(struct request *r, struct patient *p)
{
	enum store_result	sr = STORE_NOT_FOUND;

	if (validate_uuid(r->params[0]) == 0)
		sr = store_patient_get(r->srv->store, r->params[0], p);
	if (sr == STORE_ERROR)
		return request_store_failed(r);
	if (sr != STORE_OK)
		return request_error(r, 404, "not_found",
		    "there is no patient %s", r->params[0]);
	return 0;
}

int
api_patient_get(struct request *r)
{
	struct patient	 p;
	json_t		*answer;

	if (api_patient_load(r, &p) == -1)
		return -1;
	if (api_patient_answer(r, &p, &answer) == -1)
		return -1;
	request_reply(r, 200, answer);
	return 0;
}
