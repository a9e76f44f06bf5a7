/* Unit tests for group commit in the store (store/store_batch.c) against
 * a real database: requests in one batch commit together, a request
 * undone takes only its own changes with it, a read joins an open batch,
 * anything else that begins a transaction has the batch flushed first,
 * and nothing commits before store_batch_commit().  (A request whose
 * JSON was built short, and a batch whose commit fails, are driven by
 * tests/faults/alloc_faults.sh and io_faults.sh.) */
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

#include "store.h"

struct fixture {
	char		 dir[64];
	char		 path[128];
	struct store	*store;
	int		 flushes;	/* times the flush hook ran */
};

/* The HTTP edge's flush hook, here: commit the batch and count. */
static void
flush(void *arg)
{
	struct fixture	*f = arg;

	f->flushes++;
	assert_int_equal(store_batch_commit(f->store), STORE_OK);
}

static int
setup(void **state)
{
	struct fixture	*f;
	char		*cause = NULL;

	if ((f = calloc(1, sizeof *f)) == NULL)
		return -1;
	strcpy(f->dir, "/tmp/idtsd-test-batch-XXXXXX");
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof f->path, "%s/idtsd.db", f->dir);
	if (store_open(f->path, &f->store, &cause) == -1) {
		fprintf(stderr, "%s\n", cause ? cause : "store_open");
		free(cause);
		return -1;
	}
	if (store_batching(f->store, flush, f) == -1)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	char		 cmd[160];

	store_close(f->store);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* Insert a member of staff called name, as a request's handler would. */
static void
insert(struct store *s, const char *name)
{
	struct staff	p;

	memset(&p, 0, sizeof p);
	snprintf(p.id, sizeof p.id, "00000000-0000-4000-8000-%012d",
	    (int)strlen(name) * 1000 + name[0]);
	snprintf(p.username, sizeof p.username, "%s", name);
	snprintf(p.display_name, sizeof p.display_name, "Staff %s", name);
	p.roles = 1;
	snprintf(p.pin_hash, sizeof p.pin_hash, "x");
	p.active = 1;
	assert_int_equal(store_staff_insert(s, &p), STORE_OK);
}

/* How many staff rows another connection sees: what is on disk. */
static int
on_disk(const struct fixture *f)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	int		 n;

	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM staff",
	    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* Three writes in one batch: none on disk until the batch commits, and
 * the one undone (a refused request) takes only its own row. */
static void
test_batch_commits_together(void **state)
{
	struct fixture	*f = *state;
	int		 batched;

	assert_int_equal(store_request_begin(f->store, 1, &batched),
	    STORE_OK);
	assert_int_equal(batched, 1);
	insert(f->store, "ann");
	assert_int_equal(store_request_end(f->store), STORE_OK);

	assert_int_equal(store_request_begin(f->store, 1, &batched),
	    STORE_OK);
	assert_int_equal(batched, 1);
	insert(f->store, "bo");
	store_request_undo(f->store);		/* refused */

	assert_int_equal(store_request_begin(f->store, 1, &batched),
	    STORE_OK);
	insert(f->store, "cy");
	assert_int_equal(store_request_end(f->store), STORE_OK);

	assert_true(store_batch_pending(f->store));
	assert_int_equal(on_disk(f), 0);	/* nothing acknowledged yet */
	assert_int_equal(store_batch_commit(f->store), STORE_OK);
	assert_false(store_batch_pending(f->store));
	assert_int_equal(on_disk(f), 2);
	assert_int_equal(f->flushes, 0);
}

/* A read with no batch open runs on its own; with one open it joins the
 * batch (it would see the batch's changes, so its answer waits too). */
static void
test_read_joins_open_batch(void **state)
{
	struct fixture	*f = *state;
	int		 batched;

	assert_int_equal(store_request_begin(f->store, 0, &batched),
	    STORE_OK);
	assert_int_equal(batched, 0);
	assert_int_equal(store_request_end(f->store), STORE_OK);
	assert_false(store_batch_pending(f->store));

	assert_int_equal(store_request_begin(f->store, 1, &batched),
	    STORE_OK);
	insert(f->store, "di");
	assert_int_equal(store_request_end(f->store), STORE_OK);
	assert_int_equal(store_request_begin(f->store, 0, &batched),
	    STORE_OK);
	assert_int_equal(batched, 1);
	assert_int_equal(store_request_end(f->store), STORE_OK);
	assert_int_equal(store_batch_commit(f->store), STORE_OK);
	assert_int_equal(on_disk(f), 1);
}

/* The scheduler (or anything else) beginning a transaction has the batch
 * committed through the hook first; a handler beginning one inside its
 * request is refused rather than committing the request half done. */
static void
test_begin_flushes_the_batch(void **state)
{
	struct fixture	*f = *state;
	int		 batched;

	assert_int_equal(store_request_begin(f->store, 1, &batched),
	    STORE_OK);
	insert(f->store, "ed");
	assert_int_equal(store_begin(f->store, 1), STORE_ERROR);
	assert_int_equal(store_request_end(f->store), STORE_OK);
	assert_int_equal(f->flushes, 0);

	assert_int_equal(store_begin(f->store, 1), STORE_OK);
	assert_int_equal(f->flushes, 1);
	assert_int_equal(on_disk(f), 1);
	insert(f->store, "flo");
	assert_int_equal(store_commit(f->store), STORE_OK);
	assert_int_equal(on_disk(f), 2);
}

/* Without batching, a request is its own transaction, committed at its
 * end, as before. */
static void
test_without_batching(void **state)
{
	struct fixture	*f = *state;
	int		 batched;

	assert_int_equal(store_batching(f->store, NULL, NULL), 0);
	assert_int_equal(store_request_begin(f->store, 1, &batched),
	    STORE_OK);
	assert_int_equal(batched, 0);
	insert(f->store, "ivy");
	assert_int_equal(store_request_end(f->store), STORE_OK);
	assert_false(store_batch_pending(f->store));
	assert_int_equal(on_disk(f), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_batch_commits_together,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_joins_open_batch,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_begin_flushes_the_batch,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_without_batching,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
