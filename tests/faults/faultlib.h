/* What the fault tests' programs (loadgen, week) share: a signed-in API
 * client over the project's client library, calls that must succeed,
 * the daemon's time, and a few small helpers. */
#ifndef IDTS_FAULTLIB_H
#define IDTS_FAULTLIB_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "client.h"

/* A client signed in as one member of staff. */
struct fl_api {
	struct client	c;
	char		user[33];
	char		pin[13];
};

void	fl_die(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fl_warn(const char *, ...) __attribute__((format(printf, 1, 2)));

int	fl_open(struct fl_api *, const char *server, const char *user,
	    const char *pin);
int	fl_signin(struct fl_api *);
void	fl_close(struct fl_api *);

/* One call: the HTTP status, or 0 if the daemon could not be reached
 * (or the connection broke before an answer).  The answer's body, if
 * any, is left in *body (the caller frees it; body may be NULL). */
int	fl_call(struct fl_api *, const char *method, const char *path,
	    json_t *req, const char *idempotency_key, json_t **body);
/* A call that must answer want; anything else is fatal.  Takes req. */
json_t	*fl_must(struct fl_api *, int want, const char *method,
	    const char *path, json_t *req);

void	fl_uuid(char out[37]);
void	fl_instant(int64_t ms, char out[32]);
int64_t	fl_parse_instant(const char *);
int64_t	fl_real_ms(void);
/* The daemon's now (GET /v1/health); -1 if it does not answer. */
int64_t	fl_daemon_now(struct fl_api *);
/* A local date (Europe/London, the unit's zone) as YYYY-MM-DD. */
void	fl_local_date(int64_t ms, char out[11]);
/* A JSON answer's string member, or "" if there is none. */
const char *fl_str(const json_t *, const char *key);

/* Copy a string, cut to fit. */
void	fl_copy(char *dst, size_t size, const char *src);

/* Random numbers from a per-process generator. */
void	fl_seed(unsigned);
unsigned fl_rand(unsigned n);	/* 0 .. n-1 */

#endif
