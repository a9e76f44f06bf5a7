#!/bin/sh
# The lockout attack from the server itself: the whole of 127.0.0.0/8 is
# the loopback, so anyone on the server could guess from 127.0.0.1,
# 127.0.0.2 and 127.0.0.3 as from three places and lock a witness
# everywhere, with no terminal at all.  Every loopback address is one
# place: the guesses lock the loopback only, and the witness still signs
# in at the ward's enrolled terminal.
. "$(dirname "$0")/lib.sh"

init_admin boss 424242
start_daemon
sign_in boss 424242
add_staff carl "Carl Competent" '["competent"]' 3333
api POST /terminals '{"name":"ward-1","location":"healthcare"}'
expect_status 201
WARD=$(jqout .credential)

# Five wrong PINs from each of three loopback addresses.
TOKEN=""
for a in 127.0.0.1 127.0.0.2 127.0.0.3; do
	for i in 1 2 3 4 5; do
		api POST /sessions '{"username":"carl","pin":"0000"}' \
		    --interface "$a"
	done
done
checks=$((checks + 1))
[ "$STATUS" = 403 ] || [ "$STATUS" = 429 ] ||
    fail "fifteen wrong PINs from the loopback were not refused: $STATUS"
printf '%s' "$BODY_OUT" | grep -q everywhere &&
    fail "three loopback addresses locked carl everywhere: $BODY_OUT"
grep -q "PIN for carl from 127.0.0.3, no terminal" "$T/daemon.log" ||
    fail "the log does not name the loopback address the guess came from"

# carl signs in at the ward's terminal.
TERMINAL=$WARD
sign_in carl 3333
pass
