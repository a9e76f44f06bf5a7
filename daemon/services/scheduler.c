/* Deadlines live in the store: clock warnings and breaches, dose windows
 * opening and closing (rounds.c), observations overdue and missed
 * (observing.c), and alert escalations.  After every change the
 * scheduler asks the store for the earliest one and arms a single timer
 * for it; when it fires, every deadline that has come is handled in one
 * transaction with the alerts it raises, and marked fired in that same
 * transaction, so each fires exactly once however often the daemon stops
 * or crashes.  At start-up the deadlines that passed while
 * the daemon was down are simply the ones already due.
 *
 * libevent's timers run on the monotonic clock, but deadlines are wall
 * clock instants: so the timer never sleeps longer than a minute, and a
 * step of the wall clock (NTP, the test clock) is noticed within one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "anchoring.h"
#include "backups.h"
#include "batch.h"
#include "clocks.h"
#include "escalations.h"
#include "follow_ups.h"
#include "log.h"
#include "movements.h"
#include "observing.h"
#include "rota.h"
#include "rounds.h"
#include "scheduler.h"
#include "server.h"
#include "store.h"

#define SCHEDULER_MAX_SLEEP_MS	60000
#define SCHEDULER_RETRY_SECONDS	5

struct scheduler {
	struct event	*timer;
};

/* Finish one item of a batch inside its savepoint; a failure undoes that
 * item alone, is logged, and is counted: the item stays due and is
 * retried. */
int
scheduler_item(struct server *srv, int ok, const char *what, const char *id)
{
	if (ok && store_release(srv->store) == STORE_OK)
		return 0;
	store_rollback_savepoint(srv->store);
	log_warnx("scheduler: could not %s %s; will retry", what, id);
	return 1;
}

/* Run work over every item of a batch (each begins with its id), each in
 * its own savepoint, and empty the batch; returns how many failed. */
int
scheduler_each(struct server *srv, struct batch *b, int64_t now,
    int (*work)(struct server *, void *item, int64_t), const char *what)
{
	char	*item;
	size_t	 i;
	int	 failed = 0;

	for (i = 0; i < b->n; i++) {
		if (store_savepoint(srv->store) != STORE_OK) {
			failed++;
			break;
		}
		item = batch_item(b, i);
		failed += scheduler_item(srv, work(srv, item, now), what, item);
	}
	batch_free(b);
	return failed;
}

/* Where deadlines come from: adding a kind of deadline is adding a row.
 * A pass runs the sources in this order, so a dose closed by a departure
 * (movements) is closed before its window's own close would mark it
 * missed, and an alert raised in the pass can escalate only later.  The
 * audit anchor goes first, so it signs the committed head. */
struct deadline_source {
	const char	*name;
	int		(*next_deadline)(struct server *, int64_t *at);
	int		(*run)(struct server *, int64_t now);
};

static const struct deadline_source scheduler_sources[] = {
	{ "audit anchor", anchoring_next_deadline, anchoring_run },
	{ "continuity clocks", clocks_next_deadline, clocks_run },
	{ "dose rounds", rounds_next_deadline, rounds_run },
	{ "movements", movements_next_deadline, movements_run },
	{ "release follow-ups", follow_ups_next_deadline, follow_ups_run },
	{ "observations", observing_next_deadline, observing_run },
	{ "escalations", escalations_next_deadline, escalations_run },
	{ "backups", backups_next_deadline, backups_run },
	{ "controlled-drug cover", rota_next_deadline, rota_run },
};

#define SCHEDULER_NSOURCES \
	(sizeof scheduler_sources / sizeof scheduler_sources[0])

/* For the metrics alone: each source's earliest deadline when the timer
 * was last armed, and how late the last pass that had one due ran. */
static struct scheduler_watch {
	int64_t	next;		/* 0: none */
	int64_t	late_ms;
	int64_t	ran_at;		/* 0: never */
} scheduler_watch[SCHEDULER_NSOURCES];

/* Source i's name, how late its last due deadline was handled (ms) and
 * when; -1 past the last source. */
int
scheduler_lateness(size_t i, const char **name, int64_t *late_ms,
    int64_t *ran_at)
{
	if (i >= SCHEDULER_NSOURCES)
		return -1;
	*name = scheduler_sources[i].name;
	*late_ms = scheduler_watch[i].late_ms;
	*ran_at = scheduler_watch[i].ran_at;
	return 0;
}

/* A pass at now: note how late it is for each source with one due. */
static void
scheduler_watch_pass(int64_t now)
{
	size_t	i;

	for (i = 0; i < SCHEDULER_NSOURCES; i++)
		if (scheduler_watch[i].next != 0 &&
		    scheduler_watch[i].next <= now) {
			scheduler_watch[i].late_ms = now -
			    scheduler_watch[i].next;
			scheduler_watch[i].ran_at = now;
		}
}

/* Handle every deadline at or before now, in one transaction.  Returns
 * the number of deadlines that could not be fired (and stay due), or -1
 * if the transaction itself failed. */
int
scheduler_run(struct server *srv, int64_t now)
{
	size_t	i;
	int	failed = 0;

	if (store_begin(srv->store, 1) != STORE_OK)
		return -1;
	scheduler_watch_pass(now);
	for (i = 0; i < SCHEDULER_NSOURCES; i++)
		failed += scheduler_sources[i].run(srv, now);
	return store_commit(srv->store) == STORE_OK ? failed : -1;
}

static void
scheduler_fire(evutil_socket_t fd, short what, void *arg)
{
	struct server	*srv = arg;
	struct timeval	 backoff = { SCHEDULER_RETRY_SECONDS, 0 };
	int		 failed;

	(void)fd;
	(void)what;
	failed = scheduler_run(srv, clock_now(&srv->clock)) != 0;
	server_changed(srv);
	/* Something is wrong (the disk, a record): what did fire is
	 * published, and the rest is tried again after a pause rather than
	 * at once, in a loop (this moves the timer server_changed() armed). */
	if (failed)
		evtimer_add(srv->scheduler->timer, &backoff);
}

/* The earliest deadline of any source, 0 if none; -1 if a source could
 * not say. */
static int
scheduler_next_deadline(struct server *srv, int64_t *next)
{
	int64_t	at;
	size_t	i;

	*next = 0;
	for (i = 0; i < SCHEDULER_NSOURCES; i++) {
		if (scheduler_sources[i].next_deadline(srv, &at) == -1) {
			log_warnx("scheduler: cannot read the next deadline "
			    "of the %s", scheduler_sources[i].name);
			return -1;
		}
		scheduler_watch[i].next = at;
		if (at != 0 && (*next == 0 || at < *next))
			*next = at;
	}
	return 0;
}

/* Arm the timer for the earliest pending deadline (at most a minute; a
 * source that could not say is asked again then). */
void
scheduler_arm(struct server *srv)
{
	struct scheduler	*s = srv->scheduler;
	int64_t			 next, wait;
	struct timeval		 tv;

	if (s == NULL)
		return;
	wait = SCHEDULER_MAX_SLEEP_MS;
	if (scheduler_next_deadline(srv, &next) == 0 && next != 0 &&
	    next - clock_now(&srv->clock) < wait)
		wait = next - clock_now(&srv->clock);
	if (wait < 0)
		wait = 0;
	tv.tv_sec = (time_t)(wait / 1000);
	tv.tv_usec = (suseconds_t)(wait % 1000) * 1000;
	evtimer_add(s->timer, &tv);
}

/* Start: deadlines missed while the daemon was down fire at once. */
int
scheduler_start(struct server *srv)
{
	struct scheduler	*s;

	if ((s = calloc(1, sizeof *s)) == NULL)
		return -1;
	if ((s->timer = evtimer_new(srv->base, scheduler_fire, srv)) == NULL) {
		free(s);
		return -1;
	}
	srv->scheduler = s;
	scheduler_arm(srv);
	return 0;
}

void
scheduler_free(struct server *srv)
{
	if (srv->scheduler == NULL)
		return;
	event_free(srv->scheduler->timer);
	free(srv->scheduler);
	srv->scheduler = NULL;
}
