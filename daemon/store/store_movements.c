/* Statements on movements (court, release, transfer), the morning doses
 * they prepared, and what a release or transfer ends. */
#include <string.h>

#include "store_internal.h"

#define MOVEMENT_COLUMNS \
	"mv.id, mv.patient_id, mv.kind, mv.departs_at, mv.destination, " \
	"mv.follow_up, mv.state, mv.lead_alert_at, mv.created_by, " \
	"mv.created_at, mv.departed_at, mv.departed_by, mv.returned_at, " \
	"mv.returned_by, mv.cancelled_at, mv.cancelled_by, mv.cancel_reason"

/* A movement with its patient and the people who booked and sent it. */
#define MOVEMENT_ROW_SELECT "SELECT " MOVEMENT_COLUMNS ", " \
	"p.id, p.prison_number, p.given_name, p.family_name, p.location, " \
	"c.id, c.username, c.display_name, d.id, d.username, d.display_name " \
	"FROM movements mv JOIN patients p ON p.id = mv.patient_id " \
	"JOIN staff c ON c.id = mv.created_by " \
	"LEFT JOIN staff d ON d.id = mv.departed_by "

/* Read a row selected with MOVEMENT_COLUMNS. */
static void
store_movement_columns(sqlite3_stmt *st, struct movement *m)
{
	memset(m, 0, sizeof *m);
	store_copy_text(st, 0, m->id, sizeof m->id);
	store_copy_text(st, 1, m->patient_id, sizeof m->patient_id);
	if (movement_kind_parse(store_text(st, 2), &m->kind) == -1)
		m->kind = MOVEMENT_COURT;
	m->departs_at = sqlite3_column_int64(st, 3);
	store_copy_text(st, 4, m->destination, sizeof m->destination);
	store_copy_text(st, 5, m->follow_up, sizeof m->follow_up);
	if (movement_state_parse(store_text(st, 6), &m->state) == -1)
		m->state = MOVEMENT_CANCELLED;
	m->lead_alert_at = sqlite3_column_int64(st, 7);
	store_copy_text(st, 8, m->created_by, sizeof m->created_by);
	m->created_at = sqlite3_column_int64(st, 9);
	m->departed_at = sqlite3_column_int64(st, 10);
	store_copy_text(st, 11, m->departed_by, sizeof m->departed_by);
	m->returned_at = sqlite3_column_int64(st, 12);
	store_copy_text(st, 13, m->returned_by, sizeof m->returned_by);
	m->cancelled_at = sqlite3_column_int64(st, 14);
	store_copy_text(st, 15, m->cancelled_by, sizeof m->cancelled_by);
	store_copy_text(st, 16, m->cancel_reason, sizeof m->cancel_reason);
}

/* Read a row selected with MOVEMENT_ROW_SELECT. */
static void
store_movement_row(sqlite3_stmt *st, void *out)
{
	struct store_movement_row	*row = out;

	store_movement_columns(st, &row->movement);
	store_patient_ref_columns(st, 17, &row->patient);
	store_person_columns(st, 22, &row->created_by);
	store_person_columns(st, 25, &row->departed_by);
}

enum store_result
store_movement_insert(struct store *s, const struct movement *m)
{
	static const char sql[] = "INSERT INTO movements (id, patient_id, "
	    "kind, departs_at, destination, follow_up, state, lead_alert_at, "
	    "created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
	    "?9, ?10)";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, m->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, m->patient_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, movement_kind_name(m->kind), -1,
	    SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, m->departs_at);
	sqlite3_bind_text(st, 5, m->destination, -1, SQLITE_STATIC);
	store_bind_optional(st, 6, m->follow_up);
	sqlite3_bind_text(st, 7, movement_state_name(m->state), -1,
	    SQLITE_STATIC);
	store_bind_instant(st, 8, m->lead_alert_at);
	sqlite3_bind_text(st, 9, m->created_by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, m->created_at);
	return store_step_done(s, st);
}

/* Record what became of a movement. */
enum store_result
store_movement_update(struct store *s, const struct movement *m)
{
	static const char sql[] = "UPDATE movements SET state = ?2, "
	    "lead_alert_at = ?3, departed_at = ?4, departed_by = ?5, "
	    "returned_at = ?6, returned_by = ?7, cancelled_at = ?8, "
	    "cancelled_by = ?9, cancel_reason = ?10 WHERE id = ?1";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, m->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, movement_state_name(m->state), -1,
	    SQLITE_STATIC);
	store_bind_instant(st, 3, m->lead_alert_at);
	store_bind_instant(st, 4, m->departed_at);
	store_bind_optional(st, 5, m->departed_by);
	store_bind_instant(st, 6, m->returned_at);
	store_bind_optional(st, 7, m->returned_by);
	store_bind_instant(st, 8, m->cancelled_at);
	store_bind_optional(st, 9, m->cancelled_by);
	store_bind_optional(st, 10, m->cancel_reason);
	return store_step_done(s, st);
}

enum store_result
store_movement_get(struct store *s, const char *id,
    struct store_movement_row *out)
{
	static const char sql[] = MOVEMENT_ROW_SELECT "WHERE mv.id = ?1";

	return store_get_one(s, sql, id, store_movement_row, out, "movements");
}

/* Call each for every row of a bound statement selecting
 * MOVEMENT_ROW_SELECT. */
static enum store_result
store_movement_each(struct store *s, sqlite3_stmt *st,
    void (*each)(const struct store_movement_row *, void *), void *arg)
{
	struct store_movement_row	row;
	int				rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_movement_row(st, &row);
		each(&row, arg);
	}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(s, rc, "movements");
}

/* A patient's movements still to happen or under way, soonest first. */
enum store_result
store_movements_open(struct store *s, const char *patient_id,
    void (*each)(const struct store_movement_row *, void *), void *arg)
{
	static const char sql[] = MOVEMENT_ROW_SELECT "WHERE "
	    "mv.patient_id = ?1 AND mv.state IN ('planned', 'departed') "
	    "ORDER BY mv.departs_at, mv.id";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, patient_id, -1, SQLITE_STATIC);
	return store_movement_each(s, st, each, arg);
}

/* Movements departing in [from, to), of one kind or all (kind NULL), in
 * the order the escorts leave. */
enum store_result
store_movement_list(struct store *s, int64_t from, int64_t to,
    const char *kind,
    void (*each)(const struct store_movement_row *, void *), void *arg)
{
	static const char sql[] = MOVEMENT_ROW_SELECT "WHERE "
	    "mv.departs_at >= ?1 AND mv.departs_at < ?2 AND "
	    "(?3 IS NULL OR mv.kind = ?3) "
	    "ORDER BY mv.departs_at, p.location, p.family_name, mv.id";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	if (kind != NULL)
		sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
	return store_movement_each(s, st, each, arg);
}

/* Planned movements whose lead-time warning is due by now. */
enum store_result
store_movements_to_warn(struct store *s, int64_t now, int limit,
    void (*each)(const struct store_movement_row *, void *), void *arg)
{
	static const char sql[] = MOVEMENT_ROW_SELECT "WHERE "
	    "mv.state = 'planned' AND mv.lead_alert_at <= ?1 "
	    "ORDER BY mv.lead_alert_at LIMIT ?2";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int(st, 2, limit);
	return store_movement_each(s, st, each, arg);
}

/* The next lead-time warning, or 0 if none. */
enum store_result
store_movement_next_warning(struct store *s, int64_t *at)
{
	static const char sql[] = "SELECT min(lead_alert_at) FROM movements "
	    "WHERE state = 'planned' AND lead_alert_at IS NOT NULL";

	return store_one_int64(s, sql, NULL, at);
}

/* Remember a morning dose a movement prepared. */
enum store_result
store_movement_dose_insert(struct store *s, const char *movement_id,
    const char *dose_id, int64_t original_due_at, int64_t moved_to,
    int created)
{
	static const char sql[] = "INSERT INTO movement_doses (movement_id, "
	    "dose_id, original_due_at, moved_to, created) "
	    "VALUES (?1, ?2, ?3, ?4, ?5)";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, movement_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, dose_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, original_due_at);
	sqlite3_bind_int64(st, 4, moved_to);
	sqlite3_bind_int(st, 5, created);
	return store_step_done(s, st);
}

/* The morning doses a movement prepared, as dose rows, soonest first. */
enum store_result
store_movement_doses(struct store *s, const char *movement_id,
    void (*each)(const struct store_movement_dose *, void *), void *arg)
{
	static const char sql[] = "SELECT " DOSE_ROW_COLUMNS ", "
	    "md.original_due_at, md.moved_to, md.created " DOSE_ROW_FROM
	    "JOIN movement_doses md ON md.dose_id = d.id "
	    "WHERE md.movement_id = ?1 ORDER BY d.due_at, d.id";
	sqlite3_stmt			*st = store_stmt(s, sql);
	struct store_movement_dose	 md;
	int				 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, movement_id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_dose_row(st, &md.row);
		md.original_due_at = sqlite3_column_int64(st,
		    DOSE_ROW_NCOLUMNS);
		md.moved_to = sqlite3_column_int64(st, DOSE_ROW_NCOLUMNS + 1);
		md.created = sqlite3_column_int(st, DOSE_ROW_NCOLUMNS + 2);
		each(&md, arg);
	}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(s, rc, "doses");
}

/* The movements that prepared a dose, in the order they did, with the
 * time each found it due at: what movement_cancel_place() takes. */
enum store_result
store_dose_preparations(struct store *s, const char *dose_id,
    void (*each)(const struct movement_preparation *, void *), void *arg)
{
	static const char sql[] = "SELECT md.movement_id, mv.state, "
	    "mv.departs_at, md.original_due_at FROM movement_doses md "
	    "JOIN movements mv ON mv.id = md.movement_id "
	    "WHERE md.dose_id = ?1 ORDER BY md.rowid";
	sqlite3_stmt			*st = store_stmt(s, sql);
	struct movement_preparation	 mp;
	int				 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, dose_id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&mp, 0, sizeof mp);
		store_copy_text(st, 0, mp.movement_id, sizeof mp.movement_id);
		if (movement_state_parse(store_text(st, 1), &mp.state) == -1)
			mp.state = MOVEMENT_CANCELLED;
		mp.departs_at = sqlite3_column_int64(st, 2);
		mp.original_due_at = sqlite3_column_int64(st, 3);
		each(&mp, arg);
	}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(s, rc, "movements");
}

/* Whether a movement already prepared a dose of a prescription. */
enum store_result
store_movement_has_prescription(struct store *s, const char *movement_id,
    const char *prescription_id, int *has)
{
	static const char sql[] = "SELECT EXISTS (SELECT 1 FROM "
	    "movement_doses md JOIN doses d ON d.id = md.dose_id "
	    "WHERE md.movement_id = ?1 AND d.prescription_id = ?2)";
	sqlite3_stmt	*st = store_stmt(s, sql);
	int		 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, movement_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, prescription_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	*has = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
	store_done(st);
	return rc == SQLITE_ROW ? STORE_OK : store_failed(s, rc, "movements");
}

/* Move a dose that has not been signed off: a new due time and window,
 * and scheduled again, for the scheduler to open when its window does. */
enum store_result
store_dose_move(struct store *s, const struct dose *d)
{
	static const char sql[] = "UPDATE doses SET due_at = ?2, "
	    "window_start = ?3, window_end = ?4, state = 'scheduled' "
	    "WHERE id = ?1 AND state IN ('scheduled', 'due')";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, d->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, d->due_at);
	sqlite3_bind_int64(st, 3, d->window_start);
	sqlite3_bind_int64(st, 4, d->window_end);
	return store_step_done(s, st);
}

/* The first dose of a prescription due in [from, to). */
enum store_result
store_dose_first_between(struct store *s, const char *prescription_id,
    int64_t from, int64_t to, struct dose *out)
{
	static const char sql[] = "SELECT " DOSE_COLUMNS " FROM doses d "
	    "WHERE d.prescription_id = ?1 AND d.due_at >= ?2 AND "
	    "d.due_at < ?3 ORDER BY d.due_at LIMIT 1";
	sqlite3_stmt		*st = store_stmt(s, sql);
	enum store_result	 r = STORE_OK;
	int			 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, prescription_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		store_dose_columns(st, out);
	else if (rc == SQLITE_DONE)
		r = STORE_NOT_FOUND;
	else
		r = store_failed(s, rc, "doses");
	store_done(st);
	return r;
}

/* A patient's doses not signed off whose window had opened by at: those
 * an escort leaving at at may take the patient away from
 * (movement_closes_dose() says which). */
enum store_result
store_doses_open_by(struct store *s, const char *patient_id, int64_t at,
    void (*each)(const struct store_dose_row *, void *), void *arg)
{
	static const char sql[] = DOSE_ROW_SELECT "WHERE d.patient_id = ?1 "
	    "AND d.state IN ('scheduled', 'due') AND d.window_start <= ?2 "
	    "ORDER BY d.due_at, d.id";
	sqlite3_stmt		*st = store_stmt(s, sql);
	struct store_dose_row	 row;
	int			 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, patient_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, at);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_dose_row(st, &row);
		each(&row, arg);
	}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(s, rc, "doses");
}

/* The last dose of a prescription given, with both signatories. */
enum store_result
store_dose_last_given(struct store *s, const char *prescription_id,
    struct store_dose_row *out)
{
	static const char sql[] = DOSE_ROW_SELECT "WHERE "
	    "d.prescription_id = ?1 AND d.state = 'given' "
	    "ORDER BY d.recorded_at DESC LIMIT 1";

	return store_get_one(s, sql, prescription_id, store_dose_row, out,
	    "doses");
}

/* Whether a patient was away (departed, not yet back) at an instant: the
 * rule's word (dose_patient_away()) on their last trip out. */
enum store_result
store_patient_away(struct store *s, const char *patient_id, int64_t at,
    int *away)
{
	struct dose_trip	t;
	enum store_result	r = store_patient_trip(s, patient_id, at, &t);

	*away = r == STORE_OK && dose_patient_away(&t, at, at);
	return r;
}

/* A patient released or transferred: no longer in custody here. */
enum store_result
store_patient_set_status(struct store *s, const char *id, const char *status)
{
	static const char sql[] = "UPDATE patients SET status = ?2 "
	    "WHERE id = ?1";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
	return store_step_done(s, st);
}

/* End a patient's clocks not yet met: they neither warn nor breach after
 * at (a clock already breached stays breached). */
enum store_result
store_clocks_end(struct store *s, const char *patient_id, int64_t at)
{
	static const char sql[] = "UPDATE care_clocks SET ended_at = ?2, "
	    "warned = 1, breach_fired = 1 WHERE patient_id = ?1 AND "
	    "met_at IS NULL AND ended_at IS NULL";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, patient_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, at);
	return store_step_done(s, st);
}
