#!/bin/sh
# Prescribing limits and units (issue 15), replaying what a new user found
# on the DEMO ward: 900 ml of methadone 1 mg/ml written for a patient with
# no opioid treatment on record, and 1,000,000,000 ml, both accepted, and
# doses shown in ml alone.  Now: a pharmacist sets the product's strength
# and limits (PATCH /v1/products/{id}, audited; each malformed field
# refused, nothing changed); a dose above a limit is refused
# (dose_above_limit: single, daily, a reducing step; an override does
# not lift it); the first opioid substitute in custody above the
# first-dose ceiling (no community dose) or above the community dose
# confirmed at arrival needs an override with a reason
# (override_required with reasons[]; a blank reason and an override not
# needed refused with their own codes), recorded on the prescription, in
# the audit and on the first dose the nurse gives; a second prescription
# in custody is not checked again; every dose answers its active amount.
# Then idtsctl: products set by a unique prefix, an ambiguous prefix
# naming the candidates, prescribe refused with its reasons and written
# with --override, the round showing "60 ml (60 mg)" and the override.
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/ctllib.sh
. "$(dirname "$0")/ctllib.sh"

clock_to 2027-01-11T08:30:00Z
sign_in boss 424242
BOSS=$TOKEN
# ctllib.sh's add_staff: with idtsctl, a clinical role approved by a
# second admin.
IDTS_PIN=424242 ok as boss $C login boss
add_staff "doc Dr_Doc prescriber 5555" "phil Phil_Pharmacist pharmacist 4444" \
    "rita Rita_Reception reception 6666" "nina Nina_Nurse nurse 1111" \
    "cody Cody_Competent competent 3333"
sign_in doc 5555
DOC=$TOKEN
sign_in phil 4444
PHARM=$TOKEN
sign_in rita 6666
RECEP=$TOKEN
sign_in nina 1111
NURSE=$TOKEN

# --- the product, as the DEMO ward had it: no strength, no limits -------
TOKEN=$PHARM
api POST /products '{"name":"Methadone","form":"oral solution",'\
'"strength":"1mg/ml","unit":"ml"}'
expect_status 201
M=$(jqout .id)
checks=$((checks + 1))
[ "$(jqout '[.active_per_unit, .max_single_dose, .max_daily_dose,
    .opioid_substitute] | map(tostring) | join(" ")')" = \
    "null null null false" ] || fail "a new product has no strength: $BODY_OUT"
api POST "/register/$M/receipts" '{"quantity":5000,"supplier":"Alliance",'\
'"reference":"INV-1","witness":{"username":"cody","pin":"3333"}}'
expect_status 201

NPAT=0
# new_patient [COMMUNITY_TREATMENT_JSON]: sets PAT.
new_patient() {
	NPAT=$((NPAT + 1))
	TOKEN=$RECEP
	api POST /patients "$(jq -cn --arg pn "$(printf 'A%04dAA' $NPAT)" \
	    --argjson ct "${1:-null}" '{prison_number: $pn, given_name: "Jo",
	    family_name: "Case", date_of_birth: "1990-01-01",
	    arrived_at: "2027-01-11T07:00:00Z", location: "A1",
	    stimulant_user: false, community_treatment: $ct}')"
	expect_status 201
	PAT=$(jqout .id)
}
# rx PATIENT DOSE [JQ_FILTER]: a maintenance prescription at 09:00 from
# today, as the prescriber; the answer in STATUS and BODY_OUT.
rx() {
	TOKEN=$DOC
	api POST /prescriptions "$(jq -cn --arg p "$1" --arg m "$M" \
	    --argjson d "$2" '{patient_id: $p, product_id: $m,
	    regimen: "maintenance", dose: $d, times: ["09:00"],
	    start_date: "2027-01-11"}' | jq -c "${3:-.}")"
}

# --- PATCH /v1/products/{id}: every malformed field refused -------------
FP_TABLES="products audit"
fp=$(table_fingerprint $FP_TABLES)
patch_refused() {
	TOKEN=${3:-$PHARM}
	api PATCH "/products/$M" "$1"
	expect_status "${2%% *}" "${2#* }"
}
patch_refused '{"max_single_dose":120}' "403 forbidden" "$DOC"
patch_refused '{}' "400 missing_field"
patch_refused '{"strength":"2mg/ml"}' "400 unknown_field"
patch_refused '{"active_per_unit":"1 mg"}' "400 invalid_field"
for q in 0 1.0001 -1; do
	patch_refused "$(printf '{"active_per_unit":%s}' \
	    "{\"quantity\":$q,\"unit\":\"mg\"}")" "400 invalid_field"
done
patch_refused '{"active_per_unit":{"quantity":1}}' "400 missing_field"
patch_refused '{"active_per_unit":{"quantity":1,"unit":""}}' "400 invalid_field"
patch_refused '{"active_per_unit":{"quantity":1,"unit":"mg","per":"ml"}}' \
    "400 unknown_field"
patch_refused '{"max_single_dose":0}' "400 invalid_field"
patch_refused '{"max_single_dose":-5}' "400 invalid_field"
patch_refused '{"max_daily_dose":"120"}' "400 invalid_field"
patch_refused '{"max_daily_dose":1e300}' "400 invalid_field"
patch_refused '{"opioid_substitute":"yes"}' "400 invalid_field"
patch_refused '{"opioid_substitute":null}' "400 invalid_field"
patch_refused '{"max_single_dose":150,"max_daily_dose":120}' \
    "422 limits_inconsistent"
api PATCH /products/00000000-0000-4000-8000-000000000000 \
    '{"opioid_substitute":true}'
expect_status 404 not_found
checks=$((checks + 1))
[ "$(table_fingerprint $FP_TABLES)" = "$fp" ] ||
    fail "a refused PATCH changed a product or the audit"

# --- the strength as data: 1 mg per ml, an opioid substitute ------------
TOKEN=$PHARM
api PATCH "/products/$M" '{"active_per_unit":{"quantity":1,"unit":"mg"},'\
'"opioid_substitute":true}'
expect_status 200
checks=$((checks + 1))
[ "$(jqout '[.active_per_unit.quantity, .active_per_unit.unit,
    .opioid_substitute, .max_single_dose, .balance] | map(tostring) |
    join(" ")')" = "1 mg true null 5000" ] || fail "PATCH answer: $BODY_OUT"

# --- 900 ml for a patient with no opioid treatment on record ------------
new_patient
P1=$PAT
fp=$(table_fingerprint prescriptions doses audit)
rx "$P1" 900
expect_status 422 override_required
checks=$((checks + 1))
[ "$(jqout '.error.reasons | map(.code) | join(",")')" = \
    "above_first_dose_ceiling" ] || fail "reasons: $BODY_OUT"
CEILING="a day is above the first-dose ceiling for methadone, 30 mg"
jqout '.error.reasons[0].message' | grep -q "900 ml (900 mg) $CEILING" ||
    fail "the reason in words: $BODY_OUT"
rx "$P1" 900 '.override = {reason: "   "}'
expect_status 400 override_reason_required
rx "$P1" 900 '.override = {}'
expect_status 400 override_reason_required
rx "$P1" 900 '.override = "because"'
expect_status 400 invalid_field
rx "$P1" 900 '.override = {reason: "x", by: "me"}'
expect_status 400 unknown_field
checks=$((checks + 1))
[ "$(table_fingerprint prescriptions doses audit)" = "$fp" ] ||
    fail "a refused prescription changed something"

# --- the pharmacist's limits: nothing overrides them --------------------
TOKEN=$PHARM
api PATCH "/products/$M" '{"max_single_dose":120,"max_daily_dose":150}'
expect_status 200
TOKEN=$BOSS
api GET "/audit?limit=1000"
expect_status 200
checks=$((checks + 1))
[ "$(jqout '[.[] | select(.action == "product.update")] | length')" = 2 ] ||
    fail "each PATCH audited: $BODY_OUT"
[ "$(jqout '[.[] | select(.action == "product.update")][1].detail |
    [.before.max_single_dose, .after.max_single_dose,
    .after.max_daily_dose] | map(tostring) | join(" ")')" = "null 120 150" ] ||
    fail "the audit keeps before and after: $BODY_OUT"
fp=$(table_fingerprint prescriptions doses audit)
rx "$P1" 900 '.override = {reason: "community prescriber said 90"}'
expect_status 422 dose_above_limit
jqout .error.message | grep -q "a dose of 900 ml (900 mg) is above the \
largest single dose of Methadone, 120 ml (120 mg)" ||
    fail "the limit in words: $BODY_OUT"
rx "$P1" 1000000000
expect_status 422 dose_above_limit
rx "$P1" 120.001
expect_status 422 dose_above_limit
rx "$P1" 75.001 '.times = ["09:00", "21:00"]'
expect_status 422 dose_above_limit
jqout .error.message |
    grep -q "2 doses a day make 150.002 ml (150.002 mg) a day" ||
    fail "the daily limit in words: $BODY_OUT"
checks=$((checks + 1))
[ "$(table_fingerprint prescriptions doses audit)" = "$fp" ] ||
    fail "a dose above a limit changed something"

# --- the override, with its reason, recorded and shown ------------------
export R1="60 mg daily, confirmed by the community pharmacy"
rx "$P1" 60 '.override = {reason: env.R1}'
expect_status 201
RX1=$(jqout .id)
checks=$((checks + 1))
[ "$(jqout '[.dose, .active.quantity, .active.unit, .current_active.quantity,
    .override.reason, .override.reasons[0].code] | map(tostring) |
    join(" ")')" = "60 60 mg 60 $R1 above_first_dose_ceiling" ] ||
    fail "the prescription keeps its override: $BODY_OUT"
TOKEN=$BOSS
api GET "/audit?limit=1000"
checks=$((checks + 1))
jqout '.[] | select(.action == "prescription.create") |
    .detail.override_detail[0]' | grep -q "60 ml (60 mg) $CEILING" ||
    fail "the audit keeps what was overridden: $BODY_OUT"

# The nurse sees it at the first dose, and only there.
TOKEN=$NURSE
doses_of() {
	api GET "/doses?patient_id=$1&date=$2"
	expect_status 200
	DOSES=$(jqout '[.[] | [.dose, .active.quantity, .active.unit,
	    .override.reason // "-"] | map(tostring) | join(" ")] | join("; ")')
}
doses_of "$P1" 2027-01-11
checks=$((checks + 1))
[ "$DOSES" = "60 60 mg $R1" ] ||
    fail "the first dose carries the override: $BODY_OUT"
doses_of "$P1" 2027-01-12
checks=$((checks + 1))
[ "$DOSES" = "60 60 mg $R1" ] ||
    fail "nor given, the next is the first dose: $BODY_OUT"
doses_of "$P1" 2027-01-11
D1=$(jqout '.[0].id')
api POST "/doses/$D1/administer" "$(jqout '.[0] | {witness: {username:
    "cody", pin: "3333"}, confirm_cautions: [.cautions[]?.code],
    note: "first dose, override read"}')"
expect_status 200
doses_of "$P1" 2027-01-11
checks=$((checks + 1))
[ "$DOSES" = "60 60 mg $R1" ] ||
    fail "the first dose given keeps its override: $BODY_OUT"
doses_of "$P1" 2027-01-12
checks=$((checks + 1))
[ "$DOSES" = "60 60 mg -" ] || fail "the second does not: $BODY_OUT"

# A second prescription in custody is not checked against the ceiling.
TOKEN=$DOC
api POST "/prescriptions/$RX1/stop" '{"reason":"dose change"}'
expect_status 200
rx "$P1" 90 '.start_date = "2027-01-12"'
expect_status 201
checks=$((checks + 1))
[ "$(jqout .override)" = null ] || fail "no override: $BODY_OUT"

# --- the community dose confirmed at arrival ----------------------------
new_patient '{"drug":"methadone","dose":60,"unit":"mg","prescriber":"Dr Smith"}'
P2=$PAT
rx "$P2" 61
expect_status 422 override_required
checks=$((checks + 1))
[ "$(jqout '.error.reasons[0].code')" = above_community_dose ] ||
    fail "above the community dose: $BODY_OUT"
rx "$P2" 60 '.override = {reason: "not needed"}'
expect_status 422 override_not_needed
rx "$P2" 60
expect_status 201
checks=$((checks + 1))
[ "$(jqout .override)" = null ] || fail "at the community dose: $BODY_OUT"
new_patient '{"drug":"methadone","dose":60000,"unit":"micrograms",'\
'"prescriber":"Dr Smith"}'
rx "$PAT" 30
expect_status 422 override_required
checks=$((checks + 1))
[ "$(jqout '.error.reasons[0].code')" = community_dose_not_comparable ] ||
    fail "a unit that cannot be compared: $BODY_OUT"

# --- idtsctl ------------------------------------------------------------
for who in phil:4444 doc:5555 nina:1111; do
	as "${who%:*}" IDTS_PIN="${who#*:}" $C login "${who%:*}" >/dev/null ||
	    fail "login ${who%:*}"
done
ok as phil $C products set meth --max-dose 100
out_has "^Methadone .* 1 mg/ml  *100 / 150  *yes " "products set by a prefix"
status_is 2 as phil $C products set meth --max-dose 0.0001
status_is 2 as phil $C products set meth
ok as phil $C products add --name "Methadone sugar-free" \
    --form "oral solution" \
    --strength 1mg/ml --unit ml
status_is 2 as phil $C products set METH --max-dose 100
err_has "METH could be 2 products" "an ambiguous prefix"
err_has "Methadone 1mg/ml oral solution" "names the first candidate"
err_has "Methadone sugar-free 1mg/ml oral solution" "names the second"
ok as phil $C products set methadone --max-dose 120
out_has "^Methadone  .* 120 / 150" "the whole name chooses among prefixes"
status_is 1 as phil $C products set nosuch --max-dose 1
err_has "no product is called nosuch" "an unknown product"

new_patient
PN=$(printf 'A%04dAA' $NPAT)
R2="community pharmacy confirmed 60 mg"
status_is 1 as doc $C prescribe "$PN" --product methadone --dose 90 \
    --times 09:00 --start 2027-01-11
err_has "[override_required]" "prescribe refused"
err_has "90 ml (90 mg) $CEILING [above_first_dose_ceiling]" \
    "prescribe says why"
status_is 2 as doc $C prescribe "$PN" --product methadone --dose 90 \
    --times 09:00 --start 2027-01-11 --override " "
status_is 1 as doc $C prescribe "$PN" --product methadone --dose 900 \
    --times 09:00 --start 2027-01-11 --override "seen 90"
err_has "[dose_above_limit]" "idtsctl: a limit"
ok as doc $C prescribe "$PN" --product methadone --dose 60 \
    --times 09:00 --start 2027-01-11 --override "$R2"
out_has " 60 ml (60 mg) " "prescribe shows the active amount"
OVER="written over the first-dose checks: $R2"
out_has "$OVER" \
    "prescribe shows the override"
out_has "overrode: no community dose is known" "and what it overrode"
ok as nina $C round
out_has "$PN .* 60 ml (60 mg) " "the round shows the active amount"
out_has "FIRST DOSE of a prescription $OVER" \
    "the round shows the override at the first dose"
DOSE=$(awk -v pn="$PN" '$0 ~ pn { print $NF }' "$T/ctl.out")
ok as nina IDTS_WITNESS_PIN=3333 $C give "$DOSE" --witness cody \
    --confirm first_dose_in_custody --confirm community_dose_unknown \
    --note "override read; first dose"
err_has "FIRST DOSE of a prescription $OVER" \
    "give shows the override before the witness signs"
out_has "given: 60 ml (60 mg) " "give shows the active amount"
pass
