/* The rules of a movement (docs/design.md rule 3): a prisoner on detox or
 * maintenance who is escorted to court or released has that day's dose
 * before the escort leaves.  The dose is made due a margin before
 * departure, never before the earliest round time; the ward is warned a
 * lead time before departure if it is still not given. */
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "movement.h"

#define MOVEMENT_NKINDS		3
#define MOVEMENT_NSTATES	5

static const char *const movement_kinds[MOVEMENT_NKINDS] = { "court",
	"release", "transfer" };
static const char *const movement_states[MOVEMENT_NSTATES] = { "planned",
	"departed", "returned", "cancelled", "ended" };

const char *
movement_kind_name(enum movement_kind k)
{
	return movement_kinds[k];
}

/* Find name in a table of n names; -1 if it is none. */
static int
movement_lookup(const char *const *names, int n, const char *name)
{
	int	i;

	for (i = 0; i < n; i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -1;
}

int
movement_kind_parse(const char *name, enum movement_kind *k)
{
	int	i = movement_lookup(movement_kinds, MOVEMENT_NKINDS, name);

	if (i == -1)
		return -1;
	*k = (enum movement_kind)i;
	return 0;
}

const char *
movement_state_name(enum movement_state s)
{
	return movement_states[s];
}

int
movement_state_parse(const char *name, enum movement_state *s)
{
	int	i = movement_lookup(movement_states, MOVEMENT_NSTATES, name);

	if (i == -1)
		return -1;
	*s = (enum movement_state)i;
	return 0;
}

/* Whether a movement is still to happen or under way. */
int
movement_is_open(const struct movement *m)
{
	return m->state == MOVEMENT_PLANNED || m->state == MOVEMENT_DEPARTED;
}

/* Whether its departure ends the patient's care here. */
int
movement_ends_care(const struct movement *m)
{
	return m->kind == MOVEMENT_RELEASE || m->kind == MOVEMENT_TRANSFER;
}

/* The latest a dose may be due on the day of a departure: a margin before
 * it, but not before the earliest round time that day, since nobody is
 * woken at 04:30 for an escort at 05:00 (the lead-time alert says so
 * instead). */
int64_t
movement_dose_target(const struct movement_policy *p, int64_t departs_at)
{
	int64_t	target = departs_at - p->margin_ms;
	int64_t	earliest = calendar_local_time(calendar_local_date(departs_at),
		    p->earliest_minute);

	return target > earliest ? target : earliest;
}

/* Where the first dose of the departure day goes: a dose due after the
 * target moves to it (a 09:00 dose before an 08:30 escort is due at
 * 08:00); one due by then stays.  Returns 1 and sets *moved_to if it
 * moves, 0 if it stays. */
int
movement_dose_place(const struct movement_policy *p, int64_t departs_at,
    int64_t due_at, int64_t *moved_to)
{
	int64_t	target = movement_dose_target(p, departs_at);

	if (due_at <= target)
		return 0;
	*moved_to = target;
	return 1;
}

/* When the ward is warned that a morning dose is still not given: the
 * lead time before departure, or at once if that has passed. */
int64_t
movement_lead_alert_at(const struct movement_policy *p, int64_t departs_at,
    int64_t now)
{
	int64_t	at = departs_at - p->lead_ms;

	return at <= now ? now : at;
}

/* Whether the lead time before a departure has come by now. */
static int
movement_lead_passed(const struct movement_policy *p, int64_t departs_at,
    int64_t now)
{
	return movement_lead_alert_at(p, departs_at, now) <= now;
}

/* When the ward is to be warned of a movement's morning doses, once more
 * of them have been prepared at now: at the lead time if it is still to
 * come.  If it has passed, a warning still pending stays pending (the
 * scheduler gives it at once, for every dose), and one already given is
 * not given again (each dose prepared since is told of as it is:
 * movement_tell_prepared()). */
int64_t
movement_prepared_lead_at(const struct movement_policy *p,
    const struct movement *m, int64_t now)
{
	if (!movement_lead_passed(p, m->departs_at, now))
		return movement_lead_alert_at(p, m->departs_at, now);
	return m->lead_alert_at;
}

/* What the ward is told at once of a morning dose just prepared for a
 * planned movement (recorded: its state).  Nothing if it is closed.  If
 * the earliest round time puts it after the escort leaves, that: the
 * night staff can give it early in its window, or a prescriber decide.
 * If the lead time has passed with no warning pending, that it is not
 * given.  If the earliest time holds it back from the margin (the escort
 * leaves less than the margin after it), that.  Otherwise nothing: a
 * dose due by the margin is told of at the lead time, if still not given
 * then. */
enum movement_tell
movement_tell_prepared(const struct movement_policy *p,
    const struct movement *m, int64_t due_at, enum dose_state recorded,
    int64_t now)
{
	if (dose_is_closed(recorded))
		return MOVEMENT_TELL_NOTHING;
	if (due_at > m->departs_at)
		return MOVEMENT_TELL_AFTER_DEPARTURE;
	if (m->lead_alert_at == 0 &&
	    movement_lead_passed(p, m->departs_at, now))
		return MOVEMENT_TELL_NOT_GIVEN;
	if (due_at > m->departs_at - p->margin_ms)
		return MOVEMENT_TELL_HELD_BACK;
	return MOVEMENT_TELL_NOTHING;
}

/* What the ward is told of a morning dose when the lead time comes: that
 * it is still not given, or that it is due only after the escort leaves.
 * Nothing if it is closed (given, refused, withheld, missed, or held):
 * nothing is left for the ward to give, and the managers hear at
 * departure that the patient left without it. */
enum movement_tell
movement_tell_lead(const struct movement *m, int64_t due_at,
    enum dose_state recorded)
{
	if (dose_is_closed(recorded))
		return MOVEMENT_TELL_NOTHING;
	return due_at > m->departs_at ? MOVEMENT_TELL_AFTER_DEPARTURE :
	    MOVEMENT_TELL_NOT_GIVEN;
}

/* Where a dose due at due_at goes when the movement cancelled_id is
 * cancelled, given the movements that prepared it (by, in the order they
 * did): to its own time, as the first of them found it, then moved by
 * each of the others still booked as it would have been had the
 * cancelled one never been.  Returns 1 and sets *moved_to if that is not
 * due_at, 0 if the dose stays. */
int
movement_cancel_place(const struct movement_policy *p,
    const struct movement_preparation *by, size_t n,
    const char *cancelled_id, int64_t due_at, int64_t *moved_to)
{
	int64_t	at, moved;
	size_t	i;

	if (n == 0)
		return 0;
	at = by[0].original_due_at;
	for (i = 0; i < n; i++)
		if (by[i].state == MOVEMENT_PLANNED &&
		    strcmp(by[i].movement_id, cancelled_id) != 0 &&
		    movement_dose_place(p, by[i].departs_at, at, &moved))
			at = moved;
	if (at == due_at)
		return 0;
	*moved_to = at;
	return 1;
}

/* Whether a departure at at closes a dose of the patient's that is open
 * and whose window had opened by then.  A morning dose the movement
 * prepared, always: it was the ward's to give before the escort left,
 * wherever the earliest time put it.  Any other, only if it was due by
 * the departure: one due after it stays open, to be given if the patient
 * is back within its window, or recorded away when the window closes
 * (the ward had until its time to give it). */
int
movement_closes_dose(int64_t due_at, int64_t at, int morning)
{
	return morning || due_at <= at;
}

/* The standing of a dose (dose.h's DOSE_RX_HELD, DOSE_PATIENT_AWAY, ...)
 * that a departure leaves behind not given, for dose_close_state().  A
 * morning dose the movement prepared was the ward's to give before the
 * escort left, wherever the earliest time put it, even after the
 * departure: the patient counts as away for it only if they were away
 * already when the escort left (released from court, away_before), and
 * so it is missed and the managers told.  Any other dose stands as it
 * fell due: one whose window had opened but that is due after the
 * departure is away, since the ward had until its time to give it. */
int
movement_left_standing(int standing, int morning, int away_before)
{
	if (!morning)
		return standing;
	standing &= ~DOSE_PATIENT_AWAY;
	return away_before ? standing | DOSE_PATIENT_AWAY : standing;
}

/* Count one of a patient's movements into what a new booking sees; a
 * movement no longer open does not count. */
void
movement_others_add(struct movement_others *o, const struct movement *m)
{
	if (!movement_is_open(m))
		return;
	if (movement_ends_care(m))
		o->leaving = 1;
	else {
		o->court = 1;
		o->away |= m->state == MOVEMENT_DEPARTED;
	}
}

/* Whether a movement may be booked now: its departure neither long past
 * nor beyond the booking horizon. */
int
movement_check_new(const struct movement_policy *p, const struct movement *m,
    int64_t now, struct refusal *why)
{
	if (m->departs_at < now - p->past_tolerance_ms)
		return refuse(why, 0, "departs_in_past", "the departure time "
		    "has passed; record a movement before it leaves");
	if (m->departs_at > now + p->max_ahead_ms)
		return refuse(why, 0, "departs_too_far", "the departure is "
		    "beyond the booking horizon; book it nearer the day");
	return 0;
}

/* A time recorded for a departure or a return: not in the future, and not
 * further back than the tolerance. */
static int
movement_check_time(const struct movement_policy *p, int64_t at, int64_t now,
    struct refusal *why)
{
	if (at > now)
		return refuse(why, 0, "time_in_future", "a departure or return "
		    "is recorded when it has happened");
	if (at < now - p->past_tolerance_ms)
		return refuse(why, 0, "time_in_past", "that time is further "
		    "back than a departure or return may be recorded");
	return 0;
}

/* Whether a movement may depart at at: on its day, not days before the
 * departure it was booked for (whose morning dose would be recorded
 * missed and the patient away meanwhile). */
int
movement_check_depart(const struct movement_policy *p,
    const struct movement *m, int64_t at, int64_t now, struct refusal *why)
{
	switch (m->state) {
	case MOVEMENT_PLANNED:
		if (movement_check_time(p, at, now, why) == -1)
			return -1;
		if (at < m->departs_at - MOVEMENT_EARLY_MS)
			return refuse(why, 0, "departs_early", "this movement "
			    "is booked for a later time: record the departure "
			    "on its day, or cancel it and book another");
		return 0;
	case MOVEMENT_CANCELLED:
		return refuse(why, 1, "movement_cancelled",
		    "this movement was cancelled");
	default:
		return refuse(why, 1, "already_departed",
		    "this movement has already departed");
	}
}

/* Whether a movement may return at at: a court trip under way, back no
 * earlier than it left. */
int
movement_check_return(const struct movement_policy *p,
    const struct movement *m, int64_t at, int64_t now, struct refusal *why)
{
	if (m->kind != MOVEMENT_COURT)
		return refuse(why, 1, "not_returnable", "a release or transfer "
		    "does not return; a person coming back is a new arrival");
	switch (m->state) {
	case MOVEMENT_DEPARTED:
		break;
	case MOVEMENT_RETURNED:
		return refuse(why, 1, "already_returned",
		    "this movement has already returned");
	case MOVEMENT_PLANNED:
		return refuse(why, 1, "not_departed",
		    "this movement has not departed");
	default:
		return refuse(why, 1, "movement_closed", "this movement is "
		    "cancelled or ended in a release");
	}
	if (at < m->departed_at)
		return refuse(why, 0, "return_before_departure",
		    "the return is earlier than the departure");
	return movement_check_time(p, at, now, why);
}

/* Whether a movement may be booked beside the patient's open ones: one
 * court trip at a time, one release or transfer, and no court trip once
 * a release or transfer is booked.  A release or transfer may be booked
 * beside a court trip, even one under way (released from court).  The
 * refusal names the patient by prison_number. */
int
movement_check_beside(const struct movement *m,
    const struct movement_others *o, const char *prison_number,
    struct refusal *why)
{
	if (o->leaving)
		return refuse(why, 1, "movement_exists", "%s already has a "
		    "release or transfer booked; cancel it first",
		    prison_number);
	if (o->court && m->kind == MOVEMENT_COURT)
		return refuse(why, 1, "movement_exists", "%s already has a "
		    "court escort booked or under way", prison_number);
	return 0;
}

/* Whether a movement may be cancelled: only before it departs. */
int
movement_check_cancel(const struct movement *m, struct refusal *why)
{
	if (m->state == MOVEMENT_PLANNED)
		return 0;
	if (m->state == MOVEMENT_CANCELLED)
		return refuse(why, 1, "movement_cancelled",
		    "this movement was already cancelled");
	return refuse(why, 1, "already_departed", "a movement that has "
	    "departed cannot be cancelled");
}

/* Move a movement to state at at, by actor_id, in the fields that state
 * keeps (when, by); nothing is left to warn the ward of. */
static void
movement_stamp(struct movement *m, enum movement_state state, int64_t *when,
    char by[UUID_STR_LEN], int64_t at, const char *actor_id)
{
	m->state = state;
	*when = at;
	snprintf(by, UUID_STR_LEN, "%s", actor_id);
	m->lead_alert_at = 0;
}

/* Record a departure at at by actor_id, if movement_check_depart() allows
 * it. */
int
movement_depart(const struct movement_policy *p, struct movement *m,
    int64_t at, const char *actor_id, int64_t now, struct refusal *why)
{
	if (movement_check_depart(p, m, at, now, why) == -1)
		return -1;
	movement_stamp(m, MOVEMENT_DEPARTED, &m->departed_at, m->departed_by,
	    at, actor_id);
	return 0;
}

/* Record a return from court at at by actor_id, if
 * movement_check_return() allows it. */
int
movement_return(const struct movement_policy *p, struct movement *m,
    int64_t at, const char *actor_id, int64_t now, struct refusal *why)
{
	if (movement_check_return(p, m, at, now, why) == -1)
		return -1;
	movement_stamp(m, MOVEMENT_RETURNED, &m->returned_at, m->returned_by,
	    at, actor_id);
	return 0;
}

/* Record a cancel at now by actor_id, for reason, if
 * movement_check_cancel() allows it. */
int
movement_cancel(struct movement *m, const char *actor_id, const char *reason,
    int64_t now, struct refusal *why)
{
	if (movement_check_cancel(m, why) == -1)
		return -1;
	movement_stamp(m, MOVEMENT_CANCELLED, &m->cancelled_at,
	    m->cancelled_by, now, actor_id);
	snprintf(m->cancel_reason, sizeof m->cancel_reason, "%s", reason);
	return 0;
}

/* What a release or transfer (leaving) departing does to another of the
 * patient's movements: a court trip under way ends (released from
 * court), one still booked is cancelled as "released" or "transferred",
 * and one already closed stays so.  Returns 1 if o was cancelled (its
 * morning doses then go back: movements_cancel()), 0 if not. */
int
movement_close_beside(struct movement *o, const struct movement *leaving,
    const char *actor_id, int64_t now)
{
	struct refusal	why;

	if (o->state == MOVEMENT_DEPARTED) {
		o->state = MOVEMENT_ENDED;
		return 0;
	}
	return movement_cancel(o, actor_id, leaving->kind == MOVEMENT_RELEASE ?
	    "released" : "transferred", now, &why) == 0;
}
