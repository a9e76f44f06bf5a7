#!/bin/sh
# Configuration: `idtsd -n -c FILE` accepts good files (and the shipped
# ones) with exit 0 and "configuration OK", touching no database; refuses
# an unknown key, a wrong type, an out-of-range value and a syntax error
# with exit 1 and one "FILE:LINE: message" naming the right line; refuses
# plain HTTP on a non-loopback address, half a TLS setting, and
# --test-clock and --seed-demo on a non-loopback address even with TLS;
# and the daemon refuses at start a database written by a newer schema,
# leaving it as it was.
. "$(dirname "$0")/lib.sh"

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
C="$T/test.conf"
noisy=""

# idtsd_n [options...]: run idtsd -n -c $C; sets RC, OUT and ERR.
idtsd_n() {
	RC=0
	"$IDTSD" -n -c "$C" "$@" >"$T/stdout" 2>"$T/stderr" || RC=$?
	OUT=$(cat "$T/stdout")
	ERR=$(cat "$T/stderr")
}

# good [options...]: the config in $C passes.
good() {
	idtsd_n "$@"
	checks=$((checks + 1))
	[ "$RC" = 0 ] || fail "$C refused (exit $RC): $ERR"
	checks=$((checks + 1))
	printf '%s' "$OUT" | grep -q "configuration OK" ||
	    fail "no 'configuration OK' for $C: $OUT"
}

# bad LINE PATTERN [options...]: the config in $C is refused with exit 1
# and "idtsd: $C:LINE: ..." (or "idtsd: $C: ..." when LINE is "-")
# matching PATTERN.  A second line on stderr (a sanitizer report) is
# noted and fails the test at the end.
bad() {
	line=$1
	pattern=$2
	shift 2
	idtsd_n "$@"
	checks=$((checks + 1))
	[ "$RC" = 1 ] || fail "expected exit 1 for $(cat "$C"), got $RC: $ERR"
	first=$(printf '%s\n' "$ERR" | head -1)
	if [ "$line" = - ]; then
		prefix="idtsd: $C: "
	else
		prefix="idtsd: $C:$line: "
	fi
	checks=$((checks + 1))
	case "$first" in
	"$prefix"*) ;;
	*) fail "expected '$prefix...', got: $first" ;;
	esac
	checks=$((checks + 1))
	printf '%s' "$first" | grep -Eq -- "$pattern" ||
	    fail "'$first' does not match /$pattern/"
	echo "refused: $first" | sed "s|$T/||"
	if [ "$(printf '%s\n' "$ERR" | grep -c .)" != 1 ]; then
		noisy="$noisy $(basename "$C"):$line"
		cp "$T/stderr" "$T/noisy.stderr"
	fi
}

conf() { cat >"$C"; }

# --- good ---------------------------------------------------------------
conf <<EOF
database = "$T/never.db";
listen = { address = "127.0.0.1"; port = 8471; };
EOF
good
checks=$((checks + 1))
[ ! -e "$T/never.db" ] || fail "-n created the database"

conf <<EOF
# Every setting, with a comment on its own line and at the end of one.
listen = {
	address = "::1";
	port = 65535;
};
tls = { certificate = ""; key = ""; };
database = "$T/never.db";   # trailing comment
time_zone = "America/New_York";
log_level = "debug";
sessions = { idle_minutes = 1440; };
lockout = { failures = 1; minutes = 1; };
http = { max_connections = 8; max_body_bytes = 1024;
	max_header_bytes = 1048576; timeout_seconds = 3600; };
arrivals = { max_future_minutes = 0; };
idempotency = { keep_hours = 2160; };
streams = { max = 4; };
EOF
good
conf <<EOF
listen = { address = "localhost"; };
EOF
good --test-clock
for f in "$top/config/idtsd.conf" "$top/config/demo.conf"; do
	if [ -f "$f" ]; then
		C=$f
		good
		C="$T/test.conf"
	fi
done

# --- refused, on the right line ----------------------------------------
conf <<EOF
database = "$T/never.db";

listen = {
	port = 8471;
	colour = "red";
};
EOF
bad 5 "unknown setting 'listen.colour'"

conf <<EOF
database = "$T/never.db";
session = { idle_minutes = 10; };
EOF
bad 2 "unknown setting 'session'"

conf <<EOF
listen = {
	address = "127.0.0.1";
	port = "8471";
};
EOF
bad 3 "'listen.port' must be an integer"

conf <<EOF
log_level = 3;
EOF
bad 1 "'log_level' must be a string"

conf <<EOF
sessions = 30;
EOF
bad 1 "'sessions' must be a group"

conf <<EOF
database = "$T/never.db";
listen = { port = 70000; };
EOF
bad 2 "'listen.port' must be between 1 and 65535"

conf <<EOF
http = {
	max_connections = 512;
	max_body_bytes = 100;
};
EOF
bad 3 "'http.max_body_bytes' must be between 1024 and 16777216"

conf <<EOF
lockout = {
	failures = 0;
};
EOF
bad 2 "'lockout.failures' must be between 1 and 100"

conf <<EOF
time_zone = "Mars/Olympus_Mons";
EOF
bad 1 "'time_zone'"

conf <<EOF
time_zone = "../../etc/passwd";
EOF
bad 1 "'time_zone' is not a time zone name"

conf <<EOF
log_level = "loud";
EOF
bad 1 "'log_level' must be one of"

conf <<EOF
listen = { address = "my-host.example"; };
EOF
bad 1 "'listen.address' must be a numeric"

conf <<EOF
database = "$T/never.db";
listen = {
	port = = 8471;
};
EOF
bad 3 "syntax error"

conf <<EOF
database = "$T/never.db";
listen = {
	port = 8471;
EOF
bad 4 "syntax error"

conf <<EOF
listen = { port = 8471; port = 8472; };
EOF
bad 1 "duplicate setting"

# --- refused, about the whole file --------------------------------------
conf <<EOF
database = "$T/never.db";
listen = { address = "0.0.0.0"; port = 8471; };
EOF
bad - "0\.0\.0\.0.*not loopback.*tls"

conf <<EOF
listen = { address = "192.168.1.10"; };
tls = { certificate = ""; key = ""; };
EOF
bad - "192\.168\.1\.10.*not loopback.*tls"

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
    -keyout "$T/key.pem" -out "$T/cert.pem" >/dev/null 2>&1 ||
    fail "openssl could not make a certificate"

conf <<EOF
tls = { certificate = "$T/cert.pem"; };
EOF
bad - "tls needs both a certificate and a key"

# Observation intervals that lengthen as the score rises, or a grace as
# long as the shortest interval, are refused.
conf <<EOF
observations = { high_interval_minutes = 90; };
EOF
bad - "intervals must not lengthen as the score rises"
conf <<EOF
observations = { low_interval_minutes = 300; };
EOF
bad - "intervals must not lengthen as the score rises"
conf <<EOF
observations = { grace_minutes = 30; };
EOF
bad - "grace_minutes \\(30\\) must be shorter than the shortest interval"
conf <<EOF
database = "$T/never.db";
observations = { base_interval_minutes = 60; low_interval_minutes = 60;
	medium_interval_minutes = 60; high_interval_minutes = 20;
	grace_minutes = 19; };
EOF
good

# With TLS a non-loopback listener is fine, but not with --test-clock.
conf <<EOF
database = "$T/never.db";
listen = { address = "0.0.0.0"; port = 8471; };
tls = { certificate = "$T/cert.pem"; key = "$T/key.pem"; };
EOF
good
idtsd_n --test-clock
checks=$((checks + 1))
[ "$RC" = 1 ] || fail "--test-clock on 0.0.0.0 was not refused (exit $RC)"
checks=$((checks + 1))
printf '%s' "$ERR" | head -1 | grep -q -- "--test-clock.*0\.0\.0\.0.*loopback" ||
    fail "no reason given for refusing --test-clock: $ERR"
echo "refused: $(printf '%s' "$ERR" | head -1)"
# ... and not when actually starting either.
RC=0
timeout 10 "$IDTSD" -f -c "$C" --test-clock >"$T/stdout" 2>"$T/stderr" || RC=$?
checks=$((checks + 1))
[ "$RC" = 1 ] || fail "idtsd --test-clock on 0.0.0.0 started (exit $RC)"
# Nor --seed-demo: the DEMO ward's PINs are in the README.
idtsd_n --seed-demo
checks=$((checks + 1))
[ "$RC" = 1 ] || fail "--seed-demo on 0.0.0.0 was not refused (exit $RC)"
checks=$((checks + 1))
printf '%s' "$ERR" | head -1 | grep -q -- "--seed-demo.*0\.0\.0\.0.*loopback" ||
    fail "no reason given for refusing --seed-demo: $ERR"

# A missing file.
C="$T/missing.conf"
bad - "cannot read"
C="$T/test.conf"

# --- a database from a newer idtsd -------------------------------------
sqlite3 "$T/newer.db" "PRAGMA user_version = 99; CREATE TABLE future (x);"
before=$(sqlite3 "$T/newer.db" .dump | sha256sum)
pick_port
conf <<EOF
database = "$T/newer.db";
listen = { address = "127.0.0.1"; port = $PORT; };
EOF
RC=0
timeout 10 "$IDTSD" -f -c "$C" >"$T/stdout" 2>"$T/stderr" || RC=$?
checks=$((checks + 1))
[ "$RC" != 0 ] && [ "$RC" != 124 ] ||
    fail "idtsd started on a newer database (exit $RC): $(cat "$T/stderr")"
checks=$((checks + 1))
grep -q "newer" "$T/stderr" ||
    fail "the refusal does not say the database is newer: $(cat "$T/stderr")"
echo "refused: $(grep newer "$T/stderr")"
checks=$((checks + 1))
[ "$(sqlite3 "$T/newer.db" 'PRAGMA user_version')" = 99 ] ||
    fail "the newer database's version was changed"
checks=$((checks + 1))
[ "$(sqlite3 "$T/newer.db" .dump | sha256sum)" = "$before" ] ||
    fail "the newer database was changed"
# --init-admin must not touch it either.
RC=0
echo 123456 | timeout 10 "$IDTSD" -c "$C" --init-admin boss \
    >"$T/stdout" 2>"$T/stderr" || RC=$?
checks=$((checks + 1))
[ "$RC" != 0 ] && grep -q newer "$T/stderr" ||
    fail "--init-admin on a newer database: exit $RC, $(cat "$T/stderr")"

# --- what -n should also catch ------------------------------------------
# A certificate that cannot be read passes -n today but stops the daemon
# at start; -n exists to find that before a restart.
conf <<EOF
database = "$T/never.db";
listen = { address = "127.0.0.1"; port = 8471; };
tls = { certificate = "$T/no-such-cert.pem"; key = "$T/key.pem"; };
EOF
idtsd_n
checks=$((checks + 1))
late=""
[ "$RC" = 1 ] || late="-n accepts an unreadable tls.certificate (exit $RC: $OUT)"

if [ -n "$noisy$late" ]; then
	[ -z "$noisy" ] || echo "--- stderr of the last of them:" >&2
	[ -z "$noisy" ] || cat "$T/noisy.stderr" >&2
	n_noisy=$(echo $noisy | wc -w)
	fail "${noisy:+$n_noisy refusals print more than their one line on stderr (the last shown above); }$late"
fi
checks=$((checks + 1))
pass
