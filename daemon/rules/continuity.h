/* The 24-hour continuity-of-care clocks for a prisoner who arrives
 * already in treatment.  Pure: now is passed in. */
#ifndef IDTSD_CONTINUITY_H
#define IDTSD_CONTINUITY_H

#include <stdint.h>

#include "alert.h"
#include "calendar.h"
#include "patient.h"
#include "refusal.h"
#include "staff.h"
#include "validate.h"

enum care_clock_kind {
	CLOCK_TREATMENT_CONTINUED,	/* every day of the year */
	CLOCK_KEYWORKER_ALLOCATED,	/* working days only */
};

/* How long each clock runs and when it warns. */
struct care_clock_policy {
	const struct calendar	*calendar;
	int64_t			 treatment_ms;
	int64_t			 keyworker_ms;
	int			 warn_percent;
};

struct care_clock {
	char			id[UUID_STR_LEN];
	char			patient_id[UUID_STR_LEN];
	enum care_clock_kind	kind;
	int64_t			started_at;
	int64_t			warn_at;
	int64_t			due_at;
	int64_t			met_at;		/* 0 while not met */
	int64_t			ended_at;	/* released first; else 0 */
	char			met_how[16];	/* keyworker, decision, dose */
	int			warned;		/* the warning has fired */
	int			breach_fired;	/* the breach has fired */
};

const char *continuity_kind_name(enum care_clock_kind);
int	continuity_kind_parse(const char *, enum care_clock_kind *);
void	continuity_start(struct care_clock *, enum care_clock_kind,
	    int64_t arrived_at, const struct care_clock_policy *);
const char *continuity_state(const struct care_clock *, int64_t now);
int	continuity_breached(const struct care_clock *, int64_t now);
int	continuity_listed_as(const struct care_clock *, int64_t now,
	    const char *state);
int64_t	continuity_next_deadline(const struct care_clock *);

/* What meeting a clock decides: whether it was met late, a breach on the
 * record for ever, and the note its open alerts are acknowledged with. */
struct care_clock_meeting {
	int	late;
	char	note[160];
};

int	continuity_meet(struct care_clock *, int64_t now, const char *how,
	    struct care_clock_meeting *);

/* What a clock's deadlines ask for when the scheduler runs at now. */
struct care_clock_firing {
	int	warning;	/* raise the warning */
	int	breach;		/* raise the breach */
};

void	continuity_fire(struct care_clock *, int64_t now,
	    struct care_clock_firing *);
int	continuity_check_keyworker(const struct staff *, struct refusal *);
void	continuity_alert(struct alert *, const struct care_clock *,
	    const struct patient *, int breach, int64_t now,
	    const struct alert_policy *);

#endif
