#!/bin/sh
# The HTTP edge beside bare evhttp, and resident memory.
#
#	tests/bench/edge.sh BUILD		(run.sh runs it at its end)
#
# 1. Throughput, wrk with BENCH_EDGE_CONNECTIONS (16) keep-alive
#    connections for BENCH_EDGE_SECONDS (5) a run, one wrk thread:
#    - GET /v1/health;
#    - today's round for a 40-bed unit (BENCH_EDGE_BEDS), authenticated
#      as a nurse: GET /v1/doses?date=DAY, 80 doses (doselib.sh's ward,
#      each patient a dose at 09:00 and 17:00);
#    each next to bare_evhttp (compiled into BUILD/bench/) answering every
#    request with the same bytes as idtsd's answer, on the same machine
#    in the same run.  Each pair is run twice, alternating, and the best
#    of each side is kept: the ratio is idtsd's requests per second over
#    bare evhttp's.
# 2. Resident memory: a daemon on a ward of BENCH_EDGE_PATIENTS (2,000)
#    patients, each with two doses a day laid out for two days, idle for
#    two seconds after the scheduler opened the round: VmRSS and VmHWM
#    from /proc/PID/status.
#
# Figures, not thresholds: it exits non-zero only if something is
# functionally wrong.  Temporary files go under $BENCH_TMPDIR (/var/tmp).
set -eu

[ $# -eq 1 ] || { echo "usage: $0 BUILD" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "$1" && pwd)
NAME=edge
# shellcheck source=tests/bench/benchlib.sh
. "$HERE/benchlib.sh"
# shellcheck source=tests/bench/doselib.sh
. "$HERE/doselib.sh"

CONNS=${BENCH_EDGE_CONNECTIONS:-16}
SECS=${BENCH_EDGE_SECONDS:-5}
BEDS=${BENCH_EDGE_BEDS:-40}
NPAT=${BENCH_EDGE_PATIENTS:-2000}
command -v wrk >/dev/null || fail "wrk is needed (scripts/install-deps)"

# shellcheck source=tests/bench/barelib.sh
. "$HERE/barelib.sh"

# rate URL [wrk options]: requests per second, every answer a 2xx.
# A request slower than wrk's own 2 s timeout (the daemon busy with
# something else) counts as a socket error, not a failure: 10 s.
rate() {
	url=$1
	shift
	wrk -t1 -c"$CONNS" -d"$SECS"s --timeout 10s "$@" "$url" \
	    > "$T/wrk.out" 2>&1 ||
	    { cat "$T/wrk.out" >&2; fail "wrk $url failed"; }
	! grep -q 'Non-2xx\|Socket errors' "$T/wrk.out" ||
	    { cat "$T/wrk.out" >&2; fail "wrk $url: errors"; }
	awk '$1 == "Requests/sec:" { print $2 }' "$T/wrk.out"
}

# best A B: the larger.
best() {
	awk -v a="$1" -v b="$2" 'BEGIN { print (a > b) ? a : b }'
}

# pair LABEL PATH BODYFILE [wrk options]: idtsd and bare evhttp on PATH,
# twice each, alternating; prints a line and RESULT LABEL IDTSD BARE RATIO.
pair() {
	label=$1 path=$2 body=$3
	shift 3
	bare_start "$body"
	d1=$(rate "http://127.0.0.1:$PORT$path" "$@")
	b1=$(rate "http://127.0.0.1:$BARE_PORT$path" "$@")
	d2=$(rate "http://127.0.0.1:$PORT$path" "$@")
	b2=$(rate "http://127.0.0.1:$BARE_PORT$path" "$@")
	bare_stop
	d=$(best "$d1" "$d2")
	b=$(best "$b1" "$b2")
	awk -v l="$label" -v d="$d" -v b="$b" -v n="$(wc -c < "$body")" \
	    'BEGIN {
		printf "%-8s %6d bytes  idtsd %9.0f/s  bare evhttp %9.0f/s" \
		    "  %5.2fx\n", l, n, d, b, d / b
		printf "RESULT %s %.0f %.0f %.3f\n", l, d, b, d / b
	}'
}

# ward DB N: a daemon on a fresh database DB with a ward of N patients,
# each due a dose at 09:00 and 17:00, the round open (doselib.sh).
ward() {
	DB=$1
	PORT=""
	APPROVER_TOKEN=""	# doselib's, of the last database
	init_db "$DB"
	start_daemon "$DB" --test-clock
	set_round_clock
	staff_setup 2
	product_setup 1000000
	stop_daemon
	seed_ward "$2" "09:00,17:00"
	start_daemon "$DB" --test-clock
	wait_due "$2"
}

echo "== the HTTP edge beside bare evhttp: wrk, $CONNS connections," \
    "${SECS} s a run"
ward "$T/edge.db" "$BEDS"
NURSE_TOKEN=$(sign_in nurse1 "$(nurse_pin 1)")

curl -s -o "$T/health.json" "$BASE/health"
pair health /v1/health "$T/health.json" | tee "$T/health.out" |
    grep -v '^RESULT'
ROUND="/doses?date=$DAY"
call GET "$ROUND" 200 "" "$NURSE_TOKEN" > "$T/round.json"
[ "$(jq length "$T/round.json")" -eq $((BEDS * 2)) ] ||
    fail "the round lists $(jq length "$T/round.json") doses"
pair round "/v1$ROUND" "$T/round.json" \
    -H "Authorization: Bearer $NURSE_TOKEN" | tee "$T/round.out" |
    grep -v '^RESULT'
kill -0 "$DAEMON_PID" 2>/dev/null || fail "the daemon died"
stop_daemon
grep -h '^RESULT' "$T/health.out" "$T/round.out"

echo
echo "== resident memory, idle, $NPAT patients"
ward "$T/rss.db" "$NPAT"
sleep 2
rss=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$DAEMON_PID/status")
hwm=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$DAEMON_PID/status")
echo "idle:              VmRSS $rss KiB, VmHWM (peak) $hwm KiB"
stop_daemon
echo "RESULT rss $rss $hwm"
