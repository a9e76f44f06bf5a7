#!/bin/sh
# Online backups of a large database, and how long the daemon stops
# answering meanwhile (issue 21).
#
#	tests/bench/backup.sh BUILD
#
# A database of BENCH_BACKUP_MB (100) MB (idempotency records: the bulk
# does not matter to the copy, only the pages), a daemon of our own with
# backup.interval 1 and the test clock, and GET /v1/health asked in a loop
# by curl throughout:
# 1. on demand: POST /v1/backups, made in the request: how long it takes,
#    beside sqlite3's own ".backup" of the same file (the anchor), and the
#    slowest health answer meanwhile (the loop held);
# 2. scheduled: the clock moved past the interval, the backup made by a
#    child process: how long until it is recorded, and the slowest health
#    answer meanwhile, beside the slowest while idle.
# Figures, not thresholds.  Files go under $BENCH_TMPDIR (/var/tmp).
set -eu

[ $# -eq 1 ] || { echo "usage: $0 BUILD" >&2; exit 2; }
BUILD=$(cd "$1" && pwd)
IDTSD="$BUILD/idtsd"
MB=${BENCH_BACKUP_MB:-100}
. "$(dirname "$0")/../port.sh"
T=$(mktemp -d "${BENCH_TMPDIR:-/var/tmp}/idtsd-backup.XXXXXX")
DAEMON_PID=""
PROBE_PID=""
cleanup() {
	for pid in $PROBE_PID $DAEMON_PID; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
fail() {
	echo "backup: $*" >&2
	tail -5 "$T/daemon.log" >&2 2>/dev/null || true
	exit 1
}
secs() {
	date +%s.%N
}
# since T0: seconds from T0 (secs) to now.
since() {
	awk -v t0="$1" -v now="$(secs)" 'BEGIN { print now - t0 }'
}

PORT=$(port_pick)
cat > "$T/idtsd.conf" <<CONF
database = "$T/idtsd.db";
listen = { address = "127.0.0.1"; port = $PORT; };
backup = { directory = "$T/backups"; interval = 1; keep = 2; };
CONF
echo 424242 | "$IDTSD" -c "$T/idtsd.conf" --init-admin admin \
    >>"$T/daemon.log" 2>&1 || fail "--init-admin"
rows=$((MB * 1024 * 1024 / 880))
sqlite3 "$T/idtsd.db" "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL
    SELECT i + 1 FROM c WHERE i < $rows) INSERT INTO idempotency
    SELECT printf('%036d', i), hex(randomblob(32)), 201,
    hex(randomblob(300)), CAST(strftime('%s') AS INTEGER) * 1000 FROM c;
    VACUUM;"
size=$(stat -c %s "$T/idtsd.db")

t0=$(secs)
sqlite3 "$T/idtsd.db" ".backup '$T/anchor.db'"
anchor=$(since "$t0")
rm -f "$T/anchor.db"

"$IDTSD" -f -c "$T/idtsd.conf" --test-clock >>"$T/daemon.log" 2>&1 &
DAEMON_PID=$!
BASE="http://127.0.0.1:$PORT/v1"
i=0
until curl -s -m 1 -o /dev/null "$BASE/health"; do
	[ $i -lt 100 ] || fail "the daemon did not start"
	sleep 0.1
	i=$((i + 1))
done
TOKEN=$(curl -s -X POST -H 'Content-Type: application/json' \
    -d '{"username":"admin","pin":"424242"}' "$BASE/sessions" | jq -r .token)

# probe FILE: GET /v1/health over and over, each answer's time a line.
probe() {
	while :; do
		curl -s -m 30 -o /dev/null -w '%{time_total}\n' "$BASE/health"
	done > "$1"
}
slowest() {
	sort -g "$1" | tail -1
}
backups() {
	curl -s -H "Authorization: Bearer $TOKEN" "$BASE/backups" |
	    jq '.backups | length'
}

probe "$T/idle" & PROBE_PID=$!
sleep 2
kill $PROBE_PID; wait $PROBE_PID 2>/dev/null || true

probe "$T/demand" & PROBE_PID=$!
sleep 0.5
t0=$(secs)
status=$(curl -s -o "$T/out" -w '%{http_code}' -X POST \
    -H "Authorization: Bearer $TOKEN" "$BASE/backups")
demand=$(since "$t0")
sleep 0.5
kill $PROBE_PID; wait $PROBE_PID 2>/dev/null || true
[ "$status" = 201 ] || fail "POST /v1/backups: $status $(cat "$T/out")"

probe "$T/scheduled" & PROBE_PID=$!
sleep 0.5
t0=$(secs)
curl -s -o /dev/null -X POST -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' -d '{"advance_seconds":120}' \
    "$BASE/test/clock"
until [ "$(backups)" = 2 ]; do
	sleep 0.05
done
scheduled=$(since "$t0")
sleep 0.5
kill $PROBE_PID; wait $PROBE_PID 2>/dev/null || true

awk -v mb="$size" -v a="$anchor" -v d="$demand" \
    -v s="$scheduled" -v idle="$(slowest "$T/idle")" \
    -v held="$(slowest "$T/demand")" -v during="$(slowest "$T/scheduled")" \
    'BEGIN {
	printf "backup of a %d MB database\n", mb / 1048576
	printf "  on demand (copy, check, fsync, in the request): %.2f s, " \
	    "%.1fx sqlite3 .backup (%.2f s); the loop held %.3f s (slowest " \
	    "health answer)\n", d, d / a, a, held
	printf "  scheduled (a child process): %.2f s to recorded; slowest " \
	    "health answer meanwhile %.3f s, %.1fx idle (%.3f s)\n", s,
	    during, during / idle, idle
	printf "RESULT backup %.3f %.3f %.3f %.3f %.3f\n", d, a, held, during,
	    idle
}'
