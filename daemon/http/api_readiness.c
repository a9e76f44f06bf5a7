/* The readiness register (issue 20): GET /v1/readiness, every section of
 * the IDTS toolkit with its status, the verdicts readiness_judge() gives
 * and the daemon's own figures beside the sections it can speak to (as
 * JSON, or the printable Statement of Readiness for Accept: text/html);
 * PUT /v1/readiness/{number}, a status with its evidence, owner and
 * target date, audited and kept; GET /v1/readiness/history. */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_readiness.h"
#include "request.h"
#include "server.h"
#include "store.h"
#include "store_readiness.h"

/* A status as answered: its name, or null for none recorded. */
static json_t *
api_readiness_status_json(enum readiness_status s)
{
	return s == READINESS_NONE ? json_null() :
	    json_string(readiness_status_name(s));
}

/* A person, or null for none. */
static json_t *
api_readiness_person(const struct store_person *p)
{
	return p->id[0] == '\0' ? json_null() : api_person_json(p);
}

/* One section with what was recorded of it. */
static json_t *
api_readiness_section_json(const struct store_readiness_row *row)
{
	const struct readiness_section	*sec = readiness_section(row->number);
	int				 none = row->status == READINESS_NONE;

	return json_pack("{s:i,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:n}",
	    "number", sec->number, "heading", sec->heading, "group",
	    sec->group, "outcome", sec->outcome, "minimum",
	    readiness_status_name(sec->minimum), "status",
	    api_readiness_status_json(row->status), "evidence", none ?
	    json_null() : json_string(row->evidence), "owner",
	    api_readiness_person(&row->owner), "target_date",
	    row->target_date[0] != '\0' ? json_string(row->target_date) :
	    json_null(), "updated_at", json_instant_or_null(row->at),
	    "updated_by", api_readiness_person(&row->by), "live");
}

/* A verdict: ready, and the sections that block it. */
static json_t *
api_readiness_verdict_json(const struct readiness_verdict *v)
{
	json_t	*blocking = json_array();
	int	 i;

	for (i = 0; i < v->nblocking; i++)
		json_array_append_new(blocking, json_pack("{s:i,s:s,s:o,s:s}",
		    "number", v->blocking[i].number, "heading",
		    v->blocking[i].heading, "status",
		    api_readiness_status_json(v->blocking[i].status),
		    "minimum", readiness_status_name(v->blocking[i].minimum)));
	return json_pack("{s:b,s:o}", "ready", v->ready, "blocking",
	    blocking);
}

/* The register as answered, judged. */
static json_t *
api_readiness_json(const struct store_readiness_row *rows,
    const struct readiness_judgement *j, json_t *period)
{
	json_t	*sections = json_array();
	int	 i;

	for (i = 0; i < READINESS_SECTIONS; i++)
		json_array_append_new(sections,
		    api_readiness_section_json(&rows[i]));
	return json_pack("{s:o,s:o,s:o,s:i,s:i,s:i,s:o}", "sections",
	    sections, "go_live", api_readiness_verdict_json(&j->go_live),
	    "commissioning", api_readiness_verdict_json(&j->commissioning),
	    "green", j->green, "amber", j->amber, "red", j->red, "period",
	    period);
}

/* ?from= and ?to= (local dates): the period of the live evidence, by
 * default the 28 days to today; -1 after a 400. */
static int
api_readiness_period(struct request *r, struct civil_date *from,
    struct civil_date *to)
{
	char	buf[16];
	int	rc;

	*to = calendar_local_date(r->now);
	*from = calendar_add_days(*to, -27);
	if ((rc = request_query(r, "from", buf, sizeof buf)) == -1 ||
	    (rc == 0 && timefmt_parse_date(buf, from) == -1))
		return rc == -1 ? -1 : request_error(r, 400, "invalid_query",
		    "from is a local date written YYYY-MM-DD");
	if ((rc = request_query(r, "to", buf, sizeof buf)) == -1 ||
	    (rc == 0 && timefmt_parse_date(buf, to) == -1))
		return rc == -1 ? -1 : request_error(r, 400, "invalid_query",
		    "to is a local date written YYYY-MM-DD");
	if (timefmt_date_cmp(*from, *to) > 0)
		return request_error(r, 400, "invalid_query",
		    "from must not be after to");
	return 0;
}

/* GET /v1/readiness[?from=&to=] */
int
api_readiness_get(struct request *r)
{
	struct store_readiness_row	*rows;
	enum readiness_status		 status[READINESS_SECTIONS];
	struct readiness_judgement	 j;
	struct civil_date		 from, to;
	json_t				*o;
	int				 i, rc = -1;

	if (api_readiness_period(r, &from, &to) == -1)
		return -1;
	if ((rows = calloc(READINESS_SECTIONS, sizeof *rows)) == NULL)
		return request_store_failed(r);
	if (store_readiness_list(r->srv->store, rows) != STORE_OK) {
		free(rows);
		return request_store_failed(r);
	}
	for (i = 0; i < READINESS_SECTIONS; i++)
		status[i] = rows[i].status;
	readiness_judge(status, &j);
	o = api_readiness_json(rows, &j, api_readiness_period_json(from, to));
	free(rows);
	if (api_readiness_live(r, o, from, to) == -1)
		json_decref(o);
	else if (request_accepts(r, "text/html"))
		rc = api_readiness_statement(r, o);
	else {
		request_reply(r, 200, o);
		rc = 0;
	}
	return rc;
}

/* The section number in the path; -1 after a 404. */
static int
api_readiness_number(struct request *r, int *number)
{
	char	*end;
	long	 n;

	n = strtol(r->params[0], &end, 10);
	if (*end != '\0' || end == r->params[0] || readiness_section(
	    (int)n) == NULL || r->params[0][0] == '0' ||
	    r->params[0][0] == '+' || r->params[0][0] == '-')
		return request_error(r, 404, "not_found", "there is no "
		    "section %s of the readiness toolkit: they are 1 to 35",
		    r->params[0]);
	*number = (int)n;
	return 0;
}

/* owner: the username of a member of staff, into row; -1 after a 4xx. */
static int
api_readiness_owner(struct request *r, struct store_readiness_row *row)
{
	const char		*name;
	struct staff		 s;
	enum store_result	 sr;

	if (json_in_string(r, r->body, "owner", 0, USERNAME_MAX, &name) == -1)
		return -1;
	if (name == NULL)
		return 0;
	sr = store_staff_by_username(r->srv->store, name, &s);
	if (sr == STORE_ERROR)
		return request_store_failed(r);
	if (sr != STORE_OK)
		return request_error(r, 422, "unknown_owner", "the owner must "
		    "be a member of staff: there is nobody called %s", name);
	api_person_from_staff(&s, &row->owner);
	return 0;
}

/* The body of PUT /v1/readiness/{number} into row; -1 after a 4xx. */
static int
api_readiness_body(struct request *r, struct store_readiness_row *row)
{
	static const char *const fields[] = { "status", "evidence", "owner",
	    "target_date", NULL };
	const char		*status, *evidence;
	struct civil_date	 target;
	int			 has_target;

	if (json_in_allowed(r, r->body, fields) == -1 ||
	    json_in_string(r, r->body, "status", 1, 5, &status) == -1 ||
	    json_in_string(r, r->body, "evidence", 0, READINESS_EVIDENCE_MAX,
	    &evidence) == -1 ||
	    json_in_date(r, r->body, "target_date", 0, &target,
	    &has_target) == -1)
		return -1;
	if (readiness_status_parse(status, &row->status) == -1)
		return request_error(r, 400, "invalid_field",
		    "status is red, amber or green");
	snprintf(row->evidence, sizeof row->evidence, "%s",
	    evidence != NULL ? evidence : "");
	if (has_target)
		timefmt_format_date(target, row->target_date);
	return api_readiness_owner(r, row);
}

/* PUT /v1/readiness/{number}: {status, evidence, owner, target_date} */
int
api_readiness_put(struct request *r)
{
	struct store_readiness_row	*row;
	char				 id[4];
	int				 rc = -1;

	if ((row = calloc(1, sizeof *row)) == NULL)
		return request_store_failed(r);
	if (api_readiness_number(r, &row->number) == -1 ||
	    api_readiness_body(r, row) == -1)
		goto out;
	row->at = r->now;
	api_person_from_staff(&r->staff, &row->by);
	snprintf(id, sizeof id, "%d", row->number);
	if (store_readiness_put(r->srv->store, row) != STORE_OK ||
	    store_audit_append(r->srv->store, r->now, r->staff.id,
	    "readiness.set", "readiness", id, json_pack("{s:i,s:s,s:s,s:s?,"
	    "s:s?}", "number", row->number, "status",
	    readiness_status_name(row->status), "evidence", row->evidence,
	    "owner", row->owner.id[0] ? row->owner.username : NULL,
	    "target_date", row->target_date[0] ? row->target_date : NULL)) !=
	    STORE_OK) {
		request_set_store_failed(r);
		goto out;
	}
	request_reply(r, 200, api_readiness_section_json(row));
	rc = 0;
out:
	free(row);
	return rc;
}

static void
api_readiness_history_one(const struct store_readiness_row *row, void *arg)
{
	json_t	*o = api_readiness_section_json(row);

	json_object_del(o, "live");
	json_object_del(o, "outcome");
	json_object_del(o, "minimum");
	json_object_del(o, "group");
	json_object_set(o, "changed_at", json_object_get(o, "updated_at"));
	json_object_set(o, "changed_by", json_object_get(o, "updated_by"));
	json_object_del(o, "updated_at");
	json_object_del(o, "updated_by");
	json_array_append_new(arg, o);
}

/* GET /v1/readiness/history[?number=N]: every change, oldest first. */
int
api_readiness_history(struct request *r)
{
	char	 buf[8], *end;
	long	 n = 0;
	json_t	*list;
	int	 rc;

	if ((rc = request_query(r, "number", buf, sizeof buf)) == -1)
		return -1;
	if (rc == 0) {
		n = strtol(buf, &end, 10);
		if (*end != '\0' || readiness_section((int)n) == NULL)
			return request_error(r, 400, "invalid_query", "number "
			    "is a section of the readiness toolkit, 1 to 35");
	}
	list = json_array();
	if (store_readiness_history(r->srv->store, (int)n,
	    api_readiness_history_one, list) != STORE_OK) {
		json_decref(list);
		return request_store_failed(r);
	}
	request_reply(r, 200, list);
	return 0;
}
