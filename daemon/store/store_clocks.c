/* Statements on continuity clocks, keyworkers and treatment decisions. */
#include <string.h>

#include "continuity.h"
#include "store_internal.h"

#define CLOCK_COLUMNS \
	"id, patient_id, kind, started_at, warn_at, due_at, met_at, " \
	"met_how, warned, breach_fired, ended_at"

/* Read a row selected with CLOCK_COLUMNS. */
static void
store_clock_row(sqlite3_stmt *st, struct care_clock *c)
{
	memset(c, 0, sizeof *c);
	store_copy_text(st, 0, c->id, sizeof c->id);
	store_copy_text(st, 1, c->patient_id, sizeof c->patient_id);
	if (continuity_kind_parse(store_text(st, 2), &c->kind) == -1)
		c->kind = CLOCK_TREATMENT_CONTINUED;
	c->started_at = sqlite3_column_int64(st, 3);
	c->warn_at = sqlite3_column_int64(st, 4);
	c->due_at = sqlite3_column_int64(st, 5);
	c->met_at = sqlite3_column_int64(st, 6);
	store_copy_text(st, 7, c->met_how, sizeof c->met_how);
	c->warned = sqlite3_column_int(st, 8);
	c->breach_fired = sqlite3_column_int(st, 9);
	c->ended_at = sqlite3_column_int64(st, 10);
}

/* Call each for every row of a statement already bound. */
static enum store_result
store_clock_each(struct store *s, sqlite3_stmt *st,
    void (*each)(const struct care_clock *, void *), void *arg)
{
	struct care_clock	c;
	int			rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_clock_row(st, &c);
		each(&c, arg);
	}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(s, rc, "clocks");
}

enum store_result
store_clock_insert(struct store *s, const struct care_clock *c)
{
	static const char sql[] = "INSERT INTO care_clocks (" CLOCK_COLUMNS
	    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, NULL, 0, 0, NULL)";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->patient_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, continuity_kind_name(c->kind), -1,
	    SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, c->started_at);
	sqlite3_bind_int64(st, 5, c->warn_at);
	sqlite3_bind_int64(st, 6, c->due_at);
	return store_step_done(s, st);
}

/* Record that a clock was met, or that its warning or breach fired. */
enum store_result
store_clock_update(struct store *s, const struct care_clock *c,
    const char *met_by)
{
	static const char sql[] = "UPDATE care_clocks SET met_at = ?2, "
	    "met_how = ?3, met_by = ?4, warned = ?5, breach_fired = ?6 "
	    "WHERE id = ?1";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
	if (c->met_at != 0) {
		sqlite3_bind_int64(st, 2, c->met_at);
		sqlite3_bind_text(st, 3, c->met_how, -1, SQLITE_STATIC);
		if (met_by != NULL)
			sqlite3_bind_text(st, 4, met_by, -1, SQLITE_STATIC);
	}
	sqlite3_bind_int(st, 5, c->warned);
	sqlite3_bind_int(st, 6, c->breach_fired);
	return store_step_done(s, st);
}

enum store_result
store_clock_get(struct store *s, const char *patient_id,
    enum care_clock_kind kind, struct care_clock *out)
{
	static const char sql[] = "SELECT " CLOCK_COLUMNS " FROM care_clocks "
	    "WHERE patient_id = ?1 AND kind = ?2";
	sqlite3_stmt		*st = store_stmt(s, sql);
	enum store_result	 r = STORE_OK;
	int			 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, patient_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, continuity_kind_name(kind), -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		store_clock_row(st, out);
	else if (rc == SQLITE_DONE)
		r = STORE_NOT_FOUND;
	else
		r = store_failed(s, rc, "reading a clock");
	store_done(st);
	return r;
}

/* Every clock of one patient, or of all patients when patient_id is
 * NULL, oldest first. */
enum store_result
store_clock_list(struct store *s, const char *patient_id,
    void (*each)(const struct care_clock *, void *), void *arg)
{
	static const char sql[] = "SELECT " CLOCK_COLUMNS " FROM care_clocks "
	    "WHERE ?1 IS NULL OR patient_id = ?1 ORDER BY started_at, kind";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	if (patient_id != NULL)
		sqlite3_bind_text(st, 1, patient_id, -1, SQLITE_STATIC);
	return store_clock_each(s, st, each, arg);
}

/* Clocks with a warning or breach due at or before now, not yet fired.
 * Two selects, each matching one partial index, rather than one with an
 * OR, which SQLite answers by scanning every clock ever started. */
enum store_result
store_clocks_pending(struct store *s, int64_t now,
    void (*each)(const struct care_clock *, void *), void *arg)
{
	static const char sql[] = "SELECT " CLOCK_COLUMNS " FROM care_clocks "
	    "WHERE id IN (SELECT id FROM care_clocks WHERE met_at IS NULL AND "
	    "warned = 0 AND warn_at <= ?1 UNION SELECT id FROM care_clocks "
	    "WHERE met_at IS NULL AND breach_fired = 0 AND due_at <= ?1) "
	    "ORDER BY due_at";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, now);
	return store_clock_each(s, st, each, arg);
}

/* The earliest clock deadline still to fire; 0 if none. */
enum store_result
store_clock_next_deadline(struct store *s, int64_t *at)
{
	static const char sql[] = "SELECT min("
	    "(SELECT min(warn_at) FROM care_clocks WHERE met_at IS NULL AND "
	    "warned = 0), "
	    "(SELECT min(due_at) FROM care_clocks WHERE met_at IS NULL AND "
	    "breach_fired = 0))";

	return store_one_int64(s, sql, NULL, at);
}

enum store_result
store_keyworker_insert(struct store *s, const char *patient_id,
    const char *staff_id, int64_t now, const char *by)
{
	static const char sql[] = "INSERT INTO keyworkers (patient_id, "
	    "staff_id, allocated_at, allocated_by) VALUES (?1, ?2, ?3, ?4)";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, patient_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, staff_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_text(st, 4, by, -1, SQLITE_STATIC);
	return store_step_done(s, st);
}

enum store_result
store_decision_insert(struct store *s, const char *id, const char *patient_id,
    int continue_treatment, const char *reason, int64_t now, const char *by)
{
	static const char sql[] = "INSERT INTO treatment_decisions (id, "
	    "patient_id, continue_treatment, reason, decided_at, decided_by) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, patient_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, continue_treatment);
	sqlite3_bind_text(st, 4, reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, now);
	sqlite3_bind_text(st, 6, by, -1, SQLITE_STATIC);
	return store_step_done(s, st);
}
