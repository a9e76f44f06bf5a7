/* GET /v1/reports/alerts?from=&to=: per severity, the alerts raised,
 * acknowledged and the minutes to acknowledge (median, p90), escalated,
 * and still open.  report_alerts_add() decides what each counts as. */
#include <stdlib.h>

#include "api.h"
#include "api_reports.h"
#include "report_alerts.h"
#include "request.h"
#include "server.h"
#include "store_reports.h"

/* One severity's counts (or TOTAL) as JSON. */
static json_t *
api_alert_counts_json(const char *severity, struct report_alert_counts *c)
{
	return json_pack("{s:s,s:i,s:i,s:o,s:o,s:i,s:i}", "severity",
	    severity, "raised", c->raised, "acknowledged", c->acknowledged,
	    "ack_minutes_median", api_report_minutes(
	    report_durations_percentile(&c->ack, 50)),
	    "ack_minutes_p90", api_report_minutes(
	    report_durations_percentile(&c->ack, 90)),
	    "escalated", c->escalated, "open", c->open);
}

/* Describe the tallied alerts, each severity also a CSV row. */
static void
api_alert_describe(struct report_alerts *t, struct api_report_out *out)
{
	json_t	*list = json_array(), *o;
	int	 i;

	for (i = 0; i < REPORT_SEVERITIES; i++) {
		o = api_alert_counts_json(alert_severity_name(
		    (enum alert_severity)i), &t->severity[i]);
		json_array_append(out->rows, o);
		json_array_append_new(list, o);
	}
	o = api_alert_counts_json("TOTAL", &t->total);
	json_array_append(out->rows, o);
	json_object_set_new(out->body, "severities", list);
	json_object_set_new(out->body, "totals", o);
}

/* Build the alert report of [from, to] as of now. */
static enum store_result
api_alert_build(struct request *r, struct civil_date from,
    struct civil_date to, struct api_report_out *out)
{
	struct report_alerts	*t;
	enum store_result	 sr = STORE_ERROR;

	api_report_out_new(out, from, to);
	if ((t = malloc(sizeof *t)) != NULL &&
	    report_alerts_start(t, from, to, r->now) == 0 &&
	    (sr = store_report_alerts(r->srv->store, t)) == STORE_OK)
		api_alert_describe(t, out);
	if (t != NULL) {
		report_alerts_free(t);
		free(t);
	}
	return api_report_out_end(out, sr);
}

static const char *const api_alert_columns[] = {
	"severity", "raised", "acknowledged", "ack_minutes_median",
	"ack_minutes_p90", "escalated", "open", NULL
};

const struct api_report_kind api_report_alerts_kind = {
	"alerts", api_alert_columns, api_alert_build
};

/* GET /v1/reports/alerts?from=YYYY-MM-DD&to=YYYY-MM-DD */
int
api_report_alerts(struct request *r)
{
	return api_report_serve(r, &api_report_alerts_kind);
}
