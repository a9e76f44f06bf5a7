#!/bin/sh
# Two people for access (issue 16), the attack of its report replayed: an
# admin gives themself nurse (refused), creates a `competent` account with
# a PIN they chose and has a dose witnessed by it (refused: the grant
# waits), approves it themself (refused); a manager approves, and then it
# works.  Managers are alerted of every request, approval and own-PIN
# change; each is audited.  A PIN reset of a competent person waits too,
# may be declined, and a newer request supersedes an older; a grant for
# someone since deactivated is not approved, nor one that waited 7 days;
# each person changes their own PIN with the old one, a wrong one counted
# as at sign-in.  The red team's paths A (an admin makes a second admin
# who approves their grants) and B (an admin resets the manager's PIN and
# approves as her) fail: a grant of admin or manager, a PIN reset of one,
# and the roles of an account made active again wait too.
. "$(dirname "$0")/lib.sh"

EXTRA_CONFIG='sessions = { idle_minutes = 1440; };'
init_admin boss 424242
start_daemon --test-clock

. "$(dirname "$0")/roundlib.sh"
. "$(dirname "$0")/unitlib.sh"

# api_as TOKEN METHOD PATH [BODY]: api with that token.
api_as() {
	TOKEN=$1
	shift
	api "$@"
}
# staff_id USERNAME: the id of a member of staff (read as the admin).
staff_id() {
	api_as "$BOSS" GET /staff
	jqout ".[] | select(.username == \"$1\") | .id"
}
# managers_told PATTERN: how many staff_change alerts to the managers
# match PATTERN.
managers_told() {
	api_as "$MANAGER" GET '/alerts?audience=manager'
	jqout "[.[] | select(.kind == \"staff_change\" and
	    (.message | test(\"$1\")))] | length"
}

# audited ACTION RECORD [ACTOR]: how many audit entries of ACTION on
# RECORD (by ACTOR) there are.
audited() {
	api_as "$MANAGER" GET '/audit?limit=1000'
	jqout "[.[] | select(.action == \"$1\" and .record_id == \"$2\" and
	    (.actor_id == \"${3:-}\" or \"${3:-}\" == \"\"))] | length"
}

unit_start 2027-01-20T07:30:00Z
sign_in boss 424242
BOSS=$TOKEN
BOSS_ID=$(staff_id boss)

# --- an admin gives themself nurse -------------------------------------------
api_as "$BOSS" PATCH "/staff/$BOSS_ID" '{"roles":["admin","nurse"]}'
expect_status 403 own_roles
api_as "$BOSS" GET "/staff/$BOSS_ID"
is "the admin's roles unchanged" '.roles | join(",")' admin
api_as "$BOSS" PATCH "/staff/$BOSS_ID" '{"pin":"9999"}'
expect_status 403 own_pin

# --- and creates a competent account with a PIN they chose -------------------
api_as "$BOSS" POST /staff '{"username":"carl","display_name":"Carl Crony",
    "roles":["competent"],"pin":"1234"}'
expect_status 201
is "the account made with no role in effect" '.roles | length' 0
is "its grant waits" .pending_change.state pending
is "the grant is of competent" '.pending_change.roles | join(",")' competent
is "asked by the admin" .pending_change.requested_by.username boss
is "the answer says it is not in effect" \
    '.pending_change.note | test("not in effect")' true
CARL_GRANT=$(jqout .pending_change.id)
same "the managers told of the request" \
    "$(managers_told 'asked to give Carl Crony .carl. competent')" 1

# --- a dose witnessed by it is refused while the grant waits -----------------
api_as "$RECEP" POST /patients '{"prison_number":"A2000BB",
    "given_name":"Pat","family_name":"Doe","date_of_birth":"1985-03-04",
    "arrived_at":"2027-01-20T07:00:00Z","location":"C3",
    "stimulant_user":false,"community_treatment":null}'
expect_status 201
prescribe_daily "$(jqout .id)" 2027-01-20
clock_to 2027-01-20T08:30:00Z
api_as "$NURSE" GET '/doses?state=due'
DOSE=$(jqout '.[0].id')
give_with_carl() {
	TOKEN=$NURSE
	api POST "/doses/$DOSE/administer" "$(with_cautions "$DOSE" \
	    '{"witness":{"username":"carl","pin":"1234"}}')"
}
give_with_carl
checks=$((checks + 1))
case "$STATUS $(jqout .error.code)" in
422\ witness_not_competent | 422\ witness_not_authenticated) ;;
*) fail "a dose witnessed by a grant still waiting: $STATUS $BODY_OUT" ;;
esac
api_as "$NURSE" GET "/doses/$DOSE"
is "the dose still due" .state due

# --- nobody approves their own request ---------------------------------------
api_as "$BOSS" POST "/staff/changes/$CARL_GRANT/approve"
expect_status 403 own_request
sign_in carl 1234
api POST "/staff/changes/$CARL_GRANT/approve"
expect_status 403 forbidden

# --- a manager approves the admin's grant; then it works ---------------------
api_as "$MANAGER" GET /staff/changes
is "the waiting grant listed first" .[0].id "$CARL_GRANT"
is "with who asked" .[0].requested_by.username boss
api_as "$MANAGER" POST "/staff/changes/$CARL_GRANT/approve"
expect_status 200
is "approved" .state approved
is "by the manager" .decided_by.username mona
is "carl is competent now" '.account.roles | join(",")' competent
same "the managers told of the approval" \
    "$(managers_told 'approved the request to give Carl Crony')" 1
api_as "$MANAGER" POST "/staff/changes/$CARL_GRANT/approve"
expect_status 409 change_decided
give_with_carl
expect_status 200
is "given, carl witnessing" .witnessed_by.username carl

# reset_waits WHO USER NEW_PIN: boss asks for a new PIN for USER; it waits
# (RESET its id), and the new PIN does not sign in.
reset_waits() {
	api_as "$BOSS" PATCH "/staff/$(staff_id "$2")" "{\"pin\":\"$3\"}"
	expect_status 200
	is "$1: the PIN reset waits" '.pending_changes[0].kind' reset
	RESET=$(jqout '.pending_changes[0].id')
	TOKEN=""
	api POST /sessions "{\"username\":\"$2\",\"pin\":\"$3\"}"
	expect_status 401 invalid_credentials
}

# --- a PIN reset of someone competent waits; declined; superseded ------------
CODY_ID=$(staff_id cody)
reset_waits "someone competent" cody 5678
FIRST_RESET=$RESET
sign_in cody 3333
api_as "$BOSS" PATCH "/staff/$CODY_ID" '{"pin":"6789"}'
expect_status 200
SECOND_RESET=$(jqout '.pending_changes[0].id')
api_as "$MANAGER" GET /staff/changes
is "the older reset superseded" \
    ".[] | select(.id == \"$FIRST_RESET\") | .state" superseded
api_as "$MANAGER" POST "/staff/changes/$FIRST_RESET/approve"
expect_status 409 change_decided
api_as "$BOSS" POST "/staff/changes/$SECOND_RESET/decline"
expect_status 200
is "withdrawn by who asked" .state declined
sign_in cody 3333
api_as "$BOSS" PATCH "/staff/$CODY_ID" '{"pin":"6789"}'
approve_change "$(jqout '.pending_changes[0].id')"
sign_in cody 6789

# --- a grant for someone since deactivated -----------------------------------
api_as "$BOSS" POST /staff '{"username":"dana","display_name":"Dana Leaver",
    "roles":["nurse"],"pin":"4321"}'
expect_status 201
DANA_GRANT=$(jqout .pending_change.id)
api_as "$BOSS" PATCH "/staff/$(jqout .id)" '{"active":false}'
expect_status 200
api_as "$MANAGER" POST "/staff/changes/$DANA_GRANT/approve"
expect_status 409 staff_inactive

# --- path A: an admin makes a second admin to approve their own requests ----
# The red team's: admin2 with a PIN boss chose approves boss's grants of a
# nurse and a competent witness, who then give a dose alone.  admin2's
# grant waits, so admin2 decides nothing, and the dose is refused.
api_as "$BOSS" POST /staff '{"username":"admin2","display_name":"Al Two",
    "roles":["admin"],"pin":"2222"}'
expect_status 201
is "admin2 made with no role in effect" '.roles | length' 0
is "admin2's grant of admin waits" '.pending_change.roles | join(",")' admin
ADMIN2_GRANT=$(jqout .pending_change.id)
same "the managers told of the grant of admin" \
    "$(managers_told 'asked to give Al Two .admin2. admin')" 1
api_as "$BOSS" POST /staff '{"username":"nurse2","display_name":"Ned Two",
    "roles":["nurse"],"pin":"2323"}'
expect_status 201
NURSE2_GRANT=$(jqout .pending_change.id)
api_as "$BOSS" POST /staff '{"username":"wit2","display_name":"Wit Two",
    "roles":["competent"],"pin":"2424"}'
expect_status 201
WIT2_GRANT=$(jqout .pending_change.id)
sign_in admin2 2222
api POST "/staff/changes/$NURSE2_GRANT/approve"
expect_status 403 forbidden
api POST "/staff/changes/$WIT2_GRANT/approve"
expect_status 403 forbidden
api POST "/staff/changes/$ADMIN2_GRANT/approve"
expect_status 403
api_as "$BOSS" POST "/staff/changes/$ADMIN2_GRANT/approve"
expect_status 403 own_request
api_as "$RECEP" POST /patients '{"prison_number":"A2000BC",
    "given_name":"Sam","family_name":"Doe","date_of_birth":"1986-03-04",
    "arrived_at":"2027-01-20T07:00:00Z","location":"C4",
    "stimulant_user":false,"community_treatment":null}'
expect_status 201
SAM=$(jqout .id)
prescribe_daily "$SAM" 2027-01-20
api_as "$NURSE" GET "/doses?state=due&patient_id=$SAM"
DOSE2=$(jqout '.[0].id')
sign_in nurse2 2323
api POST "/doses/$DOSE2/administer" "$(with_cautions "$DOSE2" \
    '{"witness":{"username":"wit2","pin":"2424"}}')"
expect_status 403 forbidden
api_as "$NURSE" GET "/doses/$DOSE2"
is "path A: the dose still due" .state due
api_as "$MANAGER" GET /staff/changes
is "path A: admin2's grant still waits" \
    ".[] | select(.id == \"$ADMIN2_GRANT\") | .state" pending

# --- path B: an admin resets the manager's PIN to approve as her ------------
reset_waits "path B: the manager" mona 1357
MONA_RESET=$RESET
same "the managers told of the reset of the manager's PIN" \
    "$(managers_told 'asked to reset the PIN of Mona Manager .mona.')" 1
api_as "$BOSS" PATCH "/staff/$BOSS_ID" '{"pin":"1357"}'
expect_status 403 own_pin
api_as "$BOSS" POST "/staff/changes/$MONA_RESET/decline"
expect_status 200
sign_in mona 8888
MANAGER=$TOKEN

# --- an account made active again: its guarded roles wait -------------------
NINA_ID=$(staff_id nina)
api_as "$BOSS" PATCH "/staff/$NINA_ID" '{"active":false}'
expect_status 200
api_as "$BOSS" PATCH "/staff/$NINA_ID" '{"active":true}'
expect_status 200
is "nina active again" .active true
is "without the nurse's role yet" '.roles | length' 0
is "the nurse's role waits" '.pending_changes[0].roles | join(",")' nurse
same "the managers told of the reactivation's grant (and her first)" \
    "$(managers_told 'asked to give Nina Nurse .nina. nurse')" 2
approve_change "$(jqout '.pending_changes[0].id')"
api_as "$BOSS" GET "/staff/$NINA_ID"
is "a nurse again once approved" '.roles | join(",")' nurse

# --- each person changes their own PIN with the old one ----------------------
FAILED=$(audited staff.pin_failed "$CODY_ID")
sign_in cody 6789
CODY=$TOKEN
api POST /staff/me/pin '{"old_pin":"1111","new_pin":"2468"}'
expect_status 401 invalid_credentials
same "the wrong old PIN counted as at sign-in" \
    "$(audited staff.pin_failed "$CODY_ID")" $((FAILED + 1))
api_as "$CODY" POST /staff/me/pin '{"old_pin":"6789","new_pin":"12"}'
expect_status 400 invalid_field
api_as "$CODY" POST /staff/me/pin '{"old_pin":"6789","new_pin":"2468"}'
expect_status 200
sign_in cody 2468
same "the managers told of the own PIN change" \
    "$(managers_told 'Cody Competent .cody. changed their own PIN')" 1

# --- each request and approval audited ---------------------------------------
same "carl's grant asked for, audited" \
    "$(audited staff.change_request "$CARL_GRANT" "$BOSS_ID")" 1
same "its approval audited, as the manager" \
    "$(audited staff.change_approve "$CARL_GRANT" "$(staff_id mona)")" 1
same "the decline audited" "$(audited staff.change_decline "$SECOND_RESET")" 1
same "the own PIN change audited" "$(audited staff.pin_change "$CODY_ID")" 1

# --- a grant waits 7 days at most ------------------------------------------------
api_as "$BOSS" POST /staff '{"username":"eve","display_name":"Eve Late",
    "roles":["pharmacist"],"pin":"5151"}'
expect_status 201
EVE_GRANT=$(jqout .pending_change.id)
EXPIRES=$(jqout .pending_change.expires_at)
clock_to "$(date -u -d "$EXPIRES - 1 minute" +%Y-%m-%dT%H:%M:%SZ)"
sign_in mona 8888
MANAGER=$TOKEN
api GET /staff/changes
is "a minute before: waiting" ".[] | select(.id == \"$EVE_GRANT\") | .state" \
    pending
clock_to "$(date -u -d "$EXPIRES + 1 minute" +%Y-%m-%dT%H:%M:%SZ)"
sign_in mona 8888
api POST "/staff/changes/$EVE_GRANT/approve"
expect_status 409 change_expired
api GET /staff/changes
is "a minute after: expired" ".[] | select(.id == \"$EVE_GRANT\") | .state" \
    expired
pass
