/* GET /v1/reports/doses?from=&to=: per patient, local day and round, the
 * doses due and given on time, given late (minutes), refused, withheld,
 * missed, away, held or still pending; the unit's days, rounds and
 * totals; the holds for review raised and the hours to their review.
 * report_doses_add() decides what each dose counts as. */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_reports.h"
#include "report_doses.h"
#include "request.h"
#include "server.h"
#include "store_reports.h"

/* One set of dose counts as JSON. */
static json_t *
api_dose_counts_json(const struct report_dose_counts *c)
{
	return json_pack("{s:i,s:i,s:i,s:I,s:I,s:i,s:i,s:i,s:i,s:i,s:i,s:o}",
	    "due", c->due, "on_time", c->on_time, "late", c->late,
	    "late_minutes_max", (json_int_t)(c->late_max_ms / MS_PER_MINUTE),
	    "late_minutes_mean", (json_int_t)(c->late == 0 ? 0 :
	    c->late_total_ms / c->late / MS_PER_MINUTE),
	    "refused", c->refused, "withheld", c->withheld, "missed",
	    c->missed, "away", c->away, "held", c->held, "pending",
	    c->pending, "given_percent",
	    api_report_tenths(report_dose_given_tenths(c)));
}

/* A round's local time, HH:MM. */
static void
api_dose_round_name(int minute, char out[8])
{
	snprintf(out, 8, "%02d:%02d", minute / 60 % 24, minute % 60);
}

/* Counts as JSON with a member or two in front (date, round). */
static json_t *
api_dose_labelled(const char *date, const char *round,
    const struct report_dose_counts *c)
{
	json_t	*o = api_dose_counts_json(c);

	if (date != NULL)
		json_object_set_new(o, "date", json_string(date));
	if (round != NULL)
		json_object_set_new(o, "round", json_string(round));
	return o;
}

/* A CSV row: who (or UNIT), the day or TOTAL, the round or "", counts. */
static void
api_dose_csv_row(json_t *rows, const struct store_patient_ref *p,
    const char *date, const char *round, const struct report_dose_counts *c)
{
	json_t	*row = api_report_ref_row(p);

	json_object_update_new(row, api_dose_labelled(date, round, c));
	json_array_append_new(rows, row);
}

struct api_dose_report {
	struct report_doses	*t;
	json_t			*patients;
	unsigned		 want;
	FILE			*csv;
};

/* A cell's local date, and its round's time. */
static void
api_dose_cell_names(const struct report_doses *t,
    const struct report_dose_cell *c, char date[TIMEFMT_DATE_LEN],
    char round[8])
{
	timefmt_format_date(calendar_add_days(t->period.day0, c->day), date);
	api_dose_round_name(c->minute, round);
}

/* A patient's CSV lines, one a day and round, written straight out. */
static void
api_dose_patient_lines(struct api_dose_report *rep,
    const struct store_patient_ref *p, struct report_dose_cell *const *cell,
    size_t n)
{
	const struct report_dose_counts	*c;
	char				 date[TIMEFMT_DATE_LEN], round[8];
	size_t				 i;
	int				 v[11];

	for (i = 0; i < n; i++) {
		c = &cell[i]->c;
		api_dose_cell_names(rep->t, cell[i], date, round);
		api_report_csv_text(rep->csv, p->prison_number);
		api_report_csv_text(rep->csv, p->family_name);
		api_report_csv_text(rep->csv, p->given_name);
		api_report_csv_text(rep->csv, p->location);
		api_report_csv_text(rep->csv, date);
		api_report_csv_text(rep->csv, round);
		v[0] = c->due;
		v[1] = c->on_time;
		v[2] = c->late;
		v[3] = (int)(c->late_max_ms / MS_PER_MINUTE);
		v[4] = (int)(c->late == 0 ? 0 :
		    c->late_total_ms / c->late / MS_PER_MINUTE);
		v[5] = c->refused;
		v[6] = c->withheld;
		v[7] = c->missed;
		v[8] = c->away;
		v[9] = c->held;
		v[10] = c->pending;
		api_report_csv_ints(rep->csv, v, 11);
		api_report_csv_tenths(rep->csv, report_dose_given_tenths(c));
	}
}

/* A patient's days as JSON, each with its rounds; their sum in total. */
static json_t *
api_dose_patient_days(const struct report_doses *t,
    struct report_dose_cell *const *cell, size_t n,
    struct report_dose_counts *total)
{
	struct report_dose_counts	 day;
	json_t				*days = json_array(), *rounds, *o;
	char				 date[TIMEFMT_DATE_LEN], round[8];
	size_t				 i, first;

	for (first = 0; first < n; first = i) {
		rounds = json_array();
		memset(&day, 0, sizeof day);
		for (i = first; i < n && cell[i]->day == cell[first]->day;
		    i++) {
			api_dose_cell_names(t, cell[i], date, round);
			json_array_append_new(rounds, api_dose_labelled(NULL,
			    round, &cell[i]->c));
			report_dose_add(&day, &cell[i]->c);
		}
		report_dose_add(total, &day);
		o = api_dose_labelled(date, NULL, &day);
		json_object_set_new(o, "rounds", rounds);
		json_array_append_new(days, o);
	}
	return days;
}

/* A patient's part of the report: their CSV rows, or their days and
 * totals as JSON, as wanted. */
static void
api_dose_patient(const struct store_patient_ref *p, void *arg)
{
	struct api_dose_report		 *rep = arg;
	struct report_dose_cell *const	 *cell;
	struct report_dose_counts	  total;
	json_t				 *days;
	size_t				  n;

	n = report_doses_cells(rep->t, p->id, &cell);
	if (rep->csv != NULL)
		api_dose_patient_lines(rep, p, cell, n);
	if (!(rep->want & API_REPORT_BODY))
		return;
	memset(&total, 0, sizeof total);
	days = api_dose_patient_days(rep->t, cell, n, &total);
	json_array_append_new(rep->patients, json_pack("{s:o,s:o,s:o}",
	    "patient", api_patient_ref_json(p), "days", days, "totals",
	    api_dose_counts_json(&total)));
}

/* The patients' ids, each once, from the sorted cells. */
static char *
api_dose_ids(const struct report_doses *t)
{
	const char	**ids;
	char		 *text;
	size_t		  i, n = 0;

	if ((ids = calloc(t->n + 1, sizeof *ids)) == NULL)
		return NULL;
	for (i = 0; i < t->n; i++)
		if (n == 0 || strcmp(ids[n - 1], t->cell[i]->patient_id) != 0)
			ids[n++] = t->cell[i]->patient_id;
	text = api_report_patient_ids(ids, n);
	free(ids);
	return text;
}

/* The unit's days and rounds (JSON and UNIT rows) and its totals. */
static json_t *
api_dose_unit(struct report_doses *t, json_t *rows)
{
	struct store_patient_ref	unit;
	char				date[TIMEFMT_DATE_LEN], round[8];
	json_t				*days = json_array();
	json_t				*rounds = json_array();
	int				 i;

	memset(&unit, 0, sizeof unit);
	strcpy(unit.prison_number, "UNIT");
	for (i = 0; i < t->period.ndays; i++) {
		timefmt_format_date(calendar_add_days(t->period.day0, i), date);
		json_array_append_new(days, api_dose_labelled(date, NULL,
		    &t->day[i]));
		api_dose_csv_row(rows, &unit, date, "", &t->day[i]);
	}
	for (i = 0; i < t->nrounds; i++) {
		api_dose_round_name(t->round[i].minute, round);
		json_array_append_new(rounds, api_dose_labelled(NULL, round,
		    &t->round[i].c));
		api_dose_csv_row(rows, &unit, "TOTAL", round, &t->round[i].c);
	}
	api_dose_csv_row(rows, &unit, "TOTAL", "", &t->total);
	return json_pack("{s:o,s:o,s:o}", "days", days, "rounds", rounds,
	    "totals", api_dose_counts_json(&t->total));
}

/* The holds raised in the period. */
static json_t *
api_dose_holds(struct report_doses *t)
{
	return json_pack("{s:i,s:i,s:i,s:o,s:o}", "raised", t->holds_raised,
	    "reviewed", (int)t->review.n, "open", t->holds_open,
	    "review_hours_median", api_report_hours(
	    report_durations_percentile(&t->review, 50)),
	    "review_hours_p90", api_report_hours(
	    report_durations_percentile(&t->review, 90)));
}

/* Load and tally the doses of [from, to], and describe them. */
static enum store_result
api_dose_report(struct request *r, struct report_doses *t,
    struct api_report_out *out)
{
	struct api_dose_report	 rep = { t, json_array(), out->want,
				    out->csv };
	char			*ids;
	enum store_result	 sr;
	json_t			*unit;

	if ((sr = store_report_doses(r->srv->store, t)) != STORE_OK)
		return sr;
	report_doses_finish(t);
	if ((ids = api_dose_ids(t)) == NULL)
		return STORE_ERROR;
	sr = store_report_patients(r->srv->store, ids, api_dose_patient,
	    &rep);
	free(ids);
	unit = api_dose_unit(t, out->rows);
	json_object_set_new(out->body, "late_after_minutes",
	    json_integer(REPORT_DOSE_LATE_MS / MS_PER_MINUTE));
	json_object_set_new(out->body, "patients", rep.patients);
	json_object_update_new(out->body, unit);
	json_object_set_new(out->body, "holds", api_dose_holds(t));
	return sr;
}

/* Build the dose report of [from, to] as of now. */
static enum store_result
api_dose_build(struct request *r, struct civil_date from, struct civil_date to,
    struct api_report_out *out)
{
	struct report_doses	*t;
	enum store_result	 sr = STORE_ERROR;

	api_report_out_new(out, from, to);
	if ((t = malloc(sizeof *t)) != NULL &&
	    report_doses_start(t, from, to, r->now) == 0)
		sr = api_dose_report(r, t, out);
	if (t != NULL) {
		report_doses_free(t);
		free(t);
	}
	return api_report_out_end(out, sr);
}

static const char *const api_dose_columns[] = {
	"prison_number", "family_name", "given_name", "location", "date",
	"round", "due", "on_time", "late", "late_minutes_max",
	"late_minutes_mean", "refused", "withheld", "missed", "away", "held",
	"pending", "given_percent", NULL
};

const struct api_report_kind api_report_doses_kind = {
	"doses", api_dose_columns, api_dose_build
};

/* GET /v1/reports/doses?from=YYYY-MM-DD&to=YYYY-MM-DD */
int
api_report_doses(struct request *r)
{
	return api_report_serve(r, &api_report_doses_kind);
}
