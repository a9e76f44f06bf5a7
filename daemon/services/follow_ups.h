/* Release follow-ups: the clock started when a release with a community
 * follow-up departs, and its overdue alert fired by the scheduler (the
 * rule is follow_up.c). */
#ifndef IDTSD_FOLLOW_UPS_H
#define IDTSD_FOLLOW_UPS_H

#include <stdint.h>

struct server;
struct movement;

int	follow_ups_start(struct server *, const struct movement *,
	    int64_t at, int64_t now);
int	follow_ups_run(struct server *, int64_t now);
int	follow_ups_next_deadline(struct server *, int64_t *at);

#endif
