/* Release follow-ups: the 21-day clock of a release's community
 * appointment, and its outcome (store_follow_ups.c). */
#ifndef IDTSD_STORE_FOLLOW_UPS_H
#define IDTSD_STORE_FOLLOW_UPS_H

#include <stdint.h>

#include "follow_up.h"
#include "store.h"

enum store_result store_follow_up_insert(struct store *,
	    const struct follow_up *);
enum store_result store_follow_up_get(struct store *, const char *movement_id,
	    struct follow_up *);
enum store_result store_follow_up_record(struct store *,
	    const struct follow_up *, const char *note, const char *actor_id);
enum store_result store_follow_up_fired(struct store *,
	    const struct follow_up *);
enum store_result store_follow_ups_due(struct store *, int64_t now,
	    void (*each)(const struct follow_up *, void *), void *);
enum store_result store_follow_up_next_deadline(struct store *, int64_t *at);

#endif
