/* libFuzzer target: the request router, with the JSON body decoding of
 * every route.  An input is up to FUZZ_MAX_REQUESTS requests, separated
 * by a line "%%", each written much as on the wire:
 *
 *	POST /v1/patients/$p2/flags
 *	Authorization: Bearer $t5
 *	Idempotency-Key: 6f1d3c52-3a8e-4d8b-9a43-0d8c5b1c2e11
 *	Content-Type: application/json
 *
 *	{"stimulant_user": false}
 *
 * Placeholders are replaced first ($p2 the second demo patient's id, $t5
 * rob's bearer token: see fuzz_ward.c).  Each request is then run as
 * http.c runs one: its URI parsed by evhttp as evhttp parses it, the
 * headers idtsd reads, and http_dispatch() (the same function http.c
 * calls) to decode the body and route it.  Its answer is checked
 * (fuzz_ward_check), and an alert stream it opens is replayed.  A request
 * line "TICK" runs the scheduler's due deadlines instead, as its timer
 * would.  Whatever an input changed is put back after it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "fuzz_ward.h"
#include "http.h"
#include "request.h"
#include "scheduler.h"
#include "store.h"

#define FUZZ_MAX_REQUESTS	4

/* How far an input may move the test clock and go on.  The scheduler
 * catches up on the time it "was down" by laying out, then missing,
 * every dose in between (rounds.c, by design): a clock set millennia
 * ahead is minutes of inserts, not a bug worth a timeout. */
#define FUZZ_MAX_CLOCK_SHIFT	(INT64_C(400) * 24 * 3600 * 1000)

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_ward_open();
	return 0;
}

/* The method as http_method() in http.c maps evhttp's; -1 for those
 * evhttp refuses itself (evhttp_set_allowed_methods) before idtsd sees
 * them. */
static int
fuzz_method(const char *name, enum request_method *m)
{
	if (strcmp(name, "GET") == 0)
		*m = METHOD_GET;
	else if (strcmp(name, "POST") == 0)
		*m = METHOD_POST;
	else if (strcmp(name, "PATCH") == 0)
		*m = METHOD_PATCH;
	else if (strcmp(name, "DELETE") == 0)
		*m = METHOD_DELETE;
	else
		return -1;
	return 0;
}

/* The next line of [*p, end), NUL-terminated in place without its "\r\n";
 * NULL at the end. */
static char *
fuzz_line(char **p, char *end)
{
	char	*line = *p, *nl;
	size_t	 n;

	if (line >= end)
		return NULL;
	if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
		nl = end;
	*p = nl < end ? nl + 1 : end;
	*nl = '\0';
	n = strlen(line);
	if (n > 0 && line[n - 1] == '\r')
		line[n - 1] = '\0';
	return line;
}

/* A header's value as evhttp keeps it: leading blanks skipped, trailing
 * whitespace trimmed. */
static char *
fuzz_header_value(char *v)
{
	size_t	n;

	v += strspn(v, " \t");
	n = strlen(v);
	while (n > 0 && strchr(" \t\r\n", v[n - 1]) != NULL)
		v[--n] = '\0';
	return v;
}

/* Run one request of [start, end). */
static void
fuzz_request(char *start, char *end)
{
	struct request		 r;
	struct evhttp_uri	*uri;
	struct evbuffer		*body;
	enum request_method	 method;
	char			*p = start, *line, *sp, *name, *value;
	const char		*content_type = NULL;

	if ((line = fuzz_line(&p, end)) == NULL)
		return;
	if (strcmp(line, "TICK") == 0) {
		if (scheduler_run(&fuzz_ward.srv,
		    clock_now(&fuzz_ward.srv.clock)) != 0) {
			fprintf(stderr, "fuzz_router: the scheduler failed\n");
			abort();
		}
		return;
	}
	/* "METHOD URI" or "METHOD URI HTTP/1.1". */
	if ((sp = strchr(line, ' ')) == NULL)
		return;
	*sp++ = '\0';
	if (fuzz_method(line, &method) == -1)
		return;
	line = sp;
	if ((sp = strchr(line, ' ')) != NULL)
		*sp = '\0';
	/* As evhttp_parse_request_line() parses it; a URI that does not
	 * parse is answered 400 by evhttp, never reaching idtsd. */
	if ((uri = evhttp_uri_parse_with_flags(line,
	    EVHTTP_URI_NONCONFORMANT)) == NULL)
		return;

	memset(&r, 0, sizeof r);
	r.srv = &fuzz_ward.srv;
	r.method = method;
	r.path = evhttp_uri_get_path(uri);
	r.query = evhttp_uri_get_query(uri);
	r.status = 500;
	/* The headers up to a blank line; the first of each name counts,
	 * as with evhttp_find_header(). */
	while ((line = fuzz_line(&p, end)) != NULL && line[0] != '\0') {
		if ((value = strchr(line, ':')) == NULL)
			continue;
		*value++ = '\0';
		name = line;
		value = fuzz_header_value(value);
		if (strcasecmp(name, "Authorization") == 0 &&
		    r.authorization == NULL)
			r.authorization = value;
		else if (strcasecmp(name, "Idempotency-Key") == 0 &&
		    r.idempotency_key == NULL)
			r.idempotency_key = value;
		else if (strcasecmp(name, "Last-Event-ID") == 0 &&
		    r.last_event_id == NULL)
			r.last_event_id = value;
		else if (strcasecmp(name, "Accept") == 0 && r.accept == NULL)
			r.accept = value;
		else if (strcasecmp(name, "Content-Type") == 0 &&
		    content_type == NULL)
			content_type = value;
	}
	if ((body = evbuffer_new()) == NULL)
		abort();
	if (p < end)
		evbuffer_add(body, p, (size_t)(end - p));

	http_dispatch(&r, content_type, body);
	fuzz_ward_check(&r, "router");
	if (r.stream && r.status == 200)
		fuzz_ward_replay(r.stream_after);

	evbuffer_free(body);
	json_decref(r.body);
	json_decref(r.reply);
	free(r.text);
	evhttp_uri_free(uri);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*text, *p, *end, *sep;
	size_t	 len;
	int64_t	 shift;
	int	 n;

	text = fuzz_ward_expand(data, size, &len);
	fuzz_ward_begin();
	p = text;
	end = text + len;
	for (n = 0; n < FUZZ_MAX_REQUESTS && p < end; n++) {
		sep = memmem(p, (size_t)(end - p), "\n%%\n", 4);
		fuzz_request(p, sep ? sep : end);
		p = sep ? sep + 4 : end;
		shift = clock_now(&fuzz_ward.srv.clock) - FUZZ_NOW;
		if (shift > FUZZ_MAX_CLOCK_SHIFT || shift < -FUZZ_MAX_CLOCK_SHIFT)
			break;
	}
	fuzz_ward_end();
	free(text);
	return 0;
}
