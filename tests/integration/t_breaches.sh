#!/bin/sh
# A continuity clock that ran out is a breach for ever (issue 15).  Able
# arrives in treatment on Monday 7 December 2026 at 08:00 GMT; his
# keyworker is allocated in time; his treatment clock runs out on Tuesday
# at 08:00 and is met six hours late, at 14:00, by the prescriber's
# decision.  Baker arrives at 09:00 and nothing is done: both his clocks
# run out unmet.  GET /v1/clocks?breached=true (and ?state=breached)
# lists all three breaches, Able's met late among them; breached=false
# the one met in time; idtsctl clocks --breached and --state breached
# show them in local time; Able's breach alert to the managers is
# acknowledged as met late, by how long and how, not as plainly met.
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/ctllib.sh
. "$(dirname "$0")/ctllib.sh"

clock_to 2026-12-07T08:00:00Z
IDTS_PIN=424242 ok as boss $C login boss
add_staff "rita Rita_Reception reception 1111" "cara Cara_CARAT carat 2222" \
    "doc Dr_Doc prescriber 3333" "mo Mo_Manager manager 4444"
for who in rita:1111 cara:2222 doc:3333 mo:4444; do
	as "${who%:*}" IDTS_PIN="${who#*:}" $C login "${who%:*}" >/dev/null ||
	    fail "login ${who%:*}"
done

ok as rita $C arrive --number A1001AA --given Alan --family Able \
    --dob 1985-05-05 --location A1-01 --no-stimulant --treatment methadone \
    --dose 40 --unit ml --prescriber "Dr Community" \
    --arrived 2026-12-07T08:00:00Z
clock_to 2026-12-07T09:00:00Z
ok as rita $C arrive --number B2002BB --given Bea --family Baker \
    --dob 1986-06-06 --location A1-02 --no-stimulant --treatment methadone \
    --dose 30 --unit ml --prescriber "Dr Community" \
    --arrived 2026-12-07T09:00:00Z
clock_to 2026-12-07T10:00:00Z
ok as cara $C keyworker A1001AA cara

# Tuesday 08:00: Able's treatment clock runs out; 09:00 Baker's two.
clock_to 2026-12-08T09:30:00Z
sign_in mo 4444
i=0
until api GET "/alerts?state=open" &&
    [ "$(jqout '[.[] | select(.kind == "clock_breach")] | length')" = 3 ]; do
	[ $i -lt 100 ] || fail "three breaches expected: $BODY_OUT"
	sleep 0.05
	i=$((i + 1))
done
api GET /patients
A=$(jqout '.[] | select(.prison_number == "A1001AA") | .id')
B=$(jqout '.[] | select(.prison_number == "B2002BB") | .id')

# Tuesday 14:00: the prescriber decides; the clock is met six hours late.
clock_to 2026-12-08T14:00:00Z
sign_in doc 3333
api POST "/patients/$A/treatment-decision" \
    '{"continue":false,"reason":"detoxed in police custody"}'
expect_status 200
checks=$((checks + 1))
[ "$(jqout '.clocks[] | select(.kind == "treatment_continued") |
    "\(.state) \(.breached) \(.met_at[0:16])"')" = \
    "met true 2026-12-08T14:00" ] ||
    fail "the decision meets the clock late: $BODY_OUT"

sign_in mo 4444
api GET "/clocks?breached=true"
expect_status 200
checks=$((checks + 2))
[ "$(jqout 'map("\(.patient_id) \(.kind) \(.state)") | sort | join(",")')" = \
    "$(printf '%s\n' "$A treatment_continued met" \
    "$B keyworker_allocated breached" "$B treatment_continued breached" |
    sort | paste -sd,)" ] ||
    fail "breached=true: every clock that ran out, met late or not: $BODY_OUT"
[ "$(jqout 'map(.breached) | all')" = true ] || fail "breached flags"
api GET "/clocks?state=breached"
expect_status 200
checks=$((checks + 1))
[ "$(jqout 'length')" = 3 ] &&
    [ "$(jqout '[.[] | select(.patient_id == "'"$A"'")] | .[0].kind')" = \
    treatment_continued ] ||
    fail "state=breached lists the clock met late: $BODY_OUT"
api GET "/clocks?breached=false"
expect_status 200
checks=$((checks + 1))
[ "$(jqout 'map("\(.kind) \(.state) \(.breached)") | join(",")')" = \
    "keyworker_allocated met false" ] ||
    fail "breached=false: only the clock met in time: $BODY_OUT"
api GET "/clocks?state=met&breached=true&patient_id=$A"
expect_status 200
checks=$((checks + 1))
[ "$(jqout 'map(.kind) | join(",")')" = treatment_continued ] ||
    fail "met and breached: $BODY_OUT"
api GET "/clocks?breached=yes"
expect_status 400 invalid_query
api GET "/clocks?breached="
expect_status 400 invalid_query

# idtsctl: --breached and --state breached, due and met in local time.
IDTS_PIN=4444 ok as mo $C login mo
ok as mo $C clocks --breached
out_has "^treatment_continued  *breached, met late  *Mon 07 Dec 08:00 GMT  *Tue 08 Dec 08:00 GMT  *Tue 08 Dec 14:00 GMT  *A1001AA *$" \
    "clocks --breached: Able's clock met late"
out_has "^treatment_continued  *breached  *Mon 07 Dec 09:00 GMT  *Tue 08 Dec 09:00 GMT  *-  *B2002BB *$" \
    "clocks --breached: Baker's treatment clock"
out_has "^keyworker_allocated  *breached  .*B2002BB" \
    "clocks --breached: Baker's keyworker clock"
out_lacks "keyworker_allocated  *met" "clocks --breached: not the one in time"
ok as mo $C clocks --state breached --patient A1001AA
out_has "^treatment_continued  *breached, met late .*A1001AA" \
    "clocks --state breached: the clock met late"
ok as mo $C --json clocks --breached --patient A1001AA
jq_is 'map(.kind) | join(",")' treatment_continued "--json --breached"
status_is 2 as mo $C clocks --breached=yes

# The breach alert to the managers: acknowledged as met late, saying by
# how long and how; none closed as plainly met.
api GET /alerts
checks=$((checks + 2))
[ "$(jqout ".[] | select(.patient_id == \"$A\" and .kind == \"clock_breach\") | \"\(.audience) \(.acked_at[0:16]) \(.ack_note)\"")" = \
    "manager 2026-12-08T14:00 met late, 6 h 00 min after it was due: decision not to continue treatment; a breach on the record" ] ||
    fail "the manager's breach alert must be acknowledged as met late: $BODY_OUT"
[ "$(jqout "[.[] | select(.patient_id == \"$A\" and (.ack_note // \"\" | startswith(\"met:\")))] | length")" = 0 ] ||
    fail "an alert of the late clock closed as plainly met: $BODY_OUT"
api GET "/alerts?state=open"
checks=$((checks + 1))
[ "$(jqout "[.[] | select(.patient_id == \"$B\" and .kind == \"clock_breach\")] | length")" = 2 ] ||
    fail "Baker's breaches stay open: $BODY_OUT"
ok as mo $C alerts --all
out_has "ACKNOWLEDGED: A1001AA Able, Alan: treatment continued .* (met late, 6 h 00 min after it was due: decision not to continue treatment; a breach on the record)" \
    "alerts --all: the met-late note"
out_has "^Tue 08 Dec 09:30 GMT urgent  *manager  *ACKNOWLEDGED: A1001AA" \
    "alerts --all: raised in local time"

# The audit says it was met late.
api GET "/audit?limit=500"
checks=$((checks + 1))
[ "$(jqout '[.[] | select(.action == "clock.met") | .detail.late] | map(tostring) | join(",")')" = "false,true" ] ||
    fail "clock.met audited with late: $BODY_OUT"
pass
