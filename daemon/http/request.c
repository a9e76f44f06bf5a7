/* Building answers: every answer is JSON, every error has a code a program
 * can test and a message a person can read. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>

#include "patient.h"
#include "refusal.h"
#include "request.h"
#include "timefmt.h"
#include "validate.h"

/* Set the answer; takes ownership of body. */
void
request_reply(struct request *r, int status, json_t *body)
{
	json_decref(r->reply);
	free(r->text);
	r->text = NULL;
	r->status = status;
	r->reply = body;
}

/* After a PIN refused, the error answer says how many tries are left and
 * when a lock lifts (tries_left, locked_until), so a nurse or witness is
 * warned before the lock and told when to come back. */
static void
request_pin_told(struct request *r)
{
	json_t	*e = json_object_get(r->reply, "error");

	if (e == NULL)
		return;
	if (r->pin_wrong)
		json_object_set_new(e, "tries_left",
		    json_integer(r->pin_tries_left));
	if (r->pin_locked_until != 0)
		json_object_set_new(e, "locked_until",
		    json_instant(r->pin_locked_until));
}

/* Set an error answer (request_error() adds the -1 for handlers). */
void
request_set_error(struct request *r, int status, const char *code,
    const char *fmt, ...)
{
	char	msg[512];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	validate_utf8_repair(msg);	/* a cut name, or a raw path byte */
	request_reply(r, status, json_pack("{s:{s:s,s:s}}", "error", "code",
	    code, "message", msg));
	request_pin_told(r);
}

/* A rule refused: 409 when the record is not in a state that allows it,
 * 422 when a clinical rule says no; the rule's own code and sentence. */
void
request_set_refused(struct request *r, const struct refusal *why)
{
	request_set_error(r, why->conflict ? 409 : 422, why->code, "%s",
	    why->message);
}

/* The patient must be in custody for anything clinical (409 otherwise). */
int
request_in_custody(struct request *r, const struct patient *p)
{
	if (patient_in_custody(p))
		return 0;
	return request_error(r, 409, "patient_not_in_custody", "%s is %s",
	    p->prison_number, patient_status_name(p->status));
}

/* The handler has handed the request's answer to work off the loop
 * (request.h): what the request did so far stands (its session's use),
 * and the edge keeps it waiting. */
void
request_defer(struct request *r)
{
	r->deferred = 1;
	r->keep_changes = 1;
}

/* The store failed: nothing was changed, and the caller may retry. */
void
request_set_store_failed(struct request *r)
{
	request_set_error(r, 503, "store_unavailable",
	    "the database could not complete the request; nothing was "
	    "changed, try again");
}

typedef int (*request_query_fn)(struct request *, const char *name,
    const char *value, void *arg);

/* Decode n bytes of a query ('+' is a space); NULL if they hold an
 * encoded NUL (%00, which would cut the text short unseen), or out of
 * memory. */
static char *
request_query_decode(const char *s, size_t n)
{
	char	*raw, *out;
	size_t	 len;

	if ((raw = strndup(s, n)) == NULL)
		return NULL;
	out = evhttp_uridecode(raw, 1, &len);
	free(raw);
	if (out != NULL && strlen(out) != len) {
		free(out);
		out = NULL;
	}
	return out;
}

/* Decode one part "name=value" of the query (len bytes at part); 0, or
 * -1 with a 400 answer.  The caller frees *name and *value. */
static int
request_query_part(struct request *r, const char *part, size_t len,
    char **name, char **value)
{
	const char	*eq = memchr(part, '=', len);

	*name = *value = NULL;
	if (eq == NULL || eq == part)
		return request_error(r, 400, "invalid_query",
		    "the query string does not parse");
	if ((*name = request_query_decode(part, (size_t)(eq - part))) == NULL)
		return request_error(r, 400, "invalid_query",
		    "a query parameter's name holds a NUL (%%00)");
	if ((*value = request_query_decode(eq + 1,
	    len - (size_t)(eq + 1 - part))) == NULL)
		return request_error(r, 400, "invalid_query",
		    "%s holds a NUL (%%00)", *name);
	return 0;
}

/* Call fn with each parameter of the query, decoded, in order, until one
 * is not 0; that, or 0, or -1 with a 400 if a part cannot be decoded. */
static int
request_query_walk(struct request *r, request_query_fn fn, void *arg)
{
	const char	*p;
	char		*name, *value;
	size_t		 len;
	int		 rc = 0;

	for (p = r->query; rc == 0 && *p != '\0'; p += len + (p[len] == '&')) {
		if ((len = strcspn(p, "&")) == 0)
			continue;
		if ((rc = request_query_part(r, p, len, &name, &value)) == 0)
			rc = fn(r, name, value, arg);
		free(name);
		free(value);
	}
	return rc;
}

/* Note that the handler read query parameter name (a string that outlives
 * the request): request_query_check() refuses the others.  A handler
 * reading more than REQUEST_MAX_QUERY names finds the rest refused in its
 * first test. */
static void
request_query_mark(struct request *r, const char *name)
{
	int	i;

	for (i = 0; i < r->nquery_read; i++)
		if (strcmp(r->query_read[i], name) == 0)
			return;
	if (r->nquery_read < REQUEST_MAX_QUERY)
		r->query_read[r->nquery_read++] = name;
}

struct request_query_find {
	const char	*name;
	char		*out;
	size_t		 size;
	int		 found;
};

/* request_query_walk()'s step for request_query(): copy the value if the
 * name is the one wanted, once. */
static int
request_query_find(struct request *r, const char *name, const char *value,
    void *arg)
{
	struct request_query_find	*f = arg;

	if (strcmp(name, f->name) != 0)
		return 0;
	if (f->found)
		return request_error(r, 400, "invalid_query",
		    "%s is given twice", name);
	if (strlen(value) >= f->size)
		return request_error(r, 400, "invalid_query",
		    "%s is longer than any value it takes", name);
	strcpy(f->out, value);
	f->found = 1;
	return 0;
}

/* Copy the decoded value of query parameter name: 0 if given, 1 if
 * absent, -1 with a 400 answer if it cannot be what was asked for (too
 * long, given twice, holding a NUL, or a query that does not parse):
 * never read as "absent" or cut short, which would silently widen a
 * filter. */
int
request_query(struct request *r, const char *name, char *out, size_t size)
{
	struct request_query_find	f = { name, out, size, 0 };

	request_query_mark(r, name);
	if (r->query == NULL)
		return 1;
	if (request_query_walk(r, request_query_find, &f) != 0)
		return -1;
	return f.found ? 0 : 1;
}

/* request_query_walk()'s step for request_query_check(): refuse a name
 * the handler never read. */
static int
request_query_known(struct request *r, const char *name, const char *value,
    void *arg)
{
	int	i;

	(void)value;
	(void)arg;
	for (i = 0; i < r->nquery_read; i++)
		if (strcmp(r->query_read[i], name) == 0)
			return 0;
	return request_error(r, 400, "invalid_query",
	    "%s is not a query parameter of this request", name);
}

/* After the handler (rc its result), or before it for a write, which
 * reads none: a query parameter it did not read is refused, never silently
 * ignored (a misspelt or unsupported filter would otherwise answer with
 * everything).  rc, or -1 with a 400 answer; the names read are
 * forgotten, so the request may be run again. */
int
request_query_check(struct request *r, int rc)
{
	if (rc == 0 && r->query != NULL &&
	    request_query_walk(r, request_query_known, NULL) != 0) {
		r->stream = 0;
		rc = -1;
	}
	r->nquery_read = 0;
	return rc;
}

/* An instant as JSON: RFC 3339 in UTC. */
json_t *
json_instant(int64_t ms)
{
	char	buf[TIMEFMT_INSTANT_LEN];

	timefmt_format_instant(ms, buf);
	return json_string(buf);
}

/* An instant as JSON, or null for 0 (none). */
json_t *
json_instant_or_null(int64_t ms)
{
	return ms != 0 ? json_instant(ms) : json_null();
}

/* A quantity in thousandths as a JSON number: 60 for 60.000, 2.5 for
 * 2.500. */
json_t *
json_quantity(int64_t thousandths)
{
	if (thousandths % 1000 == 0)
		return json_integer((json_int_t)(thousandths / 1000));
	return json_real((double)thousandths / 1000.0);
}

/* Whether item is one of a comma-separated list; "" lists everything. */
int
request_list_has(const char *list, const char *item)
{
	size_t		 n = strlen(item);
	const char	*p;

	if (list[0] == '\0')
		return 1;
	for (p = list; (p = strstr(p, item)) != NULL; p += n)
		if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return 1;
	return 0;
}

/* Answer with text that is not JSON (CSV, a letter); takes text over. */
void
request_reply_text(struct request *r, int status, const char *type,
    char *text)
{
	json_decref(r->reply);
	r->reply = NULL;
	free(r->text);
	r->status = status;
	r->text = text;
	r->text_type = type;
}

/* Whether the Accept header names a media type (parameters and quality
 * values aside). */
int
request_accepts(const struct request *r, const char *type)
{
	const char	*p;
	size_t		 n = strlen(type);

	if (r->accept == NULL)
		return 0;
	for (p = r->accept; (p = strcasestr(p, type)) != NULL; p += n)
		if ((p == r->accept || p[-1] == ',' || p[-1] == ' ') &&
		    (p[n] == '\0' || p[n] == ',' || p[n] == ';' ||
		    p[n] == ' '))
			return 1;
	return 0;
}
