/* The days of a report's period, months, and percentiles. */
#include <stdlib.h>
#include <time.h>

#include "report_period.h"

/* The period of the local dates from to to, both included: -1 if to is
 * before from or the period is longer than REPORT_MAX_DAYS. */
int
report_period_start(struct report_period *p, struct civil_date from,
    struct civil_date to)
{
	int64_t	n = timefmt_days_from_civil(to) -
		    timefmt_days_from_civil(from) + 1;
	int	i;

	if (n < 1 || n > REPORT_MAX_DAYS)
		return -1;
	p->day0 = from;
	p->ndays = (int)n;
	for (i = 0; i <= p->ndays; i++)
		p->midnight[i] = calendar_local_midnight(calendar_add_days(
		    from, i));
	return 0;
}

/* The index of the local day an instant falls on, or -1 outside the
 * period: a binary search of the midnights, so rows need not come in
 * order. */
int
report_period_day(const struct report_period *p, int64_t at)
{
	int	lo = 0, hi = p->ndays, mid;

	if (at < p->midnight[0] || at >= p->midnight[p->ndays])
		return -1;
	while (hi - lo > 1) {
		mid = (lo + hi) / 2;
		if (at >= p->midnight[mid])
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* The local month of an instant as year * 12 + month - 1. */
int
report_month_of(int64_t at)
{
	struct civil_date	d = calendar_local_date(at);

	return d.year * 12 + d.month - 1;
}

/* The local minute of the day of an instant (a round's wall-clock time,
 * whatever the day's length). */
int
report_minute_of_day(int64_t at)
{
	time_t		t = (time_t)(at / 1000 - (at % 1000 < 0));
	struct tm	tm;

	localtime_r(&t, &tm);
	return tm.tm_hour * 60 + tm.tm_min;
}

/* Remember one duration; -1 if out of memory. */
int
report_durations_add(struct report_durations *d, int64_t ms)
{
	int64_t	*more;
	size_t	 cap;

	if (d->n == d->cap) {
		cap = d->cap ? 2 * d->cap : 32;
		if ((more = reallocarray(d->v, cap, sizeof *more)) == NULL)
			return -1;
		d->v = more;
		d->cap = cap;
	}
	d->v[d->n++] = ms;
	return 0;
}

/* qsort(3)'s order of durations. */
static int
report_durations_cmp(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The nearest-rank percentile (the smallest duration with at least
 * percent of them at or below it: the median of 1, 2, 3, 4 is 2), or -1
 * with none.  Sorts the durations. */
int64_t
report_durations_percentile(struct report_durations *d, int percent)
{
	size_t	rank;

	if (d->n == 0)
		return -1;
	qsort(d->v, d->n, sizeof *d->v, report_durations_cmp);
	rank = (d->n * (size_t)percent + 99) / 100;
	return d->v[rank > 0 ? rank - 1 : 0];
}

/* Free the durations. */
void
report_durations_free(struct report_durations *d)
{
	free(d->v);
	d->v = NULL;
	d->n = d->cap = 0;
}
