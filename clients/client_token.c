/* The sign-in token idtsctl keeps between commands: the server on the
 * first line and the token on the second, in a file only its owner may
 * read.  IDTS_TOKEN, when set, is used instead. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client.h"

/* $XDG_CONFIG_HOME/idtsctl/token, or ~/.config/idtsctl/token. */
int
client_token_path(char *out, size_t size)
{
	const char	*xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	int		 n;

	if (xdg != NULL && xdg[0] == '/')
		n = snprintf(out, size, "%s/idtsctl/token", xdg);
	else if (home != NULL)
		n = snprintf(out, size, "%s/.config/idtsctl/token", home);
	else
		return -1;
	return n > 0 && (size_t)n < size ? 0 : -1;
}

/* Load the token for c's server; 0 if one was found. */
int
client_token_load(struct client *c)
{
	const char	*env = getenv("IDTS_TOKEN");
	char		 path[4096], server[256], token[128];
	FILE		*f;
	int		 rc = -1;

	if (env != NULL && env[0] != '\0') {
		snprintf(c->token, sizeof c->token, "%s", env);
		return 0;
	}
	if (client_token_path(path, sizeof path) == -1 ||
	    (f = fopen(path, "r")) == NULL)
		return -1;
	if (fgets(server, sizeof server, f) != NULL &&
	    fgets(token, sizeof token, f) != NULL) {
		server[strcspn(server, "\n")] = '\0';
		token[strcspn(token, "\n")] = '\0';
		if (strcmp(server, c->server) == 0 &&
		    strlen(token) < sizeof c->token) {
			memcpy(c->token, token, strlen(token) + 1);
			rc = 0;
		}
	}
	explicit_bzero(token, sizeof token);
	fclose(f);
	return rc;
}

/* Create the directories of path, mode 0700. */
static int
client_token_mkdirs(char *path)
{
	char	*p;

	for (p = strchr(path + 1, '/'); p != NULL; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(path, 0700) == -1 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return 0;
}

/* Save c's server and token, readable only by the user. */
int
client_token_save(const struct client *c, char **cause)
{
	char	 path[4096], tmp[4200];
	int	 fd;
	FILE	*f;

	*cause = NULL;
	if (client_token_path(path, sizeof path) == -1) {
		*cause = strdup("no HOME or XDG_CONFIG_HOME to keep the token in");
		return -1;
	}
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	if (client_token_mkdirs(tmp) == -1 ||
	    (fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0600))
	    == -1 || (f = fdopen(fd, "w")) == NULL) {
		if (asprintf(cause, "%s: %s", tmp, strerror(errno)) == -1)
			*cause = NULL;
		return -1;
	}
	fprintf(f, "%s\n%s\n", c->server, c->token);
	if (fclose(f) == EOF || rename(tmp, path) == -1) {
		if (asprintf(cause, "%s: %s", path, strerror(errno)) == -1)
			*cause = NULL;
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* Forget the saved token. */
int
client_token_remove(void)
{
	char	path[4096];

	if (client_token_path(path, sizeof path) == -1)
		return -1;
	return unlink(path) == -1 && errno != ENOENT ? -1 : 0;
}
