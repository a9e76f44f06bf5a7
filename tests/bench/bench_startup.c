/* bench_startup: how long idtsd takes from exec to its first answer.
 *
 * Measures the time from just before exec(2) of the daemon to the first
 * "HTTP/1.1 200" answer to GET /v1/health on the loopback port it was
 * configured with (CLOCK_MONOTONIC, polling a fresh connection every
 * millisecond until one is accepted, then waiting for its answer), and
 * then how long the daemon takes to exit after SIGTERM (it must exit 0).
 * With -k it is killed with SIGKILL instead, as a crash would end it, so
 * that its next start is one after an unclean stop (STOP_MS is then 0).
 * Only the child it started is ever signalled.
 *
 *	bench_startup -p PORT [-k] [-t SECONDS] -- IDTSD -f -c FILE
 *
 *	-p PORT     the port in FILE's listen block (required)
 *	-k          kill -9 the daemon once it has answered
 *	-t SECONDS  give up after this long (60)
 *
 * It prints "RESULT START_MS STOP_MS" for scripts (tests/bench/
 * deadlines.sh).  Exit status: 0 measured; 1 something failed (no 200,
 * no clean exit); 3 the daemon exited before it answered (the script
 * looks in the log for "cannot listen" and tries another port).
 * Build: cc -std=c11 -O2 -Wall -Wextra bench_startup.c. */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_common.h"

static void
sleep_ms(long ms)
{
	struct timespec	ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* One GET /v1/health.  Returns 1 on a 200, 0 if the daemon is not
 * accepting yet or answered something else, -1 past the deadline. */
static int
health(int port, int64_t deadline)
{
	static const char	 req[] = "GET /v1/health HTTP/1.1\r\n"
				    "Host: 127.0.0.1\r\nConnection: close\r\n\r\n";
	struct sockaddr_in	 sin;
	struct pollfd		 pfd;
	char			 buf[64];
	size_t			 got = 0;
	ssize_t			 n;
	int			 fd, left, ok = 0;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return 0;
	if (connect(fd, (struct sockaddr *)&sin, sizeof sin) == -1 ||
	    write(fd, req, sizeof req - 1) != (ssize_t)(sizeof req - 1)) {
		close(fd);
		return 0;
	}
	/* Accepted: the answer comes once the event loop runs. */
	while (got < 12) {
		left = (int)((deadline - now_ns()) / 1000000);
		if (left <= 0) {
			close(fd);
			return -1;
		}
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, left > 100 ? 100 : left) == 0)
			continue;
		if ((n = read(fd, buf + got, sizeof buf - 1 - got)) <= 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	ok = strncmp(buf, "HTTP/1.1 200", 12) == 0;
	close(fd);
	return ok;
}

static void
usage(void)
{
	fprintf(stderr, "usage: bench_startup -p port [-k] [-t seconds] -- "
	    "idtsd args...\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	int64_t	 t0, t_up = 0, t_term, t_exit, deadline;
	long	 timeout = 60;
	pid_t	 pid, w;
	int	 ch, port = 0, status, r, crash = 0;

	while ((ch = getopt(argc, argv, "kp:t:")) != -1) {
		switch (ch) {
		case 'k':
			crash = 1;
			break;
		case 'p':
			port = atoi(optarg);
			break;
		case 't':
			timeout = atol(optarg);
			break;
		default:
			usage();
		}
	}
	if (port <= 0 || port > 65535 || timeout <= 0 || optind >= argc)
		usage();

	t0 = now_ns();
	deadline = t0 + (int64_t)timeout * 1000000000;
	if ((pid = fork()) == -1) {
		perror("bench_startup: fork");
		return 1;
	}
	if (pid == 0) {
		execv(argv[optind], argv + optind);
		perror("bench_startup: exec");
		_exit(127);
	}
	for (;;) {
		if ((w = waitpid(pid, &status, WNOHANG)) == pid) {
			fprintf(stderr, "bench_startup: the daemon exited "
			    "(status %d) before it answered\n",
			    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
			return 3;
		}
		if ((r = health(port, deadline)) == 1) {
			t_up = now_ns();
			break;
		}
		if (r == -1 || now_ns() > deadline) {
			fprintf(stderr, "bench_startup: no 200 from GET "
			    "/v1/health within %ld s\n", timeout);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return 1;
		}
		sleep_ms(1);
	}

	if (crash) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		printf("RESULT %.1f 0\n", (double)(t_up - t0) / 1e6);
		return 0;
	}
	t_term = now_ns();
	kill(pid, SIGTERM);
	while ((w = waitpid(pid, &status, 0)) == -1 && errno == EINTR)
		;
	t_exit = now_ns();
	if (w != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench_startup: the daemon did not exit 0 on "
		    "SIGTERM\n");
		return 1;
	}
	printf("RESULT %.1f %.1f\n", (double)(t_up - t0) / 1e6,
	    (double)(t_exit - t_term) / 1e6);
	return 0;
}
