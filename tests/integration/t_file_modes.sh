#!/bin/sh
# The database holds clinical records and is the daemon's alone: under
# umask 022 (as when started outside systemd, whose unit sets 0077), the
# database, its -wal and its -shm are made 0600, and a database left 0644
# by an older version is narrowed to 0600 when the daemon next opens it.
. "$(dirname "$0")/lib.sh"

umask 022
mode() { stat -c %a "$T/$1"; }
# is_private FILE WHEN: FILE exists and is 0600.
is_private() {
	checks=$((checks + 1))
	[ -f "$T/$1" ] || fail "$2: $1 is missing"
	[ "$(mode "$1")" = 600 ] || fail "$2: $1 is $(mode "$1"), not 600"
}

init_admin boss 424242
is_private idtsd.db "made by --init-admin under umask 022"
start_daemon
sign_in boss 424242
api POST /staff '{"username":"rita","display_name":"Rita","roles":["reception"],"pin":"3333"}'
expect_status 201
for f in idtsd.db idtsd.db-wal idtsd.db-shm; do
	is_private $f "the daemon running under umask 022"
done
stop_daemon

# An old database, and its log, left readable by others.
chmod 644 "$T/idtsd.db"
start_daemon
for f in idtsd.db idtsd.db-wal idtsd.db-shm; do
	is_private $f "a database left 0644"
done
# Narrowing must not drop SQLite's locks (closing any descriptor of the
# file would): a reader alongside would then delete the daemon's log, and
# what it commits after would be lost to everyone else.
sql "SELECT count(*) FROM staff" >/dev/null
sign_in boss 424242
api POST /staff '{"username":"nina","display_name":"Nina","roles":["reception"],"pin":"4444"}'
expect_status 201
checks=$((checks + 1))
[ "$(sql "SELECT count(*) FROM staff WHERE username = 'nina'")" = 1 ] ||
    fail "a write after a reader came and went is not seen"
is_private idtsd.db-wal "after a reader came and went"
checks=$((checks + 1))
grep -q "idtsd.db was readable by others" "$T/daemon.log" ||
    fail "narrowing the database was not logged"
pass
