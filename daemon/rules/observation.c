/* The rules of an observation plan and of its dues. */
#include <string.h>

#include "observation.h"

#define OBSERVATION_MAX_PLAN_MS	(14 * INT64_C(86400000))	/* extended */
#define OBSERVATION_FUTURE_MS	(5 * INT64_C(60000))	/* clock drift */

/* Start a plan: it runs from arrival to arrival plus the plan's length,
 * whenever the flag was set, and counts dues only from the flag. */
void
observation_plan_start(struct observation_plan *p, int64_t arrived_at,
    int64_t flagged_at, const struct observation_policy *policy)
{
	p->starts_at = arrived_at;
	p->counts_from = flagged_at > arrived_at ? flagged_at : arrived_at;
	p->ends_at = arrived_at + policy->plan_ms;
	p->base_interval_ms = policy->base_ms;
	p->ended_at = 0;
	p->away_since = 0;
}

/* Whether an observation due at this instant belongs to the plan: none
 * falls due while the patient is away at court, since nobody on the
 * ward can take it (observation_plan_return() resumes the plan). */
int
observation_plan_runs(const struct observation_plan *p, int64_t at)
{
	return p->ended_at == 0 && at >= p->counts_from && at < p->ends_at &&
	    (p->away_since == 0 || at < p->away_since);
}

/* Whether a clinician may extend a plan to until: later than it ends now
 * and than now, and no more than 14 days from arrival. */
int
observation_plan_check_extension(const struct observation_plan *p,
    int64_t until, int64_t now, struct refusal *why)
{
	if (p->ended_at != 0)
		return refuse(why, 1, "plan_ended", "the patient has left: "
		    "their observation plan has ended");
	if (until <= p->ends_at || until <= now)
		return refuse(why, 0, "not_an_extension", "until must be "
		    "later than the plan's end and than now");
	if (until - p->starts_at > OBSERVATION_MAX_PLAN_MS)
		return refuse(why, 0, "plan_too_long", "a plan runs for at "
		    "most 14 days from arrival; review the patient instead");
	return 0;
}

/* When a patient back from court is due again: at once on their return,
 * at the interval their last score chose (last NULL: none, the base).
 * They were out of the ward's sight for hours, where drugs pass hands,
 * so they are seen as on arrival rather than when the plan would have
 * had them next (docs/design.md rule 2). */
void
observation_plan_return(const struct observation_plan *p,
    const struct observation *last, int64_t returned_at,
    const struct observation_policy *policy, int64_t *due_at,
    int64_t *interval_ms)
{
	*due_at = returned_at;
	*interval_ms = last == NULL ? p->base_interval_ms :
	    observation_interval(policy, p->base_interval_ms, &last->result);
}

/* When a plan extended with no due open (it had run out) is due again:
 * when its last observation's score says (last NULL: none), or at once
 * if that has passed. */
void
observation_plan_resume(const struct observation_plan *p,
    const struct observation *last, int64_t now,
    const struct observation_policy *policy, int64_t *due_at,
    int64_t *interval_ms)
{
	observation_plan_return(p, last, now, policy, due_at, interval_ms);
	if (last != NULL && last->taken_at + *interval_ms > now)
		*due_at = last->taken_at + *interval_ms;
}

/* How long until the next observation, chosen by the last score (the
 * NEWS2 clinical response), never longer than the plan's base. */
int64_t
observation_interval(const struct observation_policy *policy,
    int64_t base_ms, const struct news2_result *score)
{
	int64_t	ms = base_ms;

	switch (score->band) {
	case NEWS2_BAND_ZERO:
		break;
	case NEWS2_BAND_LOW:
		ms = policy->low_ms;
		break;
	case NEWS2_BAND_LOW_MEDIUM:
	case NEWS2_BAND_MEDIUM:
		ms = policy->medium_ms;
		break;
	case NEWS2_BAND_HIGH:
		ms = policy->high_ms;
		break;
	}
	return ms < base_ms ? ms : base_ms;
}

/* Set a due's times: a warning after the grace, and missed when the next
 * would have been due (never before the warning). */
void
observation_due_place(struct observation_due *d, int64_t due_at,
    int64_t interval_ms, const struct observation_policy *policy)
{
	d->due_at = due_at;
	d->interval_ms = interval_ms;
	d->warn_at = due_at + policy->grace_ms;
	d->missed_at = due_at + interval_ms;
	if (d->missed_at <= d->warn_at)
		d->missed_at = d->warn_at + 1;
}

/* Fill in a due at due_at opened at opened_at, if the plan runs then:
 * recorded missed at once if its whole window passed by now (the daemon
 * was down), and never left open while the patient is away at court (one
 * due before they left, found only now, ends as their departure would
 * have ended it).  Returns 0 if the plan does not run then; the caller
 * gives it an id. */
int
observation_due_open(struct observation_due *d,
    const struct observation_plan *plan, int64_t due_at, int64_t interval_ms,
    int64_t opened_at, int64_t now, const struct observation_policy *policy)
{
	struct observation_depart_effects	e;

	if (!observation_plan_runs(plan, due_at))
		return 0;
	memset(d, 0, sizeof *d);
	strcpy(d->patient_id, plan->patient_id);
	d->opened_at = opened_at;
	observation_due_place(d, due_at, interval_ms, policy);
	d->state = d->missed_at <= now ? OBS_DUE_MISSED : OBS_DUE_OPEN;
	if (d->state == OBS_DUE_OPEN && plan->away_since != 0) {
		observation_due_depart(d, plan->away_since, &e);
		d->state = e.state;
	}
	return 1;
}

/* Whether an observation taken at taken_at meets a due: taken in its
 * window, which starts when it opened, not at its due time, and ends
 * when it was missed; and the due not met already.  One missed since is
 * met by an observation written up late. */
int
observation_due_holds(const struct observation_due *d, int64_t taken_at)
{
	if (d == NULL || taken_at < d->opened_at)
		return 0;
	return d->state == OBS_DUE_OPEN ||
	    (d->state == OBS_DUE_MISSED && taken_at < d->missed_at);
}

/* How an observation taken at taken_at meets an open due: on time up to
 * the end of the grace (or early), late after it. */
enum observation_due_state
observation_due_met(const struct observation_due *d, int64_t taken_at)
{
	return taken_at <= d->warn_at ? OBS_DUE_ON_TIME : OBS_DUE_LATE;
}

/* What becomes of the due open when the patient leaves for court at
 * departed_at: cancelled, as no one's failure, unless it was overdue
 * already (past its grace), when the ward had its chance and it is
 * missed.  Either way it no longer waits on the ward's list while the
 * patient is away. */
void
observation_due_depart(const struct observation_due *d, int64_t departed_at,
    struct observation_depart_effects *e)
{
	if (departed_at > d->warn_at) {
		e->state = OBS_DUE_MISSED;
		e->note = "closed by idtsd: the observation was missed "
		    "before the patient left for court";
	} else {
		e->state = OBS_DUE_CANCELLED;
		e->note = "closed by idtsd: the patient left for court";
	}
}

/* How a due whose window ran out untaken ends: cancelled if the patient
 * was away at court when it fell due, or had left by then (no failure of
 * the ward's, as the compliance report should show); missed
 * otherwise. */
enum observation_due_state
observation_due_lapse(const struct observation_plan *p,
    const struct observation_due *d, int away)
{
	return away || (p->ended_at != 0 && p->ended_at <= d->due_at) ?
	    OBS_DUE_CANCELLED : OBS_DUE_MISSED;
}

/* The alert a score calls for: urgent for a red 3 or 5-6, an emergency
 * for 7 or more; 0 for none. */
static int
observation_alert(const struct news2_result *score, enum alert_severity *sev)
{
	switch (score->band) {
	case NEWS2_BAND_HIGH:
		*sev = SEVERITY_EMERGENCY;
		return 1;
	case NEWS2_BAND_MEDIUM:
	case NEWS2_BAND_LOW_MEDIUM:
		*sev = SEVERITY_URGENT;
		return 1;
	default:
		return 0;
	}
}

/* How urgent an overdue observation is: as urgent as the alert its
 * patient's last score raised (urgent after 5 or more or a single 3, an
 * emergency after 7 or more), since that score is what the observation
 * was due to recheck; a warning after a lower score, or none (last
 * NULL). */
enum alert_severity
observation_overdue_severity(const struct news2_result *last)
{
	enum alert_severity	sev = SEVERITY_WARNING;

	if (last != NULL)
		observation_alert(last, &sev);
	return sev;
}

/* Whether the overdue warning of a due closes itself, with the note that
 * says why, so the ward's list holds only the warning of the due open
 * now: once the due is met, or ends untaken (the next is due then, with
 * a warning of its own).  Met, its escalation closes too; missed, the
 * managers keep theirs, since a miss is theirs to see.  0 while the due
 * is open, or if it was never warned. */
int
observation_warning_closes(const struct observation_due *d, int *escalation,
    const char **note)
{
	if (!d->warned || d->state == OBS_DUE_OPEN)
		return 0;
	*escalation = d->state == OBS_DUE_ON_TIME || d->state == OBS_DUE_LATE;
	if (*escalation)
		*note = "closed by idtsd: the observation was recorded";
	else if (d->state == OBS_DUE_MISSED)
		*note = "closed by idtsd: the observation was missed; the "
		    "next is due now";
	else
		*note = "closed by idtsd: the patient was away or has left";
	return 1;
}

/* The open due after an observation that did not meet it (written up
 * late, or taken before the flag): it stays, moved earlier only when the
 * score asks for a strictly shorter interval than its own, to that
 * interval after the observation.  Warned again if its new warning is
 * still to come. */
static void
observation_record_late(const struct observation_due *open, int64_t next,
    const struct observation_policy *policy, int64_t now,
    struct observation_record_effects *e)
{
	e->open = *open;
	if (e->interval_ms < open->interval_ms) {
		e->hastens = 1;
		observation_due_place(&e->open, next < open->due_at ? next :
		    open->due_at, e->interval_ms, policy);
		e->open.warned = open->warned && e->open.warn_at <= now;
	}
	e->next_due_at = e->open.due_at;
}

/* What recording an observation does to its patient's plan (NULL: none).
 * held is the patient's due last opened when the observation was taken
 * (NULL: none), open the due open now (NULL: none).  The observation
 * meets held if its window held it (observation_due_holds()).  If that
 * is the open due, or nothing is met and nothing open, the next is due
 * after the interval the score chose, never before the plan counts, if
 * the plan runs then.  Otherwise the observation was written up late:
 * the open due stays (observation_record_late()).  A high score is
 * alerted, with a plan or without. */
void
observation_record_plan(const struct observation_plan *plan,
    const struct observation_due *held, const struct observation_due *open,
    const struct observation *o, const struct observation_policy *policy,
    int64_t now, struct observation_record_effects *e)
{
	int64_t	next;

	memset(e, 0, sizeof *e);
	e->alerts = observation_alert(&o->result, &e->severity);
	if (plan == NULL)
		return;
	e->interval_ms = observation_interval(policy, plan->base_interval_ms,
	    &o->result);
	next = o->taken_at + e->interval_ms;
	if (next < plan->counts_from)
		next = plan->counts_from;
	if ((e->meets = observation_due_holds(held, o->taken_at))) {
		e->due = *held;
		e->due.state = observation_due_met(held, o->taken_at);
		e->due.taken_at = o->taken_at;
		strcpy(e->due.observation_id, o->id);
	}
	if (e->meets ? held->state == OBS_DUE_OPEN : open == NULL) {
		e->opens = observation_plan_runs(plan, next);
		e->next_due_at = e->opens ? next : 0;
	} else if (open != NULL)
		observation_record_late(open, next, policy, now, e);
}

/* The open due, when the observation struck out had opened it, put back
 * where the scheduler would have put it had the due it met been missed:
 * at that due's miss, at its interval. */
static void
observation_strike_reopen(const struct observation_due *met,
    const struct observation_due *open, const struct observation_policy *policy,
    struct observation_strike_effects *e)
{
	e->moves = 1;
	e->open = *open;
	observation_due_place(&e->open, met->missed_at, met->interval_ms,
	    policy);
	e->open.opened_at = met->missed_at;
	e->open.warned = 0;
	e->next_due_at = e->open.due_at;
}

/* What striking out observation o does to its patient's plan (NULL:
 * none), met the due it met (NULL: none), open the due open now (NULL:
 * none).  The plan goes back to what it would be without o.  The due o
 * met is met no longer: open again if its window still runs and o had
 * opened the due open now (which is cancelled), missed otherwise -- an
 * observation written up late with its true values may still meet it.
 * If o had opened the open due and the met one's window has run out, the
 * open due goes where the miss would have put it.  An observation that
 * met no due leaves the plan alone: a due it brought forward stays
 * forward, which is the safe side. */
void
observation_strike_plan(const struct observation_plan *plan,
    const struct observation_due *met, const struct observation_due *open,
    const struct observation *o, int64_t now,
    const struct observation_policy *policy,
    struct observation_strike_effects *e)
{
	int	opened_by_o;

	memset(e, 0, sizeof *e);
	e->next_due_at = open != NULL ? open->due_at : 0;
	if (plan == NULL || met == NULL)
		return;
	opened_by_o = open != NULL && open->opened_at == o->taken_at;
	e->reverts = 1;
	e->due = *met;
	e->due.observation_id[0] = '\0';
	e->due.taken_at = 0;
	e->due.state = OBS_DUE_MISSED;
	if (met->missed_at > now && plan->ended_at == 0 &&
	    (opened_by_o || open == NULL)) {
		e->due.state = OBS_DUE_OPEN;
		e->next_due_at = met->due_at;
		if (opened_by_o) {
			e->moves = 1;
			e->open = *open;
			e->open.state = OBS_DUE_CANCELLED;
		}
	} else if (opened_by_o)
		observation_strike_reopen(met, open, policy, e);
}

/* Whether an observation may be struck out: once only, since a
 * correction of a correction would leave no record of what was true.
 * Returns 0, or -1 with *why filled. */
int
observation_check_strike(int struck, struct refusal *why)
{
	if (!struck)
		return 0;
	return refuse(why, 1, "already_entered_in_error", "this observation "
	    "was already struck out as entered in error; record the true "
	    "values as a new observation");
}

/* Whether an observation's time may be recorded: not in the future (a
 * few minutes of clock drift aside), not before arrival, not before the
 * patient's last observation, and not further back than the policy
 * allows. */
int
observation_check_time(int64_t taken_at, int64_t now, int64_t arrived_at,
    int64_t last_taken_at, const struct observation_policy *policy,
    struct refusal *why)
{
	if (taken_at > now + OBSERVATION_FUTURE_MS)
		return refuse(why, 0, "taken_in_future",
		    "taken_at is in the future");
	if (taken_at < arrived_at)
		return refuse(why, 0, "taken_before_arrival",
		    "taken_at is before the patient arrived");
	if (taken_at < now - policy->max_past_ms)
		return refuse(why, 0, "taken_too_long_ago", "taken_at is "
		    "further back than observations.max_past_hours allows");
	if (last_taken_at != 0 && taken_at < last_taken_at)
		return refuse(why, 1, "observation_out_of_order", "the "
		    "patient has a later observation already; record "
		    "observations in the order they were taken");
	return 0;
}

static const char *const observation_due_states[] = {
	"open", "on_time", "late", "missed", "cancelled",
};

/* A due's state as the store and the report name it. */
const char *
observation_due_state_name(enum observation_due_state s)
{
	return observation_due_states[s];
}

/* A due's state from its name; -1 if it is none. */
int
observation_due_state_parse(const char *name, enum observation_due_state *s)
{
	size_t	i;

	for (i = 0; i < sizeof observation_due_states /
	    sizeof observation_due_states[0]; i++)
		if (strcmp(name, observation_due_states[i]) == 0) {
			*s = (enum observation_due_state)i;
			return 0;
		}
	return -1;
}
