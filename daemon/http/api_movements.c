/* Movements (docs/design.md rule 3): reception or a nurse books a court
 * escort, a release or a transfer; booking prepares the morning dose;
 * depart and return record what happened, cancel undoes a booking.  The
 * escort's summary and the discharge letter are in api_summary.c. */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "calendar.h"
#include "movements.h"
#include "observing.h"
#include "request.h"
#include "server.h"
#include "store.h"

struct api_movement_doses {
	json_t	*list;
	int64_t	 now;
};

/* Add a morning dose as answered: the dose, and where it was before. */
static void
api_movement_dose_one(const struct store_movement_dose *md, void *arg)
{
	struct api_movement_doses	*ctx = arg;
	json_t				*o = api_dose_json(&md->row, ctx->now);

	json_object_set_new(o, "original_due_at",
	    json_instant(md->original_due_at));
	/* Moved by this movement, and not put back since. */
	json_object_set_new(o, "moved", json_boolean(md->original_due_at !=
	    md->moved_to && md->row.dose.due_at == md->moved_to));
	json_object_set_new(o, "created", json_boolean(md->created));
	json_array_append_new(ctx->list, o);
}

/* A movement as answered, with its morning doses: morning_dose is the
 * first (null if none), morning_doses all of them. */
int
api_movement_json(struct request *r, const struct store_movement_row *row,
    json_t **out)
{
	const struct movement		*m = &row->movement;
	struct api_movement_doses	 doses = { json_array(), r->now };
	json_t				*first;

	if (store_movement_doses(r->srv->store, m->id, api_movement_dose_one,
	    &doses) != STORE_OK) {
		json_decref(doses.list);
		return request_store_failed(r);
	}
	first = json_array_size(doses.list) > 0 ?
	    json_incref(json_array_get(doses.list, 0)) : json_null();
	*out = json_pack("{s:s,s:s,s:s,s:o,s:o,s:s,s:s*,s:o,s:o,s:o,s:o,"
	    "s:o,s:o,s:o,s:s*,s:o,s:o}",
	    "id", m->id, "kind", movement_kind_name(m->kind),
	    "state", movement_state_name(m->state),
	    "patient", api_patient_ref_json(&row->patient),
	    "departs_at", json_instant(m->departs_at),
	    "destination", m->destination,
	    "follow_up", m->follow_up[0] ? m->follow_up : NULL,
	    "created_by", api_person_json(&row->created_by),
	    "created_at", json_instant(m->created_at),
	    "departed_at", m->departed_at ? json_instant(m->departed_at) :
	    json_null(),
	    "departed_by", api_person_json(&row->departed_by),
	    "returned_at", m->returned_at ? json_instant(m->returned_at) :
	    json_null(),
	    "cancelled_at", m->cancelled_at ? json_instant(m->cancelled_at) :
	    json_null(),
	    "lead_alert_at", m->lead_alert_at ?
	    json_instant(m->lead_alert_at) : json_null(),
	    "cancel_reason", m->cancel_reason[0] ? m->cancel_reason : NULL,
	    "morning_dose", first, "morning_doses", doses.list);
	return 0;
}

/* Answer with the movement as stored now. */
static int
api_movement_answer(struct request *r, const char *id, int status)
{
	struct store_movement_row	row;
	json_t				*o;

	if (store_movement_get(r->srv->store, id, &row) != STORE_OK)
		return request_store_failed(r);
	if (api_movement_json(r, &row, &o) == -1)
		return -1;
	request_reply(r, status, o);
	return 0;
}

/* Count a patient's open movement into what a booking sees. */
static void
api_movement_open_one(const struct store_movement_row *row, void *arg)
{
	movement_others_add(arg, &row->movement);
}

/* Read a new movement from the body {patient_id, kind, departs_at,
 * destination, follow_up} into m, and *patient_id as given; -1 with a 400
 * answer if it cannot be one. */
static int
api_movement_parse(struct request *r, struct movement *m,
    const char **patient_id)
{
	static const char *const fields[] = { "patient_id", "kind",
		"departs_at", "destination", "follow_up", NULL };
	const char	*kind, *destination, *follow_up;

	if (json_in_allowed(r, r->body, fields) == -1 ||
	    json_in_string(r, r->body, "patient_id", 1, UUID_STR_LEN,
	    patient_id) == -1 ||
	    json_in_string(r, r->body, "kind", 1, 16, &kind) == -1 ||
	    json_in_instant(r, r->body, "departs_at", 1, &m->departs_at,
	    NULL) == -1 ||
	    json_in_string(r, r->body, "destination", 1,
	    MOVEMENT_DESTINATION_MAX, &destination) == -1 ||
	    json_in_string(r, r->body, "follow_up", 0, MOVEMENT_FOLLOW_UP_MAX,
	    &follow_up) == -1)
		return -1;
	if (movement_kind_parse(kind, &m->kind) == -1)
		return request_error(r, 400, "invalid_field",
		    "kind is court, release or transfer");
	if (follow_up != NULL && m->kind != MOVEMENT_RELEASE)
		return request_error(r, 400, "invalid_field", "follow_up is "
		    "the community follow-up of a release");
	strcpy(m->destination, destination);
	snprintf(m->follow_up, sizeof m->follow_up, "%s",
	    follow_up ? follow_up : "");
	return 0;
}

/* Whether the rules allow a new movement: its time (movement_check_new()),
 * its patient here and in custody, and beside the patient's open
 * movements (movement_check_beside()); *away set if a court trip is
 * under way. */
static int
api_movement_allowed(struct request *r, const char *patient_id,
    struct movement *m, int *away)
{
	struct movement_policy	 policy = server_movement_policy(r->srv);
	struct movement_others	 others = { 0, 0, 0 };
	struct patient		 p;
	struct refusal		 why;

	if (movement_check_new(&policy, m, r->now, &why) == -1)
		return request_refused(r, &why);
	if (api_patient_named(r, patient_id, &p) == -1)
		return -1;
	if (store_movements_open(r->srv->store, p.id, api_movement_open_one,
	    &others) != STORE_OK)
		return request_store_failed(r);
	if (movement_check_beside(m, &others, p.prison_number, &why) == -1)
		return request_refused(r, &why);
	strcpy(m->patient_id, p.id);
	*away = others.away;
	return 0;
}

/* Store a new movement the rules allowed, prepare its morning doses (not
 * while the patient is away at court: there is no dose here to prepare,
 * and the return will), and audit it. */
static int
api_movement_store(struct request *r, struct movement *m, int away)
{
	enum store_result	sr;

	validate_new_uuid(m->id);
	m->state = MOVEMENT_PLANNED;
	strcpy(m->created_by, r->staff.id);
	m->created_at = r->now;
	if ((sr = store_movement_insert(r->srv->store, m)) == STORE_CONFLICT)
		return request_error(r, 409, "movement_exists", "the patient "
		    "already has a movement of this kind booked");
	if (sr != STORE_OK ||
	    (!away && movements_prepare(r->srv, m, r->now) == -1) ||
	    store_audit_append(r->srv->store, r->now, r->staff.id,
	    "movement.create", "movement", m->id, json_pack("{s:s,s:s,s:o,"
	    "s:s}", "patient_id", m->patient_id, "kind",
	    movement_kind_name(m->kind), "departs_at",
	    json_instant(m->departs_at), "destination", m->destination)) !=
	    STORE_OK)
		return request_store_failed(r);
	return 0;
}

/* POST /v1/movements {patient_id, kind, departs_at, destination,
 * follow_up} */
int
api_movement_create(struct request *r)
{
	struct movement	*m;
	const char	*patient_id;
	int		 away, rc = -1;

	if ((m = calloc(1, sizeof *m)) == NULL)
		return request_error(r, 503, "out_of_memory", "try again");
	if (api_movement_parse(r, m, &patient_id) == 0 &&
	    api_movement_allowed(r, patient_id, m, &away) == 0 &&
	    api_movement_store(r, m, away) == 0)
		rc = api_movement_answer(r, m->id, 201);
	free(m);
	return rc;
}

struct api_movement_list {
	struct request	*r;
	json_t		*list;
	int		 failed;
};

static void
api_movement_list_one(const struct store_movement_row *row, void *arg)
{
	struct api_movement_list	*ctx = arg;
	json_t				*o;

	if (ctx->failed || api_movement_json(ctx->r, row, &o) == -1)
		ctx->failed = 1;
	else
		json_array_append_new(ctx->list, o);
}

/* GET /v1/movements[?date=YYYY-MM-DD][&kind=court]: those departing on a
 * local date (today by default), in the order they leave: the court
 * list. */
int
api_movement_list(struct request *r)
{
	struct api_movement_list	 ctx = { r, NULL, 0 };
	struct civil_date		 day = calendar_local_date(r->now);
	enum movement_kind		 k;
	char				 date[16], kind[16];
	int				 rc, by_kind;

	if ((rc = request_query(r, "date", date, sizeof date)) == -1)
		return -1;
	if (rc == 0 && timefmt_parse_date(date, &day) == -1)
		return request_error(r, 400, "invalid_query",
		    "date is a local date written YYYY-MM-DD");
	if ((rc = request_query(r, "kind", kind, sizeof kind)) == -1)
		return -1;
	by_kind = rc == 0;
	if (by_kind && movement_kind_parse(kind, &k) == -1)
		return request_error(r, 400, "invalid_query",
		    "kind is court, release or transfer");
	ctx.list = json_array();
	if (store_movement_list(r->srv->store, calendar_local_midnight(day),
	    calendar_local_midnight(calendar_add_days(day, 1)),
	    by_kind ? kind : NULL, api_movement_list_one, &ctx) != STORE_OK ||
	    ctx.failed) {
		json_decref(ctx.list);
		return ctx.failed ? -1 : request_store_failed(r);
	}
	request_reply(r, 200, ctx.list);
	return 0;
}

/* The movement named by the path, or -1 with a 404. */
int
api_movement_load(struct request *r, struct store_movement_row *row)
{
	enum store_result	sr = STORE_NOT_FOUND;

	if (validate_uuid(r->params[0]) == 0)
		sr = store_movement_get(r->srv->store, r->params[0], row);
	if (sr == STORE_ERROR)
		return request_store_failed(r);
	if (sr != STORE_OK)
		return request_error(r, 404, "not_found",
		    "there is no movement %s", r->params[0]);
	return 0;
}

/* GET /v1/movements/{id} */
int
api_movement_get(struct request *r)
{
	struct store_movement_row	*row;
	json_t				*o;
	int				 rc = -1;

	if ((row = malloc(sizeof *row)) == NULL)
		return request_error(r, 503, "out_of_memory", "try again");
	if (api_movement_load(r, row) == 0 &&
	    api_movement_json(r, row, &o) == 0) {
		request_reply(r, 200, o);
		rc = 0;
	}
	free(row);
	return rc;
}

/* The body {at} of a depart or return: when, by default now. */
static int
api_movement_at(struct request *r, int64_t *at)
{
	static const char *const fields[] = { "at", NULL };

	*at = r->now;
	return json_in_allowed(r, r->body, fields) == -1 ||
	    json_in_instant(r, r->body, "at", 0, at, NULL) == -1 ? -1 : 0;
}

/* Run a state change on the movement in the path, then answer with it. */
static int
api_movement_change(struct request *r,
    int (*fn)(struct request *, struct movement *))
{
	struct store_movement_row	*row;
	int				 rc = -1;

	if ((row = malloc(sizeof *row)) == NULL)
		return request_error(r, 503, "out_of_memory", "try again");
	if (api_movement_load(r, row) == 0 && fn(r, &row->movement) == 0)
		rc = api_movement_answer(r, row->movement.id, 200);
	free(row);
	return rc;
}

static int
api_movement_do_depart(struct request *r, struct movement *m)
{
	struct movement_policy	policy = server_movement_policy(r->srv);
	struct refusal		why;
	int64_t			at;

	if (api_movement_at(r, &at) == -1)
		return -1;
	if (movement_depart(&policy, m, at, r->staff.id, r->now, &why) == -1)
		return request_refused(r, &why);
	if (movements_depart(r->srv, m, at, r->staff.id, r->now) == -1 ||
	    store_audit_append(r->srv->store, r->now, r->staff.id,
	    "movement.depart", "movement", m->id, json_pack("{s:o}", "at",
	    json_instant(at))) != STORE_OK)
		return request_store_failed(r);
	return 0;
}

/* POST /v1/movements/{id}/depart {at} */
int
api_movement_depart(struct request *r)
{
	return api_movement_change(r, api_movement_do_depart);
}

static int
api_movement_do_return(struct request *r, struct movement *m)
{
	struct movement_policy	policy = server_movement_policy(r->srv);
	struct refusal		why;
	int64_t			at;

	if (api_movement_at(r, &at) == -1)
		return -1;
	if (movement_return(&policy, m, at, r->staff.id, r->now, &why) == -1)
		return request_refused(r, &why);
	if (store_movement_update(r->srv->store, m) != STORE_OK ||
	    observing_return(r->srv, m->patient_id, at, r->now) == -1 ||
	    movements_prepare_patient(r->srv, m->patient_id, r->now) == -1 ||
	    store_audit_append(r->srv->store, r->now, r->staff.id,
	    "movement.return", "movement", m->id, json_pack("{s:o}", "at",
	    json_instant(at))) != STORE_OK)
		return request_store_failed(r);
	return 0;
}

/* POST /v1/movements/{id}/return {at}: back from court; the round goes
 * on from the next dose, the observation plan resumes, and a release
 * booked meanwhile is prepared. */
int
api_movement_return(struct request *r)
{
	return api_movement_change(r, api_movement_do_return);
}

static int
api_movement_do_cancel(struct request *r, struct movement *m)
{
	static const char *const fields[] = { "reason", NULL };
	struct refusal	 why;
	const char	*reason;

	if (json_in_allowed(r, r->body, fields) == -1 ||
	    json_in_string(r, r->body, "reason", 1, MOVEMENT_REASON_MAX,
	    &reason) == -1)
		return -1;
	if (movement_cancel(m, r->staff.id, reason, r->now, &why) == -1)
		return request_refused(r, &why);
	if (movements_cancel(r->srv, m, r->staff.id, r->now) == -1 ||
	    store_movement_update(r->srv->store, m) != STORE_OK ||
	    store_audit_append(r->srv->store, r->now, r->staff.id,
	    "movement.cancel", "movement", m->id, json_pack("{s:s}", "reason",
	    reason)) != STORE_OK)
		return request_store_failed(r);
	return 0;
}

/* POST /v1/movements/{id}/cancel {reason}: the hearing was vacated; the
 * morning doses go back to their own times. */
int
api_movement_cancel(struct request *r)
{
	return api_movement_change(r, api_movement_do_cancel);
}
