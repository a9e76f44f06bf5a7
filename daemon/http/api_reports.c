/* Reports for healthcare managers: what every report's handler shares
 * (the period asked for, JSON or CSV), and GET /v1/reports/observations:
 * per patient and per day, the observations due and met on time, late
 * (and how late) or missed, the share on time, and the unit's days and
 * totals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_reports.h"
#include "calendar.h"
#include "json_out.h"
#include "report.h"
#include "report_period.h"
#include "request.h"
#include "server.h"
#include "store.h"

/* from and to: local dates, to not before from, at most REPORT_MAX_DAYS
 * apart. */
int
api_report_range(struct request *r, struct civil_date *from,
    struct civil_date *to)
{
	char	buf[16];
	int	rc;
	int64_t	n;

	if ((rc = request_query(r, "from", buf, sizeof buf)) == -1)
		return -1;
	if (rc == 1 || timefmt_parse_date(buf, from) == -1)
		return request_error(r, 400, "invalid_query", "from is the "
		    "first local date of the report, a date that exists, "
		    "written YYYY-MM-DD");
	if ((rc = request_query(r, "to", buf, sizeof buf)) == -1)
		return -1;
	if (rc == 1 || timefmt_parse_date(buf, to) == -1)
		return request_error(r, 400, "invalid_query", "to is the "
		    "last local date of the report, a date that exists, "
		    "written YYYY-MM-DD");
	n = timefmt_days_from_civil(*to) - timefmt_days_from_civil(*from) + 1;
	if (n < 1 || n > REPORT_MAX_DAYS)
		return request_error(r, 400, "invalid_query", "to must not be "
		    "before from, and a report covers at most %d days",
		    REPORT_MAX_DAYS);
	return 0;
}

/* Start a report's answer: the body, naming its period, and an empty
 * array for its CSV rows. */
void
api_report_out_new(struct api_report_out *out, struct civil_date from,
    struct civil_date to)
{
	char	from_s[TIMEFMT_DATE_LEN], to_s[TIMEFMT_DATE_LEN];

	timefmt_format_date(from, from_s);
	timefmt_format_date(to, to_s);
	out->body = json_pack("{s:s,s:s}", "from", from_s, "to", to_s);
	out->rows = json_array();
}

/* End a report's answer: if the store failed (sr), nothing of it is
 * kept.  Returns sr. */
enum store_result
api_report_out_end(struct api_report_out *out, enum store_result sr)
{
	if (sr != STORE_OK) {
		json_decref(out->body);
		json_decref(out->rows);
		out->body = out->rows = NULL;
	}
	return sr;
}

/* A duration in hours to a tenth, or null for none (negative). */
json_t *
api_report_hours(int64_t ms)
{
	if (ms < 0)
		return json_null();
	return json_real((double)((ms + MS_PER_HOUR / 20) /
	    (MS_PER_HOUR / 10)) / 10.0);
}

/* A duration to the nearest whole minute, or null for none. */
json_t *
api_report_minutes(int64_t ms)
{
	return ms < 0 ? json_null() : json_integer((ms + MS_PER_MINUTE / 2) /
	    MS_PER_MINUTE);
}

/* A share in tenths of a percent as a percentage, or null for none. */
json_t *
api_report_tenths(int tenths)
{
	return tenths < 0 ? json_null() : json_real(tenths / 10.0);
}

/* The first cells of a CSV row about a patient. */
json_t *
api_report_ref_row(const struct store_patient_ref *p)
{
	return json_pack("{s:s,s:s,s:s,s:s}", "prison_number",
	    p->prison_number, "family_name", p->family_name, "given_name",
	    p->given_name, "location", p->location);
}

/* Patients' ids as a JSON array's text, for json_each(); NULL if out of
 * memory. */
char *
api_report_patient_ids(const char *const *ids, size_t n)
{
	json_t	*a = json_array();
	char	*text;
	size_t	 i;

	for (i = 0; a != NULL && i < n; i++)
		if (json_array_append_new(a, json_string(ids[i])) == -1) {
			json_decref(a);
			return NULL;
		}
	text = a != NULL ? json_out_text(a, JSON_COMPACT) : NULL;
	json_decref(a);
	return text;
}

/* A real as a CSV cell: to three decimal places, the zeros after the
 * first decimal dropped (87.5, 100.0, 0.125). */
static void
api_report_csv_real(FILE *f, double v)
{
	char	buf[64];
	size_t	n;

	snprintf(buf, sizeof buf, "%.3f", v);
	n = strlen(buf);
	while (n > 2 && buf[n - 1] == '0' && buf[n - 2] != '.')
		buf[--n] = '\0';
	fputs(buf, f);
}

/* One CSV cell: text through report_csv_field(), a whole number as it
 * is, a real as api_report_csv_real() writes it, null or missing
 * empty. */
static void
api_report_csv_cell(FILE *f, const json_t *v)
{
	char	field[4096];

	if (json_is_string(v)) {
		if (report_csv_field(field, sizeof field, json_string_value(v))
		    >= 0)
			fputs(field, f);
	} else if (json_is_integer(v))
		fprintf(f, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		api_report_csv_real(f, json_real_value(v));
	else if (json_is_boolean(v))
		fputs(json_is_true(v) ? "true" : "false", f);
}

/* A text cell of a CSV line written straight out, and its comma. */
void
api_report_csv_text(FILE *f, const char *text)
{
	char	field[4096];

	if (report_csv_field(field, sizeof field, text) >= 0)
		fputs(field, f);
	fputc(',', f);
}

/* Whole-number cells, each with its comma. */
void
api_report_csv_ints(FILE *f, const int *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		fprintf(f, "%d,", v[i]);
}

/* A share in tenths of a percent, the line's last cell (empty for none),
 * and the line's end. */
void
api_report_csv_tenths(FILE *f, int tenths)
{
	if (tenths >= 0)
		fprintf(f, "%d.%d", tenths / 10, tenths % 10);
	fputs("\r\n", f);
}

/* Rows as CSV lines, each cell the member of its column's name. */
static void
api_report_csv_rows(FILE *f, const struct api_report_kind *k,
    const json_t *rows)
{
	const json_t	*row;
	size_t		 i;
	int		 c;

	json_array_foreach(rows, i, row) {
		for (c = 0; k->columns[c] != NULL; c++) {
			if (c > 0)
				fputc(',', f);
			api_report_csv_cell(f, json_object_get(row,
			    k->columns[c]));
		}
		fputs("\r\n", f);
	}
}

/* Answer a report of [from, to] as CSV (RFC 4180, CRLF): the columns'
 * names, each patient's lines as the build writes them, then the rows. */
int
api_report_csv_answer(struct request *r, const struct api_report_kind *k,
    struct civil_date from, struct civil_date to)
{
	struct api_report_out	 out;
	char			*text = NULL;
	size_t			 len;
	int			 c;

	out.want = 0;
	if ((out.csv = open_memstream(&text, &len)) == NULL)
		return request_error(r, 503, "out_of_memory", "try again");
	for (c = 0; k->columns[c] != NULL; c++)
		fprintf(out.csv, "%s%s", c ? "," : "", k->columns[c]);
	fputs("\r\n", out.csv);
	if (k->build(r, from, to, &out) != STORE_OK) {
		fclose(out.csv);
		free(text);
		return request_store_failed(r);
	}
	api_report_csv_rows(out.csv, k, out.rows);
	json_decref(out.rows);
	json_decref(out.body);
	if (fclose(out.csv) != 0) {
		free(text);
		return request_error(r, 503, "out_of_memory", "try again");
	}
	request_reply_text(r, 200, "text/csv; charset=utf-8", text);
	return 0;
}

static int	api_report_answer(struct request *,
		    const struct api_report_kind *, struct civil_date,
		    struct civil_date);

/* Answer a report for ?from=&to=: JSON, or CSV for Accept: text/csv. */
int
api_report_serve(struct request *r, const struct api_report_kind *k)
{
	struct civil_date	 from, to;

	if (api_report_range(r, &from, &to) == -1)
		return -1;
	return api_report_answer(r, k, from, to);
}

/* Answer a month's report (month=YYYY-MM), as api_report_serve(). */
int
api_report_serve_month(struct request *r, const struct api_report_kind *k)
{
	struct civil_date	 from, to;

	if (api_report_month(r, &from, &to) == -1)
		return -1;
	return api_report_answer(r, k, from, to);
}

/* Answer the report of [from, to]: JSON, or CSV if asked for. */
static int
api_report_answer(struct request *r, const struct api_report_kind *k,
    struct civil_date from, struct civil_date to)
{
	struct api_report_out	 out;

	if (request_accepts(r, "text/csv"))
		return api_report_csv_answer(r, k, from, to);
	out.want = API_REPORT_BODY;
	out.csv = NULL;
	if (k->build(r, from, to, &out) != STORE_OK)
		return request_store_failed(r);
	json_decref(out.rows);
	request_reply(r, 200, out.body);
	return 0;
}

/* The observation report being put together from the store's rows. */
struct api_obs_report {
	struct civil_date	 from;
	int			 ndays;
	struct report_counts	 day[REPORT_MAX_DAYS];	/* the unit */
	struct report_counts	 total;			/* the unit */
	json_t			*patients;	/* one per patient */
	json_t			*current;	/* the patient being filled */
	struct report_counts	 patient;	/* its totals so far */
	char			 patient_id[UUID_STR_LEN];
	json_t			*rows;		/* for CSV: the unit's */
	unsigned		 want;
	FILE			*csv;		/* each patient's lines */
};

/* One set of counts as JSON, with its date if it has one. */
static json_t *
api_obs_counts_json(const char *date, const struct report_counts *c)
{
	json_t	*o = json_pack("{s:i,s:i,s:i,s:I,s:I,s:i,s:i,s:i,s:i,s:o}",
	    "due", c->due, "on_time", c->on_time, "late", c->late,
	    "late_minutes_max", (json_int_t)(c->late_max_ms / MS_PER_MINUTE),
	    "late_minutes_mean", (json_int_t)(report_late_mean_ms(c) /
	    MS_PER_MINUTE),
	    "missed", c->missed, "overdue", c->overdue, "pending", c->pending,
	    "written_up_late", c->written_late,
	    "on_time_percent", api_report_tenths(report_on_time_tenths(c)));

	if (date != NULL)
		json_object_set_new(o, "date", json_string(date));
	return o;
}

/* One CSV row: who, which day, and the counts. */
static void
api_obs_csv_row(json_t *rows, const struct store_patient_ref *p,
    const char *date, const struct report_counts *c)
{
	json_t	*row = api_report_ref_row(p);

	json_object_update_new(row, api_obs_counts_json(date, c));
	json_array_append_new(rows, row);
}

/* A patient's CSV line of a day, written straight out. */
static void
api_obs_csv_line(FILE *f, const struct store_patient_ref *p,
    const char *date, const struct report_counts *c)
{
	int	v[9] = { c->due, c->on_time, c->late,
		    (int)(c->late_max_ms / MS_PER_MINUTE),
		    (int)(report_late_mean_ms(c) / MS_PER_MINUTE), c->missed,
		    c->overdue, c->pending, c->written_late };

	api_report_csv_text(f, p->prison_number);
	api_report_csv_text(f, p->family_name);
	api_report_csv_text(f, p->given_name);
	api_report_csv_text(f, p->location);
	api_report_csv_text(f, date);
	api_report_csv_ints(f, v, 9);
	api_report_csv_tenths(f, report_on_time_tenths(c));
}

/* Close the patient being filled: its totals. */
static void
api_obs_patient_done(struct api_obs_report *rep)
{
	if (rep->current != NULL) {
		json_object_set_new(rep->current, "totals",
		    api_obs_counts_json(NULL, &rep->patient));
		json_array_append_new(rep->patients, rep->current);
		rep->current = NULL;
	}
	memset(&rep->patient, 0, sizeof rep->patient);
}

/* Take one row (a patient's day) into the report. */
static void
api_obs_row(const struct store_report_row *row, void *arg)
{
	struct api_obs_report		*rep = arg;
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
	if (rep->csv != NULL)
		api_obs_csv_line(rep->csv, &row->patient, row->day, c);
	if (!(rep->want & API_REPORT_BODY))
		return;
	if (strcmp(rep->patient_id, row->patient.id) != 0) {
		api_obs_patient_done(rep);
		strcpy(rep->patient_id, row->patient.id);
		rep->current = json_pack("{s:o,s:[]}", "patient",
		    api_patient_ref_json(&row->patient), "days");
	}
	report_add(&rep->patient, c);
	json_array_append_new(json_object_get(rep->current, "days"),
	    api_obs_counts_json(row->day, c));
}

/* The unit's days as JSON, and as CSV rows (UNIT), then its totals. */
static json_t *
api_obs_unit(struct api_obs_report *rep)
{
	struct store_patient_ref	unit;
	char				date[TIMEFMT_DATE_LEN];
	json_t				*days = json_array();
	int				 i;

	memset(&unit, 0, sizeof unit);
	strcpy(unit.prison_number, "UNIT");
	for (i = 0; i < rep->ndays; i++) {
		timefmt_format_date(calendar_add_days(rep->from, i), date);
		json_array_append_new(days, api_obs_counts_json(date,
		    &rep->day[i]));
		api_obs_csv_row(rep->rows, &unit, date, &rep->day[i]);
	}
	api_obs_csv_row(rep->rows, &unit, "TOTAL", &rep->total);
	return days;
}

/* Build the observation report of [from, to]. */
static enum store_result
api_obs_build(struct request *r, struct civil_date from, struct civil_date to,
    struct api_report_out *out)
{
	struct api_obs_report	*rep;
	char			 from_s[TIMEFMT_DATE_LEN];
	char			 to_s[TIMEFMT_DATE_LEN];
	enum store_result	 sr;

	if ((rep = calloc(1, sizeof *rep)) == NULL)
		return STORE_ERROR;
	rep->from = from;
	rep->ndays = (int)(timefmt_days_from_civil(to) -
	    timefmt_days_from_civil(from) + 1);
	rep->patients = json_array();
	rep->rows = json_array();
	rep->want = out->want;
	rep->csv = out->csv;
	sr = store_observation_report(r->srv->store,
	    calendar_local_midnight(from),
	    calendar_local_midnight(calendar_add_days(to, 1)), r->now,
	    api_obs_row, rep);
	api_obs_patient_done(rep);
	timefmt_format_date(from, from_s);
	timefmt_format_date(to, to_s);
	out->rows = rep->rows;
	out->body = json_pack("{s:s,s:s,s:o,s:o,s:o}", "from", from_s, "to",
	    to_s, "patients", rep->patients, "days", api_obs_unit(rep),
	    "totals", api_obs_counts_json(NULL, &rep->total));
	free(rep);
	if (sr != STORE_OK) {
		json_decref(out->body);
		json_decref(out->rows);
	}
	return sr;
}

static const char *const api_obs_columns[] = {
	"prison_number", "family_name", "given_name", "location", "date",
	"due", "on_time", "late", "late_minutes_max", "late_minutes_mean",
	"missed", "overdue", "pending", "written_up_late", "on_time_percent",
	NULL
};

const struct api_report_kind api_report_observations_kind = {
	"observations", api_obs_columns, api_obs_build
};

/* GET /v1/reports/observations?from=YYYY-MM-DD&to=YYYY-MM-DD */
int
api_report_observations(struct request *r)
{
	return api_report_serve(r, &api_report_observations_kind);
}
