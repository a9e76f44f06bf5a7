#!/bin/sh
# The controlled-drug register (docs/design.md rule 6): receipts, doses given
# through the round, returns, destructions, corrections and stock checks
# on one page, each entry's running balance checked against one worked by
# hand; the page read back in order and in pages; a stock difference
# alerts the managers and the pharmacy; a balance never goes below zero;
# the database itself refuses to change or remove an entry; and a table
# of bad input, each refused with nothing written.
. "$(dirname "$0")/lib.sh"

EXTRA_CONFIG='sessions = { idle_minutes = 1440; };'
init_admin boss 424242
start_daemon --test-clock
set_clock '{"now":"2027-01-11T08:30:00Z"}'
expect_status 200

sign_in boss 424242
ADMIN=$TOKEN
staff() {
	add_staff "$1" "$2" "$3" "$4"
}
staff phil "Phil Pharmacist" '["pharmacist"]' 1111
staff pam "Pam Pharmacist" '["pharmacist"]' 2222
staff cody "Cody Competent" '["competent"]' 3333
staff nina "Nina Nurse" '["nurse"]' 4444
staff nora "Nora Nurse" '["nurse"]' 5555
staff mona "Mona Manager" '["manager"]' 6666
staff doc "Dr Doc" '["prescriber"]' 7777
staff rita "Rita Reception" '["reception"]' 8888
sign_in phil 1111
PHIL=$TOKEN
sign_in pam 2222
PAM=$TOKEN
sign_in nina 4444
NINA=$TOKEN
sign_in nora 5555
NORA=$TOKEN
sign_in mona 6666
MGR=$TOKEN
sign_in doc 7777
DOC=$TOKEN
sign_in rita 8888
RECEP=$TOKEN

w() { printf '"witness":{"username":"%s","pin":"%s"}' "$1" "$2"; }

# --- two register pages, a patient on one of them ----------------------
TOKEN=$PHIL
api POST /products '{"name":"Methadone","form":"oral solution","strength":"1mg/ml","unit":"ml"}'
expect_status 201
A=$(jqout .id)
checks=$((checks + 1))
[ "$(jqout .balance)" = 0 ] || fail "a new page holds nothing: $BODY_OUT"
TOKEN=$ADMIN
api POST /products '{"name":"Buprenorphine","form":"sublingual tablet","strength":"8mg","unit":"tablet"}'
expect_status 201
B=$(jqout .id)

# patient PRISON_NUMBER: a patient on 35.25 ml at 08:00; sets P, RX and
# DOSE (this morning's).
patient() {
	TOKEN=$RECEP
	api POST /patients "{\"prison_number\":\"$1\",\"given_name\":\"Sam\",\"family_name\":\"Stone\",\"date_of_birth\":\"1990-01-15\",\"arrived_at\":\"2027-01-11T07:00:00Z\",\"location\":\"Houseblock 1\",\"stimulant_user\":false,\"community_treatment\":null}"
	expect_status 201
	P=$(jqout .id)
	TOKEN=$DOC
	api POST /prescriptions "{\"patient_id\":\"$P\",\"product_id\":\"$A\",\"regimen\":\"maintenance\",\"dose\":35.25,\"times\":[\"08:00\"],\"start_date\":\"2027-01-11\"}"
	expect_status 201
	RX=$(jqout .id)
	api GET "/doses?date=2027-01-11&patient_id=$P"
	expect_status 200
	DOSE=$(jqout '.[0].id')
}
patient B2345CD
DOSE2=$DOSE
patient A1234BC
DOSE1=$DOSE

# --- the arithmetic, entry by entry --------------------------------------
# EXPECT holds one line per entry on page A, worked by hand:
#   kind quantity balance_after by witness
EXPECT=""
N=0
# entry KIND QUANTITY BALANCE BY WITNESS: the last answer is a new entry
# with these values; it is added to EXPECT and its id kept as E<N>.
entry() {
	checks=$((checks + 1))
	got=$(jqout '"\(.kind) \(.quantity) \(.balance_after) \(.by.username) \(.witness.username)"')
	[ "$got" = "$1 $2 $3 $4 $5" ] || fail "entry $((N + 1)): expected '$1 $2 $3 $4 $5', got '$got': $BODY_OUT"
	N=$((N + 1))
	eval "E$N=\$(jqout .id)"
	EXPECT="$EXPECT$1 $2 $3 $4 $5
"
}

TOKEN=$PHIL
api POST "/register/$A/receipts" "{\"quantity\":500,\"supplier\":\"Alliance Healthcare\",\"reference\":\"INV-001\",$(w cody 3333)}"
expect_status 201
entry receipt 500 500 phil cody
checks=$((checks + 1))
[ "$(jqout '"\(.supplier)|\(.reference)|\(.counted)|\(.difference)"')" = "Alliance Healthcare|INV-001|null|null" ] ||
    fail "receipt fields: $BODY_OUT"
TOKEN=$PAM
api POST "/register/$A/receipts" "{\"quantity\":250.5,\"supplier\":\"Alliance Healthcare\",\"reference\":\"INV-002\",$(w phil 1111)}"
expect_status 201
entry receipt 250.5 750.5 pam phil

# Two doses given through the round write their own entries.
TOKEN=$NINA
api POST "/doses/$DOSE1/administer" "$(with_cautions "$DOSE1" "{$(w cody 3333)}")"
expect_status 200
checks=$((checks + 1))
[ "$(jqout .balance_after)" = 715.25 ] || fail "first dose: $BODY_OUT"
ADM1=$(jqout .register_entry_id)
TOKEN=$NORA
api POST "/doses/$DOSE2/administer" "$(with_cautions "$DOSE2" "{$(w phil 1111)}")"
expect_status 200
checks=$((checks + 1))
[ "$(jqout .balance_after)" = 680 ] || fail "second dose: $BODY_OUT"
ADM2=$(jqout .register_entry_id)
N=$((N + 2))
E3=$ADM1
E4=$ADM2
EXPECT="${EXPECT}administration -35.25 715.25 nina cody
administration -35.25 680 nora phil
"

TOKEN=$PHIL
api POST "/register/$A/returns" "{\"quantity\":100,\"reason\":\"over-supplied; returned to the pharmacy\",$(w cody 3333)}"
expect_status 201
entry return -100 580 phil cody
TOKEN=$PAM
api POST "/register/$A/destructions" "{\"quantity\":5.125,\"reason\":\"bottle broken\",$(w cody 3333)}"
expect_status 201
entry destruction -5.125 574.875 pam cody
TOKEN=$PHIL
api POST "/register/$A/corrections" "{\"corrects_entry_id\":\"$E2\",\"quantity_delta\":10,\"reason\":\"INV-002 was 260.5 ml\",$(w pam 2222)}"
expect_status 201
entry correction 10 584.875 phil pam
checks=$((checks + 1))
[ "$(jqout .corrects_entry_id)" = "$E2" ] || fail "the correction does not name its entry: $BODY_OUT"
api POST "/register/$A/corrections" "{\"corrects_entry_id\":\"$E6\",\"quantity_delta\":-0.875,\"reason\":\"6 ml broken, not 5.125\",$(w cody 3333)}"
expect_status 201
entry correction -0.875 584 phil cody

# A check that agrees: no alert.
TOKEN=$NINA
api POST "/register/$A/checks" "{\"counted\":584,$(w cody 3333)}"
expect_status 201
entry check 0 584 nina cody
checks=$((checks + 1))
[ "$(jqout '"\(.counted) \(.difference)"')" = "584 0" ] || fail "check: $BODY_OUT"
api GET /alerts
checks=$((checks + 1))
[ "$(jqout '[.[] | select(.kind == "stock_discrepancy")] | length')" = 0 ] ||
    fail "a check without a difference raised an alert: $BODY_OUT"

# A check that does not: half a millilitre short, an urgent alert each
# to the managers and the pharmacy; the balance stays the register's.
TOKEN=$PHIL
api POST "/register/$A/checks" "{\"counted\":583.5,$(w pam 2222)}"
expect_status 201
entry check 0 584 phil pam
CHECK=$E10
checks=$((checks + 1))
[ "$(jqout '"\(.counted) \(.difference)"')" = "583.5 -0.5" ] || fail "check: $BODY_OUT"
saved=$TOKEN
TOKEN=$MGR
api GET /alerts
TOKEN=$saved
checks=$((checks + 2))
[ "$(jqout "[.[] | select(.kind == \"stock_discrepancy\") | \"\(.severity) \(.audience) \(.subject_id) \(.patient_id)\"] | sort | join(\",\")")" = \
    "urgent manager $CHECK null,urgent pharmacy $CHECK null" ] ||
    fail "stock discrepancy alerts: $BODY_OUT"
jqout '.[] | select(.kind == "stock_discrepancy") | .message' | grep -q '583.5' ||
    fail "the alert does not say what was counted: $BODY_OUT"

# The other page: its own balance; a correction must name one of its own
# entries.
api POST "/register/$B/receipts" "{\"quantity\":28,\"supplier\":\"Alliance Healthcare\",\"reference\":\"INV-003\",$(w cody 3333)}"
expect_status 201
checks=$((checks + 1))
[ "$(jqout '"\(.quantity) \(.balance_after)"')" = "28 28" ] || fail "page B: $BODY_OUT"
FP=$(db_fingerprint)
api POST "/register/$B/corrections" "{\"corrects_entry_id\":\"$E2\",\"quantity_delta\":1,\"reason\":\"wrong page\",$(w cody 3333)}"
expect_status 422 unknown_entry
api POST "/register/$B/corrections" "{\"corrects_entry_id\":\"0b7e6bde-6b1c-4a55-9a63-4e0c8e9f0a11\",\"quantity_delta\":1,\"reason\":\"no such entry\",$(w cody 3333)}"
expect_status 422 unknown_entry
checks=$((checks + 1))
[ "$(db_fingerprint)" = "$FP" ] || fail "a refused correction changed the database"

# --- page A read back -----------------------------------------------------
TOKEN=$MGR
api GET "/register/$A"
expect_status 200
FULL=$BODY_OUT
checks=$((checks + 8))
[ "$(jqout '.entries | map("\(.kind) \(.quantity) \(.balance_after) \(.by.username) \(.witness.username)") | join("\n")')
" = "$EXPECT" ] || fail "page A: expected
$EXPECT
got
$(jqout '.entries | map("\(.kind) \(.quantity) \(.balance_after) \(.by.username) \(.witness.username)") | join("\n")')"
[ "$(jqout '.entries | map(.id) | join(" ")')" = "$E1 $E2 $E3 $E4 $E5 $E6 $E7 $E8 $E9 $E10" ] ||
    fail "entries out of order: $BODY_OUT"
[ "$(jqout '[.entries[].seq] | . == sort and (unique | length) == 10')" = true ] ||
    fail "seq not increasing"
[ "$(jqout '"\(.product.balance) \(.next_after)"')" = "584 null" ] || fail "page A: $BODY_OUT"
[ "$(jqout '[.entries[] | .by, .witness | "\(.username)=\(.display_name)"] | unique | join(",")')" = \
    "cody=Cody Competent,nina=Nina Nurse,nora=Nora Nurse,pam=Pam Pharmacist,phil=Phil Pharmacist" ] ||
    fail "names: $BODY_OUT"
[ "$(jqout ".entries[2] | \"\(.dose_id) \(.patient.prison_number) \(.patient.id)\"")" = "$DOSE1 A1234BC $P" ] ||
    fail "an administration names its dose and patient: $BODY_OUT"
[ "$(jqout '[.entries[] | .corrects_entry_id // empty] | join(" ")')" = "$E2 $E6" ] ||
    fail "corrections' references: $BODY_OUT"
[ "$(jqout '[.entries[] | .reason // empty] | length')" = 4 ] || fail "reasons: $BODY_OUT"
api GET "/products/$A"
checks=$((checks + 1))
[ "$(jqout .balance)" = 584 ] || fail "product balance: $BODY_OUT"
api GET /products
checks=$((checks + 1))
[ "$(jqout "[.[] | \"\(.id)=\(.balance)\"] | sort | join(\" \")")" = "$(printf '%s\n' "$A=584" "$B=28" | sort | tr '\n' ' ' | sed 's/ $//')" ] ||
    fail "product list: $BODY_OUT"
# The register matches what the database holds, thousandths and all.
checks=$((checks + 1))
[ "$(sql "SELECT group_concat(quantity || '/' || balance_after, ' ') FROM (SELECT quantity, balance_after FROM register_entries WHERE product_id = '$A' ORDER BY seq)")" = \
    "500000/500000 250500/750500 -35250/715250 -35250/680000 -100000/580000 -5125/574875 10000/584875 -875/584000 0/584000 0/584000" ] ||
    fail "stored thousandths"

# Paging: 4 at a time, and 5 at a time (a last full page is followed by
# an empty one).
IDS=""
after=0
pages=0
while :; do
	api GET "/register/$A?limit=4&after=$after"
	expect_status 200
	pages=$((pages + 1))
	IDS="$IDS$(jqout '.entries | map(.id + " ") | join("")')"
	na=$(jqout .next_after)
	[ "$na" != null ] || break
	checks=$((checks + 1))
	[ "$na" = "$(jqout '.entries[-1].seq')" ] || fail "next_after is not the last seq: $BODY_OUT"
	after=$na
	[ $pages -lt 10 ] || fail "paging does not end"
done
checks=$((checks + 2))
[ "$pages" = 3 ] || fail "10 entries in pages of 4: $pages pages"
[ "$IDS" = "$E1 $E2 $E3 $E4 $E5 $E6 $E7 $E8 $E9 $E10 " ] || fail "paged entries: $IDS"
api GET "/register/$A?limit=5"
expect_status 200
S5=$(jqout .next_after)
api GET "/register/$A?limit=5&after=$S5"
expect_status 200
checks=$((checks + 2))
[ "$(jqout '.entries | length')" = 5 ] || fail "second page of 5: $BODY_OUT"
S10=$(jqout .next_after)
[ "$S10" != null ] || fail "a full page must give next_after"
api GET "/register/$A?limit=5&after=$S10"
expect_status 200
checks=$((checks + 1))
[ "$(jqout '"\(.entries | length) \(.next_after)"')" = "0 null" ] || fail "after the last: $BODY_OUT"
api GET "/register/$A?after=$(jq -n "$FULL" | jq '.entries[6].seq')"
checks=$((checks + 1))
[ "$(jqout '.entries | map(.id) | join(" ")')" = "$E8 $E9 $E10" ] || fail "after the 7th: $BODY_OUT"

# --- the balance never goes below zero ------------------------------------
FP=$(db_fingerprint)
TOKEN=$PHIL
api POST "/register/$A/returns" "{\"quantity\":584.001,\"reason\":\"all of it and more\",$(w cody 3333)}"
expect_status 422 balance_would_go_negative
api POST "/register/$A/destructions" "{\"quantity\":1000,\"reason\":\"too much\",$(w cody 3333)}"
expect_status 422 balance_would_go_negative
api POST "/register/$A/corrections" "{\"corrects_entry_id\":\"$E1\",\"quantity_delta\":-585,\"reason\":\"too much\",$(w cody 3333)}"
expect_status 422 correction_exceeds_entry
api POST "/register/$B/destructions" "{\"quantity\":28.5,\"reason\":\"too much\",$(w cody 3333)}"
expect_status 422 balance_would_go_negative
checks=$((checks + 1))
[ "$(db_fingerprint)" = "$FP" ] || fail "a refused entry changed the database"
# Exactly the balance is allowed: page B goes to zero.
api POST "/register/$B/returns" "{\"quantity\":28,\"reason\":\"unit closing its stock of 8mg\",$(w cody 3333)}"
expect_status 201
checks=$((checks + 1))
[ "$(jqout '"\(.quantity) \(.balance_after)"')" = "-28 0" ] || fail "return to zero: $BODY_OUT"

# --- bad input: each refused, nothing written -----------------------------
n=0
# bad DESC STATUS CODE METHOD PATH [BODY]
bad() {
	api "$4" "$5" "${6:-}"
	checks=$((checks + 1))
	[ "$STATUS" = "$2" ] || fail "$1: expected HTTP $2, got $STATUS: $BODY_OUT"
	checks=$((checks + 1))
	got=$(jqout '.error.code // empty')
	[ "$got" = "$3" ] || fail "$1: expected error $3, got '$got': $BODY_OUT"
	n=$((n + 1))
	printf 'case %3d  %-50s %s %s\n' "$n" "$1" "$2" "$3"
}
FP=$(db_fingerprint)
R="/register/$A/receipts"
GOOD="{\"quantity\":10,\"supplier\":\"Alliance\",\"reference\":\"INV-9\",$(w cody 3333)}"
mod() { printf '%s' "$GOOD" | jq -c "$1"; }
TOKEN=$PHIL
bad "quantity as a string" 400 invalid_field POST "$R" "$(mod '.quantity = "10"')"
bad "quantity as true" 400 invalid_field POST "$R" "$(mod '.quantity = true')"
bad "quantity as an object" 400 invalid_field POST "$R" "$(mod '.quantity = {}')"
bad "witness as a string" 400 invalid_field POST "$R" "$(mod '.witness = "cody"')"
bad "witness pin as a number" 400 invalid_field POST "$R" "$(mod '.witness.pin = 3333')"
bad "supplier as a number" 400 invalid_field POST "$R" "$(mod '.supplier = 7')"
bad "unknown field (reason on a receipt)" 400 unknown_field POST "$R" "$(mod '.reason = "x"')"
bad "unknown field in the witness" 400 unknown_field POST "$R" "$(mod '.witness.role = "nurse"')"
bad "quantity with 4 decimals" 400 invalid_field POST "$R" "$(mod '.quantity = 10.0001')"
bad "negative quantity" 400 invalid_field POST "$R" "$(mod '.quantity = -10')"
bad "zero quantity" 400 invalid_field POST "$R" "$(mod '.quantity = 0')"
bad "quantity 1e300" 400 invalid_field POST "$R" "$(mod '.quantity = 1e300')"
bad "missing quantity" 400 missing_field POST "$R" "$(mod 'del(.quantity)')"
bad "missing supplier" 400 missing_field POST "$R" "$(mod 'del(.supplier)')"
bad "missing witness" 400 missing_field POST "$R" "$(mod 'del(.witness)')"
bad "witness null" 400 missing_field POST "$R" "$(mod '.witness = null')"
bad "witness missing pin" 400 missing_field POST "$R" "$(mod 'del(.witness.pin)')"
bad "witness missing username" 400 missing_field POST "$R" "$(mod 'del(.witness.username)')"
bad "witness is the caller" 422 witness_not_distinct POST "$R" "$(mod '.witness = {username: "phil", pin: "1111"}')"
bad "witness a receptionist" 422 witness_not_competent POST "$R" "$(mod '.witness = {username: "rita", pin: "8888"}')"
bad "witness unknown" 422 witness_not_authenticated POST "$R" "$(mod '.witness = {username: "ghost", pin: "1234"}')"
bad "malformed JSON" 400 malformed_json POST "$R" '{"quantity":'
bad "return missing reason" 400 missing_field POST "/register/$A/returns" \
    "{\"quantity\":1,$(w cody 3333)}"
bad "destruction with 4 decimals" 400 invalid_field POST "/register/$A/destructions" \
    "{\"quantity\":0.0005,\"reason\":\"x\",$(w cody 3333)}"
bad "check counted negative" 400 invalid_field POST "/register/$A/checks" \
    "{\"counted\":-1,$(w cody 3333)}"
bad "check counted with 4 decimals" 400 invalid_field POST "/register/$A/checks" \
    "{\"counted\":583.9999,$(w cody 3333)}"
bad "check with a quantity" 400 unknown_field POST "/register/$A/checks" \
    "{\"counted\":584,\"quantity\":1,$(w cody 3333)}"
bad "correction of zero" 400 invalid_field POST "/register/$A/corrections" \
    "{\"corrects_entry_id\":\"$E1\",\"quantity_delta\":0,\"reason\":\"x\",$(w cody 3333)}"
bad "correction with 4 decimals" 400 invalid_field POST "/register/$A/corrections" \
    "{\"corrects_entry_id\":\"$E1\",\"quantity_delta\":-0.0001,\"reason\":\"x\",$(w cody 3333)}"
bad "correction delta as a string" 400 invalid_field POST "/register/$A/corrections" \
    "{\"corrects_entry_id\":\"$E1\",\"quantity_delta\":\"5\",\"reason\":\"x\",$(w cody 3333)}"
bad "correction without a reason" 400 missing_field POST "/register/$A/corrections" \
    "{\"corrects_entry_id\":\"$E1\",\"quantity_delta\":5,$(w cody 3333)}"
bad "correction without its entry" 400 missing_field POST "/register/$A/corrections" \
    "{\"quantity_delta\":5,\"reason\":\"x\",$(w cody 3333)}"
bad "correction of a non-UUID entry" 422 unknown_entry POST "/register/$A/corrections" \
    "{\"corrects_entry_id\":\"INV-001\",\"quantity_delta\":5,\"reason\":\"x\",$(w cody 3333)}"
bad "receipt on an unknown product" 404 not_found POST \
    /register/0b7e6bde-6b1c-4a55-9a63-4e0c8e9f0a11/receipts "$GOOD"
bad "receipt on a non-UUID product" 404 not_found POST /register/methadone/receipts "$GOOD"
bad "register of an unknown product" 404 not_found GET \
    /register/0b7e6bde-6b1c-4a55-9a63-4e0c8e9f0a11
bad "register of a non-UUID product" 404 not_found GET /register/A1234BC
bad "product non-UUID" 404 not_found GET /products/methadone
bad "register ?limit=0" 400 invalid_query GET "/register/$A?limit=0"
bad "register ?limit=10001" 400 invalid_query GET "/register/$A?limit=10001"
bad "register ?after=-1" 400 invalid_query GET "/register/$A?after=-1"
bad "register ?after=x" 400 invalid_query GET "/register/$A?after=x"
bad "dose non-UUID" 404 not_found GET /doses/not-a-uuid
bad "product with the same name, form, strength" 409 product_exists POST /products \
    '{"name":"Methadone","form":"oral solution","strength":"1mg/ml","unit":"ml"}'
bad "the same again in another unit" 409 product_exists POST /products \
    '{"name":"Methadone","form":"oral solution","strength":"1mg/ml","unit":"mg"}'
bad "product without a unit" 400 missing_field POST /products \
    '{"name":"Diazepam","form":"tablet","strength":"5mg"}'
bad "product with an unknown field" 400 unknown_field POST /products \
    '{"name":"Diazepam","form":"tablet","strength":"5mg","unit":"tablet","schedule":4}'
bad "product name as a number" 400 invalid_field POST /products \
    '{"name":1,"form":"tablet","strength":"5mg","unit":"tablet"}'

# Roles.
TOKEN=$NINA
bad "a nurse receiving stock" 403 forbidden POST "$R" "$GOOD"
bad "a nurse correcting" 403 forbidden POST "/register/$A/corrections" \
    "{\"corrects_entry_id\":\"$E1\",\"quantity_delta\":5,\"reason\":\"x\",$(w cody 3333)}"
bad "a nurse creating a product" 403 forbidden POST /products \
    '{"name":"Diazepam","form":"tablet","strength":"5mg","unit":"tablet"}'
TOKEN=$RECEP
bad "reception reading the register" 403 forbidden GET "/register/$A"
TOKEN=$DOC
bad "a prescriber reading the register" 403 forbidden GET "/register/$A"
bad "a prescriber checking stock" 403 forbidden POST "/register/$A/checks" \
    "{\"counted\":584,$(w cody 3333)}"

# Prescriptions.
RXB=$(jq -cn --arg p "$P" --arg m "$B" '{patient_id: $p, product_id: $m,
    regimen: "maintenance", dose: 8, times: ["08:00"],
    start_date: "2027-01-12"}')
rx() { printf '%s' "$RXB" | jq -c "$1"; }
bad "time 8:00" 400 invalid_field POST /prescriptions "$(rx '.times = ["8:00"]')"
bad "time 24:00" 400 invalid_field POST /prescriptions "$(rx '.times = ["24:00"]')"
bad "time 08:60" 400 invalid_field POST /prescriptions "$(rx '.times = ["08:60"]')"
bad "time 08:00:00" 400 invalid_field POST /prescriptions "$(rx '.times = ["08:00:00"]')"
bad "time as a number" 400 invalid_field POST /prescriptions "$(rx '.times = [800]')"
bad "times as a string" 400 invalid_field POST /prescriptions "$(rx '.times = "08:00"')"
bad "no times" 400 invalid_field POST /prescriptions "$(rx '.times = []')"
bad "nine times" 400 invalid_field POST /prescriptions \
    "$(rx '.times = ["01:00","02:00","03:00","04:00","05:00","06:00","07:00","08:00","09:00"]')"
bad "times 08:00 and 10:59 (windows overlap)" 422 round_times_too_close POST /prescriptions \
    "$(rx '.times = ["08:00","10:59"]')"
bad "times 00:30 and 22:00 (overlap round midnight)" 422 round_times_too_close POST /prescriptions \
    "$(rx '.times = ["00:30","22:00"]')"
bad "the same time twice" 422 invalid_times POST /prescriptions "$(rx '.times = ["08:00","08:00"]')"
bad "start_date yesterday" 422 start_date_past POST /prescriptions "$(rx '.start_date = "2027-01-10"')"
bad "start_date 2027-02-30" 400 invalid_field POST /prescriptions "$(rx '.start_date = "2027-02-30"')"
bad "end before start" 422 end_before_start POST /prescriptions "$(rx '.end_date = "2027-01-11"')"
bad "regimen weekly" 400 invalid_field POST /prescriptions "$(rx '.regimen = "weekly"')"
bad "dose with 4 decimals" 400 invalid_field POST /prescriptions "$(rx '.dose = 8.0001')"
bad "negative dose" 400 invalid_field POST /prescriptions "$(rx '.dose = -8')"
bad "zero dose" 422 invalid_dose POST /prescriptions "$(rx '.dose = 0')"
bad "every_days 29" 400 invalid_field POST /prescriptions "$(rx '.every_days = 29')"
bad "unknown field" 400 unknown_field POST /prescriptions "$(rx '.route = "oral"')"
bad "missing start_date" 400 missing_field POST /prescriptions "$(rx 'del(.start_date)')"
bad "reducing without steps" 422 steps_required POST /prescriptions "$(rx '.regimen = "reducing"')"
bad "reducing with steps: []" 422 steps_required POST /prescriptions "$(rx '.regimen = "reducing" | .steps = []')"
bad "reducing steps not falling" 422 steps_not_reducing POST /prescriptions \
    "$(rx '.regimen = "reducing" | .steps = [{from_date: "2027-01-13", dose: 8}, {from_date: "2027-01-14", dose: 0}]')"
bad "reducing step before the start" 422 steps_out_of_order POST /prescriptions \
    "$(rx '.regimen = "reducing" | .steps = [{from_date: "2027-01-12", dose: 4}, {from_date: "2027-01-14", dose: 0}]')"
bad "reducing with no end" 422 reducing_without_end POST /prescriptions \
    "$(rx '.regimen = "reducing" | .steps = [{from_date: "2027-01-13", dose: 4}]')"
bad "step with an unknown field" 400 unknown_field POST /prescriptions \
    "$(rx '.regimen = "reducing" | .steps = [{from_date: "2027-01-13", dose: 0, note: "x"}]')"
bad "maintenance with steps" 422 steps_not_allowed POST /prescriptions \
    "$(rx '.steps = [{from_date: "2027-01-13", dose: 4}]')"
bad "unknown patient" 422 unknown_patient POST /prescriptions \
    "$(rx '.patient_id = "0b7e6bde-6b1c-4a55-9a63-4e0c8e9f0a11"')"
bad "non-UUID patient" 422 unknown_patient POST /prescriptions "$(rx '.patient_id = "A1234BC"')"
bad "unknown product" 422 unknown_product POST /prescriptions \
    "$(rx '.product_id = "0b7e6bde-6b1c-4a55-9a63-4e0c8e9f0a11"')"
bad "non-UUID product" 422 unknown_product POST /prescriptions "$(rx '.product_id = "methadone"')"
bad "a second methadone prescription" 409 prescription_exists POST /prescriptions \
    "$(rx ".product_id = \"$A\"")"
bad "prescriptions without patient_id" 400 invalid_query GET /prescriptions
bad "prescriptions ?patient_id=x" 400 invalid_query GET '/prescriptions?patient_id=x'
bad "review a prescription not held" 409 not_held POST "/prescriptions/$RX/review" '{"note":"x"}'
bad "stop without a reason" 400 missing_field POST "/prescriptions/$RX/stop" '{}'
bad "stop an unknown prescription" 404 not_found POST \
    /prescriptions/0b7e6bde-6b1c-4a55-9a63-4e0c8e9f0a11/stop '{"reason":"x"}'
TOKEN=$NINA
bad "a nurse prescribing" 403 forbidden POST /prescriptions "$RXB"
bad "doses ?date=2027-13-01" 400 invalid_query GET '/doses?date=2027-13-01'
bad "doses ?state=eaten" 400 invalid_query GET '/doses?state=eaten'
checks=$((checks + 1))
[ "$(db_fingerprint)" = "$FP" ] || fail "the bad input changed the database"
echo "$n bad inputs refused, database unchanged"

# --- the database refuses to change the register ---------------------------
REGFP=$(table_fingerprint register_entries)
# raw SQL [EXPECTED_ERROR]: run SQL on the daemon's database (it is
# running: WAL lets another connection in); with EXPECTED_ERROR it must
# fail with that message.
raw() {
	checks=$((checks + 1))
	if out=$(sqlite3 -cmd '.timeout 5000' "$T/idtsd.db" "$1" 2>&1); then
		[ $# -lt 2 ] || fail "raw SQL was accepted: $1"
	else
		[ $# -ge 2 ] || fail "raw SQL failed: $1: $out"
		case $out in
		*"$2"*) ;;
		*) fail "raw SQL failed for another reason: $1: $out" ;;
		esac
	fi
}
raw "UPDATE register_entries SET quantity = 0 WHERE id = '$E1'" \
    "register entries are never changed"
raw "UPDATE register_entries SET balance_after = balance_after + 1000" \
    "register entries are never changed"
raw "DELETE FROM register_entries WHERE id = '$E5'" \
    "register entries are never deleted"
raw "DELETE FROM register_entries" "register entries are never deleted"
COLS="id, product_id, kind, quantity, balance_after, at, by_id, witness_id, supplier, reference"
PHIL_ID=$(sql "SELECT id FROM staff WHERE username = 'phil'")
CODY_ID=$(sql "SELECT id FROM staff WHERE username = 'cody'")
VALS="'0b7e6bde-6b1c-4a55-9a63-4e0c8e9f0a11', '$A', 'receipt', 1000, %s, 0, '$PHIL_ID', '$CODY_ID', 'x', 'y'"
# shellcheck disable=SC2059
raw "INSERT INTO register_entries ($COLS) VALUES ($(printf "$VALS" 999999))" \
    "a register balance must follow on from the entry before"
# shellcheck disable=SC2059
raw "INSERT INTO register_entries ($COLS) VALUES ($(printf "$VALS" 1000))" \
    "a register balance must follow on from the entry before"
# The same entry with a balance that does follow on (584 + 1): the
# trigger lets it through; rolled back, so nothing is kept.
# shellcheck disable=SC2059
raw "BEGIN; INSERT INTO register_entries ($COLS) VALUES ($(printf "$VALS" 585000)); ROLLBACK;"
checks=$((checks + 1))
[ "$(table_fingerprint register_entries)" = "$REGFP" ] || fail "raw SQL changed the register"
api GET "/register/$A"
checks=$((checks + 1))
[ "$BODY_OUT" = "$FULL" ] || fail "the register page changed: $BODY_OUT"

TOKEN=$MGR
api GET /audit/verify
checks=$((checks + 1))
[ "$(jqout .ok)" = true ] || fail "audit chain broken"

# Last, since it would change the register if accepted: REPLACE deletes
# the row it conflicts with without firing a DELETE trigger (SQLite's
# recursive_triggers is off), so it must be refused on its own.
# shellcheck disable=SC2059
raw "INSERT OR REPLACE INTO register_entries (seq, $COLS) VALUES ((SELECT seq FROM register_entries WHERE id = '$E1'), $(printf "$VALS" 585000))" \
    "register entries are never"
# shellcheck disable=SC2059
raw "REPLACE INTO register_entries ($COLS) VALUES ($(printf "$VALS" 585000 | sed "s/^'[^']*'/'$E10'/"))" \
    "register entries are never"
checks=$((checks + 1))
[ "$(table_fingerprint register_entries)" = "$REGFP" ] || fail "REPLACE changed the register"
# The audit log, whose entries record these, is closed to REPLACE too.
AUDITFP=$(table_fingerprint audit)
raw "INSERT OR REPLACE INTO audit SELECT * FROM audit WHERE seq = 1" \
    "audit entries are never replaced"
checks=$((checks + 1))
[ "$(table_fingerprint audit)" = "$AUDITFP" ] || fail "REPLACE changed the audit log"
pass
