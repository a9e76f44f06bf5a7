#!/bin/bash
# I/O faults (issue 8).  tests/faults/io_faults.sh BUILD
#
# The daemon built with tests/faults/faultinject.c (BUILD/faults/
# idtsd-faults) fails the Nth write, sync or truncate SQLite makes, once,
# with SQLITE_IOERR (_WRITE, _FSYNC, _TRUNCATE) or SQLITE_FULL.  A ward is
# set up once through the API (staff, two products with stock, three
# patients, a prescription with a dose due, an open alert) and kept as a
# baseline database.  The sequence
#
#   a sign-in, an arrival (a stimulant user in community treatment), a
#   dose signed off with a witness, an observation, a register receipt
#   with a witness, an alert acknowledged, a court movement booked, a
#   prescription written; then two reads (the audit walk and a patient),
#   while a ward terminal follows the alert stream from its start
#
# runs once with nothing failed, to learn what each step answers, the
# database's fingerprint after it (per table its rows and how many of
# each column's values are set, and the rows in each state: what the
# database holds, random ids and instants aside) and how many writes,
# syncs and truncates it makes.  Then for every N from 1 to each total
# (shutdown's checkpoint included) a fresh daemon on a fresh copy of the
# baseline, its clock pinned to the same instant, runs the sequence with
# the Nth call failed (each write once, SQLITE_IOERR_WRITE and SQLITE_FULL
# in turn; each sync and truncate with both), and:
#
#   - the request the fault hit is answered 503 with a JSON error
#     (store_unavailable) and stored nothing (the fingerprint is the one
#     from before that request);
#   - a GET still answers 200 (/v1/health, and the audit walk, which
#     verifies);
#   - the same request sent again (same Idempotency-Key) answers as
#     without faults: the fault has cleared;
#   - every other request answers as without faults, and every answer is
#     JSON;
#   - the terminal has had every alert event in the store, each with the
#     members it has without faults (a fault may close its stream; it
#     reconnects with Last-Event-ID);
#   - at the end the database is the one without faults (fingerprint),
#     passes PRAGMA integrity_check and foreign_key_check, and the daemon
#     stops on SIGTERM with status 0 and no sanitizer report (under ASan
#     a leak fails it);
#   - a fault in shutdown's checkpoint leaves a database that opens whole
#     with everything in it;
#   - N one past the total fires nothing (the totals are right).
#
# alloc_faults.sh runs this script with FAULT_MODE=alloc: the Nth
# allocation fails instead (see there for what differs).
#
#   JOBS=2                        runs side by side (each its own daemon)
#   KINDS="write sync truncate"   which I/O calls to fail
#   ERRORS="ioerr full"           with which errors
#   ALL_ERRORS=1                  every write with every error
#   VERBOSE=1                     a line for every fault point
#   KEEP_GOING=1                  go on past a failure, list them at the end
#   PLANS="io:write:7:full ..."   only these (to repeat a failure)
#   KEEP=1                        keep the directory
set -eu

BUILD=${1:?usage: io_faults.sh BUILD}
MODE=${FAULT_MODE:-io}
JOBS=${JOBS:-2}
KINDS=${KINDS:-write sync truncate}
ERRORS=${ERRORS:-ioerr full}
VERBOSE=${VERBOSE:-0}
SEED=${SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
DAEMON="$BUILD/faults/idtsd-faults"
. "$(dirname "$0")/../port.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/idtsd-${MODE}faults.XXXXXX")
BASE="$T/base.db"
PID=""
FPID=""
WPIDS=""
FAILED=""
PLAN=""

cleanup() {
	local w
	[ -z "$FPID" ] || follow_stop
	for w in $WPIDS; do
		kill -TERM "$w" 2>/dev/null || true
		wait "$w" 2>/dev/null || true
	done
	if [ -n "$PID" ]; then
		kill -KILL "$PID" 2>/dev/null || true
		wait "$PID" 2>/dev/null || true
	fi
	if [ "${KEEP:-0}" = 1 ] || [ -n "$FAILED" ]; then
		echo "kept: $T" >&2
	else
		rm -rf "$T"
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() {
	FAILED=1
	[ -z "$FPID" ] || follow_stop
	if [ -n "$PID" ]; then
		kill -KILL "$PID" 2>/dev/null || true
		wait "$PID" 2>/dev/null || true
		PID=""
	fi
	echo "FAIL: ${PLAN:+[$PLAN] }$*" >&2
	if [ -f "$DLOG" ]; then
		echo "--- daemon log (tail)" >&2
		tail -30 "$DLOG" >&2
	fi
	if [ -f "$FLOG" ]; then
		echo "--- fault log (tail)" >&2
		tail -30 "$FLOG" >&2
	fi
	exit 1
}

ms() { date +%s%3N; }

# use_dir DIR: the daemon's files in DIR, and its config.
use_dir() {
	WD=$1
	mkdir -p "$WD/run"
	DB="$WD/run/idtsd.db"
	FLOG="$WD/fault.log"
	DLOG="$WD/daemon.log"
	CONF="$WD/idtsd.conf"
	pick_port
}

# pick_port: a port for the next daemon, in its config and in URL.  Each
# start picks its own, in the shell that will talk to that daemon: a
# plan runs in a subshell, and a port picked there and kept in the
# config would leave its parent calling another.
pick_port() {
	PORT=$(port_pick)
	URL="http://127.0.0.1:$PORT/v1"
	cat >"$CONF" <<EOF
database = "$DB";
listen = { address = "127.0.0.1"; port = $PORT; };
backup = { interval = 0; };
log_level = "warning";
sessions = { idle_minutes = 1440; };
streams = { heartbeat_seconds = 300; };
EOF
}

# start [PLAN]: start the daemon with a fault plan (count: none) and wait
# until it is ready.  Returns 1 if it exited instead (a fault in
# start-up), with its status in START_RC.
start() {
	local i tries=0
	while :; do
		pick_port
		: >"$FLOG"
		: >"$DLOG"
		IDTS_FAULT=${1:-count} IDTS_FAULT_LOG="$FLOG" "$DAEMON" -f \
		    -c "$CONF" --test-clock >>"$DLOG" 2>&1 &
		PID=$!
		i=0
		while ! grep -q '^ready' "$FLOG"; do
			if ! kill -0 "$PID" 2>/dev/null; then
				START_RC=0
				wait "$PID" || START_RC=$?
				PID=""
				if grep -q "cannot listen" "$DLOG" &&
				    [ $tries -lt 5 ]; then
					tries=$((tries + 1))
					continue 2
				fi
				return 1
			fi
			[ $i -lt 2000 ] || fail "the daemon was not ready in 20 s"
			sleep 0.01
			i=$((i + 1))
		done
		return 0
	done
}

# stop: SIGTERM; the daemon must exit within 20 s.  Sets STOP_RC (under
# ASan, a leak makes it 23).
stop() {
	local i=0
	kill -TERM "$PID"
	while kill -0 "$PID" 2>/dev/null; do
		[ $i -lt 2000 ] || fail "the daemon did not stop in 20 s"
		sleep 0.01
		i=$((i + 1))
	done
	STOP_RC=0
	wait "$PID" || STOP_RC=$?
	PID=""
}

# Whether the daemon is there and listening, for a failure's message.
daemon_state() {
	if [ -z "$PID" ] || ! kill -0 "$PID" 2>/dev/null; then
		echo "the daemon has exited"
	elif ! command -v ss >/dev/null; then
		echo "the daemon runs"
	elif ss -Hltn "sport = :$PORT" 2>/dev/null | grep -q .; then
		echo "the daemon runs, port $PORT listening"
	else
		echo "the daemon runs, nothing listening on port $PORT"
	fi
}

# A sanitizer report in the daemon's log fails the run whatever else.
no_sanitizer_report() {
	if grep -qE "Sanitizer|runtime error:" "$DLOG"; then
		fail "sanitizer report: $(grep -m1 -E \
		    'Sanitizer|runtime error:' "$DLOG")"
	fi
}

# call METHOD PATH [BODY [KEY]]: sets STATUS (000: no answer), CURL_RC
# and BODY (the answer, "" if none).  TOKEN, if set, signs the call.
TOKEN=""
call() {
	local args=(-s -m 20 -o "$WD/answer" -w '%{http_code}' -X "$1")
	[ -n "$TOKEN" ] && args+=(-H "Authorization: Bearer $TOKEN")
	[ -n "${4:-}" ] && args+=(-H "Idempotency-Key: $4")
	[ -n "${3:-}" ] && args+=(-H 'Content-Type: application/json' \
	    -d "$3")
	: >"$WD/answer"
	CURL_RC=0
	STATUS=$(curl "${args[@]}" "$URL$2" 2>/dev/null) || CURL_RC=$?
	[ -n "$STATUS" ] || STATUS=000
	BODY=$(cat "$WD/answer")
	# Every answer is checked to be JSON, in one go at the end of a run
	# (jq is too slow to start for each).
	[ -z "$BODY" ] || printf '%s\n' "$BODY" >>"$WD/answers"
}

# all_json: whether every answer since the last time was JSON.
all_json() {
	[ ! -s "$WD/answers" ] || jq -e -s 'all(type == "object" or
	    type == "array")' "$WD/answers" >/dev/null 2>&1 || return 1
	: >"$WD/answers"
}

# must STATUS METHOD PATH [BODY]: a set-up call that must succeed.
must() {
	local want=$1
	shift
	call "$1" "$2" "${3:-}" "$(cat /proc/sys/kernel/random/uuid)"
	[ "$STATUS" = "$want" ] ||
	    fail "set-up: $1 $2: expected $want, got $STATUS: $BODY"
}

# The answer's shape, error code and message, and sign-in token, without
# starting jq (all_json checks the answers properly).
is_json() { [[ $BODY == \{*\} ]]; }
json_str() {
	if [[ $BODY =~ \"$1\":\"([^\"]*)\" ]]; then
		echo "${BASH_REMATCH[1]}"
	fi
}
error_code() { json_str code; }
error_message() { json_str message; }

# shape: every member's path in the JSON on stdin (array indices as 0)
# and how many times it occurs, to tell an answer that lacks a member or
# an element from one that does not.
shape() {
	jq -c '[paths | map(if type == "number" then 0 else . end)] |
	    group_by(.) | map([.[0], length])'
}

audit_ok() { [[ $BODY == *'"ok":true'* ]]; }

sql() { sqlite3 -readonly "$DB" "$@"; }

# --- a ward terminal following the alert stream ---------------------------------
#
# Through the whole sequence a terminal follows /v1/alerts/stream as
# idts-ward does: from event 0, so the set-up's events are replayed, and
# after a dropped connection again with Last-Event-ID, the last id it had
# whole.  Each connection's output goes to a file of its own (stream.N);
# an event counts only once the blank line that ends it has come, as for
# any SSE client.  At the end every event in the store must have come,
# with the members it has without faults: a fault may close the stream,
# never lose or shorten an event.  (STREAM_TOKEN: the set-up's session.)

# stream_events: "ID<TAB>DATA" for every whole event received.
stream_events() {
	local f
	for f in "$WD"/stream.*; do
		[ -e "$f" ] || continue
		awk '/^id: / { id = substr($0, 5) }
		    /^data: / { data = substr($0, 7) }
		    /^$/ { if (data != "") print id "\t" data; id = ""; data = "" }' "$f"
	done
}

# stream_last_id: the last id the terminal had whole (an event's, or the
# position a stream announces when it opens), "" if none.
stream_last_id() {
	local f
	for f in "$WD"/stream.*; do
		[ -e "$f" ] && echo "$f"
	done | sort -t. -k2 -n | while read -r f; do
		awk '/^id: / { id = substr($0, 5) }
		    /^$/ { if (id != "") last = id; id = "" }
		    END { if (last != "") print last }' "$f"
	done | tail -1
}

follow() {
	local n=0 last cpid=""
	trap '[ -z "$cpid" ] || kill "$cpid" 2>/dev/null; exit 0' TERM
	while :; do
		n=$((n + 1))
		last=$(stream_last_id)
		curl -sN -m 120 -H "Authorization: Bearer $STREAM_TOKEN" \
		    -H "Last-Event-ID: ${last:-0}" "$URL/alerts/stream" \
		    >"$WD/stream.$n" 2>/dev/null &
		cpid=$!
		wait "$cpid" || true
		cpid=""
		sleep 0.2
	done
}

# follow_start: the terminal, once it has had the events so far.
follow_start() {
	local i=0 want
	rm -f "$WD"/stream.*
	want=$(sql "SELECT count(*) FROM alert_events")
	follow &
	FPID=$!
	until [ "$(stream_events | wc -l)" -ge "$want" ]; do
		[ $i -lt 2000 ] || fail "the terminal did not get the $want \
events of the set-up in 20 s"
		sleep 0.01
		i=$((i + 1))
	done
}

follow_stop() {
	if [ -n "$FPID" ]; then
		kill -TERM "$FPID" 2>/dev/null || true
		wait "$FPID" 2>/dev/null || true
		FPID=""
	fi
}

# stream_shapes: "ID SHAPE" per event received (once each), in id order,
# SHAPE as shape() gives it.
stream_shapes() {
	stream_events | awk -F '\t' '{ print "{\"id\":" $1 ",\"data\":" $2 "}" }' |
	    jq -rs 'unique_by(.id) | .[] | "\(.id) \(.data |
	    [paths | map(if type == "number" then 0 else . end)] |
	    group_by(.) | map([.[0], length]) | tojson)"' 2>&1
}

# follow_wait: until every event in the store has come.
follow_wait() {
	local i=0 want
	want=$(sql "SELECT count(*) FROM alert_events")
	until [ "$(stream_events | cut -f1 | sort -u | wc -l)" -ge "$want" ]; do
		[ $i -lt 2000 ] || fail "the terminal has $(stream_events |
		    cut -f1 | sort -u | wc -l) of the $want alert events after \
20 s (ids $(stream_events | cut -f1 | sort -un | tr '\n' ' '))"
		sleep 0.01
		i=$((i + 1))
	done
}

# follow_check: they must be those of the run without faults.
follow_check() {
	local got
	follow_wait
	got=$(stream_shapes)
	[ "$got" = "$REF_STREAM" ] || fail "the terminal's events are not \
those without faults: $(diff <(echo "$REF_STREAM") <(echo "$got") |
	    grep '^[<>]' | cut -c1-160 | head -4 | tr '\n' ' ')"
}

# --- the set-up, once -------------------------------------------------------

# Monday 1 February 2027 (local time is UTC).  The set-up runs from 07:20;
# every run of the sequence starts at PIN, when nothing falls due for
# minutes: the dose is in its window (07:00-10:00), the observations are
# next due at 08:2x and 11:2x, the alerts escalate at 07:35.
PIN_ISO=2027-02-01T07:22:00.000Z
PIN=$(($(date -ud "${PIN_ISO%.000Z}" +%s) * 1000))

use_dir "$T/main"
echo "$MODE fault test: daemon $DAEMON, work in $T, $JOBS jobs"
began=$(date +%s)
[ -x "$DAEMON" ] || fail "$DAEMON is not built"
echo 424242 | IDTS_FAULT=count "$DAEMON" -c "$CONF" --init-admin boss \
    >>"$WD/init.log" 2>&1 || fail "--init-admin: $(cat "$WD/init.log")"
# The second admin, who approves the set-up's grants: an admin is made at
# once only at the console (issue 16).
echo 975317 | IDTS_FAULT=count "$DAEMON" -c "$CONF" --init-admin approver \
    >>"$WD/init.log" 2>&1 || fail "--init-admin: $(cat "$WD/init.log")"
start || fail "the daemon did not start: $(cat "$DLOG")"
# Without an Idempotency-Key: its record would be kept at the real time,
# months before the test clock's, and pruned at the next start.
# The test clock needs an admin: boss signs in at the real time, sets it,
# and signs in again at the test's.
must 201 POST /sessions '{"username":"boss","pin":"424242"}'
TOKEN=$(json_str token)
call POST /test/clock '{"now":"2027-02-01T07:20:00Z"}'
[ "$STATUS" = 200 ] || fail "cannot set the test clock: $STATUS $BODY"
must 201 POST /sessions '{"username":"boss","pin":"424242"}'
TOKEN=$(json_str token)
must 201 POST /staff '{"username":"load0","display_name":"Sam Sequence",
    "roles":["nurse","reception","pharmacist","manager","prescriber"],
    "pin":"246800"}'
GRANTS=$(jq -r .pending_change.id <<<"$BODY")
must 201 POST /staff '{"username":"wit","display_name":"Wendy Witness",
    "roles":["competent"],"pin":"135791"}'
GRANTS="$GRANTS $(jq -r .pending_change.id <<<"$BODY")"
# A clinical role's grant waits for a second admin (issue 16).
must 201 POST /sessions '{"username":"approver","pin":"975317"}'
TOKEN=$(json_str token)
for g in $GRANTS; do
	must 200 POST "/staff/changes/$g/approve"
done
must 201 POST /sessions '{"username":"load0","pin":"246800"}'
TOKEN=$(json_str token)
must 201 POST /products '{"name":"Methadone","form":"oral solution",
    "strength":"1 mg/ml","unit":"ml"}'
M=$(jq -r .id <<<"$BODY")
must 201 POST /products '{"name":"Buprenorphine","form":"sublingual tablet",
    "strength":"2 mg","unit":"tablet"}'
BUP=$(jq -r .id <<<"$BODY")
WITNESS='{"username":"wit","pin":"135791"}'
must 201 POST "/register/$M/receipts" "{\"quantity\":1000,\"supplier\":
    \"Set-up\",\"reference\":\"SETUP-1\",\"witness\":$WITNESS}"
must 201 POST "/register/$BUP/receipts" "{\"quantity\":100,\"supplier\":
    \"Set-up\",\"reference\":\"SETUP-2\",\"witness\":$WITNESS}"
patient() {
	must 201 POST /patients "{\"prison_number\":\"$1\",\"given_name\":
	    \"Set\",\"family_name\":\"Up\",\"date_of_birth\":\"1985-06-15\",
	    \"arrived_at\":\"$2\",\"location\":\"Wing F, cell 1\",
	    \"stimulant_user\":$3,\"community_treatment\":null}"
	jq -r .id <<<"$BODY"
}
P1=$(patient F0001AA 2027-02-01T06:00:00Z false)
S1=$(patient F0002AA 2027-02-01T06:30:00Z true)
S2=$(patient F0003AA 2027-02-01T06:40:00Z true)
must 201 POST /prescriptions "{\"patient_id\":\"$P1\",\"product_id\":\"$M\",
    \"regimen\":\"maintenance\",\"dose\":30,\"times\":[\"08:00\"],
    \"start_date\":\"2027-02-01\"}"
must 200 GET /health
NOW=$(jq -r .now <<<"$BODY")
# S1 observed (score 0: next due in 4 h), S2 observed with a medium
# score (urgent alerts to the ward and the managers, next due in an hour).
must 201 POST /observations "{\"patient_id\":\"$S1\",\"taken_at\":\"$NOW\",
    \"respiratory_rate\":16,\"spo2\":97,\"spo2_scale\":1,\"on_oxygen\":false,
    \"systolic_bp\":120,\"pulse\":70,\"consciousness\":\"A\",
    \"temperature\":36.8}"
must 201 POST /observations "{\"patient_id\":\"$S2\",\"taken_at\":\"$NOW\",
    \"respiratory_rate\":22,\"spo2\":95,\"spo2_scale\":1,\"on_oxygen\":false,
    \"systolic_bp\":118,\"pulse\":112,\"consciousness\":\"A\",
    \"temperature\":37.9}"
# The scheduler opens the dose's window.
i=0
while [ "$(sql "SELECT count(*) FROM doses WHERE patient_id = '$P1' AND
    state = 'due'")" != 1 ]; do
	[ $i -lt 500 ] || fail "set-up: the dose did not come due"
	sleep 0.02
	i=$((i + 1))
done
D=$(sql "SELECT id FROM doses WHERE patient_id = '$P1' AND state = 'due'")
# Its cautions (issue 15: a first dose in custody), each confirmed as the
# nurse does having read it.
must 200 GET "/doses/$D"
CAUTIONS=$(jq -c '[.cautions[].code]' <<<"$BODY")
A=$(sql "SELECT id FROM alerts WHERE kind = 'news2_high' AND audience =
    'ward' LIMIT 1")
[ -n "$A" ] || fail "set-up: no alert to acknowledge"
must 200 GET /health
[ "$(jq -r .now <<<"$BODY")" \< "$PIN_ISO" ] ||
    fail "set-up took past $PIN_ISO: raise PIN_ISO"
STREAM_TOKEN=$TOKEN
TOKEN=""
stop
[ "$STOP_RC" = 0 ] || fail "the set-up daemon exited $STOP_RC"
no_sanitizer_report
[ ! -e "$DB-wal" ] || fail "set-up: the daemon left its WAL behind"
cp "$DB" "$BASE"

# The fingerprint: per table, its rows and how many of each column's
# values are set, and per state column the rows in each state.
FP_SQL=""
for t in $(sqlite3 -readonly "$BASE" "SELECT name FROM sqlite_schema
    WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"); do
	cols=$(sqlite3 -readonly "$BASE" "SELECT group_concat('count(\"' ||
	    name || '\")', ' || '' '' || ') FROM pragma_table_info('$t')")
	FP_SQL="$FP_SQL SELECT '$t ' || count(*) || ' ' || $cols FROM \"$t\";"
	if [ "$(sqlite3 -readonly "$BASE" "SELECT count(*) FROM
	    pragma_table_info('$t') WHERE name = 'state'")" = 1 ]; then
		FP_SQL="$FP_SQL SELECT '$t.state ' || group_concat(s, ' ')
		    FROM (SELECT coalesce(state, '-') || '=' || count(*) AS s
		    FROM \"$t\" GROUP BY state ORDER BY state);"
	fi
done
fingerprint() { sqlite3 -readonly "$DB" "$FP_SQL"; }

# A fresh copy of the baseline, its test clock set so that the daemon
# starts at PIN.
fresh_db() {
	rm -f "$DB" "$DB-wal" "$DB-shm"
	cp "$BASE" "$DB"
	sqlite3 "$DB" "UPDATE meta SET value = $((PIN - $(ms))) WHERE name =
	    'test_clock_offset_ms'" || fail "cannot pin the clock"
}

# --- the sequence -------------------------------------------------------------

STEPS=(signin arrival administer observation receipt ack movement
    prescription audit patient)
NSTEPS=${#STEPS[@]}

# step_request K: METHOD, SPATH, SBODY and KEY (a fixed Idempotency-Key)
# of step K.
step_request() {
	KEY=$(printf 'f0000000-0000-4000-8000-%012d' "$1")
	SBODY=""
	METHOD=POST
	case ${STEPS[$1]} in
	signin)
		SPATH=/sessions
		SBODY='{"username":"load0","pin":"246800"}'
		KEY="" ;;
	arrival)
		SPATH=/patients
		SBODY='{"prison_number":"F0100AA","given_name":"Ari",
		    "family_name":"Val","date_of_birth":"1990-02-03",
		    "arrived_at":"2027-02-01T07:00:00Z","location":
		    "Reception","stimulant_user":true,"community_treatment":
		    {"drug":"methadone","dose":40,"unit":"ml","prescriber":
		    "Dr Community","last_dose_at":"2027-01-31T09:00:00Z"}}' ;;
	administer)
		SPATH="/doses/$D/administer"
		SBODY="{\"witness\":$WITNESS,\"note\":\"fault sequence\",
		    \"confirm_cautions\":$CAUTIONS}" ;;
	observation)
		SPATH=/observations
		SBODY="{\"patient_id\":\"$S1\",\"taken_at\":\"$PIN_ISO\",
		    \"respiratory_rate\":18,\"spo2\":96,\"spo2_scale\":1,
		    \"on_oxygen\":false,\"systolic_bp\":125,\"pulse\":80,
		    \"consciousness\":\"A\",\"temperature\":37.1}" ;;
	receipt)
		SPATH="/register/$M/receipts"
		SBODY="{\"quantity\":500,\"supplier\":\"Fault Pharmacy\",
		    \"reference\":\"FAULT-1\",\"witness\":$WITNESS}" ;;
	ack)
		SPATH="/alerts/$A/ack"
		SBODY='{"note":"seen in the fault sequence"}' ;;
	movement)
		SPATH=/movements
		SBODY="{\"patient_id\":\"$P1\",\"kind\":\"court\",
		    \"departs_at\":\"2027-02-02T09:00:00Z\",\"destination\":
		    \"Crown Court\"}" ;;
	prescription)
		SPATH=/prescriptions
		SBODY="{\"patient_id\":\"$S1\",\"product_id\":\"$BUP\",
		    \"regimen\":\"maintenance\",\"dose\":2,\"times\":[\"20:00\"],
		    \"start_date\":\"2027-02-01\",\"end_date\":\"2027-02-08\"}" ;;
	audit)
		METHOD=GET
		SPATH=/audit/verify
		KEY="" ;;
	patient)
		METHOD=GET
		SPATH="/patients/$S1"
		KEY="" ;;
	esac
}

# The session boss opened at the real time to set the clock has expired
# by PIN, and a start there deletes it (and audits that: housekeeping).
# Done once here, so that the baseline is what a start at PIN leaves and
# a start from it (with or without faults) may change nothing.
fresh_db
start count || fail "the baseline's start did not start: $(cat "$DLOG")"
stop
[ "$STOP_RC" = 0 ] || fail "the baseline's start exited $STOP_RC"
no_sanitizer_report
[ "$(sql "SELECT count(*) FROM sessions WHERE expires_at <= $PIN")" = 0 ] ||
    fail "the baseline keeps a session expired at PIN"
cp "$DB" "$BASE"

# The run without faults: what each step answers (its status and the
# members of its answer), the fingerprint after it, and the counts.
fresh_db
: >"$WD/answers"
FP_BEFORE=$(fingerprint)
start count || fail "the counting run did not start"
follow_start
REF_FP[0]=$(fingerprint)
[ "${REF_FP[0]}" = "$FP_BEFORE" ] ||
    fail "start-up changed the database: $(diff <(echo "$FP_BEFORE") \
    <(echo "${REF_FP[0]}"))"
for ((k = 0; k < NSTEPS; k++)); do
	step_request $k
	call "$METHOD" "$SPATH" "$SBODY" "$KEY"
	case $STATUS in
	2??) ;;
	*) fail "without faults, ${STEPS[$k]} answered $STATUS: $BODY" ;;
	esac
	REF_STATUS[k]=$STATUS
	REF_SHAPE[k]=$(shape <<<"$BODY")
	[ "${STEPS[$k]}" = signin ] && TOKEN=$(json_str token)
	[ "${STEPS[$k]}" = audit ] && ! audit_ok &&
	    fail "the audit chain does not verify: $BODY"
	REF_FP[k + 1]=$(fingerprint)
done
all_json || fail "without faults, an answer was not JSON"
follow_wait
REF_STREAM=$(stream_shapes)
[ "$(wc -l <<<"$REF_STREAM")" = "$(sql "SELECT count(*) FROM
    alert_events")" ] || fail "without faults, the terminal's events: \
$REF_STREAM"
follow_stop
TOKEN=""
stop
[ "$STOP_RC" = 0 ] || fail "the counting run exited $STOP_RC"
no_sanitizer_report
[ "$(fingerprint)" = "${REF_FP[NSTEPS]}" ] ||
    fail "shutdown changed the database"

# counters LINE: the "write=.. sync=.. truncate=.. alloc=.." of a fault
# log line as "W S T A".
counters() {
	sed -E 's/.*write=([0-9]+) sync=([0-9]+) truncate=([0-9]+) alloc=([0-9]+).*/\1 \2 \3 \4/' <<<"$1"
}
read -r R_W R_S R_T R_A <<<"$(counters "$(grep '^ready' "$FLOG")")"
read -r X_W X_S X_T X_A <<<"$(counters "$(grep '^exit' "$FLOG")")"
# The sequence's requests, not the terminal's.  A request with PIN work
# (a sign-in, a witness) leaves the router for the PIN pool and is run
# again from the start when the pool answers (daemon/http/http.c): a
# dispatch of the same method and path as the one before it is that run
# again (the sequence never sends one path twice in a row), its begin
# left out and its end the request's.
# requests begin|end: each request's first begin or last end.
requests() {
	awk -v want="$1" '$1 == "begin" && $4 == "/v1/alerts/stream" {
	    terminal[$2] = 1; next }
	$1 == "begin" { if ($3 " " $4 == last) next
	    last = $3 " " $4; if (want == "begin") print; n++ }
	$1 == "end" && !($2 in terminal) { end[n] = $0 }
	END { if (want == "end") for (i = 1; i <= n; i++) print end[i] }' \
	    "$FLOG"
}
mapfile -t BEGINS < <(requests begin)
mapfile -t ENDS < <(requests end)
[ ${#BEGINS[@]} = "$NSTEPS" ] ||
    fail "the counting run logged ${#BEGINS[@]} requests, not $NSTEPS"
echo
echo "the sequence without faults: what each step adds (I/O counted from the"
echo "start, allocations from READY; a step's allocations run to the next"
echo "one's, its answer being sent after the router is done with it;"
echo "terminal: the alert stream opened, the set-up's events replayed)"
printf '  %-13s %-7s %6s %5s %8s %7s\n' step status writes syncs truncates \
    allocs
printf '  %-13s %-7s %6s %5s %8s %7s\n' start-up - "$R_W" "$R_S" "$R_T" \
    "($R_A)"
read -r w s tr a <<<"$(counters "${BEGINS[0]}")"
printf '  %-13s %-7s %6s %5s %8s %7s\n' terminal - $((w - R_W)) $((s - R_S)) \
    $((tr - R_T)) "$a"
pw=$w ps=$s pt=$tr pa=$a
for ((k = 0; k < NSTEPS; k++)); do
	read -r w s tr _ <<<"$(counters "${ENDS[k]}")"
	if [ $((k + 1)) -lt "$NSTEPS" ]; then
		read -r _ _ _ a <<<"$(counters "${BEGINS[k + 1]}")"
	else
		read -r _ _ _ a <<<"$(counters "${ENDS[k]}")"
	fi
	printf '  %-13s %-7s %6s %5s %8s %7s\n' "${STEPS[$k]}" \
	    "${REF_STATUS[k]}" $((w - pw)) $((s - ps)) $((tr - pt)) $((a - pa))
	pw=$w ps=$s pt=$tr pa=$a
done
printf '  %-13s %-7s %6s %5s %8s %7s\n' shutdown - $((X_W - pw)) \
    $((X_S - ps)) $((X_T - pt)) $((X_A - pa))
printf '  %-13s %-7s %6s %5s %8s %7s\n' total - "$X_W" "$X_S" "$X_T" "$X_A"
echo

# --- one run with a fault -------------------------------------------------------

fired() { grep -q '^fired' "$FLOG"; }
fired_where() { grep -m1 '^fired' "$FLOG" | sed 's/^fired //'; }

# expect_fp K FP: whether FP is the fingerprint after K steps without
# faults; after a sign-in stored whose answer was lost and then sent
# again, the sessions and the audit hold one more each.
expect_fp() {
	if [ "${EXTRA_SESSION:-0}" = 1 ]; then
		[ "$(grep -vE '^(sessions|audit) ' <<<"${REF_FP[$1]}")" = \
		    "$(grep -vE '^(sessions|audit) ' <<<"$2")" ]
	else
		[ "$2" = "${REF_FP[$1]}" ]
	fi
}

fp_diff() { diff <(echo "$1") <(echo "$2") | grep '^[<>]' | tr '\n' ' '; }

# after_fault K: the fault hit step K, which answered STATUS/BODY.
# Checks the answer and the store, that reads go on, and that the
# request sent again succeeds.  Sets OUTCOME (up to ";": what is tallied).
after_fault() {
	local k=$1 name=${STEPS[$1]} fp committed=0 saved shape_now
	MESSAGE=""
	fp=$(fingerprint)
	if [ "$fp" = "${REF_FP[k + 1]}" ] && [ "$fp" != "${REF_FP[k]}" ]; then
		committed=1
	elif [ "$fp" != "${REF_FP[k]}" ]; then
		fail "$name answered $STATUS and left the store neither as \
before it nor as after it: $(fp_diff "${REF_FP[k]}" "$fp")"
	fi
	case $STATUS in
	2??)
		# The fault was absorbed (SQLite tried again, or it hit
		# something the request can do without): the request must be
		# whole, and so must its answer.
		[ "$STATUS" = "${REF_STATUS[k]}" ] ||
		    fail "$name answered $STATUS, not ${REF_STATUS[k]}"
		[ $committed = 1 ] || [ "$METHOD" = GET ] ||
		    fail "$name answered $STATUS but stored nothing"
		OUTCOME="$STATUS, whole (absorbed)"
		# And the answer whole: jansson leaves out an optional
		# member ("s*") whose string it cannot allocate, so an
		# answer built while memory ran out can look whole and lack
		# one (daemon/json_alloc.c).
		shape_now=$(shape <<<"$BODY" 2>&1)
		[ "$shape_now" = "${REF_SHAPE[k]}" ] || fail "$name answered \
$STATUS without all of $(jq -rn --argjson a "${REF_SHAPE[k]}" \
--argjson b "$shape_now" '$a - $b | map(.[0] | map(tostring) |
join(".")) | join(", ")' 2>/dev/null || echo "the members it has without \
faults")"
		[ "$name" = signin ] && TOKEN=$(json_str token)
		return 0 ;;
	000)
		[ "$MODE" = alloc ] ||
		    fail "$name got no answer (curl exit $CURL_RC)"
		[ "$CURL_RC" != 28 ] ||
		    fail "$name: no answer in 20 s (the connection hung)"
		OUTCOME="connection closed without an answer" ;;
	*)
		jq -e 'type == "object"' <<<"$BODY" >/dev/null 2>&1 ||
		    fail "$name answered $STATUS without a JSON body: '$BODY'"
		[ -n "$(error_code)" ] ||
		    fail "$name answered $STATUS without an error code: $BODY"
		if [ "$MODE" = io ]; then
			[ "$STATUS" = 503 ] && [ "$(error_code)" = \
			    store_unavailable ] || fail "$name answered \
$STATUS, not 503 store_unavailable: $BODY"
		else
			case $STATUS in
			4??|5??) ;;
			*) fail "$name answered $STATUS: $BODY" ;;
			esac
		fi
		OUTCOME="$STATUS $(error_code)"
		MESSAGE=$(error_message | cut -c1-90) ;;
	esac
	if [ $committed = 1 ]; then
		# Stored, but the answer was lost: only an answer that says
		# so, or none, may do that.
		case "$STATUS $(error_message)" in
		000*|"500 the change was committed"*) ;;
		"500 the daemon ran out of memory sending the answer"*) ;;
		*) fail "$name answered $STATUS ($(error_code)) but was \
stored: $BODY" ;;
		esac
		OUTCOME="$OUTCOME, stored"
	else
		OUTCOME="$OUTCOME, nothing stored"
	fi

	# Reads go on.
	saved=$TOKEN
	TOKEN=""
	call GET /health
	[ "$STATUS" = 200 ] && is_json ||
	    fail "after the fault in $name, GET /health answered $STATUS"
	TOKEN=$saved
	if [ -n "$TOKEN" ]; then
		call GET /audit/verify
		[ "$STATUS" = 200 ] && audit_ok || fail "after the fault in \
$name, GET /audit/verify answered $STATUS: $BODY"
	fi

	# The same request again: the fault has cleared.
	step_request "$k"
	call "$METHOD" "$SPATH" "$SBODY" "$KEY"
	[ "$STATUS" = "${REF_STATUS[k]}" ] || fail "$name sent again after \
the fault answered $STATUS, not ${REF_STATUS[k]}: $BODY"
	is_json || fail "$name sent again answered without JSON"
	[ "$name" = signin ] && TOKEN=$(json_str token)
	# A sign-in has no Idempotency-Key: one stored whose answer was
	# lost leaves a second session when sent again.
	[ $committed = 1 ] && [ "$name" = signin ] && EXTRA_SESSION=1
	fp=$(fingerprint)
	expect_fp $((k + 1)) "$fp" || fail "$name sent again: the store is \
not as after it without faults: $(fp_diff "${REF_FP[k + 1]}" "$fp")"
	OUTCOME="$OUTCOME; reads 200; sent again $STATUS${MESSAGE:+; \"$MESSAGE\"}"
}

# run_plan PLAN: one run of the sequence with the fault plan; appends
# "PLAN<tab>STAGE<tab>OUTCOME<tab>WHERE" to the worker's outcomes.
run_plan() {
	local k name fp stage=""
	PLAN=$1
	OUTCOME=""
	EXTRA_SESSION=0
	TOKEN=""
	: >"$WD/answers"
	fresh_db
	if ! start "$PLAN"; then
		# A fault in start-up: a clean exit with a message.
		fired || fail "the daemon exited $START_RC at start-up with \
no fault fired: $(tail -3 "$DLOG")"
		no_sanitizer_report
		[ "$START_RC" != 0 ] || fail "start-up failed, yet exited 0"
		[ "$START_RC" -lt 128 ] ||
		    fail "start-up died of signal $((START_RC - 128))"
		[ -s "$DLOG" ] || fail "start-up failed without a message"
		[ "$(fingerprint)" = "${REF_FP[0]}" ] ||
		    fail "a failed start-up changed the database"
		[ "$(sql 'PRAGMA integrity_check')" = ok ] ||
		    fail "integrity_check after a failed start-up"
		OUTCOME="exit $START_RC with a message; \"$(grep -v '^ *$' \
		    "$DLOG" | tail -1 | cut -c1-100)\""
		record start-up
		return 0
	fi
	fired && stage=start-up
	follow_start
	[ -n "$stage" ] || ! fired || stage=stream
	for ((k = 0; k < NSTEPS; k++)); do
		name=${STEPS[$k]}
		step_request $k
		call "$METHOD" "$SPATH" "$SBODY" "$KEY"
		if [ -z "$stage" ] && fired; then
			stage=$name
			after_fault $k
			continue
		fi
		[ "$STATUS" = "${REF_STATUS[k]}" ] || fail "$name answered \
$STATUS (not ${REF_STATUS[k]}; curl exit $CURL_RC; $(daemon_state))\
${stage:+ after the fault in $stage}: $BODY"
		is_json || fail "$name answered without JSON"
		[ "$name" = signin ] && TOKEN=$(json_str token)
		[ "$name" != audit ] || audit_ok ||
		    fail "the audit chain does not verify: $BODY"
	done
	all_json || fail "an answer was not JSON: $(grep -v '^[{[]' \
	    "$WD/answers" | head -3)"
	fp=$(fingerprint)
	expect_fp "$NSTEPS" "$fp" || fail "after the sequence the store is \
not as without faults: $(fp_diff "${REF_FP[NSTEPS]}" "$fp")"
	[ "$(sql 'PRAGMA integrity_check')" = ok ] || fail "integrity_check"
	[ -z "$(sql 'PRAGMA foreign_key_check')" ] || fail "foreign_key_check"
	follow_check
	follow_stop
	TOKEN=""
	stop
	no_sanitizer_report
	[ "$STOP_RC" = 0 ] || fail "the daemon exited $STOP_RC on SIGTERM \
(a leak under ASan exits 23)"
	if [ -z "$stage" ]; then
		if fired; then
			# In shutdown (its checkpoint, for I/O): the database
			# must open whole, with everything.
			stage=shutdown
			fp=$(fingerprint)
			expect_fp "$NSTEPS" "$fp" || fail "a fault in \
shutdown lost data: $(fp_diff "${REF_FP[NSTEPS]}" "$fp")"
			[ "$(sqlite3 "$DB" 'PRAGMA integrity_check')" = ok ] ||
			    fail "integrity_check after a fault in shutdown"
			OUTCOME="exit 0, the database opens whole"
		else
			stage="never fired"
			OUTCOME="the sequence as without faults"
		fi
	elif [ "$stage" = start-up ]; then
		OUTCOME="absorbed, the sequence as without faults"
	elif [ "$stage" = stream ]; then
		OUTCOME="the terminal had every event, the sequence as without \
faults"
	fi
	record "$stage"
}

record() {
	local tally=${OUTCOME%%;*}
	# The terminal was cut off at the event it could not be sent.
	grep -q "alert stream: cannot send the next event" "$DLOG" &&
	    OUTCOME="$tally (the terminal cut and resumed)${OUTCOME#"$tally"}"
	printf '%s\t%s\t%s\t%s\n' "$PLAN" "$1" "$OUTCOME" \
	    "$(fired_where | cut -c1-110)" >>"$WD/outcomes"
}

# worker J: run the plans in plans.J in a directory of its own.
worker() {
	PID=""
	WPIDS=""
	trap '[ -z "$PID" ] || { kill -KILL "$PID"; wait "$PID"; } 2>/dev/null
	    true' EXIT
	trap 'exit 1' INT TERM
	use_dir "$T/w$1"
	: >"$WD/outcomes"
	while read -r p; do
		# Each in a subshell, so that KEEP_GOING=1 can go on past a
		# failure (to see them all) and report them at the end.
		( run_plan "$p" ) && continue
		printf '%s\tFAILED\tsee the log\t\n' "$p" >>"$WD/outcomes"
		[ "${KEEP_GOING:-0}" = 1 ] || exit 1
	done <"$T/plans.$1"
}

# run_plans FILE: every plan in FILE (or those in PLANS, to repeat some),
# JOBS at a time; then the outcomes, in FILE's order, in $T/outcomes.
run_plans() {
	local j w rc=0 n
	if [ -n "${PLANS:-}" ]; then
		# Those of this file's kind.
		j=$(head -1 "$1" | sed -E 's/:[0-9]+(:[a-z]+)?$//')
		tr ' ' '\n' <<<"$PLANS" | grep -E "^$j:[0-9]+(:[a-z]+)?$" \
		    >"$1" || true
		[ -s "$1" ] || { : >"$T/outcomes"; return 0; }
	fi
	n=$(wc -l <"$1")
	for ((j = 0; j < JOBS; j++)); do
		awk -v j=$j -v n="$JOBS" 'NR % n == j' "$1" >"$T/plans.$j"
	done
	WPIDS=""
	for ((j = 0; j < JOBS; j++)); do
		worker $j &
		WPIDS="$WPIDS $!"
	done
	for w in $WPIDS; do
		wait "$w" || rc=1
	done
	WPIDS=""
	[ $rc = 0 ] || { FAILED=1; PLAN=""; echo "FAIL: see above" >&2;
	    exit 1; }
	cat "$T"/w*/outcomes >"$T/outcomes.all"
	awk -F '\t' 'NR == FNR { o[$1] = $0; next } { print o[$1] }' \
	    "$T/outcomes.all" "$1" >"$T/outcomes"
	[ "$(grep -c . "$T/outcomes")" = "$n" ] ||
	    fail "only $(grep -c . "$T/outcomes") of $n plans reported"
	if grep -q "	FAILED	" "$T/outcomes"; then
		FAILED=1
		PLAN=""
		summary "FAILED (KEEP_GOING=1)"
		fail "$(grep -c "	FAILED	" "$T/outcomes") plans failed: \
$(grep "	FAILED	" "$T/outcomes" | cut -f1 | tr '\n' ' ')"
	fi
}

# summary TITLE: the outcomes of the last run_plans, by where the fault
# fired and what followed.
summary() {
	echo "$1: $(grep -c . "$T/outcomes") fault points"
	awk -F '\t' '{ o = $3; sub(/;.*/, "", o); print $2 ": " o }' \
	    "$T/outcomes" | sort | uniq -c | sed 's/^/  /'
	if [ "$VERBOSE" = 1 ]; then
		awk -F '\t' '{ printf "    %-24s %-12s %s\n", $1, $2, $3;
		    if ($4 != "") printf "    %24s %s\n", "", $4 }' \
		    "$T/outcomes"
	fi
}

# --- every fault point ------------------------------------------------------------

if [ "$MODE" = io ]; then
	# Every write once, SQLITE_IOERR_WRITE and SQLITE_FULL in turn (the
	# two writes of a WAL frame, its header and its page, go one each
	# way); every sync and truncate with each error.  ALL_ERRORS=1 fails
	# every write with each error too (twice the time).
	read -r -a errs <<<"$ERRORS"
	: >"$T/injected"
	for kind in $KINDS; do
		case $kind in
		write) total=$X_W ;;
		sync) total=$X_S ;;
		truncate) total=$X_T ;;
		*) fail "KINDS: $kind is not write, sync or truncate" ;;
		esac
		for ((n = 1; n <= total + 1; n++)); do
			if [ "$kind" = write ] && [ "${ALL_ERRORS:-0}" != 1 ]; then
				echo "io:$kind:$n:${errs[(n - 1) % ${#errs[@]}]}"
			else
				for err in "${errs[@]}"; do
					echo "io:$kind:$n:$err"
				done
			fi
		done >"$T/plans"
		# N one past the total, which must fire nothing: apart.
		grep -v "^io:$kind:$((total + 1)):" "$T/plans" >>"$T/injected"
		run_plans "$T/plans"
		summary "$kind failed, N = 1 to $total (and $((total + 1)))"
		[ -n "${PLANS:-}" ] || [ "$(cut -f2 "$T/outcomes" |
		    grep -c 'never fired')" = "$(grep -c \
		    ":$((total + 1)):" "$T/plans")" ] ||
		    fail "io:$kind: N past the total fired, or one before it did not"
		echo
	done
	echo "== I/O fault test passed: $(grep -c . "$T/injected") fault points injected"
	sed -E 's/^io:([a-z]+):[0-9]+:([a-z]+)$/\1 \2/' "$T/injected" |
	    sort | uniq -c | awk '{ printf "  %-9s with %-6s %5d\n", $2, $3, $1 }'
	echo "runtime: $(($(date +%s) - began)) s ($JOBS jobs)"
	exit 0
fi

# --- allocation faults (FAULT_MODE=alloc: alloc_faults.sh) ------------------------

# Allocations after READY: every one up to ALLOC_ALL, then every Sth (S
# chosen to keep to about ALLOC_RUNS runs; where in the stride begins
# depends on SEED, so runs with other seeds cover other allocations);
# ALLOC_STRIDE=1 fails every one.  Start-up's likewise, about
# STARTUP_RUNS of them.
ALLOC_ALL=${ALLOC_ALL:-100}
ALLOC_RUNS=${ALLOC_RUNS:-500}
STARTUP_RUNS=${STARTUP_RUNS:-60}
stride_for() {	# TOTAL FIRST RUNS: the stride to fail about RUNS of them
	local left=$(($1 - $2))
	[ $left -gt 0 ] && [ "$3" -gt 0 ] || { echo 1; return; }
	echo $(((left + $3 - 1) / $3))
}
S=${ALLOC_STRIDE:-$(stride_for "$X_A" "$ALLOC_ALL" "$ALLOC_RUNS")}
[ "$S" -ge 1 ] || S=1
S0=${STARTUP_STRIDE:-$(stride_for "$R_A" 0 "$STARTUP_RUNS")}
[ "$S0" -ge 1 ] || S0=1
{
	for ((n = 1; n <= X_A; n++)); do
		if [ "$n" -le "$ALLOC_ALL" ] ||
		    [ $(((n - ALLOC_ALL + SEED) % S)) = 0 ]; then
			echo "alloc:$n"
		fi
	done
	echo "alloc:$((X_A + 1))"
} >"$T/plans"
run_plans "$T/plans"
after=$(grep -vc "^alloc:$((X_A + 1))$" "$T/plans" || true)
summary "allocations after READY failed: $after of $X_A (every one to \
$ALLOC_ALL, then every ${S}th, SEED=$SEED), and $((X_A + 1))"
[ -n "${PLANS:-}" ] ||
    [ "$(cut -f2 "$T/outcomes" | grep -c 'never fired')" = 1 ] ||
    fail "alloc: not exactly one N fired nothing"
echo
for ((n = 1; n <= R_A; n++)); do
	if [ $(((n + SEED) % S0)) = 0 ]; then
		echo "alloc-startup:$n"
	fi
done >"$T/plans"
run_plans "$T/plans"
startup=$(grep -c . "$T/plans" || true)
summary "start-up's allocations failed: $startup of $R_A (every ${S0}th)"
echo
echo "== allocation fault test passed: $((after + startup)) fault points \
injected"
echo "  after READY: $after of $X_A allocations (every one to $ALLOC_ALL, then every ${S}th)"
echo "  in start-up: $startup of $R_A (every ${S0}th)"
echo "  SEED=$SEED"
echo "runtime: $(($(date +%s) - began)) s ($JOBS jobs)"
