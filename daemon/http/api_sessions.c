/* POST /v1/sessions signs in with username and PIN and hands out a bearer
 * token, with the unit's alerts.emergency_instruction (the ward's
 * observation form shows it for a NEWS2 of 7 or more); DELETE
 * /v1/sessions/current signs out. */
#include "api.h"
#include "auth.h"
#include "request.h"
#include "server.h"
#include "store.h"
#include "validate.h"

int
api_session_create(struct request *r)
{
	static const char *const fields[] = { "username", "pin", NULL };
	const char		*username, *pin;
	struct staff		 s;
	char			 token[AUTH_TOKEN_LEN], hash[DIGEST_HEX_LEN];
	int64_t			 expires_at;

	if (json_in_allowed(r, r->body, fields) == -1 ||
	    json_in_string(r, r->body, "username", 1, USERNAME_MAX,
	    &username) == -1 ||
	    json_in_string(r, r->body, "pin", 1, PIN_MAX_DIGITS, &pin) == -1)
		return -1;
	if (api_signin_verify(r, username, pin, &s) == -1)
		return -1;

	if (auth_token_new(token) == -1 || auth_token_hash(token, hash) == -1)
		return request_error(r, 500, "internal",
		    "cannot make a session token");
	expires_at = r->now + (int64_t)r->srv->cfg->session_idle_minutes *
	    60000;
	if (store_session_insert(r->srv->store, hash, s.id, r->now,
	    expires_at) != STORE_OK ||
	    store_audit_append(r->srv->store, r->now, s.id, "session.create",
	    "staff", s.id, json_pack("{s:s}", "username", s.username)) !=
	    STORE_OK)
		return request_store_failed(r);
	request_reply(r, 201, json_pack("{s:s,s:o,s:o,s:s}", "token", token,
	    "expires_at", json_instant(expires_at), "staff",
	    api_staff_json(&s, r->now), "emergency_instruction",
	    r->srv->cfg->emergency_instruction));
	return 0;
}

int
api_session_delete(struct request *r)
{
	if (store_session_delete(r->srv->store, r->token_hash) != STORE_OK ||
	    store_audit_append(r->srv->store, r->now, r->staff.id,
	    "session.delete", "staff", r->staff.id, json_object()) !=
	    STORE_OK)
		return request_store_failed(r);
	request_reply(r, 204, NULL);
	return 0;
}
