/* Linked into the daemon of make coverage only (tests/coverage.mk): on
 * SIGUSR2 it writes its gcov counts, then dies by SIGKILL.  Integration
 * tests kill the daemon hard to test recovery (kill_daemon in lib.sh),
 * and a process killed by SIGKILL writes no counts: everything it ran
 * went uncounted. */
#include <signal.h>
#include <string.h>
#include <unistd.h>

void	__gcov_dump(void);

/* Write the counts, then die as kill -9 would. */
static void
gcov_dump_and_die(int sig)
{
	(void)sig;
	__gcov_dump();
	kill(getpid(), SIGKILL);
}

/* Installed before main() runs. */
static void __attribute__((constructor))
gcov_dump_install(void)
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = gcov_dump_and_die;
	sigaction(SIGUSR2, &sa, NULL);
}
