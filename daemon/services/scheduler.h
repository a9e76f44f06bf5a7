/* The deadline scheduler: one timer, armed for the earliest deadline the
 * store holds.  It keeps no state of its own. */
#ifndef IDTSD_SCHEDULER_H
#define IDTSD_SCHEDULER_H

#include <stddef.h>
#include <stdint.h>

struct batch;
struct server;

int	scheduler_item(struct server *, int ok, const char *what,
	    const char *id);
int	scheduler_each(struct server *, struct batch *, int64_t now,
	    int (*work)(struct server *, void *item, int64_t),
	    const char *what);

int	scheduler_start(struct server *);
void	scheduler_arm(struct server *);
int	scheduler_run(struct server *, int64_t now);
void	scheduler_free(struct server *);
int	scheduler_lateness(size_t, const char **name, int64_t *late_ms,
	    int64_t *ran_at);

#endif
