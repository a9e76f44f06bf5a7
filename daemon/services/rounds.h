/* Where the dose rules meet the store: laying doses out ahead, opening and
 * closing their windows, counting doses not taken and holding a
 * prescription for review.  Used by the API and the scheduler, always
 * inside their transaction. */
#ifndef IDTSD_ROUNDS_H
#define IDTSD_ROUNDS_H

#include <stdint.h>

struct server;
struct prescription;
struct store_dose_row;

#include <stddef.h>

int	rounds_lay_out(struct server *, struct prescription *, int64_t now);
int	rounds_lay_out_until(struct server *, struct prescription *,
	    int64_t now, int64_t until);
void	rounds_describe(const struct store_dose_row *, char *buf,
	    size_t size);
int	rounds_not_taken(struct server *, const struct store_dose_row *,
	    int64_t now, const char *actor_id);
int	rounds_run(struct server *, int64_t now);
int	rounds_next_deadline(struct server *, int64_t *at);

#endif
