/* Observation plans at work.  A plan has at most one open due: the first
 * at the flag (or arrival), the next at each observation plus the
 * interval its score chose.  The scheduler warns the ward when a due
 * passes its grace, and records it missed when the next would have been
 * due, opening that next one, so an unattended plan shows a miss every
 * interval until its end (docs/design.md rule 2). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "calendar.h"
#include "log.h"
#include "observing.h"
#include "patient.h"
#include "scheduler.h"
#include "server.h"
#include "store.h"

#define OBSERVING_BATCH	500	/* rows per scheduler pass */

/* Open the due at due_at with an interval, if the plan still runs then.
 * Dues whose whole window passed by now (the daemon was down) are
 * recorded missed at once, one interval apart, without a warning each:
 * only the one open now is warned about. */
static int
observing_open_due(struct server *srv, const struct observation_plan *plan,
    int64_t due_at, int64_t interval_ms, int64_t now)
{
	struct observation_policy	policy = server_observation_policy(srv);
	struct observation_due		d;

	for (;;) {
		if (!observation_plan_runs(plan, due_at))
			return 0;
		memset(&d, 0, sizeof d);
		validate_new_uuid(d.id);
		strcpy(d.patient_id, plan->patient_id);
		observation_due_place(&d, due_at, interval_ms, &policy);
		d.state = d.missed_at <= now ? OBS_DUE_MISSED : OBS_DUE_OPEN;
		if (store_due_insert(srv->store, &d) != STORE_OK)
			return -1;
		if (d.state == OBS_DUE_OPEN)
			return 0;
		due_at = d.missed_at;
	}
}

/* Start a patient's plan when they are flagged as a stimulant user: it
 * runs from arrival, and its first observation is due at once. */
int
observing_start(struct server *srv, const struct patient *p,
    int64_t flagged_at, int64_t now, const char *actor_id)
{
	struct observation_policy	policy = server_observation_policy(srv);
	struct observation_plan		plan;

	memset(&plan, 0, sizeof plan);
	strcpy(plan.patient_id, p->id);
	observation_plan_start(&plan, p->arrived_at, flagged_at, &policy);
	if (store_plan_insert(srv->store, &plan, actor_id, now) != STORE_OK)
		return -1;
	return observing_open_due(srv, &plan, plan.counts_from,
	    plan.base_interval_ms, now);
}

/* "A1234BC Smith, John" */
static void
observing_name(const struct patient *p, char *buf, size_t size)
{
	if (snprintf(buf, size, "%s %s, %s", p->prison_number, p->family_name,
	    p->given_name) >= (int)size)
		validate_utf8_repair(buf);
}

/* The alert a high score calls for: urgent for a red 3 or 5-6, an
 * emergency for 7 or more, to the ward and the managers. */
static int
observing_score_alert(struct server *srv, const struct patient *p,
    const struct observation *o, const char *actor_id)
{
	struct alert		pair[2];
	char			who[ALERT_MESSAGE_MAX / 2], when[CALENDAR_LOCAL_LEN];
	char			msg[ALERT_MESSAGE_MAX];
	enum alert_severity	sev;

	switch (o->result.band) {
	case NEWS2_BAND_HIGH:
		sev = SEVERITY_EMERGENCY;
		break;
	case NEWS2_BAND_MEDIUM:
	case NEWS2_BAND_LOW_MEDIUM:
		sev = SEVERITY_URGENT;
		break;
	default:
		return 0;
	}
	observing_name(p, who, sizeof who);
	calendar_format_local(o->taken_at, when);
	if (snprintf(msg, sizeof msg, "%s: NEWS2 %d (%s%s%s) at %s: %s",
	    who, o->result.total, news2_band_name(o->result.band),
	    o->result.red ? ", 3 for " : "", o->result.red ?
	    news2_parameter_name(o->result.red_parameter) : "", when,
	    sev == SEVERITY_EMERGENCY ? "emergency response" :
	    "urgent clinical review") >= (int)sizeof msg)
		validate_utf8_repair(msg);
	alert_raise_with_managers(pair, "news2_high", sev, AUDIENCE_WARD,
	    p->id, o->id, msg, o->recorded_at);
	return store_alert_raise_pair(srv->store, pair, o->recorded_at,
	    actor_id) == STORE_OK ? 0 : -1;
}

/* Record an observation.  It meets the due in force when it was taken:
 * the one whose window held it, or else the open one (taken early).  If
 * that is the open due (or there is none), the next is due after the
 * interval the score chose, never before the plan counts.  If it is one
 * the scheduler has recorded missed since (an observation written up
 * late), it is met now and the open one stays, on the shorter interval
 * if the score asks for it.  One taken before the flag meets nothing.  A
 * high score is alerted.  Sets o->next_due_at (0 when there is none).
 * Returns 0, or -1 if the store failed. */
int
observing_record(struct server *srv, const struct patient *p,
    struct observation *o, const char *actor_id)
{
	struct observation_policy	policy = server_observation_policy(srv);
	struct observation_plan		plan;
	struct observation_due		due, open;
	enum store_result		sr;
	int64_t				interval = 0, next = 0;
	int				have_due = 0, have_open = 0;
	int				late = 0, hasten = 0;

	o->next_due_at = 0;
	if ((sr = store_plan_get(srv->store, p->id, &plan)) == STORE_ERROR)
		return -1;
	if (sr == STORE_OK) {
		if ((sr = store_due_in_force(srv->store, p->id, o->taken_at,
		    &due)) == STORE_ERROR ||
		    (sr == STORE_NOT_FOUND && (sr = store_due_open(srv->store,
		    p->id, &due)) == STORE_ERROR))
			return -1;
		have_due = sr == STORE_OK;
		late = have_due && due.state != OBS_DUE_OPEN;
		if (o->taken_at < plan.counts_from) {	/* before the flag */
			have_due = 0;
			late = 1;
		}
		interval = observation_interval(&policy, plan.base_interval_ms,
		    &o->result);
		next = o->taken_at + interval;
		if (next < plan.counts_from)
			next = plan.counts_from;
	}
	if (late) {
		if ((sr = store_due_open(srv->store, p->id, &open)) ==
		    STORE_ERROR)
			return -1;
		have_open = sr == STORE_OK;
		hasten = have_open && interval < open.interval_ms;
		if (hasten) {
			observation_due_place(&open, next < open.due_at ? next :
			    open.due_at, interval, &policy);
			open.warned = open.warn_at <= o->recorded_at &&
			    open.warned;
		}
		o->next_due_at = have_open ? open.due_at : 0;
	} else if (observation_plan_runs(&plan, next))
		o->next_due_at = next;

	if (store_observation_insert(srv->store, o) != STORE_OK)
		return -1;
	if (have_due) {
		due.state = observation_due_met(&due, o->taken_at);
		due.taken_at = o->taken_at;
		strcpy(due.observation_id, o->id);
		if (store_due_update(srv->store, &due) != STORE_OK ||
		    store_alerts_ack_subject(srv->store, due.id, actor_id,
		    o->recorded_at, "observation taken") != STORE_OK)
			return -1;
	}
	if (hasten && store_due_update(srv->store, &open) != STORE_OK)
		return -1;
	if (!late && o->next_due_at != 0 && observing_open_due(srv, &plan,
	    o->next_due_at, interval, o->recorded_at) == -1)
		return -1;
	return observing_score_alert(srv, p, o, actor_id);
}

/* Keep the one observation a list gives. */
static void
observing_keep(const struct observation *o, void *arg)
{
	memcpy(arg, o, sizeof *o);
}

/* Extend a plan to until.  One with no due open (it ran out) is due again
 * when its last observation's score says, or at once if that has
 * passed. */
int
observing_extend(struct server *srv, struct observation_plan *plan,
    int64_t until, int64_t now)
{
	struct observation_policy	policy = server_observation_policy(srv);
	struct observation_due		due;
	struct observation		last;
	enum store_result		sr;
	int64_t				interval = plan->base_interval_ms;
	int64_t				at = now;

	plan->ends_at = until;
	if (store_plan_update(srv->store, plan) != STORE_OK)
		return -1;
	sr = store_due_open(srv->store, plan->patient_id, &due);
	if (sr == STORE_ERROR)
		return -1;
	if (sr == STORE_OK)
		return 0;
	last.taken_at = 0;
	if (store_observation_list(srv->store, plan->patient_id, 1,
	    observing_keep, &last) != STORE_OK)
		return -1;
	if (last.taken_at != 0) {
		interval = observation_interval(&policy,
		    plan->base_interval_ms, &last.result);
		if (last.taken_at + interval > at)
			at = last.taken_at + interval;
	}
	return observing_open_due(srv, plan, at, interval, now);
}

/* Collect a due for a batch. */
static void
observing_collect(const struct observation_due *d, void *arg)
{
	scheduler_collect(arg, d);
}

/* A due past its grace: warn the ward. */
static int
observing_warn(struct server *srv, void *item, int64_t now)
{
	struct observation_due	*d = item;
	struct alert_policy	policy = server_alert_policy(srv);
	struct patient		p;
	struct alert		a;
	char			who[ALERT_MESSAGE_MAX / 2], due[CALENDAR_LOCAL_LEN];
	char			msg[ALERT_MESSAGE_MAX];
	int			away;

	if (store_patient_get(srv->store, d->patient_id, &p) != STORE_OK ||
	    store_patient_away(srv->store, d->patient_id, d->due_at, &away) !=
	    STORE_OK)
		return 0;
	d->warned = 1;
	/* Away at court: nobody on the ward can take it. */
	if (away)
		return store_due_update(srv->store, d) == STORE_OK;
	observing_name(&p, who, sizeof who);
	calendar_format_local(d->due_at, due);
	if (snprintf(msg, sizeof msg, "%s: observation due at %s is overdue",
	    who, due) >= (int)sizeof msg)
		validate_utf8_repair(msg);
	alert_raise(&a, "observation_overdue", SEVERITY_WARNING, AUDIENCE_WARD,
	    p.id, d->id, msg, now, &policy);
	return store_due_update(srv->store, d) == STORE_OK &&
	    store_alert_raise(srv->store, &a, now, "") == STORE_OK;
}

/* A due whose next would have been due: missed, and the next opened at
 * that time with the same interval, if the plan still runs (those whose
 * time has passed too are recorded missed with it).  One that fell due
 * while the patient was away at court is cancelled: no failure of the
 * ward's, as the compliance report should show. */
static int
observing_miss(struct server *srv, void *item, int64_t now)
{
	struct observation_due	*d = item;
	struct observation_plan	plan;
	int			away;

	if (store_plan_get(srv->store, d->patient_id, &plan) != STORE_OK ||
	    store_patient_away(srv->store, d->patient_id, d->due_at, &away) !=
	    STORE_OK)
		return 0;
	d->state = away || (plan.ended_at != 0 && plan.ended_at <= d->due_at) ?
	    OBS_DUE_CANCELLED : OBS_DUE_MISSED;
	return store_due_update(srv->store, d) == STORE_OK &&
	    observing_open_due(srv, &plan, d->missed_at, d->interval_ms,
	    now) == 0;
}

/* Everything due at now, in the scheduler's transaction: misses first
 * (a due missed outright while the daemon was down is not also warned),
 * then warnings.  Returns how many items failed. */
int
observing_run(struct server *srv, int64_t now)
{
	struct scheduler_batch	b = { NULL, sizeof(struct observation_due),
				    0, 0, 0 };
	int			failed = 0;

	if (store_dues_to_miss(srv->store, now, OBSERVING_BATCH,
	    observing_collect, &b) != STORE_OK)
		failed++;
	failed += scheduler_each(srv, &b, now, observing_miss,
	    "record the missed observation");
	if (store_dues_to_warn(srv->store, now, OBSERVING_BATCH,
	    observing_collect, &b) != STORE_OK)
		failed++;
	failed += scheduler_each(srv, &b, now, observing_warn,
	    "warn of the overdue observation");
	return failed;
}

/* The next instant the plans need the scheduler, or 0 for none. */
int
observing_next_deadline(struct server *srv, int64_t *at)
{
	return store_due_next_deadline(srv->store, at) == STORE_OK ? 0 : -1;
}
