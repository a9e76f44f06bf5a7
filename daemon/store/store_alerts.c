/* Statements on alerts and the ordered events the stream sends. */
#include <string.h>

#include "alert.h"
#include "store_internal.h"

#define ALERT_COLUMNS \
	"a.id, a.kind, a.severity, a.audience, a.patient_id, a.subject_id, " \
	"a.raised_at, a.message, a.acked_by, a.acked_at, a.ack_note, " \
	"a.escalate_at, a.escalated, " \
	"(SELECT min(seq) FROM alert_events e WHERE e.alert_id = a.id)"

/* Read a row selected with ALERT_COLUMNS, starting at column first. */
static void
store_alert_row(sqlite3_stmt *st, int first, struct alert *a)
{
	memset(a, 0, sizeof *a);
	store_copy_text(st, first, a->id, sizeof a->id);
	store_copy_text(st, first + 1, a->kind, sizeof a->kind);
	if (alert_severity_parse(store_text(st, first + 2), &a->severity) == -1)
		a->severity = SEVERITY_WARNING;
	if (alert_audience_parse(store_text(st, first + 3), &a->audience) == -1)
		a->audience = AUDIENCE_WARD;
	store_copy_text(st, first + 4, a->patient_id, sizeof a->patient_id);
	store_copy_text(st, first + 5, a->subject_id, sizeof a->subject_id);
	a->raised_at = sqlite3_column_int64(st, first + 6);
	store_copy_text(st, first + 7, a->message, sizeof a->message);
	store_copy_text(st, first + 8, a->acked_by, sizeof a->acked_by);
	a->acked_at = sqlite3_column_int64(st, first + 9);
	store_copy_text(st, first + 10, a->ack_note, sizeof a->ack_note);
	a->escalate_at = sqlite3_column_int64(st, first + 11);
	a->escalated = sqlite3_column_int(st, first + 12);
	a->seq = sqlite3_column_int64(st, first + 13);
}

/* Call each for every alert row of a statement already bound. */
static enum store_result
store_alert_each(struct store *s, sqlite3_stmt *st,
    void (*each)(const struct alert *, void *), void *arg)
{
	struct alert	a;
	int		rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_alert_row(st, 0, &a);
		each(&a, arg);
	}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(s, rc, "alerts");
}

/* Append an event for the stream; *seq is its position. */
static enum store_result
store_alert_event(struct store *s, const char *alert_id, const char *event,
    int64_t *seq)
{
	static const char sql[] =
	    "INSERT INTO alert_events (alert_id, event) VALUES (?1, ?2)";
	sqlite3_stmt		*st = store_stmt(s, sql);
	enum store_result	 r;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, alert_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, event, -1, SQLITE_STATIC);
	r = store_step_done(s, st);
	if (r == STORE_OK && seq != NULL)
		*seq = sqlite3_last_insert_rowid(sqlite3_db_handle(st));
	return r;
}

/* Store a raised alert and its stream event; sets a->seq. */
enum store_result
store_alert_insert(struct store *s, struct alert *a)
{
	static const char sql[] = "INSERT INTO alerts (id, kind, severity, "
	    "audience, patient_id, subject_id, raised_at, message, escalate_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
	sqlite3_stmt		*st = store_stmt(s, sql);
	enum store_result	 r;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, a->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, a->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, alert_severity_name(a->severity), -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 4, alert_audience_name(a->audience), -1,
	    SQLITE_STATIC);
	store_bind_optional(st, 5, a->patient_id);
	store_bind_optional(st, 6, a->subject_id);
	sqlite3_bind_int64(st, 7, a->raised_at);
	sqlite3_bind_text(st, 8, a->message, -1, SQLITE_STATIC);
	store_bind_instant(st, 9, a->escalate_at);
	if ((r = store_step_done(s, st)) != STORE_OK)
		return r;
	return store_alert_event(s, a->id, "alert", &a->seq);
}

/* Raise an alert: store it, its stream event and its audit entry. */
enum store_result
store_alert_raise(struct store *s, struct alert *a, int64_t now,
    const char *actor_id)
{
	enum store_result	r;

	if ((r = store_alert_insert(s, a)) != STORE_OK)
		return r;
	return store_audit_append(s, now, actor_id, "alert.raise", "alert",
	    a->id, json_pack("{s:s,s:s,s:s,s:s}", "kind", a->kind, "severity",
	    alert_severity_name(a->severity), "audience",
	    alert_audience_name(a->audience), "message", a->message));
}

/* Raise a pair of alerts from alert_raise_with_managers(). */
enum store_result
store_alert_raise_pair(struct store *s, struct alert *pair, int64_t now,
    const char *actor_id)
{
	enum store_result	r;

	if ((r = store_alert_raise(s, &pair[0], now, actor_id)) != STORE_OK)
		return r;
	return store_alert_raise(s, &pair[1], now, actor_id);
}

enum store_result
store_alert_get(struct store *s, const char *id, struct alert *out)
{
	static const char sql[] = "SELECT " ALERT_COLUMNS
	    " FROM alerts a WHERE a.id = ?1";
	sqlite3_stmt		*st = store_stmt(s, sql);
	enum store_result	 r = STORE_OK;
	int			 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		store_alert_row(st, 0, out);
	else if (rc == SQLITE_DONE)
		r = STORE_NOT_FOUND;
	else
		r = store_failed(s, rc, "reading an alert");
	store_done(st);
	return r;
}

/* Record an acknowledgement, and its stream event. */
enum store_result
store_alert_ack(struct store *s, const struct alert *a)
{
	static const char sql[] = "UPDATE alerts SET acked_by = ?2, "
	    "acked_at = ?3, ack_note = ?4 WHERE id = ?1 AND acked_at IS NULL";
	sqlite3_stmt		*st = store_stmt(s, sql);
	enum store_result	 r;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, a->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, a->acked_by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, a->acked_at);
	sqlite3_bind_text(st, 4, a->ack_note, -1, SQLITE_STATIC);
	if ((r = store_step_done(s, st)) != STORE_OK)
		return r;
	if (sqlite3_changes(sqlite3_db_handle(st)) != 1)
		return STORE_CONFLICT;
	return store_alert_event(s, a->id, "ack", NULL);
}

/* Alerts, newest first, at most 1000: all, or only those not yet
 * acknowledged; of the audiences named in audiences, each followed by a
 * comma ("ward,reception,"). */
enum store_result
store_alert_list(struct store *s, int open_only, const char *audiences,
    void (*each)(const struct alert *, void *), void *arg)
{
	static const char sql[] = "SELECT " ALERT_COLUMNS " FROM alerts a "
	    "WHERE (?1 = 0 OR a.acked_at IS NULL) AND "
	    "instr(',' || ?2, ',' || a.audience || ',') > 0 "
	    "ORDER BY a.raised_at DESC, a.rowid DESC LIMIT 1000";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int(st, 1, open_only);
	sqlite3_bind_text(st, 2, audiences, -1, SQLITE_STATIC);
	return store_alert_each(s, st, each, arg);
}

/* Stream events after seq, in order, with their alert as it is now. */
enum store_result
store_alert_events_after(struct store *s, int64_t after, int limit,
    void (*each)(int64_t seq, const char *event, const struct alert *,
    void *), void *arg)
{
	static const char sql[] = "SELECT e.seq, e.event, " ALERT_COLUMNS
	    " FROM alert_events e JOIN alerts a ON a.id = e.alert_id "
	    "WHERE e.seq > ?1 ORDER BY e.seq LIMIT ?2";
	sqlite3_stmt	*st = store_stmt(s, sql);
	struct alert	 a;
	char		 event[8];
	int		 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, after);
	sqlite3_bind_int(st, 2, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_copy_text(st, 1, event, sizeof event);
		store_alert_row(st, 2, &a);
		each(sqlite3_column_int64(st, 0), event, &a, arg);
	}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(s, rc, "events");
}

/* The position of the last stream event; 0 if none. */
enum store_result
store_alert_last_seq(struct store *s, int64_t *seq)
{
	static const char sql[] = "SELECT coalesce(max(seq), 0) FROM "
	    "alert_events";

	return store_one_int64(s, sql, NULL, seq);
}

/* Acknowledge the open alerts a statement's WHERE clause selects (?1
 * its key), and their stream events, in one name. */
static enum store_result
store_alerts_ack_where(struct store *s, const char *events_sql,
    const char *ack_sql, const char *key, const char *staff_id, int64_t now,
    const char *note)
{
	sqlite3_stmt		*st;
	enum store_result	 r;

	if ((st = store_stmt(s, events_sql)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if ((r = store_step_done(s, st)) != STORE_OK)
		return r;
	if ((st = store_stmt(s, ack_sql)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	store_bind_optional(st, 2, staff_id);	/* "": the daemon's own */
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_text(st, 4, note, -1, SQLITE_STATIC);
	return store_step_done(s, st);
}

/* Acknowledge, in the name of who resolved it, every open alert about a
 * subject (a clock that was met) and every escalation of those. */
enum store_result
store_alerts_ack_subject(struct store *s, const char *subject_id,
    const char *staff_id, int64_t now, const char *note)
{
	static const char sql_events[] = "INSERT INTO alert_events (alert_id, "
	    "event) SELECT id, 'ack' FROM alerts WHERE acked_at IS NULL AND "
	    "(subject_id = ?1 OR subject_id IN (SELECT id FROM alerts WHERE "
	    "subject_id = ?1)) ORDER BY raised_at, rowid";
	static const char sql_ack[] = "UPDATE alerts SET acked_by = ?2, "
	    "acked_at = ?3, ack_note = ?4 WHERE acked_at IS NULL AND "
	    "(subject_id = ?1 OR subject_id IN (SELECT id FROM alerts WHERE "
	    "subject_id = ?1))";

	return store_alerts_ack_where(s, sql_events, sql_ack, subject_id,
	    staff_id, now, note);
}

/* Acknowledge, in the name of who resolved it, every open alert about a
 * subject, but not their escalations, which stay with the managers. */
enum store_result
store_alerts_ack_about(struct store *s, const char *subject_id,
    const char *staff_id, int64_t now, const char *note)
{
	static const char sql_events[] = "INSERT INTO alert_events (alert_id, "
	    "event) SELECT id, 'ack' FROM alerts WHERE acked_at IS NULL AND "
	    "subject_id = ?1 ORDER BY raised_at, rowid";
	static const char sql_ack[] = "UPDATE alerts SET acked_by = ?2, "
	    "acked_at = ?3, ack_note = ?4 WHERE acked_at IS NULL AND "
	    "subject_id = ?1";

	return store_alerts_ack_where(s, sql_events, sql_ack, subject_id,
	    staff_id, now, note);
}

/* A patient gone (released, transferred): acknowledge their open alerts
 * but the managers', which stay for a manager to read (a dose they left
 * without, say), so none escalates about someone no longer here. */
enum store_result
store_alerts_ack_patient(struct store *s, const char *patient_id,
    const char *staff_id, int64_t now, const char *note)
{
	static const char sql_events[] = "INSERT INTO alert_events (alert_id, "
	    "event) SELECT id, 'ack' FROM alerts WHERE acked_at IS NULL AND "
	    "patient_id = ?1 AND audience <> 'manager' ORDER BY raised_at, "
	    "rowid";
	static const char sql_ack[] = "UPDATE alerts SET acked_by = ?2, "
	    "acked_at = ?3, ack_note = ?4 WHERE acked_at IS NULL AND "
	    "patient_id = ?1 AND audience <> 'manager'";

	return store_alerts_ack_where(s, sql_events, sql_ack, patient_id,
	    staff_id, now, note);
}

/* Whether an alert of a kind about a subject was ever raised. */
enum store_result
store_alert_exists(struct store *s, const char *kind, const char *subject_id,
    int *exists)
{
	static const char sql[] = "SELECT EXISTS (SELECT 1 FROM alerts "
	    "WHERE subject_id = ?1 AND kind = ?2)";
	sqlite3_stmt	*st = store_stmt(s, sql);
	int		 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, subject_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	*exists = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
	store_done(st);
	return rc == SQLITE_ROW ? STORE_OK : store_failed(s, rc, "alerts");
}

/* Unacknowledged alerts whose escalation time has come. */
enum store_result
store_alerts_to_escalate(struct store *s, int64_t now,
    void (*each)(const struct alert *, void *), void *arg)
{
	static const char sql[] = "SELECT " ALERT_COLUMNS " FROM alerts a "
	    "WHERE a.acked_at IS NULL AND a.escalated = 0 AND "
	    "a.escalate_at IS NOT NULL AND a.escalate_at <= ?1 "
	    "ORDER BY a.escalate_at";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, now);
	return store_alert_each(s, st, each, arg);
}

enum store_result
store_alert_mark_escalated(struct store *s, const char *id)
{
	static const char sql[] = "UPDATE alerts SET escalated = 1 WHERE id = ?1";
	sqlite3_stmt	*st = store_stmt(s, sql);

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	return store_step_done(s, st);
}

/* The earliest escalation still to happen; 0 if none. */
enum store_result
store_alert_next_escalation(struct store *s, int64_t *at)
{
	static const char sql[] = "SELECT min(escalate_at) FROM alerts WHERE "
	    "acked_at IS NULL AND escalated = 0 AND escalate_at IS NOT NULL";

	return store_one_int64(s, sql, NULL, at);
}
