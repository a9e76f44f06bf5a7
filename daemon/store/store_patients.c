/* Statements on patients and what reception recorded of their community
 * treatment. */
#include <stdio.h>
#include <string.h>

#include "patient.h"
#include "store_internal.h"

#define PATIENT_SELECT \
	"SELECT p.id, p.prison_number, p.given_name, p.family_name, " \
	"p.date_of_birth, p.arrived_at, p.location, p.stimulant_user, " \
	"p.status, p.created_by, p.created_at, c.drug, c.dose, c.unit, " \
	"c.prescriber, c.last_dose_at, p.nhs_number FROM patients p " \
	"LEFT JOIN community_treatments c ON c.patient_id = p.id "

/* Read a row selected with PATIENT_SELECT. */
static void
store_patient_row(sqlite3_stmt *st, struct patient *out)
{
	memset(out, 0, sizeof *out);
	store_copy_text(st, 0, out->id, sizeof out->id);
	store_copy_text(st, 1, out->prison_number, sizeof out->prison_number);
	store_copy_text(st, 2, out->given_name, sizeof out->given_name);
	store_copy_text(st, 3, out->family_name, sizeof out->family_name);
	if (timefmt_parse_date(store_text(st, 4), &out->date_of_birth) == -1)
		memset(&out->date_of_birth, 0, sizeof out->date_of_birth);
	out->arrived_at = sqlite3_column_int64(st, 5);
	store_copy_text(st, 6, out->location, sizeof out->location);
	out->stimulant_user = sqlite3_column_int(st, 7);
	/* The schema's CHECK allows only the status names. */
	(void)patient_status_parse(store_text(st, 8), &out->status);
	store_copy_text(st, 9, out->created_by, sizeof out->created_by);
	out->created_at = sqlite3_column_int64(st, 10);
	store_copy_text(st, 16, out->nhs_number, sizeof out->nhs_number);
	if (sqlite3_column_type(st, 11) != SQLITE_NULL) {
		out->in_treatment = 1;
		store_copy_text(st, 11, out->community.drug,
		    sizeof out->community.drug);
		out->community.dose = sqlite3_column_int64(st, 12);
		store_copy_text(st, 13, out->community.unit,
		    sizeof out->community.unit);
		store_copy_text(st, 14, out->community.prescriber,
		    sizeof out->community.prescriber);
		out->community.has_last_dose =
		    sqlite3_column_type(st, 15) != SQLITE_NULL;
		out->community.last_dose_at = sqlite3_column_int64(st, 15);
	}
}

/* Insert a patient, and their community treatment if they have one.  The
 * caller's transaction makes the two one change. */
enum store_result
store_patient_insert(struct store *s, const struct patient *p)
{
	static const char sql[] = "INSERT INTO patients (id, prison_number, "
	    "given_name, family_name, date_of_birth, arrived_at, location, "
	    "stimulant_user, status, created_by, created_at) VALUES (?1, ?2, "
	    "?3, ?4, ?5, ?6, ?7, ?8, 'in_custody', ?9, ?10)";
	static const char sql_ct[] = "INSERT INTO community_treatments "
	    "(patient_id, drug, dose, unit, prescriber, last_dose_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	sqlite3_stmt		*st = store_stmt(s, sql);
	char			 dob[TIMEFMT_DATE_LEN];
	enum store_result	 r;

	if (st == NULL)
		return STORE_ERROR;
	timefmt_format_date(p->date_of_birth, dob);
	sqlite3_bind_text(st, 1, p->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, p->prison_number, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, p->given_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, p->family_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, dob, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, p->arrived_at);
	sqlite3_bind_text(st, 7, p->location, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 8, p->stimulant_user);
	sqlite3_bind_text(st, 9, p->created_by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, p->created_at);
	if ((r = store_step_done(s, st)) != STORE_OK || !p->in_treatment)
		return r;

	if ((st = store_stmt(s, sql_ct)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, p->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, p->community.drug, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, p->community.dose);
	sqlite3_bind_text(st, 4, p->community.unit, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, p->community.prescriber, -1, SQLITE_STATIC);
	if (p->community.has_last_dose)
		sqlite3_bind_int64(st, 6, p->community.last_dose_at);
	return store_step_done(s, st);
}

enum store_result
store_patient_get(struct store *s, const char *id, struct patient *out)
{
	static const char sql[] = PATIENT_SELECT "WHERE p.id = ?1";
	sqlite3_stmt		*st = store_stmt(s, sql);
	enum store_result	 r = STORE_OK;
	int			 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		store_patient_row(st, out);
	else if (rc == SQLITE_DONE)
		r = STORE_NOT_FOUND;
	else
		r = store_failed(s, rc, "reading a patient");
	store_done(st);
	return r;
}

/* Call each for every patient with status (all when NULL), by family
 * name. */
enum store_result
store_patient_list(struct store *s, const char *status,
    void (*each)(const struct patient *, void *), void *arg)
{
	static const char sql[] = PATIENT_SELECT
	    "WHERE ?1 IS NULL OR p.status = ?1 "
	    "ORDER BY p.family_name, p.given_name, p.prison_number";
	sqlite3_stmt	*st = store_stmt(s, sql);
	struct patient	 row;
	int		 rc;

	if (st == NULL)
		return STORE_ERROR;
	if (status != NULL)
		sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_patient_row(st, &row);
		each(&row, arg);
	}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK :
	    store_failed(s, rc, "patient list");
}

/* Flag a patient as a current stimulant user. */
enum store_result
store_patient_flag_stimulant(struct store *s, const char *id)
{
	static const char sql[] = "UPDATE patients SET stimulant_user = 1 "
	    "WHERE id = ?1";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	return store_step_done(s, st);
}
