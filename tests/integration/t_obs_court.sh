#!/bin/sh
# Observations while a patient is away at court (docs/design.md rule 2),
# the court day of issue 17 with the test clock: D1002AB, observed at
# 07:31 (score 0: 11:31 due), leaves for court at 08:01 and is back at
# 17:30.  At 16:00 nothing is overdue: the list of who is due shows him
# away since 08:01 with no due, no overdue alert was raised, the 11:31 due
# was cancelled at the departure and the 15:31 one never opened; the
# compliance report counts nothing missed; idtsctl obs due says "at court
# since 08:01".  On return one is due at once, and the plan goes on from
# it.  Seen failing against the daemon as it was before (d2e118b~1): 'at
# 16:00 he is away, not overdue' got the 15:31 due, OVERDUE.
. "$(dirname "$0")/lib.sh"

EXTRA_CONFIG='sessions = { idle_minutes = 1440; };'
init_admin boss 424242
start_daemon --test-clock

# is DESC GOT WANT
is() {
	checks=$((checks + 1))
	[ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"
}

# The daemon's clock, in ms, as SQL.
NOW_SQL="(CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) +
    coalesce((SELECT value FROM meta WHERE name = 'test_clock_offset_ms'), 0))"

# clock_to INSTANT: set the test clock and wait for the scheduler to
# catch up with it (no open due past its warning unwarned or its miss).
clock_to() {
	set_clock "{\"now\":\"$1\"}"
	expect_status 200
	i=0
	while [ "$(sql "SELECT count(*) FROM observation_dues WHERE
	    state = 'open' AND (missed_at <= $NOW_SQL OR
	    (warned = 0 AND warn_at <= $NOW_SQL))")" != 0 ]; do
		[ $i -lt 1000 ] || fail "the scheduler did not catch up"
		sleep 0.02
		i=$((i + 1))
	done
}

# as TOKEN METHOD PATH [BODY]: api with that token.
as() {
	TOKEN=$1
	shift
	api "$@"
}

NORMAL='{"respiratory_rate":16,"spo2":97,"spo2_scale":1,"on_oxygen":false,"systolic_bp":120,"pulse":70,"consciousness":"A","temperature":37.0}'

# observe AT: the clock to AT and a normal observation of D1002AB then.
observe() {
	clock_to "$1"
	as "$NURSE" POST /observations "$(printf '%s' "$NORMAL" | jq -c \
	    --arg p "$PAT" --arg t "$1" '. + {patient_id: $p, taken_at: $t}')"
	expect_status 201
}

# due: sets DUE to D1002AB's entry in the list of who is due.
due() {
	as "$NURSE" GET /observations/due
	expect_status 200
	DUE=$(jqout ".[] | select(.patient.id == \"$PAT\") | [.due_id != null,
	    .next_due_at, .overdue, .away_since, .away_kind,
	    .interval_minutes] | map(tostring) | join(\" \")")
}

set_clock '{"now":"2026-12-08T03:31:00Z"}'
expect_status 200
sign_in boss 424242
add_staff nina "Nina Nurse" '["nurse"]' 1111
add_staff rita "Rita Reception" '["reception"]' 6666
add_staff mona "Mona Manager" '["manager"]' 8888
sign_in nina 1111
NURSE=$TOKEN
sign_in rita 6666
RECEP=$TOKEN
sign_in mona 8888
MGR=$TOKEN

as "$RECEP" POST /patients '{"prison_number":"D1002AB","given_name":"Dan",
    "family_name":"Example","date_of_birth":"1988-03-12",
    "arrived_at":"2026-12-08T03:31:00Z","location":"cell 2",
    "stimulant_user":true,"community_treatment":null}'
expect_status 201
PAT=$(jqout .id)
observe 2026-12-08T03:31:00Z
observe 2026-12-08T07:31:00Z
due
is "at 07:31 the next is due at 11:31" "$DUE" \
    "true 2026-12-08T11:31:00Z false null null 240"

clock_to 2026-12-08T07:40:00Z
as "$RECEP" POST /movements "{\"patient_id\":\"$PAT\",\"kind\":\"court\",
    \"departs_at\":\"2026-12-08T08:30:00Z\",
    \"destination\":\"Cardiff Crown Court\"}"
expect_status 201
MV=$(jqout .id)
clock_to 2026-12-08T08:05:00Z
as "$RECEP" POST "/movements/$MV/depart" '{"at":"2026-12-08T08:01:00Z"}'
expect_status 200

clock_to 2026-12-08T16:00:00Z
due
is "at 16:00 he is away, not overdue" "$DUE" \
    "false null false 2026-12-08T08:01:00Z court null"
is "the 11:31 due was cancelled at the departure, none opened since" \
    "$(sql "SELECT group_concat(strftime('%H:%M', due_at / 1000,
    'unixepoch') || ' ' || state, ',') FROM (SELECT due_at, state FROM
    observation_dues WHERE patient_id = '$PAT' AND
    due_at > $(date -ud 2026-12-08T08:00:00Z +%s%3N)
    ORDER BY due_at)")" "11:31 cancelled"
as "$MGR" GET /alerts
expect_status 200
is "no observation_overdue alert while away" \
    "$(jqout '[.[] | select(.kind == "observation_overdue" and
    .raised_at > "2026-12-08T08:01")] | length')" 0
export IDTS_SERVER="http://127.0.0.1:$PORT" TZ=Europe/London
IDTS_PIN=1111 XDG_CONFIG_HOME="$T/cfg" "$IDTSCTL" login nina >/dev/null \
    2>&1 </dev/null || fail "idtsctl login nina"
out=$(XDG_CONFIG_HOME="$T/cfg" "$IDTSCTL" obs due 2>&1 </dev/null) ||
    fail "idtsctl obs due: $out"
checks=$((checks + 1))
printf '%s\n' "$out" | grep "D1002AB" | grep -q "at court since 08:01" ||
    fail "idtsctl obs due does not say he is at court: $out"
checks=$((checks + 1))
printf '%s\n' "$out" | grep -q "0 OVERDUE" ||
    fail "idtsctl obs due counts him overdue: $out"
as "$MGR" GET "/reports/observations?from=2026-12-08&to=2026-12-08"
expect_status 200
is "the report counts nothing missed" \
    "$(jqout '[.. | objects | select(has("missed")) | .missed] | add')" 0

clock_to 2026-12-08T17:35:00Z
as "$RECEP" POST "/movements/$MV/return" '{"at":"2026-12-08T17:30:00Z"}'
expect_status 200
due
is "on return one is due at once" "$DUE" \
    "true 2026-12-08T17:30:00Z false null null 240"
observe 2026-12-08T17:40:00Z
is "the observation on return meets it on time" \
    "$(sql "SELECT state FROM observation_dues WHERE patient_id = '$PAT'
    AND due_at = $(date -ud 2026-12-08T17:30:00Z +%s%3N)")" on_time
due
is "and the plan goes on from it" "$DUE" \
    "true 2026-12-08T21:40:00Z false null null 240"
pass
