#!/bin/sh
# The alert stream's limits: at most streams.max at once (then 503 JSON),
# a heartbeat comment on idle streams, a place again once one closes, and
# no stream without a valid token.  Each stream is a different manager's
# (one person's own streams make room for each other: t_stream_caps).
. "$(dirname "$0")/lib.sh"

EXTRA_CONFIG='streams = { max = 2; heartbeat_seconds = 1; };
http = { max_connections = 16; };'
init_admin boss 424242
start_daemon
sign_in boss 424242
for who in mo max meg; do
	add_staff "$who" "$who" '["manager"]' 2468
done
sign_in mo 2468
MO=$TOKEN
sign_in max 2468
MAX=$TOKEN
sign_in meg 2468

curl -s -N -m 4 -H "Authorization: Bearer $MO" "$(BASE)/alerts/stream" \
    > "$T/s1" 2>/dev/null &
S1=$!
curl -s -N -m 30 -H "Authorization: Bearer $MAX" "$(BASE)/alerts/stream" \
    > "$T/s2" 2>/dev/null &
S2=$!
sleep 0.7
# The third is refused, in JSON, while two are open.
api GET /alerts/stream
expect_status 503 too_many_streams
sleep 2
grep -q '^: heartbeat' "$T/s2" || fail "no heartbeat on an idle stream"
grep -q '^: idtsd alert stream' "$T/s1" || fail "no greeting on the stream"
checks=$((checks + 2))

# Once the first closes, a new stream is accepted.
wait "$S1" || true
sleep 0.3
curl -s -N -m 1 -o "$T/s3" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
    "$(BASE)/alerts/stream" > "$T/code" 2>/dev/null || true
[ "$(cat "$T/code")" = 200 ] || fail "no place after a stream closed: $(cat "$T/code")"
checks=$((checks + 1))

# Signing out ends a stream opened with that session, at once.
curl -s -N -m 20 -H "Authorization: Bearer $TOKEN" "$(BASE)/alerts/stream" \
    > "$T/s4" 2>/dev/null &
S4=$!
sleep 0.5
api DELETE /sessions/current
expect_status 204
start=$(date +%s)
wait "$S4" || true
[ $(( $(date +%s) - start )) -lt 5 ] || fail "the stream outlived its session"
checks=$((checks + 1))

TOKEN=nonsense
api GET /alerts/stream
expect_status 401 unauthenticated
kill "$S2" 2>/dev/null || true
wait "$S2" 2>/dev/null || true
stop_daemon
pass
