/* Unit tests for config.c: loading idtsd.conf over the defaults, and every
 * way a file is refused with "file:line: message". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"

/* A private tz database, so the time zone checks do not depend on the
 * tzdata installed here: TZDIR/Europe/London and friends are empty
 * regular files, TZDIR/Europe a directory. */
static char	tzdir[] = "/tmp/idtsd-test-tz-XXXXXX";

static void
touch(const char *rel)
{
	char	path[256];
	FILE	*f;

	snprintf(path, sizeof path, "%s/%s", tzdir, rel);
	if ((f = fopen(path, "w")) == NULL)
		fail_msg("cannot create %s", path);
	fclose(f);
}

static int
setup(void **state)
{
	char	path[256];

	(void)state;
	if (mkdtemp(tzdir) == NULL)
		return -1;
	snprintf(path, sizeof path, "%s/Europe", tzdir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/America", tzdir);
	mkdir(path, 0700);
	touch("Europe/London");
	touch("Europe/Paris");
	touch("America/New_York");
	touch("UTC");
	setenv("TZDIR", tzdir, 1);
	return 0;
}

static int
teardown(void **state)
{
	char	path[256];

	(void)state;
	snprintf(path, sizeof path, "%s/Europe/London", tzdir);
	unlink(path);
	snprintf(path, sizeof path, "%s/Europe/Paris", tzdir);
	unlink(path);
	snprintf(path, sizeof path, "%s/America/New_York", tzdir);
	unlink(path);
	snprintf(path, sizeof path, "%s/UTC", tzdir);
	unlink(path);
	snprintf(path, sizeof path, "%s/Europe", tzdir);
	rmdir(path);
	snprintf(path, sizeof path, "%s/America", tzdir);
	rmdir(path);
	rmdir(tzdir);
	unsetenv("TZDIR");
	return 0;
}

/* Write text to a new temporary file and return its path (to free). */
static char *
write_conf(const char *text)
{
	char	 tmpl[] = "/tmp/idtsd-test-conf-XXXXXX";
	int	 fd;
	size_t	 n = strlen(text);

	if ((fd = mkstemp(tmpl)) == -1)
		fail_msg("mkstemp failed");
	if (write(fd, text, n) != (ssize_t)n)
		fail_msg("write failed");
	close(fd);
	return strdup(tmpl);
}

/* Load text over the defaults; it must be accepted. */
static void
load_ok(const char *text, struct config *cfg)
{
	char	*path = write_conf(text), *cause = (char *)"unset";
	int	 rc;

	config_defaults(cfg);
	rc = config_load(path, cfg, &cause);
	unlink(path);
	free(path);
	if (rc != 0) {
		print_error("cause: %s\n", cause ? cause : "(null)");
		free(cause);
		fail_msg("config refused:\n%s", text);
	}
	assert_null(cause);
}

/* Load text; it must be refused with exactly "PATH:LINE: why", or
 * "PATH: why" when line is 0. */
static void
load_refused(const char *text, int line, const char *why)
{
	struct config	 cfg;
	char		*path = write_conf(text), *cause = NULL, *want;
	int		 rc, n;

	config_defaults(&cfg);
	rc = config_load(path, &cfg, &cause);
	unlink(path);
	if (line > 0)
		n = asprintf(&want, "%s:%d: %s", path, line, why);
	else
		n = asprintf(&want, "%s: %s", path, why);
	assert_int_not_equal(n, -1);
	free(path);
	if (rc != -1) {
		free(want);
		free(cause);
		fail_msg("config accepted:\n%s", text);
	}
	assert_non_null(cause);
	if (strcmp(cause, want) != 0) {
		print_error("want: %s\ngot:  %s\n", want, cause);
		free(want);
		free(cause);
		fail_msg("wrong cause");
	}
	free(want);
	free(cause);
}

static void
test_defaults_kept(void **state)
{
	struct config	cfg, want;

	(void)state;
	config_defaults(&want);
	assert_string_equal(want.listen_address, "127.0.0.1");
	assert_int_equal(want.listen_port, 8470);
	assert_string_equal(want.tls_certificate, "");
	assert_string_equal(want.tls_key, "");
	assert_string_equal(want.database, "/var/lib/idtsd/idtsd.db");
	assert_string_equal(want.time_zone, "Europe/London");
	assert_int_equal(want.log_level, LOG_LEVEL_INFO);
	assert_int_equal(want.session_idle_minutes, 30);
	assert_int_equal(want.lockout_failures, 5);
	assert_int_equal(want.lockout_minutes, 15);
	assert_int_equal(want.loopback_without_terminal, 1);
	assert_int_equal(want.http_max_connections, 512);
	assert_int_equal(want.group_commit, 1);
	assert_int_equal(want.http_max_body_bytes, 65536);
	assert_int_equal(want.http_max_header_bytes, 8192);
	assert_int_equal(want.http_timeout_seconds, 30);
	assert_int_equal(want.arrival_max_future_minutes, 5);
	assert_int_equal(want.idempotency_keep_hours, 72);
	assert_int_equal(want.stream_per_person, 3);
	assert_int_equal(want.stream_per_terminal, 3);

	/* An empty file, a file of comments, and empty groups change
	 * nothing. */
	load_ok("", &cfg);
	assert_memory_equal(&cfg, &want, sizeof cfg);
	load_ok("# nothing here\n// nor here\n/* nor here */\n", &cfg);
	assert_memory_equal(&cfg, &want, sizeof cfg);
	load_ok("listen = { };\ntls = { };\nhttp = { };\n", &cfg);
	assert_memory_equal(&cfg, &want, sizeof cfg);

	/* One key set leaves every other at its default. */
	load_ok("lockout = { minutes = 20; };\n", &cfg);
	assert_int_equal(cfg.lockout_minutes, 20);
	cfg.lockout_minutes = want.lockout_minutes;
	assert_memory_equal(&cfg, &want, sizeof cfg);
}

static void
test_every_key(void **state)
{
	struct config	cfg;

	(void)state;
	load_ok(
	    "listen = {\n"
	    "  address = \"192.0.2.10\";\n"
	    "  port = 9443;\n"
	    "};\n"
	    "tls = {\n"
	    "  certificate = \"/etc/idtsd/cert.pem\";\n"
	    "  key = \"/etc/idtsd/key.pem\";\n"
	    "};\n"
	    "database = \"/srv/idtsd/ward.db\";\n"
	    "time_zone = \"America/New_York\";\n"
	    "log_level = \"debug\";\n"
	    "sessions = { idle_minutes = 10; };\n"
	    "lockout = { failures = 3; minutes = 60; };\n"
	    "http = {\n"
	    "  max_connections = 640;\n"
	    "  max_body_bytes = 2048;\n"
	    "  max_header_bytes = 4096;\n"
	    "  timeout_seconds = 5;\n"
	    "};\n"
	    "arrivals = { max_future_minutes = 0; };\n"
	    "idempotency = { keep_hours = 24; };\n", &cfg);
	assert_string_equal(cfg.listen_address, "192.0.2.10");
	assert_int_equal(cfg.listen_port, 9443);
	assert_string_equal(cfg.tls_certificate, "/etc/idtsd/cert.pem");
	assert_string_equal(cfg.tls_key, "/etc/idtsd/key.pem");
	assert_string_equal(cfg.database, "/srv/idtsd/ward.db");
	assert_string_equal(cfg.time_zone, "America/New_York");
	assert_int_equal(cfg.log_level, LOG_LEVEL_DEBUG);
	assert_int_equal(cfg.session_idle_minutes, 10);
	assert_int_equal(cfg.lockout_failures, 3);
	assert_int_equal(cfg.lockout_minutes, 60);
	assert_int_equal(cfg.http_max_connections, 640);
	assert_int_equal(cfg.http_max_body_bytes, 2048);
	assert_int_equal(cfg.http_max_header_bytes, 4096);
	assert_int_equal(cfg.http_timeout_seconds, 5);
	assert_int_equal(cfg.arrival_max_future_minutes, 0);
	assert_int_equal(cfg.idempotency_keep_hours, 24);
}

static void
test_log_levels(void **state)
{
	struct config	cfg;

	(void)state;
	load_ok("log_level = \"error\";\n", &cfg);
	assert_int_equal(cfg.log_level, LOG_LEVEL_ERROR);
	load_ok("log_level = \"warning\";\n", &cfg);
	assert_int_equal(cfg.log_level, LOG_LEVEL_WARNING);
	load_ok("log_level = \"info\";\n", &cfg);
	assert_int_equal(cfg.log_level, LOG_LEVEL_INFO);
	load_ok("log_level = \"debug\";\n", &cfg);
	assert_int_equal(cfg.log_level, LOG_LEVEL_DEBUG);

	load_refused("\nlog_level = \"verbose\";\n", 2,
	    "'log_level' must be one of error, warning, info, debug");
	load_refused("log_level = \"INFO\";\n", 1,
	    "'log_level' must be one of error, warning, info, debug");
	load_refused("log_level = \"\";\n", 1,
	    "'log_level' must be one of error, warning, info, debug");
	load_refused("log_level = 3;\n", 1,
	    "'log_level' must be a string in double quotes");
	load_refused("log_level = \"debugdebugdebugdebug\";\n", 1,
	    "'log_level' is too long");
}

static void
test_unknown_key(void **state)
{
	(void)state;
	load_refused(
	    "# idtsd.conf\n"
	    "listen = { port = 8470; };\n"
	    "colour = \"blue\";\n"
	    "database = \"/tmp/x.db\";\n", 3, "unknown setting 'colour'");
	/* A near miss of a real key. */
	load_refused("\n\n\n\n\nlog_levle = \"info\";\n", 6,
	    "unknown setting 'log_levle'");
	/* A real key at the wrong level. */
	load_refused("port = 8470;\n", 1, "unknown setting 'port'");
	/* An unknown group. */
	load_refused("log_level = \"info\";\nextras = {\n  a = 1;\n};\n", 2,
	    "unknown setting 'extras'");
}

/* Each alert stream holds a connection: the stream cap must leave room
 * for the nurses' other requests. */
static void
test_streams_below_connections(void **state)
{
	(void)state;
	load_refused("http = { max_connections = 100; };\n", 0,
	    "streams.max (256) must be below http.max_connections (100): "
	    "each stream holds a connection");
	load_refused("streams = { max = 512; };\n", 0,
	    "streams.max (512) must be below http.max_connections (512): "
	    "each stream holds a connection");
}

static void
test_unknown_nested_key(void **state)
{
	(void)state;
	load_refused(
	    "listen = {\n"
	    "  address = \"127.0.0.1\";\n"
	    "  port = 8470;\n"
	    "  bogus = 1;\n"
	    "};\n", 4, "unknown setting 'listen.bogus'");
	load_refused(
	    "http = {\n"
	    "  timeout_seconds = 30;\n"
	    "  tls = { key = \"x\"; };\n"
	    "};\n", 3, "unknown setting 'http.tls'");
	/* A key of one group inside another. */
	load_refused("lockout = {\n  idle_minutes = 5;\n};\n", 2,
	    "unknown setting 'lockout.idle_minutes'");
}

/* auth.loopback_without_terminal: true or false, nothing else. */
static void
test_loopback_without_terminal(void **state)
{
	struct config	cfg;

	(void)state;
	load_ok("auth = { loopback_without_terminal = false; };\n", &cfg);
	assert_int_equal(cfg.loopback_without_terminal, 0);
	load_ok("auth = { loopback_without_terminal = true; };\n", &cfg);
	assert_int_equal(cfg.loopback_without_terminal, 1);
	load_refused("auth = { loopback_without_terminal = 0; };\n", 1,
	    "'auth.loopback_without_terminal' must be true or false");
	load_refused("auth = {\n  loopback_without_terminal = \"no\";\n};\n",
	    2, "'auth.loopback_without_terminal' must be true or false");
	load_refused("auth = { terminal = true; };\n", 1,
	    "unknown setting 'auth.terminal'");
	load_ok("http = { group_commit = false; };\n", &cfg);
	assert_int_equal(cfg.group_commit, 0);
	load_refused("http = { group_commit = 1; };\n", 1,
	    "'http.group_commit' must be true or false");
}

/* auth.pin_workers and auth.pin_queue: the PIN pool's threads and the
 * bound on each of its queues, 2 and 64 unless set. */
static void
test_pin_pool(void **state)
{
	struct config	cfg;

	(void)state;
	load_ok("", &cfg);
	assert_int_equal(cfg.pin_workers, 2);
	assert_int_equal(cfg.pin_queue, 64);
	load_ok("auth = { pin_workers = 1; pin_queue = 100000; };\n", &cfg);
	assert_int_equal(cfg.pin_workers, 1);
	assert_int_equal(cfg.pin_queue, 100000);
	assert_int_equal(cfg.loopback_without_terminal, 1);
	load_refused("auth = { pin_workers = 0; };\n", 1,
	    "'auth.pin_workers' must be between 1 and 64");
	load_refused("auth = { pin_workers = 65; };\n", 1,
	    "'auth.pin_workers' must be between 1 and 64");
	load_refused("auth = {\n  pin_queue = 0;\n};\n", 2,
	    "'auth.pin_queue' must be between 1 and 100000");
	load_refused("auth = { pin_queue = \"64\"; };\n", 1,
	    "'auth.pin_queue' must be an integer");
}

static void
test_wrong_type(void **state)
{
	(void)state;
	load_refused("listen = {\n  port = \"8470\";\n};\n", 2,
	    "'listen.port' must be an integer");
	load_refused("sessions = {\n  idle_minutes = 30.0;\n};\n", 2,
	    "'sessions.idle_minutes' must be an integer");
	load_refused("lockout = { failures = true; };\n", 1,
	    "'lockout.failures' must be an integer");
	load_refused("database = 5;\n", 1,
	    "'database' must be a string in double quotes");
	load_refused("listen = 8470;\n", 1,
	    "'listen' must be a group { ... }");
	load_refused("\nhttp = ( 1, 2 );\n", 2,
	    "'http' must be a group { ... }");
	load_refused("time_zone = [ \"Europe/London\" ];\n", 1,
	    "'time_zone' must be a string in double quotes");
}

static void
test_out_of_range(void **state)
{
	struct config	cfg;

	(void)state;
	load_refused("listen = {\n  port = 0;\n};\n", 2,
	    "'listen.port' must be between 1 and 65535");
	load_refused("listen = {\n  port = 70000;\n};\n", 2,
	    "'listen.port' must be between 1 and 65535");
	load_refused("listen = { port = -1; };\n", 1,
	    "'listen.port' must be between 1 and 65535");
	/* 2^32 + 8470 as a 64-bit literal is not 8470.  (Without the L,
	 * libconfig 1.5 itself truncates the literal to 32 bits before
	 * idtsd sees it.) */
	load_refused("listen = { port = 4294975766L; };\n", 1,
	    "'listen.port' must be between 1 and 65535");
	load_refused("lockout = {\n  minutes = 5;\n  failures = 0;\n};\n", 3,
	    "'lockout.failures' must be between 1 and 100");
	load_refused("lockout = { failures = 101; };\n", 1,
	    "'lockout.failures' must be between 1 and 100");
	load_refused("arrivals = { max_future_minutes = -1; };\n", 1,
	    "'arrivals.max_future_minutes' must be between 0 and 1440");
	load_refused("http = { max_body_bytes = 1023; };\n", 1,
	    "'http.max_body_bytes' must be between 1024 and 16777216");
	load_refused("streams = { per_person = 0; };\n", 1,
	    "'streams.per_person' must be between 1 and 100");
	load_refused("streams = { per_terminal = 101; };\n", 1,
	    "'streams.per_terminal' must be between 1 and 100");
	load_ok("streams = { per_person = 1; per_terminal = 100; };\n", &cfg);
	assert_int_equal(cfg.stream_per_person, 1);
	assert_int_equal(cfg.stream_per_terminal, 100);

	/* The bounds themselves are allowed. */
	load_ok("listen = { port = 1; };\n", &cfg);
	assert_int_equal(cfg.listen_port, 1);
	load_ok("listen = { port = 65535; };\n", &cfg);
	assert_int_equal(cfg.listen_port, 65535);
	load_ok("lockout = { failures = 1; };\n", &cfg);
	assert_int_equal(cfg.lockout_failures, 1);
	load_ok("lockout = { failures = 100; };\n", &cfg);
	assert_int_equal(cfg.lockout_failures, 100);
	/* A 64-bit literal in range is still an integer. */
	load_ok("listen = { port = 8471L; };\n", &cfg);
	assert_int_equal(cfg.listen_port, 8471);
}

/* cautions.news2_hours and cautions.tolerance_days: their defaults, their
 * bounds, and a value each side of them. */
static void
test_cautions(void **state)
{
	struct config	cfg;

	(void)state;
	config_defaults(&cfg);
	assert_int_equal(cfg.caution_news2_hours, 24);
	assert_int_equal(cfg.caution_tolerance_days, 3);
	load_ok("cautions = { news2_hours = 1; tolerance_days = 14; };\n",
	    &cfg);
	assert_int_equal(cfg.caution_news2_hours, 1);
	assert_int_equal(cfg.caution_tolerance_days, 14);
	load_ok("cautions = { news2_hours = 168; tolerance_days = 1; };\n",
	    &cfg);
	assert_int_equal(cfg.caution_news2_hours, 168);
	assert_int_equal(cfg.caution_tolerance_days, 1);
	load_refused("cautions = { news2_hours = 0; };\n", 1,
	    "'cautions.news2_hours' must be between 1 and 168");
	load_refused("cautions = {\n  news2_hours = 169;\n};\n", 2,
	    "'cautions.news2_hours' must be between 1 and 168");
	load_refused("cautions = { tolerance_days = 0; };\n", 1,
	    "'cautions.tolerance_days' must be between 1 and 14");
	load_refused("cautions = { tolerance_days = 15; };\n", 1,
	    "'cautions.tolerance_days' must be between 1 and 14");
	load_refused("cautions = { tolerance_hours = 72; };\n", 1,
	    "unknown setting 'cautions.tolerance_hours'");
}

/* alerts.emergency_instruction: none by default; words are kept as
 * written, "" is none again; a control character, only spaces, or more
 * than 200 bytes are refused. */
static void
test_emergency_instruction(void **state)
{
	struct config	cfg;
	char		text[400];

	(void)state;
	config_defaults(&cfg);
	assert_string_equal(cfg.emergency_instruction, "");
	load_ok("alerts = { emergency_instruction = \"call 2222\"; };\n",
	    &cfg);
	assert_string_equal(cfg.emergency_instruction, "call 2222");
	assert_int_equal(cfg.escalate_emergency_minutes, 5);
	load_ok("alerts = { emergency_instruction = \"\"; };\n", &cfg);
	assert_string_equal(cfg.emergency_instruction, "");
	snprintf(text, sizeof text, "alerts = { emergency_instruction = "
	    "\"%0200d\"; };\n", 2);
	load_ok(text, &cfg);
	assert_int_equal(strlen(cfg.emergency_instruction), 200);
	snprintf(text, sizeof text, "alerts = { emergency_instruction = "
	    "\"%0201d\"; };\n", 2);
	load_refused(text, 1, "'alerts.emergency_instruction' is too long");
	load_refused("alerts = {\n  emergency_instruction = \"call\\t2222\";"
	    "\n};\n", 2, "'alerts.emergency_instruction' must be words "
	    "without control characters, such as \"call 2222\", or \"\" for "
	    "none");
	load_refused("alerts = { emergency_instruction = \"   \"; };\n", 1,
	    "'alerts.emergency_instruction' must be words without control "
	    "characters, such as \"call 2222\", or \"\" for none");
	load_refused("alerts = { emergency_instruction = 2222; };\n", 1,
	    "'alerts.emergency_instruction' must be a string in double "
	    "quotes");
}

/* audit.key and audit.anchor_interval_minutes: anchoring is off until a
 * key is named; the interval's default and bounds. */
static void
test_audit(void **state)
{
	struct config	cfg;

	(void)state;
	config_defaults(&cfg);
	assert_string_equal(cfg.audit_key, "");
	assert_int_equal(cfg.audit_anchor_interval_minutes, 15);
	load_ok("audit = { key = \"/etc/idtsd/audit.key\"; "
	    "anchor_interval_minutes = 1; };\n", &cfg);
	assert_string_equal(cfg.audit_key, "/etc/idtsd/audit.key");
	assert_int_equal(cfg.audit_anchor_interval_minutes, 1);
	load_ok("audit = { anchor_interval_minutes = 1440; };\n", &cfg);
	assert_int_equal(cfg.audit_anchor_interval_minutes, 1440);
	load_refused("audit = { anchor_interval_minutes = 0; };\n", 1,
	    "'audit.anchor_interval_minutes' must be between 1 and 1440");
	load_refused("audit = { anchor_interval_minutes = 1441; };\n", 1,
	    "'audit.anchor_interval_minutes' must be between 1 and 1440");
	load_refused("audit = { key = 1; };\n", 1,
	    "'audit.key' must be a string in double quotes");
}

/* safety.first_dose_ceiling: methadone 30 mg and buprenorphine 8 mg by
 * default; a file's list replaces them (empty: none, so every first
 * opioid substitute without a community dose needs an override); a
 * malformed amount, a list too long, or not a group, refused. */
static void
test_first_dose_ceiling(void **state)
{
	struct config	cfg;
	char		text[1024];
	int		i, n;

	(void)state;
	config_defaults(&cfg);
	assert_int_equal(cfg.first_dose_ceilings.n, 2);
	assert_string_equal(cfg.first_dose_ceilings.c[0].drug, "methadone");
	assert_int_equal(cfg.first_dose_ceilings.c[0].dose.quantity, 30000);
	assert_string_equal(cfg.first_dose_ceilings.c[0].dose.unit, "mg");
	assert_string_equal(cfg.first_dose_ceilings.c[1].drug,
	    "buprenorphine");
	assert_int_equal(cfg.first_dose_ceilings.c[1].dose.quantity, 8000);
	load_ok("safety = { first_dose_ceiling = { methadone = \"20 mg\"; "
	    "espranor = \"2.5 mg\"; }; };\n", &cfg);
	assert_int_equal(cfg.first_dose_ceilings.n, 2);
	assert_int_equal(cfg.first_dose_ceilings.c[0].dose.quantity, 20000);
	assert_string_equal(cfg.first_dose_ceilings.c[1].drug, "espranor");
	assert_int_equal(cfg.first_dose_ceilings.c[1].dose.quantity, 2500);
	load_ok("safety = { first_dose_ceiling = { }; };\n", &cfg);
	assert_int_equal(cfg.first_dose_ceilings.n, 0);
	load_refused("safety = {\n  first_dose_ceiling = {\n"
	    "    methadone = \"30\";\n  };\n};\n", 3,
	    "'safety.first_dose_ceiling.methadone' must be an amount such as "
	    "\"30 mg\" (at most 16 drugs of up to 32 characters)");
	load_refused("safety = { first_dose_ceiling = { methadone = 30; "
	    "}; };\n", 1, "'safety.first_dose_ceiling.methadone' must be an "
	    "amount such as \"30 mg\" (at most 16 drugs of up to 32 "
	    "characters)");
	load_refused("safety = { first_dose_ceiling = \"30 mg\"; };\n", 1,
	    "'safety.first_dose_ceiling' must be a group such as "
	    "{ methadone = \"30 mg\"; }");
	load_refused("safety = { first_dose = { }; };\n", 1,
	    "unknown setting 'safety.first_dose'");
	n = snprintf(text, sizeof text, "safety = { first_dose_ceiling = {");
	for (i = 0; i <= PRESCRIBING_MAX_CEILINGS; i++)
		n += snprintf(text + n, sizeof text - (size_t)n,
		    " d%d = \"1 mg\";", i);
	snprintf(text + n, sizeof text - (size_t)n, " }; };\n");
	load_refused(text, 1, "'safety.first_dose_ceiling.d16' must be an "
	    "amount such as \"30 mg\" (at most 16 drugs of up to 32 "
	    "characters)");
}

static void
test_time_zone(void **state)
{
	struct config	cfg;

	(void)state;
	load_ok("time_zone = \"Europe/Paris\";\n", &cfg);
	assert_string_equal(cfg.time_zone, "Europe/Paris");
	load_ok("time_zone = \"UTC\";\n", &cfg);
	assert_string_equal(cfg.time_zone, "UTC");

	load_refused("\ntime_zone = \"Mars/Olympus\";\n", 2,
	    "'time_zone' names no time zone known to this system (is tzdata "
	    "installed?)");
	/* A directory of the database is not a zone. */
	load_refused("time_zone = \"Europe\";\n", 1,
	    "'time_zone' names no time zone known to this system (is tzdata "
	    "installed?)");
	/* Nothing that could leave the database. */
	load_refused("time_zone = \"../etc\";\n", 1,
	    "'time_zone' is not a time zone name such as Europe/London");
	load_refused("time_zone = \"Europe/../../../etc/passwd\";\n", 1,
	    "'time_zone' is not a time zone name such as Europe/London");
	load_refused("time_zone = \"/etc/localtime\";\n", 1,
	    "'time_zone' is not a time zone name such as Europe/London");
	load_refused("time_zone = \"\";\n", 1,
	    "'time_zone' is not a time zone name such as Europe/London");
	load_refused("time_zone = \"Europe/London \";\n", 1,
	    "'time_zone' is not a time zone name such as Europe/London");
	load_refused("time_zone = \"Europe\\\\London\";\n", 1,
	    "'time_zone' is not a time zone name such as Europe/London");
}

static void
test_syntax_error(void **state)
{
	(void)state;
	load_refused("listen = {\n  port = 8470\n}\nlog_level = ;\n", 4,
	    "syntax error");
	load_refused("# ok\n\n\ndatabase = \"/tmp/x.db\";\n= 5;\n", 5,
	    "syntax error");
	load_refused("log_level = \"info\";\nlog_level = \"debug\";\n", 2,
	    "duplicate setting name");
}

static void
test_missing_file(void **state)
{
	struct config	 cfg;
	char		*cause = NULL;

	(void)state;
	config_defaults(&cfg);
	assert_int_equal(config_load("/nonexistent/idtsd.conf", &cfg, &cause),
	    -1);
	assert_non_null(cause);
	assert_string_equal(cause, "/nonexistent/idtsd.conf: cannot read the "
	    "file");
	free(cause);
}

static void
test_listen_address(void **state)
{
	struct config	cfg;

	(void)state;
	/* Loopback: plain HTTP allowed. */
	load_ok("listen = { address = \"127.0.0.1\"; };\n", &cfg);
	assert_string_equal(cfg.listen_address, "127.0.0.1");
	load_ok("listen = { address = \"127.1.2.3\"; };\n", &cfg);
	assert_string_equal(cfg.listen_address, "127.1.2.3");
	load_ok("listen = { address = \"::1\"; };\n", &cfg);
	assert_string_equal(cfg.listen_address, "::1");
	load_ok("listen = { address = \"localhost\"; };\n", &cfg);
	assert_string_equal(cfg.listen_address, "localhost");

	/* Anything else needs TLS. */
	load_refused("listen = {\n  address = \"192.0.2.10\";\n};\n", 0,
	    "listening on 192.0.2.10, which is not loopback, requires "
	    "tls.certificate and tls.key");
	load_refused("listen = { address = \"0.0.0.0\"; };\n", 0,
	    "listening on 0.0.0.0, which is not loopback, requires "
	    "tls.certificate and tls.key");
	load_refused("listen = { address = \"::\"; };\n", 0,
	    "listening on ::, which is not loopback, requires "
	    "tls.certificate and tls.key");
	/* Half of TLS is no TLS, loopback or not. */
	load_refused(
	    "listen = { address = \"192.0.2.10\"; };\n"
	    "tls = { certificate = \"/etc/idtsd/cert.pem\"; };\n", 0,
	    "tls needs both a certificate and a key");
	load_refused("tls = { key = \"/etc/idtsd/key.pem\"; };\n", 0,
	    "tls needs both a certificate and a key");
	load_refused("tls = { certificate = \"/etc/idtsd/cert.pem\"; };\n", 0,
	    "tls needs both a certificate and a key");
	/* Both: any address. */
	load_ok("listen = { address = \"0.0.0.0\"; };\n"
	    "tls = { certificate = \"/c.pem\"; key = \"/k.pem\"; };\n", &cfg);
	assert_string_equal(cfg.listen_address, "0.0.0.0");
	assert_string_equal(cfg.tls_certificate, "/c.pem");
	assert_string_equal(cfg.tls_key, "/k.pem");

	/* Names other than localhost are not resolved. */
	load_refused("\n\nlisten = { address = \"ward.example.org\"; };\n", 3,
	    "'listen.address' must be a numeric IPv4 or IPv6 address");
	load_refused("listen = { address = \"\"; };\n", 1,
	    "'listen.address' must be a numeric IPv4 or IPv6 address");
	load_refused("listen = { address = \"127.0.0.1:8470\"; };\n", 1,
	    "'listen.address' must be a numeric IPv4 or IPv6 address");
}

static void
test_is_loopback(void **state)
{
	(void)state;
	assert_int_equal(config_is_loopback("127.0.0.1"), 1);
	assert_int_equal(config_is_loopback("127.255.255.254"), 1);
	assert_int_equal(config_is_loopback("::1"), 1);
	assert_int_equal(config_is_loopback("localhost"), 1);
	assert_int_equal(config_is_loopback("126.255.255.255"), 0);
	assert_int_equal(config_is_loopback("128.0.0.1"), 0);
	assert_int_equal(config_is_loopback("0.0.0.0"), 0);
	assert_int_equal(config_is_loopback("10.0.0.1"), 0);
	assert_int_equal(config_is_loopback("::"), 0);
	assert_int_equal(config_is_loopback("::2"), 0);
	assert_int_equal(config_is_loopback("fe80::1"), 0);
	assert_int_equal(config_is_loopback(""), 0);
	assert_int_equal(config_is_loopback("localhost.example.org"), 0);
}

/* The movements group: its defaults, each key, an earliest time that is
 * not HH:MM, the ranges, and a past tolerance no longer than a dose's
 * window stays open after its due time. */
static void
test_movements(void **state)
{
	static const char *const bad_times[] = {
		"6:00", "24:00", "ab", "06:60", "", "06-00", "0600", "6:0",
		"-1:00", "06:0a", " 6:00", "99:99",
	};
	struct config	cfg, want;
	char		text[128];
	size_t		i;

	(void)state;
	config_defaults(&want);
	assert_int_equal(want.move_margin_minutes, 30);
	assert_int_equal(want.move_lead_minutes, 60);
	assert_int_equal(want.move_earliest_minute, 6 * 60);
	assert_int_equal(want.move_past_tolerance_minutes, 60);
	assert_int_equal(want.move_max_ahead_days, 14);
	/* Within the doses' window as shipped. */
	assert_true(want.move_past_tolerance_minutes <=
	    want.dose_window_after_minutes);

	/* An empty group changes nothing. */
	load_ok("movements = { };\n", &cfg);
	assert_memory_equal(&cfg, &want, sizeof cfg);

	/* Every key at once. */
	load_ok(
	    "movements = {\n"
	    "  margin_minutes = 45;\n"
	    "  lead_minutes = 90;\n"
	    "  earliest_time = \"05:30\";\n"
	    "  past_tolerance_minutes = 120;\n"
	    "  max_ahead_days = 30;\n"
	    "};\n", &cfg);
	assert_int_equal(cfg.move_margin_minutes, 45);
	assert_int_equal(cfg.move_lead_minutes, 90);
	assert_int_equal(cfg.move_earliest_minute, 5 * 60 + 30);
	assert_int_equal(cfg.move_past_tolerance_minutes, 120);
	assert_int_equal(cfg.move_max_ahead_days, 30);

	/* Each key alone, leaving the others at their defaults. */
	load_ok("movements = { margin_minutes = 0; };\n", &cfg);
	assert_int_equal(cfg.move_margin_minutes, 0);
	cfg.move_margin_minutes = want.move_margin_minutes;
	assert_memory_equal(&cfg, &want, sizeof cfg);
	load_ok("movements = { lead_minutes = 720; };\n", &cfg);
	assert_int_equal(cfg.move_lead_minutes, 720);
	cfg.move_lead_minutes = want.move_lead_minutes;
	assert_memory_equal(&cfg, &want, sizeof cfg);
	load_ok("movements = { earliest_time = \"07:15\"; };\n", &cfg);
	assert_int_equal(cfg.move_earliest_minute, 7 * 60 + 15);
	cfg.move_earliest_minute = want.move_earliest_minute;
	assert_memory_equal(&cfg, &want, sizeof cfg);
	load_ok("movements = { past_tolerance_minutes = 0; };\n", &cfg);
	assert_int_equal(cfg.move_past_tolerance_minutes, 0);
	cfg.move_past_tolerance_minutes = want.move_past_tolerance_minutes;
	assert_memory_equal(&cfg, &want, sizeof cfg);
	load_ok("movements = { max_ahead_days = 90; };\n", &cfg);
	assert_int_equal(cfg.move_max_ahead_days, 90);
	cfg.move_max_ahead_days = want.move_max_ahead_days;
	assert_memory_equal(&cfg, &want, sizeof cfg);

	/* The ends of the day. */
	load_ok("movements = { earliest_time = \"00:00\"; };\n", &cfg);
	assert_int_equal(cfg.move_earliest_minute, 0);
	load_ok("movements = { earliest_time = \"23:59\"; };\n", &cfg);
	assert_int_equal(cfg.move_earliest_minute, 23 * 60 + 59);

	/* Not HH:MM: refused at its line. */
	for (i = 0; i < sizeof bad_times / sizeof bad_times[0]; i++) {
		snprintf(text, sizeof text, "# movements\nmovements = {\n"
		    "  margin_minutes = 30;\n  earliest_time = \"%s\";\n};\n",
		    bad_times[i]);
		load_refused(text, 4, "'movements.earliest_time' must be a "
		    "local time written HH:MM, such as 06:00");
	}
	load_refused("movements = { earliest_time = \"06:00:00\"; };\n", 1,
	    "'movements.earliest_time' is too long");
	load_refused("movements = {\n  earliest_time = 600;\n};\n", 2,
	    "'movements.earliest_time' must be a string in double quotes");

	/* Ranges. */
	load_refused("movements = {\n  margin_minutes = -1;\n};\n", 2,
	    "'movements.margin_minutes' must be between 0 and 360");
	load_refused("movements = { margin_minutes = 361; };\n", 1,
	    "'movements.margin_minutes' must be between 0 and 360");
	load_refused("movements = { lead_minutes = 721; };\n", 1,
	    "'movements.lead_minutes' must be between 0 and 720");
	load_refused("movements = { past_tolerance_minutes = -1; };\n", 1,
	    "'movements.past_tolerance_minutes' must be between 0 and 720");
	load_refused("movements = { max_ahead_days = 0; };\n", 1,
	    "'movements.max_ahead_days' must be between 1 and 90");
	load_refused("movements = { max_ahead_days = 91; };\n", 1,
	    "'movements.max_ahead_days' must be between 1 and 90");
	load_refused("movements = { margin_minutes = \"30\"; };\n", 1,
	    "'movements.margin_minutes' must be an integer");
	load_refused("movements = 30;\n", 1,
	    "'movements' must be a group { ... }");
	load_refused("movements = {\n  margin = 30;\n};\n", 2,
	    "unknown setting 'movements.margin'");

	/* The tolerance within the doses' window_after: equal is allowed,
	 * 1 minute more is not, whichever side is changed. */
	load_ok("movements = { past_tolerance_minutes = 120; };\n", &cfg);
	assert_int_equal(cfg.move_past_tolerance_minutes, 120);
	load_ok("doses = { window_after_minutes = 60; };\n", &cfg);
	assert_int_equal(cfg.dose_window_after_minutes, 60);
	load_refused("movements = { past_tolerance_minutes = 121; };\n", 0,
	    "movements.past_tolerance_minutes (121) must not exceed "
	    "doses.window_after_minutes (120)");
	load_refused("doses = { window_after_minutes = 59; };\n", 0,
	    "movements.past_tolerance_minutes (60) must not exceed "
	    "doses.window_after_minutes (59)");
	load_refused(
	    "movements = { past_tolerance_minutes = 90; };\n"
	    "doses = { window_after_minutes = 89; };\n", 0,
	    "movements.past_tolerance_minutes (90) must not exceed "
	    "doses.window_after_minutes (89)");
	load_ok(
	    "movements = { past_tolerance_minutes = 90; };\n"
	    "doses = { window_after_minutes = 90; };\n", &cfg);
	assert_int_equal(cfg.move_past_tolerance_minutes, 90);
	assert_int_equal(cfg.dose_window_after_minutes, 90);
}

/* A setting refused inside an @include'd file is reported at that file
 * and its line, as syntax errors there already are. */
static void
test_include_line(void **state)
{
	struct config	 cfg;
	char		*inc, *main_text, *main_path, *cause = NULL, *want;
	int		 rc;

	(void)state;
	inc = write_conf("log_level = \"info\";\ncolour = 1;\n");
	assert_int_not_equal(asprintf(&main_text,
	    "# main\nlisten = { port = 8471; };\n@include \"%s\"\n", inc), -1);
	main_path = write_conf(main_text);
	free(main_text);
	config_defaults(&cfg);
	rc = config_load(main_path, &cfg, &cause);
	unlink(main_path);
	unlink(inc);
	free(main_path);
	assert_int_equal(rc, -1);
	assert_int_not_equal(asprintf(&want, "%s:2: unknown setting 'colour'",
	    inc), -1);
	free(inc);
	assert_non_null(cause);
	if (strcmp(cause, want) != 0) {
		print_error("want: %s\ngot:  %s\n", want, cause);
		free(want);
		free(cause);
		fail_msg("wrong cause");
	}
	free(want);
	free(cause);
}

/* metrics.token and metrics.token_file: none by default (GET /metrics
 * for loopback only); 32 to 256 printable characters; a file's first
 * line, the file closed to others; not both. */
static void
test_metrics_token(void **state)
{
	struct config	 cfg;
	char		 text[512], *file;
	const char	*token = "0123456789abcdef0123456789abcdef";
	const char	*bad = "must be 32 to 256 printable characters without "
			    "spaces (openssl rand -hex 32 makes one)";

	(void)state;
	config_defaults(&cfg);
	assert_string_equal(cfg.metrics_token, "");
	snprintf(text, sizeof text, "metrics = { token = \"%s\"; };\n", token);
	load_ok(text, &cfg);
	assert_string_equal(cfg.metrics_token, token);
	snprintf(text, sizeof text, "metrics = { token = \"%.31s\"; };\n",
	    token);
	snprintf(text + 256, sizeof text - 256, "'metrics.token' %s", bad);
	load_refused(text, 1, text + 256);
	load_refused("metrics = { token = \"0123456789abcdef 123456789abcdef\";"
	    " };\n", 1, "'metrics.token' must be 32 to 256 printable "
	    "characters without spaces (openssl rand -hex 32 makes one)");

	file = write_conf("0123456789abcdef0123456789abcdef\n");
	assert_int_equal(chmod(file, 0640), 0);
	snprintf(text, sizeof text, "metrics = { token_file = \"%s\"; };\n",
	    file);
	load_ok(text, &cfg);
	assert_string_equal(cfg.metrics_token, token);
	snprintf(text, sizeof text, "metrics = { token = \"%s\"; "
	    "token_file = \"%s\"; };\n", token, file);
	load_refused(text, 1, "'metrics.token_file' give metrics.token or "
	    "metrics.token_file, not both");
	assert_int_equal(chmod(file, 0644), 0);
	snprintf(text, sizeof text, "metrics = { token_file = \"%s\"; };\n",
	    file);
	load_refused(text, 1, "'metrics.token_file' may be read or written by "
	    "others: chmod o= it");
	unlink(file);
	free(file);
	load_refused("metrics = { token_file = \"/nonexistent/token\"; };\n",
	    1, "'metrics.token_file' cannot be opened");
}

/* backup.directory, backup.interval (0: on demand only) and backup.keep:
 * their defaults, set, and refused out of range. */
static void
test_backup(void **state)
{
	struct config	cfg;

	(void)state;
	config_defaults(&cfg);
	assert_string_equal(cfg.backup_directory, "/var/lib/idtsd/backups");
	assert_int_equal(cfg.backup_interval, 60);
	assert_int_equal(cfg.backup_keep, 48);
	load_ok("backup = { directory = \"/srv/backups\"; interval = 0; "
	    "keep = 1; };\n", &cfg);
	assert_string_equal(cfg.backup_directory, "/srv/backups");
	assert_int_equal(cfg.backup_interval, 0);
	assert_int_equal(cfg.backup_keep, 1);
	load_ok("backup = { interval = 10080; keep = 10000; };\n", &cfg);
	assert_int_equal(cfg.backup_interval, 10080);
	assert_int_equal(cfg.backup_keep, 10000);
	load_refused("backup = { interval = -1; };\n", 1,
	    "'backup.interval' must be between 0 and 10080");
	load_refused("backup = { interval = 10081; };\n", 1,
	    "'backup.interval' must be between 0 and 10080");
	load_refused("backup = {\n  keep = 0;\n};\n", 2,
	    "'backup.keep' must be between 1 and 10000");
	load_refused("backup = { directory = 7; };\n", 1,
	    "'backup.directory' must be a string in double quotes");
}

/* rota.warn_days: 7 by default, 1 to 14. */
static void
test_rota(void **state)
{
	struct config	cfg;

	(void)state;
	config_defaults(&cfg);
	assert_int_equal(cfg.rota_warn_days, 7);
	load_ok("rota = { warn_days = 14; };\n", &cfg);
	assert_int_equal(cfg.rota_warn_days, 14);
	load_ok("rota = { warn_days = 1; };\n", &cfg);
	assert_int_equal(cfg.rota_warn_days, 1);
	load_refused("rota = { warn_days = 0; };\n", 1,
	    "'rota.warn_days' must be between 1 and 14");
	load_refused("rota = { warn_days = 15; };\n", 1,
	    "'rota.warn_days' must be between 1 and 14");
}

/* dashboard.listen: off by default, "address:port" with IPv6 in
 * brackets, refused malformed, off the loopback without TLS, or on the
 * API's own address and port; dashboard.directory and chartjs. */
static void
test_dashboard(void **state)
{
	struct config	 cfg;
	const char	*why = "'dashboard.listen' must be \"address:port\", "
			    "such as \"127.0.0.1:8471\" or \"[::1]:8471\", or "
			    "\"\" for no dashboard";
	const char	*bad[] = { "127.0.0.1", "127.0.0.1:", ":8471",
			    "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:84x",
			    "::1:8471", "[::1:8471" };
	char		 text[128];
	size_t		 i;

	(void)state;
	config_defaults(&cfg);
	assert_int_equal(cfg.dashboard_port, 0);
	assert_string_equal(cfg.dashboard_directory,
	    IDTSD_DATADIR "/dashboard");
	assert_string_equal(cfg.dashboard_chartjs,
	    "/usr/share/javascript/chart.js/chart.min.js");
	load_ok("dashboard = { listen = \"127.0.0.1:8471\"; "
	    "directory = \"dashboard\"; chartjs = \"/srv/chart.js\"; };\n",
	    &cfg);
	assert_string_equal(cfg.dashboard_address, "127.0.0.1");
	assert_int_equal(cfg.dashboard_port, 8471);
	assert_string_equal(cfg.dashboard_directory, "dashboard");
	assert_string_equal(cfg.dashboard_chartjs, "/srv/chart.js");
	load_ok("dashboard = { listen = \"[::1]:65535\"; };\n", &cfg);
	assert_string_equal(cfg.dashboard_address, "::1");
	assert_int_equal(cfg.dashboard_port, 65535);
	load_ok("dashboard = { listen = \"\"; };\n", &cfg);
	assert_int_equal(cfg.dashboard_port, 0);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(text, sizeof text, "dashboard = { listen = \"%s\"; };"
		    "\n", bad[i]);
		load_refused(text, 1, why);
	}
	load_refused("dashboard = { listen = \"host.example:8471\"; };\n", 1,
	    "'dashboard.listen' must be a numeric IPv4 or IPv6 address");
	load_refused("dashboard = { listen = \"192.0.2.10:8471\"; };\n", 0,
	    "dashboard.listen on 192.0.2.10, which is not loopback, requires "
	    "tls.certificate and tls.key");
	load_refused("dashboard = { listen = \"127.0.0.1:8470\"; };\n", 0,
	    "dashboard.listen must not be listen.address and listen.port");
}

/* establishment: a code of capitals and digits, a name, a key that needs
 * both, and a trusted list of groups with no code twice. */
static void
test_establishment(void **state)
{
	struct config	 cfg;
	const char	*code = "'establishment.code' must be 1 to 16 capital "
			    "letters and digits, such as \"LEI\"";

	(void)state;
	config_defaults(&cfg);
	assert_string_equal(cfg.establishment_key, "");
	assert_int_equal(cfg.ntrusted, 0);
	load_ok("establishment = { code = \"LEI\"; name = \"HMP Leeds\";\n"
	    "key = \"/etc/idtsd/establishment.key\";\n"
	    "trusted = ( { code = \"MDI\"; name = \"HMP Moorland\";\n"
	    "public_key = \"/etc/idtsd/MDI.pem\"; },\n"
	    "{ code = \"A1\"; name = \"HMP A\"; public_key = \"a.pem\"; } );"
	    " };\n", &cfg);
	assert_string_equal(cfg.establishment_code, "LEI");
	assert_string_equal(cfg.establishment_name, "HMP Leeds");
	assert_string_equal(cfg.establishment_key,
	    "/etc/idtsd/establishment.key");
	assert_int_equal(cfg.ntrusted, 2);
	assert_string_equal(cfg.trusted[0].code, "MDI");
	assert_string_equal(cfg.trusted[0].name, "HMP Moorland");
	assert_string_equal(cfg.trusted[0].public_key, "/etc/idtsd/MDI.pem");
	assert_string_equal(cfg.trusted[1].code, "A1");
	load_refused("establishment = { code = \"lei\"; };\n", 1, code);
	load_refused("establishment = { code = \"ABCDEFGHIJKLMNOPQ\"; };\n",
	    1, "'establishment.code' is too long");
	load_refused("establishment = { name = \"  \"; };\n", 1,
	    "'establishment.name' must be a name of up to 120 characters");
	load_refused("establishment = { key = \"/k\"; code = \"LEI\"; };\n",
	    0, "establishment.key needs the establishment's code and name: "
	    "they sign its documents");
	load_refused("establishment = { trusted = (\n"
	    "{ code = \"MDI\"; name = \"HMP Moorland\"; public_key = \"m\"; },"
	    "\n{ code = \"MDI\"; name = \"Again\"; public_key = \"n\"; } ); };"
	    "\n", 3, "'establishment.trusted' item 2 names a code listed before");
	load_refused("establishment = { trusted = (\n"
	    "{ code = \"MDI\"; name = \"HMP Moorland\"; } ); };\n", 2,
	    "'establishment.trusted' item 1 must be { code = \"...\"; name = "
	    "\"...\"; public_key = \"file.pem\"; }");
	load_refused("establishment = { trusted = (\n"
	    "{ code = \"m\"; name = \"x\"; public_key = \"m\"; } ); };\n", 2,
	    "'establishment.trusted' item 1 must be 1 to 16 capital letters "
	    "and digits, such as \"LEI\"");
	load_refused("establishment = { trusted = \"MDI\"; };\n", 1,
	    "'establishment.trusted' must be a list ( { ... }, ... ) of at "
	    "most 16");
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_defaults_kept),
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_log_levels),
		cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_streams_below_connections),
		cmocka_unit_test(test_unknown_nested_key),
		cmocka_unit_test(test_wrong_type),
		cmocka_unit_test(test_out_of_range),
		cmocka_unit_test(test_cautions),
		cmocka_unit_test(test_emergency_instruction),
		cmocka_unit_test(test_audit),
		cmocka_unit_test(test_first_dose_ceiling),
		cmocka_unit_test(test_time_zone),
		cmocka_unit_test(test_syntax_error),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_listen_address),
		cmocka_unit_test(test_is_loopback),
		cmocka_unit_test(test_loopback_without_terminal),
		cmocka_unit_test(test_pin_pool),
		cmocka_unit_test(test_include_line),
		cmocka_unit_test(test_movements),
		cmocka_unit_test(test_backup),
		cmocka_unit_test(test_rota),
		cmocka_unit_test(test_dashboard),
		cmocka_unit_test(test_metrics_token),
		cmocka_unit_test(test_establishment),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
