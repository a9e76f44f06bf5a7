/* GET /metrics: the daemon's counters and gauges in the Prometheus text
 * exposition format (version 0.0.4), for the monitoring a trust's IT runs.
 *
 * Who may read it: with metrics.token set, whoever sends it as a bearer
 * token, from anywhere, loopback included (a proxy on the same host would
 * otherwise make everyone loopback); without one, loopback peers alone.
 * A staff session's token is not the metrics token.  Counts only: no
 * patient, person or token is named in the answer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <event2/event.h>
#include <openssl/crypto.h>

#include "api.h"
#include "http.h"
#include "metrics.h"
#include "pin_pool.h"
#include "request.h"
#include "router.h"
#include "scheduler.h"
#include "server.h"
#include "store.h"
#include "stream.h"

#ifndef IDTSD_VERSION
#define IDTSD_VERSION "unknown"
#endif

#define METRICS_TYPE	"text/plain; version=0.0.4; charset=utf-8"

/* Whether this request may read the metrics; -1 with a 401 or 403. */
static int
api_metrics_allowed(struct request *r)
{
	const char	*token = r->srv->cfg->metrics_token, *h;
	size_t		 n = strlen(token);

	if (token[0] == '\0') {
		if (r->source != NULL && config_is_loopback(r->source))
			return 0;
		return request_error(r, 403, "forbidden", "GET /metrics is "
		    "served to loopback only, unless metrics.token is set");
	}
	h = r->authorization;
	if (h != NULL && strncasecmp(h, "Bearer ", 7) == 0 &&
	    strlen(h + 7) == n && CRYPTO_memcmp(h + 7, token, n) == 0)
		return 0;
	return request_error(r, 401, "unauthenticated", "GET /metrics needs "
	    "Authorization: Bearer and the metrics token (metrics.token)");
}

/* A gauge or counter with no labels. */
static void
api_metrics_one(FILE *f, const char *name, const char *type,
    const char *help, double v)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n%s %.15g\n", name, help, name,
	    type, name, v);
}

/* A file's size in bytes, 0 if it is not there (no WAL between runs). */
static double
api_metrics_file_bytes(const char *path, const char *suffix)
{
	char		name[PATH_MAX + 8];
	struct stat	sb;

	snprintf(name, sizeof name, "%s%s", path, suffix);
	return stat(name, &sb) == 0 ? (double)sb.st_size : 0;
}

/* The scheduler: how late each source's last due deadline was handled,
 * and how many deadlines are pending, by kind. */
static int
api_metrics_scheduler(FILE *f, struct request *r)
{
	static const char *const family[] = {
		"idtsd_scheduler_lateness_seconds",
		"idtsd_scheduler_last_due_run_timestamp_seconds"
	}, *const help[] = {
		"How late the last pass that had a deadline of this source due "
		"ran, after it.",
		"When that pass ran (0: none since start-up)."
	};
	const char		*name;
	int64_t			 late, ran, n;
	size_t			 i;
	int			 when;
	enum store_result	 sr;

	for (when = 0; when < 2; when++) {
		fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n", family[when],
		    help[when], family[when]);
		for (i = 0; scheduler_lateness(i, &name, &late, &ran) == 0;
		    i++)
			fprintf(f, "%s{source=\"%s\"} %.3f\n", family[when],
			    name, (double)(when ? ran : late) / 1000);
	}
	fprintf(f, "# HELP idtsd_deadlines_pending Deadlines stored and "
	    "still to fire, by kind.\n# TYPE idtsd_deadlines_pending gauge\n");
	for (i = 0; (sr = store_deadlines_pending(r->srv->store, i, &name,
	    &n)) != STORE_NOT_FOUND; i++) {
		if (sr != STORE_OK)
			return -1;
		fprintf(f, "idtsd_deadlines_pending{kind=\"%s\"} %lld\n", name,
		    (long long)n);
	}
	return 0;
}

/* The last backup: when, whether verified, and the last verified one's
 * age.  Left out while the store has none to say (the table is older). */
static void
api_metrics_backups(FILE *f, struct request *r)
{
	int64_t	attempt, good;
	int	verified;

	if (store_backup_latest(r->srv->store, &attempt, &verified, &good) !=
	    STORE_OK)
		return;
	api_metrics_one(f, "idtsd_backup_last_timestamp_seconds", "gauge",
	    "When the last backup attempted finished (0: none yet).",
	    (double)attempt / 1000);
	api_metrics_one(f, "idtsd_backup_last_verified", "gauge",
	    "Whether the last backup attempted was verified (1) or failed "
	    "(0).", verified);
	api_metrics_one(f, "idtsd_backup_last_verified_timestamp_seconds",
	    "gauge", "When the last verified backup finished (0: none yet).",
	    (double)good / 1000);
	if (good != 0)
		api_metrics_one(f, "idtsd_backup_last_verified_age_seconds",
		    "gauge", "How long ago the last verified backup finished.",
		    (double)(r->now - good) / 1000);
}

/* PINs waiting for the pool's workers (yescrypt off the loop), in the
 * queue for signed-in requests (a witness, a PIN change) and the other
 * (sign-in). */
static void
api_metrics_pins(FILE *f, struct http *h)
{
	int	urgent = 0, other = 0;

	if (h != NULL && h->pins != NULL)
		pin_pool_queued(h->pins, &urgent, &other);
	fprintf(f, "# HELP idtsd_pin_jobs_queued PINs waiting to be hashed or "
	    "checked, by queue.\n# TYPE idtsd_pin_jobs_queued gauge\n"
	    "idtsd_pin_jobs_queued{queue=\"signed_in\"} %d\n"
	    "idtsd_pin_jobs_queued{queue=\"sign_in\"} %d\n", urgent, other);
}

/* Group commit: how many requests each fsync carried. */
static void
api_metrics_batches(FILE *f)
{
	unsigned long long	commits, requests;

	http_batch_counts(&commits, &requests);
	api_metrics_one(f, "idtsd_group_commits_total", "counter",
	    "Batches of requests committed together (http.group_commit), "
	    "each with one fsync.", (double)commits);
	api_metrics_one(f, "idtsd_group_commit_requests_total", "counter",
	    "Requests answered from those batches.", (double)requests);
}

/* Everything that is read when asked rather than counted. */
static int
api_metrics_gauges(FILE *f, struct request *r)
{
	const struct config	*cfg = r->srv->cfg;
	int64_t			 sessions;

	api_metrics_one(f, "idtsd_http_connections_open", "gauge",
	    "HTTP connections open, streams included.",
	    r->srv->http != NULL ? r->srv->http->connections : 0);
	api_metrics_one(f, "idtsd_streams_open", "gauge",
	    "Alert streams open.", stream_count(r->srv));
	api_metrics_pins(f, r->srv->http);
	api_metrics_batches(f);
	if (store_sessions_open(r->srv->store, r->now, &sessions) != STORE_OK)
		return request_store_failed(r);
	api_metrics_one(f, "idtsd_sessions_open", "gauge",
	    "Staff sessions signed in and not expired.", (double)sessions);
	if (api_metrics_scheduler(f, r) == -1)
		return request_store_failed(r);
	api_metrics_backups(f, r);
	fprintf(f, "# HELP idtsd_database_bytes The database's files, in "
	    "bytes.\n# TYPE idtsd_database_bytes gauge\n"
	    "idtsd_database_bytes{file=\"database\"} %.15g\n"
	    "idtsd_database_bytes{file=\"wal\"} %.15g\n",
	    api_metrics_file_bytes(cfg->database, ""),
	    api_metrics_file_bytes(cfg->database, "-wal"));
	return 0;
}

int
api_metrics(struct request *r)
{
	char	*text = NULL;
	size_t	 len;
	FILE	*f;
	int	 rc;

	if (api_metrics_allowed(r) == -1)
		return -1;
	if ((f = open_memstream(&text, &len)) == NULL)
		return request_error(r, 503, "out_of_memory", "the daemon ran "
		    "out of memory; try again");
	fprintf(f, "# HELP idtsd_build_info The version running.\n"
	    "# TYPE idtsd_build_info gauge\nidtsd_build_info{version=\"%s\"}"
	    " 1\n", IDTSD_VERSION);
	metrics_write_http(f, router_route_name);
	rc = api_metrics_gauges(f, r);
	if (fclose(f) != 0 || rc == -1) {
		free(text);
		return rc == -1 ? -1 : request_error(r, 503, "out_of_memory",
		    "the daemon ran out of memory; try again");
	}
	request_reply_text(r, 200, METRICS_TYPE, text);
	return 0;
}
