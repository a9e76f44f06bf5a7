# Shared by tests/bench/signoff.sh, round.sh and register.sh: staff made
# through the API, a register page with stock in it, and a ward of
# patients each on a maintenance prescription, seeded with sqlite3 into
# the stopped daemon's database as the rows schema/003_doses_register.sql
# keeps.  Source it after benchlib.sh; the daemon's clock is the test
# clock (start_daemon "$DB" --test-clock) unless a script says otherwise.
#
# Staff: admin (from --init-admin), pharm1 (pharmacist), doc1 (prescriber)
# and nurse1..nurseN (nurses; nurse i's PIN is 7000 + i).

PHARM_PIN=8181
DOC_PIN=9191

# nurse_pin I: nurse I's PIN.
nurse_pin() {
	echo $((7000 + $1))
}

# add_staff USERNAME ROLE PIN: a new member of staff, made by admin; a
# guarded role's grant, which waits for a second admin, approved by
# bench.approver (made by init_db at the console).
APPROVER_TOKEN=""
add_staff() {
	change=$(call POST /staff 201 "{\"username\":\"$1\",\"display_name\":\"Bench $1\",\"roles\":[\"$2\"],\"pin\":\"$3\"}" \
	    "$ADMIN_TOKEN" | jq -r '.pending_change.id // empty')
	[ -n "$change" ] || return 0
	[ -n "$APPROVER_TOKEN" ] ||
	    APPROVER_TOKEN=$(sign_in bench.approver "$APPROVER_PIN")
	call POST "/staff/changes/$change/approve" 200 "" "$APPROVER_TOKEN" \
	    >/dev/null
}

# staff_setup NURSES: pharm1, doc1 and nurse1..NURSES.  Sets ADMIN_TOKEN,
# ADMIN_ID, PHARM_ID, DOC_ID, NURSE1_ID and NURSE2_ID.
staff_setup() {
	ADMIN_TOKEN=$(sign_in admin "$ADMIN_PIN")
	add_staff pharm1 pharmacist "$PHARM_PIN"
	add_staff doc1 prescriber "$DOC_PIN"
	n=1
	while [ "$n" -le "$1" ]; do
		add_staff "nurse$n" nurse "$(nurse_pin "$n")"
		n=$((n + 1))
	done
	ADMIN_ID=$(q "SELECT id FROM staff WHERE username = 'admin'")
	PHARM_ID=$(q "SELECT id FROM staff WHERE username = 'pharm1'")
	DOC_ID=$(q "SELECT id FROM staff WHERE username = 'doc1'")
	NURSE1_ID=$(q "SELECT id FROM staff WHERE username = 'nurse1'")
	NURSE2_ID=$(q "SELECT id FROM staff WHERE username = 'nurse2'")
}

# product_setup ML: a register page for methadone 1mg/ml oral solution
# and a receipt of ML ml into it (pharm1, witnessed by nurse1).  Sets
# PRODUCT_ID and PHARM_TOKEN.
product_setup() {
	PHARM_TOKEN=$(sign_in pharm1 "$PHARM_PIN")
	PRODUCT_ID=$(call POST /products 201 '{"name":"Methadone","form":"oral solution","strength":"1mg/ml","unit":"ml"}' \
	    "$PHARM_TOKEN" | jq -r .id)
	call POST "/register/$PRODUCT_ID/receipts" 201 "{\"quantity\":$1,\"supplier\":\"Bench Pharmacy\",\"reference\":\"BENCH-1\",\"witness\":{\"username\":\"nurse1\",\"pin\":\"$(nurse_pin 1)\"}}" \
	    "$PHARM_TOKEN" >/dev/null
}

# set_round_clock: move the daemon's test clock to 09:05 (Europe/London)
# two days from now, so the 09:00 round is in its window (08:00 to 11:00)
# whenever the benchmark runs.  Sets DAY (YYYY-MM-DD), NOW_MS and
# DUE_MS (09:00 on DAY).  The daemon keeps the offset in its database;
# moving it is the admin's.
set_round_clock() {
	DAY=$(TZ=Europe/London date -d '+2 days' +%F)
	DUE_MS=$(TZ=Europe/London date -d "$DAY 09:00:00" +%s)000
	NOW_MS=$((DUE_MS + 300000))
	call POST /test/clock 200 "{\"now\":\"$(date -u -d "@$((NOW_MS / 1000))" +%Y-%m-%dT%H:%M:%SZ)\"}" \
	    "$(sign_in admin "$ADMIN_PIN")" >/dev/null
}

# seed_ward NPAT TIMES: with the daemon stopped, in one transaction,
# NPAT patients in custody (arrived two hours before NOW_MS, in four
# houseblocks), each with a running treatment clock and a maintenance
# prescription of 60 ml of PRODUCT_ID a day at TIMES ("09:00" or
# "09:00,17:00") from DAY, written by doc1, nothing laid out yet: the
# scheduler lays out their doses when the daemon starts.
seed_ward() {
	sqlite3 "$DB" <<EOF || fail "seeding the ward failed"
PRAGMA foreign_keys = ON;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n
    WHERE i < $1 - 1)
INSERT INTO patients (id, prison_number, given_name, family_name,
    date_of_birth, arrived_at, location, stimulant_user, status,
    created_by, created_at)
SELECT $PATIENT_ID, $PRISON_NUMBER, 'Bench', printf('Patient%06d', i),
    '1990-01-01', $NOW_MS - 7200000, printf('Houseblock %d', 1 + i % 4),
    0, 'in_custody', '$ADMIN_ID', $NOW_MS - 7200000 FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n
    WHERE i < $1 - 1)
INSERT INTO care_clocks (id, patient_id, kind, started_at, warn_at, due_at)
SELECT printf('00000000-0000-4000-9000-%012x', i), $PATIENT_ID,
    'treatment_continued', $NOW_MS - 7200000, $NOW_MS + 57600000,
    $NOW_MS + 79200000 FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n
    WHERE i < $1 - 1)
INSERT INTO prescriptions (id, patient_id, product_id, regimen, dose, times,
    every_days, start_date, end_date, prescriber_id, created_at, starts_at,
    ends_at)
SELECT printf('00000000-0000-4000-c000-%012x', i), $PATIENT_ID,
    '$PRODUCT_ID', 'maintenance', 60000, '$2', 1, '$DAY', NULL, '$DOC_ID',
    $NOW_MS - 3600000, $(local_midnight_ms "$DAY"), 9223372036854775807
    FROM n;
COMMIT;
EOF
}

# local_midnight_ms DAY: when a local date (Europe/London) begins, in ms.
local_midnight_ms() {
	echo $(( $(TZ=Europe/London date -d "$1 00:00" +%s) * 1000 ))
}

# wait_due N: wait (at most two minutes) until N doses are due, the
# scheduler having laid them out and opened their windows; prints how
# long that took.
wait_due() {
	t_w0=$(now_ms)
	while :; do
		kill -0 "$DAEMON_PID" 2>/dev/null || fail "the daemon died"
		due=$(q "SELECT count(*) FROM doses WHERE state = 'due'") ||
		    due=0
		[ "$due" -ge "$1" ] && break
		[ $(($(now_ms) - t_w0)) -lt 120000 ] ||
		    fail "two minutes after start only $due of $1 doses are due"
		sleep 0.2
	done
	echo "scheduler:         $(q "SELECT count(*) FROM doses") doses laid out, $due due, $(( $(now_ms) - t_w0 )) ms after the daemon answered"
}
