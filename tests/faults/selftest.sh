#!/bin/bash
# Does the kill -9 test's checker catch what it is there to catch?
# tests/faults/selftest.sh BUILD
#
# A short kill -9 run leaves a database and the log of every write.  Each
# case below copies them, breaks the copy the way a faulty daemon might
# (a write lost, a write twice, a sign-off without its register entry, a
# deadline fired twice or not alerted, a refused write stored anyway, the
# audit chain altered), starts the daemon on it and runs loadgen check,
# which must fail and say why.  The unbroken copy must pass.
set -eu

BUILD=${1:?usage: selftest.sh BUILD}
IDTSD="$BUILD/idtsd"
LOADGEN="$BUILD/faults/loadgen"
. "$(dirname "$0")/../port.sh"
PID=""
D=""

cleanup() {
	[ -n "$PID" ] && kill -KILL "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	[ -n "$D" ] && rm -rf "$D"
	return 0
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	if [ -n "$D" ] && [ -f "$D/daemon.log" ]; then
		tail -5 "$D/daemon.log" >&2
	fi
	exit 1
}

ms() { date +%s%3N; }

out=$(KEEP=1 tests/faults/kill9.sh "$BUILD" 3) || {
	echo "$out"
	fail "the short kill -9 run"
}
SRC=$(echo "$out" | sed -n 's/^kept: //p')
[ -d "$SRC" ] || fail "no kept run"
STATE="$SRC/work/state"

# field KIND CLASS N: field N of the first write of that kind and class.
field() {
	awk -F'\t' -v k="$1" -v c="$2" -v n="$3" \
	    '$1 == k && $2 == c { print $n; exit }' "$STATE"
}

# case NAME EXPECT SQL: break a copy with SQL; check must fail saying
# EXPECT (an extended regular expression), or pass if EXPECT is "".
passed=0
case_() {
	local name=$1 expect=$2 sql=$3 port i rc tries
	D=$(mktemp -d "${TMPDIR:-/tmp}/idtsd-selftest.XXXXXX")
	cp "$SRC"/idtsd.db* "$D"/
	cp -r "$SRC/work" "$D/work"
	if [ -n "$sql" ]; then
		sqlite3 "$D/idtsd.db" "$sql" || fail "$name: the SQL"
	fi
	# A port outside the ephemeral range; another if that one is taken.
	tries=0
	while :; do
		port=$(port_pick)
		cat >"$D/idtsd.conf" <<EOF
database = "$D/idtsd.db";
listen = { address = "127.0.0.1"; port = $port; };
backup = { interval = 0; };
log_level = "warning";
sessions = { idle_minutes = 1440; };
doses = { window_before_minutes = 30; window_after_minutes = 90;
	hold_after = 28; };
EOF
		"$IDTSD" -f -c "$D/idtsd.conf" --test-clock >>"$D/daemon.log" \
		    2>&1 &
		PID=$!
		i=0
		while ! curl -s -m 1 -o /dev/null \
		    "http://127.0.0.1:$port/v1/health"; do
			kill -0 "$PID" 2>/dev/null || break
			[ $i -lt 200 ] || fail "$name: the daemon did not answer"
			sleep 0.05
			i=$((i + 1))
		done
		kill -0 "$PID" 2>/dev/null && break
		wait "$PID" 2>/dev/null || true
		PID=""
		tries=$((tries + 1))
		if ! grep -q "cannot listen" "$D/daemon.log" ||
		    [ $tries -ge 5 ]; then
			fail "$name: the daemon died"
		fi
	done
	rc=0
	"$LOADGEN" check -s "http://127.0.0.1:$port" -d "$D/work" \
	    --db "$D/idtsd.db" --up-at "$(ms)" >"$D/out" 2>"$D/err" || rc=$?
	kill -KILL "$PID"
	wait "$PID" 2>/dev/null || true
	PID=""
	if [ -z "$expect" ]; then
		[ $rc -eq 0 ] || { cat "$D/err" >&2; fail "$name: should pass"; }
		echo "ok   $name: passes"
	else
		[ $rc -ne 0 ] || fail "$name: not detected"
		grep -Eq "$expect" "$D/err" || {
			cat "$D/err" >&2
			fail "$name: detected, but not as /$expect/"
		}
		echo "ok   $name: detected ($(grep -E "$expect" "$D/err" |
		    head -1 | cut -c1-100))"
	fi
	passed=$((passed + 1))
	rm -rf "$D"
	D=""
}

ACK_ALERT=$(field ack A 9)
ACK_NOTE=$(field ack A 10)
PN=$(field arrival A 9)
DOSE=$(field administer A 9)
REFUSED_ALERT=$(field ack R 9)
REFUSED_NOTE=$(field ack R 10)
OBS_PAT=$(field observation A 9)
OBS_AT=$(field observation A 10)
for v in ACK_ALERT PN DOSE OBS_PAT; do
	[ -n "${!v}" ] || fail "the short run wrote no $v to break"
done

case_ "the store as the kill -9 test left it" "" ""
case_ "an acknowledged acknowledgement lost" "LOST: acknowledged ack" \
    "UPDATE alerts SET acked_at = NULL, acked_by = NULL, ack_note = NULL
     WHERE id = '$ACK_ALERT'"
case_ "an acknowledged observation lost" "LOST: acknowledged observation" \
    "PRAGMA foreign_keys = OFF;
     UPDATE observation_dues SET observation_id = NULL WHERE observation_id
     IN (SELECT id FROM observations WHERE patient_id = '$OBS_PAT' AND
     taken_at = $OBS_AT);
     DELETE FROM observations WHERE patient_id = '$OBS_PAT' AND
     taken_at = $OBS_AT"
case_ "an arrival stored twice" "DUPLICATED: arrival" \
    "INSERT INTO patients (id, prison_number, given_name, family_name,
     date_of_birth, arrived_at, location, stimulant_user, status,
     created_by, created_at)
     SELECT lower(hex(randomblob(16))), prison_number, given_name,
     family_name, date_of_birth, arrived_at, location, stimulant_user,
     'released', created_by, created_at FROM patients
     WHERE prison_number = '$PN'"
case_ "a sign-off without its register entry" \
    "given dose without its register entry|administration in the register" \
    "DROP TRIGGER register_no_delete;
     PRAGMA foreign_keys = OFF;
     DELETE FROM register_entries WHERE dose_id = '$DOSE'"
case_ "a register entry without its sign-off" \
    "administration in the register|LOST: acknowledged administer" \
    "UPDATE doses SET state = 'due', recorded_at = NULL, recorded_by = NULL,
     witnessed_by = NULL, register_entry_id = NULL, note = NULL
     WHERE id = '$DOSE'"
# has QUERY WHAT: whether the kept store has material for a case.
has() {
	[ "$(sqlite3 "$SRC/idtsd.db" "$1")" != 0 ] && return 0
	echo "skip: the short run left no $2"
	return 1
}

has "SELECT count(*) FROM alerts WHERE kind = 'dose_missed'" \
    "missed dose" &&
case_ "a missed dose alerted twice" "dose_missed|raised twice" \
    "INSERT INTO alerts (id, kind, severity, audience, patient_id,
     subject_id, raised_at, message) SELECT lower(hex(randomblob(16))),
     kind, severity, audience, patient_id, subject_id, raised_at, message
     FROM alerts WHERE kind = 'dose_missed' LIMIT 1"
has "SELECT count(*) FROM doses WHERE state IN ('scheduled', 'due')" \
    "open dose" &&
case_ "a missed dose never alerted" "missed dose without one dose_missed" \
    "UPDATE doses SET state = 'missed' WHERE id = (SELECT id FROM doses
     WHERE state IN ('scheduled', 'due') ORDER BY window_end LIMIT 1)"
has "SELECT count(*) FROM alerts WHERE kind = 'escalation'" \
    "escalation" &&
case_ "an escalation fired twice" "escalat|raised twice" \
    "INSERT INTO alerts (id, kind, severity, audience, patient_id,
     subject_id, raised_at, message) SELECT lower(hex(randomblob(16))),
     kind, severity, audience, patient_id, subject_id, raised_at, message
     FROM alerts WHERE kind = 'escalation' LIMIT 1"
# The set-up's grants each alert the managers twice (asked, approved):
# a third is one too many.
has "SELECT count(*) FROM alerts WHERE kind = 'staff_change'" \
    "staff change" &&
case_ "a staff change alerted twice" "staff change alerted twice" \
    "INSERT INTO alerts (id, kind, severity, audience, patient_id,
     subject_id, raised_at, message) SELECT lower(hex(randomblob(16))),
     kind, severity, audience, patient_id, subject_id, raised_at, message
     FROM alerts WHERE kind = 'staff_change' LIMIT 1"
if [ -n "$REFUSED_ALERT" ]; then
	case_ "a refused acknowledgement stored" "refused ack" \
	    "UPDATE alerts SET ack_note = '$REFUSED_NOTE'
	     WHERE id = '$REFUSED_ALERT'"
fi
case_ "the audit chain altered" "audit/verify" \
    "DROP TRIGGER audit_no_update;
     UPDATE audit SET detail = '{}' WHERE seq = 5"
echo "checker self-test: $passed cases passed"
rm -rf "$SRC"
