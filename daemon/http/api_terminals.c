/* Enrolled terminals: the ward's known devices.  An admin enrols one and
 * is shown its credential, "ID:SECRET", once (only the SHA-256 of the
 * secret is kept); the terminal sends it in every request as X-Terminal.
 * Sign-in and every witness's PIN need one, except from a loopback peer
 * where auth.loopback_without_terminal allows it; a session is good only
 * from the terminal it was opened on. */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "auth.h"
#include "config.h"
#include "log.h"
#include "request.h"
#include "server.h"
#include "store.h"
#include "validate.h"

/* The source address of a request, "" if not known. */
const char *
api_source(const struct request *r)
{
	return r->source != NULL ? r->source : "";
}

/* The place a request's PIN is tried from: its enrolled terminal, or its
 * source address where it presented none.  Every loopback address is one
 * place, the server itself: else 127.0.0.2 and 127.0.0.3 would be three
 * places to anyone on it, enough to lock an account everywhere. */
void
api_place(const struct request *r, char place[AUTH_PLACE_LEN])
{
	if (r->terminal_id[0] != '\0')
		snprintf(place, AUTH_PLACE_LEN, "terminal:%s", r->terminal_id);
	else if (config_is_loopback(api_source(r)))
		snprintf(place, AUTH_PLACE_LEN, "address:loopback");
	else
		snprintf(place, AUTH_PLACE_LEN, "address:%s", api_source(r));
}

/* Check the X-Terminal a request presents, if any, and note its terminal
 * in r->terminal_id; -1 with a 401 if it is not an enrolled terminal's
 * credential, or the terminal is revoked. */
int
api_terminal_identify(struct request *r)
{
	struct store_terminal	 t;
	char			 id[UUID_STR_LEN], hash[DIGEST_HEX_LEN];
	const char		*colon;
	enum store_result	 sr = STORE_NOT_FOUND;

	r->terminal_id[0] = '\0';
	if (r->terminal == NULL)
		return 0;
	colon = strchr(r->terminal, ':');
	if (colon != NULL && colon - r->terminal == UUID_STR_LEN - 1 &&
	    strlen(colon + 1) == AUTH_TOKEN_LEN - 1) {
		memcpy(id, r->terminal, UUID_STR_LEN - 1);
		id[UUID_STR_LEN - 1] = '\0';
		if (validate_uuid(id) == 0 &&
		    auth_token_hash(colon + 1, hash) == 0)
			sr = store_terminal_get(r->srv->store, id, &t);
	}
	if (sr == STORE_ERROR)
		return request_store_failed(r);
	if (sr != STORE_OK || strcmp(t.credential_hash, hash) != 0) {
		log_info("X-Terminal from %s refused: not a credential "
		    "enrolled here", api_source(r));
		return request_error(r, 401, "terminal_required",
		    "X-Terminal is not the credential of a terminal enrolled "
		    "here");
	}
	if (t.revoked_at != 0) {
		log_info("X-Terminal from %s refused: terminal %s (%s) is "
		    "revoked", api_source(r), t.id, t.name);
		return request_error(r, 401, "terminal_revoked",
		    "this terminal's enrolment was revoked; an admin can enrol "
		    "it again");
	}
	strcpy(r->terminal_id, t.id);
	return 0;
}

/* Whether a PIN may be taken from where this request comes: an enrolled
 * terminal, or loopback where the config allows it.  -1 with a 401 if
 * not, before any PIN is looked at. */
int
api_terminal_required(struct request *r)
{
	if (r->terminal_id[0] != '\0' ||
	    (r->srv->cfg->loopback_without_terminal &&
	    config_is_loopback(api_source(r))))
		return 0;
	log_info("PIN from %s refused: no enrolled terminal", api_source(r));
	return request_error(r, 401, "terminal_required",
	    "PINs are taken only at an enrolled terminal: send its "
	    "credential as X-Terminal: ID:SECRET");
}

/* A terminal as answered: never its credential. */
static json_t *
api_terminal_json(const struct store_terminal *t)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:o}", "id", t->id,
	    "name", t->name, "location", t->location, "enrolled_by",
	    t->enrolled_by, "enrolled_at", json_instant(t->enrolled_at),
	    "revoked_at", t->revoked_at ? json_instant(t->revoked_at) :
	    json_null(), "revoked_by", t->revoked_by[0] ?
	    json_string(t->revoked_by) : json_null());
}

/* POST /v1/terminals {name, location}: the credential, shown this once. */
int
api_terminal_enrol(struct request *r)
{
	static const char *const fields[] = { "name", "location", NULL };
	const char		*name, *location;
	struct store_terminal	 t;
	char			 secret[AUTH_TOKEN_LEN];
	char			 credential[UUID_STR_LEN + AUTH_TOKEN_LEN];
	json_t			*o;

	if (json_in_allowed(r, r->body, fields) == -1 ||
	    json_in_string(r, r->body, "name", 1, TERMINAL_NAME_MAX, &name) ==
	    -1 || json_in_string(r, r->body, "location", 1, TERMINAL_NAME_MAX,
	    &location) == -1)
		return -1;
	memset(&t, 0, sizeof t);
	validate_new_uuid(t.id);
	snprintf(t.name, sizeof t.name, "%s", name);
	snprintf(t.location, sizeof t.location, "%s", location);
	strcpy(t.enrolled_by, r->staff.id);
	t.enrolled_at = r->now;
	if (auth_token_new(secret) == -1 ||
	    auth_token_hash(secret, t.credential_hash) == -1)
		return request_error(r, 500, "internal",
		    "cannot make a terminal credential");
	if (store_terminal_insert(r->srv->store, &t) != STORE_OK ||
	    store_audit_append(r->srv->store, r->now, r->staff.id,
	    "terminal.enrol", "terminal", t.id, json_pack("{s:s,s:s}", "name",
	    t.name, "location", t.location)) != STORE_OK)
		return request_store_failed(r);
	snprintf(credential, sizeof credential, "%s:%s", t.id, secret);
	if ((o = api_terminal_json(&t)) != NULL &&
	    json_object_set_new(o, "credential", json_string(credential)) ==
	    -1) {
		json_decref(o);
		o = NULL;
	}
	request_reply(r, 201, o);
	return 0;
}

/* Add a terminal to the list being answered. */
static void
api_terminal_add(const struct store_terminal *t, void *arg)
{
	json_array_append_new(arg, api_terminal_json(t));
}

/* GET /v1/terminals: every terminal, revoked ones too, no secrets. */
int
api_terminal_list(struct request *r)
{
	json_t	*list = json_array();

	if (list == NULL)
		return request_error(r, 503, "out_of_memory",
		    "the daemon ran out of memory; try again");
	if (store_terminal_list(r->srv->store, api_terminal_add, list) !=
	    STORE_OK) {
		json_decref(list);
		return request_store_failed(r);
	}
	request_reply(r, 200, list);
	return 0;
}

/* POST /v1/terminals/{id}/revoke: its credential stops working and every
 * session opened on it ends. */
int
api_terminal_revoke(struct request *r)
{
	struct store_terminal	t;
	enum store_result	sr = STORE_NOT_FOUND;

	if (validate_uuid(r->params[0]) == 0)
		sr = store_terminal_get(r->srv->store, r->params[0], &t);
	if (sr == STORE_ERROR)
		return request_store_failed(r);
	if (sr != STORE_OK)
		return request_error(r, 404, "not_found",
		    "there is no terminal %s", r->params[0]);
	if (t.revoked_at != 0)
		return request_error(r, 409, "already_revoked",
		    "terminal %s was revoked already", t.name);
	t.revoked_at = r->now;
	strcpy(t.revoked_by, r->staff.id);
	if (store_terminal_revoke(r->srv->store, t.id, r->now, r->staff.id) !=
	    STORE_OK ||
	    store_audit_append(r->srv->store, r->now, r->staff.id,
	    "terminal.revoke", "terminal", t.id, json_pack("{s:s,s:s}",
	    "name", t.name, "location", t.location)) != STORE_OK)
		return request_store_failed(r);
	request_reply(r, 200, api_terminal_json(&t));
	return 0;
}
