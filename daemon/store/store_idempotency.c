/* The first answer to each Idempotency-Key. */
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

enum store_result
store_idempotency_get(struct store *s, const char *key, char fingerprint[65],
    int *status, char **body)
{
	static const char sql[] = "SELECT fingerprint, status, body FROM "
	    "idempotency WHERE key = ?1";
	sqlite3_stmt		*st = store_stmt(s, sql);
	enum store_result	 r = STORE_OK;
	int			 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		store_copy_text(st, 0, fingerprint, 65);
		*status = sqlite3_column_int(st, 1);
		if ((*body = strdup(store_text(st, 2))) == NULL)
			r = STORE_ERROR;
	} else if (rc == SQLITE_DONE)
		r = STORE_NOT_FOUND;
	else
		r = store_failed(s, rc, "idempotency lookup");
	store_done(st);
	return r;
}

enum store_result
store_idempotency_put(struct store *s, const char *key,
    const char *fingerprint, int status, const char *body, int64_t now)
{
	static const char sql[] = "INSERT INTO idempotency (key, fingerprint, "
	    "status, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5)";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, fingerprint, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, status);
	sqlite3_bind_text(st, 4, body, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, now);
	return store_step_done(s, st);
}

/* Forget answers older than before: a retry comes within minutes. */
enum store_result
store_idempotency_prune(struct store *s, int64_t before)
{
	static const char sql[] =
	    "DELETE FROM idempotency WHERE created_at < ?1";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, before);
	return store_step_done(s, st);
}
