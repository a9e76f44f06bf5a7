/* The duty rota (issue 20): PUT /v1/rota/{date}, a day's shifts with
 * their staff, replaced whole; GET /v1/rota?from=&to=, the rota with the
 * controlled-drug cover check (cover_check()) of each dose round. */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_readiness.h"
#include "request.h"
#include "roles.h"
#include "rota.h"
#include "server.h"
#include "store.h"
#include "store_readiness.h"

#define ROTA_MAX_SHIFTS		12	/* a day's */
#define ROTA_MAX_STAFF		20	/* a shift's */
#define ROTA_MAX_SHIFT_MS	(24 * MS_PER_HOUR)

/* A shift as read from the body, before anything is written. */
struct api_rota_shift {
	struct store_rota_row	row;
	char			staff[ROTA_MAX_STAFF][UUID_STR_LEN];
	int			nstaff;
};

/* A local time of the shift (HH:MM on the rota's date, "tomorrow 07:30",
 * "2027-01-16 07:30"); -1 after a 400. */
static int
api_rota_time(struct request *r, const json_t *shift, const char *name,
    struct civil_date date, int64_t *out)
{
	struct timefmt_local	 t;
	const char		*s;

	if (json_in_string(r, shift, name, 1, 40, &s) == -1)
		return -1;
	if (timefmt_parse_local(s, calendar_local_time(date, 12 * 60),
	    calendar_utc_offset, &t) == -1)
		return request_error(r, 400, "invalid_field", "shifts[].%s "
		    "is a local time such as 07:30 (on the rota's date), "
		    "tomorrow 07:30 or 2027-01-16 07:30: %s", name,
		    t.error == TIMEFMT_LOCAL_MALFORMED ? "not understood" :
		    t.why);
	*out = t.ms;
	return 0;
}

/* The staff of a shift: usernames of staff, each once; -1 after a 4xx. */
static int
api_rota_staff(struct request *r, const json_t *shift,
    struct api_rota_shift *out)
{
	const json_t		*list, *v;
	struct staff		 s;
	enum store_result	 sr;
	size_t			 i;
	int			 j;

	if (json_in_array(r, shift, "staff", 1, &list) == -1)
		return -1;
	if (json_array_size(list) > ROTA_MAX_STAFF)
		return request_error(r, 400, "invalid_field", "a shift has at "
		    "most %d staff", ROTA_MAX_STAFF);
	json_array_foreach(list, i, v) {
		if (!json_is_string(v) ||
		    validate_username(json_string_value(v)) == -1)
			return request_error(r, 400, "invalid_field",
			    "shifts[].staff holds usernames");
		sr = store_staff_by_username(r->srv->store,
		    json_string_value(v), &s);
		if (sr == STORE_ERROR)
			return request_store_failed(r);
		if (sr != STORE_OK)
			return request_error(r, 422, "unknown_staff", "there "
			    "is no member of staff called %s to put on the "
			    "rota", json_string_value(v));
		for (j = 0; j < out->nstaff; j++)
			if (strcmp(out->staff[j], s.id) == 0)
				return request_error(r, 400, "invalid_field",
				    "%s is named twice on one shift",
				    s.username);
		strcpy(out->staff[out->nstaff++], s.id);
	}
	return 0;
}

/* One shift of the body; -1 after a 4xx. */
static int
api_rota_shift(struct request *r, const json_t *shift, const char *date,
    struct civil_date day, struct api_rota_shift *out)
{
	static const char *const fields[] = { "name", "starts", "ends",
	    "staff", NULL };
	struct store_rota_row	*row = &out->row;
	const char		*name;
	char			 starts_on[TIMEFMT_DATE_LEN];

	if (!json_is_object(shift))
		return request_error(r, 400, "invalid_field",
		    "shifts holds objects {name, starts, ends, staff}");
	if (json_in_allowed(r, shift, fields) == -1 ||
	    json_in_string(r, shift, "name", 1, ROTA_NAME_MAX, &name) == -1 ||
	    api_rota_time(r, shift, "starts", day, &row->duty.starts) == -1 ||
	    api_rota_time(r, shift, "ends", day, &row->duty.ends) == -1)
		return -1;
	snprintf(row->name, sizeof row->name, "%s", name);
	snprintf(row->date, sizeof row->date, "%s", date);
	timefmt_format_date(calendar_local_date(row->duty.starts), starts_on);
	if (strcmp(starts_on, date) != 0)
		return request_error(r, 422, "shift_not_on_date", "the %s "
		    "shift starts on %s, not on %s: put it on that date's rota",
		    name, starts_on, date);
	if (row->duty.ends <= row->duty.starts)
		return request_error(r, 422, "shift_ends_before_start", "the "
		    "%s shift ends before it starts (a night shift ends "
		    "\"tomorrow 07:30\")", name);
	if (row->duty.ends - row->duty.starts > ROTA_MAX_SHIFT_MS)
		return request_error(r, 422, "shift_too_long", "the %s shift "
		    "is longer than 24 hours", name);
	return api_rota_staff(r, shift, out);
}

/* Write the day's shifts in place of those it had. */
static int
api_rota_store(struct request *r, const char *date,
    struct api_rota_shift *shifts, int n)
{
	int	i, j;

	if (store_rota_clear(r->srv->store, date) != STORE_OK)
		return request_store_failed(r);
	for (i = 0; i < n; i++) {
		validate_new_uuid(shifts[i].row.shift_id);
		if (store_rota_shift_add(r->srv->store, &shifts[i].row, i) !=
		    STORE_OK)
			return request_store_failed(r);
		for (j = 0; j < shifts[i].nstaff; j++)
			if (store_rota_staff_add(r->srv->store,
			    shifts[i].row.shift_id, shifts[i].staff[j]) !=
			    STORE_OK)
				return request_store_failed(r);
	}
	if (store_audit_append(r->srv->store, r->now, r->staff.id, "rota.set",
	    "rota", date, json_pack("{s:s,s:i}", "date", date, "shifts", n)) !=
	    STORE_OK)
		return request_store_failed(r);
	return 0;
}

/* The answer being made: a day's object by date. */
struct api_rota_days {
	json_t			*days;		/* array, a day from from */
	struct civil_date	 from;
	char			 shift_id[UUID_STR_LEN]; /* the last added */
};

/* The day of date in the answer (days are in order, from from). */
static json_t *
api_rota_day(json_t *days, struct civil_date from, struct civil_date date)
{
	return json_array_get(days, (size_t)(timefmt_days_from_civil(date) -
	    timefmt_days_from_civil(from)));
}

/* A row of the rota: a new shift of its day, or one more of its staff. */
static void
api_rota_row(const struct store_rota_row *row, void *arg)
{
	struct api_rota_days	*d = arg;
	struct civil_date	 date;
	json_t			*day, *shifts, *shift;

	if (timefmt_parse_date(row->date, &date) == -1 ||
	    (day = api_rota_day(d->days, d->from, date)) == NULL)
		return;
	shifts = json_object_get(day, "shifts");
	if (strcmp(d->shift_id, row->shift_id) != 0) {
		json_array_append_new(shifts, json_pack("{s:s,s:o,s:o,s:[]}",
		    "name", row->name, "starts", json_instant(row->duty.starts),
		    "ends", json_instant(row->duty.ends), "staff"));
		snprintf(d->shift_id, sizeof d->shift_id, "%s", row->shift_id);
	}
	shift = json_array_get(shifts, json_array_size(shifts) - 1);
	if (row->duty.username[0] != '\0')
		json_array_append_new(json_object_get(shift, "staff"),
		    json_pack("{s:s,s:s,s:o,s:b}", "username",
		    row->duty.username, "display_name", row->display_name,
		    "roles", roles_to_json(row->duty.roles), "active",
		    row->duty.active));
}

/* Who is on duty at at, each once, by username. */
json_t *
api_rota_on_duty(const struct batch *duties, int64_t at)
{
	const struct cover_duty	*d;
	json_t			*list = json_array(), *v;
	size_t			 i, j;

	for (i = 0; i < duties->n; i++) {
		d = batch_item(duties, i);
		if (!cover_on_duty(d, at))
			continue;
		json_array_foreach(list, j, v)
			if (strcmp(json_string_value(v), d->username) == 0)
				break;
		if (j == json_array_size(list))
			json_array_append_new(list, json_string(d->username));
	}
	return list;
}

/* A duty's username, or null for none. */
static json_t *
api_rota_who(const struct rota_cover *rc, int i)
{
	const struct cover_duty	*d;

	if (i < 0)
		return json_null();
	d = batch_item(&rc->duties, (size_t)i);
	return json_string(d->username);
}

/* Each round checked, on its day. */
static void
api_rota_rounds(json_t *days, struct civil_date from,
    const struct rota_cover *rc)
{
	const struct cover_round	*c;
	json_t				*day;
	int				 i;

	for (i = 0; i < rc->check.nrounds; i++) {
		c = &rc->check.round[i];
		if ((day = api_rota_day(days, from, c->date)) == NULL)
			continue;
		json_array_append_new(json_object_get(day, "rounds"),
		    json_pack("{s:o,s:b,s:o,s:o,s:o,s:o}", "at",
		    json_instant(c->at), "covered", c->covered, "nurse",
		    api_rota_who(rc, c->nurse), "witness",
		    api_rota_who(rc, c->witness), "on_duty",
		    api_rota_on_duty(&rc->duties, c->at), "why", c->covered ?
		    json_null() : json_string(c->why)));
	}
}

/* The days from from to to, each with no shifts or rounds yet. */
static json_t *
api_rota_empty_days(const struct server *srv, struct civil_date from,
    struct civil_date to)
{
	json_t			*days = json_array();
	struct civil_date	 d;
	char			 date[TIMEFMT_DATE_LEN];

	for (d = from; timefmt_date_cmp(d, to) <= 0;
	    d = calendar_add_days(d, 1)) {
		timefmt_format_date(d, date);
		json_array_append_new(days, json_pack("{s:s,s:b,s:b,s:[],"
		    "s:[]}", "date", date, "weekend", calendar_weekday(d) ==
		    0 || calendar_weekday(d) == 6, "bank_holiday",
		    calendar_is_bank_holiday(&srv->cfg->calendar, d), "shifts",
		    "rounds"));
	}
	return days;
}

/* Answer the rota of from to to with the cover of its rounds. */
static int
api_rota_answer(struct request *r, struct civil_date from,
    struct civil_date to)
{
	struct api_rota_days	 d = { NULL, from, "" };
	struct rota_cover	*rc;
	char			 f[TIMEFMT_DATE_LEN], t[TIMEFMT_DATE_LEN];
	int			 ndays;

	timefmt_format_date(from, f);
	timefmt_format_date(to, t);
	ndays = (int)(timefmt_days_from_civil(to) -
	    timefmt_days_from_civil(from)) + 1;
	d.days = api_rota_empty_days(r->srv, from, to);
	if (store_rota_by_date(r->srv->store, f, t, api_rota_row, &d) !=
	    STORE_OK || (rc = rota_cover_check(r->srv, from, ndays, 0)) ==
	    NULL) {
		json_decref(d.days);
		return request_store_failed(r);
	}
	api_rota_rounds(d.days, from, rc);
	request_reply(r, 200, json_pack("{s:s,s:s,s:o,s:i}", "from", f, "to",
	    t, "days", d.days, "gaps", rc->check.gaps));
	rota_cover_free(rc);
	return 0;
}

/* A local date of the query, or dflt; -1 after a 400. */
static int
api_rota_query_date(struct request *r, const char *name,
    struct civil_date dflt, struct civil_date *out)
{
	char	buf[16];
	int	rc;

	*out = dflt;
	if ((rc = request_query(r, name, buf, sizeof buf)) == -1)
		return -1;
	if (rc == 0 && timefmt_parse_date(buf, out) == -1)
		return request_error(r, 400, "invalid_query", "%s is a local "
		    "date written YYYY-MM-DD", name);
	return 0;
}

/* GET /v1/rota[?from=][&to=]: today and the next 13 days by default, at
 * most 15 days. */
int
api_rota_get(struct request *r)
{
	struct civil_date	from, to;
	int64_t			span;

	if (api_rota_query_date(r, "from", calendar_local_date(r->now),
	    &from) == -1 || api_rota_query_date(r, "to",
	    calendar_add_days(from, COVER_DAYS - 1), &to) == -1)
		return -1;
	span = timefmt_days_from_civil(to) - timefmt_days_from_civil(from);
	if (span < 0 || span > COVER_DAYS)
		return request_error(r, 400, "invalid_query", "to must be on "
		    "or after from, and at most %d days after it", COVER_DAYS);
	return api_rota_answer(r, from, to);
}

/* PUT /v1/rota/{date}: {shifts: [{name, starts, ends, staff}]} */
int
api_rota_put(struct request *r)
{
	static const char *const fields[] = { "shifts", NULL };
	struct api_rota_shift	*shifts;
	struct civil_date	 day;
	const json_t		*list, *v;
	char			 date[TIMEFMT_DATE_LEN];
	size_t			 i;
	int			 rc = -1;

	if (timefmt_parse_date(r->params[0], &day) == -1)
		return request_error(r, 404, "not_found", "the rota is by "
		    "local date, written YYYY-MM-DD: /v1/rota/2027-01-16");
	timefmt_format_date(day, date);
	if (json_in_allowed(r, r->body, fields) == -1 ||
	    json_in_array(r, r->body, "shifts", 1, &list) == -1)
		return -1;
	if (json_array_size(list) > ROTA_MAX_SHIFTS)
		return request_error(r, 400, "invalid_field", "a day has at "
		    "most %d shifts", ROTA_MAX_SHIFTS);
	if ((shifts = calloc(ROTA_MAX_SHIFTS, sizeof *shifts)) == NULL)
		return request_store_failed(r);
	json_array_foreach(list, i, v)
		if (api_rota_shift(r, v, date, day, &shifts[i]) == -1)
			goto out;
	if (api_rota_store(r, date, shifts, (int)i) == 0)
		rc = api_rota_answer(r, day, day);
out:
	free(shifts);
	return rc;
}
