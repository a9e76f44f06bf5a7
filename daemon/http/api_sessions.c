/* POST /v1/sessions signs in with username and PIN and hands out a bearer
 * token, with the unit's alerts.emergency_instruction (the ward's
 * observation form shows it for a NEWS2 of 7 or more); DELETE
 * /v1/sessions/current signs out.  A session is bound to the terminal it
 * was opened on, or where there was none to the source address. */
#include <string.h>

#include "api.h"
#include "auth.h"
#include "request.h"
#include "server.h"
#include "store.h"
#include "stream.h"
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
	    expires_at, r->terminal_id, api_source(r)) != STORE_OK ||
	    store_audit_append(r->srv->store, r->now, s.id, "session.create",
	    "staff", s.id, json_pack("{s:s,s:s?,s:s}", "username", s.username,
	    "terminal", r->terminal_id[0] ? r->terminal_id : NULL, "source",
	    api_source(r))) != STORE_OK)
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
	stream_end_session(r->srv, r->token_hash);
	request_reply(r, 204, NULL);
	return 0;
}

/* Whether the signed-in request comes from where its session was opened:
 * the same terminal, or with none from the same address.  -1 with a 401
 * if not, so that a token copied off a terminal is no use elsewhere. */
int
api_session_bound(struct request *r)
{
	char			terminal_id[UUID_STR_LEN];
	char			source[STORE_SOURCE_LEN];
	enum store_result	sr;

	sr = store_session_place(r->srv->store, r->token_hash, terminal_id,
	    source);
	if (sr == STORE_ERROR)
		return request_store_failed(r);
	if (sr != STORE_OK || strcmp(terminal_id, r->terminal_id) != 0 ||
	    (terminal_id[0] == '\0' && strcmp(source, api_source(r)) != 0))
		return request_error(r, 401, "terminal_mismatch",
		    "this session was opened on another terminal; sign in "
		    "here");
	return 0;
}
