/* The HTTP edge: evhttp with limits, a connection cap and optional TLS,
 * translating requests for the router and answers back. */
#ifndef IDTSD_HTTP_H
#define IDTSD_HTTP_H

#include <sys/queue.h>
#include <time.h>

#include <openssl/ssl.h>

struct server;
struct config;
struct evhttp;
struct evhttp_request;
struct evconnlistener;
struct evbuffer;
struct event;
struct pin_pool;
struct request;

struct http {
	struct server		*srv;
	struct evhttp		*evh;
	struct evconnlistener	*listener;
	struct evhttp		*dash_evh;	/* the dashboard's (dashboard.c) */
	struct evconnlistener	*dash_listener;	/* NULL: no dashboard */
	SSL_CTX			*tls;
	int			 connections;
	int			 paused;	/* accepting stopped at the cap */
	int			 stopping;
	struct event		*accept_retry;	/* after EMFILE and the like */
	LIST_HEAD(, http_guard)	 lingering;	/* closing gently */
	/* Connections that may be closed at the cap to make room, the one
	 * that has waited longest for a request first (http_guard.c). */
	TAILQ_HEAD(, http_guard) waiting;
	struct pin_pool		*pins;		/* yescrypt off the loop */
	struct event		*pins_ready;	/* its jobs are done */
	unsigned long		 evicted;	/* closed so, since start */
	time_t			 evict_logged_at;	/* monotonic seconds */
};

int	http_tls_context(const struct config *, SSL_CTX **, char **cause);
int	http_start(struct server *, char **cause);
int	http_start_workers(struct http *);
void	http_stop_listening(struct http *);
void	http_free(struct http *);

/* evhttp's callback for every API request, on either listener. */
void	http_request(struct evhttp_request *, void *);
struct evhttp *http_evhttp_new(struct http *,
	    void (*)(struct evhttp_request *, void *));
struct evconnlistener *http_listen(struct http *, struct evhttp *,
	    const char *address, int port, char **cause);
/* Accept on every listener, or stop (at the connection cap). */
void	http_accepting_set(struct http *, int on);

/* The dashboard's listener and its static files (dashboard.c). */
int	dashboard_start(struct http *, char **cause);
void	dashboard_free(struct http *);

/* Group commit's counts (http_batch.c), for GET /metrics. */
void	http_batch_counts(unsigned long long *commits,
	    unsigned long long *requests);

/* A request's body decoded, then the router: every request's steps. */
void	http_dispatch(struct request *, const char *type, struct evbuffer *);

/* The connection guard (http_guard.c). */
struct bufferevent *http_guard_new_connection(struct event_base *, void *);
void	http_guard_close_all(struct http *);

#endif
