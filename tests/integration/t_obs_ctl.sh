#!/bin/sh
# A morning's observations of stimulant users with idtsctl alone (the test
# clock set with curl), in local time (Europe/London, in summer time):
# reception registers two stimulant users and later flags a third; the
# nurse reads who is due (OVERDUE first) and records observations with
# every reading on the command line, each answer in words the ward reads
# at a glance (NEWS2 total — BAND: response; next observation due HH:MM,
# the parameters that scored 3, every score) for each band, zero to high;
# a competent person records one; the nurse extends a plan.  Refusals exit
# 1 with the daemon's message; usage errors exit 2 and send nothing.  At
# 10:50 the manager's report: per patient per day, and the unit's days
# with a bar of '#' for the share on time, the unit's total last; --csv
# is the daemon's CSV byte for byte; --json answers parse.  The next
# morning, after a night unattended, the bars show the bad day.
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/ctllib.sh
. "$(dirname "$0")/ctllib.sh"

# line_of PATTERN: the number of the first output line matching.
line_of() {
	grep -n -- "$1" "$T/ctl.out" | head -1 | cut -d: -f1
}
# A reading set on the command line: NEWS2 0.
CALM="--rr 18 --spo2 97 --scale 1 --air --bp 125 --pulse 78 --acvpu A --temp 36.8"
FP_TABLES="observations observation_plans observation_dues patients"

# ========================================================================
# Monday 14 June 2027, 08:00 BST (07:00 UTC).
# ========================================================================
clock_to 2027-06-14T07:00:00Z
IDTS_PIN=424242 ok as boss $C login boss
for s in "rita Rita_Reception reception 1111" "nina Nina_Nurse nurse 4444" \
    "carl Carl_Competent competent 7777" "mo Mo_Manager manager 8888"; do
	# shellcheck disable=SC2086
	set -- $s
	add_staff "$s"
	IDTS_PIN="$4" ok as "$1" $C login "$1"
done
ok as rita $C arrive --number A1001AA --given Alan --family Able \
    --dob 1985-05-05 --location A1-01 --stimulant \
    --arrived 2027-06-14T06:00:00Z
ok as rita $C arrive --number B2002BB --given Bea --family Baker \
    --dob 1990-01-01 --location A1-02 --stimulant \
    --arrived 2027-06-14T05:00:00Z
ok as rita $C arrive --number C3003CC --given Cy --family Cole \
    --dob 1979-02-02 --location A2-01 --no-stimulant \
    --arrived 2027-06-14T06:30:00Z

ok $C --help
out_has "^  obs record PATIENT \[--at TIME\] \[--rr N\]" "--help: obs record"
out_has "^  report obs --from YYYY-MM-DD --to YYYY-MM-DD \[--csv\]" \
    "--help: report obs"

ok as nina $C obs due
out_has "^observations: 2 plans running, 0 OVERDUE (now 08:0[0-9])$" \
    "obs due: the count"
out_has "^08:00  *due now  *A1001AA  *Able, Alan  *A1-01  *4 h  *none yet  *2027-06-17 07:00 BST$" \
    "obs due: A due now, the plan 72 h from arrival"
out_has "^08:00  *due now  *B2002BB  *Baker, Bea  *A1-02  *4 h  *none yet " \
    "obs due: B due now"
ok as nina $C --json obs due
jq_is '[.[] | "\(.patient.prison_number) \(.overdue) \(.interval_minutes)"] | join(",")' \
    "A1001AA false 240,B2002BB false 240" "--json obs due"

# Usage errors: exit 2, nothing sent (not even to a daemon that is not
# there), the database as it was.
DB=$(db_fingerprint)
status_is 2 as nina $C obs record A1001AA --rr 18 --spo2 97 --scale 1 --air \
    --bp 125 --pulse 78 --acvpu A
err_has "missing --temp (and no terminal to ask at)" "a reading missing"
status_is 2 as nina $C -s http://127.0.0.1:1 obs record A1001AA --rr 18
err_has "missing --spo2, --scale, --oxygen or --air, --bp, --pulse, --acvpu, --temp" \
    "readings missing"
# shellcheck disable=SC2086
status_is 2 as nina $C -s http://127.0.0.1:1 obs record A1001AA $CALM \
    --temp 37.25
err_has "--temp takes the temperature in °C with at most one decimal" \
    "a temperature with 2 decimals"
# shellcheck disable=SC2086
status_is 2 as nina $C -s http://127.0.0.1:1 obs record A1001AA $CALM --oxygen
err_has "give --oxygen or --air, not both" "--oxygen and --air"
# shellcheck disable=SC2086
status_is 2 as nina $C -s http://127.0.0.1:1 obs record A1001AA $CALM --scale 3
err_has "--scale takes 1, or 2" "--scale 3"
# shellcheck disable=SC2086
status_is 2 as nina $C -s http://127.0.0.1:1 obs record A1001AA $CALM --acvpu X
err_has "--acvpu takes A, C, V, P or U" "--acvpu X"
# shellcheck disable=SC2086
status_is 2 as nina $C -s http://127.0.0.1:1 obs record A1001AA $CALM \
    --pulse fast
# shellcheck disable=SC2086
status_is 2 as nina $C -s http://127.0.0.1:1 obs record A1001AA $CALM \
    --at 25:00
err_has '--at: "25:00" is not a time: write YYYY-MM-DD HH:MM, today HH:MM' \
    "--at 25:00"
# shellcheck disable=SC2086
status_is 2 as nina $C -s http://127.0.0.1:1 obs record $CALM
err_has "usage: idtsctl obs record PATIENT" "no patient"
status_is 2 as nina $C -s http://127.0.0.1:1 obs extend A1001AA
err_has "usage: idtsctl obs extend PATIENT --until TIME" "extend, no --until"
status_is 2 as nina $C -s http://127.0.0.1:1 obs extend A1001AA \
    --until tomorrow
err_has '--until: "tomorrow" is not a time' "extend --until tomorrow"
status_is 2 as rita $C -s http://127.0.0.1:1 flag C3003CC
err_has "usage: idtsctl flag PATIENT --stimulant" "flag, no --stimulant"
status_is 2 as nina $C -s http://127.0.0.1:1 obs due --all
status_is 2 as mo $C -s http://127.0.0.1:1 report obs --from 2027-06-14
err_has "usage: idtsctl report obs --from YYYY-MM-DD --to YYYY-MM-DD [--csv]" \
    "report, no --to"
status_is 2 as mo $C -s http://127.0.0.1:1 report obs --from 2027-06-14 \
    --to 2027-06-31
err_has '--to: "2027-06-31" is not a date: write YYYY-MM-DD, today' \
    "report, 31 June"
status_is 2 as mo $C -s http://127.0.0.1:1 report obs --from 2027-06-14 \
    --to 2027-06-13
err_has "--to must not be before --from" "report backwards"
status_is 2 as mo $C -s http://127.0.0.1:1 --json report obs \
    --from 2027-06-14 --to 2027-06-14 --csv
checks=$((checks + 1))
[ "$(db_fingerprint)" = "$DB" ] || fail "a usage error changed the database"

# ========================================================================
# 08:05: Alan's first observation, all well.
# ========================================================================
clock_to 2027-06-14T07:05:00Z
# shellcheck disable=SC2086
ok as nina $C obs record A1001AA --at 08:05 $CALM
out_has "^A1001AA  Able, Alan  A1-01$" "record: the patient"
out_has "^observation at 08:05: respiratory rate 18/min, SpO2 97% (scale 1) on air, systolic BP 125 mmHg, pulse 78/min, ACVPU A, temperature 36.8 °C$" \
    "record: the readings"
out_has "^NEWS2 0 — ZERO: routine monitoring; next observation due 12:05$" \
    "record: NEWS2 0"
out_has "^  scores: respiratory rate 0, SpO2 0, air or oxygen 0, systolic BP 0, pulse 0, consciousness 0, temperature 0$" \
    "record: the scores"
out_lacks "scored 3" "record: no 3"
out_lacks "alerted" "record: no alert for 0"

# Refusals: exit 1 with the daemon's words; nothing recorded.
FP=$(table_fingerprint $FP_TABLES)
status_is 1 as nina $C obs record B2002BB --rr 18 --spo2 97 --scale 1 --air \
    --bp 125 --pulse 400 --acvpu A --temp 36.8
err_has "[implausible_pulse]" "a pulse of 400"
# shellcheck disable=SC2086
status_is 1 as rita $C obs record B2002BB $CALM
err_has "[forbidden]" "reception records an observation"
# shellcheck disable=SC2086
status_is 1 as nina $C obs record B2002BB --at "2027-06-14 09:00" $CALM
err_has "[taken_in_future]" "an observation in the future"
# shellcheck disable=SC2086
status_is 1 as nina $C obs record A1001AA --at 08:01 $CALM
err_has "[observation_out_of_order]" "before the latest"
# shellcheck disable=SC2086
status_is 1 as nina $C obs record Z9999ZZ $CALM
err_has "Z9999ZZ is not in custody here" "an unknown prison number"
checks=$((checks + 1))
[ "$(table_fingerprint $FP_TABLES)" = "$FP" ] || fail "a refusal recorded something"

# ========================================================================
# 08:30: Bea is overdue; her observation scores 7; Cy is flagged.
# ========================================================================
clock_to 2027-06-14T07:30:00Z
ok as nina $C obs due
out_has "^observations: 2 plans running, 1 OVERDUE (now 08:30)$" \
    "obs due at 08:30: the count"
out_has "^08:00  *OVERDUE [23][0-9] min  *B2002BB  *Baker, Bea " "B OVERDUE"
out_has "^12:05  *in 3 h 35 min  *A1001AA  *Able, Alan  *A1-01  *4 h  *0 ZERO at 08:05 " \
    "A in 3 h 35 min, with the last NEWS2"
checks=$((checks + 1))
[ "$(line_of OVERDUE)" -lt "$(line_of A1001AA)" ] ||
    fail "obs due: the OVERDUE not first: $(cat "$T/ctl.out")"
ok as nina $C --json obs due
jq_is '[.[] | "\(.patient.prison_number):\(.overdue)"] | join(",")' \
    "B2002BB:true,A1001AA:false" "--json obs due: overdue"
jq_is '.[1].last_observation | "\(.total) \(.band)"' "0 zero" \
    "--json obs due: the last observation"

ok as nina $C obs record B2002BB --at 08:31 --rr 22 --spo2 95 --scale 1 \
    --air --bp 105 --pulse 112 --acvpu A --temp 38.4
out_has "^B2002BB  Baker, Bea  A1-02$" "record B: the patient"
out_has "^NEWS2 7 — HIGH: emergency response; next observation due 09:01$" \
    "record B: NEWS2 7, high"
out_has "^  scores: respiratory rate 2, SpO2 1, air or oxygen 0, systolic BP 1, pulse 2, consciousness 0, temperature 1$" \
    "record B: the scores"
out_has "^  the ward, the doctor on call and the managers have been alerted$" \
    "record B: alerted"
ok as nina $C alerts
out_has "emergency ward .*B2002BB Baker, Bea: NEWS2 7 at .*: emergency response" \
    "the emergency alert"
out_lacks "emergency on_call" "the doctor on call's copy is not the nurse's"
ok as mo $C alerts
out_has "emergency on_call .*B2002BB Baker, Bea: NEWS2 7 at " \
    "the emergency alert to the doctor on call"

ok as rita $C flag C3003CC --stimulant
out_has "^C3003CC  Cole, Cy: flagged as a stimulant user$" "flag"
out_has "^  observed from 2027-06-14 07:30 BST until 2027-06-17 07:30 BST; next observation due 08:30$" \
    "flag: the plan"
status_is 1 as rita $C flag C3003CC --stimulant
err_has "C3003CC is already flagged as a stimulant user [already_flagged]" \
    "flag twice"

# Cy, by the competent person: a single 3 (new confusion).
ok as carl $C obs record C3003CC --at 08:31 --rr 18 --spo2 97 --scale 1 \
    --air --bp 125 --pulse 78 --acvpu C --temp 36.8
out_has "^NEWS2 3 — LOW-MEDIUM: urgent ward-based response; next observation due 09:31$" \
    "record C: a single 3"
out_has "^  scored 3: consciousness$" "record C: which scored 3"
out_has "ACVPU C," "record C: the reading"
out_has "alerted" "record C: alerted"

# ========================================================================
# 08:40: Alan again, medium; his plan extended.
# ========================================================================
clock_to 2027-06-14T07:40:00Z
ok as nina $C --json obs record A1001AA --rr 22 --spo2 95 --scale 1 --air \
    --bp 105 --pulse 95 --acvpu a --temp 36.8
jq_is '"\(.news2.total) \(.news2.band) \(.news2.red) \(.consciousness) \(.temperature) \(.on_oxygen)"' \
    "5 medium false A 36.8 false" "--json record"
jq_is '.next_due_at | startswith("2027-06-14T08:40:0")' true \
    "--json record: next due, 60 min"
jq_is '.taken_at | startswith("2027-06-14T07:40:0")' true \
    "--json record: --at defaults to now"
ok as nina $C obs extend A1001AA --until "2027-06-18 09:00"
out_has "^A1001AA  Able, Alan: observation plan extended$" "extend"
out_has "^  observed from 2027-06-14 07:00 BST until 2027-06-18 09:00 BST; next observation due 09:40$" \
    "extend: the plan"
status_is 1 as nina $C obs extend A1001AA --until "2027-06-17 09:00"
err_has "[not_an_extension]" "extend: shorter"
status_is 1 as nina $C obs extend A1001AA --until "2027-07-14 09:00"
err_has "[plan_too_long]" "extend: past 14 days"
ok as nina $C --json obs extend A1001AA --until 2027-06-18T09:30:00+01:00
jq_is '.observation_plan.ends_at' "2027-06-18T08:30:00Z" "--json extend"
ok as rita $C --json patient show B2002BB
jq_is '.observation_plan.next_due_at' "2027-06-14T08:01:00Z" \
    "B's next due after the 7"

# ========================================================================
# 09:00: Bea, low.
# ========================================================================
clock_to 2027-06-14T08:00:00Z
ok as nina $C obs record B2002BB --at 09:00 --rr 18 --spo2 96 --scale 1 --air \
    --bp 118 --pulse 95 --acvpu A --temp 37.0
out_has "^observation at 09:00: .* temperature 37.0 °C$" "record B: 37.0"
out_has "^NEWS2 1 — LOW: ward-based response; next observation due 13:00$" \
    "record B: low"

# ========================================================================
# 10:50: Alan's 09:40 and Cy's 09:31 were missed; the manager's report.
# ========================================================================
clock_to 2027-06-14T09:50:00Z
# (The scheduler records the misses in its own time: wait for each.)
wait_out "^10:31 .* C3003CC " as nina $C obs due
wait_out "^10:40 .* A1001AA " as nina $C obs due
out_has "^observations: 3 plans running, 1 OVERDUE (now 10:50)$" \
    "obs due at 10:50: the count"
out_has "^10:31  *OVERDUE 1[89] min  *C3003CC  *Cole, Cy  *A2-01  *1 h  *3 LOW-MEDIUM at 08:31 " \
    "C OVERDUE, every hour"
out_has "^10:40  *due now  *A1001AA  .* 1 h  *5 MEDIUM at 08:40  *2027-06-18 09:30 BST$" \
    "A due now, the plan extended"
out_has "^13:00  *in 2 h 10 min  *B2002BB  .* 4 h  *1 LOW at 09:00 " "B later"
checks=$((checks + 1))
if [ "$(line_of C3003CC)" -ge "$(line_of A1001AA)" ] ||
    [ "$(line_of A1001AA)" -ge "$(line_of B2002BB)" ]; then
	fail "obs due order: $(cat "$T/ctl.out")"
fi

status_is 1 as nina $C report obs --from 2027-06-13 --to 2027-06-14
err_has "[forbidden]" "a nurse's report"
ok as mo $C report obs --from 2027-06-13 --to 2027-06-14
out_has "^observations of stimulant users, 2027-06-13 to 2027-06-14$" \
    "report: heading"
out_has "^PRISON NO  NAME  *DATE  *DUE  ON TIME  LATE  LATE MAX/MEAN  MISSED  PENDING  % ON TIME$" \
    "report: the columns"
out_has "^A1001AA  *Able, Alan  *2027-06-14  3  *2  *0  *-  *1  *1  *66.7$" \
    "report: A's day"
out_has "^A1001AA  *Able, Alan  *total  *3  *2  *0  *-  *1  *1  *66.7$" \
    "report: A's total"
out_has "^B2002BB  *Baker, Bea  *2027-06-14  2  *1  *1  *30/30 min  *0  *1  *50.0$" \
    "report: B, late 30 min"
# Cy's 10:31 is past its grace at 10:50: overdue, so due (issue 18).
out_has "^C3003CC  *Cole, Cy  *2027-06-14  3  *1  *0  *-  *1  *0  *33.3$" \
    "report: C"
out_has "^2027-06-13  0  *0  *0  *-  *0  *0  *(none due)$" "report: a day with none due"
out_has "^2027-06-14  8  *4  *1  *30/30 min  *2  *2  *##########.......... 50.0%$" \
    "report: the unit's day, with its bar"
out_has "^TOTAL  *8  *4  *1  *30/30 min  *2  *2  *##########.......... 50.0%$" \
    "report: the unit's total"
checks=$((checks + 1))
[ "$(tail -1 "$T/ctl.out" | cut -c1-5)" = TOTAL ] ||
    fail "report: the total is not last: $(cat "$T/ctl.out")"
ok as mo $C --json report obs --from 2027-06-13 --to 2027-06-14
jq_is '"\(.totals.due) \(.totals.on_time) \(.totals.late) \(.totals.missed) \(.totals.overdue) \(.totals.pending) \(.totals.on_time_percent)"' \
    "8 4 1 2 1 2 50" "--json report"
jq_is '[.patients[].patient.prison_number] | join(",")' \
    "A1001AA,B2002BB,C3003CC" "--json report: the patients"

# --csv: what the daemon sends for text/csv, byte for byte, CRLF and all.
ok as mo $C report obs --from 2027-06-13 --to 2027-06-14 --csv
cp "$T/ctl.out" "$T/ctl.csv"
sign_in mo 8888
api GET "/reports/observations?from=2027-06-13&to=2027-06-14" "" \
    -H "Accept: text/csv"
expect_status 200
checks=$((checks + 1))
cmp -s "$T/ctl.csv" "$T/out" || fail "--csv differs from the daemon's CSV: $(cat -A "$T/ctl.csv")"
out_has "^prison_number,family_name,given_name,location,date,due,on_time,late,late_minutes_max,late_minutes_mean,missed,overdue,pending,written_up_late,on_time_percent" \
    "--csv: the header"
out_has "^B2002BB,Baker,Bea,A1-02,2027-06-14,2,1,1,30,30,0,0,1,0,50.0" "--csv: B"
out_has "^UNIT,,,,2027-06-13,0,0,0,0,0,0,0,0,0,$(printf '\r')$" "--csv: a day with none due"
checks=$((checks + 1))
[ "$(tail -1 "$T/ctl.out" | tr -d '\r')" = "UNIT,,,,TOTAL,8,4,1,30,30,2,1,2,0,50.0" ] ||
    fail "--csv: the last line: $(tail -1 "$T/ctl.out")"
checks=$((checks + 1))
[ "$(grep -c "$(printf '\r')\$" "$T/ctl.out")" = "$(wc -l <"$T/ctl.out")" ] ||
    fail "--csv: lines do not all end CRLF"
status_is 1 as nina $C report obs --from 2027-06-13 --to 2027-06-14 --csv
err_has "[forbidden]" "a nurse's CSV"
checks=$((checks + 1))
[ ! -s "$T/ctl.out" ] || fail "a refused CSV printed: $(cat "$T/ctl.out")"
status_is 1 as mo $C report obs --from 2027-01-01 --to 2028-06-14
err_has "[invalid_query]" "a report of more than a year"

# ========================================================================
# Tuesday 10:00: a night unattended; the bars show the bad day.
# ========================================================================
clock_to 2027-06-15T09:00:00Z
# The scheduler has caught up when each plan's open due is the last of
# the night's.
wait_out "^09:00 .* B2002BB " as nina $C obs due
wait_out "^09:31 .* C3003CC " as nina $C obs due
wait_out "^09:40 .* A1001AA " as nina $C obs due
out_has "^09:40  *OVERDUE \(19\|20\) min  *A1001AA " "Tuesday: A overdue"
ok as mo $C --json report obs --from 2027-06-14 --to 2027-06-15
jq -r '.days[] | "\(.date) \(.on_time_percent // "none")"' "$T/ctl.out" \
    >"$T/days"
ok as mo $C report obs --from 2027-06-14 --to 2027-06-15
while read -r date pct; do
	if [ "$pct" = none ]; then
		want="(none due)"
	else
		n=$(awk -v p="$pct" 'BEGIN { printf "%d", int(p * 10 + 0.5) * 20 / 1000 }')
		want=$(awk -v n="$n" -v p="$pct" 'BEGIN {
			for (i = 0; i < 20; i++) printf "%s", i < n ? "#" : "."
			printf " %.1f%%", p }')
	fi
	checks=$((checks + 1))
	grep -q "^$date .* $(printf '%s' "$want" | sed 's/[.]/[.]/g')\$" \
	    "$T/ctl.out" || fail "report: $date's bar is not '$want': $(cat "$T/ctl.out")"
done <"$T/days"
out_has "^2027-06-15 .* [.]\{20\} 0.0%$" "Tuesday's bar: empty"
pass
