/* POST /v1/movements/{id}/follow-up {attended, on, note}: reception or a
 * nurse records whether the community appointment after a release was
 * kept; follow_up_record() decides whether that met the 21 days. */
#include <stdlib.h>

#include "api.h"
#include "follow_up.h"
#include "request.h"
#include "server.h"
#include "store.h"
#include "store_follow_ups.h"

/* A follow-up as answered. */
static json_t *
api_follow_up_json(const struct follow_up *f, const char *note, int64_t now)
{
	char	last[TIMEFMT_DATE_LEN], on[TIMEFMT_DATE_LEN];

	timefmt_format_date(follow_up_last_day(f), last);
	timefmt_format_date(f->on, on);
	return json_pack("{s:s,s:s,s:o,s:o,s:s,s:s,s:o,s:o,s:o,s:o}",
	    "movement_id", f->movement_id, "patient_id", f->patient_id,
	    "released_at", json_instant(f->released_at),
	    "due_at", json_instant(f->due_at), "last_day", last,
	    "state", follow_up_state(f, now),
	    "attended", f->recorded ? json_boolean(f->attended) : json_null(),
	    "on", f->recorded ? json_string(on) : json_null(),
	    "met", f->recorded ? json_boolean(f->met) : json_null(),
	    "note", note != NULL ? json_string(note) : json_null());
}

/* The follow-up clock of the movement in the path, or -1 with a 404 or a
 * 409 if the movement is not a release that departed with one. */
static int
api_follow_up_load(struct request *r, struct follow_up *f)
{
	struct store_movement_row	*row;
	enum store_result		 sr;
	int				 rc;

	if ((row = malloc(sizeof *row)) == NULL)
		return request_error(r, 503, "out_of_memory", "try again");
	rc = api_movement_load(r, row);
	free(row);
	if (rc == -1)
		return -1;
	sr = store_follow_up_get(r->srv->store, r->params[0], f);
	if (sr == STORE_ERROR)
		return request_store_failed(r);
	if (sr != STORE_OK)
		return request_error(r, 409, "no_follow_up", "movement %s is "
		    "not a release that departed with a community follow-up",
		    r->params[0]);
	return 0;
}

/* POST /v1/movements/{id}/follow-up */
int
api_follow_up_record(struct request *r)
{
	static const char *const fields[] = { "attended", "on", "note", NULL };
	struct follow_up	 f;
	struct civil_date	 on;
	struct refusal		 why;
	const char		*note;
	int			 attended;

	if (json_in_allowed(r, r->body, fields) == -1 ||
	    json_in_bool(r, r->body, "attended", 1, &attended) == -1 ||
	    json_in_date(r, r->body, "on", 1, &on, NULL) == -1 ||
	    json_in_string(r, r->body, "note", 0, FOLLOW_UP_NOTE_MAX,
	    &note) == -1 || api_follow_up_load(r, &f) == -1)
		return -1;
	if (follow_up_record(&f, attended, on, r->now, &why) == -1)
		return request_refused(r, &why);
	if (store_follow_up_record(r->srv->store, &f, note, r->staff.id) !=
	    STORE_OK || store_alerts_ack_subject(r->srv->store, f.movement_id,
	    r->staff.id, r->now, "community follow-up recorded") != STORE_OK ||
	    store_audit_append(r->srv->store, r->now, r->staff.id,
	    "follow_up.record", "movement", f.movement_id,
	    json_pack("{s:b,s:s,s:b}", "attended", f.attended, "on",
	    json_string_value(json_object_get(r->body, "on")), "met",
	    f.met)) != STORE_OK)
		return request_store_failed(r);
	request_reply(r, 200, api_follow_up_json(&f, note, r->now));
	return 0;
}
