/* Following a server-sent event stream: events are parsed as they arrive
 * and handed to a callback; when the connection drops, it reconnects with
 * Last-Event-ID after a pause, so nothing is missed.
 *
 * client_follow runs its own loop until told to stop, for a command line;
 * client_stream_start follows from the caller's event loop, for a
 * full-screen terminal that must go on reading keys meanwhile. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "client.h"

/* The longest a followed stream may say nothing: the daemon sends a
 * heartbeat every streams.heartbeat_seconds (15 by default), so a
 * connection silent for this long is dead even if no error said so. */
#define CLIENT_STREAM_IDLE_SECONDS	60

/* The longest wait between tries: 1, 2, 4, 8, 16, then 30 seconds while
 * the daemon stays away or refuses with 503 (too many streams), so that
 * terminals do not hammer a daemon in trouble, and never give up. */
#define CLIENT_STREAM_BACKOFF_MAX	30

/* The most text kept waiting for the end of an event: the daemon's are
 * a few hundred bytes, so more means the stream is not what it should
 * be, and it is dropped and followed again. */
#define CLIENT_SSE_PENDING_MAX		(1024 * 1024)

/* The text of a stream as it arrives, cut into events. */
struct client_sse {
	struct evbuffer		*pending;	/* text not yet a whole event */
	char			 last_id[32];
	client_event_cb		 cb;
	void			*arg;
	int			 stop;		/* the callback asked to stop */
	int			 cr;		/* the last character a CR */
};

/* Dispatch one event block, as the server-sent events specification
 * reads it: "field: value" lines ("id", "event", "data"; the space
 * after the colon is optional), several data lines joined by "\n",
 * lines beginning with a colon comments.  The last id moves on only
 * once the callback has taken the event, so one it refuses (to stop)
 * is the first a resumed stream sends again. */
static void
client_sse_event(struct client_sse *sse, char *block)
{
	char	*line, *save, *value, *id = NULL, *event = "message", *data;
	size_t	 len = strlen(block), used = 0;
	int	 has_data = 0;

	if ((data = malloc(len + 1)) == NULL)
		return;
	for (line = strtok_r(block, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == ':')
			continue;
		if ((value = strchr(line, ':')) != NULL) {
			*value++ = '\0';
			if (*value == ' ')
				value++;
		} else
			value = line + strlen(line);
		if (strcmp(line, "id") == 0)
			id = value;
		else if (strcmp(line, "event") == 0)
			event = *value != '\0' ? value : "message";
		else if (strcmp(line, "data") == 0) {
			if (has_data)
				data[used++] = '\n';
			memcpy(data + used, value, strlen(value));
			used += strlen(value);
			has_data = 1;
		}
	}
	data[used] = '\0';
	if (!has_data) {	/* a comment, or only an id: where we stand */
		if (id != NULL)
			snprintf(sse->last_id, sizeof sse->last_id, "%s", id);
	} else if (sse->cb(id, event, data, sse->arg) != 0)
		sse->stop = 1;
	else if (id != NULL)
		snprintf(sse->last_id, sizeof sse->last_id, "%s", id);
	free(data);
}

/* Take what arrived, every line end (CRLF, CR or LF) made "\n", and
 * hand on each whole event, cut at blank lines.  -1 if more text waits
 * than any event should take. */
static int
client_sse_feed(struct client_sse *sse, struct evbuffer *in)
{
	struct evbuffer_ptr	 end;
	char			 buf[4096], *block;
	int			 n, i, o;
	size_t			 len;

	while ((n = evbuffer_remove(in, buf, sizeof buf)) > 0) {
		for (i = o = 0; i < n; i++) {
			if (buf[i] == '\r') {
				buf[o++] = '\n';
				sse->cr = 1;
			} else if (buf[i] == '\n' && sse->cr)
				sse->cr = 0;
			else {
				buf[o++] = buf[i];
				sse->cr = 0;
			}
		}
		evbuffer_add(sse->pending, buf, (size_t)o);
	}
	while (!sse->stop) {
		end = evbuffer_search(sse->pending, "\n\n", 2, NULL);
		if (end.pos == -1)
			break;
		len = (size_t)end.pos + 2;
		if ((block = malloc(len + 1)) == NULL)
			break;
		evbuffer_remove(sse->pending, block, len);
		block[len] = '\0';
		client_sse_event(sse, block);
		free(block);
	}
	return evbuffer_get_length(sse->pending) > CLIENT_SSE_PENDING_MAX ?
	    -1 : 0;
}

/* Start again on a new connection: nothing half read is kept. */
static void
client_sse_reset(struct client_sse *sse)
{
	evbuffer_drain(sse->pending, evbuffer_get_length(sse->pending));
	sse->cr = 0;
}

/* One request for path on conn, resuming after last_id. */
static struct evhttp_request *
client_sse_request(struct client *c, struct evhttp_connection *conn,
    const char *path, const char *last_id,
    void (*done)(struct evhttp_request *, void *),
    void (*chunk)(struct evhttp_request *, void *), void *arg)
{
	struct evhttp_request	*req;
	struct evkeyvalq	*h;
	char			 auth[128];

	if ((req = evhttp_request_new(done, arg)) == NULL)
		return NULL;
	evhttp_request_set_chunked_cb(req, chunk);
	h = evhttp_request_get_output_headers(req);
	evhttp_add_header(h, "Host", c->host);
	evhttp_add_header(h, "Accept", "text/event-stream");
	snprintf(auth, sizeof auth, "Bearer %s", c->token);
	evhttp_add_header(h, "Authorization", auth);
	explicit_bzero(auth, sizeof auth);
	client_terminal_header(c, h);
	if (last_id[0] != '\0')
		evhttp_add_header(h, "Last-Event-ID", last_id);
	if (evhttp_make_request(conn, req, EVHTTP_REQ_GET, path) == -1)
		return NULL;	/* libevent has freed req */
	return req;
}

/* Whether an answer means the daemon will not stream to us at all. */
static int
client_sse_refused(int status)
{
	return status == 400 || status == 401 || status == 403 ||
	    status == 404;
}

/* --- client_follow: a loop of its own ------------------------------------- */

struct client_follow {
	struct client		*c;
	struct client_sse	 sse;
	struct evhttp_request	*req;		/* until done */
	int			 status;
	int			 done;
	int			 overflow;	/* drop it, follow again */
};

/* A chunk arrived: cut it into events. */
static void
client_follow_chunk(struct evhttp_request *req, void *arg)
{
	struct client_follow	*f = arg;

	f->status = evhttp_request_get_response_code(req);
	if (f->overflow)
		return;
	if (client_sse_feed(&f->sse, evhttp_request_get_input_buffer(req)) ==
	    -1)
		f->overflow = 1;
	if (f->sse.stop || f->overflow)
		event_base_loopbreak(f->c->base);
}

static void
client_follow_done(struct evhttp_request *req, void *arg)
{
	struct client_follow	*f = arg;

	client_request_wipe(req);
	f->req = NULL;
	if (req != NULL && evhttp_request_get_response_code(req) != 0)
		f->status = evhttp_request_get_response_code(req);
	f->done = 1;
}

/* Follow path until the callback returns non-zero or the daemon refuses
 * (401, 403, 404): returns that status, or 0 when stopped by the
 * callback.  after is the Last-Event-ID to start from ("" for none). */
int
client_follow(struct client *c, const char *path, const char *after,
    client_event_cb cb, void *arg, void (*on_disconnect)(void *))
{
	struct client_follow		 f;
	struct evhttp_connection	*conn;
	char				 full[512];

	memset(&f, 0, sizeof f);
	f.c = c;
	f.sse.cb = cb;
	f.sse.arg = arg;
	snprintf(f.sse.last_id, sizeof f.sse.last_id, "%s", after);
	snprintf(full, sizeof full, "/v1%s", path);
	if ((f.sse.pending = evbuffer_new()) == NULL)
		return -1;
	for (;;) {
		f.done = 0;
		f.status = 0;
		f.overflow = 0;
		client_sse_reset(&f.sse);
		if ((conn = client_connection(c)) == NULL)
			break;
		if ((f.req = client_sse_request(c, conn, full, f.sse.last_id,
		    client_follow_done, client_follow_chunk, &f)) != NULL)
			while (!f.done && !f.sse.stop && !f.overflow)
				if (event_base_loop(c->base, EVLOOP_ONCE) == -1)
					break;
		client_request_wipe(f.req);
		f.req = NULL;
		evhttp_connection_free(conn);
		if (f.sse.stop || (!f.overflow &&
		    client_sse_refused(f.status)))
			break;
		if (on_disconnect != NULL)
			on_disconnect(arg);
		sleep(2);
	}
	evbuffer_free(f.sse.pending);
	return f.sse.stop ? 0 : f.status;
}

/* --- client_stream: from the caller's loop -------------------------------- */

struct client_stream {
	struct client			*c;
	struct client_sse		 sse;
	client_state_cb			 state_cb;
	char				 path[512];
	struct evhttp_connection	*conn;
	struct evhttp_request		*req;	/* until done */
	struct event			*timer;	/* reconnect, or free */
	int				 connected;	/* this connection */
	int				 gone;	/* this connection dropped */
	int				 backoff;	/* seconds, the next wait */
	int				 waiting;	/* seconds, this wait */
	int				 retry;	/* the timer connects again */
	int				 busy;	/* in the caller's callback */
	int				 dead;	/* stopped: free when not busy */
};

static void	client_stream_connect(struct client_stream *);
static void	client_stream_kill(struct client_stream *);

/* Free what remains of a stopped stream. */
static void
client_stream_free(struct client_stream *s)
{
	client_request_wipe(s->req);
	if (s->conn != NULL)
		evhttp_connection_free(s->conn);
	event_free(s->timer);
	evbuffer_free(s->sse.pending);
	explicit_bzero(s->sse.last_id, sizeof s->sse.last_id);
	free(s);
}

/* Tell the caller; it may stop the stream from the callback, so nothing
 * is freed under its feet until the callback has returned. */
static void
client_stream_tell(struct client_stream *s, int state, int status)
{
	s->busy++;
	s->state_cb(state, status, s->sse.arg);
	s->busy--;
}

/* Run the timer after seconds: evhttp does not let a connection be freed
 * from its own callbacks, so every free and reconnect happens here. */
static void
client_stream_later(struct client_stream *s, int seconds)
{
	struct timeval	tv = { seconds, 0 };

	evtimer_add(s->timer, &tv);
}

static void
client_stream_timer(evutil_socket_t fd, short what, void *arg)
{
	struct client_stream	*s = arg;

	(void)fd;
	(void)what;
	if (s->conn != NULL) {
		client_request_wipe(s->req);
		s->req = NULL;
		evhttp_connection_free(s->conn);
		s->conn = NULL;
	}
	if (s->dead)
		client_stream_free(s);
	else if (s->retry) {
		s->retry = 0;
		client_stream_connect(s);
	}
}

/* The connection is gone (or never came): try again after the backoff,
 * which grows while the daemon stays away. */
static void
client_stream_lost(struct client_stream *s, int status)
{
	s->connected = 0;
	s->gone = 1;
	if (client_sse_refused(status)) {
		client_stream_later(s, 0);	/* only free the connection */
		client_stream_tell(s, CLIENT_STREAM_REFUSED, status);
		return;
	}
	s->retry = 1;
	s->waiting = s->backoff;
	client_stream_later(s, s->backoff);
	if (s->backoff < CLIENT_STREAM_BACKOFF_MAX)
		s->backoff = s->backoff * 2 > CLIENT_STREAM_BACKOFF_MAX ?
		    CLIENT_STREAM_BACKOFF_MAX : s->backoff * 2;
	client_stream_tell(s, CLIENT_STREAM_LOST, status);
}

static void
client_stream_chunk(struct evhttp_request *req, void *arg)
{
	struct client_stream	*s = arg;
	int			 status = evhttp_request_get_response_code(req);
	int			 overflow;

	if (s->dead || s->gone)
		return;
	if (status != 200)
		return;		/* an error's body: done says what it was */
	if (!s->connected) {
		s->connected = 1;
		s->backoff = 1;
		client_stream_tell(s, CLIENT_STREAM_CONNECTED, status);
		if (s->dead)
			return;
	}
	s->busy++;
	overflow = client_sse_feed(&s->sse,
	    evhttp_request_get_input_buffer(req)) == -1;
	s->busy--;
	if (s->sse.stop && !s->dead)
		client_stream_kill(s);
	else if (overflow && !s->dead)
		client_stream_lost(s, 0);	/* its connection goes too */
}

static void
client_stream_done(struct evhttp_request *req, void *arg)
{
	struct client_stream	*s = arg;
	int			 status = 0;

	client_request_wipe(req);
	s->req = NULL;
	if (s->dead || s->gone)
		return;
	if (req != NULL)
		status = evhttp_request_get_response_code(req);
	client_stream_lost(s, status);
}

/* (Re)connect, resuming after the last event seen. */
static void
client_stream_connect(struct client_stream *s)
{
	client_sse_reset(&s->sse);
	s->gone = 0;
	if ((s->conn = client_connection(s->c)) == NULL) {
		client_stream_lost(s, 0);
		return;
	}
	evhttp_connection_set_timeout(s->conn, CLIENT_STREAM_IDLE_SECONDS);
	if ((s->req = client_sse_request(s->c, s->conn, s->path,
	    s->sse.last_id, client_stream_done, client_stream_chunk, s)) ==
	    NULL)
		client_stream_lost(s, 0);
}

/* Follow path from c's event loop, after the event id after ("" for
 * now on).  cb gets each event, state_cb each change of the connection.
 * Returns NULL only if out of memory. */
struct client_stream *
client_stream_start(struct client *c, const char *path, const char *after,
    client_event_cb cb, client_state_cb state_cb, void *arg)
{
	struct client_stream	*s;

	if ((s = calloc(1, sizeof *s)) == NULL)
		return NULL;
	s->c = c;
	s->sse.cb = cb;
	s->sse.arg = arg;
	s->state_cb = state_cb;
	s->backoff = 1;
	snprintf(s->sse.last_id, sizeof s->sse.last_id, "%s", after);
	snprintf(s->path, sizeof s->path, "/v1%s", path);
	s->sse.pending = evbuffer_new();
	s->timer = evtimer_new(c->base, client_stream_timer, s);
	if (s->sse.pending == NULL || s->timer == NULL) {
		if (s->sse.pending != NULL)
			evbuffer_free(s->sse.pending);
		if (s->timer != NULL)
			event_free(s->timer);
		free(s);
		return NULL;
	}
	client_stream_connect(s);
	return s;
}

/* How many seconds a lost stream waits before it tries again (its
 * CLIENT_STREAM_LOST was told as the wait began). */
int
client_stream_retry_seconds(const struct client_stream *s)
{
	return s->waiting;
}

/* The id of the last event seen: where a new stream would resume. */
const char *
client_stream_last_id(const struct client_stream *s)
{
	return s->sse.last_id;
}

/* Stop from inside one of evhttp's callbacks: the connection cannot be
 * freed there, so the timer does it when the loop comes round. */
static void
client_stream_kill(struct client_stream *s)
{
	s->dead = 1;
	s->sse.stop = 1;
	event_del(s->timer);
	client_stream_later(s, 0);
}

/* Stop following.  Safe from the stream's own callbacks too. */
void
client_stream_stop(struct client_stream *s)
{
	if (s == NULL || s->dead)
		return;
	if (s->busy > 0)
		client_stream_kill(s);
	else
		client_stream_free(s);
}
