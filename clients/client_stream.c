/* Following a server-sent event stream: events are parsed as they arrive
 * and handed to a callback; when the connection drops, it reconnects with
 * Last-Event-ID after a pause, so nothing is missed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "client.h"

struct client_stream {
	struct client		*c;
	client_event_cb		 cb;
	void			*arg;
	struct evbuffer		*pending;	/* text not yet a whole event */
	char			 last_id[32];
	int			 status;
	int			 done;
	int			 stop;		/* the callback asked to stop */
};

/* Dispatch one event block: "id: N", "event: NAME", "data: ..." lines. */
static void
client_stream_event(struct client_stream *s, char *block)
{
	char	*line, *save, *id = NULL, *event = "message", *data = NULL;

	for (line = strtok_r(block, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "id: ", 4) == 0)
			id = line + 4;
		else if (strncmp(line, "event: ", 7) == 0)
			event = line + 7;
		else if (strncmp(line, "data: ", 6) == 0)
			data = line + 6;
	}
	if (id != NULL)		/* even without data: where we stand */
		snprintf(s->last_id, sizeof s->last_id, "%s", id);
	if (data == NULL)
		return;		/* a comment, or only an id */
	if (s->cb(id, event, data, s->arg) != 0)
		s->stop = 1;
}

/* A chunk arrived: cut it into events at blank lines. */
static void
client_stream_chunk(struct evhttp_request *req, void *arg)
{
	struct client_stream	*s = arg;
	struct evbuffer_ptr	 end;
	char			*block;
	size_t			 len;

	s->status = evhttp_request_get_response_code(req);
	evbuffer_add_buffer(s->pending, evhttp_request_get_input_buffer(req));
	while (!s->stop) {
		end = evbuffer_search(s->pending, "\n\n", 2, NULL);
		if (end.pos == -1)
			break;
		len = (size_t)end.pos + 2;
		if ((block = malloc(len + 1)) == NULL)
			break;
		evbuffer_remove(s->pending, block, len);
		block[len] = '\0';
		client_stream_event(s, block);
		free(block);
	}
	if (s->stop)
		event_base_loopbreak(s->c->base);
}

static void
client_stream_done(struct evhttp_request *req, void *arg)
{
	struct client_stream	*s = arg;

	if (req != NULL && evhttp_request_get_response_code(req) != 0)
		s->status = evhttp_request_get_response_code(req);
	s->done = 1;
}

/* Follow path until the callback returns non-zero or the daemon refuses
 * (401, 403, 404): returns that status, or 0 when stopped by the
 * callback.  after is the Last-Event-ID to start from ("" for none). */
int
client_follow(struct client *c, const char *path, const char *after,
    client_event_cb cb, void *arg, void (*on_disconnect)(void *))
{
	struct client_stream		 s;
	struct evhttp_connection	*conn;
	struct evhttp_request		*req;
	struct evkeyvalq		*h;
	char				 auth[128], full[512];

	memset(&s, 0, sizeof s);
	s.c = c;
	s.cb = cb;
	s.arg = arg;
	snprintf(s.last_id, sizeof s.last_id, "%s", after);
	snprintf(full, sizeof full, "/v1%s", path);
	if ((s.pending = evbuffer_new()) == NULL)
		return -1;
	for (;;) {
		s.done = 0;
		s.status = 0;
		evbuffer_drain(s.pending, evbuffer_get_length(s.pending));
		if ((conn = client_connection(c)) == NULL)
			break;
		req = evhttp_request_new(client_stream_done, &s);
		evhttp_request_set_chunked_cb(req, client_stream_chunk);
		h = evhttp_request_get_output_headers(req);
		evhttp_add_header(h, "Host", c->host);
		evhttp_add_header(h, "Accept", "text/event-stream");
		snprintf(auth, sizeof auth, "Bearer %s", c->token);
		evhttp_add_header(h, "Authorization", auth);
		if (s.last_id[0] != '\0')
			evhttp_add_header(h, "Last-Event-ID", s.last_id);
		if (evhttp_make_request(conn, req, EVHTTP_REQ_GET, full) == 0)
			while (!s.done && !s.stop)
				if (event_base_loop(c->base, EVLOOP_ONCE) == -1)
					break;
		evhttp_connection_free(conn);
		if (s.stop || s.status == 401 || s.status == 403 ||
		    s.status == 404 || s.status == 400)
			break;
		if (on_disconnect != NULL)
			on_disconnect(arg);
		sleep(2);
	}
	evbuffer_free(s.pending);
	return s.stop ? 0 : s.status;
}
