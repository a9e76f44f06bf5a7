/* What GET /metrics reads from the store: the schema version for the
 * health check, sessions open, deadlines still to fire by kind, and the
 * last backups.  Counts only: nothing about a patient leaves here. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "store_internal.h"

/* The schema version through a cached statement: GET /v1/health asks on
 * every request, and preparing PRAGMA user_version each time was a tenth
 * of what answering it cost. */
int
store_user_version(struct store *s)
{
	static const char	sql[] = "PRAGMA user_version";
	int64_t			v;

	return store_one_int64(s, sql, NULL, &v) == STORE_OK ? (int)v : -1;
}

/* Sessions that have not expired by now (signed out ones are deleted). */
enum store_result
store_sessions_open(struct store *s, int64_t now, int64_t *n)
{
	static const char sql[] = "SELECT count(*) FROM sessions WHERE "
	    "expires_at > ?1";

	return store_one_int64(s, sql, &now, n);
}

/* The scheduler's deadlines still to fire, each kind counted as the
 * scheduler's own next-deadline queries find them. */
static const struct store_deadline_kind {
	const char	*kind;
	const char	*sql;
} store_deadline_kinds[] = {
	{ "clock_warning", "SELECT count(*) FROM care_clocks WHERE "
	    "met_at IS NULL AND warned = 0" },
	{ "clock_breach", "SELECT count(*) FROM care_clocks WHERE "
	    "met_at IS NULL AND breach_fired = 0" },
	{ "dose_window_open", "SELECT count(*) FROM doses WHERE "
	    "state = 'scheduled'" },
	{ "dose_window_close", "SELECT count(*) FROM doses WHERE "
	    "state IN ('scheduled', 'due')" },
	{ "observation_warning", "SELECT count(*) FROM observation_dues "
	    "WHERE state = 'open' AND warned = 0" },
	{ "observation_missed", "SELECT count(*) FROM observation_dues "
	    "WHERE state = 'open'" },
	{ "movement_warning", "SELECT count(*) FROM movements WHERE "
	    "state = 'planned' AND lead_alert_at IS NOT NULL" },
	{ "alert_escalation", "SELECT count(*) FROM alerts WHERE "
	    "acked_at IS NULL AND escalated = 0 AND escalate_at IS NOT NULL" },
};

/* Kind number i of the deadlines and how many are pending; STORE_NOT_FOUND
 * past the last kind. */
enum store_result
store_deadlines_pending(struct store *s, size_t i, const char **kind,
    int64_t *n)
{
	if (i >= sizeof store_deadline_kinds / sizeof store_deadline_kinds[0])
		return STORE_NOT_FOUND;
	*kind = store_deadline_kinds[i].kind;
	return store_one_int64(s, store_deadline_kinds[i].sql, NULL, n);
}

/* The last backup attempted (finished_at, and whether it was verified)
 * and when the last verified one finished; 0s when there is none. */
enum store_result
store_backup_latest(struct store *s, int64_t *attempt_at, int *verified,
    int64_t *verified_at)
{
	static const char last_sql[] = "SELECT finished_at, verified FROM "
	    "backups ORDER BY started_at DESC LIMIT 1";
	static const char good_sql[] = "SELECT max(finished_at) FROM backups "
	    "WHERE verified = 1";
	sqlite3_stmt	*st = store_stmt(s, last_sql);
	int		 rc;

	*attempt_at = 0;
	*verified = 0;
	if (st == NULL)
		return STORE_ERROR;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*attempt_at = sqlite3_column_int64(st, 0);
		*verified = sqlite3_column_int(st, 1);
	}
	store_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_failed(s, rc, last_sql);
	return store_one_int64(s, good_sql, NULL, verified_at);
}
