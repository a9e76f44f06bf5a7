/* Group commit at the HTTP edge: the answers of the requests in a batch
 * (store_batch.c) wait until the batch has committed, with one fsync for
 * all of them.
 *
 * The batch commits when the loop has nothing else ready: its event has
 * the last priority, so every request already read runs first and joins
 * it.  Sixteen terminals writing at once then cost one fsync, not
 * sixteen; a single request waits for nothing but one pass of the loop.
 * A batch that reaches HTTP_BATCH_MAX requests commits at once, so that
 * a flood of requests cannot keep the answers waiting.  If the commit
 * fails, nothing of the batch stands, and every one of its requests is
 * answered 503 store_unavailable: none is acknowledged. */
#include <stdlib.h>

#include <event2/event.h>

#include "http.h"
#include "http_call.h"
#include "server.h"
#include "store.h"

#define HTTP_BATCH_MAX	64

/* There is one store, so one batch: its calls in the order they came. */
static struct {
	struct event		*due;		/* commits the batch */
	int			 armed;
	struct http_call	*first, **last;
	int			 n, writes;
	unsigned long long	 commits, requests;	/* for GET /metrics */
} batch = { NULL, 0, NULL, &batch.first, 0, 0, 0, 0 };

/* The loop has nothing else to do: commit. */
static void
http_batch_due(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	batch.armed = 0;
	http_batch_flush(arg);
}

/* Batch the requests of h; -1 if it cannot be. */
int
http_batch_start(struct http *h)
{
	batch.first = NULL;
	batch.last = &batch.first;
	if ((batch.due = event_new(h->srv->base, -1, 0, http_batch_due, h))
	    == NULL || event_priority_set(batch.due, SERVER_PRIORITY_LAST)
	    == -1 || store_batching(h->srv->store, http_batch_flush, h) == -1)
		return -1;
	return 0;
}

/* Keep the call's answer r until the batch commits. */
void
http_batch_add(struct http_call *c, const struct request *r)
{
	c->answer = *r;
	c->batched = 1;
	c->batch_next = NULL;
	*batch.last = c;
	batch.last = &c->batch_next;
	batch.writes |= r->method != METHOD_GET;
	http_watch(c);
	if (++batch.n >= HTTP_BATCH_MAX)
		http_batch_flush(c->h);
}

/* A batch is open: have it committed when the loop is idle. */
void
http_batch_arm(struct http *h)
{
	if (batch.due == NULL || batch.armed ||
	    !store_batch_pending(h->srv->store))
		return;
	batch.armed = 1;
	event_active(batch.due, EV_TIMEOUT, 0);
}

/* The answer to a request whose batch did not commit. */
static void
http_batch_failed(struct request *r)
{
	json_decref(r->reply);
	free(r->text);
	r->reply = NULL;
	r->text = NULL;
	r->stream = 0;
	r->retry_after = 0;
	r->keep_changes = 0;
	request_set_store_failed(r);
}

/* Commit the batch, then answer each of its requests (the store's flush
 * hook, too: anything else that begins a transaction comes here first). */
void
http_batch_flush(void *arg)
{
	struct http		*h = arg;
	struct http_call	*c, *next = batch.first;
	int			 ok, writes = batch.writes;

	ok = store_batch_commit(h->srv->store) == STORE_OK;
	batch.commits++;
	batch.requests += (unsigned long long)batch.n;
	batch.first = NULL;
	batch.last = &batch.first;
	batch.n = batch.writes = 0;
	if (ok && writes)
		server_changed(h->srv);
	while ((c = next) != NULL) {
		next = c->batch_next;
		c->batched = 0;
		if (!ok)
			http_batch_failed(&c->answer);
		if (c->req != NULL) {
			http_answer(c, &c->answer);
			continue;
		}
		json_decref(c->answer.reply);	/* its connection closed */
		free(c->answer.text);
		http_call_free(c);
	}
}

/* Batches committed (or failed) since start, and the requests in them. */
void
http_batch_counts(unsigned long long *commits, unsigned long long *requests)
{
	*commits = batch.commits;
	*requests = batch.requests;
}

/* Stopping: commit and answer what the batch holds, and batch no more. */
void
http_batch_stop(struct http *h)
{
	if (batch.due == NULL)
		return;
	http_batch_flush(h);
	(void)store_batching(h->srv->store, NULL, NULL);
	event_free(batch.due);
	batch.due = NULL;
	batch.armed = 0;
}
