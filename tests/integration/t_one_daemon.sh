#!/bin/sh
# One daemon to a database (daemon/dblock.c): a second idtsd started on
# the same file, on another port, is refused before it opens the
# database, and so is a restore while the daemon runs; the first goes on
# serving.  The lock goes with the process: after a clean stop and after
# kill -9 the daemon starts again.
. "$(dirname "$0")/lib.sh"

init_admin boss 424242
start_daemon
FIRST=$PORT

# A second daemon on the same database, its own port.
sed "s/port = $FIRST;/port = $((FIRST + 1));/" "$T/idtsd.conf" >"$T/second.conf"
checks=$((checks + 1))
if timeout 20 "$IDTSD" -f -c "$T/second.conf" >"$T/second.log" 2>&1; then
	fail "a second daemon ran on the same database"
fi
grep -q "in use by another idtsd" "$T/second.log" ||
    fail "the second daemon did not say why: $(cat "$T/second.log")"
checks=$((checks + 1))
curl -s -m 5 -o /dev/null "$SCHEME://127.0.0.1:$((FIRST + 1))/v1/health" &&
    fail "the second daemon is serving"

# A restore under the running daemon.
sign_in boss 424242
api POST /backups
expect_status 201
BACKUP=$(jqout .file)
checks=$((checks + 1))
if "$IDTSD" -c "$T/idtsd.conf" --restore "$BACKUP" >"$T/restore.log" 2>&1; then
	fail "a restore ran under the running daemon"
fi
grep -q "is idtsd running" "$T/restore.log" ||
    fail "the restore did not say why: $(cat "$T/restore.log")"

# The first goes on serving.
api GET /backups
expect_status 200

# The lock goes with the process, however it ends.
stop_daemon
start_daemon
kill_daemon
start_daemon
api GET /backups
expect_status 200
pass
