/* Statements on products and the controlled-drug register.  Entries are
 * only ever inserted: the schema's triggers refuse UPDATE and DELETE and
 * check that each balance follows on from the one before. */
#include <string.h>

#include "store_internal.h"

#define PRODUCT_COLUMNS \
	"p.id, p.name, p.form, p.strength, p.unit, p.created_by, " \
	"p.created_at, coalesce((SELECT balance_after FROM register_entries " \
	"r WHERE r.product_id = p.id ORDER BY seq DESC LIMIT 1), 0), " \
	"p.active_quantity, p.active_unit, p.max_single_dose, " \
	"p.max_daily_dose, p.opioid_substitute"

/* Read a row selected with PRODUCT_COLUMNS, starting at column first. */
static void
store_product_columns(sqlite3_stmt *st, int first, struct product *p)
{
	memset(p, 0, sizeof *p);
	store_copy_text(st, first, p->id, sizeof p->id);
	store_copy_text(st, first + 1, p->name, sizeof p->name);
	store_copy_text(st, first + 2, p->form, sizeof p->form);
	store_copy_text(st, first + 3, p->strength, sizeof p->strength);
	store_copy_text(st, first + 4, p->unit, sizeof p->unit);
	store_copy_text(st, first + 5, p->created_by, sizeof p->created_by);
	p->created_at = sqlite3_column_int64(st, first + 6);
	p->balance = sqlite3_column_int64(st, first + 7);
	p->active_per_unit.quantity = sqlite3_column_int64(st, first + 8);
	store_copy_text(st, first + 9, p->active_per_unit.unit,
	    sizeof p->active_per_unit.unit);
	p->max_single_dose = sqlite3_column_int64(st, first + 10);
	p->max_daily_dose = sqlite3_column_int64(st, first + 11);
	p->opioid_substitute = sqlite3_column_int(st, first + 12);
}

/* store_product_columns() in the shape store_get_one() takes. */
static void
store_product_row(sqlite3_stmt *st, void *out)
{
	store_product_columns(st, 0, out);
}

/* Store a new product (a register page). */
enum store_result
store_product_insert(struct store *s, const struct product *p)
{
	static const char sql[] = "INSERT INTO products (id, name, form, "
	    "strength, unit, created_by, created_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, p->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, p->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, p->form, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, p->strength, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, p->unit, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, p->created_by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, p->created_at);
	return store_step_done(s, st);
}

/* Store what a pharmacist set of a product: its strength, its limits
 * and whether it is an opioid substitute (0 for a value not set). */
enum store_result
store_product_update(struct store *s, const struct product *p)
{
	static const char sql[] = "UPDATE products SET "
	    "active_quantity = nullif(?2, 0), active_unit = nullif(?3, ''), "
	    "max_single_dose = nullif(?4, 0), max_daily_dose = nullif(?5, 0), "
	    "opioid_substitute = ?6 WHERE id = ?1";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, p->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, p->active_per_unit.quantity);
	sqlite3_bind_text(st, 3, p->active_per_unit.unit, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, p->max_single_dose);
	sqlite3_bind_int64(st, 5, p->max_daily_dose);
	sqlite3_bind_int(st, 6, p->opioid_substitute);
	return store_step_done(s, st);
}

/* A product with its running balance. */
enum store_result
store_product_get(struct store *s, const char *id, struct product *out)
{
	static const char sql[] =
	    "SELECT " PRODUCT_COLUMNS " FROM products p WHERE p.id = ?1";

	return store_get_one(s, sql, id, store_product_row, out, "products");
}

/* Every product, with its running balance, by name. */
enum store_result
store_product_list(struct store *s,
    void (*each)(const struct product *, void *), void *arg)
{
	static const char sql[] = "SELECT " PRODUCT_COLUMNS
	    " FROM products p ORDER BY p.name, p.form, p.strength";
	sqlite3_stmt	*st = store_stmt(s, sql);
	struct product	 p;
	int		 rc;

	if (st == NULL)
		return STORE_ERROR;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_product_columns(st, 0, &p);
		each(&p, arg);
	}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(s, rc, "products");
}

/* The running balance of a product: its last entry's, or 0. */
enum store_result
store_register_balance(struct store *s, const char *product_id,
    int64_t *balance)
{
	static const char sql[] = "SELECT balance_after FROM register_entries "
	    "WHERE product_id = ?1 ORDER BY seq DESC LIMIT 1";
	sqlite3_stmt	*st = store_stmt(s, sql);
	int		 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, product_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	*balance = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	store_done(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK :
	    store_failed(s, rc, "register balance");
}

/* store_get_one()'s reader of a row of one integer. */
static void
store_register_int64(sqlite3_stmt *st, void *out)
{
	*(int64_t *)out = sqlite3_column_int64(st, 0);
}

/* What the corrections of entry id have changed so far, added up (0 for
 * none). */
enum store_result
store_register_corrected(struct store *s, const char *id, int64_t *sum)
{
	static const char sql[] = "SELECT coalesce(sum(quantity), 0) FROM "
	    "register_entries WHERE corrects_id = ?1";

	return store_get_one(s, sql, id, store_register_int64, sum,
	    "register corrections");
}

/* Append an entry; sets e->seq. */
enum store_result
store_register_insert(struct store *s, struct register_entry *e)
{
	static const char sql[] = "INSERT INTO register_entries (id, "
	    "product_id, kind, quantity, balance_after, counted, at, by_id, "
	    "witness_id, dose_id, patient_id, supplier, reference, reason, "
	    "corrects_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
	    "?11, ?12, ?13, ?14, ?15)";
	sqlite3_stmt		*st = store_stmt(s, sql);
	enum store_result	 r;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, e->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, e->product_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, register_kind_name(e->kind), -1,
	    SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, e->quantity);
	sqlite3_bind_int64(st, 5, e->balance_after);
	if (e->kind == REGISTER_CHECK)
		sqlite3_bind_int64(st, 6, e->counted);
	sqlite3_bind_int64(st, 7, e->at);
	sqlite3_bind_text(st, 8, e->by, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, e->witness, -1, SQLITE_STATIC);
	store_bind_optional(st, 10, e->dose_id);
	store_bind_optional(st, 11, e->patient_id);
	store_bind_optional(st, 12, e->supplier);
	store_bind_optional(st, 13, e->reference);
	store_bind_optional(st, 14, e->reason);
	store_bind_optional(st, 15, e->corrects);
	if ((r = store_step_done(s, st)) == STORE_OK)
		e->seq = sqlite3_last_insert_rowid(sqlite3_db_handle(st));
	return r;
}

#define ENTRY_COLUMNS \
	"e.seq, e.id, e.product_id, e.kind, e.quantity, e.balance_after, " \
	"e.counted, e.at, e.by_id, e.witness_id, e.dose_id, e.patient_id, " \
	"e.supplier, e.reference, e.reason, e.corrects_id"

/* Read a row selected with ENTRY_COLUMNS. */
static void
store_entry_row(sqlite3_stmt *st, void *out)
{
	struct register_entry	*e = out;

	memset(e, 0, sizeof *e);
	e->seq = sqlite3_column_int64(st, 0);
	store_copy_text(st, 1, e->id, sizeof e->id);
	store_copy_text(st, 2, e->product_id, sizeof e->product_id);
	if (register_kind_parse(store_text(st, 3), &e->kind) == -1)
		e->kind = REGISTER_CHECK;
	e->quantity = sqlite3_column_int64(st, 4);
	e->balance_after = sqlite3_column_int64(st, 5);
	e->counted = sqlite3_column_int64(st, 6);
	e->at = sqlite3_column_int64(st, 7);
	store_copy_text(st, 8, e->by, sizeof e->by);
	store_copy_text(st, 9, e->witness, sizeof e->witness);
	store_copy_text(st, 10, e->dose_id, sizeof e->dose_id);
	store_copy_text(st, 11, e->patient_id, sizeof e->patient_id);
	store_copy_text(st, 12, e->supplier, sizeof e->supplier);
	store_copy_text(st, 13, e->reference, sizeof e->reference);
	store_copy_text(st, 14, e->reason, sizeof e->reason);
	store_copy_text(st, 15, e->corrects, sizeof e->corrects);
}

/* One register entry by its id. */
enum store_result
store_register_get(struct store *s, const char *id, struct register_entry *out)
{
	static const char sql[] =
	    "SELECT " ENTRY_COLUMNS " FROM register_entries e WHERE e.id = ?1";

	return store_get_one(s, sql, id, store_entry_row, out, "register");
}

/* Read a person from three columns: id, username, display name. */
void
store_person_columns(sqlite3_stmt *st, int first, struct store_person *p)
{
	store_copy_text(st, first, p->id, sizeof p->id);
	store_copy_text(st, first + 1, p->username, sizeof p->username);
	store_copy_text(st, first + 2, p->display_name,
	    sizeof p->display_name);
}

/* Read a patient from five columns: id, prison number, given and family
 * names, location. */
void
store_patient_ref_columns(sqlite3_stmt *st, int first,
    struct store_patient_ref *p)
{
	store_copy_text(st, first, p->id, sizeof p->id);
	store_copy_text(st, first + 1, p->prison_number,
	    sizeof p->prison_number);
	store_copy_text(st, first + 2, p->given_name, sizeof p->given_name);
	store_copy_text(st, first + 3, p->family_name, sizeof p->family_name);
	store_copy_text(st, first + 4, p->location, sizeof p->location);
}

/* A page of the register in order, after seq after, at most limit. */
enum store_result
store_register_list(struct store *s, const char *product_id, int64_t after,
    int limit, void (*each)(const struct store_register_row *, void *),
    void *arg)
{
	static const char sql[] = "SELECT " ENTRY_COLUMNS ", "
	    "b.id, b.username, b.display_name, "
	    "w.id, w.username, w.display_name, "
	    "p.id, p.prison_number, p.given_name, p.family_name, p.location "
	    "FROM register_entries e "
	    "JOIN staff b ON b.id = e.by_id JOIN staff w ON w.id = e.witness_id "
	    "LEFT JOIN patients p ON p.id = e.patient_id "
	    "WHERE e.product_id = ?1 AND e.seq > ?2 ORDER BY e.seq LIMIT ?3";
	sqlite3_stmt			*st = store_stmt(s, sql);
	struct store_register_row	 row;
	int				 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, product_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, after);
	sqlite3_bind_int(st, 3, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&row, 0, sizeof row);
		store_entry_row(st, &row.entry);
		store_person_columns(st, 16, &row.by);
		store_person_columns(st, 19, &row.witness);
		store_patient_ref_columns(st, 22, &row.patient);
		each(&row, arg);
	}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(s, rc, "register");
}
