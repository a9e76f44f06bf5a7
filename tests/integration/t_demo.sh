#!/bin/sh
# The DEMO ward of --seed-demo (README, "Try it"): the nine staff sign in
# with their demo PINs, three patients (two in treatment, two stimulant
# users), DEMO Methadone with 1000 ml in stock and prescribed at 08:00 and
# 18:00, D1001AA to court tomorrow at 07:30 with the 08:00 dose moved to
# 07:00, the observation plans and the continuity clocks; the audit chain
# holds.  Loaded only into an empty database: a second --seed-demo leaves
# it as it was.
set -eu
. "$(dirname "$0")/lib.sh"

start_demo_at 2026-11-22T17:59:00Z
grep -q "loaded the DEMO ward" "$T/daemon.log" ||
    fail "no word that the demo ward was loaded"

for who in admin:1111 nina:2222 carl:3333 priya:4444 rob:5555 cara:6666 \
    dev:7777 mo:8888 lee:9999; do
	sign_in "${who%%:*}" "${who#*:}"
done
sign_in admin 1111
api GET /staff
expect_status 200
[ "$(jqout '[.[] | select(.display_name | startswith("DEMO "))] | length')" = 9 ] ||
    fail "not the nine demo staff: $BODY_OUT"

api GET /patients
expect_status 200
[ "$(jqout '[.[].prison_number] | sort | join(",")')" = \
    "D1001AA,D1002AB,D1003AC" ] || fail "not the demo patients: $BODY_OUT"
[ "$(jqout '[.[] | select(.flags.in_community_treatment)
    | .prison_number] | sort | join(",")')" = "D1001AA,D1003AC" ] ||
    fail "not the two in treatment: $BODY_OUT"
[ "$(jqout '[.[] | select(.flags.stimulant_user) | .prison_number]
    | sort | join(",")')" = "D1002AB,D1003AC" ] ||
    fail "not the two stimulant users: $BODY_OUT"

api GET /products
expect_status 200
[ "$(jqout '.[] | "\(.name) \(.balance)"')" = "DEMO Methadone 1000" ] ||
    fail "not DEMO Methadone with 1000 ml: $BODY_OUT"
checks=$((checks + 1))
[ "$(jqout '.[] | [.active_per_unit.quantity, .active_per_unit.unit,
    .max_single_dose, .max_daily_dose, .opioid_substitute] | map(tostring) |
    join(" ")')" = "1 mg 120 120 true" ] ||
    fail "not 1 mg/ml, at most 120 ml: $BODY_OUT"

# Tomorrow's doses: D1001AA's first moved for the court escort.
api GET '/doses?date=2026-11-23'
expect_status 200
[ "$(jqout '[.[] | [.patient.prison_number, .due_at, .dose,
    "\(.active.quantity)\(.active.unit)"] | map(tostring) | join(" ")]
    | sort | join(",")')" = "D1001AA 2026-11-23T07:00:00Z 30 30mg,\
D1001AA 2026-11-23T18:00:00Z 30 30mg,D1003AC 2026-11-23T08:00:00Z 20 20mg,\
D1003AC 2026-11-23T18:00:00Z 20 20mg" ] || fail "not the demo's doses: $BODY_OUT"
api GET '/movements?date=2026-11-23'
expect_status 200
[ "$(jqout '[.[] | "\(.patient.prison_number) \(.kind) \(.departs_at)"]
    | join(",")')" = "D1001AA court 2026-11-23T07:30:00Z" ] ||
    fail "not the demo's court escort: $BODY_OUT"

api GET /observations/due
expect_status 200
[ "$(jqout '[.[].patient.prison_number] | sort | join(",")')" = \
    "D1002AB,D1003AC" ] || fail "not the demo's observations: $BODY_OUT"
api GET /clocks
expect_status 200
[ "$(jqout 'length')" = 4 ] || fail "not two clocks each for two: $BODY_OUT"
api GET /audit/verify
expect_status 200
[ "$(jqout .ok)" = true ] || fail "audit chain broken: $BODY_OUT"

# Again on a ward with staff: nothing is added.
stop_daemon
before=$(db_fingerprint)
start_daemon --test-clock --seed-demo
grep -q "already has staff: demo ward not loaded" "$T/daemon.log" ||
    fail "no word that the demo ward was not loaded again"
stop_daemon
[ "$(db_fingerprint)" = "$before" ] || fail "a second --seed-demo changed it"
echo "passed $checks checks"
