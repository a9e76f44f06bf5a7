/* Tallying the continuity-of-care report. */
#include <string.h>

#include "report_clocks.h"

/* Start the report of the clocks started from to to (local dates) as of
 * now: -1 if the period is reversed or too long. */
int
report_clocks_start(struct report_clocks *t, struct civil_date from,
    struct civil_date to, int64_t now)
{
	memset(t, 0, sizeof *t);
	t->now = now;
	if (report_period_start(&t->period, from, to) == -1)
		return -1;
	t->month0 = from.year * 12 + from.month - 1;
	t->nmonths = to.year * 12 + to.month - 1 - t->month0 + 1;
	return 0;
}

/* Count a clock in one set of counts.  Breached is as
 * continuity_breached() says as of now: a clock met late, one still open
 * past its deadline (whether or not the scheduler has fired its breach
 * yet) and one whose patient left after it ran out all breached.  -1 if
 * out of memory. */
static int
report_clock_count(struct report_clock_counts *c, const struct care_clock *k,
    int64_t now)
{
	const char	*state = continuity_state(k, now);

	c->started++;
	if (continuity_breached(k, now))
		c->breached++;
	if (strcmp(state, "met") == 0) {
		if (k->met_at > k->due_at)
			c->met_late++;
		else
			c->met_on_time++;
		return report_durations_add(&c->meet, k->met_at -
		    k->started_at);
	}
	if (strcmp(state, "ended") == 0)
		c->ended++;
	else if (strcmp(state, "breached") == 0)
		c->breached_open++;
	else
		c->running++;
	return 0;
}

/* Count a clock on its kind and the local month it started in; one that
 * started outside the period is not counted.  -1 if out of memory. */
int
report_clocks_add(struct report_clocks *t, const struct care_clock *k)
{
	int	m;

	if (report_period_day(&t->period, k->started_at) == -1 ||
	    (unsigned)k->kind >= REPORT_CLOCK_KINDS)
		return 0;
	m = report_month_of(k->started_at) - t->month0;
	if (m < 0 || m >= t->nmonths)
		return 0;
	if (report_clock_count(&t->cell[k->kind][m], k, t->now) == -1 ||
	    report_clock_count(&t->total[k->kind], k, t->now) == -1)
		return -1;
	return 0;
}

/* Free the durations the report holds. */
void
report_clocks_free(struct report_clocks *t)
{
	int	k, m;

	for (k = 0; k < REPORT_CLOCK_KINDS; k++) {
		for (m = 0; m < REPORT_MAX_MONTHS; m++)
			report_durations_free(&t->cell[k][m].meet);
		report_durations_free(&t->total[k].meet);
	}
}
