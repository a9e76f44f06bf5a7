/* Statements on staff_changes: the grants and PIN resets that wait for a
 * second admin or manager (schema/008_security.sql). */
#include <string.h>

#include "staff_change.h"
#include "store_internal.h"

#define CHANGE_COLUMNS \
	"c.id, c.staff_id, c.kind, c.roles, c.pin_hash, c.requested_by, " \
	"c.requested_at, c.expires_at, c.state, c.decided_by, c.decided_at"

/* Read a row selected with CHANGE_COLUMNS. */
static void
store_change_row(sqlite3_stmt *st, void *arg)
{
	struct staff_change	*c = arg;

	memset(c, 0, sizeof *c);
	store_copy_text(st, 0, c->id, sizeof c->id);
	store_copy_text(st, 1, c->staff_id, sizeof c->staff_id);
	if (staff_change_kind_parse(store_text(st, 2), &c->kind) == -1)
		c->kind = STAFF_CHANGE_GRANT;
	c->roles = (unsigned)sqlite3_column_int(st, 3);
	store_copy_text(st, 4, c->pin_hash, sizeof c->pin_hash);
	store_copy_text(st, 5, c->requested_by, sizeof c->requested_by);
	c->requested_at = sqlite3_column_int64(st, 6);
	c->expires_at = sqlite3_column_int64(st, 7);
	/* A state this daemon does not know is not pending: nothing waits
	 * on it. */
	if (staff_change_state_parse(store_text(st, 8), &c->state) == -1)
		c->state = STAFF_CHANGE_DECLINED;
	store_copy_text(st, 9, c->decided_by, sizeof c->decided_by);
	c->decided_at = sqlite3_column_int64(st, 10);
}

enum store_result
store_staff_change_insert(struct store *s, const struct staff_change *c)
{
	static const char sql[] = "INSERT INTO staff_changes (id, staff_id, "
	    "kind, roles, pin_hash, requested_by, requested_at, expires_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->staff_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, staff_change_kind_name(c->kind), -1,
	    SQLITE_STATIC);
	sqlite3_bind_int(st, 4, (int)c->roles);
	store_bind_optional(st, 5, c->pin_hash);
	sqlite3_bind_text(st, 6, c->requested_by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, c->requested_at);
	sqlite3_bind_int64(st, 8, c->expires_at);
	return store_step_done(s, st);
}

enum store_result
store_staff_change_get(struct store *s, const char *id,
    struct staff_change *out)
{
	static const char sql[] = "SELECT " CHANGE_COLUMNS
	    " FROM staff_changes c WHERE c.id = ?1";

	return store_get_one(s, sql, id, store_change_row, out,
	    "staff change");
}

/* Record a decision on a pending change (approved, declined or
 * superseded); STORE_NOT_FOUND if it was no longer pending. */
enum store_result
store_staff_change_decide(struct store *s, const char *id,
    enum staff_change_state state, const char *by, int64_t now)
{
	static const char sql[] = "UPDATE staff_changes SET state = ?2, "
	    "decided_by = ?3, decided_at = ?4 "
	    "WHERE id = ?1 AND state = 'pending'";
	sqlite3_stmt		*st = store_stmt(s, sql);
	enum store_result	 r;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, staff_change_state_name(state), -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 3, by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	r = store_step_done(s, st);
	if (r == STORE_OK && sqlite3_changes(sqlite3_db_handle(st)) != 1)
		r = STORE_NOT_FOUND;
	return r;
}

/* The person's pending change of a kind, expired or not; STORE_NOT_FOUND
 * if none. */
enum store_result
store_staff_change_pending(struct store *s, const char *staff_id,
    enum staff_change_kind kind, struct staff_change *out)
{
	static const char sql_grant[] = "SELECT " CHANGE_COLUMNS
	    " FROM staff_changes c WHERE c.staff_id = ?1 AND "
	    "c.kind = 'grant' AND c.state = 'pending'";
	static const char sql_reset[] = "SELECT " CHANGE_COLUMNS
	    " FROM staff_changes c WHERE c.staff_id = ?1 AND "
	    "c.kind = 'reset' AND c.state = 'pending'";

	return store_get_one(s, kind == STAFF_CHANGE_GRANT ? sql_grant :
	    sql_reset, staff_id, store_change_row, out, "staff change");
}

/* Every change, those still waiting first, then the newest first; each
 * with the people it names. */
enum store_result
store_staff_change_list(struct store *s, int64_t now,
    void (*each)(const struct store_staff_change_row *, void *), void *arg)
{
	static const char sql[] = "SELECT " CHANGE_COLUMNS ", "
	    "p.id, p.username, p.display_name, "
	    "q.id, q.username, q.display_name, "
	    "d.id, d.username, d.display_name "
	    "FROM staff_changes c JOIN staff p ON p.id = c.staff_id "
	    "JOIN staff q ON q.id = c.requested_by "
	    "LEFT JOIN staff d ON d.id = c.decided_by "
	    "ORDER BY c.state = 'pending' AND c.expires_at > ?1 DESC, "
	    "c.requested_at DESC, c.id LIMIT 500";
	sqlite3_stmt			*st = store_stmt(s, sql);
	struct store_staff_change_row	 row;
	int				 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, now);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&row, 0, sizeof row);
		store_change_row(st, &row.change);
		store_person_columns(st, 11, &row.staff);
		store_person_columns(st, 14, &row.requested_by);
		store_person_columns(st, 17, &row.decided_by);
		each(&row, arg);
	}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK :
	    store_failed(s, rc, "staff changes");
}
