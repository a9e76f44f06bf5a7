/* Where the movement rules meet the store (docs/design.md rule 3): booking a
 * movement prepares the morning dose of each running prescription (and so
 * does a prescription written later, or a return from court), the
 * scheduler warns the ward at the lead time, departure records what was
 * not given and tells the managers (and sets the observation due then
 * aside: none falls due at court), and a release or transfer ends the
 * patient's prescriptions, observation plan and clocks.  Always inside
 * the caller's transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "batch.h"
#include "calendar.h"
#include "follow_ups.h"
#include "movements.h"
#include "observing.h"
#include "rounds.h"
#include "scheduler.h"
#include "server.h"
#include "store.h"

#define MOVEMENTS_BATCH		200	/* rows per scheduler pass */

static int	movements_tell_dose(struct server *, const struct movement *,
		    const char *, enum movement_tell, int64_t);

/* Collect a prescription's id, if it was not stopped. */
static void
movements_collect_prescription(const struct prescription *rx, void *arg)
{
	if (rx->stopped_at == 0)
		batch_add(arg, rx->id);
}

/* Collect a movement dose. */
static void
movements_collect_dose(const struct store_movement_dose *md, void *arg)
{
	batch_add(arg, md);
}

/* Collect a movement row. */
static void
movements_collect_row(const struct store_movement_row *row, void *arg)
{
	batch_add(arg, row);
}

/* Run fn on each of a patient's prescriptions still in force on the
 * local day of at (neither stopped nor ended).  Returns 0, or -1 if the
 * store failed or fn did. */
static int
movements_each_running(struct server *srv, const char *patient_id,
    int64_t at, int (*fn)(struct server *, struct prescription *, void *),
    void *arg)
{
	struct batch		ids = BATCH_OF(char[UUID_STR_LEN]);
	struct prescription	*rx;
	struct civil_date	 day = calendar_local_date(at);
	size_t			 i;
	int			 rc = -1;

	if ((rx = malloc(sizeof *rx)) == NULL)
		return -1;
	if (store_prescription_list(srv->store, patient_id,
	    movements_collect_prescription, &ids) != STORE_OK || ids.failed)
		goto out;
	for (i = 0; i < ids.n; i++) {
		if (store_prescription_get(srv->store,
		    batch_item(&ids, i), rx) != STORE_OK)
			goto out;
		if (strcmp(prescription_state(rx, day), "ended") != 0 &&
		    fn(srv, rx, arg) == -1)
			goto out;
	}
	rc = 0;
out:
	batch_free(&ids);
	free(rx);
	return rc;
}

struct movements_prepare_ctx {
	const struct movement	*m;
	int64_t			 now;
	int			 prepared;	/* doses newly prepared */
};

/* The first dose of a prescription on the local day of a departure,
 * laid out now (*created) if that day is beyond the horizon.  Returns 1,
 * 0 if it has none that day (a prescription every other day), or -1 if
 * the store failed. */
static int
movements_day_dose(struct server *srv, struct prescription *rx,
    struct civil_date day, int64_t now, struct dose *d, int *created)
{
	int64_t			from = calendar_local_midnight(day);
	int64_t			to = calendar_local_midnight(
				    calendar_add_days(day, 1));
	enum store_result	sr;

	*created = 0;
	sr = store_dose_first_between(srv->store, rx->id, from, to, d);
	if (sr == STORE_NOT_FOUND) {
		if (rounds_lay_out_until(srv, rx, now, to) == -1)
			return -1;
		sr = store_dose_first_between(srv->store, rx->id, from, to, d);
		*created = 1;
	}
	if (sr == STORE_NOT_FOUND)
		return 0;
	return sr == STORE_OK ? 1 : -1;
}

/* Prepare one prescription's dose for the departure day, unless this
 * movement already did: the first dose of that day, moved earlier if it
 * is due after the target, and the ward told at once if
 * movement_tell_prepared() says so. */
static int
movements_prepare_one(struct server *srv, struct prescription *rx, void *arg)
{
	struct movements_prepare_ctx	*ctx = arg;
	struct movement_policy		 mp = server_movement_policy(srv);
	struct dose_policy		 dp = server_dose_policy(srv);
	struct civil_date		 day = calendar_local_date(
					    ctx->m->departs_at);
	int64_t				 original, moved_to;
	struct dose			 d;
	int				 created, has, found;

	if (!prescription_is_dose_day(rx, day))
		return 0;
	if (store_movement_has_prescription(srv->store, ctx->m->id, rx->id,
	    &has) != STORE_OK)
		return -1;
	if (has || (found = movements_day_dose(srv, rx, day, ctx->now, &d,
	    &created)) == 0)
		return 0;
	if (found == -1)
		return -1;
	original = d.due_at;
	if (!dose_is_closed(d.state) && movement_dose_place(&mp,
	    ctx->m->departs_at, d.due_at, &moved_to)) {
		dose_place(&d, moved_to, &dp);
		if (store_dose_move(srv->store, &d) != STORE_OK ||
		    rounds_audit_dose(srv, "dose.move", &d, ctx->now, "") == -1)
			return -1;
	}
	ctx->prepared++;
	if (store_movement_dose_insert(srv->store, ctx->m->id, d.id,
	    original, d.due_at, created) != STORE_OK)
		return -1;
	return movements_tell_dose(srv, ctx->m, d.id,
	    movement_tell_prepared(&mp, ctx->m, d.due_at, d.state, ctx->now),
	    ctx->now);
}

/* Prepare the morning dose of each running prescription not yet prepared
 * for a planned movement (the ward told of each as
 * movement_tell_prepared() says), and set when the ward is to be warned
 * of them.  Returns 0, or -1 if the store failed. */
int
movements_prepare(struct server *srv, struct movement *m, int64_t now)
{
	struct movement_policy		mp = server_movement_policy(srv);
	struct movements_prepare_ctx	ctx = { m, now, 0 };

	if (movements_each_running(srv, m->patient_id, m->departs_at,
	    movements_prepare_one, &ctx) == -1)
		return -1;
	if (ctx.prepared == 0)
		return 0;
	m->lead_alert_at = movement_prepared_lead_at(&mp, m, now);
	return store_movement_update(srv->store, m) == STORE_OK ? 0 : -1;
}

/* Prepare the patient's planned movements again: after a prescription is
 * written, or the patient is back from court.  Not while away: there is
 * no dose here to prepare. */
int
movements_prepare_patient(struct server *srv, const char *patient_id,
    int64_t now)
{
	struct batch		b = BATCH_OF(struct store_movement_row);
	struct movement		*m;
	size_t			 i;
	int			 rc = 0, away;

	if (store_patient_away(srv->store, patient_id, now, &away) != STORE_OK)
		return -1;
	if (away)
		return 0;
	if (store_movements_open(srv->store, patient_id,
	    movements_collect_row, &b) != STORE_OK || b.failed)
		rc = -1;
	for (i = 0; i < b.n && rc == 0; i++) {
		m = &((struct store_movement_row *)batch_item(&b, i))->movement;
		if (m->state == MOVEMENT_PLANNED)
			rc = movements_prepare(srv, m, now);
	}
	batch_free(&b);
	return rc;
}

/* The morning doses of a movement, collected so the store is free to be
 * written while they are looked at.  The caller frees the batch, also on
 * failure. */
static int
movements_doses(struct server *srv, const char *movement_id,
    struct batch *b)
{
	batch_init(b, sizeof(struct store_movement_dose));
	return store_movement_doses(srv->store, movement_id,
	    movements_collect_dose, b) == STORE_OK && !b->failed ? 0 : -1;
}

/* Raise an alert about a dose and a movement: "HEAD: the escort for court
 * (Cardiff Crown Court) at Tue 12 Jan 08:30 GMT TAIL (A1234BC Smith,
 * John: Methadone ... 60 ml at 08:00, state)". */
static int
movements_alert(struct server *srv, const struct movement *m,
    const struct store_dose_row *row, const char *kind, const char *head,
    const char *tail, enum alert_audience audience, const char *subject_id,
    const char *actor_id, int64_t now)
{
	struct alert_policy	policy = server_alert_policy(srv);
	struct alert		a;
	char			when[CALENDAR_LOCAL_LEN];
	char			what[ALERT_MESSAGE_MAX / 2];
	char			msg[ALERT_MESSAGE_MAX];

	calendar_format_local(m->departs_at, when);
	rounds_describe(row, what, sizeof what);
	if (snprintf(msg, sizeof msg, "%s: the escort for %s (%s) at %s %s "
	    "(%s, %s)", head, movement_kind_name(m->kind), m->destination,
	    when, tail, what, dose_state_name(dose_state_at(&row->dose,
	    store_dose_standing(row), now))) >= (int)sizeof msg)
		validate_utf8_repair(msg);
	alert_raise(&a, kind, SEVERITY_URGENT, audience, m->patient_id,
	    subject_id, msg, now, &policy);
	return store_alert_raise(srv->store, &a, now, actor_id) == STORE_OK ?
	    0 : -1;
}

/* Tell the ward what tell says of a morning dose of a movement. */
static int
movements_tell(struct server *srv, const struct movement *m,
    const struct store_dose_row *row, enum movement_tell tell, int64_t now)
{
	static const char *const heads[] = { NULL, "morning dose not given",
		"morning dose held back by the earliest round time",
		"morning dose due after the escort leaves" };
	static const char *const tails[] = { NULL, "leaves soon",
		"leaves less than the margin after it is due",
		"leaves before the earliest round time it is due at: give it "
		"early in its window, or ask a prescriber" };

	if (tell == MOVEMENT_TELL_NOTHING)
		return 0;
	return movements_alert(srv, m, row, "movement_dose_not_given",
	    heads[tell], tails[tell], AUDIENCE_WARD, m->id, "", now);
}

/* movements_tell() of a dose known by its id. */
static int
movements_tell_dose(struct server *srv, const struct movement *m,
    const char *dose_id, enum movement_tell tell, int64_t now)
{
	struct store_dose_row	*row;
	int			 rc = -1;

	if (tell == MOVEMENT_TELL_NOTHING)
		return 0;
	if ((row = malloc(sizeof *row)) == NULL)
		return -1;
	if (store_dose_get(srv->store, dose_id, row) == STORE_OK)
		rc = movements_tell(srv, m, row, tell, now);
	free(row);
	return rc;
}

/* Tell the ward of each morning dose of a movement as the lead time
 * finds it (movement_tell_lead()). */
static int
movements_tell_ward(struct server *srv, const struct movement *m,
    int64_t now)
{
	struct batch			b;
	struct store_movement_dose	*md;
	size_t				 i;
	int				 rc;

	rc = movements_doses(srv, m->id, &b);
	for (i = 0; i < b.n && rc == 0; i++) {
		md = batch_item(&b, i);
		rc = movements_tell(srv, m, &md->row, movement_tell_lead(m,
		    md->row.dose.due_at, md->row.dose.state), now);
	}
	batch_free(&b);
	return rc;
}

/* The lead time has come (or passed at booking): warn the ward, once.
 * Returns 0, or -1 if the store failed. */
int
movements_warn(struct server *srv, struct movement *m, int64_t now)
{
	if (movements_tell_ward(srv, m, now) == -1)
		return -1;
	m->lead_alert_at = 0;
	return store_movement_update(srv->store, m) == STORE_OK &&
	    store_audit_append(srv->store, now, "", "movement.warn",
	    "movement", m->id, json_object()) == STORE_OK ? 0 : -1;
}

/* A dose the escort took the patient away from, standing as
 * movement_left_standing() says: dose_close_state() decides what it is
 * recorded as (missed, away or held) and whether the managers are told,
 * once whichever movement took the patient away from it. */
static int
movements_left_without(struct server *srv, const struct movement *m,
    struct store_dose_row *row, int standing, const char *actor_id,
    int64_t now)
{
	struct dose_close	c = dose_close_state(&row->dose, standing,
				    DOSE_CLOSE_DEPARTURE, now);
	int			told;

	if (c.record)
		row->dose.recorded_at = now;
	if (rounds_close_apply(srv, row, &c, now, actor_id) == -1)
		return -1;
	if (!c.tell_managers)
		return 0;
	if (store_alert_exists(srv->store, "left_without_dose", row->dose.id,
	    &told) != STORE_OK)
		return -1;
	return told ? 0 : movements_alert(srv, m, row, "left_without_dose",
	    "left without dose", "departed", AUDIENCE_MANAGER, row->dose.id,
	    actor_id, now);
}

/* Collect an open dose row not already among the movement's. */
static void
movements_collect_open(const struct store_dose_row *row, void *arg)
{
	struct batch			*b = arg;
	struct store_movement_dose	 md;
	size_t				 i;

	for (i = 0; i < b->n; i++) {
		const struct store_movement_dose *seen = batch_item(b, i);

		if (strcmp(seen->row.dose.id, row->dose.id) == 0)
			return;
	}
	memset(&md, 0, sizeof md);
	md.row = *row;
	md.original_due_at = md.moved_to = row->dose.due_at;
	batch_add(b, &md);
}

struct movements_end_ctx {
	const char	*why;		/* the prescriptions' stop reason */
	const char	*actor_id;
	int64_t		 at, now;
};

/* Stop a prescription when care here ends (the departure of a release
 * or transfer, an arrival entered in error); its doses not yet given go,
 * and a hold's alerts are settled. */
static int
movements_stop_one(struct server *srv, struct prescription *rx, void *arg)
{
	struct movements_end_ctx	*ctx = arg;
	int64_t				 removed;

	rx->stopped_at = ctx->at;
	strcpy(rx->stopped_by, ctx->actor_id);
	if (snprintf(rx->stop_reason, sizeof rx->stop_reason, "%s",
	    ctx->why) >= (int)sizeof rx->stop_reason)
		validate_utf8_repair(rx->stop_reason);
	return store_prescription_update(srv->store, rx) == STORE_OK &&
	    store_doses_delete_open(srv->store, rx->id, ctx->at, &removed) ==
	    STORE_OK &&
	    store_alerts_ack_subject(srv->store, rx->id, ctx->actor_id,
	    ctx->now, rx->stop_reason) == STORE_OK ? 0 : -1;
}

/* End a patient's care here from at, their status now status, why the
 * stop reason of their prescriptions: prescriptions stopped, observation
 * plan ended (its open due cancelled), clocks ended, their alerts but the
 * managers' acknowledged, and the patient no longer in custody.  A
 * release or transfer departing, or an arrival entered in error. */
int
movements_end_care(struct server *srv, const char *patient_id,
    enum patient_status status, const char *why, const char *actor_id,
    int64_t at, int64_t now)
{
	struct movements_end_ctx ctx = { why, actor_id, at, now };
	struct observation_plan	 plan;
	struct observation_due	 due;
	enum store_result	 sr;
	const char		*name = patient_status_name(status);

	if (movements_each_running(srv, patient_id, at, movements_stop_one,
	    &ctx) == -1)
		return -1;
	if ((sr = store_plan_get(srv->store, patient_id, &plan)) ==
	    STORE_OK && plan.ended_at == 0) {
		plan.ended_at = at;
		if (store_plan_update(srv->store, &plan) != STORE_OK)
			return -1;
		if ((sr = store_due_open(srv->store, patient_id, &due)) ==
		    STORE_OK) {
			due.state = OBS_DUE_CANCELLED;
			if (store_due_update(srv->store, &due) != STORE_OK)
				return -1;
		}
	}
	return sr == STORE_ERROR ||
	    store_clocks_end(srv->store, patient_id, at) != STORE_OK ||
	    store_alerts_ack_patient(srv->store, patient_id, actor_id, now,
	    name) != STORE_OK ||
	    store_patient_set_status(srv->store, patient_id, name) !=
	    STORE_OK ? -1 : 0;
}

/* End a release's or transfer's care at its departure. */
static int
movements_end_departed(struct server *srv, const struct movement *m,
    const char *actor_id, int64_t at, int64_t now)
{
	char	why[PRESCRIPTION_REASON_MAX * 4 + 1];
	int	release = m->kind == MOVEMENT_RELEASE;

	if (snprintf(why, sizeof why, "%s to %s", release ? "released" :
	    "transferred", m->destination) >= (int)sizeof why)
		validate_utf8_repair(why);
	return movements_end_care(srv, m->patient_id, release ?
	    PATIENT_RELEASED : PATIENT_TRANSFERRED, why, actor_id, at, now);
}

/* Close the patient's other open movements when they leave for good: a
 * court trip under way ends (released from court), any booked is
 * cancelled. */
static int
movements_close_others(struct server *srv, const struct movement *m,
    const char *actor_id, int64_t now)
{
	struct batch		b = BATCH_OF(struct store_movement_row);
	struct movement		*o;
	size_t			 i;
	int			 rc = 0;

	if (store_movements_open(srv->store, m->patient_id,
	    movements_collect_row, &b) != STORE_OK || b.failed)
		rc = -1;
	for (i = 0; i < b.n && rc == 0; i++) {
		o = &((struct store_movement_row *)batch_item(&b, i))->movement;
		if (strcmp(o->id, m->id) == 0)
			continue;
		if (movement_close_beside(o, m, actor_id, now))
			rc = movements_cancel(srv, o, actor_id, now);
		if (rc == 0 && store_movement_update(srv->store, o) != STORE_OK)
			rc = -1;
	}
	batch_free(&b);
	return rc;
}

/* Close what a departure at at leaves behind, as movement_closes_dose()
 * says: the movement's morning doses, and any other dose due by then. */
static int
movements_leave_doses(struct server *srv, const struct movement *m,
    int64_t at, int away_before, const char *actor_id, int64_t now)
{
	struct batch			b;
	struct store_movement_dose	*md;
	size_t				 i, nmorning;
	int				 rc;

	rc = movements_doses(srv, m->id, &b);
	nmorning = b.n;
	if (rc == 0 && (store_doses_open_by(srv->store, m->patient_id, at,
	    movements_collect_open, &b) != STORE_OK || b.failed))
		rc = -1;
	for (i = 0; i < b.n && rc == 0; i++) {
		md = batch_item(&b, i);
		if (movement_closes_dose(md->row.dose.due_at, at, i < nmorning))
			rc = movements_left_without(srv, m, &md->row,
			    movement_left_standing(store_dose_standing(
			    &md->row), i < nmorning, away_before), actor_id,
			    now);
	}
	batch_free(&b);
	return rc;
}

/* Apply a departure at at that movement_depart() recorded: what the
 * patient leaves without, and for a release or transfer the end of their
 * care here.  Returns 0, or -1 if the store failed. */
int
movements_depart(struct server *srv, struct movement *m, int64_t at,
    const char *actor_id, int64_t now)
{
	int	rc, away_before;

	/* Whether the patient was away already (released from court), asked
	 * before this departure is stored. */
	if (store_patient_away(srv->store, m->patient_id, at, &away_before) !=
	    STORE_OK || store_movement_update(srv->store, m) != STORE_OK)
		return -1;
	rc = movements_leave_doses(srv, m, at, away_before, actor_id, now);
	if (rc == 0 && m->kind == MOVEMENT_COURT)
		rc = observing_depart(srv, m->patient_id, at, now);
	if (rc == 0 && store_alerts_ack_subject(srv->store, m->id, actor_id,
	    now, "the escort departed") != STORE_OK)
		rc = -1;
	if (rc == 0 && movement_ends_care(m))
		rc = movements_close_others(srv, m, actor_id, now) == 0 &&
		    movements_end_departed(srv, m, actor_id, at, now) == 0 ?
		    0 : -1;
	if (rc == 0)
		rc = follow_ups_start(srv, m, at, now);
	return rc;
}

/* Collect a movement that prepared a dose. */
static void
movements_collect_preparation(const struct movement_preparation *mp,
    void *arg)
{
	batch_add(arg, mp);
}

/* Put a morning dose of a movement being cancelled where
 * movement_cancel_place() says, over the movements that prepared it. */
static int
movements_put_back(struct server *srv, const struct movement *m,
    struct dose *d, int64_t now)
{
	struct movement_policy	mp = server_movement_policy(srv);
	struct dose_policy	dp = server_dose_policy(srv);
	struct batch		b = BATCH_OF(struct movement_preparation);
	int64_t			moved_to;
	int			rc = 0;

	if (store_dose_preparations(srv->store, d->id,
	    movements_collect_preparation, &b) != STORE_OK || b.failed)
		rc = -1;
	else if (movement_cancel_place(&mp, b.items, b.n, m->id, d->due_at,
	    &moved_to)) {
		dose_place(d, moved_to, &dp);
		if (store_dose_move(srv->store, d) != STORE_OK ||
		    rounds_audit_dose(srv, "dose.move", d, now, "") == -1)
			rc = -1;
	}
	batch_free(&b);
	return rc;
}

/* Apply a cancel that movement_cancel() recorded: each morning dose not
 * yet signed off goes where it would be without the movement, and its
 * alerts are acknowledged.  The caller stores the movement. */
int
movements_cancel(struct server *srv, const struct movement *m,
    const char *actor_id, int64_t now)
{
	struct batch			b;
	struct store_movement_dose	*md;
	size_t				 i;
	int				 rc;

	rc = movements_doses(srv, m->id, &b);
	for (i = 0; i < b.n && rc == 0; i++) {
		md = batch_item(&b, i);
		if (!dose_is_closed(md->row.dose.state))
			rc = movements_put_back(srv, m, &md->row.dose, now);
	}
	batch_free(&b);
	if (rc == 0 && store_alerts_ack_subject(srv->store, m->id, actor_id,
	    now, "movement cancelled") != STORE_OK)
		rc = -1;
	return rc;
}

/* movements_warn() in the shape scheduler_each() takes. */
static int
movements_warn_at(struct server *srv, void *item, int64_t now)
{
	struct store_movement_row	*row = item;

	return movements_warn(srv, &row->movement, now) == 0;
}

/* The lead-time warnings due at now, inside the scheduler's transaction.
 * Returns how many items failed. */
int
movements_run(struct server *srv, int64_t now)
{
	struct batch		b = BATCH_OF(struct store_movement_row);
	int			failed = 0;

	if (store_movements_to_warn(srv->store, now, MOVEMENTS_BATCH,
	    movements_collect_row, &b) != STORE_OK)
		failed++;
	return failed + scheduler_each(srv, &b, now, movements_warn_at,
	    "warn of the escort's dose for");
}

/* The next lead-time warning, or 0 for none. */
int
movements_next_deadline(struct server *srv, int64_t *at)
{
	return store_movement_next_warning(srv->store, at) == STORE_OK ? 0 :
	    -1;
}
