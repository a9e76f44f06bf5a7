#!/bin/sh
# Deterioration (issue 15) with the test clock.  A stimulant user scores
# NEWS2 13 with new confusion: the emergency alert goes to the ward, to
# the doctor on call and to the managers, names each parameter that
# scored 3 in words and the unit's emergency instruction; nobody
# acknowledges the ward's and the doctor's copies, and each escalates to
# the managers after alerts.escalate_emergency_minutes; only a prescriber
# or a manager acknowledges the doctor's.  The next observation, due 30
# minutes later, is overdue as an emergency; recorded, its warning and
# the warning's escalation close themselves in the daemon's name.  A
# warning whose due is missed closes itself too (its escalation stays
# with the managers), so a patient has one open overdue warning at a
# time.  A 13 struck out as entered in error is no score: the due it met,
# open again and overdue, is a warning.  The unit's instruction comes
# with every sign-in, for the ward's observation form.
. "$(dirname "$0")/lib.sh"

EXTRA_CONFIG='sessions = { idle_minutes = 1440; };
alerts = { emergency_instruction = "call 2222"; };'
init_admin boss 424242
start_daemon --test-clock
. "$(dirname "$0")/roundlib.sh"

# is DESC GOT WANT
is() {
	checks=$((checks + 1))
	[ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"
}

# soon DESC QUERY WANT: the scheduler's work, given a few seconds.
soon() {
	i=0
	while [ "$(sql "$2")" != "$3" ] && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	is "$1" "$(sql "$2")" "$3"
}

# api_as TOKEN METHOD PATH [BODY]
api_as() {
	TOKEN=$1
	shift
	api "$@"
}

# alerts_of SUBJECT: "kind severity audience" of the alerts about it.
alerts_of() {
	sql "SELECT group_concat(x, ',') FROM (SELECT kind || ' ' || severity
	    || ' ' || audience AS x FROM alerts WHERE subject_id = '$1'
	    ORDER BY x)"
}

# observe AT JQ_FILTER: the nurse records readings taken at AT, from a
# set that scores 0; sets OBS.
observe() {
	api_as "$NURSE" POST /observations "$(jq -cn --arg p "$PAT" \
	    --arg t "$1" '{patient_id: $p, taken_at: $t, respiratory_rate: 16,
	    spo2: 97, spo2_scale: 1, on_oxygen: false, systolic_bp: 120,
	    pulse: 70, consciousness: "A", temperature: 37.0}' | jq -c "$2")"
	expect_status 201
	OBS=$(jqout .id)
}

# arrive PRISON_NUMBER GIVEN FAMILY AT: reception registers a stimulant
# user arriving at AT; sets PAT.
arrive() {
	api_as "$RECEP" POST /patients "$(jq -cn --arg pn "$1" --arg g "$2" \
	    --arg f "$3" --arg a "$4" '{prison_number: $pn, given_name: $g,
	    family_name: $f, date_of_birth: "1990-01-01", arrived_at: $a,
	    location: "C1", stimulant_user: true, community_treatment: null}')"
	expect_status 201
	PAT=$(jqout .id)
}

# The open due of the patient.
open_due() {
	sql "SELECT id FROM observation_dues WHERE patient_id = '$PAT' AND
	    state = 'open'"
}

# ========================================================================
# Monday 4 January 2027 (GMT): the staff, and a stimulant user arriving.
# ========================================================================
set_clock '{"now":"2027-01-04T08:00:00Z"}'
expect_status 200
sign_in boss 424242
for s in 'nina "Nina Nurse" nurse 1111' 'doc "Dr Doc" prescriber 5555' \
    'mona "Mona Manager" manager 8888' \
    'rita "Rita Reception" reception 6666'; do
	eval "set -- $s"
	add_staff "$1" "$2" "[\"$3\"]" "$4"
done
sign_in nina 1111
NURSE=$TOKEN
is "the unit's emergency instruction comes with the sign-in" \
    "$(jqout .emergency_instruction)" "call 2222"
sign_in doc 5555
DOC=$TOKEN
DOC_ID=$(jqout .staff.id)
sign_in mona 8888
MGR=$TOKEN
sign_in rita 6666
RECEP=$TOKEN
arrive D1001AA Dan Dee 2027-01-04T08:00:00Z

# ========================================================================
# NEWS2 13 with new confusion: breathing rate 25 (3), SpO2 93% (2),
# pulse 135 (3), new confusion (3), 39.5 C (2).
# ========================================================================
clock_to 2027-01-04T08:05:00Z
observe 2027-01-04T08:05:00Z '.respiratory_rate = 25 | .spo2 = 93 |
    .pulse = 135 | .consciousness = "C" | .temperature = 39.5'
is "the score" "$(jqout '"\(.news2.total) \(.news2.band)"')" "13 high"
is "an emergency to the ward, the doctor on call and the managers" \
    "$(alerts_of "$OBS")" "news2_high emergency manager,news2_high \
emergency on_call,news2_high emergency ward"
WARD=$(sql "SELECT id FROM alerts WHERE subject_id = '$OBS' AND
    audience = 'ward'")
ONCALL=$(sql "SELECT id FROM alerts WHERE subject_id = '$OBS' AND
    audience = 'on_call'")
MSG=$(sql "SELECT message FROM alerts WHERE id = '$WARD'")
checks=$((checks + 1))
case $MSG in
"D1001AA Dee, Dan: NEWS2 13 at "*": 3 for breathing rate 25, pulse 135, \
new confusion; emergency response: call 2222") ;;
*) fail "the alert names each red parameter in words and the instruction:" \
    "$MSG" ;;
esac
is "the doctor on call reads the same words" \
    "$(sql "SELECT message FROM alerts WHERE id = '$ONCALL'")" "$MSG"
api_as "$DOC" GET '/alerts?state=open&audience=on_call'
expect_status 200
is "the doctor on call's list" "$(jqout '[.[] | .id] | join(",")')" "$ONCALL"

# ========================================================================
# Nobody acknowledges: the ward's and the doctor's copies escalate after 5
# minutes, the managers' own does not.
# ========================================================================
clock_to 2027-01-04T08:09:59Z
is "not escalated within 5 minutes" "$(sql "SELECT count(*) FROM alerts
    WHERE kind = 'escalation'")" 0
clock_to 2027-01-04T08:10:00Z
soon "the ward's emergency escalated to the managers" \
    "SELECT group_concat(severity || ' ' || audience) FROM alerts WHERE
    kind = 'escalation' AND subject_id = '$WARD'" "emergency manager"
soon "the doctor on call's emergency escalated to the managers" \
    "SELECT group_concat(severity || ' ' || audience) FROM alerts WHERE
    kind = 'escalation' AND subject_id = '$ONCALL'" "emergency manager"
is "the managers' copy does not escalate" "$(sql "SELECT count(*) FROM
    alerts WHERE subject_id = '$OBS' AND audience = 'manager' AND
    escalate_at IS NULL")" 1

# Only a prescriber or a manager acknowledges the doctor's copy.
FP=$(db_fingerprint)
api_as "$NURSE" POST "/alerts/$ONCALL/ack" '{"note":"seen"}'
expect_status 403 forbidden
is "a nurse acknowledging the doctor's alert changes nothing" \
    "$(db_fingerprint)" "$FP"
api_as "$DOC" POST "/alerts/$ONCALL/ack" '{"note":"coming to see him"}'
expect_status 200
is "the doctor on call acknowledges it" \
    "$(sql "SELECT acked_by FROM alerts WHERE id = '$ONCALL'")" "$DOC_ID"

# ========================================================================
# The next observation, due 30 minutes after a 13, is overdue at 08:50 as
# an emergency; it escalates at 08:55; recorded at 08:56, the warning and
# its escalation close themselves.
# ========================================================================
DUE=$(open_due)
clock_to 2027-01-04T08:50:00Z
soon "the next observation overdue is an emergency" \
    "SELECT group_concat(kind || ' ' || severity || ' ' || audience) FROM
    alerts WHERE subject_id = '$DUE'" "observation_overdue emergency ward"
OVERDUE=$(sql "SELECT id FROM alerts WHERE subject_id = '$DUE'")
checks=$((checks + 1))
case $(sql "SELECT message FROM alerts WHERE id = '$OVERDUE'") in
*"is overdue (last NEWS2 13)") ;;
*) fail "the overdue alert gives the last score" ;;
esac
clock_to 2027-01-04T08:55:00Z
soon "the overdue emergency escalated" "SELECT count(*) FROM alerts WHERE
    subject_id = '$OVERDUE'" 1
clock_to 2027-01-04T08:56:00Z
observe 2027-01-04T08:56:00Z .
is "recorded: the overdue alert and its escalation close themselves" \
    "$(sql "SELECT group_concat(kind || ' ' || coalesce(acked_by, 'idtsd')
    || ': ' || ack_note, ' / ') FROM (SELECT * FROM alerts WHERE
    id = '$OVERDUE' OR subject_id = '$OVERDUE' ORDER BY raised_at)")" \
    "observation_overdue idtsd: closed by idtsd: the observation was \
recorded / escalation idtsd: closed by idtsd: the observation was recorded"
api_as "$MGR" GET /alerts
expect_status 200
is "the API says the daemon closed it, and why" "$(jqout ".[] |
    select(.id == \"$OVERDUE\") | [has(\"acked_by\"), .acked_at[:16],
    .ack_note] | map(tostring) | join(\" \")")" "false \
2027-01-04T08:56 closed by idtsd: the observation was recorded"

# ========================================================================
# After a 0 the next is due at 12:56, overdue (a warning) at 13:11 and
# escalated at 13:41; missed at 16:56, its warning closes itself, its
# escalation stays with the managers, and the next due's warning at 17:11
# is the patient's only open one.
# ========================================================================
DUE=$(open_due)
clock_to 2027-01-04T13:11:00Z
soon "overdue after a 0 is a warning" "SELECT group_concat(kind || ' ' ||
    severity) FROM alerts WHERE subject_id = '$DUE'" \
    "observation_overdue warning"
OVERDUE=$(sql "SELECT id FROM alerts WHERE subject_id = '$DUE'")
clock_to 2027-01-04T13:41:00Z
soon "the warning escalated" "SELECT count(*) FROM alerts WHERE
    subject_id = '$OVERDUE'" 1
clock_to 2027-01-04T16:56:00Z
soon "missed: the warning closes itself, its escalation stays open" \
    "SELECT group_concat(kind || ' ' || coalesce(ack_note, 'open'), ' / ')
    FROM (SELECT * FROM alerts WHERE id = '$OVERDUE' OR
    subject_id = '$OVERDUE' ORDER BY raised_at)" \
    "observation_overdue closed by idtsd: the observation was missed; \
the next is due now / escalation open"
clock_to 2027-01-04T17:11:00Z
soon "the next due warned" "SELECT count(*) FROM alerts WHERE
    kind = 'observation_overdue' AND subject_id = '$(open_due)'" 1
is "one open overdue warning for the patient, not a pile" \
    "$(sql "SELECT count(*) FROM alerts WHERE patient_id = '$PAT' AND
    kind = 'observation_overdue' AND acked_at IS NULL")" 1

# ========================================================================
# A 13 typed into the wrong record and struck out is no score: the due it
# met opens again, and overdue it is a warning, not an emergency.
# ========================================================================
clock_to 2027-01-04T18:00:00Z
arrive E1002AB Eve Ede 2027-01-04T18:00:00Z
clock_to 2027-01-04T18:05:00Z
observe 2027-01-04T18:05:00Z '.respiratory_rate = 25 | .spo2 = 93 |
    .pulse = 135 | .consciousness = "C" | .temperature = 39.5'
api_as "$NURSE" POST "/observations/$OBS/entered-in-error" \
    '{"reason":"typed into the wrong record"}'
expect_status 200
DUE=$(open_due)
clock_to 2027-01-04T18:15:00Z
soon "overdue after a 13 struck out is a warning" "SELECT
    group_concat(kind || ' ' || severity) FROM alerts WHERE
    subject_id = '$DUE'" "observation_overdue warning"
checks=$((checks + 1))
case $(sql "SELECT message FROM alerts WHERE subject_id = '$DUE'") in
*"is overdue") ;;
*) fail "the overdue alert gives no struck-out score" ;;
esac

pass
