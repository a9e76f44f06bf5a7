/* Every connection's bufferevent is made here, wrapped in a filter that
 * does three things evhttp in libevent 2.1 cannot be asked to do:
 *
 *  - count connections, so the listener stops accepting at the cap and
 *    starts again below it (the filter's free callback is the only
 *    reliable word that a connection is gone), and close each socket
 *    gently once evhttp is done with it;
 *  - make room at the cap, so idle connections cannot lock the ward out
 *    (a slowloris opens hundreds and sends a header byte now and then,
 *    which evhttp's idle timeout never sees as idle).  Reaching the cap,
 *    the connection that has waited longest for a request (since it was
 *    accepted or last answered) is shut down, and accepting resumes once
 *    evhttp has let it go.  A stream is never chosen, nor one whose
 *    answer is still being written: only one evhttp is reading a
 *    request from, whether it has sent nothing yet, part of a request
 *    line and headers, or part of a body.  A client that sends its
 *    request at once is answered within the loop's turn, so it is
 *    never the one that has waited longest.  Only when every connection
 *    is busy does the listener stop until one closes;
 *  - turn the HTML error pages evhttp writes itself (a body or headers
 *    over the limit, a malformed request line, an unknown method) into
 *    the JSON errors every client of this API expects.
 *
 * The output filter walks the response stream: it reads each response's
 * headers, passes ours through untouched (by Content-Length, or for the
 * rest of the connection once a response is chunked), and replaces an
 * evhttp error page, recognisable by its bare "text/html" (the dashboard's
 * pages and the governance pack say "text/html; charset=utf-8"), with a
 * JSON body.  evhttp closes the connection after an error
 * page, so nothing follows it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "http.h"
#include "log.h"
#include "metrics.h"
#include "server.h"

enum http_guard_state {
	GUARD_HEADERS,		/* at the start of a response */
	GUARD_BODY,		/* passing remaining bytes of a body */
	GUARD_REST,		/* passing everything (chunked stream) */
};

struct http_guard {
	struct http		*http;
	struct bufferevent	*under;		/* the socket (or TLS) */
	enum http_guard_state	 state;
	size_t			 remaining;
	struct bufferevent	*bev;		/* the filter evhttp uses */
	struct event		*kick;
	int			 kick_pending;	/* holds a reference on bev */
	struct event		*flush;		/* a stream's write, later */
	int			 flush_pending;
	int			 chunked;	/* an answer chunked: a stream */
	int			 lingering;
	size_t			 discarded;
	int64_t			 linger_until;	/* monotonic ms */
	LIST_ENTRY(http_guard)	 entry;		/* in http->lingering */
	int			 waiting;	/* in http->waiting */
	TAILQ_ENTRY(http_guard)	 wait_entry;
};

/* After evhttp is done with a connection, how long and how much of the
 * client's leftover input we wait through before closing: bounds on the
 * whole linger, so a client sending a byte now and then cannot hold the
 * socket for ever. */
#define HTTP_GUARD_LINGER_SECONDS	2
#define HTTP_GUARD_LINGER_BYTES		(1024 * 1024)

/* An answer's headers up to this long are read on the stack, not in a
 * malloc() per answer. */
#define HTTP_GUARD_HEADERS_STACK	1024

/* The value of a header in a block of response headers, or NULL.  The
 * block is NUL-terminated and each line ends in CRLF. */
static const char *
http_guard_header(const char *headers, const char *name, size_t *len)
{
	const char	*line = strstr(headers, "\r\n");
	size_t		 n = strlen(name);

	while (line != NULL && line[2] != '\r') {
		line += 2;
		if (strncasecmp(line, name, n) == 0 && line[n] == ':') {
			const char	*v = line + n + 1;

			v += strspn(v, " \t");
			*len = strcspn(v, "\r");
			return v;
		}
		line = strstr(line, "\r\n");
	}
	return NULL;
}

/* Write the JSON error that replaces one of evhttp's error pages. */
static void
http_guard_json_error(struct evbuffer *dst, int status, const char *reason,
    const struct http *h)
{
	const char	*code = "bad_request";
	char		 msg[160], body[320];

	switch (status) {
	case 413:
		code = "body_too_large";
		snprintf(msg, sizeof msg, "the request body is over the limit "
		    "of %d bytes", h->srv->cfg->http_max_body_bytes);
		break;
	case 501:
		code = "method_not_implemented";
		snprintf(msg, sizeof msg, "this API takes GET, POST, PATCH and "
		    "DELETE");
		break;
	default:
		snprintf(msg, sizeof msg, "the request line or headers are "
		    "malformed, or the headers are over the limit of %d bytes",
		    h->srv->cfg->http_max_header_bytes);
		break;
	}
	metrics_malformed(status);
	snprintf(body, sizeof body,
	    "{\"error\":{\"code\":\"%s\",\"message\":\"%s\"}}\n", code, msg);
	evbuffer_add_printf(dst, "HTTP/1.1 %d %s\r\n"
	    "Content-Type: application/json; charset=utf-8\r\n"
	    "Cache-Control: no-store\r\nConnection: close\r\n"
	    "Content-Length: %zu\r\n\r\n%s", status, reason, strlen(body),
	    body);
}

/* A plain socket's bufferevent writes only what our own write left
 * behind (the kernel's buffer was full): with its writing on whenever it
 * held nothing, every answer cost two epoll_ctl() calls and a wake-up to
 * find nothing left to write. */
static void
http_guard_write_rest(struct http_guard *g, struct evbuffer *dst)
{
	int	on = bufferevent_get_enabled(g->under) & EV_WRITE;

	if (evbuffer_get_length(dst) > 0 && !on)
		bufferevent_enable(g->under, EV_WRITE);
	else if (evbuffer_get_length(dst) == 0 && on)
		bufferevent_disable(g->under, EV_WRITE);
}

/* Hand what the filter passed on to the kernel now.  evhttp counts an
 * answer as sent once the filter has taken it, and shuts the socket down
 * straight after an error page or a "Connection: close" answer: anything
 * still in user space then would be lost.  A plain socket is written
 * directly; over TLS, libevent 2.1's bufferevent_flush() does nothing, so
 * the records are written with SSL_write() (what the bufferevent cannot
 * take now it sends itself when the socket is writable). */
static void
http_guard_flush(struct http_guard *g, struct evbuffer *dst, size_t pending)
{
	evutil_socket_t	 fd = bufferevent_getfd(g->under);
	SSL		*ssl;
	ev_ssize_t	 n;
	int		 w;

	if (fd == -1)
		return;
	if (g->http->tls == NULL) {
		while (evbuffer_get_length(dst) > 0)
			if (evbuffer_write(dst, fd) <= 0)
				break;
		http_guard_write_rest(g, dst);
		return;
	}
	/* Only when the bufferevent had nothing of its own waiting: it may
	 * be part-way through an SSL_write that must be retried as it was,
	 * and then it is writing anyway. */
	ssl = bufferevent_openssl_get_ssl(g->under);
	while (ssl != NULL && pending == 0 && evbuffer_get_length(dst) > 0) {
		n = evbuffer_get_contiguous_space(dst);
		w = SSL_write(ssl, evbuffer_pullup(dst, n), (int)n);
		if (w <= 0)
			break;
		evbuffer_drain(dst, (size_t)w);
	}
}

/* Milliseconds on the monotonic clock. */
static int64_t
http_guard_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The connection is answering a request: to the back of the queue of
 * those waiting for one, or out of it for good (a stream, or an answer
 * that runs to the close, is never closed to make room). */
static void
http_guard_answering(struct http_guard *g, int for_good)
{
	struct http	*h = g->http;

	if (!g->waiting)
		return;
	TAILQ_REMOVE(&h->waiting, g, wait_entry);
	if (for_good)
		g->waiting = 0;
	else
		TAILQ_INSERT_TAIL(&h->waiting, g, wait_entry);
}

/* At the cap: shut down the connection that has waited longest for a
 * request, other than keep (the one just accepted), so that the next can
 * be accepted once evhttp has let it go.  Returns -1 if every connection
 * is busy.  See the comment at the top of the file. */
static int
http_guard_make_room(struct http *h, const struct http_guard *keep)
{
	struct http_guard	*g;
	evutil_socket_t		 fd;
	time_t			 now;	/* seconds */

	TAILQ_FOREACH(g, &h->waiting, wait_entry) {
		if (g == keep || g->state != GUARD_HEADERS ||
		    evbuffer_get_length(bufferevent_get_output(g->bev)) > 0 ||
		    evbuffer_get_length(bufferevent_get_output(g->under)) > 0 ||
		    (fd = bufferevent_getfd(g->under)) == -1)
			continue;
		/* Shut down, not closed: evhttp reads the end of the stream
		 * and frees the connection as when a client goes, and
		 * http_guard_free counts it gone and accepts again. */
		if (shutdown(fd, SHUT_RDWR) == -1)
			continue;
		http_guard_answering(g, 1);
		h->evicted++;
		now = (time_t)(http_guard_now() / 1000);
		if (h->evict_logged_at == 0 ||
		    now - h->evict_logged_at >= 60) {
			log_warnx("%d connections open (http.max_connections):"
			    " closing the one that has waited longest for a "
			    "request, to make room (%lu so far); said at most "
			    "once a minute", h->connections, h->evicted);
			h->evict_logged_at = now;
		}
		return 0;
	}
	return -1;
}

/* Pass src on to dst, rewriting evhttp's error pages; see the comment at
 * the top of the file. */
static enum bufferevent_filter_result
http_guard_rewrite(struct http_guard *g, struct evbuffer *src,
    struct evbuffer *dst)
{
	struct evbuffer_ptr	 end;
	char			 stack[HTTP_GUARD_HEADERS_STACK];
	char			*headers, reason[64];
	const char		*v;
	size_t			 hlen, vlen, body;
	int			 status, has_length, chunked;

	while (evbuffer_get_length(src) > 0) {
		switch (g->state) {
		case GUARD_REST:
			evbuffer_add_buffer(dst, src);
			return BEV_OK;
		case GUARD_BODY:
			body = evbuffer_get_length(src);
			if (body > g->remaining)
				body = g->remaining;
			evbuffer_remove_buffer(src, dst, body);
			if ((g->remaining -= body) == 0)
				g->state = GUARD_HEADERS;
			continue;
		case GUARD_HEADERS:
			break;
		}

		end = evbuffer_search(src, "\r\n\r\n", 4, NULL);
		if (end.pos == -1)
			return BEV_NEED_MORE;
		hlen = (size_t)end.pos + 4;
		headers = hlen < sizeof stack ? stack : malloc(hlen + 1);
		if (headers == NULL) {
			/* Out of memory: pass the rest on as it is, as for a
			 * chunked answer.  BEV_ERROR left the answer unsent
			 * and the client waiting for the timeout (found by
			 * tests/faults/alloc_faults.sh). */
			evbuffer_add_buffer(dst, src);
			g->state = GUARD_REST;
			http_guard_answering(g, 1);
			return BEV_OK;
		}
		evbuffer_copyout(src, headers, hlen);
		headers[hlen] = '\0';

		status = 0;
		reason[0] = '\0';
		sscanf(headers, "HTTP/%*d.%*d %d %63[^\r]", &status, reason);
		body = 0;
		v = http_guard_header(headers, "Content-Length", &vlen);
		if ((has_length = v != NULL))
			body = strtoul(v, NULL, 10);

		v = http_guard_header(headers, "Content-Type", &vlen);
		if (v != NULL && vlen == 9 && strncasecmp(v, "text/html", 9)
		    == 0) {
			if (headers != stack)
				free(headers);
			if (evbuffer_get_length(src) < hlen + body)
				return BEV_NEED_MORE;
			evbuffer_drain(src, hlen + body);
			http_guard_json_error(dst, status, reason, g->http);
			g->state = GUARD_REST;
			http_guard_answering(g, 1);
			continue;
		}

		v = http_guard_header(headers, "Transfer-Encoding", &vlen);
		chunked = v != NULL && vlen >= 7 && strncasecmp(v, "chunked", 7)
		    == 0;
		if (headers != stack)
			free(headers);
		evbuffer_remove_buffer(src, dst, hlen);
		if (chunked) {
			g->state = GUARD_REST;
			g->chunked = 1;
		}
		else if (has_length && body > 0) {
			g->state = GUARD_BODY;
			g->remaining = body;
		} else if (!has_length && status >= 200 && status != 204 &&
		    status != 304)
			g->state = GUARD_REST;	/* the body runs to the close */
		http_guard_answering(g, g->state == GUARD_REST);
	}
	return BEV_OK;
}

/* The output filter. */
static enum bufferevent_filter_result
http_guard_out(struct evbuffer *src, struct evbuffer *dst, ev_ssize_t limit,
    enum bufferevent_flush_mode mode, void *arg)
{
	struct http_guard		*g = arg;
	enum bufferevent_filter_result	 rc;
	size_t				 pending = evbuffer_get_length(dst);

	(void)limit;
	rc = http_guard_rewrite(g, src, dst);
	if (!g->chunked || g->http->tls != NULL || mode != BEV_NORMAL)
		http_guard_flush(g, dst, pending);
	else if (!g->flush_pending) {
		/* A stream: evhttp adds each chunk in three pieces, and
		 * the fan-out adds one chunk to a thousand streams in a
		 * turn; write each stream's all at once after the turn, or
		 * when asked to flush (the stream measuring its backlog). */
		g->flush_pending = 1;
		event_active(g->flush, EV_TIMEOUT, 0);
	}
	return rc;
}

/* After the loop's turn: write what a stream was given during it. */
static void
http_guard_flush_later(evutil_socket_t fd, short what, void *arg)
{
	struct http_guard	*g = arg;

	(void)fd;
	(void)what;
	g->flush_pending = 0;
	if (!g->lingering)
		http_guard_flush(g, bufferevent_get_output(g->under), 0);
}

/* Close the socket for good. */
static void
http_guard_close(struct http_guard *g)
{
	event_free(g->kick);
	if (g->flush != NULL)
		event_free(g->flush);
	if (g->lingering)
		LIST_REMOVE(g, entry);
	bufferevent_decref(g->under);
	free(g);
}

/* While lingering, read and throw away what the client still sends (the
 * rest of a refused body), up to the bounds: the read timeout is what is
 * left of the linger's time. */
static void
http_guard_linger_read(struct bufferevent *under, void *arg)
{
	struct http_guard	*g = arg;
	struct evbuffer		*in = bufferevent_get_input(under);
	int64_t			 left = g->linger_until - http_guard_now();
	struct timeval		 tv;

	g->discarded += evbuffer_get_length(in);
	evbuffer_drain(in, evbuffer_get_length(in));
	if (g->discarded > HTTP_GUARD_LINGER_BYTES || left <= 0) {
		http_guard_close(g);
		return;
	}
	tv.tv_sec = left / 1000;
	tv.tv_usec = (left % 1000) * 1000;
	bufferevent_set_timeouts(under, &tv, NULL);
}

/* The client closed its side, or went quiet: close ours. */
static void
http_guard_linger_event(struct bufferevent *under, short what, void *arg)
{
	(void)under;
	(void)what;
	http_guard_close(arg);
}

/* evhttp has freed the connection (and shut down our sending side).
 * Count it, accept again below the cap, and linger: closing a socket that
 * still has unread input resets it, and the client would lose the answer
 * it has not read yet, such as the 413 for a body it is still sending. */
static void
http_guard_free(void *arg)
{
	struct http_guard	*g = arg;
	struct http		*h = g->http;
	struct bufferevent	*linger;
	struct timeval		 tv = { HTTP_GUARD_LINGER_SECONDS, 0 };
	evutil_socket_t		 fd;

	http_guard_answering(g, 1);
	h->connections--;
	if (h->paused && h->connections < h->srv->cfg->http_max_connections &&
	    !h->stopping) {
		h->paused = 0;
		http_accepting_set(h, 1);
	}
	if (h->stopping || (fd = bufferevent_getfd(g->under)) == -1) {
		http_guard_close(g);
		return;
	}
	/* The filter leaves the socket's bufferevent with its reading
	 * suspended (libevent 2.1 lifts that only for a filter without
	 * BEV_OPT_CLOSE_ON_FREE), so it would never see the client close or
	 * time out: linger on a fresh one over a duplicate of the socket,
	 * and let the old one go (the filter's last reference closes the
	 * original descriptor). */
	if ((fd = dup(fd)) == -1) {
		http_guard_close(g);
		return;
	}
	if ((linger = bufferevent_socket_new(h->srv->base, fd,
	    BEV_OPT_CLOSE_ON_FREE)) == NULL) {
		close(fd);
		http_guard_close(g);
		return;
	}
	bufferevent_decref(g->under);
	g->under = linger;
	g->lingering = 1;
	g->linger_until = http_guard_now() + HTTP_GUARD_LINGER_SECONDS * 1000;
	LIST_INSERT_HEAD(&h->lingering, g, entry);
	bufferevent_setcb(g->under, http_guard_linger_read, NULL,
	    http_guard_linger_event, g);
	bufferevent_set_timeouts(g->under, &tv, NULL);
	bufferevent_enable(g->under, EV_READ);
}

/* Close every lingering socket: the daemon is stopping.  Each is taken
 * off the list here, so the loop ends whatever its flag says. */
void
http_guard_close_all(struct http *h)
{
	struct http_guard	*g;

	while ((g = LIST_FIRST(&h->lingering)) != NULL) {
		LIST_REMOVE(g, entry);
		g->lingering = 0;
		http_guard_close(g);
	}
}

/* evhttp writes an error page while writing is disabled on the
 * connection and enables it afterwards, and a filter does not look at its
 * output again when enabled: so when output arrives while disabled, look
 * again on the next turn of the loop.  A pending kick holds a reference
 * on the filter, so it is never a freed bufferevent that is flushed; if
 * evhttp let go of the connection meanwhile, the flush finds its
 * callbacks cleared and does nothing. */
static void
http_guard_kick(evutil_socket_t fd, short what, void *arg)
{
	struct http_guard	*g = arg;
	struct bufferevent	*bev = g->bev;

	(void)fd;
	(void)what;
	g->kick_pending = 0;
	bufferevent_flush(bev, EV_WRITE, BEV_NORMAL);
	bufferevent_decref(bev);	/* may finalize the filter, and g */
}

/* Output was added to the filter: if writing is off, kick it later. */
static void
http_guard_output_added(struct evbuffer *buf,
    const struct evbuffer_cb_info *info, void *arg)
{
	struct http_guard	*g = arg;

	(void)buf;
	if (info->n_added == 0 || g->kick_pending ||
	    (bufferevent_get_enabled(g->bev) & EV_WRITE))
		return;
	g->kick_pending = 1;
	bufferevent_incref(g->bev);
	event_active(g->kick, EV_TIMEOUT, 0);
}

/* evhttp's bufferevent callback: one call per accepted connection. */
struct bufferevent *
http_guard_new_connection(struct event_base *base, void *arg)
{
	struct http		*h = arg;
	struct http_guard	*g;
	struct bufferevent	*bev;

	if ((g = calloc(1, sizeof *g)) == NULL)
		return NULL;
	g->http = h;
	if (h->tls != NULL) {
		SSL	*ssl = SSL_new(h->tls);

		g->under = ssl ? bufferevent_openssl_socket_new(base, -1, ssl,
		    BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE) : NULL;
		if (g->under == NULL && ssl != NULL)
			SSL_free(ssl);
	} else
		g->under = bufferevent_socket_new(base, -1,
		    BEV_OPT_CLOSE_ON_FREE);
	if (g->under == NULL) {
		free(g);
		return NULL;
	}
	/* Our own reference keeps the socket open after evhttp frees the
	 * connection, for http_guard_free to linger on. */
	bufferevent_incref(g->under);
	g->kick = evtimer_new(base, http_guard_kick, g);
	g->flush = evtimer_new(base, http_guard_flush_later, g);
	bev = g->kick && g->flush ? bufferevent_filter_new(g->under, NULL,
	    http_guard_out, BEV_OPT_CLOSE_ON_FREE, http_guard_free, g) : NULL;
	if (bev == NULL) {
		if (g->kick != NULL)
			event_free(g->kick);
		if (g->flush != NULL)
			event_free(g->flush);
		bufferevent_decref(g->under);
		bufferevent_free(g->under);
		free(g);
		return NULL;
	}
	g->bev = bev;
	if (h->tls == NULL)	/* we write; see http_guard_write_rest */
		bufferevent_disable(g->under, EV_WRITE);
	g->waiting = 1;
	TAILQ_INSERT_TAIL(&h->waiting, g, wait_entry);
	if (++h->connections >= h->srv->cfg->http_max_connections &&
	    !h->paused) {
		if (http_guard_make_room(h, g) == -1)
			log_warnx("%d connections open, each streaming or "
			    "being answered: not accepting more until one "
			    "closes", h->connections);
		h->paused = 1;
		http_accepting_set(h, 0);
	}
	if (evbuffer_add_cb(bufferevent_get_output(bev),
	    http_guard_output_added, g) == NULL) {
		bufferevent_free(bev);		/* http_guard_free cleans up */
		return NULL;
	}
	return bev;
}
