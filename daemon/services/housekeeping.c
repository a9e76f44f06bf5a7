/* Once at start-up and every hour: delete sessions that expired and
 * idempotency answers older than idempotency.keep_hours.  Neither is a
 * clinical record; the audit log keeps who signed in and what changed,
 * and how many rows housekeeping deleted, when it deleted any. */
#include <event2/event.h>

#include "housekeeping.h"
#include "log.h"
#include "server.h"
#include "store.h"

#define HOUSEKEEPING_INTERVAL_SECONDS	3600

static struct event	*housekeeping_ev;

/* Tidy now, in one transaction. */
void
housekeeping_run(struct server *srv)
{
	int64_t	now = clock_now(&srv->clock);
	int64_t	keep = (int64_t)srv->cfg->idempotency_keep_hours * 3600000;
	int64_t	before, pruned;

	if (store_begin(srv->store, 1) != STORE_OK)
		return;
	before = store_audit_changes(srv->store);
	if (store_sessions_prune(srv->store, now) != STORE_OK ||
	    store_idempotency_prune(srv->store, now - keep) != STORE_OK ||
	    ((pruned = store_audit_changes(srv->store) - before) > 0 &&
	    store_audit_append(srv->store, now, "", "housekeeping.prune",
	    "housekeeping", "", json_pack("{s:I}", "deleted",
	    (json_int_t)pruned)) != STORE_OK)) {
		store_rollback(srv->store);
		log_warnx("housekeeping failed; will try again in an hour");
		return;
	}
	if (store_commit(srv->store) != STORE_OK)
		log_warnx("housekeeping could not commit");
}

static void
housekeeping_tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	housekeeping_run(arg);
}

/* Tidy once now and then every hour. */
int
housekeeping_start(struct server *srv)
{
	struct timeval	tv = { HOUSEKEEPING_INTERVAL_SECONDS, 0 };

	housekeeping_run(srv);
	housekeeping_ev = event_new(srv->base, -1, EV_PERSIST,
	    housekeeping_tick, srv);
	if (housekeeping_ev == NULL || event_add(housekeeping_ev, &tv) == -1)
		return -1;
	return 0;
}

void
housekeeping_stop(void)
{
	if (housekeeping_ev != NULL)
		event_free(housekeeping_ev);
	housekeeping_ev = NULL;
}
