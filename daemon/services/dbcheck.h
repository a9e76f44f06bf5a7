/* The database checked in the background after each start, while the
 * daemon serves (dbcheck.c). */
#ifndef IDTSD_DBCHECK_H
#define IDTSD_DBCHECK_H

struct server;

int	dbcheck_start(struct server *);
void	dbcheck_stop(struct server *);
int	dbcheck_in_doubt(void);

#endif
