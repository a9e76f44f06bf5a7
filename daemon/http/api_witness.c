/* The second signature: a witness who re-enters their own PIN at the
 * terminal, in the same request as the person who acts (docs/design.md rule
 * 1).  Shared by dose sign-off and every witnessed register entry. */
#include "api.h"
#include "dose.h"
#include "request.h"
#include "server.h"
#include "store.h"

/* Decode {"witness": {"username", "pin"}} and check that person now: a
 * different person from the caller, active, not locked out, competent to
 * witness, and their PIN right.  A wrong PIN counts towards their lockout
 * (and so is kept although the request is refused): call this after every
 * other check and before any change. */
int
api_witness_verify(struct request *r, const json_t *body, struct staff *out)
{
	static const char *const fields[] = { "username", "pin", NULL };
	const json_t		*w;
	const char		*username, *pin;
	struct refusal		 why;
	enum store_result	 sr;
	int			 rc, locked_now;

	if (json_in_object(r, body, "witness", &w) == -1)
		return -1;
	if (w == NULL)
		return request_error(r, 400, "missing_field", "witness is "
		    "required: {\"username\": ..., \"pin\": ...} of the "
		    "second person, who enters their own PIN");
	r->json_prefix = "witness.";
	rc = json_in_allowed(r, w, fields) == -1 ||
	    json_in_string(r, w, "username", 1, USERNAME_MAX, &username) ==
	    -1 ||
	    json_in_string(r, w, "pin", 1, PIN_MAX_DIGITS, &pin) == -1;
	r->json_prefix = NULL;
	if (rc)
		return -1;

	sr = store_staff_by_username(r->srv->store, username, out);
	if (sr == STORE_ERROR)
		return request_store_failed(r);
	if (sr == STORE_NOT_FOUND) {
		api_signin_waste_time(pin);
		return request_error(r, 422, "witness_not_authenticated",
		    "the witness's username or PIN is wrong");
	}
	if (dose_check_witness(&r->staff, out, r->now, &why) == -1)
		return request_refused(r, &why);
	if ((rc = api_pin_check(r, out, pin, &locked_now)) <= 0)
		return rc;
	if (locked_now)
		return request_error(r, 422, "witness_locked", "wrong PIN: the "
		    "witness's account is now locked after too many wrong "
		    "PINs");
	return request_error(r, 422, "witness_not_authenticated",
	    "the witness's username or PIN is wrong");
}
