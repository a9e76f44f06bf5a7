#!/bin/sh
# Alert streams cannot be taken from the ward (issue 16).  Reception's
# token opening every stream there is (streams.max, 16 here for speed;
# 256 by default) no longer stops the nurse's: one person holds at most
# streams.per_person, a new one closing their oldest, and one enrolled
# terminal at most streams.per_terminal, whoever opened them.  An open
# stream no longer keeps its session alive: it ends when the session
# expires, and at once when the session is signed out.
. "$(dirname "$0")/lib.sh"

EXTRA_CONFIG='streams = { max = 16; heartbeat_seconds = 1; };'
init_admin boss 424242
start_daemon --test-clock
set_clock '{"now":"2027-01-04T08:00:00Z"}'
sign_in boss 424242
api POST /staff '{"username":"rita","display_name":"Rita","roles":["reception"],"pin":"1111"}'
expect_status 201
add_staff nina "Nina Nurse" '["nurse"]' 2222
sign_in rita 1111
RECEP=$TOKEN
sign_in nina 2222
NURSE=$TOKEN

# is DESC GOT WANT
is() {
	checks=$((checks + 1))
	[ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"
}

# open NAME TOKEN [TERMINAL]: a stream in the background, its output in
# $T/NAME and its curl's pid in $T/NAME.pid; waits until it has started.
open() {
	curl -s -N -m 60 -o "$T/$1" -w '%{http_code}' \
	    -H "Authorization: Bearer $2" ${3:+-H "X-Terminal: $3"} \
	    "$(BASE)/alerts/stream" >"$T/$1.status" 2>/dev/null &
	echo $! >"$T/$1.pid"
	i=0
	while [ $i -lt 100 ] && ! grep -q '^: idtsd alert stream' "$T/$1" \
	    2>/dev/null && [ ! -s "$T/$1.status" ]; do
		sleep 0.05
		i=$((i + 1))
	done
}

# ended NAME: whether its curl has finished (the daemon closed it).
ended() {
	i=0
	while [ $i -lt 60 ] && kill -0 "$(cat "$T/$1.pid")" 2>/dev/null; do
		sleep 0.05
		i=$((i + 1))
	done
	! kill -0 "$(cat "$T/$1.pid")" 2>/dev/null && echo yes || echo no
}

# 1. Reception opens 20 streams, more than there are: the daemon holds
# three of them, and the nurse's stream is answered.
n=0
while [ $n -lt 20 ]; do
	open "r$n" "$RECEP"
	n=$((n + 1))
done
is "reception's first stream was closed for its newer ones" "$(ended r0)" yes
is "reception holds three streams" "$(n=0; for i in $(seq 0 19); do
	kill -0 "$(cat "$T/r$i.pid")" 2>/dev/null && n=$((n + 1)); done;
	echo $n)" 3
open ward "$NURSE"
is "the nurse's stream is answered" "$(head -c 20 "$T/ward")" \
    ": idtsd alert stream"
is "and stays open" "$(kill -0 "$(cat "$T/ward.pid")" 2>/dev/null && echo open)" open
grep -q "alert stream closed: its person opened a newer one" \
    "$T/daemon.log" || fail "the daemon does not say why it closed them"
checks=$((checks + 1))
for i in $(seq 0 19); do
	kill "$(cat "$T/r$i.pid")" 2>/dev/null || true
done

# 2. A session that expires while its stream is open: the stream ends,
# and the stream did not keep the session alive (30 idle minutes).
open exp "$NURSE"
set_clock '{"advance_seconds":1860}'
is "the stream of an expired session ends" "$(ended exp)" yes
TOKEN=$NURSE
api GET /alerts
expect_status 401 session_expired

# 3. Signing out ends the session's streams at once.
sign_in nina 2222
open out "$TOKEN"
api DELETE /sessions/current
expect_status 204
is "signing out ends the stream" "$(ended out)" yes
kill "$(cat "$T/ward.pid")" 2>/dev/null || true

# 4. Two people at one enrolled terminal, two streams each: the
# terminal's fourth closes its oldest, though neither person has three.
sign_in boss 424242
api POST /terminals '{"name":"ward-1","location":"treatment room"}'
expect_status 201
CRED=$(jqout .credential)
TERMINAL=$CRED
sign_in rita 1111
RECEP=$TOKEN
sign_in nina 2222
NURSE=$TOKEN
TERMINAL=""
open t1 "$RECEP" "$CRED"
open t2 "$NURSE" "$CRED"
open t3 "$RECEP" "$CRED"
is "three streams at the terminal: the first still open" \
    "$(kill -0 "$(cat "$T/t1.pid")" 2>/dev/null && echo open)" open
open t4 "$NURSE" "$CRED"
is "the terminal's fourth closes its oldest" "$(ended t1)" yes
is "the nurse's first stays" \
    "$(kill -0 "$(cat "$T/t2.pid")" 2>/dev/null && echo open)" open
grep -q "alert stream closed: its terminal opened a newer one" \
    "$T/daemon.log" || fail "the daemon does not say why it closed it"
checks=$((checks + 1))
for n in t2 t3 t4; do
	kill "$(cat "$T/$n.pid")" 2>/dev/null || true
done
pass
