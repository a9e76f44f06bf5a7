/* POST /v1/test/clock, only with --test-clock and by an admin: set or
 * advance the daemon's clock so tests can run days in seconds.  The
 * offset is stored, so a restarted daemon keeps the test's time. */
#include "api.h"
#include "request.h"
#include "server.h"
#include "store.h"

#define TEST_CLOCK_MAX_ADVANCE	(INT64_C(366) * 24 * 3600)

int
api_test_clock(struct request *r)
{
	static const char *const fields[] = { "now", "advance_seconds", NULL };
	json_t		*adv = json_object_get(r->body, "advance_seconds");
	int64_t		 target, offset;
	int		 has_now;

	if (json_in_allowed(r, r->body, fields) == -1 ||
	    json_in_instant(r, r->body, "now", 0, &target, &has_now) == -1)
		return -1;
	if (has_now == (adv != NULL))
		return request_error(r, 400, "invalid_body",
		    "give either now or advance_seconds");
	/* The scheduler catches up on every deadline in between in one
	 * transaction: years of doses would hold the daemon for minutes
	 * (found by tests/fuzz/fuzz_router). */
	if (has_now && target > r->now + TEST_CLOCK_MAX_ADVANCE * 1000)
		return request_error(r, 400, "invalid_field", "now may be at "
		    "most a year ahead of the daemon's clock");
	if (adv != NULL) {
		if (!json_is_integer(adv) || json_integer_value(adv) < 0 ||
		    json_integer_value(adv) > TEST_CLOCK_MAX_ADVANCE)
			return request_error(r, 400, "invalid_field",
			    "advance_seconds must be a whole number of "
			    "seconds from 0 to a year (set now to go "
			    "back)");
		target = r->now + json_integer_value(adv) * 1000;
	}
	offset = target - clock_system_ms();
	if (store_meta_set(r->srv->store, "test_clock_offset_ms", offset) !=
	    STORE_OK ||
	    store_audit_append(r->srv->store, r->now, r->staff.id,
	    "test.clock", "clock", "", json_pack("{s:o,s:o}", "from",
	    json_instant(r->now), "to", json_instant(target))) != STORE_OK)
		return request_store_failed(r);
	r->srv->clock.offset_ms = offset;
	request_reply(r, 200, json_pack("{s:o}", "now", json_instant(target)));
	return 0;
}
