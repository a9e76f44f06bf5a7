#!/bin/sh
# Enrolled terminals (issue 16): an admin enrols one and is shown its
# credential once (stored hashed), lists them without secrets, revokes
# one (its sessions end); with auth.loopback_without_terminal = false a
# sign-in without a credential is refused before the PIN is looked at,
# and with one it works; a session works only from the terminal it was
# opened on; idtsctl reads the credential from a file only its owner may
# read, and enrols, lists and revokes.
. "$(dirname "$0")/lib.sh"

IDTSCTL=${IDTSCTL:-$BUILD/idtsctl}
init_admin boss 424242
start_daemon --test-clock
sign_in boss 424242
ADMIN=$TOKEN
add_staff nina "Nina Nurse" '["nurse"]' 2222
add_staff rita "Rita Reception" '["reception"]' 6666
add_staff carl "Carl Competent" '["competent"]' 3333
api POST /products '{"name":"Methadone","form":"oral solution","strength":"1mg/ml","unit":"ml"}'
expect_status 201
M=$(jqout .id)

# --- enrol, list --------------------------------------------------------
api POST /terminals '{"name":"ward-1","location":"treatment room"}'
expect_status 201
T1=$(jqout .id)
CRED1=$(jqout .credential)
SECRET1=${CRED1#*:}
checks=$((checks + 1))
[ "${CRED1%%:*}" = "$T1" ] && [ ${#SECRET1} = 64 ] ||
    fail "the credential is not ID:SECRET: $CRED1"
[ "$(jqout .revoked_at)" = null ] || fail "a new terminal is revoked"
api POST /terminals '{"name":"ward-2","location":"office"}'
expect_status 201
T2=$(jqout .id)
CRED2=$(jqout .credential)
api POST /terminals '{"name":"ward-3"}'
expect_status 400 missing_field
api POST /terminals '{"name":"ward-3","location":"x","credential":"x"}'
expect_status 400 unknown_field

api GET /terminals
expect_status 200
checks=$((checks + 1))
[ "$(jqout '[.[].name] | join(",")')" = "ward-1,ward-2" ] ||
    fail "the list is not the two terminals: $BODY_OUT"
printf '%s' "$BODY_OUT" | grep -q "$SECRET1" && fail "the list shows a secret"
jqout '.[0] | keys | join(",")' | grep -q credential &&
    fail "the list has a credential member"
# Stored hashed: the secret is nowhere in the database.
checks=$((checks + 1))
sqlite3 "$T/idtsd.db" .dump | grep -q "$SECRET1" &&
    fail "the secret is in the database"
[ "$(sql "SELECT count(*) FROM audit WHERE action = 'terminal.enrol'")" = 2 ] ||
    fail "the enrolments are not audited"

# Only an admin enrols.
sign_in rita 6666
api POST /terminals '{"name":"mine","location":"gate"}'
expect_status 403 forbidden
api GET /terminals
expect_status 403 forbidden

# --- a session is bound to its terminal ---------------------------------
# A credential not enrolled here is refused before the PIN.
TOKEN=""
TERMINAL="$T1:$(printf '%064d' 0)"
api POST /sessions '{"username":"nina","pin":"2222"}'
expect_status 401 terminal_required
TERMINAL="$CRED1"
sign_in nina 2222
NINA1=$TOKEN
[ "$(sql "SELECT terminal_id FROM sessions WHERE terminal_id IS NOT NULL")" = "$T1" ] ||
    fail "the session does not record its terminal: $(sql "SELECT s.username, x.terminal_id FROM sessions x JOIN staff s ON s.id = x.staff_id")" ||
    fail "the session does not record its terminal"
api GET /patients
expect_status 200
# The same token from another terminal, or with none: refused.
TERMINAL=$CRED2
api GET /patients
expect_status 401 terminal_mismatch
TERMINAL=""
api GET /patients
expect_status 401 terminal_mismatch
# A session opened without a terminal (loopback) is no use from one.
sign_in nina 2222
TERMINAL=$CRED2
api GET /patients
expect_status 401 terminal_mismatch
TERMINAL=""
api GET /patients
expect_status 200

# --- revoke ---------------------------------------------------------------
TOKEN=$ADMIN
api POST "/terminals/$T1/revoke"
expect_status 200
[ "$(jqout '.revoked_at != null and .revoked_by != null')" = true ] ||
    fail "the revocation is not in the answer: $BODY_OUT"
api POST "/terminals/$T1/revoke"
expect_status 409 already_revoked
api POST "/terminals/00000000-0000-4000-8000-000000000000/revoke"
expect_status 404 not_found
checks=$((checks + 1))
[ "$(sql "SELECT count(*) FROM sessions WHERE terminal_id = '$T1'")" = 0 ] ||
    fail "the revoked terminal's sessions did not end"
# Its session has ended, and its credential no longer signs in.
TOKEN=$NINA1
TERMINAL=$CRED1
api GET /patients
expect_status 401 terminal_revoked
TOKEN=""
api POST /sessions '{"username":"nina","pin":"2222"}'
expect_status 401 terminal_revoked
TERMINAL=""
TOKEN=$ADMIN
api GET /terminals
[ "$(jqout '.[] | select(.id == "'"$T1"'") | .revoked_at != null')" = true ] ||
    fail "the list does not show the terminal revoked"

# --- loopback without a terminal, disallowed -----------------------------
TERMINAL=""
sign_in nina 2222
NINA_LOOP=$TOKEN
stop_daemon
EXTRA_CONFIG='auth = { loopback_without_terminal = false; };'
start_daemon --test-clock
TOKEN=""
TERMINAL=""
FAILS=$(sql "SELECT count(*) FROM pin_places")
api POST /sessions '{"username":"nina","pin":"0000"}'
expect_status 401 terminal_required
api POST /sessions '{"username":"nina","pin":"2222"}'
expect_status 401 terminal_required
checks=$((checks + 1))
[ "$(sql "SELECT count(*) FROM pin_places")" = "$FAILS" ] ||
    fail "a PIN was looked at without a terminal"
grep -q "PIN from 127.0.0.1 refused: no enrolled terminal" "$T/daemon.log" ||
    fail "the refusal's source is not in the log"
# A session from before, on loopback: a witness's PIN is not taken either.
TOKEN=$NINA_LOOP
api POST "/register/$M/checks" '{"counted":0,"witness":{"username":"carl","pin":"0000"}}'
expect_status 401 terminal_required
checks=$((checks + 1))
[ "$(sql "SELECT count(*) FROM pin_places")" = "$FAILS" ] ||
    fail "a witness's PIN was looked at without a terminal"
TOKEN=""
TERMINAL=$CRED2
sign_in nina 2222
api GET /patients
expect_status 200
[ "$(sql "SELECT source FROM sessions WHERE terminal_id = '$T2'")" = 127.0.0.1 ] ||
    fail "the session does not record its source"

# --- idtsctl: the credential from a file only its owner reads ------------
TERMINAL=""
export IDTS_SERVER="http://127.0.0.1:$PORT" XDG_CONFIG_HOME="$T/cfg"
unset IDTS_TOKEN IDTS_TERMINAL_FILE
mkdir -p "$T/cfg/idts"
printf '%s\n' "$CRED2" >"$T/cfg/idts/terminal"
chmod 644 "$T/cfg/idts/terminal"
checks=$((checks + 1))
if IDTS_PIN=424242 "$IDTSCTL" login boss >"$T/ctl.out" 2>"$T/ctl.err"; then
	fail "idtsctl used a credential others may read"
fi
grep -q "chmod 600" "$T/ctl.err" || fail "no clear word on the mode: $(cat "$T/ctl.err")"
chmod 600 "$T/cfg/idts/terminal"
IDTS_PIN=424242 "$IDTSCTL" login boss >"$T/ctl.out" 2>&1 ||
    fail "idtsctl login at an enrolled terminal: $(cat "$T/ctl.out")"
"$IDTSCTL" terminal enrol ward-4 --location "day room" >"$T/enrol.out" 2>&1 ||
    fail "idtsctl terminal enrol: $(cat "$T/enrol.out")"
checks=$((checks + 1))
grep -Eq '^[0-9a-f-]{36}:[0-9a-f]{64}$' "$T/enrol.out" ||
    fail "the credential is not shown: $(cat "$T/enrol.out")"
grep -q "IDTS_TERMINAL_FILE" "$T/enrol.out" || fail "no hint how to install it"
T4=$(sed -n 's/^terminal ward-4 (day room) enrolled: //p' "$T/enrol.out")
"$IDTSCTL" terminal list >"$T/list.out" 2>&1 || fail "idtsctl terminal list"
grep -q "ward-4 .*day room.*enrolled" "$T/list.out" ||
    fail "the list: $(cat "$T/list.out")"
"$IDTSCTL" terminal revoke "$T4" >"$T/revoke.out" 2>&1 ||
    fail "idtsctl terminal revoke: $(cat "$T/revoke.out")"
grep -q "revoked" "$T/revoke.out" || fail "the revoke: $(cat "$T/revoke.out")"
# Its own terminal's credential in IDTS_TERMINAL_FILE, instead.
rm "$T/cfg/idts/terminal"
IDTS_PIN=424242 "$IDTSCTL" login boss >"$T/ctl.out" 2>&1 &&
    fail "idtsctl signed in without a terminal, loopback disallowed"
grep -q terminal_required "$T/ctl.out" || fail "idtsctl: $(cat "$T/ctl.out")"
printf '%s\n' "$CRED2" >"$T/other"
chmod 600 "$T/other"
IDTS_TERMINAL_FILE="$T/other" IDTS_PIN=424242 "$IDTSCTL" login boss \
    >"$T/ctl.out" 2>&1 || fail "IDTS_TERMINAL_FILE: $(cat "$T/ctl.out")"
pass
