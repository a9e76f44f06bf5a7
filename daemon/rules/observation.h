/* Observation plans for stimulant users (docs/design.md rule 2): 72 hours
 * from arrival however late the flag was set, at an interval the last
 * NEWS2 score chooses, and the dues that are met on time, late or missed.
 * Pure: now is passed in.  Intervals are durations, not wall-clock
 * arithmetic. */
#ifndef IDTSD_OBSERVATION_H
#define IDTSD_OBSERVATION_H

#include <stdint.h>

#include "alert.h"
#include "news2.h"
#include "refusal.h"
#include "validate.h"

/* How long a plan runs and how often, from the config. */
struct observation_policy {
	int64_t	plan_ms;	/* 72 hours */
	int64_t	base_ms;	/* score 0 */
	int64_t	low_ms;		/* at most this for 1-4 */
	int64_t	medium_ms;	/* a red 3, or 5-6 */
	int64_t	high_ms;	/* 7 or more */
	int64_t	grace_ms;	/* after due, before a warning */
	int64_t	max_past_ms;	/* how far back an observation is taken */
};

struct observation_plan {
	char	patient_id[UUID_STR_LEN];
	int64_t	starts_at;		/* arrival */
	int64_t	counts_from;		/* the flag */
	int64_t	ends_at;
	int64_t	base_interval_ms;
	int64_t	ended_at;		/* 0 while the patient is here */
	int64_t	away_since;		/* 0 unless away at court now */
};

enum observation_due_state {
	OBS_DUE_OPEN,
	OBS_DUE_ON_TIME,
	OBS_DUE_LATE,
	OBS_DUE_MISSED,
	OBS_DUE_CANCELLED,	/* the plan ended before it */
};

/* A due's window runs from when it opened (its plan started or was
 * extended, the observation before it was taken, or the due before it
 * was missed) until it is met or missed. */
struct observation_due {
	char				id[UUID_STR_LEN];
	char				patient_id[UUID_STR_LEN];
	int64_t				opened_at;
	int64_t				due_at;
	int64_t				interval_ms;
	int64_t				warn_at;
	int64_t				missed_at;
	enum observation_due_state	state;
	int				warned;
	char				observation_id[UUID_STR_LEN];
	int64_t				taken_at;
};

/* One set of vital signs and its score. */
struct observation {
	char			id[UUID_STR_LEN];
	char			patient_id[UUID_STR_LEN];
	int64_t			taken_at;
	struct news2_readings	readings;
	struct news2_result	result;
	int64_t			next_due_at;	/* 0: none (no plan) */
	char			recorded_by[UUID_STR_LEN];
	int64_t			recorded_at;
};

/* What recording an observation does, as observation_record_plan()
 * decides it. */
struct observation_record_effects {
	int			meets;		/* due met, as it now is */
	struct observation_due	due;
	int			hastens;	/* open moved, as it now is */
	struct observation_due	open;
	int			opens;		/* a due opens at next_due_at */
	int64_t			next_due_at;	/* 0: none */
	int64_t			interval_ms;	/* of the due opened or moved */
	int			alerts;		/* news2_high at severity */
	enum alert_severity	severity;
};

/* What a departure for court does to the due open then, as
 * observation_due_depart() decides it. */
struct observation_depart_effects {
	enum observation_due_state	state;	/* missed or cancelled */
	const char			*note;	/* closing its warning */
};

/* What striking an observation out does to its patient's plan, as
 * observation_strike_plan() decides it. */
struct observation_strike_effects {
	int			reverts;	/* due met, as it now is */
	struct observation_due	due;
	int			moves;		/* open due, as it now is */
	struct observation_due	open;
	int64_t			next_due_at;	/* 0: none */
};

#define OBSERVATION_REASON_MAX	500	/* characters */

void	observation_plan_start(struct observation_plan *, int64_t arrived_at,
	    int64_t flagged_at, const struct observation_policy *);
int	observation_plan_runs(const struct observation_plan *, int64_t at);
int	observation_plan_check_extension(const struct observation_plan *,
	    int64_t until, int64_t now, struct refusal *why);
void	observation_plan_return(const struct observation_plan *,
	    const struct observation *last, int64_t returned_at,
	    const struct observation_policy *, int64_t *due_at,
	    int64_t *interval_ms);
void	observation_plan_resume(const struct observation_plan *,
	    const struct observation *last, int64_t now,
	    const struct observation_policy *, int64_t *due_at,
	    int64_t *interval_ms);
int64_t	observation_interval(const struct observation_policy *,
	    int64_t base_ms, const struct news2_result *);
void	observation_due_place(struct observation_due *, int64_t due_at,
	    int64_t interval_ms, const struct observation_policy *);
int	observation_due_open(struct observation_due *,
	    const struct observation_plan *, int64_t due_at,
	    int64_t interval_ms, int64_t opened_at, int64_t now,
	    const struct observation_policy *);
int	observation_due_holds(const struct observation_due *,
	    int64_t taken_at);
enum observation_due_state observation_due_met(
	    const struct observation_due *, int64_t taken_at);
void	observation_due_depart(const struct observation_due *,
	    int64_t departed_at, struct observation_depart_effects *);
enum observation_due_state observation_due_lapse(
	    const struct observation_plan *, const struct observation_due *,
	    int away);
void	observation_record_plan(const struct observation_plan *,
	    const struct observation_due *held,
	    const struct observation_due *open, const struct observation *,
	    const struct observation_policy *, int64_t now,
	    struct observation_record_effects *);
void	observation_strike_plan(const struct observation_plan *,
	    const struct observation_due *met,
	    const struct observation_due *open, const struct observation *,
	    int64_t now, const struct observation_policy *,
	    struct observation_strike_effects *);
int	observation_check_strike(int struck, struct refusal *why);
enum alert_severity observation_overdue_severity(
	    const struct news2_result *last);
int	observation_warning_closes(const struct observation_due *,
	    int *escalation, const char **note);
int	observation_check_time(int64_t taken_at, int64_t now,
	    int64_t arrived_at, int64_t last_taken_at,
	    const struct observation_policy *, struct refusal *why);
const char *observation_due_state_name(enum observation_due_state);
int	observation_due_state_parse(const char *,
	    enum observation_due_state *);

#endif
