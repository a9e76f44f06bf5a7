#!/bin/sh
# Shutdown and crashes: SIGTERM and SIGINT stop the daemon with exit 0 and
# "stopped" in the log, within the grace period even while a client holds
# a request half-sent, leaving no write-ahead log behind; after kill -9,
# during a stream of registrations too, a restart finds every answered
# write (staff, patients, their audit entries), nothing half-done, the
# audit chain whole and SQLite's integrity check clean.
. "$(dirname "$0")/lib.sh"

init_admin boss 424242
start_daemon

sign_in boss 424242
api POST /staff '{"username":"rita","display_name":"Rita Reception","roles":["reception"],"pin":"3333"}'
expect_status 201
RITA_ID=$(jqout .id)
api GET /health
NOW=$(jqout .now)
ARRIVED=$(jq -rn --arg now "$NOW" \
    '$now | sub("[.][0-9]+Z$"; "Z") | fromdateiso8601 - 3600 | todateiso8601')
# patient NUMBER: a registration body.
patient() {
	printf '{"prison_number":"%s","given_name":"Pat","family_name":"Doe","date_of_birth":"1980-05-05","arrived_at":"%s","location":"HB1","stimulant_user":false,"community_treatment":null}' \
	    "$1" "$ARRIVED"
}
sign_in rita 3333
for pn in A1000AA A1001AA A1002AA; do
	api POST /patients "$(patient $pn)"
	expect_status 201
done

# --- SIGTERM -------------------------------------------------------------
stop_daemon
checks=$((checks + 1))
grep -q "shutting down" "$T/daemon.log" || fail "no 'shutting down' in the log"
checks=$((checks + 1))
tail -1 "$T/daemon.log" | grep -q "stopped" ||
    fail "the log does not end with 'stopped': $(tail -1 "$T/daemon.log")"
checks=$((checks + 1))
[ ! -s "$T/idtsd.db-wal" ] || fail "a clean stop left a write-ahead log"
checks=$((checks + 1))
[ "$(sql 'PRAGMA integrity_check')" = ok ] || fail "integrity check after SIGTERM"
checks=$((checks + 1))
[ "$(sql 'select count(*) from patients')" = 3 ] ||
    fail "patients lost on SIGTERM"
echo "SIGTERM: exit 0, stopped, no WAL left, 3 patients"

# --- SIGTERM while a client holds a request half-sent -------------------
start_daemon
sign_in rita 3333
mkfifo "$T/slow"
curl -s -m 30 -o /dev/null -X POST -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' -T "$T/slow" "$(BASE)/patients" &
SLOW_PID=$!
exec 3<>"$T/slow"
printf '{"prison_number":' >&3
sleep 0.5
t0=$(date +%s%N)
kill -TERM "$DAEMON_PID"
rc=0
wait "$DAEMON_PID" || rc=$?
DAEMON_PID=""
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
exec 3>&-
kill "$SLOW_PID" 2>/dev/null || true
wait "$SLOW_PID" 2>/dev/null || true
checks=$((checks + 1))
[ "$rc" = 0 ] || fail "SIGTERM with a client connected: exit $rc"
checks=$((checks + 1))
[ "$ms" -lt 6000 ] || fail "SIGTERM with a client connected took $ms ms"
checks=$((checks + 1))
tail -1 "$T/daemon.log" | grep -q "stopped" || fail "no 'stopped' after SIGTERM"
echo "SIGTERM with a half-sent request: exit 0 in $ms ms"

# --- SIGINT --------------------------------------------------------------
start_daemon
kill -INT "$DAEMON_PID"
rc=0
wait "$DAEMON_PID" || rc=$?
DAEMON_PID=""
checks=$((checks + 1))
[ "$rc" = 0 ] || fail "SIGINT: exit $rc"
checks=$((checks + 1))
tail -1 "$T/daemon.log" | grep -q "stopped" || fail "no 'stopped' after SIGINT"
echo "SIGINT: exit 0, stopped"

# --- a second signal while stopping ---------------------------------------
# make run's timeout, systemd and a second ^C send another: it must wait
# until the daemon has exited, not kill the clean-up half-way (exit 143,
# the store left open) nor crash it.  SIGINTs are sent without a pause
# from SIGTERM on, so that some land while the daemon cleans up.
for try in 1 2 3; do
	start_daemon
	kill -TERM "$DAEMON_PID"
	i=0
	while [ $i -lt 20000 ]; do
		kill -INT "$DAEMON_PID" 2>/dev/null || break
		i=$((i + 1))
	done
	rc=0
	wait "$DAEMON_PID" || rc=$?
	DAEMON_PID=""
	checks=$((checks + 1))
	[ "$rc" = 0 ] || fail "SIGINTs after SIGTERM (try $try): exit $rc"
	checks=$((checks + 1))
	tail -1 "$T/daemon.log" | grep -q "stopped" ||
	    fail "SIGINTs after SIGTERM (try $try): no 'stopped'"
done
echo "a second signal while stopping: exit 0, stopped"

# --- kill -9 after answered writes ---------------------------------------
start_daemon
sign_in boss 424242
add_staff ed "Ed Nurse" '["nurse","competent"]' 7777
ED_ID=$(jqout .id)
api PATCH "/staff/$RITA_ID" '{"display_name":"Rita R. Reception"}'
expect_status 200
sign_in rita 3333
api POST /patients "$(patient B2000BB)" \
    -H "Idempotency-Key: $(cat /proc/sys/kernel/random/uuid)"
expect_status 201
P_LAST=$(jqout .id)
kill_daemon
echo "killed -9 straight after the last 201"

start_daemon
sign_in boss 424242
api GET "/staff/$ED_ID"
expect_status 200
checks=$((checks + 1))
[ "$(jqout '.roles | join(",")')" = nurse,competent ] || fail "ed: $BODY_OUT"
api GET "/staff/$RITA_ID"
expect_status 200
checks=$((checks + 1))
[ "$(jqout .display_name)" = "Rita R. Reception" ] || fail "rita's change lost"
sign_in rita 3333	# the patients are not an admin's to read
api GET "/patients/$P_LAST"
expect_status 200
checks=$((checks + 1))
[ "$(jqout .prison_number)" = B2000BB ] || fail "the last patient: $BODY_OUT"
api GET /patients
checks=$((checks + 1))
[ "$(jqout 'map(.prison_number) | sort | join(",")')" = \
    A1000AA,A1001AA,A1002AA,B2000BB ] || fail "patients after kill -9: $BODY_OUT"
sign_in ed 7777
checks=$((checks + 1))
[ "$(sql 'PRAGMA integrity_check')" = ok ] || fail "integrity check after kill -9"

# --- kill -9 in the middle of a stream of registrations -----------------
sign_in rita 3333
: >"$T/acked"
(
	i=0
	while [ $i -lt 400 ]; do
		pn=$(printf 'Z%04dZZ' $i)
		code=$(curl -s -m 5 -o /dev/null -w '%{http_code}' -X POST \
		    -H "Authorization: Bearer $TOKEN" \
		    -H 'Content-Type: application/json' \
		    --data-binary "$(patient "$pn")" "$(BASE)/patients") || true
		if [ "$code" = 201 ]; then
			echo "$pn" >>"$T/acked"
		elif [ "$code" = 000 ]; then
			break
		fi
		i=$((i + 1))
	done
) &
WRITER=$!
sleep 1
kill_daemon
wait "$WRITER" || true
acked=$(wc -l <"$T/acked")
checks=$((checks + 1))
[ "$acked" -gt 0 ] || fail "no registration was answered before the kill"
echo "killed -9 after $acked answered registrations in a stream"

start_daemon
sign_in rita 3333
api GET '/patients?status=in_custody'
expect_status 200
jqout '.[].prison_number' | sort >"$T/present"
checks=$((checks + 1))
missing=$(sort "$T/acked" | comm -23 - "$T/present")
[ -z "$missing" ] || fail "answered but lost: $missing"
checks=$((checks + 1))
[ "$(sql 'select count(*) from patients')" = \
    "$(sql "select count(*) from audit where action = 'patient.create'")" ] ||
    fail "a patient without its audit entry, or the reverse"
sign_in boss 424242
api GET /audit/verify
expect_status 200
checks=$((checks + 1))
[ "$(jqout .ok)" = true ] || fail "the audit chain is broken: $BODY_OUT"
checks=$((checks + 1))
[ "$(sql 'PRAGMA integrity_check')" = ok ] || fail "integrity check"
checks=$((checks + 1))
[ "$(sql 'PRAGMA foreign_key_check' | wc -l)" = 0 ] ||
    fail "foreign key violations after kill -9"
echo "after restart: every answered registration is there, chain verifies"

stop_daemon
checks=$((checks + 1))
[ "$(sql 'PRAGMA integrity_check')" = ok ] || fail "integrity check at the end"
pass
