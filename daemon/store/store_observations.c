/* Statements on observation plans, observations and their dues. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
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

/* One patient's dues on one local day of the compliance report. */
struct store_report_cell {
	int	due, on_time, late, missed, open;
	int	timed;			/* late dues with a taken_at */
	int64_t	late_max_ms, late_total_ms;
};

/* A patient in the report, and where their days' cells begin. */
struct store_report_patient {
	struct store_patient_ref ref;
	size_t			 first;
};

/* The report being counted: its local days, each from its midnight, and
 * the patients met so far with ndays cells each; slot, a hash of their
 * ids (2 * cap entries, each an index + 1, 0 when empty), finds them. */
struct store_report_tally {
	struct civil_date		 day0;
	int				 ndays;
	int64_t				*midnight;
	struct store_report_patient	*patient;
	struct store_report_cell	*cell;
	size_t				*slot;
	size_t				 n, cap;
};

/* The local days of [from, to) and the midnights they begin at; -1 if
 * out of memory (or the period is absurdly long). */
static int
store_report_days(struct store_report_tally *t, int64_t from, int64_t to)
{
	int64_t	n;
	int	i;

	t->day0 = calendar_local_date(from);
	n = timefmt_days_from_civil(calendar_local_date(to - 1)) -
	    timefmt_days_from_civil(t->day0) + 1;
	if (n < 1 || n > INT_MAX ||
	    (t->midnight = calloc((size_t)n, sizeof *t->midnight)) == NULL)
		return -1;
	t->ndays = (int)n;
	for (i = 0; i < t->ndays; i++)
		t->midnight[i] = calendar_local_midnight(calendar_add_days(
		    t->day0, i));
	return 0;
}

/* A hash of a patient id, eight bytes at a time, then FNV-1a. */
static size_t
store_report_hash(const char *id)
{
	uint64_t	h = UINT64_C(14695981039346656037), w;
	size_t		n = strlen(id);

	for (; n >= sizeof w; n -= sizeof w, id += sizeof w) {
		memcpy(&w, id, sizeof w);
		h = (h ^ w) * UINT64_C(0x9e3779b97f4a7c15);
		h ^= h >> 29;
	}
	while (n-- > 0)
		h = (h ^ (unsigned char)*id++) * UINT64_C(1099511628211);
	return (size_t)(h ^ (h >> 32));
}

/* The slot holding a patient id, or the empty one where it would go. */
static size_t *
store_report_slot(const struct store_report_tally *t, const char *id)
{
	size_t	mask = 2 * t->cap - 1, k;

	for (k = store_report_hash(id) & mask; t->slot[k] != 0;
	    k = (k + 1) & mask)
		if (strcmp(t->patient[t->slot[k] - 1].ref.id, id) == 0)
			break;
	return &t->slot[k];
}

/* Room for twice the patients, their cells and a hash to match; -1 if
 * out of memory. */
static int
store_report_grow(struct store_report_tally *t)
{
	size_t				 cap = t->cap ? 2 * t->cap : 64, i;
	size_t				 cells = t->cap * t->ndays;
	struct store_report_patient	*p;
	struct store_report_cell	*c;
	size_t				*slot;

	if ((p = reallocarray(t->patient, cap, sizeof *p)) == NULL)
		return -1;
	t->patient = p;
	if ((c = reallocarray(t->cell, cap * t->ndays, sizeof *c)) == NULL)
		return -1;
	memset(c + cells, 0, (cap * t->ndays - cells) * sizeof *c);
	t->cell = c;
	if ((slot = calloc(2 * cap, sizeof *slot)) == NULL)
		return -1;
	free(t->slot);
	t->slot = slot;
	t->cap = cap;
	for (i = 0; i < t->n; i++)
		*store_report_slot(t, t->patient[i].ref.id) = i + 1;
	return 0;
}

/* A patient's cells, one a day, the patient added if new; NULL if out of
 * memory. */
static struct store_report_cell *
store_report_cells(struct store_report_tally *t, const char *id)
{
	struct store_report_patient	*p;
	size_t				*slot;

	if (t->n == t->cap && store_report_grow(t) == -1)
		return NULL;
	slot = store_report_slot(t, id);
	if (*slot == 0) {
		p = &t->patient[t->n];
		memset(p, 0, sizeof *p);
		snprintf(p->ref.id, sizeof p->ref.id, "%s", id);
		p->first = t->n * t->ndays;
		*slot = ++t->n;
	}
	return &t->cell[t->patient[*slot - 1].first];
}

/* Count a due (due_at, state and taken_at in columns 1 to 3) in its
 * cell. */
static void
store_report_count(sqlite3_stmt *st, struct store_report_cell *c)
{
	enum observation_due_state	state;
	int64_t				late;

	if (observation_due_state_parse(store_text(st, 2), &state) == -1)
		return;
	if (state == OBS_DUE_OPEN) {
		c->open++;
		return;
	}
	c->due++;
	if (state == OBS_DUE_ON_TIME)
		c->on_time++;
	else if (state == OBS_DUE_MISSED)
		c->missed++;
	else if (state == OBS_DUE_LATE) {
		c->late++;
		if (sqlite3_column_type(st, 3) == SQLITE_NULL)
			return;
		late = sqlite3_column_int64(st, 3) -
		    sqlite3_column_int64(st, 1);
		if (c->timed++ == 0 || late > c->late_max_ms)
			c->late_max_ms = late;
		c->late_total_ms += late;
	}
}

/* Count the period's dues in time order, so the day's index only ever
 * moves on.  A patient's id fits a struct store_patient_ref, so a due
 * whose patient_id does not is nobody's. */
static enum store_result
store_report_scan(struct store *s, struct store_report_tally *t,
    int64_t from, int64_t to)
{
	static const char sql[] = "SELECT patient_id, due_at, state, "
	    "taken_at FROM observation_dues WHERE due_at >= ?1 AND "
	    "due_at < ?2 AND state <> 'cancelled' ORDER BY due_at";
	sqlite3_stmt			*st = store_stmt(s, sql);
	struct store_report_cell	*c;
	const char			*id;
	int64_t				 due_at;
	int				 day = 0, rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = store_text(st, 0);
		if (strlen(id) >= UUID_STR_LEN)
			continue;
		due_at = sqlite3_column_int64(st, 1);
		while (day + 1 < t->ndays && due_at >= t->midnight[day + 1])
			day++;
		if ((c = store_report_cells(t, id)) == NULL) {
			store_done(st);
			return STORE_ERROR;
		}
		store_report_count(st, &c[day]);
	}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK :
	    store_failed(s, rc, "the observation report");
}

/* store_patient_ref_columns() in the shape store_get_one() takes. */
static void
store_report_ref_row(sqlite3_stmt *st, void *out)
{
	store_patient_ref_columns(st, 0, out);
}

/* Patients by family name, given name and id. */
static int
store_report_cmp(const void *a, const void *b)
{
	const struct store_report_patient	*p = a, *q = b;
	int					 c;

	if ((c = strcmp(p->ref.family_name, q->ref.family_name)) != 0 ||
	    (c = strcmp(p->ref.given_name, q->ref.given_name)) != 0)
		return c;
	return strcmp(p->ref.id, q->ref.id);
}

/* Each patient's reference, those not on record left out, and the
 * patients in the report's order. */
static enum store_result
store_report_refs(struct store *s, struct store_report_tally *t)
{
	static const char sql[] = "SELECT id, prison_number, given_name, "
	    "family_name, location FROM patients WHERE id = ?1";
	struct store_patient_ref	 ref;
	enum store_result		 r;
	size_t				 i, kept = 0;

	for (i = 0; i < t->n; i++) {
		r = store_get_one(s, sql, t->patient[i].ref.id,
		    store_report_ref_row, &ref, "patients");
		if (r == STORE_NOT_FOUND)
			continue;
		if (r != STORE_OK)
			return r;
		t->patient[kept].ref = ref;
		t->patient[kept++].first = t->patient[i].first;
	}
	t->n = kept;
	if (t->n > 0)
		qsort(t->patient, t->n, sizeof *t->patient,
		    store_report_cmp);
	return STORE_OK;
}

/* Call each for every patient's days with a due, in order. */
static void
store_report_rows(const struct store_report_tally *t,
    void (*each)(const struct store_report_row *, void *), void *arg)
{
	const struct store_report_cell	*c;
	struct store_report_row		 row;
	size_t				 i;
	int				 day;

	for (i = 0; i < t->n; i++)
		for (day = 0; day < t->ndays; day++) {
			c = &t->cell[t->patient[i].first + day];
			if (c->due == 0 && c->open == 0)
				continue;
			memset(&row, 0, sizeof row);
			row.patient = t->patient[i].ref;
			timefmt_format_date(calendar_add_days(t->day0, day),
			    row.day);
			row.due = c->due;
			row.on_time = c->on_time;
			row.late = c->late;
			row.missed = c->missed;
			row.open = c->open;
			row.late_max_ms = c->late_max_ms;
			row.late_total_ms = c->late_total_ms;
			each(&row, arg);
		}
}

/* The compliance report's arithmetic: per patient and local day of the
 * due, how many were due and met on time, late (how late) or missed.
 * The dues are read in time order along observation_dues_by_due (no
 * sort) and counted here; each day's bounds are its local midnights,
 * found once, so a day across a DST change is 23 or 25 hours long. */
enum store_result
store_observation_report(struct store *s, int64_t from, int64_t to,
    void (*each)(const struct store_report_row *, void *), void *arg)
{
	struct store_report_tally	t;
	enum store_result		r = STORE_OK;

	if (to <= from)
		return STORE_OK;
	memset(&t, 0, sizeof t);
	if (store_report_days(&t, from, to) == -1)
		r = STORE_ERROR;
	else if ((r = store_report_scan(s, &t, from, to)) == STORE_OK &&
	    (r = store_report_refs(s, &t)) == STORE_OK)
		store_report_rows(&t, each, arg);
	free(t.midnight);
	free(t.patient);
	free(t.cell);
	free(t.slot);
	return r;
}
