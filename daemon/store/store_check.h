/* The database checked in the background (store_check.c): PRAGMA
 * integrity_check on a second, read-only connection, on a thread of its
 * own, so that a large store is checked while requests are answered.
 * The loop learns that the check is done when store_check_fd() becomes
 * readable; only the loop's thread calls these functions. */
#ifndef IDTSD_STORE_CHECK_H
#define IDTSD_STORE_CHECK_H

#include <stddef.h>
#include <stdint.h>

#define STORE_CHECK_PROBLEM_MAX	512

enum store_check_result {
	STORE_CHECK_OK,		/* integrity_check said ok */
	STORE_CHECK_FAILED,	/* it found damage: problem says what */
	STORE_CHECK_UNFINISHED,	/* it could not finish: problem says why */
	STORE_CHECK_STOPPED,	/* the daemon stopped it */
};

struct store_check;

/* What a finished check found, and how long it took. */
struct store_check_outcome {
	enum store_check_result	 result;
	int64_t			 ms;
	char			 problem[STORE_CHECK_PROBLEM_MAX];
};

int	store_check_start(const char *path, struct store_check **out,
	    char **cause);
int	store_check_fd(const struct store_check *);
void	store_check_finish(struct store_check *, int stop,
	    struct store_check_outcome *);
int64_t	store_check_ms(void);

#endif
