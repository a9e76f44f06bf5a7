/* GET /v1/audit reads the hash-chained log; GET /v1/audit/verify walks it,
 * checks it against the latest signed head and the clinical rows against
 * their entries, and names the first place that does not hold. */
#include <stdlib.h>

#include "anchoring.h"
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

/* What each problem means, for a person. */
static const char *
api_audit_message(enum audit_problem p)
{
	switch (p) {
	case AUDIT_BROKEN:
		return "the audit chain is broken at this entry: it, or one "
		    "before it, was changed or removed";
	case AUDIT_TRUNCATED:
		return "the chain ends before the head the daemon signed: "
		    "entries up to it were removed";
	case AUDIT_REHASHED:
		return "the entry at the signed head has another hash: the "
		    "chain was rewritten and its hashes recomputed";
	case AUDIT_ROW_CHANGED:
		return "this row differs from the digest its last audit "
		    "entry recorded: it was changed outside the daemon";
	case AUDIT_ROW_UNRECORDED:
		return "no audit entry records this row: it was written "
		    "outside the daemon";
	case AUDIT_ROW_MISSING:
		return "an audit entry records this row, which the daemon "
		    "never deletes, and it is gone: it was deleted outside "
		    "the daemon";
	case AUDIT_ANCHOR_MISSING:
		return "audit.key is set but neither the anchor file nor the "
		    "database holds a signed chain head";
	case AUDIT_ANCHOR_INVALID:
		return "a signed chain head does not verify under audit.key: "
		    "it was forged or altered";
	default:
		return "the audit chain, its signed head and the clinical "
		    "rows agree";
	}
}

/* Where the problem is: the entry's seq, or the row. */
static json_t *
api_audit_where(const struct audit_check *c)
{
	if (c->table[0] != '\0')
		return json_pack("{s:s,s:s}", "table", c->table, "id", c->id);
	if (c->seq != 0)
		return json_integer(c->seq);
	return json_null();
}

/* The answer: ok, what was checked, and the first problem and where. */
static json_t *
api_audit_check_json(const struct audit_check *c,
    const struct audit_anchor *a)
{
	json_t	*j;

	j = json_pack("{s:b,s:I,s:I,s:b,s:s}", "ok", c->problem == AUDIT_OK,
	    "entries", (json_int_t)c->entries, "rows", (json_int_t)c->rows,
	    "anchored", a != NULL, "message", a == NULL && c->problem ==
	    AUDIT_OK ? "the chain and the clinical rows agree; anchoring is "
	    "off (audit.key is not set), so a chain truncated or rehashed "
	    "by someone with the database file cannot be told" :
	    api_audit_message(c->problem));
	if (a != NULL)
		json_object_set_new(j, "anchor", json_pack("{s:I,s:s,s:o}",
		    "seq", (json_int_t)a->seq, "hash", a->hash, "at",
		    json_instant(a->at)));
	if (c->problem != AUDIT_OK) {
		json_object_set_new(j, "problem", json_string(
		    audit_problem_name(c->problem)));
		json_object_set_new(j, "at", api_audit_where(c));
	}
	if (c->problem == AUDIT_BROKEN)
		json_object_set_new(j, "first_broken_seq",
		    json_integer(c->seq));
	return j;
}

/* The chain end to end, against the latest signed head, and the clinical
 * rows against their entries; the chain's own break is said first. */
int
api_audit_verify(struct request *r)
{
	struct audit_anchor	a;
	struct audit_check	c;
	enum audit_problem	anchor_problem;
	int			anchored;

	anchored = anchoring_latest(r->srv, &a, &anchor_problem) == 0;
	if (store_audit_verify(r->srv->store, anchored ? &a : NULL, &c) !=
	    STORE_OK)
		return request_store_failed(r);
	if (c.problem == AUDIT_OK && anchor_problem != AUDIT_OK) {
		c.problem = anchor_problem;
		c.seq = 0;
	}
	request_reply(r, 200, api_audit_check_json(&c, anchored ? &a : NULL));
	return 0;
}
