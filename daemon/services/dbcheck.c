/* After each start the whole database is checked (PRAGMA integrity_check)
 * in the background, on a read-only connection of its own
 * (store/store_check.c), while requests are answered: a large store no
 * longer holds up serving.  Only after a stop that was not clean does the
 * daemon check before serving (quick_check, store_open()).  What the
 * background check finds is logged; damage is an urgent alert to the
 * managers.  A database found damaged, or that could not be checked, is
 * in doubt: its stop is not recorded as clean (main.c), so the next start
 * checks it before serving, and refuses it if it fails. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <event2/event.h>

#include "alert.h"
#include "dbcheck.h"
#include "log.h"
#include "server.h"
#include "store.h"
#include "store_check.h"

static struct store_check	*dbcheck_running;
static struct event		*dbcheck_ev;
static int			 dbcheck_doubt;

/* Alert the managers that the database failed its check, in a
 * transaction of its own. */
static void
dbcheck_alert(struct server *srv, const char *problem)
{
	struct alert_policy	policy = server_alert_policy(srv);
	struct alert		a;
	char			msg[ALERT_MESSAGE_MAX];
	int64_t			now = clock_now(&srv->clock);

	snprintf(msg, sizeof msg, "the database failed its check (PRAGMA "
	    "integrity_check): %s; see idtsd(8), THE STORE", problem);
	alert_raise(&a, "database_check_failed", SEVERITY_URGENT,
	    AUDIENCE_MANAGER, NULL, "database", msg, now, &policy);
	if (store_begin(srv->store, 1) != STORE_OK ||
	    store_alert_raise(srv->store, &a, now, "") != STORE_OK ||
	    store_commit(srv->store) != STORE_OK) {
		store_rollback(srv->store);
		log_warnx("database check: cannot alert the managers");
	}
	server_changed(srv);
}

/* Log what the check found; alert damage. */
static void
dbcheck_report(struct server *srv, const struct store_check_outcome *o)
{
	switch (o->result) {
	case STORE_CHECK_OK:
		log_info("database check: integrity_check in the background "
		    "passed (%lld ms)", (long long)o->ms);
		return;
	case STORE_CHECK_STOPPED:
		log_info("database check: stopped with the daemon after %lld "
		    "ms; it runs again at the next start", (long long)o->ms);
		return;
	case STORE_CHECK_FAILED:
		log_warnx("database check: integrity_check in the background "
		    "FAILED (%lld ms): %s; the managers are alerted, and the "
		    "next start checks the database before serving",
		    (long long)o->ms, o->problem);
		dbcheck_doubt = 1;
		dbcheck_alert(srv, o->problem);
		return;
	case STORE_CHECK_UNFINISHED:
		log_warnx("database check: integrity_check in the background "
		    "could not finish: %s; the next start checks the database "
		    "before serving", o->problem);
		dbcheck_doubt = 1;
		return;
	}
}

/* The check is done: collect it and report. */
static void
dbcheck_done(evutil_socket_t fd, short what, void *arg)
{
	struct store_check_outcome	o;

	(void)fd;
	(void)what;
	event_free(dbcheck_ev);
	dbcheck_ev = NULL;
	store_check_finish(dbcheck_running, 0, &o);
	dbcheck_running = NULL;
	dbcheck_report(arg, &o);
}

/* Start the background check.  One that cannot start leaves the database
 * in doubt, not the daemon stopped: -1 only if the loop cannot watch a
 * check that did start. */
int
dbcheck_start(struct server *srv)
{
	char	*cause = NULL;

	if (store_check_start(srv->cfg->database, &dbcheck_running, &cause) ==
	    -1) {
		log_warnx("database check: cannot start in the background: "
		    "%s; the next start checks the database before serving",
		    cause ? cause : "out of memory");
		free(cause);
		dbcheck_doubt = 1;
		return 0;
	}
	log_info("database check: integrity_check running in the background");
	dbcheck_ev = event_new(srv->base, store_check_fd(dbcheck_running),
	    EV_READ, dbcheck_done, srv);
	if (dbcheck_ev != NULL && event_add(dbcheck_ev, NULL) == 0)
		return 0;
	dbcheck_stop(srv);
	return -1;
}

/* Stopping: end a check still running (it runs again at the next
 * start), or report one that has just ended. */
void
dbcheck_stop(struct server *srv)
{
	struct store_check_outcome	o;

	if (dbcheck_ev != NULL)
		event_free(dbcheck_ev);
	dbcheck_ev = NULL;
	if (dbcheck_running == NULL)
		return;
	store_check_finish(dbcheck_running, 1, &o);
	dbcheck_running = NULL;
	dbcheck_report(srv, &o);
}

/* Whether the check found damage or could not be made: then the stop is
 * not recorded as clean. */
int
dbcheck_in_doubt(void)
{
	return dbcheck_doubt;
}
