/* One daemon to a database.  Two would run two schedulers over one record
 * (every deadline fired twice, every alert raised twice) and nothing in
 * SQLite stops that: each transaction is whole, but the decisions made
 * between them are not.  So the serving daemon holds an exclusive
 * flock(2) on DATABASE.lock for as long as it runs; the lock goes with the
 * process, however it ends (kill -9 included), and is inherited across
 * daemon(3)'s fork.  (A restore refuses a database another process has
 * open: store_backup_idle().) */
#include <sys/file.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dblock.h"

/* Lock database's lock file, or say why not in *cause (allocated); the
 * descriptor stays open, unseen, until the process ends.  -1 if another
 * process holds it or it cannot be made. */
int
dblock_take(const char *database, char **cause)
{
	char	path[4096];
	int	fd;

	*cause = NULL;
	if ((size_t)snprintf(path, sizeof path, "%s.lock", database) >=
	    sizeof path) {
		if (asprintf(cause, "%s: the path is too long", database) == -1)
			*cause = NULL;
		return -1;
	}
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1) {
		if (asprintf(cause, "%s: %s", path, strerror(errno)) == -1)
			*cause = NULL;
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (asprintf(cause, "%s is in use by another idtsd (%s is "
		    "locked): stop it first", database, path) == -1)
			*cause = NULL;
		close(fd);
		return -1;
	}
	return 0;
}
