/* GET /v1/health: is the daemon up, and what time does it think it is. */
#include <stdio.h>

#include "api.h"
#include "request.h"
#include "server.h"
#include "store.h"
#include "timefmt.h"

#ifndef IDTSD_VERSION
#define IDTSD_VERSION "unknown"
#endif

/* The answer is written out directly rather than built with jansson and
 * dumped: monitoring asks for it often, and the five allocations and
 * the dump were a tenth of what answering cost.  Nothing in it needs
 * escaping (the version is ours, the instant digits). */
int
api_health(struct request *r)
{
	int	 version = store_user_version(r->srv->store);
	char	 now[TIMEFMT_INSTANT_LEN], *text;

	if (version < 0)
		return request_store_failed(r);
	timefmt_format_instant(r->now, now);
	if (asprintf(&text, "{\"status\":\"ok\",\"version\":\"%s\","
	    "\"now\":\"%s\",\"schema_version\":%d,\"test_clock\":%s}\n",
	    IDTSD_VERSION, now, version, r->srv->clock.test ? "true" :
	    "false") == -1)
		return request_error(r, 503, "out_of_memory", "the daemon ran "
		    "out of memory; try again");
	request_reply_text(r, 200, "application/json; charset=utf-8", text);
	return 0;
}
