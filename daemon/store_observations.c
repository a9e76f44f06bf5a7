/* Statements on observation plans, observations and their dues. */
#include <string.h>

#include "store_internal.h"

#define PLAN_COLUMNS \
	"patient_id, starts_at, counts_from, ends_at, base_interval_ms, " \
	"ended_at"

/* Read a plan from PLAN_COLUMNS starting at column first. */
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
	static const char sql[] = "SELECT " PLAN_COLUMNS
	    " FROM observation_plans WHERE patient_id = ?1";

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
	if (p->ended_at != 0)
		sqlite3_bind_int64(st, 3, p->ended_at);
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
	if (o->next_due_at != 0)
		sqlite3_bind_int64(st, 15, o->next_due_at);
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
	    "WHERE patient_id = ?1";
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

/* A patient's observations, newest first, at most limit, rescored from
 * their readings (the chart is the rule; the stored total a copy). */
enum store_result
store_observation_list(struct store *s, const char *patient_id, int limit,
    void (*each)(const struct observation *, void *), void *arg)
{
	static const char sql[] = "SELECT id, patient_id, taken_at, "
	    "respiratory_rate, spo2, spo2_scale, on_oxygen, systolic_bp, "
	    "pulse, consciousness, temperature_tenths, next_due_at, "
	    "recorded_by, recorded_at FROM observations WHERE patient_id = ?1 "
	    "ORDER BY taken_at DESC, id LIMIT ?2";
	sqlite3_stmt		*st = store_stmt(s, sql);
	struct observation	 o;
	int			 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, patient_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&o, 0, sizeof o);
		store_copy_text(st, 0, o.id, sizeof o.id);
		store_copy_text(st, 1, o.patient_id, sizeof o.patient_id);
		o.taken_at = sqlite3_column_int64(st, 2);
		o.readings.respiratory_rate = sqlite3_column_int(st, 3);
		o.readings.spo2 = sqlite3_column_int(st, 4);
		o.readings.spo2_scale = sqlite3_column_int(st, 5);
		o.readings.on_oxygen = sqlite3_column_int(st, 6);
		o.readings.systolic_bp = sqlite3_column_int(st, 7);
		o.readings.pulse = sqlite3_column_int(st, 8);
		(void)news2_consciousness_parse(store_text(st, 9),
		    &o.readings.consciousness);
		o.readings.temperature_tenths = sqlite3_column_int(st, 10);
		o.next_due_at = sqlite3_column_int64(st, 11);
		store_copy_text(st, 12, o.recorded_by, sizeof o.recorded_by);
		o.recorded_at = sqlite3_column_int64(st, 13);
		news2_score(&o.readings, &o.result);
		each(&o, arg);
	}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK :
	    store_failed(s, rc, "observations");
}

#define DUE_COLUMNS \
	"d.id, d.patient_id, d.due_at, d.interval_ms, d.warn_at, " \
	"d.missed_at, d.state, d.warned, d.observation_id, d.taken_at"

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
	    "patient_id, due_at, interval_ms, warn_at, missed_at, state) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
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

/* The due whose window held an instant: due by then, and not yet missed
 * (it may have been recorded missed since). */
enum store_result
store_due_in_force(struct store *s, const char *patient_id, int64_t at,
    struct observation_due *out)
{
	static const char sql[] = "SELECT " DUE_COLUMNS " FROM "
	    "observation_dues d WHERE d.patient_id = ?1 AND "
	    "d.state IN ('open', 'missed') AND d.due_at <= ?2 AND "
	    "d.missed_at > ?2 ORDER BY d.due_at DESC LIMIT 1";
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
	if (d->taken_at != 0)
		sqlite3_bind_int64(st, 5, d->taken_at);
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
 * longest overdue first. */
enum store_result
store_dues_open_list(struct store *s,
    void (*each)(const struct store_due_row *, void *), void *arg)
{
	static const char sql[] = "SELECT " DUE_COLUMNS ", "
	    "p.id, p.prison_number, p.given_name, p.family_name, p.location, "
	    "pl.patient_id, pl.starts_at, pl.counts_from, pl.ends_at, "
	    "pl.base_interval_ms, pl.ended_at, o.taken_at, o.total, o.band "
	    "FROM observation_dues d JOIN patients p ON p.id = d.patient_id "
	    "JOIN observation_plans pl ON pl.patient_id = d.patient_id "
	    "LEFT JOIN observations o ON o.id = (SELECT id FROM observations "
	    "WHERE patient_id = d.patient_id ORDER BY taken_at DESC LIMIT 1) "
	    "WHERE d.state = 'open' ORDER BY d.due_at, p.location, d.id";
	sqlite3_stmt		*st = store_stmt(s, sql);
	struct store_due_row	 row;
	int			 rc;

	if (st == NULL)
		return STORE_ERROR;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&row, 0, sizeof row);
		store_due_columns(st, &row.due);
		store_patient_ref_columns(st, 10, &row.patient);
		store_plan_columns(st, 15, &row.plan);
		row.last_taken_at = sqlite3_column_int64(st, 21);
		row.last_total = sqlite3_column_int(st, 22);
		store_copy_text(st, 23, row.last_band, sizeof row.last_band);
		each(&row, arg);
	}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK :
	    store_failed(s, rc, "observation dues");
}

/* The compliance report's arithmetic: per patient and local day of the
 * due, how many were due and met on time, late (how late) or missed.
 * Local days come from SQLite's 'localtime', the process's time zone.
 * The dues are grouped before the patients are joined, so the sorts
 * carry a patient's names once a day rather than once a due. */
enum store_result
store_observation_report(struct store *s, int64_t from, int64_t to,
    void (*each)(const struct store_report_row *, void *), void *arg)
{
	static const char sql[] = "SELECT p.id, p.prison_number, "
	    "p.given_name, p.family_name, p.location, g.day, g.due, "
	    "g.on_time, g.late, g.missed, g.open, g.late_max, g.late_total "
	    "FROM (SELECT d.patient_id, "
	    "date(d.due_at / 1000, 'unixepoch', 'localtime') AS day, "
	    "sum(d.state IN ('on_time', 'late', 'missed')) AS due, "
	    "sum(d.state = 'on_time') AS on_time, "
	    "sum(d.state = 'late') AS late, "
	    "sum(d.state = 'missed') AS missed, "
	    "sum(d.state = 'open') AS open, "
	    "coalesce(max(CASE d.state WHEN 'late' THEN d.taken_at - d.due_at "
	    "END), 0) AS late_max, "
	    "coalesce(sum(CASE d.state WHEN 'late' THEN d.taken_at - d.due_at "
	    "END), 0) AS late_total "
	    "FROM observation_dues d "
	    "WHERE d.due_at >= ?1 AND d.due_at < ?2 AND d.state <> 'cancelled' "
	    "GROUP BY d.patient_id, day) g "
	    "JOIN patients p ON p.id = g.patient_id "
	    "ORDER BY p.family_name, p.given_name, p.id, g.day";
	sqlite3_stmt		*st = store_stmt(s, sql);
	struct store_report_row	 row;
	int			 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&row, 0, sizeof row);
		store_patient_ref_columns(st, 0, &row.patient);
		store_copy_text(st, 5, row.day, sizeof row.day);
		row.due = sqlite3_column_int(st, 6);
		row.on_time = sqlite3_column_int(st, 7);
		row.late = sqlite3_column_int(st, 8);
		row.missed = sqlite3_column_int(st, 9);
		row.open = sqlite3_column_int(st, 10);
		row.late_max_ms = sqlite3_column_int64(st, 11);
		row.late_total_ms = sqlite3_column_int64(st, 12);
		each(&row, arg);
	}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK :
	    store_failed(s, rc, "the observation report");
}
