#!/bin/sh
# Hostile clients (issue 8).  tests/faults/hostile.sh BUILD
#
# A real idtsd --test-clock with a ward's morning round due, then:
#
#  1. a POST announcing a 10 MB body (and one sending it chunked) must be
#     answered 413 body_too_large, and the connection closed, before the
#     body is all sent; the bytes the daemon read meanwhile are printed
#     (its rchar in /proc);
#  2. hostile load (tests/faults/hostile.c) holds CONNS (1000) connections,
#     half idle and half slowloris (a header byte every few seconds, never
#     finished), opening again each one the daemon closes, and STREAMS (2)
#     alert streams that are never read;
#  3. meanwhile a nurse signs off SIGNOFFS (10) doses with a witness, each
#     on a new connection with curl: every one must succeed within a
#     second (at http.max_connections the daemon closes the connection
#     that has waited longest for a request: daemon/http/http_guard.c).  The
#     daemon must hold no more descriptors than its cap allows, close no
#     stream to make room, and be back to its descriptors of before once
#     the load is gone.
#
# Prints the sign-off latency (p50 and max) before and under the load, how
# many hostile connections were held and how many the daemon closed, and
# the daemon's descriptors and resident memory.  Raises the open-files
# limit to 4096 for both sides.  CONNS, STREAMS, SIGNOFFS, TRICKLE (the
# slowloris's seconds between bytes) and RECONNECT (milliseconds before
# the load opens again a connection the daemon closed; 0: never) may be
# set.
set -eu

IDTS_BUILD=${1:?usage: hostile.sh BUILD}
case $IDTS_BUILD in /*) ;; *) IDTS_BUILD=$(pwd)/$IDTS_BUILD ;; esac
CONNS=${CONNS:-1000}
STREAMS=${STREAMS:-2}
SIGNOFFS=${SIGNOFFS:-10}
TRICKLE=${TRICKLE:-2}
RECONNECT=${RECONNECT:-1000}
HOSTILE="$IDTS_BUILD/faults/hostile"
HOSTILE_PID=""
began=$(date +%s)

. "$(dirname "$0")/../integration/lib.sh"

# lib.sh's cleanup stops the daemon; the load goes first.
hostile_cleanup() {
	if [ -n "$HOSTILE_PID" ]; then
		kill "$HOSTILE_PID" 2>/dev/null || true
		wait "$HOSTILE_PID" 2>/dev/null || true
	fi
	cleanup
}
trap hostile_cleanup EXIT INT TERM

want=$((CONNS + STREAMS + 256))
[ "$(ulimit -n)" -ge "$want" ] || ulimit -n 4096 2>/dev/null ||
    ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" -ge "$want" ] ||
    fail "the open-files limit is $(ulimit -n); $want are needed"

EXTRA_CONFIG='sessions = { idle_minutes = 1440; };'
init_admin boss 424242
start_daemon --test-clock
set_clock '{"now":"2027-01-11T08:00:00Z"}'
expect_status 200

# --- the ward: staff, stock, patients whose 08:00 dose is due -------------
sign_in boss 424242
for s in 'nina "Nina Nurse" nurse 1111' 'cody "Cody Competent" competent 3333' \
    'doc "Dr Doc" prescriber 5555' 'rita "Rita Reception" reception 6666' \
    'phil "Phil Pharmacist" pharmacist 4444'; do
	eval "set -- $s"
	add_staff "$1" "$2" "[\"$3\"]" "$4"
done
sign_in phil 4444
api POST /products '{"name":"Methadone","form":"oral solution","strength":"1mg/ml","unit":"ml"}'
expect_status 201
M=$(jqout .id)
api POST "/register/$M/receipts" '{"quantity":5000,"supplier":"Alliance","reference":"INV-1","witness":{"username":"cody","pin":"3333"}}'
expect_status 201
sign_in doc 5555
DOC=$TOKEN
sign_in rita 6666
RECEP=$TOKEN
sign_in nina 1111
NURSE=$TOKEN

BASELINE=3
npat=$((SIGNOFFS + BASELINE))
i=1
while [ $i -le $npat ]; do
	TOKEN=$RECEP
	api POST /patients "$(printf '{"prison_number":"A%04dAA","given_name":"Jo","family_name":"Case","date_of_birth":"1990-01-01","arrived_at":"2027-01-11T07:00:00Z","location":"A1","stimulant_user":false,"community_treatment":null}' $i)"
	expect_status 201
	pat=$(jqout .id)
	TOKEN=$DOC
	api POST /prescriptions "{\"patient_id\":\"$pat\",\"product_id\":\"$M\",\"regimen\":\"maintenance\",\"dose\":30,\"times\":[\"08:00\"],\"start_date\":\"2027-01-11\"}"
	expect_status 201
	i=$((i + 1))
done
TOKEN=$NURSE
i=0
while :; do
	api GET "/doses?date=2027-01-11"
	expect_status 200
	jqout '.[] | select(.state == "due") | .id' > "$T/doses"
	[ "$(wc -l < "$T/doses")" -ge $npat ] && break
	[ $i -lt 100 ] || fail "the doses did not come due: $BODY_OUT"
	sleep 0.1
	i=$((i + 1))
done

# signoff DOSE: one sign-off with a witness on a new connection, its
# cautions confirmed (read first, outside the time); appends its time in
# seconds to $T/times, or fails.
signoff() {
	body=$(with_cautions "$1" '{"witness":{"username":"cody","pin":"3333"}}')
	rm -f "$T/so"
	r=$(curl -s -m 5 -o "$T/so" -w '%{http_code} %{time_total}' \
	    -X POST -H "Authorization: Bearer $NURSE" \
	    -H 'Content-Type: application/json' \
	    --data-binary "$body" \
	    "$(BASE)/doses/$1/administer") || true
	checks=$((checks + 1))
	# shellcheck disable=SC2086
	set -- $r		# status and time
	[ "${1:-}" = 200 ] ||
	    fail "a sign-off was answered '${1:-nothing}' in ${2:-?} s: $(cat "$T/so" 2>/dev/null)"
	echo "$2" >> "$T/times"
	awk -v t="$2" 'BEGIN { exit !(t < 1.0) }' ||
	    fail "a sign-off took $2 s"
}

# latency: p50 and max of $T/times, in milliseconds.
latency() {
	sort -n "$T/times" | awk '{ t[NR] = $1 } END {
	    printf "p50 %.0f ms, max %.0f ms (%d sign-offs)",
	    t[int((NR + 1) / 2)] * 1000, t[NR] * 1000, NR }'
}

# fds: how many descriptors the daemon holds.
fds() { ls "/proc/$DAEMON_PID/fd" | wc -l; }

# daemon_figures: the daemon's descriptors and resident memory.
daemon_figures() {
	echo "$(fds) descriptors," \
	    "VmRSS $(awk '/^VmRSS/ { print $2, $3 }' "/proc/$DAEMON_PID/status")"
}

# rchar: the bytes the daemon has read (sockets and files).
rchar() { awk '/^rchar/ { print $2 }' "/proc/$DAEMON_PID/io"; }

# --- a body of 10 MB ------------------------------------------------------
for mode in "" -c; do
	before=$(rchar)
	"$HOSTILE" body -p "$PORT" -b 10485760 $mode ||
	    fail "a body of 10 MB$mode"
	checks=$((checks + 1))
	sleep 3		# the daemon's lingering close is over
	echo "  the daemon read $(($(rchar) - before)) bytes meanwhile" \
	    "(of 10485760)"
	[ $(($(rchar) - before)) -lt 10485760 ] ||
	    fail "the daemon read the whole body"
done
api GET /health
expect_status 200

# --- sign-offs, first unhindered -------------------------------------------
: > "$T/times"
for d in $(head -n $BASELINE "$T/doses"); do
	signoff "$d"
done
echo "sign-off with no load: $(latency); daemon: $(daemon_figures)"
FDS=$(fds)

# --- then under the hostile load -----------------------------------------
"$HOSTILE" load -p "$PORT" -n "$CONNS" -S "$STREAMS" -k "$NURSE" \
    -t "$TRICKLE" -r "$RECONNECT" -o "$T/hostile" > "$T/hostile.out" 2>&1 &
HOSTILE_PID=$!
# Until every connection has been opened, and a few slowloris bytes on
# each.
i=0
while [ "$(awk '{ print $4 }' "$T/hostile" 2>/dev/null || echo 0)" -lt \
    $((CONNS + STREAMS)) ]; do
	[ $i -lt 200 ] || break
	sleep 0.1
	i=$((i + 1))
done
sleep $((TRICKLE * 2))
echo "hostile load on: $(cat "$T/hostile"); daemon: $(daemon_figures)"

: > "$T/times"
for d in $(tail -n +$((BASELINE + 1)) "$T/doses" | head -n "$SIGNOFFS"); do
	signoff "$d"
	sleep 0.3
done
echo "sign-off under $CONNS hostile connections and $STREAMS unread" \
    "streams: $(latency)"
echo "hostile load then: $(cat "$T/hostile"); daemon: $(daemon_figures)"
# The connections (http.max_connections, 512), a few closing, no more.
checks=$((checks + 1))
[ "$(fds)" -le $((FDS + 512 + 16)) ] ||
    fail "the daemon holds $(fds) descriptors under the load"

kill -TERM "$HOSTILE_PID"
wait "$HOSTILE_PID" || fail "hostile load"
HOSTILE_PID=""
sed 's/^/  /' "$T/hostile.out"
grep 'waited longest\|connections open' "$T/daemon.log" | tail -3 |
    sed 's/^/  daemon: /'
# A stream is never closed to make room (nor was one too far behind).
checks=$((checks + 1))
[ "$(grep -c 'opened (200)' "$T/hostile.out")" = "$STREAMS" ] ||
    fail "an unread stream was closed under the load"

# The daemon answers as before once the load is gone, every connection
# of it closed within the linger's bound.
sleep 3
api GET /health
expect_status 200
checks=$((checks + 1))
[ "$(fds)" -le "$FDS" ] ||
    fail "the daemon still holds $(fds) descriptors (before: $FDS)"
echo "after the load: daemon: $(daemon_figures); runtime" \
    "$(($(date +%s) - began)) s"
pass
