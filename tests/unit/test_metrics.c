/* Unit tests for metrics.c and GET /metrics' door (api_metrics.c):
 * requests counted by route and status, anything unmatched under one
 * "unmatched" series; the latency histogram's buckets cumulative with
 * +Inf equal to _count; a peer off loopback refused when no token is
 * set, and with a token set, anyone without it, loopback included. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "api.h"
#include "config.h"
#include "metrics.h"
#include "request.h"
#include "server.h"

/* A table of one route. */
static int
test_name(int route, struct metrics_route_name *n)
{
	if (route != 0)
		return -1;
	n->method = "GET";
	n->pattern = "/v1/things/{}";
	return 0;
}

/* What metrics_write_http writes now, to be freed. */
static char *
test_written(void)
{
	char	*text = NULL;
	size_t	 len;
	FILE	*f = open_memstream(&text, &len);

	assert_non_null(f);
	metrics_write_http(f, test_name);
	assert_int_equal(fclose(f), 0);
	return text;
}

static void
test_counts_by_route_and_status(void **state)
{
	int64_t	 now = metrics_clock();
	char	*text;

	(void)state;
	metrics_reset();
	metrics_request(0, 200, now);
	metrics_request(0, 200, now);
	metrics_request(0, 403, now);
	metrics_request(-1, 404, now);		/* no route matched */
	metrics_request(100000, 404, now);	/* past the table: the same */
	text = test_written();
	assert_non_null(strstr(text, "idtsd_http_requests_total{method=\"GET\","
	    "route=\"/v1/things/{}\",code=\"200\"} 2\n"));
	assert_non_null(strstr(text, "idtsd_http_requests_total{method=\"GET\","
	    "route=\"/v1/things/{}\",code=\"403\"} 1\n"));
	assert_non_null(strstr(text, "idtsd_http_requests_total{method="
	    "\"unmatched\",route=\"unmatched\",code=\"404\"} 2\n"));
	free(text);
}

static void
test_histogram_cumulative(void **state)
{
	int64_t	 now = metrics_clock();
	char	*text;

	(void)state;
	metrics_reset();
	metrics_request(0, 200, now - 2000000);		/* 2 ms ago */
	metrics_request(0, 200, now - 200000000);	/* 200 ms ago */
	metrics_request(0, 200, now - 9000000000LL);	/* 9 s: +Inf alone */
	text = test_written();
#define BUCKET "idtsd_http_request_duration_seconds_bucket{method=\"GET\"," \
	"route=\"/v1/things/{}\",le="
	assert_non_null(strstr(text, BUCKET "\"0.001\"} 0\n"));
	assert_non_null(strstr(text, BUCKET "\"0.0025\"} 1\n"));
	assert_non_null(strstr(text, BUCKET "\"0.1\"} 1\n"));
	assert_non_null(strstr(text, BUCKET "\"0.25\"} 2\n"));
	assert_non_null(strstr(text, BUCKET "\"5\"} 2\n"));
	assert_non_null(strstr(text, BUCKET "\"+Inf\"} 3\n"));
#undef BUCKET
	assert_non_null(strstr(text, "idtsd_http_request_duration_seconds_count"
	    "{method=\"GET\",route=\"/v1/things/{}\"} 3\n"));
	free(text);
}

/* GET /metrics as this peer, with this Authorization header, under a
 * config whose metrics.token is token: the status it is refused with. */
static int
test_door(const char *source, const char *authorization, const char *token)
{
	static struct config	cfg;
	struct server		srv;
	struct request		r;

	config_defaults(&cfg);
	snprintf(cfg.metrics_token, sizeof cfg.metrics_token, "%s", token);
	memset(&srv, 0, sizeof srv);
	srv.cfg = &cfg;
	memset(&r, 0, sizeof r);
	r.srv = &srv;
	r.method = METHOD_GET;
	r.path = "/metrics";
	r.source = source;
	r.authorization = authorization;
	assert_int_equal(api_metrics(&r), -1);
	json_decref(r.reply);
	return r.status;
}

#define TEST_TOKEN	"0123456789abcdef0123456789abcdef"

static void
test_door_refuses(void **state)
{
	(void)state;
	/* No token set: loopback only. */
	assert_int_equal(test_door("192.0.2.7", NULL, ""), 403);
	assert_int_equal(test_door("::ffff:192.0.2.7", NULL, ""), 403);
	assert_int_equal(test_door(NULL, NULL, ""), 403);
	assert_int_equal(test_door("192.0.2.7", "Bearer " TEST_TOKEN, ""),
	    403);
	/* A token set: it alone, from loopback too. */
	assert_int_equal(test_door("127.0.0.1", NULL, TEST_TOKEN), 401);
	assert_int_equal(test_door("127.0.0.1", "Bearer " TEST_TOKEN "0",
	    TEST_TOKEN), 401);
	assert_int_equal(test_door("127.0.0.1", "Bearer 0123456789abcdef",
	    TEST_TOKEN), 401);
	assert_int_equal(test_door("192.0.2.7", TEST_TOKEN, TEST_TOKEN), 401);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_by_route_and_status),
		cmocka_unit_test(test_histogram_cumulative),
		cmocka_unit_test(test_door_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
