# Shared by the tests that run the unit's days over curl with the test
# clock: checks of an answer, the unit's staff and their tokens, two
# products in stock, and a dose given.  Source it after lib.sh, with the
# daemon started (--test-clock) and the admin boss's PIN 424242.

# is DESC FILTER WANT: jq FILTER of the last answer is WANT.
is() {
	checks=$((checks + 1))
	got=$(jqout "$2")
	[ "$got" = "$3" ] || fail "$1: expected '$3', got '$got': $BODY_OUT"
}

# same DESC GOT WANT
same() {
	checks=$((checks + 1))
	[ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"
}

# staff USERNAME NAME ROLES PIN: a member of staff, made by the admin
# (a clinical role approved by a second: lib.sh's add_staff).
staff() {
	add_staff "$@"
}

# unit_staff: a nurse, a competent other, a pharmacist, a prescriber,
# reception and a manager, each signed in by sign_all.
unit_staff() {
	staff nina "Nina Nurse" '["nurse"]' 1111
	staff cody "Cody Competent" '["competent"]' 3333
	staff phil "Phil Pharmacist" '["pharmacist"]' 4444
	staff doc "Dr Doc" '["prescriber"]' 5555
	staff rita "Rita Reception" '["reception"]' 6666
	staff mona "Mona Manager" '["manager"]' 8888
}

# sign_all: fresh tokens DOC, RECEP, MANAGER and NURSE (after the clock
# has moved on by a day, the old ones have expired).
sign_all() {
	sign_in doc 5555
	DOC=$TOKEN
	sign_in rita 6666
	RECEP=$TOKEN
	sign_in mona 8888
	MANAGER=$TOKEN
	sign_in nina 1111
	NURSE=$TOKEN
}

# stock: Methadone (M, 5000 ml) and Diazepam (Z, 100 tablets) received
# into the register by the pharmacist, cody witnessing.
stock() {
	sign_in phil 4444
	api POST /products '{"name":"Methadone","form":"oral solution","strength":"1mg/ml","unit":"ml"}'
	expect_status 201
	M=$(jqout .id)
	api POST "/register/$M/receipts" '{"quantity":5000,"supplier":"Alliance","reference":"INV-1","witness":{"username":"cody","pin":"3333"}}'
	expect_status 201
	api POST /products '{"name":"Diazepam","form":"tablet","strength":"5mg","unit":"tablet"}'
	expect_status 201
	Z=$(jqout .id)
	api POST "/register/$Z/receipts" '{"quantity":100,"supplier":"Alliance","reference":"INV-2","witness":{"username":"cody","pin":"3333"}}'
	expect_status 201
}

# unit_start INSTANT: the test clock at INSTANT, the unit's staff signed
# in, and the stock received.
unit_start() {
	set_clock "{\"now\":\"$1\"}"
	expect_status 200
	sign_in boss 424242
	unit_staff
	sign_all
	stock
}

# prescribe_daily PATIENT START_DATE: as the prescriber, Methadone (M)
# 30 ml at 09:00 from START_DATE, with the override a first dose over the
# product's limits asks for when it does (for the tests whose subject is
# not the limits): expects 201, BODY_OUT the prescription.
prescribe_daily() {
	prescribe_body=$(jq -cn --arg p "$1" --arg m "$M" --arg d "$2" \
	    '{patient_id: $p, product_id: $m, regimen: "maintenance", dose: 30,
	    times: ["09:00"], start_date: $d}')
	TOKEN=$DOC
	api POST /prescriptions "$prescribe_body"
	if [ "$(jqout .error.code)" = override_required ]; then
		api POST /prescriptions "$(printf '%s' "$prescribe_body" |
		    jq -c '. + {override: {reason: "community dose confirmed"}}')"
	fi
	expect_status 201
}

# administer DOSE: as the nurse, witnessed by cody.
administer() {
	TOKEN=$NURSE
	api POST "/doses/$1/administer" "$(with_cautions "$1" \
	    '{"witness":{"username":"cody","pin":"3333"}}')"
}
