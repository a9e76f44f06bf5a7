#!/bin/sh
# The API reference, docs/openapi.yaml, and the daemon say the same thing:
# it is valid OpenAPI 3.1 by a maintained validator (Redocly CLI, its
# recommended rules all errors); every route of the router's table
# (daemon/http/router.c) is in it with the same roles and sign-in, and
# every operation in it is a route; the running daemon serves each
# documented operation (not 404 or 405), asking for a token exactly where
# the document says so; and through a day on the unit every operation
# answers with a documented status and media type, its JSON matching the
# documented schema, which leaves no member undocumented (Ajv).  The npm
# tools are pinned in tests/tools and installed by scripts/install-deps.
# IDTS_OPENAPI names another document to check.
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DOC=${IDTS_OPENAPI:-$ROOT/docs/openapi.yaml}
ROUTER=$ROOT/daemon/http/router.c
REDOCLY=$ROOT/tests/tools/node_modules/.bin/redocly
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_COLOR=1

if [ ! -x "$REDOCLY" ] || [ ! -d "$ROOT/tests/tools/node_modules/ajv" ]; then
	fail "the npm tools are missing from tests/tools:" \
	    "run scripts/install-deps (it runs npm ci there)"
fi

# 1. Valid OpenAPI 3.1, with nothing the recommended rules warn of.
checks=$((checks + 1))
if ! "$REDOCLY" lint --config "$ROOT/tests/tools/redocly.yaml" "$DOC" \
    >"$T/lint" 2>&1; then
	grep -v '[╔║╚]' "$T/lint" >&2
	fail "$DOC is not valid OpenAPI 3.1"
fi
grep -q '^openapi: 3\.1\.' "$DOC" || fail "$DOC is not OpenAPI 3.1"
"$REDOCLY" bundle "$DOC" --ext json -o "$T/openapi.json" >"$T/bundle" 2>&1 ||
    fail "cannot bundle $DOC: $(cat "$T/bundle")"

# Each operation as "METHOD /path/{} roles public", path parameters
# written {} and roles in the router's order, sorted.
ROLE_ORDER="nurse competent prescriber pharmacist reception carat manager admin"
order_roles() {
	awk -v order="$ROLE_ORDER" '{
		n = split(order, o, " "); out = ""
		for (i = 1; i <= n; i++)
			for (j = 3; j < NF; j++)
				if ($j == o[i]) out = out (out == "" ? "" : ",") o[i]
		print $1, $2, (out == "" ? "-" : out), $NF
	}'
}

# The document: x-roles, and public where security is [].
jq -r '.paths | to_entries[] | .key as $p | .value | to_entries[] |
    select(.key | IN("get","put","post","delete","options","head","patch",
    "trace")) |
    "\(.key | ascii_upcase) \($p) \((.value["x-roles"] // ["?"]) |
    join(" ")) \(if .value.security == [] then "public" else "signed-in"
    end)"' "$T/openapi.json" | sed 's/{[^}/]*}/{}/g' | order_roles |
    sort >"$T/documented"

# The router: its table, one route a line ({ METHOD_X, "path", handler,
# roles, flags }), ROLE_X to x.
ENTRY='.*{ *METHOD_\([A-Z]*\), *"\([^"]*\)", *[a-z_]*, *\([^,]*\), *\([^}]*\)}'
sed -n '/^static const struct route routes\[\]/,/^};/p' "$ROUTER" |
    tr -d '\n\t' | sed 's/},/}\n/g' | sed -n "s/$ENTRY.*/\1;\2;\3;\4/p" |
    while IFS=';' read -r method path roles flags; do
	roles=$(echo "$roles" | tr -d ' ' | tr '|' ' ' | sed 's/ROLE_//g' |
	    tr '[:upper:]' '[:lower:]')
	[ "$roles" = 0 ] && roles=""
	case "$flags" in
	*ROUTE_PUBLIC*) public=public ;;
	*) public=signed-in ;;
	esac
	echo "$method $path $roles $public"
done | order_roles | sort >"$T/served"

# 2. The extraction itself must have found the routes, or 3 proves nothing.
checks=$((checks + 1))
nserved=$(wc -l <"$T/served")
ntable=$(grep -c '{ METHOD_' "$ROUTER")
if [ "$nserved" -lt 50 ] || [ "$nserved" -ne "$ntable" ]; then
	fail "read $nserved routes of the $ntable in $ROUTER's table"
fi

# 3. The same operations, roles and sign-in in both.
checks=$((checks + 1))
if ! diff "$T/served" "$T/documented" >"$T/diff"; then
	echo "< served by daemon/http/router.c, > documented in $DOC:" >&2
	cat "$T/diff" >&2
	fail "docs/openapi.yaml and the router's table differ"
fi

# 3b. Rendered documentation shows no x-roles: each description begins by
# saying the same in words.
checks=$((checks + 1))
jq -r '.paths | to_entries[] | .key as $p | .value | to_entries[] |
    select(.key | IN("get","put","post","delete","patch")) | .value as $o |
    (if $o.security == [] then "Anyone, signed in or not."
    elif ($o["x-roles"] | length) == 0 then "Any member of staff."
    else "Roles: " + ($o["x-roles"] | join(", ")) + "." end) as $want |
    select(($o.description // "") | startswith($want) | not) |
    "\(.key | ascii_upcase) \($p) does not begin \"\($want)\""' \
    "$T/openapi.json" >"$T/words"
[ ! -s "$T/words" ] || fail "$(cat "$T/words")"

# root COMMAND ARGS...: run an api or call for a path outside /v1 (GET
# /metrics).
root() {
	BASE() { echo "$SCHEME://127.0.0.1:$PORT"; }
	"$@"
	BASE() { echo "$SCHEME://127.0.0.1:$PORT/v1"; }
}

# 4. The running daemon serves every documented operation: without a token
# a signed-in one is 401, a public one anything but 401, and never 404 or
# 405.  A path nobody serves is 404, so the check can tell.
# An establishment with a signing key, for its transfer documents.
# It trusts itself, so that its own document can be imported.
"$IDTSD" --gen-key "$T/establishment.key" >"$T/establishment.pem" ||
    fail "--gen-key"
EXTRA_CONFIG="establishment = { code = \"OAS\"; name = \"HMP OpenAPI\"; key = \"$T/establishment.key\"; trusted = ( { code = \"OAS\"; name = \"HMP OpenAPI\"; public_key = \"$T/establishment.pem\"; } ); };"
init_admin boss 424242
start_daemon --test-clock
ID=00000000-0000-4000-8000-000000000000
api GET /no-such-thing
expect_status 404 not_found
while read -r method path roles public; do
	p=$(echo "$path" | sed "s|{}|$ID|g; s|^/v1||")
	body=""
	case "$method" in POST|PATCH) body='{}' ;; esac
	case "$path" in
	/v1/*) api "$method" "$p" "$body" ;;
	*) root api "$method" "$p" "$body" ;;
	esac
	checks=$((checks + 1))
	case "$STATUS" in
	404|405|curl-failed)
		fail "$method $path is documented but answers $STATUS: $BODY_OUT" ;;
	401)
		[ "$public" = signed-in ] ||
		    fail "$method $path is public but asks for a token" ;;
	*)
		[ "$public" = public ] ||
		    fail "$method $path answers $STATUS without a token" ;;
	esac
done <"$T/documented"

# 5. The answers are as documented: a day on the unit through the API,
# every answer's status, media type and JSON body checked against the
# document's schemas by Ajv (tests/tools/check-answers.js), the body of
# every request that succeeded too, and every documented operation
# answered with success at least once.
n=0
: >"$T/answers"
# call METHOD TEMPLATE PATH [BODY [CURL-ARGS...]]: api, and keep the
# answer to check.
call() {
	tmpl=$2
	n=$((n + 1))
	m=$1
	p=$3
	shift 3
	b=""
	if [ $# -gt 0 ]; then
		b=$1
		shift
	fi
	api "$m" "$p" "$b" -D "$T/head.$n" "$@"
	cp "$T/out" "$T/answer.$n" 2>/dev/null || : >"$T/answer.$n"
	printf '%s' "$b" >"$T/request.$n"
	type=$(sed -n 's/^[Cc]ontent-[Tt]ype: *\([^;\r]*\).*/\1/p' \
	    "$T/head.$n")
	echo "$m $tmpl $STATUS ${type:-none} $T/answer.$n $T/request.$n" \
	    >>"$T/answers"
}
# staff USERNAME ROLE: add a member of staff with PIN 1234 as the admin;
# a clinical role's grant, waiting, is kept in GRANTS for mo to approve.
GRANTS=""
staff() {
	call POST /v1/staff /staff "{\"username\":\"$1\",\"display_name\":\"$1\",\"roles\":[\"$2\"],\"pin\":\"1234\"}"
	expect_status 201
	GRANTS="$GRANTS $(jqout '.pending_change.id // empty')"
}
W='"witness":{"username":"carl","pin":"1234"}'

TOKEN=""
call POST /v1/sessions /sessions '{"username":"boss","pin":"424242"}'
expect_status 201
TOKEN=$(jqout .token)
call POST /v1/test/clock /test/clock '{"now":"2027-01-12T06:30:00Z"}'
expect_status 200
call GET /v1/health /health
expect_status 200
call GET /v1/establishment /establishment
expect_status 200
root call GET /metrics /metrics
expect_status 200
call POST /v1/sessions /sessions '{"username":"boss","pin":"424242"}'
expect_status 201
TOKEN=$(jqout .token)
for who in nina:nurse carl:competent pam:pharmacist rob:reception \
    cara:carat dev:prescriber; do
	staff "${who%:*}" "${who#*:}"
done
staff mo manager
MO=$(jqout .id)
MO_GRANT=$(jqout .pending_change.id)
GRANTS=${GRANTS% *}
approve_change "$MO_GRANT"	# a manager's grant waits for a second admin too
staff lee nurse
LEE=$(jqout .pending_change.id)
GRANTS=${GRANTS% *}
BOSS_TOKEN=$TOKEN
sign_in mo 1234
call GET /v1/staff/changes /staff/changes
expect_status 200
for c in $GRANTS; do
	call POST '/v1/staff/changes/{id}/approve' "/staff/changes/$c/approve"
	expect_status 200
done
call POST '/v1/staff/changes/{id}/decline' "/staff/changes/$LEE/decline"
expect_status 200
call POST '/v1/staff/changes/{id}/approve' "/staff/changes/$LEE/approve"
expect_status 409 change_decided
call POST /v1/staff/me/pin /staff/me/pin '{"old_pin":"9999","new_pin":"1234"}'
expect_status 401 invalid_credentials
call POST /v1/staff/me/pin /staff/me/pin '{"old_pin":"1234","new_pin":"1234"}'
expect_status 200
TOKEN=$BOSS_TOKEN
call PATCH '/v1/staff/{id}' "/staff/$MO" '{"roles":["manager","pharmacist"]}'
expect_status 200
call GET /v1/staff /staff
call GET '/v1/staff/{id}' "/staff/$MO"
call PATCH '/v1/staff/{id}' "/staff/$MO" '{"display_name":"Mo Manager"}'
expect_status 200
call GET '/v1/staff/{id}' "/staff/$ID"
expect_status 404

sign_in rob 1234
CT='{"drug":"methadone","dose":30,"unit":"ml","prescriber":"Dr Who","last_dose_at":"2027-01-11T08:00:00Z"}'
call POST /v1/patients /patients "{\"prison_number\":\"a1234bc\",\"given_name\":\"Alex\",\"family_name\":\"Example\",\"date_of_birth\":\"1980-05-05\",\"arrived_at\":\"2027-01-12T05:30:00Z\",\"location\":\"A1\",\"stimulant_user\":true,\"community_treatment\":$CT}"
expect_status 201
P1=$(jqout .id)
call POST /v1/patients /patients '{"prison_number":"B2345CD","given_name":"Sam","family_name":"Sample","date_of_birth":"1990-01-01","arrived_at":"2027-01-12T06:00:00Z","location":"A2","stimulant_user":false,"community_treatment":null}'
expect_status 201
P2=$(jqout .id)
call POST /v1/patients /patients '{"prison_number":"B2345CD"}'
expect_status 400
call POST /v1/arrivals/import /arrivals/import \
    '{"resourceType":"Bundle","type":"document","entry":[]}'
expect_status 422 signature_invalid
call POST '/v1/patients/{id}/flags' "/patients/$P2/flags" \
    '{"stimulant_user":true}'
expect_status 200
call GET /v1/patients /patients?status=in_custody
call GET '/v1/patients/{id}' "/patients/$P1"
call GET /v1/clocks "/clocks?state=running&patient_id=$P1"
call GET /v1/clocks "/clocks?breached=true&patient_id=$P1"

sign_in cara 1234
call POST '/v1/patients/{id}/keyworker' "/patients/$P1/keyworker" \
    '{"username":"cara"}'
expect_status 200

sign_in pam 1234
call POST /v1/products /products '{"name":"Methadone","form":"oral solution","strength":"1 mg/ml","unit":"ml"}'
expect_status 201
PROD=$(jqout .id)
call GET /v1/products /products
call GET '/v1/products/{id}' "/products/$PROD"
call PATCH '/v1/products/{id}' "/products/$PROD" \
    '{"active_per_unit":{"quantity":1,"unit":"mg"},"max_single_dose":120,"max_daily_dose":150,"opioid_substitute":true}'
expect_status 200
call PATCH '/v1/products/{id}' "/products/$PROD" '{"max_single_dose":0}'
expect_status 400 invalid_field
call PATCH '/v1/products/{id}' "/products/$PROD" '{"max_single_dose":151}'
expect_status 422 limits_inconsistent
call POST '/v1/register/{product_id}/receipts' "/register/$PROD/receipts" \
    "{\"quantity\":500,\"supplier\":\"Pharmacy\",\"reference\":\"R1\",$W}"
expect_status 201
call POST '/v1/register/{product_id}/returns' "/register/$PROD/returns" \
    "{\"quantity\":10.5,\"reason\":\"damaged\",$W}"
expect_status 201
RETURN=$(jqout .id)
call POST '/v1/register/{product_id}/destructions' \
    "/register/$PROD/destructions" "{\"quantity\":1,\"reason\":\"spilt\",$W}"
call POST '/v1/register/{product_id}/corrections' \
    "/register/$PROD/corrections" \
    "{\"corrects_entry_id\":\"$RETURN\",\"quantity_delta\":0.5,\"reason\":\"miscounted\",$W}"
expect_status 201
call POST '/v1/register/{product_id}/checks' "/register/$PROD/checks" \
    "{\"counted\":480,$W}"
expect_status 201
call POST '/v1/register/{product_id}/returns' "/register/$PROD/returns" \
    "{\"quantity\":100000,\"reason\":\"all of it\",$W}"
expect_status 422 balance_would_go_negative
call GET '/v1/register/{product_id}' "/register/$PROD?limit=2"

sign_in dev 1234
RX='"regimen":"maintenance","dose":30,"times":["07:00","19:00"],"start_date":"2027-01-12"'
# 60 ml a day, above the 30 ml confirmed at arrival: an override.
call POST /v1/prescriptions /prescriptions \
    "{\"patient_id\":\"$P1\",\"product_id\":\"$PROD\",$RX}"
expect_status 422 override_required
call POST /v1/prescriptions /prescriptions \
    "{\"patient_id\":\"$P1\",\"product_id\":\"$PROD\",$RX,\"override\":{\"reason\":\" \"}}"
expect_status 400 override_reason_required
call POST /v1/prescriptions /prescriptions \
    "{\"patient_id\":\"$P1\",\"product_id\":\"$PROD\",\"regimen\":\"maintenance\",\"dose\":121,\"times\":[\"07:00\"],\"start_date\":\"2027-01-12\"}"
expect_status 422 dose_above_limit
call POST /v1/prescriptions /prescriptions \
    "{\"patient_id\":\"$P1\",\"product_id\":\"$PROD\",$RX,\"override\":{\"reason\":\"30 ml twice daily, confirmed by phone\"}}"
expect_status 201
RX1=$(jqout .id)
call POST /v1/prescriptions /prescriptions \
    "{\"patient_id\":\"$P2\",\"product_id\":\"$PROD\",\"regimen\":\"reducing\",\"dose\":20,\"times\":[\"07:00\"],\"start_date\":\"2027-01-12\",\"end_date\":\"2027-01-20\",\"steps\":[{\"from_date\":\"2027-01-15\",\"dose\":10},{\"from_date\":\"2027-01-18\",\"dose\":0}]}"
expect_status 201
RX2=$(jqout .id)
call GET /v1/prescriptions "/prescriptions?patient_id=$P1"
call GET '/v1/prescriptions/{id}' "/prescriptions/$RX1"
call POST '/v1/prescriptions/{id}/review' "/prescriptions/$RX1/review" \
    '{"note":"fine"}'
expect_status 409 not_held
call POST '/v1/prescriptions/{id}/confirm' "/prescriptions/$RX1/confirm"
expect_status 404 not_found
call POST '/v1/patients/{id}/treatment-decision' \
    "/patients/$P2/treatment-decision" \
    '{"continue":true,"reason":"stable"}'
expect_status 200

sign_in nina 1234
call GET /v1/doses /doses?state=due
D1=$(jqout "[.[] | select(.patient.id == \"$P1\")][0].id")
D2=$(jqout "[.[] | select(.patient.id == \"$P2\")][0].id")
call GET '/v1/doses/{id}' "/doses/$D1"
# The first dose in custody has cautions: each confirmed, with a note.
call POST '/v1/doses/{id}/administer' "/doses/$D1/administer" \
    "{$W,\"note\":\"fine\"}"
expect_status 409 cautions_unconfirmed
CONFIRM=$(jqout '[.error.cautions[].code] | tojson')
call POST '/v1/doses/{id}/administer' "/doses/$D1/administer" \
    "{$W,\"confirm_cautions\":[\"sleepy\"],\"note\":\"fine\"}"
expect_status 400 invalid_field
call POST '/v1/doses/{id}/administer' "/doses/$D1/administer" \
    "{$W,\"confirm_cautions\":[\"returned_today\"],\"note\":\"fine\"}"
expect_status 409 caution_not_present
call POST '/v1/doses/{id}/administer' "/doses/$D1/administer" \
    "{$W,\"confirm_cautions\":$CONFIRM,\"note\":\"first dose: alert\"}"
expect_status 200
call POST '/v1/doses/{id}/administer' "/doses/$D1/administer" "{$W}"
expect_status 409 already_administered
call POST '/v1/doses/{id}/withhold' "/doses/$D2/withhold" \
    '{"reason":"drowsy"}'
expect_status 200
call POST '/v1/doses/{id}/refuse' "/doses/$D2/refuse" '{"reason":"declined"}'
call POST /v1/observations /observations "{\"patient_id\":\"$P1\",\"taken_at\":\"2027-01-12T06:30:00Z\",\"respiratory_rate\":22,\"spo2\":95,\"spo2_scale\":1,\"on_oxygen\":false,\"systolic_bp\":118,\"pulse\":112,\"consciousness\":\"A\",\"temperature\":37.9}"
expect_status 201
OBS1=$(jqout .id)
call GET /v1/observations "/observations?patient_id=$P1"
call GET /v1/observations/due /observations/due
call POST '/v1/patients/{id}/observation-plan' \
    "/patients/$P1/observation-plan" '{"until":"2027-01-16T05:30:00Z"}'
expect_status 200

sign_in rob 1234
call POST /v1/movements /movements "{\"patient_id\":\"$P1\",\"kind\":\"court\",\"departs_at\":\"2027-01-12T07:45:00Z\",\"destination\":\"Crown Court\"}"
expect_status 201
M1=$(jqout .id)
call GET /v1/movements /movements?date=2027-01-12
call GET '/v1/movements/{id}' "/movements/$M1"
sign_in nina 1234	# a summary is clinical: not reception's
call GET '/v1/movements/{id}/summary' "/movements/$M1/summary"
call GET '/v1/movements/{id}/summary' "/movements/$M1/summary" "" \
    -H 'Accept: text/plain'
call POST '/v1/movements/{id}/depart' "/movements/$M1/depart" '{}'
expect_status 200
set_clock '{"advance_seconds":600}'
call POST '/v1/movements/{id}/return' "/movements/$M1/return" '{}'
expect_status 200
call POST '/v1/movements/{id}/cancel' "/movements/$M1/cancel" \
    '{"reason":"vacated"}'
expect_status 409
call POST '/v1/movements/{id}/follow-up' "/movements/$M1/follow-up" \
    '{"attended":true,"on":"2027-01-12"}'
expect_status 409 no_follow_up
call POST /v1/movements /movements "{\"patient_id\":\"$P2\",\"kind\":\"release\",\"departs_at\":\"2027-01-14T10:00:00Z\",\"destination\":\"home\",\"follow_up\":\"CDT on Monday\"}"
expect_status 201
M2=$(jqout .id)
call GET '/v1/movements/{id}/summary' "/movements/$M2/summary"
call GET '/v1/movements/{id}/transfer-document' \
    "/movements/$M2/transfer-document"
expect_status 200
call GET '/v1/patients/{id}/fhir' "/patients/$P2/fhir"
expect_status 200
call GET '/v1/patients/{id}/record' "/patients/$P1/record"
expect_status 200
call GET /v1/handover /handover?shift=night
expect_status 200
call GET /v1/handover /handover "" -H 'Accept: text/plain'
expect_status 200
call GET /v1/handover /handover "" -H 'Accept: text/html'
expect_status 200
call GET /v1/handover /handover?shift=dusk
expect_status 400 invalid_query
call GET '/v1/movements/{id}/transfer-document' \
    "/movements/$M1/transfer-document"
expect_status 409 not_a_transfer
call POST '/v1/movements/{id}/cancel' "/movements/$M2/cancel" \
    '{"reason":"bail refused"}'
expect_status 200

# Two days on: the reducing prescription's doses of the 13th missed, the
# 14th's refused, is the third in a row not taken, and holds it.
set_clock '{"now":"2027-01-14T07:30:00Z"}'
expect_status 200
sign_in nina 1234
call GET /v1/doses "/doses?patient_id=$P2&state=due"
D3=$(jqout '.[0].id')
call POST '/v1/doses/{id}/refuse' "/doses/$D3/refuse" '{"reason":"declined"}'
expect_status 200
sign_in dev 1234
call GET '/v1/prescriptions/{id}' "/prescriptions/$RX2"
[ "$(jqout .state)" = held ] || fail "the prescription is not held: $BODY_OUT"
call POST '/v1/prescriptions/{id}/review' "/prescriptions/$RX2/review" \
    '{"note":"seen; restart at 10 ml"}'
expect_status 200
call POST '/v1/prescriptions/{id}/stop' "/prescriptions/$RX2/stop" \
    '{"reason":"rewritten"}'
expect_status 200

# Corrections: a record corrected and its history, an observation struck
# out, a dose entered in error, a test arrival ended.
sign_in rob 1234
call PATCH '/v1/patients/{id}' "/patients/$P1" \
    '{"location":"B2-14","nhs_number":"943 476 5919","reason":"moved cell"}'
expect_status 200
call PATCH '/v1/patients/{id}' "/patients/$P1" \
    '{"date_of_birth":"2030-01-01","reason":"typo"}'
expect_status 422 date_of_birth_in_future
call GET '/v1/patients/{id}/history' "/patients/$P1/history"
expect_status 200
call POST /v1/patients /patients '{"prison_number":"T9999ZZ","given_name":"Test","family_name":"Arrival","date_of_birth":"1980-01-01","arrived_at":"2027-01-14T07:00:00Z","location":"A9","stimulant_user":true,"community_treatment":null}'
expect_status 201
P3=$(jqout .id)
call POST '/v1/patients/{id}/entered-in-error' \
    "/patients/$P3/entered-in-error" '{"reason":"a test arrival"}'
expect_status 200
call POST '/v1/patients/{id}/entered-in-error' \
    "/patients/$P3/entered-in-error" '{"reason":"again"}'
expect_status 409 already_entered_in_error

# A transfer out and back in: the signed document imported at reception,
# its prescription listed to be confirmed, and confirmed.
call POST /v1/patients /patients "{\"prison_number\":\"C3456DE\",\"given_name\":\"Cal\",\"family_name\":\"Transfer\",\"date_of_birth\":\"1985-02-02\",\"arrived_at\":\"2027-01-14T07:00:00Z\",\"location\":\"A3\",\"stimulant_user\":false,\"community_treatment\":$CT}"
expect_status 201
P4=$(jqout .id)
sign_in dev 1234
call POST /v1/prescriptions /prescriptions "{\"patient_id\":\"$P4\",\"product_id\":\"$PROD\",\"regimen\":\"maintenance\",\"dose\":30,\"times\":[\"09:00\"],\"start_date\":\"2027-01-14\"}"
expect_status 201
sign_in rob 1234
call POST /v1/movements /movements "{\"patient_id\":\"$P4\",\"kind\":\"transfer\",\"departs_at\":\"2027-01-14T07:45:00Z\",\"destination\":\"HMP Elsewhere\"}"
expect_status 201
M4=$(jqout .id)
call GET '/v1/movements/{id}/transfer-document' \
    "/movements/$M4/transfer-document"
expect_status 200
cp "$T/out" "$T/transfer.json"
call POST '/v1/movements/{id}/depart' "/movements/$M4/depart" '{}'
expect_status 200
call POST /v1/arrivals/import /arrivals/import "$(cat "$T/transfer.json")"
expect_status 201
P5=$(jqout .id)
sign_in dev 1234
call GET /v1/prescriptions "/prescriptions?patient_id=$P5"
RX5=$(jqout '.[0].id')
call GET '/v1/prescriptions/{id}' "/prescriptions/$RX5"
call POST '/v1/prescriptions/{id}/confirm' "/prescriptions/$RX5/confirm"
expect_status 201
sign_in rob 1234
# Released with a community follow-up, and the appointment kept that day.
call POST /v1/movements /movements "{\"patient_id\":\"$P5\",\"kind\":\"release\",\"departs_at\":\"2027-01-14T08:00:00Z\",\"destination\":\"home\",\"follow_up\":\"CDT today\"}"
expect_status 201
M5=$(jqout .id)
call POST '/v1/movements/{id}/depart' "/movements/$M5/depart" '{}'
expect_status 200
call POST '/v1/movements/{id}/follow-up' "/movements/$M5/follow-up" \
    '{"attended":true,"on":"2027-01-14","note":"seen"}'
expect_status 200
sign_in nina 1234
call POST '/v1/observations/{id}/entered-in-error' \
    "/observations/$OBS1/entered-in-error" '{"reason":"wrong patient"}'
expect_status 200
call GET /v1/observations "/observations?patient_id=$P1"
call POST '/v1/doses/{id}/entered-in-error' "/doses/$D1/entered-in-error" \
    "{$W,\"reason\":\"given to the wrong patient\"}"
expect_status 200
call POST '/v1/doses/{id}/entered-in-error' "/doses/$D1/entered-in-error" \
    "{$W,\"reason\":\"again\"}"
expect_status 409 already_entered_in_error
call GET '/v1/doses/{id}' "/doses/$D1"

sign_in mo 1234
call GET /v1/alerts /alerts?state=open
ALERT=$(jqout '[.[] | select(.audience == "manager")][0].id')
call POST '/v1/alerts/{id}/ack' "/alerts/$ALERT/ack" '{"note":"seen"}'
expect_status 200
call GET /v1/board /board
call GET /v1/reports/observations \
    '/reports/observations?from=2027-01-12&to=2027-01-13'
call GET /v1/reports/observations \
    '/reports/observations?from=2027-01-12&to=2027-01-13' "" \
    -H 'Accept: text/csv'
for report in doses clocks register alerts; do
	call GET "/v1/reports/$report" \
	    "/reports/$report?from=2027-01-12&to=2027-01-13"
	call GET "/v1/reports/$report" \
	    "/reports/$report?from=2027-01-12&to=2027-01-13" "" \
	    -H 'Accept: text/csv'
done
call GET /v1/reports/doses '/reports/doses?from=2027-01-13&to=2027-01-12'
expect_status 400 invalid_query
call GET /v1/reports/governance '/reports/governance?month=2027-01'
call GET /v1/reports/governance '/reports/governance?month=2027-01' "" \
    -H 'Accept: text/html'
call GET /v1/reports/governance \
    '/reports/governance?month=2027-01&section=doses' "" -H 'Accept: text/csv'
call GET /v1/reports/governance '/reports/governance?month=2027-13'
expect_status 400 invalid_query
call GET /v1/reports/continuity '/reports/continuity?month=2027-01'
expect_status 200
call GET /v1/reports/continuity '/reports/continuity?month=2027-01' "" \
    -H 'Accept: text/csv'
expect_status 200
call GET /v1/reports/continuity '/reports/continuity?month=2027-1'
expect_status 400 invalid_query
call GET /v1/exports/treatment-episodes \
    '/exports/treatment-episodes?month=2027-01'
expect_status 200
call GET /v1/exports/treatment-episodes \
    '/exports/treatment-episodes?month=2027-01' "" -H 'Accept: text/csv'
expect_status 200
call GET /v1/exports/treatment-episodes \
    '/exports/treatment-episodes?month=2027-13'
expect_status 400 invalid_query
# The readiness register and the duty rota (issue 20).
call PUT '/v1/readiness/{number}' /readiness/15 \
    '{"status":"amber","evidence":"weekend cover short","owner":"mo","target_date":"2027-02-01"}'
expect_status 200
call PUT '/v1/readiness/{number}' /readiness/36 '{"status":"green"}'
expect_status 404 not_found
call PUT '/v1/readiness/{number}' /readiness/15 '{"status":"amber","owner":"nobody"}'
expect_status 422 unknown_owner
call GET /v1/readiness /readiness
expect_status 200
call GET /v1/readiness '/readiness?from=2027-01-12&to=2027-01-13' "" \
    -H 'Accept: text/html'
expect_status 200
call GET /v1/readiness/history '/readiness/history?number=15'
expect_status 200
call PUT '/v1/rota/{date}' /rota/2027-01-13 \
    '{"shifts":[{"name":"day","starts":"07:30","ends":"19:30","staff":["nina","carl"]},{"name":"night","starts":"19:30","ends":"tomorrow 07:30","staff":["nina"]}]}'
expect_status 200
call PUT '/v1/rota/{date}' /rota/2027-01-13 \
    '{"shifts":[{"name":"day","starts":"19:30","ends":"07:30","staff":["nina"]}]}'
expect_status 422 shift_ends_before_start
call GET /v1/rota '/rota?from=2027-01-12&to=2027-01-14'
expect_status 200
call GET /v1/audit/verify /audit/verify

sign_in boss 424242
call POST /v1/terminals /terminals '{"name":"ward-1","location":"treatment room"}'
expect_status 201
TID=$(jqout .id)
call GET /v1/terminals /terminals
expect_status 200
call POST '/v1/terminals/{id}/revoke' "/terminals/$TID/revoke"
expect_status 200
call GET /v1/audit '/audit?after=1&limit=5'
call GET /v1/audit/verify /audit/verify
call POST /v1/backups /backups
expect_status 201
call GET /v1/backups /backups
sign_in mo 1234		# the alerts are not an admin's to read
curl -s -m 2 -D "$T/stream.head" -H "Authorization: Bearer $TOKEN" \
    -H 'Last-Event-ID: 0' "$(BASE)/alerts/stream" >"$T/stream" || true
type=$(sed -n 's/^[Cc]ontent-[Tt]ype: *\([^;\r]*\).*/\1/p' "$T/stream.head")
echo "GET /v1/alerts/stream 200 ${type:-none} $T/stream" >>"$T/answers"
sed -n 's/^data: //p' "$T/stream" >"$T/events"
[ -s "$T/events" ] || fail "the alert stream replayed no event"
i=0
while read -r event; do
	i=$((i + 1))
	printf '%s\n' "$event" >"$T/event.$i"
	echo "SCHEMA Alert $T/event.$i" >>"$T/answers"
done <"$T/events"
call DELETE /v1/sessions/current /sessions/current
expect_status 204
call GET /v1/patients /patients
expect_status 401

checks=$((checks + 1))
node "$ROOT/tests/tools/check-answers.js" "$T/openapi.json" "$T/answers" \
    >"$T/checked" || { cat "$T/checked" >&2; fail "answers not as documented"; }
tail -1 "$T/checked"
pass
