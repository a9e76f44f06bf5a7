# Shared by t_patient_record.sh and t_handover.sh: D1002AB's Tuesday, 8
# December 2026 (GMT), with the test clock.  Arrived at 07:05 in community
# treatment (both continuity clocks run) and a stimulant user (an
# observation plan); methadone 30 ml at 09:00, given at 09:05 by Nina,
# Cody witnessing; observed at 09:10 (NEWS2 0) and 13:10 (4: rising);
# moved from cell 2 to cell 3 (a correction); court booked for Wednesday
# 08:30; the clock left at 19:30, the handover.  Sets PAT, RX.  Source it
# after lib.sh: it starts the daemon with the test clock.

EXTRA_CONFIG='sessions = { idle_minutes = 1440; };'
init_admin boss 424242
start_daemon --test-clock
. "$(dirname "$0")/roundlib.sh"
. "$(dirname "$0")/unitlib.sh"

NORMAL='{"respiratory_rate":16,"spo2":97,"spo2_scale":1,"on_oxygen":false,"systolic_bp":120,"pulse":70,"consciousness":"A","temperature":37.0}'

# record_observe AT [JQ_FILTER]: the clock to AT, an observation then.
record_observe() {
	clock_to "$1"
	TOKEN=$NURSE
	api POST /observations "$(printf '%s' "$NORMAL" | jq -c --arg p "$PAT" \
	    --arg t "$1" ". + {patient_id: \$p, taken_at: \$t} | ${2:-.}")"
	expect_status 201
}

unit_start 2026-12-08T07:05:00Z
TOKEN=$RECEP
api POST /patients '{"prison_number":"D1002AB","given_name":"Dan",
    "family_name":"Example","date_of_birth":"1988-03-12",
    "arrived_at":"2026-12-08T07:05:00Z","location":"cell 2",
    "stimulant_user":true,"community_treatment":{"drug":"Methadone",
    "dose":30,"unit":"ml","prescriber":"Dr Ames, Leeds CDT",
    "last_dose_at":"2026-12-07T09:00:00Z"}}'
expect_status 201
PAT=$(jqout .id)
prescribe_daily "$PAT" 2026-12-08
RX=$(jqout .id)
clock_to 2026-12-08T09:05:00Z
TOKEN=$NURSE
api GET "/doses?date=2026-12-08&patient_id=$PAT"
expect_status 200
administer "$(jqout '.[0].id')"
expect_status 200
record_observe 2026-12-08T09:10:00Z
record_observe 2026-12-08T13:10:00Z \
    '.respiratory_rate = 22 | .pulse = 100 | .temperature = 38.5'
TOKEN=$RECEP
api PATCH "/patients/$PAT" '{"location":"cell 3","reason":"moved cell"}'
expect_status 200
api POST /movements "{\"patient_id\":\"$PAT\",\"kind\":\"court\",
    \"departs_at\":\"2026-12-09T08:30:00Z\",
    \"destination\":\"Cardiff Crown Court\"}"
expect_status 201
clock_to 2026-12-08T19:30:00Z
