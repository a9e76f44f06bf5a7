/* Logging with levels, after OpenSMTPD's log.c: the _warn variants add
 * strerror(errno), the x variants do not. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "log.h"

static int		log_foreground = 1;
static enum log_level	log_max = LOG_LEVEL_INFO;

static const char *const log_level_names[] = {
	[LOG_LEVEL_ERROR] = "error",
	[LOG_LEVEL_WARNING] = "warning",
	[LOG_LEVEL_INFO] = "info",
	[LOG_LEVEL_DEBUG] = "debug",
};

/* Start logging; syslog is opened only when not in the foreground. */
void
log_init(const char *ident, int foreground, enum log_level level)
{
	log_foreground = foreground;
	log_max = level;
	if (!foreground)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

/* Change the most verbose level that is written. */
void
log_set_level(enum log_level level)
{
	log_max = level;
}

/* Parse a level name from the config; returns -1 if unknown. */
int
log_level_parse(const char *name, enum log_level *level)
{
	size_t	i;

	for (i = 0; i < sizeof log_level_names / sizeof log_level_names[0]; i++) {
		if (strcmp(name, log_level_names[i]) == 0) {
			*level = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

/* Write one line at a level, with strerror(saved) appended if saved != 0. */
static void
log_vwrite(enum log_level level, int saved, const char *fmt, va_list ap)
{
	static const int	 priorities[] = {
		LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG
	};
	char			 line[1024];
	int			 n;

	if (level > log_max)
		return;
	n = vsnprintf(line, sizeof line, fmt, ap);
	if (n >= 0 && saved != 0 && (size_t)n < sizeof line)
		snprintf(line + n, sizeof line - (size_t)n, ": %s",
		    strerror(saved));
	if (log_foreground) {
		fprintf(stderr, "idtsd: %s: %s\n", log_level_names[level],
		    line);
		fflush(stderr);
	} else
		syslog(priorities[level], "%s", line);
}

#define LOG_BODY(level, saved) do {			\
	va_list	ap;					\
	va_start(ap, fmt);				\
	log_vwrite((level), (saved), fmt, ap);		\
	va_end(ap);					\
} while (0)

void
log_warn(const char *fmt, ...)
{
	int	saved = errno;

	LOG_BODY(LOG_LEVEL_WARNING, saved);
}

void
log_warnx(const char *fmt, ...)
{
	LOG_BODY(LOG_LEVEL_WARNING, 0);
}

void
log_info(const char *fmt, ...)
{
	LOG_BODY(LOG_LEVEL_INFO, 0);
}

void
log_debug(const char *fmt, ...)
{
	LOG_BODY(LOG_LEVEL_DEBUG, 0);
}

void
fatal(const char *fmt, ...)
{
	int	saved = errno;

	LOG_BODY(LOG_LEVEL_ERROR, saved);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	LOG_BODY(LOG_LEVEL_ERROR, 0);
	exit(1);
}
