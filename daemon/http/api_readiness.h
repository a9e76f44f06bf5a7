/* What the readiness register's handlers share (api_readiness.c): the
 * live evidence beside sections 6, 15, 23, 33 and 35
 * (api_readiness_live.c) and the printable Statement of Readiness
 * (api_statement.c), both made from the register as answered. */
#ifndef IDTSD_API_READINESS_H
#define IDTSD_API_READINESS_H

#include <stdint.h>

#include <jansson.h>

#include "timefmt.h"

struct request;

json_t	*api_readiness_period_json(struct civil_date from,
	    struct civil_date to);
int	 api_readiness_live(struct request *, json_t *register_json,
	    struct civil_date from, struct civil_date to);
int	 api_readiness_statement(struct request *, json_t *register_json);

/* Who is on duty at an instant, by username, from the rota's duties
 * (api_rota.c): beside each round, and each dose of the round. */
struct batch;
json_t	*api_rota_on_duty(const struct batch *duties, int64_t at);

#endif
