/* Where the movement rules meet the store: preparing the morning dose of
 * a court, release or transfer day, warning the ward at the lead time,
 * departing (what was not given; the end of care on release), cancelling.
 * Always inside the caller's transaction. */
#ifndef IDTSD_MOVEMENTS_H
#define IDTSD_MOVEMENTS_H

#include <stdint.h>

#include "patient.h"

struct server;
struct movement;

int	movements_prepare(struct server *, struct movement *, int64_t now);
int	movements_prepare_patient(struct server *, const char *patient_id,
	    int64_t now);
int	movements_warn(struct server *, struct movement *, int64_t now);
int	movements_depart(struct server *, struct movement *, int64_t at,
	    const char *actor_id, int64_t now);
int	movements_cancel(struct server *, const struct movement *,
	    const char *actor_id, int64_t now);
int	movements_end_care(struct server *, const char *patient_id,
	    enum patient_status, const char *why, const char *actor_id,
	    int64_t at, int64_t now);
int	movements_run(struct server *, int64_t now);
int	movements_next_deadline(struct server *, int64_t *at);

#endif
