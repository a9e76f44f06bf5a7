#!/bin/sh
# Text at the limits: names of 100 four-byte characters go into alert
# messages whole (the scheduler never chokes on them), error messages that
# quote a long non-ASCII field or a raw path byte stay valid JSON with the
# right status, and an over-long query value is refused, not ignored;
# Unicode controls (C0, C1, bidirectional controls, line and paragraph
# separators) are refused in text naming the field, and idtsctl's tables
# escape any an older database holds.
. "$(dirname "$0")/lib.sh"

init_admin boss 424242
start_daemon --test-clock
set_clock '{"now":"2026-11-23T09:00:00Z"}'
sign_in boss 424242
api POST /staff '{"username":"rita","display_name":"Rita","roles":["reception"],"pin":"1111"}'
expect_status 201
add_staff mona Mona '["manager"]' 2222
sign_in rita 1111

long4=$(printf '𝔪%.0s' $(seq 1 100))
long2=$(printf 'é%.0s' $(seq 1 100))
api POST /patients "{\"prison_number\":\"F5555FF\",\"given_name\":\"$long2\",\"family_name\":\"$long4\",\"date_of_birth\":\"1990-01-01\",\"arrived_at\":\"2026-11-23T09:00:00Z\",\"location\":\"A1\",\"stimulant_user\":false,\"community_treatment\":{\"drug\":\"methadone\",\"dose\":30,\"unit\":\"micrograms\",\"prescriber\":\"$long4\"}}"
expect_status 201
[ "$(jqout .family_name)" = "$long4" ] || fail "the name did not come back whole"
[ "$(jqout .community_treatment.unit)" = micrograms ] || fail "unit"
P=$(jqout .id)

set_clock '{"advance_seconds":64800}'
sleep 0.5
sign_in mona 2222
api GET /alerts
[ "$(jqout "[.[] | select(.patient_id == \"$P\" and .kind == \"clock_warning\")] | length")" = 2 ] || fail "no warning for the long-named patient: $BODY_OUT"
jqout '.[0].message' | grep -q "$long4, $long2" || fail "the names were cut in the message"
grep -c "could not fire" "$T/daemon.log" >/dev/null && fail "the scheduler failed"
checks=$((checks + 2))
sign_in rita 1111

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

# Characters that make text display otherwise than it reads, or that a
# terminal obeys, are refused in every text field, naming it: a family name
# turned around by U+202E RIGHT-TO-LEFT OVERRIDE, an isolate, a mark, a C1
# control (U+009B, a terminal's CSI), a line separator.
# refused_text FIELD TEXT DESC: a registration with FIELD set to TEXT is
# 400 invalid_field naming FIELD, and nothing is stored.
refused_text() {
	body=$(jq -cn --arg f "$1" --arg v "$2" '{prison_number:"G6666GG",
	    given_name:"Eve",family_name:"Smith",date_of_birth:"1990-01-01",
	    arrived_at:"2026-11-24T03:00:00Z",location:"A2",
	    stimulant_user:false,community_treatment:null} | .[$f] = $v')
	api POST /patients "$body"
	expect_status 400 invalid_field
	checks=$((checks + 1))
	jqout .error.message | grep -q "^$1 must be" ||
	    fail "$3: the refusal does not name $1: $BODY_OUT"
	checks=$((checks + 1))
	[ "$(sql "SELECT count(*) FROM patients WHERE prison_number = 'G6666GG'")" = 0 ] ||
	    fail "$3: stored all the same"
}
refused_text family_name "$(printf 'Smith\342\200\256live')" "U+202E"
refused_text family_name "$(printf 'Smith\342\201\246x\342\201\251')" "U+2066"
refused_text given_name "$(printf 'Eve\342\200\217')" "U+200F"
refused_text given_name "$(printf 'Eve\302\233')" "U+009B"
refused_text location "$(printf 'A2\342\200\250B3')" "U+2028"
refused_text location "$(printf 'A2\342\200\251')" "U+2029"
refused_text family_name "$(printf 'Smith\nJones')" "a line feed"

# A database from before the refusal may hold them: idtsctl's tables write
# them as \uXXXX, never as the raw bytes a terminal would obey.
api POST /patients '{"prison_number":"G6667GG","given_name":"Eve","family_name":"Smith","date_of_birth":"1990-01-01","arrived_at":"2026-11-24T03:00:00Z","location":"A2","stimulant_user":false,"community_treatment":null}'
expect_status 201
sql "UPDATE patients SET family_name = 'Smith' || char(155) || '2J' ||
    char(27) || ']0;x' || char(7) || char(8238) || 'evil' WHERE
    prison_number = 'G6667GG'"
IDTS_SERVER="$(BASE | sed 's,/v1$,,')" IDTS_TOKEN=$TOKEN \
    "$IDTSCTL" patient list >"$T/list" 2>&1 || fail "patient list: $(cat "$T/list")"
checks=$((checks + 1))
grep -q 'Smith\\u009B2J\\u001B\]0;x\\u0007\\u202Eevil' "$T/list" ||
    fail "the stored controls are not shown escaped: $(cat -v "$T/list")"
checks=$((checks + 1))
if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]\|\302[\200-\237]\|\342\200\256')" "$T/list"; then
	fail "patient list wrote raw controls: $(cat -v "$T/list")"
fi
pass
