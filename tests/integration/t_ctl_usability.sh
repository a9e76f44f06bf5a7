#!/bin/sh
# idtsctl as reception, nurses and prescribers use it (issue 17), in
# winter (GMT), the test clock set with curl:
# - reception's arrival form at a terminal (script(1) gives it one): a
#   date of birth typed 12/03/1988 and a dose typed "30 ml" are refused at
#   their own prompts and asked again, the rest of the form kept; the last
#   community dose is asked and read as "yesterday 09:00"; after booking,
#   the two 24-hour clocks and their deadlines, and the first observation
#   due now;
# - the one local time grammar: a time the clocks skip or pass twice is
#   refused, saying which;
# - short ids: any unique start of 8 or more characters of an id, in
#   every command; none, ambiguous and too short answered clearly;
# - a wrong PIN says how many tries are left, a lock when it lifts;
# - the escort summary for a man who leaves without his morning dose:
#   printed the night before it says so in its header, after he leaves
#   "today's dose NOT given", the next dose, the latest NEWS2 and plan,
#   the community prescriber, ml and mg, no internal id; as a printable
#   page (no script, a strict Content-Security-Policy); --print through a
#   fake lp;
# - idtsctl pin as a nurse changes her own PIN.
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/ctllib.sh
. "$(dirname "$0")/ctllib.sh"

command -v script >/dev/null || { echo "SKIP: no script(1)"; exit 77; }
NINA_PIN=4444

login_all() {
	for who in boss:424242 rita:1111 doc:3333 nina:$NINA_PIN phil:2222; do
		as "${who%:*}" IDTS_PIN="${who#*:}" $C login "${who%:*}" \
		    >/dev/null || fail "login ${who%:*}"
	done
}

# at_terminal USER INPUT COMMAND...: run an idtsctl command as USER at a
# terminal (script(1)), INPUT (printf's format) typed line by line; what
# the terminal showed is kept in $T/ctl.out.
at_terminal() {
	u=$1
	input=$2
	shift 2
	checks=$((checks + 1))
	# shellcheck disable=SC2059
	printf "$input" | env XDG_CONFIG_HOME="$T/cfg/$u" \
	    script -qec "$*" /dev/null >"$T/ctl.out" 2>&1 ||
	    fail "at a terminal: $*: $(cat "$T/ctl.out")"
	tr -d '\r' <"$T/ctl.out" >"$T/ctl.tmp" && mv "$T/ctl.tmp" "$T/ctl.out"
}

# ========================================================================
# Tuesday 12 January 2027, 09:00 GMT: reception.
# ========================================================================
clock_to 2027-01-12T09:00:00Z
IDTS_PIN=424242 ok as boss $C login boss
add_staff "rita Rita_Reception reception 1111" \
    "doc Dr_Doc prescriber 3333" "nina Nina_Nurse nurse 4444" \
    "phil Phil_Pharmacist pharmacist 2222" \
    "carl Carl_Competent competent 7777" "lena Lena_Locum nurse 8888"
login_all
ok as phil $C products add --name Methadone --form "oral solution" \
    --strength 1mg/ml --unit ml
ok as phil $C products set Methadone --active "1 mg"

# The arrival form, a typo on the way: the date of birth written the
# British way and a dose with its unit are refused at their own prompts
# and asked again; nothing typed before is lost.
at_terminal rita 'D1001AA\nDan\nExample\n12/03/1988\n1988-03-12\nStabilisation Unit, cell 7\ny\ny\nmethadone\n30 ml\n30\nml\nDr Ames, Leeds CDT\nyesterday 09:00\n' \
    "$C" arrive
out_has '"12/03/1988" is not a date here: write YYYY-MM-DD (1988-03-12 if you mean day 12 of month 3): please type it again' \
    "arrive: 12/03/1988 refused at its own prompt"
out_has '"30 ml" is not a dose' "arrive: a dose with its unit refused at its prompt"
out_has "last community dose (e.g. today 08:30, yesterday 09:00; blank: not known):" \
    "arrive: the last community dose is asked"
out_has "^booked in D1001AA Example, Dan at Tue 12 Jan 09:00 GMT$" \
    "arrive: the confirmation"
out_has "^  2 24-hour clocks started:$" "arrive: two 24-hour clocks started"
out_has "^    first substitute dose given and signed: due by Wed 13 Jan 09:00 GMT$" \
    "arrive: the treatment clock's deadline"
out_has "^    CARAT keyworker allocated: due by Wed 13 Jan 09:00 GMT$" \
    "arrive: the keyworker clock's deadline"
out_has "^  stimulant user: first observation due NOW (09:00)" \
    "arrive: the first observation due now for a stimulant user"
ok as nina $C --json patient show D1001AA
jq_is '"\(.date_of_birth) \(.location) \(.community_treatment.last_dose_at) \(.community_treatment.prescriber)"' \
    "1988-03-12 Stabilisation Unit, cell 7 2027-01-11T09:00:00Z Dr Ames, Leeds CDT" \
    "arrive: the answers kept, the last dose read in the unit's zone"

# With options: the same grammar ("today 08:30"); a last dose in the
# future or a date of birth with slashes is refused before anything is
# sent, with no terminal to ask at.
ok as rita $C arrive --number E2002BB --given Ed --family Other \
    --dob 1979-01-02 --location "A1-02" --no-stimulant \
    --treatment methadone --dose 40 --unit ml --prescriber "Dr B" \
    --last-dose "today 08:30"
out_has "^  no observations planned (not a stimulant user)$" \
    "arrive: no observation plan said"
ok as nina $C --json patient show E2002BB
jq_is .community_treatment.last_dose_at 2027-01-12T08:30:00Z \
    "arrive --last-dose 'today 08:30'"
status_is 2 as rita $C arrive --number F3003CC --given Fay --family Third \
    --dob 12/03/1988 --location A1-03 --no-stimulant
err_has "1988-03-12 if you mean day 12 of month 3" "arrive --dob 12/03/1988"
status_is 2 as rita $C arrive --number F3003CC --given Fay --family Third \
    --dob 1988-03-12 --location A1-03 --no-stimulant --treatment methadone \
    --dose 40 --unit ml --prescriber "Dr B" --last-dose "tomorrow 09:00"
err_has '"tomorrow 09:00" is in the future' "arrive --last-dose in the future"

# A time the clocks skip or pass twice is refused, saying which.
status_is 2 as rita $C movement add D1001AA --kind court \
    --departs "2027-03-28 01:30" --to "Leeds Crown Court"
err_has "2027-03-28 01:30 does not exist: the clocks went forward from 01:00 to 02:00" \
    "a time the clocks skip"
status_is 2 as rita $C movement add D1001AA --kind court \
    --departs "2027-10-31 01:30" --to "Leeds Crown Court"
err_has "2027-10-31 01:30 happened twice: the clocks went back from 02:00 to 01:00" \
    "a time the clocks pass twice"

# The prescriber: methadone from tomorrow; the first observation.
ok as doc $C prescribe D1001AA --product Methadone --dose 30 \
    --times 08:00 --start tomorrow
ok as nina $C obs record D1001AA --at "today 09:02" --rr 16 --spo2 97 --scale 1 \
    --air --bp 122 --pulse 80 --acvpu A --temp 36.8

# Reception books tomorrow's court escort: the morning dose moves before
# it.
ok as rita $C movement add D1001AA --kind court --departs "tomorrow 08:30" \
    --to "Leeds Crown Court"
MV=$(awk '$1 == "id" { print $2 }' "$T/ctl.out")
[ ${#MV} = 36 ] || fail "no movement id: $(cat "$T/ctl.out")"
SHORT=$(echo "$MV" | cut -c1-8)

# ========================================================================
# Short ids, in one place (the daemon's, short_id.c).
# ========================================================================
# shellcheck disable=SC2086
ok as nina $C movement summary $SHORT
out_has "^  Movement  *court to Leeds Crown Court$" \
    "short ids: a unique start of 8 characters names the movement"
status_is 1 as nina $C movement summary 00000000
err_has "there is no movement whose id begins 00000000 [not_found]" \
    "short ids: none"
status_is 1 as nina $C movement summary "$(echo "$MV" | cut -c1-7)"
err_has "is too short to name a movement: give at least 8 characters of its id [id_too_short]" \
    "short ids: too short"
status_is 2 as nina $C movement summary "$SHORT/../x"
err_has "is not a movement's id" "short ids: only hex digits and hyphens sent"
# Two terminals made to share their first 8 characters: ambiguous.
ok as boss $C --json terminal enrol ward-a --location "Ward A"
TA=$(jq -r .id "$T/ctl.out")
ok as boss $C --json terminal enrol ward-b --location "Ward B"
TB=$(jq -r .id "$T/ctl.out")
sql "UPDATE terminals SET id = '$(echo "$TA" | cut -c1-8)' || substr(id, 9) WHERE id = '$TB'"
status_is 1 as boss $C terminal revoke "$(echo "$TA" | cut -c1-8)"
err_has "ambiguous_id: $(echo "$TA" | cut -c1-8) begins the ids of more than one terminal: give more of its characters" \
    "short ids: ambiguous"
ok as boss $C terminal revoke "$(echo "$TA" | cut -c1-13)"
out_has "revoked" "short ids: a longer start names one"

# ========================================================================
# Witness and PIN: the tries left, and when a lock lifts.
# ========================================================================
status_is 1 as lena IDTS_PIN=1234 $C login lena
err_has "idtsctl: 4 tries left before the account locks" "a wrong PIN: 4 tries left"
for n in 3 2 1; do
	status_is 1 as lena IDTS_PIN=1234 $C login lena
	[ $n = 1 ] && want="1 try left" || want="$n tries left"
	err_has "idtsctl: $want before the account locks" "a wrong PIN: $want"
done
status_is 1 as lena IDTS_PIN=1234 $C login lena
err_has "idtsctl: locked until 09:15" "the PIN that locks: when the lock lifts"
status_is 1 as lena IDTS_PIN=8888 $C login lena
err_has "idtsctl: locked until 09:15" "locked: when it lifts"
TOKEN=""
api POST /sessions '{"username":"lena","pin":"8888"}'
expect_status 403
case $(jqout .error.locked_until) in
2027-01-12T09:15:*) ;;
*) fail "the lock answer's locked_until: $(cat "$T/out")" ;;
esac
checks=$((checks + 1))

# idtsctl pin, as a nurse uses it: her own PIN changed, the old one gone.
IDTS_PIN=4444 IDTS_NEW_PIN=4545 ok as nina $C pin
out_has "^PIN changed for nina" "pin: changed"
status_is 1 as nina IDTS_PIN=4444 $C login nina
IDTS_PIN=4545 ok as nina $C login nina
# ... and at a terminal, as she would (tmux: each PIN typed when it is
# asked for, without echo).
if command -v tmux >/dev/null; then
	TM="tmux -L ctlpin$$ -f /dev/null"
	$TM new-session -d -x 80 -y 24 "env XDG_CONFIG_HOME=$T/cfg/nina $C pin; echo EXIT=\$?; sleep 30"
	for step in "old PIN:4545" "new PIN:4646" "new PIN again:4646"; do
		i=0
		until $TM capture-pane -p | grep -q "${step%%:*}: *$"; do
			[ $i -lt 100 ] || fail "pin at a terminal: no '${step%%:*}': $($TM capture-pane -p)"
			sleep 0.05
			i=$((i + 1))
		done
		$TM send-keys "${step#*:}" Enter
	done
	i=0
	until $TM capture-pane -p | grep -q "^EXIT="; do
		[ $i -lt 100 ] || fail "pin at a terminal: no end: $($TM capture-pane -p)"
		sleep 0.05
		i=$((i + 1))
	done
	$TM capture-pane -p >"$T/ctl.out"
	$TM kill-server
	out_has "^PIN changed for nina" "pin at a terminal: changed"
	out_has "^EXIT=0" "pin at a terminal: exit 0"
	out_lacks "4646" "pin at a terminal: no PIN echoed"
	NINA_PIN=4646
fi

# ========================================================================
# 20:00: the escort's summary printed the night before.
# ========================================================================
clock_to 2027-01-12T20:00:00Z
ok as nina $C movement summary "$MV"
out_has "^PRINTED BEFORE THE MORNING DOSE: reprint after it$" \
    "summary printed before the morning dose says so in its header"
out_has "^  Today  *today's dose not given yet: due Wed 13 Jan 08:00 GMT$" \
    "summary before the dose: when it is due"

# Wednesday 08:35: he leaves without it.
clock_to 2027-01-13T08:35:00Z
login_all
ok as rita $C movement depart "$SHORT"
clock_to 2027-01-13T10:00:00Z
ok as nina $C movement summary "$MV"
cp "$T/ctl.out" "$T/summary.txt"
out_has "^  Today  *today's dose NOT given (missed)$" \
    "the escort summary says today's dose was not given"
out_has "^  Next dose due  *Thu 14 Jan 08:00 GMT$" "summary: the next dose due"
out_has "^  Current dose  *30 ml (30 mg)$" "summary: the dose in ml and mg"
out_has "^  Community  *Dr Ames, Leeds CDT$" "summary: the community prescriber"
out_has "^  Latest NEWS2  *[0-9][0-9]* ([a-z-]*), taken Tue 12 Jan 09:02 GMT$" \
    "summary: the latest NEWS2"
out_has "^  Observations  *every [0-9]* minutes until " "summary: the observation plan"
out_has "^  Last dose  *none given here$" "summary: no dose given here"
out_lacks "PRINTED BEFORE" "summary after the round: no reprint note"
out_lacks "[0-9a-f]\{8\}-[0-9a-f]\{4\}-" "summary: no internal id"

# The printable page: the same words, escaped; no script; a strict CSP.
sign_in nina "$NINA_PIN"
rm -f "$T/headers"
api GET "/movements/$SHORT/summary" "" -H "Accept: text/html" \
    -D "$T/headers"
expect_status 200
checks=$((checks + 1))
grep -qi "^content-type: text/html; charset=utf-8" "$T/headers" ||
    fail "html: the type: $(cat "$T/headers")"
grep -qi "^content-security-policy: default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'" \
    "$T/headers" || fail "html: no strict CSP: $(cat "$T/headers")"
grep -q "today&#39;s dose NOT given (missed)" "$T/out" ||
    fail "html: today's dose: $(cat "$T/out")"
grep -q "@page{size:A4" "$T/out" || fail "html: no print stylesheet"
! grep -qi "<script" "$T/out" || fail "html: a script"
ok as nina $C movement summary "$SHORT" --html
out_has "^<!DOCTYPE html>" "movement summary --html"

# --print: the text, byte for byte, to the configured printer with lp.
mkdir -p "$T/bin"
cat >"$T/bin/lp" <<EOF
#!/bin/sh
printf '%s\n' "\$@" >"$T/lp.args"
cat >"$T/lp.out"
exit \${FAKE_LP_STATUS:-0}
EOF
chmod +x "$T/bin/lp"
ok as nina PATH="$T/bin:$PATH" IDTSCTL_PRINTER=ward-printer $C movement \
    summary "$SHORT" --print
out_has "^sent to the printer: idtsd movement $SHORT$" "--print: said"
checks=$((checks + 1))
[ "$(tr '\n' ' ' <"$T/lp.args")" = "-d ward-printer -t idtsd movement $SHORT " ] ||
    fail "--print: lp's arguments: $(cat "$T/lp.args")"
cmp -s "$T/lp.out" "$T/summary.txt" ||
    fail "--print: not the summary's text: $(diff "$T/summary.txt" "$T/lp.out")"
checks=$((checks + 1))
mkdir -p "$T/cfg/nina/idtsctl"
echo "escort-desk" >"$T/cfg/nina/idtsctl/printer"
ok as nina PATH="$T/bin:$PATH" $C movement summary "$SHORT" --print
grep -qx "escort-desk" "$T/lp.args" || fail "--print: the printer file"
checks=$((checks + 1))
status_is 1 as nina PATH="$T/bin:$PATH" FAKE_LP_STATUS=1 $C movement \
    summary "$SHORT" --print
err_has "idtsctl: not printed: lp failed (exit status 1): printer escort-desk" \
    "--print: lp failing is said"

pass
