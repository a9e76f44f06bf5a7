/* When each continuity clock warns and runs out, and what state it is in.
 * The treatment clock is plain elapsed time; the keyworker clock runs
 * only on working days (calendar.c), and so does its warning: 75 % of a
 * clock is 75 % of the time it actually runs. */
#include <stdio.h>
#include <string.h>

#include "continuity.h"
#include "roles.h"

static const char *const continuity_kinds[] = {
	[CLOCK_TREATMENT_CONTINUED] = "treatment_continued",
	[CLOCK_KEYWORKER_ALLOCATED] = "keyworker_allocated",
};

const char *
continuity_kind_name(enum care_clock_kind kind)
{
	return continuity_kinds[kind];
}

int
continuity_kind_parse(const char *name, enum care_clock_kind *kind)
{
	int	i;

	for (i = 0; i < 2; i++)
		if (strcmp(name, continuity_kinds[i]) == 0) {
			*kind = (enum care_clock_kind)i;
			return 0;
		}
	return -1;
}

/* Start a clock at the arrival time (not when reception recorded it). */
void
continuity_start(struct care_clock *c, enum care_clock_kind kind,
    int64_t arrived_at, const struct care_clock_policy *p)
{
	int64_t	run = kind == CLOCK_TREATMENT_CONTINUED ? p->treatment_ms :
		    p->keyworker_ms;
	int64_t	warn = run * p->warn_percent / 100;

	c->kind = kind;
	c->started_at = arrived_at;
	c->met_at = c->ended_at = 0;
	c->warned = c->breach_fired = 0;
	if (kind == CLOCK_TREATMENT_CONTINUED) {
		c->warn_at = arrived_at + warn;
		c->due_at = arrived_at + run;
	} else {
		c->warn_at = calendar_add_working_time(p->calendar, arrived_at,
		    warn);
		c->due_at = calendar_add_working_time(p->calendar, arrived_at,
		    run);
	}
}

/* running, met, breached or ended.  A clock met after its due time is
 * "met", and continuity_breached() still says it breached; one whose
 * patient was released or transferred before it ran out is "ended". */
const char *
continuity_state(const struct care_clock *c, int64_t now)
{
	if (c->met_at != 0)
		return "met";
	if (c->ended_at != 0 && c->ended_at < c->due_at)
		return "ended";
	return now >= c->due_at ? "breached" : "running";
}

/* Whether the clock ran out before it was met (or has run out unmet). */
int
continuity_breached(const struct care_clock *c, int64_t now)
{
	if (c->met_at != 0)
		return c->met_at > c->due_at;
	if (c->ended_at != 0)
		return c->ended_at >= c->due_at;
	return now >= c->due_at;
}

/* Whether a clock is listed under a state: "breached" lists every clock
 * that ran out, met late or not met at all, so a breach counts for ever;
 * the other states, the clock's state now. */
int
continuity_listed_as(const struct care_clock *c, int64_t now,
    const char *state)
{
	if (strcmp(state, "breached") == 0)
		return continuity_breached(c, now);
	return strcmp(state, continuity_state(c, now)) == 0;
}

/* What met a clock, in words. */
static const char *
continuity_met_what(const char *how)
{
	if (strcmp(how, "keyworker") == 0)
		return "keyworker allocated";
	if (strcmp(how, "dose") == 0)
		return "first dose given and signed";
	return "decision not to continue treatment";
}

/* Meet a clock now (by keyworker, decision or dose), and decide how its
 * alerts close: met in time (at or before due), "met: ..."; met late, it
 * stays breached and its alerts say "met late" and by how long, so the
 * manager reading them sees a breach, not a clock that was met.  -1 if it
 * was met already, which changes nothing. */
int
continuity_meet(struct care_clock *c, int64_t now, const char *how,
    struct care_clock_meeting *m)
{
	int64_t	late;

	if (c->met_at != 0)
		return -1;
	c->met_at = now;
	snprintf(c->met_how, sizeof c->met_how, "%s", how);
	late = now - c->due_at;
	m->late = late > 0;
	if (m->late)
		snprintf(m->note, sizeof m->note, "met late, %lld h %02lld min "
		    "after it was due: %s; a breach on the record",
		    (long long)(late / MS_PER_HOUR),
		    (long long)(late % MS_PER_HOUR / MS_PER_MINUTE),
		    continuity_met_what(how));
	else
		snprintf(m->note, sizeof m->note, "met: %s",
		    continuity_met_what(how));
	return 0;
}

/* Mark the deadlines that have come as fired, and say which alerts to
 * raise: each deadline fires once; a warning whose breach has come too
 * (the daemon was down, or the arrival was registered late) is overtaken
 * by the breach and not raised. */
void
continuity_fire(struct care_clock *c, int64_t now,
    struct care_clock_firing *f)
{
	f->warning = f->breach = 0;
	if (c->met_at != 0)
		return;
	if (!c->warned && c->warn_at <= now) {
		c->warned = 1;
		f->warning = c->due_at > now;
	}
	if (!c->breach_fired && c->due_at <= now) {
		c->breach_fired = 1;
		f->breach = 1;
	}
}

/* The next instant this clock needs the scheduler, or 0 if none: its
 * warning, then its breach, until it is met. */
int64_t
continuity_next_deadline(const struct care_clock *c)
{
	if (c->met_at != 0)
		return 0;
	if (!c->warned)
		return c->warn_at;
	if (!c->breach_fired)
		return c->due_at;
	return 0;
}

/* The alert for a clock's warning or breach.  A treatment clock's warning
 * goes to the ward, who can still give the dose in time; a keyworker's
 * warning and every breach go to the managers, who answer for them. */
void
continuity_alert(struct alert *out, const struct care_clock *c,
    const struct patient *p, int breach, int64_t now,
    const struct alert_policy *policy)
{
	char		 due[CALENDAR_LOCAL_LEN], msg[ALERT_MESSAGE_MAX];
	const char	*what;

	calendar_format_local(c->due_at, due);
	what = c->kind == CLOCK_TREATMENT_CONTINUED ?
	    "treatment continued (first substitute dose given and signed)" :
	    "CARAT keyworker allocated";
	if (breach)
		snprintf(msg, sizeof msg, "%s %s, %s: %s was due by %s and is "
		    "not done", p->prison_number, p->family_name, p->given_name,
		    what, due);
	else
		snprintf(msg, sizeof msg, "%s %s, %s: %s is due by %s",
		    p->prison_number, p->family_name, p->given_name, what, due);
	alert_raise(out, breach ? "clock_breach" : "clock_warning",
	    breach ? SEVERITY_URGENT : SEVERITY_WARNING,
	    !breach && c->kind == CLOCK_TREATMENT_CONTINUED ? AUDIENCE_WARD :
	    AUDIENCE_MANAGER, c->patient_id, c->id, msg, now, policy);
}

/* Only an active CARAT worker can be a patient's keyworker: allocating
 * anyone else would meet the keyworker clock with nobody to do the work. */
int
continuity_check_keyworker(const struct staff *worker, struct refusal *why)
{
	if (!worker->active || (worker->roles & ROLE_CARAT) == 0)
		return refuse(why, 0, "not_a_carat_worker",
		    "%s is not an active CARAT worker", worker->display_name);
	return 0;
}
