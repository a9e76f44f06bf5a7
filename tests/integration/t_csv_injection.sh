#!/bin/sh
# CSV formula injection: text a spreadsheet would take for a formula (a
# family name =HYPERLINK(...), a given name +SUM(...), a location @A1)
# leaves the compliance report's CSV as text, behind a single quote, while
# the JSON answer and the record keep it as it was given; the counts stay
# numbers.
. "$(dirname "$0")/lib.sh"

init_admin boss 424242
start_daemon --test-clock
sign_in boss 424242
api POST /test/clock '{"now":"2027-01-05T08:00:00Z"}'
expect_status 200
sign_in boss 424242
api POST /staff '{"username":"rita","display_name":"Rita","roles":["reception"],"pin":"3333"}'
expect_status 201
add_staff mona Mona '["manager"]' 8888

sign_in rita 3333
api POST /patients '{"prison_number":"A1234BC","given_name":"+SUM(1,2)","family_name":"=HYPERLINK(\"http://x\",\"y\")","date_of_birth":"1990-01-01","arrived_at":"2027-01-05T08:00:00Z","location":"@A1","stimulant_user":true,"community_treatment":null}'
expect_status 201
checks=$((checks + 1))
[ "$(jqout .family_name)" = '=HYPERLINK("http://x","y")' ] ||
    fail "the name was not kept as given: $BODY_OUT"

sign_in mona 8888
api GET "/reports/observations?from=2027-01-05&to=2027-01-05" "" \
    -H 'Accept: text/csv'
expect_status 200
line=$(printf '%s' "$BODY_OUT" | grep '^A1234BC,' | tr -d '\r')
checks=$((checks + 1))
[ "$line" = "A1234BC,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",\"'+SUM(1,2)\",'@A1,2027-01-05,0,0,0,0,0,0,0,1,0," ] ||
    fail "the CSV line is not neutralised: $line"
api GET "/reports/observations?from=2027-01-05&to=2027-01-05"
expect_status 200
checks=$((checks + 1))
[ "$(jqout '.patients[0].patient.family_name')" = \
    '=HYPERLINK("http://x","y")' ] || fail "the JSON report: $BODY_OUT"
pass
