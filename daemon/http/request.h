/* One API request as a handler sees it: who asked, what they sent, and
 * the answer it builds.  Handlers never touch evhttp. */
#ifndef IDTSD_REQUEST_H
#define IDTSD_REQUEST_H

#include <stdint.h>

#include <jansson.h>

#include "staff.h"
#include "timefmt.h"

struct http_call;
struct patient;
struct refusal;
struct request_pins;
struct server;

#define REQUEST_MAX_PARAMS	2
#define REQUEST_MAX_QUERY	8	/* query parameters one handler reads */

enum request_method {
	METHOD_GET,
	METHOD_POST,
	METHOD_PATCH,
	METHOD_DELETE,
	METHOD_PUT,
	METHOD_OTHER,
};

struct request {
	struct server		*srv;
	enum request_method	 method;
	const char		*path;
	const char		*query;		/* after '?', or NULL */
	const char		*query_read[REQUEST_MAX_QUERY]; /* names asked */
	int			 nquery_read;
	const char		*params[REQUEST_MAX_PARAMS];	/* {id} */
	json_t			*body;		/* an object, or NULL */
	/* PIN work done for this request by the pool (request_pin.c), or
	 * NULL to hash on the spot (the fuzz targets). */
	struct request_pins	*pins;
	const char		*authorization;	/* the header, or NULL */
	const char		*last_event_id;	/* the header, or NULL */
	const char		*accept;	/* the header, or NULL */
	const char		*idempotency_key; /* the header, or NULL */
	const char		*terminal;	/* X-Terminal, or NULL */
	const char		*source;	/* the peer's address, or NULL */
	int64_t			 now;
	int			 signed_in;
	struct staff		 staff;		/* the caller, if signed_in */
	char			 token_hash[65];
	char			 terminal_id[UUID_STR_LEN]; /* enrolled, or "" */
	int			 retry_after;	/* seconds, with a 429 or 503 */
	/* What a PIN refused tells the person (auth_wrong_pin_told()): set
	 * by api_signin.c, added to the error answer by request.c. */
	int			 pin_wrong;	/* a wrong PIN was counted */
	int			 pin_tries_left;
	int64_t			 pin_locked_until; /* a lock met or made */

	int			 status;
	json_t			*reply;		/* owned; NULL for no body */
	char			*text;		/* owned: a reply not in JSON */
	const char		*text_type;	/* its Content-Type */
	int			 keep_changes;	/* commit even if refused */
	int			 batched;	/* answer after the batch commits */
	const char		*json_prefix;	/* "community_treatment." in errors */
	int			 stream;	/* answer with the alert stream */
	int64_t			 stream_after;	/* from Last-Event-ID */
	/* For the metrics (metrics.c): the route's number in the router's
	 * table plus one (0: none matched), and metrics_clock() when the
	 * request arrived. */
	int			 route;
	int64_t			 arrived_ns;
	/* The edge's own record of the request (http.c), the handle of an
	 * answer that waits (request_defer()); NULL where none can. */
	struct http_call	*call;
	int			 deferred;	/* answered later */
};

/* How answers are written: compact, and numbers such as 0.1 as 0.1 rather
 * than the 17 digits of their double. */
#define JSON_ANSWER_FLAGS	(JSON_COMPACT | JSON_REAL_PRECISION(15))

void	request_reply(struct request *, int status, json_t *body);
void	request_reply_text(struct request *, int status, const char *type,
	    char *text);
int	request_accepts(const struct request *, const char *type);
void	request_set_error(struct request *, int status, const char *code,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void	request_set_store_failed(struct request *);
void	request_set_refused(struct request *, const struct refusal *);
/* Each sets an error answer and is -1, so that a handler can end with
 * "return request_error(...)".  Macros, so that the -1 is seen where they
 * are used: the static analyzer and the compiler read one file at a time,
 * and would otherwise follow a refused request on as if it had
 * succeeded. */
#define request_error(...)	\
	__extension__ ({ request_set_error(__VA_ARGS__); -1; })
#define request_store_failed(r)	\
	__extension__ ({ request_set_store_failed(r); -1; })
#define request_refused(r, why)	\
	__extension__ ({ request_set_refused(r, why); -1; })
/* An answer that waits for work off the loop (a backup): the handler
 * hands r->call to the work and calls request_defer(); the work, done,
 * sets the answer in request_resumed(call) and sends it with
 * request_resume(call) (http.c), which frees it instead if the
 * connection has closed meanwhile. */
void	request_defer(struct request *);
struct request *request_resumed(struct http_call *);
void	request_resume(struct http_call *);
int	request_in_custody(struct request *, const struct patient *);
int	request_query(struct request *, const char *name, char *out,
	    size_t size);
int	request_query_check(struct request *, int rc);
int	request_list_has(const char *list, const char *item);

/* yescrypt off the event loop (request_pin.c): 1 or 0 (a match), or 0
 * with the new hash, when the pool has done it for this request; else -1,
 * and the router runs the request again from the start once it has. */
int	request_pin_verify(struct request *, const char *pin,
	    const char *hash);
int	request_pin_hash(struct request *, const char *pin,
	    char out[AUTH_HASH_LEN]);

/* Strict decoding of a JSON body (json_in.c).  Each returns 0, or -1
 * after setting a 400 answer that names the field. */
int	json_in_allowed(struct request *, const json_t *obj,
	    const char *const names[]);
int	json_in_string(struct request *, const json_t *obj, const char *name,
	    int required, size_t max_chars, const char **out);
int	json_in_bool(struct request *, const json_t *obj, const char *name,
	    int required, int *out);
int	json_in_instant(struct request *, const json_t *obj, const char *name,
	    int required, int64_t *out, int *present);
int	json_in_quantity(struct request *, const json_t *obj,
	    const char *name, int64_t *out);
int	json_in_object(struct request *, const json_t *obj, const char *name,
	    const json_t **out);

int	json_in_date(struct request *, const json_t *obj, const char *name,
	    int required, struct civil_date *out, int *present);
int	json_in_int(struct request *, const json_t *obj, const char *name,
	    int required, int lo, int hi, int *out);
int	json_in_quantity_change(struct request *, const json_t *obj,
	    const char *name, int64_t *out);
int	json_in_array(struct request *, const json_t *obj, const char *name,
	    int required, const json_t **out);

json_t	*json_instant(int64_t ms);
json_t	*json_instant_or_null(int64_t ms);
json_t	*json_quantity(int64_t thousandths);

#endif
