# Shared by the scripts run.sh runs after its own figures (deadlines.sh,
# fanout.sh, signoff.sh, register.sh, round.sh): a fresh directory under
# $BENCH_TMPDIR (default /var/tmp), a daemon of our own on a free loopback
# port, and a trap that stops only that daemon (by the PID we started) and
# removes the directory.  Source it after setting BUILD and NAME; it sets
# T, IDTSD, BIN, the SQL for seeded ids and defines the functions below.
set -eu

IDTSD="$BUILD/idtsd"
BIN="$BUILD/bench"
ADMIN_PIN=424242
[ -x "$IDTSD" ] || { echo "$NAME: no $IDTSD; build it first" >&2; exit 1; }
for tool in cc pkg-config curl jq sqlite3; do
	command -v "$tool" >/dev/null ||
	    { echo "$NAME: $tool is needed" >&2; exit 1; }
done
mkdir -p "$BIN"
CFLAGS_BENCH="-std=c11 -O2 -Wall -Wextra -Werror"

# Ids the seeds make from a counter i: fixed-width lower-case hex, so they
# sort as numbers; prison numbers A0000AB, A0001AB, ...
PATIENT_ID="printf('00000000-0000-4000-8000-%012x', i)"
PRISON_NUMBER="char(65 + i / 10000 % 26) || printf('%04d', i % 10000) || char(65 + i / 260000 % 26) || 'B'"

. "$(dirname "$0")/../port.sh"
T=$(mktemp -d "${BENCH_TMPDIR:-/var/tmp}/idtsd-$NAME.XXXXXX")
DAEMON_PID=""
PORT=""
EXTRA_CONFIG=""
bench_cleanup() {
	if [ -n "$DAEMON_PID" ]; then
		kill "$DAEMON_PID" 2>/dev/null || true
		wait "$DAEMON_PID" 2>/dev/null || true
	fi
	[ -n "${BENCH_KEEP:-}" ] || rm -rf "$T"
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

fail() {
	echo "$NAME: $*" >&2
	if [ -s "$T/daemon.log" ]; then
		echo "--- daemon log (tail)" >&2
		tail -20 "$T/daemon.log" >&2
	fi
	exit 1
}

now_ms() {
	date +%s%3N
}

# A port outside the ephemeral range (tests/port.sh).
pick_port() {
	PORT=$(port_pick)
}

# write_config DBFILE: the config, with $EXTRA_CONFIG (libconfig lines).
write_config() {
	[ -n "$PORT" ] || pick_port
	{
		echo "database = \"$1\";"
		echo "listen = { address = \"127.0.0.1\"; port = $PORT; };"
		# Backups on demand only, in the run's directory: a scheduled
		# one would be load of its own in the figures.
		echo "backup = { directory = \"$T/backups\"; interval = 0; };"
		printf '%s\n' "$EXTRA_CONFIG"
	} > "$T/idtsd.conf"
}

# init_db DBFILE: create the schema and the admins, as a new install
# does: admin, and bench.approver (PIN $APPROVER_PIN), the second who
# approves grants (issue 16: an admin is made at once only at the console).
APPROVER_PIN=97531
init_db() {
	write_config "$1"
	echo "$ADMIN_PIN" | "$IDTSD" -c "$T/idtsd.conf" --init-admin admin \
	    >>"$T/daemon.log" 2>&1 || fail "--init-admin failed"
	echo "$APPROVER_PIN" | "$IDTSD" -c "$T/idtsd.conf" \
	    --init-admin bench.approver >>"$T/daemon.log" 2>&1 ||
	    fail "--init-admin bench.approver failed"
}

# start_daemon DBFILE [idtsd options]: start it in the foreground and
# wait for GET /v1/health; on a port someone else has, try another.
start_daemon() {
	db=$1
	shift
	tries=0
	while :; do
		write_config "$db"
		"$IDTSD" -f -c "$T/idtsd.conf" "$@" >>"$T/daemon.log" 2>&1 &
		DAEMON_PID=$!
		i=0
		while [ $i -lt 300 ]; do
			if curl -s -m 1 -o /dev/null \
			    "http://127.0.0.1:$PORT/v1/health"; then
				BASE="http://127.0.0.1:$PORT/v1"
				return 0
			fi
			kill -0 "$DAEMON_PID" 2>/dev/null || break
			sleep 0.1
			i=$((i + 1))
		done
		kill "$DAEMON_PID" 2>/dev/null || true
		wait "$DAEMON_PID" 2>/dev/null || true
		DAEMON_PID=""
		tries=$((tries + 1))
		if grep -q "cannot listen" "$T/daemon.log" && [ $tries -lt 5 ]
		then
			PORT=""
			continue
		fi
		fail "the daemon did not start"
	done
}

# stop_daemon: SIGTERM, and it must exit 0.
stop_daemon() {
	kill -TERM "$DAEMON_PID"
	if ! wait "$DAEMON_PID"; then
		DAEMON_PID=""
		fail "the daemon did not exit 0 on SIGTERM"
	fi
	DAEMON_PID=""
}

# call METHOD PATH EXPECTED [JSON] [TOKEN]: the answer's body; fails
# unless the status is EXPECTED.
call() {
	set -- "$1" "$2" "$3" "${4:-}" "${5:+Authorization: Bearer ${5:-}}"
	if [ -n "$4" ]; then
		status=$(curl -s -m 60 -o "$T/out" -w '%{http_code}' -X "$1" \
		    -H 'Content-Type: application/json' -H "$5" \
		    --data-binary "$4" "$BASE$2") || status="curl failed"
	else
		status=$(curl -s -m 60 -o "$T/out" -w '%{http_code}' -X "$1" \
		    -H "$5" "$BASE$2") || status="curl failed"
	fi
	[ "$status" = "$3" ] ||
	    fail "$1 $2: HTTP $status (expected $3): $(head -c 400 "$T/out")"
	cat "$T/out"
}

# sign_in USER PIN: a bearer token.
sign_in() {
	call POST /sessions 201 "{\"username\":\"$1\",\"pin\":\"$2\"}" |
	    jq -r .token
}

# cpu_seconds PID: user + system CPU time the process has used so far.
cpu_seconds() {
	awk -v hz="$(getconf CLK_TCK)" '{
		sub(/^.*\) /, "")	# past "pid (comm) "
		printf "%.2f\n", ($12 + $13) / hz
	}' "/proc/$1/stat"
}

# q SQL...: run SQL on the database read-only (the daemon may be running).
q() {
	sqlite3 -readonly -cmd '.timeout 10000' "$DB" "$@"
}
