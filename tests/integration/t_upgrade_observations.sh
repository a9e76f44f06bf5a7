#!/bin/sh
# Upgrading a database written at schema version 5, before a due knew
# when it opened: migration 006 gives each due the instant its window
# opened (issue 22), taken from the due before it (its observation's
# time if met, its miss if missed) or, for a plan's first, its own due
# time.  A stimulant user arrived at 08:00Z on 20 January 2027; the 08:00
# due was met at 08:01, the 12:01 due missed at 16:01, and 16:01 is open.
# After the upgrade an observation taken at 15:00, written up at 16:30,
# meets the 12:01 due (late) and 16:01 stays open; integrity and the
# foreign keys hold.
. "$(dirname "$0")/lib.sh"

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
pick_port
write_config
DB="$T/idtsd.db"

ms() { date -ud "$1" +%s%3N; }
A=$(ms 2027-01-20T08:00:00Z)
M=60000

cat "$top"/schema/00[1-5]_*.sql | sqlite3 "$DB" ||
    fail "cannot build a version-5 database"
sqlite3 "$DB" <<SQL || fail "cannot fill the version-5 database"
PRAGMA user_version = 5;
INSERT INTO staff (id, username, display_name, roles, pin_hash, created_at)
    VALUES ('00000000-0000-4000-8000-000000000001', 'old', 'Old', 64, 'x', 0);
INSERT INTO patients (id, prison_number, given_name, family_name,
    date_of_birth, arrived_at, location, stimulant_user, created_by,
    created_at) VALUES ('00000000-0000-4000-8000-000000000002', 'A1234BC',
    'Al', 'Old', '1980-01-01', $A, 'A1', 1,
    '00000000-0000-4000-8000-000000000001', $A);
INSERT INTO observation_plans (patient_id, starts_at, counts_from, ends_at,
    base_interval_ms, created_by, created_at) VALUES
    ('00000000-0000-4000-8000-000000000002', $A, $A, $A + 72 * 60 * $M,
    240 * $M, '00000000-0000-4000-8000-000000000001', $A);
INSERT INTO observations (id, patient_id, taken_at, respiratory_rate, spo2,
    spo2_scale, on_oxygen, systolic_bp, pulse, consciousness,
    temperature_tenths, total, band, next_due_at, recorded_by, recorded_at)
    VALUES ('00000000-0000-4000-8000-0000000000b1',
    '00000000-0000-4000-8000-000000000002', $A + $M, 16, 97, 1, 0, 120, 70,
    'A', 370, 0, 'zero', $A + 241 * $M,
    '00000000-0000-4000-8000-000000000001', $A + $M);
INSERT INTO observation_dues (id, patient_id, due_at, interval_ms, warn_at,
    missed_at, state, warned, observation_id, taken_at) VALUES
    ('d0800', '00000000-0000-4000-8000-000000000002', $A, 240 * $M,
    $A + 15 * $M, $A + 240 * $M, 'on_time', 0,
    '00000000-0000-4000-8000-0000000000b1', $A + $M),
    ('d1201', '00000000-0000-4000-8000-000000000002', $A + 241 * $M,
    240 * $M, $A + 256 * $M, $A + 481 * $M, 'missed', 1, NULL, NULL),
    ('d1601', '00000000-0000-4000-8000-000000000002', $A + 481 * $M,
    240 * $M, $A + 496 * $M, $A + 721 * $M, 'open', 0, NULL, NULL);
SQL

init_admin boss 424242
start_daemon --test-clock

latest=$(ls "$top"/schema/[0-9][0-9][0-9]_*.sql | wc -l)
checks=$((checks + 1))
[ "$(sql "PRAGMA user_version")" = "$latest" ] ||
    fail "not migrated to the latest version, $latest"
checks=$((checks + 1))
[ "$(sql "SELECT group_concat(id || ' ' || ((opened_at - $A) / $M), ',')
    FROM (SELECT * FROM observation_dues ORDER BY due_at)")" = \
    "d0800 0,d1201 1,d1601 481" ] ||
    fail "opened_at not filled in: $(sql "SELECT id, opened_at FROM
    observation_dues")"

set_clock '{"now":"2027-01-20T16:30:00Z"}'
expect_status 200
sign_in boss 424242
add_staff nina Nina '["nurse"]' 1111
sign_in nina 1111
api POST /observations '{"patient_id":"00000000-0000-4000-8000-000000000002",
    "taken_at":"2027-01-20T15:00:00Z","respiratory_rate":16,"spo2":97,
    "spo2_scale":1,"on_oxygen":false,"systolic_bp":120,"pulse":70,
    "consciousness":"A","temperature":37.0}'
expect_status 201
checks=$((checks + 1))
[ "$(jqout .next_due_at)" = 2027-01-20T16:01:00Z ] ||
    fail "next due: $(jqout .next_due_at)"
checks=$((checks + 1))
[ "$(sql "SELECT group_concat(id || ' ' || state, ',') FROM (SELECT * FROM
    observation_dues ORDER BY due_at)")" = \
    "d0800 on_time,d1201 late,d1601 open" ] ||
    fail "dues: $(sql "SELECT id, state FROM observation_dues")"
stop_daemon
checks=$((checks + 1))
[ "$(sql "PRAGMA integrity_check")" = ok ] || fail "integrity"
checks=$((checks + 1))
[ -z "$(sql "PRAGMA foreign_key_check")" ] || fail "foreign keys broken"
pass
