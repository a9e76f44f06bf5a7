#!/bin/sh
# The audit trail against the file (issue 16): someone with the database
# file and sqlite3, the daemon stopped, deletes the last five audit
# entries, rewrites one and recomputes every hash after it, edits a
# register entry and re-chains the balances after it, deletes one, edits a
# dose, turns an observation's NEWS2 of 7 into a 0, forges the anchor
# file, adds nurse to the admin's roles, copies the admin's PIN hash onto
# carl, deletes the tail with every signed head (rows and file); each time
# GET /v1/audit/verify (and idtsctl audit verify) answers ok: false with
# the problem and the first place it is found, and the daemon does not
# sign the shortened chain as if it were the first time.  An
# untouched file verifies.  The chain head is signed with the key idtsd
# --gen-key wrote (kept 0600, never overwritten, refused when others may
# read it), at intervals and at shutdown; the signed head is in the log,
# in audit_anchors and in the file beside the database, and a forged one
# is refused.  The scheduler's changes have entries.
set -eu
. "$(dirname "$0")/lib.sh"

KEY="$T/audit.key"

# --- the key ---------------------------------------------------------------
"$IDTSD" --gen-key "$KEY" > "$T/audit.pub" 2>>"$T/daemon.log" ||
    fail "--gen-key did not write a key"
checks=$((checks + 1))
[ "$(stat -c %a "$KEY")" = 600 ] || fail "the key is not 0600: $(stat -c %a "$KEY")"
checks=$((checks + 1))
grep -q "BEGIN PUBLIC KEY" "$T/audit.pub" ||
    fail "--gen-key did not print the public key: $(cat "$T/audit.pub")"
checks=$((checks + 1))
key_sum=$(sha256sum < "$KEY")
if "$IDTSD" --gen-key "$KEY" > /dev/null 2>"$T/again.err"; then
	fail "--gen-key wrote over an existing key"
fi
[ "$(sha256sum < "$KEY")" = "$key_sum" ] || fail "--gen-key changed the key"

EXTRA_CONFIG="audit = { key = \"$KEY\"; anchor_interval_minutes = 15; };"
pick_port
write_config "$EXTRA_CONFIG"
checks=$((checks + 1))
chmod 640 "$KEY"
if "$IDTSD" -n -c "$T/idtsd.conf" > /dev/null 2>"$T/mode.err"; then
	fail "a key its group may read was accepted"
fi
grep -q "group or others" "$T/mode.err" ||
    fail "the refusal does not say why: $(cat "$T/mode.err")"
chmod 600 "$KEY"

# --- the DEMO ward, with something in it -------------------------------------
start_daemon --test-clock --seed-demo
. "$(dirname "$0")/roundlib.sh"
CLOCK_USER=admin CLOCK_PIN=1111
settle

sign_in priya 4444
api GET /products
PRODUCT=$(jqout '.[0].id')
for ref in INV-1 INV-2; do
	api POST "/register/$PRODUCT/receipts" "{\"quantity\":100,\"supplier\":\"DEMO\",\"reference\":\"$ref\",\"witness\":{\"username\":\"carl\",\"pin\":\"3333\"}}"
	expect_status 201
done
# and a NEWS2 of 7 for D1002AB, a stimulant user
sign_in nina 2222
api GET /patients
D2=$(jqout '.[] | select(.prison_number == "D1002AB") | .id')
api GET /health
api POST /observations "$(jq -cn --arg p "$D2" --arg t "$(jqout \
    '.now | sub("[.][0-9]+Z$"; "Z")')" '{patient_id: $p, taken_at: $t,
    respiratory_rate: 25, spo2: 93, spo2_scale: 1, on_oxygen: false,
    systolic_bp: 120, pulse: 115, consciousness: "A", temperature: 37.0}')"
expect_status 201
OBSERVATION=$(jqout .id)

# The scheduler's own changes are in the audit: a dose laid out, a window
# closed (a day on, nobody having given them), a clock's deadlines,
# observations late and lapsed.
api GET /health
clock_to "$(jqout '.now | sub("[.][0-9]+Z$"; "Z") | fromdateiso8601 + 26 * 3600
    | todateiso8601')"
sign_in mo 8888
api GET '/audit?limit=1000'
expect_status 200
for action in dose.schedule dose.close clock.fire \
    observation_due.late observation_due.lapse alert.raise; do
	checks=$((checks + 1))
	[ "$(jqout "[.[] | select(.action == \"$action\" and .actor_id == \"\")]
	    | length > 0")" = true ] ||
	    fail "no entry of the scheduler's $action"
done
checks=$((checks + 1))
[ "$(jqout '[.[] | select(.action == "dose.close")][0].detail.rows[0]
    | .table == "doses" and (.digest | length) == 64')" = true ] ||
    fail "a dose's entry does not record the row's digest: $BODY_OUT"

# The head is signed: in the log, the table and the file, and verify
# checks the chain against it.
api GET /audit/verify
expect_status 200
checks=$((checks + 1))
[ "$(jqout '.ok and .anchored and .rows > 0 and .anchor.seq > 0')" = true ] ||
    fail "an untouched database does not verify: $BODY_OUT"
checks=$((checks + 1))
grep -q "audit anchor: seq [0-9]* hash [0-9a-f]\{64\} at [0-9]* signature [0-9a-f]\{128\}" \
    "$T/daemon.log" || fail "the signed head is not in the log"
checks=$((checks + 1))
IDTS_SERVER="http://127.0.0.1:$PORT" IDTS_TOKEN=$TOKEN "$IDTSCTL" audit verify \
    > "$T/ctl.out" 2>&1 || fail "idtsctl audit verify failed: $(cat "$T/ctl.out")"
grep -q "audit trail whole: .* signed head at entry" "$T/ctl.out" ||
    fail "idtsctl does not name the signed head: $(cat "$T/ctl.out")"

# The head signed at shutdown is the one before the last entry, which is
# the audit.anchor entry naming it.
stop_daemon
SIGNED=$(sql 'SELECT max(seq) - 1 FROM audit')
checks=$((checks + 1))
[ "$(jq -r .seq "$T/idtsd.db.anchor")" = "$SIGNED" ] ||
    fail "the anchor file does not hold the head signed at shutdown"
checks=$((checks + 1))
[ "$(sql "SELECT count(*) FROM audit_anchors WHERE seq = $SIGNED")" = 1 ] ||
    fail "audit_anchors does not hold the head signed at shutdown"
checks=$((checks + 1))
[ "$(sql "SELECT action || ' ' || json_extract(detail, '\$.seq') FROM audit
    WHERE seq = $SIGNED + 1")" = "audit.anchor $SIGNED" ] ||
    fail "the signing at shutdown left no audit.anchor entry naming it"
cp "$T/idtsd.db" "$T/clean.db"
cp "$T/idtsd.db.anchor" "$T/clean.anchor"

# verify_after WHAT: start on the tampered file, ask verify; sets BODY_OUT.
verify_after() {
	start_daemon --test-clock
	sign_in mo 8888
	api GET /audit/verify
	expect_status 200
	checks=$((checks + 1))
	[ "$(jqout .ok)" = false ] || fail "$1: verify still says ok: $BODY_OUT"
}

# restore: the untouched file and its anchor, the daemon stopped (if it
# is not already).
restore() {
	[ -z "$DAEMON_PID" ] || stop_daemon
	cp "$T/clean.db" "$T/idtsd.db"
	rm -f "$T/idtsd.db-wal" "$T/idtsd.db-shm"
	cp "$T/clean.anchor" "$T/idtsd.db.anchor"
}

# --- 1: the last five entries deleted (and the table's anchors with them) --
HEAD=$(sql 'SELECT max(seq) FROM audit')
sql "DROP TRIGGER audit_no_delete; DROP TRIGGER audit_anchors_no_delete;
    DELETE FROM audit WHERE seq > $HEAD - 5; DELETE FROM audit_anchors"
verify_after "the last five entries deleted"
checks=$((checks + 1))
[ "$(jqout '"\(.problem) \(.at)"')" = "truncated $SIGNED" ] ||
    fail "truncation not reported at the signed head $SIGNED: $BODY_OUT"
# The ward writes on past the cut until the chain is longer than the signed
# head again: the start-up recorded the cut (audit.truncated), so it is
# still the cut, not a rewrite at the head.
checks=$((checks + 1))
[ "$(sql "SELECT count(*) FROM audit WHERE action = 'audit.truncated' AND record_id = '$SIGNED'")" = 1 ] ||
    fail "the start-up did not record the cut below the signed head"
while [ "$(sql 'SELECT max(seq) FROM audit')" -le "$SIGNED" ]; do
	sign_in mo 8888
done
api GET /audit/verify
checks=$((checks + 1))
[ "$(jqout '"\(.problem) \(.at)"')" = "truncated $SIGNED" ] ||
    fail "the cut read as a rewrite once the chain grew past the head: $BODY_OUT"
checks=$((checks + 1))
grep -q "audit anchor: not signing: the chain is truncated" "$T/daemon.log" ||
    fail "the daemon signed a new head over a truncated chain"
IDTS_SERVER="http://127.0.0.1:$PORT" IDTS_TOKEN=$TOKEN "$IDTSCTL" audit verify \
    > "$T/ctl.out" 2>&1 &&
    fail "idtsctl audit verify succeeded on a truncated chain"
checks=$((checks + 1))
grep -q "AUDIT TRAIL FAILS: truncated at entry $SIGNED" "$T/ctl.out" ||
    fail "idtsctl does not say truncated: $(cat "$T/ctl.out")"
restore

# --- 2: one entry rewritten and every hash after it recomputed ------------
# hex2bin HEX: the bytes (printf's octal escapes, POSIX sh and awk only).
hex2bin() {
	# shellcheck disable=SC2059
	printf "$(printf '%s' "$1" | awk 'BEGIN { h = "0123456789ABCDEF" } {
	    for (i = 1; i <= length($0); i += 2) {
		hi = index(h, substr($0, i, 1)) - 1
		lo = index(h, substr($0, i + 1, 1)) - 1
		printf "\\%03o", hi * 16 + lo
	    } }')"
}
# rehash_from SEQ: recompute the chain from SEQ on as audit_hash() does:
# SHA-256 of the previous hash's bytes, "seq\nat\n", then each of actor,
# action, record type, record id and detail as "length:bytes".
rehash_from() {
	prev=$(sql "SELECT prev_hash FROM audit WHERE seq = $1")
	for s in $(sql "SELECT seq FROM audit WHERE seq >= $1 ORDER BY seq"); do
		row=$(sql "SELECT at, hex(actor_id), hex(action),
		    hex(record_type), hex(record_id), hex(detail)
		    FROM audit WHERE seq = $s")
		at=${row%%|*}
		hash=$({
			hex2bin "$(echo "$prev" | tr a-f A-F)"
			printf '%s\n%s\n' "$s" "$at"
			echo "${row#*|}" | tr '|' '\n' | while read -r h; do
				printf '%d:' $((${#h} / 2))
				hex2bin "$h"
			done
		} | sha256sum | cut -d' ' -f1)
		echo "UPDATE audit SET prev_hash = '$prev', hash = '$hash' WHERE seq = $s;"
		prev=$hash
	done > "$T/rehash.sql"
	sql "$(cat "$T/rehash.sql")"
}
# First, that it recomputes the daemon's own hashes: unchanged.
REWRITTEN=$((HEAD - 3))
sql "DROP TRIGGER audit_no_update"
before=$(sql "SELECT group_concat(hash) FROM audit WHERE seq >= $REWRITTEN")
rehash_from $REWRITTEN
checks=$((checks + 1))
[ "$(sql "SELECT group_concat(hash) FROM audit WHERE seq >= $REWRITTEN")" = \
    "$before" ] || fail "the test's rehashing is not audit_hash()"
sql "UPDATE audit SET detail = '{\"rewritten\":true}' WHERE seq = $REWRITTEN"
rehash_from $REWRITTEN
verify_after "an entry rewritten and the chain rehashed"
checks=$((checks + 1))
[ "$(jqout '"\(.problem) \(.at)"')" = "rehashed $SIGNED" ] ||
    fail "rehashing not reported at the signed head $SIGNED: $BODY_OUT"
restore

# --- 3: a register entry edited, the balances after it re-chained ---------
FIRST=$(sql "SELECT seq FROM register_entries WHERE reference = 'INV-1'")
sql "DROP TRIGGER register_no_update;
    $(sql "SELECT 'DROP TRIGGER ' || name || ';' FROM sqlite_master WHERE
    type = 'trigger' AND tbl_name = 'register_entries' AND name <>
    'register_no_update'")
    UPDATE register_entries SET quantity = quantity - 40000 WHERE seq = $FIRST;
    UPDATE register_entries SET balance_after = balance_after - 40000
    WHERE product_id = '$PRODUCT' AND seq >= $FIRST"
CHANGED=$(sql "SELECT group_concat(id, ' ') FROM register_entries
    WHERE product_id = '$PRODUCT' AND seq >= $FIRST")
verify_after "a register entry edited with its balances re-chained"
checks=$((checks + 1))
[ "$(jqout '"\(.problem) \(.at.table)"')" = "row_changed register_entries" ] ||
    fail "the register edit not reported: $BODY_OUT"
checks=$((checks + 1))
case " $CHANGED " in
*" $(jqout .at.id) "*) ;;
*) fail "the register row reported is not one edited: $BODY_OUT" ;;
esac
restore

# --- 3b: a register entry deleted, the balances after it re-chained ------
GONE=$(sql "SELECT id FROM register_entries WHERE reference = 'INV-2'")
sql "DROP TRIGGER register_no_delete;
    $(sql "SELECT 'DROP TRIGGER ' || name || ';' FROM sqlite_master WHERE
    type = 'trigger' AND tbl_name = 'register_entries' AND name <>
    'register_no_delete'")
    UPDATE register_entries SET balance_after = balance_after - 100000
    WHERE product_id = '$PRODUCT' AND seq > (SELECT seq FROM
    register_entries WHERE id = '$GONE');
    DELETE FROM register_entries WHERE id = '$GONE'"
verify_after "a register entry deleted with the balances re-chained"
checks=$((checks + 1))
[ "$(jqout '"\(.problem) \(.at.table) \(.at.id)"')" = \
    "row_missing register_entries $GONE" ] ||
    fail "the deleted register entry not reported: $BODY_OUT"
restore

# --- 4: a dose edited -------------------------------------------------------
DOSE=$(sql "SELECT id FROM doses WHERE state = 'missed' LIMIT 1")
[ -n "$DOSE" ] || fail "no missed dose to edit"
sql "UPDATE doses SET state = 'refused', reason = 'declined' WHERE id = '$DOSE'"
verify_after "a dose edited"
checks=$((checks + 1))
[ "$(jqout '"\(.problem) \(.at.table) \(.at.id)"')" = "row_changed doses $DOSE" ] ||
    fail "the dose edit not reported at the dose: $BODY_OUT"
restore

# --- 5: an observation's NEWS2 of 7 rewritten as a 0 ------------------------
sql "UPDATE observations SET respiratory_rate = 16, spo2 = 97, pulse = 70,
    total = 0, band = 'zero', red_parameter = NULL WHERE id = '$OBSERVATION'"
verify_after "an observation edited"
checks=$((checks + 1))
[ "$(jqout '"\(.problem) \(.at.table) \(.at.id)"')" = \
    "row_changed observations $OBSERVATION" ] ||
    fail "the observation edit not reported at the observation: $BODY_OUT"
restore

# --- 6: a forged anchor file -----------------------------------------------
jq -c '.seq = .seq - 1' "$T/clean.anchor" > "$T/idtsd.db.anchor"
verify_after "a forged anchor file"
checks=$((checks + 1))
[ "$(jqout .problem)" = anchor_invalid ] ||
    fail "the forged anchor not reported: $BODY_OUT"
restore

# --- 7: nurse added to the admin's roles in the file -----------------------
ADMIN=$(sql "SELECT id FROM staff WHERE username = 'admin'")
sql "UPDATE staff SET roles = roles | 1 WHERE id = '$ADMIN'"
verify_after "nurse added to the admin's roles"
checks=$((checks + 1))
[ "$(jqout '"\(.problem) \(.at.table) \(.at.id)"')" = \
    "row_changed staff $ADMIN" ] ||
    fail "the admin's roles edit not reported at the admin: $BODY_OUT"
restore

# --- 8: the admin's PIN hash copied onto carl, who then signs in -----------
CARL=$(sql "SELECT id FROM staff WHERE username = 'carl'")
sql "UPDATE staff SET pin_hash = (SELECT pin_hash FROM staff WHERE
    username = 'admin') WHERE id = '$CARL'"
start_daemon --test-clock
sign_in carl 1111
stop_daemon
verify_after "the admin's PIN hash copied onto carl, who signed in"
checks=$((checks + 1))
[ "$(jqout '"\(.problem) \(.at.table) \(.at.id)"')" = \
    "row_changed staff $CARL" ] ||
    fail "carl's PIN hash edit not reported at carl (or his sign-in made" \
    "it look right): $BODY_OUT"
restore

# --- 9: the tail, every signed head (rows and file) deleted ----------------
HEAD=$(sql 'SELECT max(seq) FROM audit')
sql "DROP TRIGGER audit_no_delete; DROP TRIGGER audit_anchors_no_delete;
    DELETE FROM audit WHERE seq > $HEAD - 5; DELETE FROM audit_anchors"
rm "$T/idtsd.db.anchor"
LEFT=$(sql "SELECT max(seq) FROM audit WHERE action = 'audit.anchor'")
verify_after "the tail and every signed head deleted"
checks=$((checks + 1))
[ "$(jqout .problem)" = anchor_missing ] ||
    fail "the deleted signed heads not reported: $BODY_OUT"
checks=$((checks + 1))
grep -q "audit anchor: NOT SIGNING: entry $LEFT says" "$T/daemon.log" ||
    fail "the daemon does not say why it does not sign"
stop_daemon
checks=$((checks + 1))
[ "$(sql 'SELECT count(*) FROM audit_anchors')" = 0 ] &&
    [ ! -e "$T/idtsd.db.anchor" ] ||
    fail "the daemon signed the shortened chain as if it were the first time"
checks=$((checks + 1))
[ "$(sql "SELECT count(*) FROM alerts WHERE kind = 'audit_anchor_refused'
    AND audience = 'manager' AND severity = 'urgent'")" = 1 ] ||
    fail "the managers were not told once that the head was not signed"
start_daemon --test-clock
sign_in mo 8888
api GET /audit/verify
checks=$((checks + 1))
[ "$(jqout '"\(.ok) \(.problem)"')" = "false anchor_missing" ] ||
    fail "after a restart the deleted signed heads are no longer" \
    "reported: $BODY_OUT"
# The operator may adopt the chain as it is, at the console, and says so.
stop_daemon
start_daemon --test-clock --anchor-adopt
sign_in mo 8888
api GET /audit/verify
checks=$((checks + 1))
[ "$(jqout '.ok and .anchored')" = true ] &&
    grep -q "audit anchor: ADOPTING the chain as it is" "$T/daemon.log" ||
    fail "--anchor-adopt did not sign the chain as it is: $BODY_OUT"
restore

# --- 10: cut below the first signing, every signed head deleted ------------
# (as a chain rewritten without its audit.anchor entries looks): a chain
# that was not empty at start-up gets no first head without the operator.
FIRST_ANCHOR=$(sql "SELECT min(seq) FROM audit WHERE action = 'audit.anchor'")
sql "DROP TRIGGER audit_no_delete; DROP TRIGGER audit_anchors_no_delete;
    DELETE FROM audit WHERE seq >= $FIRST_ANCHOR; DELETE FROM audit_anchors"
rm "$T/idtsd.db.anchor"
verify_after "cut below the first signing, every signed head deleted"
checks=$((checks + 1))
grep -q "audit anchor: NOT SIGNING: the chain has entries and no signed head" \
    "$T/daemon.log" || fail "the daemon does not say why it does not sign"
stop_daemon
checks=$((checks + 1))
[ "$(sql 'SELECT count(*) FROM audit_anchors')" = 0 ] &&
    [ ! -e "$T/idtsd.db.anchor" ] ||
    fail "the daemon signed a chain it did not see begin as if it were new"
restore

# --- and untouched, it still verifies --------------------------------------
start_daemon --test-clock
sign_in mo 8888
api GET /audit/verify
expect_status 200
checks=$((checks + 1))
[ "$(jqout '.ok and .anchored')" = true ] ||
    fail "the restored database does not verify: $BODY_OUT"

# --- without audit.key, anchoring is off and verify says so ----------------
stop_daemon
EXTRA_CONFIG=""
start_daemon --test-clock
sign_in mo 8888
api GET /audit/verify
expect_status 200
checks=$((checks + 1))
[ "$(jqout '.ok and (.anchored | not) and (.message |
    test("anchoring is off"))')" = true ] ||
    fail "verify does not say anchoring is off: $BODY_OUT"

# --- a new unit: --init-admin at the console signs the first head ----------
# (the daemon's first start then finds the chain anchored, with no
# --anchor-adopt).
stop_daemon
rm -f "$T/idtsd.db" "$T/idtsd.db-wal" "$T/idtsd.db-shm" "$T/idtsd.db.anchor"
EXTRA_CONFIG="audit = { key = \"$KEY\"; anchor_interval_minutes = 15; };"
write_config "$EXTRA_CONFIG"
: > "$T/daemon.log"
init_admin boss 424242
checks=$((checks + 1))
[ "$(sql 'SELECT count(*) FROM audit_anchors')" -ge 1 ] &&
    [ -s "$T/idtsd.db.anchor" ] ||
    fail "--init-admin did not sign the chain's head"
start_daemon
sign_in boss 424242
api GET /audit/verify
checks=$((checks + 1))
[ "$(jqout '.ok and .anchored')" = true ] &&
    ! grep -q "NOT SIGNING" "$T/daemon.log" ||
    fail "a new unit's chain is not anchored: $BODY_OUT"

pass
