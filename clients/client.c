/* One request, one answer: an event loop is run until the answer (or an
 * error) arrives.  Simple and enough for a command-line client. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <openssl/err.h>

#include "client.h"

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
	return 0;
}

void
client_free(struct client *c)
{
	if (c->ssl != NULL)
		SSL_CTX_free(c->ssl);
	if (c->base != NULL)
		event_base_free(c->base);
	explicit_bzero(c->token, sizeof c->token);
}

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
	size_t			 len;

	call->done = 1;
	if (req == NULL || evhttp_request_get_response_code(req) == 0)
		return;
	call->out->status = evhttp_request_get_response_code(req);
	in = evhttp_request_get_input_buffer(req);
	len = evbuffer_get_length(in);
	if (call->keep_text && (call->out->text = malloc(len + 1)) != NULL) {
		if (len > 0)
			memcpy(call->out->text, evbuffer_pullup(in, -1), len);
		call->out->text[len] = '\0';
		call->out->length = len;
	}
	if (len > 0)
		call->out->body = json_loadb((const char *)evbuffer_pullup(in,
		    -1), len, 0, NULL);
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
	struct evhttp_request		*req;
	struct evkeyvalq		*h;
	struct client_call		 call = { out, 0, accept != NULL };
	enum evhttp_cmd_type		 type;
	char				 auth[128], *text = NULL, full[1024];

	memset(out, 0, sizeof *out);
	*cause = NULL;
	if (strcmp(method, "GET") == 0)
		type = EVHTTP_REQ_GET;
	else if (strcmp(method, "POST") == 0)
		type = EVHTTP_REQ_POST;
	else if (strcmp(method, "PATCH") == 0)
		type = EVHTTP_REQ_PATCH;
	else
		type = EVHTTP_REQ_DELETE;
	snprintf(full, sizeof full, "/v1%s", path);

	if ((conn = client_connection(c)) == NULL) {
		*cause = strdup("cannot create a connection");
		return -1;
	}
	evhttp_connection_set_timeout(conn, c->timeout_seconds);
	req = evhttp_request_new(client_done, &call);
	h = evhttp_request_get_output_headers(req);
	evhttp_add_header(h, "Host", c->host);
	evhttp_add_header(h, "Accept", accept != NULL ? accept :
	    "application/json");
	if (c->token[0] != '\0') {
		snprintf(auth, sizeof auth, "Bearer %s", c->token);
		evhttp_add_header(h, "Authorization", auth);
	}
	if (idempotency_key != NULL)
		evhttp_add_header(h, "Idempotency-Key", idempotency_key);
	if (body != NULL) {
		char	length[24];

		/* evhttp adds Content-Length only to POST and PUT. */
		if ((text = json_dumps(body, JSON_COMPACT |
		    JSON_REAL_PRECISION(15))) == NULL) {
			evhttp_request_free(req);
			evhttp_connection_free(conn);
			*cause = strdup("cannot encode the request");
			return -1;
		}
		snprintf(length, sizeof length, "%zu", strlen(text));
		evhttp_add_header(h, "Content-Length", length);
		evhttp_add_header(h, "Content-Type", "application/json");
		evbuffer_add(evhttp_request_get_output_buffer(req), text,
		    strlen(text));
		free(text);
	}
	if (evhttp_make_request(conn, req, type, full) == -1) {
		evhttp_connection_free(conn);
		*cause = strdup("cannot send the request");
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
