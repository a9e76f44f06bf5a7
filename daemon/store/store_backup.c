/* Online backups: a copy of the committed database by SQLite's backup
 * API, the check of a copy (integrity, schema version, the audit chain)
 * that both a backup and idtsd --restore make, and the backups table. */
#include <sys/stat.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "store_backup.h"
#include "store_internal.h"
#include "store_schema.h"

#define BACKUP_COLUMNS \
	"id, started_at, finished_at, file, bytes, verified, audit_head, " \
	"audit_at, audit_hash, schema_version, error, requested_by, pruned_at"

/* Say why, as "what: SQLite's message". */
static int
store_backup_why(sqlite3 *db, const char *what, char *why, size_t size)
{
	snprintf(why, size, "%s: %s", what, db ? sqlite3_errmsg(db) :
	    "out of memory");
	return -1;
}

/* Copy the database at path as it was last committed into dest, a file
 * that must not exist yet, created 0600.  The copy is read through a
 * connection of its own, in one read transaction: a consistent snapshot
 * however the daemon writes meanwhile (write-ahead logging lets it), with
 * nothing of a transaction not yet committed.  The copy is left in
 * rollback-journal mode, a single file that needs no -wal to be read. */
static int
store_backup_copy(const char *path, const char *dest, char *why,
    size_t size)
{
	sqlite3		*src = NULL, *dst = NULL;
	sqlite3_backup	*b;
	int		 fd, rc = -1;

	if ((fd = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) == -1) {
		snprintf(why, size, "cannot create %s: %m", dest);
		return -1;
	}
	close(fd);
	if (sqlite3_open_v2(path, &src, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK)
		store_backup_why(src, "opening the database to copy", why,
		    size);
	else if (sqlite3_busy_timeout(src, 1000) != SQLITE_OK)
		store_backup_why(src, "setting the busy timeout", why, size);
	else if (sqlite3_open_v2(dest, &dst, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK)
		store_backup_why(dst, dest, why, size);
	else if ((b = sqlite3_backup_init(dst, "main", src, "main")) == NULL)
		store_backup_why(dst, "starting the backup", why, size);
	else if (sqlite3_backup_step(b, -1) != SQLITE_DONE ||
	    sqlite3_backup_finish(b) != SQLITE_OK)
		store_backup_why(dst, "copying", why, size);
	else if (sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL,
	    NULL) != SQLITE_OK)
		store_backup_why(dst, "leaving write-ahead logging", why,
		    size);
	else
		rc = 0;
	sqlite3_close(src);
	if (dst != NULL && sqlite3_close(dst) != SQLITE_OK && rc == 0)
		rc = store_backup_why(dst, "closing the copy", why, size);
	return rc;
}

/* fsync a file or a directory by name; its size in *bytes if asked. */
static int
store_backup_sync(const char *path, int flags, int64_t *bytes)
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

/* Make a backup of the database at path as final, in its directory: copy
 * it to final's temporary name (".tmp" added), check the copy, fsync it,
 * give it its final name and fsync the directory, so that a file under its
 * final name is whole, verified and durable.  c gets what the check
 * found, *bytes the size.  0, or -1 with why, and no file left. */
int
store_backup_make(const char *path, const char *final,
    struct store_backup_check *c, int64_t *bytes, char *why, size_t size)
{
	char	tmp[PATH_MAX + 8], dir[PATH_MAX], *slash;

	memset(c, 0, sizeof *c);
	snprintf(dir, sizeof dir, "%s", final);
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	if (snprintf(tmp, sizeof tmp, "%s.tmp", final) >= (int)sizeof tmp ||
	    slash == NULL) {
		snprintf(why, size, "%s is not a path to a file in a "
		    "directory", final);
		return -1;
	}
	if (store_backup_copy(path, tmp, why, size) == -1)
		goto fail;
	if (store_backup_check(tmp, c) == -1) {
		snprintf(why, size, "the copy failed its check: %s",
		    c->problem);
		goto fail;
	}
	/* link(), not rename(): never over a backup of the same name (the
	 * clock stepped back to the same millisecond). */
	if (store_backup_sync(tmp, O_RDONLY, bytes) == -1 ||
	    link(tmp, final) == -1) {
		snprintf(why, size, "cannot put %s in place: %m", final);
		goto fail;
	}
	unlink(tmp);
	if (store_backup_sync(dir, O_RDONLY | O_DIRECTORY, NULL) == -1) {
		snprintf(why, size, "cannot make %s durable: %m", final);
		unlink(final);
		return -1;
	}
	return 0;
fail:
	unlink(tmp);
	return -1;
}

/* sqlite3_exec's callback: keep the first row's first column. */
static int
store_backup_first(void *arg, int n, char **values, char **names)
{
	char	*out = arg;

	(void)names;
	if (out[0] == '\0' && n > 0)
		snprintf(out, BACKUP_ERROR_MAX, "%s", values[0] ? values[0] :
		    "");
	return 0;
}

/* The copy's last audit entry. */
static int
store_backup_head(struct store *s, struct store_backup_check *c)
{
	static const char sql[] = "SELECT seq, at, action, hash FROM audit "
	    "ORDER BY seq DESC LIMIT 1";
	sqlite3_stmt	*st = store_stmt(s, sql);
	int		 rc;

	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		c->head_seq = sqlite3_column_int64(st, 0);
		c->head_at = sqlite3_column_int64(st, 1);
		store_copy_text(st, 2, c->head_action, sizeof c->head_action);
		store_copy_text(st, 3, c->head_hash, sizeof c->head_hash);
	}
	store_done(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* The checks, in order, on an open copy; c->problem says the first that
 * failed. */
static int
store_backup_verify(struct store *s, struct store_backup_check *c)
{
	struct audit_check	ac;
	char			ok[BACKUP_ERROR_MAX] = "";

	if ((c->schema_version = store_schema_version(s)) < 0)
		return store_backup_why(s->db, "not a database", c->problem,
		    sizeof c->problem);
	if (c->schema_version > store_migration_count) {
		snprintf(c->problem, sizeof c->problem, "it has schema "
		    "version %d, written by a newer idtsd; this one knows up "
		    "to %d", c->schema_version, store_migration_count);
		return -1;
	}
	if (c->schema_version == 0) {
		snprintf(c->problem, sizeof c->problem, "it is not an idtsd "
		    "database (schema version 0)");
		return -1;
	}
	if (sqlite3_exec(s->db, "PRAGMA integrity_check", store_backup_first,
	    ok, NULL) != SQLITE_OK || strcmp(ok, "ok") != 0) {
		snprintf(c->problem, sizeof c->problem, "integrity_check: %s",
		    ok[0] ? ok : sqlite3_errmsg(s->db));
		return -1;
	}
	if (store_audit_verify(s, NULL, &ac) != STORE_OK ||
	    store_backup_head(s, c) == -1)
		return store_backup_why(s->db, "reading the audit log",
		    c->problem, sizeof c->problem);
	c->entries = ac.entries;
	if (ac.problem != AUDIT_OK) {
		snprintf(c->problem, sizeof c->problem, "the audit trail "
		    "fails its check: %s (entry %lld%s%s%s%s)",
		    audit_problem_name(ac.problem), (long long)ac.seq,
		    ac.table[0] ? ", " : "", ac.table, ac.id[0] ? " " : "",
		    ac.id);
		return -1;
	}
	return 0;
}

/* Check a backup, read-only: a database of a schema this idtsd knows,
 * whole by integrity_check, its audit chain whole; c gets its last audit
 * entry.  0, or -1 with c->problem saying what failed first. */
int
store_backup_check(const char *path, struct store_backup_check *c)
{
	struct store	*s;
	int		 rc = -1;

	memset(c, 0, sizeof *c);
	if ((s = calloc(1, sizeof *s)) == NULL) {
		snprintf(c->problem, sizeof c->problem, "out of memory");
		return -1;
	}
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK)
		store_backup_why(s->db, path, c->problem, sizeof c->problem);
	else {
		sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
		sqlite3_db_config(s->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0,
		    NULL);
		rc = store_backup_verify(s, c);
	}
	store_close(s);
	return rc;
}

/* Record a backup taken or attempted. */
enum store_result
store_backup_insert(struct store *s, const struct backup_record *b)
{
	static const char sql[] = "INSERT INTO backups (" BACKUP_COLUMNS
	    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, b->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, b->started_at);
	sqlite3_bind_int64(st, 3, b->finished_at);
	sqlite3_bind_text(st, 4, b->file, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, b->bytes);
	sqlite3_bind_int(st, 6, b->verified);
	if (b->verified) {
		sqlite3_bind_int64(st, 7, b->audit_head);
		sqlite3_bind_int64(st, 8, b->audit_at);
		sqlite3_bind_text(st, 9, b->audit_hash, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 10, b->schema_version);
	} else
		sqlite3_bind_text(st, 11, b->error, -1, SQLITE_STATIC);
	store_bind_optional(st, 12, b->requested_by);
	store_bind_instant(st, 13, b->pruned_at);
	return store_step_done(s, st);
}

/* Read the backup in the current row of st. */
static void
store_backup_row(sqlite3_stmt *st, struct backup_record *b)
{
	memset(b, 0, sizeof *b);
	store_copy_text(st, 0, b->id, sizeof b->id);
	b->started_at = sqlite3_column_int64(st, 1);
	b->finished_at = sqlite3_column_int64(st, 2);
	store_copy_text(st, 3, b->file, sizeof b->file);
	b->bytes = sqlite3_column_int64(st, 4);
	b->verified = sqlite3_column_int(st, 5);
	b->audit_head = sqlite3_column_int64(st, 6);
	b->audit_at = sqlite3_column_int64(st, 7);
	store_copy_text(st, 8, b->audit_hash, sizeof b->audit_hash);
	b->schema_version = sqlite3_column_int(st, 9);
	store_copy_text(st, 10, b->error, sizeof b->error);
	store_copy_text(st, 11, b->requested_by, sizeof b->requested_by);
	b->pruned_at = sqlite3_column_int64(st, 12);
}

/* The backups, newest (the last taken) first, of those which selects:
 * at most limit, or all when limit is 0. */
enum store_result
store_backup_list(struct store *s, int limit, enum store_backups which,
    void (*each)(const struct backup_record *, void *), void *arg)
{
	static const char *const sql[] = {
	    "SELECT " BACKUP_COLUMNS " FROM backups "
	    "ORDER BY rowid DESC LIMIT ?1",
	    "SELECT " BACKUP_COLUMNS " FROM backups WHERE pruned_at IS NULL "
	    "ORDER BY rowid DESC LIMIT ?1",
	    "SELECT " BACKUP_COLUMNS " FROM backups WHERE verified = 1 "
	    "ORDER BY rowid DESC LIMIT ?1",
	};
	sqlite3_stmt		*st = store_stmt(s, sql[which]);
	struct backup_record	 b;
	int			 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int(st, 1, limit > 0 ? limit : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_backup_row(st, &b);
		each(&b, arg);
	}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(s, rc, "backups");
}

/* store_backup_last's callback: keep the one backup. */
static void
store_backup_keep(const struct backup_record *b, void *arg)
{
	struct backup_record	*out = arg;

	*out = *b;
}

/* The last backup attempted, or the last verified, for GET /metrics and
 * the schedule: STORE_NOT_FOUND if there has been none. */
enum store_result
store_backup_last(struct store *s, int verified_only, struct backup_record *b)
{
	enum store_result	r;

	b->id[0] = '\0';
	r = store_backup_list(s, 1, verified_only ? STORE_BACKUPS_VERIFIED :
	    STORE_BACKUPS_ALL, store_backup_keep, b);
	if (r == STORE_OK && b->id[0] == '\0')
		return STORE_NOT_FOUND;
	return r;
}

/* Record that a backup's file was deleted. */
enum store_result
store_backup_pruned(struct store *s, const char *id, int64_t now)
{
	static const char sql[] = "UPDATE backups SET pruned_at = ?2 "
	    "WHERE id = ?1";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	return store_step_done(s, st);
}

/* Whether another process has the database open: every connection to a
 * write-ahead-logging database holds a read lock on the "DMS" byte of its
 * -shm file (offset 128: https://www.sqlite.org/walformat.html) for as
 * long as it is open, idle or not. */
static int
store_backup_shm_held(const char *path)
{
	struct flock	lk;
	char		shm[PATH_MAX + 8];
	int		fd, held;

	snprintf(shm, sizeof shm, "%s-shm", path);
	if ((fd = open(shm, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return 0;
	memset(&lk, 0, sizeof lk);
	lk.l_type = F_WRLCK;
	lk.l_whence = SEEK_SET;
	lk.l_start = 128;
	lk.l_len = 1;
	held = fcntl(fd, F_GETLK, &lk) == -1 || lk.l_type != F_UNLCK;
	close(fd);
	return held;
}

/* Whether no other process has the database open (idtsd --restore must
 * not replace it under a running daemon).  Opening and closing it then
 * checkpoints its write-ahead log, so that the database file is whole by
 * itself.  0 if idle or absent; -1 with why. */
int
store_backup_idle(const char *path, char *why, size_t size)
{
	sqlite3	*db = NULL;
	int	 rc;

	if (access(path, F_OK) == -1)
		return 0;
	if (store_backup_shm_held(path)) {
		snprintf(why, size, "%s is open in another process (is idtsd "
		    "running? stop it first)", path);
		return -1;
	}
	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOFOLLOW, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "BEGIN IMMEDIATE; ROLLBACK", NULL, NULL,
		    NULL);
	if (rc != SQLITE_OK)
		store_backup_why(db, path, why, size);
	if (db != NULL && sqlite3_close(db) != SQLITE_OK && rc == SQLITE_OK)
		rc = store_backup_why(db, "closing it", why, size);
	return rc == SQLITE_OK ? 0 : -1;
}
