/* Appending to and walking the hash-chained audit log.  An entry that
 * names a dose, a register entry, an observation or a person (as its
 * record, or by a dose_id, register_entry_id, observation_id or staff_id
 * in its detail) records the digest of that row as the change left it, so
 * verify can tell a row edited in the file from one the daemon wrote.
 * Also the signed chain heads (audit_anchors). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "json_out.h"
#include "store_internal.h"

#define AUDIT_COLUMNS \
	"seq, at, actor_id, action, record_type, record_id, detail, " \
	"prev_hash, hash"

/* The clinical tables and staff, whose rows the entries record, each
 * row's columns in a fixed order (the id first).  A column added later is
 * not covered until it is added here, at the end. */
#define DIGEST_DOSES "id, prescription_id, patient_id, due_at, " \
	"window_start, window_end, amount, state, recorded_at, recorded_by, " \
	"witnessed_by, reason, note, register_entry_id FROM doses"
#define DIGEST_REGISTER "id, seq, product_id, kind, quantity, " \
	"balance_after, counted, at, by_id, witness_id, dose_id, patient_id, " \
	"supplier, reference, reason, corrects_id FROM register_entries"
#define DIGEST_OBSERVATIONS "id, patient_id, taken_at, respiratory_rate, " \
	"spo2, spo2_scale, on_oxygen, systolic_bp, pulse, consciousness, " \
	"temperature_tenths, total, band, red_parameter, next_due_at, " \
	"recorded_by, recorded_at FROM observations"
/* Who may do what: the columns that decide it.  Not the name, nor the
 * lockout counters, which a wrong PIN changes. */
#define DIGEST_STAFF "id, username, roles, active, pin_hash FROM staff"

struct audit_table {
	const char		*table;
	const char		*record_type;	/* an entry's record_type */
	const char		*detail_key;	/* or this key of its detail */
	int			 ncols;
	int			 kept;		/* never deleted by the daemon */
	const char		*sql_one;
	const char		*sql_all;	/* ordered by id */
	const char *const	*actions;	/* only these (NULL: any) */
};

/* The entries that change who may do what; only they record a staff row,
 * so an entry that merely names a person (a sign-in, a wrong PIN, a
 * request for a change) cannot make a row edited in the file look as
 * the daemon left it.  A path that changes those columns and is not here
 * shows as row_changed: add it. */
static const char *const audit_staff_actions[] = {
	"staff.create", "staff.update", "staff.init_admin", "demo.staff",
	"staff.pin_change", "staff.change_approve", NULL
};

/* Doses not yet given are deleted when a prescription stops; register
 * entries, observations and staff never are. */
static const struct audit_table audit_tables[] = {
	{ "register_entries", "register_entry", "register_entry_id", 16, 1,
	    "SELECT " DIGEST_REGISTER " WHERE id = ?1",
	    "SELECT " DIGEST_REGISTER " ORDER BY id", NULL },
	{ "doses", "dose", "dose_id", 14, 0,
	    "SELECT " DIGEST_DOSES " WHERE id = ?1",
	    "SELECT " DIGEST_DOSES " ORDER BY id", NULL },
	{ "observations", "observation", "observation_id", 17, 1,
	    "SELECT " DIGEST_OBSERVATIONS " WHERE id = ?1",
	    "SELECT " DIGEST_OBSERVATIONS " ORDER BY id", NULL },
	{ "staff", "staff", "staff_id", 5, 1,
	    "SELECT " DIGEST_STAFF " WHERE id = ?1",
	    "SELECT " DIGEST_STAFF " ORDER BY id", audit_staff_actions },
};

#define AUDIT_NTABLES	(sizeof audit_tables / sizeof audit_tables[0])

/* The digest of the row in the current row of st. */
static int
store_audit_digest(const struct audit_table *t, sqlite3_stmt *st,
    char out[DIGEST_HEX_LEN])
{
	const char	*values[AUDIT_ROW_MAX_COLUMNS];
	int		 i, type;

	for (i = 0; i < t->ncols; i++) {
		type = sqlite3_column_type(st, i);
		values[i] = (const char *)sqlite3_column_text(st, i);
		if (values[i] == NULL && type != SQLITE_NULL)
			return -1;	/* out of memory making it text */
	}
	return audit_row_digest(t->table, values, (size_t)t->ncols, out);
}

/* Whether SQLite ran out of memory making column col of st text, which
 * it says only by a NULL (so the type is read first).  Once made, the
 * text stays, for store_text() to read. */
static int
store_audit_unreadable(sqlite3_stmt *st, int col)
{
	int	type = sqlite3_column_type(st, col);

	return sqlite3_column_text(st, col) == NULL && type != SQLITE_NULL;
}

/* Add {table, id, digest} of one row, as it is now, to rows; a row that
 * does not exist (any more) adds nothing. */
static enum store_result
store_audit_digest_row(struct store *s, const struct audit_table *t,
    const char *id, json_t *rows)
{
	sqlite3_stmt	*st;
	char		 digest[DIGEST_HEX_LEN];
	int		 rc, ok = 1;

	if ((st = store_stmt(s, t->sql_one)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		ok = store_audit_digest(t, st, digest) == 0 &&
		    json_array_append_new(rows, json_pack("{s:s,s:s,s:s}",
		    "table", t->table, "id", id, "digest", digest)) == 0;
	store_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_failed(s, rc, "audit row digest");
	return ok ? STORE_OK : STORE_ERROR;
}

/* Whether an entry of action records the rows of t it names. */
static int
store_audit_records(const struct audit_table *t, const char *action)
{
	const char *const	*a;

	if (t->actions == NULL)
		return 1;
	for (a = t->actions; *a != NULL; a++)
		if (strcmp(*a, action) == 0)
			return 1;
	return 0;
}

/* Record in detail ("rows") the digest of every row the entry names. */
static enum store_result
store_audit_digests(struct store *s, const char *action,
    const char *record_type, const char *record_id, json_t *detail)
{
	const struct audit_table	*t;
	json_t				*rows, *v;
	size_t				 i;
	enum store_result		 r = STORE_OK;

	if ((rows = json_array()) == NULL)
		return STORE_ERROR;
	for (i = 0; r == STORE_OK && i < AUDIT_NTABLES; i++) {
		t = &audit_tables[i];
		if (!store_audit_records(t, action))
			continue;
		if (strcmp(record_type, t->record_type) == 0)
			r = store_audit_digest_row(s, t, record_id, rows);
		v = json_object_get(detail, t->detail_key);
		if (r == STORE_OK && json_is_string(v))
			r = store_audit_digest_row(s, t, json_string_value(v),
			    rows);
	}
	if (r != STORE_OK || json_array_size(rows) == 0) {
		json_decref(rows);
		return r;
	}
	return json_object_set_new(detail, "rows", rows) == 0 ? STORE_OK :
	    STORE_ERROR;
}

/* The last entry's sequence number and hash (0 and the genesis hash for
 * an empty log, as the caller set them). */
static enum store_result
store_audit_tail(struct store *s, int64_t *seq, char prev[DIGEST_HEX_LEN])
{
	static const char sql_last[] =
	    "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, sql_last)) == NULL)
		return STORE_ERROR;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*seq = sqlite3_column_int64(st, 0);
		store_copy_text(st, 1, prev, DIGEST_HEX_LEN);
	}
	store_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_failed(s, rc, "audit tail");
	return STORE_OK;
}

/* Write entry e, chained after prev, with its hash. */
static enum store_result
store_audit_insert(struct store *s, const struct audit_entry *e,
    const char *prev, const char *hash)
{
	static const char sql_insert[] = "INSERT INTO audit (" AUDIT_COLUMNS
	    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
	sqlite3_stmt	*st;

	if ((st = store_stmt(s, sql_insert)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, e->seq);
	sqlite3_bind_int64(st, 2, e->at);
	sqlite3_bind_text(st, 3, e->actor_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, e->action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, e->record_type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, e->record_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, e->detail, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, prev, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, hash, -1, SQLITE_STATIC);
	return store_step_done(s, st);
}

/* Append one entry after the last, in the caller's transaction.  The
 * detail is consumed, as with json_object_set_new(). */
enum store_result
store_audit_append(struct store *s, int64_t now, const char *actor_id,
    const char *action, const char *record_type, const char *record_id,
    json_t *detail)
{
	struct audit_entry	 e;
	char			 prev[DIGEST_HEX_LEN] = AUDIT_GENESIS;
	char			 hash[DIGEST_HEX_LEN], *text;
	int64_t			 seq = 0;
	enum store_result	 r;

	if (detail == NULL)
		return STORE_ERROR;
	if (store_audit_digests(s, action, record_type, record_id, detail) !=
	    STORE_OK) {
		json_decref(detail);
		return STORE_ERROR;
	}
	text = json_out_text(detail, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(detail);
	if (text == NULL)
		return STORE_ERROR;
	if ((r = store_audit_tail(s, &seq, prev)) != STORE_OK) {
		free(text);
		return r;
	}
	e.seq = seq + 1;
	e.at = now;
	e.actor_id = actor_id;
	e.action = action;
	e.record_type = record_type;
	e.record_id = record_id;
	e.detail = text;
	r = audit_hash(prev, &e, hash) == -1 ? STORE_ERROR :
	    store_audit_insert(s, &e, prev, hash);
	free(text);
	return r;
}

/* Read the entry in the current row of st. */
static void
store_audit_row(sqlite3_stmt *st, struct audit_entry *e)
{
	e->seq = sqlite3_column_int64(st, 0);
	e->at = sqlite3_column_int64(st, 1);
	e->actor_id = store_text(st, 2);
	e->action = store_text(st, 3);
	e->record_type = store_text(st, 4);
	e->record_id = store_text(st, 5);
	e->detail = store_text(st, 6);
}

/* Call each for up to limit entries after seq after, in order. */
enum store_result
store_audit_list(struct store *s, int64_t after, int limit,
    void (*each)(const struct audit_entry *, const char *, void *), void *arg)
{
	static const char sql[] = "SELECT " AUDIT_COLUMNS " FROM audit "
	    "WHERE seq > ?1 ORDER BY seq LIMIT ?2";
	sqlite3_stmt		*st = store_stmt(s, sql);
	struct audit_entry	 e;
	int			 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, after);
	sqlite3_bind_int(st, 2, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_audit_row(st, &e);
		each(&e, store_text(st, 8), arg);
	}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(s, rc, "audit list");
}

/* Walk the whole chain.  *first_broken is the seq of the first entry whose
 * position, link or hash is wrong, or 0 when the chain is whole. */
static enum store_result
store_audit_walk(struct store *s, int64_t *entries, int64_t *first_broken)
{
	static const char sql[] =
	    "SELECT " AUDIT_COLUMNS " FROM audit ORDER BY seq";
	sqlite3_stmt		*st = store_stmt(s, sql);
	struct audit_entry	 e;
	char			 prev[DIGEST_HEX_LEN] = AUDIT_GENESIS;
	char			 hash[DIGEST_HEX_LEN];
	int			 rc;

	if (st == NULL)
		return STORE_ERROR;
	*entries = 0;
	*first_broken = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_audit_row(st, &e);
		(*entries)++;
		if (*first_broken != 0)
			continue;
		if (e.seq != *entries ||
		    strcmp(store_text(st, 7), prev) != 0 ||
		    audit_hash(prev, &e, hash) == -1 ||
		    strcmp(hash, store_text(st, 8)) != 0) {
			*first_broken = e.seq;
			continue;
		}
		memcpy(prev, hash, sizeof prev);
	}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK :
	    store_failed(s, rc, "audit verify");
}

/* The hash of the entry at seq (the genesis for 0); *found 0 if there is
 * no such entry. */
static enum store_result
store_audit_hash_at(struct store *s, int64_t seq, char hash[DIGEST_HEX_LEN],
    int *found)
{
	static const char sql[] = "SELECT hash FROM audit WHERE seq = ?1";
	sqlite3_stmt	*st;
	int		 rc;

	*found = 1;
	if (seq == 0) {
		strcpy(hash, AUDIT_GENESIS);
		return STORE_OK;
	}
	if ((st = store_stmt(s, sql)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, seq);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		store_copy_text(st, 0, hash, DIGEST_HEX_LEN);
	store_done(st);
	*found = rc == SQLITE_ROW;
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK :
	    store_failed(s, rc, "audit hash at");
}

/* The chain's latest audit.anchor entry and the seq of the head it says
 * was signed; both 0 if there is none. */
enum store_result
store_anchor_entry_latest(struct store *s, int64_t *entry_seq,
    int64_t *signed_seq)
{
	static const char sql[] = "SELECT seq, CASE WHEN json_valid(detail) "
	    "THEN json_extract(detail, '$.seq') END FROM audit WHERE action "
	    "= 'audit.anchor' ORDER BY seq DESC LIMIT 1";
	sqlite3_stmt	*st = store_stmt(s, sql);
	int		 rc;

	if (st == NULL)
		return STORE_ERROR;
	*entry_seq = *signed_seq = 0;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*entry_seq = sqlite3_column_int64(st, 0);
		*signed_seq = sqlite3_column_int64(st, 1);
	}
	store_done(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK :
	    store_failed(s, rc, "audit anchor entry");
}

/* Whether a start-up recorded the chain cut below the head at seq
 * (anchoring_start()'s audit.truncated entry). */
static enum store_result
store_audit_cut_recorded(struct store *s, int64_t seq, int *cut)
{
	static const char sql[] = "SELECT 1 FROM audit WHERE action = "
	    "'audit.truncated' AND record_type = 'audit_anchor' AND "
	    "record_id = ?1 LIMIT 1";
	sqlite3_stmt	*st;
	char		 id[24];
	int		 rc;

	if ((st = store_stmt(s, sql)) == NULL)
		return STORE_ERROR;
	snprintf(id, sizeof id, "%" PRId64, seq);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	store_done(st);
	*cut = rc == SQLITE_ROW;
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK :
	    store_failed(s, rc, "audit cut recorded");
}

/* Whether the chain still holds a signed head, and the head is as late
 * as the last the chain's audit.anchor entries say was signed. */
static enum store_result
store_audit_check_anchor(struct store *s, const struct audit_anchor *a,
    struct audit_check *c)
{
	char			hash[DIGEST_HEX_LEN];
	int64_t			entry, signed_seq;
	int			found, cut;
	enum store_result	r;

	if ((r = store_audit_hash_at(s, a->seq, hash, &found)) != STORE_OK ||
	    (r = store_audit_cut_recorded(s, a->seq, &cut)) != STORE_OK)
		return r;
	c->problem = audit_anchor_holds(a, c->entries, found ? hash : NULL,
	    cut);
	if (c->problem != AUDIT_OK) {
		c->seq = a->seq;
		return STORE_OK;
	}
	if ((r = store_anchor_entry_latest(s, &entry, &signed_seq)) !=
	    STORE_OK)
		return r;
	c->problem = audit_anchor_covers(a, signed_seq);
	if (c->problem != AUDIT_OK)
		c->seq = entry;
	return STORE_OK;
}

/* Whether a row no entry records existed before rows were recorded. */
static enum store_result
store_audit_legacy(struct store *s, const char *table, const char *id,
    int *legacy)
{
	static const char sql[] = "SELECT 1 FROM audit_legacy_rows "
	    "WHERE tbl = ?1 AND id = ?2";
	sqlite3_stmt	*st = store_stmt(s, sql);
	int		 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	store_done(st);
	*legacy = rc == SQLITE_ROW;
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK :
	    store_failed(s, rc, "audit legacy rows");
}

/* Say which row the problem is at. */
static void
store_audit_row_at(struct audit_check *c, const struct audit_table *t,
    const char *id)
{
	snprintf(c->table, sizeof c->table, "%s", t->table);
	snprintf(c->id, sizeof c->id, "%s", id);
}

/* Compare one row (the current row of rows) with the digest its last
 * entry recorded (the current row of rec, if rec_ok and of the same id). */
static enum store_result
store_audit_check_row(struct store *s, const struct audit_table *t,
    sqlite3_stmt *rows, sqlite3_stmt *rec, int rec_ok, struct audit_check *c)
{
	const char		*id = store_text(rows, 0);
	char			 digest[DIGEST_HEX_LEN];
	int			 legacy = 0;
	enum store_result	 r;

	c->rows++;
	if (store_audit_digest(t, rows, digest) == -1 ||
	    (rec_ok && store_audit_unreadable(rec, 1)))
		return store_failed(s, SQLITE_NOMEM, "audit row digest");
	if (rec_ok && strcmp(store_text(rec, 0), id) == 0) {
		if (strcmp(store_text(rec, 1), digest) != 0)
			c->problem = AUDIT_ROW_CHANGED;
	} else {
		if ((r = store_audit_legacy(s, t->table, id, &legacy)) !=
		    STORE_OK)
			return r;
		if (!legacy)
			c->problem = AUDIT_ROW_UNRECORDED;
	}
	if (c->problem != AUDIT_OK)
		store_audit_row_at(c, t, id);
	return STORE_OK;
}

/* Check every row of a table against the digest its last entry recorded:
 * the two lists, both in order of id, are walked side by side.  A row an
 * entry records that is gone is missing, from a table the daemon never
 * deletes from.  A detail that names rows is read even when json_valid()
 * says it is not JSON: SQLite 3.40's says so when it runs out of memory,
 * and the rows it records looked unrecorded (alloc_faults.sh); read, it
 * fails with an error (out of memory, or not JSON), never a false report. */
static enum store_result
store_audit_check_table(struct store *s, const struct audit_table *t,
    struct audit_check *c)
{
	static const char sql_rec[] = "SELECT json_extract(r.value, '$.id'), "
	    "json_extract(r.value, '$.digest'), MAX(a.seq) FROM audit a, "
	    "json_each(CASE WHEN json_valid(a.detail) OR instr(a.detail, "
	    "'\"rows\"') THEN a.detail ELSE '{}' END, '$.rows') r "
	    "WHERE json_extract(r.value, '$.table') = ?1 GROUP BY 1 ORDER BY 1";
	sqlite3_stmt		*rec, *rows;
	int			 rc_rec, rc_rows, cmp;
	enum store_result	 r = STORE_OK;

	if ((rec = store_stmt(s, sql_rec)) == NULL)
		return STORE_ERROR;
	if ((rows = store_stmt(s, t->sql_all)) == NULL) {
		store_done(rec);
		return STORE_ERROR;
	}
	sqlite3_bind_text(rec, 1, t->table, -1, SQLITE_STATIC);
	rc_rec = sqlite3_step(rec);
	rc_rows = sqlite3_step(rows);
	while (r == STORE_OK && c->problem == AUDIT_OK &&
	    (rc_rec == SQLITE_ROW || rc_rows == SQLITE_ROW) &&
	    (rc_rec == SQLITE_ROW || rc_rec == SQLITE_DONE) &&
	    (rc_rows == SQLITE_ROW || rc_rows == SQLITE_DONE)) {
		if ((rc_rec == SQLITE_ROW && store_audit_unreadable(rec, 0)) ||
		    (rc_rows == SQLITE_ROW && store_audit_unreadable(rows, 0))) {
			r = store_failed(s, SQLITE_NOMEM, "audit rows");
			break;
		}
		cmp = rc_rows != SQLITE_ROW ? -1 : rc_rec != SQLITE_ROW ? 1 :
		    strcmp(store_text(rec, 0), store_text(rows, 0));
		if (cmp < 0 && t->kept) {
			c->problem = AUDIT_ROW_MISSING;
			store_audit_row_at(c, t, store_text(rec, 0));
			break;
		}
		if (cmp >= 0) {
			r = store_audit_check_row(s, t, rows, rec, cmp == 0, c);
			rc_rows = sqlite3_step(rows);
		}
		if (cmp <= 0)
			rc_rec = sqlite3_step(rec);
	}
	store_done(rows);
	store_done(rec);
	if (r == STORE_OK && c->problem == AUDIT_OK && (rc_rows !=
	    SQLITE_DONE || rc_rec != SQLITE_DONE))
		return store_failed(s, rc_rows != SQLITE_DONE ? rc_rows :
		    rc_rec, "audit rows");
	return r;
}

/* Verify the chain end to end; then, given a signed head, that the chain
 * still holds it; then every clinical and staff row against the digest
 * its last entry recorded.  c says the first problem found and where.
 * Usable on any open store (a backup's copy: anchor NULL). */
enum store_result
store_audit_verify(struct store *s, const struct audit_anchor *anchor,
    struct audit_check *c)
{
	enum store_result	r;
	size_t			i;

	memset(c, 0, sizeof *c);
	if ((r = store_audit_walk(s, &c->entries, &c->seq)) != STORE_OK)
		return r;
	if (c->seq != 0) {
		c->problem = AUDIT_BROKEN;
		return STORE_OK;
	}
	if (anchor != NULL && ((r = store_audit_check_anchor(s, anchor, c)) !=
	    STORE_OK || c->problem != AUDIT_OK))
		return r;
	for (i = 0; i < AUDIT_NTABLES && c->problem == AUDIT_OK; i++)
		if ((r = store_audit_check_table(s, &audit_tables[i], c)) !=
		    STORE_OK)
			return r;
	return STORE_OK;
}

/* Rows the connection has changed so far, so that a bulk change is
 * audited only when it changed something (housekeeping). */
int64_t
store_audit_changes(struct store *s)
{
	return sqlite3_total_changes64(s->db);
}

/* The chain's head: its last seq and hash (0 and the genesis if empty). */
enum store_result
store_audit_head(struct store *s, int64_t *seq, char hash[DIGEST_HEX_LEN])
{
	static const char sql[] =
	    "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1";
	sqlite3_stmt	*st = store_stmt(s, sql);
	int		 rc;

	if (st == NULL)
		return STORE_ERROR;
	*seq = 0;
	strcpy(hash, AUDIT_GENESIS);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*seq = sqlite3_column_int64(st, 0);
		store_copy_text(st, 1, hash, DIGEST_HEX_LEN);
	}
	store_done(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK :
	    store_failed(s, rc, "audit head");
}

/* Keep a signed head. */
enum store_result
store_anchor_insert(struct store *s, const struct audit_anchor *a)
{
	static const char sql[] = "INSERT INTO audit_anchors (seq, hash, at, "
	    "signature) VALUES (?1, ?2, ?3, ?4)";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, a->seq);
	sqlite3_bind_text(st, 2, a->hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, a->at);
	sqlite3_bind_text(st, 4, a->signature, -1, SQLITE_STATIC);
	return store_step_done(s, st);
}

/* The latest signed head the table keeps; *found 0 if none. */
enum store_result
store_anchor_latest(struct store *s, struct audit_anchor *a, int *found)
{
	static const char sql[] = "SELECT seq, hash, at, signature FROM "
	    "audit_anchors ORDER BY seq DESC, at DESC LIMIT 1";
	sqlite3_stmt	*st = store_stmt(s, sql);
	int		 rc;

	if (st == NULL)
		return STORE_ERROR;
	memset(a, 0, sizeof *a);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		a->seq = sqlite3_column_int64(st, 0);
		store_copy_text(st, 1, a->hash, sizeof a->hash);
		a->at = sqlite3_column_int64(st, 2);
		store_copy_text(st, 3, a->signature, sizeof a->signature);
	}
	store_done(st);
	*found = rc == SQLITE_ROW;
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK :
	    store_failed(s, rc, "audit anchor");
}

/* Whether the chain holds a signed head, without walking it (before the
 * next head is signed on top of it). */
enum store_result
store_anchor_holds(struct store *s, const struct audit_anchor *a,
    enum audit_problem *problem)
{
	struct audit_check	c;
	int64_t			seq;
	char			hash[DIGEST_HEX_LEN];
	enum store_result	r;

	memset(&c, 0, sizeof c);
	if ((r = store_audit_head(s, &seq, hash)) != STORE_OK)
		return r;
	c.entries = seq;
	r = store_audit_check_anchor(s, a, &c);
	*problem = c.problem;
	return r;
}
