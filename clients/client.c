/* One request, one answer: an event loop is run until the answer (or an
 * error) arrives.  Simple and enough for a command-line client; a
 * full-screen one makes its reads from its own loop instead
 * (client_call_start), so a daemon slow to answer never stops it.
 * Every secret sent or received is wiped once done with. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <openssl/err.h>

#include "client.h"
#include "timefmt.h"

/* Split http(s)://host[:port] into its parts. */
static int
client_parse_server(struct client *c, const char *server, char **cause)
{
	struct evhttp_uri	*u = evhttp_uri_parse(server);
	const char		*scheme, *host;

	if (u == NULL || (scheme = evhttp_uri_get_scheme(u)) == NULL ||
	    (host = evhttp_uri_get_host(u)) == NULL ||
	    strlen(host) >= sizeof c->host ||
	    (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)) {
		if (u != NULL)
			evhttp_uri_free(u);
		if (asprintf(cause, "%s is not a server address such as "
		    "http://127.0.0.1:8470", server) == -1)
			*cause = NULL;
		return -1;
	}
	c->tls = strcmp(scheme, "https") == 0;
	strcpy(c->host, host);
	c->port = evhttp_uri_get_port(u);
	if (c->port == -1)
		c->port = c->tls ? 443 : 80;
	evhttp_uri_free(u);
	return 0;
}

/* Prepare to talk to server.  For https, the server's certificate is
 * checked against the system's CAs, or the file in IDTS_CA. */
int
client_init(struct client *c, const char *server, char **cause)
{
	const char	*ca = getenv("IDTS_CA");

	memset(c, 0, sizeof *c);
	*cause = NULL;
	c->timeout_seconds = 30;
	if (strlen(server) >= sizeof c->server) {
		*cause = strdup("the server address is too long");
		return -1;
	}
	strcpy(c->server, server);
	if (client_parse_server(c, server, cause) == -1)
		return -1;
	if ((c->base = event_base_new()) == NULL) {
		*cause = strdup("cannot create an event loop");
		return -1;
	}
	if (c->tls) {
		c->ssl = SSL_CTX_new(TLS_client_method());
		if (c->ssl == NULL || (ca != NULL ?
		    SSL_CTX_load_verify_locations(c->ssl, ca, NULL) != 1 :
		    SSL_CTX_set_default_verify_paths(c->ssl) != 1)) {
			if (asprintf(cause, "cannot load the CA certificates%s%s",
			    ca ? " from " : "", ca ? ca : "") == -1)
				*cause = NULL;
			return -1;
		}
		SSL_CTX_set_verify(c->ssl, SSL_VERIFY_PEER, NULL);
	}
	return client_terminal_load(c, cause);
}

void
client_free(struct client *c)
{
	if (c->ssl != NULL)
		SSL_CTX_free(c->ssl);
	if (c->base != NULL)
		event_base_free(c->base);
	explicit_bzero(c->token, sizeof c->token);
	explicit_bzero(c->terminal, sizeof c->terminal);
}

/* --- secrets ---------------------------------------------------------- */

/* Each block libevent takes carries its size before it, so it can be
 * wiped as it is freed: libevent's buffers hold the requests as sent
 * (a PIN, the Authorization header) and the answers as read (a new
 * session's token). */
union client_mem_head {
	size_t		size;
	max_align_t	align;
};

static void *
client_mem_malloc(size_t size)
{
	union client_mem_head	*h;

	if (size > SIZE_MAX - sizeof *h ||
	    (h = malloc(sizeof *h + size)) == NULL)
		return NULL;
	h->size = size;
	return h + 1;
}

static void
client_mem_free(void *p)
{
	union client_mem_head	*h;

	if (p == NULL)
		return;
	h = (union client_mem_head *)p - 1;
	explicit_bzero(p, h->size);
	free(h);
}

static void *
client_mem_realloc(void *p, size_t size)
{
	union client_mem_head	*h;
	void			*n;

	if (p == NULL)
		return client_mem_malloc(size);
	if (size == 0) {
		client_mem_free(p);
		return NULL;
	}
	h = (union client_mem_head *)p - 1;
	if ((n = client_mem_malloc(size)) == NULL)
		return NULL;
	memcpy(n, p, h->size < size ? h->size : size);
	client_mem_free(p);
	return n;
}

/* Have libevent wipe what it frees.  Before any other libevent call. */
void
client_memory_wipe(void)
{
	event_set_mem_functions(client_mem_malloc, client_mem_realloc,
	    client_mem_free);
}

/* Wipe the PINs and tokens in a JSON value (the members named "pin" or
 * "token", at any depth) before it is freed: jansson frees without
 * wiping. */
void
client_json_wipe(json_t *j)
{
	const char	*key;
	json_t		*v;
	size_t		 i;

	if (json_is_object(j)) {
		json_object_foreach(j, key, v) {
			if (json_is_string(v) && (strcmp(key, "pin") == 0 ||
			    strcmp(key, "token") == 0))
				explicit_bzero((char *)json_string_value(v),
				    json_string_length(v));
			else
				client_json_wipe(v);
		}
	} else if (json_is_array(j))
		json_array_foreach(j, i, v)
			client_json_wipe(v);
}

/* Wipe a request's Authorization and X-Terminal headers (evhttp keeps a
 * copy of them in the request until the request is freed). */
void
client_request_wipe(struct evhttp_request *req)
{
	struct evkeyvalq	*h;
	struct evkeyval		*kv;

	if (req == NULL || (h = evhttp_request_get_output_headers(req)) ==
	    NULL)
		return;
	for (kv = h->tqh_first; kv != NULL; kv = kv->next.tqe_next)
		if (strcasecmp(kv->key, "Authorization") == 0 ||
		    strcasecmp(kv->key, "X-Terminal") == 0)
			explicit_bzero(kv->value, strlen(kv->value));
}

/* A body of ours, handed to libevent by reference: wiped when libevent
 * has sent it and lets it go, so no copy of a PIN is left behind. */
static void
client_body_release(const void *data, size_t len, void *extra)
{
	(void)extra;
	explicit_bzero((void *)data, len);
	free((void *)data);
}

/* Put body in req as JSON; -1 if it cannot be. */
static int
client_body(struct evhttp_request *req, const json_t *body)
{
	const size_t	 flags = JSON_COMPACT | JSON_REAL_PRECISION(15);
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	char		*text, length[24];
	size_t		 n;

	if ((n = json_dumpb(body, NULL, 0, flags)) == 0 ||
	    (text = malloc(n)) == NULL)
		return -1;
	if (json_dumpb(body, text, n, flags) != n) {
		client_body_release(text, n, NULL);
		return -1;
	}
	/* evhttp adds Content-Length only to POST and PUT. */
	snprintf(length, sizeof length, "%zu", n);
	evhttp_add_header(h, "Content-Length", length);
	evhttp_add_header(h, "Content-Type", "application/json");
	if (evbuffer_add_reference(evhttp_request_get_output_buffer(req), text,
	    n, client_body_release, NULL) == -1) {
		client_body_release(text, n, NULL);
		return -1;
	}
	return 0;
}

/* --- calls ------------------------------------------------------------ */

struct client_call {
	struct client_reply	*out;
	int			 done;
	int			 keep_text;	/* out->text too */
};

/* The answer (or a failure: req is NULL or its code 0). */
static void
client_done(struct evhttp_request *req, void *arg)
{
	struct client_call	*call = arg;
	struct evbuffer		*in;
	unsigned char		*text;
	size_t			 len;

	call->done = 1;
	client_request_wipe(req);
	if (req == NULL || evhttp_request_get_response_code(req) == 0)
		return;
	call->out->status = evhttp_request_get_response_code(req);
	in = evhttp_request_get_input_buffer(req);
	if ((len = evbuffer_get_length(in)) == 0 ||
	    (text = evbuffer_pullup(in, -1)) == NULL)
		return;
	if (call->keep_text && (call->out->text = malloc(len + 1)) != NULL) {
		memcpy(call->out->text, text, len);
		call->out->text[len] = '\0';
		call->out->length = len;
	}
	call->out->body = json_loadb((const char *)text, len, 0, NULL);
	/* The answer as read may hold a session's token. */
	explicit_bzero(text, len);
	evbuffer_drain(in, len);
}

/* A connection, over TLS when the server is https. */
struct evhttp_connection *
client_connection(struct client *c)
{
	struct bufferevent	*bev;
	SSL			*ssl;

	if (!c->tls)
		return evhttp_connection_base_new(c->base, NULL, c->host,
		    (unsigned short)c->port);
	if ((ssl = SSL_new(c->ssl)) == NULL)
		return NULL;
	SSL_set_tlsext_host_name(ssl, c->host);
	SSL_set1_host(ssl, c->host);
	bev = bufferevent_openssl_socket_new(c->base, -1, ssl,
	    BUFFEREVENT_SSL_CONNECTING, BEV_OPT_CLOSE_ON_FREE |
	    BEV_OPT_DEFER_CALLBACKS);
	if (bev == NULL) {
		SSL_free(ssl);
		return NULL;
	}
	return evhttp_connection_base_bufferevent_new(c->base, NULL, bev,
	    c->host, (unsigned short)c->port);
}

/* Make a request on conn, done called with its answer; NULL (with
 * *cause) if it could not even be sent. */
static struct evhttp_request *
client_request(struct client *c, struct evhttp_connection *conn,
    const char *method, const char *path, json_t *body,
    const char *idempotency_key, const char *accept,
    void (*done)(struct evhttp_request *, void *), void *arg, char **cause)
{
	struct evhttp_request	*req;
	struct evkeyvalq	*h;
	enum evhttp_cmd_type	 type;
	char			 auth[128], full[1024];

	if (strcmp(method, "GET") == 0)
		type = EVHTTP_REQ_GET;
	else if (strcmp(method, "POST") == 0)
		type = EVHTTP_REQ_POST;
	else if (strcmp(method, "PATCH") == 0)
		type = EVHTTP_REQ_PATCH;
	else if (strcmp(method, "PUT") == 0)
		type = EVHTTP_REQ_PUT;
	else
		type = EVHTTP_REQ_DELETE;
	snprintf(full, sizeof full, "/v1%s", path);

	if ((req = evhttp_request_new(done, arg)) == NULL) {
		*cause = strdup("out of memory");
		return NULL;
	}
	h = evhttp_request_get_output_headers(req);
	evhttp_add_header(h, "Host", c->host);
	evhttp_add_header(h, "Accept", accept != NULL ? accept :
	    "application/json");
	if (c->token[0] != '\0') {
		snprintf(auth, sizeof auth, "Bearer %s", c->token);
		evhttp_add_header(h, "Authorization", auth);
		explicit_bzero(auth, sizeof auth);
	}
	client_terminal_header(c, h);
	if (idempotency_key != NULL)
		evhttp_add_header(h, "Idempotency-Key", idempotency_key);
	if (body != NULL && client_body(req, body) == -1) {
		client_request_wipe(req);
		evhttp_request_free(req);
		*cause = strdup("cannot encode the request");
		return NULL;
	}
	if (evhttp_make_request(conn, req, type, full) == -1) {
		/* libevent has freed req. */
		*cause = strdup("cannot send the request");
		return NULL;
	}
	return req;
}

/* Send one request and wait for its answer.  Returns -1 (with *cause) only
 * if the daemon could not be reached; an error answer is still 0. */
int
client_call(struct client *c, const char *method, const char *path,
    json_t *body, const char *idempotency_key, struct client_reply *out,
    char **cause)
{
	return client_call_accept(c, method, path, body, idempotency_key,
	    NULL, out, cause);
}

/* The same, asking for the type accept (NULL: JSON) and, when one is
 * given, keeping the body as text. */
int
client_call_accept(struct client *c, const char *method, const char *path,
    json_t *body, const char *idempotency_key, const char *accept,
    struct client_reply *out, char **cause)
{
	struct evhttp_connection	*conn;
	struct client_call		 call = { out, 0, accept != NULL };

	memset(out, 0, sizeof *out);
	*cause = NULL;
	if ((conn = client_connection(c)) == NULL) {
		*cause = strdup("cannot create a connection");
		return -1;
	}
	evhttp_connection_set_timeout(conn, c->timeout_seconds);
	if (client_request(c, conn, method, path, body, idempotency_key,
	    accept, client_done, &call, cause) == NULL) {
		evhttp_connection_free(conn);
		return -1;
	}
	while (!call.done)
		if (event_base_loop(c->base, EVLOOP_ONCE) == -1)
			break;
	evhttp_connection_free(conn);
	if (out->status == 0) {
		client_reply_free(out);
		if (asprintf(cause, "cannot reach idtsd at %s (is it running? "
		    "see -s or IDTS_SERVER)", c->server) == -1)
			*cause = NULL;
		return -1;
	}
	return 0;
}

/* --- calls from the caller's loop -------------------------------------- */

struct client_pending {
	struct evhttp_connection	*conn;
	struct event			*later;	/* hands the answer on */
	struct client_call		 call;
	struct client_reply		 reply;
	client_reply_cb			 cb;
	void				*arg;
};

/* evhttp does not let a connection be freed from its own callbacks:
 * the answer is handed on, and the connection freed, when the loop
 * comes round. */
static void
client_pending_done(struct evhttp_request *req, void *arg)
{
	struct client_pending	*p = arg;
	struct timeval		 now = { 0, 0 };

	client_done(req, &p->call);
	evtimer_add(p->later, &now);
}

static void
client_pending_deliver(evutil_socket_t fd, short what, void *arg)
{
	struct client_pending	*p = arg;
	struct client_reply	 reply = p->reply;
	client_reply_cb		 cb = p->cb;
	void			*cb_arg = p->arg;

	(void)fd;
	(void)what;
	if (p->conn != NULL)
		evhttp_connection_free(p->conn);
	event_free(p->later);
	free(p);
	cb(&reply, cb_arg);
	client_reply_free(&reply);
}

/* Start a call; NULL only if out of memory. */
struct client_pending *
client_call_start(struct client *c, const char *method, const char *path,
    json_t *body, const char *idempotency_key, client_reply_cb cb, void *arg)
{
	struct client_pending	*p;
	struct timeval		 now = { 0, 0 };
	char			*cause = NULL;

	if ((p = calloc(1, sizeof *p)) == NULL)
		return NULL;
	p->cb = cb;
	p->arg = arg;
	p->call.out = &p->reply;
	if ((p->later = evtimer_new(c->base, client_pending_deliver, p)) ==
	    NULL) {
		free(p);
		return NULL;
	}
	if ((p->conn = client_connection(c)) != NULL) {
		evhttp_connection_set_timeout(p->conn, c->timeout_seconds);
		if (client_request(c, p->conn, method, path, body,
		    idempotency_key, NULL, client_pending_done, p, &cause) !=
		    NULL)
			return p;
		free(cause);
	}
	/* Not even sent: "not reached", when the loop comes round. */
	p->call.done = 1;
	evtimer_add(p->later, &now);
	return p;
}

/* Forget a call: its connection and request go, its callback is never
 * called.  Not from inside that callback. */
void
client_call_cancel(struct client_pending *p)
{
	if (p == NULL)
		return;
	if (p->conn != NULL)
		evhttp_connection_free(p->conn);
	event_free(p->later);
	client_reply_free(&p->reply);
	free(p);
}

void
client_reply_free(struct client_reply *r)
{
	json_decref(r->body);
	r->body = NULL;
	free(r->text);
	r->text = NULL;
	r->length = 0;
}

/* The error code of an error answer, or "http_<status>". */
const char *
client_error_code(const struct client_reply *r)
{
	const char	*code = json_string_value(json_object_get(
	    json_object_get(r->body, "error"), "code"));

	return code ? code : "unexpected_answer";
}

/* The error message of an error answer. */
const char *
client_error_message(const struct client_reply *r)
{
	const char	*msg = json_string_value(json_object_get(
	    json_object_get(r->body, "error"), "message"));

	return msg ? msg : "the daemon's answer was not the JSON expected";
}

/* What a PIN refused says (the daemon's tries_left and locked_until), in
 * words: "2 tries left before the account locks", "locked until 09:15 on
 * Tue 12 Jan" (local); NULL when it says neither.
 * idtsctl and idts-ward both print it. */
const char *
client_pin_told(const struct client_reply *r, char *buf, size_t size)
{
	const json_t	*e = json_object_get(r->body, "error");
	const json_t	*left = json_object_get(e, "tries_left");
	const char	*until = json_string_value(json_object_get(e,
			    "locked_until"));
	struct tm	 at;
	time_t		 t;
	int64_t		 ms;

	if (until != NULL && timefmt_parse_instant(until, &ms) == 0) {
		t = (time_t)(ms / 1000);
		localtime_r(&t, &at);
		if (strftime(buf, size, "locked until %H:%M on %a %d %b",
		    &at) == 0)
			return NULL;
		return buf;
	}
	if (!json_is_integer(left))
		return NULL;
	snprintf(buf, size, "%lld %s left before the account locks",
	    (long long)json_integer_value(left),
	    json_integer_value(left) == 1 ? "try" : "tries");
	return buf;
}
