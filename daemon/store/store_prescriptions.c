/* Statements on prescriptions, their reducing steps and their reviews. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "store_internal.h"

#define PRESCRIPTION_COLUMNS \
	"id, patient_id, product_id, regimen, dose, times, every_days, " \
	"start_date, end_date, prescriber_id, created_at, stopped_at, " \
	"stopped_by, stop_reason, held_at, not_taken_run, generated_until, " \
	"override_reason, override_codes"

/* "08:00,20:00" into minutes after midnight. */
static void
store_prescription_times(const char *text, struct prescription *p)
{
	char	buf[6];

	p->ntimes = 0;
	while (p->ntimes < PRESCRIPTION_MAX_TIMES && strlen(text) >= 5) {
		memcpy(buf, text, 5);
		buf[5] = '\0';
		if (prescription_time_parse(buf, &p->times[p->ntimes]) == 0)
			p->ntimes++;
		text += 5;
		if (*text == ',')
			text++;
	}
}

/* Read a row selected with PRESCRIPTION_COLUMNS (not its steps). */
static void
store_prescription_row(sqlite3_stmt *st, void *out)
{
	struct prescription	*p = out;

	memset(p, 0, sizeof *p);
	store_copy_text(st, 0, p->id, sizeof p->id);
	store_copy_text(st, 1, p->patient_id, sizeof p->patient_id);
	store_copy_text(st, 2, p->product_id, sizeof p->product_id);
	if (prescription_regimen_parse(store_text(st, 3), &p->regimen) == -1)
		p->regimen = REGIMEN_MAINTENANCE;
	p->dose = sqlite3_column_int64(st, 4);
	store_prescription_times(store_text(st, 5), p);
	p->every_days = sqlite3_column_int(st, 6);
	(void)timefmt_parse_date(store_text(st, 7), &p->start);
	p->has_end = timefmt_parse_date(store_text(st, 8), &p->end) == 0;
	store_copy_text(st, 9, p->prescriber_id, sizeof p->prescriber_id);
	p->created_at = sqlite3_column_int64(st, 10);
	p->stopped_at = sqlite3_column_int64(st, 11);
	store_copy_text(st, 12, p->stopped_by, sizeof p->stopped_by);
	store_copy_text(st, 13, p->stop_reason, sizeof p->stop_reason);
	p->held_at = sqlite3_column_int64(st, 14);
	p->not_taken_run = sqlite3_column_int(st, 15);
	p->generated_until = sqlite3_column_int64(st, 16);
	store_copy_text(st, 17, p->override_reason, sizeof p->override_reason);
	store_copy_text(st, 18, p->override_codes, sizeof p->override_codes);
}

/* Read a prescription's reducing steps, in date order. */
static enum store_result
store_prescription_steps(struct store *s, struct prescription *p)
{
	static const char sql[] = "SELECT from_date, dose FROM "
	    "prescription_steps WHERE prescription_id = ?1 ORDER BY from_date";
	sqlite3_stmt	*st = store_stmt(s, sql);
	int		 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, p->id, -1, SQLITE_STATIC);
	p->nsteps = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW &&
	    p->nsteps < PRESCRIPTION_MAX_STEPS) {
		(void)timefmt_parse_date(store_text(st, 0),
		    &p->steps[p->nsteps].from);
		p->steps[p->nsteps++].dose = sqlite3_column_int64(st, 1);
	}
	store_done(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK :
	    store_failed(s, rc, "prescription steps");
}

/* Store a prescription's reducing steps. */
static enum store_result
store_prescription_insert_steps(struct store *s, const struct prescription *p)
{
	static const char sql[] = "INSERT INTO prescription_steps "
	    "(prescription_id, from_date, dose) VALUES (?1, ?2, ?3)";
	char			date[TIMEFMT_DATE_LEN];
	sqlite3_stmt		*st;
	enum store_result	 r;
	int			 i;

	for (i = 0; i < p->nsteps; i++) {
		if ((st = store_stmt(s, sql)) == NULL)
			return STORE_ERROR;
		timefmt_format_date(p->steps[i].from, date);
		sqlite3_bind_text(st, 1, p->id, -1, SQLITE_STATIC);
		/* STATIC: date outlives the step.  A TRANSIENT copy that
		 * runs out of memory leaves the parameter NULL and the step
		 * goes ahead with it. */
		sqlite3_bind_text(st, 2, date, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, p->steps[i].dose);
		if ((r = store_step_done(s, st)) != STORE_OK)
			return r;
	}
	return STORE_OK;
}

/* Store a new prescription with its steps and the instants its
 * doses begin and end. */
enum store_result
store_prescription_insert(struct store *s, const struct prescription *p)
{
	static const char sql[] = "INSERT INTO prescriptions (id, patient_id, "
	    "product_id, regimen, dose, times, every_days, start_date, "
	    "end_date, prescriber_id, created_at, generated_until, "
	    "not_taken_run, starts_at, ends_at, override_reason, "
	    "override_codes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
	    "?11, ?12, ?13, ?14, ?15, nullif(?16, ''), nullif(?17, ''))";
	char			 times[PRESCRIPTION_MAX_TIMES * 6 + 1] = "";
	char			 hhmm[6], start[TIMEFMT_DATE_LEN];
	char			 end[TIMEFMT_DATE_LEN];
	sqlite3_stmt		*st = store_stmt(s, sql);
	enum store_result	 r;
	int			 i;

	if (st == NULL)
		return STORE_ERROR;
	for (i = 0; i < p->ntimes; i++) {
		prescription_time_format(p->times[i], hhmm);
		if (i > 0)
			strcat(times, ",");
		strcat(times, hhmm);
	}
	timefmt_format_date(p->start, start);
	sqlite3_bind_text(st, 1, p->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, p->patient_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, p->product_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, prescription_regimen_name(p->regimen), -1,
	    SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, p->dose);
	/* STATIC, not TRANSIENT: the buffers outlive the step, and a copy
	 * that ran out of memory would leave its parameter NULL, the step
	 * going ahead with it: a prescription stored without its end date. */
	sqlite3_bind_text(st, 6, times, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 7, p->every_days);
	sqlite3_bind_text(st, 8, start, -1, SQLITE_STATIC);
	if (p->has_end) {
		timefmt_format_date(p->end, end);
		sqlite3_bind_text(st, 9, end, -1, SQLITE_STATIC);
	}
	sqlite3_bind_text(st, 10, p->prescriber_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 11, p->created_at);
	sqlite3_bind_int64(st, 12, p->generated_until);
	sqlite3_bind_int(st, 13, p->not_taken_run);
	sqlite3_bind_int64(st, 14, calendar_local_midnight(p->start));
	sqlite3_bind_int64(st, 15, prescription_doses_end(p));
	sqlite3_bind_text(st, 16, p->override_reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 17, p->override_codes, -1, SQLITE_STATIC);
	if ((r = store_step_done(s, st)) != STORE_OK)
		return r;
	return store_prescription_insert_steps(s, p);
}

/* A prescription with its steps. */
enum store_result
store_prescription_get(struct store *s, const char *id,
    struct prescription *out)
{
	static const char sql[] = "SELECT " PRESCRIPTION_COLUMNS
	    " FROM prescriptions WHERE id = ?1";
	enum store_result	r;

	r = store_get_one(s, sql, id, store_prescription_row, out,
	    "prescriptions");
	return r == STORE_OK ? store_prescription_steps(s, out) : r;
}

/* Call each for every prescription a bound statement selects. */
static enum store_result
store_prescription_each(struct store *s, sqlite3_stmt *st,
    void (*each)(const struct prescription *, void *), void *arg)
{
	struct prescription	*p;
	enum store_result	 r = STORE_OK;
	int			 rc;

	if ((p = malloc(sizeof *p)) == NULL) {
		store_done(st);
		return STORE_ERROR;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_prescription_row(st, p);
		if ((r = store_prescription_steps(s, p)) != STORE_OK)
			break;
		each(p, arg);
	}
	store_done(st);
	free(p);
	if (r != STORE_OK)
		return r;
	return rc == SQLITE_DONE ? STORE_OK :
	    store_failed(s, rc, "prescriptions");
}

/* A patient's prescriptions, newest first. */
enum store_result
store_prescription_list(struct store *s, const char *patient_id,
    void (*each)(const struct prescription *, void *), void *arg)
{
	static const char sql[] = "SELECT " PRESCRIPTION_COLUMNS
	    " FROM prescriptions WHERE patient_id = ?1 "
	    "ORDER BY created_at DESC, id";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, patient_id, -1, SQLITE_STATIC);
	return store_prescription_each(s, st, each, arg);
}

/* Record a prescription's running state: stopped, held, its run of doses
 * not taken, and how far its doses have been laid out. */
enum store_result
store_prescription_update(struct store *s, const struct prescription *p)
{
	static const char sql[] = "UPDATE prescriptions SET stopped_at = ?2, "
	    "stopped_by = ?3, stop_reason = ?4, held_at = ?5, "
	    "not_taken_run = ?6, generated_until = ?7 WHERE id = ?1";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, p->id, -1, SQLITE_STATIC);
	if (p->stopped_at != 0) {
		sqlite3_bind_int64(st, 2, p->stopped_at);
		sqlite3_bind_text(st, 3, p->stopped_by, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, p->stop_reason, -1, SQLITE_STATIC);
	}
	store_bind_instant(st, 5, p->held_at);
	sqlite3_bind_int(st, 6, p->not_taken_run);
	sqlite3_bind_int64(st, 7, p->generated_until);
	return store_step_done(s, st);
}

/* Whether the patient already has a prescription of the same product, not
 * stopped, whose days overlap p's. */
enum store_result
store_prescription_overlapping(struct store *s, const struct prescription *p,
    int *found)
{
	static const char sql[] = "SELECT count(*) FROM prescriptions "
	    "WHERE patient_id = ?1 AND product_id = ?2 AND stopped_at IS NULL "
	    "AND starts_at < ?4 AND ends_at > ?3";
	sqlite3_stmt	*st = store_stmt(s, sql);
	int		 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, p->patient_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, p->product_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, calendar_local_midnight(p->start));
	sqlite3_bind_int64(st, 4, prescription_doses_end(p));
	rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
	store_done(st);
	return rc == SQLITE_ROW ? STORE_OK :
	    store_failed(s, rc, "prescriptions");
}

/* The run of doses not taken and the hold of the patient's prescription
 * of p's product stopped last, and when it was stopped; STORE_NOT_FOUND
 * if none was.  What a new prescription carries over from it is
 * dose_hold_carried()'s to decide. */
enum store_result
store_prescription_last_stopped(struct store *s, const struct prescription *p,
    struct dose_hold *last, int64_t *stopped_at)
{
	static const char sql[] = "SELECT not_taken_run, held_at, stopped_at "
	    "FROM prescriptions WHERE patient_id = ?1 AND product_id = ?2 "
	    "AND stopped_at IS NOT NULL ORDER BY stopped_at DESC LIMIT 1";
	sqlite3_stmt	*st = store_stmt(s, sql);
	int		 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, p->patient_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, p->product_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		last->run = sqlite3_column_int(st, 0);
		last->held_at = sqlite3_column_int64(st, 1);
		*stopped_at = sqlite3_column_int64(st, 2);
	}
	store_done(st);
	if (rc == SQLITE_ROW)
		return STORE_OK;
	return rc == SQLITE_DONE ? STORE_NOT_FOUND :
	    store_failed(s, rc, "prescriptions");
}

/* Prescriptions still running whose doses are laid out only to before
 * the given instant. */
enum store_result
store_prescriptions_to_extend(struct store *s, int64_t before, int limit,
    void (*each)(const struct prescription *, void *), void *arg)
{
	static const char sql[] = "SELECT " PRESCRIPTION_COLUMNS
	    " FROM prescriptions WHERE stopped_at IS NULL AND "
	    "generated_until <= ?1 ORDER BY generated_until LIMIT ?2";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, before);
	sqlite3_bind_int(st, 2, limit);
	return store_prescription_each(s, st, each, arg);
}

/* How far the least laid-out running prescription reaches, or -1 if
 * none has doses still to lay out (0: one has none laid out yet). */
enum store_result
store_prescription_next_extension(struct store *s, int64_t *at)
{
	static const char sql[] = "SELECT coalesce(min(generated_until), -1) "
	    "FROM prescriptions WHERE stopped_at IS NULL AND "
	    "generated_until < 9223372036854775807";

	return store_one_int64(s, sql, NULL, at);
}

/* Record a prescriber's review of a held prescription. */
enum store_result
store_review_insert(struct store *s, const char *id,
    const char *prescription_id, const char *note, int64_t now,
    const char *by)
{
	static const char sql[] = "INSERT INTO prescription_reviews (id, "
	    "prescription_id, note, reviewed_at, reviewed_by) "
	    "VALUES (?1, ?2, ?3, ?4, ?5)";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, prescription_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, note, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_text(st, 5, by, -1, SQLITE_STATIC);
	return store_step_done(s, st);
}

/* A count selected as the only column. */
static void
store_prescription_count(sqlite3_stmt *st, void *out)
{
	*(int *)out = sqlite3_column_int(st, 0);
}

/* How many prescriptions of an opioid substitute the patient (one custody)
 * has had written, stopped ones included: the first is checked against
 * what they are known to tolerate (prescribing.c). */
enum store_result
store_prescription_substitutes(struct store *s, const char *patient_id,
    int *n)
{
	static const char sql[] = "SELECT count(*) FROM prescriptions rx "
	    "JOIN products pr ON pr.id = rx.product_id "
	    "WHERE rx.patient_id = ?1 AND pr.opioid_substitute = 1";

	return store_get_one(s, sql, patient_id, store_prescription_count, n,
	    "prescriptions");
}
