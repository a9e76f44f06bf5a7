/* The one SQLite connection: opened with WAL, synchronous=FULL, foreign
 * keys and defensive mode, checked, migrated, and the cache of prepared
 * statements every store_*.c file uses. */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json_alloc.h"
#include "log.h"
#include "store_check.h"
#include "store_internal.h"
#include "store_schema.h"

/* The statements that undo: prepared when the store opens, so that they
 * need no memory when they run.  A ROLLBACK compiled by sqlite3_exec()
 * could itself fail for want of memory and leave the transaction open, and
 * every BEGIN after it failed: one failed allocation in stream_publish()'s
 * read transaction made the daemon answer 503 to everything from then on
 * (found by tests/faults/alloc_faults.sh). */
static const char store_sql_rollback[] = "ROLLBACK";
static const char store_sql_rollback_to[] = "ROLLBACK TO item";
static const char store_sql_release[] = "RELEASE item";

/* Run a pragma or statement that returns nothing of interest. */
static int
store_exec(struct store *s, const char *sql, char **cause)
{
	char	*err = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		if (asprintf(cause, "%s: %s", sql, err ? err :
		    sqlite3_errmsg(s->db)) == -1)
			*cause = NULL;
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

/* Run a one-row, one-column query into a string. */
static int
store_query_text(struct store *s, const char *sql, char *out, size_t size)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		snprintf(out, size, "%s", (const char *)sqlite3_column_text(st,
		    0) ? (const char *)sqlite3_column_text(st, 0) : "");
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* The schema version recorded in the database. */
int
store_schema_version(struct store *s)
{
	char	v[32];

	if (store_query_text(s, "PRAGMA user_version", v, sizeof v) == -1)
		return -1;
	return atoi(v);
}

/* Whether the foreign keys hold: PRAGMA foreign_key_check names no row. */
static int
store_foreign_keys_hold(struct store *s, char **cause)
{
	char	table[128];

	if (store_query_text(s, "PRAGMA foreign_key_check", table,
	    sizeof table) == -1)
		return 0;
	if (asprintf(cause, "a migration broke a foreign key in %s", table)
	    == -1)
		*cause = NULL;
	return -1;
}

/* Apply every migration newer than the database, each in its own
 * transaction with its user_version.  Foreign keys are off while they run,
 * as SQLite's procedure for rebuilding a table asks, and checked before
 * each commit instead. */
static int
store_migrate(struct store *s, char **cause)
{
	int	 version = store_schema_version(s), i;
	char	 sql[64];

	if (version < 0) {
		*cause = strdup("cannot read the schema version");
		return -1;
	}
	if (version > store_migration_count) {
		if (asprintf(cause, "the database has schema version %d, "
		    "written by a newer idtsd; this one knows up to %d and "
		    "will not touch it", version, store_migration_count) == -1)
			*cause = NULL;
		return -1;
	}
	for (i = version; i < store_migration_count; i++) {
		log_info("applying schema migration %s",
		    store_migrations[i].name);
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d",
		    store_migrations[i].version);
		if (store_exec(s, "BEGIN IMMEDIATE", cause) == -1)
			return -1;
		if (store_exec(s, store_migrations[i].sql, cause) == -1 ||
		    store_foreign_keys_hold(s, cause) == -1 ||
		    store_exec(s, sql, cause) == -1 ||
		    store_exec(s, "COMMIT", cause) == -1) {
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
	}
	return 0;
}

/* Open the connection and turn write-ahead logging on (which makes the
 * -wal and -shm files); 0, or -1 with *cause. */
static int
store_connect(struct store *s, const char *path, char **cause)
{
	char	mode[16];

	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK) {
		if (asprintf(cause, "%s: %s", path, s->db ?
		    sqlite3_errmsg(s->db) : "out of memory") == -1)
			*cause = NULL;
		return -1;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 5000);
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	if (store_query_text(s, "PRAGMA journal_mode = WAL", mode,
	    sizeof mode) == -1 || strcmp(mode, "wal") != 0) {
		if (asprintf(cause, "%s: cannot use write-ahead logging", path)
		    == -1)
			*cause = NULL;
		return -1;
	}
	return 0;
}

/* Narrow a database file made readable by others before (0644 under the
 * usual umask, outside systemd) to its owner alone; a file that is not
 * there, or a link, is left be. */
static void
store_narrow(const char *file)
{
	struct stat	st;
	int		fd;

	if ((fd = open(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (st.st_mode & 077) != 0) {
		if (fchmod(fd, st.st_mode & 0700) == -1)
			log_warn("%s is readable by others and cannot be "
			    "narrowed", file);
		else
			log_info("%s was readable by others: now by its "
			    "owner alone", file);
	}
	close(fd);
}

/* The database holds clinical records: it and its -wal and -shm (which
 * SQLite makes with the database's own mode) are the owner's alone.  Run
 * before SQLite opens them: closing a descriptor of a file drops every
 * POSIX lock the process holds on it, SQLite's too, and another process
 * would then take the write-ahead log for abandoned and delete it. */
static void
store_private(const char *path)
{
	static const char *const suffix[] = { "", "-wal", "-shm" };
	char		 file[4096];
	size_t		 i;

	for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++)
		if ((size_t)snprintf(file, sizeof file, "%s%s", path,
		    suffix[i]) < sizeof file)
			store_narrow(file);
}

/* The row of meta that says when the daemon last stopped cleanly: 0 (or
 * no row) from its start until a clean stop, and so after a crash. */
#define STORE_CLEAN_STOP	"clean_stop_at"

/* When the daemon last stopped cleanly, or 0.  Read before migrating:
 * meta is in every version of the schema since the first. */
static int64_t
store_clean_stop_at(struct store *s)
{
	char	v[32];

	if (store_query_text(s, "SELECT value FROM meta WHERE name = '"
	    STORE_CLEAN_STOP "'", v, sizeof v) == -1)
		return 0;
	return strtoll(v, NULL, 10);
}

/* After a stop that was not clean (a crash, kill -9, the power lost, a
 * database this idtsd never stopped), quick_check before serving: the
 * damage a torn write leaves is found before anything is read or
 * written.  After a clean stop the whole check (integrity_check) runs in
 * the background instead (services/dbcheck.c), as it does after every
 * start; quick_check took 1.5 to 2 seconds with 1,000,000 rows. */
static int
store_check_unclean(struct store *s, const char *path, int64_t clean_at,
    char **cause)
{
	char	check[256];
	int64_t	t0 = store_check_ms();

	if (clean_at > 0) {
		log_info("the last stop was clean: the database is checked in "
		    "the background");
		return 0;
	}
	log_info("the last stop was not clean: checking the database "
	    "(quick_check) before serving");
	if (store_query_text(s, "PRAGMA quick_check", check, sizeof check)
	    == -1)
		snprintf(check, sizeof check, "%s", sqlite3_errmsg(s->db));
	if (strcmp(check, "ok") != 0) {
		if (asprintf(cause, "%s: the database failed its quick check: "
		    "%s", path, check) == -1)
			*cause = NULL;
		return -1;
	}
	log_info("quick_check passed (%lld ms)",
	    (long long)(store_check_ms() - t0));
	return 0;
}

/* Record a clean stop, as the last transaction before closing. */
enum store_result
store_record_clean_stop(struct store *s, int64_t now)
{
	return store_meta_set(s, STORE_CLEAN_STOP, now);
}

/* The clean stop store_open() found (and set back to 0), or 0 if the
 * last stop was not clean or a daemon is running on the file now. */
int64_t
store_clean_stop_found(struct store *s)
{
	return s->clean_stop_found;
}

/* Whether store_open() made the schema: no daemon had opened the file. */
int
store_created(struct store *s)
{
	return s->created;
}

/* Open (creating if need be), configure, check and migrate the database.
 * Whatever the umask, a database made here is 0600, and so are its -wal
 * and -shm. */
int
store_open(const char *path, struct store **out, char **cause)
{
	struct store	*s;
	mode_t		 mask;
	int64_t		 clean_at;
	int		 rc;

	*cause = NULL;
	if ((s = calloc(1, sizeof *s)) == NULL) {
		*cause = strdup("out of memory");
		return -1;
	}
	store_private(path);
	mask = umask(077);
	rc = store_connect(s, path, cause);
	umask(mask);
	if (rc == -1)
		goto fail;
	if (store_exec(s, "PRAGMA synchronous = FULL", cause) == -1)
		goto fail;
	clean_at = store_clean_stop_at(s);
	s->created = store_schema_version(s) == 0;
	if (store_check_unclean(s, path, clean_at, cause) == -1 ||
	    store_migrate(s, cause) == -1 ||
	    store_exec(s, "PRAGMA foreign_keys = ON", cause) == -1)
		goto fail;
	s->clean_stop_found = clean_at;
	/* Running now: a crash from here on is not a clean stop. */
	if (clean_at > 0 && store_exec(s, "UPDATE meta SET value = 0 WHERE "
	    "name = '" STORE_CLEAN_STOP "'", cause) == -1)
		goto fail;
	if (store_stmt(s, store_sql_rollback) == NULL ||
	    store_stmt(s, store_sql_rollback_to) == NULL ||
	    store_stmt(s, store_sql_release) == NULL) {
		if (asprintf(cause, "%s: cannot prepare ROLLBACK: %s", path,
		    sqlite3_errmsg(s->db)) == -1)
			*cause = NULL;
		goto fail;
	}
	*out = s;
	return 0;
fail:
	store_close(s);
	return -1;
}

/* Finalize every statement and close the connection, which checkpoints
 * the write-ahead log. */
void
store_close(struct store *s)
{
	int	i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nstmts; i++)
		sqlite3_finalize(s->stmts[i].stmt);
	free(s->stmts);
	if (s->db != NULL && sqlite3_close(s->db) != SQLITE_OK)
		log_warnx("closing the database: %s", sqlite3_errmsg(s->db));
	free(s);
}

/* Whether the transaction begun is gone.  After some errors (SQLITE_NOMEM,
 * SQLITE_IOERR, SQLITE_FULL) SQLite rolls the whole transaction back by
 * itself; every statement after that would commit on its own, in
 * autocommit mode.  A request that went on past a failure it can do
 * without (the prescriber's name in an answer, say) then stored its audit
 * entry and its idempotency record without the rest, and a retry under
 * its key replayed a 201 for a prescription that was never stored (found
 * by tests/faults/alloc_faults.sh).  So nothing runs until the
 * transaction is ended. */
static int
store_transaction_lost(struct store *s)
{
	if (!s->in_transaction || !sqlite3_get_autocommit(s->db))
		return 0;
	log_warnx("store: SQLite rolled the transaction back after an error; "
	    "nothing more runs in it");
	return 1;
}

/* The prepared statement for sql, prepared on first use.  sql must be a
 * string with static storage: it is the cache key.  NULL if it cannot be
 * prepared, or if the transaction is lost (store_transaction_lost). */
sqlite3_stmt *
store_stmt(struct store *s, const char *sql)
{
	struct store_cached	*grown;
	sqlite3_stmt		*st;
	int			 i;

	if (store_transaction_lost(s))
		return NULL;
	for (i = 0; i < s->nstmts; i++)
		if (s->stmts[i].sql == sql)
			return s->stmts[i].stmt;
	if (s->nstmts == s->cap) {
		grown = reallocarray(s->stmts, s->cap ? 2 * (size_t)s->cap : 64,
		    sizeof *grown);
		if (grown == NULL)
			return NULL;
		s->stmts = grown;
		s->cap = s->cap ? 2 * s->cap : 64;
	}
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
	    NULL) != SQLITE_OK) {
		log_warnx("preparing \"%s\": %s", sql, sqlite3_errmsg(s->db));
		return NULL;
	}
	s->stmts[s->nstmts].sql = sql;
	s->stmts[s->nstmts++].stmt = st;
	return st;
}

/* Reset a statement after use so it holds no lock and no bound data. */
void
store_done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

/* Log a failure and say what kind it was. */
enum store_result
store_failed(struct store *s, int rc, const char *what)
{
	if ((rc & 0xff) == SQLITE_CONSTRAINT &&
	    (rc == SQLITE_CONSTRAINT_UNIQUE ||
	    rc == SQLITE_CONSTRAINT_PRIMARYKEY))
		return STORE_CONFLICT;
	log_warnx("store: %s: %s (%d)", what, sqlite3_errmsg(s->db), rc);
	return STORE_ERROR;
}

/* Step a statement that returns no rows, then reset it. */
enum store_result
store_step_done(struct store *s, sqlite3_stmt *st)
{
	enum store_result	 r = STORE_OK;
	int			 rc;

	if (store_transaction_lost(s)) {
		store_done(st);
		return STORE_ERROR;
	}
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		r = store_failed(s, rc, sqlite3_sql(st));
	store_done(st);
	return r;
}

/* Run a statement that yields one integer (a count, a minimum), with an
 * optional int64 bound to ?1; NULL reads as 0. */
enum store_result
store_one_int64(struct store *s, const char *sql, const int64_t *bind,
    int64_t *out)
{
	sqlite3_stmt	*st = store_stmt(s, sql);
	int		 rc;

	if (st == NULL)
		return STORE_ERROR;
	if (bind != NULL)
		sqlite3_bind_int64(st, 1, *bind);
	rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	store_done(st);
	return rc == SQLITE_ROW ? STORE_OK : store_failed(s, rc, sql);
}

/* A text column, never NULL. */
const char *
store_text(sqlite3_stmt *st, int col)
{
	const unsigned char	*t = sqlite3_column_text(st, col);

	return t ? (const char *)t : "";
}

/* The earlier of the instants two one-value queries give, where 0 means
 * none; 0 if neither has one. */
enum store_result
store_earliest(struct store *s, const char *sql_a, const char *sql_b,
    int64_t *at)
{
	int64_t			a, b;
	enum store_result	r;

	if ((r = store_one_int64(s, sql_a, NULL, &a)) != STORE_OK ||
	    (r = store_one_int64(s, sql_b, NULL, &b)) != STORE_OK)
		return r;
	*at = a != 0 && (b == 0 || a < b) ? a : b;
	return STORE_OK;
}

/* Bind text, or NULL when empty. */
void
store_bind_optional(sqlite3_stmt *st, int i, const char *v)
{
	if (v[0] != '\0')
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

/* Bind an instant, or NULL for 0 (not yet, or never). */
void
store_bind_instant(sqlite3_stmt *st, int i, int64_t at)
{
	if (at != 0)
		sqlite3_bind_int64(st, i, at);
}

/* Fetch the one row a statement keyed by ?1 selects, read by row. */
enum store_result
store_get_one(struct store *s, const char *sql, const char *key,
    void (*row)(sqlite3_stmt *, void *), void *out, const char *what)
{
	sqlite3_stmt		*st = store_stmt(s, sql);
	enum store_result	 r = STORE_OK;
	int			 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		row(st, out);
	else if (rc == SQLITE_DONE)
		r = STORE_NOT_FOUND;
	else
		r = store_failed(s, rc, what);
	store_done(st);
	return r;
}

/* Copy a text column into a fixed buffer, cut to fit as snprintf would.
 * Its length from SQLite rather than through snprintf: a round of 80
 * doses copies some 2,600 columns, and formatting them was a tenth of
 * the round's cost (callgrind). */
void
store_copy_text(sqlite3_stmt *st, int col, char *out, size_t size)
{
	const char	*t = store_text(st, col);
	size_t		 n = (size_t)sqlite3_column_bytes(st, col);

	if (size == 0)
		return;
	if (n >= size)
		n = size - 1;
	memcpy(out, t, n);
	out[n] = '\0';
}

/* Start a transaction; a writing one takes the write lock at once
 * (BEGIN IMMEDIATE) so it cannot fail half-way for want of it. */
enum store_result
store_begin(struct store *s, int write)
{
	static const char	 begin_read[] = "BEGIN";
	static const char	 begin_write[] = "BEGIN IMMEDIATE";
	sqlite3_stmt		*st;

	if (s->in_request) {
		/* A request's handler beginning a transaction of its own
		 * would commit the batch with the request half done. */
		log_warnx("store: a transaction begun inside a request");
		return STORE_ERROR;
	}
	if (s->batch_open && s->flush != NULL)
		s->flush(s->flush_arg);		/* the batch commits first */
	/* One a failed ROLLBACK left open is ended first. */
	if (sqlite3_get_autocommit(s->db) == 0) {
		log_warnx("store: a transaction was left open; rolling it "
		    "back");
		store_rollback(s);
	}
	s->rollback_only = 0;
	s->json_failures = json_alloc_failures();
	s->json_sealed = 0;
	if ((st = store_stmt(s, write ? begin_write : begin_read)) == NULL)
		return STORE_ERROR;
	if (store_step_done(s, st) != STORE_OK)
		return STORE_ERROR;
	s->in_transaction = 1;
	return STORE_OK;
}

/* Commit; with synchronous=FULL the change is on disk when this returns.
 * Nothing is committed if jansson ran out of memory on the way: what the
 * transaction stored or answered may lack a member (json_alloc.c). */
enum store_result
store_commit(struct store *s)
{
	static const char	 commit[] = "COMMIT";
	sqlite3_stmt		*st;
	enum store_result	 r;

	if (!s->json_sealed && json_alloc_failures() != s->json_failures) {
		log_warnx("store: out of memory building JSON; nothing "
		    "committed");
		store_rollback(s);
		return STORE_ERROR;
	}
	if (s->rollback_only || (st = store_stmt(s, commit)) == NULL) {
		store_rollback(s);	/* ends it, lost or not */
		return STORE_ERROR;
	}
	r = store_step_done(s, st);
	if (r != STORE_OK) {
		store_rollback(s);
		return STORE_ERROR;
	}
	s->in_transaction = 0;
	return STORE_OK;
}

/* What the transaction holds so far is all it will hold: check now that
 * no JSON in it was built short, and build the rest (a refusal's answer,
 * which is whole or nothing) without that check.  For a refused request
 * that keeps its changes (a wrong PIN's count), so that running out of
 * memory for its answer does not lose them. */
enum store_result
store_seal_json(struct store *s)
{
	if (s->in_request)
		return store_request_seal(s);
	if (json_alloc_failures() != s->json_failures)
		return STORE_ERROR;
	s->json_sealed = 1;
	return STORE_OK;
}

/* A savepoint inside the transaction, so one item of a batch can fail
 * without taking the others with it. */
enum store_result
store_savepoint(struct store *s)
{
	static const char	sql[] = "SAVEPOINT item";
	sqlite3_stmt		*st = store_stmt(s, sql);

	s->item_json_failures = json_alloc_failures();
	return st ? store_step_done(s, st) : STORE_ERROR;
}

/* Keep the item, unless JSON in it may have been built short: then the
 * caller undoes it like any item that failed. */
enum store_result
store_release(struct store *s)
{
	sqlite3_stmt	*st;

	if (json_alloc_failures() != s->item_json_failures)
		return STORE_ERROR;
	st = store_stmt(s, store_sql_release);
	return st ? store_step_done(s, st) : STORE_ERROR;
}

/* Run one of the undoing statements; SQLITE_DONE if it ran. */
static int
store_undo(struct store *s, const char *sql)
{
	sqlite3_stmt	*st = store_stmt(s, sql);
	int		 rc;

	if (st == NULL)
		return SQLITE_ERROR;
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc;
}

/* Undo what was done since the savepoint, and end it; jansson's failures
 * in the item went with it.  If that cannot be done, the item's changes
 * are still in the transaction: none of it may commit. */
void
store_rollback_savepoint(struct store *s)
{
	s->json_failures += json_alloc_failures() - s->item_json_failures;
	if (store_undo(s, store_sql_rollback_to) != SQLITE_DONE ||
	    store_undo(s, store_sql_release) != SQLITE_DONE) {
		log_warnx("store: rollback to savepoint: %s; the transaction "
		    "will be rolled back", sqlite3_errmsg(s->db));
		s->rollback_only = 1;
	}
}

/* Roll back whatever the current transaction did. */
void
store_rollback(struct store *s)
{
	s->in_transaction = 0;
	s->rollback_only = 0;
	s->batch_open = 0;	/* a batch rolled back whole */
	s->in_request = 0;
	if (sqlite3_get_autocommit(s->db) == 0 &&
	    store_undo(s, store_sql_rollback) != SQLITE_DONE &&
	    sqlite3_get_autocommit(s->db) == 0)
		log_warnx("store: rollback: %s", sqlite3_errmsg(s->db));
}
