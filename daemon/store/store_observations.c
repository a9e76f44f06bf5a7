/* Statements on observation plans, observations and their dues. */
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "store_corrections.h"
#include "store_internal.h"

#define PLAN_COLUMNS \
	"patient_id, starts_at, counts_from, ends_at, base_interval_ms, " \
	"ended_at"
/* When the plan's patient left for court, if they are away there now
 * (NULL otherwise), for the plan of alias pl. */
#define PLAN_AWAY(pl) \
	"(SELECT m.departed_at FROM movements m WHERE m.patient_id = " \
	pl ".patient_id AND m.kind = 'court' AND m.state = 'departed')"

/* Read a plan from PLAN_COLUMNS and PLAN_AWAY starting at column
 * first. */
static void
store_plan_columns(sqlite3_stmt *st, int first, struct observation_plan *p)
{
	memset(p, 0, sizeof *p);
	store_copy_text(st, first, p->patient_id, sizeof p->patient_id);
	p->starts_at = sqlite3_column_int64(st, first + 1);
	p->counts_from = sqlite3_column_int64(st, first + 2);
	p->ends_at = sqlite3_column_int64(st, first + 3);
	p->base_interval_ms = sqlite3_column_int64(st, first + 4);
	p->ended_at = sqlite3_column_int64(st, first + 5);
	p->away_since = sqlite3_column_int64(st, first + 6);
}

/* store_plan_columns() in the shape store_get_one() takes. */
static void
store_plan_row(sqlite3_stmt *st, void *out)
{
	store_plan_columns(st, 0, out);
}

/* Store a new plan. */
enum store_result
store_plan_insert(struct store *s, const struct observation_plan *p,
    const char *by, int64_t now)
{
	static const char sql[] = "INSERT INTO observation_plans ("
	    PLAN_COLUMNS ", created_by, created_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6, ?7)";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, p->patient_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, p->starts_at);
	sqlite3_bind_int64(st, 3, p->counts_from);
	sqlite3_bind_int64(st, 4, p->ends_at);
	sqlite3_bind_int64(st, 5, p->base_interval_ms);
	sqlite3_bind_text(st, 6, by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, now);
	return store_step_done(s, st);
}

/* A patient's plan. */
enum store_result
store_plan_get(struct store *s, const char *patient_id,
    struct observation_plan *out)
{
	static const char sql[] = "SELECT " PLAN_COLUMNS ", "
	    PLAN_AWAY("pl") " FROM observation_plans pl "
	    "WHERE patient_id = ?1";

	return store_get_one(s, sql, patient_id, store_plan_row, out,
	    "observation plans");
}

/* Record a plan extended or ended. */
enum store_result
store_plan_update(struct store *s, const struct observation_plan *p)
{
	static const char sql[] = "UPDATE observation_plans SET ends_at = ?2, "
	    "ended_at = ?3 WHERE patient_id = ?1";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, p->patient_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, p->ends_at);
	store_bind_instant(st, 3, p->ended_at);
	return store_step_done(s, st);
}

/* Store an observation with its score. */
enum store_result
store_observation_insert(struct store *s, const struct observation *o)
{
	static const char sql[] = "INSERT INTO observations (id, patient_id, "
	    "taken_at, respiratory_rate, spo2, spo2_scale, on_oxygen, "
	    "systolic_bp, pulse, consciousness, temperature_tenths, total, "
	    "band, red_parameter, next_due_at, recorded_by, recorded_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
	    "?14, ?15, ?16, ?17)";
	const struct news2_readings	*r = &o->readings;
	sqlite3_stmt			*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, o->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, o->patient_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, o->taken_at);
	sqlite3_bind_int(st, 4, r->respiratory_rate);
	sqlite3_bind_int(st, 5, r->spo2);
	sqlite3_bind_int(st, 6, r->spo2_scale);
	sqlite3_bind_int(st, 7, r->on_oxygen);
	sqlite3_bind_int(st, 8, r->systolic_bp);
	sqlite3_bind_int(st, 9, r->pulse);
	sqlite3_bind_text(st, 10, news2_consciousness_name(r->consciousness),
	    -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 11, r->temperature_tenths);
	sqlite3_bind_int(st, 12, o->result.total);
	sqlite3_bind_text(st, 13, news2_band_name(o->result.band), -1,
	    SQLITE_STATIC);
	if (o->result.red)
		sqlite3_bind_text(st, 14, news2_parameter_name(
		    o->result.red_parameter), -1, SQLITE_STATIC);
	store_bind_instant(st, 15, o->next_due_at);
	sqlite3_bind_text(st, 16, o->recorded_by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 17, o->recorded_at);
	return store_step_done(s, st);
}

/* When the patient's latest observation was taken, or 0. */
enum store_result
store_observation_last(struct store *s, const char *patient_id,
    int64_t *taken_at)
{
	static const char sql[] = "SELECT max(taken_at) FROM observations "
	    "WHERE patient_id = ?1 AND id NOT IN (SELECT observation_id "
	    "FROM observation_errors)";
	sqlite3_stmt	*st = store_stmt(s, sql);
	int		 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, patient_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	*taken_at = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	store_done(st);
	return rc == SQLITE_ROW ? STORE_OK :
	    store_failed(s, rc, "observations");
}

/* Read an observation selected with OBSERVATION_COLUMNS, rescored from
 * its readings (the chart is the rule; the stored total a copy). */
void
store_observation_columns(sqlite3_stmt *st, struct observation *o)
{
	memset(o, 0, sizeof *o);
	store_copy_text(st, 0, o->id, sizeof o->id);
	store_copy_text(st, 1, o->patient_id, sizeof o->patient_id);
	o->taken_at = sqlite3_column_int64(st, 2);
	o->readings.respiratory_rate = sqlite3_column_int(st, 3);
	o->readings.spo2 = sqlite3_column_int(st, 4);
	o->readings.spo2_scale = sqlite3_column_int(st, 5);
	o->readings.on_oxygen = sqlite3_column_int(st, 6);
	o->readings.systolic_bp = sqlite3_column_int(st, 7);
	o->readings.pulse = sqlite3_column_int(st, 8);
	(void)news2_consciousness_parse(store_text(st, 9),
	    &o->readings.consciousness);
	o->readings.temperature_tenths = sqlite3_column_int(st, 10);
	o->next_due_at = sqlite3_column_int64(st, 11);
	store_copy_text(st, 12, o->recorded_by, sizeof o->recorded_by);
	o->recorded_at = sqlite3_column_int64(st, 13);
	news2_score(&o->readings, &o->result);
}

/* Step a bound statement that selects OBSERVATION_COLUMNS, calling each
 * for every observation. */
enum store_result
store_observations_each(struct store *s, sqlite3_stmt *st,
    void (*each)(const struct observation *, void *), void *arg)
{
	struct observation	o;
	int			rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_observation_columns(st, &o);
		each(&o, arg);
	}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK :
	    store_failed(s, rc, "observations");
}

/* A patient's observations, newest first, at most limit. */
enum store_result
store_observation_list(struct store *s, const char *patient_id, int limit,
    void (*each)(const struct observation *, void *), void *arg)
{
	static const char sql[] = "SELECT " OBSERVATION_COLUMNS
	    " FROM observations WHERE patient_id = ?1 "
	    "ORDER BY taken_at DESC, id LIMIT ?2";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, patient_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, limit);
	return store_observations_each(s, st, each, arg);
}

#define DUE_COLUMNS \
	"d.id, d.patient_id, d.due_at, d.interval_ms, d.warn_at, " \
	"d.missed_at, d.state, d.warned, d.observation_id, d.taken_at, " \
	"d.opened_at"

/* Read a due from DUE_COLUMNS. */
static void
store_due_columns(sqlite3_stmt *st, struct observation_due *d)
{
	memset(d, 0, sizeof *d);
	store_copy_text(st, 0, d->id, sizeof d->id);
	store_copy_text(st, 1, d->patient_id, sizeof d->patient_id);
	d->due_at = sqlite3_column_int64(st, 2);
	d->interval_ms = sqlite3_column_int64(st, 3);
	d->warn_at = sqlite3_column_int64(st, 4);
	d->missed_at = sqlite3_column_int64(st, 5);
	if (observation_due_state_parse(store_text(st, 6), &d->state) == -1)
		d->state = OBS_DUE_MISSED;
	d->warned = sqlite3_column_int(st, 7);
	store_copy_text(st, 8, d->observation_id, sizeof d->observation_id);
	d->taken_at = sqlite3_column_int64(st, 9);
	d->opened_at = sqlite3_column_int64(st, 10);
}

/* store_due_columns() in the shape store_get_one() takes. */
static void
store_due_row(sqlite3_stmt *st, void *out)
{
	store_due_columns(st, out);
}

/* Store a new due: open, or already missed (caught up after downtime). */
enum store_result
store_due_insert(struct store *s, const struct observation_due *d)
{
	static const char sql[] = "INSERT INTO observation_dues (id, "
	    "patient_id, due_at, interval_ms, warn_at, missed_at, state, "
	    "opened_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, d->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, d->patient_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, d->due_at);
	sqlite3_bind_int64(st, 4, d->interval_ms);
	sqlite3_bind_int64(st, 5, d->warn_at);
	sqlite3_bind_int64(st, 6, d->missed_at);
	sqlite3_bind_text(st, 7, observation_due_state_name(d->state), -1,
	    SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, d->opened_at);
	return store_step_done(s, st);
}

/* A patient's open due, if there is one. */
enum store_result
store_due_open(struct store *s, const char *patient_id,
    struct observation_due *out)
{
	static const char sql[] = "SELECT " DUE_COLUMNS " FROM "
	    "observation_dues d WHERE d.patient_id = ?1 AND d.state = 'open'";

	return store_get_one(s, sql, patient_id, store_due_row, out,
	    "observation dues");
}

/* The due an observation met, if any. */
enum store_result
store_due_of_observation(struct store *s, const char *observation_id,
    struct observation_due *out)
{
	static const char sql[] = "SELECT " DUE_COLUMNS " FROM "
	    "observation_dues d WHERE d.observation_id = ?1";

	return store_get_one(s, sql, observation_id, store_due_row, out,
	    "observation dues");
}

/* The patient's due last opened at or before an instant, whatever its
 * state: the one whose window held it, if any did. */
enum store_result
store_due_last_opened(struct store *s, const char *patient_id, int64_t at,
    struct observation_due *out)
{
	static const char sql[] = "SELECT " DUE_COLUMNS " FROM "
	    "observation_dues d WHERE d.patient_id = ?1 AND "
	    "d.opened_at <= ?2 ORDER BY d.opened_at DESC, d.due_at DESC "
	    "LIMIT 1";
	sqlite3_stmt		*st = store_stmt(s, sql);
	enum store_result	 r = STORE_OK;
	int			 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, patient_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, at);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		store_due_columns(st, out);
	else if (rc == SQLITE_DONE)
		r = STORE_NOT_FOUND;
	else
		r = store_failed(s, rc, "observation dues");
	store_done(st);
	return r;
}

/* Record how a due was met, missed, warned about or moved. */
enum store_result
store_due_update(struct store *s, const struct observation_due *d)
{
	static const char sql[] = "UPDATE observation_dues SET state = ?2, "
	    "warned = ?3, observation_id = ?4, taken_at = ?5, due_at = ?6, "
	    "interval_ms = ?7, warn_at = ?8, missed_at = ?9 WHERE id = ?1";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, d->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, observation_due_state_name(d->state), -1,
	    SQLITE_STATIC);
	sqlite3_bind_int(st, 3, d->warned);
	store_bind_optional(st, 4, d->observation_id);
	store_bind_instant(st, 5, d->taken_at);
	sqlite3_bind_int64(st, 6, d->due_at);
	sqlite3_bind_int64(st, 7, d->interval_ms);
	sqlite3_bind_int64(st, 8, d->warn_at);
	sqlite3_bind_int64(st, 9, d->missed_at);
	return store_step_done(s, st);
}

/* Call each for the dues a statement selects with now as ?1 and a limit
 * as ?2. */
static enum store_result
store_dues_at(struct store *s, const char *sql, int64_t now, int limit,
    void (*each)(const struct observation_due *, void *), void *arg)
{
	sqlite3_stmt		*st = store_stmt(s, sql);
	struct observation_due	 d;
	int			 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int(st, 2, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_due_columns(st, &d);
		each(&d, arg);
	}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK :
	    store_failed(s, rc, "observation dues");
}

/* Open dues past their grace and not yet warned about. */
enum store_result
store_dues_to_warn(struct store *s, int64_t now, int limit,
    void (*each)(const struct observation_due *, void *), void *arg)
{
	static const char sql[] = "SELECT " DUE_COLUMNS " FROM "
	    "observation_dues d WHERE d.state = 'open' AND d.warned = 0 AND "
	    "d.warn_at <= ?1 ORDER BY d.warn_at LIMIT ?2";

	return store_dues_at(s, sql, now, limit, each, arg);
}

/* Open dues whose next would have been due by now: missed. */
enum store_result
store_dues_to_miss(struct store *s, int64_t now, int limit,
    void (*each)(const struct observation_due *, void *), void *arg)
{
	static const char sql[] = "SELECT " DUE_COLUMNS " FROM "
	    "observation_dues d WHERE d.state = 'open' AND d.missed_at <= ?1 "
	    "ORDER BY d.missed_at LIMIT ?2";

	return store_dues_at(s, sql, now, limit, each, arg);
}

/* The next warning or miss to fire, or 0 if none. */
enum store_result
store_due_next_deadline(struct store *s, int64_t *at)
{
	static const char warn_sql[] = "SELECT min(warn_at) FROM "
	    "observation_dues WHERE state = 'open' AND warned = 0";
	static const char miss_sql[] = "SELECT min(missed_at) FROM "
	    "observation_dues WHERE state = 'open'";

	return store_earliest(s, warn_sql, miss_sql, at);
}

/* Every open due with its patient, plan and last observation, the
 * longest overdue first, then every plan running at now whose patient is
 * away at court (no due open: due.id empty). */
enum store_result
store_dues_open_list(struct store *s, int64_t now,
    void (*each)(const struct store_due_row *, void *), void *arg)
{
	static const char sql[] = "SELECT " DUE_COLUMNS ", "
	    "p.id, p.prison_number, p.given_name, p.family_name, p.location, "
	    "pl.patient_id, pl.starts_at, pl.counts_from, pl.ends_at, "
	    "pl.base_interval_ms, pl.ended_at, " PLAN_AWAY("pl") ", "
	    "o.taken_at, o.total, o.band "
	    "FROM observation_plans pl JOIN patients p ON p.id = pl.patient_id "
	    "LEFT JOIN observation_dues d ON d.patient_id = pl.patient_id "
	    "AND d.state = 'open' "
	    "LEFT JOIN observations o ON o.id = (SELECT id FROM observations "
	    "WHERE patient_id = pl.patient_id AND id NOT IN (SELECT "
	    "observation_id FROM observation_errors) ORDER BY taken_at DESC "
	    "LIMIT 1) "
	    "WHERE d.id IS NOT NULL OR (pl.ended_at IS NULL AND "
	    "pl.ends_at > ?1 AND " PLAN_AWAY("pl") " IS NOT NULL) "
	    "ORDER BY d.id IS NULL, d.due_at, p.location, d.id, p.id";
	sqlite3_stmt		*st = store_stmt(s, sql);
	struct store_due_row	 row;
	int			 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, now);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&row, 0, sizeof row);
		store_due_columns(st, &row.due);
		store_patient_ref_columns(st, 11, &row.patient);
		store_plan_columns(st, 16, &row.plan);
		row.last_taken_at = sqlite3_column_int64(st, 23);
		row.last_total = sqlite3_column_int(st, 24);
		store_copy_text(st, 25, row.last_band, sizeof row.last_band);
		each(&row, arg);
	}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK :
	    store_failed(s, rc, "observation dues");
}

/* Feed the period's dues to the tally in time order, along
 * observation_dues_by_due (no sort). */
static enum store_result
store_report_scan(struct store *s, struct report_tally *t, int64_t from,
    int64_t to)
{
	static const char sql[] = "SELECT patient_id, due_at, state, "
	    "taken_at, warn_at FROM observation_dues WHERE due_at >= ?1 AND "
	    "due_at < ?2 AND patient_id NOT IN (SELECT id FROM patients "
	    "WHERE status = 'entered_in_error') ORDER BY due_at";
	sqlite3_stmt		*st = store_stmt(s, sql);
	struct report_due	 d;
	int			 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		d.patient_id = store_text(st, 0);
		d.due_at = sqlite3_column_int64(st, 1);
		d.taken_at = sqlite3_column_int64(st, 3);
		d.warn_at = sqlite3_column_int64(st, 4);
		if (observation_due_state_parse(store_text(st, 2), &d.state) ==
		    0 && report_tally_add(t, &d) == -1) {
			store_done(st);
			return STORE_ERROR;
		}
	}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK :
	    store_failed(s, rc, "the observation report");
}

/* Feed the tally the period's observations written up late (one scan of
 * the observations, cheaper than joining each due to its own). */
static enum store_result
store_report_written_late(struct store *s, struct report_tally *t,
    int64_t from, int64_t to)
{
	static const char sql[] = "SELECT patient_id, taken_at FROM "
	    "observations WHERE taken_at >= ?1 AND taken_at < ?2 AND "
	    "recorded_at - taken_at > ?3 AND patient_id NOT IN (SELECT id "
	    "FROM patients WHERE status = 'entered_in_error')";
	sqlite3_stmt	*st = store_stmt(s, sql);
	int		 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	sqlite3_bind_int64(st, 3, REPORT_WRITTEN_LATE_MS);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (report_tally_written_late(t, store_text(st, 0),
		    sqlite3_column_int64(st, 1)) == -1) {
			store_done(st);
			return STORE_ERROR;
		}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK :
	    store_failed(s, rc, "the observation report");
}

/* The tallied patients' ids as a JSON array, for json_each(); NULL if out
 * of memory. */
static char *
store_report_ids(const struct report_tally *t)
{
	json_t	*ids = json_array();
	char	*text;
	size_t	 i;

	for (i = 0; ids != NULL && i < t->n; i++)
		if (json_array_append_new(ids, json_string(t->patient[i]->id))
		    == -1) {
			json_decref(ids);
			return NULL;
		}
	text = ids != NULL ? json_dumps(ids, JSON_COMPACT) : NULL;
	json_decref(ids);
	return text;
}

/* Call each for a patient's days with a due. */
static void
store_report_patient(const struct report_tally *t,
    const struct store_patient_ref *ref,
    void (*each)(const struct store_report_row *, void *), void *arg)
{
	const struct report_counts	*days = report_tally_days(t, ref->id);
	struct store_report_row		 row;
	int				 day;

	for (day = 0; days != NULL && day < t->ndays; day++) {
		if (days[day].due == 0 && days[day].pending == 0 &&
		    days[day].written_late == 0)
			continue;
		memset(&row, 0, sizeof row);
		row.patient = *ref;
		timefmt_format_date(calendar_add_days(t->day0, day), row.day);
		row.counts = days[day];
		each(&row, arg);
	}
}

/* Call each for the tallied patients' days, the patients by family name,
 * given name and id, those not on record left out. */
static enum store_result
store_report_rows(struct store *s, const struct report_tally *t,
    void (*each)(const struct store_report_row *, void *), void *arg)
{
	static const char sql[] = "SELECT id, prison_number, given_name, "
	    "family_name, location FROM patients WHERE id IN (SELECT value "
	    "FROM json_each(?1)) ORDER BY family_name, given_name, id";
	sqlite3_stmt			*st;
	struct store_patient_ref	 ref;
	char				*ids;
	int				 rc;

	if ((ids = store_report_ids(t)) == NULL)
		return STORE_ERROR;
	if ((st = store_stmt(s, sql)) == NULL) {
		free(ids);
		return STORE_ERROR;
	}
	sqlite3_bind_text(st, 1, ids, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_patient_ref_columns(st, 0, &ref);
		store_report_patient(t, &ref, each, arg);
	}
	store_done(st);
	free(ids);
	return rc == SQLITE_DONE ? STORE_OK :
	    store_failed(s, rc, "the observation report");
}

/* The compliance report as of now: per patient and local day of the
 * due, how many were due and met on time, late (how late), missed or
 * overdue, as report_tally_add() counts them from the period's dues. */
enum store_result
store_observation_report(struct store *s, int64_t from, int64_t to,
    int64_t now, void (*each)(const struct store_report_row *, void *),
    void *arg)
{
	struct report_tally	t;
	enum store_result	r = STORE_ERROR;

	if (to <= from)
		return STORE_OK;
	if (report_tally_start(&t, from, to, now) == 0 &&
	    (r = store_report_scan(s, &t, from, to)) == STORE_OK &&
	    (r = store_report_written_late(s, &t, from, to)) == STORE_OK)
		r = store_report_rows(s, &t, each, arg);
	report_tally_free(&t);
	return r;
}
