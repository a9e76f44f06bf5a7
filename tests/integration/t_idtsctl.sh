#!/bin/sh
# idtsctl against a real daemon: login keeps a 0600 token, staff add/list/
# set, reception's arrival form, patient list/show by prison number,
# audit verify; refusals exit 1 with the daemon's code, usage errors 2,
# an unreachable daemon 3.
. "$(dirname "$0")/lib.sh"

init_admin boss 424242
start_daemon
export IDTS_SERVER="http://127.0.0.1:$PORT" XDG_CONFIG_HOME="$T/cfg"
C=$IDTSCTL
ok() {
	checks=$((checks + 1))
	"$@" >"$T/ctl.out" 2>"$T/ctl.err" || fail "$* failed: $(cat "$T/ctl.err")"
}
status_is() {
	want=$1
	shift
	checks=$((checks + 1))
	set +e
	"$@" >"$T/ctl.out" 2>"$T/ctl.err"
	got=$?
	set -e
	[ "$got" = "$want" ] || fail "$*: exit $got, wanted $want: $(cat "$T/ctl.err")"
}

ok $C --help
grep -q "patient add" "$T/ctl.out" || fail "help does not list patient add"
ok $C health
grep -q "^ok: idtsd" "$T/ctl.out" || fail "health: $(cat "$T/ctl.out")"

IDTS_PIN=424242 ok $C login boss
mode=$(stat -c %a "$XDG_CONFIG_HOME/idtsctl/token")
[ "$mode" = 600 ] || fail "the token file is mode $mode"
IDTS_NEW_PIN=3141 ok $C staff add rita --name "Rita Reception" --roles reception
IDTS_NEW_PIN=2718 ok $C staff add nico --name "Nico Nurse" --roles nurse
grep -q "not in effect" "$T/ctl.out" || fail "staff add: the nurse grant waits"
NICO_GRANT=$(sed -n 's/.*idtsctl staff approve //p' "$T/ctl.out")
status_is 1 $C staff approve "$NICO_GRANT"
grep -q own_request "$T/ctl.err" || fail "boss approved their own request"
ok $C staff list
grep -q "^rita .*reception .*active" "$T/ctl.out" || fail "staff list: $(cat "$T/ctl.out")"
ok $C --json staff list
# boss, lib.approver (lib.sh's second admin, made at the console), rita,
# nico
[ "$(jq length "$T/ctl.out")" = 4 ] || fail "--json staff list"
# A second admin, at a terminal of their own, approves the grants; her own
# grant of admin waits for lib.approver, made at the console.
IDTS_NEW_PIN=5050 ok $C staff add ada --name "Ada Admin" --roles admin
grep -q "not in effect" "$T/ctl.out" || fail "staff add: the admin grant waits"
ADA_GRANT=$(sed -n 's/.*idtsctl staff approve //p' "$T/ctl.out")
APPROVER="env XDG_CONFIG_HOME=$T/approver"
IDTS_PIN=97531 ok $APPROVER $C login lib.approver
ok $APPROVER $C staff approve "$ADA_GRANT"
ADA="env XDG_CONFIG_HOME=$T/ada"
IDTS_PIN=5050 ok $ADA $C login ada
ok $ADA $C staff changes
grep -q "^$NICO_GRANT *nico *nurse *pending *boss" "$T/ctl.out" ||
    fail "staff changes: $(cat "$T/ctl.out")"
ok $ADA $C staff approve "$NICO_GRANT"
grep -q "^nico .*nurse .*active" "$T/ctl.out" ||
    fail "staff approve: $(cat "$T/ctl.out")"
ok $C staff set nico --roles nurse,competent
grep -q "not in effect" "$T/ctl.out" || fail "staff set: the grant waits"
ok $ADA $C staff approve "$(sed -n 's/.*idtsctl staff approve //p' "$T/ctl.out")"
grep -q "nurse,competent" "$T/ctl.out" || fail "staff set roles"
status_is 2 $C staff add x
status_is 2 $C bogus

IDTS_PIN=3141 ok $C login rita
status_is 1 env IDTS_PIN=1414 IDTS_NEW_PIN=5926 $C pin
grep -q invalid_credentials "$T/ctl.err" || fail "pin: a wrong old PIN"
IDTS_PIN=3141 IDTS_NEW_PIN=5926 ok $C pin
grep -q "PIN changed for rita" "$T/ctl.out" || fail "pin: $(cat "$T/ctl.out")"
IDTS_PIN=5926 IDTS_NEW_PIN=3141 ok $C pin
ok $C patient add --number c3456de --given Ann --family Other --dob 1980-02-29 \
    --location "B1" --stimulant --treatment methadone --dose 35.5 --unit ml \
    --prescriber "Dr Community" --last-dose 2026-01-01T08:00:00Z
grep -q "C3456DE .*Other, Ann" "$T/ctl.out" || fail "patient add: $(cat "$T/ctl.out")"
ok $C --json patient show C3456DE
[ "$(jq -r .community_treatment.dose "$T/ctl.out")" = 35.5 ] || fail "dose"
[ "$(jq -r .flags.stimulant_user "$T/ctl.out")" = true ] || fail "stimulant"
status_is 1 $C patient add --number C3456DE --given Ann --family Other \
    --dob 1980-02-29 --location B1 --no-stimulant </dev/null
grep -q duplicate_prison_number "$T/ctl.err" || fail "duplicate not refused"
status_is 2 $C patient add --number D1111AA </dev/null
status_is 1 $C patient show Z9999ZZ
ok $C patient list --status in_custody
[ "$(grep -c C3456DE "$T/ctl.out")" = 1 ] || fail "patient list"
status_is 1 $C audit verify
grep -q forbidden "$T/ctl.err" || fail "reception may not read the audit"

# Clocks, keyworker and alerts (cara is a CARAT worker).
IDTS_PIN=424242 ok $C login boss
IDTS_NEW_PIN=1717 ok $C staff add cara --name "Cara CARAT" --roles carat
IDTS_PIN=3141 ok $C login rita
ok $C arrive --number E4567FG --given Ed --family Keyed --dob 1975-06-30 \
    --location "B2" --no-stimulant --treatment buprenorphine --dose 8 \
    --unit mg --prescriber "Dr B"
ok $C clocks --state running --patient E4567FG
[ "$(grep -c running "$T/ctl.out")" = 2 ] || fail "two running clocks: $(cat "$T/ctl.out")"
status_is 1 $C keyworker E4567FG cara
grep -q forbidden "$T/ctl.err" || fail "reception may not allocate keyworkers"
IDTS_PIN=1717 ok $C login cara
status_is 1 $C keyworker E4567FG rita
grep -q not_a_carat_worker "$T/ctl.err" || fail "rita is not a CARAT worker"
ok $C keyworker E4567FG cara
grep -q "Cara CARAT is keyworker for E4567FG" "$T/ctl.out" || fail "keyworker: $(cat "$T/ctl.out")"
ok $C --json clocks --state met
[ "$(jq -r '.[0].kind' "$T/ctl.out")" = keyworker_allocated ] || fail "met clock"
status_is 1 $C --json alerts
grep -q forbidden "$T/ctl.err" || fail "a CARAT worker reads no alerts"
IDTS_PIN=3141 ok $C login rita
ok $C --json alerts
[ "$(jq '[.[] | select(.kind != "staff_change")] | length' "$T/ctl.out")" = 0 ] ||
    fail "alerts (but the managers' of changes of access): $(cat "$T/ctl.out")"
status_is 1 $C ack 00000000-0000-4000-8000-000000000000
grep -q not_found "$T/ctl.err" || fail "ack of an unknown alert"

IDTS_PIN=424242 ok $C login boss
# The other admins gone, boss is the last and stays.
ok $C staff set ada --active no
ok $C staff set lib.approver --active no
status_is 1 $C staff set boss --active no
grep -q "last_admin" "$T/ctl.err" || fail "last admin refusal not shown"
ok $C audit verify
grep -q "audit trail whole" "$T/ctl.out" || fail "audit verify: $(cat "$T/ctl.out")"
ok $C logout
status_is 1 $C staff list
status_is 3 $C -s http://127.0.0.1:1 health
pass
