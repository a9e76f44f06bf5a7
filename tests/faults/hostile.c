/* Hostile clients for hostile.sh (issue 8): what a slowloris, a terminal
 * that never reads its alert stream and a client sending a body far over
 * the limit do to the daemon.  Plain sockets, so nothing in between is
 * polite on their behalf.
 *
 *   hostile load -p PORT -n CONNS [-t SECONDS] [-r MS] [-S STREAMS
 *	-k TOKEN] [-o STATUS]
 *	hold CONNS connections to 127.0.0.1:PORT: half say nothing, half
 *	send a request line and headers one byte every SECONDS (default 5)
 *	and never finish them (slowloris).  One the daemon closes is opened
 *	again after MS milliseconds (default 1000; 0: never), as an
 *	attacker would (but not a stream).  And STREAMS alert streams (GET /v1/alerts/stream
 *	as TOKEN, replayed from the first event, opened half a second
 *	before the rest) with a small receive buffer, which are never
 *	read.  The counts go to STATUS once a
 *	second, and to standard output when stopped (SIGTERM or SIGINT).
 *   hostile body -p PORT [-b BYTES] [-c]
 *	POST a body of BYTES (default 10485760) with its Content-Length
 *	(or chunked, -c) as fast as the daemon takes it, watching for the
 *	answer.  Prints the status, the body bytes sent when the answer
 *	came and when the daemon closed the connection.  Exit 1 unless the
 *	answer is 413 body_too_large and came, with the close, before the
 *	whole body was sent.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>

/* A slowloris's request: a line and headers, then more headers for ever
 * (one byte every few seconds takes hours to reach the header limit). */
static const char slow_head[] =
    "GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    "User-Agent: slowloris\r\n";
static const char slow_more[] = "X-a: b\r\n";

/* The receive buffer of a stream that is never read. */
#define STREAM_RCVBUF	4096

enum conn_kind { CONN_IDLE, CONN_SLOW, CONN_STREAM };

struct conn {
	enum conn_kind	 kind;
	int		 fd;		/* -1 when closed */
	int		 connecting;
	size_t		 sent;		/* bytes of the slowloris text */
	int64_t		 next;		/* ms: next byte, or reconnect */
};

struct counts {
	int		 held;		/* connected now */
	unsigned long	 opened;	/* connects that succeeded */
	unsigned long	 dropped;	/* closed by the daemon */
	unsigned long	 answered;	/* the daemon wrote something */
	unsigned long	 failed;	/* connects that failed */
	unsigned long	 bytes;		/* slowloris bytes sent */
};

static volatile sig_atomic_t	 stopping;
static struct sockaddr_in	 addr;

static void
usage(void)
{
	fprintf(stderr, "usage: hostile load -p PORT -n CONNS [-t SECONDS] "
	    "[-r MS] [-S STREAMS -k TOKEN] [-o STATUS]\n"
	    "       hostile body -p PORT [-b BYTES] [-c]\n");
	exit(2);
}

static void
on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

/* Milliseconds on the monotonic clock. */
static int64_t
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long
number(const char *s, long min, long max)
{
	char	*end;
	long	 n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || n < min || n > max)
		errx(2, "%s: not a number from %ld to %ld", s, min, max);
	return n;
}

/* Start a non-blocking connect; -1 if it failed at once. */
static int
conn_start(struct conn *c)
{
	int	fd, size = STREAM_RCVBUF;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		return -1;
	/* Before connecting, so the window offered is small from the
	 * start. */
	if (c->kind == CONN_STREAM &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size) == -1)
		warn("SO_RCVBUF");
	if (connect(fd, (struct sockaddr *)&addr, sizeof addr) == -1 &&
	    errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	c->fd = fd;
	c->connecting = 1;
	c->sent = 0;
	return 0;
}

/* The connection is gone; open it again after reconnect ms (never if 0). */
static void
conn_lost(struct conn *c, int reconnect, int64_t now)
{
	close(c->fd);
	c->fd = -1;
	c->connecting = 0;
	c->next = reconnect > 0 ? now + reconnect : INT64_MAX;
}

/* The next byte a slowloris sends. */
static char
slow_byte(size_t sent)
{
	size_t	head = sizeof slow_head - 1, more = sizeof slow_more - 1;

	if (sent < head)
		return slow_head[sent];
	return slow_more[(sent - head) % more];
}

/* Write the counts to path, whole (by rename). */
static void
counts_write(const char *path, const struct counts *n, int streams)
{
	char	 tmp[4096];
	FILE	*f;

	if (path == NULL)
		return;
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL)
		return;
	fprintf(f, "held %d opened %lu dropped %lu answered %lu failed %lu "
	    "slow_bytes %lu streams %d\n", n->held, n->opened, n->dropped,
	    n->answered, n->failed, n->bytes, streams);
	fclose(f);
	rename(tmp, path);
}

/* A stream's request, sent once it is connected; then it is never read
 * (streams_report reads it when the load stops). */
static int
stream_request(struct conn *c, const char *token)
{
	char	req[1024];
	int	n;

	n = snprintf(req, sizeof req, "GET /v1/alerts/stream HTTP/1.1\r\n"
	    "Host: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
	    "Last-Event-ID: 0\r\nAccept: text/event-stream\r\n\r\n", token);
	if (n < 0 || (size_t)n >= sizeof req)
		errx(1, "the token is too long");
	return write(c->fd, req, (size_t)n) == n ? 0 : -1;
}

/* After the load: how each stream stands, found by reading it at last. */
static void
streams_report(struct conn *conns, int total)
{
	char		 buf[65536];
	struct pollfd	 p;
	ssize_t		 r;
	size_t		 got;
	int		 i, ok;

	for (i = 0; i < total; i++) {
		if (conns[i].kind != CONN_STREAM)
			continue;
		if (conns[i].fd == -1) {
			printf("stream %d: closed by the daemon\n", i);
			continue;
		}
		got = 0;
		ok = 0;
		r = -1;
		p.fd = conns[i].fd;
		p.events = POLLIN;
		while (poll(&p, 1, 500) == 1) {
			if ((r = read(p.fd, buf, sizeof buf)) <= 0)
				break;
			if (got == 0 && r >= 12 && memcmp(buf,
			    "HTTP/1.1 200", 12) == 0)
				ok = 1;
			got += (size_t)r;
		}
		printf("stream %d: %s; %zu bytes were waiting unread%s\n", i,
		    ok ? "opened (200)" : "not opened", got,
		    r == 0 ? ", then the daemon's close" : "");
	}
}

/* hostile load: see the top of the file. */
static int
cmd_load(int nconns, int trickle, int reconnect, int nstreams,
    const char *token, const char *status)
{
	struct conn	*conns;
	struct pollfd	*pfd;
	struct counts	 n;
	int		*which;
	int		 total = nconns + nstreams, i, k, np, soerr;
	int64_t		 now, next_status = 0, began = now_ms();
	socklen_t	 len;
	char		 buf[4096], b;
	ssize_t		 r;

	if (nstreams > 0 && token == NULL)
		usage();
	memset(&n, 0, sizeof n);
	if ((conns = calloc((size_t)total, sizeof *conns)) == NULL ||
	    (pfd = calloc((size_t)total, sizeof *pfd)) == NULL ||
	    (which = calloc((size_t)total, sizeof *which)) == NULL)
		err(1, "calloc");
	for (i = 0; i < total; i++) {
		conns[i].fd = -1;
		conns[i].kind = i < nstreams ? CONN_STREAM :
		    (i - nstreams) % 2 == 0 ? CONN_IDLE : CONN_SLOW;
		/* The streams first, so they are open (and a request
		 * answered) before the flood. */
		conns[i].next = began + (i < nstreams ? 0 : nstreams > 0 ?
		    500 : 0);
	}

	while (!stopping) {
		now = now_ms();
		/* Connect what is due, and send the slowlorises' bytes. */
		for (i = 0; i < total; i++) {
			struct conn	*c = &conns[i];

			if (c->fd == -1 && c->next <= now) {
				if (conn_start(c) == -1) {
					n.failed++;
					c->next = now + (reconnect > 0 ?
					    reconnect : 1000);
				}
				continue;
			}
			if (c->fd == -1 || c->connecting ||
			    c->kind != CONN_SLOW || c->next > now)
				continue;
			b = slow_byte(c->sent);
			if (write(c->fd, &b, 1) == 1) {
				c->sent++;
				n.bytes++;
			}
			/* Spread over the interval, so the bytes do not all
			 * come at once. */
			c->next = now + trickle * 1000 / 2 +
			    (int64_t)(rand() % (trickle * 1000 + 1));
		}

		np = 0;
		for (i = 0; i < total; i++) {
			struct conn	*c = &conns[i];

			if (c->fd == -1)
				continue;
			pfd[np].fd = c->fd;
			/* A stream is never read: only its close is
			 * watched for (POLLRDHUP comes with unread data). */
			pfd[np].events = c->connecting ? POLLOUT :
			    c->kind == CONN_STREAM ? POLLRDHUP : POLLIN;
			pfd[np].revents = 0;
			which[np++] = i;
		}
		if (poll(pfd, (nfds_t)np, 100) == -1) {
			if (errno == EINTR)
				continue;
			err(1, "poll");
		}
		now = now_ms();
		for (k = 0; k < np; k++) {
			struct conn	*c = &conns[which[k]];

			if (pfd[k].revents == 0)
				continue;
			if (c->connecting) {
				soerr = 0;
				len = sizeof soerr;
				getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &soerr,
				    &len);
				if (soerr != 0) {
					n.failed++;
					conn_lost(c, reconnect > 0 ? reconnect :
					    1000, now);
					continue;
				}
				c->connecting = 0;
				n.opened++;
				n.held++;
				c->next = now + (int64_t)(rand() %
				    (trickle * 1000 + 1));
				if (c->kind == CONN_STREAM &&
				    stream_request(c, token) == -1) {
					n.held--;
					n.dropped++;
					conn_lost(c, 0, now);
				}
				continue;
			}
			/* A stream closed is not opened again: the report
			 * says it was closed. */
			if (c->kind == CONN_STREAM) {
				if (pfd[k].revents & (POLLRDHUP | POLLHUP |
				    POLLERR)) {
					n.held--;
					n.dropped++;
					conn_lost(c, 0, now);
				}
				continue;
			}
			r = read(c->fd, buf, sizeof buf);
			if (r > 0) {
				n.answered++;
				continue;
			}
			if (r == -1 && (errno == EAGAIN || errno == EINTR))
				continue;
			n.held--;
			n.dropped++;
			conn_lost(c, reconnect, now);
		}
		if (now >= next_status) {
			counts_write(status, &n, nstreams);
			next_status = now + 1000;
		}
	}
	counts_write(status, &n, nstreams);
	printf("hostile load: %d connections held open at the end (of %d), "
	    "%lu opened, %lu closed by the daemon, %lu answered, %lu "
	    "connects failed, %lu slowloris bytes sent in %.1f s\n", n.held,
	    total, n.opened, n.dropped, n.answered, n.failed, n.bytes,
	    (double)(now_ms() - began) / 1000);
	streams_report(conns, total);
	for (i = 0; i < total; i++)
		if (conns[i].fd != -1)
			close(conns[i].fd);
	free(conns);
	free(pfd);
	free(which);
	return 0;
}

/* The next piece of the body to write into chunk: body bytes, framed as
 * a chunk with -c.  Returns its length; *body is how many body bytes. */
static size_t
body_piece(char *chunk, long left, int chunked, size_t *body)
{
	int	h;

	*body = left < 65536 ? (size_t)left : 65536;
	if (!chunked) {
		memset(chunk, ' ', *body);
		return *body;
	}
	h = snprintf(chunk, 16, "%zx\r\n", *body);
	memset(chunk + h, ' ', *body);
	memcpy(chunk + h + *body, "\r\n", 2);
	return (size_t)h + *body + 2;
}

/* hostile body: see the top of the file.  The answer is read as it
 * comes; the daemon's end of its answer (EOF) is not the close: that is
 * when it stops taking the body (a write fails). */
static int
cmd_body(long total, int chunked)
{
	static char	 chunk[65536 + 16];
	char		 head[512], answer[8192];
	struct pollfd	 p;
	size_t		 got = 0, off = 0, len = 0, body = 0;
	long		 sent = 0, sent_at_answer = -1, sent_at_close = -1;
	int64_t		 began, answer_ms = -1, close_ms = -1;
	int		 fd, n, status = 0, eof = 0, size = 65536;
	ssize_t		 r;
	const char	*why = "";

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		err(1, "socket");
	/* A small send buffer, so what was "sent" is close to what the
	 * daemon's side took. */
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
	if (connect(fd, (struct sockaddr *)&addr, sizeof addr) == -1)
		err(1, "connect");
	if (chunked)
		n = snprintf(head, sizeof head, "POST /v1/patients HTTP/1.1\r\n"
		    "Host: 127.0.0.1\r\nContent-Type: application/json\r\n"
		    "Transfer-Encoding: chunked\r\n\r\n");
	else
		n = snprintf(head, sizeof head, "POST /v1/patients HTTP/1.1\r\n"
		    "Host: 127.0.0.1\r\nContent-Type: application/json\r\n"
		    "Content-Length: %ld\r\n\r\n", total);
	if (write(fd, head, (size_t)n) != n)
		err(1, "write");
	fcntl(fd, F_SETFL, O_NONBLOCK);
	began = now_ms();

	while (sent_at_close == -1) {
		p.fd = fd;
		p.events = (eof ? 0 : POLLIN) | (sent < total ? POLLOUT : 0);
		if (p.events == 0) {
			why = "the whole body was taken";
			break;
		}
		if ((n = poll(&p, 1, 5000)) == -1)
			err(1, "poll");
		if (n == 0) {
			why = "nothing happened for 5 s";
			break;
		}
		if (!eof && (p.revents & (POLLIN | POLLHUP | POLLERR))) {
			r = read(fd, answer + got, sizeof answer - 1 - got);
			if (r > 0 && sent_at_answer == -1) {
				sent_at_answer = sent;
				answer_ms = now_ms() - began;
			}
			if (r > 0)
				got += (size_t)r;
			else if (r == 0 || got == sizeof answer - 1)
				eof = 1;
			else if (errno != EAGAIN && errno != EINTR)
				break;		/* reset */
		}
		if (sent < total && (p.revents & (POLLOUT | POLLERR))) {
			if (len == 0) {
				len = body_piece(chunk, total - sent, chunked,
				    &body);
				off = 0;
			}
			if ((r = write(fd, chunk + off, len)) > 0) {
				off += (size_t)r;
				len -= (size_t)r;
				/* Count body bytes, not a chunk's framing. */
				if (!chunked)
					sent += r;
				else if (len == 0)
					sent += (long)body;
				if (chunked && sent >= total && write(fd,
				    "0\r\n\r\n", 5) != 5)
					why = "the last chunk was not sent";
			} else if (r == -1 && errno != EAGAIN &&
			    errno != EINTR)
				break;
		}
	}
	if (sent_at_close == -1 && why[0] == '\0') {
		sent_at_close = sent;
		close_ms = now_ms() - began;
	}
	answer[got] = '\0';
	sscanf(answer, "HTTP/1.1 %d", &status);
	printf("body of %ld bytes%s: answered %d after %ld body bytes sent "
	    "(%lld ms); the daemon stopped taking it after %ld (%lld ms)%s%s\n",
	    total, chunked ? ", chunked" : "", status, sent_at_answer,
	    (long long)answer_ms, sent_at_close, (long long)close_ms,
	    why[0] ? ": " : "", why);
	close(fd);
	if (status != 413 || strstr(answer, "body_too_large") == NULL) {
		printf("FAIL: not answered 413 body_too_large: %s\n", answer);
		return 1;
	}
	if (sent_at_answer >= total || sent_at_close == -1 ||
	    sent_at_close >= total) {
		printf("FAIL: the daemon took the whole body\n");
		return 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	const char	*cmd, *token = NULL, *status = NULL;
	long		 port = 0, bytes = 10485760;
	int		 conns = 1000, trickle = 5, reconnect = 1000, streams = 0;
	int		 chunked = 0, ch;
	struct sigaction sa;

	if (argc < 2)
		usage();
	cmd = argv[1];
	optind = 2;
	while ((ch = getopt(argc, argv, "b:ck:n:o:p:r:S:t:")) != -1) {
		switch (ch) {
		case 'b':
			bytes = number(optarg, 1, 1L << 40);
			break;
		case 'c':
			chunked = 1;
			break;
		case 'k':
			token = optarg;
			break;
		case 'n':
			conns = (int)number(optarg, 0, 100000);
			break;
		case 'o':
			status = optarg;
			break;
		case 'p':
			port = number(optarg, 1, 65535);
			break;
		case 'r':
			reconnect = (int)number(optarg, 0, 3600000);
			break;
		case 'S':
			streams = (int)number(optarg, 0, 10000);
			break;
		case 't':
			trickle = (int)number(optarg, 1, 3600);
			break;
		default:
			usage();
		}
	}
	if (port == 0 || optind != argc)
		usage();
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	srand((unsigned)getpid());

	if (strcmp(cmd, "load") == 0)
		return cmd_load(conns, trickle, reconnect, streams, token,
		    status);
	if (strcmp(cmd, "body") == 0)
		return cmd_body(bytes, chunked);
	usage();
}
