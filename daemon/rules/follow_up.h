/* The community follow-up after a release: a release booked with a
 * follow_up and departed starts a clock of 21 days (the national
 * indicator: a community treatment appointment within three weeks of
 * release); reception records whether the appointment was kept.  Pure:
 * now is passed in; local days are the process's (calendar.h). */
#ifndef IDTSD_FOLLOW_UP_H
#define IDTSD_FOLLOW_UP_H

#include <stdint.h>

#include "alert.h"
#include "calendar.h"
#include "patient.h"
#include "refusal.h"
#include "validate.h"

/* The local days after the release day an appointment may be kept. */
#define FOLLOW_UP_DAYS		21
#define FOLLOW_UP_NOTE_MAX	500	/* characters */

struct follow_up {
	char			movement_id[UUID_STR_LEN];
	char			patient_id[UUID_STR_LEN];
	int64_t			released_at;
	int64_t			due_at;	/* the 21st day's end */
	int			alert_fired;	/* its alert raised */
	int			recorded;	/* outcome recorded */
	int			attended;
	struct civil_date	on;	/* the appointment's day */
	int			met;	/* attended in 21 days */
	int64_t			recorded_at;
};

void	follow_up_start(struct follow_up *, const char *movement_id,
	    const char *patient_id, int64_t released_at);
struct civil_date follow_up_last_day(const struct follow_up *);
int	follow_up_record(struct follow_up *, int attended,
	    struct civil_date on, int64_t now, struct refusal *);
const char *follow_up_state(const struct follow_up *, int64_t now);
int	follow_up_fire(struct follow_up *, int64_t now);
int64_t	follow_up_next_deadline(const struct follow_up *);
void	follow_up_alert(struct alert out[2], const struct follow_up *,
	    const struct patient *, int64_t now);

#endif
