/* POST /v1/backups takes an online backup now and answers once it is
 * verified and in place; GET /v1/backups lists the latest (admins). */
#include "api.h"
#include "backups.h"
#include "request.h"
#include "server.h"
#include "store.h"
#include "store_backup.h"

#define BACKUPS_LISTED	100

/* An instant, or null for 0. */
static json_t *
api_backup_instant(int64_t at)
{
	return at != 0 ? json_instant(at) : json_null();
}

/* A backup as the API shows it. */
static json_t *
api_backup_json(const struct backup_record *b)
{
	return json_pack("{s:s,s:s,s:I,s:b,s:o,s:o,s:o,s:s?,s:o}", "id", b->id,
	    "file", b->file, "bytes", (json_int_t)b->bytes, "verified",
	    b->verified, "audit_head", b->verified ?
	    json_integer(b->audit_head) : json_null(), "taken_at",
	    json_instant(b->started_at), "audit_at",
	    api_backup_instant(b->audit_at), "error", b->verified ? NULL :
	    b->error, "pruned_at", api_backup_instant(b->pruned_at));
}

/* POST /v1/backups (no body).  A failure is recorded, audited and
 * alerted, and answered 503 backup_failed with why. */
int
api_backup_create(struct request *r)
{
	static const char *const fields[] = { NULL };
	struct backup_record	 b;
	int			 rc;

	if (json_in_allowed(r, r->body, fields) == -1)
		return -1;
	if ((rc = backups_take(r->srv, r->now, r->staff.id, &b)) == -1)
		return request_store_failed(r);
	if (rc == 1) {
		r->keep_changes = 1;
		return request_error(r, 503, "backup_failed", "the backup "
		    "failed and was not kept: %s", b.error);
	}
	request_reply(r, 201, api_backup_json(&b));
	return 0;
}

/* Append one backup to the list. */
static void
api_backup_one(const struct backup_record *b, void *arg)
{
	json_array_append_new(arg, api_backup_json(b));
}

/* GET /v1/backups: the latest backups, newest first, failures too. */
int
api_backup_list(struct request *r)
{
	json_t	*list = json_array();

	if (store_backup_list(r->srv->store, BACKUPS_LISTED,
	    STORE_BACKUPS_ALL, api_backup_one, list) != STORE_OK) {
		json_decref(list);
		return request_store_failed(r);
	}
	request_reply(r, 200, json_pack("{s:o}", "backups", list));
	return 0;
}
