/* The enrolled terminal's credential, "ID:SECRET" as an admin was shown it
 * once (idtsctl terminal enrol), kept in a file only its owner may read:
 * $IDTS_TERMINAL_FILE, else $XDG_CONFIG_HOME/idts/terminal or
 * ~/.config/idts/terminal.  When there is one, every request sends it as
 * X-Terminal: sign-in and witnesses' PINs need it away from loopback, and
 * a session works only from the terminal it was opened on. */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "client.h"

#define CLIENT_TERMINAL_ID_LEN	36	/* a UUID */
#define CLIENT_TERMINAL_SECRET_LEN 64	/* 32 bytes as hex */

/* Where the credential is kept; -1 if there is no home to look in. */
int
client_terminal_path(char *out, size_t size)
{
	const char	*env = getenv("IDTS_TERMINAL_FILE");
	const char	*xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	int		 n;

	if (env != NULL && env[0] != '\0')
		n = snprintf(out, size, "%s", env);
	else if (xdg != NULL && xdg[0] == '/')
		n = snprintf(out, size, "%s/idts/terminal", xdg);
	else if (home != NULL)
		n = snprintf(out, size, "%s/.config/idts/terminal", home);
	else
		return -1;
	return n > 0 && (size_t)n < size ? 0 : -1;
}

/* Whether text is a credential as the daemon hands them out. */
static int
client_terminal_valid(const char *text)
{
	size_t	n = strlen(text);

	return n == CLIENT_TERMINAL_ID_LEN + 1 + CLIENT_TERMINAL_SECRET_LEN &&
	    text[CLIENT_TERMINAL_ID_LEN] == ':' &&
	    strspn(text, "0123456789abcdef-") == CLIENT_TERMINAL_ID_LEN &&
	    strspn(text + CLIENT_TERMINAL_ID_LEN + 1, "0123456789abcdef") ==
	    CLIENT_TERMINAL_SECRET_LEN;
}

/* Read the credential from fd, which names path, into c. */
static int
client_terminal_read(struct client *c, int fd, const char *path,
    char **cause)
{
	struct stat	sb;
	char		text[sizeof c->terminal + 2];
	ssize_t		n;

	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		if (asprintf(cause, "%s is not a file", path) == -1)
			*cause = NULL;
		return -1;
	}
	if ((sb.st_mode & 077) != 0 || sb.st_uid != geteuid()) {
		if (asprintf(cause, "%s holds a terminal's credential and must "
		    "be yours and readable by you only: chmod 600 %s", path,
		    path) == -1)
			*cause = NULL;
		return -1;
	}
	n = read(fd, text, sizeof text - 1);
	text[n > 0 ? n : 0] = '\0';
	text[strcspn(text, "\r\n")] = '\0';
	if (!client_terminal_valid(text)) {
		explicit_bzero(text, sizeof text);
		if (asprintf(cause, "%s does not hold a terminal credential "
		    "(ID:SECRET, as idtsctl terminal enrol shows it)", path) ==
		    -1)
			*cause = NULL;
		return -1;
	}
	memcpy(c->terminal, text, strlen(text) + 1);
	explicit_bzero(text, sizeof text);
	return 0;
}

/* Load the terminal's credential into c, if there is one: 0 (with none
 * when the file does not exist), or -1 with *cause if it exists but
 * others may read it or it holds no credential. */
int
client_terminal_load(struct client *c, char **cause)
{
	char	path[4096];
	int	fd, rc;

	c->terminal[0] = '\0';
	if (client_terminal_path(path, sizeof path) == -1)
		return 0;
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return 0;
		if (asprintf(cause, "%s: %s", path, strerror(errno)) == -1)
			*cause = NULL;
		return -1;
	}
	rc = client_terminal_read(c, fd, path, cause);
	close(fd);
	return rc;
}

/* Send the terminal's credential with a request, if there is one. */
void
client_terminal_header(const struct client *c, struct evkeyvalq *h)
{
	if (c->terminal[0] != '\0')
		evhttp_add_header(h, "X-Terminal", c->terminal);
}
