#!/bin/sh
# Issue 22, defect 4: an observation written up late is credited to the
# due whose window held it when it was taken, and a due's window starts
# when it opened, not at its due time (one taken early is on time).  The
# issue's reproduction with the test clock: a stimulant user arrives at
# 08:00Z on Wednesday 20 January 2027 (GMT); an observation at 08:01Z
# scores 0, one at 12:05Z scores 6 (next due 13:05Z); at 14:10Z the
# 13:05 due is missed and 14:05 is open; at 14:20Z an observation taken
# at 13:00Z (score 0) is written up.  It meets the 13:05 due on time,
# 14:05 stays open, and the report at 14:30Z counts due 4, on time 3,
# overdue 1 (14:05, past its grace since 14:20; issue 18), and the 13:00
# observation written up late (80 minutes after it was taken).  Then a second one written up late, taken at 13:30Z inside
# the window the 13:00 observation closed, meets no due at all.  And, as
# the documents now say, a stimulant user registered three hours after
# arriving is counted from registration: the plan runs from arrival, the
# first observation is due at registration.
. "$(dirname "$0")/lib.sh"

EXTRA_CONFIG='sessions = { idle_minutes = 1440; };'
init_admin boss 424242
start_daemon --test-clock

# is DESC GOT WANT
is() {
	checks=$((checks + 1))
	[ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"
}

# clock_to INSTANT: set the test clock and let the scheduler catch up
# (no open due left past its warning unwarned or past its miss).
clock_to() {
	saved=$TOKEN
	TOKEN=""
	set_clock "{\"now\":\"$1\"}"
	expect_status 200
	i=0
	while [ "$(sql "SELECT count(*) FROM observation_dues WHERE
	    state = 'open' AND (missed_at <= $(date -ud "$1" +%s%3N) OR
	    (warned = 0 AND warn_at <= $(date -ud "$1" +%s%3N)))")" != 0 ]; do
		[ $i -lt 1000 ] || fail "the scheduler did not catch up"
		sleep 0.02
		i=$((i + 1))
	done
	TOKEN=$saved
}

# An instant as HH:MM:SSZ, the milliseconds the test clock ran on cut.
hms() { printf '%s' "$1" | sed 's/^.*T//; s/\.[0-9]*Z$/Z/'; }

# observe TAKEN [JQ_FILTER]: as the nurse, readings scoring 0 changed by
# the filter.
NORMAL='{"respiratory_rate":16,"spo2":97,"spo2_scale":1,"on_oxygen":false,"systolic_bp":120,"pulse":70,"consciousness":"A","temperature":37.0}'
MED6='.respiratory_rate = 22 | .spo2 = 93 | .pulse = 105 | .temperature = 38.5'
observe() {
	TOKEN=$NURSE
	api POST /observations "$(printf '%s' "$NORMAL" | jq -c \
	    --arg p "$PAT" --arg t "$1" \
	    ". + {patient_id: \$p, taken_at: \$t} | ${2:-.}")"
	expect_status 201
}

# dues: "HH:MM:SSZ state" of the patient's dues in due order.
dues() {
	sql "SELECT strftime('%H:%M:%SZ', due_at / 1000, 'unixepoch') || ' ' ||
	    state FROM observation_dues WHERE patient_id = '$PAT'
	    ORDER BY due_at" | paste -sd, -
}

set_clock '{"now":"2027-01-20T08:00:00Z"}'
expect_status 200
sign_in boss 424242
staff() {
	add_staff "$1" "$1" "[\"$2\"]" "$3"
}
staff nina nurse 1111
staff rita reception 6666
staff mona manager 8888
sign_in nina 1111
NURSE=$TOKEN
sign_in mona 8888
MGR=$TOKEN
# register PRISON_NUMBER ARRIVED: a stimulant user, as reception; sets PAT.
register() {
	sign_in rita 6666
	api POST /patients "{\"prison_number\":\"$1\",\"given_name\":\"Lee\",
	    \"family_name\":\"Late\",\"date_of_birth\":\"1990-01-01\",
	    \"arrived_at\":\"$2\",\"location\":\"W1\",
	    \"stimulant_user\":true,\"community_treatment\":null}"
	expect_status 201
	PAT=$(jqout .id)
}
# Registered as the clock reads the arrival (the staff above take real
# seconds to sign in, and a plan counts from registration).
clock_to 2027-01-20T08:00:00Z
register L2201AA 2027-01-20T08:00:00Z

clock_to 2027-01-20T08:01:00Z
observe 2027-01-20T08:01:00Z
is "08:01, score 0: next due" "$(hms "$(jqout .next_due_at)")" 12:01:00Z
clock_to 2027-01-20T12:05:00Z
observe 2027-01-20T12:05:00Z "$MED6"
is "12:05 scores 6" "$(jqout .news2.total)" 6
is "12:05: next due" "$(hms "$(jqout .next_due_at)")" 13:05:00Z
clock_to 2027-01-20T14:10:00Z
is "at 14:10, 13:05 missed and 14:05 open" "$(dues)" \
    "08:00:00Z on_time,12:01:00Z on_time,13:05:00Z missed,14:05:00Z open"

# Written up at 14:20, taken at 13:00: the 13:05 due had been open since
# 12:05, so it is met, early, which is on time; 14:05 stays open.
clock_to 2027-01-20T14:20:00Z
observe 2027-01-20T13:00:00Z
is "written up late: next due is the open one" \
    "$(hms "$(jqout .next_due_at)")" 14:05:00Z
is "the 13:05 due met on time, 14:05 still open" "$(dues)" \
    "08:00:00Z on_time,12:01:00Z on_time,13:05:00Z on_time,14:05:00Z open"
is "the 13:05 due met by the 13:00 observation" "$(sql "SELECT
    strftime('%H:%M', taken_at / 1000, 'unixepoch') FROM observation_dues
    WHERE patient_id = '$PAT' AND state = 'on_time' ORDER BY due_at DESC
    LIMIT 1")" 13:00

clock_to 2027-01-20T14:30:00Z
TOKEN=$MGR
api GET "/reports/observations?from=2027-01-20&to=2027-01-20"
expect_status 200
is "the report at 14:30" "$(jqout '.totals | "\(.due) \(.on_time) \(.late) \(.missed) \(.overdue) \(.pending) \(.written_up_late)"')" \
    "4 3 0 0 1 0 1"

# Taken at 13:30, after the 13:00 observation met the 13:05 due and
# before 14:05 opened: it meets nothing, and 14:05 stays open.
observe 2027-01-20T13:30:00Z
is "in a window already met: next due still the open one" \
    "$(hms "$(jqout .next_due_at)")" 14:05:00Z
is "no due met by it" "$(dues)" \
    "08:00:00Z on_time,12:01:00Z on_time,13:05:00Z on_time,14:05:00Z open"

register L2202AB 2027-01-20T11:30:00Z
is "registered late: the plan runs from arrival" \
    "$(hms "$(jqout .observation_plan.starts_at)")" 11:30:00Z
is "and counts from registration" \
    "$(hms "$(jqout .observation_plan.counts_from)" | cut -c1-5)" 14:30
is "its first observation due at registration, none missed" \
    "$(sql "SELECT strftime('%H:%M', due_at / 1000, 'unixepoch') || ' ' ||
    state FROM observation_dues WHERE patient_id = '$PAT'")" "14:30 open"
pass
