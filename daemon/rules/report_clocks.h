/* The continuity-of-care report (the IDTS indicator): per clock kind and
 * local month the clock started in, how many started, were met on time,
 * met late, breached and still open, ended by a release before they ran
 * out, and are still running; and the hours to meet (median, p90).
 * Pure: the store feeds the clocks, now is passed in. */
#ifndef IDTSD_REPORT_CLOCKS_H
#define IDTSD_REPORT_CLOCKS_H

#include "continuity.h"
#include "report_period.h"

#define REPORT_CLOCK_KINDS	2
#define REPORT_MAX_MONTHS	14	/* 366 days touch at most 13 */

struct report_clock_counts {
	int	started;
	int	met_on_time;
	int	met_late;
	int	breached_open;	/* never met, ran out (left after or not) */
	int	ended;		/* left before it ran out */
	int	running;	/* not met, its deadline still to come */
	int	breached;	/* met late, open past due, or ended past due */
	struct report_durations meet;	/* started to met */
};

struct report_clocks {
	struct report_period	   period;
	int64_t			   now;
	int			   month0;	/* report_month_of() */
	int			   nmonths;
	struct report_clock_counts cell[REPORT_CLOCK_KINDS][REPORT_MAX_MONTHS];
	struct report_clock_counts total[REPORT_CLOCK_KINDS];
};

int	report_clocks_start(struct report_clocks *, struct civil_date from,
	    struct civil_date to, int64_t now);
int	report_clocks_add(struct report_clocks *, const struct care_clock *);
void	report_clocks_free(struct report_clocks *);

#endif
