/* The PIN pool (see pin_pool.h).  One mutex guards the queues, the done
 * list and every job's state; a worker runs a job outside it.  The bound
 * is on what waits in each queue, not on what is being worked on. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <unistd.h>

#include "auth.h"
#include "pin_pool.h"

#ifndef PIN_POOL_NICE
#define PIN_POOL_NICE	10
#endif

TAILQ_HEAD(pin_queue, pin_job);

struct pin_pool {
	pthread_mutex_t		 lock;
	pthread_cond_t		 work;		/* queued, or stopping */
	struct pin_queue	 urgent, other, done;
	int			 n_urgent, n_other;	/* queued */
	int			 queue_max;	/* in each queue */
	int			 stopping;
	int			 efd;		/* readable: jobs done */
	pthread_t		*threads;
	int			 nthreads;
	pin_job_fn		 run;
};

/* A pool with no workers yet (pin_pool_start), each queue holding at most
 * queue_max jobs; NULL if out of memory or descriptors. */
struct pin_pool *
pin_pool_new(int queue_max, pin_job_fn run)
{
	struct pin_pool	*p;

	if ((p = calloc(1, sizeof *p)) == NULL)
		return NULL;
	if ((p->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) == -1) {
		free(p);
		return NULL;
	}
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	TAILQ_INIT(&p->urgent);
	TAILQ_INIT(&p->other);
	TAILQ_INIT(&p->done);
	p->queue_max = queue_max;
	p->run = run;
	return p;
}

/* The next job, urgent first, taken out of its queue; the lock held. */
static struct pin_job *
pin_pool_next(struct pin_pool *p)
{
	struct pin_job	*j;

	if ((j = TAILQ_FIRST(&p->urgent)) != NULL) {
		TAILQ_REMOVE(&p->urgent, j, entry);
		p->n_urgent--;
	} else if ((j = TAILQ_FIRST(&p->other)) != NULL) {
		TAILQ_REMOVE(&p->other, j, entry);
		p->n_other--;
	}
	if (j != NULL)
		j->state = PIN_JOB_RUNNING;
	return j;
}

/* Tell the loop a job is done; the lock held.  The eventfd only counts:
 * a write can fail only once 2^64 - 1 are unread. */
static void
pin_pool_finished(struct pin_pool *p, struct pin_job *j, int state)
{
	uint64_t	one = 1;

	j->state = state;
	TAILQ_INSERT_TAIL(&p->done, j, entry);
	(void)write(p->efd, &one, sizeof one);
}

/* A worker: run jobs until the pool stops.  Work queued when it stops is
 * left for pin_pool_free() to hand back undone. */
static void *
pin_pool_worker(void *arg)
{
	struct pin_pool	*p = arg;
	struct pin_job	*j;

	/* Below the loop's priority: under a flood of sign-ins the loop,
	 * answering everyone else, comes first (Linux: a thread's own). */
	(void)setpriority(PRIO_PROCESS, (id_t)gettid(), PIN_POOL_NICE);
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->stopping && TAILQ_EMPTY(&p->urgent) &&
		    TAILQ_EMPTY(&p->other))
			pthread_cond_wait(&p->work, &p->lock);
		if (p->stopping)
			break;
		j = pin_pool_next(p);
		pthread_mutex_unlock(&p->lock);
		p->run(j);
		pthread_mutex_lock(&p->lock);
		pin_pool_finished(p, j, PIN_JOB_DONE);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* Start the workers, every signal blocked in them so that SIGTERM and
 * SIGINT reach the loop's thread alone (main.c blocks them there while
 * it stops).  -1 if a thread cannot be made; those made still run. */
int
pin_pool_start(struct pin_pool *p, int workers)
{
	sigset_t	all, old;
	int		rc = 0;

	if ((p->threads = calloc((size_t)workers, sizeof *p->threads)) ==
	    NULL)
		return -1;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	while (p->nthreads < workers) {
		if ((errno = pthread_create(&p->threads[p->nthreads], NULL,
		    pin_pool_worker, p)) != 0) {
			rc = -1;
			break;
		}
		p->nthreads++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

/* The descriptor that is readable when jobs are done. */
int
pin_pool_fd(const struct pin_pool *p)
{
	return p->efd;
}

/* How many jobs wait in each queue now, for the metrics. */
void
pin_pool_queued(struct pin_pool *p, int *urgent, int *other)
{
	pthread_mutex_lock(&p->lock);
	*urgent = p->n_urgent;
	*other = p->n_other;
	pthread_mutex_unlock(&p->lock);
}

/* Queue n jobs together, or none: -1 if their queue has no room for all
 * of them (the caller answers 503 busy) or the pool is stopping. */
int
pin_pool_submit(struct pin_pool *p, struct pin_job *jobs[], int n,
    int urgent)
{
	struct pin_queue	*q = urgent ? &p->urgent : &p->other;
	int			*count = urgent ? &p->n_urgent : &p->n_other;
	int			 i;

	pthread_mutex_lock(&p->lock);
	if (p->stopping || *count + n > p->queue_max) {
		pthread_mutex_unlock(&p->lock);
		return -1;
	}
	for (i = 0; i < n; i++) {
		jobs[i]->state = PIN_JOB_QUEUED;
		jobs[i]->urgent = urgent;
		TAILQ_INSERT_TAIL(q, jobs[i], entry);
	}
	*count += n;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	return 0;
}

/* Take back a job still waiting in its queue (its request has gone): 0
 * and it is the caller's again, marked cancelled; -1 if a worker has it
 * or it is done, when it comes back through the done callback. */
int
pin_pool_cancel(struct pin_pool *p, struct pin_job *j)
{
	int	rc = -1;

	pthread_mutex_lock(&p->lock);
	if (j->state == PIN_JOB_QUEUED) {
		if (j->urgent) {
			TAILQ_REMOVE(&p->urgent, j, entry);
			p->n_urgent--;
		} else {
			TAILQ_REMOVE(&p->other, j, entry);
			p->n_other--;
		}
		j->state = PIN_JOB_CANCELLED;
		rc = 0;
	}
	pthread_mutex_unlock(&p->lock);
	return rc;
}

/* On the loop's thread: hand each job done since the last call to done,
 * which may free it or submit more.  Returns how many. */
int
pin_pool_collect(struct pin_pool *p, pin_done_fn done, void *arg)
{
	struct pin_queue	 ready;
	struct pin_job		*j;
	uint64_t		 unread;
	int			 n = 0;

	(void)read(p->efd, &unread, sizeof unread);
	TAILQ_INIT(&ready);
	pthread_mutex_lock(&p->lock);
	TAILQ_CONCAT(&ready, &p->done, entry);
	pthread_mutex_unlock(&p->lock);
	while ((j = TAILQ_FIRST(&ready)) != NULL) {
		TAILQ_REMOVE(&ready, j, entry);
		done(j, arg);
		n++;
	}
	return n;
}

/* Stop: each worker finishes the job in its hands, then every job
 * still queued comes back to done marked cancelled, as do those done and
 * not yet collected, so that nothing the callers own is lost. */
void
pin_pool_free(struct pin_pool *p, pin_done_fn done, void *arg)
{
	struct pin_job	*j;
	int		 i;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	p->stopping = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	for (i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	free(p->threads);
	pthread_mutex_lock(&p->lock);
	while ((j = pin_pool_next(p)) != NULL)
		pin_pool_finished(p, j, PIN_JOB_CANCELLED);
	pthread_mutex_unlock(&p->lock);
	pin_pool_collect(p, done, arg);
	close(p->efd);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

/* What a worker does in the daemon: yescrypt, through auth.c. */
void
pin_job_run(struct pin_job *j)
{
	if (j->work == PIN_VERIFY)
		j->result = auth_pin_verify(j->pin, j->hash);
	else
		j->result = auth_pin_hash(j->pin, j->hash);
}

