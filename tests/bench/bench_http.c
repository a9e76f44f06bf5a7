/* bench_http: the latency and size of one API request, asked again and
 * again; or the time to walk a paged answer to its end.
 *
 * Sends METHOD PATH N times, one after the other, on one keep-alive
 * HTTP/1.1 connection, and times each from the first byte written to the
 * last byte of the answer read (CLOCK_MONOTONIC).  Every answer must have
 * the expected status.  With -w it walks a paged answer instead: GET PATH,
 * then PATH with after=NEXT for as long as the answer's "next_after" is a
 * number (GET /v1/register/{id}), N times over.
 *
 *	BENCH_TOKEN=... [BENCH_BODY=json] bench_http -p PORT [-m METHOD]
 *	    [-n N] [-e STATUS] [-k KEY] [-A TYPE] [-w] [-l LABEL] PATH
 *
 *	-a ADDR    daemon address (127.0.0.1)
 *	-A TYPE    the Accept header's media type (application/json)
 *	-p PORT    daemon port (required)
 *	-m METHOD  GET (default) or POST, with BENCH_BODY as its JSON body
 *	-n N       requests, or walks with -w (20)
 *	-e STATUS  the status every answer must have (200)
 *	-k KEY     count the items of an answer by its "KEY": members
 *	-w         walk the pages, following "next_after"
 *	-l LABEL   name of the run in the output (http)
 *
 * The bearer token (optional) and the body come from the environment, so
 * neither shows in the process list.  It prints a line for people and one
 * for scripts:
 *	RESULT LABEL P50_MS P99_MS MAX_MS BYTES ITEMS
 * (BYTES and ITEMS of the last answer) or with -w
 *	RESULT LABEL BEST_WALK_MS PAGES BYTES ITEMS PAGE_P50_MS PAGE_MAX_MS
 * and exits 1 if an answer had another status or the connection failed.
 * Build: cc -std=c11 -O2 bench_http.c bench_common.c (Linux: memmem). */
#define _GNU_SOURCE	/* memmem */

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_common.h"

#define HTTP_MAX_TOKEN	512
#define HTTP_MAX_BODY	4096
#define HTTP_MAX_PATH	1024
#define HTTP_MAX_PAGES	100000

static const char	*http_addr = "127.0.0.1";
static int		 http_port;
static const char	*http_method = "GET";
static const char	*http_token;
static const char	*http_body;
static int		 http_expect = 200;
static const char	*http_key;
static const char	*http_accept = "application/json";
static struct bench_conn http_conn;

/* The last answer's body and its size. */
static const char	*answer_body;
static size_t		 answer_len;

/* One request, its answer read whole: the status, or -1 (reported). */
static int
http_once(const char *path, int64_t *ns)
{
	static size_t	 prev;
	char		 req[HTTP_MAX_PATH + HTTP_MAX_TOKEN + HTTP_MAX_BODY + 512];
	size_t		 off, len;
	int		 n, status, closing;
	int64_t		 t0;

	if (prev > 0) {
		bench_conn_consume(&http_conn, prev);
		prev = 0;
	}
	n = snprintf(req, sizeof req, "%s %s HTTP/1.1\r\n"
	    "Host: %s:%d\r\n"
	    "%s%s%s"
	    "Accept: %s\r\n"
	    "%s%zu\r\n"
	    "\r\n%s", http_method, path, http_addr, http_port,
	    http_token ? "Authorization: Bearer " : "",
	    http_token ? http_token : "", http_token ? "\r\n" : "",
	    http_accept,
	    http_body ? "Content-Type: application/json\r\nContent-Length: " :
	    "Content-Length: ", http_body ? strlen(http_body) : 0,
	    http_body ? http_body : "");
	if (n < 0 || (size_t)n >= sizeof req) {
		fprintf(stderr, "bench_http: the request is too long\n");
		return -1;
	}
	t0 = now_ns();
	if (write_all(http_conn.fd, req, (size_t)n) == -1)
		status = -1;
	else
		status = bench_conn_answer(&http_conn, &closing, &off, &len);
	*ns = now_ns() - t0;
	if (status == -2) {
		fprintf(stderr, "bench_http: an answer without a status or "
		    "Content-Length:\n%s\n", http_conn.in);
		return -1;
	}
	if (status == -1) {
		fprintf(stderr, "bench_http: %s %s: the connection failed "
		    "(%s)\n", http_method, path, errno ? strerror(errno) :
		    "closed");
		return -1;
	}
	answer_body = http_conn.in + off;
	answer_len = len;
	prev = off + len;
	if (status != http_expect) {
		fprintf(stderr, "bench_http: %s %s: HTTP %d (expected %d): "
		    "%.400s\n", http_method, path, status, http_expect,
		    answer_body);
		return -1;
	}
	if (closing) {
		close(http_conn.fd);
		prev = 0;
		if (bench_conn_open(&http_conn, http_addr, http_port) == -1) {
			perror("bench_http: connect");
			return -1;
		}
	}
	return status;
}

/* How many "KEY": members the last answer has (0 without -k). */
static long
http_items(void)
{
	char		 pat[128];
	const char	*p = answer_body, *end = answer_body + answer_len;
	size_t		 n;
	long		 items = 0;

	if (http_key == NULL)
		return 0;
	n = (size_t)snprintf(pat, sizeof pat, "\"%s\":", http_key);
	while (p < end && (p = memmem(p, (size_t)(end - p), pat, n)) != NULL) {
		items++;
		p += n;
	}
	return items;
}

/* The last answer's "next_after": 1 and *next if a number, 0 if null or
 * absent. */
static int
http_next_after(long long *next)
{
	static const char	 pat[] = "\"next_after\":";
	const char		*p = NULL, *q = answer_body;
	const char		*end = answer_body + answer_len;
	char			 num[32];
	size_t			 n;

	/* The last one: entries never have a member of that name. */
	while (q < end && (q = memmem(q, (size_t)(end - q), pat,
	    sizeof pat - 1)) != NULL) {
		p = q;
		q += sizeof pat - 1;
	}
	if (p == NULL)
		return 0;
	p += sizeof pat - 1;
	for (n = 0; n < sizeof num - 1 && p + n < end &&
	    strchr("0123456789", p[n]) != NULL && p[n] != '\0'; n++)
		num[n] = p[n];
	num[n] = '\0';
	if (n == 0)
		return 0;
	*next = strtoll(num, NULL, 10);
	return 1;
}

static void
usage(void)
{
	fprintf(stderr, "usage: BENCH_TOKEN=token [BENCH_BODY=json] bench_http "
	    "[-a addr] -p port [-m method] [-n count] [-e status] [-k key] "
	    "[-A type] [-w] [-l label] path\n");
	exit(2);
}


/* -n walks of the pages from path; best walk and every page timed. */
static int
http_walk(const char *path, const char *label, long walks)
{
	char		 page[HTTP_MAX_PATH + 32];
	int64_t		*page_ns, ns, walk_ns, best = INT64_MAX;
	long		 npages = 0, pages = 0, items = 0, w;
	long long	 next;
	size_t		 bytes = 0;
	int		 more;

	if ((page_ns = calloc(HTTP_MAX_PAGES, sizeof *page_ns)) == NULL)
		return 1;
	for (w = 0; w < walks; w++) {
		walk_ns = 0;
		pages = items = 0;
		bytes = 0;
		snprintf(page, sizeof page, "%s", path);
		do {
			if (http_once(page, &ns) == -1) {
				free(page_ns);
				return 1;
			}
			walk_ns += ns;
			if (npages < HTTP_MAX_PAGES)
				page_ns[npages++] = ns;
			pages++;
			bytes += answer_len;
			items += http_items();
			if ((more = http_next_after(&next)) != 0)
				snprintf(page, sizeof page, "%s%cafter=%lld",
				    path, strchr(path, '?') ? '&' : '?', next);
		} while (more);
		printf("%s: walk %ld: %ld pages, %ld items, %zu bytes in "
		    "%.1f ms\n", label, w + 1, pages, items, bytes,
		    (double)walk_ns / 1e6);
		if (walk_ns < best)
			best = walk_ns;
	}
	qsort(page_ns, (size_t)npages, sizeof *page_ns, cmp_int64);
	printf("%s: best walk %.1f ms; pages p50 %.2f ms, max %.2f ms\n",
	    label, (double)best / 1e6, quantile_ms(page_ns, npages, 0.50),
	    (double)page_ns[npages - 1] / 1e6);
	printf("RESULT %s %.3f %ld %zu %ld %.3f %.3f\n", label,
	    (double)best / 1e6, pages, bytes, items,
	    quantile_ms(page_ns, npages, 0.50),
	    (double)page_ns[npages - 1] / 1e6);
	free(page_ns);
	return 0;
}

int
main(int argc, char **argv)
{
	const char	*label = "http", *path;
	long		 count = 20, i;
	int64_t		*ns;
	int		 ch, walk = 0, rc = 0;

	while ((ch = getopt(argc, argv, "A:a:e:k:l:m:n:p:w")) != -1) {
		switch (ch) {
		case 'A':
			if (strlen(optarg) > 128 || *optarg == '\0' ||
			    strpbrk(optarg, "\r\n") != NULL)
				usage();
			http_accept = optarg;
			break;
		case 'a':
			http_addr = optarg;
			break;
		case 'e':
			http_expect = (int)bench_number(optarg, 100, 599,
			    usage);
			break;
		case 'k':
			if (strlen(optarg) > 64)
				usage();
			http_key = optarg;
			break;
		case 'l':
			label = optarg;
			break;
		case 'm':
			if (strcmp(optarg, "GET") != 0 &&
			    strcmp(optarg, "POST") != 0)
				usage();
			http_method = optarg;
			break;
		case 'n':
			count = bench_number(optarg, 1, 1000000, usage);
			break;
		case 'p':
			http_port = (int)bench_number(optarg, 1, 65535, usage);
			break;
		case 'w':
			walk = 1;
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1 || http_port == 0)
		usage();
	path = argv[optind];
	if (strlen(path) > HTTP_MAX_PATH || path[0] != '/' ||
	    strpbrk(path, " \r\n") != NULL)
		usage();
	http_token = getenv("BENCH_TOKEN");
	if (http_token != NULL && (*http_token == '\0' ||
	    strlen(http_token) > HTTP_MAX_TOKEN ||
	    strpbrk(http_token, "\r\n") != NULL)) {
		fprintf(stderr, "bench_http: BENCH_TOKEN is not a token\n");
		return 2;
	}
	http_body = getenv("BENCH_BODY");
	if (http_body != NULL && strlen(http_body) > HTTP_MAX_BODY) {
		fprintf(stderr, "bench_http: BENCH_BODY is too long\n");
		return 2;
	}
	if (walk && strcmp(http_method, "GET") != 0)
		usage();
	signal(SIGPIPE, SIG_IGN);
	if (bench_conn_open(&http_conn, http_addr, http_port) == -1) {
		fprintf(stderr, "bench_http: connect %s:%d: %s\n", http_addr,
		    http_port, strerror(errno));
		return 1;
	}

	if (walk) {
		rc = http_walk(path, label, count);
		bench_conn_close(&http_conn);
		return rc;
	}
	if ((ns = calloc((size_t)count, sizeof *ns)) == NULL) {
		perror("bench_http");
		return 1;
	}
	for (i = 0; i < count; i++)
		if (http_once(path, &ns[i]) == -1) {
			rc = 1;
			break;
		}
	if (rc == 0) {
		long	items = http_items();
		double	first = (double)ns[0] / 1e6;

		qsort(ns, (size_t)count, sizeof *ns, cmp_int64);
		printf("%s: %ld x %s %s: %zu bytes%s", label, count,
		    http_method, path, answer_len, http_key ? ", " : "");
		if (http_key)
			printf("%ld items", items);
		printf("; first %.2f ms, p50 %.2f ms, p99 %.2f ms, max %.2f "
		    "ms\n", first, quantile_ms(ns, count, 0.50),
		    quantile_ms(ns, count, 0.99), (double)ns[count - 1] / 1e6);
		printf("RESULT %s %.3f %.3f %.3f %zu %ld\n", label,
		    quantile_ms(ns, count, 0.50), quantile_ms(ns, count, 0.99),
		    (double)ns[count - 1] / 1e6, answer_len, items);
	}
	free(ns);
	bench_conn_close(&http_conn);
	return rc;
}
