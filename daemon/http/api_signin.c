/* Verifying a username and PIN, for sign-in and for a witness.  Wrong PINs
 * count at the place they come from (rules/auth_lock.c): the terminal, or
 * the source address where none was presented.  A wrong PIN's count and
 * audit entries are kept although the request is refused. */
#include <string.h>

#include "alert.h"
#include "api.h"
#include "auth.h"
#include "log.h"
#include "request.h"
#include "server.h"
#include "store.h"
#include "calendar.h"

/* Spend as long on an unknown username as on a wrong PIN, so the time an
 * answer takes does not tell which usernames exist (in the PIN pool, as
 * every PIN: request_pin.c): 0, or -1 until the pool has done it. */
int
api_signin_waste_time(struct request *r, const char *pin)
{
	return request_pin_verify(r, pin, auth_dummy_hash()) == -1 ? -1 : 0;
}

/* The lockout policy the config sets. */
static struct auth_policy
api_pin_policy(const struct request *r)
{
	struct auth_policy	p = { r->srv->cfg->lockout_failures,
	    (int64_t)r->srv->cfg->lockout_minutes * 60000 };

	return p;
}

/* Log one step of a sign-in or witness check, with where it came from. */
static void
api_pin_log(const struct request *r, const char *username, const char *what)
{
	log_info("PIN for %s from %s, %s%s: %s", username, api_source(r),
	    r->terminal_id[0] ? "terminal " : "no terminal", r->terminal_id,
	    what);
}

/* An audit entry's detail: who, and from which terminal and address. */
static json_t *
api_pin_detail(const struct request *r, const char *username)
{
	return json_pack("{s:s,s:s?,s:s}", "username", username, "terminal",
	    r->terminal_id[0] ? r->terminal_id : NULL, "source",
	    api_source(r));
}

/* What is known of who's wrong PINs (NULL: an unknown username) at the
 * request's place; -1 after a store failure. */
static int
api_pin_state(struct request *r, const struct staff *who,
    const char *place, struct auth_state *st)
{
	memset(st, 0, sizeof *st);
	if (store_pin_place(r->srv->store, place, &st->place) != STORE_OK)
		return request_store_failed(r);
	if (who == NULL)
		return 0;
	st->account = who->lock;
	if (store_pin_here(r->srv->store, who->id, place, r->now, &st->here,
	    &st->locked_elsewhere) != STORE_OK)
		return request_store_failed(r);
	return 0;
}

/* Whether a PIN for who (NULL: an unknown username) may be looked at from
 * this request's place now: AUTH_TRY, AUTH_LOCKED_HERE or AUTH_LOCKED
 * (*until: when it ends), or -1 with the answer set: 429 for a place that
 * must wait, with Retry-After. */
int
api_pin_gate(struct request *r, const struct staff *who, int64_t *until)
{
	struct auth_state	st;
	char			place[AUTH_PLACE_LEN];
	enum auth_gate		gate;
	int64_t			wait;

	api_place(r, place);
	if (api_pin_state(r, who, place, &st) == -1)
		return -1;
	gate = auth_gate(&st, r->now, &wait);
	*until = r->now + wait;
	if (gate == AUTH_LOCKED || gate == AUTH_LOCKED_HERE)
		r->pin_locked_until = *until;	/* said in the answer */
	if (gate != AUTH_THROTTLED)
		return gate;
	r->retry_after = (int)((wait + 999) / 1000);
	api_pin_log(r, who ? who->username : "?", "throttled");
	return request_error(r, 429, "too_many_attempts", "too many wrong "
	    "PINs from here: try again in %d seconds", r->retry_after);
}

/* Keep what a request refused for a wrong PIN changed: the counts and
 * their audit entries, whole, or nothing. */
static int
api_pin_keep(struct request *r)
{
	if (store_seal_json(r->srv->store) != STORE_OK) {
		log_warnx("out of memory recording a wrong PIN; not counted");
		return request_store_failed(r);
	}
	r->keep_changes = 1;
	return 0;
}

/* An unknown or inactive username: as long as a wrong PIN takes, and
 * counted at the place, so that trying names is throttled too. */
int
api_pin_unknown(struct request *r, const char *username, const char *pin)
{
	struct auth_state	st;
	struct auth_policy	policy = api_pin_policy(r);
	char			place[AUTH_PLACE_LEN];

	if (api_signin_waste_time(r, pin) == -1)
		return -1;
	api_place(r, place);
	if (api_pin_state(r, NULL, place, &st) == -1)
		return -1;
	auth_place_failed(&st.place, &policy, r->now);
	r->pin_wrong = 1;
	auth_wrong_pin_told(&st, 0, &policy, r->now, &r->pin_tries_left,
	    &r->pin_locked_until);
	if (store_pin_place_save(r->srv->store, place, &st.place) != STORE_OK)
		return request_store_failed(r);
	api_pin_log(r, username, "unknown or inactive");
	return api_pin_keep(r);
}

/* Tell the managers, and end every session of an account that guesses
 * from several places locked everywhere. */
static int
api_pin_lock_account(struct request *r, const struct staff *who)
{
	struct alert	a;
	char		until[CALENDAR_LOCAL_LEN], msg[ALERT_MESSAGE_MAX];

	calendar_format_local(who->lock.locked_until, until);
	snprintf(msg, sizeof msg, "%s (%s) is locked until %s: wrong PINs "
	    "from %d terminals or addresses, the last from %s%s%s",
	    who->display_name, who->username, until, AUTH_HARD_PLACES,
	    api_source(r), r->terminal_id[0] ? ", terminal " : "",
	    r->terminal_id);
	alert_raise(&a, "account_locked", SEVERITY_URGENT, AUDIENCE_MANAGER,
	    NULL, who->id, msg, r->now, NULL);
	if (store_audit_append(r->srv->store, r->now, who->id,
	    "staff.locked", "staff", who->id, api_pin_detail(r,
	    who->username)) != STORE_OK ||
	    store_alert_raise(r->srv->store, &a, r->now, "") != STORE_OK ||
	    store_sessions_end_for_staff(r->srv->store, who->id) != STORE_OK)
		return request_store_failed(r);
	log_info("%s locked everywhere until %s after wrong PINs from %d "
	    "places", who->username, until, AUTH_HARD_PLACES);
	return 0;
}

/* Store what a wrong PIN changed, and audit it. */
static int
api_pin_wrong(struct request *r, struct staff *who, const char *place,
    const struct auth_outcome *o)
{
	struct store	*s = r->srv->store;

	who->lock = o->after.account;
	if (store_pin_place_save(s, place, &o->after.place) != STORE_OK ||
	    store_pin_here_save(s, who->id, place, &o->after.here) !=
	    STORE_OK ||
	    (o->locked_account && store_staff_update(s, who) != STORE_OK) ||
	    store_audit_append(s, r->now, who->id, "staff.pin_failed",
	    "staff", who->id, api_pin_detail(r, who->username)) != STORE_OK)
		return request_store_failed(r);
	api_pin_log(r, who->username, "wrong PIN");
	if (o->locked_here) {
		if (store_audit_append(s, r->now, who->id, "staff.locked_here",
		    "staff", who->id, api_pin_detail(r, who->username)) !=
		    STORE_OK)
			return request_store_failed(r);
		api_pin_log(r, who->username, "locked there");
	}
	if (o->locked_account && api_pin_lock_account(r, who) == -1)
		return -1;
	return api_pin_keep(r);
}

/* Check a known person's PIN now, from the request's place, after
 * api_pin_gate() said AUTH_TRY.  A wrong PIN counts there and is audited,
 * and the request keeps those changes although it is refused.  Returns 0
 * if the PIN is right, 1 if wrong (with *locked_now set if this one locked
 * the account there or everywhere), -1 after a store failure. */
int
api_pin_check(struct request *r, struct staff *who, const char *pin,
    int *locked_now)
{
	struct auth_policy	policy = api_pin_policy(r);
	struct auth_state	st;
	struct auth_outcome	o;
	char			place[AUTH_PLACE_LEN];
	int			ok;

	*locked_now = 0;
	api_place(r, place);
	if (api_pin_state(r, who, place, &st) == -1 ||
	    (ok = request_pin_verify(r, pin, who->pin_hash)) == -1)
		return -1;
	if (ok) {
		if (st.here.failures == 0 && st.place.failures == 0)
			return 0;
		auth_right_pin(&st);
		if (store_pin_place_save(r->srv->store, place, &st.place) !=
		    STORE_OK || store_pin_here_save(r->srv->store, who->id,
		    place, &st.here) != STORE_OK)
			return request_store_failed(r);
		return 0;
	}
	auth_wrong_pin(&st, &policy, r->now, &o);
	r->pin_wrong = 1;
	auth_wrong_pin_told(&o.after, 1, &policy, r->now, &r->pin_tries_left,
	    &r->pin_locked_until);
	if (api_pin_wrong(r, who, place, &o) == -1)
		return -1;
	*locked_now = o.locked_here || o.locked_account;
	return 1;
}

/* Sign-in's check of username and PIN: 0 with *out filled, or -1 with the
 * answer set.  The place's wait and the locks are looked at before the
 * PIN. */
int
api_signin_verify(struct request *r, const char *username, const char *pin,
    struct staff *out)
{
	char			 until[CALENDAR_LOCAL_LEN];
	enum store_result	 sr;
	int			 rc, gate, known, locked_now;
	int64_t			 ends;

	if (api_terminal_required(r) == -1)
		return -1;
	sr = store_staff_by_username(r->srv->store, username, out);
	if (sr == STORE_ERROR)
		return request_store_failed(r);
	known = sr == STORE_OK && out->active;
	if ((gate = api_pin_gate(r, known ? out : NULL, &ends)) == -1)
		return -1;
	if (!known)
		return api_pin_unknown(r, username, pin) == -1 ? -1 :
		    request_error(r, 401, "invalid_credentials",
		    "the username or PIN is wrong");
	if (gate != AUTH_TRY) {
		calendar_format_local(ends, until);
		api_pin_log(r, username, "locked");
		return request_error(r, 403, "account_locked", "%s is locked "
		    "%s after too many wrong PINs until %s", username,
		    gate == AUTH_LOCKED ? "everywhere" : "here", until);
	}
	if ((rc = api_pin_check(r, out, pin, &locked_now)) <= 0) {
		if (rc == 0)
			api_pin_log(r, username, "signed in");
		return rc;
	}
	if (locked_now) {
		calendar_format_local(r->now + (int64_t)r->srv->cfg->
		    lockout_minutes * 60000, until);
		return request_error(r, 403, "account_locked",
		    "wrong PIN; %s is now locked here until %s", username,
		    until);
	}
	return request_error(r, 401, "invalid_credentials",
	    "the username or PIN is wrong");
}
