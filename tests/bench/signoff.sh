#!/bin/sh
# Dose sign-offs: POST /v1/doses/{id}/administer from 8 terminals at once.
#
#	tests/bench/signoff.sh BUILD		(run.sh runs it at its end)
#
# A fresh daemon with --test-clock at 09:05 two days from now (so the
# 09:00 round is in its window); through the API, a pharmacist, a
# prescriber and 8 nurses, a methadone register page and a receipt of
# 1,000,000 ml.  Then, the daemon stopped, sqlite3 seeds BENCH_SO_PATIENTS
# (3,000) patients in custody, each with a running treatment clock and a
# maintenance prescription of 60 ml at 09:00 (doselib.sh); the daemon,
# started again, lays out their doses and opens the 09:00 ones: that many
# due doses, listed with GET /v1/doses?state=due.
#
# Then, with bench_signoff (BUILD/bench/): BENCH_SO_N1 (100) sign-offs
# from one terminal, and BENCH_SO_N8 (1,500) from 8 terminals at once,
# each terminal a keep-alive connection with its own nurse's token,
# naming the next nurse as witness with her PIN in every request.  Each
# sign-off checks the witness's PIN with yescrypt on the daemon's one
# thread, so that cost is shown on its own: bench_pin calls the daemon's
# auth_pin_verify() alone (linked from BUILD/libidtsd.a), and bench_http
# times POST /v1/sessions (a sign-in: one PIN check and a commit).
# Last, the daemon stopped again, BENCH_SO_ALERTS (100,000) old alerts,
# acknowledged, and 20 open ones are added, as a store in use for a year
# or two has, and BENCH_SO_NH (100) more doses are signed off from one
# terminal.  Afterwards every sign-off must be a given dose with its
# register entry and its patient's treatment clock met, the balance must
# be the receipt less the doses, and the audit chain must verify.
#
# Figures, not thresholds: it exits non-zero only if something is
# functionally wrong.  Temporary files go under $BENCH_TMPDIR (/var/tmp).
set -eu

[ $# -eq 1 ] || { echo "usage: $0 BUILD" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "$1" && pwd)
NAME=signoff
# shellcheck source=tests/bench/benchlib.sh
. "$HERE/benchlib.sh"
# shellcheck source=tests/bench/doselib.sh
. "$HERE/doselib.sh"

NPAT=${BENCH_SO_PATIENTS:-3000}
N1=${BENCH_SO_N1:-100}
N8=${BENCH_SO_N8:-1500}
NH=${BENCH_SO_NH:-100}
NALERTS=${BENCH_SO_ALERTS:-100000}
NOPEN=20
NPIN=${BENCH_PIN_N:-30}
TERMINALS=8
RECEIPT_ML=1000000
[ $((N1 + N8 + NH)) -le "$NPAT" ] ||
    fail "BENCH_SO_N1 + BENCH_SO_N8 + BENCH_SO_NH is more than the $NPAT due doses"

# shellcheck disable=SC2086
cc $CFLAGS_BENCH -pthread -o "$BIN/bench_signoff" "$HERE/bench_signoff.c" \
    "$HERE/bench_common.c"
# shellcheck disable=SC2086
cc $CFLAGS_BENCH -o "$BIN/bench_http" "$HERE/bench_http.c" \
    "$HERE/bench_common.c"
# bench_pin calls the daemon's own auth_pin_verify(), from the library
# make built (with the sanitizers, if it was built with SAN=1).
SAN_FLAGS=""
if nm "$BUILD/libidtsd.a" 2>/dev/null | grep -q __asan_init; then
	SAN_FLAGS="-fsanitize=address,undefined"
fi
# shellcheck disable=SC2046,SC2086
cc $CFLAGS_BENCH $SAN_FLAGS -I"$HERE/../../daemon" \
    -I"$HERE/../../daemon/rules" -o "$BIN/bench_pin" \
    "$HERE/bench_pin.c" "$HERE/bench_common.c" "$BUILD/libidtsd.a" \
    $(pkg-config --libs libcrypt libcrypto)

echo "== dose sign-off: $((N1 + N8 + NH)) of $NPAT due doses, 1 and $TERMINALS terminals, witness PIN in each"
DB="$T/signoff.db"
init_db "$DB"
start_daemon "$DB" --test-clock
set_round_clock
staff_setup "$TERMINALS"
product_setup "$RECEIPT_ML"
stop_daemon

t_seed=$(now_ms)
seed_ward "$NPAT" "09:00"
echo "seeded:            $NPAT patients, clocks and prescriptions in $(( $(now_ms) - t_seed )) ms"
t_start=$(now_ms)
start_daemon "$DB" --test-clock
echo "daemon up:         $(( $(now_ms) - t_start )) ms"
wait_due "$NPAT"

# Each terminal's nurse, and her witness: the next nurse along.
TOKENS=""
WITNESSES=""
n=1
while [ "$n" -le "$TERMINALS" ]; do
	w=$((n % TERMINALS + 1))
	TOKENS="$TOKENS${TOKENS:+,}$(sign_in "nurse$n" "$(nurse_pin "$n")")"
	WITNESSES="$WITNESSES${WITNESSES:+,}nurse$w:$(nurse_pin "$w")"
	n=$((n + 1))
done
NURSE_TOKEN=${TOKENS%%,*}
call GET "/doses?date=$DAY&state=due" 200 "" "$NURSE_TOKEN" > "$T/due.json"
jq -r '.[].id' "$T/due.json" > "$T/due.ids"
# Every dose is its patient's first, with the same cautions: the nurse
# confirms them with a note, as at the hatch (issue 15).
[ "$(jq '[.[] | [.cautions[].code]] | unique | length' "$T/due.json")" -le 1 ] ||
    fail "the due doses' cautions differ"
BENCH_CONFIRM=$(jq -r '",\"confirm_cautions\":" + ([.[0].cautions[].code] |
    tojson) + ",\"note\":\"cautions read\""' "$T/due.json")
export BENCH_CONFIRM
[ "$(wc -l < "$T/due.ids")" -eq "$NPAT" ] ||
    fail "GET /v1/doses?state=due listed $(wc -l < "$T/due.ids") doses, not $NPAT"

echo
echo "-- the witness PIN check alone"
"$BIN/bench_pin" -n "$NPIN" -l pin > "$T/pin.out" ||
    { cat "$T/pin.out"; fail "bench_pin failed"; }
grep -v '^RESULT' "$T/pin.out"
BENCH_BODY="{\"username\":\"nurse1\",\"pin\":\"$(nurse_pin 1)\"}" \
    "$BIN/bench_http" -p "$PORT" -m POST -e 201 -n "$NPIN" -l signin \
    /v1/sessions > "$T/signin.out" ||
    { cat "$T/signin.out"; fail "timing POST /v1/sessions failed"; }
grep -v '^RESULT' "$T/signin.out"

echo
echo "-- POST /v1/doses/{id}/administer"
cpu0=$(cpu_seconds "$DAEMON_PID")
BENCH_TOKENS=$TOKENS BENCH_WITNESSES=$WITNESSES \
    "$BIN/bench_signoff" -p "$PORT" -c 1 -f "$T/due.ids" -s 0 -n "$N1" \
    -l signoff1 > "$T/so1.out" ||
    { cat "$T/so1.out"; fail "the 1-terminal run failed"; }
grep -v '^RESULT' "$T/so1.out"
cpu1=$(cpu_seconds "$DAEMON_PID")
BENCH_TOKENS=$TOKENS BENCH_WITNESSES=$WITNESSES \
    "$BIN/bench_signoff" -p "$PORT" -c "$TERMINALS" -f "$T/due.ids" \
    -s "$N1" -n "$N8" -l signoff8 > "$T/so8.out" ||
    { cat "$T/so8.out"; fail "the $TERMINALS-terminal run failed"; }
grep -v '^RESULT' "$T/so8.out"
cpu2=$(cpu_seconds "$DAEMON_PID")
echo "daemon CPU:        $(echo "$cpu1 $cpu0 $N1" | awk '{ printf "%.1f ms", ($1 - $2) * 1000 / $3 }') a sign-off (1 terminal), $(echo "$cpu2 $cpu1 $N8" | awk '{ printf "%.1f ms", ($1 - $2) * 1000 / $3 }') ($TERMINALS terminals)"

stop_daemon

# The same again on a database that has been in use for a while: old
# alerts, all acknowledged, and a few open ones, as a ward has.
t_seed=$(now_ms)
sqlite3 "$DB" <<EOF || fail "seeding the old alerts failed"
PRAGMA foreign_keys = ON;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n
    WHERE i < $NALERTS - 1)
INSERT INTO alerts (id, kind, severity, audience, patient_id, subject_id,
    raised_at, message, acked_by, acked_at, ack_note)
SELECT printf('00000000-0000-4000-b000-%012x', i), 'dose_missed', 'warning',
    'ward', printf('00000000-0000-4000-8000-%012x', i % $NPAT),
    printf('00000000-0000-4000-d000-%012x', i),
    $NOW_MS - 86400000 - ($NALERTS - i) * 600000,
    'dose missed: A0000AB Patient000000, Bench: Methadone 1mg/ml oral solution 60 ml at Mon 23 Nov 09:00 GMT was not given in its window',
    '$NURSE1_ID', $NOW_MS - 86400000 - ($NALERTS - i) * 600000 + 300000,
    'seen' FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n
    WHERE i < $NOPEN - 1)
INSERT INTO alerts (id, kind, severity, audience, patient_id, subject_id,
    raised_at, message)
SELECT printf('00000000-0000-4000-b100-%012x', i), 'dose_missed', 'warning',
    'ward', printf('00000000-0000-4000-8000-%012x', i),
    printf('00000000-0000-4000-d100-%012x', i),
    $NOW_MS - 3600000 - i * 60000,
    'dose missed: a dose yesterday was not given in its window' FROM n;
INSERT INTO alert_events (alert_id, event)
SELECT id, event FROM (SELECT id, 'alert' AS event, raised_at AS t FROM alerts
    UNION ALL SELECT id, 'ack', acked_at FROM alerts WHERE acked_at IS NOT NULL)
ORDER BY t;
COMMIT;
EOF
echo
echo "-- the same, on a store with $NALERTS old alerts (acknowledged) and $NOPEN open ones"
echo "seeded:            in $(( $(now_ms) - t_seed )) ms"
start_daemon "$DB" --test-clock
BENCH_TOKENS=$TOKENS BENCH_WITNESSES=$WITNESSES \
    "$BIN/bench_signoff" -p "$PORT" -c 1 -f "$T/due.ids" -s $((N1 + N8)) \
    -n "$NH" -l signoffh > "$T/soh.out" ||
    { cat "$T/soh.out"; fail "the run with old alerts failed"; }
grep -v '^RESULT' "$T/soh.out"

t_v=$(now_ms)
ADMIN_TOKEN=$(sign_in admin "$ADMIN_PIN")
verify=$(call GET /audit/verify 200 "" "$ADMIN_TOKEN")
echo "audit verify:      $(printf '%s' "$verify" | jq -c .) in $(( $(now_ms) - t_v )) ms"
printf '%s' "$verify" | jq -e '.ok == true' >/dev/null 2>&1 ||
    fail "GET /v1/audit/verify does not say the chain is intact: $verify"
stop_daemon

# Every 200 is a given dose, its register entry and its clock met.
SIGNED=$((N1 + N8 + NH))
given=$(q "SELECT count(*) FROM doses WHERE state = 'given'")
entries=$(q "SELECT count(*) FROM doses d JOIN register_entries e ON
    e.id = d.register_entry_id AND e.dose_id = d.id AND e.kind =
    'administration' AND e.quantity = -d.amount AND e.by_id = d.recorded_by
    AND e.witness_id = d.witnessed_by WHERE d.state = 'given'")
balance=$(q "SELECT balance_after FROM register_entries WHERE product_id =
    '$PRODUCT_ID' ORDER BY seq DESC LIMIT 1")
met=$(q "SELECT count(*) FROM care_clocks WHERE met_how = 'dose'")
echo "stored:            $given doses given, $entries with their register entry, $met treatment clocks met, balance $((balance / 1000)) ml"
[ "$given" -eq "$SIGNED" ] || fail "$SIGNED sign-offs answered 200 but $given doses are given"
[ "$entries" -eq "$SIGNED" ] || fail "$SIGNED given doses but $entries matching register entries"
[ "$met" -eq "$SIGNED" ] || fail "$SIGNED first doses given but $met treatment clocks met by a dose"
[ "$balance" -eq $((RECEIPT_ML * 1000 - SIGNED * 60000)) ] ||
    fail "the balance is $balance thousandths, not $((RECEIPT_ML * 1000 - SIGNED * 60000))"

echo
echo "-- summary"
cat "$T/pin.out" "$T/signin.out" "$T/so1.out" "$T/so8.out" "$T/soh.out" |
    awk -v terms="$TERMINALS" -v nalerts="$NALERTS" '
$1 == "RESULT" && $2 == "pin" { pin50 = $3; pin99 = $4; pinmean = $5 }
$1 == "RESULT" && $2 == "signin" { in50 = $3; in99 = $4 }
$1 == "RESULT" && $2 ~ /^signoff/ { rate[$2] = $3; p50[$2] = $4; p99[$2] = $5 }
END {
	printf "%-30s %10s %10s %10s %12s\n", "", "per s", "p50 ms", "p99 ms",
	    "ms/sign-off"
	printf "%-30s %10.1f %10.2f %10.2f\n", "yescrypt verify alone",
	    1000 / pinmean, pin50, pin99
	printf "%-30s %10s %10.2f %10.2f\n", "POST /v1/sessions", "", in50, in99
	split("signoff1 signoff8", order, " ")
	name["signoff1"] = "sign-off, 1 terminal"
	name["signoff8"] = "sign-off, " terms " terminals"
	for (i = 1; i <= 2; i++) {
		k = order[i]
		printf "%-30s %10.1f %10.2f %10.2f %12.2f\n", name[k], rate[k],
		    p50[k], p99[k], 1000 / rate[k]
	}
	printf "%-30s %10s %10.2f %10s %12.2f\n", "sign-off less one PIN check",
	    "", p50["signoff1"] - pin50, "", 1000 / rate["signoff8"] - pinmean
	printf "%-30s %10.1f %10.2f %10.2f %12.2f\n", "1 terminal, " nalerts " old alerts",
	    rate["signoffh"], p50["signoffh"], p99["signoffh"], 1000 / rate["signoffh"]
	printf "%-30s %10s %10.2f\n", "  less one PIN check", "", p50["signoffh"] - pin50
	printf "PIN check share of the daemon time per sign-off: %.0f%% (1 terminal), %.0f%% (%d terminals)\n",
	    100 * pin50 / p50["signoff1"], 100 * pinmean * rate["signoff8"] / 1000, terms
	printf "RESULT signoff %.1f %.3f %.3f %.1f %.3f %.3f %.3f %.3f\n",
	    rate["signoff8"], p50["signoff8"], p99["signoff8"], rate["signoff1"],
	    p50["signoff1"], pin50, p50["signoff1"] - pin50, p50["signoffh"]
}'
