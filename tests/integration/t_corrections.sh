#!/bin/sh
# Corrections, never deletions (issue 15), with the test clock on a
# winter day (GMT: local = UTC): a patient moved cell, their name and date
# of birth corrected with reasons and the history shown; an observation
# struck out, the plan's next due recomputed and the report not counting
# it; a given dose entered in error with a witness and the register
# balance restored; a test arrival ended as entered in error.  Each bad
# input is refused with its own code and changes nothing.
. "$(dirname "$0")/lib.sh"

EXTRA_CONFIG='sessions = { idle_minutes = 1440; };'
init_admin boss 424242
start_daemon --test-clock

. "$(dirname "$0")/roundlib.sh"
. "$(dirname "$0")/unitlib.sh"

# refused STATUS CODE DESC: the last answer was STATUS with error CODE,
# and the database is as it was before (FP).
refused() {
	checks=$((checks + 1))
	expect_status "$1"
	[ "$(jqout .error.code)" = "$2" ] ||
	    fail "$3: expected $2, got $BODY_OUT"
	[ "$(db_fingerprint)" = "$FP" ] || fail "$3: the refusal changed data"
}

# api_as TOKEN METHOD PATH [BODY]: api with that token.
api_as() {
	TOKEN=$1
	shift
	api "$@"
}

unit_start 2027-01-20T07:30:00Z

# --- a stimulant user in treatment, and a test arrival -----------------------
TOKEN=$RECEP
api POST /patients '{"prison_number":"A1000AA","given_name":"Jon",
    "family_name":"Smyth","date_of_birth":"1990-01-02",
    "arrived_at":"2027-01-20T07:00:00Z","location":"A1",
    "stimulant_user":true,"community_treatment":{"drug":"methadone",
    "dose":30,"unit":"mg","prescriber":"Dr Community"}}'
expect_status 201
PAT=$(jqout .id)
api POST /patients '{"prison_number":"T9999ZZ","given_name":"Test",
    "family_name":"Arrival","date_of_birth":"1980-05-05",
    "arrived_at":"2027-01-20T07:10:00Z","location":"A9",
    "stimulant_user":true,"community_treatment":{"drug":"methadone",
    "dose":40,"unit":"mg","prescriber":"Dr Test"}}'
expect_status 201
TEST=$(jqout .id)

# --- the patient's record corrected, field by field --------------------------
api PATCH "/patients/$PAT" '{"location":"B2-14","reason":"moved cell"}'
expect_status 200
is "moved cell" .location B2-14
api PATCH "/patients/$PAT" '{"family_name":"Smith",
    "date_of_birth":"1990-02-01","nhs_number":"943 476 5919",
    "reason":"spelling and date checked against his licence"}'
expect_status 200
is "name corrected" .family_name Smith
is "date of birth corrected" .date_of_birth 1990-02-01
is "NHS number, spaces dropped" .nhs_number 9434765919
is "the rest unchanged" '.given_name + " " + .location' "Jon B2-14"
api GET "/patients/$PAT/history"
expect_status 200
is "history: each field changed" '[.changes[].field] | join(",")' \
    location,family_name,date_of_birth,nhs_number
is "history: from, to" '.changes[1] | .from + ">" + .to' "Smyth>Smith"
is "history: the reason" .changes[2].reason \
    "spelling and date checked against his licence"
is "history: who" .changes[0].by.username rita
is "history: no NHS number before" '.changes[3].from' null
api_as "$MANAGER" GET "/audit?limit=1000"
is "audited with its reason" \
    "[.[] | select(.record_id == \"$PAT\" and
    .action == \"patient.correct\") | .detail.reason] | join(\";\")" \
    "moved cell;spelling and date checked against his licence"

# The community treatment heard at reception, corrected and then taken
# away: the history keeps each as it was.
TOKEN=$RECEP
api PATCH "/patients/$PAT" '{"community_treatment":{"drug":"methadone",
    "dose":35,"unit":"mg","prescriber":"Dr Community"},
    "reason":"the community prescriber rang: 35 mg"}'
expect_status 200
is "community dose corrected" .community_treatment.dose 35
api PATCH "/patients/$PAT" '{"community_treatment":null,
    "reason":"treatment had ended last month"}'
expect_status 200
is "no longer in treatment" .flags.in_community_treatment false
api GET "/patients/$PAT/history"
is "history: the dose before and after" \
    '[.changes[] | select(.field == "community_treatment")][0] |
    (.from | fromjson | .dose | tostring) + ">" + (.to | fromjson | .dose |
    tostring)' "30>35"
is "history: treatment taken away" \
    '[.changes[] | select(.field == "community_treatment")][1].to' null

# The same through idtsctl: patient edit (by prison number) and history.
ctl() {
	IDTS_SERVER="http://127.0.0.1:$PORT" IDTS_TOKEN=$RECEP \
	    TZ=Europe/London \
	    "$IDTSCTL" "$@" >"$T/ctl.out" 2>"$T/ctl.err" </dev/null
}
checks=$((checks + 1))
ctl patient edit A1000AA --location B2-15 --reason "cell flooded" ||
    fail "idtsctl patient edit: $(cat "$T/ctl.err")"
grep -q "A1000AA Smith, Jon: corrected; born 1990-02-01, at B2-15" \
    "$T/ctl.out" || fail "idtsctl patient edit printed: $(cat "$T/ctl.out")"
checks=$((checks + 1))
ctl patient history A1000AA || fail "idtsctl patient history failed"
grep -q "location *B2-14 *B2-15 *cell flooded" "$T/ctl.out" ||
    fail "idtsctl patient history printed: $(cat "$T/ctl.out")"
grep -q "Wed 20 Jan 07:30 GMT *rita *family_name *Smyth *Smith" "$T/ctl.out" ||
    fail "idtsctl patient history printed: $(cat "$T/ctl.out")"
checks=$((checks + 1))
if ctl patient edit A1000AA --location B2-16; then
	fail "idtsctl patient edit without --reason succeeded"
fi
grep -q "needs --reason" "$T/ctl.err" || fail "no reason: $(cat "$T/ctl.err")"

# Bad corrections change nothing.
FP=$(db_fingerprint)
TOKEN=$RECEP
api PATCH "/patients/$PAT" '{"location":"C1"}'
refused 400 missing_field "a correction without a reason"
api PATCH "/patients/$PAT" '{"location":"C1","reason":"  "}'
refused 400 invalid_field "a blank reason"
api PATCH "/patients/$PAT" '{"nhs_number":"9434765918","reason":"typo"}'
refused 400 invalid_nhs_number "an NHS number failing its check digit"
api PATCH "/patients/$PAT" '{"date_of_birth":"2030-01-01","reason":"x"}'
refused 422 date_of_birth_in_future "a date of birth in the future"
api PATCH "/patients/$PAT" '{"date_of_birth":"2015-01-01","reason":"x"}'
refused 422 implausible_age "a date of birth giving an age of 12"
api PATCH "/patients/$PAT" '{"date_of_birth":"1990-02-30","reason":"x"}'
refused 400 invalid_field "a date that is no date"
api PATCH "/patients/$PAT" '{"location":"B2-15","reason":"again"}'
refused 422 nothing_changed "a correction changing nothing"
api PATCH "/patients/$PAT" '{"prison_number":"B1000AA","reason":"x"}'
refused 400 unknown_field "the prison number is not corrected"
api_as "$DOC" PATCH "/patients/$PAT" '{"location":"C1","reason":"x"}'
refused 403 forbidden "a prescriber correcting a record"

# --- an observation struck out ---------------------------------------------
# 07:35 scores 0 (the 07:00 due met late, next 11:35); at 07:50 one typed
# wrong scores 7 (meets 11:35 early, next 08:20) and raises an emergency.
# Struck out at 07:55, before the emergency escalates: 11:35 is due
# again, and the alert is settled.
clock_to 2027-01-20T07:36:00Z
NORMAL='{"respiratory_rate":16,"spo2":97,"spo2_scale":1,"on_oxygen":false,
    "systolic_bp":120,"pulse":70,"consciousness":"A","temperature":37.0}'
api_as "$NURSE" POST /observations "$(printf '%s' "$NORMAL" | jq -c \
    --arg p "$PAT" '. + {patient_id: $p, taken_at: "2027-01-20T07:35:00Z"}')"
expect_status 201
is "first observation: next due" .next_due_at 2027-01-20T11:35:00Z
api_as "$NURSE" POST /observations "$(printf '%s' "$NORMAL" | jq -c \
    --arg p "$TEST" '. + {patient_id: $p, taken_at: "2027-01-20T07:36:00Z"}')"
expect_status 201
clock_to 2027-01-20T07:51:00Z
api_as "$NURSE" POST /observations "$(printf '%s' "$NORMAL" | jq -c \
    --arg p "$PAT" '. + {patient_id: $p, taken_at: "2027-01-20T07:50:00Z",
    respiratory_rate: 25, spo2: 93, pulse: 115}')"
expect_status 201
WRONG=$(jqout .id)
is "the wrong observation: next due sooner" .next_due_at \
    2027-01-20T08:20:00Z
api_as "$MANAGER" GET '/reports/observations?from=2027-01-20&to=2027-01-20'
is "report before: two met on time or late" \
    '[.patients[] | select(.patient.prison_number == "A1000AA")
    | .totals.on_time + .totals.late] | add' 2
is "report before: the test arrival counted" \
    '[.patients[] | select(.patient.prison_number == "T9999ZZ")] | length' 1
clock_to 2027-01-20T07:55:00Z
FP=$(db_fingerprint)
api_as "$NURSE" POST "/observations/$WRONG/entered-in-error" '{}'
refused 400 missing_field "a strike-out without a reason"
api_as "$RECEP" POST "/observations/$WRONG/entered-in-error" \
    '{"reason":"typed into the wrong record"}'
refused 403 forbidden "reception striking an observation out"
api_as "$NURSE" POST \
    /observations/00000000-0000-4000-8000-000000000000/entered-in-error \
    '{"reason":"x"}'
refused 404 not_found "an observation that is not there"
api_as "$NURSE" POST "/observations/$WRONG/entered-in-error" \
    '{"reason":"typed into the wrong record"}'
expect_status 200
is "struck out: its reason" .entered_in_error.reason \
    "typed into the wrong record"
is "struck out: the plan's next due recomputed" .next_due_at \
    2027-01-20T11:35:00Z
api_as "$NURSE" GET "/patients/$PAT"
is "the patient's plan due at 11:35 again" .observation_plan.next_due_at \
    2027-01-20T11:35:00Z
api_as "$NURSE" GET /observations/due
is "who is due: the last NEWS2 not the struck one" \
    "[.[] | select(.patient.id == \"$PAT\") | .last_observation |
    .taken_at + \" \" + (.total | tostring)] | join(\"\")" \
    "2027-01-20T07:35:00Z 0"
api_as "$NURSE" GET "/observations?patient_id=$PAT"
is "the struck observation kept and shown struck out" \
    "[.[] | select(.id == \"$WRONG\") | .entered_in_error.reason] | length" 1
is "the other not struck" \
    "[.[] | select(.id != \"$WRONG\") | .entered_in_error] | .[0]" null
api_as "$MANAGER" GET '/reports/observations?from=2027-01-20&to=2027-01-20'
is "report after: the struck observation not counted" \
    '[.patients[] | select(.patient.prison_number == "A1000AA")
    | .totals.on_time + .totals.late] | add' 1
same "its NEWS2 alert settled, not escalated" "$(sql "SELECT count(*) FROM
    alerts WHERE subject_id = '$WRONG' AND acked_at IS NULL")" 0
FP=$(db_fingerprint)
api_as "$NURSE" POST "/observations/$WRONG/entered-in-error" \
    '{"reason":"again"}'
refused 409 already_entered_in_error "a correction of a correction"

# --- a dose entered in error -------------------------------------------------
prescribe_daily "$PAT" 2027-01-20
RX=$(jqout .id)
clock_to 2027-01-20T08:30:00Z
api_as "$NURSE" GET "/doses?patient_id=$PAT&state=due"
DOSE=$(jqout '.[0].id')
administer "$DOSE"
expect_status 200
is "given: the balance" .balance_after 4970
GIVEN_ENTRY=$(jqout .register_entry_id)
FP=$(db_fingerprint)
api_as "$RECEP" POST "/patients/$PAT/entered-in-error" \
    '{"reason":"not a test arrival"}'
refused 422 patient_treated "ending an arrival given a dose"
TOKEN=$NURSE
api POST "/doses/$DOSE/entered-in-error" '{"reason":"wrong patient"}'
refused 400 missing_field "a dose in error without a witness"
api POST "/doses/$DOSE/entered-in-error" \
    '{"witness":{"username":"cody","pin":"3333"}}'
refused 400 missing_field "a dose in error without a reason"
api POST "/doses/$DOSE/entered-in-error" \
    '{"reason":"wrong patient","witness":{"username":"nina","pin":"1111"}}'
refused 422 witness_not_distinct "the nurse witnessing herself"
api POST "/doses/$DOSE/entered-in-error" \
    '{"reason":"wrong patient","witness":{"username":"rita","pin":"6666"}}'
refused 422 witness_not_competent "reception witnessing"
api_as "$DOC" POST "/doses/$DOSE/entered-in-error" \
    '{"reason":"wrong patient","witness":{"username":"cody","pin":"3333"}}'
refused 403 forbidden "a prescriber entering a dose in error"
api_as "$NURSE" POST "/doses/$DOSE/entered-in-error" \
    '{"reason":"given to the wrong patient",
    "witness":{"username":"cody","pin":"3333"}}'
expect_status 200
is "in error: the balance restored" .balance_after 5000
is "in error: the correction" .quantity 30
is "in error: witnessed" .witness cody
is "in error: the dose not taken" .state missed
CORRECTION=$(jqout .register_entry_id)
api_as "$NURSE" GET "/prescriptions/$RX"
is "in error: the dose counted as not taken" .not_taken_run 1
api_as "$NURSE" GET "/register/$M"
is "the register: the administration kept" \
    "[.entries[] | select(.id == \"$GIVEN_ENTRY\") | .kind] | join(\"\")" \
    administration
is "the register: the correction names it" \
    "[.entries[] | select(.id == \"$CORRECTION\") | .corrects_entry_id]
    | join(\"\")" "$GIVEN_ENTRY"
api_as "$NURSE" GET "/doses/$DOSE"
is "the dose shows it" '.entered_in_error | .reason + " " +
    .register_entry_id' "given to the wrong patient $CORRECTION"
api_as "$MANAGER" GET "/audit?limit=1000"
is "the audit shows both" "[.[] | select(.record_id == \"$DOSE\" and
    .actor_id != \"\") | .action] | join(\",\")" \
    dose.administer,dose.entered_in_error
FP=$(db_fingerprint)
api_as "$NURSE" POST "/doses/$DOSE/entered-in-error" \
    '{"reason":"again","witness":{"username":"cody","pin":"3333"}}'
refused 409 already_entered_in_error "a dose entered in error twice"

# --- the test arrival ended -------------------------------------------------
FP=$(db_fingerprint)
api_as "$RECEP" POST "/patients/$TEST/entered-in-error" '{}'
refused 400 missing_field "ending an arrival without a reason"
api_as "$RECEP" POST "/patients/$TEST/entered-in-error" \
    '{"reason":"a test arrival on the live system"}'
expect_status 200
is "ended: its status" .status entered_in_error
is "ended: its clocks ended" \
    '[.clocks[] | select(.ended_at == null)] | length' 0
is "ended: its plan ended" '.observation_plan.running' false
is "ended: no due" '.observation_plan.next_due_at' null
api_as "$RECEP" GET "/patients?status=in_custody"
is "no longer in custody" "[.[] | select(.id == \"$TEST\")] | length" 0
api_as "$RECEP" GET "/patients/$TEST/history"
is "its history says why" '.changes[0] | .field + ":" + .to + ":" + .reason' \
    "status:entered_in_error:a test arrival on the live system"
api_as "$MANAGER" GET '/reports/observations?from=2027-01-20&to=2027-01-20'
is "the report leaves it out" \
    '[.patients[] | select(.patient.prison_number == "T9999ZZ")] | length' 0
FP=$(db_fingerprint)
api_as "$RECEP" PATCH "/patients/$TEST" '{"location":"A2","reason":"x"}'
refused 409 patient_not_editable "correcting an arrival ended in error"
api_as "$RECEP" POST "/patients/$TEST/entered-in-error" '{"reason":"x"}'
refused 409 already_entered_in_error "ending it twice"

pass
