/* Unit tests for the audit chain: audit_hash (audit.c) on its own, then
 * the chain as the store writes and verifies it (store_audit.c) against
 * a real SQLite file, tampered with through a second connection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "audit.h"
#include "log.h"
#include "store.h"
#include "store_schema.h"

#define T0	INT64_C(1750000000000)

/* The entry whose hash after the genesis was computed outside this code
 * (Python's hashlib over the documented byte string). */
static const char	fixed_detail[] =
    "{\"display_name\":\"Zo\xc3\xab\",\"username\":\"alice\"}";
static const struct audit_entry	fixed = {
	1, T0, "11111111-2222-4333-8444-555555555555", "staff.create",
	"staff", "66666666-7777-4888-9999-aaaaaaaaaaaa", fixed_detail
};
#define FIXED_HASH \
	"f346242f1a9c5a236d8b9007cdef893acc3ce00f4c7600967c73b03a2cb1b437"

static void
hash_of(const char *prev, const struct audit_entry *e,
    char out[DIGEST_HEX_LEN])
{
	memset(out, 'X', DIGEST_HEX_LEN);
	assert_int_equal(audit_hash(prev, e, out), 0);
	assert_int_equal(strlen(out), 64);
}

static void
test_hash_fixed(void **state)
{
	char	h[DIGEST_HEX_LEN], again[DIGEST_HEX_LEN];

	(void)state;
	hash_of(AUDIT_GENESIS, &fixed, h);
	assert_string_equal(h, FIXED_HASH);
	hash_of(AUDIT_GENESIS, &fixed, again);
	assert_string_equal(h, again);
}

static void
test_hash_every_field_counts(void **state)
{
	struct audit_entry	e;
	char			h[DIGEST_HEX_LEN];
	const char		*other_prev =
	    "0000000000000000000000000000000000000000000000000000000000000001";

	(void)state;
	e = fixed; e.seq = 2;
	hash_of(AUDIT_GENESIS, &e, h);
	assert_string_not_equal(h, FIXED_HASH);
	e = fixed; e.at = T0 + 1;
	hash_of(AUDIT_GENESIS, &e, h);
	assert_string_not_equal(h, FIXED_HASH);
	e = fixed; e.actor_id = "";
	hash_of(AUDIT_GENESIS, &e, h);
	assert_string_not_equal(h, FIXED_HASH);
	e = fixed; e.actor_id = "11111111-2222-4333-8444-555555555556";
	hash_of(AUDIT_GENESIS, &e, h);
	assert_string_not_equal(h, FIXED_HASH);
	e = fixed; e.action = "staff.update";
	hash_of(AUDIT_GENESIS, &e, h);
	assert_string_not_equal(h, FIXED_HASH);
	e = fixed; e.record_type = "patient";
	hash_of(AUDIT_GENESIS, &e, h);
	assert_string_not_equal(h, FIXED_HASH);
	e = fixed; e.record_id = "66666666-7777-4888-9999-aaaaaaaaaaab";
	hash_of(AUDIT_GENESIS, &e, h);
	assert_string_not_equal(h, FIXED_HASH);
	e = fixed; e.detail = "{\"display_name\":\"Zoe\",\"username\":\"alice\"}";
	hash_of(AUDIT_GENESIS, &e, h);
	assert_string_not_equal(h, FIXED_HASH);
	hash_of(other_prev, &fixed, h);
	assert_string_not_equal(h, FIXED_HASH);
}

/* Moving a byte from one field to the next changes the hash: the fields
 * are framed by their lengths. */
static void
test_hash_fields_framed(void **state)
{
	struct audit_entry	a = fixed, b = fixed;
	char			ha[DIGEST_HEX_LEN], hb[DIGEST_HEX_LEN];

	(void)state;
	a.action = "ab";
	a.record_type = "c";
	b.action = "a";
	b.record_type = "bc";
	hash_of(AUDIT_GENESIS, &a, ha);
	hash_of(AUDIT_GENESIS, &b, hb);
	assert_string_not_equal(ha, hb);

	a = fixed;
	b = fixed;
	a.record_id = "x";
	a.detail = "";
	b.record_id = "";
	b.detail = "x";
	hash_of(AUDIT_GENESIS, &a, ha);
	hash_of(AUDIT_GENESIS, &b, hb);
	assert_string_not_equal(ha, hb);

	/* seq 1 at 12 is not seq 11 at 2. */
	a = fixed;
	b = fixed;
	a.seq = 1;
	a.at = 12;
	b.seq = 11;
	b.at = 2;
	hash_of(AUDIT_GENESIS, &a, ha);
	hash_of(AUDIT_GENESIS, &b, hb);
	assert_string_not_equal(ha, hb);
}

/* A row's digest covers its table and every column, NULL apart from "",
 * and each column framed so none can borrow from the next. */
static void
test_row_digest(void **state)
{
	const char	*row[] = { "d1", "given", NULL, "60000" };
	const char	*other[4];
	char		 base[DIGEST_HEX_LEN], h[DIGEST_HEX_LEN];
	size_t		 i;

	(void)state;
	assert_int_equal(audit_row_digest("doses", row, 4, base), 0);
	assert_int_equal(audit_row_digest("doses", row, 4, h), 0);
	assert_string_equal(base, h);
	assert_int_equal(audit_row_digest("observations", row, 4, h), 0);
	assert_string_not_equal(base, h);
	for (i = 0; i < 4; i++) {
		memcpy(other, row, sizeof row);
		other[i] = other[i] == NULL ? "" : "x";
		assert_int_equal(audit_row_digest("doses", other, 4, h), 0);
		assert_string_not_equal(base, h);
	}
	/* "given" + NULL against "give" + "n" */
	memcpy(other, row, sizeof row);
	other[1] = "give";
	other[2] = "n";
	assert_int_equal(audit_row_digest("doses", other, 4, h), 0);
	assert_string_not_equal(base, h);
	assert_int_equal(audit_row_digest("doses", row, 3, h), 0);
	assert_string_not_equal(base, h);
	assert_int_equal(audit_row_digest("doses", row,
	    AUDIT_ROW_MAX_COLUMNS + 1, h), -1);
}

static void
test_anchor_text(void **state)
{
	struct audit_anchor	a = { 42, FIXED_HASH, T0, "" };
	char			t[AUDIT_ANCHOR_TEXT_LEN];
	char			u[AUDIT_ANCHOR_TEXT_LEN];

	(void)state;
	assert_int_equal(audit_anchor_text(&a, t), 0);
	assert_string_equal(t, "idtsd audit anchor 1\nseq 42\nhash "
	    FIXED_HASH "\nat 1750000000000\n");
	a.seq = 43;
	assert_int_equal(audit_anchor_text(&a, u), 0);
	assert_string_not_equal(t, u);
}

/* The later head is the higher seq, then the later signing; either may
 * be missing. */
static void
test_anchor_later(void **state)
{
	struct audit_anchor	file = { 10, "", T0 + 5, "" };
	struct audit_anchor	table = { 12, "", T0, "" };

	(void)state;
	assert_ptr_equal(audit_anchor_later(&file, &table), &table);
	assert_ptr_equal(audit_anchor_later(&table, &file), &table);
	table.seq = 10;
	assert_ptr_equal(audit_anchor_later(&file, &table), &file);
	assert_ptr_equal(audit_anchor_later(NULL, &table), &table);
	assert_ptr_equal(audit_anchor_later(&file, NULL), &file);
	assert_null(audit_anchor_later(NULL, NULL));
}

/* A chain holds a head if it reaches the head's seq with the same hash:
 * shorter is truncated, another hash there is rehashed, unless a start-up
 * recorded the chain cut below the head (it has grown again since). */
static void
test_anchor_holds(void **state)
{
	struct audit_anchor	a = { 5, FIXED_HASH, T0, "" };

	(void)state;
	assert_int_equal(audit_anchor_holds(&a, 5, FIXED_HASH, 0), AUDIT_OK);
	assert_int_equal(audit_anchor_holds(&a, 9, FIXED_HASH, 0), AUDIT_OK);
	assert_int_equal(audit_anchor_holds(&a, 4, NULL, 0), AUDIT_TRUNCATED);
	assert_int_equal(audit_anchor_holds(&a, 4, FIXED_HASH, 0),
	    AUDIT_TRUNCATED);
	assert_int_equal(audit_anchor_holds(&a, 9, AUDIT_GENESIS, 0),
	    AUDIT_REHASHED);
	/* Cut below the head, found so at a start, and grown past it since:
	 * still the cut. */
	assert_int_equal(audit_anchor_holds(&a, 9, AUDIT_GENESIS, 1),
	    AUDIT_TRUNCATED);
	assert_int_equal(audit_anchor_holds(&a, 9, FIXED_HASH, 1), AUDIT_OK);
	assert_string_equal(audit_problem_name(AUDIT_REHASHED), "rehashed");
	assert_string_equal(audit_problem_name(AUDIT_ROW_CHANGED),
	    "row_changed");
}

/* A chain whose latest audit.anchor entry says the head at 5 was signed
 * needs a signed head at 5 or later: none, or an older one (the newer
 * deleted), is anchor_missing; a chain never anchored needs none. */
static void
test_anchor_covers(void **state)
{
	struct audit_anchor	a = { 5, FIXED_HASH, T0, "" };
	struct audit_anchor	old = { 3, FIXED_HASH, T0, "" };

	(void)state;
	assert_int_equal(audit_anchor_covers(&a, 5), AUDIT_OK);
	assert_int_equal(audit_anchor_covers(&a, 4), AUDIT_OK);
	assert_int_equal(audit_anchor_covers(&a, 0), AUDIT_OK);
	assert_int_equal(audit_anchor_covers(NULL, 0), AUDIT_OK);
	assert_int_equal(audit_anchor_covers(&old, 5), AUDIT_ANCHOR_MISSING);
	assert_int_equal(audit_anchor_covers(NULL, 5), AUDIT_ANCHOR_MISSING);
}

static void
test_hash_bad_prev(void **state)
{
	char	h[DIGEST_HEX_LEN];

	(void)state;
	assert_int_equal(audit_hash("", &fixed, h), -1);
	assert_int_equal(audit_hash("00", &fixed, h), -1);
	assert_int_equal(audit_hash(
	    "000000000000000000000000000000000000000000000000000000000000000",
	    &fixed, h), -1);
	assert_int_equal(audit_hash(
	    "00000000000000000000000000000000000000000000000000000000000000000",
	    &fixed, h), -1);
	assert_int_equal(audit_hash(
	    "000000000000000000000000000000000000000000000000000000000000000g",
	    &fixed, h), -1);
	assert_int_equal(audit_hash(
	    "F346242F1A9C5A236D8B9007CDEF893ACC3CE00F4C7600967C73B03A2CB1B437",
	    &fixed, h), -1);
}

/* A store in a fresh directory of its own. */
struct fixture {
	char		 dir[64];
	char		 path[128];
	struct store	*store;
};

static void
fixture_remove(struct fixture *f)
{
	char	p[160];

	snprintf(p, sizeof p, "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", f->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-journal", f->path);
	unlink(p);
	unlink(f->path);
	rmdir(f->dir);
}

static int
setup_dir(void **state)
{
	struct fixture	*f = calloc(1, sizeof *f);

	if (f == NULL)
		return -1;
	strcpy(f->dir, "/tmp/idtsd-test-audit-XXXXXX");
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof f->path, "%s/idtsd.db", f->dir);
	*state = f;
	return 0;
}

static int
setup_store(void **state)
{
	struct fixture	*f;
	char		*cause = NULL;

	if (setup_dir(state) == -1)
		return -1;
	f = *state;
	if (store_open(f->path, &f->store, &cause) == -1) {
		print_error("store_open: %s\n", cause ? cause : "?");
		free(cause);
		fixture_remove(f);
		free(f);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	store_close(f->store);
	fixture_remove(f);
	free(f);
	return 0;
}

/* Append entries 1..n, each in its own transaction. */
static void
append_entries(struct store *s, int n)
{
	int	i;

	for (i = 1; i <= n; i++) {
		assert_int_equal(store_begin(s, 1), STORE_OK);
		assert_int_equal(store_audit_append(s, T0 + i * 1000,
		    i % 2 ? "11111111-2222-4333-8444-555555555555" : "",
		    "test.append", "test",
		    "66666666-7777-4888-9999-aaaaaaaaaaaa",
		    json_pack("{s:i, s:s}", "n", i, "b", "x")), STORE_OK);
		assert_int_equal(store_commit(s), STORE_OK);
	}
}

static void
verify_is(struct store *s, int64_t want_entries, int64_t want_broken)
{
	struct audit_check	c;

	assert_int_equal(store_audit_verify(s, NULL, &c), STORE_OK);
	assert_int_equal(c.entries, want_entries);
	assert_int_equal(c.problem, want_broken ? AUDIT_BROKEN : AUDIT_OK);
	assert_int_equal(c.seq, want_broken);
}

/* A second connection to the same file, as someone with a copy of
 * sqlite3 and write access to the database would have. */
static sqlite3 *
raw_open(const char *path)
{
	sqlite3	*db = NULL;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK)
		fail_msg("raw open of %s failed", path);
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, 5000);
	return db;
}

static void
raw_exec_ok(sqlite3 *db, const char *sql)
{
	char	*err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		print_error("%s: %s\n", sql, err ? err : "?");
		sqlite3_free(err);
		fail_msg("raw SQL failed");
	}
}

/* An entry for a row, as the daemon writes after changing one: it
 * records the row's digest. */
static void
record_row(struct store *s, const char *action, const char *record_type,
    const char *id)
{
	assert_int_equal(store_begin(s, 1), STORE_OK);
	assert_int_equal(store_audit_append(s, T0, "", action, record_type,
	    id, json_object()), STORE_OK);
	assert_int_equal(store_commit(s), STORE_OK);
}

/* An entry for a register entry, as the daemon writes after inserting
 * one. */
static void
record_register(struct store *s, const char *id)
{
	record_row(s, "register.entry", "register_entry", id);
}

/* What verify says of the rows: the problem, and the table and id of the
 * row (none when ok). */
static void
rows_in(struct store *s, const char *table, enum audit_problem want,
    const char *id)
{
	struct audit_check	c;

	assert_int_equal(store_audit_verify(s, NULL, &c), STORE_OK);
	assert_int_equal(c.problem, want);
	assert_string_equal(c.id, id);
	assert_string_equal(c.table, want != AUDIT_OK ? table : "");
}

/* What verify says of the register's rows. */
static void
rows_are(struct store *s, enum audit_problem want, const char *id)
{
	rows_in(s, "register_entries", want, id);
}

/* The rows against the digests their entries recorded, walked side by
 * side in order of id: a row no entry records, one edited, one recorded
 * and gone (first and last of the walk), each found with its id. */
static void
test_store_rows_checked(void **state)
{
	struct fixture	*f = *state;
	sqlite3		*raw = raw_open(f->path);

	raw_exec_ok(raw, "INSERT INTO staff (id, username, display_name, "
	    "roles, pin_hash, created_at) VALUES ('s1', 'a', 'A', 1, 'x', 0), "
	    "('s2', 'b', 'B', 1, 'x', 0); INSERT INTO products (id, name, "
	    "form, strength, unit, created_by, created_at) VALUES ('p', 'M', "
	    "'f', 's', 'ml', 's1', 0); INSERT INTO register_entries (seq, id, "
	    "product_id, kind, quantity, balance_after, at, by_id, "
	    "witness_id) VALUES (1, 'r2', 'p', 'receipt', 100, 100, 0, 's1', "
	    "'s2'), (2, 'r4', 'p', 'receipt', 50, 150, 0, 's1', 's2')");
	record_row(f->store, "staff.update", "staff", "s1");
	record_row(f->store, "staff.update", "staff", "s2");
	rows_are(f->store, AUDIT_ROW_UNRECORDED, "r2");
	record_register(f->store, "r2");
	rows_are(f->store, AUDIT_ROW_UNRECORDED, "r4");
	record_register(f->store, "r4");
	rows_are(f->store, AUDIT_OK, "");
	raw_exec_ok(raw, "INSERT INTO register_entries (seq, id, product_id, "
	    "kind, quantity, balance_after, at, by_id, witness_id) VALUES "
	    "(3, 'r3', 'p', 'receipt', 1, 151, 0, 's1', 's2')");
	rows_are(f->store, AUDIT_ROW_UNRECORDED, "r3");
	record_register(f->store, "r3");
	rows_are(f->store, AUDIT_OK, "");
	raw_exec_ok(raw, "DROP TRIGGER register_no_update; "
	    "UPDATE register_entries SET quantity = 49 WHERE id = 'r4'");
	rows_are(f->store, AUDIT_ROW_CHANGED, "r4");
	raw_exec_ok(raw, "UPDATE register_entries SET quantity = 50 "
	    "WHERE id = 'r4'");
	rows_are(f->store, AUDIT_OK, "");
	raw_exec_ok(raw, "DROP TRIGGER register_no_delete; "
	    "DELETE FROM register_entries WHERE id = 'r4'");
	rows_are(f->store, AUDIT_ROW_MISSING, "r4");
	raw_exec_ok(raw, "DELETE FROM register_entries WHERE id = 'r2'");
	rows_are(f->store, AUDIT_ROW_MISSING, "r2");
	sqlite3_close(raw);
}

/* Verify against a signed head: one older than the head the chain's
 * latest audit.anchor entry says was signed is anchor_missing at that
 * entry (the later heads were deleted), one as late holds. */
static void
test_store_anchor_entry_checked(void **state)
{
	struct fixture		*f = *state;
	struct audit_anchor	 older, last;
	struct audit_check	 c;
	int64_t			 entry, signed_seq;

	memset(&older, 0, sizeof older);
	memset(&last, 0, sizeof last);
	append_entries(f->store, 2);
	assert_int_equal(store_audit_head(f->store, &older.seq, older.hash),
	    STORE_OK);
	append_entries(f->store, 1);
	assert_int_equal(store_audit_head(f->store, &last.seq, last.hash),
	    STORE_OK);
	assert_int_equal(store_audit_verify(f->store, &older, &c), STORE_OK);
	assert_int_equal(c.problem, AUDIT_OK);
	assert_int_equal(store_begin(f->store, 1), STORE_OK);
	assert_int_equal(store_audit_append(f->store, T0, "", "audit.anchor",
	    "audit_anchor", "3", json_pack("{s:i}", "seq", 3)), STORE_OK);
	assert_int_equal(store_commit(f->store), STORE_OK);
	append_entries(f->store, 1);
	assert_int_equal(store_anchor_entry_latest(f->store, &entry,
	    &signed_seq), STORE_OK);
	assert_int_equal(entry, 4);
	assert_int_equal(signed_seq, 3);
	assert_int_equal(store_audit_verify(f->store, &older, &c), STORE_OK);
	assert_int_equal(c.problem, AUDIT_ANCHOR_MISSING);
	assert_int_equal(c.seq, 4);
	assert_int_equal(store_audit_verify(f->store, &last, &c), STORE_OK);
	assert_int_equal(c.problem, AUDIT_OK);
}

/* Staff rows against their digests: who may do what (roles, PIN hash,
 * active) edited in the file is found, with the row; the lockout counters
 * and the name, which change without an entry naming the row, are not
 * covered; an approval naming the row by staff_id records it, a sign-in
 * naming it does not. */
static void
test_store_staff_rows_checked(void **state)
{
	struct fixture	*f = *state;
	sqlite3		*raw = raw_open(f->path);

	raw_exec_ok(raw, "INSERT INTO staff (id, username, display_name, "
	    "roles, pin_hash, created_at) VALUES ('s1', 'admin', 'A', 1, "
	    "'$y$admin', 0), ('s2', 'carl', 'C', 4, '$y$carl', 0)");
	rows_in(f->store, "staff", AUDIT_ROW_UNRECORDED, "s1");
	record_row(f->store, "staff.update", "staff", "s1");
	rows_in(f->store, "staff", AUDIT_ROW_UNRECORDED, "s2");
	assert_int_equal(store_begin(f->store, 1), STORE_OK);
	assert_int_equal(store_audit_append(f->store, T0, "", "session.create",
	    "staff", "s2", json_object()), STORE_OK);
	assert_int_equal(store_commit(f->store), STORE_OK);
	rows_in(f->store, "staff", AUDIT_ROW_UNRECORDED, "s2");
	assert_int_equal(store_begin(f->store, 1), STORE_OK);
	assert_int_equal(store_audit_append(f->store, T0, "",
	    "staff.change_approve", "staff_change", "c1", json_pack("{s:s}",
	    "staff_id", "s2")), STORE_OK);
	assert_int_equal(store_commit(f->store), STORE_OK);
	rows_in(f->store, "staff", AUDIT_OK, "");
	raw_exec_ok(raw, "UPDATE staff SET failed_pins = 3, locked_until = "
	    "99, display_name = 'Al' WHERE id = 's1'");
	rows_in(f->store, "staff", AUDIT_OK, "");
	raw_exec_ok(raw, "UPDATE staff SET roles = 3 WHERE id = 's1'");
	rows_in(f->store, "staff", AUDIT_ROW_CHANGED, "s1");
	raw_exec_ok(raw, "UPDATE staff SET roles = 1 WHERE id = 's1'");
	rows_in(f->store, "staff", AUDIT_OK, "");
	raw_exec_ok(raw, "UPDATE staff SET pin_hash = (SELECT pin_hash FROM "
	    "staff WHERE id = 's1') WHERE id = 's2'");
	rows_in(f->store, "staff", AUDIT_ROW_CHANGED, "s2");
	raw_exec_ok(raw, "UPDATE staff SET pin_hash = '$y$carl', active = 0 "
	    "WHERE id = 's2'");
	rows_in(f->store, "staff", AUDIT_ROW_CHANGED, "s2");
	raw_exec_ok(raw, "DELETE FROM staff WHERE id = 's2'");
	rows_in(f->store, "staff", AUDIT_ROW_MISSING, "s2");
	sqlite3_close(raw);
}

/* SQLite's allocator, failing the Nth allocation after oom_at is set
 * (0: none), to show that a verify short of memory never reports a
 * problem the store does not have. */
static sqlite3_mem_methods	oom_real;
static int			oom_at, oom_count, oom_fired;

static void *
oom_malloc(int n)
{
	if (oom_at != 0 && ++oom_count == oom_at) {
		oom_fired = 1;
		return NULL;
	}
	return oom_real.xMalloc(n);
}

static void *
oom_realloc(void *p, int n)
{
	if (oom_at != 0 && ++oom_count == oom_at) {
		oom_fired = 1;
		return NULL;
	}
	return oom_real.xRealloc(p, n);
}

/* Every allocation of a verify of whole rows failed in turn: each run
 * answers an error or the rows whole, never a problem (SQLite 3.40's
 * json_valid() says a valid detail is not JSON when it runs out of
 * memory, and its rows looked unrecorded; a column made text out of
 * memory is a NULL: tests/faults/alloc_faults.sh found the first as a
 * 200 "written outside the daemon"). */
static void
test_store_rows_checked_out_of_memory(void **state)
{
	struct fixture		*f = *state;
	sqlite3			*raw = raw_open(f->path);
	struct audit_check	 c;
	enum store_result	 r;
	int			 n, errors = 0;

	raw_exec_ok(raw, "INSERT INTO staff (id, username, display_name, "
	    "roles, pin_hash, created_at) VALUES ('s1', 'a', 'A', 1, 'x', 0), "
	    "('s2', 'b', 'B', 1, 'x', 0); INSERT INTO products (id, name, "
	    "form, strength, unit, created_by, created_at) VALUES ('p', 'M', "
	    "'f', 's', 'ml', 's1', 0); INSERT INTO register_entries (seq, id, "
	    "product_id, kind, quantity, balance_after, at, by_id, "
	    "witness_id) VALUES (1, 'r2', 'p', 'receipt', 100, 100, 0, 's1', "
	    "'s2')");
	sqlite3_close(raw);
	assert_int_equal(store_begin(f->store, 1), STORE_OK);
	assert_int_equal(store_audit_append(f->store, T0, "", "staff.update",
	    "staff", "s1", json_object()), STORE_OK);
	assert_int_equal(store_audit_append(f->store, T0, "", "staff.update",
	    "staff", "s2", json_object()), STORE_OK);
	assert_int_equal(store_commit(f->store), STORE_OK);
	record_register(f->store, "r2");
	rows_are(f->store, AUDIT_OK, "");
	log_set_level(LOG_LEVEL_ERROR);
	for (n = 1; n < 100000; n++) {
		oom_count = oom_fired = 0;
		oom_at = n;
		r = store_audit_verify(f->store, NULL, &c);
		oom_at = 0;
		if (!oom_fired)
			break;
		if (r != STORE_OK) {
			errors++;
			continue;
		}
		if (c.problem != AUDIT_OK)
			fail_msg("allocation %d failed: %s at %s %s", n,
			    audit_problem_name(c.problem), c.table, c.id);
	}
	log_set_level(LOG_LEVEL_WARNING);
	assert_true(n > 1 && errors > 0);
	rows_are(f->store, AUDIT_OK, "");
}

struct walk {
	int64_t	n;
	char	prev[DIGEST_HEX_LEN];
};

/* Each entry listed follows the last, and its hash is what audit_hash
 * gives for it after the previous one. */
static void
walk_each(const struct audit_entry *e, const char *hash, void *arg)
{
	struct walk	*w = arg;
	char		 want[DIGEST_HEX_LEN], detail[64];

	w->n++;
	assert_int_equal(e->seq, w->n);
	assert_int_equal(e->at, T0 + w->n * 1000);
	assert_string_equal(e->actor_id, w->n % 2 ?
	    "11111111-2222-4333-8444-555555555555" : "");
	assert_string_equal(e->action, "test.append");
	assert_string_equal(e->record_type, "test");
	assert_string_equal(e->record_id,
	    "66666666-7777-4888-9999-aaaaaaaaaaaa");
	/* Stored as compact JSON with sorted keys. */
	snprintf(detail, sizeof detail, "{\"b\":\"x\",\"n\":%lld}",
	    (long long)w->n);
	assert_string_equal(e->detail, detail);
	assert_int_equal(audit_hash(w->prev, e, want), 0);
	assert_string_equal(hash, want);
	memcpy(w->prev, want, sizeof w->prev);
}

static void
test_store_chain_whole(void **state)
{
	struct fixture	*f = *state;
	struct walk	 w = { 0, AUDIT_GENESIS };

	verify_is(f->store, 0, 0);
	append_entries(f->store, 5);
	verify_is(f->store, 5, 0);
	assert_int_equal(store_audit_list(f->store, 0, 100, walk_each, &w),
	    STORE_OK);
	assert_int_equal(w.n, 5);
}

static void
test_store_rollback_leaves_no_entry(void **state)
{
	struct fixture	*f = *state;

	append_entries(f->store, 2);
	assert_int_equal(store_begin(f->store, 1), STORE_OK);
	assert_int_equal(store_audit_append(f->store, T0, "", "test.append",
	    "test", "x", json_object()), STORE_OK);
	store_rollback(f->store);
	verify_is(f->store, 2, 0);
	/* The next entry takes seq 3, not 4. */
	append_entries(f->store, 1);
	verify_is(f->store, 3, 0);
}

static void
test_store_update_refused_then_detected(void **state)
{
	struct fixture	*f = *state;
	sqlite3		*raw;
	int		 rc;

	append_entries(f->store, 5);
	verify_is(f->store, 5, 0);
	raw = raw_open(f->path);

	/* The trigger refuses a change... */
	rc = sqlite3_exec(raw, "UPDATE audit SET detail = '{\"n\":99}' "
	    "WHERE seq = 3", NULL, NULL, NULL);
	assert_int_equal(rc, SQLITE_CONSTRAINT_TRIGGER);
	assert_string_equal(sqlite3_errmsg(raw),
	    "audit entries are never changed");
	verify_is(f->store, 5, 0);

	/* ...but someone who drops it can, and verify names the entry. */
	raw_exec_ok(raw, "DROP TRIGGER audit_no_update");
	raw_exec_ok(raw, "UPDATE audit SET detail = '{\"b\":\"x\",\"n\":99}' "
	    "WHERE seq = 3");
	assert_int_equal(sqlite3_changes(raw), 1);
	sqlite3_close(raw);
	verify_is(f->store, 5, 3);
}

/* Changing any one column of entry 3 breaks the chain at 3; putting it
 * back mends it. */
static void
test_store_every_column_checked(void **state)
{
	static const struct {
		const char	*tamper, *restore;
	} cases[] = {
		{ "UPDATE audit SET at = at + 1 WHERE seq = 3",
		  "UPDATE audit SET at = at - 1 WHERE seq = 3" },
		{ "UPDATE audit SET actor_id = 'x' WHERE seq = 3",
		  "UPDATE audit SET actor_id = "
		  "'11111111-2222-4333-8444-555555555555' WHERE seq = 3" },
		{ "UPDATE audit SET action = 'test.appenD' WHERE seq = 3",
		  "UPDATE audit SET action = 'test.append' WHERE seq = 3" },
		{ "UPDATE audit SET record_type = 'tes' WHERE seq = 3",
		  "UPDATE audit SET record_type = 'test' WHERE seq = 3" },
		{ "UPDATE audit SET record_id = upper(record_id) "
		  "WHERE seq = 3",
		  "UPDATE audit SET record_id = lower(record_id) "
		  "WHERE seq = 3" },
		{ "UPDATE audit SET detail = detail || ' ' WHERE seq = 3",
		  "UPDATE audit SET detail = rtrim(detail) WHERE seq = 3" },
		{ "UPDATE audit SET hash = upper(hash) WHERE seq = 3",
		  "UPDATE audit SET hash = lower(hash) WHERE seq = 3" },
		{ "UPDATE audit SET prev_hash = upper(prev_hash) "
		  "WHERE seq = 3",
		  "UPDATE audit SET prev_hash = lower(prev_hash) "
		  "WHERE seq = 3" },
	};
	struct fixture	*f = *state;
	sqlite3		*raw;
	size_t		 i;

	append_entries(f->store, 5);
	raw = raw_open(f->path);
	raw_exec_ok(raw, "DROP TRIGGER audit_no_update");
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct audit_check	c;

		raw_exec_ok(raw, cases[i].tamper);
		assert_int_equal(store_audit_verify(f->store, NULL, &c),
		    STORE_OK);
		if (c.entries != 5 || c.seq != 3) {
			sqlite3_close(raw);
			fail_msg("after \"%s\": %lld entries, first broken "
			    "%lld", cases[i].tamper, (long long)c.entries,
			    (long long)c.seq);
		}
		raw_exec_ok(raw, cases[i].restore);
		verify_is(f->store, 5, 0);
	}
	/* The first and the last entries are checked too. */
	raw_exec_ok(raw, "UPDATE audit SET at = at + 1 WHERE seq IN (1, 5)");
	verify_is(f->store, 5, 1);
	raw_exec_ok(raw, "UPDATE audit SET at = at - 1 WHERE seq = 1");
	verify_is(f->store, 5, 5);
	sqlite3_close(raw);
}

/* Rewriting an entry together with its own hash still breaks the link
 * from the next one. */
static void
test_store_rehashed_entry_detected(void **state)
{
	struct fixture		*f = *state;
	struct audit_entry	 e;
	sqlite3			*raw;
	sqlite3_stmt		*st;
	char			 prev[DIGEST_HEX_LEN], hash[DIGEST_HEX_LEN];
	char			 sql[512];

	append_entries(f->store, 5);
	raw = raw_open(f->path);
	assert_int_equal(sqlite3_prepare_v2(raw, "SELECT prev_hash, at, "
	    "actor_id, action, record_type, record_id FROM audit "
	    "WHERE seq = 3", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(prev, sizeof prev, "%s", sqlite3_column_text(st, 0));
	e.seq = 3;
	e.at = sqlite3_column_int64(st, 1);
	e.actor_id = (const char *)sqlite3_column_text(st, 2);
	e.action = (const char *)sqlite3_column_text(st, 3);
	e.record_type = (const char *)sqlite3_column_text(st, 4);
	e.record_id = (const char *)sqlite3_column_text(st, 5);
	e.detail = "{\"b\":\"x\",\"n\":99}";
	assert_int_equal(audit_hash(prev, &e, hash), 0);
	sqlite3_finalize(st);
	snprintf(sql, sizeof sql, "UPDATE audit SET detail = "
	    "'{\"b\":\"x\",\"n\":99}', hash = '%s' WHERE seq = 3", hash);
	raw_exec_ok(raw, "DROP TRIGGER audit_no_update");
	raw_exec_ok(raw, sql);
	sqlite3_close(raw);
	verify_is(f->store, 5, 4);
}

static void
test_store_deleted_entry_detected(void **state)
{
	struct fixture	*f = *state;
	sqlite3		*raw;
	int		 rc;

	append_entries(f->store, 5);
	raw = raw_open(f->path);
	rc = sqlite3_exec(raw, "DELETE FROM audit WHERE seq = 2", NULL, NULL,
	    NULL);
	assert_int_equal(rc, SQLITE_CONSTRAINT_TRIGGER);
	assert_string_equal(sqlite3_errmsg(raw),
	    "audit entries are never deleted");
	verify_is(f->store, 5, 0);

	raw_exec_ok(raw, "DROP TRIGGER audit_no_delete");
	raw_exec_ok(raw, "DELETE FROM audit WHERE seq = 2");
	assert_int_equal(sqlite3_changes(raw), 1);
	sqlite3_close(raw);
	/* Four entries remain; the first out of place is seq 3, which
	 * follows seq 1 ("the seq of the first entry whose position, link
	 * or hash is wrong", store.h). */
	verify_is(f->store, 4, 3);
}

static void
test_store_reopen_keeps_chain(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL;

	append_entries(f->store, 3);
	store_close(f->store);
	f->store = NULL;
	assert_int_equal(store_open(f->path, &f->store, &cause), 0);
	assert_null(cause);
	assert_int_equal(store_schema_version(f->store),
	    store_migration_count);
	verify_is(f->store, 3, 0);
	append_entries(f->store, 1);
	verify_is(f->store, 4, 0);
}

static void
test_store_refuses_newer_schema(void **state)
{
	struct fixture	*f = *state;
	struct store	*s = NULL;
	sqlite3		*raw = NULL;
	char		*cause = NULL;

	assert_int_equal(sqlite3_open(f->path, &raw), SQLITE_OK);
	raw_exec_ok(raw, "CREATE TABLE t (x); PRAGMA user_version = 999");
	sqlite3_close(raw);

	assert_int_equal(store_open(f->path, &s, &cause), -1);
	assert_null(s);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "newer"));
	assert_non_null(strstr(cause, "999"));
	free(cause);

	/* And it did not touch the database. */
	assert_int_equal(sqlite3_open(f->path, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, "SELECT 1 FROM audit", NULL, NULL,
	    NULL), SQLITE_ERROR);
	sqlite3_close(raw);
}

static void
test_store_refuses_garbage_file(void **state)
{
	struct fixture	*f = *state;
	struct store	*s = NULL;
	char		*cause = NULL;
	FILE		*fp;
	int		 i;

	assert_non_null(fp = fopen(f->path, "w"));
	for (i = 0; i < 4096; i++)
		fputc('x', fp);
	fclose(fp);
	assert_int_equal(store_open(f->path, &s, &cause), -1);
	assert_null(s);
	assert_non_null(cause);
	free(cause);
}

static void
test_store_fresh_schema(void **state)
{
	struct fixture	*f = *state;

	assert_true(store_migration_count >= 1);
	assert_int_equal(store_schema_version(f->store),
	    store_migration_count);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_hash_fixed),
		cmocka_unit_test(test_hash_every_field_counts),
		cmocka_unit_test(test_hash_fields_framed),
		cmocka_unit_test(test_hash_bad_prev),
		cmocka_unit_test(test_row_digest),
		cmocka_unit_test(test_anchor_text),
		cmocka_unit_test(test_anchor_later),
		cmocka_unit_test(test_anchor_holds),
		cmocka_unit_test(test_anchor_covers),
		cmocka_unit_test_setup_teardown(test_store_fresh_schema,
		    setup_store, teardown),
		cmocka_unit_test_setup_teardown(test_store_chain_whole,
		    setup_store, teardown),
		cmocka_unit_test_setup_teardown(test_store_rows_checked,
		    setup_store, teardown),
		cmocka_unit_test_setup_teardown(
		    test_store_rows_checked_out_of_memory, setup_store,
		    teardown),
		cmocka_unit_test_setup_teardown(test_store_staff_rows_checked,
		    setup_store, teardown),
		cmocka_unit_test_setup_teardown(test_store_anchor_entry_checked,
		    setup_store, teardown),
		cmocka_unit_test_setup_teardown(
		    test_store_rollback_leaves_no_entry, setup_store, teardown),
		cmocka_unit_test_setup_teardown(
		    test_store_update_refused_then_detected, setup_store,
		    teardown),
		cmocka_unit_test_setup_teardown(test_store_every_column_checked,
		    setup_store, teardown),
		cmocka_unit_test_setup_teardown(
		    test_store_rehashed_entry_detected, setup_store, teardown),
		cmocka_unit_test_setup_teardown(
		    test_store_deleted_entry_detected, setup_store, teardown),
		cmocka_unit_test_setup_teardown(test_store_reopen_keeps_chain,
		    setup_store, teardown),
		cmocka_unit_test_setup_teardown(
		    test_store_refuses_newer_schema, setup_dir, teardown),
		cmocka_unit_test_setup_teardown(
		    test_store_refuses_garbage_file, setup_dir, teardown),
	};

	/* Migrations announce themselves at info level; keep the output to
	 * the tests. */
	log_set_level(LOG_LEVEL_WARNING);
	/* Before SQLite starts: its allocator wrapped to fail on demand. */
	{
		sqlite3_mem_methods	m;

		if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &oom_real) !=
		    SQLITE_OK)
			return 1;
		m = oom_real;
		m.xMalloc = oom_malloc;
		m.xRealloc = oom_realloc;
		if (sqlite3_config(SQLITE_CONFIG_MALLOC, &m) != SQLITE_OK)
			return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
