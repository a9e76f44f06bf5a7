/* Online backups in the store (store_backup.c): the copy, its check, and
 * the backups table.  GET /metrics may read the last backup with
 * store_backup_last(). */
#ifndef IDTSD_STORE_BACKUP_H
#define IDTSD_STORE_BACKUP_H

#include <stddef.h>
#include <stdint.h>

#include "backup.h"
#include "store.h"

/* What checking a copy found. */
struct store_backup_check {
	int	schema_version;
	int64_t	entries;		/* in the audit chain */
	int64_t	head_seq, head_at;	/* its last entry; 0 if none */
	char	head_action[64];
	char	head_hash[BACKUP_HASH_LEN];
	char	problem[BACKUP_ERROR_MAX];	/* the first check failed */
};

int	store_backup_make(const char *path, const char *final,
	    struct store_backup_check *, int64_t *bytes, char *why,
	    size_t size);
int	store_backup_check(const char *path, struct store_backup_check *);
int	store_backup_idle(const char *path, char *why, size_t size);
enum store_result store_backup_insert(struct store *,
	    const struct backup_record *);
/* Which backups a list is of. */
enum store_backups {
	STORE_BACKUPS_ALL,
	STORE_BACKUPS_UNPRUNED,	/* whose file is still there */
	STORE_BACKUPS_VERIFIED,
};

enum store_result store_backup_list(struct store *, int limit,
	    enum store_backups,
	    void (*each)(const struct backup_record *, void *), void *arg);
enum store_result store_backup_last(struct store *, int verified_only,
	    struct backup_record *);
enum store_result store_backup_pruned(struct store *, const char *id,
	    int64_t now);

#endif
