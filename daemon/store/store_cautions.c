/* Statements for the cautions at the point of administration: what the
 * caution rules look at (a patient's recent observations, the doses
 * given before), and the cautions confirmed when a dose was given.
 * Observations struck out and doses recorded in error are left out. */
#include <string.h>

#include "store_internal.h"

/* Not struck out (observation_errors), as alias a. */
#define OBS_STANDS(a) "NOT EXISTS (SELECT 1 FROM observation_errors e " \
	"WHERE e.observation_id = " a ".id)"

/* A patient's observations taken by until, newest first: each taken at or
 * after since, and the latest whenever it was taken. */
enum store_result
store_caution_observations(struct store *s, const char *patient_id,
    int64_t since, int64_t until,
    void (*each)(const struct observation *, void *), void *arg)
{
	static const char sql[] = "SELECT " OBSERVATION_COLUMNS
	    " FROM observations o WHERE patient_id = ?1 AND taken_at <= ?3 "
	    "AND " OBS_STANDS("o") " AND (taken_at >= ?2 OR taken_at = "
	    "(SELECT max(l.taken_at) FROM observations l WHERE "
	    "l.patient_id = ?1 AND l.taken_at <= ?3 AND " OBS_STANDS("l")
	    ")) ORDER BY taken_at DESC, id";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, patient_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, since);
	sqlite3_bind_int64(st, 3, until);
	return store_observations_each(s, st, each, arg);
}

/* The last dose given to a patient (in this custody: a patient record is
 * one custody), of any product, or of product_id's when not NULL; *found
 * 0 when none.  The row with max(recorded_at), whose other columns SQLite
 * takes from that row, rather than ORDER BY ... LIMIT 1: that sorted in a
 * temporary b-tree, a third of a round's cost (callgrind). */
enum store_result
store_caution_last_given(struct store *s, const char *patient_id,
    const char *product_id, struct dose *out, int *found)
{
	static const char sql[] = "SELECT " DOSE_COLUMNS ", "
	    "max(d.recorded_at) FROM doses d "
	    "JOIN prescriptions rx ON rx.id = d.prescription_id "
	    "WHERE d.patient_id = ?1 AND d.state = 'given' AND "
	    "(?2 IS NULL OR rx.product_id = ?2) AND NOT EXISTS (SELECT 1 "
	    "FROM dose_errors e WHERE e.dose_id = d.id)";
	sqlite3_stmt	*st = store_stmt(s, sql);
	int		 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, patient_id, -1, SQLITE_STATIC);
	if (product_id != NULL)
		sqlite3_bind_text(st, 2, product_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	/* No dose given: one row of NULLs. */
	if ((*found = rc == SQLITE_ROW &&
	    sqlite3_column_type(st, DOSE_NCOLUMNS) != SQLITE_NULL))
		store_dose_columns(st, out);
	store_done(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK :
	    store_failed(s, rc, "doses");
}

/* Keep a caution confirmed by staff_id as dose_id was given. */
enum store_result
store_dose_caution_insert(struct store *s, const char *dose_id,
    const struct caution *c, const char *staff_id, int64_t at)
{
	static const char sql[] = "INSERT INTO dose_cautions (dose_id, code, "
	    "message, confirmed_by, confirmed_at) VALUES (?1, ?2, ?3, ?4, ?5)";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, dose_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, caution_code_name(c->code), -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 3, c->message, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, staff_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, at);
	return store_step_done(s, st);
}

/* The cautions confirmed as a dose was given, in the order they were
 * stored (that of their codes, as caution_find() lists them). */
enum store_result
store_dose_cautions(struct store *s, const char *dose_id,
    struct caution_list *out)
{
	static const char sql[] = "SELECT code, message FROM dose_cautions "
	    "WHERE dose_id = ?1 ORDER BY rowid";
	sqlite3_stmt	*st = store_stmt(s, sql);
	struct caution	 c;
	int		 rc;

	memset(out, 0, sizeof *out);
	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, dose_id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (caution_code_parse(store_text(st, 0), &c.code) == 0 &&
		    out->n < CAUTION_NCODES) {
			store_copy_text(st, 1, c.message, sizeof c.message);
			out->item[out->n++] = c;
		}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(s, rc, "doses");
}
