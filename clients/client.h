/* The client library idtsctl and idts-ward share: one
 * synchronous HTTP/JSON call at a time to idtsd over libevent's evhttp,
 * with TLS for https:// servers, and the saved sign-in token. */
#ifndef IDTS_CLIENT_H
#define IDTS_CLIENT_H

#include <jansson.h>
#include <openssl/ssl.h>

#define CLIENT_DEFAULT_SERVER	"http://127.0.0.1:8470"

struct event_base;

struct client {
	char			 server[256];	/* as given: http(s)://host:port */
	char			 host[200];
	int			 port;
	int			 tls;
	char			 token[80];	/* empty when not signed in */
	char			 terminal[104];	/* X-Terminal, or empty */
	int			 timeout_seconds;
	struct event_base	*base;
	SSL_CTX			*ssl;
};

/* An answer: status 0 means the daemon could not be reached. */
struct client_reply {
	int	 status;
	json_t	*body;		/* NULL when empty or not JSON */
	char	*text;		/* the body as sent, NUL-terminated: only
				 * from client_call_accept, else NULL */
	size_t	 length;	/* of text, without the NUL */
};

int	client_init(struct client *, const char *server, char **cause);
void	client_free(struct client *);
int	client_call(struct client *, const char *method, const char *path,
	    json_t *body, const char *idempotency_key,
	    struct client_reply *out, char **cause);
/* client_call asking for another type (Accept: accept, such as
 * "text/csv"): the body is also kept as text, and parsed as JSON when it
 * is JSON (an error answer). */
int	client_call_accept(struct client *, const char *method,
	    const char *path, json_t *body, const char *idempotency_key,
	    const char *accept, struct client_reply *out, char **cause);
void	client_reply_free(struct client_reply *);

/* A call from the caller's own loop (c->base), for a program that goes
 * on reading keys meanwhile: the answer (status 0: the daemon could not
 * be reached within c->timeout_seconds) is handed to cb when the loop
 * comes round, never from inside client_call_start.  cb owns the reply.
 * Cancelling frees the call and cb is never called; the handle is not
 * valid once cb has been called. */
typedef void (*client_reply_cb)(struct client_reply *, void *arg);
struct client_pending;
struct client_pending *client_call_start(struct client *, const char *method,
	    const char *path, json_t *body, const char *idempotency_key,
	    client_reply_cb, void *arg);
void	client_call_cancel(struct client_pending *);

/* Secrets: libevent's memory is wiped as it is freed (call before any
 * other libevent call), the PINs and tokens in a JSON body wiped before
 * it goes, and the Authorization header of a request once sent. */
void	client_memory_wipe(void);
void	client_json_wipe(json_t *);
struct evhttp_request;
void	client_request_wipe(struct evhttp_request *);
const char *client_error_code(const struct client_reply *);
const char *client_error_message(const struct client_reply *);
const char *client_pin_told(const struct client_reply *, char *buf,
	    size_t size);
int	client_print(const char *text, size_t len, const char *title,
	    char **cause);

struct evhttp_connection *client_connection(struct client *);

/* Following the alert stream (client_stream.c).  The callback gets each
 * event's id, name and data; non-zero stops following. */
typedef int (*client_event_cb)(const char *id, const char *event,
	    const char *data, void *arg);
int	client_follow(struct client *, const char *path, const char *after,
	    client_event_cb, void *arg, void (*on_disconnect)(void *));

/* The same from the caller's own loop (c->base), for a program that
 * reads keys meanwhile: the stream reconnects by itself with
 * Last-Event-ID, and says how its connection stands. */
#define CLIENT_STREAM_CONNECTED	1	/* the daemon answered 200 */
#define CLIENT_STREAM_LOST	2	/* gone or not there: trying again */
#define CLIENT_STREAM_REFUSED	3	/* 400, 401, 403 or 404: given up */
typedef void (*client_state_cb)(int state, int status, void *arg);
struct client_stream;
struct client_stream *client_stream_start(struct client *, const char *path,
	    const char *after, client_event_cb, client_state_cb, void *arg);
const char *client_stream_last_id(const struct client_stream *);
int	client_stream_retry_seconds(const struct client_stream *);
void	client_stream_stop(struct client_stream *);

/* The enrolled terminal's credential (client_terminal.c). */
struct evkeyvalq;
int	client_terminal_path(char *out, size_t size);
int	client_terminal_load(struct client *, char **cause);
void	client_terminal_header(const struct client *, struct evkeyvalq *);

/* The saved token (client_token.c). */
int	client_token_path(char *out, size_t size);
int	client_token_load(struct client *);
int	client_token_save(const struct client *, char **cause);
int	client_token_remove(void);

#endif
