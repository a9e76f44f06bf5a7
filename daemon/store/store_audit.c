/* Appending to and walking the hash-chained audit log. */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "json_out.h"
#include "store_internal.h"

#define AUDIT_COLUMNS \
	"seq, at, actor_id, action, record_type, record_id, detail, " \
	"prev_hash, hash"

/* Append one entry after the last, in the caller's transaction.  The
 * detail is consumed, as with json_object_set_new(). */
enum store_result
store_audit_append(struct store *s, int64_t now, const char *actor_id,
    const char *action, const char *record_type, const char *record_id,
    json_t *detail)
{
	static const char sql_last[] =
	    "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1";
	static const char sql_insert[] = "INSERT INTO audit (" AUDIT_COLUMNS
	    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
	sqlite3_stmt		*st;
	struct audit_entry	 e;
	char			 prev[DIGEST_HEX_LEN] = AUDIT_GENESIS;
	char			 hash[DIGEST_HEX_LEN], *text;
	int64_t			 seq = 0;
	enum store_result	 r;
	int			 rc;

	if (detail == NULL)
		return STORE_ERROR;
	text = json_out_text(detail, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(detail);
	if (text == NULL)
		return STORE_ERROR;
	if ((st = store_stmt(s, sql_last)) == NULL) {
		free(text);
		return STORE_ERROR;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		seq = sqlite3_column_int64(st, 0);
		store_copy_text(st, 1, prev, sizeof prev);
	}
	store_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		free(text);
		return store_failed(s, rc, "audit tail");
	}
	e.seq = seq + 1;
	e.at = now;
	e.actor_id = actor_id;
	e.action = action;
	e.record_type = record_type;
	e.record_id = record_id;
	e.detail = text;
	if (audit_hash(prev, &e, hash) == -1) {
		free(text);
		return STORE_ERROR;
	}
	if ((st = store_stmt(s, sql_insert)) == NULL) {
		free(text);
		return STORE_ERROR;
	}
	sqlite3_bind_int64(st, 1, e.seq);
	sqlite3_bind_int64(st, 2, e.at);
	sqlite3_bind_text(st, 3, actor_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, record_type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, record_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, text, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, prev, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, hash, -1, SQLITE_STATIC);
	r = store_step_done(s, st);
	free(text);
	return r;
}

/* Read the entry in the current row of st. */
static void
store_audit_row(sqlite3_stmt *st, struct audit_entry *e)
{
	e->seq = sqlite3_column_int64(st, 0);
	e->at = sqlite3_column_int64(st, 1);
	e->actor_id = store_text(st, 2);
	e->action = store_text(st, 3);
	e->record_type = store_text(st, 4);
	e->record_id = store_text(st, 5);
	e->detail = store_text(st, 6);
}

/* Call each for up to limit entries after seq after, in order. */
enum store_result
store_audit_list(struct store *s, int64_t after, int limit,
    void (*each)(const struct audit_entry *, const char *, void *), void *arg)
{
	static const char sql[] = "SELECT " AUDIT_COLUMNS " FROM audit "
	    "WHERE seq > ?1 ORDER BY seq LIMIT ?2";
	sqlite3_stmt		*st = store_stmt(s, sql);
	struct audit_entry	 e;
	int			 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, after);
	sqlite3_bind_int(st, 2, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_audit_row(st, &e);
		each(&e, store_text(st, 8), arg);
	}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(s, rc, "audit list");
}

/* Walk the whole chain.  *first_broken is the seq of the first entry whose
 * position, link or hash is wrong, or 0 when the chain is whole. */
enum store_result
store_audit_verify(struct store *s, int64_t *entries, int64_t *first_broken)
{
	static const char sql[] =
	    "SELECT " AUDIT_COLUMNS " FROM audit ORDER BY seq";
	sqlite3_stmt		*st = store_stmt(s, sql);
	struct audit_entry	 e;
	char			 prev[DIGEST_HEX_LEN] = AUDIT_GENESIS;
	char			 hash[DIGEST_HEX_LEN];
	int			 rc;

	if (st == NULL)
		return STORE_ERROR;
	*entries = 0;
	*first_broken = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_audit_row(st, &e);
		(*entries)++;
		if (*first_broken != 0)
			continue;
		if (e.seq != *entries ||
		    strcmp(store_text(st, 7), prev) != 0 ||
		    audit_hash(prev, &e, hash) == -1 ||
		    strcmp(hash, store_text(st, 8)) != 0) {
			*first_broken = e.seq;
			continue;
		}
		memcpy(prev, hash, sizeof prev);
	}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK :
	    store_failed(s, rc, "audit verify");
}
