/* Verifying a username and PIN, for sign-in and for a witness.  A wrong
 * PIN counts towards the account's lockout and is audited, so the request
 * keeps those changes even though it is refused. */
#include <string.h>

#include "api.h"
#include "auth.h"
#include "log.h"
#include "request.h"
#include "server.h"
#include "store.h"
#include "calendar.h"

/* Spend as long on an unknown username as on a wrong PIN, so the time an
 * answer takes does not tell which usernames exist. */
void
api_signin_waste_time(const char *pin)
{
	static char	dummy[AUTH_HASH_LEN];

	if (dummy[0] == '\0' && auth_pin_hash("000000", dummy) == -1)
		return;
	(void)auth_pin_verify(pin, dummy);
}

/* Check a known person's PIN now.  A wrong PIN counts towards their
 * lockout and is audited, and the request keeps those changes although it
 * is refused.  Returns 0 if the PIN is right, 1 if wrong (with *locked_now
 * set if this one locked the account), -1 after a store failure. */
int
api_pin_check(struct request *r, struct staff *who, const char *pin,
    int *locked_now)
{
	const struct config	*cfg = r->srv->cfg;
	struct auth_policy	 policy = {
		cfg->lockout_failures, (int64_t)cfg->lockout_minutes * 60000
	};
	int			 was_locked;

	*locked_now = 0;
	if (auth_pin_verify(pin, who->pin_hash)) {
		if (who->lock.failures != 0) {
			auth_succeeded(&who->lock);
			if (store_staff_update(r->srv->store, who) != STORE_OK)
				return request_store_failed(r);
		}
		return 0;
	}
	was_locked = auth_is_locked(&who->lock, r->now);
	auth_failed(&who->lock, &policy, r->now);
	if (store_staff_update(r->srv->store, who) != STORE_OK ||
	    store_audit_append(r->srv->store, r->now, who->id,
	    "staff.pin_failed", "staff", who->id, json_pack("{s:s}",
	    "username", who->username)) != STORE_OK)
		return request_store_failed(r);
	if (!was_locked && auth_is_locked(&who->lock, r->now)) {
		if (store_audit_append(r->srv->store, r->now, who->id,
		    "staff.locked", "staff", who->id, json_pack("{s:s}",
		    "username", who->username)) != STORE_OK)
			return request_store_failed(r);
		*locked_now = 1;
	}
	/* The count and its audit entries, whole, or nothing. */
	if (store_seal_json(r->srv->store) != STORE_OK) {
		log_warnx("out of memory recording a wrong PIN for %s; not "
		    "counted", who->username);
		return request_store_failed(r);
	}
	r->keep_changes = 1;
	if (*locked_now)
		log_info("%s locked after %d wrong PINs", who->username,
		    cfg->lockout_failures);
	return 1;
}

int
api_signin_verify(struct request *r, const char *username, const char *pin,
    struct staff *out)
{
	char			 until[CALENDAR_LOCAL_LEN];
	enum store_result	 sr;
	int			 rc, locked_now;

	sr = store_staff_by_username(r->srv->store, username, out);
	if (sr == STORE_ERROR)
		return request_store_failed(r);
	if (sr == STORE_NOT_FOUND || !out->active) {
		api_signin_waste_time(pin);
		return request_error(r, 401, "invalid_credentials",
		    "the username or PIN is wrong");
	}
	if (auth_is_locked(&out->lock, r->now)) {
		calendar_format_local(out->lock.locked_until, until);
		return request_error(r, 403, "account_locked",
		    "%s is locked after too many wrong PINs until %s", username,
		    until);
	}
	if ((rc = api_pin_check(r, out, pin, &locked_now)) <= 0)
		return rc;
	if (locked_now) {
		calendar_format_local(out->lock.locked_until, until);
		return request_error(r, 403, "account_locked",
		    "wrong PIN; %s is now locked until %s", username, until);
	}
	return request_error(r, 401, "invalid_credentials",
	    "the username or PIN is wrong");
}
