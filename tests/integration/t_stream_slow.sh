#!/bin/sh
# A terminal that stops reading is disconnected once its unsent output
# passes streams.max_buffer_bytes, and the daemon goes on serving others;
# it can resume with Last-Event-ID.
. "$(dirname "$0")/lib.sh"

EXTRA_CONFIG='streams = { max_buffer_bytes = 4096; };'
init_admin boss 424242
start_daemon --test-clock
set_clock '{"now":"2026-11-23T09:00:00Z"}'
sign_in boss 424242
api POST /staff '{"username":"rita","display_name":"Rita","roles":["reception"],"pin":"1111"}'
expect_status 201
add_staff mona Mona '["manager"]' 2222
sign_in rita 1111

# 500 clocks that breach together, their alerts carrying long names:
# over half a megabyte of events, more than the kernel's socket buffers
# hold for a client that does not read.
long4=$(printf '𝔪%.0s' $(seq 1 100))
long2=$(printf 'é%.0s' $(seq 1 100))
i=0
while [ $i -lt 250 ]; do
	n=$(printf 'G%04dGG' $i)
	api POST /patients "{\"prison_number\":\"$n\",\"given_name\":\"$long2\",\"family_name\":\"$long4\",\"date_of_birth\":\"1990-01-01\",\"arrived_at\":\"2026-11-23T09:00:00Z\",\"location\":\"A1\",\"stimulant_user\":false,\"community_treatment\":{\"drug\":\"methadone\",\"dose\":30,\"unit\":\"ml\",\"prescriber\":\"Dr S\"}}"
	expect_status 201
	i=$((i + 1))
done
set_clock '{"advance_seconds":172800}'
sleep 1
sign_in mona 2222	# a manager's stream: every alert (reception's has none)

# A client reading one byte a second asks for all of it from the start.
curl -s -N -m 20 --limit-rate 1 -H "Authorization: Bearer $TOKEN" \
    -H "Last-Event-ID: 0" "$(BASE)/alerts/stream" > /dev/null 2>&1 &
SLOW=$!
i=0
while [ $i -lt 100 ] && ! grep -q "too far behind" "$T/daemon.log"; do
	sleep 0.1
	i=$((i + 1))
done
grep -q "too far behind" "$T/daemon.log" || fail "the slow stream was not dropped"
kill "$SLOW" 2>/dev/null || true
wait "$SLOW" 2>/dev/null || true
checks=$((checks + 1))

# Everyone else is served meanwhile, and a reader that keeps up gets all.
api GET /health
expect_status 200
# Up to 20 s for them all: a daemon built for coverage, on a busy machine,
# took more than the 3 s this once allowed.
want=$(sql 'SELECT count(*) FROM alert_events')
curl -s -N -m 20 -H "Authorization: Bearer $TOKEN" -H "Last-Event-ID: 0" \
    "$(BASE)/alerts/stream" > "$T/all" 2>/dev/null &
ALL=$!
i=0
while [ $i -lt 200 ] && [ "$(event_ids "$T/all" | wc -l)" -lt "$want" ]; do
	sleep 0.1
	i=$((i + 1))
done
kill "$ALL" 2>/dev/null || true
wait "$ALL" 2>/dev/null || true
[ "$(event_ids "$T/all" | wc -l)" = "$want" ] || fail "a reader that keeps up missed events"
checks=$((checks + 1))
pass
