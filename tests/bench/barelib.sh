# Shared by tests/bench/edge.sh and board.sh: bare_evhttp, the anchor of
# the HTTP edge's figures (bare_evhttp.c), compiled into BUILD/bench/ and
# started on a free port serving one file's bytes.  Source it after
# benchlib.sh.

# shellcheck disable=SC2046,SC2086
cc $CFLAGS_BENCH -o "$BIN/bare_evhttp" "$HERE/bare_evhttp.c" \
    $(pkg-config --cflags --libs libevent)

BARE_PID=""
BARE_PORT=""
bare_cleanup() {
	if [ -n "$BARE_PID" ]; then
		kill "$BARE_PID" 2>/dev/null || true
		wait "$BARE_PID" 2>/dev/null || true
	fi
	bench_cleanup
}
trap bare_cleanup EXIT

# bare_start BODYFILE: bare_evhttp serving the file's bytes.
bare_start() {
	tries=0
	while :; do
		BARE_PORT=$(port_pick)
		"$BIN/bare_evhttp" -p "$BARE_PORT" -f "$1" 2>>"$T/bare.log" &
		BARE_PID=$!
		i=0
		while [ $i -lt 50 ]; do
			# Answered, and by it: not by another test's
			# server on the port it could not have.
			curl -s -m 1 -o /dev/null \
			    "http://127.0.0.1:$BARE_PORT/" &&
			    kill -0 "$BARE_PID" 2>/dev/null && return 0
			kill -0 "$BARE_PID" 2>/dev/null || break
			sleep 0.1
			i=$((i + 1))
		done
		wait "$BARE_PID" 2>/dev/null || true
		BARE_PID=""
		tries=$((tries + 1))
		[ $tries -lt 5 ] || fail "bare_evhttp did not start"
	done
}

bare_stop() {
	kill "$BARE_PID"
	wait "$BARE_PID" 2>/dev/null || true
	BARE_PID=""
}

