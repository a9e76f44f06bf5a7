/* Controlled-drug cover: "1 qualified nurse plus 1 competent other daily,
 * including weekends" (readiness section 15), checked round by round
 * against the duty rota.  Pure. */
#include <stdio.h>
#include <string.h>

#include "cover.h"
#include "roles.h"

/* Who may witness a controlled drug beside the nurse who gives it. */
#define COVER_WITNESS_ROLES	(ROLE_NURSE | ROLE_COMPETENT | ROLE_PHARMACIST)

/* Whether a duty has an active person on duty at at. */
int
cover_on_duty(const struct cover_duty *d, int64_t at)
{
	return d->username[0] != '\0' && d->active && d->starts <= at &&
	    at < d->ends;
}

/* The first duty on at at with one of roles whose person is not
 * not_username; -1 if none. */
static int
cover_find(const struct cover_duty *d, size_t n, int64_t at, unsigned roles,
    const char *not_username)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (cover_on_duty(&d[i], at) && (d[i].roles & roles) != 0 &&
		    strcmp(d[i].username, not_username) != 0)
			return (int)i;
	return -1;
}

/* Whether the round at at is covered: a nurse, and a different person
 * who is a nurse, competent or a pharmacist (one person with both roles
 * is still one person), and if not, why. */
void
cover_round_check(const struct cover_duty *d, size_t n, int64_t at,
    struct cover_round *r)
{
	r->at = at;
	r->witness = -1;
	r->nurse = cover_find(d, n, at, ROLE_NURSE, "");
	if (r->nurse == -1) {
		r->covered = 0;
		snprintf(r->why, sizeof r->why, "%s",
		    cover_find(d, n, at, ~0U, "") == -1 ?
		    "nobody is on duty" : "no qualified nurse is on duty");
		return;
	}
	r->witness = cover_find(d, n, at, COVER_WITNESS_ROLES,
	    d[r->nurse].username);
	r->covered = r->witness != -1;
	if (!r->covered)
		snprintf(r->why, sizeof r->why, "no competent other is on duty "
		    "beside %s", d[r->nurse].username);
	else
		r->why[0] = '\0';
}

/* Every round of the plan, in time order, each checked. */
void
cover_check(const struct cover_plan *plan, const struct cover_duty *d,
    size_t n, struct cover_check *c)
{
	struct cover_round	*r;
	struct civil_date	 day;
	int64_t			 at;
	int			 i, t;

	memset(c, 0, sizeof *c);
	for (i = 0; i < plan->days && i <= COVER_DAYS; i++) {
		day = calendar_add_days(plan->from, i);
		for (t = 0; t < plan->ntimes && t < COVER_MAX_TIMES; t++) {
			at = calendar_local_time(day, plan->times[t]);
			if (at < plan->not_before)
				continue;
			r = &c->round[c->nrounds++];
			cover_round_check(d, n, at, r);
			r->date = day;
			r->weekend = calendar_weekday(day) == 0 ||
			    calendar_weekday(day) == 6;
			r->bank_holiday = calendar_is_bank_holiday(
			    plan->calendar, day);
			c->gaps += !r->covered;
		}
	}
}

/* Whether date was alerted before, or in this pass already. */
static int
cover_date_done(const struct civil_date *alerted, size_t n,
    const struct cover_fire *f, struct civil_date date)
{
	size_t	i;
	int	j;

	for (i = 0; i < n; i++)
		if (timefmt_date_cmp(alerted[i], date) == 0)
			return 1;
	for (j = 0; j < f->nfirings; j++)
		if (timefmt_date_cmp(f->firing[j].date, date) == 0)
			return 1;
	return 0;
}

/* The managers' alert for a date whose first round not covered is r, with
 * more rounds that day not covered beside it. */
static void
cover_alert(struct alert *a, const struct cover_round *r, int more,
    int64_t now)
{
	static const struct alert_policy never = { { 0, 0, 0, 0 } };
	char	msg[ALERT_MESSAGE_MAX], date[TIMEFMT_DATE_LEN];
	char	at[CALENDAR_LOCAL_LEN];

	timefmt_format_date(r->date, date);
	calendar_format_local(r->at, at);
	snprintf(msg, sizeof msg, "Controlled-drug cover on %s%s: the round "
	    "at %s has %s (%d more round%s that day not covered); every round "
	    "needs a qualified nurse and a competent other on the rota", date,
	    r->bank_holiday ? " (a bank holiday)" : "", at, r->why, more,
	    more == 1 ? "" : "s");
	alert_raise(a, "cover_gap", SEVERITY_WARNING, AUDIENCE_MANAGER, "",
	    "", msg, now, &never);
}

/* What the scheduler does at now: alert each date not alerted before
 * whose first round not covered is within warn_ms, and wake again when the
 * next such round comes within it; nothing while the unit keeps no rota
 * (its staffing is planned elsewhere: every round would be a gap). */
void
cover_fire(const struct cover_check *c, int rota_kept,
    const struct civil_date *alerted, size_t nalerted, int64_t now,
    int64_t warn_ms, struct cover_fire *f)
{
	const struct cover_round	*r, *first;
	int				 i, j, more;

	memset(f, 0, sizeof *f);
	for (i = 0; rota_kept && i < c->nrounds; i++) {
		first = &c->round[i];
		if (first->covered || first->at < now ||
		    cover_date_done(alerted, nalerted, f, first->date))
			continue;
		if (first->at - warn_ms > now) {
			if (f->next == 0 || first->at - warn_ms < f->next)
				f->next = first->at - warn_ms;
			continue;
		}
		more = 0;
		for (j = i + 1; j < c->nrounds; j++) {
			r = &c->round[j];
			if (timefmt_date_cmp(r->date, first->date) != 0)
				break;
			more += !r->covered;
		}
		f->firing[f->nfirings].date = first->date;
		cover_alert(&f->firing[f->nfirings].alert, first, more, now);
		f->nfirings++;
	}
}
