/* What every part of the running daemon shares: one event base, the
 * config, the store and the clock. */
#ifndef IDTSD_SERVER_H
#define IDTSD_SERVER_H

#include "alert.h"
#include "clock.h"
#include "config.h"
#include "caution.h"
#include "continuity.h"
#include "dose.h"
#include "movement.h"
#include "observation.h"

struct event_base;
struct store;
struct http;
struct scheduler;
struct streams;
struct signing_key;
struct establishment;

struct server {
	struct event_base	*base;
	const struct config	*cfg;
	struct store		*store;
	struct clock		 clock;
	struct http		*http;
	struct scheduler	*scheduler;
	struct streams		*streams;
	struct signing_key	*audit_key;	/* NULL: no anchoring */
	struct establishment	*establishment;	/* its key, whom it trusts */
};

/* The event loop's priorities: everything runs at the middle one, and a
 * batch of requests commits at the last, when nothing else is ready
 * (http_batch.c). */
#define SERVER_PRIORITIES	3
#define SERVER_PRIORITY_LAST	(SERVER_PRIORITIES - 1)

struct care_clock_policy server_clock_policy(const struct server *);
struct alert_policy server_alert_policy(const struct server *);
struct dose_policy server_dose_policy(const struct server *);
struct caution_policy server_caution_policy(const struct server *);
struct observation_policy server_observation_policy(const struct server *);
struct movement_policy server_movement_policy(const struct server *);
void	server_changed(struct server *);

#endif
