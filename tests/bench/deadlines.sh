#!/bin/sh
# The deadline scheduler under load, and start-up with a large store.
#
#	tests/bench/deadlines.sh BUILD		(run.sh runs it at its end)
#
# 1. Lateness.  A database seeded directly with sqlite3 (one transaction
#    after --init-admin made the schema): BENCH_DL_PATIENTS patients
#    (100,000), two care_clocks rows each.  Half the patients' treatment
#    clocks have their warning and their breach in a window of
#    BENCH_DL_WINDOW seconds (60) starting BENCH_DL_LEAD seconds (25)
#    after seeding: 100,000 deadlines, one every 0.6 ms, warnings in the
#    first half of the window and breaches in the second.  Their keyworker
#    clocks are met; the other patients' clocks run with deadlines hours
#    away (pending, not reached).  The daemon starts on the real clock;
#    when every windowed clock has warned and breached, lateness is
#    alerts.raised_at minus the deadline it fired for (clock_warning:
#    warn_at, clock_breach: due_at).  Each deadline must have fired
#    exactly once, none early, none for a clock outside the window, and
#    the audit chain must verify.
# 2. Start-up.  A fresh database with 1,000,000 rows (200,000 patients,
#    400,000 clocks, 200,000 acknowledged alerts and their 200,000 stream
#    events) of which 50,000 clocks run with 100,000 deadlines hours away;
#    the time from exec of idtsd to its first 200 from GET /v1/health,
#    BENCH_STARTS times (3) after a clean stop (the database checked in
#    the background), then once after kill -9 (quick_check before
#    serving); for comparison, the same on the empty database, the
#    anchor (the sqlite3 shell's exec, open and first query on the file)
#    and how long PRAGMA quick_check and integrity_check alone take.
#
# Figures, not thresholds: it exits non-zero only if something is
# functionally wrong.  Temporary files go under $BENCH_TMPDIR (/var/tmp).
set -eu

[ $# -eq 1 ] || { echo "usage: $0 BUILD" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "$1" && pwd)
NAME=deadlines
# shellcheck source=tests/bench/benchlib.sh
. "$HERE/benchlib.sh"

NPAT=${BENCH_DL_PATIENTS:-100000}
WINDOW_S=${BENCH_DL_WINDOW:-60}
LEAD_S=${BENCH_DL_LEAD:-25}
STARTS=${BENCH_STARTS:-3}
NWIN=$((NPAT / 2))		# clocks in the window: two deadlines each
NDL=$((NWIN * 2))
W=$((WINDOW_S * 1000))

# shellcheck disable=SC2086
cc $CFLAGS_BENCH -o "$BIN/bench_startup" "$HERE/bench_startup.c" \
    "$HERE/bench_common.c"

echo "== deadline scheduler: $NDL deadlines in ${WINDOW_S} s, real clock"
DB="$T/lateness.db"
init_db "$DB"
ADMIN_ID=$(q "SELECT id FROM staff WHERE username = 'admin'")
t_seed=$(now_ms)
NOW=$t_seed
T0=$((NOW + LEAD_S * 1000))
sqlite3 "$DB" <<EOF || fail "seeding failed"
PRAGMA foreign_keys = ON;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n
    WHERE i < $NPAT - 1)
INSERT INTO patients (id, prison_number, given_name, family_name,
    date_of_birth, arrived_at, location, stimulant_user, status,
    created_by, created_at)
SELECT $PATIENT_ID, $PRISON_NUMBER, 'Bench', printf('Patient%06d', i),
    '1990-01-01', $NOW - 3600000, 'Bench wing', 0, 'in_custody',
    '$ADMIN_ID', $NOW - 3600000 FROM n;
-- In the window: deadline k at T0 + k * W / NDL; warnings k < NWIN,
-- breaches k >= NWIN.
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n
    WHERE i < $NWIN - 1)
INSERT INTO care_clocks (id, patient_id, kind, started_at, warn_at, due_at)
SELECT printf('00000000-0000-4000-9000-%012x', i), $PATIENT_ID,
    'treatment_continued',
    $T0 + ($NWIN + i) * $W / $NDL - 86400000,
    $T0 + i * $W / $NDL,
    $T0 + ($NWIN + i) * $W / $NDL FROM n;
-- Their keyworker clocks: met.
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n
    WHERE i < $NWIN - 1)
INSERT INTO care_clocks (id, patient_id, kind, started_at, warn_at, due_at,
    met_at, met_how, met_by)
SELECT printf('00000000-0000-4000-a000-%012x', i), $PATIENT_ID,
    'keyworker_allocated', $NOW - 3600000, $NOW + 17 * 3600000,
    $NOW + 23 * 3600000, $NOW - 1800000, 'keyworker', '$ADMIN_ID' FROM n;
-- Everyone else: both clocks running, deadlines 1 to 8 hours away.
WITH RECURSIVE n(i) AS (SELECT $NWIN UNION ALL SELECT i + 1 FROM n
    WHERE i < $NPAT - 1)
INSERT INTO care_clocks (id, patient_id, kind, started_at, warn_at, due_at)
SELECT printf('00000000-0000-4000-%s-%012x', k.hex, i), $PATIENT_ID, k.kind,
    $NOW - 3600000, $NOW + 3600000 + i * 37 % 3600000,
    $NOW + 7200000 + i * 37 % 3600000 FROM n,
    (SELECT '9000' AS hex, 'treatment_continued' AS kind UNION ALL
     SELECT 'a000', 'keyworker_allocated') AS k;
COMMIT;
EOF
t_seeded=$(now_ms)
rows=$(q "SELECT (SELECT count(*) FROM patients) || ' patients, ' ||
    (SELECT count(*) FROM care_clocks) || ' clocks, ' ||
    ((SELECT count(*) FROM care_clocks WHERE warn_at BETWEEN $T0 AND $T0 + $W)
    + (SELECT count(*) FROM care_clocks WHERE due_at BETWEEN $T0 AND $T0 + $W))
    || ' deadlines in the window'")
echo "seeded:            $rows in $((t_seeded - t_seed)) ms"
inwin=$(q "SELECT (SELECT count(*) FROM care_clocks WHERE met_at IS NULL AND
    warned = 0 AND warn_at BETWEEN $T0 AND $T0 + $W) + (SELECT count(*) FROM
    care_clocks WHERE met_at IS NULL AND breach_fired = 0 AND due_at BETWEEN
    $T0 AND $T0 + $W)")
[ "$inwin" -eq "$NDL" ] || fail "seeded $inwin deadlines in the window, not $NDL"
[ "$t_seeded" -lt "$T0" ] ||
    fail "seeding took longer than the lead of ${LEAD_S} s; raise BENCH_DL_LEAD"

start_daemon "$DB"
t_up=$(now_ms)
echo "daemon up:         $((T0 - t_up)) ms before the first deadline"
[ "$t_up" -lt "$T0" ] ||
    echo "note: the daemon came up after the first deadline; early lateness includes start-up"
cpu0=$(cpu_seconds "$DAEMON_PID")

# Wait for every windowed clock to have warned and breached.
deadline=$((T0 + W + 120000))
while :; do
	kill -0 "$DAEMON_PID" 2>/dev/null || fail "the daemon died"
	done_n=$(q "SELECT count(*) FROM care_clocks WHERE due_at BETWEEN
	    $T0 AND $T0 + $W AND warned = 1 AND breach_fired = 1") || done_n=0
	[ "$done_n" -eq "$NWIN" ] && break
	if [ "$(now_ms)" -gt "$deadline" ]; then
		fail "two minutes after the last deadline only $done_n of $NWIN clocks have warned and breached"
	fi
	sleep 1
done
t_done=$(now_ms)
cpu1=$(cpu_seconds "$DAEMON_PID")
echo "all fired:         $(( t_done - T0 - W )) ms after the last deadline (polled every second)"
echo "daemon CPU:        $(echo "$cpu1 $cpu0" | awk '{ printf "%.1f", $1 - $2 }') s over the $((WINDOW_S)) s window"

# The chain the scheduler extended (one audit entry per alert) verifies.
ADMIN_TOKEN=$(sign_in admin "$ADMIN_PIN")
t_v=$(now_ms)
verify=$(call GET /audit/verify 200 "" "$ADMIN_TOKEN")
t_v1=$(now_ms)
echo "audit verify:      $(printf '%s' "$verify" | jq -c .) in $((t_v1 - t_v)) ms"
printf '%s' "$verify" | jq -e '.ok == true' >/dev/null 2>&1 || fail "GET /v1/audit/verify does not say the chain is intact: $verify"
stop_daemon

# Lateness of each deadline, by the alert it raised.
sqlite3 "$DB" <<EOF > "$T/lateness.out" || fail "the lateness query failed"
CREATE TEMP TABLE lat AS
SELECT a.raised_at - CASE a.kind WHEN 'clock_warning' THEN c.warn_at
    ELSE c.due_at END AS ms, a.kind AS kind, a.subject_id AS clock,
    a.raised_at AS raised_at
FROM alerts a JOIN care_clocks c ON c.id = a.subject_id
WHERE a.kind IN ('clock_warning', 'clock_breach')
    AND c.due_at BETWEEN $T0 AND $T0 + $W;
CREATE TEMP TABLE s AS SELECT count(*) AS n FROM lat;
SELECT 'count', n FROM s;
SELECT 'distinct', count(*) FROM (SELECT DISTINCT clock, kind FROM lat);
SELECT 'all_alerts', count(*) FROM alerts;
SELECT 'early', count(*) FROM lat WHERE ms < 0;
SELECT 'p50', ms FROM lat ORDER BY ms
    LIMIT 1 OFFSET (SELECT max(0, (n + 1) / 2 - 1) FROM s);
SELECT 'p99', ms FROM lat ORDER BY ms
    LIMIT 1 OFFSET (SELECT max(0, (n * 99 + 99) / 100 - 1) FROM s);
SELECT 'max', max(ms) FROM lat;
SELECT 'mean', printf('%.1f', avg(ms)) FROM lat;
SELECT 'batches', count(DISTINCT raised_at) FROM lat;
SELECT 'biggest', max(c) FROM (SELECT count(*) AS c FROM lat
    GROUP BY raised_at);
SELECT 'events', count(*) FROM alert_events;
SELECT 'overtaken', $NWIN - count(DISTINCT clock) FROM lat
    WHERE kind = 'clock_warning';
EOF
get() { awk -v k="$1" -F'|' '$1 == k { print $2 }' "$T/lateness.out"; }
n=$(get count)
echo "alerts raised:     $n for $NDL deadlines ($(get distinct) distinct clock+kind, $(get all_alerts) alerts in all, $(get events) stream events)"
echo "scheduler batches: $(get batches) (largest $(get biggest) deadlines)"
printf '%-18s %8s %8s %8s %8s %8s\n' "" count "p50 ms" "p99 ms" "max ms" "mean ms"
printf '%-18s %8s %8s %8s %8s %8s\n' "lateness" "$n" "$(get p50)" \
    "$(get p99)" "$(get max)" "$(get mean)"
echo "RESULT lateness $n $(get p50) $(get p99) $(get max)"
[ "$(get overtaken)" -eq 0 ] ||
    fail "$(get overtaken) warnings were never raised: the scheduler was so late that their breach overtook them"
[ "$n" -eq "$NDL" ] || fail "$n alerts for $NDL deadlines"
[ "$(get distinct)" -eq "$NDL" ] || fail "a deadline fired more than once"
[ "$(get all_alerts)" -eq "$NDL" ] ||
    fail "$(get all_alerts) alerts in all: some fired for clocks outside the window"
[ "$(get events)" -eq "$NDL" ] || fail "$(get events) stream events for $NDL alerts"
[ "$(get early)" -eq 0 ] || fail "$(get early) deadlines fired before they were due"
rm -f "$DB" "$DB-wal" "$DB-shm"

# measure_start LABEL [-k]: one start of the daemon on $DB, timed by
# bench_startup (-k: killed with SIGKILL once it answers); sets START_MS
# and STOP_MS.
measure_start() {
	tries=0
	while :; do
		write_config "$DB"
		rc=0
		# shellcheck disable=SC2086
		"$BIN/bench_startup" -p "$PORT" ${2:-} -t 120 -- "$IDTSD" -f \
		    -c "$T/idtsd.conf" > "$T/startup.out" 2>>"$T/daemon.log" ||
		    rc=$?
		if [ $rc -eq 3 ] && grep -q "cannot listen" "$T/daemon.log" &&
		    [ $tries -lt 5 ]; then
			tries=$((tries + 1))
			pick_port
			continue
		fi
		[ $rc -eq 0 ] || fail "$1 failed"
		break
	done
	START_MS=$(awk '$1 == "RESULT" { print $2 }' "$T/startup.out")
	STOP_MS=$(awk '$1 == "RESULT" { print $3 }' "$T/startup.out")
	echo "$1 $START_MS ms to the first 200 from /v1/health (SIGTERM to exit: $STOP_MS ms)"
}

echo
echo "== start-up: 1,000,000 stored rows, 100,000 pending deadlines"
DB="$T/startup.db"
init_db "$DB"
measure_start "empty database:   "
ADMIN_ID=$(q "SELECT id FROM staff WHERE username = 'admin'")
NOW=$(now_ms)
t_seed=$NOW
sqlite3 "$DB" <<EOF || fail "seeding failed"
PRAGMA foreign_keys = ON;
BEGIN;
-- 200,000 patients; the first 25,000 still here, with both clocks running.
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n
    WHERE i < 199999)
INSERT INTO patients (id, prison_number, given_name, family_name,
    date_of_birth, arrived_at, location, stimulant_user, status,
    created_by, created_at)
SELECT $PATIENT_ID, $PRISON_NUMBER, 'Bench', printf('Patient%06d', i),
    '1990-01-01', $NOW - (200000 - i) * 600000, 'Bench wing', i % 3 = 0,
    CASE WHEN i < 25000 THEN 'in_custody' ELSE 'released' END,
    '$ADMIN_ID', $NOW - (200000 - i) * 600000 FROM n;
-- 400,000 clocks: 50,000 running (100,000 deadlines 2 to 9 hours away),
-- the rest met.
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n
    WHERE i < 199999)
INSERT INTO care_clocks (id, patient_id, kind, started_at, warn_at, due_at,
    met_at, met_how, met_by)
SELECT printf('00000000-0000-4000-%s-%012x', k.hex, i), $PATIENT_ID, k.kind,
    $NOW - 3600000, $NOW + 7200000 + i * 37 % 3600000,
    $NOW + 10800000 + i * 37 % 21600000,
    CASE WHEN i < 25000 THEN NULL ELSE $NOW - (200000 - i) * 600000 END,
    CASE WHEN i < 25000 THEN NULL WHEN k.kind = 'keyworker_allocated'
        THEN 'keyworker' ELSE 'dose' END,
    CASE WHEN i < 25000 THEN NULL ELSE '$ADMIN_ID' END
FROM n, (SELECT '9000' AS hex, 'treatment_continued' AS kind UNION ALL
    SELECT 'a000', 'keyworker_allocated') AS k;
-- 200,000 alerts from the past, acknowledged, each with its event.
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n
    WHERE i < 199999)
INSERT INTO alerts (id, kind, severity, audience, patient_id, subject_id,
    raised_at, message, acked_by, acked_at, ack_note, escalate_at)
SELECT printf('00000000-0000-4000-b000-%012x', i),
    CASE i % 2 WHEN 0 THEN 'clock_warning' ELSE 'clock_breach' END,
    CASE i % 2 WHEN 0 THEN 'warning' ELSE 'urgent' END,
    CASE i % 2 WHEN 0 THEN 'ward' ELSE 'manager' END,
    $PATIENT_ID, printf('00000000-0000-4000-9000-%012x', i),
    $NOW - (200000 - i) * 600000,
    $PRISON_NUMBER || ' Patient' || printf('%06d', i) || ', Bench: treatment continued (first substitute dose given and signed) is due by 22/11/2026 08:00',
    '$ADMIN_ID', $NOW - (200000 - i) * 600000 + 300000, 'seen',
    $NOW - (200000 - i) * 600000 + 1800000 FROM n;
INSERT INTO alert_events (alert_id, event)
SELECT id, 'alert' FROM alerts ORDER BY raised_at;
COMMIT;
EOF
t_seeded=$(now_ms)
rows=$(q "SELECT (SELECT count(*) FROM patients) + (SELECT count(*) FROM care_clocks)
    + (SELECT count(*) FROM alerts) + (SELECT count(*) FROM alert_events)")
pending=$(q "SELECT (SELECT count(*) FROM care_clocks WHERE met_at IS NULL AND warned = 0)
    + (SELECT count(*) FROM care_clocks WHERE met_at IS NULL AND breach_fired = 0)")
echo "seeded:            $rows rows, $pending pending deadlines, $(du -k "$DB" | cut -f1) KiB, in $((t_seeded - t_seed)) ms"
[ "$pending" -eq 100000 ] || fail "seeded $pending pending deadlines, not 100000"

t_qc=$(date +%s%N)
qc=$(sqlite3 "$DB" 'PRAGMA quick_check')
t_qc1=$(date +%s%N)
[ "$qc" = ok ] || fail "quick_check: $qc"
echo "quick_check alone: $(( (t_qc1 - t_qc) / 1000000 )) ms (sqlite3 shell; the daemon runs it before serving only after an unclean stop)"
t_ic=$(date +%s%N)
ic=$(sqlite3 "$DB" 'PRAGMA integrity_check')
t_ic1=$(date +%s%N)
[ "$ic" = ok ] || fail "integrity_check: $ic"
echo "integrity_check:   $(( (t_ic1 - t_ic) / 1000000 )) ms (sqlite3 shell; the daemon runs it in the background after every start)"
# The anchor: the sqlite3 shell's exec, open and first query, the best
# of three.
anchor=""
for i in 1 2 3; do
	t_a=$(date +%s%N)
	sqlite3 "$DB" 'SELECT count(*) FROM staff' >/dev/null
	ms=$(( ($(date +%s%N) - t_a) / 1000 ))
	[ -n "$anchor" ] && [ "$anchor" -le "$ms" ] || anchor=$ms
done
anchor=$(awk -v us="$anchor" 'BEGIN { printf "%.1f", us / 1000 }')
echo "raw SQLite:        $anchor ms to open the file and answer a first query (sqlite3 shell, exec included)"
echo "RESULT startup_anchor $anchor"

for i in $(seq 1 "$STARTS"); do
	measure_start "start $i:          "
	echo "RESULT startup $i $START_MS $STOP_MS"
done
# After a crash the daemon checks the database before it serves.
measure_start "start, killed -9: " -k
from=$(($(wc -l < "$T/daemon.log") + 1))
measure_start "start after it:   "
echo "RESULT startup_unclean $START_MS"
tail -n "+$from" "$T/daemon.log" | grep -q "the last stop was not clean" ||
    fail "the start after kill -9 did not check before serving"
fired=$(q "SELECT count(*) FROM alerts")
[ "$fired" -eq 200000 ] || fail "the start-ups raised $((fired - 200000)) alerts for deadlines hours away"
