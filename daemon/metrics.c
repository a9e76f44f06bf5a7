/* The request counters behind GET /metrics, and their text in the
 * Prometheus exposition format (version 0.0.4).  A status gets its column
 * the first time it is answered, so every status is counted exactly while
 * the arrays stay fixed; the daemon answers fewer than a score of them. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "metrics.h"

#define METRICS_STATUSES	32
#define METRICS_BUCKETS		13

/* The histogram's upper bounds, in ns and as labelled; the last bucket,
 * +Inf, takes the rest. */
static const int64_t metrics_bound_ns[METRICS_BUCKETS] = {
	500000, 1000000, 2500000, 5000000, 10000000, 25000000, 50000000,
	100000000, 250000000, 500000000, 1000000000, 2500000000, 5000000000
};
static const char *const metrics_bound_label[METRICS_BUCKETS] = {
	"0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05",
	"0.1", "0.25", "0.5", "1", "2.5", "5"
};

struct metrics_counts {
	uint64_t	by_status[METRICS_STATUSES];
	uint64_t	bucket[METRICS_BUCKETS + 1];	/* not cumulative */
	uint64_t	sum_ns;
	uint64_t	count;
};

static struct metrics_counts	metrics_routes[METRICS_ROUTES];
static struct metrics_counts	metrics_malformed_counts;
/* Which status each column counts, and each status's column plus one. */
static int			metrics_status[METRICS_STATUSES];
static int			metrics_nstatus;
static uint8_t			metrics_column[600];
static uint64_t			metrics_unclassified;

/* Nanoseconds on the monotonic clock (the vDSO: no system call). */
int64_t
metrics_clock(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The column of a status, given one the first time; -1 if the status is
 * not an HTTP one or every column is taken. */
static int
metrics_status_column(int status)
{
	if (status < 100 || status >= 600)
		return -1;
	if (metrics_column[status] == 0) {
		if (metrics_nstatus == METRICS_STATUSES)
			return -1;
		metrics_status[metrics_nstatus++] = status;
		metrics_column[status] = (uint8_t)metrics_nstatus;
	}
	return metrics_column[status] - 1;
}

/* Count one status in c. */
static void
metrics_count_status(struct metrics_counts *c, int status)
{
	int	col = metrics_status_column(status);

	if (col == -1)
		metrics_unclassified++;
	else
		c->by_status[col]++;
}

/* A request answered: route is its number in the router's table, or -1
 * when none matched; started_ns is metrics_clock() when it arrived. */
void
metrics_request(int route, int status, int64_t started_ns)
{
	struct metrics_counts	*c;
	int64_t			 ns = metrics_clock() - started_ns;
	int			 b = 0;

	if (route < 0 || route >= METRICS_UNMATCHED)
		route = METRICS_UNMATCHED;
	c = &metrics_routes[route];
	metrics_count_status(c, status);
	if (ns < 0)
		ns = 0;
	while (b < METRICS_BUCKETS && ns > metrics_bound_ns[b])
		b++;
	c->bucket[b]++;
	c->sum_ns += (uint64_t)ns;
	c->count++;
}

/* A request evhttp refused before the router saw it (malformed, headers
 * or body over the limit, an unknown method): the guard's JSON page. */
void
metrics_malformed(int status)
{
	metrics_count_status(&metrics_malformed_counts, status);
}

/* One family's HELP and TYPE lines. */
static void
metrics_family(FILE *f, const char *name, const char *type,
    const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* The labels of a route: method and pattern, or "unmatched". */
static int
metrics_labels(char *out, size_t size, int route,
    int (*name)(int, struct metrics_route_name *))
{
	struct metrics_route_name	n;

	if (route == METRICS_UNMATCHED || name(route, &n) == -1)
		n.method = n.pattern = "unmatched";
	return snprintf(out, size, "method=\"%s\",route=\"%s\"", n.method,
	    n.pattern);
}

/* Requests by route and status: a counter. */
static void
metrics_write_requests(FILE *f, int (*name)(int, struct metrics_route_name *))
{
	char	labels[256];
	int	route, col;

	metrics_family(f, "idtsd_http_requests_total", "counter",
	    "HTTP requests answered, by route pattern (unmatched: no route) "
	    "and status.");
	for (route = 0; route < METRICS_ROUTES; route++) {
		if (metrics_routes[route].count == 0)
			continue;
		metrics_labels(labels, sizeof labels, route, name);
		for (col = 0; col < metrics_nstatus; col++)
			if (metrics_routes[route].by_status[col] != 0)
				fprintf(f, "idtsd_http_requests_total{%s,"
				    "code=\"%d\"} %llu\n", labels,
				    metrics_status[col],
				    (unsigned long long)
				    metrics_routes[route].by_status[col]);
	}
}

/* Time from a request's arrival to its answer: a histogram per route,
 * its buckets cumulative as the format has them. */
static void
metrics_write_latency(FILE *f, int (*name)(int, struct metrics_route_name *))
{
	const struct metrics_counts	*c;
	char				 labels[256];
	uint64_t			 below;
	int				 route, b;

	metrics_family(f, "idtsd_http_request_duration_seconds", "histogram",
	    "Time from a request's arrival to its answer, by route.");
	for (route = 0; route < METRICS_ROUTES; route++) {
		c = &metrics_routes[route];
		if (c->count == 0)
			continue;
		metrics_labels(labels, sizeof labels, route, name);
		for (b = 0, below = 0; b < METRICS_BUCKETS; b++) {
			below += c->bucket[b];
			fprintf(f, "idtsd_http_request_duration_seconds_bucket"
			    "{%s,le=\"%s\"} %llu\n", labels,
			    metrics_bound_label[b], (unsigned long long)below);
		}
		fprintf(f, "idtsd_http_request_duration_seconds_bucket"
		    "{%s,le=\"+Inf\"} %llu\n", labels,
		    (unsigned long long)c->count);
		fprintf(f, "idtsd_http_request_duration_seconds_sum{%s} "
		    "%.9f\n", labels, (double)c->sum_ns / 1e9);
		fprintf(f, "idtsd_http_request_duration_seconds_count{%s} "
		    "%llu\n", labels, (unsigned long long)c->count);
	}
}

/* Every HTTP counter, in the exposition format.  name gives a route's
 * method and pattern (router_route_name). */
void
metrics_write_http(FILE *f, int (*name)(int, struct metrics_route_name *))
{
	int	col;

	metrics_write_requests(f, name);
	metrics_write_latency(f, name);
	metrics_family(f, "idtsd_http_malformed_requests_total", "counter",
	    "Requests refused before routing (malformed, over a size limit, "
	    "an unknown method), by status.");
	for (col = 0; col < metrics_nstatus; col++)
		if (metrics_malformed_counts.by_status[col] != 0)
			fprintf(f, "idtsd_http_malformed_requests_total{code="
			    "\"%d\"} %llu\n", metrics_status[col],
			    (unsigned long long)
			    metrics_malformed_counts.by_status[col]);
	metrics_family(f, "idtsd_http_unclassified_requests_total", "counter",
	    "Requests answered with a status no column was left for.");
	fprintf(f, "idtsd_http_unclassified_requests_total %llu\n",
	    (unsigned long long)metrics_unclassified);
}

/* Forget every count (the unit tests, one case after another). */
void
metrics_reset(void)
{
	memset(metrics_routes, 0, sizeof metrics_routes);
	memset(&metrics_malformed_counts, 0, sizeof metrics_malformed_counts);
	memset(metrics_status, 0, sizeof metrics_status);
	memset(metrics_column, 0, sizeof metrics_column);
	metrics_nstatus = 0;
	metrics_unclassified = 0;
}
