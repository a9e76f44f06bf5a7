#!/bin/sh
# Today's round for 2,000 patients: GET /v1/doses?date=TODAY.
#
#	tests/bench/round.sh BUILD		(run.sh runs it at its end)
#
# A fresh daemon with --test-clock at 09:05 two days from now; through the
# API, a pharmacist, a prescriber, two nurses, a methadone register page
# and a receipt of 1,000,000 ml.  Then, the daemon stopped, sqlite3 seeds
# BENCH_ROUND_PATIENTS (2,000) patients in custody, each with a running
# treatment clock and a maintenance prescription of 60 ml at 09:00 and
# 17:00 (doselib.sh); the daemon, started again, lays out their doses for
# the next 48 hours and opens the 09:00 ones.  Stopped once more, half the
# 09:00 doses are recorded as given, as the schema keeps them: each with
# its register entry (balances following on), nurse1 giving and nurse2
# witnessing, its patient's treatment clock met.  So today's round is a
# dose at 09:00 and one at 17:00 for each patient: a quarter given, a
# quarter due, half scheduled; tomorrow's doses are in the table too.
#
# Timed with bench_http (BUILD/bench/), as a nurse, BENCH_ROUND_REQUESTS
# (20) times each: the whole day (date=DAY), the doses due now
# (date=DAY&state=due), and one patient's day (date=DAY&patient_id=).
# Each list must hold the doses it should.
#
# Figures, not thresholds: it exits non-zero only if something is
# functionally wrong.  Temporary files go under $BENCH_TMPDIR (/var/tmp).
set -eu

[ $# -eq 1 ] || { echo "usage: $0 BUILD" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "$1" && pwd)
NAME=round
# shellcheck source=tests/bench/benchlib.sh
. "$HERE/benchlib.sh"
# shellcheck source=tests/bench/doselib.sh
. "$HERE/doselib.sh"

NPAT=${BENCH_ROUND_PATIENTS:-2000}
NREQ=${BENCH_ROUND_REQUESTS:-20}
NGIVEN=$((NPAT / 2))
RECEIPT_ML=1000000

# shellcheck disable=SC2086
cc $CFLAGS_BENCH -o "$BIN/bench_http" "$HERE/bench_http.c" \
    "$HERE/bench_common.c"

echo "== today's round: GET /v1/doses for $NPAT patients, two doses a day each"
DB="$T/round.db"
init_db "$DB"
start_daemon "$DB" --test-clock
set_round_clock
staff_setup 2
product_setup "$RECEIPT_ML"
stop_daemon

seed_ward "$NPAT" "09:00,17:00"
start_daemon "$DB" --test-clock
wait_due "$NPAT"
stop_daemon

t_seed=$(now_ms)
sqlite3 "$DB" <<EOF || fail "recording the given doses failed"
PRAGMA foreign_keys = ON;
BEGIN;
CREATE TEMP TABLE g AS SELECT id, patient_id, amount,
    row_number() OVER (ORDER BY id) AS k
FROM doses WHERE due_at = $DUE_MS ORDER BY id LIMIT $NGIVEN;
CREATE TEMP TABLE ge AS SELECT g.*,
    printf('00000000-0000-4000-e000-%012x', k) AS entry_id,
    $DUE_MS + k * 150 AS at,
    (SELECT balance_after FROM register_entries WHERE product_id =
        '$PRODUCT_ID' ORDER BY seq DESC LIMIT 1) - sum(amount)
        OVER (ORDER BY k ROWS UNBOUNDED PRECEDING) AS balance
FROM g;
INSERT INTO register_entries (id, product_id, kind, quantity, balance_after,
    at, by_id, witness_id, dose_id, patient_id)
SELECT entry_id, '$PRODUCT_ID', 'administration', -amount, balance, at,
    '$NURSE1_ID', '$NURSE2_ID', id, patient_id FROM ge ORDER BY k;
UPDATE doses SET state = 'given',
    recorded_at = (SELECT at FROM ge WHERE ge.id = doses.id),
    recorded_by = '$NURSE1_ID', witnessed_by = '$NURSE2_ID',
    register_entry_id = (SELECT entry_id FROM ge WHERE ge.id = doses.id)
WHERE id IN (SELECT id FROM ge);
UPDATE care_clocks SET met_at = (SELECT at FROM ge
        WHERE ge.patient_id = care_clocks.patient_id),
    met_how = 'dose', met_by = '$NURSE1_ID'
WHERE kind = 'treatment_continued' AND patient_id IN
    (SELECT patient_id FROM ge);
COMMIT;
EOF
echo "given:             $(q "SELECT count(*) FROM doses WHERE state = 'given'") of the 09:00 doses, with their register entries, in $(( $(now_ms) - t_seed )) ms"

start_daemon "$DB" --test-clock
export BENCH_TOKEN
BENCH_TOKEN=$(sign_in nurse1 "$(nurse_pin 1)")
ONE=$(q "SELECT patient_id FROM doses WHERE due_at = $DUE_MS ORDER BY id DESC LIMIT 1")
run() {
	label=$1
	shift
	"$BIN/bench_http" -p "$PORT" -k due_at -n "$NREQ" -l "$label" "$@" \
	    > "$T/$label.out" || { cat "$T/$label.out"; fail "$label failed"; }
	grep -v '^RESULT' "$T/$label.out"
}
run day "/v1/doses?date=$DAY"
run due "/v1/doses?date=$DAY&state=due"
run patient "/v1/doses?date=$DAY&patient_id=$ONE"
unset BENCH_TOKEN
stop_daemon

items() {
	awk '$1 == "RESULT" { print $7 }' "$T/$1.out"
}
[ "$(items day)" -eq $((NPAT * 2)) ] ||
    fail "the day's round lists $(items day) doses, not $((NPAT * 2))"
[ "$(items due)" -eq $((NPAT - NGIVEN)) ] ||
    fail "state=due lists $(items due) doses, not $((NPAT - NGIVEN))"
[ "$(items patient)" -eq 2 ] ||
    fail "one patient's day lists $(items patient) doses, not 2"

echo
echo "-- summary"
cat "$T/day.out" "$T/due.out" "$T/patient.out" | awk '
$1 == "RESULT" { p50[$2] = $3; p99[$2] = $4; bytes[$2] = $6; items[$2] = $7 }
END {
	printf "%-28s %8s %10s %10s %12s\n", "", "doses", "p50 ms", "p99 ms", "bytes"
	split("day due patient", order, " ")
	name["day"] = "date=DAY"
	name["due"] = "date=DAY&state=due"
	name["patient"] = "date=DAY&patient_id=..."
	for (i = 1; i <= 3; i++) {
		k = order[i]
		printf "%-28s %8d %10.2f %10.2f %12d\n", name[k], items[k],
		    p50[k], p99[k], bytes[k]
	}
	printf "RESULT round %.3f %.3f %d %.3f %.3f %d %.3f\n", p50["day"],
	    p99["day"], bytes["day"], p50["due"], p99["due"], bytes["due"],
	    p50["patient"]
}'
