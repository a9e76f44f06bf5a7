#!/bin/sh
# Every time a person reads from idtsctl is local time with its zone
# (issue 15), in summer and in winter; the API keeps RFC 3339.  With the
# test clock on Monday 14 June 2027 (BST, UTC+1) and on Monday 6 December
# 2027 (GMT), a prisoner arrives in treatment at 08:00 on the wall clock:
# the clocks list reads started 08:00 and due by 08:00 the next day in
# that zone, not 07:00 (UTC in summer); so do the patient list, the
# sign-in's expiry, health, the audit list and the clock warning's alert;
# nothing prints a raw RFC 3339 instant.
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/ctllib.sh
. "$(dirname "$0")/ctllib.sh"

# no_instants WHAT: the last output holds no RFC 3339 instant.
no_instants() {
	out_lacks "[0-9]T[0-9][0-9]:[0-9][0-9]" "$1: no raw RFC 3339 instant"
}

# day ZONE NUMBER ARRIVAL WARNING DAY NEXT_DAY: a day's checks, ARRIVAL
# and WARNING in UTC, DAY and NEXT_DAY as they read locally.
day() {
	zone=$1
	number=$2
	clock_to "$3"
	IDTS_PIN=424242 ok as boss $C login boss
	out_has "^signed in as .* until $6 08:00 $zone " \
	    "$zone: login: the session's expiry in local time"
	no_instants "$zone: login"
	IDTS_PIN=4444 ok as mo $C login mo
	IDTS_PIN=1111 ok as rita $C login rita
	ok as rita $C arrive --number "$number" --given Alan --family Able \
	    --dob 1985-05-05 --location A1-01 --no-stimulant \
	    --treatment methadone --dose 40 --unit ml --prescriber "Dr C"
	ok as mo $C health
	out_has "time $5 08:0[0-9] $zone" "$zone: health: the daemon's time"
	ok as mo $C patient list
	out_has "^$number .* $5 08:0[0-9] $zone " "$zone: patient list: arrived"
	no_instants "$zone: patient list"
	ok as mo $C clocks --patient "$number"
	out_has "^treatment_continued  *running  *$5 08:0[0-9] $zone  *$6 08:0[0-9] $zone  *-  *$number *$" \
	    "$zone: clocks: due by 08:00 on the wall clock, the next day"
	no_instants "$zone: clocks"
	ok as mo $C --json clocks --patient "$number"
	jq_is '.[0].due_at | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z$")' \
	    true "$zone: the API keeps RFC 3339"
	ok as mo $C audit list
	out_has " $5 08:0[0-9] $zone  *patient.create " \
	    "$zone: audit list: when, in local time"
	no_instants "$zone: audit list"
	# The warning at 75 %: 02:00 on the wall clock.
	clock_to "$4"
	wait_out "is due by $6 08:00 $zone" as mo $C alerts
	out_has "^$6 02:0[0-9] $zone warning  *ward  *$number Able, Alan: treatment continued .* is due by $6 08:00 $zone " \
	    "$zone: alerts: raised and due in local time"
	no_instants "$zone: alerts"
}

clock_to 2027-06-14T07:00:00Z
IDTS_PIN=424242 ok as boss $C login boss
add_staff "rita Rita_Reception reception 1111" "mo Mo_Manager manager 4444"
day BST A1001AA 2027-06-14T07:00:00Z 2027-06-15T01:00:00Z "Mon 14 Jun" \
    "Tue 15 Jun"
day GMT B2002BB 2027-12-06T08:00:00Z 2027-12-07T02:00:00Z "Mon 06 Dec" \
    "Tue 07 Dec"
pass
