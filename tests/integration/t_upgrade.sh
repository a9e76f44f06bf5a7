#!/bin/sh
# Upgrading a database written at schema version 2 (before doses and the
# register): migration 003 rebuilds the alerts table with its wider
# audiences while alert_events still points at it.  Every alert and
# stream event survives, foreign keys and integrity hold, the stream's
# positions go on from where they were, and the new audiences are
# accepted.
. "$(dirname "$0")/lib.sh"

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
pick_port
write_config
DB="$T/idtsd.db"

# A version-2 database with one member of staff, a patient, two alerts
# (one acknowledged) and their three stream events.
cat "$top/schema/001_foundation.sql" "$top/schema/002_clocks_alerts.sql" |
    sqlite3 "$DB" || fail "cannot build a version-2 database"
sqlite3 "$DB" <<'SQL' || fail "cannot fill the version-2 database"
PRAGMA user_version = 2;
INSERT INTO staff (id, username, display_name, roles, pin_hash, created_at)
    VALUES ('00000000-0000-4000-8000-000000000001', 'mo', 'Mo', 64, 'x', 0);
INSERT INTO patients (id, prison_number, given_name, family_name,
    date_of_birth, arrived_at, location, stimulant_user, created_by,
    created_at) VALUES ('00000000-0000-4000-8000-000000000002', 'A1234BC',
    'Al', 'Old', '1980-01-01', 0, 'A1', 0,
    '00000000-0000-4000-8000-000000000001', 0);
INSERT INTO alerts (id, kind, severity, audience, patient_id, raised_at,
    message, escalate_at) VALUES
    ('00000000-0000-4000-8000-00000000000a', 'clock_warning', 'warning',
    'ward', '00000000-0000-4000-8000-000000000002', 1, 'first', 100),
    ('00000000-0000-4000-8000-00000000000b', 'clock_breach', 'urgent',
    'manager', '00000000-0000-4000-8000-000000000002', 2, 'second', NULL);
UPDATE alerts SET acked_by = '00000000-0000-4000-8000-000000000001',
    acked_at = 3, ack_note = 'seen'
    WHERE id = '00000000-0000-4000-8000-00000000000a';
INSERT INTO alert_events (alert_id, event) VALUES
    ('00000000-0000-4000-8000-00000000000a', 'alert'),
    ('00000000-0000-4000-8000-00000000000b', 'alert'),
    ('00000000-0000-4000-8000-00000000000a', 'ack');
SQL
before=$(sqlite3 "$DB" "SELECT id, kind, severity, audience, patient_id,
    raised_at, message, acked_by, acked_at, ack_note, escalate_at, escalated
    FROM alerts ORDER BY id; SELECT * FROM alert_events ORDER BY seq;")

start_daemon
stop_daemon

latest=$(ls "$top"/schema/[0-9][0-9][0-9]_*.sql | wc -l)
checks=$((checks + 1))
[ "$(sql "PRAGMA user_version")" = "$latest" ] ||
    fail "not migrated to the latest version, $latest"
after=$(sqlite3 "$DB" "SELECT id, kind, severity, audience, patient_id,
    raised_at, message, acked_by, acked_at, ack_note, escalate_at, escalated
    FROM alerts ORDER BY id; SELECT * FROM alert_events ORDER BY seq;")
checks=$((checks + 1))
[ "$before" = "$after" ] || fail "alerts or their events changed: $after"
checks=$((checks + 1))
[ -z "$(sql "PRAGMA foreign_key_check")" ] || fail "foreign keys broken"
checks=$((checks + 1))
[ "$(sql "PRAGMA integrity_check")" = ok ] || fail "integrity check failed"
checks=$((checks + 1))
sql "SELECT sql FROM sqlite_schema WHERE name = 'alert_events'" |
    grep -q "REFERENCES alerts(id)" || fail "alert_events lost its reference"
for index in alerts_open alerts_pending_escalation alerts_by_subject; do
	checks=$((checks + 1))
	[ "$(sql "SELECT count(*) FROM sqlite_schema WHERE type = 'index'
	    AND name = '$index' AND tbl_name = 'alerts'")" = 1 ] ||
	    fail "index $index missing after the rebuild"
done

# The stream goes on from its old positions, and the new audiences go in.
checks=$((checks + 1))
sql "INSERT INTO alerts (id, kind, severity, audience, raised_at, message)
    VALUES ('00000000-0000-4000-8000-00000000000c', 'prescription_held',
    'urgent', 'prescriber', 4, 'third')" || fail "prescriber refused"
checks=$((checks + 1))
[ "$(sql "INSERT INTO alert_events (alert_id, event) VALUES
    ('00000000-0000-4000-8000-00000000000c', 'alert') RETURNING seq")" = 4 ] ||
    fail "the stream's positions did not go on from 3"
checks=$((checks + 1))
if sql "INSERT INTO alerts (id, kind, severity, audience, raised_at, message)
    VALUES ('00000000-0000-4000-8000-00000000000d', 'x', 'urgent', 'nobody',
    5, 'x')" 2>/dev/null; then
	fail "an unknown audience was accepted"
fi

# And the daemon starts again on the migrated database, applying nothing.
: > "$T/daemon.log"
start_daemon
checks=$((checks + 1))
if grep -q "applying schema migration" "$T/daemon.log"; then
	fail "a migration ran twice"
fi
pass
