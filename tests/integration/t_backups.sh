#!/bin/sh
# Backups on the schedule and their failures (issue 21).  With
# backup.interval 60 and backup.keep 2, and the test clock: none is taken
# at start-up; one interval on, a scheduled backup is made (by a child
# process) and recorded, verified, 0600, audited in the daemon's name;
# after three the oldest file is pruned and its record says so.  Only an
# admin may ask for one; a body is refused.  Restarted with a
# backup.directory that cannot be made, an admin's backup answers 503
# backup_failed, is recorded and audited as failed and alerts the
# managers and the admins (who read those alerts alone, and acknowledge
# them); two intervals after the last verified one, backup_overdue.
# A temporary file left by a backup cut short goes at the next backup.
. "$(dirname "$0")/lib.sh"

EXTRA_CONFIG='backup = { directory = "'$T'/backups"; interval = 60;
    keep = 2; };'
init_admin boss 424242
start_daemon --test-clock
sign_in boss 424242
ADMIN=$TOKEN
add_staff mo "Mo Manager" '["manager"]' 8888
sign_in mo 8888
MANAGER=$TOKEN
TOKEN=$ADMIN

# advance MINUTES: move the test clock on, as the admin, and sign both in
# again (the sessions have expired); TOKEN is the admin's.
advance() {
	TOKEN=$ADMIN
	api POST /test/clock "{\"advance_seconds\":$(($1 * 60))}"
	expect_status 200
	sign_in mo 8888
	MANAGER=$TOKEN
	sign_in boss 424242
	ADMIN=$TOKEN
}

# wait_backups N: until GET /v1/backups lists N.
wait_backups() {
	i=0
	while :; do
		api GET /backups
		expect_status 200
		[ "$(jqout '.backups | length')" = "$1" ] && return 0
		[ $i -lt 100 ] || fail "expected $1 backups: $BODY_OUT"
		sleep 0.1
		i=$((i + 1))
	done
}

api GET /backups
expect_status 200
checks=$((checks + 1))
[ "$(jqout '.backups | length')" = 0 ] || fail "a backup at start-up"

# Only an admin; no body.
TOKEN=$MANAGER
api POST /backups
expect_status 403 forbidden
TOKEN=$ADMIN
api POST /backups '{"now":true}'
expect_status 400 unknown_field

# One interval on: the scheduled one.
advance 61
wait_backups 1
checks=$((checks + 1))
[ "$(jqout '.backups[0].verified')" = true ] ||
    fail "the scheduled backup is not verified: $BODY_OUT"
F1=$(jqout '.backups[0].file')
checks=$((checks + 1))
[ "$(stat -c %a "$F1")" = 600 ] || fail "$F1 is not 0600"
checks=$((checks + 1))
[ "$(sqlite3 "$F1" 'PRAGMA integrity_check')" = ok ] ||
    fail "$F1 fails integrity_check"
api GET '/audit?limit=1000'
checks=$((checks + 1))
[ "$(jqout '[.[] | select(.action == "backup.taken")] | .[0] |
    "\(.actor_id) \(.detail.file)"')" = " $F1" ] ||
    fail "the scheduled backup is not audited in the daemon's name: $BODY_OUT"

# Two more: the first is pruned beyond keep 2, its record kept.
advance 61
wait_backups 2
advance 61
wait_backups 3
checks=$((checks + 1))
[ "$(jqout '[.backups[] | .pruned_at != null] | map(tostring) |
    join(",")')" = "false,false,true" ] ||
    fail "the oldest backup was not pruned: $BODY_OUT"
checks=$((checks + 1))
[ ! -e "$F1" ] || fail "the pruned backup's file is still there"
checks=$((checks + 1))
[ "$(ls "$T/backups" | wc -l)" = 2 ] ||
    fail "not two files kept: $(ls "$T/backups")"

# idtsctl backup and backup list, as the admin.
ctl() {
	IDTS_SERVER="http://127.0.0.1:$PORT" IDTS_TOKEN=$ADMIN "$IDTSCTL" "$@"
}
# (A backup cut short by a stop left its temporary file: the next one
# removes it.)
: > "$T/backups/idtsd-20261207T000000.000Z.db.tmp"
checks=$((checks + 1))
ctl backup > "$T/ctl.out" 2>&1 || fail "idtsctl backup: $(cat "$T/ctl.out")"
checks=$((checks + 1))
[ ! -e "$T/backups/idtsd-20261207T000000.000Z.db.tmp" ] ||
    fail "the temporary file left by a backup cut short is still there"
said="^backup verified: $T/backups/idtsd-.*, [0-9]* bytes, audit head"
grep -q "$said [0-9]*\$" "$T/ctl.out" ||
    fail "idtsctl backup said: $(cat "$T/ctl.out")"
checks=$((checks + 1))
ctl backup list > "$T/ctl.out" 2>&1 || fail "idtsctl backup list failed"
[ "$(grep -c ' verified ' "$T/ctl.out")" = 2 ] &&
    [ "$(grep -c ' pruned ' "$T/ctl.out")" = 2 ] ||
    fail "idtsctl backup list: $(cat "$T/ctl.out")"

# A directory that cannot be made (under a regular file): a failure.
stop_daemon
: > "$T/afile"
EXTRA_CONFIG='backup = { directory = "'$T'/afile/backups"; interval = 60;
    keep = 2; };'
start_daemon --test-clock
TOKEN=$ADMIN
api POST /backups
expect_status 503 backup_failed
checks=$((checks + 1))
! ctl backup > "$T/ctl.out" 2>&1 && grep -q backup_failed "$T/ctl.out" ||
    fail "idtsctl backup did not fail: $(cat "$T/ctl.out")"
api GET /backups
checks=$((checks + 1))
[ "$(jqout '.backups[0] | "\(.verified) \(.audit_head) \(.error != null)"')" = \
    "false null true" ] || fail "the failure is not recorded: $BODY_OUT"
api GET '/audit?limit=1000'
checks=$((checks + 1))
[ "$(jqout '[.[] | select(.action == "backup.failed")] | length')" = 2 ] ||
    fail "the failure is not audited"
TOKEN=$MANAGER
api GET '/alerts?state=open'
checks=$((checks + 1))
[ "$(jqout '[.[] | select(.kind == "backup_failed" and
    .audience == "manager")] | length')" = 2 ] ||
    fail "the managers were not alerted of the failure: $BODY_OUT"
# The admins too: the operational alerts alone, which they acknowledge.
TOKEN=$ADMIN
api GET '/alerts?state=open'
expect_status 200
checks=$((checks + 1))
[ "$(jqout '[.[] | select(.kind == "backup_failed")] | length')" = 2 ] &&
    [ "$(jqout '[.[] | select(.kind != "backup_failed" and
    .kind != "backup_overdue" or .patient_id != null)] | length')" = 0 ] ||
    fail "the admins do not read the backup failures alone: $BODY_OUT"
api POST "/alerts/$(jqout '.[0].id')/ack" '{"note":"disk replaced"}'
expect_status 200

# Two intervals since the last verified one: overdue, once.
advance 61
advance 61
TOKEN=$MANAGER
i=0
until api GET '/alerts?state=open' &&
    [ "$(jqout '[.[] | select(.kind == "backup_overdue")] | length')" = 1 ]
do
	[ $i -lt 100 ] || fail "no backup_overdue alert: $BODY_OUT"
	sleep 0.1
	i=$((i + 1))
done
checks=$((checks + 1))
pass
