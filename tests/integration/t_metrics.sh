#!/bin/sh
# GET /metrics: the Prometheus text exposition format (promtool check
# metrics passes); requests counted by route pattern and status, a 404
# under route="unmatched" and never its raw path; each latency histogram
# cumulative with its +Inf bucket equal to its _count; a body over the
# limit counted as malformed; sessions, streams and PINs queued.  Who may read
# it: loopback when no metrics.token is set; with one set, only its
# bearer, loopback included (a staff token is not it).  A peer off
# loopback is refused in tests/unit/test_metrics.c (the daemon listens on
# loopback here).
. "$(dirname "$0")/lib.sh"

command -v promtool >/dev/null ||
    fail "promtool is needed (Debian's prometheus: scripts/install-deps)"

# scrape [TOKEN]: GET /metrics into $T/metrics; sets STATUS and TYPE.
scrape() {
	set -- "${1:+Authorization: Bearer $1}"
	STATUS=$(curl -s -m 10 -o "$T/metrics" -H "$1" \
	    -w '%{http_code} %{content_type}' \
	    "$SCHEME://127.0.0.1:$PORT/metrics") || STATUS=curl-failed
	TYPE=${STATUS#* }
	STATUS=${STATUS%% *}
}

# value SERIES: the value of one series (name and labels as written), 0
# when absent.
value() {
	awk -v s="$1" 'substr($0, 1, length(s) + 1) == s " " { v = $2 }
	    END { print v + 0 }' "$T/metrics"
}

R=idtsd_http_requests_total
HEALTH="$R"'{method="GET",route="/v1/health",code="200"}'
UNMATCHED="$R"'{method="unmatched",route="unmatched",code="404"}'
PATIENTS_401="$R"'{method="GET",route="/v1/patients",code="401"}'

init_admin boss 424242
start_daemon

scrape
checks=$((checks + 1))
[ "$STATUS" = 200 ] || fail "GET /metrics from loopback: HTTP $STATUS"
checks=$((checks + 1))
[ "$TYPE" = "text/plain; version=0.0.4; charset=utf-8" ] ||
    fail "GET /metrics is $TYPE"
checks=$((checks + 1))
promtool check metrics < "$T/metrics" > "$T/promtool" 2>&1 ||
    fail "promtool check metrics: $(cat "$T/promtool")"
health0=$(value "$HEALTH")
unmatched0=$(value "$UNMATCHED")

# --- counts move after requests --------------------------------------------
for i in 1 2 3; do
	api GET /health
	expect_status 200
done
api GET /no/such/path/A1234BC
expect_status 404
api GET /patients/../../etc/passwd
expect_status 404
TOKEN=""
api GET /patients
expect_status 401
scrape
checks=$((checks + 1))
[ "$(value "$HEALTH")" -eq $((health0 + 3)) ] ||
    fail "three GET /v1/health moved the count from $health0 to" \
    "$(value "$HEALTH")"
checks=$((checks + 1))
[ "$(value "$UNMATCHED")" -eq $((unmatched0 + 2)) ] ||
    fail "two 404s moved route=\"unmatched\" from $unmatched0 to" \
    "$(value "$UNMATCHED")"
checks=$((checks + 1))
! grep -q 'such/path\|A1234BC\|passwd' "$T/metrics" ||
    fail "a 404's raw path is in the metrics:" \
    "$(grep 'such\|passwd' "$T/metrics")"
checks=$((checks + 1))
[ "$(value "$PATIENTS_401")" -eq 1 ] ||
    fail "GET /v1/patients without a token is not counted under its" \
    "pattern with 401"

# --- the histograms are cumulative, +Inf is _count ---------------------------
checks=$((checks + 1))
awk '
/^idtsd_http_request_duration_seconds_bucket\{/ {
	key = $1; sub(/,le="[^"]*"\}$/, "", key)
	if (key != last) { prev = -1; last = key }
	if ($2 + 0 < prev) { print "not cumulative: " $0; bad = 1 }
	prev = $2 + 0
	if ($1 ~ /le="\+Inf"/) inf[key] = $2 + 0
}
/^idtsd_http_request_duration_seconds_count\{/ {
	key = $1; sub(/^idtsd_http_request_duration_seconds_count/, "", key)
	sub(/\}$/, "", key)
	count["idtsd_http_request_duration_seconds_bucket" key] = $2 + 0
	n++
}
END {
	for (k in count)
		if (!(k in inf) || inf[k] != count[k]) {
			print "+Inf is not _count for " k; bad = 1
		}
	if (n < 3) { print "only " n " histograms"; bad = 1 }
	exit bad
}' "$T/metrics" > "$T/hist" || fail "latency histograms: $(cat "$T/hist")"

# --- a body over the limit: evhttp's refusal, counted as malformed ----------
head -c 70000 /dev/zero | tr '\0' 'x' > "$T/big"
api POST /patients "@$T/big"
expect_status 413 body_too_large
scrape
checks=$((checks + 1))
[ "$(value 'idtsd_http_malformed_requests_total{code="413"}')" -eq 1 ] ||
    fail "the 413 is not counted as malformed"

# --- sessions, streams and PINs queued ------------------------------------
sign_in boss 424242
add_staff nina "Nina Nurse" '["nurse"]' 2468
sign_in nina 2468
curl -s -N -m 6 -H "Authorization: Bearer $TOKEN" "$(BASE)/alerts/stream" \
    > "$T/stream" 2>/dev/null &
STREAM_PID=$!
i=0
while [ ! -s "$T/stream" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
scrape
checks=$((checks + 1))
[ "$(value idtsd_streams_open)" -eq 1 ] ||
    fail "one stream open, the metrics say $(value idtsd_streams_open)"
checks=$((checks + 1))
grep -q '^idtsd_pin_jobs_queued{queue="sign_in"} 0$' "$T/metrics" ||
    fail "no PINs are waiting, the metrics say: $(grep pin_jobs "$T/metrics")"
checks=$((checks + 1))
[ "$(value idtsd_sessions_open)" -ge 2 ] ||
    fail "two people signed in, the metrics say" \
    "$(value idtsd_sessions_open) sessions"
checks=$((checks + 1))
promtool check metrics < "$T/metrics" > "$T/promtool" 2>&1 ||
    fail "promtool check metrics, after traffic: $(cat "$T/promtool")"
kill "$STREAM_PID" 2>/dev/null || true
wait "$STREAM_PID" 2>/dev/null || true
STAFF_TOKEN=$TOKEN
stop_daemon

# --- with metrics.token set: its bearer alone, loopback included -------------
METRICS_TOKEN=$(openssl rand -hex 32)
EXTRA_CONFIG="metrics = { token = \"$METRICS_TOKEN\"; };"
start_daemon
scrape
checks=$((checks + 1))
[ "$STATUS" = 401 ] ||
    fail "with metrics.token set, loopback without it: HTTP $STATUS"
scrape "$STAFF_TOKEN"
checks=$((checks + 1))
[ "$STATUS" = 401 ] || fail "a staff session's token read the metrics: $STATUS"
scrape "${METRICS_TOKEN}x"
checks=$((checks + 1))
[ "$STATUS" = 401 ] || fail "a longer token read the metrics: $STATUS"
scrape "$METRICS_TOKEN"
checks=$((checks + 1))
[ "$STATUS" = 200 ] || fail "the metrics token was refused: $STATUS"
checks=$((checks + 1))
promtool check metrics < "$T/metrics" > "$T/promtool" 2>&1 ||
    fail "promtool check metrics, with a token: $(cat "$T/promtool")"
pass
