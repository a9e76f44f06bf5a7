/* Where escalation meets the store: each alert whose time to be
 * acknowledged has passed is marked escalated, and the escalation
 * alert_escalation() writes is raised, in the item's savepoint. */
#include <stdlib.h>

#include "alert.h"
#include "batch.h"
#include "escalations.h"
#include "scheduler.h"
#include "server.h"
#include "store.h"

static void
escalations_collect(const struct alert *a, void *arg)
{
	batch_add(arg, a);
}

/* Escalate every alert not acknowledged in time; returns how many
 * failed. */
int
escalations_run(struct server *srv, int64_t now)
{
	struct batch		b = BATCH_OF(struct alert);
	struct alert		*first, esc;
	size_t			 i;
	int			 failed = 0, ok;

	if (store_alerts_to_escalate(srv->store, now, escalations_collect,
	    &b) != STORE_OK)
		failed++;
	for (i = 0; i < b.n; i++) {
		first = batch_item(&b, i);
		if (store_savepoint(srv->store) != STORE_OK) {
			failed++;
			break;
		}
		alert_escalation(&esc, first, now);
		ok = store_alert_mark_escalated(srv->store, first->id) ==
		    STORE_OK && store_alert_raise(srv->store, &esc, now, "") ==
		    STORE_OK && store_audit_append(srv->store, now, "",
		    "alert.escalate", "alert", first->id, json_pack("{s:s}",
		    "escalation_id", esc.id)) == STORE_OK;
		failed += scheduler_item(srv, ok, "escalate", first->id);
	}
	batch_free(&b);
	return failed;
}

/* The earliest escalation still to come, 0 if none. */
int
escalations_next_deadline(struct server *srv, int64_t *at)
{
	return store_alert_next_escalation(srv->store, at) == STORE_OK ?
	    0 : -1;
}
