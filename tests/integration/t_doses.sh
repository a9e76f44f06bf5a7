#!/bin/sh
# The dose round over HTTP (docs/design.md rules 1 and 5): the sign-off matrix
# (who may witness; distinct, active, unlocked, authenticated; the dose
# due, not given, not held; the stock there), each refusal changing
# nothing; an idempotent retry; two terminals giving the same dose at
# once; missed, refused and withheld doses counted across days to the
# hold, the review that lifts it, and a given dose that restarts the run
# (also with doses.hold_after = 2); reducing steps; round times across
# both DST changes; the continuity clock met by the first dose; stopping
# a prescription.
. "$(dirname "$0")/lib.sh"

EXTRA_CONFIG='sessions = { idle_minutes = 1440; };'
init_admin boss 424242
start_daemon --test-clock

uuid() { cat /proc/sys/kernel/random/uuid; }

. "$(dirname "$0")/roundlib.sh"

# --- staff --------------------------------------------------------------
set_clock '{"now":"2027-01-11T08:30:00Z"}'
expect_status 200
sign_in boss 424242
ADMIN=$TOKEN
staff() {
	add_staff "$1" "$2" "$3" "$4"
}
staff nina "Nina Nurse" '["nurse"]' 1111
staff nora "Nora Nurse" '["nurse"]' 1212
staff cody "Cody Competent" '["competent"]' 3333
staff phil "Phil Pharmacist" '["pharmacist"]' 4444
staff doc "Dr Doc" '["prescriber"]' 5555
staff rita "Rita Reception" '["reception"]' 6666
staff cara "Cara CARAT" '["carat"]' 7777
staff mona "Mona Manager" '["manager"]' 8888
staff ivy "Ivy Inactive" '["competent"]' 9191
IVY=$(jqout .id)
staff lou "Lou Locked" '["competent"]' 9292
staff wes "Wes Wrongpin" '["competent"]' 9393

# sign_all: fresh tokens for the nurse, the prescriber, reception and a
# manager, who reads every alert (after the clock has moved on by a day,
# the old ones have expired).
sign_all() {
	sign_in mona 8888
	MGR=$TOKEN
	sign_in doc 5555
	DOC=$TOKEN
	sign_in rita 6666
	RECEP=$TOKEN
	sign_in nina 1111
	NURSE=$TOKEN
}
sign_all
sign_in nora 1212
NURSE2=$TOKEN
sign_in phil 4444
PHARM=$TOKEN

# --- products and stock -------------------------------------------------
TOKEN=$PHARM
api POST /products '{"name":"Methadone","form":"oral solution","strength":"1mg/ml","unit":"ml"}'
expect_status 201
M=$(jqout .id)
api POST /products '{"name":"Buprenorphine","form":"sublingual tablet","strength":"8mg","unit":"tablet"}'
expect_status 201
B=$(jqout .id)
api POST "/register/$M/receipts" '{"quantity":5000,"supplier":"Alliance","reference":"INV-1","witness":{"username":"cody","pin":"3333"}}'
expect_status 201
api POST "/register/$B/receipts" '{"quantity":1,"supplier":"Alliance","reference":"INV-2","witness":{"username":"cody","pin":"3333"}}'
expect_status 201

# balance PRODUCT: sets BAL.
balance() {
	api GET "/products/$1"
	expect_status 200
	BAL=$(jqout .balance)
}

# --- helpers for patients, prescriptions and doses ------------------------
NPAT=0
# new_patient ARRIVED [COMMUNITY_TREATMENT_JSON]: sets PAT.
new_patient() {
	NPAT=$((NPAT + 1))
	saved=$TOKEN
	TOKEN=$RECEP
	api POST /patients "$(jq -cn --arg pn "$(printf 'A%04dAA' $NPAT)" \
	    --arg a "$1" --argjson ct "${2:-null}" '{prison_number: $pn,
	    given_name: "Jo", family_name: "Case", date_of_birth: "1990-01-01",
	    arrived_at: $a, location: "A1", stimulant_user: false,
	    community_treatment: $ct}')"
	expect_status 201
	PAT=$(jqout .id)
	TOKEN=$saved
}

# prescribe PATIENT PRODUCT DOSE TIMES START [JQ_FILTER]: sets RX.
prescribe() {
	saved=$TOKEN
	TOKEN=$DOC
	api POST /prescriptions "$(jq -cn --arg p "$1" --arg m "$2" \
	    --argjson d "$3" --argjson t "$4" --arg s "$5" '{patient_id: $p,
	    product_id: $m, regimen: "maintenance", dose: $d, times: $t,
	    start_date: $s}' | jq -c "${6:-.}")"
	expect_status 201
	RX=$(jqout .id)
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

witness() { printf '{"witness":{"username":"%s","pin":"%s"}}' "$1" "$2"; }

# administer DOSE WITNESS PIN [curl args]: as $TOKEN.
administer() {
	d=$1
	shift
	body=$(with_cautions "$d" "$(witness "$1" "$2")")
	shift 2
	api POST "/doses/$d/administer" "$body" "$@"
}

fp() { table_fingerprint doses register_entries prescriptions alerts; }
# unchanged DESC: the doses, the register, the prescriptions and the
# alerts are as they were at $FP.
unchanged() {
	checks=$((checks + 1))
	[ "$(fp)" = "$FP" ] ||
	    fail "$1 changed the doses, the register or the prescriptions"
}

# ========================================================================
# The sign-off matrix, on Monday 11 January 2027 at 08:30 (GMT).
# ========================================================================
TOKEN=$NURSE
for n in 1 2 3; do
	new_patient 2027-01-11T07:00:00Z
	eval "P$n=\$PAT"
	prescribe "$PAT" "$M" 60 '["08:00"]' 2027-01-11
done
new_patient 2027-01-11T07:00:00Z
P4=$PAT
prescribe "$P4" "$M" 60 '["08:00","20:00"]' 2027-01-11
new_patient 2027-01-11T07:00:00Z
P5=$PAT
prescribe "$P5" "$M" 10 '["08:00"]' 2027-01-11
RX5=$RX
new_patient 2027-01-11T07:00:00Z
P6=$PAT
prescribe "$P6" "$B" 2 '["08:00"]' 2027-01-11
settle

find_dose "$P4" 2027-01-11T08:00:00Z
D4=$DOSE
find_dose "$P4" 2027-01-11T20:00:00Z
D4LATE=$DOSE
[ "$(jqout ".[] | select(.id == \"$D4\") | .state")" = due ] || fail "08:00 not due at 08:30"
[ "$(jqout ".[] | select(.id == \"$D4LATE\") | .state")" = scheduled ] || fail "20:00 not scheduled at 08:30"
checks=$((checks + 2))

FP=$(fp)
# refused STATUS CODE DESC: the last answer, and nothing written.
refused() {
	expect_status "$1" "$2"
	unchanged "$3"
}

# Who may witness: only nurses, competent others and pharmacists.
TOKEN=$NURSE
administer "$D4" doc 5555
refused 422 witness_not_competent "a prescriber witnessing"
administer "$D4" rita 6666
refused 422 witness_not_competent "a reception officer witnessing"
administer "$D4" cara 7777
refused 422 witness_not_competent "a CARAT worker witnessing"
administer "$D4" mona 8888
refused 422 witness_not_competent "a manager witnessing"
administer "$D4" boss 424242
refused 422 witness_not_competent "an admin witnessing"

# Who may give: a nurse.
sign_in cody 3333
administer "$D4" phil 4444
refused 403 forbidden "a competent other giving a dose"
TOKEN=$NURSE

# The same person twice.
administer "$D4" nina 1111
refused 422 witness_not_distinct "the nurse witnessing herself"

# An inactive witness.
TOKEN=$ADMIN
api PATCH "/staff/$IVY" '{"active":false}'
expect_status 200
FP=$(fp)
TOKEN=$NURSE
administer "$D4" ivy 9191
refused 422 witness_inactive "an inactive witness"

# An unknown witness.
administer "$D4" nobody 1234
refused 422 witness_not_authenticated "an unknown witness"

# Before the PIN is right nothing else is told: an inactive witness and
# one not competent with a wrong PIN are not authenticated, like anyone.
administer "$D4" ivy 0000
refused 422 witness_not_authenticated "an inactive witness, a wrong PIN"
administer "$D4" rita 0000
refused 422 witness_not_authenticated "reception witnessing, a wrong PIN"

# A wrong PIN is refused and counts towards the witness's lockout (that
# change is kept); the dose and the register are untouched.
# wrong PINS: the account's count at this test's place, loopback.
wrong_pins() {
	sql "SELECT coalesce(sum(f.failures), 0) FROM pin_failures f JOIN staff s
	    ON s.id = f.staff_id WHERE s.username = '$1'"
}
[ "$(wrong_pins wes)" = 0 ] || fail "wes starts with failures"
administer "$D4" wes 0000
refused 422 witness_not_authenticated "a wrong witness PIN"
checks=$((checks + 1))
[ "$(wrong_pins wes)" = 1 ] ||
    fail "a wrong witness PIN did not count towards the lockout"

# The dose is checked before the witness: a wrong PIN for a dose not yet
# due is not even looked at.
administer "$D4LATE" wes 0000
refused 409 dose_not_due "a wrong PIN for a dose not due"
checks=$((checks + 1))
[ "$(wrong_pins wes)" = 1 ] ||
    fail "a PIN was checked for a dose not due"

# Five wrong PINs through the witness path lock the witness here: every
# one answers witness_not_authenticated, as does the right PIN then (a
# guesser learns nothing before the PIN), and the witness cannot sign in
# here either.
for n in 1 2 3 4; do
	administer "$D4" lou 0000
	refused 422 witness_not_authenticated "wrong PIN $n of lou"
done
administer "$D4" lou 0000
refused 422 witness_not_authenticated "the fifth wrong PIN"
checks=$((checks + 1))
# Locked for lockout.minutes (15) from 08:30, the count starting again.
LOU_HERE="FROM pin_failures f JOIN staff s ON s.id = f.staff_id WHERE
    s.username = 'lou' AND f.place = 'address:loopback'"
[ "$(sql "SELECT f.failures, f.locked_until > $(date -ud 2027-01-11T08:44:00Z +%s)000 $LOU_HERE")" = "0|1" ] ||
    fail "lou not locked: $(sql "SELECT f.failures, f.locked_until $LOU_HERE")"
administer "$D4" lou 9292
refused 422 witness_not_authenticated "a locked witness with the right PIN"
TOKEN=""
api POST /sessions '{"username":"lou","pin":"9292"}'
expect_status 403 account_locked
TOKEN=$NURSE

# The dose itself: not yet due, stock short (held: below, across days).
administer "$D4LATE" cody 3333
refused 409 dose_not_due "the 20:00 dose at 08:30"
api POST "/doses/$D4LATE/refuse" '{"reason":"asleep"}'
refused 409 dose_not_due "refusing the 20:00 dose at 08:30"
find_dose "$P6" 2027-01-11T08:00:00Z
administer "$DOSE" cody 3333
refused 422 balance_would_go_negative "2 tablets from a stock of 1"
api GET "/doses/$DOSE"
[ "$(jqout .state)" = due ] || fail "the short dose is not still due"
checks=$((checks + 1))

# A refusal is recorded with its reason and counts as not taken; the
# refused dose cannot then be withheld, but a patient who declined may
# come back within the window and be given it, which ends the run.
find_dose "$P5" 2027-01-11T08:00:00Z
D5=$DOSE
api POST "/doses/$D5/refuse" '{"reason":"declined: wants to reduce"}'
expect_status 200
checks=$((checks + 2))
[ "$(jqout '"\(.state) \(.recorded_by.username)"')" = "refused nina" ] || fail "not refused: $BODY_OUT"
[ "$(jqout .reason)" = "declined: wants to reduce" ] || fail "reason not kept: $BODY_OUT"
api GET "/prescriptions/$RX5"
checks=$((checks + 1))
[ "$(jqout '"\(.state) \(.not_taken_run)"')" = "active 1" ] || fail "a refusal did not count: $BODY_OUT"
FP=$(fp)
api POST "/doses/$D5/withhold" '{"reason":"x"}'
refused 409 dose_closed "withholding a refused dose"
api POST "/doses/$D5/refuse" '{"reason":"x"}'
refused 409 dose_closed "refusing a refused dose twice"
administer "$D5" cody 3333
expect_status 200
api GET "/prescriptions/$RX5"
checks=$((checks + 2))
[ "$(jqout '"\(.state) \(.not_taken_run)"')" = "active 0" ] || fail "a dose given did not end the run: $BODY_OUT"
[ "$(sql "SELECT count(*) FROM register_entries WHERE dose_id = '$D5'")" = 1 ] || fail "register entry of the dose given after a refusal"

# Every competent role may witness: a nurse, a competent other, a
# pharmacist.
balance "$M"
B0=$BAL
n=0
for w in "nora 1212" "cody 3333" "phil 4444"; do
	n=$((n + 1))
	eval "p=\$P$n"
	find_dose "$p" 2027-01-11T08:00:00Z
	# shellcheck disable=SC2086
	administer "$DOSE" $w
	expect_status 200
	[ "$(jqout .witnessed_by.username)" = "${w% *}" ] || fail "witness $w: $BODY_OUT"
	[ "$(jqout .administered_by.username)" = nina ] || fail "giver: $BODY_OUT"
	[ "$(jqout .dose)" = 60 ] || fail "dose: $BODY_OUT"
	E=$(jqout .register_entry_id)
	[ "$(sql "SELECT kind, quantity, dose_id, witness_id = (SELECT id FROM staff WHERE username = '${w% *}') FROM register_entries WHERE id = '$E'")" = "administration|-60000|$DOSE|1" ] ||
	    fail "register entry of $DOSE"
	api GET "/doses/$DOSE"
	[ "$(jqout '"\(.state) \(.administered_by.username) \(.witnessed_by.username) \(.register_entry_id)"')" = "given nina ${w% *} $E" ] ||
	    fail "dose after giving: $BODY_OUT"
	checks=$((checks + 4))
	D_GIVEN=$DOSE
done
balance "$M"
[ "$BAL" = "$(jq -n "$B0 - 180")" ] || fail "balance $B0 -> $BAL after three doses of 60"
checks=$((checks + 1))

FP=$(fp)
TOKEN=$NURSE
administer "$D_GIVEN" nora 1212
refused 409 already_administered "giving a dose twice"
api POST "/doses/$D_GIVEN/refuse" '{"reason":"x"}'
refused 409 already_administered "refusing a given dose"
administer 00000000-0000-4000-8000-000000000000 nora 1212
refused 404 not_found "an unknown dose"
administer not-a-uuid nora 1212
refused 404 not_found "a dose id that is not a UUID"

# ========================================================================
# An idempotent retry replays the answer and gives the dose once.
# ========================================================================
new_patient 2027-01-11T07:00:00Z
PI=$PAT
prescribe "$PI" "$M" 45.5 '["08:00"]' 2027-01-11
settle
find_dose "$PI" 2027-01-11T08:00:00Z
balance "$M"
B0=$BAL
K=$(uuid)
TOKEN=$NURSE
administer "$DOSE" cody 3333 -H "Idempotency-Key: $K"
expect_status 200
FIRST=$BODY_OUT
administer "$DOSE" cody 3333 -H "Idempotency-Key: $K"
expect_status 200
checks=$((checks + 1))
[ "$BODY_OUT" = "$FIRST" ] || fail "the retry answered differently: $FIRST / $BODY_OUT"
administer "$DOSE" cody 3333 -H "Idempotency-Key: $(printf '%s' "$K" | tr a-f A-F)"
expect_status 200
checks=$((checks + 1))
[ "$BODY_OUT" = "$FIRST" ] || fail "the upper-case key answered differently"
api POST "/doses/$DOSE/administer" \
    '{"witness":{"username":"cody","pin":"3333"},"note":"retry"}' \
    -H "Idempotency-Key: $K"
expect_status 409 idempotency_mismatch
administer "$DOSE" phil 4444 -H "Idempotency-Key: $K"
expect_status 409 idempotency_mismatch
administer "$DOSE" cody 3333
expect_status 409 already_administered
checks=$((checks + 2))
[ "$(sql "SELECT count(*) FROM register_entries WHERE dose_id = '$DOSE'")" = 1 ] ||
    fail "the retry wrote a second register entry"
balance "$M"
[ "$BAL" = "$(jq -n "$B0 - 45.5")" ] || fail "balance $B0 -> $BAL after one dose of 45.5"

# ========================================================================
# Two terminals give the same dose at once, ten times over: one is
# signed, the other told it is already given; one register entry each.
# ========================================================================
RACE=""
for n in 1 2 3 4 5 6 7 8 9 10; do
	new_patient 2027-01-11T07:00:00Z
	prescribe "$PAT" "$M" 30 '["08:00"]' 2027-01-11
	RACE="$RACE $PAT"
done
settle
TOKEN=$NURSE
balance "$M"
B0=$BAL
# post_bg OUT TOKEN WITNESS PIN DOSE [curl args]: an administer in the
# background, confirming the cautions in $CAUTIONS (a JSON object); its
# status goes to OUT.status and its body to OUT.
post_bg() {
	out=$1
	tok=$2
	d=$5
	body=$(witness "$3" "$4" | jq -c --argjson c "$CAUTIONS" '. + $c')
	shift 5
	curl -s -m 20 -o "$out" -w '%{http_code}' -X POST \
	    -H "Authorization: Bearer $tok" \
	    -H 'Content-Type: application/json' "$@" --data-binary "$body" \
	    "$(BASE)/doses/$d/administer" > "$out.status" || true
}
RACED=""
for p in $RACE; do
	find_dose "$p" 2027-01-11T08:00:00Z
	RACED="$RACED $DOSE"
	CAUTIONS=$(with_cautions "$DOSE" '{}')
	post_bg "$T/ra" "$NURSE" cody 3333 "$DOSE" -H "Idempotency-Key: $(uuid)" &
	pa=$!
	post_bg "$T/rb" "$NURSE2" phil 4444 "$DOSE" &
	pb=$!
	wait $pa || true
	wait $pb || true
	both=$(printf '%s\n%s\n' "$(cat "$T/ra.status")" "$(cat "$T/rb.status")" | sort | tr '\n' ' ')
	checks=$((checks + 1))
	[ "$both" = "200 409 " ] || fail "race on $DOSE: $both $(cat "$T/ra") $(cat "$T/rb")"
	for x in ra rb; do
		if [ "$(cat "$T/$x.status")" = 409 ]; then
			checks=$((checks + 1))
			[ "$(jq -r .error.code "$T/$x")" = already_administered ] ||
			    fail "the loser got $(cat "$T/$x")"
		else
			winner=$(jq -r .administered_by.username "$T/$x")
		fi
	done
	api GET "/doses/$DOSE"
	checks=$((checks + 2))
	[ "$(jqout .state)" = given ] || fail "raced dose not given"
	[ "$(jqout .administered_by.username)" = "$winner" ] || fail "the dose names $(jqout .administered_by.username), the 200 named $winner"
done
checks=$((checks + 2))
# shellcheck disable=SC2086
in_list=$(printf "'%s'," $RACED)
[ "$(sql "SELECT count(*), count(DISTINCT dose_id) FROM register_entries WHERE dose_id IN (${in_list%,})")" = "10|10" ] ||
    fail "not one register entry per raced dose"
balance "$M"
[ "$BAL" = "$(jq -n "$B0 - 300")" ] || fail "balance $B0 -> $BAL after ten doses of 30"

# ========================================================================
# Continuity: the first dose given meets the treatment clock.
# ========================================================================
new_patient 2027-01-11T08:00:00Z '{"drug":"methadone","dose":40,"unit":"ml","prescriber":"Dr C","last_dose_at":"2027-01-10T08:00:00Z"}'
PC=$PAT
prescribe "$PC" "$M" 40 '["08:00"]' 2027-01-11
settle
api GET "/clocks?state=running"
checks=$((checks + 1))
[ "$(jqout "[.[] | select(.patient_id == \"$PC\" and .kind == \"treatment_continued\")] | length")" = 1 ] ||
    fail "no running treatment clock: $BODY_OUT"
TOKEN=$NURSE
find_dose "$PC" 2027-01-11T08:00:00Z
administer "$DOSE" cody 3333
expect_status 200
checks=$((checks + 1))
[ "$(jqout .treatment_clock_met)" = true ] || fail "the first dose did not meet the clock: $BODY_OUT"
api GET /clocks
checks=$((checks + 1))
[ "$(jqout ".[] | select(.patient_id == \"$PC\" and .kind == \"treatment_continued\") | \"\(.state) \(.met_how) \(.breached)\"")" = "met dose false" ] ||
    fail "treatment clock: $BODY_OUT"
# (Its second dose is given tomorrow, below.)

# ========================================================================
# Stop: the doses not yet given go; a second stop is refused; then a new
# prescription for the same product may be written.
# ========================================================================
new_patient 2027-01-11T07:00:00Z
PS=$PAT
prescribe "$PS" "$M" 50 '["08:00","20:00"]' 2027-01-11
RXS=$RX
settle
TOKEN=$NURSE
find_dose "$PS" 2027-01-11T08:00:00Z
DS_GIVEN=$DOSE
administer "$DOSE" cody 3333
expect_status 200
find_dose "$PS" 2027-01-11T20:00:00Z
DS_LATE=$DOSE
checks=$((checks + 1))
[ "$(sql "SELECT count(*) FROM doses WHERE prescription_id = '$RXS'")" -ge 4 ] ||
    fail "fewer doses laid out than 48 hours hold"
TOKEN=$DOC
api POST /prescriptions "$(jq -cn --arg p "$PS" --arg m "$M" '{patient_id: $p,
    product_id: $m, regimen: "maintenance", dose: 40, times: ["09:00"],
    start_date: "2027-01-13"}')"
expect_status 409 prescription_exists
api POST /prescriptions "$(jq -cn --arg p "$PS" --arg m "$M" '{patient_id: $p,
    product_id: $m, regimen: "maintenance", dose: 40, times: ["09:00"],
    start_date: "2027-01-13", end_date: "2027-01-20"}')"
expect_status 409 prescription_exists
api POST "/prescriptions/$RXS/stop" '{}'
expect_status 400 missing_field
api POST "/prescriptions/$RXS/stop" '{"reason":"transferred to buprenorphine"}'
expect_status 200
checks=$((checks + 4))
[ "$(jqout .state)" = stopped ] || fail "not stopped: $BODY_OUT"
[ "$(jqout .stop_reason)" = "transferred to buprenorphine" ] || fail "stop reason: $BODY_OUT"
[ "$(jqout .stopped_at)" != null ] || fail "stopped_at: $BODY_OUT"
[ "$(sql "SELECT group_concat(id || ':' || state) FROM doses WHERE prescription_id = '$RXS'")" = "$DS_GIVEN:given" ] ||
    fail "the doses not yet given were not removed: $(sql "SELECT id, state FROM doses WHERE prescription_id = '$RXS'")"
api POST "/prescriptions/$RXS/stop" '{"reason":"again"}'
expect_status 409 already_stopped
api POST "/prescriptions/$RXS/review" '{"note":"x"}'
expect_status 409 already_stopped
TOKEN=$NURSE
administer "$DS_LATE" cody 3333
expect_status 404 not_found
TOKEN=$DOC
prescribe "$PS" "$M" 40 '["08:00","20:00"]' 2027-01-11
RXS2=$RX
checks=$((checks + 1))
[ "$(jqout .state)" = active ] || fail "the new prescription: $BODY_OUT"
api GET "/prescriptions?patient_id=$PS"
expect_status 200
checks=$((checks + 1))
[ "$(jqout '[.[] | "\(.id) \(.state)"] | join(",")')" = "$RXS2 active,$RXS stopped" ] ||
    fail "the patient's prescriptions, newest first: $BODY_OUT"
settle
TOKEN=$NURSE
# This morning's dose was given under the old prescription: the new one
# does not offer it again; tonight's is the new one's.
api GET "/doses?date=2027-01-11&patient_id=$PS"
checks=$((checks + 1))
[ "$(jqout '[.[] | "\(.due_at) \(.prescription_id) \(.dose) \(.state)"] | join(",")')" = \
    "2027-01-11T08:00:00Z $RXS 50 given,2027-01-11T20:00:00Z $RXS2 40 scheduled" ] ||
    fail "the patient's doses today after the rewrite: $BODY_OUT"
api GET "/doses?date=2027-01-12&patient_id=$PS"
checks=$((checks + 1))
[ "$(jqout '[.[] | "\(.due_at) \(.prescription_id)"] | join(",")')" = \
    "2027-01-12T08:00:00Z $RXS2,2027-01-12T20:00:00Z $RXS2" ] ||
    fail "the patient's doses tomorrow: $BODY_OUT"

# ========================================================================
# Doses not taken, counted across days.  M1: given, missed, refused,
# withheld -> held; held while held; reviewed; given.  M2: given, missed,
# missed, given, missed, missed -> never held.
# ========================================================================
new_patient 2027-01-11T07:00:00Z
PM1=$PAT
prescribe "$PM1" "$M" 30 '["08:00"]' 2027-01-12
RXM1=$RX
new_patient 2027-01-11T07:00:00Z
PM2=$PAT
prescribe "$PM2" "$M" 30 '["08:00"]' 2027-01-12
RXM2=$RX

# rx_is RX "STATE RUN": the prescription's state and run of doses not taken.
rx_is() {
	api GET "/prescriptions/$1"
	expect_status 200
	checks=$((checks + 1))
	[ "$(jqout '"\(.state) \(.not_taken_run)"')" = "$2" ] ||
	    fail "prescription $1: expected $2: $BODY_OUT"
}
# give PATIENT DUE_AT
give() {
	TOKEN=$NURSE
	find_dose "$1" "$2"
	administer "$DOSE" cody 3333
	expect_status 200
}

# Tue 12: both given.
clock_to 2027-01-12T08:30:00Z
sign_all
give "$PM1" 2027-01-12T08:00:00Z
give "$PM2" 2027-01-12T08:00:00Z
# The continuity patient's second dose does not meet the clock again.
give "$PC" 2027-01-12T08:00:00Z
checks=$((checks + 1))
[ "$(jqout .treatment_clock_met)" = false ] || fail "the second dose met the clock again: $BODY_OUT"
# Wed 13: neither given.
clock_to 2027-01-13T08:30:00Z
sign_all
# Thu 14: yesterday's are missed, with a ward warning each.
clock_to 2027-01-14T08:30:00Z
sign_all
find_dose "$PM1" 2027-01-13T08:00:00Z
MISSED=$DOSE
api GET "/doses/$MISSED"
checks=$((checks + 1))
[ "$(jqout .state)" = missed ] || fail "not missed: $BODY_OUT"
api GET /alerts
checks=$((checks + 1))
[ "$(jqout "[.[] | select(.subject_id == \"$MISSED\") | \"\(.kind) \(.severity) \(.audience) \(.patient_id)\"] | join(\",\")")" = \
    "dose_missed warning ward $PM1" ] || fail "the missed dose's alert: $BODY_OUT"
rx_is "$RXM1" "active 1"
rx_is "$RXM2" "active 1"
FP=$(fp)
TOKEN=$NURSE
administer "$MISSED" cody 3333
refused 409 dose_closed "giving a missed dose"
api POST "/doses/$MISSED/refuse" '{"reason":"x"}'
refused 409 dose_closed "refusing a missed dose"
TOKEN=$NURSE
find_dose "$PM1" 2027-01-14T08:00:00Z
api POST "/doses/$DOSE/refuse" '{}'
expect_status 400 missing_field
api POST "/doses/$DOSE/refuse" '{"reason":"declined: feels well"}'
expect_status 200
rx_is "$RXM1" "active 2"
# Fri 15: M1 withheld (the third not taken: held); M2 given (run ends).
clock_to 2027-01-15T08:30:00Z
sign_all
rx_is "$RXM2" "active 2"
TOKEN=$NURSE
find_dose "$PM1" 2027-01-15T08:00:00Z
api POST "/doses/$DOSE/withhold" '{"reason":"drowsy, pupils pinned"}'
expect_status 200
checks=$((checks + 2))
[ "$(jqout .state)" = withheld ] || fail "not withheld: $BODY_OUT"
[ "$(jqout .reason)" = "drowsy, pupils pinned" ] || fail "reason: $BODY_OUT"
rx_is "$RXM1" "held 3"
TOKEN=$MGR
api GET /alerts
TOKEN=$NURSE
checks=$((checks + 1))
[ "$(jqout "[.[] | select(.subject_id == \"$RXM1\") | \"\(.kind) \(.severity) \(.audience) \(.patient_id)\"] | sort | join(\",\")")" = \
    "prescription_held urgent manager $PM1,prescription_held urgent prescriber $PM1" ] ||
    fail "the hold's alerts: $BODY_OUT"
give "$PM2" 2027-01-15T08:00:00Z
rx_is "$RXM2" "active 0"
# Sat 16: M1's dose shows held and cannot be signed.
clock_to 2027-01-16T08:30:00Z
sign_all
TOKEN=$NURSE
find_dose "$PM1" 2027-01-16T08:00:00Z
D16=$DOSE
checks=$((checks + 1))
[ "$(jqout ".[] | select(.id == \"$D16\") | .state")" = held ] || fail "not shown held: $BODY_OUT"
api GET "/doses?date=2027-01-16&state=held"
checks=$((checks + 1))
[ "$(jqout "[.[] | select(.id == \"$D16\")] | length")" = 1 ] || fail "?state=held does not list it"
FP=$(fp)
administer "$D16" cody 3333
refused 422 held_for_review "a dose of a held prescription"
# Sun 17: Saturday's dose closed as held, with no missed-dose alert; the
# review lifts the hold and settles its alerts; today's dose is given.
clock_to 2027-01-17T08:30:00Z
sign_all
api GET "/doses/$D16"
checks=$((checks + 1))
[ "$(jqout .state)" = held ] || fail "Saturday's dose: $BODY_OUT"
checks=$((checks + 1))
[ "$(sql "SELECT state FROM doses WHERE id = '$D16'")" = held ] || fail "not stored as held"
api GET /alerts
checks=$((checks + 1))
[ "$(jqout "[.[] | select(.subject_id == \"$D16\")] | length")" = 0 ] || fail "a held dose raised an alert"
find_dose "$PM1" 2027-01-17T08:00:00Z
D17=$DOSE
administer "$D17" cody 3333
expect_status 422 held_for_review
TOKEN=$NURSE
api POST "/prescriptions/$RXM1/review" '{"note":"seen; restart at 30 ml"}'
expect_status 403 forbidden
TOKEN=$DOC
api POST "/prescriptions/$RXM1/review" '{"note":"seen; restart at 30 ml"}'
expect_status 200
checks=$((checks + 2))
[ "$(jqout '"\(.state) \(.not_taken_run) \(.held_at)"')" = "active 0 null" ] || fail "review: $BODY_OUT"
[ "$(sql "SELECT count(*) FROM prescription_reviews WHERE prescription_id = '$RXM1'")" = 1 ] || fail "review not recorded"
api POST "/prescriptions/$RXM1/review" '{"note":"again"}'
expect_status 409 not_held
# Saturday's dose stays held, and is closed: no longer "held for review"
# once the review has lifted the hold (issue 22).
TOKEN=$NURSE
FP=$(fp)
administer "$D16" cody 3333
refused 409 dose_closed "Saturday's held dose after the review"
api GET "/doses/$D16"
checks=$((checks + 1))
[ "$(jqout .state)" = held ] || fail "Saturday's dose after the review: $BODY_OUT"
TOKEN=$MGR
api GET /alerts
TOKEN=$DOC
checks=$((checks + 2))
[ "$(jqout "[.[] | select(.subject_id == \"$RXM1\" and .kind == \"prescription_held\" and .acked_at != null and .ack_note == \"reviewed by a prescriber\")] | length")" = 2 ] ||
    fail "the hold's alerts were not acknowledged by the review: $BODY_OUT"
api GET '/alerts?state=open'
HOLD_ALERTS=$(sql "SELECT group_concat('\"' || id || '\"') FROM alerts WHERE subject_id = '$RXM1'")
[ "$(jqout "[.[] | select(.subject_id == \"$RXM1\" or (.subject_id | IN($HOLD_ALERTS)))] | length")" = 0 ] ||
    fail "alerts of the hold (or their escalations) left open: $BODY_OUT"
api GET "/doses/$D17"
checks=$((checks + 1))
[ "$(jqout .state)" = due ] || fail "today's dose after the review: $BODY_OUT"
give "$PM1" 2027-01-17T08:00:00Z
# After Sunday's window, M2 has two missed in a row: still not held.
clock_to 2027-01-17T12:00:00Z
sign_all
rx_is "$RXM2" "active 2"
rx_is "$RXM1" "active 0"
api GET /alerts
checks=$((checks + 2))
[ "$(jqout "[.[] | select(.subject_id == \"$RXM2\")] | length")" = 0 ] || fail "M2 was held: $BODY_OUT"
[ "$(jqout "[.[] | select(.kind == \"dose_missed\" and .patient_id == \"$PM2\")] | length")" = 4 ] ||
    fail "M2 has not 4 missed-dose alerts: $BODY_OUT"

# ========================================================================
# Reducing steps: 30, then 20 from the 2nd, 12.5 from the 3rd, 0 from
# the 4th (the end).
# ========================================================================
clock_to 2027-02-01T06:00:00Z
sign_all
new_patient 2027-02-01T05:00:00Z
PR=$PAT
prescribe "$PR" "$M" 30 '["08:00"]' 2027-02-01 '.regimen = "reducing" |
    .steps = [{from_date: "2027-02-02", dose: 20},
    {from_date: "2027-02-03", dose: 12.5}, {from_date: "2027-02-04", dose: 0}]'
RXR=$RX
checks=$((checks + 2))
[ "$(jqout '"\(.regimen) \(.current_dose) \(.state)"')" = "reducing 30 active" ] || fail "reducing: $BODY_OUT"
[ "$(jqout '[.steps[] | "\(.from_date)=\(.dose)"] | join(",")')" = "2027-02-02=20,2027-02-03=12.5,2027-02-04=0" ] ||
    fail "steps: $BODY_OUT"
# day_doses PATIENT DATE: "due_at=dose ..." of the patient's doses that day.
day_doses() {
	api GET "/doses?date=$2&patient_id=$1"
	expect_status 200
	DAY=$(jqout '[.[] | "\(.due_at)=\(.dose)"] | join(" ")')
}
day_doses "$PR" 2027-02-01
checks=$((checks + 1))
[ "$DAY" = "2027-02-01T08:00:00Z=30" ] || fail "1 Feb: $DAY"
day_doses "$PR" 2027-02-02
checks=$((checks + 1))
[ "$DAY" = "2027-02-02T08:00:00Z=20" ] || fail "2 Feb: $DAY"
clock_to 2027-02-03T08:30:00Z
sign_all
wait_sql "SELECT generated_until > $(date -ud 2027-02-04T08:00:00Z +%s)000 FROM prescriptions WHERE id = '$RXR'" 1
day_doses "$PR" 2027-02-03
checks=$((checks + 1))
[ "$DAY" = "2027-02-03T08:00:00Z=12.5" ] || fail "3 Feb: $DAY"
api GET "/prescriptions/$RXR"
checks=$((checks + 1))
[ "$(jqout .current_dose)" = 12.5 ] || fail "current dose on 3 Feb: $BODY_OUT"
TOKEN=$NURSE
balance "$M"
B0=$BAL
find_dose "$PR" 2027-02-03T08:00:00Z
administer "$DOSE" cody 3333
expect_status 200
checks=$((checks + 2))
[ "$(jqout .dose)" = 12.5 ] || fail "the answer's dose: $BODY_OUT"
[ "$(jqout .balance_after)" = "$(jq -n "$B0 - 12.5")" ] || fail "balance after 12.5 from $B0: $BODY_OUT"
day_doses "$PR" 2027-02-04
checks=$((checks + 1))
[ "$DAY" = "" ] || fail "a dose on the zero step: $DAY"
day_doses "$PR" 2027-02-05
checks=$((checks + 1))
[ "$DAY" = "" ] || fail "a dose after the zero step: $DAY"
clock_to 2027-02-04T12:00:00Z
sign_all
for d in 2027-02-04 2027-02-05 2027-02-06; do
	day_doses "$PR" $d
	checks=$((checks + 1))
	[ "$DAY" = "" ] || fail "a dose on $d after the zero step: $DAY"
done
api GET "/prescriptions/$RXR"
checks=$((checks + 1))
[ "$(jqout '"\(.state) \(.current_dose)"')" = "ended 0" ] || fail "after the zero step: $BODY_OUT"

# ========================================================================
# Round times across the DST changes: 01:30 and 08:00 local.
# ========================================================================
# Spring: on Sunday 28 March 2027 01:00 GMT becomes 02:00 BST.
clock_to 2027-03-26T23:00:00Z
sign_all
new_patient 2027-03-26T22:00:00Z
PD=$PAT
prescribe "$PD" "$M" 20 '["01:30","08:00"]' 2027-03-27 '.end_date = "2027-03-29"'
RXD=$RX
day_doses "$PD" 2027-03-27
checks=$((checks + 1))
[ "$DAY" = "2027-03-27T01:30:00Z=20 2027-03-27T08:00:00Z=20" ] || fail "27 Mar: $DAY"
day_doses "$PD" 2027-03-28
checks=$((checks + 1))
[ "$DAY" = "2027-03-28T01:30:00Z=20 2027-03-28T07:00:00Z=20" ] || fail "28 Mar (spring forward): $DAY"
clock_to 2027-03-28T12:00:00Z
sign_all
wait_sql "SELECT count(*) FROM doses WHERE prescription_id = '$RXD'" 6
day_doses "$PD" 2027-03-29
checks=$((checks + 1))
[ "$DAY" = "2027-03-29T00:30:00Z=20 2027-03-29T07:00:00Z=20" ] || fail "29 Mar (BST): $DAY"
api GET "/doses?date=2027-03-28&patient_id=$PD"
checks=$((checks + 1))
[ "$(jqout '[.[].window_start] | join(" ")')" = "2027-03-28T00:30:00Z 2027-03-28T06:00:00Z" ] ||
    fail "windows are durations around the instant: $BODY_OUT"

# Autumn: on Sunday 31 October 2027 02:00 BST becomes 01:00 GMT; 01:30
# happens twice and the first is taken.
clock_to 2027-10-29T22:00:00Z
sign_all
new_patient 2027-10-29T21:00:00Z
PA=$PAT
prescribe "$PA" "$M" 20 '["01:30","08:00"]' 2027-10-30 '.end_date = "2027-11-01"'
RXA=$RX
day_doses "$PA" 2027-10-30
checks=$((checks + 1))
[ "$DAY" = "2027-10-30T00:30:00Z=20 2027-10-30T07:00:00Z=20" ] || fail "30 Oct (BST): $DAY"
day_doses "$PA" 2027-10-31
checks=$((checks + 1))
[ "$DAY" = "2027-10-31T00:30:00Z=20 2027-10-31T08:00:00Z=20" ] || fail "31 Oct (fall back): $DAY"
clock_to 2027-10-31T12:00:00Z
sign_all
wait_sql "SELECT count(*) FROM doses WHERE prescription_id = '$RXA'" 6
day_doses "$PA" 2027-11-01
checks=$((checks + 1))
[ "$DAY" = "2027-11-01T01:30:00Z=20 2027-11-01T08:00:00Z=20" ] || fail "1 Nov (GMT): $DAY"
day_doses "$PA" 2027-11-02
checks=$((checks + 1))
[ "$DAY" = "" ] || fail "a dose after the end date: $DAY"

# ========================================================================
# doses.hold_after = 2: the second dose not taken holds.
# ========================================================================
stop_daemon
EXTRA_CONFIG='sessions = { idle_minutes = 1440; };
doses = { hold_after = 2; };'
start_daemon --test-clock
clock_to 2027-11-08T08:30:00Z
sign_all
new_patient 2027-11-08T07:00:00Z
PH=$PAT
prescribe "$PH" "$M" 25 '["08:00","12:00"]' 2027-11-08
RXH=$RX
settle
TOKEN=$NURSE
find_dose "$PH" 2027-11-08T08:00:00Z
api POST "/doses/$DOSE/refuse" '{"reason":"declined"}'
expect_status 200
rx_is "$RXH" "active 1"
clock_to 2027-11-08T14:30:00Z
sign_all
rx_is "$RXH" "held 2"
TOKEN=$MGR
api GET /alerts
TOKEN=$NURSE
checks=$((checks + 1))
[ "$(jqout "[.[] | select(.subject_id == \"$RXH\") | \"\(.kind) \(.severity) \(.audience)\"] | sort | join(\",\")")" = \
    "prescription_held urgent manager,prescription_held urgent prescriber" ] ||
    fail "hold_after = 2: $BODY_OUT"

# A dose refused, then its prescription stopped and rewritten: the
# refused dose of the stopped one cannot be given (409
# prescription_stopped), and nothing moves; the new one's dose can.  And
# the rewrite carries no run from a held prescription.
clock_to 2027-11-09T07:30:00Z
sign_all
new_patient 2027-11-09T07:00:00Z
PS=$PAT
prescribe "$PS" "$M" 25 '["08:00"]' 2027-11-09
RXS=$RX
settle
TOKEN=$NURSE
find_dose "$PS" 2027-11-09T08:00:00Z
OLD=$DOSE
api POST "/doses/$OLD/refuse" '{"reason":"declined"}'
expect_status 200
TOKEN=$DOC
api POST "/prescriptions/$RXS/stop" '{"reason":"dose change"}'
expect_status 200
prescribe "$PS" "$M" 20 '["08:00"]' 2027-11-09
RXT=$RX
rx_is "$RXT" "active 1"
TOKEN=$NURSE
FPS=$(fp)
administer "$OLD" cody 3333
expect_status 409 prescription_stopped
checks=$((checks + 1))
[ "$(fp)" = "$FPS" ] || fail "giving a stopped prescription's dose changed something"
api GET "/doses?date=2027-11-09&patient_id=$PS"
DOSE=$(jqout ".[] | select(.prescription_id == \"$RXT\") | .id")
administer "$DOSE" cody 3333
expect_status 200

# The held prescription of the hold_after = 2 run above, stopped and
# rewritten: the new one starts from nothing.
TOKEN=$DOC
api POST "/prescriptions/$RXH/stop" '{"reason":"reviewed: new dose"}'
expect_status 200
prescribe "$PH" "$M" 20 '["08:00"]' 2027-11-10
rx_is "$RX" "active 0"

sign_in mona 8888
api GET /audit/verify
checks=$((checks + 1))
[ "$(jqout .ok)" = true ] || fail "audit chain broken"
pass
