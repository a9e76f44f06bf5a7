#!/bin/sh
# The patient's whole record in one answer (issue 17), GET
# /v1/patients/{id}/record, on D1002AB's Tuesday (recordlib.sh) at 19:30:
# the clocks, the prescription with its not-taken run, today's dose with
# who gave and who witnessed it by name, the observations with the NEWS2
# trend, the court booking, the correction; the roles that read a
# clinical record and those that do not; idtsctl patient show within 80
# columns.  Seen failing with the trend taken from the oldest score first
# ('the NEWS2 trend' got falling).  An emergency's message, longer than a
# line, is shown whole, wrapped; seen failing with the line cut at 80
# columns ('patient show cuts the emergency's message').
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/recordlib.sh"
TOKEN=$NURSE
api GET "/patients/$PAT/record"
expect_status 200
is "the patient, in cell 3" '.patient | "\(.prison_number) \(.location)"' \
    "D1002AB cell 3"
is "both clocks" '[.patient.clocks[].kind] | sort | join(",")' \
    "keyworker_allocated,treatment_continued"
is "the prescription, its run and hold" \
    '.patient.prescriptions[] | "\(.state) \(.not_taken_run)"' "active 0"
is "today's dose, who gave and who witnessed it" \
    '.doses[] | select(.due_at == "2026-12-08T09:00:00Z") |
    "\(.state) \(.administered_by.display_name) " +
    .witnessed_by.display_name' \
    "given Nina Nurse Cody Competent"
is "the observations, newest first" '[.observations[].news2.total] |
    map(tostring) | join(",")' "4,0"
is "the NEWS2 trend" '.news2 | "\(.last) \(.trend) " +
    (.totals | map(tostring) | join(","))' \
    "4 rising 0,4"
is "the court booking" '[.movements[] | "\(.kind) \(.state) \(.departs_at)"] |
    join(",")' "court planned 2026-12-09T08:30:00Z"
is "the correction" '.corrections[] | "\(.field) \(.from) \(.to) \(.reason)"' \
    "location cell 2 cell 3 moved cell"
is "here, not away" '.away_since' null
is "alerts is a list" '.alerts | type' array

TOKEN=$MANAGER
api GET "/patients/$PAT/record"
expect_status 200
TOKEN=$DOC
api GET "/patients/$PAT/record"
expect_status 200
TOKEN=$RECEP
api GET "/patients/$PAT/record"
expect_status 403
sign_in cody 3333
api GET "/patients/$PAT/record"
expect_status 403
TOKEN=$NURSE
api GET "/patients/00000000-0000-4000-8000-000000000000/record"
expect_status 404
api GET "/patients/$PAT/record?days=3"
expect_status 400 invalid_query

# An emergency at 19:30 (NEWS2 16, four parameters at 3): its alert's
# message is longer than a line, and idtsctl shows it whole.
TOKEN=$NURSE
api POST /observations "$(printf '%s' "$NORMAL" | jq -c --arg p "$PAT" \
    '. + {patient_id: $p, taken_at: "2026-12-08T19:30:00Z"} |
    .respiratory_rate = 26 | .spo2 = 90 | .pulse = 135 |
    .systolic_bp = 88 | .consciousness = "C"')"
expect_status 201
api GET "/patients/$PAT/record"
ALERT_MSG=$(jqout '[.alerts[] | select(.severity == "emergency")][0].message')
[ "${#ALERT_MSG}" -gt 80 ] || fail "the emergency's message is short: $ALERT_MSG"

# idtsctl patient show: the same, in 80 columns.
export IDTS_SERVER="http://127.0.0.1:$PORT" TZ=Europe/London
unset IDTS_PIN IDTS_TOKEN
IDTS_PIN=1111 XDG_CONFIG_HOME="$T/cfg/nina" "$IDTSCTL" login nina \
    >/dev/null 2>&1 </dev/null || fail "idtsctl login nina"
out=$(XDG_CONFIG_HOME="$T/cfg/nina" "$IDTSCTL" patient show D1002AB \
    2>&1 </dev/null) || fail "patient show: $out"
checks=$((checks + 1))
printf '%s\n' "$out" | awk 'length > 80 { exit 1 }' ||
    fail "patient show is wider than 80 columns: $out"
for want in "D1002AB" "Example, Dan" "cell 3" "Nina Nurse" \
    "Cody Competent" "NEWS2" "rising" "court" "moved cell"; do
	checks=$((checks + 1))
	printf '%s\n' "$out" | grep -qF "$want" ||
	    fail "patient show does not say '$want': $out"
done
checks=$((checks + 1))
printf '%s\n' "$out" | tr -s ' \n' '  ' | grep -qF -- "$ALERT_MSG" ||
    fail "patient show cuts the emergency's message (ends '${ALERT_MSG##*;}'): $out"
printf '%s\n' "$out" > "${IDTS_BUILD:-build}/patient_show.txt"
pass
