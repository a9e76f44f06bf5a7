/* Unit tests for the background database check (store/store_check.c)
 * against real SQLite files: a whole one passes, one with a zeroed page
 * fails and says where, a stop interrupts a check under way, and a file
 * that is not there cannot be checked. */
#include <fcntl.h>
#include <poll.h>
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

#include "store_check.h"

struct fixture {
	char	dir[64];
	char	path[128];
};

/* A database in write-ahead logging, as the daemon's, with rows of 200
 * bytes in table t over many pages. */
static void
make_db(const char *path, int rows)
{
	sqlite3	*db;
	char	 sql[256];

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	snprintf(sql, sizeof sql, "PRAGMA journal_mode = WAL; "
	    "CREATE TABLE t (x BLOB); WITH RECURSIVE n(i) AS (SELECT 0 "
	    "UNION ALL SELECT i + 1 FROM n WHERE i < %d) INSERT INTO t "
	    "SELECT randomblob(200) FROM n; CREATE INDEX t_x ON t (x)",
	    rows - 1);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);	/* checkpoints */
}

static int
setup(void **state)
{
	struct fixture	*f;

	if ((f = calloc(1, sizeof *f)) == NULL)
		return -1;
	strcpy(f->dir, "/tmp/idtsd-test-check-XXXXXX");
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof f->path, "%s/idtsd.db", f->dir);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	char		 file[160];

	unlink(f->path);
	snprintf(file, sizeof file, "%s-wal", f->path);
	unlink(file);
	snprintf(file, sizeof file, "%s-shm", f->path);
	unlink(file);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Check path to the end (or stop it at once) and say what was found. */
static void
check(const char *path, int stop, struct store_check_outcome *o)
{
	struct store_check	*c = NULL;
	struct pollfd		 pfd;
	char			*cause = NULL;

	assert_int_equal(store_check_start(path, &c, &cause), 0);
	assert_null(cause);
	if (!stop) {
		pfd.fd = store_check_fd(c);
		pfd.events = POLLIN;
		assert_int_equal(poll(&pfd, 1, 60000), 1);
	}
	store_check_finish(c, stop, o);
}

static void
test_whole_database_passes(void **state)
{
	struct fixture			*f = *state;
	struct store_check_outcome	 o;

	make_db(f->path, 2000);
	check(f->path, 0, &o);
	assert_int_equal(o.result, STORE_CHECK_OK);
	assert_string_equal(o.problem, "");
	assert_true(o.ms >= 0);
}

static void
test_zeroed_page_fails(void **state)
{
	struct fixture			*f = *state;
	struct store_check_outcome	 o;
	char				 page[4096];
	int				 fd;

	make_db(f->path, 2000);
	/* Page 20, a leaf of t or its index, zeroed as a bad disk might. */
	memset(page, 0, sizeof page);
	assert_true((fd = open(f->path, O_WRONLY)) != -1);
	assert_int_equal(pwrite(fd, page, sizeof page, 19 * 4096),
	    (ssize_t)sizeof page);
	close(fd);
	check(f->path, 0, &o);
	assert_int_equal(o.result, STORE_CHECK_FAILED);
	assert_non_null(strstr(o.problem, "Page 20"));
	/* On one line, for the log and the alert. */
	assert_null(strchr(o.problem, '\n'));
}

static void
test_stop_interrupts(void **state)
{
	struct fixture			*f = *state;
	struct store_check_outcome	 o;

	/* Some 60,000 pages: far more than one interval of the stop's
	 * repeated interruption to check. */
	make_db(f->path, 100000);
	check(f->path, 1, &o);
	assert_int_equal(o.result, STORE_CHECK_STOPPED);
}

static void
test_missing_file_not_checked(void **state)
{
	struct fixture		*f = *state;
	struct store_check	*c = NULL;
	char			*cause = NULL;

	assert_int_equal(store_check_start(f->path, &c, &cause), -1);
	assert_null(c);
	assert_non_null(cause);
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_whole_database_passes,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_zeroed_page_fails,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_interrupts,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_file_not_checked,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
