/* The continuity clocks' deadlines: warnings and breaches fired by the
 * scheduler (the rule is continuity_fire()). */
#ifndef IDTSD_CLOCKS_H
#define IDTSD_CLOCKS_H

#include <stdint.h>

struct server;

int	clocks_run(struct server *, int64_t now);
int	clocks_next_deadline(struct server *, int64_t *at);

#endif
