#!/bin/sh
# One register page with 100,000 entries: GET /v1/register/{product_id}.
#
#	tests/bench/register.sh BUILD		(run.sh runs it at its end)
#
# A fresh daemon (real clock); through the API, a pharmacist, a prescriber
# and two nurses, a methadone register page and a receipt of 10,000 ml.
# Then, the daemon stopped, one sqlite3 transaction adds the rest of
# BENCH_REG_ENTRIES (100,000) entries to the page, a minute apart and
# ending an hour ago, as the schema keeps them (each balance following on
# from the one before, which the trigger register_balance_follows checks
# row by row): a receipt of 10,000 ml every 100th entry, a stock check
# every 1,000th (counted = balance), and between them administrations of
# 60 ml, each naming its given dose (and that dose its entry) of one of
# 2,000 patients whose prescriptions have ended.
#
# Timed with bench_http (BUILD/bench/), as a pharmacist: the first page
# (default limit 1000) and a page deep in (after=90000),
# BENCH_REG_REQUESTS (20) times each; one page of limit=10000; and
# BENCH_REG_WALKS (3) walks of the whole page with limit=10000, following
# next_after.  The walk must see every entry once, and the product's
# balance must be the last entry's.
#
# Figures, not thresholds: it exits non-zero only if something is
# functionally wrong.  Temporary files go under $BENCH_TMPDIR (/var/tmp).
set -eu

[ $# -eq 1 ] || { echo "usage: $0 BUILD" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "$1" && pwd)
NAME=register
# shellcheck source=tests/bench/benchlib.sh
. "$HERE/benchlib.sh"
# shellcheck source=tests/bench/doselib.sh
. "$HERE/doselib.sh"

NENT=${BENCH_REG_ENTRIES:-100000}
NREQ=${BENCH_REG_REQUESTS:-20}
NWALK=${BENCH_REG_WALKS:-3}
NPAT=2000
RECEIPT_ML=10000
[ "$NENT" -ge 1001 ] || fail "BENCH_REG_ENTRIES must be at least 1001"

# shellcheck disable=SC2086
cc $CFLAGS_BENCH -o "$BIN/bench_http" "$HERE/bench_http.c" \
    "$HERE/bench_common.c"

echo "== register page: GET /v1/register/{id} with $NENT entries"
DB="$T/register.db"
init_db "$DB"
start_daemon "$DB"
staff_setup 2
product_setup "$RECEIPT_ML"
stop_daemon

# Entry i (0 ..) of the bulk is at BASE + i minutes; the last an hour ago.
NB=$((NENT - 1))
NOW_MS=$(now_ms)
BASE=$((NOW_MS - 3600000 - NB * 60000))
FIRST_DAY=$(TZ=Europe/London date -d "@$((BASE / 1000 - 86400))" +%F)
LAST_DAY=$(TZ=Europe/London date -d "@$((NOW_MS / 1000 - 3600))" +%F)
t_seed=$(now_ms)
sqlite3 "$DB" <<EOF || fail "seeding failed"
PRAGMA foreign_keys = ON;
BEGIN;
-- 2,000 patients, each with a daily maintenance prescription that has
-- ended (nothing left to lay out).
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n
    WHERE i < $NPAT - 1)
INSERT INTO patients (id, prison_number, given_name, family_name,
    date_of_birth, arrived_at, location, stimulant_user, status,
    created_by, created_at)
SELECT $PATIENT_ID, $PRISON_NUMBER, 'Bench', printf('Patient%06d', i),
    '1990-01-01', $BASE - 86400000, printf('Houseblock %d', 1 + i % 4), 0,
    'in_custody', '$ADMIN_ID', $BASE - 86400000 FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n
    WHERE i < $NPAT - 1)
INSERT INTO prescriptions (id, patient_id, product_id, regimen, dose, times,
    every_days, start_date, end_date, prescriber_id, created_at,
    generated_until, starts_at, ends_at)
SELECT printf('00000000-0000-4000-c000-%012x', i), $PATIENT_ID,
    '$PRODUCT_ID', 'maintenance', 60000, '09:00', 1, '$FIRST_DAY',
    '$LAST_DAY', '$DOC_ID', $BASE - 86400000, 9223372036854775807,
    $(local_midnight_ms "$FIRST_DAY"),
    $(local_midnight_ms "$(date -d "$LAST_DAY + 1 day" +%F)") FROM n;
-- What each bulk entry is, and the balance after it.
CREATE TEMP TABLE plan AS
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n
    WHERE i < $NB - 1),
kinds AS (SELECT i, CASE WHEN i % 100 = 99 THEN 'receipt'
    WHEN i % 1000 = 499 THEN 'check' ELSE 'administration' END AS kind
    FROM n)
SELECT i, kind, CASE kind WHEN 'receipt' THEN 10000000
    WHEN 'check' THEN 0 ELSE -60000 END AS quantity,
    $BASE + i * 60000 AS at, i % $NPAT AS p FROM kinds;
CREATE TEMP TABLE planned AS SELECT *, $RECEIPT_ML * 1000 + sum(quantity)
    OVER (ORDER BY i ROWS UNBOUNDED PRECEDING) AS balance FROM plan;
-- The given doses, each naming its entry (given by nurse1, witnessed by
-- nurse2, a minute after it was due).
INSERT INTO doses (id, prescription_id, patient_id, due_at, window_start,
    window_end, amount, state, recorded_at, recorded_by, witnessed_by,
    register_entry_id)
SELECT printf('00000000-0000-4000-d000-%012x', i),
    printf('00000000-0000-4000-c000-%012x', p),
    printf('00000000-0000-4000-8000-%012x', p), at - 60000,
    at - 60000 - 3600000, at - 60000 + 7200000, 60000, 'given', at,
    '$NURSE1_ID', '$NURSE2_ID', printf('00000000-0000-4000-e000-%012x', i)
FROM planned WHERE kind = 'administration';
INSERT INTO register_entries (id, product_id, kind, quantity, balance_after,
    counted, at, by_id, witness_id, dose_id, patient_id, supplier, reference)
SELECT printf('00000000-0000-4000-e000-%012x', i), '$PRODUCT_ID', kind,
    quantity, balance, CASE kind WHEN 'check' THEN balance END, at,
    CASE kind WHEN 'administration' THEN '$NURSE1_ID' WHEN 'receipt'
        THEN '$PHARM_ID' ELSE '$NURSE2_ID' END,
    CASE kind WHEN 'administration' THEN '$NURSE2_ID' WHEN 'receipt'
        THEN '$NURSE1_ID' ELSE '$PHARM_ID' END,
    CASE kind WHEN 'administration' THEN
        printf('00000000-0000-4000-d000-%012x', i) END,
    CASE kind WHEN 'administration' THEN
        printf('00000000-0000-4000-8000-%012x', p) END,
    CASE kind WHEN 'receipt' THEN 'Bench Pharmacy' END,
    CASE kind WHEN 'receipt' THEN printf('BENCH-%06d', i) END
FROM planned ORDER BY i;
COMMIT;
EOF
t_seeded=$(now_ms)
rows=$(q "SELECT count(*) FROM register_entries WHERE product_id = '$PRODUCT_ID'")
echo "seeded:            $((rows - 1)) entries (and $(q "SELECT count(*) FROM doses") given doses) in $((t_seeded - t_seed)) ms; $(du -k "$DB" | cut -f1) KiB"
[ "$rows" -eq "$NENT" ] || fail "the page has $rows entries, not $NENT"
LAST_SEQ=$(q "SELECT max(seq) FROM register_entries")
DEEP=$((LAST_SEQ - NENT + 90000))
[ "$DEEP" -lt "$LAST_SEQ" ] || DEEP=$((LAST_SEQ - 1000))

start_daemon "$DB"
PHARM_TOKEN=$(sign_in pharm1 "$PHARM_PIN")
export BENCH_TOKEN="$PHARM_TOKEN"
RPATH="/v1/register/$PRODUCT_ID"
run() {
	label=$1
	shift
	"$BIN/bench_http" -p "$PORT" -k seq -l "$label" "$@" > "$T/$label.out" ||
	    { cat "$T/$label.out"; fail "$label failed"; }
	grep -v '^RESULT' "$T/$label.out"
}
run first -n "$NREQ" "$RPATH"
run deep -n "$NREQ" "$RPATH?after=$DEEP"
run page10k -n 5 "$RPATH?limit=10000"
run walk -w -n "$NWALK" "$RPATH?limit=10000"
unset BENCH_TOKEN

items=$(awk '$1 == "RESULT" { print $6 }' "$T/walk.out")
[ "$items" -eq "$NENT" ] || fail "the walk saw $items entries, not $NENT"
product_balance=$(call GET "/products/$PRODUCT_ID" 200 "" "$PHARM_TOKEN" | jq .balance)
last_balance=$(q "SELECT balance_after FROM register_entries WHERE product_id = '$PRODUCT_ID' ORDER BY seq DESC LIMIT 1")
awk -v a="$product_balance" -v b="$last_balance" 'BEGIN { exit !(a * 1000 == b) }' ||
    fail "GET /v1/products says the balance is $product_balance, the last entry $last_balance thousandths"
stop_daemon

echo
echo "-- summary"
cat "$T/first.out" "$T/deep.out" "$T/page10k.out" "$T/walk.out" | awk -v deep="$DEEP" '
$1 == "RESULT" && $2 != "walk" { p50[$2] = $3; p99[$2] = $4; bytes[$2] = $6; items[$2] = $7 }
$1 == "RESULT" && $2 == "walk" { best = $3; pages = $4; wbytes = $5; witems = $6 }
END {
	printf "%-34s %8s %10s %10s %12s\n", "", "entries", "p50 ms", "p99 ms", "bytes"
	printf "%-34s %8d %10.2f %10.2f %12d\n", "first page (limit 1000)", items["first"], p50["first"], p99["first"], bytes["first"]
	printf "%-34s %8d %10.2f %10.2f %12d\n", "deep page (after=" deep ")", items["deep"], p50["deep"], p99["deep"], bytes["deep"]
	printf "%-34s %8d %10.2f %10.2f %12d\n", "one page of limit=10000", items["page10k"], p50["page10k"], p99["page10k"], bytes["page10k"]
	printf "%-34s %8d %10.1f %10s %12d  (%d pages, best of walks)\n", "whole page, limit=10000 walk", witems, best, "total", wbytes, pages
	printf "RESULT register %.3f %.3f %.3f %.1f %d\n", p50["first"], p50["deep"], p50["page10k"], best, wbytes
}'
