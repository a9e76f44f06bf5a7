/* Two people for access (issue 16): the grants of clinical roles and PIN
 * resets that wait for a second admin or manager (GET /v1/staff/changes,
 * POST /v1/staff/changes/{id}/approve and /decline), and each person's
 * change of their own PIN (POST /v1/staff/me/pin).  What may be approved
 * and what then holds is staff_change_decide()'s to say. */
#include <string.h>

#include "alert.h"
#include "api.h"
#include "auth.h"
#include "calendar.h"
#include "config.h"
#include "request.h"
#include "server.h"
#include "staff_change.h"
#include "store.h"
#include "validate.h"

/* A change as the API shows it, with the people it names. */
static json_t *
api_staff_change_json(const struct store_staff_change_row *row, int64_t now)
{
	const struct staff_change	*c = &row->change;
	json_t				*o;

	o = json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o}", "id", c->id,
	    "kind", staff_change_kind_name(c->kind), "state",
	    staff_change_state_name(staff_change_state_at(c, now)),
	    "staff", api_person_json(&row->staff),
	    "requested_by", api_person_json(&row->requested_by),
	    "requested_at", json_instant(c->requested_at),
	    "expires_at", json_instant(c->expires_at),
	    "decided_by", api_person_json(&row->decided_by),
	    "decided_at", c->decided_at ? json_instant(c->decided_at) :
	    json_null());
	if (c->kind == STAFF_CHANGE_GRANT)
		json_object_set_new(o, "roles", roles_to_json(c->roles));
	return o;
}

/* The JSON of a change just asked for or decided, by people at hand. */
static json_t *
api_staff_change_json_of(const struct staff_change *c,
    const struct staff *subject, const struct staff *requester,
    const struct staff *decider, int64_t now)
{
	struct store_staff_change_row	row;

	memset(&row, 0, sizeof row);
	row.change = *c;
	api_person_from_staff(subject, &row.staff);
	api_person_from_staff(requester, &row.requested_by);
	if (decider != NULL)
		api_person_from_staff(decider, &row.decided_by);
	return api_staff_change_json(&row, now);
}

/* Raise the managers' alert of a change of access (c NULL: one's own new
 * PIN). */
static int
api_staff_change_alert(struct request *r, enum staff_change_event ev,
    const struct staff_change *c, const struct staff *subject)
{
	struct alert	a;

	staff_change_alert(&a, ev, c, subject, &r->staff, r->now);
	return store_alert_raise(r->srv->store, &a, r->now, r->staff.id) ==
	    STORE_OK ? 0 : -1;
}

/* Supersede the person's pending change of a kind, if there is one: a
 * newer request, or their own new PIN, takes its place. */
int
api_staff_change_supersede(struct request *r, const char *staff_id,
    enum staff_change_kind kind)
{
	struct staff_change	c;
	enum store_result	sr;

	sr = store_staff_change_pending(r->srv->store, staff_id, kind, &c);
	if (sr == STORE_NOT_FOUND)
		return 0;
	if (sr != STORE_OK ||
	    store_staff_change_decide(r->srv->store, c.id,
	    STAFF_CHANGE_SUPERSEDED, r->staff.id, r->now) != STORE_OK ||
	    store_audit_append(r->srv->store, r->now, r->staff.id,
	    "staff.change_superseded", "staff_change", c.id,
	    json_pack("{s:s}", "staff_id", staff_id)) != STORE_OK)
		return request_store_failed(r);
	return 0;
}

/* Ask for a change of subject's access that waits for a second person (a
 * grant of roles, or a reset to the PIN whose hash is pin_hash): stored,
 * audited and told to the managers.  *out is its JSON. */
int
api_staff_change_ask(struct request *r, const struct staff *subject,
    enum staff_change_kind kind, unsigned roles, const char *pin_hash,
    json_t **out)
{
	struct staff_change	c;

	staff_change_new(&c, kind, subject->id, r->staff.id, r->now);
	c.roles = roles;
	if (pin_hash != NULL)
		memcpy(c.pin_hash, pin_hash, sizeof c.pin_hash);
	if (store_staff_change_insert(r->srv->store, &c) != STORE_OK ||
	    store_audit_append(r->srv->store, r->now, r->staff.id,
	    "staff.change_request", "staff_change", c.id,
	    json_pack("{s:s,s:s,s:o}", "staff_id", subject->id, "kind",
	    staff_change_kind_name(kind), "roles", roles_to_json(roles))) !=
	    STORE_OK ||
	    api_staff_change_alert(r, STAFF_EVENT_REQUESTED, &c, subject) == -1)
		return request_store_failed(r);
	*out = api_staff_change_json_of(&c, subject, &r->staff, NULL, r->now);
	json_object_set_new(*out, "note", json_string(kind ==
	    STAFF_CHANGE_GRANT ? "these roles are not in effect until a "
	    "second admin or manager approves (idtsctl staff approve)" :
	    "the new PIN is not in effect until a second admin or manager "
	    "approves (idtsctl staff approve)"));
	return 0;
}

struct api_staff_change_list_ctx {
	json_t	*list;
	int64_t	 now;
};

/* Append one change to the list being built. */
static void
api_staff_change_list_one(const struct store_staff_change_row *row,
    void *arg)
{
	struct api_staff_change_list_ctx	*ctx = arg;

	json_array_append_new(ctx->list, api_staff_change_json(row, ctx->now));
}

int
api_staff_change_list(struct request *r)
{
	struct api_staff_change_list_ctx	ctx = { json_array(), r->now };

	if (store_staff_change_list(r->srv->store, r->now,
	    api_staff_change_list_one, &ctx) != STORE_OK) {
		json_decref(ctx.list);
		return request_store_failed(r);
	}
	request_reply(r, 200, ctx.list);
	return 0;
}

/* Load the change named by the path and the person it is for; -1 with
 * 404 if there is no such change. */
static int
api_staff_change_load(struct request *r, struct staff_change *c,
    struct staff *subject, struct staff *requester)
{
	enum store_result	sr = STORE_NOT_FOUND;

	if (validate_uuid(r->params[0]) == 0)
		sr = store_staff_change_get(r->srv->store, r->params[0], c);
	if (sr == STORE_OK)
		sr = store_staff_by_id(r->srv->store, c->staff_id, subject);
	if (sr == STORE_OK)
		sr = store_staff_by_id(r->srv->store, c->requested_by,
		    requester);
	if (sr == STORE_ERROR)
		return request_store_failed(r);
	if (sr != STORE_OK)
		return request_error(r, 404, "not_found",
		    "there is no staff change %s", r->params[0]);
	return 0;
}

/* Put a decision into effect: the person as it leaves them, the change's
 * new state, the audit entry and the managers' alert. */
static int
api_staff_change_put(struct request *r, struct staff_change *c,
    const struct staff_decision *d)
{
	int	approve = d->state == STAFF_CHANGE_APPROVED;

	if ((approve && store_staff_update(r->srv->store, &d->after) !=
	    STORE_OK) ||
	    (d->end_sessions &&
	    store_sessions_end_for_staff(r->srv->store, d->after.id) !=
	    STORE_OK) ||
	    store_staff_change_decide(r->srv->store, c->id, d->state,
	    r->staff.id, r->now) != STORE_OK ||
	    store_audit_append(r->srv->store, r->now, r->staff.id,
	    approve ? "staff.change_approve" : "staff.change_decline",
	    "staff_change", c->id, json_pack("{s:s,s:s,s:o}", "staff_id",
	    c->staff_id, "kind", staff_change_kind_name(c->kind), "roles",
	    roles_to_json(c->roles))) != STORE_OK ||
	    api_staff_change_alert(r, approve ? STAFF_EVENT_APPROVED :
	    STAFF_EVENT_DECLINED, c, &d->after) == -1)
		return request_store_failed(r);
	c->state = d->state;
	c->decided_at = r->now;
	strcpy(c->decided_by, r->staff.id);
	return 0;
}

/* Approve or decline the change the path names. */
static int
api_staff_change_decide(struct request *r, int approve)
{
	struct staff_change	c;
	struct staff		subject, requester;
	struct staff_decision	d;
	struct refusal		why;
	json_t			*o;

	if (api_staff_change_load(r, &c, &subject, &requester) == -1)
		return -1;
	if (staff_change_decide(&c, &subject, &r->staff, approve, r->now,
	    &d, &why) == -1)
		return d.forbidden ? request_error(r, 403, why.code, "%s",
		    why.message) : request_refused(r, &why);
	if (api_staff_change_put(r, &c, &d) == -1)
		return -1;
	o = api_staff_change_json_of(&c, &d.after, &requester, &r->staff,
	    r->now);
	json_object_set_new(o, "account", api_staff_json(&d.after,
	    r->now));
	request_reply(r, 200, o);
	return 0;
}

int
api_staff_change_approve(struct request *r)
{
	return api_staff_change_decide(r, 1);
}

int
api_staff_change_decline(struct request *r)
{
	return api_staff_change_decide(r, 0);
}

/* Decode POST /v1/staff/me/pin's body: both PINs, the new one to the
 * policy for a new account's. */
static int
api_my_pin_decode(struct request *r, const char **old_pin,
    const char **new_pin)
{
	static const char *const fields[] = { "old_pin", "new_pin", NULL };

	if (json_in_allowed(r, r->body, fields) == -1 ||
	    json_in_string(r, r->body, "old_pin", 1, PIN_MAX_DIGITS,
	    old_pin) == -1 ||
	    json_in_string(r, r->body, "new_pin", 1, PIN_MAX_DIGITS,
	    new_pin) == -1)
		return -1;
	if (validate_pin(*new_pin) == -1)
		return request_error(r, 400, "invalid_field",
		    "new_pin must be %d to %d digits", PIN_MIN_DIGITS,
		    PIN_MAX_DIGITS);
	return 0;
}

/* Check the caller's old PIN as sign-in does (api_pin_gate, then
 * api_pin_check): a place that must wait is 429, an account locked here
 * or everywhere 403, a wrong PIN counts towards the lockout and is 401
 * (403 if it locked them).  0 if it is right. */
static int
api_my_pin_check(struct request *r, struct staff *me, const char *old_pin)
{
	char	until[CALENDAR_LOCAL_LEN];
	int	gate, rc, locked_now;
	int64_t	ends;

	if ((gate = api_pin_gate(r, me, &ends)) == -1)
		return -1;
	if (gate != AUTH_TRY) {
		calendar_format_local(ends, until);
		return request_error(r, 403, "account_locked", "%s is locked "
		    "after too many wrong PINs until %s", me->username, until);
	}
	if ((rc = api_pin_check(r, me, old_pin, &locked_now)) <= 0)
		return rc;
	if (locked_now) {
		calendar_format_local(r->now + (int64_t)r->srv->cfg->
		    lockout_minutes * 60000, until);
		return request_error(r, 403, "account_locked", "wrong PIN; %s "
		    "is now locked here until %s", me->username, until);
	}
	return request_error(r, 401, "invalid_credentials",
	    "the old PIN is wrong");
}

/* POST /v1/staff/me/pin: a person changes their own PIN with the old one.
 * It takes effect at once (nobody else knows it); a reset of it that was
 * waiting is superseded; the managers are told. */
int
api_staff_my_pin(struct request *r)
{
	struct staff	 me = r->staff;
	const char	*old_pin, *new_pin;

	if (api_my_pin_decode(r, &old_pin, &new_pin) == -1 ||
	    api_my_pin_check(r, &me, old_pin) == -1)
		return -1;
	if (request_pin_hash(r, new_pin, me.pin_hash) == -1)
		return -1;
	if (store_staff_update(r->srv->store, &me) != STORE_OK)
		return request_store_failed(r);
	if (api_staff_change_supersede(r, me.id, STAFF_CHANGE_RESET) == -1)
		return -1;
	if (store_audit_append(r->srv->store, r->now, me.id,
	    "staff.pin_change", "staff", me.id, json_pack("{s:s}",
	    "username", me.username)) != STORE_OK ||
	    api_staff_change_alert(r, STAFF_EVENT_OWN_PIN, NULL, &me) == -1)
		return request_store_failed(r);
	request_reply(r, 200, api_staff_json(&me, r->now));
	return 0;
}
