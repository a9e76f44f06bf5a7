/* Reports for healthcare managers.  GET /v1/reports/observations: per
 * patient and per day, the observations due and met on time, late (and
 * how late) or missed, the share on time, and the unit's days and
 * totals; as JSON, or as CSV for Accept: text/csv. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "calendar.h"
#include "report.h"
#include "request.h"
#include "server.h"
#include "store.h"

#define API_REPORT_MAX_DAYS	366

struct api_report {
	struct civil_date	 from;
	int			 ndays;
	struct report_counts	 day[API_REPORT_MAX_DAYS];	/* the unit */
	struct report_counts	 total;				/* the unit */
	json_t			*patients;	/* JSON: one per patient */
	json_t			*current;	/* the patient being filled */
	struct report_counts	 patient;	/* its totals so far */
	char			 patient_id[UUID_STR_LEN];
	FILE			*csv;		/* CSV instead of JSON */
};

/* One set of counts as JSON, with its date if it has one. */
static json_t *
api_report_counts_json(const char *date, const struct report_counts *c)
{
	int	tenths = report_on_time_tenths(c);
	json_t	*o = json_pack("{s:i,s:i,s:i,s:I,s:I,s:i,s:i,s:o}",
	    "due", c->due, "on_time", c->on_time, "late", c->late,
	    "late_minutes_max", (json_int_t)(c->late_max_ms / MS_PER_MINUTE),
	    "late_minutes_mean", (json_int_t)(report_late_mean_ms(c) /
	    MS_PER_MINUTE),
	    "missed", c->missed, "pending", c->pending,
	    "on_time_percent", tenths < 0 ? json_null() :
	    json_real(tenths / 10.0));

	if (date != NULL)
		json_object_set_new(o, "date", json_string(date));
	return o;
}

/* One CSV line: who, which day, and the counts. */
static void
api_report_csv_line(FILE *f, const struct store_patient_ref *p,
    const char *date, const struct report_counts *c)
{
	const char	*cells[4] = { p->prison_number, p->family_name,
			    p->given_name, p->location };
	char		 field[PATIENT_NAME_MAX * 8 + 3];
	int		 tenths = report_on_time_tenths(c);
	size_t		 i;

	for (i = 0; i < 4; i++)
		if (report_csv_field(field, sizeof field, cells[i]) >= 0)
			fprintf(f, "%s,", field);
		else
			fprintf(f, ",");
	fprintf(f, "%s,%d,%d,%d,%lld,%lld,%d,%d,", date, c->due, c->on_time,
	    c->late, (long long)(c->late_max_ms / MS_PER_MINUTE),
	    (long long)(report_late_mean_ms(c) / MS_PER_MINUTE), c->missed,
	    c->pending);
	if (tenths >= 0)
		fprintf(f, "%d.%d", tenths / 10, tenths % 10);
	fprintf(f, "\r\n");
}

/* Close the patient being filled: its totals. */
static void
api_report_patient_done(struct api_report *rep)
{
	if (rep->current != NULL) {
		json_object_set_new(rep->current, "totals",
		    api_report_counts_json(NULL, &rep->patient));
		json_array_append_new(rep->patients, rep->current);
		rep->current = NULL;
	}
	memset(&rep->patient, 0, sizeof rep->patient);
}

/* Take one row (a patient's day) into the report. */
static void
api_report_row(const struct store_report_row *row, void *arg)
{
	struct api_report		*rep = arg;
	const struct report_counts	*c = &row->counts;
	struct civil_date		 d;
	int64_t				 i;

	if (timefmt_parse_date(row->day, &d) == 0) {
		i = timefmt_days_from_civil(d) -
		    timefmt_days_from_civil(rep->from);
		if (i >= 0 && i < rep->ndays)
			report_add(&rep->day[i], c);
	}
	report_add(&rep->total, c);
	if (rep->csv != NULL) {
		api_report_csv_line(rep->csv, &row->patient, row->day, c);
		return;
	}
	if (strcmp(rep->patient_id, row->patient.id) != 0) {
		api_report_patient_done(rep);
		strcpy(rep->patient_id, row->patient.id);
		rep->current = json_pack("{s:o,s:[]}", "patient",
		    api_patient_ref_json(&row->patient), "days");
	}
	report_add(&rep->patient, c);
	json_array_append_new(json_object_get(rep->current, "days"),
	    api_report_counts_json(row->day, c));
}

/* from and to: local dates, to not before from, at most a year apart. */
static int
api_report_dates(struct request *r, struct civil_date *from,
    struct civil_date *to, int *ndays)
{
	char	buf[16];
	int	rc;

	if ((rc = request_query(r, "from", buf, sizeof buf)) == -1)
		return -1;
	if (rc == 1 || timefmt_parse_date(buf, from) == -1)
		return request_error(r, 400, "invalid_query", "from is the "
		    "first local date of the report, written YYYY-MM-DD");
	if ((rc = request_query(r, "to", buf, sizeof buf)) == -1)
		return -1;
	if (rc == 1 || timefmt_parse_date(buf, to) == -1)
		return request_error(r, 400, "invalid_query", "to is the "
		    "last local date of the report, written YYYY-MM-DD");
	*ndays = (int)(timefmt_days_from_civil(*to) -
	    timefmt_days_from_civil(*from) + 1);
	if (*ndays < 1 || *ndays > API_REPORT_MAX_DAYS)
		return request_error(r, 400, "invalid_query", "to must not be "
		    "before from, and a report covers at most %d days",
		    API_REPORT_MAX_DAYS);
	return 0;
}

/* The unit's lines of the CSV: each day, then the whole period. */
static void
api_report_csv_unit(struct api_report *rep)
{
	struct store_patient_ref	unit;
	char				date[TIMEFMT_DATE_LEN];
	int				i;

	memset(&unit, 0, sizeof unit);
	strcpy(unit.prison_number, "UNIT");
	for (i = 0; i < rep->ndays; i++) {
		timefmt_format_date(calendar_add_days(rep->from, i), date);
		api_report_csv_line(rep->csv, &unit, date, &rep->day[i]);
	}
	api_report_csv_line(rep->csv, &unit, "TOTAL", &rep->total);
}

/* The unit's days and totals as JSON. */
static json_t *
api_report_json_unit(struct api_report *rep)
{
	char	date[TIMEFMT_DATE_LEN];
	json_t	*days = json_array();
	int	 i;

	for (i = 0; i < rep->ndays; i++) {
		timefmt_format_date(calendar_add_days(rep->from, i), date);
		json_array_append_new(days, api_report_counts_json(date,
		    &rep->day[i]));
	}
	return days;
}

/* GET /v1/reports/observations?from=YYYY-MM-DD&to=YYYY-MM-DD */
int
api_report_observations(struct request *r)
{
	struct api_report	*rep;
	struct civil_date	 to;
	char			*text = NULL, from_s[TIMEFMT_DATE_LEN];
	char			 to_s[TIMEFMT_DATE_LEN];
	size_t			 len;
	enum store_result	 sr;

	if ((rep = calloc(1, sizeof *rep)) == NULL)
		return request_error(r, 503, "out_of_memory", "try again");
	if (api_report_dates(r, &rep->from, &to, &rep->ndays) == -1) {
		free(rep);
		return -1;
	}
	if (request_accepts(r, "text/csv")) {
		if ((rep->csv = open_memstream(&text, &len)) == NULL) {
			free(rep);
			return request_error(r, 503, "out_of_memory",
			    "try again");
		}
		fprintf(rep->csv, "prison_number,family_name,given_name,"
		    "location,date,due,on_time,late,late_minutes_max,"
		    "late_minutes_mean,missed,pending,on_time_percent\r\n");
	} else
		rep->patients = json_array();
	sr = store_observation_report(r->srv->store,
	    calendar_local_midnight(rep->from),
	    calendar_local_midnight(calendar_add_days(to, 1)), api_report_row,
	    rep);
	timefmt_format_date(rep->from, from_s);
	timefmt_format_date(to, to_s);
	if (rep->csv != NULL) {
		api_report_csv_unit(rep);
		fclose(rep->csv);
		if (sr == STORE_OK)
			request_reply_text(r, 200, "text/csv; charset=utf-8",
			    text);
		else
			free(text);
	} else {
		api_report_patient_done(rep);
		if (sr == STORE_OK)
			request_reply(r, 200, json_pack("{s:s,s:s,s:o,s:o,"
			    "s:o}", "from", from_s, "to", to_s, "patients",
			    rep->patients, "days", api_report_json_unit(rep),
			    "totals", api_report_counts_json(NULL,
			    &rep->total)));
		else
			json_decref(rep->patients);
	}
	free(rep);
	return sr == STORE_OK ? 0 : request_store_failed(r);
}
