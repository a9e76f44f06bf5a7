/* Court escorts, releases and transfers: when the morning dose is due
 * before the escort leaves, when the ward is warned, and which movements
 * may be booked, departed, returned or cancelled (docs/design.md rule 3).
 * Pure: now is passed in; local time is the process's (calendar.h). */
#ifndef IDTSD_MOVEMENT_H
#define IDTSD_MOVEMENT_H

#include <stddef.h>
#include <stdint.h>

#include "dose.h"
#include "refusal.h"
#include "validate.h"

#define MOVEMENT_DESTINATION_MAX	200	/* characters */
#define MOVEMENT_FOLLOW_UP_MAX		1000
#define MOVEMENT_REASON_MAX		500
/* A departure may be recorded this long before the time booked. */
#define MOVEMENT_EARLY_MS		(12 * 60 * 60 * INT64_C(1000))

enum movement_kind {
	MOVEMENT_COURT,		/* and back, unless released from court */
	MOVEMENT_RELEASE,
	MOVEMENT_TRANSFER,	/* to another prison */
};

enum movement_state {
	MOVEMENT_PLANNED,
	MOVEMENT_DEPARTED,
	MOVEMENT_RETURNED,	/* from court */
	MOVEMENT_CANCELLED,	/* before departure */
	MOVEMENT_ENDED,		/* a court trip that ended in release */
};

/* The config's movements group. */
struct movement_policy {
	int64_t	margin_ms;		/* dose due this long before departure */
	int64_t	lead_ms;		/* ward warned this long before */
	int	earliest_minute;	/* never due before this local time */
	int64_t	past_tolerance_ms;	/* how late a time may be recorded */
	int64_t	max_ahead_ms;		/* how far ahead one may be booked */
};

struct movement {
	char			id[UUID_STR_LEN];
	char			patient_id[UUID_STR_LEN];
	enum movement_kind	kind;
	int64_t			departs_at;	/* as booked */
	char			destination[MOVEMENT_DESTINATION_MAX * 4 + 1];
	char			follow_up[MOVEMENT_FOLLOW_UP_MAX * 4 + 1];
	enum movement_state	state;
	int64_t			lead_alert_at;	/* 0: nothing to warn of */
	char			created_by[UUID_STR_LEN];
	int64_t			created_at;
	int64_t			departed_at;	/* 0 until departed */
	char			departed_by[UUID_STR_LEN];
	int64_t			returned_at;	/* 0 until returned */
	char			returned_by[UUID_STR_LEN];
	int64_t			cancelled_at;	/* 0 unless cancelled */
	char			cancelled_by[UUID_STR_LEN];
	char			cancel_reason[MOVEMENT_REASON_MAX * 4 + 1];
};

const char *movement_kind_name(enum movement_kind);
int	movement_kind_parse(const char *, enum movement_kind *);
const char *movement_state_name(enum movement_state);
int	movement_state_parse(const char *, enum movement_state *);
int	movement_is_open(const struct movement *);
int	movement_ends_care(const struct movement *);

int64_t	movement_dose_target(const struct movement_policy *,
	    int64_t departs_at);
int	movement_dose_place(const struct movement_policy *, int64_t departs_at,
	    int64_t due_at, int64_t *moved_to);
int64_t	movement_lead_alert_at(const struct movement_policy *,
	    int64_t departs_at, int64_t now);
int64_t	movement_prepared_lead_at(const struct movement_policy *,
	    const struct movement *, int64_t now);

/* What the ward is told of a morning dose. */
enum movement_tell {
	MOVEMENT_TELL_NOTHING,
	MOVEMENT_TELL_NOT_GIVEN,	/* still not given; leaves soon */
	MOVEMENT_TELL_HELD_BACK,	/* the earliest time holds it within
					   the margin */
	MOVEMENT_TELL_AFTER_DEPARTURE,	/* the earliest time puts it after
					   the escort leaves */
};

enum movement_tell movement_tell_prepared(const struct movement_policy *,
	    const struct movement *, int64_t due_at, enum dose_state,
	    int64_t now);
enum movement_tell movement_tell_lead(const struct movement *,
	    int64_t due_at, enum dose_state);

/* A movement that prepared a dose: the dose was due at original_due_at
 * when it did. */
struct movement_preparation {
	char			movement_id[UUID_STR_LEN];
	enum movement_state	state;
	int64_t			departs_at;
	int64_t			original_due_at;
};

int	movement_closes_dose(int64_t due_at, int64_t at, int morning);
int	movement_left_standing(int standing, int morning, int away_before);
int	movement_cancel_place(const struct movement_policy *,
	    const struct movement_preparation *, size_t n,
	    const char *cancelled_id, int64_t due_at, int64_t *moved_to);

/* A patient's open movements, as a new booking sees them. */
struct movement_others {
	int	court;		/* a court trip booked or under way */
	int	leaving;	/* a release or transfer booked */
	int	away;		/* a court trip under way */
};

void	movement_others_add(struct movement_others *,
	    const struct movement *);
int	movement_check_new(const struct movement_policy *,
	    const struct movement *, int64_t now, struct refusal *why);
int	movement_check_beside(const struct movement *,
	    const struct movement_others *, const char *prison_number,
	    struct refusal *why);
int	movement_check_depart(const struct movement_policy *,
	    const struct movement *, int64_t at, int64_t now,
	    struct refusal *why);
int	movement_check_return(const struct movement_policy *,
	    const struct movement *, int64_t at, int64_t now,
	    struct refusal *why);
int	movement_check_cancel(const struct movement *, struct refusal *why);
int	movement_depart(const struct movement_policy *, struct movement *,
	    int64_t at, const char *actor_id, int64_t now,
	    struct refusal *why);
int	movement_return(const struct movement_policy *, struct movement *,
	    int64_t at, const char *actor_id, int64_t now,
	    struct refusal *why);
int	movement_cancel(struct movement *, const char *actor_id,
	    const char *reason, int64_t now, struct refusal *why);
int	movement_close_beside(struct movement *,
	    const struct movement *leaving, const char *actor_id, int64_t now);

#endif
