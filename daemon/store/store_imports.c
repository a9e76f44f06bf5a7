/* Statements on transfer documents imported at reception and on the
 * prescriptions they carried, to be confirmed here. */
#include <stdlib.h>
#include <string.h>

#include "store_imports.h"
#include "store_internal.h"

#define RX_TO_CONFIRM_SELECT \
	"SELECT c.id, c.import_id, c.patient_id, c.product_id, c.request, " \
	"i.sender, i.imported_at, c.confirmed_at, c.prescription_id " \
	"FROM prescriptions_to_confirm c " \
	"JOIN transfer_imports i ON i.id = c.import_id "

/* Record a document imported. */
enum store_result
store_import_insert(struct store *s, const struct store_import *imp)
{
	static const char sql[] = "INSERT INTO transfer_imports (id, "
	    "patient_id, sender, document_id, document_hash, imported_at, "
	    "imported_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, imp->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, imp->patient_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, imp->sender, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, imp->document_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, imp->document_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, imp->imported_at);
	sqlite3_bind_text(st, 7, imp->imported_by, -1, SQLITE_STATIC);
	return store_step_done(s, st);
}

/* Whether a document with this hash of its canonical JSON was imported
 * before. */
enum store_result
store_import_seen(struct store *s, const char *hash, int *seen)
{
	static const char sql[] = "SELECT count(*) FROM transfer_imports "
	    "WHERE document_hash = ?1";
	sqlite3_stmt	*st = store_stmt(s, sql);
	int		 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	*seen = rc == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
	store_done(st);
	return rc == SQLITE_ROW ? STORE_OK : store_failed(s, rc,
	    "transfer imports");
}

/* Record a prescription of a document, waiting for a prescriber. */
enum store_result
store_rx_to_confirm_insert(struct store *s,
    const struct store_rx_to_confirm *c)
{
	static const char sql[] = "INSERT INTO prescriptions_to_confirm (id, "
	    "import_id, patient_id, product_id, request) VALUES (?1, ?2, ?3, "
	    "?4, ?5)";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->import_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, c->patient_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, c->product_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, c->request, -1, SQLITE_STATIC);
	return store_step_done(s, st);
}

/* Read a row selected with RX_TO_CONFIRM_SELECT; request is copied to
 * the heap (NULL if memory ran out). */
static void
store_rx_to_confirm_row(sqlite3_stmt *st, void *out)
{
	struct store_rx_to_confirm	*c = out;

	memset(c, 0, sizeof *c);
	store_copy_text(st, 0, c->id, sizeof c->id);
	store_copy_text(st, 1, c->import_id, sizeof c->import_id);
	store_copy_text(st, 2, c->patient_id, sizeof c->patient_id);
	store_copy_text(st, 3, c->product_id, sizeof c->product_id);
	c->request = strdup(store_text(st, 4));
	store_copy_text(st, 5, c->sender, sizeof c->sender);
	c->imported_at = sqlite3_column_int64(st, 6);
	c->confirmed_at = sqlite3_column_int64(st, 7);
	store_copy_text(st, 8, c->prescription_id, sizeof c->prescription_id);
}

/* A prescription to be confirmed (or confirmed); the caller frees
 * out->request. */
enum store_result
store_rx_to_confirm_get(struct store *s, const char *id,
    struct store_rx_to_confirm *out)
{
	static const char sql[] = RX_TO_CONFIRM_SELECT "WHERE c.id = ?1";
	enum store_result	r;

	r = store_get_one(s, sql, id, store_rx_to_confirm_row, out,
	    "prescriptions to confirm");
	if (r == STORE_OK && out->request == NULL)
		return STORE_ERROR;
	return r;
}

/* Call each for every prescription of a patient still to be confirmed,
 * oldest import first. */
enum store_result
store_rx_to_confirm_list(struct store *s, const char *patient_id,
    void (*each)(const struct store_rx_to_confirm *, void *), void *arg)
{
	static const char sql[] = RX_TO_CONFIRM_SELECT "WHERE c.patient_id = "
	    "?1 AND c.confirmed_at IS NULL ORDER BY i.imported_at, c.rowid";
	struct store_rx_to_confirm	 c;
	sqlite3_stmt			*st = store_stmt(s, sql);
	enum store_result		 r = STORE_OK;
	int				 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, patient_id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_rx_to_confirm_row(st, &c);
		if (c.request == NULL) {
			r = STORE_ERROR;
			break;
		}
		each(&c, arg);
		free(c.request);
	}
	store_done(st);
	if (r == STORE_OK && rc != SQLITE_DONE)
		r = store_failed(s, rc, "prescriptions to confirm");
	return r;
}

/* Mark a prescription confirmed, by whom and as which prescription. */
enum store_result
store_rx_to_confirm_done(struct store *s, const char *id, int64_t now,
    const char *by, const char *prescription_id)
{
	static const char sql[] = "UPDATE prescriptions_to_confirm SET "
	    "confirmed_at = ?2, confirmed_by = ?3, prescription_id = ?4 "
	    "WHERE id = ?1 AND confirmed_at IS NULL";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_text(st, 3, by, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, prescription_id, -1, SQLITE_STATIC);
	return store_step_done(s, st);
}
