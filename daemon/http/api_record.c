/* GET /v1/patients/{id}/record: one patient's whole record on one screen
 * (issue 17), in one answer the clients draw: the patient with their
 * clocks, prescriptions (the not-taken run and hold) and observation
 * plan; where they are; today's and the week's doses with who gave and
 * who witnessed them; the last observations with the NEWS2 trend; their
 * movements, the open alerts about them the caller reads, and the
 * corrections of their record. */
#include <string.h>

#include "api.h"
#include "calendar.h"
#include "dose.h"
#include "handover.h"
#include "request.h"
#include "server.h"
#include "store.h"

#define RECORD_DOSE_DAYS	7	/* today and the six before */
#define RECORD_OBSERVATIONS	12	/* the last, newest first */
#define RECORD_MOVEMENT_DAYS	366	/* booked ahead */

struct api_record_ctx {
	struct request	*r;
	const char	*patient_id;
	char		 audiences[128];
	json_t		*list;
	int		 failed;
};

/* Add a dose of the patient's, as the dose list answers it. */
static void
api_record_dose(const struct store_dose_row *row, void *arg)
{
	struct api_record_ctx	*ctx = arg;

	json_array_append_new(ctx->list, api_dose_json(row, ctx->r->now));
}

/* The patient's doses due today and the six days before, in time order,
 * each with its strike-out (null if none). */
static int
api_record_doses(struct api_record_ctx *ctx, json_t **out)
{
	struct civil_date	today = calendar_local_date(ctx->r->now);
	json_t			*o;
	size_t			 i;

	ctx->list = *out = json_array();
	if (store_dose_list(ctx->r->srv->store, calendar_local_midnight(
	    calendar_add_days(today, 1 - RECORD_DOSE_DAYS)),
	    calendar_local_midnight(calendar_add_days(today, 1)),
	    ctx->patient_id, api_record_dose, ctx) != STORE_OK)
		return -1;
	json_array_foreach(*out, i, o)
		if (api_dose_mark(ctx->r, json_string_value(json_object_get(o,
		    "id")), o) == -1)
			return -1;
	return 0;
}

/* The NEWS2 of the observations listed (newest first), those struck out
 * left out: the last, its trend (handover_trend()), and the totals
 * oldest first for a sparkline. */
static json_t *
api_record_news2(const json_t *observations)
{
	int		 totals[RECORD_OBSERVATIONS];
	size_t		 i, n = 0;
	const json_t	*o;
	json_t		*series = json_array();

	json_array_foreach(observations, i, o)
		if (n < RECORD_OBSERVATIONS && json_is_null(json_object_get(o,
		    "entered_in_error")))
			totals[n++] = (int)json_integer_value(json_object_get(
			    json_object_get(o, "news2"), "total"));
	for (i = n; i > 0; i--)
		json_array_append_new(series, json_integer(totals[i - 1]));
	return json_pack("{s:o,s:s,s:o}", "last", n > 0 ?
	    json_integer(totals[0]) : json_null(), "trend",
	    handover_trend_name(handover_trend(totals, n)), "totals", series);
}

/* Add a movement of the patient's. */
static void
api_record_movement(const struct store_movement_row *row, void *arg)
{
	struct api_record_ctx	*ctx = arg;
	json_t			*o;

	if (ctx->failed || strcmp(row->movement.patient_id,
	    ctx->patient_id) != 0)
		return;
	if (api_movement_json(ctx->r, row, &o) == -1)
		ctx->failed = 1;
	else
		json_array_append_new(ctx->list, o);
}

/* Add an open alert about the patient. */
static void
api_record_alert(const struct alert *a, void *arg)
{
	struct api_record_ctx	*ctx = arg;

	if (strcmp(a->patient_id, ctx->patient_id) == 0)
		json_array_append_new(ctx->list, api_alert_json(a));
}

/* The patient's movements since arrival and booked ahead, and the open
 * alerts about them of the audiences the caller reads. */
static int
api_record_events(struct api_record_ctx *ctx, const struct patient *p,
    json_t **movements, json_t **alerts)
{
	struct request	*r = ctx->r;

	ctx->list = *movements = json_array();
	*alerts = json_array();
	if (store_movement_list(r->srv->store, p->arrived_at, r->now +
	    RECORD_MOVEMENT_DAYS * MS_PER_DAY, NULL, api_record_movement,
	    ctx) != STORE_OK || ctx->failed)
		return -1;
	api_alert_audiences(r->staff.roles, -1, ctx->audiences,
	    sizeof ctx->audiences);
	ctx->list = *alerts;
	return store_alert_list(r->srv->store, 1, ctx->audiences,
	    api_record_alert, ctx) == STORE_OK ? 0 : -1;
}

/* Where the patient is: since when away at court, or null. */
static int
api_record_away(struct request *r, const struct patient *p, json_t **out)
{
	struct dose_trip	t;

	if (store_patient_trip(r->srv->store, p->id, r->now, &t) != STORE_OK)
		return -1;
	*out = dose_patient_away(&t, r->now, r->now) ?
	    json_instant(t.departed_at) : json_null();
	return 0;
}

/* Fill the answer's parts other than the patient; -1 if the store failed
 * (what was filled is the answer's, to be freed with it). */
static int
api_record_parts(struct request *r, const struct patient *p, json_t *answer)
{
	struct api_record_ctx	 ctx = { r, p->id, "", NULL, 0 };
	json_t			*doses, *obs, *movements, *alerts, *changes;
	json_t			*away;
	int			 rc;

	rc = api_record_doses(&ctx, &doses);
	json_object_set_new(answer, "doses", doses);
	if (rc == -1 || api_observations_of(r, p->id, RECORD_OBSERVATIONS,
	    &obs) == -1)
		return -1;
	json_object_set_new(answer, "observations", obs);
	json_object_set_new(answer, "news2", api_record_news2(obs));
	rc = api_record_events(&ctx, p, &movements, &alerts);
	json_object_set_new(answer, "movements", movements);
	json_object_set_new(answer, "alerts", alerts);
	if (rc == -1 || api_patient_changes_of(r, p->id, &changes) == -1)
		return -1;
	json_object_set_new(answer, "corrections", changes);
	if (api_record_away(r, p, &away) == -1)
		return -1;
	json_object_set_new(answer, "away_since", away);
	return 0;
}

/* GET /v1/patients/{id}/record */
int
api_patient_record(struct request *r)
{
	struct patient	 p;
	json_t		*patient, *answer;

	if (api_patient_load(r, &p) == -1 ||
	    api_patient_answer(r, &p, &patient) == -1)
		return -1;
	answer = json_pack("{s:o}", "patient", patient);
	if (api_record_parts(r, &p, answer) == -1) {
		json_decref(answer);
		return request_store_failed(r);
	}
	request_reply(r, 200, answer);
	return 0;
}
