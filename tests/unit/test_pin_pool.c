/* Unit tests for pin_pool.c: urgent work taken before the rest, each
 * queue bounded (all of a request's jobs or none), a job taken back while
 * it waits, every job handed back when the pool stops with work queued
 * (AddressSanitizer finds one lost), and the daemon's own yescrypt job. */
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "pin_pool.h"

/* The order jobs were run in, by their owner's number. */
static pthread_mutex_t	ran_lock = PTHREAD_MUTEX_INITIALIZER;
static int		ran[16], nran;

/* A job that takes a little time and notes its turn. */
static void
slow_job(struct pin_job *j)
{
	struct timespec	ts = { 0, 20 * 1000 * 1000 };

	nanosleep(&ts, NULL);
	pthread_mutex_lock(&ran_lock);
	if (nran < 16)
		ran[nran++] = (int)(intptr_t)j->owner;
	pthread_mutex_unlock(&ran_lock);
	j->result = 1;
}

/* A job on the heap, owned by the test until it is handed back. */
static struct pin_job *
job_new(int id)
{
	struct pin_job	*j = calloc(1, sizeof *j);

	assert_non_null(j);
	j->owner = (void *)(intptr_t)id;
	return j;
}

/* The done callback: count by state, and free the job. */
struct tally {
	int	done, cancelled;
};

static void
job_back(struct pin_job *j, void *arg)
{
	struct tally	*t = arg;

	if (j->state == PIN_JOB_DONE)
		t->done++;
	else if (j->state == PIN_JOB_CANCELLED)
		t->cancelled++;
	free(j);
}

/* Wait on the pool's descriptor, as the loop does, until n are back. */
static void
collect_until(struct pin_pool *p, struct tally *t, int n)
{
	struct pollfd	pfd = { pin_pool_fd(p), POLLIN, 0 };

	while (t->done + t->cancelled < n) {
		assert_true(poll(&pfd, 1, 5000) == 1);
		pin_pool_collect(p, job_back, t);
	}
}

static void
submit_one(struct pin_pool *p, int id, int urgent, int expect)
{
	struct pin_job	*j = job_new(id);

	assert_int_equal(pin_pool_submit(p, &j, 1, urgent), expect);
	if (expect == -1)
		free(j);
}

/* Queued before any worker starts: every urgent job runs before the
 * others, each queue in the order it was given. */
static void
test_urgent_first(void **state)
{
	struct pin_pool	*p;
	struct tally	 t = { 0, 0 };
	static const int want[] = { 4, 5, 1, 2, 3 };
	int		 i;

	(void)state;
	nran = 0;
	assert_non_null(p = pin_pool_new(8, slow_job));
	submit_one(p, 1, 0, 0);
	submit_one(p, 2, 0, 0);
	submit_one(p, 3, 0, 0);
	submit_one(p, 4, 1, 0);
	submit_one(p, 5, 1, 0);
	assert_int_equal(pin_pool_start(p, 1), 0);
	collect_until(p, &t, 5);
	assert_int_equal(t.done, 5);
	assert_int_equal(nran, 5);
	for (i = 0; i < 5; i++)
		assert_int_equal(ran[i], want[i]);
	pin_pool_free(p, job_back, &t);
	assert_int_equal(t.done + t.cancelled, 5);
}

/* Each queue holds at most its bound, the other queue untouched; a
 * request's jobs go in together or not at all. */
static void
test_bound(void **state)
{
	struct pin_pool	*p;
	struct pin_job	*two[2];
	struct tally	 t = { 0, 0 };

	(void)state;
	assert_non_null(p = pin_pool_new(2, slow_job));
	submit_one(p, 1, 0, 0);
	two[0] = job_new(2);
	two[1] = job_new(3);
	assert_int_equal(pin_pool_submit(p, two, 2, 0), -1);
	assert_int_equal(two[0]->state, PIN_JOB_NEW);	/* not queued */
	submit_one(p, 4, 0, 0);
	submit_one(p, 5, 0, -1);
	assert_int_equal(pin_pool_submit(p, two, 2, 1), 0);	/* urgent */
	submit_one(p, 6, 1, -1);
	/* Never started: all four come back cancelled, none lost. */
	pin_pool_free(p, job_back, &t);
	assert_int_equal(t.cancelled, 4);
	assert_int_equal(t.done, 0);
}

/* A job still queued is taken back once; one a worker has is not. */
static void
test_cancel(void **state)
{
	struct pin_pool	*p;
	struct pin_job	*a = job_new(1), *b = job_new(2);
	struct tally	 t = { 0, 0 };

	(void)state;
	assert_non_null(p = pin_pool_new(4, slow_job));
	assert_int_equal(pin_pool_submit(p, &a, 1, 0), 0);
	assert_int_equal(pin_pool_submit(p, &b, 1, 0), 0);
	assert_int_equal(pin_pool_cancel(p, a), 0);
	assert_int_equal(a->state, PIN_JOB_CANCELLED);
	assert_int_equal(pin_pool_cancel(p, a), -1);
	free(a);
	assert_int_equal(pin_pool_start(p, 1), 0);
	collect_until(p, &t, 1);
	assert_int_equal(t.done, 1);
	pin_pool_free(p, job_back, &t);
	assert_int_equal(t.done + t.cancelled, 1);
}

/* Stopping with work queued and in a worker's hands: the worker finishes
 * its job, the rest come back cancelled, the pool is freed. */
static void
test_stop_with_work_queued(void **state)
{
	struct pin_pool	*p;
	struct tally	 t = { 0, 0 };
	struct timespec	 ts = { 0, 5 * 1000 * 1000 };
	int		 i;

	(void)state;
	assert_non_null(p = pin_pool_new(16, slow_job));
	for (i = 0; i < 10; i++)
		submit_one(p, i, i % 2, 0);
	assert_int_equal(pin_pool_start(p, 2), 0);
	nanosleep(&ts, NULL);
	pin_pool_free(p, job_back, &t);
	assert_int_equal(t.done + t.cancelled, 10);
	assert_true(t.done >= 2);
	assert_true(t.cancelled >= 1);
}

/* The done callback for jobs on the stack: count, keep. */
static void
job_keep(struct pin_job *j, void *arg)
{
	int	*n = arg;

	(void)j;
	(*n)++;
}

/* Submit jobs and wait until they are back, kept. */
static void
run_kept(struct pin_pool *p, struct pin_job *jobs[], int n)
{
	struct pollfd	pfd = { pin_pool_fd(p), POLLIN, 0 };
	int		back = 0;

	assert_int_equal(pin_pool_submit(p, jobs, n, 1), 0);
	while (back < n) {
		assert_true(poll(&pfd, 1, 5000) == 1);
		pin_pool_collect(p, job_keep, &back);
	}
}

/* The daemon's job: a PIN hashed, then checked right and wrong, on the
 * pool's threads. */
static void
test_yescrypt_job(void **state)
{
	struct pin_pool	*p;
	struct pin_job	 hash, right, wrong, *jobs[2] = { &right, &wrong };
	struct pin_job	*one = &hash;
	int		 back = 0;

	(void)state;
	memset(&hash, 0, sizeof hash);
	memset(&right, 0, sizeof right);
	memset(&wrong, 0, sizeof wrong);
	assert_non_null(p = pin_pool_new(4, pin_job_run));
	assert_int_equal(pin_pool_start(p, 2), 0);
	hash.work = PIN_HASH;
	strcpy(hash.pin, "4821");
	run_kept(p, &one, 1);
	assert_int_equal(hash.result, 0);
	assert_true(strncmp(hash.hash, "$y$", 3) == 0);
	right.work = wrong.work = PIN_VERIFY;
	strcpy(right.pin, "4821");
	strcpy(wrong.pin, "4822");
	strcpy(right.hash, hash.hash);
	strcpy(wrong.hash, hash.hash);
	run_kept(p, jobs, 2);
	assert_int_equal(right.state, PIN_JOB_DONE);
	assert_int_equal(right.result, 1);
	assert_int_equal(wrong.result, 0);
	pin_pool_free(p, job_keep, &back);
	assert_int_equal(back, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_urgent_first),
		cmocka_unit_test(test_bound),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_stop_with_work_queued),
		cmocka_unit_test(test_yescrypt_job),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
