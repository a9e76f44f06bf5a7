/* Hourly tidying of what only matters for a while: expired sessions and
 * old idempotency answers. */
#ifndef IDTSD_HOUSEKEEPING_H
#define IDTSD_HOUSEKEEPING_H

struct server;

int	housekeeping_start(struct server *);
void	housekeeping_stop(void);
void	housekeeping_run(struct server *);

#endif
