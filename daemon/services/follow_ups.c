/* Where the release follow-up rule meets the store: a release booked
 * with a follow_up starts its clock when it departs; each clock run out
 * unrecorded is loaded, follow_up_fire() says whether to alert, and the
 * alerts and the fired mark are stored in the item's savepoint, so the
 * alert is raised once however often the daemon restarts. */
#include "alert.h"
#include "batch.h"
#include "follow_up.h"
#include "follow_ups.h"
#include "movement.h"
#include "patient.h"
#include "scheduler.h"
#include "server.h"
#include "store.h"
#include "store_follow_ups.h"

/* Start the follow-up clock of a release that departed at at, if it was
 * booked with a community follow-up; 0, or -1 if the store failed. */
int
follow_ups_start(struct server *srv, const struct movement *m, int64_t at,
    int64_t now)
{
	struct follow_up	f;

	if (m->kind != MOVEMENT_RELEASE || m->follow_up[0] == '\0')
		return 0;
	follow_up_start(&f, m->id, m->patient_id, at);
	return store_follow_up_insert(srv->store, &f) == STORE_OK &&
	    store_audit_append(srv->store, now, "", "follow_up.start",
	    "movement", m->id, json_pack("{s:I}", "due_at",
	    (json_int_t)f.due_at)) == STORE_OK ? 0 : -1;
}

static void
follow_ups_collect(const struct follow_up *f, void *arg)
{
	batch_add(arg, f);
}

/* Raise the overdue alerts of one follow-up, if follow_up_fire() says
 * so, and mark it fired; in the shape scheduler_each() takes. */
static int
follow_ups_fire(struct server *srv, void *item, int64_t now)
{
	struct follow_up	*f = item;
	struct patient		 p;
	struct alert		 a[2];

	if (!follow_up_fire(f, now))
		return 1;
	if (store_patient_get(srv->store, f->patient_id, &p) != STORE_OK)
		return 0;
	follow_up_alert(a, f, &p, now);
	return store_alert_raise(srv->store, &a[0], now, "") == STORE_OK &&
	    store_alert_raise(srv->store, &a[1], now, "") == STORE_OK &&
	    store_follow_up_fired(srv->store, f) == STORE_OK &&
	    store_audit_append(srv->store, now, "", "follow_up.overdue",
	    "movement", f->movement_id, json_pack("{s:I}", "due_at",
	    (json_int_t)f->due_at)) == STORE_OK;
}

/* Alert every follow-up run out unrecorded; returns how many failed. */
int
follow_ups_run(struct server *srv, int64_t now)
{
	struct batch	b = BATCH_OF(struct follow_up);
	int		failed = 0;

	if (store_follow_ups_due(srv->store, now, follow_ups_collect, &b) !=
	    STORE_OK)
		failed++;
	return failed + scheduler_each(srv, &b, now, follow_ups_fire,
	    "alert the follow-up of");
}

/* The earliest follow-up still to run out, 0 if none. */
int
follow_ups_next_deadline(struct server *srv, int64_t *at)
{
	return store_follow_up_next_deadline(srv->store, at) == STORE_OK ?
	    0 : -1;
}
