/* The database checked in the background (see store_check.h).  The
 * connection is read-only and its own: in write-ahead logging it reads
 * one snapshot while the daemon's connection goes on writing, so the
 * check neither blocks a request nor is blocked by one.  The thread runs
 * below the loop's priority, as the PIN pool's do. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store_check.h"

#ifndef STORE_CHECK_NICE
#define STORE_CHECK_NICE	10
#endif

struct store_check {
	sqlite3				*db;
	pthread_t			 thread;
	int				 efd;	/* readable: done */
	struct store_check_outcome	 out;	/* the thread's until done */
};

/* Milliseconds on the monotonic clock, to say how long a check took. */
int64_t
store_check_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Add one line integrity_check gave to what the check found, on one
 * line (its own may hold several), for the log and the alert. */
static void
store_check_note(struct store_check_outcome *o, const char *line)
{
	size_t	len = strlen(o->problem);
	char	*p;

	snprintf(o->problem + len, sizeof o->problem - len, "%s%s",
	    len ? "; " : "", line);
	for (p = o->problem + len; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
}

/* An error that ended the check: damage SQLite met on the way is a
 * failure; the daemon's interruption is a stop; anything else (the disk,
 * memory) leaves the check unfinished. */
static void
store_check_error(struct store_check *c, int rc)
{
	struct store_check_outcome	*o = &c->out;

	if (rc == SQLITE_INTERRUPT) {
		o->result = STORE_CHECK_STOPPED;
		return;
	}
	o->result = rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB ?
	    STORE_CHECK_FAILED : STORE_CHECK_UNFINISHED;
	store_check_note(o, sqlite3_errmsg(c->db));
}

/* PRAGMA integrity_check: "ok", or a row for each problem found. */
static void
store_check_run(struct store_check *c)
{
	struct store_check_outcome	*o = &c->out;
	sqlite3_stmt			*st;
	const char			*line;
	int				 rc;

	if ((rc = sqlite3_prepare_v2(c->db, "PRAGMA integrity_check", -1,
	    &st, NULL)) != SQLITE_OK) {
		store_check_error(c, rc & 0xff);
		return;
	}
	o->result = STORE_CHECK_OK;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		line = (const char *)sqlite3_column_text(st, 0);
		if (line != NULL && strcmp(line, "ok") == 0)
			continue;
		o->result = STORE_CHECK_FAILED;
		store_check_note(o, line != NULL ? line : "?");
	}
	if (rc != SQLITE_DONE)
		store_check_error(c, rc & 0xff);
	sqlite3_finalize(st);
}

/* The thread: check, then tell the loop.  The eventfd only counts. */
static void *
store_check_thread(void *arg)
{
	struct store_check	*c = arg;
	int64_t			 t0 = store_check_ms();
	uint64_t		 one = 1;

	(void)setpriority(PRIO_PROCESS, (id_t)gettid(), STORE_CHECK_NICE);
	store_check_run(c);
	c->out.ms = store_check_ms() - t0;
	(void)write(c->efd, &one, sizeof one);
	return NULL;
}

/* Open a read-only connection to path; 0, or -1 with *cause. */
static int
store_check_open(struct store_check *c, const char *path, char **cause)
{
	if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOFOLLOW, NULL) == SQLITE_OK) {
		sqlite3_extended_result_codes(c->db, 0);
		sqlite3_busy_timeout(c->db, 5000);
		sqlite3_db_config(c->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
		return 0;
	}
	if (asprintf(cause, "%s: %s", path, c->db ? sqlite3_errmsg(c->db) :
	    "out of memory") == -1)
		*cause = NULL;
	return -1;
}

/* Start checking the database at path on a thread of its own, every
 * signal blocked in it (they are the loop's).  0, or -1 with *cause. */
int
store_check_start(const char *path, struct store_check **out, char **cause)
{
	struct store_check	*c;
	sigset_t		 all, old;
	int			 rc;

	*cause = NULL;
	if ((c = calloc(1, sizeof *c)) == NULL ||
	    (c->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) == -1) {
		*cause = strdup("out of memory or descriptors");
		free(c);
		return -1;
	}
	if (store_check_open(c, path, cause) == -1)
		goto fail;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&c->thread, NULL, store_check_thread, c);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc == 0) {
		*out = c;
		return 0;
	}
	if (asprintf(cause, "cannot start its thread: %s", strerror(rc)) ==
	    -1)
		*cause = NULL;
fail:
	sqlite3_close(c->db);
	close(c->efd);
	free(c);
	return -1;
}

/* The descriptor that is readable once the check is done. */
int
store_check_fd(const struct store_check *c)
{
	return c->efd;
}

/* Wait for the check to end (at once if stop: it is interrupted), give
 * what it found and free it.  The interruption is repeated until the
 * thread says it is done: one made before its statement has started is
 * forgotten when it starts. */
void
store_check_finish(struct store_check *c, int stop,
    struct store_check_outcome *o)
{
	struct pollfd	pfd = { .fd = c->efd, .events = POLLIN };

	if (stop)
		do
			sqlite3_interrupt(c->db);
		while (poll(&pfd, 1, 10) == 0);
	while ((errno = pthread_join(c->thread, NULL)) == EINTR)
		;
	*o = c->out;
	sqlite3_close(c->db);
	close(c->efd);
	free(c);
}
