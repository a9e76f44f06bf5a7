/* What every part of the running daemon shares: one event base, the
 * config, the store and the clock. */
#ifndef IDTSD_SERVER_H
#define IDTSD_SERVER_H

#include "clock.h"
#include "config.h"

struct event_base;
struct store;
struct http;

struct server {
	struct event_base	*base;
	const struct config	*cfg;
	struct store		*store;
	struct clock		 clock;
	struct http		*http;
};

#endif
