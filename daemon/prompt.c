/* Read one line, without echo when it is a secret and in is a terminal.
 * The prompt goes to stderr so standard output stays clean for scripts. */
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "prompt.h"

/* Returns 0, or -1 at end of input. */
int
prompt_line(FILE *in, const char *prompt, char *buf, size_t size, int secret)
{
	struct termios	 old, quiet;
	int		 tty = isatty(fileno(in)), hidden = 0;
	char		*ok;

	if (tty) {
		fprintf(stderr, "%s", prompt);
		fflush(stderr);
		if (secret && tcgetattr(fileno(in), &old) == 0) {
			quiet = old;
			quiet.c_lflag &= ~(tcflag_t)ECHO;
			hidden = tcsetattr(fileno(in), TCSAFLUSH, &quiet) == 0;
		}
	}
	ok = fgets(buf, (int)size, in);
	if (hidden) {
		tcsetattr(fileno(in), TCSAFLUSH, &old);
		fprintf(stderr, "\n");
	}
	if (ok == NULL)
		return -1;
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}
