#!/bin/sh
# idtsd's command line (idtsd(8)): -V and -h answer and exit 0, a usage
# error exits 1 on stderr; --init-admin refuses a bad username, a name
# already taken and a PIN that is not 4 to 12 digits, changing nothing;
# without -f the daemon detaches once it listens, serves, and stops on
# SIGTERM.
set -eu
. "$(dirname "$0")/lib.sh"

# run ARGS...: run idtsd, setting RC, OUT and ERR.
run() {
	RC=0
	"$IDTSD" "$@" >"$T/stdout" 2>"$T/stderr" </dev/null || RC=$?
	OUT=$(cat "$T/stdout")
	ERR=$(cat "$T/stderr")
}

run -V
[ "$RC" = 0 ] && echo "$OUT" | grep -Eqx 'idtsd [0-9]+\.[0-9]+\.[0-9]+' ||
    fail "-V: $RC '$OUT'"
for h in -h --help; do
	run $h
	[ "$RC" = 0 ] && [ -z "$ERR" ] || fail "$h: $RC '$ERR'"
	echo "$OUT" | grep -q '^usage: idtsd ' || fail "$h: '$OUT'"
done
for bad in --no-such-option extra; do
	run $bad
	[ "$RC" = 1 ] && [ -z "$OUT" ] || fail "$bad: $RC '$OUT'"
	echo "$ERR" | grep -q 'usage: idtsd ' || fail "$bad: '$ERR'"
done

# --init-admin: the refusals say why and store nothing.
init_admin boss 424242
# staff_rows: the accounts but lib.sh's second admin, lib.approver.
staff_rows() { sql "SELECT count(*) FROM staff WHERE username <> 'lib.approver'"; }
# admin NAME PIN EXPECT: --init-admin must fail saying EXPECT.
admin_refused() {
	RC=0
	echo "$2" | "$IDTSD" -c "$T/idtsd.conf" --init-admin "$1" \
	    >"$T/stdout" 2>"$T/stderr" || RC=$?
	[ "$RC" != 0 ] || fail "--init-admin $1 with PIN '$2' succeeded"
	grep -q "$3" "$T/stderr" ||
	    fail "--init-admin $1: not '$3': $(cat "$T/stderr")"
	[ "$(staff_rows)" = 1 ] || fail "--init-admin $1 stored someone"
}
[ "$(staff_rows)" = 1 ] || fail "--init-admin boss stored no one"
admin_refused Boss 424242 "the username must be"
admin_refused boss 123456 "boss already exists"
admin_refused nina 12 "a PIN of 4 to 12 digits"
admin_refused nina "" "a PIN of 4 to 12 digits"

# Without -f: the command returns once the daemon listens, and the
# detached daemon (found by its config's path) serves until SIGTERM.
run -c "$T/idtsd.conf"
[ "$RC" = 0 ] || fail "idtsd without -f: exit $RC: $ERR"
pid=""
for d in /proc/[0-9]*; do
	[ "$(cat "$d/comm" 2>/dev/null)" = idtsd ] || continue
	tr '\0' ' ' <"$d/cmdline" 2>/dev/null |
	    grep -qF -- "-c $T/idtsd.conf" && pid=${d#/proc/}
done
[ -n "$pid" ] || fail "no detached daemon"
sign_in boss 424242
api GET /staff
expect_status 200
kill -TERM "$pid"
# Gone, or a zombie where nothing reaps orphans (a container's first
# process may not).
i=0
while [ -d "/proc/$pid" ] &&
    [ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" != Z ]; do
	[ $i -lt 100 ] || { kill -KILL "$pid"; fail "it did not stop"; }
	sleep 0.1
	i=$((i + 1))
done
echo "passed $checks checks"
