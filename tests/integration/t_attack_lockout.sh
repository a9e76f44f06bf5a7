#!/bin/sh
# The lockout attack of issue 16, replayed: fifteen wrong PINs each for
# the nurse and both witnesses from a source with no enrolled terminal
# used to lock all three out of the round for 15 minutes.  Now the
# guesses lock the guesser's place only (and throttle it, 429 with
# Retry-After), so the nurse and a witness at the ward's enrolled
# terminal still sign a dose off; the source is in the log and the audit.
# Guesses spread over three terminals lock the account everywhere, end
# its sessions and alert the managers.
. "$(dirname "$0")/lib.sh"

EXTRA_CONFIG='sessions = { idle_minutes = 1440; };'
init_admin boss 424242
start_daemon --test-clock
. "$(dirname "$0")/roundlib.sh"

set_clock '{"now":"2027-01-11T08:30:00Z"}'
expect_status 200
sign_in boss 424242
ADMIN=$TOKEN
add_staff nina "Nina Nurse" '["nurse"]' 1111
add_staff carl "Carl Competent" '["competent"]' 3333
add_staff priya "Priya Pharmacist" '["pharmacist"]' 4444
add_staff doc "Dr Doc" '["prescriber"]' 5555
add_staff rita "Rita Reception" '["reception"]' 6666
add_staff mona "Mona Manager" '["manager"]' 8888

# enrol NAME: sets CRED and TID.
enrol() {
	TOKEN=$ADMIN
	TERMINAL=""
	api POST /terminals "{\"name\":\"$1\",\"location\":\"healthcare\"}"
	expect_status 201
	CRED=$(jqout .credential)
	TID=$(jqout .id)
}
enrol ward-1
WARD=$CRED
WARD_ID=$TID

# A patient due a dose of methadone at 08:00, and stock (as before the
# attack: the pharmacist's receipt, witnessed by carl).
sign_in priya 4444
api POST /products '{"name":"Methadone","form":"oral solution","strength":"1mg/ml","unit":"ml"}'
expect_status 201
M=$(jqout .id)
api POST "/register/$M/receipts" '{"quantity":500,"supplier":"Alliance","reference":"INV-1","witness":{"username":"carl","pin":"3333"}}'
expect_status 201
sign_in rita 6666
for n in 1 2; do
	api POST /patients "{\"prison_number\":\"A000${n}AA\",\"given_name\":\"Jo\",\"family_name\":\"Case\",\"date_of_birth\":\"1990-01-01\",\"arrived_at\":\"2027-01-11T07:00:00Z\",\"location\":\"A1\",\"stimulant_user\":false,\"community_treatment\":null}"
	expect_status 201
	eval "P$n=\$(jqout .id)"
done
sign_in doc 5555
for p in "$P1" "$P2"; do
	api POST /prescriptions "{\"patient_id\":\"$p\",\"product_id\":\"$M\",\"regimen\":\"maintenance\",\"dose\":30,\"times\":[\"08:00\"],\"start_date\":\"2027-01-11\"}"
	expect_status 201
done
settle

# --- the attack: 15 wrong PINs each, from an unenrolled source ----------
TOKEN=""
TERMINAL=""
: >"$T/statuses"
for who in nina carl priya; do
	i=0
	while [ $i -lt 15 ]; do
		api POST /sessions "{\"username\":\"$who\",\"pin\":\"0000\"}" \
		    -D "$T/head"
		code=$(jqout .error.code)
		echo "$who $STATUS $code" >>"$T/statuses"
		if [ "$STATUS" = 429 ]; then
			grep -qi '^Retry-After: [1-9]' "$T/head" ||
			    fail "a 429 without Retry-After: $(cat "$T/head")"
			THROTTLED=1
		fi
		i=$((i + 1))
	done
done
checks=$((checks + 1))
[ "$(grep -c ' 201 ' "$T/statuses")" = 0 ] || fail "a wrong PIN signed in"
grep -q "nina 403 account_locked" "$T/statuses" ||
    fail "the guesser's place was not locked for nina: $(cat "$T/statuses")"
[ -n "${THROTTLED:-}" ] ||
    fail "45 wrong PINs from one place were never throttled: $(cat "$T/statuses")"
# Throttled, not every guess was even looked at.
[ "$(sql "SELECT count(*) FROM audit WHERE action = 'staff.pin_failed'")" -lt 45 ] ||
    fail "every guess was looked at"

# The source is in the log and in the audit.
checks=$((checks + 1))
grep -q "PIN for nina from 127.0.0.1, no terminal: wrong PIN" "$T/daemon.log" ||
    fail "the log does not say where the wrong PINs came from"
[ "$(sql "SELECT json_extract(detail, '$.source') FROM audit WHERE action = 'staff.pin_failed' LIMIT 1")" = 127.0.0.1 ] ||
    fail "the audit does not say where the wrong PINs came from"

# --- the round goes on at the ward's terminal ------------------------------
TERMINAL=$WARD
sign_in nina 1111
NURSE=$TOKEN
grep -q "PIN for nina from 127.0.0.1, terminal $WARD_ID: signed in" \
    "$T/daemon.log" || fail "the sign-in's log line does not name the terminal"
[ "$(sql "SELECT json_extract(detail, '$.terminal') FROM audit WHERE action = 'session.create' ORDER BY seq DESC LIMIT 1")" = "$WARD_ID" ] ||
    fail "the sign-in's audit entry does not name the terminal"
api GET "/doses?patient_id=$P1&state=due"
expect_status 200
D1=$(jqout '.[0].id')
api GET "/doses?patient_id=$P2&state=due"
D2=$(jqout '.[0].id')
api POST "/doses/$D1/administer" "$(with_cautions "$D1" '{"witness":{"username":"carl","pin":"3333"}}')"
expect_status 200
[ "$(jqout .witnessed_by.username)" = carl ] || fail "the dose witnessed by carl: $BODY_OUT"
api POST "/doses/$D2/administer" "$(with_cautions "$D2" '{"witness":{"username":"priya","pin":"4444"}}')"
expect_status 200
checks=$((checks + 1))
[ "$(sql "SELECT count(*) FROM doses WHERE state = 'given'")" = 2 ] ||
    fail "the two doses were not signed off"

# The guesser's place is still locked for them.
TERMINAL=""
TOKEN=""
api POST /sessions '{"username":"nina","pin":"1111"}'
[ "$STATUS" = 403 ] || [ "$STATUS" = 429 ] ||
    fail "the guesser's place was not still locked: $STATUS $BODY_OUT"

# --- guesses spread over three terminals lock the account everywhere -----
TERMINAL=$WARD
sign_in carl 3333
CARL=$TOKEN
for n in 1 2 3; do
	enrol "stolen-$n"
	TERMINAL=$CRED
	TOKEN=""
	for i in 1 2 3 4 5; do
		api POST /sessions '{"username":"carl","pin":"0000"}'
	done
	expect_status 403 account_locked
done
checks=$((checks + 1))
printf '%s' "$BODY_OUT" | grep -q everywhere ||
    fail "the third place did not lock carl everywhere: $BODY_OUT"
TERMINAL=$WARD
TOKEN=""
api POST /sessions '{"username":"carl","pin":"3333"}'
expect_status 403 account_locked
# His session at the ward's terminal has ended.
TOKEN=$CARL
api GET /patients
checks=$((checks + 1))
[ "$STATUS" = 401 ] ||
    fail "the lock everywhere did not end carl's session: $STATUS $BODY_OUT"
expect_status 401 unauthenticated
# The managers are told, once.
sign_in mona 8888
api GET /alerts
expect_status 200
checks=$((checks + 1))
[ "$(jqout '[.[] | select(.kind == "account_locked" and .audience == "manager")] | length')" = 1 ] ||
    fail "the managers were not alerted once: $BODY_OUT"
jqout '.[] | select(.kind == "account_locked") | .message' | grep -q carl ||
    fail "the alert does not name carl"
# A witness locked everywhere is not authenticated, whatever the PIN.
TOKEN=$NURSE
settle
api POST "/register/$M/checks" '{"counted":440,"witness":{"username":"carl","pin":"3333"}}'
expect_status 422 witness_not_authenticated

# An admin's unlock lifts the lock everywhere and at every place.
TOKEN=$ADMIN
TERMINAL=""
CARL_ID=$(sql "SELECT id FROM staff WHERE username = 'carl'")
api PATCH "/staff/$CARL_ID" '{"unlock":true}'
expect_status 200
checks=$((checks + 1))
[ "$(sql "SELECT count(*) FROM pin_failures WHERE staff_id = '$CARL_ID'")" = 0 ] ||
    fail "the unlock left carl locked at a place"
TERMINAL=$WARD
sign_in carl 3333
pass
