/* libFuzzer target: the config loader.  Each input is written to a file
 * (one, reused) and loaded over the defaults with config_load(), as
 * `idtsd -c FILE` loads it.  A refusal must say why; what is accepted
 * must keep the promises config_load() makes to the rest of the daemon.
 *
 * Inputs with an @include are skipped: libconfig would read whatever file
 * it names (/dev/zero, /dev/stdin), which is the administrator's to
 * choose, not a fault of the loader. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>

#include "config.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The file the input is written to: a memfd, so nothing is left behind
 * however the run ends, read through /proc/self/fd/N. */
static int	fuzz_fd = -1;
static char	fuzz_path[64];

/* libconfig before 1.7 leaks the string token it was reading when it
 * meets a syntax error (hyperrealm/libconfig#142, fixed by #155); Debian
 * 12 ships 1.5.  Not idtsd's to fix, and harmless there: the daemon
 * exits on a config it cannot read.  Kept as
 * regressions/fuzz_config/libconfig_leaks_string_on_syntax_error. */
const char	*__lsan_default_suppressions(void);

const char *
__lsan_default_suppressions(void)
{
	return "leak:strbuf_append\nleak:libconfig_yylex\n";
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (setenv("TZ", "Europe/London", 1) == -1)
		exit(1);
	tzset();
	if ((fuzz_fd = memfd_create("idtsd.conf", MFD_CLOEXEC)) == -1) {
		perror("memfd_create");
		exit(1);
	}
	snprintf(fuzz_path, sizeof fuzz_path, "/proc/self/fd/%d", fuzz_fd);
	return 0;
}

/* Abort with what went wrong and the input's outcome. */
static void
fuzz_config_fail(const char *why, const char *cause)
{
	fprintf(stderr, "fuzz_config: %s (%s)\n", why, cause ? cause :
	    "no cause");
	abort();
}

/* What every accepted config holds (config_load's checks and ranges). */
static void
fuzz_config_holds(const struct config *c)
{
	if (memchr(c->listen_address, '\0', sizeof c->listen_address) == NULL ||
	    memchr(c->database, '\0', sizeof c->database) == NULL ||
	    memchr(c->time_zone, '\0', sizeof c->time_zone) == NULL ||
	    memchr(c->tls_certificate, '\0', sizeof c->tls_certificate) ==
	    NULL || memchr(c->tls_key, '\0', sizeof c->tls_key) == NULL)
		fuzz_config_fail("a string is not terminated", NULL);
	if (c->listen_port < 1 || c->listen_port > 65535)
		fuzz_config_fail("listen.port out of range", NULL);
	if ((c->tls_certificate[0] == '\0') != (c->tls_key[0] == '\0'))
		fuzz_config_fail("half a TLS setting", NULL);
	if (!config_is_loopback(c->listen_address) &&
	    c->tls_certificate[0] == '\0')
		fuzz_config_fail("plain HTTP off loopback", NULL);
	if (c->stream_max >= c->http_max_connections)
		fuzz_config_fail("streams.max not below max_connections", NULL);
	if (c->obs_high_interval_minutes > c->obs_medium_interval_minutes ||
	    c->obs_medium_interval_minutes > c->obs_low_interval_minutes ||
	    c->obs_low_interval_minutes > c->obs_base_interval_minutes ||
	    c->obs_grace_minutes >= c->obs_high_interval_minutes)
		fuzz_config_fail("observation intervals out of order", NULL);
	if (c->move_past_tolerance_minutes > c->dose_window_after_minutes)
		fuzz_config_fail("past tolerance beyond the dose window", NULL);
	if (c->move_earliest_minute < 0 || c->move_earliest_minute >= 24 * 60)
		fuzz_config_fail("movements.earliest_time out of the day",
		    NULL);
	if (c->calendar.added.n < 0 ||
	    c->calendar.added.n > CALENDAR_MAX_CHANGES ||
	    c->calendar.removed.n < 0 ||
	    c->calendar.removed.n > CALENDAR_MAX_CHANGES)
		fuzz_config_fail("too many calendar dates", NULL);
	if ((int)c->log_level < LOG_LEVEL_ERROR ||
	    (int)c->log_level > LOG_LEVEL_DEBUG)
		fuzz_config_fail("log_level out of range", NULL);
}

/* Use an accepted config as the daemon would at once: the keyworker
 * clock runs over its calendar (bank holidays added and removed) from a
 * few instants around the turn of a year. */
static void
fuzz_config_use(const struct config *c)
{
	static const int64_t	starts[] = {
		INT64_C(1798675200000),		/* 2026-12-31T00:00:00Z */
		INT64_C(1775808000000),		/* 2026-04-10T08:00:00Z */
	};
	size_t			i;
	int64_t			due;

	for (i = 0; i < sizeof starts / sizeof starts[0]; i++) {
		due = calendar_add_working_time(&c->calendar, starts[i],
		    (int64_t)c->clock_keyworker_hours * 3600000);
		if (due < starts[i])
			fuzz_config_fail("the keyworker clock ran backwards",
			    NULL);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config	 cfg;
	char		*cause = NULL;

	if (memmem(data, size, "include", 7) != NULL)
		return 0;
	if (ftruncate(fuzz_fd, 0) == -1 ||
	    pwrite(fuzz_fd, data, size, 0) != (ssize_t)size) {
		perror(fuzz_path);
		exit(1);
	}
	config_defaults(&cfg);
	if (config_load(fuzz_path, &cfg, &cause) == -1) {
		if (cause == NULL || cause[0] == '\0')
			fuzz_config_fail("refused without a cause", cause);
	} else {
		if (cause != NULL)
			fuzz_config_fail("accepted with a cause", cause);
		fuzz_config_holds(&cfg);
		fuzz_config_use(&cfg);
	}
	free(cause);
	return 0;
}
