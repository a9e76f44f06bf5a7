/* Printing: text sent to the configured printer with lp(1).  Shared by
 * idtsctl (movement summary --print, the discharge letter) and the
 * handover sheet (idtsctl handover --print): call client_print(). */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client.h"

extern char **environ;

/* The printer: IDTSCTL_PRINTER, else the first line of
 * $XDG_CONFIG_HOME/idtsctl/printer (~/.config/idtsctl/printer), else ""
 * for lp's default destination. */
static void
client_printer(char *buf, size_t size)
{
	const char	*env = getenv("IDTSCTL_PRINTER");
	const char	*xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char		 path[4096];
	FILE		*f;

	buf[0] = '\0';
	if (env != NULL) {
		snprintf(buf, size, "%s", env);
		return;
	}
	if (xdg != NULL && *xdg != '\0')
		snprintf(path, sizeof path, "%s/idtsctl/printer", xdg);
	else if (home != NULL)
		snprintf(path, sizeof path, "%s/.config/idtsctl/printer", home);
	else
		return;
	if ((f = fopen(path, "r")) == NULL)
		return;
	if (fgets(buf, (int)size, f) == NULL)
		buf[0] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	fclose(f);
}

/* Write all of text to fd; -1 on a failure. */
static int
client_print_write(int fd, const char *text, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(fd, text, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		text += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Run lp with args, text on its standard input; its exit status, or -1
 * if it could not be run. */
static int
client_print_run(char *const args[], const char *text, size_t len)
{
	posix_spawn_file_actions_t	 fa;
	pid_t				 pid;
	int				 fds[2], status, rc, wrote;
	void				(*was)(int);

	if (pipe(fds) == -1)
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[0], STDIN_FILENO);
	posix_spawn_file_actions_addclose(&fa, fds[1]);
	rc = posix_spawnp(&pid, "lp", &fa, NULL, args, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[0]);
	if (rc != 0) {
		close(fds[1]);
		errno = rc;
		return -1;
	}
	was = signal(SIGPIPE, SIG_IGN);	/* lp gone: said by its status */
	wrote = client_print_write(fds[1], text, len);
	close(fds[1]);
	signal(SIGPIPE, was);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return -1;
	if (!WIFEXITED(status))
		return 128;
	if (WEXITSTATUS(status) == 0 && wrote == -1)
		return 1;	/* it took less than the whole page */
	return WEXITSTATUS(status);
}

/* Send text (titled for the print queue) to the configured printer with
 * lp; 0, or -1 with *cause set (the caller frees it). */
int
client_print(const char *text, size_t len, const char *title, char **cause)
{
	char	 printer[256];
	char	*args[7];
	int	 n = 0, rc;

	*cause = NULL;
	client_printer(printer, sizeof printer);
	if (printer[0] == '-') {
		if (asprintf(cause, "\"%s\" is not a printer's name",
		    printer) == -1)
			*cause = NULL;
		return -1;
	}
	args[n++] = "lp";
	if (printer[0] != '\0') {
		args[n++] = "-d";
		args[n++] = printer;
	}
	args[n++] = "-t";
	args[n++] = (char *)title;
	args[n] = NULL;
	if ((rc = client_print_run(args, text, len)) == 0)
		return 0;
	if ((rc == -1 ? asprintf(cause, "cannot run lp: %s",
	    strerror(errno)) : asprintf(cause, "lp failed (exit status "
	    "%d)%s%s", rc, printer[0] ? ": printer " : "", printer)) == -1)
		*cause = NULL;
	return -1;
}
