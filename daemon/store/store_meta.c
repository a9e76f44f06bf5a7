/* Small named integers kept across restarts (the test clock's offset). */
#include "store_internal.h"

enum store_result
store_meta_get(struct store *s, const char *name, int64_t *value)
{
	static const char sql[] = "SELECT value FROM meta WHERE name = ?1";
	sqlite3_stmt		*st = store_stmt(s, sql);
	enum store_result	 r = STORE_OK;
	int			 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*value = sqlite3_column_int64(st, 0);
	else if (rc == SQLITE_DONE)
		r = STORE_NOT_FOUND;
	else
		r = store_failed(s, rc, "meta");
	store_done(st);
	return r;
}

enum store_result
store_meta_set(struct store *s, const char *name, int64_t value)
{
	static const char sql[] = "INSERT INTO meta (name, value) "
	    "VALUES (?1, ?2) ON CONFLICT (name) DO UPDATE SET value = ?2";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, value);
	return store_step_done(s, st);
}
