#!/bin/sh
# PINs are checked on the PIN pool's threads, never on the event loop
# (issue 16).  With one thread and room for two sign-ins waiting, a burst
# of sign-ins is answered 401 or 503 busy with Retry-After (held for that
# second), never hangs; a busy answer changes nothing (a wrong PIN is
# counted only when it was checked); GET /v1/health is answered while the
# pool still works through a queue of sign-ins; clients that hang up while
# their sign-in waits leave the daemon sound (AddressSanitizer, at its
# stop); and SIGTERM with sign-ins still queued stops it with exit 0,
# nothing leaked.
. "$(dirname "$0")/lib.sh"

POOL_SMALL='auth = { pin_workers = 1; pin_queue = 2; };
lockout = { failures = 100; };'
POOL_LONG='auth = { pin_workers = 1; pin_queue = 1000; };
lockout = { failures = 100; };'

# burst N NAME BODY: N sign-ins at once, BODY's %d the request's number;
# each one's status and seconds in $T/NAME.N.status, headers in
# $T/NAME.N.head.
burst() {
	i=1
	pids=""
	while [ "$i" -le "$1" ]; do
		# shellcheck disable=SC2059
		curl -s -m 60 -D "$T/$2.$i.head" -o "$T/$2.$i.body" \
		    -w '%{http_code} %{time_total}' -X POST \
		    -H 'Content-Type: application/json' \
		    --data-binary "$(printf "$3" "$i")" "$(BASE)/sessions" \
		    > "$T/$2.$i.status" &
		pids="$pids $!"
		i=$((i + 1))
	done
	wait_for
}

# wait_for: wait for the clients in $pids (a bare wait would wait for the
# daemon too).
wait_for() {
	for pid in $pids; do
		wait "$pid" || true
	done
	pids=""
}

# answered NAME STATUS: how many of burst NAME were answered STATUS.
answered() {
	for f in "$T/$1".*.status; do
		cut -d' ' -f1 "$f"
		echo
	done | grep -c "^$2\$" || true
}

init_admin boss 424242
EXTRA_CONFIG=$POOL_SMALL
start_daemon
sign_in boss 424242
add_staff rita "Rita Reception" '["reception"]' 3333
TOKEN=""

# --- a burst beyond the queue ----------------------------------------------
burst 16 unknown '{"username":"nobody%d","pin":"1234"}'
checks=$((checks + 1))
[ $(($(answered unknown 401) + $(answered unknown 503))) -eq 16 ] ||
    fail "a burst of sign-ins: answers other than 401 and 503: $(cat "$T"/unknown.*.status)"
checks=$((checks + 1))
[ "$(answered unknown 401)" -ge 1 ] || fail "a burst of sign-ins: none was checked"
checks=$((checks + 1))
[ "$(answered unknown 503)" -ge 1 ] ||
    fail "a burst of 16 sign-ins with room for 2 waiting: none answered 503"
busy=$(grep -l '^503' "$T"/unknown.*.status | head -1)
busy=${busy%.status}
checks=$((checks + 1))
[ "$(jq -r .error.code "$busy.body")" = busy ] ||
    fail "the 503 is not busy: $(cat "$busy.body")"
checks=$((checks + 1))
grep -qi '^Retry-After: 1' "$busy.head" ||
    fail "the 503 busy has no Retry-After: 1: $(cat "$busy.head")"
# Sent after the second it asks for, so that a client asking again at once
# (a flood) costs the daemon one request a second, not thousands.
checks=$((checks + 1))
awk '{ exit !($2 >= 0.9) }' "$busy.status" ||
    fail "the 503 busy was sent at once: $(cat "$busy.status") s"
echo "a burst of 16 sign-ins: $(answered unknown 401) checked (401), $(answered unknown 503) busy (503, Retry-After: 1)"

# --- a busy answer changes nothing -----------------------------------------
before=$(sql "SELECT count(*) FROM audit WHERE action = 'staff.pin_failed'")
burst 12 wrong '{"username":"rita","pin":"999%d"}'
after=$(sql "SELECT count(*) FROM audit WHERE action = 'staff.pin_failed'")
checks=$((checks + 1))
[ "$(answered wrong 401)" -ge 1 ] || fail "12 wrong PINs at once: none checked"
checks=$((checks + 1))
[ "$(answered wrong 503)" -ge 1 ] || fail "12 wrong PINs at once: none busy"
checks=$((checks + 1))
[ $((after - before)) -eq "$(answered wrong 401)" ] ||
    fail "$(answered wrong 401) wrong PINs checked (401) but $((after - before)) counted"
echo "12 wrong PINs at once: $(answered wrong 401) checked and counted, $(answered wrong 503) busy and not counted"
stop_daemon

# --- the loop answers while the pool works ---------------------------------
EXTRA_CONFIG=$POOL_LONG
start_daemon
rm -f "$T"/queued.*
i=1
pids=""
while [ "$i" -le 60 ]; do
	(curl -s -m 60 -o /dev/null -X POST -H 'Content-Type: application/json' \
	    --data-binary "{\"username\":\"nobody$i\",\"pin\":\"1234\"}" \
	    "$(BASE)/sessions"; touch "$T/queued.$i.done") &
	pids="$pids $!"
	i=$((i + 1))
done
sleep 0.2
api GET /health
expect_status 200
done_then=$(find "$T" -name 'queued.*.done' | wc -l)
wait_for
checks=$((checks + 1))
[ "$done_then" -lt 60 ] ||
    fail "GET /v1/health was answered only after $done_then of 60 sign-ins"
echo "GET /v1/health answered with $done_then of 60 sign-ins checked"

# fire N NAME SECONDS: N sign-ins as NAME1..NAMEN in the background, each
# client giving up after SECONDS; wait_for waits for them.
fire() {
	i=1
	while [ "$i" -le "$1" ]; do
		curl -s -m "$3" -o /dev/null -X POST \
		    -H 'Content-Type: application/json' \
		    --data-binary "{\"username\":\"$2$i\",\"pin\":\"1234\"}" \
		    "$(BASE)/sessions" &
		pids="$pids $!"
		i=$((i + 1))
	done
}

# --- clients that hang up while their sign-in waits ------------------------
fire 20 gone 0.05
wait_for
api GET /health
expect_status 200
sign_in rita 3333
checked=$(grep -c "PIN for gone" "$T/daemon.log" || true)
echo "20 clients hung up waiting: $checked of their PINs checked; the daemon answers and signs in"

# --- SIGTERM with sign-ins waiting -----------------------------------------
# More than the 2 s grace takes to check: those left are taken back from
# the queue as evhttp closes their connections, the workers finish what
# they hold, and every waiting request is freed.
fire 300 late 30
sleep 0.3
stop_daemon
wait_for
checks=$((checks + 1))
tail -1 "$T/daemon.log" | grep -q "stopped" ||
    fail "SIGTERM with sign-ins waiting: no 'stopped': $(tail -1 "$T/daemon.log")"
checked=$(grep -c "PIN for late" "$T/daemon.log" || true)
checks=$((checks + 1))
[ "$checked" -lt 300 ] ||
    fail "SIGTERM with 300 sign-ins waiting: all were checked before it stopped"
echo "SIGTERM with 300 sign-ins waiting: exit 0, stopped, $checked checked"

pass
