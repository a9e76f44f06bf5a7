/* Statements on the readiness register, the duty rota, the unit's round
 * times and the cover alerts already raised (issue 20). */
#include <stdlib.h>
#include <string.h>

#include "prescription.h"
#include "store_internal.h"
#include "store_readiness.h"

/* A section's row or a change, selected as
 * number, status, evidence, owner (3), target_date, at, by (3). */
#define READINESS_COLUMNS(at, by) \
	"r.number, r.status, r.evidence, o.id, o.username, " \
	"o.display_name, r.target_date, r." at ", b.id, b.username, " \
	"b.display_name"
#define READINESS_PEOPLE(by) \
	" LEFT JOIN staff o ON o.id = r.owner_id JOIN staff b ON b.id = r." by

static void
store_readiness_row(sqlite3_stmt *st, struct store_readiness_row *r)
{
	memset(r, 0, sizeof *r);
	r->number = sqlite3_column_int(st, 0);
	if (readiness_status_parse(store_text(st, 1), &r->status) == -1)
		r->status = READINESS_NONE;
	store_copy_text(st, 2, r->evidence, sizeof r->evidence);
	store_person_columns(st, 3, &r->owner);
	store_copy_text(st, 6, r->target_date, sizeof r->target_date);
	r->at = sqlite3_column_int64(st, 7);
	store_person_columns(st, 8, &r->by);
}

/* Every section, those with nothing recorded left at status NONE. */
enum store_result
store_readiness_list(struct store *s,
    struct store_readiness_row rows[READINESS_SECTIONS])
{
	static const char sql[] = "SELECT " READINESS_COLUMNS("updated_at",
	    "updated_by") " FROM readiness_sections r "
	    READINESS_PEOPLE("updated_by");
	sqlite3_stmt			*st = store_stmt(s, sql);
	struct store_readiness_row	 row;
	int				 i, rc;

	for (i = 0; i < READINESS_SECTIONS; i++) {
		memset(&rows[i], 0, sizeof rows[i]);
		rows[i].number = i + 1;
	}
	if (st == NULL)
		return STORE_ERROR;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_readiness_row(st, &row);
		if (row.number >= 1 && row.number <= READINESS_SECTIONS)
			rows[row.number - 1] = row;
	}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(s, rc, "readiness");
}

/* Bind a section's status, evidence, owner and target date from ?2. */
static void
store_readiness_bind(sqlite3_stmt *st, const struct store_readiness_row *r)
{
	sqlite3_bind_int(st, 1, r->number);
	sqlite3_bind_text(st, 2, readiness_status_name(r->status), -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 3, r->evidence, -1, SQLITE_STATIC);
	store_bind_optional(st, 4, r->owner.id);
	store_bind_optional(st, 5, r->target_date);
	sqlite3_bind_int64(st, 6, r->at);
	sqlite3_bind_text(st, 7, r->by.id, -1, SQLITE_STATIC);
}

/* Record a section's status (r->by.id at r->at), and keep it in the
 * history. */
enum store_result
store_readiness_put(struct store *s, const struct store_readiness_row *r)
{
	static const char put[] = "INSERT INTO readiness_sections (number, "
	    "status, evidence, owner_id, target_date, updated_at, updated_by) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (number) DO "
	    "UPDATE SET status = ?2, evidence = ?3, owner_id = ?4, "
	    "target_date = ?5, updated_at = ?6, updated_by = ?7";
	static const char keep[] = "INSERT INTO readiness_history (number, "
	    "status, evidence, owner_id, target_date, changed_at, changed_by) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	sqlite3_stmt		*st;
	enum store_result	 sr;

	if ((st = store_stmt(s, put)) == NULL)
		return STORE_ERROR;
	store_readiness_bind(st, r);
	if ((sr = store_step_done(s, st)) != STORE_OK)
		return sr;
	if ((st = store_stmt(s, keep)) == NULL)
		return STORE_ERROR;
	store_readiness_bind(st, r);
	return store_step_done(s, st);
}

/* Every change of section number (0: of every section), oldest first. */
enum store_result
store_readiness_history(struct store *s, int number,
    void (*each)(const struct store_readiness_row *, void *), void *arg)
{
	static const char sql[] = "SELECT " READINESS_COLUMNS("changed_at",
	    "changed_by") " FROM readiness_history r "
	    READINESS_PEOPLE("changed_by") " WHERE ?1 = 0 OR r.number = ?1 "
	    "ORDER BY r.seq";
	sqlite3_stmt			*st = store_stmt(s, sql);
	struct store_readiness_row	*row;
	int				 rc;

	if (st == NULL)
		return STORE_ERROR;
	if ((row = malloc(sizeof *row)) == NULL) {
		store_done(st);
		return STORE_ERROR;
	}
	sqlite3_bind_int(st, 1, number);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_readiness_row(st, row);
		each(row, arg);
	}
	free(row);
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(s, rc, "readiness");
}

/* Take a date's shifts (and their staff) off the rota. */
enum store_result
store_rota_clear(struct store *s, const char *date)
{
	static const char sql[] = "DELETE FROM rota_shifts WHERE rota_date = ?1";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, date, -1, SQLITE_STATIC);
	return store_step_done(s, st);
}

/* A shift of the rota: its id, date, name and times from r. */
enum store_result
store_rota_shift_add(struct store *s, const struct store_rota_row *r,
    int position)
{
	static const char sql[] = "INSERT INTO rota_shifts (id, rota_date, "
	    "position, name, starts_at, ends_at) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?6)";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, r->shift_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->date, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, position);
	sqlite3_bind_text(st, 4, r->name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, r->duty.starts);
	sqlite3_bind_int64(st, 6, r->duty.ends);
	return store_step_done(s, st);
}

enum store_result
store_rota_staff_add(struct store *s, const char *shift_id,
    const char *staff_id)
{
	static const char sql[] = "INSERT INTO rota_staff (shift_id, staff_id) "
	    "VALUES (?1, ?2)";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, shift_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, staff_id, -1, SQLITE_STATIC);
	return store_step_done(s, st);
}

/* Shifts with their staff, one row per person (or one for nobody). */
#define ROTA_SELECT \
	"SELECT s.id, s.rota_date, s.name, s.starts_at, s.ends_at, " \
	"st.username, st.roles, st.active, st.display_name FROM rota_shifts s " \
	"LEFT JOIN rota_staff rs ON rs.shift_id = s.id " \
	"LEFT JOIN staff st ON st.id = rs.staff_id "

static void
store_rota_row(sqlite3_stmt *st, struct store_rota_row *r)
{
	memset(r, 0, sizeof *r);
	store_copy_text(st, 0, r->shift_id, sizeof r->shift_id);
	store_copy_text(st, 1, r->date, sizeof r->date);
	store_copy_text(st, 2, r->name, sizeof r->name);
	r->duty.starts = sqlite3_column_int64(st, 3);
	r->duty.ends = sqlite3_column_int64(st, 4);
	store_copy_text(st, 5, r->duty.username, sizeof r->duty.username);
	r->duty.roles = (unsigned)sqlite3_column_int(st, 6);
	r->duty.active = sqlite3_column_int(st, 7);
	store_copy_text(st, 8, r->display_name, sizeof r->display_name);
}

/* Each row of a bound rota statement, to each. */
static enum store_result
store_rota_each(struct store *s, sqlite3_stmt *st,
    void (*each)(const struct store_rota_row *, void *), void *arg)
{
	struct store_rota_row	r;
	int			rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_rota_row(st, &r);
		each(&r, arg);
	}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(s, rc, "rota");
}

/* The rota of the local dates from to to (YYYY-MM-DD, both included), by
 * date, shift and username. */
enum store_result
store_rota_by_date(struct store *s, const char *from, const char *to,
    void (*each)(const struct store_rota_row *, void *), void *arg)
{
	static const char sql[] = ROTA_SELECT "WHERE s.rota_date BETWEEN ?1 "
	    "AND ?2 ORDER BY s.rota_date, s.position, st.username";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
	return store_rota_each(s, st, each, arg);
}

static void
store_rota_duty_add(const struct store_rota_row *r, void *arg)
{
	if (r->duty.username[0] != '\0')
		batch_add(arg, &r->duty);
}

/* Every person on a shift overlapping [from, to), as cover duties. */
enum store_result
store_rota_duties(struct store *s, int64_t from, int64_t to, struct batch *b)
{
	static const char sql[] = ROTA_SELECT "WHERE s.starts_at < ?2 AND "
	    "s.ends_at > ?1 ORDER BY s.starts_at, st.username";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	return store_rota_each(s, st, store_rota_duty_add, b);
}

/* Whether the unit keeps its rota here: a shift on any date. */
enum store_result
store_rota_kept(struct store *s, int *kept)
{
	static const char sql[] = "SELECT EXISTS (SELECT 1 FROM rota_shifts)";
	int64_t			v;
	enum store_result	r = store_one_int64(s, sql, NULL, &v);

	*kept = v != 0;
	return r;
}

/* Add minute to the sorted set times of *n, if there is room. */
static void
store_round_time_add(int times[COVER_MAX_TIMES], int *n, int minute)
{
	int	i, j;

	for (i = 0; i < *n && times[i] < minute; i++)
		;
	if ((i < *n && times[i] == minute) || *n == COVER_MAX_TIMES)
		return;
	for (j = *n; j > i; j--)
		times[j] = times[j - 1];
	times[i] = minute;
	(*n)++;
}

/* The unit's round times: every round time of a prescription still
 * running at now, each once, in order. */
enum store_result
store_round_times(struct store *s, int64_t now, int times[COVER_MAX_TIMES],
    int *n)
{
	static const char sql[] = "SELECT DISTINCT times FROM prescriptions "
	    "WHERE stopped_at IS NULL AND ends_at > ?1";
	sqlite3_stmt	*st = store_stmt(s, sql);
	const char	*p;
	char		 hhmm[6];
	int		 rc, minute;

	*n = 0;
	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, now);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		for (p = store_text(st, 0); strlen(p) >= 5;
		    p += p[5] == ',' ? 6 : 5) {
			memcpy(hhmm, p, 5);
			hhmm[5] = '\0';
			if (prescription_time_parse(hhmm, &minute) == 0)
				store_round_time_add(times, n, minute);
		}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(s, rc, "rounds");
}

/* The dates from from on whose cover gap the managers were alerted. */
enum store_result
store_cover_alerted(struct store *s, const char *from, struct batch *b)
{
	static const char sql[] = "SELECT rota_date FROM cover_alerts "
	    "WHERE rota_date >= ?1";
	sqlite3_stmt		*st = store_stmt(s, sql);
	struct civil_date	 d;
	int			 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (timefmt_parse_date(store_text(st, 0), &d) == 0)
			batch_add(b, &d);
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(s, rc, "cover");
}

enum store_result
store_cover_alert_add(struct store *s, const char *date,
    const char *alert_id, int64_t now)
{
	static const char sql[] = "INSERT INTO cover_alerts (rota_date, "
	    "alert_id, raised_at) VALUES (?1, ?2, ?3)";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, date, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, alert_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	return store_step_done(s, st);
}

/* Run a statement of ?1 from and ?2 to whose one row is n counts. */
static enum store_result
store_readiness_counts(struct store *s, const char *sql, int64_t from,
    int64_t to, int64_t *const out[], int n)
{
	sqlite3_stmt	*st = store_stmt(s, sql);
	int		 i, rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	rc = sqlite3_step(st);
	for (i = 0; i < n; i++)
		*out[i] = rc == SQLITE_ROW ? sqlite3_column_int64(st, i) : 0;
	store_done(st);
	return rc == SQLITE_ROW ? STORE_OK : store_failed(s, rc, "readiness");
}

/* The live evidence of sections 6, 23, 33 and 35 for [from, to). */
enum store_result
store_readiness_live(struct store *s, int64_t from, int64_t to,
    struct store_readiness_live *l)
{
	static const char arrivals[] = "SELECT (SELECT COUNT(*) FROM "
	    "patients WHERE arrived_at >= ?1 AND arrived_at < ?2 AND status "
	    "<> 'entered_in_error'), (SELECT COUNT(DISTINCT rx.patient_id) "
	    "FROM prescriptions rx JOIN products pr ON pr.id = rx.product_id "
	    "WHERE pr.opioid_substitute = 1 AND rx.created_at >= ?1 AND "
	    "rx.created_at < ?2)";
	static const char moves[] = "SELECT "
	    "COALESCE(SUM(kind = 'release' AND state <> 'cancelled'), 0), "
	    "COALESCE(SUM(kind = 'court' AND state = 'ended'), 0), "
	    "COALESCE(SUM(kind = 'transfer' AND state <> 'cancelled'), 0), "
	    "COALESCE(SUM(kind = 'court' AND state <> 'cancelled'), 0) "
	    "FROM movements WHERE departed_at >= ?1 AND departed_at < ?2";
	static const char obs[] = "SELECT COALESCE(SUM(state = 'on_time'), "
	    "0), COALESCE(SUM(state = 'late'), 0), COALESCE(SUM(state = "
	    "'missed'), 0) FROM observation_dues WHERE due_at >= ?1 AND "
	    "due_at < ?2";
	static const char clocks[] = "SELECT COUNT(*), COALESCE(SUM(met_at "
	    "IS NOT NULL AND met_at <= due_at), 0) FROM care_clocks WHERE "
	    "started_at >= ?1 AND started_at < ?2";
	static const char escort[] = "SELECT COUNT(d.id), COALESCE(SUM("
	    "d.state = 'given' AND d.recorded_at <= m.departed_at), 0) FROM "
	    "movements m JOIN doses d ON d.patient_id = m.patient_id AND "
	    "d.due_at <= m.departed_at AND d.due_at > m.departed_at - "
	    "43200000 WHERE m.departed_at >= ?1 AND m.departed_at < ?2";
	int64_t *const	a[] = { &l->arrivals, &l->substitute };
	int64_t *const	m[] = { &l->released_prison, &l->released_court,
	    &l->transfers, &l->court_trips };
	int64_t *const	o[] = { &l->obs_on_time, &l->obs_late,
	    &l->obs_missed };
	int64_t *const	c[] = { &l->clocks, &l->clocks_met };
	int64_t *const	e[] = { &l->escort_doses, &l->escort_given };
	enum store_result sr;

	if ((sr = store_readiness_counts(s, arrivals, from, to, a, 2)) !=
	    STORE_OK ||
	    (sr = store_readiness_counts(s, moves, from, to, m, 4)) !=
	    STORE_OK ||
	    (sr = store_readiness_counts(s, obs, from, to, o, 3)) != STORE_OK ||
	    (sr = store_readiness_counts(s, clocks, from, to, c, 2)) !=
	    STORE_OK)
		return sr;
	return store_readiness_counts(s, escort, from, to, e, 2);
}

/* Detoxification (reducing regimens) started in [from, to), the patients
 * of each drug. */
enum store_result
store_readiness_detox(struct store *s, int64_t from, int64_t to,
    void (*each)(const char *drug, int64_t n, void *), void *arg)
{
	static const char sql[] = "SELECT pr.name, COUNT(DISTINCT "
	    "rx.patient_id) FROM prescriptions rx JOIN products pr ON pr.id = "
	    "rx.product_id WHERE rx.regimen = 'reducing' AND rx.created_at >= "
	    "?1 AND rx.created_at < ?2 GROUP BY pr.name ORDER BY pr.name";
	sqlite3_stmt	*st = store_stmt(s, sql);
	int		 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		each(store_text(st, 0), sqlite3_column_int64(st, 1), arg);
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(s, rc, "readiness");
}
