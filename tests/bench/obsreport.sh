#!/bin/sh
# The observation compliance report over 90 days for 200 patients on
# hourly observations: GET /v1/reports/observations?from=...&to=...
#
#	tests/bench/obsreport.sh BUILD		(run.sh runs it at its end)
#
# A fresh daemon (real clock, base_interval_minutes = 60); through the
# API, two nurses and a manager.  Then, the daemon stopped, one sqlite3
# transaction seeds BENCH_OBS_PATIENTS (200) stimulant users in custody,
# each arrived in the first hour of the first day of the report (the
# local day BENCH_OBS_DAYS - 1 (89) days before today), each with a
# running observation plan (base interval an hour) and the chain of dues
# and observations the daemon would have recorded since, as
# schema/004_observations.sql keeps them: each due met on time (89%:
# taken_at - due_at uniformly from -10 to +15 minutes, the grace), late
# (8%: 15 to 60 minutes; the scheduler had warned) or missed (3%: no
# observation; the next due opened at missed_at); the next due opens at
# taken_at + 60 minutes (or missed_at), so late observations push the
# schedule back as they do in the daemon.  Every due whose missed_at has
# passed is closed; the one after is each patient's open due.  Each
# observation has readings scoring NEWS2 0 (80%), 2 (12%), 5 (5%), a
# single 3 (2%) or 9 (1%), its total, band and red parameter as the
# daemon stores them, recorded by one of the nurses a few minutes after.
# Rows go in in time order (dues by due_at, observations by taken_at), as
# the daemon would have written them.  About 396,000 dues and 384,000
# observations (the hourly chain drifts by its late observations).
#
# Timed with bench_http (BUILD/bench/), as the manager,
# BENCH_OBS_REQUESTS (10) times each: the whole period as JSON and as CSV
# (Accept: text/csv), and its last 7 days as JSON and as CSV.  The 90-day
# report's totals and its CSV must agree with the seeded dues.
#
# Figures, not thresholds: it exits non-zero only if something is
# functionally wrong.  Temporary files go under $BENCH_TMPDIR (/var/tmp).
set -eu

[ $# -eq 1 ] || { echo "usage: $0 BUILD" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "$1" && pwd)
NAME=obsreport
# shellcheck source=tests/bench/benchlib.sh
. "$HERE/benchlib.sh"
# shellcheck source=tests/bench/doselib.sh
. "$HERE/doselib.sh"

NPAT=${BENCH_OBS_PATIENTS:-200}
DAYS=${BENCH_OBS_DAYS:-90}
NREQ=${BENCH_OBS_REQUESTS:-10}
MANAGER_PIN=6161
HOUR=3600000
# Enough links in each chain to reach now even if every observation were
# taken 10 minutes early (50-minute gaps), and then some.
KMAX=$((DAYS * 24 * 60 / 50 + 100))
[ "$DAYS" -ge 7 ] || fail "BENCH_OBS_DAYS must be at least 7"

# shellcheck disable=SC2086
cc $CFLAGS_BENCH -o "$BIN/bench_http" "$HERE/bench_http.c" \
    "$HERE/bench_common.c"

echo "== compliance report: GET /v1/reports/observations, $DAYS days, $NPAT patients observed hourly"
DB="$T/obsreport.db"
EXTRA_CONFIG="observations = { base_interval_minutes = 60; low_interval_minutes = 60; };"
init_db "$DB"
start_daemon "$DB"
ADMIN_TOKEN=$(sign_in admin "$ADMIN_PIN")
add_staff nurse1 nurse "$(nurse_pin 1)"
add_staff nurse2 nurse "$(nurse_pin 2)"
add_staff manager1 manager "$MANAGER_PIN"
ADMIN_ID=$(q "SELECT id FROM staff WHERE username = 'admin'")
NURSE1_ID=$(q "SELECT id FROM staff WHERE username = 'nurse1'")
NURSE2_ID=$(q "SELECT id FROM staff WHERE username = 'nurse2'")
stop_daemon

TODAY=$(TZ=Europe/London date +%F)
FROM_DAY=$(TZ=Europe/London date -d "$TODAY - $((DAYS - 1)) days" +%F)
WEEK_DAY=$(TZ=Europe/London date -d "$TODAY - 6 days" +%F)
START_MS=$(local_midnight_ms "$FROM_DAY")
END_MS=$(local_midnight_ms "$(date -d "$TODAY + 1 day" +%F)")
NOW_MS=$(now_ms)

t_seed=$(now_ms)
sqlite3 "$DB" <<EOF || fail "seeding failed"
PRAGMA foreign_keys = ON;
BEGIN;
-- Patients arrive a minute apart from the first day's midnight, flagged
-- as stimulant users on arrival: each plan counts from then.
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n
    WHERE i < $NPAT - 1)
INSERT INTO patients (id, prison_number, given_name, family_name,
    date_of_birth, arrived_at, location, stimulant_user, status,
    created_by, created_at)
SELECT $PATIENT_ID, $PRISON_NUMBER, 'Bench', printf('Patient%06d', i),
    '1990-01-01', $START_MS + i * 60000, printf('Houseblock %d', 1 + i % 4),
    1, 'in_custody', '$ADMIN_ID', $START_MS + i * 60000 FROM n;
INSERT INTO observation_plans (patient_id, starts_at, counts_from, ends_at,
    base_interval_ms, ended_at, created_by, created_at)
SELECT id, arrived_at, arrived_at, $NOW_MS + 7 * 86400000, $HOUR, NULL,
    '$ADMIN_ID', arrived_at FROM patients;
-- Each patient's chain: link k's outcome (u: per mille) and how long
-- after the due the observation was taken (off, ms; NULL when missed).
-- The random draws are stored first: SQLite would draw again for each
-- mention of a column of a view or a CTE it flattens.
CREATE TEMP TABLE draw AS
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n
    WHERE i < $NPAT - 1),
k(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM k WHERE k < $KMAX - 1)
SELECT i, k, abs(random()) % 1000 AS u, abs(random()) AS r FROM n, k;
CREATE TEMP TABLE link AS
SELECT i, k, CASE WHEN u < 30 THEN 'missed' WHEN u < 110 THEN 'late'
        ELSE 'on_time' END AS state,
    CASE WHEN u < 30 THEN NULL WHEN u < 110 THEN 900001 + r % 2699999
        WHEN k = 0 THEN r % 900001 ELSE -600000 + r % 1500001 END AS off
FROM draw;
DROP TABLE draw;
-- When each due was: the one before's observation plus the hour, or
-- (missed) its missed_at.
CREATE TEMP TABLE chain AS
SELECT i, k, state, off, $START_MS + i * 60000 + coalesce(sum($HOUR +
        coalesce(off, 0)) OVER (PARTITION BY i ORDER BY k
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS due_at
FROM link;
DROP TABLE link;
-- Closed: missed_at has passed.  The first link after is open; the rest
-- are yet to come.
CREATE TEMP TABLE opened AS SELECT i, min(k) AS k FROM chain
WHERE due_at + $HOUR > $NOW_MS GROUP BY i;
CREATE TEMP TABLE due AS
SELECT c.i, c.k, CASE WHEN c.k = o.k THEN 'open' ELSE c.state END AS state,
    c.due_at, CASE WHEN c.k < o.k AND c.state <> 'missed' THEN c.due_at + c.off
        END AS taken_at,
    printf('00000000-0000-4000-b000-%012x', c.i * $KMAX + c.k) AS id,
    printf('00000000-0000-4000-a000-%012x', c.i * $KMAX + c.k) AS obs_id
FROM chain c JOIN opened o ON o.i = c.i WHERE c.k <= o.k;
DROP TABLE chain;
-- The readings of each observation taken, by profile (v: per mille).
CREATE TEMP TABLE obs AS
SELECT obs_id AS id, $PATIENT_ID AS patient_id, taken_at,
    abs(random()) % 1000 AS v, abs(random()) % 7 AS a,
    abs(random()) % 4 AS b, abs(random()) % 90 AS c,
    abs(random()) % 20 AS d, abs(random()) % 10 AS e
FROM due WHERE taken_at IS NOT NULL;
INSERT INTO observations (id, patient_id, taken_at, respiratory_rate, spo2,
    spo2_scale, on_oxygen, systolic_bp, pulse, consciousness,
    temperature_tenths, total, band, red_parameter, next_due_at,
    recorded_by, recorded_at)
SELECT id, patient_id, taken_at,
    CASE WHEN v < 920 THEN 12 + a + e % 3 WHEN v < 970 THEN 21 + b
        ELSE 25 + b END,
    CASE WHEN v < 920 OR (v >= 970 AND v < 990) THEN 96 + b
        WHEN v < 970 THEN 94 + b % 2 ELSE 92 + b % 2 END,
    1, 0,
    CASE WHEN v < 800 THEN 111 + c ELSE 120 + c % 40 END,
    CASE WHEN v < 800 THEN 51 + c % 40 WHEN v < 920 THEN 91 + d
        WHEN v < 970 THEN 111 + d WHEN v < 990 THEN 60 + d
        ELSE 111 + d END,
    'A',
    CASE WHEN v < 800 THEN 361 + d WHEN v < 920 THEN 381 + e
        WHEN v < 990 THEN 365 + e ELSE 391 + b END,
    CASE WHEN v < 800 THEN 0 WHEN v < 920 THEN 2 WHEN v < 970 THEN 5
        WHEN v < 990 THEN 3 ELSE 9 END,
    CASE WHEN v < 800 THEN 'zero' WHEN v < 920 THEN 'low'
        WHEN v < 970 THEN 'medium' WHEN v < 990 THEN 'low_medium'
        ELSE 'high' END,
    CASE WHEN v >= 970 THEN 'respiratory_rate' END,
    taken_at + $HOUR,
    CASE WHEN v % 2 = 0 THEN '$NURSE1_ID' ELSE '$NURSE2_ID' END,
    min(taken_at + 60000 + c * 2000, $NOW_MS)
FROM obs ORDER BY taken_at;
INSERT INTO observation_dues (id, patient_id, due_at, interval_ms, warn_at,
    missed_at, state, warned, observation_id, taken_at)
SELECT id, $PATIENT_ID, due_at, $HOUR, due_at + 900000, due_at + $HOUR,
    state, state IN ('late', 'missed'), CASE WHEN taken_at IS NOT NULL
        THEN obs_id END, taken_at
FROM due ORDER BY due_at;
DROP TABLE obs;
DROP TABLE due;
COMMIT;
EOF
t_seeded=$(now_ms)
NDUES=$(q "SELECT count(*) FROM observation_dues")
NOBS=$(q "SELECT count(*) FROM observations")
echo "seeded:            $NDUES dues and $NOBS observations for $NPAT patients in $((t_seeded - t_seed)) ms; $(du -k "$DB" | cut -f1) KiB"
echo "dues:              $(q "SELECT group_concat(state || ' ' || n || ' (' || printf('%.1f', 100.0 * n / $NDUES) || '%)', ', ') FROM (SELECT state, count(*) AS n FROM observation_dues GROUP BY state ORDER BY n DESC)")"
echo "late minutes:      $(q "SELECT printf('mean %.1f, max %d', avg(taken_at - due_at) / 60000.0, max(taken_at - due_at) / 60000) FROM observation_dues WHERE state = 'late'")"
[ "$(q "SELECT count(*) FROM observation_dues WHERE state = 'open'")" -eq "$NPAT" ] ||
    fail "not every patient has one open due"

# expect: what the report must add up to, the dues from FROM_DAY to today
# (due on_time late missed pending), as of now: an open due past its
# grace is overdue, and due (issue 18).
expect() {
	q "WITH n(ms) AS (SELECT CAST((julianday('now') - 2440587.5) *
	    86400000 AS INTEGER))
	    SELECT sum(state IN ('on_time', 'late', 'missed') OR
	    (state = 'open' AND warn_at <= n.ms)) || ' ' ||
	    sum(state = 'on_time') || ' ' || sum(state = 'late') || ' ' ||
	    sum(state = 'missed') || ' ' || sum(state = 'open' AND
	    warn_at > n.ms) FROM observation_dues, n WHERE
	    due_at >= $START_MS AND due_at < $END_MS"
}

start_daemon "$DB"
MANAGER_TOKEN=$(sign_in manager1 "$MANAGER_PIN")
export BENCH_TOKEN="$MANAGER_TOKEN"
RPATH="/v1/reports/observations?from=$FROM_DAY&to=$TODAY"
WPATH="/v1/reports/observations?from=$WEEK_DAY&to=$TODAY"

# The whole period once as JSON and once as CSV, with the dues as they
# were before and after: the scheduler may record an open due missed (and
# open the next) meanwhile, and then we ask again.
tries=0
while :; do
	EXPECT=$(expect)
	curl -s -m 120 -o "$T/report.json" -w '%{http_code}\n' \
	    -H "Authorization: Bearer $MANAGER_TOKEN" \
	    "http://127.0.0.1:$PORT$RPATH" > "$T/curl.json.out" ||
	    fail "GET $RPATH failed"
	curl -s -m 120 -o "$T/report.csv" -w '%{http_code}\n' \
	    -H "Authorization: Bearer $MANAGER_TOKEN" -H 'Accept: text/csv' \
	    "http://127.0.0.1:$PORT$RPATH" > "$T/curl.csv.out" ||
	    fail "GET $RPATH (CSV) failed"
	[ "$(cat "$T/curl.json.out")" = 200 ] ||
	    fail "GET $RPATH: HTTP $(cat "$T/curl.json.out")"
	[ "$(cat "$T/curl.csv.out")" = 200 ] ||
	    fail "GET $RPATH (CSV): HTTP $(cat "$T/curl.csv.out")"
	[ "$(expect)" = "$EXPECT" ] && break
	tries=$((tries + 1))
	[ $tries -lt 5 ] || fail "the dues kept changing under the report"
done
GOT=$(jq -r '.totals | "\(.due) \(.on_time) \(.late) \(.missed) \(.pending)"' "$T/report.json")
[ "$GOT" = "$EXPECT" ] ||
    fail "the report's totals (due on_time late missed pending) are $GOT, the dues say $EXPECT"
jpat=$(jq '.patients | length' "$T/report.json")
jdays=$(jq '[.patients[].days | length] | add' "$T/report.json")
[ "$jpat" -eq "$NPAT" ] || fail "the report has $jpat patients, not $NPAT"
CSV_TOTAL=$(grep '^UNIT,,,,TOTAL,' "$T/report.csv" | tr -d '\r' | cut -d, -f6,7,8,11,13 | tr , ' ')
[ "$CSV_TOTAL" = "$EXPECT" ] ||
    fail "the CSV's TOTAL line says $CSV_TOTAL, the dues $EXPECT"
csv_lines=$(wc -l < "$T/report.csv")
[ "$csv_lines" -eq $((1 + jdays + DAYS + 1)) ] ||
    fail "the CSV has $csv_lines lines, not $((1 + jdays + DAYS + 1))"
echo "90-day report:     $jpat patients, $jdays patient-days; totals due $(echo "$EXPECT" | cut -d' ' -f1), on time $(jq -r '.totals.on_time_percent' "$T/report.json" | awk '{ printf "%.1f", $1 }')%"

run() {
	label=$1
	shift
	"$BIN/bench_http" -p "$PORT" -n "$NREQ" -l "$label" "$@" \
	    > "$T/$label.out" || { cat "$T/$label.out"; fail "$label failed"; }
	grep -v '^RESULT' "$T/$label.out"
}
run json90 -k date "$RPATH"
run csv90 -A text/csv "$RPATH"
run json7 -k date "$WPATH"
run csv7 -A text/csv "$WPATH"
unset BENCH_TOKEN
daemon_cpu=$(cpu_seconds "$DAEMON_PID")
stop_daemon

[ "$(awk '$1 == "RESULT" { print $7 }' "$T/json90.out")" -eq $((jdays + DAYS)) ] ||
    fail "bench_http counted another number of days in the 90-day report"

echo
echo "-- summary"
echo "seeding:           $((t_seeded - t_seed)) ms for $NDUES dues and $NOBS observations"
cat "$T/json90.out" "$T/csv90.out" "$T/json7.out" "$T/csv7.out" | awk -v days="$DAYS" '
$1 == "RESULT" { p50[$2] = $3; p99[$2] = $4; max[$2] = $5; bytes[$2] = $6 }
END {
	printf "%-26s %10s %10s %10s %12s\n", "", "p50 ms", "p99 ms", "max ms", "bytes"
	split("json90 csv90 json7 csv7", order, " ")
	name["json90"] = days " days, JSON"
	name["csv90"] = days " days, CSV"
	name["json7"] = "7 days, JSON"
	name["csv7"] = "7 days, CSV"
	for (i = 1; i <= 4; i++) {
		k = order[i]
		printf "%-26s %10.2f %10.2f %10.2f %12d\n", name[k], p50[k],
		    p99[k], max[k], bytes[k]
	}
	printf "RESULT obsreport %.3f %.3f %d %.3f %.3f %d %.3f %.3f\n",
	    p50["json90"], p99["json90"], bytes["json90"], p50["csv90"],
	    p99["csv90"], bytes["csv90"], p50["json7"], p50["csv7"]
}'
echo "daemon CPU:        $daemon_cpu s over its run"
