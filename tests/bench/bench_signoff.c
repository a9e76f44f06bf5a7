/* bench_signoff: dose sign-offs per second through the idtsd API.
 *
 * C terminals, each a thread with its own keep-alive HTTP/1.1 connection
 * and its own nurse's bearer token, sign doses off as given:
 * POST /v1/doses/{id}/administer {"witness": {"username", "pin"}}, the
 * witness re-entering their PIN in every request as at the drug hatch.
 * Each terminal waits for its answer before the next dose; every answer
 * must be 200.  The latency of each is from the first byte written to the
 * last byte of the answer read (CLOCK_MONOTONIC).
 *
 * The doses are the lines of a file of dose ids (GET /v1/doses?state=due);
 * this run takes N of them from line FIRST on, dealt out in turn to the
 * terminals:
 *
 *	BENCH_TOKENS=t1,t2,... BENCH_WITNESSES=user1:pin1,user2:pin2,... \
 *	    bench_signoff -p PORT -c 8 -f IDS [-s FIRST] [-n N] [-l LABEL]
 *
 * Terminal i signs in with the i-th token and names the i-th witness
 * (who must not be that terminal's nurse); tokens and PINs come from the
 * environment so they do not show in the process list.  BENCH_CONFIRM,
 * if set, is added to each body: the members that confirm the doses'
 * cautions, ',"confirm_cautions":[...],"note":"..."'.  It prints a line
 * for people and "RESULT LABEL SIGNOFFS/S P50_MS P99_MS MAX_MS" for
 * scripts (tests/bench/signoff.sh), and exits 1 if any answer was not
 * 200 or a connection failed.  Build: cc -std=c11 -O2 -pthread. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_common.h"

#define SO_MAX_TERMINALS	64
#define SO_MAX_DOSES		1000000
#define SO_ID_LEN		36
#define SO_MAX_SHOWN		5

struct terminal {
	pthread_t	 thread;
	int		 index;
	const char	*token;
	char		 witness[256];	/* {"username":...,"pin":...} */
	long		 first, count;	/* its doses: ids[first + k * C] */
	int64_t		*latency_ns;
	long		 done;
	long		 refused;	/* answers other than 200 */
	int		 failed;	/* a connection error stopped it */
	struct bench_conn conn;
};

static const char	*so_addr = "127.0.0.1";
static int		 so_port;
static long		 so_terminals = 8;
static char		(*so_ids)[SO_ID_LEN + 1];
static pthread_barrier_t so_start;
static pthread_mutex_t	 so_print_lock = PTHREAD_MUTEX_INITIALIZER;
static int		 so_shown;
static const char	*so_confirm = "";	/* BENCH_CONFIRM */

static void *
terminal_run(void *arg)
{
	struct terminal	*t = arg;
	char		 req[2048], body[1024];
	const char	*id;
	size_t		 off, len, shown;
	int		 n, body_len, status, closing;
	int64_t		 t0;
	long		 k;

	body_len = snprintf(body, sizeof body, "{\"witness\":%s%s}",
	    t->witness, so_confirm);
	pthread_barrier_wait(&so_start);
	for (k = 0; k < t->count && t->conn.fd != -1; k++) {
		id = so_ids[t->first + k * so_terminals];
		n = snprintf(req, sizeof req,
		    "POST /v1/doses/%s/administer HTTP/1.1\r\n"
		    "Host: %s:%d\r\n"
		    "Authorization: Bearer %s\r\n"
		    "Content-Type: application/json\r\n"
		    "Accept: application/json\r\n"
		    "Content-Length: %d\r\n"
		    "\r\n%s", id, so_addr, so_port, t->token, body_len, body);
		if (n < 0 || (size_t)n >= sizeof req) {
			fprintf(stderr, "bench_signoff: the request is too "
			    "long\n");
			t->failed = 1;
			break;
		}
		errno = 0;
		t0 = now_ns();
		if (write_all(t->conn.fd, req, (size_t)n) == -1)
			status = -1;
		else
			status = bench_conn_answer(&t->conn, &closing, &off,
			    &len);
		if (status < 0) {
			if (status == -2)
				fprintf(stderr, "bench_signoff: terminal %d: "
				    "an answer without a status or "
				    "Content-Length:\n%s\n", t->index,
				    t->conn.in);
			else
				fprintf(stderr, "bench_signoff: terminal %d: "
				    "dose %s: the connection failed (%s)\n",
				    t->index, id, errno ? strerror(errno) :
				    "closed");
			t->failed = 1;
			break;
		}
		t->latency_ns[t->done++] = now_ns() - t0;
		if (status != 200) {
			t->refused++;
			shown = len;
			while (shown > 0 && (t->conn.in[off + shown - 1] ==
			    '\n' || t->conn.in[off + shown - 1] == '\r'))
				shown--;
			pthread_mutex_lock(&so_print_lock);
			if (so_shown++ < SO_MAX_SHOWN)
				fprintf(stderr, "bench_signoff: terminal %d: "
				    "dose %s: HTTP %d: %.*s\n", t->index, id,
				    status, (int)shown, t->conn.in + off);
			pthread_mutex_unlock(&so_print_lock);
		}
		bench_conn_consume(&t->conn, off + len);
		if (closing) {
			close(t->conn.fd);
			if (bench_conn_open(&t->conn, so_addr, so_port) == -1) {
				fprintf(stderr, "bench_signoff: terminal %d: "
				    "reconnect: %s\n", t->index,
				    strerror(errno));
				t->failed = 1;
			}
		}
	}
	return NULL;
}

static void
usage(void)
{
	fprintf(stderr, "usage: BENCH_TOKENS=t1,... BENCH_WITNESSES=user:pin,"
	    "... bench_signoff [-a addr] -p port [-c terminals] -f ids "
	    "[-s first] [-n count] [-l label]\n");
	exit(2);
}


/* Read the dose ids, one a line; returns how many, or -1. */
static long
read_ids(const char *path)
{
	FILE	*f;
	char	 line[128];
	long	 n = 0;
	size_t	 len;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "bench_signoff: %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	if ((so_ids = calloc(SO_MAX_DOSES, sizeof *so_ids)) == NULL) {
		fclose(f);
		return -1;
	}
	while (n < SO_MAX_DOSES && fgets(line, sizeof line, f) != NULL) {
		len = strcspn(line, "\r\n");
		if (len == 0)
			continue;
		if (len != SO_ID_LEN || strspn(line, "0123456789abcdef-") !=
		    SO_ID_LEN) {
			fprintf(stderr, "bench_signoff: %s: not a dose id: "
			    "%.*s\n", path, (int)len, line);
			fclose(f);
			return -1;
		}
		memcpy(so_ids[n], line, SO_ID_LEN);
		so_ids[n++][SO_ID_LEN] = '\0';
	}
	fclose(f);
	return n;
}

/* The i-th comma-separated item of list, copied into out; -1 if none. */
static int
list_item(const char *list, long i, char *out, size_t size)
{
	const char	*p = list;
	size_t		 len;

	while (i-- > 0) {
		if ((p = strchr(p, ',')) == NULL)
			return -1;
		p++;
	}
	len = strcspn(p, ",");
	if (len == 0 || len >= size)
		return -1;
	memcpy(out, p, len);
	out[len] = '\0';
	return 0;
}

int
main(int argc, char **argv)
{
	struct terminal	*terms;
	const char	*label = "signoff", *ids_path = NULL;
	const char	*tokens, *witnesses;
	char		 item[200], *colon;
	long		 nids, first = 0, total = -1, per, extra, i;
	long		 done = 0, refused = 0;
	int64_t		*all, t0, t1;
	double		 seconds;
	int		 ch, failed = 0;

	while ((ch = getopt(argc, argv, "a:c:f:l:n:p:s:")) != -1) {
		switch (ch) {
		case 'a':
			so_addr = optarg;
			break;
		case 'c':
			so_terminals = bench_number(optarg, 1, SO_MAX_TERMINALS,
			    usage);
			break;
		case 'f':
			ids_path = optarg;
			break;
		case 'l':
			label = optarg;
			break;
		case 'n':
			total = bench_number(optarg, 1, SO_MAX_DOSES, usage);
			break;
		case 'p':
			so_port = (int)bench_number(optarg, 1, 65535, usage);
			break;
		case 's':
			first = bench_number(optarg, 0, SO_MAX_DOSES - 1,
			    usage);
			break;
		default:
			usage();
		}
	}
	if (optind != argc || so_port == 0 || ids_path == NULL)
		usage();
	tokens = getenv("BENCH_TOKENS");
	witnesses = getenv("BENCH_WITNESSES");
	if (getenv("BENCH_CONFIRM") != NULL)
		so_confirm = getenv("BENCH_CONFIRM");
	if (tokens == NULL || witnesses == NULL ||
	    strpbrk(tokens, "\r\n") != NULL || strlen(so_confirm) > 600 ||
	    strpbrk(so_confirm, "\r\n") != NULL ||
	    strpbrk(witnesses, "\r\n\"\\") != NULL) {
		fprintf(stderr, "bench_signoff: set BENCH_TOKENS to the "
		    "terminals' nurses' tokens and BENCH_WITNESSES to their "
		    "witnesses' username:pin, comma-separated\n");
		return 2;
	}
	if ((nids = read_ids(ids_path)) == -1)
		return 1;
	if (total == -1)
		total = nids - first;
	if (total < 1 || first + total > nids) {
		fprintf(stderr, "bench_signoff: %s has %ld doses; %ld from "
		    "line %ld asked for\n", ids_path, nids, total, first);
		return 2;
	}
	if (total < so_terminals)
		so_terminals = total;
	signal(SIGPIPE, SIG_IGN);

	if ((terms = calloc((size_t)so_terminals, sizeof *terms)) == NULL ||
	    (all = calloc((size_t)total, sizeof *all)) == NULL) {
		perror("bench_signoff");
		return 1;
	}
	per = total / so_terminals;
	extra = total % so_terminals;
	pthread_barrier_init(&so_start, NULL, (unsigned)so_terminals + 1);
	for (i = 0; i < so_terminals; i++) {
		struct terminal	*t = &terms[i];
		char		*tok;

		t->index = (int)i;
		t->first = first + i;
		t->count = per + (i < extra);
		if (list_item(tokens, i, item, sizeof item) == -1 ||
		    (tok = strdup(item)) == NULL) {
			fprintf(stderr, "bench_signoff: BENCH_TOKENS has no "
			    "token for terminal %ld\n", i + 1);
			return 2;
		}
		t->token = tok;
		if (list_item(witnesses, i, item, sizeof item) == -1 ||
		    (colon = strchr(item, ':')) == NULL) {
			fprintf(stderr, "bench_signoff: BENCH_WITNESSES has "
			    "no username:pin for terminal %ld\n", i + 1);
			return 2;
		}
		*colon = '\0';
		snprintf(t->witness, sizeof t->witness,
		    "{\"username\":\"%s\",\"pin\":\"%s\"}", item, colon + 1);
		if ((t->latency_ns = calloc((size_t)t->count,
		    sizeof *t->latency_ns)) == NULL) {
			perror("bench_signoff");
			return 1;
		}
		/* Connect before the clock starts; a terminal that cannot
		 * connect signs nothing and fails the run. */
		if (bench_conn_open(&t->conn, so_addr, so_port) == -1) {
			fprintf(stderr, "bench_signoff: terminal %ld: connect "
			    "%s:%d: %s\n", i, so_addr, so_port,
			    strerror(errno));
			t->failed = 1;
		}
		if (pthread_create(&t->thread, NULL, terminal_run, t) != 0) {
			fprintf(stderr, "bench_signoff: cannot start a "
			    "thread\n");
			return 1;
		}
	}
	pthread_barrier_wait(&so_start);
	t0 = now_ns();
	for (i = 0; i < so_terminals; i++)
		pthread_join(terms[i].thread, NULL);
	t1 = now_ns();

	for (i = 0; i < so_terminals; i++) {
		struct terminal	*t = &terms[i];

		memcpy(all + done, t->latency_ns, (size_t)t->done *
		    sizeof *all);
		done += t->done;
		refused += t->refused;
		failed |= t->failed;
		bench_conn_close(&t->conn);
		free(t->latency_ns);
		free((char *)t->token);
	}
	free(terms);
	free(so_ids);
	pthread_barrier_destroy(&so_start);

	seconds = (double)(t1 - t0) / 1e9;
	if (done == 0) {
		fprintf(stderr, "bench_signoff: %s: no answers\n", label);
		free(all);
		return 1;
	}
	qsort(all, (size_t)done, sizeof *all, cmp_int64);
	printf("%s: %ld terminal%s, %ld sign-offs (%ld not 200) in %.2f s: "
	    "%.1f sign-offs/s, p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
	    label, so_terminals, so_terminals == 1 ? "" : "s", done, refused,
	    seconds, (double)done / seconds, quantile_ms(all, done, 0.50),
	    quantile_ms(all, done, 0.99), (double)all[done - 1] / 1e6);
	printf("RESULT %s %.1f %.3f %.3f %.3f\n", label,
	    (double)done / seconds, quantile_ms(all, done, 0.50),
	    quantile_ms(all, done, 0.99), (double)all[done - 1] / 1e6);
	free(all);
	if (refused > 0 || failed || done != total) {
		fprintf(stderr, "bench_signoff: %s: %ld of %ld sign-offs were "
		    "not answered 200\n", label, total - (done - refused),
		    total);
		return 1;
	}
	return 0;
}
