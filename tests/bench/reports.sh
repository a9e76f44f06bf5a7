#!/bin/sh
# The managers' reports (issue 18) over 90 days for 200 patients: each of
# GET /v1/reports/doses, clocks, register and alerts for the whole
# period, as JSON and as CSV, and the governance pack for the last whole
# month (JSON and the printable page), beside a raw-SQLite anchor in the
# same run: the same period's doses grouped per patient, local day and
# round by one SELECT in the sqlite3 shell (.timer), which is what the
# dose report's store read and tally do.
#
#	tests/bench/reports.sh BUILD		(run.sh runs it)
#
# A fresh daemon (real clock); through the API, two nurses, a pharmacist,
# a prescriber and a manager, and a register page.  Then, the daemon
# stopped, one sqlite3 transaction seeds BENCH_REP_PATIENTS (200)
# patients, each arrived BENCH_REP_DAYS (90) days ago on a stopped
# maintenance prescription at 08:00 and 20:00, with every dose of the
# period closed: given (78% on time, 7% late), refused 5%, withheld 3%,
# missed 4%, away 1.5%, held 1.5%; each given dose's register entry; a
# stock check a day (one in ten short by 1 ml); both continuity clocks a
# patient (met in 1 to 30 hours, one in eight never, breach fired); and
# 20 alerts a day (each severity, 80% acknowledged within an hour, one in
# ten escalated).  No hold is seeded (they are audit entries, whose chain
# the daemon checks).
#
# Timed with bench_http, as the manager, BENCH_REP_REQUESTS (10) times
# each.  Figures, not thresholds (the goal is under 300 ms): it exits
# non-zero only if something is functionally wrong (the dose report's
# totals must equal the seeded doses).
set -eu

[ $# -eq 1 ] || { echo "usage: $0 BUILD" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "$1" && pwd)
NAME=reports
# shellcheck source=tests/bench/benchlib.sh
. "$HERE/benchlib.sh"
# shellcheck source=tests/bench/doselib.sh
. "$HERE/doselib.sh"

NPAT=${BENCH_REP_PATIENTS:-200}
DAYS=${BENCH_REP_DAYS:-90}
NREQ=${BENCH_REP_REQUESTS:-10}
MANAGER_PIN=6262
DAY_MS=86400000

# shellcheck disable=SC2086
cc $CFLAGS_BENCH -o "$BIN/bench_http" "$HERE/bench_http.c" \
    "$HERE/bench_common.c"

echo "== managers' reports: $DAYS days, $NPAT patients, doses at 08:00 and 20:00"
DB="$T/reports.db"
init_db "$DB"
start_daemon "$DB"
staff_setup 2
add_staff manager1 manager "$MANAGER_PIN"
product_setup 10000000
stop_daemon

TODAY=$(TZ=Europe/London date +%F)
FROM_DAY=$(TZ=Europe/London date -d "$TODAY - $DAYS days" +%F)
TO_DAY=$(TZ=Europe/London date -d "$TODAY - 1 day" +%F)
MONTH=$(TZ=Europe/London date -d "$(date +%Y-%m-01) - 1 month" +%Y-%m)
START_MS=$(local_midnight_ms "$FROM_DAY")
NOW_MS=$(now_ms)

t_seed=$(now_ms)
sqlite3 "$DB" <<EOF || fail "seeding failed"
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n
    WHERE i < $NPAT - 1)
INSERT INTO patients (id, prison_number, given_name, family_name,
    date_of_birth, arrived_at, location, stimulant_user, status,
    created_by, created_at)
SELECT $PATIENT_ID, $PRISON_NUMBER, 'Bench', printf('Patient%06d', i),
    '1990-01-01', $START_MS, printf('Houseblock %d', 1 + i % 4), 0,
    'in_custody', '$ADMIN_ID', $START_MS FROM n;
INSERT INTO prescriptions (id, patient_id, product_id, regimen, dose, times,
    every_days, start_date, end_date, prescriber_id, created_at, starts_at,
    ends_at, stopped_at, stopped_by, stop_reason, generated_until)
SELECT replace(id, '-8000-', '-c000-'), id, '$PRODUCT_ID', 'maintenance',
    60000, '08:00,20:00', 1, '$FROM_DAY', '$TO_DAY', '$DOC_ID', $START_MS,
    $START_MS, $NOW_MS - $DAY_MS, $NOW_MS - $DAY_MS, '$DOC_ID', 'bench',
    $NOW_MS FROM patients WHERE id LIKE '00000000-0000-4000-8000-%';
CREATE TEMP TABLE d AS
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n
    WHERE i < $NPAT - 1),
k(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM k WHERE k < 2 * $DAYS - 1)
SELECT i, k, $START_MS + (k / 2) * $DAY_MS + (8 + 12 * (k % 2)) * 3600000
    AS due_at, abs(random()) % 1000 AS u, abs(random()) % 3600000 AS r
FROM n, k;
INSERT INTO doses (id, prescription_id, patient_id, due_at, window_start,
    window_end, amount, state, recorded_at, recorded_by, witnessed_by,
    reason, register_entry_id)
SELECT printf('00000000-0000-4000-d000-%012x', i * 1000 + k),
    replace($PATIENT_ID, '-8000-', '-c000-'), $PATIENT_ID, due_at,
    due_at - 3600000, due_at + 7200000, 60000,
    CASE WHEN u < 850 THEN 'given' WHEN u < 900 THEN 'refused'
        WHEN u < 930 THEN 'withheld' WHEN u < 970 THEN 'missed'
        WHEN u < 985 THEN 'away' ELSE 'held' END,
    CASE WHEN u < 780 THEN due_at + r / 2 WHEN u < 850 THEN due_at +
        1860000 + r WHEN u < 930 THEN due_at + r / 4 END,
    CASE WHEN u < 930 THEN '$NURSE1_ID' END,
    CASE WHEN u < 850 THEN '$NURSE2_ID' END,
    CASE WHEN u >= 850 AND u < 930 THEN 'bench' END,
    CASE WHEN u < 850 THEN printf('00000000-0000-4000-e000-%012x',
        i * 1000 + k) END
FROM d ORDER BY due_at;
DROP TABLE d;
INSERT INTO register_entries (id, product_id, kind, quantity, balance_after,
    counted, at, by_id, witness_id, dose_id, patient_id)
SELECT register_entry_id, '$PRODUCT_ID', 'administration', -60000,
    (SELECT balance_after FROM register_entries WHERE product_id =
    '$PRODUCT_ID') - 60000 * row_number() OVER (ORDER BY recorded_at, id),
    NULL, recorded_at, '$NURSE1_ID', '$NURSE2_ID', id, patient_id
FROM doses WHERE state = 'given' ORDER BY recorded_at, id;
-- A check a day, after the doses in the register's order (each entry's
-- balance follows on from the one before), at 23:00 of each day.
WITH RECURSIVE k(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM k
    WHERE k < $DAYS - 1),
b(b) AS (SELECT balance_after FROM register_entries
    WHERE product_id = '$PRODUCT_ID' ORDER BY seq DESC LIMIT 1)
INSERT INTO register_entries (id, product_id, kind, quantity, balance_after,
    counted, at, by_id, witness_id)
SELECT printf('00000000-0000-4000-f000-%012x', k), '$PRODUCT_ID', 'check',
    0, b, b - (k % 10 = 3) * 1000, $START_MS + k * $DAY_MS + 82800000,
    '$PHARM_ID', '$NURSE1_ID'
FROM k, b ORDER BY k;
INSERT INTO care_clocks (id, patient_id, kind, started_at, warn_at, due_at,
    met_at, met_how, warned, breach_fired)
SELECT printf('00000000-0000-4000-9000-%012x', (patients.rowid - 1) * 2 + j),
    id, CASE j WHEN 0 THEN 'treatment_continued' ELSE 'keyworker_allocated'
    END, arrived_at, arrived_at + 64800000, arrived_at + $DAY_MS,
    CASE WHEN abs(random()) % 8 = 0 THEN NULL ELSE arrived_at + 3600000 *
        (1 + abs(random()) % 30) END, 'decision', 1, 1
FROM patients, (SELECT 0 AS j UNION ALL SELECT 1)
WHERE id LIKE '00000000-0000-4000-8000-%';
UPDATE care_clocks SET met_how = NULL WHERE met_at IS NULL;
WITH RECURSIVE a(a) AS (SELECT 0 UNION ALL SELECT a + 1 FROM a
    WHERE a < 20 * $DAYS - 1)
INSERT INTO alerts (id, kind, severity, audience, raised_at, message,
    acked_by, acked_at, escalated)
SELECT printf('00000000-0000-4000-a000-%012x', a), 'bench',
    CASE a % 4 WHEN 0 THEN 'info' WHEN 1 THEN 'warning' WHEN 2 THEN 'urgent'
        ELSE 'emergency' END, 'manager', $START_MS + a * ($DAY_MS / 20),
    'bench', CASE WHEN a % 5 <> 0 THEN '$NURSE1_ID' END,
    CASE WHEN a % 5 <> 0 THEN $START_MS + a * ($DAY_MS / 20) + 60000 *
        (1 + abs(random()) % 60) END, a % 10 = 0
FROM a;
COMMIT;
EOF
t_seeded=$(now_ms)
NDOSES=$(q "SELECT count(*) FROM doses")
echo "seeded:            $NDOSES doses, $(q "SELECT count(*) FROM register_entries") register entries, $(q "SELECT count(*) FROM care_clocks") clocks, $(q "SELECT count(*) FROM alerts") alerts in $((t_seeded - t_seed)) ms; $(du -k "$DB" | cut -f1) KiB"

# The anchor: the same doses grouped per patient, local day and round in
# one SELECT, timed by the sqlite3 shell, BENCH_REP_REQUESTS times; the
# median in ms.
END_MS=$(local_midnight_ms "$TODAY")
ANCHOR_SQL="SELECT patient_id, date(due_at / 1000, 'unixepoch', 'localtime') AS day, strftime('%H:%M', due_at / 1000, 'unixepoch', 'localtime') AS round, count(*), sum(state = 'given' AND recorded_at - due_at <= 1800000), sum(state = 'given' AND recorded_at - due_at > 1800000), sum(state = 'refused'), sum(state = 'withheld'), sum(state = 'missed'), sum(state = 'away'), sum(state = 'held') FROM doses WHERE due_at >= $START_MS AND due_at < $END_MS GROUP BY 1, 2, 3;"
i=0
: > "$T/anchor.times"
while [ $i -lt "$NREQ" ]; do
	printf '.timer on\n.output /dev/null\n%s\n' "$ANCHOR_SQL" |
	    TZ=Europe/London sqlite3 "$DB" 2>&1 |
	    awk '/^Run Time/ { print $4 * 1000 }' >> "$T/anchor.times"
	i=$((i + 1))
done
ANCHOR=$(sort -n "$T/anchor.times" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
echo "anchor:            raw SQLite, the doses grouped per patient, day and round: p50 $ANCHOR ms"

start_daemon "$DB"
MANAGER_TOKEN=$(sign_in manager1 "$MANAGER_PIN")
export BENCH_TOKEN="$MANAGER_TOKEN"
R="from=$FROM_DAY&to=$TO_DAY"

# The dose report must add up to the seeded doses.
curl -s -m 120 -o "$T/doses.json" -H "Authorization: Bearer $MANAGER_TOKEN" \
    "http://127.0.0.1:$PORT/v1/reports/doses?$R" ||
    fail "GET /v1/reports/doses failed"
GOT=$(jq -r '.totals | "\(.due) \(.on_time + .late) \(.missed)"' "$T/doses.json")
WANT=$(q "SELECT count(*) || ' ' || sum(state = 'given') || ' ' || sum(state = 'missed') FROM doses")
[ "$GOT" = "$WANT" ] ||
    fail "the dose report's totals (due given missed) are $GOT, the doses say $WANT"

run() {
	label=$1
	shift
	"$BIN/bench_http" -p "$PORT" -n "$NREQ" -l "$label" "$@" \
	    > "$T/$label.out" || { cat "$T/$label.out"; fail "$label failed"; }
	grep -v '^RESULT' "$T/$label.out"
}
for r in doses clocks register alerts; do
	run "${r}_json" "/v1/reports/$r?$R"
	run "${r}_csv" -A text/csv "/v1/reports/$r?$R"
done
run pack_json "/v1/reports/governance?month=$MONTH"
run pack_html -A text/html "/v1/reports/governance?month=$MONTH"
unset BENCH_TOKEN
daemon_cpu=$(cpu_seconds "$DAEMON_PID")
stop_daemon

echo
echo "-- summary ($DAYS days, $NPAT patients; the pack: $MONTH)"
cat "$T"/*_json.out "$T"/*_csv.out "$T/pack_html.out" | awk -v anchor="$ANCHOR" '
$1 == "RESULT" { p50[$2] = $3; p99[$2] = $4; bytes[$2] = $6 }
END {
	printf "%-22s %9s %9s %11s %12s\n", "", "p50 ms", "p99 ms",
	    "p50/anchor", "bytes"
	n = split("doses_json doses_csv clocks_json clocks_csv register_json " \
	    "register_csv alerts_json alerts_csv pack_json pack_html", k, " ")
	for (i = 1; i <= n; i++)
		printf "%-22s %9.2f %9.2f %10.1fx %12d\n", k[i], p50[k[i]],
		    p99[k[i]], (anchor > 0 ? p50[k[i]] / anchor : 0),
		    bytes[k[i]]
	printf "%-22s %9.2f\n", "anchor (raw SQLite)", anchor
	printf "RESULT reports %.3f %.3f %.3f %.3f %.3f\n", p99["doses_json"],
	    p99["pack_json"], p99["pack_html"], anchor, p50["doses_json"]
}'
echo "daemon CPU:        $daemon_cpu s over its run"
