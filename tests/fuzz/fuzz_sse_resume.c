/* libFuzzer target: resuming the alert stream.  A terminal that
 * reconnects names the last event it had, in Last-Event-ID or, when it
 * cannot set headers, ?last_event_id=.  The input's first line is that
 * id, its second (if any) a whole query string.  Each is checked against
 * what the API promises (a whole number, which the daemon only ever
 * writes as decimal digits):
 *
 *   - stream_parse_event_id() on the first line, directly;
 *   - GET /v1/alerts/stream with Last-Event-ID: <line 1>, as http.c
 *     runs it (http_dispatch, signed in as nina);
 *   - GET /v1/alerts/stream?<line 2> (or ?last_event_id=<line 1>),
 *     its URI parsed by evhttp;
 *
 * each accepted exactly when the id is one, resuming after that id, with
 * the replay the stream would send checked (fuzz_ward_replay). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "fuzz_ward.h"
#include "http.h"
#include "request.h"
#include "stream.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	fuzz_bearer[128];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_ward_open();
	snprintf(fuzz_bearer, sizeof fuzz_bearer, "Bearer %s",
	    fuzz_ward_token("nina"));
	return 0;
}

/* The reference: an event id is one or more decimal digits whose value
 * fits in 64 bits.  Returns 0 with *id set, or -1. */
static int
fuzz_event_id(const char *s, int64_t *id)
{
	int64_t	n = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' || n > (INT64_MAX - (*s - '0')) / 10)
			return -1;
		n = n * 10 + (*s - '0');
	}
	*id = n;
	return 0;
}

/* One part of a query decoded as the API decodes it ('+' a space), or
 * NULL if it does not decode or holds a NUL. */
static char *
fuzz_query_decode(const char *s, size_t n)
{
	char	*raw, *out;
	size_t	 len;

	if ((raw = strndup(s, n)) == NULL)
		abort();
	out = evhttp_uridecode(raw, 1, &len);
	free(raw);
	if (out != NULL && strlen(out) != len) {
		free(out);
		out = NULL;
	}
	return out;
}

/* What the query string should give: 1 and the id, 0 for a 400, or -1
 * when it holds no last_event_id (a stream from now).  The API refuses a
 * query that is not name=value parts, a NUL, a parameter it does not
 * take (the stream takes only last_event_id) and one given twice. */
static int
fuzz_query_expect(const char *query, int64_t *want)
{
	const char	*p, *eq;
	char		*name, *value;
	size_t		 len;
	int		 rc = -1;

	*want = -1;
	for (p = query; rc != 0 && *p != '\0'; p += len + (p[len] == '&')) {
		if ((len = strcspn(p, "&")) == 0)
			continue;
		eq = memchr(p, '=', len);
		if (eq == NULL || eq == p)
			return 0;
		name = fuzz_query_decode(p, (size_t)(eq - p));
		value = fuzz_query_decode(eq + 1, len - (size_t)(eq + 1 - p));
		if (name == NULL || value == NULL ||
		    strcmp(name, "last_event_id") != 0 || rc == 1)
			rc = 0;
		else
			rc = strlen(value) < 32 && fuzz_event_id(value,
			    want) == 0;
		free(name);
		free(value);
	}
	return rc == -1 ? 1 : rc;
}

/* Run GET uri with the header and check the answer against the
 * reference (expect: 1 resume after want, 0 a 400, -1 whatever the query
 * of the URI says), then the replay if it streams. */
static void
fuzz_sse_request(const char *what, const char *uri_text, const char *header,
    int expect, int64_t want)
{
	struct request		 r;
	struct evhttp_uri	*uri;
	struct evbuffer		*body;

	if ((uri = evhttp_uri_parse_with_flags(uri_text,
	    EVHTTP_URI_NONCONFORMANT)) == NULL)
		return;		/* evhttp answers 400 itself */
	if ((body = evbuffer_new()) == NULL)
		abort();
	memset(&r, 0, sizeof r);
	r.srv = &fuzz_ward.srv;
	r.method = METHOD_GET;
	r.path = evhttp_uri_get_path(uri);
	r.query = evhttp_uri_get_query(uri);
	r.authorization = fuzz_bearer;
	r.last_event_id = header;
	r.status = 500;
	if (expect == -1)
		expect = r.query == NULL ? (want = -1, 1) :
		    fuzz_query_expect(r.query, &want);
	http_dispatch(&r, NULL, body);
	fuzz_ward_check(&r, what);
	if ((expect && (r.status != 200 || !r.stream ||
	    r.stream_after != want)) ||
	    (!expect && (r.status != 400 || r.stream))) {
		fprintf(stderr, "fuzz_sse_resume: %s: \"%s\"%s%s: expected "
		    "%s %lld, got status %d after %lld\n", what, uri_text,
		    header ? " with Last-Event-ID " : "", header ? header : "",
		    expect ? "resume after" : "400, not", (long long)want,
		    r.status, (long long)r.stream_after);
		abort();
	}
	if (r.stream && r.status == 200)
		fuzz_ward_replay(r.stream_after);
	json_decref(r.body);
	json_decref(r.reply);
	free(r.text);
	evbuffer_free(body);
	evhttp_uri_free(uri);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*text, *id, *query, *nl, *uri, *header;
	size_t	 len, n;
	int64_t	 want, got;
	int	 ok;

	/* Lines as NUL-terminated strings; an id with a NUL in it cannot
	 * come from evhttp, so the id ends there. */
	if ((text = malloc(size + 1)) == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	id = text;
	query = NULL;
	if ((nl = strchr(text, '\n')) != NULL) {
		*nl = '\0';
		query = nl + 1;
		if ((nl = strchr(query, '\n')) != NULL)
			*nl = '\0';
	}
	len = strlen(id);
	if (len > 0 && id[len - 1] == '\r')
		id[--len] = '\0';

	fuzz_ward_begin();

	/* The parser itself. */
	ok = fuzz_event_id(id, &want) == 0;
	got = -2;
	if ((stream_parse_event_id(id, &got) == 0) != ok ||
	    (ok && got != want)) {
		fprintf(stderr, "fuzz_sse_resume: stream_parse_event_id(\"%s\")"
		    ": expected %s %lld, got %lld\n", id, ok ? "" : "-1, not",
		    (long long)want, (long long)got);
		abort();
	}

	/* The header, trimmed as evhttp trims header values. */
	header = id + strspn(id, " \t");
	n = strlen(header);
	while (n > 0 && (header[n - 1] == ' ' || header[n - 1] == '\t'))
		header[--n] = '\0';
	ok = fuzz_event_id(header, &want) == 0;
	fuzz_sse_request("Last-Event-ID", "/v1/alerts/stream", header, ok,
	    want);

	/* The query. */
	if (query == NULL) {
		if (asprintf(&uri, "/v1/alerts/stream?last_event_id=%s", id) ==
		    -1)
			abort();
	} else if (asprintf(&uri, "/v1/alerts/stream?%s", query) == -1)
		abort();
	fuzz_sse_request("?last_event_id", uri, NULL, -1, 0);
	free(uri);

	fuzz_ward_end();
	free(text);
	return 0;
}
