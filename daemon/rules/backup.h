/* When to take an online backup, when the lack of one is overdue, and
 * which old ones to prune.  Pure: now is passed in. */
#ifndef IDTSD_BACKUP_H
#define IDTSD_BACKUP_H

#include <stddef.h>
#include <stdint.h>

#include "validate.h"

#define BACKUP_FILE_MAX		4096
#define BACKUP_ERROR_MAX	256
#define BACKUP_HASH_LEN		65	/* an audit hash: 64 hex digits */

/* backup.interval and backup.keep. */
struct backup_policy {
	int64_t	interval_ms;	/* 0: on demand only, nothing scheduled */
	int	keep;		/* verified backups kept, at least 1 */
};

/* What the record says of the backups so far. */
struct backup_history {
	int64_t	last_attempt;	/* the last one started, verified or not; 0 */
	int64_t	last_verified;	/* the last verified one; 0: none */
	int64_t	since;		/* when the schedule began (the start-up) */
	int	running;	/* a scheduled one is being taken now */
};

/* What backup_plan() decides. */
struct backup_decision {
	int	due;		/* take one now */
	int	overdue;	/* none verified within two intervals */
	int64_t	next_at;	/* when to ask again; 0: never */
};

/* One backup as pruning sees it, in the order they were taken. */
struct backup_kept {
	int	verified;
	int	pruned;		/* its file is gone already */
};

/* One backup taken, or attempted, as the backups table records it. */
struct backup_record {
	char	id[UUID_STR_LEN];
	int64_t	started_at, finished_at;
	char	file[BACKUP_FILE_MAX];		/* where it is, or was to be */
	int64_t	bytes;
	int	verified;
	int64_t	audit_head;			/* the copy's last seq */
	int64_t	audit_at;			/* and its time */
	char	audit_hash[BACKUP_HASH_LEN];
	int	schema_version;
	char	error[BACKUP_ERROR_MAX];	/* why it failed, or "" */
	char	requested_by[UUID_STR_LEN];	/* "" for the schedule */
	int64_t	pruned_at;			/* its file deleted; or 0 */
};

void	backup_plan(const struct backup_policy *,
	    const struct backup_history *, int64_t now,
	    struct backup_decision *);
size_t	backup_prune(const struct backup_policy *,
	    const struct backup_kept *newest_first, size_t n, int *prune);

#endif
