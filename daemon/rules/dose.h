/* A dose: one instance of a prescription at a time, its window, its
 * state, who may sign it off, and the missed-dose hold.  Pure: now is
 * passed in. */
#ifndef IDTSD_DOSE_H
#define IDTSD_DOSE_H

#include <stddef.h>
#include <stdint.h>

#include "refusal.h"
#include "staff.h"
#include "timefmt.h"
#include "validate.h"

#define DOSE_REASON_MAX		500	/* characters */

enum dose_state {
	DOSE_SCHEDULED,		/* its window has not opened */
	DOSE_DUE,		/* in its window */
	DOSE_GIVEN,
	DOSE_REFUSED,		/* by the patient, with a reason */
	DOSE_WITHHELD,		/* by the nurse, with a reason */
	DOSE_MISSED,		/* its window closed */
	DOSE_AWAY,		/* the patient was away (court) */
	DOSE_HELD,		/* its prescription is held for review */
};

/* How doses are laid out and when a prescription is held. */
struct dose_policy {
	int64_t	before_ms;	/* the window opens this long before due */
	int64_t	after_ms;	/* and closes this long after */
	int64_t	horizon_ms;	/* doses exist this far ahead */
	int	hold_after;	/* consecutive doses not taken */
};

/* What stands in a dose's way besides its own state (the standing
 * argument below, a bitmask). */
#define DOSE_RX_HELD		0x1	/* its prescription is held */
#define DOSE_PATIENT_AWAY	0x2	/* its patient was away when it fell due */
#define DOSE_RX_STOPPED		0x4	/* its prescription was stopped */
#define DOSE_PATIENT_OUT	0x8	/* its patient is away now */

/* A change of dose (one prescription stopped, another written) within
 * this long carries the run of doses not taken over: three days, after
 * which tolerance is gone and the new prescription is a new start. */
#define DOSE_RUN_CARRIED_MS	(72 * MS_PER_HOUR)

/* A trip out of the prison (a court escort): when the patient left and
 * came back, 0 for not (yet). */
struct dose_trip {
	int64_t	departed_at;
	int64_t	returned_at;
};

/* A prescription's run of doses not taken and its hold for review. */
struct dose_hold {
	int	run;		/* consecutive doses not taken */
	int64_t	held_at;	/* 0 unless held for review */
};

/* What moves the run. */
enum dose_hold_event {
	DOSE_HOLD_TAKEN,	/* a dose given */
	DOSE_HOLD_NOT_TAKEN,	/* missed, refused, withheld or away */
	DOSE_HOLD_REVIEWED,	/* a prescriber reviewed the hold */
};

/* The run after an event, and what the caller is to do about it. */
struct dose_hold_change {
	struct dose_hold hold;
	int		changed;	/* store it */
	int		held_now;	/* tell the prescribers and managers */
};

/* Why an open dose is being closed. */
enum dose_close_cause {
	DOSE_CLOSE_WINDOW,	/* its window has closed */
	DOSE_CLOSE_DEPARTURE,	/* the patient left (a court escort) */
};

/* What closing a dose does. */
struct dose_close {
	enum dose_state	state;		/* as it is to be recorded */
	int		record;		/* the state changed: store it */
	int		count;		/* one more not taken towards the hold */
	int		tell_ward;	/* dose_missed */
	int		tell_managers;	/* left_without_dose, once */
};

struct dose {
	char		id[UUID_STR_LEN];
	char		prescription_id[UUID_STR_LEN];
	char		patient_id[UUID_STR_LEN];
	int64_t		due_at;
	int64_t		window_start;
	int64_t		window_end;
	int64_t		amount;		/* thousandths of the unit */
	enum dose_state	state;		/* as recorded */
	int64_t		recorded_at;	/* 0 until given, refused, ... */
	char		recorded_by[UUID_STR_LEN];
	char		witnessed_by[UUID_STR_LEN];
	char		reason[DOSE_REASON_MAX * 4 + 1];
	char		note[DOSE_REASON_MAX * 4 + 1];
	char		register_entry_id[UUID_STR_LEN];
};

const char *dose_state_name(enum dose_state);
int	dose_state_parse(const char *, enum dose_state *);
void	dose_place(struct dose *, int64_t due_at, const struct dose_policy *);
int	dose_is_closed(enum dose_state);
int	dose_not_taken(enum dose_state);
enum dose_state dose_state_at(const struct dose *, int standing,
	    int64_t now);
int	dose_check_signable(const struct dose *, int standing, int64_t now,
	    struct refusal *why);
int	dose_check_givable(const struct dose *, int standing, int64_t now,
	    struct refusal *why);
int	dose_check_prescription(int stopped, struct refusal *why);
int	dose_check_witness(const struct staff *giver,
	    const struct staff *witness, int64_t now, struct refusal *why);
int	dose_patient_away(const struct dose_trip *, int64_t from,
	    int64_t until);
struct dose_close dose_close_state(const struct dose *, int standing,
	    enum dose_close_cause, int64_t now);
struct dose_hold_change dose_hold_run(const struct dose_hold *,
	    enum dose_hold_event, int64_t now, int hold_after);
int	dose_check_error(const struct dose *, int in_error,
	    struct refusal *why);
struct dose_hold_change dose_hold_recount(const struct dose_hold *,
	    const enum dose_state *newest_first, size_t n, int64_t now,
	    int hold_after);
int	dose_hold_carried(const struct dose_hold *last, int64_t stopped_at,
	    int64_t now);

#endif
