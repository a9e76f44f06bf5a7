#!/bin/sh
# The restore drill (issue 21).  Under a write load (reception registering
# arrivals, each with its own Idempotency-Key, each acknowledged id
# recorded), three online backups are taken with POST /v1/backups.  Each is
# restored with idtsd --restore into a fresh directory and started: every
# arrival acknowledged before its backup was asked for is there, whole (the
# patient's row and its audit entry); nothing is half there (no row without
# its entry, no entry without its row); the restored audit head is the
# backup's; the restored daemon verifies its chain.  Then the refusals:
# --restore with the daemon running, a backup with flipped bytes (page
# headers; a name changed in a row and its audit entry), a backup from a
# newer schema (user_version 99); and a restore over the live database,
# which keeps it aside, byte for byte, with its audit anchor file (the
# daemon signs with audit.key throughout): the restored record then
# verifies, ok, against its own signed heads.  Seen failing against a backup
# whose integrity_check and chain check were skipped (a name changed in
# place restored), one taken by copying the file (the restored daemon had
# lost the latest writes), one that lost an early arrival ('acknowledged
# arrival ... is not whole'), ones that lost their last audit entry (the
# chain still whole: 'a patient row without its audit entry') or their
# last patient row ('an audit entry without its patient row'), a restore
# that let a newer schema through, one that did not notice the daemon
# running, one that did not keep the old database aside, and one that
# left the anchor file in place (verify: truncated).
. "$(dirname "$0")/lib.sh"

KEY="$T/audit.key"
"$IDTSD" --gen-key "$KEY" > /dev/null 2>>"$T/daemon.log" ||
    fail "--gen-key did not write a key"
EXTRA_CONFIG="audit = { key = \"$KEY\"; };"
pick_port
write_config "$EXTRA_CONFIG"
init_admin boss 424242
start_daemon
sign_in boss 424242
ADMIN=$TOKEN
api POST /staff '{"username":"rita","display_name":"Rita Reception","roles":["reception"],"pin":"3333"}'
expect_status 201
sign_in rita 3333
RECEP=$TOKEN
TOKEN=$ADMIN
ARRIVED=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)

# The load: arrivals one after another until $T/stop exists; each id the
# daemon acknowledged (201) is appended to $T/acked.
load() {
	n=0
	while [ -d "$T" ] && [ ! -f "$T/stop" ]; do
		n=$((n + 1))
		body=$(printf '{"prison_number":"A%04dBC","given_name":"Load",'\
'"family_name":"Drill%04d","date_of_birth":"1990-01-15","arrived_at":"%s",'\
'"location":"Houseblock 1","stimulant_user":false,"community_treatment":null}' "$n" "$n" "$ARRIVED")
		out=$(curl -s -m 10 -w '\n%{http_code}' -X POST \
		    -H "Authorization: Bearer $RECEP" \
		    -H "Idempotency-Key: $(cat /proc/sys/kernel/random/uuid)" \
		    -H 'Content-Type: application/json' --data-binary "$body" \
		    "$(BASE)/patients") || continue
		[ "$(printf '%s' "$out" | tail -1)" = 201 ] || continue
		printf '%s' "$out" | head -1 | jq -r .id >> "$T/acked"
	done
}
: > "$T/acked"
load &
LOAD_PID=$!
# A check failing stops the load too, and a restored daemon running.
PID2=""
trap 'kill "$LOAD_PID" $PID2 2>/dev/null || true; cleanup' EXIT INT TERM

# Three backups under the load; before each, the arrivals acknowledged.
for i in 1 2 3; do
	sleep 0.4
	cp "$T/acked" "$T/acked.$i"
	api POST /backups
	expect_status 201
	printf '%s\n' "$BODY_OUT" > "$T/backup.$i"
	checks=$((checks + 1))
	[ "$(jqout .verified)" = true ] || fail "backup $i not verified"
done
touch "$T/stop"
wait "$LOAD_PID"
checks=$((checks + 1))
[ "$(wc -l < "$T/acked.1")" -gt 0 ] && \
    [ "$(wc -l < "$T/acked.3")" -gt "$(wc -l < "$T/acked.1")" ] ||
    fail "the load wrote nothing between the backups"

# The backups are 0600, named as answered, under backup.directory.
api GET /backups
expect_status 200
checks=$((checks + 1))
[ "$(jqout '.backups | length')" = 3 ] || fail "three backups listed"
for i in 1 2 3; do
	f=$(jq -r .file "$T/backup.$i")
	checks=$((checks + 1))
	[ "$(stat -c %a "$f")" = 600 ] || fail "backup $i is not 0600"
done

# restore_into DIR FILE: idtsd --restore FILE with a config whose
# database is in DIR; sets OUT (stdout and stderr) and RC.
restore_into() {
	mkdir -p "$1"
	sed "s|$T/idtsd.db|$1/idtsd.db|" "$T/idtsd.conf" > "$1/idtsd.conf"
	RC=0
	OUT=$("$IDTSD" -c "$1/idtsd.conf" --restore "$2" 2>&1) || RC=$?
}

# start_restored DIR: a second daemon on the restored database, on
# another port; stop_restored stops it.
start_restored() {
	port2=$(port_pick)
	sed -i "s|port = [0-9]*;|port = $port2;|" "$1/idtsd.conf"
	"$IDTSD" -f -c "$1/idtsd.conf" >> "$1/daemon.log" 2>&1 &
	PID2=$!
	w=0
	until curl -s -m 1 -o /dev/null "http://127.0.0.1:$port2/v1/health"; do
		[ $w -lt 100 ] || fail "the restored daemon in $1 did not start"
		sleep 0.1
		w=$((w + 1))
	done
}
stop_restored() {
	kill -TERM "$PID2"
	wait "$PID2" || { PID2=""; fail "the restored daemon did not exit 0"; }
	PID2=""
}

for i in 1 2 3; do
	R="$T/r$i"
	f=$(jq -r .file "$T/backup.$i")
	head=$(jq -r .audit_head "$T/backup.$i")
	restore_into "$R" "$f"
	checks=$((checks + 1))
	[ $RC = 0 ] || fail "backup $i: --restore failed: $OUT"
	checks=$((checks + 1))
	printf '%s\n' "$OUT" | grep -q "last entry: seq $head at" ||
	    fail "backup $i: the last entry is not seq $head: $OUT"
	db="$R/idtsd.db"
	checks=$((checks + 1))
	[ "$(sqlite3 "$db" 'SELECT max(seq) FROM audit')" = "$head" ] ||
	    fail "backup $i: the restored audit head is not $head"
	start_restored "$R"
	checks=$((checks + 1))
	v=$(curl -s -H "Authorization: Bearer $ADMIN" \
	    "http://127.0.0.1:$port2/v1/audit/verify")
	[ "$(printf '%s' "$v" | jq -r .ok)" = true ] ||
	    fail "backup $i: the restored chain does not verify: $v"
	stop_restored
	# Every arrival acknowledged before the backup: row and entry.
	[ -s "$T/acked.$i" ] || fail "backup $i: no arrivals acknowledged before it"
	while read -r id; do
		checks=$((checks + 1))
		[ "$(sqlite3 "$db" "SELECT count(*) FROM patients p JOIN audit a
		    ON a.record_id = p.id AND a.action = 'patient.create'
		    WHERE p.id = '$id'")" = 1 ] ||
		    fail "backup $i: acknowledged arrival $id is not whole"
	done < "$T/acked.$i"
	# Nothing half there: a row without its entry, or an entry without
	# its row.
	checks=$((checks + 1))
	[ "$(sqlite3 "$db" "SELECT count(*) FROM patients p WHERE NOT EXISTS
	    (SELECT 1 FROM audit a WHERE a.record_id = p.id AND
	    a.action = 'patient.create')")" = 0 ] ||
	    fail "backup $i: a patient row without its audit entry"
	checks=$((checks + 1))
	[ "$(sqlite3 "$db" "SELECT count(*) FROM audit a WHERE
	    a.action = 'patient.create' AND NOT EXISTS (SELECT 1 FROM
	    patients p WHERE p.id = a.record_id)")" = 0 ] ||
	    fail "backup $i: an audit entry without its patient row"
done

LAST=$(jq -r .file "$T/backup.3")

# Refused while the daemon runs: the database is in use.
before=$(sha256sum < "$T/idtsd.db")
RC=0
OUT=$("$IDTSD" -c "$T/idtsd.conf" --restore "$LAST" 2>&1) || RC=$?
checks=$((checks + 1))
[ $RC != 0 ] && printf '%s' "$OUT" | grep -q "is idtsd running" ||
    fail "--restore with the daemon running was not refused: $OUT"
checks=$((checks + 1))
[ "$(sha256sum < "$T/idtsd.db")" = "$before" ] &&
    [ -z "$(ls "$T" | grep before-restore)" ] ||
    fail "a refused --restore changed the database"

# Flipped bytes in page headers: refused.
cp "$LAST" "$T/pages.db"
pages=$(($(stat -c %s "$T/pages.db") / 4096))
p=1
while [ $p -lt "$pages" ]; do
	printf '\252\252\252\252' | dd of="$T/pages.db" bs=1 \
	    seek=$((p * 4096)) conv=notrunc 2>/dev/null
	p=$((p + 1))
done
restore_into "$T/bad1" "$T/pages.db"
checks=$((checks + 1))
[ $RC != 0 ] && printf '%s' "$OUT" | grep -q "refused" ||
    fail "a backup with flipped page headers was restored: $OUT"
checks=$((checks + 1))
[ ! -e "$T/bad1/idtsd.db" ] || fail "a refused backup left a database"

# A name changed in the file (the row and its audit entry alike): the
# chain no longer holds.  Refused.
perl -pe 's/Drill0002/Drilx0002/g' "$LAST" > "$T/name.db"
checks=$((checks + 1))
! cmp -s "$LAST" "$T/name.db" || fail "Drill0002 not found in the backup"
restore_into "$T/bad2" "$T/name.db"
checks=$((checks + 1))
[ $RC != 0 ] && printf '%s' "$OUT" | grep -q "audit" ||
    fail "a backup with a name changed in place was restored: $OUT"

# A backup from a newer schema: refused.
cp "$LAST" "$T/newer.db"
sqlite3 "$T/newer.db" "PRAGMA user_version = 99"
restore_into "$T/bad3" "$T/newer.db"
checks=$((checks + 1))
[ $RC != 0 ] && printf '%s' "$OUT" | grep -q "newer idtsd" ||
    fail "a backup from a newer schema was restored: $OUT"

# Over the live database, the daemon stopped: the old one kept aside,
# byte for byte, with the anchor file signed at the stop; the restored
# one in place, and its chain verified against its own signed heads.
stop_daemon
checks=$((checks + 1))
[ -f "$T/idtsd.db.anchor" ] || fail "no anchor file was signed at the stop"
anchor=$(sha256sum < "$T/idtsd.db.anchor")
before=$(sha256sum < "$T/idtsd.db")
RC=0
OUT=$("$IDTSD" -c "$T/idtsd.conf" --restore "$LAST" 2>&1) || RC=$?
checks=$((checks + 1))
[ $RC = 0 ] || fail "--restore over the stopped daemon's database: $OUT"
aside=$(ls "$T" | grep 'idtsd.db.before-restore-' | head -1)
checks=$((checks + 1))
[ -n "$aside" ] && [ "$(sha256sum < "$T/$aside")" = "$before" ] ||
    fail "the database it replaced was not kept aside whole: $OUT"
checks=$((checks + 1))
[ ! -e "$T/idtsd.db.anchor" ] &&
    [ "$(sha256sum < "$T/$aside.anchor")" = "$anchor" ] ||
    fail "the audit anchor was not kept aside with the database: $OUT"
checks=$((checks + 1))
printf '%s\n' "$OUT" | grep -q "^its audit anchor is kept as $T/$aside.anchor" ||
    fail "the restore did not say where the anchor is kept: $OUT"
checks=$((checks + 1))
[ "$(sqlite3 "$T/idtsd.db" 'SELECT max(seq) FROM audit')" = \
    "$(jq -r .audit_head "$T/backup.3")" ] ||
    fail "the restored database is not the backup's"
start_daemon
sign_in boss 424242
api GET /audit/verify
expect_status 200
checks=$((checks + 1))
[ "$(jqout .ok)" = true ] ||
    fail "the restored record does not verify after the restore: $BODY_OUT"

pass
