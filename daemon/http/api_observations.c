/* Observations of stimulant users: recording one (scored with NEWS2 and
 * checked before anything is stored), the list of who is due, flagging a
 * patient after arrival, and extending a plan. */
#include <math.h>
#include <string.h>

#include "api.h"
#include "observing.h"
#include "request.h"
#include "server.h"
#include "store.h"

/* A reading beyond this is implausible however it is written. */
#define API_OBSERVATION_FAR	1000000

/* A whole-number reading: its type is checked here (400), its range by
 * news2_check() (422), so an implausible value is told as such. */
static int
api_observation_int(struct request *r, const char *name, int *out)
{
	json_t		*v = json_object_get(r->body, name);
	json_int_t	 i;

	if (v == NULL || json_is_null(v))
		return request_error(r, 400, "missing_field", "%s is required",
		    name);
	if (!json_is_integer(v))
		return request_error(r, 400, "invalid_field", "%s must be a "
		    "whole number", name);
	i = json_integer_value(v);
	*out = i > API_OBSERVATION_FAR ? API_OBSERVATION_FAR :
	    i < -API_OBSERVATION_FAR ? -API_OBSERVATION_FAR : (int)i;
	return 0;
}

/* temperature: degrees Celsius with at most one decimal, as tenths. */
static int
api_observation_temperature(struct request *r, int *tenths)
{
	json_t	*v = json_object_get(r->body, "temperature");
	double	 d, t;

	if (v == NULL || json_is_null(v))
		return request_error(r, 400, "missing_field",
		    "temperature is required");
	d = json_is_number(v) ? json_number_value(v) : NAN;
	if (isfinite(d) && fabs(d) > API_OBSERVATION_FAR / 10) {
		*tenths = d > 0 ? API_OBSERVATION_FAR : -API_OBSERVATION_FAR;
		return 0;	/* implausible: news2_check() says so */
	}
	t = nearbyint(d * 10.0);
	if (!isfinite(d) || t / 10.0 != d)
		return request_error(r, 400, "invalid_field", "temperature "
		    "must be a number of degrees Celsius with at most one "
		    "decimal, such as 37.2");
	*tenths = (int)t;
	return 0;
}

/* Decode the readings; -1 with a 400 if one is missing or mistyped. */
static int
api_observation_decode(struct request *r, struct observation *o,
    const char **patient_id)
{
	static const char *const fields[] = {
		"patient_id", "taken_at", "respiratory_rate", "spo2",
		"spo2_scale", "on_oxygen", "systolic_bp", "pulse",
		"consciousness", "temperature", NULL
	};
	struct news2_readings	*rd = &o->readings;
	const char		*acvpu;

	if (json_in_allowed(r, r->body, fields) == -1 ||
	    json_in_string(r, r->body, "patient_id", 1, UUID_STR_LEN,
	    patient_id) == -1 ||
	    json_in_instant(r, r->body, "taken_at", 1, &o->taken_at, NULL) ==
	    -1 ||
	    api_observation_int(r, "respiratory_rate", &rd->respiratory_rate)
	    == -1 ||
	    api_observation_int(r, "spo2", &rd->spo2) == -1 ||
	    api_observation_int(r, "spo2_scale", &rd->spo2_scale) == -1 ||
	    json_in_bool(r, r->body, "on_oxygen", 1, &rd->on_oxygen) == -1 ||
	    api_observation_int(r, "systolic_bp", &rd->systolic_bp) == -1 ||
	    api_observation_int(r, "pulse", &rd->pulse) == -1 ||
	    json_in_string(r, r->body, "consciousness", 1, 1, &acvpu) == -1 ||
	    api_observation_temperature(r, &rd->temperature_tenths) == -1)
		return -1;
	if (news2_consciousness_parse(acvpu, &rd->consciousness) == -1)
		return request_error(r, 400, "invalid_field", "consciousness "
		    "is A (alert), or new C (confusion), V (voice), P (pain) "
		    "or U (unresponsive)");
	return 0;
}

/* An observation as answered: readings, NEWS2 and the next due. */
static json_t *
api_observation_json(const struct observation *o)
{
	const struct news2_readings	*rd = &o->readings;
	json_t				*scores = json_object();
	int				 i;

	for (i = 0; i < NEWS2_NPARAMETERS; i++)
		json_object_set_new(scores, news2_parameter_name(
		    (enum news2_parameter)i), json_integer(o->result.scores[i]));
	return json_pack("{s:s,s:s,s:o,s:i,s:i,s:i,s:b,s:i,s:i,s:s,s:f,"
	    "s:{s:i,s:s,s:b,s:s*,s:o},s:o,s:s,s:o}",
	    "id", o->id, "patient_id", o->patient_id,
	    "taken_at", json_instant(o->taken_at),
	    "respiratory_rate", rd->respiratory_rate, "spo2", rd->spo2,
	    "spo2_scale", rd->spo2_scale, "on_oxygen", rd->on_oxygen,
	    "systolic_bp", rd->systolic_bp, "pulse", rd->pulse,
	    "consciousness", news2_consciousness_name(rd->consciousness),
	    "temperature", rd->temperature_tenths / 10.0,
	    "news2", "total", o->result.total,
	    "band", news2_band_name(o->result.band),
	    "red", o->result.red,
	    "red_parameter", o->result.red ?
	    news2_parameter_name(o->result.red_parameter) : NULL,
	    "scores", scores,
	    "next_due_at", o->next_due_at ? json_instant(o->next_due_at) :
	    json_null(),
	    "recorded_by", o->recorded_by,
	    "recorded_at", json_instant(o->recorded_at));
}

/* POST /v1/observations */
int
api_observation_create(struct request *r)
{
	struct observation_policy policy = server_observation_policy(r->srv);
	struct observation	 o;
	struct patient		 p;
	struct refusal		 why;
	const char		*patient_id;
	int64_t			 last;

	memset(&o, 0, sizeof o);
	if (api_observation_decode(r, &o, &patient_id) == -1 ||
	    api_patient_named(r, patient_id, &p) == -1)
		return -1;
	if (news2_check(&o.readings, &why) == -1)
		return request_refused(r, &why);
	if (store_observation_last(r->srv->store, p.id, &last) != STORE_OK)
		return request_store_failed(r);
	if (observation_check_time(o.taken_at, r->now, p.arrived_at, last,
	    &policy, &why) == -1)
		return request_refused(r, &why);
	news2_score(&o.readings, &o.result);
	validate_new_uuid(o.id);
	strcpy(o.patient_id, p.id);
	strcpy(o.recorded_by, r->staff.id);
	o.recorded_at = r->now;
	if (observing_record(r->srv, &p, &o, r->staff.id) == -1 ||
	    store_audit_append(r->srv->store, r->now, r->staff.id,
	    "observation.create", "observation", o.id,
	    api_observation_json(&o)) != STORE_OK)
		return request_store_failed(r);
	request_reply(r, 201, api_observation_json(&o));
	return 0;
}

struct api_observation_list {
	json_t	*list;
	int64_t	 now;
};

/* Add an open due to the list of who is due; a patient away at court has
 * none (no observation falls due while away) and says since when. */
static void
api_observation_due_one(const struct store_due_row *row, void *arg)
{
	struct api_observation_list	*ctx = arg;
	int				 due = row->due.id[0] != '\0';

	json_array_append_new(ctx->list, json_pack("{s:o,s:o,s:o,s:o,s:o,"
	    "s:b,s:o,s:o,s:o,s:{s:o,s:o},s:o}",
	    "patient", api_patient_ref_json(&row->patient),
	    "due_id", due ? json_string(row->due.id) : json_null(),
	    "next_due_at", json_instant_or_null(row->due.due_at),
	    "warn_at", json_instant_or_null(row->due.warn_at),
	    "missed_at", json_instant_or_null(row->due.missed_at),
	    "overdue", due && ctx->now > row->due.warn_at,
	    "interval_minutes", due ? json_integer(row->due.interval_ms /
	    MS_PER_MINUTE) : json_null(),
	    "away_since", json_instant_or_null(row->plan.away_since),
	    "away_kind", row->plan.away_since != 0 ? json_string("court") :
	    json_null(),
	    "plan", "starts_at", json_instant(row->plan.starts_at),
	    "ends_at", json_instant(row->plan.ends_at),
	    "last_observation", row->last_taken_at == 0 ? json_null() :
	    json_pack("{s:o,s:i,s:s}", "taken_at",
	    json_instant(row->last_taken_at), "total", row->last_total,
	    "band", row->last_band)));
}

/* GET /v1/observations/due: every open due, the longest overdue first,
 * then the plans of patients away at court. */
int
api_observation_due(struct request *r)
{
	struct api_observation_list	ctx = { json_array(), r->now };

	if (store_dues_open_list(r->srv->store, r->now,
	    api_observation_due_one, &ctx) != STORE_OK) {
		json_decref(ctx.list);
		return request_store_failed(r);
	}
	request_reply(r, 200, ctx.list);
	return 0;
}

/* Add an observation to a patient's list. */
static void
api_observation_list_one(const struct observation *o, void *arg)
{
	json_array_append_new(arg, api_observation_json(o));
}

/* A patient's latest observations, at most limit, newest first, each
 * with its strike-out (null if none); -1 if the store failed. */
int
api_observations_of(struct request *r, const char *patient_id, int limit,
    json_t **out)
{
	*out = json_array();
	if (store_observation_list(r->srv->store, patient_id, limit,
	    api_observation_list_one, *out) != STORE_OK ||
	    api_observation_marks(r, *out) == -1) {
		json_decref(*out);
		return -1;
	}
	return 0;
}

/* GET /v1/observations?patient_id=: the latest 500, newest first, each
 * with its strike-out (null if none). */
int
api_observation_list(struct request *r)
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
	if (api_observations_of(r, patient, 500, &list) == -1)
		return request_store_failed(r);
	request_reply(r, 200, list);
	return 0;
}

/* POST /v1/patients/{id}/flags {stimulant_user: true}: the plan runs
 * from arrival, and counts from now. */
int
api_patient_flags(struct request *r)
{
	static const char *const fields[] = { "stimulant_user", NULL };
	struct observation_policy policy = server_observation_policy(r->srv);
	struct patient	 p;
	json_t		*answer;
	int		 flag = -1;

	if (api_patient_load(r, &p) == -1 ||
	    json_in_allowed(r, r->body, fields) == -1 ||
	    json_in_bool(r, r->body, "stimulant_user", 1, &flag) == -1)
		return -1;
	if (!flag)
		return request_error(r, 422, "cannot_unflag", "a stimulant "
		    "user's plan runs its course; a clinician may end it "
		    "early only by the patient leaving");
	if (request_in_custody(r, &p) == -1)
		return -1;
	if (p.stimulant_user)
		return request_error(r, 409, "already_flagged",
		    "%s is already flagged as a stimulant user",
		    p.prison_number);
	if (r->now >= p.arrived_at + policy.plan_ms)
		return request_error(r, 422, "plan_already_over", "%s arrived "
		    "more than %d hours ago: the first hours of custody a plan "
		    "covers are over", p.prison_number,
		    r->srv->cfg->obs_plan_hours);
	p.stimulant_user = 1;
	if (store_patient_flag_stimulant(r->srv->store, p.id) != STORE_OK ||
	    observing_start(r->srv, &p, r->now, r->now, r->staff.id) == -1 ||
	    store_audit_append(r->srv->store, r->now, r->staff.id,
	    "patient.flag", "patient", p.id, json_pack("{s:b}",
	    "stimulant_user", 1)) != STORE_OK)
		return request_store_failed(r);
	if (api_patient_answer(r, &p, &answer) == -1)
		return -1;
	request_reply(r, 200, answer);
	return 0;
}

/* POST /v1/patients/{id}/observation-plan {until}: extend the plan. */
int
api_observation_plan_extend(struct request *r)
{
	static const char *const fields[] = { "until", NULL };
	struct observation_plan	 plan;
	struct patient		 p;
	struct refusal		 why;
	enum store_result	 sr;
	int64_t			 until, was;
	json_t			*answer;

	if (api_patient_load(r, &p) == -1 ||
	    json_in_allowed(r, r->body, fields) == -1 ||
	    json_in_instant(r, r->body, "until", 1, &until, NULL) == -1)
		return -1;
	if (request_in_custody(r, &p) == -1)
		return -1;
	if ((sr = store_plan_get(r->srv->store, p.id, &plan)) == STORE_ERROR)
		return request_store_failed(r);
	if (sr != STORE_OK)
		return request_error(r, 409, "no_plan", "%s has no observation "
		    "plan: flag them as a stimulant user first",
		    p.prison_number);
	if (observation_plan_check_extension(&plan, until, r->now, &why) == -1)
		return request_refused(r, &why);
	was = plan.ends_at;
	if (observing_extend(r->srv, &plan, until, r->now) == -1 ||
	    store_audit_append(r->srv->store, r->now, r->staff.id,
	    "observation_plan.extend", "patient", p.id, json_pack("{s:o,s:o}",
	    "from", json_instant(was), "until", json_instant(until))) !=
	    STORE_OK)
		return request_store_failed(r);
	if (api_patient_answer(r, &p, &answer) == -1)
		return -1;
	request_reply(r, 200, answer);
	return 0;
}
