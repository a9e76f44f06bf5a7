/* Online backups: taken on the schedule (a deadline source of the
 * scheduler) and on demand (POST /v1/backups), verified, recorded,
 * pruned, and alerted when they fail or are overdue. */
#ifndef IDTSD_BACKUPS_H
#define IDTSD_BACKUPS_H

#include <stdint.h>

#include "backup.h"

struct server;

/* What a backup asked for calls once it is recorded: rc 0 verified, 1
 * failed, -1 not recorded (the store failed). */
typedef void (*backups_done_fn)(const struct backup_record *, int rc,
    void *arg);

int	backups_ask(struct server *, int64_t now, const char *actor_id,
	    backups_done_fn, void *arg, struct backup_record *);
int	backups_child(const char *final, const char *database);
int	backups_next_deadline(struct server *, int64_t *at);
int	backups_run(struct server *, int64_t now);
void	backups_stop(void);

#endif
