#!/bin/sh
# The database check at start-up (issue 21): after kill -9 the daemon
# checks the database (quick_check) before it serves; after a clean stop
# it serves at once and checks the whole database (integrity_check) in the
# background, logging that it passed; a damaged page that the background
# check finds (a leaf page of patients zeroed with dd after a clean stop)
# is logged, alerts the managers, and leaves the stop unrecorded as clean,
# so the next start checks before serving and refuses the database.
# --init-admin leaves the record of a clean stop as it found it, so one
# run beside the daemon does not make its crash pass for a clean stop.
. "$(dirname "$0")/lib.sh"

# log_from LINE: the daemon's log from that line on (this start's).
log_from() {
	tail -n "+$1" "$T/daemon.log"
}

# line_of FROM WORDS: the number of the first line from FROM on that has
# WORDS, or nothing.
line_of() {
	log_from "$1" | grep -n -m1 -F "$2" | cut -d: -f1
}

# wait_log FROM WORDS: wait up to 20 s for WORDS in the log from FROM.
wait_log() {
	i=0
	until [ -n "$(line_of "$1" "$2")" ]; do
		[ $i -lt 200 ] || fail "no '$2' in the log within 20 s"
		sleep 0.1
		i=$((i + 1))
	done
}

# clean_stop_at: the clean stop the database records (0: none).
clean_stop_at() {
	sql "SELECT coalesce((SELECT value FROM meta WHERE
	    name = 'clean_stop_at'), 0)"
}

init_admin boss 424242
start_daemon
sign_in boss 424242
add_staff mo "Mo Manager" '["manager"]' 8888
BOSS_ID=$(sql "SELECT id FROM staff WHERE username = 'boss'")
checks=$((checks + 1))
[ "$(clean_stop_at)" = 0 ] || fail "a running daemon's database says it \
stopped cleanly"

# --- after kill -9: checked before serving ----------------------------------
kill_daemon
FROM=$(($(wc -l < "$T/daemon.log") + 1))
start_daemon
checks=$((checks + 1))
n_check=$(line_of "$FROM" "the last stop was not clean: checking the database (quick_check) before serving")
[ -n "$n_check" ] || fail "after kill -9 the log does not say the \
database is checked before serving: $(log_from "$FROM")"
checks=$((checks + 1))
n_passed=$(line_of "$FROM" "quick_check passed")
n_ready=$(line_of "$FROM" " ready (database")
[ -n "$n_passed" ] && [ -n "$n_ready" ] && [ "$n_passed" -lt "$n_ready" ] ||
    fail "after kill -9 the check did not pass before serving: \
$(log_from "$FROM")"
echo "after kill -9: quick_check before serving"

# --- after a clean stop: checked in the background ----------------------------
stop_daemon
checks=$((checks + 1))
[ "$(clean_stop_at)" -gt 0 ] || fail "a clean stop was not recorded"
STOPPED_AT=$(clean_stop_at)
echo 6161 | "$IDTSD" -c "$T/idtsd.conf" --init-admin ops \
    >>"$T/daemon.log" 2>&1 || fail "--init-admin ops"
checks=$((checks + 1))
[ "$(clean_stop_at)" = "$STOPPED_AT" ] ||
    fail "--init-admin after a clean stop did not leave it as it found it"
FROM=$(($(wc -l < "$T/daemon.log") + 1))
start_daemon
checks=$((checks + 1))
[ -n "$(line_of "$FROM" "the last stop was clean: the database is checked in the background")" ] ||
    fail "after a clean stop the log does not say so: $(log_from "$FROM")"
checks=$((checks + 1))
[ -z "$(line_of "$FROM" "quick_check")" ] ||
    fail "after a clean stop the daemon checked before serving"
wait_log "$FROM" "integrity_check in the background passed"
checks=$((checks + 1))
n_ready=$(line_of "$FROM" " ready (database")
n_passed=$(line_of "$FROM" "integrity_check in the background passed")
[ -n "$n_ready" ] && [ "$n_ready" -lt "$n_passed" ] ||
    fail "the background check did not run while serving: \
$(log_from "$FROM")"
checks=$((checks + 1))
[ "$(clean_stop_at)" = 0 ] ||
    fail "the clean stop is still recorded while the daemon runs"
# --init-admin while the daemon runs leaves the marker as it found it: a
# crash of the daemon after it must not pass for a clean stop.
echo 5151 | "$IDTSD" -c "$T/idtsd.conf" --init-admin ops2 \
    >>"$T/daemon.log" 2>&1 || fail "--init-admin ops2 beside the daemon"
checks=$((checks + 1))
[ "$(clean_stop_at)" = 0 ] ||
    fail "--init-admin beside a running daemon recorded a clean stop"
echo "after a clean stop: served at once, integrity_check passed behind"

# --- a damaged page found in the background -----------------------------------
# 3,000 patients (released) over some thirty leaf pages; one in the middle
# of them is zeroed while the daemon is stopped, after a clean stop.
stop_daemon
sqlite3 "$T/idtsd.db" <<EOF || fail "cannot add the patients"
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n
    WHERE i < 2999)
INSERT INTO patients (id, prison_number, given_name, family_name,
    date_of_birth, arrived_at, location, stimulant_user, status,
    created_by, created_at)
SELECT printf('00000000-0000-4000-8000-%012x', i),
    'C' || printf('%04d', i) || 'DB', 'Pat', printf('Doe%06d', i),
    '1980-05-05', 1700000000000, 'HB1', 0, 'released', '$BOSS_ID',
    1700000000000 FROM n;
EOF
PAGE=$(sql "SELECT pageno FROM dbstat WHERE name = 'patients' AND
    pagetype = 'leaf' ORDER BY pageno LIMIT 1 OFFSET 10")
SIZE=$(sql "PRAGMA page_size")
[ -n "$PAGE" ] && [ ! -s "$T/idtsd.db-wal" ] ||
    fail "no leaf page of patients to damage, or a write-ahead log left"
dd if=/dev/zero of="$T/idtsd.db" bs="$SIZE" seek=$((PAGE - 1)) count=1 \
    conv=notrunc 2>/dev/null
checks=$((checks + 1))
[ "$(sql 'PRAGMA quick_check' 2>&1 | head -1)" != ok ] ||
    fail "zeroing page $PAGE did not damage the database"
FROM=$(($(wc -l < "$T/daemon.log") + 1))
start_daemon
wait_log "$FROM" "integrity_check in the background FAILED"
checks=$((checks + 1))
[ -z "$(line_of "$FROM" "quick_check")" ] ||
    fail "the damaged database was checked before serving (it stopped cleanly)"
sign_in mo 8888
api GET '/alerts?state=open'
expect_status 200
checks=$((checks + 1))
[ "$(jqout '[.[] | select(.kind == "database_check_failed" and
    .audience == "manager" and .severity == "urgent")] | length')" = 1 ] ||
    fail "the managers were not alerted of the damage: $BODY_OUT"
checks=$((checks + 1))
jqout '.[] | select(.kind == "database_check_failed") | .message' |
    grep -q "integrity_check" ||
    fail "the alert does not say what failed: $BODY_OUT"
echo "a zeroed page of patients: found in the background, managers alerted"

# The stop after it is not recorded as clean: the next start checks before
# serving, and refuses the database.
stop_daemon
checks=$((checks + 1))
[ "$(clean_stop_at)" = 0 ] ||
    fail "the stop after a failed check was recorded as clean"
FROM=$(($(wc -l < "$T/daemon.log") + 1))
rc=0
"$IDTSD" -f -c "$T/idtsd.conf" >>"$T/daemon.log" 2>&1 || rc=$?
checks=$((checks + 1))
[ "$rc" != 0 ] && [ -n "$(line_of "$FROM" "failed its quick check")" ] ||
    fail "the next start served a damaged database (exit $rc): \
$(log_from "$FROM")"
echo "the next start: checked before serving, refused"

pass
