/* The rules of a single dose: its window, the state a person sees, when it
 * may be signed off and by whom, and the run of doses not taken that holds
 * a prescription for review (docs/design.md rules 1 and 5). */
#include <string.h>

#include "auth_lock.h"
#include "dose.h"
#include "roles.h"

static const char *const dose_states[] = {
	"scheduled", "due", "given", "refused", "withheld", "missed", "away",
	"held",
};

/* A dose state as docs/openapi.yaml names it. */
const char *
dose_state_name(enum dose_state s)
{
	return dose_states[s];
}

/* A dose state from its name; -1 if it is none. */
int
dose_state_parse(const char *name, enum dose_state *s)
{
	size_t	i;

	for (i = 0; i < sizeof dose_states / sizeof dose_states[0]; i++)
		if (strcmp(name, dose_states[i]) == 0) {
			*s = (enum dose_state)i;
			return 0;
		}
	return -1;
}

/* Set a dose's due time and its window. */
void
dose_place(struct dose *d, int64_t due_at, const struct dose_policy *policy)
{
	d->due_at = due_at;
	d->window_start = due_at - policy->before_ms;
	d->window_end = due_at + policy->after_ms;
}

/* Whether a state is final: the dose was given, or will never be. */
int
dose_is_closed(enum dose_state s)
{
	return s != DOSE_SCHEDULED && s != DOSE_DUE;
}

/* Whether a closed dose counts as not taken towards the hold: missed,
 * refused, withheld or away alike, since tolerance falls whatever the
 * reason. */
int
dose_not_taken(enum dose_state s)
{
	return s == DOSE_MISSED || s == DOSE_REFUSED || s == DOSE_WITHHELD ||
	    s == DOSE_AWAY;
}

/* The state a person sees at now.  A dose still open is scheduled before
 * its window, due in it and missed after it, whatever the scheduler has
 * caught up with; while its prescription is held it shows held, and one
 * that fell due while the patient was away (at court) shows away. */
enum dose_state
dose_state_at(const struct dose *d, int standing, int64_t now)
{
	if (dose_is_closed(d->state))
		return d->state;
	if (standing & DOSE_RX_HELD)
		return DOSE_HELD;
	if (standing & DOSE_PATIENT_AWAY)
		return DOSE_AWAY;
	if (now < d->window_start)
		return DOSE_SCHEDULED;
	if (now < d->window_end)
		return DOSE_DUE;
	return DOSE_MISSED;
}

/* No dose is signed off for a patient who is not here: one refused or
 * withheld before the escort left could otherwise be given at court. */
static int
dose_refuse_out(struct refusal *why)
{
	return refuse(why, 1, "patient_away", "the patient is away (at "
	    "court): no dose is signed off until they are back");
}

/* Whether a dose may be signed off now (given, refused or withheld).
 * Returns 0, or -1 with *why filled. */
int
dose_check_signable(const struct dose *d, int standing, int64_t now,
    struct refusal *why)
{
	enum dose_state	seen = dose_state_at(d, standing, now);

	if (standing & DOSE_PATIENT_OUT)
		return dose_refuse_out(why);
	/* Open, but its patient was away when it fell due: once its window
	 * closes it is recorded away, and then closed like any other. */
	if (seen == DOSE_AWAY && !dose_is_closed(d->state))
		return refuse(why, 1, "patient_away", "the patient was away "
		    "(at court) when this dose fell due: it is recorded as "
		    "away");
	switch (seen) {
	case DOSE_DUE:
		return 0;
	case DOSE_SCHEDULED:
		return refuse(why, 1, "dose_not_due",
		    "this dose's window has not opened yet");
	case DOSE_GIVEN:
		return refuse(why, 1, "already_administered",
		    "this dose has already been given and signed");
	case DOSE_HELD:
		/* Recorded held, its prescription reviewed since: closed, and
		 * saying the prescription is held would send the nurse to a
		 * prescriber for nothing. */
		if (!(standing & DOSE_RX_HELD))
			return refuse(why, 1, "dose_closed", "this dose's "
			    "window closed while its prescription was held "
			    "for review: it was not given");
		return refuse(why, 0, "held_for_review",
		    "the prescription is held for review after doses not "
		    "taken; a prescriber must review it first");
	case DOSE_MISSED:
		return refuse(why, 1, "dose_closed",
		    "this dose's window has closed: it is recorded as missed");
	default:
		return refuse(why, 1, "dose_closed",
		    "this dose is already recorded as not given");
	}
}

/* Whether a dose may be given now: a due dose, or one refused or withheld
 * earlier in its window, since a patient who declined at 07:30 may come
 * back at 07:50 (the refusal stays in the audit log) -- unless that
 * refusal held the prescription, which a prescriber must review first.
 * Returns 0, or -1 with *why filled. */
int
dose_check_givable(const struct dose *d, int standing, int64_t now,
    struct refusal *why)
{
	if ((d->state == DOSE_REFUSED || d->state == DOSE_WITHHELD) &&
	    now >= d->window_start && now < d->window_end) {
		if (standing & DOSE_PATIENT_OUT)
			return dose_refuse_out(why);
		if (standing & DOSE_PATIENT_AWAY)
			return refuse(why, 1, "patient_away", "the patient was "
			    "away (at court) when this dose fell due");
		if (!(standing & DOSE_RX_HELD))
			return 0;
		return refuse(why, 0, "held_for_review", "the prescription "
		    "is held for review after doses not taken; a prescriber "
		    "must review it first");
	}
	return dose_check_signable(d, standing, now, why);
}

/* Whether the prescription still stands: a dose of one stopped since
 * (refused earlier, say) is never signed; the one that replaced it is. */
int
dose_check_prescription(int stopped, struct refusal *why)
{
	if (!stopped)
		return 0;
	return refuse(why, 1, "prescription_stopped", "this dose's "
	    "prescription was stopped; give the doses of the one that "
	    "replaced it");
}

/* Whether witness may witness giver's administration: a different person,
 * active, not locked out, and competent (a competent other, a pharmacist
 * or a nurse).  Their PIN is checked by the caller, after this. */
int
dose_check_witness(const struct staff *giver, const struct staff *witness,
    int64_t now, struct refusal *why)
{
	if (strcmp(giver->id, witness->id) == 0)
		return refuse(why, 0, "witness_not_distinct",
		    "the person giving a dose cannot also witness it: ask "
		    "someone else to witness");
	if (!witness->active)
		return refuse(why, 0, "witness_inactive",
		    "the witness's account is not active");
	if (auth_is_locked(&witness->lock, now))
		return refuse(why, 0, "witness_locked",
		    "the witness's account is locked after too many wrong "
		    "PINs");
	if ((witness->roles & (ROLE_COMPETENT | ROLE_PHARMACIST |
	    ROLE_NURSE)) == 0)
		return refuse(why, 0, "witness_not_competent",
		    "the witness is not a competent person, pharmacist or "
		    "nurse");
	return 0;
}

/* Whether the patient was away on a trip over [from, until]: gone by
 * from and not back by until.  For a dose, from is its due time and until
 * the end of its window (back in time to be given it, the patient is not
 * away for it); for now, both are now.  The trip is the patient's last
 * to depart by from. */
int
dose_patient_away(const struct dose_trip *t, int64_t from, int64_t until)
{
	return t->departed_at != 0 && t->departed_at <= from &&
	    (t->returned_at == 0 || t->returned_at > until);
}

/* Closing a dose still open when its window ends: held if its
 * prescription is (neither counted nor alerted: the hold is told
 * already), away if the patient was away when it fell due (counted, but no
 * failure of the ward's), missed otherwise (counted, and the ward told).
 * A stopped prescription's count ends with it. */
static struct dose_close
dose_close_window(const struct dose *d, int standing)
{
	struct dose_close	c = { d->state, 0, 0, 0, 0 };

	if (dose_is_closed(d->state))
		return c;
	c.record = 1;
	if (standing & DOSE_RX_HELD) {
		c.state = DOSE_HELD;
		return c;
	}
	c.state = standing & DOSE_PATIENT_AWAY ? DOSE_AWAY : DOSE_MISSED;
	c.count = !(standing & DOSE_RX_STOPPED);
	c.tell_ward = c.state == DOSE_MISSED;
	return c;
}

/* Closing a dose the patient left without: open, it closes as at its
 * window's end, but the managers are told rather than the ward; refused
 * or withheld earlier in a window still open, it could still have been
 * given, and can be no longer: missed (counted once already).  Every dose
 * not given is told to the managers but one the patient was away for. */
static struct dose_close
dose_close_departure(const struct dose *d, int standing, int64_t now)
{
	struct dose_close	c = dose_close_window(d, standing);

	if ((d->state == DOSE_REFUSED || d->state == DOSE_WITHHELD) &&
	    now < d->window_end) {
		c.state = DOSE_MISSED;
		c.record = 1;
	}
	c.tell_ward = 0;
	c.tell_managers = c.state != DOSE_GIVEN && c.state != DOSE_AWAY;
	return c;
}

/* The state a dose closes to and what that sets off: at the end of its
 * window (the scheduler) or when the patient leaves (a court escort or a
 * release).  The caller stores the state if record, counts the dose
 * towards the hold if count, and raises the alerts. */
struct dose_close
dose_close_state(const struct dose *d, int standing,
    enum dose_close_cause cause, int64_t now)
{
	if (cause == DOSE_CLOSE_DEPARTURE)
		return dose_close_departure(d, standing, now);
	return dose_close_window(d, standing);
}

/* The run of doses not taken after an event (docs/design.md rule 5): a
 * dose given starts it again (a hold stays until reviewed); one not taken
 * counts, and the one reaching hold_after holds the prescription (a run
 * already past it, the threshold lowered mid-run, holds at the next); a
 * review lifts the hold and starts from zero. */
struct dose_hold_change
dose_hold_run(const struct dose_hold *prev, enum dose_hold_event e,
    int64_t now, int hold_after)
{
	struct dose_hold_change	c = { *prev, 0, 0 };

	switch (e) {
	case DOSE_HOLD_TAKEN:
		c.hold.run = 0;
		break;
	case DOSE_HOLD_NOT_TAKEN:
		c.hold.run++;
		if (prev->held_at == 0 && c.hold.run >= hold_after) {
			c.hold.held_at = now;
			c.held_now = 1;
		}
		break;
	case DOSE_HOLD_REVIEWED:
		c.hold.run = 0;
		c.hold.held_at = 0;
		break;
	}
	c.changed = c.hold.run != prev->run || c.hold.held_at != prev->held_at;
	return c;
}

/* Whether a dose may be entered in error (a given dose recorded against
 * the wrong patient, or the wrong amount): only a given one, and only
 * once, since a correction of a correction would leave no record of what
 * was true.  Returns 0, or -1 with *why filled. */
int
dose_check_error(const struct dose *d, int in_error, struct refusal *why)
{
	if (in_error)
		return refuse(why, 1, "already_entered_in_error", "this dose "
		    "was already entered in error; its register correction "
		    "stands");
	if (d->state != DOSE_GIVEN)
		return refuse(why, 1, "dose_not_given", "this dose is %s, not "
		    "given: only a dose recorded as given is entered in error",
		    dose_state_name(d->state));
	return 0;
}

/* The run of doses not taken once a given dose was entered in error, from
 * the prescription's closed doses newest first (the one in error among
 * them, now missed).  That dose had started the run again; it counts as
 * not taken instead, since the record no longer says the patient had it,
 * and a hold sends the prescription to a prescriber, the safe side.  The
 * run is the doses not taken back to the last given; held doses neither
 * count nor break it, as in dose_hold_run().  A hold stays until
 * reviewed; a run reaching hold_after holds the prescription now. */
struct dose_hold_change
dose_hold_recount(const struct dose_hold *prev,
    const enum dose_state *newest_first, size_t n, int64_t now,
    int hold_after)
{
	struct dose_hold_change	c = { *prev, 0, 0 };
	size_t			i;

	c.hold.run = 0;
	for (i = 0; i < n && newest_first[i] != DOSE_GIVEN; i++)
		if (dose_not_taken(newest_first[i]))
			c.hold.run++;
	if (prev->held_at == 0 && c.hold.run >= hold_after) {
		c.hold.held_at = now;
		c.held_now = 1;
	}
	c.changed = c.hold.run != prev->run || c.hold.held_at != prev->held_at;
	return c;
}

/* The run a new prescription of a product takes over from the patient's
 * last one of it, stopped at stopped_at (last NULL: none): all of it if
 * that was a change of dose within DOSE_RUN_CARRIED_MS, since tolerance
 * falls whatever the paperwork; nothing after longer, or if that one was
 * held, since the prescriber who wrote the new one has looked at it. */
int
dose_hold_carried(const struct dose_hold *last, int64_t stopped_at,
    int64_t now)
{
	if (last == NULL || last->held_at != 0 ||
	    stopped_at < now - DOSE_RUN_CARRIED_MS)
		return 0;
	return last->run;
}
