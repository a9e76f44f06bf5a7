/* Loading idtsd.conf.  Every setting the file may hold is declared once in
 * config_keys; anything else, a wrong type or a value out of range is
 * refused as "file:line: message" so a typo never passes silently. */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libconfig.h>

#include "config.h"
#include "jws.h"
#include "prescription.h"
#include "validate.h"

enum config_kind {
	CONFIG_GROUP,
	CONFIG_INT,
	CONFIG_BOOL,		/* true or false */
	CONFIG_STRING,
	CONFIG_DATES,		/* an array of "YYYY-MM-DD" strings */
	CONFIG_CEILINGS,	/* a group of drug = "30 mg" */
	CONFIG_TRUSTED,		/* a list of { code, name, public_key } */
};

struct config_key {
	const char		*path;
	enum config_kind	 kind;
	long			 min, max;	/* ints; strings: max length */
	size_t			 offset;
	int			(*check)(struct config *, const char *value,
				    const char **why);
};

static int	config_check_log_level(struct config *, const char *,
		    const char **);
static int	config_check_time_zone(struct config *, const char *,
		    const char **);
static int	config_check_address(struct config *, const char *,
		    const char **);
static int	config_check_earliest(struct config *, const char *,
		    const char **);
static int	config_check_instruction(struct config *, const char *,
		    const char **);
static int	config_check_metrics_token(struct config *, const char *,
		    const char **);
static int	config_check_metrics_token_file(struct config *,
		    const char *, const char **);
static int	config_check_code(struct config *, const char *,
		    const char **);
static int	config_check_name(struct config *, const char *,
		    const char **);
static int	config_check_dashboard_listen(struct config *, const char *,
		    const char **);

#define INT_KEY(p, lo, hi, field) \
	{ p, CONFIG_INT, lo, hi, offsetof(struct config, field), NULL }
#define STR_KEY(p, field, chk) \
	{ p, CONFIG_STRING, 0, sizeof(((struct config *)0)->field) - 1, \
	    offsetof(struct config, field), chk }
/* A setting whose check stores the value itself. */
#define CONFIG_CHECK_ONLY	((size_t)-1)
#define GROUP_KEY(p) { p, CONFIG_GROUP, 0, 0, 0, NULL }
#define BOOL_KEY(p, field) \
	{ p, CONFIG_BOOL, 0, 1, offsetof(struct config, field), NULL }
#define DATES_KEY(p, list) { p, CONFIG_DATES, 0, CALENDAR_MAX_CHANGES, \
	    offsetof(struct config, list), NULL }

static const struct config_key config_keys[] = {
	GROUP_KEY("listen"),
	STR_KEY("listen.address", listen_address, config_check_address),
	INT_KEY("listen.port", 1, 65535, listen_port),
	GROUP_KEY("tls"),
	STR_KEY("tls.certificate", tls_certificate, NULL),
	STR_KEY("tls.key", tls_key, NULL),
	STR_KEY("database", database, NULL),
	STR_KEY("time_zone", time_zone, config_check_time_zone),
	{ "log_level", CONFIG_STRING, 0, 16, CONFIG_CHECK_ONLY,
	    config_check_log_level },
	GROUP_KEY("sessions"),
	INT_KEY("sessions.idle_minutes", 1, 24 * 60, session_idle_minutes),
	GROUP_KEY("lockout"),
	INT_KEY("lockout.failures", 1, 100, lockout_failures),
	INT_KEY("lockout.minutes", 1, 24 * 60, lockout_minutes),
	GROUP_KEY("auth"),
	BOOL_KEY("auth.loopback_without_terminal", loopback_without_terminal),
	INT_KEY("auth.pin_workers", 1, 64, pin_workers),
	INT_KEY("auth.pin_queue", 1, 100000, pin_queue),
	GROUP_KEY("http"),
	INT_KEY("http.max_connections", 8, 100000, http_max_connections),
	BOOL_KEY("http.group_commit", group_commit),
	INT_KEY("http.max_body_bytes", 1024, 16 * 1024 * 1024,
	    http_max_body_bytes),
	INT_KEY("http.max_header_bytes", 1024, 1024 * 1024,
	    http_max_header_bytes),
	INT_KEY("http.timeout_seconds", 1, 3600, http_timeout_seconds),
	GROUP_KEY("arrivals"),
	INT_KEY("arrivals.max_future_minutes", 0, 24 * 60,
	    arrival_max_future_minutes),
	INT_KEY("arrivals.max_past_days", 1, 366, arrival_max_past_days),
	GROUP_KEY("idempotency"),
	INT_KEY("idempotency.keep_hours", 1, 24 * 90, idempotency_keep_hours),
	GROUP_KEY("calendar"),
	DATES_KEY("calendar.add", calendar.added),
	DATES_KEY("calendar.remove", calendar.removed),
	GROUP_KEY("clocks"),
	INT_KEY("clocks.treatment_hours", 1, 24 * 7, clock_treatment_hours),
	INT_KEY("clocks.keyworker_hours", 1, 24 * 7, clock_keyworker_hours),
	INT_KEY("clocks.warn_percent", 1, 99, clock_warn_percent),
	GROUP_KEY("alerts"),
	INT_KEY("alerts.escalate_warning_minutes", 1, 24 * 60,
	    escalate_warning_minutes),
	INT_KEY("alerts.escalate_urgent_minutes", 1, 24 * 60,
	    escalate_urgent_minutes),
	INT_KEY("alerts.escalate_emergency_minutes", 1, 24 * 60,
	    escalate_emergency_minutes),
	STR_KEY("alerts.emergency_instruction", emergency_instruction,
	    config_check_instruction),
	GROUP_KEY("doses"),
	INT_KEY("doses.window_before_minutes", 0, 12 * 60,
	    dose_window_before_minutes),
	INT_KEY("doses.window_after_minutes", 1, 12 * 60,
	    dose_window_after_minutes),
	INT_KEY("doses.horizon_hours", 24, 24 * 14, dose_horizon_hours),
	INT_KEY("doses.hold_after", 1, 28, dose_hold_after),
	GROUP_KEY("cautions"),
	INT_KEY("cautions.news2_hours", 1, 24 * 7, caution_news2_hours),
	INT_KEY("cautions.tolerance_days", 1, 14, caution_tolerance_days),
	GROUP_KEY("observations"),
	INT_KEY("observations.plan_hours", 1, 24 * 14, obs_plan_hours),
	INT_KEY("observations.base_interval_minutes", 5, 24 * 60,
	    obs_base_interval_minutes),
	INT_KEY("observations.low_interval_minutes", 5, 24 * 60,
	    obs_low_interval_minutes),
	INT_KEY("observations.medium_interval_minutes", 5, 24 * 60,
	    obs_medium_interval_minutes),
	INT_KEY("observations.high_interval_minutes", 5, 24 * 60,
	    obs_high_interval_minutes),
	INT_KEY("observations.grace_minutes", 0, 24 * 60, obs_grace_minutes),
	INT_KEY("observations.max_past_hours", 1, 24 * 7, obs_max_past_hours),
	GROUP_KEY("movements"),
	INT_KEY("movements.margin_minutes", 0, 6 * 60, move_margin_minutes),
	INT_KEY("movements.lead_minutes", 0, 12 * 60, move_lead_minutes),
	{ "movements.earliest_time", CONFIG_STRING, 0, 5, CONFIG_CHECK_ONLY,
	    config_check_earliest },
	INT_KEY("movements.past_tolerance_minutes", 0, 12 * 60,
	    move_past_tolerance_minutes),
	INT_KEY("movements.max_ahead_days", 1, 90, move_max_ahead_days),
	GROUP_KEY("streams"),
	INT_KEY("streams.max", 1, 100000, stream_max),
	INT_KEY("streams.per_person", 1, 100, stream_per_person),
	INT_KEY("streams.per_terminal", 1, 100, stream_per_terminal),
	INT_KEY("streams.heartbeat_seconds", 1, 300, stream_heartbeat_seconds),
	INT_KEY("streams.max_buffer_bytes", 4096, 64 * 1024 * 1024,
	    stream_max_buffer_bytes),
	GROUP_KEY("audit"),
	STR_KEY("audit.key", audit_key, NULL),
	INT_KEY("audit.anchor_interval_minutes", 1, 24 * 60,
	    audit_anchor_interval_minutes),
	GROUP_KEY("backup"),
	STR_KEY("backup.directory", backup_directory, NULL),
	INT_KEY("backup.interval", 0, 7 * 24 * 60, backup_interval),
	INT_KEY("backup.keep", 1, 10000, backup_keep),
	GROUP_KEY("rota"),
	INT_KEY("rota.warn_days", 1, 14, rota_warn_days),
	GROUP_KEY("metrics"),
	{ "metrics.token", CONFIG_STRING, 0, CONFIG_METRICS_TOKEN_MAX,
	    CONFIG_CHECK_ONLY, config_check_metrics_token },
	{ "metrics.token_file", CONFIG_STRING, 0, PATH_MAX - 1,
	    CONFIG_CHECK_ONLY, config_check_metrics_token_file },
	GROUP_KEY("dashboard"),
	{ "dashboard.listen", CONFIG_STRING, 0, 80, CONFIG_CHECK_ONLY,
	    config_check_dashboard_listen },
	STR_KEY("dashboard.directory", dashboard_directory, NULL),
	STR_KEY("dashboard.chartjs", dashboard_chartjs, NULL),
	GROUP_KEY("establishment"),
	STR_KEY("establishment.code", establishment_code, config_check_code),
	STR_KEY("establishment.name", establishment_name, config_check_name),
	STR_KEY("establishment.key", establishment_key, NULL),
	{ "establishment.trusted", CONFIG_TRUSTED, 0, CONFIG_TRUSTED_MAX,
	    offsetof(struct config, trusted), NULL },
	GROUP_KEY("safety"),
	{ "safety.first_dose_ceiling", CONFIG_CEILINGS, 0, 0,
	    offsetof(struct config, first_dose_ceilings), NULL },
};

/* The documented defaults: loopback, Europe/London, five PINs. */
void
config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	strcpy(cfg->listen_address, "127.0.0.1");
	cfg->listen_port = 8470;
	strcpy(cfg->database, "/var/lib/idtsd/idtsd.db");
	strcpy(cfg->time_zone, "Europe/London");
	cfg->log_level = LOG_LEVEL_INFO;
	cfg->session_idle_minutes = 30;
	cfg->pin_workers = 2;
	cfg->pin_queue = 64;
	cfg->lockout_failures = 5;
	cfg->lockout_minutes = 15;
	cfg->loopback_without_terminal = 1;
	cfg->http_max_connections = 512;
	cfg->group_commit = 1;
	cfg->http_max_body_bytes = 64 * 1024;
	cfg->http_max_header_bytes = 8 * 1024;
	cfg->http_timeout_seconds = 30;
	cfg->arrival_max_future_minutes = 5;
	cfg->arrival_max_past_days = 7;
	cfg->idempotency_keep_hours = 72;
	cfg->clock_treatment_hours = 24;
	cfg->clock_keyworker_hours = 24;
	cfg->clock_warn_percent = 75;
	cfg->escalate_warning_minutes = 30;
	cfg->escalate_urgent_minutes = 15;
	cfg->escalate_emergency_minutes = 5;
	cfg->dose_window_before_minutes = 60;
	cfg->dose_window_after_minutes = 120;
	cfg->dose_horizon_hours = 48;
	cfg->dose_hold_after = 3;
	cfg->caution_news2_hours = 24;
	cfg->caution_tolerance_days = 3;
	cfg->obs_plan_hours = 72;
	/* A first day's methadone or buprenorphine, UK guidance's upper
	 * starting doses (Orange Guidelines 2017). */
	(void)prescribing_ceiling_add(&cfg->first_dose_ceilings, "methadone",
	    "30 mg");
	(void)prescribing_ceiling_add(&cfg->first_dose_ceilings,
	    "buprenorphine", "8 mg");
	cfg->obs_base_interval_minutes = 240;
	cfg->obs_low_interval_minutes = 240;
	cfg->obs_medium_interval_minutes = 60;
	cfg->obs_high_interval_minutes = 30;
	cfg->obs_grace_minutes = 15;
	cfg->obs_max_past_hours = 12;
	cfg->move_margin_minutes = 30;
	cfg->move_lead_minutes = 60;
	cfg->move_earliest_minute = 6 * 60;
	cfg->move_past_tolerance_minutes = 60;
	cfg->move_max_ahead_days = 14;
	cfg->stream_max = 256;
	cfg->stream_per_person = 3;
	cfg->stream_per_terminal = 3;
	cfg->audit_anchor_interval_minutes = 15;
	cfg->stream_heartbeat_seconds = 15;
	cfg->stream_max_buffer_bytes = 1024 * 1024;
	strcpy(cfg->backup_directory, "/var/lib/idtsd/backups");
	cfg->backup_interval = 60;
	cfg->backup_keep = 48;
	cfg->rota_warn_days = 7;
	strcpy(cfg->dashboard_directory, IDTSD_DATADIR "/dashboard");
	strcpy(cfg->dashboard_chartjs,
	    "/usr/share/javascript/chart.js/chart.min.js");
}

/* Whether an address is on the loopback range, where plain HTTP is
 * allowed. */
int
config_is_loopback(const char *address)
{
	struct in_addr	 a4;
	struct in6_addr	 a6;

	if (strcmp(address, "localhost") == 0)
		return 1;
	if (inet_pton(AF_INET, address, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, address, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6);
	return 0;
}

static int
config_check_log_level(struct config *cfg, const char *v, const char **why)
{
	if (log_level_parse(v, &cfg->log_level) == -1) {
		*why = "must be one of error, warning, info, debug";
		return -1;
	}
	return 0;
}

/* A zone must name a file of the system's tz database, without any way
 * out of it. */
static int
config_check_time_zone(struct config *cfg, const char *v, const char **why)
{
	char		 path[PATH_MAX];
	const char	*dir = getenv("TZDIR");
	struct stat	 sb;

	(void)cfg;
	if (v[0] == '\0' || v[0] == '/' || strstr(v, "..") != NULL ||
	    strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789/_+-") != strlen(v)) {
		*why = "is not a time zone name such as Europe/London";
		return -1;
	}
	snprintf(path, sizeof path, "%s/%s", dir ? dir : "/usr/share/zoneinfo",
	    v);
	if (stat(path, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		*why = "names no time zone known to this system (is tzdata "
		    "installed?)";
		return -1;
	}
	return 0;
}

static int
config_check_address(struct config *cfg, const char *v, const char **why)
{
	struct in_addr	 a4;
	struct in6_addr	 a6;

	(void)cfg;
	if (strcmp(v, "localhost") != 0 && inet_pton(AF_INET, v, &a4) != 1 &&
	    inet_pton(AF_INET6, v, &a6) != 1) {
		*why = "must be a numeric IPv4 or IPv6 address";
		return -1;
	}
	return 0;
}

/* dashboard.listen: "address:port" (an IPv6 address in brackets), or ""
 * for no dashboard. */
static int
config_check_dashboard_listen(struct config *cfg, const char *v,
    const char **why)
{
	const char	*colon = strrchr(v, ':');
	const char	*host = v;
	size_t		 len;
	char		*end;
	long		 port;

	cfg->dashboard_port = 0;
	cfg->dashboard_address[0] = '\0';
	if (v[0] == '\0')
		return 0;
	*why = "must be \"address:port\", such as \"127.0.0.1:8471\" or "
	    "\"[::1]:8471\", or \"\" for no dashboard";
	if (colon == NULL)
		return -1;
	len = (size_t)(colon - v);
	if (v[0] == '[' && len >= 2 && v[len - 1] == ']') {
		host = v + 1;
		len -= 2;
	} else if (memchr(v, ':', len) != NULL)
		return -1;	/* IPv6 without brackets: where is the port? */
	port = strtol(colon + 1, &end, 10);
	if (len == 0 || len >= sizeof cfg->dashboard_address ||
	    colon[1] == '\0' || *end != '\0' || port < 1 || port > 65535)
		return -1;
	memcpy(cfg->dashboard_address, host, len);
	cfg->dashboard_address[len] = '\0';
	if (config_check_address(cfg, cfg->dashboard_address, why) == -1)
		return -1;
	cfg->dashboard_port = (int)port;
	return 0;
}

/* movements.earliest_time: a local time of day, HH:MM. */
static int
config_check_earliest(struct config *cfg, const char *v, const char **why)
{
	if (prescription_time_parse(v, &cfg->move_earliest_minute) == -1) {
		*why = "must be a local time written HH:MM, such as 06:00";
		return -1;
	}
	return 0;
}

/* alerts.emergency_instruction: words a person reads in an emergency
 * alert, such as "call 2222", or "" for none. */
static int
config_check_instruction(struct config *cfg, const char *v, const char **why)
{
	(void)cfg;
	if (v[0] != '\0' && validate_text(v, 200) == -1) {
		*why = "must be words without control characters, such as "
		    "\"call 2222\", or \"\" for none";
		return -1;
	}
	return 0;
}

/* metrics.token: the bearer token GET /metrics asks for, at least 32
 * printable characters without spaces; given once, here or in
 * metrics.token_file. */
static int
config_check_metrics_token(struct config *cfg, const char *v,
    const char **why)
{
	size_t	n = strlen(v), i;

	if (cfg->metrics_token[0] != '\0') {
		*why = "give metrics.token or metrics.token_file, not both";
		return -1;
	}
	for (i = 0; i < n && v[i] > ' ' && v[i] < 0x7f; i++)
		;
	if (n < CONFIG_METRICS_TOKEN_MIN || n > CONFIG_METRICS_TOKEN_MAX ||
	    i != n) {
		*why = "must be 32 to 256 printable characters without spaces "
		    "(openssl rand -hex 32 makes one)";
		return -1;
	}
	memcpy(cfg->metrics_token, v, n + 1);
	return 0;
}

/* An establishment's code (its JWS kid): 1 to 16 capitals and digits,
 * such as a prison's three-letter code. */
static int
config_check_code(struct config *cfg, const char *v, const char **why)
{
	(void)cfg;
	if (!jws_code_valid(v)) {
		*why = "must be 1 to 16 capital letters and digits, such as "
		    "\"LEI\"";
		return -1;
	}
	return 0;
}

/* An establishment's name, free text as a person reads it. */
static int
config_check_name(struct config *cfg, const char *v, const char **why)
{
	(void)cfg;
	if (validate_text(v, CONFIG_NAME_MAX) == -1) {
		*why = "must be a name of up to 120 characters";
		return -1;
	}
	return 0;
}

/* metrics.token_file: a file holding the token on its first line, which
 * others may not read (a token in a file anyone can read is no secret). */
static int
config_check_metrics_token_file(struct config *cfg, const char *v,
    const char **why)
{
	char		line[CONFIG_METRICS_TOKEN_MAX + 2];
	struct stat	sb;
	FILE		*f;
	int		ok;

	if ((f = fopen(v, "r")) == NULL) {
		*why = "cannot be opened";
		return -1;
	}
	ok = fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) &&
	    fgets(line, sizeof line, f) != NULL;
	fclose(f);
	if (!ok) {
		*why = "must be a file holding the token on its first line";
		return -1;
	}
	if (sb.st_mode & S_IRWXO) {
		*why = "may be read or written by others: chmod o= it";
		return -1;
	}
	line[strcspn(line, "\r\n")] = '\0';
	return config_check_metrics_token(cfg, line, why);
}

/* Format a cause as "file:line: message" ("file: message" when the
 * problem is not on one line). */
static void __attribute__((format(printf, 4, 5)))
config_cause(char **cause, const char *file, int line, const char *fmt, ...)
{
	char	msg[512];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if ((line > 0 ? asprintf(cause, "%s:%d: %s", file, line, msg) :
	    asprintf(cause, "%s: %s", file, msg)) == -1)
		*cause = NULL;
}

/* The declaration of a setting path, or NULL. */
static const struct config_key *
config_find(const char *path)
{
	size_t	i;

	for (i = 0; i < sizeof config_keys / sizeof config_keys[0]; i++)
		if (strcmp(config_keys[i].path, path) == 0)
			return &config_keys[i];
	return NULL;
}

/* Store a list of dates, such as calendar.add = ["2023-05-08"]. */
static int
config_apply_dates(struct config *cfg, const struct config_key *k,
    const config_setting_t *s, const char *path, const char *file,
    char **cause)
{
	struct calendar_dates	*list = (struct calendar_dates *)((char *)cfg +
				    k->offset);
	int			 i, n, line = config_setting_source_line(s);
	const char		*v;

	if (config_setting_type(s) != CONFIG_TYPE_ARRAY &&
	    config_setting_type(s) != CONFIG_TYPE_LIST) {
		config_cause(cause, file, line, "'%s' must be a list of dates "
		    "such as [\"2023-05-08\"]", path);
		return -1;
	}
	n = config_setting_length(s);
	if (n > k->max) {
		config_cause(cause, file, line, "'%s' holds more than %ld dates",
		    path, k->max);
		return -1;
	}
	for (i = 0; i < n; i++) {
		v = config_setting_get_string_elem(s, i);
		if (v == NULL || timefmt_parse_date(v, &list->date[i]) == -1) {
			config_cause(cause, file, line, "'%s' item %d is not a "
			    "date written YYYY-MM-DD", path, i + 1);
			return -1;
		}
	}
	list->n = n;
	return 0;
}

/* Store the first-dose ceilings, such as { methadone = "30 mg"; }: the
 * file's list replaces the defaults. */
static int
config_apply_ceilings(struct config *cfg, const struct config_key *k,
    const config_setting_t *s, const char *path, const char *file,
    char **cause)
{
	struct prescribing_ceilings *list = (struct prescribing_ceilings *)
				    ((char *)cfg + k->offset);
	const config_setting_t	*c;
	const char		*dose;
	int			 i, n = config_setting_length(s);

	if (config_setting_type(s) != CONFIG_TYPE_GROUP) {
		config_cause(cause, file, config_setting_source_line(s),
		    "'%s' must be a group such as { methadone = \"30 mg\"; }",
		    path);
		return -1;
	}
	list->n = 0;
	for (i = 0; i < n; i++) {
		c = config_setting_get_elem(s, (unsigned)i);
		dose = config_setting_get_string(c);
		if (dose == NULL || prescribing_ceiling_add(list,
		    config_setting_name(c), dose) == -1) {
			config_cause(cause, file, config_setting_source_line(c),
			    "'%s.%s' must be an amount such as \"30 mg\" (at "
			    "most %d drugs of up to %d characters)", path,
			    config_setting_name(c), PRESCRIBING_MAX_CEILINGS,
			    PRESCRIBING_DRUG_MAX);
			return -1;
		}
	}
	return 0;
}

/* One trusted establishment, { code = "MDI"; name = "HMP Moorland";
 * public_key = "/etc/idtsd/trusted/MDI.pem"; }, into t; a sentence
 * saying what is wrong, or NULL. */
static const char *
config_trusted_one(const config_setting_t *c, struct config_trusted *t)
{
	const char	*code = NULL, *name = NULL, *pem = NULL, *why = NULL;

	if (config_setting_type(c) != CONFIG_TYPE_GROUP ||
	    config_setting_length(c) != 3 ||
	    !config_setting_lookup_string(c, "code", &code) ||
	    !config_setting_lookup_string(c, "name", &name) ||
	    !config_setting_lookup_string(c, "public_key", &pem))
		return "must be { code = \"...\"; name = \"...\"; "
		    "public_key = \"file.pem\"; }";
	if (config_check_code(NULL, code, &why) == -1)
		return why;
	if (config_check_name(NULL, name, &why) == -1)
		return why;
	if (strlen(pem) >= sizeof t->public_key)
		return "has a public_key path that is too long";
	strcpy(t->code, code);
	strcpy(t->name, name);
	strcpy(t->public_key, pem);
	return NULL;
}

/* Store the trusted establishments, a list of groups; no code twice. */
static int
config_apply_trusted(struct config *cfg, const struct config_key *k,
    const config_setting_t *s, const char *path, const char *file,
    char **cause)
{
	const config_setting_t	*c;
	const char		*why;
	int			 i, j, n = config_setting_length(s);

	if (config_setting_type(s) != CONFIG_TYPE_LIST || n > k->max) {
		config_cause(cause, file, config_setting_source_line(s),
		    "'%s' must be a list ( { ... }, ... ) of at most %ld",
		    path, k->max);
		return -1;
	}
	for (i = 0; i < n; i++) {
		c = config_setting_get_elem(s, (unsigned)i);
		why = config_trusted_one(c, &cfg->trusted[i]);
		for (j = 0; why == NULL && j < i; j++)
			if (strcmp(cfg->trusted[j].code,
			    cfg->trusted[i].code) == 0)
				why = "names a code listed before";
		if (why != NULL) {
			config_cause(cause, file, config_setting_source_line(c),
			    "'%s' item %d %s", path, i + 1, why);
			return -1;
		}
	}
	cfg->ntrusted = n;
	return 0;
}

/* Check and store one setting, recursing into groups. */
static int
config_apply(struct config *cfg, const config_setting_t *s,
    const char *prefix, const char *file, char **cause)
{
	const struct config_key	*k;
	char			 path[128];
	const char		*name = config_setting_name(s), *why = NULL;
	const char		*where = config_setting_source_file(s);
	const char		*str;
	int			 line = config_setting_source_line(s), i, n;
	long long		 v;

	snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "",
	    name);
	if (where != NULL)
		file = where;		/* a setting from an @include'd file */
	if ((k = config_find(path)) == NULL) {
		config_cause(cause, file, line, "unknown setting '%s'", path);
		return -1;
	}
	switch (k->kind) {
	case CONFIG_GROUP:
		if (config_setting_type(s) != CONFIG_TYPE_GROUP) {
			config_cause(cause, file, line,
			    "'%s' must be a group { ... }", path);
			return -1;
		}
		n = config_setting_length(s);
		for (i = 0; i < n; i++)
			if (config_apply(cfg, config_setting_get_elem(s,
			    (unsigned)i), path, file, cause) == -1)
				return -1;
		return 0;
	case CONFIG_INT:
		if (config_setting_type(s) != CONFIG_TYPE_INT &&
		    config_setting_type(s) != CONFIG_TYPE_INT64) {
			config_cause(cause, file, line,
			    "'%s' must be an integer", path);
			return -1;
		}
		v = config_setting_get_int64(s);
		if (v < k->min || v > k->max) {
			config_cause(cause, file, line,
			    "'%s' must be between %ld and %ld", path, k->min,
			    k->max);
			return -1;
		}
		*(int *)((char *)cfg + k->offset) = (int)v;
		return 0;
	case CONFIG_BOOL:
		if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
			config_cause(cause, file, line,
			    "'%s' must be true or false", path);
			return -1;
		}
		*(int *)((char *)cfg + k->offset) = config_setting_get_bool(s);
		return 0;
	case CONFIG_DATES:
		return config_apply_dates(cfg, k, s, path, file, cause);
	case CONFIG_CEILINGS:
		return config_apply_ceilings(cfg, k, s, path, file, cause);
	case CONFIG_TRUSTED:
		return config_apply_trusted(cfg, k, s, path, file, cause);
	case CONFIG_STRING:
		if (config_setting_type(s) != CONFIG_TYPE_STRING) {
			config_cause(cause, file, line,
			    "'%s' must be a string in double quotes", path);
			return -1;
		}
		str = config_setting_get_string(s);
		if ((long)strlen(str) > k->max) {
			config_cause(cause, file, line, "'%s' is too long",
			    path);
			return -1;
		}
		if (k->check != NULL && k->check(cfg, str, &why) == -1) {
			config_cause(cause, file, line, "'%s' %s", path, why);
			return -1;
		}
		if (k->offset != CONFIG_CHECK_ONLY)
			strcpy((char *)cfg + k->offset, str);
		return 0;
	}
	return -1;
}

/* Load path over the defaults in cfg.  On error, *cause says where and
 * what, and the caller frees it. */
int
config_load(const char *path, struct config *cfg, char **cause)
{
	config_t		 lc;
	const config_setting_t	*root;
	int			 i, n, rc = 0;

	*cause = NULL;
	config_init(&lc);
	if (config_read_file(&lc, path) == CONFIG_FALSE) {
		if (config_error_type(&lc) == CONFIG_ERR_FILE_IO) {
			if (asprintf(cause, "%s: cannot read the file", path)
			    == -1)
				*cause = NULL;
		} else
			config_cause(cause, config_error_file(&lc) ?
			    config_error_file(&lc) : path, config_error_line(&lc),
			    "%s", config_error_text(&lc));
		config_destroy(&lc);
		return -1;
	}
	root = config_root_setting(&lc);
	n = config_setting_length(root);
	for (i = 0; i < n && rc == 0; i++)
		rc = config_apply(cfg, config_setting_get_elem(root,
		    (unsigned)i), "", path, cause);
	config_destroy(&lc);
	if (rc == -1)
		return -1;

	if ((cfg->tls_certificate[0] == '\0') != (cfg->tls_key[0] == '\0')) {
		config_cause(cause, path, 0,
		    "tls needs both a certificate and a key");
		return -1;
	}
	if (cfg->establishment_key[0] != '\0' &&
	    (cfg->establishment_code[0] == '\0' ||
	    cfg->establishment_name[0] == '\0')) {
		config_cause(cause, path, 0, "establishment.key needs the "
		    "establishment's code and name: they sign its documents");
		return -1;
	}
	if (cfg->stream_max >= cfg->http_max_connections) {
		config_cause(cause, path, 0, "streams.max (%d) must be below "
		    "http.max_connections (%d): each stream holds a connection",
		    cfg->stream_max, cfg->http_max_connections);
		return -1;
	}
	if (cfg->obs_high_interval_minutes > cfg->obs_medium_interval_minutes ||
	    cfg->obs_medium_interval_minutes > cfg->obs_low_interval_minutes ||
	    cfg->obs_low_interval_minutes > cfg->obs_base_interval_minutes) {
		config_cause(cause, path, 0, "observations: the intervals must "
		    "not lengthen as the score rises: high <= medium <= low "
		    "<= base");
		return -1;
	}
	if (cfg->obs_grace_minutes >= cfg->obs_high_interval_minutes) {
		config_cause(cause, path, 0, "observations.grace_minutes (%d) "
		    "must be shorter than the shortest interval (%d)",
		    cfg->obs_grace_minutes, cfg->obs_high_interval_minutes);
		return -1;
	}
	if (cfg->move_past_tolerance_minutes >
	    cfg->dose_window_after_minutes) {
		/* Then no dose due after a departure can have been closed
		 * as missed before the departure is recorded. */
		config_cause(cause, path, 0, "movements.past_tolerance_minutes "
		    "(%d) must not exceed doses.window_after_minutes (%d)",
		    cfg->move_past_tolerance_minutes,
		    cfg->dose_window_after_minutes);
		return -1;
	}
	if (!config_is_loopback(cfg->listen_address) &&
	    cfg->tls_certificate[0] == '\0') {
		config_cause(cause, path, 0,
		    "listening on %s, which is not loopback, requires "
		    "tls.certificate and tls.key", cfg->listen_address);
		return -1;
	}
	if (cfg->dashboard_port != 0 &&
	    !config_is_loopback(cfg->dashboard_address) &&
	    cfg->tls_certificate[0] == '\0') {
		config_cause(cause, path, 0, "dashboard.listen on %s, which is "
		    "not loopback, requires tls.certificate and tls.key",
		    cfg->dashboard_address);
		return -1;
	}
	if (cfg->dashboard_port == cfg->listen_port &&
	    strcmp(cfg->dashboard_address, cfg->listen_address) == 0) {
		config_cause(cause, path, 0, "dashboard.listen must not be "
		    "listen.address and listen.port");
		return -1;
	}
	return 0;
}
