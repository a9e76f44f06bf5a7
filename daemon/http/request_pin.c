/* PINs are checked and hashed for a handler by the pool's threads, never
 * on the event loop.  A handler asks with request_pin_verify() or
 * request_pin_hash(); the first time, the work is noted and the call is
 * -1, the router rolls the request back, http.c hands the work to the pool
 * and runs the request again from the start when it is done, and the same
 * call then finds its answer here.  A verdict is found by the PIN and the
 * exact hash it was computed against: if a PIN changed meanwhile, the new
 * hash is new work. */
#include <string.h>

#include "auth.h"
#include "request.h"
#include "request_pin.h"

/* Not done yet (or the pool stopped before it was): an answer for the
 * unlikely case that this one is sent, and -1. */
static int
request_pin_wait(struct request *r)
{
	return request_error(r, 503, "busy", "the daemon is too busy checking "
	    "PINs to check this one now; nothing was changed, try again "
	    "shortly");
}

/* The job for this work in the request's table, added as new if it is not
 * there yet; NULL with the answer set if it cannot be. */
static struct pin_job *
request_pin_job(struct request *r, enum pin_work work, const char *pin,
    const char *hash)
{
	struct request_pins	*t = r->pins;
	struct pin_job		*j;
	int			 i;

	if (strlen(pin) >= sizeof j->pin || strlen(hash) >= sizeof j->hash) {
		request_error(r, 500, "internal", "a PIN or its hash is longer "
		    "than the daemon can check");
		return NULL;
	}
	for (i = 0; i < t->n; i++) {
		j = &t->job[i];
		if (j->work == work && strcmp(j->pin, pin) == 0 &&
		    (work == PIN_HASH || strcmp(j->hash, hash) == 0))
			return j;
	}
	if (t->n == REQUEST_MAX_PINS) {
		request_pin_wait(r);
		return NULL;
	}
	j = &t->job[t->n++];
	memset(j, 0, sizeof *j);
	j->work = work;
	j->state = PIN_JOB_NEW;
	strcpy(j->pin, pin);
	strcpy(j->hash, hash);
	/* A sign-in at an enrolled terminal is the ward's own: it goes
	 * before the sign-ins anyone may send, which a flood fills. */
	t->urgent |= r->signed_in || r->terminal_id[0] != '\0';
	return j;
}

/* Whether pin matches hash: 1 or 0 once the pool has said, else -1 (see
 * the top of the file). */
int
request_pin_verify(struct request *r, const char *pin, const char *hash)
{
	struct pin_job	*j;

	if (r->pins == NULL)
		return auth_pin_verify(pin, hash);
	if ((j = request_pin_job(r, PIN_VERIFY, pin, hash)) == NULL)
		return -1;
	if (j->state != PIN_JOB_DONE)
		return request_pin_wait(r);
	return j->result;
}

/* pin hashed with a fresh salt into out: 0 once the pool has done it,
 * else -1 (see the top of the file; with a 500 if hashing failed). */
int
request_pin_hash(struct request *r, const char *pin, char out[AUTH_HASH_LEN])
{
	struct pin_job	*j;

	if (r->pins == NULL) {
		if (auth_pin_hash(pin, out) == -1)
			return request_error(r, 500, "internal",
			    "cannot hash the PIN");
		return 0;
	}
	if ((j = request_pin_job(r, PIN_HASH, pin, "")) == NULL)
		return -1;
	if (j->state != PIN_JOB_DONE)
		return request_pin_wait(r);
	if (j->result == -1)
		return request_error(r, 500, "internal", "cannot hash the PIN");
	memcpy(out, j->hash, AUTH_HASH_LEN);
	return 0;
}

/* Whether this run of the request asked for work not yet given to the
 * pool: then nothing it did may stand. */
int
request_pins_wanted(const struct request *r)
{
	struct pin_job	 *none[REQUEST_MAX_PINS];

	return r->pins != NULL && request_pins_new(r->pins, none) > 0;
}

/* The jobs asked for and not yet given to the pool, into out; how many. */
int
request_pins_new(struct request_pins *t, struct pin_job *out[])
{
	int	i, n = 0;

	for (i = 0; i < t->n; i++)
		if (t->job[i].state == PIN_JOB_NEW)
			out[n++] = &t->job[i];
	return n;
}

/* Forget every PIN the request carried, once the pool has none of its
 * jobs. */
void
request_pins_wipe(struct request_pins *t)
{
	explicit_bzero(t, sizeof *t);
}
