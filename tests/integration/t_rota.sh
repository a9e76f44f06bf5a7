#!/bin/sh
# The duty rota and controlled-drug cover (issue 20, readiness section
# 15): a fortnight's rota put day by day, night shifts ending the next
# morning; the cover check of every dose round (the round times of the
# prescriptions running), weekends included, finding the weekend two
# weeks ahead with no competent other beside the nurse; one alert to the
# managers per day with a gap, never raised twice, across a restart too;
# who is on duty at each round; and each bad rota refused with nothing
# changed.
. "$(dirname "$0")/lib.sh"

EXTRA_CONFIG='sessions = { idle_minutes = 1440; };
rota = { warn_days = 14; };'
init_admin boss 424242
start_daemon --test-clock
. "$(dirname "$0")/roundlib.sh"

# Monday 4 January 2027; the weekend of 16 and 17 January is 12 days on.
set_clock '{"now":"2027-01-04T09:00:00Z"}'
expect_status 200
sign_in boss 424242
add_staff nina "Nina Nurse" '["nurse"]' 1111
add_staff nora "Nora Nurse" '["nurse"]' 1212
add_staff carl "Carl Competent" '["competent"]' 3333
add_staff phil "Phil Pharmacist" '["pharmacist"]' 4444
add_staff doc "Dr Doc" '["prescriber"]' 5555
add_staff rita "Rita Reception" '["reception"]' 6666
add_staff mona "Mona Manager" '["manager"]' 8888
sign_in mona 8888
MGR=$TOKEN

# No prescription, no round: nothing to cover.
api GET '/rota?from=2027-01-16&to=2027-01-17'
expect_status 200
[ "$(jqout '.gaps')" = 0 ] && [ "$(jqout '[.days[].rounds[]] | length')" = 0 ] ||
    fail "rounds without a prescription: $BODY_OUT"

# The rota first (with a prescription already running, each day not yet
# on it would be a gap, alerted): days 07:30 to 19:30 (nina and carl),
# nights 19:30 to 07:30 the next day (nora and phil), but the weekend of
# 16 and 17 January has the nurses alone.
TOKEN=$MGR
day() {	# DATE DAY_STAFF NIGHT_STAFF
	api PUT "/rota/$1" "{\"shifts\":[{\"name\":\"day\",\"starts\":\"07:30\",\"ends\":\"19:30\",\"staff\":$2},{\"name\":\"night\",\"starts\":\"19:30\",\"ends\":\"tomorrow 07:30\",\"staff\":$3}]}"
	expect_status 200
}
for d in 04 05 06 07 08 09 10 11 12 13 14 15 18; do
	day "2027-01-$d" '["nina","carl"]' '["nora","phil"]'
done
day 2027-01-16 '["nina"]' '["nora"]'
day 2027-01-17 '["nina"]' '["nora"]'
[ "$(jqout '.days[0].shifts[1].ends')" = 2027-01-18T07:30:00Z ] ||
    fail "a night shift should end the next morning: $BODY_OUT"
[ "$(jqout '.days[0].weekend')" = true ] || fail "17 January is a Sunday"

# A patient on a prescription at 08:00 and 20:00: the unit's rounds.
sign_in phil 4444
api POST /products '{"name":"Lofexidine","form":"tablet","strength":"200mcg","unit":"tablet"}'
expect_status 201
PROD=$(jqout .id)
sign_in rita 6666
api POST /patients '{"prison_number":"A0001AA","given_name":"Jo","family_name":"Case","date_of_birth":"1990-01-01","arrived_at":"2027-01-04T08:00:00Z","location":"A1","stimulant_user":false,"community_treatment":null}'
expect_status 201
PAT=$(jqout .id)
sign_in doc 5555
api POST /prescriptions "{\"patient_id\":\"$PAT\",\"product_id\":\"$PROD\",\"regimen\":\"maintenance\",\"dose\":1,\"times\":[\"08:00\",\"20:00\"],\"start_date\":\"2027-01-04\"}"
expect_status 201

# The cover check: the weekend's four rounds, and nothing else.
sign_in nina 1111
api GET '/rota?from=2027-01-04&to=2027-01-18'
expect_status 200
[ "$(jqout '.gaps')" = 4 ] || fail "expected the weekend's 4 rounds as gaps: $(jqout '.gaps')"
[ "$(jqout '[.days[] | select(.rounds | any(.covered | not)) | .date] | join(",")')" = 2027-01-16,2027-01-17 ] ||
    fail "the gaps should be the weekend of 16 and 17 January: $BODY_OUT"
[ "$(jqout '.days[] | select(.date == "2027-01-16") | .rounds[0].why')" = "no competent other is on duty beside nina" ] ||
    fail "the gap should say why: $BODY_OUT"
# Who is on duty at each round: the 20:00 round is the night shift's.
[ "$(jqout '.days[] | select(.date == "2027-01-05") | .rounds[1] | "\(.nurse) \(.witness) \(.on_duty | join(","))"')" = "nora phil nora,phil" ] ||
    fail "the 20:00 round should be the night shift's: $BODY_OUT"
[ "$(jqout '.days[] | select(.date == "2027-01-05") | .rounds[0].on_duty | join(",")')" = "carl,nina" ] ||
    fail "the 08:00 round should be the day shift's: $BODY_OUT"
# And beside each dose of the round.
api GET '/doses?date=2027-01-05'
expect_status 200
[ "$(jqout 'map("\(.due_at) \(.on_duty | join(","))") | join(";")')" = \
    "2027-01-05T08:00:00Z carl,nina;2027-01-05T20:00:00Z nora,phil" ] ||
    fail "each dose should say who is on duty at its round: $BODY_OUT"
# idtsctl round says so under the round; rota show names the gap.
export IDTS_SERVER="http://127.0.0.1:$PORT" TZ=Europe/London \
    XDG_CONFIG_HOME="$T/cfg"
IDTS_PIN=1111 "$IDTSCTL" login nina >/dev/null
"$IDTSCTL" round --date 2027-01-05 >"$T/round.out"
checks=$((checks + 1))
grep -q '^on duty at 20:00: nora, phil$' "$T/round.out" ||
    fail "idtsctl round should say who is on duty: $(cat "$T/round.out")"
"$IDTSCTL" rota show --from 2027-01-17 --to 2027-01-17 >"$T/rota.out"
checks=$((checks + 1))
grep -q 'round 08:00  NOT COVERED: no competent other is on duty beside nina' \
    "$T/rota.out" || fail "idtsctl rota show: $(cat "$T/rota.out")"

# The weekend two weeks ahead with no competent other alerts the managers:
# one alert for each day with a gap, naming the first round.
wait_sql "SELECT count(*) FROM alerts WHERE kind = 'cover_gap'" 2
[ "$(sql "SELECT count(*) FROM alerts WHERE kind = 'cover_gap' AND audience = 'manager'")" = 2 ] ||
    fail "the cover alerts should go to the managers"
TOKEN=$MGR
api GET /alerts
expect_status 200
printf '%s' "$BODY_OUT" | jq -e 'map(select(.kind == "cover_gap")) |
    map(.message) | any(test("cover on 2027-01-16: the round at Sat 16 Jan 08:00 GMT has no competent other is on duty beside nina \\(1 more round"))' >/dev/null ||
    fail "the managers should read the weekend's gap: $BODY_OUT"

# Never twice: not on the next pass, nor after a restart, nor when the
# day's rota is put again just as broken.
day 2027-01-16 '["nina"]' '["nora"]'
stop_daemon
start_daemon --test-clock
set_clock '{"now":"2027-01-04T10:00:00Z"}'
expect_status 200
sleep 0.5
[ "$(sql "SELECT count(*) FROM alerts WHERE kind = 'cover_gap'")" = 2 ] ||
    fail "a day's gap was alerted twice"

# Mended: Saturday's rounds are covered, the pharmacist witnessing.
sign_in mona 8888
MGR=$TOKEN
day 2027-01-16 '["nina","phil"]' '["nora","carl"]'
[ "$(jqout '.gaps')" = 0 ] || fail "Saturday should now be covered: $BODY_OUT"

# A day with no rota at all is a gap: nobody is on duty.
api GET '/rota?from=2027-01-19&to=2027-01-19'
expect_status 200
[ "$(jqout '.days[0].rounds[0].why')" = "nobody is on duty" ] ||
    fail "a day without a rota should have nobody on duty: $BODY_OUT"

# Bad rotas: each a clear 4xx, and nothing changed.
sign_in nina 1111
NURSE=$TOKEN
TOKEN=$MGR
before=$(db_fingerprint)
api PUT /rota/2027-01-20 '{"shifts":[{"name":"day","starts":"19:30","ends":"07:30","staff":["nina"]}]}'
expect_status 422 shift_ends_before_start
api PUT /rota/2027-01-20 '{"shifts":[{"name":"day","starts":"07:30","ends":"19:30","staff":["nina","nobody"]}]}'
expect_status 422 unknown_staff
api PUT /rota/2027-01-20 '{"shifts":[{"name":"day","starts":"07:30","ends":"19:30","staff":["nina","nina"]}]}'
expect_status 400 invalid_field
api PUT /rota/2027-01-20 '{"shifts":[{"name":"day","starts":"tomorrow 07:30","ends":"tomorrow 19:30","staff":["nina"]}]}'
expect_status 422 shift_not_on_date
api PUT /rota/2027-01-20 '{"shifts":[{"name":"day","starts":"07:30","ends":"tomorrow 19:30","staff":["nina"]}]}'
expect_status 422 shift_too_long
api PUT /rota/2027-01-20 '{"shifts":[{"name":"day","starts":"7.30am","ends":"19:30","staff":["nina"]}]}'
expect_status 400 invalid_field
api PUT /rota/2027-02-30 '{"shifts":[]}'
expect_status 404 not_found
api PUT /rota/2027-01-20 '{"shifts":[],"notes":"x"}'
expect_status 400
api GET '/rota?from=2027-01-01&to=2027-01-31'
expect_status 400 invalid_query
TOKEN=$NURSE
api PUT /rota/2027-01-20 '{"shifts":[]}'
expect_status 403 forbidden
[ "$(db_fingerprint)" = "$before" ] || fail "a refused rota changed something"

# Each rota put is audited.
[ "$(sql "SELECT count(*) FROM audit WHERE action = 'rota.set'")" = 17 ] ||
    fail "each rota should be audited: $(sql "SELECT count(*) FROM audit WHERE action = 'rota.set'")"
pass
