#!/bin/sh
# Durable writes per second: how many patient registrations idtsd commits
# per second through its API, with 1 and with 16 keep-alive clients, next
# to how many single-row commits raw SQLite manages on the same disk with
# the same pragmas (WAL, synchronous=FULL).  Each API write is a whole
# transaction (session, patient, audit entry) made durable before the 201.
#
#	tests/bench/run.sh BUILD	(make bench runs it on ./build)
#
# BUILD holds a built idtsd; the load generators are compiled into
# BUILD/bench/.  The daemon's database and the raw SQLite file go in one
# fresh directory under $BENCH_TMPDIR (default /var/tmp, the disk /var/lib
# lives on in most installs; /tmp is often tmpfs, which would measure
# nothing).  Sizes: BENCH_N1 (requests, 1 client, default 2000),
# BENCH_N16 (16 clients, 8000), BENCH_NRAW (raw rows, 2000).
set -eu

[ $# -eq 1 ] || { echo "usage: $0 BUILD" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "$1" && pwd)
IDTSD="$BUILD/idtsd"
BIN="$BUILD/bench"
N1=${BENCH_N1:-2000}
N16=${BENCH_N16:-8000}
NRAW=${BENCH_NRAW:-2000}
ADMIN_PIN=424242
RECEPTION_PIN=5151

[ -x "$IDTSD" ] || { echo "$0: no $IDTSD; build it first" >&2; exit 1; }
for tool in cc pkg-config curl jq; do
	command -v "$tool" >/dev/null ||
	    { echo "$0: $tool is needed" >&2; exit 1; }
done

# Compile the load generators (clean C11, warnings are errors).
mkdir -p "$BIN"
CFLAGS_BENCH="-std=c11 -O2 -Wall -Wextra -Werror"
# shellcheck disable=SC2086
cc $CFLAGS_BENCH -pthread -o "$BIN/bench_writes" "$HERE/bench_writes.c" \
    "$HERE/bench_common.c"
# shellcheck disable=SC2046,SC2086
cc $CFLAGS_BENCH -o "$BIN/bench_sqlite" "$HERE/bench_sqlite.c" "$HERE/bench_common.c" \
    $(pkg-config --cflags --libs sqlite3)

T=$(mktemp -d "${BENCH_TMPDIR:-/var/tmp}/idtsd-bench.XXXXXX")
DAEMON_PID=""
cleanup() {
	if [ -n "$DAEMON_PID" ]; then
		kill "$DAEMON_PID" 2>/dev/null || true
		wait "$DAEMON_PID" 2>/dev/null || true
	fi
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
	echo "bench: $*" >&2
	if [ -s "$T/daemon.log" ]; then
		echo "--- daemon log (tail)" >&2
		tail -20 "$T/daemon.log" >&2
	fi
	exit 1
}

echo "== machine"
echo "cpus:        $(nproc)"
echo "cpu:         $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
echo "kernel:      $(uname -sr)"
echo "temp dir:    $T"
echo "filesystem:  $(df -PT "$T" | awk 'NR == 2 { print $2 " on " $1 " (mounted on " $7 ")" }')"
if command -v findmnt >/dev/null; then
	echo "mount opts:  $(findmnt -n -o OPTIONS -T "$T" || echo unknown)"
fi
echo "sqlite:      $(pkg-config --modversion sqlite3)"

# A config on a free loopback port (the daemon says "cannot listen" if
# someone has it; then try another).
write_config() {
	cat > "$T/idtsd.conf" <<EOF
database = "$T/idtsd.db";
listen = { address = "127.0.0.1"; port = $PORT; };
http = { max_connections = 256; };
streams = { max = 128; };
backup = { directory = "$T/backups"; interval = 0; };
EOF
}
pick_port() {
	PORT=$(( 20000 + ($$ * 7 + $(date +%N | sed 's/^0*//;s/^$/0/') ) % 40000 ))
}

pick_port
write_config
echo "$ADMIN_PIN" | "$IDTSD" -c "$T/idtsd.conf" --init-admin admin \
    >>"$T/daemon.log" 2>&1 || fail "--init-admin failed"

tries=0
while :; do
	"$IDTSD" -f -c "$T/idtsd.conf" >>"$T/daemon.log" 2>&1 &
	DAEMON_PID=$!
	i=0
	up=0
	while [ $i -lt 100 ]; do
		if curl -s -m 1 -o /dev/null "http://127.0.0.1:$PORT/v1/health"
		then
			up=1
			break
		fi
		kill -0 "$DAEMON_PID" 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	[ $up -eq 1 ] && break
	kill "$DAEMON_PID" 2>/dev/null || true
	wait "$DAEMON_PID" 2>/dev/null || true
	DAEMON_PID=""
	tries=$((tries + 1))
	if grep -q "cannot listen" "$T/daemon.log" && [ $tries -lt 5 ]; then
		pick_port
		write_config
		continue
	fi
	fail "the daemon did not start"
done
BASE="http://127.0.0.1:$PORT/v1"

# post PATH JSON [TOKEN]: the answer's body; fails unless it is 201.
post() {
	set -- "$1" "$2" "${3:+Authorization: Bearer $3}"
	status=$(curl -s -m 10 -o "$T/out" -w '%{http_code}' -X POST \
	    -H 'Content-Type: application/json' -H "$3" \
	    --data-binary "$2" "$BASE$1") || status="curl failed"
	[ "$status" = 201 ] || fail "POST $1: HTTP $status: $(cat "$T/out")"
	cat "$T/out"
}

ADMIN_TOKEN=$(post /sessions \
    "{\"username\":\"admin\",\"pin\":\"$ADMIN_PIN\"}" | jq -r .token)
post /staff "{\"username\":\"reception1\",\"display_name\":\"Bench Reception\",\"roles\":[\"reception\"],\"pin\":\"$RECEPTION_PIN\"}" \
    "$ADMIN_TOKEN" >/dev/null
BENCH_TOKEN=$(post /sessions \
    "{\"username\":\"reception1\",\"pin\":\"$RECEPTION_PIN\"}" | jq -r .token)
export BENCH_TOKEN

echo
echo "== POST /v1/patients, keep-alive, one request in flight per client"
"$BIN/bench_writes" -p "$PORT" -c 1 -n "$N1" -s 0 -l api1 \
    > "$T/api1.out" || { cat "$T/api1.out"; fail "the 1-client run failed"; }
grep -v '^RESULT' "$T/api1.out"
"$BIN/bench_writes" -p "$PORT" -c 16 -n "$N16" -s "$N1" -l api16 \
    > "$T/api16.out" || { cat "$T/api16.out"; fail "the 16-client run failed"; }
grep -v '^RESULT' "$T/api16.out"

# Every 201 must be a row: count them after a clean stop.
kill -TERM "$DAEMON_PID"
wait "$DAEMON_PID" || fail "the daemon did not exit 0 on SIGTERM"
DAEMON_PID=""
stored=$(sqlite3 "$T/idtsd.db" 'SELECT count(*) FROM patients' 2>/dev/null ||
    echo "?")
echo "patients stored: $stored (expected $((N1 + N16)))"
if [ "$stored" != "?" ] && [ "$stored" -ne $((N1 + N16)) ]; then
	fail "answered 201 $((N1 + N16)) times but stored $stored patients"
fi

echo
echo "== raw SQLite, same disk, same pragmas, one row per transaction"
"$BIN/bench_sqlite" -f "$T/raw.db" -n "$NRAW" -l raw > "$T/raw.out" ||
    { cat "$T/raw.out"; fail "the raw SQLite run failed"; }
grep -v '^RESULT' "$T/raw.out"

echo
echo "== summary"
cat "$T/api1.out" "$T/api16.out" "$T/raw.out" | awk '
$1 == "RESULT" { rate[$2] = $3; p50[$2] = $4; p99[$2] = $5 }
END {
	printf "%-16s %10s %10s %10s %14s\n", "", "writes/s", "p50 ms",
	    "p99 ms", "API/raw rate"
	split("api1 api16 raw", order, " ")
	name["api1"] = "API 1 client"
	name["api16"] = "API 16 clients"
	name["raw"] = "raw SQLite"
	for (i = 1; i <= 3; i++) {
		k = order[i]
		printf "%-16s %10.1f %10.2f %10.2f", name[k], rate[k], p50[k],
		    p99[k]
		if (k != "raw")
			printf " %13.2fx", rate[k] / rate["raw"]
		printf "\n"
	}
}'

# The deadline scheduler, start-up with a large store, alert fan-out,
# dose sign-offs, a register page of 100,000 entries, a day's round
# for 2,000 patients, the observation compliance report over 90 days
# for 200 patients, the HTTP edge beside bare evhttp with resident
# memory, dose sign-offs under a flood of sign-ins (issue 16), and the
# dashboard's ward board for 40 beds (issue 18), and the managers'
# reports and governance pack over 90 days for 200 patients beside a raw
# SQLite anchor (issue 18, reports.sh): each script starts and stops a
# daemon of its own.
# One that finds something wrong fails the bench, after the others have
# run and the figures are printed.
failed=""
for script in deadlines.sh fanout.sh signoff.sh register.sh round.sh \
    obsreport.sh edge.sh flood.sh board.sh reports.sh; do
	echo
	"$HERE/$script" "$BUILD" > "$T/$script.out" 2>&1 ||
	    failed="$failed $script"
	cat "$T/$script.out"
done

# The issue's figures, each beside its anchor in this run, and its goal.
echo
echo "== figures (issue 21), each beside its anchor in this run"
cat "$T/api1.out" "$T/api16.out" "$T/raw.out" "$T/deadlines.sh.out" \
    "$T/fanout.sh.out" "$T/edge.sh.out" "$T/board.sh.out" | awk '
$1 == "RESULT" && ($2 == "api1" || $2 == "api16" || $2 == "raw") {
	rate[$2] = $3
}
$1 == "RESULT" && $2 == "startup" { start[++nstart] = $4 }
$1 == "RESULT" && $2 == "startup_unclean" { unclean = $3 }
$1 == "RESULT" && $2 == "startup_anchor" { anchor = $3 }
$1 == "RESULT" && $2 == "fanout" { p99 = $4 }
$1 == "RESULT" && ($2 == "health" || $2 == "round") {
	mine[$2] = $3; bare[$2] = $4
}
$1 == "RESULT" && $2 == "rss" { rss = $3 }
$1 == "RESULT" && $2 == "board" { board99 = $4; boardbare = $6 }
function row(what, today, anchor, times, goal) {
	printf "%-40s %16s %22s %8s %10s\n", what, today, anchor, times, goal
}
# a over its anchor b, or "-" when either is missing (a script failed).
function ratio(a, b) {
	return (a > 0 && b > 0) ? sprintf("%.2fx", a / b) : "-"
}
END {
	row("figure", "today", "anchor", "ratio", "goal")
	row("durable writes, 16 clients", sprintf("%.0f/s", rate["api16"]),
	    sprintf("raw SQLite %.0f/s", rate["raw"]),
	    ratio(rate["api16"], rate["raw"]), ">= 1.0x")
	row("durable writes, 1 client", sprintf("%.0f/s", rate["api1"]),
	    sprintf("raw SQLite %.0f/s", rate["raw"]),
	    ratio(rate["api1"], rate["raw"]), ">= 0.7x")
	best = start[1]
	for (i = 2; i <= nstart; i++)
		if (start[i] < best)
			best = start[i]
	row("start-up, 1,000,000 rows (best)", sprintf("%d ms", best),
	    sprintf("raw SQLite %.1f ms", anchor), ratio(best, anchor),
	    "< 1000 ms")
	row("start-up after kill -9 (checked first)", sprintf("%d ms",
	    unclean), sprintf("raw SQLite %.1f ms", anchor),
	    ratio(unclean, anchor), "-")
	row("one alert to 1,000 streams, p99", sprintf("%.1f ms", p99), "-",
	    "-", "< 50 ms")
	row("GET /v1/health, 16 connections", sprintf("%.0f/s", mine["health"]),
	    sprintf("bare evhttp %.0f/s", bare["health"]),
	    ratio(mine["health"], bare["health"]), ">= 0.8x")
	row("round, 40 beds, authenticated", sprintf("%.0f/s", mine["round"]),
	    sprintf("bare evhttp %.0f/s", bare["round"]),
	    ratio(mine["round"], bare["round"]), ">= 0.3x")
	row("ward board (Today), 40 beds, p99", sprintf("%.1f ms", board99),
	    sprintf("bare evhttp %.2f ms", boardbare),
	    ratio(board99, boardbare), "< 50 ms")
	row("resident memory, idle, 2,000 patients",
	    sprintf("%.1f MiB", rss / 1024), "-", "-", "< 16 MiB")
}'
if [ -n "$failed" ]; then
	echo "bench: failed:$failed" >&2
	exit 1
fi
