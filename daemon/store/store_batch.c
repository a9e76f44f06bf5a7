/* Group commit: requests that arrive together commit together.
 *
 * A commit is an fsync (synchronous=FULL), and an fsync costs the same
 * for one request's changes as for sixteen.  So with batching on, the
 * first write opens a transaction, the batch; it and every request that
 * comes before the batch is committed run in it, each in a savepoint of
 * its own: a request refused, or whose JSON was built short, is rolled
 * back to its savepoint alone, and the others keep theirs.  Reads that
 * come meanwhile run in the batch too (they would see its changes, so
 * they wait for them to be durable as well).  The HTTP edge commits the
 * batch when the loop has nothing else to do (http_batch.c) and only then
 * sends the batch's answers: nothing is acknowledged before it is on
 * disk.  If the commit fails, none of it is, and every answer says so.
 *
 * Anything else that begins a transaction (the scheduler, the streams)
 * has the batch committed and answered first, through the flush hook. */
#include <sqlite3.h>

#include "json_alloc.h"
#include "log.h"
#include "store.h"
#include "store_internal.h"

static const char store_sql_request[] = "SAVEPOINT request";
static const char store_sql_release_request[] = "RELEASE request";
static const char store_sql_undo_request[] = "ROLLBACK TO request";

/* Turn batching on; flush(arg) commits the batch and sends its answers.
 * The statements that undo are prepared now, as store_open() prepares
 * ROLLBACK: out of memory later, a request could not be undone.  -1 if
 * they cannot be. */
int
store_batching(struct store *s, void (*flush)(void *), void *arg)
{
	if (store_stmt(s, store_sql_request) == NULL ||
	    store_stmt(s, store_sql_release_request) == NULL ||
	    store_stmt(s, store_sql_undo_request) == NULL)
		return -1;
	s->flush = flush;
	s->flush_arg = arg;
	return 0;
}

/* Run one statement of the batch's; its SQLite result code. */
static int
store_batch_step(struct store *s, const char *sql)
{
	sqlite3_stmt	*st = store_stmt(s, sql);
	int		 rc;

	if (st == NULL)
		return SQLITE_ERROR;
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc;
}

/* Begin a request: in the batch if batching is on and it writes or a
 * batch is open (*batched set: its answer waits for
 * store_batch_commit()), otherwise in a transaction of its own. */
enum store_result
store_request_begin(struct store *s, int write, int *batched)
{
	*batched = 0;
	if (s->flush == NULL || (!write && !s->batch_open))
		return store_begin(s, write);
	if (!s->batch_open) {
		if (store_begin(s, 1) != STORE_OK)
			return STORE_ERROR;
		s->batch_open = 1;
	}
	/* SQLite may have rolled the batch back after an error: a
	 * savepoint now would begin a transaction of its own, and its
	 * release would commit it unseen. */
	if (sqlite3_get_autocommit(s->db) ||
	    store_batch_step(s, store_sql_request) != SQLITE_DONE)
		return STORE_ERROR;
	s->in_request = 1;
	s->request_sealed = 0;
	s->request_json_failures = json_alloc_failures();
	*batched = 1;
	return STORE_OK;
}

/* store_seal_json() for a request in the batch: its JSON so far is
 * whole, and what it builds from now on (a refusal's answer) is not
 * held against it. */
enum store_result
store_request_seal(struct store *s)
{
	if (json_alloc_failures() != s->request_json_failures)
		return STORE_ERROR;
	s->request_sealed = 1;
	return STORE_OK;
}

/* Undo the request's changes; if that cannot be done, they are still in
 * the batch, and none of the batch may commit. */
void
store_request_undo(struct store *s)
{
	if (!s->in_request) {
		store_rollback(s);
		return;
	}
	s->in_request = 0;
	/* Failures undone with the request are not the batch's. */
	s->json_failures += json_alloc_failures() - s->request_json_failures;
	if (store_batch_step(s, store_sql_undo_request) != SQLITE_DONE ||
	    store_batch_step(s, store_sql_release_request) != SQLITE_DONE) {
		log_warnx("store: undoing a request in the batch: %s; the "
		    "batch will be rolled back", sqlite3_errmsg(s->db));
		s->rollback_only = 1;
	}
}

/* Keep the request's changes: in the batch, to be committed with it (its
 * answer waits); otherwise committed now.  STORE_ERROR if they were not
 * kept (its JSON may have been built short), and nothing of it stands. */
enum store_result
store_request_end(struct store *s)
{
	unsigned long	failed;

	if (!s->in_request)
		return store_commit(s);
	failed = json_alloc_failures() - s->request_json_failures;
	if (failed != 0 && !s->request_sealed) {
		store_request_undo(s);
		return STORE_ERROR;
	}
	s->in_request = 0;
	s->json_failures += failed;	/* built after the seal */
	if (store_batch_step(s, store_sql_release_request) != SQLITE_DONE) {
		log_warnx("store: releasing a request in the batch: %s; the "
		    "batch will be rolled back", sqlite3_errmsg(s->db));
		s->rollback_only = 1;
		return STORE_ERROR;
	}
	return STORE_OK;
}

/* Whether a batch is open, waiting for store_batch_commit(). */
int
store_batch_pending(const struct store *s)
{
	return s->batch_open;
}

/* Commit the batch, with one fsync; STORE_ERROR if none of it stands. */
enum store_result
store_batch_commit(struct store *s)
{
	if (!s->batch_open)
		return STORE_OK;
	s->batch_open = 0;
	return store_commit(s);
}
