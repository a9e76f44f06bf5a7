/* Online backups.  A backup copies the committed database through its own
 * read connection (SQLite's backup API, one read transaction: a
 * consistent snapshot) into a temporary name in backup.directory, checks
 * the copy (integrity_check, the schema version, the audit chain, whose
 * head it records), fsyncs it, renames it into place and fsyncs the
 * directory: a backup file under its final name is whole and verified.
 * Only then does it count; the oldest verified ones beyond backup.keep
 * are deleted.  Each attempt is recorded in the backups table and
 * audited; a failure, or no verified backup in two intervals, alerts the
 * managers.  The decisions are backup_plan() and backup_prune(). */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alert.h"
#include "backups.h"
#include "batch.h"
#include "log.h"
#include "scheduler.h"
#include "server.h"
#include "store.h"
#include "store_backup.h"

/* The subject of the overdue alert while no backup was ever verified. */
#define BACKUPS_NONE	"00000000-0000-0000-0000-000000000000"

/* When the schedule began: the first time the scheduler asked. */
static int64_t	backups_since;

/* Say why a backup failed (a long path is cut short). */
static void __attribute__((format(printf, 2, 3)))
backups_error(struct backup_record *b, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(b->error, sizeof b->error, fmt, ap);
	va_end(ap);
}

/* fsync a file or directory by name; -1 with errno set. */
static int
backups_sync(const char *path, int flags, int64_t *bytes)
{
	struct stat	sb;
	int		fd, rc;

	if ((fd = open(path, flags | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return -1;
	rc = fsync(fd);
	if (rc == 0 && bytes != NULL && (rc = fstat(fd, &sb)) == 0)
		*bytes = (int64_t)sb.st_size;
	close(fd);
	return rc;
}

/* The backup's final and temporary names: idtsd-<UTC time>.db in
 * backup.directory; -1 if they do not fit. */
static int
backups_names(const struct config *cfg, int64_t now, char *final,
    size_t size, char *tmp)
{
	time_t		secs = (time_t)(now / 1000);
	struct tm	tm;
	char		stamp[32];

	if (gmtime_r(&secs, &tm) == NULL ||
	    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &tm) == 0)
		return -1;
	if (snprintf(final, size, "%s/idtsd-%s.%03dZ.db",
	    cfg->backup_directory, stamp, (int)(now % 1000)) >= (int)size ||
	    snprintf(tmp, size, "%s.tmp", final) >= (int)size)
		return -1;
	return 0;
}

/* Write, check and put the backup in place; fills b (its file, size and
 * audit head), or its error.  A failed backup leaves no file. */
static int
backups_write(struct server *srv, struct backup_record *b)
{
	struct store_backup_check	c;
	const char			*dir = srv->cfg->backup_directory;
	char				tmp[BACKUP_FILE_MAX + 8];

	if (backups_names(srv->cfg, b->started_at, b->file, sizeof b->file,
	    tmp) == -1) {
		backups_error(b, "the backup's name is too long for %s",
		    dir);
		return -1;
	}
	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		backups_error(b, "cannot create %s: %m", dir);
		return -1;
	}
	if (store_backup_copy(srv->store, tmp, b->error, sizeof b->error) ==
	    -1)
		goto fail;
	if (store_backup_check(tmp, &c) == -1) {
		backups_error(b, "the copy failed its check: %s",
		    c.problem);
		goto fail;
	}
	if (backups_sync(tmp, O_RDONLY, &b->bytes) == -1 ||
	    rename(tmp, b->file) == -1 ||
	    backups_sync(dir, O_RDONLY | O_DIRECTORY, NULL) == -1) {
		backups_error(b, "cannot put %s in place: %m", b->file);
		goto fail;
	}
	b->verified = 1;
	b->audit_head = c.head_seq;
	b->audit_at = c.head_at;
	b->schema_version = c.schema_version;
	snprintf(b->audit_hash, sizeof b->audit_hash, "%s", c.head_hash);
	return 0;
fail:
	unlink(tmp);
	unlink(b->file);
	return -1;
}

/* store_backup_list's callback: keep each backup in a batch. */
static void
backups_collect(const struct backup_record *b, void *arg)
{
	batch_add(arg, b);
}

/* Delete the files of the verified backups beyond backup.keep, newest
 * kept; each recorded as pruned.  -1 if the store failed. */
static int
backups_prune(struct server *srv, int64_t now)
{
	struct backup_policy	 p = { 0, srv->cfg->backup_keep };
	struct batch		 list = BATCH_OF(struct backup_record);
	struct backup_kept	*kept = NULL;
	struct backup_record	*b;
	int			*prune = NULL, rc = -1;
	size_t			 i;

	if (store_backup_list(srv->store, 0, 1, backups_collect, &list) !=
	    STORE_OK || list.failed ||
	    (kept = calloc(list.n + 1, sizeof *kept)) == NULL ||
	    (prune = calloc(list.n + 1, sizeof *prune)) == NULL)
		goto done;
	for (i = 0; i < list.n; i++)
		kept[i].verified = ((struct backup_record *)
		    batch_item(&list, i))->verified;
	backup_prune(&p, kept, list.n, prune);
	rc = 0;
	for (i = 0; i < list.n && rc == 0; i++) {
		b = batch_item(&list, i);
		if (!prune[i])
			continue;
		if (unlink(b->file) == -1 && errno != ENOENT)
			log_warnx("backup: cannot delete %s: %m", b->file);
		else if (store_backup_pruned(srv->store, b->id, now) !=
		    STORE_OK)
			rc = -1;
		else
			log_info("backup: pruned %s", b->file);
	}
done:
	free(kept);
	free(prune);
	batch_free(&list);
	return rc;
}

/* Alert the managers that a backup failed, or is overdue. */
static int
backups_alert(struct server *srv, const char *kind, const char *subject,
    const char *message, int64_t now, const char *actor_id)
{
	struct alert_policy	policy = server_alert_policy(srv);
	struct alert		a;

	alert_raise(&a, kind, SEVERITY_URGENT, AUDIENCE_MANAGER, NULL, subject,
	    message, now, &policy);
	return store_alert_raise(srv->store, &a, now, actor_id) == STORE_OK ?
	    0 : -1;
}

/* Record and audit a backup taken or failed, alert a failure, prune. */
static int
backups_record(struct server *srv, const struct backup_record *b,
    int64_t now, const char *actor_id)
{
	char	msg[BACKUP_ERROR_MAX + 32];

	if (store_backup_insert(srv->store, b) != STORE_OK ||
	    store_audit_append(srv->store, now, actor_id, b->verified ?
	    "backup.taken" : "backup.failed", "backup", b->id,
	    json_pack("{s:s,s:I,s:b,s:I,s:s?}", "file", b->file, "bytes",
	    (json_int_t)b->bytes, "verified", b->verified, "audit_head",
	    (json_int_t)b->audit_head, "error", b->verified ? NULL :
	    b->error)) != STORE_OK)
		return -1;
	if (b->verified)
		return backups_prune(srv, now);
	snprintf(msg, sizeof msg, "backup failed: %s", b->error);
	return backups_alert(srv, "backup_failed", b->id, msg, now, actor_id);
}

/* Take a backup now, in the caller's transaction (which records it; the
 * copy is of what was committed before).  0 when verified, 1 when it
 * failed (recorded and alerted: b->error says why), -1 if the store
 * could not record it. */
int
backups_take(struct server *srv, int64_t now, const char *actor_id,
    struct backup_record *b)
{
	int	ok;

	memset(b, 0, sizeof *b);
	validate_new_uuid(b->id);
	snprintf(b->requested_by, sizeof b->requested_by, "%s", actor_id);
	b->started_at = now;
	ok = backups_write(srv, b) == 0;
	b->finished_at = now;
	if (ok)
		log_info("backup: %s, %lld bytes, audit head %lld", b->file,
		    (long long)b->bytes, (long long)b->audit_head);
	else
		log_warnx("backup failed: %s", b->error);
	if (backups_record(srv, b, now, actor_id) == -1)
		return -1;
	return ok ? 0 : 1;
}

/* What the record says so far, for backup_plan(). */
static int
backups_history(struct server *srv, struct backup_history *h,
    char verified_id[UUID_STR_LEN])
{
	struct backup_record	b;
	enum store_result	r;

	if (backups_since == 0)
		backups_since = clock_now(&srv->clock);
	memset(h, 0, sizeof *h);
	h->since = backups_since;
	snprintf(verified_id, UUID_STR_LEN, "%s", BACKUPS_NONE);
	if ((r = store_backup_last(srv->store, 0, &b)) == STORE_OK)
		h->last_attempt = b.started_at;
	else if (r != STORE_NOT_FOUND)
		return -1;
	if ((r = store_backup_last(srv->store, 1, &b)) == STORE_OK) {
		h->last_verified = b.started_at;
		snprintf(verified_id, UUID_STR_LEN, "%s", b.id);
	} else if (r != STORE_NOT_FOUND)
		return -1;
	return 0;
}

/* The scheduler's question: when is a backup next due, or overdue. */
int
backups_next_deadline(struct server *srv, int64_t *at)
{
	struct backup_policy	p = { (int64_t)srv->cfg->backup_interval *
				    60000, srv->cfg->backup_keep };
	struct backup_history	h;
	struct backup_decision	d;
	char			id[UUID_STR_LEN];

	if (backups_history(srv, &h, id) == -1)
		return -1;
	backup_plan(&p, &h, clock_now(&srv->clock), &d);
	*at = d.next_at;
	return 0;
}

/* The scheduler's pass: alert an overdue backup once for the last
 * verified one, and take one if due.  Returns how many failed. */
int
backups_run(struct server *srv, int64_t now)
{
	struct backup_policy	p = { (int64_t)srv->cfg->backup_interval *
				    60000, srv->cfg->backup_keep };
	struct backup_history	h;
	struct backup_decision	d;
	struct backup_record	b;
	char			id[UUID_STR_LEN];
	int			exists, ok;

	if (backups_history(srv, &h, id) == -1)
		return 1;
	backup_plan(&p, &h, now, &d);
	if (!d.overdue && !d.due)
		return 0;
	if (store_savepoint(srv->store) != STORE_OK)
		return 1;
	ok = !d.overdue || (store_alert_exists(srv->store, "backup_overdue",
	    id, &exists) == STORE_OK && (exists || backups_alert(srv,
	    "backup_overdue", id, "no verified backup for two backup "
	    "intervals: see idtsd(8), BACKUP AND RESTORE", now, "") == 0));
	if (ok && d.due)
		ok = backups_take(srv, now, "", &b) != -1;
	return scheduler_item(srv, ok, "take a backup", "now");
}
