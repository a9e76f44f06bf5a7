#!/bin/sh
# Bad input: a table of malformed, ill-typed, unauthorised and conflicting
# requests, each refused with the right 4xx status and a JSON error body
# ({"error":{"code","message"}}, Content-Type application/json), the
# daemon still serving after every one, and the database byte-for-byte
# unchanged by the whole table (sessions aside).  Failed PINs are left out:
# they change the staff row on purpose.
. "$(dirname "$0")/lib.sh"

init_admin boss 424242
start_daemon --test-clock

# --- setup: staff, an old token, fresh tokens, one patient -------------
sign_in boss 424242
api GET /staff
expect_status 200
BOSS=$(jqout '.[0].id')
add_staff nina "Nina Nurse" '["nurse"]' 2222
api POST /staff '{"username":"rita","display_name":"Rita Reception","roles":["reception"],"pin":"3333"}'
expect_status 201

# A token that will have been idle 31 minutes.
sign_in nina 2222
OLD_TOKEN=$TOKEN
TOKEN=""
set_clock '{"advance_seconds":1860}'
expect_status 200
api GET /health
NOW=$(jqout .now)
# Times relative to the daemon's (test) clock.
at() {
	jq -rn --arg now "$NOW" "\$now | sub(\"[.][0-9]+Z\$\"; \"Z\") |
	    fromdateiso8601 + ($1) | todateiso8601"
}
ARRIVED=$(at -3600)
LAST_DOSE=$(at -86400)
FUTURE=$(at 86400)

sign_in boss 424242
ADMIN=$TOKEN
sign_in nina 2222
NURSE=$TOKEN
sign_in rita 3333
RECEP=$TOKEN

VALID=$(jq -cn --arg a "$ARRIVED" --arg l "$LAST_DOSE" '{
	prison_number: "A1234BC", given_name: "Sam", family_name: "Stone",
	date_of_birth: "1990-01-15", arrived_at: $a, location: "Houseblock 1",
	stimulant_user: false,
	community_treatment: {drug: "methadone", dose: 30, unit: "ml",
	    prescriber: "Dr Ames", last_dose_at: $l}}')
TOKEN=$RECEP
api POST /patients "$VALID"
expect_status 201
# Every variation below starts from a prison number not yet registered,
# so a check that is skipped would show as a 201 and a changed database.
B=$(printf '%s' "$VALID" | jq -c '.prison_number = "B2345CD"')
mod() { printf '%s' "$B" | jq -c "$1"; }

# --- the table ---------------------------------------------------------
n=0
# check_refusal DESC STATUS CODE: the last answer is STATUS with a JSON
# error CODE and a message, and the daemon still answers /health.
check_refusal() {
	checks=$((checks + 1))
	[ "$STATUS" = "$2" ] ||
	    fail "$1: expected HTTP $2, got $STATUS: $BODY_OUT"
	got=$(printf '%s' "$BODY_OUT" | jq -r \
	    '"\(.error.code // "")|\(.error.message // "" | length)"' \
	    2>/dev/null) || got=""
	checks=$((checks + 1))
	[ "${got%%|*}" = "$3" ] ||
	    fail "$1: expected error $3, got '${got%%|*}': $BODY_OUT"
	checks=$((checks + 1))
	[ "${got#*|}" -gt 0 ] || fail "$1: no error message: $BODY_OUT"
	checks=$((checks + 1))
	grep -qi '^content-type: *application/json' "$T/hdr" ||
	    fail "$1: the answer is not application/json: $(cat "$T/hdr")"
	n=$((n + 1))
	printf 'case %3d  %-52s %s %s\n' "$n" "$1" "$2" "$3"
	checks=$((checks + 1))
	[ "$(curl -s -m 10 -o /dev/null -w '%{http_code}' "$(BASE)/health")" = 200 ] ||
	    fail "$1: the daemon stopped answering /health"
}
# bad DESC STATUS CODE METHOD PATH [BODY [curl args...]]
bad() {
	desc=$1
	want=$2
	code=$3
	method=$4
	path=$5
	shift 5
	body=""
	if [ $# -gt 0 ]; then
		body=$1
		shift
	fi
	rm -f "$T/hdr"
	api "$method" "$path" "$body" -D "$T/hdr" "$@"
	check_refusal "$desc" "$want" "$code"
}
# rawbad DESC STATUS CODE METHOD PATH [curl args...]: no help from api().
rawbad() {
	desc=$1
	want=$2
	code=$3
	method=$4
	path=$5
	shift 5
	rm -f "$T/hdr"
	STATUS=$(curl -s -m 10 -o "$T/out" -D "$T/hdr" -w '%{http_code}' \
	    -X "$method" "$@" "$(BASE)$path") || STATUS="curl-failed"
	BODY_OUT=$(cat "$T/out" 2>/dev/null || true)
	check_refusal "$desc" "$want" "$code"
}

# The second admin add_staff made (for nina's grant) leaves: boss is the
# last admin again.
TOKEN=$ADMIN
api GET /staff
api PATCH "/staff/$(jqout '.[] | select(.username == "lib.approver") | .id')" \
    '{"active":false}'
expect_status 200
BEFORE=$(db_fingerprint)
TOKEN=$RECEP

# Not JSON, or not a JSON object.
bad "malformed JSON" 400 malformed_json POST /patients '{"prison_number":'
bad "JSON array, not an object" 400 invalid_body POST /patients '[]'
bad "JSON string, not an object" 400 malformed_json POST /patients '"x"'
bad "JSON null" 400 malformed_json POST /patients 'null'
bad "trailing garbage after the object" 400 malformed_json POST /patients "$B x"
bad "two objects" 400 malformed_json POST /patients "$B$B"
bad "duplicate keys" 400 malformed_json POST /patients \
    "$(printf '%s' "$B" | sed 's/^{/{"given_name":"Al",/')"
bad "invalid UTF-8 byte in a string" 400 malformed_json POST /patients \
    "$(printf '%s' "$B" | sed "s/\"Sam\"/\"S$(printf '\377')m\"/")"
bad "overlong UTF-8 (C0 AF)" 400 malformed_json POST /patients \
    "$(printf '%s' "$B" | sed "s/\"Sam\"/\"S$(printf '\300\257')m\"/")"
bad "\\u0000 in a string" 400 malformed_json POST /patients \
    "$(printf '%s' "$B" | sed 's/"Sam"/"S\\u0000m"/')"
bad "lone surrogate \\ud800" 400 malformed_json POST /patients \
    "$(printf '%s' "$B" | sed 's/"Sam"/"S\\ud800m"/')"
bad "nesting 5000 deep" 400 malformed_json POST /patients \
    "{\"x\":$(head -c 5000 /dev/zero | tr '\0' '[')"
bad "body of spaces" 400 malformed_json POST /patients '     '

# Wrong types.
bad "prison_number as a number" 400 invalid_field POST /patients \
    "$(mod '.prison_number = 1234')"
bad "stimulant_user as \"yes\"" 400 invalid_field POST /patients \
    "$(mod '.stimulant_user = "yes"')"
bad "stimulant_user as 1" 400 invalid_field POST /patients \
    "$(mod '.stimulant_user = 1')"
bad "dose as a string" 400 invalid_field POST /patients \
    "$(mod '.community_treatment.dose = "30"')"
bad "community_treatment as a string" 400 invalid_field POST /patients \
    "$(mod '.community_treatment = "methadone"')"
bad "given_name as an array" 400 invalid_field POST /patients \
    "$(mod '.given_name = ["Sam"]')"
TOKEN=$ADMIN
bad "roles not an array" 400 invalid_field POST /staff \
    '{"username":"zed","display_name":"Zed","roles":"nurse","pin":"1234"}'
bad "roles with an unknown role" 400 invalid_field POST /staff \
    '{"username":"zed","display_name":"Zed","roles":["surgeon"],"pin":"1234"}'
bad "roles empty" 400 invalid_field POST /staff \
    '{"username":"zed","display_name":"Zed","roles":[],"pin":"1234"}'
bad "pin as a number" 400 invalid_field POST /staff \
    '{"username":"zed","display_name":"Zed","roles":["nurse"],"pin":1234}'
bad "pin with letters" 400 invalid_field POST /staff \
    '{"username":"zed","display_name":"Zed","roles":["nurse"],"pin":"12ab"}'
bad "pin too short" 400 invalid_field POST /staff \
    '{"username":"zed","display_name":"Zed","roles":["nurse"],"pin":"123"}'
bad "username with capitals" 400 invalid_field POST /staff \
    '{"username":"Zed","display_name":"Zed","roles":["nurse"],"pin":"1234"}'
bad "PATCH active as \"no\"" 400 invalid_field PATCH "/staff/$BOSS" \
    '{"active":"no"}'
TOKEN=""
bad "sign-in pin as a number" 400 invalid_field POST /sessions \
    '{"username":"boss","pin":424242}'

# Missing fields.
TOKEN=$RECEP
bad "missing given_name" 400 missing_field POST /patients \
    "$(mod 'del(.given_name)')"
bad "missing community_treatment" 400 missing_field POST /patients \
    "$(mod 'del(.community_treatment)')"
bad "missing community_treatment.dose" 400 missing_field POST /patients \
    "$(mod 'del(.community_treatment.dose)')"
bad "stimulant_user null" 400 missing_field POST /patients \
    "$(mod '.stimulant_user = null')"
bad "empty body" 400 missing_field POST /patients ''
TOKEN=$ADMIN
bad "staff without pin" 400 missing_field POST /staff \
    '{"username":"zed","display_name":"Zed","roles":["nurse"]}'
bad "empty PATCH" 400 missing_field PATCH "/staff/$BOSS" '{}'
TOKEN=""
bad "sign-in without pin" 400 missing_field POST /sessions \
    '{"username":"boss"}'

# Unknown fields.
TOKEN=$RECEP
bad "unknown top-level field" 400 unknown_field POST /patients \
    "$(mod '.shoe_size = 9')"
bad "unknown field in community_treatment" 400 unknown_field POST /patients \
    "$(mod '.community_treatment.route = "oral"')"
TOKEN=$ADMIN
bad "unknown field in a staff PATCH" 400 unknown_field PATCH "/staff/$BOSS" \
    '{"is_admin":true}'

# Prison numbers.
TOKEN=$RECEP
for pn in A123BC 1234ABC AA234BC A1234B1 A12345BC "A1234 C" "Ä1234BC"; do
	bad "prison number '$pn'" 400 invalid_prison_number POST /patients \
	    "$(mod ".prison_number = \"$pn\"")"
done
bad "prison number ''" 400 invalid_field POST /patients \
    "$(mod '.prison_number = ""')"

# Dates and times.
for d in 1990-02-30 1990-13-01 90-01-01 1990-1-15 1990-01-15T00:00:00Z; do
	bad "date_of_birth '$d'" 400 invalid_field POST /patients \
	    "$(mod ".date_of_birth = \"$d\"")"
done
for t in 2026-01-01T08:00:00 2026-01-01T25:00:00Z 2026-01-01 \
    "2026-01-01 08:00:00Z" 2026-01-01T08:00:60Z 2026-01-01T08:00:00+24:00; do
	bad "arrived_at '$t'" 400 invalid_field POST /patients \
	    "$(mod ".arrived_at = \"$t\"")"
done
bad "last_dose_at without an offset" 400 invalid_field POST /patients \
    "$(mod '.community_treatment.last_dose_at = "2026-01-01T08:00:00"')"

# Clinical plausibility.
bad "arrival in the future" 422 arrival_in_future POST /patients \
    "$(mod ".arrived_at = \"$FUTURE\"")"
bad "date_of_birth in the future" 422 date_of_birth_in_future POST /patients \
    "$(mod '.date_of_birth = "2999-01-01"')"
bad "aged 5 on arrival" 422 implausible_age POST /patients \
    "$(mod ".date_of_birth = \"$(printf '%s' "$NOW" | cut -c1-4 |
    awk '{ print $1 - 5 }')-01-01\"")"
bad "community last dose in the future" 422 last_dose_in_future \
    POST /patients "$(mod ".community_treatment.last_dose_at = \"$FUTURE\"")"

# Quantities.
bad "dose with 4 decimals" 400 invalid_field POST /patients \
    "$(mod '.community_treatment.dose = 30.1234')"
bad "negative dose" 400 invalid_field POST /patients \
    "$(mod '.community_treatment.dose = -5')"
bad "dose 1e300" 400 invalid_field POST /patients \
    "$(mod '.community_treatment.dose = 1e300')"

# Text.
bad "given_name with a control character" 400 invalid_field POST /patients \
    "$(mod '.given_name = "S\u0007m"')"
bad "given_name only spaces" 400 invalid_field POST /patients \
    "$(mod '.given_name = "   "')"
bad "given_name of 101 characters" 400 invalid_field POST /patients \
    "$(mod '.given_name = ("x" * 101)')"

# The HTTP edge.
head -c 70000 /dev/zero | tr '\0' ' ' >"$T/big.json"
printf '%s\n' "$B" >>"$T/big.json"
bad "body over http.max_body_bytes" 413 body_too_large POST /patients \
    "@$T/big.json"
bad "20 kB header" 400 bad_request GET /patients "" \
    -H "X-Padding: $(head -c 20000 /dev/zero | tr '\0' a)"
rawbad "Content-Type text/plain" 415 unsupported_media_type POST /patients \
    -H "Authorization: Bearer $RECEP" -H 'Content-Type: text/plain' \
    --data-binary "$B"
rawbad "no Content-Type (form encoding)" 415 unsupported_media_type \
    POST /patients -H "Authorization: Bearer $RECEP" --data-binary "$B"
rawbad "Content-Type application/jsonp" 415 unsupported_media_type \
    POST /patients -H "Authorization: Bearer $RECEP" \
    -H 'Content-Type: application/jsonp' --data-binary "$B"
bad "unknown route" 404 not_found GET /prisoners
bad "unknown route outside /v1" 404 not_found GET /../health
bad "DELETE /v1/staff" 405 method_not_allowed DELETE /staff
bad "POST /v1/health" 405 method_not_allowed POST /health '{}'
bad "OPTIONS (not implemented)" 501 method_not_implemented OPTIONS /patients "$B"
bad "GET with a body" 400 unexpected_body GET /patients '{}'
bad "?status=bogus" 400 invalid_query GET '/patients?status=bogus'
# A query parameter the route does not take is refused, never ignored
# (before, ?prison_number= answered with every patient); a NUL (%00) is
# refused, never read as the end of the value; so is a second value.
bad "?prison_number= not a prison number" 400 invalid_query \
    GET '/patients?prison_number=A482'
jqout .error.message | grep -q prison_number ||
    fail "the refusal does not name prison_number: $BODY_OUT"
bad "?staus= (misspelt)" 400 invalid_query GET '/patients?staus=released'
bad "?status=released%00x (a NUL)" 400 invalid_query \
    GET '/patients?status=released%00x'
jqout .error.message | grep -q '^status holds a NUL' ||
    fail "the refusal does not name status: $BODY_OUT"
bad "?status=%00 (only a NUL)" 400 invalid_query GET '/patients?status=%00'
bad "a NUL in a parameter's name" 400 invalid_query \
    GET '/patients?status%00=released'
bad "?status= twice" 400 invalid_query \
    GET '/patients?status=released&status=in_custody'
bad "?x= where no parameter is taken" 400 invalid_query GET '/health?x=1'
bad "?x= on a stream" 400 invalid_query GET '/alerts/stream?x=1'
bad "?x= on a write, refused before its body" 400 invalid_query \
    POST '/patients?x=1' '{}'
TOKEN=$ADMIN
bad "audit ?limit=0" 400 invalid_query GET '/audit?limit=0'
bad "audit ?after=x" 400 invalid_query GET '/audit?after=x'

# Who is calling.
TOKEN=""
bad "no token" 401 unauthenticated GET /patients
TOKEN=garbage
bad "garbage token" 401 unauthenticated GET /patients
TOKEN=$(printf '%s' "$ADMIN" | tr 'a-zA-Z0-9' 'b-zA-Z0-9a')
bad "a well-formed token never issued" 401 unauthenticated GET /patients
TOKEN=""
rawbad "Basic authorization" 401 unauthenticated GET /patients \
    -H 'Authorization: Basic Ym9zczo0MjQyNDI='
TOKEN=$OLD_TOKEN
bad "token idle 31 minutes" 401 session_expired GET /patients
TOKEN=$NURSE
bad "nurse registering an arrival" 403 forbidden POST /patients "$B"
bad "nurse listing staff" 403 forbidden GET /staff
TOKEN=$RECEP
bad "reception reading the audit" 403 forbidden GET /audit

# Idempotency keys.
bad "Idempotency-Key not a UUID" 400 invalid_idempotency_key POST /patients \
    "$B" -H 'Idempotency-Key: not-a-uuid'
bad "Idempotency-Key with junk after a UUID" 400 invalid_idempotency_key \
    POST /patients "$B" \
    -H 'Idempotency-Key: 0b7e6bde-6b1c-4a55-9a63-4e0c8e9f0a11x'

# Records that do not exist, or conflict.
bad "unknown patient id" 404 not_found GET \
    /patients/0b7e6bde-6b1c-4a55-9a63-4e0c8e9f0a11
bad "non-UUID patient id" 404 not_found GET /patients/A1234BC
TOKEN=$ADMIN
bad "unknown staff id" 404 not_found PATCH \
    /staff/0b7e6bde-6b1c-4a55-9a63-4e0c8e9f0a11 '{"active":false}'
TOKEN=$RECEP
bad "prison number already in custody" 409 duplicate_prison_number \
    POST /patients "$VALID"
bad "same prison number in lower case" 409 duplicate_prison_number \
    POST /patients "$(printf '%s' "$VALID" | jq -c '.prison_number = "a1234bc"')"
TOKEN=$ADMIN
bad "username taken" 409 username_taken POST /staff \
    '{"username":"nina","display_name":"Nina Two","roles":["nurse"],"pin":"1234"}'
bad "PATCH removing the last admin's role (their own)" 403 own_roles \
    PATCH "/staff/$BOSS" \
    '{"roles":["nurse"]}'
bad "PATCH deactivating the last admin" 422 last_admin PATCH "/staff/$BOSS" \
    '{"active":false}'

# The test clock refuses time travel backwards, and anyone but an admin.
TOKEN=$ADMIN
bad "test clock advance -1" 400 invalid_field POST /test/clock \
    '{"advance_seconds":-1}'
TOKEN=""
bad "test clock signed out" 401 unauthenticated POST /test/clock \
    '{"advance_seconds":60}'
TOKEN=$RECEP
bad "test clock as reception" 403 forbidden POST /test/clock \
    '{"advance_seconds":60}'

AFTER=$(db_fingerprint)
checks=$((checks + 1))
[ "$BEFORE" = "$AFTER" ] || fail "the refused requests changed the database"

# Without --test-clock, /v1/test/clock does not exist.
stop_daemon
start_daemon
bad "test clock without --test-clock" 404 not_found POST /test/clock \
    '{"advance_seconds":60}'
checks=$((checks + 1))
[ "$(db_fingerprint)" = "$BEFORE" ] || fail "the database changed"

# Last, since it would change the database if accepted: more precision
# than a thousandth is refused, never rounded, however large the dose
# (docs/openapi.yaml, Quantity).
TOKEN=$RECEP
bad "dose with 5 decimals (30.00001)" 400 invalid_field POST /patients \
    "$(mod '.community_treatment.dose = 30.00001')"
checks=$((checks + 1))
[ "$(db_fingerprint)" = "$BEFORE" ] || fail "the database changed"

checks=$((checks + 1))
[ "$n" -ge 35 ] || fail "only $n cases"
echo "$n bad inputs refused, database unchanged"
pass
