#!/bin/sh
# A transfer between two establishments (issue 19), two daemons on the
# loopback, each with its own Ed25519 key (idtsd --gen-key) and trusting
# the other: a stimulant user on a methadone reduction leaves unit A
# (HMPAAA) with its signed transfer document, and is imported at unit B
# (HMPBBB) by reception: the arrival with its treatment and last dose from
# the document, both 24-hour clocks and the 72-hour observation plan from
# the arrival at B, the prescription listed to be confirmed and on no
# round. B's prescriber confirms it through the same limits as a new one
# (refused above B's product limit, nothing written), it carries on from
# today's step, and the first dose at B meets the treatment clock. Then
# every refusal creates nothing (every row counted, the whole database
# digested): the document altered by one byte (signature_invalid), signed
# by a third establishment B does not trust (unknown_establishment), the
# first document replayed (document_already_imported), a second document
# for the prisoner now in custody (duplicate_prison_number), and from a
# trusted establishment a document with no Patient (invalid_document) or a
# medicine B has no product for (unknown_product).  Then idtsctl imports
# and confirms.
. "$(dirname "$0")/lib.sh"

ROOT=$T
JWS_TOOL="$(dirname "$0")/jws_tool.py"
A_PID="" B_PID=""
trap 'for p in $A_PID $B_PID; do kill "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true; done; rm -rf "$ROOT"' EXIT INT TERM

# unit A|B: talk to that daemon (lib.sh's T, PORT and pid are its own).
unit() {
	[ "$CUR" = A ] && A_PID=$DAEMON_PID A_PORT=$PORT A_CLOCK=${CLOCK_TOKEN:-}
	[ "$CUR" = B ] && B_PID=$DAEMON_PID B_PORT=$PORT B_CLOCK=${CLOCK_TOKEN:-}
	CUR=$1
	T=$ROOT/$1
	if [ "$1" = A ]; then
		DAEMON_PID=$A_PID PORT=$A_PORT CLOCK_TOKEN=$A_CLOCK
	else
		DAEMON_PID=$B_PID PORT=$B_PORT CLOCK_TOKEN=$B_CLOCK
	fi
}

# The keys: one each, and a third establishment's B does not trust; a
# fourth (made by python3-jwcrypto, so the test can sign with it) that B
# trusts, for documents no idtsd would write.
mkdir -p "$ROOT/A" "$ROOT/B"
for u in A B C; do
	"$IDTSD" --gen-key "$ROOT/$u.key" >"$ROOT/$u.pem" ||
	    fail "idtsd --gen-key $u"
done
"$JWS_TOOL" genkey "$ROOT/D.jwk" "$ROOT/D.pem"

# start_unit X CODE OTHER OTHER_CODE [MORE_TRUSTED]: its staff and a
# methadone product (1 mg/ml, an opioid substitute) with stock.
CUR="" A_PORT="" B_PORT="" A_CLOCK="" B_CLOCK=""
start_unit() {
	unit "$1"
	PORT=""
	EXTRA_CONFIG="sessions = { idle_minutes = 1440; };
establishment = { code = \"$2\"; name = \"HMP $1\";
	    key = \"$ROOT/$1.key\"; trusted = ( { code = \"$4\";
	    name = \"HMP $3\"; public_key = \"$ROOT/$3.pem\"; } ${5:-} ); };"
	LIB_APPROVER=""		# each unit its own second admin
	init_admin boss 424242
	start_daemon --test-clock
	clock_to 2027-01-11T08:30:00Z
	sign_in boss 424242
	add_staff doc "Dr Doc $1" '["prescriber"]' 5555
	add_staff rita "Rita $1" '["reception"]' 6666
	add_staff nina "Nina $1" '["nurse"]' 1111
	add_staff cody "Cody $1" '["competent"]' 3333
	add_staff phil "Phil $1" '["pharmacist"]' 4444
	sign_in phil 4444
	api POST /products '{"name":"Methadone","form":"oral solution",'\
'"strength":"1mg/ml","unit":"ml"}'
	expect_status 201
	M=$(jqout .id)
	api PATCH "/products/$M" '{"active_per_unit":{"quantity":1,'\
'"unit":"mg"},"opioid_substitute":true,"max_single_dose":120,'\
'"max_daily_dose":120}'
	expect_status 200
	api POST "/register/$M/receipts" '{"quantity":5000,"supplier":"S",'\
'"reference":"INV-1","witness":{"username":"cody","pin":"3333"}}'
	expect_status 201
}

# clock_to INSTANT: the current unit's test clock, the scheduler caught up.
clock_to() {
	set_clock "{\"now\":\"$1\"}"
	expect_status 200
	i=0
	while [ "$(sql "SELECT count(*) FROM doses WHERE state = 'scheduled'
	    AND window_start <= (SELECT CAST((julianday('now') - 2440587.5) *
	    86400000 AS INTEGER) + value FROM meta
	    WHERE name = 'test_clock_offset_ms') - 1000")" != 0 ]; do
		[ $i -lt 100 ] || fail "the scheduler did not catch up"
		sleep 0.05
		i=$((i + 1))
	done
}

# give PATIENT DATE: give the patient's dose of that local day, witnessed.
give() {
	api GET "/doses?date=$2"
	D=$(jqout "first(.[] | select(.patient.id == \"$1\")) | .id")
	[ -n "$D" ] && [ "$D" != null ] || fail "no dose on $2: $BODY_OUT"
	api POST "/doses/$D/administer" "$(with_cautions "$D" \
	    '{"witness":{"username":"cody","pin":"3333"}}')"
	expect_status 200
}

# is WHAT JQ WANT: a check of the last answer.
is() {
	checks=$((checks + 1))
	got=$(jqout "$2")
	[ "$got" = "$3" ] || fail "$1: got '$got', want '$3': $BODY_OUT"
}

# rows: the rows an import or a confirmation would add, counted.
rows() {
	sql "SELECT (SELECT count(*) FROM patients) || ' ' ||
	    (SELECT count(*) FROM transfer_imports) || ' ' ||
	    (SELECT count(*) FROM prescriptions_to_confirm) || ' ' ||
	    (SELECT count(*) FROM prescriptions) || ' ' ||
	    (SELECT count(*) FROM doses) || ' ' ||
	    (SELECT count(*) FROM care_clocks)"
}

start_unit A HMPAAA B HMPBBB
MA=$M
start_unit B HMPBBB A HMPAAA ", { code = \"HMPDDD\"; name = \"HMP D\";
    public_key = \"$ROOT/D.pem\"; }"
MB=$M

# --- at A: the arrival, the reduction, a dose, the transfer booked ------
unit A
clock_to 2027-01-11T08:30:00Z
sign_in rita 6666
api POST /patients '{"prison_number":"A1234BC","given_name":"Jo",'\
'"family_name":"Smith","date_of_birth":"1990-05-01",'\
'"arrived_at":"2027-01-11T07:00:00Z","location":"A1",'\
'"stimulant_user":true,"community_treatment":{"drug":"methadone",'\
'"dose":30,"unit":"ml","prescriber":"Dr Community"}}'
expect_status 201
PA=$(jqout .id)
sign_in doc 5555
api POST /prescriptions "{\"patient_id\":\"$PA\",\"product_id\":\"$MA\",
    \"regimen\":\"reducing\",\"dose\":30,\"times\":[\"09:00\"],
    \"start_date\":\"2027-01-11\",\"steps\":[{\"from_date\":\"2027-01-13\",
    \"dose\":25},{\"from_date\":\"2027-01-20\",\"dose\":0}]}"
expect_status 201
clock_to 2027-01-11T09:00:00Z
sign_in nina 1111
give "$PA" 2027-01-11
sign_in rita 6666
api POST /movements "{\"patient_id\":\"$PA\",\"kind\":\"transfer\",
    \"departs_at\":\"2027-01-11T11:00:00Z\",\"destination\":\"HMP B\"}"
expect_status 201
MV=$(jqout .id)
sign_in nina 1111
rm -f "$T/out"
checks=$((checks + 1))
curl -s -m 10 -H "Authorization: Bearer $TOKEN" -o "$ROOT/doc.json" \
    "$(BASE)/movements/$MV/transfer-document" ||
    fail "A gives no transfer document"
curl -s -f -m 10 -H "Authorization: Bearer $TOKEN" -o "$ROOT/doc2.json" \
    "$(BASE)/movements/$MV/transfer-document" ||
    fail "A gives no second transfer document"
clock_to 2027-01-11T11:00:00Z
sign_in rita 6666
api POST "/movements/$MV/depart" '{"at":"2027-01-11T11:00:00Z"}'
expect_status 200

# import FILE [TOKEN]: POST /v1/arrivals/import at the current unit.
import() {
	rm -f "$T/out"
	STATUS=$(curl -s -m 10 -o "$T/out" -w '%{http_code}' -X POST \
	    -H "Authorization: Bearer $TOKEN" \
	    -H 'Content-Type: application/fhir+json' \
	    --data-binary "@$1" "$(BASE)/arrivals/import") || STATUS=curl
	BODY_OUT=$(cat "$T/out" 2>/dev/null || true)
}

# refused FILE CODE STATUS: an import refused, and nothing created.
refused() {
	before=$(rows)
	fp=$(db_fingerprint)
	import "$1"
	expect_status "$3" "$2"
	checks=$((checks + 1))
	[ "$(rows)" = "$before" ] || fail "$2 created rows: $(rows)"
	[ "$(db_fingerprint)" = "$fp" ] || fail "$2 changed the database"
}

# --- at B: refused before anything is believed --------------------------
unit B
clock_to 2027-01-11T15:00:00Z
sign_in rita 6666
# One byte: the family name Smith becomes Smitg.
sed 's/"Smith"/"Smitg"/' "$ROOT/doc.json" >"$ROOT/altered.json"
checks=$((checks + 1))
[ "$(cmp -l "$ROOT/doc.json" "$ROOT/altered.json" | wc -l)" = 1 ] ||
    fail "the altered document differs by one byte"
refused "$ROOT/altered.json" signature_invalid 422
# Signed by establishment HMPCCC, whose key B does not hold.
"$JWS_TOOL" sign "$ROOT/doc.json" "$ROOT/D.jwk" HMPCCC \
    >"$ROOT/third.json"
refused "$ROOT/third.json" unknown_establishment 422
# HMPDDD is trusted, but its documents are read like any other: one with
# no Patient, and one naming a medicine B has no product for.
jq 'del(.entry[] | select(.resource.resourceType == "Patient"))' \
    "$ROOT/doc.json" >"$ROOT/nopatient.json"
"$JWS_TOOL" sign "$ROOT/nopatient.json" "$ROOT/D.jwk" HMPDDD \
    >"$ROOT/nopatient.signed.json"
refused "$ROOT/nopatient.signed.json" invalid_document 422
jq '(.entry[] | select(.resource.resourceType == "MedicationRequest") |
    .resource.medicationCodeableConcept.text) |= "Diamorphine powder 5mg"' \
    "$ROOT/doc.json" >"$ROOT/unknown.json"
"$JWS_TOOL" sign "$ROOT/unknown.json" "$ROOT/D.jwk" HMPDDD \
    >"$ROOT/unknown.signed.json"
refused "$ROOT/unknown.signed.json" unknown_product 422

# --- the import --------------------------------------------------------
checks=$((checks + 1))
[ "$(rows)" = "0 0 0 0 0 0" ] || fail "B starts empty: $(rows)"
import "$ROOT/doc.json"
expect_status 201
PB=$(jqout .id)
is "the arrival" '"\(.prison_number) \(.family_name) \(.given_name) \(.date_of_birth) \(.arrived_at[0:16]) \(.location) \(.status) \(.flags.stimulant_user)"' \
    "A1234BC Smith Jo 1990-05-01 2027-01-11T15:00 Reception in_custody true"
is "the import recorded" '"\(.import.sender) \(.import.prescriptions_to_confirm) \(.import.imported_at[0:16]) \(.import.document_hash | length)"' \
    "HMPAAA 1 2027-01-11T15:00 64"
is "the treatment it arrives on, with its last dose at A" '.community_treatment | "\(.drug) \(.dose) \(.unit) \(.prescriber) \(.last_dose_at[0:16])"' \
    "Methadone oral solution 1mg/ml 30 ml Dr Doc A (HMPAAA) 2027-01-11T09:00"
is "both clocks run from the arrival at B" '[.clocks[] | "\(.kind) \(.state) \(.started_at[0:16])"] | sort | join(",")' \
    "keyworker_allocated running 2027-01-11T15:00,treatment_continued running 2027-01-11T15:00"
is "the stimulant user's plan starts at B" '.observation_plan | "\(.starts_at[0:16]) \(.running)"' \
    "2027-01-11T15:00 true"
is "reception reads no prescription" '.prescriptions' null
checks=$((checks + 1))
[ "$(rows)" = "1 1 1 0 0 2" ] || fail "the import's rows: $(rows)"
checks=$((checks + 1))
[ "$(sql "SELECT sender || ' ' || (document_hash = '$(jqout .import.document_hash)') FROM transfer_imports")" = "HMPAAA 1" ] ||
    fail "the import's record: $(sql 'SELECT * FROM transfer_imports')"
checks=$((checks + 1))
sql "SELECT action FROM audit ORDER BY seq" | grep -qx arrival.import ||
    fail "the import is not audited"

# Listed to be confirmed, not given: no dose on any round.
sign_in doc 5555
api GET "/prescriptions?patient_id=$PB"
expect_status 200
RX=$(jqout '.[0].id')
is "listed to be confirmed, as A wrote it" '[.[] | "\(.state) \(.regimen) \(.dose) \(.current_dose) \(.start_date) \([.steps[] | "\(.from_date)=\(.dose)"] | join(",")) \(.prescriber) \(.transfer.from) \(.transfer.prescriber) \(.product.id == "'"$MB"'")"] | join(";")' \
    "to_be_confirmed reducing 30 30 2027-01-11 2027-01-13=25,2027-01-20=0 null HMPAAA Dr Doc A true"
api GET "/prescriptions/$RX"
is "one to be confirmed, read alone" '"\(.state) \(.transfer.drug)"' \
    "to_be_confirmed Methadone oral solution 1mg/ml"
# By the short id idtsctl shows (its first 8 characters), as any
# prescription: the short id names one to be confirmed too.
api GET "/prescriptions/$(printf %.8s "$RX")"
is "one to be confirmed, read by its short id" '"\(.id == "'"$RX"'") \(.state)"' \
    "true to_be_confirmed"
clock_to 2027-01-12T09:00:00Z
api GET "/doses?date=2027-01-12"
is "no dose of one to be confirmed" "[.[] | select(.patient.id == \"$PB\")] | length" 0

# --- confirmed at B, through B's limits --------------------------------
sign_in phil 4444
api PATCH "/products/$MB" '{"max_single_dose":20}'
expect_status 200
sign_in doc 5555
before=$(rows)
api POST "/prescriptions/$RX/confirm"
expect_status 422 dose_above_limit
checks=$((checks + 1))
[ "$(rows)" = "$before" ] || fail "a refused confirmation wrote: $(rows)"
sign_in phil 4444
api PATCH "/products/$MB" '{"max_single_dose":120}'
expect_status 200
sign_in doc 5555
api POST "/prescriptions/$RX/confirm"
expect_status 201
RXB=$(jqout .id)
is "confirmed: B's prescriber's, from today's step" '"\(.state) \(.regimen) \(.dose) \(.start_date) \([.steps[] | "\(.from_date)=\(.dose)"] | join(",")) \(.prescriber.username) \(.transfer)"' \
    "active reducing 30 2027-01-12 2027-01-13=25,2027-01-20=0 doc null"
api POST "/prescriptions/$RX/confirm"
expect_status 409 already_confirmed
api GET "/prescriptions?patient_id=$PB"
is "one prescription, no longer to be confirmed" '[.[] | "\(.id) \(.state)"] | join(",")' \
    "$RXB active"
checks=$((checks + 1))
sql "SELECT action FROM audit ORDER BY seq" | grep -qx \
    prescription.confirm || fail "the confirmation is not audited"

# The first dose at B meets the treatment clock, in time.
sign_in nina 1111
give "$PB" 2027-01-12
api GET "/patients/$PB"
is "the treatment clock met at B by its first dose" '.clocks[] | select(.kind == "treatment_continued") | "\(.state) \(.met_at[0:16]) \(.breached)"' \
    "met 2027-01-12T09:00 false"

# --- replays ------------------------------------------------------------
sign_in rita 6666
refused "$ROOT/doc.json" document_already_imported 409
refused "$ROOT/doc2.json" duplicate_prison_number 409

# --- idtsctl at B: the prisoner leaves, and comes back with A's second
# document: imported and confirmed from the command line -----------------
# ctl USER ARGS...: idtsctl as USER (a terminal of their own); CTL_RC.
ctl() {
	who=$1
	shift
	checks=$((checks + 1))
	set +e
	env IDTS_SERVER="http://127.0.0.1:$PORT" XDG_CONFIG_HOME="$T/cfg/$who" \
	    TZ=Europe/London "$IDTSCTL" "$@" >"$T/ctl.out" 2>"$T/ctl.err" \
	    </dev/null
	CTL_RC=$?
	set -e
}
# said WANT_RC PATTERN: the last idtsctl's exit status and what it said.
said() {
	[ "$CTL_RC" = "$1" ] && grep -q -- "$2" "$T/ctl.out" "$T/ctl.err" ||
	    fail "idtsctl exit $CTL_RC (want $1) without '$2':" \
	    "$(cat "$T/ctl.out" "$T/ctl.err")"
}
for u in rita:6666 doc:5555; do
	export IDTS_PIN="${u#*:}"
	ctl "${u%:*}" login "${u%:*}"
	said 0 ""
done
unset IDTS_PIN
ctl rita import "$ROOT/doc.json"
said 1 document_already_imported
api POST /movements "{\"patient_id\":\"$PB\",\"kind\":\"transfer\",
    \"departs_at\":\"2027-01-12T10:00:00Z\",\"destination\":\"HMP C\"}"
expect_status 201
MV2=$(jqout .id)
clock_to 2027-01-12T10:00:00Z
api POST "/movements/$MV2/depart" '{"at":"2027-01-12T10:00:00Z"}'
expect_status 200
ctl rita arrive --import "$ROOT/doc2.json"
said 0 "A1234BC  Smith, Jo  arrived from HMPAAA"
said 0 "1 prescription(s) to be confirmed by a prescriber"
ctl doc prescriptions A1234BC
said 0 "TO BE CONFIRMED: from HMPAAA, prescribed there by Dr Doc A"
RX2=$(sed -n 's/.*idtsctl confirm \([0-9a-f-]*\).*/\1/p' "$T/ctl.out")
ctl doc confirm "$RX2"
said 0 "confirmed: written as your prescription"
ctl doc --json prescriptions A1234BC
checks=$((checks + 1))
[ "$(jq -r '[.[] | "\(.state) \(.prescriber.username) \(.dose)"] | join(",")' \
    "$T/ctl.out")" = "active doc 30" ] ||
    fail "confirmed with idtsctl: $(cat "$T/ctl.out")"

unit A
stop_daemon
A_PID=""
unit B
pass
