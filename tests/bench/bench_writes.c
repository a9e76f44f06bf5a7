/* bench_writes: durable writes per second through the idtsd API.
 *
 * Measures how many POST /v1/patients requests a running idtsd answers
 * per second, and the latency of each (from the first byte written to the
 * last byte of the answer read, CLOCK_MONOTONIC), with C clients, each
 * on its own keep-alive HTTP/1.1 connection and thread, each waiting for
 * its answer before sending the next request.  Every answer must be
 * 201 Created: each is a registration the daemon has committed to disk.
 *
 * Run it against a daemon signed in as a reception user, the bearer token
 * in the environment (so it does not show in the process list):
 *
 *	BENCH_TOKEN=... bench_writes -p PORT -c 16 -n 8000 -s 2000 -l api16
 *
 *	-a ADDR   daemon address (127.0.0.1)
 *	-p PORT   daemon port (required)
 *	-c N      concurrent clients (1)
 *	-n N      requests in all, shared between the clients (1000)
 *	-s N      first prison-number counter, so runs on one database use
 *		  numbers nobody is in custody under (0)
 *	-l LABEL  name of the run in the output (api)
 *
 * It prints a line for people and one "RESULT LABEL REQ/S P50_MS P99_MS"
 * line for scripts (tests/bench/run.sh), and exits 1 if any answer was
 * not 201 or a connection failed.  Build: cc -std=c11 -O2 -pthread. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_common.h"

#define BENCH_MAX_CLIENTS	1024
#define BENCH_MAX_TOKEN		512
#define BENCH_REQUEST_MAX	2048
#define BENCH_PRISON_NUMBERS	(26L * 10000 * 26 * 26)
/* Show at most this many refused answers in full. */
#define BENCH_MAX_SHOWN		5

struct client {
	pthread_t	 thread;
	int		 index;
	int		 fd;
	long		 first;		/* prison-number counter of its first */
	long		 count;		/* requests it sends */
	int64_t		*latency_ns;	/* one per answer received */
	long		 done;
	long		 refused;	/* answers other than 201 */
	int		 failed;	/* a connection error stopped it */
	struct bench_conn conn;
};

static const char	*bench_addr = "127.0.0.1";
static int		 bench_port;
static const char	*bench_token;
static pthread_barrier_t bench_start;
static pthread_mutex_t	 bench_print_lock = PTHREAD_MUTEX_INITIALIZER;
static int		 bench_shown;

/* Open the client's connection; a failure is reported here. */
static int
client_connect(struct client *c)
{
	if (bench_conn_open(&c->conn, bench_addr, bench_port) == 0)
		return 0;
	fprintf(stderr, "bench_writes: client %d: connect %s:%d: %s\n",
	    c->index, bench_addr, bench_port, strerror(errno));
	return -1;
}

static void *
client_run(void *arg)
{
	struct client	*c = arg;
	char		 req[BENCH_REQUEST_MAX], body[512], number[8];
	int		 body_len, req_len, status, closing;
	size_t		 off, len, shown;
	int64_t		 t0;
	long		 i;
	char		 arrived[32];
	time_t		 now;
	struct tm	 tm;

	/* An hour ago: well inside arrivals.max_past_days. */
	now = time(NULL) - 3600;
	gmtime_r(&now, &tm);
	strftime(arrived, sizeof arrived, "%Y-%m-%dT%H:%M:%SZ", &tm);
	pthread_barrier_wait(&bench_start);
	for (i = 0; i < c->count && c->conn.fd != -1; i++) {
		prison_number(c->first + i, number);
		body_len = snprintf(body, sizeof body, "{"
		    "\"prison_number\":\"%s\","
		    "\"given_name\":\"Bench\","
		    "\"family_name\":\"Client%03d\","
		    "\"date_of_birth\":\"1990-01-01\","
		    "\"arrived_at\":\"%s\","
		    "\"location\":\"Reception holding room 2\","
		    "\"stimulant_user\":false,"
		    "\"community_treatment\":null}", number, c->index, arrived);
		req_len = snprintf(req, sizeof req,
		    "POST /v1/patients HTTP/1.1\r\n"
		    "Host: %s:%d\r\n"
		    "Authorization: Bearer %s\r\n"
		    "Content-Type: application/json\r\n"
		    "Accept: application/json\r\n"
		    "Content-Length: %d\r\n"
		    "\r\n%s", bench_addr, bench_port, bench_token, body_len,
		    body);
		if (req_len < 0 || (size_t)req_len >= sizeof req) {
			fprintf(stderr, "bench_writes: the request is too "
			    "long\n");
			c->failed = 1;
			break;
		}

		errno = 0;
		t0 = now_ns();
		if (write_all(c->conn.fd, req, (size_t)req_len) == -1)
			status = -1;
		else
			status = bench_conn_answer(&c->conn, &closing, &off,
			    &len);
		if (status == -2) {
			fprintf(stderr, "bench_writes: client %d: an answer "
			    "without a status or Content-Length:\n%s\n",
			    c->index, c->conn.in);
			c->failed = 1;
			break;
		}
		if (status == -1) {
			fprintf(stderr, "bench_writes: client %d: request %ld: "
			    "the connection failed (%s)\n", c->index, i,
			    errno ? strerror(errno) : "closed");
			c->failed = 1;
			break;
		}
		c->latency_ns[c->done++] = now_ns() - t0;

		if (status != 201) {
			c->refused++;
			shown = len;
			while (shown > 0 && (c->conn.in[off + shown - 1] ==
			    '\n' || c->conn.in[off + shown - 1] == '\r'))
				shown--;
			pthread_mutex_lock(&bench_print_lock);
			if (bench_shown++ < BENCH_MAX_SHOWN)
				fprintf(stderr, "bench_writes: client %d: %s: "
				    "HTTP %d: %.*s\n", c->index, number,
				    status, (int)shown, c->conn.in + off);
			pthread_mutex_unlock(&bench_print_lock);
		}
		bench_conn_consume(&c->conn, off + len);
		if (closing) {
			close(c->conn.fd);
			if (client_connect(c) == -1)
				c->failed = 1;
		}
	}
	return NULL;
}

static void
usage(void)
{
	fprintf(stderr, "usage: BENCH_TOKEN=token bench_writes [-a addr] "
	    "-p port [-c clients] [-n requests] [-s first] [-l label]\n");
	exit(2);
}


int
main(int argc, char **argv)
{
	struct client	*clients;
	const char	*label = "api";
	long		 nclients = 1, total = 1000, first = 0, per, extra;
	long		 done = 0, refused = 0, at = 0, i;
	int64_t		*all, t0, t1;
	double		 seconds;
	int		 ch, failed = 0;

	while ((ch = getopt(argc, argv, "a:c:l:n:p:s:")) != -1) {
		switch (ch) {
		case 'a':
			bench_addr = optarg;
			break;
		case 'c':
			nclients = bench_number(optarg, 1, BENCH_MAX_CLIENTS,
			    usage);
			break;
		case 'l':
			label = optarg;
			break;
		case 'n':
			total = bench_number(optarg, 1, 100000000, usage);
			break;
		case 'p':
			bench_port = (int)bench_number(optarg, 1, 65535, usage);
			break;
		case 's':
			first = bench_number(optarg, 0,
			    BENCH_PRISON_NUMBERS - 1, usage);
			break;
		default:
			usage();
		}
	}
	if (optind != argc || bench_port == 0)
		usage();
	bench_token = getenv("BENCH_TOKEN");
	if (bench_token == NULL || *bench_token == '\0' ||
	    strlen(bench_token) > BENCH_MAX_TOKEN ||
	    strpbrk(bench_token, "\r\n") != NULL) {
		fprintf(stderr, "bench_writes: set BENCH_TOKEN to a reception "
		    "user's bearer token\n");
		return 2;
	}
	if (first + total > BENCH_PRISON_NUMBERS) {
		fprintf(stderr, "bench_writes: not enough prison numbers\n");
		return 2;
	}
	if (total < nclients)
		nclients = total;
	signal(SIGPIPE, SIG_IGN);

	if ((clients = calloc((size_t)nclients, sizeof *clients)) == NULL ||
	    (all = calloc((size_t)total, sizeof *all)) == NULL) {
		perror("bench_writes");
		return 1;
	}
	per = total / nclients;
	extra = total % nclients;
	pthread_barrier_init(&bench_start, NULL, (unsigned)nclients + 1);
	for (i = 0; i < nclients; i++) {
		struct client	*c = &clients[i];

		c->index = (int)i;
		c->count = per + (i < extra);
		c->first = first + at;
		at += c->count;
		if ((c->latency_ns = calloc((size_t)c->count,
		    sizeof *c->latency_ns)) == NULL) {
			perror("bench_writes");
			return 1;
		}
		/* Connect before the clock starts; a client that cannot
		 * connect sends nothing and fails the run. */
		if (client_connect(c) == -1)
			c->failed = 1;
		if (pthread_create(&c->thread, NULL, client_run, c) != 0) {
			fprintf(stderr, "bench_writes: cannot start a thread\n");
			return 1;
		}
	}
	pthread_barrier_wait(&bench_start);
	t0 = now_ns();
	for (i = 0; i < nclients; i++)
		pthread_join(clients[i].thread, NULL);
	t1 = now_ns();

	for (i = 0; i < nclients; i++) {
		struct client	*c = &clients[i];

		memcpy(all + done, c->latency_ns, (size_t)c->done *
		    sizeof *all);
		done += c->done;
		refused += c->refused;
		failed |= c->failed;
		bench_conn_close(&c->conn);
		free(c->latency_ns);
	}
	free(clients);
	pthread_barrier_destroy(&bench_start);

	seconds = (double)(t1 - t0) / 1e9;
	if (done == 0) {
		fprintf(stderr, "bench_writes: %s: no answers\n", label);
		free(all);
		return 1;
	}
	qsort(all, (size_t)done, sizeof *all, cmp_int64);
	printf("%s: %ld client%s, %ld requests (%ld not 201) in %.2f s: "
	    "%.1f req/s, p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", label,
	    nclients, nclients == 1 ? "" : "s", done, refused, seconds, (double)done / seconds,
	    quantile_ms(all, done, 0.50), quantile_ms(all, done, 0.99),
	    (double)all[done - 1] / 1e6);
	printf("RESULT %s %.1f %.3f %.3f\n", label, (double)done / seconds,
	    quantile_ms(all, done, 0.50), quantile_ms(all, done, 0.99));
	free(all);
	if (refused > 0 || failed || done != total) {
		fprintf(stderr, "bench_writes: %s: %ld of %ld requests were not "
		    "answered 201\n", label, total - (done - refused), total);
		return 1;
	}
	return 0;
}
