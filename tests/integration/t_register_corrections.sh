#!/bin/sh
# Register corrections are bounded and told (issue 16).  A correction may
# not correct a correction (422 correction_of_correction: correct the
# entry itself).  The corrections of one entry, added up, may undo it or
# double it and no more: -900 ml of a 30 ml receipt (the attack) and
# 30.001 ml off it are 422 correction_exceeds_entry, exactly 30 ml off is
# written; the Nth correction of an entry counts those before it.  A stock
# check's corrections bring the balance to what was counted, no further.
# Within its bound a correction still keeps the balance from going below
# zero.  Each refusal changes nothing, and each correction written raises
# a register_correction warning to the managers and another to the
# pharmacy, naming the entry, the change and the reason.
. "$(dirname "$0")/lib.sh"

EXTRA_CONFIG='sessions = { idle_minutes = 1440; };'
init_admin boss 424242
start_daemon --test-clock
sign_in boss 424242
add_staff phil "Phil Pharmacist" '["pharmacist"]' 1111
add_staff pam "Pam Pharmacist" '["pharmacist"]' 2222
add_staff mona "Mona Manager" '["manager"]' 6666
sign_in mona 6666
MGR=$TOKEN
sign_in phil 1111

w() { printf '"witness":{"username":"%s","pin":"%s"}' "$1" "$2"; }
api POST /products '{"name":"Methadone","form":"oral solution","strength":"1mg/ml","unit":"ml"}'
expect_status 201
A=$(jqout .id)
# receive QUANTITY: a receipt on page A; sets E to its id.
receive() {
	api POST "/register/$A/receipts" "{\"quantity\":$1,\"supplier\":\"Alliance\",\"reference\":\"INV-$1\",$(w pam 2222)}"
	expect_status 201
	E=$(jqout .id)
}
# correct ENTRY DELTA [STATUS CODE]: a correction of ENTRY by DELTA,
# written (201, the balance after in BAL) or refused as STATUS CODE with
# nothing changed.
correct() {
	fp=$(db_fingerprint)
	api POST "/register/$A/corrections" "{\"corrects_entry_id\":\"$1\",\"quantity_delta\":$2,\"reason\":\"recount of $2\",$(w pam 2222)}"
	if [ $# -gt 2 ]; then
		expect_status "$3" "$4"
		checks=$((checks + 1))
		[ "$(db_fingerprint)" = "$fp" ] ||
		    fail "a refused correction of $2 changed the database"
	else
		expect_status 201
		BAL=$(jqout .balance_after)
	fi
}
# is DESC GOT WANT
is() {
	checks=$((checks + 1))
	[ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"
}

receive 30
R30=$E
receive 1000
R1000=$E

# The attack: -900 ml against a 30 ml receipt, the page holding enough.
correct "$R30" -900 422 correction_exceeds_entry
jqout .error.message | grep -q "may come to -30 to 30" ||
    fail "the refusal does not say the bound: $BODY_OUT"
correct "$R30" -30.001 422 correction_exceeds_entry
correct "$R30" 30.001 422 correction_exceeds_entry
correct "$R30" -30
is "30 ml undone exactly" "$BAL" 1000
C1=$(jqout .id)

# A correction of a correction.
correct "$C1" 1 422 correction_of_correction
jqout .error.message | grep -q "$R30" ||
    fail "the refusal does not name the entry to correct: $BODY_OUT"

# The Nth correction of one entry: the sum is bounded.
correct "$R1000" -400
correct "$R1000" -600
is "1000 ml undone in two" "$BAL" 0
correct "$R1000" -0.001 422 correction_exceeds_entry
correct "$R1000" 0.001
is "a correction back within the bound" "$BAL" 0.001

# A stock check half a millilitre over: its corrections go towards the
# count, and no further.
api POST "/register/$A/checks" "{\"counted\":0.5,$(w pam 2222)}"
expect_status 201
CHECK=$(jqout .id)
correct "$CHECK" -0.001 422 correction_exceeds_entry
correct "$CHECK" 0.5 422 correction_exceeds_entry
correct "$CHECK" 0.499
is "the balance brought to the count" "$BAL" 0.5

# Within its bound, still never below zero.
receive 100
R100=$E
api POST "/register/$A/returns" "{\"quantity\":100,\"reason\":\"sent back\",$(w pam 2222)}"
expect_status 201
correct "$R100" -50 422 balance_would_go_negative

# Five corrections written: five warnings to the managers, five to the
# pharmacy, each naming the entry corrected, the change and the reason.
TOKEN=$MGR
api GET "/alerts?audience=manager"
expect_status 200
is "alerts to the managers" "$(jqout '[.[] | select(.kind == "register_correction")] | length')" 5
is "their severity" "$(jqout '[.[] | select(.kind == "register_correction") | .severity] | unique | join(",")')" warning
jqout ".[] | select(.kind == \"register_correction\" and .subject_id == \"$C1\") | .message" |
    grep -q "^register correction: Methadone 1mg/ml oral solution -30 ml by phil, witnessed, correcting entry $R30 (balance now 1000 ml): recount of -30$" ||
    fail "the managers' alert: $BODY_OUT"
checks=$((checks + 1))
sign_in pam 2222
api GET "/alerts?audience=pharmacy"
expect_status 200
is "alerts to the pharmacy" "$(jqout '[.[] | select(.kind == "register_correction")] | length')" 5
pass
