/* Two people for access (issue 16): who may ask for and approve a change
 * of a person's guarded roles, PIN or activity, and what then takes
 * effect. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "staff_change.h"

static const char *const kind_names[] = { "grant", "reset" };
static const char *const state_names[] = {
	"pending", "approved", "declined", "superseded", "expired"
};

const char *
staff_change_kind_name(enum staff_change_kind k)
{
	return kind_names[k];
}

const char *
staff_change_state_name(enum staff_change_state s)
{
	return state_names[s];
}

/* The index of name in names; -1 if it is not there. */
static int
staff_change_name_index(const char *const names[], size_t n,
    const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return (int)i;
	return -1;
}

int
staff_change_kind_parse(const char *name, enum staff_change_kind *out)
{
	int	i = staff_change_name_index(kind_names, 2, name);

	if (i == -1)
		return -1;
	*out = (enum staff_change_kind)i;
	return 0;
}

/* A stored state: "expired" is never stored, so it does not parse. */
int
staff_change_state_parse(const char *name, enum staff_change_state *out)
{
	int	i = staff_change_name_index(state_names, 4, name);

	if (i == -1)
		return -1;
	*out = (enum staff_change_state)i;
	return 0;
}

/* Whether two staff ids name the same person, however the id is spelt
 * (a UUID's hex digits in either case).  An empty id is nobody. */
int
staff_same_person(const char *a_id, const char *b_id)
{
	return a_id[0] != '\0' && strcasecmp(a_id, b_id) == 0;
}

/* A change's state now: a pending one expires at expires_at exactly. */
enum staff_change_state
staff_change_state_at(const struct staff_change *c, int64_t now)
{
	if (c->state == STAFF_CHANGE_PENDING && now >= c->expires_at)
		return STAFF_CHANGE_EXPIRED;
	return c->state;
}

/* An account made active again: it was out of use, so having its guarded
 * roles back is a grant in effect, and they wait as one, with any grant
 * still pending for it. */
static void
staff_change_reactivate(struct staff_plan *out, unsigned pending_grant)
{
	if ((out->roles_now & STAFF_GUARDED_ROLES) == 0)
		return;
	out->grant = (out->roles_now & STAFF_GUARDED_ROLES) | pending_grant;
	out->roles_now &= ~(unsigned)STAFF_GUARDED_ROLES;
	out->supersede_grant = 1;
}

/* What an admin's ask of a person's roles, PIN and activity comes to.
 * Removing a role and adding one that is not guarded take effect at once;
 * adding a guarded role (one that signs controlled drugs, or admin or
 * manager, who approve) waits as a grant, and so do the guarded roles of
 * an account made active again.  A new PIN waits for someone who holds a
 * guarded role or is waiting for one (the first PIN of a new account is
 * not a reset: its grant waits instead).  A newer ask supersedes a
 * pending one of the same kind.  Nobody changes their own roles, or their
 * own PIN without the old one: each refusal is a 403. */
int
staff_change_plan(const struct staff *before, unsigned pending_grant,
    const char *actor_id, const struct staff_ask *ask,
    struct staff_plan *out, struct refusal *why)
{
	unsigned	held;

	memset(out, 0, sizeof *out);
	out->roles_now = before->roles;
	if (staff_same_person(actor_id, before->id) && ask->roles_asked)
		return refuse(why, 0, "own_roles", "nobody changes their "
		    "own roles; another admin must");
	if (staff_same_person(actor_id, before->id) && ask->pin_asked)
		return refuse(why, 0, "own_pin", "change your own PIN with "
		    "your old one (POST /v1/staff/me/pin, or idtsctl pin)");
	if (ask->roles_asked) {
		out->roles_now = ask->roles &
		    (~(unsigned)STAFF_GUARDED_ROLES | before->roles);
		out->grant = ask->roles & STAFF_GUARDED_ROLES &
		    ~before->roles;
		out->supersede_grant = !ask->creating;
		pending_grant = out->grant;
	}
	if (ask->activate && !before->active)
		staff_change_reactivate(out, pending_grant);
	held = out->roles_now | out->grant | pending_grant;
	if (ask->pin_asked) {
		out->supersede_reset = !ask->creating;
		if (!ask->creating && (held & STAFF_GUARDED_ROLES) != 0)
			out->reset = 1;
		else
			out->pin_now = 1;
	}
	return 0;
}

/* A new pending change of a person, asked for now by actor_id. */
void
staff_change_new(struct staff_change *c, enum staff_change_kind kind,
    const char *staff_id, const char *actor_id, int64_t now)
{
	memset(c, 0, sizeof *c);
	validate_new_uuid(c->id);
	snprintf(c->staff_id, sizeof c->staff_id, "%s", staff_id);
	c->kind = kind;
	snprintf(c->requested_by, sizeof c->requested_by, "%s", actor_id);
	c->requested_at = now;
	c->expires_at = now + STAFF_CHANGE_TTL_MS;
	c->state = STAFF_CHANGE_PENDING;
}

/* Whether decider may decide on c at all: an active admin or manager,
 * and, to approve, neither the one who asked nor the one it is for. */
static int
staff_change_check_decider(const struct staff_change *c,
    const struct staff *decider, int approve, struct refusal *why)
{
	if (!decider->active || (decider->roles & STAFF_DECIDER_ROLES) == 0)
		return refuse(why, 0, "forbidden", "only an admin or a "
		    "manager decides on a change of access");
	if (approve && staff_same_person(decider->id, c->requested_by))
		return refuse(why, 0, "own_request", "a change of access is "
		    "approved by a second person, not the one who asked");
	if (approve && staff_same_person(decider->id, c->staff_id))
		return refuse(why, 0, "own_change", "nobody approves a change "
		    "of their own access");
	return 0;
}

/* Approve (or decline) a pending change: what then holds of the person.
 * A decline may come from anyone who may decide, the asker included (to
 * withdraw it).  A grant adds its roles to those the person holds then;
 * a reset sets the PIN, lifts a lockout and ends the person's sessions. */
int
staff_change_decide(const struct staff_change *c, const struct staff *subject,
    const struct staff *decider, int approve, int64_t now,
    struct staff_decision *out, struct refusal *why)
{
	enum staff_change_state	state = staff_change_state_at(c, now);

	memset(out, 0, sizeof *out);
	out->after = *subject;
	out->forbidden = 1;
	if (staff_change_check_decider(c, decider, approve, why) == -1)
		return -1;
	out->forbidden = 0;
	if (state == STAFF_CHANGE_EXPIRED)
		return refuse(why, 1, "change_expired", "this change waited "
		    "7 days without a second person and has expired; ask "
		    "again");
	if (state != STAFF_CHANGE_PENDING)
		return refuse(why, 1, "change_decided", "this change is "
		    "already %s", staff_change_state_name(state));
	if (approve && !subject->active)
		return refuse(why, 1, "staff_inactive", "%s's account is not "
		    "active", subject->username);
	out->state = approve ? STAFF_CHANGE_APPROVED : STAFF_CHANGE_DECLINED;
	if (!approve)
		return 0;
	if (c->kind == STAFF_CHANGE_GRANT) {
		out->after.roles |= c->roles;
		return 0;
	}
	memcpy(out->after.pin_hash, c->pin_hash, sizeof out->after.pin_hash);
	auth_succeeded(&out->after.lock);
	out->end_sessions = 1;
	return 0;
}

/* The names of a set of roles, "nurse, competent". */
static void
staff_change_role_list(unsigned roles, char *out, size_t size)
{
	json_t	*names = roles_to_json(roles), *v;
	size_t	 i, used = 0;

	out[0] = '\0';
	json_array_foreach(names, i, v) {
		snprintf(out + used, size - used, "%s%s", i ? ", " : "",
		    json_string_value(v));
		used = strlen(out);
	}
	json_decref(names);
}

/* What a change asks for, "give Carl Competent (carl) competent". */
static void
staff_change_what(const struct staff_change *c, const struct staff *subject,
    char *out, size_t size)
{
	char	roles[128];

	if (c->kind == STAFF_CHANGE_RESET) {
		snprintf(out, size, "reset the PIN of %s (%s)",
		    subject->display_name, subject->username);
		return;
	}
	staff_change_role_list(c->roles, roles, sizeof roles);
	snprintf(out, size, "give %s (%s) %s", subject->display_name,
	    subject->username, roles);
}

/* The managers' alert of a change of access (c is NULL for one's own new
 * PIN): never escalated, for the managers to read. */
void
staff_change_alert(struct alert *a, enum staff_change_event ev,
    const struct staff_change *c, const struct staff *subject,
    const struct staff *actor, int64_t now)
{
	static const struct alert_policy	never = { { 0, 0, 0, 0 } };
	char	what[ALERT_MESSAGE_MAX / 2] = "", msg[ALERT_MESSAGE_MAX];

	if (c != NULL)
		staff_change_what(c, subject, what, sizeof what);
	if (ev == STAFF_EVENT_REQUESTED)
		snprintf(msg, sizeof msg, "%s (%s) asked to %s; it waits for "
		    "a second admin or manager", actor->display_name,
		    actor->username, what);
	else if (ev == STAFF_EVENT_APPROVED || ev == STAFF_EVENT_DECLINED)
		snprintf(msg, sizeof msg, "%s (%s) %s the request to %s",
		    actor->display_name, actor->username,
		    ev == STAFF_EVENT_APPROVED ? "approved" : "declined", what);
	else
		snprintf(msg, sizeof msg, "%s (%s) changed their own PIN",
		    subject->display_name, subject->username);
	alert_raise(a, "staff_change", SEVERITY_INFO, AUDIENCE_MANAGER, NULL,
	    subject->id, msg, now, &never);
}
