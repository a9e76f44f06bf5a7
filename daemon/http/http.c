/* evhttp set up with the limits libevent 2.1 does not set for us: header
 * and body sizes, timeouts, the methods we use, and a connection cap.  The
 * request callback turns an evhttp request into a struct request, runs it
 * through the router, and sends the JSON answer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>

#include "auth.h"
#include "http.h"
#include "http_call.h"
#include "json_out.h"

/* Connections the kernel may queue before the daemon accepts them. */
#define HTTP_LISTEN_BACKLOG	1024
#include "log.h"
#include "metrics.h"
#include "pin_pool.h"
#include "request.h"
#include "request_pin.h"
#include "router.h"
#include "server.h"
#include "stream.h"

/* The method of an evhttp request in our terms. */
static enum request_method
http_method(struct evhttp_request *req)
{
	switch (evhttp_request_get_command(req)) {
	case EVHTTP_REQ_GET:
		return METHOD_GET;
	case EVHTTP_REQ_POST:
		return METHOD_POST;
	case EVHTTP_REQ_PATCH:
		return METHOD_PATCH;
	case EVHTTP_REQ_DELETE:
		return METHOD_DELETE;
	case EVHTTP_REQ_PUT:
		return METHOD_PUT;
	default:
		return METHOD_OTHER;
	}
}

/* A method's name, for the log. */
static const char *
http_method_name(enum request_method m)
{
	static const char *const names[] = {
		"GET", "POST", "PATCH", "DELETE", "PUT", "OTHER"
	};

	return names[m];
}

/* Whether a Content-Type header says JSON (FHIR's JSON is JSON: a
 * transfer document comes as application/fhir+json). */
static int
http_is_json(const char *type)
{
	static const char *const types[] = {
		"application/json", "application/fhir+json"
	};
	size_t	i, n;

	for (i = 0; type != NULL && i < 2; i++) {
		n = strlen(types[i]);
		if (strncasecmp(type, types[i], n) == 0 && (type[n] == '\0' ||
		    type[n] == ';' || type[n] == ' '))
			return 1;
	}
	return 0;
}

/* Decode the body of a POST or PATCH into r->body: a JSON object, or {}
 * when empty.  type is the Content-Type header (or NULL) and in holds the
 * body.  Returns -1 with the answer set if it is not one. */
static int
http_read_body(struct request *r, const char *type, struct evbuffer *in)
{
	size_t		 len = evbuffer_get_length(in);
	const char	*text;
	json_error_t	 err;

	if (r->method == METHOD_GET || r->method == METHOD_DELETE) {
		if (len != 0)
			return request_error(r, 400, "unexpected_body",
			    "this method takes no request body");
		return 0;
	}
	/* Out of memory is the daemon's trouble, not a malformed body: the
	 * terminal should send it again, not correct it (found by
	 * tests/faults/alloc_faults.sh). */
	if (len == 0) {
		if ((r->body = json_object()) == NULL)
			return request_error(r, 503, "out_of_memory", "the "
			    "daemon ran out of memory reading the request; "
			    "nothing was changed, try again");
		return 0;
	}
	if (!http_is_json(type))
		return request_error(r, 415, "unsupported_media_type",
		    "send the body as Content-Type: application/json");
	memset(&err, 0, sizeof err);
	/* jansson says "out of memory", or nothing at all (a json_object()
	 * that failed): every error in the text itself has its message. */
	if ((text = (const char *)evbuffer_pullup(in, -1)) == NULL ||
	    ((r->body = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err))
	    == NULL && (json_error_code(&err) == json_error_out_of_memory ||
	    err.text[0] == '\0')))
		return request_error(r, 503, "out_of_memory", "the daemon ran "
		    "out of memory reading the request; nothing was changed, "
		    "try again");
	if (r->body == NULL)
		return request_error(r, 400, "malformed_json",
		    "the body is not valid JSON in UTF-8: %s at line %d, "
		    "column %d", err.text, err.line, err.column);
	if (!json_is_object(r->body))
		return request_error(r, 400, "invalid_body",
		    "the body must be a JSON object");
	return 0;
}

/* Run a request whose method, path, query and headers are filled in:
 * decode its body and dispatch it.  http_request and the fuzz targets
 * (tests/fuzz/) share it, so both take exactly the same steps. */
void
http_dispatch(struct request *r, const char *type, struct evbuffer *body)
{
	if (r->path == NULL || r->path[0] == '\0')
		request_error(r, 400, "bad_request", "the request has no path");
	else if (http_read_body(r, type, body) == 0)
		router_dispatch(r);
}

/* The answer when the real one cannot be written out for want of memory:
 * still JSON, from static storage. */
static const char http_out_of_memory[] = "{\"error\":{\"code\":"
    "\"out_of_memory\",\"message\":\"the daemon ran out of memory sending "
    "the answer; a change it made was committed: send the request again "
    "with the same Idempotency-Key for its answer\"}}\n";

/* The policy of a page the API answers (a printable summary): no script,
 * no fetch, no frame, no form; only its own inline style. */
#define HTTP_PAGE_CSP "default-src 'none'; style-src 'unsafe-inline'; " \
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

/* Send the answer the router built.  It goes straight into the request's
 * own output buffer: an evbuffer_new() or json_dumps() that ran out of
 * memory used to send the status with an empty body (found by
 * tests/faults/alloc_faults.sh). */
static void
http_send(struct evhttp_request *req, struct request *r)
{
	struct evkeyvalq	*out = evhttp_request_get_output_headers(req);
	struct evbuffer		*buf = evhttp_request_get_output_buffer(req);
	const char		*type = "application/json; charset=utf-8";
	char			*text = NULL;
	int			 status, ok = 1;

	evhttp_add_header(out, "Cache-Control", "no-store");
	if (r->retry_after > 0) {	/* a 429, or a 503 busy */
		char	seconds[16];

		snprintf(seconds, sizeof seconds, "%d", r->retry_after);
		evhttp_add_header(out, "Retry-After", seconds);
	}
	if (r->text == NULL && r->reply == NULL && r->status != 204)
		/* json_pack failed */
		request_error(r, 500, "internal", r->status < 300 ?
		    "the change was committed, but its answer could not be "
		    "built: read it back with GET" : r->keep_changes ?
		    "the request was refused (a wrong PIN, counted); its "
		    "answer could not be built" :
		    "the request was refused, and nothing was changed");
	status = r->status;
	if (r->text != NULL) {
		type = r->text_type;
		ok = evbuffer_add(buf, r->text, strlen(r->text)) == 0;
	} else if (r->reply != NULL) {
		ok = (text = json_out_text(r->reply, JSON_ANSWER_FLAGS)) != NULL &&
		    evbuffer_add(buf, text, strlen(text)) == 0 &&
		    evbuffer_add(buf, "\n", 1) == 0;
		free(text);
	} else if (status != 204)	/* not even the error could be built */
		ok = 0;
	if (!ok) {
		evbuffer_drain(buf, evbuffer_get_length(buf));
		evbuffer_add_reference(buf, http_out_of_memory,
		    sizeof http_out_of_memory - 1, NULL, NULL);
		type = "application/json; charset=utf-8";
		status = 500;
	}
	if (status != 204)
		evhttp_add_header(out, "Content-Type", type);
	if (strncmp(type, "text/html", 9) == 0) {
		/* A printable page (a summary): nothing runs, nothing loads. */
		evhttp_add_header(out, "Content-Security-Policy", HTTP_PAGE_CSP);
		evhttp_add_header(out, "X-Content-Type-Options", "nosniff");
	}
	metrics_request(r->route - 1, status, r->arrived_ns);
	evhttp_send_reply(req, status, NULL, NULL);
}

/* The address a request came from, for the lockout and the log. */
static const char *
http_peer(struct evhttp_request *req)
{
	struct evhttp_connection	*evcon;
	char				*address = NULL;
	ev_uint16_t			 port;

	if ((evcon = evhttp_request_get_connection(req)) != NULL)
		evhttp_connection_get_peer(evcon, &address, &port);
	return address;
}

/* A request from its arrival to its answer.  It may wait for the PIN
 * pool between two runs (request_pin.c), and its connection may close
 * meanwhile: then it is freed once the pool has none of its jobs. */

/* Fill r from what evhttp read; the strings are evhttp's, valid while
 * the request is. */
static void
http_request_read(struct evhttp_request *req, struct server *srv,
    struct request *r)
{
	const struct evhttp_uri		*uri = evhttp_request_get_evhttp_uri(req);
	const struct evkeyvalq		*in = evhttp_request_get_input_headers(req);

	memset(r, 0, sizeof *r);
	r->srv = srv;
	r->method = http_method(req);
	r->path = uri ? evhttp_uri_get_path(uri) : NULL;
	r->query = uri ? evhttp_uri_get_query(uri) : NULL;
	r->authorization = evhttp_find_header(in, "Authorization");
	r->idempotency_key = evhttp_find_header(in, "Idempotency-Key");
	r->last_event_id = evhttp_find_header(in, "Last-Event-ID");
	r->accept = evhttp_find_header(in, "Accept");
	r->terminal = evhttp_find_header(in, "X-Terminal");
	r->source = http_peer(req);
	r->status = 500;
	r->arrived_ns = metrics_clock();
}

static void	http_call_closed(struct evhttp_connection *, void *);

/* Free a call whose request is answered or gone, its PINs wiped. */
void
http_call_free(struct http_call *c)
{
	if (c->hold != NULL) {
		event_free(c->hold);
		json_decref(c->answer.reply);
		free(c->answer.text);
	}
	request_pins_wipe(&c->pins);
	json_decref(c->first.body);
	free(c);
}

/* Tell http_call_closed() if the connection closes before the answer. */
void
http_watch(struct http_call *c)
{
	if (!c->watching)
		evhttp_connection_set_closecb(
		    evhttp_request_get_connection(c->req), http_call_closed, c);
	c->watching = 1;
}

/* A held answer's second is up. */
static void
http_held(evutil_socket_t fd, short what, void *arg)
{
	struct http_call	*c = arg;

	(void)fd;
	(void)what;
	event_free(c->hold);
	c->hold = NULL;
	http_answer(c, &c->answer);
}

/* Hold an answer that tells the client to wait (429 too_many_attempts,
 * 503 busy) a second before sending it: a client that asks again at
 * once, as a flood of sign-ins does, then costs the loop one request a
 * second on each connection rather than thousands.  Not while stopping,
 * nor with half the connection cap open, so that held connections never
 * keep the ward's terminals out.  0 if held. */
static int
http_hold(struct http_call *c, struct request *r)
{
	struct http	*h = c->h;
	struct timeval	 second = { 1, 0 };

	if (h->stopping ||
	    h->connections * 2 >= h->srv->cfg->http_max_connections ||
	    (c->hold = evtimer_new(h->srv->base, http_held, c)) == NULL)
		return -1;
	if (evtimer_add(c->hold, &second) == -1) {
		event_free(c->hold);
		c->hold = NULL;
		return -1;
	}
	c->held = 1;
	c->answer = *r;
	http_watch(c);
	return 0;
}

/* The one place a request is finally answered (or becomes a stream), and
 * its call freed. */
void
http_answer(struct http_call *c, struct request *r)
{
	struct evhttp_request	*req = c->req;
	struct server		*srv = c->h->srv;

	if (r->retry_after > 0 && !c->held && http_hold(c, r) == 0)
		return;
	if (c->watching)
		evhttp_connection_set_closecb(
		    evhttp_request_get_connection(req), NULL, NULL);
	if (r->stream && r->status == 200) {
		if (stream_open(srv, req, r->stream_after, r->token_hash) ==
		    0) {
			metrics_request(r->route - 1, 200, r->arrived_ns);
			json_decref(r->reply);
			http_call_free(c);
			return;
		}
		request_error(r, 503, "too_many_streams", "%d alert streams "
		    "are open already; try again shortly",
		    srv->cfg->stream_max);
	}
	log_debug("%s %s: %d", http_method_name(r->method),
	    evhttp_request_get_uri(req), r->status);
	http_send(req, r);
	json_decref(r->reply);
	free(r->text);
	http_call_free(c);
}

/* The connection closed with the request unanswered: evhttp has detached
 * the request and left it to us to free, or (evhttp_free) frees it
 * itself.  Jobs still queued are taken back; those a worker has come back
 * to http_pin_done(), which frees the call. */
static void
http_call_closed(struct evhttp_connection *evcon, void *arg)
{
	struct http_call	*c = arg;
	int			 i;

	(void)evcon;
	if (evhttp_request_get_connection(c->req) == NULL)
		evhttp_request_free(c->req);
	c->req = NULL;
	for (i = 0; i < c->pins.n; i++)
		if (pin_pool_cancel(c->h->pins, &c->pins.job[i]) == 0)
			c->waiting--;
	/* The batch frees its own; a deferred one, request_resume(). */
	if (c->waiting == 0 && !c->batched && !c->deferred)
		http_call_free(c);
}

/* Hand the request's new PIN work to the pool, urgent if a signed-in
 * caller asked; 0, or -1 with a 503 busy if its queue is full (the run
 * was rolled back: nothing changed). */
static int
http_wait(struct http_call *c, struct request *r)
{
	struct pin_job	*jobs[REQUEST_MAX_PINS];
	int		 n = request_pins_new(&c->pins, jobs);

	int		 i;

	for (i = 0; i < n; i++)
		jobs[i]->owner = c;
	if (pin_pool_submit(c->h->pins, jobs, n, c->pins.urgent) == -1) {
		r->retry_after = 1;
		return request_error(r, 503, "busy", "too many PINs are "
		    "waiting to be checked; nothing was changed, try again "
		    "shortly");
	}
	json_decref(r->reply);
	free(r->text);
	c->waiting = n;
	http_watch(c);
	return 0;
}

/* Keep a request whose handler deferred its answer (request_defer()),
 * watching its connection. */
static void
http_defer(struct http_call *c, const struct request *r)
{
	c->answer = *r;
	c->deferred = 1;
	http_watch(c);
}

/* The deferred request, for its answer to be set in. */
struct request *
request_resumed(struct http_call *c)
{
	return &c->answer;
}

/* Send the deferred request's answer, or free it if its connection
 * closed (or the daemon is stopping) meanwhile. */
void
request_resume(struct http_call *c)
{
	c->deferred = 0;
	if (c->req != NULL && !c->h->stopping) {
		http_answer(c, &c->answer);
		return;
	}
	json_decref(c->answer.reply);
	free(c->answer.text);
	c->answer.reply = NULL;		/* not freed again */
	c->answer.text = NULL;
	http_call_free(c);
}

/* One run of the request from the start; answered, waiting for the PIN
 * pool, for the batch it is in to commit, or for work off the loop. */
static void
http_run(struct http_call *c)
{
	struct http	*h = c->h;
	struct request	 r = c->first;

	if (c->runs++ == 0) {
		http_dispatch(&r, evhttp_find_header(
		    evhttp_request_get_input_headers(c->req), "Content-Type"),
		    evhttp_request_get_input_buffer(c->req));
		c->first.body = r.body;	/* decoded once */
		c->first.now = r.now;	/* and decided as of then */
	} else
		router_dispatch(&r);
	if (request_pins_wanted(&r) && http_wait(c, &r) == 0)
		;
	else if (r.deferred)
		http_defer(c, &r);
	else if (r.batched)
		http_batch_add(c, &r);
	else
		http_answer(c, &r);
	http_batch_arm(h);
}

/* The answer to a request that cannot even be taken in for want of
 * memory, from static storage: nothing was done. */
static const char http_no_memory[] = "{\"error\":{\"code\":"
    "\"out_of_memory\",\"message\":\"the daemon ran out of memory reading "
    "the request; nothing was changed, try again\"}}\n";

/* Refuse a request for want of memory. */
static void
http_refuse(struct evhttp_request *req)
{
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "application/json; charset=utf-8");
	evbuffer_add_reference(evhttp_request_get_output_buffer(req),
	    http_no_memory, sizeof http_no_memory - 1, NULL, NULL);
	evhttp_send_reply(req, 503, NULL, NULL);
}

/* Every API request comes here. */
void
http_request(struct evhttp_request *req, void *arg)
{
	struct server		*srv = arg;
	struct http_call	*c;

	if ((c = calloc(1, sizeof *c)) == NULL) {
		http_refuse(req);
		return;
	}
	c->h = srv->http;
	c->req = req;
	http_request_read(req, srv, &c->first);
	c->first.pins = &c->pins;
	c->first.call = c;
	http_run(c);
}

/* On the loop: a job of a waiting call is done.  With the last, the
 * request runs again, or the call is freed if its connection closed. */
static void
http_pin_done(struct pin_job *j, void *arg)
{
	struct http_call	*c = j->owner;

	(void)arg;
	if (--c->waiting > 0)
		return;
	/* Stopping, evhttp_free has closed every connection: the request
	 * is gone even if no close callback said so. */
	if (c->req == NULL || c->h->stopping)
		http_call_free(c);
	else
		http_run(c);
}

/* The pool's descriptor is readable: collect what it has done. */
static void
http_pins_ready(evutil_socket_t fd, short what, void *arg)
{
	struct http	*h = arg;

	(void)fd;
	(void)what;
	pin_pool_collect(h->pins, http_pin_done, h);
}

/* Start the PIN pool's threads: after the fork (daemon(3) keeps only
 * the thread that calls it), before the loop runs.  The dummy hash an
 * unknown username is checked against is made here too, so that the
 * loop never hashes. */
int
http_start_workers(struct http *h)
{
	(void)auth_dummy_hash();
	return pin_pool_start(h->pins, h->srv->cfg->pin_workers);
}

/* Mozilla's "intermediate" profile (v5.7), less DHE: TLS 1.2 with
 * ECDHE and AEAD only (no static RSA key exchange, which has no forward
 * secrecy, and no CBC, with its padding oracles), and TLS 1.3 with
 * OpenSSL's own suites (all AEAD).  The client's order is kept, as the
 * profile says: every suite offered is strong. */
#define HTTP_TLS12_CIPHERS						\
	"ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"	\
	"ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"	\
	"ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"
#define HTTP_TLS_GROUPS	"X25519:prime256v1:secp384r1"

/* Hold ctx to the profile above; 1, or 0 if OpenSSL cannot. */
static int
http_tls_profile(SSL_CTX *ctx)
{
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION);
	return SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) &&
	    SSL_CTX_set_cipher_list(ctx, HTTP_TLS12_CIPHERS) &&
	    SSL_CTX_set1_groups_list(ctx, HTTP_TLS_GROUPS);
}

/* The TLS context for the configured certificate and key; *ctx is NULL
 * when TLS is not configured.  idtsd -n uses it to check the files. */
int
http_tls_context(const struct config *cfg, SSL_CTX **ctx, char **cause)
{
	*ctx = NULL;
	if (cfg->tls_certificate[0] == '\0')
		return 0;
	*ctx = SSL_CTX_new(TLS_server_method());
	if (*ctx == NULL || !http_tls_profile(*ctx) ||
	    SSL_CTX_use_certificate_chain_file(*ctx, cfg->tls_certificate)
	    != 1 ||
	    SSL_CTX_use_PrivateKey_file(*ctx, cfg->tls_key, SSL_FILETYPE_PEM)
	    != 1 ||
	    SSL_CTX_check_private_key(*ctx) != 1) {
		if (asprintf(cause, "TLS: cannot use certificate %s and key %s",
		    cfg->tls_certificate, cfg->tls_key) == -1)
			*cause = NULL;
		SSL_CTX_free(*ctx);
		*ctx = NULL;
		return -1;
	}
	return 0;
}

/* A second after accept() failed for want of descriptors or memory:
 * accept again, unless the connection cap holds the listener. */
static void
http_accept_resume(evutil_socket_t fd, short what, void *arg)
{
	struct http	*h = arg;

	(void)fd;
	(void)what;
	if (!h->paused && !h->stopping)
		http_accepting_set(h, 1);
}

/* The HTTP edge whose listener this is: the listener's callback argument
 * is evhttp's own. */
static struct http	*http_accepting;

/* accept() failed with more than a retriable error (EMFILE, ENFILE,
 * ENOBUFS): with the connection still queued, the listener would fire
 * again at once, for ever.  Stop accepting for a second, as tmux does,
 * and say so once a second rather than millions of times. */
static void
http_accept_error(struct evconnlistener *listener, void *arg)
{
	struct http	*h = http_accepting;
	struct timeval	 tv = { 1, 0 };
	int		 err = EVUTIL_SOCKET_ERROR();

	(void)arg;
	log_warnx("cannot accept a connection: %s; trying again in a "
	    "second", evutil_socket_error_to_string(err));
	evconnlistener_disable(listener);
	if (h->accept_retry != NULL)
		evtimer_add(h->accept_retry, &tv);
}

/* Nagle off on the listening socket, which Linux hands on to every
 * connection accepted from it: otherwise the last segment of an answer
 * longer than one (today's round, 80 KiB) waits for the client's delayed
 * ACK, 40 ms, and 16 terminals get 400 answers a second between them.
 * evhttp writes each answer whole, so nothing is sent in small pieces. */
static void
http_no_delay(struct evconnlistener *listener)
{
	int	one = 1;

	if (setsockopt(evconnlistener_get_fd(listener), IPPROTO_TCP,
	    TCP_NODELAY, &one, sizeof one) == -1)
		log_warn("TCP_NODELAY on the listening socket");
}

/* An evhttp on the loop with our limits and the connection guard,
 * calling cb with the server for every request. */
struct evhttp *
http_evhttp_new(struct http *h,
    void (*cb)(struct evhttp_request *, void *))
{
	const struct config	*cfg = h->srv->cfg;
	struct evhttp		*evh;

	if ((evh = evhttp_new(h->srv->base)) == NULL)
		return NULL;
	evhttp_set_max_headers_size(evh, (ev_ssize_t)cfg->http_max_header_bytes);
	evhttp_set_max_body_size(evh, (ev_ssize_t)cfg->http_max_body_bytes);
	evhttp_set_timeout(evh, cfg->http_timeout_seconds);
	evhttp_set_allowed_methods(evh, EVHTTP_REQ_GET | EVHTTP_REQ_POST |
	    EVHTTP_REQ_PATCH | EVHTTP_REQ_DELETE | EVHTTP_REQ_PUT);
	evhttp_set_default_content_type(evh,
	    "application/json; charset=utf-8");
	evhttp_set_bevcb(evh, http_guard_new_connection, h);
	evhttp_set_gencb(evh, cb, h->srv);
	return evh;
}

/* Our own listener on address and port for evh, for a listen queue deep
 * enough that the ward's terminals reconnecting together after a restart
 * are not dropped (evhttp_bind_socket() asks for 128); NULL and *cause
 * if it cannot be bound. */
struct evconnlistener *
http_listen(struct http *h, struct evhttp *evh, const char *address,
    int port, char **cause)
{
	struct evconnlistener	*l = NULL;
	struct sockaddr_storage	 sa;
	int			 salen = sizeof sa;
	char			 where[96];

	snprintf(where, sizeof where, strchr(address, ':') ? "[%s]:%d" :
	    "%s:%d", strcmp(address, "localhost") == 0 ? "127.0.0.1" :
	    address, port);
	if (evutil_parse_sockaddr_port(where, (struct sockaddr *)&sa, &salen)
	    == -1 ||
	    (l = evconnlistener_new_bind(h->srv->base, NULL, NULL,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC | LEV_OPT_REUSEABLE,
	    HTTP_LISTEN_BACKLOG, (struct sockaddr *)&sa, salen)) == NULL ||
	    evhttp_bind_listener(evh, l) == NULL) {
		if (l != NULL)
			evconnlistener_free(l);
		if (asprintf(cause, "cannot listen on %s port %d (is another "
		    "idtsd running?)", address, port) == -1)
			*cause = NULL;
		return NULL;
	}
	http_no_delay(l);
	evconnlistener_set_error_cb(l, http_accept_error);
	log_info("listening on %s%s port %d", h->tls ? "TLS " : "", address,
	    port);
	return l;
}

/* Set up evhttp, bind the listener and start serving. */
int
http_start(struct server *srv, char **cause)
{
	const struct config		*cfg = srv->cfg;
	struct http			*h;

	*cause = NULL;
	if ((h = calloc(1, sizeof *h)) == NULL)
		return -1;
	h->srv = srv;
	LIST_INIT(&h->lingering);
	TAILQ_INIT(&h->waiting);
	srv->http = h;
	if (http_tls_context(cfg, &h->tls, cause) == -1)
		return -1;
	if ((h->evh = http_evhttp_new(h, http_request)) == NULL)
		return -1;
	if ((h->pins = pin_pool_new(cfg->pin_queue, pin_job_run)) == NULL ||
	    (h->pins_ready = event_new(srv->base, pin_pool_fd(h->pins),
	    EV_READ | EV_PERSIST, http_pins_ready, h)) == NULL ||
	    event_add(h->pins_ready, NULL) == -1 ||
	    (cfg->group_commit && http_batch_start(h) == -1))
		return -1;
	h->accept_retry = evtimer_new(srv->base, http_accept_resume, h);
	http_accepting = h;
	if ((h->listener = http_listen(h, h->evh, cfg->listen_address,
	    cfg->listen_port, cause)) == NULL)
		return -1;
	return dashboard_start(h, cause);
}

/* Accept on every listener, or stop: the connection cap counts the
 * dashboard's connections too. */
void
http_accepting_set(struct http *h, int on)
{
	struct evconnlistener	*each[] = { h->listener, h->dash_listener };
	size_t			 i;

	for (i = 0; i < sizeof each / sizeof each[0]; i++)
		if (each[i] != NULL)
			(void)(on ? evconnlistener_enable(each[i]) :
			    evconnlistener_disable(each[i]));
}

/* Stop accepting connections; those open finish their requests. */
void
http_stop_listening(struct http *h)
{
	if (h != NULL)
		http_accepting_set(h, 0);
}

/* Close every connection and free the HTTP edge. */
void
http_free(struct http *h)
{
	if (h == NULL)
		return;
	http_batch_stop(h);	/* what is done is committed and answered */
	h->stopping = 1;
	if (h->evh != NULL)
		evhttp_free(h->evh);
	dashboard_free(h);
	/* Run the bufferevent finalizers evhttp_free queued, then close
	 * what lingers. */
	event_base_loop(h->srv->base, EVLOOP_NONBLOCK);
	/* The workers finish what they hold; every call waiting is freed. */
	pin_pool_free(h->pins, http_pin_done, h);
	if (h->pins_ready != NULL)
		event_free(h->pins_ready);
	http_guard_close_all(h);
	if (h->accept_retry != NULL)
		event_free(h->accept_retry);
	if (h->tls != NULL)
		SSL_CTX_free(h->tls);
	free(h);
}
