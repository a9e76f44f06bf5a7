/* Observation plans at work.  A plan has at most one open due: the first
 * at the flag (or arrival), the next at each observation plus the
 * interval its score chose.  The scheduler warns the ward when a due
 * passes its grace, and records it missed when the next would have been
 * due, opening that next one, so an unattended plan shows a miss every
 * interval until its end (docs/design.md rule 2).  The rules in
 * rules/observation.c decide each of these; this file loads what they
 * need and stores what they return. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "batch.h"
#include "calendar.h"
#include "log.h"
#include "observing.h"
#include "patient.h"
#include "scheduler.h"
#include "server.h"
#include "store.h"
#include "store_corrections.h"

#define OBSERVING_BATCH	500	/* rows per scheduler pass */

/* Open the due at due_at, opened at opened_at, if the plan still runs
 * then.  Dues whose whole window passed by now (the daemon was down) are
 * recorded missed at once, one interval apart, each opened when the one
 * before was missed, without a warning each: only the one open now is
 * warned about. */
static int
observing_open_due(struct server *srv, const struct observation_plan *plan,
    int64_t due_at, int64_t interval_ms, int64_t opened_at, int64_t now)
{
	struct observation_policy	policy = server_observation_policy(srv);
	struct observation_due		d;

	while (observation_due_open(&d, plan, due_at, interval_ms, opened_at,
	    now, &policy)) {
		validate_new_uuid(d.id);
		if (store_due_insert(srv->store, &d) != STORE_OK)
			return -1;
		if (d.state == OBS_DUE_OPEN)
			break;
		due_at = opened_at = d.missed_at;
	}
	return 0;
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
	    plan.base_interval_ms, plan.counts_from, now);
}

/* "A1234BC Smith, John" */
static void
observing_name(const struct patient *p, char *buf, size_t size)
{
	if (snprintf(buf, size, "%s %s, %s", p->prison_number, p->family_name,
	    p->given_name) >= (int)size)
		validate_utf8_repair(buf);
}

/* The news2_high alerts of a score, at the severity the rule chose, to
 * the ward, the doctor on call and the managers: each parameter that
 * scored 3 in words, and the response the score calls for
 * (news2_advice()). */
static int
observing_score_alert(struct server *srv, const struct patient *p,
    const struct observation *o, enum alert_severity sev,
    const char *actor_id)
{
	struct alert_policy	policy = server_alert_policy(srv);
	struct alert		a[ALERT_DETERIORATION_N];
	char			who[ALERT_MESSAGE_MAX / 2];
	char			when[CALENDAR_LOCAL_LEN];
	char			advice[NEWS2_ADVICE_MAX], msg[ALERT_MESSAGE_MAX];
	int			i;

	observing_name(p, who, sizeof who);
	calendar_format_local(o->taken_at, when);
	news2_advice(&o->readings, &o->result,
	    srv->cfg->emergency_instruction, advice, sizeof advice);
	if (snprintf(msg, sizeof msg, "%s: NEWS2 %d at %s: %s", who,
	    o->result.total, when, advice) >= (int)sizeof msg)
		validate_utf8_repair(msg);
	alert_raise_deterioration(a, "news2_high", sev, p->id, o->id, msg,
	    o->recorded_at, &policy);
	for (i = 0; i < ALERT_DETERIORATION_N; i++)
		if (store_alert_raise(srv->store, &a[i], o->recorded_at,
		    actor_id) != STORE_OK)
			return -1;
	return 0;
}

/* Close the overdue warning of due id, in the daemon's name, with note,
 * and its escalations too if escalation; -1 if the store failed. */
static int
observing_close_alerts(struct server *srv, const char *id, int escalation,
    const char *note, int64_t now)
{
	return (escalation ? store_alerts_ack_subject(srv->store, id, "",
	    now, note) : store_alerts_ack_about(srv->store, id, "", now,
	    note)) == STORE_OK && store_audit_append(srv->store, now, "",
	    "alert.close", "observation_due", id, json_pack("{s:s,s:b}",
	    "note", note, "escalations", escalation)) == STORE_OK ? 0 : -1;
}

/* Close a due's overdue warning when observation_warning_closes() says
 * it closes; -1 if the store failed. */
static int
observing_close_warning(struct server *srv, const struct observation_due *d,
    int64_t now)
{
	const char	*note;
	int		 escalation;

	if (!observation_warning_closes(d, &escalation, &note))
		return 0;
	return observing_close_alerts(srv, d->id, escalation, note, now);
}

/* What observation_record_plan() takes, as the store has it. */
struct observing_state {
	struct observation_plan	plan;
	struct observation_due	held, open;
	int			have_plan, have_held, have_open;
};

/* Load a patient's plan, the due last opened when an observation was
 * taken, and the due open now; -1 if the store failed. */
static int
observing_load(struct server *srv, const char *patient_id, int64_t taken_at,
    struct observing_state *st)
{
	enum store_result	sr;

	memset(st, 0, sizeof *st);
	if ((sr = store_plan_get(srv->store, patient_id, &st->plan)) !=
	    STORE_OK)
		return sr == STORE_ERROR ? -1 : 0;
	st->have_plan = 1;
	if ((sr = store_due_last_opened(srv->store, patient_id, taken_at,
	    &st->held)) == STORE_ERROR)
		return -1;
	st->have_held = sr == STORE_OK;
	if ((sr = store_due_open(srv->store, patient_id, &st->open)) ==
	    STORE_ERROR)
		return -1;
	st->have_open = sr == STORE_OK;
	return 0;
}

/* Store an observation and what recording it does; -1 if the store
 * failed. */
static int
observing_apply(struct server *srv, const struct patient *p,
    const struct observation *o, const struct observation_plan *plan,
    const struct observation_record_effects *e, const char *actor_id)
{
	if (store_observation_insert(srv->store, o) != STORE_OK)
		return -1;
	if (e->meets && (store_due_update(srv->store, &e->due) != STORE_OK ||
	    observing_close_warning(srv, &e->due, o->recorded_at) == -1))
		return -1;
	if (e->hastens && store_due_update(srv->store, &e->open) != STORE_OK)
		return -1;
	if (e->opens && observing_open_due(srv, plan, e->next_due_at,
	    e->interval_ms, o->taken_at, o->recorded_at) == -1)
		return -1;
	return e->alerts ? observing_score_alert(srv, p, o, e->severity,
	    actor_id) : 0;
}

/* Record an observation: load the plan and its dues, let
 * observation_record_plan() decide which due it meets, how late, and
 * what is due next, and store that.  Sets o->next_due_at (0 when there
 * is none).  Returns 0, or -1 if the store failed. */
int
observing_record(struct server *srv, const struct patient *p,
    struct observation *o, const char *actor_id)
{
	struct observation_policy		policy =
					    server_observation_policy(srv);
	struct observing_state			st;
	struct observation_record_effects	e;

	if (observing_load(srv, p->id, o->taken_at, &st) == -1)
		return -1;
	observation_record_plan(st.have_plan ? &st.plan : NULL,
	    st.have_held ? &st.held : NULL, st.have_open ? &st.open : NULL,
	    o, &policy, o->recorded_at, &e);
	o->next_due_at = e.next_due_at;
	return observing_apply(srv, p, o, &st.plan, &e, actor_id);
}

/* Keep the one observation a list gives. */
static void
observing_keep(const struct observation *o, void *arg)
{
	memcpy(arg, o, sizeof *o);
}

/* How a plan with no due open is due again (observation_plan_resume()
 * or observation_plan_return()). */
typedef void observing_place_fn(const struct observation_plan *,
    const struct observation *, int64_t, const struct observation_policy *,
    int64_t *, int64_t *);

/* Open a due on a plan with none open, opened at at, where place puts it
 * after the patient's last observation; -1 if the store failed. */
static int
observing_reopen(struct server *srv, const struct observation_plan *plan,
    observing_place_fn *place, int64_t at, int64_t now)
{
	struct observation_policy	policy = server_observation_policy(srv);
	struct observation_due		due;
	struct observation		last;
	enum store_result		sr;
	int64_t				due_at, interval;

	sr = store_due_open(srv->store, plan->patient_id, &due);
	if (sr != STORE_NOT_FOUND)
		return sr == STORE_ERROR ? -1 : 0;
	if ((sr = store_observation_latest(srv->store, plan->patient_id,
	    &last)) == STORE_ERROR)
		return -1;
	place(plan, sr == STORE_OK ? &last : NULL, at, &policy, &due_at,
	    &interval);
	return observing_open_due(srv, plan, due_at, interval, at, now);
}

/* Extend a plan to until.  One with no due open (it ran out) is due again
 * when observation_plan_resume() says. */
int
observing_extend(struct server *srv, struct observation_plan *plan,
    int64_t until, int64_t now)
{
	plan->ends_at = until;
	if (store_plan_update(srv->store, plan) != STORE_OK)
		return -1;
	return observing_reopen(srv, plan, observation_plan_resume, now, now);
}

/* Collect a due for a batch. */
static void
observing_collect(const struct observation_due *d, void *arg)
{
	batch_add(arg, d);
}

/* The audit entry of the scheduler's change to a due. */
static int
observing_audit_due(struct server *srv, const char *action,
    const struct observation_due *d, int64_t now)
{
	return store_audit_append(srv->store, now, "", action,
	    "observation_due", d->id, json_pack("{s:s,s:s,s:I}", "patient_id",
	    d->patient_id, "state", observation_due_state_name(d->state),
	    "due_at", (json_int_t)d->due_at)) == STORE_OK ? 0 : -1;
}

/* A due past its grace: warn the ward, as urgently as the patient's
 * last score asks (observation_overdue_severity()); one struck out as
 * entered in error is no score. */
static int
observing_warn(struct server *srv, void *item, int64_t now)
{
	struct observation_due	*d = item;
	struct alert_policy	policy = server_alert_policy(srv);
	struct patient		p;
	struct observation	last;
	struct alert		a;
	char			who[ALERT_MESSAGE_MAX / 2], due[CALENDAR_LOCAL_LEN];
	char			msg[ALERT_MESSAGE_MAX];
	int			away;

	last.taken_at = 0;
	if (store_patient_get(srv->store, d->patient_id, &p) != STORE_OK ||
	    store_patient_away(srv->store, d->patient_id, d->due_at, &away) !=
	    STORE_OK || store_caution_observations(srv->store, d->patient_id,
	    now, now, observing_keep, &last) != STORE_OK)
		return 0;
	d->warned = 1;
	if (observing_audit_due(srv, "observation_due.late", d, now) == -1)
		return 0;
	/* Away at court: nobody on the ward can take it. */
	if (away)
		return store_due_update(srv->store, d) == STORE_OK;
	observing_name(&p, who, sizeof who);
	calendar_format_local(d->due_at, due);
	if ((last.taken_at != 0 ? snprintf(msg, sizeof msg, "%s: observation "
	    "due at %s is overdue (last NEWS2 %d)", who, due,
	    last.result.total) : snprintf(msg, sizeof msg, "%s: observation "
	    "due at %s is overdue", who, due)) >= (int)sizeof msg)
		validate_utf8_repair(msg);
	alert_raise(&a, "observation_overdue", observation_overdue_severity(
	    last.taken_at != 0 ? &last.result : NULL), AUDIENCE_WARD, p.id,
	    d->id, msg, now, &policy);
	return store_due_update(srv->store, d) == STORE_OK &&
	    store_alert_raise(srv->store, &a, now, "") == STORE_OK;
}

/* A due whose next would have been due: missed (or cancelled, as
 * observation_due_lapse() says), and the next opened at that time with
 * the same interval, if the plan still runs (those whose time has passed
 * too are recorded missed with it). */
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
	d->state = observation_due_lapse(&plan, d, away);
	return store_due_update(srv->store, d) == STORE_OK &&
	    observing_audit_due(srv, "observation_due.lapse", d, now) == 0 &&
	    observing_close_warning(srv, d, now) == 0 &&
	    observing_open_due(srv, &plan, d->missed_at, d->interval_ms,
	    d->missed_at, now) == 0;
}

/* Everything due at now, in the scheduler's transaction: misses first
 * (a due missed outright while the daemon was down is not also warned),
 * then warnings.  Returns how many items failed. */
int
observing_run(struct server *srv, int64_t now)
{
	struct batch		b = BATCH_OF(struct observation_due);
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

/* Store what striking observation o out does to the plan: the open due
 * first (cancelled, or put back), so the due o met may open again. */
static int
observing_strike_apply(struct server *srv,
    const struct observation_strike_effects *e)
{
	return (e->moves && store_due_update(srv->store, &e->open) !=
	    STORE_OK) || (e->reverts && store_due_update(srv->store, &e->due) !=
	    STORE_OK) ? -1 : 0;
}

/* Strike observation o out, as mark says: load the patient's plan, the
 * due o met and the due open now, let observation_strike_plan() decide
 * what the plan is without o, and store that with the mark; the alerts
 * o raised are settled.  Sets *next_due_at (0: none).  Returns 0, or -1
 * if the store failed. */
int
observing_strike(struct server *srv, const struct observation *o,
    const struct store_error_mark *mark, int64_t *next_due_at)
{
	struct observation_policy		policy =
					    server_observation_policy(srv);
	struct observing_state			st;
	struct observation_strike_effects	e;
	enum store_result			sr;

	if (observing_load(srv, o->patient_id, o->taken_at, &st) == -1)
		return -1;
	if ((sr = store_due_of_observation(srv->store, o->id, &st.held)) ==
	    STORE_ERROR)
		return -1;
	st.have_held = sr == STORE_OK;
	observation_strike_plan(st.have_plan ? &st.plan : NULL,
	    st.have_held ? &st.held : NULL, st.have_open ? &st.open : NULL,
	    o, mark->at, &policy, &e);
	*next_due_at = e.next_due_at;
	return store_observation_strike(srv->store, o->id, mark) != STORE_OK ||
	    observing_strike_apply(srv, &e) == -1 ||
	    store_alerts_ack_subject(srv->store, o->id, mark->by, mark->at,
	    "observation entered in error") != STORE_OK ? -1 : 0;
}

/* A patient leaving for court at at (the departure stored): the due open
 * then ends as observation_due_depart() says, its warning closed, and
 * none opens while they are away (observation_plan_runs()).  -1 if the
 * store failed. */
int
observing_depart(struct server *srv, const char *patient_id, int64_t at,
    int64_t now)
{
	struct observation_depart_effects	e;
	struct observation_due			d;
	enum store_result			sr;

	if ((sr = store_due_open(srv->store, patient_id, &d)) != STORE_OK)
		return sr == STORE_ERROR ? -1 : 0;
	observation_due_depart(&d, at, &e);
	d.state = e.state;
	return store_due_update(srv->store, &d) == STORE_OK &&
	    observing_audit_due(srv, "observation_due.depart", &d, now) == 0 &&
	    (!d.warned || observing_close_alerts(srv, d.id, 0, e.note,
	    now) == 0) ? 0 : -1;
}

/* A patient back from court at at (the return stored): their plan, if
 * it still runs, resumes as observation_plan_return() says.  -1 if the
 * store failed. */
int
observing_return(struct server *srv, const char *patient_id, int64_t at,
    int64_t now)
{
	struct observation_plan	plan;
	enum store_result	sr;

	if ((sr = store_plan_get(srv->store, patient_id, &plan)) != STORE_OK)
		return sr == STORE_ERROR ? -1 : 0;
	return observing_reopen(srv, &plan, observation_plan_return, at, now);
}
