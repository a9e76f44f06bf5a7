/* idtsd --restore FILE, with the daemon stopped.  The backup is checked
 * (a schema this idtsd knows, integrity_check, the audit trail), copied
 * beside the database under a temporary name and checked again there, so
 * what goes in is what was verified.  The database it replaces is kept,
 * hard-linked under a name with the time (never over an existing file),
 * its audit anchor file with it, and the copy renamed over the database
 * in one step: at every moment the database is either the old one or
 * the restored one.  Prints what the restored record's last entry is. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "restore.h"
#include "store_backup.h"
#include "timefmt.h"

/* Copy from to a new file to (0600), and fsync it. */
static int
restore_copy(const char *from, const char *to)
{
	char	buf[65536];
	ssize_t	n = 0;
	int	in, out, rc = -1;

	if ((in = open(from, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if ((out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) != -1) {
		while ((n = read(in, buf, sizeof buf)) > 0)
			if (write(out, buf, (size_t)n) != n)
				break;
		rc = n == 0 && fsync(out) == 0 ? 0 : -1;
		if (close(out) == -1)
			rc = -1;
	}
	close(in);
	return rc;
}

/* fsync the directory a file is in. */
static int
restore_sync_dir(const char *path)
{
	char	copy[PATH_MAX];
	int	fd, rc;

	snprintf(copy, sizeof copy, "%s", path);
	if ((fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) ==
	    -1)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* Move the file db<suffix>, if there is one, to aside<suffix>: a second
 * name, then the first removed.  -1 if it cannot be. */
static int
restore_move_beside(const char *db, const char *aside, const char *suffix)
{
	char	from[PATH_MAX + 8], to[PATH_MAX + 8];

	snprintf(from, sizeof from, "%s%s", db, suffix);
	snprintf(to, sizeof to, "%s%s", aside, suffix);
	if (access(from, F_OK) == -1)
		return errno == ENOENT ? 0 : -1;
	return link(from, to) == 0 && unlink(from) == 0 ? 0 : -1;
}

/* Keep the database under aside: a second name for the same file, so
 * that nothing is copied or lost; with it go a write-ahead log left
 * beside it, and the audit anchor file (the head signed over the chain
 * being replaced: left in place, the restored chain, which ends before
 * it, would fail its anchor check).  0 with aside "" if there is no
 * database. */
static int
restore_keep_aside(const char *db, char aside[PATH_MAX])
{
	char	stamp[32], shm[PATH_MAX + 8];
	time_t	now = time(NULL);
	int	n;

	aside[0] = '\0';
	if (access(db, F_OK) == -1)
		return errno == ENOENT ? 0 : -1;
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", gmtime(&now));
	/* A second restore in the same second gets the next number. */
	for (n = 0; ; n++) {
		if (snprintf(aside, PATH_MAX, "%s.before-restore-%s%s%.0d", db,
		    stamp, n ? "-" : "", n) >= PATH_MAX)
			return -1;
		if (link(db, aside) == 0)
			break;
		if (errno != EEXIST || n == 99)
			return -1;
	}
	if (restore_move_beside(db, aside, "-wal") == -1 ||
	    restore_move_beside(db, aside, ".anchor") == -1)
		return -1;
	snprintf(shm, sizeof shm, "%s-shm", db);
	if (unlink(shm) == -1 && errno != ENOENT)
		return -1;
	return 0;
}

/* Say what was restored and where the old database is. */
static void
restore_report(const char *file, const char *db, const char *aside,
    const struct store_backup_check *c)
{
	char	at[TIMEFMT_INSTANT_LEN], anchor[PATH_MAX + 8];

	snprintf(anchor, sizeof anchor, "%s.anchor", aside);
	timefmt_format_instant(c->head_at, at);
	printf("restored %s into %s: schema version %d, %lld audit entries, "
	    "the chain whole\n", file, db, c->schema_version,
	    (long long)c->entries);
	if (c->head_seq != 0)
		printf("the restored record's last entry: seq %lld at %s: "
		    "%s\n", (long long)c->head_seq, at, c->head_action);
	if (aside[0] != '\0') {
		printf("the database it replaced is kept as %s\n", aside);
		if (access(anchor, F_OK) == 0)
			printf("its audit anchor is kept as %s: the restored "
			    "record is checked against its own signed heads\n",
			    anchor);
	} else
		printf("there was no database to keep aside\n");
}

/* Say why a restore was refused (a long path is cut short). */
static void __attribute__((format(printf, 3, 4)))
restore_why(char *why, size_t size, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(why, size, fmt, ap);
	va_end(ap);
}

/* Check, copy beside, check the copy, keep the old aside, rename in. */
static int
restore_put(const char *file, const char *db, char aside[PATH_MAX],
    struct store_backup_check *c, char *why, size_t size)
{
	char	staging[PATH_MAX + 16];

	if (store_backup_check(file, c) == -1) {
		restore_why(why, size, "%s", c->problem);
		return -1;
	}
	snprintf(staging, sizeof staging, "%s.restoring", db);
	if (unlink(staging) == -1 && errno != ENOENT) {
		restore_why(why, size, "cannot remove %s: %m", staging);
		return -1;
	}
	if (restore_copy(file, staging) == -1) {
		restore_why(why, size, "cannot copy it to %s: %m", staging);
		unlink(staging);
		return -1;
	}
	if (store_backup_check(staging, c) == -1)
		restore_why(why, size, "the copy beside the database: %s",
		    c->problem);
	else if (store_backup_idle(db, why, size) == 0) {
		if (restore_keep_aside(db, aside) == -1)
			restore_why(why, size, "cannot keep %s aside: %m", db);
		else if (rename(staging, db) == -1 ||
		    restore_sync_dir(db) == -1)
			restore_why(why, size, "cannot move the copy into "
			    "place: %m");
		else
			return 0;
	}
	unlink(staging);
	return -1;
}

/* idtsd --restore FILE: 0, or 1 after saying why nothing was changed. */
int
restore_run(const struct config *cfg, const char *file)
{
	struct store_backup_check	c;
	char				aside[PATH_MAX] = "", why[512];

	if (restore_put(file, cfg->database, aside, &c, why, sizeof why) ==
	    -1) {
		fprintf(stderr, "idtsd: --restore %s refused: %s\n", file, why);
		if (aside[0] != '\0')
			fprintf(stderr, "idtsd: the database is kept as %s\n",
			    aside);
		return 1;
	}
	restore_report(file, cfg->database, aside, &c);
	return 0;
}
