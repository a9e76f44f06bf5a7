/* Where the continuity clocks meet the store: each clock whose warning or
 * breach has come is loaded, continuity_fire() says what it asks for, and
 * its alerts and new state are stored in the item's savepoint. */
#include "alert.h"
#include "batch.h"
#include "clocks.h"
#include "continuity.h"
#include "patient.h"
#include "scheduler.h"
#include "server.h"
#include "store.h"

static void
clocks_collect(const struct care_clock *c, void *arg)
{
	batch_add(arg, c);
}

/* Raise the alert continuity_alert() writes for the clock. */
static int
clocks_alert(struct server *srv, const struct care_clock *c, int breach,
    int64_t now)
{
	struct alert_policy	 policy = server_alert_policy(srv);
	struct patient		 p;
	struct alert		 a;

	if (store_patient_get(srv->store, c->patient_id, &p) != STORE_OK)
		return -1;
	continuity_alert(&a, c, &p, breach, now, &policy);
	return store_alert_raise(srv->store, &a, now, "") == STORE_OK ? 0 : -1;
}

/* Fire one clock's deadlines, in the shape scheduler_each() takes. */
static int
clocks_fire(struct server *srv, void *item, int64_t now)
{
	struct care_clock		*c = item;
	struct care_clock_firing	 f;

	continuity_fire(c, now, &f);
	return (!f.warning || clocks_alert(srv, c, 0, now) == 0) &&
	    (!f.breach || clocks_alert(srv, c, 1, now) == 0) &&
	    store_clock_update(srv->store, c, NULL) == STORE_OK &&
	    store_audit_append(srv->store, now, "", "clock.fire", "clock",
	    c->id, json_pack("{s:s,s:b,s:b}", "kind", continuity_kind_name(
	    c->kind), "warning", f.warning, "breach", f.breach)) == STORE_OK;
}

/* Fire every clock deadline that has come; returns how many failed. */
int
clocks_run(struct server *srv, int64_t now)
{
	struct batch		b = BATCH_OF(struct care_clock);
	int			failed = 0;

	if (store_clocks_pending(srv->store, now, clocks_collect, &b) !=
	    STORE_OK)
		failed++;
	return failed + scheduler_each(srv, &b, now, clocks_fire,
	    "fire the deadline of");
}

/* The earliest warning or breach still to fire, 0 if none. */
int
clocks_next_deadline(struct server *srv, int64_t *at)
{
	return store_clock_next_deadline(srv->store, at) == STORE_OK ? 0 : -1;
}
