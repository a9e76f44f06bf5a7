/* Alerts: the list, acknowledgement by a named person, and the stream. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "api.h"
#include "request.h"
#include "roles.h"
#include "server.h"
#include "store.h"
#include "stream.h"

/* The list being answered, and who asked. */
struct api_alert_listing {
	json_t		*list;
	unsigned	 roles;
};

/* Append an alert the caller reads (the admins read only the operational
 * ones of the managers' list: alert_may_read()). */
static void
api_alert_list_one(const struct alert *a, void *arg)
{
	struct api_alert_listing	*l = arg;

	if (alert_may_read(a, l->roles))
		json_array_append_new(l->list, api_alert_json(a));
}

/* The audiences, as "ward,reception,...", whose alerts someone with
 * these roles reads; only the one asked for (all when ask is -1).  An
 * empty list reads nothing. */
void
api_alert_audiences(unsigned roles, int ask, char *buf, size_t size)
{
	int	aud;

	buf[0] = '\0';
	for (aud = 0; aud < ALERT_AUDIENCES; aud++)
		if ((ask == -1 || ask == aud) &&
		    (roles & alert_readers((enum alert_audience)aud)) != 0)
			snprintf(buf + strlen(buf), size - strlen(buf), "%s,",
			    alert_audience_name((enum alert_audience)aud));
}

/* GET /v1/alerts[?state=open|all][&audience=ward|manager|...]:
 * newest first, at most 1000, of the audiences the caller reads, and for
 * an admin the operational ones among the managers'. */
int
api_alert_list(struct request *r)
{
	struct api_alert_listing l = { NULL, r->staff.roles };
	enum alert_audience	 aud;
	char			 state[16] = "all", audience[16], readable[128];
	int			 rc;

	if ((rc = request_query(r, "state", state, sizeof state)) == -1)
		return -1;
	if (rc == 0 && strcmp(state, "open") != 0 && strcmp(state, "all") != 0)
		return request_error(r, 400, "invalid_query",
		    "state must be open or all");
	if ((rc = request_query(r, "audience", audience, sizeof audience)) ==
	    -1)
		return -1;
	if (rc == 0 && alert_audience_parse(audience, &aud) == -1)
		return request_error(r, 400, "invalid_query",
		    "audience must be ward, manager, reception, prescriber, "
		    "pharmacy or on_call");
	api_alert_audiences(r->staff.roles | (r->staff.roles & ROLE_ADMIN ?
	    ROLE_MANAGER : 0), rc == 0 ? (int)aud : -1, readable,
	    sizeof readable);
	l.list = json_array();
	if (store_alert_list(r->srv->store, strcmp(state, "open") == 0,
	    readable, api_alert_list_one, &l) != STORE_OK) {
		json_decref(l.list);
		return request_store_failed(r);
	}
	request_reply(r, 200, l.list);
	return 0;
}

/* POST /v1/alerts/{id}/ack {note} */
int
api_alert_ack(struct request *r)
{
	static const char *const fields[] = { "note", NULL };
	struct alert		 a;
	const char		*note;
	enum store_result	 sr = STORE_NOT_FOUND;

	if (json_in_allowed(r, r->body, fields) == -1 ||
	    json_in_string(r, r->body, "note", 0, ALERT_NOTE_MAX, &note) == -1)
		return -1;
	if (validate_uuid(r->params[0]) == 0)
		sr = store_alert_get(r->srv->store, r->params[0], &a);
	if (sr == STORE_ERROR)
		return request_store_failed(r);
	if (sr != STORE_OK)
		return request_error(r, 404, "not_found",
		    "there is no alert %s", r->params[0]);
	if (a.acked_at != 0)
		return request_error(r, 409, "already_acknowledged",
		    "this alert was acknowledged already");
	if (!alert_may_acknowledge(&a, r->staff.roles) &&
	    a.audience == AUDIENCE_WARD)
		return request_error(r, 403, "clinical_role_required",
		    "an alert to the ward is acknowledged only by a nurse, a "
		    "competent person or a prescriber, who can act on it");
	if (!alert_may_acknowledge(&a, r->staff.roles))
		return request_error(r, 403, "forbidden", "an alert to %s "
		    "is acknowledged only by the people it is for, or a "
		    "manager",
		    alert_audience_name(a.audience));
	strcpy(a.acked_by, r->staff.id);
	a.acked_at = r->now;
	snprintf(a.ack_note, sizeof a.ack_note, "%s", note ? note : "");
	sr = store_alert_ack(r->srv->store, &a);
	if (sr == STORE_CONFLICT)
		return request_error(r, 409, "already_acknowledged",
		    "this alert was acknowledged already");
	if (sr != STORE_OK ||
	    store_audit_append(r->srv->store, r->now, r->staff.id, "alert.ack",
	    "alert", a.id, json_pack("{s:s}", "note", a.ack_note)) != STORE_OK)
		return request_store_failed(r);
	request_reply(r, 200, api_alert_json(&a));
	return 0;
}

/* GET /v1/alerts/stream: resumes after Last-Event-ID (the header, or
 * ?last_event_id= for clients that cannot set headers); without one it
 * starts from now: a terminal reads the open alerts with GET /v1/alerts. */
int
api_alert_stream(struct request *r)
{
	char		 query[32];
	const char	*from = r->last_event_id;
	int64_t		 after = -1;
	int		 rc;

	if (from == NULL) {
		rc = request_query(r, "last_event_id", query, sizeof query);
		if (rc == -1)
			return -1;
		if (rc == 0)
			from = query;
	}
	if (from != NULL && stream_parse_event_id(from, &after) == -1)
		return request_error(r, 400, "invalid_last_event_id",
		    "Last-Event-ID must be the id of an event, a whole "
		    "number");
	r->stream = 1;
	r->stream_after = after;
	r->status = 200;
	return 0;
}
