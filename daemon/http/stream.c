/* The alert stream.  The store is the only truth: every event has a
 * position (alert_events.seq), each open stream remembers the last it was
 * sent, and publishing after a commit sends each stream what lies between.
 * A terminal that reconnects with Last-Event-ID gets everything after it,
 * from the store, so nothing is missed across a restart either.
 *
 * Streams are capped in number, and per person and per terminal: a
 * person's or terminal's oldest stream is closed to make room for their
 * new one, so that one account cannot take every stream (issue 16).  Each
 * is sent only the alerts its person's roles read (alert_may_read()).  An
 * open stream does not keep its session alive: one whose session has
 * expired, was signed out or ended is closed.  One whose client stops
 * reading is closed once its unsent output passes a high watermark; it
 * can resume.  Idle streams get a comment line as a heartbeat so proxies
 * and terminals know the connection lives.  evhttp frees a streaming
 * request when its connection closes; the close callback is where we
 * forget it.
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

static void	stream_check_sessions(struct server *, int64_t, int);

/* The kernel's send buffer for a stream, fixed rather than auto-tuned up
 * to megabytes, so a client that stops reading is noticed in user space
 * (streams.max_buffer_bytes) within this much. */
#define STREAM_SOCKET_BUFFER	(64 * 1024)

struct stream {
	struct server			*srv;
	struct evhttp_request		*req;
	struct evhttp_connection	*evcon;
	int64_t				 pos;	/* last event sent */
	int64_t				 opened;	/* the nth opened */
	char				 token_hash[65];	/* whose */
	char				 staff_id[UUID_STR_LEN];
	char				 terminal_id[UUID_STR_LEN]; /* or "" */
	unsigned			 roles;	/* the alerts it is sent */
	int64_t				 expires_at;	/* its session's */
	unsigned			 looked;	/* in this check */
	LIST_ENTRY(stream)		 entry;
};

struct streams {
	LIST_HEAD(, stream)	 list;
	int			 count;
	struct event		*heartbeat;
	int64_t			 published;	/* last event published */
	int			 fanned;	/* events in the last page */
	int64_t			 opened;	/* streams opened so far */
	unsigned		 checks;	/* of the sessions, so far */
};

/* Write what a stream was given in this turn of the loop now: the
 * connection guard writes a stream's output once a turn otherwise, so
 * that a fan-out to many streams is one write each. */
static void
stream_flush(const struct stream *st)
{
	bufferevent_flush(evhttp_connection_get_bufferevent(st->evcon),
	    EV_WRITE, BEV_FLUSH);
}

/* Bytes written to a stream and not yet taken by the kernel. */
static size_t
stream_backlog(const struct stream *st)
{
	struct bufferevent	*bev = evhttp_connection_get_bufferevent(
				    st->evcon);
	struct bufferevent	*under = bufferevent_get_underlying(bev);
	size_t			 n;

	stream_flush(st);
	n = evbuffer_get_length(bufferevent_get_output(bev));

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

/* End a stream whose session is over, or which a newer one replaces. */
static void
stream_end(struct stream *st, const char *why)
{
	log_info("alert stream closed: %s", why);
	evhttp_connection_free(st->evcon);	/* calls stream_closed */
}

/* Whether a stream's person reads this alert. */
static int
stream_reads(const struct stream *st, const struct alert *a)
{
	return alert_may_read(a, st->roles);
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
	if (!stream_reads(r->st, a)) {
		r->st->pos = seq;
		r->sent++;
		return;
	}
	/* An event that cannot be JSON is skipped, as in fanout. */
	text = stream_format(seq, event, a, &len, &bad);
	if (text != NULL ? stream_send(r->st, text, len) == -1 : !bad)
		r->failed = 1;
	free(text);
	if (r->failed)
		return;
	/* Written as it goes, so that a reader that keeps up takes a page
	 * in while it is read (at once, it could be more than
	 * streams.max_buffer_bytes). */
	stream_flush(r->st);
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

/* Who a new stream is for: its session's person, their roles, the
 * terminal the session was opened on and when it expires.  -1 if the
 * session or its person is no longer there. */
static int
stream_identify(struct server *srv, struct stream *st)
{
	struct staff	who;
	char		source[STORE_SOURCE_LEN];
	int		rc = -1;

	if (store_begin(srv->store, 0) != STORE_OK)
		return -1;
	if (store_session_lookup(srv->store, st->token_hash, st->staff_id,
	    &st->expires_at) == STORE_OK &&
	    store_session_place(srv->store, st->token_hash, st->terminal_id,
	    source) == STORE_OK &&
	    store_staff_by_id(srv->store, st->staff_id, &who) == STORE_OK &&
	    who.active) {
		st->roles = who.roles;
		rc = 0;
	}
	store_rollback(srv->store);
	return rc;
}

/* The oldest open stream of a person (terminal NULL) or of a terminal,
 * and in *n how many they have. */
static struct stream *
stream_oldest(struct streams *ss, const char *staff_id,
    const char *terminal_id, int *n)
{
	struct stream	*st, *oldest = NULL;

	*n = 0;
	LIST_FOREACH(st, &ss->list, entry) {
		if (strcmp(terminal_id != NULL ? st->terminal_id :
		    st->staff_id, terminal_id != NULL ? terminal_id :
		    staff_id) != 0)
			continue;
		(*n)++;
		if (oldest == NULL || st->opened < oldest->opened)
			oldest = st;
	}
	return oldest;
}

/* Make room for a new stream within its person's and its terminal's
 * caps (streams.per_person, streams.per_terminal) by closing their
 * oldest: a terminal reconnecting is never refused for its own streams
 * that have not noticed yet that they are dead, and one person's streams
 * cannot crowd out everyone else's. */
static void
stream_make_room(struct server *srv, const struct stream *st)
{
	struct stream	*old;
	int		 n;

	while ((old = stream_oldest(srv->streams, st->staff_id, NULL, &n)) !=
	    NULL && n >= srv->cfg->stream_per_person)
		stream_end(old, "its person opened a newer one");
	while (st->terminal_id[0] != '\0' && (old = stream_oldest(srv->streams,
	    NULL, st->terminal_id, &n)) != NULL &&
	    n >= srv->cfg->stream_per_terminal)
		stream_end(old, "its terminal opened a newer one");
}

/* Answer 200 and the stream's first lines, and keep it. */
static void
stream_start(struct server *srv, struct stream *st)
{
	struct evkeyvalq	*h = evhttp_request_get_output_headers(
				    st->req);
	char			 idline[32];
	int			 n;

	evhttp_add_header(h, "Content-Type", "text/event-stream");
	evhttp_add_header(h, "Cache-Control", "no-store");
	evhttp_send_reply_start(st->req, 200, "OK");
	stream_send(st, ": idtsd alert stream\n\n", 22);
	/* An id with no data is no event, but it tells the client where it
	 * stands, so a reconnect before any event still misses nothing. */
	if ((n = snprintf(idline, sizeof idline, "id: %lld\n\n",
	    (long long)st->pos)) > 0)
		stream_send(st, idline, (size_t)n);
	st->opened = ++srv->streams->opened;
	LIST_INSERT_HEAD(&srv->streams->list, st, entry);
	srv->streams->count++;
	evhttp_connection_set_closecb(st->evcon, stream_closed, st);
	stream_limit_socket(st);
}

/* Start a stream on req, first sending every event after `after` (from
 * the current end when it is negative); -1 if there is no room (or its
 * session has gone meanwhile). */
int
stream_open(struct server *srv, struct evhttp_request *req, int64_t after,
    const char *token_hash)
{
	struct streams		*ss = srv->streams;
	struct stream		*st;
	struct stream_replay	 r;

	if ((st = calloc(1, sizeof *st)) == NULL)
		return -1;
	snprintf(st->token_hash, sizeof st->token_hash, "%s", token_hash);
	if (stream_identify(srv, st) == -1) {
		free(st);
		return -1;
	}
	stream_make_room(srv, st);
	if (ss->count >= srv->cfg->stream_max) {
		free(st);
		return -1;
	}
	st->srv = srv;
	st->req = req;
	st->evcon = evhttp_request_get_connection(req);
	st->pos = after < 0 ? ss->published : after;
	stream_start(srv, st);

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
		if ((text == NULL && bad) || !stream_reads(st, a))
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
	stream_check_sessions(srv, clock_now(&srv->clock), 0);
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
 * expired or deactivated ends the stream.  The stream does not count as
 * use: only requests slide the idle expiry.  Its roles are read again,
 * so a change of roles changes which alerts it is sent. */
static int
stream_session_holds(struct server *srv, struct stream *st, int64_t now)
{
	char		 staff_id[UUID_STR_LEN];
	struct staff	 who;

	if (store_session_lookup(srv->store, st->token_hash, staff_id,
	    &st->expires_at) != STORE_OK || st->expires_at <= now ||
	    store_staff_by_id(srv->store, staff_id, &who) != STORE_OK ||
	    !who.active)
		return 0;
	st->roles = who.roles;
	return 1;
}

/* A session found to hold: the streams after st opened with it are as
 * it is, and need no look of their own in this check.  A thousand
 * streams of ten people, whose sessions came due together, cost two
 * thousand queries in the middle of a fan-out. */
static void
stream_session_share(const struct stream *st, unsigned check)
{
	struct stream	*o;

	for (o = LIST_NEXT(st, entry); o != NULL; o = LIST_NEXT(o, entry))
		if (strcmp(o->token_hash, st->token_hash) == 0) {
			o->expires_at = st->expires_at;
			o->roles = st->roles;
			o->looked = check;
		}
}

/* End the streams whose session has ended: every stream's looked at
 * (all), or only those whose session's expiry has come since it was
 * last looked at. */
static void
stream_check_sessions(struct server *srv, int64_t now, int all)
{
	struct stream	*st, *next;
	unsigned	 check = ++srv->streams->checks;
	int		 tx = 0;

	for (st = LIST_FIRST(&srv->streams->list); st != NULL; st = next) {
		next = LIST_NEXT(st, entry);
		if ((!all && st->expires_at > now) || st->looked == check)
			continue;
		if (!tx && store_begin(srv->store, 0) != STORE_OK)
			return;
		tx = 1;
		if (!stream_session_holds(srv, st, now))
			stream_end(st, "its session ended");
		else
			stream_session_share(st, check);
	}
	if (tx)
		store_rollback(srv->store);
}

/* A session signed out: its streams end with it. */
void
stream_end_session(struct server *srv, const char *token_hash)
{
	struct stream	*st, *next;

	if (srv->streams == NULL)
		return;
	for (st = LIST_FIRST(&srv->streams->list); st != NULL; st = next) {
		next = LIST_NEXT(st, entry);
		if (strcmp(st->token_hash, token_hash) == 0)
			stream_end(st, "its session was signed out");
	}
}

/* Every few seconds: a comment line on every stream, and an end to those
 * whose session ended or whose client stopped reading. */
static void
stream_heartbeat(evutil_socket_t fd, short what, void *arg)
{
	struct server	*srv = arg;
	struct stream	*st, *next;

	(void)fd;
	(void)what;
	stream_check_sessions(srv, clock_now(&srv->clock), 1);
	for (st = LIST_FIRST(&srv->streams->list); st != NULL; st = next) {
		next = LIST_NEXT(st, entry);
		stream_send(st, ": heartbeat\n\n", 13);
		if (stream_backlog(st) >
		    (size_t)srv->cfg->stream_max_buffer_bytes)
			stream_drop(st);
	}
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
