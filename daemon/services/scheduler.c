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

#include "alert.h"
#include "calendar.h"
#include "continuity.h"
#include "log.h"
#include "movements.h"
#include "observing.h"
#include "patient.h"
#include "rounds.h"
#include "scheduler.h"
#include "server.h"
#include "store.h"
#include "stream.h"

#define SCHEDULER_MAX_SLEEP_MS	60000
#define SCHEDULER_RETRY_SECONDS	5

struct scheduler {
	struct event	*timer;
};

/* Add an item (of the batch's size) to a batch.  One that does not fit
 * in memory is left for the scheduler's next pass; a request, which has
 * no next pass, checks failed and refuses. */
void
scheduler_collect(struct scheduler_batch *b, const void *item)
{
	void	*grown;

	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 16;
		if ((grown = realloc(b->items, b->cap * b->size)) == NULL) {
			b->cap = b->n;
			b->failed = 1;
			return;
		}
		b->items = grown;
	}
	memcpy((char *)b->items + b->n++ * b->size, item, b->size);
}

static void
scheduler_collect_clock(const struct care_clock *c, void *arg)
{
	scheduler_collect(arg, c);
}

static void
scheduler_collect_alert(const struct alert *a, void *arg)
{
	scheduler_collect(arg, a);
}

/* The alert for a clock's warning or breach. */
static int
scheduler_clock_alert(struct server *srv, const struct care_clock *c,
    int breach, int64_t now)
{
	struct alert_policy	 policy = server_alert_policy(srv);
	struct patient		 p;
	struct alert		 a;
	char			 due[CALENDAR_LOCAL_LEN], msg[ALERT_MESSAGE_MAX];
	const char		*what;

	if (store_patient_get(srv->store, c->patient_id, &p) != STORE_OK)
		return -1;
	calendar_format_local(c->due_at, due);
	what = c->kind == CLOCK_TREATMENT_CONTINUED ?
	    "treatment continued (first substitute dose given and signed)" :
	    "CARAT keyworker allocated";
	if (breach)
		snprintf(msg, sizeof msg, "%s %s, %s: %s was due by %s and is "
		    "not done", p.prison_number, p.family_name, p.given_name,
		    what, due);
	else
		snprintf(msg, sizeof msg, "%s %s, %s: %s is due by %s",
		    p.prison_number, p.family_name, p.given_name, what, due);
	alert_raise(&a, breach ? "clock_breach" : "clock_warning",
	    breach ? SEVERITY_URGENT : SEVERITY_WARNING,
	    !breach && c->kind == CLOCK_TREATMENT_CONTINUED ? AUDIENCE_WARD :
	    AUDIENCE_MANAGER, c->patient_id, c->id, msg, now, &policy);
	return store_alert_raise(srv->store, &a, now, "") == STORE_OK ?
	    0 : -1;
}

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
scheduler_each(struct server *srv, struct scheduler_batch *b, int64_t now,
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
		item = (char *)b->items + i * b->size;
		failed += scheduler_item(srv, work(srv, item, now), what, item);
	}
	free(b->items);
	b->items = NULL;
	b->n = b->cap = 0;
	return failed;
}

/* Fire every clock deadline that has come; returns how many failed. */
static int
scheduler_clocks(struct server *srv, int64_t now)
{
	struct scheduler_batch		 b = { NULL, sizeof(struct care_clock),
					    0, 0, 0 };
	struct care_clock		*c;
	struct care_clock_firing	 f;
	size_t				 i;
	int				 failed = 0, ok;

	if (store_clocks_pending(srv->store, now, scheduler_collect_clock, &b)
	    != STORE_OK)
		failed++;
	for (i = 0; i < b.n; i++) {
		c = (struct care_clock *)b.items + i;
		if (store_savepoint(srv->store) != STORE_OK) {
			failed++;
			break;
		}
		continuity_fire(c, now, &f);
		ok = (!f.warning || scheduler_clock_alert(srv, c, 0, now) == 0) &&
		    (!f.breach || scheduler_clock_alert(srv, c, 1, now) == 0) &&
		    store_clock_update(srv->store, c, NULL) == STORE_OK;
		failed += scheduler_item(srv, ok, "fire the deadline of", c->id);
	}
	free(b.items);
	return failed;
}

/* Escalate every alert not acknowledged in time; returns how many
 * failed. */
static int
scheduler_escalations(struct server *srv, int64_t now)
{
	struct scheduler_batch	 b = { NULL, sizeof(struct alert), 0, 0, 0 };
	struct alert		*first, esc;
	size_t			 i;
	int			 failed = 0, ok;

	if (store_alerts_to_escalate(srv->store, now, scheduler_collect_alert,
	    &b) != STORE_OK)
		failed++;
	for (i = 0; i < b.n; i++) {
		first = (struct alert *)b.items + i;
		if (store_savepoint(srv->store) != STORE_OK) {
			failed++;
			break;
		}
		alert_escalation(&esc, first, now);
		ok = store_alert_mark_escalated(srv->store, first->id) ==
		    STORE_OK && store_alert_raise(srv->store, &esc, now, "") ==
		    STORE_OK;
		failed += scheduler_item(srv, ok, "escalate", first->id);
	}
	free(b.items);
	return failed;
}

/* Handle every deadline at or before now, in one transaction.  Returns
 * the number of deadlines that could not be fired (and stay due), or -1
 * if the transaction itself failed. */
int
scheduler_run(struct server *srv, int64_t now)
{
	int	failed;

	if (store_begin(srv->store, 1) != STORE_OK)
		return -1;
	failed = scheduler_clocks(srv, now) + rounds_run(srv, now) +
	    movements_run(srv, now) + observing_run(srv, now) +
	    scheduler_escalations(srv, now);
	return store_commit(srv->store) == STORE_OK ? failed : -1;
}

static void
scheduler_fire(evutil_socket_t fd, short what, void *arg)
{
	struct server	*srv = arg;
	struct timeval	 backoff = { SCHEDULER_RETRY_SECONDS, 0 };

	(void)fd;
	(void)what;
	if (scheduler_run(srv, clock_now(&srv->clock)) != 0) {
		/* Something is wrong (the disk, a record): what did fire is
		 * published, and the rest is tried again after a pause
		 * rather than at once, in a loop. */
		stream_publish(srv);
		evtimer_add(srv->scheduler->timer, &backoff);
		return;
	}
	server_changed(srv);
}

/* Arm the timer for the earliest pending deadline (at most a minute). */
void
scheduler_arm(struct server *srv)
{
	struct scheduler	*s = srv->scheduler;
	int64_t			 clock_at, esc_at, dose_at, obs_at, move_at;
	int64_t			 next, wait;
	struct timeval		 tv;

	if (s == NULL)
		return;
	if (store_clock_next_deadline(srv->store, &clock_at) != STORE_OK ||
	    store_alert_next_escalation(srv->store, &esc_at) != STORE_OK ||
	    rounds_next_deadline(srv, &dose_at) == -1 ||
	    observing_next_deadline(srv, &obs_at) == -1 ||
	    movements_next_deadline(srv, &move_at) == -1)
		/* Retry in a minute. */
		clock_at = esc_at = dose_at = obs_at = move_at = 0;
	next = clock_at;
	if (esc_at != 0 && (next == 0 || esc_at < next))
		next = esc_at;
	if (dose_at != 0 && (next == 0 || dose_at < next))
		next = dose_at;
	if (obs_at != 0 && (next == 0 || obs_at < next))
		next = obs_at;
	if (move_at != 0 && (next == 0 || move_at < next))
		next = move_at;
	wait = SCHEDULER_MAX_SLEEP_MS;
	if (next != 0 && next - clock_now(&srv->clock) < wait)
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
