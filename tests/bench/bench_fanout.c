/* bench_fanout: how long one alert takes to reach many open alert streams.
 *
 * Opens N (1000) connections to GET /v1/alerts/stream with a bearer token,
 * as U (1) people in turn (streams.per_person caps each person's streams:
 * with -u U, BENCH_STREAM_USER is a prefix, the people ward1 to wardU),
 * and waits until every one has answered 200 and sent its opening
 * ": idtsd alert stream" comment.  Then, R (5) times: signs a reception
 * user in, registers a new arrival in treatment at the daemon's "now"
 * (POST /v1/patients), and at t0, just before writing it, sends
 * POST /v1/test/clock {"advance_seconds": A} as the admin (64801: past
 * the treatment clock's warning).  The daemon's scheduler then raises the alert(s) and
 * publishes them; for each stream the time from t0 to the first read
 * that completes an "event: alert" block is recorded (CLOCK_MONOTONIC,
 * one epoll loop over all the sockets).  Every stream must get the
 * event, none may close; at the end every stream must have had the same
 * number of events.
 *
 * A stream ends when the session it was opened with expires, and the
 * test clock moves that session's idle time on too: so before each
 * advance the streams' token is used once (GET /v1/clocks), as a
 * terminal's heartbeat would, and sessions.idle_minutes must be longer
 * than the advance (1440 for 64801 s).
 *
 * Run it against an idtsd started with --test-clock, http.max_connections
 * above N and streams.max at least N, with `ulimit -n` above N
 * (tests/bench/fanout.sh does all this):
 *
 *	BENCH_STREAM_USER=ward1 BENCH_STREAM_PIN=... \
 *	BENCH_RECEPTION_USER=reception1 BENCH_RECEPTION_PIN=... \
 *	BENCH_ADMIN_USER=admin BENCH_ADMIN_PIN=... \
 *	    bench_fanout -p PORT [-n 1000] [-r 5] [-u 1] [-a 64801]
 *
 * PINs come from the environment so they do not show in the process
 * list.  It prints a line per round and over all rounds, "RESULT fanout
 * P50_MS P99_MS MAX_MS" and "EVENTS PER_STREAM" for scripts, and exits 1
 * if anything failed.  Build: cc -std=c11 -O2 -Wall -Wextra
 * bench_fanout.c (Linux: epoll). */
#define _GNU_SOURCE

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bench_common.h"

#define MAX_STREAMS	20000
#define MAX_USERS	100
#define CARRY		32	/* longer than any pattern we look for */
#define READ_SIZE	65536

static const char	 OPENING[] = ": idtsd alert stream";
static const char	 EV_ALERT[] = "event: alert\n";
static const char	 EV_ACK[] = "event: ack\n";

struct stream {
	int		 fd;
	int		 status_seen;	/* checked the status line */
	int		 open;		/* had the opening comment */
	int		 closed;
	long		 events;	/* alert and ack blocks, all run */
	int64_t		 got_ns;	/* this round: first alert after t0 */
	char		 carry[CARRY];
	size_t		 carry_len;
};

static int		 port;
static struct stream	*streams;
static int		 nstreams;
static int		 epfd;
static int		 failed;

static int
dial(void)
{
	struct sockaddr_in	sin;
	int			fd, one = 1;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (connect(fd, (struct sockaddr *)&sin, sizeof sin) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/* One request on its own connection (Connection: close); the answer's
 * status, its body in out.  -1 if the connection failed. */
static int
request(const char *method, const char *path, const char *token,
    const char *body, char *out, size_t outsz)
{
	char		 req[4096], buf[16384], *b;
	size_t		 got = 0;
	ssize_t		 n;
	struct timeval	 tv = { 30, 0 };
	int		 fd, len, status;

	len = snprintf(req, sizeof req, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	    "Connection: close\r\n%s%s%s"
	    "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
	    method, path, token ? "Authorization: Bearer " : "",
	    token ? token : "", token ? "\r\n" : "", body ? strlen(body) : 0,
	    body ? body : "");
	if (len < 0 || (size_t)len >= sizeof req || (fd = dial()) == -1)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	if (write_all(fd, req, (size_t)len) == -1) {
		close(fd);
		return -1;
	}
	while (got < sizeof buf - 1 &&
	    (n = read(fd, buf + got, sizeof buf - 1 - got)) > 0)
		got += (size_t)n;
	close(fd);
	buf[got] = '\0';
	if (sscanf(buf, "HTTP/1.%*d %d", &status) != 1)
		return -1;
	b = strstr(buf, "\r\n\r\n");
	snprintf(out, outsz, "%s", b ? b + 4 : "");
	return status;
}

/* The string value of "key" in a flat JSON answer, or -1. */
static int
json_string(const char *json, const char *key, char *out, size_t outsz)
{
	char		 pat[64];
	const char	*p, *e;

	snprintf(pat, sizeof pat, "\"%s\":", key);
	if ((p = strstr(json, pat)) == NULL)
		return -1;
	p += strlen(pat);
	p += strspn(p, " ");
	if (*p++ != '"' || (e = strchr(p, '"')) == NULL ||
	    (size_t)(e - p) >= outsz)
		return -1;
	memcpy(out, p, (size_t)(e - p));
	out[e - p] = '\0';
	return 0;
}

/* The name of stream user u of n: the name itself when there is one,
 * else the name with u + 1 after it (ward1, ward2, ...). */
static const char *
stream_user(char *out, size_t size, const char *name, int n, int u)
{
	if (n == 1)
		snprintf(out, size, "%s", name);
	else
		snprintf(out, size, "%s%d", name, u + 1);
	return out;
}

static int
sign_in(const char *user, const char *pin, char *token, size_t tokensz)
{
	char	body[256], out[4096];
	int	status;

	snprintf(body, sizeof body, "{\"username\":\"%s\",\"pin\":\"%s\"}",
	    user, pin);
	status = request("POST", "/v1/sessions", NULL, body, out, sizeof out);
	if (status != 201 || json_string(out, "token", token, tokensz) == -1) {
		fprintf(stderr, "bench_fanout: signing in %s: HTTP %d: %s\n",
		    user, status, out);
		return -1;
	}
	return 0;
}

/* How many times pat ends in buf after position from. */
static long
count_from(const char *buf, size_t len, size_t from, const char *pat)
{
	size_t		 plen = strlen(pat);
	const char	*p = buf, *hit;
	long		 n = 0;

	while ((hit = memmem(p, len - (size_t)(p - buf), pat, plen)) != NULL) {
		if ((size_t)(hit - buf) + plen > from)
			n++;
		p = hit + 1;
	}
	return n;
}

/* Read what a stream has.  t0: the round's trigger time, 0 outside one. */
static void
stream_read(struct stream *st, int64_t t0)
{
	static char	 buf[CARRY + READ_SIZE];
	ssize_t		 n;
	size_t		 len;
	long		 alerts;
	int		 status;

	for (;;) {
		memcpy(buf, st->carry, st->carry_len);
		n = read(st->fd, buf + st->carry_len, READ_SIZE);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			if (!st->closed)
				fprintf(stderr, "bench_fanout: stream %ld: "
				    "closed by the daemon (%s)\n",
				    (long)(st - streams), n == 0 ? "EOF" :
				    strerror(errno));
			st->closed = 1;
			failed = 1;
			epoll_ctl(epfd, EPOLL_CTL_DEL, st->fd, NULL);
			return;
		}
		len = st->carry_len + (size_t)n;
		if (!st->status_seen && len >= 12) {
			st->status_seen = 1;
			if (sscanf(buf, "HTTP/1.%*d %d", &status) != 1 ||
			    status != 200) {
				fprintf(stderr, "bench_fanout: stream %ld: "
				    "%.*s\n", (long)(st - streams),
				    (int)(len < 300 ? len : 300), buf);
				failed = 1;
			}
		}
		if (!st->open &&
		    count_from(buf, len, st->carry_len, OPENING) > 0)
			st->open = 1;
		alerts = count_from(buf, len, st->carry_len, EV_ALERT);
		st->events += alerts +
		    count_from(buf, len, st->carry_len, EV_ACK);
		if (alerts > 0 && t0 != 0 && st->got_ns == 0)
			st->got_ns = now_ns() - t0;
		st->carry_len = len < CARRY ? len : CARRY;
		memmove(st->carry, buf + len - st->carry_len, st->carry_len);
	}
}

/* Run the epoll loop until done() or timeout_ms.  The trigger's own
 * connection, if any, is read to its end and *answered set then. */
static void
loop(int64_t t0, int timeout_ms, int (*done)(void), int trigger,
    int64_t *answered)
{
	struct epoll_event	 ev[256];
	char			 tbuf[4096];
	int64_t			 end = now_ns() + (int64_t)timeout_ms * 1000000;
	int			 i, n, left;

	while (!done() || (trigger != -1 && *answered == 0)) {
		left = (int)((end - now_ns()) / 1000000);
		if (left <= 0)
			return;
		n = epoll_wait(epfd, ev, 256, left);
		for (i = 0; i < n; i++) {
			if (ev[i].data.u32 == (uint32_t)MAX_STREAMS) {
				ssize_t	r = read(trigger, tbuf, sizeof tbuf);

				if (r > 0 && *answered == 0)
					*answered = now_ns() - t0;
				if (r == 0) {
					epoll_ctl(epfd, EPOLL_CTL_DEL, trigger,
					    NULL);
					trigger = -1;
				}
				continue;
			}
			stream_read(&streams[ev[i].data.u32], t0);
		}
	}
}

static int
all_open(void)
{
	int	i;

	for (i = 0; i < nstreams; i++)
		if (!streams[i].open && !streams[i].closed)
			return 0;
	return 1;
}

static int
all_got(void)
{
	int	i;

	for (i = 0; i < nstreams; i++)
		if (streams[i].got_ns == 0 && !streams[i].closed)
			return 0;
	return 1;
}

static int
never(void)
{
	return 0;
}

static const char *
env(const char *name)
{
	const char	*v = getenv(name);

	if (v == NULL || *v == '\0' || strpbrk(v, "\"\\\r\n") != NULL) {
		fprintf(stderr, "bench_fanout: set %s\n", name);
		exit(2);
	}
	return v;
}

static void
usage(void)
{
	fprintf(stderr, "usage: bench_fanout -p port [-n streams] [-r rounds] "
	    "[-u users] [-a advance_seconds]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	const char		*suser, *spin, *ruser, *rpin, *auser, *apin;
	char			 stoken[MAX_USERS][256], rtoken[256], atoken[256];
	char			 name[64];
	char			 now[64], req[1024];
	char			 body[1024], out[8192];
	struct epoll_event	 ev;
	int64_t			*lat, *all, t0, t_open, answered;
	long			 nall = 0, emin, emax;
	int			 ch, i, r, rounds = 5, status, fd, len, got;
	int			 users = 1, u;
	long			 advance = 64801;

	nstreams = 1000;
	while ((ch = getopt(argc, argv, "a:n:p:r:u:")) != -1) {
		switch (ch) {
		case 'u':
			users = atoi(optarg);
			break;
		case 'a':
			advance = atol(optarg);
			break;
		case 'n':
			nstreams = atoi(optarg);
			break;
		case 'p':
			port = atoi(optarg);
			break;
		case 'r':
			rounds = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (optind != argc || port <= 0 || port > 65535 || nstreams < 1 ||
	    nstreams > MAX_STREAMS || rounds < 1 || rounds > 100 ||
	    users < 1 || users > MAX_USERS ||
	    advance < 1)
		usage();
	suser = env("BENCH_STREAM_USER");
	spin = env("BENCH_STREAM_PIN");
	ruser = env("BENCH_RECEPTION_USER");
	rpin = env("BENCH_RECEPTION_PIN");
	auser = env("BENCH_ADMIN_USER");
	apin = env("BENCH_ADMIN_PIN");

	streams = calloc((size_t)nstreams, sizeof *streams);
	lat = calloc((size_t)nstreams, sizeof *lat);
	all = calloc((size_t)nstreams * (size_t)rounds, sizeof *all);
	if (streams == NULL || lat == NULL || all == NULL ||
	    (epfd = epoll_create1(0)) == -1) {
		perror("bench_fanout");
		return 1;
	}
	for (u = 0; u < users; u++)
		if (sign_in(stream_user(name, sizeof name, suser, users, u),
		    spin, stoken[u], sizeof stoken[u]) == -1)
			return 1;

	/* Open every stream, then wait for each one's opening comment. */
	t_open = now_ns();
	for (i = 0; i < nstreams; i++) {
		len = snprintf(req, sizeof req, "GET /v1/alerts/stream "
		    "HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
		    "%s\r\nAccept: text/event-stream\r\n\r\n",
		    stoken[i % users]);
		if ((fd = dial()) == -1 ||
		    write_all(fd, req, (size_t)len) == -1) {
			fprintf(stderr, "bench_fanout: stream %d: connect: "
			    "%s\n", i, strerror(errno));
			return 1;
		}
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
		streams[i].fd = fd;
		ev.events = EPOLLIN;
		ev.data.u32 = (uint32_t)i;
		if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) == -1) {
			perror("bench_fanout: epoll_ctl");
			return 1;
		}
	}
	loop(0, 60000, all_open, -1, NULL);
	for (i = got = 0; i < nstreams; i++)
		got += streams[i].open && !streams[i].closed;
	if (got != nstreams || failed) {
		fprintf(stderr, "bench_fanout: only %d of %d streams opened\n",
		    got, nstreams);
		return 1;
	}
	printf("%d streams open in %.0f ms\n", nstreams,
	    (double)(now_ns() - t_open) / 1e6);

	printf("%-8s %8s %10s %8s %8s %8s %8s\n", "round", "streams",
	    "answer ms", "min ms", "p50 ms", "p99 ms", "max ms");
	for (r = 0; r < rounds; r++) {
		/* A new arrival in treatment, at the daemon's now. */
		if (sign_in(ruser, rpin, rtoken, sizeof rtoken) == -1 ||
		    sign_in(auser, apin, atoken, sizeof atoken) == -1)
			return 1;
		if ((status = request("GET", "/v1/health", NULL, NULL, out,
		    sizeof out)) != 200 ||
		    json_string(out, "now", now, sizeof now) == -1) {
			fprintf(stderr, "bench_fanout: health: HTTP %d: %s\n",
			    status, out);
			return 1;
		}
		snprintf(body, sizeof body, "{\"prison_number\":\"F%04dAN\","
		    "\"given_name\":\"Fan\",\"family_name\":\"Out%d\","
		    "\"date_of_birth\":\"1985-03-02\",\"arrived_at\":\"%s\","
		    "\"location\":\"Reception\",\"stimulant_user\":false,"
		    "\"community_treatment\":{\"drug\":\"methadone\","
		    "\"dose\":40,\"unit\":\"ml\",\"prescriber\":\"Dr Bench\"}}",
		    r, r, now);
		if ((status = request("POST", "/v1/patients", rtoken, body, out,
		    sizeof out)) != 201) {
			fprintf(stderr, "bench_fanout: POST /v1/patients: "
			    "HTTP %d: %s\n", status, out);
			return 1;
		}
		/* Keep the streams' sessions alive across the jump. */
		for (u = 0; u < users; u++)
			if ((status = request("GET", "/v1/clocks", stoken[u],
			    NULL, out, sizeof out)) != 200) {
				fprintf(stderr, "bench_fanout: GET /v1/clocks "
				    "as %s: HTTP %d: %s\n", stream_user(name,
				    sizeof name, suser, users, u), status, out);
				return 1;
			}
		/* Let anything already under way arrive first. */
		loop(0, 300, never, -1, NULL);
		for (i = 0; i < nstreams; i++)
			streams[i].got_ns = 0;

		len = snprintf(req, sizeof req, "POST /v1/test/clock HTTP/1.1\r\n"
		    "Host: 127.0.0.1\r\nConnection: close\r\n"
		    "Authorization: Bearer %s\r\n"
		    "Content-Type: application/json\r\nContent-Length: %d\r\n"
		    "\r\n{\"advance_seconds\":%ld}", atoken,
		    snprintf(NULL, 0, "{\"advance_seconds\":%ld}", advance),
		    advance);
		if ((fd = dial()) == -1) {
			perror("bench_fanout: trigger");
			return 1;
		}
		ev.events = EPOLLIN;
		ev.data.u32 = (uint32_t)MAX_STREAMS;
		epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
		answered = 0;
		t0 = now_ns();
		if (write_all(fd, req, (size_t)len) == -1) {
			perror("bench_fanout: trigger");
			return 1;
		}
		loop(t0, 30000, all_got, fd, &answered);
		epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
		close(fd);

		for (i = got = 0; i < nstreams; i++)
			if (streams[i].got_ns != 0) {
				lat[got++] = streams[i].got_ns;
				all[nall++] = streams[i].got_ns;
			}
		if (got == 0) {
			fprintf(stderr, "bench_fanout: round %d: no stream "
			    "had an alert within 30 s\n", r + 1);
			return 1;
		}
		qsort(lat, (size_t)got, sizeof *lat, cmp_int64);
		printf("%-8d %8d %10.2f %8.2f %8.2f %8.2f %8.2f\n", r + 1, got,
		    (double)answered / 1e6, (double)lat[0] / 1e6,
		    quantile_ms(lat, got, 0.50), quantile_ms(lat, got, 0.99),
		    (double)lat[got - 1] / 1e6);
		if (got != nstreams) {
			fprintf(stderr, "bench_fanout: round %d: only %d of %d "
			    "streams had the alert\n", r + 1, got, nstreams);
			failed = 1;
		}
		if (failed)
			return 1;
	}

	/* Take in whatever is still coming, then compare the streams. */
	loop(0, 1000, never, -1, NULL);
	emin = emax = streams[0].events;
	for (i = 1; i < nstreams; i++) {
		if (streams[i].events < emin)
			emin = streams[i].events;
		if (streams[i].events > emax)
			emax = streams[i].events;
	}
	qsort(all, (size_t)nall, sizeof *all, cmp_int64);
	printf("%-8s %8ld %10s %8.2f %8.2f %8.2f %8.2f\n", "all", nall, "",
	    (double)all[0] / 1e6, quantile_ms(all, nall, 0.50),
	    quantile_ms(all, nall, 0.99), (double)all[nall - 1] / 1e6);
	printf("events per stream: %ld", emin);
	if (emax != emin)
		printf(" to %ld (NOT THE SAME)", emax);
	printf("\n");
	printf("RESULT fanout %.2f %.2f %.2f\n", quantile_ms(all, nall, 0.50),
	    quantile_ms(all, nall, 0.99), (double)all[nall - 1] / 1e6);
	printf("EVENTS %ld %ld\n", emin, emax);
	for (i = 0; i < nstreams; i++)
		close(streams[i].fd);
	return failed || emin != emax;
}
