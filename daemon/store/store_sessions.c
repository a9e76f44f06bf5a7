/* Statements on the sessions table: tokens are looked up by their hash. */
#include "store_internal.h"

/* A new session; terminal_id is "" when it was opened without one. */
enum store_result
store_session_insert(struct store *s, const char *hash, const char *staff_id,
    int64_t now, int64_t expires_at, const char *terminal_id,
    const char *source)
{
	static const char sql[] = "INSERT INTO sessions (token_hash, staff_id, "
	    "created_at, expires_at, terminal_id, source) VALUES (?1, ?2, ?3, "
	    "?4, ?5, ?6)";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, staff_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, expires_at);
	store_bind_optional(st, 5, terminal_id);
	sqlite3_bind_text(st, 6, source, -1, SQLITE_STATIC);
	return store_step_done(s, st);
}

/* Read the terminal ("" for none) and source of a sessions row. */
static void
store_session_place_row(sqlite3_stmt *st, void *arg)
{
	char	**out = arg;

	store_copy_text(st, 0, out[0], 37);
	store_copy_text(st, 1, out[1], STORE_SOURCE_LEN);
}

/* Where a session was opened: its terminal, or "" and its source. */
enum store_result
store_session_place(struct store *s, const char *hash, char terminal_id[37],
    char source[STORE_SOURCE_LEN])
{
	static const char sql[] = "SELECT coalesce(terminal_id, ''), source "
	    "FROM sessions WHERE token_hash = ?1";
	char	*out[2] = { terminal_id, source };

	return store_get_one(s, sql, hash, store_session_place_row, out,
	    "session place");
}

enum store_result
store_session_lookup(struct store *s, const char *hash, char staff_id[37],
    int64_t *expires_at)
{
	static const char sql[] = "SELECT staff_id, expires_at FROM sessions "
	    "WHERE token_hash = ?1";
	sqlite3_stmt		*st = store_stmt(s, sql);
	enum store_result	 r = STORE_OK;
	int			 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		store_copy_text(st, 0, staff_id, 37);
		*expires_at = sqlite3_column_int64(st, 1);
	} else if (rc == SQLITE_DONE)
		r = STORE_NOT_FOUND;
	else
		r = store_failed(s, rc, "session lookup");
	store_done(st);
	return r;
}

enum store_result
store_session_extend(struct store *s, const char *hash, int64_t expires_at)
{
	static const char sql[] =
	    "UPDATE sessions SET expires_at = ?2 WHERE token_hash = ?1";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, expires_at);
	return store_step_done(s, st);
}

enum store_result
store_session_delete(struct store *s, const char *hash)
{
	static const char sql[] = "DELETE FROM sessions WHERE token_hash = ?1";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	return store_step_done(s, st);
}

/* Sign a person out everywhere: on deactivation or a PIN change. */
enum store_result
store_sessions_end_for_staff(struct store *s, const char *staff_id)
{
	static const char sql[] = "DELETE FROM sessions WHERE staff_id = ?1";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, staff_id, -1, SQLITE_STATIC);
	return store_step_done(s, st);
}

/* Delete sessions whose idle time ran out before now, and what is kept of
 * wrong PINs that no longer counts: a place quiet for a day (longer than
 * lockout.minutes may be), an account's lock at a place that has run out
 * with no failure counted since. */
enum store_result
store_sessions_prune(struct store *s, int64_t now)
{
	static const char *const sql[] = {
		"DELETE FROM sessions WHERE expires_at <= ?1",
		"DELETE FROM pin_places WHERE max(last_failure, next_allowed) "
		    "<= ?1 - 86400000",
		"DELETE FROM pin_failures WHERE failures = 0 AND "
		    "locked_until <= ?1",
	};
	sqlite3_stmt		*st;
	enum store_result	 r = STORE_OK;
	size_t			 i;

	for (i = 0; r == STORE_OK && i < sizeof sql / sizeof sql[0]; i++) {
		if ((st = store_stmt(s, sql[i])) == NULL)
			return STORE_ERROR;
		sqlite3_bind_int64(st, 1, now);
		r = store_step_done(s, st);
	}
	return r;
}
