/* The arithmetic of the compliance reports: counts of dues met on time,
 * late (and how late) or missed, tallied per patient and local day from
 * the dues in time order, added up per day and for the unit, and the
 * share on time.  Pure. */
#ifndef IDTSD_REPORT_H
#define IDTSD_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "observation.h"

/* An observation written up (recorded) more than this long after it
 * was taken is marked: a retrospective entry, which an audit of the
 * record asks about (an hour: longer than any round takes to write up). */
#define REPORT_WRITTEN_LATE_MS	(60 * MS_PER_MINUTE)

struct report_counts {
	int	due;		/* on_time + late + missed + overdue */
	int	on_time;
	int	late;
	int	missed;
	int	overdue;	/* still open past its grace: not met on time */
	int	pending;	/* still open within its grace: not yet due */
	int	written_late;	/* taken that day, written up late */
	int64_t	late_max_ms;
	int64_t	late_total_ms;
};

/* One observation due as the compliance report reads it. */
struct report_due {
	const char			*patient_id;
	int64_t				 due_at;
	enum observation_due_state	 state;
	int64_t				 taken_at;	/* 0: not taken */
	int64_t				 warn_at;	/* its grace ends */
};

/* A patient's counts, one for each local day of the report. */
struct report_patient {
	char			id[UUID_STR_LEN];
	struct report_counts	day[];
};

/* The observation compliance report being counted, from dues fed in the
 * order of their due time: its local days, each from its midnight, and
 * the patients met so far, found by id in a tsearch(3) tree. */
struct report_tally {
	int64_t			  now;		/* as of when */
	struct civil_date	  day0;
	int			  ndays;
	int64_t			 *midnight;
	int			  day;		/* of the last due fed */
	struct report_patient	**patient;	/* in the order met */
	size_t			  n, cap;
	void			 *tree;
};

void	report_add(struct report_counts *sum, const struct report_counts *);
int	report_tally_start(struct report_tally *, int64_t from, int64_t to,
	    int64_t now);
int	report_tally_add(struct report_tally *, const struct report_due *);
int	report_tally_written_late(struct report_tally *,
	    const char *patient_id, int64_t taken_at);
const struct report_counts *report_tally_days(const struct report_tally *,
	    const char *patient_id);
void	report_tally_free(struct report_tally *);
int	report_on_time_tenths(const struct report_counts *);
int64_t	report_late_mean_ms(const struct report_counts *);
/* Every CSV the daemon writes puts each text cell through
 * report_csv_field(), so that no cell is taken for a formula. */
int	report_csv_formula(const char *text);
int	report_csv_field(char *out, size_t size, const char *text);

#endif
