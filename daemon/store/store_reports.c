/* The management reports' reads: every one steps a statement over the
 * period [from, to) of its tally and hands each row to the tally, which
 * does the counting (decide in the rules, read here). */
#include <string.h>

#include "report_alerts.h"
#include "report_continuity.h"
#include "report_clocks.h"
#include "report_doses.h"
#include "report_register.h"
#include "store_internal.h"
#include "store_reports.h"

/* Bind [from, to) as ?1 and ?2 and hand each row to take (which returns
 * -1 when out of memory) until the statement is done. */
static enum store_result
store_report_feed(struct store *s, const char *sql,
    const struct report_period *p, int (*take)(sqlite3_stmt *, void *),
    void *tally, const char *what)
{
	sqlite3_stmt	*st = store_stmt(s, sql);
	int		 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, p->midnight[0]);
	sqlite3_bind_int64(st, 2, p->midnight[p->ndays]);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (take(st, tally) == -1) {
			store_done(st);
			return STORE_ERROR;
		}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(s, rc, what);
}

/* A dose to the dose report. */
static int
store_report_take_dose(sqlite3_stmt *st, void *tally)
{
	struct report_dose_row	d;

	d.patient_id = store_text(st, 0);
	d.due_at = sqlite3_column_int64(st, 1);
	d.window_end = sqlite3_column_int64(st, 2);
	d.recorded_at = sqlite3_column_int64(st, 4);
	if (dose_state_parse(store_text(st, 3), &d.state) == -1)
		return 0;
	return report_doses_add(tally, &d);
}

/* A hold raised, and its first review after, to the dose report. */
static int
store_report_take_hold(sqlite3_stmt *st, void *tally)
{
	struct report_hold_row	h;

	h.held_at = sqlite3_column_int64(st, 0);
	h.reviewed_at = sqlite3_column_int64(st, 1);
	return report_doses_hold(tally, &h);
}

/* The period's doses along doses_by_due, those of a patient entered in
 * error left out, and the holds raised in it (the audit's
 * prescription.held entries) with the first review after each. */
enum store_result
store_report_doses(struct store *s, struct report_doses *t)
{
	static const char doses[] = "SELECT patient_id, due_at, window_end, "
	    "state, recorded_at FROM doses WHERE due_at >= ?1 AND "
	    "due_at < ?2 AND patient_id NOT IN (SELECT id FROM patients "
	    "WHERE status = 'entered_in_error') ORDER BY due_at";
	static const char holds[] = "SELECT a.at, (SELECT min(r.reviewed_at) "
	    "FROM prescription_reviews r WHERE r.prescription_id = "
	    "a.record_id AND r.reviewed_at >= a.at) FROM audit a WHERE "
	    "a.action = 'prescription.held' AND a.at >= ?1 AND a.at < ?2 "
	    "ORDER BY a.at";
	enum store_result	r;

	r = store_report_feed(s, doses, &t->period, store_report_take_dose, t,
	    "the dose report");
	if (r == STORE_OK)
		r = store_report_feed(s, holds, &t->period,
		    store_report_take_hold, t, "the dose report's holds");
	return r;
}

/* A clock to the continuity report. */
static int
store_report_take_clock(sqlite3_stmt *st, void *tally)
{
	struct care_clock	c;

	memset(&c, 0, sizeof c);
	if (continuity_kind_parse(store_text(st, 0), &c.kind) == -1)
		return 0;
	c.started_at = sqlite3_column_int64(st, 1);
	c.due_at = sqlite3_column_int64(st, 2);
	c.met_at = sqlite3_column_int64(st, 3);
	c.ended_at = sqlite3_column_int64(st, 4);
	c.breach_fired = sqlite3_column_int(st, 5);
	return report_clocks_add(tally, &c);
}

/* The clocks started in the period, those of a patient entered in error
 * left out. */
enum store_result
store_report_clocks(struct store *s, struct report_clocks *t)
{
	static const char sql[] = "SELECT kind, started_at, due_at, met_at, "
	    "ended_at, breach_fired FROM care_clocks WHERE started_at >= ?1 "
	    "AND started_at < ?2 AND patient_id NOT IN (SELECT id FROM "
	    "patients WHERE status = 'entered_in_error') ORDER BY started_at";

	return store_report_feed(s, sql, &t->period, store_report_take_clock,
	    t, "the clock report");
}

/* An alert to the alert report. */
static int
store_report_take_alert(sqlite3_stmt *st, void *tally)
{
	struct report_alert_row	a;

	if (alert_severity_parse(store_text(st, 0), &a.severity) == -1)
		return 0;
	a.raised_at = sqlite3_column_int64(st, 1);
	a.acked_at = sqlite3_column_int64(st, 2);
	a.escalated = sqlite3_column_int(st, 3);
	return report_alerts_add(tally, &a);
}

/* The alerts raised in the period, along alerts_by_raised (011). */
enum store_result
store_report_alerts(struct store *s, struct report_alerts *t)
{
	static const char sql[] = "SELECT severity, raised_at, acked_at, "
	    "escalated FROM alerts WHERE raised_at >= ?1 AND raised_at < ?2 "
	    "ORDER BY raised_at";

	return store_report_feed(s, sql, &t->period, store_report_take_alert,
	    t, "the alert report");
}

/* A register entry to the register report. */
static int
store_report_take_entry(sqlite3_stmt *st, void *tally)
{
	struct report_register_row	e;

	if (register_kind_parse(store_text(st, 1), &e.kind) == -1)
		return 0;
	e.product_id = store_text(st, 0);
	e.at = sqlite3_column_int64(st, 2);
	e.quantity = sqlite3_column_int64(st, 3);
	e.balance_after = sqlite3_column_int64(st, 4);
	e.counted = sqlite3_column_int64(st, 5);
	return report_register_add(tally, &e);
}

/* The register's entries made in the period, page by page in register
 * order, along register_by_at (011). */
enum store_result
store_report_register(struct store *s, struct report_register *t)
{
	static const char sql[] = "SELECT product_id, kind, at, quantity, "
	    "balance_after, counted FROM register_entries WHERE at >= ?1 AND "
	    "at < ?2 ORDER BY product_id, seq";

	return store_report_feed(s, sql, &t->period, store_report_take_entry,
	    t, "the register report");
}

/* Call each for the patients whose ids are in a JSON array, by family
 * name, given name and id. */
enum store_result
store_report_patients(struct store *s, const char *ids_json,
    void (*each)(const struct store_patient_ref *, void *), void *arg)
{
	static const char sql[] = "SELECT id, prison_number, given_name, "
	    "family_name, location FROM patients WHERE id IN (SELECT value "
	    "FROM json_each(?1)) ORDER BY family_name, given_name, id";
	sqlite3_stmt			*st = store_stmt(s, sql);
	struct store_patient_ref	 ref;
	int				 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, ids_json, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_patient_ref_columns(st, 0, &ref);
		each(&ref, arg);
	}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK :
	    store_failed(s, rc, "a report's patients");
}

/* Call each for every product, by name, form and strength. */
enum store_result
store_report_products(struct store *s,
    void (*each)(const struct product *, void *), void *arg)
{
	static const char sql[] = "SELECT id, name, form, strength, unit FROM "
	    "products ORDER BY name, form, strength";
	sqlite3_stmt	*st = store_stmt(s, sql);
	struct product	 p;
	int		 rc;

	if (st == NULL)
		return STORE_ERROR;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&p, 0, sizeof p);
		store_copy_text(st, 0, p.id, sizeof p.id);
		store_copy_text(st, 1, p.name, sizeof p.name);
		store_copy_text(st, 2, p.form, sizeof p.form);
		store_copy_text(st, 3, p.strength, sizeof p.strength);
		store_copy_text(st, 4, p.unit, sizeof p.unit);
		each(&p, arg);
	}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK :
	    store_failed(s, rc, "the register report's products");
}

/* A transfer, an import or a release (with its follow-up, if it has
 * one) to the continuity report. */
static int
store_report_take_continuity(sqlite3_stmt *st, void *tally)
{
	struct report_continuity_row	row;
	struct follow_up		f;

	memset(&f, 0, sizeof f);
	row.event = (enum report_continuity_event)sqlite3_column_int(st, 0);
	row.at = sqlite3_column_int64(st, 1);
	row.follow_up = NULL;
	if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
		f.released_at = row.at;
		f.due_at = sqlite3_column_int64(st, 2);
		f.recorded = sqlite3_column_type(st, 3) != SQLITE_NULL;
		f.met = sqlite3_column_int(st, 3);
		row.follow_up = &f;
	}
	return report_continuity_add(tally, &row);
}

/* The month's clocks, then its transfers out, documents imported and
 * releases (with their follow-ups) in time order; a patient entered in
 * error left out. */
enum store_result
store_report_continuity(struct store *s, struct report_continuity *t)
{
	static const char sql[] = "SELECT 0, m.departed_at, NULL, NULL "
	    "FROM movements m JOIN patients p ON p.id = m.patient_id "
	    "WHERE m.kind = 'transfer' AND m.departed_at >= ?1 AND "
	    "m.departed_at < ?2 AND p.status <> 'entered_in_error' "
	    "UNION ALL SELECT 1, i.imported_at, NULL, NULL FROM "
	    "transfer_imports i JOIN patients p ON p.id = i.patient_id "
	    "WHERE i.imported_at >= ?1 AND i.imported_at < ?2 AND "
	    "p.status <> 'entered_in_error' "
	    "UNION ALL SELECT 2, m.departed_at, f.due_at, f.met FROM "
	    "movements m JOIN patients p ON p.id = m.patient_id LEFT JOIN "
	    "release_follow_ups f ON f.movement_id = m.id WHERE m.kind = "
	    "'release' AND m.departed_at >= ?1 AND m.departed_at < ?2 AND "
	    "p.status <> 'entered_in_error' ORDER BY 2";
	enum store_result	r;

	r = store_report_clocks(s, &t->clocks);
	if (r == STORE_OK)
		r = store_report_feed(s, sql, &t->clocks.period,
		    store_report_take_continuity, t, "the continuity report");
	return r;
}

/* Each prescription of every patient in treatment some time in [from,
 * to), patient by patient (by prison number), with the release or
 * transfer that ended the stay; a patient entered in error left out. */
enum store_result
store_report_episodes(struct store *s, int64_t from, int64_t to,
    int (*each)(const struct store_episode_row *, void *), void *arg)
{
	static const char sql[] = "SELECT p.id, p.prison_number, "
	    "p.family_name, p.given_name, p.date_of_birth, p.arrived_at, "
	    "d.name, x.starts_at, x.ends_at, x.stopped_at, x.stop_reason, "
	    "m.departed_at, m.kind, m.destination, m.follow_up FROM "
	    "patients p JOIN prescriptions x ON x.patient_id = p.id JOIN "
	    "products d ON d.id = x.product_id LEFT JOIN movements m ON "
	    "m.patient_id = p.id AND m.kind IN ('release', 'transfer') AND "
	    "m.state = 'departed' WHERE p.status <> 'entered_in_error' AND "
	    "p.id IN (SELECT patient_id FROM prescriptions WHERE starts_at "
	    "< ?2 AND min(ends_at, coalesce(stopped_at, ends_at)) > ?1) "
	    "ORDER BY p.prison_number, p.id, x.starts_at, x.id";
	sqlite3_stmt		*st = store_stmt(s, sql);
	struct store_episode_row r;
	int			 rc;

	if (st == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r.patient_id = store_text(st, 0);
		r.prison_number = store_text(st, 1);
		r.family_name = store_text(st, 2);
		r.given_name = store_text(st, 3);
		r.date_of_birth = store_text(st, 4);
		r.arrived_at = sqlite3_column_int64(st, 5);
		r.rx.drug = store_text(st, 6);
		r.rx.starts_at = sqlite3_column_int64(st, 7);
		r.rx.ends_at = sqlite3_column_int64(st, 8);
		r.rx.stopped_at = sqlite3_column_int64(st, 9);
		r.rx.stop_reason = (const char *)sqlite3_column_text(st, 10);
		r.exit_at = sqlite3_column_int64(st, 11);
		r.exit_kind = store_text(st, 12);
		r.exit_destination = store_text(st, 13);
		r.follow_up = store_text(st, 14);
		if (each(&r, arg) == -1) {
			store_done(st);
			return STORE_ERROR;
		}
	}
	store_done(st);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(s, rc,
	    "the episodes export");
}
