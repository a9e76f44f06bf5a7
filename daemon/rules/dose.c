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

/* A dose state as API.md names it. */
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

/* Whether a dose may be signed off now (given, refused or withheld).
 * Returns 0, or -1 with *why filled. */
int
dose_check_signable(const struct dose *d, int standing, int64_t now,
    struct refusal *why)
{
	enum dose_state	seen = dose_state_at(d, standing, now);

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
		    "the witness must be a different person from the one "
		    "giving the dose");
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

/* Count one more dose not taken.  Returns 1 if this one reaches the
 * threshold and the prescription is now to be held, 0 otherwise. */
int
dose_count_not_taken(int *run, int held, int hold_after)
{
	(*run)++;
	return !held && *run >= hold_after;
}
