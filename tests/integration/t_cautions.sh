#!/bin/sh
# Cautions at the point of administration (issue 15), replayed over HTTP
# with the test clock in Europe/London (summer time): a patient who
# scored NEWS2 13 with new confusion in the evening is offered his first
# methadone dose in custody the next morning, with nothing known of his
# treatment outside.
#
# - GET /v1/doses/{id} and the round list carry the dose's cautions in
#   words: news2_high, not_alert, first_dose_in_custody,
#   community_dose_unknown;
# - giving it without confirming each, confirming only some, confirming
#   all without a note: 409 cautions_unconfirmed with the list; a caution
#   the dose does not have: 409 caution_not_present; a code that is no
#   caution: 400; each before the witness's PIN (a wrong one is not
#   counted) and writing nothing;
# - refusing or withholding a dose needs no confirmation;
# - confirmed each with a note: given, the confirmed cautions stored on
#   the dose (never changed) and in the audit;
# - the second dose, the next day, has none; a higher third dose has
#   dose_increased; the patient back from court that day has
#   returned_today; an observation struck out raises none, and a dose
#   recorded in error is not the last given.
. "$(dirname "$0")/lib.sh"

EXTRA_CONFIG='sessions = { idle_minutes = 1440; };'
init_admin boss 424242
start_daemon --test-clock
. "$(dirname "$0")/roundlib.sh"
. "$(dirname "$0")/unitlib.sh"

unit_start 2027-06-14T17:30:00Z

# arrive NUMBER: a patient at 18:00 BST, no community treatment recorded;
# sets PAT.
arrive() {
	TOKEN=$RECEP
	api POST /patients "$(jq -cn --arg pn "$1" '{prison_number: $pn,
	    given_name: "Dan", family_name: "Drew", date_of_birth: "1990-01-01",
	    arrived_at: "2027-06-14T17:00:00Z", location: "A1-01",
	    stimulant_user: true, community_treatment: null}')"
	expect_status 201
	PAT=$(jqout .id)
	TOKEN=$DOC
	api POST /prescriptions "$(jq -cn --arg p "$PAT" --arg m "$M" \
	    '{patient_id: $p, product_id: $m, regimen: "maintenance", dose: 30,
	    times: ["08:00"], start_date: "2027-06-15"}')"
	expect_status 201
	RX=$(jqout .id)
}
# dose_of PATIENT DATE: sets DOSE to the patient's 08:00 dose that day.
dose_of() {
	TOKEN=$NURSE
	api GET "/doses?date=$2&patient_id=$1"
	expect_status 200
	DOSE=$(jqout '.[0].id')
}
# give DOSE BODY_MEMBERS: administer as the nurse, cody witnessing with
# PIN (default his right one), with more members of the body.
give() {
	TOKEN=$NURSE
	api POST "/doses/$1/administer" \
	    "{\"witness\":{\"username\":\"cody\",\"pin\":\"${PIN:-3333}\"}$2}"
}
fp() { table_fingerprint doses register_entries dose_cautions audit; }

arrive A1001AA
DAN=$PAT
DAN_RX=$RX
arrive B2002BB
ED=$PAT

# 22:00 BST: NEWS2 13 with new confusion.  Breathing 25 (3), SpO2 91 (3),
# systolic 95 (2), pulse 115 (2), new confusion (3).
set_clock '{"now":"2027-06-14T21:00:00Z"}'
TOKEN=$NURSE
api POST /observations "{\"patient_id\":\"$DAN\",\
\"taken_at\":\"2027-06-14T21:00:00Z\",\"respiratory_rate\":25,\"spo2\":91,\
\"spo2_scale\":1,\"on_oxygen\":false,\"systolic_bp\":95,\"pulse\":115,\
\"consciousness\":\"C\",\"temperature\":37.0}"
expect_status 201
is "the observation scored 13" .news2.total 13

# 08:10 BST the next morning: his first dose is due.
set_clock '{"now":"2027-06-15T07:10:00Z"}'
settle
sign_all
dose_of "$DAN" 2027-06-15
api GET "/doses/$DOSE"
expect_status 200
is "the dose is due" .state due
is "its cautions" '[(.cautions // [])[].code] | join(",")' \
    "news2_high,not_alert,first_dose_in_custody,community_dose_unknown"
is "news2_high in words" '.cautions[0].message' \
    "NEWS2 scored 13 at Mon 14 Jun 22:00 BST, with a single parameter \
scoring 3, within the last 24 hours: the patient may be unwell or sedated"
is "not_alert in words" '.cautions[1].message' \
    "at the latest observation, Mon 14 Jun 22:00 BST, the patient was \
newly confused (C on ACVPU), not alert"
is "first_dose_in_custody in words" '.cautions[2].message' \
    "this is the first dose in custody: none has been given since arrival \
on Mon 14 Jun 18:00 BST"
is "community_dose_unknown in words" '.cautions[3].message' \
    "reception recorded no community treatment: the dose and when it was \
last taken outside are not known"
api GET "/doses?date=2027-06-15"
is "the round list carries them" \
    "[.[] | select(.id == \"$DOSE\") | .cautions[].code] | length" 4

# --- blocked until each is confirmed with a note, before the PIN -----------
api GET "/products/$M"
BAL0=$(jqout .balance)
FP0=$(fp)
PIN=0000 give "$DOSE" ''
expect_status 409 cautions_unconfirmed
is "the refusal lists every caution" '[.error.cautions[].code] | join(",")' \
    "news2_high,not_alert,first_dose_in_custody,community_dose_unknown"
is "with its words" \
    '.error.cautions[2].message | startswith("this is the first dose")' true
same "the wrong PIN was not counted: the cautions are checked first" \
    "$(sql "SELECT count(*) FROM pin_failures f JOIN staff s ON
    s.id = f.staff_id WHERE s.username = 'cody'")" 0
TWO='"confirm_cautions":["news2_high","not_alert"]'
give "$DOSE" ",$TWO,\"note\":\"seen by Dr Doc: alert now, safe to give\""
expect_status 409 cautions_unconfirmed
is "the ones not confirmed named" .error.message "this dose has cautions \
to consider before it is given; not yet confirmed: first_dose_in_custody, \
community_dose_unknown"
CODES='"news2_high","not_alert","first_dose_in_custody","community_dose_unknown"'
ALL="\"confirm_cautions\":[$CODES]"
give "$DOSE" ",$ALL"
expect_status 409 cautions_unconfirmed
is "a note is needed" '.error.message | startswith("a note is needed")' true
give "$DOSE" ",$ALL,\"note\":\"\""
expect_status 400 invalid_field
give "$DOSE" ",\"confirm_cautions\":[$CODES,\"returned_today\"],\"note\":\"x\""
expect_status 409 caution_not_present
is "the caution it lacks named" '.error.message | contains("returned_today")' true
give "$DOSE" ',"confirm_cautions":["sleepy"],"note":"x"'
expect_status 400 invalid_field
give "$DOSE" ',"confirm_cautions":"news2_high","note":"x"'
expect_status 400 invalid_field
give "$DOSE" ',"confirm_cautions":[1],"note":"x"'
expect_status 400 invalid_field
same "nothing written by the refusals" "$(fp)" "$FP0"
api GET "/doses/$DOSE"
is "still due" .state due

# Refusing or withholding gives no opioid: nothing to confirm.
dose_of "$ED" 2027-06-15
EDDOSE=$DOSE
api GET "/doses/$EDDOSE"
is "Ed's dose has cautions too" '.cautions | length > 0' true
api POST "/doses/$EDDOSE/withhold" '{"reason":"drowsy at the hatch"}'
expect_status 200
is "withheld without confirming" .state withheld

# --- confirmed, with a note: given -------------------------------------------
dose_of "$DAN" 2027-06-15
give "$DOSE" ",$ALL,\"note\":\"reviewed by Dr Doc at 08:05: alert, NEWS2 2 now\""
expect_status 200
is "given" '.cautions_confirmed | map(.code) | join(",")' \
    "news2_high,not_alert,first_dose_in_custody,community_dose_unknown"
api GET "/products/$M"
same "the register moved by the dose" "$(jqout .balance)" \
    "$(jq -n "$BAL0 - 30")"
api GET "/doses/$DOSE"
is "the dose keeps the cautions confirmed" '[.cautions[].code] | join(",")' \
    "news2_high,not_alert,first_dose_in_custody,community_dose_unknown"
is "in the words shown" '.cautions[0].message | startswith("NEWS2 scored 13")' true
is "with the note" .note "reviewed by Dr Doc at 08:05: alert, NEWS2 2 now"
same "stored on the dose, by the nurse" "$(sql "SELECT count(*) || ' ' || \
min(s.username) FROM dose_cautions c JOIN staff s ON s.id = c.confirmed_by \
WHERE c.dose_id = '$DOSE'")" "4 nina"
same "and in the audit" "$(sql "SELECT json_array_length(detail, \
'\$.cautions_confirmed') FROM audit WHERE action = 'dose.administer' \
AND record_id = '$DOSE'")" 4
checks=$((checks + 1))
! sql "UPDATE dose_cautions SET message = 'x'" 2>/dev/null ||
    fail "a confirmed caution was changed"
checks=$((checks + 1))
! sql "DELETE FROM dose_cautions" 2>/dev/null ||
    fail "a confirmed caution was deleted"

# --- the next days ---------------------------------------------------------
# The second dose, after a quiet night: no caution.
set_clock '{"now":"2027-06-16T07:10:00Z"}'
settle
sign_all
TOKEN=$NURSE
api POST /observations "{\"patient_id\":\"$DAN\",\
\"taken_at\":\"2027-06-16T06:00:00Z\",\"respiratory_rate\":16,\"spo2\":97,\
\"spo2_scale\":1,\"on_oxygen\":false,\"systolic_bp\":120,\"pulse\":70,\
\"consciousness\":\"A\",\"temperature\":37.0}"
expect_status 201
dose_of "$DAN" 2027-06-16
api GET "/doses/$DOSE"
is "the second dose has no caution" '.cautions | length' 0
DAN16=$DOSE

# An observation struck out (entered in error) raises no caution.
api POST /observations "{\"patient_id\":\"$ED\",\
\"taken_at\":\"2027-06-16T06:30:00Z\",\"respiratory_rate\":25,\"spo2\":91,\
\"spo2_scale\":1,\"on_oxygen\":false,\"systolic_bp\":95,\"pulse\":115,\
\"consciousness\":\"V\",\"temperature\":37.0}"
expect_status 201
EDOBS=$(jqout .id)
dose_of "$ED" 2027-06-16
EDDOSE=$DOSE
api GET "/doses/$EDDOSE"
is "Ed's cautions with the observation" '[.cautions[].code] | join(",")' \
    "news2_high,not_alert,first_dose_in_custody,community_dose_unknown"
api POST "/observations/$EDOBS/entered-in-error" \
    '{"reason":"another patient'"'"'s readings"}'
expect_status 200
api GET "/doses/$EDDOSE"
is "and with it struck out" '[.cautions[].code] | join(",")' \
    "first_dose_in_custody,community_dose_unknown"
DOSE=$DAN16
give "$DOSE" ''
expect_status 200
is "given with nothing to confirm" '.cautions_confirmed | length' 0

# A higher dose on a day back from court.
TOKEN=$DOC
api POST "/prescriptions/$DAN_RX/stop" '{"reason":"dose going up"}'
expect_status 200
TOKEN=$RECEP
api POST /movements "{\"patient_id\":\"$DAN\",\"kind\":\"court\",\
\"departs_at\":\"2027-06-16T08:00:00Z\",\"destination\":\"Leeds Crown Court\"}"
expect_status 201
MOVE=$(jqout .id)
set_clock '{"now":"2027-06-16T08:00:00Z"}'
api POST "/movements/$MOVE/depart" '{}'
expect_status 200
set_clock '{"now":"2027-06-16T15:00:00Z"}'
api POST "/movements/$MOVE/return" '{}'
expect_status 200
sign_all
TOKEN=$DOC
api POST /prescriptions "$(jq -cn --arg p "$DAN" --arg m "$M" \
    '{patient_id: $p, product_id: $m, regimen: "maintenance", dose: 40,
    times: ["18:00"], start_date: "2027-06-16"}')"
expect_status 201
set_clock '{"now":"2027-06-16T16:30:00Z"}'
settle
sign_all
TOKEN=$NURSE
api GET "/doses?date=2027-06-16&patient_id=$DAN&state=due"
is "the 18:00 dose" '.[0].due_at' 2027-06-16T17:00:00Z
is "its cautions" '[.[0].cautions[].code] | join(",")' \
    "dose_increased,returned_today"
is "dose_increased in words" '.[0].cautions[0].message' "this dose, 40 ml, \
is more than the last one given, 30 ml on Wed 16 Jun 08:10 BST"
is "returned_today in words" '.[0].cautions[1].message' "back from court \
today, Wed 16 Jun 16:00 BST: ask what was taken while away, and look for \
signs of intoxication"
D18=$(jqout '.[0].id')

# A dose recorded in error is no dose given: the one before it is the
# last given.
api POST "/doses/$DAN16/entered-in-error" \
    '{"reason":"recorded against the wrong dose","witness":{"username":"cody","pin":"3333"}}'
expect_status 200
api GET "/doses/$D18"
is "the last given is the day before's" '.cautions[0].message' "this dose, \
40 ml, is more than the last one given, 30 ml on Tue 15 Jun 08:10 BST"

pass
