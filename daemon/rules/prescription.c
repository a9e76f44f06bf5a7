/* The rules of a prescription: what makes one valid, the dose on a date
 * (reducing steps), the days and instants of its doses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "prescription.h"

static const char *const prescription_regimens[] = {
	"maintenance", "reducing",
};

/* A regimen as docs/openapi.yaml names it. */
const char *
prescription_regimen_name(enum regimen r)
{
	return prescription_regimens[r];
}

/* A regimen from its name; -1 if it is none. */
int
prescription_regimen_parse(const char *name, enum regimen *r)
{
	size_t	i;

	for (i = 0; i < sizeof prescription_regimens /
	    sizeof prescription_regimens[0]; i++)
		if (strcmp(name, prescription_regimens[i]) == 0) {
			*r = (enum regimen)i;
			return 0;
		}
	return -1;
}

/* A round time "HH:MM", 00:00 to 23:59, as minutes after midnight. */
int
prescription_time_parse(const char *s, int *minute_of_day)
{
	int	h, m;

	if (strlen(s) != 5 || s[2] != ':' ||
	    s[0] < '0' || s[0] > '2' || s[1] < '0' || s[1] > '9' ||
	    s[3] < '0' || s[3] > '5' || s[4] < '0' || s[4] > '9')
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 23)
		return -1;
	*minute_of_day = h * 60 + m;
	return 0;
}

/* Minutes after midnight as a round time "HH:MM". */
void
prescription_time_format(int minute_of_day, char buf[6])
{
	unsigned	m = (unsigned)minute_of_day % (24 * 60);

	snprintf(buf, 6, "%02u:%02u", m / 60, m % 60);
}

/* The steps of a reducing regimen: after the start, in date order, within
 * the end date, each dose below the one before. */
static int
prescription_check_steps(const struct prescription *p, struct refusal *why)
{
	int64_t			previous = p->dose;
	struct civil_date	after = p->start;
	int			i;

	if (p->regimen == REGIMEN_MAINTENANCE) {
		if (p->nsteps != 0)
			return refuse(why, 0, "steps_not_allowed",
			    "a maintenance prescription has one dose; to "
			    "change it, stop it and start another");
		return 0;
	}
	if (p->nsteps == 0)
		return refuse(why, 0, "steps_required",
		    "a reducing regimen needs its steps: [{from_date, dose}]");
	for (i = 0; i < p->nsteps; i++) {
		if (timefmt_date_cmp(p->steps[i].from, after) <= 0)
			return refuse(why, 0, "steps_out_of_order",
			    "each step's from_date must come after the start "
			    "date and after the step before it");
		if (p->has_end && timefmt_date_cmp(p->steps[i].from, p->end) > 0)
			return refuse(why, 0, "step_after_end",
			    "a step's from_date is after the end date");
		if (p->steps[i].dose < 0)
			return refuse(why, 0, "invalid_dose",
			    "a step's dose cannot be below zero");
		if (p->steps[i].dose >= previous)
			return refuse(why, 0, "steps_not_reducing",
			    "each step of a reducing regimen must give a "
			    "smaller dose than the one before");
		after = p->steps[i].from;
		previous = p->steps[i].dose;
	}
	if (!p->has_end && previous != 0)
		return refuse(why, 0, "reducing_without_end",
		    "a reducing regimen ends: give an end_date, or a last step "
		    "with dose 0");
	if (timefmt_days_from_civil(after) - timefmt_days_from_civil(p->start)
	    >= PRESCRIPTION_MAX_DAYS)
		return refuse(why, 0, "too_long",
		    "a prescription runs for at most a year; review and "
		    "write another");
	return 0;
}

/* Check a new prescription written today (local).  Returns 0 if it may be
 * stored, -1 with *why filled otherwise. */
int
prescription_check(const struct prescription *p, struct civil_date today,
    struct refusal *why)
{
	int	i;

	if (p->dose <= 0)
		return refuse(why, 0, "invalid_dose",
		    "the dose must be more than zero");
	if (p->ntimes < 1 || p->ntimes > PRESCRIPTION_MAX_TIMES)
		return refuse(why, 0, "invalid_times",
		    "give between 1 and 8 round times");
	for (i = 0; i < p->ntimes; i++)
		if (p->times[i] < 0 || p->times[i] >= 24 * 60 ||
		    (i > 0 && p->times[i] <= p->times[i - 1]))
			return refuse(why, 0, "invalid_times",
			    "round times must be different, in order");
	if (p->every_days < 1 || p->every_days > PRESCRIPTION_MAX_EVERY_DAYS)
		return refuse(why, 0, "invalid_every_days",
		    "every_days is 1 (daily) to 28");
	if (timefmt_date_cmp(p->start, today) < 0)
		return refuse(why, 0, "start_date_past",
		    "start_date is before today; a prescription starts today "
		    "or later");
	if (p->has_end && timefmt_date_cmp(p->end, p->start) < 0)
		return refuse(why, 0, "end_before_start",
		    "end_date is before start_date");
	if (p->has_end && timefmt_days_from_civil(p->end) -
	    timefmt_days_from_civil(p->start) >= PRESCRIPTION_MAX_DAYS)
		return refuse(why, 0, "too_long",
		    "a prescription runs for at most a year; review and "
		    "write another");
	return prescription_check_steps(p, why);
}

/* qsort order for instants. */
static int
prescription_instant_cmp(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The instants of a day's round times, in order, into at; returns how
 * many.  Round times are wall-clock times, so each is placed on its
 * local date by calendar_local_time(): a spring-forward gap can move one
 * past a later one, or onto the same instant. */
static int
prescription_day_instants(const struct prescription *p, struct civil_date d,
    int64_t at[PRESCRIPTION_MAX_TIMES])
{
	int	i, nt = p->ntimes < PRESCRIPTION_MAX_TIMES ? p->ntimes :
		    PRESCRIPTION_MAX_TIMES;

	for (i = 0; i < nt; i++)
		at[i] = calendar_local_time(d, p->times[i]);
	qsort(at, (size_t)nt, sizeof at[0], prescription_instant_cmp);
	return nt;
}

/* The first day a check of round times need not look at: the day after
 * the last, or a year and a day on, when each clock change has come. */
static struct civil_date
prescription_days_checked_end(const struct prescription *p)
{
	struct civil_date	year = calendar_add_days(p->start,
				    PRESCRIPTION_MAX_DAYS + 1);

	if (p->has_end && timefmt_date_cmp(p->end, year) < 0)
		return calendar_add_days(p->end, 1);
	return year;
}

/* Whether the round times are far enough apart that no two dose windows
 * overlap (window_ms is a window's whole length): overlapping windows
 * would let two doses be given in one round.  Checked in instants on
 * each dose day, from one to the next, since a local day is 23 or 25
 * hours long: 00:30 and 03:30 are three hours apart on the clock face but
 * two on the night the clocks go forward.  A single round time is never
 * checked against itself the next day: a window is at most a day long.
 * Returns 0, or -1 with *why filled. */
int
prescription_check_times_apart(const struct prescription *p,
    int64_t window_ms, struct refusal *why)
{
	struct civil_date	d, end = prescription_days_checked_end(p);
	int64_t			at[PRESCRIPTION_MAX_TIMES], last = INT64_MIN;
	int			i, nt;

	for (d = p->start; p->ntimes > 1 && timefmt_date_cmp(d, end) < 0;
	    d = calendar_add_days(d, 1)) {
		if (!prescription_is_dose_day(p, d))
			continue;
		nt = prescription_day_instants(p, d, at);
		for (i = 0; i < nt; i++) {
			if (last != INT64_MIN && at[i] - last < window_ms)
				return refuse(why, 0, "round_times_too_close",
				    "round times must be at least a dose's "
				    "whole window apart on every day, the "
				    "nights the clocks change included, or "
				    "two doses could be due at once");
			last = at[i];
		}
	}
	return 0;
}

/* The dose on a local date: the start dose, or the last step begun. */
int64_t
prescription_dose_on(const struct prescription *p, struct civil_date d)
{
	int64_t	dose = p->dose;
	int	i;

	for (i = 0; i < p->nsteps; i++)
		if (timefmt_date_cmp(p->steps[i].from, d) <= 0)
			dose = p->steps[i].dose;
	return dose;
}

/* Whether a dose is given on a local date: within the dates, on the
 * prescription's rhythm (every N days from the start), and not zero. */
int
prescription_is_dose_day(const struct prescription *p, struct civil_date d)
{
	int64_t	since = timefmt_days_from_civil(d) -
		    timefmt_days_from_civil(p->start);

	if (since < 0 || (p->has_end && timefmt_date_cmp(d, p->end) > 0))
		return 0;
	return since % p->every_days == 0 && prescription_dose_on(p, d) > 0;
}

/* What a prescription is, today: stopped, ended, held or active. */
const char *
prescription_state(const struct prescription *p, struct civil_date today)
{
	if (p->stopped_at != 0)
		return "stopped";
	if (p->has_end && timefmt_date_cmp(today, p->end) > 0)
		return "ended";
	if (p->nsteps > 0 && p->steps[p->nsteps - 1].dose == 0 &&
	    timefmt_date_cmp(today, p->steps[p->nsteps - 1].from) >= 0)
		return "ended";
	if (p->held_at != 0)
		return "held";
	return "active";
}

/* Move a prescription's run of doses not taken and its hold on by an
 * event, as dose_hold_run() decides; returns what the caller is to do. */
struct dose_hold_change
prescription_hold_event(struct prescription *p, enum dose_hold_event e,
    int64_t now, int hold_after)
{
	struct dose_hold	prev = { p->not_taken_run, p->held_at };
	struct dose_hold_change	c = dose_hold_run(&prev, e, now, hold_after);

	p->not_taken_run = c.hold.run;
	p->held_at = c.hold.held_at;
	return c;
}

/* A prescriber's review of a prescription held for review: it lifts the
 * hold and starts the run of doses not taken from zero.  Returns 0, or -1
 * with *why filled (stopped, or not held). */
int
prescription_review(struct prescription *p, int64_t now, struct refusal *why)
{
	if (p->stopped_at != 0)
		return refuse(why, 1, "already_stopped",
		    "this prescription was stopped");
	if (p->held_at == 0)
		return refuse(why, 1, "not_held",
		    "this prescription is not held for review");
	(void)prescription_hold_event(p, DOSE_HOLD_REVIEWED, now, 0);
	return 0;
}

/* Call each for every dose due in [from, to), in time order; returns how
 * many.  Intervals are durations but round times are wall-clock times, so
 * each is placed on its local date by calendar_local_time().  A spring-
 * forward gap can move a round time past a later one, or onto the same
 * instant: a day's instants are sorted, and one instant gives one dose. */
int
prescription_doses(const struct prescription *p, int64_t from, int64_t to,
    void (*each)(const struct prescription_dose *, void *), void *arg)
{
	struct prescription_dose	pd;
	struct civil_date		d, last;
	int64_t				at[PRESCRIPTION_MAX_TIMES];
	int				i, n = 0, nt;

	if (to <= from)
		return 0;
	d = calendar_add_days(calendar_local_date(from), -1);
	last = calendar_add_days(calendar_local_date(to), 1);
	for (; timefmt_date_cmp(d, last) <= 0; d = calendar_add_days(d, 1)) {
		if (!prescription_is_dose_day(p, d))
			continue;
		nt = prescription_day_instants(p, d, at);
		for (i = 0; i < nt; i++) {
			if (at[i] < from || at[i] >= to ||
			    (i > 0 && at[i] == at[i - 1]))
				continue;
			pd.date = d;
			pd.due_at = at[i];
			pd.dose = prescription_dose_on(p, d);
			each(&pd, arg);
			n++;
		}
	}
	return n;
}

/* The instant after which a prescription gives no more doses: the end of
 * its end date, or the start of its zero step; INT64_MAX if open-ended. */
int64_t
prescription_doses_end(const struct prescription *p)
{
	int64_t	end = INT64_MAX;

	if (p->has_end)
		end = calendar_local_midnight(calendar_add_days(p->end, 1));
	if (p->nsteps > 0 && p->steps[p->nsteps - 1].dose == 0 &&
	    calendar_local_midnight(p->steps[p->nsteps - 1].from) < end)
		end = calendar_local_midnight(p->steps[p->nsteps - 1].from);
	return end;
}
