/* When a release's community follow-up runs out, whether an outcome may
 * be recorded and whether it met the 21 days, and the alert for one that
 * ran out unrecorded.  Days are local calendar days, so a clock that
 * crosses a change of the clocks still ends at local midnight. */
#include <stdio.h>
#include <string.h>

#include "follow_up.h"

/* Start the clock at the release (the departure, not the booking): it
 * runs out at the end of the 21st local day after the release day. */
void
follow_up_start(struct follow_up *f, const char *movement_id,
    const char *patient_id, int64_t released_at)
{
	memset(f, 0, sizeof *f);
	snprintf(f->movement_id, sizeof f->movement_id, "%s", movement_id);
	snprintf(f->patient_id, sizeof f->patient_id, "%s", patient_id);
	f->released_at = released_at;
	f->due_at = calendar_local_midnight(calendar_add_days(
	    calendar_local_date(released_at), FOLLOW_UP_DAYS + 1));
}

/* The last local day an appointment kept meets the clock. */
struct civil_date
follow_up_last_day(const struct follow_up *f)
{
	return calendar_add_days(calendar_local_date(f->released_at),
	    FOLLOW_UP_DAYS);
}

/* Record the outcome: attended (or not) on a local day, no earlier than
 * the release day and no later than today.  Met only if attended on or
 * before the 21st day; an appointment not kept, or kept later, is not
 * met.  -1 with the refusal if it was recorded already or the day is
 * impossible; nothing is changed then. */
int
follow_up_record(struct follow_up *f, int attended, struct civil_date on,
    int64_t now, struct refusal *why)
{
	char	day[TIMEFMT_DATE_LEN];

	if (f->recorded)
		return refuse(why, 1, "follow_up_recorded", "the follow-up "
		    "of this release was recorded already");
	if (timefmt_date_cmp(on, calendar_local_date(f->released_at)) < 0) {
		timefmt_format_date(calendar_local_date(f->released_at), day);
		return refuse(why, 0, "date_before_release", "the "
		    "appointment cannot be before the release on %s", day);
	}
	if (timefmt_date_cmp(on, calendar_local_date(now)) > 0)
		return refuse(why, 0, "date_in_future", "the appointment's "
		    "day has not come yet");
	f->recorded = 1;
	f->attended = attended != 0;
	f->on = on;
	f->met = f->attended &&
	    timefmt_date_cmp(on, follow_up_last_day(f)) <= 0;
	f->recorded_at = now;
	return 0;
}

/* met, not_met (recorded, not kept in 21 days), running, or overdue (ran
 * out with nothing recorded). */
const char *
follow_up_state(const struct follow_up *f, int64_t now)
{
	if (f->recorded)
		return f->met ? "met" : "not_met";
	return now >= f->due_at ? "overdue" : "running";
}

/* Whether the overdue alert is to be raised now: once, when the clock
 * has run out with no outcome recorded. */
int
follow_up_fire(struct follow_up *f, int64_t now)
{
	if (f->recorded || f->alert_fired || now < f->due_at)
		return 0;
	f->alert_fired = 1;
	return 1;
}

/* The next instant this follow-up needs the scheduler, or 0 if none. */
int64_t
follow_up_next_deadline(const struct follow_up *f)
{
	return f->recorded || f->alert_fired ? 0 : f->due_at;
}

/* The alert for a follow-up that ran out unrecorded: to reception, who
 * ask the community service, and to the managers, who answer for the
 * indicator. */
void
follow_up_alert(struct alert out[2], const struct follow_up *f,
    const struct patient *p, int64_t now)
{
	char	rel[TIMEFMT_DATE_LEN], last[TIMEFMT_DATE_LEN];
	char	msg[ALERT_MESSAGE_MAX];

	timefmt_format_date(calendar_local_date(f->released_at), rel);
	timefmt_format_date(follow_up_last_day(f), last);
	snprintf(msg, sizeof msg, "%s %s, %s: released %s; no community "
	    "follow-up recorded by %s (21 days)", p->prison_number,
	    p->family_name, p->given_name, rel, last);
	alert_raise_with_managers(out, "follow_up_overdue", SEVERITY_WARNING,
	    AUDIENCE_RECEPTION, f->patient_id, f->movement_id, msg, now);
}
