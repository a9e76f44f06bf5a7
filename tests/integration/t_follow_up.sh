#!/bin/sh
# Release follow-up (issue 19): a release booked with a community
# follow_up starts, when it departs, a 21-day clock; reception records
# whether the appointment was kept (day 21 met, later or not kept not
# met); one never recorded alerts reception and the managers once when
# the 21 days run out, and not again after a restart; bad input changes
# nothing.  Europe/London: released Sat 20 March 2027 (GMT); the clocks
# go forward on 28 March, so the 21st day, Sat 10 April, ends at
# 2027-04-10T23:00:00Z.
. "$(dirname "$0")/lib.sh"

EXTRA_CONFIG='sessions = { idle_minutes = 1440; };'
init_admin boss 424242
start_daemon --test-clock

. "$(dirname "$0")/unitlib.sh"

unit_start 2027-03-19T09:00:00Z
FOLLOW="Riverside Drug and Alcohol Service: 24 March at 10:00"

# new_patient FAMILY PN: reception registers; sets PAT.
new_patient() {
	TOKEN=$RECEP
	api POST /patients "$(jq -cn --arg pn "$2" --arg f "$1" \
	    '{prison_number: $pn, given_name: "Jo", family_name: $f,
	    date_of_birth: "1990-01-01", arrived_at: "2027-03-15T10:00:00Z",
	    location: "A1", stimulant_user: false,
	    community_treatment: null}')"
	expect_status 201
	PAT=$(jqout .id)
}

# release PATIENT FOLLOW_UP_JSON: reception books a release for Saturday
# 10:00; sets MV.
release() {
	TOKEN=$RECEP
	api POST /movements "$(jq -cn --arg p "$1" --argjson f "$2" \
	    '{patient_id: $p, kind: "release", departs_at:
	    "2027-03-20T10:00:00Z", destination: "Home", follow_up: $f}')"
	expect_status 201
	MV=$(jqout .id)
}

new_patient Ames A0001AA; PA=$PAT
prescribe_daily "$PA" 2027-03-19
release "$PA" "\"$FOLLOW\""; MA=$MV
new_patient Bell A0002AA; release "$PAT" "\"$FOLLOW\""; MB=$MV
new_patient Cole A0003AA; release "$PAT" null; MC=$MV

# Nothing to record before the release has departed.
TOKEN=$RECEP
api POST "/movements/$MA/follow-up" '{"attended":true,"on":"2027-03-19"}'
expect_status 409 no_follow_up

set_clock '{"now":"2027-03-20T10:00:00Z"}'
sign_all
for m in "$MA" "$MB" "$MC"; do
	TOKEN=$RECEP
	api POST "/movements/$m/depart" '{"at":"2027-03-20T10:00:00Z"}'
	expect_status 200
done
fu_due() { sql "SELECT coalesce(max(due_at), 'none') FROM release_follow_ups
    WHERE movement_id = '$1'"; }
same "a release with a follow-up starts its clock, due at the 21st day's end" \
    "$(fu_due "$MA") $(fu_due "$MB")" "1807398000000 1807398000000"
same "a release without a follow-up starts none" "$(fu_due "$MC")" none
same "the start is audited" "$(sql "SELECT count(*) FROM audit WHERE
    action = 'follow_up.start'")" 2

# --- bad input: refused, nothing changed ----------------------------------
set_clock '{"now":"2027-04-02T12:00:00Z"}'
sign_all
TOKEN=$RECEP
FP=$(db_fingerprint)
api POST "/movements/$MC/follow-up" '{"attended":true,"on":"2027-03-25"}'
expect_status 409 no_follow_up
api POST "/movements/$MA/follow-up" '{"attended":true,"on":"2027-03-19"}'
expect_status 422 date_before_release
api POST "/movements/$MA/follow-up" '{"attended":true,"on":"2027-04-03"}'
expect_status 422 date_in_future
api POST "/movements/$MA/follow-up" '{"attended":true,"on":"2027-03-25","where":"x"}'
expect_status 400
api POST "/movements/$MA/follow-up" '{"on":"2027-03-25"}'
expect_status 400
api POST "/movements/$MA/follow-up" '{"attended":"yes","on":"2027-03-25"}'
expect_status 400
api POST "/movements/$MA/follow-up" '{"attended":true,"on":"2027-02-30"}'
expect_status 400
api POST "/movements/$MA/follow-up" '{"attended":true,"on":"2027-03-25","note":"a\u0007b"}'
expect_status 400
api POST "/movements/00000000-0000-4000-8000-000000000000/follow-up" \
    '{"attended":true,"on":"2027-03-25"}'
expect_status 404
TOKEN=$MANAGER
api POST "/movements/$MA/follow-up" '{"attended":true,"on":"2027-03-25"}'
expect_status 403
same "bad input changed nothing" "$(db_fingerprint)" "$FP"

# --- Ames kept the appointment on the 21st day: met -----------------------
set_clock '{"now":"2027-04-10T12:00:00Z"}'
sign_all
TOKEN=$RECEP
api POST "/movements/$MA/follow-up" \
    '{"attended":true,"on":"2027-04-10","note":"seen by Sam Lee"}'
expect_status 200
same "attended on day 21 is met, the answer byte for byte" \
    "$(printf '%s' "$BODY_OUT" | jq -cS .)" \
    "{\"attended\":true,\"due_at\":\"2027-04-10T23:00:00Z\",\"last_day\":\"2027-04-10\",\"met\":true,\"movement_id\":\"$MA\",\"note\":\"seen by Sam Lee\",\"on\":\"2027-04-10\",\"patient_id\":\"$(sql "SELECT patient_id FROM movements WHERE id = '$MA'")\",\"released_at\":\"2027-03-20T10:00:00Z\",\"state\":\"met\"}"
FP=$(db_fingerprint)
api POST "/movements/$MA/follow-up" '{"attended":false,"on":"2027-04-09"}'
expect_status 409 follow_up_recorded
same "recorded twice: refused, nothing changed" "$(db_fingerprint)" "$FP"
same "the record is audited" "$(sql "SELECT count(*) FROM audit WHERE
    action = 'follow_up.record' AND record_id = '$MA'")" 1

# --- Bell's never recorded: one alert each to reception and managers ------
set_clock '{"now":"2027-04-10T22:59:00Z"}'
sleep 2
same "no alert a minute before the 21st day ends" \
    "$(sql "SELECT count(*) FROM alerts WHERE kind = 'follow_up_overdue'")" 0
set_clock '{"now":"2027-04-10T23:00:05Z"}'
n=0
while [ "$(sql "SELECT count(*) FROM alerts WHERE kind = 'follow_up_overdue'")" != 2 ] &&
    [ $n -lt 50 ]; do
	sleep 0.2
	n=$((n + 1))
done
same "an unrecorded follow-up alerts reception and the managers when 21 days run out" \
    "$(sql "SELECT group_concat(audience || ' ' || subject_id || ' ' ||
    message, '|') FROM (SELECT * FROM alerts WHERE kind =
    'follow_up_overdue' ORDER BY audience)")" \
    "manager $MB A0002AA Bell, Jo: released 2027-03-20; no community follow-up recorded by 2027-04-10 (21 days)|reception $MB A0002AA Bell, Jo: released 2027-03-20; no community follow-up recorded by 2027-04-10 (21 days)"
sign_all
TOKEN=$RECEP
api GET /alerts
expect_status 200
is "reception sees the overdue follow-up" \
    '[.[] | select(.kind == "follow_up_overdue") | .subject_id] | join(",")' "$MB"
stop_daemon
start_daemon --test-clock
set_clock '{"now":"2027-04-11T09:00:00Z"}'
sleep 2
same "the alert is raised once, not again after a restart" \
    "$(sql "SELECT count(*) FROM alerts WHERE kind = 'follow_up_overdue'")" 2

# The continuity report of March: three releases, two with a follow-up,
# one kept in time and one run out unrecorded; no arrival in treatment.
sign_all
TOKEN=$MANAGER
api GET '/reports/continuity?month=2027-03'
expect_status 200
same "continuity report: the month's follow-ups, JSON byte for byte" \
    "$(printf '%s' "$BODY_OUT" | jq -cS 'del(.clocks)')" \
    '{"arrivals_in_treatment":0,"documents_imported":0,"follow_up_met":1,"follow_up_not_met":0,"follow_up_overdue":1,"follow_up_running":0,"from":"2027-03-01","releases":3,"releases_with_follow_up":2,"to":"2027-03-31","transfers_out":0}'
api GET '/reports/continuity?month=2027-04'
expect_status 200
is "continuity report: April has no releases" .releases 0
FP=$(db_fingerprint)
for q in month=2027-13 month=2027-3 month= from=2027-03-01 \
    'month=2027-03&x=1'; do
	api GET "/reports/continuity?$q"
	expect_status 400
done
TOKEN=$RECEP
api GET '/reports/continuity?month=2027-03'
expect_status 403
same "bad report queries changed nothing" "$(db_fingerprint)" "$FP"

# The national returns' export of March: Ames's episode, from the
# prescription's start to the release that ended it.
TOKEN=$MANAGER
api GET '/exports/treatment-episodes?month=2027-03' '' -H 'Accept: text/csv'
expect_status 200
printf '%s\n' "$BODY_OUT" | tr -d '\r' > "$T/episodes.csv"
cat > "$T/want.csv" <<'CSV'
client_reference,family_name,given_name,date_of_birth,sex,reception_date,drugs,episode_start,episode_end,discharge_reason,exit_date,exit_reason,exit_destination,referral_on_release
A0001AA,Ames,Jo,1990-01-01,,2027-03-15,Methadone,2027-03-19,2027-03-20,released to Home,2027-03-20,release,Home,Riverside Drug and Alcohol Service: 24 March at 10:00
CSV
same "episodes export: March's CSV byte for byte, sex left empty" \
    "$(cmp "$T/episodes.csv" "$T/want.csv" && echo same)" same
# ctl TOKEN ARGS...: idtsctl as the holder of TOKEN; its output in ctl.out.
ctl() {
	tok=$1
	shift
	IDTS_SERVER="http://127.0.0.1:$PORT" IDTS_TOKEN=$tok TZ=Europe/London \
	    "$IDTSCTL" "$@" >"$T/ctl.out" 2>"$T/ctl.err" </dev/null ||
	    fail "idtsctl $*: $(cat "$T/ctl.err")"
}
ctl "$MANAGER" export episodes --month 2027-03 --out "$T/ctl.csv"
same "idtsctl export episodes --out writes the same CSV" \
    "$(tr -d '\r' < "$T/ctl.csv" | cmp - "$T/want.csv" && echo same)" same
api GET '/exports/treatment-episodes?month=2027-03'
expect_status 200
is "episodes export: the JSON row is the CSV's" \
    '.episodes | map(.client_reference + " " + .episode_start + " " + .episode_end + " " + .exit_reason) | join(",")' \
    "A0001AA 2027-03-19 2027-03-20 release"
api GET '/exports/treatment-episodes?month=2027-04'
expect_status 200
is "episodes export: an episode ended in March is not April's" \
    '.episodes | length' 0
FP=$(db_fingerprint)
api GET '/exports/treatment-episodes?month=2027-00'
expect_status 400 invalid_query
TOKEN=$NURSE
api GET '/exports/treatment-episodes?month=2027-03'
expect_status 403
same "bad export requests changed nothing" "$(db_fingerprint)" "$FP"

# Recorded late (not kept in 21 days): not met, and the alerts close.
sign_all
ctl "$NURSE" movement follow-up "$MB" --attended yes --on 2027-04-11
same "idtsctl: attended on day 22 is not met" "$(cat "$T/ctl.out")" \
    "follow-up NOT met: attended on 2027-04-11 (the 21 days end with 2027-04-10)"
same "its alerts are acknowledged" "$(sql "SELECT count(*) FROM alerts
    WHERE kind = 'follow_up_overdue' AND acked_at IS NULL")" 0
TOKEN=$MANAGER
api GET '/reports/continuity?month=2027-03' '' -H 'Accept: text/csv'
expect_status 200
same "continuity report: CSV, CRLF lines" \
    "$(printf '%s\n' "$BODY_OUT" | tr -cd '\r' | wc -c)" 22
ctl "$MANAGER" report continuity --month 2027-03 --csv
tr -d '\r' < "$T/ctl.out" > "$T/continuity.csv"
cat > "$T/want.csv" <<'CSV'
measure,count
arrivals_in_treatment,0
treatment_continued_started,0
treatment_continued_met_on_time,0
treatment_continued_met_late,0
treatment_continued_breached,0
treatment_continued_ended,0
treatment_continued_running,0
keyworker_allocated_started,0
keyworker_allocated_met_on_time,0
keyworker_allocated_met_late,0
keyworker_allocated_breached,0
keyworker_allocated_ended,0
keyworker_allocated_running,0
transfers_out,0
documents_imported,0
releases,3
releases_with_follow_up,2
follow_up_met,1
follow_up_not_met,1
follow_up_running,0
follow_up_overdue,0
CSV
same "continuity report: CSV byte for byte, Bell's now not met" \
    "$(cmp "$T/continuity.csv" "$T/want.csv" && echo same)" same

pass
