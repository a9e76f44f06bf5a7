/* Where the observation rules meet the store: starting a plan, recording
 * an observation against its due, extending a plan, and the scheduler's
 * warnings and misses.  Always inside the caller's transaction. */
#ifndef IDTSD_OBSERVING_H
#define IDTSD_OBSERVING_H

#include <stdint.h>

struct server;
struct patient;
struct observation;
struct observation_plan;
struct store_error_mark;

int	observing_start(struct server *, const struct patient *,
	    int64_t flagged_at, int64_t now, const char *actor_id);
int	observing_record(struct server *, const struct patient *,
	    struct observation *, const char *actor_id);
int	observing_extend(struct server *, struct observation_plan *,
	    int64_t until, int64_t now);
int	observing_depart(struct server *, const char *patient_id,
	    int64_t at, int64_t now);
int	observing_return(struct server *, const char *patient_id,
	    int64_t at, int64_t now);
int	observing_strike(struct server *, const struct observation *,
	    const struct store_error_mark *, int64_t *next_due_at);
int	observing_run(struct server *, int64_t now);
int	observing_next_deadline(struct server *, int64_t *at);

#endif
