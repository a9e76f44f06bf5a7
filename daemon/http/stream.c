/* The alert stream.  The store is the only truth: every event has a
 * position (alert_events.seq), each open stream remembers the last it was
 * sent, and publishing after a commit sends each stream what lies between.
 * A terminal that reconnects with Last-Event-ID gets everything after it,
 * from the store, so nothing is missed across a restart either.
 *
 * Streams are capped in number.  One whose client stops reading is closed
 * once its unsent output passes a high watermark; it can resume.  Idle
 * streams get a comment line as a heartbeat so proxies and terminals know
 * the connection lives.  evhttp frees a streaming request when its
 * connection closes; the close callback is where we forget it.
 *
 * An event that cannot be read or written out whole (the store failed,
 * memory ran out) is never skipped: the streams that have not had it are
 * closed at the last event they had, and resume from there. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "alert.h"
#include "api.h"
#include "json_alloc.h"
#include "json_out.h"
#include "log.h"
#include "request.h"
#include "server.h"
#include "staff.h"
#include "store.h"
#include "stream.h"

#define STREAM_REPLAY_PAGE	500

/* The kernel's send buffer for a stream, fixed rather than auto-tuned up
 * to megabytes, so a client that stops reading is noticed in user space
 * (streams.max_buffer_bytes) within this much. */
#define STREAM_SOCKET_BUFFER	(64 * 1024)

struct stream {
	struct server			*srv;
	struct evhttp_request		*req;
	struct evhttp_connection	*evcon;
	int64_t				 pos;	/* last event sent */
	char				 token_hash[65];	/* whose */
	LIST_ENTRY(stream)		 entry;
};

struct streams {
	LIST_HEAD(, stream)	 list;
	int			 count;
	struct event		*heartbeat;
	int64_t			 published;	/* last event published */
	int			 fanned;	/* events in the last page */
};

/* Bytes written to a stream and not yet taken by the kernel. */
static size_t
stream_backlog(const struct stream *st)
{
	struct bufferevent	*bev = evhttp_connection_get_bufferevent(
				    st->evcon);
	struct bufferevent	*under = bufferevent_get_underlying(bev);
	size_t			 n = evbuffer_get_length(
				    bufferevent_get_output(bev));

	if (under != NULL)
		n += evbuffer_get_length(bufferevent_get_output(under));
	return n;
}

/* Fix the kernel send buffer of a stream's socket. */
static void
stream_limit_socket(struct stream *st)
{
	struct bufferevent	*bev = evhttp_connection_get_bufferevent(
				    st->evcon);
	evutil_socket_t		 fd = bufferevent_getfd(bev);
	int			 size = STREAM_SOCKET_BUFFER;

	if (fd != -1 && setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size,
	    sizeof size) == -1)
		log_warn("alert stream: SO_SNDBUF");
}

/* Send a chunk to one stream; -1 if it could not be queued. */
static int
stream_send(struct stream *st, const char *text, size_t len)
{
	struct evbuffer	*buf = evbuffer_new();
	int		 rc = -1;

	if (buf != NULL && evbuffer_add(buf, text, len) == 0) {
		evhttp_send_reply_chunk(st->req, buf);
		rc = 0;
	}
	if (buf != NULL)
		evbuffer_free(buf);
	return rc;
}

/* The connection closed (or was closed by us): forget the stream.  When
 * the client went away, evhttp has already detached the unfinished
 * request and left it to us to free; when we or evhttp_free close the
 * connection, the request is still on it and evhttp frees it. */
static void
stream_closed(struct evhttp_connection *evcon, void *arg)
{
	struct stream	*st = arg;

	(void)evcon;
	if (evhttp_request_get_connection(st->req) == NULL)
		evhttp_request_free(st->req);
	LIST_REMOVE(st, entry);
	st->srv->streams->count--;
	log_debug("alert stream closed at event %lld", (long long)st->pos);
	free(st);
}

/* Drop a stream whose client has stopped reading. */
static void
stream_drop(struct stream *st)
{
	log_warnx("alert stream too far behind (%zu bytes unsent): "
	    "disconnecting; it can resume from event %lld", stream_backlog(st),
	    (long long)st->pos);
	evhttp_connection_free(st->evcon);	/* calls stream_closed */
}

/* Close a stream that cannot be sent the event after its position now;
 * its client reconnects with Last-Event-ID and is sent it then. */
static void
stream_cut(struct stream *st)
{
	log_warnx("alert stream: cannot send the next event now: "
	    "disconnecting; it can resume from event %lld",
	    (long long)st->pos);
	evhttp_connection_free(st->evcon);	/* calls stream_closed */
}

/* One event as SSE text: id, event name and the alert as JSON.  NULL
 * if memory ran out (jansson leaves out an optional member it cannot
 * copy: json_alloc.c, so that counts too); NULL with *bad set if the
 * stored alert cannot be JSON at all (text that is not UTF-8), which no
 * retry would mend. */
static char *
stream_format(int64_t seq, const char *event, const struct alert *a,
    size_t *len, int *bad)
{
	unsigned long	 failures = json_alloc_failures();
	json_t		*j = api_alert_json(a);
	char		*data, *text = NULL;
	int		 n;

	*bad = j == NULL && json_alloc_failures() == failures;
	data = j != NULL ? json_out_text(j, JSON_ANSWER_FLAGS) : NULL;
	json_decref(j);
	if (*bad)
		log_warnx("alert stream: event %lld (alert %s) cannot be "
		    "written as JSON; skipped", (long long)seq, a->id);
	if (data == NULL || json_alloc_failures() != failures) {
		if (!*bad)
			log_warnx("alert stream: out of memory formatting "
			    "event %lld", (long long)seq);
		free(data);
		return NULL;
	}
	n = asprintf(&text, "id: %lld\nevent: %s\ndata: %s\n\n",
	    (long long)seq, event, data);
	free(data);
	if (n < 0)
		return NULL;
	*len = (size_t)n;
	return text;
}

/* Replay to one new stream, page by page. */
struct stream_replay {
	struct stream	*st;
	int		 sent;
	int		 failed;	/* an event could not be sent */
};

static void
stream_replay_one(int64_t seq, const char *event, const struct alert *a,
    void *arg)
{
	struct stream_replay	*r = arg;
	char			*text;
	size_t			 len;
	int			 bad;

	if (r->failed)
		return;
	/* An event that cannot be JSON is skipped, as in fanout. */
	text = stream_format(seq, event, a, &len, &bad);
	if (text != NULL ? stream_send(r->st, text, len) == -1 : !bad)
		r->failed = 1;
	free(text);
	if (r->failed)
		return;
	r->st->pos = seq;
	r->sent++;
}

/* The id of the event a client resumes after, from Last-Event-ID or
 * ?last_event_id=: decimal digits, as stream_format() writes ids, that
 * fit in 64 bits.  0 with *after set, or -1 if it is not one.  strtoll()
 * alone is not enough (found by tests/fuzz/fuzz_sse_resume): it takes
 * leading spaces and a sign, and turns an id too large into LLONG_MAX,
 * which made a stream that never sent another event. */
int
stream_parse_event_id(const char *text, int64_t *after)
{
	char		*end;
	long long	 n;

	if (text[0] == '\0' || strspn(text, "0123456789") != strlen(text))
		return -1;
	errno = 0;
	n = strtoll(text, &end, 10);
	if (errno == ERANGE || *end != '\0')
		return -1;
	*after = n;
	return 0;
}

/* Start a stream on req, first sending every event after `after` (from
 * the current end when it is negative). */
int
stream_open(struct server *srv, struct evhttp_request *req, int64_t after,
    const char *token_hash)
{
	struct streams		*ss = srv->streams;
	struct stream		*st;
	struct stream_replay	 r;
	struct evkeyvalq	*h = evhttp_request_get_output_headers(req);
	char			 idline[32];
	int			 n;

	if (ss->count >= srv->cfg->stream_max || (st = calloc(1, sizeof *st))
	    == NULL)
		return -1;
	st->srv = srv;
	st->req = req;
	st->evcon = evhttp_request_get_connection(req);
	st->pos = after < 0 ? ss->published : after;
	snprintf(st->token_hash, sizeof st->token_hash, "%s", token_hash);
	evhttp_add_header(h, "Content-Type", "text/event-stream");
	evhttp_add_header(h, "Cache-Control", "no-store");
	evhttp_send_reply_start(req, 200, "OK");
	stream_send(st, ": idtsd alert stream\n\n", 22);
	/* An id with no data is no event, but it tells the client where it
	 * stands, so a reconnect before any event still misses nothing. */
	if ((n = snprintf(idline, sizeof idline, "id: %lld\n\n",
	    (long long)st->pos)) > 0)
		stream_send(st, idline, (size_t)n);
	LIST_INSERT_HEAD(&ss->list, st, entry);
	ss->count++;
	evhttp_connection_set_closecb(st->evcon, stream_closed, st);
	stream_limit_socket(st);

	do {
		r.st = st;
		r.sent = 0;
		r.failed = 0;
		if (store_begin(srv->store, 0) != STORE_OK) {
			stream_cut(st);
			return 0;
		}
		if (store_alert_events_after(srv->store, st->pos,
		    STREAM_REPLAY_PAGE, stream_replay_one, &r) != STORE_OK)
			r.failed = 1;
		store_rollback(srv->store);
		if (r.failed) {
			stream_cut(st);
			return 0;
		}
		if (stream_backlog(st) > (size_t)srv->cfg->stream_max_buffer_bytes) {
			stream_drop(st);
			return 0;
		}
	} while (r.sent == STREAM_REPLAY_PAGE);
	return 0;
}

/* Send one published event to every stream that has not had it. */
static void
stream_fanout_one(int64_t seq, const char *event, const struct alert *a,
    void *arg)
{
	struct streams	*ss = arg;
	struct stream	*st, *next;
	char		*text;
	size_t		 len;
	int		 bad;

	ss->fanned++;
	text = stream_format(seq, event, a, &len, &bad);
	for (st = LIST_FIRST(&ss->list); st != NULL; st = next) {
		next = LIST_NEXT(st, entry);
		if (st->pos >= seq)
			continue;
		if (text == NULL && bad)
			st->pos = seq;
		else if (text == NULL || stream_send(st, text, len) == -1)
			stream_cut(st);
		else
			st->pos = seq;
	}
	free(text);
	ss->published = seq;
}

/* After a commit: send every stream the events it has not had, then drop
 * those too far behind. */
void
stream_publish(struct server *srv)
{
	struct streams	*ss = srv->streams;
	struct stream	*st, *next;
	size_t		 max = (size_t)srv->cfg->stream_max_buffer_bytes;

	if (ss == NULL)
		return;
	do {
		ss->fanned = 0;
		if (store_begin(srv->store, 0) != STORE_OK)
			return;
		store_alert_events_after(srv->store, ss->published,
		    STREAM_REPLAY_PAGE, stream_fanout_one, ss);
		store_rollback(srv->store);
	} while (ss->fanned == STREAM_REPLAY_PAGE);
	for (st = LIST_FIRST(&ss->list); st != NULL; st = next) {
		next = LIST_NEXT(st, entry);
		if (stream_backlog(st) > max)
			stream_drop(st);
	}
}

/* Whether the session a stream was opened with still holds: signed out,
 * expired or deactivated ends the stream.  A connected stream counts as
 * use, so it slides the idle expiry like any request (at most once a
 * minute). */
static int
stream_session_holds(struct server *srv, struct stream *st, int64_t now)
{
	char		 staff_id[UUID_STR_LEN];
	struct staff	 who;
	int64_t		 expires_at, idle;

	idle = (int64_t)srv->cfg->session_idle_minutes * 60000;
	if (store_session_lookup(srv->store, st->token_hash, staff_id,
	    &expires_at) != STORE_OK || expires_at <= now ||
	    store_staff_by_id(srv->store, staff_id, &who) != STORE_OK ||
	    !who.active)
		return 0;
	if (now + idle - expires_at >= 60000)
		store_session_extend(srv->store, st->token_hash, now + idle);
	return 1;
}

/* Every few seconds: a comment line on every stream, and an end to those
 * whose session ended or whose client stopped reading. */
static void
stream_heartbeat(evutil_socket_t fd, short what, void *arg)
{
	struct server	*srv = arg;
	struct stream	*st, *next;
	int64_t		 now = clock_now(&srv->clock);
	int		 tx;

	(void)fd;
	(void)what;
	tx = store_begin(srv->store, 1) == STORE_OK;
	for (st = LIST_FIRST(&srv->streams->list); st != NULL; st = next) {
		next = LIST_NEXT(st, entry);
		if (tx && !stream_session_holds(srv, st, now)) {
			log_info("alert stream closed: its session ended");
			evhttp_connection_free(st->evcon);
			continue;
		}
		stream_send(st, ": heartbeat\n\n", 13);
		if (stream_backlog(st) >
		    (size_t)srv->cfg->stream_max_buffer_bytes)
			stream_drop(st);
	}
	if (tx && store_commit(srv->store) != STORE_OK)
		log_warnx("alert streams: could not extend their sessions");
}

int
stream_init(struct server *srv)
{
	struct streams	*ss;
	struct timeval	 tv = { srv->cfg->stream_heartbeat_seconds, 0 };

	if ((ss = calloc(1, sizeof *ss)) == NULL)
		return -1;
	LIST_INIT(&ss->list);
	srv->streams = ss;
	if (store_alert_last_seq(srv->store, &ss->published) != STORE_OK)
		return -1;
	ss->heartbeat = event_new(srv->base, -1, EV_PERSIST, stream_heartbeat,
	    srv);
	if (ss->heartbeat == NULL || event_add(ss->heartbeat, &tv) == -1)
		return -1;
	return 0;
}

/* How many alert streams are open, for the metrics. */
int
stream_count(const struct server *srv)
{
	return srv->streams != NULL ? srv->streams->count : 0;
}

/* After the HTTP edge is freed (which closed every stream). */
void
stream_free(struct server *srv)
{
	struct streams	*ss = srv->streams;

	if (ss == NULL)
		return;
	if (ss->heartbeat != NULL)
		event_free(ss->heartbeat);
	free(ss);
	srv->streams = NULL;
}
