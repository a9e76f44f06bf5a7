#!/bin/sh
# Alert fan-out: one alert to BENCH_STREAMS (1,000) open alert streams.
#
#	tests/bench/fanout.sh BUILD		(run.sh runs it at its end)
#
# A fresh daemon with --test-clock, http.max_connections = 2000,
# streams.max = 1500 and sessions.idle_minutes = 1440 (the test clock
# jumps 18 h a round and streams end with their session); bench_fanout
# (compiled into BUILD/bench/) opens the streams as a ward nurse, then
# BENCH_FANOUT_ROUNDS (5) times registers an arrival in treatment as
# reception and advances the test clock 64,801 s, past the treatment
# clock's warning: the time from that POST to each stream's first
# "event: alert" is the delivery latency.  Afterwards every stream must
# have had every event the store holds.
#
# Figures, not thresholds: it exits non-zero only if something is
# functionally wrong.  Temporary files go under $BENCH_TMPDIR (/var/tmp).
set -eu

[ $# -eq 1 ] || { echo "usage: $0 BUILD" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "$1" && pwd)
NAME=fanout
# shellcheck source=tests/bench/benchlib.sh
. "$HERE/benchlib.sh"

NSTREAMS=${BENCH_STREAMS:-1000}
ROUNDS=${BENCH_FANOUT_ROUNDS:-5}
# shellcheck disable=SC3045 # dash and bash both have ulimit -n
ulimit -n 8192 || fail "cannot raise the open-files limit to 8192"

# shellcheck disable=SC2086
cc $CFLAGS_BENCH -o "$BIN/bench_fanout" "$HERE/bench_fanout.c" \
    "$HERE/bench_common.c"

echo "== alert fan-out: one alert to $NSTREAMS open streams, $ROUNDS rounds"
DB="$T/fanout.db"
# Sessions last a day: the test clock jumps 18 h a round (see
# bench_fanout.c).
EXTRA_CONFIG='http = { max_connections = 2000; };
streams = { max = 1500; };
sessions = { idle_minutes = 1440; };'
init_db "$DB"
start_daemon "$DB" --test-clock

ADMIN_TOKEN=$(sign_in admin "$ADMIN_PIN")
call POST /staff 201 '{"username":"ward1","display_name":"Bench Ward","roles":["nurse"],"pin":"6161"}' \
    "$ADMIN_TOKEN" >/dev/null
call POST /staff 201 '{"username":"reception1","display_name":"Bench Reception","roles":["reception"],"pin":"5151"}' \
    "$ADMIN_TOKEN" >/dev/null

rc=0
BENCH_STREAM_USER=ward1 BENCH_STREAM_PIN=6161 \
BENCH_RECEPTION_USER=reception1 BENCH_RECEPTION_PIN=5151 \
    "$BIN/bench_fanout" -p "$PORT" -n "$NSTREAMS" -r "$ROUNDS" \
    > "$T/fanout.out" || rc=$?
grep -v '^RESULT\|^EVENTS' "$T/fanout.out" || true
[ $rc -eq 0 ] || fail "bench_fanout failed"
grep '^RESULT' "$T/fanout.out"
kill -0 "$DAEMON_PID" 2>/dev/null || fail "the daemon died"
stop_daemon

stored=$(q "SELECT count(*) FROM alert_events")
per=$(awk '$1 == "EVENTS" { print $2 }' "$T/fanout.out")
echo "stream events stored: $stored; each stream had $per"
[ "$stored" = "$per" ] || fail "the store holds $stored events, the streams had $per each"
