/* What every part of the daemon derives from the config, and the one
 * thing every change must be followed by. */
#include "alert.h"
#include "continuity.h"
#include "scheduler.h"
#include "server.h"
#include "stream.h"

/* The continuity clocks' policy, from the config. */
struct care_clock_policy
server_clock_policy(const struct server *srv)
{
	struct care_clock_policy	p = {
		&srv->cfg->calendar,
		(int64_t)srv->cfg->clock_treatment_hours * 3600000,
		(int64_t)srv->cfg->clock_keyworker_hours * 3600000,
		srv->cfg->clock_warn_percent,
	};

	return p;
}

/* The alerts' escalation policy, from the config: info never escalates. */
struct alert_policy
server_alert_policy(const struct server *srv)
{
	struct alert_policy	p = { {
		0,
		srv->cfg->escalate_warning_minutes,
		srv->cfg->escalate_urgent_minutes,
		srv->cfg->escalate_emergency_minutes,
	} };

	return p;
}

/* How doses are laid out and held, from the config. */
struct dose_policy
server_dose_policy(const struct server *srv)
{
	struct dose_policy	p = {
		(int64_t)srv->cfg->dose_window_before_minutes * 60000,
		(int64_t)srv->cfg->dose_window_after_minutes * 60000,
		(int64_t)srv->cfg->dose_horizon_hours * 3600000,
		srv->cfg->dose_hold_after,
	};

	return p;
}

/* How far back cautions look, from the config. */
struct caution_policy
server_caution_policy(const struct server *srv)
{
	struct caution_policy	p = {
		(int64_t)srv->cfg->caution_news2_hours * MS_PER_HOUR,
		(int64_t)srv->cfg->caution_tolerance_days * MS_PER_DAY,
	};

	return p;
}

/* How movements prepare the morning dose, from the config. */
struct movement_policy
server_movement_policy(const struct server *srv)
{
	struct movement_policy	p = {
		(int64_t)srv->cfg->move_margin_minutes * MS_PER_MINUTE,
		(int64_t)srv->cfg->move_lead_minutes * MS_PER_MINUTE,
		srv->cfg->move_earliest_minute,
		(int64_t)srv->cfg->move_past_tolerance_minutes * MS_PER_MINUTE,
		(int64_t)srv->cfg->move_max_ahead_days * MS_PER_DAY,
	};

	return p;
}

/* How observations are planned, from the config. */
struct observation_policy
server_observation_policy(const struct server *srv)
{
	const struct config		*c = srv->cfg;
	struct observation_policy	 p = {
		(int64_t)c->obs_plan_hours * MS_PER_HOUR,
		(int64_t)c->obs_base_interval_minutes * MS_PER_MINUTE,
		(int64_t)c->obs_low_interval_minutes * MS_PER_MINUTE,
		(int64_t)c->obs_medium_interval_minutes * MS_PER_MINUTE,
		(int64_t)c->obs_high_interval_minutes * MS_PER_MINUTE,
		(int64_t)c->obs_grace_minutes * MS_PER_MINUTE,
		(int64_t)c->obs_max_past_hours * MS_PER_HOUR,
	};

	return p;
}

/* After anything committed: send the stream what is new and arm the
 * scheduler for the earliest deadline now pending. */
void
server_changed(struct server *srv)
{
	stream_publish(srv);
	scheduler_arm(srv);
}
