/* GET /v1/health: is the daemon up, and what time does it think it is. */
#include "api.h"
#include "request.h"
#include "server.h"
#include "store.h"

#ifndef IDTSD_VERSION
#define IDTSD_VERSION "unknown"
#endif

int
api_health(struct request *r)
{
	int	version = store_user_version(r->srv->store);

	if (version < 0)
		return request_store_failed(r);
	request_reply(r, 200, json_pack("{s:s,s:s,s:o,s:i,s:b}", "status", "ok",
	    "version", IDTSD_VERSION, "now", json_instant(r->now),
	    "schema_version", version, "test_clock", r->srv->clock.test));
	return 0;
}
