/* GET /v1/audit reads the hash-chained log; GET /v1/audit/verify walks it
 * and names the first entry that does not hold. */
#include <stdlib.h>

#include "api.h"
#include "audit.h"
#include "request.h"
#include "server.h"
#include "store.h"

#define AUDIT_PAGE_DEFAULT	100
#define AUDIT_PAGE_MAX		1000

/* Append one entry, its detail parsed back into JSON. */
static void
api_audit_one(const struct audit_entry *e, const char *hash, void *arg)
{
	json_t	*detail = json_loads(e->detail, 0, NULL);

	json_array_append_new(arg, json_pack("{s:I,s:o,s:s,s:s,s:s,s:s,s:o,"
	    "s:s}", "seq", (json_int_t)e->seq, "at", json_instant(e->at),
	    "actor_id", e->actor_id, "action", e->action, "record_type",
	    e->record_type, "record_id", e->record_id, "detail",
	    detail ? detail : json_null(), "hash", hash));
}

/* Read a whole-number query parameter in [min, max]; *v is unchanged if
 * it is absent. */
static int
api_audit_number(struct request *r, const char *name, long long min,
    long long max, long long *v)
{
	char	 buf[32], *end;
	int	 rc;

	if ((rc = request_query(r, name, buf, sizeof buf)) != 0)
		return rc == 1 ? 0 : -1;
	*v = strtoll(buf, &end, 10);
	if (buf[0] == '\0' || *end != '\0' || *v < min || *v > max)
		return request_error(r, 400, "invalid_query", "%s must be a "
		    "whole number from %lld to %lld", name, min, max);
	return 0;
}

int
api_audit_list(struct request *r)
{
	long long	 after = 0, limit = AUDIT_PAGE_DEFAULT;
	json_t		*list;

	if (api_audit_number(r, "after", 0, INT64_MAX, &after) == -1 ||
	    api_audit_number(r, "limit", 1, AUDIT_PAGE_MAX, &limit) == -1)
		return -1;
	list = json_array();
	if (store_audit_list(r->srv->store, after, (int)limit, api_audit_one,
	    list) != STORE_OK) {
		json_decref(list);
		return request_store_failed(r);
	}
	request_reply(r, 200, list);
	return 0;
}

int
api_audit_verify(struct request *r)
{
	int64_t	entries, broken;

	if (store_audit_verify(r->srv->store, &entries, &broken) != STORE_OK)
		return request_store_failed(r);
	if (broken == 0)
		request_reply(r, 200, json_pack("{s:b,s:I}", "ok", 1, "entries",
		    (json_int_t)entries));
	else
		request_reply(r, 200, json_pack("{s:b,s:I,s:I,s:s}", "ok", 0,
		    "entries", (json_int_t)entries, "first_broken_seq",
		    (json_int_t)broken, "message", "the audit chain is broken "
		    "at this entry: it, or one before it, was changed or "
		    "removed"));
	return 0;
}
