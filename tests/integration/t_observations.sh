#!/bin/sh
# Observation plans of stimulant users (docs/design.md rule 2) with the test
# clock: a patient flagged five hours after arrival (the plan still ends
# 72 h after arrival, counts from the flag, and nothing before the flag is
# due or missed); NEWS2 scores that shorten the interval and raise
# alerts, and a normal score that lengthens it again; an overdue
# observation warned, escalated, missed, and acknowledged by the
# observation that meets its due; the end of the plan, its extension and
# its refusals, and a lapsed plan due again at once; a plan across the
# spring DST change (intervals are durations); the compliance report's
# arithmetic over a constructed week of two patients (computed by hand
# below) as JSON and as RFC 4180 CSV, with a kill -9 and time passing
# while the daemon is down in the middle of it; rounding half up; and bad
# input, each refusal with its code and nothing written.  The last block
# (readings beyond +-100000, temperatures beyond +-1000) fails with the
# daemon as built: see its comment.
. "$(dirname "$0")/lib.sh"

# Escalation of an unacknowledged warning set here (the default is 30).
EXTRA_CONFIG='sessions = { idle_minutes = 1440; };
alerts = { escalate_warning_minutes = 20; };'
init_admin boss 424242
start_daemon --test-clock

# --- helpers --------------------------------------------------------------
ms() { date -ud "$1" +%s%3N; }

# is DESC GOT WANT
is() {
	checks=$((checks + 1))
	[ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"
}

# near DESC INSTANT WANT: an instant the daemon took from its running
# clock: WANT, or at most 5 s after it.
near() {
	checks=$((checks + 1))
	case $2 in ""|null) fail "$1: no instant ($BODY_OUT)" ;; esac
	d=$(( $(ms "$2") - $(ms "$3") ))
	if [ "$d" -lt 0 ] || [ "$d" -gt 5000 ]; then
		fail "$1: $2 is not just after $3"
	fi
}

# The daemon's clock, in ms, as SQL.
NOW_SQL="(CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) +
    coalesce((SELECT value FROM meta WHERE name = 'test_clock_offset_ms'), 0))"

# settle: wait until the scheduler has caught up with the (test) clock:
# no open due past its warning unwarned or past its miss, no alert past
# its escalation.
settle() {
	i=0
	while [ "$(sql "SELECT (SELECT count(*) FROM observation_dues WHERE
	    state = 'open' AND (missed_at <= $NOW_SQL OR
	    (warned = 0 AND warn_at <= $NOW_SQL))) + (SELECT count(*) FROM
	    alerts WHERE acked_at IS NULL AND escalated = 0 AND escalate_at IS
	    NOT NULL AND escalate_at <= $NOW_SQL)")" != 0 ]; do
		[ $i -lt 1000 ] || fail "the scheduler did not catch up"
		sleep 0.02
		i=$((i + 1))
	done
}

sign_all() {
	sign_in nina 1111
	NURSE=$TOKEN
	sign_in cody 3333
	COMP=$TOKEN
	sign_in rita 6666
	RECEP=$TOKEN
	sign_in mona 8888
	MGR=$TOKEN
	sign_in doc 5555
	DOC=$TOKEN
}

# clock_to INSTANT: set the test clock, let the scheduler catch up, and
# sign everyone in again when the tokens may have gone idle.
SIGNED_S=0
clock_to() {
	TOKEN=""
	set_clock "{\"now\":\"$1\"}"
	expect_status 200
	settle
	now_s=$(date -ud "$1" +%s)
	if [ $((now_s - SIGNED_S)) -gt 43200 ]; then
		sign_all
		SIGNED_S=$now_s
	fi
}

# api_as TOKEN METHOD PATH [BODY] [curl args]: api with that token.
api_as() {
	TOKEN=$1
	shift
	api "$@"
}

# register PRISON_NUMBER FAMILY GIVEN LOCATION ARRIVED STIMULANT: sets PAT.
register() {
	api_as "$RECEP" POST /patients "$(jq -cn --arg pn "$1" --arg f "$2" \
	    --arg g "$3" --arg l "$4" --arg a "$5" --argjson s "$6" \
	    '{prison_number: $pn, given_name: $g, family_name: $f,
	    date_of_birth: "1990-01-01", arrived_at: $a, location: $l,
	    stimulant_user: $s, community_treatment: null}')"
	expect_status 201
	PAT=$(jqout .id)
}

# Readings that score 0.
NORMAL='{"respiratory_rate":16,"spo2":97,"spo2_scale":1,"on_oxygen":false,"systolic_bp":120,"pulse":70,"consciousness":"A","temperature":37.0}'
HIGH7='.respiratory_rate = 25 | .spo2 = 93 | .pulse = 115'
MED6='.respiratory_rate = 22 | .spo2 = 93 | .pulse = 105 | .temperature = 38.5'
MED5='.respiratory_rate = 22 | .spo2 = 94 | .pulse = 105 | .temperature = 38.5'
RED3='.consciousness = "C"'
LOW4='.respiratory_rate = 22 | .pulse = 100 | .temperature = 38.5'

# obs_body PATIENT TAKEN [JQ_FILTER]
obs_body() {
	printf '%s' "$NORMAL" | jq -c --arg p "$1" --arg t "$2" \
	    ". + {patient_id: \$p, taken_at: \$t} | ${3:-.}"
}
# observe PATIENT TAKEN [JQ_FILTER]: as the nurse; sets OBS.
observe() {
	api_as "$NURSE" POST /observations "$(obs_body "$@")"
	expect_status 201
	OBS=$(jqout .id)
}
# take PATIENT AT [JQ_FILTER]: the clock to AT, and an observation then.
take() {
	clock_to "$2"
	observe "$@"
}

# score_is DESC "total band red red_parameter next_due_at": the answer.
score_is() {
	is "$1" "$(jqout '"\(.news2.total) \(.news2.band) \(.news2.red) \(.news2.red_parameter // "-") \(.next_due_at)"')" "$2"
}

# alerts_of SUBJECT: "kind severity audience" of the alerts about it.
alerts_of() {
	api_as "$MGR" GET /alerts
	expect_status 200
	jqout "[.[] | select(.subject_id == \"$1\") |
	    \"\(.kind) \(.severity) \(.audience)\"] | sort | join(\",\")"
}

# due_of PATIENT: sets DUE to the patient's entry in /observations/due
# ("" if none).
due_of() {
	api_as "$NURSE" GET /observations/due
	expect_status 200
	DUE=$(jqout ".[] | select(.patient.id == \"$1\")")
}
due_field() { printf '%s' "$DUE" | jq -r "$1"; }

# open_due PATIENT: id of the patient's open due.
open_due() {
	sql "SELECT id FROM observation_dues WHERE patient_id = '$1' AND
	    state = 'open'"
}

# refused STATUS CODE DESC: the answer, and nothing written since $FP.
refused() {
	if [ -n "$2" ]; then
		expect_status "$1" "$2"
	else
		expect_status "$1"
	fi
	checks=$((checks + 1))
	[ "$(db_fingerprint)" = "$FP" ] || fail "$3 changed the database"
}

# ========================================================================
# Staff, on Monday 4 January 2027 (GMT: local time is UTC).
# ========================================================================
set_clock '{"now":"2027-01-04T08:00:00Z"}'
expect_status 200
sign_in boss 424242
staff() {
	add_staff "$1" "$2" "$3" "$4"
}
staff nina "Nina Nurse" '["nurse"]' 1111
staff cody "Cody Competent" '["competent"]' 3333
staff rita "Rita Reception" '["reception"]' 6666
staff mona "Mona Manager" '["manager"]' 8888
staff doc "Dr Doc" '["prescriber"]' 5555
clock_to 2027-01-04T08:00:00Z

# ========================================================================
# Flagged five hours after arrival.
# ========================================================================
register F1001AA Flagg Fay C3 2027-01-04T08:00:00Z false
PF=$PAT
is "no plan before the flag" "$(jqout .observation_plan)" null
register N1002AA Noplan Ned C4 2027-01-04T08:00:00Z false
PN=$PAT
register R1003AA Rell Ray C5 2027-01-04T08:00:00Z false
PR=$PAT

clock_to 2027-01-04T12:59:00Z
is "dues before the flag" "$(sql "SELECT count(*) FROM observation_dues")" 0
api_as "$NURSE" GET /observations/due
expect_status 200
is "nobody due before the flag" "$(jqout length)" 0

clock_to 2027-01-04T13:00:00Z
FP=$(db_fingerprint)
api_as "$MGR" POST "/patients/$PF/flags" '{"stimulant_user":true}'
refused 403 forbidden "a manager flagging"
api_as "$RECEP" POST "/patients/$PF/flags" '{"stimulant_user":false}'
refused 422 cannot_unflag "flag false"
api_as "$RECEP" POST "/patients/$PF/flags" '{}'
refused 400 missing_field "a flag without stimulant_user"
api_as "$RECEP" POST "/patients/$PF/flags" '{"stimulant_user":"yes"}'
refused 400 invalid_field "stimulant_user a string"
api_as "$RECEP" POST "/patients/$PF/flags" '{"stimulant_user":true,"x":1}'
refused 400 unknown_field "a flag with an unknown field"
api_as "$RECEP" POST /patients/00000000-0000-4000-8000-000000000000/flags '{"stimulant_user":true}'
refused 404 not_found "flagging an unknown patient"

# Flagged when the 72 h from arrival are already over: refused, with
# nothing written, rather than a plan that could never be due.
register O1007AA Over Olly C6 2026-12-31T08:00:00Z false
PO=$PAT
FP=$(db_fingerprint)
api_as "$NURSE" POST "/patients/$PO/flags" '{"stimulant_user":true}'
refused 422 plan_already_over "flagged after the plan's hours"
is "nothing due" "$(sql "SELECT count(*) FROM observation_dues WHERE patient_id = '$PO'")" 0

api_as "$RECEP" POST "/patients/$PF/flags" '{"stimulant_user":true}'
expect_status 200
is "flagged" "$(jqout .flags.stimulant_user)" true
is "plan from arrival" "$(jqout '.observation_plan | "\(.starts_at) \(.ends_at) \(.base_interval_minutes) \(.ended_at) \(.running)"')" \
    "2027-01-04T08:00:00Z 2027-01-07T08:00:00Z 240 null true"
FLAG_AT=$(jqout .observation_plan.counts_from)
near "counts_from is the flag time" "$FLAG_AT" 2027-01-04T13:00:00Z
is "first due at the flag" "$(jqout .observation_plan.next_due_at)" "$FLAG_AT"
is "one due, at the flag" "$(sql "SELECT count(*), min(d.due_at) = p.counts_from,
    min(d.state) FROM observation_dues d JOIN observation_plans p USING
    (patient_id) WHERE d.patient_id = '$PF'")" "1|1|open"
is "the plan in the store" "$(sql "SELECT starts_at, ends_at FROM observation_plans WHERE patient_id = '$PF'")" \
    "$(ms 2027-01-04T08:00:00Z)|$(ms 2027-01-07T08:00:00Z)"
FP=$(db_fingerprint)
api_as "$NURSE" POST "/patients/$PF/flags" '{"stimulant_user":true}'
refused 409 already_flagged "flagging twice"
api_as "$NURSE" GET "/patients/$PF"
expect_status 200
is "the plan on the patient" "$(jqout '.observation_plan | "\(.counts_from) \(.next_due_at)"')" "$FLAG_AT $FLAG_AT"
due_of "$PF"
is "due list entry" "$(due_field '"\(.patient.prison_number) \(.next_due_at) \(.interval_minutes) \(.overdue) \(.plan.starts_at) \(.plan.ends_at) \(.last_observation)"')" \
    "F1001AA $FLAG_AT 240 false 2027-01-04T08:00:00Z 2027-01-07T08:00:00Z null"

# ========================================================================
# Scores: 7+ -> 30 min, 5-6 or a red 3 -> 60 min, 0 and 1-4 -> 240 min;
# 5-6 and a red 3 alert urgently, 7+ as an emergency, to the ward, the
# doctor on call and the managers; 0-4 do not alert.
# ========================================================================
take "$PF" 2027-01-04T13:10:00Z
score_is "a normal score" "0 zero false - 2027-01-04T17:10:00Z"
is "no red_parameter when none" "$(jqout '.news2 | has("red_parameter")')" false
is "readings echoed" "$(jqout '"\(.patient_id) \(.taken_at) \(.respiratory_rate) \(.spo2) \(.spo2_scale) \(.on_oxygen) \(.systolic_bp) \(.pulse) \(.consciousness) \(.temperature)"')" \
    "$PF 2027-01-04T13:10:00Z 16 97 1 false 120 70 A 37"
is "first due met on time" "$(sql "SELECT state, taken_at FROM observation_dues WHERE patient_id = '$PF' ORDER BY due_at LIMIT 1")" \
    "on_time|$(ms 2027-01-04T13:10:00Z)"
is "no alert for 0" "$(alerts_of "$OBS")" ""

take "$PF" 2027-01-04T17:10:00Z "$HIGH7"
score_is "7" "7 high true respiratory_rate 2027-01-04T17:40:00Z"
is "the scores of 7" "$(jqout '.news2.scores | "\(.respiratory_rate) \(.spo2) \(.air_or_oxygen) \(.systolic_bp) \(.pulse) \(.consciousness) \(.temperature)"')" \
    "3 2 0 0 2 0 0"
is "7 is an emergency to both" "$(alerts_of "$OBS")" \
    "news2_high emergency manager,news2_high emergency on_call,news2_high emergency ward"
due_of "$PF"
is "due after 7" "$(due_field '"\(.next_due_at) \(.interval_minutes) \(.warn_at) \(.missed_at) \(.last_observation.total) \(.last_observation.band)"')" \
    "2027-01-04T17:40:00Z 30 2027-01-04T17:55:00Z 2027-01-04T18:10:00Z 7 high"

take "$PF" 2027-01-04T17:40:00Z "$MED6"
score_is "6" "6 medium false - 2027-01-04T18:40:00Z"
is "6 is urgent to both" "$(alerts_of "$OBS")" \
    "news2_high urgent manager,news2_high urgent on_call,news2_high urgent ward"
due_of "$PF"
is "due after 6" "$(due_field '"\(.next_due_at) \(.interval_minutes)"')" "2027-01-04T18:40:00Z 60"

take "$PF" 2027-01-04T18:40:00Z "$RED3"
score_is "a red 3" "3 low_medium true consciousness 2027-01-04T19:40:00Z"
is "a red 3 is urgent to both" "$(alerts_of "$OBS")" \
    "news2_high urgent manager,news2_high urgent on_call,news2_high urgent ward"

take "$PF" 2027-01-04T19:40:00Z "$MED5"
score_is "5" "5 medium false - 2027-01-04T20:40:00Z"
is "5 is urgent to both" "$(alerts_of "$OBS")" \
    "news2_high urgent manager,news2_high urgent on_call,news2_high urgent ward"
due_of "$PF"
is "due after 5" "$(due_field '"\(.next_due_at) \(.interval_minutes)"')" "2027-01-04T20:40:00Z 60"

# (with an Idempotency-Key: a retry replays the answer and records
# nothing; the same key with another body is refused)
clock_to 2027-01-04T20:40:00Z
K=$(cat /proc/sys/kernel/random/uuid)
api_as "$NURSE" POST /observations "$(obs_body "$PF" 2027-01-04T20:40:00Z)" -H "Idempotency-Key: $K"
expect_status 201
OBS=$(jqout .id)
FIRST=$BODY_OUT
FP=$(db_fingerprint)
api_as "$NURSE" POST /observations "$(obs_body "$PF" 2027-01-04T20:40:00Z)" -H "Idempotency-Key: $K"
refused 201 "" "an idempotent retry"
is "the retry's answer" "$BODY_OUT" "$FIRST"
api_as "$NURSE" POST /observations "$(obs_body "$PF" 2027-01-04T20:40:00Z '.temperature = 37.1')" -H "Idempotency-Key: $K"
refused 409 idempotency_mismatch "the same key with another body"
BODY_OUT=$FIRST
score_is "0 lengthens the interval again" "0 zero false - 2027-01-05T00:40:00Z"
is "no alert for 0" "$(alerts_of "$OBS")" ""
due_of "$PF"
is "due after 0" "$(due_field '"\(.next_due_at) \(.interval_minutes) \(.last_observation.total)"')" "2027-01-05T00:40:00Z 240 0"

# A patient without a plan may be observed (no next due); alerts still
# fire.  SpO2 scale 2 on oxygen: 97% scores 3, oxygen 2.  A competent
# other may record observations.
api_as "$COMP" POST /observations "$(obs_body "$PN" 2027-01-04T20:40:00Z \
    '.spo2_scale = 2 | .on_oxygen = true')"
expect_status 201
score_is "scale 2 on oxygen, no plan" "5 medium true spo2 null"
is "no plan, alerts all the same" "$(alerts_of "$(jqout .id)")" \
    "news2_high urgent manager,news2_high urgent on_call,news2_high urgent ward"
is "no dues without a plan" "$(sql "SELECT count(*) FROM observation_dues WHERE patient_id = '$PN'")" 0
# The plausible extremes are accepted.
observe "$PN" 2027-01-04T20:41:00Z '.respiratory_rate = 1 | .spo2 = 50 | .systolic_bp = 40 | .pulse = 20 | .temperature = 30.0'
score_is "the lowest readings" "15 high true respiratory_rate null"
observe "$PN" 2027-01-04T20:42:00Z '.respiratory_rate = 80 | .spo2 = 100 | .systolic_bp = 300 | .pulse = 300 | .temperature = 45.0 | .consciousness = "U"'
score_is "the highest readings" "14 high true respiratory_rate null"
observe "$PN" 2027-01-04T20:43:00Z '.spo2 = 90 | .spo2_scale = 2'
score_is "scale 2 on air at 90%" "0 zero false - null"

# The report of the flag's day: six dues, all on time, none missed
# before the flag (the one pending is due on the 5th).
api_as "$MGR" GET "/reports/observations?from=2027-01-04&to=2027-01-04"
expect_status 200
is "only the flagged patient in the report" "$(jqout '[.patients[].patient.prison_number] | join(",")')" F1001AA
is "the flag's day" "$(jqout '.patients[0].days[] | "\(.date) \(.due) \(.on_time) \(.late) \(.missed) \(.pending) \(.on_time_percent)"')" \
    "2027-01-04 6 6 0 0 0 100"

take "$PF" 2027-01-05T00:40:00Z "$LOW4"
score_is "4" "4 low false - 2027-01-05T04:40:00Z"
is "no alert for 4" "$(alerts_of "$OBS")" ""
due_of "$PF"
is "due after 4" "$(due_field '"\(.next_due_at) \(.interval_minutes)"')" "2027-01-05T04:40:00Z 240"
is "score alerts escalate but the managers' own" "$(sql "SELECT count(*) FROM alerts WHERE kind = 'news2_high' AND (escalate_at IS NOT NULL) = (audience = 'manager')")" 0

# ========================================================================
# Overdue: warned at due + 15 min, escalated 20 min later, missed when the
# interval has passed (the next due opening then), and the observation
# that meets the next due acknowledges its warning and escalation.
# ========================================================================
DUE1=$(open_due "$PF")
clock_to 2027-01-05T04:54:00Z
is "not overdue within the grace" "$(alerts_of "$DUE1")" ""
due_of "$PF"
is "due within the grace" "$(due_field '"\(.overdue) \(.warn_at) \(.missed_at)"')" \
    "false 2027-01-05T04:55:00Z 2027-01-05T08:40:00Z"
clock_to 2027-01-05T04:55:00Z
is "overdue at due + grace" "$(alerts_of "$DUE1")" "observation_overdue warning ward"
A1=$(sql "SELECT id FROM alerts WHERE subject_id = '$DUE1'")
is "the overdue alert's patient" "$(sql "SELECT patient_id FROM alerts WHERE id = '$A1'")" "$PF"
clock_to 2027-01-05T04:56:00Z
due_of "$PF"
is "overdue in the list" "$(due_field .overdue)" true
clock_to 2027-01-05T05:14:00Z
is "not escalated before 20 min" "$(alerts_of "$A1")" ""
clock_to 2027-01-05T05:16:00Z
is "escalated to the managers" "$(alerts_of "$A1")" "escalation warning manager"
clock_to 2027-01-05T08:39:00Z
is "still open before the interval" "$(open_due "$PF")" "$DUE1"
clock_to 2027-01-05T08:40:00Z
is "missed when the interval passed" "$(sql "SELECT state FROM observation_dues WHERE id = '$DUE1'")" missed
DUE2=$(open_due "$PF")
is "the next due opens at the miss" "$(sql "SELECT due_at, interval_ms FROM observation_dues WHERE id = '$DUE2'")" \
    "$(ms 2027-01-05T08:40:00Z)|14400000"
api_as "$NURSE" GET "/patients/$PF"
is "the patient's next due" "$(jqout .observation_plan.next_due_at)" 2027-01-05T08:40:00Z
clock_to 2027-01-05T08:56:00Z
is "the next due overdue" "$(alerts_of "$DUE2")" "observation_overdue warning ward"
A2=$(sql "SELECT id FROM alerts WHERE subject_id = '$DUE2'")
clock_to 2027-01-05T09:17:00Z
is "its escalation" "$(alerts_of "$A2")" "escalation warning manager"
take "$PF" 2027-01-05T09:20:00Z
is "late observation's next due" "$(jqout .next_due_at)" 2027-01-05T13:20:00Z
is "met late" "$(sql "SELECT state, taken_at, observation_id FROM observation_dues WHERE id = '$DUE2'")" \
    "late|$(ms 2027-01-05T09:20:00Z)|$OBS"
is "the warning and its escalation closed by the daemon" "$(sql "SELECT count(*) FROM alerts
    WHERE (id = '$A2' OR subject_id = '$A2') AND acked_at IS NOT NULL AND
    acked_by IS NULL AND ack_note = 'closed by idtsd: the observation was recorded'")" 2
is "the missed due's warning closed, its escalation left to the managers" "$(sql "SELECT
    group_concat(kind || ' ' || (acked_at IS NULL), ',') FROM (SELECT * FROM alerts
    WHERE id = '$A1' OR subject_id = '$A1' ORDER BY raised_at)")" "observation_overdue 0,escalation 1"
api_as "$MGR" GET '/alerts?state=open'
is "acknowledged alerts not open" "$(jqout "[.[] | select(.id == \"$A2\" or .subject_id == \"$A2\")] | length")" 0

# ========================================================================
# Bad input (09:20, the next deadline hours away): each refused with its
# code, nothing written.
# ========================================================================
# A released patient: written with sqlite3 while the daemon runs (WAL).
sqlite3 -cmd '.timeout 5000' "$T/idtsd.db" \
    "UPDATE patients SET status = 'released' WHERE id = '$PR'" ||
    fail "could not release a patient with sqlite3"
api_as "$NURSE" GET "/patients/$PR"
is "the daemon sees the release" "$(jqout .status)" released
FP=$(db_fingerprint)
NOWT=2027-01-05T09:20:00Z
bad() {	# STATUS CODE JQ_FILTER DESC: an observation of PF at 09:20, altered
	api_as "$NURSE" POST /observations "$(obs_body "$PF" "$NOWT" "$3")"
	refused "$1" "$2" "$4"
}
bad 422 implausible_respiratory_rate '.respiratory_rate = 0' "respiratory_rate 0"
bad 422 implausible_respiratory_rate '.respiratory_rate = 81' "respiratory_rate 81"
bad 422 implausible_spo2 '.spo2 = 49' "spo2 49"
bad 422 implausible_spo2 '.spo2 = 101' "spo2 101"
bad 422 invalid_spo2_scale '.spo2_scale = 3' "spo2_scale 3"
bad 422 invalid_spo2_scale '.spo2_scale = 0' "spo2_scale 0"
bad 422 implausible_systolic_bp '.systolic_bp = 39' "systolic 39"
bad 422 implausible_systolic_bp '.systolic_bp = 301' "systolic 301"
bad 422 implausible_pulse '.pulse = 19' "pulse 19"
bad 422 implausible_pulse '.pulse = 301' "pulse 301"
bad 422 implausible_temperature '.temperature = 29.9' "temperature 29.9"
bad 422 implausible_temperature '.temperature = 45.1' "temperature 45.1"
bad 400 invalid_field '.temperature = 37.25' "temperature with 2 decimals"
bad 400 invalid_field '.temperature = 37.05' "temperature 37.05"
bad 400 invalid_field '.temperature = "37.2"' "temperature a string"
bad 400 invalid_field '.consciousness = "X"' "consciousness X"
bad 400 invalid_field '.consciousness = "a"' "consciousness a"
bad 400 invalid_field '.consciousness = ""' "consciousness empty"
bad 400 invalid_field '.consciousness = "AV"' "consciousness AV"
bad 400 invalid_field '.consciousness = 1' "consciousness a number"
for f in patient_id taken_at respiratory_rate spo2 spo2_scale on_oxygen \
    systolic_bp pulse consciousness temperature; do
	bad 400 missing_field "del(.$f)" "missing $f"
	bad 400 missing_field ".$f = null" "$f null"
done
bad 400 invalid_field '.respiratory_rate = "16"' "respiratory_rate a string"
bad 400 invalid_field '.respiratory_rate = 16.5' "respiratory_rate a fraction"
bad 400 invalid_field '.spo2 = true' "spo2 a boolean"
bad 400 invalid_field '.spo2_scale = "1"' "spo2_scale a string"
bad 400 invalid_field '.on_oxygen = "no"' "on_oxygen a string"
bad 400 invalid_field '.on_oxygen = 0' "on_oxygen a number"
bad 400 invalid_field '.systolic_bp = [120]' "systolic_bp an array"
bad 400 invalid_field '.pulse = {}' "pulse an object"
bad 400 invalid_field '.taken_at = "yesterday"' "taken_at not a time"
bad 400 invalid_field '.taken_at = 1767600000' "taken_at a number"
bad 400 unknown_field '.score = 0' "an unknown field"
bad 422 unknown_patient '.patient_id = "00000000-0000-4000-8000-000000000000"' "an unknown patient"
bad 422 unknown_patient '.patient_id = "F1001AA"' "a patient id that is not a UUID"
bad 422 taken_in_future '.taken_at = "2027-01-05T09:27:00Z"' "taken 7 min ahead"
bad 422 taken_before_arrival '.taken_at = "2027-01-04T07:59:00Z"' "taken before arrival"
bad 422 taken_too_long_ago '.taken_at = "2027-01-04T21:00:00Z"' "taken more than 12 h ago"
bad 409 observation_out_of_order '.taken_at = "2027-01-05T09:10:00Z"' "taken before the latest"
bad 409 patient_not_in_custody ".patient_id = \"$PR\"" "a released patient"
api_as "$RECEP" POST "/patients/$PR/flags" '{"stimulant_user":true}'
refused 409 patient_not_in_custody "flagging a released patient"
api_as "$RECEP" POST /observations "$(obs_body "$PF" "$NOWT")"
refused 403 forbidden "reception recording an observation"
api_as "$MGR" POST /observations "$(obs_body "$PF" "$NOWT")"
refused 403 forbidden "a manager recording an observation"
TOKEN=""
api POST /observations "$(obs_body "$PF" "$NOWT")"
refused 401 "" "an observation without a token"
api_as "$NURSE" POST /observations '{"patient_id":'
refused 400 "" "malformed JSON"
api_as "$NURSE" GET /observations?patient_id=nope
refused 400 invalid_query "observations of a bad id"

# The report: dates, range and role.
report_bad() {
	api_as "$MGR" GET "/reports/observations?$1"
	refused 400 invalid_query "report $1"
}
report_bad "from=2027-13-01&to=2027-13-02"
report_bad "from=2027-02-30&to=2027-03-01"
report_bad "from=2027-1-5&to=2027-01-06"
report_bad "from=05/01/2027&to=2027-01-06"
report_bad "from=2027-01-05"
report_bad "to=2027-01-05"
report_bad ""
report_bad "from=2027-01-05&to=2027-01-04"
report_bad "from=2027-01-01&to=2028-01-02"
api_as "$NURSE" GET "/reports/observations?from=2027-01-05&to=2027-01-05"
refused 403 forbidden "a nurse asking for the report"
api_as "$NURSE" GET "/reports/observations?from=2027-01-05&to=2027-01-05" "" -H 'Accept: text/csv'
refused 403 forbidden "a nurse asking for the CSV report"
api_as "$MGR" GET "/reports/observations?from=2027-01-01&to=2028-01-01"
expect_status 200
is "a report of 366 days" "$(jqout '.days | length')" 366
api_as "$NURSE" GET "/observations?patient_id=$PF"
expect_status 200
is "observations newest first" "$(jqout '[.[].taken_at] | .[0:2] | join(" ")')" \
    "2027-01-05T09:20:00Z 2027-01-05T00:40:00Z"
is "observation count" "$(jqout length)" 8

# ========================================================================
# The end of the plan (arrival + 72 h = 7 January 08:00), its extension.
# ========================================================================
clock_to 2027-01-07T04:00:00Z
is "missed while unattended" "$(sql "SELECT count(*) FROM observation_dues WHERE patient_id = '$PF' AND state = 'missed'")" 10
take "$PF" 2027-01-07T04:00:00Z
is "no due at the plan's end" "$(jqout .next_due_at)" null
is "no open due" "$(open_due "$PF")" ""
api_as "$NURSE" GET "/patients/$PF"
is "plan running, nothing due" "$(jqout '.observation_plan | "\(.running) \(.next_due_at)"')" "true null"
due_of "$PF"
is "not in the due list" "$DUE" ""
clock_to 2027-01-07T08:30:00Z
api_as "$NURSE" GET "/patients/$PF"
is "plan over" "$(jqout '.observation_plan | "\(.running) \(.next_due_at) \(.ends_at)"')" \
    "false null 2027-01-07T08:00:00Z"
is "no due at or after the end" "$(sql "SELECT count(*) FROM observation_dues WHERE patient_id = '$PF' AND due_at >= $(ms 2027-01-07T08:00:00Z)")" 0

# An observation after the plan's end is recorded, and nothing is due.
observe "$PF" 2027-01-07T08:30:00Z
is "observed after the end" "$(jqout .next_due_at)" null
is "still nothing open" "$(open_due "$PF")" ""

FP=$(db_fingerprint)
ext() { api_as "$1" POST "/patients/$2/observation-plan" "$3"; }
ext "$NURSE" "$PF" '{"until":"2027-01-07T08:00:00Z"}'
refused 422 not_an_extension "until the plan's end"
ext "$NURSE" "$PF" '{"until":"2027-01-07T06:00:00Z"}'
refused 422 not_an_extension "until before the plan's end"
ext "$NURSE" "$PF" '{"until":"2027-01-07T08:20:00Z"}'
refused 422 not_an_extension "until after the end but before now"
ext "$NURSE" "$PF" '{"until":"2027-01-18T08:00:01Z"}'
refused 422 plan_too_long "more than 14 days from arrival"
ext "$NURSE" "$PN" '{"until":"2027-01-08T08:00:00Z"}'
refused 409 no_plan "extending an unflagged patient's plan"
ext "$RECEP" "$PF" '{"until":"2027-01-08T08:00:00Z"}'
refused 403 forbidden "reception extending"
ext "$MGR" "$PF" '{"until":"2027-01-08T08:00:00Z"}'
refused 403 forbidden "a manager extending"
ext "$NURSE" "$PF" '{}'
refused 400 missing_field "no until"
ext "$NURSE" "$PF" '{"until":"soon"}'
refused 400 invalid_field "until not a time"
ext "$NURSE" "$PF" '{"until":"2027-01-08T08:00:00Z","why":"x"}'
refused 400 unknown_field "an extension with an unknown field"
ext "$NURSE" 00000000-0000-4000-8000-000000000000 '{"until":"2027-01-08T08:00:00Z"}'
refused 404 not_found "extending an unknown patient's plan"

# A prescriber extends the plan that ran out: due again when the last
# observation's score says (08:30 scored 0: four hours on), not at once.
ext "$DOC" "$PF" '{"until":"2027-01-08T08:00:00Z"}'
expect_status 200
is "extended" "$(jqout '.observation_plan | "\(.ends_at) \(.running) \(.starts_at) \(.counts_from)"')" \
    "2027-01-08T08:00:00Z true 2027-01-04T08:00:00Z $FLAG_AT"
EXT_DUE=$(jqout .observation_plan.next_due_at)
near "an extended plan is due after the last score's interval" "$EXT_DUE" 2027-01-07T12:30:00Z
is "one open due, the base interval" "$(sql "SELECT count(*), interval_ms FROM observation_dues WHERE patient_id = '$PF' AND state = 'open'")" "1|14400000"
# To exactly 14 days from arrival: allowed; the open due stays.
ext "$NURSE" "$PF" '{"until":"2027-01-18T08:00:00Z"}'
expect_status 200
is "extended to 14 days" "$(jqout '.observation_plan | "\(.ends_at) \(.next_due_at)"')" "2027-01-18T08:00:00Z $EXT_DUE"
FP=$(db_fingerprint)
ext "$NURSE" "$PF" '{"until":"2027-01-18T08:00:01Z"}'
refused 422 plan_too_long "a second past 14 days"
take "$PF" 2027-01-07T08:40:00Z
is "observed after the extension" "$(jqout .next_due_at)" 2027-01-07T12:40:00Z
is "the at-once due met on time" "$(sql "SELECT state FROM observation_dues WHERE observation_id = '$OBS'")" on_time

# ========================================================================
# Rounding half up: 1 of 16 on time is 6.25% -> 6.3 (Monday 1 February).
# A medium score every hour, then nobody comes.
# ========================================================================
# Registered (flagged) two hours after arrival: counts from registration.
clock_to 2027-02-01T06:00:00Z
register H1004AA Half Hal D1 2027-02-01T04:05:00Z true
P3=$PAT
is "registered late" "$(jqout '.observation_plan | "\(.starts_at) \(.ends_at)"')" \
    "2027-02-01T04:05:00Z 2027-02-04T04:05:00Z"
near "counts from registration" "$(jqout .observation_plan.counts_from)" 2027-02-01T06:00:00Z
is "first due at registration" "$(jqout .observation_plan.next_due_at)" "$(jqout .observation_plan.counts_from)"
take "$P3" 2027-02-01T06:05:00Z "$MED5"
is "hourly" "$(jqout .next_due_at)" 2027-02-01T07:05:00Z
clock_to 2027-02-01T22:30:00Z
is "the hourly dues missed" "$(sql "SELECT count(*), min(interval_ms), max(interval_ms) FROM observation_dues WHERE patient_id = '$P3' AND state = 'missed'")" "15|3600000|3600000"
api_as "$MGR" GET "/reports/observations?from=2027-02-01&to=2027-02-01"
expect_status 200
# 1 on time of 17: the 22:05 due is past its grace at 22:30, overdue
# and so due (issue 18).
is "1 in 17" "$(jqout '.patients[] | "\(.patient.prison_number) \(.days[0].due) \(.days[0].on_time) \(.days[0].missed) \(.days[0].overdue) \(.days[0].pending) \(.days[0].on_time_percent)"')" \
    "H1004AA 17 1 15 1 0 5.9"
is "1 in 17, the unit" "$(jqout '"\(.days[0].on_time_percent) \(.totals.on_time_percent)"')" "5.9 5.9"
api_as "$MGR" GET "/reports/observations?from=2027-02-01&to=2027-02-01" "" -H 'Accept: text/csv'
expect_status 200
is "1 in 17 in CSV" "$(printf '%s' "$BODY_OUT" | grep '^H1004AA' | tr -d '\r')" \
    "H1004AA,Half,Hal,D1,2027-02-01,17,1,0,0,0,15,1,0,0,5.9"

# ========================================================================
# Across the spring change (Sunday 28 March 2027, 01:00 GMT becomes 02:00
# BST): every interval is a duration.
# ========================================================================
clock_to 2027-03-27T23:00:00Z
# Hal's hourly dues, all missed, ran to the end of his plan: 07:05 on
# the 1st to 03:05 on the 4th (69), and none at the end itself (04:05),
# when the last was missed.
is "the last due of a plan left alone" "$(sql "SELECT max(due_at), sum(state = 'missed') FROM observation_dues WHERE patient_id = '$P3'")" \
    "$(ms 2027-02-04T03:05:00Z)|69"
register D1005AA Dst One E1 2027-03-27T23:00:00Z false
PD=$PAT
clock_to 2027-03-28T00:00:00Z
api_as "$NURSE" POST "/patients/$PD/flags" '{"stimulant_user":true}'
expect_status 200
is "72 h from arrival across the change" "$(jqout .observation_plan.ends_at)" 2027-03-30T23:00:00Z
register D1006AA Dst Two E2 2027-03-28T00:00:00Z true
PD2=$PAT
is "72 h from arrival" "$(jqout .observation_plan.ends_at)" 2027-03-31T00:00:00Z
take "$PD" 2027-03-28T00:10:00Z
is "00:10 GMT + 4 h is 05:10 BST" "$(jqout .next_due_at)" 2027-03-28T04:10:00Z
clock_to 2027-03-28T05:00:00Z
due_of "$PD"
is "due across the change" "$(due_field '"\(.next_due_at) \(.warn_at) \(.missed_at) \(.overdue) \(.interval_minutes)"')" \
    "2027-03-28T04:10:00Z 2027-03-28T04:25:00Z 2027-03-28T08:10:00Z true 240"
DUED=$(open_due "$PD")
api_as "$NURSE" GET /alerts
is "the warning tells local time" "$(jqout ".[] | select(.subject_id == \"$DUED\") | .message | test(\"05:10 BST\")")" true
clock_to 2027-03-29T00:30:00Z
hhmm() {
	sql "SELECT group_concat(t, ' ') FROM (SELECT strftime('%H:%M',
	    due_at / 1000, 'unixepoch') AS t FROM observation_dues WHERE
	    patient_id = '$1' ORDER BY due_at)"
}
is "observed, then missed, 4 h apart in UTC" "$(hhmm "$PD")" "00:00 04:10 08:10 12:10 16:10 20:10 00:10"
is "missed from the flag, 4 h apart in UTC" "$(hhmm "$PD2")" "00:00 04:00 08:00 12:00 16:00 20:00 00:00"
is "every step exactly 4 h" "$(sql "SELECT count(*) FROM observation_dues a JOIN observation_dues b ON b.patient_id = a.patient_id AND b.due_at = a.due_at + 14400000 WHERE a.patient_id IN ('$PD', '$PD2')")" 11

# The report of 28 (23 hours long) and 29 March: a day with nothing due
# has no percentage (null, an empty CSV field).
# who date due on_time late late_max late_mean missed overdue pending
# written_up_late percent.  On the 29th at 00:30 each open due is past its
# grace (00:10 + 15 and 00:00 + 15): overdue, and due (issue 18).
DST_TABLE='D1005AA 2027-03-28 6 1 0 0 0 5 0 0 0 16.7
D1005AA 2027-03-29 1 0 0 0 0 0 1 0 0 0.0
D1005AA TOTAL 7 1 0 0 0 5 1 0 0 14.3
D1006AA 2027-03-28 6 0 0 0 0 6 0 0 0 0.0
D1006AA 2027-03-29 1 0 0 0 0 0 1 0 0 0.0
D1006AA TOTAL 7 0 0 0 0 6 1 0 0 0.0
UNIT 2027-03-28 12 1 0 0 0 11 0 0 0 8.3
UNIT 2027-03-29 2 0 0 0 0 0 2 0 0 0.0
UNIT TOTAL 14 1 0 0 0 11 2 0 0 7.1'
# csv_prefix WHO: the first four fields of WHO's lines.
csv_prefix() {
	case $1 in
	UNIT) echo 'UNIT,,,' ;;
	D1005AA) echo 'D1005AA,Dst,One,E1' ;;
	D1006AA) echo 'D1006AA,Dst,Two,E2' ;;
	W1001AA) echo 'W1001AA,Adams,Al,B2' ;;
	W1002BB) echo 'W1002BB,Baker,Bo,"A wing, cell ""3"""' ;;
	*) fail "no CSV prefix for $1" ;;
	esac
}
HEADER='prison_number,family_name,given_name,location,date,due,on_time,late,late_minutes_max,late_minutes_mean,missed,overdue,pending,written_up_late,on_time_percent'

# table_of_json: the last JSON report as the table's lines.
table_of_json() {
	# shellcheck disable=SC2016
	jqout 'def row($w; $d): "\($w) \($d) \(.due) \(.on_time) \(.late) \(.late_minutes_max) \(.late_minutes_mean) \(.missed) \(.overdue) \(.pending) \(.written_up_late) \(.on_time_percent // "-")";
	    (.patients[] | .patient.prison_number as $p |
	    ((.days[] | row($p; .date)), (.totals | row($p; "TOTAL")))),
	    (.days[] | row("UNIT"; .date)), (.totals | row("UNIT"; "TOTAL"))'
}
# json_expect TABLE: the table with its percentages written as jq does.
json_expect() {
	printf '%s\n' "$1" | awk '{ if ($12 != "-") $12 = $12 + 0; print }'
}
# csv_expect TABLE: the CSV the table makes (LF line ends).
csv_expect() {
	printf '%s\n' "$HEADER"
	printf '%s\n' "$1" | while read -r who date due ot late max mean missed \
	    over pend wrote pct; do
		[ "$date" = TOTAL ] && [ "$who" != UNIT ] && continue
		[ "$pct" = - ] && pct=""
		printf '%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n' \
		    "$(csv_prefix "$who")" "$date" "$due" "$ot" "$late" "$max" \
		    "$mean" "$missed" "$over" "$pend" "$wrote" "$pct"
	done
}
# report_is DESC FROM TO TABLE: the JSON and the CSV reports match it.
report_is() {
	api_as "$MGR" GET "/reports/observations?from=$2&to=$3"
	expect_status 200
	is "$1: range" "$(jqout '"\(.from) \(.to)"')" "$2 $3"
	is "$1 (JSON)" "$(table_of_json)" "$(json_expect "$4")"
	rm -f "$T/report.csv"
	got=$(curl -s -m 10 -o "$T/report.csv" -w '%{http_code} %{content_type}' \
	    -H "Authorization: Bearer $MGR" -H 'Accept: text/csv' \
	    "$(BASE)/reports/observations?from=$2&to=$3")
	is "$1 (CSV): status and type" "${got%%;*}" "200 text/csv"
	is "$1 (CSV): header" "$(head -n 1 "$T/report.csv" | tr -d '\r')" "$HEADER"
	is "$1 (CSV): every line ends CRLF" \
	    "$(awk '!/\r$/ { n++ } END { print n + 0 }' "$T/report.csv")" 0
	is "$1 (CSV): ends with CRLF" "$(tail -c 2 "$T/report.csv" | od -An -tx1 | tr -d ' ')" 0d0a
	is "$1 (CSV): 15 fields a line" "$(sed 's/"\([^"]\|""\)*"/Q/g' "$T/report.csv" |
	    awk -F, 'NF != 15 { n++ } END { print n + 0 }')" 0
	is "$1 (CSV)" "$(tr -d '\r' < "$T/report.csv")" "$(csv_expect "$4")"
}
report_is "28-29 March" 2027-03-28 2027-03-29 "$DST_TABLE"

# ========================================================================
# A constructed week, Monday 5 to Sunday 11 July 2027 (BST: local days run
# from 23:00 UTC).  Two patients, every observation scoring 0 (so every
# interval is 240 min); on time up to due + 15 min (early counts), late
# after it by whole minutes, missed when nobody came before the next
# would have been due (then the next opens at that instant).  Times are
# UTC.
#
# Baker (arrives Sun 4 20:00, plan extended to Sun 11 20:00):
#   Sun 4: 20:00 flag due, met 20:10 (local Sun 4: outside the report)
#   Mon 5: 00:10 met 00:20 on time; 04:20 met 04:50 late 30; 08:50
#          missed; 12:50 met 13:05 on time (due + 15); 17:05 met 17:25
#          late 20; 21:25 missed                       -> 6: 2 / 2 / 2
#   Tue 6: 01:25 05:25 09:25 13:25 17:25 21:25 missed  -> 6: 0 / 0 / 6
#   Wed 7: 01:25 05:25 missed; 09:25 met 09:26; 13:26 met 15:26 late
#          120; 19:26 met 19:26                        -> 5: 2 / 1 / 2
#   Thu 8: 23:26 (Wed, local Thu 00:26) met 23:40; 03:40 met 03:40;
#          07:40 11:40 missed; 15:40 met 16:40 late 60; 20:40 met 20:41
#                                                      -> 6: 3 / 1 / 2
#   Fri 9: 00:41 04:41 08:41 12:41 16:41 20:41 missed  -> 6: 0 / 0 / 6
#   Sat 10: 00:41 missed; 04:41 met 04:42; 08:42 met 09:02 late 20;
#          13:02 met 13:25 late 23; 17:25 met 17:30; 21:30 met 21:30
#                                                      -> 6: 3 / 2 / 1
#   Sun 11: 01:30 missed; 05:30 met 05:44; 09:44 met 09:44; 13:44 met
#          14:44 late 60; 18:44 open at 22:00 (overdue), missed at 22:44
#          (the next, 22:44, after the plan's end: none)
#                                  -> 5: 2 / 1 / 1, 1 overdue (due)
# Adams (arrives Mon 5 07:00, plan extended to Mon 12 07:00):
#   Mon 5: 07:00 met 07:05; 11:05 met 11:20 (due + 15); 15:20 met 15:45
#          late 25; 19:45 met 19:50                    -> 4: 3 / 1 / 0
#   Tue 6: 23:50 (Mon, local Tue 00:50) met 00:30 late 40; 04:30 met
#          04:30; 08:30 missed; 12:30 met 12:46 late 16; 16:46 met 16:40
#          (early); 20:40 missed                       -> 6: 2 / 2 / 2
#   Wed 7: 00:40 04:40 missed; 08:40 met 10:10 late 90; 14:10 met 14:11;
#          18:11 met 18:40 late 29; 22:40 met 22:55    -> 6: 2 / 2 / 2
#   Thu 8: 02:55 06:55 10:55 14:55 18:55 22:55 missed  -> 6: 0 / 0 / 6
#   Fri 9: 02:55 met 03:00; 07:00 met 07:30 late 30; 11:30 15:30 19:30
#          missed                                      -> 5: 1 / 1 / 3
#   Sat 10: 23:30 (Fri) 03:30 07:30 missed; 11:30 met 11:45; 15:45 19:45
#          missed                                      -> 6: 1 / 0 / 5
#   Sun 11: 23:45 (Sat) 03:45 missed; 07:45 met 08:00; 12:00 met 12:17
#          late 17; 16:17 met 16:17; 20:17 open at 22:00 (overdue),
#          missed at 00:17 Mon 12  -> 6: 2 / 1 / 2, 1 overdue
#   Mon 12: 00:17 04:17 missed (outside the report); none at 08:17.
# (due: on time / late / missed.)  Late minutes: mean of the day's late
# ones, whole minutes down: Adams Wed (90 + 29) / 2 = 59; the unit's Wed
# (90 + 29 + 120) / 3 = 79; totals 247 / 7 = 35, 333 / 7 = 47,
# 580 / 14 = 41.  Percentages on time, half up to one decimal.
# ========================================================================
WEEK='W1001AA 2027-07-05 4 3 1 25 25 0 0 0 0 75.0
W1001AA 2027-07-06 6 2 2 40 28 2 0 0 0 33.3
W1001AA 2027-07-07 6 2 2 90 59 2 0 0 0 33.3
W1001AA 2027-07-08 6 0 0 0 0 6 0 0 0 0.0
W1001AA 2027-07-09 5 1 1 30 30 3 0 0 0 20.0
W1001AA 2027-07-10 6 1 0 0 0 5 0 0 0 16.7
W1001AA 2027-07-11 6 2 1 17 17 2 1 0 0 33.3
W1001AA TOTAL 39 11 7 90 35 20 1 0 0 28.2
W1002BB 2027-07-05 6 2 2 30 25 2 0 0 0 33.3
W1002BB 2027-07-06 6 0 0 0 0 6 0 0 0 0.0
W1002BB 2027-07-07 5 2 1 120 120 2 0 0 0 40.0
W1002BB 2027-07-08 6 3 1 60 60 2 0 0 0 50.0
W1002BB 2027-07-09 6 0 0 0 0 6 0 0 0 0.0
W1002BB 2027-07-10 6 3 2 23 21 1 0 0 0 50.0
W1002BB 2027-07-11 5 2 1 60 60 1 1 0 0 40.0
W1002BB TOTAL 40 12 7 120 47 20 1 0 0 30.0
UNIT 2027-07-05 10 5 3 30 25 2 0 0 0 50.0
UNIT 2027-07-06 12 2 2 40 28 8 0 0 0 16.7
UNIT 2027-07-07 11 4 3 120 79 4 0 0 0 36.4
UNIT 2027-07-08 12 3 1 60 60 8 0 0 0 25.0
UNIT 2027-07-09 11 1 1 30 30 9 0 0 0 9.1
UNIT 2027-07-10 12 4 2 23 21 6 0 0 0 33.3
UNIT 2027-07-11 11 4 2 60 38 3 2 0 0 36.4
UNIT TOTAL 79 23 14 120 41 40 2 0 0 29.1'
# On Monday 12 at 12:00 the two pending dues have been missed.
WEEK_AFTER=$(printf '%s\n' "$WEEK" | awk '
	$1 == "W1001AA" && $2 == "2027-07-11" { $0 = "W1001AA 2027-07-11 6 2 1 17 17 3 0 0 0 33.3" }
	$1 == "W1001AA" && $2 == "TOTAL" { $0 = "W1001AA TOTAL 39 11 7 90 35 21 0 0 0 28.2" }
	$1 == "W1002BB" && $2 == "2027-07-11" { $0 = "W1002BB 2027-07-11 5 2 1 60 60 2 0 0 0 40.0" }
	$1 == "W1002BB" && $2 == "TOTAL" { $0 = "W1002BB TOTAL 40 12 7 120 47 21 0 0 0 30.0" }
	$1 == "UNIT" && $2 == "2027-07-11" { $0 = "UNIT 2027-07-11 11 4 2 60 38 5 0 0 0 36.4" }
	$1 == "UNIT" && $2 == "TOTAL" { $0 = "UNIT TOTAL 79 23 14 120 41 42 0 0 0 29.1" }
	{ print }')

clock_to 2027-07-04T20:00:00Z
register W1002BB Baker Bo 'A wing, cell "3"' 2027-07-04T20:00:00Z true
PB=$PAT
is "a location with a comma and quotes" "$(jqout .location)" 'A wing, cell "3"'
ext "$NURSE" "$PB" '{"until":"2027-07-11T20:00:00Z"}'
expect_status 200
is "Baker's plan" "$(jqout .observation_plan.ends_at)" 2027-07-11T20:00:00Z
take "$PB" 2027-07-04T20:10:00Z
take "$PB" 2027-07-05T00:20:00Z
take "$PB" 2027-07-05T04:50:00Z
clock_to 2027-07-05T07:00:00Z
register W1001AA Adams Al B2 2027-07-05T07:00:00Z true
PA=$PAT
ext "$NURSE" "$PA" '{"until":"2027-07-12T07:00:00Z"}'
expect_status 200
clock_to 2027-07-05T07:05:00Z
observe "$PA" 2027-07-05T08:05:00+01:00
is "an offset in, UTC out" "$(jqout '"\(.taken_at) \(.next_due_at)"')" \
    "2027-07-05T07:05:00Z 2027-07-05T11:05:00Z"
api_as "$NURSE" GET /observations/due
is "the due list, soonest first" "$(jqout '[.[] | "\(.patient.prison_number) \(.next_due_at)"] | join(",")')" \
    "W1002BB 2027-07-05T08:50:00Z,W1001AA 2027-07-05T11:05:00Z"
take "$PA" 2027-07-05T11:20:00Z
take "$PB" 2027-07-05T13:05:00Z
take "$PA" 2027-07-05T15:45:00Z
take "$PB" 2027-07-05T17:25:00Z
take "$PA" 2027-07-05T19:50:00Z
take "$PA" 2027-07-06T00:30:00Z
take "$PA" 2027-07-06T04:30:00Z
take "$PA" 2027-07-06T12:46:00Z
take "$PA" 2027-07-06T16:40:00Z
is "an early observation's next due" "$(jqout .next_due_at)" 2027-07-06T20:40:00Z
take "$PB" 2027-07-07T09:26:00Z
take "$PA" 2027-07-07T10:10:00Z
take "$PA" 2027-07-07T14:11:00Z
take "$PB" 2027-07-07T15:26:00Z
take "$PA" 2027-07-07T18:40:00Z
take "$PB" 2027-07-07T19:26:00Z
take "$PA" 2027-07-07T22:55:00Z
take "$PB" 2027-07-07T23:40:00Z
take "$PB" 2027-07-08T03:40:00Z
take "$PB" 2027-07-08T16:40:00Z
take "$PB" 2027-07-08T20:41:00Z
take "$PA" 2027-07-09T03:00:00Z
take "$PA" 2027-07-09T07:30:00Z
# The daemon dies on Friday morning and comes back on Saturday at 04:00:
# the dues that passed meanwhile are missed once each at start-up
# (Adams 11:30 15:30 19:30 23:30, Baker 08:41 12:41 16:41 20:41).
kill_daemon
sql "UPDATE meta SET value = value + $(( $(ms 2027-07-10T04:00:00Z) - $(ms 2027-07-09T07:30:00Z) )) WHERE name = 'test_clock_offset_ms'"
start_daemon --test-clock
settle
is "missed while the daemon was down" "$(sql "SELECT count(*) FROM observation_dues WHERE state = 'missed' AND due_at >= $(ms 2027-07-09T07:30:00Z)")" 8
take "$PB" 2027-07-10T04:42:00Z
take "$PB" 2027-07-10T09:02:00Z
take "$PA" 2027-07-10T11:45:00Z
take "$PB" 2027-07-10T13:25:00Z
take "$PB" 2027-07-10T17:30:00Z
take "$PB" 2027-07-10T21:30:00Z
take "$PB" 2027-07-11T05:44:00Z
take "$PA" 2027-07-11T08:00:00Z
take "$PB" 2027-07-11T09:44:00Z
take "$PA" 2027-07-11T12:17:00Z
take "$PB" 2027-07-11T14:44:00Z
is "Baker's last due before the plan's end" "$(jqout .next_due_at)" 2027-07-11T18:44:00Z
take "$PA" 2027-07-11T16:17:00Z
clock_to 2027-07-11T22:00:00Z
api_as "$MGR" GET "/reports/observations?from=2027-07-05&to=2027-07-11"
expect_status 200
is "the patients of the report" "$(jqout '[.patients[].patient | "\(.id) \(.location)"] | join(",")')" \
    "$PA B2,$PB A wing, cell \"3\""
is "the unit's days" "$(jqout '.days | length')" 7
report_is "the week, Sunday 22:00" 2027-07-05 2027-07-11 "$WEEK"
clock_to 2027-07-12T12:00:00Z
report_is "the week, Monday noon" 2027-07-05 2027-07-11 "$WEEK_AFTER"
is "Adams's Monday dues, outside the report" "$(sql "SELECT group_concat(state) FROM (SELECT state FROM observation_dues WHERE patient_id = '$PA' AND due_at >= $(ms 2027-07-11T23:00:00Z) ORDER BY due_at)")" \
    "missed,missed"

# ========================================================================
# Invariants over every plan: no due before the plan counts or at or
# after its end; at most one open; every plan has ended by now.
# ========================================================================
is "dues within their plans" "$(sql "SELECT count(*) FROM observation_dues d
    JOIN observation_plans p USING (patient_id) WHERE d.due_at < p.counts_from
    OR d.due_at >= p.ends_at")" 0
is "no due left open" "$(sql "SELECT count(*) FROM observation_dues WHERE state = 'open'")" 0
is "no due missed twice" "$(sql "SELECT count(*) FROM (SELECT patient_id, due_at FROM observation_dues GROUP BY 1, 2 HAVING count(*) > 1)")" 0

api_as "$MGR" GET /audit/verify
expect_status 200
is "audit chain" "$(jqout .ok)" true

# A whole-number reading is a type (400) whatever its size; out of the
# plausible range it is a 422 that tells that range, however far out.
clock_to 2027-07-12T12:30:00Z
register Z1008AA Zed Zoe F1 2027-07-12T12:30:00Z false
PZ=$PAT
FP=$(db_fingerprint)
badz() {
	api_as "$NURSE" POST /observations "$(obs_body "$PZ" 2027-07-12T12:30:00Z "$3")"
	refused "$1" "$2" "$4"
}
badz 422 implausible_respiratory_rate '.respiratory_rate = -1' "respiratory_rate -1"
badz 422 implausible_respiratory_rate '.respiratory_rate = 100001' "respiratory_rate 100001"
badz 422 implausible_pulse '.pulse = 2147483648' "pulse 2^31"
badz 422 implausible_temperature '.temperature = -5.0' "temperature -5.0"
badz 422 implausible_temperature '.temperature = 1000.5' "temperature 1000.5"

# An observation written up late meets the due in force when it was
# taken, the one the scheduler has since recorded missed, not the one
# open now (which stays open).
clock_to 2027-07-13T08:00:00Z
register Z1009AB Late Lee F2 2027-07-13T08:00:00Z true
PL=$PAT
clock_to 2027-07-13T12:30:00Z
first_due() {
	sql "SELECT state FROM observation_dues WHERE patient_id = '$PL'
	    ORDER BY due_at LIMIT 1"
}
is "the first due, unattended, missed" "$(first_due)" missed
observe "$PL" 2027-07-13T08:10:00Z
is "written up late, it meets the missed due on time" "$(first_due)" on_time
# (Due times carry the milliseconds the test clock had run on.)
is "the due open now stays open" "$(sql "SELECT due_at / 1000 FROM
    observation_dues WHERE patient_id = '$PL' AND state = 'open'")" \
    "$(($(ms 2027-07-13T12:00:00Z) / 1000))"
is "its next_due_at is that open due" \
    "$(jqout '.next_due_at | sub("\\.[0-9]+Z$"; "Z")')" 2027-07-13T12:00:00Z

# An observation taken before the flag (written up after it) meets no
# due, and the plan goes on: its first due, at the flag, stays open.
clock_to 2027-07-14T18:00:00Z
register Z1010AC Early Eve F3 2027-07-14T08:00:00Z false
PE=$PAT
api_as "$NURSE" POST "/patients/$PE/flags" '{"stimulant_user":true}'
expect_status 200
FLAGGED=$(jqout .observation_plan.counts_from)
observe "$PE" 2027-07-14T09:00:00Z "$HIGH7"
is "before the flag: next due is the flag's" "$(jqout .next_due_at)" "$FLAGGED"
is "the first due still open" "$(sql "SELECT count(*) FROM observation_dues
    WHERE patient_id = '$PE' AND state = 'open'")" 1
is "and met by nothing" "$(sql "SELECT count(*) FROM observation_dues
    WHERE patient_id = '$PE' AND state <> 'open'")" 0

# A day unattended in one step (as after a day's downtime): every due
# recorded missed once, one open now, and no stale warning for each.
clock_to 2027-07-15T08:00:00Z
register Z1011AD Gap Gus F4 2027-07-15T08:00:00Z true
PG=$PAT
clock_to 2027-07-16T08:05:00Z
is "six dues missed in the gap" "$(sql "SELECT count(*) FROM
    observation_dues WHERE patient_id = '$PG' AND state = 'missed'")" 6
is "one open, due at 08:00" "$(sql "SELECT count(*) FROM observation_dues
    WHERE patient_id = '$PG' AND state = 'open' AND due_at / 1000 =
    $(($(ms 2027-07-16T08:00:00Z) / 1000))")" 1
is "no overdue warning for the dues caught up" "$(sql "SELECT count(*)
    FROM alerts WHERE patient_id = '$PG' AND kind = 'observation_overdue'")" 0

# Written up late with a high score: the due it met is late, and the one
# open now moves to the high score's interval.
clock_to 2027-07-17T08:00:00Z
register Z1012AE Hast Hal F5 2027-07-17T08:00:00Z true
PH=$PAT
clock_to 2027-07-17T12:10:00Z
observe "$PH" 2027-07-17T11:50:00Z "$HIGH7"
is "the missed due now met late" "$(sql "SELECT state FROM observation_dues
    WHERE patient_id = '$PH' ORDER BY due_at LIMIT 1")" late
due_of "$PH"
is "the open due on the high score's interval" \
    "$(due_field .interval_minutes)" 30
is "still due at 12:00" \
    "$(due_field '.next_due_at | sub("\\.[0-9]+Z$"; "Z")')" \
    2027-07-17T12:00:00Z
pass
