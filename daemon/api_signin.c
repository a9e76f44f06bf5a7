/* Verifying a username and PIN, for sign-in and for a witness.  A wrong
 * PIN counts towards the account's lockout and is audited, so the request
 * keeps those changes even though it is refused. */
#include <string.h>

#include "api.h"
#include "log.h"
#include "request.h"
#include "server.h"
#include "store.h"
#include "timefmt.h"

/* Spend as long on an unknown username as on a wrong PIN, so the time an
 * answer takes does not tell which usernames exist. */
static void
api_signin_waste_time(const char *pin)
{
	static char	dummy[AUTH_HASH_LEN];

	if (dummy[0] == '\0' && auth_pin_hash("000000", dummy) == -1)
		return;
	(void)auth_pin_verify(pin, dummy);
}

int
api_signin_verify(struct request *r, const char *username, const char *pin,
    struct staff *out)
{
	const struct config	*cfg = r->srv->cfg;
	struct auth_policy	 policy = {
		cfg->lockout_failures, (int64_t)cfg->lockout_minutes * 60000
	};
	char			 until[TIMEFMT_INSTANT_LEN];
	enum store_result	 sr;
	int			 was_locked;

	sr = store_staff_by_username(r->srv->store, username, out);
	if (sr == STORE_ERROR)
		return request_store_failed(r);
	if (sr == STORE_NOT_FOUND || !out->active) {
		api_signin_waste_time(pin);
		return request_error(r, 401, "invalid_credentials",
		    "the username or PIN is wrong");
	}
	if (auth_is_locked(&out->lock, r->now)) {
		timefmt_format_instant(out->lock.locked_until, until);
		return request_error(r, 403, "account_locked",
		    "%s is locked after too many wrong PINs until %s", username,
		    until);
	}
	if (auth_pin_verify(pin, out->pin_hash)) {
		if (out->lock.failures != 0) {
			auth_succeeded(&out->lock);
			if (store_staff_update(r->srv->store, out) != STORE_OK)
				return request_store_failed(r);
		}
		return 0;
	}

	was_locked = auth_is_locked(&out->lock, r->now);
	auth_failed(&out->lock, &policy, r->now);
	if (store_staff_update(r->srv->store, out) != STORE_OK ||
	    store_audit_append(r->srv->store, r->now, out->id,
	    "staff.pin_failed", "staff", out->id, json_pack("{s:s}",
	    "username", out->username)) != STORE_OK)
		return request_store_failed(r);
	r->keep_changes = 1;
	if (!was_locked && auth_is_locked(&out->lock, r->now)) {
		log_info("%s locked after %d wrong PINs", username,
		    cfg->lockout_failures);
		if (store_audit_append(r->srv->store, r->now, out->id,
		    "staff.locked", "staff", out->id, json_pack("{s:s}",
		    "username", out->username)) != STORE_OK)
			return request_store_failed(r);
		timefmt_format_instant(out->lock.locked_until, until);
		return request_error(r, 403, "account_locked",
		    "wrong PIN; %s is now locked until %s", username, until);
	}
	return request_error(r, 401, "invalid_credentials",
	    "the username or PIN is wrong");
}
