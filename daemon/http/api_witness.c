/* The second signature: a witness who re-enters their own PIN at the
 * terminal, in the same request as the person who acts (docs/design.md rule
 * 1).  Shared by dose sign-off and every witnessed register entry. */
#include <string.h>

#include "api.h"
#include "dose.h"
#include "request.h"
#include "server.h"
#include "store.h"

/* The one answer for a witness whose PIN has not been verified. */
static int
api_witness_not_authenticated(struct request *r)
{
	return request_error(r, 422, "witness_not_authenticated",
	    "the witness's username or PIN is wrong");
}

/* Decode {"witness": {"username", "pin"}}; -1 with a 400 if it is not
 * that. */
static int
api_witness_decode(struct request *r, const json_t *body,
    const char **username, const char **pin)
{
	static const char *const fields[] = { "username", "pin", NULL };
	const json_t		*w;
	int			 rc;

	if (json_in_object(r, body, "witness", &w) == -1)
		return -1;
	if (w == NULL)
		return request_error(r, 400, "missing_field", "witness is "
		    "required: {\"username\": ..., \"pin\": ...} of the "
		    "second person, who enters their own PIN");
	r->json_prefix = "witness.";
	rc = json_in_allowed(r, w, fields) == -1 ||
	    json_in_string(r, w, "username", 1, USERNAME_MAX, username) ==
	    -1 ||
	    json_in_string(r, w, "pin", 1, PIN_MAX_DIGITS, pin) == -1;
	r->json_prefix = NULL;
	return rc ? -1 : 0;
}

/* Check the witness a request body names now: a different person from the
 * caller, their PIN right, from an enrolled terminal (or loopback where
 * allowed), and then active and competent to witness.  Until the PIN is
 * right the answer is one witness_not_authenticated, whether the username
 * is unknown, the account inactive, locked or not competent, or the PIN
 * wrong: a guesser learns nothing before the PIN.  A wrong PIN counts
 * towards their lockout at this place (and so is kept although the
 * request is refused): call this after every other check and before any
 * change. */
int
api_witness_verify(struct request *r, const json_t *body, struct staff *out)
{
	const char		*username, *pin;
	struct refusal		 why;
	enum store_result	 sr;
	int			 rc, gate, locked_now;
	int64_t			 until;

	if (api_witness_decode(r, body, &username, &pin) == -1 ||
	    api_terminal_required(r) == -1)
		return -1;
	sr = store_staff_by_username(r->srv->store, username, out);
	if (sr == STORE_ERROR)
		return request_store_failed(r);
	if ((gate = api_pin_gate(r, sr == STORE_OK ? out : NULL, &until)) ==
	    -1)
		return -1;
	if (sr == STORE_NOT_FOUND)
		return api_pin_unknown(r, username, pin) == -1 ? -1 :
		    api_witness_not_authenticated(r);
	/* The caller's own account: nothing to learn from saying so. */
	if (strcmp(r->staff.id, out->id) == 0 &&
	    dose_check_witness(&r->staff, out, r->now, &why) == -1)
		return request_refused(r, &why);
	if (gate != AUTH_TRY)
		return api_signin_waste_time(r, pin) == -1 ? -1 :
		    api_witness_not_authenticated(r);
	if ((rc = api_pin_check(r, out, pin, &locked_now)) != 0)
		return rc == -1 ? -1 : api_witness_not_authenticated(r);
	if (dose_check_witness(&r->staff, out, r->now, &why) == -1)
		return request_refused(r, &why);
	return 0;
}
