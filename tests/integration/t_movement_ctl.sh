#!/bin/sh
# Court and release mornings with idtsctl alone (the test clock set with
# curl), in winter so that local time is GMT: the evening before,
# reception books a court escort at 08:30 for a patient whose methadone
# is due at 09:00 (moved to 08:00, the lead alert at 07:30), one at 09:15
# for a patient with no prescription (no dose today), and a release with
# its community follow-up; the night staff read tomorrow's court list.
# Refusals exit 1 with the daemon's message and code (a prison number
# nobody has, a departure in the past, return without departure, a
# release returned, a released patient booked again, a cancelled booking
# cancelled) and change nothing; usage errors exit 2 and send nothing.
# The morning: an escort at 06:15 booked at 05:30 (the earliest time
# wins, the ward alerted at once) leaves without the dose (missed, the
# managers alerted); the 08:30 escort leaves after the dose is given; the
# escort's summary and the discharge letter are printed exactly as the
# daemon renders them, with the last dose and its register entry; back
# from court; a booking cancelled puts the dose back at its own time.
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/ctllib.sh
. "$(dirname "$0")/ctllib.sh"

login_all() {
	for who in boss:424242 rita:1111 phil:2222 doc:3333 nina:4444 \
	    mo:6666; do
		as "${who%:*}" IDTS_PIN="${who#*:}" $C login "${who%:*}" \
		    >/dev/null || fail "login ${who%:*}"
	done
}

# short_id PRISON_NUMBER: the dose id on the patient's line of a round.
short_id() {
	awk -v pn="$1" '$0 ~ pn { print $NF }' "$T/ctl.out"
}

# movement_id: the id a movement command printed.
movement_id() {
	awk '$1 == "id" { print $2 }' "$T/ctl.out"
}

# summary_as_daemon MOVEMENT WHAT: idtsctl movement summary prints, byte
# for byte, the daemon's answer to GET /movements/MOVEMENT/summary with
# Accept: text/plain.  The text ends with the minute it was printed and
# the test clock runs on, so the daemon is asked just before and just
# after: the output must be one of the two.
summary_as_daemon() {
	sign_in nina 4444
	api GET "/movements/$1/summary" "" -H "Accept: text/plain"
	expect_status 200
	mv "$T/out" "$T/before"
	ok as nina $C movement summary "$1"
	api GET "/movements/$1/summary" "" -H "Accept: text/plain"
	expect_status 200
	checks=$((checks + 1))
	cmp -s "$T/before" "$T/ctl.out" || cmp -s "$T/out" "$T/ctl.out" ||
	    fail "$2: idtsctl printed other than the daemon's text:
$(diff "$T/out" "$T/ctl.out")"
}

FP_TABLES="movements movement_doses doses alerts prescriptions patients"

# ========================================================================
# Monday 11 January 2027, 20:00 GMT: the evening before.
# ========================================================================
clock_to 2027-01-11T20:00:00Z
IDTS_PIN=424242 ok as boss $C login boss
add_staff "rita Rita_Reception reception 1111" \
    "phil Phil_Pharmacist pharmacist 2222" "doc Dr_Doc prescriber 3333" \
    "nina Nina_Nurse nurse 4444" "mo Mo_Manager manager 6666" \
    "carl Carl_Competent competent 7777"
login_all
ok as phil $C products add --name Methadone --form "oral solution" \
    --strength 1mg/ml --unit ml
ok as phil IDTS_WITNESS_PIN=7777 $C receive Methadone --quantity 500 \
    --supplier Alliance --reference INV-1 --witness carl
for p in "A1001AA Alan Able A1-01" "B2002BB Bea Baker A1-02" \
    "C3003CC Cy Cole A2-01" "D4004DD Dee Dunn A2-02"; do
	# shellcheck disable=SC2086
	set -- $p
	ok as rita $C arrive --number "$1" --given "$2" --family "$3" \
	    --dob 1985-05-05 --location "$4" --no-stimulant \
	    --arrived 2027-01-10T18:00:00Z
done
ok as doc $C prescribe A1001AA --product Methadone --dose 60 \
    --times 09:00 --start 2027-01-11
ok as doc $C prescribe C3003CC --product Methadone --dose 40 \
    --times 09:00 --start 2027-01-11
ok as doc $C prescribe D4004DD --product Methadone --dose 50 \
    --times 08:00 --start 2027-01-11

# --- reception books tomorrow's movements --------------------------------
ok as rita $C movement add A1001AA --kind court \
    --departs "2027-01-12 08:30" --to "Leeds Crown Court"
out_has "^booked: court to Leeds Crown Court, departs 2027-01-12 08:30 GMT: planned$" \
    "add: the movement"
out_has "^  patient  *A1001AA  Able, Alan  A1-01$" "add: the patient"
out_has "^  morning dose  60 ml Methadone 1mg/ml, due 08:00 (moved from 09:00): scheduled$" \
    "add: the dose moved to 08:00"
out_has "^  lead alert  *2027-01-12 07:30 GMT, if the morning dose is not given by then$" \
    "add: the lead alert"
MV_A=$(movement_id)
[ ${#MV_A} = 36 ] || fail "no movement id: $(cat "$T/ctl.out")"

# The one local time grammar: a bare time of day is today's (gone by
# now, so refused), tomorrow's is written so.
status_is 1 as rita $C movement add B2002BB --kind court --departs 09:15 \
    --to "Bradford Magistrates"
err_has "departure time has passed" "add HH:MM: today's, gone by"
ok as rita $C movement add B2002BB --kind court \
    --departs "tomorrow 09:15" --to "Bradford Magistrates"
out_has "^booked: court to Bradford Magistrates, departs 2027-01-12 09:15 GMT: planned$" \
    "add tomorrow HH:MM"
out_has "^  morning dose  none: no dose today$" "add: no prescription"
out_has "^  lead alert  *none (no morning dose)$" "add: no lead alert"
MV_B=$(movement_id)

# RFC 3339, and the community follow-up of a release.
ok as rita $C --json movement add C3003CC --kind release \
    --departs 2027-01-12T11:00:00Z --to "home, Leeds" \
    --follow-up "Leeds CDT, Dr Shah, Wed 13 Jan 10:00"
jq_is '"\(.kind) \(.state) \(.departs_at) \(.follow_up) \(.patient.prison_number)"' \
    "release planned 2027-01-12T11:00:00Z Leeds CDT, Dr Shah, Wed 13 Jan 10:00 C3003CC" \
    "--json add"
jq_is '.morning_dose | "\(.due_at) \(.moved) \(.state)"' \
    "2027-01-12T09:00:00Z false scheduled" "--json add: the dose stays at 09:00"
MV_C=$(jq -r .id "$T/ctl.out")

# --- the night staff's court list: tomorrow by default -------------------
ok as nina $C court-list
out_has "^court list on 2027-01-12: 2 people$" "court-list: the count"
out_has "^DEPARTS  *PRISON NO  *NAME  *LOCATION  *DESTINATION  *KIND  *STATE  *MORNING DOSE  *DUE  *DOSE STATE  *ID$" \
    "court-list: the headings"
out_has "^08:30  *A1001AA  *Able, Alan  *A1-01  *Leeds Crown Court  *court  *planned  *60 ml Methadone 1mg/ml  *08:00 (moved from 09:00)  *scheduled  *$MV_A$" \
    "court-list: the moved dose"
out_has "^09:15  *B2002BB  *Baker, Bea  *A1-02  *Bradford Magistrates  *court  *planned  *no dose today  .*$MV_B$" \
    "court-list: no dose today"
out_lacks "C3003CC" "court-list: the release is not a court escort"
checks=$((checks + 1))
[ "$(grep -n A1001AA "$T/ctl.out" | cut -d: -f1)" -lt \
    "$(grep -n B2002BB "$T/ctl.out" | cut -d: -f1)" ] ||
    fail "court-list not in order of departure: $(cat "$T/ctl.out")"
ok as nina $C court-list 2027-01-12
out_has "^court list on 2027-01-12: 2 people$" "court-list DATE"
ok as nina $C court-list today
out_has "^court list on 2027-01-11: nobody$" "court-list today"
ok as nina $C --json court-list tomorrow
jq_is '[.[] | "\(.patient.prison_number):\(.morning_dose.moved // "none")"] | join(" ")' \
    "A1001AA:true B2002BB:none" "--json court-list"
ok as nina $C movement list tomorrow
out_has "^movements on 2027-01-12: 3 people$" "movement list: all kinds"
out_has "^11:00  *C3003CC  *Cole, Cy  *A2-01  *home, Leeds  *release  *planned  *40 ml Methadone 1mg/ml  *09:00  *scheduled " \
    "movement list: the release"
ok as nina $C movement list
out_has "^movements on 2027-01-11: nobody$" "movement list: today's"

# --- refusals: the daemon's message and code, nothing changed -------------
FP=$(table_fingerprint $FP_TABLES)
status_is 1 as rita $C movement add Z9999ZZ --kind court \
    --departs "2027-01-12 10:00" --to "Leeds Crown Court"
err_has "[unknown_patient]" "a prison number nobody has"
err_has "Z9999ZZ" "the prison number named"
status_is 1 as rita $C movement add 00000000-0000-4000-8000-000000000000 \
    --kind court --departs "2027-01-12 10:00" --to "Leeds Crown Court"
err_has "[unknown_patient]" "a patient id nobody has"
status_is 1 as rita $C movement add B2002BB --kind transfer \
    --departs "2027-01-11 10:00" --to "HMP Wakefield"
err_has "[departs_in_past]" "a departure this morning"
status_is 1 as rita $C movement add A1001AA --kind court \
    --departs "2027-01-13 08:30" --to "Leeds Crown Court"
err_has "[movement_exists]" "a second court escort"
status_is 1 as rita $C movement return "$MV_A"
err_has "[not_departed]" "return without departure"
status_is 1 as rita $C movement return "$MV_A" --at 19:00
err_has "[not_departed]" "return without departure, --at"
status_is 1 as doc $C movement depart "$MV_A"
err_has "[forbidden]" "a prescriber cannot depart"
status_is 1 as nina $C movement summary 00000000-0000-4000-8000-000000000000
err_has "[not_found]" "summary of no movement"
status_is 1 as nina $C movement summary 00000000-0000-4000-8000-000000000000 \
    --json
err_has "[not_found]" "--json summary of no movement"
checks=$((checks + 1))
[ "$(table_fingerprint $FP_TABLES)" = "$FP" ] || fail "a refusal changed something"

# Usage errors: exit 2, nothing sent (not even to a daemon not there).
DB=$(db_fingerprint)
for bad in "movement add A1001AA --kind bus --departs 09:00 --to X" \
    "movement add A1001AA --kind court --departs soon --to X" \
    "movement add A1001AA --kind court --departs 25:00 --to X" \
    "movement add A1001AA --kind court --departs 09:00" \
    "movement add A1001AA --kind court --departs 09:00 --to X --follow-up Y" \
    "movement add 12345 --kind court --departs 09:00 --to X" \
    "movement depart not-an-id" \
    "movement depart $MV_A --at yesterday" \
    "movement cancel $MV_A" \
    "movement summary" \
    "court-list 2027-02-30" "court-list next-week" \
    "movement list today tomorrow"; do
	# shellcheck disable=SC2086
	status_is 2 as rita $C -s http://127.0.0.1:1 $bad
done
status_is 2 as rita $C movement add A1001AA --kind court --departs 09:00 \
    --to X --follow-up Y
err_has "--follow-up is the community follow-up of a release" \
    "follow-up on a court escort"
status_is 2 as rita $C movement cancel "$MV_A"
err_has "usage: idtsctl movement cancel MOVEMENT_ID --reason TEXT" \
    "cancel without a reason"
checks=$((checks + 1))
[ "$(db_fingerprint)" = "$DB" ] || fail "a usage error changed the database"

# The escort's summary before anything is given: printed as rendered.
summary_as_daemon "$MV_A" "summary before the dose"
out_has "^Prescription summary for the escort record$" "summary: the title"
out_has "^  Patient  *Able, Alan$" "summary: the patient"
out_has "^  Prison number  *A1001AA$" "summary: the prison number"
out_has "^  Date of birth  *1985-05-05$" "summary: the date of birth"
out_has "^  Movement  *court to Leeds Crown Court$" "summary: the movement"
out_has "^  Current dose  *60 ml$" "summary: the dose"
out_has "^  Last dose  *none given here$" "summary: no dose given yet"
out_has "^PRINTED BEFORE THE MORNING DOSE: reprint after it$" \
    "summary before the dose says so in its header"
out_has "^  Today  *today's dose not given yet: due Tue 12 Jan 08:00 GMT$" \
    "summary before the dose: due at its moved time"
ok as nina $C movement summary "$MV_A" --json
jq_is '"\(.kind) \(.patient.prison_number) \(.prescriptions | length) \(.prescriptions[0].last_dose)"' \
    "prescription_summary A1001AA 1 null" "summary --json"
ok as nina $C --json movement summary "$MV_A"
jq_is '.movement.id' "$MV_A" "--json summary"

# ========================================================================
# Tuesday 12 January, 05:30: an escort at 06:15 booked at the last
# minute.  08:00 less 30 minutes would be 05:45, before the earliest
# time: the dose is due at 06:00 and the ward is alerted at once.
# ========================================================================
clock_to 2027-01-12T05:30:00Z
login_all
ok as rita $C movement add D4004DD --kind court --departs 06:15 \
    --to "Leeds Crown Court"
out_has "^booked: court to Leeds Crown Court, departs 2027-01-12 06:15 GMT: planned$" \
    "the last-minute booking"
out_has "^  morning dose  50 ml Methadone 1mg/ml, due 06:00 (moved from 08:00): " \
    "the earliest time wins"
out_has "^  lead alert  *raised: the ward has been told the morning dose is not given$" \
    "the lead alert at once"
MV_D=$(movement_id)
ok as nina $C alerts
out_has "urgent .*ward.*morning dose not given: the escort for court (Leeds Crown Court) at Tue 12 Jan 06:15 GMT leaves soon" \
    "the ward's alert"

# 06:20: the escort leaves without it.
clock_to 2027-01-12T06:20:00Z
login_all
ok as rita $C movement depart "$MV_D"
out_has "^court to Leeds Crown Court, departs 2027-01-12 06:15 GMT: departed$" \
    "depart: the state"
out_has "^  departed  *2027-01-12 06:20 GMT by Rita Reception (rita)$" \
    "depart: when and by whom"
out_has "^LEFT WITHOUT DOSE: 50 ml Methadone 1mg/ml, due 06:00 (moved from 08:00): missed$" \
    "depart: the dose left without"
out_has "^  the managers have been alerted$" "depart: the managers told"
status_is 1 as rita $C movement depart "$MV_D"
err_has "[already_departed]" "departing twice"
ok as mo $C alerts
out_has "urgent .*manager" "the managers' alert"

# 07:40: the 08:30 escort's dose, given at the moved time.
clock_to 2027-01-12T07:40:00Z
login_all
ok as nina $C court-list today
out_has "^06:15  *D4004DD  .*court  *departed  *50 ml Methadone 1mg/ml  *06:00 (moved from 08:00)  *missed " \
    "court-list today: the dose missed"
out_has "^08:30  *A1001AA  .*planned  *60 ml Methadone 1mg/ml  *08:00 (moved from 09:00)  *due " \
    "court-list today: the dose due"
ok as nina $C round
D_A=$(short_id A1001AA)
[ ${#D_A} = 8 ] || fail "no dose for A1001AA: $(cat "$T/ctl.out")"
ok as nina IDTS_WITNESS_PIN=7777 $C give "$D_A" $(cautions_flags "$D_A") --witness carl
ok as nina $C --json register Methadone
ENTRY_A=$(jq -r '.entries[-1].id' "$T/ctl.out")

# 08:35: the escort leaves with the dose given.
clock_to 2027-01-12T08:35:00Z
login_all
ok as rita $C movement depart "$MV_A"
out_has "^  morning dose  60 ml Methadone 1mg/ml, due 08:00 (moved from 09:00): given$" \
    "depart: the dose given"
out_has "^the morning dose was given before the escort left$" \
    "depart: nothing left without"
out_lacks "LEFT WITHOUT" "depart after the dose"
summary_as_daemon "$MV_A" "summary after the dose"
out_has "^  Departs  *Tue 12 Jan 08:30 GMT (left Tue 12 Jan 08:35 GMT)$" \
    "summary: departed"
out_has "^  Last dose  *60 ml given Tue 12 Jan 07:40 GMT, by Nina Nurse (nina)," \
    "summary: the last dose"
out_has "witnessed by Carl Competent (carl); in the CD register" \
    "summary: the witness"
out_has "^  Today  *today's dose given Tue 12 Jan 07:40 GMT$" \
    "summary: today's dose given"
out_lacks "[0-9a-f]\{8\}-[0-9a-f]\{4\}-" "summary: no internal id (the register entry's)"
out_lacks "PRINTED BEFORE" "summary after the dose: no reprint note"
out_has "^  Hold  *none$" "summary: no hold"
ok as nina $C movement summary "$MV_A" --json
jq_is '.prescriptions[0].last_dose.register_entry_id' "$ENTRY_A" \
    "summary --json: the register entry, for a program"

# 09:20: the second escort leaves; no dose to leave without.
clock_to 2027-01-12T09:20:00Z
login_all
ok as rita $C movement depart "$MV_B" --at 09:18
out_has "^  departed  *2027-01-12 09:18 GMT by Rita Reception (rita)$" \
    "depart --at HH:MM"
out_lacks "LEFT WITHOUT" "depart with no dose"
out_lacks "^the morning dose was given" "depart with no dose: nothing given"

# 10:30: the release, after the dose is given; the discharge letter.
clock_to 2027-01-12T10:30:00Z
login_all
ok as nina $C round
D_C=$(short_id C3003CC)
ok as nina IDTS_WITNESS_PIN=7777 $C give "$D_C" $(cautions_flags "$D_C") --witness carl
ok as rita $C movement depart "$MV_C"
out_has "^release to home, Leeds, departs 2027-01-12 11:00 GMT: departed$" \
    "release departed"
out_has "^care here ends: " "release: care ends"
out_has "^  the discharge letter: idtsctl movement summary $MV_C$" \
    "release: where the letter is"
summary_as_daemon "$MV_C" "the letter"
out_has "^Discharge letter: substance misuse treatment$" "letter: the title"
out_has "^  Prison number  *C3003CC$" "letter: the prison number"
out_has "^  Movement  *release to home, Leeds$" "letter: the movement"
out_has "^  Current dose  *40 ml$" "letter: the dose"
out_has "^  Last dose  *40 ml given Tue 12 Jan 10:30 GMT, by Nina Nurse (nina)," \
    "letter: the last dose"
out_has "^  Follow-up  *Leeds CDT, Dr Shah, Wed 13 Jan 10:00$" \
    "letter: the follow-up"
out_has "Naloxone supplied:  \[ \] yes  \[ \] no" "letter: naloxone"
ok as nina $C --json movement summary "$MV_C"
jq_is '"\(.kind) \(.naloxone_line) \(.prescriptions[0].last_dose.dose)"' \
    "discharge_letter true 40" "--json letter"

FP=$(table_fingerprint $FP_TABLES)
status_is 1 as rita $C movement return "$MV_C"
err_has "[not_returnable]" "a release returned"
status_is 1 as rita $C movement add C3003CC --kind court \
    --departs "2027-01-13 09:00" --to "Leeds Crown Court"
err_has "[patient_not_in_custody]" "a released patient booked"
checks=$((checks + 1))
[ "$(table_fingerprint $FP_TABLES)" = "$FP" ] || fail "a refusal changed something"

# ========================================================================
# 16:00: back from court; a booking made and cancelled.
# ========================================================================
clock_to 2027-01-12T16:00:00Z
login_all
ok as rita $C movement return "$MV_B" --at 15:55
out_has "^court to Bradford Magistrates, departs 2027-01-12 09:15 GMT: returned$" \
    "return: the state"
out_has "^  returned  *2027-01-12 15:55 GMT$" "return: when"
status_is 1 as rita $C movement return "$MV_B"
err_has "[already_returned]" "returning twice"
ok as nina $C movement return "$MV_A"
out_has "^  returned  *2027-01-12 16:0" "return: now"
ok as nina $C movement list
out_has "^movements on 2027-01-12: 4 people$" "the day's movements"
out_has "^08:30  *A1001AA  .*court  *returned  .*given " "the day: A1001AA"
out_has "^11:00  *C3003CC  .*release  *departed  .*given " "the day: C3003CC"

ok as rita $C movement add A1001AA --kind court \
    --departs "2027-01-14 09:00" --to "Leeds Crown Court"
out_has "^  morning dose  60 ml Methadone 1mg/ml, due 08:30 (moved from 09:00): scheduled$" \
    "the Thursday booking"
MV_A2=$(movement_id)
ok as rita $C movement cancel "$MV_A2" --reason "hearing vacated"
out_has "^court to Leeds Crown Court, departs 2027-01-14 09:00 GMT: cancelled$" \
    "cancel: the state"
out_has "^  cancelled  *2027-01-12 16:0[0-9] GMT: hearing vacated$" \
    "cancel: the reason"
out_has "^  morning dose  60 ml Methadone 1mg/ml, due 09:00: scheduled$" \
    "cancel: the dose back at 09:00"
out_has "^the morning doses are back at their own times$" "cancel: said"
status_is 1 as rita $C movement cancel "$MV_A2" --reason again
err_has "[movement_cancelled]" "cancelling twice"
status_is 1 as rita $C movement cancel "$MV_A" --reason late
err_has "[already_departed]" "cancelling a trip that went"
ok as nina $C round --date 2027-01-14
out_has "^09:00  *A1-01  *A1001AA .* scheduled " "Thursday's round at 09:00"
pass
