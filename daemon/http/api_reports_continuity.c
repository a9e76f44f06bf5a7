/* GET /v1/reports/continuity?month=YYYY-MM: the month's arrivals in
 * treatment and both 24-hour clocks, transfers out, transfer documents
 * imported, and releases with the community follow-up kept within 21
 * days; report_continuity_add() decides what each counts as.  The CSV is
 * one measure a row. */
#include <stdlib.h>

#include "api.h"
#include "api_reports.h"
#include "report_continuity.h"
#include "request.h"
#include "server.h"
#include "store_reports.h"

/* One measure: a member of the answer and a CSV row. */
static void
api_continuity_measure(struct api_report_out *out, json_t *part,
    const char *measure, int count)
{
	json_object_set_new(part, measure, json_integer(count));
	json_array_append_new(out->rows, json_pack("{s:s,s:i}", "measure",
	    measure, "count", count));
}

/* One clock kind's counts, its measures named after the kind. */
static json_t *
api_continuity_clock(struct api_report_out *out, enum care_clock_kind kind,
    const struct report_clock_counts *c)
{
	static const char *const what[] = {
		"started", "met_on_time", "met_late", "breached", "ended",
		"running",
	};
	const int	 n[] = { c->started, c->met_on_time, c->met_late,
			    c->breached, c->ended, c->running };
	json_t		*o = json_object();
	char		 name[64];
	size_t		 i;

	for (i = 0; i < sizeof n / sizeof n[0]; i++) {
		json_object_set_new(o, what[i], json_integer(n[i]));
		snprintf(name, sizeof name, "%s_%s",
		    continuity_kind_name(kind), what[i]);
		json_array_append_new(out->rows, json_pack("{s:s,s:i}",
		    "measure", name, "count", n[i]));
	}
	return o;
}

/* Describe the tallied month. */
static void
api_continuity_describe(struct report_continuity *t,
    struct api_report_out *out)
{
	json_t	*clocks = json_object();

	api_continuity_measure(out, out->body, "arrivals_in_treatment",
	    t->clocks.total[CLOCK_TREATMENT_CONTINUED].started);
	json_object_set_new(clocks, "treatment_continued",
	    api_continuity_clock(out, CLOCK_TREATMENT_CONTINUED,
	    &t->clocks.total[CLOCK_TREATMENT_CONTINUED]));
	json_object_set_new(clocks, "keyworker_allocated",
	    api_continuity_clock(out, CLOCK_KEYWORKER_ALLOCATED,
	    &t->clocks.total[CLOCK_KEYWORKER_ALLOCATED]));
	json_object_set_new(out->body, "clocks", clocks);
	api_continuity_measure(out, out->body, "transfers_out",
	    t->transfers_out);
	api_continuity_measure(out, out->body, "documents_imported",
	    t->imported);
	api_continuity_measure(out, out->body, "releases", t->releases);
	api_continuity_measure(out, out->body, "releases_with_follow_up",
	    t->with_follow_up);
	api_continuity_measure(out, out->body, "follow_up_met",
	    t->follow_up_met);
	api_continuity_measure(out, out->body, "follow_up_not_met",
	    t->follow_up_not_met);
	api_continuity_measure(out, out->body, "follow_up_running",
	    t->follow_up_running);
	api_continuity_measure(out, out->body, "follow_up_overdue",
	    t->follow_up_overdue);
}

/* Build the continuity report of [from, to] as of now. */
static enum store_result
api_continuity_build(struct request *r, struct civil_date from,
    struct civil_date to, struct api_report_out *out)
{
	struct report_continuity	*t;
	enum store_result		 sr = STORE_ERROR;

	api_report_out_new(out, from, to);
	if ((t = malloc(sizeof *t)) != NULL &&
	    report_continuity_start(t, from, to, r->now) == 0 &&
	    (sr = store_report_continuity(r->srv->store, t)) == STORE_OK)
		api_continuity_describe(t, out);
	if (t != NULL) {
		report_continuity_free(t);
		free(t);
	}
	return api_report_out_end(out, sr);
}

static const char *const api_continuity_columns[] = {
	"measure", "count", NULL
};

const struct api_report_kind api_report_continuity_kind = {
	"continuity", api_continuity_columns, api_continuity_build
};

/* GET /v1/reports/continuity?month=YYYY-MM */
int
api_report_continuity(struct request *r)
{
	return api_report_serve_month(r, &api_report_continuity_kind);
}
