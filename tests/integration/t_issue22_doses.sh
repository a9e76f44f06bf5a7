#!/bin/sh
# Issue 22's two dose defects, replayed over HTTP with the test clock in
# Europe/London and the documented defaults (a window from an hour before
# the round time to two hours after).
#
# 1. A dose withheld before a court escort left must not be given while
#    the patient is away: the departure records it missed, and signing it
#    while away is 409 patient_away, with nothing written.
# 2. The spring-forward night (Sun 28 March 2027): round times a window
#    apart on the clock face (00:30 and 03:30) are two hours apart in
#    instants that night, so the prescription is refused; and the
#    given_this_round safety net counts a dose of the same prescription
#    (one laid out before the check, its windows overlapping).
# On the way, a dose due at 00:30 is on the round of the day before too.
. "$(dirname "$0")/lib.sh"

EXTRA_CONFIG='sessions = { idle_minutes = 1440; };'
init_admin boss 424242
start_daemon --test-clock

. "$(dirname "$0")/roundlib.sh"

# is DESC FILTER WANT: jq FILTER of the last answer is WANT.
is() {
	checks=$((checks + 1))
	got=$(jqout "$2")
	[ "$got" = "$3" ] || fail "$1: expected '$3', got '$got': $BODY_OUT"
}

# --- staff and stock -------------------------------------------------------
clock_to 2027-03-26T12:00:00Z
sign_in boss 424242
staff() {
	add_staff "$1" "$2" "$3" "$4"
}
staff nina "Nina Nurse" '["nurse"]' 1111
staff cody "Cody Competent" '["competent"]' 3333
staff phil "Phil Pharmacist" '["pharmacist"]' 4444
staff doc "Dr Doc" '["prescriber"]' 5555
staff rita "Rita Reception" '["reception"]' 6666

# sign_all: fresh tokens (after the clock has moved on a day, the old
# ones have expired).
sign_all() {
	sign_in doc 5555
	DOC=$TOKEN
	sign_in rita 6666
	RECEP=$TOKEN
	sign_in nina 1111
	NURSE=$TOKEN
}
sign_all
sign_in phil 4444
api POST /products '{"name":"Methadone","form":"oral solution","strength":"1mg/ml","unit":"ml"}'
expect_status 201
M=$(jqout .id)
api POST "/register/$M/receipts" '{"quantity":5000,"supplier":"Alliance","reference":"INV-1","witness":{"username":"cody","pin":"3333"}}'
expect_status 201

NPAT=0
# new_patient ARRIVED: sets PAT.
new_patient() {
	NPAT=$((NPAT + 1))
	TOKEN=$RECEP
	api POST /patients "$(jq -cn --arg pn "$(printf 'A%04dAA' $NPAT)" \
	    --arg a "$1" '{prison_number: $pn, given_name: "Jo",
	    family_name: "Case", date_of_birth: "1990-01-01", arrived_at: $a,
	    location: "A1", stimulant_user: false,
	    community_treatment: null}')"
	expect_status 201
	PAT=$(jqout .id)
}

# rx_body PATIENT TIMES START: a maintenance prescription of 60 ml.
rx_body() {
	jq -cn --arg p "$1" --arg m "$M" --argjson t "$2" --arg s "$3" \
	    '{patient_id: $p, product_id: $m, regimen: "maintenance",
	    dose: 60, times: $t, start_date: $s}'
}

# find_dose PATIENT DUE_AT: sets DOSE to the patient's dose due then.
find_dose() {
	api GET "/doses?date=$(TZ=Europe/London date -d "$2" +%F)&patient_id=$1"
	expect_status 200
	DOSE=$(jqout ".[] | select(.due_at == \"$2\") | .id")
	[ -n "$DOSE" ] || fail "no dose of $1 due at $2: $BODY_OUT"
}

# administer DOSE: as the nurse, witnessed by cody.
administer() {
	TOKEN=$NURSE
	api POST "/doses/$1/administer" "$(with_cautions "$1" \
	    '{"witness":{"username":"cody","pin":"3333"}}')"
}

fp() { table_fingerprint doses register_entries prescriptions alerts; }

# give_refused DOSE STATUS CODE DESC: giving DOSE is refused so, and
# nothing is written.
give_refused() {
	FP=$(fp)
	administer "$1"
	expect_status "$2" "$3"
	checks=$((checks + 1))
	[ "$(fp)" = "$FP" ] || fail "$4 changed the records"
}

# ==========================================================================
# Defect 2, the rule: 00:30 and 03:30 are three hours apart on the clock
# face, but at 00:30 and 02:30 UTC on 28 March 2027: refused.
# ==========================================================================
new_patient 2027-03-26T09:00:00Z
P2=$PAT
TOKEN=$DOC
api POST /prescriptions "$(rx_body "$P2" '["00:30","03:30"]' 2027-03-27)"
expect_status 422 round_times_too_close
api POST /prescriptions "$(rx_body "$P2" '["00:30","03:30"]' 2027-03-29)"
expect_status 422 round_times_too_close	# the night comes within a year
api POST /prescriptions "$(rx_body "$P2" '["00:30","03:30"]' 2027-03-27 |
    jq -c '.end_date = "2027-03-27"')"
expect_status 201			# ends before the night

# ==========================================================================
# Defect 2, the safety net: a prescription at 00:30 and 06:30 whose 06:30
# dose of 28 March is put back to 03:30 BST (02:30 UTC), as one laid out
# before the rule above would be.  At 01:45Z both are due; the first is
# given, the second (the same prescription) refused.
# ==========================================================================
new_patient 2027-03-26T09:00:00Z
P3=$PAT
TOKEN=$DOC
api POST /prescriptions "$(rx_body "$P3" '["00:30","06:30"]' 2027-03-27)"
expect_status 201
clock_to 2027-03-27T12:00:00Z
sign_all
find_dose "$P3" 2027-03-28T05:30:00Z
sql "UPDATE doses SET due_at = $(date -ud 2027-03-28T02:30:00Z +%s)000,
    window_start = $(date -ud 2027-03-28T01:30:00Z +%s)000,
    window_end = $(date -ud 2027-03-28T04:30:00Z +%s)000 WHERE id = '$DOSE'"
LATE=$DOSE
find_dose "$P3" 2027-03-28T00:30:00Z
EARLY=$DOSE
# As documented: its window opens at 23:30 on the 27th, so the 27th's
# round lists it too.
api GET "/doses?date=2027-03-27&patient_id=$P3"
is "the 00:30 dose on the day before" \
    "[.[] | select(.id == \"$EARLY\")] | length" 1
clock_to 2027-03-28T01:45:00Z
sign_all
api GET "/doses?date=2027-03-28&patient_id=$P3&state=due"
expect_status 200
is "both due at 01:45Z" 'length' 2
administer "$EARLY"
expect_status 200
clock_to 2027-03-28T03:00:00Z
sign_all
give_refused "$LATE" 409 given_this_round "a second dose in one round"

# ==========================================================================
# Defect 1: a prescription at 07:00 BST (06:00Z); a court escort at 06:40Z
# on Wed 7 April keeps the dose at 06:00Z.  Withheld at 06:05Z, the
# escort departs at 06:40Z: the dose is recorded missed, and at 07:10Z,
# still in its window, it cannot be given to a patient who is not here.
# ==========================================================================
clock_to 2027-04-06T12:00:00Z
sign_all
new_patient 2027-04-06T09:00:00Z
P1=$PAT
TOKEN=$DOC
api POST /prescriptions "$(rx_body "$P1" '["07:00"]' 2027-04-06)"
expect_status 201
TOKEN=$RECEP
api POST /movements "$(jq -cn --arg p "$P1" '{patient_id: $p,
    kind: "court", departs_at: "2027-04-07T06:40:00Z",
    destination: "Cardiff Crown Court"}')"
expect_status 201
MV=$(jqout .id)
is "the morning dose stays at 06:00Z" .morning_dose.due_at \
    2027-04-07T06:00:00Z
DOSE=$(jqout .morning_dose.id)
clock_to 2027-04-07T06:05:00Z
sign_all
api POST "/doses/$DOSE/withhold" '{"reason":"drowsy at the hatch"}'
expect_status 200
clock_to 2027-04-07T06:40:00Z
sign_all
TOKEN=$RECEP
api POST "/movements/$MV/depart"
expect_status 200
is "the withheld dose is missed at departure" .morning_dose.state missed
clock_to 2027-04-07T07:10:00Z
sign_all
give_refused "$DOSE" 409 patient_away "a dose given while away"
api GET "/doses/$DOSE"
is "still missed, not given" .state missed

pass
