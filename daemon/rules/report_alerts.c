/* Tallying the alert-response report. */
#include <string.h>

#include "report_alerts.h"

/* Start the report of the alerts raised from to to (local dates) as of
 * now: -1 if the period is reversed or too long. */
int
report_alerts_start(struct report_alerts *t, struct civil_date from,
    struct civil_date to, int64_t now)
{
	memset(t, 0, sizeof *t);
	t->now = now;
	return report_period_start(&t->period, from, to);
}

/* Count an alert in one set of counts: acknowledged by now (and how long
 * after it was raised) or still open.  -1 if out of memory. */
static int
report_alert_count(struct report_alert_counts *c,
    const struct report_alert_row *a, int64_t now)
{
	c->raised++;
	if (a->escalated)
		c->escalated++;
	if (a->acked_at == 0 || a->acked_at > now) {
		c->open++;
		return 0;
	}
	c->acknowledged++;
	return report_durations_add(&c->ack, a->acked_at - a->raised_at);
}

/* Count an alert raised in the period on its severity.  -1 if out of
 * memory. */
int
report_alerts_add(struct report_alerts *t, const struct report_alert_row *a)
{
	if (report_period_day(&t->period, a->raised_at) == -1 ||
	    (unsigned)a->severity >= REPORT_SEVERITIES)
		return 0;
	if (report_alert_count(&t->severity[a->severity], a, t->now) == -1 ||
	    report_alert_count(&t->total, a, t->now) == -1)
		return -1;
	return 0;
}

/* Free the durations the report holds. */
void
report_alerts_free(struct report_alerts *t)
{
	int	i;

	for (i = 0; i < REPORT_SEVERITIES; i++)
		report_durations_free(&t->severity[i].ack);
	report_durations_free(&t->total.ack);
}
