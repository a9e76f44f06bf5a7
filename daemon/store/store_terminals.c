/* Statements on enrolled terminals, and on the wrong PINs counted at each
 * place a PIN is tried from (rules/auth_lock.c decides what they do). */
#include <string.h>

#include "store_internal.h"

#define TERMINAL_COLUMNS \
	"id, name, location, credential_hash, enrolled_by, enrolled_at, " \
	"coalesce(revoked_at, 0), coalesce(revoked_by, '')"

/* Read a row selected with TERMINAL_COLUMNS. */
static void
store_terminal_row(sqlite3_stmt *st, void *arg)
{
	struct store_terminal	*t = arg;

	memset(t, 0, sizeof *t);
	store_copy_text(st, 0, t->id, sizeof t->id);
	store_copy_text(st, 1, t->name, sizeof t->name);
	store_copy_text(st, 2, t->location, sizeof t->location);
	store_copy_text(st, 3, t->credential_hash, sizeof t->credential_hash);
	store_copy_text(st, 4, t->enrolled_by, sizeof t->enrolled_by);
	t->enrolled_at = sqlite3_column_int64(st, 5);
	t->revoked_at = sqlite3_column_int64(st, 6);
	store_copy_text(st, 7, t->revoked_by, sizeof t->revoked_by);
}

/* Enrol a terminal: its credential's secret only as a hash. */
enum store_result
store_terminal_insert(struct store *s, const struct store_terminal *t)
{
	static const char sql[] = "INSERT INTO terminals (id, name, location, "
	    "credential_hash, enrolled_by, enrolled_at) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6)";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, t->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, t->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, t->location, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, t->credential_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, t->enrolled_by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, t->enrolled_at);
	return store_step_done(s, st);
}

/* The terminal with this id, revoked or not. */
enum store_result
store_terminal_get(struct store *s, const char *id, struct store_terminal *t)
{
	static const char sql[] =
	    "SELECT " TERMINAL_COLUMNS " FROM terminals WHERE id = ?1";

	return store_get_one(s, sql, id, store_terminal_row, t, "terminal");
}

/* Call each for every terminal, in the order they were enrolled. */
enum store_result
store_terminal_list(struct store *s,
    void (*each)(const struct store_terminal *, void *), void *arg)
{
	static const char sql[] = "SELECT " TERMINAL_COLUMNS
	    " FROM terminals ORDER BY enrolled_at, id";
	sqlite3_stmt		*st = store_stmt(s, sql);
	struct store_terminal	 t;
	int			 rc;

	if (st == NULL)
		return STORE_ERROR;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_terminal_row(st, &t);
		each(&t, arg);
	}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(s, rc, "terminals");
}

/* Revoke a terminal and end every session opened on it. */
enum store_result
store_terminal_revoke(struct store *s, const char *id, int64_t now,
    const char *by)
{
	static const char sql[] = "UPDATE terminals SET revoked_at = ?2, "
	    "revoked_by = ?3 WHERE id = ?1 AND revoked_at IS NULL";
	static const char end[] = "DELETE FROM sessions WHERE terminal_id = ?1";
	sqlite3_stmt		*st = store_stmt(s, sql);
	enum store_result	 r;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_text(st, 3, by, -1, SQLITE_STATIC);
	if ((r = store_step_done(s, st)) != STORE_OK ||
	    (st = store_stmt(s, end)) == NULL)
		return r != STORE_OK ? r : STORE_ERROR;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	return store_step_done(s, st);
}

/* Read a pin_places row. */
static void
store_place_row(sqlite3_stmt *st, void *arg)
{
	struct auth_place	*p = arg;

	p->failures = sqlite3_column_int(st, 0);
	p->last_failure = sqlite3_column_int64(st, 1);
	p->next_allowed = sqlite3_column_int64(st, 2);
}

/* What is known of a place's wrong PINs: nothing if none is counted. */
enum store_result
store_pin_place(struct store *s, const char *place, struct auth_place *p)
{
	static const char sql[] = "SELECT failures, last_failure, "
	    "next_allowed FROM pin_places WHERE place = ?1";
	enum store_result	 r;

	memset(p, 0, sizeof *p);
	r = store_get_one(s, sql, place, store_place_row, p, "pin place");
	return r == STORE_NOT_FOUND ? STORE_OK : r;
}

/* Keep a place's count of wrong PINs and when it may try again. */
enum store_result
store_pin_place_save(struct store *s, const char *place,
    const struct auth_place *p)
{
	static const char sql[] = "INSERT INTO pin_places (place, failures, "
	    "last_failure, next_allowed) VALUES (?1, ?2, ?3, ?4) "
	    "ON CONFLICT (place) DO UPDATE SET failures = ?2, "
	    "last_failure = ?3, next_allowed = ?4";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, place, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, p->failures);
	sqlite3_bind_int64(st, 3, p->last_failure);
	sqlite3_bind_int64(st, 4, p->next_allowed);
	return store_step_done(s, st);
}

/* The account's lock at a place, and at how many other places it is
 * locked at now. */
enum store_result
store_pin_here(struct store *s, const char *staff_id, const char *place,
    int64_t now, struct auth_lock *here, int *elsewhere)
{
	static const char sql[] = "SELECT coalesce(sum(failures) FILTER "
	    "(WHERE place = ?2), 0), coalesce(max(locked_until) FILTER "
	    "(WHERE place = ?2), 0), count(*) FILTER (WHERE place <> ?2 AND "
	    "locked_until > ?3) FROM pin_failures WHERE staff_id = ?1";
	sqlite3_stmt		*st = store_stmt(s, sql);
	enum store_result	 r = STORE_OK;
	int			 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, staff_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, place, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		here->failures = sqlite3_column_int(st, 0);
		here->locked_until = sqlite3_column_int64(st, 1);
		*elsewhere = sqlite3_column_int(st, 2);
	} else
		r = store_failed(s, rc, "pin failures");
	store_done(st);
	return r;
}

/* Keep an account's count of wrong PINs and its lock at a place. */
enum store_result
store_pin_here_save(struct store *s, const char *staff_id, const char *place,
    const struct auth_lock *here)
{
	static const char sql[] = "INSERT INTO pin_failures (staff_id, place, "
	    "failures, locked_until) VALUES (?1, ?2, ?3, ?4) "
	    "ON CONFLICT (staff_id, place) DO UPDATE SET failures = ?3, "
	    "locked_until = ?4";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, staff_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, place, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, here->failures);
	sqlite3_bind_int64(st, 4, here->locked_until);
	return store_step_done(s, st);
}

/* Forget an account's wrong PINs at every place: an admin's unlock. */
enum store_result
store_pin_clear(struct store *s, const char *staff_id)
{
	static const char sql[] = "DELETE FROM pin_failures WHERE staff_id = ?1";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, staff_id, -1, SQLITE_STATIC);
	return store_step_done(s, st);
}
