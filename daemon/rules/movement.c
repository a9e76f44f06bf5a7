/* The rules of a movement (docs/design.md rule 3): a prisoner on detox or
 * maintenance who is escorted to court or released has that day's dose
 * before the escort leaves.  The dose is made due a margin before
 * departure, never before the earliest round time; the ward is warned a
 * lead time before departure if it is still not given. */
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

/* Whether the escort leaves so early that the earliest round time holds
 * the dose back from its margin: the night staff are told at booking, as
 * well as the ward at the lead time. */
int
movement_dose_clamped(const struct movement_policy *p, int64_t departs_at)
{
	return movement_dose_target(p, departs_at) >
	    departs_at - p->margin_ms;
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
