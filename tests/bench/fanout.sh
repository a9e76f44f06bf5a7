#!/bin/sh
# Alert fan-out: one alert to BENCH_STREAMS (1,000) open alert streams.
#
#	tests/bench/fanout.sh BUILD		(run.sh runs it at its end)
#
# A fresh daemon with --test-clock, http.max_connections = 2000,
# streams.max = 1500 and sessions.idle_minutes = 1440 (the test clock
# jumps 18 h a round and streams end with their session) and
# streams.per_person = 100; bench_fanout (compiled into BUILD/bench/)
# opens the streams as ten ward nurses, a hundred each, then
# BENCH_FANOUT_ROUNDS (5) times registers an arrival in treatment as
# reception and advances the test clock 64,801 s, past the treatment
# clock's warning: the time from that POST to each stream's first
# "event: alert" is the delivery latency.  Afterwards every stream must
# have had every event for nurses the store holds.
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
# shellcheck source=tests/bench/doselib.sh
. "$HERE/doselib.sh"

NSTREAMS=${BENCH_STREAMS:-1000}
ROUNDS=${BENCH_FANOUT_ROUNDS:-5}
USERS=$(( (NSTREAMS + 99) / 100 ))
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
streams = { max = 1500; per_person = 100; };
sessions = { idle_minutes = 1440; };'
init_db "$DB"
start_daemon "$DB" --test-clock

ADMIN_TOKEN=$(sign_in admin "$ADMIN_PIN")
# Ten nurses, a hundred streams each (streams.per_person).
w=1
while [ $w -le "$USERS" ]; do
	add_staff "ward$w" nurse 6161
	w=$((w + 1))
done
add_staff reception1 reception 5151

# Events from before the streams open (the staff changes' approvals)
# are not sent to them, nor those for the managers alone (a nurse reads
# the ward's and reception's alerts).
before=$(q "SELECT coalesce(max(seq), 0) FROM alert_events")
rc=0
BENCH_STREAM_USER=ward BENCH_STREAM_PIN=6161 \
BENCH_RECEPTION_USER=reception1 BENCH_RECEPTION_PIN=5151 \
BENCH_ADMIN_USER=admin BENCH_ADMIN_PIN=$ADMIN_PIN \
    "$BIN/bench_fanout" -p "$PORT" -n "$NSTREAMS" -r "$ROUNDS" -u "$USERS" \
    > "$T/fanout.out" || rc=$?
grep -v '^RESULT\|^EVENTS' "$T/fanout.out" || true
[ $rc -eq 0 ] || fail "bench_fanout failed"
grep '^RESULT' "$T/fanout.out"
kill -0 "$DAEMON_PID" 2>/dev/null || fail "the daemon died"
stop_daemon

stored=$(q "SELECT count(*) FROM alert_events e JOIN alerts a ON
    a.id = e.alert_id WHERE e.seq > $before AND
    a.audience IN ('ward', 'reception')")
per=$(awk '$1 == "EVENTS" { print $2 }' "$T/fanout.out")
echo "events for nurses since the streams opened: $stored; each stream had $per"
[ "$stored" = "$per" ] || fail "the store holds $stored events, the streams had $per each"
