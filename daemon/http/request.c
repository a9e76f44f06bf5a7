/* Building answers: every answer is JSON, every error has a code a program
 * can test and a message a person can read. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>

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

/* The store failed: nothing was changed, and the caller may retry. */
void
request_set_store_failed(struct request *r)
{
	request_set_error(r, 503, "store_unavailable",
	    "the database could not complete the request; nothing was "
	    "changed, try again");
}

/* Copy the decoded value of query parameter name: 0 if given, 1 if
 * absent, -1 with a 400 answer if it cannot be what was asked for (too
 * long, or a query that does not parse): never read as "absent", which
 * would silently widen a filter. */
int
request_query(struct request *r, const char *name, char *out, size_t size)
{
	struct evkeyvalq	 q;
	const char		*v;
	int			 rc = 1;

	if (r->query == NULL)
		return 1;
	TAILQ_INIT(&q);
	if (evhttp_parse_query_str(r->query, &q) != 0)
		rc = request_error(r, 400, "invalid_query",
		    "the query string does not parse");
	else if ((v = evhttp_find_header(&q, name)) != NULL) {
		if (strlen(v) < size) {
			strcpy(out, v);
			rc = 0;
		} else
			rc = request_error(r, 400, "invalid_query",
			    "%s is longer than any value it takes", name);
	}
	evhttp_clear_headers(&q);
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
