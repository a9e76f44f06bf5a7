/* Controlled-drug cover (readiness section 15): for every dose round, a
 * qualified nurse and a distinct competent other on duty and active, every
 * day including weekends and bank holidays; and when a gap in the rota
 * is to be raised with the managers.  Pure: now is passed in. */
#ifndef IDTSD_COVER_H
#define IDTSD_COVER_H

#include <stddef.h>
#include <stdint.h>

#include "alert.h"
#include "calendar.h"
#include "validate.h"

#define COVER_DAYS		14	/* the check looks this far ahead */
#define COVER_MAX_TIMES		8	/* round times of a day */
#define COVER_MAX_ROUNDS	((COVER_DAYS + 1) * COVER_MAX_TIMES)
#define COVER_WHY_MAX		160

/* One person on one shift of the rota. */
struct cover_duty {
	int64_t		starts, ends;		/* [starts, ends) */
	char		username[USERNAME_MAX + 1];	/* "": nobody */
	unsigned	roles;
	int		active;
};

/* The rounds to check: the unit's round times (minutes of the local day)
 * on each day from from for days days, those at or after not_before. */
struct cover_plan {
	const struct calendar	*calendar;
	int			 times[COVER_MAX_TIMES];
	int			 ntimes;
	struct civil_date	 from;
	int			 days;
	int64_t			 not_before;
};

struct cover_round {
	int64_t			at;
	struct civil_date	date;
	int			weekend, bank_holiday;
	int			covered;
	int			nurse, witness;	/* index of a duty, or -1 */
	char			why[COVER_WHY_MAX];	/* when not covered */
};

struct cover_check {
	struct cover_round	round[COVER_MAX_ROUNDS];
	int			nrounds;
	int			gaps;		/* rounds not covered */
};

/* What the check asks for at now: one manager alert per local date with a
 * round not covered, once that round is warn_ms ahead or nearer, unless
 * the date was alerted before; and when to look again.  A unit that keeps
 * no rota in the daemon at all (not one shift) is not alerted. */
#define COVER_MAX_FIRINGS	(COVER_DAYS + 1)

struct cover_firing {
	struct civil_date	date;
	struct alert		alert;
};

struct cover_fire {
	struct cover_firing	firing[COVER_MAX_FIRINGS];
	int			nfirings;
	int64_t			next;		/* 0: nothing to wait for */
};

int	cover_on_duty(const struct cover_duty *, int64_t at);
void	cover_round_check(const struct cover_duty *, size_t n, int64_t at,
	    struct cover_round *);
void	cover_check(const struct cover_plan *, const struct cover_duty *,
	    size_t n, struct cover_check *);
void	cover_fire(const struct cover_check *, int rota_kept,
	    const struct civil_date *alerted, size_t nalerted, int64_t now,
	    int64_t warn_ms, struct cover_fire *);

#endif
