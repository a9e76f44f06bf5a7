/* Corrections, never deletions (issue 15): a patient's record corrected
 * with a history row per field, and the marks of observations and doses
 * entered in error.  The rows corrected stay as they were. */
#include <string.h>

#include "store_corrections.h"
#include "store_internal.h"

/* Update the record's fields a correction may change (not the community
 * treatment: store_patient_community()). */
static enum store_result
store_patient_fields(struct store *s, const struct patient *p)
{
	static const char sql[] = "UPDATE patients SET given_name = ?2, "
	    "family_name = ?3, date_of_birth = ?4, location = ?5, "
	    "nhs_number = ?6 WHERE id = ?1";
	sqlite3_stmt	*st = store_stmt(s, sql);
	char		 dob[TIMEFMT_DATE_LEN];

	if (st == NULL)
		return STORE_ERROR;
	timefmt_format_date(p->date_of_birth, dob);
	sqlite3_bind_text(st, 1, p->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, p->given_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, p->family_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, dob, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, p->location, -1, SQLITE_STATIC);
	store_bind_optional(st, 6, p->nhs_number);
	return store_step_done(s, st);
}

/* Put the record's community treatment as p has it: written over, added,
 * or taken away when null (its history row keeps what it said). */
static enum store_result
store_patient_community(struct store *s, const struct patient *p)
{
	static const char del[] = "DELETE FROM community_treatments WHERE "
	    "patient_id = ?1";
	static const char upsert[] = "INSERT INTO community_treatments "
	    "(patient_id, drug, dose, unit, prescriber, last_dose_at) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (patient_id) DO UPDATE SET "
	    "drug = ?2, dose = ?3, unit = ?4, prescriber = ?5, "
	    "last_dose_at = ?6";
	sqlite3_stmt	*st = store_stmt(s, p->in_treatment ? upsert : del);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, p->id, -1, SQLITE_STATIC);
	if (p->in_treatment) {
		sqlite3_bind_text(st, 2, p->community.drug, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, p->community.dose);
		sqlite3_bind_text(st, 4, p->community.unit, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, p->community.prescriber, -1,
		    SQLITE_STATIC);
		if (p->community.has_last_dose)
			sqlite3_bind_int64(st, 6, p->community.last_dose_at);
	}
	return store_step_done(s, st);
}

/* Store a corrected record; the caller's transaction holds its history
 * rows with it. */
enum store_result
store_patient_correct(struct store *s, const struct patient *p)
{
	enum store_result	r;

	if ((r = store_patient_fields(s, p)) != STORE_OK)
		return r;
	return store_patient_community(s, p);
}

/* Append one field's change to the patient's history. */
enum store_result
store_patient_change_add(struct store *s, const char *patient_id,
    const struct store_patient_change *c, const char *by_id)
{
	static const char sql[] = "INSERT INTO patient_changes (patient_id, "
	    "field, old_value, new_value, reason, changed_by, changed_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, patient_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->field, -1, SQLITE_STATIC);
	if (c->old_value != NULL)
		sqlite3_bind_text(st, 3, c->old_value, -1, SQLITE_STATIC);
	if (c->new_value != NULL)
		sqlite3_bind_text(st, 4, c->new_value, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, c->reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, by_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, c->at);
	return store_step_done(s, st);
}

/* Call each for every change to a patient's record, oldest first. */
enum store_result
store_patient_history(struct store *s, const char *id,
    void (*each)(const struct store_patient_change *, void *), void *arg)
{
	static const char sql[] = "SELECT c.field, c.old_value, c.new_value, "
	    "c.reason, c.changed_at, st.id, st.username, st.display_name "
	    "FROM patient_changes c JOIN staff st ON st.id = c.changed_by "
	    "WHERE c.patient_id = ?1 ORDER BY c.seq";
	sqlite3_stmt			*st = store_stmt(s, sql);
	struct store_patient_change	 c;
	int				 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		c.field = store_text(st, 0);
		c.old_value = (const char *)sqlite3_column_text(st, 1);
		c.new_value = (const char *)sqlite3_column_text(st, 2);
		c.reason = store_text(st, 3);
		c.at = sqlite3_column_int64(st, 4);
		store_person_columns(st, 5, &c.by);
		each(&c, arg);
	}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK :
	    store_failed(s, rc, "patient history");
}

/* How many doses a patient has recorded as given. */
enum store_result
store_patient_doses_given(struct store *s, const char *id, int64_t *n)
{
	static const char sql[] = "SELECT count(*) FROM doses WHERE "
	    "patient_id = ?1 AND state = 'given'";
	sqlite3_stmt	*st = store_stmt(s, sql);
	int		 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	store_done(st);
	return rc == SQLITE_ROW ? STORE_OK : store_failed(s, rc, "doses");
}

/* Read an observation's id, patient and times. */
static void
store_observation_head(sqlite3_stmt *st, void *out)
{
	struct observation	*o = out;

	memset(o, 0, sizeof *o);
	store_copy_text(st, 0, o->id, sizeof o->id);
	store_copy_text(st, 1, o->patient_id, sizeof o->patient_id);
	o->taken_at = sqlite3_column_int64(st, 2);
	o->recorded_at = sqlite3_column_int64(st, 3);
}

/* An observation's id, patient and times (what a strike-out needs). */
enum store_result
store_observation_get(struct store *s, const char *id, struct observation *o)
{
	static const char sql[] = "SELECT id, patient_id, taken_at, "
	    "recorded_at FROM observations WHERE id = ?1";

	return store_get_one(s, sql, id, store_observation_head, o,
	    "observations");
}

/* Read a whole observation. */
static void
store_observation_whole(sqlite3_stmt *st, void *out)
{
	store_observation_columns(st, out);
}

/* A patient's latest observation not struck out. */
enum store_result
store_observation_latest(struct store *s, const char *patient_id,
    struct observation *o)
{
	static const char sql[] = "SELECT " OBSERVATION_COLUMNS " FROM "
	    "observations WHERE patient_id = ?1 AND id NOT IN (SELECT "
	    "observation_id FROM observation_errors) ORDER BY taken_at DESC, "
	    "id LIMIT 1";

	return store_get_one(s, sql, patient_id, store_observation_whole, o,
	    "observations");
}

/* Read a mark: reason, by, at, and for a dose its witness and the
 * correction. */
static void
store_mark_row(sqlite3_stmt *st, void *out)
{
	struct store_error_mark	*m = out;

	memset(m, 0, sizeof *m);
	m->marked = 1;
	store_copy_text(st, 0, m->reason, sizeof m->reason);
	store_copy_text(st, 1, m->by, sizeof m->by);
	m->at = sqlite3_column_int64(st, 2);
	store_copy_text(st, 3, m->witness, sizeof m->witness);
	store_copy_text(st, 4, m->correction_id, sizeof m->correction_id);
}

/* The mark a statement keyed by ?1 finds; marked 0 when none. */
static enum store_result
store_mark_get(struct store *s, const char *sql, const char *id,
    struct store_error_mark *m)
{
	enum store_result	r;

	r = store_get_one(s, sql, id, store_mark_row, m, "corrections");
	if (r == STORE_NOT_FOUND) {
		memset(m, 0, sizeof *m);
		return STORE_OK;
	}
	return r;
}

/* Whether an observation was struck out, and how. */
enum store_result
store_observation_mark(struct store *s, const char *id,
    struct store_error_mark *m)
{
	static const char sql[] = "SELECT reason, recorded_by, recorded_at, "
	    "NULL, NULL FROM observation_errors WHERE observation_id = ?1";

	return store_mark_get(s, sql, id, m);
}

/* Insert a mark with a statement whose first four parameters are the
 * record's id, the reason, by whom and when; a dose's witness and
 * correction follow as ?5 and ?6. */
static enum store_result
store_mark_insert(struct store *s, const char *sql, const char *id,
    const struct store_error_mark *m)
{
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, m->reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, m->by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, m->at);
	if (sqlite3_bind_parameter_count(st) == 6) {
		sqlite3_bind_text(st, 5, m->witness, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, m->correction_id, -1, SQLITE_STATIC);
	}
	return store_step_done(s, st);
}

/* Strike an observation out. */
enum store_result
store_observation_strike(struct store *s, const char *id,
    const struct store_error_mark *m)
{
	static const char sql[] = "INSERT INTO observation_errors "
	    "(observation_id, reason, recorded_by, recorded_at) VALUES "
	    "(?1, ?2, ?3, ?4)";

	return store_mark_insert(s, sql, id, m);
}

/* Whether a dose was entered in error, and how. */
enum store_result
store_dose_mark(struct store *s, const char *id, struct store_error_mark *m)
{
	static const char sql[] = "SELECT reason, recorded_by, recorded_at, "
	    "witnessed_by, correction_id FROM dose_errors WHERE dose_id = ?1";

	return store_mark_get(s, sql, id, m);
}

/* Mark a dose entered in error, naming its register correction. */
enum store_result
store_dose_strike(struct store *s, const char *id,
    const struct store_error_mark *m)
{
	static const char sql[] = "INSERT INTO dose_errors (dose_id, reason, "
	    "recorded_by, recorded_at, witnessed_by, correction_id) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6)";

	return store_mark_insert(s, sql, id, m);
}

/* The states of a prescription's closed doses, newest first, at most
 * max, for dose_hold_recount(). */
enum store_result
store_dose_closed_states(struct store *s, const char *prescription_id,
    enum dose_state *newest_first, size_t max, size_t *n)
{
	static const char sql[] = "SELECT state FROM doses WHERE "
	    "prescription_id = ?1 AND state NOT IN ('scheduled', 'due') "
	    "ORDER BY due_at DESC LIMIT ?2";
	sqlite3_stmt	*st = store_stmt(s, sql);
	int		 rc;

	*n = 0;
	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, prescription_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (dose_state_parse(store_text(st, 0), &newest_first[*n]) == 0)
			(*n)++;
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(s, rc, "doses");
}
