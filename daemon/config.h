/* The daemon's configuration, loaded from a libconfig file and checked
 * before anything starts. */
#ifndef IDTSD_CONFIG_H
#define IDTSD_CONFIG_H

#include <limits.h>

#include "calendar.h"
#include "log.h"
#include "prescribing.h"

#define CONFIG_DEFAULT_PATH	"/etc/idtsd/idtsd.conf"
#define CONFIG_METRICS_TOKEN_MIN	32
#define CONFIG_METRICS_TOKEN_MAX	256
#define CONFIG_TRUSTED_MAX	16	/* establishment.trusted */
#define CONFIG_CODE_MAX		16	/* an establishment's code */
#define CONFIG_NAME_MAX	120

/* An establishment whose signed transfer documents this one accepts. */
struct config_trusted {
	char	code[CONFIG_CODE_MAX + 1];
	char	name[CONFIG_NAME_MAX * 4 + 1];
	char	public_key[PATH_MAX];	/* a PEM file */
};

struct config {
	char		listen_address[64];
	int		listen_port;
	char		tls_certificate[PATH_MAX];
	char		tls_key[PATH_MAX];
	char		database[PATH_MAX];
	char		time_zone[64];
	enum log_level	log_level;
	int		session_idle_minutes;
	int		pin_workers;	/* threads hashing PINs */
	int		pin_queue;	/* PINs waiting, in each queue */
	int		lockout_failures;
	int		lockout_minutes;
	int		loopback_without_terminal; /* sign in there without one */
	int		http_max_connections;
	int		group_commit;	/* requests that come together commit together */
	int		http_max_body_bytes;
	int		http_max_header_bytes;
	int		http_timeout_seconds;
	int		arrival_max_future_minutes;
	int		arrival_max_past_days;
	int		idempotency_keep_hours;
	struct calendar	calendar;		/* one-off bank holiday changes */
	int		clock_treatment_hours;
	int		clock_keyworker_hours;
	int		clock_warn_percent;
	int		escalate_warning_minutes;
	int		escalate_urgent_minutes;
	int		escalate_emergency_minutes;
	char		emergency_instruction[201];	/* "": none */
	int		dose_window_before_minutes;
	int		dose_window_after_minutes;
	int		dose_horizon_hours;
	int		dose_hold_after;
	int		caution_news2_hours;
	int		caution_tolerance_days;
	int		obs_plan_hours;
	int		obs_base_interval_minutes;
	int		obs_low_interval_minutes;
	int		obs_medium_interval_minutes;
	int		obs_high_interval_minutes;
	int		obs_grace_minutes;
	int		obs_max_past_hours;
	int		move_margin_minutes;
	int		move_lead_minutes;
	int		move_earliest_minute;	/* of the local day */
	int		move_past_tolerance_minutes;
	int		move_max_ahead_days;
	int		stream_max;
	int		stream_per_person;	/* streams of one person */
	int		stream_per_terminal;	/* of one terminal */
	int		stream_heartbeat_seconds;
	int		stream_max_buffer_bytes;
	char		audit_key[PATH_MAX];	/* "": no anchoring */
	int		audit_anchor_interval_minutes;
	char		backup_directory[PATH_MAX];
	int		backup_interval;	/* minutes; 0: on demand only */
	int		backup_keep;		/* verified backups kept */
	int		rota_warn_days;	/* a gap in cover alerted ahead */
	/* safety.first_dose_ceiling: per drug, when no community dose is
	 * known (prescribing.c). */
	struct prescribing_ceilings first_dose_ceilings;
	/* metrics.token, or the first line of metrics.token_file: "" lets
	 * only loopback read GET /metrics (api_metrics.c). */
	char		metrics_token[CONFIG_METRICS_TOKEN_MAX + 1];
	/* dashboard.listen "address:port", parsed; port 0: no dashboard
	 * (dashboard.c). */
	char		dashboard_address[64];
	int		dashboard_port;
	char		dashboard_directory[PATH_MAX];
	char		dashboard_chartjs[PATH_MAX];	/* Chart.js, served */
	/* establishment: this one's code, name and signing key ("": it
	 * signs no transfer document), and those it trusts (jws.c). */
	char		establishment_code[CONFIG_CODE_MAX + 1];
	char		establishment_name[CONFIG_NAME_MAX * 4 + 1];
	char		establishment_key[PATH_MAX];
	struct config_trusted trusted[CONFIG_TRUSTED_MAX];
	int		ntrusted;
};

void	config_defaults(struct config *cfg);
int	config_load(const char *path, struct config *cfg, char **cause);
int	config_is_loopback(const char *address);

#endif
