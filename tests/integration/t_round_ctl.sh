#!/bin/sh
# A morning's dose round and controlled-drug register with idtsctl alone
# (the test clock set with curl): the pharmacist adds a product and
# receives stock, witnessed; the prescriber writes a maintenance and a
# reducing prescription for patients named by prison number; the nurse
# reads the round in local time (Europe/London, in summer time), gives a
# dose witnessed by carl (IDTS_WITNESS_PIN), records one refused, counts
# the stock (agreeing, then a STOCK DIFFERENCE, which still exits 0); the
# pharmacist corrects an entry; the register page shows every entry with
# its balance and who made and witnessed it; --json answers parse.
# Refusals exit 1 with the daemon's message (wrong witness PIN, the nurse
# as her own witness, a dose not due, a held prescription) and change no
# dose, entry or prescription; usage errors exit 2 and send nothing.
# Then three days on (the clock stepped a day at a time, as the ward
# lives through them): doses not taken hold a prescription, shown HELD;
# giving is refused until the prescriber's review lifts the hold; a dose
# withheld, a prescription stopped, stock returned and destroyed.
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/ctllib.sh
. "$(dirname "$0")/ctllib.sh"

# login_all: everyone signs in at their own terminal (again after a day,
# when the sessions have idled out).
login_all() {
	as boss IDTS_PIN=424242 $C login boss >/dev/null ||
	    fail "login boss"
	for who in rita:1111 phil:2222 doc:3333 nina:4444 nora:5555; do
		as "${who%:*}" IDTS_PIN="${who#*:}" $C login "${who%:*}" \
		    >/dev/null || fail "login ${who%:*}"
	done
}

# short_id PRISON_NUMBER: the dose id as the round shows it (8 characters)
# on the patient's line of the last round.
short_id() {
	awk -v pn="$1" '$0 ~ pn { print $NF }' "$T/ctl.out"
}

FP_TABLES="doses register_entries prescriptions alerts"

# ========================================================================
# Monday 14 June 2027, 06:00 BST (05:00 UTC).
# ========================================================================
clock_to 2027-06-14T05:00:00Z
IDTS_PIN=424242 ok as boss $C login boss
add_staff "rita Rita_Reception reception 1111" \
    "phil Phil_Pharmacist pharmacist 2222" "doc Dr_Doc prescriber 3333" \
    "nina Nina_Nurse nurse 4444" "nora Nora_Nurse nurse 5555" \
    "carl Carl_Competent competent 7777"
login_all

# --- the pharmacist: a page of the register, and stock received ----------
ok as phil $C products add --name Methadone --form "oral solution" \
    --strength 1mg/ml --unit ml
out_has "^Methadone  *oral solution  *1mg/ml  *ml  *0 " "products add"
status_is 1 as phil $C products add --name Methadone --form "oral solution" \
    --strength 1mg/ml --unit ml
err_has "[product_exists]" "a second page for the same product"
ok as phil IDTS_WITNESS_PIN=7777 $C receive Methadone --quantity 500 \
    --supplier Alliance --reference INV-1 --witness carl
out_has "^recorded: receipt +500 ml on Methadone 1mg/ml oral solution, entry #1 at 2027-06-14 06:0" \
    "receive"
out_has "by Phil Pharmacist (phil), witness Carl Competent (carl)" \
    "receive names both"
out_has "balance after 500 ml" "receive balance"
ok as nina $C products
out_has "^Methadone .* 500 " "products balance"
ok as nina $C --json products
jq_is '.[0] | "\(.name) \(.unit) \(.balance)"' "Methadone ml 500" "--json products"

# --- reception: three patients arrive -------------------------------------
for p in "A1001AA Alan Able A1-01" "B2002BB Bea Baker A1-02" \
    "C3003CC Cy Cole A2-01"; do
	# shellcheck disable=SC2086
	set -- $p
	ok as rita $C arrive --number "$1" --given "$2" --family "$3" \
	    --dob 1985-05-05 --location "$4" --no-stimulant \
	    --arrived 2027-06-13T18:00:00Z
done

# --- the prescriber ------------------------------------------------------
ok as doc $C prescribe A1001AA --product methadone --dose 60 --times 08:00 \
    --start 2027-06-14
out_has "^A1001AA  Able, Alan  A1-01" "prescribe names the patient"
out_has "^Methadone 1mg/ml oral solution  *maintenance  *60 ml  *08:00  *2027-06-14  .*active  *0  *Dr Doc " \
    "the maintenance prescription"
ok as doc $C prescribe B2002BB --product Methadone --dose 30 --times 08:00 \
    --start 2027-06-14 --reducing --step 2027-06-16=25 \
    --step 2027-06-18=20 --step 2027-06-20=0
out_has "reducing  *30 ml  *08:00  *2027-06-14 .*active" "the reducing prescription"
out_has "reducing from 30 ml: 25 ml from 2027-06-16, 20 ml from 2027-06-18, 0 ml from 2027-06-20$" \
    "the reducing steps"
ok as doc $C --json prescribe C3003CC --product Methadone --dose 45.5 \
    --times 08:00 --start 2027-06-14
jq_is '"\(.regimen) \(.dose) \(.unit) \(.times | join(",")) \(.state) \(.patient.prison_number) \(.prescriber.username)"' \
    "maintenance 45.5 ml 08:00 active C3003CC doc" "--json prescribe"
RX_C=$(jq -r .id "$T/ctl.out")
status_is 1 as doc $C prescribe C3003CC --product Methadone --dose 40 \
    --times 20:00 --start 2027-06-15
err_has "[prescription_exists]" "a second methadone prescription"
ok as nina $C prescriptions B2002BB
out_has "^B2002BB  Baker, Bea" "prescriptions: the patient"
out_has "reducing  *30 ml .*active  *0  *Dr Doc" "prescriptions: today's dose"

# --- 06:00: the round before the window opens ----------------------------
ok as nina $C round
out_has "^round today: 3 scheduled$" "the early round's count"
out_has "^08:00  *A1-01  *A1001AA  *Able, Alan  *Methadone 1mg/ml  *60 ml  *scheduled " \
    "round at 06:00, in local time"
D_A=$(short_id A1001AA)
[ ${#D_A} = 8 ] || fail "no short id for A1001AA: $(cat "$T/ctl.out")"
ok as nina TZ=UTC $C round
out_has "^07:00  *A1-01  *A1001AA" "round times follow TZ"
FP=$(table_fingerprint $FP_TABLES)
status_is 1 as nina IDTS_WITNESS_PIN=7777 $C give "$D_A" $(cautions_flags "$D_A") --witness carl
err_has "idtsctl: this dose's window has not opened yet [dose_not_due]" \
    "giving before the window"
checks=$((checks + 1))
[ "$(table_fingerprint $FP_TABLES)" = "$FP" ] || fail "dose_not_due changed something"

# ========================================================================
# 08:10 BST: the round.
# ========================================================================
clock_to 2027-06-14T07:10:00Z
ok as nina $C round
out_has "^round today: 3 due$" "the round's count"
out_has "^08:00  *A1-01  *A1001AA  *Able, Alan  *Methadone 1mg/ml  *60 ml  *due  " \
    "A1001AA due"
out_has "^08:00  *A2-01  *C3003CC  *Cole, Cy  *Methadone 1mg/ml  *45.5 ml  *due  " \
    "C3003CC due"
D_A=$(short_id A1001AA)
D_B=$(short_id B2002BB)
D_C=$(short_id C3003CC)
ok as nina $C --json round
jq_is 'length' 3 "--json round"
jq_is '[.[] | select(.id | startswith("'"$D_A"'"))][0] | "\(.patient.prison_number) \(.product.name) \(.dose) \(.unit) \(.state) \(.due_at)"' \
    "A1001AA Methadone 60 ml due 2027-06-14T07:00:00Z" "--json round fields"
jq_is '[.[] | has("window_start") and has("window_end") and has("prescription_id")] | all' \
    true "--json round: windows"

# Refusals: each exits 1 with the daemon's words, and records nothing.
FP=$(table_fingerprint $FP_TABLES)
status_is 1 as nina IDTS_WITNESS_PIN=0000 $C give "$D_A" $(cautions_flags "$D_A") --witness carl
err_has "idtsctl: the witness's username or PIN is wrong [witness_not_authenticated]" \
    "a wrong witness PIN"
checks=$((checks + 1))
[ "$(table_fingerprint $FP_TABLES)" = "$FP" ] || fail "a wrong PIN recorded something"
status_is 1 as nina IDTS_WITNESS_PIN=4444 $C give "$D_A" $(cautions_flags "$D_A") --witness nina
err_has "idtsctl: the person giving a dose cannot also witness it: ask someone else to witness [witness_not_distinct]" \
    "the nurse as her own witness"
checks=$((checks + 1))
[ "$(table_fingerprint $FP_TABLES)" = "$FP" ] || fail "witness_not_distinct recorded something"

# Usage errors: exit 2, nothing sent (not even to a daemon that is not
# there), the database as it was.
DB=$(db_fingerprint)
status_is 2 as nina IDTS_WITNESS_PIN=7777 $C give "$D_A"
err_has "usage: idtsctl give DOSE --witness USERNAME" "give without --witness"
status_is 2 as nina IDTS_WITNESS_PIN=7777 $C -s http://127.0.0.1:1 give "$D_A"
status_is 2 as phil IDTS_WITNESS_PIN=7777 $C receive Methadone \
    --quantity 1.2345 --supplier Alliance --reference INV-2 --witness carl
err_has "--quantity takes a number" "a quantity with 4 decimals"
status_is 2 as phil IDTS_WITNESS_PIN=7777 $C -s http://127.0.0.1:1 receive \
    Methadone --quantity 1.2345 --supplier Alliance --reference INV-2 \
    --witness carl
status_is 2 as nina IDTS_WITNESS_PIN=7777 $C check Methadone \
    --counted 440.0001 --witness carl
status_is 2 as doc $C prescribe A1001AA --product Methadone --dose 10 \
    --times 25:00 --start 2027-06-20
err_has "--times takes round times HH:MM" "a time of 25:00"
status_is 2 as doc $C -s http://127.0.0.1:1 prescribe A1001AA \
    --product Methadone --dose 10 --times 25:00 --start 2027-06-20
status_is 2 as doc $C prescribe A1001AA --product Methadone --dose 10.5555 \
    --times 20:00 --start 2027-06-20
status_is 2 as nina env -u IDTS_WITNESS_PIN $C give "$D_A" $(cautions_flags "$D_A") --witness carl
err_has "IDTS_WITNESS_PIN" "no witness PIN and no terminal"
checks=$((checks + 1))
[ "$(db_fingerprint)" = "$DB" ] || fail "a usage error changed the database"

# Its cautions: each printed in full before the PIN; in a script, one
# not confirmed, or confirmed without a note, or one the dose lacks, is
# refused with nothing recorded.
FP=$(table_fingerprint $FP_TABLES)
status_is 1 as nina IDTS_WITNESS_PIN=7777 $C give "$D_A" --witness carl
err_has "CAUTION first_dose_in_custody: this is the first dose in custody: none has been given since arrival on" \
    "give prints each caution in full"
err_has "[cautions_unconfirmed]" "give without --confirm"
status_is 1 as nina IDTS_WITNESS_PIN=7777 $C give "$D_A" \
    --confirm first_dose_in_custody --confirm community_dose_unknown \
    --witness carl
err_has "a note is needed" "give --confirm without --note"
status_is 1 as nina IDTS_WITNESS_PIN=7777 $C give "$D_A" \
    --confirm returned_today --note x --witness carl
err_has "[caution_not_present]" "give --confirm of a caution it lacks"
checks=$((checks + 1))
[ "$(table_fingerprint $FP_TABLES)" = "$FP" ] ||
    fail "a give refused for its cautions changed something"

# The dose given, witnessed by carl.
ok as nina IDTS_WITNESS_PIN=7777 $C give "$D_A" $(cautions_flags "$D_A") --witness carl
out_has "^given: 60 ml Methadone 1mg/ml for A1001AA Able, Alan (A1-01), due 08:00$" \
    "give: what was given"
out_has "^  at  *2027-06-14 08:1[0-9] BST$" "give: when, local"
out_has "^  given by  *Nina Nurse (nina)$" "give: by"
out_has "^  witnessed by  *Carl Competent (carl)$" "give: witness"
out_has "^  register  *entry [0-9a-f-]\{36\}, balance after 440 ml$" "give: register"
status_is 1 as nina IDTS_WITNESS_PIN=7777 $C give "$D_A" $(cautions_flags "$D_A") --witness carl
err_has "[already_administered]" "giving twice"
ok as nina IDTS_WITNESS_PIN=2222 $C --json give "$D_B" $(cautions_flags "$D_B") --witness phil
jq_is '"\(.administered_by.username) \(.witnessed_by.username) \(.dose) \(.unit) \(.balance_after)"' \
    "nina phil 30 ml 410" "--json give"
jq_is '.register_entry_id | test("^[0-9a-f-]{36}$")' true "--json give: entry"
jq_is '.dose_id | startswith("'"$D_B"'")' true "--json give: dose"

# Cy refuses his.
status_is 2 as nina $C refuse "$D_C"
ok as nina $C refuse "$D_C" --reason "says he feels fine today"
out_has "^refused: 45.5 ml Methadone 1mg/ml for C3003CC Cole, Cy (A2-01), due 08:00: says he feels fine today$" \
    "refuse"
# A refused dose can still be given in its window (he may come back),
# but only with the witness's own PIN.
status_is 1 as nina IDTS_WITNESS_PIN=1212 $C give "$D_C" $(cautions_flags "$D_C") --witness carl
err_has "[witness_not_authenticated]" "giving a refused dose, wrong PIN"

ok as nina $C round
out_has "^round today: 2 given, 1 refused$" "the round's count after"
out_has "^08:00  *A1-01  *A1001AA  *Able, Alan  *Methadone 1mg/ml  *60 ml  *given  *08:1[0-9] by nina, witness carl: considered  *$D_A$" \
    "the given dose in the round"
out_has "^08:00  *A1-02  *B2002BB  .*given  *08:1[0-9] by nina, witness phil: considered " \
    "the dose witnessed by the pharmacist"
out_has "^08:00  *A2-01  *C3003CC  .*refused  *08:1[0-9] nina: says he feels fine today " \
    "the refused dose in the round"
ok as nina $C round --state refused
out_has "^round today: 1 refused$" "round --state"
ok as nina $C --json round --state given
jq_is '[.[] | "\(.patient.prison_number) \(.state) \(.administered_by.username) \(.witnessed_by.username) \(.recorded_by.username)"] | join(",")' \
    "A1001AA given nina carl nina,B2002BB given nina phil nina" "--json round: given"

# --- stock checks: agreeing, then a difference ------------------------------
ok as nina IDTS_WITNESS_PIN=7777 $C check Methadone --counted 410 --witness carl
out_has "^counted 410 ml: the register agrees$" "a check that agrees"
out_has "^  by Nina Nurse (nina), witness Carl Competent (carl)$" "check names both"
ok as nina IDTS_WITNESS_PIN=7777 $C check Methadone --counted 407.5 --witness carl
out_has "^STOCK DIFFERENCE: counted 407.5 ml, the register says 410 ml: -2.5 ml$" \
    "a check with a difference"
out_has "The managers and pharmacy have been alerted" "the difference alerted"
ok as nina IDTS_WITNESS_PIN=7777 $C --json check Methadone --counted 407.5 \
    --witness carl
jq_is '"\(.kind) \(.counted) \(.difference) \(.balance_after) \(.by.username) \(.witness.username)"' \
    "check 407.5 -2.5 410 nina carl" "--json check"
ok as phil $C alerts
out_has "urgent .*pharmacy" "the pharmacy's stock alert"

# The pharmacist finds the receipt was 2.5 ml short, and corrects it.
status_is 2 as phil IDTS_WITNESS_PIN=7777 $C correct Methadone --entry 1 \
    --delta 0 --reason x --witness carl
ok as phil IDTS_WITNESS_PIN=7777 $C correct Methadone --entry 1 \
    --delta -2.5 --reason "receipt INV-1 was 497.5 ml" --witness carl
out_has "^recorded: correction -2.5 ml on Methadone 1mg/ml oral solution, entry #7 at " \
    "correct"
out_has "^  corrects #1: receipt INV-1 was 497.5 ml$" "correct: the entry"
out_has "balance after 407.5 ml" "correct: balance"
ok as nina IDTS_WITNESS_PIN=7777 $C check Methadone --counted 407.5 --witness carl
out_has "^counted 407.5 ml: the register agrees$" "the check after the correction"

# --- the page of the register ------------------------------------------------
ok as nina $C register Methadone
out_has "^register: Methadone 1mg/ml oral solution ([0-9a-f-]*), balance 407.5 ml$" \
    "register heading"
out_has "^1  *2027-06-14 06:0[0-9] BST  *receipt  *+500  *500  *phil  *carl  *from Alliance, ref INV-1 *$" \
    "register: the receipt"
out_has "^2  *2027-06-14 08:1[0-9] BST  *administration  *-60  *440  *nina  *carl  *A1001AA Able, Alan (dose $D_A)" \
    "register: the dose given"
out_has "^3  *2027-06-14 08:1[0-9] BST  *administration  *-30  *410  *nina  *phil  *B2002BB Baker, Bea" \
    "register: the dose witnessed by the pharmacist"
out_has "^4  .* check  .* 410  *nina  *carl  *counted 410 ml, agrees" "register: check"
out_has "^5  .* check  .* 410  *nina  *carl  *counted 407.5 ml, DIFFERENCE -2.5" \
    "register: the difference"
out_has "^7  .* correction  *-2.5  *407.5  *phil  *carl  *corrects #1: receipt INV-1 was 497.5 ml" \
    "register: the correction"
out_has "^8  .* check  .* 407.5  *nina  *carl  *counted 407.5 ml, agrees" \
    "register: the last check"
ok as nina $C register Methadone --after 6 --limit 1
out_has "^7 .* correction" "register --after --limit"
out_has "^more: idtsctl register Methadone --after 7 --limit 1$" "register: more"
ok as nina $C --json register Methadone
jq_is '.product.balance' 407.5 "--json register: balance"
jq_is '[.entries[] | "\(.seq):\(.kind):\(.quantity):\(.balance_after):\(.by.username):\(.witness.username)"] | join(" ")' \
    "1:receipt:500:500:phil:carl 2:administration:-60:440:nina:carl 3:administration:-30:410:nina:phil 4:check:0:410:nina:carl 5:check:0:410:nina:carl 6:check:0:410:nina:carl 7:correction:-2.5:407.5:phil:carl 8:check:0:407.5:nina:carl" \
    "--json register: the entries"
jq_is '.entries[1].patient.prison_number' A1001AA "--json register: the patient"
jq_is '.entries[6].corrects_entry_id == .entries[0].id' true \
    "--json register: what the correction corrects"
jq_is '.entries[0] | "\(.supplier) \(.reference) \(.by.display_name) \(.witness.display_name)"' \
    "Alliance INV-1 Phil Pharmacist Carl Competent" "--json register: the names"

# ========================================================================
# Three days on: Cy's refusal, then two missed doses, hold his
# prescription; the others took a dose on Monday and are not held.
# ========================================================================
# (Each day's doses are laid out by the scheduler ahead of time: wait
# for the next day's before moving on, as the ward would live through it.)
clock_to 2027-06-15T11:00:00Z
login_all
wait_out "^round of 2027-06-15: 3 missed$" as nina $C round --date 2027-06-15
wait_out "^round of 2027-06-16: 3 scheduled$" \
    as nina $C round --date 2027-06-16
ok as nina $C prescriptions C3003CC
out_has "45.5 ml .* active  *2 of 3: 1 more holds it  *Dr Doc " \
    "prescriptions: the not-taken run, how close to a hold, the prescriber's name"
clock_to 2027-06-16T11:00:00Z
login_all
wait_out '"held"' as nina $C --json prescriptions C3003CC
# Half past midnight in summer time is still the 16th in UTC: the
# round of "today" is the unit's local day, the 17th.
clock_to 2027-06-16T23:30:00Z
wait_out "^round today: 2 scheduled, 1 held$" as nina $C round
out_has "^08:00  *A2-01  *C3003CC  .*held " "the night round, in local time"
clock_to 2027-06-17T07:30:00Z
login_all
ok as nina $C prescriptions C3003CC
out_has "^C3003CC  Cole, Cy  A2-01$" "prescriptions: the patient"
out_has "maintenance  *45.5 ml  *08:00  *2027-06-14  .*HELD (3 not taken)  *3: HELD  *Dr Doc  *$RX_C" \
    "prescriptions: HELD"
out_has "^${RX_C%%-*} held for review since 2027-06-16 [0-9:]* BST: no dose can be given" \
    "prescriptions: what the hold waits for"
out_has "(idtsctl review $RX_C --note TEXT)" "prescriptions: the command"
ok as nina $C --json prescriptions C3003CC
jq_is '.[0] | "\(.state) \(.not_taken_run)"' "held 3" "--json prescriptions"
ok as nina $C prescriptions A1001AA
out_has "60 ml .* active " "A1001AA not held"
ok as nina $C prescriptions B2002BB
out_has "reducing  *25 ml  *08:00 .* active " "B2002BB on the 25 ml step"

ok as nina $C round
out_has "^round today: 2 due, 1 held$" "Thursday's round"
out_has "^08:00  *A1-02  *B2002BB  .*25 ml  *due " "the reducing dose"
out_has "^08:00  *A2-01  *C3003CC  .*45.5 ml  *held  *prescription held for review " \
    "the held dose"
D_A=$(short_id A1001AA)
D_C=$(short_id C3003CC)
FP=$(table_fingerprint $FP_TABLES)
# Said before the witness is asked for a PIN: with no PIN to give and no
# terminal to ask at, the refusal is the hold's.
status_is 1 as nina $C give "$D_C" $(cautions_flags "$D_C") --witness carl \
    </dev/null
err_has "idtsctl: the prescription is held for review after doses not taken; a prescriber must review it first; no witness PIN asked [held_for_review]" \
    "giving a held dose"
checks=$((checks + 1))
[ "$(table_fingerprint $FP_TABLES)" = "$FP" ] || fail "a held dose's refusal changed something"

status_is 1 as nina $C review "$RX_C" --note "seen"
err_has "[forbidden]" "a nurse's review"
status_is 2 as doc $C review "$RX_C"
ok as doc $C review "$RX_C" --note "seen on the ward; continue 45.5 ml"
out_has "^C3003CC  Cole, Cy  A2-01$" "review: the patient"
out_has " active  *0  *Dr Doc  *$RX_C" "review: active again"
out_has "^reviewed: the hold is lifted" "review"
status_is 1 as doc $C review "$RX_C" --note again
err_has "[not_held]" "a second review"
ok as nina $C prescriptions C3003CC
out_has " active  *0  *Dr Doc  *$RX_C" "prescriptions after the review"
ok as nina IDTS_WITNESS_PIN=7777 $C give "$D_C" $(cautions_flags "$D_C") --witness carl
out_has "^given: 45.5 ml Methadone 1mg/ml for C3003CC Cole, Cy (A2-01), due 08:00$" \
    "the dose given after the review"
out_has "balance after 362 ml" "the balance after"
ok as nina $C withhold "$D_A" --reason "drowsy, pupils pinned"
out_has "^withheld: 60 ml Methadone 1mg/ml for A1001AA Able, Alan (A1-01), due 08:00: drowsy, pupils pinned$" \
    "withhold"
ok as nina $C round
out_has "^round today: 1 due, 1 given, 1 withheld$" "Thursday's round after"
out_has "^08:00  *A2-01  *C3003CC  .*given  *08:[0-9][0-9] by nina, witness carl: considered " \
    "the dose given after the review, in the round"
out_has "^08:00  *A1-01  *A1001AA  .*withheld  *08:[0-9][0-9] nina: drowsy, pupils pinned " \
    "the withheld dose in the round"

# The prescriber stops the reducing regimen: its doses not yet given go.
ok as nina $C --json prescriptions B2002BB
RX_B=$(jq -r '.[0].id' "$T/ctl.out")
ok as doc $C stop "$RX_B" --reason "transferred to buprenorphine"
out_has "^stopped: the doses not yet given are removed$" "stop"
ok as nina $C prescriptions B2002BB
out_has " stopped  *2  *Dr Doc  *$RX_B" "prescriptions: stopped"
out_has "^${RX_B%%-*} stopped 2027-06-17 08:[0-9][0-9] BST: transferred to buprenorphine$" \
    "prescriptions: why stopped"
ok as nina $C round
out_has "^round today: 1 given, 1 withheld$" "the stopped regimen's dose gone"

# The pharmacist sends stock back and destroys some; never below 0.
FP=$(table_fingerprint $FP_TABLES)
status_is 1 as phil IDTS_WITNESS_PIN=7777 $C destroy Methadone \
    --quantity 362.001 --reason "more than there is" --witness carl
err_has "[balance_would_go_negative]" "destroying more than the balance"
checks=$((checks + 1))
[ "$(table_fingerprint $FP_TABLES)" = "$FP" ] || fail "a refused destruction changed something"
ok as phil IDTS_WITNESS_PIN=7777 $C return Methadone --quantity 12 \
    --reason "short-dated bottle" --witness carl
out_has "^recorded: return -12 ml on Methadone 1mg/ml oral solution, entry #10 at 2027-06-17 08:" \
    "return"
out_has "balance after 350 ml" "return: balance"
ok as phil IDTS_WITNESS_PIN=7777 $C destroy Methadone --quantity 0.5 \
    --reason "spilt when measured" --witness carl
out_has "^recorded: destruction -0.5 ml on .* entry #11 " "destroy"
ok as nina $C register Methadone --after 8
out_has "^9  *2027-06-17 08:[0-9][0-9] BST  *administration  *-45.5  *362  *nina  *carl  *C3003CC Cole, Cy" \
    "register: Thursday's dose"
out_has "^10  .* return  *-12  *350  *phil  *carl  *short-dated bottle *$" "register: return"
out_has "^11  .* destruction  *-0.5  *349.5  *phil  *carl  *spilt when measured *$" \
    "register: destruction"
ok as nina $C products
out_has "^Methadone .* 349.5 " "the balance at the end"
pass
