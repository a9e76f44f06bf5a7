/* The dose-round report: per patient, local day and round (the local
 * time a dose was due), how many doses were due and what became of each,
 * added up per day, per round and for the unit; and the holds for review
 * raised in the period with the hours a prescriber took to review them.
 * Pure: the store feeds the rows, now is passed in. */
#ifndef IDTSD_REPORT_DOSES_H
#define IDTSD_REPORT_DOSES_H

#include "dose.h"
#include "report_period.h"

/* A dose given more than this long after its due time is given late
 * (time-critical medicines: within 30 minutes of the prescribed time). */
#define REPORT_DOSE_LATE_MS	(30 * MS_PER_MINUTE)
#define REPORT_MAX_ROUNDS	48

struct report_dose_counts {
	int	due;		/* every dose whose time has come */
	int	on_time;	/* given within REPORT_DOSE_LATE_MS of due */
	int	late;		/* given after that */
	int	refused;
	int	withheld;
	int	missed;		/* its window closed untouched */
	int	away;
	int	held;
	int	pending;	/* still open, its window not closed: not due */
	int64_t	late_total_ms;	/* after the due time */
	int64_t	late_max_ms;
};

/* One dose as the report reads it. */
struct report_dose_row {
	const char	*patient_id;
	int64_t		 due_at;
	int64_t		 window_end;
	enum dose_state	 state;
	int64_t		 recorded_at;
};

/* One hold for review raised, and when a prescriber reviewed it (0 if
 * not yet). */
struct report_hold_row {
	int64_t	held_at;
	int64_t	reviewed_at;
};

/* A patient's round on a day. */
struct report_dose_cell {
	char				patient_id[UUID_STR_LEN];
	int				day;
	int				minute;		/* local, of due */
	struct report_dose_counts	c;
};

struct report_dose_round {
	int				minute;
	struct report_dose_counts	c;
};

struct report_doses {
	struct report_period		 period;
	int64_t				 now;
	struct report_dose_cell		**cell;	/* in order after finish */
	size_t				 n, cap;
	void				*tree;
	struct report_dose_counts	 day[REPORT_MAX_DAYS];
	struct report_dose_round	 round[REPORT_MAX_ROUNDS];
	int				 nrounds;
	struct report_dose_counts	 total;
	int				 holds_raised;
	int				 holds_open;	/* not reviewed */
	struct report_durations		 review;
};

void	report_dose_add(struct report_dose_counts *sum,
	    const struct report_dose_counts *);
int	report_doses_start(struct report_doses *, struct civil_date from,
	    struct civil_date to, int64_t now);
int	report_doses_add(struct report_doses *,
	    const struct report_dose_row *);
int	report_doses_hold(struct report_doses *,
	    const struct report_hold_row *);
void	report_doses_finish(struct report_doses *);
size_t	report_doses_cells(const struct report_doses *,
	    const char *patient_id, struct report_dose_cell *const **first);
int	report_dose_given_tenths(const struct report_dose_counts *);
void	report_doses_free(struct report_doses *);

#endif
