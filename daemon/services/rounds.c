/* The dose round's moving parts.  Doses are laid out from each running
 * prescription for a horizon ahead (doses.horizon_hours), so the round and
 * the scheduler work on plain rows; the scheduler opens windows (due),
 * closes them (missed, with a ward alert) and extends the horizon.  A run
 * of doses not taken reaching doses.hold_after holds the prescription and
 * tells the prescribers and the managers (docs/design.md rule 5). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "batch.h"
#include "calendar.h"
#include "log.h"
#include "rounds.h"
#include "scheduler.h"
#include "server.h"
#include "store.h"

#define ROUNDS_BATCH		500	/* rows per scheduler pass */
#define ROUNDS_EXTEND_EARLY	MS_PER_HOUR	/* hysteresis */

struct rounds_lay_out_ctx {
	struct server			*srv;
	const struct prescription	*rx;
	struct dose_policy		 policy;
	int64_t				 now;
	int				 failed;
};

/* The audit entry of a change to a dose (it records the row's digest as
 * the change left it). */
int
rounds_audit_dose(struct server *srv, const char *action,
    const struct dose *d, int64_t now, const char *actor_id)
{
	return store_audit_append(srv->store, now, actor_id, action, "dose",
	    d->id, json_pack("{s:s,s:s,s:I}", "prescription_id",
	    d->prescription_id, "state", dose_state_name(d->state), "due_at",
	    (json_int_t)d->due_at)) == STORE_OK ? 0 : -1;
}

/* Store one dose a prescription asks for. */
static void
rounds_lay_out_one(const struct prescription_dose *pd, void *arg)
{
	struct rounds_lay_out_ctx	*ctx = arg;
	struct dose			 d;

	memset(&d, 0, sizeof d);
	validate_new_uuid(d.id);
	strcpy(d.prescription_id, ctx->rx->id);
	strcpy(d.patient_id, ctx->rx->patient_id);
	dose_place(&d, pd->due_at, &ctx->policy);
	d.amount = pd->dose;
	d.state = DOSE_SCHEDULED;
	if (store_dose_insert(ctx->srv->store, &d) != STORE_OK ||
	    rounds_audit_dose(ctx->srv, "dose.schedule", &d, ctx->now, "") ==
	    -1)
		ctx->failed = 1;
}

/* Lay out a running prescription's doses up to the horizon: those whose
 * window has not yet closed, from where the last laying-out stopped.
 * Returns 0, or -1 if the store failed. */
int
rounds_lay_out(struct server *srv, struct prescription *rx, int64_t now)
{
	return rounds_lay_out_until(srv, rx, now, 0);
}

/* rounds_lay_out(), and further if need be, to until: a movement booked
 * beyond the horizon needs the dose of its day now. */
int
rounds_lay_out_until(struct server *srv, struct prescription *rx,
    int64_t now, int64_t until)
{
	struct rounds_lay_out_ctx	 ctx = { srv, rx, server_dose_policy(srv),
					    now, 0 };
	int64_t				 from, to, end;

	if (rx->stopped_at != 0)
		return 0;
	/* A new prescription starts with the doses whose window is still
	 * open; after that each laying-out goes on where the last stopped,
	 * so the doses of days the daemon was down exist, and are missed. */
	from = rx->generated_until != 0 ? rx->generated_until :
	    now - ctx.policy.after_ms + 1;
	to = now + ctx.policy.horizon_ms;
	if (until > to)
		to = until;
	if (to > from)
		prescription_doses(rx, from, to, rounds_lay_out_one, &ctx);
	if (ctx.failed)
		return -1;
	end = prescription_doses_end(rx);
	/* Past its last day there is nothing more to lay out, ever. */
	rx->generated_until = to >= end ? INT64_MAX :
	    to > rx->generated_until ? to : rx->generated_until;
	return store_prescription_update(srv->store, rx) == STORE_OK ? 0 : -1;
}

/* "A1234BC Smith, John: methadone 1mg/ml oral solution 60 ml at Mon 23
 * Nov 08:00 GMT" */
void
rounds_describe(const struct store_dose_row *row, char *buf, size_t size)
{
	char	due[CALENDAR_LOCAL_LEN], amount[QUANTITY_TEXT_LEN];

	calendar_format_local(row->dose.due_at, due);
	validate_quantity_format(row->dose.amount, amount);
	if (snprintf(buf, size, "%s %s, %s: %s %s %s %s %s at %s",
	    row->patient.prison_number, row->patient.family_name,
	    row->patient.given_name, row->product.name, row->product.strength,
	    row->product.form, amount, row->product.unit, due) >= (int)size)
		validate_utf8_repair(buf);
}

/* Tell the prescribers and the managers that a prescription is held. */
static int
rounds_tell_held(struct server *srv, const struct store_dose_row *row,
    const struct prescription *rx, int64_t now, const char *actor_id)
{
	struct alert	pair[2];
	char		what[ALERT_MESSAGE_MAX / 2];
	char		msg[ALERT_MESSAGE_MAX];

	rounds_describe(row, what, sizeof what);
	if (snprintf(msg, sizeof msg, "held for review after %d doses not "
	    "taken (last: %s, %s); a prescriber must review it before the "
	    "next dose", rx->not_taken_run, what,
	    dose_state_name(row->dose.state)) >= (int)sizeof msg)
		validate_utf8_repair(msg);
	alert_raise_with_managers(pair, "prescription_held", SEVERITY_URGENT,
	    AUDIENCE_PRESCRIBER, row->patient.id, rx->id, msg, now);
	return store_alert_raise_pair(srv->store, pair, now, actor_id) ==
	    STORE_OK && store_audit_append(srv->store, now, actor_id,
	    "prescription.held", "prescription", rx->id, json_pack("{s:i}",
	    "not_taken_run", rx->not_taken_run)) == STORE_OK ? 0 : -1;
}

/* Load a dose's prescription, move its run and hold as decide says (a
 * rule's call, which moves them in rx), store them, and tell the
 * prescribers and managers of a hold that came now.  Returns 0, or -1 if
 * the store failed. */
static int
rounds_hold_change(struct server *srv, const struct store_dose_row *row,
    struct dose_hold_change (*decide)(struct prescription *, void *),
    void *arg, int64_t now, const char *actor_id)
{
	struct prescription	*rx;
	struct dose_hold_change	 c;
	int			 rc = -1;

	if ((rx = malloc(sizeof *rx)) == NULL)
		return -1;
	if (store_prescription_get(srv->store, row->dose.prescription_id, rx) !=
	    STORE_OK)
		goto out;
	c = decide(rx, arg);
	if ((!c.held_now || rounds_tell_held(srv, row, rx, now, actor_id) ==
	    0) && (!c.changed || store_prescription_update(srv->store, rx) ==
	    STORE_OK))
		rc = 0;
out:
	free(rx);
	return rc;
}

/* What rounds_hold_event() and rounds_hold_recount() ask of the rules. */
struct rounds_hold_ask {
	enum dose_hold_event	 e;
	const enum dose_state	*closed;
	size_t			 n;
	int64_t			 now;
	int			 hold_after;
};

static struct dose_hold_change
rounds_hold_by_event(struct prescription *rx, void *arg)
{
	struct rounds_hold_ask	*ask = arg;

	return prescription_hold_event(rx, ask->e, ask->now, ask->hold_after);
}

static struct dose_hold_change
rounds_hold_by_recount(struct prescription *rx, void *arg)
{
	struct rounds_hold_ask	*ask = arg;
	struct dose_hold	 prev = { rx->not_taken_run, rx->held_at };
	struct dose_hold_change	 c;

	c = dose_hold_recount(&prev, ask->closed, ask->n, ask->now,
	    ask->hold_after);
	rx->not_taken_run = c.hold.run;
	rx->held_at = c.hold.held_at;
	return c;
}

/* Move a dose's prescription's run of doses not taken by an event, as
 * dose_hold_run() decides.  Returns 0, or -1 if the store failed. */
int
rounds_hold_event(struct server *srv, const struct store_dose_row *row,
    enum dose_hold_event e, int64_t now, const char *actor_id)
{
	struct rounds_hold_ask	ask = { e, NULL, 0, now,
				    server_dose_policy(srv).hold_after };

	return rounds_hold_change(srv, row, rounds_hold_by_event, &ask, now,
	    actor_id);
}

/* Count a dose's prescription's run again from its closed doses, newest
 * first, once a given one was entered in error (dose_hold_recount()).
 * Returns 0, or -1 if the store failed. */
int
rounds_hold_recount(struct server *srv, const struct store_dose_row *row,
    const enum dose_state *closed, size_t n, int64_t now,
    const char *actor_id)
{
	struct rounds_hold_ask	ask = { DOSE_HOLD_TAKEN, closed, n, now,
				    server_dose_policy(srv).hold_after };

	return rounds_hold_change(srv, row, rounds_hold_by_recount, &ask, now,
	    actor_id);
}

/* Record a dose closed, as dose_close_state() decided: its state, a
 * dose_missed alert to the ward, and its count towards the hold.  The
 * managers' alert at a departure is the movement's to raise.  Returns 0,
 * or -1 if the store failed. */
int
rounds_close_apply(struct server *srv, struct store_dose_row *row,
    const struct dose_close *c, int64_t now, const char *actor_id)
{
	struct alert_policy	policy = server_alert_policy(srv);
	struct alert		a;
	char			what[ALERT_MESSAGE_MAX / 2];
	char			msg[ALERT_MESSAGE_MAX];

	if (c->record) {
		row->dose.state = c->state;
		if (store_dose_update(srv->store, &row->dose) != STORE_OK ||
		    rounds_audit_dose(srv, "dose.close", &row->dose, now,
		    actor_id) == -1)
			return -1;
	}
	if (c->tell_ward) {
		rounds_describe(row, what, sizeof what);
		snprintf(msg, sizeof msg, "dose missed: %s was not given in "
		    "its window", what);
		alert_raise(&a, "dose_missed", SEVERITY_WARNING, AUDIENCE_WARD,
		    row->patient.id, row->dose.id, msg, now, &policy);
		if (store_alert_raise(srv->store, &a, now, actor_id) !=
		    STORE_OK)
			return -1;
	}
	return c->count ? rounds_hold_event(srv, row, DOSE_HOLD_NOT_TAKEN, now,
	    actor_id) : 0;
}

/* Collect a dose's id for a batch. */
static void
rounds_collect_dose(const struct dose *d, void *arg)
{
	batch_add(arg, d->id);
}

/* Collect a prescription's id for a batch. */
static void
rounds_collect_prescription(const struct prescription *rx, void *arg)
{
	batch_add(arg, rx->id);
}

/* A window has opened: the dose is due. */
static int
rounds_open(struct server *srv, void *id, int64_t now)
{
	struct store_dose_row	row;

	if (store_dose_get(srv->store, id, &row) != STORE_OK)
		return 0;
	row.dose.state = DOSE_DUE;
	return store_dose_update(srv->store, &row.dose) == STORE_OK &&
	    rounds_audit_dose(srv, "dose.due", &row.dose, now, "") == 0;
}

/* A window has closed with the dose not given: dose_close_state()
 * decides what it becomes (missed, away or held) and what that sets off. */
static int
rounds_close(struct server *srv, void *id, int64_t now)
{
	struct store_dose_row	row;
	struct dose_close	c;

	if (store_dose_get(srv->store, id, &row) != STORE_OK)
		return 0;
	c = dose_close_state(&row.dose, store_dose_standing(&row),
	    DOSE_CLOSE_WINDOW, now);
	return rounds_close_apply(srv, &row, &c, now, "") == 0;
}

/* Extend a prescription's doses to the horizon. */
static int
rounds_extend(struct server *srv, void *id, int64_t now)
{
	struct prescription	*rx;
	int			 ok;

	if ((rx = malloc(sizeof *rx)) == NULL)
		return 0;
	ok = store_prescription_get(srv->store, id, rx) == STORE_OK &&
	    rounds_lay_out(srv, rx, now) == 0;
	free(rx);
	return ok;
}

/* Everything due at now, inside the scheduler's transaction: closing
 * windows first (so a dose whose window opened and closed while the daemon
 * was down is missed, not due), then opening them, then laying out ahead.
 * Returns how many items failed. */
int
rounds_run(struct server *srv, int64_t now)
{
	struct dose_policy	policy = server_dose_policy(srv);
	struct batch		ids = BATCH_OF(char[UUID_STR_LEN]);
	int			failed = 0;

	if (store_doses_to_close(srv->store, now, ROUNDS_BATCH,
	    rounds_collect_dose, &ids) != STORE_OK)
		failed++;
	failed += scheduler_each(srv, &ids, now, rounds_close, "close the dose");
	if (store_doses_to_open(srv->store, now, ROUNDS_BATCH,
	    rounds_collect_dose, &ids) != STORE_OK)
		failed++;
	failed += scheduler_each(srv, &ids, now, rounds_open, "open the dose");
	if (store_prescriptions_to_extend(srv->store, now + policy.horizon_ms -
	    ROUNDS_EXTEND_EARLY, ROUNDS_BATCH, rounds_collect_prescription,
	    &ids) != STORE_OK)
		failed++;
	failed += scheduler_each(srv, &ids, now, rounds_extend,
	    "lay out the doses of");
	return failed;
}

/* The next instant the round needs the scheduler, or 0 for none. */
int
rounds_next_deadline(struct server *srv, int64_t *at)
{
	struct dose_policy	policy = server_dose_policy(srv);
	int64_t			window, laid_out, extend = 0;

	if (store_dose_next_deadline(srv->store, &window) != STORE_OK ||
	    store_prescription_next_extension(srv->store, &laid_out) !=
	    STORE_OK)
		return -1;
	if (laid_out != -1)
		extend = laid_out - policy.horizon_ms + ROUNDS_EXTEND_EARLY;
	*at = window;
	/* Nothing laid out yet (0) makes an extension due at once. */
	if (laid_out != -1 && (*at == 0 || extend < *at))
		*at = extend > 0 ? extend : 1;
	return 0;
}
