/* Short ids: which records' ids begin with a prefix (the first two are
 * enough to know whether it names one). */
#include <string.h>

#include <sqlite3.h>

#include "store_ids.h"
#include "store_internal.h"

/* The statement of each kind: its table, fixed, so statements are
 * prepared once and no table name is ever built from input. */
static const char *const store_id_sql[] = {
	[STORE_ID_ALERT] = "SELECT id FROM alerts "
	    "WHERE substr(id, 1, length(?1)) = ?1 ORDER BY id LIMIT 2",
	/* /v1/prescriptions/{} names an imported one still to be
	 * confirmed too (api_import.c), so both tables are searched. */
	[STORE_ID_PRESCRIPTION] = "SELECT id FROM prescriptions "
	    "WHERE substr(id, 1, length(?1)) = ?1 UNION ALL "
	    "SELECT id FROM prescriptions_to_confirm "
	    "WHERE substr(id, 1, length(?1)) = ?1 ORDER BY id LIMIT 2",
	[STORE_ID_DOSE] = "SELECT id FROM doses "
	    "WHERE substr(id, 1, length(?1)) = ?1 ORDER BY id LIMIT 2",
	[STORE_ID_MOVEMENT] = "SELECT id FROM movements "
	    "WHERE substr(id, 1, length(?1)) = ?1 ORDER BY id LIMIT 2",
	[STORE_ID_OBSERVATION] = "SELECT id FROM observations "
	    "WHERE substr(id, 1, length(?1)) = ?1 ORDER BY id LIMIT 2",
	[STORE_ID_STAFF_CHANGE] = "SELECT id FROM staff_changes "
	    "WHERE substr(id, 1, length(?1)) = ?1 ORDER BY id LIMIT 2",
	[STORE_ID_TERMINAL] = "SELECT id FROM terminals "
	    "WHERE substr(id, 1, length(?1)) = ?1 ORDER BY id LIMIT 2",
};

/* The id of the kind that begins with prefix, into id when exactly one
 * does; *matches is 0, 1 or 2 (two or more). */
enum store_result
store_id_by_prefix(struct store *s, enum store_id_kind kind,
    const char *prefix, char id[UUID_STR_LEN], int *matches)
{
	sqlite3_stmt	*st = store_stmt(s, store_id_sql[kind]);
	int		 rc;

	*matches = 0;
	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if ((*matches)++ == 0)
			store_copy_text(st, 0, id, UUID_STR_LEN);
	store_done(st);
	if (rc != SQLITE_DONE)
		return store_failed(s, rc, "reading ids by their start");
	return STORE_OK;
}
