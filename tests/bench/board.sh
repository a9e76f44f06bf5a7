#!/bin/sh
# The dashboard's Today view for a 40-bed unit: GET /v1/board.
#
#	tests/bench/board.sh BUILD		(run.sh runs it at its end)
#
# A fresh daemon with --test-clock at 09:05 two days from now (doselib.sh):
# through the API a pharmacist, a prescriber, two nurses, a manager and a
# methadone register page; seeded with sqlite3, BENCH_BOARD_BEDS (40)
# patients in custody, each with a maintenance prescription at 09:00 and
# 17:00, the scheduler laying out their doses and opening the 09:00 round;
# then, through the API, half of them flagged stimulant users (an
# observation plan each, counted from their arrival two hours before, so
# the board has dues, overdue ones and their alerts).
#
# Timed with bench_http (BUILD/bench/), as the manager,
# BENCH_BOARD_REQUESTS (200) times on one keep-alive connection, beside
# bare_evhttp (barelib.sh) answering the same bytes in the same run: the
# ratio is what the board costs over evhttp alone.  Goal (issue 18):
# under 50 ms at p99.
#
# Figures, not thresholds: it exits non-zero only if something is
# functionally wrong.  Temporary files go under $BENCH_TMPDIR (/var/tmp).
set -eu

[ $# -eq 1 ] || { echo "usage: $0 BUILD" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "$1" && pwd)
NAME=board
# shellcheck source=tests/bench/benchlib.sh
. "$HERE/benchlib.sh"
# shellcheck source=tests/bench/doselib.sh
. "$HERE/doselib.sh"
# shellcheck source=tests/bench/barelib.sh
. "$HERE/barelib.sh"

BEDS=${BENCH_BOARD_BEDS:-40}
NREQ=${BENCH_BOARD_REQUESTS:-200}
MANAGER_PIN=6161

# shellcheck disable=SC2086
cc $CFLAGS_BENCH -o "$BIN/bench_http" "$HERE/bench_http.c" \
    "$HERE/bench_common.c"

echo "== the ward board: GET /v1/board for $BEDS beds"
DB="$T/board.db"
init_db "$DB"
start_daemon "$DB" --test-clock
set_round_clock
staff_setup 2
add_staff manager1 manager "$MANAGER_PIN"
product_setup 100000
stop_daemon

seed_ward "$BEDS" "09:00,17:00"
start_daemon "$DB" --test-clock
wait_due "$BEDS"
NURSE_TOKEN=$(sign_in nurse1 "$(nurse_pin 1)")
i=0
while [ $i -lt $((BEDS / 2)) ]; do
	call POST "/patients/$(printf '00000000-0000-4000-8000-%012x' $i)/flags" \
	    200 '{"stimulant_user":true}' "$NURSE_TOKEN" >/dev/null
	i=$((i + 1))
done

export BENCH_TOKEN
BENCH_TOKEN=$(sign_in manager1 "$MANAGER_PIN")
call GET /board 200 "" "$BENCH_TOKEN" > "$T/board.json"
[ "$(jq '.patients | length' "$T/board.json")" -eq "$BEDS" ] ||
    fail "the board has not $BEDS rows"
[ "$(jq '[.patients[] | select(.observation.state != "none")] | length' \
    "$T/board.json")" -eq $((BEDS / 2)) ] ||
    fail "the board has not $((BEDS / 2)) observation plans"
[ "$(jq '[.patients[].doses.round_due] | add' "$T/board.json")" -eq "$BEDS" ] ||
    fail "the board's round has not $BEDS doses"
echo "board:             $(jq '[.patients[] | select(.observation.state == "overdue")] | length' "$T/board.json") overdue, $(jq '[.patients[].alerts.open] | add' "$T/board.json") open alerts, $(wc -c < "$T/board.json") bytes"

timed() {
	label=$1 port=$2
	"$BIN/bench_http" -p "$port" -k prison_number -n "$NREQ" -l "$label" \
	    /v1/board > "$T/$label.out" ||
	    { cat "$T/$label.out"; fail "$label failed"; }
	grep -v '^RESULT' "$T/$label.out"
}
timed board "$PORT"
bare_start "$T/board.json"
timed bare "$BARE_PORT"
bare_stop
unset BENCH_TOKEN
stop_daemon

[ "$(awk '$1 == "RESULT" { print $7 }' "$T/board.out")" -eq "$BEDS" ] ||
    fail "bench_http counted another number of rows"

echo
echo "-- summary"
cat "$T/board.out" "$T/bare.out" | awk '
$1 == "RESULT" { p50[$2] = $3; p99[$2] = $4; bytes[$2] = $6 }
END {
	printf "%-28s %10s %10s %10s\n", "", "p50 ms", "p99 ms", "bytes"
	printf "%-28s %10.2f %10.2f %10d\n", "GET /v1/board", p50["board"],
	    p99["board"], bytes["board"]
	printf "%-28s %10.2f %10.2f %10d\n", "bare evhttp, same bytes",
	    p50["bare"], p99["bare"], bytes["bare"]
	r50 = p50["board"] / p50["bare"]
	r99 = p99["board"] / p99["bare"]
	printf "%-28s %9.1fx %9.1fx %10s\n", "ratio", r50, r99,
	    "goal p99 < 50 ms"
	printf "RESULT board %.3f %.3f %.3f %.3f\n", p50["board"],
	    p99["board"], p50["bare"], p99["bare"]
}'
