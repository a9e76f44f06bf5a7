/* Statements on release follow-ups. */
#include <string.h>

#include "store_follow_ups.h"
#include "store_internal.h"

#define FOLLOW_UP_COLUMNS \
	"movement_id, patient_id, released_at, due_at, alert_fired, " \
	"attended, attended_on, met, recorded_at"

/* Read a row selected with FOLLOW_UP_COLUMNS. */
static void
store_follow_up_row(sqlite3_stmt *st, void *out)
{
	struct follow_up	*f = out;

	memset(f, 0, sizeof *f);
	store_copy_text(st, 0, f->movement_id, sizeof f->movement_id);
	store_copy_text(st, 1, f->patient_id, sizeof f->patient_id);
	f->released_at = sqlite3_column_int64(st, 2);
	f->due_at = sqlite3_column_int64(st, 3);
	f->alert_fired = sqlite3_column_int(st, 4);
	f->recorded = sqlite3_column_type(st, 5) != SQLITE_NULL;
	f->attended = sqlite3_column_int(st, 5);
	if (f->recorded && timefmt_parse_date(store_text(st, 6), &f->on) == -1)
		memset(&f->on, 0, sizeof f->on);
	f->met = sqlite3_column_int(st, 7);
	f->recorded_at = sqlite3_column_int64(st, 8);
}

enum store_result
store_follow_up_insert(struct store *s, const struct follow_up *f)
{
	static const char sql[] = "INSERT INTO release_follow_ups "
	    "(movement_id, patient_id, released_at, due_at) "
	    "VALUES (?1, ?2, ?3, ?4)";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, f->movement_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, f->patient_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, f->released_at);
	sqlite3_bind_int64(st, 4, f->due_at);
	return store_step_done(s, st);
}

enum store_result
store_follow_up_get(struct store *s, const char *movement_id,
    struct follow_up *out)
{
	static const char sql[] = "SELECT " FOLLOW_UP_COLUMNS
	    " FROM release_follow_ups WHERE movement_id = ?1";

	return store_get_one(s, sql, movement_id, store_follow_up_row, out,
	    "follow-up");
}

/* Store the outcome follow_up_record() decided. */
enum store_result
store_follow_up_record(struct store *s, const struct follow_up *f,
    const char *note, const char *actor_id)
{
	static const char sql[] = "UPDATE release_follow_ups SET "
	    "attended = ?2, attended_on = ?3, met = ?4, note = ?5, "
	    "recorded_at = ?6, recorded_by = ?7 WHERE movement_id = ?1 AND "
	    "attended IS NULL";
	sqlite3_stmt	*st = store_stmt(s, sql);
	char		 on[TIMEFMT_DATE_LEN];

	if (st == NULL)
		return STORE_ERROR;
	timefmt_format_date(f->on, on);
	sqlite3_bind_text(st, 1, f->movement_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, f->attended);
	sqlite3_bind_text(st, 3, on, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 4, f->met);
	if (note != NULL)
		sqlite3_bind_text(st, 5, note, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, f->recorded_at);
	sqlite3_bind_text(st, 7, actor_id, -1, SQLITE_STATIC);
	return store_step_done(s, st);
}

/* Mark a follow-up's overdue alert raised. */
enum store_result
store_follow_up_fired(struct store *s, const struct follow_up *f)
{
	static const char sql[] = "UPDATE release_follow_ups SET "
	    "alert_fired = ?2 WHERE movement_id = ?1";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, f->movement_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, f->alert_fired);
	return store_step_done(s, st);
}

/* Each follow-up run out by now with neither an outcome nor its alert. */
enum store_result
store_follow_ups_due(struct store *s, int64_t now,
    void (*each)(const struct follow_up *, void *), void *arg)
{
	static const char sql[] = "SELECT " FOLLOW_UP_COLUMNS
	    " FROM release_follow_ups WHERE attended IS NULL AND "
	    "alert_fired = 0 AND due_at <= ?1 ORDER BY due_at";
	sqlite3_stmt		*st = store_stmt(s, sql);
	struct follow_up	 f;
	int			 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, now);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_follow_up_row(st, &f);
		each(&f, arg);
	}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(s, rc,
	    "follow-ups");
}

/* The earliest follow-up still to run out unrecorded; 0 if none. */
enum store_result
store_follow_up_next_deadline(struct store *s, int64_t *at)
{
	static const char sql[] = "SELECT min(due_at) FROM release_follow_ups "
	    "WHERE attended IS NULL AND alert_fired = 0";

	return store_one_int64(s, sql, NULL, at);
}
