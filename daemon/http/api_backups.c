/* POST /v1/backups takes an online backup now, off the event loop, and
 * answers once it is verified, in place and recorded; GET /v1/backups
 * lists the latest (admins). */
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

/* The answer to the backup asked for: 201 with it, 503 backup_failed
 * with why, or 503 store_unavailable if it could not be recorded. */
static void
api_backup_answer(struct request *r, const struct backup_record *b, int rc)
{
	if (rc == -1)
		request_set_store_failed(r);
	else if (rc == 1)
		request_set_error(r, 503, "backup_failed", "the backup failed "
		    "and was not kept: %s", b->error);
	else
		request_reply(r, 201, api_backup_json(b));
}

/* The backup asked for is recorded (or could not be): answer the request
 * that waited for it. */
static void
api_backup_done(const struct backup_record *b, int rc, void *call)
{
	api_backup_answer(request_resumed(call), b, rc);
	request_resume(call);
}

/* POST /v1/backups (no body).  The backup is made off the loop, by the
 * child the scheduled ones use, and the request waits for it: answered
 * once it is verified, in place and recorded.  One that cannot even be
 * started is recorded, audited and alerted now; one asked for while
 * another is being made, 409 backup_running. */
int
api_backup_create(struct request *r)
{
	static const char *const fields[] = { NULL };
	struct backup_record	 b;
	int			 rc;

	if (json_in_allowed(r, r->body, fields) == -1)
		return -1;
	if (r->call == NULL)
		return request_error(r, 500, "internal", "this request cannot "
		    "wait for a backup");
	rc = backups_ask(r->srv, r->now, r->staff.id, api_backup_done,
	    r->call, &b);
	if (rc == 0) {
		request_defer(r);
		return 0;
	}
	if (rc == 2)
		return request_error(r, 409, "backup_running", "a backup is "
		    "being made already (%s): GET /v1/backups lists it when "
		    "it is done", b.file);
	if (rc == -1)
		return request_store_failed(r);
	r->keep_changes = 1;
	api_backup_answer(r, &b, 1);
	return -1;
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
