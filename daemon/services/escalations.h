/* Alerts not acknowledged in time, escalated to the managers. */
#ifndef IDTSD_ESCALATIONS_H
#define IDTSD_ESCALATIONS_H

#include <stdint.h>

struct server;

int	escalations_run(struct server *, int64_t now);
int	escalations_next_deadline(struct server *, int64_t *at);

#endif
