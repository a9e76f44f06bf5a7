/* bench_flood: can a flood of sign-ins stop the round (issue 16)?
 *
 * One nurse's terminal signs doses off, one after another, as at the
 * hatch: POST /v1/doses/{id}/administer {"witness": {"username", "pin"}},
 * with her bearer token and, if BENCH_TERMINAL is set, the terminal's
 * credential (X-Terminal: ID:SECRET).  Beside it a monitor asks
 * GET /v1/health every 10 ms.  The latency of each answer is timed
 * (CLOCK_MONOTONIC, first byte written to last byte read).
 *
 * With -c C, C more connections from the local address -S (by default
 * 127.0.0.2: another source on loopback, with no terminal) post bogus
 * sign-ins as fast as they are answered, each a username nobody has;
 * and, at the flood's start, -w more connections from there send a wrong
 * PIN each for every username in BENCH_WRONG (the witnesses).  The
 * flood starts a second before the nurse and stops when she is done.
 *
 *	BENCH_TOKEN=t BENCH_WITNESS=user:pin [BENCH_TERMINAL=id:secret] \
 *	    [BENCH_WRONG=u1,u2] [BENCH_CONFIRM=...] bench_flood -p PORT \
 *	    -f IDS [-s FIRST] [-n N] [-t SECONDS] [-c C] [-w W] [-S ADDR] \
 *	    [-l LABEL]
 *
 * The nurse signs off at most N doses (from line FIRST of the file of
 * dose ids) or for at most -t seconds.  It prints lines for people and
 * "RESULT LABEL SIGNOFFS SO_P50 SO_P99 HEALTH_P50 HEALTH_P99" (ms) for
 * tests/bench/flood.sh, and exits 1 if a sign-off was not answered 200 or
 * the nurse's or monitor's connection failed.  Build: cc -std=c11 -O2
 * -pthread. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "bench_common.h"

#define FL_MAX_FLOOD	1000
#define FL_MAX_DOSES	100000
#define FL_MAX_HEALTH	100000
#define FL_ID_LEN	36
#define FL_STATUSES	6	/* 2xx, 401, 403, 429, 503, other */

static const char	*fl_addr = "127.0.0.1";
static const char	*fl_from = "127.0.0.2";
static int		 fl_port;
static volatile sig_atomic_t fl_stop;	/* the nurse is done */
static volatile sig_atomic_t fl_nurse_done;

/* One connection's answers, by status. */
struct tally {
	long	n[FL_STATUSES];
	long	failed;		/* connections that failed */
};

/* Which tally slot a status goes in. */
static int
status_slot(int status)
{
	switch (status) {
	case 401:
		return 1;
	case 403:
		return 2;
	case 429:
		return 3;
	case 503:
		return 4;
	default:
		return status >= 200 && status < 300 ? 0 : 5;
	}
}

/* Connect from from (NULL: any address), reads timing out each second
 * so that a thread waiting for an answer sees fl_stop. */
static int
reconnect(struct bench_conn *c, const char *from)
{
	struct timeval	tv = { 1, 0 };

	if (c->fd != -1)
		close(c->fd);
	c->fd = -1;
	if (bench_conn_open_from(c, from, fl_addr, fl_port) == -1)
		return -1;
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	return 0;
}

/* Send a request and wait for its answer (until fl_stop), connecting
 * from from first if need be.  A kept-alive connection the daemon closed
 * while idle (at its connection cap) is opened again and the request
 * sent once more, as a terminal does.  The status, or -1 if the
 * connection failed. */
static int
exchange(struct bench_conn *c, const char *from, const char *req,
    size_t len, int64_t *took_ns)
{
	size_t	off, blen;
	int	status = -1, closing, tries;
	int64_t	t0 = now_ns();

	for (tries = c->fd == -1 ? 1 : 2; tries > 0 && status < 0; tries--) {
		if (c->fd == -1 && reconnect(c, from) == -1)
			return -1;
		if (write_all(c->fd, req, len) == -1) {
			reconnect(c, from);
			continue;
		}
		while ((status = bench_conn_answer(c, &closing, &off, &blen))
		    == -1 && (errno == EAGAIN || errno == EWOULDBLOCK) &&
		    !fl_stop)
			;
		if (status < 0 && c->in_len == 0 && errno == 0)
			reconnect(c, from);	/* closed while idle */
		else if (status < 0)
			tries = 0;
	}
	if (status < 0) {
		if (c->fd != -1)
			close(c->fd);
		c->fd = -1;
		if (c->in != NULL) {
			c->in_len = 0;
			c->in[0] = '\0';
		}
		return -1;
	}
	if (took_ns != NULL)
		*took_ns = now_ns() - t0;
	bench_conn_consume(c, off + blen);
	if (closing) {
		close(c->fd);
		c->fd = -1;
	}
	return status;
}

/* A POST /v1/sessions for username and pin, into buf. */
static int
signin_request(char *buf, size_t size, const char *username, const char *pin)
{
	char	body[160];
	int	n;

	n = snprintf(body, sizeof body, "{\"username\":\"%s\",\"pin\":\"%s\"}",
	    username, pin);
	return snprintf(buf, size, "POST /v1/sessions HTTP/1.1\r\n"
	    "Host: %s:%d\r\nContent-Type: application/json\r\n"
	    "Content-Length: %d\r\n\r\n%s", fl_addr, fl_port, n, body);
}

/* A flooder, or a guesser of wrong PINs: a thread from -S. */
struct attacker {
	pthread_t	 thread;
	int		 index;
	const char	*users;		/* a guesser's usernames */
	struct tally	 tally;
};

/* A flood connection: bogus sign-ins until the nurse is done. */
static void *
flooder_run(void *arg)
{
	struct attacker		*f = arg;
	struct bench_conn	 c = { -1, NULL, 0, 0 };
	struct timespec		 pause = { 0, 10 * 1000 * 1000 };
	char			 req[512], user[32];
	int			 n, status;

	snprintf(user, sizeof user, "flood%d", f->index);
	n = signin_request(req, sizeof req, user, "0000");
	while (!fl_stop) {
		if ((status = exchange(&c, fl_from, req, (size_t)n, NULL)) ==
		    -1) {
			if (fl_stop)
				break;
			f->tally.failed++;
			nanosleep(&pause, NULL);
			continue;
		}
		f->tally.n[status_slot(status)]++;
	}
	bench_conn_close(&c);
	return NULL;
}

/* The wrong PINs: w guessers at once, each sending one for each of the
 * comma-separated usernames, as the attack did. */
static void *
guesser_run(void *arg)
{
	struct attacker		*g = arg;
	struct bench_conn	 c = { -1, NULL, 0, 0 };
	const char		*p = g->users;
	char			 req[512], user[64];
	size_t			 len;
	int			 n, status;

	while (*p != '\0') {
		len = strcspn(p, ",");
		if (len == 0 || len >= sizeof user)
			break;
		memcpy(user, p, len);
		user[len] = '\0';
		p += len + (p[len] == ',');
		n = signin_request(req, sizeof req, user, "999999");
		status = exchange(&c, fl_from, req, (size_t)n, NULL);
		if (status == -1)
			g->tally.failed++;
		else
			g->tally.n[status_slot(status)]++;
	}
	bench_conn_close(&c);
	return NULL;
}

/* The nurse: her sign-offs, each timed. */
struct nurse {
	pthread_t	 thread;
	char		 (*ids)[FL_ID_LEN + 1];
	long		 n;
	int64_t		 deadline_ns;
	char		 head[1024];	/* token, terminal */
	char		 body[1024];
	int64_t		*latency_ns;
	long		 done, refused;
	int		 failed;
};

static void *
nurse_run(void *arg)
{
	struct nurse		*u = arg;
	struct bench_conn	 c = { -1, NULL, 0, 0 };
	char			 req[3072];
	int			 n, status, shown = 0;
	long			 k;

	for (k = 0; k < u->n && now_ns() < u->deadline_ns; k++) {
		n = snprintf(req, sizeof req, "POST /v1/doses/%s/administer "
		    "HTTP/1.1\r\n%sContent-Length: %zu\r\n\r\n%s", u->ids[k],
		    u->head, strlen(u->body), u->body);
		status = exchange(&c, NULL, req, (size_t)n,
		    &u->latency_ns[u->done]);
		if (status == -1) {
			fprintf(stderr, "bench_flood: the nurse's connection "
			    "failed: %s\n", errno ? strerror(errno) : "closed");
			u->failed = 1;
			break;
		}
		u->done++;
		if (status != 200) {
			u->refused++;
			if (shown++ < 3)
				fprintf(stderr, "bench_flood: dose %s: HTTP "
				    "%d\n", u->ids[k], status);
		}
	}
	fl_nurse_done = 1;
	bench_conn_close(&c);
	return NULL;
}

/* The monitor: GET /v1/health every 10 ms until the nurse is done. */
struct monitor {
	pthread_t	 thread;
	int64_t		*latency_ns;
	long		 done;
	int		 failed;
};

static void *
monitor_run(void *arg)
{
	struct monitor		*m = arg;
	struct bench_conn	 c = { -1, NULL, 0, 0 };
	struct timespec		 pause = { 0, 10 * 1000 * 1000 };
	char			 req[256];
	int			 n;

	n = snprintf(req, sizeof req, "GET /v1/health HTTP/1.1\r\n"
	    "Host: %s:%d\r\n\r\n", fl_addr, fl_port);
	while (!fl_nurse_done && m->done < FL_MAX_HEALTH) {
		if (exchange(&c, NULL, req, (size_t)n,
		    &m->latency_ns[m->done]) != 200) {
			fprintf(stderr, "bench_flood: GET /v1/health failed\n");
			m->failed = 1;
			break;
		}
		m->done++;
		nanosleep(&pause, NULL);
	}
	bench_conn_close(&c);
	return NULL;
}

static void
usage(void)
{
	fprintf(stderr, "usage: BENCH_TOKEN=t BENCH_WITNESS=user:pin "
	    "bench_flood -p port -f ids [-s first] [-n count] [-t seconds] "
	    "[-c connections] [-w wrong] [-S from] [-l label]\n");
	exit(2);
}

/* Count doses from line first of path into u->ids; -1 if it cannot. */
static int
read_ids(const char *path, long first, struct nurse *u)
{
	FILE	*f;
	char	 line[128];
	long	 line_no = 0;
	size_t	 len;

	if ((f = fopen(path, "r")) == NULL ||
	    (u->ids = calloc((size_t)u->n, sizeof *u->ids)) == NULL) {
		perror(path);
		return -1;
	}
	while (fgets(line, sizeof line, f) != NULL && u->done < u->n) {
		len = strcspn(line, "\r\n");
		if (len != FL_ID_LEN || line_no++ < first)
			continue;
		memcpy(u->ids[u->done++], line, FL_ID_LEN);
	}
	fclose(f);
	u->n = u->done;
	u->done = 0;
	return u->n > 0 ? 0 : -1;
}

/* The nurse's headers and body, from the environment; -1 if missing. */
static int
nurse_setup(struct nurse *u)
{
	const char	*token = getenv("BENCH_TOKEN");
	const char	*witness = getenv("BENCH_WITNESS");
	const char	*terminal = getenv("BENCH_TERMINAL");
	const char	*confirm = getenv("BENCH_CONFIRM");
	const char	*colon;
	int		 n;

	if (token == NULL || witness == NULL ||
	    (colon = strchr(witness, ':')) == NULL ||
	    strpbrk(witness, "\"\\\r\n") != NULL ||
	    strpbrk(token, "\r\n") != NULL ||
	    (terminal != NULL && strpbrk(terminal, "\r\n") != NULL) ||
	    (confirm != NULL && strpbrk(confirm, "\r\n") != NULL))
		return -1;
	n = snprintf(u->head, sizeof u->head, "Host: %s:%d\r\n"
	    "Authorization: Bearer %s\r\n%s%s%sContent-Type: "
	    "application/json\r\n", fl_addr, fl_port, token,
	    terminal ? "X-Terminal: " : "", terminal ? terminal : "",
	    terminal ? "\r\n" : "");
	if (n < 0 || (size_t)n >= sizeof u->head)
		return -1;
	n = snprintf(u->body, sizeof u->body, "{\"witness\":{\"username\":"
	    "\"%.*s\",\"pin\":\"%s\"}%s}", (int)(colon - witness), witness,
	    colon + 1, confirm ? confirm : "");
	return n < 0 || (size_t)n >= sizeof u->body ? -1 : 0;
}

/* Print one latency line, with its p50 and p99 in ms. */
static void
report(const char *what, int64_t *ns, long n, double *p50, double *p99)
{
	qsort(ns, (size_t)n, sizeof *ns, cmp_int64);
	*p50 = quantile_ms(ns, n, 0.50);
	*p99 = quantile_ms(ns, n, 0.99);
	printf("  %-22s %6ld answers, p50 %8.2f ms, p99 %8.2f ms, max %8.2f "
	    "ms\n", what, n, *p50, *p99, (double)ns[n - 1] / 1e6);
}

/* Print the flood's answers by status. */
static void
report_flood(const char *what, const struct tally *t)
{
	printf("  %-22s %ld 2xx, %ld 401, %ld 403, %ld 429, %ld 503, %ld "
	    "other, %ld connections failed\n", what, t->n[0], t->n[1],
	    t->n[2], t->n[3], t->n[4], t->n[5], t->failed);
}

/* What the command line asks for. */
struct options {
	const char	*label, *ids;
	long		 n, first, seconds, c, w;
};

/* Read the command line into o (and the address and port); usage() if
 * it is wrong. */
static void
options(int argc, char **argv, struct options *o)
{
	int	ch;

	o->label = "flood";
	o->ids = NULL;
	o->n = 200;
	o->first = 0;
	o->seconds = 30;
	o->c = 0;
	o->w = 15;
	while ((ch = getopt(argc, argv, "S:c:f:l:n:p:s:t:w:")) != -1) {
		switch (ch) {
		case 'S':
			fl_from = optarg;
			break;
		case 'c':
			o->c = bench_number(optarg, 0, FL_MAX_FLOOD, usage);
			break;
		case 'f':
			o->ids = optarg;
			break;
		case 'l':
			o->label = optarg;
			break;
		case 'n':
			o->n = bench_number(optarg, 1, FL_MAX_DOSES, usage);
			break;
		case 'p':
			fl_port = (int)bench_number(optarg, 1, 65535, usage);
			break;
		case 's':
			o->first = bench_number(optarg, 0, FL_MAX_DOSES, usage);
			break;
		case 't':
			o->seconds = bench_number(optarg, 1, 3600, usage);
			break;
		case 'w':
			o->w = bench_number(optarg, 0, 1000, usage);
			break;
		default:
			usage();
		}
	}
	if (optind != argc || fl_port == 0 || o->ids == NULL)
		usage();
}

/* Start n attackers running run (users for guessers); NULL if n is 0.
 * Exits if they cannot start. */
static struct attacker *
attack_start(long n, void *(*run)(void *), const char *users)
{
	struct attacker	*a;
	long		 i;

	if (n == 0)
		return NULL;
	if ((a = calloc((size_t)n, sizeof *a)) == NULL) {
		perror("bench_flood");
		exit(1);
	}
	for (i = 0; i < n; i++) {
		a[i].index = (int)i;
		a[i].users = users;
		if (pthread_create(&a[i].thread, NULL, run, &a[i]) != 0) {
			fprintf(stderr, "bench_flood: cannot start a thread\n");
			exit(1);
		}
	}
	return a;
}

/* Wait for n attackers and add up their answers into t; free them. */
static void
attack_join(struct attacker *a, long n, struct tally *t)
{
	long	i, k;

	memset(t, 0, sizeof *t);
	for (i = 0; i < n; i++) {
		pthread_join(a[i].thread, NULL);
		for (k = 0; k < FL_STATUSES; k++)
			t->n[k] += a[i].tally.n[k];
		t->failed += a[i].tally.failed;
	}
	free(a);
}

int
main(int argc, char **argv)
{
	struct nurse	 u;
	struct monitor	 m;
	struct attacker	*fl, *g;
	struct tally	 guessed, all;
	struct timespec	 ramp = { 1, 0 };
	struct options	 o;
	double		 so50, so99, h50, h99;

	memset(&u, 0, sizeof u);
	memset(&m, 0, sizeof m);
	options(argc, argv, &o);
	u.n = o.n;
	if (nurse_setup(&u) == -1) {
		fprintf(stderr, "bench_flood: set BENCH_TOKEN to the nurse's "
		    "token and BENCH_WITNESS to her witness's username:pin\n");
		return 2;
	}
	if (read_ids(o.ids, o.first, &u) == -1)
		return 2;
	signal(SIGPIPE, SIG_IGN);
	if ((u.latency_ns = calloc((size_t)u.n, sizeof *u.latency_ns)) ==
	    NULL || (m.latency_ns = calloc(FL_MAX_HEALTH,
	    sizeof *m.latency_ns)) == NULL) {
		perror("bench_flood");
		return 1;
	}

	if (o.c == 0 || getenv("BENCH_WRONG") == NULL)
		o.w = 0;
	fl = attack_start(o.c, flooder_run, NULL);
	g = attack_start(o.w, guesser_run, getenv("BENCH_WRONG"));
	if (o.c > 0)
		nanosleep(&ramp, NULL);

	u.deadline_ns = now_ns() + (int64_t)o.seconds * 1000000000;
	if (pthread_create(&u.thread, NULL, nurse_run, &u) != 0 ||
	    pthread_create(&m.thread, NULL, monitor_run, &m) != 0)
		return 1;
	pthread_join(u.thread, NULL);
	pthread_join(m.thread, NULL);
	fl_stop = 1;
	attack_join(fl, o.c, &all);
	attack_join(g, o.w, &guessed);

	printf("%s: %ld flood connections from %s\n", o.label, o.c,
	    o.c > 0 ? fl_from : "-");
	if (u.done == 0 || m.done == 0) {
		fprintf(stderr, "bench_flood: %s: no answers\n", o.label);
		return 1;
	}
	report("sign-off", u.latency_ns, u.done, &so50, &so99);
	report("GET /v1/health", m.latency_ns, m.done, &h50, &h99);
	if (o.c > 0)
		report_flood("bogus sign-ins:", &all);
	if (o.w > 0)
		report_flood("wrong witness PINs:", &guessed);
	printf("RESULT %s %ld %.3f %.3f %.3f %.3f\n", o.label, u.done, so50,
	    so99, h50, h99);
	free(u.ids);
	free(u.latency_ns);
	free(m.latency_ns);
	if (u.refused > 0 || u.failed || m.failed) {
		fprintf(stderr, "bench_flood: %s: %ld of %ld sign-offs not "
		    "answered 200%s\n", o.label, u.refused, u.done, u.failed ||
		    m.failed ? ", and a connection failed" : "");
		return 1;
	}
	return 0;
}
