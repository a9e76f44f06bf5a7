#!/bin/sh
# The managers' dashboard (issue 18): its own listener serves the static
# files with their types and security headers, refuses traversal, other
# methods and anything outside its directory, and serves the same API
# through the same router; then a real browser (headless Chromium,
# tests/browser/dashboard.mjs) signs in as the DEMO manager, checks each
# view's figures against the API's, and fails on any console error or
# CSP violation.  Screenshots go to $BUILD/test-output/t_dashboard/.
set -eu
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT="$BUILD/test-output/t_dashboard"

# A copy of the dashboard's files, with a link out of it and a hidden
# file, neither of which may be served.
mkdir -p "$T/dash/sub"
cp "$ROOT"/dashboard/* "$T/dash/"
ln -s /etc/passwd "$T/dash/passwd.txt"
ln -s /etc "$T/dash/etc"
echo secret > "$T/dash/.hidden.txt"
mkfifo "$T/dash/fifo.js"	# would stop the loop if opened blocking
echo "inside" > "$T/dash/sub/inner.txt"
# Seeing the test fail: DASHBOARD_BREAK=inline adds an inline script
# (the CSP refuses it), =figure shows a day's figure one too high, =live
# leaves the alert stream unread, =idle never starts the idle timer.
case ${DASHBOARD_BREAK:-} in
idle)	sed -i 's|^  touch();$||' "$T/dash/app.js" ;;
live)	sed -i 's|stop = follow(|stop = null \&\& follow(|' "$T/dash/today.js" ;;
inline)	sed -i 's|</body>|<script>document.title = "x";</script></body>|' \
	    "$T/dash/index.html" ;;
figure)	sed -i "s|cell(r\[c\]) })),|cell(c === 'due' ? r[c] + 1 : r[c]) })),|" \
	    "$T/dash/compliance.js" ;;
esac

pick_port
DPORT=$(port_pick)
[ "$DPORT" != "$PORT" ] || DPORT=$((PORT + 1))
EXTRA_CONFIG="dashboard = { listen = \"127.0.0.1:$DPORT\"; directory = \"$T/dash\"; };"
# The DEMO ward at 10:20 on a winter's day.
start_demo_at 2026-12-08T10:20:00Z
D="http://127.0.0.1:$DPORT"

# hdr PATH [curl args]: the headers of a GET, in $T/h.
hdr() {
	p=$1
	shift
	curl -s -m 10 -D "$T/h" -o "$T/b" "$@" "$D$p" || fail "curl $p"
}
# has HEADER VALUE: the last answer's header, exactly.
has() {
	checks=$((checks + 1))
	grep -qix "$1: $2"$'\r' "$T/h" 2>/dev/null ||
	    tr -d '\r' < "$T/h" | grep -qix "$1: $2" ||
	    fail "no '$1: $2' in: $(cat "$T/h")"
}
code() {
	checks=$((checks + 1))
	got=$(head -1 "$T/h" | cut -d' ' -f2)
	[ "$got" = "$1" ] || fail "$2: expected $1, got $got"
}

CSP="default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
hdr /
code 200 "the dashboard's page"
has Content-Type "text/html; charset=utf-8"
has Content-Security-Policy "$CSP"
has X-Content-Type-Options nosniff
has Referrer-Policy no-referrer
has X-Frame-Options DENY
checks=$((checks + 1))
grep -qi '<script>\|<style\| style=\| on[a-z]*=' "$T/b" &&
    [ "${DASHBOARD_BREAK:-}" != inline ] &&
    fail "the page has an inline script or style"
for f in app.js:text/javascript app.css:text/css \
    vendor/chart.min.js:text/javascript; do
	hdr "/${f%%:*}"
	code 200 "/${f%%:*}"
	has Content-Type "${f#*:}; charset=utf-8"
	has Content-Security-Policy "$CSP"
	has X-Content-Type-Options nosniff
done
checks=$((checks + 1))
cmp -s "$T/b" /usr/share/javascript/chart.js/chart.min.js ||
    fail "/vendor/chart.min.js is not Debian's Chart.js"
hdr /sub/inner.txt
code 200 "a file in a folder of the directory"
# HEAD: the headers, no body.
hdr /app.js -I
code 200 "HEAD /app.js"
has Content-Security-Policy "$CSP"
# curl -I reads no body, so ask on a kept-alive connection, as a
# browser would: a body sent after a HEAD's headers would be read as
# the next answer.  The API on this listener takes no HEAD, as on its own.
checks=$((checks + 1))
head=$(python3 - "$DPORT" <<'PY'
import socket, sys
for p in ("/app.js", "/missing.js", "/v1/health"):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    s.settimeout(3)
    s.sendall(("HEAD %s HTTP/1.1\r\nHost: x\r\n\r\nGET /app.js "
        "HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % p).encode())
    out = b""
    while True:
        try:
            d = s.recv(65536)
        except socket.timeout:
            break
        if not d:
            break
        out += d
    head, _, rest = out.partition(b"\r\n\r\n")
    print(p, head.split(b" ")[1].decode(), rest.startswith(b"HTTP/1.1 200"))
PY
)
[ "$head" = "/app.js 200 True
/missing.js 404 True
/v1/health 501 True" ] || fail "a HEAD answered with a body: $head"
# Traversal, links out, hidden files, unknown types, missing files: 404.
for p in /../../etc/passwd /%2e%2e/%2e%2e/etc/passwd /sub/../app.js \
    /passwd.txt /etc/passwd /.hidden.txt /sub/ //app.js /app.js%00.txt \
    /missing.js /idtsd.conf /app.js/ '/sub%2f..%2fapp.js' \
    /vendor/other.js /fifo.js; do
	hdr "$p" --path-as-is
	code 404 "GET $p"
	has Content-Security-Policy "$CSP"
	checks=$((checks + 1))
	grep -q 'root:\|secret' "$T/b" && fail "GET $p served: $(cat "$T/b")"
done
# Only GET and HEAD for the files.
for m in POST PUT DELETE PATCH; do
	hdr /app.js -X "$m"
	checks=$((checks + 1))
	got=$(head -1 "$T/h" | cut -d' ' -f2)
	case $got in 405|501) ;; *) fail "$m /app.js: $got" ;; esac
done
# The same API, the same roles, on the dashboard's listener.
hdr /v1/health
code 200 "the API on the dashboard's listener"
has Content-Security-Policy "$CSP"
hdr /v1/board
code 401 "the board without a session"
TOKEN=$(curl -s -X POST -H 'Content-Type: application/json' \
    -d '{"username":"nina","pin":"2222"}' "$D/v1/sessions" | jq -r .token)
hdr /v1/board -H "Authorization: Bearer $TOKEN"
code 403 "the board for a nurse"
hdr /v1/readiness/1 -X PUT -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' -d '{"status":"green"}'
code 403 "PUT through the dashboard's listener, as a nurse"
sign_in mo 8888
api GET /board
expect_status 200
[ "$(jqout '.patients | length')" = 3 ] || fail "not 3 rows: $BODY_OUT"

# A little data: D1002AB's overdue observation taken at 10:15.
sign_in nina 2222
P2=$(curl -s -H "Authorization: Bearer $TOKEN" "$(BASE)/patients" |
    jq -r '.[] | select(.prison_number == "D1002AB") | .id')
api POST /observations "{\"patient_id\":\"$P2\",\"taken_at\":\"2026-12-08T10:15:00Z\",\"respiratory_rate\":22,\"spo2\":97,\"spo2_scale\":1,\"on_oxygen\":false,\"systolic_bp\":120,\"pulse\":100,\"consciousness\":\"A\",\"temperature\":37.0}"
expect_status 201
sign_in mo 8888
api GET /board
expect_status 200
[ "$(jqout ".patients[] | select(.patient.id == \"$P2\") | .risk.news2")" \
    != null ] || fail "the board has not the new score: $BODY_OUT"

# The browser.
checks=$((checks + 1))
rm -rf "$OUT"
NODE_PATH="$ROOT/tests/tools/node_modules" timeout 60 node \
    "$ROOT/tests/browser/dashboard.mjs" "$D" "$OUT" ||
    fail "the browser's checks"
for f in today compliance governance readiness refused-nurse; do
	checks=$((checks + 1))
	[ -s "$OUT/$f.png" ] || fail "no screenshot $f.png"
done
pass
