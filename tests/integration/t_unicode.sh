#!/bin/sh
# Text at the limits: names of 100 four-byte characters go into alert
# messages whole (the scheduler never chokes on them), error messages that
# quote a long non-ASCII field or a raw path byte stay valid JSON with the
# right status, and an over-long query value is refused, not ignored.
. "$(dirname "$0")/lib.sh"

init_admin boss 424242
start_daemon --test-clock
api POST /test/clock '{"now":"2026-11-23T09:00:00Z"}'
sign_in boss 424242
api POST /staff '{"username":"rita","display_name":"Rita","roles":["reception"],"pin":"1111"}'
expect_status 201
sign_in rita 1111

long4=$(printf '𝔪%.0s' $(seq 1 100))
long2=$(printf 'é%.0s' $(seq 1 100))
api POST /patients "{\"prison_number\":\"F5555FF\",\"given_name\":\"$long2\",\"family_name\":\"$long4\",\"date_of_birth\":\"1990-01-01\",\"arrived_at\":\"2026-11-23T09:00:00Z\",\"location\":\"A1\",\"stimulant_user\":false,\"community_treatment\":{\"drug\":\"methadone\",\"dose\":30,\"unit\":\"micrograms\",\"prescriber\":\"$long4\"}}"
expect_status 201
[ "$(jqout .family_name)" = "$long4" ] || fail "the name did not come back whole"
[ "$(jqout .community_treatment.unit)" = micrograms ] || fail "unit"
P=$(jqout .id)

api POST /test/clock '{"advance_seconds":64800}'
sleep 0.5
sign_in rita 1111
api GET /alerts
[ "$(jqout "[.[] | select(.patient_id == \"$P\" and .kind == \"clock_warning\")] | length")" = 2 ] || fail "no warning for the long-named patient: $BODY_OUT"
jqout '.[0].message' | grep -q "$long4, $long2" || fail "the names were cut in the message"
grep -c "could not fire" "$T/daemon.log" >/dev/null && fail "the scheduler failed"
checks=$((checks + 2))

# A 200-character non-ASCII field name is quoted in a valid 400.
key=$(printf '€%.0s' $(seq 1 200))
api POST /alerts/00000000-0000-4000-8000-000000000000/ack "{\"$key\":1}"
expect_status 400 unknown_field
# A raw byte in the path: a JSON 404.
STATUS=$(curl -s -o "$T/out" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
    "$(BASE)/$(printf '\377')")
BODY_OUT=$(cat "$T/out")
expect_status 404 not_found
# Over-long query values are refused, never read as absent.
api GET "/clocks?patient_id=$(printf 'x%.0s' $(seq 1 70))"
expect_status 400 invalid_query
api GET "/alerts?state=$(printf 'o%.0s' $(seq 1 20))"
expect_status 400 invalid_query
pass
