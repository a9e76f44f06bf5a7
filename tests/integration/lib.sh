# Shared by the integration tests: start a real idtsd on a temporary
# directory and a free loopback port, talk to it with curl and idtsctl,
# and check answers.  Source it; it cleans up on exit.
set -eu

BUILD=${IDTS_BUILD:-$(pwd)/build}
IDTSD="$BUILD/idtsd"
IDTSCTL="$BUILD/idtsctl"
T=$(mktemp -d "${TMPDIR:-/tmp}/idtsd-test.XXXXXX")
PORT=""
DAEMON_PID=""
SCHEME=http		# a test of TLS sets https
checks=0

cleanup() {
	if [ -n "$DAEMON_PID" ]; then
		kill "$DAEMON_PID" 2>/dev/null || true
		wait "$DAEMON_PID" 2>/dev/null || true
	fi
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

fail() {
	echo "FAIL: $*" >&2
	if [ -f "$T/daemon.log" ]; then
		echo "--- daemon log (tail)" >&2
		tail -20 "$T/daemon.log" >&2
	fi
	exit 1
}

# Write the test config; extra libconfig lines may be given as arguments.
write_config() {
	{
		echo "database = \"$T/idtsd.db\";"
		echo "listen = { address = \"127.0.0.1\"; port = $PORT; };"
		# Backups on demand only, in the test's directory, unless
		# the test configures them (a scheduled one would add its
		# audit entries to every test that moves the clock on).
		case "$*" in
		*backup*) ;;
		*) echo "backup = { directory = \"$T/backups\";" \
		    "interval = 0; };" ;;
		esac
		for line in "$@"; do echo "$line"; done
	} > "$T/idtsd.conf"
}

# Pick a port outside the ephemeral range that nobody listens on
# (start_daemon tries another if it is taken all the same).
. "$(dirname "$0")/../port.sh"
pick_port() {
	PORT=$(port_pick)
}

# Start the daemon with the given extra options (e.g. --test-clock) and
# wait until it answers.  Config lines go in EXTRA_CONFIG (newline-separated).
start_daemon() {
	tries=0
	while :; do
		[ -n "$PORT" ] || pick_port
		if [ -n "${EXTRA_CONFIG:-}" ]; then
			old_ifs=$IFS
			IFS='
'
			# shellcheck disable=SC2086
			write_config $EXTRA_CONFIG
			IFS=$old_ifs
		else
			write_config
		fi
		"$IDTSD" -f -d -c "$T/idtsd.conf" "$@" >>"$T/daemon.log" 2>&1 &
		DAEMON_PID=$!
		i=0
		while [ $i -lt 100 ]; do
			if curl -s -k -m 1 -o /dev/null \
			    "$SCHEME://127.0.0.1:$PORT/v1/health"; then
				return 0
			fi
			if ! kill -0 "$DAEMON_PID" 2>/dev/null; then
				break
			fi
			sleep 0.1
			i=$((i + 1))
		done
		wait "$DAEMON_PID" 2>/dev/null || true
		DAEMON_PID=""
		tries=$((tries + 1))
		if grep -q "cannot listen" "$T/daemon.log" && [ $tries -lt 5 ]; then
			PORT=""
			continue
		fi
		fail "the daemon did not start"
	done
}

# Stop the daemon with SIGTERM and check it exits 0.
stop_daemon() {
	kill -TERM "$DAEMON_PID"
	if ! wait "$DAEMON_PID"; then
		DAEMON_PID=""
		fail "the daemon did not exit 0 on SIGTERM"
	fi
	DAEMON_PID=""
}

# Kill the daemon hard, as a power cut would.  Under make coverage it
# writes its counts first, then dies by SIGKILL all the same
# (tests/gcov_dump.c).
kill_daemon() {
	if [ -n "${IDTS_COVERAGE:-}" ]; then
		kill -USR2 "$DAEMON_PID"
	else
		kill -KILL "$DAEMON_PID"
	fi
	wait "$DAEMON_PID" 2>/dev/null || true
	DAEMON_PID=""
}

BASE() { echo "$SCHEME://127.0.0.1:$PORT/v1"; }

# init_admin USER PIN: create the first admin (PIN from stdin) before the
# daemon starts, and after it the tests' second admin, lib.approver (PIN
# 97531), who approves the changes of access that wait for a second
# person (approve_change): an admin is made at once only at the server's
# console (issue 16).
LIB_APPROVER=""
init_admin() {
	[ -f "$T/idtsd.conf" ] || { pick_port; write_config; }
	echo "$2" | "$IDTSD" -c "$T/idtsd.conf" --init-admin "$1" \
	    >>"$T/daemon.log" 2>&1 || fail "--init-admin $1"
	[ -z "$LIB_APPROVER" ] || return 0
	LIB_APPROVER=1
	echo 97531 | "$IDTSD" -c "$T/idtsd.conf" --init-admin lib.approver \
	    >>"$T/daemon.log" 2>&1 || fail "--init-admin lib.approver"
}

# api METHOD PATH [BODY] [extra curl args...]: sets STATUS and BODY_OUT.
# Uses $TOKEN when set, and sends $TERMINAL as X-Terminal when set.
api() {
	method=$1
	path=$2
	shift 2
	data=""
	if [ $# -gt 0 ]; then
		data=$1
		shift
	fi
	rm -f "$T/out"
	set -- -s -m 10 -o "$T/out" -w '%{http_code}' -X "$method" "$@"
	if [ -n "${TOKEN:-}" ]; then
		set -- "$@" -H "Authorization: Bearer $TOKEN"
	fi
	if [ -n "${TERMINAL:-}" ]; then
		set -- "$@" -H "X-Terminal: $TERMINAL"
	fi
	if [ -n "$data" ]; then
		set -- "$@" -H 'Content-Type: application/json' --data-binary "$data"
	fi
	STATUS=$(curl "$@" "$(BASE)$path") || STATUS="curl-failed"
	BODY_OUT=$(cat "$T/out" 2>/dev/null || true)
}

# expect_status CODE [ERROR_CODE]: check the last api call.
expect_status() {
	checks=$((checks + 1))
	[ "$STATUS" = "$1" ] || fail "expected HTTP $1, got $STATUS: $BODY_OUT"
	if [ $# -gt 1 ]; then
		got=$(printf '%s' "$BODY_OUT" | jq -r '.error.code // empty')
		[ "$got" = "$2" ] || fail "expected error $2, got '$got': $BODY_OUT"
	fi
}

# jqout FILTER: apply jq to the last answer.
jqout() {
	printf '%s' "$BODY_OUT" | jq -r "$1"
}

# with_cautions DOSE BODY: the administer BODY with every caution the dose
# has now confirmed, and a note if it has any, as a nurse sends it having
# read each (read as $TOKEN): for the tests whose subject is not the
# cautions (t_cautions.sh's is).  BODY as it was if the dose cannot be
# read.
with_cautions() {
	api GET "/doses/$1"
	printf '%s' "$BODY_OUT" | jq -c --argjson b "$2" '(.cautions // []) |
	    map(.code) | if length > 0 then $b + {confirm_cautions: .,
	    note: ($b.note // "cautions considered")} else $b end' \
	    2>/dev/null || printf '%s' "$2"
}

# event_ids FILE: the ids of the events in a captured alert stream (an id
# line with no event, where the stream starts, is not an event).
event_ids() {
	awk '/^id: /{id=$2} /^event: /{print id}' "$1"
}

# sign_in USER PIN: sets TOKEN.
sign_in() {
	TOKEN=""
	api POST /sessions "{\"username\":\"$1\",\"pin\":\"$2\"}"
	expect_status 201
	TOKEN=$(jqout .token)
}

# approve_change CHANGE: approve a waiting change of access (issue 16) as
# the tests' second admin, lib.approver (made by init_admin at the
# console); $TOKEN is kept.
approve_change() {
	lib_token=${TOKEN:-}
	sign_in lib.approver 97531
	api POST "/staff/changes/$1/approve"
	expect_status 200
	TOKEN=$lib_token
}

# add_staff USER NAME ROLES_JSON PIN: a new member of staff made as
# $TOKEN's admin, with a guarded role's grant (clinical, manager, admin)
# approved by the second admin: STATUS 201 and BODY_OUT the account as it
# then stands.
add_staff() {
	api POST /staff "$(jq -cn --arg u "$1" --arg n "$2" --argjson r "$3" \
	    --arg p "$4" '{username: $u, display_name: $n, roles: $r, pin: $p}')"
	expect_status 201
	lib_change=$(jqout '.pending_change.id // empty')
	[ -n "$lib_change" ] || return 0
	approve_change "$lib_change"
	BODY_OUT=$(printf '%s' "$BODY_OUT" | jq -c .account)
	STATUS=201
}

# set_clock BODY: POST /v1/test/clock as an admin, since the test clock
# needs one: $CLOCK_USER with $CLOCK_PIN (boss, 424242 unless set) signs
# in when there is no session for it yet or the last one has expired or
# gone.  $TOKEN is kept; STATUS and BODY_OUT are the clock's answer.
set_clock() {
	clock_saved=${TOKEN:-}
	TOKEN=${CLOCK_TOKEN:-}
	STATUS=401
	[ -z "$TOKEN" ] || api POST /test/clock "$1"
	if [ "$STATUS" = 401 ]; then
		TOKEN=""
		api POST /sessions "{\"username\":\"${CLOCK_USER:-boss}\",\"pin\":\"${CLOCK_PIN:-424242}\"}"
		[ "$STATUS" = 201 ] ||
		    fail "set_clock: cannot sign in as ${CLOCK_USER:-boss}: $BODY_OUT"
		CLOCK_TOKEN=$(jqout .token)
		TOKEN=$CLOCK_TOKEN
		api POST /test/clock "$1"
	fi
	TOKEN=$clock_saved
}

# start_demo_at INSTANT: the DEMO ward (--seed-demo) laid out from a
# stored test clock at INSTANT (UTC, as date -d reads it).  The demo is
# laid out from the daemon's clock, so the clock is set first, on a
# database with nobody in it: POST /v1/test/clock needs an admin, and
# there is none yet, so the offset is written as the daemon would store
# it.
start_demo_at() {
	start_daemon --test-clock
	stop_daemon
	demo_now_ms=$(($(date +%s) * 1000))
	demo_then_ms=$(($(date -d "$1" +%s) * 1000))
	sql "INSERT INTO meta (name, value) VALUES ('test_clock_offset_ms',
	    $((demo_then_ms - demo_now_ms))) ON CONFLICT (name) DO UPDATE
	    SET value = excluded.value"
	start_daemon --test-clock --seed-demo
}

# sql QUERY: read the database directly (never while a test expects
# the daemon to be the only writer).
sql() {
	sqlite3 "$T/idtsd.db" "$1"
}

# db_fingerprint: a digest of every table's rows, to show nothing changed
# (but sessions, and the wrong PINs and unknown usernames counted at each
# terminal or address, which a refusal keeps on purpose, and the time of
# the last clean stop, which each stop writes and each start clears).
db_fingerprint() {
	sqlite3 "$T/idtsd.db" .dump | \
	    grep -Ev '^INSERT INTO "?(sessions|pin_places|pin_failures)"? ' | \
	    grep -Ev "^INSERT INTO \"?meta\"? VALUES\\('clean_stop_at'," | \
	    sha256sum | cut -d' ' -f1
}

# table_fingerprint TABLE...: a digest of those tables' rows only, for a
# refusal that changes another table on purpose (a wrong PIN counts
# towards the lockout in staff and audit).
table_fingerprint() {
	for t in "$@"; do
		sqlite3 "$T/idtsd.db" ".dump $t"
	done | sha256sum | cut -d' ' -f1
}

# The end of a test: the daemon must also stop cleanly (under
# AddressSanitizer a leak makes its exit status non-zero).
pass() {
	if [ -n "$DAEMON_PID" ]; then
		stop_daemon
	fi
	echo "passed $checks checks"
}
