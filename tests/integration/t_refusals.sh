#!/bin/sh
# Refusals no other test asks for (make coverage found them unrun): the
# alert list's and the clock list's queries, a resumed stream's
# Last-Event-ID given as a query, a keyworker named twice or not at all,
# a temperature out of all range, and a flag or a plan extended for a
# patient who has left.  Each is refused with its status and code, and
# the database is unchanged by them all.
set -eu
. "$(dirname "$0")/lib.sh"

EXTRA_CONFIG='sessions = { idle_minutes = 1440; };'
init_admin boss 424242
start_daemon --test-clock
set_clock '{"now":"2027-01-04T09:00:00Z"}'
expect_status 200
sign_in boss 424242
api POST /staff '{"username":"rita","display_name":"Rita","roles":["reception"],"pin":"1111"}'
expect_status 201
add_staff nina Nina '["nurse"]' 2222
CARA_BODY='{"username":"cara","display_name":"Cara","roles":["carat"],"pin":"3333"}'
api POST /staff "$CARA_BODY"
expect_status 201
CARA=$(jqout .id)

# Two stimulant users in treatment; the second is released.
sign_in rita 1111
arrival() {
	api POST /patients "{\"prison_number\":\"$1\",\"given_name\":\"Jo\",\"family_name\":\"Case\",\"date_of_birth\":\"1990-01-01\",\"arrived_at\":\"2027-01-04T08:00:00Z\",\"location\":\"A1\",\"stimulant_user\":$2,\"community_treatment\":{\"drug\":\"methadone\",\"dose\":40,\"unit\":\"ml\",\"prescriber\":\"Dr C\"}}"
	expect_status 201
}
arrival A1111AA true
HERE=$(jqout .id)
arrival B2222BB false
GONE=$(jqout .id)
api POST /movements "{\"patient_id\":\"$GONE\",\"kind\":\"release\",\"departs_at\":\"2027-01-04T10:00:00Z\",\"destination\":\"home\"}"
expect_status 201
api POST "/movements/$(jqout .id)/depart" '{"at":"2027-01-04T09:00:00Z"}'
expect_status 200

sign_in cara 3333
CARAT=$TOKEN
sign_in nina 2222
NURSE=$TOKEN
before=$(db_fingerprint)
api GET '/alerts?state=closed'
expect_status 400 invalid_query
api GET '/alerts?audience=everyone'
expect_status 400 invalid_query
api GET '/alerts?audience=%ff'
expect_status 400 invalid_query
api GET '/alerts/stream?last_event_id=seven'
expect_status 400 invalid_last_event_id
api GET '/clocks?breached=perhaps'
expect_status 400 invalid_query
api GET '/clocks?breached=%ff'
expect_status 400 invalid_query
api GET '/clocks?patient_id=not-a-uuid'
expect_status 400 invalid_query

TOKEN=$CARAT
api POST "/patients/$HERE/keyworker" '{}'
expect_status 400 missing_field
api POST "/patients/$HERE/keyworker" "{\"staff_id\":\"$CARA\",\"username\":\"cara\"}"
expect_status 400 missing_field
api POST "/patients/$GONE/keyworker" "{\"staff_id\":\"$CARA\"}"
expect_status 409 patient_not_in_custody

TOKEN=$NURSE
NORMAL='{"respiratory_rate":16,"spo2":97,"spo2_scale":1,"on_oxygen":false,"systolic_bp":120,"pulse":70,"consciousness":"A","temperature":37.0}'
obs() {
	printf '%s' "$NORMAL" | jq -c --arg p "$HERE" \
	    ". + {patient_id: \$p, taken_at: \"2027-01-04T09:00:00Z\"} | $1"
}
api POST /observations "$(obs '.temperature = 1e300')"
expect_status 422 implausible_temperature
api POST /observations "$(obs '.temperature = -1e300')"
expect_status 422 implausible_temperature

api POST "/patients/$GONE/flags" '{"stimulant_user":true}'
expect_status 409 patient_not_in_custody
api POST "/patients/$GONE/observation-plan" '{"until":"2027-01-08T09:00:00Z"}'
expect_status 409 patient_not_in_custody
[ "$(db_fingerprint)" = "$before" ] || fail "a refusal changed the database"

# The keyworker by staff_id: met.
TOKEN=$CARAT
api POST "/patients/$HERE/keyworker" "{\"staff_id\":\"$CARA\"}"
expect_status 200
[ "$(jqout '.keyworker.username')" = cara ] || fail "not cara: $BODY_OUT"
pass
