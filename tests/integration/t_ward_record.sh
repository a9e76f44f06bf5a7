#!/bin/sh
# idts-ward's patient screen and handover pane (issue 17), in tmux at
# 80x24 and at 120x40, read from the screen, on D1002AB's Tuesday
# (recordlib.sh) at 19:30: p on the observations pane's row opens his
# record (his cell, prison number and name; the clocks; the prescription
# and its run; the NEWS2 sparkline and trend; the dose given by Nina,
# Cody witnessing; the court booking and the correction; at 120 columns
# each observation's readings); h opens the night's handover (court
# tomorrow, the observations handed over, the keyworker deadline) and d
# the day's; Esc goes back.  The screens at 80x24 are kept in BUILD/test-output.  Seen
# failing with the p key left out of ward.c ('the patient screen').  An
# emergency's message is on the patient screen whole at 80x24, wrapped;
# seen failing with its line cut at the screen's edge.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/recordlib.sh"
export IDTS_SERVER="http://127.0.0.1:$PORT"
# shellcheck source=tests/integration/wardlib.sh
. "$(dirname "$0")/wardlib.sh"
OUT="$BUILD/test-output/t_ward_record"
mkdir -p "$OUT"

# look COLS ROWS: the patient screen and the handover pane at that size.
look() {
	WARD_COLS=$1 WARD_ROWS=$2 ward_start "w$1"
	sign_in_ward "w$1" nina 1111
	shows "w$1" "Nina Nurse" "signed in at $1x$2"
	keys "w$1" 3
	shows "w$1" "D1002AB" "the observations pane at $1x$2"
	keys "w$1" p
	shows "w$1" "Observations  NEWS2" "the patient screen at $1x$2"
	cp "$T/screen" "$OUT/patient-$1x$2.txt"
	for want in "cell 3" "D1002AB" "Example" "Clock keyworker_allocated" \
	    "not taken in a row 0" "last 4, rising" "Methadone"; do
		checks=$((checks + 1))
		grep -qF -- "$want" "$T/screen" ||
		    fail "the patient screen at $1x$2 lacks '$want':
$(cat "$T/screen")"
	done
	keys "w$1" NPage
	shows "w$1" "Nina Nurse, witness Cody Competent" \
	    "the dose, who gave it and who witnessed it, at $1x$2"
	[ "$1" -lt 100 ] ||
	    shows "w$1" "RR 22 SpO2 97" "the readings at $1x$2"
	shows "w$1" "location: cell 2 -> cell 3" "the correction at $1x$2"
	keys "w$1" Escape
	hides "w$1" "Observations  NEWS2" "Esc goes back at $1x$2"
	keys "w$1" h
	shows "w$1" "Handover, night shift" "the handover pane at $1x$2"
	cp "$T/screen" "$OUT/handover-$1x$2.txt"
	for want in "COURT TOMORROW" "NEWS2 4 rising" "observation OVERDUE" \
	    "keyworker_allocated deadline"; do
		checks=$((checks + 1))
		grep -qF -- "$want" "$T/screen" ||
		    fail "the handover pane at $1x$2 lacks '$want':
$(cat "$T/screen")"
	done
	keys "w$1" d
	shows "w$1" "Handover, day shift" "d: the day's sheet at $1x$2"
	keys "w$1" Escape
	ward_quit "w$1"
}
look 80 24
look 120 40

# An emergency at 19:30 (NEWS2 15): its alert's message, longer than a
# row, is on the patient screen whole at 80x24, wrapped, never cut.
TOKEN=$NURSE
api POST /observations "$(printf '%s' "$NORMAL" | jq -c --arg p "$PAT" \
    '. + {patient_id: $p, taken_at: "2026-12-08T19:30:00Z"} |
    .respiratory_rate = 26 | .spo2 = 90 | .pulse = 135 |
    .systolic_bp = 88 | .consciousness = "C"')"
expect_status 201
api GET "/patients/$PAT/record"
ALERT_MSG=$(jqout '[.alerts[] | select(.severity == "emergency")][0].message')
[ "${#ALERT_MSG}" -gt 80 ] || fail "the emergency's message is short: $ALERT_MSG"
WARD_COLS=80 WARD_ROWS=24 ward_start wem
sign_in_ward wem nina 1111
shows wem "Nina Nurse" "signed in for the emergency"
keys wem 3
shows wem "D1002AB" "the observations pane for the emergency"
keys wem p
shows wem "Observations  NEWS2" "the patient screen with the emergency"
keys wem NPage NPage NPage
shows_whole wem "$ALERT_MSG" "the emergency's message whole on the patient screen at 80x24"
cp "$T/screen" "$OUT/patient-emergency-80x24.txt"
ward_quit wem
pass
