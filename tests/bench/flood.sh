#!/bin/sh
# A flood of sign-ins against the round (issue 16's "Done when"): a nurse
# signs doses off with her witness's PIN while 200 connections post bogus
# sign-ins and, where the daemon has enrolled terminals, 15 wrong PINs are
# sent for her witness, all from another loopback address (127.0.0.2)
# with no terminal.  The nurse's p99 and GET /v1/health's, next to the same
# with no flood.  Goal: sign-off p99 under 500 ms, health under 10 ms.
#
#	tests/bench/flood.sh BUILD		(run.sh runs it at its end)
#
# A fresh daemon with --test-clock at 09:05 two days from now (the 09:00
# round open), nurse1 and nurse2, a methadone register page and BENCH_FL_
# PATIENTS (600) patients each with a due dose (doselib.sh).  Where the
# daemon enrols terminals (POST /v1/terminals), nurse1 signs in and signs
# off at an enrolled one (X-Terminal); else on loopback, and the wrong
# PINs are left out (they would lock her witness out where no terminal
# tells the hatch from the attacker).  With no flood, BENCH_FL_QUIET (150)
# sign-offs; with it, up to BENCH_FL_N (300) in BENCH_FL_SECONDS (20) s.
# Figures, not thresholds: it exits non-zero only if something is
# functionally wrong (a sign-off not 200, a connection failed).
set -eu

[ $# -eq 1 ] || { echo "usage: $0 BUILD" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "$1" && pwd)
NAME=flood
# shellcheck source=tests/bench/benchlib.sh
. "$HERE/benchlib.sh"
# shellcheck source=tests/bench/doselib.sh
. "$HERE/doselib.sh"

NPAT=${BENCH_FL_PATIENTS:-600}
NQ=${BENCH_FL_QUIET:-150}
NF=${BENCH_FL_N:-300}
SECONDS_F=${BENCH_FL_SECONDS:-20}
FLOOD=${BENCH_FL_CONNECTIONS:-200}
WRONG=15
[ $((NQ + NF)) -le "$NPAT" ] ||
    fail "BENCH_FL_QUIET + BENCH_FL_N is more than the $NPAT due doses"

# shellcheck disable=SC2086
cc $CFLAGS_BENCH -pthread -o "$BIN/bench_flood" "$HERE/bench_flood.c" \
    "$HERE/bench_common.c"

echo "== a flood of sign-ins: $FLOOD connections from 127.0.0.2 while a nurse signs off"
DB="$T/flood.db"
init_db "$DB"
start_daemon "$DB" --test-clock
set_round_clock
staff_setup 2
product_setup 100000
stop_daemon
seed_ward "$NPAT" "09:00"
start_daemon "$DB" --test-clock
wait_due "$NPAT"

# An enrolled terminal for the hatch, if the daemon has them.
TERMINAL=""
status=$(curl -s -m 10 -o "$T/out" -w '%{http_code}' -X POST \
    -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $(sign_in admin "$ADMIN_PIN")" \
    --data-binary '{"name":"hatch","location":"Bench ward"}' \
    "$BASE/terminals") || status="curl failed"
if [ "$status" = 201 ]; then
	TERMINAL=$(jq -r 'if (.credential | contains(":")) then .credential
	    else "\(.id):\(.credential)" end' "$T/out")
	echo "terminal:          enrolled; the nurse signs off there"
else
	WRONG=0
	echo "terminal:          none (POST /v1/terminals: $status); the nurse on loopback, no wrong PINs"
fi
curl -s -m 10 -o "$T/out" -X POST -H 'Content-Type: application/json' \
    ${TERMINAL:+-H "X-Terminal: $TERMINAL"} \
    --data-binary "{\"username\":\"nurse1\",\"pin\":\"$(nurse_pin 1)\"}" \
    "$BASE/sessions" || fail "nurse1 cannot sign in"
BENCH_TOKEN=$(jq -r .token "$T/out")
case $BENCH_TOKEN in
""|null) fail "nurse1 cannot sign in: $(cat "$T/out")" ;;
esac
BENCH_WITNESS="nurse2:$(nurse_pin 2)"
BENCH_WRONG=nurse2
BENCH_TERMINAL=$TERMINAL
curl -s -m 60 -o "$T/due.json" -H "Authorization: Bearer $BENCH_TOKEN" \
    ${TERMINAL:+-H "X-Terminal: $TERMINAL"} "$BASE/doses?date=$DAY&state=due" ||
    fail "the nurse cannot list the due doses"
jq -r '.[].id' "$T/due.json" > "$T/due.ids"
BENCH_CONFIRM=$(jq -r '",\"confirm_cautions\":" + ([.[0].cautions[].code] |
    tojson) + ",\"note\":\"cautions read\""' "$T/due.json")
export BENCH_TOKEN BENCH_WITNESS BENCH_WRONG BENCH_CONFIRM
[ -z "$BENCH_TERMINAL" ] || export BENCH_TERMINAL

echo
"$BIN/bench_flood" -p "$PORT" -f "$T/due.ids" -s 0 -n "$NQ" -c 0 \
    -l quiet > "$T/quiet.out" ||
    { cat "$T/quiet.out"; fail "the run with no flood failed"; }
grep -v '^RESULT' "$T/quiet.out"
"$BIN/bench_flood" -p "$PORT" -f "$T/due.ids" -s "$NQ" -n "$NF" \
    -t "$SECONDS_F" -c "$FLOOD" -w "$WRONG" -l flood > "$T/flood.out" ||
    { cat "$T/flood.out"; fail "the run under the flood failed"; }
grep -v '^RESULT' "$T/flood.out"
stop_daemon

echo
echo "-- summary"
cat "$T/quiet.out" "$T/flood.out" | awk -v conns="$FLOOD" '
$1 == "RESULT" { so50[$2] = $4; so99[$2] = $5; h50[$2] = $6; h99[$2] = $7 }
END {
	printf "%-22s %12s %12s %8s %10s\n", "p99, ms", "no flood",
	    "flood", "ratio", "goal"
	printf "%-22s %12.2f %12.2f %7.1fx %10s\n", "dose sign-off",
	    so99["quiet"], so99["flood"], so99["flood"] / so99["quiet"],
	    so99["flood"] < 500 ? "< 500 met" : "< 500 NOT"
	printf "%-22s %12.2f %12.2f %7.1fx %10s\n", "GET /v1/health",
	    h99["quiet"], h99["flood"], h99["flood"] / h99["quiet"],
	    h99["flood"] < 10 ? "< 10 met" : "< 10 NOT"
	printf "RESULT flood %d %.3f %.3f %.3f %.3f\n", conns, so99["quiet"],
	    so99["flood"], h99["quiet"], h99["flood"]
}'
