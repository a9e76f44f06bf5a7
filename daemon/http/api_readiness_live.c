/* The daemon's own figures beside the readiness sections it can speak to,
 * for a chosen period: 6 (the needs assessment: arrivals, substitute
 * prescribing, detoxification by drug, releases and transfers), 15 (the
 * controlled-drug cover check of the next 14 days), 23 (observation of
 * stimulant users), 33 (continuity clocks met within their 24 hours) and
 * 35 (doses before the escort).  They inform a status; a person sets it. */
#include <string.h>

#include "api_readiness.h"
#include "request.h"
#include "rota.h"
#include "server.h"
#include "store.h"
#include "store_readiness.h"

/* The period as answered: its local dates. */
json_t *
api_readiness_period_json(struct civil_date from, struct civil_date to)
{
	char	f[TIMEFMT_DATE_LEN], t[TIMEFMT_DATE_LEN];

	timefmt_format_date(from, f);
	timefmt_format_date(to, t);
	return json_pack("{s:s,s:s}", "from", f, "to", t);
}

static void
api_readiness_detox_one(const char *drug, int64_t n, void *arg)
{
	json_array_append_new(arg, json_pack("{s:s,s:I}", "drug", drug,
	    "patients", (json_int_t)n));
}

/* Section 15: the rounds of the next COVER_DAYS days and their gaps. */
static json_t *
api_readiness_cover(struct request *r)
{
	struct rota_cover		*rc;
	const struct cover_round	*gap = NULL;
	json_t				*o;
	int				 i;

	rc = rota_cover_check(r->srv, calendar_local_date(r->now), COVER_DAYS,
	    r->now);
	if (rc == NULL)
		return NULL;
	for (i = 0; i < rc->check.nrounds && gap == NULL; i++)
		if (!rc->check.round[i].covered)
			gap = &rc->check.round[i];
	o = json_pack("{s:i,s:i,s:i,s:o}", "days", COVER_DAYS, "rounds",
	    rc->check.nrounds, "gaps", rc->check.gaps, "first_gap", gap ==
	    NULL ? json_null() : json_pack("{s:o,s:s}", "at",
	    json_instant(gap->at), "why", gap->why));
	rota_cover_free(rc);
	return o;
}

/* Put live as section number's live evidence in sections. */
static void
api_readiness_set_live(json_t *sections, int number, json_t *live)
{
	json_object_set_new(json_array_get(sections, (size_t)number - 1),
	    "live", live);
}

/* Fill in the live evidence of the register as answered for the local
 * dates from to to; -1 after a 503. */
int
api_readiness_live(struct request *r, json_t *reg, struct civil_date from,
    struct civil_date to)
{
	struct store_readiness_live	 l;
	json_t				*sections = json_object_get(reg,
					    "sections"), *detox, *cover;
	int64_t				 a = calendar_local_midnight(from);
	int64_t				 b = calendar_local_midnight(
					    calendar_add_days(to, 1));

	memset(&l, 0, sizeof l);
	detox = json_array();
	if (store_readiness_live(r->srv->store, a, b, &l) != STORE_OK ||
	    store_readiness_detox(r->srv->store, a, b,
	    api_readiness_detox_one, detox) != STORE_OK ||
	    (cover = api_readiness_cover(r)) == NULL) {
		json_decref(detox);
		return request_store_failed(r);
	}
	api_readiness_set_live(sections, 6, json_pack("{s:I,s:I,s:o,s:I,"
	    "s:I,s:I,s:I}", "arrivals", (json_int_t)l.arrivals,
	    "substitute_prescribing", (json_int_t)l.substitute,
	    "detoxification", detox, "released_from_prison",
	    (json_int_t)l.released_prison, "released_from_court",
	    (json_int_t)l.released_court, "transfers",
	    (json_int_t)l.transfers, "court_trips",
	    (json_int_t)l.court_trips));
	api_readiness_set_live(sections, 15, cover);
	api_readiness_set_live(sections, 23, json_pack("{s:I,s:I,s:I}",
	    "on_time", (json_int_t)l.obs_on_time, "late",
	    (json_int_t)l.obs_late, "missed", (json_int_t)l.obs_missed));
	api_readiness_set_live(sections, 33, json_pack("{s:I,s:I}",
	    "clocks", (json_int_t)l.clocks, "met_in_time",
	    (json_int_t)l.clocks_met));
	api_readiness_set_live(sections, 35, json_pack("{s:I,s:I}",
	    "doses_before_escort", (json_int_t)l.escort_doses,
	    "given_before_escort", (json_int_t)l.escort_given));
	return 0;
}
