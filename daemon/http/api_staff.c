/* Staff administration: POST, GET and PATCH /v1/staff.  Admins only. */
#include <string.h>

#include "api.h"
#include "auth.h"
#include "request.h"
#include "roles.h"
#include "server.h"
#include "staff_change.h"
#include "store.h"
#include "validate.h"

/* A PIN field: 4 to 12 digits. */
static int
api_staff_pin(struct request *r, const json_t *body, int required,
    const char **pin)
{
	if (json_in_string(r, body, "pin", required, PIN_MAX_DIGITS, pin) == -1)
		return -1;
	if (*pin != NULL && validate_pin(*pin) == -1)
		return request_error(r, 400, "invalid_field",
		    "pin must be %d to %d digits", PIN_MIN_DIGITS,
		    PIN_MAX_DIGITS);
	return 0;
}

/* A roles field: a non-empty array of distinct known role names. */
static int
api_staff_roles(struct request *r, const json_t *body, int required,
    unsigned *roles, int *present)
{
	const json_t	*v = json_object_get(body, "roles");

	*present = v != NULL;
	if (v == NULL && !required)
		return 0;
	if (v == NULL)
		return request_error(r, 400, "missing_field",
		    "roles is required");
	if (roles_from_json(v, roles) == -1)
		return request_error(r, 400, "invalid_field", "roles must be a "
		    "non-empty list of distinct roles from nurse, competent, "
		    "prescriber, pharmacist, reception, carat, manager, admin");
	return 0;
}

/* Store a new account with the roles its plan puts in effect, audited,
 * and ask for the grant of any that wait; *pending is that grant's JSON
 * (NULL if none waits). */
static int
api_staff_insert(struct request *r, struct staff *s,
    const struct staff_plan *plan, json_t **pending)
{
	enum store_result	sr;

	*pending = NULL;
	s->roles = plan->roles_now;
	sr = store_staff_insert(r->srv->store, s);
	if (sr == STORE_CONFLICT)
		return request_error(r, 409, "username_taken",
		    "there is already someone called %s", s->username);
	if (sr != STORE_OK ||
	    store_audit_append(r->srv->store, r->now, r->staff.id,
	    "staff.create", "staff", s->id, json_pack("{s:s,s:s,s:o,s:o}",
	    "username", s->username, "display_name", s->display_name, "roles",
	    roles_to_json(s->roles), "roles_pending",
	    roles_to_json(plan->grant))) != STORE_OK)
		return request_store_failed(r);
	if (plan->grant == 0)
		return 0;
	return api_staff_change_ask(r, s, STAFF_CHANGE_GRANT, plan->grant,
	    NULL, pending);
}

/* POST: a new account.  Its roles that neither sign nor approve are in
 * effect at once; a guarded role (clinical, admin or manager) waits for a
 * second admin or manager, and the answer says so in pending_change. */
int
api_staff_create(struct request *r)
{
	static const char *const fields[] = {
		"username", "display_name", "roles", "pin", NULL
	};
	const char		*username, *name, *pin;
	struct staff		 s;
	struct staff_ask	 ask = { 1, 1, 0, 1, 0 };
	struct staff_plan	 plan;
	struct refusal		 why;
	json_t			*pending, *o;
	int			 present;

	memset(&s, 0, sizeof s);
	if (json_in_allowed(r, r->body, fields) == -1 ||
	    json_in_string(r, r->body, "username", 1, USERNAME_MAX,
	    &username) == -1)
		return -1;
	if (validate_username(username) == -1)
		return request_error(r, 400, "invalid_field", "username must be "
		    "2 to 32 lower-case letters, digits, '.', '_' or '-', "
		    "starting with a letter");
	if (json_in_string(r, r->body, "display_name", 1, STAFF_NAME_MAX,
	    &name) == -1 ||
	    api_staff_roles(r, r->body, 1, &ask.roles, &present) == -1 ||
	    api_staff_pin(r, r->body, 1, &pin) == -1)
		return -1;

	validate_new_uuid(s.id);
	strcpy(s.username, username);
	strcpy(s.display_name, name);
	s.active = 1;
	s.created_at = r->now;
	if (staff_change_plan(&s, 0, r->staff.id, &ask, &plan, &why) == -1)
		return request_error(r, 403, why.code, "%s", why.message);
	if (request_pin_hash(r, pin, s.pin_hash) == -1 ||
	    api_staff_insert(r, &s, &plan, &pending) == -1)
		return -1;
	o = api_staff_json(&s, r->now);
	if (pending != NULL)
		json_object_set_new(o, "pending_change", pending);
	request_reply(r, 201, o);
	return 0;
}

struct api_staff_list_ctx {
	json_t	*list;
	int64_t	 now;
};

/* Append one staff record to the list being built. */
static void
api_staff_list_one(const struct staff *s, void *arg)
{
	struct api_staff_list_ctx	*ctx = arg;

	json_array_append_new(ctx->list, api_staff_json(s, ctx->now));
}

int
api_staff_list(struct request *r)
{
	struct api_staff_list_ctx	ctx = { json_array(), r->now };

	if (store_staff_list(r->srv->store, api_staff_list_one, &ctx) !=
	    STORE_OK) {
		json_decref(ctx.list);
		return request_store_failed(r);
	}
	request_reply(r, 200, ctx.list);
	return 0;
}

/* Load the staff record named by the path's {id}; -1 with 404 if none. */
static int
api_staff_load(struct request *r, struct staff *s)
{
	enum store_result	sr = STORE_NOT_FOUND;

	if (validate_uuid(r->params[0]) == 0)
		sr = store_staff_by_id(r->srv->store, r->params[0], s);
	if (sr == STORE_ERROR)
		return request_store_failed(r);
	if (sr != STORE_OK)
		return request_error(r, 404, "not_found",
		    "there is no staff record %s", r->params[0]);
	return 0;
}

int
api_staff_get(struct request *r)
{
	struct staff	s;

	if (api_staff_load(r, &s) == -1)
		return -1;
	request_reply(r, 200, api_staff_json(&s, r->now));
	return 0;
}

/* What a PATCH asks to change; absent fields are NULL, -1 or 0. */
struct api_staff_change {
	const char	*name, *pin;
	unsigned	 roles;
	int		 has_roles, active, unlock;
};

/* Decode a PATCH body: at least one known field, each valid alone. */
static int
api_staff_change_decode(struct request *r, struct api_staff_change *c)
{
	static const char *const fields[] = {
		"display_name", "roles", "pin", "active", "unlock", NULL
	};

	c->active = -1;
	c->unlock = 0;
	if (json_in_allowed(r, r->body, fields) == -1 ||
	    json_in_string(r, r->body, "display_name", 0, STAFF_NAME_MAX,
	    &c->name) == -1 ||
	    api_staff_roles(r, r->body, 0, &c->roles, &c->has_roles) == -1 ||
	    api_staff_pin(r, r->body, 0, &c->pin) == -1 ||
	    json_in_bool(r, r->body, "active", 0, &c->active) == -1 ||
	    json_in_bool(r, r->body, "unlock", 0, &c->unlock) == -1)
		return -1;
	if (json_object_size(r->body) == 0)
		return request_error(r, 400, "missing_field", "give at least "
		    "one of display_name, roles, pin, active, unlock");
	return 0;
}

/* What a PATCH's roles, PIN and active come to, by the rule of two
 * people: the person's pending grant (if not expired) counts as held.
 * -1 with 403 if the caller asks to change their own roles or PIN. */
static int
api_staff_plan(struct request *r, const struct staff *s,
    const struct api_staff_change *c, struct staff_plan *plan)
{
	struct staff_ask	 ask = {
		0, c->has_roles, c->roles, c->pin != NULL, c->active == 1
	};
	struct staff_change	 grant;
	struct refusal		 why;
	enum store_result	 sr;
	unsigned		 pending = 0;

	sr = store_staff_change_pending(r->srv->store, s->id,
	    STAFF_CHANGE_GRANT, &grant);
	if (sr == STORE_ERROR)
		return request_store_failed(r);
	if (sr == STORE_OK &&
	    staff_change_state_at(&grant, r->now) == STAFF_CHANGE_PENDING)
		pending = grant.roles;
	if (staff_change_plan(s, pending, r->staff.id, &ask, plan, &why) == -1)
		return request_error(r, 403, why.code, "%s", why.message);
	return 0;
}

/* Apply a change to s as its plan says, a new PIN in effect being
 * pin_hash; returns what changed, for the audit. */
static json_t *
api_staff_change_apply(const struct api_staff_change *c,
    const struct staff_plan *plan, struct staff *s, const char *pin_hash)
{
	json_t	*changed = json_object();

	if (c->name != NULL) {
		strcpy(s->display_name, c->name);
		json_object_set_new(changed, "display_name",
		    json_string(c->name));
	}
	if (c->has_roles || plan->roles_now != s->roles) {
		s->roles = plan->roles_now;
		json_object_set_new(changed, "roles", roles_to_json(s->roles));
		json_object_set_new(changed, "roles_pending",
		    roles_to_json(plan->grant));
	}
	if (c->active != -1) {
		s->active = c->active;
		json_object_set_new(changed, "active", json_boolean(c->active));
	}
	if (plan->pin_now || c->unlock) {
		auth_succeeded(&s->lock);
		json_object_set_new(changed, "unlocked", json_true());
	}
	if (plan->pin_now) {
		memcpy(s->pin_hash, pin_hash, sizeof s->pin_hash);
		json_object_set_new(changed, "pin_changed", json_true());
	}
	if (plan->reset)
		json_object_set_new(changed, "pin_reset_pending", json_true());
	return changed;
}

/* Supersede what the plan says, and ask for the grant and reset that
 * wait; *pending lists them (NULL if none). */
static int
api_staff_pending(struct request *r, const struct staff *s,
    const struct staff_plan *plan, const char *pin_hash, json_t **pending)
{
	json_t	*one;

	*pending = NULL;
	if ((plan->supersede_grant && api_staff_change_supersede(r, s->id,
	    STAFF_CHANGE_GRANT) == -1) ||
	    (plan->supersede_reset && api_staff_change_supersede(r, s->id,
	    STAFF_CHANGE_RESET) == -1))
		return -1;
	*pending = json_array();
	if (plan->grant != 0) {
		if (api_staff_change_ask(r, s, STAFF_CHANGE_GRANT, plan->grant,
		    NULL, &one) == -1)
			return -1;
		json_array_append_new(*pending, one);
	}
	if (plan->reset) {
		if (api_staff_change_ask(r, s, STAFF_CHANGE_RESET, 0,
		    pin_hash, &one) == -1)
			return -1;
		json_array_append_new(*pending, one);
	}
	return 0;
}

/* Write the changed person back; deactivation and a new PIN in effect end
 * their sessions, and an unlock lifts their locks at every terminal and
 * address too; no change may leave the unit without an active admin. */
static int
api_staff_store(struct request *r, const struct staff *s, int pin_now,
    int unlock)
{
	struct refusal	why;
	int		admins;

	if (store_staff_count_active_role(r->srv->store, ROLE_ADMIN, s->id,
	    &admins) != STORE_OK)
		return request_store_failed(r);
	if (staff_check_admins_left(s, admins, &why) == -1)
		return request_refused(r, &why);
	if (store_staff_update(r->srv->store, s) != STORE_OK ||
	    (unlock && store_pin_clear(r->srv->store, s->id) != STORE_OK) ||
	    ((!s->active || pin_now) &&
	    store_sessions_end_for_staff(r->srv->store, s->id) != STORE_OK))
		return request_store_failed(r);
	return 0;
}

/* PATCH: change a person's name, roles, PIN or whether they are active,
 * or lift a lockout.  A grant of a guarded role, a new PIN for someone
 * who holds one, and the guarded roles of an account made active again
 * wait for a second person (pending_changes); nobody changes their own
 * roles or PIN here. */
int
api_staff_update(struct request *r)
{
	struct api_staff_change	 c;
	struct staff		 s;
	struct staff_plan	 plan;
	char			 pin_hash[AUTH_HASH_LEN] = "";
	json_t			*changed, *pending = NULL, *o;

	if (api_staff_load(r, &s) == -1 ||
	    api_staff_change_decode(r, &c) == -1 ||
	    api_staff_plan(r, &s, &c, &plan) == -1 ||
	    (c.pin != NULL && request_pin_hash(r, c.pin, pin_hash) == -1))
		return -1;
	changed = api_staff_change_apply(&c, &plan, &s, pin_hash);
	if (api_staff_store(r, &s, plan.pin_now, plan.pin_now || c.unlock) ==
	    -1 ||
	    api_staff_pending(r, &s, &plan, pin_hash, &pending) == -1) {
		json_decref(changed);
		json_decref(pending);
		return -1;
	}
	if (store_audit_append(r->srv->store, r->now, r->staff.id,
	    "staff.update", "staff", s.id, changed) != STORE_OK) {
		json_decref(pending);
		return request_store_failed(r);
	}
	o = api_staff_json(&s, r->now);
	if (json_array_size(pending) > 0)
		json_object_set_new(o, "pending_changes", pending);
	else
		json_decref(pending);
	request_reply(r, 200, o);
	return 0;
}
