/* The deadline scheduler: one timer, armed for the earliest deadline the
 * store holds.  It keeps no state of its own. */
#ifndef IDTSD_SCHEDULER_H
#define IDTSD_SCHEDULER_H

#include <stdint.h>

struct server;

int	scheduler_start(struct server *);
void	scheduler_arm(struct server *);
int	scheduler_run(struct server *, int64_t now);
void	scheduler_free(struct server *);

#endif
