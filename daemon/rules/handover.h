/* The handover sheet (issue 17): for the shift a nurse hands over to,
 * what falls due for each patient in it (doses, observations, clock
 * deadlines, holds to review), court or release tomorrow, the last NEWS2
 * and its trend, open alerts and cautions.  Pure: now and the shift are
 * passed in; the caller loads the facts and names the patients. */
#ifndef IDTSD_HANDOVER_H
#define IDTSD_HANDOVER_H

#include <stddef.h>
#include <stdint.h>

#include "alert.h"
#include "calendar.h"

/* The unit's two shifts, by local wall-clock time. */
enum handover_shift {
	HANDOVER_DAY,		/* 08:00 to 20:00 */
	HANDOVER_NIGHT,		/* 20:00 to 08:00 the next day */
};

#define HANDOVER_DAY_STARTS	(8 * 60)	/* minutes of the day */
#define HANDOVER_NIGHT_STARTS	(20 * 60)
#define HANDOVER_MAX_ITEMS	64		/* per patient */

/* One shift: from its start to its end, and the local date it starts on
 * ("tomorrow" is the day after). */
struct handover_window {
	enum handover_shift	shift;
	int64_t			from;
	int64_t			to;
	struct civil_date	date;
};

/* A dose of the patient's not yet given, refused or otherwise closed. */
struct handover_dose {
	const char	*id;
	int64_t		 due_at;
	int64_t		 window_start;	/* when it may be given from */
	int		 held;		/* its prescription is held */
	int		 ncautions;	/* shown to the nurse who gives it */
};

/* A continuity clock not met. */
struct handover_clock {
	const char	*id;
	const char	*kind;		/* continuity_kind_name() */
	int64_t		 due_at;
};

/* A movement booked and not yet departed. */
struct handover_movement {
	const char	*id;
	const char	*kind;		/* court, release, transfer */
	int64_t		 departs_at;
};

/* What the rule is given about one patient, loaded by the caller. */
struct handover_facts {
	const struct handover_dose	*doses;
	size_t				 ndoses;
	const struct handover_clock	*clocks;
	size_t				 nclocks;
	const struct handover_movement	*movements;
	size_t				 nmovements;
	const int64_t			*held_at;	/* held prescriptions */
	const char *const		*held_ids;
	size_t				 nheld;
	int				 plan_running;
	int64_t				 obs_next_due;	/* 0: none open */
	int64_t				 obs_interval_ms;
	int64_t				 plan_ends_at;
	int64_t				 away_since;	/* at court; 0 here */
	const int			*news2;		/* newest first */
	size_t				 nnews2;
	int				 alerts_open;
	enum alert_severity		 alerts_worst;
};

enum handover_item_kind {
	HANDOVER_ITEM_DOSE,
	HANDOVER_ITEM_OBSERVATIONS,
	HANDOVER_ITEM_CLOCK,
	HANDOVER_ITEM_HOLD_REVIEW,
	HANDOVER_ITEM_MOVEMENT,
};

/* Something to hand over, at a time. */
struct handover_item {
	enum handover_item_kind	 kind;
	const char		*id;		/* of the fact it came from */
	const char		*what;		/* a clock's or movement's kind */
	int64_t			 at;
	int			 overdue;	/* at is before now */
	int			 held;		/* a dose held for review */
	int			 ncautions;
	int			 count;		/* observations: how many */
	int64_t			 every_ms;	/* observations: how often */
	int			 tomorrow;	/* a movement the day after */
};

enum handover_trend {
	HANDOVER_TREND_NONE,	/* fewer than two scores */
	HANDOVER_TREND_STEADY,
	HANDOVER_TREND_RISING,
	HANDOVER_TREND_FALLING,
};

/* What the sheet says about one patient. */
struct handover_entry {
	struct handover_item	 items[HANDOVER_MAX_ITEMS];
	size_t			 nitems;
	int			 news2_last;	/* -1: none */
	enum handover_trend	 trend;
	int			 court_tomorrow;
	int			 release_tomorrow;
	int			 away;		/* at court now */
	int			 alerts_open;
	enum alert_severity	 alerts_worst;
	int			 cautions;	/* doses in the shift with some */
};

enum handover_shift handover_next_shift(int64_t now);
void	handover_window(enum handover_shift, int64_t now,
	    struct handover_window *);
void	handover_decide(const struct handover_facts *,
	    const struct handover_window *, int64_t now,
	    struct handover_entry *);
enum handover_trend handover_trend(const int *newest_first, size_t n);
const char *handover_shift_name(enum handover_shift);
int	handover_shift_parse(const char *, enum handover_shift *);
const char *handover_trend_name(enum handover_trend);
const char *handover_item_name(enum handover_item_kind);

#endif
