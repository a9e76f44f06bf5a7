/* bare_evhttp: the anchor for the HTTP edge's figures.  A bare libevent
 * evhttp server answering every GET, whatever its path, with the same
 * bytes: the body read from a file once at start, as
 * "application/json; charset=utf-8".  No store, no routing, no sign-in,
 * no filter: what evhttp alone costs, so that idtsd's answer to the same
 * request can be set beside it as a ratio in the same run.  Its listening
 * socket has TCP_NODELAY, which Linux hands on to each connection, as
 * idtsd's has: without it an answer of more than a segment waits for the
 * client's delayed ACK (40 ms), and the anchor would measure that.
 *
 *	bare_evhttp -p PORT -f BODYFILE
 *
 * It serves until SIGTERM or SIGINT.
 * Build: cc -std=c11 -O2 bare_evhttp.c $(pkg-config --libs libevent). */
#define _POSIX_C_SOURCE 200809L

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

static char	*bare_body;
static size_t	 bare_len;

/* Every request: the same body. */
static void
bare_answer(struct evhttp_request *req, void *arg)
{
	struct evbuffer	*out = evhttp_request_get_output_buffer(req);

	(void)arg;
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "application/json; charset=utf-8");
	evbuffer_add(out, bare_body, bare_len);
	evhttp_send_reply(req, 200, "OK", NULL);
}

/* SIGTERM or SIGINT: stop serving. */
static void
bare_stop(evutil_socket_t sig, short what, void *arg)
{
	(void)sig;
	(void)what;
	event_base_loopbreak(arg);
}

/* The whole of a file, or exit 1. */
static void
bare_read(const char *path)
{
	FILE	*f = fopen(path, "rb");
	size_t	 cap = 1 << 16, n;

	if (f == NULL || (bare_body = malloc(cap)) == NULL) {
		perror(path);
		exit(1);
	}
	while ((n = fread(bare_body + bare_len, 1, cap - bare_len, f)) > 0) {
		bare_len += n;
		if (bare_len == cap &&
		    (bare_body = realloc(bare_body, cap *= 2)) == NULL) {
			perror("realloc");
			exit(1);
		}
	}
	fclose(f);
}

int
main(int argc, char *argv[])
{
	struct event_base	*base;
	struct evhttp		*http;
	struct evhttp_bound_socket *bound;
	struct event		*term, *intr;
	int			 c, port = 0, one = 1;
	const char		*file = NULL;

	while ((c = getopt(argc, argv, "p:f:")) != -1) {
		switch (c) {
		case 'p':
			port = atoi(optarg);
			break;
		case 'f':
			file = optarg;
			break;
		default:
			port = 0;
			break;
		}
	}
	if (port <= 0 || file == NULL) {
		fprintf(stderr, "usage: bare_evhttp -p port -f bodyfile\n");
		return 2;
	}
	bare_read(file);
	if ((base = event_base_new()) == NULL ||
	    (http = evhttp_new(base)) == NULL)
		return 1;
	evhttp_set_gencb(http, bare_answer, NULL);
	if ((bound = evhttp_bind_socket_with_handle(http, "127.0.0.1",
	    (ev_uint16_t)port)) == NULL) {
		fprintf(stderr, "bare_evhttp: cannot listen on port %d\n",
		    port);
		return 3;
	}
	setsockopt(evhttp_bound_socket_get_fd(bound), IPPROTO_TCP,
	    TCP_NODELAY, &one, sizeof one);
	term = evsignal_new(base, SIGTERM, bare_stop, base);
	intr = evsignal_new(base, SIGINT, bare_stop, base);
	evsignal_add(term, NULL);
	evsignal_add(intr, NULL);
	event_base_dispatch(base);
	event_free(term);
	event_free(intr);
	evhttp_free(http);
	event_base_free(base);
	free(bare_body);
	return 0;
}
