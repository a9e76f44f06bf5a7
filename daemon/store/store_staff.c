/* Statements on the staff table. */
#include <string.h>

#include "staff.h"
#include "store_internal.h"

#define STAFF_COLUMNS \
	"id, username, display_name, roles, pin_hash, active, failed_pins, " \
	"locked_until, created_at"

/* Read a row selected with STAFF_COLUMNS. */
static void
store_staff_row(sqlite3_stmt *st, struct staff *out)
{
	memset(out, 0, sizeof *out);
	store_copy_text(st, 0, out->id, sizeof out->id);
	store_copy_text(st, 1, out->username, sizeof out->username);
	store_copy_text(st, 2, out->display_name, sizeof out->display_name);
	out->roles = (unsigned)sqlite3_column_int(st, 3);
	store_copy_text(st, 4, out->pin_hash, sizeof out->pin_hash);
	out->active = sqlite3_column_int(st, 5);
	out->lock.failures = sqlite3_column_int(st, 6);
	out->lock.locked_until = sqlite3_column_int64(st, 7);
	out->created_at = sqlite3_column_int64(st, 8);
}

/* Fetch the one staff row a keyed statement selects. */
static enum store_result
store_staff_one(struct store *s, const char *sql, const char *key,
    struct staff *out)
{
	sqlite3_stmt		*st = store_stmt(s, sql);
	enum store_result	 r = STORE_OK;
	int			 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		store_staff_row(st, out);
	else if (rc == SQLITE_DONE)
		r = STORE_NOT_FOUND;
	else
		r = store_failed(s, rc, "reading staff");
	store_done(st);
	return r;
}

enum store_result
store_staff_by_id(struct store *s, const char *id, struct staff *out)
{
	static const char sql[] =
	    "SELECT " STAFF_COLUMNS " FROM staff WHERE id = ?1";

	return store_staff_one(s, sql, id, out);
}

enum store_result
store_staff_by_username(struct store *s, const char *name, struct staff *out)
{
	static const char sql[] =
	    "SELECT " STAFF_COLUMNS " FROM staff WHERE username = ?1";

	return store_staff_one(s, sql, name, out);
}

/* Bind every column of a staff record in STAFF_COLUMNS order. */
static void
store_staff_bind(sqlite3_stmt *st, const struct staff *in)
{
	sqlite3_bind_text(st, 1, in->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, in->username, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, in->display_name, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, (int)in->roles);
	sqlite3_bind_text(st, 5, in->pin_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 6, in->active);
	sqlite3_bind_int(st, 7, in->lock.failures);
	sqlite3_bind_int64(st, 8, in->lock.locked_until);
	sqlite3_bind_int64(st, 9, in->created_at);
}

enum store_result
store_staff_insert(struct store *s, const struct staff *in)
{
	static const char sql[] = "INSERT INTO staff (" STAFF_COLUMNS ") "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	store_staff_bind(st, in);
	return store_step_done(s, st);
}

/* Write back everything that may change: name, roles, PIN, active and the
 * lockout state.  The username and id never change. */
enum store_result
store_staff_update(struct store *s, const struct staff *in)
{
	static const char sql[] = "UPDATE staff SET display_name = ?3, "
	    "roles = ?4, pin_hash = ?5, active = ?6, failed_pins = ?7, "
	    "locked_until = ?8 WHERE id = ?1 AND username = ?2 AND "
	    "created_at = ?9";
	sqlite3_stmt		*st = store_stmt(s, sql);
	enum store_result	 r;

	if (st == NULL)
		return STORE_ERROR;
	store_staff_bind(st, in);
	r = store_step_done(s, st);
	if (r == STORE_OK && sqlite3_changes(sqlite3_db_handle(st)) != 1)
		r = STORE_NOT_FOUND;
	return r;
}

/* Call each for every staff record, by username. */
enum store_result
store_staff_list(struct store *s, void (*each)(const struct staff *, void *),
    void *arg)
{
	static const char sql[] =
	    "SELECT " STAFF_COLUMNS " FROM staff ORDER BY username";
	sqlite3_stmt	*st = store_stmt(s, sql);
	struct staff	 row;
	int		 rc;

	if (st == NULL)
		return STORE_ERROR;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_staff_row(st, &row);
		each(&row, arg);
	}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(s, rc, "staff list");
}

/* How many active staff other than except_id hold a role. */
enum store_result
store_staff_count_active_role(struct store *s, unsigned role,
    const char *except_id, int *n)
{
	static const char sql[] = "SELECT count(*) FROM staff "
	    "WHERE active = 1 AND (roles & ?1) != 0 AND id != ?2";
	sqlite3_stmt		*st = store_stmt(s, sql);
	int			 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, role);
	sqlite3_bind_text(st, 2, except_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	store_done(st);
	return rc == SQLITE_ROW ? STORE_OK : store_failed(s, rc, sql);
}

/* How many staff records there are (none before bootstrap). */
enum store_result
store_staff_count(struct store *s, int *n)
{
	static const char sql[] = "SELECT count(*) FROM staff";
	int64_t			v;
	enum store_result	r = store_one_int64(s, sql, NULL, &v);

	*n = (int)v;
	return r;
}
