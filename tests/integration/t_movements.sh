#!/bin/sh
# Court and release mornings over HTTP (issue 6, docs/design.md rule 3), with
# the test clock, in Europe/London: the morning dose moved before the
# escort (margin, earliest time, laid out beyond the horizon, a reducing
# step), the lead-time alert, departure without the dose, doses while
# away counted to the hold, return and the next round, release ending
# prescriptions, observations and clocks, released from court, cancel;
# the court list; the summary and the discharge letter field by field;
# bad input refused with nothing changed; and one morning in BST.
# Last, three regressions: two movements cancelled in turn, a web address
# longer than a line and a long non-ASCII destination in the text.
#
# Winter days are Mon 22 - Sat 27 March 2027 (GMT: local = UTC); the
# clocks go forward on Sun 28 March, so Mon 29 March is BST (UTC+1).
. "$(dirname "$0")/lib.sh"

EXTRA_CONFIG='sessions = { idle_minutes = 1440; };'
init_admin boss 424242
start_daemon --test-clock

. "$(dirname "$0")/roundlib.sh"
. "$(dirname "$0")/unitlib.sh"

# ms INSTANT: milliseconds since the epoch, as the database keeps them.
ms() { echo "$(date -ud "$1" +%s)000"; }

# --- staff, a product and its stock ---------------------------------------
unit_start 2027-03-22T13:30:00Z

# --- helpers --------------------------------------------------------------
NPAT=0
# new_patient FAMILY ARRIVED [STIMULANT_USER [COMMUNITY_TREATMENT_JSON]]:
# sets PAT and PN (the prison number).
new_patient() {
	NPAT=$((NPAT + 1))
	PN=$(printf 'A%04dAA' $NPAT)
	saved=$TOKEN
	TOKEN=$RECEP
	api POST /patients "$(jq -cn --arg pn "$PN" --arg f "$1" \
	    --arg a "$2" --argjson s "${3:-false}" --argjson ct "${4:-null}" \
	    '{prison_number: $pn, given_name: "Jo", family_name: $f,
	    date_of_birth: "1990-01-01", arrived_at: $a, location: "A1",
	    stimulant_user: $s, community_treatment: $ct}')"
	expect_status 201
	PAT=$(jqout .id)
	TOKEN=$saved
}

# prescribe PATIENT DOSE TIMES START [JQ_FILTER]: sets RX.
prescribe() {
	saved=$TOKEN
	TOKEN=$DOC
	api POST /prescriptions "$(jq -cn --arg p "$1" --arg m "${PRODUCT:-$M}" \
	    --argjson d "$2" --argjson t "$3" --arg s "$4" '{patient_id: $p,
	    product_id: $m, regimen: "maintenance", dose: $d, times: $t,
	    start_date: $s}' | jq -c "${5:-.}")"
	expect_status 201
	RX=$(jqout .id)
	TOKEN=$saved
}

# book PATIENT KIND DEPARTS DESTINATION [JQ_FILTER]: as reception;
# sets MV and leaves the answer in BODY_OUT.
book() {
	saved=$TOKEN
	TOKEN=$RECEP
	api POST /movements "$(jq -cn --arg p "$1" --arg k "$2" --arg d "$3" \
	    --arg dest "$4" '{patient_id: $p, kind: $k, departs_at: $d,
	    destination: $dest}' | jq -c "${5:-.}")"
	expect_status 201
	MV=$(jqout .id)
	TOKEN=$saved
}

# find_dose PATIENT DUE_AT: sets DOSE to the patient's dose due then.
find_dose() {
	day=$(TZ=Europe/London date -d "$2" +%F)
	api GET "/doses?date=$day&patient_id=$1"
	expect_status 200
	DOSE=$(jqout ".[] | select(.due_at == \"$2\") | .id")
	[ -n "$DOSE" ] || fail "no dose of $1 due at $2: $BODY_OUT"
}

# day_doses PATIENT DATE: "due_at=dose:state ..." of the patient's doses.
day_doses() {
	api GET "/doses?date=$2&patient_id=$1"
	expect_status 200
	DAY=$(jqout '[.[] | "\(.due_at)=\(.dose):\(.state)"] | join(" ")')
}

# alerts KIND SUBJECT: "severity audience patient acked" of each alert of
# that kind about that subject, as the manager sees them.
alerts() {
	saved=$TOKEN
	TOKEN=$MANAGER
	api GET /alerts
	expect_status 200
	TOKEN=$saved
	ALERTS=$(jqout "[.[] | select(.kind == \"$1\" and .subject_id ==
	    \"$2\") | \"\(.severity) \(.audience) \(.patient_id) \(.acked_at
	    != null)\"] | sort | join(\",\")")
}

# rx_is RX "STATE RUN": the prescription's state and run not taken.
rx_is() {
	saved=$TOKEN
	TOKEN=$DOC
	api GET "/prescriptions/$1"
	expect_status 200
	TOKEN=$saved
	is "prescription $1" '"\(.state) \(.not_taken_run)"' "$2"
}

# count_lead ALERT_SUBJECT: movement_dose_not_given alerts in the table.
count_lead() {
	sql "SELECT count(*) FROM alerts WHERE kind = 'movement_dose_not_given' AND subject_id = '$1'"
}

# ========================================================================
# Monday 22 March 2027 (GMT).  Gray's prescription (08:00 and 14:00)
# starts today; her 14:00 dose is not given: missed, the first of a run.
# ========================================================================
new_patient Gray 2027-03-22T12:00:00Z
PG=$PAT
prescribe "$PG" 60 '["08:00","14:00"]' 2027-03-22
RXG=$RX
clock_to 2027-03-22T16:30:00Z
rx_is "$RXG" "active 1"

# The evening before: tomorrow's court list is booked.
clock_to 2027-03-22T20:00:00Z
sign_all
new_patient Adams 2027-03-22T12:00:00Z
PA=$PAT
prescribe "$PA" 60 '["09:00"]' 2027-03-22
RXA=$RX
new_patient Cole 2027-03-22T12:00:00Z
PC=$PAT
prescribe "$PC" 60 '["08:00"]' 2027-03-23
new_patient Dunn 2027-03-22T12:00:00Z
PD=$PAT
new_patient Evans 2027-03-22T12:00:00Z
PE=$PAT
prescribe "$PE" 60 '["09:00"]' 2027-03-22
RXE=$RX
new_patient Ford 2027-03-22T12:00:00Z
PF=$PAT
prescribe "$PF" 60 '["09:00"]' 2027-03-22 '.regimen = "reducing" |
    .end_date = "2027-04-30" | .steps = [{from_date: "2027-03-25", dose: 40}]'
RXF=$RX
new_patient Hill 2027-03-22T12:00:00Z
PH=$PAT
PNH=$PN
prescribe "$PH" 60 '["08:00","14:00"]' 2027-03-23
RXH=$RX
new_patient King 2027-03-22T12:00:00Z
PK=$PAT
prescribe "$PK" 60 '["12:00"]' 2027-03-23
RXK=$RX
new_patient Lane 2027-03-22T12:00:00Z
PL=$PAT
prescribe "$PL" 60 '["09:00"]' 2027-03-23
# Reid arrives this evening in community treatment (the continuity clocks
# run) and flagged a stimulant user (an observation plan).
new_patient Reid 2027-03-22T19:30:00Z true '{"drug":"Methadone","dose":40,"unit":"ml","prescriber":"Dr Ames, Leeds CDT","last_dose_at":"2027-03-22T08:00:00Z"}'
PR=$PAT
PNR=$PN
prescribe "$PR" 30 '["08:30","20:00"]' 2027-03-23
RXR=$RX
new_patient Xu 2027-03-22T12:00:00Z
PX=$PAT
PNX=$PN
prescribe "$PX" 60 '["08:00"]' 2027-03-23
RXX=$RX
# Moss: methadone at 09:00, and diazepam at 07:00 and 19:00.
new_patient Moss 2027-03-22T12:00:00Z
PM=$PAT
prescribe "$PM" 60 '["09:00"]' 2027-03-22
RXM=$RX
PRODUCT=$Z prescribe "$PM" 5 '["07:00","19:00"]' 2027-03-23
RXMZ=$RX

# --- a 09:00 dose and an 08:30 court escort: due at 08:00 ------------------
book "$PA" court 2027-03-23T08:30:00Z "Cardiff Crown Court"
MA=$MV
is "A: the movement" '"\(.kind) \(.state) \(.patient.id) \(.departs_at) \(.destination) \(.created_by.username) \(.departed_at) \(.returned_at) \(.cancelled_at) \(.follow_up)"' \
    "court planned $PA 2027-03-23T08:30:00Z Cardiff Crown Court rita null null null null"
is "A: one morning dose" '.morning_doses | length' 1
is "A: the morning dose moved to 08:00" \
    '.morning_dose | "\(.due_at) \(.original_due_at) \(.moved) \(.created) \(.dose) \(.state) \(.prescription_id)"' \
    "2027-03-23T08:00:00Z 2027-03-23T09:00:00Z true false 60 scheduled $RXA"
is "A: its window 07:00-10:00" '.morning_dose | "\(.window_start) \(.window_end)"' \
    "2027-03-23T07:00:00Z 2027-03-23T10:00:00Z"
is "A: the ward is told at 07:30 if not given" .lead_alert_at 2027-03-23T07:30:00Z
DA=$(jqout .morning_dose.id)
TOKEN=$NURSE
day_doses "$PA" 2027-03-23
same "A: the round shows one dose, at 08:00" "$DAY" "2027-03-23T08:00:00Z=60:scheduled"
api GET "/movements/$MA"
expect_status 200
is "A: read back" '"\(.id) \(.morning_dose.id) \(.morning_dose.due_at) \(.lead_alert_at)"' \
    "$MA $DA 2027-03-23T08:00:00Z 2027-03-23T07:30:00Z"

# --- an escort at 06:15: the earliest time (06:00) wins; alert at once ----
book "$PC" court 2027-03-23T06:15:00Z "Bristol Crown Court"
MC=$MV
is "C: the morning dose at 06:00, not 05:45" \
    '.morning_dose | "\(.due_at) \(.original_due_at) \(.moved) \(.window_start) \(.window_end)"' \
    "2027-03-23T06:00:00Z 2027-03-23T08:00:00Z true 2027-03-23T05:00:00Z 2027-03-23T08:00:00Z"
# Raised in the booking itself: no waiting for the scheduler.
same "C: the lead alert raised in the booking" "$(count_lead "$MC")" 1
alerts movement_dose_not_given "$MC"
same "C: urgent, to the ward, open" "$ALERTS" "urgent ward $PC false"

# --- no prescription: nothing to prepare ------------------------------------
book "$PD" court 2027-03-23T10:00:00Z "Newport Magistrates"
MD=$MV
is "D: no morning dose" '"\(.morning_dose) \(.morning_doses) \(.lead_alert_at)"' "null [] null"
same "D: no dose created" "$(sql "SELECT count(*) FROM doses WHERE patient_id = '$PD'")" 0

# --- beyond the 48 h horizon: Saturday's dose laid out now, at 08:00 -----
same "E: Saturday not yet laid out" \
    "$(sql "SELECT count(*) FROM doses WHERE prescription_id = '$RXE' AND due_at >= $(ms 2027-03-27T00:00:00Z)")" 0
book "$PE" court 2027-03-27T08:30:00Z "Swansea Crown Court"
ME=$MV
is "E: created at the moved time" \
    '.morning_dose | "\(.due_at) \(.original_due_at) \(.moved) \(.created) \(.dose) \(.state)"' \
    "2027-03-27T08:00:00Z 2027-03-27T09:00:00Z true true 60 scheduled"
DE=$(jqout .morning_dose.id)
same "E: one dose on Saturday" \
    "$(sql "SELECT group_concat(id || '@' || due_at) FROM doses WHERE prescription_id = '$RXE' AND due_at >= $(ms 2027-03-27T00:00:00Z) AND due_at < $(ms 2027-03-28T00:00:00Z)")" \
    "$DE@$(ms 2027-03-27T08:00:00Z)"

# --- a reducing regimen whose step (60 -> 40) falls on the departure day --
book "$PF" court 2027-03-25T08:30:00Z "Cardiff Crown Court"
is "F: the new step's amount, moved" \
    '.morning_dose | "\(.due_at) \(.original_due_at) \(.moved) \(.created) \(.dose)"' \
    "2027-03-25T08:00:00Z 2027-03-25T09:00:00Z true true 40"
TOKEN=$NURSE
day_doses "$PF" 2027-03-24
same "F: the day before is still 60" "$DAY" "2027-03-24T09:00:00Z=60:scheduled"

# --- Gray and Hill: 08:00 and 14:00, court at 09:30 (the dose stays) ------
book "$PG" court 2027-03-23T09:30:00Z "Cardiff Crown Court"
MG=$MV
is "G: the 08:00 dose stays" \
    '"\(.morning_dose.due_at) \(.morning_dose.moved) \(.lead_alert_at)"' \
    "2027-03-23T08:00:00Z false 2027-03-23T08:30:00Z"
book "$PH" court 2027-03-23T09:30:00Z "Cardiff Crown Court"
MH=$MV
DH=$(jqout .morning_dose.id)
book "$PK" court 2027-03-23T09:00:00Z "Leeds Crown Court"
MK=$MV
is "K: the 12:00 dose moved to 08:30" '.morning_dose | "\(.due_at) \(.original_due_at) \(.moved)"' \
    "2027-03-23T08:30:00Z 2027-03-23T12:00:00Z true"
DK=$(jqout .morning_dose.id)

# --- a court trip booked, then vacated: the dose goes back ----------------
book "$PL" court 2027-03-23T08:30:00Z "Cardiff Crown Court"
ML=$MV
DL=$(jqout .morning_dose.id)
is "L: moved to 08:00" '.morning_dose | "\(.due_at) \(.moved)"' "2027-03-23T08:00:00Z true"
TOKEN=$RECEP
api POST "/movements/$ML/cancel" '{"reason":"hearing vacated"}'
expect_status 200
is "L: cancelled" '"\(.state) \(.cancel_reason) \(.cancelled_at | .[0:16]) \(.lead_alert_at)"' \
    "cancelled hearing vacated 2027-03-22T20:00 null"
TOKEN=$NURSE
api GET "/doses/$DL"
expect_status 200
is "L: the dose back at 09:00" '"\(.due_at) \(.window_start) \(.window_end) \(.state)"' \
    "2027-03-23T09:00:00Z 2027-03-23T08:00:00Z 2027-03-23T11:00:00Z scheduled"

# --- Reid's release: 08:30 and 20:00, released at 10:00 -------------------
FOLLOW="Riverside Drug and Alcohol Service, 14 Mill Lane, Leeds: first appointment Wednesday 24 March at 10:00 with keyworker Sam Lee, who has the discharge prescription details; script to restart at 30 ml daily"
book "$PR" release 2027-03-23T10:00:00Z "Riverside Approved Premises" \
    ".follow_up = \"$FOLLOW\""
MR=$MV
is "R: a release with its follow-up" '"\(.kind) \(.state) \(.follow_up)"' "release planned $FOLLOW"
is "R: the 08:30 dose stays" \
    '"\(.morning_dose.due_at) \(.morning_dose.moved) \(.lead_alert_at)"' \
    "2027-03-23T08:30:00Z false 2027-03-23T09:00:00Z"
DR=$(jqout .morning_dose.id)
api GET "/patients/$PR"
expect_status 200
is "R: two clocks running" '[.clocks[] | "\(.kind)=\(.state)"] | sort | join(",")' \
    "keyworker_allocated=running,treatment_continued=running"
is "R: an observation plan" '"\(.observation_plan.running) \(.observation_plan.ended_at)"' "true null"

# Xu has a transfer booked (no court trip may be booked beside it).
book "$PX" transfer 2027-03-24T10:00:00Z "HMP Bristol"
MX=$MV
is "X: a transfer's morning dose" '"\(.kind) \(.morning_dose.due_at) \(.morning_dose.moved) \(.follow_up)"' \
    "transfer 2027-03-24T08:00:00Z false null"
DX=$(jqout .morning_dose.id)

# --- the court list for Tuesday -------------------------------------------
TOKEN=$NURSE
api GET '/movements?date=2027-03-23'
expect_status 200
is "the list in departure order" '[.[] | "\(.patient.family_name) \(.departs_at | .[11:16]) \(.kind) \(.state)"] | join(",")' \
    "Cole 06:15 court planned,Adams 08:30 court planned,Lane 08:30 court cancelled,King 09:00 court planned,Gray 09:30 court planned,Hill 09:30 court planned,Dunn 10:00 court planned,Reid 10:00 release planned"
api GET '/movements?date=2027-03-23&kind=court'
expect_status 200
is "kind=court leaves out the release" '[.[].patient.family_name] | join(",")' \
    "Cole,Adams,Lane,King,Gray,Hill,Dunn"
api GET '/movements?date=2027-03-27'
expect_status 200
is "Saturday's list" '[.[].id] | join(",")' "$ME"
api GET '/movements?date=2027-03-22'
expect_status 200
is "nobody leaves today" 'length' 0
api GET '/movements'
expect_status 200
is "the default is today" 'length' 0

# ========================================================================
# Tuesday 23 March: the morning of the escorts.
# ========================================================================
clock_to 2027-03-23T07:25:00Z
sign_all
same "A: no lead alert before 07:30" "$(count_lead "$MA")" 0
TOKEN=$NURSE
api GET "/doses/$DA"
expect_status 200
is "A: the moved dose is due" .state due
clock_to 2027-03-23T07:31:00Z
wait_sql "SELECT count(*) FROM alerts WHERE kind = 'movement_dose_not_given' AND subject_id = '$MA'" 1
alerts movement_dose_not_given "$MA"
same "A: one urgent ward alert at the lead time" "$ALERTS" "urgent ward $PA false"
api GET /alerts
is "A: raised at 07:31" ".[] | select(.kind == \"movement_dose_not_given\" and .subject_id == \"$MA\") | .raised_at | .[0:16]" \
    "2027-03-23T07:31"
same "L: no lead alert for the cancelled trip" "$(count_lead "$ML")" 0
# The booking told the night staff; the lead time (05:15) tells the
# morning's ward again, the dose still not given.
same "C: told at booking and again at the lead time" "$(count_lead "$MC")" 2
clock_to 2027-03-23T07:50:00Z
same "A: once only" "$(count_lead "$MA")" 1
find_dose "$PM" 2027-03-23T07:00:00Z
DMZ=$DOSE
administer "$DMZ"
expect_status 200

# Hill's dose is given at 08:10, before his lead time (08:30).
clock_to 2027-03-23T08:10:00Z
sign_all
administer "$DH"
expect_status 200
EH=$(jqout .register_entry_id)
ATH=$(jqout .at)
is "H: given by nina, witnessed by cody" '"\(.administered_by.username) \(.witnessed_by.username) \(.dose)"' "nina cody 60"

# --- booked inside the lead time (08:45, lead 07:45 passed): two
# prescriptions, one dose given already, the other moved; alert at once.
book "$PM" court 2027-03-23T08:45:00Z "Leeds Magistrates"
MM=$MV
is "M: both prescriptions' first doses, in time order" \
    '[.morning_doses[] | "\(.prescription_id) \(.due_at) \(.original_due_at) \(.moved) \(.state)"] | join(",")' \
    "$RXMZ 2027-03-23T07:00:00Z 2027-03-23T07:00:00Z false given,$RXM 2027-03-23T08:15:00Z 2027-03-23T09:00:00Z true due"
is "M: morning_dose is the first" .morning_dose.id "$DMZ"
DM=$(jqout .morning_doses[1].id)
alerts movement_dose_not_given "$MM"
same "M: one alert at once (for the dose not given)" "$ALERTS" "urgent ward $PM false"
TOKEN=$NURSE
api POST "/movements/$MM/cancel" '{"reason":"wrong day"}'
expect_status 200
api GET "/doses/$DM"
is "M: cancelled: the methadone back at 09:00, due" '"\(.due_at) \(.window_start) \(.window_end) \(.state)"' \
    "2027-03-23T09:00:00Z 2027-03-23T08:00:00Z 2027-03-23T11:00:00Z due"
api GET "/doses/$DMZ"
is "M: the diazepam still given at 07:00" '"\(.due_at) \(.state)"' "2027-03-23T07:00:00Z given"
TOKEN=$MANAGER
api GET /alerts
is "M: the alert acknowledged by the cancel" \
    ".[] | select(.kind == \"movement_dose_not_given\" and .subject_id == \"$MM\") | \"\(.acked_at != null) \(.ack_note)\"" \
    "true movement cancelled"
clock_to 2027-03-23T08:35:00Z
wait_sql "SELECT count(*) FROM alerts WHERE kind = 'movement_dose_not_given' AND subject_id = '$MG'" 1
wait_sql "SELECT coalesce(lead_alert_at, 0) FROM movements WHERE id = '$MH'" 0
same "H: no lead alert: the dose was given" "$(count_lead "$MH")" 0
alerts movement_dose_not_given "$MG"
same "G: Gray's lead alert (not given)" "$ALERTS" "urgent ward $PG false"

# --- departure without the dose -------------------------------------------
TOKEN=$NURSE
api POST "/movements/$MA/depart" '{"at":"2027-03-23T08:30:00Z"}'
expect_status 200
is "A: departed" '"\(.state) \(.departed_at) \(.departed_by.username) \(.lead_alert_at)"' \
    "departed 2027-03-23T08:30:00Z nina null"
is "A: its morning dose missed" '"\(.morning_dose.id) \(.morning_dose.state)"' "$DA missed"
api GET "/doses/$DA"
is "A: the dose recorded missed" .state missed
same "A: stored missed" "$(sql "SELECT state FROM doses WHERE id = '$DA'")" missed
alerts left_without_dose "$DA"
same "A: left without dose, urgent, to managers" "$ALERTS" "urgent manager $PA false"
TOKEN=$MANAGER
api GET '/alerts?audience=manager'
expect_status 200
is "A: in the managers' list" "[.[] | select(.kind == \"left_without_dose\" and .subject_id == \"$DA\")] | length" 1
api GET '/alerts?audience=ward'
expect_status 200
is "A: not in the ward's list" "[.[] | select(.kind == \"left_without_dose\")] | length" 0
api GET /alerts
is "A: the lead alert acknowledged" \
    ".[] | select(.kind == \"movement_dose_not_given\" and .subject_id == \"$MA\") | \"\(.acked_at != null) \(.ack_note)\"" \
    "true the escort departed"
is "C: another trip's lead alerts still open" \
    "[.[] | select(.kind == \"movement_dose_not_given\" and .subject_id == \"$MC\") | .acked_at] | \"\\(length) \\(all(. == null))\"" "2 true"
rx_is "$RXA" "active 1"

# --- King leaves for court at 09:00 (at: now, with no body) ---------------
clock_to 2027-03-23T09:00:00Z
sign_all
TOKEN=$RECEP
api POST "/movements/$MK/depart"
expect_status 200
is "K: departed now" '"\(.state) \(.departed_at | .[0:16]) \(.departed_by.username)"' \
    "departed 2027-03-23T09:00 rita"
is "K: its morning dose missed" '"\(.morning_dose.id) \(.morning_dose.state)"' "$DK missed"

# --- Gray (dose not given) and Hill (given) leave at 09:30 ----------------
clock_to 2027-03-23T09:32:00Z
TOKEN=$NURSE
api POST "/movements/$MG/depart" '{"at":"2027-03-23T09:30:00Z"}'
expect_status 200
DG=$(jqout .morning_dose.id)
is "G: the 08:00 dose missed" .morning_dose.state missed
alerts left_without_dose "$DG"
same "G: left without dose" "$ALERTS" "urgent manager $PG false"
rx_is "$RXG" "active 2"
TOKEN=$NURSE
api POST "/movements/$MH/depart" '{"at":"2027-03-23T09:30:00Z"}'
expect_status 200
is "H: the morning dose given" .morning_dose.state given
same "H: no left-without-dose alert" \
    "$(sql "SELECT count(*) FROM alerts WHERE kind = 'left_without_dose' AND patient_id = '$PH'")" 0
same "D: no lead alert without a prescription" "$(count_lead "$MD")" 0

# ========================================================================
# Reid is released at 10:00 without his 08:00 dose.
# ========================================================================
clock_to 2027-03-23T10:00:30Z
TOKEN=$NURSE
day_doses "$PR" 2027-03-23
same "R: today's doses before" "$DAY" "2027-03-23T08:30:00Z=30:due 2027-03-23T20:00:00Z=30:scheduled"
same "R: an open observation due" \
    "$(sql "SELECT count(*) FROM observation_dues WHERE patient_id = '$PR' AND state = 'open'")" 1
TOKEN=$RECEP
api POST "/movements/$MR/depart" '{"at":"2027-03-23T10:00:00Z"}'
expect_status 200
is "R: departed" '"\(.state) \(.departed_at) \(.morning_dose.state)"' "departed 2027-03-23T10:00:00Z missed"
alerts left_without_dose "$DR"
same "R: left without dose" "$ALERTS" "urgent manager $PR false"
TOKEN=$DOC
api GET "/prescriptions/$RXR"
expect_status 200
is "R: prescription stopped by the release" '"\(.state) \(.stopped_at) \(.stop_reason)"' \
    "stopped 2027-03-23T10:00:00Z released to Riverside Approved Premises"
same "R: no open doses left" \
    "$(sql "SELECT count(*) FROM doses WHERE patient_id = '$PR' AND state IN ('scheduled', 'due')")" 0
same "R: only the missed dose remains" \
    "$(sql "SELECT group_concat(id || ':' || state) FROM doses WHERE patient_id = '$PR'")" "$DR:missed"
TOKEN=$NURSE
day_doses "$PR" 2027-03-24
same "R: nothing tomorrow" "$DAY" ""
api GET "/patients/$PR"
expect_status 200
is "R: released" .status released
is "R: observation plan ended at departure" \
    '.observation_plan | "\(.ended_at) \(.running) \(.next_due_at)"' \
    "2027-03-23T10:00:00Z false null"
same "R: its open due cancelled" \
    "$(sql "SELECT sum(state = 'cancelled') || ' ' || sum(state = 'open') FROM observation_dues WHERE patient_id = '$PR'")" \
    "1 0"
is "R: both clocks ended" '[.clocks[] | "\(.kind)=\(.state)@\(.ended_at)"] | sort | join(",")' \
    "keyworker_allocated=ended@2027-03-23T10:00:00Z,treatment_continued=ended@2027-03-23T10:00:00Z"
api GET '/clocks?state=ended'
expect_status 200
is "R: listed as ended" "[.[] | select(.patient_id == \"$PR\")] | length" 2
api GET '/clocks?state=running'
expect_status 200
is "R: not running" "[.[] | select(.patient_id == \"$PR\")] | length" 0
TOKEN=$NURSE
api GET "/movements/$MR"
is "R: lead alert acknowledged at departure" .lead_alert_at null
alerts movement_dose_not_given "$MR"
same "R: its 09:00 lead alert, acknowledged" "$ALERTS" "urgent ward $PR true"

# The discharge letter, JSON.
api GET "/movements/$MR/summary"
expect_status 200
is "letter: kind and title" '"\(.kind)|\(.title)"' \
    "discharge_letter|Discharge letter: substance misuse treatment"
is "letter: movement" '"\(.movement.id) \(.movement.kind) \(.movement.state)"' "$MR release departed"
is "letter: patient" '.patient | "\(.prison_number) \(.family_name) \(.given_name) \(.date_of_birth) \(.location) \(.status)"' \
    "$PNR Reid Jo 1990-01-01 A1 released"
is "letter: the prescription the release stopped" \
    '[.prescriptions[] | "\(.id) \(.state) \(.product.name)|\(.product.form)|\(.product.strength) \(.current_dose) \(.regimen) \(.prescriber.display_name) \(.last_dose)"] | join(",")' \
    "$RXR stopped Methadone|oral solution|1mg/ml 30 maintenance Dr Doc null"
is "letter: community treatment" '.community_treatment | "\(.drug) \(.dose) \(.unit)|\(.prescriber)|\(.last_dose_at)"' \
    "Methadone 40 ml|Dr Ames, Leeds CDT|2027-03-22T08:00:00Z"
is "letter: follow-up" .follow_up "$FOLLOW"
is "letter: naloxone line" .naloxone_line true

# field LABEL TEXT: a line of the text as printed (before wrapping).
field() { printf '  %-15s%s' "$1" "$2"; }

# get_text MOVEMENT: the summary as text into $T/text, its wrapped
# continuation lines joined back to their field into $T/joined.
get_text() {
	api GET "/movements/$1/summary" "" -H 'Accept: text/plain'
	expect_status 200
	printf '%s\n' "$BODY_OUT" > "$T/text"
	awk 'NR > 1 && /^                 [^ ]/ { line = line " " substr($0, 18); next }
	    { if (NR > 1) print line; line = $0 } END { print line }' \
	    "$T/text" > "$T/joined"
	checks=$((checks + 1))
	wide=$(LC_ALL=C.UTF-8 awk 'length($0) > 78' "$T/text")
	[ -z "$wide" ] || fail "lines over 78 columns in $1's summary: $wide"
}
# has DESC LINE: the (joined) text has that exact line.
has() {
	checks=$((checks + 1))
	grep -Fxq -- "$2" "$T/joined" || fail "$1: no line '$2' in:
$(cat "$T/text")"
}
# lacks DESC STRING
lacks() {
	checks=$((checks + 1))
	! grep -Fq -- "$2" "$T/text" || fail "$1: '$2' in:
$(cat "$T/text")"
}

get_text "$MR"
same "letter text: the title first" "$(head -1 "$T/text")" "Discharge letter: substance misuse treatment"
has "letter: patient" "$(field Patient "Reid, Jo")"
has "letter: prison number" "$(field "Prison number" "$PNR")"
has "letter: date of birth" "$(field "Date of birth" 1990-01-01)"
has "letter: location" "$(field Location A1)"
has "letter: movement" "$(field Movement "release to Riverside Approved Premises")"
has "letter: departs" "$(field Departs "Tue 23 Mar 10:00 GMT (left Tue 23 Mar 10:00 GMT)")"
has "letter: drug" "$(field Drug Methadone)"
has "letter: form" "$(field Form "oral solution")"
has "letter: strength" "$(field Strength 1mg/ml)"
has "letter: current dose" "$(field "Current dose" "30 ml")"
has "letter: regimen" "$(field Regimen "maintenance, at 08:30, 20:00 daily; from 2027-03-23")"
has "letter: prescriber" "$(field Prescriber "Dr Doc (doc)")"
has "letter: no dose given here" "$(field "Last dose" "none given here")"
has "letter: no hold" "$(field Hold none)"
has "letter: community section" "Community treatment (as reported at reception)"
has "letter: community treatment" "$(field Treatment "Methadone 40 ml")"
has "letter: community prescriber" "$(field Prescriber "Dr Ames, Leeds CDT")"
has "letter: community last dose" "$(field "Last dose" "Mon 22 Mar 08:00 GMT")"
has "letter: follow-up" "$(field Follow-up "$FOLLOW")"
has "letter: naloxone line" "  Naloxone supplied:  [ ] yes  [ ] no   Kit/batch: ______________________"
checks=$((checks + 1))
[ "$(grep -c '^                 [^ ]' "$T/text")" -ge 2 ] ||
    fail "the long follow-up was not wrapped: $(cat "$T/text")"

# --- released from court: King, away at court since 09:00 ----------------
clock_to 2027-03-23T11:00:00Z
TOKEN=$RECEP
book "$PK" release 2027-03-23T11:30:00Z "Leeds Crown Court (released by the court)"
MK2=$MV
is "K: a release booked while away at court: nothing prepared" \
    '"\(.kind) \(.state) \(.morning_dose) \(.lead_alert_at)"' "release planned null null"
clock_to 2027-03-23T11:31:00Z
TOKEN=$RECEP
api POST "/movements/$MK2/depart" '{"at":"2027-03-23T11:30:00Z"}'
expect_status 200
is "K: the release departed" .state departed
api GET "/movements/$MK"
is "K: the court trip ended" '"\(.state) \(.returned_at)"' "ended null"
api GET "/patients/$PK"
is "K: released" .status released
TOKEN=$DOC
api GET "/prescriptions/$RXK"
is "K: prescription stopped" '"\(.state) \(.stopped_at) \(.stop_reason)"' \
    "stopped 2027-03-23T11:30:00Z released to Leeds Crown Court (released by the court)"

# ========================================================================
# Bad input: each refused with its code, and nothing written.
# ========================================================================
sign_all
FP=$(db_fingerprint)
# refused STATUS CODE DESC
refused() {
	if [ -n "$2" ]; then expect_status "$1" "$2"; else expect_status "$1"; fi
	checks=$((checks + 1))
	[ "$(db_fingerprint)" = "$FP" ] || fail "$3 changed the database"
}
# try_book STATUS CODE DESC JQ_FILTER: a booking for Xu, changed by FILTER.
try_book() {
	TOKEN=$RECEP
	api POST /movements "$(jq -cn --arg p "$PX" '{patient_id: $p,
	    kind: "court", departs_at: "2027-03-24T09:00:00Z",
	    destination: "Cardiff Crown Court"}' | jq -c "$4")"
	refused "$1" "$2" "$3"
}
try_book 422 departs_in_past "a departure over an hour ago" '.departs_at = "2027-03-23T10:30:00Z"'
try_book 422 departs_too_far "a departure 15 days ahead" '.departs_at = "2027-04-07T12:00:00Z"'
try_book 400 invalid_field "an unknown kind" '.kind = "holiday"'
try_book 400 missing_field "no destination" 'del(.destination)'
try_book 400 missing_field "no departure" 'del(.departs_at)'
try_book 400 invalid_field "a departure that is no time" '.departs_at = "tomorrow"'
try_book 400 unknown_field "an unknown field" '.escort = "GEOAmey"'
try_book 400 invalid_field "follow_up on a court movement" '.follow_up = "none"'
try_book 422 unknown_patient "an unknown patient" '.patient_id = "00000000-0000-4000-8000-000000000000"'
try_book 409 movement_exists "a court trip beside a booked transfer" .
try_book 409 movement_exists "a second transfer" '.kind = "transfer"'
try_book 409 patient_not_in_custody "a released patient" ".patient_id = \"$PR\""
try_book 409 patient_not_in_custody "a patient released from court" ".patient_id = \"$PK\""
try_book 409 movement_exists "a second court trip" ".patient_id = \"$PE\""
try_book 409 movement_exists "a court trip while away at court" ".patient_id = \"$PH\""
TOKEN=$DOC
api POST /movements "{\"patient_id\":\"$PD\",\"kind\":\"court\",\"departs_at\":\"2027-03-24T09:00:00Z\",\"destination\":\"x\"}"
refused 403 forbidden "a prescriber booking"
api POST "/movements/$MD/depart" '{}'
refused 403 forbidden "a prescriber departing"
TOKEN=$NURSE
api POST "/movements/$ME/return" '{}'
refused 409 not_departed "return without departure"
api POST "/movements/$MR/return" '{}'
refused 409 not_returnable "return of a release"
api POST "/movements/$ML/return" '{}'
refused 409 movement_closed "return of a cancelled trip"
api POST "/movements/$MK/return" '{}'
refused 409 movement_closed "return of a trip ended by release"
api POST "/movements/$MA/return" '{"at":"2027-03-23T08:00:00Z"}'
refused 422 return_before_departure "a return before the departure"
api POST "/movements/$MA/return" '{"at":"2027-03-23T12:00:00Z"}'
refused 422 time_in_future "a return in the future"
api POST "/movements/$MA/return" '{"at":"x"}'
refused 400 invalid_field "a return at no time"
api POST "/movements/$MA/depart" '{}'
refused 409 already_departed "depart twice"
api POST "/movements/$MR/depart" '{}'
refused 409 already_departed "depart a release twice"
api POST "/movements/$ME/depart" '{"at":"2027-03-23T12:35:00Z"}'
refused 422 time_in_future "a departure in the future"
api POST "/movements/$ME/depart" '{"at":"2027-03-23T10:00:00Z"}'
refused 422 time_in_past "a departure beyond the tolerance"
api POST "/movements/$ME/depart" '{"when":"2027-03-23T11:30:00Z"}'
refused 400 unknown_field "depart with an unknown field"
api POST "/movements/$ML/depart" '{}'
refused 409 movement_cancelled "depart a cancelled trip"
api POST "/movements/$MA/cancel" '{"reason":"x"}'
refused 409 already_departed "cancel a departed trip"
api POST "/movements/$ML/cancel" '{"reason":"x"}'
refused 409 movement_cancelled "cancel twice"
api POST "/movements/$MD/cancel" '{}'
refused 400 missing_field "cancel without a reason"
TOKEN=$NURSE	# a summary is not reception's to read
for p in "/movements/00000000-0000-4000-8000-000000000000" \
    "/movements/not-a-uuid" \
    "/movements/00000000-0000-4000-8000-000000000000/summary"; do
	api GET "$p"
	refused 404 not_found "GET $p"
done
api POST "/movements/00000000-0000-4000-8000-000000000000/depart" '{}'
refused 404 not_found "depart an unknown movement"
api GET '/movements?date=garbage'
refused 400 invalid_query "a list for date=garbage"
api GET '/movements?date=2027-02-30'
refused 400 invalid_query "a list for 30 February"
api GET '/movements?kind=boat'
refused 400 invalid_query "a list for kind=boat"
TOKEN=""
api GET /movements
refused 401 "" "a list without a token"

# ========================================================================
# Doses while away: the 14:00 doses of Gray and Hill (at court).
# ========================================================================
clock_to 2027-03-23T13:30:00Z
sign_all
TOKEN=$NURSE
day_doses "$PH" 2027-03-23
same "H: 14:00 shows away" "$DAY" "2027-03-23T08:00:00Z=60:given 2027-03-23T14:00:00Z=60:away"
find_dose "$PH" 2027-03-23T14:00:00Z
DH14=$DOSE
find_dose "$PG" 2027-03-23T14:00:00Z
DG14=$DOSE
FP=$(db_fingerprint)
administer "$DH14"
refused 409 patient_away "giving a dose while away"
api POST "/doses/$DH14/refuse" '{"reason":"x"}'
refused 409 patient_away "refusing a dose while away"
api POST "/doses/$DH14/withhold" '{"reason":"x"}'
refused 409 patient_away "withholding a dose while away"
api GET '/doses?date=2027-03-23&state=away'
is "?state=away lists them" "[.[] | select(.id == \"$DH14\" or .id == \"$DG14\")] | length" 2
clock_to 2027-03-23T16:30:00Z
sign_all
TOKEN=$NURSE
same "the 14:00 doses recorded away" \
    "$(sql "SELECT group_concat(state) FROM doses WHERE id IN ('$DH14', '$DG14')")" "away,away"
api GET "/doses/$DH14"
is "H: away" .state away
same "no missed-dose alert for an away dose" \
    "$(sql "SELECT count(*) FROM alerts WHERE kind = 'dose_missed' AND subject_id IN ('$DH14', '$DG14')")" 0
same "but there are missed-dose alerts (Gray's Monday dose)" \
    "$(sql "SELECT count(*) FROM alerts WHERE kind = 'dose_missed' AND patient_id = '$PG'")" 1
rx_is "$RXH" "active 1"
# Gray: missed Monday 14:00, missed at departure, away at 14:00: held.
rx_is "$RXG" "held 3"
HELD_AT=$(jqout .held_at)
alerts prescription_held "$RXG"
same "G: the hold's alerts" "$ALERTS" "urgent manager $PG false,urgent prescriber $PG false"

# The summary of a held prescription.
TOKEN=$NURSE
api GET "/movements/$MG/summary"
expect_status 200
is "G summary: held" '.prescriptions[0] | "\(.id) \(.state) \(.held_at) \(.not_taken_run) \(.last_dose)"' \
    "$RXG held $HELD_AT 3 null"
get_text "$MG"
has "G text: the hold" "$(field Hold "HELD FOR REVIEW since $(TZ=Europe/London date -d "$HELD_AT" '+%a %d %b %H:%M %Z') after 3 doses not taken: no dose until a prescriber reviews it")"

# ========================================================================
# Back at 17:00; the prescription summary of Hill's trip.
# ========================================================================
clock_to 2027-03-23T17:05:00Z
TOKEN=$RECEP
for mv in "$MH" "$MG" "$MA"; do
	api POST "/movements/$mv/return" '{"at":"2027-03-23T17:00:00Z"}'
	expect_status 200
	is "returned" '"\(.state) \(.returned_at)"' "returned 2027-03-23T17:00:00Z"
done
api POST "/movements/$MH/return" '{}'
expect_status 409 already_returned
TOKEN=$NURSE
api GET "/doses/$DH14"
is "H: the 14:00 dose stays away after the return" .state away

TOKEN=$NURSE
api GET "/movements/$MH/summary"
expect_status 200
is "summary: kind and title" '"\(.kind)|\(.title)"' \
    "prescription_summary|Prescription summary for the escort record"
is "summary: movement" '"\(.movement.id) \(.movement.state) \(.movement.departed_at) \(.movement.returned_at)"' \
    "$MH returned 2027-03-23T09:30:00Z 2027-03-23T17:00:00Z"
is "summary: patient" '.patient | "\(.prison_number) \(.family_name) \(.date_of_birth)"' "$PNH Hill 1990-01-01"
is "summary: one prescription" '.prescriptions | length' 1
is "summary: product" '.prescriptions[0].product | "\(.name)|\(.form)|\(.strength)|\(.unit)"' \
    "Methadone|oral solution|1mg/ml|ml"
is "summary: current dose, regimen, times" '.prescriptions[0] | "\(.id) \(.current_dose) \(.regimen) \(.times | join("+")) \(.held_at) \(.state)"' \
    "$RXH 60 maintenance 08:00+14:00 null active"
is "summary: prescriber" '.prescriptions[0].prescriber | "\(.display_name) \(.username)"' "Dr Doc doc"
is "summary: last dose given" '.prescriptions[0].last_dose | "\(.dose_id) \(.given_at) \(.due_at) \(.dose) \(.unit)"' \
    "$DH $ATH 2027-03-23T08:00:00Z 60 ml"
is "summary: both signatories" '.prescriptions[0].last_dose | "\(.administered_by.username) \(.administered_by.display_name) \(.witnessed_by.username) \(.witnessed_by.display_name)"' \
    "nina Nina Nurse cody Cody Competent"
is "summary: register entry" .prescriptions[0].last_dose.register_entry_id "$EH"
is "summary: no letter parts" '"\(.community_treatment) \(.follow_up) \(.naloxone_line)"' "null null false"
api GET "/register/$M"
expect_status 200
is "the register entry of that administration" \
    ".entries[] | select(.dose_id == \"$DH\") | \"\(.id) \(.kind) \(.quantity) \(.by.username) \(.witness.username) \(.at)\"" \
    "$EH administration -60 nina cody $ATH"
same "register_entries has it" \
    "$(sql "SELECT count(*) FROM register_entries WHERE id = '$EH' AND dose_id = '$DH' AND kind = 'administration'")" 1

get_text "$MH"
same "summary text: the title first" "$(head -1 "$T/text")" "Prescription summary for the escort record"
has "text: patient" "$(field Patient "Hill, Jo")"
has "text: prison number" "$(field "Prison number" "$PNH")"
has "text: date of birth" "$(field "Date of birth" 1990-01-01)"
has "text: location" "$(field Location A1)"
has "text: movement" "$(field Movement "court to Cardiff Crown Court")"
has "text: departs" "$(field Departs "Tue 23 Mar 09:30 GMT (left Tue 23 Mar 09:30 GMT)")"
has "text: drug" "$(field Drug Methadone)"
has "text: form" "$(field Form "oral solution")"
has "text: strength" "$(field Strength 1mg/ml)"
has "text: current dose" "$(field "Current dose" "60 ml")"
has "text: regimen" "$(field Regimen "maintenance, at 08:00, 14:00 daily; from 2027-03-23")"
has "text: prescriber" "$(field Prescriber "Dr Doc (doc)")"
has "text: last dose, both signatories, in the register (no internal id)" \
    "$(field "Last dose" "60 ml given Tue 23 Mar 08:10 GMT, by Nina Nurse (nina), witnessed by Cody Competent (cody); in the CD register")"
has "text: today's dose given" \
    "$(field Today "today's dose given Tue 23 Mar 08:10 GMT")"
has "text: hold" "$(field Hold none)"
lacks "a court summary has no community section" "Community treatment"
lacks "a court summary has no follow-up" "Follow-up"
lacks "a court summary has no naloxone line" "Naloxone"

# ========================================================================
# Wednesday: Hill's 08:00 dose is an ordinary one again.
# ========================================================================
clock_to 2027-03-24T08:30:00Z
sign_all
TOKEN=$NURSE
day_doses "$PH" 2027-03-24
same "H: Wednesday's doses normal" "$DAY" "2027-03-24T08:00:00Z=60:due 2027-03-24T14:00:00Z=60:scheduled"
find_dose "$PH" 2027-03-24T08:00:00Z
administer "$DOSE"
expect_status 200
is "H: given with a witness" '"\(.administered_by.username) \(.witnessed_by.username)"' "nina cody"
rx_is "$RXH" "active 0"
administer "$DX"
expect_status 200
EX=$(jqout .register_entry_id)
ATX=$(jqout .at)

# Dunn, still booked for yesterday's court, is released: the court
# booking is cancelled.
book "$PD" release 2027-03-24T09:00:00Z "Newport Probation Office"
MD2=$MV
clock_to 2027-03-24T09:00:30Z
TOKEN=$RECEP
api POST "/movements/$MD2/depart" '{"at":"2027-03-24T09:00:00Z"}'
expect_status 200
api GET "/movements/$MD"
is "D: the booked court trip cancelled by the release" '"\(.state) \(.cancel_reason) \(.cancelled_at | .[0:16])"' \
    "cancelled released 2027-03-24T09:00"
TOKEN=$NURSE	# the letter is clinical: not reception's to read
api GET "/movements/$MD2/summary"
expect_status 200
is "D letter: nothing in force, nothing reported" '"\(.kind) \(.prescriptions) \(.community_treatment) \(.follow_up) \(.naloxone_line)"' \
    "discharge_letter [] null null true"
get_text "$MD2"
has "D letter: no prescriptions" "  none"
has "D letter: no community treatment" "$(field Treatment "none reported")"
has "D letter: no follow-up recorded" "$(field Follow-up "none recorded: arrange with the community service")"
has "D letter: naloxone line" "  Naloxone supplied:  [ ] yes  [ ] no   Kit/batch: ______________________"

# Xu, given his dose at 08:30, is transferred at 10:00.
clock_to 2027-03-24T10:00:30Z
TOKEN=$RECEP
api POST "/movements/$MX/depart" '{"at":"2027-03-24T10:00:00Z"}'
expect_status 200
is "X: departed, the dose given" '"\(.state) \(.morning_dose.state)"' "departed given"
same "X: no left-without-dose alert" \
    "$(sql "SELECT count(*) FROM alerts WHERE kind = 'left_without_dose' AND patient_id = '$PX'")" 0
same "X: no lead alert" "$(count_lead "$MX")" 0
api GET "/patients/$PX"
is "X: transferred" .status transferred
TOKEN=$DOC
api GET "/prescriptions/$RXX"
is "X: prescription stopped" '"\(.state) \(.stopped_at) \(.stop_reason)"' \
    "stopped 2027-03-24T10:00:00Z transferred to HMP Bristol"
api GET "/movements/$MX/summary"
expect_status 200
is "X summary: a prescription summary" '"\(.kind) \(.community_treatment) \(.follow_up) \(.naloxone_line)"' \
    "prescription_summary null null false"
is "X summary: the prescription the transfer stopped, its last dose" \
    '.prescriptions[] | "\(.id) \(.state) \(.last_dose.dose_id) \(.last_dose.given_at) \(.last_dose.register_entry_id)"' \
    "$RXX stopped $DX $ATX $EX"
get_text "$MX"
has "X text: movement" "$(field Movement "transfer to HMP Bristol")"
has "X text: patient" "$(field "Prison number" "$PNX")"
has "X text: last dose" \
    "$(field "Last dose" "60 ml given Wed 24 Mar 08:30 GMT, by Nina Nurse (nina), witnessed by Cody Competent (cody); in the CD register")"
lacks "X text: no naloxone line" "Naloxone"
# Reid's clocks, ended, neither warn nor breach after his release.
same "R: no clock alert after the release" \
    "$(sql "SELECT count(*) FROM alerts WHERE patient_id = '$PR' AND kind LIKE 'clock%' AND raised_at > $(ms 2027-03-23T10:00:00Z)")" 0

# ========================================================================
# Thursday and Saturday: the doses laid out ahead are the only ones.
# ========================================================================
clock_to 2027-03-25T07:00:00Z
sign_all
same "F: Thursday's one dose, 40 at 08:00" \
    "$(sql "SELECT group_concat(due_at || '=' || amount) FROM doses WHERE prescription_id = '$RXF' AND due_at >= $(ms 2027-03-25T00:00:00Z) AND due_at < $(ms 2027-03-26T00:00:00Z)")" \
    "$(ms 2027-03-25T08:00:00Z)=40000"
clock_to 2027-03-27T07:00:00Z
sign_all
wait_sql "SELECT generated_until >= $(ms 2027-03-29T00:00:00Z) FROM prescriptions WHERE id = '$RXE'" 1
same "E: one dose each day, Saturday's at 08:00" \
    "$(sql "SELECT group_concat(strftime('%Y-%m-%dT%H:%M', due_at / 1000, 'unixepoch'), ' ') FROM (SELECT due_at FROM doses WHERE prescription_id = '$RXE' AND due_at >= $(ms 2027-03-23T00:00:00Z) AND due_at < $(ms 2027-03-29T00:00:00Z) ORDER BY due_at)")" \
    "2027-03-23T09:00 2027-03-24T09:00 2027-03-25T09:00 2027-03-26T09:00 2027-03-27T08:00 2027-03-28T08:00"
TOKEN=$NURSE
api GET "/movements/$ME"
is "E: the morning dose is the one laid out on Monday" '"\(.morning_dose.id) \(.morning_dose.due_at)"' \
    "$DE 2027-03-27T08:00:00Z"

# ========================================================================
# British Summer Time: Monday 29 March (UTC+1), booked on Saturday.
# ========================================================================
clock_to 2027-03-27T20:00:00Z
sign_all
new_patient Shaw 2027-03-27T12:00:00Z
PS=$PAT
prescribe "$PS" 60 '["09:00"]' 2027-03-27
new_patient Stone 2027-03-27T12:00:00Z
PS2=$PAT
prescribe "$PS2" 60 '["08:00"]' 2027-03-28
new_patient Swift 2027-03-27T12:00:00Z
PS3=$PAT
# 08:30 BST, written with its offset.
book "$PS" court 2027-03-29T08:30:00+01:00 "Cardiff Crown Court"
MS=$MV
is "BST: departs_at in UTC" .departs_at 2027-03-29T07:30:00Z
is "BST: 09:00 BST moved to 08:00 BST" \
    '.morning_dose | "\(.due_at) \(.original_due_at) \(.moved) \(.created) \(.window_start) \(.window_end)"' \
    "2027-03-29T07:00:00Z 2027-03-29T08:00:00Z true false 2027-03-29T06:00:00Z 2027-03-29T09:00:00Z"
is "BST: lead alert at 07:30 BST" .lead_alert_at 2027-03-29T06:30:00Z
book "$PS2" court 2027-03-29T05:15:00Z "Bristol Crown Court"
MS2=$MV
is "BST: 06:15 BST escort, dose at 06:00 BST" '.morning_dose | "\(.due_at) \(.original_due_at)"' \
    "2027-03-29T05:00:00Z 2027-03-29T07:00:00Z"
same "BST: alert at once" "$(count_lead "$MS2")" 1
book "$PS3" court 2027-03-28T23:30:00Z "Night court"
MS3=$MV
# Every other day from Sunday: Monday is not a dose day.
new_patient Nash 2027-03-27T12:00:00Z
PN2=$PAT
prescribe "$PN2" 60 '["09:00"]' 2027-03-28 '.every_days = 2'
book "$PN2" court 2027-03-29T08:00:00Z "Cardiff Crown Court"
MN=$MV
is "N: not a dose day: nothing prepared" '"\(.morning_dose) \(.morning_doses) \(.lead_alert_at)"' "null [] null"
TOKEN=$NURSE
api GET '/movements?date=2027-03-29'
expect_status 200
is "BST: Monday's list by local date" '[.[].id] | join(",")' "$MS3,$MS2,$MS,$MN"
api GET '/movements?date=2027-03-28'
expect_status 200
is "BST: 23:30 UTC on Sunday is Monday" 'length' 0
get_text "$MS"
has "BST: the summary in local time" "$(field Departs "Mon 29 Mar 08:30 BST")"
clock_to 2027-03-29T06:25:00Z
sign_all
same "BST: no lead alert at 07:25 BST" "$(count_lead "$MS")" 0
clock_to 2027-03-29T06:31:00Z
wait_sql "SELECT count(*) FROM alerts WHERE kind = 'movement_dose_not_given' AND subject_id = '$MS'" 1
checks=$((checks + 1))

sign_in mona 8888
api GET /audit/verify
is "audit chain intact" .ok true

# ========================================================================
# Regressions.
# ========================================================================
# bug DESC: fail a regression check.
bug() { fail "$1"; }
sign_all

# A release booked beside a court trip the same day finds the dose where
# the court trip put it (08:00); when both are cancelled the dose is back
# at its prescribed 09:00: the release's cancel leaves it alone, since it
# did not move it.
new_patient Ward 2027-03-29T05:00:00Z
PW=$PAT
prescribe "$PW" 60 '["09:00"]' 2027-03-29
book "$PW" court 2027-03-30T08:30:00+01:00 "Cardiff Crown Court"
MW=$MV
DW=$(jqout .morning_dose.id)
is "W: moved to 08:00 BST" .morning_dose.due_at 2027-03-30T07:00:00Z
book "$PW" release 2027-03-30T10:00:00+01:00 "Home"
MW2=$MV
TOKEN=$NURSE	# who reads the doses after (reception does not)
api POST "/movements/$MW/cancel" '{"reason":"hearing vacated"}'
expect_status 200
api GET "/doses/$DW"
is "W: back at 09:00 BST after the court's cancel" .due_at 2027-03-30T08:00:00Z
api POST "/movements/$MW2/cancel" '{"reason":"release date recalculated"}'
expect_status 200
api GET "/doses/$DW"
checks=$((checks + 1))
[ "$(jqout '"\(.due_at) \(.window_start)"')" = "2027-03-30T08:00:00Z 2027-03-30T07:00:00Z" ] ||
    bug "cancelling the release moved the dose from its prescribed 09:00 BST to $(jqout .due_at) (want 2027-03-30T08:00:00Z)"

# The text is 78 columns, even with a word longer than a line (a web
# address in the follow-up), which is broken where the line ends.
TOKEN=$RECEP
URL="https://riverside-das.example.nhs.uk/referrals/community-pharmacy-restart-form?ref=A0001AA"
book "$PS3" release 2027-03-31T10:00:00+01:00 "Riverside Approved Premises" \
    ".follow_up = \"Refer with the form at $URL before the first appointment\""
MS4=$MV
TOKEN=$NURSE
api GET "/movements/$MS4/summary" "" -H 'Accept: text/plain'
expect_status 200
checks=$((checks + 1))
wide=$(printf '%s\n' "$BODY_OUT" | LC_ALL=C.UTF-8 awk 'length($0) > 78')
[ -z "$wide" ] || bug "summary lines over 78 columns with a long follow-up word: $wide"
checks=$((checks + 1))
printf '%s' "$BODY_OUT" | tr -d ' \n' | grep -Fq "$URL" ||
    bug "the web address in the follow-up is not all in the letter"

# A destination of 200 characters (the most the API takes) of three-byte
# UTF-8 is in the text whole, and the text is valid UTF-8.
new_patient Tran 2027-03-29T05:00:00Z
PT=$PAT
DEST=$(printf '%s' "$(printf '\346\235\261%.0s' $(seq 200))")
book "$PT" court 2027-03-30T10:00:00+01:00 "$DEST"
MT=$MV
is "T: the destination kept whole" '.destination | length' 200
TOKEN=$NURSE
api GET "/movements/$MT/summary" "" -H 'Accept: text/plain'
expect_status 200
checks=$((checks + 1))
iconv -f UTF-8 -t UTF-8 "$T/out" >/dev/null 2>&1 ||
    bug "the summary text of a movement to a 200-character non-ASCII destination is not valid UTF-8"
checks=$((checks + 1))
tr -d ' \n' < "$T/out" | grep -Fq "$DEST" ||
    bug "the 200-character destination is not all in the summary text"

# The daemon still stops cleanly (under AddressSanitizer: no leak).
stop_daemon
pass
