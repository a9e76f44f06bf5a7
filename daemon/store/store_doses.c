/* Statements on doses: laid out ahead by the scheduler, opened and closed
 * at their windows, signed off by the round. */
#include <string.h>

#include "store_internal.h"

/* Read a row selected with DOSE_COLUMNS. */
void
store_dose_columns(sqlite3_stmt *st, struct dose *d)
{
	memset(d, 0, sizeof *d);
	store_copy_text(st, 0, d->id, sizeof d->id);
	store_copy_text(st, 1, d->prescription_id, sizeof d->prescription_id);
	store_copy_text(st, 2, d->patient_id, sizeof d->patient_id);
	d->due_at = sqlite3_column_int64(st, 3);
	d->window_start = sqlite3_column_int64(st, 4);
	d->window_end = sqlite3_column_int64(st, 5);
	d->amount = sqlite3_column_int64(st, 6);
	if (dose_state_parse(store_text(st, 7), &d->state) == -1)
		d->state = DOSE_MISSED;
	d->recorded_at = sqlite3_column_int64(st, 8);
	store_copy_text(st, 9, d->recorded_by, sizeof d->recorded_by);
	store_copy_text(st, 10, d->witnessed_by, sizeof d->witnessed_by);
	store_copy_text(st, 11, d->reason, sizeof d->reason);
	store_copy_text(st, 12, d->note, sizeof d->note);
	store_copy_text(st, 13, d->register_entry_id,
	    sizeof d->register_entry_id);
}

/* The product of a row selected with DOSE_ROW_SELECT. */
static void
store_dose_product(sqlite3_stmt *st, struct product *p)
{
	store_copy_text(st, 21, p->id, sizeof p->id);
	store_copy_text(st, 22, p->name, sizeof p->name);
	store_copy_text(st, 23, p->form, sizeof p->form);
	store_copy_text(st, 24, p->strength, sizeof p->strength);
	store_copy_text(st, 25, p->unit, sizeof p->unit);
	p->active_per_unit.quantity = sqlite3_column_int64(st, 34);
	store_copy_text(st, 35, p->active_per_unit.unit,
	    sizeof p->active_per_unit.unit);
	p->max_single_dose = sqlite3_column_int64(st, 38);
	p->max_daily_dose = sqlite3_column_int64(st, 39);
	p->opioid_substitute = sqlite3_column_int(st, 40);
}

/* Read a row selected with DOSE_ROW_SELECT. */
void
store_dose_row(sqlite3_stmt *st, void *out)
{
	struct store_dose_row	*row = out;

	memset(row, 0, sizeof *row);
	store_dose_columns(st, &row->dose);
	row->held = sqlite3_column_int(st, 14);
	row->stopped = sqlite3_column_int(st, 15);
	store_patient_ref_columns(st, 16, &row->patient);
	store_dose_product(st, &row->product);
	store_person_columns(st, 26, &row->given_by);
	store_person_columns(st, 29, &row->witness);
	row->trip.departed_at = sqlite3_column_int64(st, 32);
	row->trip.returned_at = sqlite3_column_int64(st, 33);
	store_copy_text(st, 36, row->override_reason,
	    sizeof row->override_reason);
	if (row->override_reason[0] != '\0')
		store_copy_text(st, 37, row->override_codes,
		    sizeof row->override_codes);
	row->given_before = sqlite3_column_int(st, 41);
}

/* A dose of the product of prescription ?2, under it or another, already
 * given to patient ?3 in a window overlapping [?5, ?6].  Round times are
 * a window apart in instants, but a prescription written before that was
 * checked on each day may still bring two doses together on the night the
 * clocks go forward. */
#define GIVEN_NEARBY "SELECT g.recorded_at FROM doses g " \
	"JOIN prescriptions grx ON grx.id = g.prescription_id " \
	"WHERE g.patient_id = ?3 AND g.state = 'given' " \
	"AND g.due_at > ?5 - 86400000 AND g.due_at < ?6 + 86400000 " \
	"AND g.window_start < ?6 AND g.window_end > ?5 " \
	"AND grx.product_id = (SELECT product_id FROM prescriptions " \
	"WHERE id = ?2)"

/* Lay out a dose, unless the patient was already given that product in
 * an overlapping window: a prescription stopped and rewritten in the
 * morning must not offer the morning's dose twice. */
enum store_result
store_dose_insert(struct store *s, const struct dose *d)
{
	static const char sql[] = "INSERT OR IGNORE INTO doses (id, "
	    "prescription_id, patient_id, due_at, window_start, window_end, "
	    "amount) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE NOT EXISTS ("
	    GIVEN_NEARBY ")";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, d->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, d->prescription_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, d->patient_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, d->due_at);
	sqlite3_bind_int64(st, 5, d->window_start);
	sqlite3_bind_int64(st, 6, d->window_end);
	sqlite3_bind_int64(st, 7, d->amount);
	return store_step_done(s, st);
}

/* A dose with its patient, product and signatories. */
enum store_result
store_dose_get(struct store *s, const char *id, struct store_dose_row *out)
{
	static const char sql[] = DOSE_ROW_SELECT "WHERE d.id = ?1";

	return store_get_one(s, sql, id, store_dose_row, out, "doses");
}

/* When a dose of the same product was given to the same patient in a
 * window overlapping d's, or 0. */
enum store_result
store_dose_given_nearby(struct store *s, const struct dose *d,
    int64_t *given_at)
{
	static const char sql[] = GIVEN_NEARBY " AND g.id <> ?1 LIMIT 1";
	sqlite3_stmt	*st = store_stmt(s, sql);
	int		 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, d->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, d->prescription_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, d->patient_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, d->window_start);
	sqlite3_bind_int64(st, 6, d->window_end);
	rc = sqlite3_step(st);
	*given_at = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	store_done(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK :
	    store_failed(s, rc, "doses");
}

/* The patient's last trip out to depart by at, or zeros for none. */
enum store_result
store_patient_trip(struct store *s, const char *patient_id, int64_t at,
    struct dose_trip *t)
{
	static const char sql[] = "SELECT departed_at, returned_at "
	    "FROM movements WHERE patient_id = ?1 AND departed_at <= ?2 "
	    "ORDER BY departed_at DESC LIMIT 1";
	sqlite3_stmt	*st = store_stmt(s, sql);
	int		 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, patient_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, at);
	rc = sqlite3_step(st);
	t->departed_at = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	t->returned_at = rc == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
	store_done(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK :
	    store_failed(s, rc, "movements");
}

/* Record what became of a dose. */
enum store_result
store_dose_update(struct store *s, const struct dose *d)
{
	static const char sql[] = "UPDATE doses SET state = ?2, "
	    "recorded_at = ?3, recorded_by = ?4, witnessed_by = ?5, "
	    "reason = ?6, note = ?7, register_entry_id = ?8 WHERE id = ?1";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, d->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, dose_state_name(d->state), -1, SQLITE_STATIC);
	store_bind_instant(st, 3, d->recorded_at);
	store_bind_optional(st, 4, d->recorded_by);
	store_bind_optional(st, 5, d->witnessed_by);
	store_bind_optional(st, 6, d->reason);
	store_bind_optional(st, 7, d->note);
	store_bind_optional(st, 8, d->register_entry_id);
	return store_step_done(s, st);
}

/* Doses whose window meets [from, to) (a 23:30 dose still due at 00:15
 * belongs to both days' rounds), for everyone or one patient, in round
 * order.  Windows are at most 12 hours either side of due_at (config.c),
 * which bounds the index range. */
enum store_result
store_dose_list(struct store *s, int64_t from, int64_t to,
    const char *patient_id,
    void (*each)(const struct store_dose_row *, void *), void *arg)
{
	static const char sql[] = DOSE_ROW_SELECT
	    "WHERE d.due_at > ?1 - 43200000 AND d.due_at < ?2 + 43200000 AND "
	    "d.window_end > ?1 AND d.window_start < ?2 "
	    "ORDER BY d.due_at, p.location, p.family_name, d.id";
	static const char sql_patient[] = DOSE_ROW_SELECT
	    "WHERE d.patient_id = ?3 AND "
	    "d.due_at > ?1 - 43200000 AND d.due_at < ?2 + 43200000 AND "
	    "d.window_end > ?1 AND d.window_start < ?2 "
	    "ORDER BY d.due_at, d.id";
	sqlite3_stmt		*st = store_stmt(s, patient_id != NULL ?
				    sql_patient : sql);
	struct store_dose_row	 row;
	int			 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	if (patient_id != NULL)
		sqlite3_bind_text(st, 3, patient_id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_dose_row(st, &row);
		each(&row, arg);
	}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(s, rc, "doses");
}

/* Call each for the doses a statement selects with now as ?1 and a limit
 * as ?2. */
static enum store_result
store_doses_at(struct store *s, const char *sql, int64_t now, int limit,
    void (*each)(const struct dose *, void *), void *arg)
{
	sqlite3_stmt	*st = store_stmt(s, sql);
	struct dose	 d;
	int		 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int(st, 2, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_dose_columns(st, &d);
		each(&d, arg);
	}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(s, rc, "doses");
}

/* Scheduled doses whose window has opened, oldest first. */
enum store_result
store_doses_to_open(struct store *s, int64_t now, int limit,
    void (*each)(const struct dose *, void *), void *arg)
{
	static const char sql[] = "SELECT " DOSE_COLUMNS " FROM doses d "
	    "WHERE d.state = 'scheduled' AND d.window_start <= ?1 "
	    "ORDER BY d.window_start LIMIT ?2";

	return store_doses_at(s, sql, now, limit, each, arg);
}

/* Doses still open whose window has closed, oldest first. */
enum store_result
store_doses_to_close(struct store *s, int64_t now, int limit,
    void (*each)(const struct dose *, void *), void *arg)
{
	static const char sql[] = "SELECT " DOSE_COLUMNS " FROM doses d "
	    "WHERE d.state IN ('scheduled', 'due') AND d.window_end <= ?1 "
	    "ORDER BY d.window_end LIMIT ?2";

	return store_doses_at(s, sql, now, limit, each, arg);
}

/* The next window to open or close, or 0 if none. */
enum store_result
store_dose_next_deadline(struct store *s, int64_t *at)
{
	static const char open_sql[] = "SELECT min(window_start) FROM doses "
	    "WHERE state = 'scheduled'";
	static const char close_sql[] = "SELECT min(window_end) FROM doses "
	    "WHERE state IN ('scheduled', 'due')";

	return store_earliest(s, open_sql, close_sql, at);
}

/* Remove a stopped prescription's doses whose window has not closed by
 * now; one already closed is left for the scheduler to record as missed. */
enum store_result
store_doses_delete_open(struct store *s, const char *prescription_id,
    int64_t now, int64_t *n)
{
	static const char sql[] = "DELETE FROM doses WHERE "
	    "prescription_id = ?1 AND state IN ('scheduled', 'due') AND "
	    "window_end > ?2";
	sqlite3_stmt		*st = store_stmt(s, sql);
	enum store_result	 r;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, prescription_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	if ((r = store_step_done(s, st)) == STORE_OK)
		*n = sqlite3_changes64(sqlite3_db_handle(st));
	return r;
}
