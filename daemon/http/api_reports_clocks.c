/* GET /v1/reports/clocks?from=&to=: the IDTS continuity-of-care
 * indicator.  Per clock kind and local month started: started, met on
 * time, met late, breached and still open, ended by a release, still
 * running, breached in all, and the hours to meet (median, p90).
 * report_clocks_add() decides what each clock counts as. */
#include <stdio.h>
#include <stdlib.h>

#include "api.h"
#include "api_reports.h"
#include "report_clocks.h"
#include "request.h"
#include "server.h"
#include "store_reports.h"

/* One kind's counts for a month (or TOTAL) as JSON. */
static json_t *
api_clock_counts_json(const char *kind, const char *month,
    struct report_clock_counts *c)
{
	return json_pack("{s:s,s:s,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:o,s:o}",
	    "kind", kind, "month", month, "started", c->started,
	    "met_on_time", c->met_on_time, "met_late", c->met_late,
	    "breached", c->breached, "breached_open", c->breached_open,
	    "ended", c->ended, "running", c->running,
	    "meet_hours_median", api_report_hours(
	    report_durations_percentile(&c->meet, 50)),
	    "meet_hours_p90", api_report_hours(
	    report_durations_percentile(&c->meet, 90)));
}

/* Describe the tallied clocks: per kind, its months and totals, each
 * also a CSV row. */
static void
api_clock_describe(struct report_clocks *t, struct api_report_out *out)
{
	json_t		*kinds = json_array(), *months, *o;
	const char	*kind;
	char		 month[16];
	int		 k, m, ym;

	for (k = 0; k < REPORT_CLOCK_KINDS; k++) {
		kind = continuity_kind_name((enum care_clock_kind)k);
		months = json_array();
		for (m = 0; m < t->nmonths; m++) {
			ym = t->month0 + m;
			snprintf(month, sizeof month, "%04d-%02d",
			    ym / 12 % 10000, ym % 12 + 1);
			o = api_clock_counts_json(kind, month, &t->cell[k][m]);
			json_array_append(out->rows, o);
			json_array_append_new(months, o);
		}
		o = api_clock_counts_json(kind, "TOTAL", &t->total[k]);
		json_array_append(out->rows, o);
		json_array_append_new(kinds, json_pack("{s:s,s:o,s:o}",
		    "kind", kind, "months", months, "totals", o));
	}
	json_object_set_new(out->body, "kinds", kinds);
}

/* Build the clock report of [from, to] as of now. */
static enum store_result
api_clock_build(struct request *r, struct civil_date from,
    struct civil_date to, struct api_report_out *out)
{
	struct report_clocks	*t;
	enum store_result	 sr = STORE_ERROR;

	api_report_out_new(out, from, to);
	if ((t = malloc(sizeof *t)) != NULL &&
	    report_clocks_start(t, from, to, r->now) == 0 &&
	    (sr = store_report_clocks(r->srv->store, t)) == STORE_OK)
		api_clock_describe(t, out);
	if (t != NULL) {
		report_clocks_free(t);
		free(t);
	}
	return api_report_out_end(out, sr);
}

static const char *const api_clock_columns[] = {
	"kind", "month", "started", "met_on_time", "met_late", "breached",
	"breached_open", "ended", "running", "meet_hours_median",
	"meet_hours_p90", NULL
};

const struct api_report_kind api_report_clocks_kind = {
	"clocks", api_clock_columns, api_clock_build
};

/* GET /v1/reports/clocks?from=YYYY-MM-DD&to=YYYY-MM-DD */
int
api_report_clocks(struct request *r)
{
	return api_report_serve(r, &api_report_clocks_kind);
}
