/* The continuity report of a month (issue 19): arrivals in treatment and
 * both 24-hour clocks (report_clocks.c's tally), transfers out, transfer
 * documents imported, and releases with the community follow-up kept
 * within 21 days (follow_up.c decides each).  Pure: the store feeds the
 * rows in time order, now is passed in. */
#ifndef IDTSD_REPORT_CONTINUITY_H
#define IDTSD_REPORT_CONTINUITY_H

#include "follow_up.h"
#include "report_clocks.h"

enum report_continuity_event {
	CONTINUITY_TRANSFER_OUT,	/* a transfer departed */
	CONTINUITY_IMPORT,		/* a transfer document imported */
	CONTINUITY_RELEASE,		/* a release departed */
};

/* One row as the report reads it: follow_up is a release's, or NULL if
 * it was booked without one. */
struct report_continuity_row {
	enum report_continuity_event	 event;
	int64_t				 at;
	const struct follow_up		*follow_up;
};

struct report_continuity {
	struct report_clocks	clocks;	/* started in the month */
	int			transfers_out;
	int			imported;
	int			releases;
	int			with_follow_up;
	int			follow_up_met;	/* kept in 21 days */
	int			follow_up_not_met; /* recorded, not kept */
	int			follow_up_running; /* days to run */
	int			follow_up_overdue; /* ran out unrecorded */
};

int	report_continuity_start(struct report_continuity *,
	    struct civil_date from, struct civil_date to, int64_t now);
int	report_continuity_add(struct report_continuity *,
	    const struct report_continuity_row *);
void	report_continuity_free(struct report_continuity *);

#endif
