/* The alert-response report: per severity, the alerts raised in the
 * period, how many were acknowledged and the minutes to acknowledge
 * (median, p90), how many were escalated, and how many are still open.
 * Pure: the store feeds the alerts, now is passed in. */
#ifndef IDTSD_REPORT_ALERTS_H
#define IDTSD_REPORT_ALERTS_H

#include "alert.h"
#include "report_period.h"

#define REPORT_SEVERITIES	4

/* One alert as the report reads it. */
struct report_alert_row {
	int64_t		raised_at;
	int64_t		acked_at;	/* 0: not acknowledged */
	enum alert_severity severity;
	int		escalated;
};

struct report_alert_counts {
	int	raised;
	int	acknowledged;
	int	escalated;
	int	open;		/* not acknowledged by now */
	struct report_durations ack;	/* raised to acknowledged */
};

struct report_alerts {
	struct report_period		period;
	int64_t				now;
	struct report_alert_counts	severity[REPORT_SEVERITIES];
	struct report_alert_counts	total;
};

int	report_alerts_start(struct report_alerts *, struct civil_date from,
	    struct civil_date to, int64_t now);
int	report_alerts_add(struct report_alerts *,
	    const struct report_alert_row *);
void	report_alerts_free(struct report_alerts *);

#endif
