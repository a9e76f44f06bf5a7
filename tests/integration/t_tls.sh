#!/bin/sh
# TLS: with tls.certificate and tls.key the daemon serves HTTPS on its
# port with that certificate: health answers JSON, a sign-in and an
# authenticated call work, several requests share one connection; the
# JSON errors the HTTP edge writes itself (body too large, headers too
# large, unknown method) arrive intact over TLS; plain HTTP on the port
# gets no answer and does not disturb the daemon; only the suites of
# Mozilla's intermediate profile are agreed (TLS 1.2 with ECDHE and AEAD,
# and TLS 1.3); SIGTERM still exits 0.
. "$(dirname "$0")/lib.sh"

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$T/key.pem" -out "$T/cert.pem" >/dev/null 2>&1 ||
    fail "openssl could not make a certificate"

# Every curl in this test (api() included) trusts exactly our certificate.
CURL_CA_BUNDLE="$T/cert.pem"
export CURL_CA_BUNDLE
SCHEME=https
EXTRA_CONFIG="tls = { certificate = \"$T/cert.pem\"; key = \"$T/key.pem\"; };"

init_admin boss 424242
start_daemon
grep -q "listening on TLS 127.0.0.1" "$T/daemon.log" ||
    fail "the log does not say the listener is TLS"
checks=$((checks + 1))

# curl -k, as an operator would.
STATUS=$(curl -s -k -m 10 -o "$T/out" -D "$T/hdr" -w '%{http_code}' \
    "https://127.0.0.1:$PORT/v1/health") || STATUS=curl-failed
BODY_OUT=$(cat "$T/out")
expect_status 200
checks=$((checks + 1))
[ "$(jqout .status)" = ok ] || fail "health over TLS: $BODY_OUT"
checks=$((checks + 1))
grep -qi '^content-type: *application/json' "$T/hdr" ||
    fail "health over TLS is not JSON"

# Verified against the certificate we configured (not -k).
api GET /health
expect_status 200
checks=$((checks + 1))
[ "$(jqout .status)" = ok ] || fail "verified health: $BODY_OUT"

# Plain HTTP to the TLS port gets no HTTP answer.
checks=$((checks + 1))
plain=$(curl -s -m 5 -o "$T/plain" -w '%{http_code}' \
    "http://127.0.0.1:$PORT/v1/health") && [ "$plain" != 000 ] &&
    fail "plain HTTP got an answer: $plain $(cat "$T/plain")"
grep -q '"status"' "$T/plain" 2>/dev/null && fail "plain HTTP got health"
echo "plain http: refused (curl status $plain)"
api GET /health
expect_status 200

# A sign-in and authenticated calls over TLS.
sign_in boss 424242
add_staff nina "Nina Nurse" '["nurse"]' 2222
expect_status 201
api GET /staff
expect_status 200
checks=$((checks + 1))
[ "$(jqout 'map(.username) | sort | join(",")')" = boss,lib.approver,nina ] ||
    fail "staff over TLS (nina's grant approved by a second admin): $BODY_OUT"
api GET /products
expect_status 200
TOKEN=""
api GET /products
expect_status 401 unauthenticated

# Three requests on one connection.
curl -s -m 10 -w '%{http_code} %{num_connects}\n' -o /dev/null \
    "https://127.0.0.1:$PORT/v1/health" -o /dev/null \
    "https://127.0.0.1:$PORT/v1/health" -o /dev/null \
    "https://127.0.0.1:$PORT/v1/health" >"$T/keepalive" ||
    fail "keep-alive over TLS failed"
checks=$((checks + 1))
[ "$(cut -d' ' -f1 "$T/keepalive" | sort -u)" = 200 ] ||
    fail "keep-alive answers: $(cat "$T/keepalive")"
checks=$((checks + 1))
[ "$(awk '{ s += $2 } END { print s }' "$T/keepalive")" = 1 ] ||
    fail "three requests took more than one connection: $(cat "$T/keepalive")"

# Answers after which the daemon closes the connection: the client asked
# for it (Connection: close, HTTP/1.0), or the HTTP edge wrote the error
# itself (body too large, headers too large, unknown method).  Each must
# arrive whole over TLS as it does over plain HTTP; they are all tried
# before any failure is reported.
wrong=""
# tls_case DESC STATUS [CODE]: check the last answer, noting a failure.
tls_case() {
	checks=$((checks + 1))
	got=$(printf '%s' "$BODY_OUT" | jq -r '.error.code // .status // empty' \
	    2>/dev/null || true)
	if [ "$STATUS" = "$2" ] && [ "$got" = "${3:-ok}" ]; then
		echo "over TLS: $1: $STATUS $got"
	else
		[ "$STATUS" = curl-failed ] &&
		    BODY_OUT="no answer: the connection closed empty"
		echo "over TLS: $1: $BODY_OUT"
		wrong="$wrong
$1: expected $2 ${3:-ok}, got $STATUS: $BODY_OUT"
	fi
}
sign_in boss 424242
api GET /health "" -H 'Connection: close'
tls_case "GET with Connection: close" 200
api GET /health "" -0
tls_case "GET over HTTP/1.0" 200
TOKEN=""
api POST /sessions '{"username":"boss","pin":"424242"}' -H 'Connection: close'
checks=$((checks + 1))
[ "$STATUS" = 201 ] || wrong="$wrong
sign-in with Connection: close: expected 201, got $STATUS"
sign_in boss 424242
head -c 70000 /dev/zero | tr '\0' ' ' >"$T/big.json"
echo '{}' >>"$T/big.json"
api POST /patients "@$T/big.json"
tls_case "body over the limit" 413 body_too_large
api GET /health "" -H "X-Padding: $(head -c 20000 /dev/zero | tr '\0' a)"
tls_case "20 kB header" 400 bad_request
api OPTIONS /staff '{}'
tls_case "OPTIONS" 501 method_not_implemented
api GET /health
expect_status 200

# idtsctl over https (it sends Connection: close), when it is built.
if [ -x "$IDTSCTL" ] && "$IDTSCTL" --help 2>&1 | grep -q "login USERNAME"; then
	checks=$((checks + 1))
	if XDG_CONFIG_HOME="$T/ctl" HOME="$T" IDTS_CA="$T/cert.pem" \
	    IDTS_PIN=424242 "$IDTSCTL" -s "https://127.0.0.1:$PORT" login boss \
	    </dev/null >"$T/ctl-out" 2>&1; then
		echo "over TLS: idtsctl login: $(cat "$T/ctl-out")"
	else
		echo "over TLS: idtsctl login: $(cat "$T/ctl-out")"
		wrong="$wrong
idtsctl login over https: $(cat "$T/ctl-out")"
	fi
fi

# An abrupt TLS client (handshake then close) does not upset it.
checks=$((checks + 1))
openssl s_client -connect "127.0.0.1:$PORT" -CAfile "$T/cert.pem" \
    </dev/null >"$T/s_client" 2>&1 || true
grep -q "Verify return code: 0" "$T/s_client" ||
    fail "s_client did not verify the daemon's certificate: $(tail -5 "$T/s_client")"
api GET /health
expect_status 200

# The suites: Mozilla's intermediate profile.  TLS 1.2 only with ECDHE and
# an AEAD cipher; static RSA key exchange (no forward secrecy), CBC, and
# anything before TLS 1.2 are refused; TLS 1.3 is taken.
# suite ARGS...: the suite agreed with s_client ARGS, or "refused".
suite() {
	if openssl s_client -brief -connect "127.0.0.1:$PORT" "$@" \
	    </dev/null >"$T/suite" 2>&1; then
		sed -n 's/^Ciphersuite: *//p' "$T/suite"
	else
		echo refused
	fi
}
# offer DESC WANT ARGS...: offered ARGS, the daemon agrees to WANT.
offer() {
	desc=$1
	want=$2
	shift 2
	checks=$((checks + 1))
	got=$(suite "$@")
	echo "suites: $desc: $got"
	[ "$got" = "$want" ] || wrong="$wrong
$desc: expected $want, got $got: $(tail -3 "$T/suite")"
}
offer "TLS 1.2 static RSA with CBC" refused -tls1_2 -cipher AES128-SHA256
offer "TLS 1.2 static RSA with GCM" refused -tls1_2 -cipher AES128-GCM-SHA256
offer "TLS 1.2 ECDHE with CBC" refused -tls1_2 -cipher ECDHE-RSA-AES128-SHA256
offer "TLS 1.2 ECDHE with CBC (SHA-1)" refused -tls1_2 \
    -cipher ECDHE-RSA-AES256-SHA
offer "TLS 1.2 DHE with GCM" refused -tls1_2 -cipher DHE-RSA-AES128-GCM-SHA256
offer "TLS 1.1" refused -tls1_1 -cipher 'ALL:@SECLEVEL=0'
offer "TLS 1.2 ECDHE with AES-GCM" ECDHE-RSA-AES128-GCM-SHA256 -tls1_2 \
    -cipher ECDHE-RSA-AES128-GCM-SHA256
offer "TLS 1.2 ECDHE with ChaCha20-Poly1305" ECDHE-RSA-CHACHA20-POLY1305 \
    -tls1_2 -cipher ECDHE-RSA-CHACHA20-POLY1305
offer "TLS 1.3" TLS_AES_256_GCM_SHA384 -tls1_3 \
    -ciphersuites TLS_AES_256_GCM_SHA384
api GET /health
expect_status 200

stop_daemon
checks=$((checks + 1))
grep -q "stopped" "$T/daemon.log" || fail "no 'stopped' in the log"
[ -z "$wrong" ] || fail "over TLS, wrong:$wrong"
pass
