/* Where the dose rules meet the store: laying doses out ahead, opening and
 * closing their windows, counting doses not taken and holding a
 * prescription for review.  Used by the API and the scheduler, always
 * inside their transaction. */
#ifndef IDTSD_ROUNDS_H
#define IDTSD_ROUNDS_H

#include <stddef.h>
#include <stdint.h>

#include "dose.h"

struct server;
struct prescription;
struct store_dose_row;

int	rounds_lay_out(struct server *, struct prescription *, int64_t now);
int	rounds_lay_out_until(struct server *, struct prescription *,
	    int64_t now, int64_t until);
void	rounds_describe(const struct store_dose_row *, char *buf,
	    size_t size);
int	rounds_hold_recount(struct server *, const struct store_dose_row *,
	    const enum dose_state *closed, size_t n, int64_t now,
	    const char *actor_id);
int	rounds_hold_event(struct server *, const struct store_dose_row *,
	    enum dose_hold_event, int64_t now, const char *actor_id);
int	rounds_close_apply(struct server *, struct store_dose_row *,
	    const struct dose_close *, int64_t now, const char *actor_id);
int	rounds_audit_dose(struct server *, const char *action,
	    const struct dose *, int64_t now, const char *actor_id);
int	rounds_run(struct server *, int64_t now);
int	rounds_next_deadline(struct server *, int64_t *at);

#endif
