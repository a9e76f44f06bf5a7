/* What every management report shares: the local days of its period,
 * each from its own midnight (a day across a DST change is 23 or 25
 * hours long), the local month of an instant, and the nearest-rank
 * percentiles of a list of durations.  Pure. */
#ifndef IDTSD_REPORT_PERIOD_H
#define IDTSD_REPORT_PERIOD_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"

/* A report covers at most this many local days (a year and a day, so a
 * leap year's whole year fits): a longer range is refused. */
#define REPORT_MAX_DAYS		366

struct report_period {
	struct civil_date	 day0;
	int			 ndays;
	int64_t			 midnight[REPORT_MAX_DAYS + 1];	/* and after */
};

/* Durations to take percentiles of, in the order met. */
struct report_durations {
	int64_t	*v;
	size_t	 n, cap;
};

int	report_period_start(struct report_period *, struct civil_date from,
	    struct civil_date to);
int	report_period_day(const struct report_period *, int64_t at);
int	report_month_of(int64_t at);
int	report_minute_of_day(int64_t at);
int	report_durations_add(struct report_durations *, int64_t ms);
int64_t	report_durations_percentile(struct report_durations *, int percent);
void	report_durations_free(struct report_durations *);

#endif
