/* The PIN pool: worker threads that run yescrypt (about 25 ms a PIN) so
 * that the event loop never does.  Two bounded queues, the urgent one
 * (work for a signed-in request: a witness's PIN, a PIN change; and a
 * sign-in at an enrolled terminal) always taken before the other (any
 * other sign-in).  Finished jobs are handed back to the
 * loop's thread through an eventfd: the loop reads pin_pool_fd() and calls
 * pin_pool_collect(), so only the loop's thread ever sees a job done. */
#ifndef IDTSD_PIN_POOL_H
#define IDTSD_PIN_POOL_H

#include <sys/queue.h>

#include "auth_lock.h"

#define PIN_JOB_PIN_LEN	64	/* longer than any PIN the API takes */

enum pin_work {
	PIN_VERIFY,		/* does pin match hash? */
	PIN_HASH,		/* hash pin with a fresh salt into hash */
};

enum pin_job_state {
	PIN_JOB_NEW,		/* asked for, not yet given to the pool */
	PIN_JOB_QUEUED,		/* waiting in a queue */
	PIN_JOB_RUNNING,	/* a worker has it */
	PIN_JOB_DONE,		/* result set */
	PIN_JOB_CANCELLED,	/* the pool stopped before it ran */
};

/* One piece of work.  The caller owns it; the pool only holds it between
 * pin_pool_submit() and the done callback (or a pin_pool_cancel() that
 * succeeded). */
struct pin_job {
	enum pin_work		 work;
	char			 pin[PIN_JOB_PIN_LEN];
	char			 hash[AUTH_HASH_LEN];	/* in, or out */
	int			 result;	/* verify: 1 or 0; hash: 0, -1 */
	enum pin_job_state	 state;
	int			 urgent;	/* which queue */
	void			*owner;		/* the caller's */
	TAILQ_ENTRY(pin_job)	 entry;
};

struct pin_pool;

/* What a worker does with a job (pin_job_run in the daemon; a test's own
 * in tests/unit/test_pin_pool.c). */
typedef void	(*pin_job_fn)(struct pin_job *);
typedef void	(*pin_done_fn)(struct pin_job *, void *arg);

struct pin_pool *pin_pool_new(int queue_max, pin_job_fn run);
int	pin_pool_start(struct pin_pool *, int workers);
int	pin_pool_fd(const struct pin_pool *);
void	pin_pool_queued(struct pin_pool *, int *urgent, int *other);
int	pin_pool_submit(struct pin_pool *, struct pin_job *jobs[], int n,
	    int urgent);
int	pin_pool_cancel(struct pin_pool *, struct pin_job *);
int	pin_pool_collect(struct pin_pool *, pin_done_fn, void *arg);
void	pin_pool_free(struct pin_pool *, pin_done_fn, void *arg);
void	pin_job_run(struct pin_job *);

#endif
