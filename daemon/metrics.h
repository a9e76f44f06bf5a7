/* Counting what the daemon answers, for GET /metrics: requests by route
 * and status, and a latency histogram per route.  Counting costs next to
 * nothing: fixed arrays indexed by the route's number in the router's
 * table, no allocation, no lock (the loop's thread alone counts). */
#ifndef IDTSD_METRICS_H
#define IDTSD_METRICS_H

#include <stdint.h>
#include <stdio.h>

/* The router's table has fewer routes than this; its last slot counts
 * the requests no route matched (a 404 or 405), so that scanning for
 * paths adds one series, not one per path tried. */
#define METRICS_ROUTES		160
#define METRICS_UNMATCHED	(METRICS_ROUTES - 1)

/* A route's name as the metrics label it: its method and pattern. */
struct metrics_route_name {
	const char	*method;
	const char	*pattern;
};

int64_t	metrics_clock(void);
void	metrics_request(int route, int status, int64_t started_ns);
void	metrics_malformed(int status);
void	metrics_write_http(FILE *,
	    int (*name)(int route, struct metrics_route_name *));
void	metrics_reset(void);

#endif
