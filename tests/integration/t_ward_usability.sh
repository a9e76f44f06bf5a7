#!/bin/sh
# idts-ward as issue 17 asks it to be used, driven in tmux at 80x24 and
# again at 120x40, every check read from the screen (and, where it
# matters, from the daemon), on Monday 14 June 2027 (summer time):
#
# - every pane (alerts, round, observations, court) shows each row's
#   cell, prison number, family and given name at 80x24; "Stabilisation
#   Unit, cell 7" keeps its cell; 120 columns add the drug and the
#   observation interval;
# - the alerts pane opens at its top, the EMERGENCY first and counted on
#   its own (not among the URGENT), says "more below" when rows do not
#   fit, filters (all, mine, the ward's), and acknowledges with a note;
#   the selected alert's message whole below the list, to its last
#   words (seen failing with the detail cut at two rows, 'call 2222'
#   lost);
# - a patient at court: "at court since 08:01" on the observations pane,
#   no OVERDUE for him;
# - a HELD dose is refused before any PIN is asked, saying why;
# - consciousness (ACVPU) is never pre-filled: an observation cannot be
#   saved without it;
# - reception books in a man on methadone who uses crack cocaine with a
#   date of birth typed 12/03/1988 on the way: refused at its own prompt,
#   the form kept; the last community dose "yesterday 09:00"; then what
#   started and when it is due;
# - c changes one's own PIN.
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/ctllib.sh
. "$(dirname "$0")/ctllib.sh"
# shellcheck source=tests/integration/wardlib.sh
. "$(dirname "$0")/wardlib.sh"

# row NAME PATTERN: the screen's line matching PATTERN, or fail.
row() {
	grep -- "$2" "$T/screen" | head -1
}
# row_has NAME PATTERN TEXT... WHAT: the line matching PATTERN holds
# every TEXT (each a fixed string).
row_has() {
	name=$1
	pat=$2
	shift 2
	line=$(row "$name" "$pat")
	while [ $# -gt 1 ]; do
		checks=$((checks + 1))
		case $line in
		*"$1"*) ;;
		*) fail "$(eval echo \${$#}): no '$1' on the row '$pat':
$(cat "$T/screen")" ;;
		esac
		shift
	done
}

# ========================================================================
# The ward: a nurse, a witness, reception, a prescriber; 18 stimulant
# users observed, two on methadone; D1001AA in the Stabilisation Unit
# with a long name, D1002AB to court this morning.
# ========================================================================
ward_unit
ok as rita $C arrive --number D1001AA --given Demonstration \
    --family DEMO-Example --dob 1985-05-05 \
    --location "Stabilisation Unit, cell 7" --stimulant \
    --arrived 2027-06-13T18:00:00Z
ok as rita $C arrive --number D1002AB --given Bartholomew \
    --family Featherstonehaugh --dob 1985-05-05 --location "A1, cell 2" \
    --stimulant --arrived 2027-06-13T18:00:00Z
for n in $(seq 11 26); do
	ok as rita $C arrive --number "E10${n}AA" --given "Given$n" \
	    --family "Family$n" --dob 1985-05-05 --location "A2, cell $n" \
	    --stimulant --arrived 2027-06-13T18:00:00Z
done
# D1001AA twice a day, so that his 08:00 refused holds the 20:00.
ok as doc $C prescribe D1001AA --product Methadone --dose 30 \
    --times 08:00,20:00 --start 2027-06-14
ok as doc $C prescribe D1002AB --product Methadone --dose 40 \
    --times 08:00 --start 2027-06-14
ok as doc $C prescribe E1011AA --product Methadone --dose 10 \
    --times 08:00 --start 2027-06-14
sign_in nina 4444
NINA_TOKEN=$TOKEN
api GET /patients
pid() {
	printf '%s' "$BODY_OUT" | jq -r --arg pn "$1" \
	    '.[] | select(.prison_number == $pn) | .id'
}
PID_D1=$(pid D1001AA)
PID_D2=$(pid D1002AB)
# 07:50 BST: D1002AB's escort is booked for 08:00, leaves at 08:01.
clock_to 2027-06-14T06:50:00Z
ok as rita $C --json movement add D1002AB --kind court \
    --departs "2027-06-14 08:00" --to "Leeds Crown Court"
MV=$(jq -r .id "$T/ctl.out")
clock_to 2027-06-14T07:01:00Z
ok as rita $C movement depart "$MV"
# 08:05: the E patients score 6 (URGENT to the ward each), D1001AA 11 (an
# EMERGENCY); his 08:00 dose refused holds the 20:00.
clock_to 2027-06-14T07:05:00Z
MEDIUM='"respiratory_rate":22,"spo2":95,"spo2_scale":1,"on_oxygen":false,
"systolic_bp":105,"pulse":95,"consciousness":"A","temperature":38.5'
HIGH='"respiratory_rate":28,"spo2":90,"spo2_scale":1,"on_oxygen":false,
"systolic_bp":95,"pulse":125,"consciousness":"A","temperature":38.5'
for n in $(seq 11 26); do
	TOKEN=$NINA_TOKEN
	api GET "/patients?prison_number=E10${n}AA"
	observe "$NINA_TOKEN" "$(jqout '.[0].id')" "$MEDIUM"
done
observe "$NINA_TOKEN" "$PID_D1" "$HIGH"
TOKEN=$NINA_TOKEN
api GET "/doses?date=2027-06-14"
DOSE_D1=$(jqout '.[] | select(.patient.prison_number == "D1001AA" and
    (.due_at | startswith("2027-06-14T07:00"))) | .id')
api POST "/doses/$DOSE_D1/refuse" '{"reason":"declined at the hatch"}'
expect_status 200
clock_to 2027-06-14T07:10:00Z
[ -n "$PID_D2" ] || fail "no D1002AB"
TOKEN=$NINA_TOKEN
api GET /alerts
EMERGENCY_MSG=$(jqout '[.[] | select(.patient_id == "'"$PID_D1"'" and
    .severity == "emergency" and .audience == "ward")][0].message')
[ "${#EMERGENCY_MSG}" -gt 80 ] ||
    fail "the emergency's message is short: $EMERGENCY_MSG"

# ========================================================================
# Both sizes: the panes at 80x24 first, then 120x40.
# ========================================================================
# panes NAME COLS: every pane shows who each row is about.
panes() {
	name=$1
	# The alerts pane: at its top, the EMERGENCY first and on its own;
	# more below; each row's cell and name.  Chosen at the bottom, left
	# and come back to, it opens at the top again.
	keys "$name" 1
	shows "$name" "^Alerts (all): [0-9]* open, 1 EMERGENCY, [0-9]* URGENT" \
	    "$2: the emergency counted on its own"
	shows "$name" "1 Alerts ([0-9]*: 1 EMERGENCY, [0-9]* URGENT)" \
	    "$2: the tab counts it on its own"
	keys "$name" End
	sleep 0.3
	keys "$name" 2
	shows "$name" "^Round " "$2: the round"
	keys "$name" 1
	shows "$name" "^Alerts (all)" "$2: the alerts again"
	screen "$name"
	checks=$((checks + 1))
	sed -n 5p "$T/screen" | grep -q "^!!! EMERGENCY" ||
	    fail "$2: the alerts pane does not open at the top, EMERGENCY first:
$(cat "$T/screen")"
	keep_screen "alerts-$2"
	shows_whole "$name" "$EMERGENCY_MSG" \
	    "$2: the selected emergency's message whole below the list"
	row_has "$name" "^!!! EMERGENCY" "cell 7" "D1001AA" "DEMO-Example" \
	    "$2: the emergency's cell, number and name"
	row_has "$name" "E1020AA" "cell 20" "Family20, Given20" \
	    "$2: an urgent alert's cell, number and name"
	# The round: the cell kept, the given name begun; HELD.
	keys "$name" 2
	shows "$name" "^Round .*" "$2: the round"
	shows "$name" "^20:00 .*D1001AA" "$2: the round's rows"
	row_has "$name" "^20:00 .*D1001AA" "cell 7" \
	    "DEMO-Example, Dem" "HELD" "$2: the held dose's row"
	row_has "$name" "^[0-9:]* .*D1002AB" "A1, cell 2" \
	    "Feather" "Bart" "$2: the long name, both parts"
	keep_screen "round-$2"
	# Observations: D1002AB at court, no overdue for him.
	keys "$name" 3
	shows "$name" "^Observations due" "$2: the observations due"
	pick "$name" "^D1002AB " "$2: D1002AB chosen"
	shows "$name" "at court since 08:01" "$2: at court"
	row_has "$name" "D1002AB" "at court since 08:01" "A1, cell 2" \
	    "$2: at court, his cell"
	checks=$((checks + 1))
	! row "$name" "D1002AB" | grep -q OVERDUE ||
	    fail "$2: overdue while at court: $(cat "$T/screen")"
	keep_screen "obs-court-$2"
	pick "$name" "^D1001AA " "$2: D1001AA chosen"
	row_has "$name" "D1001AA" "cell 7" "DEMO-Exam" "Demo" \
	    "$2: observations, the cell and name"
	keep_screen "obs-$2"
	# The court list.
	keys "$name" 4
	shows "$name" "^Court list" "$2: the court list"
	shows "$name" "D1002AB" "$2: the court list's rows"
	row_has "$name" "D1002AB" "court" "A1, cell 2" "Feather" "Bart" \
	    "missed" "$2: the court list's cell, name and dose state"
	keep_screen "court-$2"
}

WARD_COLS=80 WARD_ROWS=24 ward_start s --lock-after 600 --refresh 2
sign_in_ward s nina 4444
shows s "Nina Nurse (nina)" "nina signed in at 80x24"
panes s 80x24
# Sixteen alerts or more do not fit 80x24: the title row says how many
# are out of view, below and then above.
keys s 1
shows s "^Alerts (all).* v [0-9]* more below" "80x24: more below"
keys s End
shows s "^Alerts (all).* ^ [0-9]* more above" "80x24: more above"
keys s Home
hides s "more above" "80x24: at the top again"
# 80 columns leave the drug out (on the row below the list instead).
keys s 2
shows s "^TIME " "the round's header"
checks=$((checks + 1))
! grep -q "^TIME .* DRUG " "$T/screen" || fail "a drug column at 80x24"

WARD_COLS=120 WARD_ROWS=40 ward_start l --lock-after 600 --refresh 2
sign_in_ward l nell 6666
shows l "Nell Nurse (nell)" "nell signed in at 120x40"
panes l 120x40
keys l 2
shows l "^TIME .* DRUG " "120 columns add the drug"
row_has l "^[0-9:]* .*D1002AB" "Methadone" "the drug at 120x40"
keys l 3
shows l " EVERY" "120 columns add the interval"

# ========================================================================
# The alerts pane: a filter; an acknowledgement with a note.
# ========================================================================
keys s 1
shows s "^Alerts (all)" "the alerts pane"
keys s f
shows s "^Alerts (mine)" "f: those I may acknowledge"
keys s f
shows s "^Alerts (the ward's)" "f: the ward's"
keys s f
shows s "^Alerts (all)" "f: all again"
keys s Home
keys s a
shows s "Acknowledge this alert as Nina Nurse?" "a asks, with a note"
shows s "Note (optional)" "the note's field"
typed s "seen; Dr Doc called"
keys s Enter
shows s "Acknowledge this alert as Nina Nurse?  y: acknowledge" \
    "Enter: the question"
keys s y
shows s "Acknowledged by Nina Nurse (note: seen; Dr Doc called): D1001AA" \
    "acknowledged, with its note"
TOKEN=$NINA_TOKEN
api GET /alerts
checks=$((checks + 1))
NOTE=$(jqout '[.[] | select(.patient_id == "'"$PID_D1"'" and
    .severity == "emergency" and .audience == "ward")][0].ack_note')
[ "$NOTE" = "seen; Dr Doc called" ] || fail "the note is not the alert's: $NOTE"
shows s "1 Alerts ([0-9]*: [0-9]* URGENT)" "no EMERGENCY left open"

# ========================================================================
# A HELD dose: refused before any PIN is asked.
# ========================================================================
keys s 2
pick s "^The prescription is held for review" "the held dose chosen"
keys s g
shows s "NOT GIVEN, no PIN asked: The prescription is on hold" \
    "a held dose refused, saying why"
checks=$((checks + 1))
! grep -q "Witness PIN" "$T/screen" ||
    fail "a PIN was asked for a held dose: $(cat "$T/screen")"

# A caution not confirmed: nothing given, no PIN asked, saying why.
pick s "^E1011AA " "E1011AA's dose chosen"
keys s g
shows s "Caution 1 of [0-9]* before giving" "E1011AA's first caution"
keys s n
shows s "NOT GIVEN, no PIN asked: the caution .* was not confirmed" \
    "a caution not confirmed, saying why"
checks=$((checks + 1))
! grep -q "Witness PIN" "$T/screen" ||
    fail "a PIN was asked with a caution unconfirmed: $(cat "$T/screen")"

# A wrong witness PIN: how many tries are left before the lock.
keys s g
shows s "Caution 1 of [0-9]* before giving" "E1011AA's first caution again"
i=0
while screen s; grep -q "before giving" "$T/screen"; do
	[ $i -lt 10 ] || fail "the cautions do not end"
	keys s y
	sleep 0.3
	i=$((i + 1))
done
shows s "Give a dose" "the give form for E1011AA"
fill s E1011AA carl 0000 "considered"
shows s "[0-9] tr[a-z]* left before the account locks" \
    "a wrong witness PIN: the tries left"
keys s Escape
hides s "Give a dose" "Esc closes the form"

# ========================================================================
# Consciousness is chosen, never pre-filled.
# ========================================================================
keys s 3
pick s "^E1011AA " "E1011AA's observation chosen"
keys s o
shows s "Record an observation" "the form"
screen s
checks=$((checks + 1))
grep -q "Consciousness (A C V P U) *: *│" "$T/screen" ||
    fail "consciousness pre-filled: $(grep Consciousness "$T/screen")"
fill s 16 97 "" "" 125 70 ""
shows s "Fill in: Consciousness (A C V P U)" "consciousness required"
checks=$((checks + 1))
! grep -q "Save this observation" "$T/screen" ||
    fail "an observation ready to save unassessed"
keys s Escape
hides s "Record an observation" "Esc: nothing saved"

# ========================================================================
# Reception books in a man on methadone who uses crack cocaine.
# ========================================================================
WARD_COLS=80 WARD_ROWS=24 ward_start r --lock-after 600 --refresh 2
sign_in_ward r rita 1111
shows r "Rita Reception (rita)" "rita signed in"
keys r n
shows r "Book an arrival in" "n: the reception form"
fill r F2001AA Mark Maddox
typed r "12/03/1988"
keys r Enter
shows r "is not a date here: write YYYY-MM-DD (1988-03-12" \
    "a date of birth typed 12/03/1988, refused at its prompt"
shows r "Family name *: Maddox" "the answers before it kept"
keys r C-u
fill r 1988-03-12 "Healthcare, cell 3" "" y methadone 30 ml \
    "Dr A Smith, Leeds CDT" "yesterday 09:00"
shows r "Book in F2001AA Maddox, Mark?" "the question"
keys r y
shows r "BOOKED IN: F2001AA Maddox, Mark, Healthcare, cell 3" "booked in"
shows r "Treatment continued: 24-hour clock started 08:10, due " \
    "the treatment clock and when it is due"
shows r "Keyworker allocated (working days): 24-hour clock started" \
    "the keyworker clock"
shows r "the first is due NOW" "the first observation due now"
keep_screen booked
TOKEN=$NINA_TOKEN
api GET "/patients?prison_number=F2001AA"
checks=$((checks + 1))
[ "$(jqout '.[0] | "\(.date_of_birth) \(.flags.stimulant_user) \(
    .community_treatment.last_dose_at[0:16])"')" = \
    "1988-03-12 true 2027-06-13T08:00" ] ||
    fail "not booked as typed: $BODY_OUT"
keys r Escape

# ========================================================================
# c: change my PIN.
# ========================================================================
keys l c
shows l "Change my PIN" "c: the form"
fill l 6666 12
shows l "A PIN is 4 to 12 digits" "a short PIN refused at its prompt"
fill l 80734 80734
shows l "Your PIN is changed" "changed"
sign_in nell 80734

for name in s l r; do
	ward_quit "$name"
done
pass
